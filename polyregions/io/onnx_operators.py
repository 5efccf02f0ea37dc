"""The operators of the ONNX import (:mod:`polyregions.io.onnx`) on exact affine tensors.

A tensor of the graph is a constant (:class:`ConstTensor`) or an exact affine function of the
output of the last layer built (:class:`AffineTensor`). Each affine operator maps affine tensors
to affine tensors in Fractions; a nonlinearity asks the graph walk (the ``imp`` argument of every
operator) to build a layer and gets back the identity on that layer's output. :data:`OPERATORS`
maps operator names to these functions, :data:`ATTRIBUTES` gives each operator's attributes with
their defaults (any other is refused).
"""

import itertools
import math
from fractions import Fraction
from typing import Any

import numpy as np

from ..network import LeakyReluLayer, ReluLayer
from ..numbers import rational_sqrt

__all__ = ["NodeError", "ConstTensor", "AffineTensor", "OPERATORS", "ATTRIBUTES"]


class NodeError(Exception):
    """A problem inside one node; the graph walk adds the node and the file.

    Examples
    --------
    >>> err = NodeError("Gemm: transA is not supported")
    >>> isinstance(err, Exception), str(err)
    (True, 'Gemm: transA is not supported')
    """


# ----------------------------------------------------------------------------- values of the graph


class ConstTensor:
    """A constant tensor of the file: its numpy array, exact Fractions made on demand.

    Examples
    --------
    Floats become their exact binary values:

    >>> import numpy as np
    >>> ConstTensor(np.array([0.5, 0.1])).exact("W").tolist()
    [Fraction(1, 2), Fraction(3602879701896397, 36028797018963968)]
    """

    def __init__(self, array: Any) -> None:
        self.array = array
        self._exact = None

    def exact(self, name: str) -> Any:
        """The entries as an object array of exact Fractions; float32 and float64 only."""
        if self._exact is None:
            if self.array.dtype not in (np.float32, np.float64):
                raise NodeError(f"{name!r} has type {self.array.dtype}, expected float32 or float64")
            if not np.isfinite(self.array).all():
                raise NodeError(f"{name!r} holds a number that is not finite")
            flat = [Fraction(v) for v in self.array.ravel().tolist()]  # floats: exact values
            self._exact = np.array(flat, dtype=object).reshape(self.array.shape)
        return self._exact


class AffineTensor:
    """A tensor that is an exact affine function of the output of layer `depth`.

    Element ``i`` (C order) is ``sum(rows[i][j] * y[j]) + bias[i]``, with `rows` sparse dicts
    ``{j: Fraction}`` over the `width` outputs ``y`` of that layer (the input at depth 0).

    Examples
    --------
    ``(y0, 2 y1 + 1)`` over the two inputs ``y``:

    >>> from fractions import Fraction
    >>> t = AffineTensor((2,), [{0: Fraction(1)}, {1: Fraction(2)}], [Fraction(0), Fraction(1)], 0, 2)
    >>> t.dense(1)
    ([Fraction(0, 1), Fraction(2, 1)], Fraction(1, 1))
    """

    def __init__(self, shape: tuple[int, ...], rows: list[dict[int, Fraction]],
                 bias: list[Fraction], depth: int, width: int) -> None:
        self.shape, self.rows, self.bias = tuple(shape), rows, bias
        self.depth, self.width = depth, width

    @classmethod
    def identity(cls, shape: tuple[int, ...], depth: int) -> "AffineTensor":
        n = math.prod(shape)
        return cls(shape, [{i: Fraction(1)} for i in range(n)], [Fraction(0)] * n, depth, n)

    def is_identity(self) -> bool:
        return len(self.rows) == self.width and all(
            row == {i: 1} and b == 0 for i, (row, b) in enumerate(zip(self.rows, self.bias)))

    def grid(self) -> Any:
        """The flat index of every element, shaped like the tensor."""
        return np.arange(len(self.rows)).reshape(self.shape)

    def gather(self, shape: tuple[int, ...], source: list[int]) -> "AffineTensor":
        """The tensor of `shape` whose element ``i`` is this one's element ``source[i]``."""
        return AffineTensor(shape, [self.rows[j] for j in source], [self.bias[j] for j in source],
                       self.depth, self.width)

    def combine(self, shape: tuple[int, ...], out: Any, source: Any, coefficient: Any,
                bias: Any = None) -> "AffineTensor":
        """The tensor of `shape` with element ``i = bias[i] + sum(c * self[j])`` over the
        triples ``(i, j, c)`` of `out`, `source`, `coefficient` (flat sequences)."""
        n = math.prod(shape)
        rows: list[dict[int, Any]] = [{} for _ in range(n)]
        total = [Fraction(0)] * n if bias is None else list(bias)
        # The inner loop of every affine operator: skip the products by 1 and 0 that
        # composing with a layer's output (the identity) would spend most of its time on.
        for i, j, c in zip(out, source, coefficient):
            if c == 0:
                continue
            row = rows[i]
            for col, a in self.rows[j].items():
                term = c if a == 1 else c * a
                before = row.get(col)
                row[col] = term if before is None else before + term
            if self.bias[j]:
                total[i] += c * self.bias[j]
        rows = [{col: a for col, a in row.items() if a != 0} for row in rows]
        return AffineTensor(shape, rows, total, self.depth, self.width)

    def dense(self, i: int) -> tuple[list[Fraction], Fraction]:
        """Element `i` as a dense weight row and a bias."""
        row, zero = self.rows[i], Fraction(0)
        return [row.get(j, zero) for j in range(self.width)], self.bias[i]


