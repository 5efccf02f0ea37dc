"""Scale: speed-up with workers and dask, memory with and without streaming.

Run by hand: ``.venv/bin/python benchmarks/bench_scale.py [--big WIDTH]``. Each
measurement runs the command line in a fresh process and reads its peak memory
(ru_maxrss of the child) and wall-clock time.
"""

import argparse
import json
import pathlib
import resource
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))

from networks import model_dict  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parent.parent
CLI = [sys.executable, "-m", "polyregions.cli"]


def measure(args):
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    out = subprocess.run(CLI + args, capture_output=True, text=True, check=True, cwd=ROOT).stdout
    wall = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    summary = json.loads(out)
    return summary["activation_regions"], wall, max(peak, before) / 1024


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--big", type=int, default=40, help="width of the [3, w, w] rank-5 job")
    args = parser.parse_args(argv)
    folder = pathlib.Path(tempfile.mkdtemp())
    jobs = {"benchmark [2,20,20] rank 5": (model_dict([2, 20, 20], 5, 2, 20), ["--box", "-3", "3"]),
            "[3,20,20] rank 5": (model_dict([3, 20, 20], 5, 2, 1), ["--box", "-1", "1"])}
    print("| job | backend | regions | wall s |\n|---|---|---|---|")
    for name, (model, domain) in jobs.items():
        path = folder / "model.json"
        path.write_text(json.dumps(model))
        base = ["count", str(path), *domain, "--json", "--regions-only"]
        for label, extra in (("1 process", []), ("--workers 2", ["--workers", "2"]),
                             ("--dask local (2 workers)", ["--dask", "local", "--workers", "2"])):
            count, wall, _ = measure(base + extra)
            print(f"| {name} | {label} | {count} | {wall:.2f} |", flush=True)
    # Memory: a big job kept in memory versus streamed to a file (separate processes:
    # ru_maxrss of children is the largest child so far, so the streamed run goes first).
    path = folder / "big.json"
    path.write_text(json.dumps(model_dict([3, args.big, args.big], 5, 2, 1)))
    base = ["count", str(path), "--box", "-1", "1", "--json", "--regions-only"]
    print("\n| [3,w,w] rank 5 | mode | regions | wall s | peak MiB (max so far) |\n|---|---|---|---|---|")
    for label, extra in (("streamed (--out)", ["--out", str(folder / "r.jsonl")]), ("in memory", [])):
        count, wall, peak = measure(base + extra)
        print(f"| w = {args.big} | {label} | {count} | {wall:.1f} | {peak:.0f} |", flush=True)


if __name__ == "__main__":
    main()
