"""The region graph against Euler's relation, pairwise intersections, volume sums and hand values."""

import json
from fractions import Fraction

import networkx as nx
import pytest
import sympy

from polyregions import (
    Box,
    PolytopeDomain,
    Slice,
    WholeSpace,
    boundary_facet_count,
    enumerate_regions,
    region_graph,
)
from polyregions.io.graph_file import read_graph
from tests.cli_helpers import run
from tests.networks import random_network, to_network
from tests.oracles.adjacency import shared_facets
from tests.oracles.euler import subdivision_counts

F = Fraction


def relu_layer(weights, biases):
    return {"type": "relu", "weights": weights, "biases": biases}


def graph_of(layers, dim, domain, **options):
    result = enumerate_regions(to_network(layers, dim), domain)
    return result, region_graph(result, **options)


@pytest.mark.parametrize("seed", range(8))
def test_euler_relation_in_the_plane(seed):
    # V - E + F = 1 for a tiling of the box. The oracle counts the subdivision's
    # edges from the polygons alone; interior edges are the graph's edges (two
    # convex regions share one segment, which no vertex subdivides) and the rest
    # are boundary facets.
    layers = random_network(seed, 2, [4, 3], ["relu", "maxout"], rank=3, degenerate=seed % 2 == 1)
    result, graph = graph_of(layers, 2, Box([-2, -1], [3, 2]))
    vertices, edges, faces = subdivision_counts([r.polytope.vertices for r in result])
    assert faces == graph.number_of_nodes()
    assert edges == graph.number_of_edges() + boundary_facet_count(graph)
    assert vertices - edges + faces == 1


def adjacent_pairs_by_intersection(result, dim):
    """Independent oracle: all pairs whose closed regions meet in an (n0-1)-dim set."""
    return set(shared_facets([r.polytope.rows for r in result], dim))


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("dim", [2, 3])
def test_edges_are_exactly_the_pairs_sharing_a_facet(seed, dim):
    layers = random_network(seed, dim, [3, 2], ["relu", "maxout"], rank=2, degenerate=seed >= 4)
    domain = Box.cube(dim, -2, 2) if seed % 2 == 0 else WholeSpace(dim)
    result, graph = graph_of(layers, dim, domain, facet_measures=False)
    assert set(graph.edges) == adjacent_pairs_by_intersection(result, dim)
    assert nx.is_connected(graph)


@pytest.mark.parametrize("seed", range(5))
def test_edge_attributes(seed):
    dim = 2 + seed % 2
    layers = random_network(seed, dim, [4, 3], ["maxout", "relu"], rank=3)
    result, graph = graph_of(layers, dim, Box.cube(dim, -2, 2))
    for i, j, data in graph.edges(data=True):
        row, point = data["hyperplane"], (F(1),) + data["point"]
        assert sum(a * b for a, b in zip(row, point)) == 0  # on the hyperplane
        assert result[i].polytope.contains(data["point"]) and result[j].polytope.contains(data["point"])
        # Oriented: >= 0 on the smaller node, <= 0 on the other.
        inside_i = (F(1),) + graph.nodes[i]["interior_point"]
        inside_j = (F(1),) + graph.nodes[j]["interior_point"]
        assert sum(a * b for a, b in zip(row, inside_i)) > 0 > sum(a * b for a, b in zip(row, inside_j))
        changed = {(k, u) for k, (p, q) in enumerate(zip(result[i].pattern, result[j].pattern))
                   for u, (a, b) in enumerate(zip(p, q)) if a != b}
        assert set(data["units"]) == changed and changed
        assert data["measure"] is not None and data["measure"] > 0


