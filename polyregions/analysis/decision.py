"""The decision boundary of a classifier, piece by piece, exactly.

The network's outputs ``y_1 .. y_m`` (``m >= 2``) are the logits; the
predicted class is the lowest-index argmax. On an activation region ``R`` every
``y_k`` is affine, and the **class cell** of class ``i`` in ``R`` is

    ``P_i = {x in R : y_i(x) >= y_k(x) for every k}``

when it is full-dimensional and no lower-index output is the same affine
function as ``y_i`` on ``R``; otherwise class ``i`` is not predicted in ``R``
(it only ties there) and has no cell. The cells of the predicted classes cover
``R`` and meet only on their boundaries, like the cells of a maxout unit.
The decision boundary is where two cells of different classes meet in an
``(n0 - 1)``-dimensional set, and it is cut into **pieces**:

* in each region, one piece for each pair ``(i, j)`` of predicted classes whose
  cells share a facet ``P_i ∩ P_j`` (it lies on ``y_i = y_j`` and crosses the
  region's interior: a cell's facet on the region's boundary would put both
  cells on one side of ``y_i = y_j``);
* on each facet shared by two regions ``R`` (smaller node id) and ``R'``, one
  piece for each class ``i`` on the side of ``R`` and class ``j != i`` on the
  side of ``R'`` whose cells ``P_i`` and ``P'_j`` meet in an
  ``(n0 - 1)``-dimensional part of the facet: the class changes across the
  facet there. Each such part is seen from this one facet, so it is counted
  once; where the class is the same on both sides there is no piece.

Ties of classes that are never predicted, ties on the domain's boundary and
outputs identical to a lower-index one therefore make no piece, and the pieces
have disjoint relative interiors: every point of the boundary is measured once.
Each piece is computed exactly in the coordinates of its hyperplane (see
:func:`polyregions.geometry.hyperplane.hyperplane_piece`).

**Maximal pieces** merge pieces of the same class pair that lie on the same
hyperplane and continue into each other (they meet in an
``(n0 - 2)``-dimensional set).
"""

import operator
from collections.abc import Callable, Iterable
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from ..enumeration.complex import RegionComplex
from ..enumeration.kernel import Rows
from ..errors import DomainError, UsageError
from ..geometry.hyperplane import canonical_hyperplane, hyperplane_piece
from ..geometry.measure import sum_measures
from ..geometry.polytope import affine_dimension, double_description, is_full_dimensional
from ..immutable import Immutable
from ..numbers import dot, primitive_vector
from .graph import region_graph

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["BoundaryPiece", "DecisionBoundary", "decision_boundary", "decision_boundary_counts"]


