"""``polyregions experiment NAME [--quick] [--out DIR]``: one of the seed paper's experiments.

Runs the experiment (:mod:`polyregions.experiments`) and writes its figure (PNG
and PDF) and its numbers (CSV and JSON, with the seeds and versions used) to a
folder. ``--quick`` runs small settings in seconds; the full mode is what
docs/experiments.md shows. Ctrl-C or ``--time-limit`` keeps the finished work:
the files are written from it and marked partial.
"""

import argparse
import sys

from ..numbers import json_dumps
from .options import (
    Progress,
    Subcommands,
    add_command_parser,
    add_report_options,
    add_workers_option,
    check_output_folder,
    print_rows,
)

__all__ = ["add_parser", "run"]


def add_parser(subparsers: Subcommands) -> argparse.ArgumentParser:
    """Add the ``experiment`` subcommand.

    Examples
    --------
    >>> from polyregions.cli.options import new_subcommands
    >>> subparsers = new_subcommands()
    >>> add_parser(subparsers).prog
    'polyregions experiment'
    """
    from ..experiments.registry import EXPERIMENTS

    names = ", ".join(EXPERIMENTS)
    parser = add_command_parser(subparsers, "experiment", "run one of the seed paper's experiments",
                                "Run one of the seed paper's experiments and write its figure "
                                "(PNG, PDF) and numbers (CSV, JSON with the seeds and versions) "
                                f"to a folder. Experiments: {names}.", run)
    parser.add_argument("name", metavar="NAME", help=f"the experiment: {names}")
    parser.add_argument("--quick", action="store_true",
                        help="small settings that run in seconds (default: the full run)")
    parser.add_argument("--out", metavar="DIR",
                        help="the folder for the files (default: experiments/NAME)")
    parser.add_argument("--redraw", action="store_true",
                        help="draw the figure again from the numbers already in the folder "
                             "(nothing is recomputed)")
    parser.add_argument("--time-limit", type=float, metavar="S",
                        help="start no new work unit after S seconds; the files are then marked "
                             "partial (default: no limit)")
    add_workers_option(parser)
    add_report_options(parser)
    return parser


def run(args: argparse.Namespace) -> int:
    """Run ``experiment``; return the exit status.

    Examples
    --------
    >>> import contextlib, io, json, tempfile
    >>> import pytest
    >>> _ = pytest.importorskip("matplotlib")
    >>> from polyregions.cli.main import build_parser
    >>> argv = ["experiment", "count-distributions", "--quick", "--out", tempfile.mkdtemp(), "--json"]
    >>> with contextlib.redirect_stdout(io.StringIO()) as out:
    ...     status = run(build_parser("experiment").parse_args(argv))
    >>> status, json.loads(out.getvalue())["partial"]
    (0, False)
    """
    from ..errors import UsageError
    from ..experiments.registry import EXPERIMENTS
    from ..experiments.runner import check_needs, redraw_experiment, run_experiment

    experiment = EXPERIMENTS.get(args.name)
    if experiment is None:
        raise UsageError(f"unknown experiment {args.name!r}; choose one of {', '.join(EXPERIMENTS)}")
    check_needs(experiment)
    folder = args.out or f"experiments/{args.name}"
    if args.redraw:
        files = redraw_experiment(experiment, folder)
        if args.json:
            print(json_dumps({"experiment": experiment.name, "files": [str(p) for p in files]}))
        else:
            print_rows([("written", str(p)) for p in files])
        return 0
    check_output_folder(folder, "--out")
    with Progress(args, unit=" units") as progress:
        result = run_experiment(experiment, folder, quick=args.quick, workers=args.workers,
                                time_limit=args.time_limit, progress=progress.update)
    summary = {"experiment": result.name, "quick": args.quick, "partial": result.partial,
               "interrupted": result.interrupted,
               "units_done": result.units_done, "units_total": result.units_total,
               "seconds": round(result.seconds, 3), "files": [str(p) for p in result.files],
               "summary": result.summary}
    if args.json:
        print(json_dumps(summary))
    else:
        print_rows([("experiment", f"{result.name}{' (quick)' if args.quick else ''}"),
                    ("work units", f"{result.units_done} of {result.units_total}"
                                   + ("  (PARTIAL: stopped early)" if result.partial else "")),
                    ("seconds", f"{result.seconds:.1f}")]
                   + [("written", str(p)) for p in result.files])
    if result.interrupted:
        print("polyregions: interrupted; the files hold the finished work, marked partial",
              file=sys.stderr)
        return 130
    return 0
