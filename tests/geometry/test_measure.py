"""Exact measures: volumes, determinants, and measures of pieces of hyperplanes."""

import math
import operator
import random
from fractions import Fraction
from math import factorial

import pytest
import sympy

from polyregions import HPolytope
from polyregions.geometry.measure import (
    exact_measure,
    integer_determinant,
    measure_in_hyperplane,
    simplex_volume_sum,
    sum_measures,
)

F = Fraction


@pytest.mark.parametrize("n", range(1, 7))
@pytest.mark.parametrize("seed", range(6))
def test_integer_determinant_matches_sympy(n, seed):
    rng = random.Random(seed)
    # Some matrices singular on purpose (a repeated row), entries up to 10^30.
    m = [[rng.randint(-10 ** 30, 10 ** 30) for _ in range(n)] for _ in range(n)]
    if n > 1 and seed % 3 == 0:
        m[-1] = list(m[0])
    assert integer_determinant(m) == sympy.Matrix(m).det()


@pytest.mark.parametrize("dim", [1, 2, 3, 4])
def test_volumes_of_simplices_cubes_and_cross_polytopes(dim):
    # The standard simplex has volume 1/n!, the cube [0, 2]^n has 2^n, and the
    # cross-polytope |x|_1 <= 1 has 2^n / n!.
    simplex = [[0] + [int(i == j) for j in range(dim)] for i in range(dim)] + [[1] + [-1] * dim]
    assert HPolytope.from_inequalities(simplex).volume() == Fraction(1, factorial(dim))
    assert HPolytope.box([0] * dim, [2] * dim).volume() == 2 ** dim
    cross = [[1] + [(-1) ** (mask >> j & 1) for j in range(dim)] for mask in range(2 ** dim)]
    assert HPolytope.from_inequalities(cross).volume() == Fraction(2 ** dim, factorial(dim))
    assert HPolytope.from_inequalities([[0] * (dim + 1)], dim).volume() is None  # whole space


@pytest.mark.parametrize("seed", range(10))
def test_volume_of_a_random_polytope_equals_the_sum_over_a_split(seed):
    # Cutting a polytope by a hyperplane through its interior splits its volume exactly.
    rng = random.Random(seed)
    dim = rng.randint(2, 4)
    rows = [[3] + [int(i == j) for j in range(dim)] for i in range(dim)]
    rows += [[3] + [-int(i == j) for j in range(dim)] for i in range(dim)]
    rows += [[rng.randint(1, 6)] + [rng.randint(-3, 3) for _ in range(dim)] for _ in range(3)]
    cut = [0] + [rng.randint(-2, 2) or 1 for _ in range(dim)]
    whole = HPolytope.from_inequalities(rows).volume()
    left = HPolytope.from_inequalities(rows + [cut]).volume()
    right = HPolytope.from_inequalities(rows + [[-v for v in cut]]).volume()
    assert left + right == whole and left > 0 and right > 0


def test_simplex_volume_sum_of_a_square_with_denominators():
    # The square [0, 1/2]^2 (vertices with denominator 2): area 1/4, two triangles of 1/8.
    points = [(1, 0, 0), (2, 1, 0), (2, 1, 1), (2, 0, 1)]
    rows = [(0, 1, 0), (1, -2, 0), (0, 0, 1), (1, 0, -2)]
    assert simplex_volume_sum(points, rows, 2) == F(1, 4)
    # A segment 1/3 <= x <= 5/2 has length 13/6.
    assert simplex_volume_sum([(3, 1), (2, 5)], [(-1, 3), (5, -2)], 1) == F(13, 6)


def test_exact_measure_keeps_the_root_unfactored_and_takes_out_small_squares():
    assert exact_measure(F(4, 27), 18) == F(4, 9) * sympy.sqrt(2)  # 18 = 3^2 * 2
    assert exact_measure(F(5, 2), 4) == 5 and exact_measure(3, 1) == 3
    assert exact_measure(1, 2) == sympy.sqrt(2)
    big = 2 ** 127 - 1  # prime: sympy would try to factor it, exact_measure does not
    m = exact_measure(F(1, 3), big)
    assert m ** 2 == F(big, 9) and m.as_coeff_Mul()[0] == sympy.Rational(1, 3)


@pytest.mark.parametrize("seed", range(4))
def test_exact_measure_is_the_coefficient_times_the_root(seed):
    # Against sympy's own (factoring) square root; each norm asked twice, with two
    # coefficients, as facets on one hyperplane ask it (the root is built once).
    rng = random.Random(seed)
    for _ in range(30):
        norm = rng.randint(1, 10 ** 6) * rng.choice([1, 4, 9, 49, 997 ** 2])
        for coefficient in (F(rng.randint(1, 99), rng.randint(1, 99)), F(1)):
            assert exact_measure(coefficient, norm) == coefficient * sympy.sqrt(norm)


def test_sum_measures_collects_by_radicand():
    # sqrt(2) + sqrt(8)/2 + 3 + sqrt(3) - sqrt(3) = 2 sqrt(2) + 3
    total = sum_measures([exact_measure(1, 2), exact_measure(F(1, 2), 8), exact_measure(3, 1),
                          exact_measure(1, 3), exact_measure(-1, 3)])
    assert total == 2 * sympy.sqrt(2) + 3
    assert sum_measures([]) == 0


@pytest.mark.parametrize("projected, key, drop, expected", [
    (1, (-1, 1, 1), 0, sympy.sqrt(2)),  # x + y = 1 over 0 <= y <= 1: the diagonal of the square
    (F(1, 2), (0, 0, 3), 1, F(1, 2)),  # 3 y = 0: the x-axis itself, no stretch
    (2, (5, 1, 2), 1, sympy.sqrt(5)),  # x + 2y = -5 over an x-interval of length 2: 2 * sqrt(5)/2
    (1, (0, 1, 1, 1), 2, sympy.sqrt(3)),  # x + y + z = 0 over the unit square of (x, y)
])
def test_measure_in_hyperplane(projected, key, drop, expected):
    # |a| / |a_drop| times the projected volume, by hand.
    assert measure_in_hyperplane(projected, key, drop) == expected


@pytest.mark.parametrize("seed", range(6))
def test_region_volumes_are_the_sums_of_their_simplices(seed):
    # The oracle: one Fraction per simplex of the pulling triangulation, determinants by sympy.
    from polyregions import Box, enumerate_regions
    from polyregions.geometry.measure import _pulling_triangulation
    from tests.networks import random_net

    dim = 2 + seed % 2
    net = random_net(seed, dim, [4, 3], ["maxout", "relu"], rank=3)
    for region in enumerate_regions(net, Box.cube(dim, -2, 2)):
        points, rows = region.polytope.point_rows, region.polytope.rows
        facets = [frozenset(i for i, p in enumerate(points) if sum(map(operator.mul, r, p)) == 0)
                  for r in rows]
        expected = sum((F(abs(int(sympy.Matrix([points[i] for i in simplex]).det())),
                          math.prod(points[i][0] for i in simplex))
                        for simplex in _pulling_triangulation(frozenset(range(len(points))), facets, dim)),
                       F(0)) / math.factorial(dim)
        assert simplex_volume_sum(points, rows, dim) == expected > 0
