"""The region adjacency graph: regions are nodes, shared facets are edges.

Two activation regions are adjacent when they share an ``(n0 - 1)``-dimensional
piece of facet. When the enumeration tracked adjacency through the refinement
(``EngineOptions(adjacency=True)`` in a bounded domain, see
:mod:`polyregions.enumeration.adjacency`), every region knows the pieces it
shares with the regions before it, and the graph is read off them.

Otherwise the shared pieces are found after the fact. Facets are grouped by
their hyperplane (a canonical primitive integer row), and within a hyperplane
the facets of the two sides are matched:

* in 1-D a hyperplane is a point and each side has one region;
* in 2-D facets are segments of one line; two overlap in a segment of positive
  length exactly when their extents along a coordinate axis on which the line
  is not constant overlap with positive length (exact comparisons);
* from 3-D on the same test on every axis only filters candidates, and the
  exact common piece in the hyperplane's coordinates decides
  (:func:`polyregions.geometry.hyperplane.hyperplane_piece`, or integer cutting of a
  bounded region's facet); it also gives a relative interior point and the
  measure.

Edges are found region by region, each from its smaller node, so that the
work can be reported (and stopped) region by region. There is no tolerance
and no all-pairs search over regions.
"""

import math
from bisect import bisect_left, bisect_right
from collections import defaultdict, namedtuple
from collections.abc import Callable, Iterable, Iterator
from fractions import Fraction
from typing import TYPE_CHECKING

from ..enumeration.complex import RegionComplex
from ..geometry.hyperplane import (
    HyperplanePiece,
    canonical_hyperplane,
    hyperplane_piece,
    lift_from_hyperplane,
    restrict_to_hyperplane,
)
from ..geometry.incidence import BoundedPolytope, cut_polytope
from ..geometry.measure import exact_measure, measure_in_hyperplane, shared_facet_measure
from ..geometry.polytope import facet_rows, relative_interior_point
from ..numbers import dot

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["region_graph", "boundary_facet_count", "adjacent_pairs", "domain_facet_count"]

# A facet of `region` on `row`: its extent (lo, hi) along the sweep axis, and by axis.
_Facet = namedtuple("_Facet", "lo hi region row extents")


