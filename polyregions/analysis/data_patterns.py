"""The exact activation patterns of many points at once, and the regions they meet.

:func:`point_patterns` gives, for every point, the pattern that
:meth:`Network.activation_pattern <polyregions.network.Network.activation_pattern>`
gives (ties go to the lowest piece), computed layer by layer on integers: the
points' coordinates are put over one common denominator, each layer's pieces
over another, and every pre-activation is the integer numerator of
``(X W + D b) / (D E)`` in a numpy array of Python integers. The argmax over a
unit's pieces compares these numerators, which share their denominator, so
every decision is exact without building one :class:`~fractions.Fraction` per
entry.

:func:`distinct_regions` counts the distinct patterns: the number of activation
regions that hold at least one of the points, an exact lower bound on the
number of regions of any domain holding them.
"""

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from ..errors import UsageError
from ..network import Layer, Network, Pattern
from ..numbers import common_denominator, to_fraction

__all__ = ["point_patterns", "distinct_regions"]


def _integer_points(points: ArrayLike, dim: int) -> tuple[np.ndarray, int]:
    """The points as integer numerators ``(n, dim)`` (Python ints) over one denominator."""
    array = np.asarray(points) if isinstance(points, np.ndarray) else np.asarray(points, dtype=object)
    if array.ndim != 2 or array.shape[1] != dim:
        raise UsageError(f"the points must be an (n, {dim}) array, got shape {array.shape}")
    if array.dtype.kind in "iub":
        return array.astype(object), 1
    if array.dtype.kind == "f":
        return _float_numerators(array.astype(np.float64))
    values = [to_fraction(v, "point coordinate") for v in array.ravel().tolist()]
    den = common_denominator(values)
    ints = np.empty(len(values), dtype=object)
    ints[:] = [v.numerator * (den // v.denominator) for v in values]
    return ints.reshape(array.shape), den


def _float_numerators(array: np.ndarray) -> tuple[np.ndarray, int]:
    # Every float is m * 2**e with an integer m of at most 53 bits: numpy splits them
    # exactly (frexp), and a common power of two is the denominator.
    if not np.isfinite(array).all():
        raise UsageError("the points must be finite numbers, got a NaN or an infinity")
    fraction, exponent = np.frexp(array)
    mantissa = (fraction * 2.0 ** 53).astype(np.int64)
    exponent = np.where(mantissa == 0, 0, exponent.astype(np.int64) - 53)
    low = int(exponent.min())
    numerators = mantissa.astype(object) * (2 ** (exponent - low).astype(object))
    if low >= 0:
        return numerators * 2 ** low, 1
    return _reduced(numerators, 2 ** -low)


def _limbs(values: np.ndarray, bits: int) -> list[np.ndarray]:
    """``values`` (Python ints) as int64 arrays ``L_k`` with ``values = sum L_k 2**(bits k)``."""
    signs = np.where(values < 0, -1, 1).astype(np.int64)
    magnitude = np.abs(values)
    top = int(magnitude.max()).bit_length() if magnitude.size else 0
    mask = (1 << bits) - 1
    return [signs * ((magnitude >> (bits * k)) & mask).astype(np.int64)
            for k in range(max(1, -(-top // bits)))]


def _exact_dot(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    """The exact integer product ``x @ w`` of Python-int arrays, by float products of limbs.

    A product of object arrays costs a Python multiplication per term. With limbs
    of `bits` bits and ``d 2**(2 bits) <= 2**53``, every partial sum of a limb
    product is an integer below ``2**53``, so the float64 (BLAS) product is exact
    in any summation order; the products of one shift are added in int64 (fewer
    than 2**9 of them below 2**53 each, Python ints beyond) and shifted once, exactly, as Python ints.
    """
    bits = (53 - int(x.shape[1]).bit_length()) // 2
    x_limbs, w_limbs = _limbs(x, bits), _limbs(w, bits)
    # At most min(limbs) products share a shift: int64 holds 2**9 of them, else Python ints.
    wide = min(len(x_limbs), len(w_limbs)) >= 1 << 9
    by_shift: dict[int, np.ndarray] = {}
    for i, xi in enumerate(x_limbs):
        for j, wj in enumerate(w_limbs):
            product = (xi.astype(np.float64) @ wj.astype(np.float64)).astype(np.int64)
            product = product.astype(object) if wide else product
            by_shift[i + j] = by_shift[i + j] + product if i + j in by_shift else product
    total = np.zeros((x.shape[0], w.shape[1]), dtype=object)
    for shift, part in by_shift.items():
        total += part.astype(object) * (1 << (bits * shift))
    return total


def _integer_pieces(layer: Layer) -> tuple[np.ndarray, np.ndarray, int, tuple[int, ...]]:
    """``(W, b, E, ranks)``: every piece of every unit as a column of ``W`` (in x pieces)
    and an entry of ``b``, integers over the common denominator ``E``."""
    pieces = [piece for unit in layer.pieces() for piece in unit]
    den = common_denominator([v for w, b in pieces for v in (*w, b)])
    weights = np.empty((layer.input_dim, len(pieces)), dtype=object)
    biases = np.empty(len(pieces), dtype=object)
    for j, (w, b) in enumerate(pieces):
        weights[:, j] = [int(v * den) for v in w]
        biases[j] = int(b * den)
    return weights, biases, den, tuple(len(unit) for unit in layer.pieces())


def _winners(z: np.ndarray, ranks: Sequence[int]) -> tuple[np.ndarray, np.ndarray]:
    """Per unit, the lowest piece of largest value and that value (`z` is points x pieces)."""
    n = len(z)
    if len(set(ranks)) == 1:
        grouped = z.reshape(n, len(ranks), ranks[0])
        best = np.argmax(grouped, axis=2)  # the first maximum: ties to the lowest piece
        return best, np.take_along_axis(grouped, best[:, :, None], 2)[:, :, 0]
    best = np.zeros((n, len(ranks)), dtype=np.int64)
    values = np.empty((n, len(ranks)), dtype=object)
    start = 0
    for u, k in enumerate(ranks):
        best[:, u] = np.argmax(z[:, start:start + k], axis=1)
        values[:, u] = z[np.arange(n), start + best[:, u]]
        start += k
    return best, values


def _reduced(values: np.ndarray, den: int) -> tuple[np.ndarray, int]:
    # Dividing out the common factor keeps the integers from growing layer after layer.
    g = math.gcd(den, *values.ravel().tolist())
    return (values // g, den // g) if g > 1 else (values, den)


def point_patterns(network: Network, points: ArrayLike) -> list[Pattern]:
    """The exact activation pattern of every point, as :meth:`Network.activation_pattern` gives it.

    Parameters
    ----------
    network : Network
    points : array-like ``(n, input_dim)``
        Floats (taken at their exact binary values), integers, Fractions or
        number strings.

    Returns
    -------
    list of patterns
        One pattern per point: a tuple with one tuple of piece indices per
        layer (``()`` for a linear layer); ties go to the lowest piece.

    Raises
    ------
    UsageError
        When the points are not an ``(n, input_dim)`` array of finite numbers.

    Examples
    --------
    >>> from polyregions import Network, ReluLayer
    >>> net = Network(1, [ReluLayer([[1], [-1]], [0, 1])])
    >>> point_patterns(net, [[-1], [0], ["1/2"], [2]])
    [((0, 1),), ((0, 1),), ((1, 1),), ((1, 0),)]
    """
    x, den = _integer_points(points, network.input_dim)
    n = len(x)
    per_layer: list[Any] = []
    for index, layer in enumerate(network.layers):
        if not layer.has_pattern and index == len(network.layers) - 1:
            per_layer.append(None)  # the head's outputs decide nothing here
            break
        weights, biases, layer_den, ranks = layer.derived(_integer_pieces)
        z = _exact_dot(x, weights) + biases * den
        den *= layer_den
        if layer.has_pattern:
            best, x = _winners(z, ranks)
            per_layer.append(best.tolist())
            x, den = _reduced(x, den)
        else:
            x = z
            per_layer.append(None)
    return [tuple(() if rows is None else tuple(rows[i]) for rows in per_layer)
            for i in range(n)]


def distinct_regions(network: Network, points: ArrayLike) -> int:
    """The number of distinct activation patterns of `points`: the regions they meet.

    An exact lower bound on the number of activation regions of any domain
    holding all the points.

    Examples
    --------
    >>> from polyregions import Network, ReluLayer
    >>> net = Network(1, [ReluLayer([[1], [-1]], [0, 1])])
    >>> distinct_regions(net, [[-1], [0], ["1/2"], [2], [3]])
    3
    """
    return len(set(point_patterns(network, points)))
