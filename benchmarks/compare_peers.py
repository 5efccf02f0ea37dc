"""polyregions against the float tools: same networks, counting time only, one run.

Run by hand (``make bench``, or ``make bench FULL=1 KERNEL=native``):

    python benchmarks/compare_peers.py [--quick] [--kernel NAME] [--repeat N] [--grid N]
        [--vnn DIR [--nnenum CHECKOUT] [--time-limit S]]

It prints Markdown tables for ``docs/performance.md``. The peers run in a
bench-only virtual environment, ``benchmarks/.peers-venv``, made on first use
(``benchmarks/peer_env.py``); polyregions runs in this process with the kernel
backend ``--kernel`` (default: ``$POLYREGIONS_KERNEL``, else ``native``, the compiled kernel).

regioncam (Rust, float32, 2-D) and polyregions count the regions of the same
He-normal float32 ReLU networks on [-3, 3]^2. Where the counts differ, the
exact oracles decide who is right: the Python reference backend, the independent
certificate verifier on our regions, and the distinct activation patterns that
an exact grid of ``--grid``^2 points sees (a lower bound; each must be one of
ours).

ACAS Xu (not with ``--quick``; needs ``--vnn DIR``, the VNN-COMP files): every
region of network 1_1 in the property-3 input box, by ``polyregions count``,
and by nnenum's exact-star mode (float LPs, one process) from the checkout
given as ``--nnenum`` (``benchmarks/acasxu.py``).
"""

import argparse
import pathlib
import sys
import tempfile

import numpy as np

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))

import acasxu  # noqa: E402
from networks import relu_float32_layers, relu_network  # noqa: E402
from oracle import grid_patterns  # noqa: E402
from peer_env import run_peer  # noqa: E402
from timing import timed_count, timed_tally  # noqa: E402

from polyregions import (  # noqa: E402
    Box,
    EngineOptions,
    UsageError,
    certificate_dict,
    enumerate_regions,
    verify_certificate,
)
from polyregions.enumeration.backends import kernel_name  # noqa: E402

#: The ReLU networks of the regioncam comparison, on [-BOX, BOX]^2.
REGIONCAM_NETWORKS = ([2, 16, 16], [2, 32, 32], [2, 64, 64, 64])
BOX = 3
SEED = 0


def ratio(ours, theirs):
    return f"{ours / theirs:,.1f}" if theirs else "inf"


def save_layers(layers, folder):
    path = pathlib.Path(folder) / "layers.npz"
    arrays = {}
    for i, (weights, biases) in enumerate(layers):
        arrays[f"w{i}"], arrays[f"b{i}"] = weights, biases
    np.savez(path, **arrays)
    return path


def regioncam_count(layers, repeat):
    with tempfile.TemporaryDirectory(prefix="polyregions-bench-") as folder:
        return run_peer("regioncam", "regioncam_count.py", save_layers(layers, folder), BOX, repeat)


def who_is_right(net, layers, ours, theirs, grid):
    """One sentence: which count the exact oracles confirm, when the two differ."""
    domain = Box.cube(2, -BOX, BOX)
    reference = enumerate_regions(net, domain, options=EngineOptions(kernel="python"))
    if len(reference) != ours:
        return f"no: our backend disagrees with the Python reference ({len(reference)})"
    report = verify_certificate(certificate_dict(reference))
    seen = grid_patterns(layers, -BOX, BOX, grid)
    missed = seen - {region.pattern for region in reference}
    if not report.ok or missed:
        return f"no: OUR COUNT FAILS A CHECK ({report.failure or f'{len(missed)} patterns missed'})"
    short = f"; regioncam is below the {len(seen)} patterns of the grid" if len(seen) > theirs else ""
    return (f"no: ours is proven (certificate verified, all {len(seen)} grid patterns among "
            f"ours){short}")


def regioncam_rows(kernel, repeat, grid):
    """Yield ``(widths, ours, seconds, counted, peer, agree)`` per network.

    `seconds` streams every region (records included), `counted` only counts them
    (:func:`count_regions`); ``peer`` is regioncam's answer.
    """
    for widths in REGIONCAM_NETWORKS:
        layers = relu_float32_layers(widths, seed=SEED)
        net = relu_network(widths[0], layers)
        peer = regioncam_count(layers, repeat)
        box, options = Box.cube(2, -BOX, BOX), EngineOptions(kernel=kernel)
        # regioncam builds its network from the weights in every run: so do we.
        ours, seconds = timed_count(net, box, repeat, options, fresh=True)
        tallied, counted = timed_tally(net, box, repeat, options, fresh=True)
        if tallied != ours:
            raise RuntimeError(f"{widths}: counting gave {tallied} regions, streaming {ours}")
        agree = ("yes" if ours == peer["regions"]
                 else who_is_right(net, layers, ours, peer["regions"], grid))
        yield widths, ours, seconds, counted, peer, agree


