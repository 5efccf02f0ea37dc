"""The ``polyregions`` command line.

Subcommands
-----------
``count MODEL [domain] [--json]``
    The exact number of activation regions of a model in a domain.
``demo [--json]``
    ``count`` on the network shipped with the package, in ``[-3, 3]^2``.
``graph MODEL [domain] [--export PATH] [--json]``
    The region adjacency graph, written as ``.graphml``, ``.gexf``, ``.json``
    or ``.zip`` (cddlib ``.ine``/``.ext`` files per region).
``plot MODEL [domain] -o FILE [--color region|linear] [--no-boundary] [--view X0 X1 Y0 Y1]``
    A figure of the regions of a 2-D domain or slice (needs matplotlib).
``bounds --widths n0,n1,...,nL [--rank K] [--relu] [--json]``
    Exact bounds on the number of regions of an architecture (``polyregions.bounds``).
``certify MODEL [domain] -o CERT [--report] [--json]``
    Write a certificate of the exact count; ``--report`` shows it beside the bounds.
``verify CERT [--json]``
    Re-check a certificate independently of the engine: exit 0 when it holds,
    1 naming the first failed check, 2 when the file is malformed.

Domain flags (exactly one, except that ``--slice`` takes ``--box`` too)::

    --box LO HI                    the cube [LO, HI]^n0
    --bounds LO1:HI1,LO2:HI2,...   a box given axis by axis
    --polytope FILE                a cddlib .ine file or JSON {"A": ..., "b": ...} (A x <= b)
    --ball CENTER RADIUS [--norm 1|inf]   e.g. --ball 0,1/2 1/10
    --whole-space                  R^n0 (regions may be unbounded)
    --slice P1 P2 P3 --box LO HI   the plane through three points, e.g. --slice 0,0,0 1,0,0 0,1,0

``--time-limit S`` bounds the whole command: enumeration, graph, decision
boundary and genericity share one deadline; what the deadline or Ctrl-C cut is
marked (``"analysis_complete": false``) and what was finished is printed.

Exit status: 0 on success (also when a limit stopped the work), 130 after Ctrl-C
(once what was finished is printed), 2 on bad input or usage, 1 on any other
failure.
"""

import argparse
import json
import os
import re
import sys
import time
from typing import NamedTuple

from .. import __version__
from ..domain import Box, Slice, WholeSpace, ball, load_polytope
from ..enumeration.engine import check_run_arguments, enumerate_regions
from ..errors import DomainError, ExportError, PolyregionsError
from ..io.model import load_network
from ..numbers import int_to_decimal, json_dumps

__all__ = ["main", "build_parser"]