@pytest.mark.parametrize("domain", [
    Box([-2, -1], [3, 2]),
    PolytopeDomain([[0, 1, 0], [0, 0, 1], [4, -1, -2]]),  # x, y >= 0, x + 2y <= 4: area 4
    Box.cube(3, -1, 1),
    Slice([0, 0, 1], [1, 0, 0], [0, 1, 0], [-1, -1], [2, 2]),
])
def test_volumes_sum_to_the_domain_volume(domain):
    dim = domain.input_dim
    layers = random_network(7, dim, [4, 3], ["relu", "maxout"], rank=3)
    result, graph = graph_of(layers, dim, domain, facet_measures=False)
    total = sum(v for _, v in graph.nodes(data="volume"))
    assert total == domain.polytope.volume()


def test_hand_example_edges_and_measures():
    # Lines x1 = 0 and x1 = x2 in [-1, 1]^2 cut four sectors; the shared facets are
    # two unit segments of x1 = 0 and two diagonal segments of length sqrt(2).
    net = to_network([relu_layer([[1, 0], [1, -1]], [0, 0])], 2)
    result = enumerate_regions(net, Box.cube(2, -1, 1))
    graph = region_graph(result)
    assert graph.number_of_edges() == 4
    measures = sorted((d["measure"] for _, _, d in graph.edges(data=True)), key=float)
    assert measures == [1, 1, sympy.sqrt(2), sympy.sqrt(2)]
    assert all(len(d["units"]) == 1 for _, _, d in graph.edges(data=True))
    # x1 = 0 cuts the top and bottom sides; the diagonal ends in two corners: the
    # square's 4 sides become 6 boundary facets.
    assert boundary_facet_count(graph) == 6


def test_facet_measures_in_three_dimensions():
    # The plane x1 + x2 = 0 cuts the cube [-1, 1]^3 in a rectangle of sides
    # 2 sqrt(2) and 2: area 4 sqrt(2). The plane x3 = 1/2 gives a 2 x 2 square.
    net = to_network([relu_layer([[1, 1, 0]], [0])], 3)
    graph = region_graph(enumerate_regions(net, Box.cube(3, -1, 1)))
    assert [d["measure"] for _, _, d in graph.edges(data=True)] == [4 * sympy.sqrt(2)]
    net = to_network([relu_layer([[0, 0, 2]], [-1])], 3)
    graph = region_graph(enumerate_regions(net, Box.cube(3, -1, 1)))
    assert [d["measure"] for _, _, d in graph.edges(data=True)] == [4]


def test_unbounded_regions_have_no_volume_and_one_dimension_works():
    net = to_network([relu_layer([[1, 0], [0, 1]], [0, 0])], 2)
    graph = region_graph(enumerate_regions(net, WholeSpace(2)))
    assert all(v is None for _, v in graph.nodes(data="volume"))
    assert all(m is None for _, _, m in graph.edges(data="measure"))
    assert graph.number_of_edges() == 4 and boundary_facet_count(graph) == 0
    # 1-D: breakpoints 0 and 1 of relu(x), relu(x - 1): a path of 3 regions.
    line = to_network([relu_layer([[1], [1]], [0, -1])], 1)
    graph = region_graph(enumerate_regions(line, Box([-1], [2])))
    assert sorted(d for _, d in graph.degree()) == [1, 1, 2]
    assert sorted(d["point"] for _, _, d in graph.edges(data=True)) == [(0,), (1,)]



def test_simplex_cut_by_the_coordinate_planes_in_three_dimensions():
    # The planes x1 = 0, x2 = 0, x3 = 0 and x1 + x2 + x3 = 1 in general position:
    # 1 + 4 + 6 + 4 = 15 regions, one bounded (the unit simplex, volume 1/6). Each
    # plane meets the other three in 3 lines in general position: 7 facets each, 28
    # edges; the bounded ones are the simplex's faces, three right triangles with
    # legs 1 (area 1/2) and the equilateral triangle of side sqrt(2) (area sqrt(3)/2).
    net = to_network([relu_layer([[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 1, 1]], [0, 0, 0, -1])], 3)
    graph = region_graph(enumerate_regions(net, WholeSpace(3)))
    assert graph.number_of_nodes() == 15 and graph.number_of_edges() == 28
    assert [v for _, v in graph.nodes(data="volume") if v is not None] == [F(1, 6)]
    measures = [m for _, _, m in graph.edges(data="measure") if m is not None]
    assert sorted(measures, key=float) == [F(1, 2)] * 3 + [sympy.sqrt(3) / 2]


