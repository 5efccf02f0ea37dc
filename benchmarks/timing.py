"""Counting time of the exact engine, as every benchmark script measures it."""

import time

from polyregions import count_regions, iter_regions, network_from_dict, network_to_dict

__all__ = ["timed_count", "timed_tally", "timed_workers", "fresh_copies"]


def fresh_copies(net, repeat):
    """`repeat` equal copies of `net` that share nothing with it.

    A network's layers keep what the engine derives from them (its integer rows, and
    through them the compiled kernel), so a second run on the same object skips that
    work. A peer that builds its network from weights every run is timed against runs
    on fresh copies, which do that work each time.
    """
    return [network_from_dict(network_to_dict(net)) for _ in range(repeat)]


def timed_count(net, domain, repeat=1, options=None, fresh=False):
    """``(regions, seconds)``: the exact count, best wall time of `repeat` streamed runs.

    Regions are counted as they stream out (nothing is kept), so the time is the
    enumeration's alone. With `fresh`, each run is on a :func:`fresh_copies` copy.
    """
    best, count = float("inf"), None
    for copy in fresh_copies(net, repeat) if fresh else [net] * repeat:
        start = time.perf_counter()
        count = sum(1 for _ in iter_regions(copy, domain, options=options))
        best = min(best, time.perf_counter() - start)
    return count, best


def timed_tally(net, domain, repeat=1, options=None, fresh=False):
    """``(regions, seconds)``: the exact count by :func:`count_regions`, best wall time of `repeat`.

    No region is made: with the native kernel whole subtrees are counted in C++. With
    `fresh`, each run is on a :func:`fresh_copies` copy.
    """
    best, count = float("inf"), None
    for copy in fresh_copies(net, repeat) if fresh else [net] * repeat:
        start = time.perf_counter()
        count = count_regions(copy, domain, options=options)
        best = min(best, time.perf_counter() - start)
    return count, best


def timed_workers(net, domain, workers, options=None):
    """Wall seconds of one :func:`count_regions` run with `workers` processes."""
    start = time.perf_counter()
    count_regions(net, domain, workers=workers, options=options)
    return time.perf_counter() - start
