"""Parallel and distributed enumeration, with checkpoints.

Regions are independent once created, so the enumeration splits into subtrees:
the root region is refined breadth-first until there are enough pending work
items, each item's subtree is finished by a worker, and the results are put
back in the order the serial depth-first engine would produce them. The output
is therefore identical to :func:`polyregions.iter_regions`, region for region
and in the same order, whatever the backend and the number of workers.

Backends share one small interface, ``map(function, items, done=None)``
yielding results in the order of `items` and calling ``done(result)`` as each
result arrives, in whatever order the workers finish:

* :class:`SerialExecutor` (in this process),
* :class:`ProcessExecutor` (a process pool on this machine),
* :class:`DaskExecutor` (a dask.distributed cluster: an existing scheduler, or a
  ``LocalCluster`` on loopback; extra ``dask``). Dask reschedules the task of a
  worker that dies.

With a checkpoint folder every finished subtree is written to its own file
(atomically: written aside, then renamed), so a run stopped at any point — Ctrl-C,
``kill -9``, a crashed worker — resumes with no region lost or counted twice. A
part file carries its record count and a SHA-256 checksum (the checked JSON-lines
layout of :mod:`polyregions.enumeration.stream`); on resume a part that does not match them
(truncated, edited, copied from another part) is recomputed, with one warning
logged for the run.

Adjacency tracked by the engine (``EngineOptions(adjacency=True)``) survives the
split: the links between subtrees are cut before they go to the workers
(:func:`polyregions.enumeration.adjacency.detach`), each subtree comes back with
the pieces its regions share with the others, and these are stitched along the
cuts that separated the subtrees, so every record names the same shared facets
as in a serial run. With a checkpoint folder, adjacency is not tracked (the
parts keep regions only) and the graph finds it after the fact.
"""

import concurrent.futures
import concurrent.futures.process
import contextlib
import dataclasses
import functools
import hashlib
import io
import json
import logging
import os
from collections.abc import Callable, Iterable, Iterator
from typing import Any, Generic, Literal, Protocol, TypeVar

from ..domain import Domain
from ..errors import CorruptFileError, ExecutionError, ExportError, UsageError, require_extra
from ..network import Network
from . import adjacency
from .arguments import check_positive_integer
from .complex import Region
from .engine import Job, WorkItem, prepare
from .kernel import EngineOptions, RegionRecord, SharedFacet
from .stream import LineWriter, read_lines

__all__ = [
    "SerialExecutor",
    "ProcessExecutor",
    "DaskExecutor",
    "executor_for",
    "iter_regions_parallel",
    "count_parallel",
    "split_work",
    "Executor",
    "Entry",
]

T = TypeVar("T")
R = TypeVar("R")

Entry = tuple[Literal["done"], RegionRecord, WorkItem] | tuple[Literal["todo"], WorkItem]
"""A finished region's record (and its work item), or a work item whose subtree is still to do."""


class Executor(Protocol):
    """The interface every executor backend offers (see the module docstring).

    Examples
    --------
    Every backend offers ``map`` and ``close``:

    >>> executor: Executor = executor_for(workers=1)
    >>> list(executor.map(str, [1, 2]))
    ['1', '2']
    >>> executor.close()
    """

    @property
    def workers(self) -> int:
        """How many tasks run at once."""

    def map(self, function: Callable[[T], R], items: Iterable[T],
            done: Callable[[R], object] | None = None) -> Iterator[R]:
        """``function(item)`` for every item, in order; `done` hears of each on arrival."""

    def close(self) -> None:
        """Stop and release the workers."""


class SerialExecutor:
    """Runs every task in this process (the reference backend).

    Examples
    --------
    >>> executor = SerialExecutor()
    >>> executor.workers, list(executor.map(abs, [-1, 2]))
    (1, [1, 2])
    """

    workers = 1

    def map(self, function: Callable[[T], R], items: Iterable[T],
            done: Callable[[R], object] | None = None) -> Iterator[R]:
        order: _InOrder[R] = _InOrder(done)
        for index, item in enumerate(items):
            yield from order.arrive(index, function(item))

    def close(self) -> None:
        pass


