"""Decision-boundary oracle from the definition by class cells: exact LPs, no polyregions.

Setting
-------
The network's last layer is linear with ``m >= 2`` outputs ``y_0 .. y_{m-1}``
(the logits, 0-based class indices); the predicted class is the lowest-index
argmax.  On the closed activation region ``R`` of a realized pattern every
output is an affine function of the input ``x``.

``R`` is derived exactly as :mod:`tests.oracles.brute_force` derives it: the
domain rows (constant rows are decided symbolically, as there) plus, for every
unit with chosen piece ``j`` and every other piece ``k``, the row
``z_j - z_k >= 0`` -- except that a piece ``k`` *identical* to ``z_j`` (as an
affine function of ``x``) gives no row (``k > j``) or makes the pattern
impossible (``k < j``).  The region has non-empty interior, so its closure is
the set where all rows hold non-strictly.

Class cells (docs/theory.md, "Decision boundary")
--------------------------------------------------
``C_i ∩ R`` is the closure of ``{x in R : y_i > y_k (k < i), y_i >= y_k (k > i)}``
when that set has interior, and empty otherwise.  An output identical on ``R``
to a lower-index one can never be strictly above it: no cell.  For the other
outputs (the first of each group of identical ones, "representatives") the set
has interior iff the strict system ``R's rows > 0, y_i - y_k > 0`` for every
other representative ``k`` is feasible (a cddlib GMP LP), and its closure is
then the polyhedron ``P_i = {x in R : y_i >= y_k for every representative k}``.
The classes with a cell are the classes *predicted* in ``R``.

Pieces
------
* **Inside a region**: a pair ``(i, j)`` of predicted classes of ``R`` whose
  cells meet in an ``(n0-1)``-dimensional set.  ``P_i ∩ P_j`` lies in the
  hyperplane ``H = {y_i = y_j}``; it is ``(n0-1)``-dimensional iff the union of
  both cells' rows, restricted to ``H`` (one coordinate substituted), is
  strictly feasible in ``H`` after dropping the rows that vanish on ``H``.
* **Across a facet**: for two regions ``R``, ``R'`` (each unordered pair once)
  sharing an ``(n0-1)``-dimensional set ``R ∩ R'``, a predicted class ``i`` of
  ``R`` and a predicted class ``j != i`` of ``R'`` whose cells meet in an
  ``(n0-1)``-dimensional set: the class changes from ``i`` to ``j`` across the
  facet there.  ``R ∩ R'`` is convex and lies in the boundary of ``R``, so in
  a facet hyperplane of ``R``, which is one of ``R``'s rows: every row of
  ``R`` is tried as ``H`` (after a cheap exact filter: ``R'`` must lie on the
  other side of ``H`` and touch it), and the test is the same restricted
  strict LP on the rows of ``P_i`` and ``P'_j``.

Each piece is a convex ``(n0-1)``-polytope; its class pair is ``(min, max)``.
The oracle asserts that no two pieces on one hyperplane overlap
``(n0-1)``-dimensionally (every point of the boundary is measured once).

Measure: the exact ``(n0-1)``-volume of each piece (``n0 <= 3``), from its
restricted system: ``1`` for a point (``n0 = 1``), the length of an interval
(``n0 = 2``) or the area of a polygon (``n0 = 3``, cddlib vertices, exact
shoelace from :mod:`tests.oracles.euler`), times ``|g| / |g_p|`` for the
substituted coordinate ``p`` of the hyperplane ``c + g . x = 0``.

Maximal pieces: pieces of the same class pair on the same hyperplane are
joined when their closed intersection is ``(n0-2)``-dimensional (cddlib
vertices, exact rank); the maximal pieces are the connected components.
"""

from collections import namedtuple
from fractions import Fraction

import cdd
import cdd.gmp
import sympy

from tests.oracles.brute_force import _affine_of_x, _units_of_layer, realized_patterns

from .euler import polygon_area
from .lp import strictly_feasible

__all__ = ["region_system", "Piece", "BoundaryOracle", "boundary_oracle"]

Piece = namedtuple("Piece", "patterns classes hyperplane rows")
Piece.__doc__ = """One piece: ``patterns`` is ``(pattern,)`` inside a region or the sorted pair
of the two regions' patterns across a facet; ``hyperplane`` is ``(c, g)`` scaled so that the
first non-zero entry of ``g`` is 1; ``rows`` its restricted system (``b + a . t >= 0``)."""


# ---------------------------------------------------------------------------
# exact linear algebra helpers


def _is_zero(coeffs):
    return all(v == 0 for v in coeffs)


