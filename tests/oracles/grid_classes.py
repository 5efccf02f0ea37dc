"""Grid oracle: the predicted class at the points of a fine exact rational grid.

No linear programming and no polyregions: the network is evaluated exactly in
``Fraction`` arithmetic at every point of a regular grid in a box (layer
format of :mod:`tests.oracles.brute_force`).  What it proves:

1. **Predicted classes.**  At a *clear* grid point one output alone attains the
   maximum, so by continuity its class is predicted on a neighbourhood: the
   class has a full-dimensional cell.  The classes seen at clear points are
   predicted classes, and on a fine grid every predicted class shows up.
   Tied points are skipped: there the lowest-index rule may pick a class that
   only ties (it is predicted on a lower-dimensional set, not a cell).
2. **A lower bound on the measure of the boundary.**  A clear point lies in
   the interior of one class cell and in no other (every other cell is where
   its output is maximal).  If two consecutive clear points ``p, q`` along a
   grid line have different classes, the closed cells cover the segment, so
   two cells of different classes meet in the open segment ``(p, q)``; where
   they meet is on the boundary (the closure of the pieces: near a point where
   no piece passes, the classes are separated by sets of codimension two,
   which separate nothing).  Open segments between consecutive clear points
   are disjoint, so

   * ``n0 = 1``: the boundary is a set of points, at least one per change;
   * ``n0 = 2``: on the lines parallel to axis ``k`` (spaced ``h`` apart in
     the other coordinate), a segment of the boundary with extent ``E`` in the
     other coordinate meets at most ``E / h + 1`` lines, each in one point or
     (lying along the line, free of clear points) inside one open segment.
     With the boundary a union of ``P`` segments of total length ``L``, the
     number of changes is ``<= L / h + P``, so ``L >= h (changes - P)``.
"""

import itertools
from fractions import Fraction

__all__ = ["forward", "clear_class", "ClassGrid"]


def _affine(weights, bias, ys):
    return sum((Fraction(w) * y for w, y in zip(weights, ys, strict=True)), Fraction(bias))


def forward(layers, point):
    """The network's outputs at `point` (exact)."""
    ys = [Fraction(v) for v in point]
    for layer in layers:
        W, B = layer["weights"], layer["biases"]
        kind = layer["type"]
        if kind == "linear":
            ys = [_affine(w, b, ys) for w, b in zip(W, B, strict=True)]
        elif kind == "relu":
            ys = [max(Fraction(0), _affine(w, b, ys)) for w, b in zip(W, B, strict=True)]
        elif kind == "leaky_relu":
            a = Fraction(layer["slope"])
            ys = [max(a * z, z) for z in (_affine(w, b, ys) for w, b in zip(W, B, strict=True))]
        elif kind == "maxout":
            ys = [max(_affine(wk, bk, ys) for wk, bk in zip(Wu, Bu, strict=True))
                  for Wu, Bu in zip(W, B, strict=True)]
        else:
            raise ValueError(f"unknown layer type {kind!r}")
    return ys


def clear_class(outputs):
    """The index of the maximum when one output alone attains it, else None."""
    top = max(outputs)
    winners = [k for k, y in enumerate(outputs) if y == top]
    return winners[0] if len(winners) == 1 else None


class ClassGrid:
    """Classes at the points ``lower + (upper - lower) * i / steps`` (``0 <= i <= steps``).

    Parameters
    ----------
    layers : list of dict
        The network, its last layer linear with at least two outputs.
    lower, upper : sequence of Fraction
        The box.
    steps : int
        Grid intervals per axis.
    """

    def __init__(self, layers, lower, upper, steps):
        self.lower = [Fraction(v) for v in lower]
        self.upper = [Fraction(v) for v in upper]
        self.steps = int(steps)
        self.spacing = [(hi - lo) / self.steps for lo, hi in zip(self.lower, self.upper)]
        self.cls = {}
        for index in itertools.product(range(self.steps + 1), repeat=len(self.lower)):
            self.cls[index] = clear_class(forward(layers, self.point(index)))

    def point(self, index):
        return tuple(lo + h * i for lo, h, i in zip(self.lower, self.spacing, index))

    def clear_points(self):
        """``(point, class)`` for every clear grid point."""
        return [(self.point(i), c) for i, c in self.cls.items() if c is not None]

    def classes(self):
        """The classes seen at clear points (all predicted somewhere)."""
        return {c for c in self.cls.values() if c is not None}

    def changes(self, axis):
        """Class changes between consecutive clear points on the grid lines along `axis`."""
        total = 0
        others = [range(self.steps + 1)] * (len(self.lower) - 1)
        for rest in itertools.product(*others):
            line = [self.cls[rest[:axis] + (i,) + rest[axis:]] for i in range(self.steps + 1)]
            clear = [c for c in line if c is not None]
            total += sum(a != b for a, b in zip(clear, clear[1:]))
        return total

    def measure_lower_bound(self, pieces):
        """A proven lower bound on the boundary's measure (module docstring), ``n0 <= 2``.

        `pieces` is the number of convex pieces (points or segments) the
        boundary is the union of; it is not used in one dimension.
        """
        n0 = len(self.lower)
        if n0 == 1:
            return Fraction(self.changes(0))
        if n0 != 2:
            raise ValueError("the grid measure bound handles n0 <= 2")
        return max(Fraction(0), *(self.spacing[1 - k] * (self.changes(k) - pieces)
                                  for k in range(2)))
