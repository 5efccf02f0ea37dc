"""The region adjacency graph: regions are nodes, shared facets are edges.

Two activation regions are adjacent when they share an ``(n0 - 1)``-dimensional
piece of facet. Facets are grouped by their hyperplane (a canonical primitive
integer row), and within a hyperplane the facets of the two sides are matched:

* in 1-D a hyperplane is a point and each side has one region;
* in 2-D facets are segments of one line; two overlap in a segment of positive
  length exactly when their extents along a coordinate axis on which the line
  is not constant overlap with positive length (exact comparisons);
* from 3-D on the same test on every axis only filters candidates, and an
  exact linear program in the hyperplane decides (it also gives a relative
  interior point of the shared piece).

There is no tolerance and no all-pairs search over regions.
"""

import math
from collections import defaultdict
from fractions import Fraction

import networkx as nx

from .complex import RegionComplex
from .incidence import BoundedPolytope, cut_polytope
from .polytope import (
    dot,
    double_description,
    facet_rows,
    lift_from_hyperplane,
    restrict_to_hyperplane,
    simplex_volume_sum,
)

__all__ = ["region_graph", "boundary_facet_count"]


def _canonical(row):
    """The hyperplane of `row` as a key, and the side (+1 or -1) `row` keeps."""
    lead = next(v for v in row[1:] if v != 0)
    return (row, 1) if lead > 0 else (tuple(-v for v in row), -1)


def region_graph(result, *, volumes=True, facet_measures=True):
    """Build the adjacency graph of an enumeration.

    Parameters
    ----------
    result : RegionComplex
        From :func:`polyregions.enumerate_regions`.
    volumes : bool, optional
        Compute the exact volume of every bounded region (node ``volume``).
    facet_measures : bool, optional
        Compute the exact ``(n0 - 1)``-volume of every bounded shared facet
        (edge ``measure``, a sympy expression since it is generally irrational).

    Returns
    -------
    networkx.Graph
        Node ``i`` is ``result[i]`` with attributes ``pattern``,
        ``interior_point``, ``bounded``, ``volume`` (Fraction or None),
        ``affine_map`` ``(A, c)``, ``inequalities`` (facet rows ``(b, a)``
        meaning ``b + a . x >= 0``) and ``boundary_facets`` (the rows of those
        facets that lie on the domain's boundary). Edge ``(i, j)``, ``i < j``,
        has ``hyperplane`` (the row, ``>= 0`` on region ``i``), ``units`` (the
        ``(layer, unit)`` pairs whose piece differs), ``point`` (a rational
        point in the relative interior of the shared facet) and ``measure``.
        Graph attributes: ``input_dim``, ``dim``, ``domain``, ``complete``.

    Examples
    --------
    >>> from polyregions import Network, ReluLayer, Box, enumerate_regions
    >>> net = Network(2, [ReluLayer([[1, 0], [0, 1]], [0, 0])])
    >>> G = region_graph(enumerate_regions(net, Box.cube(2, -1, 1)))
    >>> G.number_of_nodes(), G.number_of_edges(), sorted(d for _, d in G.degree())
    (4, 4, [2, 2, 2, 2])
    >>> sum(m for _, _, m in G.edges(data="measure"))  # the cross: 4 unit segments
    4
    """
    if not isinstance(result, RegionComplex):
        raise TypeError("region_graph takes the RegionComplex of enumerate_regions")
    dim = result.domain.dim
    graph = nx.Graph(input_dim=result.network.input_dim, dim=dim,
                     domain=result.domain.describe(), complete=result.complete)
    domain_rows = set(result.domain.polytope.rows)
    sides = defaultdict(lambda: ([], []))
    for i, region in enumerate(result):
        poly = region.polytope
        boundary = tuple(r for r in poly.rows if r in domain_rows)
        graph.add_node(i, pattern=region.pattern, interior_point=region.interior_point(),
                       bounded=poly.is_bounded, volume=poly.volume() if volumes else None,
                       affine_map=region.affine_map, inequalities=poly.rows,
                       boundary_facets=boundary)
        for row in poly.rows:
            if row not in domain_rows:
                key, side = _canonical(row)
                sides[key][0 if side > 0 else 1].append((i, row))
    for key, (plus, minus) in sides.items():
        # Region i is on the side key >= 0, region j on the side key <= 0.
        for i, j, point, measure in _matches(result, key, plus, minus, dim, facet_measures):
            row = key if i < j else tuple(-v for v in key)
            graph.add_edge(min(i, j), max(i, j), hyperplane=row, point=point, measure=measure,
                           units=_changed_units(result[i].pattern, result[j].pattern))
    return graph


