"""The decision boundary against the LP and grid oracles and hand-computed values."""

import json
from collections import Counter
from fractions import Fraction

import pytest
import sympy

from polyregions import Box, PolyregionsError, WholeSpace, enumerate_regions, region_graph
from polyregions.analysis.decision import decision_boundary
from tests.cli_helpers import run
from tests.networks import box_rows, random_network, to_network
from tests.oracles.decision_boundary import boundary_oracle
from tests.oracles.grid_classes import ClassGrid

F = Fraction


def relu(weights, biases):
    return {"type": "relu", "weights": weights, "biases": biases}


def linear(weights, biases):
    return {"type": "linear", "weights": weights, "biases": biases}


def boundary(layers, dim, domain):
    result = enumerate_regions(to_network(layers, dim), domain)
    return result, decision_boundary(result)


def piece_keys(result, db):
    """The pieces as the oracle names them: (patterns of their region(s), classes)."""
    keys = Counter()
    for p in db.pieces:
        if p.neighbour is None:
            where = (result[p.region].pattern,)
        else:
            where = tuple(sorted((result[p.region].pattern, result[p.neighbour].pattern)))
        keys[where, p.classes] += 1
    return keys


def check_against_oracles(layers, dim, lower, upper, steps):
    """Compare every part of the decision boundary in a box with both oracles."""
    result, db = boundary(layers, dim, Box(lower, upper))
    oracle = boundary_oracle(layers, dim, box_rows(lower, upper))
    assert {r.pattern: db.region_classes[n] for n, r in enumerate(result)} == oracle.classes
    assert piece_keys(result, db) == Counter(oracle.keys())
    assert sympy.simplify(db.total_measure - oracle.measure()) == 0
    assert db.maximal_piece_count == oracle.maximal_count()
    grid = ClassGrid(layers, lower, upper, steps)
    for point, cls in grid.clear_points():
        # A clear grid point's class is predicted in every region holding the point.
        assert all(cls in db.region_classes[n] for n, r in enumerate(result)
                   if r.polytope.contains(point))
    if dim <= 2:
        assert db.total_measure >= grid.measure_lower_bound(db.piece_count)
    return result, db


CASES = [
    (2, [4, 3], ["relu", "maxout"], 2),
    (2, [3, 3], ["maxout", "relu"], 3),
    (2, [4], ["leaky_relu"], 3),
    (3, [3, 2], ["relu", "maxout"], 2),
    (1, [3, 2], ["relu", "maxout"], 3),
]


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("dim, widths, kinds, outputs", CASES)
def test_random_networks_match_the_oracles(seed, dim, widths, kinds, outputs):
    layers = random_network(seed, dim, widths, kinds, rank=3, outputs=outputs,
                            degenerate=seed >= 3)
    check_against_oracles(layers, dim, [F(-2)] * dim, [F(3, 2)] * dim, 14 if dim < 3 else 5)


def test_a_class_that_only_ties_makes_no_piece():
    # y = (0, x1, 2 x1) on [-1, 1]^2: class 0 wins for x1 < 0 (0 > x1 > 2 x1),
    # class 2 for x1 > 0; class 1 is strictly above neither and only ties with
    # both on x1 = 0. One piece (0, 2): the segment from (0, -1) to (0, 1),
    # length 2, not three pieces of total length 6.
    result, db = boundary([linear([[0, 0], [1, 0], [2, 0]], [0, 0, 0])], 2, Box.cube(2, -1, 1))
    assert (db.piece_count, db.maximal_piece_count, db.total_measure) == (1, 1, 2)
    assert db.region_classes == {0: (0, 2)}
    (piece,) = db.pieces
    assert piece.classes == (0, 2) and piece.neighbour is None
    assert set(piece.vertices) == {(0, -1), (0, 1)}
    # In one dimension: y = (0, x, 2 x) on [-1, 1], the single point 0.
    _, db = boundary([linear([[0], [1], [2]], [0, 0, 0])], 1, Box([-1], [1]))
    assert [(p.classes, p.point) for p in db.pieces] == [((0, 2), (0,))]
    assert db.region_classes == {0: (0, 2)}


