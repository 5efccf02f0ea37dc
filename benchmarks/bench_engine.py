"""Engine speed: the benchmark network, higher input dimensions, growth, and the targets.

Run by hand (``make bench``, ``make bench FULL=1 KERNEL=native``, or
``.venv/bin/python benchmarks/bench_engine.py``); it prints Markdown tables that
go into ``docs/performance.md``. Timings are wall-clock seconds on one core, best
of ``--repeat`` runs for the benchmark network, single runs otherwise.

    python benchmarks/bench_engine.py [--quick] [--repeat N] [--general] [--kernel NAME]

With a kernel backend other than ``python``, every row is also timed with the
Python reference backend in the same run, and the speed-up is printed beside it.
The targets section (not with ``--quick``): a 2-D slice of a 784-input network
against the 2-D benchmark network, two workers against one, and the start-up
time of the command line.
"""

import argparse
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))

from networks import BENCHMARK, maxout_network  # noqa: E402
from targets import analysis_ratios, slice_network, startup_seconds, two_core_job  # noqa: E402
from timing import timed_count, timed_workers  # noqa: E402

from polyregions import Box, EngineOptions, UsageError  # noqa: E402
from polyregions.enumeration.backends import kernel_name  # noqa: E402

REFERENCE = "python"  # the reference backend, the baseline of every other

#: The rows of the input-dimension table: ``(n0, widths, rank)``, seed 1, cube [-1, 1]^n0.
DIMENSION_ROWS = [(3, [10, 10], 2), (3, [20, 20], 3), (3, [20, 20], 5), (4, [10, 10], 3),
                  (4, [20, 20], 2), (5, [10, 10], 2), (5, [12, 12], 2)]


class Table:
    """Rows timed with one kernel backend, and with the reference too when it is another."""

    def __init__(self, kernel):
        self.kernel = kernel_name(kernel)
        self.baseline = self.kernel != REFERENCE

    def header(self, title):
        extra = f" | {REFERENCE} regions/s | speed-up" if self.baseline else ""
        print(f"\n### {title} (kernel {self.kernel})\n")
        print(f"| network | hidden units | regions | seconds | regions/s{extra} |")
        print("|---|---|---|---|---" + "|---" * (2 * self.baseline) + "|")

    def row(self, label, net, domain, repeat=1, **fast_paths):
        """Print one row; return its regions/s with this table's kernel."""
        count, seconds = timed_count(net, domain, repeat, EngineOptions(kernel=self.kernel,
                                                                        **fast_paths))
        rate = count / seconds
        extra = ""
        if self.baseline:
            _, base = timed_count(net, domain, repeat,
                                  EngineOptions(kernel=REFERENCE, **fast_paths))
            extra = f" | {count / base:,.0f} | {base / seconds:,.1f}"
        print(f"| {label} | {net.hidden_units} | {count} | {seconds:.3f} | {rate:,.0f}{extra} |",
              flush=True)
        return rate


def benchmark_table(table, repeat, general):
    table.header("Benchmark: [2, 20, 20] rank 5, 2 outputs, [-3, 3]^2")
    net, box = maxout_network(**BENCHMARK), Box.cube(2, -3, 3)
    rate = table.row("fast paths (default)", net, box, repeat)
    if general:
        table.row("incidence cutting instead of the polygon clipper", net, box,
                  polygon_path=False)
        table.row("... and exact screening only (no float filter)", net, box,
                  polygon_path=False, float_filter=False)
        table.row("general path (cddlib double description, exact screening)", net, box,
                  polygon_path=False, float_filter=False, incidence_path=False)
    return rate


def dimension_table(table):
    table.header("Input dimensions 3 to 5, cube [-1, 1]^n0")
    for n0, widths, rank in DIMENSION_ROWS:
        net = maxout_network([n0] + widths, rank, 2, seed=1)
        table.row(f"[{n0}, {widths[0]}, {widths[1]}] rank {rank}", net, Box.cube(n0, -1, 1))


def growth_table(table):
    table.header("Growth in 2-D: [2, w, w] rank 3, [-3, 3]^2")
    for w in (5, 10, 15, 20, 30, 40):
        net = maxout_network([2, w, w], 3, 2, seed=1)
        table.row(f"[2, {w}, {w}] rank 3", net, Box.cube(2, -3, 3))


def targets_table(table, demo_rate, repeat):
    """The issue's other targets, each a ratio measured in this run."""
    print(f"\n### Targets (kernel {table.kernel})\n")
    print("| target | measured | ratio |")
    print("|---|---|---|")
    net, domain = slice_network()
    options = EngineOptions(kernel=table.kernel)
    # The first run makes the network's integer rows (kept by its layers); the best of
    # `repeat`, as for the benchmark network, is a slice of a network already in use.
    count, first = timed_count(net, domain, 1, options)
    count, seconds = timed_count(net, domain, repeat, options)
    print(f"| 2-D slice of [784, 64, 64, 10] ReLU, against the benchmark network, best of {repeat} "
          f"| {count} regions in {seconds * 1000:.1f} ms: {count / seconds:,.0f} regions/s "
          f"against {demo_rate:,.0f} | {count / seconds / demo_rate:.2f} (target >= 0.5) |")
    print(f"| the same slice's first run, which makes the network's integer rows "
          f"| {first * 1000:.1f} ms: {count / first:,.0f} regions/s "
          f"| {count / first / demo_rate:.2f} |", flush=True)
    label, net, domain = two_core_job(table.kernel)
    one, two = (timed_workers(net, domain, w, options) for w in (1, 2))
    print(f"| two workers against one, {label} | {one:.1f} s against {two:.1f} s "
          f"| {one / two:.2f} (target >= 1.8) |", flush=True)
    for label, every, alone in analysis_ratios(table.kernel):
        print(f"| `count --json` with every key against `--regions-only`, {label}, median of 3 "
              f"| {every:.2f} s against {alone:.2f} s | {every / alone:.2f} (target <= 2) |",
              flush=True)
    version, count3 = startup_seconds(10)
    print(f"| start-up: `polyregions --version`, median of 10 | {version:.3f} s "
          f"| {version / 0.2:.2f} of the 0.2 s target |")
    print(f"| start-up: `polyregions count` of a 3-unit model, median of 10 | {count3:.3f} s "
          f"| {count3 / 0.4:.2f} of the 0.4 s target |", flush=True)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help="only the benchmark network (no tables, no targets)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--general", action="store_true",
                        help="also time the general path (no polygon clipper, no float filter)")
    parser.add_argument("--kernel", default=None,
                        help="the kernel backend (default: $POLYREGIONS_KERNEL, else native)")
    args = parser.parse_args(argv)
    try:
        table = Table(args.kernel)
    except UsageError as err:
        parser.error(str(err))

    demo_rate = benchmark_table(table, args.repeat, args.general)
    if args.quick:
        return
    dimension_table(table)
    growth_table(table)
    targets_table(table, demo_rate, args.repeat)


if __name__ == "__main__":
    main()
