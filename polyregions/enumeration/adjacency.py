"""Adjacency born in the refinement: the facets regions share, tracked as regions are cut.

Every live region of the enumeration is an :class:`AdjacencyNode` holding its
*links*: for each region it shares an ``(n0 - 1)``-dimensional piece of facet
with, the hyperplane row (``>= 0`` on the holder) and the shared piece itself,
exactly ``P ∩ N`` for the two regions ``P`` and ``N``, as a bounded polytope
of vertices with facet incidence (:class:`~polyregions.geometry.incidence.BoundedPolytope`,
its vertices and rows in domain coordinates).

When a unit splits a region ``P`` into the cells ``C_k = P ∩ {z_k >= z_j}``
(:func:`split`):

* two cells meet in ``C_k ∩ {z_k = z_j}``, the face of ``C_k`` on its cut
  against ``j``; they share a facet exactly when that cut is a facet of
  ``C_k`` (always for a 2-piece unit);
* a neighbour ``N`` of ``P`` meets ``C_k`` in ``(P ∩ N) ∩ {cuts of C_k >= 0}``,
  which is the shared piece cut by one double-description step per cut
  (:func:`~polyregions.geometry.incidence.cut_polytope`, in the piece's own
  dimension); ``N`` stays a neighbour of the cells where that part is
  ``(n0 - 1)``-dimensional, i.e. where every cut is strictly positive at some
  vertex of the part so far. ``N``'s own links are updated the same way.

So every pair of regions sharing a facet is linked, with the exact piece, and
no other pair. A finished region gets its index (:func:`finish`) and hands on
its links to regions finished before it as
:class:`~polyregions.enumeration.kernel.SharedFacet` records; a link to a
region still to come stays with that region, which reports it when it finishes.
So records stream out with the facets they share with earlier records, and
only links of unfinished regions are kept.

Everything is exact integer rows; shared pieces are kept for bounded regions
only (the engine tracks adjacency in bounded domains).
"""

import operator
from collections.abc import Iterable, Sequence

from ..geometry.incidence import BoundedPolytope, cut_polytope, vertex_masks
from ..numbers import dot
from .kernel import CellReport, Row, Rows, SharedFacet

__all__ = ["AdjacencyNode", "Boundary", "split", "finish", "detach", "boundary", "stitch"]


class AdjacencyNode:
    """A region's place in the adjacency: its links while it lives, then its index.

    Attributes
    ----------
    links : dict
        Neighbour node -> ``(row, piece)``: the hyperplane row ``>= 0`` on this
        region, and the shared piece (a ``BoundedPolytope``).
    index : int or None
        The region's index among the records, once it is finished.

    Examples
    --------
    A region with no neighbour yet; finished as region 0, it has no shared facet:

    >>> node = AdjacencyNode()
    >>> node.links, node.index
    ({}, None)
    >>> finish(node, 0), node.index
    ((), 0)
    """

    __slots__ = ("links", "index")

    def __init__(self) -> None:
        self.links: dict[AdjacencyNode, tuple[Row, BoundedPolytope]] = {}
        self.index: int | None = None


