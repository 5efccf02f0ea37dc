"""``polyregions cells MODEL [domain] --bias L:U[:P] --range LO HI``: cells of a bias slice.

Chosen bias entries vary over ``[LO, HI]`` with the weights fixed; the slice is
split exactly into the cells on which the set of activation patterns, hence
the region count, is constant. ``--plot`` draws the cell map (2-D) or the count
over the bias (1-D).
"""

import argparse
import re
import time

from ..enumeration.run import check_run_arguments
from ..errors import LimitReached, UsageError
from ..io.model import load_network
from ..numbers import format_fraction, json_dumps, to_fraction
from .options import (
    Progress,
    Subcommands,
    add_limit_options,
    add_model_parser,
    add_workers_option,
    check_output_file,
    domain_from_args,
    print_rows,
)
from .runs import STOPPED_BY, Deadline, exit_status

__all__ = ["add_parser", "run", "parse_bias_entries"]


def add_parser(subparsers: Subcommands) -> argparse.ArgumentParser:
    """Add the ``cells`` subcommand.

    Examples
    --------
    >>> from polyregions.cli.options import new_subcommands
    >>> subparsers = new_subcommands()
    >>> args = add_parser(subparsers).parse_args(["m.json", "--box", "-1", "1", "--bias", "0:0",
    ...                                            "--range", "-2", "2"])
    >>> args.bias, args.range, args.plot, args.table, args.workers
    (['0:0'], ['-2', '2'], None, False, 1)
    """
    parser = add_model_parser(subparsers, "cells", "parameter cells of a bias slice",
                              "Vary chosen bias entries over [LO, HI] (weights fixed) "
                              "and split the slice exactly into the cells on which the "
                              "set of activation patterns, hence the count, is constant.", run)
    parser.add_argument("--bias", action="append", metavar="L:U[:P]",
                        help="a bias entry to vary: layer L, unit U, piece P (maxout only); "
                             "repeat for a 2-D (or higher) slice")
    parser.add_argument("--range", nargs=2, metavar=("LO", "HI"), required=True,
                        help="every varied bias takes values in [LO, HI]")
    parser.add_argument("--plot", metavar="FILE",
                        help="draw the cell map (2-D) or the count over the bias (1-D)")
    parser.add_argument("--table", action="store_true",
                        help="print one row per cell (the default without --plot)")
    add_limit_options(parser, "stop the enumeration of the augmented network after N regions "
                              "(no cells are then computed, and the table says so",
                      "stop after about S seconds (no cells are then computed, and the table "
                      "says so")
    add_workers_option(parser)
    return parser


def parse_bias_entries(texts: list[str]) -> list[tuple[int, ...]]:
    """``--bias L:U[:P]`` values as integer tuples.

    Raises
    ------
    UsageError
        When there is none, or one is not two or three non-negative integers.

    Examples
    --------
    >>> parse_bias_entries(["0:1", "1:0:2"])
    [(0, 1), (1, 0, 2)]
    """
    if not texts:
        raise UsageError("cells needs at least one --bias L:U[:P]")
    entries = []
    for text in texts:
        parts = text.split(":")
        if len(parts) not in (2, 3) or not all(re.fullmatch(r"[0-9]+", p.strip()) for p in parts):
            raise UsageError(f"--bias {text!r} must be L:U or L:U:P (non-negative integers)")
        entries.append(tuple(int(p) for p in parts))
    return entries


