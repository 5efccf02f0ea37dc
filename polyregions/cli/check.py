"""``polyregions check MODEL PROPERTY``: decide a VNN-LIB property of a model exactly.

The answer is ``holds`` (no input of the property's input set gives outputs
that satisfy its assertions), ``violated`` (with an exact counterexample,
re-checked here by exact evaluation before it is printed) or ``unknown``
(``--time-limit`` or ``--max-regions`` stopped the search first); the search
is :func:`~polyregions.verification.search.check_property`.

Exit status: 0 holds, 10 violated, 20 unknown (a limit was reached), 130
after Ctrl-C (the answer, ``unknown``, is printed first), 2 on bad input or
usage, 1 on any other failure; a counterexample that fails the exact re-check
is such a failure, never an answer.

``--counterexample FILE`` writes the VNN-COMP result file: ``sat`` and the
counterexample ``((X_0 v) ... (Y_0 v) ...)`` when violated, ``unsat`` when
the property holds, ``timeout`` or ``unknown`` when the search was stopped.
``--certificate FILE`` writes the proof of ``holds`` as JSON; for any other
answer it writes nothing and says so.
"""

import argparse
from typing import Any, Optional

from ..errors import ExportError, UsageError
from ..io.model import load_network
from ..io.vnnlib import Property, format_counterexample, read_property
from ..network import Network
from ..numbers import format_fraction, json_dumps
from .options import (
    Progress,
    Subcommands,
    add_command_parser,
    add_limit_options,
    add_workers_option,
    approximate,
    check_output_file,
    print_rows,
)
from .runs import STOPPED_BY, Deadline, exit_status

__all__ = ["add_parser", "run", "check_rows", "EXIT_STATUS", "CounterexampleRejected"]

#: The exit status of each answer (Ctrl-C gives 130 whatever the answer).
EXIT_STATUS = {"holds": 0, "violated": 10, "unknown": 20}

#: The search's stop reasons, as the other commands name them (``interrupt`` for Ctrl-C).
_STOP_REASON = {"time_limit": "time_limit", "max_regions": "max_regions", "interrupted": "interrupt"}


class CounterexampleRejected(RuntimeError):
    """The search's counterexample failed the exact re-check: a bug, reported as one (exit 1).

    Examples
    --------
    It is no :class:`~polyregions.errors.PolyregionsError`: it is a bug, never bad input.

    >>> from polyregions.errors import PolyregionsError
    >>> issubclass(CounterexampleRejected, PolyregionsError)
    False
    """


def add_parser(subparsers: Subcommands) -> argparse.ArgumentParser:
    """Add the ``check`` subcommand.

    Examples
    --------
    >>> from polyregions.cli.options import new_subcommands
    >>> subparsers = new_subcommands()
    >>> add_parser(subparsers).prog
    'polyregions check'
    """
    parser = add_command_parser(subparsers, "check", "decide a VNN-LIB property of a model exactly",
                                "Decide whether a model satisfies a VNN-LIB property: holds, "
                                "violated (with an exact counterexample) or unknown (a limit was "
                                "reached). Exit status 0, 10 or 20.", run)
    parser.add_argument("model", metavar="MODEL", help="JSON model file (format v1), .npz or .onnx")
    parser.add_argument("property", metavar="PROPERTY",
                        help="VNN-LIB property file (.vnnlib): its assertions describe a violation")
    add_limit_options(parser, "stop the search after N nodes (the answer is then unknown",
                      "end the whole command after about S seconds (the answer is then unknown")
    parser.add_argument("--counterexample", metavar="FILE",
                        help="write the VNN-COMP result file: 'sat' and the counterexample, "
                             "'unsat', or 'timeout'/'unknown'")
    parser.add_argument("--certificate", metavar="FILE",
                        help="when the property holds, write its proof (JSON); nothing otherwise")
    scale = parser.add_argument_group("scale")
    add_workers_option(scale)
    scale.add_argument("--dask", metavar="ADDRESS",
                       help="run the search's subtrees on a dask.distributed scheduler, or 'local' "
                            "for a LocalCluster")
    return parser


def run(args: argparse.Namespace) -> int:
    """Run ``check``; return the exit status.

    Examples
    --------
    >>> import contextlib, io, json, os, tempfile
    >>> from polyregions import LinearLayer, Network, ReluLayer, save_network
    >>> from polyregions.cli.main import build_parser
    >>> folder = tempfile.mkdtemp()
    >>> model, prop = os.path.join(folder, "model.json"), os.path.join(folder, "prop.vnnlib")
    >>> net = Network(1, [ReluLayer([[1], [-1]], [0, 0]), LinearLayer([[1, 1], [0, 0]], [0, 1])])
    >>> save_network(net, model)       # y0 = |x|, y1 = 1
    >>> with open(prop, "w") as f:     # a violation: y0 >= y1 somewhere in [-1, 1]
    ...     _ = f.write("(declare-const X_0 Real)(declare-const Y_0 Real)(declare-const Y_1 Real)"
    ...                 "(assert (>= X_0 -1))(assert (<= X_0 1))(assert (>= Y_0 Y_1))")
    >>> args = build_parser("check").parse_args(["check", model, prop, "--json"])
    >>> with contextlib.redirect_stdout(io.StringIO()) as out:
    ...     status = run(args)
    >>> status, json.loads(out.getvalue())["result"]
    (10, 'violated')
    """
    deadline = Deadline(args.time_limit)  # it bounds the whole command, loading included
    from ..enumeration.run import check_run_arguments
    from ..verification.search import check_property

    check_run_arguments(max_regions=args.max_regions, time_limit=args.time_limit, as_options=True)
    for path in (args.counterexample, args.certificate):
        if path is not None:
            check_output_file(path)
    network = load_network(args.model)
    prop = read_property(args.property)
    _check_dimensions(network, prop, args)
    with Progress(args, unit=" nodes") as progress:
        progress.phase("searching")
        report = check_property(network, prop, time_limit=deadline.remaining(),
                                max_regions=args.max_regions, proof=args.certificate is not None,
                                progress=progress.update, workers=args.workers, dask=args.dask)
    if report.result == "violated":
        _recheck(network, prop, report)
    summary = _summary(report, args)
    if args.counterexample is not None:
        _write(args.counterexample, _result_file(summary))
    if args.certificate is not None and report.proof is not None:
        _write(args.certificate, json_dumps(report.proof, separators=(",", ":")) + "\n")
    if args.json:
        print(json_dumps(summary))
    else:
        print(summary["result"])  # alone on the first line, for scripts that read one word
        print_rows(check_rows(summary, args.certificate))
    return exit_status(summary["stop_reason"]) or EXIT_STATUS[report.result]


