"""Exact linear programming: float proposals confirmed by exact certificates, and an exact simplex.

This module is the one home of the LP decisions of the verification queries.

The problem form
----------------
Variables ``x`` in ``R^n`` lie in a box ``lower_j <= x_j <= upper_j`` whose
sides are Fractions or None (no bound on that side). A *row*
``r = (r_0, r_1, ..., r_n)`` means ``r_0 + r . x >= 0``, or ``> 0`` when it is
*strict*. An *objective* ``c = (c_0, c_1, ..., c_n)`` is maximized as
``c_0 + c . x``. :class:`LinearProgram` holds the rows and the box.

:func:`maximize` works on the closure: a strict row counts as ``>= 0``, so its
answer is the supremum over the closure of the set (the closure of a non-empty
set cut by strict rows has the same supremum; a set that is empty only
because of its strict rows is reported feasible). :func:`feasible_point` is
the test that honours strictness.

Certificates
------------
Each answer carries a certificate that anyone can check by weak duality
(:func:`check_certificate`). Write ``y`` for multipliers over the rows and, for a linear part ``e``,
``boxmax(e)`` for the largest value of ``e . x`` over the box
(``e_j upper_j`` where ``e_j > 0``, ``e_j lower_j`` where ``e_j < 0``; it
exists only when those sides are finite).

* ``"optimal"``: a point ``x`` satisfying every row and the box, and
  ``y >= 0`` with reduced costs ``d = c + sum_i y_i r_i`` (linear parts) such
  that ``c_0 + sum_i y_i r_i0 + boxmax(d) = c_0 + c . x``. The left side bounds
  the objective everywhere on the set: ``c . z = d . z - sum_i y_i r_i . z``
  and ``-r_i . z <= r_i0``. So ``c = -sum_i y_i r_i + d``, ``d`` the box part.
* ``"infeasible"``: ``y >= 0`` (a Farkas vector) with
  ``sum_i y_i r_i0 + boxmax(sum_i y_i r_i) < 0``: every point of the box has
  ``sum_i y_i (r_i0 + r_i . x) < 0``, so some row fails there.
* ``"unbounded"``: a point ``x`` of the set and a ray ``d`` with
  ``r_i . d >= 0`` for every row, ``d_j > 0`` only where ``upper_j`` is None,
  ``d_j < 0`` only where ``lower_j`` is None, and ``c . d > 0``.

How :func:`maximize` decides
----------------------------
HiGHS (through :func:`scipy.optimize.linprog`) proposes an answer in floats.
The optimal active set is guessed from it (rows with tiny slack or a non-zero
dual, variables at a bound), the active system is solved exactly (only the
active rows and the variables off their bounds are unknowns, so a box of 784
inputs with 20 rows stays cheap) and the certificate is checked exactly.
Infeasible and unbounded proposals are confirmed by solving small auxiliary
programs whose optimum carries the Farkas vector or the ray. Whatever is not
confirmed is decided by :func:`maximize_reference`, a bounded exact simplex
with Bland's rule in Fractions. No answer is returned unconfirmed.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from fractions import Fraction
from typing import TYPE_CHECKING, Any, Literal, NamedTuple, TypeAlias

from ..errors import DomainError, UsageError
from ..immutable import Immutable, SlotValue
from ..numbers import to_fraction_or

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

__all__ = ["LinearProgram", "LPResult", "maximize", "maximize_reference", "feasible_point",
           "check_certificate"]

Status: TypeAlias = Literal["optimal", "unbounded", "infeasible"]
Vector: TypeAlias = tuple[Fraction, ...]
Bound: TypeAlias = "Fraction | None"


class LinearProgram(Immutable):
    """The set ``{x : lower <= x <= upper, r_0 + r . x >= 0 (> 0 if strict) for every row}``.

    Parameters
    ----------
    rows : sequence of sequences of numbers
        Each row ``(r_0, r_1, ..., r_n)``; numbers as :func:`~polyregions.numbers.to_fraction`.
    lower, upper : sequences of numbers or None
        The box, one entry per variable; None leaves that side unbounded.
    strict : sequence of bool, optional
        Which rows are strict (``> 0``); none by default.

    Raises
    ------
    UsageError
        When the lengths disagree or a number cannot be read.
    DomainError
        When a lower bound exceeds its upper bound (the box is empty).

    Examples
    --------
    >>> lp = LinearProgram([(1, -1, -1)], [0, 0], [None, 2])  # x, y >= 0, y <= 2, x + y <= 1
    >>> lp.dim, lp.rows, lp.upper
    (2, ((Fraction(1, 1), Fraction(-1, 1), Fraction(-1, 1)),), (None, Fraction(2, 1)))
    >>> LinearProgram([(1, 2)], [0, 0], [1, 1])
    Traceback (most recent call last):
    ...
    polyregions.errors.UsageError: row 0 has 2 entries, expected 3 (r_0 and 2 coefficients)
    """

    __slots__ = ("dim", "rows", "lower", "upper", "strict", "_integer_rows")
    dim: int
    rows: tuple[Vector, ...]
    lower: tuple[Bound, ...]
    upper: tuple[Bound, ...]
    strict: tuple[bool, ...]
    _integer_rows: tuple[tuple[tuple[int, ...], int], ...]

    def __init__(self, rows: Iterable[Iterable[object]], lower: Iterable[object],
                 upper: Iterable[object], strict: Iterable[bool] | None = None) -> None:
        low = tuple(_bound(v, f"lower bound of x_{j}") for j, v in enumerate(lower))
        up = tuple(_bound(v, f"upper bound of x_{j}") for j, v in enumerate(upper))
        if len(low) != len(up):
            raise UsageError(f"{len(low)} lower bounds but {len(up)} upper bounds")
        if not low:
            raise UsageError("a linear program needs at least one variable")
        for j, (lo, hi) in enumerate(zip(low, up)):
            if lo is not None and hi is not None and lo > hi:
                raise DomainError(f"empty box: lower bound {lo} exceeds upper bound {hi} of x_{j}")
        exact = tuple(_vector(r, len(low), f"row {i}") for i, r in enumerate(rows))
        flags = (False,) * len(exact) if strict is None else tuple(bool(s) for s in strict)
        if len(flags) != len(exact):
            raise UsageError(f"{len(flags)} strict flags for {len(exact)} rows")
        for name, value in (("dim", len(low)), ("rows", exact), ("lower", low), ("upper", up),
                            ("strict", flags),
                            ("_integer_rows", tuple(_integer_form(r) for r in exact))):
            object.__setattr__(self, name, value)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, LinearProgram):
            return NotImplemented
        return (self.rows, self.lower, self.upper, self.strict) == (
            other.rows, other.lower, other.upper, other.strict)

    def __hash__(self) -> int:
        return hash((self.rows, self.lower, self.upper, self.strict))

    def __repr__(self) -> str:
        return f"LinearProgram(<{len(self.rows)} rows in {self.dim} variables>)"


class LPResult(SlotValue):
    """The exact answer of :func:`maximize`, with its certificate.

    Attributes
    ----------
    status : {"optimal", "unbounded", "infeasible"}
    value : Fraction or None
        The optimum (None unless optimal).
    point : tuple of Fraction or None
        A maximizer when optimal, a point of the set when unbounded.
    multipliers : tuple of Fraction or None
        One per row: the dual multipliers when optimal, a Farkas vector when infeasible.
    ray : tuple of Fraction or None
        An improving direction when unbounded.

    Examples
    --------
    >>> lp = LinearProgram([(1, -1)], [0], [None])           # 0 <= x <= 1
    >>> result = maximize(lp, (0, 2))                        # maximize 2x
    >>> result.status, result.value, result.point, result.multipliers
    ('optimal', Fraction(2, 1), (Fraction(1, 1),), (Fraction(2, 1),))
    """

    __slots__ = ("status", "value", "point", "multipliers", "ray")
    status: Status
    value: Fraction | None
    point: Vector | None
    multipliers: Vector | None
    ray: Vector | None

    def __init__(self, status: Status, value: Fraction | None = None, point: Vector | None = None,
                 multipliers: Vector | None = None, ray: Vector | None = None) -> None:
        for name, item in (("status", status), ("value", value), ("point", point),
                           ("multipliers", multipliers), ("ray", ray)):
            object.__setattr__(self, name, item)

    def __repr__(self) -> str:
        return f"LPResult({self.status!r}, value={self.value!r})"


def maximize(program: LinearProgram, objective: Sequence[object]) -> LPResult:
    """Maximize ``c_0 + c . x`` over the closure of `program`, exactly, with a certificate.

    Strict rows count as ``>= 0``: the answer is the supremum over the closure.

    Parameters
    ----------
    program : LinearProgram
    objective : sequence of numbers
        ``(c_0, c_1, ..., c_n)``.

    Returns
    -------
    LPResult
        Its certificate passes :func:`check_certificate` (see the module docstring).

    Examples
    --------
    >>> # x + y <= 1 in the unit square: the maximum of x + 2y is 2, at (0, 1).
    >>> lp = LinearProgram([(1, -1, -1)], [0, 0], [1, 1])
    >>> r = maximize(lp, (0, 1, 2))
    >>> r.status, r.value, r.point
    ('optimal', Fraction(2, 1), (Fraction(0, 1), Fraction(1, 1)))
    >>> maximize(LinearProgram([(-1, 1), (0, -1)], [None], [None]), (0, 1)).status  # x>=1, x<=0
    'infeasible'
    >>> maximize(LinearProgram([], [0], [None]), (0, 1)).ray
    (Fraction(1, 1),)

    Notes
    -----
    A confirmed float proposal costs one HiGHS call, one exact solve of the
    active system and one exact pass over the rows (``O(m n)``); the exact
    simplex, used only when that fails, works on a dense tableau of ``n`` rows,
    so in hundreds of dimensions that fallback costs seconds to minutes.
    """
    c = _vector(objective, program.dim, "objective")
    proposal = _propose(program, c)
    if proposal is not None and proposal.status == "optimal":
        confirmed = _confirm_optimum(program, c, proposal)
        if confirmed is not None:
            return confirmed
    elif proposal is not None and proposal.status in ("infeasible", "unbounded"):
        answer = _confirm_proposed_status(program, c, proposal.status)
        if answer is not None and _certificate_problem(program, c, answer) is None:
            return answer
    return maximize_reference(program, c)


def feasible_point(program: LinearProgram) -> Vector | None:
    """An exact point of `program`, strict rows held strictly, or None when there is none.

    A centre proposed by HiGHS (the point furthest inside every row and side of
    the box, in the rows' max-norm scale) is returned when it checks exactly,
    so full-dimensional sets give points well inside. Otherwise the answer is
    decided exactly: maximize ``t`` with ``r_0 + r . x - w t >= 0`` on the
    strict rows (``w > 0`` their largest coefficient), the other rows as
    they are, and ``t <= 1``; a point exists exactly when ``t* > 0``.

    Examples
    --------
    >>> feasible_point(LinearProgram([(1, -1)], [0], [None]))   # 0 <= x <= 1: the centre
    (Fraction(1, 2),)
    >>> feasible_point(LinearProgram([(0, 1), (0, -1)], [None], [None], strict=[False, True])) is None
    True
    """
    centre = _float_centre(program)
    if centre is not None:
        return centre
    lifted = _lifted(program, tuple(_weight(r) if s else Fraction(0)
                                    for r, s in zip(program.rows, program.strict)))
    result = _certified_optimum(lifted, (Fraction(0),) * (program.dim + 1) + (Fraction(1),))
    if result.status != "optimal" or result.value is None or result.point is None:
        return None
    if result.value <= 0 and any(program.strict):
        return None
    return result.point[:-1]


def check_certificate(program: LinearProgram, objective: Sequence[object],
                      result: LPResult) -> bool:
    """Whether `result` is a correct answer to ``maximize(program, objective)``, checked exactly.

    The check re-derives the certificate's inequalities of the module
    docstring in Fractions; it trusts nothing computed by the solver.

    Examples
    --------
    >>> lp = LinearProgram([(1, -1)], [0], [None])
    >>> check_certificate(lp, (0, 1), maximize(lp, (0, 1)))
    True
    >>> check_certificate(lp, (0, 1), LPResult("optimal", Fraction(2), (Fraction(1),), (Fraction(2),)))
    False
    """
    c = _vector(objective, program.dim, "objective")
    return _certificate_problem(program, c, result) is None


def maximize_reference(program: LinearProgram, objective: Sequence[object]) -> LPResult:
    """:func:`maximize` by an exact simplex in Fractions alone: the oracle and the fallback.

    The program is written as ``max c . x`` subject to ``G x <= h`` (its rows
    and the finite sides of its box) and its dual ``min h . y``, ``G^T y = c``,
    ``y >= 0`` is solved by the two-phase tableau simplex with Bland's rule,
    which cannot cycle. Phase 1 failing gives the ray (``G d <= 0``,
    ``c . d > 0``), an unbounded phase 2 gives the Farkas vector, an optimal
    phase 2 gives the multipliers and, as its simplex multipliers, the point.

    Examples
    --------
    >>> r = maximize_reference(LinearProgram([(1, -1, -1)], [0, 0], [1, 1]), (0, 1, 2))
    >>> r.status, r.value
    ('optimal', Fraction(2, 1))

    Notes
    -----
    The tableau has ``n`` rows and a column per row and finite side, so the
    cost grows with the dimension: use it for small programs.
    """
    c = _vector(objective, program.dim, "objective")
    constraints = _inequality_form(program)
    m = len(program.rows)
    outcome = _dual_simplex_standard(constraints, c[1:])
    if outcome.kind == "optimal":
        point = outcome.primal
        return LPResult("optimal", _evaluate(c, point), point, outcome.dual[:m])
    if outcome.kind == "unbounded":
        return LPResult("infeasible", multipliers=outcome.dual[:m])
    feasible = _dual_simplex_standard(constraints, (Fraction(0),) * program.dim)
    if feasible.kind == "unbounded":
        return LPResult("infeasible", multipliers=feasible.dual[:m])
    return LPResult("unbounded", point=feasible.primal, ray=outcome.primal)


# --- reading and arithmetic -------------------------------------------------------------------

def _bound(value: object, what: str) -> Bound:
    return None if value is None else to_fraction_or(UsageError, value, what)


def _vector(values: Iterable[object], dim: int, what: str) -> Vector:
    vector = tuple(to_fraction_or(UsageError, v, f"{what} entry") for v in values)
    if len(vector) != dim + 1:
        raise UsageError(f"{what} has {len(vector)} entries, expected {dim + 1} "
                         f"(r_0 and {dim} coefficients)")
    return vector


def _integer_form(row: Vector) -> tuple[tuple[int, ...], int]:
    """``(a, den)`` with ``row = a / den``: rows are evaluated in integers."""
    den = math.lcm(*(v.denominator for v in row))
    return tuple(v.numerator * (den // v.denominator) for v in row), den


def _over_common_denominator(point: Sequence[Fraction]) -> tuple[tuple[int, ...], int]:
    den = math.lcm(*{v.denominator for v in point})
    return tuple(v.numerator * (den // v.denominator) for v in point), den


def _row_values(program: LinearProgram, point: Sequence[Fraction]) -> list[Fraction]:
    """``r_0 + r . x`` for every row, in integers over one denominator per row."""
    numerators, den = _over_common_denominator(point)
    values = []
    for a, row_den in program._integer_rows:
        total = a[0] * den + sum(coef * p for coef, p in zip(a[1:], numerators) if coef)
        values.append(Fraction(total, row_den * den))
    return values


def _evaluate(c: Vector, point: Sequence[Fraction]) -> Fraction:
    a, den = _integer_form(c)
    numerators, point_den = _over_common_denominator(point)
    return Fraction(a[0] * point_den + sum(x * p for x, p in zip(a[1:], numerators) if x),
                    den * point_den)


def _combination(program: LinearProgram, weights: Sequence[Fraction],
                 start: Vector | None = None) -> Vector:
    """``start + sum_i weights_i rows_i`` (all entries), in integers over one denominator."""
    parts = [(w / den, a) for w, (a, den) in zip(weights, program._integer_rows) if w]
    if start is not None:
        a, den = _integer_form(start)
        parts.append((Fraction(1, den), a))
    if not parts:
        return (Fraction(0),) * (program.dim + 1)
    common = math.lcm(*(q.denominator for q, _ in parts))
    scaled = [(q.numerator * (common // q.denominator), a) for q, a in parts]
    return tuple(Fraction(sum(q * a[j] for q, a in scaled), common) for j in range(program.dim + 1))


def _box_maximum(program: LinearProgram, e: Sequence[Fraction]) -> Fraction | None:
    """``max e . x`` over the box, or None when it is unbounded."""
    total = Fraction(0)
    for coef, lo, hi in zip(e, program.lower, program.upper):
        if coef > 0:
            if hi is None:
                return None
            total += coef * hi
        elif coef < 0:
            if lo is None:
                return None
            total += coef * lo
    return total


def _in_box(program: LinearProgram, point: Sequence[Fraction]) -> bool:
    return all((lo is None or lo <= x) and (hi is None or x <= hi)
               for x, lo, hi in zip(point, program.lower, program.upper))


def _weight(row: Vector) -> Fraction:
    """A positive scale of a row: its largest linear coefficient (1 for a constant row)."""
    return max((abs(v) for v in row[1:]), default=Fraction(0)) or Fraction(1)


# --- certificates -----------------------------------------------------------------------------

def _certificate_problem(program: LinearProgram, c: Vector, result: LPResult) -> str | None:
    """What is wrong with `result`'s certificate, or None when it proves the answer."""
    if result.status in ("optimal", "unbounded"):
        if result.point is None or len(result.point) != program.dim:
            return "no point of the right length"
        if not _in_box(program, result.point):
            return "the point lies outside the box"
        if any(v < 0 for v in _row_values(program, result.point)):
            return "the point violates a row"
    if result.status == "optimal":
        return _bound_problem(program, c, result)
    if result.status == "infeasible":
        return _farkas_problem(program, result.multipliers)
    if result.status == "unbounded":
        return _ray_problem(program, c, result.ray)
    return f"unknown status {result.status!r}"


def _bound_problem(program: LinearProgram, c: Vector, result: LPResult) -> str | None:
    """Whether the multipliers bound the objective by the value reached at the point."""
    y = result.multipliers
    if y is None or len(y) != len(program.rows) or any(v < 0 for v in y):
        return "the multipliers are missing or negative"
    reduced = _combination(program, y, c)
    box = _box_maximum(program, reduced[1:])
    if box is None:
        return "a reduced cost needs a side the box does not have"
    assert result.point is not None
    value = _evaluate(c, result.point)
    if reduced[0] + box != value or result.value != value:
        return "the bound and the value differ"
    return None


def _farkas_problem(program: LinearProgram, y: Vector | None) -> str | None:
    if y is None or len(y) != len(program.rows) or any(v < 0 for v in y):
        return "the Farkas vector is missing or negative"
    combined = _combination(program, y)
    box = _box_maximum(program, combined[1:])
    if box is None or combined[0] + box >= 0:
        return "the Farkas combination is not negative on the box"
    return None


def _ray_problem(program: LinearProgram, c: Vector, d: Vector | None) -> str | None:
    if d is None or len(d) != program.dim:
        return "no ray of the right length"
    if any((v > 0 and hi is not None) or (v < 0 and lo is not None)
           for v, lo, hi in zip(d, program.lower, program.upper)):
        return "the ray leaves the box"
    if any(v < 0 for v in _row_values(_homogeneous(program), d)):
        return "the ray leaves a row"
    if _evaluate((Fraction(0),) + c[1:], d) <= 0:
        return "the ray does not improve the objective"
    return None


# --- auxiliary programs -----------------------------------------------------------------------

def _closure(program: LinearProgram) -> LinearProgram:
    return LinearProgram(program.rows, program.lower, program.upper)


def _homogeneous(program: LinearProgram) -> LinearProgram:
    """The rows without their constants: the recession cone's rows."""
    return LinearProgram([(Fraction(0),) + r[1:] for r in program.rows],
                         [None] * program.dim, [None] * program.dim)


def _lifted(program: LinearProgram, weights: Sequence[Fraction]) -> LinearProgram:
    """Variables ``(x, t)``, rows ``r_0 + r . x - w t >= 0``, ``t <= 1``."""
    rows = [r + (-w,) for r, w in zip(program.rows, weights)]
    return LinearProgram(rows, program.lower + (None,), program.upper + (Fraction(1),))


def _farkas_vector(program: LinearProgram) -> Vector | None:
    """A Farkas vector when the closure is empty: the multipliers of ``max t`` below 0.

    With every row lowered by ``w_i t``, the optimum ``t*`` is negative exactly
    when the set is empty, and its multipliers ``y`` then satisfy
    ``sum_i y_i r_i0 + boxmax(sum_i y_i r_i) = t* - (1 - sum_i y_i w_i) < 0``.
    """
    lifted = _lifted(program, tuple(_weight(r) for r in program.rows))
    result = _certified_optimum(lifted, (Fraction(0),) * (program.dim + 1) + (Fraction(1),))
    if result.value is None or result.value >= 0 or result.multipliers is None:
        return None
    return result.multipliers


def _improving_ray(program: LinearProgram, c: Vector) -> Vector | None:
    """A ray improving `c`, when one exists: the optimum of ``c . d`` over the cone cut to a cube."""
    cone = LinearProgram([(Fraction(0),) + r[1:] for r in program.rows],
                         [Fraction(-1) if lo is None else Fraction(0) for lo in program.lower],
                         [Fraction(1) if hi is None else Fraction(0) for hi in program.upper])
    result = _certified_optimum(cone, (Fraction(0),) + c[1:])
    if result.value is None or result.value <= 0:
        return None
    return result.point


def _confirm_proposed_status(program: LinearProgram, c: Vector, status: str) -> LPResult | None:
    """The Farkas vector, or the point and ray, of a proposed "infeasible" or "unbounded"."""
    if status == "infeasible":
        farkas = _farkas_vector(program)
        return None if farkas is None else LPResult("infeasible", multipliers=farkas)
    point, ray = feasible_point(_closure(program)), _improving_ray(program, c)
    return None if point is None or ray is None else LPResult("unbounded", point=point, ray=ray)


def _certified_optimum(program: LinearProgram, c: Vector) -> LPResult:
    """The optimum of a program known to be bounded: confirmed proposal, else the exact simplex."""
    proposal = _propose(program, c)
    if proposal is not None and proposal.status == "optimal":
        confirmed = _confirm_optimum(program, c, proposal)
        if confirmed is not None:
            return confirmed
    return maximize_reference(program, c)


# --- float proposals and their exact confirmation ---------------------------------------------

class _Proposal(NamedTuple):
    status: str
    x: npt.NDArray[np.float64]
    row_duals: npt.NDArray[np.float64]      # >= 0, one per row, of the scaled rows
    at_lower: npt.NDArray[np.bool_]         # a non-zero reduced cost holds x_j at a side
    at_upper: npt.NDArray[np.bool_]
    slack: npt.NDArray[np.float64]          # of the scaled rows


def _propose(program: LinearProgram, c: Vector) -> _Proposal | None:
    """HiGHS's answer in floats, or None when a number does not fit a float."""
    import numpy as np

    try:
        scaled = _scaled_rows(program.rows, program.dim)
        largest = _largest(c)
        cost = -np.array([float(v / largest) for v in c[1:]], dtype=float)
        bounds = _float_bounds(program)
    except OverflowError:
        return None
    return _highs(scaled, None, cost, bounds)


def _scaled_rows(rows: Sequence[Vector], dim: int) -> npt.NDArray[np.float64]:
    """The rows as floats, each divided by its largest entry (which changes no half-space)."""
    import numpy as np

    scaled = [[float(v / s) for v in r] for r in rows for s in [_largest(r)]]
    return np.array(scaled, dtype=float).reshape(len(rows), dim + 1)


def _float_bounds(program: LinearProgram) -> list[tuple[float | None, float | None]]:
    return [(None if lo is None else float(lo), None if hi is None else float(hi))
            for lo, hi in zip(program.lower, program.upper)]


def _highs(scaled: npt.NDArray[np.float64], extra: tuple[Any, npt.NDArray[np.float64]] | None,
           cost: npt.NDArray[np.float64],
           bounds: list[tuple[float | None, float | None]]) -> _Proposal:
    """HiGHS's dual simplex on ``max -cost . x``, rows ``scaled`` (and the sparse ``-A x <= b``
    pair `extra`), so that the answer is a vertex whose active set can be read off."""
    import numpy as np
    from scipy.optimize import linprog
    from scipy.sparse import csr_matrix, vstack

    m = scaled.shape[0]
    a_ub: object = -scaled[:, 1:] if m else None
    b_ub: object = scaled[:, 0] if m else None
    if extra is not None:
        more_a, more_b = extra
        a_ub = vstack([csr_matrix(-scaled[:, 1:]), more_a]) if m else more_a
        b_ub = np.concatenate([scaled[:, 0], more_b]) if m else more_b
    res = linprog(cost, A_ub=a_ub, b_ub=b_ub, bounds=bounds, method="highs-ds")
    status = {0: "optimal", 2: "infeasible", 3: "unbounded"}.get(res.status, "unknown")
    if status != "optimal" or res.x is None:
        empty = np.zeros(0)
        return _Proposal(status, empty, empty, empty > 0, empty > 0, empty)
    x = np.asarray(res.x, dtype=float)
    duals = -np.asarray(res.ineqlin.marginals)[:m] if m else np.zeros(0)
    low, high = np.abs(np.asarray(res.lower.marginals)), np.abs(np.asarray(res.upper.marginals))
    scale = max(1.0, float(np.max(duals, initial=0.0)), float(np.max(low, initial=0.0)),
                float(np.max(high, initial=0.0)))
    slack = scaled[:, 0] + scaled[:, 1:] @ x if m else np.zeros(0)
    return _Proposal(status, x, duals / scale, low / scale > 1e-9, high / scale > 1e-9, slack)


def _largest(row: Sequence[Fraction]) -> Fraction:
    return max((abs(v) for v in row), default=Fraction(0)) or Fraction(1)


def _confirm_optimum(program: LinearProgram, c: Vector, proposal: _Proposal) -> LPResult | None:
    """The proposal's optimum made exact and checked, or None when the guess does not hold."""
    for tolerance in (1e-9, 1e-6):
        candidate = _exact_candidate(program, c, proposal, tolerance)
        if candidate is not None and _certificate_problem(program, c, candidate) is None:
            return candidate
    return None


def _exact_candidate(program: LinearProgram, c: Vector, proposal: _Proposal,
                     tolerance: float) -> LPResult | None:
    """Solve the guessed active system exactly: the tight rows for the point, the free variables'
    zero reduced costs for the multipliers."""
    fixed, free = _guess_sides(program, proposal, tolerance)
    scale = 1.0 + float(max((abs(v) for v in proposal.x), default=0.0))
    support = [i for i, y in enumerate(proposal.row_duals) if y > tolerance]
    tight = sorted(set(support) | {i for i, s in enumerate(proposal.slack)
                                   if abs(s) <= tolerance * scale})
    point = _solve_point(program, tight, fixed, free, proposal)
    if point is None:
        return None
    multipliers = _solve_multipliers(program, c, support, free)
    if multipliers is None:
        return None
    return LPResult("optimal", _evaluate(c, point), point, multipliers)


def _guess_sides(program: LinearProgram, proposal: _Proposal,
                 tolerance: float) -> tuple[dict[int, Fraction], list[int]]:
    fixed: dict[int, Fraction] = {}
    free = []
    for j, (x, lo, hi) in enumerate(zip(proposal.x, program.lower, program.upper)):
        near_lo = lo is not None and abs(x - float(lo)) <= tolerance * (1.0 + abs(float(lo)))
        near_hi = hi is not None and abs(x - float(hi)) <= tolerance * (1.0 + abs(float(hi)))
        if hi is not None and (proposal.at_upper[j] or (near_hi and not proposal.at_lower[j])):
            fixed[j] = hi
        elif lo is not None and (proposal.at_lower[j] or near_lo):
            fixed[j] = lo
        else:
            free.append(j)
    return fixed, free


def _solve_point(program: LinearProgram, tight: list[int], fixed: dict[int, Fraction],
                 free: list[int], proposal: _Proposal) -> Vector | None:
    point = [Fraction(0)] * program.dim
    for j, v in fixed.items():
        point[j] = v
    values = _row_values(program, point)  # the fixed part: free variables are 0 here
    matrix = [[program.rows[i][1 + j] for j in free] for i in tight]
    rhs = [-values[i] for i in tight]
    defaults = [Fraction(float(proposal.x[j])).limit_denominator(1 << 20) for j in free]
    solution = _solve_linear(matrix, rhs, defaults)
    if solution is None:
        return None
    for j, v in zip(free, solution):
        point[j] = v
    return tuple(point)


def _solve_multipliers(program: LinearProgram, c: Vector, support: list[int],
                       free: list[int]) -> Vector | None:
    # A free variable has reduced cost 0: c_j + sum_i y_i r_ij = 0.
    matrix = [[program.rows[i][1 + j] for i in support] for j in free]
    rhs = [-c[1 + j] for j in free]
    solution = _solve_linear(matrix, rhs, [Fraction(0)] * len(support))
    if solution is None:
        return None
    y = [Fraction(0)] * len(program.rows)
    for i, v in zip(support, solution):
        y[i] = v
    return tuple(y)


def _solve_linear(matrix: list[list[Fraction]], rhs: list[Fraction],
                  defaults: list[Fraction]) -> list[Fraction] | None:
    """A solution of ``matrix . u = rhs`` (unknowns not fixed by it take `defaults`), or None."""
    width = len(defaults)
    rows = [list(r) + [b] for r, b in zip(matrix, rhs)]
    pivots: list[int] = []
    for col in range(width):
        found = next((i for i in range(len(pivots), len(rows)) if rows[i][col] != 0), None)
        if found is None:
            continue
        top = len(pivots)
        rows[top], rows[found] = rows[found], rows[top]
        lead = rows[top][col]
        rows[top] = [v / lead for v in rows[top]]
        for i, row in enumerate(rows):
            if i != top and row[col] != 0:
                f = row[col]
                rows[i] = [v - f * p for v, p in zip(row, rows[top])]
        pivots.append(col)
    if any(row[width] != 0 for row in rows[len(pivots):]):
        return None
    solution = list(defaults)
    others = [j for j in range(width) if j not in set(pivots)]
    for row, col in zip(rows, pivots):
        solution[col] = row[width] - sum((row[j] * solution[j] for j in others), Fraction(0))
    return solution


def _float_centre(program: LinearProgram) -> Vector | None:
    """HiGHS's deepest point of the set (rows and box sides lowered by ``w t``), if it checks."""
    import numpy as np
    from scipy.sparse import csr_matrix, hstack, identity, vstack

    n = program.dim
    try:
        scaled = _scaled_rows(program.rows, n)
        bounds = _float_bounds(program)
    except OverflowError:
        return None
    weights = np.max(np.abs(scaled[:, 1:]), axis=1, initial=0.0)
    lifted = np.hstack([scaled, -np.where(weights > 0, weights, 1.0)[:, None]])
    # The box sides x_j - lo_j >= t and hi_j - x_j >= t, as sparse rows -A (x, t) <= b.
    lows = [(j, lo) for j, (lo, _) in enumerate(bounds) if lo is not None]
    highs = [(j, hi) for j, (_, hi) in enumerate(bounds) if hi is not None]
    eye = identity(n, format="csr")
    sides_a = (vstack([-eye[[j for j, _ in lows]], eye[[j for j, _ in highs]]]) if lows or highs
               else csr_matrix((0, n)))
    sides_a = hstack([sides_a, np.ones((len(lows) + len(highs), 1))])
    sides_b = np.array([-lo for _, lo in lows] + [hi for _, hi in highs], dtype=np.float64)
    cost = np.zeros(n + 1)
    cost[n] = -1.0
    proposal = _highs(lifted, (sides_a, sides_b), cost, bounds + [(None, 1.0)])
    if proposal.status != "optimal" or proposal.x[n] <= 0:
        return None
    for limit in (1 << 20, None):
        point = tuple(Fraction(float(v)) if limit is None
                      else Fraction(float(v)).limit_denominator(limit) for v in proposal.x[:n])
        values = _row_values(program, point)
        if _in_box(program, point) and all(
                v > 0 if s else v >= 0 for v, s in zip(values, program.strict)):
            return point
    return None


# --- the exact simplex ------------------------------------------------------------------------

class _Outcome(NamedTuple):
    kind: str           # "optimal", "unbounded" (dual unbounded), "infeasible" (dual infeasible)
    dual: Vector        # y when optimal, the unbounded direction when unbounded
    primal: Vector      # the simplex multipliers: x when optimal, a ray when infeasible


def _inequality_form(program: LinearProgram) -> list[tuple[Vector, Fraction]]:
    """``g . x <= h`` for every row (``-r . x <= r_0``), then the finite upper and lower sides."""
    n = program.dim
    unit = [tuple(Fraction(int(k == j)) for k in range(n)) for j in range(n)]
    constraints = [(tuple(-v for v in r[1:]), r[0]) for r in program.rows]
    constraints += [(unit[j], hi) for j, hi in enumerate(program.upper) if hi is not None]
    constraints += [(tuple(-v for v in unit[j]), -lo)
                    for j, lo in enumerate(program.lower) if lo is not None]
    return constraints


def _dual_simplex_standard(constraints: list[tuple[Vector, Fraction]], c: Vector) -> _Outcome:
    """Solve ``min h . y`` subject to ``sum_k y_k g_k = c``, ``y >= 0`` (two phases, Bland's rule)."""
    n, count = len(c), len(constraints)
    sign = [Fraction(-1) if v < 0 else Fraction(1) for v in c]
    # Tableau rows: the n equations (made to have c >= 0), then artificial columns, then the rhs.
    tableau = [[sign[j] * g[j] for g, _ in constraints]
               + [Fraction(int(k == j)) for k in range(n)] + [sign[j] * c[j]] for j in range(n)]
    basis = [count + j for j in range(n)]
    phase_one = [Fraction(0)] * count + [Fraction(1)] * n
    _run_simplex(tableau, basis, phase_one, count + n)
    if sum(phase_one[b] * row[-1] for b, row in zip(basis, tableau)) > 0:
        ray = _multipliers(tableau, basis, phase_one, count, sign)
        return _Outcome("infeasible", (), ray)
    _drive_out_artificials(tableau, basis, count)
    cost = [h for _, h in constraints] + [Fraction(0)] * n
    entering = _run_simplex(tableau, basis, cost, count)
    if entering is not None:
        direction = [Fraction(0)] * count
        direction[entering] = Fraction(1)
        for b, row in zip(basis, tableau):
            if b < count:
                direction[b] = -row[entering]
        return _Outcome("unbounded", tuple(direction), ())
    y = [Fraction(0)] * count
    for b, row in zip(basis, tableau):
        if b < count:
            y[b] = row[-1]
    return _Outcome("optimal", tuple(y), _multipliers(tableau, basis, cost, count, sign))


def _run_simplex(tableau: list[list[Fraction]], basis: list[int], cost: list[Fraction],
                 allowed: int) -> int | None:
    """Pivot to an optimum of ``min cost . y`` (columns below `allowed` may enter).

    Returns None at an optimum, or the entering column along which the
    objective decreases without bound. Bland's rule: the lowest entering
    column, ties in the ratio test to the lowest basic column.
    """
    while True:
        entering = next((k for k in range(allowed) if _reduced_cost(tableau, basis, cost, k) < 0),
                        None)
        if entering is None:
            return None
        candidates = [(row[-1] / row[entering], basis[i], i)
                      for i, row in enumerate(tableau) if row[entering] > 0]
        if not candidates:
            return entering
        _pivot(tableau, basis, min(candidates)[2], entering)


def _reduced_cost(tableau: list[list[Fraction]], basis: list[int], cost: list[Fraction],
                  k: int) -> Fraction:
    return cost[k] - sum((cost[b] * row[k] for b, row in zip(basis, tableau) if cost[b]),
                         Fraction(0))


def _pivot(tableau: list[list[Fraction]], basis: list[int], p: int, col: int) -> None:
    lead = tableau[p][col]
    tableau[p] = [v / lead for v in tableau[p]]
    for i, row in enumerate(tableau):
        if i != p and row[col] != 0:
            f = row[col]
            tableau[i] = [v - f * q for v, q in zip(row, tableau[p])]
    basis[p] = col


def _drive_out_artificials(tableau: list[list[Fraction]], basis: list[int], count: int) -> None:
    """Pivot basic artificials (at 0 after phase 1) out; on a redundant row one stays, harmless:
    its row is 0 in every real column and stays so."""
    for i in range(len(tableau)):
        if basis[i] >= count:
            col = next((k for k in range(count) if tableau[i][k] != 0), None)
            if col is not None:
                _pivot(tableau, basis, i, col)


def _multipliers(tableau: list[list[Fraction]], basis: list[int], cost: list[Fraction],
                 count: int, sign: list[Fraction]) -> Vector:
    """The simplex multipliers ``c_B B^-1`` read off the artificial columns (``B^-1``), unflipped."""
    n = len(tableau)
    return tuple(sign[j] * sum((cost[b] * row[count + j] for b, row in zip(basis, tableau)),
                               Fraction(0)) for j in range(n))
