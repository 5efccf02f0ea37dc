"""Runs: enumerate, count or stream the regions, under limits, serially or in parallel.

The public entry points of the enumeration. They check their arguments before
any work (:func:`check_run_arguments`, and the kernel backend's name, see
:mod:`polyregions.enumeration.backends`), choose the executor (this process, a
process pool or a dask cluster) and hand back regions in the engine's
deterministic order, the same whatever the executor and the backend.
"""

import math
import os
import time
from collections.abc import Callable, Iterator
from typing import Any

from ..domain import Domain
from ..errors import LimitReached
from ..network import Network
from . import parallel
from .arguments import check_positive_integer, check_positive_seconds
from .backends import resolve_options
from .complex import Region, RegionComplex
from .engine import prepare
from .kernel import EngineOptions

__all__ = [
    "iter_regions",
    "enumerate_regions",
    "LimitedRun",
    "count_regions",
    "count_serially",
    "check_run_arguments",
]


def iter_regions(network: Network, domain: Domain, *,
                 options: EngineOptions | None = None) -> Iterator[Region]:
    """Yield the full-dimensional activation regions of `network` in `domain`.

    Regions stream out as they are finished, in a deterministic order, so the
    caller can stop at any time and keeps every region already yielded.

    Parameters
    ----------
    network : Network
    domain : Domain
        Its ``input_dim`` must be the network's.
    options : EngineOptions, optional
        The kernel backend and its fast paths; no option changes a region.

    Yields
    ------
    Region

    Raises
    ------
    DomainError
        When the domain does not fit the network.
    UsageError
        When `options` names no known kernel backend.

    Examples
    --------
    >>> from polyregions import Network, ReluLayer, Box
    >>> net = Network(2, [ReluLayer([[1, 0], [0, 1], [1, 1]], [0, 0, 0])])
    >>> sum(1 for _ in iter_regions(net, Box.cube(2, -1, 1)))  # three lines through 0
    6
    """
    job, root = prepare(network, domain, options)
    for record in job.drain([root]):
        yield job.region(record)


def enumerate_regions(network: Network, domain: Domain, *, max_regions: int | None = None,
                      time_limit: float | None = None,
                      progress: Callable[[int], object] | None = None,
                      stop_on_interrupt: bool = False, workers: int | None = 1,
                      dask: str | None = None, checkpoint: str | os.PathLike[str] | None = None,
                      options: EngineOptions | None = None) -> RegionComplex:
    """Return every full-dimensional activation region as a :class:`RegionComplex`.

    Parameters
    ----------
    network : Network
    domain : Domain
    max_regions : int, optional
        Stop after this many regions (at least 1).
    time_limit : float, optional
        Stop after about this many seconds (above 0; checked as regions finish).
    progress : callable, optional
        Called with the number of regions found so far, after each region; with
        several workers or dask, as each subtree finishes (in any order).
    stop_on_interrupt : bool, optional
        If true, Ctrl-C (KeyboardInterrupt) ends the enumeration and the regions
        found so far are returned, marked partial, instead of being lost.
    workers : int, optional
        Processes to use (a process pool when above 1; at least 1).
    dask : str, optional
        A dask.distributed scheduler address, or ``"local"`` for a LocalCluster.
    checkpoint : str or path-like, optional
        A folder keeping finished work; the same call resumes from it.
    options : EngineOptions, optional
        The kernel backend and its fast paths (``POLYREGIONS_KERNEL`` picks the
        backend when the options do not); no option changes a region.

    Returns
    -------
    RegionComplex
        The same regions in the same order whatever the executor and the kernel
        backend; with ``complete=False`` and ``stop_reason`` set
        (``"max_regions"``, ``"time_limit"`` or ``"interrupt"``) when the work
        stopped early.

    Raises
    ------
    UsageError
        When a limit, the number of workers or the kernel backend is not valid
        (see :func:`check_run_arguments`), before any work is done.

    Examples
    --------
    >>> from polyregions import Network, MaxoutLayer, WholeSpace
    >>> net = Network(1, [MaxoutLayer([[[1], [0], [-1]]], [[0, 1, 0]])])  # max(x, 1, -x)
    >>> len(enumerate_regions(net, WholeSpace(1)))
    3
    """
    run = LimitedRun(network, domain, max_regions=max_regions, time_limit=time_limit,
                     progress=progress, stop_on_interrupt=stop_on_interrupt, workers=workers,
                     dask=dask, checkpoint=checkpoint, options=options)
    regions = list(run)
    return RegionComplex(network, domain, regions, seconds=run.seconds,
                         stop_reason=run.stop_reason)