def _check_dimensions(network: Network, prop: Property, args: argparse.Namespace) -> None:
    """Refuse, naming both files, a property declared for other input or output counts."""
    if (prop.n_inputs, prop.n_outputs) != (network.input_dim, network.output_dim):
        raise UsageError(f"{args.property} declares {prop.n_inputs} inputs and {prop.n_outputs} "
                         f"outputs, but the model {args.model} has {network.input_dim} inputs and "
                         f"{network.output_dim} outputs")


def _recheck(network: Network, prop: Property, report: Any) -> None:
    """Evaluate the counterexample exactly: it must give the reported outputs and violate `prop`."""
    inputs = report.inputs
    outputs = network.evaluate(inputs)
    if tuple(outputs) != tuple(report.outputs) or not prop.is_counterexample(inputs, outputs):
        raise CounterexampleRejected(
            f"the search reported the counterexample {[format_fraction(v) for v in inputs]}, but "
            f"its exact outputs {[format_fraction(v) for v in outputs]} do not violate the "
            "property as reported; no answer is given")


def _summary(report: Any, args: argparse.Namespace) -> dict:
    """The JSON object of ``check --json``."""
    counterexample = None
    if report.result == "violated":
        counterexample = {"inputs": [format_fraction(v) for v in report.inputs],
                          "outputs": [format_fraction(v) for v in report.outputs]}
    return {"result": report.result, "counterexample": counterexample, "case": report.case,
            "stop_reason": _STOP_REASON.get(report.stop_reason, report.stop_reason),
            "nodes": report.nodes, "leaves": report.leaves, "splits": report.splits,
            "exact_leaves": report.exact_leaves, "seconds": round(report.seconds, 6),
            "model": args.model, "property": args.property,
            "counterexample_file": args.counterexample,
            "certificate": args.certificate if report.proof is not None else None}


def _result_file(summary: dict) -> str:
    """The VNN-COMP result file of the answer: its first line, then a counterexample if any."""
    if summary["result"] == "violated":
        cex = summary["counterexample"]
        return "sat\n" + format_counterexample(cex["inputs"], cex["outputs"])
    if summary["result"] == "holds":
        return "unsat\n"
    return "timeout\n" if summary["stop_reason"] == "time_limit" else "unknown\n"


def _write(path: str, text: str) -> None:
    try:
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
    except OSError as err:
        raise ExportError.cannot_write(path, err) from None


def _values(names: str, values: list, rows: list[tuple[str, str]]) -> None:
    for i, value in enumerate(values):
        rows.append((f"{names}_{i}", f"{value}  [{approximate(value)}]"))


def _proof_row(summary: dict, certificate: Optional[str]) -> list[tuple[str, str]]:
    if certificate is None:
        return []
    if summary["certificate"] is not None:
        return [("proof written to", certificate)]
    why = ("the counterexample is the evidence" if summary["result"] == "violated"
           else "the search stopped before it proved the property")
    return [("proof", f"none written to {certificate}: {why}")]


def check_rows(summary: dict, certificate: Optional[str] = None) -> list[tuple[str, str]]:
    """The table of ``check`` (below the answer's own line) from its JSON object.

    `certificate` is the file ``--certificate`` named: the table says whether a
    proof was written to it.

    Examples
    --------
    >>> summary = {"result": "violated", "case": 0, "stop_reason": None, "nodes": 3,
    ...            "leaves": 2, "splits": 1, "exact_leaves": 0, "seconds": 0.01,
    ...            "counterexample": {"inputs": ["1/3"], "outputs": ["-2"]},
    ...            "counterexample_file": None, "certificate": None}
    >>> check_rows(summary)[:3]
    [('case', '0'), ('X_0', '1/3  [0.333333]'), ('Y_0', '-2  [-2]')]
    """
    rows: list[tuple[str, str]] = []
    if summary["result"] == "unknown":
        rows.append(("stopped by", f"{STOPPED_BY[summary['stop_reason']]}: nothing is proven "
                                   "either way"))
    if summary["counterexample"] is not None:
        rows.append(("case", str(summary["case"])))
        _values("X", summary["counterexample"]["inputs"], rows)
        _values("Y", summary["counterexample"]["outputs"], rows)
    rows += [("nodes", str(summary["nodes"])), ("leaves", str(summary["leaves"])),
             ("splits", str(summary["splits"])), ("exact leaves", str(summary["exact_leaves"])),
             ("seconds", f"{summary['seconds']:.3f}")]
    if summary["counterexample_file"] is not None:
        rows.append(("result file written to", summary["counterexample_file"]))
    return rows + _proof_row(summary, certificate)
