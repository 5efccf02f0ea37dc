"""The kernel contract: what the refinement engine asks of a backend.

The engine (:mod:`polyregions.enumeration.engine`) owns the work: the stack of
work items, the layer plans, the activation pattern decided so far and the
exact layer-input map of every region. A *kernel backend* owns the inner loop,
what happens to one region under one layer:

1. **screen** the region against the pieces of each unit, in order, until a
   unit splits it (:meth:`KernelBackend.screen`);
2. **cut** it into the cells of that unit's pieces (:meth:`KernelBackend.cut`);
3. **report** each cell's facets and generators (:meth:`KernelBackend.report`);
4. **emit** the finished region record (:meth:`KernelBackend.finish`).

The Python reference backend is :mod:`polyregions.enumeration.reference`; a
backend is chosen by name (:mod:`polyregions.enumeration.backends`): the
``kernel`` field of :class:`EngineOptions`, else the environment variable
``POLYREGIONS_KERNEL``, else ``"python"``.

Data crossing the boundary
--------------------------
Only flat integer arrays and small records cross it: a :data:`Row` is a tuple
of Python ints, :data:`Rows` a tuple of rows, and the records below are named
tuples of those. Every row is in the homogeneous layout of
:mod:`polyregions.geometry.polytope`:

* a facet ``(b, a_1, ..., a_n)`` means ``b + a . x >= 0``, primitive;
* a vertex ``p / q`` is ``(q, p_1, ..., p_n)`` with ``q > 0``, a ray or a line
  direction ``d`` is ``(0, d_1, ..., d_n)``, all primitive;
* piece ``j`` of a layer is ``rows[j] . (1, y) / den`` on the layer input ``y``
  (:class:`LayerPieces`; the common ``den > 0`` changes no comparison, only the
  next layer's map);
* the layer-input map of a region is ``y_i = map_rows[i] . (1, x) / map_den``
  on the domain coordinates ``x``, in lowest terms (:func:`lowest_terms`:
  ``map_den > 0`` and ``gcd(map_den, every entry) == 1``).

Cells and layer contexts are the backend's own objects: the engine keeps them in
its work items, passes them back, and never looks inside. They must be
picklable (work items travel to worker processes with the backend itself), and
what they describe must not change once handed out (a backend may fill caches
in them): the children of a split share their parent's layer context.

What every backend guarantees
-----------------------------
Backends are interchangeable: the same regions in the same order, with exact
arithmetic only (a float may propose; only an exact test or a proven error
bound decides, as in :mod:`polyregions.geometry.screening`).

* Ties: pieces that are the same affine function on the region are merged and
  the lowest index wins, so identical pieces never make a region of their own.
* A unit does not split a region when one piece is ``>=`` every other at every
  generator; then :attr:`Screening.winners` names it.
* Candidate cells come in the order of their pieces; :meth:`KernelBackend.cut`
  returns None for a cell without interior, so only full-dimensional cells
  survive.
* Facets are irredundant; generators are those of the cell (lines are reported
  as lines, not as pairs of rays).

Shared facets
-------------
Adjacency is the engine's, not the backend's: regions are born adjacent (the
cells of a split share their cuts, and a neighbour of the region stays a
neighbour of the cells its shared facet reaches), so the engine tracks it from
what every backend reports (:mod:`polyregions.enumeration.adjacency`). What it
needs of a backend is in the contract already: the cells' facets and vertices
(:meth:`KernelBackend.report`) and the order of each candidate cell's cuts
(:class:`CandidateCell`). When asked to (``EngineOptions(adjacency=True)``),
it fills in :attr:`RegionRecord.neighbours`: a :class:`SharedFacet` for every
earlier region sharing a facet with this one. A facet of a region may be shared
with several regions, one piece each.

Examples
--------
The reference backend on one ReLU unit, ``max(0, x - y)``, over the square
``[0, 1]^2``:

>>> from polyregions.enumeration.reference import ReferenceKernel
>>> layer = LayerPieces(rows=((0, 0, 0), (0, 1, -1)), slices=((0, 2),), rank=2)
>>> kernel = ReferenceKernel(KernelSetup(dim=2, layers=(layer,), options=EngineOptions()))
>>> square = CellReport(facets=((0, 1, 0), (1, -1, 0), (0, 0, 1), (1, 0, -1)),
...                     points=((1, 0, 0), (1, 1, 0), (1, 1, 1), (1, 0, 1)), rays=(), lines=())
>>> cell = kernel.start(square)
>>> screening = kernel.screen(kernel.enter_layer(0, 1, ((0, 1, 0), (0, 0, 1))), cell, 0)
>>> screening.winners, screening.cells  # the unit splits the square along x = y
((), (CandidateCell(piece=0, cuts=((0, -1, 1),)), CandidateCell(piece=1, cuts=((0, 1, -1),))))
>>> sorted(kernel.report(kernel.cut(cell, screening.cells[0].cuts)).points)  # where y >= x
[(1, 0, 0), (1, 0, 1), (1, 1, 1)]
"""

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple, Protocol, TypeVar

