"""HPolytope over cddlib GMP: irredundant rows, exact generators, interior points."""

import random
from fractions import Fraction

import cdd.gmp
import pytest

from polyregions import DomainError, HPolytope, PolyregionsError
from polyregions.geometry.polytope import (
    affine_dimension,
    double_description,
    facet_rows,
    is_full_dimensional,
    rank,
    relative_interior_point,
)
from polyregions.numbers import dot

F = Fraction
BIG = 10 ** 100


def triangle_rows():
    # x >= 0, y >= 0, x + y <= 1, and the redundant x + y <= 2.
    return [[0, 1, 0], [0, 0, 1], [1, -1, -1], [2, -1, -1]]


# ---------------------------------------------------------------- from_inequalities


def test_triangle_with_a_redundant_row():
    tri = HPolytope.from_inequalities(triangle_rows())
    assert tri.dim == 2 and tri.is_bounded
    assert tri.rows == ((0, 1, 0), (0, 0, 1), (1, -1, -1))  # x + y <= 2 dropped, order kept
    assert set(tri.vertices) == {(F(0), F(0)), (F(1), F(0)), (F(0), F(1))}
    assert tri.rays == () and tri.lines == ()
    assert tri.interior_point() == (F(1, 3), F(1, 3))  # the mean of the three vertices
    assert repr(tri) == "HPolytope(dim=2, facets=3, bounded)"


def test_contains_and_contains_in_interior():
    tri = HPolytope.from_inequalities(triangle_rows())
    for v in tri.vertices:
        assert tri.contains(v) and not tri.contains_in_interior(v)
    assert tri.contains([F(1, 2), F(1, 2)])  # on the edge x + y = 1
    assert not tri.contains_in_interior([F(1, 2), F(1, 2)])
    assert tri.contains_in_interior(["1/4", 0.25])
    assert not tri.contains([F(1, 2), F(1, 2) + F(1, BIG)])  # outside by 10^-100
    assert tri.contains_in_interior([F(1, BIG), F(1, BIG)])  # inside by 10^-100
    assert not tri.contains([-1, 0])
    with pytest.raises(DomainError, match="point has 3 coordinates, expected 2"):
        tri.contains([0, 0, 0])
    with pytest.raises(PolyregionsError):
        tri.contains(["abc", 0])


def test_a_redundant_row_through_a_vertex_is_dropped():
    # x <= 1 touches the triangle only at its vertex (1, 0): not a facet.
    tri = HPolytope.from_inequalities([[0, 1, 0], [0, 0, 1], [1, -1, -1], [1, -1, 0]])
    assert tri.rows == ((0, 1, 0), (0, 0, 1), (1, -1, -1))


def test_rows_are_primitive_and_duplicates_merged():
    # 1/2 - x/4 >= 0 is 2 - x >= 0; 3x >= 0 and x/7 >= 0 are both x >= 0; 5 >= 0 says nothing.
    seg = HPolytope.from_inequalities([["1/2", "-1/4"], [0, 3], [0, F(1, 7)], [5, 0]])
    assert seg.rows == ((2, -1), (0, 1))
    assert set(seg.vertices) == {(F(0),), (F(2),)}
    assert seg.inequalities() == ((F(2), (F(-1),)), (F(0), (F(1),)))


def test_vertices_with_denominators():
    # x >= 0, y >= 0, 2x + 3y <= 1: vertices (0, 0), (1/2, 0), (0, 1/3).
    tri = HPolytope.from_inequalities([[0, 1, 0], [0, 0, 1], [1, -2, -3]])
    assert set(tri.vertices) == {(F(0), F(0)), (F(1, 2), F(0)), (F(0), F(1, 3))}
    assert tri.interior_point() == (F(1, 6), F(1, 9))  # ((1/2) / 3, (1/3) / 3)