# ----------------------------------------------------------------------------- shape operators


def _identity(imp, node, attrs):
    # Constants too: torch.onnx.export gives an initializer a second name through an Identity.
    value = imp.operand(node, 0)
    if value is None:
        raise NodeError("it has no input")
    return value


def _dropout(imp, node, attrs):
    training = imp.constant(node, 2, exact=False)
    if training is not None and bool(training):
        raise NodeError("training_mode is true; only inference is supported")
    return imp.variable(node, 0)


def _reshaped(x, shape):
    return AffineTensor(shape, x.rows, x.bias, x.depth, x.width)


def _flatten(imp, node, attrs):
    x = imp.variable(node, 0)
    axis = attrs["axis"] + (len(x.shape) if attrs["axis"] < 0 else 0)
    if not 0 <= axis <= len(x.shape):
        raise NodeError(f"axis {attrs['axis']} is out of range for shape {x.shape}")
    return _reshaped(x, (math.prod(x.shape[:axis]), math.prod(x.shape[axis:])))


def _reshape(imp, node, attrs):
    x = imp.variable(node, 0)
    given = imp.constant(node, 1, exact=False)
    if given.dtype.kind not in "iu":
        raise NodeError(f"the shape {node.input[1]!r} has type {given.dtype}, expected int64")
    target = [int(v) for v in given.ravel()]
    if not attrs["allowzero"]:
        target = [x.shape[i] if v == 0 and i < len(x.shape) else v for i, v in enumerate(target)]
    if target.count(-1) == 1:
        known = math.prod(v for v in target if v != -1)
        if known > 0 and len(x.rows) % known == 0:
            target[target.index(-1)] = len(x.rows) // known
    if any(v < 1 for v in target) or math.prod(target) != len(x.rows):
        raise NodeError(f"cannot reshape {x.shape} to {tuple(target)}")
    return _reshaped(x, tuple(target))


def _pad(imp, node, attrs):
    x, pads = imp.variable(node, 0), imp.constant(node, 1, exact=False)
    value = imp.constant(node, 2)
    if imp.operand(node, 3) is not None:
        raise NodeError("the input 'axes' is not supported")
    d = len(x.shape)
    if pads.dtype.kind not in "iu" or pads.shape != (2 * d,) or (pads < 0).any():
        raise NodeError(f"pads must be {2 * d} integers >= 0, got {pads.tolist()}")
    if value is not None and value.size != 1:
        raise NodeError("constant_value must be one number")
    width = [(int(pads[i]), int(pads[i + d])) for i in range(d)]
    mode = attrs["mode"]
    if mode == "constant":
        source = np.pad(x.grid(), width, constant_values=-1)  # -1: a padded cell
    elif mode == "edge" or (mode == "reflect" and all(max(w) < n for w, n in zip(width, x.shape))):
        source = np.pad(x.grid(), width, mode=mode)  # numpy's modes are ONNX's
    else:
        raise NodeError(f"mode {mode!r} with pads {pads.tolist()} is not supported")
    fill = Fraction(0) if value is None else value.ravel()[0]
    flat = source.ravel().tolist()
    return AffineTensor(source.shape, [x.rows[j] if j >= 0 else {} for j in flat],
                   [x.bias[j] if j >= 0 else fill for j in flat], x.depth, x.width)


