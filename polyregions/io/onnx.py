"""Exact import of ONNX models (the ``onnx`` extra: ``.venv/bin/pip install -e '.[onnx]'``).

:func:`load_onnx` reads an ONNX file as data (``onnx.load``, then ``onnx.checker``; nothing in it
is executed, and no custom operator is run) and maps its graph onto the layers of
:mod:`polyregions.network`. Supported operators (default domain):

* affine, composed exactly: ``Gemm`` (``alpha``, ``beta``, ``transA``, ``transB``), ``MatMul``
  (``x @ B`` with a constant ``B`` of rank 1 or 2, or ``A @ x`` with a constant matrix
  ``A``), ``Add``, ``Sub``, ``Mul`` with a constant on
  either side, ``Div`` by a constant, ``Flatten``, ``Reshape``, ``Identity``, ``Dropout``
  (inference), ``BatchNormalization`` (inference, see below), ``Conv`` (any number of spatial
  dimensions, groups, strides, dilations, explicit pads) as a dense affine map and
  ``AveragePool`` and ``Pad`` (by constants, in the modes ``constant``, ``edge`` and
  ``reflect``);
* nonlinear: ``Relu``, ``LeakyRelu``, ``PRelu`` with one constant slope for all units,
  ``MaxPool`` (a maxout unit per window, its pieces in window order) and ``Max`` of several
  inputs (a maxout unit per element, its pieces in input order).

polyregions layers are *affine map + activation*: the affine operators between two
nonlinearities compose into one exact map, the weights of the next layer; those after the last
nonlinearity become a final ``linear`` layer. Every float32 or float64 number of the file is
taken at its exact binary value; no arithmetic is done in floats.
``BatchNormalization`` divides by ``sqrt(var + epsilon)``, which is taken only where it is
rational; otherwise the model is refused, since the folded map would not be the model's.

The input vector of the network is the C-order flattening of the graph's one input (batch
dimension included, so its shape must be fixed), the output vector that of its one output.
Anything else is refused with a :class:`~polyregions.errors.ModelFormatError` that names the
file, the node and its operator; so is a layer of more than :data:`MAX_LAYER_WEIGHTS` dense
weights. Nodes that do not feed the output are ignored.
"""

import math
import os
from typing import Any

from ..errors import ModelFormatError, install_command
from ..network import Layer, LinearLayer, MaxoutLayer, Network
from .onnx_operators import ATTRIBUTES, OPERATORS, AffineTensor, ConstTensor, NodeError

__all__ = ["load_onnx"]


#: The most weights an imported layer may hold. Layers are dense (a weight for every unit and
#: input): a convolution of a 28x28 image into 32 channels already needs 18 million, and
#: building far more would take minutes and gigabytes before any answer, so it is refused.
MAX_LAYER_WEIGHTS = 10_000_000


def load_onnx(path: str | os.PathLike[str]) -> Network:
    """Read an ONNX model file into an exact :class:`~polyregions.network.Network`.

    Parameters
    ----------
    path : str or path-like

    Returns
    -------
    Network
        ``network.evaluate(x)`` is the model's output on the input ``x`` (flattened in C
        order), computed exactly from the file's numbers.

    Raises
    ------
    ModelFormatError
        When onnx is not installed, or the file is unreadable, invalid or uses anything
        outside the supported operators (see the module docstring); the message names the
        file and the node.

    Examples
    --------
    >>> import os, tempfile
    >>> import numpy as np
    >>> from onnx import TensorProto, helper, numpy_helper, save
    >>> w = numpy_helper.from_array(np.array([[1.0, -0.5], [0.0, 2.0]], np.float32), "w")
    >>> graph = helper.make_graph(
    ...     [helper.make_node("MatMul", ["x", "w"], ["z"]), helper.make_node("Relu", ["z"], ["y"])],
    ...     "g", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 2])],
    ...     [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 2])], [w])
    >>> path = os.path.join(tempfile.mkdtemp(), "net.onnx")
    >>> save(helper.make_model(graph), path)
    >>> net = load_onnx(path)
    >>> net
    Network(input_dim=2, layers=[relu[2]])
    >>> [[str(v) for v in row] for row in net.layers[0].weights]  # x @ w: rows of w transposed
    [['1', '0'], ['-1/2', '2']]
    """
    path = os.fspath(path)
    try:
        import onnx
    except ImportError:
        raise ModelFormatError(
            f"model file {path}: reading ONNX models needs the onnx package: {install_command('onnx')}"
        ) from None
    graph = _read(onnx, path).graph
    try:
        return _Importer(graph).network()
    except ModelFormatError as err:
        raise ModelFormatError(f"model file {path}: {err}") from None