def test_a_pointed_unbounded_polyhedron():
    quadrant = HPolytope.from_inequalities([[-1, 1, 0], [-2, 0, 1]])  # x >= 1, y >= 2
    assert not quadrant.is_bounded
    assert quadrant.vertices == ((F(1), F(2)),)
    assert set(quadrant.rays) == {(1, 0), (0, 1)} and quadrant.lines == ()
    # The vertex plus the sum of the rays: (1, 2) + (1, 0) + (0, 1).
    assert quadrant.interior_point() == (F(2), F(3))
    assert quadrant.contains_in_interior(quadrant.interior_point())
    assert quadrant.contains([BIG, BIG]) and not quadrant.contains([0, BIG])
    assert repr(quadrant) == "HPolytope(dim=2, facets=2, unbounded)"


def test_a_wedge_with_slanted_rays():
    # y >= 0 and y <= 2x: a cone at the origin with extreme rays (1, 0) and (1, 2).
    wedge = HPolytope.from_inequalities([[0, 0, 1], [0, 2, -1]])
    assert wedge.vertices == ((F(0), F(0)),)
    assert set(wedge.rays) == {(1, 0), (1, 2)}
    assert wedge.interior_point() == (F(2), F(2))  # (1, 0) + (1, 2)
    assert wedge.contains_in_interior(wedge.interior_point())


def test_half_plane_has_a_line_and_a_ray():
    # x >= 0 in R^2: one point on the boundary x = 0, the ray direction into x > 0, the line x = 0.
    half = HPolytope.from_inequalities([[0, 1, 0]])
    assert half.rows == ((0, 1, 0),) and not half.is_bounded
    (point,) = half.vertices
    assert point[0] == 0
    (ray,) = half.rays
    assert ray[0] > 0
    assert half.lines in (((0, 1),), ((0, -1),))
    assert half.interior_point()[0] > 0
    assert half.contains_in_interior(half.interior_point())


def test_strip_has_a_line_and_no_ray():
    # 0 <= x <= 1 in R^2: two points, one on each boundary line, and the line (0, 1).
    strip = HPolytope.from_inequalities([[0, 1, 0], [1, -1, 0]])
    assert sorted(p[0] for p in strip.vertices) == [0, 1]
    assert strip.rays == () and strip.lines in (((0, 1),), ((0, -1),))
    assert strip.interior_point()[0] == F(1, 2)
    assert strip.contains_in_interior(strip.interior_point())


def test_homogeneous_generators_of_a_quadrant_and_a_strip():
    # x >= 1/2, y >= 2/3: the vertex (1/2, 2/3) is the row (6, 3, 4) (denominator 6 first),
    # the rays (1, 0) and (0, 1) are (0, 1, 0) and (0, 0, 1); no lines.
    quadrant = HPolytope.from_inequalities([[-1, 2, 0], [-2, 0, 3]])
    assert quadrant.point_rows == ((6, 3, 4),)
    assert set(quadrant.ray_rows) == {(0, 1, 0), (0, 0, 1)} and quadrant.line_rows == ()
    # 0 <= x <= 1 in R^2: one point on each boundary line, the line along y, no ray.
    strip = HPolytope.from_inequalities([[0, 1, 0], [1, -1, 0]])
    assert sorted(Fraction(p[1], p[0]) for p in strip.point_rows) == [0, 1]
    assert all(p[0] > 0 for p in strip.point_rows)
    assert strip.ray_rows == () and strip.line_rows in (((0, 0, 1),), ((0, 0, -1),))
    # The accessors and the Fraction views say the same.
    for poly in (quadrant, strip):
        assert poly.vertices == tuple(tuple(F(c, p[0]) for c in p[1:]) for p in poly.point_rows)
        assert poly.rays == tuple(r[1:] for r in poly.ray_rows)
        assert poly.lines == tuple(r[1:] for r in poly.line_rows)


