"""An independent verifier of region-count certificates.

This module re-checks a certificate written by
:func:`polyregions.certify.certificate.write_certificate` along its own code path: it
reads the network and the domain from the certificate's numbers with its own
parser (:mod:`polyregions.certify.parsing`, shared with the proof verifier),
evaluates the network with its own exact integer arithmetic, and uses
cddlib's GMP arithmetic (``cdd.gmp``) only for vertex enumeration and convex
hulls. Besides that parser it imports nothing of polyregions but two leaf modules: the error
classes (:mod:`polyregions.errors`) and the region-count theorems
(:func:`polyregions.bounds.layers_max_regions`, formulas of the architecture,
which it gives the layer kinds and ranks of its own parse). In particular it
imports nothing of geometry/, enumeration/ or analysis/ (not the engine, the
polygon, incidence or screening fast paths, or the region complex), and not
the model reader of :mod:`polyregions.io.model`; a test loads it with those
made unimportable.

For every region with pattern ``J``, listed polytope ``Q`` and interior point
``p`` it proves:

(a) ``p`` lies strictly inside ``Q`` and the domain, and the network's pattern
    at ``p`` is ``J`` with strict margins: in every unit the claimed piece is
    strictly above every piece that is a different affine function (the pieces
    are composed exactly as affine functions of the domain coordinates along
    ``J``); a piece identical to the claimed one must have a larger index,
    since the lowest index wins ties.
(b) ``Q`` equals ``P_J``, the set of domain points where the pattern's
    constraints ``z_J(x) >= z_j(x)`` hold: every pattern and domain constraint
    is non-negative at every vertex and ray of ``Q`` (so ``Q ⊆ P_J``), and every
    listed inequality is non-negative at every generator of ``P_J`` (exact
    double description, so ``P_J ⊆ Q``).
(c) patterns are distinct, and the exact volumes (recomputed here) match the
    stated ones and sum to the domain's volume; for an unbounded domain, the
    regions clipped to a box that contains every vertex of the arrangement of
    all their facet hyperplanes sum to the clipped domain's volume.
(d) the count is the number of regions and at most the proven maximum, which
    the certificate states exactly, with its exactness.

A certificate holds exactly the fields its writer writes, at the top, in each
region and in the domain (whose ``dim`` and ``input_dim`` must agree with its
other fields and the network): a missing or unknown one is malformed, since a
claim no check reads would pass unverified.

Why this proves the count is explained in ``docs/certificates.md``.

Numbers of any length are read and written by the verifiers' own code
(:mod:`polyregions.certify.parsing`), not by :mod:`polyregions.numbers`: the
writer of a certificate uses that, and a verifier sharing the writer's digit
codec would not notice a codec bug that garbles digits symmetrically.
"""

import json
import math
import os
import time
from collections.abc import Callable
from fractions import Fraction
from typing import Any

import cdd.gmp as _cdd

from ..bounds import layers_max_regions
from ..errors import CertificateError
from .parsing import (
    SAFE_INT,
    as_list,
    digits,
    fmt,
    integer,
    integer_row,
    lcm_den,
    load_json,
    number,
    parse_network,
    primitive_row,
    require_keys,
    row_dot,
    show,
    vector,
)

__all__ = ["VerificationReport", "verify_certificate"]

CERTIFICATE_V1 = "polyregions/certificate-v1"
_MACHINE_INT = 2 ** 62
# Exactly the fields the writer writes (polyregions.certify.certificate): a field missing, or one
# no check reads, would be a claim that goes unchecked.
_CERTIFICATE_KEYS = ("format", "network", "domain", "regions", "count", "max_regions_bound",
                     "max_regions_bound_is_exact")
_REGION_KEYS = ("pattern", "inequalities", "interior_point", "volume")


