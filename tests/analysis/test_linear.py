"""Linear regions: hand-built merges and generic networks."""

import pytest

from polyregions import Box, WholeSpace, enumerate_regions, region_graph
from polyregions.analysis.linear import linear_region_count, linear_regions
from tests.networks import random_network, to_network


def relu(weights, biases):
    return {"type": "relu", "weights": weights, "biases": biases}


def linear(weights, biases):
    return {"type": "linear", "weights": weights, "biases": biases}


def graph(layers, dim, domain):
    return region_graph(enumerate_regions(to_network(layers, dim), domain), volumes=False,
                        facet_measures=False)


def test_a_unit_with_zero_outgoing_weights_merges_regions():
    # relu(x1), relu(x2), relu(x1 + x2 - 1) make 7 regions in [-1, 2]^2 (three lines
    # in general position); the output reads only the first unit: x1 <= 0 and x1 >= 0.
    layers = [relu([[1, 0], [0, 1], [1, 1]], [0, 0, -1]), linear([[1, 0, 0]], [0])]
    g = graph(layers, 2, Box.cube(2, -1, 2))
    assert g.number_of_nodes() == 7
    assert linear_region_count(g) == 2


def test_a_network_that_is_zero_everywhere_has_one_linear_region():
    # relu(x) - relu(x): two activation regions, one map.
    layers = [relu([[1], [1]], [0, 0]), linear([[1, -1]], [0])]
    g = graph(layers, 1, Box([-1], [1]))
    assert (g.number_of_nodes(), linear_region_count(g)) == (2, 1)


def test_a_dead_deep_unit_merges_regions():
    # Second layer relu(-y1 - y2 - 1) is always 0 (y >= 0): the output is constant 0.
    layers = [relu([[1, 0], [0, 1]], [0, 0]), relu([[-1, -1]], [-1]), linear([[1]], [0])]
    g = graph(layers, 2, Box.cube(2, -1, 1))
    assert (g.number_of_nodes(), linear_region_count(g)) == (4, 1)


def test_equal_maps_merge_only_across_shared_facets():
    # relu(x - 1) + relu(-x - 1) is -x - 1, 0, x - 1 on three intervals: three maps.
    layers = [relu([[1], [-1]], [-1, -1]), linear([[1, 1]], [0])]
    g = graph(layers, 1, Box([-3], [3]))
    assert (g.number_of_nodes(), linear_region_count(g)) == (3, 3)
    # relu(x) and relu(x - 1) with output relu(x) - relu(x - 1) - relu(x - 2) + relu(x - 3)
    # is 0, x, 1, 3 - x, 0 on the five intervals: the two outer zero pieces are not
    # adjacent, so they stay apart: 5 linear regions.
    layers = [relu([[1], [1], [1], [1]], [0, -1, -2, -3]), linear([[1, -1, -1, 1]], [0])]
    g = graph(layers, 1, Box([-1], [4]))
    assert (g.number_of_nodes(), linear_region_count(g)) == (5, 5)
    groups = linear_regions(g)
    assert sorted(len(c) for c in groups) == [1, 1, 1, 1, 1]


def test_generic_networks_have_as_many_linear_as_activation_regions():
    # Gaussian float weights: every region has its own map.
    import numpy as np

    from polyregions import network_from_arrays

    rng = np.random.default_rng(0)
    net = network_from_arrays(2, [("maxout", rng.normal(size=(5, 3, 2)), rng.normal(size=(5, 3))),
                                  ("linear", rng.normal(size=(2, 5)), rng.normal(size=2))])
    g = region_graph(enumerate_regions(net, Box.cube(2, -2, 2)), facet_measures=False)
    assert linear_region_count(g) == g.number_of_nodes() > 10


@pytest.mark.parametrize("seed", range(5))
def test_linear_regions_match_components_of_independent_adjacency(seed):
    # Adjacency from pairwise intersections (cddlib, not the graph's sweep), glued
    # where the exact maps agree.
    import networkx as nx

    from tests.analysis.test_graph import adjacent_pairs_by_intersection

    layers = random_network(seed, 2, [4, 3], ["relu", "maxout"], rank=3, outputs=2,
                            degenerate=seed % 2 == 0)
    result = enumerate_regions(to_network(layers, 2), Box.cube(2, -2, 2))
    same = nx.Graph()
    same.add_nodes_from(range(len(result)))
    same.add_edges_from((i, j) for i, j in adjacent_pairs_by_intersection(result, 2)
                        if result[i].affine_map == result[j].affine_map)
    expected = sorted((set(c) for c in nx.connected_components(same)), key=min)
    assert linear_regions(region_graph(result, facet_measures=False)) == expected


def test_linear_regions_partition_the_nodes():
    layers = random_network(3, 2, [4, 4], ["relu", "relu"], degenerate=True, outputs=1)
    g = graph(layers, 2, WholeSpace(2))
    groups = linear_regions(g)
    assert sorted(n for c in groups for n in c) == sorted(g)
    for c in groups:  # one map per linear region
        assert len({g.nodes[n]["affine_map"] for n in c}) == 1