class BoundaryPiece(Immutable):
    """One piece of the decision boundary (see the module docstring).

    Attributes
    ----------
    region : int
        Node id of the activation region holding the piece (for a piece on a
        shared facet, the smaller of the two node ids).
    neighbour : int or None
        For a piece on a facet shared by two regions, the node id of the
        other region; None for a piece inside `region`.
    classes : tuple of int
        The pair ``(i, j)``, ``i < j``, of classes predicted on its two sides.
    hyperplane : tuple of int
        Canonical primitive row ``(b, a)`` of the piece's hyperplane (first
        non-zero ``a`` entry positive).
    vertices, rays : tuple
        The piece's vertices (tuples of Fractions) and ray directions.
    point : tuple of Fraction
        A point in the piece's relative interior.
    measure : sympy expression or None
        Exact ``(n0 - 1)``-volume (None when unbounded; 1 in one dimension),
        computed on first use: counting pieces never builds a measure.

    Examples
    --------
    Two outputs ``relu(x0)`` and ``relu(x1)``: in the quadrant ``x0 < 0 < x1`` the classes meet on
    the facet ``x1 = 0``:

    >>> from polyregions import Box, LinearLayer, Network, ReluLayer, enumerate_regions, region_graph
    >>> net = Network(2, [ReluLayer([[1, 0], [0, 1]], [0, 0]), LinearLayer([[1, 0], [0, 1]], [0, 0])])
    >>> result = enumerate_regions(net, Box.cube(2, -1, 1))
    >>> piece = decision_boundary(result, region_graph(result)).pieces[0]
    >>> piece.classes, piece.hyperplane, piece.measure
    ((0, 1), (0, 0, 1), 1)
    """

    __slots__ = ("region", "neighbour", "classes", "hyperplane", "vertices", "rays", "point",
                 "_measure_of", "_restricted", "_measure")
    region: int
    neighbour: int | None
    classes: tuple[int, int]
    hyperplane: tuple[int, ...]
    vertices: tuple[tuple[Fraction, ...], ...]
    rays: tuple[tuple[Fraction, ...], ...]
    point: tuple[Fraction, ...]
    _measure_of: Callable[[], Any]
    _restricted: tuple[tuple[int, ...], ...]
    _measure: tuple[Any, ...]  # () until computed, then (measure,)

    def __init__(self, region: int, neighbour: int | None, classes: tuple[int, int],
                 hyperplane: tuple[int, ...], face: tuple[Any, ...]) -> None:
        values = (region, neighbour, classes, hyperplane, *face, ())
        for name, value in zip(self.__slots__, values, strict=True):
            object.__setattr__(self, name, value)

    @property
    def measure(self) -> Any:
        if not self._measure:
            object.__setattr__(self, "_measure", (self._measure_of(),))
        return self._measure[0]

    def __repr__(self) -> str:
        where = "" if self.neighbour is None else f", neighbour={self.neighbour}"
        return f"BoundaryPiece(region={self.region}{where}, classes={self.classes})"


class DecisionBoundary(Immutable):
    """The decision boundary of a classifier in a domain (see the module docstring).

    Attributes
    ----------
    pieces : tuple of BoundaryPiece
    maximal_pieces : list of list of int
        Indices into `pieces`, one list per maximal piece.
    region_classes : dict
        Node id -> the classes predicted in the region (those with a class
        cell there), in increasing order.

    Examples
    --------
    The classes of ``relu(x0)`` and ``relu(x1)`` meet along ``x0 = x1 >= 0`` and the two
    half-axes where both are 0, in two maximal pieces:

    >>> from polyregions import Box, LinearLayer, Network, ReluLayer, enumerate_regions, region_graph
    >>> net = Network(2, [ReluLayer([[1, 0], [0, 1]], [0, 0]), LinearLayer([[1, 0], [0, 1]], [0, 0])])
    >>> result = enumerate_regions(net, Box.cube(2, -1, 1))
    >>> db = decision_boundary(result, region_graph(result))
    >>> db.piece_count, db.maximal_piece_count, db.total_measure
    (2, 2, 1 + sqrt(2))
    """

    __slots__ = ("pieces", "maximal_pieces", "region_classes", "dim")
    pieces: tuple[BoundaryPiece, ...]
    maximal_pieces: list[list[int]]
    region_classes: dict[int, tuple[int, ...]]
    dim: int

    def __init__(self, pieces: Iterable[BoundaryPiece], maximal_pieces: list[list[int]],
                 region_classes: dict[int, tuple[int, ...]], dim: int) -> None:
        object.__setattr__(self, "pieces", tuple(pieces))
        object.__setattr__(self, "maximal_pieces", maximal_pieces)
        object.__setattr__(self, "region_classes", region_classes)
        object.__setattr__(self, "dim", dim)

    @property
    def piece_count(self) -> int:
        """Pieces per activation region, summed (the seed paper's count)."""
        return len(self.pieces)

    @property
    def maximal_piece_count(self) -> int:
        return len(self.maximal_pieces)

    @property
    def total_measure(self) -> Any:
        """The exact total ``(n0 - 1)``-volume, or None if some piece is unbounded."""
        if any(p.measure is None for p in self.pieces):
            return None
        return sum_measures(p.measure for p in self.pieces)

    def segments_2d(self) -> list[tuple[tuple[Fraction, ...], ...]]:
        """The pieces of a 2-D boundary as pairs of endpoints (bounded pieces only)."""
        if self.dim != 2:
            raise DomainError("segments_2d needs a 2-D domain or slice")
        return [tuple(p.vertices) for p in self.pieces if not p.rays and len(p.vertices) == 2]

    def __repr__(self) -> str:
        return f"DecisionBoundary({self.piece_count} pieces, {self.maximal_piece_count} maximal)"


