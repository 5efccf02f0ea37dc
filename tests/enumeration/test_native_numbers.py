"""The native kernel's numbers at their edges, and the float filter's error bound.

Integers cross between Python and GMP as two's complement bytes and are composed
in ``__int128`` when every entry fits a machine word, else in GMP: values at
``2**63 - 1`` and ``-2**63``, products that overflow 128 bits and rows mixing
small and big entries must give exactly what the Python reference gives. The float
filter may only settle a comparison that its proven bound covers: near-ties whose
floats round to the wrong side must still be decided exactly.
"""

import random

import pytest

from polyregions import Box, PolytopeDomain, count_regions, enumerate_regions
from polyregions.enumeration import native
from polyregions.enumeration.engine import next_map, prepare
from polyregions.enumeration.kernel import EngineOptions
from tests.enumeration.test_native import compare
from tests.networks import to_network

needs_native = pytest.mark.skipif(native.load() is None,
                                  reason=f"no native kernel: {native.unavailable_reason()}")

TOP, BOTTOM = 2 ** 63 - 1, -2 ** 63
EDGES = (0, 1, -1, TOP, BOTTOM, TOP + 1, BOTTOM - 1, 2 ** 64 - 1, -(2 ** 64) + 1, 2 ** 64,
         2 ** 127 - 1, -(2 ** 127), 2 ** 127, 255, 256, -255, -256, 10 ** 200 + 7, -(10 ** 200) - 7)


@needs_native
def test_integers_cross_both_ways_unchanged_at_the_machine_word_edges():
    module = native.load()
    kernel = module.Kernel(1, [(((0, 0), (0, 1)), ((0, 2),), 1)], True, True, True)
    rng = random.Random(0)
    # Python ints hold 30-bit digits, GMP 64-bit limbs: values at both kinds of boundary.
    boundaries = [sign * (2 ** bits + d) for bits in (30, 60, 62, 64, 90, 120, 126, 128, 150, 192, 320)
                  for d in (-1, 0, 1) for sign in (1, -1)]
    values = list(EDGES) + boundaries + [rng.getrandbits(rng.randrange(1, 500)) * rng.choice((1, -1))
                                         for _ in range(300)]
    for v in values:
        # A context's state is its map read back from GMP: Python -> GMP -> Python.
        state = kernel.enter_layer(0, v * v + 1, ((v, -v),)).__getstate__()
        assert state[1:] == (v * v + 1, ((v, -v),)), v


def edge_network(first, second):
    """Two maxout units whose piece rows hold `first` and `second` (entries at the edges)."""
    return to_network([{"type": "maxout",
                        "weights": [[[first, second], [second, 1]], [[1, first], [second, second]]],
                        "biases": [[second, first], [0, first]]}], 2)


@needs_native
@pytest.mark.parametrize("first, second", [(TOP, TOP), (BOTTOM, BOTTOM), (TOP, BOTTOM), (BOTTOM, 1),
                                           (TOP + 1, 3), (2 ** 127, -5), (TOP, 10 ** 40)])
def test_composed_maps_at_the_edges_are_the_engines(first, second):
    # Maps whose entries sit at the edges: products reach 2**126 and sums overflow 128 bits
    # (then GMP takes over); mixed rows hold small and big entries side by side.
    net = edge_network(first, second)
    job, root = prepare(net, Box.cube(2, -1, 1), EngineOptions(kernel="native"))
    plan = job.plans[0]
    maps = [(1, ((0, 1, 0), (0, 0, 1))), (1, ((TOP, TOP, TOP), (BOTTOM, BOTTOM, BOTTOM))),
            (3, ((BOTTOM, 1, TOP), (7, -(2 ** 127), 2))), (TOP, ((1, 0, 0), (0, 1, BOTTOM)))]
    for map_den, map_rows in maps:
        for chosen in ((0, 0), (0, 1), (1, 0), (1, 1)):
            expected = next_map(plan, chosen, map_den, map_rows, 2)
            assert job.kernel.next_map(job.kernel.enter_layer(0, map_den, map_rows), chosen) == expected
            context = job.kernel.enter_layer(0, map_den, map_rows)
            job.kernel.screen(context, root.cell, 0)  # composes the screened units' pieces first
            assert job.kernel.next_map(context, chosen) == expected


