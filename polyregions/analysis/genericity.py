"""Exact genericity of an enumeration: is the region complex stable under perturbation?

Parameters are *generic* when the combinatorial type of the region complex is
locally constant around them. This module decides a sufficient condition for
it, **transversality**, exactly, and names the first failure.

On a region ``R`` with pattern ``p`` every unit ``u`` contributes one
*condition* per other piece ``j``: ``g_j = z_p - z_j``, an affine function of
the domain coordinates on ``R`` (through the exact layer maps of ``R``) that
is ``>= 0`` on ``R``; every domain facet is a condition too. Transversality
asks that at every face of every region the conditions vanishing there are
linearly independent. Checking the minimal faces is enough: conditions active
on a face are active at each minimal face inside it, and a minimal face is
cut out by its active conditions, so they are dependent exactly when there are
more of them than its codimension. The checks, in the order reasons are given:

* (a) **identical pieces**: a condition ``g_j`` is identically zero on ``R`` —
  two pieces of a unit are the same affine function of ``x`` on a region
  where they win (identical pieces, a piece tied on a whole region). A
  perturbation of the weights makes them differ and splits ``R``. Skipped
  when the layer's input is constant on ``R`` (all earlier units dead):
  then every perturbation keeps the pieces constant and ``R`` whole.
* (c) **hyperplane on the domain boundary**: a condition's hyperplane is a
  domain facet of ``R``; moving it inward adds a thin region.
* (a') **shared hyperplane**: two conditions (different units, or two pieces
  of one unit) have the same hyperplane along a facet of ``R`` —
  duplicate units, or three pieces of a unit tied along a facet.
* (b) **degenerate vertex**: at a vertex ``v`` of ``R`` the count
  ``sum_u (#pieces attaining the max at v - 1) + #domain facets through v``
  exceeds the dimension (three lines through a point of the plane, a line
  through a corner of the box). The tropical vertex of one rank-3 unit in
  the plane counts 2 and is generic.
* (b') **at infinity** (unbounded regions): in the homogenised picture the
  hyperplane at infinity ``t = 0`` is one more condition. At an extreme ray
  ``r`` the conditions with linear part orthogonal to ``r`` and ``t`` may be
  at most the codimension (two parallel lines of the whole plane meet at
  infinity with it: not generic); a region with lineality space ``L`` of
  dimension ``l`` may have at most ``d + 1 - l`` conditions containing ``L``
  (all its conditions, and ``t``).

Conditions whose linear part is zero on ``R`` but not their constant never
vanish on ``R`` and are ignored. A domain vertex through which no tie passes is
the domain's own (a non-simple domain vertex is not a property of the network)
and is not reported. The domain's dimension ``d`` is the slice dimension for
slices: genericity is then that of the network restricted to the slice.
"""

from collections.abc import Callable
from typing import Any, NamedTuple

import numpy as np

from ..enumeration.complex import RegionComplex
from ..enumeration.engine import LayerPlan
from ..enumeration.kernel import lowest_terms, map_columns
from ..errors import UsageError
from ..geometry.screening import PieceFloats, generator_floats, scaled_floats
from ..numbers import dot, format_fraction, primitive_vector
from .maps import LayerMaps

__all__ = ["genericity"]