class ProcessExecutor:
    """A pool of `workers` processes on this machine.

    Examples
    --------
    >>> executor = ProcessExecutor(2)
    >>> sorted(executor.map(abs, [-1, 2, -3])), executor.workers
    ([1, 2, 3], 2)
    >>> executor.close()
    """

    def __init__(self, workers: int) -> None:
        self.workers = check_positive_integer(workers, "workers")
        self._pool = self._new_pool()

    def _new_pool(self) -> concurrent.futures.ProcessPoolExecutor:
        return concurrent.futures.ProcessPoolExecutor(max_workers=self.workers,
                                                      initializer=_one_blas_thread)

    def map(self, function: Callable[[T], R], items: Iterable[T],
            done: Callable[[R], object] | None = None, retries: int = 3) -> Iterator[R]:
        """Results in order; when a worker process dies, a new pool redoes what is left."""
        items = list(items)
        order: _InOrder[R] = _InOrder(done)
        while order.next < len(items):
            futures = {self._pool.submit(function, items[i]): i
                       for i in range(order.next, len(items)) if i not in order.waiting}
            try:
                for future in concurrent.futures.as_completed(futures):
                    yield from order.arrive(futures[future], future.result())
            except concurrent.futures.process.BrokenProcessPool as err:
                if retries == 0:
                    raise ExecutionError("worker processes kept dying; giving up") from err
                retries -= 1
                self._pool.shutdown(wait=False, cancel_futures=True)
                self._pool = self._new_pool()

    def close(self) -> None:
        """Stop at once: a subtree still running is given up (a limit or Ctrl-C stopped the
        run), else the interpreter would wait for it on exit."""
        running = list((self._pool._processes or {}).values())  # gone after shutdown
        self._pool.shutdown(wait=False, cancel_futures=True)
        for process in running:
            process.terminate()


def _one_blas_thread() -> None:
    # Each worker is one process on one core: BLAS threads (which spin after each
    # small product) would only take the other workers' cores.
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        return
    threadpool_limits(limits=1)


class DaskExecutor:
    """A dask.distributed cluster: `address` of a running scheduler, or "local".

    ``"local"`` starts a ``LocalCluster`` of `workers` single-threaded worker
    processes listening on loopback only.

    Examples
    --------
    >>> import inspect
    >>> inspect.signature(DaskExecutor)                       # a local cluster of two by default
    <Signature (address: str = 'local', workers: int = 2) -> None>

    Starting a cluster takes seconds and spawns worker processes, so this is not run here:

    >>> with contextlib.closing(DaskExecutor("local", workers=2)) as executor:  # doctest: +SKIP
    ...     list(executor.map(abs, [-1, 2, -3]))              # results in the order of the items
    [1, 2, 3]
    """

    def __init__(self, address: str = "local", workers: int = 2) -> None:
        distributed = require_extra("distributed", "dask", "running on dask")
        Client, LocalCluster = distributed.Client, distributed.LocalCluster
        self._cluster = None
        if address == "local":
            self._cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                         host="127.0.0.1", dashboard_address=None)
            self._client = Client(self._cluster)
        else:
            try:
                self._client = Client(address, timeout=10)
            except OSError as err:
                raise ExecutionError(f"cannot reach the dask scheduler at {address}: {err}") from err
        self.workers = max(1, len(self._client.scheduler_info().get("workers", {})) or workers)

    def map(self, function: Callable[[T], R], items: Iterable[T],
            done: Callable[[R], object] | None = None) -> Iterator[R]:
        from distributed import as_completed

        futures = self._client.map(function, list(items), pure=False, retries=3)
        index = {future.key: i for i, future in enumerate(futures)}
        order: _InOrder[R] = _InOrder(done)
        for future in as_completed(futures):
            yield from order.arrive(index[future.key], future.result())

    def close(self) -> None:
        self._client.close()
        if self._cluster is not None:
            self._cluster.close()


