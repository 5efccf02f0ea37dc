"""Domains: boxes, balls, the whole space, slices and polytopes (also read from files)."""

import json
import random
import time
from fractions import Fraction

import pytest

from polyregions import (
    Box,
    DomainError,
    HPolytope,
    Network,
    PolytopeDomain,
    ReluLayer,
    Slice,
    WholeSpace,
    ball,
    domain_point_pattern,
    load_polytope,
)
from polyregions.domain import MAX_VERTEX_DIMENSION, Domain

F = Fraction


def net_with_inputs(n):
    return Network(n, [ReluLayer([[1] * n], [0])])


# ---------------------------------------------------------------- Box


def test_box_facets_vertices_and_description():
    box = Box([-1, "1/2"], [2, 1])
    assert (box.kind, box.dim, box.input_dim, box.is_bounded) == ("box", 2, 2, True)
    assert box.lower == (F(-1), F(1, 2)) and box.upper == (F(2), F(1))
    # x1 >= -1: 1 + x1 >= 0; x1 <= 2; x2 >= 1/2: -1/2 + x2 >= 0, times 2; x2 <= 1.
    assert set(box.polytope.rows) == {(1, 1, 0), (2, -1, 0), (-1, 0, 2), (1, 0, -1)}
    assert set(box.polytope.vertices) == {(F(-1), F(1, 2)), (F(2), F(1, 2)), (F(-1), F(1)), (F(2), F(1))}
    assert box.to_spec() == {"kind": "box", "dim": 2, "input_dim": 2,
                              "lower": ["-1", "1/2"], "upper": ["2", "1"]}
    assert repr(box) == "Box(dim=2)"


def test_box_input_map_is_the_identity():
    box = Box([0, 0, 0], [1, 2, 3])
    assert box.input_map() == ((F(0),) * 3, ((1, 0, 0), (0, 1, 0), (0, 0, 1)))
    assert box.integer_input_map() == (((0, 1, 0, 0), (0, 0, 1, 0), (0, 0, 0, 1)), 1)


def test_cube():
    cube = Box.cube(3, "-1/2", 0.5)
    assert cube.lower == (F(-1, 2),) * 3 and cube.upper == (F(1, 2),) * 3
    assert len(cube.polytope.rows) == 6 and len(cube.polytope.vertices) == 8
    assert cube.polytope.interior_point() == (F(0),) * 3
    assert cube.to_spec()["upper"] == ["1/2", "1/2", "1/2"]


def test_box_bounds_are_exact():
    box = Box.cube(1, 0.1, 1)
    assert box.lower == (F(3602879701896397, 2 ** 55),)  # the double 0.1, not 1/10
    assert Box.cube(1, "0.1", 1).lower == (F(1, 10),)


@pytest.mark.parametrize("lower, upper, words", [
    ([1, 0], [1, 2], "box axis 0: lower bound 1 is not below upper bound 1"),
    ([0, 2], [1, 1], "box axis 1: lower bound 2 is not below upper bound 1"),
    ([0, 0], [1], "box corners have 2 and 1 coordinates"),
    ([], [], "box lower corner is empty"),
    (["abc"], [1], "box lower corner 'abc' is not a number"),
    ([0], ["1/0"], "box upper corner '1/0' divides by zero"),
    ([float("nan")], [1], "must be finite"),
    (0, 1, "box lower corner must be a list of numbers"),
    ("01", "23", "box lower corner must be a list of numbers"),  # not the points (0, 1), (2, 3)
])
def test_bad_boxes(lower, upper, words):
    with pytest.raises(DomainError) as info:
        Box(lower, upper)
    assert words in str(info.value)


@pytest.mark.parametrize("dim", [0, -1, True, 2.0])
def test_cube_needs_a_positive_integer_dimension(dim):
    with pytest.raises(DomainError, match="cube dimension must be a positive integer"):
        Box.cube(dim, 0, 1)


# ---------------------------------------------------------------- balls


def test_inf_ball_is_a_box():
    b = ball([1, "1/2"], "1/4")
    assert isinstance(b, Box) and b.kind == "box"
    assert b.lower == (F(3, 4), F(1, 4)) and b.upper == (F(5, 4), F(3, 4))
    assert ball([0], 1, norm="inf").to_spec()["lower"] == ["-1"]


