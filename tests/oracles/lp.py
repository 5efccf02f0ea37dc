"""The one linear program the oracles share: is a strict system of inequalities solvable?

Exact (cddlib GMP), independent of the package ``polyregions``.
"""

import math
from fractions import Fraction

import cdd
import cdd.gmp

__all__ = ["strictly_feasible"]


def strictly_feasible(rows, dim):
    """Decide exactly whether ``{z in R^dim : b + a.z > 0 for every (b, a) in rows}`` is non-empty.

    Rows with ``a = 0`` are decided symbolically (``b > 0`` is needed). The others
    go to the slack LP ``max t  s.t.  b + a.z - t >= 0,  t <= 1``, which is
    feasible (``t`` very negative) and bounded, so it has an optimum; the strict
    system is solvable iff that optimum is positive. Rows need not be normalised.
    """
    lp_rows = {}
    for b, a in rows:
        if not any(a):
            if not b > 0:
                return False
            continue
        # Each inequality once, as its primitive integer row: a positive multiple is the same
        # inequality, and cddlib's GMP LP can cycle on repeated rows and then abort the process
        # in its criss-cross fallback (four copies of one row with 40-digit entries did).
        lp_rows.setdefault(_primitive(b, a), None)
    if not lp_rows:
        return True
    array = [[Fraction(b), *map(Fraction, a), Fraction(-1)] for b, *a in lp_rows]
    array.append([Fraction(1), *([Fraction(0)] * dim), Fraction(-1)])  # t <= 1
    array.append([Fraction(0), *([Fraction(0)] * dim), Fraction(1)])  # objective: t
    status = None
    for solver in (cdd.LPSolverType.DUAL_SIMPLEX, cdd.LPSolverType.CRISS_CROSS):
        lp = cdd.gmp.linprog_from_array(array, cdd.LPObjType.MAX)
        cdd.gmp.linprog_solve(lp, solver)
        status = lp.status
        if status == cdd.LPStatusType.OPTIMAL:
            return Fraction(lp.obj_value) > 0
    raise RuntimeError(f"cddlib returned status {status} on a bounded feasible LP")


def _primitive(b, a):
    """The primitive integer row ``(b, *a)`` scaled by a positive number."""
    values = [Fraction(b), *map(Fraction, a)]
    den = math.lcm(*(v.denominator for v in values))
    ints = [int(v * den) for v in values]
    g = math.gcd(*ints)
    return tuple(v // g for v in ints)