def region_graph(result: RegionComplex, *, volumes: bool = True, facet_measures: bool = True,
                 points: bool = True, maps: bool = True,
                 progress: Callable[[int, int], object] | None = None) -> "nx.Graph":
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
    points : bool, optional
        Compute the rational interior point of every region (node
        ``interior_point``) and of every shared facet (edge ``point``); else
        they are None. Counting needs neither, and these Fractions of large
        numbers are a good part of the graph's cost.
    maps : bool, optional
        Store every region's output map as Fractions (node ``affine_map``);
        else it is None, and the integer map stays on the region
        (:attr:`~polyregions.enumeration.complex.Region.output_rows`).
    progress : callable, optional
        Called as ``progress(done, total)`` after each region is processed (its
        node and its edges to later regions), ``total`` being the number of
        regions. An exception it raises stops the work and propagates unchanged.

    Returns
    -------
    networkx.Graph
        Node ``i`` is ``result[i]`` with attributes ``pattern``,
        ``interior_point`` (None without `points`), ``bounded``, ``volume``
        (Fraction or None), ``affine_map`` ``(A, c)`` (None without `maps`),
        ``inequalities`` (facet rows ``(b, a)``
        meaning ``b + a . x >= 0``) and ``boundary_facets`` (the rows of those
        facets that lie on the domain's boundary). Edge ``(i, j)``, ``i < j``,
        has ``hyperplane`` (the row, ``>= 0`` on region ``i``), ``units`` (the
        ``(layer, unit)`` pairs whose piece differs), ``point`` (a rational
        point in the relative interior of the shared facet; None without
        `points`) and ``measure``
        (None when the shared facet is unbounded or measures are off; 1 in
        one dimension).
        Graph attributes: ``input_dim``, ``dim``, ``domain``, ``complete``.

    Notes
    -----
    The edges come from the shared facets the enumeration tracked when every
    region has them (``EngineOptions(adjacency=True)`` in a bounded domain);
    otherwise they are found after the fact, with the same edges and
    attributes (the point may be another one of the shared facet's relative
    interior). Either way it runs region by region: the tracked edges of a
    region are those to earlier regions, the others those to later ones.

    Examples
    --------
    >>> from polyregions import Network, ReluLayer, Box, enumerate_regions
    >>> net = Network(2, [ReluLayer([[1, 0], [0, 1]], [0, 0])])
    >>> G = region_graph(enumerate_regions(net, Box.cube(2, -1, 1)))
    >>> G.number_of_nodes(), G.number_of_edges(), sorted(d for _, d in G.degree())
    (4, 4, [2, 2, 2, 2])
    >>> sum(m for _, _, m in G.edges(data="measure"))  # the cross: 4 unit segments
    4
    >>> H = region_graph(enumerate_regions(net, Box.cube(2, -1, 1)), points=False, maps=False)
    >>> sorted(H.edges) == sorted(G.edges), H.nodes[0]["interior_point"], H.nodes[0]["affine_map"]
    (True, None, None)
    """
    if not isinstance(result, RegionComplex):
        raise TypeError("region_graph takes the RegionComplex of enumerate_regions")
    import networkx as nx  # on first use: counting needs no graph

    dim = result.domain.dim
    graph = nx.Graph(input_dim=result.network.input_dim, dim=dim,
                     domain=result.domain.to_spec(), complete=result.complete)
    graph.add_nodes_from(range(len(result)))  # node order is region order
    domain_rows = set(result.domain.polytope.rows)
    tracked = all(region.shared_facets is not None for region in result)
    edges = _tracked_edges if tracked else _searched_edges(result, domain_rows, dim)
    for i, region in enumerate(result):
        poly = region.polytope
        graph.add_node(i, pattern=region.pattern,
                       interior_point=region.interior_point() if points else None,
                       bounded=poly.is_bounded, volume=poly.volume() if volumes else None,
                       affine_map=region.affine_map if maps else None, inequalities=poly.rows,
                       boundary_facets=tuple(r for r in poly.rows if r in domain_rows))
        for j, k, row, point, measure in edges(result, i, facet_measures, points):
            graph.add_edge(j, k, hyperplane=row, point=point, measure=measure,
                           units=_changed_units(result[j].pattern, result[k].pattern))
        if progress is not None:
            progress(i + 1, len(result))
    return graph


def adjacent_pairs(result: RegionComplex,
                   members: Iterable[int]) -> Iterator[tuple[int, int, tuple[int, ...]]]:
    """The edges of :func:`region_graph` between the regions `members` only.

    Parameters
    ----------
    result : RegionComplex
    members : iterable of int
        Indices into `result`.

    Yields
    ------
    (i, j, row)
        ``i < j`` adjacent members and the row of their shared facet (``>= 0``
        on region ``i``), by increasing ``j``.

    Notes
    -----
    Whether two regions share an ``(n0 - 1)``-dimensional piece of facet depends
    on these two regions alone, so a search among a few regions (those whose
    output maps coincide, say) finds their edges without building the graph.
    Tracked shared facets are read when every region has them.

    Examples
    --------
    >>> from polyregions import Network, ReluLayer, Box, enumerate_regions
    >>> cx = enumerate_regions(Network(2, [ReluLayer([[1, 0], [0, 1]], [0, 0])]), Box.cube(2, -1, 1))
    >>> [(i, j) for i, j, _ in adjacent_pairs(cx, [0, 1, 3])]
    [(0, 1), (1, 3)]
    """
    members = sorted(set(members))
    if all(region.shared_facets is not None for region in result):
        chosen = set(members)
        for j in members:
            for facet in result[j].shared_facets or ():
                if facet.region in chosen:
                    yield facet.region, j, facet.row
        return
    subset = RegionComplex(result.network, result.domain, [result[k] for k in members])
    edges = _searched_edges(subset, set(result.domain.polytope.rows), result.domain.dim)
    found = [(members[a], members[b], row)
             for i in range(len(subset)) for a, b, row, _, _ in edges(subset, i, False, False)]
    # The search finds each edge from its smaller node: order them as the tracked ones.
    yield from sorted(found, key=lambda e: e[1])


def domain_facet_count(result: RegionComplex) -> int:
    """The number of region facets on the domain's boundary (:func:`boundary_facet_count`
    without the graph).

    Examples
    --------
    >>> from polyregions import Network, ReluLayer, Box, enumerate_regions
    >>> domain_facet_count(enumerate_regions(Network(2, [ReluLayer([[1, 0]], [0])]), Box.cube(2, -1, 1)))
    6
    """
    domain_rows = set(result.domain.polytope.rows)
    return sum(1 for region in result for row in region.polytope.rows if row in domain_rows)


def _tracked_edges(result, i, measures, points):
    """Region i's edges ``(j, i, row, point, measure)`` to earlier regions, from its shared facets."""
    for facet in result[i].shared_facets:
        measure = shared_facet_measure(facet.row, facet.points, facet.faces) if measures else None
        point = relative_interior_point(facet.points) if points else None
        yield facet.region, i, facet.row, point, measure


