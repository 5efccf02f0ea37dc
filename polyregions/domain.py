"""Input domains: where the activation regions are counted.

A domain is a full-dimensional polyhedron in *domain coordinates* together with
an affine map from domain coordinates to the network's input space:

* :class:`Box`, :func:`ball` (L1 and L-infinity balls), :class:`PolytopeDomain`
  (any rational H-polytope, e.g. read from a cddlib ``.ine`` file) and
  :class:`WholeSpace` use the identity map;
* :class:`Slice` is the 2-D affine plane through three points ``P1, P2, P3``
  with origin ``P1`` and directions ``P2 - P1`` and ``P3 - P1`` (exactly, with
  no orthonormalisation), its coordinates bounded by a box.

Regions are computed, and reported, in domain coordinates.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from fractions import Fraction
from typing import TYPE_CHECKING, Any, ClassVar

from .errors import DomainError
from .geometry.polytope import HPolytope, rank
from .immutable import Memoized, read_text
from .numbers import (
    IntegerRows,
    common_denominator,
    format_fraction,
    json_loads,
    to_fraction,
    to_fraction_or,
)

if TYPE_CHECKING:
    from .network import Network

__all__ = [
    "MAX_VERTEX_DIMENSION",
    "Domain",
    "Box",
    "PolytopeDomain",
    "WholeSpace",
    "Slice",
    "ball",
    "load_polytope",
    "domain_from_spec",
    "domain_point_pattern",
]

MAX_VERTEX_DIMENSION = 16
"""The largest dimension of a box or an L1 ball the domains build.

