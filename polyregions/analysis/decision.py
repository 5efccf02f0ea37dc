"""The decision boundary of a classifier, piece by piece, exactly.

The network's outputs ``y_1 .. y_m`` (``m >= 2``) are the logits; the
predicted class is the lowest-index argmax. On an activation region ``R`` every
``y_k`` is affine. Outputs that are the same affine function on ``R`` are
merged (the lowest index represents them). A pair ``(i, j)`` of representatives
makes a **piece** in ``R`` when the tie set

    ``T = {x in R : y_i(x) = y_j(x) >= y_k(x) for every other representative k}``

is ``(n0 - 1)``-dimensional: the seed paper's count of decision-boundary pieces
per activation region. ``T`` is computed exactly in the coordinates of the
hyperplane ``y_i = y_j`` (see :func:`polyregions.polytope.restrict_to_hyperplane`).

Degenerate placements are settled deterministically:

* a tie set lying on the domain's boundary is not a piece (the class does not
  change inside the domain there);
* a tie set lying on a facet shared with a neighbouring region (it appears in
  both) is a piece only if the predicted class changes across the facet there,
  and is then counted in the region with the smaller node id.

**Maximal pieces** merge pieces of adjacent regions that have the same class pair,
lie on the same hyperplane and continue into each other (they meet in an
``(n0 - 2)``-dimensional set).
"""

from fractions import Fraction

import networkx as nx
import sympy

from .._immutable import Immutable
from ..errors import PolyregionsError
from ..graph import _canonical, exact_measure, region_graph, sum_measures
from ..numbers import common_denominator, primitive_vector
from ..polytope import (
    dot,
    double_description,
    facet_rows,
    lift_from_hyperplane,
    restrict_to_hyperplane,
    simplex_volume_sum,
)

__all__ = ["BoundaryPiece", "DecisionBoundary", "decision_boundary"]


class BoundaryPiece(Immutable):
    """One piece of the decision boundary inside one activation region.

    Attributes
    ----------
    region : int
        Node id of the activation region.
    classes : tuple of int
        The pair ``(i, j)``, ``i < j``, of tied classes.
    hyperplane : tuple of int
        Primitive row ``(b, a)`` of the hyperplane ``y_i = y_j``.
    vertices, rays : tuple
        The piece's vertices (tuples of Fractions) and ray directions.
    point : tuple of Fraction
        A point in the piece's relative interior.
    measure : sympy expression or None
        Exact ``(n0 - 1)``-volume (None when unbounded; 1 in one dimension).
    """

    __slots__ = ("region", "classes", "hyperplane", "vertices", "rays", "point", "measure",
                 "_restricted")

    def __init__(self, region, classes, hyperplane, vertices, rays, point, measure, restricted):
        for name, value in zip(self.__slots__, (region, classes, hyperplane, vertices, rays,
                                                point, measure, restricted)):
            object.__setattr__(self, name, value)

    def __repr__(self):
        return f"BoundaryPiece(region={self.region}, classes={self.classes})"


class DecisionBoundary(Immutable):
    """The decision boundary of a classifier in a domain (see the module docstring).

    Attributes
    ----------
    pieces : tuple of BoundaryPiece
    maximal_pieces : list of list of int
        Indices into `pieces`, one list per maximal piece.
    region_classes : dict
        Node id -> the classes predicted on a full-dimensional part of the region.
    """

    __slots__ = ("pieces", "maximal_pieces", "region_classes", "dim")

    def __init__(self, pieces, maximal_pieces, region_classes, dim):
        object.__setattr__(self, "pieces", tuple(pieces))
        object.__setattr__(self, "maximal_pieces", maximal_pieces)
        object.__setattr__(self, "region_classes", region_classes)
        object.__setattr__(self, "dim", dim)

    @property
    def piece_count(self):
        """Pieces per activation region, summed (the seed paper's count)."""
        return len(self.pieces)

    @property
    def maximal_piece_count(self):
        return len(self.maximal_pieces)

    @property
    def total_measure(self):
        """The exact total ``(n0 - 1)``-volume, or None if some piece is unbounded."""
        if any(p.measure is None for p in self.pieces):
            return None
        return sum_measures(p.measure for p in self.pieces)

    def segments_2d(self):
        """The pieces of a 2-D boundary as pairs of endpoints (bounded pieces only)."""
        if self.dim != 2:
            raise PolyregionsError("segments_2d needs a 2-D domain or slice")
        return [tuple(p.vertices) for p in self.pieces if not p.rays and len(p.vertices) == 2]

    def __repr__(self):
        return f"DecisionBoundary({self.piece_count} pieces, {self.maximal_piece_count} maximal)"


