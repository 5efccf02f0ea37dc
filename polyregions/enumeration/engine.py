"""The refinement engine: exact activation regions, layer by layer, unit by unit.

How it works
------------
A piece of work is a full-dimensional region of the domain with its
irredundant facets, its generators (vertices, rays, lines), the activation
pattern decided so far and the exact affine map from domain coordinates to the
current layer's input. Everything is kept in integers: facets and generators as
primitive integer rows (see :mod:`polyregions.geometry.polytope`), the layer-input map as
integer rows over a common positive denominator. At a layer's entry every piece
``z_uk`` of every unit becomes an integer row ``P_uk`` with
``P_uk . (1, x) = c * z_uk(x)`` for one common ``c > 0``; comparing two pieces
at a generator is then a comparison of two integers.

Refining a region by a unit:

1. Pieces that are the same affine function of ``x`` on the region are merged
   (the lowest index wins ties, so they never make a region of their own).
2. Screening: the pieces are evaluated at the generators. A piece that is
   ``>=`` another at every generator is ``>=`` it on the whole region, so the
   other's cell has empty interior. When one piece remains, the region does
   not split and no polyhedral computation is needed.
3. Otherwise each remaining piece ``k`` gets the cell ``region ∩ {z_k >= z_j}``
   (``j`` over the other remaining pieces), computed by one exact double
   description. The cell is kept only if it is full-dimensional: every new
   inequality is strict at some generator of the cell (then a strictly positive
   combination of the generators is an interior point). A piece strictly above
   all others at some generator of the region is kept without that test.

Cells of different pieces of a unit have disjoint interiors and cover the
region, and each full-dimensional cell is exactly the closure of the set where
its piece wins; so the leaves are exactly the full-dimensional activation
regions, each found once.
"""

import itertools
import math
import time
from numbers import Integral, Real

import numpy as np

from ..errors import LimitReached, UsageError
from ..geometry.incidence import BoundedPolytope, cut_polytope
from ..geometry.polygon import clip_polygon, cyclic_polygon
from ..geometry.polytope import HPolytope, double_description, facet_rows, is_full_dimensional
from ..geometry.screening import FloatScreen, generator_floats, scaled_floats
from ..numbers import common_denominator, dot, primitive_vector
from .complex import Region, RegionComplex

__all__ = [
    "Job",
    "prepare",
    "iter_regions",
    "enumerate_regions",
    "LimitedRun",
    "count_regions",
    "check_run_arguments",
    "check_positive_integer",
    "check_positive_seconds",
]


# Both fast paths can be switched off, so that tests can check them against the
# general path (double description, exact screening) on the same networks.
_POLYGON_PATH = True
_INCIDENCE_PATH = True
_FLOAT_FILTER = True


class _LayerPlan:
    """A layer's pieces as integer rows ``(b, w_1, ..., w_m)`` over one denominator.

    Piece ``j`` of the flattened list is ``rows[j] . (1, y) / den``.
    """

    __slots__ = ("has_pattern", "rows", "slices", "den", "rank", "floats")

    def __init__(self, layer):
        pieces = layer.pieces()
        den = common_denominator(v for unit in pieces for w, b in unit for v in (*w, b))
        ranks = [len(unit) for unit in pieces]
        self.den = den
        self.has_pattern = layer.has_pattern
        self.rank = ranks[0] if len(set(ranks)) == 1 else None
        self.rows = [tuple(int(v * den) for v in (b, *w)) for unit in pieces for w, b in unit]
        ends = list(itertools.accumulate(ranks))
        self.slices = [(e - r, e) for e, r in zip(ends, ranks)]
        # The float filter needs one rank for the whole layer (and something to decide).
        self.floats = None
        if _FLOAT_FILTER and self.rank and self.rank > 1:
            self.floats = scaled_floats(self.rows)

    def piece_rows(self, unit, columns, pieces=None):
        """Exact rows ``P`` of `unit`'s pieces (or only of `pieces`) over the domain.

        `columns` are the columns of the homogenised layer-input map (see
        :class:`_Work`), so that ``P_k . (1, x) = den * map_den * z_k(x)``.
        """
        a, b = self.slices[unit]
        chosen = range(a, b) if pieces is None else [a + k for k in pieces]
        return tuple(tuple(dot(self.rows[j], col) for col in columns) for j in chosen)


