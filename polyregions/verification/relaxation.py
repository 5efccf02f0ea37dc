"""Linear bounds of a network's units and outputs on a search node (DeepPoly), with proven float errors.

On a node of the search the layers before ``l0`` have a fixed pattern, so the
input ``y_l0`` of layer ``l0`` is an exact affine function ``F(x)`` on the
node (a form of :mod:`polyregions.verification.forms`). Every later unit is
bounded by an *upper row* and a *lower row*, affine functions of its layer's
input, and a linear function of some layer's input is bounded by
*back-substitution* (DeepPoly): a unit with a positive coefficient is replaced
by its upper row, one with a negative coefficient by its lower row, layer by
layer down to ``y_l0 = F(x)``. The result is affine in ``x``; over the node's
box its maximum is a bound.

The rows of a unit with pieces ``p_k`` (affine in the layer's input):

- its piece ``p_k``, when it is decided on the node (code ``"."``) or when
  the back-substituted bounds prove ``p_k >= p_j`` for every other ``j``
  (code the digit ``k``);
- otherwise (code the letter ``"a" + k``), with two pieces and
  ``d = p_1 - p_0`` in ``[lo, hi]``, ``lo < 0 < hi``: upper row
  ``p_0 + lam (d - lo)`` with ``lam = hi / (hi - lo)`` (the chord, since
  ``max(p_0, p_1) = p_0 + relu(d)``), lower row ``p_k`` (any single piece is
  below the maximum); with more pieces, the upper row is the constant
  ``top``, the largest upper bound of a piece, and the lower row ``p_k``.

The codes and the intervals ``[lo, hi]`` (or ``[None, top]``) are what a
proof records (:func:`relax`); a verifier rebuilds the same rows from them in
exact arithmetic and re-checks each interval by back-substitution
(``docs/certificates.md``). Floats here only make the bounds cheap: every
product's rounding is bounded with magnitudes of the layer inputs, and slopes
and constants are rounded up, so every float bound is proven.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np
from numpy.typing import NDArray

from .forms import UNIT, FloatBox, combine, gamma, upper
from .layers import PreparedLayer

__all__ = ["Bounds", "Step", "Relaxation", "exact_bounds", "affine_image", "relax", "back_substitute",
           "output_uppers"]

Array = NDArray[np.float64]


class Bounds:
    """Lower and upper forms of some functions: ``low - e_low <= f <= up + e_up`` on the box.

    Examples
    --------
    ``x0 - 0.5 <= f <= x0 + 1``, forms over ``(1, x0)`` with no error:

    >>> import numpy as np
    >>> bounds = Bounds(np.array([[-0.5, 1.0]]), np.zeros(1), np.array([[1.0, 1.0]]), np.zeros(1))
    >>> bounds.low.tolist(), bounds.up.tolist(), bounds.identity
    ([[-0.5, 1.0]], [[1.0, 1.0]], False)
    """

    __slots__ = ("low", "low_err", "up", "up_err", "identity")

    def __init__(self, low: Array, low_err: Array, up: Array, up_err: Array,
                 identity: bool = False) -> None:
        self.low, self.low_err, self.up, self.up_err = low, low_err, up, up_err
        #: Whether these are the exact bounds of ``y = x`` itself.
        self.identity = identity


def exact_bounds(forms: Array, errors: Array) -> Bounds:
    """The bounds of functions known up to their form's error (lower form = upper form).

    Examples
    --------
    The inputs ``x0, x1`` themselves, exactly (no error): the identity forms:

    >>> import numpy as np
    >>> bounds = exact_bounds(np.array([[0.0, 1.0, 0.0], [0.0, 0.0, 1.0]]), np.zeros(2))
    >>> bounds.identity, bounds.low.tolist() == bounds.up.tolist()
    (True, True)
    """
    n = forms.shape[1] - 1
    identity = (forms.shape[0] == n and not errors.any() and not forms[:, 0].any()
                and np.array_equal(forms[:, 1:], np.eye(n)))
    return Bounds(forms, errors, forms, errors, bool(identity))


def affine_image(weights: Array, delta: float, bounds: Bounds, box: FloatBox) -> Bounds:
    """Bounds of ``w . y + b`` for the rows ``(b, w)`` of `weights`, from bounds of ``y``.

    Examples
    --------
    >>> from fractions import Fraction
    >>> box = FloatBox([Fraction(0)], [Fraction(1)])
    >>> x = exact_bounds(np.array([[0.0, 1.0]]), np.zeros(1))      # y = x
    >>> out = affine_image(np.array([[1.0, -2.0]]), 0.0, x, box)   # 1 - 2x
    >>> out.low.tolist(), out.up.tolist()
    ([[1.0, -2.0]], [[1.0, -2.0]])
    """
    one = np.zeros((1, box.dim + 1))
    one[0, 0] = 1.0
    stacked = np.vstack([one, bounds.low, bounds.up])
    errors = np.concatenate([[0.0], bounds.low_err, bounds.up_err])
    bias, w = weights[:, :1], weights[:, 1:]
    positive, negative = np.maximum(w, 0.0), np.minimum(w, 0.0)
    low, low_err = combine(np.hstack([bias, positive, negative]), stacked, errors, box, delta)
    if bounds.low is bounds.up:
        return Bounds(low, low_err, low, low_err)
    up, up_err = combine(np.hstack([bias, negative, positive]), stacked, errors, box, delta)
    return Bounds(low, low_err, up, up_err)


class Step:
    """One layer of the relaxation: every unit's upper and lower rows over ``(1, y)``.

    ``*_eps`` bound the elementwise error of the float rows against the exact
    rows they stand for; ``magnitude`` is ``(1, M)`` with ``|y| <= M`` on the node.

    Examples
    --------
    The identity row ``y = x`` over ``(1, x)``, with ``|x| <= 1``:

    >>> step = Step(np.array([[0.0, 1.0]]), np.zeros((1, 2)), np.array([1.0, 1.0])).finish()
    >>> step.upper_size.tolist(), step.upper_slack.tolist()
    ([1.0], [0.0])
    """

    __slots__ = ("upper", "upper_eps", "lower", "lower_eps", "magnitude", "upper_size",
                 "lower_size", "upper_slack", "lower_slack")

    def __init__(self, rows: Array, eps: Array, magnitude: Array) -> None:
        self.upper, self.upper_eps = rows.copy(), eps.copy()
        self.lower, self.lower_eps = rows, eps
        self.magnitude = magnitude

    def finish(self) -> Step:
        """Keep each row's size and error over the node, ``|row| . (1, M)`` and ``eps . (1, M)``."""
        self.upper_size = np.abs(self.upper) @ self.magnitude
        self.lower_size = np.abs(self.lower) @ self.magnitude
        self.upper_slack = self.upper_eps @ self.magnitude
        self.lower_slack = self.lower_eps @ self.magnitude
        return self