# ----------------------------------------------------------------------------- elementwise affine


def _broadcast_shape(*shapes):
    try:
        return np.broadcast_shapes(*shapes)
    except ValueError:
        raise NodeError(f"shapes {', '.join(map(str, shapes))} do not broadcast") from None


def _broadcast(x, shape):
    return x.gather(shape, np.broadcast_to(x.grid(), shape).ravel().tolist())


def _with_constant(imp, node):
    """``(x, c, x_first)``: the variable operand broadcast with the constant one."""
    x_first = isinstance(imp.operand(node, 0), AffineTensor)
    x = imp.variable(node, 0 if x_first else 1)
    c = imp.constant(node, 1 if x_first else 0)
    shape = _broadcast_shape(x.shape, c.shape)
    return _broadcast(x, shape), np.broadcast_to(c, shape).ravel().tolist(), x_first


def _scaled(x, factors, bias=None):
    n = len(x.rows)
    return x.combine(x.shape, range(n), range(n), factors, bias)


def _add(imp, node, attrs):
    x, c, _ = _with_constant(imp, node)
    return AffineTensor(x.shape, x.rows, [b + v for b, v in zip(x.bias, c)], x.depth, x.width)


def _sub(imp, node, attrs):
    x, c, x_first = _with_constant(imp, node)
    if x_first:
        return AffineTensor(x.shape, x.rows, [b - v for b, v in zip(x.bias, c)], x.depth, x.width)
    return _scaled(x, [-1] * len(c), c)  # c - x


def _mul(imp, node, attrs):
    x, c, _ = _with_constant(imp, node)
    return _scaled(x, c)


def _div(imp, node, attrs):
    imp.variable(node, 0)  # c / x is not affine
    x, c, _ = _with_constant(imp, node)
    if any(v == 0 for v in c):
        raise NodeError(f"the divisor {node.input[1]!r} has an entry 0")
    return _scaled(x, [1 / v for v in c])


def _batch_norm(imp, node, attrs):
    if attrs["training_mode"] or attrs["spatial"] != 1:
        raise NodeError("only inference mode (training_mode=0, spatial=1) is supported")
    x = imp.variable(node, 0)
    scale, shift, mean, var = (imp.constant(node, k) for k in range(1, 5))
    channels = x.shape[1] if len(x.shape) > 1 else 0
    if any(t.shape != (channels,) for t in (scale, shift, mean, var)):
        raise NodeError(f"its parameters must have shape ({channels},) for an input of {x.shape}")
    eps = Fraction(attrs["epsilon"])
    factor = [s / _rational_sqrt(v + eps, c) for c, (s, v) in enumerate(zip(scale, var))]
    offset = [t - f * m for t, f, m in zip(shift, factor, mean)]
    per_element = (1, channels) + (1,) * (len(x.shape) - 2)
    spread = np.broadcast_to(np.array(factor, dtype=object).reshape(per_element), x.shape)
    moved = np.broadcast_to(np.array(offset, dtype=object).reshape(per_element), x.shape)
    return _scaled(x, spread.ravel().tolist(), moved.ravel().tolist())


def _rational_sqrt(value, channel):
    """The square root of the Fraction `value` when it is rational (else refuse)."""
    root = rational_sqrt(value)
    if root:  # a zero root would divide by zero
        return root
    raise NodeError(f"sqrt(var + epsilon) of channel {channel} is not rational "
                   f"(var + epsilon = {value}), so it cannot be folded in exactly")


# ----------------------------------------------------------------------------- products


def _product(x_grid, matrix, out_shape, factor=1):
    """The triples ``(out, source, coefficient)`` of ``x @ matrix`` for the index grid of x
    (``[..., M, K]``) and the exact ``[K, N]`` matrix, times `factor`."""
    if x_grid.shape[-1] != matrix.shape[0]:
        raise NodeError(f"inner dimensions differ: {x_grid.shape} times {matrix.shape}")
    out = np.arange(math.prod(out_shape)).reshape(out_shape)
    full = out_shape + (matrix.shape[0],)
    triples = (np.broadcast_to(out[..., None], full), np.broadcast_to(x_grid[..., None, :], full),
               np.broadcast_to(matrix.T if factor == 1 else matrix.T * factor, full))
    return [t.ravel().tolist() for t in triples]


