"""Splits of n-D cells by a hyperplane, where the first cell takes the vertices only it keeps.

A two-cell split cuts the parent by c and then by -c; when the walk holds the only reference to
the parent, the first cut moves the vertices strictly inside it instead of copying them (the
opposite cut drops them) and copies the ones on the hyperplane, which both cells keep. The
oracle is the Python reference backend with its float filter off. The cases put many vertices
exactly on the cutting hyperplanes (integer weights through the corners of the box and through
each other's intersections), and drain one root twice from Python, which still holds its cell:
a build that also moved the vertices on the hyperplane, or that took apart a cell someone else
holds, fails them.
"""

import itertools

import pytest

from polyregions import Box, MaxoutLayer, Network, ReluLayer
from polyregions.enumeration import native
from polyregions.enumeration.engine import prepare
from polyregions.enumeration.kernel import EngineOptions
from tests.enumeration.drained import drained_records

pytestmark = pytest.mark.skipif(native.load() is None,
                                reason=f"no native kernel: {native.unavailable_reason()}")


def records(net, domain, kernel, float_filter=True):
    """The n-D (incidence) path's records."""
    return drained_records(net, domain, kernel, polygon_path=False, float_filter=float_filter)


def degenerate(n0):
    """ReLU hyperplanes through the box's corners (x_i = +-x_j, sums of coordinates), then a layer
    whose hyperplanes pass through the first layer's intersections."""
    first = [[1 if k == i else (s if k == j else 0) for k in range(n0)]
             for i, j in itertools.combinations(range(n0), 2) for s in (1, -1)]
    first.append([1] * n0)
    second = [[1 if (u + v) % 3 == 0 else -1 for u in range(len(first))] for v in range(3)]
    return Network(n0, [ReluLayer(first, [0] * len(first)), ReluLayer(second, [0, 1, -1])])


@pytest.mark.parametrize("n0", [3, 4])
def test_degenerate_splits_match_the_exact_reference(n0):
    net = degenerate(n0)
    exact = records(net, Box.cube(n0, -1, 1), "python", float_filter=False)
    # The case this is about: corners of the box (|x_i| = 1) on the hyperplane x_0 = -x_1 of the
    # first unit, vertices of the cells on both of its sides: the first split keeps them in both.
    on_cut = {tuple(p) for record in exact for p in record.points
              if all(abs(v) == p[0] for v in p[1:]) and p[1] == -p[2]}
    assert len(on_cut) == 2 ** (n0 - 1)
    assert len(exact) > 20
    for float_filter in (True, False):
        assert records(net, Box.cube(n0, -1, 1), "native", float_filter=float_filter) == exact


def test_maxout_rank_two_splits_match_the_exact_reference():
    # Rank-2 maxout units: every split is a cut and its opposite, both pieces nonzero.
    net = Network(3, [MaxoutLayer([[[1, 1, 0], [0, 0, 1]], [[1, -1, 1], [0, 1, 0]], [[2, 0, -1], [0, 1, 1]]],
                                  [[0, 0], [0, 1], [1, 0]]),
                      MaxoutLayer([[[1, -1, 1], [0, 1, -1]], [[1, 1, 1], [-1, 0, 1]]], [[0, 0], [1, -1]])])
    exact = records(net, Box.cube(3, -2, 2), "python", float_filter=False)
    assert len(exact) > 10
    assert records(net, Box.cube(3, -2, 2), "native") == exact


def test_a_cell_that_python_holds_is_not_taken_apart():
    # The walk starts from work items that Python keeps: draining the same root twice must give
    # the same regions, cut from an intact cell both times.
    net = degenerate(3)
    job, root = prepare(net, Box.cube(3, -1, 1), EngineOptions(kernel="native", polygon_path=False))
    first = list(job.drain([root]))
    second = list(job.drain([root]))
    assert second == first == records(net, Box.cube(3, -1, 1), "python", float_filter=False)
