"""A network made ready for the verification search: float pieces and exact integer pieces.

Every layer is a list of units, each the maximum of its pieces ``p_k(y) =
w_k . y + b_k`` (one piece for the final linear layer). The search needs
each layer twice:

- in float64 (:attr:`PreparedLayer.pieces`), with ``delta``, the relative
  error of the floats against the exact rationals (0 when every weight is a
  float, as in ONNX models), for the proven bounds of
  :mod:`polyregions.verification.forms`;
- as exact integers with one denominator per layer
  (:attr:`PreparedLayer.integer_pieces`), for the exact rows over the input
  that the search splits on and that its proofs state (:func:`input_row`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from fractions import Fraction

import numpy as np
from numpy.typing import NDArray

from ..network import Network
from ..numbers import common_denominator

__all__ = ["PreparedLayer", "prepare_layers", "input_row", "input_row_scaled", "primitive", "float_forward"]

Array = NDArray[np.float64]
Pattern = tuple[tuple[int, ...], ...]


def primitive(row: Sequence[int]) -> tuple[int, ...]:
    """The row divided by the gcd of its entries (a zero row stays zero).

    Examples
    --------
    >>> primitive([4, -6, 0])
    (2, -3, 0)
    """
    g = 0
    for v in row:
        g = math.gcd(g, int(v))
    return tuple(int(v) for v in row) if g in (0, 1) else tuple(int(v) // g for v in row)


class PreparedLayer:
    """One layer: its pieces in float64 and as exact integers.

    Attributes
    ----------
    rank : int
        The number of pieces per unit (2 for ReLU and leaky ReLU, 1 for linear).
    pieces : (rank, units, inputs + 1) float array
        Piece ``k`` of unit ``u`` as ``(b, w)``.
    delta : float
        A bound on the relative error of every float entry (0 when exact).
    difference, difference_delta
        For rank 2: ``p_1 - p_0`` per unit, from the exact difference.
    integer_pieces : (rank, units, inputs + 1) object array of int
        ``denominator`` times the exact pieces.
    denominator : int
    has_pattern : bool

    Examples
    --------
    ``relu(x0 + 2 x1 + 1/3)``: pieces ``0`` and ``1/3 + x0 + 2 x1``, times the denominator 3:

    >>> from polyregions import ReluLayer
    >>> layer = PreparedLayer(ReluLayer([[1, 2]], ["1/3"]).pieces(), has_pattern=True)
    >>> layer.rank, layer.units, layer.denominator, layer.integer_pieces.tolist()
    (2, 1, 3, [[[0, 0, 0]], [[1, 3, 6]]])
    """

    __slots__ = ("rank", "units", "pieces", "delta", "difference", "difference_delta",
                 "integer_pieces", "denominator", "has_pattern", "zero_first")

    def __init__(self, exact: Sequence[Sequence[tuple[Sequence[Fraction], Fraction]]],
                 has_pattern: bool) -> None:
        self.units = len(exact)
        self.rank = len(exact[0])
        rows = [[[b, *w] for w, b in (unit[k] for unit in exact)] for k in range(self.rank)]
        self.pieces, self.delta = _float_array(rows)
        self.denominator = common_denominator(v for piece in rows for row in piece for v in row)
        self.integer_pieces = np.array(
            [[[v.numerator * (self.denominator // v.denominator) for v in row] for row in piece]
             for piece in rows],
            dtype=object)
        self.has_pattern = has_pattern
        #: Whether piece 0 of every unit is the zero function (ReLU).
        self.zero_first = self.rank == 2 and not any(v for row in rows[0] for v in row)
        if self.rank == 2:
            diff = [[a - b for a, b in zip(r1, r0)] for r1, r0 in zip(rows[1], rows[0])]
            self.difference, self.difference_delta = _float_array([diff])
            self.difference = self.difference[0]
        else:  # no difference of two pieces: every row of it is zero, never used
            self.difference, self.difference_delta = np.zeros_like(self.pieces[0]), 0.0


def _is_double(v: Fraction) -> bool:
    """Whether the rational is a float64 exactly (a dyadic number of at most 53 bits, in range)."""
    den = v.denominator
    return den & (den - 1) == 0 and abs(v.numerator).bit_length() <= 53 and den.bit_length() <= 1075


def _float_array(rows: list[list[list[Fraction]]]) -> tuple[Array, float]:
    values = np.array([[[float(v) for v in row] for row in piece] for piece in rows],
                      dtype=np.float64)  # OverflowError beyond the float range
    exact = all(_is_double(v) for piece in rows for row in piece for v in row)
    if not np.all(np.isfinite(values)):
        raise OverflowError("a weight is beyond the float range")
    return values, 0.0 if exact else 2.0 ** -52


def prepare_layers(network: Network) -> tuple[PreparedLayer, ...]:
    """The layers of `network`, made ready for the search.

    Examples
    --------
    >>> from polyregions import Network, ReluLayer, LinearLayer
    >>> layers = prepare_layers(Network(1, [ReluLayer([[1]], ["1/3"]), LinearLayer([[2]], [0])]))
    >>> [layer.rank for layer in layers], layers[0].delta > 0, layers[0].zero_first
    ([2, 1], True, True)
    """
    return tuple(PreparedLayer(layer.pieces(), layer.has_pattern) for layer in network.layers)


def input_row_scaled(layers: Sequence[PreparedLayer], pattern: Pattern, layer: int,
                    row: Sequence[int]) -> tuple[tuple[int, ...], Fraction]:
    """A row over ``(1, y_layer)`` written over ``(1, x)``, and the positive factor it gained.

    Returns ``(r, s)`` with ``r . (1, x) = s * row . (1, y_layer(x))`` wherever the
    layers before `layer` take `pattern`.

    Examples
    --------
    >>> from polyregions import Network, ReluLayer
    >>> layers = prepare_layers(Network(1, [ReluLayer([["1/2"]], [0])]))
    >>> input_row_scaled(layers, ((1,),), 1, [1, 3])      # 1 + 3 y with y = x / 2
    ((2, 3), Fraction(2, 1))
    """
    current = np.array([int(v) for v in row], dtype=object)
    scale = Fraction(1)
    for index in range(layer - 1, -1, -1):
        prepared = layers[index]
        chosen = prepared.integer_pieces[list(pattern[index]), np.arange(prepared.units)] \
            if prepared.has_pattern else prepared.integer_pieces[0]
        head = current[0] * prepared.denominator
        current = current[1:] @ chosen
        current[0] += head
        reduced = primitive(current)
        if any(current):
            scale *= Fraction(prepared.denominator * reduced[_nonzero(reduced)],
                              int(current[_nonzero(reduced)]))
        current = np.array(reduced, dtype=object)
    return tuple(int(v) for v in current), scale


def _nonzero(row: Sequence[int]) -> int:
    return next(i for i, v in enumerate(row) if v)


def input_row(layers: Sequence[PreparedLayer], pattern: Pattern, layer: int,
              row: Sequence[int]) -> tuple[int, ...]:
    """An exact row over ``(1, y_layer)`` written over ``(1, x)``, up to a positive factor.

    ``y_layer`` is the input of layer `layer`; on the set where the layers
    before it take `pattern`, it is an affine function of the input ``x``,
    and so is the row. Rows mean ``r . (1, y) >= 0``: a positive factor keeps
    the meaning, and the result is primitive.

    Examples
    --------
    >>> from polyregions import Network, ReluLayer
    >>> layers = prepare_layers(Network(1, [ReluLayer([[2], [-1]], [1, 0]), ReluLayer([[1, 1]], [0])]))
    >>> input_row(layers, ((1, 0),), 1, [-1, 1, 1])    # -1 + y0 + y1 with y0 = 2x + 1, y1 = 0
    (0, 1)
    """
    return primitive(input_row_scaled(layers, pattern, layer, row)[0])


def float_forward(layers: Sequence[PreparedLayer], x: Array) -> Array:
    """The network's outputs at the float points `x` (rows), in float64: a guess, never a decision.

    Examples
    --------
    >>> from polyregions import Network, ReluLayer, LinearLayer
    >>> layers = prepare_layers(Network(1, [ReluLayer([[1]], [0]), LinearLayer([[2]], [1])]))
    >>> float_forward(layers, np.array([[-1.0], [3.0]])).tolist()
    [[1.0], [7.0]]
    """
    y = np.atleast_2d(x)
    for prepared in layers:
        values = prepared.pieces[:, :, 0][:, None, :] + np.einsum("kui,pi->kpu",
                                                                  prepared.pieces[:, :, 1:], y)
        y = values.max(axis=0)
    return y
