"""Initializations: M_K, seeded draws, shapes and variances."""

import math

import numpy as np
import pytest

from polyregions.errors import PolyregionsError
from polyregions.params.init import initialize, max_second_moment, maxout_he_std


@pytest.mark.parametrize("K, closed", [
    (1, 1.0), (2, 1.0), (3, 1 + math.sqrt(3) / (2 * math.pi)), (4, 1 + math.sqrt(3) / math.pi)])
def test_max_second_moment_closed_forms(K, closed):
    assert abs(max_second_moment(K) - closed) <= 4e-16 * closed


def test_max_second_moment_k5_and_monte_carlo():
    assert abs(max_second_moment(5) - 1.80002) < 1e-5
    rng = np.random.default_rng(1)
    for K in (3, 5, 8):
        sample = rng.standard_normal((200_000, K)).max(axis=1) ** 2
        se = sample.std() / math.sqrt(len(sample))
        assert abs(sample.mean() - max_second_moment(K)) < 5 * se


def test_maxout_he_std_and_preactivation_variance():
    assert maxout_he_std(4, 2) == 0.5
    # A maxout-He layer of fan-in 400: pre-activations w.x + b for a unit-norm-ish input
    # have variance (|x|^2 + 1) / (M_K fan_in).
    K, fan_in = 3, 400
    net = initialize((fan_in, 300), "maxout", K, "maxout_he", seed=3)
    w = np.array([[float(v) for v in piece] for unit in net.layers[0].weights for piece in unit])
    b = np.array([float(v) for unit in net.layers[0].biases for v in unit])
    x = np.ones(fan_in)
    z = w @ x + b
    expected = (fan_in + 1) / (max_second_moment(K) * fan_in)
    assert abs(z.var() / expected - 1) < 0.1  # 900 samples: relative s.e. about 0.05
    assert abs(w.var() * max_second_moment(K) * fan_in - 1) < 0.01


@pytest.mark.parametrize("init", ["he", "maxout_he", "sphere", "many_regions"])
def test_initializations_seeded_and_shaped(init):
    a = initialize((2, 4, 3), "maxout", 3, init, outputs=2, seed=7)
    assert a == initialize((2, 4, 3), "maxout", 3, init, outputs=2, seed=7)
    assert a != initialize((2, 4, 3), "maxout", 3, init, outputs=2, seed=8)
    assert a.widths == (2, 4, 3, 2)
    assert [layer.kind for layer in a.layers] == ["maxout", "maxout", "linear"]
    assert a.layers[0].ranks == (3,) * 4
    z = initialize((2, 4, 3), "maxout", 3, init, outputs=2, seed=7, zero_bias=True)
    assert all(v == 0 for layer in z.layers for unit in layer.biases
               for v in (unit if isinstance(unit, tuple) else (unit,)))


def test_sphere_and_many_regions_shapes():
    net = initialize((3, 5), "maxout", 4, "sphere", seed=0)
    for unit_w, unit_b in zip(net.layers[0].weights, net.layers[0].biases):
        for w, b in zip(unit_w, unit_b):
            # b = |b'| - 1/sqrt(K fan_in) with |(w, b')| = 1: |w|^2 + (b + c)^2 = 1
            c = 1 / math.sqrt(4 * 3)
            assert abs(sum(float(v) ** 2 for v in w) + (float(b) + c) ** 2 - 1) < 1e-12
    net = initialize((3, 5), "maxout", 4, "many_regions", seed=0)
    for unit_w in net.layers[0].weights:  # every piece is a multiple of one vector v
        v = unit_w[0]
        for w in unit_w[1:]:
            ratio = float(w[0]) / float(v[0])
            assert all(abs(float(a) - ratio * float(c)) < 1e-12 for a, c in zip(w, v))


def test_relu_init_and_errors():
    net = initialize((2, 3), "relu", init="he", seed=0)
    assert net.layers[0].kind == "relu"
    with pytest.raises(PolyregionsError, match="maxout units only"):
        initialize((2, 3), "relu", init="sphere")
    with pytest.raises(PolyregionsError, match="unknown initialization"):
        initialize((2, 3), init="xavier")


