"""The verifiers' own reading of exact numbers, JSON files and networks.

The certificate verifier (:mod:`polyregions.certify.verifier`) and the proof
verifier (:mod:`polyregions.certify.proof_verifier`) read what they check with
this module, not with :mod:`polyregions.numbers` or the model reader of
:mod:`polyregions.io.model`: the writers of certificates and proofs use those,
and a verifier sharing the writer's codec would not notice a codec bug that
garbles numbers symmetrically. It follows the same number grammar
(``docs/model-format.md``) with its own parser, and reads numbers of any
length (Python's ``int``/``str`` conversions stop at 4300 digits by default, a
process-wide setting this module must not change).

Examples
--------
>>> number("-3/6", "a weight")
Fraction(-1, 2)
>>> n0, layers = network_units({"input_dim": 1, "layers": [
...     {"type": "relu", "weights": [["2"]], "biases": ["1"]}]})
>>> layers[0][1]       # the unit's pieces (b, w): 0, then 2x + 1
[[(Fraction(0, 1), Fraction(0, 1)), (Fraction(1, 1), Fraction(2, 1))]]
"""

import decimal
import json
import math
import operator
import os
import re
from collections.abc import Iterable, Sequence
from fractions import Fraction
from typing import Any

from ..errors import CertificateError

__all__ = ["SAFE_INT", "load_json", "require_keys", "integer", "digits", "show", "number",
           "parse_number", "as_list", "vector", "lcm_den", "integer_row", "primitive_row", "row_dot",
           "network_units", "parse_network", "fmt"]

_NETWORK_V1 = "polyregions/network-v1"
_RATIO = re.compile(r"([+-]?[0-9]+)/([+-]?[0-9]+)")
_DECIMAL = re.compile(r"([+-]?)(?:([0-9]+)(?:\.([0-9]*))?|\.([0-9]+))(?:[eE]([+-]?[0-9]+))?")
_MAX_EXPONENT = 4300
# Python converts up to 640 digits whatever the process-wide limit is set to.
_SAFE_DIGITS = 600
SAFE_INT = 10 ** _SAFE_DIGITS
# A unit: its pieces (b, *w), each a rational row over (1, y).
Units = list[list[tuple[Fraction, ...]]]



def load_json(source: "str | os.PathLike[str] | dict[str, Any]", what: str) -> dict[str, Any]:
    """The JSON object of a file (integers of any length read exactly), or `source` if a dict.

    `what` names the file in messages (``"certificate"``, ``"proof"``).

    Examples
    --------
    >>> load_json({"format": "x"}, "proof")
    {'format': 'x'}
    >>> load_json("/no/such/file.json", "proof")
    Traceback (most recent call last):
    ...
    polyregions.errors.CertificateError: proof not found: /no/such/file.json
    """
    if isinstance(source, dict):
        return source
    path = os.fspath(source)
    try:
        with open(path, encoding="utf-8") as f:
            data = json.load(f, parse_int=integer)
    except FileNotFoundError:
        raise CertificateError(f"{what} not found: {path}") from None
    except (OSError, UnicodeDecodeError) as err:
        raise CertificateError(f"cannot read {what} {path}: {err}") from err
    except (ValueError, RecursionError) as err:
        raise CertificateError(f"{what} {path} is not valid JSON: {err}") from err
    if not isinstance(data, dict):
        raise CertificateError(f"a {what} must be a JSON object")
    return data


def require_keys(data: dict[str, Any], keys: Sequence[str], where: str) -> None:
    """Refuse an object without every one of `keys`, or with any other key.

    Examples
    --------
    >>> require_keys({"count": 1}, ["count", "regions"], "the certificate")
    Traceback (most recent call last):
        ...
    polyregions.errors.CertificateError: the certificate has no 'regions'
    """
    for key in keys:
        if key not in data:
            raise CertificateError(f"{where} has no {key!r}")
    for key in data:
        if key not in keys:
            raise CertificateError(f"{where} has an unknown field {show(key)}; expected only "
                                   f"{', '.join(keys)}")


def integer(text: str) -> int:
    """The integer of a string of ASCII digits with an optional sign, of any length.

    Long texts are split in halves (high digits times a power of ten plus low
    digits) down to pieces ``int`` reads under any digit limit: fast, where
    ``int(decimal.Decimal(text))`` takes quadratic time.

    Examples
    --------
    >>> integer("-12"), integer("1" + "0" * 30) == 10 ** 30
    (-12, True)
    """
    if len(text) <= _SAFE_DIGITS:
        return int(text)
    if text[0] in "+-":
        return -integer(text[1:]) if text[0] == "-" else integer(text[1:])
    low = len(text) // 2
    return integer(text[:-low]) * 10 ** low + integer(text[-low:])


def digits(n: int) -> str:
    """The decimal text of the integer `n`, of any length.

    Examples
    --------
    >>> digits(10 ** 30)
    '1000000000000000000000000000000'
    """
    return str(n) if -SAFE_INT < n < SAFE_INT else str(decimal.Decimal(n))