def test_simplex_cut_by_the_coordinate_hyperplanes_in_four_dimensions():
    # x1..x4 = 0 and x1 + .. + x4 = 1: sum_{j<=4} C(5, j) = 31 regions, one bounded
    # (volume 1/24). Each hyperplane carries 4 planes in general position of R^3:
    # 15 facets each, 75 edges. The bounded ones are the simplex's faces: four unit
    # corner simplices of R^3 (1/6) and {x >= 0, sum x = 1}, of volume sqrt(4)/3! = 1/3.
    weights = [[int(i == j) for j in range(4)] for i in range(4)] + [[1, 1, 1, 1]]
    net = to_network([relu_layer(weights, [0, 0, 0, 0, -1])], 4)
    graph = region_graph(enumerate_regions(net, WholeSpace(4)))
    assert graph.number_of_nodes() == 31 and graph.number_of_edges() == 75
    assert [v for _, v in graph.nodes(data="volume") if v is not None] == [F(1, 24)]
    measures = [m for _, _, m in graph.edges(data="measure") if m is not None]
    assert sorted(measures) == [F(1, 6)] * 4 + [F(1, 3)]


def test_regions_with_lines_in_three_dimensions():
    # x1 = 0, x1 = 1 and x2 = 0: every region contains lines along x3. 3 x 2 = 6
    # regions; the facets are 2 + 2 on the planes x1 = 0, 1 and 3 on x2 = 0: 7 edges,
    # all unbounded (no measure).
    net = to_network([relu_layer([[1, 0, 0], [1, 0, 0], [0, 1, 0]], [0, -1, 0])], 3)
    result = enumerate_regions(net, WholeSpace(3))
    graph = region_graph(result)
    assert graph.number_of_nodes() == 6 and graph.number_of_edges() == 7
    assert all(m is None for _, _, m in graph.edges(data="measure"))
    assert set(graph.edges) == adjacent_pairs_by_intersection(result, 3)


class Stop(Exception):
    """Raised by a progress callback to stop the work."""


def test_progress_reports_every_region_and_its_exception_stops_the_work():
    layers = random_network(3, 3, [4], ["relu"])
    result = enumerate_regions(to_network(layers, 3), WholeSpace(3))
    calls = []
    graph = region_graph(result, progress=lambda done, total: calls.append((done, total)))
    n = len(result)
    assert calls == [(k, n) for k in range(1, n + 1)]
    assert set(graph.edges) == set(region_graph(result).edges)

    def stop_after_three(done, total):
        calls.append(done)
        if done == 3:
            raise Stop(f"{done} of {total}")

    calls.clear()
    with pytest.raises(Stop, match=f"^3 of {n}$"):
        region_graph(result, progress=stop_after_three)
    assert calls == [1, 2, 3]  # nothing ran after the exception


def test_cli_graph_of_four_planes_on_the_whole_space(layers_model, tmp_path, capsys):
    # The reproduction: the four planes of the unit simplex (see above) made
    # `polyregions graph` exit 1 with an internal error. 15 regions, 1 bounded, 28 edges,
    # and the exported graph carries the simplex's four face areas.
    model = layers_model([relu_layer([[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 1, 1]], [0, 0, 0, -1])], 3)
    path = tmp_path / "graph.json"
    status, out, err = run(["graph", model, "--whole-space", "--json", "--export", str(path)], capsys)
    assert (status, err) == (0, "")
    summary = json.loads(out)
    assert (summary["activation_regions"], summary["bounded_regions"]) == (15, 1)
    assert (summary["edges"], summary["boundary_facets"], summary["complete"]) == (28, 0, True)
    measures = [m for _, _, m in read_graph(path).edges(data="measure") if m is not None]
    assert sorted(measures, key=float) == [F(1, 2)] * 3 + [sympy.sqrt(3) / 2]
