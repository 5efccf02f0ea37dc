"""Symbolic bounds of the network's outputs on a search node, with proven float errors.

On a node of the search the layers before ``l`` have a fixed pattern, so the
input ``y_l`` of layer ``l`` is an exact affine function of ``x`` (a form
of :mod:`polyregions.verification.forms`). From there every unit's output is
bounded by a lower and an upper affine function of ``x`` (the symbolic
intervals of ReluVal and the linear relaxation of DeepPoly), layer by layer:

- an affine function of bounded inputs takes its lower form from the lower
  forms where the weight is positive and the upper ones where it is negative;
- a unit with pieces ``p_k`` whose winner is known (decided on the node, or
  proven by the concrete bounds: ``p_1 - p_0 >= 0`` or ``<= 0`` on the box
  for two pieces, ``p_k`` above every other piece for more) outputs that piece;
- otherwise, with two pieces, ``max(p_0, p_1) = p_0 + relu(d)``, ``d = p_1 - p_0``
  in ``[dl, du]``: the upper form is ``p_0 + lam (d - dl)`` with
  ``lam >= du / (du - dl)`` (the chord; rounded up, and its constant rounded
  up, it stays above), the lower form is ``p_a`` for the piece ``a`` the code
  names (any single piece is below the maximum); with more pieces the upper
  form is the constant ``max_k`` of the pieces' upper bounds.

The choices per unit are the *codes* a proof records (:func:`relax`): a
digit ``k`` for a unit whose piece ``k`` is proven to win, a letter
``"a" + k`` for a unit relaxed with lower piece ``k``, and ``"."`` for a unit
decided on the node itself. A verifier that redoes the relaxation in exact
arithmetic with the same codes gets bounds at least as tight: exact concrete
bounds lie inside the float ones, a chord over a smaller interval lies below,
and every step is monotone in its inputs' bounds.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np
from numpy.typing import NDArray

from .forms import UNIT, FloatBox, combine, lower, upper
from .layers import PreparedLayer

__all__ = ["Bounds", "exact_bounds", "relax", "affine_image", "output_rows"]

Array = NDArray[np.float64]


class Bounds:
    """Lower and upper forms of some functions: ``low - e_low <= f <= up + e_up`` on the box."""

    __slots__ = ("low", "low_err", "up", "up_err")

    def __init__(self, low: Array, low_err: Array, up: Array, up_err: Array) -> None:
        self.low, self.low_err, self.up, self.up_err = low, low_err, up, up_err


def exact_bounds(forms: Array, errors: Array) -> Bounds:
    """The bounds of functions known up to their form's error (lower form = upper form)."""
    return Bounds(forms, errors, forms, errors)


def _with_constant(bounds: Bounds, box: FloatBox) -> tuple[Array, Array]:
    """The stacked forms ``[1; low; up]`` that an affine image combines."""
    one = np.zeros((1, box.dim + 1))
    one[0, 0] = 1.0
    return (np.vstack([one, bounds.low, bounds.up]),
            np.concatenate([[0.0], bounds.low_err, bounds.up_err]))


def affine_image(weights: Array, delta: float, bounds: Bounds, box: FloatBox) -> Bounds:
    """Bounds of ``w . y + b`` for the rows ``(b, w)`` of `weights`, from bounds of ``y``.

    Examples
    --------
    >>> from fractions import Fraction
    >>> box = FloatBox([Fraction(0)], [Fraction(1)])
    >>> x = exact_bounds(np.array([[0.0, 1.0]]), np.zeros(1))      # y = x
    >>> out = affine_image(np.array([[1.0, -2.0]]), 0.0, x, box)   # 1 - 2x
    >>> out.low.tolist(), out.up.tolist()
    ([[1.0, -2.0]], [[1.0, -2.0]])
    """
    stacked, errors = _with_constant(bounds, box)
    bias, w = weights[:, :1], weights[:, 1:]
    positive, negative = np.maximum(w, 0.0), np.minimum(w, 0.0)
    low_p = np.hstack([bias, positive, negative])
    low, low_err = combine(low_p, stacked, errors, box, delta)
    if bounds.low is bounds.up:
        return Bounds(low, low_err, low, low_err)
    up, up_err = combine(np.hstack([bias, negative, positive]), stacked, errors, box, delta)
    return Bounds(low, low_err, up, up_err)


def _rows(bounds: Bounds, index: Sequence[int] | NDArray[np.intp]) -> Bounds:
    return Bounds(bounds.low[index], bounds.low_err[index], bounds.up[index], bounds.up_err[index])


def _chord(d: Bounds, dl: Array, du: Array, box: FloatBox) -> tuple[Array, Array]:
    """Upper forms ``lam d + c`` above ``relu(d)`` for ``d`` in ``[dl, du]``, ``dl < 0 < du``."""
    width = np.nextafter(du - dl, 0.0)  # rounded down, so the slope rounds up
    lam = np.nextafter(du / width, math.inf)
    const = np.nextafter(-lam * dl, math.inf)
    forms = lam[:, None] * d.up
    forms[:, 0] += const
    # Each entry is one product and at most one sum: two roundings of at most
    # u |entry| each, bounded over the box like any form.
    size = (np.abs(lam[:, None] * d.up) @ box.magnitude + np.abs(const))
    err = (lam * d.up_err + size * 4.0 * UNIT) * (1.0 + 8.0 * UNIT) + 2.0 ** -1000
    return forms, err


