"""Scale: speed-up with workers and dask, memory with and without streaming.

Run by hand: ``.venv/bin/python benchmarks/bench_scale.py [--big WIDTH]``. Each
measurement runs the command line in a fresh process and reads its peak memory
(ru_maxrss of the child) and wall-clock time.
"""

import argparse
import json
import pathlib
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))

from networks import model_dict  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parent.parent


# Runs the command line and reports the process's own peak memory on stderr.
_WRAPPER = ("import resource, sys; from polyregions.cli.main import main; code = main(sys.argv[1:]); "
            "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr); "
            "sys.exit(code)")


def measure(args):
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", _WRAPPER, *args], capture_output=True,
                          text=True, check=True, cwd=ROOT)
    wall = time.perf_counter() - start
    peak_kib = int(done.stderr.strip().splitlines()[-1])
    return json.loads(done.stdout)["activation_regions"], wall, peak_kib / 1024


def speedups(folder):
    """Serial, ``--workers 2`` and local dask on the benchmark network and a 3-D job."""
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


def memory(folder, big):
    """A big job kept in memory versus streamed to a file."""
    path = folder / "big.json"
    path.write_text(json.dumps(model_dict([3, big, big], 5, 2, 1)))
    base = ["count", str(path), "--box", "-1", "1", "--json", "--regions-only"]
    print("\n| [3,w,w] rank 5 | mode | regions | wall s | peak MiB |\n|---|---|---|---|---|")
    for label, extra in (("streamed (--out)", ["--out", str(folder / "r.jsonl")]), ("in memory", [])):
        count, wall, peak = measure(base + extra)
        print(f"| w = {big} | {label} | {count} | {wall:.1f} | {peak:.0f} |", flush=True)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--big", type=int, default=40, help="width of the [3, w, w] rank-5 job")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:  # model and region files, removed after
        speedups(pathlib.Path(folder))
        memory(pathlib.Path(folder), args.big)


if __name__ == "__main__":
    main()
