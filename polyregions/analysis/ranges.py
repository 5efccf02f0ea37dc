"""Exact output ranges: the minimum and maximum of each output, or of one linear objective.

On each activation region the network is one affine map, so an output's
extreme over a region is at one of the region's generators: at a vertex when
the region is bounded, and along a ray or a line (the output is then unbounded)
when the output grows along it. The range over the domain is the extreme over
all regions. The regions are streamed (:class:`~polyregions.enumeration.run.LimitedRun`),
one at a time, so memory stays flat; every comparison is exact.

A run stopped by a limit gives extremes over the regions found only: the report
is then marked ``complete=False``, and its values are bounds on the range from
inside, never the range.
"""

from collections.abc import Callable, Sequence
from fractions import Fraction
from typing import Any

from ..domain import Domain
from ..enumeration.complex import Region
from ..enumeration.kernel import Rows
from ..enumeration.run import LimitedRun
from ..errors import UsageError
from ..immutable import Immutable
from ..network import Network
from ..numbers import common_denominator, format_fraction, to_fraction
from .maps import with_output_maps

__all__ = ["output_ranges", "check_range_dimension", "parse_objective", "MAX_RANGE_DIMENSION",
           "Ray", "Extreme", "OutputRange", "RangeReport"]

MAX_RANGE_DIMENSION = 12
"""The largest domain dimension :func:`output_ranges` takes. The ranges are read off every
region's generators, and a box in dimension n alone has 2^n vertices: in dimension 12 building
the box takes about a second, and every added dimension doubles that (2^784 vertices for an
MNIST input box)."""


def check_range_dimension(dim: int) -> None:
    """Refuse, in one line suggesting a slice, a domain of dimension above :data:`MAX_RANGE_DIMENSION`.

    Examples
    --------
    >>> check_range_dimension(2)
    >>> try:
    ...     check_range_dimension(784)
    ... except UsageError as error:
    ...     print(str(error)[:73])
    output ranges enumerate the vertices of every region, and a 784-dimension
    """
    if dim > MAX_RANGE_DIMENSION:
        raise UsageError(
            f"output ranges enumerate the vertices of every region, and a {dim}-dimensional domain "
            f"has too many (a box has 2^{dim}): domains of dimension above {MAX_RANGE_DIMENSION} "
            "are refused; take a 2-D slice (--slice P1 P2 P3 --box LO HI) or fix some inputs")


def parse_objective(values: Sequence[object], output_dim: int) -> tuple[tuple[Fraction, ...], Fraction]:
    """The objective ``c . y + d`` of `values`: ``output_dim`` weights ``c``, then optionally ``d``.

    Raises
    ------
    UsageError
        When there are neither ``output_dim`` nor ``output_dim + 1`` values.
    NumberFormatError
        When a value is not an exact number.

    Examples
    --------
    >>> parse_objective(["1", "-1/2", "3"], 2)
    ((Fraction(1, 1), Fraction(-1, 2)), Fraction(3, 1))
    """
    if len(values) not in (output_dim, output_dim + 1):
        raise UsageError(f"the objective has {len(values)} numbers {list(map(str, values))}, but "
                         f"the network has {output_dim} outputs: give {output_dim} weights, "
                         f"or {output_dim + 1} with a constant last")
    exact = [to_fraction(v, "objective coefficient") for v in values]
    constant = exact.pop() if len(exact) > output_dim else Fraction(0)
    return tuple(exact), constant


def _text(values: Sequence[Fraction]) -> list[str]:
    return [format_fraction(v) for v in values]


class Ray(Immutable):
    """The half-line ``point + t * direction`` (``t >= 0``, network input coordinates, exact).

    Along it the output grows without bound (for a maximum) or falls without bound
    (for a minimum): it lies in one region, on whose affine map the output has a
    nonzero slope along `direction`.

    Examples
    --------
    ``|x|`` on the whole line grows without bound to the left:

    >>> from polyregions import LinearLayer, Network, ReluLayer, WholeSpace
    >>> absolute = Network(1, [ReluLayer([[1], [-1]], [0, 0]), LinearLayer([[1, 1]], [0])])
    >>> [y] = output_ranges(absolute, WholeSpace(1)).outputs
    >>> y.maximum.value, y.maximum.ray
    (None, Ray((Fraction(0, 1),) + t (Fraction(-1, 1),)))
    """

    __slots__ = ("point", "direction")
    point: tuple[Fraction, ...]
    direction: tuple[Fraction, ...]

    def __init__(self, point: Sequence[Fraction], direction: Sequence[Fraction]) -> None:
        object.__setattr__(self, "point", tuple(point))
        object.__setattr__(self, "direction", tuple(direction))

    def to_json(self) -> dict[str, list[str]]:
        """``{"point", "direction"}`` as exact strings."""
        return {"point": _text(self.point), "direction": _text(self.direction)}

    def __repr__(self) -> str:
        return f"Ray({self.point} + t {self.direction})"


