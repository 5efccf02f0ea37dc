"""Brute-force oracle: enumerate candidate activation patterns and test each by LP.

For a fixed activation pattern ``J`` the network is an affine function of the
input ``x`` layer by layer, so the set of inputs whose (lowest-index
tie-broken) pattern is ``J`` is an intersection of half-spaces.  It is convex,
hence its closure is full-dimensional iff the set itself has non-empty
interior, iff the *strict* version of all its inequalities (together with the
domain rows) is feasible.  Strict feasibility is decided exactly with a cddlib
GMP linear program that maximises a common slack ``t <= 1``: the interior is
non-empty iff the optimum is ``> 0``.

Identical pieces are handled symbolically, never by the LP: if piece ``k`` and
the chosen piece ``j`` of a unit are the *same* affine function of ``x`` then
``k < j`` makes the pattern impossible (the lower index always wins the tie)
and ``k > j`` imposes no condition at all.

Layer format (all numbers ``int`` or ``Fraction``)::

    {"type": "maxout", "weights": W, "biases": B}   # W[u][k][i], B[u][k]
    {"type": "relu", "weights": W, "biases": B}     # W[u][i], B[u]; piece 0 = 0
    {"type": "leaky_relu", "slope": a, "weights": W, "biases": B}
                                                    # piece 0 = a*(w.y+b), piece 1 = w.y+b
    {"type": "linear", "weights": W, "biases": B}   # affine, pattern entry ()

A pattern is a tuple with one tuple per layer holding the chosen piece index of
every unit, e.g. ``((1, 0), (2,), ())``.
"""

from fractions import Fraction

from .lp import strictly_feasible

__all__ = ["realized_patterns", "count_regions_brute_force"]


def _affine_of_x(weight, bias, ys, n0):
    """Compose ``weight . y + bias`` with ``y = ys(x)``.

    Parameters
    ----------
    weight : sequence of Fraction
        Coefficients acting on the layer input ``y``.
    bias : Fraction
        Constant term.
    ys : list of (Fraction, tuple of Fraction)
        ``ys[i] = (c, g)`` means ``y_i = c + g . x``.
    n0 : int
        Input dimension (``ys`` may be empty after a zero-width layer).

    Returns
    -------
    (Fraction, tuple of Fraction)
        ``(const, coeffs)`` with the composed function ``const + coeffs . x``.
    """
    const = Fraction(bias)
    coeffs = [Fraction(0)] * n0
    for w_i, (c_i, g_i) in zip(weight, ys, strict=True):
        w_i = Fraction(w_i)
        const += w_i * c_i
        for j in range(n0):
            coeffs[j] += w_i * g_i[j]
    return const, tuple(coeffs)


def _units_of_layer(layer):
    """Return the pieces of every unit as ``(weight, bias)`` on the layer input.

    Returns ``None`` for a linear layer (no pieces, no pattern entries).
    """
    kind = layer["type"]
    W, B = layer["weights"], layer["biases"]
    if kind == "linear":
        return None
    if kind == "maxout":
        return [
            [(tuple(Fraction(v) for v in w_k), Fraction(b_k)) for w_k, b_k in zip(W_u, B_u, strict=True)]
            for W_u, B_u in zip(W, B, strict=True)
        ]
    if kind == "relu":
        return [
            [(tuple(Fraction(0) for _ in w), Fraction(0)), (tuple(Fraction(v) for v in w), Fraction(b))]
            for w, b in zip(W, B, strict=True)
        ]
    if kind == "leaky_relu":
        a = Fraction(layer["slope"])
        return [
            [(tuple(a * Fraction(v) for v in w), a * Fraction(b)),
             (tuple(Fraction(v) for v in w), Fraction(b))]
            for w, b in zip(W, B, strict=True)
        ]
    raise ValueError(f"unknown layer type {kind!r}")


def realized_patterns(layers, input_dim, domain_rows=None):
    """All activation patterns whose region in the domain is full-dimensional.

    Parameters
    ----------
    layers : list of dict
        Network layers in the module-level format.
    input_dim : int
        Input dimension ``n0 >= 1``.
    domain_rows : list of (Fraction, tuple of Fraction) or None
        Rows ``(b, a)`` meaning ``b + a.x >= 0``; ``None`` is all of ``R^n0``.

    Returns
    -------
    set of tuple
        Patterns ``(layer_0_tuple, layer_1_tuple, ...)``.

    Notes
    -----
    Depth-first search over units (layer by layer, unit by unit): a partial
    pattern whose constraint set already has empty interior is dropped, since
    further units only add constraints.  Every LP is exact (GMP rationals).
    """
    n0 = int(input_dim)
    if n0 < 1:
        raise ValueError("input_dim must be >= 1")
    base = []
    for b, a in domain_rows or []:
        b, a = Fraction(b), tuple(Fraction(v) for v in a)
        if len(a) != n0:
            raise ValueError("domain row has wrong dimension")
        if all(v == 0 for v in a):
            # A constant row is either the whole space or empty; do not give
            # it to the slack LP (0 >= t would wrongly kill the interior).
            if b < 0:
                return set()
            continue
        base.append((b, a))
    if not strictly_feasible(base, n0):
        return set()

    layer_units = [_units_of_layer(layer) for layer in layers]
    # ys = the current layer input as affine functions of x; start with y = x.
    identity = [(Fraction(0), tuple(Fraction(int(i == j)) for j in range(n0))) for i in range(n0)]
    found = set()

    def visit(li, rows, ys, done_layers, cur_units, cur_outputs):
        # li: layer index; cur_units: chosen piece indices so far in layer li;
        # cur_outputs: the corresponding unit outputs as affine functions of x.
        if li == len(layers):
            found.add(tuple(done_layers))
            return
        units = layer_units[li]
        if units is None:  # linear layer: pure affine map, pattern entry ()
            W, B = layers[li]["weights"], layers[li]["biases"]
            new_ys = [_affine_of_x(w, b, ys, n0) for w, b in zip(W, B, strict=True)]
            visit(li + 1, rows, new_ys, done_layers + [()], [], [])
            return
        u = len(cur_units)
        if u == len(units):
            visit(li + 1, rows, cur_outputs, done_layers + [tuple(cur_units)], [], [])
            return
        funcs = [_affine_of_x(w, b, ys, n0) for w, b in units[u]]
        for j, (cj, gj) in enumerate(funcs):
            new_rows = []
            possible = True
            for k, (ck, gk) in enumerate(funcs):
                if k == j:
                    continue
                diff = (cj - ck, tuple(p - q for p, q in zip(gj, gk, strict=True)))
                if diff[0] == 0 and all(v == 0 for v in diff[1]):
                    # Identical affine functions of x: they tie everywhere,
                    # the lower index always wins.
                    if k < j:
                        possible = False
                        break
                    continue
                # Non-identical: on the interior of the region, piece j must
                # beat piece k strictly (for k < j this is the tie rule; for
                # k > j the equality set is a hyperplane or empty, so it does
                # not affect the interior).
                new_rows.append(diff)
            if not possible:
                continue
            all_rows = rows + new_rows
            if new_rows and not strictly_feasible(all_rows, n0):
                continue
            visit(li, all_rows, ys, done_layers, cur_units + [j], cur_outputs + [(cj, gj)])

    visit(0, base, identity, [], [], [])
    return found


def count_regions_brute_force(layers, input_dim, domain_rows=None):
    """Number of full-dimensional activation regions (``len`` of :func:`realized_patterns`)."""
    return len(realized_patterns(layers, input_dim, domain_rows))