def boundary_facet_count(graph):
    """The number of region facets lying on the domain's boundary."""
    return sum(len(d) for _, d in graph.nodes(data="boundary_facets"))


def _changed_units(p, q):
    return tuple((layer, unit) for layer, (a, b) in enumerate(zip(p, q))
                 for unit, (x, y) in enumerate(zip(a, b)) if x != y)


def _facet_generators(poly, row):
    """Vertices (as Fraction tuples), rays and lines of the facet of `poly` on `row`."""
    points = [tuple(Fraction(c, p[0]) for c in p[1:]) for p in poly._points if dot(row, p) == 0]
    rays = [r[1:] for r in poly._rays if dot(row, r) == 0]
    return points, rays, [line[1:] for line in poly._lines]


def _extent(generators, axis):
    """The closed interval covered by a facet along `axis` (None for infinite ends)."""
    points, rays, lines = generators
    values = [p[axis] for p in points]
    lo, hi = min(values), max(values)
    if any(line[axis] != 0 for line in lines):
        return None, None
    if any(r[axis] < 0 for r in rays):
        lo = None
    if any(r[axis] > 0 for r in rays):
        hi = None
    return lo, hi


def _overlap(e, f):
    """Whether two extents overlap in an interval of positive length; its ends."""
    lo = e[0] if f[0] is None else f[0] if e[0] is None else max(e[0], f[0])
    hi = e[1] if f[1] is None else f[1] if e[1] is None else min(e[1], f[1])
    return (lo is None or hi is None or lo < hi), lo, hi


def _matches(result, key, plus, minus, dim, measures):
    """Yield ``(i, j, point, measure)`` for the facets of both sides that share a piece."""
    if dim == 1:
        point = (Fraction(-key[0], key[1]),)
        for i, _ in plus:
            for j, _ in minus:
                yield i, j, point, exact_measure(1, 1)
        return
    # An axis on which the hyperplane is not constant.
    nonzero = [k for k in range(dim) if key[1 + k] != 0]
    axis = next(k for k in range(dim) if any(n != k for n in nonzero))
    gens = {}
    for i, row in plus + minus:
        gens[i, row] = _facet_generators(result[i].polytope, row)
    # Sweep the facets of both sides in order of their lower end along `axis`.
    events = []
    for side, facets in ((0, plus), (1, minus)):
        for i, row in facets:
            lo, hi = _extent(gens[i, row], axis)
            events.append((lo, hi, side, i, row))
    events.sort(key=lambda e: (e[0] is not None, e[0] if e[0] is not None else 0))
    active = ([], [])
    for lo, hi, side, i, row in events:
        other = active[1 - side]
        # Drop facets that end before this one starts: they cannot overlap later ones.
        other[:] = [o for o in other if o[1] is None or lo is None or o[1] > lo]
        for olo, ohi, j, orow in other:
            overlapping, a, b = _overlap((lo, hi), (olo, ohi))
            if not overlapping:
                continue
            match = _confirm(result, key, (i, row), (j, orow), (a, b), axis, dim, gens, measures)
            if match is not None:
                yield (i, j) + match if side == 0 else (j, i) + match
        active[side].append((lo, hi, i, row))


def _confirm(result, key, f, g, interval, axis, dim, gens, measures):
    """Exact test that two facets on `key` share an (n0-1)-dimensional piece."""
    if dim == 2:
        lo, hi = interval
        mid = (lo + hi) / 2 if lo is not None and hi is not None else \
            (hi - 1 if lo is None and hi is not None else (lo + 1 if lo is not None else Fraction(0)))
        other = 1 - axis
        point = [None, None]
        point[axis] = mid
        point[other] = -(key[0] + key[1 + axis] * mid) / Fraction(key[1 + other])
        measure = None
        if measures and lo is not None and hi is not None:
            norm = key[1] ** 2 + key[2] ** 2
            measure = exact_measure((hi - lo) / abs(key[1 + other]), norm)
        return tuple(point), measure
    # Every axis must overlap (closed) before the exact linear program.
    for k in range(dim):
        if k != axis:
            e, h = _extent(gens[f], k), _extent(gens[g], k)
            lo = e[0] if h[0] is None else h[0] if e[0] is None else max(e[0], h[0])
            hi = e[1] if h[1] is None else h[1] if e[1] is None else min(e[1], h[1])
            if lo is not None and hi is not None and lo > hi:
                return None
    return _shared_piece(result, key, f, g, dim, measures)


