"""The exact robustness radius of a classifier at an input, in the L-infinity or L1 norm.

The network's outputs ``y_0 .. y_{m-1}`` (``m >= 2``) are the logits, and the
**class** of an input is the lowest-index argmax of its outputs. For an input
``X`` and a class ``C`` (by default the class of ``X``), let ``S`` be the set of
inputs whose class is not ``C``. The **robustness radius** is

    ``d = inf { ||x - X|| : x in S }``

in the chosen norm (``"inf"`` or ``"1"``): every input with ``||x - X|| < d``
has class ``C``, and there are inputs of another class at every distance above
``d``. ``d`` is a rational number, computed exactly, or infinite when no input
has another class. The **nearest** input is an exact input at distance ``d``
on the closure of ``S``. It either has another class itself (the infimum is
*attained*), or it is a tie point that still goes to ``C``: a class ``c' > C``
that only ties with ``C`` there loses the tie. Only a class ``c' < C`` can
attain the radius: ``y_c' > y_C`` is an open condition (the outputs are
continuous), so an input at the radius where it holds would have inputs of
that class nearer still.

How it is computed
------------------
On an activation region ``R`` the outputs are affine, so ``S ∩ R`` is the union
over the other classes ``c'`` of ``{x in R : y_c'(x) >= y_C(x)}`` for ``c' < C``
(a tie goes to the lower index) and of ``{x in R : y_c'(x) > y_C(x)}`` for
``c' > C``. Their closures are polyhedra, the *pieces* of ``S``: the first kind
as it is, the second ``{x in R : y_c' >= y_C}`` when ``y_c' > y_C`` somewhere in
``R`` (at a generator), else nothing. The distance from ``X`` to a piece is an
exact linear program (:func:`_piece_distance`), and ``d`` is the least of them.

The regions come from balls ``B(X, r)`` of growing radius ``r`` (each an
exact domain, :func:`~polyregions.domain.ball`): the first radius is a power of
two near the distance the network's linearisation at ``X`` predicts (a guess; it
decides nothing), and it doubles while no piece meets the ball. Every point of
the ball lies in one of its regions, so once a piece meets ``B(X, r)``, the
least distance over the ball's pieces is ``d`` exactly (it is at most ``r``, and
nothing nearer lies outside the ball). A ball that meets no piece proves that
every input with ``||x - X|| <= r`` has class ``C``. Pieces are taken in the
order of a lower bound on their distance (the exact distance to the half-space
``y_c' >= y_C``) and the search stops at the first bound above the best
distance, so most pieces need no linear program.

The growth stops at ``max_radius`` (:data:`DEFAULT_MAX_RADIUS` by default):
beyond it the report says that no other class lies within it. With
``max_radius=None`` the last step is the whole space, which decides an infinite
radius exactly. A ``max_regions`` or ``time_limit`` that stops an enumeration
gives bounds only, and the report says so.

:func:`robust_at` answers the question for one radius ``eps`` along its own
path: it enumerates the regions of ``B(X, eps)`` once and looks for a vertex of
another class, with no linear program.
"""

import math
import time
from collections.abc import Iterable, Iterator, Sequence
from fractions import Fraction
from itertools import product
from typing import Any, NamedTuple

from ..domain import Domain, WholeSpace, ball
from ..enumeration.kernel import Row, Rows
from ..enumeration.run import LimitedRun, check_run_arguments
from ..errors import UsageError
from ..geometry.polytope import HPolytope, double_description
from ..immutable import Immutable
from ..network import Network
from ..numbers import common_denominator, dot, format_fraction, primitive_vector, to_fraction_or
from .maps import with_output_maps

__all__ = ["robustness_radius", "robust_at", "predicted_class", "distance", "parse_norm",
           "Nearest", "Search", "RobustnessReport", "EpsAnswer", "DEFAULT_MAX_RADIUS", "NORMS"]

NORMS = ("inf", "1")
"""The norms of the radius: L-infinity (``"inf"``) and L1 (``"1"``)."""

DEFAULT_MAX_RADIUS = Fraction(1024)
"""The radius the search grows to by default: inputs are usually scaled to about ``[-1, 1]``,
so no other class within 1024 of an input is as good as none (pass a larger ``max_radius``, or
None for the whole space, for inputs on another scale)."""