class _OutOfTime(Exception):
    """The time limit passed while subtrees were still being waited for."""


class LimitedRun:
    """Iterate the regions under limits; afterwards ``stop_reason`` and ``seconds`` are set.

    The streaming form of :func:`enumerate_regions` (same parameters): regions
    are yielded as they are found and nothing is kept, so memory stays flat.

    Examples
    --------
    >>> from polyregions import Network, ReluLayer, Box
    >>> run = LimitedRun(Network(1, [ReluLayer([[1], [1]], [0, 1])]), Box([-2], [2]), max_regions=2)
    >>> [r.pattern for r in run], run.stop_reason
    ([((0, 0),), ((0, 1),)], 'max_regions')
    """

    def __init__(self, network: Network, domain: Domain, *, max_regions: int | None = None,
                 time_limit: float | None = None, progress: Callable[[int], object] | None = None,
                 stop_on_interrupt: bool = False, workers: int | None = 1, dask: str | None = None,
                 checkpoint: str | os.PathLike[str] | None = None,
                 options: EngineOptions | None = None) -> None:
        workers = check_run_arguments(max_regions=max_regions, time_limit=time_limit,
                                      workers=workers)
        self.network, self.domain = network, domain
        self.max_regions, self.time_limit, self.progress = max_regions, time_limit, progress
        self.stop_on_interrupt = stop_on_interrupt
        self.executor_arguments = (workers, dask, checkpoint)
        self.options = resolve_options(options)
        self.stop_reason: str | None = None
        self.seconds, self.count = 0.0, 0
        self.bounded = 0  # set by tally()
        self._reported = 0
        self._deadline: float | None = None

    def _report(self, found: int) -> None:
        # Subtrees finish ahead of the in-order hand-over: report the larger count, once.
        if self.progress is not None and found > self._reported:
            self._reported = found
            self.progress(found)

    def _subtree_finished(self, found: int) -> None:
        # Subtrees finish in any order: the time limit is noticed as soon as one does,
        # not only when the next subtree in order is handed over.
        self._report(found)
        if self._deadline is not None and time.perf_counter() > self._deadline:
            raise _OutOfTime

    def _stream(self) -> tuple[Any, Any]:
        """The region generator and the executor to close after it (None when serial)."""
        workers, dask, checkpoint = self.executor_arguments
        if workers == 1 and dask is None and checkpoint is None:
            return iter_regions(self.network, self.domain, options=self.options), None
        # Looked up on the module, so that tests can put a stand-in executor there.
        executor = parallel.executor_for(workers, dask)
        stream = parallel.iter_regions_parallel(self.network, self.domain, executor,
                                                checkpoint=checkpoint, found=self._subtree_finished,
                                                options=self.options)
        return stream, executor

    def __iter__(self) -> Iterator[Region]:
        start = time.perf_counter()
        deadline = None if self.time_limit is None else start + self.time_limit
        self._deadline = deadline
        stream, executor = self._stream()
        try:
            for region in stream:
                self.count += 1
                yield region
                self._report(self.count)
                if self.max_regions is not None and self.count >= self.max_regions:
                    # Complete only if nothing is left (this looks one region ahead).
                    if next(stream, None) is not None:
                        self.stop_reason = "max_regions"
                    break
                if deadline is not None and time.perf_counter() > deadline:
                    self.stop_reason = "time_limit"
                    break
        except _OutOfTime:
            self.stop_reason = "time_limit"
        except KeyboardInterrupt:
            if not self.stop_on_interrupt:
                raise
            self.stop_reason = "interrupt"
        finally:
            stream.close()
            if executor is not None:
                executor.close()
            self.seconds = time.perf_counter() - start

    def tally(self) -> int:
        """Run to the end counting the regions, keeping none; return their number.

        Afterwards :attr:`count`, :attr:`bounded`, :attr:`stop_reason` and
        :attr:`seconds` are set as after iterating, and the count is the number of
        regions iterating would have yielded. A serial run counts whole subtrees
        (with the native backend without making a record, see
        :class:`~polyregions.enumeration.engine.RegionCounter`); so does a run on
        worker processes without limits (each worker counts its subtrees); a run
        with limits on workers, with dask or with a checkpoint streams the regions
        and counts them.

        Examples
        --------
        >>> from polyregions import Network, ReluLayer, Box
        >>> run = LimitedRun(Network(1, [ReluLayer([[1], [1]], [0, 1])]), Box([-2], [2]))
        >>> run.tally(), run.bounded, run.stop_reason
        (3, 3, None)
        """
        workers, dask, checkpoint = self.executor_arguments
        if workers == 1 and dask is None and checkpoint is None:
            self._tally_serially()
        elif dask is None and checkpoint is None and self.max_regions is None \
                and self.time_limit is None:
            self._tally_in_workers(workers)
        else:
            self.bounded = sum(region.is_bounded for region in self)
        return self.count

    def _tally_in_workers(self, workers: int) -> None:
        # No limit to check between regions: the workers count and send back numbers only.
        def found(regions: int, bounded: int) -> None:
            self.count, self.bounded = regions, bounded
            self._report(regions)

        start = time.perf_counter()
        executor = parallel.executor_for(workers)
        try:
            parallel.count_parallel(self.network, self.domain, executor, options=self.options,
                                    found=found)
        except KeyboardInterrupt:
            if not self.stop_on_interrupt:
                raise
            self.stop_reason = "interrupt"
        finally:
            executor.close()
            self.seconds = time.perf_counter() - start

    def _tally_serially(self) -> None:
        start = time.perf_counter()
        deadline = None if self.time_limit is None else start + self.time_limit
        self.count = self.bounded = 0
        try:
            job, root = prepare(self.network, self.domain, self.options)
            counter = job.counter([root])
            while not counter.done:
                if self.max_regions is not None and self.count >= self.max_regions:
                    self.stop_reason = "max_regions"
                    break
                if deadline is not None and time.perf_counter() > deadline:
                    self.stop_reason = "time_limit"
                    break
                left = math.inf if self.max_regions is None else self.max_regions - self.count
                found, bounded = counter.batch(left)
                self.count, self.bounded = self.count + found, self.bounded + bounded
                self._report(self.count)
        except KeyboardInterrupt:
            if not self.stop_on_interrupt:
                raise
            self.stop_reason = "interrupt"
        finally:
            self.seconds = time.perf_counter() - start


