"""This tree against an older commit of polyregions, row by row, in one run.

Run by hand from a git checkout (``make bench FULL=1`` runs it against the commit of
2026-11-29 whose tables the speed issue set its 3-D to 5-D target by):

    python benchmarks/bench_baseline.py [--commit REV] [--kernel NAME] [--rows dimensions|growth]

The old commit is exported with ``git archive`` into a temporary folder. Each row's
network is written once as a model file; then, row by row, the old tree and this
one stream its regions, each in a fresh process (``python -c`` with the tree first on
``sys.path``), so that both sides are timed in the same minutes of a shared machine. Both
must find the same number of regions. It prints a Markdown table: seconds on each side
and the speed-up, this tree's regions/s over the old one's.
"""

import argparse
import json
import os
import pathlib
import subprocess
import sys
import tempfile

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))

from bench_engine import DIMENSION_ROWS  # noqa: E402
from networks import model_dict  # noqa: E402

BASELINE = "51d8aff"
"""The last commit of 2026-11-29: the tables the speed issue measured its targets by."""

# Only the public API both trees share. A one-unit job first makes both sides load what
# they load on first use (lazy imports, the compiled kernel and its self-check).
_TIMER = """
import sys, time
import polyregions
net = polyregions.load_network(sys.argv[1])
n0 = int(sys.argv[2])
box = polyregions.Box.cube(n0, int(sys.argv[3]), int(sys.argv[4]))
unit = polyregions.Network(n0, [polyregions.ReluLayer([[1] + [0] * (n0 - 1)], [0])])
sum(1 for _ in polyregions.iter_regions(unit, box))
start = time.perf_counter()
count = sum(1 for _ in polyregions.iter_regions(net, box))
print(count, time.perf_counter() - start)
"""


def rows(kind):
    """``[(label, model dict, n0, lo, hi)]`` of the chosen table."""
    if kind == "dimensions":
        return [(f"[{n0}, {w[0]}, {w[1]}] rank {r}", model_dict([n0] + w, r, 2, seed=1), n0, -1, 1)
                for n0, w, r in DIMENSION_ROWS]
    return [(f"[2, {w}, {w}] rank 3", model_dict([2, w, w], 3, 2, seed=1), 2, -3, 3)
            for w in (5, 10, 15, 20, 30, 40)]


def timed(tree, model, n0, lo, hi, kernel):
    """``(regions, seconds)`` of streaming the regions with the package in `tree`."""
    env = {**os.environ, "PYTHONPATH": str(tree)}
    if kernel:
        env["POLYREGIONS_KERNEL"] = kernel
    # In `tree` itself: ``python -c`` puts the working folder first on the path.
    out = subprocess.run([sys.executable, "-c", _TIMER, model, str(n0), str(lo), str(hi)],
                         cwd=tree, env=env, check=True, capture_output=True, text=True).stdout.split()
    return int(out[0]), float(out[1])


def export(commit, folder):
    """Write the tree of `commit` (this checkout's history) into `folder`."""
    top = pathlib.Path(__file__).resolve().parent.parent
    archive = subprocess.run(["git", "-C", str(top), "archive", commit], check=True,
                             capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", folder], input=archive, check=True)
    return top


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--commit", default=BASELINE, help=f"the old commit (default {BASELINE})")
    parser.add_argument("--kernel", default=None,
                        help="this tree's kernel backend (default: $POLYREGIONS_KERNEL, else native)")
    parser.add_argument("--rows", choices=["dimensions", "growth"], default="dimensions")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="polyregions-baseline-") as folder:
        old = pathlib.Path(folder, "old")
        old.mkdir()
        try:
            top = export(args.commit, str(old))
        except subprocess.CalledProcessError as err:
            parser.error(f"cannot export commit {args.commit!r}: "
                         f"{err.stderr.decode(errors='replace').strip()}")
        print(f"\n### This tree (kernel {args.kernel or 'default'}) against commit {args.commit}, "
              f"one run, streamed regions\n")
        print(f"| network | regions | seconds ({args.commit}) | seconds (now) | speed-up |")
        print("|---|---|---|---|---|")
        for label, model, n0, lo, hi in rows(args.rows):
            path = pathlib.Path(folder, "model.json")
            path.write_text(json.dumps(model))
            before, old_seconds = timed(old, str(path), n0, lo, hi, None)
            after, new_seconds = timed(top, str(path), n0, lo, hi, args.kernel)
            if before != after:
                raise SystemExit(f"{label}: {before} regions at {args.commit}, {after} now")
            print(f"| {label} | {after:,} | {old_seconds:.3f} | {new_seconds:.3f} "
                  f"| {old_seconds / new_seconds:.1f} |", flush=True)


if __name__ == "__main__":
    main()