def split(parent: AdjacencyNode, cuts: Sequence[Rows], positions: Sequence[int],
          reports: Sequence[CellReport]) -> list[AdjacencyNode]:
    """The nodes of the cells a split of `parent` made, linked to each other and to its neighbours.

    Parameters
    ----------
    parent : AdjacencyNode
        The region that was split; it is finished with (its links move to the cells).
    cuts : sequence of Rows
        The cuts of every candidate cell of the unit, in the order of the
        candidates (see :class:`~polyregions.enumeration.kernel.CandidateCell`).
    positions : sequence of int
        The candidates whose cell is not empty, in order.
    reports : sequence of CellReport
        Those cells' facets and vertices.

    Returns
    -------
    list of AdjacencyNode
        One per non-empty cell, in order.

    Examples
    --------
    The unit ``max(0, x - y)`` splits the square ``[0, 1]^2`` along its diagonal:

    >>> from polyregions.enumeration.kernel import CellReport
    >>> upper = CellReport(facets=((0, 1, 0), (1, 0, -1), (0, -1, 1)),    # y >= x in [0, 1]^2
    ...                    points=((1, 0, 0), (1, 1, 1), (1, 0, 1)), rays=(), lines=())
    >>> lower = CellReport(facets=((0, 0, 1), (1, -1, 0), (0, 1, -1)),    # x >= y in [0, 1]^2
    ...                    points=((1, 0, 0), (1, 1, 0), (1, 1, 1)), rays=(), lines=())
    >>> cuts = [((0, -1, 1),), ((0, 1, -1),)]     # the cells of max(0, x - y): 0 >= x - y, x - y >= 0
    >>> a, b = split(AdjacencyNode(), cuts, [0, 1], [upper, lower])
    >>> row, piece = a.links[b]
    >>> row, piece.points                                  # y - x >= 0 on a; the diagonal
    ((0, -1, 1), ((1, 0, 0), (1, 1, 1)))
    >>> finish(a, 0), finish(b, 1)[0].region              # the later region reports the facet
    ((), 0)
    """
    nodes = [AdjacencyNode() for _ in positions]
    for a, b in ((a, b) for b in range(len(nodes)) for a in range(b)):
        row = cuts[positions[a]][positions[b] - 1]
        if len(cuts) == 2 or row in reports[a].facets:
            _link(nodes[a], nodes[b], row, _face(reports[a], row))
    dim = len(cuts[0][0]) - 2  # the pieces' dimension
    planes, signed = _signed_cuts([cuts[position] for position in positions])
    for neighbour, (row, piece) in parent.links.items():
        alive = neighbour.index is None
        if alive:
            del neighbour.links[parent]
        sides: list[tuple[bool, bool] | None] = [None] * len(planes)
        for node, own in zip(nodes, signed):
            part = _clip(piece, own, dim, sides, planes)
            if part is not None:
                node.links[neighbour] = (row, part)
                if alive:
                    neighbour.links[node] = (_negated(row), part)
    parent.links = {}
    return nodes


SignedCut = tuple[Row, int, bool]
"""A cut row, the index of its hyperplane among a split's cuts, and whether it is that row negated."""


def _signed_cuts(cuts: Sequence[Rows]) -> tuple[list[Row], list[list[SignedCut]]]:
    """The distinct hyperplanes of a split's cuts, and each cell's cuts in their terms.

    The cells of a split share their cuts with opposite signs, so a piece's
    sides of each hyperplane are found once for all the cells.
    """
    planes: list[Row] = []
    known: dict[Row, tuple[int, bool]] = {}
    signed = []
    for own in cuts:
        mine = []
        for cut in own:
            if cut not in known:
                known[cut], known[_negated(cut)] = (len(planes), False), (len(planes), True)
                planes.append(cut)
            mine.append((cut,) + known[cut])
        signed.append(mine)
    return planes, signed


def finish(node: AdjacencyNode, index: int) -> tuple[SharedFacet, ...]:
    """Give a finished region its index; its shared facets with regions finished before it.

    Links to regions still to come stay with them (they report the facet when
    they finish); the node keeps nothing else.

    Examples
    --------
    >>> node = AdjacencyNode()
    >>> finish(node, 3), node.index
    ((), 3)
    """
    node.index = index
    shared = sorted(((neighbour.index, _negated(row), piece)
                     for neighbour, (row, piece) in node.links.items()
                     if neighbour.index is not None), key=lambda link: link[0])
    node.links = {}
    return tuple(SharedFacet(region, row, piece.points, _faces(piece))
                 for region, row, piece in shared)


def _link(a: AdjacencyNode, b: AdjacencyNode, row: Row, piece: BoundedPolytope) -> None:
    """Link two live regions across `row` (``>= 0`` on `a`)."""
    a.links[b] = (row, piece)
    b.links[a] = (_negated(row), piece)


def _negated(row: Row) -> Row:
    return tuple(-v for v in row)