def test_from_trusted_parts_takes_the_parts_as_they_are():
    tri = HPolytope.from_inequalities(triangle_rows())
    again = HPolytope.from_trusted_parts(2, tri.rows[::-1], tri.point_rows, (), ())
    assert again == tri and again.rows == tri.rows[::-1]  # the order given, not re-sorted
    assert again.point_rows == tri.point_rows and again.volume() == F(1, 2)
    # Nothing is checked: a redundant row given as a facet stays (the caller's promise).
    loose = HPolytope.from_trusted_parts(2, tri.rows + ((2, -1, -1),), tri.point_rows, (), ())
    assert len(loose.rows) == 4


def test_the_constructor_cannot_be_called_directly():
    message = ("^HPolytope is built with HPolytope.from_inequalities, HPolytope.box "
               "or HPolytope.from_trusted_parts$")
    with pytest.raises(TypeError, match=message):
        HPolytope(1, [(0, 1), (1, -1)], [(1, 0), (1, 1)], [], [])


def test_the_whole_space():
    space = HPolytope.from_inequalities([], dim=2)
    assert space.rows == () and space.rays == () and len(space.lines) == 2
    assert space.contains_in_interior([BIG, -BIG])
    assert HPolytope.from_inequalities([[0, 0, 0]]) == space  # 0 >= 0 holds everywhere


@pytest.mark.parametrize("rows, dim, words", [
    ([[-1, 1], [-1, -1]], None, "empty set"),  # x >= 1 and x <= -1
    ([[0, 1, 0], [0, -1, 0]], None, "not full-dimensional"),  # the line x = 0
    ([[-1, 1, 1], [1, -1, -1], [0, 1, 0]], None, "not full-dimensional"),  # part of x + y = 1
    # -3 >= 0, reported after normalising the row to the primitive (-1, 0, 0)
    ([[0, 1, 0], [-3, 0, 0]], None, "inequality 1 holds for no point (-1 >= 0)"),
    ([[0, 1], [0, 1, 0]], None, "inequality 1 has 3 entries, expected 2"),
    ([[0, 1]], 2, "inequality 0 has 2 entries, expected 3"),
    ([], None, "an empty list of inequalities needs the dimension"),
    ([], 0, "dimension at least 1"),
    ([[0, "abc"]], None, "inequality 0 entry 'abc' is not a number"),
    ([[0, float("nan")]], None, "inequality 0 entry must be finite, got nan"),
    ([[0, None]], None, "must be a number, got None"),
])
def test_bad_inequalities(rows, dim, words):
    with pytest.raises(DomainError) as info:
        HPolytope.from_inequalities(rows, dim)
    assert words in str(info.value)


def test_a_slab_thinner_than_any_float_tolerance():
    # 0 <= x <= 10^-100 is full-dimensional; 10^-100 <= x <= 10^-100 is not.
    slab = HPolytope.from_inequalities([[0, 1, 0], [1, -BIG, 0], [0, 0, 1], [1, 0, -1]])
    assert set(slab.vertices) == {(F(a, BIG), F(b)) for a in (0, 1) for b in (0, 1)}
    with pytest.raises(DomainError, match="not full-dimensional"):
        HPolytope.from_inequalities([[-1, BIG, 0], [1, -BIG, 0], [0, 0, 1], [1, 0, -1]])


def test_huge_and_tiny_numbers_give_exact_vertices():
    # x >= 0, y >= 0, x / 10^100 + 10^100 y <= 1, written with Fractions, floats never enter.
    tri = HPolytope.from_inequalities([[0, 1, 0], [0, 0, 1], [1, -F(1, BIG), -BIG]])
    # Times 10^100 the last row is the primitive (10^100, -1, -10^200).
    assert tri.rows == ((0, 1, 0), (0, 0, 1), (BIG, -1, -BIG ** 2))
    assert set(tri.vertices) == {(F(0), F(0)), (F(BIG), F(0)), (F(0), F(1, BIG))}
    assert tri.interior_point() == (F(BIG, 3), F(1, 3 * BIG))
    assert tri.contains_in_interior(tri.interior_point())
    # A box from 10^-100 to 10^100 keeps both ends exactly.
    box = HPolytope.box([F(1, BIG), -BIG], [BIG, F(-1, BIG)])
    assert set(box.vertices) == {(a, b) for a in (F(1, BIG), F(BIG)) for b in (F(-BIG), F(-1, BIG))}