def _matmul(imp, node, attrs):
    if isinstance(imp.operand(node, 0), ConstTensor):
        return _constant_times(imp.constant(node, 0), imp.variable(node, 1))
    x, b = imp.variable(node, 0), imp.constant(node, 1)
    if x.shape == () or b.ndim not in (1, 2):
        raise NodeError(f"only x @ B with B of rank 1 or 2 is supported, got {x.shape} @ {b.shape}")
    grid = x.grid() if len(x.shape) > 1 else x.grid()[None, :]
    matrix = b if b.ndim == 2 else b[:, None]
    shape = grid.shape[:-1] + (matrix.shape[1],)
    result = x.combine(shape, *_product(grid, matrix, shape))
    drop = tuple(s for s in shape[:-2]) + ((shape[-2],) if len(x.shape) > 1 else ()) \
        + ((shape[-1],) if b.ndim == 2 else ())
    return _reshaped(result, drop)


def _constant_times(a, x):
    """``A @ x`` for a constant matrix ``A``, as ``(x^T @ A^T)^T``."""
    if a.ndim != 2 or x.shape == ():
        raise NodeError(f"only A @ x with A of rank 2 is supported, got {a.shape} @ {x.shape}")
    column = len(x.shape) == 1
    grid = x.grid()[None, :] if column else np.swapaxes(x.grid(), -1, -2)
    shape = grid.shape[:-1] + (a.shape[0],)
    result = x.combine(shape, *_product(grid, a.T, shape))
    if column:
        return _reshaped(result, (a.shape[0],))
    order = np.swapaxes(np.arange(math.prod(shape)).reshape(shape), -1, -2)
    return result.gather(order.shape, order.ravel().tolist())


def _gemm(imp, node, attrs):
    x, b, c = imp.variable(node, 0), imp.constant(node, 1), imp.constant(node, 2)
    if len(x.shape) != 2 or b.ndim != 2:
        raise NodeError(f"A and B must be matrices, got {x.shape} and {b.shape}")
    grid = x.grid().T if attrs["transA"] else x.grid()
    matrix = b.T if attrs["transB"] else b
    shape = (grid.shape[0], matrix.shape[1])
    bias = None
    if c is not None:
        try:
            bias = (np.broadcast_to(c, shape) * Fraction(attrs["beta"])).ravel().tolist()
        except ValueError:
            raise NodeError(f"C of shape {c.shape} does not broadcast to {shape}") from None
    return x.combine(shape, *_product(grid, matrix, shape, Fraction(attrs["alpha"])), bias)


# ----------------------------------------------------------------------------- windows


def _window_geometry(x, attrs, kernel):
    """``(out_shape, offsets)``: per kernel offset, the flat output and input indices it
    joins (windows clipped to the input: padding adds nothing)."""
    spatial = x.shape[2:]
    d = len(spatial)
    if len(x.shape) < 3 or len(kernel) != d:
        raise NodeError(f"kernel {tuple(kernel)} does not fit an input of shape {x.shape}")
    if attrs["auto_pad"] not in ("NOTSET", "VALID"):
        raise NodeError(f"auto_pad {attrs['auto_pad']!r} is not supported (give pads)")
    if attrs.get("ceil_mode"):
        raise NodeError("ceil_mode 1 is not supported")
    strides = attrs["strides"] or [1] * d
    dilations = attrs["dilations"] or [1] * d
    pads = [0] * (2 * d) if attrs["auto_pad"] == "VALID" or not attrs["pads"] else attrs["pads"]
    if len(strides) != d or len(dilations) != d or len(pads) != 2 * d:
        raise NodeError("strides, dilations and pads must match the kernel's dimensions")
    outs = [(n + pads[i] + pads[i + d] - dilations[i] * (kernel[i] - 1) - 1) // strides[i] + 1
            for i, n in enumerate(spatial)]
    if any(o < 1 for o in outs):
        raise NodeError(f"the kernel does not fit an input of shape {x.shape}")
    offsets = []
    for kk in itertools.product(*(range(k) for k in kernel)):
        positions = [np.arange(o) * s - p + k * dl
                     for o, s, p, k, dl in zip(outs, strides, pads, kk, dilations)]
        valid = [(q >= 0) & (q < n) for q, n in zip(positions, spatial)]
        offsets.append((kk, [np.nonzero(v)[0] for v in valid], [q[v] for q, v in zip(positions, valid)]))
    return tuple(outs), offsets


