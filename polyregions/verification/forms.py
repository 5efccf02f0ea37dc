"""Affine forms in floating point with a proven error bound: the sound bounds of ``check``.

A *form* is a float64 matrix ``A`` (one row per function, column 0 the
constant) and an error vector ``e >= 0``; it stands for functions ``f_j`` of
the input ``x`` that satisfy, for every ``x`` in the float box ``[lo, hi]``,
``abs(f_j(x) - A_j . (1, x)) <= e_j``, where ``A_j . (1, x)`` is evaluated in
exact arithmetic on the float entries.
The search of :mod:`polyregions.verification.search` proves its pruning and
stability decisions with these bounds, so they are decided in floats without
being guesses.

**The rounding argument.** With unit roundoff ``u = 2^-53`` and
``gamma_k = k u / (1 - k u)``, a float dot product of length ``k`` computed
in any order (BLAS, fused multiply-adds included) satisfies
``|fl(a . b) - a . b| <= gamma_k |a| . |b|`` (Higham, *Accuracy and Stability
of Numerical Algorithms*, 2nd ed., section 3.1, which holds for every
summation order), barring overflow and underflow. So:

- :func:`combine` computes ``B = fl(P A)`` for multipliers ``P`` that stand
  for exact ones within ``delta |P|``. For ``g = P* f``::

      |g(x) - B . (1, x)| <= (gamma_m + delta) (|P| |A|) . (1, |x|)
                             + (1 + delta) |P| e

  since ``P* f = P A + (P* - P) A + P* (f - A)``, entry by entry.
- :func:`upper` and :func:`lower` concretize a row over the box: the exact
  maximum of ``A_j . (1, x)`` is ``A_j0 + sum max(A_ji lo_i, A_ji hi_i)``;
  its float evaluation is off by at most ``gamma_{n+1} |A_j| . (1, |x|)``.

Every error term is itself a float computation of non-negative numbers, each
rounding at most a factor ``1 - u`` low; :func:`_inflate` multiplies by
``1 + 2 (k + 3) u`` for ``k`` roundings, which covers them and its own
rounding while ``k u < 1/4``. Results are widened by one unit in the last
place (``numpy.nextafter``) after the final addition. Underflow adds at most
``2^-1075`` absolute error per operation, covered by :data:`TINY` per row;
overflow is seen as a non-finite value, and a bound that is not finite is
never used to decide (:func:`upper` returns ``inf``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from fractions import Fraction

import numpy as np
from numpy.typing import NDArray

__all__ = ["FloatBox", "combine", "upper", "lower", "exact_float", "gamma", "TINY", "UNIT"]

Array = NDArray[np.float64]

UNIT = 2.0 ** -53
"""The unit roundoff of float64."""

TINY = 2.0 ** -1000
"""An absolute term per row that covers underflow in every operation of one bound."""


def gamma(k: int) -> float:
    """``gamma_k = k u / (1 - k u)``, rounded up (it is used as an upper bound).

    Examples
    --------
    >>> gamma(1) > 2.0 ** -53
    True
    """
    ku = k * UNIT
    return float(np.nextafter(ku / (1.0 - ku), math.inf))


def _inflate(values: Array, roundings: int) -> Array:
    """Non-negative float results of ``roundings`` roundings, raised to cover them."""
    return values * (1.0 + 2.0 * (roundings + 3) * UNIT) + TINY


def exact_float(value: Fraction | int, direction: float) -> float:
    """The float next to an exact value on the side of `direction` (``-inf`` or ``inf``).

    Examples
    --------
    >>> exact_float(Fraction(1, 3), -math.inf) <= Fraction(1, 3) <= exact_float(Fraction(1, 3), math.inf)
    True
    >>> exact_float(Fraction(1, 2), math.inf)
    0.5
    """
    f = float(value)
    if direction > 0 and Fraction(f) < value:
        f = float(np.nextafter(f, math.inf))
    elif direction < 0 and Fraction(f) > value:
        f = float(np.nextafter(f, -math.inf))
    return f


class FloatBox:
    """A float box containing an exact one: ``lo <= exact lower``, ``hi >= exact upper``.

    Parameters
    ----------
    lower, upper : sequence of Fraction
        The exact box.

    Examples
    --------
    >>> box = FloatBox([Fraction(-1, 3)], [Fraction(1, 3)])
    >>> bool(box.lo[0] <= -1/3 and box.hi[0] >= 1/3), box.dim
    (True, 1)
    """

    __slots__ = ("lo", "hi", "magnitude", "dim")

    def __init__(self, lower: Sequence[Fraction], upper: Sequence[Fraction]) -> None:
        self._set(np.array([exact_float(v, -math.inf) for v in lower], dtype=np.float64),
                  np.array([exact_float(v, math.inf) for v in upper], dtype=np.float64))

    def _set(self, lo: Array, hi: Array) -> None:
        self.lo, self.hi = lo, hi
        #: ``(1, max(|lo|, |hi|))``: the weights of a row's magnitude over the box.
        self.magnitude = np.concatenate(([1.0], np.maximum(np.abs(lo), np.abs(hi))))
        self.dim = len(lo)

    def shrunk(self, lo: Array, hi: Array) -> FloatBox:
        """The box with sides moved in to `lo` and `hi` where they are tighter."""
        box = FloatBox.__new__(FloatBox)
        box._set(np.maximum(self.lo, lo), np.minimum(self.hi, hi))
        return box


def magnitudes(forms: Array, errors: Array, box: FloatBox) -> Array:
    """Upper bounds of ``|f_j(x)|`` over the box for the functions of a form."""
    return _inflate(np.abs(forms) @ box.magnitude, box.dim + 1) + errors


def combine(multipliers: Array, forms: Array, errors: Array, box: FloatBox,
            delta: float = 0.0, sizes: Array | None = None) -> tuple[Array, Array]:
    """The form of ``P* f`` from the form ``(forms, errors)`` of ``f``.

    Parameters
    ----------
    multipliers : (k, m) float array
        ``P``, standing for exact multipliers ``P*`` with ``|P* - P| <= delta |P|``.
    forms : (m, n + 1) float array
    errors : (m,) float array
    box : FloatBox
    delta : float
        0 when ``P`` is exact.
    sizes : (m,) float array, optional
        Upper bounds of ``|f_j|`` over the box, when they are smaller than
        ``|A_j| . (1, |x|) + e_j`` (used only with ``delta > 0``).

    Returns
    -------
    forms, errors : arrays
        The new form: its rows and their error bounds.

    Examples
    --------
    >>> box = FloatBox([0], [1])
    >>> rows, err = combine(np.array([[1.0, 1.0]]), np.array([[0.1, 1.0], [0.2, 0.0]]),
    ...                     np.zeros(2), box)
    >>> rows.tolist(), bool(err[0] < 1e-15)
    ([[0.30000000000000004, 1.0]], True)
    """
    result = multipliers @ forms
    size = np.abs(multipliers)
    scale = np.abs(forms) @ box.magnitude  # |A| . (1, |x|), one entry per function
    m = forms.shape[0]
    rounding = _inflate(size @ scale, m + box.dim + 2) * (gamma(m) + delta)
    spread = _inflate(size @ errors, m) * (1.0 + delta)
    if delta:
        used = magnitudes(forms, errors, box) if sizes is None else sizes
        rounding = rounding + _inflate(size @ used, m) * delta
    return result, _inflate(rounding + spread, 2)


def _extreme(forms: Array, box: FloatBox, top: bool) -> Array:
    pick = np.maximum if top else np.minimum
    return forms[:, 0] + pick(forms[:, 1:] * box.lo, forms[:, 1:] * box.hi).sum(axis=1)


def upper(forms: Array, errors: Array, box: FloatBox) -> Array:
    """Proven upper bounds of each function of the form over the box.

    Examples
    --------
    >>> box = FloatBox([-1, 0], [1, 2])
    >>> bool(upper(np.array([[1.0, 2.0, -1.0]]), np.zeros(1), box)[0] >= 3.0)
    True
    """
    with np.errstate(over="ignore", invalid="ignore"):  # an overflow is an infinite bound
        value = _extreme(forms, box, True)
        slack = _inflate(gamma(box.dim + 1) * (np.abs(forms) @ box.magnitude) + errors,
                         box.dim + 3)
        bound = np.nextafter(value + slack, math.inf)
    return np.where(np.isfinite(bound), bound, math.inf)


def lower(forms: Array, errors: Array, box: FloatBox) -> Array:
    """Proven lower bounds of each function of the form over the box.

    Examples
    --------
    >>> box = FloatBox([-1, 0], [1, 2])
    >>> bool(lower(np.array([[1.0, 2.0, -1.0]]), np.zeros(1), box)[0] <= -3.0)
    True
    """
    return -upper(-forms, errors, box)
