"""Exact convex polygons: the engine's fast path in two dimensions.

A bounded full-dimensional region of the plane is kept as its vertices in cyclic
order (homogeneous primitive integer rows ``(q, x, y)`` with ``q > 0``, as in
:mod:`polyregions.geometry.polytope`) and, for every ``i``, the facet row of the edge
from vertex ``i`` to vertex ``i + 1``. Cutting it by a half-plane is one pass
of Sutherland-Hodgman clipping in integer arithmetic: a crossing edge from
``v`` (value ``s > 0``) to ``w`` (value ``t < 0``) meets the line at
``s w - t v``, whose first coordinate ``s q_w - t q_v`` is positive. Every edge
of the result has positive length, so its edge rows are irredundant without
any test; the double description, with its conversions to and from
``Fraction``, is not needed.
"""

from collections.abc import Sequence

from ..numbers import IntegerRow, IntegerRows, dot, primitive_vector

__all__ = ["cyclic_polygon", "clip_polygon"]


def cyclic_polygon(rows: Sequence[IntegerRow],
                   points: Sequence[IntegerRow]) -> tuple[IntegerRows, IntegerRows]:
    """Order a bounded polygon's vertices cyclically, with their edge rows.

    Parameters
    ----------
    rows : sequence of facet rows (irredundant)
    points : sequence of vertices (homogeneous integer rows)

    Returns
    -------
    points, rows : tuples
        ``rows[i]`` is the facet through ``points[i]`` and ``points[i + 1]``.

    Examples
    --------
    >>> square = [(0, 1, 0), (1, -1, 0), (0, 0, 1), (1, 0, -1)]  # 0 <= x, y <= 1
    >>> pts, edges = cyclic_polygon(square, [(1, 0, 0), (1, 1, 1), (1, 1, 0), (1, 0, 1)])
    >>> len(pts), all(dot(e, pts[i]) == 0 == dot(e, pts[(i + 1) % 4]) for i, e in enumerate(edges))
    (4, True)
    """
    on = {row: [p for p in points if dot(row, p) == 0] for row in rows}
    ordered_points, ordered_rows = [points[0]], []
    previous = None
    while True:
        current = ordered_points[-1]
        row = next(r for r in rows if r != previous and current in on[r])
        nxt = on[row][0] if on[row][1] == current else on[row][1]
        ordered_rows.append(row)
        if nxt == ordered_points[0]:
            break
        ordered_points.append(nxt)
        previous = row
    return tuple(ordered_points), tuple(ordered_rows)


def clip_polygon(points: IntegerRows, rows: IntegerRows,
                 cut: IntegerRow) -> tuple[IntegerRows, IntegerRows] | None:
    """Intersect a cyclic polygon with the half-plane ``cut . (1, x) >= 0``.

    Parameters
    ----------
    points, rows : tuples
        A cyclic polygon as returned by :func:`cyclic_polygon`.
    cut : tuple of int
        The half-plane's row.

    Returns
    -------
    (points, rows) or None
        The cyclic polygon of the intersection, or None when the intersection
        has empty interior (no vertex strictly inside the half-plane).

    Examples
    --------
    >>> pts = ((1, 0, 0), (1, 2, 0), (1, 2, 2), (1, 0, 2))           # the square [0, 2]^2
    >>> rows = ((0, 0, 1), (2, -1, 0), (2, 0, -1), (0, 1, 0))
    >>> clip_polygon(pts, rows, (1, -1, 0))[0]  # keep x <= 1
    ((1, 0, 0), (1, 1, 0), (1, 1, 2), (1, 0, 2))
    >>> clip_polygon(pts, rows, (0, -1, 0)) is None  # x <= 0 touches only an edge
    True
    """
    values = [dot(cut, p) for p in points]
    if not any(s > 0 for s in values):
        return None
    if all(s >= 0 for s in values):
        return points, rows
    out_points: list[IntegerRow] = []
    out_rows: list[IntegerRow] = []
    n = len(points)
    for i in range(n):
        s, t = values[i], values[(i + 1) % n]
        v, w = points[i], points[(i + 1) % n]
        if s >= 0:
            out_points.append(v)
            # The edge leaving v runs along the cut when v is on it and w is cut off.
            out_rows.append(cut if s == 0 and t < 0 else rows[i])
            if s > 0 > t:
                out_points.append(primitive_vector(s * b - t * a for a, b in zip(v, w)))
                out_rows.append(cut)
        elif t > 0:
            out_points.append(primitive_vector(t * a - s * b for a, b in zip(v, w)))
            out_rows.append(rows[i])
    return tuple(out_points), tuple(out_rows)
