"""The native next layer's map in machine integers, at the edges of 64 and 128 bits.

The native kernel composes the chosen pieces and divides out the common factor in 64/128-bit
integers when everything fits (reading back the pieces a context has composed already), and in
GMP otherwise. Each case is compared with ``engine.next_map``, the Python definition, on maps
whose entries and denominators sit at those edges and whose common factors are a power of two,
odd, or 1. The cases were checked to fail on broken builds: the gcd left out, the power-of-two
gcd taken from the wrong operand, the high limb of a composed piece read back as zero, and
every piece 0 taken for a zero row.
"""

import itertools

import pytest

from polyregions import Box, MaxoutLayer, Network, ReluLayer
from polyregions.enumeration import native
from polyregions.enumeration.engine import next_map, prepare
from polyregions.enumeration.kernel import EngineOptions

pytestmark = pytest.mark.skipif(native.load() is None,
                                reason=f"no native kernel: {native.unavailable_reason()}")

M, N = 2 ** 63 - 1, -2 ** 63  # the ends of a C long


def assert_next_maps(net, maps, dim=2):
    """Every choice of pieces on every (den, rows) map: native equals engine.next_map."""
    for float_filter in (True, False):
        job, root = prepare(net, Box.cube(dim, -1, 1), EngineOptions(kernel="native",
                                                                     float_filter=float_filter))
        plan = job.plans[0]
        for den, rows in maps:
            choices = list(itertools.product(*(range(b - a) for a, b in plan.slices)))
            context = job.kernel.enter_layer(0, den, rows)
            for chosen in choices:
                assert job.kernel.next_map(context, chosen) == next_map(plan, chosen, den, rows, dim)
            # Again once the context has composed some units' pieces (all of them without the
            # float filter, up to the first split): those are read back, not composed again.
            job.kernel.screen(context, root.cell, 0)
            for chosen in choices:
                assert job.kernel.next_map(context, chosen) == next_map(plan, chosen, den, rows, dim)


RELU = Network(2, [ReluLayer([[1, 1], [3, -1], [0, 5]], [0, 1, -2])])


@pytest.mark.parametrize("den, rows", [
    (6, ((6, 12, -18), (-30, 6, 0))),                        # an odd factor: 3 (with the layer's 2)
    (2 ** 40, ((2 ** 12, -2 ** 30, 2 ** 11), (0, 2 ** 13, 2 ** 20))),  # a power of two: 2^11
    (2 ** 40, ((2 ** 12, -2 ** 30, 3 * 2 ** 11), (0, 2 ** 13, 2 ** 20))),
    (7, ((1, 2, 3), (4, 5, 6))),                             # coprime: nothing to divide
    (M, ((M, -M, 1), (M - 1, 0, M))),                        # the largest long denominator
    (M + 1, ((M + 1, 2, 4), (6, 8, 2 ** 62))),               # one past it: GMP
    (5, ((0, 0, 0), (0, 0, 0))),                             # zero rows: den becomes 1
], ids=["odd", "power-of-two", "power-of-two-3", "coprime", "long-max", "past-long", "zero"])
def test_maps_at_the_word_edges_give_the_unique_form(den, rows):
    assert_next_maps(RELU, [(den, rows)])


def test_sums_past_128_bits_and_pieces_past_64_fall_back_or_read_back_exactly():
    # Weights at the ends of a long times map entries at the ends of a long: products of 2^126,
    # whose sums of two or three overflow __int128 (GMP composes them) or stay below it (two-limb
    # pieces, read back from the context in 128 bits).
    wide = Network(2, [MaxoutLayer([[[M, M], [N, 1]], [[M, -M], [1, 1]]], [[M, 0], [N, 3]])])
    maps = [(1, ((M, M, M), (N, N, N))), (2, ((M, N, M), (N, M, 0))),
            (3, ((2 ** 62, 2 ** 62, -2 ** 62), (2 ** 61, -2 ** 61, 2 ** 61)))]
    assert_next_maps(wide, maps)


def test_a_layer_with_a_denominator_and_inactive_units():
    # Half-integer weights give the layer a denominator 2; ReLU units choosing piece 0 have a
    # zero row, which the power-of-two gcd must not shrink below the other rows' factor.
    net = Network(2, [ReluLayer([["1/2", 1], [2, "-3/2"], [4, 4]], ["5/2", 0, 8])])
    assert_next_maps(net, [(4, ((8, 4, 12), (4, 16, 8))), (1, ((1, 0, 0), (0, 1, 0))),
                           (2 ** 50, ((2 ** 52, 2 ** 51, 0), (2 ** 53, 0, 2 ** 51)))])


def test_weights_past_64_bits_compose_in_128_or_fall_back_exactly():
    # Weights of 2^70 to 2^126 (too wide for a long, not for __int128) times long map entries:
    # some products and sums fit in 128 bits, some overflow (on the product, on the sum, and
    # at the most negative value), and those must come from GMP with the same result.
    big, top = 2 ** 70, 2 ** 126
    net = Network(2, [MaxoutLayer([[[big, -big], [top, 1]], [[-top, top], [3, big + 1]]],
                                  [[1, -big], [top - 1, 0]])])
    maps = [(1, ((1, 2, 3), (-4, 5, 6))), (3, ((M, 1, -1), (2, N, 1))),
            (2, ((2 ** 40, -2 ** 40, 2 ** 56), (2 ** 56, 2 ** 40, 1)))]
    assert_next_maps(net, maps)


def test_zero_rows_of_the_map_are_skipped_but_not_the_overflow_of_the_rest():
    # Machine-integer composition leaves out the map's zero rows (inactive ReLU units): the
    # rows kept must still be read at their own inputs, and their sum still overflow 128 bits
    # into GMP. Three inputs, so that three products of 2^126 meet in one sum.
    wide = Network(3, [MaxoutLayer([[[N, N, N], [M, 1, -1]], [[1, N, M], [N, 0, N]]],
                                   [[N, M], [M, N]])])
    zero = (0, 0, 0, 0)
    maps = [(M, ((N, N, N, N), zero, (N, 1, 2, N))), (M, (zero, (N, N, M, 1), (N, N, N, N))),
            (1, ((N, 5, N, 7), (3, N, 9, N), zero)), (2, (zero, zero, (M, M, M, M))),
            (3, (zero, zero, zero)), (M + 1, ((M + 1, 0, 0, 1), zero, (1, 2, 3, 4)))]
    assert_next_maps(wide, maps, dim=3)


def test_an_entry_of_minus_2_to_the_127_with_nothing_to_divide():
    # N M + N M + 2 N = -2^127 exactly, the one __int128 whose magnitude is not one: with a
    # common factor of 1 it is kept as it is (and made a GMP number when it is asked for).
    net = Network(3, [ReluLayer([[N, N, N]], [1])])
    assert_next_maps(net, [(1, ((0, M, 0, 0), (0, M, 0, 0), (0, 2, 0, 0))),
                           (1, ((0, M, 0, 1), (0, M, 0, 0), (0, 2, 0, 0)))], dim=3)
    assert next_map(prepare(net, Box.cube(3, -1, 1))[0].plans[0], (1,), 1,
                    ((0, M, 0, 0), (0, M, 0, 0), (0, 2, 0, 0)), 3) == (1, ((1, -2 ** 127, 0, 0),))