A domain is kept with its vertices and facets, and the engine cuts regions that
carry theirs: a box in R^n has 2^n vertices and an L1 ball 2^n facets. At 16
dimensions a box alone takes seconds to build, and every doubling of its
vertices costs more than twice as much; above that the work would not end, so
the domain is refused at once, with a way out.
"""


def _check_vertex_dimension(n: int, what: str, many: str) -> None:
    if n > MAX_VERTEX_DIMENSION:
        raise DomainError(
            f"{what} in R^{n} has 2^{n} {many}, and the engine keeps every region with its "
            f"vertices and facets: dimensions above {MAX_VERTEX_DIMENSION} are refused; take a 2-D "
            "slice through the points of interest (Slice, or --slice P1 P2 P3 --box LO HI), fix "
            "some inputs, or ask a verification query, which keeps regions as inequalities only "
            "(polyregions check MODEL PROPERTY.vnnlib)")




def _point(values: Iterable[object], what: str) -> tuple[Fraction, ...]:
    try:
        if isinstance(values, (str, bytes, dict)):  # iterable, but not a list of numbers
            raise TypeError
        values = list(values)
    except TypeError:
        raise DomainError(f"{what} must be a list of numbers") from None
    if not values:
        raise DomainError(f"{what} is empty")
    return tuple(to_fraction_or(DomainError, v, what) for v in values)


class Domain(Memoized):
    """Base class: a full-dimensional polyhedron and a map into the input space.

    Attributes
    ----------
    polytope : HPolytope
        The domain in domain coordinates.
    input_dim : int
        The network input dimension this domain is for.

    Examples
    --------
    Every domain kind is a ``Domain``; the engine reads only its polytope and map:

    >>> from polyregions import Box, WholeSpace
    >>> square = Box.cube(2, 0, 1)
    >>> isinstance(square, Domain), square.dim, square.is_bounded, WholeSpace(2).is_bounded
    (True, 2, True, False)
    """

    __slots__ = ("polytope", "input_dim")
    kind: ClassVar[str | None] = None
    polytope: HPolytope
    input_dim: int

    def __init__(self, polytope: HPolytope, input_dim: int) -> None:
        object.__setattr__(self, "polytope", polytope)
        object.__setattr__(self, "input_dim", input_dim)

    @property
    def dim(self) -> int:
        """The dimension of domain coordinates (2 for a slice)."""
        return self.polytope.dim

    @property
    def is_bounded(self) -> bool:
        """Whether the domain is bounded (then so is every region)."""
        return self.polytope.is_bounded

    def input_map(self) -> tuple[tuple[Fraction, ...], tuple[tuple[Fraction, ...], ...]]:
        """The exact affine map from domain coordinates to network inputs.

        Returns
        -------
        offset : tuple of Fraction, length ``input_dim``
        directions : tuple of tuples of Fraction
            ``directions[j]`` is the image of the j-th domain coordinate axis, so
            a domain point ``s`` maps to ``offset + sum_j s_j directions[j]``.
        """
        zero = (Fraction(0),) * self.input_dim
        axes = tuple(
            tuple(Fraction(int(i == j)) for i in range(self.input_dim)) for j in range(self.dim)
        )
        return zero, axes

    def input_point(self, point: Iterable[object]) -> tuple[Fraction, ...]:
        """The network input at the domain point `point` (exact numbers).

        Raises
        ------
        DomainError
            When `point` does not have :attr:`dim` coordinates.

        Examples
        --------
        >>> Slice([0, 0, 0], [1, 0, 0], [0, 0, 2], [-1, -1], [1, 1]).input_point(["1/2", 1])
        (Fraction(1, 2), Fraction(0, 1), Fraction(2, 1))
        """
        exact = tuple(to_fraction(v, "point coordinate") for v in point)
        if len(exact) != self.dim:
            raise DomainError(f"point has {len(exact)} coordinates, expected {self.dim} "
                              f"(the {self.kind} domain's coordinates)")
        offset, directions = self.input_map()
        return tuple(o + sum(s * d[i] for s, d in zip(exact, directions))
                     for i, o in enumerate(offset))

    def integer_input_map(self) -> tuple[IntegerRows, int]:
        """:meth:`input_map` as integer rows ``G`` and a denominator ``den > 0``.

        Row ``i`` of ``G`` holds ``(offset_i, directions[0][i], ...) * den``, so
        network input ``i`` at domain point ``s`` is ``G[i] . (1, s) / den``. Made
        once and kept: every job in the domain starts from it, and a slice of a
        784-input network has 784 rows.

        Examples
        --------
        >>> Slice([0, 0, 0], [1, 0, 0], [0, 0, 2], [-1, -1], [1, 1]).integer_input_map()
        (((0, 1, 0), (0, 0, 0), (0, 0, 2)), 1)
        """
        return self.derived(_integer_input_map)

    def _integer_rows(self) -> tuple[IntegerRows, int]:
        # What integer_input_map keeps: the input map's Fractions over their common denominator.
        offset, directions = self.input_map()
        rows = [[offset[i]] + [d[i] for d in directions] for i in range(self.input_dim)]
        den = common_denominator(v for row in rows for v in row)
        return tuple(tuple(int(v * den) for v in row) for row in rows), den

    def check_network(self, network: Network) -> None:
        """Raise :class:`DomainError` unless `network` takes inputs of this domain's size."""
        if network.input_dim != self.input_dim:
            raise DomainError(
                f"the {self.kind} domain is in R^{self.input_dim} but the network "
                f"takes {network.input_dim} inputs"
            )

    def to_spec(self) -> dict[str, Any]:
        """A JSON-ready description of the domain (exact numbers as strings).

        It is exact and complete: :func:`domain_from_spec` rebuilds the domain
        from it (certificates, region files and reports store domains this way).
        """
        return {"kind": self.kind, "dim": self.dim, "input_dim": self.input_dim}

    def __repr__(self) -> str:
        return f"{type(self).__name__}(dim={self.dim})"



def _integer_input_map(domain: Domain) -> tuple[IntegerRows, int]:
    return domain._integer_rows()

class Box(Domain):
    """The box ``lower <= x <= upper`` in the input space.

    Examples
    --------
    >>> Box.cube(2, -3, 3).to_spec()["upper"]
    ['3', '3']
    """

    __slots__ = ("lower", "upper")
    kind = "box"
    lower: tuple[Fraction, ...]
    upper: tuple[Fraction, ...]

    def __init__(self, lower: Iterable[object], upper: Iterable[object]) -> None:
        lows, highs = _point(lower, "box lower corner"), _point(upper, "box upper corner")
        if len(lows) != len(highs):
            raise DomainError(
                f"box corners have {len(lows)} and {len(highs)} coordinates"
            )
        for i, (lo, hi) in enumerate(zip(lows, highs)):
            if not lo < hi:
                raise DomainError(f"box axis {i}: lower bound {lo} is not below upper bound {hi}")
        _check_vertex_dimension(len(lows), "a box", "vertices")
        super().__init__(HPolytope.box(lows, highs), len(lows))
        object.__setattr__(self, "lower", lows)
        object.__setattr__(self, "upper", highs)

    @classmethod
    def cube(cls, dim: int, lo: object, hi: object) -> Box:
        """The cube ``[lo, hi]^dim``."""
        if isinstance(dim, bool) or not isinstance(dim, int) or dim < 1:
            raise DomainError(f"cube dimension must be a positive integer, got {dim!r}")
        return cls([lo] * dim, [hi] * dim)

    def to_spec(self) -> dict[str, Any]:
        info = super().to_spec()
        info["lower"] = [format_fraction(v) for v in self.lower]
        info["upper"] = [format_fraction(v) for v in self.upper]
        return info


