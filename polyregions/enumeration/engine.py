"""The refinement engine: exact activation regions, layer by layer, unit by unit.

How it works
------------
A piece of work (:class:`WorkItem`) is a full-dimensional region of the domain,
the activation pattern decided so far and the exact affine map from domain
coordinates to the current layer's input. Everything is kept in integers: the
region is a cell of the kernel backend (facets and generators as primitive
integer rows, see :mod:`polyregions.geometry.polytope`), the layer-input map is
integer rows over a common positive denominator, and each layer's pieces are
integer rows over one denominator (:class:`LayerPlan`).

Refining a region by a layer is the backend's inner loop
(:mod:`polyregions.enumeration.kernel`): it screens the region against each
unit's pieces in turn and, at the first unit that splits it, cuts it into the
full-dimensional cells of that unit's pieces. Pieces that are the same affine
function on the region are merged (the lowest index wins ties, so they never
make a region of their own), and a region one piece wins everywhere does not
split. Each cell becomes a work item of its own, waiting for the next unit;
when the last layer with a pattern is done, the backend emits the region's
record (:class:`~polyregions.enumeration.kernel.RegionRecord`).

Cells of different pieces of a unit have disjoint interiors and cover the
region, and each full-dimensional cell is exactly the closure of the set where
its piece wins; so the leaves are exactly the full-dimensional activation
regions, each found once. The work is a stack, refined depth-first, so the
order of the regions is fixed by the network and the domain alone.

With ``EngineOptions(adjacency=True)`` in a bounded domain, every work item
also carries its place in the adjacency (:mod:`polyregions.enumeration.adjacency`):
the cells of a split are linked to each other and to the region's neighbours,
and each record names the facets it shares with earlier records.
"""

import itertools
import math
import time
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, NamedTuple

import numpy as np
from numpy.typing import NDArray

from ..domain import Domain
from ..geometry.polytope import HPolytope
from ..network import Layer, Network, ReluLayer
from . import adjacency
from .backends import build_kernel, resolve_options
from .complex import Region
from .kernel import (
    CellReport,
    EngineOptions,
    KernelBackend,
    KernelSetup,
    LayerPieces,
    Pattern,
    RegionRecord,
    Rows,
    Screening,
    lowest_terms,
)

__all__ = [
    "BATCH_REGIONS",
    "BATCH_SECONDS",
    "LayerPlan",
    "WorkItem",
    "Job",
    "RegionCounter",
    "prepare",
    "next_map",
]


BATCH_REGIONS = 512
"""At most this many regions come back from a backend's native walk at a time."""

BATCH_SECONDS = 0.005
"""A native walk hands back what it has after about this many seconds."""


