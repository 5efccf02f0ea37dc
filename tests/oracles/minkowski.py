"""Region count of one maxout layer via upper vertices of a Minkowski sum.

For a single maxout layer on ``R^n0`` the sum of the unit outputs is

    F(x) = sum_u max_k (w_uk . x + b_uk) = max over p in P of (x, 1) . p,

where ``P`` is the set of sums ``p = sum_u (w_{u,k_u}, b_{u,k_u})`` choosing one
lifted point per unit.  A point ``p`` is an *upper vertex* if some ``(x, 1)`` is
maximised over ``P`` uniquely at ``p``.  On the open set where that happens
every unit has a unique maximising lifted point (a tie inside one unit would
give a second maximiser ``p' != p``), so the pattern is constant there; and
distinct upper vertices give distinct patterns.  Conversely the interior of
every full-dimensional activation region contains such an open set.  Hence

    #activation regions = #upper vertices of the Minkowski sum.

This module decides "upper vertex" directly from that definition, with one
exact LP per distinct sum; with the brute-force oracle it shares only the generic
strict-feasibility LP of :mod:`tests.oracles.lp`, not the method.
"""

import itertools
from fractions import Fraction

from .lp import strictly_feasible

__all__ = ["minkowski_sum_points", "upper_vertices", "maxout_layer_region_count"]


def minkowski_sum_points(weights, biases):
    """Distinct sums of one lifted point ``(w_uk, b_uk)`` per unit.

    Parameters
    ----------
    weights : sequence
        ``weights[u][k][i]``.
    biases : sequence
        ``biases[u][k]``.

    Returns
    -------
    set of tuple of Fraction
        Points of ``R^(n0+1)`` (last coordinate = bias sum).
    """
    lifted = []
    for W_u, B_u in zip(weights, biases, strict=True):
        # A set per unit: identical pieces give the same lifted point.
        lifted.append({(*(Fraction(v) for v in w), Fraction(b)) for w, b in zip(W_u, B_u, strict=True)})
    sums = set()
    for choice in itertools.product(*lifted):
        sums.add(tuple(sum(coords, Fraction(0)) for coords in zip(*choice, strict=True)))
    return sums


def _uniquely_maximal(p, others):
    """Exact test: is there ``x`` with ``(x, 1).(p - q) > 0`` for all ``q`` in ``others``?

    LP over ``(x, t)``: maximise ``t`` s.t. ``(x, 1).(p - q) >= t`` and
    ``t <= 1``; always feasible and bounded; the answer is ``optimum > 0``.
    """
    if not others:
        return True
    # (x, 1) . (p - q) > 0 for every other sum q: constant d[-1], x-coefficients d[:-1].
    rows = []
    for q in others:
        d = [pi - qi for pi, qi in zip(p, q, strict=True)]
        rows.append((d[-1], tuple(d[:-1])))
    return strictly_feasible(rows, len(p) - 1)


def upper_vertices(weights, biases):
    """The upper vertices of the Minkowski sum of the units' lifted point sets.

    Returns
    -------
    set of tuple of Fraction
    """
    points = minkowski_sum_points(weights, biases)
    return {p for p in points if _uniquely_maximal(p, [q for q in points if q != p])}


def maxout_layer_region_count(weights, biases):
    """Number of activation regions of one maxout layer on ``R^n0``.

    Parameters
    ----------
    weights : sequence
        ``weights[u][k][i]`` (any number of pieces per unit, ``>= 1``).
    biases : sequence
        ``biases[u][k]``.

    Returns
    -------
    int
        Number of upper vertices of ``sum_u conv{(w_uk, b_uk)}``.
    """
    return len(upper_vertices(weights, biases))
