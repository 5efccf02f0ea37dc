"""Exact parameter constructions with many and with few activation regions.

* :func:`max_regions_relu_layer`: ``n`` ReLU hyperplanes in general position,
  ``sum_{j<=n0} C(n, j)`` regions on ``R^n0`` (Zaslavsky's maximum).
* :func:`max_regions_maxout_layer`: ``n`` rank-``K`` maxout units with
  ``sum_{j<=n0} C(n, j) (K-1)^j`` regions, the one-layer maximum
  (:func:`polyregions.bounds.one_layer_max_regions`).
* :func:`few_regions_maxout_layer`, :func:`few_regions_relu_layer`: every tie
  hyperplane parallel, ``1 + n (K - 1)`` regions whatever ``n0``; generic in any
  box containing the breakpoints, so a whole neighbourhood of parameters has
  that few regions.

All parameters are small exact rationals. :func:`enclosing_box` gives a cube
containing every vertex of the arrangement in its interior, where the count is
the whole-space count (every region of these arrangements has a vertex or, for
the parallel ones, meets the box).
"""

from fractions import Fraction
from itertools import combinations

from ..domain import Box
from ..errors import UsageError
from ..network import MaxoutLayer, Network, ReluLayer

__all__ = [
    "max_regions_relu_layer",
    "max_regions_maxout_layer",
    "few_regions_relu_layer",
    "few_regions_maxout_layer",
    "enclosing_box",
]


def _positive(value, what):
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise UsageError(f"{what} must be a positive integer, got {value!r}")
    return value


def max_regions_relu_layer(n0: int, n: int) -> Network:
    """``n`` ReLU units whose hyperplanes are in general position in ``R^n0``.

    Unit ``i = 1..n`` is ``max(0, i x_1 + i^2 x_2 + ... + i^n0 x_n0 + 1)``: any
    ``n0`` normals form a (scaled) Vandermonde matrix, and any ``n0 + 1`` rows
    ``(1, i, ..., i^n0)`` too, so every ``n0`` hyperplanes meet in one point and
    no ``n0 + 1`` share one: ``sum_{j<=n0} C(n, j)`` regions on ``R^n0``.

    Examples
    --------
    >>> from polyregions import count_regions, WholeSpace
    >>> count_regions(max_regions_relu_layer(2, 4), WholeSpace(2))  # 1 + 4 + 6
    11
    """
    n0, n = _positive(n0, "n0"), _positive(n, "n")
    weights = [[i ** k for k in range(1, n0 + 1)] for i in range(1, n + 1)]
    return Network(n0, [ReluLayer(weights, [1] * n)])


def _direction(n0, u):
    t = u + 1
    return [Fraction(t) ** k for k in range(n0)]  # (1, t, ..., t^(n0-1)): moment curve


def _unit(direction, offset, K):
    # Tangents to the parabola y = s^2 at s = c_j, along `direction`: every piece wins on a
    # slab, breakpoints at direction . x = (c_j + c_{j+1}) / 2.
    cs = [Fraction(j) + offset for j in range(K)]
    return [[2 * c * d for d in direction] for c in cs], [-c * c for c in cs]


def _general_position_2d(families):
    """No three lines of distinct families concurrent (families: lists of (a, b, m), a x + b y = m)."""
    for f, g, h in combinations(range(len(families)), 3):
        for (a1, b1, m1) in families[f]:
            for (a2, b2, m2) in families[g]:
                det = a1 * b2 - a2 * b1
                x, y = (m1 * b2 - m2 * b1) / det, (a1 * m2 - a2 * m1) / det
                if any(a * x + b * y == m for a, b, m in families[h]):
                    return False
    return True


