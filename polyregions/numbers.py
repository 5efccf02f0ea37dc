"""Exact numbers: parsing user values as rationals, integers of any length, integer rows.

Everything polyregions decides is decided on exact rationals. This module is
the one door through which outside numbers come in:

* Python and numpy integers are taken as they are;
* floats (Python or numpy) are taken at their *exact* binary value, so
  ``0.1`` becomes ``3602879701896397/36028797018963968``, not ``1/10``;
* strings follow one grammar (see :func:`to_fraction`) and are read exactly.

Integers of any length are written and read as decimal text by
:func:`int_to_decimal` and :func:`decimal_to_int`, and JSON holding them by
:func:`json_dumps` and :func:`json_loads`. Python refuses ``str(n)`` and
``int(text)`` beyond 4300 digits by default; that limit is process-wide state
(``sys.set_int_max_str_digits``) which a program embedding polyregions may rely
on, so these helpers never change it: they split a long integer into pieces
small enough for any setting of the limit.

The row helpers turn rational vectors into primitive integer vectors (the
form the engine keeps its inequalities and affine maps in): scaling a row by a
positive number changes neither its half-space nor any sign test made with it.
"""

from __future__ import annotations

import json
import math
import numbers
import operator
import re
from collections.abc import Iterable, Sequence
from fractions import Fraction
from typing import TYPE_CHECKING, Any, Literal, TypeAlias, overload

from .errors import NumberFormatError, PolyregionsError

if TYPE_CHECKING:
    import cdd.gmp

__all__ = [
    "to_fraction",
    "to_fraction_or",
    "format_fraction",
    "int_to_decimal",
    "decimal_to_int",
    "json_dumps",
    "json_loads",
    "MAX_EXPONENT",
    "cdd_integer",
    "cdd_array",
    "common_denominator",
    "rational_sqrt",
    "integer_vector",
    "primitive_vector",
    "dot",
    "IntegerRow",
    "IntegerRows",
]

IntegerRow: TypeAlias = tuple[int, ...]
"""An integer row: a facet ``(b, a_1, ..., a_n)`` or a homogeneous generator ``(q, p_1, ..., p_n)``."""

IntegerRows: TypeAlias = tuple[IntegerRow, ...]
"""A tuple of integer rows (facets, or generators of one kind)."""

MAX_EXPONENT = 4300
"""The largest ``|e|`` accepted in a decimal exponent (``"1e4300"``, ``"2.5e-4300"``).

An exponent asks for ``10**e``, a number far longer than the text that asks
for it: the range keeps a few characters from costing unbounded time and
memory. Integers written out in digits have no limit.
"""

_INTEGER = re.compile(r"[+-]?[0-9]+")  # [0-9], not \d: ASCII digits only
_FRACTION = re.compile(r"(?P<num>[+-]?[0-9]+)/(?P<den>[+-]?[0-9]+)")
_DECIMAL = re.compile(
    r"(?P<sign>[+-]?)(?:(?P<whole>[0-9]+)(?:\.(?P<frac>[0-9]*))?|\.(?P<only>[0-9]+))"
    r"(?:[eE](?P<exp>[+-]?[0-9]+))?"
)
_GRAMMAR = "an integer, a decimal such as -0.5e-3, or p/q; ASCII digits, no spaces"

# Python converts integers of up to sys.int_info.str_digits_check_threshold (640)
# digits whatever the process-wide limit is set to: pieces of 512 digits are safe.
_CHUNK = 512
_CHUNK_BASE = 10 ** _CHUNK


