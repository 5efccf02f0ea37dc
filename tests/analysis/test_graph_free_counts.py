"""The counts of ``count`` without the region graph, against the graph they used to be read off.

Oracle: the full region graph (after the fact, or tracked through the
refinement) and :func:`decision_boundary` on it, on random networks (some
degenerate: repeated units and pieces, zero rows), on networks built so that
linear regions merge, the class changes across shared facets and pieces merge,
in 1-D to 3-D, boxes and the whole space.
"""

import pytest

from polyregions import Box, LinearLayer, Network, ReluLayer, WholeSpace, enumerate_regions
from polyregions.analysis.decision import decision_boundary, decision_boundary_counts
from polyregions.analysis.graph import (
    adjacent_pairs,
    boundary_facet_count,
    domain_facet_count,
    region_graph,
)
from polyregions.analysis.linear import count_linear_regions, linear_region_count
from polyregions.enumeration.kernel import EngineOptions
from polyregions.errors import UsageError
from tests.networks import random_network, to_network


def random_classifier(seed, dim):
    """Random hidden layers, half of them degenerate; a head that reads few units, or a random one."""
    layers = random_network(seed, dim, [4, 3], ["relu", "maxout"] if seed % 3 else ["relu", "relu"],
                            rank=2 + seed % 2, degenerate=seed % 2 == 1)
    if seed % 4 < 2:  # some units ignored: linear regions merge, pieces continue
        layers.append({"type": "linear", "weights": [[1, 0, 2], [0, 0, -1], [0, 1, 0]][:2 + seed % 2],
                       "biases": [0, 1, 0][:2 + seed % 2]})
    else:
        layers += random_network(seed + 100, 3, [2 + seed % 2], ["linear"])
    return to_network(layers, dim)


# Built by hand: the class changes across facets, and pieces of one hyperplane continue.
RELU_XY = Network(2, [ReluLayer([[1, 0], [0, 1]], [0, 0]), LinearLayer([[1, 0], [0, 1]], [0, 0])])
RELU_XYZ = Network(3, [ReluLayer([[1, 0, 0], [0, 1, 0], [0, 0, 1]], [0, 0, 0]),
                       LinearLayer([[1, 0, 0], [0, 1, 0], [0, 0, 1]], [0, 0, 0])])
# relu(x), relu(-x): the class changes across x = 0, where y_0 - y_1 = +-x is no zero row.
ACROSS = Network(2, [ReluLayer([[1, 0], [-1, 0]], [0, 0]), LinearLayer([[1, 0], [0, 1]], [0, 0])])
# y_0 - y_1 = 2 x + t(y) with t = relu(1/4 - |y|): the boundary is x = 0 for |y| >= 1/4 and
# bends away from it in between, so its two pieces on x = 0 do not continue into each other.
BENT = Network(2, [ReluLayer([[0, 1], [0, -1], [1, 0], [-1, 0]], [0, 0, 0, 0]),
                   ReluLayer([[-1, -1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]], ["1/4", 0, 0]),
                   LinearLayer([[1, 1, -1], [0, -1, 1]], [0, 0])])
TIED = Network(3, [ReluLayer([[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 1, 0]], [0, 0, 0, 0]),
                   LinearLayer([[1, -1, 0, 0], [0, 0, 1, 1]], [0, 0])])

CASES = ([(f"random {seed} in {dim}-D", random_classifier(seed, dim), Box.cube(dim, -2, 2))
          for seed in range(8) for dim in (1, 2, 3)]
         + [("relu(x), relu(y)", RELU_XY, Box.cube(2, -1, 1)),
            ("relu(x), relu(y) everywhere", RELU_XY, WholeSpace(2)),
            ("relu(x), relu(y), relu(z)", RELU_XYZ, Box.cube(3, -1, 1)),
            ("tied units", TIED, Box.cube(3, -1, 1)),
            ("relu(x), relu(-x)", ACROSS, Box.cube(2, -1, 1)),
            ("bent boundary", BENT, Box.cube(2, -1, 1)),
            ("random 2 everywhere", random_classifier(2, 2), WholeSpace(2))])


@pytest.fixture(scope="module", params=CASES, ids=[c[0] for c in CASES])
def case(request):
    _, network, domain = request.param
    result = enumerate_regions(network, domain, options=EngineOptions(adjacency=False))
    return result, region_graph(result, volumes=False, facet_measures=False)


def test_linear_regions_without_the_graph_are_those_of_the_graph(case):
    result, graph = case
    assert count_linear_regions(result) == linear_region_count(graph, result)


def test_decision_boundary_counts_are_those_of_the_pieces(case):
    result, graph = case
    boundary = decision_boundary(result, graph)
    assert decision_boundary_counts(result) == (boundary.piece_count, boundary.maximal_piece_count)


def test_domain_facets_without_the_graph(case):
    result, graph = case
    assert domain_facet_count(result) == boundary_facet_count(graph)


def test_adjacent_pairs_of_a_subset_are_the_graph_edges_inside_it(case):
    result, graph = case
    members = list(range(0, len(result), 2)) + [len(result) - 1]
    found = [(i, j) for i, j, _ in adjacent_pairs(result, members)]
    chosen = set(members)
    assert sorted(found) == sorted(tuple(sorted(e)) for e in graph.edges
                                   if set(e) <= chosen)
    assert all(i < j for i, j in found)
    rows = {(i, j): row for i, j, row in adjacent_pairs(result, members)}
    assert all(graph.edges[e]["hyperplane"] == rows[e] for e in rows)


def test_the_hand_built_cases_exercise_every_branch():
    """Merged linear regions, pieces across facets, merged pieces and pieces of one
    hyperplane that do not merge all occur (by the oracle)."""
    merged = enumerate_regions(random_classifier(0, 3), Box.cube(3, -2, 2))
    assert linear_region_count(region_graph(merged), merged) < len(merged)
    for network in (RELU_XY, ACROSS):
        across = decision_boundary(enumerate_regions(network, Box.cube(2, -1, 1)))
        assert any(p.neighbour is not None for p in across.pieces)
    tied = decision_boundary(enumerate_regions(TIED, Box.cube(3, -1, 1)))
    assert tied.maximal_piece_count < tied.piece_count
    bent = decision_boundary(enumerate_regions(BENT, Box.cube(2, -1, 1)))
    groups = {(p.classes, p.hyperplane) for p in bent.pieces}
    assert len(groups) < bent.maximal_piece_count


def test_tracked_facets_give_the_same_pairs():
    network, domain = TIED, Box.cube(3, -1, 1)
    tracked = enumerate_regions(network, domain, options=EngineOptions(adjacency=True))
    searched = enumerate_regions(network, domain, options=EngineOptions(adjacency=False))
    for members in (range(len(tracked)), range(0, len(tracked), 2), range(1, len(tracked), 3)):
        assert sorted(adjacent_pairs(tracked, members)) == sorted(adjacent_pairs(searched, members))
    assert decision_boundary_counts(tracked) == decision_boundary_counts(searched)


def test_counts_of_a_network_with_one_output_are_refused():
    network = Network(2, [ReluLayer([[1, 0]], [0]), LinearLayer([[1]], [0])])
    with pytest.raises(UsageError, match="at least 2 outputs"):
        decision_boundary_counts(enumerate_regions(network, Box.cube(2, -1, 1)))
