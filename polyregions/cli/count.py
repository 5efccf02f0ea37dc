"""``polyregions count MODEL [domain]``: the exact number of activation regions, and graph counts.

After the enumeration, the region graph gives the linear regions and boundary
facets, the decision boundary (for a classifier) its pieces, and genericity its
verdict, phase by phase under the command's deadline. ``--regions-only`` skips
the graph; ``--out`` streams the regions to a file instead of keeping them.
"""

import argparse
import time
from contextlib import nullcontext
from typing import Callable

from ..domain import Domain
from ..enumeration.complex import RegionComplex
from ..network import Network
from .options import (
    Progress,
    Subcommands,
    add_run_parser,
    check_output_file,
    domain_cell,
    domain_spec,
    network_and_domain,
    print_report,
)
from .runs import (
    NOT_ANALYSED,
    STOPPED_BY,
    Deadline,
    PhaseRun,
    analysis_rows,
    collector_paused,
    enumerate_with_options,
    exit_status,
    run_options,
    run_phases,
)

__all__ = ["add_parser", "run", "add_count_parser", "report_count", "count_summary",
           "count_table", "GRAPH_KEYS"]

#: The count keys read off the region graph, and the phase computing each.
GRAPH_KEYS = {"linear_regions": "graph", "boundary_facets": "graph",
              "decision_boundary_pieces": "decision boundary",
              "decision_boundary_pieces_merged": "decision boundary",
              "generic": "genericity", "generic_reason": "genericity"}


def add_parser(subparsers: Subcommands) -> argparse.ArgumentParser:
    """Add the ``count`` subcommand.

    Examples
    --------
    >>> from polyregions.cli.options import new_subcommands
    >>> subparsers = new_subcommands()
    >>> add_parser(subparsers).prog
    'polyregions count'
    """
    return add_count_parser(subparsers, "count", "count the activation regions of a model in a domain",
                            "Count the exact full-dimensional activation regions.", run)


def add_count_parser(subparsers: Subcommands, name: str, summary: str, description: str,
                     run: Callable[[argparse.Namespace], int],
                     model: bool = True) -> argparse.ArgumentParser:
    """The parser of ``count`` (also of ``demo``, without `model`): :func:`add_run_parser`'s options,
    then ``--regions-only`` and ``--out``.

    Examples
    --------
    >>> from polyregions.cli.options import new_subcommands
    >>> subparsers = new_subcommands()
    >>> parser = add_count_parser(subparsers, "count", "count regions", "Count them.", run)
    >>> parser.parse_args(["model.json", "--box", "-1", "1", "--regions-only"]).regions_only
    True
    """
    parser = add_run_parser(subparsers, name, summary, description, run, model)
    parser.add_argument("--regions-only", action="store_true",
                        help="count regions only, keeping none (memory stays flat): skip the "
                             "graph (linear regions, decision boundary and boundary facets "
                             "are then null)")
    parser.add_argument("--out", metavar="FILE",
                        help="stream the regions to a JSON-lines file as they are found "
                             "(memory stays flat; implies --regions-only)")
    return parser


def run(args: argparse.Namespace) -> int:
    """Run ``count``; return the exit status.

    Examples
    --------
    >>> import contextlib, io, json, os, tempfile
    >>> from polyregions import LinearLayer, Network, ReluLayer, save_network
    >>> from polyregions.cli.main import build_parser
    >>> model = os.path.join(tempfile.mkdtemp(), "model.json")
    >>> net = Network(1, [ReluLayer([[1], [-1]], [0, 0]), LinearLayer([[1, 1], [0, 0]], [0, 1])])
    >>> save_network(net, model)       # y0 = |x|, y1 = 1
    >>> args = build_parser("count").parse_args(["count", model, "--box", "-2", "1", "--json"])
    >>> with contextlib.redirect_stdout(io.StringIO()) as out:
    ...     status = run(args)
    >>> status, json.loads(out.getvalue())["activation_regions"]
    (0, 2)
    """
    deadline = Deadline(args.time_limit)  # it bounds the whole command, loading included
    network, domain = network_and_domain(args)
    return report_count(network, domain, args, deadline)


def report_count(network: Network, domain: Domain, args: argparse.Namespace,
                 deadline: Deadline) -> int:
    """Count, print the JSON object or the table, and return the exit status.

    Examples
    --------
    >>> import contextlib, io, json, os, tempfile
    >>> from polyregions import LinearLayer, Network, ReluLayer, save_network
    >>> from polyregions.cli.main import build_parser
    >>> from polyregions.cli.options import network_and_domain
    >>> from polyregions.cli.runs import Deadline
    >>> model = os.path.join(tempfile.mkdtemp(), "model.json")
    >>> save_network(Network(1, [ReluLayer([[1], [-1]], [0, 0]), LinearLayer([[1, 1]], [0])]), model)
    >>> args = build_parser("count").parse_args(["count", model, "--box", "-2", "1", "--json"])
    >>> with contextlib.redirect_stdout(io.StringIO()) as out:
    ...     status = report_count(*network_and_domain(args), args, Deadline(None))
    >>> status, json.loads(out.getvalue())["activation_regions"]
    (0, 2)
    """
    summary = count_summary(network, domain, args, deadline)
    print_report(args, summary, lambda: count_table(summary))
    return exit_status(summary["stop_reason"], summary["analysis_stop_reason"])


