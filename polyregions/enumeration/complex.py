"""The result of an enumeration: :class:`Region` and :class:`RegionComplex`."""

from collections.abc import Iterable, Iterator, Sequence
from fractions import Fraction
from typing import Protocol, overload

from ..domain import Domain, domain_point_pattern
from ..geometry.polytope import HPolytope
from ..immutable import Immutable
from ..network import Network
from .kernel import Neighbours, Pattern, Rows

__all__ = ["Region", "RegionComplex", "AffineMap", "MapSource"]

AffineMap = tuple[tuple[tuple[Fraction, ...], ...], tuple[Fraction, ...]]
"""``(A, c)``: the map ``x -> A x + c``, rows of Fractions."""


class MapSource(Protocol):
    """Where a region's output map comes from: composed on first use, for its pattern.

    Examples
    --------
    Every region of a complex composes its affine map from its source on first use:

    >>> from polyregions import Box, LinearLayer, Network, ReluLayer, enumerate_regions
    >>> net = Network(1, [ReluLayer([[1]], [0]), LinearLayer([[2]], [1])])   # 2 relu(x) + 1
    >>> [region.affine_map for region in enumerate_regions(net, Box([-1], [1]))]
    [(((Fraction(0, 1),),), (Fraction(1, 1),)), (((Fraction(2, 1),),), (Fraction(1, 1),))]
    """

    def rows_and_den(self, pattern: Pattern) -> tuple[Rows, int]:
        """Integer rows ``(c_i, a_i)`` and a denominator: output ``i`` is ``(c_i + a_i . x) / den``."""


class Region(Immutable):
    """One full-dimensional activation region, exact and immutable.

    Attributes
    ----------
    pattern : tuple of tuples of int
        For each layer, the winning piece of every unit (``()`` for a linear
        layer).
    polytope : HPolytope
        The region in domain coordinates: irredundant primitive integer facets
        and exact generators.
    shared_facets : tuple of SharedFacet or None
        The pieces of facet it shares with the regions before it in the
        enumeration's order (:class:`~polyregions.enumeration.kernel.SharedFacet`),
        when the enumeration tracked adjacency (``EngineOptions(adjacency=True)``
        in a bounded domain); else None.

    Examples
    --------
    >>> from polyregions import Network, ReluLayer, WholeSpace, enumerate_regions
    >>> net = Network(1, [ReluLayer([[1]], [0])])
    >>> [r.pattern for r in enumerate_regions(net, WholeSpace(1))]
    [((0,),), ((1,),)]
    >>> enumerate_regions(net, WholeSpace(1))[1].affine_map
    (((Fraction(1, 1),),), (Fraction(0, 1),))
    """

    __slots__ = ("pattern", "polytope", "shared_facets", "_map_source", "_map", "_affine")

    pattern: Pattern
    polytope: HPolytope
    shared_facets: Neighbours | None
    _map_source: MapSource
    _map: tuple[int, Rows] | None
    _affine: AffineMap | None

    def __init__(self, pattern: Pattern, polytope: HPolytope, map_source: MapSource,
                 shared_facets: Neighbours | None = None) -> None:
        object.__setattr__(self, "pattern", pattern)
        object.__setattr__(self, "polytope", polytope)
        object.__setattr__(self, "shared_facets", shared_facets)
        # The output map is composed on first use (counting never needs it), then kept.
        object.__setattr__(self, "_map_source", map_source)
        object.__setattr__(self, "_map", None)
        object.__setattr__(self, "_affine", None)

    @property
    def is_bounded(self) -> bool:
        """Whether the region is bounded (a polytope, not only a polyhedron)."""
        return self.polytope.is_bounded

    @property
    def output_rows(self) -> tuple[int, Rows]:
        """The network's exact output map on the region as integers: ``(den, rows)``.

        Output ``i`` at a domain point ``x`` of the region is
        ``(rows[i][0] + rows[i][1:] . x) / den``, in lowest terms (``den > 0``
        and ``gcd(den, every entry) == 1``, see
        :func:`~polyregions.enumeration.kernel.lowest_terms`). The form is
        unique, so two regions have the same output map exactly when their
        ``output_rows`` are equal; comparing them needs no Fraction.

        Examples
        --------
        >>> from polyregions import Network, ReluLayer, LinearLayer, WholeSpace, enumerate_regions
        >>> net = Network(1, [ReluLayer([[2]], [1]), LinearLayer([["1/4"]], [0])])
        >>> enumerate_regions(net, WholeSpace(1))[1].output_rows  # (1 + 2 x) / 4
        (4, ((1, 2),))
        """
        if self._map is None:
            rows, den = self._map_source.rows_and_den(self.pattern)
            object.__setattr__(self, "_map", (den, rows))
            return den, rows
        return self._map

    @property
    def affine_map(self) -> AffineMap:
        """The network's exact output map on the region, as ``(A, c)``.

        The output at a domain point ``x`` of the region is ``A x + c``; ``A`` is
        a tuple of rows of Fractions (:attr:`output_rows` has it in integers).
        """
        if self._affine is None:
            den, rows = self.output_rows
            matrix = tuple(tuple(Fraction(v, den) for v in row[1:]) for row in rows)
            affine = (matrix, tuple(Fraction(row[0], den) for row in rows))
            object.__setattr__(self, "_affine", affine)
            return affine
        return self._affine

    def interior_point(self) -> tuple[Fraction, ...]:
        """A rational point in the interior of the region (it has :attr:`pattern`)."""
        return self.polytope.interior_point()

    def __repr__(self) -> str:
        return f"Region(pattern={self.pattern}, {self.polytope!r})"