_START_STEP = Fraction(1, 2 ** 20)
"""The step of the finite differences that guess the first radius, and the smallest first radius
(both times ``max(1, ||X||_inf)``)."""


def parse_norm(norm: object) -> str:
    """``"inf"`` or ``"1"``, the norm named by `norm` (``"inf"``, ``"linf"``, ``"1"``, ``"l1"``, 1).

    Examples
    --------
    >>> parse_norm("Linf"), parse_norm(1)
    ('inf', '1')
    >>> parse_norm("2")
    Traceback (most recent call last):
    ...
    polyregions.errors.UsageError: the norm must be 'inf' or '1', got '2'
    """
    text = str(norm).strip().lower()
    if text in ("inf", "linf", "infinity"):
        return "inf"
    if text in ("1", "l1"):
        return "1"
    raise UsageError(f"the norm must be 'inf' or '1', got {norm!r}")


def predicted_class(outputs: Sequence[Fraction]) -> int:
    """The class of an output vector: the lowest index of its largest entry.

    Examples
    --------
    >>> predicted_class([Fraction(1), Fraction(3), Fraction(3)])
    1
    """
    return max(range(len(outputs)), key=lambda i: (outputs[i], -i))


def distance(x: Sequence[Fraction], y: Sequence[Fraction], norm: str) -> Fraction:
    """The exact distance ``||x - y||`` in the norm ``"inf"`` or ``"1"``.

    Examples
    --------
    >>> distance([Fraction(1), Fraction(-2)], [Fraction(0), Fraction(0)], "1")
    Fraction(3, 1)
    """
    gaps = [abs(Fraction(a) - b) for a, b in zip(x, y, strict=True)]
    return max(gaps) if parse_norm(norm) == "inf" else sum(gaps, Fraction(0))


def _text(values: Iterable[Fraction]) -> list[str]:
    return [format_fraction(v) for v in values]


def _infinite_or_text(value: Fraction | None, infinite: bool) -> str | None:
    return "inf" if infinite else None if value is None else format_fraction(value)


class Nearest(Immutable):
    """An exact input at a distance from the point, with its class.

    Attributes
    ----------
    point : tuple of Fraction
    distance : Fraction
        ``||point - X||`` in the report's norm.
    label : int
        The class of `point` (its exact outputs' lowest-index argmax).
    attained : bool
        Whether `label` is another class than the report's: then `point` itself
        is an input of another class at `distance`; otherwise it is a tie point,
        on the closure of the inputs of other classes, that still goes to the class.

    Examples
    --------
    Class 0 where ``x1 + 2 x2 >= 1``; the nearest input of the other side to ``(2, 1)``:

    >>> from polyregions import LinearLayer, Network
    >>> net = Network(2, [LinearLayer([[1, 2], [0, 0]], [-1, 0])])
    >>> nearest = robustness_radius(net, [2, 1], norm="inf").nearest
    >>> nearest.point, nearest.distance, nearest.label, nearest.attained
    ((Fraction(1, 1), Fraction(0, 1)), Fraction(1, 1), 0, False)
    """

    __slots__ = ("point", "distance", "label", "attained")
    point: tuple[Fraction, ...]
    distance: Fraction
    label: int
    attained: bool

    def __init__(self, point: Sequence[Fraction], distance: Fraction, label: int,
                 attained: bool) -> None:
        object.__setattr__(self, "point", tuple(point))
        object.__setattr__(self, "distance", distance)
        object.__setattr__(self, "label", label)
        object.__setattr__(self, "attained", attained)

    def to_json(self) -> dict[str, Any]:
        """``point`` and ``distance`` as exact strings, ``class`` and ``attained``."""
        return {"point": _text(self.point), "distance": format_fraction(self.distance),
                "class": self.label, "attained": self.attained}

    def __repr__(self) -> str:
        return f"Nearest({self.point}, distance {self.distance}, class {self.label})"


class Search(NamedTuple):
    """What a search established, the bounds, and how far it went (see :class:`RobustnessReport`).

    Examples
    --------
    The bounds a search keeps; a fresh one knows only that the radius is at least 0:

    >>> Search().lower_bound, Search().upper_bound
    (Fraction(0, 1), None)
    """

    lower_bound: Fraction | None = Fraction(0)
    upper_bound: Fraction | None = None
    searched_radius: Fraction | None = None
    regions: int = 0
    stop_reason: str | None = None
    seconds: float = 0.0


