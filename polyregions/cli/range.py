"""``polyregions range MODEL [domain] [--objective "c0 c1 ... [d]"]``: exact output ranges.

The exact minimum and maximum of each output (or of the objective
``c . y + d``) over the domain, each with an exact input attaining it, or
``-inf``/``inf`` with a ray along which the output is unbounded
(:func:`~polyregions.analysis.ranges.output_ranges`). The regions are streamed,
so memory stays flat; a limit makes the report partial, and it says so.
``--out`` streams each region's output polytope to a file
(:class:`~polyregions.io.reachable.ReachableWriter`).
"""

import argparse
import re
from collections.abc import Sequence
from contextlib import nullcontext
from typing import Any

from ..domain import Domain
from ..errors import UsageError
from ..io.model import load_network
from ..network import Network
from .options import (
    Progress,
    Subcommands,
    add_run_parser,
    approximate,
    check_output_file,
    domain_from_args,
    print_report,
)
from .runs import STOPPED_BY, Deadline, exit_status, run_options

__all__ = ["add_parser", "run", "objective_values", "range_rows"]


def add_parser(subparsers: Subcommands) -> argparse.ArgumentParser:
    """Add the ``range`` subcommand.

    Examples
    --------
    >>> from polyregions.cli.options import new_subcommands
    >>> subparsers = new_subcommands()
    >>> add_parser(subparsers).prog
    'polyregions range'
    """
    parser = add_run_parser(subparsers, "range", "the exact range of each output of a model in a domain",
                            "The exact minimum and maximum of each output (or of one linear "
                            "objective) over the domain, with inputs attaining them.", run)
    parser.add_argument("--objective", metavar='"c0 c1 ... [d]"',
                        help="range c . y + d instead of each output: one exact weight per output, "
                             "then optionally the constant d, separated by blanks or commas "
                             "(a JSON list such as [1, -1, 0] is read too)")
    parser.add_argument("--out", metavar="FILE",
                        help="stream each region's output polytope (the reachable set, region by "
                             "region) to a JSON-lines file as the regions are found")
    return parser


def objective_values(text: str) -> list[str]:
    """The numbers of ``--objective``: separated by blanks or commas, optionally inside ``[ ]``.

    Examples
    --------
    >>> objective_values("1 -1/2, 3")
    ['1', '-1/2', '3']
    >>> objective_values('["1/2", -1]')
    ['1/2', '-1']
    """
    inner = text.strip()
    if inner.startswith("[") and inner.endswith("]"):
        inner = inner[1:-1]
    values = [v.strip('"') for v in re.split(r"[\s,]+", inner.strip()) if v]
    if not values:
        raise UsageError(f"--objective {text!r} holds no number: give one weight per output, "
                         "then optionally a constant")
    return values


def run(args: argparse.Namespace) -> int:
    """Run ``range``; return the exit status.

    Examples
    --------
    >>> import contextlib, io, json, os, tempfile
    >>> from polyregions import LinearLayer, Network, ReluLayer, save_network
    >>> from polyregions.cli.main import build_parser
    >>> model = os.path.join(tempfile.mkdtemp(), "model.json")
    >>> net = Network(1, [ReluLayer([[1], [-1]], [0, 0]), LinearLayer([[1, 1], [0, 0]], [0, 1])])
    >>> save_network(net, model)       # y0 = |x|, y1 = 1
    >>> args = build_parser("range").parse_args(["range", model, "--box", "-2", "1", "--json"])
    >>> with contextlib.redirect_stdout(io.StringIO()) as out:
    ...     status = run(args)
    >>> status, json.loads(out.getvalue())["regions"]
    (0, 2)
    """
    deadline = Deadline(args.time_limit)  # it bounds the whole command, loading included
    from ..analysis.ranges import check_range_dimension, output_ranges, parse_objective

    network = load_network(args.model)
    if args.slice is None:
        # Refused before the domain is built: a box's own vertices are already 2^n.
        check_range_dimension(network.input_dim)
    domain = domain_from_args(args, network.input_dim)
    objective = None
    if args.objective is not None:
        objective = objective_values(args.objective)
        parse_objective(objective, network.output_dim)  # a bad objective fails before the work
    options = run_options(network, domain, args, deadline)
    if args.out is not None:
        check_output_file(args.out)
    with Progress(args) as progress, _reachable_writer(args.out, network, domain) as writer:
        progress.phase("enumerating")
        report = output_ranges(network, domain, objective, progress=progress.update,
                               on_region=None if writer is None else writer.write, **options)
        if writer is not None:
            writer.close(report.stop_reason)
    summary = {
        "input_dim": network.input_dim,
        "output_dim": network.output_dim,
        "domain": domain.to_spec(),
        "objective": None if report.objective is None else [str(v) for v in report.objective],
        "outputs": [output.to_json() for output in report.outputs],
        "complete": report.complete,
        "stop_reason": report.stop_reason,
        "regions": report.regions,
        "seconds": round(report.seconds, 6),
        "out": args.out,
    }
    print_report(args, summary, lambda: range_rows(summary))
    return exit_status(report.stop_reason)


def _reachable_writer(path: str | None, network: Network, domain: Domain) -> Any:
    """The writer of ``--out`` (a context manager), or a context holding None without it."""
    if path is None:
        return nullcontext()
    from ..io.reachable import ReachableWriter

    return ReachableWriter(path, network, domain)


def _point(values: Sequence[str]) -> str:
    return "(" + ", ".join(values) + ")"


def _end(word: str, value: str, point: Any, ray: Any) -> str:
    if ray is not None:
        return f"{word} {value} along {_point(ray['point'])} + t {_point(ray['direction'])}"
    return f"{word} {value} [{approximate(value)}] at {_point(point)}"


def range_rows(summary: dict) -> list[tuple[str, str]]:
    """The table of ``range`` from its JSON object: one row per output, and what was seen.

    Examples
    --------
    >>> output = {"name": "y0", "min": "0", "max": "2", "argmin": ["0"], "argmax": ["-2"],
    ...           "min_ray": None, "max_ray": None}
    >>> range_rows({"outputs": [output], "regions": 2, "complete": True, "stop_reason": None})[0]
    ('y0', 'min 0 [0] at (0)   max 2 [2] at (-2)')
    """
    rows = []
    if not summary["complete"]:  # first, so that no one reads the lines below as the range
        rows.append(("PARTIAL", f"stopped by {STOPPED_BY[summary['stop_reason']]}: min and max over "
                                f"the {summary['regions']} regions found only; the range may be wider"))
    rows += [(o["name"], _end("min", o["min"], o["argmin"], o["min_ray"]) + "   "
              + _end("max", o["max"], o["argmax"], o["max_ray"])) for o in summary["outputs"]]
    rows.append(("regions", str(summary["regions"])))
    if summary.get("out"):
        rows.append(("output polytopes written to", summary["out"]))
    return rows
