"""The decision boundary against the brute-force LP oracle and hand-computed values."""

from fractions import Fraction

import pytest
import sympy

from polyregions import Box, PolyregionsError, WholeSpace, enumerate_regions, region_graph
from polyregions.analysis import decision_boundary
from tests.networks import box_rows, random_network, to_network
from tests.oracles.decision_boundary import decision_boundary_piece_details

F = Fraction


def relu(weights, biases):
    return {"type": "relu", "weights": weights, "biases": biases}


def linear(weights, biases):
    return {"type": "linear", "weights": weights, "biases": biases}


def boundary(layers, dim, domain):
    result = enumerate_regions(to_network(layers, dim), domain)
    return result, decision_boundary(result)


CASES = [
    (2, [4, 3], ["relu", "maxout"], 2),
    (2, [3, 3], ["maxout", "relu"], 3),
    (2, [4], ["leaky_relu"], 3),
    (3, [3, 2], ["relu", "maxout"], 2),
    (1, [3, 2], ["relu", "maxout"], 3),
]


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("dim, widths, kinds, outputs", CASES)
def test_pieces_per_region_match_the_lp_oracle(seed, dim, widths, kinds, outputs):
    # Pieces strictly inside regions must agree exactly, region by region; a tie set
    # lying on a facet is, here, a piece only where the class changes, counted once,
    # so it must be one of the oracle's facet pieces.
    layers = random_network(seed, dim, widths, kinds, rank=3, outputs=outputs,
                            degenerate=seed >= 3)
    lower, upper = [F(-2)] * dim, [F(3, 2)] * dim
    result, db = boundary(layers, dim, Box(lower, upper))
    details = decision_boundary_piece_details(layers, dim, box_rows(lower, upper))
    ours = {(result[p.region].pattern, p.classes) for p in db.pieces}
    inside = {(pat, pair) for pat, pairs in details.items() for pair, info in pairs.items()
              if not info["facet"]}
    on_facets = {(pat, pair) for pat, pairs in details.items() for pair, info in pairs.items()
                 if info["facet"]}
    assert inside <= ours <= inside | on_facets


def test_three_classes_meeting_at_the_origin():
    # y = (x1, x2, -x1 - x2) on [-1, 1]^2: the ties are the rays from 0 to (1, 1)
    # (length sqrt 2), to (1/2, -1) and to (-1, 1/2) (length sqrt(5)/2 each).
    layers = [linear([[1, 0], [0, 1], [-1, -1]], [0, 0, 0])]
    _, db = boundary(layers, 2, Box.cube(2, -1, 1))
    assert sorted(p.classes for p in db.pieces) == [(0, 1), (0, 2), (1, 2)]
    assert sympy.simplify(db.total_measure - sympy.sqrt(2) - sympy.sqrt(5)) == 0
    segments = {frozenset(s) for s in db.segments_2d()}
    assert frozenset({(0, 0), (1, 1)}) in segments
    assert frozenset({(0, 0), (F(1, 2), -1)}) in segments


def test_a_boundary_crossing_a_hidden_hyperplane_is_one_maximal_piece():
    # u1 = relu(x2), u2 = relu(x1 + 10) (always on in the box); y1 = u2 + u1 - 10 = x1 + u1,
    # y2 = u1: the boundary x1 = 0 crosses x2 = 0 and continues: 2 pieces, 1 maximal,
    # total length 2.
    layers = [relu([[0, 1], [1, 0]], [0, 10]), linear([[1, 1], [1, 0]], [-10, 0])]
    result, db = boundary(layers, 2, Box.cube(2, -1, 1))
    assert len(result) == 2
    assert (db.piece_count, db.maximal_piece_count, db.total_measure) == (2, 1, 2)


def test_ties_on_facets_count_where_the_class_changes_once():
    # Logits relu(x1), relu(x2) on [-1, 1]^2 (see the docstring): the diagonal in the
    # positive quadrant, and the negative x1-axis where class 1 (above) meets the tie
    # 0 = 0 (below, class 0); on the negative x2-axis both sides predict class 0.
    layers = [relu([[1, 0], [0, 1]], [0, 0]), linear([[1, 0], [0, 1]], [0, 0])]
    result, db = boundary(layers, 2, Box.cube(2, -1, 1))
    assert db.piece_count == 2
    assert sympy.simplify(db.total_measure - 1 - sympy.sqrt(2)) == 0
    assert sorted(len(c) for c in db.region_classes.values()) == [1, 1, 1, 2]


def test_identical_outputs_and_ties_on_the_domain_boundary_are_no_pieces():
    # y1 == y2: no boundary; y = (x1, 1) on [-1, 1]^2 ties only on the side x1 = 1.
    _, db = boundary([linear([[1, 0], [1, 0]], [0, 0])], 2, Box.cube(2, -1, 1))
    assert db.piece_count == 0
    _, db = boundary([linear([[1, 0], [0, 0]], [0, 1])], 2, Box.cube(2, -1, 1))
    assert db.piece_count == 0


def test_one_dimension_and_unbounded_pieces():
    # 1-D: y = (relu(x), 1/2): one tie at x = 1/2, measure 1 (a point).
    _, db = boundary([relu([[1]], [0]), linear([[1], [0]], [0, F(1, 2)])], 1, Box([-1], [2]))
    assert [(p.classes, p.point) for p in db.pieces] == [((0, 1), (F(1, 2),))]
    # The whole plane: the tie line x1 = x2 is unbounded, so is the total measure.
    _, db = boundary([linear([[1, 0], [0, 1]], [0, 0])], 2, WholeSpace(2))
    assert db.piece_count == 1 and db.pieces[0].rays and db.total_measure is None


def test_a_single_output_is_refused():
    result = enumerate_regions(to_network([relu([[1]], [0])], 1), Box([-1], [1]))
    with pytest.raises(PolyregionsError):
        decision_boundary(result, region_graph(result))
