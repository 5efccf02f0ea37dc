"""Parallel and distributed enumeration, with checkpoints.

Regions are independent once created, so the enumeration splits into subtrees:
the root region is refined breadth-first until there are enough pending work
items, each item's subtree is finished by a worker, and the results are put
back in the order the serial depth-first engine would produce them. The output
is therefore identical to :func:`polyregions.iter_regions`, region for region
and in the same order, whatever the backend and the number of workers.

Backends share one small interface, ``map(function, items)`` yielding results
in the order of `items`:

* :class:`SerialExecutor` (in this process),
* :class:`ProcessExecutor` (a process pool on this machine),
* :class:`DaskExecutor` (a dask.distributed cluster: an existing scheduler, or a
  ``LocalCluster`` on loopback; extra ``dask``). Dask reschedules the task of a
  worker that dies.

With a checkpoint folder every finished subtree is written to its own file
(atomically: written aside, then renamed), so a run stopped at any point — Ctrl-C,
``kill -9``, a crashed worker — resumes with no region lost or counted twice.
"""

import concurrent.futures
import concurrent.futures.process
import functools
import hashlib
import json
import os

from .engine import prepare
from .errors import PolyregionsError
from .numbers import json_dumps, json_loads

__all__ = [
    "SerialExecutor",
    "ProcessExecutor",
    "DaskExecutor",
    "executor_for",
    "iter_regions_parallel",
    "split_work",
]


class SerialExecutor:
    """Runs every task in this process (the reference backend)."""

    workers = 1

    def map(self, function, items):
        return map(function, items)

    def close(self):
        pass


class ProcessExecutor:
    """A pool of `workers` processes on this machine."""

    def __init__(self, workers):
        if workers < 1:
            raise PolyregionsError(f"the number of workers must be at least 1, got {workers}")
        self.workers = workers
        self._pool = self._new_pool()

    def _new_pool(self):
        return concurrent.futures.ProcessPoolExecutor(max_workers=self.workers,
                                                      initializer=_one_blas_thread)

    def map(self, function, items, retries=3):
        """Results in order; when a worker process dies, a new pool redoes what is left."""
        items = list(items)
        done = 0
        while done < len(items):
            futures = [self._pool.submit(function, item) for item in items[done:]]
            try:
                for future in futures:
                    result = future.result()
                    done += 1
                    yield result
            except concurrent.futures.process.BrokenProcessPool:
                if retries == 0:
                    raise PolyregionsError("worker processes kept dying; giving up") from None
                retries -= 1
                self._pool.shutdown(wait=False, cancel_futures=True)
                self._pool = self._new_pool()

    def close(self):
        self._pool.shutdown(wait=False, cancel_futures=True)


