"""The rows a native walk hands to Python, shared between regions, against the reference.

Neighbouring regions share most vertices and facets, and the native walk hands a row it
met recently back as the same tuple instead of new ints. Sharing must change nothing: every
region's rows equal the Python reference's, in order, whichever rows come from the table.
"""

import pytest

from polyregions import Box, EngineOptions, iter_regions
from polyregions.enumeration import engine, native
from polyregions.enumeration.engine import prepare
from polyregions.enumeration.kernel import RegionRecord
from tests.networks import random_network, to_network

pytestmark = pytest.mark.skipif(native.load() is None,
                                reason=f"no native kernel: {native.unavailable_reason()}")

PARTS = ("rows", "point_rows", "ray_rows", "line_rows")


def streamed(net, box, kernel):
    return [(r.pattern, *(getattr(r.polytope, part) for part in PARTS))
            for r in iter_regions(net, box, options=EngineOptions(kernel=kernel))]


@pytest.mark.parametrize("seed, dim, widths, kinds", [
    (3, 3, [6, 5], ["maxout", "relu"]),
    (8, 4, [5, 4], ["relu", "maxout"]),
])
def test_shared_rows_are_the_reference_rows_in_order(seed, dim, widths, kinds):
    net = to_network(random_network(seed, dim, widths, kinds), dim)
    box = Box.cube(dim, -1, 1)
    fast, reference = streamed(net, box, "native"), streamed(net, box, "python")
    assert len(fast) > 40
    assert fast == reference


def test_a_row_met_again_in_a_batch_is_the_same_tuple(monkeypatch):
    # Consecutive regions of the walk share vertices: the later one gets the earlier's tuple,
    # within a batch (one here: no time limit, fewer regions than a batch holds).
    monkeypatch.setattr(engine, "BATCH_SECONDS", 1e9)
    net = to_network(random_network(3, 3, [6, 5], ["maxout", "relu"]), 3)
    regions = list(iter_regions(net, Box.cube(3, -1, 1), options=EngineOptions(kernel="native")))
    assert len(regions) < engine.BATCH_REGIONS
    shared = equal = 0
    for before, after in zip(regions, regions[1:]):
        earlier = {row: row for row in before.polytope.point_rows}
        for row in after.polytope.point_rows:
            if row in earlier:
                equal += 1
                shared += earlier[row] is row
    assert equal > 0 and shared == equal


def test_walk_records_are_region_records_equal_to_the_reference():
    # The walk makes its records as tuple.__new__ would: the same named tuple, field by field.
    net = to_network(random_network(3, 3, [6, 5], ["maxout", "relu"]), 3)
    box = Box.cube(3, -1, 1)
    records = {}
    for kernel in ("native", "python"):
        job, root = prepare(net, box, EngineOptions(kernel=kernel))
        records[kernel] = list(job.drain([root]))
    assert records["native"] == records["python"]
    for record in records["native"]:
        assert type(record) is RegionRecord
        assert record.neighbours is None and record.facets == record[1] and record.map_rows == record[6]
