"""ONNX import: imported networks compute the model's outputs exactly; refusals are one line.

Two oracles: onnxruntime (floats, so agreement within float32 rounding at random points) and,
on small models, a forward pass written out by hand in Fractions (exact equality).
"""

import json
import sys
from fractions import Fraction

import numpy as np
import pytest

onnx = pytest.importorskip("onnx")
ort = pytest.importorskip("onnxruntime")
from onnx import TensorProto, helper, numpy_helper  # noqa: E402

from polyregions import load_network  # noqa: E402
from polyregions.errors import ModelFormatError  # noqa: E402
from polyregions.io.onnx import load_onnx  # noqa: E402
from tests.cli_helpers import assert_one_line_error, run  # noqa: E402

F = Fraction


def _model(nodes, shape, constants=(), opset=17, inputs=None):
    """A model of `nodes` from the input ``x`` of `shape` to the output ``y``."""
    inits = [numpy_helper.from_array(np.asarray(v, np.float32 if np.asarray(v).dtype.kind == "f"
                                                else np.asarray(v).dtype), name)
             for name, v in dict(constants).items()]
    graph = helper.make_graph(
        nodes, "g", inputs or [helper.make_tensor_value_info("x", TensorProto.FLOAT, shape)],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)], inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])
    model = onnx.shape_inference.infer_shapes(model)  # the checker wants the output's shape
    model.graph.output[0].type.tensor_type.shape.SetInParent()  # where inference found none
    return model


def _load(model, tmp_path, name="model.onnx"):
    path = tmp_path / name
    onnx.save(model, str(path))
    return load_network(path)


def _node(op, inputs, output="y", **attrs):
    return helper.make_node(op, inputs, [output], name=f"{op.lower()}_{output}", **attrs)


def _agrees_with_onnxruntime(net, model, shape, seed=0, points=20):
    """Exact evaluation at random float32 points against onnxruntime's float32 answer."""
    session = ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
    rng = np.random.default_rng(seed)
    for _ in range(points):
        x = rng.uniform(-2, 2, shape).astype(np.float32)
        expected = session.run(None, {"x": x})[0].ravel().astype(np.float64)
        exact = net.evaluate([F(float(v)) for v in x.ravel()])
        assert len(exact) == expected.size
        got = np.array([float(v) for v in exact])
        assert np.allclose(got, expected, rtol=1e-5, atol=1e-5), (got, expected)


def _weights(rng, *shape):
    """float32 weights of all sizes, as a trained model has (no rounding-friendly values)."""
    return rng.normal(0, 0.7, shape).astype(np.float32)


# ------------------------------------------------------------------- exact, by hand


def test_small_mlp_matches_a_rational_forward_pass(tmp_path):
    mean, std = np.array([0.1, -0.3], np.float32), np.array([0.7, 3.0], np.float32)
    a = np.array([[0.3, -1.1], [2.0, 0.25], [-0.6, 0.9]], np.float32)  # B of Gemm, transB=1
    c = np.array([0.2, -0.1, 0.05], np.float32)
    m = np.array([[1.5], [-0.3], [0.7]], np.float32)
    model = _model([_node("Sub", ["x", "mean"], "s"), _node("Div", ["s", "std"], "n"),
                    _node("Gemm", ["n", "a", "c"], "g", alpha=0.5, beta=2.0, transB=1),
                    _node("LeakyRelu", ["g"], "h", alpha=0.125),
                    _node("MatMul", ["h", "m"], "p"), _node("Mul", ["k", "p"], "y")],
                   [1, 2], {"mean": mean, "std": std, "a": a, "c": c, "m": m,
                            "k": np.array([-2.0], np.float32)})
    net = _load(model, tmp_path)
    assert [layer.kind for layer in net.layers] == ["leaky_relu", "linear"]
    assert net.layers[0].slope == F(1, 8)

    def exact(v):
        return F(float(v))  # the float32's binary value

    def forward(x):
        n = [(x[i] - exact(mean[i])) / exact(std[i]) for i in range(2)]
        g = [F(1, 2) * sum(n[k] * exact(a[j, k]) for k in range(2)) + 2 * exact(c[j])
             for j in range(3)]
        h = [v if v > 0 else v / 8 for v in g]
        return (-2 * sum(h[j] * exact(m[j, 0]) for j in range(3)),)

    for x in [(F(0), F(0)), (F(1, 3), F(-5, 7)), (F(-2), F(9, 4)), (F(10**30, 3), F(1))]:
        assert net.evaluate(x) == forward(x)
    assert net.layers[0].biases[0] != float(net.layers[0].biases[0])  # 0.1 and 0.7 stay exact
    _agrees_with_onnxruntime(net, model, [1, 2])


