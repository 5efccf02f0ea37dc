"""Pieces of hyperplanes: rows restricted to a hyperplane, pieces there, points lifted back.

A hyperplane ``b + a . x = 0`` of ``R^dim`` is named by its primitive integer
row ``key = (b, a)`` (:func:`canonical_hyperplane` picks one of the two
orientations). Its own coordinates are those of ``R^dim`` but ``x_drop``, the
first coordinate it depends on: rows restricted to it stay integer rows
(:func:`restrict_to_hyperplane`), a piece of it is full-dimensional there
(:class:`HyperplanePiece`, :func:`hyperplane_piece`), and points come back to
``R^dim`` with :func:`lift_from_hyperplane`. Facets shared by regions, pieces of
the decision boundary and their measures are all computed this way.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from fractions import Fraction
from typing import TYPE_CHECKING

from ..immutable import FactoryBuilt, new_from_slots
from ..numbers import IntegerRow, IntegerRows, primitive_vector
from .measure import measure_in_hyperplane, simplex_volume_sum
from .polytope import double_description, facet_rows, is_full_dimensional, relative_interior_point

if TYPE_CHECKING:
    import sympy

__all__ = ["canonical_hyperplane", "restrict_to_hyperplane", "lift_from_hyperplane",
           "HyperplanePiece", "hyperplane_piece"]


def canonical_hyperplane(row: IntegerRow) -> tuple[IntegerRow, int]:
    """The hyperplane of `row` as a key, and the side (+1 or -1) of it that `row` keeps.

    The key is `row` or its negation, whichever has its first non-zero linear
    coefficient positive, so both sides of one hyperplane give the same key.
    `row` must be primitive (as facet rows are) for equal hyperplanes to give
    equal keys.

    Examples
    --------
    >>> canonical_hyperplane((1, 0, -2)), canonical_hyperplane((-1, 0, 2))
    (((-1, 0, 2), -1), ((-1, 0, 2), 1))
    """
    lead = next(v for v in row[1:] if v != 0)
    return (row, 1) if lead > 0 else (tuple(-v for v in row), -1)


def restrict_to_hyperplane(key: IntegerRow, rows: Iterable[IntegerRow],
                           dim: int) -> tuple[int, list[IntegerRow]]:
    """Rows as functions on the hyperplane ``key . (1, x) = 0``, in its own coordinates.

    The hyperplane's coordinates are those of ``R^dim`` but ``x_drop``, the first
    one the hyperplane depends on. On the hyperplane
    ``x_drop = -(key_0 + sum_{k != drop} key_k x_k) / key_drop``; substituting it
    and multiplying by ``|key_drop|`` keeps every row integral and oriented.

    Parameters
    ----------
    key : tuple of int
        The hyperplane's row ``(b, a)``, ``a != 0``.
    rows : sequence of tuple of int
        Rows ``(c, r)`` meaning ``c + r . x >= 0`` in ``R^dim``.
    dim : int

    Returns
    -------
    drop : int
    restricted : list of tuple of int
        Primitive rows of length ``dim``; a row with no linear part is constant
        on the hyperplane.

    Examples
    --------
    >>> restrict_to_hyperplane((-1, 1, 1), [(0, 1, 0), (0, 0, 1), (2, -1, 0)], 2)  # on x + y = 1
    (0, [(1, -1), (0, 1), (1, 1)])
    """
    drop = next(k for k in range(dim) if key[1 + k] != 0)
    kp = key[1 + drop]
    sign = 1 if kp > 0 else -1
    restricted = []
    for r in rows:
        rp = r[1 + drop]
        row = [sign * (kp * r[c] - rp * key[c]) for c in range(dim + 1) if c != 1 + drop]
        restricted.append(primitive_vector(row))
    return drop, restricted


def lift_from_hyperplane(key: Sequence[int], drop: int,
                         point: Sequence[Fraction | int]) -> tuple[Fraction | int, ...]:
    """The point of ``key . (1, x) = 0`` whose coordinates other than `drop` are `point`.

    With ``key[0] = 0`` it lifts a direction of the hyperplane instead.

    Examples
    --------
    >>> lift_from_hyperplane((-1, 1, 1), 0, [Fraction(1, 4)])  # on x + y = 1
    (Fraction(3, 4), Fraction(1, 4))
    """
    others = [k for k in range(len(point) + 1) if k != drop]
    rest = sum(key[1 + k] * v for k, v in zip(others, point))
    full: list[Fraction | int] = list(point)
    full.insert(drop, -(key[0] + rest) / Fraction(key[1 + drop]))
    return tuple(full)


class HyperplanePiece(FactoryBuilt):
    """A polyhedron of dimension ``dim - 1`` inside a hyperplane of ``R^dim``, exact.

    It is kept in the hyperplane's own coordinates (every coordinate but
    `drop`, as in :func:`restrict_to_hyperplane`), where it is
    full-dimensional. Build one with :func:`hyperplane_piece`, with
    :meth:`from_restricted` from rows already in the hyperplane's coordinates,
    or with :meth:`from_trusted_parts` from known generators; calling the class
    directly is refused.

    Attributes
    ----------
    key : tuple of int
        The hyperplane's primitive row ``(b, a)``: the piece lies on ``b + a . x = 0``.
    drop : int
        The coordinate left out in the hyperplane's coordinates.
    rows : tuple of tuple of int
        Inequalities of the piece in the hyperplane's coordinates (each with a
        linear part); redundant ones may be among them.
    point_rows, ray_rows : tuple of tuple of int
        Homogeneous primitive integer generators in the hyperplane's
        coordinates, as in :class:`~polyregions.geometry.polytope.HPolytope`
        (a point ``(q, p)``, ``q > 0``, is ``p / q``; a ray is ``(0, d)``); a
        line is stored as two opposite rays.

    Examples
    --------
    >>> # The face x3 = 0 of the unit simplex of R^3: a right triangle with legs 1.
    >>> piece = hyperplane_piece((0, 0, 0, 1), [(0, 1, 0, 0), (0, 0, 1, 0), (1, -1, -1, -1)], 3)
    >>> piece.measure(), piece.point
    (1/2, (Fraction(1, 3), Fraction(1, 3), Fraction(0, 1)))
    >>> hyperplane_piece((-1, 1, 1, 1), [(0, 1, 0, 0), (0, 0, 1, 0), (0, 0, 0, 1)], 3).measure()
    sqrt(3)/2
    """

    __slots__ = ("key", "drop", "rows", "point_rows", "ray_rows")
    factories = ("hyperplane_piece", "HyperplanePiece.from_restricted",
                 "HyperplanePiece.from_trusted_parts")
    key: IntegerRow
    drop: int
    rows: IntegerRows
    point_rows: IntegerRows
    ray_rows: IntegerRows

    @classmethod
    def from_trusted_parts(cls, key: Sequence[int], drop: int, rows: Iterable[IntegerRow],
                           point_rows: Iterable[IntegerRow],
                           ray_rows: Iterable[IntegerRow]) -> HyperplanePiece:
        """The piece with these rows and generators, taken as they are (nothing is checked).

        The caller guarantees what :meth:`from_restricted` would establish:
        `key` is a primitive hyperplane row with ``key[1 + drop] != 0``; `rows`
        are integer rows in the hyperplane's coordinates, each with a linear
        part (redundant ones allowed); `point_rows` and `ray_rows` are
        homogeneous primitive generators of ``{y : r . (1, y) >= 0 for r in rows}``
        (lines as two opposite rays), and that set is ``(dim - 1)``-dimensional.

        Examples
        --------
        >>> # The segment 0 <= y <= 2 of the line x = 1 of the plane (y kept, x dropped).
        >>> piece = HyperplanePiece.from_trusted_parts((-1, 1, 0), 0, [(0, 1), (2, -1)],
        ...                                            [(1, 0), (1, 2)], [])
        >>> piece.measure(), piece.point
        (2, (Fraction(1, 1), Fraction(1, 1)))
        """
        return new_from_slots(cls, tuple(key), drop, tuple(rows), tuple(point_rows),
                              tuple(ray_rows))

    @classmethod
    def from_restricted(cls, key: Sequence[int], drop: int,
                        rows: Iterable[IntegerRow]) -> HyperplanePiece | None:
        """The piece ``{y : r . (1, y) >= 0 for r in rows}`` of the hyperplane, or None.

        `rows` are in the hyperplane's coordinates (from :func:`restrict_to_hyperplane`)
        and each has a linear part. None when the set is empty or not
        ``(dim - 1)``-dimensional.

        Examples
        --------
        >>> # On the line x = 1 (x dropped): 0 <= y <= 2 is a segment, 0 <= y <= 0 a point.
        >>> HyperplanePiece.from_restricted((-1, 1, 0), 0, [(0, 1), (2, -1)]).measure()
        2
        >>> HyperplanePiece.from_restricted((-1, 1, 0), 0, [(0, 1), (0, -1)]) is None
        True
        """
        rows = tuple(rows)
        points, rays, lines = double_description(rows, len(key) - 2)
        rays += lines + tuple(tuple(-v for v in line) for line in lines)
        if not is_full_dimensional(rows, points, rays):
            return None
        return cls.from_trusted_parts(key, drop, rows, points, rays)

    @property
    def dim(self) -> int:
        """The dimension of the ambient space (the piece has dimension ``dim - 1``)."""
        return len(self.key) - 1

    @property
    def is_bounded(self) -> bool:
        """Whether the piece is bounded (it has no ray)."""
        return not self.ray_rows

    @property
    def point(self) -> tuple[Fraction | int, ...]:
        """A rational point of the piece's relative interior, in ``R^dim``."""
        inner = relative_interior_point(self.point_rows, self.ray_rows)
        return lift_from_hyperplane(self.key, self.drop, inner)

    @property
    def vertices(self) -> tuple[tuple[Fraction | int, ...], ...]:
        """The generating points in ``R^dim`` (the vertices when the piece is pointed)."""
        return tuple(lift_from_hyperplane(self.key, self.drop, [Fraction(c, p[0]) for c in p[1:]])
                     for p in self.point_rows)

    @property
    def ray_directions(self) -> tuple[tuple[Fraction | int, ...], ...]:
        """The ray directions in ``R^dim`` (lines as two opposite rays)."""
        linear = (0,) + self.key[1:]
        return tuple(lift_from_hyperplane(linear, self.drop, [Fraction(c) for c in r[1:]])
                     for r in self.ray_rows)

    def measure(self) -> sympy.Expr | None:
        """The exact ``(dim - 1)``-volume, a sympy expression, or None when unbounded.

        The volume of the piece's projection to the hyperplane's coordinates,
        times ``|a| / |a_drop|`` (:func:`~polyregions.geometry.measure.measure_in_hyperplane`).
        """
        if self.ray_rows:
            return None
        area = simplex_volume_sum(self.point_rows, facet_rows(self.rows, self.point_rows, ()),
                                  self.dim - 1)
        return measure_in_hyperplane(area, self.key, self.drop)

    def __repr__(self) -> str:
        kind = "bounded" if self.is_bounded else "unbounded"
        return f"HyperplanePiece(key={self.key}, {kind})"