class Extreme(Immutable):
    """One end of a range: an exact value and an input where it is attained, or a ray.

    Attributes
    ----------
    value : Fraction or None
        The exact extreme; None when the output is unbounded that way (-inf for a
        minimum, +inf for a maximum).
    point : tuple of Fraction or None
        An input (a vertex of a region) where `value` is attained; None when unbounded.
    ray : Ray or None
        When unbounded, a ray along which the output goes to -inf or +inf; else None.

    Examples
    --------
    >>> from polyregions import Box, LinearLayer, Network, ReluLayer
    >>> absolute = Network(1, [ReluLayer([[1], [-1]], [0, 0]), LinearLayer([[1, 1]], [0])])
    >>> [y] = output_ranges(absolute, Box([-2], [1])).outputs
    >>> y.maximum.value, y.maximum.point, y.maximum.ray
    (Fraction(2, 1), (Fraction(-2, 1),), None)
    """

    __slots__ = ("value", "point", "ray")
    value: Fraction | None
    point: tuple[Fraction, ...] | None
    ray: Ray | None

    def __init__(self, value: Fraction | None, point: Sequence[Fraction] | None,
                 ray: Ray | None = None) -> None:
        if (value is None) != (point is None) or (value is None) == (ray is None):
            raise UsageError("an Extreme has a value and a point, or else a ray only")
        object.__setattr__(self, "value", value)
        object.__setattr__(self, "point", None if point is None else tuple(point))
        object.__setattr__(self, "ray", ray)

    @property
    def is_finite(self) -> bool:
        """Whether the extreme is a number (not -inf or +inf)."""
        return self.value is not None

    def __repr__(self) -> str:
        return f"Extreme({self.value} at {self.point})" if self.is_finite else f"Extreme({self.ray})"


class OutputRange(Immutable):
    """The exact range ``[minimum, maximum]`` of one output (or of the objective) over a domain.

    Attributes
    ----------
    name : str
        ``"y0"``, ``"y1"``, ... for the outputs, ``"objective"`` for an objective.
    minimum, maximum : Extreme

    Examples
    --------
    >>> from polyregions import Box, LinearLayer, Network, ReluLayer
    >>> absolute = Network(1, [ReluLayer([[1], [-1]], [0, 0]), LinearLayer([[1, 1]], [0])])
    >>> [y] = output_ranges(absolute, Box([-2], [1])).outputs
    >>> y.name, y.minimum.value, y.maximum.value
    ('y0', Fraction(0, 1), Fraction(2, 1))
    """

    __slots__ = ("name", "minimum", "maximum")
    name: str
    minimum: Extreme
    maximum: Extreme

    def __init__(self, name: str, minimum: Extreme, maximum: Extreme) -> None:
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "minimum", minimum)
        object.__setattr__(self, "maximum", maximum)

    def to_json(self) -> dict[str, Any]:
        """``min``, ``max`` (exact strings, ``"-inf"``/``"inf"`` when unbounded), ``argmin``,
        ``argmax`` (exact inputs, null when unbounded) and ``min_ray``, ``max_ray`` (null when
        bounded)."""
        def end(extreme: Extreme, infinite: str) -> tuple[Any, Any, Any]:
            if extreme.value is None:
                return infinite, None, extreme.ray.to_json() if extreme.ray else None
            return format_fraction(extreme.value), _text(extreme.point or ()), None

        low, argmin, min_ray = end(self.minimum, "-inf")
        high, argmax, max_ray = end(self.maximum, "inf")
        return {"name": self.name, "min": low, "max": high, "argmin": argmin, "argmax": argmax,
                "min_ray": min_ray, "max_ray": max_ray}

    def __repr__(self) -> str:
        return f"OutputRange({self.name}: {self.minimum!r}, {self.maximum!r})"