def _searched_edges(result, domain_rows, dim):
    """The edges of each region to later regions, found after the fact."""
    facets = _file_facets(result, domain_rows, dim)

    def edges(result, i, measures, points):
        for row in result[i].polytope.rows:
            if row in domain_rows:
                continue
            # Each edge is found once, from its smaller node: `row` is then its orientation.
            for j, point, measure in _neighbours(result, facets, i, row, dim, measures):
                yield i, j, row, point if points else None, measure
    return edges


def boundary_facet_count(graph: "nx.Graph") -> int:
    """The number of region facets lying on the domain's boundary.

    Examples
    --------
    >>> from polyregions import Box, LinearLayer, Network, ReluLayer, enumerate_regions
    >>> net = Network(2, [ReluLayer([[1, 0], [0, 1]], [0, 0])])
    >>> G = region_graph(enumerate_regions(net, Box.cube(2, -1, 1)))
    >>> boundary_facet_count(G)          # the four quadrants each meet two sides of the square
    8
    """
    return sum(len(d) for _, d in graph.nodes(data="boundary_facets"))


def _changed_units(p, q):
    # Neighbours differ in few layers: equal layers are skipped by one tuple comparison.
    return tuple((layer, unit) for layer, (a, b) in enumerate(zip(p, q)) if a != b
                 for unit, (x, y) in enumerate(zip(a, b)) if x != y)


def _facet_generators(poly, row):
    """Vertices (as Fraction tuples), rays and lines of the facet of `poly` on `row`."""
    points = [tuple(Fraction(c, p[0]) for c in p[1:]) for p in poly.point_rows if dot(row, p) == 0]
    rays = [r[1:] for r in poly.ray_rows if dot(row, r) == 0]
    return points, rays, [line[1:] for line in poly.line_rows]


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


def _sweep_axis(key, dim):
    """An axis along which the hyperplane of `key` is not constant (``dim >= 2``)."""
    nonzero = [k for k in range(dim) if key[1 + k] != 0]
    return next(k for k in range(dim) if any(n != k for n in nonzero))


def _lower_end(facet):
    """A facet's lower end as a sort key (exact: Fractions compare exactly with infinities)."""
    return -math.inf if facet.lo is None else facet.lo


def _upper_end(facet):
    return math.inf if facet.hi is None else facet.hi


def _file_facets(result, domain_rows, dim):
    """The facets off the domain's boundary, by hyperplane and side, and by ``(region, row)``.

    For each hyperplane: its sweep axis, and for each side the facets sorted by
    their lower ends along that axis, with the lists of their lower and upper
    ends for bisection.
    """
    sides, own, axes = defaultdict(lambda: ([], [])), {}, {}
    for i, region in enumerate(result):
        for row in region.polytope.rows:
            if row in domain_rows:
                continue
            key, side = canonical_hyperplane(row)
            extents, lo, hi = None, None, None
            if dim > 1:
                if key not in axes:
                    axes[key] = _sweep_axis(key, dim)
                generators = _facet_generators(region.polytope, row)
                # From 3-D on, every axis filters candidates (see _piece_match).
                extents = {k: _extent(generators, k)
                           for k in (range(dim) if dim > 2 else (axes[key],))}
                lo, hi = extents[axes[key]]
            own[i, row] = facet = _Facet(lo, hi, i, row, extents)
            sides[key][0 if side > 0 else 1].append(facet)
    by_key = {}
    for key, pair in sides.items():
        ordered = [sorted(facets, key=_lower_end) for facets in pair]
        by_key[key] = axes.get(key), tuple(
            (facets, [_lower_end(f) for f in facets], [_upper_end(f) for f in facets])
            for facets in ordered)
    return by_key, own