def decision_boundary(result: RegionComplex, graph: "nx.Graph | None" = None, *,
                      progress: Callable[[int, int], object] | None = None) -> DecisionBoundary:
    """Compute the decision boundary of a classifier on its activation regions.

    Parameters
    ----------
    result : RegionComplex
        The activation regions (from :func:`polyregions.enumerate_regions`); the
        network needs at least two outputs. In a partial enumeration only the
        facets between enumerated regions are examined.
    graph : networkx.Graph, optional
        The region graph of `result` (built when not given).
    progress : callable, optional
        Called as ``progress(done, total)`` after each region is processed
        (``done`` regions so far out of ``total = len(result)``). An exception
        it raises propagates unchanged, which is how a caller stops the work.

    Returns
    -------
    DecisionBoundary

    Raises
    ------
    UsageError
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
    >>> db.region_classes
    {0: (0,), 1: (1,), 2: (0,), 3: (0, 1)}
    """
    if result.network.output_dim < 2:
        raise UsageError("the decision boundary needs a classifier with at least 2 outputs")
    if graph is None:
        graph = region_graph(result, volumes=False, facet_measures=False, points=False, maps=False)
    dim = result.domain.dim
    cells, pieces = {}, []
    for node, region in enumerate(result):
        cells[node] = _ClassCells(region)
        pieces += _pieces_inside(node, cells[node], dim)
        for other in sorted(m for m in graph[node] if m < node):
            pieces += _pieces_across(other, node, graph.edges[other, node]["hyperplane"], cells,
                                     dim)
        if progress is not None:
            progress(node + 1, len(result))
    region_classes = {node: c.winners for node, c in cells.items()}
    return DecisionBoundary(pieces, _maximal(pieces, dim), region_classes, dim)


def decision_boundary_counts(result: RegionComplex, *,
                             progress: Callable[[int, int], object] | None = None,
                             maps: list[tuple[int, Rows]] | None = None,
                             regions: Any = None) -> tuple[int, int]:
    """``(piece_count, maximal_piece_count)`` of :func:`decision_boundary`, without the graph.

    The counts need a piece's geometry only where it decides something, so most
    pieces are never computed:

    * in a region with exactly two predicted classes their piece exists: both
      cells are full-dimensional and cover the region, so the hyperplane
      ``y_i = y_j`` crosses its interior;
    * a piece across a shared facet needs ``y_i - y_j`` to vanish on the facet's
      hyperplane, and the outputs agree on the facet, so it does on both sides:
      only the facets of regions where it does are examined, and only the
      regions with a facet on such a hyperplane are searched for neighbours;
    * pieces merge only with pieces of the same class pair on the same
      hyperplane: only those are computed and compared.

    Parameters
    ----------
    result : RegionComplex
        A complete enumeration of a classifier (at least two outputs).
    progress : callable, optional
        Called as ``progress(done, total)`` after each region's classes are found.
    maps : list, optional
        The regions' output maps (:func:`~polyregions.analysis.maps.output_maps`),
        when the caller has them already.
    regions : optional
        The regions as the native helpers read them
        (:func:`~polyregions.analysis.maps.native_regions`), when the caller has them.

    Returns
    -------
    (int, int)

    Raises
    ------
    UsageError
        When the network has fewer than two outputs.

    Examples
    --------
    >>> from polyregions import Network, ReluLayer, LinearLayer, Box, enumerate_regions
    >>> net = Network(2, [ReluLayer([[1, 0], [0, 1]], [0, 0]),
    ...                   LinearLayer([[1, 0], [0, 1]], [0, 0])])
    >>> decision_boundary_counts(enumerate_regions(net, Box.cube(2, -1, 1)))
    (2, 2)
    """
    if result.network.output_dim < 2:
        raise UsageError("the decision boundary needs a classifier with at least 2 outputs")
    from .graph import adjacent_pairs
    from .maps import BATCH, batches, native_regions, output_maps

    dim = result.domain.dim
    table = native_regions(result) if regions is None else regions
    maps = output_maps(result) if maps is None else maps
    cells, pieces = [], []  # pieces as (classes, key, node, face or None while not needed)
    for start in batches(len(result)):
        outputs = [rows for _, rows in maps[start:start + BATCH]]
        alive = _undominated_classes(table, start, outputs)
        for node, rows, (classes, differences) in zip(range(start, start + BATCH), outputs, alive):
            cells.append(_ClassCells(result[node], rows, classes, differences))
            pieces += _counted_inside(node, cells[node], dim)
            if progress is not None:
                progress(node + 1, len(result))
    keys = _vanishing_keys(result, cells)
    members = [n for n, region in enumerate(result) if keys
               and any(canonical_hyperplane(r)[0] in keys for r in region.polytope.rows)]
    for low, high, row in adjacent_pairs(result, members):
        if canonical_hyperplane(row)[0] in keys:
            pieces += [(p.classes, p.hyperplane, low, p) for p in _pieces_across(low, high, row, cells, dim)]
    return len(pieces), _maximal_count(pieces, cells, dim)