def test_float32_numbers_are_taken_at_their_binary_value(tmp_path):
    model = _model([_node("Mul", ["x", "k"])], [1], {"k": np.array([0.1], np.float32)})
    net = _load(model, tmp_path)
    assert net.evaluate([1]) == (F(13421773, 134217728),)  # float32(0.1), not 1/10


def test_maxpool_is_a_maxout_unit_per_window_with_pieces_in_window_order(tmp_path):
    # a 1x1x2x3 image, 2x2 windows with stride 1: two windows, pieces (0,0) (0,1) (1,0) (1,1)
    model = _model([_node("MaxPool", ["x"], kernel_shape=[2, 2])], [1, 1, 2, 3])
    net = _load(model, tmp_path)
    (layer,) = net.layers
    assert layer.kind == "maxout" and layer.ranks == (4, 4)
    picks = [[w.index(1) for w in unit] for unit in layer.weights]
    assert picks == [[0, 1, 3, 4], [1, 2, 4, 5]]
    assert net.evaluate([F(v) for v in (1, 7, 2, 3, 4, 8)]) == (F(7), F(8))


def test_max_of_affine_inputs_and_a_constant_is_one_maxout_layer(tmp_path):
    model = _model([_node("Mul", ["x", "minus"], "n"), _node("Max", ["x", "n", "half"])],
        [1, 2], {"minus": np.array([-1.0], np.float32), "half": np.array([0.5], np.float32)})
    net = _load(model, tmp_path)
    (layer,) = net.layers
    assert layer.ranks == (3, 3)  # pieces: x, -x, 1/2 in input order
    assert net.evaluate([F(-3), F(1, 4)]) == (F(3), F(1, 2))
    assert net.activation_pattern([F(-3), F(1, 4)]) == ((1, 2),)
    _agrees_with_onnxruntime(net, model, [1, 2])


def test_average_pool_divides_by_the_window_it_covers(tmp_path):
    # 1x1x1x3 input, kernel 1x2, pads 1 on the right: windows (a, b), (b, c), (c, pad)
    for include, last in [(0, F(5)), (1, F(5, 2))]:
        model = _model([_node("AveragePool", ["x"], kernel_shape=[1, 2], pads=[0, 0, 0, 1],
                              count_include_pad=include)], [1, 1, 1, 3])
        net = _load(model, tmp_path)
        assert net.evaluate([F(1), F(2), F(5)]) == (F(3, 2), F(7, 2), last)
        _agrees_with_onnxruntime(net, model, [1, 1, 1, 3])


def test_batch_norm_with_a_rational_square_root_is_folded_exactly(tmp_path):
    # var + eps = 2 + 1/4 = (3/2)^2 and 1/4 - 1/4 = 0 -> a zero scale would divide by 0: 0 + 1/4
    scale, shift = np.array([3.0, 1.0], np.float32), np.array([0.5, -1.0], np.float32)
    mean, var = np.array([1.0, -2.0], np.float32), np.array([2.0, 0.0], np.float32)
    model = _model([_node("BatchNormalization", ["x", "s", "b", "m", "v"], epsilon=0.25)],
                   [1, 2, 1, 1], {"s": scale, "b": shift, "m": mean, "v": var})
    net = _load(model, tmp_path)
    # channel 0: 3 (x - 1) / (3/2) + 1/2; channel 1: (x + 2) / (1/2) - 1
    assert net.evaluate([F(4), F(1)]) == (F(13, 2), F(5))
    _agrees_with_onnxruntime(net, model, [1, 2, 1, 1])


# ------------------------------------------------------------------- against onnxruntime


