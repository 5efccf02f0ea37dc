"""Decision-boundary oracle: exact pieces per activation region, and a deduplicated total.

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
impossible (``k < j``).  The strict/non-strict distinction of the tie rule
does not matter for the *closed* region: the region has non-empty interior,
so its closure is the set where all rows hold non-strictly.

Pieces per region (the seed paper's count, with exact tie handling)
-------------------------------------------------------------------
1. Outputs that are the identical affine function on ``R`` are merged; the
   lowest index is the representative.  Pairs are only formed between
   representatives (so ``y_0 == y_1`` everywhere gives no piece (0, 1)).
2. A pair ``(i, j)``, ``i < j``, of representatives is a piece in ``R`` iff
   ``T = {x in R : y_i(x) = y_j(x) >= y_k(x) for every other representative k}``
   is ``(n0-1)``-dimensional.  If ``y_i - y_j`` is a non-zero constant there is
   no tie at all.  Otherwise ``H = {y_i = y_j}`` is a hyperplane; we substitute
   one coordinate (the first with a non-zero coefficient in ``y_i - y_j``) to
   parametrise ``H`` by ``n0-1`` free coordinates, restrict every row of the
   system (region rows and ``y_i - y_k >= 0`` for the other representatives)
   to ``H``, and then:

   * a restricted row that is identically ``0`` on ``H`` (its hyperplane
     coincides with ``H``) is dropped -- it holds with equality on all of
     ``H``; if it is a *region* row the piece lies on a facet of ``R`` (a
     "facet piece"; this includes facets on the domain boundary);
   * a restricted row that is a positive constant is dropped (always strict);
   * a restricted row that is a negative constant makes the piece impossible;
   * the remaining rows are given to an exact cddlib GMP LP
     ``max t  s.t.  row(x) >= t  for every kept row,  t <= 1`` over ``H``;
     the piece exists iff the optimum is ``> 0`` (for ``n0 = 1``, ``H`` is a
     point and everything is decided symbolically).

   This is exactly "relative interior of T in H is non-empty".  Note that with
   the literal definition, three outputs that coincide on all of ``H`` give
   all three pairs as pieces.

Counting each piece once (:func:`boundary_piece_count`)
-------------------------------------------------------
A piece that is not a facet piece lies (relatively) inside ``R`` and belongs to
that region only: it counts 1.  A facet piece ``P(R, p)`` of pair ``p`` may be
seen again, from the other side of the facet, as a facet piece ``P(R', p)`` of
the *same class pair* in a neighbouring region ``R'``.  Two pieces
*overlap* when ``P(R, p)`` and ``P(R', p)`` meet in an ``(n0-1)``-dimensional
set; decided exactly: ``y_i - y_j`` of ``R'`` must vanish identically on the
hyperplane ``H`` of ``P(R, p)`` (same tie hyperplane), and the union of both
pieces' systems, restricted to ``H`` with the rules above, must be strictly
feasible (two convex ``(n0-1)``-dimensional sets in ``H`` meet
``(n0-1)``-dimensionally iff their relative interiors meet).

Convention: **a facet piece ``(R, p)`` is counted iff no region ``R'`` whose
pattern is smaller than ``R``'s in Python tuple order has a facet piece
``(R', p)`` overlapping it.**  For a facet shared by exactly two regions that
both see the same tie (the generic degenerate case) the piece is counted once,
in the region with the smaller pattern.  A facet piece on the domain boundary
overlaps nothing (regions have disjoint interiors) and counts 1.  When a
facet of ``R`` is subdivided differently on the two sides (a T-junction),
pairwise overlaps no longer form matched pairs and the total then depends on
the pattern order; this convention is deterministic but not claimed to be
geometric in that case.
"""

from fractions import Fraction

from tests.oracles.brute_force import _affine_of_x, _units_of_layer, realized_patterns

from .lp import strictly_feasible

__all__ = [
    "region_system",
    "decision_boundary_pieces",
    "decision_boundary_piece_details",
    "counted_boundary_pieces",
    "boundary_piece_count",
]


# ---------------------------------------------------------------------------
# exact linear algebra helpers


def _is_zero(coeffs):
    return all(v == 0 for v in coeffs)


def _sub(f, g):
    """Difference of two affine functions ``(const, coeffs)``."""
    return f[0] - g[0], tuple(p - q for p, q in zip(f[1], g[1], strict=True))


def _restrict(row, tie):
    """Restrict the affine function ``row`` to the hyperplane ``{tie = 0}``.

    ``tie = (c, g)`` with ``g != 0``; with ``p`` the first index where
    ``g_p != 0`` we substitute ``x_p = -(c + sum_{q != p} g_q x_q) / g_p``.
    Returns ``(const, coeffs)`` in the ``n0 - 1`` free coordinates
    ``(x_q)_{q != p}``.
    """
    c, g = tie
    p = next(q for q, v in enumerate(g) if v != 0)
    b, a = row
    f = a[p] / g[p]
    const = b - f * c
    coeffs = tuple(a[q] - f * g[q] for q in range(len(a)) if q != p)
    return const, coeffs