def _read(onnx, path):
    from google.protobuf.message import DecodeError

    try:
        model = onnx.load(path, load_external_data=False)
    except FileNotFoundError:
        raise ModelFormatError(f"model file not found: {path}") from None
    except (OSError, DecodeError, ValueError) as err:
        raise ModelFormatError(f"cannot read model file {path} as ONNX: {_first_line(err)}") from err
    for tensor in model.graph.initializer:
        if tensor.data_location == onnx.TensorProto.EXTERNAL:
            # Reading it would open another file the model names; we read one file only.
            raise ModelFormatError(f"model file {path}: tensor {tensor.name!r} is stored in an "
                                   "external file, which is not supported")
    try:
        onnx.checker.check_model(model)
    except (onnx.checker.ValidationError, ValueError) as err:  # ValueError: over 2 GiB
        raise ModelFormatError(f"model file {path} is not a valid ONNX model: "
                               f"{_first_line(err)}") from err
    return model


def _first_line(err):
    lines = str(err).strip().splitlines()
    return lines[0] if lines else type(err).__name__


# ----------------------------------------------------------------------------- the graph walk


class _Importer:
    """Walks a checked ONNX graph in its (topological) node order, building layers."""

    def __init__(self, graph: Any) -> None:
        from onnx import numpy_helper

        self.graph = graph
        self.values: dict[str, Any] = {
            t.name: ConstTensor(numpy_helper.to_array(t)) for t in graph.initializer}
        self.layers: list[Layer] = []
        self.input_width = self._input()

    def _input(self):
        inputs = [v for v in self.graph.input if v.name not in self.values]
        outputs = list(self.graph.output)
        if len(inputs) != 1 or len(outputs) != 1:
            raise ModelFormatError(
                f"the graph has {len(inputs)} inputs and {len(outputs)} outputs; "
                "exactly one of each is supported")
        value = inputs[0]
        tensor = value.type.tensor_type
        from onnx import TensorProto

        if not value.type.HasField("tensor_type") or tensor.elem_type not in (
                TensorProto.FLOAT, TensorProto.DOUBLE):
            raise ModelFormatError(f"input {value.name!r} must be a float or double tensor")
        if not tensor.HasField("shape"):
            raise ModelFormatError(f"input {value.name!r} has no shape; a fixed shape is needed")
        shape = []
        for dim in tensor.shape.dim:
            if not dim.HasField("dim_value") or dim.dim_value < 1:
                what = repr(dim.dim_param) if dim.HasField("dim_param") else "unknown"
                raise ModelFormatError(f"input {value.name!r} has a dynamic dimension ({what}); "
                                       "only fixed shapes are supported")
            shape.append(dim.dim_value)
        self.values[value.name] = AffineTensor.identity(tuple(shape), 0)
        return math.prod(shape)

    def network(self):
        output = self.graph.output[0].name
        for index, node in self._needed_nodes(output):
            where = f"node {node.name!r}" if node.name else f"node {index}"
            where += f" ({node.op_type})"
            try:
                self._run(node)
            except NodeError as err:
                raise ModelFormatError(f"{where}: {err}") from None
            except ModelFormatError as err:  # from a layer's own checks
                raise ModelFormatError(f"{where}: {err}") from None
        result = self.values.get(output)
        if not isinstance(result, AffineTensor):
            raise ModelFormatError(f"the output {output!r} does not depend on the input")
        if self.layers and result.depth == len(self.layers) and result.is_identity():
            return Network(self.input_width, self.layers)
        try:
            units = self.dense(result, [[i] for i in range(len(result.rows))])
        except NodeError as err:
            raise ModelFormatError(f"the output {output!r}: {err}") from None
        tail = LinearLayer([u[0][0] for u in units], [u[0][1] for u in units], "the output layer")
        return Network(self.input_width, self.layers + [tail])

    def _needed_nodes(self, output):
        """The nodes the output depends on, in graph order, with their index."""
        needed, chosen = {output}, []
        nodes = list(self.graph.node)
        for index in reversed(range(len(nodes))):
            node = nodes[index]
            if needed & set(node.output):
                chosen.append((index, node))
                needed |= {name for name in node.input if name}
        self._needed = needed
        return reversed(chosen)

    def _run(self, node):
        if node.domain not in ("", "ai.onnx"):
            raise NodeError(f"operators of domain {node.domain!r} are not supported")
        handler = OPERATORS.get(node.op_type)
        if handler is None:
            raise NodeError(f"the operator is not supported (supported: {', '.join(sorted(OPERATORS))})")
        attributes, allowed = _attributes(node), ATTRIBUTES.get(node.op_type, {})
        for name in attributes:
            if name not in allowed:
                raise NodeError(f"attribute {name!r} is not supported")
        attrs = {**allowed, **attributes}
        for name in node.output[1:]:
            if name and name in self._needed:
                raise NodeError(f"output {name!r} is used; only the first output is supported")
        self.values[node.output[0]] = handler(self, node, attrs)

    # ---- operands

    def operand(self, node, k):
        name = node.input[k] if k < len(node.input) else ""
        if not name:
            return None
        if name not in self.values:
            raise NodeError(f"input {name!r} is not defined before this node")
        return self.values[name]

    def constant(self, node, k, exact=True):
        value = self.operand(node, k)
        if value is None:
            return None
        if not isinstance(value, ConstTensor):
            raise NodeError(f"input {node.input[k]!r} is not a constant")
        return value.exact(node.input[k]) if exact else value.array

    def variable(self, node, k):
        value = self.operand(node, k)
        if not isinstance(value, AffineTensor):
            raise NodeError(f"input {node.input[k]!r} must depend on the model's input")
        return value

    def activate(self, x, make):
        """Append the layer ``make(weights, biases)`` on `x`; its output is the new base."""
        units = self.dense(x, [[i] for i in range(len(x.rows))])
        self.layers.append(make([unit[0][0] for unit in units], [unit[0][1] for unit in units]))
        return AffineTensor.identity(x.shape, len(self.layers))

    def maxout(self, x, shape, pieces):
        """Append a maxout layer: unit ``i`` is the max of ``x``'s elements ``pieces[i]``."""
        units = self.dense(x, pieces)
        self.layers.append(MaxoutLayer([[w for w, _ in unit] for unit in units],
                                       [[b for _, b in unit] for unit in units], "maxout"))
        return AffineTensor.identity(shape, len(self.layers))

    def dense(self, x, pieces):
        """The dense ``(w, b)`` of every unit's pieces, the elements ``pieces[u]`` of `x`."""
        if x.depth != len(self.layers):
            raise NodeError("it uses a value from before the last layer: the network must be a chain")
        size = sum(len(unit) for unit in pieces) * x.width
        if size > MAX_LAYER_WEIGHTS:
            raise NodeError(f"its layer would hold {size:,} weights ({len(pieces):,} units on "
                           f"{x.width:,} inputs), more than the {MAX_LAYER_WEIGHTS:,} an imported "
                           "layer may have")
        return [[x.dense(j) for j in unit] for unit in pieces]


def _attributes(node):
    from onnx import helper

    values = {}
    for a in node.attribute:
        value = helper.get_attribute_value(a)
        values[a.name] = value.decode() if isinstance(value, bytes) else value
    return values
