"""The 2-D clipper against double description on random polygons and cuts."""

import random
from fractions import Fraction

import pytest

from polyregions.geometry.polygon import clip_polygon, cyclic_polygon
from polyregions.geometry.polytope import HPolytope, double_description, facet_rows
from polyregions.numbers import dot


def random_polygon(rng):
    # A random box cut by random half-planes that keep its centre: full-dimensional.
    rows = [(3, -1, 0), (3, 1, 0), (3, 0, -1), (3, 0, 1)]  # |x|, |y| <= 3
    for _ in range(rng.randint(0, 4)):
        a, b = rng.randint(-5, 5), rng.randint(-5, 5)
        rows.append((rng.randint(1, 9), a, b))  # a x + b y >= -c holds at 0
    poly = HPolytope.from_inequalities(rows)
    return cyclic_polygon(poly.rows, poly.point_rows)


@pytest.mark.parametrize("seed", range(60))
def test_clipping_agrees_with_double_description(seed):
    rng = random.Random(seed)
    points, rows = random_polygon(rng)
    # Cuts through vertices, along edges and in general position all occur.
    cut = rng.choice([
        (rng.randint(-4, 4), rng.randint(-3, 3), rng.randint(-3, 3)),
        tuple(-v for v in rows[0]),  # the outer side of an edge: thin
        (0,) + rows[0][1:],  # parallel to an edge, through the centre
    ])
    if not any(cut[1:]):
        return
    clipped = clip_polygon(points, rows, cut)
    ref_points, ref_rays, _ = double_description(rows + (cut,), 2)
    thin = not ref_points or not any(dot(cut, p) > 0 for p in ref_points)
    if clipped is None:
        assert thin
        return
    new_points, new_rows = clipped
    assert not thin
    assert set(new_points) == set(ref_points)
    assert set(new_rows) == set(facet_rows(rows + (cut,), ref_points, ref_rays))
    # Cyclic: edge i joins vertex i and vertex i + 1, and only those two vertices.
    n = len(new_points)
    for i, row in enumerate(new_rows):
        on = {p for p in new_points if dot(row, p) == 0}
        assert on == {new_points[i], new_points[(i + 1) % n]}


def test_cyclic_order_of_a_hexagon():
    # The hexagon |x| <= 2, |y| <= 2, |x + y| <= 3 has 6 vertices, each edge joining
    # two consecutive ones.
    poly = HPolytope.from_inequalities([(2, 1, 0), (2, -1, 0), (2, 0, 1), (2, 0, -1),
                                        (3, 1, 1), (3, -1, -1)])
    points, rows = cyclic_polygon(poly.rows, poly.point_rows)
    assert len(points) == len(rows) == 6
    vertices = {tuple(Fraction(c, p[0]) for c in p[1:]) for p in points}
    assert vertices == {(2, 1), (1, 2), (-2, 2), (-2, -1), (-1, -2), (2, -2)}