def _restricted_system(rows, tie):
    """Restrict ``rows`` to ``{tie = 0}`` with the exact coincidence rules.

    Returns ``None`` if some row is a negative constant on the hyperplane
    (identically violated), else ``(kept, dropped_indices)`` where ``kept``
    are the non-constant restricted rows and ``dropped_indices`` the indices
    of rows identically ``0`` on the hyperplane.  Positive constants are
    dropped silently (they hold strictly everywhere on the hyperplane).
    """
    kept, dropped = [], []
    for idx, row in enumerate(rows):
        const, coeffs = _restrict(row, tie)
        if _is_zero(coeffs):
            if const < 0:
                return None
            if const == 0:
                dropped.append(idx)
            continue
        kept.append((const, coeffs))
    return kept, dropped


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


def _representatives(outputs):
    """Indices of the first occurrence of each distinct affine output."""
    reps, seen = [], set()
    for idx, f in enumerate(outputs):
        if f not in seen:
            seen.add(f)
            reps.append(idx)
    return reps


# ---------------------------------------------------------------------------
# pieces


def _pieces_of_region(rows, outputs, n0):
    """``{pair: info}`` for the pieces of one region.

    ``info`` holds ``tie`` (``y_i - y_j``), ``rows`` (the full system in
    ``x``: region rows, then ``y_i - y_k`` rows) and ``facet`` (True iff some
    region row coincides with the tie hyperplane).
    """
    reps = _representatives(outputs)
    out = {}
    for a_pos, i in enumerate(reps):
        for j in reps[a_pos + 1 :]:
            tie = _sub(outputs[i], outputs[j])
            if _is_zero(tie[1]):
                continue  # non-zero constant difference: never tied
            others = [_sub(outputs[i], outputs[k]) for k in reps if k not in (i, j)]
            system = rows + others
            restricted = _restricted_system(system, tie)
            if restricted is None:
                continue
            kept, dropped = restricted
            if not strictly_feasible(kept, n0 - 1):
                continue
            out[(i, j)] = {
                "tie": tie,
                "rows": system,
                "facet": any(idx < len(rows) for idx in dropped),
            }
    return out


def decision_boundary_piece_details(layers, input_dim, domain_rows=None):
    """``{pattern: {pair: info}}`` for every realized pattern (see :func:`_pieces_of_region`)."""
    _check_classifier(layers)
    n0 = int(input_dim)
    details = {}
    for pattern in sorted(realized_patterns(layers, n0, domain_rows)):
        system = region_system(layers, n0, pattern, domain_rows)
        if system is None:  # cannot happen for a realized pattern
            raise AssertionError(f"realized pattern {pattern} has no region system")
        rows, outputs = system
        details[pattern] = _pieces_of_region(rows, outputs, n0)
    return details


def decision_boundary_pieces(layers, input_dim, domain_rows=None):
    """Decision-boundary pieces per activation region.

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
    dict
        ``{pattern: set of (i, j)}`` for every realized pattern (regions
        without pieces map to the empty set); classes are 0-based, ``i < j``.
        The seed paper's count is ``sum(len(s) for s in result.values())``.
    """
    details = decision_boundary_piece_details(layers, input_dim, domain_rows)
    return {pattern: set(pairs) for pattern, pairs in details.items()}


def _overlap(info_a, info_b, n0):
    """Do two facet pieces of the same class pair meet ``(n0-1)``-dimensionally?"""
    tie = info_a["tie"]
    const, coeffs = _restrict(info_b["tie"], tie)
    if const != 0 or not _is_zero(coeffs):
        return False  # different tie hyperplanes: at most (n0-2)-dimensional
    restricted = _restricted_system(info_a["rows"] + info_b["rows"], tie)
    if restricted is None:
        return False
    return strictly_feasible(restricted[0], n0 - 1)


def counted_boundary_pieces(layers, input_dim, domain_rows=None):
    """The set of ``(pattern, pair)`` that :func:`boundary_piece_count` counts.

    Every non-facet piece is counted.  A facet piece ``(R, p)`` is counted iff
    no region with a smaller pattern (Python tuple order) has a facet piece of
    the same pair ``p`` overlapping it ``(n0-1)``-dimensionally (module
    docstring).
    """
    n0 = int(input_dim)
    details = decision_boundary_piece_details(layers, n0, domain_rows)
    counted = set()
    facet_by_pair = {}
    for pattern in sorted(details):
        for pair, info in sorted(details[pattern].items()):
            if not info["facet"]:
                counted.add((pattern, pair))
                continue
            earlier = facet_by_pair.setdefault(pair, [])
            if not any(_overlap(info, other, n0) for other in earlier):
                counted.add((pattern, pair))
            earlier.append(info)
    return counted


def boundary_piece_count(layers, input_dim, domain_rows=None):
    """Total number of decision-boundary pieces, facet pieces shared by regions counted once.

    Same arguments as :func:`decision_boundary_pieces`; see
    :func:`counted_boundary_pieces` and the module docstring for the exact
    convention.
    """
    return len(counted_boundary_pieces(layers, input_dim, domain_rows))