def test_l1_ball_facets_and_vertices():
    # |x1| + |x2 - 1/2| <= 1/10: four facets 1/10 - s1 x1 - s2 (x2 - 1/2) >= 0, times 10 (or 5).
    b = ball([0, "1/2"], "1/10", norm="1")
    assert (b.kind, b.dim, b.is_bounded) == ("polytope", 2, True)
    # s = (+,+): 6/10 - x1 - x2 -> (3, -5, -5); (-,+): (3, 5, -5); (+,-): (-2, -5, 5); (-,-): (-2, 5, 5).
    assert set(b.polytope.rows) == {(3, -5, -5), (3, 5, -5), (-2, -5, 5), (-2, 5, 5)}
    assert set(b.polytope.vertices) == {
        (F(-1, 10), F(1, 2)), (F(1, 10), F(1, 2)), (F(0), F(2, 5)), (F(0), F(3, 5))}


def test_l1_ball_in_three_and_one_dimensions():
    # The octahedron |x1 - 1| + |x2| + |x3| <= 2: 8 facets, 6 vertices c +- 2 e_i.
    b = ball([1, 0, 0], 2, norm="1")
    assert len(b.polytope.rows) == 8
    assert set(b.polytope.vertices) == {
        (F(3), F(0), F(0)), (F(-1), F(0), F(0)), (F(1), F(2), F(0)),
        (F(1), F(-2), F(0)), (F(1), F(0), F(2)), (F(1), F(0), F(-2))}
    # In R^1 the L1 ball |x - 5| <= 2 is the interval [3, 7].
    segment = ball([5], 2, norm="1")
    assert set(segment.polytope.rows) == {(7, -1), (-3, 1)}
    assert set(segment.polytope.vertices) == {(F(3),), (F(7),)}


@pytest.mark.parametrize("center, radius, norm, words", [
    ([0, 0], 0, "inf", "ball radius must be positive, got 0"),
    ([0, 0], "-1/2", "1", "ball radius must be positive, got -1/2"),
    ([0, 0], "x", "inf", "ball radius 'x' is not a number"),
    ([0, 0], 1, "2", "ball norm must be 1 or inf, got '2'"),
    ([], 1, "inf", "ball centre is empty"),
    ([0] * 17, 1, "1", "an L1 ball in R^17 has 2^17 facets"),
])
def test_bad_balls(center, radius, norm, words):
    with pytest.raises(DomainError) as info:
        ball(center, radius, norm=norm)
    assert words in str(info.value)


@pytest.mark.parametrize("dim", [17, 18])
def test_a_box_with_more_vertices_than_the_engine_can_keep_is_refused_at_once(dim):
    """A box in R^n has 2^n vertices: above 16 dimensions building it would not end.

    (Just above the limit, so that a lost refusal fails here in seconds, not hours; the
    command line's test refuses R^784 in a child process with a timeout.)"""
    start = time.perf_counter()
    with pytest.raises(DomainError) as info:
        Box.cube(dim, 0, 1)
    assert time.perf_counter() - start < 1
    message = str(info.value)
    assert f"a box in R^{dim} has 2^{dim} vertices" in message and "--slice" in message
    assert "\n" not in message
    with pytest.raises(DomainError, match=rf"L1 ball in R\^{dim}"):
        ball([0] * dim, 1, norm="1")
    # the largest admitted box is built with all its vertices
    assert MAX_VERTEX_DIMENSION == 16 and len(Box.cube(4, 0, 1).polytope.point_rows) == 16


# ---------------------------------------------------------------- the whole space


def test_whole_space():
    w = WholeSpace(3)
    assert (w.kind, w.dim, w.input_dim, w.is_bounded) == ("whole_space", 3, 3, False)
    assert w.polytope.rows == () and w.polytope.rays == ()
    # Three lines spanning R^3 (each direction up to its sign).
    assert {tuple(abs(v) for v in line) for line in w.polytope.lines} == {
        (1, 0, 0), (0, 1, 0), (0, 0, 1)}
    assert w.to_spec() == {"kind": "whole_space", "dim": 3, "input_dim": 3}
    assert w.polytope.contains_in_interior([10 ** 50, -(10 ** 50), F(1, 3)])


@pytest.mark.parametrize("dim", [0, -2, True, 2.0, "2"])
def test_whole_space_needs_a_positive_integer_dimension(dim):
    with pytest.raises(DomainError, match="positive dimension"):
        WholeSpace(dim)


# ---------------------------------------------------------------- slices