class _InOrder(Generic[R]):
    """Results arriving in any order, handed on in order; `done` hears of each on arrival."""

    def __init__(self, done: Callable[[R], object] | None) -> None:
        self.done = done
        self.waiting: dict[int, R] = {}
        self.next = 0

    def arrive(self, index: int, result: R) -> Iterator[R]:
        if self.done is not None:
            self.done(result)
        self.waiting[index] = result
        while self.next in self.waiting:
            yield self.waiting.pop(self.next)
            self.next += 1


def executor_for(workers: int = 1, dask: str | None = None) -> Executor:
    """The backend for ``--workers N`` / ``--dask ADDRESS`` (serial when neither).

    Examples
    --------
    >>> type(executor_for()).__name__, type(executor_for(workers=2)).__name__
    ('SerialExecutor', 'ProcessExecutor')
    """
    if dask is not None:
        return DaskExecutor(dask, workers if workers > 1 else 2)
    if workers > 1:
        return ProcessExecutor(workers)
    return SerialExecutor()


def split_work(job: Job, root: WorkItem, parts: int) -> list[Entry]:
    """Refine breadth-first until about `parts` pending subtrees; keep serial order.

    Returns a list of entries ``("done", record, work)`` and ``("todo", work)``
    in the order the serial engine would produce their regions.

    Examples
    --------
    The square cut by two ReLUs, split into about 3 independent parts for workers:

    >>> from polyregions import Box, Network, ReluLayer
    >>> from polyregions.enumeration.engine import prepare
    >>> job, root = prepare(Network(2, [ReluLayer([[1, 0], [0, 1]], [0, 0])]), Box.cube(2, -1, 1))
    >>> [entry[0] for entry in split_work(job, root, 3)]
    ['todo', 'todo', 'todo']
    """
    entries: list[Entry] = [("todo", root)]
    while True:
        pending = sum(1 for entry in entries if entry[0] == "todo")
        if pending == 0 or pending >= parts:
            return entries
        expanded: list[Entry] = []
        for entry in entries:
            if entry[0] == "todo" and pending < parts:
                out = job.step(entry[1])
                if isinstance(out, list):
                    expanded.extend(("todo", w) for w in out)
                    pending += len(out) - 1
                else:
                    expanded.append(("done", out, entry[1]))
                    pending -= 1
            else:
                expanded.append(entry)
        entries = expanded


def count_parallel(network: Network, domain: Domain, executor: Executor, *,
                   parts: int | None = None, options: EngineOptions | None = None,
                   found: Callable[[int, int], object] | None = None) -> tuple[int, int]:
    """The numbers of regions and of bounded regions, subtrees counted by `executor`.

    Workers count their subtrees without making records (with the native kernel
    without making a region at all) and send back two numbers each, so the cost of
    shipping and building regions does not eat the second core. `found` is called
    with the running ``(regions, bounded)`` as each subtree's numbers arrive, so a
    caller that is interrupted keeps the count of the finished subtrees.

    Examples
    --------
    >>> from polyregions import Network, ReluLayer, Box
    >>> net = Network(2, [ReluLayer([[1, 0], [0, 1], [1, 1]], [0, 0, "-1/2"])])
    >>> count_parallel(net, Box.cube(2, -1, 1), SerialExecutor())
    (7, 7)
    """
    parts = 16 * executor.workers if parts is None else check_positive_integer(parts, "parts")
    if options is not None:
        options = dataclasses.replace(options, adjacency=False)
    job, root = prepare(network, domain, options)
    entries = split_work(job, root, parts)
    done = [entry[1] for entry in entries if entry[0] == "done"]
    regions = len(done)
    bounded = sum(1 for record in done if not record.rays and not record.lines)
    todo = [entry[1] for entry in entries if entry[0] == "todo"]
    if found is not None:
        found(regions, bounded)
    for more, more_bounded in executor.map(functools.partial(_count, job), todo):
        regions, bounded = regions + more, bounded + more_bounded
        if found is not None:
            found(regions, bounded)
    return regions, bounded