from ..errors import UsageError

__all__ = [
    "Row",
    "Rows",
    "Pattern",
    "Neighbours",
    "SharedFacet",
    "LayerPieces",
    "CandidateCell",
    "Screening",
    "CellReport",
    "RegionRecord",
    "EngineOptions",
    "KernelSetup",
    "KernelBackend",
    "KernelFactory",
    "map_columns",
    "lowest_terms",
]

Row = tuple[int, ...]
"""One integer row: a facet, a generator, a piece or a row of a map."""

Rows = tuple[Row, ...]

Pattern = tuple[tuple[int, ...], ...]
"""For each layer, the winning piece of every unit (``()`` for a layer without a pattern)."""



class SharedFacet(NamedTuple):
    """The piece of facet a region shares with an earlier region, as integer rows.

    Attributes
    ----------
    region : int
        The earlier region's index in the order of the records.
    row : Row
        The hyperplane of the piece, primitive, ``>= 0`` on that earlier region
        (and ``<= 0`` on this one).
    points : Rows
        The vertices of the piece (homogeneous rows in domain coordinates); it
        is ``(n0 - 1)``-dimensional and bounded.
    faces : tuple of int
        For faces of the piece, among them all its facets, the bit mask of the
        vertices on each (bit ``k`` for ``points[k]``): what its exact measure
        needs (:func:`polyregions.geometry.measure.face_volume`).

    Examples
    --------
    The two regions of ``relu(x - y)`` in ``[0, 1]^2`` share the diagonal:

    >>> from polyregions import Box, Network, ReluLayer
    >>> from polyregions.enumeration.engine import prepare
    >>> net = Network(2, [ReluLayer([[1, -1]], [0])])
    >>> job, root = prepare(net, Box.cube(2, 0, 1), EngineOptions(adjacency=True))
    >>> first, second = job.drain([root])
    >>> first.neighbours, second.neighbours[0].region, second.neighbours[0].row
    ((), 0, (0, -1, 1))
    """

    region: int
    row: Row
    points: Rows
    faces: tuple[int, ...]


Neighbours = tuple[SharedFacet, ...]
"""The shared facets of a region with earlier regions, by increasing region index."""


class LayerPieces(NamedTuple):
    """A layer's pieces as integer rows: what a backend knows of a layer.

    Attributes
    ----------
    rows : Rows
        Every unit's pieces, flattened: piece ``j`` is ``rows[j] . (1, y)`` (up to
        one positive factor for the whole layer).
    slices : tuple of (int, int)
        Unit ``u``'s pieces are ``rows[a:b]`` for ``(a, b) = slices[u]``.
    rank : int or None
        The common number of pieces of the units, None when it differs.
    den : int
        The layer's positive denominator: piece ``j`` is ``rows[j] . (1, y) / den``.
        No comparison depends on it; the next layer's map does
        (:meth:`KernelBackend.next_map`).

    Examples
    --------
    One ReLU unit ``max(0, x - y)``: pieces ``0`` and ``x - y``, the unit's slice ``(0, 2)``:

    >>> layer = LayerPieces(rows=((0, 0, 0), (0, 1, -1)), slices=((0, 2),), rank=2)
    >>> layer.den, len(layer.slices)
    (1, 1)
    """

    rows: Rows
    slices: tuple[tuple[int, int], ...]
    rank: int | None
    den: int = 1