def test_slice_input_map_is_exact():
    p1, p2, p3 = [F(1, 2), 0, 1], [2, 1, F(-1, 3)], [0, F(3, 2), 1]
    sl = Slice(p1, p2, p3, [-1, 0], [2, "1/2"])
    assert (sl.kind, sl.dim, sl.input_dim) == ("slice", 2, 3)
    offset, (d1, d2) = sl.input_map()
    assert offset == (F(1, 2), F(0), F(1))
    assert d1 == (F(3, 2), F(1), F(-4, 3))  # p2 - p1
    assert d2 == (F(-1, 2), F(3, 2), F(0))  # p3 - p1
    # Rows (offset_i, d1_i, d2_i) times the lcm 6 of their denominators.
    assert sl.integer_input_map() == (((3, 9, -3), (0, 6, 9), (6, -8, 0)), 6)
    # (0, 0), (1, 0) and (0, 1) are the three points.
    for (s, t), p in [((0, 0), p1), ((1, 0), p2), ((0, 1), p3)]:
        assert tuple(o + s * a + t * b for o, a, b in zip(offset, d1, d2)) == tuple(F(v) for v in p)
    # The slice coordinates live in the box [-1, 2] x [0, 1/2].
    assert set(sl.polytope.vertices) == {(F(-1), F(0)), (F(2), F(0)), (F(-1), F(1, 2)), (F(2), F(1, 2))}



def test_points_of_a_slice_map_to_inputs_and_patterns():
    # The slice through (1/2, 0, 1), (2, 1, -1/3), (0, 3/2, 1): the point (s, t) = (1, 2) is
    # p1 + (p2 - p1) + 2 (p3 - p1) = (1/2 + 3/2 - 1, 0 + 1 + 3, 1 - 4/3 + 0) = (1, 4, -1/3).
    sl = Slice([F(1, 2), 0, 1], [2, 1, F(-1, 3)], [0, F(3, 2), 1], [-1, 0], [2, "1/2"])
    assert sl.input_point([1, "2"]) == (F(1), F(4), F(-1, 3))
    # Units x1 - x2 (negative there: piece 0) and 3 x3 + 1 (zero there: a tie, piece 0 wins).
    net = Network(3, [ReluLayer([[1, -1, 0], [0, 0, 3]], [0, 1])])
    assert domain_point_pattern(net, sl, [1, 2]) == ((0, 0),) == net.activation_pattern((1, 4, F(-1, 3)))
    # Units see the input, not the slice coordinates: at (s, t) = (1, 0), i.e. p2, x1 - x2 = 1 > 0.
    assert domain_point_pattern(net, sl, [1, 0]) == ((1, 0),)
    assert Box.cube(2, 0, 1).input_point(["1/3", 2]) == (F(1, 3), F(2))  # the identity


@pytest.mark.parametrize("point", [[1], [1, 2, 3]])
def test_a_domain_point_needs_the_domain_dimension(point):
    # A 2-D slice of R^3 takes 2 coordinates: a 3-D input point is not a slice point.
    sl = Slice([0, 0, 0], [1, 0, 0], [0, 1, 0], [-1, -1], [1, 1])
    with pytest.raises(DomainError, match=f"point has {len(point)} coordinates, expected 2"):
        sl.input_point(point)
    net = Network(3, [ReluLayer([[1, 1, 1]], [0])])
    with pytest.raises(DomainError, match="expected 2"):
        domain_point_pattern(net, sl, point)

def test_slice_description():
    sl = Slice([0, 0, "1/2"], [1, 0, 0], [0, 1, 0], [-1, -1], [1, 1])
    assert sl.to_spec() == {
        "kind": "slice", "dim": 2, "input_dim": 3,
        "points": [["0", "0", "1/2"], ["1", "0", "0"], ["0", "1", "0"]],
        "lower": ["-1", "-1"], "upper": ["1", "1"]}
    assert sl.lower == (F(-1), F(-1)) and sl.points[0] == (F(0), F(0), F(1, 2))


@pytest.mark.parametrize("points", [
    ([0, 0, 0], [1, 2, 3], [2, 4, 6]),  # P3 - P1 = 2 (P2 - P1)
    ([1, 1], [2, 3], [F(1, 2), 0]),  # P3 - P1 = -(1/2) (P2 - P1)
    ([0, 0], [1, 1], [1, 1]),  # P2 repeated
    ([0, 0], [0, 0], [1, 0]),  # P1 repeated
    ([0], [1], [2]),  # in R^1 every three points are collinear
])
def test_collinear_slice_points(points):
    with pytest.raises(DomainError, match="collinear"):
        Slice(*points, [0, 0], [1, 1])