def genericity(result: RegionComplex, *, progress: Callable[[int, int], object] | None = None,
               regions: Any = None, layer_maps: Any = None) -> tuple[bool, str | None]:
    """Decide exactly whether the parameters of an enumeration are generic.

    Parameters
    ----------
    result : RegionComplex
        A complete enumeration (:func:`polyregions.enumerate_regions`).
    progress : callable, optional
        Called as ``progress(done, total)`` after each region is checked;
        what it raises propagates unchanged (a caller can stop the work so).
    regions : optional
        The regions as the native helpers read them
        (:func:`~polyregions.analysis.maps.native_regions`), when the caller has them.
    layer_maps : optional
        The native layer maps (:func:`~polyregions.analysis.maps.native_layer_maps`)
        the output maps were composed with, when the caller has them: the screen
        then reads the prefixes' maps they composed.

    Returns
    -------
    (bool, str or None)
        ``(True, None)`` when every check of the module docstring passes,
        otherwise ``(False, reason)`` with a one-line reason naming the region
        (by its index in `result`) and the vertex, direction or pieces.

    Raises
    ------
    UsageError
        When the enumeration is partial, or `layer_maps` were not made for it.

    Examples
    --------
    >>> from polyregions import Network, ReluLayer, Box, enumerate_regions
    >>> lines = ReluLayer([[1, 0], [0, 1], [1, 1]], [0, 0, 0])  # three lines through 0
    >>> genericity(enumerate_regions(Network(2, [lines]), Box.cube(2, -1, 1)))[0]
    False
    >>> lines = ReluLayer([[1, 0], [0, 1], [1, 1]], [0, 0, "1/2"])
    >>> genericity(enumerate_regions(Network(2, [lines]), Box.cube(2, -1, 1)))
    (True, None)
    >>> seen = []
    >>> _ = genericity(enumerate_regions(Network(2, [lines]), Box.cube(2, -1, 1)),
    ...                progress=lambda done, total: seen.append((done, total)))
    >>> seen[0], seen[-1]
    ((1, 7), (7, 7))

    Notes
    -----
    For ``N`` regions with ``g`` generators and ``P`` pieces in all it makes
    about ``N P g`` float products; floats with a proven error bound
    (:class:`~polyregions.geometry.screening.PieceFloats`) clear the pieces
    that differ from their unit's winner at every generator, and only the others
    are composed and compared in integers (once per distinct pattern prefix).
    With the native kernel (unless ``POLYREGIONS_KERNEL=python``) its
    ``GenericityScreen`` does the same in C++ and certifies the regions that pass
    every check; only the others are checked here, which also words the reason.
    """
    if not isinstance(result, RegionComplex):
        raise TypeError("genericity takes the RegionComplex of enumerate_regions")
    if not result.complete:
        raise UsageError("genericity needs a complete enumeration")
    from .maps import BATCH, batches

    checker = _GenericityChecker(result)
    if layer_maps is not None:
        layer_maps = LayerMaps.given(layer_maps, result)
    screen = _native_screen(checker, layer_maps)
    if screen is not None and regions is None:
        from .maps import native_regions

        regions = native_regions(result)
    found: dict[int, str] = {}
    for start in batches(len(result)):
        chunk = result[start:start + BATCH]
        passed = (screen.passes_from(regions, start, [region.pattern for region in chunk])
                  if screen is not None else [False] * len(chunk))
        for i, region, certified in zip(range(start, start + BATCH), chunk, passed):
            # Certified: every check passes; else the checker decides and words the failure.
            failure = None if certified else checker.region(i, region)
            if failure is not None:
                rank, reason = failure
                if rank == 0:
                    return False, reason
                found.setdefault(rank, reason)
            if progress is not None:
                progress(i + 1, len(result))
    if found:
        return False, found[min(found)]
    return True, None


def _native_screen(checker, layer_maps=None):
    """The native certificate of regions that pass every check, or None (reference kernel).

    On `layer_maps` when given (the same network and domain as the checker's)."""
    from ..enumeration import native
    from ..enumeration.backends import kernel_name

    module = native.load() if kernel_name() == "native" else None
    if module is None:
        return None
    if layer_maps is not None:
        return module.GenericityScreen(layer_maps, checker.depth, checker.domain_rows)
    den, rows = checker.start
    return module.GenericityScreen(checker.dim, [(p.rows, p.slices, p.den) for p in checker.plans],
                                   [p.has_pattern for p in checker.plans], checker.depth, den, rows,
                                   checker.domain_rows)


def _fmt_point(values):
    return "(" + ", ".join(format_fraction(v) for v in values) + ")"


def _fmt_row(values):
    """An integer row as ``[b, a1, ...]``; ``str(list)`` stops at 4300-digit entries."""
    return "[" + ", ".join(format_fraction(v) for v in values) + "]"


class _PrefixPieces:
    """One layer's pieces over the domain, for one pattern prefix: floats at once, exact rows on demand.

    Most pieces are certified by the floats to differ from their unit's winner at
    every generator of a region; only the others are composed exactly.
    """

    __slots__ = ("plan", "columns", "constant", "floats", "_rows", "_ties")

    def __init__(self, plan, weights, den, rows, dim):
        self.plan = plan
        self.columns = map_columns(den, rows, dim)
        self.constant = not any(v for row in rows for v in row[1:])
        self.floats = PieceFloats(weights, scaled_floats(self.columns).T)
        self._rows = {}
        self._ties = {}

    def row(self, k):
        """Piece `k` (flattened) over the domain, times the layer's and the map's denominators."""
        row = self._rows.get(k)
        if row is None:
            row = self._rows[k] = tuple(dot(self.plan.rows[k], col) for col in self.columns)
        return row

    def tie(self, w, k):
        """The row of ``piece w - piece k`` over the domain.

        Regions of one prefix meet the same ties along their common facets:
        each is computed once.
        """
        row = self._ties.get((w, k))
        if row is None:
            row = self._ties[w, k] = tuple(a - b for a, b in zip(self.row(w), self.row(k)))
        return row

    def next_map(self, den, chosen):
        """The next layer's input map where unit ``u`` takes its piece ``chosen[u]``."""
        if not self.plan.has_pattern:
            chosen = (0,) * len(self.plan.slices)
        rows = [self.row(a + k) for (a, _), k in zip(self.plan.slices, chosen)]
        return lowest_terms(self.plan.den * den, rows)


