"""Progress as subtrees finish with workers; genericity reports region by region.

(The command-line limits are tested further on.)
"""

import os
import subprocess
import sys
import textwrap
import time

import pytest

from polyregions import Box, enumerate_regions, network_from_dict
from polyregions.engine import LimitedRun
from polyregions.genericity import genericity
from polyregions.parallel import ProcessExecutor
from tests.networks import random_network, to_network

# relu(x), relu(y), relu(x + y): three lines through the origin cut [-1, 1]^2 into
# 6 sectors (counted by hand); the head reads the first two units: a classifier.
CLASSIFIER = {"format": "polyregions/network-v1", "input_dim": 2, "layers": [
    {"type": "relu", "weights": [[1, 0], [0, 1], [1, 1]], "biases": [0, 0, 0]},
    {"type": "linear", "weights": [[1, 0, 0], [0, 1, 0]], "biases": [0, 0]}]}
SECTORS = 6


# ---------------------------------------------------------------- genericity


def test_genericity_reports_each_region_and_lets_its_callback_stop_it():
    net = network_from_dict(CLASSIFIER)
    result = enumerate_regions(net, Box.cube(2, -1, 1))
    calls = []
    generic, reason = genericity(result, progress=lambda done, total: calls.append((done, total)))
    # Three lines through one point are not generic (a degenerate vertex), found only
    # after every region was checked (that failure is not final: others may rank first).
    assert not generic and reason.startswith("degenerate vertex (0, 0)")
    assert calls == [(i, SECTORS) for i in range(1, SECTORS + 1)]

    class Stop(Exception):
        pass

    def stop(done, total):
        raise Stop

    with pytest.raises(Stop):
        genericity(result, progress=stop)


# ---------------------------------------------------------------- workers


def _nap(seconds):
    time.sleep(seconds)
    return seconds


def test_a_process_pool_reports_subtrees_as_they_finish_and_yields_in_order():
    # Item 0 sleeps while the other worker finishes items 1-3: all three are reported
    # before item 0 is, and the results still come in the order of the items.
    pool = ProcessExecutor(2)
    events = []
    try:
        items = [0.8, 0.0, 0.01, 0.02]
        for result in pool.map(_nap, items, done=lambda r: events.append(("done", r))):
            events.append(("yield", result))
    finally:
        pool.close()
    assert [r for kind, r in events if kind == "yield"] == items
    assert [r for kind, r in events if kind == "done"][:3] == [0.0, 0.01, 0.02]
    assert events.index(("done", 0.8)) < events.index(("yield", 0.8))


def test_workers_move_the_progress_ahead_of_the_ordered_regions():
    net = to_network(random_network(3, 2, [10, 8], ["maxout", "relu"], rank=3), 2)
    domain = Box.cube(2, -2, 2)
    serial = [r.pattern for r in enumerate_regions(net, domain)]
    handed, reported = [], []
    limited = LimitedRun(net, domain, workers=2,
                         progress=lambda n: reported.append((n, len(handed))))
    for region in limited:
        handed.append(region.pattern)
    assert handed == serial  # the same regions in the same order
    counts = [n for n, _ in reported]
    assert counts == sorted(set(counts)) and counts[-1] == len(serial)
    # Finished subtrees are reported before their regions are handed on.
    assert any(n > yielded for n, yielded in reported)


class SlowFirst:
    """An executor whose first subtree finishes long after the others (a loaded worker)."""

    workers = 2

    def map(self, function, items, done=None):
        results = [function(item) for item in items]
        for records in results[1:] + results[:1]:
            time.sleep(0.05 if records is not results[0] else 3)
            if done is not None:
                done(records)
        yield from results

    def close(self):
        pass


def test_with_workers_the_time_limit_is_noticed_while_waiting_for_subtrees(monkeypatch):
    # Subtrees after the first keep finishing past the 0.3 s limit: the run stops at
    # the first of them, not 3 s later when the first subtree is handed over.
    net = to_network(random_network(3, 2, [10, 8], ["maxout", "relu"], rank=3), 2)
    domain = Box.cube(2, -2, 2)
    monkeypatch.setattr("polyregions.parallel.executor_for", lambda workers, dask: SlowFirst())
    start = time.perf_counter()
    result = enumerate_regions(net, domain, workers=2, time_limit=0.3)
    assert time.perf_counter() - start < 1.5
    assert (result.complete, result.stop_reason) == (False, "time_limit")
    serial = [r.pattern for r in enumerate_regions(net, domain)]
    assert [r.pattern for r in result] == serial[:len(result)]


def test_closing_a_pool_gives_up_running_subtrees_at_once():
    # A stopped run must not wait, on exit, for a worker still busy with a subtree
    # (here 60 s of sleep): the process ends within seconds.
    script = textwrap.dedent(f"""
        import sys, time
        sys.path.insert(0, {os.getcwd()!r})
        from polyregions.parallel import ProcessExecutor
        pool = ProcessExecutor(2)
        stream = pool.map(time.sleep, [0, 60])
        next(stream)
        stream.close()
        pool.close()
    """)
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", script], check=True, timeout=30)
    assert time.perf_counter() - start < 10
