"""Bounded polytopes as vertices with facet incidence, cut exactly by half-spaces.

The engine's fast path for bounded regions in any dimension. A polytope is kept
as its vertices (homogeneous primitive integer rows ``(q, p_1, ..., p_n)``,
``q > 0``), its facet rows, and for every vertex the set of facets it lies on
(facets are named by integer ids that stay fixed while regions are refined).

Cutting by the half-space ``c . (1, x) >= 0`` is one step of the double
description method in integer arithmetic:

* vertices with ``c >= 0`` stay (those with ``c = 0`` now also lie on the cut);
* every edge from a vertex ``v`` with value ``s > 0`` to a vertex ``w`` with
  ``t < 0`` gives the new vertex ``s w - t v``, which lies on the cut and on the
  facets of the edge. Two vertices span an edge exactly when no third vertex
  lies on all the facets they share (the combinatorial adjacency test of
  Fukuda and Prodon), which needs no arithmetic;
* a facet row stays a facet exactly when its set of vertices is not strictly
  contained in another's (faces are determined by their vertices).

No ``Fraction``, no tolerance, and no call into cddlib.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from ..numbers import IntegerRow, IntegerRows, dot, primitive_vector

__all__ = ["BoundedPolytope", "cut_polytope", "vertex_masks"]


class BoundedPolytope:
    """Vertices, facet rows and vertex-facet incidence of a bounded polytope.

    Attributes
    ----------
    points : tuple of tuple of int
    rows : dict
        Facet id -> facet row.
    incidence : tuple of frozenset
        For each vertex, the ids of the facets it lies on.

    Examples
    --------
    >>> square = BoundedPolytope.from_generators(
    ...     [(0, 1, 0), (1, -1, 0), (0, 0, 1), (1, 0, -1)],     # 0 <= x, y <= 1
    ...     [(1, 0, 0), (1, 1, 0), (1, 1, 1), (1, 0, 1)])
    >>> len(square.points), len(square.rows), [len(facets) for facets in square.incidence]
    (4, 4, [2, 2, 2, 2])
    """

    __slots__ = ("points", "rows", "incidence")
    points: IntegerRows
    rows: dict[int, IntegerRow]
    incidence: tuple[frozenset[int], ...]

    def __init__(self, points: IntegerRows, rows: dict[int, IntegerRow],
                 incidence: tuple[frozenset[int], ...]) -> None:
        self.points, self.rows, self.incidence = points, rows, incidence

    @classmethod
    def from_generators(cls, rows: Sequence[IntegerRow], points: Sequence[IntegerRow],
                        first_id: int = 0) -> BoundedPolytope:
        """Build from irredundant facet `rows` and the vertices `points`; ids from `first_id`."""
        named = {first_id + i: row for i, row in enumerate(rows)}
        incidence = tuple(
            frozenset(i for i, row in named.items() if dot(row, p) == 0) for p in points
        )
        return cls(tuple(points), named, incidence)

    def facet_rows(self) -> IntegerRows:
        """The facet rows, in the order of their ids."""
        return tuple(self.rows.values())


def cut_polytope(poly: BoundedPolytope, cut: IntegerRow, cut_id: int,
                 dim: int) -> BoundedPolytope | None:
    """Intersect `poly` with ``cut . (1, x) >= 0``; the cut's facet id is `cut_id`.

    Returns
    -------
    BoundedPolytope or None
        None when the intersection has empty interior (no vertex strictly
        inside the half-space); `poly` itself when the cut is redundant.

    Examples
    --------
    >>> square = BoundedPolytope.from_generators(
    ...     [(0, 1, 0), (1, -1, 0), (0, 0, 1), (1, 0, -1)],     # 0 <= x, y <= 1
    ...     [(1, 0, 0), (1, 1, 0), (1, 1, 1), (1, 0, 1)])
    >>> half = cut_polytope(square, (1, -1, -1), 9, 2)           # x + y <= 1
    >>> sorted(half.points), sorted(half.rows)
    ([(1, 0, 0), (1, 0, 1), (1, 1, 0)], [0, 2, 9])
    """
    points, incidence = poly.points, poly.incidence
    values = [dot(cut, p) for p in points]
    if not any(s > 0 for s in values):
        return None
    if all(s >= 0 for s in values):
        return poly
    new_points: list[IntegerRow] = []
    new_incidence: list[frozenset[int]] = []
    positive, negative = [], []
    for i, s in enumerate(values):
        if s > 0:
            positive.append(i)
        elif s < 0:
            negative.append(i)
            continue
        new_points.append(points[i])
        new_incidence.append(incidence[i] | {cut_id} if s == 0 else incidence[i])
    # Vertices on each facet, as bit masks: the vertices on all facets of a pair
    # are then one AND per shared facet.
    on = vertex_masks(poly.rows, incidence)
    everyone = (1 << len(points)) - 1
    for i in positive:
        for j in negative:
            common = incidence[i] & incidence[j]
            if len(common) < dim - 1:
                continue
            shared = everyone
            for f in common:
                shared &= on[f]
            if shared != (1 << i) | (1 << j):  # a third vertex on all of them
                continue
            s, t = values[i], values[j]
            new_points.append(primitive_vector(s * b - t * a for a, b in zip(points[i], points[j])))
            new_incidence.append(common | {cut_id})
    rows = dict(poly.rows)
    rows[cut_id] = cut
    return _drop_redundant(tuple(new_points), rows, new_incidence)


def vertex_masks(rows: Iterable[int], incidence: Sequence[frozenset[int]]) -> dict[int, int]:
    """Facet id -> the bit mask of the vertices on that facet (bit ``k`` for vertex ``k``).

    Examples
    --------
    >>> vertex_masks([0, 1, 2], [frozenset({0, 2}), frozenset({0, 1})])  # two vertices of a segment
    {0: 3, 1: 2, 2: 1}
    """
    on = dict.fromkeys(rows, 0)
    for k, inc in enumerate(incidence):
        for f in inc:
            on[f] |= 1 << k
    return on


def _drop_redundant(points: IntegerRows, rows: dict[int, IntegerRow],
                    incidence: Sequence[frozenset[int]]) -> BoundedPolytope:
    """Keep the rows whose vertex sets are maximal; prune the incidence to them."""
    on = vertex_masks(rows, incidence)
    masks = set(on.values())
    # A row is redundant when its vertices are a proper subset of another row's.
    facets = {r for r, m in on.items() if m and not any(m != o and m & o == m for o in masks)}
    if len(facets) < len(rows):
        rows = {r: row for r, row in rows.items() if r in facets}
        incidence = [inc & facets for inc in incidence]
    return BoundedPolytope(points, rows, tuple(incidence))