def _count(job: Job, work: WorkItem) -> tuple[int, int]:
    regions = bounded = 0
    for found, found_bounded in job.count([work]):
        regions, bounded = regions + found, bounded + found_bounded
    return regions, bounded


def _finish(job: Job, work: WorkItem) -> list[RegionRecord]:
    return list(job.drain([work]))


Linked = tuple[list[RegionRecord], adjacency.Boundary]
"""A finished subtree's records (shared facets indexed within it) and its boundary pieces."""


def _finish_linked(job: Job, task: tuple[WorkItem, dict[int, adjacency.AdjacencyNode]]) -> Linked:
    work, standins = task
    records = list(job.drain([work]))
    return records, adjacency.boundary(standins)


def _linked_regions(job: Job, entries: list[Entry], executor: Executor,
                    report: "_Tally") -> Iterator[Region]:
    """The regions of `entries`, subtrees finished by `executor`, with their shared facets stitched."""
    standins = adjacency.detach([entry[-1].node for entry in entries])  # type: ignore[misc]
    todo = [i for i, entry in enumerate(entries) if entry[0] == "todo"]
    report(len(entries) - len(todo))
    computed = iter(executor.map(functools.partial(_finish_linked, job),
                                 [(entries[i][1], standins[i]) for i in todo],
                                 done=lambda linked: report(len(linked[0]))))
    boundaries: list[adjacency.Boundary] = []
    offsets = [0]
    for i, entry in enumerate(entries):
        if entry[0] == "done":
            shared = adjacency.finish(entry[2].node, 0)  # type: ignore[arg-type]
            records, ends = [entry[1]._replace(neighbours=shared)], adjacency.boundary(standins[i])
        else:
            records, ends = next(computed)
        boundaries.append(ends)
        records = _stitched(records, boundaries, offsets)
        offsets.append(offsets[-1] + len(records))
        yield from (job.region(r) for r in records)


def _stitched(records: list[RegionRecord], boundaries: list[adjacency.Boundary],
              offsets: list[int]) -> list[RegionRecord]:
    """The records of the last subtree, indexed from its offset, with the facets shared across subtrees."""
    f, offset = len(boundaries) - 1, offsets[-1]
    across: dict[int, list[SharedFacet]] = {}
    for e in range(f):
        for b, facet in adjacency.stitch(boundaries[e], boundaries[f], e, f, offsets[e]):
            across.setdefault(b, []).append(facet)
    out = []
    for b, record in enumerate(records):
        inside = [facet._replace(region=facet.region + offset) for facet in record.neighbours or ()]
        shared = sorted(inside + across.get(b, []), key=lambda facet: facet.region)
        out.append(record._replace(neighbours=tuple(shared)))
    # The pieces along later subtrees are all that is kept of this one.
    boundaries[f] = {g: pieces for g, pieces in boundaries[f].items() if g > f}
    return out