class RobustnessReport(Immutable):
    """The robustness radius at a point, or what a limited search learnt of it.

    Attributes
    ----------
    point : tuple of Fraction
    label : int
        The class ``C`` the radius is about.
    norm : str
        ``"inf"`` or ``"1"``.
    status : str
        ``"exact"`` (`radius` is the radius), ``"infinite"`` (no input has
        another class), ``"beyond"`` (none within `searched_radius`, the
        ``max_radius``), or ``"stopped"`` (a limit stopped the search; see
        `stop_reason`): then only the bounds are known.
    radius : Fraction or None
        The exact radius when `status` is ``"exact"``, else None.
    nearest : Nearest or None
        With ``"exact"``: an input at distance `radius` on the closure of the
        inputs of other classes, one of another class whenever there is one at
        that distance. With ``"stopped"``: the input of another class nearest
        among those seen, if any (at `upper_bound`). Else None.
    lower_bound : Fraction or None
        The radius is at least this; every input with ``||x - X|| <= lower_bound``
        has class `label` unless `status` is ``"exact"`` (see :meth:`decides`).
        None when the radius is infinite.
    upper_bound : Fraction or None
        The radius is at most this; None when unknown or infinite. With
        ``"stopped"``, `nearest` is an input of another class at this distance.
    searched_radius : Fraction or None
        The radius of the last domain searched; None for the whole space.
    regions : int
        The regions enumerated, in all the domains searched.
    stop_reason : str or None
        ``"max_regions"``, ``"time_limit"`` or ``"interrupt"`` with ``"stopped"``.
    seconds : float

    Examples
    --------
    >>> from polyregions import LinearLayer, Network
    >>> net = Network(2, [LinearLayer([[1, 2], [0, 0]], [-1, 0])])   # class 0 where x1 + 2 x2 >= 1
    >>> report = robustness_radius(net, [2, 1], norm="inf")
    >>> report.status, report.radius, report.label, report.attained
    ('exact', Fraction(1, 1), 0, False)
    """

    __slots__ = ("point", "label", "norm", "status", "radius", "nearest", "lower_bound",
                 "upper_bound", "searched_radius", "regions", "stop_reason", "seconds")
    point: tuple[Fraction, ...]
    label: int
    norm: str
    status: str
    radius: Fraction | None
    nearest: Nearest | None
    lower_bound: Fraction | None
    upper_bound: Fraction | None
    searched_radius: Fraction | None
    regions: int
    stop_reason: str | None
    seconds: float

    def __init__(self, point: Sequence[Fraction], label: int, norm: str, status: str,
                 nearest: Nearest | None = None, search: "Search | None" = None) -> None:
        exact = status == "exact"
        if status not in ("exact", "infinite", "beyond", "stopped") or (exact and nearest is None):
            raise UsageError(f"a robustness report is exact (with a nearest input), infinite, "
                             f"beyond or stopped, got {status!r}")
        values = (tuple(point), label, norm, status, nearest.distance if exact and nearest else None,
                  nearest, *(search or Search()))
        for name, value in zip(self.__slots__, values, strict=True):
            object.__setattr__(self, name, value)

    @property
    def complete(self) -> bool:
        """Whether the radius is known: exact or infinite."""
        return self.status in ("exact", "infinite")

    @property
    def attained(self) -> bool | None:
        """With an exact radius, whether an input of another class lies at distance `radius`."""
        return self.nearest.attained if self.status == "exact" and self.nearest else None

    def decides(self, eps: object) -> bool | None:
        """Whether every input with ``||x - X|| <= eps`` has class `label`; None when unknown.

        With an exact radius ``d``: yes below ``d``, no above it, and at ``d`` yes
        exactly when the radius is not attained.

        Examples
        --------
        >>> from polyregions import Network, LinearLayer
        >>> net = Network(1, [LinearLayer([[1], [-1]], [0, 0])])  # class 0 when x >= 0
        >>> report = robustness_radius(net, [2])
        >>> report.radius, report.attained, report.decides(2), report.decides("2.5")
        (Fraction(2, 1), False, True, False)
        """
        eps = _nonnegative(eps, "eps")
        if self.status == "infinite":
            return True
        if self.radius is not None:
            return eps < self.radius or (eps == self.radius and not self.attained)
        if self.lower_bound is not None and eps <= self.lower_bound:
            return True
        if self.upper_bound is not None and eps >= self.upper_bound:
            return False  # the nearest input seen is of another class, at upper_bound
        return None

    def to_json(self) -> dict[str, Any]:
        """The report as JSON: exact numbers as strings ``"p/q"``, ``"inf"`` when infinite."""
        infinite = self.status == "infinite"
        return {
            "radius": _infinite_or_text(self.radius, infinite),
            "label": self.label,
            "norm": self.norm,
            "point": _text(self.point),
            "nearest": None if self.nearest is None else self.nearest.to_json(),
            "attained": self.attained,
            "status": self.status,
            "complete": self.complete,
            "lower_bound": _infinite_or_text(self.lower_bound, infinite),
            "upper_bound": _infinite_or_text(self.upper_bound, infinite),
            "searched_radius": "inf" if self.searched_radius is None
            else format_fraction(self.searched_radius),
            "regions": self.regions,
            "stop_reason": self.stop_reason,
            "seconds": round(self.seconds, 6),
        }

    def __repr__(self) -> str:
        what = self.radius if self.status == "exact" else self.status
        return f"RobustnessReport(radius {what}, class {self.label}, norm {self.norm})"