class RegionComplex(Immutable):
    """All full-dimensional activation regions of a network in a domain.

    Attributes
    ----------
    network : Network
    domain : Domain
    regions : tuple of Region
        In the engine's deterministic order.
    complete : bool
        False when a limit or an interruption stopped the enumeration early:
        then `regions` is a subset of the true set and counts are lower bounds.
    stop_reason : str or None
        Why it stopped early: ``"max_regions"``, ``"time_limit"`` or
        ``"interrupt"``; None when complete.
    seconds : float
        Wall-clock time of the enumeration.

    Examples
    --------
    >>> from polyregions import Network, ReluLayer, Box, enumerate_regions
    >>> net = Network(2, [ReluLayer([[1, 0], [0, 1]], [0, 0])])
    >>> cx = enumerate_regions(net, Box.cube(2, -1, 1))
    >>> len(cx), cx.bounded_count, cx.complete
    (4, 4, True)
    """

    __slots__ = ("network", "domain", "regions", "stop_reason", "seconds", "_by_pattern")

    network: Network
    domain: Domain
    regions: tuple[Region, ...]
    stop_reason: str | None
    seconds: float
    _by_pattern: dict[Pattern, Region]

    def __init__(self, network: Network, domain: Domain, regions: Iterable[Region],
                 seconds: float = 0.0, stop_reason: str | None = None) -> None:
        regions = tuple(regions)
        object.__setattr__(self, "network", network)
        object.__setattr__(self, "domain", domain)
        object.__setattr__(self, "regions", regions)
        object.__setattr__(self, "stop_reason", stop_reason)
        object.__setattr__(self, "seconds", seconds)
        object.__setattr__(self, "_by_pattern", {r.pattern: r for r in regions})

    @property
    def complete(self) -> bool:
        """True when every region was found (no limit or interruption stopped the work)."""
        return self.stop_reason is None

    def __len__(self) -> int:
        return len(self.regions)

    def __iter__(self) -> Iterator[Region]:
        return iter(self.regions)

    @overload
    def __getitem__(self, index: int) -> Region: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[Region, ...]: ...

    def __getitem__(self, index: int | slice) -> Region | tuple[Region, ...]:
        return self.regions[index]

    @property
    def bounded_count(self) -> int:
        """The number of bounded regions."""
        return sum(1 for r in self.regions if r.is_bounded)

    def region_with_pattern(self, pattern: Iterable[Iterable[int]]) -> Region | None:
        """The region with activation pattern `pattern`, or None."""
        return self._by_pattern.get(tuple(tuple(p) for p in pattern))

    def region_at(self, point: Sequence[object]) -> Region | None:
        """The region whose pattern the domain point `point` has, or None.

        For a point in the interior of a region this is that region; a point on
        a shared facet gets the region its tie-broken pattern names.
        """
        return self.region_with_pattern(domain_point_pattern(self.network, self.domain, point))

    def __repr__(self) -> str:
        state = "complete" if self.complete else "partial"
        return f"RegionComplex({len(self.regions)} regions, {state})"
