"""Adjacency tracked through the refinement, against the graph found after the fact and exact counts.

The oracle is the after-the-fact region graph of :mod:`polyregions.analysis.graph`
(an axis sweep and exact common pieces, an independent code path): the graph read off
the tracked shared facets must have the same nodes, edges, hyperplanes, units and
measures, and points in the relative interior of both regions' facets. Exact counts
check both: a line arrangement in a box (edges line by line: the pieces each line is
cut into inside the box) and grids (every shared facet a box of known measure).
"""

import itertools
import math
import random
from fractions import Fraction

import pytest
import sympy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from polyregions import (
    Box,
    EngineOptions,
    PolytopeDomain,
    RegionComplex,
    Slice,
    WholeSpace,
    enumerate_regions,
    region_graph,
)
from polyregions.enumeration.engine import prepare
from polyregions.enumeration.parallel import SerialExecutor, iter_regions_parallel
from tests.graph_checks import assert_same_graph, both_graphs
from tests.networks import random_net, to_network

F = Fraction

CASES = [  # (seed, dim, widths, kinds, rank, degenerate)
    (0, 1, [4, 3], ["relu", "maxout"], 3, False),
    (1, 1, [5], ["leaky_relu"], 2, True),
    (2, 2, [4, 3], ["relu", "relu"], 2, False),
    (3, 2, [3, 3], ["maxout", "maxout"], 2, True),
    (4, 2, [4, 2], ["leaky_relu", "maxout"], 4, True),
    (5, 2, [3, 2], ["maxout", "relu"], 5, False),
    (6, 2, [5, 3], ["relu", "leaky_relu"], 2, True),
    (7, 3, [3, 3], ["relu", "maxout"], 3, False),
    (8, 3, [4, 2], ["maxout", "relu"], 2, True),
    (9, 3, [3, 2], ["leaky_relu", "maxout"], 4, True),
    (10, 3, [2, 2], ["maxout", "maxout"], 5, False),
    (11, 4, [3, 2], ["relu", "maxout"], 3, False),
    (12, 4, [3, 2], ["maxout", "relu"], 2, True),
]


@pytest.mark.parametrize("seed, dim, widths, kinds, rank, degenerate", CASES)
def test_tracked_graph_equals_the_graph_found_after_the_fact_in_boxes(seed, dim, widths, kinds,
                                                                      rank, degenerate):
    net = random_net(seed, dim, widths, kinds, rank=rank, degenerate=degenerate)
    tracked, searched, result = both_graphs(net, Box.cube(dim, -2, 2))
    assert all(r.shared_facets is not None for r in result)
    assert_same_graph(tracked, searched, result)


@pytest.mark.parametrize("domain", [
    PolytopeDomain([[0, 1, 0], [0, 0, 1], [4, -1, -2]]),  # x, y >= 0, x + 2y <= 4
    PolytopeDomain([[1, 1, 0, 0], [1, 0, 1, 0], [1, 0, 0, 1], [1, -1, -1, -1]]),  # a simplex
    Slice([0, 0, 1], [1, 0, 0], [0, 1, 0], [-1, -1], [2, 2]),
    Box([F(-1, 3), 0], [F(5, 7), F(1, 2)]),
])
@pytest.mark.parametrize("seed", range(3))
def test_tracked_graph_equals_the_searched_one_in_polytopes_and_slices(domain, seed):
    dim = domain.input_dim
    net = random_net(seed, dim, [4, 3], ["maxout", "relu"], rank=3, degenerate=seed == 2)
    tracked, searched, result = both_graphs(net, domain)
    assert_same_graph(tracked, searched, result)


def test_unbounded_domains_keep_the_search():
    # Shared pieces are tracked as bounded polytopes: on the whole space nothing is
    # tracked, and the graph is found after the fact (the same as without the option).
    net = random_net(3, 2, [3, 2], ["relu", "maxout"], rank=3)
    result = enumerate_regions(net, WholeSpace(2), options=EngineOptions(adjacency=True))
    assert all(r.shared_facets is None for r in result)
    plain = region_graph(enumerate_regions(net, WholeSpace(2)))
    assert set(region_graph(result).edges) == set(plain.edges) and plain.number_of_edges() > 0


