"""The exact robustness radius against a bisection over ``check`` on L-infinity balls.

A small classifier is trained with PyTorch on three Gaussian blobs in the plane
(seeded; float32 weights, taken exactly), and imported with
``polyregions.io.torch.network_from_torch``. At 20 points the exact radius ``d``
(``polyregions.analysis.robustness.robustness_radius``) is compared with a
bisection of ``eps`` over ``check_property`` on the ball of radius ``eps``
(``holds`` below, ``violated`` above): after the bisection the largest ``eps``
``check`` confirmed and the smallest it refuted must bracket ``d``, and ``check``
must give ``holds`` just below ``d`` and ``violated`` just above it. The two are
independent code paths (regions and exact LPs, against a search with proven
bounds).

    python benchmarks/robustness.py [--points 20] [--steps 12] [--json FILE]
"""

import argparse
import json
import time
from fractions import Fraction

import numpy as np

from polyregions.analysis.robustness import robustness_radius
from polyregions.io.vnnlib import Case, Constraint, Property
from polyregions.verification.search import check_property


def trained_classifier(seed=0):
    """A [2, 16, 16, 3] ReLU classifier trained on three blobs (torch, 300 Adam steps)."""
    import torch

    from polyregions.io.torch import network_from_torch

    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    centres = np.array([[-1.0, 0.0], [1.0, 0.5], [0.0, -1.2]])
    x = np.vstack([c + 0.6 * rng.standard_normal((200, 2)) for c in centres]).astype(np.float32)
    labels = np.repeat(np.arange(3), 200)
    model = torch.nn.Sequential(torch.nn.Linear(2, 16), torch.nn.ReLU(), torch.nn.Linear(16, 16),
                                torch.nn.ReLU(), torch.nn.Linear(16, 3))
    optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
    inputs, targets = torch.from_numpy(x), torch.from_numpy(labels)
    for _ in range(300):
        optimizer.zero_grad()
        loss = torch.nn.functional.cross_entropy(model(inputs), targets)
        loss.backward()
        optimizer.step()
    return network_from_torch(model), x


def ball_property(point, eps, label, classes):
    """Some input within eps of point (L-infinity) has another class than `label`."""
    output = []
    for j in range(classes):
        if j != label:
            row = [0] * (1 + len(point) + classes)
            row[1 + len(point) + j], row[1 + len(point) + label] = 1, -1
            output.append([Constraint(row, strict=j > label)])  # ties go to the lower index
    return Property(len(point), classes, [Case([v - eps for v in point], [v + eps for v in point],
                                               (), output)])


def compare(network, point, steps):
    started = time.perf_counter()
    report = robustness_radius(network, point, "inf", max_radius=64)
    radius_seconds = time.perf_counter() - started
    d, label = report.radius, report.label
    low, high = Fraction(0), Fraction(2) * (d if d else Fraction(1))
    started = time.perf_counter()
    for _ in range(steps):
        eps = (low + high) / 2
        if check_property(network, ball_property(point, eps, label, 3)).result == "holds":
            low = eps
        else:
            high = eps
    around = [check_property(network, ball_property(point, d * f, label, 3)).result
              for f in (Fraction(999, 1000), Fraction(1001, 1000))]
    check_seconds = time.perf_counter() - started
    return {"point": [str(v) for v in point], "label": label, "radius": str(d),
            "radius_float": float(d), "confirmed": str(low), "refuted": str(high),
            "brackets": low <= d <= high, "just_below": around[0], "just_above": around[1],
            "agree": low <= d <= high and around == ["holds", "violated"],
            "radius_seconds": round(radius_seconds, 3), "check_seconds": round(check_seconds, 3)}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--points", type=int, default=20)
    parser.add_argument("--steps", type=int, default=12)
    parser.add_argument("--json", metavar="FILE")
    args = parser.parse_args()
    network, data = trained_classifier()
    rows = []
    for x in data[:: len(data) // args.points][: args.points]:
        point = [Fraction(float(v)).limit_denominator(64) for v in x]
        rows.append(compare(network, point, args.steps))
        r = rows[-1]
        print(f"{r['point']}  class {r['label']}  radius {r['radius_float']:.6g}  "
              f"check: holds <= {float(Fraction(r['confirmed'])):.6g} < violated "
              f"{float(Fraction(r['refuted'])):.6g}  agree {r['agree']}  "
              f"({r['radius_seconds']} s / {r['check_seconds']} s)", flush=True)
    print(f"{sum(r['agree'] for r in rows)} of {len(rows)} agree")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(rows, f, indent=1)


if __name__ == "__main__":
    main()
