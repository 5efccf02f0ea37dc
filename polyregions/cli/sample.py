"""``polyregions sample --widths n0,n1,...,nL``: exact region counts over seeded random parameters.

One network is drawn per seed with an initialization; its regions are counted
exactly in a cube, and the histogram, mean, standard deviation and the bounds
of the architecture are reported.
"""

import argparse

from ..domain import Box
from ..enumeration.arguments import check_positive_integer
from ..enumeration.run import check_run_arguments
from .options import (
    Progress,
    Subcommands,
    add_architecture_options,
    add_command_parser,
    add_report_options,
    add_workers_option,
    check_architecture_options,
    print_report,
)

__all__ = ["add_parser", "run"]


def add_parser(subparsers: Subcommands) -> argparse.ArgumentParser:
    """Add the ``sample`` subcommand.

    Examples
    --------
    >>> from polyregions.cli.options import new_subcommands
    >>> subparsers = new_subcommands()
    >>> add_parser(subparsers).prog
    'polyregions sample'
    """
    parser = add_command_parser(subparsers, "sample", "exact counts over seeded random parameters",
                                "Draw one network per seed with an initialization, count its regions "
                                "exactly, and report the histogram, mean, standard deviation and the "
                                "bounds.", run)
    add_architecture_options(parser, "2,10,10")
    parser.add_argument("--init", default="maxout_he",
                        choices=("maxout_he", "he", "sphere", "many_regions"),
                        help="the initialization (default: %(default)s)")
    parser.add_argument("--zero-bias", action="store_true", help="set every bias to zero")
    parser.add_argument("--seeds", type=int, default=10, metavar="N",
                        help="seeds 0..N-1 (default: %(default)s)")
    parser.add_argument("--outputs", type=int, default=0, metavar="M",
                        help="a linear head with M outputs (M >= 2: decision-boundary pieces too; "
                             "default: %(default)s)")
    parser.add_argument("--box", nargs=2, default=("-3", "3"), metavar=("LO", "HI"),
                        help="count in the cube [LO, HI]^n0 (default: -3 3)")
    add_workers_option(parser)
    add_report_options(parser)
    return parser


def run(args: argparse.Namespace) -> int:
    """Run ``sample``; return the exit status.

    Examples
    --------
    >>> import contextlib, io, json
    >>> from polyregions.cli.main import build_parser
    >>> argv = ["sample", "--widths", "2,3", "--rank", "2", "--seeds", "2", "--json"]
    >>> args = build_parser("sample").parse_args(argv)
    >>> with contextlib.redirect_stdout(io.StringIO()) as out:
    ...     status = run(args)
    >>> status, json.loads(out.getvalue())["kind"]
    (0, 'maxout')
    """
    from ..params.sampling import sample_counts, sample_to_json

    check_architecture_options(args)
    check_positive_integer(args.seeds, "--seeds")
    check_run_arguments(workers=args.workers, as_options=True)
    widths = list(args.widths)
    domain = Box([args.box[0]] * widths[0], [args.box[1]] * widths[0])
    with Progress(args, unit=" seeds", total=args.seeds) as progress:
        sample = sample_counts(widths, args.kind, args.rank, args.init, args.seeds, domain,
                               outputs=args.outputs, zero_bias=args.zero_bias,
                               workers=args.workers, progress=progress.update)
    summary = sample_to_json(sample)
    print_report(args, summary, lambda: _rows(summary, args))
    return 0


def _rows(summary, args):
    stats, bounds = summary["summary"]["activation_regions"], summary["bounds"]
    exact = "exact maximum" if bounds["max_regions_is_exact"] else "upper bound"
    rows = [("network", " -> ".join(map(str, args.widths)) + f"  ({args.kind}, rank "
             f"{summary['rank']}, init {args.init}{', zero bias' if args.zero_bias else ''})"),
            ("seeds", str(len(summary["seeds"]))),
            ("regions mean", f"{stats['mean']}  (~{stats['mean_float']:.6g})"),
            ("regions std", f"{stats['std']:.6g}"),
            ("regions min / max", f"{stats['min']} / {stats['max']}"),
            ("histogram", ", ".join(f"{k}: {v}" for k, v in stats["histogram"].items())),
            ("max regions", f"{bounds['max_regions']}  ({exact})")]
    db = summary["summary"]["decision_boundary_pieces"]
    if db is not None:
        rows += [("db pieces mean", f"{db['mean']}  (~{db['mean_float']:.6g})"),
                 ("db pieces std", f"{db['std']:.6g}"),
                 ("db pieces min / max", f"{db['min']} / {db['max']}")]
    # A growth form is a shape with an unknown constant, not a bound: apart, and only where
    # the theorem's hypotheses hold (rank >= 2, at least n0 units), where its value is > 0.
    if summary["rank"] >= 2 and sum(args.widths[1:]) >= args.widths[0]:
        rows.append(("growth form, not a bound", f"E[regions] ~ C x {bounds['expected_regions_growth']}"
                     f"  (~{bounds['expected_regions_growth_float']:.6g}), C unknown"))
    return rows