def test_each_shared_facet_is_reported_once_by_the_later_region():
    net = random_net(5, 3, [4, 3], ["relu", "maxout"], rank=3)
    result = enumerate_regions(net, Box.cube(3, -2, 2), options=EngineOptions(adjacency=True))
    pairs = [(f.region, i) for i, r in enumerate(result) for f in r.shared_facets]
    assert all(j < i for j, i in pairs) and len(pairs) == len(set(pairs)) > len(result)
    assert all([f.region for f in r.shared_facets] == sorted(f.region for f in r.shared_facets)
               for r in result)
    for i, region in enumerate(result):
        for facet in region.shared_facets:
            # The row is a facet of both regions, >= 0 on the earlier one.
            assert facet.row in result[facet.region].polytope.rows
            assert tuple(-v for v in facet.row) in region.polytope.rows
            # Every vertex of the piece lies in both regions, on the row.
            for p in facet.points:
                x = [F(c, p[0]) for c in p[1:]]
                assert result[facet.region].polytope.contains(x) and region.polytope.contains(x)
                assert sum(a * b for a, b in zip(facet.row, p)) == 0


def test_tracking_changes_no_region_and_no_order():
    net = random_net(9, 3, [4, 3], ["maxout", "maxout"], rank=4, degenerate=True)
    job, root = prepare(net, Box.cube(3, -2, 2))
    plain = list(job.drain([root]))
    job, root = prepare(net, Box.cube(3, -2, 2), EngineOptions(adjacency=True))
    tracked = list(job.drain([root]))
    assert [r._replace(neighbours=None) for r in tracked] == plain
    assert all(r.neighbours is None for r in plain)


def line_pieces_in_box(lines, lower, upper):
    """Independent count: the pieces the distinct lines ``w . x + b = 0`` are cut into in the open box.

    A line meeting the open box is a segment there; the other distinct lines
    cross it in distinct points, and the pieces are one more than the points
    strictly inside the segment (Zaslavsky in dimension 1).
    """
    distinct = {}
    for (w1, w2), b in lines:
        if w1 == w2 == 0:
            continue
        scale = w1 if w1 != 0 else w2
        distinct[(F(w1) / scale, F(w2) / scale, F(b) / scale)] = True
    inside = lambda x: all(lo < v < hi for v, lo, hi in zip(x, lower, upper))  # noqa: E731
    total = 0
    for a1, a2, c in distinct:
        # Points of the line in the box: does it meet the open box? (Sample the segment's middle.)
        ends = []
        for axis, bound in itertools.product(range(2), (0, 1)):
            value = (lower, upper)[bound][axis]
            other = 1 - axis
            coefficient = (a1, a2)[other]
            if coefficient == 0:
                continue
            x = [None, None]
            x[axis] = F(value)
            x[other] = -(c + (a1, a2)[axis] * F(value)) / coefficient
            if all(lo <= v <= hi for v, lo, hi in zip(x, lower, upper)):
                ends.append(tuple(x))
        ends = sorted(set(ends))
        if len(ends) < 2 or not inside([(u + v) / 2 for u, v in zip(ends[0], ends[-1])]):
            continue
        crossings = set()
        for b1, b2, d in distinct:
            det = a1 * b2 - a2 * b1
            if det == 0:
                continue
            x = ((-c) * b2 - a2 * (-d)) / det, (a1 * (-d) - (-c) * b1) / det
            if inside(x):
                crossings.add(x)
        total += len(crossings) + 1
    return total


@pytest.mark.parametrize("seed", range(6))
def test_a_line_arrangement_has_one_edge_per_piece_of_line(seed):
    rng = random.Random(seed)
    lines = []
    for _ in range(7):
        roll = rng.random()
        if roll < 0.2 and lines:  # a repeated line, scaled
            (w1, w2), b = rng.choice(lines)
            c = rng.choice([1, 2, F(1, 3)])
            lines.append(((c * w1, c * w2), c * b))
        elif roll < 0.4:  # through the origin, as every such line: concurrent lines
            lines.append(((rng.randint(-3, 3), rng.randint(-3, 3)), 0))
        else:
            lines.append(((rng.randint(-3, 3), rng.randint(-3, 3)), F(rng.randint(-4, 4), 3)))
    layer = {"type": "relu", "weights": [list(w) for w, _ in lines], "biases": [b for _, b in lines]}
    lower, upper = [-2, F(-3, 2)], [F(5, 2), 2]
    tracked, searched, result = both_graphs(to_network([layer], 2), Box(lower, upper))
    assert tracked.number_of_edges() == line_pieces_in_box(lines, lower, upper)
    assert_same_graph(tracked, searched, result)


