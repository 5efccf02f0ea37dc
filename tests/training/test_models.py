"""torch_network holds exactly the parameters of initialize, and computes the exact network."""

from fractions import Fraction

import pytest

torch = pytest.importorskip("torch")
from torch import nn  # noqa: E402

from polyregions.io.torch import Maxout, network_from_torch  # noqa: E402
from polyregions.params.init import initialize  # noqa: E402
from polyregions.training.models import torch_network  # noqa: E402


def _exact(tensor):
    return [Fraction(v) for v in tensor.reshape(-1).tolist()]


def _close_to_exact(net, model, points):
    """The float64 outputs are the exact outputs up to float64 rounding."""
    with torch.no_grad():
        out = model(points)
    for p, o in zip(points, out):
        exact = net.evaluate(_exact(p))
        scale = 1 + max(abs(float(v)) for v in exact)
        assert max(abs(float(e) - v) for e, v in zip(exact, o.tolist())) <= 1e-12 * scale


@pytest.mark.parametrize("kind, rank, init", [("maxout", 2, "maxout_he"), ("maxout", 3, "sphere"),
                                              ("maxout", 4, "many_regions"), ("relu", 2, "he")])
@pytest.mark.parametrize("zero_bias", [False, True])
def test_the_torch_model_is_the_initialized_network(kind, rank, init, zero_bias):
    widths, seed = (3, 5, 4), 7
    model = torch_network(widths, 3, kind, rank, init, zero_bias=zero_bias, seed=seed)
    expected = initialize(widths, kind, rank, init, outputs=3, zero_bias=zero_bias, seed=seed)
    net = network_from_torch(model)
    assert net == expected
    assert all(p.dtype == torch.float64 for p in model.parameters())
    points = torch.randn(20, 3, generator=torch.Generator().manual_seed(0), dtype=torch.float64)
    _close_to_exact(net, model, points)
    kinds = [type(m) for m in model]
    assert kinds == ([Maxout, Maxout, nn.Linear] if kind == "maxout"
                     else [nn.Linear, nn.ReLU, nn.Linear, nn.ReLU, nn.Linear])


def test_float32_rounds_the_parameters():
    model = torch_network((2, 3), 2, seed=1, dtype=torch.float32)
    assert all(p.dtype == torch.float32 for p in model.parameters())
    assert network_from_torch(model) != initialize((2, 3), "maxout", 2, "maxout_he", outputs=2,
                                                   seed=1)


def test_a_leaky_relu_model_imports_exactly():
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(2, 4), nn.LeakyReLU(0.125), nn.Linear(4, 2)).double()
    net = network_from_torch(model)
    assert [layer.kind for layer in net.layers] == ["leaky_relu", "linear"]
    assert net.layers[0].slope == Fraction(1, 8)
    _close_to_exact(net, model, torch.randn(20, 2, dtype=torch.float64))
