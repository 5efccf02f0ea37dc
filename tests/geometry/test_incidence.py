"""Incidence cutting against double description on random polytopes in 2 to 4 dimensions."""

import random

import pytest

from polyregions.geometry.incidence import BoundedPolytope, cut_polytope
from polyregions.geometry.polytope import HPolytope, double_description, facet_rows
from polyregions.numbers import dot


def random_polytope(rng, dim):
    # The cube |x_i| <= 3 cut by random half-spaces that keep the origin inside.
    rows = []
    for i in range(dim):
        e = [0] * dim
        e[i] = 1
        rows += [(3, *e), (3, *[-v for v in e])]
    for _ in range(rng.randint(0, 5)):
        rows.append((rng.randint(1, 9), *[rng.randint(-4, 4) for _ in range(dim)]))
    poly = HPolytope.from_inequalities(rows)
    return BoundedPolytope.from_generators(poly.rows, poly.point_rows)


@pytest.mark.parametrize("dim", [1, 2, 3, 4])
@pytest.mark.parametrize("seed", range(25))
def test_cutting_agrees_with_double_description(seed, dim):
    rng = random.Random(seed * 10 + dim)
    poly = random_polytope(rng, dim)
    some_row = next(iter(poly.rows.values()))
    cut = rng.choice([
        (rng.randint(-3, 3), *[rng.randint(-2, 2) for _ in range(dim)]),
        (0,) + some_row[1:],  # parallel to a facet, through the centre
        tuple(-v for v in some_row),  # the outer side of a facet: thin
        (0,) + tuple(rng.randint(-1, 1) for _ in range(dim)),  # through the centre
    ])
    if not any(cut[1:]):
        return
    rows = poly.facet_rows() + (cut,)
    ref_points, ref_rays, _ = double_description(rows, dim)
    thin = not any(dot(cut, p) > 0 for p in ref_points)
    result = cut_polytope(poly, cut, 1000, dim)
    if result is None:
        assert thin
        return
    assert not thin
    assert set(result.points) == set(ref_points)
    assert set(result.facet_rows()) == set(facet_rows(rows, ref_points, ref_rays))
    # The incidence is exact: vertex i lies on facet f exactly when listed.
    for p, inc in zip(result.points, result.incidence):
        assert inc == {f for f, row in result.rows.items() if dot(row, p) == 0}


def test_cutting_a_cube_through_a_vertex_and_an_edge():
    # The unit cube cut by x + y + z <= 1 leaves the simplex with 4 vertices and 4 facets.
    rows = [(0, 1, 0, 0), (1, -1, 0, 0), (0, 0, 1, 0), (1, 0, -1, 0), (0, 0, 0, 1), (1, 0, 0, -1)]
    poly = HPolytope.from_inequalities(rows)
    cube = BoundedPolytope.from_generators(poly.rows, poly.point_rows)
    simplex = cut_polytope(cube, (1, -1, -1, -1), 99, 3)
    assert set(simplex.points) == {(1, 0, 0, 0), (1, 1, 0, 0), (1, 0, 1, 0), (1, 0, 0, 1)}
    assert set(simplex.facet_rows()) == {(0, 1, 0, 0), (0, 0, 1, 0), (0, 0, 0, 1), (1, -1, -1, -1)}
