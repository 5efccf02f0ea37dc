"""The JSON model format v1 and .npz model files: round trips, exact numbers, clear errors."""

import json
import pickle
from fractions import Fraction

import numpy as np
import pytest

from polyregions import (
    LeakyReluLayer,
    LinearLayer,
    MaxoutLayer,
    ModelFormatError,
    Network,
    ReluLayer,
    load_network,
    network_from_arrays,
    network_from_dict,
    network_to_dict,
    save_network,
)
from polyregions.network import FORMAT_V1

F = Fraction
DOUBLE_TENTH = F(3602879701896397, 2 ** 55)  # the exact value of the double 0.1


def every_kind():
    """A network with all four layer kinds and awkward exact numbers."""
    return Network(2, [
        MaxoutLayer([[[1, 0], [0, 1], [-1, -1]], [[F(1, 3), 2]]], [[0, 0, "1/3"], [-5]]),
        LeakyReluLayer("1/100", [[1, 2], [10 ** 100, F(-1, 10 ** 100)]], [0.1, 0]),
        ReluLayer([[F(-7, 3), 0.5]], [F(22, 7)]),
        LinearLayer([[1], [-2]], [0, "1e-3"]),
    ])


def write_json(tmp_path, data, name="model.json"):
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return path


def relu_model(weights=((1,),), biases=(0,), **extra):
    layer = {"type": "relu", "weights": [list(w) for w in weights], "biases": list(biases)}
    layer.update(extra)
    return {"format": FORMAT_V1, "input_dim": len(weights[0]), "layers": [layer]}


# ---------------------------------------------------------------- JSON round trips


def test_json_round_trip_gives_an_equal_network(tmp_path):
    net = every_kind()
    path = tmp_path / "net.json"
    save_network(net, path)
    assert load_network(path) == net
    assert load_network(str(path)) == net


def test_saved_numbers_are_exact_strings(tmp_path):
    path = tmp_path / "net.json"
    save_network(every_kind(), path)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["format"] == "polyregions/network-v1" and data["input_dim"] == 2
    assert [layer["type"] for layer in data["layers"]] == ["maxout", "leaky_relu", "relu", "linear"]
    assert data["layers"][0]["biases"] == [["0", "0", "1/3"], ["-5"]]
    assert data["layers"][1]["slope"] == "1/100"
    # The double 0.1 is written as its exact value 3602879701896397 / 2^55.
    assert data["layers"][1]["biases"] == ["3602879701896397/36028797018963968", "0"]
    assert data["layers"][1]["weights"][1] == [str(10 ** 100), "-1/" + str(10 ** 100)]
    assert data["layers"][3]["biases"] == ["0", "1/1000"]


def test_network_to_dict_and_back():
    net = every_kind()
    assert network_from_dict(network_to_dict(net)) == net
    assert network_to_dict(net)["layers"][2] == {
        "type": "relu", "weights": [["-7/3", "1/2"]], "biases": ["22/7"]}


def test_json_numbers_are_exact(tmp_path):
    text = ('{"format": "polyregions/network-v1", "input_dim": 4, "layers": [{"type": "relu",'
            ' "weights": [[0.1, "3/7", "0.125", -2], [0.5, "-1e-2", "12", 1e-3]],'
            ' "biases": ["10/4", 0]}]}')
    layer = load_network(write_json(tmp_path, text)).layers[0]
    # JSON floats at their binary64 value: 0.1 is not 1/10, 0.5 is 1/2; strings are decimal.
    assert layer.weights[0] == (DOUBLE_TENTH, F(3, 7), F(1, 8), F(-2))
    assert layer.weights[1] == (F(1, 2), F(-1, 100), F(12), F(0.001))
    assert F(0.001) != F(1, 1000)  # the double 1e-3 is not one thousandth either
    assert layer.biases == (F(5, 2), F(0))


def test_format_key_may_be_omitted():
    net = network_from_dict({"input_dim": 1, "layers": [{"type": "relu", "weights": [[1]], "biases": [0]}]})
    assert net == Network(1, [ReluLayer([[1]], [0])])


