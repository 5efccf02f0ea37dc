"""ONNX files written by ``torch.onnx.export`` import exactly.

Oracles: torch's float64 forward pass of the same float32 parameters (so the only error is
float64 rounding), the PyTorch import of the same module (equal exact outputs and equal region
counts) and, for the input normalisation, a hand-computed rational forward pass.
"""

import warnings
from fractions import Fraction

import numpy as np
import pytest

torch = pytest.importorskip("torch")
pytest.importorskip("onnx")
from torch import nn  # noqa: E402

import polyregions as pr  # noqa: E402
from polyregions import load_network  # noqa: E402
from polyregions.errors import ModelFormatError  # noqa: E402
from polyregions.io.torch import network_from_torch  # noqa: E402

F = Fraction


def _export(model, shape, tmp_path, name="model.onnx"):
    """`model` (eval mode, float32) exported for one input of `shape` (batch 1), then imported."""
    path = tmp_path / name
    with warnings.catch_warnings():  # the TorchScript exporter: the new one needs onnxscript
        warnings.simplefilter("ignore", DeprecationWarning)
        torch.onnx.export(model, (torch.zeros((1,) + shape),), str(path), dynamo=False,
                          opset_version=17, input_names=["x"], output_names=["y"])
    return load_network(path)


def _points(shape, n=12, seed=0):
    return torch.from_numpy(np.random.default_rng(seed).uniform(-2, 2, (n,) + shape)).float()


def _agrees_with_torch_float64(net, model, xs):
    """Exact outputs at float32 points against torch's float64 forward of the same parameters."""
    reference = model.double()
    with torch.no_grad():
        expected = reference(xs.double()).reshape(len(xs), -1).numpy()
    model.float()
    for x, e in zip(xs, expected):
        got = np.array([float(v) for v in net.evaluate([F(v) for v in x.reshape(-1).tolist()])])
        assert got.shape == e.shape
        # float64 rounding of a sum of a few dozen products of size about 10, nothing more
        assert np.allclose(got, e, rtol=1e-12, atol=1e-12), (got, e)


def _same_as_the_torch_import(net, model, shape, xs):
    direct = network_from_torch(model, shape)
    for x in xs:
        point = [F(v) for v in x.reshape(-1).tolist()]
        assert net.evaluate(point) == direct.evaluate(point)
    return direct


def _mlp():
    torch.manual_seed(0)
    # slope 1/4: a float32 number, so the file's float32 attribute is the module's slope
    return nn.Sequential(nn.Linear(2, 6), nn.ReLU(), nn.Linear(6, 5), nn.LeakyReLU(0.25),
                         nn.Linear(5, 3)).eval()


def test_an_exported_mlp_with_relu_and_leaky_relu_is_the_torch_model_exactly(tmp_path):
    model = _mlp()
    net = _export(model, (2,), tmp_path)
    assert net.widths == (2, 6, 5, 3)
    assert [layer.kind for layer in net.layers] == ["relu", "leaky_relu", "linear"]
    xs = _points((2,))
    _agrees_with_torch_float64(net, model, xs)
    direct = _same_as_the_torch_import(net, model, None, xs)
    box = pr.Box.cube(2, -2, 2)
    count = pr.count_regions(net, box)
    assert count == pr.count_regions(direct, box)
    # and the Python reference kernel, which makes every region, agrees
    assert count == len(pr.enumerate_regions(direct, box, options=pr.EngineOptions(kernel="python")))


def test_an_exported_leaky_relu_slope_is_the_files_float32_number(tmp_path):
    # ONNX attributes are float32: the default slope 0.01 is stored rounded, and the import takes
    # the file's number, while the PyTorch import takes the module's float64 one.
    model = nn.Sequential(nn.Linear(2, 2), nn.LeakyReLU(), nn.Linear(2, 1)).eval()
    assert _export(model, (2,), tmp_path).layers[0].slope == F(float(np.float32(0.01)))
    assert network_from_torch(model).layers[0].slope == F(0.01)