class EpsAnswer(Immutable):
    """Whether every input within ``eps`` of the point has the class (:func:`robust_at`).

    Attributes
    ----------
    eps : Fraction
    robust : bool or None
        True when every input with ``||x - X|| <= eps`` has the class, False when
        one does not, None when a limit stopped the enumeration first.
    counterexample : Nearest or None
        With False: an exact input of another class within `eps`.
    regions : int
    stop_reason : str or None
    seconds : float

    Examples
    --------
    >>> from polyregions import LinearLayer, Network
    >>> net = Network(2, [LinearLayer([[1, 2], [0, 0]], [-1, 0])])   # class 0 where x1 + 2 x2 >= 1
    >>> answer = robust_at(net, [2, 1], "1.01")
    >>> answer.eps, answer.robust, answer.counterexample.label
    (Fraction(101, 100), False, 1)
    """

    __slots__ = ("eps", "robust", "counterexample", "regions", "stop_reason", "seconds")
    eps: Fraction
    robust: bool | None
    counterexample: Nearest | None
    regions: int
    stop_reason: str | None
    seconds: float

    def __init__(self, eps: Fraction, robust: bool | None, counterexample: Nearest | None,
                 regions: int, stop_reason: str | None, seconds: float) -> None:
        values = (eps, robust, counterexample, regions, stop_reason, seconds)
        for name, value in zip(self.__slots__, values, strict=True):
            object.__setattr__(self, name, value)

    def to_json(self) -> dict[str, Any]:
        """``eps``, ``robust`` and ``counterexample`` (null unless not robust)."""
        return {"eps": format_fraction(self.eps), "robust": self.robust,
                "counterexample": None if self.counterexample is None
                else self.counterexample.to_json()}

    def __repr__(self) -> str:
        return f"EpsAnswer(eps {self.eps}: robust {self.robust})"


def _nonnegative(value: object, what: str) -> Fraction:
    exact = to_fraction_or(UsageError, value, what)
    if exact < 0:
        raise UsageError(f"{what} must be at least 0, got {format_fraction(exact)}")
    return exact