def count_summary(network: Network, domain: Domain, args: argparse.Namespace,
                  deadline: Deadline) -> dict:
    """The JSON object of ``count``: the enumeration, then the graph-based counts.

    Examples
    --------
    >>> import os, tempfile
    >>> from polyregions import LinearLayer, Network, ReluLayer, save_network
    >>> from polyregions.cli.main import build_parser
    >>> from polyregions.cli.options import network_and_domain
    >>> from polyregions.cli.runs import Deadline
    >>> model = os.path.join(tempfile.mkdtemp(), "model.json")
    >>> save_network(Network(1, [ReluLayer([[1], [-1]], [0, 0]), LinearLayer([[1, 1]], [0])]), model)
    >>> args = build_parser("count").parse_args(["count", model, "--box", "-2", "1"])
    >>> summary = count_summary(*network_and_domain(args), args, Deadline(None))
    >>> summary["activation_regions"], summary["linear_regions"], summary["complete"]
    (2, 2, True)
    """
    # Only kept regions make collections costly; a stream or a tally keeps nothing, and its
    # memory must stay flat whatever cycles a run leaves behind.
    keeps_regions = not (args.out or args.regions_only)
    with Progress(args) as progress, collector_paused() if keeps_regions else nullcontext():
        if args.out:
            run, bounded = _stream_to_file(network, domain, args, deadline, progress)
            count, seconds, reason, result = run.count, run.seconds, run.stop_reason, None
        elif args.regions_only:
            run = _tally(network, domain, args, deadline, progress)
            count, bounded, seconds, reason = run.count, run.bounded, run.seconds, run.stop_reason
            result = None
        else:
            # The counts need no graph: the few adjacencies they need are looked for.
            result = enumerate_with_options(network, domain, args, deadline, progress,
                                            adjacency=False)
            count, bounded, seconds = len(result), result.bounded_count, result.seconds
            reason = result.stop_reason
        summary = {
            "input_dim": network.input_dim,
            "widths": list(network.widths),
            "layers": [layer.kind for layer in network.layers],
            "domain": domain_spec(args, domain),
            "activation_regions": count,
            "bounded_regions": bounded,
            "complete": reason is None,
            "stop_reason": reason,
            "seconds": round(seconds, 6),
            "regions_per_second": round(count / seconds, 1) if seconds > 0 else None,
            "out": args.out,
        }
        summary.update(_count_analysis(result, args, progress, deadline))
    return summary


def _tally(network, domain, args, deadline, progress):
    """Count the regions without keeping them: memory stays flat, and nothing else is asked."""
    from ..enumeration.run import LimitedRun

    options = run_options(network, domain, args, deadline)
    progress.phase("enumerating")
    run = LimitedRun(network, domain, progress=progress.update, **options)
    run.tally()
    return run


def _stream_to_file(network, domain, args, deadline, progress):
    """Count while writing every region to ``--out``; nothing is kept in memory."""
    from ..enumeration.run import LimitedRun
    from ..enumeration.stream import RegionWriter

    options = run_options(network, domain, args, deadline)
    check_output_file(args.out)
    progress.phase("enumerating")
    run = LimitedRun(network, domain, progress=progress.update, **options)
    bounded = 0
    with RegionWriter(args.out, network, domain) as writer:
        for region in run:
            writer.write(region)
            bounded += region.is_bounded
        writer.close(run.stop_reason)
    return run, bounded


def _count_analysis(result, args, progress, deadline):
    """The graph-based keys of count: computed, or null and marked why."""
    if result is None or args.regions_only:
        return dict(dict.fromkeys(GRAPH_KEYS), analysis_seconds=None, **NOT_ANALYSED)
    if not result.complete:
        # Graph counts of a partial enumeration would be neither exact nor bounds: skip them.
        return dict(dict.fromkeys(GRAPH_KEYS), analysis_seconds=None,
                    **PhaseRun({}, result.stop_reason, "enumerating").json_keys())
    return _graph_counts(result, progress, deadline)