class VerificationReport:
    """The outcome of :func:`verify_certificate`.

    Attributes
    ----------
    ok : bool
        True when every check holds: the certificate proves its count.
    failure : str or None
        The first failed check, one line naming the region and the check.
    summary : dict
        ``count``, ``dim``, ``domain``, ``checks`` (how many of each check were
        made), ``domain_volume``, ``max_regions_bound`` and ``seconds``.

    Examples
    --------
    >>> from polyregions import Box, Network, ReluLayer, certificate_dict, enumerate_regions
    >>> net = Network(2, [ReluLayer([[1, 0], [0, 1]], [0, 0])])
    >>> report = verify_certificate(certificate_dict(enumerate_regions(net, Box.cube(2, -1, 1))))
    >>> report.ok, report.failure, report.summary["count"]
    (True, None, 4)
    """

    __slots__ = ("ok", "failure", "summary")
    ok: bool
    failure: str | None
    summary: dict[str, Any]

    def __init__(self, failure: str | None, summary: dict[str, Any]) -> None:
        object.__setattr__(self, "ok", failure is None)
        object.__setattr__(self, "failure", failure)
        object.__setattr__(self, "summary", summary)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("VerificationReport is immutable")

    def __bool__(self) -> bool:
        return self.ok

    def __repr__(self) -> str:
        state = "ok" if self.ok else f"failed: {self.failure}"
        return f"VerificationReport({self.summary.get('count')} regions, {state})"


class _Failure(Exception):
    """A check failed; the message names the region and the check."""


def verify_certificate(certificate: str | os.PathLike[str] | dict[str, Any],
                       progress: Callable[[int, int], object] | None = None) -> VerificationReport:
    """Check a certificate independently of the engine.

    Parameters
    ----------
    certificate : str, path-like or dict
        A certificate file, or the certificate as a dict.
    progress : callable, optional
        Called with ``(regions checked, regions listed)`` after each region.

    Returns
    -------
    VerificationReport
        ``ok`` is False, with the first failure, when a check fails.

    Raises
    ------
    CertificateError
        When the file is missing, not JSON, of another format, or malformed
        (missing or unknown keys, numbers that are not numbers, rows of the
        wrong length, a domain whose ``dim`` or ``input_dim`` disagrees).

    Examples
    --------
    >>> from polyregions import Network, ReluLayer, Box, enumerate_regions
    >>> from polyregions.certify.certificate import certificate_dict
    >>> cert = certificate_dict(enumerate_regions(Network(1, [ReluLayer([[1]], [0])]),
    ...                                          Box([-1], [1])))
    >>> verify_certificate(cert).ok
    True
    >>> cert["regions"][0]["volume"] = "2"
    >>> verify_certificate(cert).failure
    'region 0: volume: stated 2 but the listed polytope has volume 1'

    Notes
    -----
    For ``N`` regions with ``m`` facets in a domain of dimension ``d`` it
    makes about ``N`` to ``3 N`` vertex enumerations (of ``Q`` and of ``P_J``
    or its relaxation), ``N m`` implication checks at their generators and ``N``
    volume computations, plus the network's layer maps along each pattern
    (shared by patterns with a common prefix).
    """
    start = time.perf_counter()
    cert = _load(certificate)
    checker = _CertificateChecker(cert, progress)
    try:
        checker.run()
        failure = None
    except _Failure as err:
        failure = str(err)
    summary = checker.summary()
    summary["seconds"] = round(time.perf_counter() - start, 6)
    return VerificationReport(failure, summary)


# ------------------------------------------------------------------ reading


def _load(certificate):
    data = load_json(certificate, "certificate")
    kind = data.get("format")
    if kind != CERTIFICATE_V1:
        raise CertificateError(f"unknown certificate format {show(kind)}, expected {CERTIFICATE_V1!r}")
    require_keys(data, _CERTIFICATE_KEYS, "the certificate")
    return data


