"""The float attack proposes points of the box that violate in floats, and nothing else."""

import numpy as np

from polyregions import LinearLayer, Network, ReluLayer
from polyregions.verification.attack import candidates
from polyregions.verification.layers import float_forward, prepare_layers


def test_candidates_lie_in_the_box_and_violate_in_floats():
    # y = relu(x0 - 0.9) + relu(x1 - 0.9): y >= 0.15 only in a small corner of [-1, 1]^2
    net = Network(2, [ReluLayer([[1, 0], [0, 1]], ["-0.9", "-0.9"]), LinearLayer([[1, 1]], [0])])
    layers = prepare_layers(net)
    rows = np.array([[-0.15, 0.0, 0.0, 1.0]])
    lo, hi = np.array([-1.0, -1.0]), np.array([1.0, 1.0])
    found = list(candidates(layers, [rows], lo, hi))
    assert found
    for x in found:
        assert np.all(x >= lo) and np.all(x <= hi)
        assert float_forward(layers, x[None])[0][0] >= 0.15


def test_no_candidate_where_no_point_violates():
    net = Network(1, [ReluLayer([[1]], [0]), LinearLayer([[1]], [0])])
    rows = np.array([[-2.0, 0.0, 1.0]])                              # y >= 2 on [-1, 1]: never
    assert list(candidates(prepare_layers(net), [rows], np.array([-1.0]), np.array([1.0]))) == []