def test_the_plot_draws_each_piece_once():
    # The same network: one thick segment from (0, -1) to (0, 1).
    pytest.importorskip("matplotlib")
    from polyregions.io.plot import plot_regions

    result, db = boundary([linear([[0, 0], [1, 0], [2, 0]], [0, 0, 0])], 2, Box.cube(2, -1, 1))
    ax = plot_regions(result, boundary=db.pieces)
    segments = [sorted(map(tuple, s.tolist())) for s in ax.collections[1].get_segments()]
    assert segments == [[(0.0, -1.0), (0.0, 1.0)]]


def test_count_reports_the_pieces(layers_model, capsys):
    # The command line reads the same numbers: 1 piece, 1 maximal.
    model = layers_model([linear([[0, 0], [1, 0], [2, 0]], [0, 0, 0])])
    status, out, err = run(["count", model, "--box", "-1", "1", "--json"], capsys)
    summary = json.loads(out)
    assert (status, err) == (0, "")
    assert (summary["decision_boundary_pieces"], summary["decision_boundary_pieces_merged"]) == (1, 1)


def test_three_classes_tied_along_one_plane_in_3d():
    # s = x1 + x2 + x3, y = (s/2, s, 0) on [-1, 1]^3: class 1 for s > 0, class 2
    # for s < 0, and class 0 (the mean of the other two) only ties with both on
    # s = 0. One piece (1, 2): the plane s = 0 meets the cube in the regular
    # hexagon with vertices the permutations of (1, -1, 0), side sqrt 2, area
    # 6 * (sqrt(3) / 4) * 2 = 3 sqrt 3.
    layers = [linear([[F(1, 2)] * 3, [1, 1, 1], [0, 0, 0]], [0, 0, 0])]
    _, db = boundary(layers, 3, Box.cube(3, -1, 1))
    assert [p.classes for p in db.pieces] == [(1, 2)] and db.region_classes == {0: (1, 2)}
    assert db.total_measure == 3 * sympy.sqrt(3) and len(db.pieces[0].vertices) == 6


def test_an_output_equal_to_a_lower_index_one_on_a_region_is_never_predicted_there():
    # Hidden relu(x1), relu(-x1); y = (x1, relu(x1), 0). On R = {x1 >= 0}
    # y = (x1, x1, 0): class 1 copies class 0 and is not predicted; class 0
    # (x1 >= 0) wins. On L = {x1 <= 0} y = (x1, 0, 0): class 2 copies class 1,
    # which wins. One piece (0, 1), the facet x1 = 0 between L and R: length 2,
    # counted once (not also as a tie of the copies).
    layers = [relu([[1, 0], [-1, 0]], [0, 0]), linear([[1, -1], [1, 0], [0, 0]], [0, 0, 0])]
    result, db = boundary(layers, 2, Box.cube(2, -1, 1))
    classes = {result[n].pattern: c for n, c in db.region_classes.items()}
    assert classes == {((0, 1), ()): (1,), ((1, 0), ()): (0,)}
    assert (db.piece_count, db.total_measure) == (1, 2)
    assert db.pieces[0].classes == (0, 1) and db.pieces[0].neighbour is not None
    # The copy on the whole domain: y = (x1, x2, x1), class 2 never predicted.
    _, db = boundary([linear([[1, 0], [0, 1], [1, 0]], [0, 0, 0])], 2, Box.cube(2, -1, 1))
    assert db.region_classes == {0: (0, 1)} and [p.classes for p in db.pieces] == [(0, 1)]


def test_an_output_that_ties_with_the_winner_only_on_a_lower_dimensional_set():
    # y = (x1, x2, (x1 + x2) / 2): class 2 is below the larger of the others
    # except on the diagonal x1 = x2, where all three tie. One piece (0, 1):
    # the diagonal, length 2 sqrt 2.
    layers = [linear([[1, 0], [0, 1], [F(1, 2), F(1, 2)]], [0, 0, 0])]
    _, db = boundary(layers, 2, Box.cube(2, -1, 1))
    assert [p.classes for p in db.pieces] == [(0, 1)] and db.region_classes == {0: (0, 1)}
    assert db.total_measure == 2 * sympy.sqrt(2)
    # y = (0, |x1|) (through relu(x1) + relu(-x1)): class 0 is the predicted
    # class on the line x1 = 0 (a tie, lowest index) but has no cell: no piece.
    layers = [relu([[1, 0], [-1, 0]], [0, 0]), linear([[0, 0], [1, 1]], [0, 0])]
    _, db = boundary(layers, 2, Box.cube(2, -1, 1))
    assert db.piece_count == 0 and set(db.region_classes.values()) == {(1,)}