def _sub(f, g):
    """Difference of two affine functions ``(const, coeffs)``."""
    return f[0] - g[0], tuple(p - q for p, q in zip(f[1], g[1], strict=True))


def _lead(g):
    return next(q for q, v in enumerate(g) if v != 0)


def _normalized(tie):
    """The hyperplane ``{tie = 0}`` as a key: ``tie`` divided by its first non-zero coefficient."""
    c, g = tie
    s = g[_lead(g)]
    return c / s, tuple(v / s for v in g)


def _restrict(row, tie):
    """Restrict the affine function ``row`` to the hyperplane ``{tie = 0}``.

    ``tie = (c, g)`` with ``g != 0``; with ``p`` the first index where
    ``g_p != 0`` we substitute ``x_p = -(c + sum_{q != p} g_q x_q) / g_p``.
    Returns ``(const, coeffs)`` in the ``n0 - 1`` free coordinates
    ``(x_q)_{q != p}`` (the same for every scaling of ``tie``).
    """
    c, g = tie
    p = _lead(g)
    b, a = row
    f = a[p] / g[p]
    const = b - f * c
    coeffs = tuple(a[q] - f * g[q] for q in range(len(a)) if q != p)
    return const, coeffs


def _restricted_system(rows, tie):
    """``rows`` on ``{tie = 0}``: None if one is a negative constant there, else the others.

    Constant restricted rows are decided symbolically: ``0`` (the row vanishes
    on the hyperplane) and positive constants hold everywhere and are dropped.
    """
    kept = []
    for row in rows:
        const, coeffs = _restrict(row, tie)
        if _is_zero(coeffs):
            if const < 0:
                return None
            continue
        kept.append((const, coeffs))
    return kept


def _face(rows, tie, n0):
    """The restricted system of ``{rows >= 0} ∩ {tie = 0}`` if ``(n0-1)``-dimensional, else None."""
    kept = _restricted_system(rows, tie)
    if kept is None or not strictly_feasible(kept, n0 - 1):
        return None
    return kept


def _generators(rows, dim):
    """cddlib's exact generators of ``{b + a . z >= 0}``: (points, rays, lines) as Fractions."""
    array = [[b, *a] for b, a in rows] + [[Fraction(1)] + [Fraction(0)] * dim]
    mat = cdd.gmp.matrix_from_array(array, rep_type=cdd.RepType.INEQUALITY)
    gens = cdd.gmp.copy_generators(cdd.gmp.polyhedron_from_matrix(mat))
    points, rays, lines = [], [], []
    for idx, g in enumerate(gens.array):
        vec = tuple(Fraction(v) for v in g[1:])
        if idx in gens.lin_set:
            lines.append(vec)
        elif g[0] != 0:
            points.append(tuple(v / Fraction(g[0]) for v in vec))
        else:
            rays.append(vec)
    return points, rays, lines


def _rank(vectors):
    """Rank of a list of Fraction vectors (exact Gaussian elimination)."""
    rows, rank = [list(v) for v in vectors if any(v)], 0
    while rows:
        pivot = rows.pop()
        col = next(c for c, v in enumerate(pivot) if v != 0)
        rows = [[a - b * r[col] / pivot[col] for a, b in zip(r, pivot)] for r in rows]
        rows = [r for r in rows if any(r)]
        rank += 1
    return rank


def _dimension(rows, dim):
    """Dimension of ``{b + a . z >= 0}`` in ``R^dim`` (-1 when empty)."""
    if dim == 0:
        return 0 if all(b >= 0 for b, _ in rows) else -1
    points, rays, lines = _generators(rows, dim)
    if not points:
        return -1
    base = points[0]
    return _rank([tuple(a - b for a, b in zip(p, base)) for p in points[1:]] + rays + lines)


# ---------------------------------------------------------------------------
# region of one pattern


def _domain_base(domain_rows, n0):
    """Non-constant domain rows as Fractions, or ``None`` if the domain is empty."""
    base = []
    for b, a in domain_rows or []:
        b, a = Fraction(b), tuple(Fraction(v) for v in a)
        if len(a) != n0:
            raise ValueError("domain row has wrong dimension")
        if _is_zero(a):
            if b < 0:
                return None
            continue
        base.append((b, a))
    return base