def _conv_net(rng):
    return _model(
        [_node("Conv", ["x", "w", "wb"], "c", strides=[2, 1], pads=[1, 0, 0, 1], dilations=[1, 2],
               group=2),
         _node("BatchNormalization", ["c", "s", "b", "m", "v"], "n", epsilon=0.25),
         _node("Relu", ["n"], "r"),
         _node("MaxPool", ["r"], "p", kernel_shape=[2, 2], pads=[1, 1, 0, 0], strides=[1, 2]),
         _node("Flatten", ["p"], "f"), _node("Gemm", ["f", "g"], "y", transB=1)],
        [1, 2, 5, 5],
        {"w": _weights(rng, 4, 1, 2, 2), "wb": _weights(rng, 4),
         "s": _weights(rng, 4), "b": _weights(rng, 4), "m": _weights(rng, 4),
         "v": np.array([2.0, 0.0, 0.75, 6.0], np.float32), "g": _weights(rng, 3, 24)})


def _mlp(rng):
    return _model([_node("Gemm", ["x", "w1", "b1"], "h", alpha=0.75, beta=-1.5),
                   _node("Relu", ["h"], "r"), _node("MatMul", ["r", "w2"], "z"),
                   _node("Add", ["b2", "z"], "a"), _node("PRelu", ["a", "slope"], "q"),
                   _node("Dropout", ["q"], "d"), _node("Identity", ["d"], "i"),
                   _node("Reshape", ["i", "shape"], "t"), _node("MatMul", ["t", "w3"], "y")],
                  [1, 3], {"w1": _weights(rng, 3, 6), "b1": _weights(rng, 6),
                           "w2": _weights(rng, 6, 4), "b2": _weights(rng, 4),
                           "slope": np.array([0.2], np.float32),
                           "shape": np.array([2, 2], np.int64), "w3": _weights(rng, 2)})


def _transposed_gemm(rng):
    # x is (3, 1): Gemm with transA reads it as a (1, 3) row; two affine ops fold into one layer
    return _model([_node("Gemm", ["x", "w", "c"], "g", transA=1, transB=1, alpha=-2.0),
                   _node("Sub", ["k", "g"], "s"), _node("Div", ["s", "k"], "y")],
                  [3, 1], {"w": _weights(rng, 2, 3), "c": _weights(rng, 1, 2),
                           "k": np.array([[4.0, -0.5]], np.float32)})


def _avg_conv(rng):
    return _model([_node("Conv", ["x", "w"], "c", kernel_shape=[3], pads=[1, 1]),
                   _node("AveragePool", ["c"], "a", kernel_shape=[2], strides=[2]),
                   _node("LeakyRelu", ["a"], "l"), _node("Max", ["l", "k"], "y")],
                  [1, 2, 6], {"w": _weights(rng, 3, 2, 3), "k": _weights(rng, 1, 1, 1)})


def _column(rng):
    # the form of many verification benchmarks: a column input and constant matrices on the left
    return _model([_node("MatMul", ["w1", "x"], "z"), _node("Add", ["z", "b1"], "a"),
                   _node("Relu", ["a"], "r"), _node("MatMul", ["w2", "r"], "y")],
                  [3, 2], {"w1": _weights(rng, 4, 3), "b1": _weights(rng, 4, 1),
                           "w2": _weights(rng, 2, 4)})


def _padded(rng):
    return _model([_node("Pad", ["x", "p", "v"], "a"), _node("Conv", ["a", "w"], "c"),
                   _node("Relu", ["c"], "r"), _node("Pad", ["r", "q"], "e", mode="edge"),
                   _node("Pad", ["e", "q"], "f", mode="reflect"), _node("Flatten", ["f"], "y")],
                  [1, 1, 3, 3], {"p": np.array([0, 0, 1, 0, 0, 0, 2, 1]), "v": np.float32(0.75),
                                 "w": _weights(rng, 2, 1, 2, 2),
                                 "q": np.array([0, 0, 1, 1, 0, 0, 0, 1])})


@pytest.mark.parametrize("build, shape, kinds", [
    (_mlp, [1, 3], ["relu", "leaky_relu", "linear"]),
    (_conv_net, [1, 2, 5, 5], ["relu", "maxout", "linear"]),
    (_transposed_gemm, [3, 1], ["linear"]),
    (_avg_conv, [1, 2, 6], ["leaky_relu", "maxout"]),
    (_column, [3, 2], ["relu", "linear"]),
    (_padded, [1, 1, 3, 3], ["relu", "linear"]),
], ids=["mlp", "conv-bn-relu-maxpool", "gemm-transposed", "conv1d-avgpool-max", "constant-left",
        "pad"])