def decision_boundary(result, graph=None):
    """Compute the decision boundary of a classifier on its activation regions.

    Parameters
    ----------
    result : RegionComplex
        The activation regions (from :func:`polyregions.enumerate_regions`); the
        network needs at least two outputs.
    graph : networkx.Graph, optional
        The region graph of `result` (built when not given).

    Returns
    -------
    DecisionBoundary

    Raises
    ------
    PolyregionsError
        When the network has fewer than two outputs.

    Examples
    --------
    >>> from polyregions import Network, ReluLayer, LinearLayer, Box, enumerate_regions
    >>> # Logits relu(x1), relu(x2): the boundary is the diagonal where x1, x2 >= 0 and
    >>> # the negative x1-axis (class 1 above it, a tie 0 = 0 resolved to class 0 below).
    >>> # On the negative x2-axis both sides predict class 0: no boundary there.
    >>> net = Network(2, [ReluLayer([[1, 0], [0, 1]], [0, 0]),
    ...                   LinearLayer([[1, 0], [0, 1]], [0, 0])])
    >>> db = decision_boundary(enumerate_regions(net, Box.cube(2, -1, 1)))
    >>> db.piece_count, db.maximal_piece_count, db.total_measure
    (2, 2, 1 + sqrt(2))
    """
    if result.network.output_dim < 2:
        raise PolyregionsError("the decision boundary needs a classifier with at least 2 outputs")
    if graph is None:
        graph = region_graph(result, volumes=False, facet_measures=False)
    dim = result.domain.dim
    domain_rows = set(result.domain.polytope.rows)
    pieces, region_classes, on_facet = [], {}, {}
    for node, region in enumerate(result):
        found, classes = _region_pieces(node, region, dim, domain_rows)
        region_classes[node] = classes
        for piece, facet in found:
            if facet is not None:
                on_facet[len(pieces)] = facet
            pieces.append(piece)
    pieces = _settle_facet_pieces(pieces, on_facet, graph, result)
    return DecisionBoundary(pieces, _maximal(pieces, graph, dim), region_classes, dim)


def _output_rows(region):
    """The outputs as integer rows over one positive denominator, and their representatives."""
    matrix, offset = region.affine_map
    den = common_denominator([*offset, *(v for row in matrix for v in row)])
    rows = [tuple(int(v * den) for v in (c, *a)) for a, c in zip(matrix, offset)]
    reps, seen = [], set()
    for k, row in enumerate(rows):
        if row not in seen:
            seen.add(row)
            reps.append(k)
    return rows, reps


def _region_pieces(node, region, dim, domain_rows):
    poly = region.polytope
    rows, reps = _output_rows(region)
    lines = poly._lines
    generators = poly._points + poly._rays + lines + tuple(tuple(-v for v in g) for g in lines)
    values = {k: [dot(rows[k], g) for g in generators] for k in reps}
    classes = _classes(values, reps)
    found = []
    for a, i in enumerate(reps):
        for j in reps[a + 1:]:
            diff = [x - y for x, y in zip(values[i], values[j])]
            # Strictly one-signed at every vertex (and never reversing along rays): no tie.
            if all(d > 0 for d in diff) or all(d < 0 for d in diff):
                continue
            piece = _tie_piece(node, region, rows, reps, i, j, dim, domain_rows)
            if piece is not None:
                found.append(piece)
    return found, classes


def _classes(values, reps):
    """Classes that win on a full-dimensional part of the region (screened at generators)."""
    winners = []
    for k in reps:
        dominated = any(j != k and all(x >= y for x, y in zip(values[j], values[k])) for j in reps)
        if not dominated:
            winners.append(k)
    return tuple(winners)


def _tie_piece(node, region, rows, reps, i, j, dim, domain_rows):
    """The piece of classes (i, j) in the region, with the facet it lies on (or None)."""
    g = primitive_vector(a - b for a, b in zip(rows[i], rows[j]))
    if not any(g[1:]):
        return None
    key, _ = _canonical(g)
    top = [primitive_vector(a - b for a, b in zip(rows[i], rows[k]))
           for k in reps if k not in (i, j)]
    region_rows = list(region.polytope.rows)
    if dim == 1:
        return _point_piece(node, region_rows, top, key, (i, j), domain_rows)
    drop, restricted = restrict_to_hyperplane(key, region_rows + top, dim)
    kept, facet = [], None
    for source, r in zip(region_rows + top, restricted):
        if any(r[1:]):
            kept.append(r)
        elif r[0] < 0:
            return None
        elif r[0] == 0 and source in region_rows:
            if source in domain_rows:
                return None  # on the domain's boundary
            facet = source
    points, rays, lines = double_description(kept, dim - 1)
    rays += lines + tuple(tuple(-v for v in line) for line in lines)
    generators = points + rays
    if not points or any(not any(dot(r, x) > 0 for x in generators) for r in kept):
        return None
    vertices = tuple(lift_from_hyperplane(key, drop, [Fraction(c, p[0]) for c in p[1:]])
                     for p in points)
    inner = [sum(Fraction(p[1 + k], p[0]) for p in points) / len(points) for k in range(dim - 1)]
    for ray in rays:
        inner = [a + b for a, b in zip(inner, ray[1:])]
    measure = None
    if not rays:
        area = simplex_volume_sum(points, facet_rows(kept, points, rays), dim - 1)
        norm = sum(v * v for v in key[1:])
        measure = exact_measure(area / abs(key[1 + drop]), norm)
    ray_dirs = tuple(lift_from_hyperplane((0,) + key[1:], drop, [Fraction(c) for c in r[1:]])
                     for r in rays)
    piece = BoundaryPiece(node, (i, j), key, vertices, ray_dirs,
                          lift_from_hyperplane(key, drop, inner), measure, tuple(kept))
    return piece, facet