def back_substitute(rows: Array, delta: float, steps: Sequence[Step], start: Bounds,
                    box: FloatBox, magnitude: Array) -> tuple[Array, Array]:
    """Upper forms over ``(1, x)`` of the rows ``(c_0, c)`` over ``(1, y)``, ``y`` the input after `steps`.

    Each row's coefficients on a layer's units pick the unit's upper row where
    positive and its lower row where negative, down to the input of the first
    step, which is the exact form `start` of ``x``. The error of every
    product is bounded with the magnitudes of the layer inputs.

    Examples
    --------
    The upper form of ``relu(x) + relu(-x)`` over ``[-1, 1]``, through the relaxed ReLU layer:
    the constant 1, up to a proven tiny error:

    >>> from fractions import Fraction
    >>> from polyregions import LinearLayer, Network, ReluLayer
    >>> from polyregions.verification.forms import FloatBox
    >>> from polyregions.verification.layers import prepare_layers
    >>> layers = prepare_layers(Network(1, [ReluLayer([[1], [-1]], [0, 0]), LinearLayer([[1, 1]], [0])]))
    >>> box = FloatBox([Fraction(-1)], [Fraction(1)])
    >>> x = exact_bounds(np.array([[0.0, 1.0]]), np.zeros(1))
    >>> relaxation = relax(layers, 0, x, {}, box)
    >>> forms, errors = back_substitute(np.array([[0.0, 1.0, 1.0]]), 0.0, relaxation.steps[:1], x,
    ...                                 box, np.array([1.0, 1.0, 1.0]))
    >>> [round(float(v), 9) for v in forms[0]], bool(errors[0] < 1e-12)
    ([1.0, 0.0], True)
    """
    weights = rows[:, 1:].copy()
    constant = rows[:, 0].copy()
    error = delta * (np.abs(rows) @ magnitude)
    for step in reversed(steps):
        positive, negative = np.maximum(weights, 0.0), np.minimum(weights, 0.0)
        new = positive @ step.upper + negative @ step.lower
        # (|P| |rows|) . (1, M), taken as |P| (|rows| . (1, M)): the same bound, without a
        # second product of matrices.
        size = positive @ step.upper_size - negative @ step.lower_size
        slack = positive @ step.upper_slack - negative @ step.lower_slack
        units = step.upper.shape[0]
        error = (error + (gamma(2 * units + 2) * size + slack) * (1.0 + 4.0 * (units + 2) * UNIT)
                 + 2.0 * UNIT * np.abs(constant + new[:, 0])) * (1.0 + 4.0 * UNIT)
        constant = constant + new[:, 0]
        weights = new[:, 1:]
    if start.identity:  # y = x: nothing to compose
        forms = np.hstack([constant[:, None], weights])
        return forms, error * (1.0 + 16.0 * UNIT) + 2.0 ** -1000
    one = np.zeros((1, box.dim + 1))
    one[0, 0] = 1.0
    forms, form_errors = combine(np.hstack([constant[:, None], weights]), np.vstack([one, start.low]),
                                 np.concatenate([[0.0], start.low_err]), box)
    return forms, form_errors + error * (1.0 + 16.0 * UNIT) + 2.0 ** -1000


