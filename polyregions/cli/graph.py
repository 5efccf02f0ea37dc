"""``polyregions graph MODEL [domain] [--export PATH]``: the region adjacency graph, exported.

Nodes are the regions, edges their shared facets; the graph is written as
``.graphml``, ``.gexf``, ``.json`` (node-link) or ``.zip`` (cddlib ``.ine`` and
``.ext`` files per region).
"""

import argparse

from ..io.model import load_network
from ..numbers import json_dumps
from .options import (
    Progress,
    Subcommands,
    add_model_parser,
    add_run_options,
    check_output_file,
    domain_from_args,
    print_rows,
)
from .runs import Deadline, analysis_rows, enumerate_with_options, exit_status, result_summary, run_phases

__all__ = ["add_parser", "run"]


def add_parser(subparsers: Subcommands) -> argparse.ArgumentParser:
    """Add the ``graph`` subcommand."""
    parser = add_model_parser(subparsers, "graph", "build the region adjacency graph and export it",
                              "Enumerate the regions, build their adjacency graph "
                              "(nodes: regions, edges: shared facets) and write it.")
    add_run_options(parser)
    parser.add_argument("--export", metavar="PATH",
                        help="write the graph: .graphml, .gexf, .json (node-link) or .zip "
                             "(one cddlib .ine and .ext file per region)")
    parser.set_defaults(func=run)
    return parser


def run(args: argparse.Namespace) -> int:
    """Run ``graph``; return the exit status."""
    deadline = Deadline(args.time_limit)
    from ..analysis.graph import boundary_facet_count, region_graph
    from ..io.graph_file import export_format, write_graph

    if args.export is not None:
        export_format(args.export)  # a bad suffix fails before the work, not after
        check_output_file(args.export)
    network = load_network(args.model)
    domain = domain_from_args(args, network.input_dim)
    with Progress(args) as progress:
        result = enumerate_with_options(network, domain, args, deadline, progress)
        phases = run_phases([("graph", lambda callback, finished: {
            "graph": region_graph(result, progress=callback)})], progress, deadline)
    built = phases.finished.get("graph", {}).get("graph")
    if built is not None and args.export is not None:
        write_graph(built, args.export)
    summary = dict(result_summary(network, domain, result, phases),
                   file=args.export if built is not None else None,
                   edges=None if built is None else built.number_of_edges(),
                   boundary_facets=None if built is None else boundary_facet_count(built))
    if args.json:
        print(json_dumps(summary))
    else:
        print_rows(_rows(summary, args.export))
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