@pytest.mark.parametrize("cuts", [[[0], [F(1, 2)], [-1, 1]], [[0, 1], [F(-1, 3)], [], [F(1, 2)]],
                                  [[-1, 0, 1], [0, F(1, 2)]]])
def test_a_grid_of_axis_cuts_is_a_grid_graph_with_box_facets(cuts):
    # ReLU units x_axis - c cut [-2, 2]^n into boxes; neighbours differ in one index by one,
    # across a facet whose measure is the product of the other sides.
    dim = len(cuts)
    weights = [[int(k == axis) for k in range(dim)] for axis, cs in enumerate(cuts) for _ in cs]
    biases = [-c for cs in cuts for c in cs]
    net = to_network([{"type": "relu", "weights": weights, "biases": biases}], dim)
    tracked = region_graph(enumerate_regions(net, Box.cube(dim, -2, 2),
                                             options=EngineOptions(adjacency=True)))
    ends = [[F(-2)] + sorted(F(c) for c in cs) + [F(2)] for cs in cuts]
    cells = list(itertools.product(*(range(len(e) - 1) for e in ends)))
    expected = {}
    for cell in cells:
        for axis in range(dim):
            if cell[axis] + 1 < len(ends[axis]) - 1:
                sides = [ends[k][cell[k] + 1] - ends[k][cell[k]] for k in range(dim) if k != axis]
                expected[cell, axis] = math.prod(sides)
    assert tracked.number_of_nodes() == len(cells)
    assert tracked.number_of_edges() == len(expected)
    assert sorted(d["measure"] for _, _, d in tracked.edges(data=True)) == \
        sorted(sympy.Rational(m.numerator, m.denominator) for m in expected.values())


@st.composite
def small_networks(draw):
    dim = draw(st.integers(1, 3))
    kinds = draw(st.lists(st.sampled_from(["relu", "leaky_relu", "maxout"]), min_size=1,
                          max_size=2))
    widths = [draw(st.integers(1, 4)) for _ in kinds]
    return dim, random_net(draw(st.integers(0, 10 ** 6)), dim, widths, kinds,
                           rank=draw(st.integers(2, 4)), degenerate=draw(st.booleans()))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_networks(), st.integers(1, 3))
def test_property_tracked_and_searched_graphs_agree(case, size):
    dim, net = case
    tracked, searched, result = both_graphs(net, Box.cube(dim, -size, size))
    assert_same_graph(tracked, searched, result)


@pytest.mark.parametrize("seed, dim", [(0, 1), (1, 2), (2, 3), (3, 4), (4, 2), (5, 3)])
@pytest.mark.parametrize("parts", [2, 7, 40])
def test_subtrees_stitched_along_their_cuts_give_the_serial_shared_facets(seed, dim, parts):
    net = random_net(seed, dim, [4, 3], ["maxout", "relu"], rank=3, degenerate=seed % 2 == 1)
    domain = Box.cube(dim, -2, 2)
    options = EngineOptions(adjacency=True)
    serial = enumerate_regions(net, domain, options=options)
    regions = list(iter_regions_parallel(net, domain, SerialExecutor(), parts=parts,
                                         options=options))
    assert [r.pattern for r in regions] == [r.pattern for r in serial]
    stitched = RegionComplex(net, domain, regions)
    assert_same_graph(region_graph(stitched), region_graph(enumerate_regions(net, domain)), serial)


def test_worker_processes_give_the_same_graph():
    net = random_net(7, 3, [4, 3], ["relu", "maxout"], rank=3)
    domain = Box.cube(3, -2, 2)
    tracked = enumerate_regions(net, domain, workers=2, options=EngineOptions(adjacency=True))
    assert all(r.shared_facets is not None for r in tracked)
    assert_same_graph(region_graph(tracked), region_graph(enumerate_regions(net, domain)), tracked)


def test_a_checkpointed_run_finds_the_graph_after_the_fact(tmp_path):
    net = random_net(8, 2, [4, 3], ["relu", "maxout"], rank=3)
    domain = Box.cube(2, -2, 2)
    result = enumerate_regions(net, domain, checkpoint=tmp_path / "parts",
                               options=EngineOptions(adjacency=True))
    assert all(r.shared_facets is None for r in result)
    tracked = region_graph(enumerate_regions(net, domain, options=EngineOptions(adjacency=True)))
    assert set(region_graph(result).edges) == set(tracked.edges)