def _point_piece(node, region_rows, top, key, classes, domain_rows):
    # In one dimension the tie set is the point x = -b / a, a piece if it lies in the region.
    x = Fraction(-key[0], key[1])
    facet = None
    for r in region_rows + top:
        value = r[0] + r[1] * x
        if value < 0:
            return None
        if value == 0 and r in region_rows:
            if r in domain_rows:
                return None
            facet = r
    return BoundaryPiece(node, classes, key, ((x,),), (), (x,), sympy.Integer(1), ()), facet


def _settle_facet_pieces(pieces, on_facet, graph, result):
    """Keep a tie set lying on a facet only where the class changes, and only once.

    The piece's relative interior point ``p`` is on the facet between its region
    ``R`` and a neighbour ``N``. The class predicted just inside each region next
    to ``p`` is the lexicographic argmax of (value at ``p``, derivative towards
    the region's interior point), the lowest index winning ties. The piece is a
    decision boundary when the two classes differ; it is then kept in the region
    with the smaller node id.
    """
    keep = []
    facet_pieces = {(pieces[n].region, pieces[n].classes, pieces[n].hyperplane) for n in on_facet}
    for n, piece in enumerate(pieces):
        if n not in on_facet:
            keep.append(piece)
            continue
        region = piece.region
        neighbour = next((m for m in graph[region]
                          if _canonical(graph.edges[region, m]["hyperplane"])[0] == piece.hyperplane
                          and result[m].polytope.contains(piece.point)), None)
        if neighbour is None:  # a partial enumeration may lack the neighbour: keep the piece
            keep.append(piece)
            continue
        if _class_near(result[region], piece.point) == _class_near(result[neighbour], piece.point):
            continue
        if neighbour < region and (neighbour, piece.classes, piece.hyperplane) in facet_pieces:
            continue  # the neighbour counts it
        keep.append(piece)
    return keep


def _class_near(region, point):
    rows, _ = _output_rows(region)
    inside = region.interior_point()
    x = (Fraction(1),) + tuple(point)
    d = (0,) + tuple(a - b for a, b in zip(inside, point))
    return max(range(len(rows)), key=lambda k: (dot(rows[k], x), dot(rows[k], d), -k))


def _maximal(pieces, graph, dim):
    """Group pieces of adjacent regions that continue into each other."""
    joined = nx.Graph()
    joined.add_nodes_from(range(len(pieces)))
    by_region = {}
    for n, p in enumerate(pieces):
        by_region.setdefault(p.region, []).append(n)
    for u, v in graph.edges:
        for a in by_region.get(u, ()):
            for b in by_region.get(v, ()):
                p, q = pieces[a], pieces[b]
                if p.classes == q.classes and p.hyperplane == q.hyperplane and \
                        _continues(p, q, dim):
                    joined.add_edge(a, b)
    return sorted((sorted(c) for c in nx.connected_components(joined)), key=min)


def _continues(p, q, dim):
    """Whether two coplanar pieces meet in an (n0-2)-dimensional set."""
    if dim == 1:
        return False
    if dim == 2 and not p.rays and not q.rays:
        return bool(set(p.vertices) & set(q.vertices))
    points, rays, lines = double_description(p._restricted + q._restricted, dim - 1)
    if not points:
        return False
    return _affine_dimension(points, rays, lines) == dim - 2


def _affine_dimension(points, rays, lines):
    """Dimension of the affine hull of generators (exact Gaussian elimination)."""
    base = [Fraction(c, points[0][0]) for c in points[0][1:]]
    vectors = [[Fraction(c, p[0]) - b for c, b in zip(p[1:], base)] for p in points[1:]]
    vectors += [[Fraction(c) for c in r[1:]] for r in rays + lines]
    rank, rows = 0, [v for v in vectors if any(v)]
    columns = len(base)
    for col in range(columns):
        pivot = next((r for r in rows if r[col] != 0), None)
        if pivot is None:
            continue
        rows.remove(pivot)
        rank += 1
        rows = [[a - b * r[col] / pivot[col] for a, b in zip(r, pivot)] for r in rows]
        rows = [r for r in rows if any(r)]
    return rank