def test_nearly_collinear_points_are_not_collinear():
    # P3 is off the line through P1, P2 by 10^-60 only: still a plane.
    sl = Slice([0, 0], [1, 1], [1, 1 + F(1, 10 ** 60)], [0, 0], [1, 1])
    assert sl.input_map()[1][1] == (F(1), F(1) + F(1, 10 ** 60))


@pytest.mark.parametrize("points, words", [
    (([0, 0], [1, 0, 0], [0, 1]), "must have the same number of coordinates"),
    (([0, 0, 0], [1, 0, 0], [0, 1]), "must have the same number of coordinates"),
    (([], [1], [2]), "slice point P1 is empty"),
    (([0, 0], [1, "x"], [0, 1]), "slice point P2 'x' is not a number"),
])
def test_bad_slice_points(points, words):
    with pytest.raises(DomainError) as info:
        Slice(*points, [0, 0], [1, 1])
    assert words in str(info.value)


@pytest.mark.parametrize("lower, upper", [([0], [1]), ([0, 0, 0], [1, 1, 1])])
def test_slice_coordinates_need_a_2d_box(lower, upper):
    with pytest.raises(DomainError, match="2-D box"):
        Slice([0, 0, 0], [1, 0, 0], [0, 1, 0], lower, upper)


def test_slice_box_must_not_be_empty():
    with pytest.raises(DomainError, match="box axis 1: lower bound 1 is not below upper bound 1"):
        Slice([0, 0, 0], [1, 0, 0], [0, 1, 0], [0, 1], [1, 1])


# ---------------------------------------------------------------- polytopes


def test_polytope_domain_drops_redundant_rows():
    # x >= 0, y >= 0, x + y <= 1, then x <= 5, 2x >= 0 and (x + y <= 2) are redundant.
    rows = [[0, 1, 0], [0, 0, 1], [1, -1, -1], [5, -1, 0], [0, 2, 0], [2, -1, -1]]
    dom = PolytopeDomain(rows)
    assert (dom.kind, dom.dim, dom.input_dim, dom.is_bounded) == ("polytope", 2, 2, True)
    assert dom.polytope.rows == ((0, 1, 0), (0, 0, 1), (1, -1, -1))
    assert set(dom.polytope.vertices) == {(F(0), F(0)), (F(1), F(0)), (F(0), F(1))}
    assert dom.to_spec() == {"kind": "polytope", "dim": 2, "input_dim": 2,
                              "inequalities": [["0", "1", "0"], ["0", "0", "1"], ["1", "-1", "-1"]]}


def test_polytope_domain_rows_are_normalised():
    # 1/2 - x/4 >= 0 is x <= 2: times 4 gives (2, -1).
    dom = PolytopeDomain([["1/2", "-1/4"], [0, 3]])
    assert set(dom.polytope.rows) == {(2, -1), (0, 1)}


def test_unbounded_polytope_domain():
    quadrant = PolytopeDomain([[-1, 1, 0], [-2, 0, 1]])  # x >= 1, y >= 2
    assert not quadrant.is_bounded
    assert quadrant.polytope.vertices == ((F(1), F(2)),)
    assert set(quadrant.polytope.rays) == {(1, 0), (0, 1)}


@pytest.mark.parametrize("rows, words", [
    ([[-1, 1], [-1, -1]], "empty set"),  # x >= 1 and x <= -1
    ([[0, 1, 0], [-1, -1, 0], [0, 0, 1]], "empty set"),  # x >= 0 and x <= -1
    ([[0, 1, 0], [0, -1, 0]], "not full-dimensional"),  # the line x = 0
    ([[0, 1, 0], [0, 0, 1], [0, -1, -1]], "not full-dimensional"),  # the point (0, 0)
    ([[0, 1, 0], [-1, 0, 0]], "inequality 1 holds for no point (-1 >= 0)"),
    ([[0, 1], [0, 1, 0]], "inequality 1 has 3 entries, expected 2"),
    ([], "needs the dimension"),
    ([[1]], "dimension at least 1"),
    ([[0, "abc"]], "inequality 0 entry 'abc' is not a number"),
    ([[0, float("inf")]], "must be finite"),
])
def test_bad_polytope_domains(rows, words):
    with pytest.raises(DomainError) as info:
        PolytopeDomain(rows)
    assert words in str(info.value)


# ---------------------------------------------------------------- polytope files


SQUARE_INE = """* the square [-1, 1]^2 and a redundant row x1 <= 2
square
H-representation
begin
 5 3 rational
 1 -1 0
 1 1 0
 1 0 -1
 1 0 1
 2 -1 0
end
"""