class _GenericityChecker:
    """Layer maps and piece rows cached by pattern prefix."""

    def __init__(self, result):
        net, domain = result.network, result.domain
        self.dim = domain.dim
        self.plans = [LayerPlan.of(layer) for layer in net.layers]
        self.weights = [scaled_floats(plan.rows) for plan in self.plans]
        self.depth = max((i + 1 for i, p in enumerate(self.plans) if p.has_pattern), default=0)
        rows, den = domain.integer_input_map()
        self.start = (den, rows)
        self.domain_rows = domain.polytope.rows
        self.domain_set = set(self.domain_rows)
        self.domain_matrix = np.array(self.domain_rows, dtype=object).reshape(-1, self.dim + 1)
        self.maps = {(): self.start}
        self.pieces = {}
        self.winners = {}
        self.primitive = {}  # tie row -> primitive row: regions of a prefix share their ties
        self.units = [[u for u, (a, b) in enumerate(plan.slices) for _ in range(a, b)]
                      for plan in self.plans]

    def _map(self, prefix):
        if prefix not in self.maps:
            den, _ = self._map(prefix[:-1])
            self.maps[prefix] = self._pieces(prefix[:-1]).next_map(den, prefix[-1])
        return self.maps[prefix]

    def _pieces(self, prefix):
        """The pieces of layer ``len(prefix)`` over the domain (a :class:`_PrefixPieces`)."""
        if prefix not in self.pieces:
            den, rows = self._map(prefix)
            layer = len(prefix)
            self.pieces[prefix] = _PrefixPieces(self.plans[layer], self.weights[layer], den, rows,
                                                self.dim)
        return self.pieces[prefix]

    def _winners(self, layer, chosen):
        """For every flattened piece of the layer, the flattened index of its unit's winner."""
        key = (layer, chosen)
        out = self.winners.get(key)
        if out is None:
            plan = self.plans[layer]
            out = self.winners[key] = np.repeat([a + p for (a, _), p in zip(plan.slices, chosen)],
                                                [b - a for a, b in plan.slices])
        return out

    def _where(self, layer, k, w):
        """``(unit, winner, piece)`` of the flattened piece `k` whose winner is `w`."""
        u = self.units[layer][k]
        a = self.plans[layer].slices[u][0]
        return u, int(w) - a, int(k) - a

    def region(self, i, region):
        """The first failed check of region `i` as ``(rank, reason)`` (rank 0 is final), or None."""
        gens = _Generators.of(region.polytope)
        conditions, failure = self._conditions(i, region, gens.all)
        if failure is not None:
            return failure
        # Domain facets through each generator, for (b) and (b').
        dom_values = None
        if len(self.domain_rows):
            dom_values = self.domain_matrix.dot(np.array(gens.all, dtype=object).T)
        return (self._facet_failure(i, region.polytope, conditions, gens.n_points)
                or self._vertex_failure(i, conditions, gens, dom_values)
                or self._lineality_failure(i, conditions, gens, dom_values))

    def _conditions(self, i, region, gens):
        """The tie conditions of region `i` vanishing at some generator, or an identical-pieces failure.

        A condition is ``(layer, unit, winner, piece, vanishes at each generator, row)``.
        """
        conditions = []
        gen_floats = generator_floats(gens)
        for layer in range(self.depth):
            if not self.plans[layer].has_pattern:
                continue
            pieces = self._pieces(region.pattern[:layer])
            winners = self._winners(layer, region.pattern[layer])
            maybe = ~pieces.floats.apart(winners, gen_floats)
            maybe[winners == np.arange(len(winners))] = False  # a winner is no condition of itself
            ties = []  # a piece the floats cannot tell from its winner at some generator
            candidates = np.flatnonzero(maybe.any(axis=1))
            for k, where in zip(candidates.tolist(), maybe[candidates].tolist()):
                w = int(winners[k])
                diff = pieces.tie(w, k)
                if not any(diff[1:]):
                    # Constant on the region: identically zero is a failure, else it never vanishes.
                    if diff[0] == 0 and not pieces.constant:
                        return None, (0, self._identical(i, region, layer, k, w))
                    continue
                ties.append((k, w, diff, where))
            for k, w, diff, where in ties:
                vanish = [m and dot(diff, g) == 0 for m, g in zip(where, gens)]
                if any(vanish):
                    u, p, j = self._where(layer, k, w)
                    conditions.append((layer, u, p, j, vanish, diff))
        return conditions, None

    def _identical(self, i, region, layer, k, w):
        u, p, j = self._where(layer, k, w)
        return (f"identical pieces: pieces {p} and {j} of unit {u} of layer {layer} are the same "
                f"affine function on region {i} (interior point "
                f"{_fmt_point(region.interior_point())}); a perturbation separates them")

    def _facet_failure(self, i, poly, conditions, n_points):
        """(c) and (a'): conditions whose hyperplane is a facet of the region."""
        facets = set(poly.rows)
        by_row = {}
        for layer, u, p, j, vals, diff in conditions:
            if not any(vals[:n_points]):
                continue
            row = self.primitive.get(diff)
            if row is None:
                row = self.primitive[diff] = primitive_vector(diff)
            if row in facets:
                if row in self.domain_set:
                    return 1, (f"hyperplane on the domain boundary: the tie of pieces {p} and {j} "
                               f"of unit {u} of layer {layer} lies on the domain facet "
                               f"{_fmt_row(row)} (b + a.x >= 0) of region {i}")
                by_row.setdefault(row, []).append((layer, u, j))
        shared = next(((row, owners) for row, owners in by_row.items() if len(owners) > 1), None)
        if shared is None:
            return None
        row, ((l1, u1, j1), (l2, u2, j2), *_) = shared
        what = (f"units {u1} of layer {l1} and {u2} of layer {l2}" if (l1, u1) != (l2, u2)
                else f"pieces {j1} and {j2} of unit {u1} of layer {l1}")
        return 2, (f"shared hyperplane: {what} tie on the same hyperplane {_fmt_row(row)} "
                   f"along a facet of region {i}")

    def _vertex_failure(self, i, conditions, gens, dom_values):
        """(b), and (b') at extreme rays: more conditions meet at a generator than its codimension."""
        codim = self.dim - gens.ell
        for g in range(gens.n_points + gens.n_rays):  # lines: see _lineality_failure
            ties = [(layer, u) for layer, u, _, _, vals, _ in conditions if vals[g]]
            if not ties:
                continue
            facets_through = 0 if dom_values is None else sum(1 for v in dom_values[:, g] if v == 0)
            at_infinity = int(g >= gens.n_points)
            if len(ties) + facets_through + at_infinity <= codim:
                continue
            units = ", ".join(f"({layer},{u})" for layer, u in sorted(set(ties)))
            point = gens.all[g]
            where = (f"vertex {_fmt_point(x / point[0] for x in point[1:])}" if not at_infinity
                     else f"direction at infinity {_fmt_point(point[1:])}")
            return 3, (f"degenerate {where} of region {i}: {len(ties)} tie conditions "
                       f"(units (layer,unit) {units}) and {facets_through} domain facets"
                       f"{' and the hyperplane at infinity' if at_infinity else ''} meet "
                       f"there, more than the codimension {codim}")
        return None

    def _lineality_failure(self, i, conditions, gens, dom_values):
        """(b') for a lineality space: the conditions containing it, the domain facets and t."""
        ell = gens.ell
        if not ell:
            return None
        line_cols = range(gens.n_points + gens.n_rays, len(gens.all))
        ties = [c for c in conditions if all(c[4][g] for g in line_cols)]
        facets_through = 0 if dom_values is None else sum(
            1 for r in range(len(self.domain_rows))
            if all(dom_values[r, g] == 0 for g in line_cols))
        if ties and len(ties) + facets_through + 1 > self.dim + 1 - ell:
            return 3, (f"degenerate lineality of region {i}: {len(ties)} tie conditions and "
                       f"{facets_through} domain facets are parallel to its {ell}-dimensional "
                       f"lineality space and meet at infinity, more than {self.dim - ell} allow")
        return None


class _Generators(NamedTuple):
    """A region's homogeneous integer generators: points, then rays, then lines."""

    all: tuple
    n_points: int
    n_rays: int
    ell: int

    @classmethod
    def of(cls, poly):
        points, rays, lines = poly.point_rows, poly.ray_rows, poly.line_rows
        return cls(points + rays + lines, len(points), len(rays), len(lines))