def _cnn():
    torch.manual_seed(1)
    return nn.Sequential(nn.Conv2d(1, 2, 2), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                         nn.Linear(8, 3)).eval()


def test_an_exported_cnn_with_conv_relu_maxpool_flatten_linear_is_the_torch_model(tmp_path):
    model = _cnn()
    shape = (1, 5, 5)
    net = _export(model, shape, tmp_path)
    assert [layer.kind for layer in net.layers] == ["relu", "maxout", "linear"]
    assert net.widths == (25, 32, 8, 3)
    xs = _points(shape)
    _agrees_with_torch_float64(net, model, xs)
    direct = _same_as_the_torch_import(net, model, shape, xs)
    # Regions in the 2-D slice through three of the points (25 inputs: no box enumeration).
    plane = pr.Slice(*([F(v) for v in x.reshape(-1).tolist()] for x in xs[:3]), [-1, -1], [2, 2])
    assert pr.count_regions(net, plane) == pr.count_regions(direct, plane) > 1


class _Normalised(nn.Module):
    """``(x - mean) / std`` in front of a layer, as image models are often exported."""

    def __init__(self):
        super().__init__()
        self.register_buffer("mean", torch.tensor([0.5, -0.25]))
        self.register_buffer("std", torch.tensor([0.25, 2.0]))
        torch.manual_seed(2)
        self.body = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))

    def forward(self, x):
        return self.body((x - self.mean) / self.std)


def test_an_exported_input_normalisation_is_folded_in_exactly(tmp_path):
    model = _Normalised().eval()
    net = _export(model, (2,), tmp_path)
    assert net.widths == (2, 3, 1)  # Sub and Div composed into the first layer
    xs = _points((2,))
    _agrees_with_torch_float64(net, model, xs)
    lin1, lin2 = model.body[0], model.body[2]
    w1, b1 = [[F(v) for v in row] for row in lin1.weight.tolist()], [F(v) for v in lin1.bias.tolist()]
    w2, b2 = [F(v) for v in lin2.weight[0].tolist()], F(lin2.bias.item())
    for x in xs:
        z = [(F(v) - F(m)) / F(s) for v, m, s in zip(x.tolist(), (0.5, -0.25), (0.25, 2.0))]
        hidden = [max(F(0), sum(w * zi for w, zi in zip(row, z)) + b) for row, b in zip(w1, b1)]
        assert net.evaluate([F(v) for v in x.tolist()]) == (sum(w * h for w, h in zip(w2, hidden)) + b2,)


def test_an_exported_batchnorm_with_square_variances_folds_exactly(tmp_path):
    # Fresh statistics (mean 0, variance 1) equal the affine parameters, so the exporter names
    # them through an Identity of each constant; eps=0 makes every root rational.
    torch.manual_seed(3)
    model = nn.Sequential(nn.Linear(2, 3), nn.BatchNorm1d(3, eps=0.0), nn.ReLU(),
                          nn.Linear(3, 2)).eval()
    net = _export(model, (2,), tmp_path)
    assert net.widths == (2, 3, 2)  # folded into the first layer
    xs = _points((2,))
    _agrees_with_torch_float64(net, model, xs)
    _same_as_the_torch_import(net, model, None, xs)


def test_an_exported_batchnorm_with_the_default_eps_is_refused_by_both_imports(tmp_path):
    model = nn.Sequential(nn.Linear(2, 2), nn.BatchNorm1d(2), nn.ReLU()).eval()
    with pytest.raises(ModelFormatError, match=r"\(BatchNormalization\): sqrt\(var \+ epsilon\) "
                                               r"of channel 0 is not rational"):
        _export(model, (2,), tmp_path)
    with pytest.raises(ModelFormatError, match=r"\(BatchNorm1d\): sqrt\(running_var \+ eps\) "
                                               r"of channel 0 is not rational"):
        network_from_torch(model)