def _parse_domain(spec, n0):
    """Return ``(dim, rows, input_rows, input_den)`` of the domain.

    `rows` are primitive integer rows ``(b, a)`` meaning ``b + a . s >= 0`` in
    domain coordinates; input ``i`` at domain point ``s`` is
    ``input_rows[i] . (1, s) / input_den``.
    """
    if not isinstance(spec, dict):
        raise CertificateError("the certificate's domain must be an object")
    kind = spec.get("kind")
    if not isinstance(kind, str) or kind not in _DOMAIN_READERS:  # a JSON list is unhashable
        raise CertificateError(f"unknown domain kind {show(kind)}")
    reader, fields = _DOMAIN_READERS[kind]
    where = f"the {kind} domain"
    require_keys(spec, ("kind", "dim", "input_dim") + fields, where)
    dim, rows, affine = reader(spec, n0)
    if dim < 1:
        raise CertificateError(f"the domain dimension must be positive, got {dim}")
    if affine is None:  # domain coordinates are the network's inputs
        if dim != n0:
            raise CertificateError(f"the {kind} domain is in R^{dim} but the network takes {n0} inputs")
        affine = ((Fraction(0),) * n0,
                  tuple(tuple(Fraction(int(i == j)) for i in range(n0)) for j in range(n0)))
    _require_integer(spec["dim"], dim, f"{where}'s dim")
    _require_integer(spec["input_dim"], n0, f"{where}'s input_dim")
    offset, dirs = affine
    input_rows = [[offset[i]] + [d[i] for d in dirs] for i in range(n0)]
    den = lcm_den([v for row in input_rows for v in row])
    return dim, rows, [tuple(int(v * den) for v in row) for row in input_rows], den


def _require_integer(value, expected, what):
    # A JSON integer only: "2", 2.0 and true are not what the writer writes.
    if isinstance(value, bool) or not isinstance(value, int) or value != expected:
        raise CertificateError(f"{what} must be {expected}, got {show(value)}")


def _box_rows(lower, upper):
    rows = []
    for i, (lo, hi) in enumerate(zip(lower, upper)):
        unit = [0] * len(lower)
        unit[i] = 1
        rows.append(integer_row([-lo] + [Fraction(u) for u in unit]))
        rows.append(integer_row([hi] + [Fraction(-u) for u in unit]))
    return rows


# Each reader returns (dim, rows, affine): affine is (offset, directions) of the map from domain
# coordinates to inputs, None when they are the inputs themselves.

def _read_box(spec, n0):
    lower = vector(spec.get("lower"), "domain lower corner")
    upper = vector(spec.get("upper"), "domain upper corner", len(lower))
    return len(lower), _box_rows(lower, upper), None


def _read_polytope(spec, n0):
    ineqs = as_list(spec.get("inequalities"), "domain inequalities")
    if not ineqs:
        raise CertificateError("a polytope domain needs inequalities")
    dim = len(as_list(ineqs[0], "domain inequality 0")) - 1
    return dim, [integer_row(vector(r, f"domain inequality {i}", dim + 1))
                 for i, r in enumerate(ineqs)], None


def _read_whole_space(spec, n0):
    dim = spec.get("dim")
    if isinstance(dim, bool) or not isinstance(dim, int):
        raise CertificateError(f"the whole space needs an integer dim, got {show(dim)}")
    return dim, [], None


def _read_slice(spec, n0):
    points = as_list(spec.get("points"), "slice points", 3)
    p1, p2, p3 = (vector(p, f"slice point P{i + 1}", n0) for i, p in enumerate(points))
    lower = vector(spec.get("lower"), "slice lower corner", 2)
    upper = vector(spec.get("upper"), "slice upper corner", 2)
    dirs = (tuple(a - b for a, b in zip(p2, p1)), tuple(a - b for a, b in zip(p3, p1)))
    return 2, _box_rows(lower, upper), (p1, dirs)


# Per kind its reader and its fields besides kind, dim and input_dim (Domain.to_spec()).
_DOMAIN_READERS = {"box": (_read_box, ("lower", "upper")),
                   "polytope": (_read_polytope, ("inequalities",)),
                   "whole_space": (_read_whole_space, ()),
                   "slice": (_read_slice, ("points", "lower", "upper"))}


# ------------------------------------------------------------------ cddlib at any size
#
# pycddlib hands a number beyond a machine integer to GMP as text made by
# Python (``f"{numerator}/{denominator}"``), and reads one back through
# ``Fraction(text)``: both stop at Python's digit limit. Long numbers go in as
# values that write their own digits, and come back through cddlib's own text.


class _CddInt(int):
    """An integer that formats itself at any length (and is its own numerator)."""

    __slots__ = ()

    def __str__(self):
        return digits(int(self))

    def __format__(self, spec):
        return str(self) if not spec else format(int(self), spec)

    @property
    def numerator(self):
        return self

    @property
    def denominator(self):
        return 1


