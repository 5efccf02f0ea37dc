"""Counting without keeping the regions (LimitedRun.tally) gives the enumeration's counts.

The oracle is the enumeration itself: the number of regions it keeps and how many
of them are bounded, on both kernel backends, with every limit.
"""

import random

import pytest

from polyregions import Box, WholeSpace, enumerate_regions
from polyregions.enumeration import engine
from polyregions.enumeration.kernel import EngineOptions
from polyregions.enumeration.run import LimitedRun
from tests.networks import random_network, to_network

pytestmark = pytest.mark.usefixtures("kernel_backend")


def case(seed):
    rng = random.Random(seed)
    dim = rng.randint(1, 3)
    kinds = [rng.choice(["relu", "maxout", "leaky_relu"]) for _ in range(rng.randint(1, 2))]
    net = to_network(random_network(seed, dim, [rng.randint(2, 5) for _ in kinds], kinds,
                                    degenerate=seed % 2 == 0), dim)
    return net, (WholeSpace(dim) if seed % 3 == 0 else Box.cube(dim, -3, 3))


@pytest.mark.parametrize("seed", range(12))
def test_the_tally_is_the_enumeration_s_count_and_bounded_count(seed):
    net, domain = case(seed)
    result = enumerate_regions(net, domain)
    run = LimitedRun(net, domain)
    assert run.tally() == len(result) == run.count
    assert (run.bounded, run.stop_reason) == (result.bounded_count, None)


@pytest.mark.parametrize("seed", range(6))
def test_max_regions_stops_the_tally_where_it_stops_the_enumeration(seed, monkeypatch):
    monkeypatch.setattr(engine, "BATCH_REGIONS", 1)  # batches of a few regions: limits bite inside
    net, domain = case(seed)
    total = len(enumerate_regions(net, domain))
    for limit in (1, max(1, total - 1), total, total + 1):
        result = enumerate_regions(net, domain, max_regions=limit)
        run = LimitedRun(net, domain, max_regions=limit)
        assert run.tally() == len(result)
        assert (run.bounded, run.stop_reason) == (result.bounded_count, result.stop_reason)


def test_an_interrupted_tally_keeps_its_count_and_says_so():
    net, domain = case(1)
    total = len(enumerate_regions(net, domain))

    def interrupt(found):
        raise KeyboardInterrupt

    run = LimitedRun(net, domain, progress=interrupt, stop_on_interrupt=True)
    assert 0 < run.tally() <= total
    assert run.stop_reason == "interrupt"
    with pytest.raises(KeyboardInterrupt):
        LimitedRun(net, domain, progress=interrupt).tally()


def test_a_time_limit_stops_the_tally_as_partial(monkeypatch):
    net, domain = case(1)
    clock = iter(range(10 ** 6))  # every reading of the clock is one second later
    monkeypatch.setattr("polyregions.enumeration.run.time.perf_counter", lambda: next(clock))
    run = LimitedRun(net, domain, time_limit=0.5, options=EngineOptions())
    run.tally()
    assert run.stop_reason == "time_limit" and run.count < len(enumerate_regions(net, domain))


def test_a_parallel_tally_counts_the_streamed_regions():
    net, domain = case(2)
    result = enumerate_regions(net, domain)
    run = LimitedRun(net, domain, workers=2)
    assert (run.tally(), run.bounded) == (len(result), result.bounded_count)


def test_workers_without_limits_count_their_subtrees_and_limits_still_stream(monkeypatch):
    from polyregions.enumeration import parallel

    net, domain = case(4)
    result = enumerate_regions(net, domain)
    calls = []
    real = parallel.count_parallel
    monkeypatch.setattr(parallel, "count_parallel",
                        lambda *args, **kwargs: calls.append(1) or real(*args, **kwargs))
    run = LimitedRun(net, domain, workers=2)
    assert (run.tally(), run.bounded, run.stop_reason) == (len(result), result.bounded_count, None)
    assert calls == [1]  # counted in the workers, no region shipped
    limited = LimitedRun(net, domain, workers=2, max_regions=2)
    assert (limited.tally(), limited.stop_reason) == (2, "max_regions")
    assert calls == [1]  # a limit is checked region by region: the regions stream


def test_an_interrupted_tally_in_workers_keeps_the_finished_subtrees():
    net, domain = case(4)
    total = len(enumerate_regions(net, domain))
    seen = []

    def interrupt(found):
        seen.append(found)
        raise KeyboardInterrupt  # as the first numbers arrive

    run = LimitedRun(net, domain, workers=2, progress=interrupt, stop_on_interrupt=True)
    run.tally()
    assert run.stop_reason == "interrupt" and seen == [run.count] and run.count <= total
