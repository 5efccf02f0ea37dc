"""Claim (c): the distribution of exact counts over random parameters.

For a few architectures with 2 inputs (maxout of rank ``K`` = 2, 3, 5 and ReLU;
one hidden layer of ``N`` units and two of ``N / 2``) and a 2-output linear head,
with the maxout-He initialization (He's for ReLU, and for rank-2 maxout too, for
comparison), one network is drawn per seed and its activation regions and decision-boundary
pieces in the input box ``[-R, R]^2`` are counted exactly
(:func:`polyregions.params.sampling.count_one`). The summary gives, per
architecture, the empirical probability of each count (exact fractions), the
exact mean, the extremes seen, and beside them the proven maximum over all
parameters (:func:`polyregions.bounds.architecture_max_regions`; there is none
for boundary pieces) and the growth form of the expected value (a shape with an
unknown constant, not a bound). The figure draws each histogram with those
values as vertical lines.
"""

from fractions import Fraction
from typing import Any

from ..domain import Box
from ..params.sampling import count_bounds, count_one, summarize
from .runner import Experiment

__all__ = ["COUNT_DISTRIBUTIONS", "probabilities", "binned"]

WHAT = (("activation_regions", "activation regions"),
        ("decision_boundary_pieces", "decision-boundary pieces"))


def _settings(quick: bool) -> dict[str, Any]:
    if quick:
        return {"shapes": [[2, 4], [2, 2, 2]],
                "kinds": [["maxout", 2, "maxout_he"], ["maxout", 3, "maxout_he"]],
                "seeds": list(range(10)), "radius": 3, "outputs": 2}
    return {"shapes": [[2, 16], [2, 8, 8]],
            # He's initialization beside maxout-He's, for comparison, at rank 2.
            "kinds": [["maxout", 2, "maxout_he"], ["maxout", 2, "he"], ["maxout", 3, "maxout_he"],
                      ["maxout", 5, "maxout_he"], ["relu", 2, "he"]],
            "seeds": list(range(200)), "radius": 3, "outputs": 2}


def _units(settings):
    return [(tuple(widths), kind, rank, init, seed, settings["radius"], settings["outputs"])
            for widths in settings["shapes"] for kind, rank, init in settings["kinds"]
            for seed in settings["seeds"]]


def _run_unit(unit) -> list[dict[str, Any]]:
    widths, kind, rank, init, seed, radius, outputs = unit
    _, regions, pieces = count_one((widths, kind, rank, init, seed, Box.cube(2, -radius, radius),
                                    outputs, False))
    return [{"architecture": _label(widths, kind, rank, init), "widths": list(widths),
             "kind": kind, "rank": rank, "init": init, "seed": seed, "activation_regions": regions,
             "decision_boundary_pieces": pieces}]


def _label(widths, kind, rank, init):
    return f"{kind} {tuple(widths)}" + (f" K={rank}" if kind == "maxout" else "") + f", {init}"


def probabilities(values: list[int]) -> dict[int, Fraction]:
    """The empirical probability of each value: its histogram divided by the number of draws.

    Examples
    --------
    >>> probabilities([3, 5, 5, 7])
    {3: Fraction(1, 4), 5: Fraction(1, 2), 7: Fraction(1, 4)}
    """
    return {v: Fraction(n, len(values)) for v, n in summarize(values)["histogram"].items()}


def _distribution(values, proven_max, growth):
    """The summary of one list of counts beside the proven maximum (or None) and the growth form."""
    found = summarize(values)
    return {"probabilities": {v: str(p) for v, p in probabilities(values).items()},
            "min": found["min"], "mean": str(found["mean"]), "mean_float": found["mean_float"],
            "std": found["std"], "max_seen": found["max"],
            "proven_max": None if proven_max is None else int(proven_max),
            "growth_form": str(growth), "growth_form_float": float(growth),
            "min_over_proven_max": None if proven_max is None else found["min"] / int(proven_max),
            "min_over_max_seen": found["min"] / found["max"] if found["max"] else None}


