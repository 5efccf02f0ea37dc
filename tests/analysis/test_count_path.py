"""The counts' path: a graph without points or Fraction maps, and integer output maps.

The oracle is the full graph of the public API (every attribute, Fraction maps
compared as tuples), and for the output maps the network evaluated exactly.
"""

import json
import math
from fractions import Fraction

import pytest

from polyregions import Box, enumerate_regions, region_graph
from polyregions.analysis.decision import decision_boundary
from polyregions.analysis.graph import boundary_facet_count
from polyregions.analysis.linear import linear_regions
from polyregions.enumeration.kernel import EngineOptions
from polyregions.errors import UsageError
from polyregions.io.model import save_network
from tests.cli_helpers import run
from tests.networks import random_network, to_network


def ignoring_head(seed, dim):
    """A random network whose linear head reads only some of its units: linear regions merge."""
    layers = random_network(seed, dim, [4, 3], ["relu", "maxout"], rank=2,
                            degenerate=seed % 2 == 1)
    layers.append({"type": "linear", "weights": [[1, 0, 2], [0, 0, -1]], "biases": [0, 1]})
    return to_network(layers, dim)


def enumeration(seed, dim, adjacency=True):
    return enumerate_regions(ignoring_head(seed, dim), Box.cube(dim, -2, 2),
                             options=EngineOptions(adjacency=adjacency))


@pytest.mark.parametrize("seed", range(4))
def test_output_rows_are_the_network_in_lowest_terms(seed):
    result = enumeration(seed, 2 + seed % 2)
    for region in result:
        den, rows = region.output_rows
        assert den > 0 and math.gcd(den, *(v for row in rows for v in row)) == 1
        point = region.interior_point()
        # The network itself at an interior point, in exact arithmetic.
        expected = result.network.evaluate(point)
        assert [Fraction(r[0] + sum(a * x for a, x in zip(r[1:], point)), den)
                for r in rows] == list(expected)
        matrix, offset = region.affine_map
        assert matrix == tuple(tuple(Fraction(v, den) for v in r[1:]) for r in rows)
        assert offset == tuple(Fraction(r[0], den) for r in rows)


@pytest.mark.parametrize("adjacency", [True, False])  # tracked edges, then edges searched
@pytest.mark.parametrize("seed", range(4))
def test_graph_without_points_and_maps_is_the_full_graph_less_them(seed, adjacency):
    result = enumeration(seed, 2 + seed % 2, adjacency)
    full = region_graph(result, volumes=False, facet_measures=False)
    lean = region_graph(result, volumes=False, facet_measures=False, points=False, maps=False)
    assert list(lean.nodes) == list(full.nodes)
    assert sorted(lean.edges) == sorted(full.edges) and lean.number_of_edges() > 0
    for n, data in lean.nodes(data=True):
        assert data["interior_point"] is None and data["affine_map"] is None
        kept = {k: v for k, v in full.nodes[n].items() if k not in ("interior_point", "affine_map")}
        assert {k: v for k, v in data.items() if k in kept} == kept
    for u, v, data in lean.edges(data=True):
        assert data["point"] is None
        changed = {(k, unit) for k, (p, q) in enumerate(zip(result[u].pattern, result[v].pattern))
                   for unit, (a, b) in enumerate(zip(p, q)) if a != b}
        assert set(data["units"]) == changed and changed
        assert (data["hyperplane"], data["units"]) == (full.edges[u, v]["hyperplane"],
                                                        full.edges[u, v]["units"])
    assert boundary_facet_count(lean) == boundary_facet_count(full)


@pytest.mark.parametrize("seed", [0, 3, 4, 5, 7])  # seeds whose regions merge
def test_integer_maps_give_the_linear_regions_of_the_fraction_maps(seed):
    result = enumeration(seed, 2 + seed % 2)
    expected = linear_regions(region_graph(result, facet_measures=False, volumes=False))
    lean = region_graph(result, volumes=False, facet_measures=False, points=False, maps=False)
    assert linear_regions(lean, result) == expected
    assert len(expected) < len(result)  # the head ignores a unit: some regions merge


def test_linear_regions_refuse_a_graph_without_maps():
    result = enumeration(0, 2)
    lean = region_graph(result, points=False, maps=False)
    with pytest.raises(UsageError, match="maps=False"):
        linear_regions(lean)


@pytest.mark.parametrize("seed", range(4))
def test_decision_boundary_on_the_lean_graph_is_the_one_on_the_full_graph(seed):
    result = enumeration(seed, 2 + seed % 2)
    full = decision_boundary(result, region_graph(result))
    lean = decision_boundary(result)  # it builds the graph without points and maps
    assert [(p.region, p.neighbour, p.classes, p.hyperplane, p.vertices, p.rays, p.point)
            for p in lean.pieces] == [(p.region, p.neighbour, p.classes, p.hyperplane,
                                       p.vertices, p.rays, p.point) for p in full.pieces]
    assert lean.maximal_pieces == full.maximal_pieces
    assert lean.region_classes == full.region_classes and full.piece_count > 0
    for node, region in enumerate(result):
        # The class the network predicts inside a region is one of the region's classes.
        outputs = result.network.evaluate(region.interior_point())
        assert outputs.index(max(outputs)) in lean.region_classes[node]


@pytest.mark.parametrize("seed", [1, 2])
def test_count_keys_are_those_of_the_full_graph(seed, capsys, tmp_path):
    network = ignoring_head(seed, 2 + seed % 2)
    path = tmp_path / "model.json"
    save_network(network, path)
    status, out, _ = run(["count", str(path), "--box", "-2", "2", "--json", "--no-progress"],
                         capsys)
    summary = json.loads(out)
    result = enumeration(seed, 2 + seed % 2)
    graph = region_graph(result)
    boundary = decision_boundary(result, graph)
    assert status == 0 and summary["analysis_complete"] is True
    assert (summary["linear_regions"], summary["boundary_facets"],
            summary["decision_boundary_pieces"], summary["decision_boundary_pieces_merged"]) == (
        len(linear_regions(graph)), boundary_facet_count(graph), boundary.piece_count,
        boundary.maximal_piece_count)