class CandidateCell(NamedTuple):
    """The cell of one piece: the region cut by ``cut . (1, x) >= 0`` for every cut.

    The cuts of the cell of piece ``k`` are the primitive rows of ``z_k - z_j``,
    one for each other candidate ``j`` of the unit, in the order of the
    candidates: the engine reads the facet two cells share off this order.

    Examples
    --------
    >>> from polyregions.enumeration.reference import ReferenceKernel
    >>> layer = LayerPieces(rows=((0, 0, 0), (0, 1, -1)), slices=((0, 2),), rank=2)   # max(0, x - y)
    >>> square = CellReport(facets=((0, 1, 0), (1, -1, 0), (0, 0, 1), (1, 0, -1)),
    ...                     points=((1, 0, 0), (1, 1, 0), (1, 1, 1), (1, 0, 1)), rays=(), lines=())
    >>> kernel = ReferenceKernel(KernelSetup(dim=2, layers=(layer,), options=EngineOptions()))
    >>> context = kernel.enter_layer(0, 1, ((0, 1, 0), (0, 0, 1)))
    >>> kernel.screen(context, kernel.start(square), 0).cells[1]     # where x - y >= 0
    CandidateCell(piece=1, cuts=((0, 1, -1),))
    """

    piece: int
    cuts: Rows


class Screening(NamedTuple):
    """How a unit's pieces, unit after unit, split a region.

    Attributes
    ----------
    winners : tuple of int
        The piece that wins on the whole region, for each unit from the first
        screened one on, up to the first unit that splits it (or the layer's end).
    cells : tuple of CandidateCell
        That unit's candidate cells, one per piece still in the running, in the
        order of the pieces; empty when no unit splits the region.

    Examples
    --------
    >>> from polyregions.enumeration.reference import ReferenceKernel
    >>> layer = LayerPieces(rows=((0, 0, 0), (0, 1, -1)), slices=((0, 2),), rank=2)   # max(0, x - y)
    >>> square = CellReport(facets=((0, 1, 0), (1, -1, 0), (0, 0, 1), (1, 0, -1)),
    ...                     points=((1, 0, 0), (1, 1, 0), (1, 1, 1), (1, 0, 1)), rays=(), lines=())
    >>> kernel = ReferenceKernel(KernelSetup(dim=2, layers=(layer,), options=EngineOptions()))
    >>> context = kernel.enter_layer(0, 1, ((0, 1, 0), (0, 0, 1)))
    >>> screening = kernel.screen(context, kernel.start(square), 0)
    >>> screening.winners, len(screening.cells)        # no piece wins everywhere: two cells
    ((), 2)
    """

    winners: tuple[int, ...]
    cells: tuple[CandidateCell, ...]


class CellReport(NamedTuple):
    """A cell as flat integer rows (see the module docstring for the layout).

    Also the input of :meth:`KernelBackend.start`: the domain as the first cell.

    Examples
    --------
    The square ``[0, 1]^2``: four facets ``b + a . x >= 0`` and four vertices ``(1, x, y)``:

    >>> square = CellReport(facets=((0, 1, 0), (1, -1, 0), (0, 0, 1), (1, 0, -1)),
    ...                     points=((1, 0, 0), (1, 1, 0), (1, 1, 1), (1, 0, 1)), rays=(), lines=())
    >>> len(square.facets), len(square.points), square.rays
    (4, 4, ())
    """

    facets: Rows
    points: Rows
    rays: Rows
    lines: Rows