def _face(report: CellReport, row: Row) -> BoundedPolytope:
    """The facet of the cell of `report` on `row`, with the incidence of its vertices."""
    points = tuple(p for p in report.points if dot(row, p) == 0)
    rows = [r for r in report.facets if r != row]
    return BoundedPolytope.from_generators(rows, points)


def _clip(piece: BoundedPolytope, cuts: Iterable[SignedCut], dim: int,
          sides: list[tuple[bool, bool] | None], planes: Sequence[Row]) -> BoundedPolytope | None:
    """The part of the ``dim``-dimensional `piece` where every cut is ``>= 0``; None if thinner.

    `sides` caches, by hyperplane (`planes`), whether it is positive at some
    vertex of `piece` and negative at some vertex: most pieces lie on one side
    of a cut, and need no cutting.
    """
    original = piece
    for cut, plane, negated in cuts:
        if piece is original:
            side = sides[plane]
            if side is None:
                values = [sum(map(operator.mul, planes[plane], p)) for p in piece.points]
                side = sides[plane] = (max(values) > 0, min(values) < 0)
            positive, negative = (side[1], side[0]) if negated else side
            if not positive:
                return None
            if not negative:
                continue
        clipped = cut_polytope(piece, cut, max(piece.rows, default=-1) + 1, dim)
        if clipped is None:
            return None
        piece = clipped
    return piece


def _faces(piece: BoundedPolytope) -> tuple[int, ...]:
    """Bit masks of the vertices on each facet row of `piece` (its faces, facets among them)."""
    return tuple(m for m in vertex_masks(piece.rows, piece.incidence).values() if m)


Boundary = dict[int, list[tuple[int, Row, BoundedPolytope]]]
"""A subtree's pieces along each other subtree ``f``: ``(local index, row >= 0 on f, piece)``."""


def detach(roots: Sequence[AdjacencyNode]) -> list[dict[int, AdjacencyNode]]:
    """Cut the links between the roots of subtrees, so that each subtree can be finished alone.

    Each root's link to root ``f`` becomes a link to a stand-in for ``f``: a node
    that never finishes, so that the subtree's regions keep the pieces they share
    with ``f``'s subtree on it (:func:`boundary`), to be matched by :func:`stitch`.
    Every link of a root must lead to another root.

    Returns
    -------
    list of dict
        For each root, its stand-ins by the index of the root they stand for.

    Examples
    --------
    The two triangles of :func:`split`'s example, each made the root of its own subtree:

    >>> from polyregions.enumeration.kernel import CellReport
    >>> upper = CellReport(facets=((0, 1, 0), (1, 0, -1), (0, -1, 1)),    # y >= x in [0, 1]^2
    ...                    points=((1, 0, 0), (1, 1, 1), (1, 0, 1)), rays=(), lines=())
    >>> lower = CellReport(facets=((0, 0, 1), (1, -1, 0), (0, 1, -1)),    # x >= y in [0, 1]^2
    ...                    points=((1, 0, 0), (1, 1, 0), (1, 1, 1)), rays=(), lines=())
    >>> cuts = [((0, -1, 1),), ((0, 1, -1),)]     # the cells of max(0, x - y): 0 >= x - y, x - y >= 0
    >>> a, b = split(AdjacencyNode(), cuts, [0, 1], [upper, lower])
    >>> standins = detach([a, b])
    >>> b in a.links, list(a.links) == [standins[0][1]], list(standins[1])
    (False, True, [0])
    """
    where = {node: k for k, node in enumerate(roots)}
    standins: list[dict[int, AdjacencyNode]] = [{} for _ in roots]
    for k, node in enumerate(roots):
        links, node.links = node.links, {}
        for other, (row, piece) in links.items():
            standin = standins[k][where[other]] = AdjacencyNode()
            node.links[standin] = (row, piece)
            standin.links[node] = (_negated(row), piece)
    return standins