def _undominated_classes(table, start, outputs):
    """The native ``(classes, differences)`` of regions ``start, ...`` for :class:`_ClassCells`;
    ``(None, None)`` each without a table."""
    if table is None:
        return [(None, None)] * len(outputs)
    from ..enumeration import native

    module = native.load()
    assert module is not None  # a table exists only with the native kernel
    return [(list(classes), rows) for classes, rows in
            module.undominated_classes_from(table, start, outputs)]


def _counted_inside(node, cells, dim):
    """The pieces inside one region as ``(classes, key, node, face)``; face None when not needed."""
    if len(cells.winners) < 2:  # one class: no pair (most regions)
        return []
    if len(cells.winners) > 2:
        return [(p.classes, p.hyperplane, node, p) for p in _pieces_inside(node, cells, dim)]
    i, j = cells.winners
    key, _ = canonical_hyperplane(cells.difference(i, j))
    return [((i, j), key, node, None)]


def _vanishing_keys(result, cells):
    """The hyperplanes of facets on which ``y_i - y_j`` vanishes, ``i`` predicted on that side.

    Facet rows are primitive, so ``y_i - y_j`` vanishes on one exactly when it is
    zero or its primitive form is the row or its negation.
    """
    domain_rows = set(result.domain.polytope.rows)
    keys = set()
    for region, cell in zip(result, cells):
        rows = region.polytope.rows
        for i in cell.winners:
            for j in range(len(cell.outputs)):
                if j == i:
                    continue
                diff = cell.difference(i, j)
                if not any(diff):
                    keys.update(canonical_hyperplane(r)[0] for r in rows if r not in domain_rows)
                elif any(diff[1:]):
                    # Both sides of the hyperplane have its key. (Once per region: written out.)
                    negated = tuple(map(operator.neg, diff))
                    if ((diff in rows and diff not in domain_rows)
                            or (negated in rows and negated not in domain_rows)):
                        keys.add(canonical_hyperplane(diff)[0])
    return keys


