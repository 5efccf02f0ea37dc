"""``polyregions robust MODEL --point X [--norm inf|1] [--label C] [--eps E]``: the exact robustness radius.

The exact largest radius around the input ``X`` within which every input has
class ``C`` (by default the class of ``X``), in the L-infinity or L1 norm, with
the nearest input on the boundary of the other classes
(:func:`~polyregions.analysis.robustness.robustness_radius`). ``--eps E``
answers, exactly and along a path of its own
(:func:`~polyregions.analysis.robustness.robust_at`), whether every input with
``||x - X|| <= E`` has class ``C``, with an input of another class when not.
"""

import argparse
import re
from fractions import Fraction
from typing import Any

from ..enumeration.run import check_run_arguments
from ..errors import UsageError
from ..io.model import load_network
from .options import (
    Progress,
    Subcommands,
    add_command_parser,
    add_limit_options,
    add_workers_option,
    parse_point,
    print_report,
)
from .runs import STOPPED_BY, Deadline, exit_status

__all__ = ["add_parser", "run", "parse_label", "parse_max_radius", "robust_rows"]


def add_parser(subparsers: Subcommands) -> argparse.ArgumentParser:
    """Add the ``robust`` subcommand.

    Examples
    --------
    >>> from polyregions.cli.options import new_subcommands
    >>> subparsers = new_subcommands()
    >>> add_parser(subparsers).prog
    'polyregions robust'
    """
    parser = add_command_parser(
        subparsers, "robust", "the exact robustness radius of a classifier at an input",
        "The exact largest radius around --point within which every input has the class "
        "(the lowest-index largest output), with the nearest input of another class; "
        "--eps E answers whether every input within E has it.", run)
    parser.add_argument("model", metavar="MODEL", help="JSON model file (format v1), .npz or .onnx")
    parser.add_argument("--point", required=True, metavar="X",
                        help="the input, comma-separated exact numbers (e.g. 0,1/2,-0.25)")
    parser.add_argument("--norm", choices=("inf", "1"), default="inf",
                        help="the norm of the radius (default: %(default)s)")
    parser.add_argument("--label", metavar="C",
                        help="the class the radius is about (default: the class of --point)")
    parser.add_argument("--eps", metavar="E",
                        help="also answer whether every input within E of --point has the class")
    parser.add_argument("--max-radius", metavar="R", default=None,
                        help="search no farther than R, or 'inf' for the whole space "
                             "(default: 1024)")
    parser.add_argument("--start-radius", metavar="R",
                        help="the radius of the first ball searched (default: a guess from the "
                             "network's linearisation at --point)")
    add_limit_options(parser, "enumerate at most N regions in each search (then only bounds are "
                      "reported", "end the whole command after about S seconds (then only bounds "
                      "are reported")
    add_workers_option(parser)
    return parser


def parse_label(text: str | None) -> int | None:
    """The class of ``--label``: a non-negative integer, or None when not given.

    Examples
    --------
    >>> parse_label("2"), parse_label(None)
    (2, None)
    """
    if text is None:
        return None
    if not re.fullmatch(r"[0-9]+", text.strip()):
        raise UsageError(f"--label must be a class 0, 1, 2, ..., got {text!r}")
    return int(text)


def parse_max_radius(text: str | None) -> Any:
    """The ``max_radius`` of ``--max-radius``: the text of a number, None for ``inf``.

    Examples
    --------
    >>> parse_max_radius("inf") is None, parse_max_radius("10")
    (True, '10')
    """
    from ..analysis.robustness import DEFAULT_MAX_RADIUS

    if text is None:
        return DEFAULT_MAX_RADIUS
    return None if text.strip().lower() in ("inf", "infinity") else text