def test_imported_networks_agree_with_onnxruntime(tmp_path, build, shape, kinds):
    model = build(np.random.default_rng(3))
    net = _load(model, tmp_path)
    assert [layer.kind for layer in net.layers] == kinds
    _agrees_with_onnxruntime(net, model, shape)


def test_a_constant_matrix_on_the_left_of_a_vector_is_exact(tmp_path):
    model = _model([_node("MatMul", ["w", "x"])], [2], {"w": [[1.0, 2.0], [-0.5, 0.25]]})
    assert _load(model, tmp_path).evaluate([F(1, 3), F(3)]) == (F(19, 3), F(7, 12))


def test_pad_fills_with_its_constant_or_copies_the_edge(tmp_path):
    for mode, expected in [("constant", (F(-1, 2), 1, 2, F(-1, 2))), ("edge", (1, 1, 2, 2)),
                           ("reflect", (2, 1, 2, 1))]:
        inputs = ["x", "p", "v"] if mode == "constant" else ["x", "p"]
        model = _model([_node("Pad", inputs, mode=mode)], [2],
                       {"p": np.array([1, 1]), "v": np.float32(-0.5)})
        assert _load(model, tmp_path).evaluate([1, 2]) == expected


def test_a_network_without_activation_is_one_linear_layer(tmp_path):
    model = _model([_node("Flatten", ["x"])], [1, 2, 2])
    net = _load(model, tmp_path)
    assert [layer.kind for layer in net.layers] == ["linear"]
    assert net.evaluate([1, 2, 3, 4]) == (1, 2, 3, 4)


# ------------------------------------------------------------------- refusals


def _refusal(tmp_path, model):
    path = tmp_path / "bad.onnx"
    onnx.save(model, str(path))
    with pytest.raises(ModelFormatError) as info:
        load_network(path)
    message = str(info.value)
    assert "\n" not in message
    return message.replace(str(path), "bad.onnx")


def test_unknown_operator_is_refused_naming_file_node_and_operator(tmp_path):
    message = _refusal(tmp_path, _model([_node("Tanh", ["x"])], [1, 2]))
    assert message.startswith("model file bad.onnx: node 'tanh_y' (Tanh): the operator is not "
                              "supported (supported: Add, AveragePool, ")


def test_unnamed_node_is_named_by_its_index(tmp_path):
    nodes = [_node("Relu", ["x"], "r"), helper.make_node("Sigmoid", ["r"], ["y"])]
    message = _refusal(tmp_path, _model(nodes, [1, 2]))
    assert message.startswith("model file bad.onnx: node 1 (Sigmoid): the operator is not")