def show(value: object) -> str:
    """`value` for a message: short, and never failing on a long integer.

    Examples
    --------
    >>> show("1/3"), len(show(10 ** 400)) < 100
    ("'1/3'", True)
    """
    if isinstance(value, (int, Fraction)) and not isinstance(value, bool):
        text = fmt(value)
    elif isinstance(value, str):
        text = repr(value)
    else:
        try:
            text = repr(value)
        except ValueError:  # it holds an integer beyond the digit limit
            text = f"a {type(value).__name__} holding a very long integer"
    return text if len(text) <= 60 else f"{text[:40]}...({len(text)} characters)"


def number(value: object, what: str) -> Fraction:
    """The exact Fraction of a JSON number or number string; `what` names it in the error.

    Examples
    --------
    >>> number("1/3", "volume"), number(2, "volume")
    (Fraction(1, 3), Fraction(2, 1))
    >>> number("x", "volume")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
        ...
    polyregions.errors.CertificateError: volume must be an exact number ..., got 'x'
    """
    if isinstance(value, bool) or value is None:
        raise CertificateError(f"{what} must be a number, got {value!r}")
    if isinstance(value, int):
        return Fraction(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise CertificateError(f"{what} must be finite, got {value!r}")
        return Fraction(value)
    if isinstance(value, str):
        number = parse_number(value, what)
        if number is not None:
            return number
    raise CertificateError(f"{what} must be an exact number (an integer, a decimal or 'p/q'), "
                           f"got {show(value)}")


def parse_number(text: str, what: str) -> Fraction | None:
    """The Fraction `text` holds, or None when it is not in the number grammar.

    Examples
    --------
    >>> parse_number("0.25", "volume"), parse_number("abc", "volume")
    (Fraction(1, 4), None)
    """
    ratio = _RATIO.fullmatch(text)
    if ratio:
        den = integer(ratio[2])
        if den == 0:
            raise CertificateError(f"{what} {show(text)} divides by zero")
        return Fraction(integer(ratio[1]), den)
    match = _DECIMAL.fullmatch(text)
    if not match:
        return None
    sign, whole, frac, only, exponent = match.groups()
    exponent = integer(exponent) if exponent else 0
    if abs(exponent) > _MAX_EXPONENT:
        raise CertificateError(f"{what} {show(text)}: the exponent is outside the accepted "
                               f"range -{_MAX_EXPONENT} to {_MAX_EXPONENT}")
    frac = frac or only or ""
    shift = exponent - len(frac)
    value = integer(sign + (whole or "") + frac)
    return Fraction(value * 10 ** shift) if shift >= 0 else Fraction(value, 10 ** -shift)


def as_list(value: object, what: str, length: int | None = None) -> list[Any]:
    """`value` as a list (of `length` entries when given); `what` names it in the error.

    Examples
    --------
    >>> as_list([1, 2], "point", 2)
    [1, 2]
    >>> as_list([1], "point", 2)
    Traceback (most recent call last):
        ...
    polyregions.errors.CertificateError: point has 1 entries, expected 2
    """
    if not isinstance(value, list):
        raise CertificateError(f"{what} must be a list")
    if length is not None and len(value) != length:
        raise CertificateError(f"{what} has {len(value)} entries, expected {length}")
    return value


def vector(value: object, what: str, length: int | None = None) -> tuple[Fraction, ...]:
    """`value` as a tuple of exact Fractions (of `length` entries when given).

    Examples
    --------
    >>> vector(["1/2", 3], "point")
    (Fraction(1, 2), Fraction(3, 1))
    """
    return tuple(number(v, what) for v in as_list(value, what, length))


# The verifiers' own copies of small helpers the package has elsewhere (numbers.common_denominator,
# numbers.integer_vector, numbers.primitive_vector, dot products): they share no code with the
# engine and the writers whose results they check, so a bug there cannot hide itself here.


def lcm_den(values: Iterable[Fraction]) -> int:
    """The least common multiple of the denominators of `values`.

    Examples
    --------
    >>> from fractions import Fraction
    >>> lcm_den([Fraction(1, 2), Fraction(1, 3)])
    6
    """
    den = 1
    for v in values:
        den = den * v.denominator // math.gcd(den, v.denominator)
    return den


def integer_row(values: Sequence[Fraction]) -> tuple[int, ...]:
    """The primitive integer row that is a positive multiple of the rational row.

    Examples
    --------
    >>> from fractions import Fraction
    >>> integer_row([Fraction(1, 2), Fraction(-1, 3)])
    (3, -2)
    """
    den = lcm_den(values)
    row = [int(v * den) for v in values]
    g = math.gcd(*row)
    return tuple(v // g for v in row) if g > 1 else tuple(row)


def primitive_row(row: Sequence[int]) -> tuple[int, ...]:
    """Divide an integer row by the gcd of its entries.

    Examples
    --------
    >>> primitive_row([4, -6, 2])
    (2, -3, 1)
    """
    g = math.gcd(*row)
    return tuple(v // g for v in row) if g > 1 else tuple(row)


def row_dot(u: Sequence[Any], v: Sequence[Any]) -> Any:
    """The dot product of two rows of exact numbers.

    Examples
    --------
    >>> row_dot([1, 2], [3, 4])
    11
    """
    return sum(map(operator.mul, u, v))


def network_units(spec: object) -> tuple[int, list[tuple[str, Units]]]:
    """``(n0, layers)``: a layer is ``(kind, units)``, a unit the list of its rational pieces ``(b, *w)``.

    Piece ``k`` of a unit is ``z(y) = b + w . y`` on the layer's input ``y``;
    `kind` is the layer's type (``"relu"``, ``"maxout"``, ...).

    Examples
    --------
    The unit ``relu(2 x + 1/2)`` as its two pieces ``(b, w)``, ``0`` and ``1/2 + 2 x``:

    >>> spec = {"format": "polyregions/network-v1", "input_dim": 1,
    ...         "layers": [{"type": "relu", "weights": [[2]], "biases": ["1/2"]}]}
    >>> network_units(spec)
    (1, [('relu', [[(Fraction(0, 1), Fraction(0, 1)), (Fraction(1, 2), Fraction(2, 1))]])])
    """
    if not isinstance(spec, dict) or spec.get("format", _NETWORK_V1) != _NETWORK_V1:
        raise CertificateError("the network is not a polyregions/network-v1 model")
    n0 = spec.get("input_dim")
    if isinstance(n0, bool) or not isinstance(n0, int) or n0 < 1:
        raise CertificateError(f"the network's input_dim must be a positive integer, got {show(n0)}")
    layers, width = [], n0
    for i, layer in enumerate(as_list(spec.get("layers"), "the network's layers")):
        kind, units = parse_layer(layer, f"network layer {i}", width)
        layers.append((kind, units))
        width = len(units)
    if not layers:
        raise CertificateError("the network has no layers")
    return n0, layers


def parse_network(spec: object) -> tuple[int, list[tuple[bool, int, list[list[tuple[int, ...]]]]], list[str]]:
    """``(n0, layers, kinds)``; a layer is ``(has_pattern, scale, units)``, a unit a list of integer rows.

    Piece ``k`` of a unit is ``z(y) = row . (1, y) / scale``; `kinds` names
    each layer's type (``"relu"``, ``"maxout"``, ...).

    Examples
    --------
    The same unit with integer rows, scaled by 2:

    >>> spec = {"format": "polyregions/network-v1", "input_dim": 1,
    ...         "layers": [{"type": "relu", "weights": [[2]], "biases": ["1/2"]}]}
    >>> parse_network(spec)
    (1, [(True, 2, [[(0, 0), (1, 4)]])], ['relu'])
    """
    n0, rational = network_units(spec)
    layers = []
    for kind, units in rational:
        scale = lcm_den([v for unit in units for piece in unit for v in piece])
        int_units = [[tuple(int(v * scale) for v in piece) for piece in unit] for unit in units]
        layers.append((kind != "linear", scale, int_units))
    return n0, layers, [kind for kind, _ in rational]


def parse_layer(layer: object, where: str, width: int) -> tuple[str, Units]:
    """``(kind, units)`` of one layer on `width` inputs; a unit is a list of rational pieces ``(b, *w)``."""
    if not isinstance(layer, dict):
        raise CertificateError(f"{where} must be an object")
    kind = layer.get("type")
    if kind not in ("maxout", "relu", "leaky_relu", "linear"):
        raise CertificateError(f"{where} has unknown type {show(kind)}")
    weights = as_list(layer.get("weights"), f"{where} weights")
    biases = as_list(layer.get("biases"), f"{where} biases", len(weights))
    if not weights:
        raise CertificateError(f"{where} has no units")
    slope = number(layer.get("slope"), f"{where} slope") if kind == "leaky_relu" else Fraction(0)
    units = [parse_unit(kind, w, b, width, slope, f"{where} unit {u}")
             for u, (w, b) in enumerate(zip(weights, biases))]
    return kind, units


def parse_unit(kind: str, w: object, b: object, width: int, slope: Fraction, at: str
               ) -> list[tuple[Fraction, ...]]:
    """The pieces ``(b, *w)`` of one unit: a maxout unit's own, ``(a z, z)`` for a (leaky) ReLU."""
    if kind == "maxout":
        ws = [vector(wk, f"{at} weights", width) for wk in as_list(w, f"{at} weights")]
        bs = vector(b, f"{at} biases", len(ws))
        if not ws:
            raise CertificateError(f"{at} has no pieces")
        return [(bk, *wk) for wk, bk in zip(ws, bs)]
    w, b = vector(w, f"{at} weights", width), number(b, f"{at} bias")
    if kind == "linear":
        return [(b, *w)]
    return [tuple(slope * v for v in (b, *w)), (b, *w)]


def fmt(value: Fraction | int) -> str:
    """An exact rational as ``p`` or ``p/q``, of any length.

    Examples
    --------
    >>> from fractions import Fraction
    >>> fmt(Fraction(3, 6)), fmt(4)
    ('1/2', '4')
    """
    num, den = Fraction(value).numerator, Fraction(value).denominator
    return digits(num) if den == 1 else f"{digits(num)}/{digits(den)}"
