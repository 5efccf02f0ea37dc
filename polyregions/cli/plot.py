"""``polyregions plot MODEL [domain] -o FILE``: a figure of the regions of a 2-D domain or slice.

Regions are coloured so that neighbours differ, by linear region (``--color
linear``) or by predicted class (``--color class``), and
the decision boundary of a classifier is drawn unless ``--no-boundary``. The
figure needs matplotlib; it is not drawn when the analysis was cut, since it
would miss what was asked for.
"""

import argparse

from ..errors import UsageError
from .options import Subcommands, add_run_parser, check_output_file, network_and_domain, print_report
from .runs import Deadline, analysis_rows, enumerate_and_analyse, exit_status, result_summary

__all__ = ["add_parser", "run"]


def add_parser(subparsers: Subcommands) -> argparse.ArgumentParser:
    """Add the ``plot`` subcommand.

    Examples
    --------
    >>> from polyregions.cli.options import new_subcommands
    >>> subparsers = new_subcommands()
    >>> args = add_parser(subparsers).parse_args(["m.json", "--box", "-1", "1", "-o", "regions.png"])
    >>> args.output, args.color, args.no_boundary, args.view, args.html
    ('regions.png', 'region', False, None, None)
    """
    parser = add_run_parser(subparsers, "plot", "draw the regions of a 2-D domain or slice",
                            "Draw the exact activation regions of a 2-D domain or "
                            "slice, and the decision boundary of a classifier.", run)
    parser.add_argument("-o", "--output", metavar="FILE",
                        help="the figure file (.png, .pdf, .svg)")
    parser.add_argument("--html", metavar="FILE",
                        help="also (or instead) write an interactive page (.html, self-contained): "
                             "hover a region or edge for its exact data")
    parser.add_argument("--color", choices=("region", "linear", "class"), default="region",
                        help="colour the activation regions so that neighbours differ, by linear "
                             "region, or by predicted class with a legend (default: %(default)s)")
    parser.add_argument("--no-boundary", action="store_true",
                        help="do not draw the decision boundary")
    parser.add_argument("--view", nargs=4, metavar=("XLO", "XHI", "YLO", "YHI"),
                        help="show only this box (default: a bounded domain whole; with unbounded "
                             "regions a square around the bounded regions and the boundary)")
    return parser


def run(args: argparse.Namespace) -> int:
    """Run ``plot``; return the exit status.

    Examples
    --------
    >>> import pytest
    >>> _ = pytest.importorskip("matplotlib")
    >>> import contextlib, io, json, os, tempfile
    >>> from polyregions import Network, ReluLayer, save_network
    >>> from polyregions.cli.main import build_parser
    >>> folder = tempfile.mkdtemp()
    >>> model = os.path.join(folder, "model.json")
    >>> save_network(Network(2, [ReluLayer([[1, 0], [0, 1]], [0, 0])]), model)
    >>> figure = os.path.join(folder, "regions.png")
    >>> argv = ["plot", model, "--box", "-1", "1", "-o", figure, "--json"]
    >>> with contextlib.redirect_stdout(io.StringIO()) as out:
    ...     status = run(build_parser("plot").parse_args(argv))
    >>> with open(figure, "rb") as f:
    ...     png = f.read(8) == b"\\x89PNG\\r\\n\\x1a\\n"
    >>> status, json.loads(out.getvalue())["activation_regions"], png
    (0, 4, True)
    """
    deadline = Deadline(args.time_limit)
    from ..io.plot import plot_regions

    network, domain = _checked_inputs(args)
    want_linear = args.color == "linear"
    want_boundary = not args.no_boundary and network.output_dim >= 2
    result, phases = enumerate_and_analyse(network, domain, args, deadline,
                                           lambda result: _phases(result, want_linear, want_boundary,
                                                                  args.html is not None))
    groups = phases.finished.get("graph", {}).get("groups")
    boundary = phases.finished.get("decision boundary", {}).get("boundary")
    # A figure missing what was asked for would mislead: none is drawn when the work was cut.
    if phases.stop_reason is None and args.output is not None:
        # The graph already built gives the colouring its adjacency.
        plot_regions(phases.finished.get("graph", {}).get("graph", result), args.output,
                     color_by=args.color, groups=groups, boundary=boundary, view=args.view)
    if phases.stop_reason is None and args.html is not None:
        _write_html(args, phases.finished, boundary)
    summary = dict(result_summary(network, domain, result, phases),
                   file=args.output if phases.stop_reason is None else None,
                   html=args.html if phases.stop_reason is None else None,
                   linear_regions=len(groups) if groups is not None else None,
                   boundary_pieces=len(boundary) if boundary is not None else None)
    print_report(args, summary, lambda: _rows(summary, want_linear, want_boundary))
    return exit_status(result.stop_reason, phases.stop_reason)