# ---------------------------------------------------------------- box


def test_box():
    seg = HPolytope.box(["-1/2"], [1])
    assert seg.rows == ((1, 2), (1, -1))  # x >= -1/2 times 2, x <= 1
    assert sorted(seg.vertices) == [(F(-1, 2),), (F(1),)]
    cube = HPolytope.box([0, 0, 0], [1, 2, 3])
    assert len(cube.rows) == 6
    assert set(cube.vertices) == {(F(a), F(b), F(c)) for a in (0, 1) for b in (0, 2) for c in (0, 3)}
    assert cube.interior_point() == (F(1, 2), F(1), F(3, 2))


@pytest.mark.parametrize("lower, upper, words", [
    ([0], [0], "box axis 0: lower bound 0 is not below upper bound 0"),
    ([0, 2], [1, 1], "box axis 1: lower bound 2 is not below upper bound 1"),
    ([], [], "two non-empty lists of the same length"),
    ([0], [1, 1], "two non-empty lists of the same length"),
    (["x"], [1], "box lower bound 'x' is not a number"),
])
def test_bad_boxes(lower, upper, words):
    with pytest.raises(DomainError) as info:
        HPolytope.box(lower, upper)
    assert words in str(info.value)


# ---------------------------------------------------------------- double description, facet rows


def test_double_description_of_a_segment_and_a_triangle():
    points, rays, lines = double_description([(0, 1), (1, -1)], 1)  # 0 <= x <= 1
    assert (sorted(points), rays, lines) == ([(1, 0), (1, 1)], (), ())
    # x >= 0, y >= 0, 2x + 3y <= 1: vertices (0, 0), (1/2, 0), (0, 1/3) as (q, p1, p2).
    points, rays, lines = double_description([(0, 1, 0), (0, 0, 1), (1, -2, -3)], 2)
    assert set(points) == {(1, 0, 0), (2, 1, 0), (3, 0, 1)}
    assert rays == () and lines == ()


def test_double_description_of_the_half_plane():
    # x >= 0 in R^2: one vertex-like point (on x = 0), one ray, one line.
    points, rays, lines = double_description([(0, 1, 0)], 2)
    assert len(points) == len(rays) == len(lines) == 1
    assert points[0][0] > 0 and points[0][1] == 0  # a point (q, 0, p2 / q) on the line x = 0
    assert rays[0][0] == 0 and rays[0][1] > 0  # a direction (0, d1, d2) into x > 0
    assert lines[0] in ((0, 0, 1), (0, 0, -1))


def test_double_description_of_a_homogeneous_cone_keeps_the_apex():
    # x >= 0, y >= 0 has no constant term: the apex (0, 0) must still be a point.
    points, rays, lines = double_description([(0, 1, 0), (0, 0, 1)], 2)
    assert points == ((1, 0, 0),)
    assert set(rays) == {(0, 1, 0), (0, 0, 1)} and lines == ()


def test_double_description_of_an_empty_set():
    assert double_description([(-1, 1), (-1, -1)], 1) == ((), (), ())


def test_double_description_with_huge_numbers():
    # 10^-100 <= x <= 10^100: points (10^100, 1) and (1, 10^100) in homogeneous form.
    points, rays, lines = double_description([(-1, BIG), (BIG, -1)], 1)
    assert set(points) == {(BIG, 1), (1, BIG)}