def _map_columns(map_den, map_rows, dim):
    # Homogenised map: the first row (map_den, 0, ..., 0) carries the constant 1.
    head = (map_den,) + (0,) * dim
    return tuple(zip(head, *map_rows))


class _Work:
    """A region waiting for the units from (`layer`, `unit`) on.

    The layer input is ``y_i = map_rows[i] . (1, x) / map_den`` on the region.
    `pieces` caches exact piece rows by unit and `screen` the float filter;
    both depend only on the layer map, so children of a split share them.
    """

    __slots__ = ("rows", "points", "rays", "lines", "shape", "done", "current",
                 "layer", "unit", "map_den", "map_rows", "columns", "pieces", "screen")

    def __init__(self, rows, points, rays, lines, shape, done, current, layer, unit,
                 map_den, map_rows, columns=None, pieces=None, screen=None):
        self.rows, self.points, self.rays, self.lines = rows, points, rays, lines
        # "polygon" (2-D, cyclic vertices), a BoundedPolytope, or None (cddlib).
        self.shape = shape
        self.done, self.current = done, current
        self.layer, self.unit = layer, unit
        self.map_den, self.map_rows = map_den, map_rows
        self.columns, self.pieces, self.screen = columns, pieces, screen

    def record(self, plans, depth):
        """The finished region as a plain tuple (cheap to pickle or store)."""
        pattern = self.done + tuple(() for _ in plans[depth:])
        return (pattern, self.rows, self.points, self.rays, self.lines, self.map_den,
                self.map_rows)

    def child(self, rows, points, rays, lines, shape, piece):
        return _Work(rows, points, rays, lines, shape, self.done, self.current + (piece,),
                     self.layer, self.unit + 1, self.map_den, self.map_rows,
                     self.columns, self.pieces, self.screen)