def region_system(layers, input_dim, pattern, domain_rows=None):
    """Closed region of ``pattern`` and the network outputs on it.

    Parameters
    ----------
    layers : list of dict
        Layers in the :mod:`tests.oracles.brute_force` format; the last one
        must be ``linear``.
    input_dim : int
        ``n0``.
    pattern : tuple
        A pattern in the brute-force format.
    domain_rows : list of (Fraction, tuple of Fraction) or None
        ``b + a.x >= 0`` rows of the domain.

    Returns
    -------
    (list, list) or None
        ``(rows, outputs)``: ``rows`` are ``(b, a)`` with ``b + a.x >= 0``
        (domain rows first, then pattern rows in unit/piece order, exactly as
        brute force builds them) and ``outputs`` the network outputs as
        ``(const, coeffs)``.  ``None`` if the identical-pieces rule makes the
        pattern impossible or the domain is empty.
    """
    n0 = int(input_dim)
    base = _domain_base(domain_rows, n0)
    if base is None:
        return None
    if len(pattern) != len(layers):
        raise ValueError("pattern length does not match the number of layers")
    rows = list(base)
    ys = [(Fraction(0), tuple(Fraction(int(i == j)) for j in range(n0))) for i in range(n0)]
    for layer, choice in zip(layers, pattern, strict=True):
        units = _units_of_layer(layer)
        if units is None:
            if choice != ():
                raise ValueError("a linear layer has the pattern entry ()")
            ys = [_affine_of_x(w, b, ys, n0) for w, b in zip(layer["weights"], layer["biases"], strict=True)]
            continue
        if len(choice) != len(units):
            raise ValueError("pattern entry has the wrong number of units")
        new_ys = []
        for pieces, j in zip(units, choice, strict=True):
            funcs = [_affine_of_x(w, b, ys, n0) for w, b in pieces]
            for k, fk in enumerate(funcs):
                if k == j:
                    continue
                diff = _sub(funcs[j], fk)
                if diff[0] == 0 and _is_zero(diff[1]):
                    if k < j:
                        return None
                    continue
                rows.append(diff)
            new_ys.append(funcs[j])
        ys = new_ys
    return rows, ys


def _check_classifier(layers):
    if not layers or layers[-1]["type"] != "linear":
        raise ValueError("the last layer must be linear (the logits)")
    if len(layers[-1]["weights"]) < 2:
        raise ValueError("a classifier needs at least two outputs")


class _Region:
    """One region: its rows, outputs, generators, predicted classes and their cells."""

    def __init__(self, pattern, rows, outputs, n0):
        self.pattern, self.rows, self.outputs = pattern, rows, outputs
        reps, seen = [], set()
        for idx, f in enumerate(outputs):
            if f not in seen:  # later copies of an output can never be strictly above it
                seen.add(f)
                reps.append(idx)
        self.cells = {}
        for i in reps:
            cell = rows + [_sub(outputs[i], outputs[k]) for k in reps if k != i]
            if strictly_feasible(cell, n0):
                self.cells[i] = cell
        self.classes = tuple(sorted(self.cells))
        self.points, self.rays, self.lines = _generators(rows, n0)

    def hyperplanes(self, n0):
        """The distinct hyperplanes of rows tight at enough generators to hold a facet."""
        seen = {}
        for b, a in self.rows:
            if _is_zero(a):
                continue
            key = _normalized((b, a))
            tight = sum(b + _dot(a, p) == 0 for p in self.points) + sum(_dot(a, r) == 0 for r in self.rays)
            if self.lines or tight >= n0:
                seen.setdefault(key, (b, a))
        return list(seen.values())

    def beyond(self, row):
        """Whether the region lies in ``{row <= 0}`` and touches ``{row = 0}``."""
        b, a = row
        if any(_dot(a, d) != 0 for d in self.lines) or any(_dot(a, r) > 0 for r in self.rays):
            return False
        touches = False
        for p in self.points:
            value = b + _dot(a, p)
            if value > 0:
                return False
            touches = touches or value == 0
        return touches

    def may_meet(self, other):
        """False when the bounding boxes of two pointed regions' vertices are disjoint."""
        if self.rays or self.lines or other.rays or other.lines:
            return True
        return all(max(min(u), min(v)) <= min(max(u), max(v))
                   for u, v in zip(zip(*self.points), zip(*other.points)))


def _dot(a, x):
    return sum(p * q for p, q in zip(a, x, strict=True))


# ---------------------------------------------------------------------------
# the oracle