def iter_regions_parallel(network: Network, domain: Domain, executor: Executor | None = None, *,
                          parts: int | None = None,
                          checkpoint: str | os.PathLike[str] | None = None,
                          found: Callable[[int], object] | None = None,
                          options: EngineOptions | None = None) -> Iterator[Region]:
    """Yield the regions of `network` in `domain`, computed by `executor`.

    Parameters
    ----------
    network, domain
        As for :func:`polyregions.iter_regions`; the regions and their order are
        the same.
    executor : SerialExecutor, ProcessExecutor or DaskExecutor, optional
        Serial when not given.
    parts : int, optional
        How many subtrees to split the work into (default: 16 per worker).
    checkpoint : str or path-like, optional
        A folder where finished subtrees are kept; a later call with the same
        folder, network and domain reuses them (resume). Parts that fail their
        record count or checksum are recomputed, and a warning names them.
    found : callable, optional
        Called with the number of regions found so far (in finished subtrees,
        which may be ahead of the regions yielded) as each subtree finishes.
    options : EngineOptions, optional
        The kernel backend and its fast paths, as for :func:`polyregions.iter_regions`;
        workers use the backend chosen here.

    Raises
    ------
    UsageError
        When `parts` is not a positive integer, `options` names no known kernel
        backend, or the checkpoint folder belongs to another network, domain or split.
    ExportError
        When the checkpoint folder has an older format.

    Examples
    --------
    >>> from polyregions import Network, ReluLayer, Box
    >>> net = Network(2, [ReluLayer([[1, 0], [0, 1], [1, 1]], [0, 0, "-1/2"])])
    >>> sum(1 for _ in iter_regions_parallel(net, Box.cube(2, -1, 1)))
    7
    """
    executor = executor or SerialExecutor()
    parts = 16 * executor.workers if parts is None else check_positive_integer(parts, "parts")
    if checkpoint and options is not None:
        options = dataclasses.replace(options, adjacency=False)  # parts keep regions only
    job, root = prepare(network, domain, options)
    entries = split_work(job, root, parts)
    if root.node is not None:
        yield from _linked_regions(job, entries, executor, _Tally(found))
        return
    store = _Checkpoint(checkpoint, network, domain, len(entries)) if checkpoint else None
    todo = [(i, entry[1]) for i, entry in enumerate(entries) if entry[0] == "todo"]
    if store is not None:
        store.keep_valid(i for i, _ in todo)
    missing = [(i, w) for i, w in todo if store is None or not store.has(i)]
    report = _Tally(found)
    report(len(entries) - len(todo))
    computed = executor.map(functools.partial(_finish, job), [w for _, w in missing],
                            done=lambda records: report(len(records)))
    computed_at = iter(zip((i for i, _ in missing), computed))
    for i, entry in enumerate(entries):
        if entry[0] == "done":
            yield job.region(entry[1])
            continue
        if store is not None and store.has(i):
            records = store.load(i)
            report(len(records))
        else:
            index, records = next(computed_at)
            assert index == i
            if store is not None:
                store.save(i, records)
        for record in records:
            yield job.region(record)


_log = logging.getLogger(__name__)

_MANIFEST_FORMAT = "polyregions/checkpoint-v2"
_PART_FORMAT = "polyregions/checkpoint-part-v2"
_PART_FOOTER = ("end", "count", "sha256")


class _Tally:
    """Adds up the regions of finished subtrees and tells `found` the running total."""

    def __init__(self, found: Callable[[int], object] | None) -> None:
        self.found, self.total = found, 0

    def __call__(self, regions: int) -> None:
        self.total += regions
        if self.found is not None:
            self.found(self.total)


