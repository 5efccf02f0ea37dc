"""The reference kernel backend: the engine's inner loop in exact Python integers.

It implements :class:`polyregions.enumeration.kernel.KernelBackend` with the
integer geometry of :mod:`polyregions.geometry`.

Screening
    A layer's pieces are composed with a region's layer-input map once per map
    (:class:`LayerContext`, shared by the children of a split). The certified
    float filter (:mod:`polyregions.geometry.screening`) then tries to decide every
    remaining unit of the layer at once; a unit it leaves open is screened exactly:
    pieces that are the same function on the region are merged (the lowest index
    wins), and a piece that is ``>=`` another at every generator is ``>=`` it on
    the whole region, so the other's cell has no interior. When one piece is left
    the unit does not split the region; otherwise each remaining piece ``k`` gets
    the candidate cell ``region ∩ {z_k >= z_j}`` over the other remaining ``j``.
    The composed piece rows the winners pick are the next layer's input map
    (:meth:`ReferenceKernel.next_map`): per region, no work on the width of the
    first map, however many inputs the network has.

Cells
    The domain fixes one representation (:meth:`ReferenceKernel.start`), which
    every cell cut from it keeps:

    * :class:`PolygonCell`: a bounded 2-D region as a cyclic polygon, cut by
      clipping (:mod:`polyregions.geometry.polygon`);
    * :class:`IncidenceCell`: a bounded region as vertices with facet incidence,
      cut by one double-description step (:mod:`polyregions.geometry.incidence`);
    * :class:`DescriptionCell`: any region as facets and generators, cut by
      cddlib's double description (:mod:`polyregions.geometry.polytope`).

    The first two are fast paths that :class:`~polyregions.enumeration.kernel.EngineOptions`
    can switch off; all three give the same cells. A cell is kept only if it is
    full-dimensional: every cut is strict at some generator of the cell (then a
    strictly positive combination of the generators is an interior point).

Neighbours are not tracked: reports and records leave them None.

Examples
--------
A maxout unit ``max(x, y, 0)`` splits the triangle ``x, y >= -1, x + y <= 1``
into three cells:

>>> from polyregions.enumeration.kernel import CellReport, EngineOptions, KernelSetup, LayerPieces
>>> layer = LayerPieces(rows=((0, 1, 0), (0, 0, 1), (0, 0, 0)), slices=((0, 3),), rank=3)
>>> kernel = ReferenceKernel(KernelSetup(2, (layer,), EngineOptions()))
>>> triangle = kernel.start(CellReport(((1, 1, 0), (1, 0, 1), (1, -1, -1)),
...                                    ((1, -1, -1), (1, 2, -1), (1, -1, 2)), (), ()))
>>> context = kernel.enter_layer(0, 1, ((0, 1, 0), (0, 0, 1)))
>>> [cell.piece for cell in kernel.screen(context, triangle, 0).cells]
[0, 1, 2]
"""

import abc

import numpy as np
from numpy.typing import NDArray

from ..geometry.incidence import BoundedPolytope, cut_polytope
from ..geometry.polygon import clip_polygon, cyclic_polygon
from ..geometry.polytope import double_description, facet_rows, is_full_dimensional
from ..geometry.screening import FloatScreen, generator_floats, scaled_floats
from ..numbers import dot, primitive_vector
from .kernel import (
    CandidateCell,
    CellReport,
    KernelSetup,
    LayerPieces,
    Pattern,
    RegionRecord,
    Row,
    Rows,
    Screening,
    lowest_terms,
    map_columns,
)

__all__ = [
    "ReferenceKernel",
    "ReferenceCell",
    "PolygonCell",
    "IncidenceCell",
    "DescriptionCell",
    "LayerContext",
]


