"""Lagrangian bounds over a search node: float LPs propose, proven bounds decide.

A node of the search is the polytope ``S = {x in box : h_k(x) >= 0}`` (the
case's input constraints and the rows the search split on). For functions
``g_i`` with ``g_i <= U_i`` on ``S`` and multipliers ``w >= 0`` (any), on ``S``

    sum_i w_i U_i(x) <= sum_i w_i U_i(x) + sum_k w_k h_k(x) <= max over the box of G,

with ``G = sum_i w_i U_i + sum_k w_k h_k`` an affine function: its maximum
over a box is exact arithmetic on its coefficients (or a proven float bound of
it, :func:`polyregions.verification.forms.upper`). When that maximum is
negative, no point of ``S`` has every ``U_i >= 0``: the constraints
``g_i >= 0`` are refuted on ``S`` (and ``S`` is empty when only the ``h_k``
carry weight). The multipliers only have to be good, not right: they come
from HiGHS (through ``scipy.optimize.linprog``) maximizing ``t`` subject to
``U_i(x) >= t`` and ``h_k(x) >= t``, whose duals are the weights of the best
such bound. The same LP gives the point where the bound is weakest, which
the search tries as a counterexample.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from fractions import Fraction
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import linprog

from .forms import UNIT, FloatBox, combine, lower, upper

__all__ = ["Constraints", "Refutation", "refute", "prove_nonnegative", "bound_on_node", "float_rows"]

Array = NDArray[np.float64]


def float_rows(rows: Sequence[Sequence[int]], box: FloatBox
               ) -> tuple[Array, Array, tuple[Fraction, ...]]:
    """Forms of exact integer rows, each scaled by a power of two into the float range.

    Returns the forms, their errors and the exact scale of each row (the form
    stands for ``scale * row``). The scale is a power of two below the largest
    entry, so every scaled entry is below 1. An entry is first cut to its bits
    above ``2^(shift - 62)`` (so that huge integers convert), which moves it by
    less than ``2^-62`` after scaling, then rounded once to a float (at most
    ``u`` times itself): each row's error bounds both over the box.

    Examples
    --------
    >>> forms, errors, scales = float_rows([(3, -2**40)], FloatBox([0], [1]))
    >>> forms.tolist(), bool(errors[0] < 1e-15), scales
    ([[1.3642420526593924e-12, -0.5]], True, (Fraction(1, 2199023255552),))
    """
    n = box.dim + 1
    forms = np.zeros((len(rows), n))
    cuts = np.zeros(len(rows))
    scales = []
    for i, row in enumerate(rows):
        shift = max((abs(int(v)).bit_length() for v in row), default=0)
        cut = max(0, shift - 62)
        forms[i] = [math.ldexp(float(int(v) >> cut if v >= 0 else -(-int(v) >> cut)), cut - shift)
                    for v in row]
        cuts[i] = 2.0 ** -62 if cut else 0.0
        scales.append(Fraction(1, 1 << shift))
    rounding = (np.abs(forms) @ box.magnitude) * (2.0 * UNIT)
    errors = (rounding + cuts * box.magnitude.sum()) * (1.0 + 8.0 * UNIT) + 2.0 ** -1000
    return forms, errors, tuple(scales)


class Constraints:
    """The exact rows ``h . (1, x) >= 0`` of a node, with their forms (shared, never changed).

    Form ``k`` stands for ``scales[k] * rows[k]``: a multiplier ``w`` of the
    form is the exact multiplier ``w * scales[k]`` of the integer row.

    Examples
    --------
    The node ``x >= 1/2`` of the box ``[-1, 1]``, as the integer row ``-1 + 2 x >= 0``:

    >>> rows = Constraints.of([(-1, 2)], FloatBox([-1], [1]))
    >>> len(rows), rows.rows
    (1, ((-1, 2),))
    """

    __slots__ = ("rows", "forms", "errors", "scales")

    def __init__(self, rows: tuple[tuple[int, ...], ...], forms: Array, errors: Array,
                 scales: tuple[Fraction, ...]) -> None:
        self.rows, self.forms, self.errors, self.scales = rows, forms, errors, scales

    @classmethod
    def of(cls, rows: Sequence[Sequence[int]], box: FloatBox) -> Constraints:
        """The constraints of exact rows."""
        forms, errors, scales = float_rows(rows, box)
        return cls(tuple(tuple(int(v) for v in r) for r in rows), forms, errors, scales)

    def adding(self, rows: Sequence[Sequence[int]], box: FloatBox) -> Constraints:
        """These constraints and more rows, after them."""
        forms, errors, scales = float_rows(rows, box)
        return Constraints(self.rows + tuple(tuple(r) for r in rows),
                           np.vstack([self.forms, forms]), np.concatenate([self.errors, errors]),
                           self.scales + scales)

    def exact(self, weights: Sequence[float]) -> tuple[Fraction, ...]:
        """The exact multipliers of the integer rows for float multipliers of the forms."""
        return tuple(Fraction(w) * s for w, s in zip(weights, self.scales))

    def __len__(self) -> int:
        return len(self.rows)


class Refutation:
    """What one LP over a node found.

    Attributes
    ----------
    refuted : bool
        Proven: no point of the node has every ``U_i >= 0``.
    weights : tuple of float
        The multipliers of the ``U_i`` (first) and the node's rows (after).
    point : float array or None
        The LP's best point, a candidate counterexample (None when the LP failed).
    margin : float
        The LP's optimal ``t`` (NaN when it failed).

    Examples
    --------
    No point of ``[0, 1]`` has ``x - 2 >= 0``; ``x >= 1/2`` has one:

    >>> import numpy as np
    >>> box = FloatBox([0], [1])
    >>> none = Constraints.of([], box)
    >>> refute(np.array([[-2.0, 1.0]]), np.zeros(1), none, box).refuted
    True
    >>> refute(np.array([[-0.5, 1.0]]), np.zeros(1), none, box).refuted
    False
    """

    __slots__ = ("refuted", "weights", "point", "margin")

    def __init__(self, refuted: bool, weights: tuple[float, ...], point: Array | None,
                 margin: float) -> None:
        self.refuted, self.weights, self.point, self.margin = refuted, weights, point, margin


def _scales(forms: Array) -> Array:
    top = np.abs(forms).max(axis=1)
    return np.where(top > 0, 1.0 / np.where(top > 0, top, 1.0), 1.0)


def _solve(forms: Array, box: FloatBox, objective: Array, with_margin: bool) -> Any:
    """HiGHS on ``forms . (1, x) >= t`` (or ``>= 0``), x in the box."""
    scaled = forms * _scales(forms)[:, None]
    a = -scaled[:, 1:]
    if with_margin:
        a = np.hstack([a, np.ones((len(forms), 1))])
    bounds = list(zip(box.lo.tolist(), box.hi.tolist())) + ([(None, 1.0)] if with_margin else [])
    try:
        return linprog(objective, A_ub=a if len(forms) else None,
                       b_ub=scaled[:, 0] if len(forms) else None, bounds=bounds, method="highs")
    except (ValueError, OverflowError):
        return None


def refute(uppers: Array, upper_errors: Array, constraints: Constraints, box: FloatBox
           ) -> Refutation:
    """Try to prove that no point of the node has every ``U_i >= 0``.

    Parameters
    ----------
    uppers, upper_errors : arrays
        The forms ``U_i`` (upper bounds of the functions that must be >= 0).
    constraints : Constraints
    box : FloatBox

    Examples
    --------
    >>> box = FloatBox([0], [1])
    >>> none = Constraints.of([], box)
    >>> refute(np.array([[-2.0, 1.0]]), np.zeros(1), none, box).refuted       # x - 2 >= 0
    True
    >>> found = refute(np.array([[-0.5, 1.0]]), np.zeros(1), none, box)       # x >= 1/2
    >>> found.refuted, float(found.point[0]) >= 0.5
    (False, True)
    """
    forms = np.vstack([uppers, constraints.forms])
    errors = np.concatenate([upper_errors, constraints.errors])
    objective = np.zeros(box.dim + 1)
    objective[-1] = -1.0
    result = _solve(forms, box, objective, True)
    if result is None or result.status != 0:
        return Refutation(False, (), None, math.nan)
    weights = np.maximum(-np.asarray(result.ineqlin.marginals), 0.0) * _scales(forms)
    margin = -float(result.fun)
    bound = upper(*combine(weights[None, :], forms, errors, box), box)[0]
    return Refutation(bool(bound < 0), tuple(weights.tolist()), np.asarray(result.x[:-1]), margin)


def bound_on_node(form: Array, error: float, constraints: Constraints, box: FloatBox
                  ) -> tuple[float, tuple[float, ...]]:
    """A proven lower bound of ``f`` on the node, and the multipliers that prove it.

    ``f - sum_k mu_k h_k`` is below ``f`` on the node (``h_k >= 0`` there), so
    its proven lower bound over the box bounds ``f`` on the node; HiGHS
    minimizing ``f`` on the node gives the ``mu`` that make it the best.
    Returns ``(-inf, ())`` when the LP fails.

    Examples
    --------
    >>> box = FloatBox([-1], [1])
    >>> rows = Constraints.of([(-1, 2)], box)                # x >= 1/2
    >>> low, mu = bound_on_node(np.array([0.0, 1.0]), 0.0, rows, box)
    >>> 0.4999 < low <= 0.5, mu
    (True, (2.0,))
    """
    scales = _scales(constraints.forms)
    result = _solve(constraints.forms, box, form[1:], False)
    if result is None or result.status != 0:
        return -math.inf, ()
    mu = np.maximum(-np.asarray(result.ineqlin.marginals), 0.0) * scales
    stacked = np.vstack([form[None, :], constraints.forms])
    errors = np.concatenate([[error], constraints.errors])
    low = lower(*combine(np.concatenate([[1.0], -mu])[None, :], stacked, errors, box), box)[0]
    return float(low), tuple(mu.tolist())


def prove_nonnegative(form: Array, error: float, constraints: Constraints, box: FloatBox
                      ) -> tuple[float, ...] | None:
    """Multipliers proving ``f >= 0`` on the node (:func:`bound_on_node`), or None.

    Examples
    --------
    >>> box = FloatBox([-1], [1])
    >>> rows = Constraints.of([(0, 1)], box)                    # x >= 0
    >>> prove_nonnegative(np.array([0.5, 1.0]), 0.0, rows, box)  # x + 1/2 >= 0 there
    (2.0,)
    >>> prove_nonnegative(np.array([0.0, 1.0]), 0.0, rows, box) is None  # a tie: floats cannot
    True
    """
    if not len(constraints):
        return None
    low, mu = bound_on_node(form, error, constraints, box)
    return mu if low >= 0 else None