class BoundaryOracle:
    """The decision boundary by the definition (module docstring).

    Attributes
    ----------
    classes : dict
        ``{pattern: tuple of predicted classes}``.
    pieces : list of Piece
    """

    def __init__(self, n0, classes, pieces):
        self.n0, self.classes, self.pieces = n0, classes, pieces
        self._groups = {}
        for idx, p in enumerate(pieces):
            self._groups.setdefault((p.classes, p.hyperplane), []).append(idx)
        self._check_disjoint()

    def _meeting_dimension(self, p, q):
        return _dimension(p.rows + q.rows, self.n0 - 1)

    def _check_disjoint(self):
        on = {}
        for p in self.pieces:
            on.setdefault(p.hyperplane, []).append(p)
        for members in on.values():
            for a, p in enumerate(members):
                for q in members[a + 1:]:
                    if strictly_feasible(p.rows + q.rows, self.n0 - 1):
                        raise AssertionError(f"pieces {p} and {q} overlap")

    def keys(self):
        """The pieces as ``(patterns, classes)`` (a list, with repeats)."""
        return [(p.patterns, p.classes) for p in self.pieces]

    def measure(self):
        """The exact total ``(n0-1)``-measure (sympy), None if a piece is unbounded."""
        total = sympy.Integer(0)
        for p in self.pieces:
            m = _piece_measure(p, self.n0)
            if m is None:
                return None
            total += m
        return total

    def maximal_count(self):
        """The number of maximal pieces (connected components of the "continues" relation)."""
        parent = list(range(len(self.pieces)))

        def find(x):
            while parent[x] != x:
                x = parent[x]
            return x

        if self.n0 > 1:
            for members in self._groups.values():
                for a, m in enumerate(members):
                    for n in members[a + 1:]:
                        if self._meeting_dimension(self.pieces[m], self.pieces[n]) == self.n0 - 2:
                            parent[find(m)] = find(n)
        return len({find(x) for x in range(len(self.pieces))})


def _piece_measure(piece, n0):
    """Exact ``(n0-1)``-volume of one piece (``n0 <= 3``), None when unbounded."""
    if n0 == 1:
        return sympy.Integer(1)
    if n0 > 3:
        raise ValueError("the measure oracle handles n0 <= 3")
    points, rays, lines = _generators(piece.rows, n0 - 1)
    if rays or lines:
        return None
    if n0 == 2:
        ts = [p[0] for p in points]
        size = max(ts) - min(ts)
    else:
        size = polygon_area(points)
    _, g = piece.hyperplane  # scaled so that g_p = 1
    stretch = sum(v * v for v in g)
    return sympy.Rational(size) * sympy.sqrt(sympy.Rational(stretch))


def boundary_oracle(layers, input_dim, domain_rows=None):
    """The decision boundary of the network's classifier, by the definition.

    Parameters
    ----------
    layers : list of dict
        Brute-force layer format; the last layer is linear with ``m >= 2``
        outputs (logits).
    input_dim : int
        ``n0 >= 1``.
    domain_rows : list of (Fraction, tuple of Fraction) or None
        ``b + a.x >= 0`` rows; ``None`` is ``R^n0``.

    Returns
    -------
    BoundaryOracle
    """
    _check_classifier(layers)
    n0 = int(input_dim)
    regions = []
    for pattern in sorted(realized_patterns(layers, n0, domain_rows)):
        system = region_system(layers, n0, pattern, domain_rows)
        if system is None:  # cannot happen for a realized pattern
            raise AssertionError(f"realized pattern {pattern} has no region system")
        regions.append(_Region(pattern, *system, n0))
    pieces = []
    for region in regions:
        pieces += _inside(region, n0)
    for a, region in enumerate(regions):
        hyperplanes = region.hyperplanes(n0)
        for other in regions[a + 1:]:
            if not region.may_meet(other):
                continue
            for h in hyperplanes:
                if other.beyond(h) and _face(region.rows + other.rows, h, n0) is not None:
                    pieces += _across(region, other, h, n0)
                    break  # two convex regions share at most one facet hyperplane
    return BoundaryOracle(n0, {r.pattern: r.classes for r in regions}, pieces)


def _inside(region, n0):
    found = []
    classes = region.classes
    for a, i in enumerate(classes):
        for j in classes[a + 1:]:
            tie = _sub(region.outputs[i], region.outputs[j])
            if _is_zero(tie[1]):
                raise AssertionError("two predicted classes differ by a constant")
            rows = _face(region.cells[i] + region.cells[j], tie, n0)
            if rows is not None:
                found.append(Piece((region.pattern,), (i, j), _normalized(tie), rows))
    return found


def _across(region, other, h, n0):
    found = []
    for i in region.classes:
        for j in other.classes:
            if i == j:
                continue
            rows = _face(region.cells[i] + other.cells[j], h, n0)
            if rows is not None:
                found.append(Piece((region.pattern, other.pattern), (min(i, j), max(i, j)),
                                   _normalized(h), rows))
    return found