class _Parser(argparse.ArgumentParser):
    """An argument parser whose usage errors are one line and exit with 2."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Let "-1/2", "-1e-3" and "-1,2" be values, not options.
        self._negative_number_matcher = re.compile(r"^-\d.*$|^-\.\d.*$")

    def error(self, message):
        self.exit(2, f"polyregions: error: {message} (see 'polyregions --help')\n")


def _add_domain_options(parser):
    group = parser.add_argument_group("domain (choose one)")
    group.add_argument("--box", nargs=2, metavar=("LO", "HI"),
                       help="the cube [LO, HI]^n0 (with --slice: bounds of the slice coordinates)")
    group.add_argument("--bounds", metavar="LO1:HI1,...", help="a box given axis by axis")
    group.add_argument("--polytope", metavar="FILE",
                       help="a rational polytope: cddlib .ine file or JSON {'A', 'b'} meaning A x <= b")
    group.add_argument("--ball", nargs=2, metavar=("CENTER", "RADIUS"),
                       help="the ball of RADIUS around CENTER (comma-separated coordinates)")
    group.add_argument("--norm", choices=("1", "inf"),
                       help="norm of --ball (default: inf); only with --ball")
    group.add_argument("--whole-space", action="store_true", help="all of R^n0")
    group.add_argument("--slice", nargs=3, metavar=("P1", "P2", "P3"),
                       help="the 2-D plane P1 + s (P2 - P1) + t (P3 - P1), (s, t) in --box")


def _add_run_options(parser):
    parser.add_argument("--json", action="store_true", help="print one JSON object on stdout")
    parser.add_argument("--max-regions", type=int, metavar="N",
                        help="stop after N regions (the result is then marked partial)")
    parser.add_argument("--time-limit", type=float, metavar="S",
                        help="end the whole command, analysis included, after about S seconds "
                             "(what was cut is marked)")
    parser.add_argument("--no-progress", action="store_true", help="never show a progress bar")
    scale = parser.add_argument_group("scale")
    scale.add_argument("--workers", type=int, default=1, metavar="N",
                       help="use N processes (results are identical to one process)")
    scale.add_argument("--dask", metavar="ADDRESS",
                       help="run on a dask.distributed scheduler, or 'local' for a LocalCluster")
    scale.add_argument("--checkpoint", metavar="DIR",
                       help="keep finished work in DIR; the same command resumes from it")
    scale.add_argument("--resume", action="store_true",
                       help="require --checkpoint DIR to exist already (resume an earlier run)")


def _add_count_options(parser):
    parser.add_argument("--regions-only", action="store_true",
                        help="count regions only: skip the graph (linear regions, decision "
                             "boundary and boundary facets are then null)")
    parser.add_argument("--out", metavar="FILE",
                        help="stream the regions to a JSON-lines file as they are found "
                             "(memory stays flat; implies --regions-only)")


def _model_command(sub, name, summary, description, run_options=True):
    """A subcommand taking MODEL and a domain (and, by default, the run options)."""
    parser = sub.add_parser(name, help=summary, description=description)
    parser.add_argument("model", metavar="MODEL", help="JSON model file (format v1) or .npz")
    _add_domain_options(parser)
    if run_options:
        _add_run_options(parser)
    return parser


def build_parser():
    """The argument parser of the ``polyregions`` command."""
    parser = _Parser(prog="polyregions",
                     description="Exact activation regions of piecewise-linear networks.")
    parser.add_argument("--version", action="version", version=f"polyregions {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    count = _model_command(sub, "count", "count the activation regions of a model in a domain",
                           "Count the exact full-dimensional activation regions.")
    _add_count_options(count)
    demo = sub.add_parser("demo", help="count the regions of the shipped example network",
                          description="Count the regions of the embedded [2, 20, 20] rank-5 "
                                      "maxout network in [-3, 3]^2.")
    _add_run_options(demo)
    _add_count_options(demo)
    graph = _model_command(sub, "graph", "build the region adjacency graph and export it",
                           "Enumerate the regions, build their adjacency graph "
                           "(nodes: regions, edges: shared facets) and write it.")
    graph.add_argument("--export", metavar="PATH",
                       help="write the graph: .graphml, .gexf, .json (node-link) or .zip "
                            "(one cddlib .ine and .ext file per region)")
    plot = _model_command(sub, "plot", "draw the regions of a 2-D domain or slice",
                          "Draw the exact activation regions of a 2-D domain or "
                          "slice, and the decision boundary of a classifier.")
    plot.add_argument("-o", "--output", metavar="FILE", required=True,
                      help="the figure file (.png, .pdf, .svg)")
    plot.add_argument("--color", choices=("region", "linear"), default="region",
                      help="one colour per activation region (default) or per linear region")
    plot.add_argument("--no-boundary", action="store_true",
                      help="do not draw the decision boundary")
    plot.add_argument("--view", nargs=4, metavar=("XLO", "XHI", "YLO", "YHI"),
                      help="show only this box (default: every region; for unbounded regions "
                           "a square around all vertices)")
    bounds = sub.add_parser("bounds", help="theoretical bounds on the number of regions",
                            description="Exact upper and lower bounds on the maximum number of "
                                        "activation regions, and the expected-value growth forms, "
                                        "for an architecture (see docs/theory.md).")
    bounds.add_argument("--widths", required=True, metavar="n0,n1,...,nL",
                        help="input dimension and hidden widths, e.g. 2,3 or 2,7,7,6")
    bounds.add_argument("--rank", default="2", metavar="K",
                        help="the rank of every maxout unit (default: 2; ReLU is rank 2)")
    bounds.add_argument("--relu", action="store_true",
                        help="every unit is a ReLU max(0, z): also use Serra et al.'s ReLU bound")
    bounds.add_argument("--json", action="store_true", help="print one JSON object on stdout")
    certify = _model_command(sub, "certify", "write a certificate of the exact region count",
                             "Enumerate the regions and write a self-contained JSON "
                             "certificate that 'polyregions verify' re-checks.")
    certify.add_argument("-o", "--output", metavar="CERT", required=True,
                         help="the certificate file (.json)")
    certify.add_argument("--report", action="store_true",
                         help="also print the count beside the theoretical bounds")
    verify = sub.add_parser("verify", help="re-check a certificate independently of the engine",
                            description="Verify a certificate: exit 0 when it proves its count, "
                                        "1 naming the first failed check, 2 when it is malformed.")
    verify.add_argument("certificate", metavar="CERT", help="a certificate written by certify")
    verify.add_argument("--json", action="store_true", help="print one JSON object on stdout")
    verify.add_argument("--no-progress", action="store_true", help="never show a progress bar")
    cells = _model_command(sub, "cells", "parameter cells of a bias slice",
                           "Vary chosen bias entries over [LO, HI] (weights fixed) "
                           "and split the slice exactly into the cells on which the "
                           "set of activation patterns, hence the count, is constant.",
                           run_options=False)
    cells.add_argument("--bias", action="append", metavar="L:U[:P]",
                       help="a bias entry to vary: layer L, unit U, piece P (maxout only); "
                            "repeat for a 2-D (or higher) slice")
    cells.add_argument("--range", nargs=2, metavar=("LO", "HI"), required=True,
                       help="every varied bias takes values in [LO, HI]")
    cells.add_argument("--plot", metavar="FILE",
                       help="draw the cell map (2-D) or the count over the bias (1-D)")
    cells.add_argument("--json", action="store_true", help="print one JSON object on stdout")
    cells.add_argument("--no-progress", action="store_true", help="never show a progress bar")
    _add_sample_parser(sub)
    _add_train_parser(sub)
    return parser


def _coordinates(text, what):
    parts = [p.strip() for p in str(text).split(",")]  # "0, 1/2" is a list of two numbers
    if not parts or any(not p for p in parts):
        raise DomainError(f"{what} {text!r} must be comma-separated numbers")
    return parts


def domain_from_args(args, input_dim):
    """Build the domain named by parsed command-line options."""
    chosen = [name for name in ("bounds", "polytope", "ball", "slice")
              if getattr(args, name) is not None]
    if args.whole_space:
        chosen.append("whole-space")
    if args.box is not None and "slice" not in chosen:
        chosen.append("box")
    if len(chosen) > 1:
        raise DomainError(f"choose one domain, got --{' and --'.join(chosen)}")
    if not chosen:
        raise DomainError("no domain given: use --box LO HI, --bounds, --polytope, --ball, "
                          "--whole-space or --slice P1 P2 P3 --box LO HI")
    if args.norm is not None and chosen != ["ball"]:  # it would be silently ignored
        raise DomainError(f"--norm {args.norm} applies to --ball only, not to --{chosen[0]}")
    kind = chosen[0]
    if kind == "box":
        lo, hi = args.box
        return Box([lo] * input_dim, [hi] * input_dim)
    if kind == "bounds":
        pairs = [[v.strip() for v in p.split(":")] for p in _coordinates(args.bounds, "--bounds")]
        if any(len(p) != 2 for p in pairs):
            raise DomainError(f"--bounds {args.bounds!r} must look like LO1:HI1,LO2:HI2,...")
        return Box([p[0] for p in pairs], [p[1] for p in pairs])
    if kind == "polytope":
        return load_polytope(args.polytope)
    if kind == "ball":
        center, radius = args.ball
        return ball(_coordinates(center, "--ball centre"), radius, args.norm or "inf")
    if kind == "whole-space":
        return WholeSpace(input_dim)
    if args.box is None:
        raise DomainError("--slice needs --box LO HI to bound the slice coordinates")
    points = [_coordinates(p, f"--slice point P{i + 1}") for i, p in enumerate(args.slice)]
    lo, hi = args.box
    return Slice(*points, [lo, lo], [hi, hi])


class _Progress:
    """One progress bar on stderr for every phase of a command; does nothing when quiet.

    ``phase(name)`` starts the next phase (its name is the bar's description),
    ``update(done[, total])`` is the callback the work reports to.
    """

    def __init__(self, args, unit=" regions"):
        self._bar, self._name = None, ""
        if args.json or getattr(args, "no_progress", False) or not sys.stderr.isatty():
            return
        try:
            from tqdm import tqdm
        except ImportError:  # progress is a nicety, never a requirement
            return
        self._bar = tqdm(unit=unit, file=sys.stderr, leave=False, mininterval=0.2)

    def phase(self, name, total=None):
        if self._bar is not None:
            self._name, self._bar.total = name, total
            self._describe(refresh=False)
            self._bar.reset(total=total)

    def update(self, done, total=None):
        bar = self._bar
        if bar is None:
            return
        if total is not None and bar.total != total:
            bar.total = total
            self._describe()
        bar.update(done - bar.n)

    def _describe(self, refresh=True):
        # tqdm puts ": " after the name without a total, but not before a percentage.
        if self._bar.total is None:
            self._bar.set_description_str(self._name, refresh=refresh)
        else:
            self._bar.set_description(self._name, refresh=refresh)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if self._bar is not None:
            self._bar.close()


class _OutOfTime(Exception):
    """The --time-limit deadline passed during the analysis (never leaves this module)."""


class _Deadline:
    """The end of a command's ``--time-limit``, fixed once when the command starts."""

    clock = staticmethod(time.perf_counter)  # a test can make time pass faster here

    def __init__(self, seconds):
        self.end = None if seconds is None else self.clock() + seconds

    def remaining(self):
        """The seconds left, None without a limit.

        Never below a nanosecond: the library refuses a limit of 0, and a spent
        deadline should stop the enumeration at its first region, as any limit does.
        """
        return None if self.end is None else max(1e-9, self.end - self.clock())

    def check(self):
        """Raise _OutOfTime once the deadline has passed."""
        if self.end is not None and self.clock() > self.end:
            raise _OutOfTime


class _PhaseRun(NamedTuple):
    """What a run of analysis phases finished, and why and where it stopped (None: it did not)."""

    finished: dict
    stop_reason: str = None
    stopped_in: str = None

    def json_keys(self):
        """The JSON keys saying whether the analysis is complete."""
        return {"analysis_complete": self.stop_reason is None,
                "analysis_stop_reason": self.stop_reason, "analysis_stopped_in": self.stopped_in}


_NOT_ANALYSED = {"analysis_complete": None, "analysis_stop_reason": None,
                 "analysis_stopped_in": None}


def _run_phases(phases, progress, deadline):
    """Run analysis phases in order until the deadline passes or Ctrl-C; a _PhaseRun.

    `phases` are ``(name, step)`` pairs; ``step(callback, finished)`` returns a
    dict of results and gets the callback the analysis functions report to
    (it moves the bar and checks the deadline) and the results of the phases
    before it. A stopped phase leaves no result: nothing half-done is reported.
    """
    def callback(done, total):
        progress.update(done, total)
        deadline.check()

    finished = {}
    try:
        for name, step in phases:
            progress.phase(name)
            deadline.check()
            finished[name] = step(callback, finished)
    except (_OutOfTime, KeyboardInterrupt) as stop:
        cut = next((name for name, _ in phases if name not in finished), None)
        if cut is not None:
            return _PhaseRun(finished, "time_limit" if isinstance(stop, _OutOfTime) else
                             "interrupt", cut)
    return _PhaseRun(finished)


def _exit_status(*stop_reasons):
    """130 when Ctrl-C stopped the work (after printing what was finished), else 0."""
    if "interrupt" in stop_reasons:
        print("polyregions: interrupted; what was finished is printed", file=sys.stderr)
        return 130
    return 0


def _count(network, domain, args, deadline):
    with _Progress(args) as progress:
        if args.out:
            run, bounded = _stream_to_file(network, domain, args, deadline, progress)
            count, seconds, reason, result = run.count, run.seconds, run.stop_reason, None
        else:
            result = _enumerate(network, domain, args, deadline, progress)
            count, bounded, seconds = len(result), result.bounded_count, result.seconds
            reason = result.stop_reason
        summary = {
            "input_dim": network.input_dim,
            "widths": list(network.widths),
            "layers": [layer.kind for layer in network.layers],
            "domain": domain.to_spec(),
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


def _count_analysis(result, args, progress, deadline):
    """The graph-based keys of count: computed, or null and marked why."""
    if result is None or args.regions_only:
        return dict(dict.fromkeys(_GRAPH_KEYS), analysis_seconds=None, **_NOT_ANALYSED)
    if not result.complete:
        # Graph counts of a partial enumeration would be neither exact nor bounds: skip them.
        return dict(dict.fromkeys(_GRAPH_KEYS), analysis_seconds=None,
                    **_PhaseRun({}, result.stop_reason, "enumerating").json_keys())
    return _graph_counts(result, progress, deadline)


#: The count keys read off the region graph, and the phase computing each.
_GRAPH_KEYS = {"linear_regions": "graph", "boundary_facets": "graph",
               "decision_boundary_pieces": "decision boundary",
               "decision_boundary_pieces_merged": "decision boundary",
               "generic": "genericity", "generic_reason": "genericity"}


def _graph_counts(result, progress, deadline):
    """Counts read off the region graph, phase by phase under the deadline.

    Keys of the phases not finished are None; ``analysis_complete`` says so.
    Modules are imported inside the phases: importing them takes a while, and
    a Ctrl-C then must not lose the count.
    """
    def graph(callback, finished):
        from ..analysis.graph import boundary_facet_count, region_graph
        from ..analysis.linear import linear_region_count

        found = region_graph(result, volumes=False, facet_measures=False, progress=callback)
        return {"graph": found, "linear_regions": linear_region_count(found),
                "boundary_facets": boundary_facet_count(found)}

    def boundary(callback, finished):
        from ..analysis.decision import decision_boundary

        found = decision_boundary(result, finished["graph"]["graph"], progress=callback)
        return {"decision_boundary_pieces": found.piece_count,
                "decision_boundary_pieces_merged": found.maximal_piece_count}

    def generic(callback, finished):
        from ..analysis.genericity import genericity

        flag, reason = genericity(result, progress=callback)
        return {"generic": flag, "generic_reason": reason}

    phases = [("graph", graph)]
    if result.network.output_dim >= 2:
        phases.append(("decision boundary", boundary))
    phases.append(("genericity", generic))
    start = time.perf_counter()
    run = _run_phases(phases, progress, deadline)
    counts = dict.fromkeys(_GRAPH_KEYS)
    for values in run.finished.values():
        counts.update((k, v) for k, v in values.items() if k in counts)
    counts["analysis_seconds"] = round(time.perf_counter() - start, 6)
    counts.update(run.json_keys())
    return counts


_STOPPED_BY = {"max_regions": "--max-regions", "time_limit": "--time-limit", "interrupt": "Ctrl-C"}


def _analysis_rows(summary, not_computed):
    """Table rows marking a stopped analysis, naming what was not computed; [] when complete."""
    if summary["analysis_complete"] is not False:
        return []
    by = _STOPPED_BY[summary["analysis_stop_reason"]]
    if summary["analysis_stopped_in"] == "enumerating":
        return [("analysis", f"not run: the enumeration was stopped by {by}")]
    return [("analysis", f"PARTIAL: stopped by {by} in the {summary['analysis_stopped_in']} "
                         "phase"),
            ("  not computed", ", ".join(not_computed) or "-")]


def _print_table(summary):
    partial = ""
    if not summary["complete"]:
        partial = f"  (partial: stopped by {_STOPPED_BY[summary['stop_reason']]}; at least this many)"
    dom = summary["domain"]
    if dom["kind"] in ("box", "slice"):
        where = " x ".join(f"[{lo}, {hi}]" for lo, hi in zip(dom["lower"], dom["upper"]))
        where = f"{dom['kind']} {where}"
    else:
        where = dom["kind"].replace("_", " ")
    rows = [
        ("network", " -> ".join(map(str, summary["widths"])) + "  (" + ", ".join(summary["layers"]) + ")"),
        ("domain", where),
        ("activation regions", f"{summary['activation_regions']}{partial}"),
        ("bounded regions", str(summary["bounded_regions"])),
    ]
    labels = [("linear_regions", "linear regions"), ("boundary_facets", "boundary facets"),
              ("decision_boundary_pieces", "decision boundary pieces"),
              ("decision_boundary_pieces_merged", "  merged (maximal)")]
    rows += [(label, str(summary[key])) for key, label in labels if summary[key] is not None]
    if summary["generic"] is not None:
        rows.append(("generic", "yes" if summary["generic"] else f"no: {summary['generic_reason']}"))
    classifier = summary["widths"][-1] >= 2  # else the decision-boundary keys are always null
    missing = [label.strip() for key, label in labels + [("generic", "generic")]
               if summary[key] is None and (classifier or _GRAPH_KEYS[key] != "decision boundary")]
    rows += _analysis_rows(summary, missing)
    rows.append(("time", f"{summary['seconds']:.3f} s"))
    if summary["regions_per_second"]:
        rows.append(("speed", f"{summary['regions_per_second']:.0f} regions/s"))
    if summary.get("out"):
        rows.append(("regions written to", summary["out"]))
    if summary["analysis_seconds"] is not None:
        rows.append(("graph and analysis", f"{summary['analysis_seconds']:.3f} s"))
    _print_rows(rows)


def _run_options(network, domain, args, deadline):
    """Check the run options once; the keyword arguments of LimitedRun.

    The enumeration gets the time left before the command's deadline.
    """
    check_run_arguments(max_regions=args.max_regions, time_limit=args.time_limit,
                        workers=args.workers, as_options=True)
    if args.resume and not (args.checkpoint and os.path.isdir(args.checkpoint)):
        raise DomainError("--resume needs the --checkpoint DIR of an earlier run")
    if args.checkpoint and os.path.exists(args.checkpoint) and not os.path.isdir(args.checkpoint):
        raise DomainError(f"--checkpoint {args.checkpoint} is a file; it must name a directory")
    domain.check_network(network)
    return dict(max_regions=args.max_regions, time_limit=deadline.remaining(),
                stop_on_interrupt=True, workers=args.workers, dask=args.dask,
                checkpoint=args.checkpoint)


def _enumerate(network, domain, args, deadline, progress):
    """Enumerate with the progress bar, limits and backend of the run options."""
    options = _run_options(network, domain, args, deadline)
    progress.phase("enumerating")
    return enumerate_regions(network, domain, progress=progress.update, **options)


def _stream_to_file(network, domain, args, deadline, progress):
    """Count while writing every region to ``--out``; nothing is kept in memory."""
    from ..enumeration.engine import LimitedRun
    from ..enumeration.stream import RegionWriter

    options = _run_options(network, domain, args, deadline)
    _check_directory(args.out)
    progress.phase("enumerating")
    run = LimitedRun(network, domain, progress=progress.update, **options)
    bounded = 0
    with RegionWriter(args.out, network, domain) as writer:
        for region in run:
            writer.write(region)
            bounded += region.is_bounded
        writer.close(run.stop_reason)
    return run, bounded


def _text(value):
    """A table cell; ``str`` of an integer stops at 4300 digits, exact bounds do not."""
    return int_to_decimal(value) if isinstance(value, int) and not isinstance(value, bool) else str(value)


def _print_rows(rows):
    width = max(len(k) for k, _ in rows)
    for key, value in rows:
        print(f"{key:<{width}}  {value}")


def _check_directory(path):
    """Fail before the work, not after it, when `path` cannot be created."""
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        raise ExportError(f"cannot write {path}: no directory {folder}")
    if os.path.isdir(path):
        raise ExportError(f"cannot write {path}: it is a directory; name a file")


def _result_summary(network, domain, result, phases):
    """The JSON keys every enumerating subcommand reports (`phases`: its _PhaseRun)."""
    return {"input_dim": network.input_dim, "domain": domain.to_spec(),
            "activation_regions": len(result), "bounded_regions": result.bounded_count,
            "complete": result.complete, "stop_reason": result.stop_reason,
            "seconds": round(result.seconds, 6), **phases.json_keys()}


def _run_graph(args, deadline):
    from ..analysis.graph import boundary_facet_count, region_graph
    from ..io.graph_file import export_format, write_graph

    if args.export is not None:
        export_format(args.export)  # a bad suffix fails before the work, not after
        _check_directory(args.export)
    network = load_network(args.model)
    domain = domain_from_args(args, network.input_dim)

    def graph(callback, finished):
        return {"graph": region_graph(result, progress=callback)}

    with _Progress(args) as progress:
        result = _enumerate(network, domain, args, deadline, progress)
        phases = _run_phases([("graph", graph)], progress, deadline)
    built = phases.finished.get("graph", {}).get("graph")
    if built is not None and args.export is not None:
        write_graph(built, args.export)
    summary = dict(_result_summary(network, domain, result, phases),
                   file=args.export if built is not None else None,
                   edges=None if built is None else built.number_of_edges(),
                   boundary_facets=None if built is None else boundary_facet_count(built))
    if args.json:
        print(json_dumps(summary))
    else:
        partial = "" if result.complete else "  (partial: at least this many)"
        rows = [("activation regions", f"{len(result)}{partial}"),
                ("bounded regions", str(result.bounded_count))]
        if built is not None:
            rows += [("edges (shared facets)", str(summary["edges"])),
                     ("boundary facets", str(summary["boundary_facets"]))]
        rows += _analysis_rows(summary, ["edges, boundary facets"]
                               + (["the export"] if args.export else []))
        _print_rows(rows + [("written", summary["file"] or "-")])
    return _exit_status(result.stop_reason, phases.stop_reason)


def _run_plot(args, deadline):
    from ..analysis.decision import decision_boundary
    from ..analysis.graph import region_graph
    from ..analysis.linear import linear_regions
    from ..io.plot import check_figure_path, plot_regions, view_box

    check_figure_path(args.output)  # before the work; also says when matplotlib is missing
    _check_directory(args.output)
    if args.view is not None:
        view_box(args.view)
    network = load_network(args.model)
    domain = domain_from_args(args, network.input_dim)
    if domain.dim != 2:
        raise DomainError(f"plot draws 2-D domains or slices; this domain is {domain.dim}-D "
                          "(use --slice P1 P2 P3 --box LO HI)")
    want_linear = args.color == "linear"
    want_boundary = not args.no_boundary and network.output_dim >= 2

    def graph(callback, finished):
        found = region_graph(result, volumes=False, facet_measures=False, progress=callback)
        return {"graph": found, "groups": linear_regions(found) if want_linear else None}

    def boundary(callback, finished):
        # Pieces carry their rays, so unbounded pieces are drawn too.
        found = decision_boundary(result, finished["graph"]["graph"], progress=callback)
        return {"boundary": list(found.pieces)}

    steps = [("graph", graph)] if want_linear or want_boundary else []
    steps += [("decision boundary", boundary)] if want_boundary else []
    with _Progress(args) as progress:
        result = _enumerate(network, domain, args, deadline, progress)
        phases = _run_phases(steps, progress, deadline)
    groups = phases.finished.get("graph", {}).get("groups")
    boundary = phases.finished.get("decision boundary", {}).get("boundary")
    if phases.stop_reason is None:  # a figure missing what was asked for would mislead
        plot_regions(result, args.output, color_by="linear" if want_linear else "region",
                     groups=groups, boundary=boundary, view=args.view)
    summary = dict(_result_summary(network, domain, result, phases),
                   file=args.output if phases.stop_reason is None else None,
                   linear_regions=len(groups) if groups is not None else None,
                   boundary_pieces=len(boundary) if boundary is not None else None)
    if args.json:
        print(json_dumps(summary))
    else:
        rows = [("activation regions", str(len(result)))]
        if groups is not None:
            rows.append(("linear regions", str(len(groups))))
        if boundary is not None:
            rows.append(("boundary pieces", str(len(boundary))))
        missing = [label for label, wanted, value in
                   (("linear regions", want_linear, groups),
                    ("boundary pieces", want_boundary, boundary)) if wanted and value is None]
        rows += _analysis_rows(summary, missing + ["the figure"])
        _print_rows(rows + [("written", summary["file"] or "-")])
    return _exit_status(result.stop_reason, phases.stop_reason)


def _run_bounds(args):
    from ..bounds import BoundsError, bounds_report, report_to_json

    def positive(text, what):
        text = text.strip()
        if not re.fullmatch(r"[+]?[0-9]+", text) or int(text) < 1:
            raise BoundsError(f"{what} must be a positive integer, got {text!r}")
        return int(text)

    parts = args.widths.split(",")
    if not args.widths.strip() or any(not p.strip() for p in parts):
        raise BoundsError(f"--widths {args.widths!r} must be comma-separated integers n0,n1,...,nL")
    widths = [positive(p, "n0 (the input dimension)" if i == 0 else f"width n{i}")
              for i, p in enumerate(parts)]
    if len(widths) < 2:
        raise BoundsError("--widths needs n0 and at least one hidden width, e.g. --widths 2,3")
    rank = positive(args.rank, "--rank")
    if args.relu and rank != 2:
        raise BoundsError(f"--relu means rank 2, got --rank {rank}")
    summary = report_to_json(bounds_report(widths, rank, relu=args.relu))
    if args.json:
        print(json_dumps(summary))
        return 0

    def show(key):
        value = summary[key]
        if isinstance(value, str):
            return f"{value}  (~{summary[key + '_float']:.6g})"
        return _text(value)

    kind = "ReLU" if args.relu else f"maxout rank {rank}"
    exact = "exact maximum" if summary["max_regions_is_exact"] else "upper bound"
    rows = [("network", " -> ".join(map(str, widths)) + f"  ({kind})"),
            ("max regions", f"{_text(summary['max_regions'])}  ({exact})")]
    rows += [(f"  upper: {name}", _text(v)) for name, v in summary["upper_bounds"].items()
             if v is not None]
    rows += [(f"  lower: {name}", _text(v)) for name, v in summary["lower_bounds"].items()
             if v is not None]
    rows += [("expected regions growth", show("expected_regions_growth")),
             ("  without K", show("expected_regions_growth_without_rank")),
             ("expected db pieces growth", show("expected_db_growth")),
             ("  without K", show("expected_db_growth_without_rank"))]
    _print_rows(rows)
    return 0


def _run_certify(args, deadline):
    from ..certify.certificate import write_certificate

    _check_directory(args.output)
    network = load_network(args.model)
    domain = domain_from_args(args, network.input_dim)
    with _Progress(args) as progress:
        result = _enumerate(network, domain, args, deadline, progress)
    start = time.perf_counter()
    cert = write_certificate(result, args.output)  # refuses a partial result
    summary = {
        "input_dim": network.input_dim,
        "domain": domain.to_spec(),
        "activation_regions": cert["count"],
        "max_regions_bound": cert["max_regions_bound"],
        "max_regions_bound_is_exact": cert["max_regions_bound_is_exact"],
        "file": args.output,
        "seconds": round(result.seconds, 6),
        "certificate_seconds": round(time.perf_counter() - start, 6),
    }
    if args.report:
        summary["bounds"] = _bounds_summary(network)
    if args.json:
        print(json_dumps(summary))
        return 0
    rows = [("activation regions", str(cert["count"])), ("written", args.output)]
    if args.report:
        rows += _report_rows(cert["count"], summary["bounds"])
    _print_rows(rows)
    return 0


def _bounds_summary(network):
    """The bounds of the network's architecture as JSON values, or None without them."""
    try:
        from ..bounds import BoundsError, network_bounds_report, report_to_json
    except ImportError:
        return None
    try:
        return report_to_json(network_bounds_report(network))
    except BoundsError:  # no layer with an activation pattern
        return None


def _report_rows(count, bounds):
    if bounds is None:
        return [("bounds", "not available for this network")]
    exact = "exact maximum" if bounds["max_regions_is_exact"] else "upper bound"
    rows = [("exact count / maximum", f"{count} / {_text(bounds['max_regions'])}  ({exact})")]
    rows += [(f"  upper: {name}", _text(v)) for name, v in bounds["upper_bounds"].items()
             if v is not None]
    rows += [(f"  lower: {name}", _text(v)) for name, v in bounds["lower_bounds"].items()
             if v is not None]
    growth = bounds["expected_regions_growth"]
    if isinstance(growth, str):
        growth = f"{growth}  (~{bounds['expected_regions_growth_float']:.6g})"
    return rows + [("expected regions growth", _text(growth))]


def _run_verify(args):
    from ..certify.verifier import verify_certificate

    with _Progress(args) as progress:  # CertificateError (exit 2) when malformed
        report = verify_certificate(args.certificate, progress=progress.update)
    summary = dict(report.summary, ok=report.ok, failure=report.failure)
    if args.json:
        print(json_dumps(summary))
    elif report.ok:
        checks = ", ".join(f"{v} {k.replace('_', ' ')}" for k, v in summary["checks"].items())
        _print_rows([("verified", f"{summary['count']} regions ({summary['domain']} domain, "
                                  f"dimension {summary['dim']})"),
                     ("domain volume", str(summary["domain_volume"])),
                     ("proven maximum", str(summary["max_regions_bound"] or "-")),
                     ("checks", checks),
                     ("time", f"{summary['seconds']:.3f} s")])
    if not report.ok:
        print(f"polyregions: verification failed: {report.failure}", file=sys.stderr)
        return 1
    return 0


def _bias_entries(texts):
    """``--bias L:U[:P]`` values as integer tuples, or raise DomainError."""
    if not texts:
        raise DomainError("cells needs at least one --bias L:U[:P]")
    entries = []
    for text in texts:
        parts = text.split(":")
        if len(parts) not in (2, 3) or not all(re.fullmatch(r"[0-9]+", p.strip()) for p in parts):
            raise DomainError(f"--bias {text!r} must be L:U or L:U:P (non-negative integers)")
        entries.append(tuple(int(p) for p in parts))
    return entries


def _run_cells(args):
    from ..numbers import format_fraction, to_fraction
    from ..params.cells import bias_slice_cells

    entries = _bias_entries(args.bias)
    if args.plot is not None:
        from ..io.plot import check_figure_path

        if len(entries) > 2:
            raise DomainError(f"--plot draws 1-D and 2-D slices, this one is {len(entries)}-D")
        check_figure_path(args.plot)
        _check_directory(args.plot)
    network = load_network(args.model)
    domain = domain_from_args(args, network.input_dim)
    start = time.perf_counter()
    with _Progress(args) as progress:
        cells = bias_slice_cells(network, domain, entries, *args.range, progress=progress.update)
    seconds = time.perf_counter() - start
    lo, hi = (to_fraction(v) for v in args.range)  # valid: bias_slice_cells read them
    if args.plot is not None:
        from ..io.plot import plot_cells

        plot_cells(cells, args.plot, lower=lo, upper=hi)
    summary = {
        "bias": [":".join(map(str, e)) for e in entries],
        "range": [format_fraction(lo), format_fraction(hi)],
        "domain": domain.to_spec(),
        "count": len(cells),
        "cells": [{"activation_regions": c.activation_regions,
                   "measure": format_fraction(c.measure),
                   "interior_point": [format_fraction(v) for v in c.interior_point],
                   "neighbours": list(c.neighbours),
                   "convex": c.polytope is not None,
                   "pieces": [[[format_fraction(v) for v in r] for r in p.rows]
                              for p in c.pieces]}
                  for c in cells],
        "file": args.plot,
        "seconds": round(seconds, 6),
    }
    if args.json:
        print(json_dumps(summary))
        return 0
    counts = [c.activation_regions for c in cells]
    _print_rows([("bias entries", ", ".join(summary["bias"])),
                 ("range", f"[{summary['range'][0]}, {summary['range'][1]}]"),
                 ("cells", str(len(cells))),
                 ("regions", f"{min(counts)} to {max(counts)}")])
    print()
    print(f"{'cell':>4}  {'regions':>7}  {'measure':>12}  {'interior point':<24}  neighbours")
    for c in cells:
        point = "(" + ", ".join(format_fraction(v) for v in c.interior_point) + ")"
        print(f"{c.index:>4}  {c.activation_regions:>7}  {format_fraction(c.measure):>12}  "
              f"{point:<24}  {' '.join(map(str, c.neighbours)) or '-'}")
    if args.plot is not None:
        print(f"\nwritten {args.plot}")
    return 0


def _add_sample_parser(sub):
    sample = sub.add_parser("sample", help="exact counts over seeded random parameters",
                            description="Draw one network per seed with an initialization, count "
                                        "its regions exactly, and report the histogram, mean, "
                                        "standard deviation and the bounds.")
    sample.add_argument("--widths", required=True, metavar="n0,n1,...,nL",
                        help="input dimension and hidden widths, e.g. 2,10,10")
    sample.add_argument("--kind", choices=("maxout", "relu"), default="maxout")
    sample.add_argument("--rank", type=int, default=2, metavar="K", help="maxout rank (default 2)")
    sample.add_argument("--init", default="maxout_he",
                        choices=("maxout_he", "he", "sphere", "many_regions"))
    sample.add_argument("--zero-bias", action="store_true", help="set every bias to zero")
    sample.add_argument("--seeds", type=int, default=10, metavar="N", help="seeds 0..N-1")
    sample.add_argument("--outputs", type=int, default=0, metavar="M",
                        help="a linear head with M outputs (M >= 2: decision-boundary pieces too)")
    sample.add_argument("--box", nargs=2, default=("-3", "3"), metavar=("LO", "HI"),
                        help="count in the cube [LO, HI]^n0 (default: -3 3)")
    sample.add_argument("--workers", type=int, default=1, metavar="N", help="processes")
    sample.add_argument("--no-progress", action="store_true", help="never show a progress bar")
    sample.add_argument("--json", action="store_true", help="print one JSON object on stdout")


def _run_sample(args):
    from ..params.sampling import sample_counts, sample_to_json

    parts = args.widths.split(",")
    if not all(re.fullmatch(r"\s*[0-9]+\s*", p) for p in parts) or len(parts) < 2:
        raise DomainError(f"--widths {args.widths!r} must be n0,n1,...,nL (positive integers)")
    widths = [int(p) for p in parts]
    if args.seeds < 1:
        raise DomainError(f"--seeds must be at least 1, got {args.seeds}")
    domain = Box([args.box[0]] * widths[0], [args.box[1]] * widths[0])
    bar = None
    if not (args.json or args.no_progress or not sys.stderr.isatty()):
        try:
            from tqdm import tqdm

            bar = tqdm(total=args.seeds, unit=" seeds", file=sys.stderr, leave=False)
        except ImportError:
            pass
    try:
        sample = sample_counts(widths, args.kind, args.rank, args.init, args.seeds, domain,
                               outputs=args.outputs, zero_bias=args.zero_bias,
                               workers=args.workers,
                               progress=None if bar is None else lambda n: bar.update(n - bar.n))
    finally:
        if bar is not None:
            bar.close()
    summary = sample_to_json(sample)
    if args.json:
        print(json_dumps(summary))
        return 0
    stats, bounds = summary["summary"]["activation_regions"], summary["bounds"]
    exact = "exact maximum" if bounds["max_regions_is_exact"] else "upper bound"
    rows = [("network", " -> ".join(map(str, widths)) + f"  ({args.kind}, rank "
             f"{summary['rank']}, init {args.init}{', zero bias' if args.zero_bias else ''})"),
            ("seeds", str(len(summary["seeds"]))),
            ("regions mean", f"{stats['mean']}  (~{stats['mean_float']:.6g})"),
            ("regions std", f"{stats['std']:.6g}"),
            ("regions min / max", f"{stats['min']} / {stats['max']}"),
            ("histogram", ", ".join(f"{k}: {v}" for k, v in stats["histogram"].items())),
            ("max regions", f"{bounds['max_regions']}  ({exact})"),
            ("expected growth", f"{bounds['expected_regions_growth']}  "
                                f"(~{bounds['expected_regions_growth_float']:.6g})")]
    db = summary["summary"]["decision_boundary_pieces"]
    if db is not None:
        rows += [("db pieces mean", f"{db['mean']}  (~{db['mean_float']:.6g})"),
                 ("db pieces std", f"{db['std']:.6g}"),
                 ("db pieces min / max", f"{db['min']} / {db['max']}")]
    _print_rows(rows)
    return 0


def _add_train_parser(sub):
    train = sub.add_parser("train", help="train a small classifier, counting regions exactly",
                           description="Train a maxout/ReLU MLP classifier with numpy on a "
                                       "built-in task; every --track-every epochs record the "
                                       "exact region and decision-boundary counts in a 2-D "
                                       "domain (the data box, or a slice through 3 points).")
    train.add_argument("--task", required=True, help="moons, xor, circles, blobs or digits")
    train.add_argument("--widths", required=True, metavar="n0,n1,...,nL",
                       help="input dimension and hidden widths, e.g. 2,8,8")
    train.add_argument("--kind", choices=("maxout", "relu"), default="maxout")
    train.add_argument("--rank", type=int, default=2, metavar="K", help="maxout rank (default 2)")
    train.add_argument("--init", default="maxout_he",
                       help="he, maxout_he (default), sphere or many_regions")
    train.add_argument("--zero-bias", action="store_true", help="initialize every bias at zero")
    train.add_argument("--epochs", type=int, default=50, metavar="N")
    train.add_argument("--lr", type=float, default=0.01, help="learning rate (default 0.01)")
    train.add_argument("--optimizer", choices=("adam", "sgd"), default="adam")
    train.add_argument("--batch-size", type=int, metavar="B", help="mini-batches (default: full)")
    train.add_argument("--samples", type=int, default=200, metavar="N",
                       help="points of a 2-D task (default 200)")
    train.add_argument("--noise", type=float, default=0.1, help="noise of a 2-D task")
    train.add_argument("--seed", type=int, default=0, help="seeds data, init and shuffling")
    train.add_argument("--track-every", type=int, default=5, metavar="E",
                       help="count regions every E epochs (default 5)")
    train.add_argument("--box", nargs=2, metavar=("LO", "HI"),
                       help="count in [LO, HI]^2 (2-D data) or slice coordinates in it "
                            "(default: the data's box; [-1, 2] for a slice)")
    train.add_argument("--no-count", action="store_true", help="record loss and accuracy only")
    train.add_argument("--out", metavar="FILE", help="write the run as JSON")
    train.add_argument("--csv", metavar="FILE", help="write one CSV row per epoch")
    train.add_argument("--save-model", metavar="FILE",
                       help="write the final network (JSON model v1) for count, plot, ...")
    train.add_argument("--no-progress", action="store_true", help="never show a progress bar")
    train.add_argument("--json", action="store_true", help="print one JSON summary on stdout")


def _run_train(args):
    from ..errors import TrainingError
    from ..io.model import save_network
    from ..network import network_from_dict
    from ..params.train import default_domain, make_task, train, write_csv

    parts = args.widths.split(",")
    if len(parts) < 2 or not all(re.fullmatch(r"\s*[0-9]+\s*", p) and int(p) > 0 for p in parts):
        raise TrainingError(f"--widths {args.widths!r} must be n0,n1,...,nL (positive integers)")
    for path in (args.out, args.csv, args.save_model):
        if path is not None:
            _check_directory(path)
    x, y = make_task(args.task, samples=args.samples, noise=args.noise, seed=args.seed)
    domain = None
    if not args.no_count:
        domain = default_domain(x, y, args.box)
    bar = None
    if not (args.json or args.no_progress or not sys.stderr.isatty()):
        from tqdm import tqdm

        bar = tqdm(total=args.epochs, unit=" epochs", file=sys.stderr, leave=False)
    try:
        run = train(x, y, [int(p) for p in parts], kind=args.kind, rank=args.rank,
                    init=args.init, epochs=args.epochs, lr=args.lr, optimizer=args.optimizer,
                    batch_size=args.batch_size, seed=args.seed, zero_bias=args.zero_bias,
                    track_every=args.track_every, domain=domain, count=not args.no_count,
                    progress=None if bar is None else lambda n: bar.update(n - bar.n))
    finally:
        if bar is not None:
            bar.close()
    run["task"] = args.task
    if args.out:
        with open(args.out, "w", encoding="utf-8") as f:
            json.dump(run, f)
    if args.csv:
        write_csv(run, args.csv)
    if args.save_model:
        if run["tracked"]:
            save_network(network_from_dict(run["tracked"][-1]["network"]), args.save_model)
        else:
            raise TrainingError("--save-model needs the counts (drop --no-count)")
    last = run["history"][-1]
    summary = {"task": args.task, "epochs": args.epochs, "loss": last["loss"],
               "accuracy": last["accuracy"], "domain": run["domain"],
               "tracked": [{k: t[k] for k in ("epoch", "loss", "accuracy", "activation_regions",
                                             "decision_boundary_pieces")}
                           for t in run["tracked"]],
               "out": args.out, "csv": args.csv, "model": args.save_model}
    if args.json:
        print(json_dumps(summary))
        return 0
    print(f"{'epoch':>5}  {'loss':>8}  {'accuracy':>8}  {'regions':>7}  {'db pieces':>9}")
    for t in run["tracked"] or run["history"][-1:]:
        print(f"{t['epoch']:>5}  {t['loss']:>8.4f}  {t['accuracy']:>8.3f}  "
              f"{t.get('activation_regions', '-'):>7}  {t.get('decision_boundary_pieces', '-'):>9}")
    for label, path in (("run", args.out), ("csv", args.csv), ("model", args.save_model)):
        if path:
            print(f"written {label}: {path}")
    return 0


def _run(args):
    # --time-limit bounds the whole command, loading and analysis included.
    deadline = _Deadline(getattr(args, "time_limit", None))
    if args.command == "certify":
        return _run_certify(args, deadline)
    if args.command == "verify":
        return _run_verify(args)
    if args.command == "bounds":
        return _run_bounds(args)
    if args.command == "graph":
        return _run_graph(args, deadline)
    if args.command == "plot":
        return _run_plot(args, deadline)
    if args.command == "cells":
        return _run_cells(args)
    if args.command == "sample":
        return _run_sample(args)
    if args.command == "train":
        return _run_train(args)
    if args.command == "count":
        network = load_network(args.model)
        domain = domain_from_args(args, network.input_dim)
    elif args.command == "demo":
        from ..data import default_network

        network = default_network()
        domain = Box.cube(network.input_dim, -3, 3)
    else:
        raise DomainError("no command given: try 'polyregions count MODEL --box -1 1' or 'polyregions demo'")
    summary = _count(network, domain, args, deadline)
    if args.json:
        print(json_dumps(summary))
    else:
        _print_table(summary)
    return _exit_status(summary["stop_reason"], summary["analysis_stop_reason"])


def main(argv=None):
    """Run the command line; return the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return _run(args)
    except PolyregionsError as err:
        print(f"polyregions: error: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("polyregions: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # the reader went away (e.g. `| head`): stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as err:  # one line, never a traceback, for anything unforeseen
        print(f"polyregions: internal error: {type(err).__name__}: {err}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