def _pool_triples(x, outs, offsets, weight):
    """Triples of a channelwise pooling: output ``(n, c, o)`` takes input ``(n, c, o*s+k)``
    with the coefficient ``weight(kk, out_grid_positions)``."""
    shape = x.shape[:2] + outs
    out_grid, in_grid = np.arange(math.prod(shape)).reshape(shape), x.grid()
    batch, channels = np.arange(x.shape[0]), np.arange(x.shape[1])
    triples = [[], [], []]
    for kk, out_pos, in_pos in offsets:
        o = out_grid[np.ix_(batch, channels, *out_pos)].ravel()
        triples[0] += o.tolist()
        triples[1] += in_grid[np.ix_(batch, channels, *in_pos)].ravel().tolist()
        triples[2] += weight(o)
    return shape, triples


def _average_pool(imp, node, attrs):
    x = imp.variable(node, 0)
    outs, offsets = _window_geometry(x, attrs, attrs["kernel_shape"])
    shape = x.shape[:2] + outs
    counts = np.zeros(math.prod(shape), dtype=np.int64)
    for kk, out_pos, _ in offsets:
        counts[np.arange(math.prod(shape)).reshape(shape)[
            np.ix_(np.arange(shape[0]), np.arange(shape[1]), *out_pos)].ravel()] += 1
    if attrs["count_include_pad"]:
        counts[:] = math.prod(attrs["kernel_shape"])
    if not counts.all():
        raise NodeError("a window lies wholly in the padding")
    shape, triples = _pool_triples(x, outs, offsets,
                                   lambda o: [Fraction(1, int(counts[i])) for i in o.tolist()])
    return x.combine(shape, *triples)


def _max_pool(imp, node, attrs):
    x = imp.variable(node, 0)
    outs, offsets = _window_geometry(x, attrs, attrs["kernel_shape"])
    shape, (out, source, _) = _pool_triples(x, outs, offsets, lambda o: [1] * len(o))
    pieces = [[] for _ in range(math.prod(shape))]
    for i, j in zip(out, source):  # offsets in kernel order: piece k is window position k
        pieces[i].append(j)
    return imp.maxout(x, shape, pieces)


