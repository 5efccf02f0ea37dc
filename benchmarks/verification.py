"""Verification against the float verifiers: same ONNX networks, same VNN-LIB properties.

Run by hand:

    python benchmarks/verification.py --vnn DIR [--nnenum CHECKOUT] [--tools LIST]
        [--timeout S] [--quick] [--match TEXT] [--json FILE] [--load FILE]

Each tool runs on each instance (``vnn_instances.py``) as one process of its own,
one instance at a time: ``polyregions check MODEL PROP --json --counterexample FILE``,
nnenum's VNN-COMP front end (``peers/nnenum_check.py``, one process) and Marabou
(``peers/marabou_check.py``), the peers in the bench venvs of ``peer_env.py``.
Seconds are the wall time of the whole process, start-up included; a process
still running ``--timeout`` seconds (plus :data:`GRACE` for loading) after its
start is stopped and counted as ``timeout``.

Every counterexample, ours and theirs, is checked exactly (``exact_check.py``):
its input inside the property's box exactly, and the network's exact outputs
there violating the property. The table (Markdown, on standard output) says
whether each tool's answer agrees with the others' and whether its counterexample
is exactly valid; ``--json FILE`` keeps every raw result, written after each
instance. ``--load FILE`` takes the results of the tools not run now from an
earlier ``--json`` file (the small networks are made again, the same from the
same seed), their counterexamples checked again.
"""

import argparse
import json
import os
import pathlib
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))

import vnn_instances  # noqa: E402
from exact_check import check_files, check_loaded  # noqa: E402
from peer_env import HERE, peer_python  # noqa: E402

TOOLS = ("nnenum", "marabou", "polyregions")
TITLES = {"nnenum": "nnenum", "marabou": "Marabou", "polyregions": "polyregions"}
#: Seconds a process may take beyond the time limit it was given (start-up, loading).
GRACE = 30
ONE_THREAD = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"}


def run_process(command, timeout, env=None):
    """``(stdout, stderr, seconds, timed_out)`` of one process, stopped after `timeout` s."""
    start = time.perf_counter()
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout,
                              env={**os.environ, **(env or {})})
    except subprocess.TimeoutExpired as err:
        return str(err.stdout or ""), str(err.stderr or ""), time.perf_counter() - start, True
    return done.stdout, done.stderr, time.perf_counter() - start, False


def last_json(stdout):
    """The JSON object on the last line of `stdout`, or None."""
    lines = stdout.strip().splitlines()
    try:
        answer = json.loads(lines[-1]) if lines else None
    except json.JSONDecodeError:
        return None
    return answer if isinstance(answer, dict) else None


def command(tool, instance, timeout, result_file, nnenum):
    """The command line, and its environment, of `tool` on `instance`."""
    files = [str(instance.model), str(instance.prop)]
    if tool == "polyregions":
        return [sys.executable, "-m", "polyregions.cli.main", "check", *files, "--json",
                "--no-progress", "--counterexample", str(result_file), "--time-limit",
                str(timeout)], None
    script = HERE / "peers" / f"{tool}_check.py"
    checkout = [str(pathlib.Path(nnenum).resolve())] if tool == "nnenum" else []
    return [str(peer_python(tool)), str(script), *checkout, *files, str(timeout),
            str(result_file)], ONE_THREAD


def run_tool(tool, instance, timeout, nnenum=None):
    """One tool on one instance: its answer, wall seconds and exact counterexample verdict."""
    with tempfile.TemporaryDirectory(prefix="polyregions-vbench-") as folder:
        result_file = pathlib.Path(folder) / "result.txt"
        argv, env = command(tool, instance, timeout, result_file, nnenum)
        stdout, stderr, seconds, timed_out = run_process(argv, timeout + GRACE, env)
        answer = last_json(stdout)
        row = {"answer": "timeout" if timed_out else (answer or {}).get("result", "error"),
               "seconds": seconds, "raw": answer}
        if answer is None and not timed_out:
            row["error"] = " | ".join(stderr.strip().splitlines()[-3:])
        if not timed_out and result_file.exists():
            _, counterexample, verdict = check_files(instance.model, instance.prop, result_file)
            if counterexample is not None:
                row["counterexample"] = {"inputs": [str(v) for v in counterexample[0]],
                                         "outputs": [str(v) for v in counterexample[1]]}
                row["exact"] = verdict.to_json()
    return row


def agreement(results):
    """``yes`` when every decided answer is the same, ``NO`` when they differ, else ``-``."""
    decided = {r["answer"] for r in results.values() if r["answer"] in ("holds", "violated")}
    if len(decided) > 1:
        return "NO"
    count = sum(r["answer"] in ("holds", "violated") for r in results.values())
    return "yes" if count > 1 else "-"