def _summarize(rows, settings):
    groups: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        groups.setdefault(row["architecture"], []).append(row)
    table = []
    for label, members in groups.items():
        first = members[0]
        theory = count_bounds(first["widths"], first["kind"], first["rank"], settings["outputs"])
        entry = {"architecture": label, "widths": first["widths"], "kind": first["kind"],
                 "rank": first["rank"], "init": first["init"], "draws": len(members),
                 "max_regions_is_exact": theory["max_regions_is_exact"]}
        entry["activation_regions"] = _distribution(
            [r["activation_regions"] for r in members], theory["max_regions"],
            theory["expected_regions_growth"])
        entry["decision_boundary_pieces"] = _distribution(
            [r["decision_boundary_pieces"] for r in members], None, theory["expected_db_growth"])
        entry["all_below_proven_max"] = \
            entry["activation_regions"]["max_seen"] <= theory["max_regions"]
        table.append(entry)
    return {"architectures": table}


def _draw(rows, settings, summary):
    import matplotlib.pyplot as plt

    shapes, kinds = settings["shapes"], settings["kinds"]
    figure, axes = plt.subplots(2 * len(shapes), len(kinds), squeeze=False,
                                figsize=(4.4 * len(kinds), 3.2 * 2 * len(shapes)))
    found = {a["architecture"]: a for a in summary["architectures"]}
    for i, widths in enumerate(shapes):
        for j, (kind, rank, init) in enumerate(kinds):
            entry = found.get(_label(widths, kind, rank, init))
            for k, (key, what) in enumerate(WHAT):
                ax = axes[2 * i + k][j]
                if entry is None:  # a partial run that never reached this architecture
                    ax.set_axis_off()
                    continue
                _histogram(ax, entry[key], what, settings["radius"])
                ax.set_title(f"{entry['architecture']}, {entry['draws']} draws",
                             fontsize=9)
    figure.suptitle("Exact counts over random parameters: empirical probabilities "
                    "(growth forms have an unknown constant: shapes, not bounds)")
    figure.tight_layout()
    return figure


def _histogram(ax, found, what, radius):
    """Probability against count, with the min seen, mean, proven maximum and growth form.

    A line far right of the counts (beyond twice the largest) would squeeze the
    histogram into a corner: it stays in the legend, marked off the axis.
    """
    from matplotlib.ticker import MaxNLocator

    chances = {int(c): Fraction(p) for c, p in found["probabilities"].items()}
    width, bins = binned(chances)
    ax.bar([start + (width - 1) / 2 for start in bins], [float(p) for p in bins.values()],
           width=width, color="C0", label="empirical probability")
    lines = [(found["min"], "min seen", "C2", ":"), (found["mean_float"], "mean", "k", "-"),
             (found["growth_form_float"], "growth form (unknown constant)", "C7", "-.")]
    if found["proven_max"] is not None:
        lines.append((found["proven_max"], "proven maximum", "C3", "--"))
    shown = [x for x, *_ in lines if x <= 2 * max(chances)]
    left, right = min(list(chances) + shown), max(list(chances) + shown)
    for x, label, colour, style in lines:
        text = f"{label}: {x:.4g}" + ("" if x <= right else " (off the axis, right)")
        ax.axvline(x, color=colour, ls=style, lw=1.2, label=text)
    pad = max(1.0, 0.03 * (right - left))
    ax.set_xlim(left - pad, right + pad)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylim(0, float(max(bins.values())) * 1.9)  # head room for the legend
    ax.set_xlabel(f"{what} in [-{radius}, {radius}]^2")
    ax.set_ylabel("probability" + (f" (bins of {width} counts)" if width > 1 else ""))
    ax.legend(fontsize=6, loc="upper right", framealpha=0.9)
    ax.grid(alpha=0.3, axis="y")


def binned(chances: dict[int, Fraction], most: int = 40) -> tuple[int, dict[int, Fraction]]:
    """Probabilities of counts summed over bins of equal width, at most `most` bins.

    Returns the width and, by the first count of each bin, its exact probability.

    Examples
    --------
    >>> binned({1: Fraction(1, 2), 2: Fraction(1, 4), 5: Fraction(1, 4)}, most=3)
    (2, {1: Fraction(3, 4), 5: Fraction(1, 4)})
    """
    low, high = min(chances), max(chances)
    width = max(1, -(-(high - low + 1) // most))
    bins: dict[int, Fraction] = {}
    for count, p in sorted(chances.items()):
        start = low + (count - low) // width * width
        bins[start] = bins.get(start, Fraction(0)) + p
    return width, bins


COUNT_DISTRIBUTIONS = Experiment(
    "count-distributions",
    "the distribution of exact region and boundary-piece counts over random parameters",
    _settings, _units, _run_unit, _summarize, _draw)
