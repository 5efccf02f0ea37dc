"""Adjacency tracked inside the native walk, against the engine's own tracking and the graph.

Oracles: the engine's per-step tracking (:mod:`polyregions.enumeration.adjacency`, in
Python) on the same kernel and on the reference kernel, which must give identical
records (shared facets included: region, row, vertices, face masks), and the region
graph found after the fact (:mod:`polyregions.analysis.graph`).
"""

import itertools
import math
from fractions import Fraction as F

import pytest

from polyregions import Box, EngineOptions, PolytopeDomain, enumerate_regions
from polyregions.enumeration import native
from polyregions.enumeration.adjacency import AdjacencyNode
from polyregions.enumeration.engine import prepare
from tests.graph_checks import assert_same_graph, both_graphs
from tests.networks import random_net, to_network

pytestmark = pytest.mark.skipif(native.load() is None,
                                reason=f"no native kernel: {native.unavailable_reason()}")

KINDS = [["relu", "maxout"], ["leaky_relu", "relu"], ["maxout", "maxout"], ["relu", "leaky_relu"]]
CASES = [(seed, dim, KINDS[seed % 4], 2 + seed % 3, seed % 2 == 0)
         for seed, dim in itertools.product(range(6), (1, 2, 3, 4))]


class _PerStep:
    """A kernel without its walk: the engine then refines step by step and tracks in Python."""

    def __init__(self, kernel):
        self._kernel = kernel

    def __getattr__(self, name):
        if name == "walk":
            raise AttributeError(name)
        return getattr(self._kernel, name)


def _records(net, domain, kernel, walk=True):
    job, root = prepare(net, domain, EngineOptions(kernel=kernel, adjacency=True))
    if not walk:
        job.kernel = _PerStep(job.kernel)
    # The native walk must be the one that runs (and the per-step path the other).
    assert (job._walk([root]) is not None) == (walk and kernel == "native")
    return list(job.drain([root]))


@pytest.mark.parametrize("seed, dim, kinds, rank, degenerate", CASES)
def test_the_native_walk_gives_the_records_of_the_engines_tracking(seed, dim, kinds, rank, degenerate):
    net = random_net(seed, dim, [4, 3] if dim < 4 else [3, 2], kinds, rank=rank, degenerate=degenerate)
    domain = Box.cube(dim, -2, 2)
    walked = _records(net, domain, "native")
    assert walked == _records(net, domain, "native", walk=False)
    assert walked == _records(net, domain, "python", walk=False)
    assert all(r.neighbours is not None for r in walked)
    if len(walked) > 1:
        assert any(r.neighbours for r in walked)


def test_faces_of_pieces_with_more_than_64_vertices_cross_as_big_masks():
    # max(0, x) cuts a prism over a 70-gon (the plane x = 0 through its middle): the two
    # halves share the 70-gon, whose edges' vertex masks need more than 64 bits.
    net = to_network([{"type": "relu", "weights": [[1, 0, 0]], "biases": [0]}], 3)
    rows = [(1, 1, 0, 0), (1, -1, 0, 0)]  # -1 <= x <= 1
    for k in range(70):
        angle = 2 * math.pi * k / 70
        a = F(math.cos(angle)).limit_denominator(1000)
        b = F(math.sin(angle)).limit_denominator(1000)
        den = a.denominator * b.denominator
        rows.append((den, 0, -int(a * den), -int(b * den)))  # a y + b z <= 1
    domain = PolytopeDomain(rows)
    walked = _records(net, domain, "native")
    assert walked == _records(net, domain, "python", walk=False)
    (facet,) = walked[1].neighbours
    assert facet.region == 0 and len(facet.points) == 70
    assert len(facet.faces) == 70 and max(facet.faces) >= 1 << 64
    assert all(bin(mask).count("1") == 2 for mask in facet.faces)  # the polygon's edges


@pytest.mark.parametrize("seed, dim, kinds", [(0, 2, ["relu", "maxout"]), (1, 3, ["maxout", "relu"]),
                                              (2, 3, ["leaky_relu", "maxout"]), (3, 4, ["relu", "relu"])])
def test_the_graph_of_the_native_walk_equals_the_graph_found_after_the_fact(seed, dim, kinds,
                                                                            monkeypatch):
    monkeypatch.setenv("POLYREGIONS_KERNEL", "native")
    net = random_net(seed, dim, [4, 3] if dim < 4 else [3, 2], kinds, rank=3, degenerate=seed % 2 == 1)
    tracked, searched, result = both_graphs(net, Box.cube(dim, -2, 2))
    assert tracked.number_of_edges() > 0
    assert_same_graph(tracked, searched, result)


def test_linked_work_keeps_the_per_step_tracking():
    # Links made on the Python side (a parallel run's subtrees) are not the walk's to follow.
    net = random_net(1, 2, [3], ["relu"], rank=2)
    job, root = prepare(net, Box.cube(2, -2, 2), EngineOptions(kernel="native", adjacency=True))
    other = AdjacencyNode()
    root.node.links[other] = ((0, 1, 0), None)
    assert job._walk([root]) is None
    root.node.links.clear()
    assert job._walk([root]) is not None


def test_a_tracking_walk_does_not_hand_back_work_without_its_links():
    net = random_net(1, 2, [3], ["relu"], rank=2)
    job, root = prepare(net, Box.cube(2, -2, 2), EngineOptions(kernel="native", adjacency=True))
    walk = job._walk([root])
    assert len(walk.records(1, 10.0)) == 1
    with pytest.raises(RuntimeError, match="lose its links"):
        walk.remaining()


def test_enumerate_regions_keeps_tracking_with_the_native_kernel():
    net = random_net(4, 3, [4, 3], ["relu", "maxout"], rank=3)
    native_result, python_result = (
        enumerate_regions(net, Box.cube(3, -2, 2), options=EngineOptions(kernel=k, adjacency=True))
        for k in ("native", "python"))
    assert [r.shared_facets for r in native_result] == [r.shared_facets for r in python_result]