class PolytopeDomain(Domain):
    """Any full-dimensional rational polyhedron ``{x : b + a . x >= 0}``.

    Parameters
    ----------
    rows : sequence of rows ``(b, a_1, ..., a_n)``
        cddlib's layout: each row means ``b + a . x >= 0``.

    Examples
    --------
    >>> PolytopeDomain([[0, 1, 0], [0, 0, 1], [1, -1, -1]]).is_bounded  # a triangle
    True
    """

    __slots__ = ()
    kind = "polytope"

    def __init__(self, rows: Iterable[Iterable[object]], dim: int | None = None) -> None:
        polytope = HPolytope.from_inequalities(rows, dim)
        super().__init__(polytope, polytope.dim)

    def to_spec(self) -> dict[str, Any]:
        info = super().to_spec()
        info["inequalities"] = [[format_fraction(v) for v in r] for r in self.polytope.rows]
        return info


class WholeSpace(Domain):
    """The whole input space ``R^dim``; regions may be unbounded.

    Examples
    --------
    >>> WholeSpace(3).is_bounded
    False
    """

    __slots__ = ()
    kind = "whole_space"

    def __init__(self, dim: int) -> None:
        if isinstance(dim, bool) or not isinstance(dim, int) or dim < 1:
            raise DomainError(f"the whole space needs a positive dimension, got {dim!r}")
        super().__init__(HPolytope.from_inequalities([], dim), dim)