def test_facet_rows():
    # Generators of the triangle (0, 0), (1, 0), (0, 1) as (1, x, y).
    pts = ((1, 0, 0), (1, 1, 0), (1, 0, 1))
    rows = [(0, 1, 0), (0, 0, 1), (1, -1, -1), (2, -1, -1), (1, -1, 0), (0, 1, 0), (3, 0, 0)]
    # x + y <= 2 is tight nowhere, x <= 1 only at (1, 0) (inside the facet y >= 0),
    # the repeated x >= 0 is merged and the row 3 >= 0 has no normal.
    assert facet_rows(rows, pts, ()) == ((0, 1, 0), (0, 0, 1), (1, -1, -1))
    assert facet_rows([(1, -1), (0, 1), (2, -1)], ((1, 0), (1, 1)), ()) == ((1, -1), (0, 1))


def test_facet_rows_with_rays():
    # The quadrant x >= 1, y >= 2: vertex (1, 2), rays (1, 0), (0, 1); y >= 0 is redundant.
    pts, rays = ((1, 1, 2),), ((0, 1, 0), (0, 0, 1))
    assert facet_rows([(0, 0, 1), (-1, 1, 0), (-2, 0, 1)], pts, rays) == ((-1, 1, 0), (-2, 0, 1))


# ---------------------------------------------------------------- equality, immutability


def test_equality_ignores_row_order_and_scaling():
    a = HPolytope.from_inequalities(triangle_rows())
    b = HPolytope.from_inequalities([[2, -2, -2], [0, 0, 5], [0, "1/3", 0]])
    assert a == b and hash(a) == hash(b) and a.rows != b.rows
    assert len({a, b}) == 1
    assert a != HPolytope.from_inequalities([[0, 1, 0], [0, 0, 1], [2, -1, -1]])
    assert a != HPolytope.box([0, 0], [1, 1])
    assert a != triangle_rows()


@pytest.mark.parametrize("name", ["dim", "rows", "point_rows", "ray_rows", "line_rows", "volume"])
def test_hpolytope_cannot_be_changed(name):
    tri = HPolytope.from_inequalities(triangle_rows())
    with pytest.raises(AttributeError, match="HPolytope is immutable"):
        setattr(tri, name, ())
    with pytest.raises(AttributeError):
        delattr(tri, name)
    assert tri == HPolytope.from_inequalities(triangle_rows()) and tri.dim == 2


# ---------------------------------------------------------------- a self-check on random polytopes


@pytest.mark.parametrize("seed", range(8))
def test_random_polytopes_agree_with_cddlib(seed):
    # A box cut by random half-spaces through points near its centre, some repeated or scaled.
    rng = random.Random(seed)
    dim = 2 + seed % 2
    rows = []
    for i in range(dim):
        e = [0] * dim
        e[i] = 1
        rows += [[2] + e, [2] + [-v for v in e]]
    for _ in range(rng.randint(2, 8)):
        a = [F(rng.randint(-5, 5), rng.randint(1, 3)) for _ in range(dim)]
        rows.append([F(rng.randint(1, 6), rng.randint(1, 4))] + a)
        if rng.random() < 0.3:
            rows.append([3 * v for v in rows[-1]])
    poly = HPolytope.from_inequalities(rows)
    # cddlib's own LP-based check: no facet row is redundant ...
    matrix = cdd.gmp.matrix_from_array([list(r) for r in poly.rows], rep_type=cdd.gmp.RepType.INEQUALITY)
    assert cdd.gmp.redundant_rows(matrix) == set()
    # ... and the facets alone describe the same vertices (H -> V -> H -> V).
    again = HPolytope.from_inequalities(poly.rows)
    assert again == poly and set(again.vertices) == set(poly.vertices)
    # Every input row holds at every vertex, every facet is tight at >= dim of them.
    for r in rows:
        assert all(r[0] + sum(a * x for a, x in zip(r[1:], v)) >= 0 for v in poly.vertices)
    for r in poly.rows:
        assert sum(dot(r, (1,) + v) == 0 for v in poly.vertices) >= dim
    assert poly.contains_in_interior(poly.interior_point())