class RegionRecord(NamedTuple):
    """A finished region: its pattern, its cell and its last layer-input map.

    Cheap to pickle and to store: checkpoints keep records as JSON lines
    (:meth:`to_json`). The map is the one into the input of the last layer with
    a pattern; the region's output map is composed from it on demand.
    `neighbours` is None unless the engine tracks adjacency (see the module
    docstring); then it holds the facets shared with earlier records.

    Examples
    --------
    >>> record = RegionRecord(((1,),), ((0, 1),), ((1, 0),), ((0, 1),), (), 1, ((0, 1),))
    >>> record.to_json()
    [((1,),), ((0, 1),), ((1, 0),), ((0, 1),), (), 1, ((0, 1),)]
    >>> RegionRecord.from_json([[[1]], [[0, 1]], [[1, 0]], [[0, 1]], [], 1, [[0, 1]]]) == record
    True
    """

    pattern: Pattern
    facets: Rows
    points: Rows
    rays: Rows
    lines: Rows
    map_den: int
    map_rows: Rows
    neighbours: Neighbours | None = None

    def to_json(self) -> list[Any]:
        """The record as a JSON array: seven fields, and the shared facets when known."""
        fields = list(self)
        return fields if self.neighbours is not None else fields[:-1]

    @classmethod
    def from_json(cls, data: Sequence[Any]) -> "RegionRecord":
        """The record of a JSON array written by :meth:`to_json` (lists become tuples)."""
        pattern, facets, points, rays, lines, map_den, map_rows, *more = data
        neighbours = None
        if more and more[0] is not None:
            neighbours = tuple(SharedFacet(region, tuple(row), _rows(points), tuple(faces))
                               for region, row, points, faces in more[0])
        return cls(_rows(pattern), _rows(facets), _rows(points), _rows(rays), _rows(lines),
                   map_den, _rows(map_rows), neighbours)


def _rows(rows: Sequence[Sequence[int]]) -> Rows:
    return tuple(tuple(r) for r in rows)


@dataclass(frozen=True)
class EngineOptions:
    """How the engine runs: the kernel backend and the reference backend's fast paths.

    No option changes a region: every choice gives the same regions in the same
    order (tests compare the fast paths with the general one, region by region).

    Attributes
    ----------
    kernel : str or None
        The backend's name (see :mod:`polyregions.enumeration.backends`); None
        takes ``POLYREGIONS_KERNEL`` from the environment, else ``"python"``.
    polygon_path : bool
        Cut bounded 2-D regions as cyclic polygons (:mod:`polyregions.geometry.polygon`).
    incidence_path : bool
        Cut other bounded regions by vertex-facet incidence
        (:mod:`polyregions.geometry.incidence`); otherwise, and for unbounded
        regions, by cddlib's double description.
    float_filter : bool
        Certify units that do not split with floats and a proven error bound
        (:mod:`polyregions.geometry.screening`) before any exact screening.
    adjacency : bool
        Track the facets regions share through the refinement and record them
        (:attr:`RegionRecord.neighbours`), for the region graph; in bounded
        domains only (in others the graph finds them after the fact).

    Examples
    --------
    >>> EngineOptions(float_filter=False).polygon_path
    True
    >>> EngineOptions(polygon_path="no")
    Traceback (most recent call last):
    ...
    polyregions.errors.UsageError: EngineOptions.polygon_path must be True or False, got 'no'
    """

    kernel: str | None = None
    polygon_path: bool = True
    incidence_path: bool = True
    float_filter: bool = True
    adjacency: bool = False

    def __post_init__(self) -> None:
        if self.kernel is not None and not isinstance(self.kernel, str):
            raise UsageError(f"EngineOptions.kernel must be a backend name, got {self.kernel!r}")
        for name in ("polygon_path", "incidence_path", "float_filter", "adjacency"):
            value = getattr(self, name)
            if not isinstance(value, bool):
                raise UsageError(f"EngineOptions.{name} must be True or False, got {value!r}")


class KernelSetup(NamedTuple):
    """What a backend is built from, once per enumeration.

    Examples
    --------
    >>> layer = LayerPieces(rows=((0, 0, 0), (0, 1, -1)), slices=((0, 2),), rank=2)
    >>> setup = KernelSetup(dim=2, layers=(layer,), options=EngineOptions())
    >>> setup.dim, len(setup.layers)
    (2, 1)
    """

    dim: int
    layers: tuple[LayerPieces, ...]
    options: EngineOptions