def check_run_arguments(*, max_regions: int | None = None, time_limit: float | None = None,
                        workers: int | None = 1, as_options: bool = False) -> int:
    """Check the limits and worker count of a run; return the number of workers.

    The checks of :func:`enumerate_regions`, :class:`LimitedRun` and the command
    line (which passes ``as_options=True``, so that messages name ``--max-regions``
    rather than ``max_regions``).

    Parameters
    ----------
    max_regions : int or None
        At least 1.
    time_limit : real or None
        Seconds, above 0.
    workers : int or None
        At least 1; None means 1.
    as_options : bool, optional
        Name the arguments as command-line options in error messages.

    Returns
    -------
    int
        The number of workers.

    Raises
    ------
    UsageError
        Naming the first bad argument and its value.

    Examples
    --------
    >>> check_run_arguments(max_regions=10, time_limit=2.5, workers=None)
    1
    >>> check_run_arguments(workers=0, as_options=True)
    Traceback (most recent call last):
    ...
    polyregions.errors.UsageError: --workers must be positive, got 0
    """
    def name(keyword: str) -> str:
        return "--" + keyword.replace("_", "-") if as_options else keyword

    if max_regions is not None:
        check_positive_integer(max_regions, name("max_regions"))
    if time_limit is not None:
        check_positive_seconds(time_limit, name("time_limit"))
    return 1 if workers is None else check_positive_integer(workers, name("workers"))


