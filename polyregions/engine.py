"""The refinement engine: exact activation regions, layer by layer, unit by unit.

How it works
------------
A piece of work is a full-dimensional region of the domain with its
irredundant facets, its generators (vertices, rays, lines), the activation
pattern decided so far and the exact affine map from domain coordinates to the
current layer's input. Everything is kept in integers: facets and generators as
primitive integer rows (see :mod:`polyregions.polytope`), the layer-input map as
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

import math
import time

import numpy as np

from .complex import Region, RegionComplex
from .errors import LimitReached
from .numbers import common_denominator, primitive_vector, to_fraction
from .polytope import HPolytope, double_description, dot, facet_rows

__all__ = [
    "iter_regions",
    "enumerate_regions",
    "count_regions",
    "domain_point_pattern",
]


class _LayerPlan:
    """A layer's pieces as integer rows over one common positive denominator."""

    __slots__ = ("has_pattern", "weights", "biases", "slices", "ranks", "den")

    def __init__(self, layer):
        pieces = layer.pieces()
        den = common_denominator(
            v for unit in pieces for w, b in unit for v in (*w, b)
        )
        self.den = den
        self.has_pattern = layer.has_pattern
        self.ranks = tuple(len(unit) for unit in pieces)
        flat = [piece for unit in pieces for piece in unit]
        self.weights = np.array(
            [[int(v * den) for v in w] for w, _ in flat], dtype=object
        ).reshape(len(flat), layer.input_dim)
        self.biases = [int(b * den) for _, b in flat]
        starts = np.cumsum((0,) + self.ranks)
        self.slices = [(int(starts[u]), int(starts[u + 1])) for u in range(len(self.ranks))]

    def piece_rows(self, map_rows, map_den):
        """Rows ``P`` of every piece as affine functions of domain coordinates.

        `map_rows` (integers) and `map_den` give the layer input as
        ``y_i = map_rows[i] . (1, x) / map_den``.
        """
        product = self.weights.dot(np.array(map_rows, dtype=object))
        rows = []
        for i, bias in enumerate(self.biases):
            row = [int(v) for v in product[i]]
            row[0] += bias * map_den
            rows.append(tuple(row))
        return [tuple(rows[a:b]) for a, b in self.slices]


class _Work:
    """A region waiting for the units from (`layer`, `unit`) on."""

    __slots__ = ("rows", "points", "rays", "lines", "done", "current",
                 "layer", "unit", "map_rows", "map_den", "pieces")

    def __init__(self, rows, points, rays, lines, done, current, layer, unit,
                 map_rows, map_den, pieces):
        self.rows, self.points, self.rays, self.lines = rows, points, rays, lines
        self.done, self.current = done, current
        self.layer, self.unit = layer, unit
        self.map_rows, self.map_den, self.pieces = map_rows, map_den, pieces


