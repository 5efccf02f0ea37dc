"""Exact numbers: parsing user values as rationals and integer row helpers.

Everything polyregions decides is decided on exact rationals. This module is
the one door through which outside numbers come in:

* Python and numpy integers are taken as they are;
* floats (Python or numpy) are taken at their *exact* binary value, so
  ``0.1`` becomes ``3602879701896397/36028797018963968``, not ``1/10``;
* strings hold an integer (``"-3"``), a decimal (``"0.125"``, ``"1e-3"``) or
  a fraction (``"3/7"``), all read exactly.

The row helpers turn rational vectors into primitive integer vectors (the
form the engine keeps its inequalities and affine maps in): scaling a row by a
positive number changes neither its half-space nor any sign test made with it.
"""

import contextlib
import math
import numbers
import sys
from fractions import Fraction

from .errors import NumberFormatError

__all__ = [
    "to_fraction",
    "format_fraction",
    "common_denominator",
    "integer_vector",
    "primitive_vector",
    "unlimited_int_digits",
]

_MAX_EXPONENT = 4300


def to_fraction(value, what="value"):
    """Return `value` as an exact :class:`fractions.Fraction`.

    Parameters
    ----------
    value : int, float, Fraction, str or numpy scalar
        The number. Floats are taken at their exact binary value; strings may
        hold an integer, a decimal or a fraction ``"p/q"``.
    what : str, optional
        How to name the value in an error message (e.g. ``"layer 1 weight"``).

    Returns
    -------
    Fraction

    Raises
    ------
    NumberFormatError
        For booleans, NaN, infinities, a zero denominator, or a string that is
        not a number (a decimal exponent beyond +-4300 included).

    Examples
    --------
    >>> to_fraction("3/7"), to_fraction("0.125"), to_fraction(0.5)
    (Fraction(3, 7), Fraction(1, 8), Fraction(1, 2))
    >>> to_fraction(0.1) == Fraction(1, 10)
    False
    """
    if isinstance(value, Fraction):
        return value
    if isinstance(value, bool) or value is None:
        raise NumberFormatError(f"{what} must be a number, got {value!r}")
    if isinstance(value, numbers.Integral):
        return Fraction(int(value))
    if isinstance(value, numbers.Real):
        # as_integer_ratio keeps every bit, also of numpy's longdouble.
        exact = value if hasattr(value, "as_integer_ratio") else float(value)
        try:
            return Fraction(*exact.as_integer_ratio())
        except (OverflowError, ValueError):
            raise NumberFormatError(f"{what} must be finite, got {float(value)!r}") from None
    if isinstance(value, str):
        return _parse_string(value, what)
    raise NumberFormatError(
        f"{what} must be a number or a numeric string, got {type(value).__name__}"
    )


def _parse_string(text, what):
    num, slash, den = text.strip().partition("/")
    try:
        num = _parse_decimal(num)
        den = _parse_decimal(den) if slash else 1
    except ValueError:
        raise NumberFormatError(f"{what} {text!r} is not a number") from None
    if den == 0:
        raise NumberFormatError(f"{what} {text!r} divides by zero")
    return num / den


def _parse_decimal(text):
    """Read an integer or decimal (no ``/``), refusing exponents beyond +-4300.

    4300 digits is also the most Python's ``int`` reads from a string; a larger
    exponent (``"1e1000000000"``) would make ``Fraction`` compute ``10**exp``.
    """
    _, e, exponent = text.lower().partition("e")
    if "/" in text or (e and abs(int(exponent)) > _MAX_EXPONENT):
        raise ValueError(text)
    return Fraction(text)


def format_fraction(value):
    """Return an exact rational as the string ``"p/q"`` (or ``"p"`` when whole).

    Examples
    --------
    >>> format_fraction(Fraction(-3, 6)), format_fraction(Fraction(4))
    ('-1/2', '4')
    """
    value = Fraction(value)
    num, den = _digits(value.numerator), _digits(value.denominator)
    return num if den == "1" else f"{num}/{den}"


def _digits(n):
    with unlimited_int_digits():
        return str(n)


@contextlib.contextmanager
def unlimited_int_digits():
    """Let ``str(int)`` and ``int(str)`` handle integers of any size in this block.

    Python refuses conversions beyond 4300 digits by default (a guard against
    slow parsing of untrusted text); exact results must print whatever their size.
    """
    old = sys.get_int_max_str_digits()
    sys.set_int_max_str_digits(0)
    try:
        yield
    finally:
        sys.set_int_max_str_digits(old)


def common_denominator(values):
    """Return the least common multiple of the denominators of `values`.

    Examples
    --------
    >>> common_denominator([Fraction(1, 4), Fraction(5, 6), 3])
    12
    """
    den = 1
    for v in values:
        d = Fraction(v).denominator
        den = den * d // math.gcd(den, d)
    return den


def integer_vector(values):
    """Return the primitive integer vector that is a positive multiple of `values`.

    The result has integer entries with greatest common divisor 1 (the zero
    vector stays zero). Signs are kept, so a half-space ``v . (1, x) >= 0``
    keeps its meaning.

    Examples
    --------
    >>> integer_vector([Fraction(1, 2), Fraction(-3, 4), 0])
    (2, -3, 0)
    """
    den = common_denominator(values)
    return primitive_vector(
        [Fraction(v).numerator * (den // Fraction(v).denominator) for v in values]
    )


def primitive_vector(values):
    """Divide an integer vector by the gcd of its entries.

    Examples
    --------
    >>> primitive_vector([4, -6, 0])
    (2, -3, 0)
    """
    values = [int(v) for v in values]
    g = math.gcd(*values)
    if g <= 1:
        return tuple(values)
    return tuple(v // g for v in values)
