"""PyTorch import: converted networks compute the torch model's outputs exactly."""

from fractions import Fraction

import pytest

torch = pytest.importorskip("torch")
from torch import nn  # noqa: E402

import polyregions as pr  # noqa: E402
from polyregions.errors import ModelFormatError  # noqa: E402
from polyregions.io.torch import Maxout, load_torch, network_from_torch  # noqa: E402


def _dyadic(module, seed=0):
    """Parameters k/8 with |k| <= 8: float64 arithmetic on them and on k/4 inputs is exact."""
    gen = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for p in module.parameters():
            p.copy_(torch.randint(-8, 9, p.shape, generator=gen).to(p.dtype) / 8)
    return module


def _inputs(shape, n=6, seed=1):
    gen = torch.Generator().manual_seed(seed)
    return torch.randint(-8, 9, (n,) + tuple(shape), generator=gen).double() / 4


def _exact(tensor):
    return tuple(Fraction(v) for v in tensor.reshape(-1).tolist())


def _assert_same(net, model, xs):
    with torch.no_grad():
        out = model(xs)
    for x, o in zip(xs, out):
        assert net.evaluate(_exact(x)) == _exact(o)


def test_mlp_with_relu_leaky_relu_and_maxout_is_exact_in_float64():
    model = _dyadic(nn.Sequential(nn.Linear(2, 4), nn.ReLU(), Maxout(4, 3, 2),
                                  nn.LeakyReLU(0.125), nn.Linear(3, 2))).double()
    net = network_from_torch(model)
    assert [layer.kind for layer in net.layers] == ["relu", "maxout", "leaky_relu", "linear"]
    assert net.layers[1].ranks == (2, 2, 2)
    assert net.layers[2].slope == Fraction(1, 8)
    _assert_same(net, model, _inputs((2,)))


def test_maxout_shape_convention_unit_u_piece_k_is_output_u_times_rank_plus_k():
    m = Maxout(1, 2, 3).double()
    with torch.no_grad():
        m.linear.weight.copy_(torch.arange(6.0).reshape(6, 1))
        m.linear.bias.zero_()
    layer = network_from_torch(nn.Sequential(m)).layers[0]
    # unit 0 has pieces 0x, 1x, 2x and unit 1 has 3x, 4x, 5x
    assert [[w[0] for w in unit] for unit in layer.weights] == [[0, 1, 2], [3, 4, 5]]
    assert m(torch.tensor([[1.0]]).double()).tolist() == [[2.0, 5.0]]


def test_random_float64_model_agrees_exactly_and_float32_to_rounding():
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(3, 5), nn.ReLU(), nn.Linear(5, 4), nn.ReLU(), nn.Linear(4, 2))
    xs = torch.randn(8, 3)
    net32 = network_from_torch(model)
    with torch.no_grad():
        out32 = model(xs)
        out64 = model.double()(xs.double())
    assert network_from_torch(model) == net32  # float32 -> float64 is exact: same network
    for x, o32, o64 in zip(xs, out32, out64):
        exact = net32.evaluate(_exact(x))
        for e, a, b in zip(exact, o32.tolist(), o64.tolist()):
            assert abs(float(e) - b) <= 1e-12 * (1 + abs(b))   # float64 rounding only
            assert abs(float(e) - a) <= 1e-5 * (1 + abs(a))    # float32 rounding only


def test_small_cnn_conv_relu_avgpool_flatten_linear():
    model = _dyadic(nn.Sequential(nn.Conv2d(2, 3, 3, padding=1), nn.ReLU(), nn.AvgPool2d(2),
                                  nn.Flatten(), nn.Linear(12, 2))).double()
    net = network_from_torch(model, input_shape=(2, 4, 4))
    # conv -> relu is one ReLU layer (3 channels x 4 x 4); avgpool, flatten, linear fold into
    # the final linear layer
    assert net.widths == (32, 48, 2)
    _assert_same(net, model, _inputs((2, 4, 4)))


def test_cnn_with_strides_groups_dilation_and_maxpool():
    model = _dyadic(nn.Sequential(
        nn.Conv2d(2, 4, 2, stride=1, groups=2, dilation=1), nn.MaxPool2d(2, stride=1, padding=1),
        nn.ReLU(), nn.Conv2d(4, 2, 2, stride=2, dilation=2, bias=False), nn.Flatten(),
        nn.Linear(8, 2))).double()
    net = network_from_torch(model, input_shape=(2, 5, 5))
    assert [layer.kind for layer in net.layers] == ["maxout", "relu", "linear"]
    # 4 x 4 x 4 conv outputs pooled to 4 x 5 x 5 units; corner units see 1 input, others 2 or 4
    assert net.layers[0].units == 100 and set(net.layers[0].ranks) == {1, 2, 4}
    _assert_same(net, model, _inputs((2, 5, 5)))


def test_batchnorm_in_eval_mode_folds_exactly_when_the_variance_is_a_square():
    model = _dyadic(nn.Sequential(nn.Linear(2, 3), nn.BatchNorm1d(3), nn.ReLU(),
                                  nn.Linear(3, 2))).double()
    bn = model[1]
    bn.eps = 0.0
    with torch.no_grad():
        bn.running_mean.copy_(torch.tensor([0.5, -1.0, 0.25]))
        bn.running_var.copy_(torch.tensor([4.0, 0.25, 1.0]))  # sqrt: 2, 1/2, 1
    with pytest.raises(ModelFormatError, match="training mode"):
        network_from_torch(model)
    model.eval()
    net = network_from_torch(model)
    assert net.widths == (2, 3, 2)  # folded into the linear layer before the ReLU
    _assert_same(net, model, _inputs((2,)))


