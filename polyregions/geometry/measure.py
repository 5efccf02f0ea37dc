"""Exact measures: volumes of polytopes and ``(n - 1)``-volumes of pieces of hyperplanes.

A volume is a Fraction, computed from a pulling triangulation whose simplices'
volumes are integer determinants of homogeneous vertex rows (see
:mod:`polyregions.geometry.polytope` for the row layout). The
``(n - 1)``-volume of a piece of the hyperplane ``b + a . x = 0`` is the volume
of its projection to the coordinates other than ``x_drop`` times
``|a| / |a_drop|``: a rational times the square root of an integer, kept as a
sympy expression that is never factored (:func:`exact_measure`), and summed by
radicand (:func:`sum_measures`).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable, Iterator, Sequence
from fractions import Fraction
from typing import TYPE_CHECKING

from ..numbers import IntegerRow, dot

if TYPE_CHECKING:
    import sympy

__all__ = ["simplex_volume_sum", "face_volume", "shared_facet_measure", "integer_determinant",
           "exact_measure", "sum_measures", "measure_in_hyperplane"]


def simplex_volume_sum(points: Sequence[IntegerRow], rows: Iterable[IntegerRow],
                       dim: int) -> Fraction:
    """Exact volume of the bounded full-dimensional polytope with these vertices and facets.

    Parameters
    ----------
    points : sequence of tuple of int
        The vertices as homogeneous integer rows ``(q, p_1, ..., p_dim)``, ``q > 0``.
    rows : iterable of tuple of int
        Its facet rows ``(b, a)``, each meaning ``b + a . x >= 0``.
    dim : int

    Examples
    --------
    >>> # The triangle (0, 0), (1/2, 0), (0, 1/3): area 1/12.
    >>> simplex_volume_sum([(1, 0, 0), (2, 1, 0), (3, 0, 1)], [(0, 1, 0), (0, 0, 1), (1, -2, -3)], 2)
    Fraction(1, 12)
    """
    facets = [frozenset(i for i, p in enumerate(points) if dot(row, p) == 0) for row in rows]
    return _triangulated_volume(points, facets, dim)


def face_volume(points: Sequence[IntegerRow], faces: Iterable[int], dim: int) -> Fraction:
    """Exact volume of a bounded full-dimensional polytope known by its vertices and faces.

    As :func:`simplex_volume_sum`, with the facets given by the vertices on
    them instead of by their rows: `faces` are bit masks (bit ``k`` for
    ``points[k]``) of faces of the polytope, among them all its facets (other
    faces are ignored).

    Examples
    --------
    >>> # The triangle (0, 0), (1/2, 0), (0, 1/3) again, its sides as pairs of vertices.
    >>> face_volume([(1, 0, 0), (2, 1, 0), (3, 0, 1)], [0b011, 0b101, 0b110], 2)
    Fraction(1, 12)
    """
    sets = [frozenset(k for k in range(len(points)) if mask >> k & 1) for mask in faces]
    return _triangulated_volume(points, sets, dim)


def _triangulated_volume(points: Sequence[IntegerRow], facets: Sequence[frozenset[int]],
                         dim: int) -> Fraction:
    # One common denominator: a Fraction sum would reduce at every simplex.
    numerators, dens = [], []
    for simplex in _pulling_triangulation(frozenset(range(len(points))), facets, dim):
        matrix = [points[i] for i in simplex]
        numerators.append(abs(integer_determinant(matrix)))
        dens.append(math.prod(p[0] for p in matrix))
    den = math.lcm(*dens)
    total = sum(n * (den // d) for n, d in zip(numerators, dens))
    return Fraction(total, den * math.factorial(dim))


def shared_facet_measure(row: Sequence[int], points: Sequence[IntegerRow],
                         faces: Iterable[int]) -> sympy.Expr:
    """The exact ``(n - 1)``-volume of a bounded piece of the hyperplane `row`.

    Parameters
    ----------
    row : sequence of int
        The hyperplane ``b + a . x = 0`` of ``R^n``, ``a != 0``.
    points : sequence of tuple of int
        The piece's vertices, homogeneous rows of ``R^n`` on the hyperplane.
    faces : iterable of int
        Bit masks of the vertices on faces of the piece, among them all its
        facets (as for :func:`face_volume`).

    Examples
    --------
    >>> # The segment from (1, 0) to (0, 1) on x + y = 1: its end points are its facets.
    >>> shared_facet_measure((-1, 1, 1), [(1, 1, 0), (1, 0, 1)], [0b01, 0b10])
    sqrt(2)
    """
    drop = next(k for k in range(len(row) - 1) if row[1 + k] != 0)
    projected = [p[:1 + drop] + p[2 + drop:] for p in points]
    return measure_in_hyperplane(face_volume(projected, faces, len(row) - 2), row, drop)


def _pulling_triangulation(face: frozenset[int], facets: Sequence[frozenset[int]],
                           dim: int) -> Iterator[tuple[int, ...]]:
    """Yield simplices (tuples of vertex indices) triangulating the `dim`-face `face`."""
    if len(face) == dim + 1:
        yield tuple(sorted(face))
        return
    apex = min(face)
    parts = {face & f for f in facets} - {face, frozenset()}
    for part in parts:
        # The facets of a face are its maximal proper faces.
        if apex in part or any(part < other for other in parts):
            continue
        for simplex in _pulling_triangulation(part, facets, dim - 1):
            yield (apex,) + simplex


def integer_determinant(matrix: Iterable[Sequence[int]]) -> int:
    """Exact determinant of a square integer matrix (Bareiss elimination, no fractions).

    Examples
    --------
    >>> integer_determinant([[2, 0, 1], [1, 3, 2], [1, 1, 2]])  # 2*(6-2) + 1*(1-3)
    6
    """
    m = [list(row) for row in matrix]
    if len(m) == 3:  # the volumes of 2-D and 3-D regions: written out, a few times faster
        return _determinant_3(m)
    if len(m) == 4:
        return _determinant_4(m)
    n, sign, previous = len(m), 1, 1
    for k in range(n - 1):
        if m[k][k] == 0:
            swap = next((i for i in range(k + 1, n) if m[i][k] != 0), None)
            if swap is None:
                return 0
            m[k], m[swap] = m[swap], m[k]
            sign = -sign
        for i in range(k + 1, n):
            for j in range(k + 1, n):
                m[i][j] = (m[i][j] * m[k][k] - m[i][k] * m[k][j]) // previous
        previous = m[k][k]
    return sign * m[n - 1][n - 1]


def _determinant_3(m: list[list[int]]) -> int:
    (a, b, c), (d, e, f), (g, h, i) = m
    return a * (e * i - f * h) - b * (d * i - f * g) + c * (d * h - e * g)


def _determinant_4(m: list[list[int]]) -> int:
    """Laplace expansion by the 2 x 2 minors of the first two rows and of the last two."""
    (a0, a1, a2, a3), (b0, b1, b2, b3), (c0, c1, c2, c3), (d0, d1, d2, d3) = m
    return ((a0 * b1 - a1 * b0) * (c2 * d3 - c3 * d2) - (a0 * b2 - a2 * b0) * (c1 * d3 - c3 * d1)
            + (a0 * b3 - a3 * b0) * (c1 * d2 - c2 * d1) + (a1 * b2 - a2 * b1) * (c0 * d3 - c3 * d0)
            - (a1 * b3 - a3 * b1) * (c0 * d2 - c2 * d0) + (a2 * b3 - a3 * b2) * (c0 * d1 - c1 * d0))


def measure_in_hyperplane(projected: Fraction | int, key: Sequence[int], drop: int) -> sympy.Expr:
    """The ``(n - 1)``-volume of a piece of the hyperplane `key` from its projected volume.

    Parameters
    ----------
    projected : Fraction
        The volume of the piece's projection to the coordinates other than `drop`.
    key : sequence of int
        The hyperplane's row ``(b, a)``, meaning ``b + a . x = 0``; ``a_drop != 0``.
    drop : int
        The coordinate left out (as in
        :func:`polyregions.geometry.hyperplane.restrict_to_hyperplane`).

    Returns
    -------
    sympy expression
        ``projected * |a| / |a_drop|``: the area element of the hyperplane over
        the other coordinates is ``|a| / |a_drop|``.

    Examples
    --------
    >>> # The segment of x + y = 1 over 0 <= y <= 1 (x dropped) has length sqrt(2).
    >>> measure_in_hyperplane(1, (-1, 1, 1), 0)
    sqrt(2)
    """
    norm = sum(v * v for v in key[1:])
    return exact_measure(Fraction(projected) / abs(key[1 + drop]), norm)


_SMALL_PRIMES = [p for p in range(2, 1000) if all(p % q for q in range(2, math.isqrt(p) + 1))]
_PRIMORIAL = math.prod(_SMALL_PRIMES)


def _take_out_small_squares(coefficient: Fraction, norm: int) -> tuple[Fraction, int]:
    """Move square factors p^2 (p < 1000) of `norm` into `coefficient`; cheap, not complete."""
    common = math.gcd(norm, _PRIMORIAL)  # one gcd finds the small primes worth trying
    for p in (q for q in _SMALL_PRIMES if common % q == 0) if common > 1 else ():
        square = p * p
        if square > norm:
            break
        while norm % square == 0:
            norm //= square
            coefficient *= p
    return coefficient, norm


def sum_measures(measures: Iterable[sympy.Expr]) -> sympy.Expr:
    """Exact sum of measures from :func:`exact_measure`, collected by radicand.

    Examples
    --------
    >>> sum_measures([exact_measure(1, 2), exact_measure(Fraction(1, 2), 8), exact_measure(3, 1)])
    2*sqrt(2) + 3
    """
    import sympy

    totals: dict[sympy.Expr, sympy.Expr] = {}
    for m in measures:
        coefficient, rest = m.as_coeff_Mul()
        totals[rest] = totals.get(rest, 0) + coefficient
    return sympy.Add(*(c * rest for rest, c in totals.items() if c != 0))


def exact_measure(coefficient: Fraction | int, norm: int) -> sympy.Expr:
    """``coefficient * sqrt(norm)`` as a sympy expression, built without factoring `norm`.

    Sympy would factor `norm` (often hundreds of bits) to simplify the root;
    here only square factors of primes below 1000 are taken out, and the whole
    root when `norm` is a perfect square.

    Examples
    --------
    >>> exact_measure(Fraction(4, 27), 18), exact_measure(Fraction(5, 2), 4)
    (4*sqrt(2)/9, 5)
    """
    import sympy  # imported on first use: it is slow to import and counting never needs it

    square, root = _square_root(norm)
    rational = Fraction(coefficient) * square
    factor = sympy.Rational(rational.numerator, rational.denominator)
    if isinstance(root, int):
        return factor * root
    if factor == 1:
        return root
    return sympy.Mul(factor, root, evaluate=False)


@functools.lru_cache(maxsize=4096)
def _square_root(norm: int) -> tuple[int, int | sympy.Expr]:
    """``sqrt(norm)`` as ``(s, r)``: ``s`` the square factor taken out, ``r`` an integer or a root.

    Facets on one hyperplane share its norm: the root is built once for all of them.
    """
    import sympy

    square, rest = _take_out_small_squares(Fraction(1), norm)
    root = math.isqrt(rest)
    if root * root == rest:
        return int(square), root
    return int(square), sympy.Pow(sympy.Integer(rest), sympy.Rational(1, 2), evaluate=False)
