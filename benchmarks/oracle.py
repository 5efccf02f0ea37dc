"""An independent exact oracle for region counts: activation patterns on a grid.

The set of inputs with one full activation pattern of a ReLU network is convex
(with the pattern fixed the network is affine, so every sign condition is a
half-space). A grid point where no pre-activation is zero lies inside one
full-dimensional region, so the number of distinct patterns seen at such points
is a lower bound on the number of regions, and every one of them must be the
pattern of a region that a correct enumeration reports. The forward pass is in
Python integers (float32 weights are dyadic, grid points rational): no rounding.
"""

from fractions import Fraction

import numpy as np

__all__ = ["grid_patterns"]


def _integer_layer(weights, biases):
    """``(W, b, scale)`` with integer entries and ``weights = W / scale``, ``biases = b / scale``."""
    exact = [[Fraction(float(v)) for v in row] for row in weights]
    exact_b = [Fraction(float(v)) for v in biases]
    scale = max(v.denominator for v in [*exact_b, *(v for row in exact for v in row)])
    W = np.array([[int(v * scale) for v in row] for row in exact], dtype=object)
    return W, np.array([int(v * scale) for v in exact_b], dtype=object), scale


def _grid(lo, hi, steps):
    """Centres of a ``steps x steps`` grid on ``[lo, hi]^2``: integer numerators, one denominator."""
    den = 2 * steps
    ticks = [Fraction(lo) * den + Fraction(hi - lo) * (2 * i + 1) for i in range(steps)]
    assert all(t.denominator == 1 for t in ticks), "the box corners must be integers"
    xs = [int(t) for t in ticks]
    return np.array([[a for a in xs for _ in xs], [b for _ in xs for b in xs]], dtype=object), den


def grid_patterns(layers, lo, hi, steps):
    """The distinct activation patterns at the grid points inside regions, decided exactly.

    Parameters
    ----------
    layers : list of (weights, biases)
        float32 ReLU layers, weights of shape ``(units, inputs)``, input dimension 2.
    lo, hi : int
        The box ``[lo, hi]^2``.
    steps : int
        Grid points per side.

    Returns
    -------
    set of tuple
        Patterns in the engine's layout: one tuple of 0/1 (1: active) per layer.

    Examples
    --------
    >>> import numpy as np
    >>> cross = [(np.eye(2, dtype=np.float32), np.zeros(2, dtype=np.float32))]
    >>> sorted(grid_patterns(cross, -1, 1, 4))  # the four quadrants
    [((0, 0),), ((0, 1),), ((1, 0),), ((1, 1),)]
    """
    y, den = _grid(lo, hi, steps)
    inside = np.ones(y.shape[1], dtype=bool)
    signs = []
    for weights, biases in layers:
        W, b, scale = _integer_layer(weights, biases)
        z = W.dot(y) + np.outer(b, np.full(y.shape[1], den, dtype=object))
        den *= scale
        inside &= (z != 0).all(axis=0).astype(bool)  # a zero puts the point on a boundary
        active = (z > 0).astype(bool)
        signs.append(active)
        y = np.where(active, z, 0)
    return {tuple(tuple(int(s) for s in layer[:, k]) for layer in signs)
            for k in np.flatnonzero(inside)}