@pytest.mark.parametrize("nodes, constants, expected", [
    ([_node("MatMul", ["x", "x"])], {},
     "node 'matmul_y' (MatMul): input 'x' is not a constant"),
    ([_node("Div", ["k", "x"])], {"k": [1.0, 2.0]},
     "node 'div_y' (Div): input 'k' must depend on the model's input"),
    ([_node("Div", ["x", "k"])], {"k": [1.0, 0.0]},
     "node 'div_y' (Div): the divisor 'k' has an entry 0"),
    ([_node("Reshape", ["x", "s"], "i"), _node("MaxPool", ["i"], kernel_shape=[1], ceil_mode=1)],
     {"s": np.array([1, 1, 2])},
     "node 'maxpool_y' (MaxPool): ceil_mode 1 is not supported"),
    ([_node("Reshape", ["x", "s"], "i"), _node("Conv", ["i", "w"], auto_pad="SAME_UPPER")],
     {"s": np.array([1, 1, 2]), "w": np.ones((1, 1, 1), np.float32)},
     "node 'conv_y' (Conv): auto_pad 'SAME_UPPER' is not supported (give pads)"),
    ([_node("Relu", ["x"], "r"), _node("Gemm", ["x", "w"], "g"), _node("Max", ["r", "g"])],
     {"w": np.ones((2, 2), np.float32)},
     "node 'max_y' (Max): its inputs come from different layers: the network must be a chain"),
    ([_node("LeakyRelu", ["x"], alpha=1.5)], {},
     "node 'leakyrelu_y' (LeakyRelu): leaky_relu slope must satisfy 0 <= slope < 1, got 3/2"),
    ([_node("PRelu", ["x", "a"])], {"a": [0.5, 0.25]},
     "node 'prelu_y' (PRelu): the slopes 'a' differ between units; a leaky_relu layer has one "
     "slope"),
    ([_node("Add", ["x", "k"])], {"k": [float("inf"), 1.0]},
     "node 'add_y' (Add): 'k' holds a number that is not finite"),
    ([_node("Add", ["x", "k"])], {"k": [1.0, 2.0, 3.0]},
     "node 'add_y' (Add): shapes (1, 2), (3,) do not broadcast"),
    ([_node("BatchNormalization", ["x", "o", "o", "o", "o"])], {"o": [1.0, 1.0]},
     "node 'batchnormalization_y' (BatchNormalization): sqrt(var + epsilon) of channel 0 is not "
     "rational (var + epsilon = 274880655723/274877906944), so it cannot be folded in exactly"),
    ([_node("Gemm", ["x", "w"], transB=1)], {"w": np.ones((3, 3), np.float32)},
     "node 'gemm_y' (Gemm): inner dimensions differ: (1, 2) times (3, 3)"),
    ([_node("Relu", ["x"], "r"), _node("Dropout", ["r", "p", "t"])],
     {"p": np.array(0.5, np.float32), "t": np.array(True)},
     "node 'dropout_y' (Dropout): training_mode is true; only inference is supported"),
    ([_node("Reshape", ["x", "s"])], {"s": np.array([2.0, 1.0], np.float32)},
     "node 'reshape_y' (Reshape): the shape 's' has type float32, expected int64"),
    ([_node("Reshape", ["x", "s"])], {"s": np.array([3, -1])},
     "node 'reshape_y' (Reshape): cannot reshape (1, 2) to (3, -1)"),
    ([_node("Pad", ["x", "p"], mode="reflect")], {"p": np.array([0, 2, 0, 0])},
     "node 'pad_y' (Pad): mode 'reflect' with pads [0, 2, 0, 0] is not supported"),
], ids=["non-constant", "constant-over-x", "divide-by-0", "ceil-mode", "auto-pad", "skip",
        "slope", "prelu-per-unit", "infinity", "broadcast", "bn-irrational", "shapes", "training",
        "reshape-float", "reshape-size", "pad-reflect-too-far"])
def test_refusals_name_the_node_and_the_problem(tmp_path, nodes, constants, expected):
    assert _refusal(tmp_path, _model(nodes, [1, 2], constants)) == f"model file bad.onnx: {expected}"


def test_a_layer_too_large_to_build_is_refused_before_it_is_built(tmp_path, monkeypatch):
    monkeypatch.setattr("polyregions.io.onnx.MAX_LAYER_WEIGHTS", 7)
    fits = _model([_node("Relu", ["x"], "r"), _node("MatMul", ["r", "w"])], [1, 2],
                  {"w": np.ones((2, 3), np.float32)})
    assert _load(fits, tmp_path).widths == (2, 2, 3)  # relu: 2 x 2 weights; linear: 3 x 2
    pooled = _model([_node("MaxPool", ["x"], kernel_shape=[3])], [1, 1, 3])
    assert _refusal(tmp_path, pooled) == (
        "model file bad.onnx: node 'maxpool_y' (MaxPool): its layer would hold 9 weights "
        "(1 units on 3 inputs), more than the 7 an imported layer may have")
    tail = _model([_node("Relu", ["x"], "r"), _node("MatMul", ["r", "w"])], [1, 2],
                  {"w": np.ones((2, 4), np.float32)})
    assert _refusal(tmp_path, tail) == (
        "model file bad.onnx: the output 'y': its layer would hold 8 weights (4 units on 2 "
        "inputs), more than the 7 an imported layer may have")


def test_an_attribute_of_an_older_operator_version_is_refused(tmp_path):
    # Dropout before opset 7 says by attribute whether it is in training mode
    model = _model([_node("Relu", ["x"], "r"), _node("Dropout", ["r"], ratio=0.5)], [1, 2], opset=6)
    message = _refusal(tmp_path, model)
    assert message == ("model file bad.onnx: node 'dropout_y' (Dropout): attribute 'ratio' is not "
                       "supported")