# ---------------------------------------------------------------- .npz


def test_npz_round_trip(tmp_path):
    path = tmp_path / "net.npz"
    rng = np.random.default_rng(0)
    arrays = {
        "input_dim": np.array(2),
        "layer0_type": np.array("maxout"),
        "layer0_weights": rng.normal(size=(3, 2, 2)),
        "layer0_biases": rng.normal(size=(3, 2)),
        "layer1_type": np.array("leaky_relu"),
        "layer1_weights": np.arange(6, dtype=np.int64).reshape(2, 3),
        "layer1_biases": np.array([0.1, -0.5]),
        "layer1_slope": np.array(0.25),
        "layer2_type": np.array("relu"),
        "layer2_weights": np.array([[1.0, -1.0]], dtype=np.float32),
        "layer2_biases": np.array([0.1], dtype=np.float32),
        "layer3_type": np.array("linear"),
        "layer3_weights": np.array([[2.0]]),
        "layer3_biases": np.array([0.0]),
    }
    np.savez(path, **arrays)
    net = load_network(path)
    expected = network_from_arrays(2, [
        ("maxout", arrays["layer0_weights"], arrays["layer0_biases"]),
        ("leaky_relu", arrays["layer1_weights"], arrays["layer1_biases"], 0.25),
        ("relu", arrays["layer2_weights"], arrays["layer2_biases"]),
        ("linear", arrays["layer3_weights"], arrays["layer3_biases"]),
    ])
    assert net == expected
    assert net.widths == (2, 3, 2, 1, 1)
    # Every float is read at its exact value, so the arrays come back bit for bit.
    assert np.array_equal(np.array(net.layers[0].weights, dtype=float), arrays["layer0_weights"])
    assert net.layers[1].biases == (DOUBLE_TENTH, F(-1, 2))
    assert net.layers[1].slope == F(1, 4)
    assert net.layers[2].biases == (F(13421773, 2 ** 27),)  # float32(0.1), 24 bits
    # ... and the JSON written from it loads as the same network.
    save_network(net, tmp_path / "net.json")
    assert load_network(tmp_path / "net.json") == net


def test_npz_may_hold_exact_fraction_strings(tmp_path):
    path = tmp_path / "net.npz"
    np.savez(path, input_dim=1, layer0_type="leaky_relu", layer0_weights=np.array([["1/3"]]),
             layer0_biases=np.array(["-2/7"]), layer0_slope=np.array("1/100"))
    assert load_network(path) == Network(1, [LeakyReluLayer(F(1, 100), [[F(1, 3)]], [F(-2, 7)])])


class _Trap:
    """Unpickling this object creates a file: proof that a pickle was executed."""

    def __init__(self, path):
        self.path = path

    def __reduce__(self):
        return (_spring, (self.path,))


def _spring(path):
    with open(path, "w") as f:
        f.write("unpickled")
    return path


def test_npz_object_arrays_are_refused_not_unpickled(tmp_path):
    marker = tmp_path / "unpickled.txt"
    path = tmp_path / "net.npz"
    np.savez(path, input_dim=1, layer0_type="relu",
             layer0_weights=np.array([[_Trap(str(marker))]], dtype=object),
             layer0_biases=np.zeros(1))
    with pytest.raises(ModelFormatError, match="Object arrays cannot be loaded") as info:
        load_network(path)
    assert str(path) in str(info.value)
    assert not marker.exists()
    # The same archive read *with* pickles would run the trap: the test can tell.
    with np.load(path, allow_pickle=True) as archive:
        archive["layer0_weights"]
    assert marker.exists()


def test_a_pickle_named_npz_is_refused_not_unpickled(tmp_path):
    marker = tmp_path / "unpickled.txt"
    path = tmp_path / "net.npz"
    path.write_bytes(pickle.dumps(_Trap(str(marker))))
    with pytest.raises(ModelFormatError, match="cannot read model file .* as .npz"):
        load_network(path)
    assert not marker.exists()