def to_fraction(value: object, what: str = "value") -> Fraction:
    """Return `value` as an exact :class:`fractions.Fraction`.

    Strings follow one grammar, with no spaces anywhere and ASCII digits only::

        number   = integer | decimal | integer "/" integer     (the last integer not 0)
        integer  = [sign] digit+
        decimal  = [sign] (digit+ ["." digit*] | "." digit+) [("e" | "E") integer]
        sign     = "+" | "-"
        digit    = "0" | "1" | ... | "9"

    so ``"3"``, ``"+3"``, ``"-0.5e-3"``, ``".5"``, ``"3/7"`` and ``"3/-7"``
    (a denominator is an integer and may carry a sign) are numbers, while
    ``"1_000"``, ``"٣"``, ``"1.5/2"``, ``"1 /2"``, ``" 3"`` and ``"0x10"`` are
    not. An exponent must lie in ``-MAX_EXPONENT .. MAX_EXPONENT`` (4300);
    integers written out in digits may have any length.

    Parameters
    ----------
    value : int, float, Fraction, str or numpy scalar
        The number. Floats are taken at their exact binary value.
    what : str, optional
        How to name the value in an error message (e.g. ``"layer 1 weight"``).

    Returns
    -------
    Fraction

    Raises
    ------
    NumberFormatError
        For booleans, NaN, infinities, a zero denominator, a string outside
        the grammar, or an exponent outside the accepted range.

    Examples
    --------
    >>> to_fraction("3/7"), to_fraction("-0.5e-3"), to_fraction(0.5)
    (Fraction(3, 7), Fraction(-1, 2000), Fraction(1, 2))
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


def to_fraction_or(error: type[PolyregionsError], value: object, what: str = "value", *,
                   context: str | None = None) -> Fraction:
    """:func:`to_fraction`, reporting a bad number as `error` instead.

    A number is read in many places (a model, a domain, a file); each reports
    its own kind of error (:class:`~polyregions.errors.ModelFormatError`,
    :class:`~polyregions.errors.DomainError`, ...) with the
    :class:`~polyregions.errors.NumberFormatError` as its cause.

    Parameters
    ----------
    error : type
        The :class:`~polyregions.errors.PolyregionsError` subclass to raise.
    value : object
        The number (see :func:`to_fraction`).
    what : str, optional
        How to name the value in the message.
    context : str, optional
        Put before the message, e.g. the file the value comes from.

    Examples
    --------
    >>> from polyregions.errors import DomainError
    >>> to_fraction_or(DomainError, "1/3", "radius")
    Fraction(1, 3)
    >>> to_fraction_or(DomainError, "1/0", "radius", context="ball.json")
    Traceback (most recent call last):
    ...
    polyregions.errors.DomainError: ball.json: radius '1/0' divides by zero
    """
    try:
        return to_fraction(value, what)
    except NumberFormatError as err:
        raise error(str(err) if context is None else f"{context}: {err}") from err


def _parse_string(text: str, what: str) -> Fraction:
    fraction = _FRACTION.fullmatch(text)
    if fraction:
        den = decimal_to_int(fraction["den"])
        if den == 0:
            raise NumberFormatError(f"{what} {_quote(text)} divides by zero")
        return Fraction(decimal_to_int(fraction["num"]), den)
    decimal = _DECIMAL.fullmatch(text)
    if not decimal:
        raise NumberFormatError(f"{what} {_quote(text)} is not a number (expected {_GRAMMAR})")
    exponent = decimal_to_int(decimal["exp"] or "0")
    if abs(exponent) > MAX_EXPONENT:
        raise NumberFormatError(
            f"{what} {_quote(text)}: exponent {_shorten(decimal['exp'])} is outside the accepted "
            f"range -{MAX_EXPONENT} to {MAX_EXPONENT}"
        )
    whole, frac = decimal["whole"] or "", decimal["frac"] or decimal["only"] or ""
    value = decimal_to_int(decimal["sign"] + whole + frac)
    shift = exponent - len(frac)
    return Fraction(value * 10 ** shift) if shift >= 0 else Fraction(value, 10 ** -shift)


def _shorten(text: str, keep: int = 24) -> str:
    return text if len(text) <= 2 * keep else f"{text[:keep]}...({len(text)} characters)"


def _quote(text: str) -> str:
    """`text` quoted for an error message: a 50,000-digit number is not shown whole."""
    return repr(_shorten(text))


def format_fraction(value: Fraction | int) -> str:
    """Return an exact rational as the string ``"p/q"`` (or ``"p"`` when whole).

    Numerator and denominator may have any number of digits.

    Examples
    --------
    >>> format_fraction(Fraction(-3, 6)), format_fraction(Fraction(4))
    ('-1/2', '4')
    """
    value = Fraction(value)
    num = int_to_decimal(value.numerator)
    return num if value.denominator == 1 else f"{num}/{int_to_decimal(value.denominator)}"


def int_to_decimal(n: int) -> str:
    """Return the decimal text of the integer `n`, whatever its number of digits.

    Unlike ``str(n)`` it does not depend on Python's process-wide limit on
    integer-to-text conversions (4300 digits by default), and never changes it.

    Examples
    --------
    >>> int_to_decimal(-120)
    '-120'
    >>> text = int_to_decimal(10 ** 5000)
    >>> len(text), text[:3], set(text[1:])
    (5001, '100', {'0'})
    """
    n = int(n)
    if n < 0:
        return "-" + int_to_decimal(-n)
    if n < _CHUNK_BASE:
        return str(n)
    # powers[k] = 10 ** (_CHUNK * 2**k); split n at the largest one not above sqrt(n).
    powers = [_CHUNK_BASE]
    while powers[-1] <= n // powers[-1]:
        powers.append(powers[-1] * powers[-1])
    return _digits(n, powers, len(powers) - 1, pad=False)


def _digits(n: int, powers: list[int], k: int, pad: bool) -> str:
    """Digits of ``n < powers[k] ** 2``; with `pad`, exactly ``2 * _CHUNK * 2**k`` of them."""
    if k < 0:
        return str(n).zfill(_CHUNK) if pad else str(n)
    high, low = divmod(n, powers[k])
    if not pad and not high:
        return _digits(low, powers, k - 1, pad=False)
    return _digits(high, powers, k - 1, pad) + _digits(low, powers, k - 1, pad=True)


def decimal_to_int(text: str) -> int:
    """Return the integer written in `text`: ASCII digits with an optional sign.

    Any number of digits is read, without depending on (or changing) Python's
    process-wide limit on text-to-integer conversions.

    Raises
    ------
    NumberFormatError
        When `text` is not an optional ``+``/``-`` followed by ASCII digits
        (``int()`` would also take ``"1_000"``, ``" 7"`` or ``"٣"``).

    Examples
    --------
    >>> decimal_to_int("-0042")
    -42
    >>> decimal_to_int("1" * 5000) % 10 ** 6
    111111
    """
    if not isinstance(text, str) or not _INTEGER.fullmatch(text):
        shown = _quote(text) if isinstance(text, str) else repr(type(text).__name__)
        raise NumberFormatError(f"{shown} is not an integer (ASCII digits with an optional sign)")
    if len(text) <= _CHUNK:
        return int(text)
    sign, digits = (-1, text[1:]) if text[0] == "-" else (1, text.lstrip("+"))
    return sign * _read_digits(digits)


def _read_digits(digits: str) -> int:
    if len(digits) <= _CHUNK:
        return int(digits)
    low = _CHUNK  # split off the longest tail of _CHUNK * 2**k digits: its power of ten repeats
    while 2 * low < len(digits):
        low *= 2
    scale: int = 10 ** low
    return _read_digits(digits[:-low]) * scale + _read_digits(digits[-low:])


def json_dumps(value: object, *, indent: int | str | None = None,
               separators: tuple[str, str] | None = None, sort_keys: bool = False) -> str:
    """``json.dumps`` that also writes integers of any length.

    The standard encoder is used (fast) unless the value holds an integer
    beyond Python's digit limit; then a small encoder of the same output
    writes its digits with :func:`int_to_decimal`.

    Examples
    --------
    >>> text = json_dumps({"n": 10 ** 5000}, separators=(",", ":"))
    >>> text[:8], len(text)
    ('{"n":100', 5007)
    >>> json_loads(text)["n"] == 10 ** 5000
    True
    """
    try:
        return json.dumps(value, indent=indent, separators=separators, sort_keys=sort_keys)
    except ValueError:  # an integer beyond the digit limit; other errors recur below
        pass
    if separators is None:
        separators = (", ", ": ") if indent is None else (",", ": ")
    if isinstance(indent, int):
        indent = " " * indent
    parts: list[str] = []
    _json_parts(value, parts, indent, 0, separators, sort_keys)
    return "".join(parts)


def _json_parts(value: object, parts: list[str], indent: str | None, level: int,
                separators: tuple[str, str], sort_keys: bool) -> None:
    """Append the JSON text of `value` to `parts`, laid out as ``json.dumps`` does."""
    if isinstance(value, (str, float, bool)) or value is None:
        parts.append(json.dumps(value))
    elif isinstance(value, int):
        parts.append(int_to_decimal(value))
    elif isinstance(value, (list, tuple, dict)):
        is_dict = isinstance(value, dict)
        items: Iterable[Any] = value.items() if isinstance(value, dict) else value
        if is_dict and sort_keys:
            items = sorted(items)
        opening, closing = "{}" if is_dict else "[]"
        if not value:
            parts.append(opening + closing)
            return
        inner = "" if indent is None else "\n" + indent * (level + 1)
        parts.append(opening + inner)
        for i, item in enumerate(items):
            if i:
                parts.append(separators[0] + inner)
            if is_dict:
                parts.append(json.dumps(_json_key(item[0])) + separators[1])
                item = item[1]
            _json_parts(item, parts, indent, level + 1, separators, sort_keys)
        parts.append(("" if indent is None else "\n" + indent * level) + closing)
    else:
        raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


def _json_key(key: object) -> str:
    if isinstance(key, str):
        return key
    if isinstance(key, int) and not isinstance(key, bool):
        return int_to_decimal(key)
    return json.dumps(key)


def json_loads(text: str | bytes, **options: Any) -> Any:
    """``json.loads`` that also reads integers of any length.

    `options` are those of :func:`json.loads` (e.g. ``parse_constant``).

    Examples
    --------
    >>> json_loads('[' + '9' * 5000 + ']')[0] == 10 ** 5000 - 1
    True
    """
    try:
        return json.loads(text, **options)
    except json.JSONDecodeError:
        raise
    except ValueError:  # an integer literal beyond the digit limit (or an option's own error)
        return json.loads(text, parse_int=decimal_to_int, **options)


class _LongInteger(int):
    """An integer that writes its own digits at any length, and is its own numerator."""

    __slots__ = ()

    def __str__(self) -> str:
        return int_to_decimal(self)

    def __format__(self, spec: str) -> str:
        return str(self) if not spec else format(int(self), spec)

    @property
    def numerator(self) -> int:
        return self

    @property
    def denominator(self) -> Literal[1]:
        return 1


def cdd_integer(n: int) -> int:
    """The integer `n` in a form pycddlib hands to cddlib whatever its length.

    pycddlib passes a number beyond a machine integer to GMP as the text
    ``f"{numerator}/{denominator}"`` (``str(value)`` in other 3.x releases),
    which Python refuses beyond its digit limit; this integer writes its own.

    Examples
    --------
    >>> cdd_integer(5), format(cdd_integer(10 ** 5000))[:4]
    (5, '1000')
    """
    if isinstance(n, int) and not -_CHUNK_BASE < n < _CHUNK_BASE:
        return _LongInteger(n)
    return n


def cdd_array(matrix: cdd.gmp.Matrix) -> Sequence[Sequence[Fraction]]:
    """The rows of a pycddlib matrix as Fractions, whatever the length of their numbers.

    pycddlib reads numbers beyond a machine integer back through
    ``Fraction(text)``, which stops at Python's digit limit; then the rows are
    read from cddlib's own text of the matrix instead.

    Examples
    --------
    >>> import cdd.gmp as cdd
    >>> n = 10 ** 5000
    >>> m = cdd.matrix_from_array([[cdd_integer(n), -1]], rep_type=cdd.RepType.INEQUALITY)
    >>> cdd_array(m)[0] == [n, -1]
    True
    """
    try:
        return matrix.array
    except ValueError:  # an entry beyond the digit limit
        lines = [line.strip() for line in str(matrix).splitlines()]
        body = lines[lines.index("begin") + 2:lines.index("end")]
        return [[_cdd_number(v) for v in line.split()] for line in body]


def _cdd_number(text: str) -> Fraction:
    num, _, den = text.partition("/")
    return Fraction(decimal_to_int(num), decimal_to_int(den) if den else 1)


def common_denominator(values: Iterable[Fraction | int]) -> int:
    """Return the least common multiple of the denominators of `values`.

    Examples
    --------
    >>> common_denominator([Fraction(1, 4), Fraction(5, 6), 3])
    12
    """
    # Few distinct denominators in practice (floats give powers of two): one lcm over the set.
    return math.lcm(*{v.denominator if isinstance(v, (int, Fraction)) else Fraction(v).denominator
                      for v in values})


def rational_sqrt(value: Fraction) -> Fraction | None:
    """Return the square root of a non-negative Fraction when it is rational, else None.

    A reduced fraction ``p/q`` has a rational root exactly when ``p`` and ``q``
    are both perfect squares, so the test is two integer square roots.

    Examples
    --------
    >>> rational_sqrt(Fraction(9, 4))
    Fraction(3, 2)
    >>> rational_sqrt(Fraction(2)) is None
    True
    """
    if value < 0:
        return None
    p, q = math.isqrt(value.numerator), math.isqrt(value.denominator)
    if p * p == value.numerator and q * q == value.denominator:
        return Fraction(p, q)
    return None


def integer_vector(values: Iterable[Fraction | int]) -> IntegerRow:
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


def primitive_vector(values: Iterable[int]) -> IntegerRow:
    """Divide an integer vector by the gcd of its entries.

    Examples
    --------
    >>> primitive_vector([4, -6, 0])
    (2, -3, 0)
    """
    values = tuple(map(int, values))
    g = math.gcd(*values)
    if g <= 1:
        return values
    return tuple(v // g for v in values)


@overload
def dot(u: Iterable[int], v: Iterable[int]) -> int: ...
@overload
def dot(u: Iterable[Fraction | int], v: Iterable[Fraction | int]) -> Fraction | int: ...
def dot(u: Iterable[Any], v: Iterable[Any]) -> Any:  # typed by the overloads
    """Exact dot product of two vectors of integers or Fractions.

    With a facet row ``(b, a)`` and a homogeneous generator row ``(q, p)`` it is
    ``q (b + a . p / q)``, whose sign says on which side of the facet ``p / q``
    lies, in integers.

    Examples
    --------
    >>> dot((1, -2, 3), (4, 5, 6)), dot((Fraction(1, 2), 3), (2, Fraction(1, 3)))
    (12, Fraction(2, 1))
    """
    return sum(map(operator.mul, u, v))
