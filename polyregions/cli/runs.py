"""Running an enumeration and its analysis phases under one command's limits.

``--time-limit`` bounds the whole command: a :class:`Deadline` is fixed when the
command starts; the enumeration gets the time left, and the analysis phases
(:func:`run_phases`) stop when it has passed or at Ctrl-C, keeping what they
finished. :func:`exit_status` turns the stop reasons into the exit status.
"""

import argparse
import contextlib
import gc
import os
import sys
import time
from typing import Any, Callable, Iterator, NamedTuple, Optional, Sequence

from ..domain import Domain
from ..enumeration.complex import RegionComplex
from ..enumeration.kernel import EngineOptions
from ..enumeration.run import check_run_arguments, enumerate_regions
from ..errors import UsageError
from ..network import Network
from .options import Progress, check_output_folder

__all__ = [
    "Deadline",
    "PhaseRun",
    "Phase",
    "NOT_ANALYSED",
    "STOPPED_BY",
    "run_phases",
    "exit_status",
    "analysis_rows",
    "run_options",
    "enumerate_with_options",
    "result_summary",
    "enumerate_and_analyse",
    "collector_paused",
]


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Keep Python's cyclic garbage collector off inside the block; as it was after.

    An enumeration keeps every region: thousands of small acyclic objects, each
    counting towards the next collection, and each full collection walks all of
    them again (a tenth of ``count``'s time on [3, 15, 15]). Their memory is
    freed by reference counting; a cycle made inside the block waits for the
    next full collection after it: what the block made and kept goes straight to
    the oldest generation (as long-lived objects do), unscanned.

    Examples
    --------
    >>> with collector_paused():
    ...     gc.isenabled()
    False
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()  # then unfreeze: into the oldest generation, without a collection
        gc.unfreeze()
        if was_enabled:
            gc.enable()


class _OutOfTime(Exception):
    """The deadline passed during the analysis (never leaves this module)."""


class Deadline:
    """The end of a command's ``--time-limit``, fixed once when the command starts.

    Examples
    --------
    >>> Deadline(None).remaining() is None
    True
    >>> 0 < Deadline(60).remaining() <= 60
    True
    """

    clock = staticmethod(time.perf_counter)  # a test can make time pass faster here

    def __init__(self, seconds: Optional[float]) -> None:
        self.end = None if seconds is None else self.clock() + seconds

    def remaining(self) -> Optional[float]:
        """The seconds left, None without a limit.

        Never below a nanosecond: the library refuses a limit of 0, and a spent
        deadline should stop the enumeration at its first region, as any limit does.
        """
        return None if self.end is None else max(1e-9, self.end - self.clock())

    def check(self) -> None:
        """Raise _OutOfTime once the deadline has passed."""
        if self.end is not None and self.clock() > self.end:
            raise _OutOfTime


class PhaseRun(NamedTuple):
    """What a run of analysis phases finished, and why and where it stopped (None: it did not).

    Examples
    --------
    >>> PhaseRun({"edges": 3}).json_keys()
    {'analysis_complete': True, 'analysis_stop_reason': None, 'analysis_stopped_in': None}
    """

    finished: dict
    stop_reason: Optional[str] = None
    stopped_in: Optional[str] = None

    def json_keys(self) -> dict:
        """The JSON keys saying whether the analysis is complete.

        Examples
        --------
        >>> PhaseRun({}, "time_limit", "graph").json_keys()["analysis_complete"]
        False
        """
        return {"analysis_complete": self.stop_reason is None,
                "analysis_stop_reason": self.stop_reason, "analysis_stopped_in": self.stopped_in}


#: The analysis keys of a command that did not analyse.
NOT_ANALYSED = {"analysis_complete": None, "analysis_stop_reason": None,
                "analysis_stopped_in": None}

#: The option or key that stopped the work, by stop reason, as the tables name it.
STOPPED_BY = {"max_regions": "--max-regions", "time_limit": "--time-limit", "interrupt": "Ctrl-C"}

#: A named analysis phase: ``step(callback, finished)`` returns a dict of results.
Phase = tuple[str, Callable[[Callable[[int, int], None], dict], dict]]


def run_phases(phases: Sequence[Phase], progress: Progress, deadline: Deadline) -> PhaseRun:
    """Run analysis phases in order until the deadline passes or Ctrl-C; a PhaseRun.

    `phases` are ``(name, step)`` pairs; ``step(callback, finished)`` returns a
    dict of results and gets the callback the analysis functions report to
    (it moves the bar and checks the deadline) and the results of the phases
    before it. A stopped phase leaves no result: nothing half-done is reported.

    Examples
    --------
    >>> quiet = Progress(argparse.Namespace(json=True, no_progress=True))
    >>> run_phases([("sum", lambda callback, finished: {"sum": 3})], quiet, Deadline(None))
    PhaseRun(finished={'sum': {'sum': 3}}, stop_reason=None, stopped_in=None)
    """
    def callback(done: int, total: int) -> None:
        progress.update(done, total)
        deadline.check()

    finished: dict = {}
    try:
        for name, step in phases:
            progress.phase(name)
            deadline.check()
            finished[name] = step(callback, finished)
    except (_OutOfTime, KeyboardInterrupt) as stop:
        cut = next((name for name, _ in phases if name not in finished), None)
        if cut is not None:
            return PhaseRun(finished, "time_limit" if isinstance(stop, _OutOfTime) else
                            "interrupt", cut)
    return PhaseRun(finished)


def exit_status(*stop_reasons: Optional[str]) -> int:
    """130 when Ctrl-C stopped the work (after printing what was finished), else 0.

    Examples
    --------
    >>> exit_status(None, "time_limit")
    0
    """
    if "interrupt" in stop_reasons:
        print("polyregions: interrupted; what was finished is printed", file=sys.stderr)
        return 130
    return 0


def analysis_rows(summary: dict, not_computed: Sequence[str]) -> list[tuple[str, str]]:
    """Table rows marking a stopped analysis, naming what was not computed; [] when complete.

    Examples
    --------
    >>> analysis_rows(PhaseRun({}, "interrupt", "graph").json_keys(), ["edges"])[1]
    ('  not computed', 'edges')
    """
    if summary["analysis_complete"] is not False:
        return []
    by = STOPPED_BY[summary["analysis_stop_reason"]]
    if summary["analysis_stopped_in"] == "enumerating":
        return [("analysis", f"not run: the enumeration was stopped by {by}")]
    return [("analysis", f"PARTIAL: stopped by {by} in the {summary['analysis_stopped_in']} "
                         "phase"),
            ("  not computed", ", ".join(not_computed) or "-")]


def run_options(network: Network, domain: Domain, args: argparse.Namespace,
                deadline: Deadline, adjacency: bool = False) -> dict[str, Any]:
    """Check the run options once; the keyword arguments of an enumeration.

    The enumeration gets the time left before the command's deadline; with
    `adjacency` it tracks the facets regions share, for a command that builds
    the region graph.

    Raises
    ------
    UsageError
        Naming the first bad option and its value.
    ExportError
        When the ``--checkpoint`` folder cannot be created or written.

    Examples
    --------
    >>> from polyregions import Box, Network, ReluLayer
    >>> from polyregions.cli.main import build_parser
    >>> args = build_parser("count").parse_args(["count", "model.json", "--box", "-1", "1",
    ...                                          "--max-regions", "100"])
    >>> net = Network(2, [ReluLayer([[1, 0]], [0])])
    >>> run_options(net, Box.cube(2, -1, 1), args, Deadline(None))["max_regions"]
    100
    """
    check_run_arguments(max_regions=args.max_regions, time_limit=args.time_limit,
                        workers=args.workers, as_options=True)
    if args.resume and not (args.checkpoint and os.path.isdir(args.checkpoint)):
        raise UsageError("--resume needs the --checkpoint DIR of an earlier run")
    domain.check_network(network)
    if args.checkpoint:
        check_output_folder(args.checkpoint, "--checkpoint")
    return dict(max_regions=args.max_regions, time_limit=deadline.remaining(),
                stop_on_interrupt=True, workers=args.workers, dask=args.dask,
                checkpoint=args.checkpoint, options=EngineOptions(adjacency=adjacency))


def enumerate_with_options(network: Network, domain: Domain, args: argparse.Namespace,
                           deadline: Deadline, progress: Progress,
                           adjacency: bool = False) -> RegionComplex:
    """Enumerate with the progress bar, limits and backend of the run options.

    With `adjacency` the enumeration tracks the facets regions share, for the region graph.

    Examples
    --------
    >>> from polyregions import Box, Network, ReluLayer
    >>> from polyregions.cli.main import build_parser
    >>> from polyregions.cli.options import Progress
    >>> args = build_parser("count").parse_args(["count", "model.json", "--box", "-1", "1", "--json"])
    >>> net = Network(2, [ReluLayer([[1, 0], [0, 1]], [0, 0])])
    >>> with Progress(args) as progress:
    ...     result = enumerate_with_options(net, Box.cube(2, -1, 1), args, Deadline(None), progress)
    >>> len(result), result.complete
    (4, True)
    """
    options = run_options(network, domain, args, deadline, adjacency)
    progress.phase("enumerating")
    return enumerate_regions(network, domain, progress=progress.update, **options)


def result_summary(network: Network, domain: Domain, result: RegionComplex,
                   phases: PhaseRun) -> dict:
    """The JSON keys every enumerating subcommand reports (`phases`: its analysis).

    Examples
    --------
    >>> from polyregions import Box, Network, ReluLayer, enumerate_regions
    >>> net, box = Network(2, [ReluLayer([[1, 0]], [0])]), Box.cube(2, -1, 1)
    >>> summary = result_summary(net, box, enumerate_regions(net, box), PhaseRun({}))
    >>> summary["activation_regions"], summary["complete"], summary["analysis_complete"]
    (2, True, True)
    """
    return {"input_dim": network.input_dim, "domain": domain.to_spec(),
            "activation_regions": len(result), "bounded_regions": result.bounded_count,
            "complete": result.complete, "stop_reason": result.stop_reason,
            "seconds": round(result.seconds, 6), **phases.json_keys()}


def enumerate_and_analyse(network: Network, domain: Domain, args: argparse.Namespace, deadline: Deadline,
                          phases_of: Callable[[RegionComplex], Sequence[Phase]]
                          ) -> tuple[RegionComplex, PhaseRun]:
    """Enumerate under the run options, then run the phases ``phases_of(result)``, with one progress bar.

    When ``--time-limit`` stopped the enumeration, no phase is run: the report says
    the analysis stopped while enumerating, as ``count`` says it. The phases build
    the region graph, so the enumeration tracks adjacency.

    Examples
    --------
    One analysis phase, the region graph, after the enumeration:

    >>> from polyregions import Box, Network, ReluLayer, region_graph
    >>> from polyregions.cli.main import build_parser
    >>> args = build_parser("graph").parse_args(["graph", "model.json", "--box", "-1", "1", "--json"])
    >>> net = Network(2, [ReluLayer([[1, 0], [0, 1]], [0, 0])])
    >>> def phases_of(result):
    ...     return [("graph", lambda callback, finished: {"graph": region_graph(result)})]
    >>> result, phases = enumerate_and_analyse(net, Box.cube(2, -1, 1), args, Deadline(None), phases_of)
    >>> len(result), phases.finished["graph"]["graph"].number_of_edges(), phases.stop_reason
    (4, 4, None)
    """
    with Progress(args) as progress:
        result = enumerate_with_options(network, domain, args, deadline, progress, adjacency=True)
        if result.stop_reason == "time_limit":
            return result, PhaseRun({}, "time_limit", "enumerating")
        return result, run_phases(phases_of(result), progress, deadline)