def test_a_single_npy_array_named_npz_is_refused(tmp_path):
    path = tmp_path / "net.npz"
    with open(path, "wb") as f:
        np.save(f, np.zeros(3))
    with pytest.raises(ModelFormatError, match="not an .npz archive"):
        load_network(path)


@pytest.mark.parametrize("arrays, words", [
    ({"input_dim": 1, "layer0_type": "relu", "layer0_weights": [[1.0]]}, "layer0_biases"),
    ({"layer0_type": "relu", "layer0_weights": [[1.0]], "layer0_biases": [0.0]}, "input_dim"),
    ({"input_dim": 1}, "has no arrays 'layer0_type'"),
    ({"input_dim": 1.5, "layer0_type": "relu", "layer0_weights": [[1.0]], "layer0_biases": [0.0]},
     "'input_dim' must be a single integer"),
    ({"input_dim": [1, 2], "layer0_type": "relu", "layer0_weights": [[1.0]], "layer0_biases": [0.0]},
     "'input_dim' must be a single integer"),
    ({"input_dim": 1, "layer0_type": "sigmoid", "layer0_weights": [[1.0]], "layer0_biases": [0.0]},
     "kind one of maxout, relu, leaky_relu, linear"),
    ({"input_dim": 1, "layer0_type": "leaky_relu", "layer0_weights": [[1.0]], "layer0_biases": [0.0]},
     "layer0_slope"),
    ({"input_dim": 1, "layer0_type": "relu", "layer0_weights": [[1.0]], "layer0_biases": [np.nan]},
     "biases entry 0 must be finite, got nan"),
    ({"input_dim": 1, "layer0_type": "relu", "layer0_weights": [[1.0, 2.0]], "layer0_biases": [0.0]},
     "takes 2 inputs but receives 1"),
    ({"input_dim": 1, "layer0_type": "relu", "layer0_weights": ["12"], "layer0_biases": [0.0]},
     "weights row 0 must be a list"),
])
def test_bad_npz_files_raise_model_format_error(tmp_path, arrays, words):
    path = tmp_path / "net.npz"
    np.savez(path, **{k: np.array(v) for k, v in arrays.items()})
    with pytest.raises(ModelFormatError) as info:
        load_network(path)
    assert words in str(info.value)


def test_a_garbled_npz_file_raises_model_format_error(tmp_path):
    path = tmp_path / "net.npz"
    path.write_text("not a zip archive")
    with pytest.raises(ModelFormatError, match="cannot read model file"):
        load_network(path)


# ---------------------------------------------------------------- bad JSON models


GOOD_LAYER = {"type": "relu", "weights": [[1, 0]], "biases": [0]}


@pytest.mark.parametrize("text, words", [
    ('{"input_dim": 2, "layers": [', "is not valid JSON"),
    ("", "is not valid JSON"),
    ('{"input_dim": 1, "layers": [{"type": "relu", "weights": [[NaN]], "biases": [0]}]}',
     "holds NaN, which is not a finite number"),
    ('{"input_dim": 1, "layers": [{"type": "relu", "weights": [[Infinity]], "biases": [0]}]}',
     "holds Infinity"),
    ('{"input_dim": 1, "layers": [{"type": "relu", "weights": [[1]], "biases": [-Infinity]}]}',
     "holds -Infinity"),
    # 1e999 is a valid JSON number that overflows the double: not finite.
    ('{"input_dim": 1, "layers": [{"type": "relu", "weights": [[1e999]], "biases": [0]}]}',
     "weights row 0 entry 0 must be finite, got inf"),
    ("[" * 100000 + "]" * 100000, "is not valid JSON"),  # nesting deeper than the recursion limit
])
def test_unreadable_json_raises_model_format_error(tmp_path, text, words):
    with pytest.raises(ModelFormatError) as info:
        load_network(write_json(tmp_path, text))
    assert words in str(info.value)