def hyperplane_piece(key: IntegerRow, rows: Iterable[IntegerRow],
                     dim: int) -> HyperplanePiece | None:
    """The part of the hyperplane ``key . (1, x) = 0`` where every row is ``>= 0``.

    Parameters
    ----------
    key : tuple of int
        Primitive row ``(b, a)`` of the hyperplane, ``a != 0``.
    rows : sequence of tuple of int
        Rows ``(c, r)`` meaning ``c + r . x >= 0`` in ``R^dim``, ``dim >= 2``.
    dim : int

    Returns
    -------
    HyperplanePiece or None
        None when that part is empty or of dimension below ``dim - 1``.

    Examples
    --------
    >>> square = [(1, 1, 0), (1, -1, 0), (1, 0, 1), (1, 0, -1)]  # [-1, 1]^2
    >>> hyperplane_piece((0, 1, -1), square, 2).measure()  # its diagonal
    2*sqrt(2)
    >>> hyperplane_piece((-2, 1, 0), square, 2) is None  # the line x = 2 misses it
    True
    """
    drop, restricted = restrict_to_hyperplane(key, rows, dim)
    kept = []
    for r in restricted:
        if any(r[1:]):
            kept.append(r)
        elif r[0] < 0:  # parallel to the hyperplane, and false on it
            return None
    return HyperplanePiece.from_restricted(key, drop, kept)