def run(args: argparse.Namespace) -> int:
    """Run ``robust``; return the exit status.

    Examples
    --------
    >>> import contextlib, io, json, os, tempfile
    >>> from polyregions import LinearLayer, Network, ReluLayer, save_network
    >>> from polyregions.cli.main import build_parser
    >>> model = os.path.join(tempfile.mkdtemp(), "model.json")
    >>> net = Network(1, [ReluLayer([[1], [-1]], [0, 0]), LinearLayer([[1, 1], [0, 0]], [0, 1])])
    >>> save_network(net, model)       # y0 = |x|, y1 = 1
    >>> args = build_parser("robust").parse_args(["robust", model, "--point", "1/4", "--json"])
    >>> with contextlib.redirect_stdout(io.StringIO()) as out:
    ...     status = run(args)
    >>> status, json.loads(out.getvalue())["radius"]
    (0, '3/4')
    """
    deadline = Deadline(args.time_limit)
    from ..analysis.robustness import robust_at, robustness_radius

    check_run_arguments(max_regions=args.max_regions, time_limit=args.time_limit,
                        workers=args.workers, as_options=True)
    network = load_network(args.model)
    point = parse_point(args.point, "--point")
    limits = dict(max_regions=args.max_regions, workers=args.workers, stop_on_interrupt=True)
    with Progress(args) as progress:
        progress.phase("searching")
        report = robustness_radius(network, point, args.norm, parse_label(args.label),
                                   max_radius=parse_max_radius(args.max_radius),
                                   start_radius=args.start_radius, progress=progress.update,
                                   time_limit=deadline.remaining(), **limits)
        summary = {"input_dim": network.input_dim, "output_dim": network.output_dim,
                   **report.to_json()}
        stops = [report.stop_reason]
        if args.eps is not None:
            progress.phase(f"checking eps {args.eps}")
            answer = robust_at(network, point, args.eps, args.norm, report.label,
                               progress=progress.update, time_limit=deadline.remaining(), **limits)
            summary.update(answer.to_json(), robust=_robust(report, answer))
            stops.append(answer.stop_reason)
    print_report(args, summary, lambda: robust_rows(summary))
    return exit_status(*stops)


def _robust(report: Any, answer: Any) -> bool | None:
    """The ``--eps`` answer: the ball's own, else what the radius decides; both must agree."""
    decided = report.decides(answer.eps)
    if answer.robust is not None and decided is not None and answer.robust != decided:
        raise RuntimeError(f"the radius {report.radius} and the ball of radius {answer.eps} "
                           "disagree")
    return answer.robust if answer.robust is not None else decided


def _approximate(exact: str) -> str:
    try:
        return f"{float(Fraction(exact)):.6g}"
    except OverflowError:
        return "beyond floats"


def _point(values: list[str]) -> str:
    return "(" + ", ".join(values) + ")"


def _radius_row(summary: dict) -> tuple[str, str]:
    status, norm = summary["status"], "L-inf" if summary["norm"] == "inf" else "L1"
    if status == "exact":
        return "radius", f"{summary['radius']} [{_approximate(summary['radius'])}] ({norm})"
    if status == "infinite":
        return "radius", f"inf: no input of another class anywhere ({norm})"
    if status == "beyond":
        return "radius", (f"at least {summary['searched_radius']}: no input of another class "
                          f"within it ({norm}); raise --max-radius, or give --max-radius inf")
    upper = "" if summary["upper_bound"] is None else f" and at most {summary['upper_bound']}"
    return "PARTIAL", (f"stopped by {STOPPED_BY[summary['stop_reason']]}: the radius is at "
                       f"least {summary['lower_bound']}{upper} ({norm})")


def robust_rows(summary: dict) -> list[tuple[str, str]]:
    """The table of ``robust`` from its JSON object.

    Examples
    --------
    >>> nearest = {"point": ["1"], "distance": "3/4", "class": 0, "attained": True}
    >>> summary = {"status": "exact", "norm": "inf", "radius": "3/4", "label": 1,
    ...            "point": ["1/4"], "nearest": nearest, "regions": 2}
    >>> robust_rows(summary)[0]
    ('radius', '3/4 [0.75] (L-inf)')
    """
    rows = [_radius_row(summary), ("class", f"{summary['label']} at {_point(summary['point'])}")]
    nearest = summary["nearest"]
    if nearest is not None:
        kind = "of another class" if nearest["attained"] else "a tie that still goes to the class"
        rows.append(("nearest", f"{_point(nearest['point'])}, class {nearest['class']}: {kind}"))
    if "robust" in summary:
        answer = {True: "yes", False: "no", None: "unknown (a limit stopped the search)"}
        rows.append((f"within {summary['eps']}", answer[summary["robust"]]))
        if summary["counterexample"] is not None:
            example = summary["counterexample"]
            rows.append(("counterexample", f"{_point(example['point'])}, class {example['class']}, "
                                           f"at distance {example['distance']}"))
    rows.append(("regions", str(summary["regions"])))
    return rows