def max_regions_maxout_layer(n0: int, n: int, K: int) -> Network:
    """``n`` rank-``K`` maxout units with the one-layer maximum of regions on ``R^n0``.

    Unit ``u`` has its ``K`` pieces on a parabola along the direction
    ``v_u = (1, t, ..., t^(n0-1))``, ``t = u + 1`` (the "many regions" idea with
    exact points): piece ``j`` is ``2 c_j (v_u . x) - c_j^2`` with
    ``c_j = j + s_u``, so the unit makes ``K - 1`` parallel hyperplanes
    ``v_u . x = j + 1/2 + s_u``. ``n`` families of parallel hyperplanes in general
    position make ``sum_{j<=n0} C(n, j) (K-1)^j`` regions. The offsets ``s_u``
    are searched among small rationals until no three lines of distinct
    families meet (checked exactly for ``n0 = 2``; for ``n0 = 1`` distinct
    breakpoints suffice; for ``n0 >= 3`` the first candidate is returned
    unchecked — count it).

    Examples
    --------
    >>> from polyregions import count_regions, WholeSpace
    >>> count_regions(max_regions_maxout_layer(2, 3, 3), WholeSpace(2))  # 1 + 3*2 + 3*4
    19
    """
    n0, n, K = _positive(n0, "n0"), _positive(n, "n"), _positive(K, "K")
    for q in range(n + 1, 50 * (n + 1)):
        offsets = [Fraction(u * u + u, q) % 1 for u in range(n)]
        if len(set(offsets)) < n:
            continue
        if n0 == 2:
            families = [[(1, u + 1, Fraction(j) + Fraction(1, 2) + offsets[u])
                         for j in range(K - 1)] for u in range(n)]
            if not _general_position_2d(families):
                continue
        break
    weights, biases = zip(*(_unit(_direction(n0, u), offsets[u], K) for u in range(n)))
    return Network(n0, [MaxoutLayer(weights, biases)])


def few_regions_maxout_layer(n0: int, n: int, K: int) -> Network:
    """``n`` rank-``K`` maxout units whose tie hyperplanes are all parallel: ``1 + n (K-1)`` regions.

    Every unit's pieces lie on a parabola along ``x_1`` (offsets ``u / n``), so
    the ``n (K - 1)`` breakpoints ``x_1 = j + 1/2 + u/n`` are distinct.

    Examples
    --------
    >>> from polyregions import count_regions, Box
    >>> count_regions(few_regions_maxout_layer(2, 3, 3), Box.cube(2, -4, 4))
    7
    """
    n0, n, K = _positive(n0, "n0"), _positive(n, "n"), _positive(K, "K")
    axis = [Fraction(1)] + [Fraction(0)] * (n0 - 1)
    weights, biases = zip(*(_unit(axis, Fraction(u, n), K) for u in range(n)))
    return Network(n0, [MaxoutLayer(weights, biases)])


def few_regions_relu_layer(n0: int, n: int) -> Network:
    """``n`` ReLU units ``max(0, x_1 - i)``, ``i = 1..n``: ``n + 1`` regions in a box around them.

    Examples
    --------
    >>> from polyregions import count_regions, Box
    >>> count_regions(few_regions_relu_layer(3, 4), Box.cube(3, 0, 5))
    5
    """
    n0, n = _positive(n0, "n0"), _positive(n, "n")
    return Network(n0, [ReluLayer([[1] + [0] * (n0 - 1)] * n, [-i for i in range(1, n + 1)])])


def enclosing_box(network: Network, margin: int = 1) -> Box:
    """A cube ``[-R, R]^n0`` containing every vertex of a one-layer construction inside.

    ``R`` is ``margin`` plus a bound on the coordinates of the intersection of
    any ``n0`` tie hyperplanes, from Cramer's rule with Hadamard's bound.

    Examples
    --------
    >>> from polyregions import Box, MaxoutLayer, Network
    >>> net = Network(1, [MaxoutLayer([[[1], [-1]]], [[0, -3]])])   # max(x, -x - 3): tie at x = -3/2
    >>> box = enclosing_box(net)
    >>> box.lower[0] < -1.5 < box.upper[0]
    True
    """
    import math

    layer = network.layers[0]
    n0 = network.input_dim
    rows = []
    for unit in layer.pieces():
        for (w1, b1), (w2, b2) in zip(unit, unit[1:]):
            rows.append([a - b for a, b in zip(w1, w2)] + [b1 - b2])
    den = math.lcm(*(v.denominator for r in rows for v in r))
    ints = [[abs(int(v * den)) for v in r] for r in rows]
    big = max(max(r) for r in ints)
    hadamard = (math.isqrt(n0 * big * big) + 1) ** n0
    radius = hadamard + margin  # |det| >= 1 for integer rows, numerators <= Hadamard
    return Box.cube(n0, -radius, radius)