class _Query(NamedTuple):
    """A checked question: the network, the point, the class and the norm."""

    network: Network
    point: tuple[Fraction, ...]
    label: int
    norm: str
    own: int  # the class of the point

    @classmethod
    def of(cls, network: Network, point: Iterable[object], norm: object,
           label: object) -> "_Query":
        if network.output_dim < 2:
            raise UsageError(f"a robustness radius needs a classifier with two or more outputs, "
                             f"but the network has {network.output_dim}")
        values = list(point)
        if len(values) != network.input_dim:
            raise UsageError(f"the point has {len(values)} coordinates, but the network takes "
                             f"{network.input_dim} inputs")
        exact = tuple(to_fraction_or(UsageError, v, "point coordinate") for v in values)
        own = predicted_class(network.evaluate(exact))
        if label is None:
            return cls(network, exact, own, parse_norm(norm), own)
        if isinstance(label, bool) or not isinstance(label, int) \
                or not 0 <= label < network.output_dim:
            raise UsageError(f"the label must be a class 0..{network.output_dim - 1}, got {label!r}")
        return cls(network, exact, label, parse_norm(norm), own)

    def nearest(self, point: Sequence[Fraction]) -> Nearest:
        label = predicted_class(self.network.evaluate(point))
        return Nearest(point, distance(point, self.point, self.norm), label, label != self.label)

    def class_rows(self, rows: Rows) -> Iterator[tuple[int, Row]]:
        """``(c', row)`` for each other class: ``row . (1, x) >= 0`` where ``y_c' >= y_C``."""
        own = rows[self.label]
        for other, row in enumerate(rows):
            if other != self.label:
                yield other, primitive_vector(a - b for a, b in zip(row, own))

    def norm_rows(self) -> Rows:
        """Rows ``(c, a, k)``: ``c + a . x + k t >= 0`` for all of them iff ``||x - X|| <= t``."""
        q = common_denominator(self.point)
        centre = [int(v * q) for v in self.point]
        n = len(centre)
        if self.norm == "inf":  # t - (x_i - X_i) >= 0 and t + (x_i - X_i) >= 0
            return tuple(row for i in range(n) for s in (1, -1)
                         for row in [(s * centre[i], *(-s * q * (j == i) for j in range(n)), q)])
        return tuple((sum(s * c for s, c in zip(signs, centre)), *(-s * q for s in signs), q)
                     for signs in product((1, -1), repeat=n))


def _meets(row: Row, polytope: HPolytope, strict: bool) -> bool:
    """Whether ``row . (1, x) >= 0`` (``> 0`` when `strict`) somewhere in `polytope`."""
    if any(dot(row, line) != 0 for line in polytope.line_rows) \
            or any(dot(row, ray) > 0 for ray in polytope.ray_rows):
        return True
    return _vertex_where(row, polytope.point_rows, strict) is not None


def _vertex_where(row: Row, points: Rows, strict: bool) -> Row | None:
    """The first point of `points` where ``row . point >= 0`` (``> 0`` when `strict`), or None."""
    for point in points:
        value = dot(row, point)
        if value > 0 or (value == 0 and not strict):
            return point
    return None


def _fractions(point: Row) -> tuple[Fraction, ...]:
    return tuple(Fraction(v, point[0]) for v in point[1:])


def _halfspace_distance(row: Row, query: _Query) -> Fraction:
    """The exact distance from the point to ``{x : row . (1, x) >= 0}`` (not empty)."""
    value = row[0] + sum((a * x for a, x in zip(row[1:], query.point)), Fraction(0))
    if value >= 0:
        return Fraction(0)
    weights = [abs(a) for a in row[1:]]  # the dual norm of the row's linear part
    return -value / (max(weights) if query.norm == "1" else sum(weights))


class _Piece(NamedTuple):
    """A piece of the closure of the other classes' set: a region where ``row >= 0``."""

    bound: Fraction  # a lower bound on its distance from the point
    order: int  # the order found, which breaks ties of the bound
    polytope: HPolytope  # the region
    row: Row  # y_c' - y_C >= 0 on the piece
    strict: bool  # c' > C: only y_c' > y_C is another class


def _pieces(query: _Query, regions: Iterable[Any], domain: Domain) -> list[_Piece]:
    pieces: list[_Piece] = []
    for region, (_, rows) in with_output_maps(regions, query.network, domain):
        for other, row in query.class_rows(rows):
            strict = other > query.label
            if _meets(row, region.polytope, strict):
                pieces.append(_Piece(_halfspace_distance(row, query), len(pieces),
                                     region.polytope, row, strict))
    return pieces


def _piece_distance(facets: Rows, norm_rows: Rows, dim: int) -> tuple[Fraction, tuple[Fraction, ...]]:
    """The least ``||x - X||`` over ``{x : facets . (1, x) >= 0}`` (not empty), and a point there.

    The linear program ``min t`` over the lifted polyhedron ``{(x, t) : x in the
    polyhedron, ||x - X|| <= t}`` (the norm as linear rows), solved exactly by
    double description: the lifted polyhedron is pointed and ``t >= 0`` on it,
    so the least ``t`` is at a vertex. It is the one linear program of this
    module, so that an exact LP solver can take its place.
    """
    lifted = [(*row, 0) for row in facets] + list(norm_rows)
    points, _, _ = double_description(lifted, dim + 1)
    best = min(points, key=lambda p: Fraction(p[-1], p[0]))
    return Fraction(best[-1], best[0]), _fractions(best[:-1])


