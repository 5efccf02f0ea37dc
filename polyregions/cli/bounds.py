"""``polyregions bounds --widths n0,n1,...,nL [--rank K] [--relu]``: bounds on the region count.

Exact upper and lower bounds on the maximum number of activation regions of an
architecture, and the expected-value growth forms (:mod:`polyregions.bounds`).
"""

import argparse

from ..numbers import json_dumps
from .options import (
    Subcommands,
    add_json_option,
    add_rank_option,
    add_widths_option,
    cell_text,
    check_relu_rank,
    print_rows,
)

__all__ = ["add_parser", "run", "bound_rows", "growth_rows"]


def add_parser(subparsers: Subcommands) -> argparse.ArgumentParser:
    """Add the ``bounds`` subcommand.

    Examples
    --------
    >>> from polyregions.cli.options import new_subcommands
    >>> subparsers = new_subcommands()
    >>> add_parser(subparsers).prog
    'polyregions bounds'
    """
    parser = subparsers.add_parser("bounds", help="theoretical bounds on the number of regions",
                                   description="Exact upper and lower bounds on the maximum number "
                                               "of activation regions, and the expected-value "
                                               "growth forms, for an architecture "
                                               "(see docs/theory.md).")
    add_widths_option(parser, "2,3 or 2,7,7,6")
    add_rank_option(parser)
    parser.add_argument("--relu", action="store_true",
                        help="every unit is a ReLU max(0, z): also use Serra et al.'s ReLU bound")
    add_json_option(parser)
    parser.set_defaults(func=run)
    return parser


def run(args: argparse.Namespace) -> int:
    """Run ``bounds``; return the exit status.

    Examples
    --------
    >>> import contextlib, io, json
    >>> from polyregions.cli.main import build_parser
    >>> args = build_parser("bounds").parse_args(["bounds", "--widths", "2,3", "--rank", "3", "--json"])
    >>> with contextlib.redirect_stdout(io.StringIO()) as out:
    ...     status = run(args)
    >>> status, json.loads(out.getvalue())["max_regions"]
    (0, 19)
    """
    from ..bounds import bounds_report, report_to_json

    check_relu_rank("--relu" if args.relu else None, args.rank)
    summary = report_to_json(bounds_report(list(args.widths), args.rank, relu=args.relu))
    if args.json:
        print(json_dumps(summary))
        return 0
    kind = "ReLU" if args.relu else f"maxout rank {args.rank}"
    exact = "exact maximum" if summary["max_regions_is_exact"] else "upper bound"
    print_rows([("network", " -> ".join(map(str, args.widths)) + f"  ({kind})"),
                ("max regions", f"{cell_text(summary['max_regions'])}  ({exact})")]
               + bound_rows(summary) + growth_rows(summary))
    return 0


def bound_rows(report: dict) -> list[tuple[str, str]]:
    """The table rows of the upper and lower bounds of a bounds report (as JSON).

    Examples
    --------
    >>> from polyregions.bounds import bounds_report, report_to_json
    >>> bound_rows(report_to_json(bounds_report([2, 3], [3])))[0]
    ('  upper: deep_product', '19')
    """
    rows = [(f"  upper: {name}", cell_text(v)) for name, v in report["upper_bounds"].items()
            if v is not None]
    return rows + [(f"  lower: {name}", cell_text(v)) for name, v in report["lower_bounds"].items()
                   if v is not None]


def growth_rows(report: dict, db: bool = True) -> list[tuple[str, str]]:
    """The table rows of the growth forms of a bounds report (as JSON), under their own heading.

    Growth forms are the shapes the expected counts follow up to constants the
    theorem leaves unknown, not bounds: they are labelled so, and only a note is
    shown where the theorem's hypotheses fail (a unit of rank 1, fewer units than
    inputs). `db` adds the decision-boundary forms.

    Examples
    --------
    >>> from polyregions.bounds import bounds_report, report_to_json
    >>> growth_rows(report_to_json(bounds_report((2, 3), 2)))[1]
    ('  E[regions] ~ C x', '18')
    >>> growth_rows(report_to_json(bounds_report((2, 3), 1)))[0][0]
    'growth forms'
    >>> growth_rows(report_to_json(bounds_report((2, 3), 1)))[0][1]
    'none: the theorem needs units of rank K >= 2 and N >= n0 of them'
    """
    if not report.get("growth_forms_apply", True):
        return [("growth forms", "none: the theorem needs units of rank K >= 2 and N >= n0 of them")]

    def show(key):
        value = report[key]
        if isinstance(value, str):
            return f"{value}  (~{report[key + '_float']:.6g})"
        return cell_text(value)

    rows = [("growth forms, not bounds", "E[count] ~ C x form, C unknown (C_bias, C_grad, volume)"),
            ("  E[regions] ~ C x", show("expected_regions_growth")),
            ("    without K", show("expected_regions_growth_without_rank"))]
    if db:
        rows += [("  E[db pieces] ~ C x", show("expected_db_growth")),
                 ("    without K", show("expected_db_growth_without_rank"))]
    return rows
