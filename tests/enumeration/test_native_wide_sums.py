"""Pieces composed from 128-bit weights and 128-bit map entries, in five machine words.

Where a layer's rows fit 128 bits but their products with the map's entries do not (the second
layer of float weights), the native kernel sums the products of up to 254 bits exactly in
machine words, by sign and by word position, and propagates the carries once. Each case is
compared with ``engine.next_map``, the Python definition, on maps at the edges: products that
carry into every word, positive and negative sums that cancel to zero or to one, results just
past a word, and entries past 128 bits (GMP). The maxout cells on such maps, whose cuts come
from these rows, are compared with the Python reference backend with its float filter off.
The cases were checked to fail on broken builds: the top word's carry dropped, the sign of a
product taken from one factor, the borrow of the final subtraction left out, and the high word of
a product of two one-word factors dropped.
"""

import pytest

from polyregions import Box, MaxoutLayer, Network
from polyregions.enumeration import native
from tests.enumeration.test_native_maxout_cells import maxout_net, records
from tests.enumeration.test_native_next_map import assert_next_maps

pytestmark = pytest.mark.skipif(native.load() is None,
                                reason=f"no native kernel: {native.unavailable_reason()}")

T = 2 ** 127 - 1  # the largest __int128
W = 2 ** 64       # one past a machine word


def test_products_of_128_bits_carry_into_every_word():
    # Three products of (2^127 - 1)^2 of each sign; sums of up to 2^255.6 in magnitude.
    net = Network(2, [MaxoutLayer([[[T, T], [-T, T]], [[T, -T], [-T, -T]]], [[T, -T], [T, T]])])
    maps = [(T, ((T, T, T), (T, T, -T))), (T, ((-T, T, -T), (T, -T, -T))),
            (1, ((T, -T, T), (-T, -T, T)))]
    assert_next_maps(net, maps)
    # Five such products of one sign (a 4-D map): a sum past 2^256, into the fifth word.
    net = Network(4, [MaxoutLayer([[[T] * 4, [-T, T, -T, T]]], [[T, -T]])])
    row = (T,) * 5
    assert_next_maps(net, [(T, (row,) * 4), (T, (row, row, tuple(-x for x in row), row))], dim=4)


def test_sums_that_cancel_to_zero_or_to_one():
    # (2^64 + 1)(2^64 - 1) - (2^127 - 1) 2 = 1, and a x b - a x b = 0: the two signs' sums are
    # as long as the products, their difference one word or nothing.
    a, b = W + 1, W - 1
    net = Network(2, [MaxoutLayer([[[a, -T], [a, a]], [[T, -T], [1, 0]]], [[0, 0], [0, 1]])])
    maps = [(1, ((0, b, b), (0, 2, -b))), (T, ((T, 3, T), (T, 2, T))),
            (W, ((W, b, -b), (W, 2, b)))]
    assert_next_maps(net, maps)
    # Products of two one-word factors (2^64 - 1)^2 in two words, next to two-word ones.
    net = Network(2, [MaxoutLayer([[[b, -b], [b, a]], [[-b, T], [b, b]]], [[b, 0], [-b, 1]])])
    assert_next_maps(net, [(b, ((b, b, -b), (W, b, b))), (1, ((-b, b, b), (b, -b, 1)))])


def test_entries_past_128_bits_fall_back_to_gmp():
    # A map entry or a denominator of 2^127 or more: the machine words are not used.
    net = Network(2, [MaxoutLayer([[[T, 1], [-T, 3]], [[2, T], [W, -W]]], [[T, 1], [-1, W]])])
    maps = [(2 ** 127, ((1, T, -T), (T, 1, 2))), (3, ((2 ** 130, T, 1), (-T, -2 ** 127, T))),
            (1, ((T, T, T), (1, -2 ** 200, 1)))]
    assert_next_maps(net, maps)


@pytest.mark.parametrize("rank, seed, scale", [(3, 6, 2 ** 60), (5, 7, 2 ** 40)])
def test_maxout_cells_on_wide_maps_match_the_exact_reference(rank, seed, scale):
    # Weights past 64 bits make the second layer's map entries too wide for machine words: its
    # pieces and the cuts between them are composed in five words.
    net = maxout_net([3, 4, 3], rank, seed, scale=scale)
    exact = records(net, Box.cube(3, -1, 1), "python", float_filter=False)
    assert len(exact) > 30
    assert records(net, Box.cube(3, -1, 1), "native") == exact