class _Checkpoint:
    """Finished subtrees on disk, one checked file each, written atomically.

    A part is a header ``{"format", "checkpoint", "part"}`` (the folder's
    fingerprint and the part's index, so that a part copied from elsewhere does not
    match), one line per record, and a footer with the count and the SHA-256 of
    the lines before it (see :class:`polyregions.enumeration.stream.LineWriter`).
    """

    def __init__(self, folder: str | os.PathLike[str], network: Network, domain: Domain,
                 size: int) -> None:
        from ..network import network_to_dict

        self.folder = os.fspath(folder)
        try:
            os.makedirs(self.folder, exist_ok=True)
        except OSError as err:
            raise ExportError.cannot_write(self.folder, err) from err
        identity = json.dumps([network_to_dict(network), domain.to_spec(), size], sort_keys=True)
        self.fingerprint = hashlib.sha256(identity.encode()).hexdigest()
        self._valid: set[int] = set()  # the parts known to be whole: checked, or saved by this run
        manifest = os.path.join(self.folder, "manifest.json")
        if os.path.exists(manifest):
            self._check_manifest(manifest)
        else:
            _write_atomically(manifest, json.dumps({"format": _MANIFEST_FORMAT,
                                                    "fingerprint": self.fingerprint,
                                                    "parts": size}).encode())

    def _check_manifest(self, manifest: str) -> None:
        try:
            with open(manifest, encoding="utf-8") as f:
                data = json.load(f)
        except (OSError, UnicodeDecodeError, ValueError) as err:
            raise CorruptFileError(f"checkpoint manifest {manifest} cannot be read ({err}); "
                                   "remove the folder or choose another") from None
        found = data.get("format") if isinstance(data, dict) else None
        if found != _MANIFEST_FORMAT:
            raise ExportError(f"checkpoint {self.folder} has the format {found!r}, not "
                              f"{_MANIFEST_FORMAT!r} (parts without checksums); remove it or "
                              "choose another folder")
        if data.get("fingerprint") != self.fingerprint:
            raise UsageError(
                f"checkpoint {self.folder} belongs to another network, domain or split")

    def _path(self, index: int) -> str:
        return os.path.join(self.folder, f"part-{index:06d}.json")

    def keep_valid(self, indices: Iterable[int]) -> None:
        """Check the stored parts among `indices`; the others count as missing.

        One warning names the parts that fail their count or checksum.
        """
        bad = []
        for index in indices:
            if not os.path.exists(self._path(index)):
                continue
            try:
                self._read(index, parse=False)
                self._valid.add(index)
            except (OSError, CorruptFileError):
                bad.append(os.path.basename(self._path(index)))
        if bad:
            shown = ", ".join(bad[:5]) + (f" and {len(bad) - 5} more" if len(bad) > 5 else "")
            _log.warning("checkpoint %s: %d part(s) failed their record count or checksum and "
                         "are recomputed: %s", self.folder, len(bad), shown)

    def has(self, index: int) -> bool:
        return index in self._valid

    def save(self, index: int, records: Iterable[RegionRecord]) -> None:
        out = io.BytesIO()
        lines = LineWriter(out, {"format": _PART_FORMAT, "checkpoint": self.fingerprint,
                                 "part": index})
        for record in records:
            lines.write(record.to_json())
        lines.end()
        _write_atomically(self._path(index), out.getvalue())
        self._valid.add(index)

    def _read(self, index: int, parse: bool) -> tuple[Any, ...]:
        """The checked records of a part; CorruptFileError if it does not match."""
        path = self._path(index)
        stored = read_lines(path, "checkpoint part", parse=parse)
        if stored.footer is None:
            raise CorruptFileError(f"checkpoint part {path} has no footer")
        stored.check(path, "checkpoint part", _PART_FOOTER)
        expected = {"format": _PART_FORMAT, "checkpoint": self.fingerprint, "part": index}
        if stored.header != expected:
            raise CorruptFileError(f"checkpoint part {path} belongs to another part or checkpoint")
        return stored.records

    def load(self, index: int) -> list[RegionRecord]:
        return [RegionRecord.from_json(r) for r in self._read(index, parse=True)]


def _write_atomically(path: str, data: bytes) -> None:
    """Write `data` to `path` through a temporary file, so that no reader sees half of it.

    An empty folder in the way is removed: it holds nothing, and a folder can never
    be a valid part. Anything else the system refuses is an ExportError naming `path`.
    """
    temporary = f"{path}.{os.getpid()}.tmp"
    try:
        with open(temporary, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        if os.path.isdir(path):
            os.rmdir(path)  # refused when the folder holds files: they are not ours to delete
        os.replace(temporary, path)
    except OSError as err:
        with contextlib.suppress(OSError):
            os.remove(temporary)
        raise ExportError.cannot_write(path, err) from err