def _maximal_count(pieces, cells, dim):
    """The number of maximal pieces: each group of one class pair and hyperplane, merged."""
    groups = {}
    for classes, key, node, piece in pieces:
        groups.setdefault((classes, key), []).append((node, piece))
    count = 0
    for members in groups.values():
        if len(members) == 1:
            count += 1
            continue
        import networkx as nx  # on first use: most boundaries have no group to merge

        faces = [piece if piece is not None else _inside_piece(node, cells[node], dim)
                 for node, piece in members]
        joined = nx.Graph()
        joined.add_nodes_from(range(len(faces)))
        joined.add_edges_from((a, b) for a in range(len(faces)) for b in range(a + 1, len(faces))
                              if _continues(faces[a], faces[b], dim))
        count += nx.number_connected_components(joined)
    return count


def _inside_piece(node, cells, dim):
    """The one piece inside a region with two predicted classes, computed."""
    (piece,) = _pieces_inside(node, cells, dim)
    return piece


class _ClassCells:
    """The outputs of one region as integer rows, its predicted classes and their cells.

    `alive`, when given, are the classes below no other at every generator (as
    computed here otherwise), and `differences` the rows of :meth:`difference` of
    the pairs ``(i, j)``, ``i`` among them and ``j != i``, in that order, when known;
    the cells' rows are made on first use.
    """

    def __init__(self, region, outputs=None, alive=None, differences=None):
        poly = self._poly = region.polytope
        # The outputs times one positive denominator: comparisons are the same.
        self.outputs = list(region.output_rows[1] if outputs is None else outputs)
        if alive is None:
            alive = self._undominated(poly)
        self._alive, self._cell_rows, self._differences = alive, None, {}
        self._known = None if differences is None else (alive, differences)
        if len(alive) > 2:
            # With two classes left, each is strictly above the other at some generator, so
            # both cells are full-dimensional; from three on, a class may win nowhere.
            alive = [k for k in alive if _full_dimensional(self.cell_rows[k], len(poly.rows),
                                                           poly.dim)]
        self.winners = tuple(alive)

    def _undominated(self, poly):
        lines = poly.line_rows
        generators = poly.point_rows + poly.ray_rows + lines + tuple(tuple(-v for v in g) for g in lines)
        reps, seen = [], set()
        for k, row in enumerate(self.outputs):
            if row not in seen:  # an output identical to a lower-index one is never predicted
                seen.add(row)
                reps.append(k)
        values = {k: [dot(self.outputs[k], g) for g in generators] for k in reps}
        # A class below another at every generator is below it on the whole region.
        return [k for k in reps if not any(
            j != k and all(x >= y for x, y in zip(values[j], values[k])) for j in reps)]

    @property
    def cell_rows(self):
        """Class -> the rows of its cell: the region's, and ``y_k >= y_j`` for the others."""
        if self._cell_rows is None:
            self._cell_rows = {k: self._poly.rows + self._rows_against(k, self._alive)
                               for k in self._alive}
        return self._cell_rows

    def difference(self, i, j):
        """The primitive row of ``y_i - y_j`` (computed once per pair)."""
        if self._known is not None and i in self._known[0]:
            # Rows of class i, against every other output in turn.
            classes, rows = self._known
            return rows[classes.index(i) * (len(self.outputs) - 1) + j - (j > i)]
        row = self._differences.get((j, i))
        if row is not None:
            return tuple(-v for v in row)
        row = self._differences.get((i, j))
        if row is None:
            row = self._differences[i, j] = primitive_vector(
                a - b for a, b in zip(self.outputs[i], self.outputs[j]))
        return row

    def _rows_against(self, k, others):
        """The rows ``y_k - y_j >= 0`` for the classes `others` other than `k`."""
        return tuple(self.difference(k, j) for j in others if j != k)


def _full_dimensional(rows, start, dim):
    """Whether ``{rows >= 0}`` has interior, given that ``rows[:start]`` alone do.

    A system of inequalities is full-dimensional exactly when no row is an
    implicit equality; the implicit equalities of a system always include one
    of the rows added to a full-dimensional one.
    """
    points, rays, _ = double_description(rows, dim)
    return is_full_dimensional(rows[start:], points, rays)


