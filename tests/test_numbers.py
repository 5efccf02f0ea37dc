"""Exact parsing of user numbers and the integer row helpers."""

from fractions import Fraction

import numpy as np
import pytest

from polyregions import NumberFormatError, PolyregionsError
from polyregions.numbers import (
    common_denominator,
    format_fraction,
    integer_vector,
    primitive_vector,
    to_fraction,
)

F = Fraction


# ---------------------------------------------------------------- to_fraction: accepted values


@pytest.mark.parametrize("value, expected", [
    (0, F(0)),
    (-7, F(-7)),
    (10 ** 100, F(10 ** 100)),  # Python ints have no size limit
    (F(3, 7), F(3, 7)),
    # Floats at their exact binary value: 0.5 = 2^-1 and 0.375 = 3 * 2^-3 are dyadic ...
    (0.5, F(1, 2)),
    (-0.375, F(-3, 8)),
    (2.0 ** -1074, F(1, 2 ** 1074)),  # the smallest subnormal double, still exact
    # ... but 0.1 is not: the nearest double is 3602879701896397 / 2^55.
    (0.1, F(3602879701896397, 2 ** 55)),
    (1e300, F(int(1e300))),
])
def test_ints_and_floats_are_taken_exactly(value, expected):
    assert to_fraction(value) == expected


def test_point_one_is_not_one_tenth():
    # 2^55 / 10 is not an integer, so no double equals 1/10 exactly.
    assert to_fraction(0.1) != F(1, 10)
    # 3602879701896397 / 2^55 - 1/10 = (36028797018963970 - 2^55) / (10 * 2^55) = 2 / (10 * 2^55).
    assert to_fraction(0.1) - F(1, 10) == F(1, 5 * 2 ** 55)


@pytest.mark.parametrize("text, expected", [
    ("3", F(3)),
    ("-3", F(-3)),
    ("+5", F(5)),
    ("0.125", F(1, 8)),
    ("0.1", F(1, 10)),  # a decimal string *is* exactly one tenth
    ("-.5", F(-1, 2)),
    ("3/7", F(3, 7)),
    ("-3/7", F(-3, 7)),
    ("6/4", F(3, 2)),  # reduced
    ("  3/7 ", F(3, 7)),  # surrounding blanks are ignored
    ("1e-3", F(1, 1000)),
    ("2.5E2", F(250)),
    ("1e-400", F(1, 10 ** 400)),  # far below the smallest double, still exact
    ("1e3/8", F(125)),  # 1000 / 8
    ("0.1/0.3", F(1, 3)),  # (1/10) / (3/10)
    ("123456789012345678901234567890", F(123456789012345678901234567890)),
])
def test_strings_hold_integers_decimals_fractions_and_exponents(text, expected):
    assert to_fraction(text) == expected


@pytest.mark.parametrize("value, expected", [
    (np.int64(-5), F(-5)),
    (np.uint8(255), F(255)),
    (np.float64(0.5), F(1, 2)),
    (np.float64(0.1), F(3602879701896397, 2 ** 55)),  # the same double as 0.1
    # float32(0.1) rounds to 24 bits: 13421773 / 2^27.
    (np.float32(0.1), F(13421773, 2 ** 27)),
    # float16(0.1) rounds to 11 bits: 819 / 2^13.
    (np.float16(0.1), F(819, 2 ** 13)),
])
def test_numpy_scalars(value, expected):
    assert to_fraction(value) == expected


def test_numpy_longdouble_keeps_all_its_bits():
    third = np.longdouble(1) / np.longdouble(3)
    numerator, denominator = third.as_integer_ratio()
    assert to_fraction(third) == F(numerator, denominator)
    if np.finfo(np.longdouble).nmant > np.finfo(np.float64).nmant:
        # x87 extended precision: 64 significant bits, more than the double 1/3 has.
        assert to_fraction(third) != F(1 / 3)


def test_fractions_are_returned_as_they_are():
    value = F(22, 7)
    assert to_fraction(value) is value


# ---------------------------------------------------------------- to_fraction: errors


@pytest.mark.parametrize("value", [
    True, False, np.True_, None,
    float("nan"), float("inf"), float("-inf"), np.float64("nan"), np.float32("inf"),
    "1/0", "0/0", "abc", "", "   ", "nan", "inf", "-Infinity", "0x10", "1 2", "1e",
    "/", "1/", "/2", "1//2", "1/2/3", "3/7/1",
    "1e1000000000",  # an exponent that would make Fraction compute 10**1000000000
    "1e-5000",
    [1], [], (1, 2), {"a": 1}, np.array([1.0]), 1 + 0j, b"1",
])
def test_non_numbers_raise_number_format_error(value):
    with pytest.raises(NumberFormatError):
        to_fraction(value)


