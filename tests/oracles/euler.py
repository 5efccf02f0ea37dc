"""Euler characteristic and areas of planar polygon tilings, exactly.

A tiling of a convex domain by bounded convex polygons is a planar cell
complex homeomorphic to a closed disk, so ``V - E + F = 1``.  Here

* ``V`` is the number of distinct points that are a vertex of some polygon
  (every given point counts, also one listed in the middle of a straight side);
* ``E`` is the number of edges of the subdivision: each side of each polygon
  is split at every point of ``V`` lying in its relative interior (this makes
  T-junctions, where one polygon's vertex lies inside another's side,
  consistent), and the resulting sub-edges are collected as a set of
  unordered point pairs, so an interior sub-edge shared by two polygons and a
  sub-edge on the outer boundary are each counted once;
* ``F`` is the number of polygons.

Overlaps, gaps and holes change the value (a missing interior tile gives 0),
which is what makes it a useful check of region enumerations in the plane.

Angles are never computed: points are sorted counter-clockwise around the
centroid of the given points (an interior point of a non-degenerate convex
polygon) with an exact comparator -- first the half-plane (upper half with the
positive x-axis, or lower half), then the sign of the cross product.
All arithmetic is on ``Fraction``.
"""

from fractions import Fraction
from functools import cmp_to_key

__all__ = ["sort_ccw", "polygon_area", "subdivision_counts", "euler_characteristic_2d"]


def _cross(o, a, b):
    """Cross product ``(a - o) x (b - o)``."""
    return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])


def _points(vertices):
    pts = []
    seen = set()
    for v in vertices:
        if len(v) != 2:
            raise ValueError("vertices must be 2-D points")
        p = (Fraction(v[0]), Fraction(v[1]))
        if p not in seen:
            seen.add(p)
            pts.append(p)
    return pts


def sort_ccw(vertices):
    """Distinct vertices of a convex polygon in counter-clockwise order (exact).

    Parameters
    ----------
    vertices : iterable of (Fraction, Fraction)
        Points in convex position, any order; repeats are removed.  Points in
        the middle of a straight side are allowed and kept.

    Returns
    -------
    list of (Fraction, Fraction)
        Counter-clockwise, starting with the point of smallest angle in
        ``[0, 2 pi)`` seen from the centroid.

    Raises
    ------
    ValueError
        If there are fewer than 3 points, all points are collinear, or they are
        not in convex position.
    """
    pts = _points(vertices)
    if len(pts) < 3:
        raise ValueError("a polygon needs at least 3 distinct vertices")
    if all(_cross(pts[0], pts[1], p) == 0 for p in pts[2:]):
        raise ValueError("degenerate polygon: all vertices are collinear")
    n = len(pts)
    cx = sum(p[0] for p in pts) / n
    cy = sum(p[1] for p in pts) / n

    def half(p):
        dx, dy = p[0] - cx, p[1] - cy
        return 0 if dy > 0 or (dy == 0 and dx > 0) else 1

    def cmp(p, q):
        hp, hq = half(p), half(q)
        if hp != hq:
            return hp - hq
        c = _cross((cx, cy), p, q)
        if c == 0:
            # Same direction from an interior point: impossible for distinct
            # points in convex position (the centroid is interior).
            raise ValueError("vertices are not in convex position")
        return -1 if c > 0 else 1

    ordered = sorted(pts, key=cmp_to_key(cmp))
    for k in range(n):
        if _cross(ordered[k], ordered[(k + 1) % n], ordered[(k + 2) % n]) < 0:
            raise ValueError("vertices are not in convex position")
    return ordered


def polygon_area(vertices):
    """Exact area of a convex polygon given by its vertices in any order (shoelace)."""
    ordered = sort_ccw(vertices)
    n = len(ordered)
    twice = sum(
        ordered[k][0] * ordered[(k + 1) % n][1] - ordered[(k + 1) % n][0] * ordered[k][1] for k in range(n)
    )
    return twice / 2


def _strictly_between(p, q, r):
    """Is ``r`` in the relative interior of the segment ``[p, q]``?"""
    if _cross(p, q, r) != 0:
        return False
    d = (q[0] - p[0], q[1] - p[1])
    t = (r[0] - p[0]) * d[0] + (r[1] - p[1]) * d[1]
    return 0 < t < d[0] * d[0] + d[1] * d[1]


def subdivision_counts(polygons):
    """``(V, E, F)`` of the planar subdivision formed by ``polygons`` (module docstring)."""
    cycles = [sort_ccw(poly) for poly in polygons]
    vertices = set()
    for cyc in cycles:
        vertices.update(cyc)
    edges = set()
    for cyc in cycles:
        n = len(cyc)
        for k in range(n):
            p, q = cyc[k], cyc[(k + 1) % n]
            inner = [r for r in vertices if _strictly_between(p, q, r)]
            # order the split points along the side, from p to q
            d = (q[0] - p[0], q[1] - p[1])
            inner.sort(key=lambda r: (r[0] - p[0]) * d[0] + (r[1] - p[1]) * d[1])
            chain = [p, *inner, q]
            for a, b in zip(chain, chain[1:]):
                edges.add(frozenset((a, b)))
    return len(vertices), len(edges), len(cycles)


def euler_characteristic_2d(polygons):
    """``V - E + F`` of the subdivision; ``1`` for a tiling of a convex domain.

    Parameters
    ----------
    polygons : list of list of (Fraction, Fraction)
        Bounded convex polygons, each given by its vertices in any order.

    Returns
    -------
    int
    """
    v, e, f = subdivision_counts(polygons)
    return v - e + f