def regioncam_table(kernel, repeat, grid):
    rows = regioncam_rows(kernel, repeat, grid)
    for i, (widths, ours, seconds, counted, peer, agree) in enumerate(rows):
        if i == 0:
            print(f"\n### regioncam {peer['version']}: ReLU, float32 He-normal weights, "
                  f"[-{BOX}, {BOX}]^2, kernel {kernel_name(kernel)}, best of {repeat}\n")
            print("| network | regions (ours) | regions (regioncam) | seconds (ours, count) "
                  "| seconds (ours, regions streamed) | seconds (regioncam) "
                  "| count / regioncam | streamed / regioncam | counts agree |")
            print("|---|---|---|---|---|---|---|---|---|")
        print(f"| {widths} | {ours:,} | {peer['regions']:,} | {counted:.4f} | {seconds:.4f} "
              f"| {peer['seconds']:.4f} | {ratio(counted, peer['seconds'])} "
              f"| {ratio(seconds, peer['seconds'])} | {agree} |", flush=True)


def acasxu_table(vnn, checkout, kernel, time_limit):
    """Our exact count of ACAS Xu's regions in the property box, and nnenum's exact stars."""
    count, seconds, cpu, complete = acasxu.ours(vnn, kernel, time_limit)
    try:
        peer = acasxu.nnenum(vnn, checkout, time_limit) if checkout else None
        why = "" if peer else "not run (no --nnenum PATH)"
    except (RuntimeError, OSError) as err:
        peer, why = None, f"not run: {err}"
    print(f"\n### ACAS Xu {acasxu.NETWORK}, {acasxu.PROPERTY} input box, 5-D 6x50 ReLU "
          f"(kernel {kernel_name(kernel)}, time limit {time_limit:g} s each)\n")
    print("| tool | regions | complete | seconds | CPU seconds | regions/s |")
    print("|---|---|---|---|---|---|")
    print(f"| polyregions (exact) | {count:,} | {'yes' if complete else 'no'} | {seconds:.1f} "
          f"| {cpu:.1f} | {count / seconds:,.0f} |")
    if peer is None:
        print(f"| nnenum (exact stars, float LPs, one process) | {why} | | | | |")
        return
    done = peer["result"] != "timeout"
    print(f"| nnenum (exact stars, float LPs, one process) | {peer['regions']:,} "
          f"| {'yes' if done else 'no'} | {peer['seconds']:.1f} | {peer['cpu_seconds']:.1f} "
          f"| {peer['regions'] / peer['seconds']:,.0f} |")
    if complete and done:
        agree = "agree" if count == peer["regions"] else "differ"
        print(f"\nours / nnenum: {seconds / peer['seconds']:.2f} wall, "
              f"{cpu / peer['cpu_seconds']:.2f} CPU; the counts {agree}.")
    else:
        print(f"\nnnenum / ours in regions per second: "
              f"{peer['regions'] / peer['seconds'] / (count / seconds):.2f} (a run was stopped).")


def positive(text):
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kernel", default=None,
                        help="polyregions' kernel backend (default: $POLYREGIONS_KERNEL, else native)")
    parser.add_argument("--quick", action="store_true",
                        help="one run each side, regioncam only (no ACAS Xu)")
    parser.add_argument("--repeat", type=positive, default=3,
                        help="best of this many runs, each side")
    parser.add_argument("--grid", type=positive, default=100,
                        help="grid points per side of the exact sampling oracle")
    parser.add_argument("--vnn", type=pathlib.Path, default=None,
                        help="the VNN-COMP files (onnx/, json/, vnnlib/): runs the ACAS Xu row")
    parser.add_argument("--nnenum", type=pathlib.Path, default=None,
                        help="an nnenum checkout, run beside us on ACAS Xu")
    parser.add_argument("--time-limit", type=positive, default=900,
                        help="seconds each tool may take on ACAS Xu")
    args = parser.parse_args(argv)
    try:
        kernel_name(args.kernel)
    except UsageError as err:
        parser.error(str(err))
    for path in (args.vnn, args.nnenum):
        if path is not None and not path.is_dir():
            parser.error(f"not a directory: {path}")
    if args.nnenum is not None and not (args.nnenum / "src" / "nnenum").is_dir():
        parser.error(f"--nnenum must be an nnenum checkout (with src/nnenum/), got {args.nnenum}")
    if args.nnenum is not None and args.vnn is None:
        parser.error("--nnenum runs on ACAS Xu, which needs --vnn DIR")
    regioncam_table(args.kernel, 1 if args.quick else args.repeat, args.grid)
    if args.vnn and not args.quick:
        acasxu_table(args.vnn, args.nnenum, args.kernel, args.time_limit)


if __name__ == "__main__":
    main()
