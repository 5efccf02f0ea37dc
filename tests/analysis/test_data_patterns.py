"""Patterns of many points on integers agree with Network.activation_pattern point by point."""

import itertools
import time
from fractions import Fraction

import numpy as np
import pytest

from polyregions import LinearLayer, MaxoutLayer, Network
from polyregions.analysis.data_patterns import distinct_regions, point_patterns
from polyregions.errors import PolyregionsError
from polyregions.params.init import initialize
from tests.networks import random_net

# Grid points k/2: with weights k/4 many of them lie on a unit's hyperplanes (ties).
GRID = [[Fraction(a, 2), Fraction(b, 2)] for a, b in itertools.product(range(-4, 5), repeat=2)]


def _oracle(net, points):
    return [net.activation_pattern(p) for p in points]


@pytest.mark.parametrize("kinds", [("relu", "relu"), ("leaky_relu", "relu"), ("maxout", "maxout"),
                                   ("maxout", "leaky_relu")])
@pytest.mark.parametrize("seed", range(4))
def test_patterns_match_the_exact_pattern_of_each_point_ties_included(kinds, seed):
    net = random_net(seed, 2, (4, 3), kinds, rank=3, degenerate=True, outputs=2)
    expected = _oracle(net, GRID)
    assert point_patterns(net, GRID) == expected
    assert point_patterns(net, np.array(GRID, dtype=float)) == expected  # k/2 are floats exactly
    assert point_patterns(net, [[str(v) for v in p] for p in GRID]) == expected
    assert distinct_regions(net, GRID) == len(set(expected))


def test_ties_go_to_the_lowest_piece():
    # Three identical pieces then a larger one off the line: every grid point with x <= 0 ties.
    net = Network(2, [MaxoutLayer([[[1, 0], [1, 0], [1, 0], [2, 0]]], [[0, 0, 0, 0]])])
    patterns = point_patterns(net, GRID)
    assert patterns == _oracle(net, GRID)
    assert {p[0][0] for p, g in zip(patterns, GRID) if g[0] <= 0} == {0}


def test_units_of_different_ranks_and_a_middle_linear_layer():
    layer = MaxoutLayer([[[1, 0], [0, 1]], [[1, 1], [-1, 0], [0, -1]]], [[0, 1], [0, 0, "1/3"]])
    net = Network(2, [layer, LinearLayer([[1, -1], [2, 1]], [0, 0]),
                      MaxoutLayer([[[1, 0], [0, 1]]], [[0, 0]])])
    assert point_patterns(net, GRID) == _oracle(net, GRID)


def test_floats_far_apart_in_magnitude_are_taken_exactly():
    net = random_net(7, 2, (5,), ("relu",), outputs=0)
    rng = np.random.default_rng(0)
    points = rng.normal(size=(40, 2)) * 10.0 ** rng.integers(-300, 300, size=(40, 2))
    exact = [[Fraction(v) for v in p] for p in points.tolist()]
    assert point_patterns(net, points) == _oracle(net, exact)


def test_digits_through_a_maxout_net_is_fast_and_exact():
    pytest.importorskip("sklearn")
    from polyregions.params.train import make_task

    x, _ = make_task("digits")
    net = initialize((64, 16, 16, 16), "maxout", 3, "maxout_he", outputs=10, seed=0)
    start = time.perf_counter()
    patterns = point_patterns(net, x)
    # About half a second here; the bound leaves room for a loaded machine.
    assert time.perf_counter() - start < 4
    sample = range(0, len(x), 200)
    assert [patterns[i] for i in sample] == _oracle(net, [[Fraction(v) for v in x[i]]
                                                          for i in sample])


@pytest.mark.parametrize("points, words", [([[1, 2, 3]], "(n, 2) array, got shape (1, 3)"),
                                           ([[float("nan"), 0.0]], "finite"),
                                           ([["1/0", 0]], "divides by zero")])
def test_bad_points_are_refused_in_one_line(points, words):
    net = random_net(0, 2, (2,), ("relu",))
    with pytest.raises(PolyregionsError) as err:
        point_patterns(net, np.array(points) if isinstance(points[0][0], float) else points)
    assert words in str(err.value) and "\n" not in str(err.value)