def _graph_phases(result: RegionComplex):
    """The analysis phases of count, in order.

    Modules are imported inside the phases: importing them takes a while, and
    a Ctrl-C then must not lose the count.
    """
    def graph(callback, finished):
        from ..analysis.graph import domain_facet_count
        from ..analysis.linear import count_linear_regions
        from ..analysis.maps import native_layer_maps, output_maps

        layer_maps = native_layer_maps(result)  # genericity's screen reads their prefixes too
        maps = output_maps(result, layer_maps)  # the decision boundary reads them too
        return {"maps": maps, "layer_maps": layer_maps,
                "linear_regions": count_linear_regions(result, progress=callback, maps=maps),
                "boundary_facets": domain_facet_count(result)}

    def boundary(callback, finished):
        from ..analysis.decision import decision_boundary_counts
        from ..analysis.maps import native_regions

        regions = native_regions(result)  # genericity reads them too
        pieces, merged = decision_boundary_counts(result, progress=callback,
                                                  maps=finished["graph"]["maps"], regions=regions)
        return {"regions": regions, "decision_boundary_pieces": pieces,
                "decision_boundary_pieces_merged": merged}

    def generic(callback, finished):
        from ..analysis.genericity import genericity

        regions = finished.get("decision boundary", {}).get("regions")
        flag, reason = genericity(result, progress=callback, regions=regions,
                                  layer_maps=finished.get("graph", {}).get("layer_maps"))
        return {"generic": flag, "generic_reason": reason}

    phases = [("graph", graph)]
    if result.network.output_dim >= 2:
        phases.append(("decision boundary", boundary))
    return phases + [("genericity", generic)]


def _graph_counts(result, progress, deadline):
    """Counts read off the region graph, phase by phase under the deadline.

    Keys of the phases not finished are None; ``analysis_complete`` says so.
    """
    start = time.perf_counter()
    run = run_phases(_graph_phases(result), progress, deadline)
    counts = dict.fromkeys(GRAPH_KEYS)
    for values in run.finished.values():
        counts.update((k, v) for k, v in values.items() if k in counts)
    counts["analysis_seconds"] = round(time.perf_counter() - start, 6)
    counts.update(run.json_keys())
    return counts


_LABELS = [("linear_regions", "linear regions"), ("boundary_facets", "boundary facets"),
           ("decision_boundary_pieces", "decision boundary pieces"),
           ("decision_boundary_pieces_merged", "  merged (maximal)")]


def _count_rows(summary):
    partial = ""
    if not summary["complete"]:
        partial = f"  (partial: stopped by {STOPPED_BY[summary['stop_reason']]}; at least this many)"
    return [
        ("network", " -> ".join(map(str, summary["widths"])) + "  (" + ", ".join(summary["layers"]) + ")"),
        ("domain", domain_cell(summary["domain"])),
        ("activation regions", f"{summary['activation_regions']}{partial}"),
        ("bounded regions", str(summary["bounded_regions"])),
    ]


def _graph_rows(summary):
    rows = [(label, str(summary[key])) for key, label in _LABELS if summary[key] is not None]
    if summary["generic"] is not None:
        rows.append(("generic", "yes" if summary["generic"] else f"no: {summary['generic_reason']}"))
    classifier = summary["widths"][-1] >= 2  # else the decision-boundary keys are always null
    missing = [label.strip() for key, label in _LABELS + [("generic", "generic")]
               if summary[key] is None and (classifier or GRAPH_KEYS[key] != "decision boundary")]
    return rows + analysis_rows(summary, missing)


def _time_rows(summary):
    rows = [("time", f"{summary['seconds']:.3f} s")]
    if summary["regions_per_second"]:
        rows.append(("speed", f"{summary['regions_per_second']:.0f} regions/s"))
    if summary.get("out"):
        rows.append(("regions written to", summary["out"]))
    if summary["analysis_seconds"] is not None:
        rows.append(("graph and analysis", f"{summary['analysis_seconds']:.3f} s"))
    return rows


def count_table(summary: dict) -> list[tuple[str, str]]:
    """The table rows of ``count`` from its JSON object.

    Examples
    --------
    >>> import os, tempfile
    >>> from polyregions import LinearLayer, Network, ReluLayer, save_network
    >>> from polyregions.cli.main import build_parser
    >>> from polyregions.cli.options import network_and_domain
    >>> from polyregions.cli.runs import Deadline
    >>> model = os.path.join(tempfile.mkdtemp(), "model.json")
    >>> save_network(Network(1, [ReluLayer([[1], [-1]], [0, 0]), LinearLayer([[1, 1]], [0])]), model)
    >>> args = build_parser("count").parse_args(["count", model, "--box", "-2", "1"])
    >>> count_table(count_summary(*network_and_domain(args), args, Deadline(None)))[1:3]
    [('domain', 'box [-2, 1]'), ('activation regions', '2')]
    """
    return _count_rows(summary) + _graph_rows(summary) + _time_rows(summary)
