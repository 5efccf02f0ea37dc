"""``polyregions graph MODEL [domain] [--export PATH]``: the region adjacency graph, exported.

Nodes are the regions, edges their shared facets; the graph is written as
``.graphml``, ``.gexf``, ``.json`` (node-link) or ``.zip`` (cddlib ``.ine`` and
``.ext`` files per region).
"""

import argparse

from .options import Subcommands, add_run_parser, check_output_file, network_and_domain, print_report
from .runs import Deadline, analysis_rows, enumerate_and_analyse, exit_status, result_summary

__all__ = ["add_parser", "run"]


def add_parser(subparsers: Subcommands) -> argparse.ArgumentParser:
    """Add the ``graph`` subcommand.

    Examples
    --------
    >>> from polyregions.cli.options import new_subcommands
    >>> subparsers = new_subcommands()
    >>> add_parser(subparsers).prog
    'polyregions graph'
    """
    parser = add_run_parser(subparsers, "graph", "build the region adjacency graph and export it",
                            "Enumerate the regions, build their adjacency graph "
                            "(nodes: regions, edges: shared facets) and write it.", run)
    parser.add_argument("--export", metavar="PATH",
                        help="write the graph: .graphml, .gexf, .json (node-link) or .zip "
                             "(one cddlib .ine and .ext file per region)")
    return parser


def run(args: argparse.Namespace) -> int:
    """Run ``graph``; return the exit status.

    Examples
    --------
    >>> import contextlib, io, json, os, tempfile
    >>> from polyregions import LinearLayer, Network, ReluLayer, save_network
    >>> from polyregions.cli.main import build_parser
    >>> model = os.path.join(tempfile.mkdtemp(), "model.json")
    >>> net = Network(1, [ReluLayer([[1], [-1]], [0, 0]), LinearLayer([[1, 1], [0, 0]], [0, 1])])
    >>> save_network(net, model)       # y0 = |x|, y1 = 1
    >>> args = build_parser("graph").parse_args(["graph", model, "--box", "-2", "1", "--json"])
    >>> with contextlib.redirect_stdout(io.StringIO()) as out:
    ...     status = run(args)
    >>> status, json.loads(out.getvalue())["edges"]
    (0, 1)
    """
    deadline = Deadline(args.time_limit)
    from ..analysis.graph import boundary_facet_count, region_graph
    from ..io.graph_file import export_format, write_graph

    if args.export is not None:
        export_format(args.export)  # a bad suffix fails before the work, not after
        check_output_file(args.export)
    network, domain = network_and_domain(args)
    result, phases = enumerate_and_analyse(network, domain, args, deadline, lambda result: [
        ("graph", lambda callback, finished: {"graph": region_graph(result, progress=callback)})])
    built = phases.finished.get("graph", {}).get("graph")
    if built is not None and args.export is not None:
        write_graph(built, args.export)
    summary = dict(result_summary(network, domain, result, phases),
                   file=args.export if built is not None else None,
                   edges=None if built is None else built.number_of_edges(),
                   boundary_facets=None if built is None else boundary_facet_count(built))
    print_report(args, summary, lambda: _rows(summary, args.export))
    return exit_status(result.stop_reason, phases.stop_reason)


def _rows(summary: dict, export: str) -> list[tuple[str, str]]:
    partial = "" if summary["complete"] else "  (partial: at least this many)"
    rows = [("activation regions", f"{summary['activation_regions']}{partial}"),
            ("bounded regions", str(summary["bounded_regions"]))]
    if summary["edges"] is not None:
        rows += [("edges (shared facets)", str(summary["edges"])),
                 ("boundary facets", str(summary["boundary_facets"]))]
    rows += analysis_rows(summary, ["edges, boundary facets"] + (["the export"] if export else []))
    return rows + [("written", summary["file"] or "-")]