def _conv(imp, node, attrs):
    x, w, b = imp.variable(node, 0), imp.constant(node, 1), imp.constant(node, 2)
    group = attrs["group"]
    if len(x.shape) < 3 or w.ndim != len(x.shape) or x.shape[1] != w.shape[1] * group \
            or w.shape[0] % group:
        raise NodeError(f"weights of shape {w.shape} (group {group}) do not fit an input of {x.shape}")
    kernel = list(w.shape[2:])
    if attrs["kernel_shape"] and list(attrs["kernel_shape"]) != kernel:
        raise NodeError(f"kernel_shape {attrs['kernel_shape']} differs from the weights' {kernel}")
    outs, offsets = _window_geometry(x, attrs, kernel)
    shape = (x.shape[0], w.shape[0]) + outs
    out_grid, in_grid = np.arange(math.prod(shape)).reshape(shape), x.grid()
    batch, oc = np.arange(x.shape[0]), np.arange(w.shape[0])
    per_group = w.shape[0] // group
    triples = [[], [], []]
    for kk, out_pos, in_pos in offsets:
        for ic in range(w.shape[1]):
            channel = (oc // per_group) * w.shape[1] + ic
            o = out_grid[np.ix_(batch, oc, *out_pos)]
            triples[0] += o.ravel().tolist()
            triples[1] += in_grid[np.ix_(batch, channel, *in_pos)].ravel().tolist()
            coefficient = w[(oc, ic) + tuple(kk)].reshape((1, -1) + (1,) * len(outs))
            triples[2] += np.broadcast_to(coefficient, o.shape).ravel().tolist()
    bias = None
    if b is not None:
        if b.shape != (w.shape[0],):
            raise NodeError(f"bias of shape {b.shape} does not fit {w.shape[0]} output channels")
        bias = np.broadcast_to(b.reshape((1, -1) + (1,) * len(outs)), shape).ravel().tolist()
    return x.combine(shape, *triples, bias)


# ----------------------------------------------------------------------------- nonlinearities


def _relu(imp, node, attrs):
    return imp.activate(imp.variable(node, 0), lambda w, b: ReluLayer(w, b, "relu"))


def _leaky(imp, x, slope):
    return imp.activate(x, lambda w, b: LeakyReluLayer(slope, w, b, "leaky_relu"))


def _leaky_relu(imp, node, attrs):
    return _leaky(imp, imp.variable(node, 0), Fraction(attrs["alpha"]))


def _prelu(imp, node, attrs):
    x, slope = imp.variable(node, 0), imp.constant(node, 1)
    if slope.size == 0 or _broadcast_shape(x.shape, slope.shape) != x.shape:
        raise NodeError(f"the slope's shape {slope.shape} does not broadcast to {x.shape}")
    slopes = set(slope.ravel().tolist())
    if len(slopes) != 1:
        raise NodeError(f"the slopes {node.input[1]!r} differ between units; a leaky_relu layer "
                       "has one slope")
    return _leaky(imp, x, slopes.pop())


def _max(imp, node, attrs):
    operands = [imp.operand(node, k) for k in range(len(node.input))]
    variables = [v for v in operands if isinstance(v, AffineTensor)]
    if not variables:
        raise NodeError("no input depends on the model's input")
    if any(v.depth != variables[0].depth for v in variables):
        raise NodeError("its inputs come from different layers: the network must be a chain")
    if len(operands) == 1:
        return variables[0]
    shape = _broadcast_shape(*(v.shape if isinstance(v, AffineTensor) else v.array.shape
                               for v in operands))
    x0 = variables[0]
    parts, rows, bias = [], [], []
    for k, v in enumerate(operands):
        if isinstance(v, AffineTensor):
            v = _broadcast(v, shape)
        else:  # a constant piece
            c = np.broadcast_to(imp.constant(node, k), shape).ravel().tolist()
            v = AffineTensor(shape, [{}] * len(c), c, x0.depth, x0.width)
        parts.append(len(rows))
        rows += v.rows
        bias += v.bias
    joined = AffineTensor((len(rows),), rows, bias, x0.depth, x0.width)
    n = math.prod(shape)
    return imp.maxout(joined, shape, [[start + i for start in parts] for i in range(n)])


def _constant(imp, node, attrs):
    from onnx import numpy_helper

    if "value" not in attrs:
        raise NodeError("only the attribute 'value' (a tensor) is supported")
    if attrs["value"].data_location == attrs["value"].EXTERNAL:
        raise NodeError("its tensor is stored in an external file, which is not supported")
    return ConstTensor(numpy_helper.to_array(attrs["value"]))


OPERATORS = {
    "Add": _add, "AveragePool": _average_pool, "BatchNormalization": _batch_norm,
    "Constant": _constant, "Conv": _conv, "Div": _div, "Dropout": _dropout, "Flatten": _flatten,
    "Gemm": _gemm, "Identity": _identity, "LeakyRelu": _leaky_relu, "MatMul": _matmul,
    "Max": _max, "MaxPool": _max_pool, "Mul": _mul, "Pad": _pad, "PRelu": _prelu, "Relu": _relu,
    "Reshape": _reshape, "Sub": _sub,
}

# Float attributes are float32 in ONNX, their defaults too.
_FLOAT32_1E_5, _FLOAT32_0_01 = float(np.float32(1e-5)), float(np.float32(0.01))

_WINDOW = {"auto_pad": "NOTSET", "kernel_shape": [], "pads": [], "strides": [], "dilations": []}

#: The attributes each operator may carry, with their defaults; any other is refused.
ATTRIBUTES: dict[str, dict[str, Any]] = {
    "AveragePool": {**_WINDOW, "ceil_mode": 0, "count_include_pad": 0},
    "BatchNormalization": {"epsilon": _FLOAT32_1E_5, "momentum": 0.9, "training_mode": 0, "spatial": 1},
    "Constant": {"value": None},
    "Conv": {**_WINDOW, "group": 1},
    "Dropout": {"seed": 0},
    "Flatten": {"axis": 1},
    "Gemm": {"alpha": 1.0, "beta": 1.0, "transA": 0, "transB": 0},
    "LeakyRelu": {"alpha": _FLOAT32_0_01},
    "MaxPool": {**_WINDOW, "ceil_mode": 0, "storage_order": 0},
    "Pad": {"mode": "constant"},
    "Reshape": {"allowzero": 0},
}