# ---------------------------------------------------------------- full dimension, interior points, ranks


def test_is_full_dimensional_by_hand():
    square = ((1, 0, 0), (1, 1, 0), (1, 1, 1), (1, 0, 1))  # the unit square's vertices
    assert is_full_dimensional([(0, 1, 0), (1, -1, 0), (0, 0, 1), (1, 0, -1)], square)
    # The segment y = 0 of it: y >= 0 and -y >= 0 hold with equality at both of its points.
    segment = ((1, 0, 0), (1, 1, 0))
    assert not is_full_dimensional([(0, 0, 1), (0, 0, -1), (0, 1, 0)], segment)
    # No point at all: empty.
    assert not is_full_dimensional([(0, 1, 0)], ())
    # A quadrant's rows are strict along its rays; a row without a linear part is ignored.
    assert is_full_dimensional([(0, 1, 0), (0, 0, 1), (0, 0, 0)], ((1, 0, 0),),
                               ((0, 1, 0), (0, 0, 1)))
    # A half-plane with its line left out: x >= 0 is strict along the ray (0, 1, 0).
    assert is_full_dimensional([(0, 1, 0)], ((1, 0, 0),), ((0, 1, 0),))
    # The ray y = 0, x >= 0 of the plane: y >= 0 is tight at its point and along its ray.
    assert not is_full_dimensional([(0, 0, 1)], ((1, 0, 0),), ((0, 1, 0),))


def test_relative_interior_points_by_hand():
    # The triangle (0, 0), (1/2, 0), (0, 1/3): its centroid (1/6, 1/9).
    assert relative_interior_point(((1, 0, 0), (2, 1, 0), (3, 0, 1))) == (F(1, 6), F(1, 9))
    # The segment from (1/3, 1) to (1, 1) (not full-dimensional): its midpoint (2/3, 1).
    assert relative_interior_point(((3, 1, 3), (1, 1, 1))) == (F(2, 3), F(1))
    # The wedge at (1, 0) with rays (1, 0) and (1, 2): (1, 0) + (1, 0) + (1, 2) = (3, 2).
    assert relative_interior_point(((1, 1, 0),), ((0, 1, 0), (0, 1, 2))) == (F(3), F(2))
    # It is the interior point of an HPolytope, which lies strictly inside.
    tri = HPolytope.from_inequalities([[0, 1, 0], [0, 0, 1], [1, -2, -3]])
    assert tri.interior_point() == relative_interior_point(tri.point_rows)
    assert tri.contains_in_interior(tri.interior_point())


def test_rank_and_affine_dimension_by_hand():
    assert rank([]) == 0 and rank([(0, 0)]) == 0
    assert rank([(1, 2, 3), (2, 4, 6)]) == 1  # parallel
    assert rank([(1, 2, 3), (2, 4, 7), (3, 6, 10)]) == 2  # the third is the sum
    assert rank([(F(1, 10 ** 30), 1), (1, 10 ** 30)]) == 1  # exactly parallel, at any scale
    assert rank([(F(1, 10 ** 30), 1), (1, 10 ** 30 + 1)]) == 2  # not, by a hair
    # Points (homogeneous rows): three on the line y = x, then one off it.
    on_line = ((1, 0, 0), (2, 1, 1), (1, 3, 3))
    assert affine_dimension(on_line) == 1
    assert affine_dimension(on_line + ((1, 0, 1),)) == 2
    assert affine_dimension(((5, 1, 2),)) == 0  # one point
    # A point with a ray, and with a line: a ray (1-D) and a line (1-D) of the plane.
    assert affine_dimension(((1, 0, 0),), ((0, 1, 1),)) == 1
    assert affine_dimension(((1, 0, 0),), (), ((0, 1, 1),)) == 1