class ReferenceCell(abc.ABC):
    """A region as the reference backend keeps it; each kind knows how it is cut.

    Attributes
    ----------
    points, rays, lines : Rows
        The cell's generators (homogeneous primitive integer rows).

    Examples
    --------
    Which kind of cell holds a region depends on the fast paths: polygons in the plane,
    incidence for other bounded cells, double description for the rest:

    >>> from polyregions.enumeration.kernel import CellReport, EngineOptions, KernelSetup, LayerPieces
    >>> layer = LayerPieces(rows=((0, 0, 0), (0, 1, -1)), slices=((0, 2),), rank=2)
    >>> square = CellReport(facets=((0, 1, 0), (1, -1, 0), (0, 0, 1), (1, 0, -1)),
    ...                     points=((1, 0, 0), (1, 1, 0), (1, 1, 1), (1, 0, 1)), rays=(), lines=())
    >>> def cell_kind(**options):
    ...     setup = KernelSetup(dim=2, layers=(layer,), options=EngineOptions(**options))
    ...     return type(ReferenceKernel(setup).start(square)).__name__
    >>> cell_kind(), cell_kind(polygon_path=False), cell_kind(polygon_path=False, incidence_path=False)
    ('PolygonCell', 'IncidenceCell', 'DescriptionCell')
    """

    __slots__ = ("points", "rays", "lines", "_generators", "_floats")

    def __init__(self, points: Rows, rays: Rows, lines: Rows) -> None:
        self.points, self.rays, self.lines = points, rays, lines
        # Computed when the cell is first screened, then kept for every later unit and layer.
        self._generators: Rows | None = None
        self._floats: NDArray[np.float64] | None = None

    @abc.abstractmethod
    def facets(self) -> Rows:
        """The irredundant facet rows."""

    @abc.abstractmethod
    def cut(self, cuts: Rows) -> "ReferenceCell | None":
        """The part where every row of `cuts` is ``>= 0``, of the same kind; None if thin."""

    def generators(self) -> Rows:
        """Points, rays, and each line both ways: a piece is ``>=`` another on the cell iff at all of them."""
        if self._generators is None:
            lines = self.lines
            negated = tuple(tuple(-v for v in line) for line in lines)
            self._generators = self.points + self.rays + lines + negated
        return self._generators

    def generator_floats(self) -> NDArray[np.float64]:
        """The generators as scaled float columns, for the float filter."""
        if self._floats is None:
            self._floats = generator_floats(self.generators())
        return self._floats


class PolygonCell(ReferenceCell):
    """A bounded 2-D cell: vertices in cyclic order, ``edges[i]`` the facet from vertex ``i`` to ``i + 1``.

    Examples
    --------
    >>> from polyregions.enumeration.kernel import CellReport, EngineOptions, KernelSetup, LayerPieces
    >>> layer = LayerPieces(rows=((0, 0, 0), (0, 1, -1)), slices=((0, 2),), rank=2)
    >>> square = CellReport(facets=((0, 1, 0), (1, -1, 0), (0, 0, 1), (1, 0, -1)),
    ...                     points=((1, 0, 0), (1, 1, 0), (1, 1, 1), (1, 0, 1)), rays=(), lines=())
    >>> kernel = ReferenceKernel(KernelSetup(dim=2, layers=(layer,), options=EngineOptions()))
    >>> cell = kernel.start(square)
    >>> isinstance(cell, PolygonCell), len(kernel.report(cell).points)
    (True, 4)
    """

    __slots__ = ("edges",)

    def __init__(self, points: Rows, edges: Rows) -> None:
        super().__init__(points, (), ())
        self.edges = edges

    def facets(self) -> Rows:
        return self.edges

    def cut(self, cuts: Rows) -> "PolygonCell | None":
        points, edges = self.points, self.edges
        for row in cuts:
            clipped = clip_polygon(points, edges, row)
            if clipped is None:
                return None
            points, edges = clipped
        return PolygonCell(points, edges)


class IncidenceCell(ReferenceCell):
    """A bounded cell kept as a :class:`~polyregions.geometry.incidence.BoundedPolytope`.

    Examples
    --------
    >>> from polyregions.enumeration.kernel import CellReport, EngineOptions, KernelSetup, LayerPieces
    >>> layer = LayerPieces(rows=((0, 0, 0), (0, 1, -1)), slices=((0, 2),), rank=2)
    >>> square = CellReport(facets=((0, 1, 0), (1, -1, 0), (0, 0, 1), (1, 0, -1)),
    ...                     points=((1, 0, 0), (1, 1, 0), (1, 1, 1), (1, 0, 1)), rays=(), lines=())
    >>> options = EngineOptions(polygon_path=False)
    >>> kernel = ReferenceKernel(KernelSetup(dim=2, layers=(layer,), options=options))
    >>> isinstance(kernel.start(square), IncidenceCell)
    True
    """

    __slots__ = ("polytope",)

    def __init__(self, polytope: BoundedPolytope) -> None:
        super().__init__(polytope.points, (), ())
        self.polytope = polytope

    def facets(self) -> Rows:
        return self.polytope.facet_rows()

    def cut(self, cuts: Rows) -> "IncidenceCell | None":
        poly, dim = self.polytope, len(cuts[0]) - 1
        for row in cuts:
            # A facet id only has to be new within its polytope.
            cut = cut_polytope(poly, row, max(poly.rows, default=-1) + 1, dim)
            if cut is None:
                return None
            poly = cut
        return IncidenceCell(poly)