def _least_distance(query: _Query, pieces: list[_Piece]) -> tuple[Fraction, list[tuple[_Piece, Any]]]:
    """The least distance over the pieces, and every piece at that distance with its nearest point."""
    norm_rows, dim = query.norm_rows(), len(query.point)
    best: Fraction | None = None
    ties: list[tuple[_Piece, Any]] = []
    for piece in sorted(pieces, key=lambda p: (p.bound, p.order)):
        if best is not None and piece.bound > best:
            break  # the bounds only grow from here
        facets = piece.polytope.rows + ((piece.row,) if any(piece.row[1:]) else ())
        value, point = _piece_distance(facets, norm_rows, dim)
        if best is None or value < best:
            best, ties = value, [(piece, point)]
        elif value == best:
            ties.append((piece, point))
    assert best is not None, "no piece to measure"
    return best, ties


def _nearest_point(ties: list[tuple[_Piece, Any]]) -> Any:
    """A point of another class among the nearest points of the pieces, when there is one.

    Only a class ``c' < C`` can reach the radius: ``y_c' > y_C`` (``c' > C``) is
    an open condition, the outputs being continuous, so a point at the radius
    where it holds would have points of that class nearer still.
    """
    return next((point for piece, point in ties if not piece.strict), ties[0][1])


def _float_outputs(layers: Sequence[Sequence[Any]], x: Sequence[float]) -> list[float]:
    """The network's outputs at `x` in floats, from its layers' pieces in floats."""
    y = list(x)
    for units in layers:
        y = [max(sum(a * v for a, v in zip(w, y)) + b for w, b in unit) for unit in units]
    return y


def _start_radius(query: _Query) -> Fraction:
    """A power of two at or above the distance the linearisation at the point predicts.

    A float guess from finite differences (it changes no answer, only how many
    balls are searched): the least margin of another class over the dual norm of
    its gradient; 1 when floats cannot tell (numbers beyond a double, no slope).
    """
    try:
        return _float_guess(query)
    except (OverflowError, ValueError):
        return Fraction(1)


def _float_guess(query: _Query) -> Fraction:
    layers = [[[(tuple(map(float, w)), float(b)) for w, b in unit] for unit in layer.pieces()]
              for layer in query.network.layers]
    point = [float(v) for v in query.point]
    step = float(_START_STEP) * max(1.0, *map(abs, point))
    base = _float_outputs(layers, point)
    slopes = [[(y - b) / step for y, b in zip(_float_outputs(
        layers, [v + step * (i == j) for j, v in enumerate(point)]), base)] for i in range(len(point))]
    guess = math.inf
    for other in range(len(base)):
        gradient = [s[other] - s[query.label] for s in slopes]
        dual = max(map(abs, gradient)) if query.norm == "1" else sum(map(abs, gradient))
        if other != query.label and dual > 0:
            guess = min(guess, (base[query.label] - base[other]) / dual)
    if not math.isfinite(guess):
        return Fraction(1)
    return Fraction(2) ** math.ceil(math.log2(max(guess, step)))


def _radii(start: Fraction, max_radius: Fraction | None) -> Iterator[Fraction | None]:
    """``start, 2 start, 4 start, ...`` below the cap, then the cap; without one, then None."""
    limit = DEFAULT_MAX_RADIUS if max_radius is None else max_radius
    radius = start
    while radius < limit:
        yield radius
        radius *= 2
    yield limit if max_radius is not None else None


def _best_vertex(query: _Query, pieces: list[_Piece]) -> Nearest | None:
    """The nearest vertex of another class among the pieces' regions, or None."""
    best: Nearest | None = None
    for piece in pieces:
        for point in piece.polytope.point_rows:
            value = dot(piece.row, point)
            if value > 0 or (value == 0 and not piece.strict):
                found = query.nearest(_fractions(point))
                if best is None or found.distance < best.distance:
                    best = found
    return best