def _neighbours(result, facets, i, row, dim, measures):
    """Yield ``(j, point, measure)`` for the regions ``j > i`` sharing a piece of i's facet on `row`."""
    by_key, own = facets
    key, side = canonical_hyperplane(row)
    axis, pair = by_key[key]
    others, lower_ends, upper_ends = pair[1 if side > 0 else 0]
    if dim == 1:  # the hyperplane is a point, the facet of one region on each side
        point = (Fraction(-key[0], key[1]),)
        yield from ((f.region, point, exact_measure(1, 1)) for f in others if f.region > i)
        return
    mine = own[i, row]
    # Only facets starting before this one ends can overlap it with positive length.
    stop = bisect_left(lower_ends, _upper_end(mine))
    start = 0
    if dim == 2:
        # The facets on one side of a line are disjoint segments: sorted by their
        # lower ends, they are sorted by their upper ends too.
        start = bisect_right(upper_ends, _lower_end(mine))
    for other in others[start:stop]:
        if other.region <= i:
            continue
        overlapping, lo, hi = _overlap((mine.lo, mine.hi), (other.lo, other.hi))
        if not overlapping:
            continue
        match = (_segment_match(key, lo, hi, axis, measures) if dim == 2
                 else _piece_match(result, key, mine, other, axis, measures))
        if match is not None:
            yield (other.region,) + match


def _segment_match(key, lo, hi, axis, measures):
    """``(point, measure)`` of the common segment ``lo .. hi`` (along `axis`) of two facets on a line.

    In 2-D the positive-length overlap along the sweep axis already decides;
    the point is the middle of the common segment (or a point of it at
    distance 1 from its one finite end).
    """
    mid = (lo + hi) / 2 if lo is not None and hi is not None else \
        (hi - 1 if lo is None and hi is not None else (lo + 1 if lo is not None else Fraction(0)))
    other = 1 - axis  # the facet, in the line's own coordinate along `axis`
    measure = None
    if measures and lo is not None and hi is not None:
        measure = measure_in_hyperplane(hi - lo, key, other)
    return lift_from_hyperplane(key, other, [mid]), measure


def _piece_match(result, key, f, g, axis, measures):
    """Exact test (from 3-D on) that facets `f` and `g` on `key` share an (n0-1)-dimensional piece.

    Returns ``(point, measure)`` for the shared piece, or None.
    """
    # Every axis must overlap (closed) before the exact computation in the hyperplane.
    for k in range(len(key) - 1):
        if k != axis:
            _, lo, hi = _overlap(f.extents[k], g.extents[k])
            if lo is not None and hi is not None and lo > hi:
                return None
    piece = _shared_piece(result, key, f, g)
    if piece is None:
        return None
    return piece.point, piece.measure() if measures else None


def _shared_piece(result, key, f, g):
    """The common piece of facets `f` and `g` on `key` when (n0-1)-dimensional, else None.

    Both facets are cut out of the hyperplane by their regions' other rows, so
    their common piece is the part of the hyperplane where the other rows of
    both regions hold.
    """
    if not result[f.region].polytope.is_bounded and result[g.region].polytope.is_bounded:
        f, g = g, f
    if result[f.region].polytope.is_bounded:
        return _cut_bounded_facet(result, key, f, g)
    rows = [r for r in result[f.region].polytope.rows if r != f.row]
    rows += [r for r in result[g.region].polytope.rows if r != g.row]
    return hyperplane_piece(key, rows, len(key) - 1)


def _cut_bounded_facet(result, key, f, g):
    """The facet `f` of a bounded region, whose vertices are known, cut by `g`'s region in integers."""
    dim = len(key) - 1
    poly_f, poly_g = result[f.region].polytope, result[g.region].polytope
    drop, restricted_f = restrict_to_hyperplane(key, [r for r in poly_f.rows if r != f.row], dim)
    _, restricted_g = restrict_to_hyperplane(key, [r for r in poly_g.rows if r != g.row], dim)
    points = tuple(p[:1 + drop] + p[2 + drop:] for p in poly_f.point_rows if dot(f.row, p) == 0)
    piece = BoundedPolytope.from_generators(facet_rows(restricted_f, points, ()), points)
    for ident, r in enumerate(restricted_g, start=len(piece.rows)):
        if not any(r[1:]):
            if r[0] < 0:  # parallel to the hyperplane, and false on it
                return None
            continue
        piece = cut_polytope(piece, r, ident, dim - 1)
        if piece is None:
            return None
    return HyperplanePiece.from_trusted_parts(key, drop, piece.facet_rows(), piece.points, ())