def _pieces_inside(node, cells, dim):
    """The pieces between pairs of cells of one region."""
    found = []
    for a, i in enumerate(cells.winners):
        for j in cells.winners[a + 1:]:
            key, _ = canonical_hyperplane(primitive_vector(
                x - y for x, y in zip(cells.outputs[i], cells.outputs[j])))
            # On the hyperplane y_i = y_j the cell of i is the common facet of both cells.
            face = _face_on(key, cells.cell_rows[i], dim)
            if face is not None:
                found.append(BoundaryPiece(node, None, (i, j), key, face))
    return found


def _pieces_across(low, high, row, cells, dim):
    """The pieces on the facet (on `row`) shared by regions `low` and `high` where the class changes."""
    lower, upper = cells[low], cells[high]
    pairs = [(i, j) for i in lower.winners for j in upper.winners if i != j]
    if not pairs:  # one and the same class on both sides
        return []
    key, _ = canonical_hyperplane(row)
    found = []
    for i, j in pairs:
        # The outputs agree on the facet, so the class can only change from i to j
        # there if y_i = y_j on the whole hyperplane.
        if not _vanishes_on([x - y for x, y in zip(lower.outputs[i], lower.outputs[j])], key):
            continue
        face = _face_on(key, lower.cell_rows[i] + upper.cell_rows[j], dim)
        if face is not None:
            found.append(BoundaryPiece(low, high, (min(i, j), max(i, j)), key, face))
    return found


def _vanishes_on(row, key):
    """Whether the affine function `row` is zero on the hyperplane `key` (a multiple of it)."""
    p = next(c for c in range(1, len(key)) if key[c] != 0)
    return all(r * key[p] == h * row[p] for r, h in zip(row, key))


def _face_on(key, rows, dim):
    """The part of ``{rows >= 0}`` on the hyperplane `key` when it is ``(n0 - 1)``-dimensional.

    Returns ``(vertices, rays, point, measure_of, restricted)`` or None, where
    ``measure_of()`` computes the measure. Rows that
    vanish on the hyperplane hold there and are dropped.
    """
    if dim == 1:  # the hyperplane is the point x = -b / a
        x = Fraction(-key[0], key[1])
        if any(r[0] + r[1] * x < 0 for r in rows):
            return None
        return ((x,),), (), (x,), _unit_measure, ()
    piece = hyperplane_piece(key, rows, dim)
    if piece is None:
        return None
    return piece.vertices, piece.ray_directions, piece.point, piece.measure, piece.rows


def _unit_measure() -> Any:
    """The 0-volume of a point: 1."""
    import sympy  # on first use: counting pieces needs no measure

    return sympy.Integer(1)


def _maximal(pieces, dim):
    """Group the pieces of one class pair and hyperplane that continue into each other."""
    import networkx as nx

    joined = nx.Graph()
    joined.add_nodes_from(range(len(pieces)))
    groups = {}
    for n, p in enumerate(pieces):
        groups.setdefault((p.classes, p.hyperplane), []).append(n)
    for members in groups.values():
        for a, m in enumerate(members):
            for n in members[a + 1:]:
                if _continues(pieces[m], pieces[n], dim):
                    joined.add_edge(m, n)
    return sorted((sorted(c) for c in nx.connected_components(joined)), key=min)


def _continues(p, q, dim):
    """Whether two pieces on one hyperplane meet in an (n0-2)-dimensional set."""
    if dim == 1:
        return False
    if not p.rays and not q.rays:
        if dim == 2:  # collinear segments with disjoint interiors meet at an end point
            return bool(set(p.vertices) & set(q.vertices))
        if not _boxes_meet(p.vertices, q.vertices):
            return False
    points, rays, lines = double_description(p._restricted + q._restricted, dim - 1)
    if not points:
        return False
    return affine_dimension(points, rays, lines) == dim - 2


def _boxes_meet(u, v):
    """Whether the bounding boxes of two finite point sets meet (a cheap exact filter)."""
    return all(max(min(a), min(b)) <= min(max(a), max(b))
               for a, b in zip(zip(*u), zip(*v)))
