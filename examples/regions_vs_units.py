"""Exact regions and decision-boundary pieces at initialization vs units, K = 2, 3, 5, beside the bounds.

    python examples/regions_vs_units.py [--quick] [--png FILE]

For every rank K and every width w, draws maxout networks (2, w, w) with the
maxout-He initialization (seeds 0..S-1), counts their activation regions
exactly in [-3, 3]^2, and prints the mean beside the proven maximum
(polyregions.bounds.architecture_max_regions) and the expected-growth form
(K N)^n0 C(K n0, 2 n0) / n0! with N = 2w units; likewise the decision-boundary
pieces of a 2-output linear head beside their growth form.
"""

import argparse
import statistics

import polyregions as pr
from polyregions.analysis.decision import decision_boundary
from polyregions.bounds import architecture_max_regions, expected_db_growth, expected_regions_growth
from polyregions.errors import MissingDependencyError, require_extra
from polyregions.params.init import initialize


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small widths and 2 seeds")
    parser.add_argument("--png", metavar="FILE", help="also save a figure (needs matplotlib)")
    args = parser.parse_args(argv)
    if args.png:  # the extra is checked before any work, not at the end
        try:
            require_extra("matplotlib", "plot", "--png")
        except MissingDependencyError as err:
            parser.error(str(err))
    widths = (1, 2, 3) if args.quick else (1, 2, 3, 4, 6, 8)
    seeds = 2 if args.quick else 5
    box = pr.Box.cube(2, -3, 3)
    rows = []
    print(f"{'K':>2} {'N':>3} {'regions (mean)':>15} {'max bound':>10} {'growth':>8} "
          f"{'db pieces (mean)':>17} {'db growth':>10}")
    for K in (2, 3, 5):
        for w in widths:
            counts, pieces = [], []
            for s in range(seeds):
                net = initialize((2, w, w), "maxout", K, "maxout_he", outputs=2, seed=s)
                result = pr.enumerate_regions(net, box)
                counts.append(len(result))
                pieces.append(decision_boundary(result).piece_count)
            bound, _ = architecture_max_regions((2, w, w), K)
            growth = expected_regions_growth(2, K, 2 * w)
            db_growth = expected_db_growth(2, K, 2 * w)
            rows.append((K, 2 * w, statistics.mean(counts), int(bound), float(growth)))
            print(f"{K:>2} {2 * w:>3} {statistics.mean(counts):>15.1f} {int(bound):>10} "
                  f"{float(growth):>8.0f} {statistics.mean(pieces):>17.1f} {float(db_growth):>10.0f}")
    if args.png:
        draw(rows, args.png)
        print(f"written {args.png}")
    return rows


def draw(rows, path=None):
    """The exact means (solid), proven maxima (dotted) and growth forms (dashed, up to
    their unknown constants) against N.

    The legend stands beside the axes, so it hides no curve; returns the figure.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D

    fig = Figure(figsize=(7.6, 4), layout="constrained")
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    for K in sorted({r[0] for r in rows}):
        mine = [r for r in rows if r[0] == K]
        units = [r[1] for r in mine]
        line, = ax.plot(units, [r[2] for r in mine], "o-", label=f"K={K}")
        ax.plot(units, [r[3] for r in mine], ":", color=line.get_color(), lw=1.6)
        ax.plot(units, [r[4] for r in mine], "--", color=line.get_color(), alpha=0.6)
    styles = [Line2D([], [], color="0.3", ls=ls, marker=m) for ls, m in
              (("-", "o"), (":", ""), ("--", ""))]
    ax.set_xlabel("units N")
    ax.set_ylabel("activation regions in [-3, 3]^2")
    ax.set_yscale("log")
    ax.grid(alpha=0.3, which="major")
    first = ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1), frameon=False, title="rank")
    ax.add_artist(first)
    ax.legend(styles, ["exact mean", "proven maximum", "growth form, unknown constant"], loc="lower left",
              bbox_to_anchor=(1.02, 0), frameon=False)
    if path is not None:
        fig.savefig(path, dpi=150)
    return fig


if __name__ == "__main__":
    main()