class _BallSearch:
    """The balls of one search, under limits over all of them (private and mutable)."""

    def __init__(self, query: _Query, limits: dict[str, Any]) -> None:
        self.query, self.start = query, time.perf_counter()
        self.max_regions = limits.pop("max_regions", None)
        time_limit = limits.pop("time_limit", None)
        self.progress = limits.pop("progress", None)
        unknown = sorted(set(limits) - {"stop_on_interrupt", "workers", "options"})
        if unknown:
            raise UsageError(f"robustness_radius takes no argument {unknown[0]!r} (its limits are "
                             "max_regions, time_limit, progress, stop_on_interrupt, workers, options)")
        check_run_arguments(max_regions=self.max_regions, time_limit=time_limit,
                            workers=limits.get("workers", 1))
        self.end = None if time_limit is None else self.start + time_limit
        self.run_options, self.regions, self.lower = limits, 0, Fraction(0)

    def _limits(self) -> dict[str, Any]:
        left = None if self.max_regions is None else self.max_regions - self.regions
        seconds = None if self.end is None else max(1e-9, self.end - time.perf_counter())
        done, progress = self.regions, self.progress
        return {"max_regions": left, "time_limit": seconds, **self.run_options,
                "progress": None if progress is None else lambda n: progress(done + n)}

    def search(self, radius: Fraction | None, **found: Any) -> Search:
        """The bounds and extent so far (the last domain searched had `radius`)."""
        fields = dict(lower_bound=self.lower, searched_radius=radius, regions=self.regions,
                      seconds=time.perf_counter() - self.start)
        return Search(**{**fields, **found})

    def report(self, status: str, nearest: Nearest | None, search: Search) -> RobustnessReport:
        query = self.query
        return RobustnessReport(query.point, query.label, query.norm, status, nearest, search)

    def ball(self, radius: Fraction | None) -> RobustnessReport | None:
        """Search the ball of `radius` (None: the whole space); None when it holds no piece."""
        query = self.query
        if self.max_regions is not None and self.regions >= self.max_regions:
            return self.report("stopped", None, self.search(radius, stop_reason="max_regions"))
        domain = WholeSpace(len(query.point)) if radius is None else ball(query.point, radius,
                                                                          query.norm)
        run = LimitedRun(query.network, domain, **self._limits())
        pieces = _pieces(query, run, domain)
        self.regions += run.count
        if run.stop_reason is not None:
            candidate = _best_vertex(query, pieces)
            bound = None if candidate is None else candidate.distance
            return self.report("stopped", candidate, self.search(
                radius, upper_bound=bound, stop_reason=run.stop_reason))
        if pieces:
            least, ties = _least_distance(query, pieces)
            return self.report("exact", query.nearest(_nearest_point(ties)),
                               self.search(radius, lower_bound=least, upper_bound=least))
        if radius is None:
            return self.report("infinite", None, self.search(None, lower_bound=None))
        self.lower = radius
        return None


def robustness_radius(network: Network, point: Iterable[object], norm: object = "inf",
                      label: int | None = None, *, max_radius: object = DEFAULT_MAX_RADIUS,
                      start_radius: object = None, **limits: Any) -> RobustnessReport:
    """The exact robustness radius of `network` at `point` (see the module docstring).

    Parameters
    ----------
    network : Network
        A classifier: two or more outputs, the class is the lowest-index argmax.
    point : sequence of exact numbers
        The input ``X``, one number per network input.
    norm : {"inf", "1"}
    label : int, optional
        The class ``C``; by default the class of ``X`` (for another class the
        radius is 0, attained at ``X``).
    max_radius : exact number > 0 or None
        The largest ball searched (:data:`DEFAULT_MAX_RADIUS`); None searches the
        whole space after the balls up to :data:`DEFAULT_MAX_RADIUS`, which
        decides an infinite radius.
    start_radius : exact number > 0, optional
        The first ball's radius, instead of the guess from the linearisation.
    **limits
        ``max_regions`` and ``time_limit``, over the whole search (a limit that
        stops it gives a ``"stopped"`` report with bounds only); ``progress``,
        called with the number of regions enumerated so far; ``stop_on_interrupt``,
        ``workers`` and ``options`` as for :class:`~polyregions.enumeration.run.LimitedRun`.

    Returns
    -------
    RobustnessReport
        Exact: every input with ``||x - X|| < radius`` has class ``C``, and
        ``nearest`` lies at distance ``radius`` on the closure of the other classes.

    Raises
    ------
    UsageError
        When the network has one output, the point has the wrong length or is
        not exact, the norm is not ``"inf"`` or ``"1"``, the label is not a
        class, or a radius is not positive.

    Examples
    --------
    A linear classifier, class 0 where ``x1 + 2 x2 - 1 >= 0``: the L-infinity
    distance to that line is ``|w . X + b| / ||w||_1``, the L1 distance
    ``|w . X + b| / ||w||_inf``:

    >>> from polyregions import Network, LinearLayer
    >>> net = Network(2, [LinearLayer([[1, 2], [0, 0]], [-1, 0])])
    >>> report = robustness_radius(net, [2, 1])  # w . X + b = 3
    >>> report.radius, report.nearest.point
    (Fraction(1, 1), (Fraction(1, 1), Fraction(0, 1)))
    >>> report.nearest.label, report.attained  # on the line the tie goes to class 0
    (0, False)
    >>> robustness_radius(net, [2, 1], norm="1").radius
    Fraction(3, 2)
    >>> robustness_radius(net, [0, 0]).attained  # class 1: the line belongs to class 0
    True
    """
    query = _Query.of(network, point, norm, label)
    search = _BallSearch(query, dict(limits))
    cap = None if max_radius is None else _positive(max_radius, "max_radius")
    first = _start_radius(query) if start_radius is None else _positive(start_radius, "start_radius")
    if query.own != query.label:
        return search.report("exact", query.nearest(query.point),
                             search.search(Fraction(0), upper_bound=Fraction(0)))
    for radius in _radii(first, cap):
        report = search.ball(radius)
        if report is not None:
            return report
    return search.report("beyond", None, search.search(search.lower))