CellT = TypeVar("CellT")
ContextT = TypeVar("ContextT")


class KernelBackend(Protocol[CellT, ContextT]):
    """The interface of a kernel backend (see the module docstring).

    `CellT` is the backend's cell, `ContextT` its layer context; both are opaque
    to the engine. A backend is built by a :data:`KernelFactory` from a
    :class:`KernelSetup` and is picklable.

    Examples
    --------
    >>> from polyregions.enumeration.reference import ReferenceKernel
    >>> layer = LayerPieces(rows=((0, 0, 0), (0, 1, -1)), slices=((0, 2),), rank=2)
    >>> kernel: KernelBackend = ReferenceKernel(KernelSetup(dim=2, layers=(layer,),
    ...                                                     options=EngineOptions()))
    >>> kernel.name
    'python'
    """

    @property
    def name(self) -> str:
        """The name that selects this backend (``"python"`` for the reference)."""

    def start(self, domain: CellReport) -> CellT:
        """The domain's polytope (irredundant facets, its generators) as the first cell."""

    def enter_layer(self, layer: int, map_den: int, map_rows: Rows) -> ContextT:
        """Layer `layer`'s pieces on a region whose layer-input map is ``map_rows / map_den``.

        Called once per map and layer, only for layers whose pattern needs
        screening (not linear, and not every unit of rank 1); the context is
        shared by every cell of that map.
        """

    def screen(self, context: ContextT, cell: CellT, first_unit: int) -> Screening:
        """Screen `cell` against the units of `context`'s layer from `first_unit` on."""

    def cut(self, cell: CellT, cuts: Rows) -> CellT | None:
        """The part of `cell` where every cut row is ``>= 0``; None when it has no interior."""

    def report(self, cell: CellT) -> CellReport:
        """The cell's facets and generators, as flat rows."""

    def next_map(self, context: ContextT, chosen: tuple[int, ...]) -> tuple[int, Rows]:
        """The next layer's input map ``(den, rows)`` on the region of `context`.

        Unit ``u``'s piece ``chosen[u]`` (an index into the unit's own pieces) is
        the next layer's input ``u``: ``rows[u] . (1, x) / den``, in lowest terms
        (:func:`lowest_terms`). The pieces already composed over the domain for
        the screening are that map, so its cost does not depend on the width of
        the map the context was entered with.
        """

    def finish(self, cell: CellT, pattern: Pattern, map_den: int, map_rows: Rows) -> RegionRecord:
        """The finished region's record, with its full `pattern` and last layer-input map."""


KernelFactory = Callable[[KernelSetup], KernelBackend[Any, Any]]
"""Builds a backend for one enumeration (a backend class is one)."""


def map_columns(map_den: int, map_rows: Sequence[Row], dim: int) -> Rows:
    """The columns of the homogenised layer-input map ``(1, x) -> map_den (1, y)``.

    Its first row ``(map_den, 0, ..., 0)`` carries the constant 1, so that a piece
    row ``r`` of the layer gives the piece over the domain as
    ``(r . column for column in columns)``.

    Examples
    --------
    >>> map_columns(2, [(1, 2, 0), (0, 0, 2)], 2)  # y = (1/2 + x1, x2)
    ((2, 1, 0), (0, 2, 0), (0, 0, 2))
    """
    head = (map_den,) + (0,) * dim
    return tuple(zip(head, *map_rows))


def lowest_terms(den: int, rows: Sequence[Row]) -> tuple[int, Rows]:
    """The map ``rows / den`` (``den > 0``) in its unique form: ``gcd(den, all entries) == 1``.

    Examples
    --------
    >>> lowest_terms(6, [(2, 4, 0), (0, 0, 8)])
    (3, ((1, 2, 0), (0, 0, 4)))
    >>> lowest_terms(4, [(0, 0, 0)])  # the zero map
    (1, ((0, 0, 0),))
    """
    g = math.gcd(den, *(v for row in rows for v in row))
    if g == 1:
        return den, tuple(map(tuple, rows))
    return den // g, tuple(tuple(v // g for v in row) for row in rows)