def count_regions(network: Network, domain: Domain, **limits: Any) -> int:
    """The number of full-dimensional activation regions of `network` in `domain`.

    Keyword arguments are those of :func:`enumerate_regions` (limits, workers,
    options); when a limit stops the work early, :class:`LimitReached` is raised
    rather than a wrong count. The native kernel makes no region to count them, and
    in a 2-D domain counts the last layer's regions inside each polygon from its
    units' lines, without cutting it (docs/engine.md, "Counting without the regions").

    Examples
    --------
    >>> from polyregions import Network, ReluLayer, Box
    >>> count_regions(Network(1, [ReluLayer([[1], [1]], [0, 1])]), Box([-2], [2]))
    3
    """
    if set(limits) <= {"max_regions", "time_limit", "options", "workers"} \
            and limits.get("workers", 1) in (1, None):
        check_run_arguments(**{k: v for k, v in limits.items() if k != "options"})
        regions, _ = count_serially(network, domain, max_regions=limits.get("max_regions"),
                                    time_limit=limits.get("time_limit"),
                                    options=limits.get("options"))
        return regions
    if set(limits) <= {"options", "workers"}:
        # Without limits, workers count their subtrees and send back numbers, not regions.
        workers = check_run_arguments(workers=limits.get("workers"))
        executor = parallel.executor_for(workers)
        try:
            return parallel.count_parallel(network, domain, executor,
                                           options=limits.get("options"))[0]
        finally:
            executor.close()
    result = enumerate_regions(network, domain, **limits)
    if not result.complete:
        raise LimitReached(f"a limit stopped the count after {len(result)} regions")
    return len(result)


def count_serially(network: Network, domain: Domain, *, max_regions: int | None = None,
                   time_limit: float | None = None,
                   options: EngineOptions | None = None) -> tuple[int, int]:
    """The numbers of regions and of bounded regions, counted in this process without records.

    The native backend counts whole subtrees without making a record or a region
    (:meth:`polyregions.enumeration.engine.Job.count`); the count is the one
    :func:`enumerate_regions` gives.

    Raises
    ------
    LimitReached
        When `max_regions` or `time_limit` stops the count early.

    Examples
    --------
    >>> from polyregions import Network, ReluLayer, WholeSpace
    >>> count_serially(Network(2, [ReluLayer([[1, 0], [0, 1], [1, 1]], [0, 0, -1])]), WholeSpace(2))
    (7, 1)
    """
    check_run_arguments(max_regions=max_regions, time_limit=time_limit)
    start = time.perf_counter()
    job, root = prepare(network, domain, resolve_options(options))
    regions = bounded = 0
    # One region past the limit tells a complete count from a stopped one.
    limit = None if max_regions is None else max_regions + 1
    late = False
    for found, found_bounded in job.count([root], limit):
        if late:  # work was left when the time ran out
            raise LimitReached(f"a limit stopped the count after {regions} regions")
        regions, bounded = regions + found, bounded + found_bounded
        late = time_limit is not None and time.perf_counter() - start > time_limit
    if max_regions is not None and regions > max_regions:
        raise LimitReached(f"a limit stopped the count after {max_regions} regions")
    return regions, bounded