class RangeReport(Immutable):
    """The ranges of a run, and whether the run saw every region.

    Attributes
    ----------
    outputs : tuple of OutputRange
        One per output, or one for the objective.
    objective : tuple of Fraction or None
        The weights ``c`` then the constant ``d`` of the objective ``c . y + d``; None without one.
    regions : int
        The regions the extremes were taken over.
    stop_reason : str or None
        ``"max_regions"``, ``"time_limit"`` or ``"interrupt"`` when a limit stopped the run:
        then the extremes are over the regions found only, not the range.
    seconds : float

    Examples
    --------
    >>> from polyregions import Box, LinearLayer, Network, ReluLayer
    >>> absolute = Network(1, [ReluLayer([[1], [-1]], [0, 0]), LinearLayer([[1, 1]], [0])])
    >>> report = output_ranges(absolute, Box([-2], [1]))
    >>> len(report.outputs), report.regions, report.complete, report.stop_reason
    (1, 2, True, None)
    """

    __slots__ = ("outputs", "objective", "regions", "stop_reason", "seconds")
    outputs: tuple[OutputRange, ...]
    objective: tuple[Fraction, ...] | None
    regions: int
    stop_reason: str | None
    seconds: float

    def __init__(self, outputs: Sequence[OutputRange], objective: Sequence[Fraction] | None,
                 regions: int, stop_reason: str | None, seconds: float) -> None:
        object.__setattr__(self, "outputs", tuple(outputs))
        object.__setattr__(self, "objective", None if objective is None else tuple(objective))
        object.__setattr__(self, "regions", regions)
        object.__setattr__(self, "stop_reason", stop_reason)
        object.__setattr__(self, "seconds", seconds)

    @property
    def complete(self) -> bool:
        """True when every region was seen, so that the extremes are the range."""
        return self.stop_reason is None

    def __repr__(self) -> str:
        state = "complete" if self.complete else f"partial ({self.stop_reason})"
        return f"RangeReport({list(self.outputs)}, {self.regions} regions, {state})"


_Objective = tuple[tuple[Fraction, ...], Fraction]


def _target_rows(den: int, rows: Rows, objective: _Objective | None) -> list[tuple[int, tuple[int, ...]]]:
    """``(scale, row)`` per target: the target at domain point ``x`` is ``(row . (1, x)) / scale``."""
    if objective is None:
        return [(den, row) for row in rows]
    weights, constant = objective
    lcm = common_denominator((*weights, constant))
    ints = [int(w * lcm) for w in weights]
    combined = [sum(w * row[j] for w, row in zip(ints, rows)) for j in range(len(rows[0]))]
    combined[0] += int(constant * lcm) * den
    return [(den * lcm, tuple(combined))]


class _Ends:
    """The extremes found so far of one target (private and mutable: it is frozen at the end)."""

    __slots__ = ("low", "high", "low_ray", "high_ray")

    def __init__(self) -> None:
        # (numerator, denominator > 0, point): compared by cross-multiplying, in integers
        # only, which is several times faster than comparing Fractions.
        self.low: tuple[int, int, tuple[int, ...]] | None = None
        self.high: tuple[int, int, tuple[int, ...]] | None = None
        self.low_ray: tuple[Region, tuple[int, ...]] | None = None
        self.high_ray: tuple[Region, tuple[int, ...]] | None = None

    def add(self, region: Region, scale: int, row: tuple[int, ...]) -> None:
        polytope = region.polytope
        if self.low_ray is None or self.high_ray is None:
            self._add_directions(region, row, polytope.ray_rows, polytope.line_rows)
        for point in polytope.point_rows:
            num, den = sum(r * p for r, p in zip(row, point)), point[0] * scale
            low, high = self.low, self.high
            if low is None or num * low[1] < low[0] * den:
                self.low = (num, den, point)
            if high is None or num * high[1] > high[0] * den:
                self.high = (num, den, point)

    def _add_directions(self, region: Region, row: tuple[int, ...], rays: Rows, lines: Rows) -> None:
        # A line is two rays; the first ray found with a nonzero slope shows the output unbounded.
        for ray in (*rays, *lines, *(tuple(-v for v in line) for line in lines)):
            slope = sum(r * v for r, v in zip(row[1:], ray[1:]))
            if slope < 0 and self.low_ray is None:
                self.low_ray = (region, ray)
            elif slope > 0 and self.high_ray is None:
                self.high_ray = (region, ray)

    def range(self, name: str, domain: Domain) -> OutputRange:
        return OutputRange(name, _extreme(self.low, self.low_ray, domain),
                           _extreme(self.high, self.high_ray, domain))