def _bounds(rows: Array, delta: float, steps: Sequence[Step], start: Bounds, box: FloatBox,
            magnitude: Array) -> tuple[Array, Array]:
    """Proven lower and upper bounds on the node of the functions `rows` of the layer input."""
    up_forms, up_err = back_substitute(rows, delta, steps, start, box, magnitude)
    low_forms, low_err = back_substitute(-rows, delta, steps, start, box, magnitude)
    return -upper(low_forms, low_err, box), upper(up_forms, up_err, box)


class Relaxation:
    """The relaxation of a node: codes, intervals and steps (see the module docstring).

    Examples
    --------
    ``|x| = relu(x) + relu(-x)`` on ``[-1, 1]``: both units are relaxed (``"a"``: active on part
    of the node only):

    >>> from fractions import Fraction
    >>> from polyregions import LinearLayer, Network, ReluLayer
    >>> from polyregions.verification.forms import FloatBox
    >>> from polyregions.verification.layers import prepare_layers
    >>> layers = prepare_layers(Network(1, [ReluLayer([[1], [-1]], [0, 0]), LinearLayer([[1, 1]], [0])]))
    >>> box = FloatBox([Fraction(-1)], [Fraction(1)])
    >>> relaxation = relax(layers, 0, exact_bounds(np.array([[0.0, 1.0]]), np.zeros(1)), {}, box)
    >>> relaxation.codes, relaxation.relaxed, len(relaxation.steps)
    (['aa'], 2, 2)
    """

    __slots__ = ("codes", "intervals", "steps", "relaxed", "magnitude")

    def __init__(self) -> None:
        #: ``(1, M)`` with ``|outputs| <= M`` on the node.
        self.magnitude = np.ones(1)
        self.codes: list[str] = []
        self.intervals: list[tuple[float | None, float]] = []
        self.steps: list[Step] = []
        self.relaxed = 0