class _CddFraction(Fraction):
    """A rational whose numerator and denominator format themselves at any length."""

    __slots__ = ()

    def __str__(self):
        return fmt(self)

    @property
    def numerator(self):
        return _CddInt(self._numerator)

    @property
    def denominator(self):
        return _CddInt(self._denominator)


def _to_cdd(value):
    if isinstance(value, int):
        return value if -SAFE_INT < value < SAFE_INT else _CddInt(value)
    if -SAFE_INT < value.numerator < SAFE_INT and value.denominator < SAFE_INT:
        return value
    return _CddFraction(value.numerator, value.denominator)


def _cdd_matrix(rows, rep_type):
    return _cdd.matrix_from_array([[_to_cdd(v) for v in r] for r in rows], rep_type=rep_type)


def _cdd_array(matrix):
    """The rows of a cddlib matrix as Fractions, however long their numbers."""
    try:
        return matrix.array
    except ValueError:  # beyond the digit limit: read cddlib's text (rows between begin/end)
        lines = [line.strip() for line in str(matrix).splitlines()]
        body = lines[lines.index("begin") + 2:lines.index("end")]
        return [[_rational(v) for v in line.split()] for line in body]


def _rational(text):
    """A number ``p`` or ``p/q`` as cddlib writes it."""
    num, _, den = text.partition("/")
    return Fraction(integer(num), integer(den) if den else 1)


# ------------------------------------------------------------------ geometry


def _generators(rows, dim):
    """Points, rays and lines of ``{x : r . (1, x) >= 0}`` as homogeneous integer rows."""
    # Own copy on purpose: the verifier shares no code with the engine it checks (module docstring).
    matrix = _cdd_matrix(list(rows) + [[1] + [0] * dim], _cdd.RepType.INEQUALITY)
    gens = _cdd.copy_generators(_cdd.polyhedron_from_matrix(matrix))
    points, rays, lines = [], [], []
    for i, g in enumerate(_cdd_array(gens)):
        row = integer_row([Fraction(v) for v in g])
        if i in gens.lin_set:
            lines.append(row)
        elif g[0] != 0:
            points.append(row)
        else:
            rays.append(row)
    return points, rays, lines


def _holds_on(row, generators):
    """Whether ``row . (1, x) >= 0`` on the polyhedron of these generators (``_generators``'s).

    By Minkowski-Weyl the polyhedron is conv(points) + cone(rays) + span(lines): the
    row holds on it iff it is >= 0 at every point and along every ray and 0 along
    every line. The generators are exact (cddlib's GMP double description), so is
    the answer; no LP is solved (cddlib's exact LP aborted the process on rows of 40-
    and 81-digit entries).
    """
    points, rays, lines = generators
    return (all(row_dot(row, g) >= 0 for g in points) and all(row_dot(row, g) >= 0 for g in rays)
            and all(row_dot(row, g) == 0 for g in lines))


def _volume(points, dim):
    """Exact volume of the convex hull of `points` (tuples of Fractions) in R^dim.

    Cone decomposition from the centroid ``c``: ``vol P = (1/d) sum_F h_F vol(F)``
    with ``h_F`` the distance from ``c`` to the facet ``F``. Writing ``F`` as
    ``b + a . x = 0`` and projecting it along a coordinate ``i`` with
    ``a_i != 0`` gives ``h_F vol(F) = (b + a . c) / |a_i| * vol(proj_i F)``:
    rational, so the recursion down to lengths in 1-D stays exact. The facets
    come from cddlib's convex hull (V to H).
    """
    points = list(set(points))
    if len(points) <= dim:
        return Fraction(0)
    if dim == 1:
        xs = [p[0] for p in points]
        return max(xs) - min(xs)
    matrix = _cdd_matrix([[1, *p] for p in points], _cdd.RepType.GENERATOR)
    hull = _cdd.copy_inequalities(_cdd.polyhedron_from_matrix(matrix))
    if hull.lin_set:  # an equality: the points span less than R^dim
        return Fraction(0)
    centre = [sum(p[i] for p in points) / len(points) for i in range(dim)]
    total = Fraction(0)
    for row in _cdd_array(hull):
        b, a = Fraction(row[0]), [Fraction(v) for v in row[1:]]
        axis = next((i for i, v in enumerate(a) if v != 0), None)
        if axis is None:
            continue
        tight = [p[:axis] + p[axis + 1:] for p in points if b + row_dot(a, p) == 0]
        total += (b + row_dot(a, centre)) / abs(a[axis]) * _volume(tight, dim - 1)
    return total / dim