def run(args: argparse.Namespace) -> int:
    """Run ``cells``; return the exit status.

    Examples
    --------
    >>> import contextlib, io, json, os, tempfile
    >>> from polyregions import Network, ReluLayer, save_network
    >>> from polyregions.cli.main import build_parser
    >>> folder = tempfile.mkdtemp()
    >>> model = os.path.join(folder, "model.json")
    >>> save_network(Network(1, [ReluLayer([[1]], [0])]), model)    # max(x + b, 0)
    >>> argv = ["cells", model, "--box", "-1", "1", "--bias", "0:0", "--range", "-2", "2", "--json"]
    >>> with contextlib.redirect_stdout(io.StringIO()) as out:
    ...     status = run(build_parser("cells").parse_args(argv))
    >>> cells = json.loads(out.getvalue())["cells"]     # the kink -b lies in (-1, 1) iff |b| < 1
    >>> status, [(c["activation_regions"], c["measure"]) for c in cells]
    (0, [(1, '1'), (2, '2'), (1, '1')])
    """
    from ..params.cells import bias_slice_cells

    deadline = Deadline(args.time_limit)  # it bounds the whole command, loading included
    check_run_arguments(max_regions=args.max_regions, time_limit=args.time_limit,
                        workers=args.workers, as_options=True)
    entries = parse_bias_entries(args.bias)
    if args.plot is not None:
        _check_plot(args.plot, entries)
    network = load_network(args.model)
    domain = domain_from_args(args, network.input_dim)
    lower, upper = args.range
    start = time.perf_counter()
    try:
        with Progress(args) as progress:
            cells = bias_slice_cells(network, domain, entries, lower, upper,
                                     progress=progress.update, max_regions=args.max_regions,
                                     time_limit=deadline.remaining(), stop_on_interrupt=True,
                                     workers=args.workers)
    except LimitReached as stop:
        return _report_stop(args, entries, domain, stop, time.perf_counter() - start)
    seconds = time.perf_counter() - start
    lo, hi = to_fraction(lower), to_fraction(upper)  # valid: bias_slice_cells read them
    if args.plot is not None:
        from ..io.plot import plot_cells

        plot_cells(cells, args.plot, lower=lo, upper=hi, entries=entries)
    summary = _summary(entries, (lo, hi), domain, cells, args.plot, seconds)
    if args.json:
        print(json_dumps(summary))
    else:
        _print_table(summary, cells, args.plot, args.table or args.plot is None)
    return 0


def _report_stop(args, entries, domain, stop, seconds):
    """What a stopped run reports: no cells, marked so, and why; the exit status."""
    summary = {"bias": [":".join(map(str, e)) for e in entries],
               "range": [format_fraction(to_fraction(v)) for v in args.range],
               "domain": domain.to_spec(), "complete": False,
               "stop_reason": stop.stop_reason, "augmented_regions": stop.regions,
               "count": None, "cells": None, "file": None, "seconds": round(seconds, 6)}
    if args.json:
        print(json_dumps(summary))
    else:
        print_rows([("bias entries", ", ".join(summary["bias"])),
                    ("range", f"[{summary['range'][0]}, {summary['range'][1]}]"),
                    ("cells", f"NOT COMPUTED: stopped by {STOPPED_BY[stop.stop_reason]} after "
                              f"{stop.regions} regions of the augmented network")])
    return exit_status(stop.stop_reason)


def _check_plot(path, entries):
    """Refuse, before the work, a cell map that cannot be drawn or written."""
    from ..io.plot import check_figure_path

    if len(entries) > 2:
        raise UsageError(f"--plot draws 1-D and 2-D slices, this one is {len(entries)}-D")
    check_figure_path(path)
    check_output_file(path)


def _cell_json(cell):
    return {"activation_regions": cell.activation_regions,
            "measure": format_fraction(cell.measure),
            "interior_point": [format_fraction(v) for v in cell.interior_point],
            "neighbours": list(cell.neighbours),
            "convex": cell.polytope is not None,
            "pieces": [[[format_fraction(v) for v in r] for r in p.rows] for p in cell.pieces]}


def _summary(entries, bias_range, domain, cells, plot, seconds):
    return {
        "bias": [":".join(map(str, e)) for e in entries],
        "range": [format_fraction(v) for v in bias_range],
        "domain": domain.to_spec(),
        "complete": True,
        "stop_reason": None,
        "count": len(cells),
        "cells": [_cell_json(c) for c in cells],
        "file": plot,
        "seconds": round(seconds, 6),
    }


def _print_table(summary, cells, plot, rows):
    counts = [c.activation_regions for c in cells]
    print_rows([("bias entries", ", ".join(summary["bias"])),
                ("range", f"[{summary['range'][0]}, {summary['range'][1]}]"),
                ("cells", str(len(cells))),
                ("regions", f"{min(counts)} to {max(counts)}")])
    if rows:
        _print_cells(cells)
    if plot is not None:
        print(f"\nwritten {plot}")


def _print_cells(cells):
    print()
    print(f"{'cell':>4}  {'regions':>7}  {'measure':>12}  {'interior point':<24}  neighbours")
    for c in cells:
        point = "(" + ", ".join(format_fraction(v) for v in c.interior_point) + ")"
        print(f"{c.index:>4}  {c.activation_regions:>7}  {format_fraction(c.measure):>12}  "
              f"{point:<24}  {' '.join(map(str, c.neighbours)) or '-'}")