def test_number_format_error_is_a_polyregions_and_value_error():
    with pytest.raises(PolyregionsError):
        to_fraction("abc")
    with pytest.raises(ValueError):
        to_fraction("abc")


@pytest.mark.parametrize("text, words", [
    ("1/0", "'1/0' divides by zero"),
    ("3/0.0", "'3/0.0' divides by zero"),
    ("abc", "'abc' is not a number"),
    ("1/", "'1/' is not a number"),  # the whole text, not only the empty part
    ("1/2/3", "'1/2/3' is not a number"),
])
def test_string_error_messages_name_the_text(text, words):
    with pytest.raises(NumberFormatError, match="^layer 2 weight ") as info:
        to_fraction(text, "layer 2 weight")
    assert words in str(info.value)


def test_error_messages_name_the_problem():
    with pytest.raises(NumberFormatError, match="must be finite, got nan"):
        to_fraction(float("nan"))
    with pytest.raises(NumberFormatError, match="must be finite, got -inf"):
        to_fraction(np.float64("-inf"))
    with pytest.raises(NumberFormatError, match="must be a number, got True"):
        to_fraction(True)
    with pytest.raises(NumberFormatError, match="got list"):
        to_fraction([1])


# ---------------------------------------------------------------- format_fraction


@pytest.mark.parametrize("value, text", [
    (F(-3, 6), "-1/2"),
    (F(4), "4"),
    (F(0), "0"),
    (-7, "-7"),
    (0.5, "1/2"),
    (F(10, -4), "-5/2"),  # the sign goes to the numerator
    (F(1, 10 ** 30), "1/" + "1" + "0" * 30),
])
def test_format_fraction(value, text):
    assert format_fraction(value) == text


@pytest.mark.parametrize("value", [F(-3, 7), F(10 ** 40 + 1, 3), F(5), F(0)])
def test_format_fraction_round_trips_through_to_fraction(value):
    assert to_fraction(format_fraction(value)) == value


# ---------------------------------------------------------------- integer rows


def test_common_denominator_is_the_lcm():
    # lcm(4, 6, 1) = 12; lcm(3, 5, 7) = 105; no values: the empty lcm is 1.
    assert common_denominator([F(1, 4), F(5, 6), 3]) == 12
    assert common_denominator([F(1, 3), F(2, 5), F(-4, 7)]) == 105
    assert common_denominator([F(1, 6), F(1, 6)]) == 6
    assert common_denominator([]) == 1
    assert common_denominator([0.5, 0.125]) == 8  # floats at their exact value


def test_integer_vector_is_the_primitive_positive_multiple():
    # (1/2, -3/4, 0) * 4 = (2, -3, 0), gcd 1.
    assert integer_vector([F(1, 2), F(-3, 4), 0]) == (2, -3, 0)
    # (2/3, 4/3) * 3 = (2, 4), then / 2.
    assert integer_vector([F(2, 3), F(4, 3)]) == (1, 2)
    # A negative vector stays negative: scaling is by a positive number only.
    assert integer_vector([F(-1, 3), F(-2, 3)]) == (-1, -2)
    assert integer_vector([0, 0]) == (0, 0)
    assert integer_vector([]) == ()
    assert integer_vector([6, 9, 12]) == (2, 3, 4)
    assert all(type(v) is int for v in integer_vector([F(1, 2), F(1, 3)]))


def test_integer_vector_keeps_the_half_space():
    # The sign of v . (1, x) must not change: compare at a few points.
    v = [F(-5, 6), F(7, 4), F(-1, 9)]
    w = integer_vector(v)
    assert w == (-30, 63, -4)  # times lcm 36, gcd(30, 63, 4) = 1
    for x in [(0, 0), (1, 0), (F(10, 21), 0), (0, -100), (3, 52)]:
        lhs = v[0] + v[1] * x[0] + v[2] * x[1]
        rhs = w[0] + w[1] * x[0] + w[2] * x[1]
        assert (lhs > 0) == (rhs > 0) and (lhs == 0) == (rhs == 0)


def test_integer_vector_with_huge_and_tiny_entries():
    # (10^100, 1/10^100) * 10^100 = (10^200, 1), already primitive.
    assert integer_vector([10 ** 100, F(1, 10 ** 100)]) == (10 ** 200, 1)


def test_primitive_vector_divides_by_the_gcd():
    assert primitive_vector([4, -6, 0]) == (2, -3, 0)
    assert primitive_vector([-4, -6]) == (-2, -3)
    assert primitive_vector([3, 5]) == (3, 5)
    assert primitive_vector([0, 0, 0]) == (0, 0, 0)
    assert primitive_vector([]) == ()
    assert primitive_vector([0, -7]) == (0, -1)
    assert primitive_vector(np.array([12, 18, 30])) == (2, 3, 5)
    assert primitive_vector([2 ** 200, 2 ** 201]) == (1, 2)
