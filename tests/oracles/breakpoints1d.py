"""Exact breakpoint enumeration for networks with a one-dimensional input.

On an interval where all earlier choices are fixed, every layer input is an
affine function ``s*x + c`` of the scalar input.  For each unit, two pieces
that are not identical can only change order where their lines cross, i.e. at
``x = (c_j - c_k) / (s_k - s_j)`` (parallel distinct lines never cross;
identical lines always tie and the lower index wins).  Splitting the interval
at all crossing points that fall strictly inside it therefore leaves open
sub-intervals on which every comparison, hence the argmax with lowest-index
tie-breaking, is constant; we read it off at the midpoint.  After the last
layer, neighbouring intervals with equal pattern are merged.  The set of
inputs with a given pattern is convex (an interval), so after merging each
pattern occurs exactly once.

No linear programming is involved; this is an independent check of the
brute-force oracle in dimension one.  Layer format and pattern format are as
in :mod:`tests.oracles.brute_force` (but no code is shared with it).
"""

from fractions import Fraction

__all__ = ["regions_1d", "patterns_1d", "count_regions_1d"]


def _line(weight, bias, ys):
    """``weight . y + bias`` with ``ys[i] = (s_i, c_i)`` meaning ``y_i = s_i x + c_i``."""
    s, c = Fraction(0), Fraction(bias)
    for w, (s_i, c_i) in zip(weight, ys, strict=True):
        s += Fraction(w) * s_i
        c += Fraction(w) * c_i
    return s, c


def _pieces(layer):
    """List over units of list over pieces ``(weight, bias)``; ``None`` for linear layers."""
    kind = layer["type"]
    W, B = layer["weights"], layer["biases"]
    if kind == "linear":
        return None
    if kind == "maxout":
        return [list(zip(W_u, B_u, strict=True)) for W_u, B_u in zip(W, B, strict=True)]
    if kind == "relu":
        return [[([0] * len(w), 0), (w, b)] for w, b in zip(W, B, strict=True)]
    if kind == "leaky_relu":
        a = Fraction(layer["slope"])
        return [[([a * Fraction(v) for v in w], a * Fraction(b)), (w, b)] for w, b in zip(W, B, strict=True)]
    raise ValueError(f"unknown layer type {kind!r}")


def _argmax_lowest(values):
    """Index of the maximum, ties broken by the lowest index."""
    best = 0
    for k in range(1, len(values)):
        if values[k] > values[best]:
            best = k
    return best


def regions_1d(layers, lo, hi):
    """Activation regions of a 1-D-input network on ``[lo, hi]``, left to right.

    Parameters
    ----------
    layers : list of dict
        Network layers (input dimension 1).
    lo, hi : Fraction
        Interval end points, ``lo < hi``.

    Returns
    -------
    list of (Fraction, Fraction, tuple)
        ``(left, right, pattern)`` for each maximal interval of constant pattern.
    """
    lo, hi = Fraction(lo), Fraction(hi)
    if not lo < hi:
        raise ValueError("need lo < hi")
    # Each piece: (left, right, layer input as lines (s, c), pattern so far).
    pieces = [(lo, hi, [(Fraction(1), Fraction(0))], ())]
    for layer in layers:
        units = _pieces(layer)
        new_pieces = []
        for left, right, ys, pattern in pieces:
            if units is None:
                out = [_line(w, b, ys) for w, b in zip(layer["weights"], layer["biases"], strict=True)]
                new_pieces.append((left, right, out, pattern + ((),)))
                continue
            lines = [[_line(w, b, ys) for w, b in unit] for unit in units]
            cuts = {left, right}
            for unit_lines in lines:
                for k, (s_k, c_k) in enumerate(unit_lines):
                    for s_j, c_j in unit_lines[k + 1 :]:
                        if s_k != s_j:
                            x = (c_j - c_k) / (s_k - s_j)
                            if left < x < right:
                                cuts.add(x)
            cuts = sorted(cuts)
            for a, b in zip(cuts, cuts[1:]):
                mid = (a + b) / 2
                choice = []
                out = []
                for unit_lines in lines:
                    j = _argmax_lowest([s * mid + c for s, c in unit_lines])
                    choice.append(j)
                    out.append(unit_lines[j])
                new_pieces.append((a, b, out, pattern + (tuple(choice),)))
        pieces = new_pieces
    merged = []
    for left, right, _, pattern in pieces:
        if merged and merged[-1][2] == pattern:
            merged[-1] = (merged[-1][0], right, pattern)
        else:
            merged.append((left, right, pattern))
    return merged


def patterns_1d(layers, lo, hi):
    """Patterns of the activation regions on ``[lo, hi]`` from left to right."""
    return [pattern for _, _, pattern in regions_1d(layers, lo, hi)]


def count_regions_1d(layers, lo, hi):
    """Number of activation regions on ``[lo, hi]`` (``len`` of :func:`patterns_1d`)."""
    return len(regions_1d(layers, lo, hi))