class DescriptionCell(ReferenceCell):
    """Any cell, bounded or not, as facets and generators; cut by cddlib's double description.

    Examples
    --------
    >>> from polyregions.enumeration.kernel import CellReport, EngineOptions, KernelSetup, LayerPieces
    >>> layer = LayerPieces(rows=((0, 0, 0), (0, 1, -1)), slices=((0, 2),), rank=2)
    >>> square = CellReport(facets=((0, 1, 0), (1, -1, 0), (0, 0, 1), (1, 0, -1)),
    ...                     points=((1, 0, 0), (1, 1, 0), (1, 1, 1), (1, 0, 1)), rays=(), lines=())
    >>> options = EngineOptions(polygon_path=False, incidence_path=False)
    >>> kernel = ReferenceKernel(KernelSetup(dim=2, layers=(layer,), options=options))
    >>> isinstance(kernel.start(square), DescriptionCell)
    True
    """

    __slots__ = ("rows",)

    def __init__(self, rows: Rows, points: Rows, rays: Rows, lines: Rows) -> None:
        super().__init__(points, rays, lines)
        self.rows = rows

    def facets(self) -> Rows:
        return self.rows

    def cut(self, cuts: Rows) -> "DescriptionCell | None":
        rows = self.rows + cuts
        points, rays, lines = double_description(rows, len(cuts[0]) - 1)
        # The cell before the cut is full-dimensional, so only the cuts can be equalities.
        if not is_full_dimensional(cuts, points, rays):
            return None
        return DescriptionCell(facet_rows(rows, points, rays), points, rays, lines)


class LayerContext:
    """One layer's pieces on one layer-input map: exact piece rows by unit, and the float filter.

    Piece rows are composed on first use and kept, so the children of a split,
    which share the context, compose each unit once, for the screening and for
    the next layer's map alike.

    Attributes
    ----------
    layer : LayerPieces
    map_den : int
        The denominator of the layer-input map.
    columns : Rows
        The homogenised map's columns (:func:`~polyregions.enumeration.kernel.map_columns`).
    screen : FloatScreen or None
        The float filter of the layer on this map.

    Examples
    --------
    >>> from polyregions.enumeration.kernel import EngineOptions, KernelSetup, LayerPieces
    >>> layer = LayerPieces(rows=((0, 0, 0), (0, 1, -1)), slices=((0, 2),), rank=2)
    >>> kernel = ReferenceKernel(KernelSetup(dim=2, layers=(layer,), options=EngineOptions()))
    >>> isinstance(kernel.enter_layer(0, 1, ((0, 1, 0), (0, 0, 1))), LayerContext)
    True
    """

    __slots__ = ("layer", "map_den", "columns", "screen", "_pieces", "_units")

    def __init__(self, layer: LayerPieces, map_den: int, columns: Rows,
                 screen: FloatScreen | None) -> None:
        self.layer, self.map_den, self.columns, self.screen = layer, map_den, columns, screen
        self._pieces: dict[int, Row] = {}
        self._units: dict[int, Rows] = {}

    def piece_row(self, piece: int) -> Row:
        """Piece `piece` (flattened index) over the domain: ``P . (1, x) / c`` is ``z(x)``.

        ``c`` is the layer's denominator times :attr:`map_den`.
        """
        row = self._pieces.get(piece)
        if row is None:
            weights = self.layer.rows[piece]
            # A zero piece (ReLU's inactive one) stays zero: no products.
            row = (tuple(dot(weights, col) for col in self.columns) if any(weights)
                   else (0,) * len(self.columns))
            self._pieces[piece] = row
        return row

    def piece_rows(self, unit: int) -> Rows:
        """The rows of `unit`'s pieces over the domain (:meth:`piece_row`)."""
        rows = self._units.get(unit)
        if rows is None:
            a, b = self.layer.slices[unit]
            rows = self._units[unit] = tuple(self.piece_row(j) for j in range(a, b))
        return rows

    def certified_winners(self, first_unit: int, cell: ReferenceCell) -> list[int] | None:
        """The float filter's winners of the units from `first_unit` on (-1: open); None without it."""
        if self.screen is None:
            return None
        winners: list[int] = self.screen.decide(first_unit, cell.generator_floats())
        return winners


