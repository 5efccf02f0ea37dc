"""The robustness radius against verification: ``polyregions robust`` and ``check`` on the balls
just inside and just outside the radius it finds.

For each point, ``polyregions robust MODEL --point X --json`` gives the exact L-infinity radius r
and the point's class. The robustness property (``vnn_instances.robustness_property``) is then
written at a decimal radius just below r (``r (1 - 1/1000)`` rounded down) and just above it
(``r (1 + 1/1000)`` rounded up), and each verification tool answers it: every input within the
first ball has the class (``holds``), some input within the second does not (``violated``). A
row is consistent when every tool that decided says so. Run by hand:

    python benchmarks/robustness.py [--points 20] [--nnenum CHECKOUT] [--timeout S]

on the small classifier ``relu_2x16x16`` of the verification benchmark.
"""

import argparse
import json
import math
import pathlib
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from fractions import Fraction

import numpy as np
from networks import relu_float32_layers
from verification import TITLES, positive, run_tool
from vnn_instances import SMALL_NETWORKS, Instance, robustness_property, write_onnx

__all__ = ["MARGIN", "decimal_bound", "exact_radius", "radius_rows", "random_points", "table"]

#: How far inside and outside the radius the two balls are, relative to it.
MARGIN = Fraction(1, 1000)


def decimal_bound(value, up, digits=6):
    """`value` rounded to `digits` significant decimals, up or down.

    Examples
    --------
    >>> decimal_bound(Fraction(2, 3), up=False), decimal_bound(Fraction(2, 3), up=True)
    ('0.666666', '0.666667')
    """
    exponent = digits - 1 - math.floor(math.log10(value))  # float magnitude: only sets the digits
    scaled = value * Fraction(10) ** exponent
    whole = math.ceil(scaled) if up else math.floor(scaled)
    return format(Decimal(whole).scaleb(-exponent), "f")


def exact_radius(model, point, timeout):
    """``(radius, label, seconds)`` of ``polyregions robust`` at `point` (decimal strings)."""
    command = [sys.executable, "-m", "polyregions.cli.main", "robust", str(model), "--point",
               ",".join(point), "--json", "--no-progress", "--time-limit", str(timeout)]
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, timeout=timeout + 30)
    seconds = time.perf_counter() - start
    answer = json.loads(done.stdout)
    if answer["status"] != "exact":
        return None, answer["label"], seconds
    return Fraction(answer["radius"]), answer["label"], seconds


def radius_rows(model, points, n_outputs, tools, timeout, nnenum=None):
    """Yield one row per point: the radius, its seconds, and each tool's answers below and above."""
    with tempfile.TemporaryDirectory(prefix="polyregions-radius-") as folder:
        for k, point in enumerate(points):
            radius, label, seconds = exact_radius(model, point, timeout)
            row = {"point": point, "label": label, "seconds": seconds,
                   "radius": None if radius is None else str(radius)}
            if radius is not None:
                for side, eps in (("below", decimal_bound(radius * (1 - MARGIN), up=False)),
                                  ("above", decimal_bound(radius * (1 + MARGIN), up=True))):
                    prop = pathlib.Path(folder) / f"point_{k}_{side}.vnnlib"
                    prop.write_text(robustness_property(point, label, eps, n_outputs) + "\n")
                    instance = Instance(prop.stem, "radius", pathlib.Path(model), prop)
                    row[side] = {"eps": eps, **{t: run_tool(t, instance, timeout, nnenum)["answer"]
                                                for t in tools}}
                row["consistent"] = all(
                    row["below"][t] in ("holds", "timeout", "unknown")
                    and row["above"][t] in ("violated", "timeout", "unknown") for t in tools)
            yield row


def random_points(n, count, seed=0):
    """`count` points of [-1, 1]^n with three decimals (strings), drawn from `seed`."""
    rng = np.random.default_rng(seed)
    return [[f"{v:.3f}" for v in rng.uniform(-1, 1, n)] for _ in range(count)]


def table(rows, tools):
    head = " | ".join(f"{TITLES[t]} below / above" for t in tools)
    yield f"| point | class | radius | seconds (robust) | {head} | consistent |"
    yield "|---|---|---|---|" + "---|" * len(tools) + "---|"
    for row in rows:
        radius = "-" if row["radius"] is None else f"{float(Fraction(row['radius'])):.6g}"
        cells = " | ".join(f"{row['below'][t]} / {row['above'][t]}" if "below" in row else "-"
                           for t in tools)
        yield (f"| ({', '.join(row['point'])}) | {row['label']} | {radius} | {row['seconds']:.2f} "
               f"| {cells} | {'yes' if row.get('consistent') else 'NO'} |")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=positive, default=20, help="points around which to measure")
    parser.add_argument("--nnenum", type=pathlib.Path, default=None,
                        help="an nnenum checkout: nnenum answers the two balls too")
    parser.add_argument("--timeout", type=positive, default=60, help="seconds per run")
    args = parser.parse_args(argv)
    name = "relu_2x16x16"
    widths, _ = SMALL_NETWORKS[name]
    tools = ["polyregions"] + (["nnenum"] if args.nnenum else [])
    with tempfile.TemporaryDirectory(prefix="polyregions-radius-") as folder:
        model = pathlib.Path(folder) / f"{name}.onnx"
        write_onnx(relu_float32_layers(widths), model)
        rows = list(radius_rows(model, random_points(widths[0], args.points, seed=1), widths[-1],
                                tools, args.timeout, args.nnenum))
    print(f"\n### Robustness radius (L-infinity) of {name}, balls {MARGIN} inside and outside it\n")
    print("\n".join(table(rows, tools)))


if __name__ == "__main__":
    main()
