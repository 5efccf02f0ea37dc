"""Counting time of the exact engine, as every benchmark script measures it."""

import time

from polyregions import count_regions, iter_regions

__all__ = ["timed_count", "timed_tally", "timed_workers"]


def timed_count(net, domain, repeat=1, options=None):
    """``(regions, seconds)``: the exact count, best wall time of `repeat` streamed runs.

    Regions are counted as they stream out (nothing is kept), so the time is the
    enumeration's alone.
    """
    best, count = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        count = sum(1 for _ in iter_regions(net, domain, options=options))
        best = min(best, time.perf_counter() - start)
    return count, best


def timed_tally(net, domain, repeat=1, options=None):
    """``(regions, seconds)``: the exact count by :func:`count_regions`, best wall time of `repeat`.

    No region is made: with the native kernel whole subtrees are counted in C++.
    """
    best, count = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        count = count_regions(net, domain, options=options)
        best = min(best, time.perf_counter() - start)
    return count, best


def timed_workers(net, domain, workers, options=None):
    """Wall seconds of one :func:`count_regions` run with `workers` processes."""
    start = time.perf_counter()
    count_regions(net, domain, workers=workers, options=options)
    return time.perf_counter() - start