@pytest.mark.parametrize("data, words", [
    ([GOOD_LAYER], "the model must be a JSON object"),
    (None, "the model must be a JSON object"),
    ("model", "the model must be a JSON object"),
    ({"format": "polyregions/network-v2", "input_dim": 2, "layers": [GOOD_LAYER]},
     "unknown model format 'polyregions/network-v2'"),
    ({"format": 1, "input_dim": 2, "layers": [GOOD_LAYER]}, "unknown model format 1"),
    ({"layers": [GOOD_LAYER]}, "the model has no 'input_dim'"),
    ({"input_dim": "2", "layers": [GOOD_LAYER]}, "input_dim must be a positive integer, got '2'"),
    ({"input_dim": 2.0, "layers": [GOOD_LAYER]}, "input_dim must be a positive integer, got 2.0"),
    ({"input_dim": 2}, "non-empty list 'layers'"),
    ({"input_dim": 2, "layers": []}, "non-empty list 'layers'"),
    ({"input_dim": 2, "layers": GOOD_LAYER}, "non-empty list 'layers'"),
    ({"input_dim": 2, "layers": ["relu"]}, "layer 0 must be a JSON object"),
    ({"input_dim": 2, "layers": [{**GOOD_LAYER, "type": "sigmoid"}]},
     "layer 0 has unknown type 'sigmoid'; expected one of maxout, relu, leaky_relu, linear"),
    ({"input_dim": 2, "layers": [{"weights": [[1, 0]], "biases": [0]}]}, "unknown type None"),
    ({"input_dim": 2, "layers": [{"type": "relu", "biases": [0]}]}, "layer 0 (relu) has no 'weights'"),
    ({"input_dim": 2, "layers": [{"type": "relu", "weights": [[1, 0]]}]}, "layer 0 (relu) has no 'biases'"),
    ({"input_dim": 2, "layers": [{**GOOD_LAYER, "type": "leaky_relu"}]}, "has no 'slope'"),
    ({"input_dim": 2, "layers": [{**GOOD_LAYER, "type": "leaky_relu", "slope": 1}]},
     "slope must satisfy 0 <= slope < 1"),
    ({"input_dim": 2, "layers": [{**GOOD_LAYER, "biases": ["1/0"]}]},
     "layer 0 (relu) biases entry 0 '1/0' divides by zero"),
    ({"input_dim": 2, "layers": [{**GOOD_LAYER, "weights": [[1, "abc"]]}]},
     "layer 0 (relu) weights row 0 entry 1 'abc' is not a number"),
    ({"input_dim": 2, "layers": [{**GOOD_LAYER, "weights": [[1, True]]}]}, "must be a number, got True"),
    ({"input_dim": 2, "layers": [{**GOOD_LAYER, "weights": [[1, None]]}]}, "must be a number, got None"),
    ({"input_dim": 2, "layers": [{**GOOD_LAYER, "weights": ["10"]}]}, "weights row 0 must be a list"),
    ({"input_dim": 2, "layers": [{**GOOD_LAYER, "weights": [[1, 0]], "biases": "0"}]},
     "biases must be a list of numbers"),
    ({"input_dim": 2, "layers": [{**GOOD_LAYER, "weights": [[1, 0], [1]], "biases": [0, 0]}]},
     "layer 0 (relu) weights row 1 has 1 entries, expected 2"),
    ({"input_dim": 2, "layers": [{**GOOD_LAYER, "biases": [0, 0]}]},
     "layer 0 (relu) biases has 2 entries, expected 1"),
    # wrong shapes between layers: the relu gives 1 output, the linear layer wants 3
    ({"input_dim": 2, "layers": [GOOD_LAYER, {"type": "linear", "weights": [[1, 1, 1]], "biases": [0]}]},
     "layer 1 (linear) takes 3 inputs but receives 1"),
    ({"input_dim": 3, "layers": [GOOD_LAYER]}, "layer 0 (relu) takes 2 inputs but receives 3"),
    ({"input_dim": 1, "layers": [{"type": "maxout", "weights": [[[1], [2]]], "biases": [[0]]}]},
     "layer 0 (maxout) unit 0 biases has 1 entries, expected 2"),
    ({"input_dim": 1, "layers": [{"type": "maxout", "weights": [[1, 2]], "biases": [[0, 0]]}]},
     "layer 0 (maxout) unit 0 weights row 0 must be a list"),
])
def test_malformed_models_raise_model_format_error(tmp_path, data, words):
    path = write_json(tmp_path, json.dumps(data))
    with pytest.raises(ModelFormatError) as info:
        load_network(path)
    assert words in str(info.value)