def _positive(value: object, what: str) -> Fraction:
    exact = to_fraction_or(UsageError, value, what)
    if exact <= 0:
        raise UsageError(f"{what} must be above 0, got {format_fraction(exact)}")
    return exact


def robust_at(network: Network, point: Iterable[object], eps: object, norm: object = "inf",
              label: int | None = None, **limits: Any) -> EpsAnswer:
    """Whether every input with ``||x - X|| <= eps`` has class `label`, decided exactly.

    The regions of the ball ``B(X, eps)`` are enumerated once; on each the
    outputs are affine, so another class ``c'`` occurs in the region exactly
    when ``y_c' - y_C`` is ``>= 0`` (``c' < C``) or ``> 0`` (``c' > C``) at one of
    its vertices. The first such vertex is the counterexample, and the
    enumeration stops there. No linear program is solved: this is a path of its
    own, apart from :func:`robustness_radius`.

    Parameters
    ----------
    network, point, norm, label
        As for :func:`robustness_radius`.
    eps : exact number >= 0
    **limits
        ``max_regions``, ``time_limit``, ``progress`` and the other keyword
        arguments of :class:`~polyregions.enumeration.run.LimitedRun`; a limit
        that stops the enumeration first leaves the answer None.

    Returns
    -------
    EpsAnswer

    Examples
    --------
    >>> from polyregions import Network, LinearLayer
    >>> net = Network(1, [LinearLayer([[1], [-1]], [0, 0])])  # class 0 when x >= 0
    >>> robust_at(net, [2], 2).robust, robust_at(net, [2], "2.5").counterexample.point
    (True, (Fraction(-1, 2),))
    """
    query = _Query.of(network, point, norm, label)
    radius = _nonnegative(eps, "eps")
    start = time.perf_counter()
    if query.own != query.label:
        return EpsAnswer(radius, False, query.nearest(query.point), 0, None, 0.0)
    if radius == 0:
        return EpsAnswer(radius, True, None, 0, None, time.perf_counter() - start)
    domain = ball(query.point, radius, query.norm)
    run = LimitedRun(network, domain, **limits)
    regions = iter(run)
    counterexample = None
    try:
        for region, (_, rows) in with_output_maps(regions, network, domain):
            counterexample = _counterexample(query, region.polytope.point_rows, rows)
            if counterexample is not None:
                break
    finally:
        regions.close()  # type: ignore[attr-defined]
    robust = False if counterexample else None if run.stop_reason else True
    return EpsAnswer(radius, robust, counterexample, run.count, run.stop_reason,
                     time.perf_counter() - start)


def _counterexample(query: _Query, points: Rows, rows: Rows) -> Nearest | None:
    """A vertex of another class among `points` of a region with output map `rows`, or None."""
    for other, row in query.class_rows(rows):
        vertex = _vertex_where(row, points, strict=other > query.label)
        if vertex is not None:
            return query.nearest(_fractions(vertex))
    return None