class Slice(Domain):
    """The 2-D affine slice through `p1`, `p2`, `p3`, slice coordinates in a box.

    Domain point ``(s, t)`` maps to the input ``p1 + s (p2 - p1) + t (p3 - p1)``,
    exactly: ``(0, 0)``, ``(1, 0)`` and ``(0, 1)`` are the three points.

    Parameters
    ----------
    p1, p2, p3 : sequences of exact numbers, all of the input dimension
    lower, upper : pairs of exact numbers
        Bounds of the slice coordinates ``(s, t)``.

    Raises
    ------
    DomainError
        When the points have different lengths or are collinear.

    Examples
    --------
    >>> sl = Slice([0, 0, 0], [1, 0, 0], [0, 0, 2], [-1, -1], [1, 1])
    >>> sl.input_map()[1][1]
    (Fraction(0, 1), Fraction(0, 1), Fraction(2, 1))
    """

    __slots__ = ("points", "lower", "upper")
    kind = "slice"
    points: tuple[tuple[Fraction, ...], tuple[Fraction, ...], tuple[Fraction, ...]]
    lower: tuple[Fraction, ...]
    upper: tuple[Fraction, ...]

    def __init__(self, p1: Iterable[object], p2: Iterable[object], p3: Iterable[object],
                 lower: Iterable[object], upper: Iterable[object]) -> None:
        points = tuple(_point(p, f"slice point P{i + 1}") for i, p in enumerate((p1, p2, p3)))
        n = len(points[0])
        if any(len(p) != n for p in points):
            raise DomainError("slice points P1, P2, P3 must have the same number of coordinates")
        d1 = [a - b for a, b in zip(points[1], points[0])]
        d2 = [a - b for a, b in zip(points[2], points[0])]
        if rank([d1, d2]) < 2:
            raise DomainError("slice points P1, P2, P3 are collinear (or repeated)")
        box = Box(lower, upper)
        if box.dim != 2:
            raise DomainError("slice coordinates are bounded by a 2-D box (--box LO HI)")
        super().__init__(box.polytope, n)
        object.__setattr__(self, "points", points)
        object.__setattr__(self, "lower", box.lower)
        object.__setattr__(self, "upper", box.upper)

    def input_map(self) -> tuple[tuple[Fraction, ...], tuple[tuple[Fraction, ...], ...]]:
        p1, p2, p3 = self.points
        return p1, (
            tuple(a - b for a, b in zip(p2, p1)),
            tuple(a - b for a, b in zip(p3, p1)),
        )

    def _integer_rows(self) -> tuple[IntegerRows, int]:
        # The rows (P1, P2 - P1, P3 - P1) over one denominator, without a Fraction per entry: a
        # slice of a 784-input network would spend more on them than on its regions. The lcm of
        # the points' denominators is that of the rows' (P2 = P1 + (P2 - P1)), so these are the
        # base class's lowest terms.
        den = common_denominator(v for p in self.points for v in p)
        p1, p2, p3 = ([v.numerator * (den // v.denominator) for v in p] for p in self.points)
        return tuple((a, b - a, c - a) for a, b, c in zip(p1, p2, p3)), den

    def to_spec(self) -> dict[str, Any]:
        info = super().to_spec()
        info["points"] = [[format_fraction(v) for v in p] for p in self.points]
        info["lower"] = [format_fraction(v) for v in self.lower]
        info["upper"] = [format_fraction(v) for v in self.upper]
        return info


def ball(center: Iterable[object], radius: object, norm: str = "inf") -> Domain:
    """The closed L-infinity or L1 ball around `center`, as a domain.

    Parameters
    ----------
    center : sequence of exact numbers
    radius : exact number > 0
    norm : {"inf", "1"}

    Examples
    --------
    >>> len(ball([0, 0], 1, norm="1").polytope.rows)  # a diamond
    4
    """
    center = _point(center, "ball centre")
    radius = to_fraction_or(DomainError, radius, "ball radius")
    if radius <= 0:
        raise DomainError(f"ball radius must be positive, got {radius}")
    norm = str(norm).lower()
    if norm in ("inf", "infinity", "linf"):
        return Box([c - radius for c in center], [c + radius for c in center])
    if norm not in ("1", "l1"):
        raise DomainError(f"ball norm must be 1 or inf, got {norm!r}")
    n = len(center)
    _check_vertex_dimension(n, "an L1 ball", "facets")
    rows = []
    for mask in range(2 ** n):
        signs = [-1 if mask >> i & 1 else 1 for i in range(n)]
        # radius - sum_i signs_i (x_i - c_i) >= 0
        rows.append([radius + sum(s * c for s, c in zip(signs, center))] + [-s for s in signs])
    return PolytopeDomain(rows)


def domain_from_spec(spec: object) -> Domain:
    """Rebuild a domain from its exact description (:meth:`Domain.to_spec`).

    Parameters
    ----------
    spec : dict
        ``{"kind": "box", "lower": [...], "upper": [...]}``,
        ``{"kind": "polytope", "inequalities": [[b, a_1, ...], ...]}``,
        ``{"kind": "whole_space", "dim": n}`` or
        ``{"kind": "slice", "points": [P1, P2, P3], "lower": [...], "upper": [...]}``;
        other keys (``dim``, ``input_dim``) are ignored.

    Raises
    ------
    DomainError
        When the kind is unknown or a key is missing or malformed.

    Examples
    --------
    >>> domain_from_spec(Box.cube(2, "-1/2", 1).to_spec()).upper
    (Fraction(1, 1), Fraction(1, 1))
    """
    if not isinstance(spec, dict):
        raise DomainError("a domain description must be a JSON object")
    kind = spec.get("kind")
    needs = {"box": ("lower", "upper"), "polytope": ("inequalities",),
             "whole_space": ("dim",), "slice": ("points", "lower", "upper")}
    if kind not in needs:
        raise DomainError(f"unknown domain kind {kind!r}; expected one of {', '.join(needs)}")
    missing = [key for key in needs[kind] if key not in spec]
    if missing:
        raise DomainError(f"the {kind} domain description has no {missing[0]!r}")
    if kind == "box":
        return Box(spec["lower"], spec["upper"])
    if kind == "polytope":
        rows = spec["inequalities"]
        if not isinstance(rows, list) or not all(isinstance(r, list) for r in rows):
            raise DomainError("polytope 'inequalities' must be a list of rows")
        return PolytopeDomain(rows, spec.get("dim"))
    if kind == "whole_space":
        return WholeSpace(spec["dim"])
    points = spec["points"]
    if not isinstance(points, list) or len(points) != 3:
        raise DomainError("slice 'points' must be a list of three points")
    p1, p2, p3 = points
    return Slice(p1, p2, p3, spec["lower"], spec["upper"])


def load_polytope(path: str | os.PathLike[str]) -> PolytopeDomain:
    """Read a full-dimensional polytope domain from a cddlib ``.ine`` file or JSON.

    The JSON form is ``{"A": [[...], ...], "b": [...]}`` meaning ``A x <= b``.
    A cddlib file holds an ``H-representation`` block whose rows ``b -A`` mean
    ``b - A x >= 0``; equality (``linearity``) rows are refused since they
    make the domain lower-dimensional.

    Raises
    ------
    DomainError
        When the file is missing or malformed, or the set is empty or not
        full-dimensional.

    Examples
    --------
    The square ``[-1, 1]^2`` as four rows ``b - A x >= 0`` of a cddlib file:

    >>> import os, tempfile
    >>> path = os.path.join(tempfile.mkdtemp(), "square.ine")
    >>> rows = "1 1 0\\n1 -1 0\\n1 0 1\\n1 0 -1\\n"
    >>> with open(path, "w") as f:
    ...     _ = f.write("H-representation\\nbegin\\n4 3 rational\\n" + rows + "end\\n")
    >>> square = load_polytope(path)
    >>> square.kind, square.dim, square.is_bounded
    ('polytope', 2, True)
    """
    path = os.fspath(path)
    text = read_text(path, "polytope file", DomainError)
    if path.lower().endswith(".json"):
        return _polytope_from_json(text, path)
    return PolytopeDomain(_parse_ine(text, path))


def _polytope_from_json(text: str, path: str) -> PolytopeDomain:
    try:
        data = json_loads(text)
    except (ValueError, RecursionError) as err:  # deep nesting too
        raise DomainError(f"polytope file {path} is not valid JSON: {err}") from None
    if not isinstance(data, dict) or "A" not in data or "b" not in data:
        raise DomainError(f"polytope file {path} needs keys 'A' and 'b' (A x <= b)")
    a, b = data["A"], data["b"]
    if not isinstance(a, list) or not isinstance(b, list) or len(a) != len(b) or not a:
        raise DomainError(f"polytope file {path}: 'A' and 'b' must be lists of equal length")
    rows = []
    for i, (ai, bi) in enumerate(zip(a, b)):
        if not isinstance(ai, list):
            raise DomainError(f"polytope file {path}: row {i} of 'A' is not a list")
        rows.append([bi] + [-to_fraction_or(DomainError, v, f"A[{i}]") for v in ai])
    return PolytopeDomain(rows)


def _parse_ine(text: str, path: str) -> list[list[Fraction]]:
    lines = [ln.strip() for ln in text.splitlines()]
    lines = [ln for ln in lines if ln and not ln.startswith(("*", "#"))]
    try:
        start = lines.index("begin")
        end = lines.index("end", start)
    except ValueError:
        raise DomainError(f"polytope file {path} has no 'begin' ... 'end' block") from None
    if any(ln.startswith("V-representation") for ln in lines[:start]):
        raise DomainError(f"polytope file {path} is a V-representation; an H-representation is needed")
    if any(ln.startswith("linearity") for ln in lines[:start]):
        raise DomainError(
            f"polytope file {path} has equality (linearity) rows: the domain must be full-dimensional"
        )
    header = lines[start + 1].split() if start + 1 < end else []
    if len(header) != 3 or not all(re.fullmatch("[0-9]+", h) for h in header[:2]):
        raise DomainError(f"polytope file {path}: expected 'm n rational' after 'begin'")
    m, n = int(header[0]), int(header[1])
    body = lines[start + 2:end]
    if len(body) != m:
        raise DomainError(f"polytope file {path} announces {m} rows but has {len(body)}")
    rows = []
    for i, ln in enumerate(body):
        fields = ln.split()
        if len(fields) != n:
            raise DomainError(f"polytope file {path}: row {i} has {len(fields)} entries, expected {n}")
        rows.append([to_fraction_or(DomainError, v, f"row {i} entry", context=f"polytope file {path}")
                     for v in fields])
    return rows


def domain_point_pattern(network: Network, domain: Domain,
                         point: Iterable[object]) -> tuple[tuple[int, ...], ...]:
    """The activation pattern of `network` at a point given in `domain`'s coordinates.

    Examples
    --------
    >>> from polyregions.network import Network, ReluLayer
    >>> net = Network(3, [ReluLayer([[1, 0, -1]], [0])])
    >>> # The slice point (1/2, 1) is the input (1/2, 0, 2), where x1 - x3 < 0.
    >>> domain_point_pattern(net, Slice([0, 0, 0], [1, 0, 0], [0, 0, 2], [-1, -1], [1, 1]), ["1/2", 1])
    ((0,),)
    """
    return network.activation_pattern(domain.input_point(point))