def _checked_inputs(args):
    """The network and its 2-D domain; the figure path and view are checked before the work."""
    from ..io.plot import check_figure_path, view_box

    if args.output is None and args.html is None:
        raise UsageError("plot needs -o/--output FILE (a figure) or --html FILE (a page)")
    if args.output is not None:
        check_figure_path(args.output)  # also says when matplotlib is missing
        check_output_file(args.output)
    if args.html is not None:
        from ..io.html_plot import check_html_path

        check_html_path(args.html)  # also says when plotly is missing
        check_output_file(args.html)
    if args.view is not None:
        view_box(args.view)
    network, domain = network_and_domain(args)
    if domain.dim != 2:
        raise UsageError(f"plot draws 2-D domains or slices; this domain is {domain.dim}-D "
                         "(use --slice P1 P2 P3 --box LO HI)")
    return network, domain


def _write_html(args, finished, boundary):
    from ..io.html_plot import write_html_plot

    found = finished.get("decision boundary", {}).get("found")
    write_html_plot(finished["graph"]["graph"], args.html, boundary=boundary,
                    classes=found.region_classes if found is not None else None,
                    color_by=args.color, view=args.view)


def _phases(result, want_linear, want_boundary, html=False):
    """The graph (with the linear regions) and decision-boundary phases the figure needs.

    The page (`html`) needs the graph with the exact volumes, and the predicted
    classes of a classifier even when its boundary is not drawn.
    """
    from ..analysis.decision import decision_boundary
    from ..analysis.graph import region_graph
    from ..analysis.linear import linear_regions

    def graph(callback, finished):
        found = region_graph(result, volumes=html, facet_measures=False, progress=callback)
        return {"graph": found, "groups": linear_regions(found) if want_linear else None}

    def boundary(callback, finished):
        # Pieces carry their rays, so unbounded pieces are drawn too.
        found = decision_boundary(result, finished["graph"]["graph"], progress=callback)
        return {"boundary": list(found.pieces) if want_boundary else None, "found": found}

    classes = want_boundary or (html and result.network.output_dim >= 2)
    steps = [("graph", graph)]  # the colouring needs the adjacency in every mode
    return steps + ([("decision boundary", boundary)] if classes else [])


def _rows(summary, want_linear, want_boundary):
    rows = [("activation regions", str(summary["activation_regions"]))]
    if summary["linear_regions"] is not None:
        rows.append(("linear regions", str(summary["linear_regions"])))
    if summary["boundary_pieces"] is not None:
        rows.append(("boundary pieces", str(summary["boundary_pieces"])))
    missing = [label for label, wanted, value in
               (("linear regions", want_linear, summary["linear_regions"]),
                ("boundary pieces", want_boundary, summary["boundary_pieces"]))
               if wanted and value is None]
    return rows + analysis_rows(summary, missing + ["the figure"]) + [
        ("written", ", ".join(f for f in (summary["file"], summary["html"]) if f) or "-")]
