"""Claim (b): parameter space has many full-dimensional cells of widely different complexity.

The seed paper's Figure 1, computed exactly. A maxout network with 2 inputs and
weights from a seeded initialization has two of its first-layer bias entries
replaced by coordinates ``(theta_1, theta_2)`` ranging over ``[lower, upper]^2``.
:func:`polyregions.params.cells.bias_slice_cells` splits that square into its
parameter cells (on each, the set of activation patterns realized in the input
box ``[-R, R]^2``, hence the number of activation regions, is constant), with
exact areas. The figure shows, per network, the cell map coloured by the count and
the histogram of counts weighted by exact cell area; the summary checks that the
exact areas sum to ``(upper - lower)^2``.
"""

from fractions import Fraction
from typing import Any

from ..domain import Box
from ..params.cells import bias_slice_cells
from ..params.init import initialize
from .runner import Experiment

__all__ = ["PARAMETER_CELLS"]


def _settings(quick: bool) -> dict[str, Any]:
    common = {"init": "maxout_he", "entries": [[0, 0, 0], [0, 1, 0]], "lower": -2, "upper": 2,
              "radius": 2}
    if quick:
        return {"networks": [{"widths": [2, 2, 2], "rank": 2, "seed": 0}], **common}
    # Networks whose slices take seconds to a minute (the cost varies much with the seed).
    return {"networks": [{"widths": [2, 5, 5], "rank": 2, "seed": 3},
                         {"widths": [2, 3, 3], "rank": 3, "seed": 0},
                         {"widths": [2, 3, 3], "rank": 2, "seed": 0}], **common}


def _units(settings):
    return [(n, settings["init"], tuple(tuple(e) for e in settings["entries"]),
             settings["lower"], settings["upper"], settings["radius"])
            for n in settings["networks"]]


def _run_unit(unit) -> list[dict[str, Any]]:
    network, init, entries, lower, upper, radius = unit
    net = initialize(network["widths"], "maxout", network["rank"], init, seed=network["seed"])
    cells = bias_slice_cells(net, Box.cube(2, -radius, radius), entries, lower, upper)
    # The pieces' vertices travel with the rows as floats, for the figure (exact ones would
    # make the file 15 MB for 1,700 cells); the measure and the interior point stay exact.
    return [{"network": _label(network), "widths": network["widths"], "rank": network["rank"],
             "seed": network["seed"], "cell": c.index, "activation_regions": c.activation_regions,
             "measure": str(c.measure), "measure_float": float(c.measure),
             "neighbours": len(c.neighbours),
             "interior_point": [str(v) for v in c.interior_point],
             "pieces": [[[float(v) for v in vertex] for vertex in p.vertices] for p in c.pieces]}
            for c in cells]


def _label(network):
    return f"maxout {tuple(network['widths'])} rank {network['rank']} seed {network['seed']}"


def _by_network(rows):
    groups: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        groups.setdefault(row["network"], []).append(row)
    return groups


def area_by_count(rows: list[dict[str, Any]]) -> dict[int, Fraction]:
    """The exact total area of the cells with each region count, from the rows of one network.

    Examples
    --------
    >>> area_by_count([{"activation_regions": 3, "measure": "1/2"},
    ...                {"activation_regions": 3, "measure": "1/3"}])
    {3: Fraction(5, 6)}
    """
    area: dict[int, Fraction] = {}
    for row in sorted(rows, key=lambda r: r["activation_regions"]):
        count = row["activation_regions"]
        area[count] = area.get(count, Fraction(0)) + Fraction(row["measure"])
    return area


def _summarize(rows, settings):
    side = Fraction(settings["upper"]) - Fraction(settings["lower"])
    networks = []
    for label, members in _by_network(rows).items():
        area = area_by_count(members)
        total = sum(area.values(), Fraction(0))
        weighted = sum((count * a for count, a in area.items()), Fraction(0)) / total
        counts = [r["activation_regions"] for r in members]
        networks.append({"network": label, "cells": len(members), "min_regions": min(counts),
                      "max_regions": max(counts), "area_weighted_mean": str(weighted),
                      "area_weighted_mean_float": float(weighted),
                      "area_by_count": {count: float(a) for count, a in area.items()},
                      "total_area": str(total), "areas_sum_to_slice": total == side ** 2})
    return {"slice_area": str(side ** 2), "networks": networks,
            "all_areas_sum_to_slice": all(s["areas_sum_to_slice"] for s in networks)}


def _draw(rows, settings, summary):
    import matplotlib.pyplot as plt

    from ..io.plot import bias_entry_name, draw_cell_map

    groups = _by_network(rows)
    figure, axes = plt.subplots(len(groups), 2, figsize=(11, 4.6 * len(groups)), squeeze=False,
                                gridspec_kw={"width_ratios": [1.25, 1]})
    names = [bias_entry_name(e) for e in settings["entries"]]
    lo, hi = float(settings["lower"]), float(settings["upper"])
    for (left, right), found in zip(axes, summary["networks"]):
        members = groups[found["network"]]
        left.set(xlim=(lo, hi), ylim=(lo, hi), aspect="equal", xlabel=names[0], ylabel=names[1],
                 title=f"{found['network']}: {found['cells']} cells, "
                       f"{found['min_regions']} to {found['max_regions']} regions")
        # Counts are written where they fit (measured in the limits above); colour tells the rest.
        draw_cell_map(left, [(r["pieces"], r["activation_regions"], r["interior_point"])
                             for r in members])
        _draw_area_histogram(right, found, settings)
    figure.suptitle(f"Parameter cells of a bias slice ({settings['init']} weights); regions "
                    f"counted in [-{settings['radius']}, {settings['radius']}]^2")
    figure.tight_layout(rect=(0, 0, 1, 0.98))  # room for the title above the panels
    return figure


def _draw_area_histogram(ax, found, settings):
    from matplotlib.ticker import MaxNLocator

    area = {int(c): a for c, a in found["area_by_count"].items()}
    ax.bar(list(area), list(area.values()), width=0.8, color="C0")
    mean = found["area_weighted_mean_float"]
    ax.axvline(mean, color="k", ls="--", lw=1, label=f"area-weighted mean {mean:.2f}")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel(f"activation regions in [-{settings['radius']}, {settings['radius']}]^2")
    ax.set_ylabel("exact area of the cells with that count")
    ax.set_title(f"area by count (total {found['total_area']} = slice area: "
                 f"{'yes' if found['areas_sum_to_slice'] else 'NO'})")
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3, axis="y")


PARAMETER_CELLS = Experiment(
    "parameter-cells",
    "the exact parameter cells of a 2-D bias slice and their region counts, weighted by area",
    _settings, _units, _run_unit, _summarize, _draw)