class LayerPlan(NamedTuple):
    """A layer's pieces as integer rows ``(b, w_1, ..., w_m)`` over one denominator.

    Piece ``j`` of the flattened list is ``rows[j] . (1, y) / den``; unit ``u``'s
    pieces are ``rows[a:b]`` for ``(a, b) = slices[u]``; `rank` is the common
    number of pieces of the units (None when it differs).

    Examples
    --------
    >>> from polyregions import ReluLayer
    >>> plan = LayerPlan.from_layer(ReluLayer([[1, "1/2"]], [0]))  # max(0, x + y/2)
    >>> plan.rows, plan.slices, plan.den, plan.rank
    (((0, 0, 0), (0, 2, 1)), ((0, 2),), 2, 2)
    """

    has_pattern: bool
    den: int
    rows: Rows
    slices: tuple[tuple[int, int], ...]
    rank: int | None

    @classmethod
    def from_layer(cls, layer: Layer) -> "LayerPlan":
        """The plan of a network layer."""
        if type(layer) is ReluLayer:
            return cls._from_relu_layer(layer)
        return cls._from_pieces(layer)

    @classmethod
    def _from_relu_layer(cls, layer: ReluLayer) -> "LayerPlan":
        # _from_pieces' plan of a ReLU layer, without its pieces: unit u's are the zero row and
        # (b_u, w_u), whose denominators alone make the lcm. A network built from float weights
        # is mostly ReLU layers, and a fresh one makes these plans before its first region.
        weights = [[v.as_integer_ratio() for v in w] for w in layer.weights]
        biases = [b.as_integer_ratio() for b in layer.biases]
        denominators = {d for _, d in biases}
        for ratios in weights:
            denominators.update([d for _, d in ratios])
        den = math.lcm(*denominators)
        zero = (0,) * (layer.input_dim + 1)
        rows: list[tuple[int, ...]] = []
        for (n, d), ratios in zip(biases, weights):
            rows += (zero, (n * (den // d), *[m * (den // e) for m, e in ratios]))
        return cls(True, den, tuple(rows), tuple((2 * u, 2 * u + 2) for u in range(len(biases))), 2)

    @classmethod
    def _from_pieces(cls, layer: Layer) -> "LayerPlan":
        pieces = layer.pieces()
        ranks = [len(unit) for unit in pieces]
        flat = [piece for unit in pieces for piece in unit]
        # Pieces share weight tuples (a ReLU-like layer has one zero row for all its units):
        # each distinct tuple is converted once. `pieces` keeps them alive, so ids stay
        # unique. Numerators and denominators by one method call each, then one lcm.
        ratios: dict[int, list[tuple[int, int]]] = {}
        for w, _ in flat:
            if id(w) not in ratios:
                ratios[id(w)] = [v.as_integer_ratio() for v in w]
        biases = [b.as_integer_ratio() for _, b in flat]
        den = math.lcm(*{d for _, d in biases}, *{d for r in ratios.values() for _, d in r})
        scaled = {key: [n * (den // d) for n, d in r] for key, r in ratios.items()}
        rows = tuple((n * (den // d), *scaled[id(w)]) for (n, d), (w, _) in zip(biases, flat))
        ends = list(itertools.accumulate(ranks))
        slices = tuple((e - r, e) for e, r in zip(ends, ranks))
        rank = ranks[0] if len(set(ranks)) == 1 else None
        return cls(layer.has_pattern, den, rows, slices, rank)

    @classmethod
    def of(cls, layer: Layer) -> "LayerPlan":
        """The plan of `layer`, as :meth:`from_layer` makes it, kept by the layer.

        Layers are immutable values, so a plan made once stays right
        (:meth:`~polyregions.network.Layer.derived`); it lives as long as its
        layer. A network's integer rows are then made once, not once per job.

        Examples
        --------
        >>> from polyregions import ReluLayer
        >>> layer = ReluLayer([[1, "1/2"]], [0])
        >>> LayerPlan.of(layer) is LayerPlan.of(layer), LayerPlan.of(layer) == LayerPlan.from_layer(layer)
        (True, True)
        """
        return layer.derived(cls.from_layer)

    @property
    def pieces(self) -> LayerPieces:
        """What a kernel backend is told of the layer."""
        return LayerPieces(self.rows, self.slices, self.rank, self.den)

    def fixed_choice(self) -> tuple[int, ...] | None:
        """The layer's pattern when no region needs screening for it, else None.

        A layer without a pattern (linear) has ``()``; one of rank 1 picks piece 0
        of every unit.
        """
        if not self.has_pattern:
            return ()
        if self.rank == 1:
            return (0,) * len(self.slices)
        return None


class WorkItem:
    """A region waiting for the units from (``len(done)``, ``len(current)``) on.

    Attributes
    ----------
    cell : object
        The kernel backend's cell (opaque here).
    done : Pattern
        The pattern of the layers already refined.
    current : tuple of int
        The winning pieces of the current layer's units decided so far.
    map_den, map_rows
        The layer input on the region: ``y_i = map_rows[i] . (1, x) / map_den``.
    context : object or None
        The backend's layer context for this map (None until the layer is
        entered); it depends only on the map, so the children of a split share it.
    node : AdjacencyNode or None
        The region's links to its neighbours, when adjacency is tracked.

    Examples
    --------
    One refinement step splits the root by the first unit, into two work items:

    >>> from polyregions import Box, Network, ReluLayer
    >>> job, root = prepare(Network(2, [ReluLayer([[1, 0], [0, 1]], [0, 0])]), Box.cube(2, -1, 1))
    >>> children = job.step(root)
    >>> len(children), all(isinstance(child, WorkItem) for child in children)
    (2, True)
    """

    __slots__ = ("cell", "done", "current", "map_den", "map_rows", "context", "node")

    def __init__(self, cell: Any, done: Pattern, current: tuple[int, ...], map_den: int,
                 map_rows: Rows, context: Any = None) -> None:
        self.cell, self.done, self.current = cell, done, current
        self.map_den, self.map_rows, self.context = map_den, map_rows, context
        self.node: adjacency.AdjacencyNode | None = None  # set when adjacency is tracked

    def child(self, cell: Any, piece: int) -> "WorkItem":
        """The work item of `cell`, where the current unit's winner is `piece`."""
        return WorkItem(cell, self.done, self.current + (piece,), self.map_den, self.map_rows,
                        self.context)


class _OutputChain:
    """The layers from `layer` on, as one integer matrix for any pattern (see :class:`_RegionMap`).

    Records hold the input map of the last layer with a pattern, and every layer
    after it is fixed (a linear head). The head's product is multiplied into
    every piece of that layer once, on first use (the *table*), so that a
    region's chain is a sum of one table entry per unit: additions only.
    """

    __slots__ = ("plans", "layer", "_table")

    #: Above this many table entries the chain is multiplied out per region instead.
    TABLE_LIMIT = 1 << 21

    def __init__(self, plans: Sequence[LayerPlan], layer: int) -> None:
        self.plans, self.layer = plans, layer
        self._table: tuple[NDArray[np.object_], NDArray[np.object_], tuple[bool, ...]] | None = None

    def product(self, pattern: Pattern) -> NDArray[np.object_] | None:
        """The homogeneous matrix of layers ``layer, ...`` on `pattern` (None: no layer)."""
        later = range(self.layer + 1, len(self.plans))
        if self.layer >= len(self.plans):
            return None
        if not later:
            return _homogeneous_layer(self.plans[self.layer], pattern[self.layer])
        if any(self.plans[i].fixed_choice() is None for i in later) or not self._tabulate():
            return _multiplied(self.plans, self.layer, pattern)
        assert self._table is not None
        base, table, nonzero = self._table
        plan = self.plans[self.layer]
        chosen = pattern[self.layer] or (0,) * len(plan.slices)
        picked = [j for j in (a + k for (a, _), k in zip(plan.slices, chosen)) if nonzero[j]]
        return base + table[picked].sum(axis=0) if picked else base

    def _tabulate(self) -> bool:
        """Build the table if it is small enough; whether there is one."""
        if self._table is None:
            head = _multiplied(self.plans, self.layer + 1, ())  # fixed layers: any pattern
            plan = self.plans[self.layer]
            if len(plan.rows) * head.size > self.TABLE_LIMIT:
                return False
            unit = [u for u, (a, b) in enumerate(plan.slices) for _ in range(a, b)]
            rows = np.array(plan.rows, dtype=object)
            # (head . layer)[o] = head[o][0] (den, 0, ...) + sum over units u of head[o][u + 1] * piece.
            table = head[:, [u + 1 for u in unit]].T[:, :, None] * rows[:, None, :]
            first = np.zeros(rows.shape[1], dtype=object)
            first[0] = plan.den
            base = np.outer(head[:, 0], first)
            self._table = (base, table, tuple(any(r) for r in plan.rows))
        return True


def _multiplied(plans: Sequence[LayerPlan], layer: int, pattern: Pattern) -> NDArray[np.object_]:
    """The homogeneous matrix of layers ``layer, ...``; the pattern is read only where it is needed."""
    product = None
    # Multiply the layers' small integer matrices first, the region's big map last.
    for i in range(layer, len(plans)):
        choice = plans[i].fixed_choice()
        step = _homogeneous_layer(plans[i], pattern[i] if choice is None else choice)
        product = step if product is None else step.dot(product)
    assert product is not None
    return product


class _RegionMap:
    """The lazily composed output map of a finished region (see :class:`Region`)."""

    __slots__ = ("chain", "den", "rows", "dim")

    def __init__(self, chain: _OutputChain, den: int, rows: Rows, dim: int) -> None:
        self.chain, self.den, self.rows, self.dim = chain, den, rows, dim

    def rows_and_den(self, pattern: Pattern) -> tuple[Rows, int]:
        product = self.chain.product(pattern)
        if product is None:
            return self.rows, self.den
        homogeneous = np.array([(self.den,) + (0,) * self.dim] + list(self.rows), dtype=object)
        out = product.dot(homogeneous)
        den, rows = lowest_terms(int(out[0][0]), [tuple(int(v) for v in row) for row in out[1:]])
        return rows, den


def _homogeneous_layer(plan: LayerPlan, chosen: tuple[int, ...]) -> NDArray[np.object_]:
    """The layer as an integer matrix on homogeneous vectors ``(1, y)`` (times constants).

    Row 0 is ``(den, 0, ..., 0)``, row ``u + 1`` the chosen piece of unit ``u``; applied to
    ``c (1, y)`` it gives ``c den (1, z)``.
    """
    if not plan.has_pattern:
        chosen = (0,) * len(plan.slices)
    width = len(plan.rows[0])
    rows = [(plan.den,) + (0,) * (width - 1)]
    rows += [plan.rows[plan.slices[u][0] + k] for u, k in enumerate(chosen)]
    return np.array(rows, dtype=object)


def next_map(plan: LayerPlan, chosen: tuple[int, ...], map_den: int, map_rows: Rows,
             dim: int) -> tuple[int, Rows]:
    """The next layer's input map ``(den, rows)``, given the pieces `chosen` by the units.

    Examples
    --------
    >>> from polyregions import ReluLayer
    >>> plan = LayerPlan.from_layer(ReluLayer([[1, 1], [1, -1]], [0, 1]))
    >>> next_map(plan, (1, 0), 1, ((0, 1, 0), (0, 0, 1)), 2)  # (x + y, 0) where unit 0 is active
    (1, ((0, 1, 1), (0, 0, 0)))
    """
    rows, den = _RegionMap(_OutputChain((plan,), 0), map_den, map_rows, dim).rows_and_den((chosen,))
    return den, rows


class Job:
    """One enumeration's fixed data: the layer plans, the depth, the dimension and the backend.

    The engine's work is a stack of independent work items (regions waiting for
    units); :meth:`drain` finishes a list of them depth-first and :meth:`step`
    refines one until it splits. Both only read the job, so items can be sent to
    other processes with it (see :mod:`polyregions.enumeration.parallel`).

    Examples
    --------
    The two ReLUs cut the square into its four quadrants:

    >>> from polyregions import Box, Network, ReluLayer
    >>> job, root = prepare(Network(2, [ReluLayer([[1, 0], [0, 1]], [0, 0])]), Box.cube(2, -1, 1))
    >>> len(list(job.drain([root])))
    4
    """

    __slots__ = ("plans", "depth", "dim", "input_map", "kernel", "_outputs")

    def __init__(self, plans: tuple[LayerPlan, ...], depth: int, dim: int,
                 input_map: tuple[int, Rows], kernel: KernelBackend[Any, Any]) -> None:
        self.plans, self.depth, self.dim = plans, depth, dim
        self.input_map = input_map  # (den, rows) of the domain's map into the input space
        self.kernel = kernel
        # Shared by every region: from the records' maps, and from the domain's input map.
        self._outputs = (_OutputChain(plans, max(depth - 1, 0)), _OutputChain(plans, 0))

    def step(self, work: WorkItem) -> RegionRecord | list[WorkItem]:
        """Refine `work`: a finished record, or the list of its children (in order)."""
        pushed: list[WorkItem] = []
        if self._advance(work, pushed):
            return self._record(work)
        return pushed[::-1]  # pushed last-first for the stack

    def drain(self, stack: Iterable[WorkItem]) -> Iterator[RegionRecord]:
        """Finish every work item of `stack` (the last one first); yield records in order.

        With adjacency tracked, records are indexed from 0 in that order, and
        each names the facets it shares with the records before it.

        A backend with a ``walk`` method (the native one) runs the whole loop
        itself (tracking adjacency too, when the items share no facet yet, as the
        root), and hands the records back in batches of at most
        :data:`BATCH_REGIONS` regions or about :data:`BATCH_SECONDS`, so that limits,
        progress and Ctrl-C are noticed between them.
        """
        stack = list(stack)
        walk = self._walk(stack)
        if walk is not None:
            # A batch cut short by its time may hold no region: only an empty stack is the end.
            while not walk.empty:
                yield from walk.records(BATCH_REGIONS, BATCH_SECONDS)
            return
        stack = list(stack)
        index = 0
        while stack:
            work = stack.pop()
            if self._advance(work, stack):
                record = self._record(work)
                if work.node is not None:
                    record = record._replace(neighbours=adjacency.finish(work.node, index))
                index += 1
                yield record

    def count(self, stack: Iterable[WorkItem], limit: int | None = None) -> Iterator[tuple[int, int]]:
        """Finish the work of `stack` as :meth:`drain` does, but only count the regions.

        Yields ``(regions, bounded)`` for each batch of finished regions (a region is
        bounded when it has neither rays nor lines), at most `limit` regions in all;
        with the native backend no record is made at all.
        """
        left = math.inf if limit is None else limit
        counter = self.counter(stack)
        while left > 0 and not counter.done:
            found, bounded = counter.batch(left)
            left -= found
            yield found, bounded

    def counter(self, stack: Iterable[WorkItem]) -> "RegionCounter":
        """A :class:`RegionCounter` of the work of `stack`."""
        return RegionCounter(self, list(stack))

    def _walk(self, stack: list[WorkItem], track: bool = True) -> Any:
        """The backend's native walk over `stack`; None when it has none or cannot track its links.

        The walk tracks adjacency itself (without `track`, it ignores the nodes) from
        items that share no facet yet, as the domain's root; links made here, as those
        of a parallel run's subtrees, need every split on this side.
        """
        walk = getattr(self.kernel, "walk", None)
        nodes = [w.node for w in stack if w.node is not None] if track else []
        if walk is None or any(node.links or node.index is not None for node in nodes):
            return None
        steps = tuple((plan.has_pattern, plan.fixed_choice()) for plan in self.plans[:self.depth])
        items = [(w.cell, w.done, w.current, w.map_den, w.map_rows, w.context) for w in stack]
        if nodes:
            if len(nodes) < len(stack):
                return None  # some items are tracked, others not: only the per-step path mixes them
            return walk(steps, len(self.plans), items, adjacency=True)
        return walk(steps, len(self.plans), items)

    def region(self, record: RegionRecord) -> Region:
        """The :class:`Region` of a finished record."""
        polytope = HPolytope.from_trusted_parts(self.dim, record.facets, record.points, record.rays,
                                                record.lines)
        source = _RegionMap(self._outputs[0], record.map_den, record.map_rows, self.dim)
        return Region(record.pattern, polytope, source, record.neighbours)

    def region_from_pattern(self, pattern: Pattern, rows: Rows, points: Rows, rays: Rows,
                            lines: Rows) -> Region:
        """The :class:`Region` with this pattern and polytope (its map composed from the input)."""
        polytope = HPolytope.from_trusted_parts(self.dim, rows, points, rays, lines)
        den, map_rows = self.input_map
        return Region(pattern, polytope, _RegionMap(self._outputs[1], den, map_rows, self.dim))

    def _record(self, work: WorkItem) -> RegionRecord:
        pattern = work.done + tuple(() for _ in self.plans[self.depth:])
        return self.kernel.finish(work.cell, pattern, work.map_den, work.map_rows)

    def _advance(self, work: WorkItem, stack: list[WorkItem]) -> bool:
        """Refine `work` through layer `depth`; False if it split (children pushed on `stack`)."""
        while len(work.done) < self.depth:
            screening = self._screen_layer(work)
            if screening is not None and screening.cells:
                stack.extend(reversed(self._children(work, screening)))
                return False
            self._next_layer(work)
        return True

    def _screen_layer(self, work: WorkItem) -> Screening | None:
        """Decide the units of the layer that do not split `work`; None if it needs no screening."""
        layer = len(work.done)
        choice = self.plans[layer].fixed_choice()
        if choice is not None:
            work.current = choice
            return None
        if work.context is None:
            work.context = self.kernel.enter_layer(layer, work.map_den, work.map_rows)
        screening = self.kernel.screen(work.context, work.cell, len(work.current))
        work.current += screening.winners
        return screening

    def _children(self, work: WorkItem, screening: Screening) -> list[WorkItem]:
        """The full-dimensional cells of the unit that splits `work`, in the order of its pieces."""
        children, positions = [], []
        for position, candidate in enumerate(screening.cells):
            cell = self.kernel.cut(work.cell, candidate.cuts)
            if cell is not None:
                children.append(work.child(cell, candidate.piece))
                positions.append(position)
        if work.node is not None:
            nodes = adjacency.split(work.node, [c.cuts for c in screening.cells], positions,
                                    [self.kernel.report(child.cell) for child in children])
            for child, node in zip(children, nodes):
                child.node = node
        return children

    def _next_layer(self, work: WorkItem) -> None:
        plan = self.plans[len(work.done)]
        work.done += (work.current,)
        # The map after the last layer is composed only if a user asks for it.
        if len(work.done) < self.depth:
            if work.context is not None:  # the screening composed the pieces: they are the map
                work.map_den, work.map_rows = self.kernel.next_map(work.context, work.current)
            else:
                work.map_den, work.map_rows = next_map(plan, work.current, work.map_den,
                                                       work.map_rows, self.dim)
            work.context = None
        work.current = ()


class RegionCounter:
    """The regions of a stack of work counted batch by batch, without keeping them.

    Made by :meth:`Job.counter`. With the native walk no record is made at all;
    otherwise the records of :meth:`Job.drain` are counted one by one, one ahead,
    so that :attr:`done` is known as soon as the last region is counted.

    Examples
    --------
    >>> from polyregions import Box, Network, ReluLayer
    >>> job, root = prepare(Network(2, [ReluLayer([[1, 0], [0, 1]], [0, 0])]), Box.cube(2, -1, 1))
    >>> counter = job.counter([root])
    >>> counter.batch(100), counter.done          # (regions, bounded) of the batch
    ((4, 4), True)
    """

    __slots__ = ("_walk", "_records", "_next")

    def __init__(self, job: Job, stack: list[WorkItem]) -> None:
        self._walk = job._walk(stack, track=False)  # counts need no shared facets
        self._records = None if self._walk is not None else job.drain(stack)
        self._next = None if self._records is None else next(self._records, None)

    @property
    def done(self) -> bool:
        """True when every region has been counted."""
        if self._walk is not None:
            return bool(self._walk.empty)
        return self._next is None

    def batch(self, limit: int | float) -> tuple[int, int]:
        """Count at most `limit` more regions, about :data:`BATCH_SECONDS` of work.

        Returns ``(regions, bounded)`` of this batch; a batch cut short by its time
        may hold no region while :attr:`done` is still False.
        """
        if self._walk is not None:
            found, bounded = self._walk.count(int(min(BATCH_REGIONS * 16, limit)), BATCH_SECONDS)
            return int(found), int(bounded)
        found = bounded = 0
        until = time.perf_counter() + BATCH_SECONDS
        while self._next is not None and found < limit:
            record = self._next
            found, bounded = found + 1, bounded + int(not record.rays and not record.lines)
            assert self._records is not None  # there is a next record only with them
            self._next = next(self._records, None)
            if time.perf_counter() > until:
                break
        return found, bounded


def prepare(network: Network, domain: Domain,
            options: EngineOptions | None = None) -> tuple[Job, WorkItem]:
    """The :class:`Job` and the root work item of enumerating `network` in `domain`.

    Raises
    ------
    DomainError, UsageError
        As :func:`polyregions.enumeration.run.iter_regions` raises them: for a
        domain that does not fit the network, and for an unknown kernel backend.

    Examples
    --------
    >>> from polyregions import Box, Network, ReluLayer
    >>> job, root = prepare(Network(2, [ReluLayer([[1, 0], [0, 1]], [0, 0])]), Box.cube(2, -1, 1))
    >>> job.depth, job.dim, root.done, root.current
    (1, 2, (), ())
    """
    domain.check_network(network)
    options = resolve_options(options)
    # Kept by each layer: a network's integer rows are made once, not once per job.
    plans = tuple(LayerPlan.of(layer) for layer in network.layers)
    # Trailing layers without a pattern (the linear head) cannot split a region.
    depth = max((i + 1 for i, p in enumerate(plans) if p.has_pattern), default=0)
    dim = domain.dim
    kernel = build_kernel(KernelSetup(dim, tuple(plan.pieces for plan in plans), options))
    poly = domain.polytope
    map_rows, map_den = domain.integer_input_map()
    cell = kernel.start(CellReport(poly.rows, poly.point_rows, poly.ray_rows, poly.line_rows))
    root = WorkItem(cell, (), (), map_den, map_rows)
    # Shared pieces are kept as bounded polytopes: in other domains the graph finds them.
    if options.adjacency and poly.is_bounded:
        root.node = adjacency.AdjacencyNode()
    return Job(plans, depth, dim, (map_den, map_rows), kernel), root