@pytest.mark.parametrize("inputs, expected", [
    ([helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", 2])],
     "input 'x' has a dynamic dimension ('N'); only fixed shapes are supported"),
    ([helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 2]),
      helper.make_tensor_value_info("z", TensorProto.FLOAT, [1, 2])],
     "the graph has 2 inputs and 1 outputs; exactly one of each is supported"),
    ([helper.make_tensor_value_info("x", TensorProto.INT64, [1, 2])],
     "input 'x' must be a float or double tensor"),
], ids=["dynamic", "two-inputs", "int-input"])
def test_graph_inputs_must_be_one_fixed_float_tensor(tmp_path, inputs, expected):
    model = _model([_node("Relu", ["x"])], None, inputs=inputs)
    assert _refusal(tmp_path, model) == f"model file bad.onnx: {expected}"


def test_invalid_and_unreadable_files_are_refused(tmp_path):
    garbage = tmp_path / "garbage.onnx"
    garbage.write_bytes(b"\xff not a protobuf")
    with pytest.raises(ModelFormatError, match=r"^cannot read model file .*garbage.onnx as ONNX"):
        load_network(garbage)
    with pytest.raises(ModelFormatError, match=r"^model file not found: .*missing.onnx$"):
        load_network(tmp_path / "missing.onnx")
    broken = _model([_node("Relu", ["nowhere"])], [1, 2])  # an input nothing defines
    message = _refusal(tmp_path, broken)
    assert message.startswith("model file bad.onnx is not a valid ONNX model: ")


def test_weights_in_an_external_file_are_refused_not_opened(tmp_path):
    model = _model([_node("MatMul", ["x", "w"])], [1, 2], {"w": np.ones((2, 2), np.float32)})
    onnx.save_model(model, str(tmp_path / "ext.onnx"), save_as_external_data=True,
                    location="weights.bin", size_threshold=0)
    assert (tmp_path / "weights.bin").is_file()
    with pytest.raises(ModelFormatError) as info:
        load_network(tmp_path / "ext.onnx")
    assert str(info.value) == (f"model file {tmp_path / 'ext.onnx'}: tensor 'w' is stored in an "
                               "external file, which is not supported")


def test_without_onnx_the_error_says_what_to_install(tmp_path, monkeypatch):
    path = tmp_path / "m.onnx"
    onnx.save(_model([_node("Relu", ["x"])], [1, 2]), str(path))
    monkeypatch.setitem(sys.modules, "onnx", None)  # import onnx now raises ImportError
    with pytest.raises(ModelFormatError) as info:
        load_onnx(path)
    assert str(info.value) == (f"model file {path}: reading ONNX models needs the onnx package: "
                               ".venv/bin/pip install -e '.[onnx]'")


# ------------------------------------------------------------------- the command line


def test_count_reads_onnx_like_the_equivalent_json_model(tmp_path, capsys):
    rng = np.random.default_rng(5)
    w1, b1, w2 = _weights(rng, 2, 5), _weights(rng, 5), _weights(rng, 5, 3)
    model = _model([_node("MatMul", ["x", "w1"], "z"), _node("Add", ["z", "b1"], "a"),
                    _node("Relu", ["a"], "r"), _node("MatMul", ["r", "w2"], "y")],
                   [1, 2], {"w1": w1, "b1": b1, "w2": w2})
    onnx.save(model, str(tmp_path / "m.onnx"))
    as_json = {"input_dim": 2, "layers": [
        {"type": "relu", "weights": w1.T.astype(float).tolist(), "biases": b1.astype(float).tolist()},
        {"type": "linear", "weights": w2.T.astype(float).tolist(), "biases": [0, 0, 0]}]}
    (tmp_path / "m.json").write_text(json.dumps(as_json))
    counts = []
    for name in ("m.onnx", "m.json"):
        status, out, err = run(["count", str(tmp_path / name), "--box", "-1", "1", "--json"], capsys)
        assert (status, err) == (0, "")
        counts.append(json.loads(out)["activation_regions"])
    assert counts[0] == counts[1] > 1


def test_count_refuses_a_bad_onnx_model_in_one_line(tmp_path, capsys):
    onnx.save(_model([_node("Tanh", ["x"])], [1, 2]), str(tmp_path / "m.onnx"))
    status, out, err = run(["count", str(tmp_path / "m.onnx"), "--box", "-1", "1"], capsys)
    assert_one_line_error(status, out, err, "node 'tanh_y' (Tanh): the operator is not supported")