def _shared_piece(result, key, f, g, dim, measures):
    """Relative interior point and measure of the common piece of facets `f` and `g`.

    Both facets are cut out of the hyperplane by their regions' other rows, so
    their common piece is, in the coordinates of the hyperplane, the polyhedron
    of both regions' restricted rows: full-dimensional there exactly when each
    row with a linear part is strict at one of its generators.
    """
    (i, row_i), (j, row_j) = f, g
    rows_i = [r for r in result[i].polytope.rows if r != row_i]
    rows_j = [r for r in result[j].polytope.rows if r != row_j]
    drop, restricted_i = restrict_to_hyperplane(key, rows_i, dim)
    _, restricted_j = restrict_to_hyperplane(key, rows_j, dim)
    cuts = []
    for r in restricted_j:
        if not any(r[1:]):
            if r[0] < 0:
                return None
            continue
        cuts.append(r)
    poly_i = result[i].polytope
    if poly_i.is_bounded and result[j].polytope.is_bounded:
        # Facet i's vertices are known; cut it by region j's rows in integers.
        points = tuple(p[:1 + drop] + p[2 + drop:] for p in poly_i._points if dot(row_i, p) == 0)
        piece = BoundedPolytope.from_generators(facet_rows(restricted_i, points, ()), points)
        for ident, r in enumerate(cuts, start=len(piece.rows)):
            piece = cut_polytope(piece, r, ident, dim - 1)
            if piece is None:
                return None
        points, rays = piece.points, ()
    else:
        points, rays, _ = double_description(restricted_i + cuts, dim - 1)
        generators = points + rays
        if not points or any(any(r[1:]) and not any(dot(r, x) > 0 for x in generators)
                             for r in restricted_i + cuts):
            return None
    inner = [sum(Fraction(p[1 + k], p[0]) for p in points) / len(points) for k in range(dim - 1)]
    for ray in rays:
        inner = [a + b for a, b in zip(inner, ray[1:])]
    measure = None
    if measures and not rays:
        area = simplex_volume_sum(points, piece.facet_rows(), dim - 1)
        norm = sum(v * v for v in key[1:])
        measure = exact_measure(area / abs(key[1 + drop]), norm)
    return lift_from_hyperplane(key, drop, inner), measure


_SMALL_PRIMES = [p for p in range(2, 1000) if all(p % q for q in range(2, math.isqrt(p) + 1))]
_PRIMORIAL = math.prod(_SMALL_PRIMES)


def _take_out_small_squares(coefficient, norm):
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


def sum_measures(measures):
    """Exact sum of measures from :func:`exact_measure`, collected by radicand."""
    import sympy

    totals = {}
    for m in measures:
        coefficient, rest = m.as_coeff_Mul()
        totals[rest] = totals.get(rest, 0) + coefficient
    return sympy.Add(*(c * rest for rest, c in totals.items() if c != 0))


def exact_measure(coefficient, norm):
    """``coefficient * sqrt(norm)`` as a sympy expression, built without factoring `norm`.

    Sympy would factor `norm` (often hundreds of bits) to simplify the root;
    here a square is taken out only when `norm` is a perfect square.
    """
    import sympy  # imported on first use: it is slow to import and counting never needs it

    coefficient, norm = _take_out_small_squares(Fraction(coefficient), norm)
    coefficient = sympy.Rational(coefficient.numerator, coefficient.denominator)
    root = math.isqrt(norm)
    if root * root == norm:
        return coefficient * root
    if coefficient == 1:
        return sympy.Pow(sympy.Integer(norm), sympy.Rational(1, 2), evaluate=False)
    return sympy.Mul(coefficient, sympy.Pow(sympy.Integer(norm), sympy.Rational(1, 2),
                                            evaluate=False), evaluate=False)