def test_load_polytope_from_an_ine_file(tmp_path):
    path = tmp_path / "square.ine"
    path.write_text(SQUARE_INE)
    dom = load_polytope(path)
    assert isinstance(dom, PolytopeDomain) and dom.dim == 2
    assert set(dom.polytope.rows) == {(1, -1, 0), (1, 1, 0), (1, 0, -1), (1, 0, 1)}
    assert set(dom.polytope.vertices) == {(F(a), F(b)) for a in (-1, 1) for b in (-1, 1)}
    assert load_polytope(str(path)).polytope == dom.polytope


def test_ine_entries_may_be_fractions(tmp_path):
    # 1/2 - x >= 0, 1 + x >= 0, 3/2 - 3 y >= 0, y >= 0: [-1, 1/2] x [0, 1/2].
    path = tmp_path / "rect.ine"
    path.write_text("H-representation\nbegin\n 4 3 rational\n 1/2 -1 0\n 1 1 0\n"
                    " 3/2 0 -3\n 0 0 1\nend\n")
    assert set(load_polytope(path).polytope.vertices) == {
        (F(-1), F(0)), (F(1, 2), F(0)), (F(-1), F(1, 2)), (F(1, 2), F(1, 2))}


def test_load_polytope_from_json(tmp_path):
    # A x <= b: x <= 1, -x <= 1, y <= 1/2, -y <= 0.5 (the double 0.5 is exactly 1/2).
    path = tmp_path / "rect.json"
    path.write_text(json.dumps({"A": [[1, 0], [-1, 0], [0, 1], [0, -1]], "b": [1, 1, "1/2", 0.5]}))
    dom = load_polytope(path)
    assert set(dom.polytope.rows) == {(1, -1, 0), (1, 1, 0), (1, 0, -2), (1, 0, 2)}
    assert set(dom.polytope.vertices) == {(F(a), F(b, 2)) for a in (-1, 1) for b in (-1, 1)}


@pytest.mark.parametrize("text, words", [
    ("H-representation\nlinearity 1 1\nbegin\n 4 3 rational\n 1 -1 0\n 1 1 0\n 1 0 -1\n 1 0 1\nend\n",
     "equality (linearity) rows"),
    ("V-representation\nbegin\n 3 3 rational\n 1 0 0\n 1 1 0\n 1 0 1\nend\n", "is a V-representation"),
    ("H-representation\n 4 3 rational\n 1 -1 0\n", "has no 'begin' ... 'end' block"),
    ("H-representation\nbegin\n 4 3 rational\n 1 -1 0\n 1 1 0\n 1 0 -1\n 1 0 1\n",
     "has no 'begin' ... 'end' block"),
    ("H-representation\nbegin\n 4 3\n 1 -1 0\n 1 1 0\n 1 0 -1\n 1 0 1\nend\n", "expected 'm n rational'"),
    ("H-representation\nbegin\n 4 3 rational\n 1 -1 0\n 1 1 0\n 1 0 -1\nend\n",
     "announces 4 rows but has 3"),
    ("H-representation\nbegin\n 2 3 rational\n 1 -1 0\n 1 1\nend\n", "row 1 has 2 entries, expected 3"),
    ("H-representation\nbegin\n 2 3 rational\n 1 -1 0\n 1 1 x\nend\n", "row 1 entry 'x' is not a number"),
    ("H-representation\nbegin\n 2 3 rational\n 1 -1 0\n 1 1 1/0\nend\n", "divides by zero"),
    ("H-representation\nbegin\n 2 2 rational\n 1 -1\n -2 1\nend\n", "empty set"),  # x <= 1, x >= 2
    ("H-representation\nbegin\n 2 2 rational\n 1 -1\n -1 1\nend\n", "not full-dimensional"),  # x = 1
])
def test_bad_ine_files(tmp_path, text, words):
    path = tmp_path / "bad.ine"
    path.write_text(text)
    with pytest.raises(DomainError) as info:
        load_polytope(path)
    assert words in str(info.value)