def _magnitude(layer: PreparedLayer, magnitude: Array) -> Array:
    """``(1, M')`` with ``|unit outputs| <= M'`` when the layer's input has ``|y| <= M``."""
    values = np.abs(layer.pieces) @ magnitude  # (rank, units)
    return np.concatenate(([1.0], values.max(axis=0) * (1.0 + 4.0 * (len(magnitude) + 2) * UNIT)))


def _two_piece_step(layer: PreparedLayer, lo: Array, hi: Array, decided: Mapping[int, int],
                    magnitude: Array, relaxation: Relaxation) -> Step:
    codes, pick = [], []
    for u in range(layer.units):
        if u in decided:
            codes.append(".")
            pick.append(decided[u])
        elif lo[u] >= 0 or hi[u] <= 0:
            codes.append("1" if lo[u] >= 0 else "0")
            pick.append(int(lo[u] >= 0))
        else:  # the DeepPoly choice of the lower piece
            k = 1 if hi[u] > -lo[u] else 0
            codes.append(chr(ord("a") + k))
            pick.append(k)
    rows = layer.pieces[pick, np.arange(layer.units)]
    step = Step(rows, layer.delta * np.abs(rows), magnitude)
    index = np.array([u for u, c in enumerate(codes) if c.isalpha()], dtype=np.intp)
    if len(index):
        width = np.nextafter(hi[index] - lo[index], 0.0)  # rounded down: the slope rounds up
        lam = np.nextafter(hi[index] / width, math.inf)
        const = np.nextafter(-lam * lo[index], math.inf)
        base = layer.pieces[0, index]
        scaled = lam[:, None] * layer.difference[index]
        upper_rows = base + scaled
        upper_rows[:, 0] += const
        step.upper[index] = upper_rows
        step.upper_eps[index] = ((np.abs(base) + np.abs(scaled)) * (3.0 * UNIT)
                                 + layer.delta * np.abs(base)
                                 + layer.difference_delta * np.abs(scaled)) * (1.0 + 8.0 * UNIT)
        step.upper_eps[index, 0] += np.abs(const) * (3.0 * UNIT)
        relaxation.intervals.extend(zip(lo[index].tolist(), hi[index].tolist()))
        relaxation.relaxed += len(index)
    relaxation.codes.append("".join(codes))
    return step


def _many_piece_step(layer: PreparedLayer, bounds: Sequence[tuple[Array, Array]],
                     decided: Mapping[int, int], magnitude: Array, relaxation: Relaxation,
                     differences: Mapping[tuple[int, int], Array]) -> Step:
    """Units of more pieces: `bounds[k]` bounds piece k, `differences[k, j]` the lower bound of p_k - p_j."""
    codes, pick, tops = [], [], {}
    lows = np.array([b[0] for b in bounds])
    for u in range(layer.units):
        if u in decided:
            codes.append(".")
            pick.append(decided[u])
            continue
        winner = next((k for k in range(layer.rank)
                       if all(differences[k, j][u] >= 0 for j in range(layer.rank) if j != k)), None)
        if winner is not None:
            codes.append(str(winner))
            pick.append(winner)
        else:
            k = int(np.argmax(lows[:, u]))
            codes.append(chr(ord("a") + k))
            pick.append(k)
            tops[u] = max(float(b[1][u]) for b in bounds)
    rows = layer.pieces[pick, np.arange(layer.units)]
    step = Step(rows, layer.delta * np.abs(rows), magnitude)
    for u, top in tops.items():
        step.upper[u] = 0.0
        step.upper[u, 0] = top
        step.upper_eps[u] = 0.0
        relaxation.intervals.append((None, top))
    relaxation.relaxed += len(tops)
    relaxation.codes.append("".join(codes))
    return step