def _point_tuples(points):
    return [tuple(Fraction(c, p[0]) for c in p[1:]) for p in points]



def _pattern_key(pattern):
    """A key telling patterns apart, or None for one holding an integer too long to be a piece."""
    try:
        return json.dumps(pattern)
    except ValueError:  # such a pattern fails its own check (no such piece) right after
        return None


# ------------------------------------------------------------------ the checks


class _CertificateChecker:
    def __init__(self, cert, progress):
        self.cert, self.progress = cert, progress
        self.n0, self.layers, self.kinds = parse_network(cert["network"])
        self.dim, self.domain_rows, input_rows, input_den = _parse_domain(cert["domain"], self.n0)
        self.regions = as_list(cert["regions"], "the certificate's regions")
        self.count = cert["count"]
        self.stated_bound = number(cert["max_regions_bound"], "max_regions_bound")
        self.stated_exact = cert["max_regions_bound_is_exact"]
        if not isinstance(self.stated_exact, bool):
            raise CertificateError(f"max_regions_bound_is_exact must be true or false, "
                                   f"got {show(self.stated_exact)}")
        self.checks = dict.fromkeys(
            ("interior_points", "strict_margins", "constraints_on_generators", "implied_inequalities",
             "volumes"), 0)
        self.domain_volume = None
        self.bound = None
        self._maps = {(): (input_rows, input_den)}
        self._pieces = {}
        self._parsed = [self._parse_region(i, r) for i, r in enumerate(self.regions)]

    def _parse_region(self, i, region):
        where = f"region {i}"
        if not isinstance(region, dict):
            raise CertificateError(f"{where} must be an object")
        require_keys(region, _REGION_KEYS, where)
        rows = [integer_row(vector(r, f"{where} inequality {k}", self.dim + 1))
                for k, r in enumerate(as_list(region["inequalities"], f"{where} inequalities"))]
        point = vector(region["interior_point"], f"{where} interior point", self.dim)
        q = lcm_den(point)
        homogeneous = (q,) + tuple(int(v * q) for v in point)
        volume = region["volume"]
        volume = None if volume is None else number(volume, f"{where} volume")
        pattern = region["pattern"]
        return rows, homogeneous, volume, pattern

    # -- the network along a pattern

    def _layer_input(self, level, pattern):
        """Integer rows and denominator of layer `level`'s input along `pattern`."""
        key = tuple(tuple(p) for p in pattern[:level])
        if key not in self._maps:
            rows, den = self._layer_input(level - 1, pattern)
            has_pattern, scale, units = self.layers[level - 1]
            choice = pattern[level - 1] if has_pattern else [0] * len(units)
            out = [self._piece(units[u][k], rows, den) for u, k in enumerate(choice)]
            out_den = den * scale
            g = math.gcd(out_den, *[v for r in out for v in r])
            self._maps[key] = ([tuple(v // g for v in r) for r in out], out_den // g)
        return self._maps[key]

    def _layer_pieces(self, level, pattern):
        """Every piece of layer `level` as an integer row over the domain coordinates."""
        key = tuple(tuple(p) for p in pattern[:level])
        if key not in self._pieces:
            rows, den = self._layer_input(level, pattern)
            units = self.layers[level][2]
            self._pieces[key] = [[self._piece(p, rows, den) for p in unit] for unit in units]
        return self._pieces[key]

    @staticmethod
    def _piece(piece, rows, den):
        """The piece as an integer row over the domain coordinates, scaled by ``den * scale``."""
        width = len(rows[0])
        out = [piece[0] * den] + [0] * (width - 1)
        for w, row in zip(piece[1:], rows):
            if w:
                for c in range(width):
                    out[c] += w * row[c]
        return tuple(out)

    def _pattern_constraints(self, i, pattern, point):
        """Check (a)'s strict margins; return the pattern's constraint rows."""
        if not isinstance(pattern, list) or len(pattern) != len(self.layers):
            raise _Failure(f"region {i}: pattern: expected one entry per layer "
                           f"({len(self.layers)}), got {show(pattern)}")
        constraints = set()
        for level, (has_pattern, _, units) in enumerate(self.layers):
            choice = pattern[level]
            expected = len(units) if has_pattern else 0
            if not isinstance(choice, list) or len(choice) != expected:
                raise _Failure(f"region {i}: pattern: layer {level} needs {expected} entries, "
                               f"got {show(choice)}")
            if not has_pattern:
                continue
            for u, k in enumerate(choice):
                if isinstance(k, bool) or not isinstance(k, int) or not 0 <= k < len(units[u]):
                    raise _Failure(f"region {i}: pattern: layer {level} unit {u} has no piece {show(k)}")
            layer_pieces = self._layer_pieces(level, pattern)
            for u, k in enumerate(choice):
                values = layer_pieces[u]
                win = values[k]
                for j, other in enumerate(values):
                    if j == k:
                        continue
                    diff = tuple(a - b for a, b in zip(win, other))
                    if not any(diff):
                        if j < k:
                            raise _Failure(
                                f"region {i}: pattern: layer {level} unit {u}: piece {k} is the "
                                f"same function as piece {j}, which has the lower index and wins")
                        continue
                    self.checks["strict_margins"] += 1
                    if row_dot(diff, point) <= 0:
                        raise _Failure(
                            f"region {i}: pattern: at the interior point, layer {level} unit {u}'s "
                            f"piece {k} is not strictly above piece {j}")
                    constraints.add(primitive_row(diff))
        return constraints

    # -- one region

    def _check_region(self, i, rows, point, volume, pattern):
        self.checks["interior_points"] += 1
        for k, r in enumerate(rows):
            if row_dot(r, point) <= 0:
                raise _Failure(f"region {i}: interior point: not strictly inside inequality {k}")
        for r in self.domain_rows:
            if row_dot(r, point) <= 0:
                raise _Failure(f"region {i}: interior point: not strictly inside the domain")
        constraints = self._pattern_constraints(i, pattern, point) | set(self.domain_rows)
        points, rays, lines = _generators(rows, self.dim)
        self.checks["constraints_on_generators"] += len(constraints)
        relaxed = []  # the constraints tight at a vertex: they include Q's facets
        for c in constraints:  # Q ⊆ P_J
            at_points = [row_dot(c, g) for g in points]
            if (min(at_points) < 0 or any(row_dot(c, g) < 0 for g in rays)
                    or any(row_dot(c, g) != 0 for g in lines)):
                raise _Failure(
                    f"region {i}: H-representation: a pattern or domain constraint fails on the "
                    f"listed polytope (an inequality is missing or too loose)")
            if lines or 0 in at_points:
                relaxed.append(c)
        self._check_implied(i, rows, relaxed, constraints)
        bounded = not rays and not lines
        actual = _volume(_point_tuples(points), self.dim) if bounded else None
        self.checks["volumes"] += 1
        if volume != actual:
            stated = "null" if volume is None else show(volume)
            real = "unbounded" if actual is None else f"volume {show(actual)}"
            raise _Failure(f"region {i}: volume: stated {stated} but the listed polytope has {real}")
        return actual

    def _check_implied(self, i, rows, relaxed, constraints):
        """P_J ⊆ Q: every listed inequality of region `i` holds at the generators of a relaxation
        of P_J (the constraints tight somewhere on Q), or failing that at those of P_J itself."""
        relaxed_generators = full_generators = None
        for k, r in enumerate(rows):
            self.checks["implied_inequalities"] += 1
            if relaxed_generators is None:
                relaxed_generators = _generators(relaxed, self.dim)
            if _holds_on(r, relaxed_generators):
                continue
            if len(relaxed) < len(constraints):
                if full_generators is None:
                    full_generators = _generators(list(constraints), self.dim)
                if _holds_on(r, full_generators):
                    continue
            raise _Failure(
                f"region {i}: H-representation: inequality {k} is not implied by the pattern "
                f"and the domain (it cuts off part of the region)")

    # -- everything

    def run(self):
        seen, total = {}, Fraction(0)
        for i, (rows, point, volume, pattern) in enumerate(self._parsed):
            key = _pattern_key(pattern)
            if key is not None and key in seen:
                raise _Failure(f"region {i}: distinct patterns: same pattern as region {seen[key]}")
            seen[key] = i
            actual = self._check_region(i, rows, point, volume, pattern)
            if self.progress is not None:
                self.progress(i + 1, len(self._parsed))
            if actual is not None:  # unbounded regions occur only in unbounded domains
                total += actual
        if isinstance(self.count, bool) or self.count != len(self._parsed):
            raise _Failure(f"count: the certificate claims {show(self.count)} regions "
                           f"but lists {len(self._parsed)}")
        points, rays, lines = _generators(self.domain_rows, self.dim)
        if not rays and not lines:
            self.domain_volume = _volume(_point_tuples(points), self.dim)
            if total != self.domain_volume:
                raise _Failure(f"coverage: the regions' volumes sum to {show(total)} but the "
                               f"domain's volume is {show(self.domain_volume)}")
        else:
            self._check_unbounded_coverage()
        self._check_bound()

    def _check_unbounded_coverage(self):
        """Cover a box holding every vertex of the facet arrangement, hence the domain."""
        # Every vertex of the arrangement of all facet, domain and coordinate
        # hyperplanes solves n of their integer equations: by Cramer's rule and
        # Hadamard's inequality each coordinate is at most M^n in absolute value.
        all_rows = [r for rows, *_ in self._parsed for r in rows] + list(self.domain_rows)
        norm = max([row_dot(r, r) for r in all_rows] + [1])
        radius = (math.isqrt(norm) + 1) ** self.dim + 1
        box = []
        for j in range(self.dim):
            unit = [0] * self.dim
            unit[j] = 1
            box.append((radius, *[-u for u in unit]))
            box.append((radius, *unit))
        total = Fraction(0)
        for i, (rows, *_) in enumerate(self._parsed):
            points, _, _ = _generators(list(rows) + box, self.dim)
            total += _volume(_point_tuples(points), self.dim)
        points, _, _ = _generators(list(self.domain_rows) + box, self.dim)
        self.domain_volume = _volume(_point_tuples(points), self.dim)
        if total != self.domain_volume:
            raise _Failure(
                f"coverage: in the box [-{show(radius)}, {show(radius)}]^{self.dim}, which holds "
                f"every vertex of the facet arrangement, the regions' volumes sum to less than the "
                f"domain's")

    def _check_bound(self):
        stated = self.stated_bound
        proven, exact = self._proven_bound()
        if proven != stated:
            raise _Failure(f"bound: the certificate states a maximum of {show(stated)} but the "
                           f"theorem gives {show(proven)} for this architecture")
        if exact != self.stated_exact:
            words = {True: "exact", False: "an upper bound only"}
            raise _Failure(f"bound: the certificate states that the maximum {show(stated)} is "
                           f"{words[self.stated_exact]} but the theorem gives it as "
                           f"{words[exact]} for this architecture")
        self.bound = stated
        if len(self._parsed) > stated:
            raise _Failure(f"bound: {len(self._parsed)} regions exceed the proven maximum "
                           f"{show(stated)}")

    def _proven_bound(self):
        shapes = [(kind, [len(unit) for unit in units])
                  for kind, (_, _, units) in zip(self.kinds, self.layers)]
        bound, exact = layers_max_regions(self.n0, shapes)
        return int(bound), bool(exact)

    def summary(self):
        return {
            "count": len(self.regions) if isinstance(self.regions, list) else None,
            "dim": self.dim,
            "domain": self.cert["domain"].get("kind"),
            "checks": dict(self.checks),
            "domain_volume": None if self.domain_volume is None else fmt(self.domain_volume),
            "max_regions_bound": None if self.bound is None else fmt(self.bound),
        }