@pytest.mark.parametrize("text, words", [
    ("not json", "is not valid JSON"),
    ("[1, 2]", "needs keys 'A' and 'b' (A x <= b)"),
    ('{"A": [[1]]}', "needs keys 'A' and 'b'"),
    ('{"A": [[1], [-1]], "b": [1]}', "'A' and 'b' must be lists of equal length"),
    ('{"A": [], "b": []}', "'A' and 'b' must be lists of equal length"),
    ('{"A": [1, -1], "b": [1, 1]}', "row 0 of 'A' is not a list"),
    ('{"A": [[true], [-1]], "b": [1, 1]}', "A[0] must be a number, got True"),
    ('{"A": [[1], [-1]], "b": ["x", 1]}', "'x' is not a number"),
    ('{"A": [[1], [-1]], "b": [NaN, 1]}', "must be finite"),
    ('{"A": [[1], [-1]], "b": [-1, -1]}', "empty set"),  # x <= -1 and x >= 1
])
def test_bad_json_polytopes(tmp_path, text, words):
    path = tmp_path / "bad.json"
    path.write_text(text)
    with pytest.raises(DomainError) as info:
        load_polytope(path)
    assert words in str(info.value)


def test_missing_polytope_file(tmp_path):
    with pytest.raises(DomainError, match="polytope file not found: .*nope.ine"):
        load_polytope(tmp_path / "nope.ine")
    with pytest.raises(DomainError, match="cannot read polytope file"):
        load_polytope(tmp_path)


# ---------------------------------------------------------------- networks, immutability


@pytest.mark.parametrize("domain, kind, n", [
    (Box.cube(3, 0, 1), "box", 3),
    (WholeSpace(1), "whole_space", 1),
    (PolytopeDomain([[0, 1, 0], [0, 0, 1], [1, -1, -1]]), "polytope", 2),
    (Slice([0, 0, 0, 0], [1, 0, 0, 0], [0, 1, 0, 0], [0, 0], [1, 1]), "slice", 4),
])
def test_check_network_compares_input_dimensions(domain, kind, n):
    assert domain.check_network(net_with_inputs(n)) is None
    with pytest.raises(DomainError) as info:
        domain.check_network(net_with_inputs(n + 1))
    assert str(info.value) == f"the {kind} domain is in R^{n} but the network takes {n + 1} inputs"


DOMAINS = {
    "box": lambda: Box([0], [1]),
    "l1_ball": lambda: ball([0, 0], 1, norm="1"),
    "whole_space": lambda: WholeSpace(2),
    "slice": lambda: Slice([0, 0, 0], [1, 0, 0], [0, 1, 0], [0, 0], [1, 1]),
}


@pytest.mark.parametrize("kind", DOMAINS)
@pytest.mark.parametrize("name", ["polytope", "input_dim", "lower", "points", "new_attribute"])
def test_domains_cannot_be_changed(kind, name):
    domain = DOMAINS[kind]()
    before = domain.to_spec()
    with pytest.raises(AttributeError, match="immutable"):
        setattr(domain, name, None)
    if hasattr(domain, name):
        with pytest.raises(AttributeError, match="immutable"):
            delattr(domain, name)
    assert domain.to_spec() == before
    assert isinstance(domain.polytope, HPolytope)


def test_a_slice_gives_its_integer_map_in_the_lowest_terms_of_its_fractions():
    # Slice scales its points to integers first; the base class's Fraction arithmetic is the
    # oracle, down to the denominator (its lowest terms are what records carry).
    rng = random.Random(5)
    checked = 0
    for _ in range(150):
        n = rng.randint(1, 6)
        points = [[Fraction(rng.randint(-40, 40), rng.choice([1, 2, 3, 4, 6, 7, 256]))
                   for _ in range(n)] for _ in range(3)]
        try:
            slice_ = Slice(*points, [0, 0], [1, 1])
        except DomainError:  # collinear
            continue
        assert slice_.integer_input_map() == Domain._integer_rows(slice_)
        checked += 1
    assert checked > 100


def test_a_domain_makes_its_integer_input_map_once():
    """Every job in a domain starts from its integer map: it is made on first use and kept."""
    calls = []

    class Counting(Slice):
        __slots__ = ()

        def _integer_rows(self):
            calls.append(1)
            return super()._integer_rows()

    slice_ = Counting([0, 0, 1], [1, 0, 0], [0, "1/3", 2], [-1, -1], [1, 1])
    first = slice_.integer_input_map()
    assert slice_.integer_input_map() is first and len(calls) == 1
    assert first == Domain._integer_rows(slice_) == (((0, 3, 0), (0, 0, 1), (3, -3, 3)), 3)
    # another domain keeps its own
    other = Counting([0, 0, 0], [1, 0, 0], [0, 1, 0], [-1, -1], [1, 1])
    assert other.integer_input_map() == (((0, 1, 0), (0, 0, 1), (0, 0, 0)), 1) and len(calls) == 2
