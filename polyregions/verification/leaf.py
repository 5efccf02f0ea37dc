"""The exact decision at a leaf of the search, where the network is one affine map.

At a leaf every hidden unit is decided, so each output constraint of a case is
an exact row over ``(1, x)`` on the leaf's polytope (:func:`output_input_rows`).
A conjunction is violated on the leaf exactly when the polytope cut by its rows
(strict ones strictly, and the case's strict input constraints too) has a point;
:func:`polyregions.geometry.linear_program.feasible_point` decides that exactly.
When there is none, a certificate says why (:func:`refutation_certificate`):
multipliers ``y >= 0`` over the conjunction's rows and the leaf's rows such
that the affine function ``G = sum y_i r_i`` has ``max over the box of G < 0``,
or ``<= 0`` with some strict row of positive weight. Either way no point of
the box satisfies every row (Motzkin's transposition theorem says such
multipliers exist whenever that is so).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction

from ..geometry.linear_program import LinearProgram, maximize
from ..io.vnnlib import Case, Constraint
from .layers import PreparedLayer, input_row_scaled, primitive

__all__ = ["output_input_rows", "decide_leaf", "box_maximum", "refutation_holds"]

Row = tuple[int, ...]
Pattern = tuple[tuple[int, ...], ...]


def output_input_rows(layers: Sequence[PreparedLayer], pattern: Pattern,
                      conjunction: Sequence[Constraint], n: int) -> list[tuple[Row, bool]]:
    """The exact rows over ``(1, x)`` of output constraints over ``(1, x, y)``, on a leaf.

    Examples
    --------
    >>> from polyregions import Network, LinearLayer
    >>> from .layers import prepare_layers
    >>> layers = prepare_layers(Network(1, [LinearLayer([[2]], [1])]))       # y = 2x + 1
    >>> output_input_rows(layers, ((),), [Constraint([0, 1, -1])], 1)    # x - y >= 0
    [((-1, -1), False)]
    """
    rows = []
    for constraint in conjunction:
        c = constraint.row
        through, scale = input_row_scaled(layers, pattern, len(layers), (c[0], *c[n + 1:]))
        direct = [scale * v for v in (0, *c[1:n + 1])]
        total = [Fraction(a) + b for a, b in zip(through, direct)]
        den = 1
        for v in total:
            den = den * v.denominator // _gcd(den, v.denominator)
        rows.append((primitive([int(v * den) for v in total]), constraint.strict))
    return rows


def _gcd(a: int, b: int) -> int:
    while b:
        a, b = b, a % b
    return a


def box_maximum(row: Sequence[Fraction | int], lower: Sequence[Fraction],
                upper: Sequence[Fraction]) -> Fraction:
    """The exact maximum of ``row . (1, x)`` over the box.

    Examples
    --------
    >>> box_maximum([1, -2, 3], [0, 0], [1, 1])
    Fraction(4, 1)
    """
    return Fraction(row[0]) + sum((max(a * lo, a * hi) for a, lo, hi in zip(row[1:], lower, upper)),
                                  Fraction(0))


def refutation_holds(rows: Sequence[Row], strict: Sequence[bool], weights: Sequence[Fraction],
                     lower: Sequence[Fraction], upper: Sequence[Fraction]) -> bool:
    """Whether `weights` prove that no point of the box satisfies every row.

    Examples
    --------
    >>> refutation_holds([(0, 1), (0, -1)], [True, False], [1, 1], [-1], [1])   # x > 0, x <= 0
    True
    >>> refutation_holds([(0, 1), (0, -1)], [False, False], [1, 1], [-1], [1])  # x = 0 is a point
    False
    """
    if len(weights) != len(rows) or any(w < 0 for w in weights):
        return False
    n = len(lower)
    combined = [sum((w * r[i] for w, r in zip(weights, rows)), Fraction(0)) for i in range(n + 1)]
    top = box_maximum(combined, lower, upper)
    return top < 0 or (top == 0 and any(w > 0 and s for w, s in zip(weights, strict)))


def decide_leaf(conjunctions: Mapping[int, list[tuple[Row, bool]]], case: Case,
                node_rows: Sequence[Row]) -> tuple[tuple[Fraction, ...] | None,
                                                   list[tuple[int, tuple[Fraction, ...]]]]:
    """An exact counterexample on the leaf, or one refutation certificate per conjunction.

    Parameters
    ----------
    conjunctions : mapping of index to rows
        The open conjunctions, as rows over ``(1, x)`` with their strictness.
    case : Case
    node_rows : sequence of rows
        The leaf's rows; the first ones are the case's input constraints.

    Returns
    -------
    point, certificates
        ``(point, [])`` when some conjunction has a point, else
        ``(None, [(index, weights), ...])``, the weights over the
        conjunction's rows then the leaf's rows.

    Examples
    --------
    On ``X_0`` in ``[0, 1]``: no point has ``x - 2 >= 0`` (a certificate refutes it), and
    ``2 x - 1 >= 0`` holds at the exact point ``1/2``:

    >>> from polyregions.io.vnnlib import parse_property
    >>> prop = parse_property("(declare-const X_0 Real)(declare-const Y_0 Real)"
    ...                       "(assert (>= X_0 0))(assert (<= X_0 1))(assert (>= Y_0 2))")
    >>> decide_leaf({0: [((-2, 1), False)]}, prop.cases[0], [])
    (None, [(0, (Fraction(1, 1),))])
    >>> decide_leaf({0: [((-1, 2), False)]}, prop.cases[0], [])
    ((Fraction(1, 2),), [])
    """
    strict_inputs = [c.strict for c in case.input_constraints]
    node_strict = strict_inputs + [False] * (len(node_rows) - len(strict_inputs))
    certificates = []
    for index, rows in conjunctions.items():
        all_rows = [r for r, _ in rows] + list(node_rows)
        strict = [s for _, s in rows] + node_strict
        found = _point_or_weights(all_rows, strict, case)
        if isinstance(found, list):
            certificates.append((index, tuple(found)))
        else:
            return found, []
    return None, certificates


def _point_or_weights(rows: list[Row], strict: list[bool], case: Case
                      ) -> tuple[Fraction, ...] | list[Fraction]:
    """Maximize ``t`` with ``r - w t >= 0`` on strict rows (``w`` their largest entry), t <= 1."""
    lifted = [(*r, -max(1, *(abs(v) for v in r)) if s else 0) for r, s in zip(rows, strict)]
    program = LinearProgram(lifted, [*case.lower, None], [*case.upper, 1])
    result = maximize(program, (0,) * (len(case.lower) + 1) + (1,))
    if result.status == "optimal" and result.point is not None and result.value is not None \
            and (result.value > 0 or not any(strict)):
        return result.point[:-1]
    weights = list(result.multipliers or ())
    if not refutation_holds(rows, strict, weights, case.lower, case.upper):
        raise AssertionError("the exact LP's multipliers do not refute the leaf")
    return weights
