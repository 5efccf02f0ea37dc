"""Property tests of the region graph on the whole space in 3-D and 4-D, facet measures on.

A one-hidden-layer ReLU network is a hyperplane arrangement (one hyperplane per
unit with a non-zero weight row), drawn here with parallel, concurrent and
repeated hyperplanes on purpose. Its region graph is checked against facts
computed without the package:

* nodes = regions = |chi(-1)| (Zaslavsky), bounded nodes = |chi(1)| when the
  arrangement is essential (none otherwise);
* edges = the arrangement's (d-1)-faces: each separates exactly two regions and
  two regions share at most one; counted hyperplane by hyperplane as the regions
  of the restricted arrangement (Zaslavsky in dimension d - 1). Edges with a
  measure are the bounded (d-1)-faces;
* the Euler relations sum_k (-1)^k f_k = (-1)^d of the whole space and 1 of the
  (contractible) bounded complex, with f_d and f_(d-1) read off the graph;
* exact measures against exact volumes (the pyramid formula): for a bounded
  region R and any point p inside it, d vol(R) = sum over its facets F of
  dist(p, F) * measure(F), each term rational.

Small deep networks (bent hyperplanes) are checked against the all-pairs
intersection oracle and the pyramid formula.
"""

import random
from fractions import Fraction

import sympy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from polyregions import WholeSpace, enumerate_regions, region_graph
from tests.networks import to_network
from tests.oracles.adjacency import shared_facets
from tests.oracles.arrangement import face_counts


def rational(rng):
    return Fraction(rng.randint(-3, 3), rng.randint(1, 3))


@st.composite
def arrangements(draw, dim, units):
    """Rows ``(w, b)`` of ReLU units (at least `dim` unless `units` is smaller), degenerate on purpose.

    Each unit is fresh, parallel to an earlier one (new bias), the same hyperplane
    as an earlier one (scaled, possibly flipped), through a point shared by all
    "concurrent" units, or a zero row (a unit without hyperplane). Hypothesis
    chooses the structure; the numbers come from a generator it seeds (its own
    small values would make nearly every hyperplane a coordinate one).
    """
    rng = random.Random(draw(st.integers(0, 2 ** 32)))
    centre = [rational(rng) for _ in range(dim)]
    rows = []
    # Many units first: bounded regions need more than `dim` hyperplanes.
    for _ in range(draw(st.sampled_from(range(units, min(units, dim) - 1, -1)))):
        # Mostly fresh hyperplanes, so that bounded regions and facets occur.
        kind = draw(st.sampled_from(["fresh"] * 6 + ["parallel", "repeated", "concurrent", "zero"]))
        live = [r for r in rows if any(r[0])]
        if kind in ("parallel", "repeated") and live:
            w, b = rng.choice(live)
            c = rng.choice([1, 2, Fraction(1, 2), -1, -3])
            rows.append(([c * v for v in w], c * b if kind == "repeated" else rational(rng)))
        elif kind == "zero":
            rows.append(([0] * dim, rational(rng)))
        else:
            w = [0] * dim
            while not any(w):
                w = [rng.randint(-2, 2) for _ in range(dim)]
            b = -sum(a * x for a, x in zip(w, centre)) if kind == "concurrent" else rational(rng)
            rows.append((w, b))
    return rows


def relu_layer(rows):
    return {"type": "relu", "weights": [list(w) for w, _ in rows], "biases": [b for _, b in rows]}


def graph_of(layers, dim):
    result = enumerate_regions(to_network(layers, dim), WholeSpace(dim))
    return result, region_graph(result)  # volumes and facet measures on


def check_pyramid_formula(result, graph, dim):
    """d vol(R) = sum_F (b_F + a_F . p) measure(F) / |a_F| for every bounded region R."""
    totals = {i: Fraction(0) for i, bounded in graph.nodes(data="bounded") if bounded}
    for i, j, data in graph.edges(data=True):
        row, measure = data["hyperplane"], data["measure"]
        if measure is None:
            assert i not in totals and j not in totals  # a bounded region has bounded facets
            continue
        per_normal = measure / sympy.sqrt(sum(v * v for v in row[1:]))
        assert isinstance(per_normal, sympy.Rational) and per_normal > 0
        per_normal = Fraction(int(per_normal.p), int(per_normal.q))
        for node, sign in ((i, 1), (j, -1)):  # the row is >= 0 on i, <= 0 on j
            if node in totals:
                p = graph.nodes[node]["interior_point"]
                height = sign * (row[0] + sum(a * x for a, x in zip(row[1:], p)))
                assert height > 0
                totals[node] += height * per_normal
    for node, total in totals.items():
        assert total == dim * graph.nodes[node]["volume"], node


def check_edges_against_intersections(result, graph, dim):
    oracle = shared_facets([r.polytope.rows for r in result], dim)
    assert set(graph.edges) == set(oracle)
    for i, j, measure in graph.edges(data="measure"):
        assert (measure is not None) == oracle[i, j]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_arrangement_graphs_match_zaslavsky_and_the_face_counts(data):
    dim = data.draw(st.sampled_from([3, 4]))
    rows = data.draw(arrangements(dim, 6 if dim == 3 else 5))
    result, graph = graph_of([relu_layer(rows)], dim)
    faces, bounded = face_counts([(w, b) for w, b in rows if any(w)], dim)
    nodes, edges = graph.number_of_nodes(), graph.number_of_edges()
    bounded_nodes = sum(1 for _, b in graph.nodes(data="bounded") if b)
    bounded_edges = sum(1 for _, _, m in graph.edges(data="measure") if m is not None)
    assert (nodes, bounded_nodes) == (faces[dim], bounded[dim])
    assert (edges, bounded_edges) == (faces[dim - 1], bounded[dim - 1])
    lower = sum((-1) ** k * f for k, f in enumerate(faces[:dim - 1]))
    lower_bounded = sum((-1) ** k * f for k, f in enumerate(bounded[:dim - 1]))
    sign = (-1) ** (dim - 1)
    assert lower + sign * (edges - nodes) == (-1) ** dim
    assert lower_bounded + sign * (bounded_edges - bounded_nodes) == (1 if faces[0] else 0)
    # Every facet of a region is one whole face of the arrangement: one edge.
    assert sum(len(rows) for _, rows in graph.nodes(data="inequalities")) == 2 * edges
    check_pyramid_formula(result, graph, dim)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_deep_graphs_match_the_intersection_oracle(data):
    dim = data.draw(st.sampled_from([3, 4]))
    first = data.draw(arrangements(dim, 4))
    second = data.draw(arrangements(len(first), 2))
    result, graph = graph_of([relu_layer(first), relu_layer(second)], dim)
    check_edges_against_intersections(result, graph, dim)
    check_pyramid_formula(result, graph, dim)