def validity(results):
    """Which counterexamples are exactly valid: ``nnenum no (X_0 ... outside); ...``."""
    parts = []
    for tool, r in results.items():
        if "exact" in r:
            verdict = r["exact"]
            why = "" if verdict["valid"] else f" ({verdict['reason'].removeprefix('no: ')})"
            parts.append(f"{TITLES[tool]} {'yes' if verdict['valid'] else 'no'}{why}")
        elif r["answer"] == "violated":
            parts.append(f"{TITLES[tool]}: no counterexample given")
    return "; ".join(parts) or "-"


def ratio(results, ours="polyregions", peer="nnenum"):
    a, b = results.get(ours), results.get(peer)
    if not a or not b or {a["answer"], b["answer"]} - {"holds", "violated"}:
        return "-"  # a time only means something where both decided
    return f"{a['seconds'] / b['seconds']:.2f}"


def table_rows(rows, tools):
    head = [f"{TITLES[t]} | s" for t in tools]
    yield f"| instance | {' | '.join(head)} | polyregions / nnenum | agree | counterexample exactly valid |"
    yield "|---|" + "---|---|" * len(tools) + "---|---|---|"
    for row in rows:
        results = row["results"]
        cells = [f"{results[t]['answer']} | {results[t]['seconds']:.2f}" if t in results else " | "
                 for t in tools]
        yield (f"| {row['instance']} | {' | '.join(cells)} | {ratio(results)} "
               f"| {agreement(results)} | {validity(results)} |")


def loaded(path):
    """The rows of an earlier ``--json`` file, by instance name."""
    if path is None:
        return {}
    return {row["instance"]: row for row in json.loads(pathlib.Path(path).read_text())["rows"]}


def run(instances, tools, timeout, nnenum, earlier, json_path):
    rows = []
    for instance in instances:
        results = {tool: check_loaded(instance.model, instance.prop, result)
                   for tool, result in earlier.get(instance.name, {}).get("results", {}).items()}
        for tool in tools:
            print(f"{instance.name}: {tool} ...", file=sys.stderr, flush=True)
            results[tool] = run_tool(tool, instance, timeout, nnenum)
        rows.append({"instance": instance.name, "family": instance.family,
                     "model": instance.model.name, "property": instance.prop.name,
                     "results": {t: results[t] for t in TOOLS if t in results}})
        if json_path:
            json_path.write_text(json.dumps({"timeout": timeout, "rows": rows}, indent=1) + "\n")
    return rows


def tool_list(text):
    tools = [t for t in text.split(",") if t]
    unknown = [t for t in tools if t not in TOOLS]
    if unknown:
        raise argparse.ArgumentTypeError(f"tools are {', '.join(TOOLS)}; got {text!r}")
    return tools


def positive(text):
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--vnn", type=pathlib.Path, default=None,
                        help="the VNN-COMP files (onnx/, vnnlib/); without it, small networks only")
    parser.add_argument("--nnenum", type=pathlib.Path, default=None, help="an nnenum checkout")
    parser.add_argument("--tools", type=tool_list, default=list(TOOLS),
                        help=f"comma-separated, of {', '.join(TOOLS)} (default: all; empty: "
                        "only the table of --load)")
    parser.add_argument("--timeout", type=positive, default=60, help="seconds per instance and tool")
    parser.add_argument("--quick", action="store_true", help="a handful of instances")
    parser.add_argument("--match", default="",
                        help="only the instances whose name contains this text")
    parser.add_argument("--json", type=pathlib.Path, default=None, help="write the raw results here")
    parser.add_argument("--load", type=pathlib.Path, default=None,
                        help="results of the tools not run now, from an earlier --json file")
    args = parser.parse_args(argv)
    if args.vnn is not None and not (args.vnn / "onnx").is_dir():
        parser.error(f"--vnn must hold onnx/ and vnnlib/, got {args.vnn}")
    if "nnenum" in args.tools and (args.nnenum is None or not (args.nnenum / "src" / "nnenum").is_dir()):
        parser.error(f"nnenum needs --nnenum CHECKOUT (with src/nnenum/), got {args.nnenum}")
    if not args.tools and args.load is None:
        parser.error("--tools is empty: give --load FILE to print its table")
    if args.load is not None and not args.load.is_file():
        parser.error(f"--load: no such file: {args.load}")
    return args


def main(argv=None):
    args = parse_args(argv)
    earlier = loaded(args.load)
    tools = [t for t in TOOLS if t in args.tools or any(t in r["results"] for r in earlier.values())]
    with tempfile.TemporaryDirectory(prefix="polyregions-vbench-") as folder:
        found = [i for i in vnn_instances.instances(args.vnn, folder, args.quick)
                 if args.match in i.name]
        rows = run(found, args.tools, args.timeout, args.nnenum, earlier, args.json)
    print(f"\n### Verification, one process per tool and instance, time limit {args.timeout} s\n")
    print("\n".join(table_rows(rows, tools)))


if __name__ == "__main__":
    main()
