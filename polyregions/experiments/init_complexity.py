"""Claim (a): complexity at initialization against the number of units, beside the theorems.

Maxout networks with 2 inputs, depth ``L`` = 1, 2, 3 hidden layers of ``N / L``
units of rank ``K`` = 2, 3, 5 and a 2-output linear head are drawn with the
maxout-He initialization, one per seed. For each, the activation regions and the
decision-boundary pieces in the input box ``[-R, R]^2`` are counted exactly. The
figure shows their mean and standard deviation over the seeds against ``N``,
with, on the same axes:

* the proven maximum number of regions of the architecture over all parameters
  (:func:`polyregions.bounds.architecture_max_regions`), in the whole plane, so
  also in the box;
* the growth forms of the expected numbers (:func:`polyregions.bounds.expected_regions_growth`
  and :func:`~polyregions.bounds.expected_db_growth`): shapes in ``N`` with
  unknown constants, not bounds.
"""

from statistics import mean
from typing import Any

from ..bounds import architecture_max_regions, expected_db_growth, expected_regions_growth
from ..domain import Box
from ..params.sampling import count_one
from .figures import log_axes, mean_and_std, mean_band, outside_legend
from .runner import Experiment

__all__ = ["INIT_COMPLEXITY"]


def _settings(quick: bool) -> dict[str, Any]:
    if quick:
        return {"ranks": [2, 3], "depths": [1, 2], "units": [2, 4], "seeds": list(range(3)),
                "radius": 3, "init": "maxout_he", "outputs": 2}
    return {"ranks": [2, 3, 5], "depths": [1, 2, 3], "units": [6, 12, 24, 48, 96],
            "seeds": list(range(20)), "radius": 3, "init": "maxout_he", "outputs": 2}


def _units(settings):
    return [(K, depth, N, seed, settings["radius"], settings["init"], settings["outputs"])
            for K in settings["ranks"] for depth in settings["depths"]
            for N in settings["units"] if N % depth == 0 for seed in settings["seeds"]]


def _run_unit(unit) -> list[dict[str, Any]]:
    K, depth, N, seed, radius, init, outputs = unit
    widths = (2,) + (N // depth,) * depth
    _, regions, pieces = count_one((widths, "maxout", K, init, seed, Box.cube(2, -radius, radius),
                                    outputs, False))
    return [{"rank": K, "depth": depth, "units": N, "widths": list(widths), "seed": seed,
             "activation_regions": regions, "decision_boundary_pieces": pieces}]


def _theory(K, depth, N):
    """The proven maximum (and whether it is exact) and the two growth forms."""
    widths = (2,) + (N // depth,) * depth
    maximum, exact = architecture_max_regions(widths, K)
    return {"max_regions": int(maximum), "max_is_exact": bool(exact),
            "regions_growth": int(expected_regions_growth(2, K, N)),
            "db_growth": int(expected_db_growth(2, K, N))}


def _summarize(rows, settings):
    groups: dict[tuple[int, int, int], list[dict[str, Any]]] = {}
    for row in rows:
        groups.setdefault((row["rank"], row["depth"], row["units"]), []).append(row)
    table = []
    for (K, depth, N), members in sorted(groups.items()):
        regions = [r["activation_regions"] for r in members]
        (regions_mean, regions_std), (db_mean, db_std) = (mean_and_std(regions), mean_and_std(
            [r["decision_boundary_pieces"] for r in members]))
        theory = _theory(K, depth, N)
        table.append({"rank": K, "depth": depth, "units": N, "seeds": len(members),
                      "regions_mean": regions_mean, "regions_std": regions_std,
                      "regions_min": min(regions), "regions_max": max(regions),
                      "db_mean": db_mean, "db_std": db_std, **theory,
                      "mean_over_max": mean(regions) / theory["max_regions"],
                      "all_below_max": max(regions) <= theory["max_regions"]})
    return {"groups": table,
            "largest_mean_over_max": max(g["mean_over_max"] for g in table)}


def _draw(rows, settings, summary):
    import matplotlib.pyplot as plt

    # A partial run may lack whole ranks: draw those it has.
    ranks = [K for K in settings["ranks"] if any(g["rank"] == K for g in summary["groups"])]
    depths = settings["depths"]
    figure, axes = plt.subplots(2, len(ranks), figsize=(4.2 * len(ranks), 7.5), squeeze=False)
    colours = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    for column, K in enumerate(ranks):
        top, bottom = axes[0][column], axes[1][column]
        for depth, colour in zip(depths, colours):
            groups = [g for g in summary["groups"] if g["rank"] == K and g["depth"] == depth]
            n = [g["units"] for g in groups]
            mean_band(top, n, [(g["regions_mean"], g["regions_std"]) for g in groups],
                      f"regions, depth {depth}", floor=0.5, color=colour)
            top.plot(n, [g["max_regions"] for g in groups], ":", color=colour,
                     label=f"proven maximum, depth {depth}")
            mean_band(bottom, n, [(g["db_mean"], g["db_std"]) for g in groups],
                      f"boundary pieces, depth {depth}", floor=0.5, color=colour)
        n = sorted({g["units"] for g in summary["groups"] if g["rank"] == K})
        top.plot(n, [expected_regions_growth(2, K, v) for v in n], "k--", lw=1,
                 label="growth form (K N)^2 C(2K, 4)/2\n(unknown constant)")
        bottom.plot(n, [expected_db_growth(2, K, v) for v in n], "k--", lw=1,
                    label="growth form K N C(K, 2)\n(unknown constant)")
        for ax, what in ((top, "activation regions"), (bottom, "decision-boundary pieces")):
            log_axes(ax, n)
            ax.set_xlabel("hidden units N")
            ax.set_ylabel(f"{what} in [-{settings['radius']}, {settings['radius']}]^2")
            ax.set_title(f"maxout rank K = {K}")
    outside_legend(axes[0][-1])
    outside_legend(axes[1][-1])
    figure.suptitle(f"At initialization ({settings['init']}), mean ± std over "
                    f"{len(settings['seeds'])} seeds")
    figure.tight_layout()
    return figure


INIT_COMPLEXITY = Experiment(
    "init-complexity",
    "regions and decision-boundary pieces at initialization against units, depth and rank",
    _settings, _units, _run_unit, _summarize, _draw)
