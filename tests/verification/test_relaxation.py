"""The DeepPoly bounds of a node contain the network's exact values, and rows over x are exact."""

import random
from fractions import Fraction

import numpy as np
import pytest

from polyregions import LeakyReluLayer, LinearLayer, MaxoutLayer, Network, ReluLayer
from polyregions.verification.forms import FloatBox, lower, upper
from polyregions.verification.layers import input_row, input_row_scaled, prepare_layers
from polyregions.verification.relaxation import exact_bounds, output_uppers, relax


def _fraction(rng):
    return Fraction(rng.randint(-12, 12), rng.choice([1, 2, 3, 4, 7]))


def _network(rng, n):
    widths = [rng.randint(2, 5) for _ in range(rng.randint(1, 3))]
    layers, width = [], n
    for w in widths:
        weights = [[_fraction(rng) for _ in range(width)] for _ in range(w)]
        biases = [_fraction(rng) for _ in range(w)]
        kind = rng.choice(["relu", "relu", "leaky", "maxout"])
        if kind == "relu":
            layers.append(ReluLayer(weights, biases))
        elif kind == "leaky":
            layers.append(LeakyReluLayer(Fraction(1, 5), weights, biases))
        else:
            layers.append(MaxoutLayer([[row, [_fraction(rng) for _ in range(width)],
                                        [_fraction(rng) for _ in range(width)]] for row in weights],
                                      [[b, _fraction(rng), _fraction(rng)] for b in biases]))
        width = w
    layers.append(LinearLayer([[_fraction(rng) for _ in range(width)] for _ in range(2)], [0, 1]))
    return Network(n, layers)


@pytest.mark.parametrize("seed", range(25))
def test_output_uppers_are_above_every_exact_output(seed):
    rng = random.Random(seed)
    n = rng.randint(1, 3)
    network = _network(rng, n)
    layers = prepare_layers(network)
    lo = [_fraction(rng) for _ in range(n)]
    hi = [v + Fraction(rng.randint(1, 8), rng.choice([1, 4])) for v in lo]
    box = FloatBox(lo, hi)
    start = exact_bounds(np.hstack([np.zeros((n, 1)), np.eye(n)]), np.zeros(n))
    relaxation = relax(layers, 0, start, {}, box)
    rows = np.array([[rng.uniform(-3, 3) for _ in range(1 + n + 2)] for _ in range(3)])
    forms, errors = output_uppers(rows, 0.0, relaxation, start, box)
    for _ in range(40):
        x = [a + (h - a) * Fraction(rng.randint(0, 50), 50) for a, h in zip(lo, hi)]
        y = network.evaluate(x)
        point = [Fraction(1), *x, *y]
        for row, form, error in zip(rows, forms, errors):
            value = sum(Fraction(c) * v for c, v in zip(row, point))
            bound = Fraction(form[0]) + sum(Fraction(a) * v for a, v in zip(form[1:], x))
            assert value <= bound + Fraction(error)
    # The intervals of relaxed units contain the exact values of their piece differences.
    assert len(relaxation.intervals) == relaxation.relaxed


def test_a_decided_layer_is_exact_and_the_bounds_are_tight_on_an_affine_network():
    network = Network(1, [ReluLayer([[1]], [2]), LinearLayer([[3]], [-1])])   # 3 (x + 2) - 1 on x >= -2
    layers = prepare_layers(network)
    box = FloatBox([Fraction(0)], [Fraction(1)])
    start = exact_bounds(np.array([[0.0, 1.0]]), np.zeros(1))
    relaxation = relax(layers, 0, start, {}, box)
    assert relaxation.codes == ["1"] and relaxation.relaxed == 0
    forms, errors = output_uppers(np.array([[0.0, 0.0, 1.0]]), 0.0, relaxation, start, box)
    assert abs(upper(forms, errors, box)[0] - 8.0) < 1e-12
    assert abs(lower(forms, -errors * 0, box)[0] - 5.0) < 1e-12


@pytest.mark.parametrize("seed", range(20))
def test_rows_over_the_input_are_exact_along_a_pattern(seed):
    rng = random.Random(seed)
    n = rng.randint(1, 3)
    network = _network(rng, n)
    layers = prepare_layers(network)
    x = [_fraction(rng) for _ in range(n)]
    pattern = network.activation_pattern(x)
    # The input of each layer at x, exactly, against the row written over x.
    y = tuple(x)
    for index, layer in enumerate(network.layers):
        row = [rng.randint(-5, 5) for _ in range(len(y) + 1)]
        scaled, scale = input_row_scaled(layers, pattern, index, row)
        value = row[0] + sum(r * v for r, v in zip(row[1:], y))
        assert scaled[0] + sum(r * v for r, v in zip(scaled[1:], x)) == scale * value
        assert scale > 0
        primitive = input_row(layers, pattern, index, row)
        assert all(a * scaled[0] == b * primitive[0] for a, b in zip(primitive, scaled))
        y, _ = layer(y)