def test_missing_and_unreadable_files(tmp_path):
    with pytest.raises(ModelFormatError, match="model file not found: .*nope.json"):
        load_network(tmp_path / "nope.json")
    with pytest.raises(ModelFormatError, match="model file not found: .*nope.npz"):
        load_network(tmp_path / "nope.npz")
    with pytest.raises(ModelFormatError, match="cannot read model file"):
        load_network(tmp_path)  # a directory
    path = tmp_path / "latin1.json"
    path.write_bytes(b'{"input_dim": 1, "layers": [], "name": "\xe9"}')
    with pytest.raises(ModelFormatError, match="cannot read model file .*utf-8"):
        load_network(path)


def test_model_format_error_is_a_value_error():
    with pytest.raises(ValueError):
        network_from_dict([])


# ---------------------------------------------------------------- network_from_arrays


def test_network_from_arrays_reads_arrays_and_lists():
    net = network_from_arrays(2, [("relu", np.eye(2), np.zeros(2)),
                                  ("linear", [[1, "1/2"]], ["1/3"])])
    assert net == Network(2, [ReluLayer([[1, 0], [0, 1]], [0, 0]),
                              LinearLayer([[1, F(1, 2)]], [F(1, 3)])])


@pytest.mark.parametrize("spec", [
    ("sigmoid", [[1]], [0]),
    ("relu", [[1]]),
    ("relu", [[1]], [0], 0, 0),
])
def test_network_from_arrays_refuses_bad_layer_specs(spec):
    with pytest.raises(ModelFormatError, match="layer 0 must be \\(kind, weights, biases\\[, slope\\]\\)"):
        network_from_arrays(1, [spec])


def test_the_shipped_default_network_round_trips():
    from polyregions.data import default_network

    net = default_network()
    assert net.widths == (2, 20, 20, 2)
    assert [layer.kind for layer in net.layers] == ["maxout", "maxout", "linear"]
    assert net.layers[0].ranks == net.layers[1].ranks == (5,) * 20
    assert network_from_dict(network_to_dict(net)) == net


# ---------------------------------------------------------------- nothing is read silently wrong


RELU_1D = {"type": "relu", "weights": [[1.0]], "biases": [0.0]}


def npz_arrays(**layers):
    """Arrays of an .npz model: input_dim 1 and ``layer{i}_*`` for each given layer index."""
    arrays = {"input_dim": np.array(1)}
    for name, spec in layers.items():
        arrays.update({f"{name}_{k}": np.array(v) for k, v in spec.items()})
    return arrays


@pytest.mark.parametrize("arrays, words", [
    # layer0 and layer2 without layer1 used to load as a one-layer network
    (npz_arrays(layer0=RELU_1D, layer2=RELU_1D),
     "has arrays of layer 2 but none of layer 1: layers must be numbered 0, 1, 2, ... without gaps"),
    (npz_arrays(layer1=RELU_1D), "has arrays of layer 1 but none of layer 0"),
    ({**npz_arrays(layer0=RELU_1D), "layer0_bias": np.array([1.0])},  # misspelt: was ignored
     "has an unknown array 'layer0_bias'"),
    ({**npz_arrays(layer0=RELU_1D), "activation": np.array("tanh")}, "has an unknown array 'activation'"),
    ({**npz_arrays(layer0=RELU_1D), "layer01_type": np.array("relu")}, "unknown array 'layer01_type'"),
    ({**npz_arrays(layer0=RELU_1D), "layer0_slope": np.array(0.5)},  # a slope a relu ignores
     "layer0_slope is given but layer 0 is 'relu', not leaky_relu"),
])
def test_npz_models_with_gaps_or_unknown_arrays_are_refused(tmp_path, arrays, words):
    path = tmp_path / "net.npz"
    np.savez(path, **arrays)
    with pytest.raises(ModelFormatError) as info:
        load_network(path)
    assert f"model file {path}" in str(info.value)
    assert words in str(info.value)


