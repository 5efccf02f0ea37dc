"""Exact parsing of user numbers, integers of any length, and the integer row helpers."""

import contextlib
import json
import sys
from fractions import Fraction

import numpy as np
import pytest

from polyregions import (
    Box,
    DomainError,
    ModelFormatError,
    NumberFormatError,
    PolyregionsError,
    ReluLayer,
    ball,
)
from polyregions.numbers import (
    common_denominator,
    decimal_to_int,
    dot,
    format_fraction,
    int_to_decimal,
    integer_vector,
    json_dumps,
    json_loads,
    primitive_vector,
    rational_sqrt,
    to_fraction,
    to_fraction_or,
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


# The grammar of number strings (see to_fraction's docstring and docs/model-format.md):
#   number  = integer | decimal | integer "/" integer   (the denominator not 0)
#   integer = [sign] digit+                             digit = ASCII 0-9 only
#   decimal = [sign] (digit+ ["." digit*] | "." digit+) [("e" | "E") integer]
# with no spaces anywhere. Each expected value is worked out by hand.
ACCEPTED = [
    ("3", F(3)),
    ("-3", F(-3)),
    ("+3", F(3)),
    ("007", F(7)),  # leading zeros are digits like any other
    ("0.125", F(1, 8)),
    ("0.1", F(1, 10)),  # a decimal string *is* exactly one tenth
    ("-.5", F(-1, 2)),
    ("2.", F(2)),
    ("-0.5e-3", F(-5, 10_000)),  # -5 * 10^-1 * 10^-3
    ("1e-3", F(1, 1000)),
    ("2.5E2", F(250)),
    ("1e+2", F(100)),
    ("1e-400", F(1, 10 ** 400)),  # far below the smallest double, still exact
    ("1e4300", F(10 ** 4300)),  # the largest exponent accepted
    ("3/7", F(3, 7)),
    ("-3/7", F(-3, 7)),
    ("3/-7", F(-3, 7)),  # q is an integer, and an integer may carry a sign
    ("-3/-7", F(3, 7)),
    ("+3/+7", F(3, 7)),
    ("6/4", F(3, 2)),  # reduced
    ("0/5", F(0)),
    ("123456789012345678901234567890", F(123456789012345678901234567890)),
    ("9" * 5000, F(10 ** 5000 - 1)),  # beyond Python's 4300-digit int(str) default
    ("1" + "0" * 50_000 + "/3", F(10 ** 50_000, 3)),
]

REFUSED = [
    ("1_000", "is not a number"),  # int() and Fraction() take underscores; the grammar does not
    ("\u0663", "is not a number"),  # ARABIC-INDIC DIGIT THREE: int() reads it as 3
    ("\u0661\u0662/\u0663", "is not a number"),
    ("\uff13", "is not a number"),  # FULLWIDTH DIGIT THREE
    ("1.5/2", "is not a number"),  # p must be an integer
    ("3/0.5", "is not a number"),  # and so must q
    ("1e3/8", "is not a number"),
    ("1 /2", "is not a number"),  # no spaces anywhere
    ("1/ 2", "is not a number"),
    (" 3", "is not a number"),
    ("3 ", "is not a number"),
    ("3\n", "is not a number"),
    ("- 3", "is not a number"),
    ("", "is not a number"),
    ("abc", "is not a number"),
    ("nan", "is not a number"),
    ("inf", "is not a number"),
    ("-Infinity", "is not a number"),
    ("0x10", "is not a number"),
    ("1e", "is not a number"),
    ("e5", "is not a number"),
    (".", "is not a number"),
    ("+-3", "is not a number"),
    ("1/2/3", "is not a number"),
    ("1//2", "is not a number"),
    ("/2", "is not a number"),
    ("1/", "is not a number"),
    ("1/0", "divides by zero"),
    ("0/0", "divides by zero"),
    ("3/-0", "divides by zero"),
    ("1e4301", "exponent 4301 is outside the accepted range -4300 to 4300"),
    ("1e-5000", "exponent -5000 is outside the accepted range -4300 to 4300"),
    ("1e99999999", "exponent 99999999 is outside the accepted range -4300 to 4300"),
]


@pytest.mark.parametrize("text, expected", ACCEPTED, ids=[t[:24] for t, _ in ACCEPTED])
def test_strings_in_the_grammar_are_read_exactly(text, expected):
    assert to_fraction(text) == expected


@pytest.mark.parametrize("text, words", REFUSED, ids=[ascii(t) for t, _ in REFUSED])
def test_strings_outside_the_grammar_are_refused_with_the_reason(text, words):
    with pytest.raises(NumberFormatError, match="^layer 2 weight ") as info:
        to_fraction(text, "layer 2 weight")
    assert words in str(info.value)
    if words == "is not a number":
        assert "ASCII digits, no spaces" in str(info.value)  # the message states the grammar


@pytest.mark.parametrize("text, expected", ACCEPTED, ids=[t[:24] for t, _ in ACCEPTED])
def test_the_verifier_reads_the_same_numbers_with_its_own_parser(text, expected):
    # The verifiers' reader is their own (it shares no code with the writer);
    # that it follows the same grammar is a fact worth pinning down.
    from polyregions.certify.parsing import number

    assert number(text, "value") == expected


@pytest.mark.parametrize("text, words", REFUSED, ids=[ascii(t) for t, _ in REFUSED])
def test_the_verifier_refuses_the_same_strings(text, words):
    from polyregions.certify.parsing import number
    from polyregions.errors import CertificateError

    with pytest.raises(CertificateError):
        number(text, "value")


def test_error_messages_shorten_long_texts():
    text = "7" * 50_000 + "x"
    with pytest.raises(NumberFormatError) as info:
        to_fraction(text, "layer 0 bias")
    message = str(info.value)
    assert "50001 characters" in message and len(message) < 300


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
    # Python integers come out whatever went in (numpy scalars, a generator).
    assert all(type(v) is int for v in primitive_vector(np.array([4, 6])))
    assert primitive_vector(v for v in (9, 6)) == (3, 2)


def test_dot():
    assert dot((1, 2, 3), (4, -5, 6)) == 4 - 10 + 18
    assert dot((F(1, 2), 10 ** 100), (2, F(1, 10 ** 100))) == 2
    assert dot((), ()) == 0


# ---------------------------------------------------------------- integers of any length


@contextlib.contextmanager
def python_without_digit_limit():
    """The oracle: Python's own str/int with the limit lifted (test code only, restored)."""
    old = sys.get_int_max_str_digits()
    sys.set_int_max_str_digits(0)
    try:
        yield
    finally:
        sys.set_int_max_str_digits(old)


# Around the 512-digit pieces the helpers split at: zeros inside a piece must be kept
# (10**2000 + 1 has a run of 1999 zeros), and 10**k - 1, 10**k, 10**k + 1 at piece edges.
LONG_INTEGERS = [0, 7, -7, 10 ** 511, 10 ** 512 - 1, 10 ** 512, 10 ** 512 + 1, -(10 ** 1024),
                 10 ** 2000 + 1, 3 ** 10_000, 10 ** 4300, -(10 ** 5000 - 1), 7 ** 59_170,
                 2 ** 166_096 - 1]  # 7**59170 and 2**166096 - 1 have 50,005 and 50,000 digits


@pytest.mark.parametrize("n", LONG_INTEGERS, ids=lambda n: f"{n.bit_length()}-bit")
def test_integers_of_any_length_round_trip_through_decimal_text(n):
    with python_without_digit_limit():
        expected = str(n)
    text = int_to_decimal(n)
    assert text == expected
    assert decimal_to_int(text) == n
    assert decimal_to_int("+" + text.lstrip("-")) == abs(n)


def test_the_50000_digit_cases_have_50000_digits():
    assert len(int_to_decimal(7 ** 59_170)) == 50_005
    assert len(int_to_decimal(2 ** 166_096 - 1)) == 50_000


def test_long_integers_leave_the_process_wide_limit_alone():
    before = sys.get_int_max_str_digits()
    int_to_decimal(10 ** 50_000)
    decimal_to_int("9" * 50_000)
    json_loads(json_dumps([10 ** 50_000]))
    format_fraction(F(1, 10 ** 5000))
    assert sys.get_int_max_str_digits() == before


def test_long_integers_work_under_the_strictest_limit_a_program_may_set():
    old = sys.get_int_max_str_digits()
    sys.set_int_max_str_digits(640)  # the smallest non-zero limit Python accepts
    try:
        n = 10 ** 5000 + 12345
        assert decimal_to_int(int_to_decimal(n)) == n
        assert to_fraction(format_fraction(F(n, 3))) == F(n, 3)
    finally:
        sys.set_int_max_str_digits(old)


@pytest.mark.parametrize("text", ["", "+", "-", "1_000", " 1", "1 ", "\u0663", "1.0", "1e3", "0x1"])
def test_decimal_to_int_takes_ascii_digits_and_a_sign_only(text):
    with pytest.raises(NumberFormatError, match="is not an integer"):
        decimal_to_int(text)


BIG = 10 ** 5000 + 1
DOCUMENTS = [
    {"a": [BIG, -BIG, 0, 1.5, True, None, "x\u00e9"], "b": {}, "c": [], "d": {"e": [[BIG]]}},
    [BIG, [BIG, {"k": BIG}], (1, 2)],
    BIG,
]


@pytest.mark.parametrize("document", DOCUMENTS, ids=["dict", "list", "int"])
@pytest.mark.parametrize("options", [
    {}, {"separators": (",", ":")}, {"indent": 1}, {"indent": 2, "sort_keys": True},
    {"indent": "\t", "separators": (",", ": ")},
])
def test_json_dumps_writes_long_integers_as_json_dumps_would(document, options):
    with python_without_digit_limit():
        expected = json.dumps(document, **options)
    assert json_dumps(document, **options) == expected
    with python_without_digit_limit():
        assert json_loads(expected) == json.loads(expected)


def test_json_loads_reads_long_integer_literals():
    text = '{"n": [' + "9" * 50_000 + ', -1, 2.5]}'
    assert json_loads(text) == {"n": [10 ** 50_000 - 1, -1, 2.5]}


def test_json_helpers_keep_the_errors_of_json():
    with pytest.raises(json.JSONDecodeError):
        json_loads('{"n": [' + "9" * 5000)  # truncated
    with pytest.raises(TypeError):
        json_dumps({"n": BIG, "x": object()})


# ---------------------------------------------------------------- numbers read for another module


def test_to_fraction_or_raises_the_callers_error_with_the_number_error_as_cause():
    assert to_fraction_or(DomainError, "-3/6", "radius") == F(-1, 2)
    with pytest.raises(DomainError, match=r"^radius 'abc' is not a number") as caught:
        to_fraction_or(DomainError, "abc", "radius")
    assert isinstance(caught.value.__cause__, NumberFormatError)
    with pytest.raises(ModelFormatError, match=r"^model\.json: slope must be finite, got nan$"):
        to_fraction_or(ModelFormatError, float("nan"), "slope", context="model.json")


@pytest.mark.parametrize("build, error", [
    (lambda: Box(["1/0"], [1]), DomainError),
    (lambda: ball([0, 0], "r"), DomainError),
    (lambda: ReluLayer([["x"]], [0]), ModelFormatError),
])
def test_bad_numbers_in_domains_and_layers_keep_their_cause(build, error):
    # The one-line message names the value; the number error stays attached for a reader.
    with pytest.raises(error) as caught:
        build()
    assert isinstance(caught.value.__cause__, NumberFormatError)
    assert str(caught.value) == str(caught.value.__cause__)


def test_rational_sqrt_finds_exactly_the_squares_of_small_rationals():
    # Oracle: a reduced n/d with n, d <= 150 is a square only of some p/q with p, q <= 12.
    squares = {Fraction(p, q) ** 2 for p in range(13) for q in range(1, 13)}
    for n in range(151):
        for d in range(1, 151):
            value = Fraction(n, d)
            root = rational_sqrt(value)
            assert (root is not None) == (value in squares)
            assert root is None or (root >= 0 and root * root == value)
    assert rational_sqrt(Fraction(-4)) is None
    assert rational_sqrt(Fraction(1e-5) + 1) is None  # a float eps: denominator 2**69
