"""The one linear program the oracles share: is a strict system of inequalities solvable?

Exact (cddlib GMP), independent of the package ``polyregions``. It is decided by the double
description of the slack polyhedron, not by cddlib's LP solver: on rows with 40- to 81-digit
entries that solver cycled, fell back to criss-cross and aborted the whole process (a heap error
inside cddlib; see the regression test in test_oracles.py).
"""

import math
from fractions import Fraction

import cdd
import cdd.gmp

__all__ = ["strictly_feasible"]


def strictly_feasible(rows, dim):
    """Decide exactly whether ``{z in R^dim : b + a.z > 0 for every (b, a) in rows}`` is non-empty.

    Rows with ``a = 0`` are decided symbolically (``b > 0`` is needed). The others
    make the slack polyhedron ``P = {(z, t) : b + a.z - t >= 0, t <= 1}``, which is
    non-empty (``t`` very negative); the strict system is solvable iff ``t > 0``
    somewhere on ``P``. ``P`` is the hull of its points plus its rays and lines, and
    no ray or line raises ``t`` (``t <= 1``), so it is solvable iff one of the points
    of its double description has ``t > 0``. Rows need not be normalised.
    """
    lp_rows = {}
    for b, a in rows:
        if not any(a):
            if not b > 0:
                return False
            continue
        # Each inequality once, as its primitive integer row: a positive multiple is the same
        # inequality, and smaller numbers make a smaller description.
        lp_rows.setdefault(_primitive(b, a), None)
    if not lp_rows:
        return True
    array = [[Fraction(b), *map(Fraction, a), Fraction(-1)] for b, *a in lp_rows]
    array.append([Fraction(1), *([Fraction(0)] * dim), Fraction(-1)])  # t <= 1
    matrix = cdd.gmp.matrix_from_array(array, rep_type=cdd.RepType.INEQUALITY)
    generators = cdd.gmp.copy_generators(cdd.gmp.polyhedron_from_matrix(matrix))
    return any(g[0] != 0 and Fraction(g[-1]) / Fraction(g[0]) > 0 for g in generators.array)


def _primitive(b, a):
    """The primitive integer row ``(b, *a)`` scaled by a positive number."""
    values = [Fraction(b), *map(Fraction, a)]
    den = math.lcm(*(v.denominator for v in values))
    ints = [int(v * den) for v in values]
    g = math.gcd(*ints)
    return tuple(v // g for v in ints)
