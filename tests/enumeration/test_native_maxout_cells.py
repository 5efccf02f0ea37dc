"""Cells of maxout units of rank above two that the floats alone show which pieces keep.

When no piece of a unit wins on a whole cell, the native kernel keeps, as the exact screening
does, every piece no other piece is >= at every vertex: a piece the floats prove above each
other one at some vertex stays (also one below the others' maximum everywhere; the cases fail
when the last other piece goes unchecked), a piece they prove below one other at every vertex
goes, and the
cuts between the pieces kept come from 128-bit rows made once per map. Anything the floats leave
open, or rows too wide for 128 bits, go to the exact screening. A winner is first tried with one
bound per piece for every vertex (from the total of its magnitudes), which must not settle a
near-tie its floats get wrong. The oracle is the Python
reference backend with its float filter off: the regions, their pieces, cuts and vertices must
be the same, in the same order.
"""

import random

import pytest

from polyregions import Box, MaxoutLayer, Network, PolytopeDomain, ReluLayer
from polyregions.enumeration import native
from tests.enumeration.drained import drained_records

pytestmark = pytest.mark.skipif(native.load() is None,
                                reason=f"no native kernel: {native.unavailable_reason()}")


def records(net, domain, kernel, float_filter=True):
    """The n-D (incidence) path's records."""
    return drained_records(net, domain, kernel, polygon_path=False, float_filter=float_filter)


def maxout_net(widths, rank, seed, scale=1, zero_piece=False):
    """Integer maxout layers; `scale` multiplies every entry (2^100: rows beyond 128 bits), and
    `zero_piece` makes piece 1 of every unit the zero function."""
    rng = random.Random(seed)
    layers = []
    for fan_in, units in zip(widths[:-1], widths[1:]):
        weights = [[[scale * rng.randint(-9, 9) for _ in range(fan_in)] for _ in range(rank)]
                   for _ in range(units)]
        biases = [[scale * rng.randint(-9, 9) for _ in range(rank)] for _ in range(units)]
        if zero_piece:
            for u in range(units):
                weights[u][1] = [0] * fan_in
                biases[u][1] = 0
        layers.append(MaxoutLayer(weights, biases))
    return Network(widths[0], layers)


@pytest.mark.parametrize("rank, seed", [(3, 1), (3, 2), (5, 3)])
def test_maxout_cells_match_the_exact_reference(rank, seed):
    net = maxout_net([3, 4, 3], rank, seed)
    exact = records(net, Box.cube(3, -1, 1), "python", float_filter=False)
    assert len(exact) > 30
    assert records(net, Box.cube(3, -1, 1), "native") == exact


def test_units_with_a_zero_piece_match_the_exact_reference():
    net = maxout_net([3, 4, 3], 3, 4, zero_piece=True)
    exact = records(net, Box.cube(3, -1, 1), "python", float_filter=False)
    assert len(exact) > 30
    assert records(net, Box.cube(3, -1, 1), "native") == exact


def test_rows_beyond_128_bits_go_to_the_exact_screening():
    net = maxout_net([3, 4, 3], 3, 5, scale=2 ** 100)
    exact = records(net, Box.cube(3, -1, 1), "python", float_filter=False)
    assert len(exact) > 30
    assert records(net, Box.cube(3, -1, 1), "native") == exact


def test_a_near_tie_is_not_settled_by_the_floats():
    # max(0, A, -10^6) on a prism over the triangle 0 <= x1 <= x0 <= 1, on the layer input
    # y = x + 4 (a first layer that is the identity there), with A = (2^60 + 1) x0 - (2^60 + 255)
    # x1 + 100. Both weights truncate to 2^60 in doubles, so A's floats are positive at every
    # vertex, but exactly A(1, 1, .) = -154: A = 0 cuts off an edge of the prism and the unit
    # splits it. Floats settling the winner without their error bound call A the winner everywhere.
    near, shift = 2 ** 60, 4
    weights = [near + 1, -(near + 255), 0]
    bias = 100 - shift * (weights[0] + weights[1])
    net = Network(3, [ReluLayer([[1, 0, 0], [0, 1, 0], [0, 0, 1]], [shift] * 3),
                      MaxoutLayer([[[0, 0, 0], weights, [0, 0, 0]]], [[0, bias, -10 ** 6]])])
    prism = PolytopeDomain([[0, 0, 1, 0], [1, -1, 0, 0], [0, 1, -1, 0], [0, 0, 0, 1], [1, 0, 0, -1]])
    exact = records(net, prism, "python", float_filter=False)
    assert len(exact) == 2
    assert records(net, prism, "native") == exact