def test_empty_npz_files_are_refused_naming_the_file(tmp_path):
    empty = tmp_path / "empty.npz"
    empty.write_bytes(b"")
    with pytest.raises(ModelFormatError, match=f"^model file {empty} is empty$"):
        load_network(empty)
    no_arrays = tmp_path / "no-arrays.npz"
    np.savez(no_arrays)
    with pytest.raises(ModelFormatError, match=f"^model file {no_arrays} is an .npz archive without"):
        load_network(no_arrays)


@pytest.mark.parametrize("data, words", [
    ({"input_dim": 1, "layers": [{**RELU_1D, "activation": "tanh"}]},
     "layer 0 (relu) has unknown key 'activation' (the format defines type, weights, biases)"),
    ({"input_dim": 1, "layers": [{**RELU_1D, "slope": "1/2"}]},  # a slope only leaky_relu has
     "layer 0 (relu) has unknown key 'slope'"),
    ({"input_dim": 1, "layers": [{**RELU_1D, "type": "leaky_relu", "slope": "1/2", "slopes": 1}]},
     "layer 0 (leaky_relu) has unknown key 'slopes' (the format defines type, weights, biases, slope)"),
    ({"input_dim": 1, "layers": [RELU_1D], "activation": "relu", "Layers": []},
     "the model has unknown keys 'Layers', 'activation' (the format defines format, input_dim, layers)"),
])
def test_unknown_json_keys_are_refused_naming_the_key_and_the_file(tmp_path, data, words):
    path = write_json(tmp_path, data)
    with pytest.raises(ModelFormatError) as info:
        load_network(path)
    assert str(info.value).startswith(f"model file {path}: {words}")


@pytest.mark.parametrize("data, words", [
    ({"input_dim": 3, "layers": [GOOD_LAYER]}, "layer 0 (relu) takes 2 inputs but receives 3"),
    ({"input_dim": 2, "layers": [{**GOOD_LAYER, "biases": ["1/0"]}]}, "'1/0' divides by zero"),
    ({"input_dim": 2, "layers": []}, "non-empty list 'layers'"),
])
def test_model_errors_name_the_file(tmp_path, data, words):
    path = write_json(tmp_path, data, name="my-model.json")
    with pytest.raises(ModelFormatError, match=f"^model file {path}: ") as info:
        load_network(path)
    assert words in str(info.value)
    npz = tmp_path / "my-model.npz"  # the same for .npz files
    np.savez(npz, input_dim=3, layer0_type="relu", layer0_weights=[[1.0, 0.0]], layer0_biases=[0.0])
    with pytest.raises(ModelFormatError, match=f"^model file {npz}: layer 0 .relu. takes 2 inputs"):
        load_network(npz)


@pytest.mark.parametrize("suffix", [".pt", ".pth", ".PT"])
def test_a_pytorch_file_says_how_to_import_a_torch_model(tmp_path, suffix):
    import polyregions.io.torch as torch_import

    path = tmp_path / f"model{suffix}"
    path.write_bytes(b"\x80\x04not read")  # never unpickled: nothing is read at all
    with pytest.raises(ModelFormatError) as err:
        load_network(path)
    message = str(err.value)
    assert message.startswith(f"model file {path} is a PyTorch file") and "\n" not in message
    # The functions it names exist where it says.
    for name in ("load_torch", "network_from_torch"):
        assert f"polyregions.io.torch.{name}" in message or f" {name}(model)" in message
        assert callable(getattr(torch_import, name))
    assert "save_network(network, 'model.json')" in message and callable(save_network)


def test_the_command_line_refuses_a_pytorch_file_in_one_line(tmp_path, capsys):
    from tests.cli_helpers import assert_one_line_error, run

    path = tmp_path / "model.pt"
    path.write_bytes(b"")
    assert_one_line_error(*run(["count", str(path), "--box", "-1", "1"], capsys),
                          "is a PyTorch file, which is never unpickled here")