def _reduce_map(rows, den):
    g = math.gcd(den, *(v for row in rows for v in row))
    if g > 1:
        rows = tuple(tuple(v // g for v in row) for row in rows)
        den //= g
    return rows, den


def _dominates(a, b):
    return all(x >= y for x, y in zip(a, b))


def _unit_cells(pieces, generators):
    """Decide how a unit's pieces split a region.

    Returns ``(k, None)`` when piece ``k`` wins on the whole region, otherwise
    ``(None, cells)`` with ``cells`` a list of ``(k, new_rows, sure)``.
    """
    if len(pieces) == 1:
        return 0, None
    order, seen = [], set()
    for k, p in enumerate(pieces):
        if p not in seen:
            seen.add(p)
            order.append(k)
    if len(order) == 1:
        return 0, None
    values = {k: [dot(pieces[k], g) for g in generators] for k in order}
    # Fast path: the winner at the first generator usually wins everywhere.
    first = max(order, key=lambda k: (values[k][0], -k))
    top = values[first]
    if all(_dominates(top, values[j]) for j in order if j != first):
        return first, None
    alive = [
        k for k in order
        if not any(j != k and _dominates(values[j], values[k]) for j in order)
    ]
    if len(alive) == 1:
        return alive[0], None
    cells = []
    for k in alive:
        others = [j for j in alive if j != k]
        new_rows = tuple(
            primitive_vector(a - b for a, b in zip(pieces[k], pieces[j])) for j in others
        )
        vk = values[k]
        sure = any(
            all(vk[g] > values[j][g] for j in others) for g in range(len(generators))
        )
        cells.append((k, new_rows, sure))
    return None, cells


def _cut(work, new_rows, sure, dim):
    """The cell ``work ∩ new_rows`` as (rows, points, rays, lines), or None if thin."""
    rows = work.rows + new_rows
    points, rays, lines = double_description(rows, dim)
    if not points:
        return None
    if not sure:
        generators = points + rays
        for r in new_rows:
            if not any(dot(r, g) > 0 for g in generators):
                return None
    return facet_rows(rows, points, rays), points, rays, lines


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
    domain.check_network(network)
    plans = [_LayerPlan(layer) for layer in network.layers]
    dim = domain.dim
    poly = domain.polytope
    map_rows, map_den = domain.integer_input_map()
    stack = [_Work(poly.rows, poly._points, poly._rays, poly._lines, (), (), 0, 0,
                   map_rows, map_den, None)]
    while stack:
        work = stack.pop()
        region = _advance(work, plans, dim, stack)
        if region is not None:
            yield region


def _advance(work, plans, dim, stack):
    """Refine `work` until it splits (children go on `stack`) or is finished."""
    generators = None
    while work.layer < len(plans):
        plan = plans[work.layer]
        if work.pieces is None:
            work.pieces = plan.piece_rows(work.map_rows, work.map_den)
        if not plan.has_pattern:
            work.unit = len(work.pieces)
        while work.unit < len(work.pieces):
            if generators is None:
                lines = work.lines
                generators = work.points + work.rays + lines + tuple(
                    tuple(-v for v in line) for line in lines
                )
            k, cells = _unit_cells(work.pieces[work.unit], generators)
            if cells is None:
                work.current += (k,)
                work.unit += 1
                continue
            children = []
            for k, new_rows, sure in cells:
                cell = _cut(work, new_rows, sure, dim)
                if cell is not None:
                    children.append(_Work(*cell, work.done, work.current + (k,), work.layer,
                                          work.unit + 1, work.map_rows, work.map_den,
                                          work.pieces))
            stack.extend(reversed(children))
            return None
        chosen = work.current if plan.has_pattern else (0,) * len(work.pieces)
        den = work.map_den * plan.den
        rows = tuple(work.pieces[u][k] for u, k in enumerate(chosen))
        work.map_rows, work.map_den = _reduce_map(rows, den)
        work.done += (work.current,)
        work.current, work.unit, work.pieces = (), 0, None
        work.layer += 1
    polytope = HPolytope(dim, work.rows, work.points, work.rays, work.lines)
    return Region(work.done, polytope, work.map_rows, work.map_den)


def enumerate_regions(network, domain, *, max_regions=None, time_limit=None, progress=None):
    """Return every full-dimensional activation region as a :class:`RegionComplex`.

    Parameters
    ----------
    network : Network
    domain : Domain
    max_regions : int, optional
        Stop after this many regions.
    time_limit : float, optional
        Stop after about this many seconds (checked as regions finish).
    progress : callable, optional
        Called with the number of regions found so far, after each region.

    Returns
    -------
    RegionComplex
        With ``complete=False`` when a limit stopped the work early.

    Examples
    --------
    >>> from polyregions import Network, MaxoutLayer, WholeSpace
    >>> net = Network(1, [MaxoutLayer([[[1], [0], [-1]]], [[0, 1, 0]])])  # max(x, 1, -x)
    >>> len(enumerate_regions(net, WholeSpace(1)))
    3
    """
    start = time.perf_counter()
    deadline = None if time_limit is None else start + time_limit
    regions, complete = [], True
    if max_regions is not None and max_regions < 1:
        raise LimitReached("max_regions must be at least 1")
    stream = iter_regions(network, domain)
    for region in stream:
        regions.append(region)
        if progress is not None:
            progress(len(regions))
        if max_regions is not None and len(regions) >= max_regions:
            # Complete only if nothing is left (this looks one region ahead).
            complete = next(stream, None) is None
            break
        if deadline is not None and time.perf_counter() > deadline:
            complete = False
            break
    return RegionComplex(network, domain, regions, complete, time.perf_counter() - start)


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


def domain_point_pattern(network, domain, point):
    """The activation pattern of the network at a point given in domain coordinates."""
    point = tuple(to_fraction(v, "point coordinate") for v in point)
    offset, directions = domain.input_map()
    x = [o + sum(s * d[i] for s, d in zip(point, directions)) for i, o in enumerate(offset)]
    return network.activation_pattern(x)
