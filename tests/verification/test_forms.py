"""The proven float bounds of forms, against exact rational evaluation."""

import random
from fractions import Fraction

import numpy as np
import pytest

from polyregions.verification.forms import FloatBox, combine, exact_float, lower, upper


def _exact_value(row, x):
    return Fraction(row[0]) + sum(Fraction(a) * xi for a, xi in zip(row[1:], x))


def _random_box(rng, n):
    lo = [Fraction(rng.randint(-1000, 1000), rng.choice([1, 3, 7, 1024])) for _ in range(n)]
    return lo, [v + Fraction(rng.randint(1, 500), rng.choice([1, 3, 11])) for v in lo]


def _points(rng, lo, hi, count=12):
    corners = [[a if rng.random() < 0.5 else h for a, h in zip(lo, hi)] for _ in range(count)]
    inside = [[a + (h - a) * Fraction(rng.randint(0, 97), 97) for a, h in zip(lo, hi)]
              for _ in range(count)]
    return corners + inside


@pytest.mark.parametrize("seed", range(30))
def test_combined_forms_bound_the_exact_combination(seed):
    rng = random.Random(seed)
    n, m, k = rng.randint(1, 5), rng.randint(1, 8), rng.randint(1, 4)
    lo, hi = _random_box(rng, n)
    box = FloatBox(lo, hi)
    scale = 10.0 ** rng.randint(-8, 8)
    forms = np.array([[rng.uniform(-1, 1) * scale * 10 ** rng.randint(-3, 3) for _ in range(n + 1)]
                      for _ in range(m)])
    errors = np.array([abs(rng.uniform(0, 1e-9)) * scale for _ in range(m)])
    multipliers = np.array([[rng.uniform(-5, 5) for _ in range(m)] for _ in range(k)])
    delta = rng.choice([0.0, 2.0 ** -52])
    rows, err = combine(multipliers, forms, errors, box, delta)
    tops, bottoms = upper(rows, err, box), lower(rows, err, box)
    for x in _points(rng, lo, hi):
        # The worst functions the input form allows, combined by the worst exact multipliers.
        for sign in (1, -1):
            f = [_exact_value(forms[j], x) + sign * Fraction(errors[j]) for j in range(m)]
            for i in range(k):
                exact_p = [Fraction(p) * (1 + sign * Fraction(delta)) for p in multipliers[i]]
                value = sum(p * v for p, v in zip(exact_p, f))
                assert Fraction(bottoms[i]) <= value <= Fraction(tops[i])
                assert abs(value - _exact_value(rows[i], x)) <= Fraction(err[i])


def test_the_bounds_of_a_row_are_reached_at_the_corners_and_contain_them():
    box = FloatBox([Fraction(-1, 3), 0], [Fraction(2, 3), Fraction(1, 10)])
    row = np.array([[0.1, 3.0, -7.0]])
    exact_top = Fraction(0.1) + 3 * Fraction(2, 3) - 7 * 0
    exact_bottom = Fraction(0.1) - 1 - 7 * Fraction(1, 10)
    top, bottom = upper(row, np.zeros(1), box)[0], lower(row, np.zeros(1), box)[0]
    assert exact_top <= Fraction(top) < exact_top + Fraction(1, 10 ** 12)
    assert exact_bottom - Fraction(1, 10 ** 12) < Fraction(bottom) <= exact_bottom


def test_overflow_is_never_a_bound():
    box = FloatBox([0], [1])
    assert upper(np.array([[1e308, 1e308]]), np.zeros(1), box)[0] == np.inf


@pytest.mark.parametrize("value", [Fraction(1, 3), Fraction(-2, 7), Fraction(10 ** 30 + 1, 3), Fraction(5)])
def test_floats_next_to_an_exact_value_lie_on_the_asked_side(value):
    assert Fraction(exact_float(value, -np.inf)) <= value <= Fraction(exact_float(value, np.inf))


@pytest.mark.parametrize("seed", range(10))
def test_float_rows_bound_huge_integer_rows_over_the_box(seed):
    """Rows of 40- to 300-bit integers, some entries tiny beside the largest, on boxes near 0."""
    from polyregions.verification.refutation import float_rows

    rng = random.Random(seed)
    n = rng.randint(1, 4)
    rows = [[rng.choice([1, -1]) * rng.randint(1, 2 ** rng.choice([3, 40, 90, 300]))
             for _ in range(n + 1)] for _ in range(4)]
    lo = [Fraction(rng.randint(-5, 5), 10 ** rng.choice([0, 30])) for _ in range(n)]
    hi = [v + Fraction(1, 10 ** rng.choice([0, 30])) for v in lo]
    box = FloatBox(lo, hi)
    forms, errors, scales = float_rows(rows, box)
    for x in _points(rng, lo, hi):
        for row, form, error, scale in zip(rows, forms, errors, scales):
            exact = scale * _exact_value(row, x)
            assert abs(exact - _exact_value(form, x)) <= Fraction(error)


def test_an_entry_cut_away_beside_a_huge_one_is_in_the_error():
    """The constant 2^138 + 1 is below the bits a 2^200 coefficient keeps; x lives near 0."""
    from polyregions.verification.refutation import float_rows

    row = (2 ** 138 + 1, 2 ** 200)
    lo, hi = [Fraction(0)], [Fraction(1, 2 ** 100)]
    forms, errors, scales = float_rows([row], FloatBox(lo, hi))
    for x in (lo, hi):
        exact = scales[0] * _exact_value(row, x)
        assert abs(exact - _exact_value(forms[0], x)) <= Fraction(errors[0])