@needs_native
@pytest.mark.parametrize("first, second", [(TOP, TOP), (BOTTOM, TOP), (2 ** 127, -3)])
def test_regions_at_the_edges_are_the_references(first, second):
    net = to_network([{"type": "relu", "weights": [[first, second], [second, -first], [1, first]],
                       "biases": [0, 1, -second]},
                      {"type": "relu", "weights": [[1, -1, 1]], "biases": [-1]}], 2)
    for options in (EngineOptions(float_filter=True), EngineOptions(float_filter=False),
                    EngineOptions(polygon_path=False)):
        assert compare(net, Box.cube(2, -1, 1), options) > 1


@needs_native
@pytest.mark.parametrize("big", [TOP, BOTTOM, 2 ** 127 + 1])
def test_three_dimensional_cells_cut_many_times_at_the_edges_are_the_references(big):
    # Rank-3 maxout units cut each piece by two rows, so a cell is cut twice in a row and its
    # float images are carried through both cuts (a kept vertex takes its parent's floats); the
    # second layer's rows are composed maps with entries far beyond 128 bits.
    rng = random.Random(big % 1000)

    def unit(scale):
        return [[rng.choice((big, -big, 1, -1, 3)) * scale + rng.randrange(-2, 3) for _ in range(3)]
                for _ in range(3)]

    net = to_network([{"type": "maxout", "weights": [unit(1) for _ in range(5)],
                       "biases": [[rng.randrange(-4, 5) for _ in range(3)] for _ in range(5)]},
                      {"type": "maxout",
                       "weights": [[[rng.randrange(-3, 4) for _ in range(5)] for _ in range(3)]
                                   for _ in range(3)],
                       "biases": [[rng.randrange(-2, 3) for _ in range(3)] for _ in range(3)]}], 3)
    for options in (EngineOptions(float_filter=True), EngineOptions(float_filter=False)):
        assert compare(net, Box.cube(3, -1, 1), options) > 5


# A ReLU unit max(0, A) with A = (2^60 + 1) x1 - (2^60 + 255) x2 + 100 on the triangle
# (0, 0), (1, 0), (1, 1). In doubles both weights round to 2^60, so the floats of A are 100,
# about 2^60 and 100: positive at every vertex. Exactly, A(1, 1) = -154 < 0: A = 0 cuts off a
# small corner, and the unit splits the triangle. A filter without its error bound would
# call piece 1 the winner everywhere and miss that corner.
NEAR = 2 ** 60
TRIANGLE = PolytopeDomain([[0, 0, 1], [1, -1, 0], [0, 1, -1]])


def near_tie(shift):
    """The unit above on the layer input y = x + shift (a first layer that is the identity)."""
    weights = [NEAR + 1, -(NEAR + 255)]
    if not shift:
        return to_network([{"type": "relu", "weights": [weights], "biases": [100]}], 2)
    # max(0, x + shift) is x + shift on the triangle; A(x) = W . (y - shift) + 100.
    bias = 100 - shift * (weights[0] + weights[1])
    return to_network([{"type": "relu", "weights": [[1, 0], [0, 1]], "biases": [shift, shift]},
                       {"type": "relu", "weights": [weights], "biases": [bias]}], 2)


@needs_native
@pytest.mark.parametrize("shift", [0, 4])
@pytest.mark.parametrize("polygon_path", [True, False])
def test_near_ties_that_round_to_the_wrong_side_are_decided_exactly(shift, polygon_path):
    net = near_tie(shift)
    exact = EngineOptions(kernel="python", float_filter=False, polygon_path=polygon_path)
    reference = enumerate_regions(net, TRIANGLE, options=exact)
    assert len(reference) == 2  # the corner at (1, 1) is a region of its own
    corner = min(reference, key=lambda region: region.polytope.volume())
    assert corner.polytope.volume() > 0
    filtered = EngineOptions(kernel="native", float_filter=True, polygon_path=polygon_path)
    assert count_regions(net, TRIANGLE, options=filtered) == 2
    assert [r.pattern for r in enumerate_regions(net, TRIANGLE, options=filtered)] == \
        [r.pattern for r in reference]