def _unit_codes(layer: PreparedLayer, pieces: list[Bounds], decided: Mapping[int, int],
                box: FloatBox, d: Bounds | None) -> list[str]:
    codes = []
    if layer.rank == 2:
        assert d is not None
        dl, du = lower(d.low, d.low_err, box), upper(d.up, d.up_err, box)
        for u in range(layer.units):
            if u in decided:
                codes.append(".")
            elif dl[u] >= 0:
                codes.append("1")
            elif du[u] <= 0:
                codes.append("0")
            else:  # the DeepPoly choice of the lower piece
                codes.append("b" if du[u] > -dl[u] else "a")
        return codes
    lows = np.array([lower(p.low, p.low_err, box) for p in pieces])
    ups = np.array([upper(p.up, p.up_err, box) for p in pieces])
    for u in range(layer.units):
        if u in decided:
            codes.append(".")
            continue
        best = int(np.argmax(lows[:, u]))
        others = np.delete(ups[:, u], best)
        codes.append(str(best) if lows[best, u] >= others.max() else chr(ord("a") + best))
    return codes


def relax_layer(layer: PreparedLayer, inputs: Bounds, decided: Mapping[int, int],
                box: FloatBox) -> tuple[Bounds, str]:
    """The bounds of one layer's outputs from bounds of its inputs, and the codes used."""
    if layer.zero_first:  # ReLU: p_1 is the difference, p_0 is zero
        d = affine_image(layer.difference, layer.difference_delta, inputs, box)
        zero, no_error = np.zeros_like(d.low), np.zeros_like(d.low_err)
        pieces = [Bounds(zero, no_error, zero, no_error), d]
    else:
        pieces = [affine_image(layer.pieces[k], layer.delta, inputs, box)
                  for k in range(layer.rank)]
        if layer.rank == 1:
            return pieces[0], ""
        d = affine_image(layer.difference, layer.difference_delta, inputs, box) \
            if layer.rank == 2 else None
    codes = _unit_codes(layer, pieces, decided, box, d)
    low, low_err = np.empty_like(pieces[0].low), np.empty_like(pieces[0].low_err)
    up, up_err = np.empty_like(pieces[0].up), np.empty_like(pieces[0].up_err)
    relaxed = []
    for u, code in enumerate(codes):
        if code == "." or code.isdigit():
            k = decided[u] if code == "." else int(code)
            low[u], low_err[u] = pieces[k].low[u], pieces[k].low_err[u]
            up[u], up_err[u] = pieces[k].up[u], pieces[k].up_err[u]
        else:
            a = ord(code) - ord("a")
            low[u], low_err[u] = pieces[a].low[u], pieces[a].low_err[u]
            relaxed.append(u)
    if relaxed:
        index = np.array(relaxed)
        if layer.rank == 2:
            assert d is not None
            part = _rows(d, index)
            dl = lower(part.low, part.low_err, box)
            du = upper(part.up, part.up_err, box)
            chord, chord_err = _chord(part, dl, du, box)
            if layer.zero_first:
                up[index], up_err[index] = chord, chord_err
            else:
                base = _rows(pieces[0], index)
                up[index] = base.up + chord
                size = np.abs(up[index]) @ box.magnitude
                up_err[index] = base.up_err + chord_err + size * 2.0 * UNIT + 2.0 ** -1000
        else:
            top = np.max([upper(p.up[index], p.up_err[index], box) for p in pieces], axis=0)
            up[index] = 0.0
            up[index, 0] = top
            up_err[index] = 0.0
    return Bounds(low, low_err, up, up_err), "".join(codes)


def relax(layers: Sequence[PreparedLayer], start: int, inputs: Bounds,
          decided: Mapping[int, int], box: FloatBox) -> tuple[Bounds, list[str]]:
    """Bounds of the network's outputs from exact forms of the input of layer `start`.

    Returns the output bounds and one code string per layer from `start` on
    (empty for the linear output layer).
    """
    codes = []
    bounds = inputs
    for index in range(start, len(layers)):
        bounds, code = relax_layer(layers[index], bounds, decided if index == start else {}, box)
        codes.append(code)
    return bounds, codes


def output_rows(rows: Array, delta: float, outputs: Bounds, box: FloatBox) -> tuple[Array, Array]:
    """Upper forms of ``c . (1, x, y)`` for the rows `c`, from bounds of the outputs ``y``."""
    n = box.dim
    stacked = np.vstack([np.eye(n + 1), outputs.low, outputs.up])
    errors = np.concatenate([np.zeros(n + 1), outputs.low_err, outputs.up_err])
    cy = rows[:, n + 1:]
    multipliers = np.hstack([rows[:, :n + 1], np.minimum(cy, 0.0), np.maximum(cy, 0.0)])
    return combine(multipliers, stacked, errors, box, delta)