def test_batchnorm2d_with_square_variances_folds_exactly():
    model = _dyadic(nn.Sequential(nn.Conv2d(1, 2, 2), nn.BatchNorm2d(2, eps=0.0), nn.ReLU(),
                                  nn.Flatten(), nn.Linear(8, 2)), seed=3).double()
    with torch.no_grad():
        model[1].running_mean.copy_(torch.tensor([0.5, -0.25]))
        model[1].running_var.copy_(torch.tensor([0.0625, 16.0]))  # sqrt: 1/4, 4
    model.eval()
    _assert_same(network_from_torch(model, (1, 3, 3)), model, _inputs((1, 3, 3)))


@pytest.mark.parametrize("eps, var, channel", [
    (1e-5, [1.0, 1.0], 0),  # the default eps: var + eps has denominator 2**69, never a square
    (0.0, [4.0, 2.0], 1),
    (0.0, [4.0, 0.0], 1),   # a zero root would divide by zero
])
def test_batchnorm_whose_root_is_not_a_positive_rational_is_refused(eps, var, channel):
    model = nn.Sequential(nn.Conv2d(1, 2, 2), nn.BatchNorm2d(2, eps=eps), nn.ReLU()).double()
    with torch.no_grad():
        model[1].running_var.copy_(torch.tensor(var))
    model.eval()
    with pytest.raises(ModelFormatError) as err:
        network_from_torch(model, (1, 3, 3))
    message = str(err.value)
    exact = Fraction(var[channel]) + Fraction(eps)
    assert "\n" not in message and "BatchNorm2d" in message
    assert (f"sqrt(running_var + eps) of channel {channel} is not rational "
            f"(running_var + eps = {exact})") in message


def test_region_counts_of_a_converted_mlp_match_the_hand_built_network():
    model = _dyadic(nn.Sequential(nn.Linear(2, 4), nn.ReLU(), nn.Linear(4, 3), nn.ReLU(),
                                  nn.Linear(3, 2)), seed=5).double()
    hand = pr.network_from_arrays(2, [
        ("relu", model[0].weight.detach().numpy(), model[0].bias.detach().numpy()),
        ("relu", model[2].weight.detach().numpy(), model[2].bias.detach().numpy()),
        ("linear", model[4].weight.detach().numpy(), model[4].bias.detach().numpy())])
    net = network_from_torch(model)
    assert net == hand
    box = pr.Box.cube(2, -2, 2)
    assert len(pr.enumerate_regions(net, box)) == len(pr.enumerate_regions(hand, box))


@pytest.mark.parametrize("model, shape, message", [
    (lambda: nn.Sequential(nn.Linear(2, 2), nn.Tanh()), None, "not supported"),
    (lambda: nn.Sequential(nn.Linear(2, 2), nn.LeakyReLU(2.0)), None, "slope"),
    (lambda: nn.Sequential(nn.Conv2d(1, 1, 2)), None, "input_shape"),
    (lambda: nn.Sequential(nn.Conv2d(1, 1, 2), nn.Linear(4, 1)), (1, 3, 3), "Flatten"),
    (lambda: nn.Sequential(nn.Linear(3, 2), nn.ReLU(), nn.Linear(3, 1)), None, "takes 3 inputs"),
    (lambda: nn.Sequential(nn.MaxPool2d(2, ceil_mode=True)), (1, 3, 3), "ceil_mode"),
])
def test_unsupported_models_raise_one_clear_error(model, shape, message):
    with pytest.raises(ModelFormatError, match=message):
        network_from_torch(model(), shape)


def test_load_torch_reads_a_state_dict_with_weights_only(tmp_path):
    model = _dyadic(nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 2))).double()
    path = tmp_path / "model.pt"
    torch.save(model.state_dict(), path)
    fresh = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 2)).double()
    assert load_torch(path, fresh) == network_from_torch(model)
    with pytest.raises(ModelFormatError, match="not found"):
        load_torch(tmp_path / "missing.pt", fresh)
    with pytest.raises(ModelFormatError, match="does not fit"):
        load_torch(path, nn.Sequential(nn.Linear(2, 4)))


class _TwoLayers(nn.Module):
    """A custom module: its architecture is in forward(), which the import cannot read."""

    def __init__(self):
        super().__init__()
        self.fc1, self.fc2 = nn.Linear(2, 3), nn.Linear(3, 2)

    def forward(self, x):
        return self.fc2(torch.relu(self.fc1(x)))


def test_a_custom_module_gets_what_is_supported_and_how_to_rewrite_it():
    model = _dyadic(_TwoLayers().double())
    with pytest.raises(ModelFormatError) as err:
        network_from_torch(model)
    message = str(err.value)
    assert message.startswith("_TwoLayers is a custom nn.Module, whose forward() cannot be read: "
                              "give an nn.Sequential")
    assert "Linear, Conv2d" in message and "torch.onnx.export" in message and "\n" not in message
    # The rewrite the message suggests computes the model's outputs exactly.
    net = network_from_torch(nn.Sequential(model.fc1, nn.ReLU(), model.fc2))
    x = _inputs((2,))
    with torch.no_grad():
        expected = model(x)
    assert [net.evaluate(_exact(row)) for row in x] == [_exact(row) for row in expected]


def test_torch_modules_keep_their_own_message():
    with pytest.raises(ModelFormatError, match=r"^module 0 \(Tanh\) is not supported: use Linear"):
        network_from_torch(nn.Tanh(), (2,))