def boundary(standins: dict[int, AdjacencyNode]) -> Boundary:
    """The pieces a finished subtree's regions share with each other subtree (see :func:`detach`).

    Examples
    --------
    The triangles of :func:`split`'s example, each finished alone as its subtree's region 0:

    >>> from polyregions.enumeration.kernel import CellReport
    >>> upper = CellReport(facets=((0, 1, 0), (1, 0, -1), (0, -1, 1)),    # y >= x in [0, 1]^2
    ...                    points=((1, 0, 0), (1, 1, 1), (1, 0, 1)), rays=(), lines=())
    >>> lower = CellReport(facets=((0, 0, 1), (1, -1, 0), (0, 1, -1)),    # x >= y in [0, 1]^2
    ...                    points=((1, 0, 0), (1, 1, 0), (1, 1, 1)), rays=(), lines=())
    >>> cuts = [((0, -1, 1),), ((0, 1, -1),)]     # the cells of max(0, x - y): 0 >= x - y, x - y >= 0
    >>> a, b = split(AdjacencyNode(), cuts, [0, 1], [upper, lower])
    >>> standins = detach([a, b])
    >>> finish(a, 0), finish(b, 0)                       # no facet inside either subtree
    ((), ())
    >>> [(f, [(index, row, piece.points) for index, row, piece in pieces])
    ...  for f, pieces in boundary(standins[0]).items()]   # x - y >= 0 on subtree 1
    [(1, [(0, (0, 1, -1), ((1, 0, 0), (1, 1, 1)))])]
    """
    return {f: [(node.index, row, piece) for node, (row, piece) in standin.links.items()
                if node.index is not None]
            for f, standin in standins.items()}


def stitch(earlier: Boundary, later: Boundary, e: int, f: int,
           offset: int) -> list[tuple[int, SharedFacet]]:
    """The facets the regions of subtree `f` share with those of the earlier subtree `e`.

    Both subtrees' pieces along the cut that separated them lie on one
    hyperplane; two regions share a facet where their pieces overlap in an
    ``(n0 - 1)``-dimensional part, found by cutting one piece by the other's rows.

    Returns
    -------
    list of (int, SharedFacet)
        The local index in `f` of a region and a facet it shares with a region
        of `e` (named by its index: `offset`, the index of `e`'s first region,
        plus its local index).

    Examples
    --------
    The triangles of :func:`split`'s example in two subtrees, the earlier one's regions from 5 on:

    >>> from polyregions.enumeration.kernel import CellReport
    >>> upper = CellReport(facets=((0, 1, 0), (1, 0, -1), (0, -1, 1)),    # y >= x in [0, 1]^2
    ...                    points=((1, 0, 0), (1, 1, 1), (1, 0, 1)), rays=(), lines=())
    >>> lower = CellReport(facets=((0, 0, 1), (1, -1, 0), (0, 1, -1)),    # x >= y in [0, 1]^2
    ...                    points=((1, 0, 0), (1, 1, 0), (1, 1, 1)), rays=(), lines=())
    >>> cuts = [((0, -1, 1),), ((0, 1, -1),)]     # the cells of max(0, x - y): 0 >= x - y, x - y >= 0
    >>> a, b = split(AdjacencyNode(), cuts, [0, 1], [upper, lower])
    >>> standins = detach([a, b])
    >>> _ = finish(a, 0), finish(b, 0)
    >>> stitch(boundary(standins[0]), boundary(standins[1]), 0, 1, offset=5)
    [(0, SharedFacet(region=5, row=(0, -1, 1), points=((1, 0, 0), (1, 1, 1)), faces=(1, 2)))]
    """
    found = []
    theirs = earlier.get(f, [])
    for b, row, piece in later.get(e, []):
        dim = len(row) - 2
        for a, _, other in theirs:
            rows = list(other.rows.values())
            common = _clip(piece, [(r, k, False) for k, r in enumerate(rows)], dim,
                           [None] * len(rows), rows)
            if common is not None:
                found.append((b, SharedFacet(offset + a, row, common.points, _faces(common))))
    return found