def _one_blas_thread():
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
    """

    def __init__(self, address="local", workers=2):
        try:
            from distributed import Client, LocalCluster
        except ImportError:
            raise PolyregionsError("dask.distributed is needed: pip install 'polyregions[dask]'") \
                from None
        self._cluster = None
        if address == "local":
            self._cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                         host="127.0.0.1", dashboard_address=None)
            self._client = Client(self._cluster)
        else:
            try:
                self._client = Client(address, timeout=10)
            except OSError as err:
                raise PolyregionsError(f"cannot reach the dask scheduler at {address}: {err}") from None
        self.workers = max(1, len(self._client.scheduler_info().get("workers", {})) or workers)

    def map(self, function, items):
        futures = self._client.map(function, list(items), pure=False, retries=3)
        return (future.result() for future in futures)

    def close(self):
        self._client.close()
        if self._cluster is not None:
            self._cluster.close()


def executor_for(workers=1, dask=None):
    """The backend for ``--workers N`` / ``--dask ADDRESS`` (serial when neither)."""
    if dask is not None:
        return DaskExecutor(dask, workers if workers > 1 else 2)
    if workers > 1:
        return ProcessExecutor(workers)
    return SerialExecutor()


def split_work(job, root, parts):
    """Refine breadth-first until about `parts` pending subtrees; keep serial order.

    Returns a list of entries ``("done", record)`` and ``("todo", work)`` in the
    order the serial engine would produce their regions.
    """
    entries = [("todo", root)]
    while True:
        pending = sum(1 for kind, _ in entries if kind == "todo")
        if pending == 0 or pending >= parts:
            return entries
        expanded = []
        for kind, item in entries:
            if kind == "todo" and pending < parts:
                out = job.step(item)
                if isinstance(out, list):
                    expanded.extend(("todo", w) for w in out)
                    pending += len(out) - 1
                else:
                    expanded.append(("done", out))
                    pending -= 1
            else:
                expanded.append((kind, item))
        entries = expanded


def _finish(job, work):
    return list(job.drain([work]))


def iter_regions_parallel(network, domain, executor=None, *, parts=None, checkpoint=None):
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
        folder, network and domain reuses them (resume).

    Examples
    --------
    >>> from polyregions import Network, ReluLayer, Box
    >>> net = Network(2, [ReluLayer([[1, 0], [0, 1], [1, 1]], [0, 0, "-1/2"])])
    >>> sum(1 for _ in iter_regions_parallel(net, Box.cube(2, -1, 1)))
    7
    """
    executor = executor or SerialExecutor()
    job, root = prepare(network, domain)
    entries = split_work(job, root, parts or 16 * executor.workers)
    store = _Checkpoint(checkpoint, network, domain, len(entries)) if checkpoint else None
    todo = [(i, item) for i, (kind, item) in enumerate(entries) if kind == "todo"]
    missing = [(i, w) for i, w in todo if store is None or not store.has(i)]
    computed = executor.map(functools.partial(_finish, job), [w for _, w in missing])
    computed_at = iter(zip((i for i, _ in missing), computed))
    for i, (kind, item) in enumerate(entries):
        if kind == "done":
            yield job.region(item)
            continue
        if store is not None and store.has(i):
            records = store.load(i)
        else:
            index, records = next(computed_at)
            assert index == i
            if store is not None:
                store.save(i, records)
        for record in records:
            yield job.region(record)


class _Checkpoint:
    """Finished subtrees on disk, one file each, written atomically."""

    def __init__(self, folder, network, domain, size):
        from .modelio import network_to_dict

        self.folder = os.fspath(folder)
        os.makedirs(self.folder, exist_ok=True)
        identity = json.dumps([network_to_dict(network), domain.describe(), size], sort_keys=True)
        fingerprint = hashlib.sha256(identity.encode()).hexdigest()
        manifest = os.path.join(self.folder, "manifest.json")
        if os.path.exists(manifest):
            with open(manifest, encoding="utf-8") as f:
                if json.load(f).get("fingerprint") != fingerprint:
                    raise PolyregionsError(
                        f"checkpoint {self.folder} belongs to another network, domain or split")
        else:
            _write_atomically(manifest, json.dumps({"format": "polyregions/checkpoint-v1",
                                                    "fingerprint": fingerprint, "parts": size}))

    def _path(self, index):
        return os.path.join(self.folder, f"part-{index:06d}.json")

    def has(self, index):
        return os.path.exists(self._path(index))

    def save(self, index, records):
        _write_atomically(self._path(index), json_dumps(records))

    def load(self, index):
        with open(self._path(index), encoding="utf-8") as f:
            return [_record_from_json(r) for r in json_loads(f.read())]


def _record_from_json(data):
    pattern, rows, points, rays, lines, map_den, map_rows = data
    tuples = lambda rows: tuple(tuple(r) for r in rows)  # noqa: E731
    return (tuples(pattern), tuples(rows), tuples(points), tuples(rays), tuples(lines),
            map_den, tuples(map_rows))


def _write_atomically(path, text):
    temporary = f"{path}.{os.getpid()}.tmp"
    with open(temporary, "w", encoding="utf-8") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())
    os.replace(temporary, path)

