"""Regions stream with flat memory: the engine keeps its stack of work items, not the regions."""

import itertools
import tracemalloc

from polyregions import Box, iter_regions
from polyregions.data import default_network


def streaming_peak(network, domain, regions):
    """The peak of the memory allocated while streaming the first `regions` regions, in bytes."""
    tracemalloc.start()
    try:
        base = tracemalloc.get_traced_memory()[0]
        found = sum(1 for _ in itertools.islice(iter_regions(network, domain), regions))
        assert found == regions
        return tracemalloc.get_traced_memory()[1] - base
    finally:
        tracemalloc.stop()


def test_the_peak_does_not_grow_with_the_number_of_regions():
    network, domain = default_network(), Box.cube(2, -3, 3)  # 2,354 regions
    # An untraced run first: Python's own free lists of small tuples then hold what the
    # engine frees and takes again, and are not counted as the engine's memory.
    sum(1 for _ in itertools.islice(iter_regions(network, domain), 1000))
    few, many = streaming_peak(network, domain, 250), streaming_peak(network, domain, 1000)
    # Four times the regions: the same stack depth, the same peak (about 250 KiB).
    assert many < 1.5 * few