class _RegionMap:
    """The lazily composed output map of a finished region (see :class:`Region`)."""

    __slots__ = ("plans", "layer", "den", "rows", "dim")

    def __init__(self, plans, layer, den, rows, dim):
        self.plans, self.layer, self.den, self.rows, self.dim = plans, layer, den, rows, dim

    def rows_and_den(self, pattern):
        # Multiply the layers' small integer matrices first, the region's big map last.
        product = None
        for layer in range(self.layer, len(self.plans)):
            step = _homogeneous_layer(self.plans[layer], pattern[layer])
            product = step if product is None else step.dot(product)
        if product is None:
            return self.rows, self.den
        homogeneous = np.array([(self.den,) + (0,) * self.dim] + list(self.rows), dtype=object)
        out = product.dot(homogeneous)
        den = int(out[0][0])
        rows = [[int(v) for v in row] for row in out[1:]]
        g = math.gcd(den, *(v for row in rows for v in row))
        return tuple(tuple(v // g for v in row) for row in rows), den // g


def _homogeneous_layer(plan, chosen):
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


def _next_map(plan, chosen, map_den, map_rows, dim):
    """The next layer's input map, given the pieces `chosen` by the units."""
    rows, den = _RegionMap((plan,), 0, map_den, map_rows, dim).rows_and_den((chosen,))
    return den, rows


def _dominates(a, b):
    return all(x >= y for x, y in zip(a, b))


def _unit_cells(pieces, generators):
    """Decide exactly how a unit's pieces split a region.

    Returns ``(k, None)`` when piece ``k`` wins on the whole region, otherwise
    ``(None, cells)`` with ``cells`` a list of ``(k, new_rows)``: piece ``k``'s
    candidate cell is the region cut by ``new_rows``.
    """
    if len(pieces) == 1:
        return 0, None
    order, seen = [], set()
    for k, p in enumerate(pieces):
        if p not in seen:  # identical functions: the lowest index wins every tie
            seen.add(p)
            order.append(k)
    if len(order) == 1:
        return 0, None
    values = {k: [dot(pieces[k], g) for g in generators] for k in order}
    alive = [
        k for k in order
        if not any(j != k and _dominates(values[j], values[k]) for j in order)
    ]
    if len(alive) == 1:
        return alive[0], None
    cells = []
    for k in alive:
        new_rows = tuple(
            primitive_vector(a - b for a, b in zip(pieces[k], pieces[j])) for j in alive if j != k
        )
        cells.append((k, new_rows))
    return None, cells


def _cut(work, new_rows, dim, ids):
    """The cell of `work` cut by `new_rows` as (rows, points, rays, lines, shape), or None if thin."""
    if work.shape == "polygon":
        points, rows = work.points, work.rows
        for row in new_rows:
            clipped = clip_polygon(points, rows, row)
            if clipped is None:
                return None
            points, rows = clipped
        return rows, points, (), (), "polygon"
    if work.shape is not None:
        poly = work.shape
        for row in new_rows:
            poly = cut_polytope(poly, row, next(ids), dim)
            if poly is None:
                return None
        return tuple(poly.rows.values()), poly.points, (), (), poly
    rows = work.rows + new_rows
    points, rays, lines = double_description(rows, dim)
    # The region is full-dimensional, so only the new rows can be implicit equalities.
    if not is_full_dimensional(new_rows, points, rays):
        return None
    return facet_rows(rows, points, rays), points, rays, lines, None


def iter_regions(network, domain):
    """Yield the full-dimensional activation regions of `network` in `domain`.

    Regions stream out as they are finished, in a deterministic order, so the
    caller can stop at any time and keeps every region already yielded.

    Parameters
    ----------
    network : Network
    domain : Domain
        Its ``input_dim`` must be the network's.

    Yields
    ------
    Region

    Raises
    ------
    DomainError
        When the domain does not fit the network.

    Examples
    --------
    >>> from polyregions import Network, ReluLayer, Box
    >>> net = Network(2, [ReluLayer([[1, 0], [0, 1], [1, 1]], [0, 0, 0])])
    >>> sum(1 for _ in iter_regions(net, Box.cube(2, -1, 1)))  # three lines through 0
    6
    """
    job, root = prepare(network, domain)
    for record in job.drain([root]):
        yield job.region(record)


class Job:
    """One enumeration's fixed data: the layer plans, the depth and the dimension.

    The engine's work is a stack of independent work items (regions waiting for
    units); :meth:`drain` finishes a list of them depth-first and :meth:`step`
    refines one until it splits. Both only read the job, so items can be sent to
    other processes with it (see :mod:`polyregions.enumeration.parallel`).
    """

    __slots__ = ("plans", "depth", "dim", "input_map")

    def __init__(self, plans, depth, dim, input_map):
        self.plans, self.depth, self.dim = plans, depth, dim
        self.input_map = input_map  # (den, rows) of the domain's map into the input space

    def step(self, work, ids=None):
        """Refine `work`: a finished record, or the list of its children (in order)."""
        ids = ids if ids is not None else _fresh_ids(work)
        pushed = []
        if _advance(work, self.plans, self.depth, self.dim, pushed, ids):
            return work.record(self.plans, self.depth)
        return pushed[::-1]  # pushed last-first for the stack

    def drain(self, stack):
        """Finish every work item of `stack` (the last one first); yield records in order."""
        stack = list(stack)
        ids = itertools.count(max((_max_id(w) for w in stack), default=0) + 1)
        while stack:
            work = stack.pop()
            if _advance(work, self.plans, self.depth, self.dim, stack, ids):
                yield work.record(self.plans, self.depth)

    def region(self, record):
        """The :class:`Region` of a finished record."""
        pattern, rows, points, rays, lines, map_den, map_rows = record
        polytope = HPolytope.from_trusted_parts(self.dim, rows, points, rays, lines)
        source = _RegionMap(self.plans, max(self.depth - 1, 0), map_den, map_rows, self.dim)
        return Region(pattern, polytope, source)

    def region_from_pattern(self, pattern, rows, points, rays, lines):
        """The :class:`Region` with this pattern and polytope (its map composed from the input)."""
        polytope = HPolytope.from_trusted_parts(self.dim, rows, points, rays, lines)
        den, map_rows = self.input_map
        return Region(pattern, polytope, _RegionMap(self.plans, 0, den, map_rows, self.dim))


def prepare(network, domain):
    """The :class:`Job` and the root work item of enumerating `network` in `domain`."""
    domain.check_network(network)
    plans = tuple(_LayerPlan(layer) for layer in network.layers)
    # Trailing layers without a pattern (the linear head) cannot split a region.
    depth = max((i + 1 for i, p in enumerate(plans) if p.has_pattern), default=0)
    dim = domain.dim
    poly = domain.polytope
    map_rows, map_den = domain.integer_input_map()
    points, rows, shape = poly.point_rows, poly.rows, None
    if _POLYGON_PATH and dim == 2 and poly.is_bounded:
        points, rows = cyclic_polygon(rows, points)
        shape = "polygon"
    elif _INCIDENCE_PATH and poly.is_bounded:
        shape = BoundedPolytope.from_generators(rows, points)
    root = _Work(rows, points, poly.ray_rows, poly.line_rows, shape, (), (), 0, 0, map_den, map_rows)
    return Job(plans, depth, dim, (map_den, map_rows)), root


def _max_id(work):
    # Facet ids of the incidence path must stay unique within each polytope.
    shape = work.shape
    return max(shape.rows, default=0) if isinstance(shape, BoundedPolytope) else 0


def _fresh_ids(work):
    return itertools.count(_max_id(work) + 1)


def _advance(work, plans, depth, dim, stack, ids):
    """Refine `work` through layer `depth`; False if it split (children on `stack`)."""
    generators = floats = None
    while work.layer < depth:
        plan = plans[work.layer]
        units = len(plan.slices)
        if not plan.has_pattern or plan.rank == 1:
            work.current, work.unit = (() if not plan.has_pattern else (0,) * units), units
        if work.columns is None:
            work.columns = _map_columns(work.map_den, work.map_rows, dim)
            work.pieces = {}
            if plan.floats is not None and work.unit < units:
                work.screen = FloatScreen(plan.floats, scaled_floats(work.columns).T, plan.rank)
        winners, first = None, work.unit
        while work.unit < units:
            u = work.unit
            if generators is None:
                lines = work.lines
                generators = work.points + work.rays + lines + tuple(
                    tuple(-v for v in line) for line in lines)
            if work.screen is not None and winners is None:
                if floats is None:
                    floats = generator_floats(generators)
                winners, first = work.screen.decide(u, floats), u
            k = winners[u - first] if winners is not None else -1
            if k < 0:
                pieces = work.pieces.get(u)
                if pieces is None:
                    pieces = work.pieces[u] = plan.piece_rows(u, work.columns)
                k, cells = _unit_cells(pieces, generators)
                if cells is not None:
                    children = []
                    for piece, new_rows in cells:
                        cell = _cut(work, new_rows, dim, ids)
                        if cell is not None:
                            children.append(work.child(*cell, piece))
                    stack.extend(reversed(children))
                    return False
            work.current += (k,)
            work.unit += 1
        work.done += (work.current,)
        # The map after the last layer is composed only if a user asks for it.
        if work.layer + 1 < depth:
            work.map_den, work.map_rows = _next_map(plan, work.current, work.map_den,
                                                    work.map_rows, dim)
            work.columns = work.pieces = work.screen = None
        work.current, work.unit = (), 0
        work.layer += 1
    return True


def enumerate_regions(network, domain, *, max_regions=None, time_limit=None, progress=None,
                      stop_on_interrupt=False, workers=1, dask=None, checkpoint=None):
    """Return every full-dimensional activation region as a :class:`RegionComplex`.

    Parameters
    ----------
    network : Network
    domain : Domain
    max_regions : int, optional
        Stop after this many regions (at least 1).
    time_limit : float, optional
        Stop after about this many seconds (above 0; checked as regions finish).
    progress : callable, optional
        Called with the number of regions found so far, after each region; with
        several workers or dask, as each subtree finishes (in any order).
    stop_on_interrupt : bool, optional
        If true, Ctrl-C (KeyboardInterrupt) ends the enumeration and the regions
        found so far are returned, marked partial, instead of being lost.
    workers : int, optional
        Processes to use (a process pool when above 1; at least 1).
    dask : str, optional
        A dask.distributed scheduler address, or ``"local"`` for a LocalCluster.
    checkpoint : str or path-like, optional
        A folder keeping finished work; the same call resumes from it.

    Returns
    -------
    RegionComplex
        The same regions in the same order whatever the backend; with
        ``complete=False`` and ``stop_reason`` set (``"max_regions"``,
        ``"time_limit"`` or ``"interrupt"``) when the work stopped early.

    Raises
    ------
    UsageError
        When a limit or the number of workers is not valid (see
        :func:`check_run_arguments`), before any work is done.

    Examples
    --------
    >>> from polyregions import Network, MaxoutLayer, WholeSpace
    >>> net = Network(1, [MaxoutLayer([[[1], [0], [-1]]], [[0, 1, 0]])])  # max(x, 1, -x)
    >>> len(enumerate_regions(net, WholeSpace(1)))
    3
    """
    run = LimitedRun(network, domain, max_regions=max_regions, time_limit=time_limit,
                     progress=progress, stop_on_interrupt=stop_on_interrupt, workers=workers,
                     dask=dask, checkpoint=checkpoint)
    regions = list(run)
    return RegionComplex(network, domain, regions, seconds=run.seconds,
                         stop_reason=run.stop_reason)


class _OutOfTime(Exception):
    """The time limit passed while subtrees were still being waited for."""


class LimitedRun:
    """Iterate the regions under limits; afterwards ``stop_reason`` and ``seconds`` are set.

    The streaming form of :func:`enumerate_regions` (same parameters): regions
    are yielded as they are found and nothing is kept, so memory stays flat.
    """

    def __init__(self, network, domain, *, max_regions=None, time_limit=None, progress=None,
                 stop_on_interrupt=False, workers=1, dask=None, checkpoint=None):
        workers = check_run_arguments(max_regions=max_regions, time_limit=time_limit,
                                      workers=workers)
        self.network, self.domain = network, domain
        self.max_regions, self.time_limit, self.progress = max_regions, time_limit, progress
        self.stop_on_interrupt = stop_on_interrupt
        self.backend = (workers, dask, checkpoint)
        self.stop_reason, self.seconds, self.count = None, 0.0, 0
        self._reported, self._deadline = 0, None

    def _report(self, found):
        # Subtrees finish ahead of the in-order hand-over: report the larger count, once.
        if self.progress is not None and found > self._reported:
            self._reported = found
            self.progress(found)

    def _subtree_finished(self, found):
        # Subtrees finish in any order: the time limit is noticed as soon as one does,
        # not only when the next subtree in order is handed over.
        self._report(found)
        if self._deadline is not None and time.perf_counter() > self._deadline:
            raise _OutOfTime

    def _stream(self):
        workers, dask, checkpoint = self.backend
        if workers == 1 and dask is None and checkpoint is None:
            return iter_regions(self.network, self.domain), None
        from .parallel import executor_for, iter_regions_parallel

        executor = executor_for(workers, dask)
        stream = iter_regions_parallel(self.network, self.domain, executor, checkpoint=checkpoint,
                                       found=self._subtree_finished)
        return stream, executor

    def __iter__(self):
        start = time.perf_counter()
        deadline = None if self.time_limit is None else start + self.time_limit
        self._deadline = deadline
        stream, executor = self._stream()
        try:
            for region in stream:
                self.count += 1
                yield region
                self._report(self.count)
                if self.max_regions is not None and self.count >= self.max_regions:
                    # Complete only if nothing is left (this looks one region ahead).
                    if next(stream, None) is not None:
                        self.stop_reason = "max_regions"
                    break
                if deadline is not None and time.perf_counter() > deadline:
                    self.stop_reason = "time_limit"
                    break
        except _OutOfTime:
            self.stop_reason = "time_limit"
        except KeyboardInterrupt:
            if not self.stop_on_interrupt:
                raise
            self.stop_reason = "interrupt"
        finally:
            stream.close()
            if executor is not None:
                executor.close()
            self.seconds = time.perf_counter() - start


def check_positive_integer(value, name):
    """`value` if it is an integer of at least 1, else a :class:`UsageError` naming `name`.

    ``True`` is not an integer here, and neither is ``2.0``: a count is never a float.

    Examples
    --------
    >>> check_positive_integer(3, "workers")
    3
    >>> check_positive_integer(2.5, "max_regions")
    Traceback (most recent call last):
    ...
    polyregions.errors.UsageError: max_regions must be an integer, got 2.5
    """
    if isinstance(value, bool) or not isinstance(value, Integral):
        raise UsageError(f"{name} must be an integer, got {value!r}")
    if value < 1:
        raise UsageError(f"{name} must be positive, got {value}")
    return int(value)


def check_positive_seconds(value, name):
    """`value` if it is a real number of seconds above 0, else a :class:`UsageError`.

    Examples
    --------
    >>> check_positive_seconds(0.5, "time_limit")
    0.5
    >>> check_positive_seconds(-1, "time_limit")
    Traceback (most recent call last):
    ...
    polyregions.errors.UsageError: time_limit must be positive, got -1
    """
    if isinstance(value, bool) or not isinstance(value, Real):
        raise UsageError(f"{name} must be a number of seconds, got {value!r}")
    if not value > 0:  # also refuses NaN
        raise UsageError(f"{name} must be positive, got {value}")
    return value


def check_run_arguments(*, max_regions=None, time_limit=None, workers=1, as_options=False):
    """Check the limits and worker count of a run; return the number of workers.

    The checks of :func:`enumerate_regions`, :class:`LimitedRun` and the command
    line (which passes ``as_options=True``, so that messages name ``--max-regions``
    rather than ``max_regions``).

    Parameters
    ----------
    max_regions : int or None
        At least 1.
    time_limit : real or None
        Seconds, above 0.
    workers : int or None
        At least 1; None means 1.
    as_options : bool, optional
        Name the arguments as command-line options in error messages.

    Returns
    -------
    int
        The number of workers.

    Raises
    ------
    UsageError
        Naming the first bad argument and its value.

    Examples
    --------
    >>> check_run_arguments(max_regions=10, time_limit=2.5, workers=None)
    1
    >>> check_run_arguments(workers=0, as_options=True)
    Traceback (most recent call last):
    ...
    polyregions.errors.UsageError: --workers must be positive, got 0
    """
    def name(keyword):
        return "--" + keyword.replace("_", "-") if as_options else keyword

    if max_regions is not None:
        check_positive_integer(max_regions, name("max_regions"))
    if time_limit is not None:
        check_positive_seconds(time_limit, name("time_limit"))
    return 1 if workers is None else check_positive_integer(workers, name("workers"))


def count_regions(network, domain, **limits):
    """The number of full-dimensional activation regions of `network` in `domain`.

    Keyword arguments are the limits of :func:`enumerate_regions`; when one stops
    the work early, :class:`LimitReached` is raised rather than a wrong count.

    Examples
    --------
    >>> from polyregions import Network, ReluLayer, Box
    >>> count_regions(Network(1, [ReluLayer([[1], [1]], [0, 1])]), Box([-2], [2]))
    3
    """
    result = enumerate_regions(network, domain, **limits)
    if not result.complete:
        raise LimitReached(f"a limit stopped the count after {len(result)} regions")
    return len(result)