def test_ties_on_facets_count_where_the_class_changes_once():
    # Logits relu(x1), relu(x2) on [-1, 1]^2 (see the docstring): the diagonal in the
    # positive quadrant, and the negative x1-axis where class 1 (above) meets the tie
    # 0 = 0 (below, class 0); on the negative x2-axis both sides predict class 0.
    layers = [relu([[1, 0], [0, 1]], [0, 0]), linear([[1, 0], [0, 1]], [0, 0])]
    result, db = boundary(layers, 2, Box.cube(2, -1, 1))
    assert db.piece_count == 2
    assert sympy.simplify(db.total_measure - 1 - sympy.sqrt(2)) == 0
    assert sorted(len(c) for c in db.region_classes.values()) == [1, 1, 1, 2]


def test_a_facet_where_the_class_changes_on_part_of_it():
    # Hidden relu(x1), relu(-x1), relu(x2 + 2); y = (r0, r1, x2). L = {x1 <= 0}:
    # y = (0, -x1, x2), classes 1 and 2 meet on x2 = -x1 from (0, 0) to (-1, 1).
    # R = {x1 >= 0}: y = (x1, 0, x2), classes 0 and 2 meet on x2 = x1 up to
    # (1, 1). On x1 = 0 the outputs are (0, 0, x2): below 0 class 1 just left
    # and class 0 just right (a piece (0, 1) of length 1); above, class 2 on
    # both sides (none). Total 1 + 2 sqrt 2, three maximal pieces.
    layers = [relu([[1, 0], [-1, 0], [0, 1]], [0, 0, 2]),
              linear([[1, 0, 0], [0, 1, 0], [0, 0, 1]], [0, 0, -2])]
    _, db = boundary(layers, 2, Box.cube(2, -1, 1))
    assert sorted(p.classes for p in db.pieces) == [(0, 1), (0, 2), (1, 2)]
    (across,) = [p for p in db.pieces if p.neighbour is not None]
    assert across.classes == (0, 1) and set(across.vertices) == {(0, -1), (0, 0)}
    assert sympy.simplify(db.total_measure - 1 - 2 * sympy.sqrt(2)) == 0
    assert db.maximal_piece_count == 3


def test_facet_pieces_on_one_line_make_one_maximal_piece():
    # Hidden relu(+-x1), relu(+-x2) (the quadrants); y = (2 r0 - r1, 0): class 0
    # for x1 > 0, class 1 for x1 < 0. The class changes across the facets on the
    # upper and the lower half of x1 = 0 (length 1 each), which meet at 0.
    layers = [relu([[1, 0], [-1, 0], [0, 1], [0, -1]], [0, 0, 0, 0]),
              linear([[2, -1, 0, 0], [0, 0, 0, 0]], [0, 0])]
    _, db = boundary(layers, 2, Box.cube(2, -1, 1))
    assert all(p.neighbour is not None for p in db.pieces)
    assert (db.piece_count, db.maximal_piece_count, db.total_measure) == (2, 1, 2)


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


def test_progress_is_reported_per_region_and_can_stop_the_work():
    # The quadrants: four regions, so progress(1, 4) .. progress(4, 4).
    layers = [relu([[1, 0], [0, 1]], [0, 0]), linear([[1, 0], [0, 1]], [0, 0])]
    result = enumerate_regions(to_network(layers, 2), Box.cube(2, -1, 1))
    calls = []
    decision_boundary(result, progress=lambda done, total: calls.append((done, total)))
    assert calls == [(1, 4), (2, 4), (3, 4), (4, 4)]

    class Stop(Exception):
        pass

    def stop_after_two(done, total):
        calls.append(done)
        if done == 2:
            raise Stop("enough")

    calls = []
    with pytest.raises(Stop, match="enough"):
        decision_boundary(result, region_graph(result), progress=stop_after_two)
    assert calls == [1, 2]


def test_a_single_output_is_refused():
    result = enumerate_regions(to_network([relu([[1]], [0])], 1), Box([-1], [1]))
    with pytest.raises(PolyregionsError):
        decision_boundary(result, region_graph(result))
