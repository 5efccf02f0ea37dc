"""Engine speed: the issue's benchmark network, higher input dimensions, growth.

Run by hand (``make bench`` or ``.venv/bin/python benchmarks/bench_engine.py``);
it prints Markdown tables that go into ``docs/performance.md``. Timings are
wall-clock seconds on one core, best of ``--repeat`` runs.

    python benchmarks/bench_engine.py [--quick] [--repeat N] [--general]
"""

import argparse
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))

from networks import BENCHMARK, maxout_network  # noqa: E402
from timing import timed_count  # noqa: E402

from polyregions import Box, EngineOptions  # noqa: E402


def row(label, net, domain, repeat, options=None):
    count, seconds = timed_count(net, domain, repeat, options)
    rate = count / seconds if seconds else float("inf")
    print(f"| {label} | {net.hidden_units} | {count} | {seconds:.3f} | {rate:,.0f} |", flush=True)
    return count, seconds


def header(title):
    print(f"\n### {title}\n")
    print("| network | hidden units | regions | seconds | regions/s |")
    print("|---|---|---|---|---|")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="only the benchmark network")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--general", action="store_true",
                        help="also time the general path (no polygon clipper, no float filter)")
    args = parser.parse_args(argv)

    header("Benchmark: [2, 20, 20] rank 5, 2 outputs, [-3, 3]^2")
    net = maxout_network(**BENCHMARK)
    row("fast paths (default)", net, Box.cube(2, -3, 3), args.repeat)
    if args.general:
        row("incidence cutting instead of the polygon clipper", net, Box.cube(2, -3, 3), 1,
            EngineOptions(polygon_path=False))
        row("... and exact screening only (no float filter)", net, Box.cube(2, -3, 3), 1,
            EngineOptions(polygon_path=False, float_filter=False))
        row("general path (cddlib double description, exact screening)", net,
            Box.cube(2, -3, 3), 1,
            EngineOptions(polygon_path=False, float_filter=False, incidence_path=False))
    if args.quick:
        return

    header("Input dimensions 3 to 5, cube [-1, 1]^n0")
    for n0, widths, rank in [(3, [10, 10], 2), (3, [20, 20], 3), (3, [20, 20], 5),
                             (4, [10, 10], 3), (4, [20, 20], 2), (5, [10, 10], 2),
                             (5, [12, 12], 2)]:
        net = maxout_network([n0] + widths, rank, 2, seed=1)
        row(f"[{n0}, {widths[0]}, {widths[1]}] rank {rank}", net, Box.cube(n0, -1, 1), 1)

    header("Growth in 2-D: [2, w, w] rank 3, [-3, 3]^2")
    for w in (5, 10, 15, 20, 30, 40):
        net = maxout_network([2, w, w], 3, 2, seed=1)
        row(f"[2, {w}, {w}] rank 3", net, Box.cube(2, -3, 3), 1)


if __name__ == "__main__":
    main()