def relax(layers: Sequence[PreparedLayer], start: int, inputs: Bounds, decided: Mapping[int, int],
          box: FloatBox) -> Relaxation:
    """The relaxation of every layer from `start` to the output, on a node.

    `inputs` is the exact form of the input of layer `start`; `decided` the
    units of that layer decided on the node.

    Examples
    --------
    >>> from fractions import Fraction
    >>> from polyregions import LinearLayer, Network, ReluLayer
    >>> from polyregions.verification.forms import FloatBox
    >>> from polyregions.verification.layers import prepare_layers
    >>> layers = prepare_layers(Network(1, [ReluLayer([[1], [-1]], [0, 0]), LinearLayer([[1, 1]], [0])]))
    >>> box = FloatBox([Fraction(-1)], [Fraction(1)])
    >>> relaxation = relax(layers, 0, exact_bounds(np.array([[0.0, 1.0]]), np.zeros(1)), {}, box)
    >>> [(round(lo, 9), round(hi, 9)) for lo, hi in relaxation.intervals]     # the units' inputs
    [(-1.0, 1.0), (-1.0, 1.0)]
    """
    relaxation = Relaxation()
    magnitude = np.concatenate(([1.0], np.abs(inputs.low) @ box.magnitude + inputs.low_err))
    for index in range(start, len(layers)):
        layer = layers[index]
        chosen = decided if index == start else {}
        steps = relaxation.steps
        if layer.rank == 1:
            step = Step(layer.pieces[0], layer.delta * np.abs(layer.pieces[0]), magnitude)
        elif layer.rank == 2:
            lo, hi = _bounds(layer.difference, layer.difference_delta, steps, inputs, box, magnitude)
            step = _two_piece_step(layer, lo, hi, chosen, magnitude, relaxation)
        else:
            bounds = [_bounds(layer.pieces[k], layer.delta, steps, inputs, box, magnitude)
                      for k in range(layer.rank)]
            differences = {(k, j): _bounds(layer.pieces[k] - layer.pieces[j],
                                           2.0 * UNIT + 2 * layer.delta, steps, inputs, box,
                                           magnitude)[0]
                           for k in range(layer.rank) for j in range(layer.rank) if j != k}
            step = _many_piece_step(layer, bounds, chosen, magnitude, relaxation, differences)
        relaxation.steps.append(step.finish())
        magnitude = _magnitude(layer, magnitude)
    relaxation.magnitude = magnitude
    return relaxation


def output_uppers(rows: Array, delta: float, relaxation: Relaxation, start: Bounds, box: FloatBox
                  ) -> tuple[Array, Array]:
    """Upper forms over ``(1, x)`` of the output rows ``c . (1, x, y)``, on the node.

    Examples
    --------
    >>> from fractions import Fraction
    >>> from polyregions import Network, ReluLayer, LinearLayer
    >>> from .layers import prepare_layers
    >>> layers = prepare_layers(Network(1, [ReluLayer([[1], [-1]], [0, 0]), LinearLayer([[1, 1]], [0])]))
    >>> box = FloatBox([Fraction(-1)], [Fraction(1)])
    >>> x = exact_bounds(np.array([[0.0, 1.0]]), np.zeros(1))
    >>> relaxation = relax(layers, 0, x, {}, box)                      # |x| on [-1, 1]
    >>> relaxation.codes, [(round(lo, 9), round(hi, 9)) for lo, hi in relaxation.intervals]
    (['aa'], [(-1.0, 1.0), (-1.0, 1.0)])
    >>> forms, errors = output_uppers(np.array([[-1.0, 0.0, 1.0]]), 0.0, relaxation, x, box)
    >>> bool(upper(forms, errors, box)[0] >= 0)                        # |x| - 1 <= 0 here
    True
    """
    n = box.dim
    forms, errors = back_substitute(np.hstack([rows[:, :1], rows[:, n + 1:]]), delta,
                                    relaxation.steps, start, box, relaxation.magnitude)
    direct = rows[:, 1:n + 1]
    forms = forms.copy()
    forms[:, 1:] += direct
    errors = errors + (2.0 * UNIT + delta) * (np.abs(direct) @ box.magnitude[1:]) \
        + 2.0 * UNIT * (np.abs(forms) @ box.magnitude)
    return forms, errors