class ReferenceKernel:
    """The Python reference backend (see the module docstring).

    Parameters
    ----------
    setup : KernelSetup
        The domain's dimension, every layer's pieces and the engine options.

    Examples
    --------
    >>> from polyregions import Box, EngineOptions, Network, ReluLayer, enumerate_regions
    >>> net = Network(2, [ReluLayer([[1, 0], [0, 1]], [0, 0])])
    >>> len(enumerate_regions(net, Box.cube(2, -1, 1), options=EngineOptions(kernel="python")))
    4
    """

    __slots__ = ("dim", "layers", "options", "_weights")

    name = "python"

    def __init__(self, setup: KernelSetup) -> None:
        self.dim, self.layers, self.options = setup
        # The float filter needs one rank for the whole layer (and something to decide).
        self._weights = tuple(
            scaled_floats(layer.rows) if setup.options.float_filter and layer.rank and layer.rank > 1
            else None
            for layer in setup.layers)

    def start(self, domain: CellReport) -> ReferenceCell:
        """The domain as a cell of the fastest kind the options allow."""
        bounded = not domain.rays and not domain.lines
        if self.options.polygon_path and self.dim == 2 and bounded:
            points, edges = cyclic_polygon(domain.facets, domain.points)
            return PolygonCell(points, edges)
        if self.options.incidence_path and bounded:
            return IncidenceCell(BoundedPolytope.from_generators(domain.facets, domain.points))
        return DescriptionCell(domain.facets, domain.points, domain.rays, domain.lines)

    def enter_layer(self, layer: int, map_den: int, map_rows: Rows) -> LayerContext:
        columns = map_columns(map_den, map_rows, self.dim)
        weights = self._weights[layer]
        screen = None
        rank = self.layers[layer].rank
        if weights is not None and rank is not None:  # weights exist only for one common rank
            screen = FloatScreen(weights, scaled_floats(columns).T, rank)
        return LayerContext(self.layers[layer], map_den, columns, screen)

    def screen(self, context: LayerContext, cell: ReferenceCell, first_unit: int) -> Screening:
        units = len(context.layer.slices)
        if first_unit >= units:
            return Screening((), ())
        winners = context.certified_winners(first_unit, cell)
        decided: list[int] = []
        for unit in range(first_unit, units):
            k = winners[unit - first_unit] if winners is not None else -1
            if k < 0:
                k, cells = _screen_unit(context.piece_rows(unit), cell.generators())
                if cells:
                    return Screening(tuple(decided), cells)
            decided.append(k)
        return Screening(tuple(decided), ())

    def cut(self, cell: ReferenceCell, cuts: Rows) -> ReferenceCell | None:
        return cell.cut(cuts)

    def report(self, cell: ReferenceCell) -> CellReport:
        return CellReport(cell.facets(), cell.points, cell.rays, cell.lines)

    def next_map(self, context: LayerContext, chosen: tuple[int, ...]) -> tuple[int, Rows]:
        slices = context.layer.slices
        rows = tuple(context.piece_row(slices[unit][0] + k) for unit, k in enumerate(chosen))
        return lowest_terms(context.layer.den * context.map_den, rows)

    def finish(self, cell: ReferenceCell, pattern: Pattern, map_den: int,
               map_rows: Rows) -> RegionRecord:
        return RegionRecord(pattern, cell.facets(), cell.points, cell.rays, cell.lines, map_den,
                            map_rows)


def _screen_unit(pieces: Rows, generators: Rows) -> tuple[int, tuple[CandidateCell, ...]]:
    """Decide exactly how one unit's pieces split a cell: ``(winner, ())`` or ``(-1, cells)``."""
    if len(pieces) == 1:
        return 0, ()
    order = _distinct(pieces)
    if len(order) == 1:
        return 0, ()
    values = {k: [dot(pieces[k], g) for g in generators] for k in order}
    alive = [
        k for k in order
        if not any(j != k and _dominates(values[j], values[k]) for j in order)
    ]
    if len(alive) == 1:
        return alive[0], ()
    return -1, tuple(
        CandidateCell(k, tuple(primitive_vector(a - b for a, b in zip(pieces[k], pieces[j]))
                               for j in alive if j != k))
        for k in alive)


def _distinct(pieces: Rows) -> list[int]:
    """The index of the first of every group of identical pieces: the lowest index wins every tie."""
    order, seen = [], set()
    for k, p in enumerate(pieces):
        if p not in seen:
            seen.add(p)
            order.append(k)
    return order


def _dominates(a: list[int], b: list[int]) -> bool:
    return all(x >= y for x, y in zip(a, b))