def _input_direction(domain: Domain, ray: tuple[int, ...]) -> tuple[Fraction, ...]:
    _, directions = domain.input_map()
    return tuple(sum((v * d[i] for v, d in zip(ray[1:], directions)), Fraction(0))
                 for i in range(domain.input_dim))


def _vertex(domain: Domain, point: tuple[int, ...]) -> tuple[Fraction, ...]:
    return domain.input_point([Fraction(v, point[0]) for v in point[1:]])


def _extreme(found: tuple[int, int, tuple[int, ...]] | None,
             ray: tuple[Region, tuple[int, ...]] | None, domain: Domain) -> Extreme:
    if ray is not None:
        region, direction = ray
        return Extreme(None, None, Ray(_vertex(domain, region.polytope.point_rows[0]),
                                       _input_direction(domain, direction)))
    if found is None:
        raise UsageError("no region was found, so there is no range: raise the limits")
    num, den, point = found
    return Extreme(Fraction(num, den), _vertex(domain, point))


def output_ranges(network: Network, domain: Domain, objective: Sequence[object] | None = None, *,
                  progress: Callable[[int], object] | None = None,
                  on_region: Callable[[Region], object] | None = None, **limits: Any) -> RangeReport:
    """The exact minimum and maximum of each output of `network` over `domain`, with arg points.

    Parameters
    ----------
    network : Network
    domain : Domain
        Of dimension at most :data:`MAX_RANGE_DIMENSION`; a bounded or unbounded domain.
    objective : sequence of exact numbers, optional
        ``c_0, ..., c_{m-1}`` and optionally a constant ``d`` (``m`` outputs): then the
        range of the one objective ``c . y + d`` is given instead of each output's.
    progress : callable, optional
        Called with the number of regions found so far.
    on_region : callable, optional
        Called with every region as it is found (to export the reachable set, say).
    **limits
        ``max_regions``, ``time_limit``, ``workers``, ``stop_on_interrupt`` and the other
        keyword arguments of :class:`~polyregions.enumeration.run.LimitedRun`. A limit that
        stops the run makes the report partial (``complete`` is False).

    Returns
    -------
    RangeReport
        Each end is exact: a value attained at an exact input (a vertex of a
        region, so ``network.evaluate(point) == value``), or, when the output is
        unbounded that way, a ray along which it goes to -inf or +inf. The first
        region (in the enumeration's order) and vertex attaining an extreme is the
        one reported.

    Raises
    ------
    UsageError
        When the domain's dimension is above :data:`MAX_RANGE_DIMENSION`, the
        objective does not have ``m`` or ``m + 1`` numbers, or no region was found.

    Examples
    --------
    >>> from polyregions import Network, ReluLayer, LinearLayer, Box
    >>> absolute = Network(1, [ReluLayer([[1], [-1]], [0, 0]), LinearLayer([[1, 1]], [0])])
    >>> [y] = output_ranges(absolute, Box([-2], [1])).outputs  # |x| on [-2, 1]
    >>> y.minimum.value, y.maximum.value, y.maximum.point
    (Fraction(0, 1), Fraction(2, 1), (Fraction(-2, 1),))
    >>> output_ranges(absolute, Box([-2], [1]), ["-1", "5"]).outputs[0].minimum.value  # 5 - |x|
    Fraction(3, 1)
    """
    check_range_dimension(domain.dim)
    domain.check_network(network)
    exact = None if objective is None else parse_objective(list(objective), network.output_dim)
    names = ["objective"] if exact is not None else [f"y{i}" for i in range(network.output_dim)]
    ends = [_Ends() for _ in names]
    run = LimitedRun(network, domain, progress=progress, **limits)
    for region, (den, rows) in with_output_maps(run, network, domain):
        if on_region is not None:
            on_region(region)
        for target, (scale, row) in zip(ends, _target_rows(den, rows, exact)):
            target.add(region, scale, row)
    weights = None if exact is None else (*exact[0], exact[1])
    return RangeReport([e.range(n, domain) for e, n in zip(ends, names)], weights, run.count,
                       run.stop_reason, run.seconds)
