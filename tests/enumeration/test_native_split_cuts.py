"""The cuts of a ReLU unit's split, made by the native kernel in 128-bit integers.

When the float filter proves that a ReLU unit splits a cell, the native kernel composes the
unit's active piece in 64/128-bit integers (falling back to GMP when a sum overflows), divides
out the gcd of its entries (a shift for a power of two, a division otherwise) and makes the
cut and its negation once per layer context. Each case compares the cuts with the Python
reference kernel's on maps whose composed entries sit at the edges of 64 and 128 bits. The
cases were checked to fail on broken builds: the gcd left out, the odd gcd taken for a power
of two, a sign of the negated cut not flipped, the high limb of an entry dropped, and the GMP
fallback's cut left with its common factor.
"""

import pytest

from polyregions import Box, Network, ReluLayer
from polyregions.enumeration import native
from polyregions.enumeration.engine import prepare
from polyregions.enumeration.kernel import EngineOptions

pytestmark = pytest.mark.skipif(native.load() is None,
                                reason=f"no native kernel: {native.unavailable_reason()}")

M, N = 2 ** 63 - 1, -2 ** 63  # the ends of a C long


def composed(weights, bias, den, rows):
    """The unit's active piece over the domain: (b den + w . rows[:, 0], w . rows[:, c], ...)."""
    width = len(rows[0])
    return tuple((bias * den if c == 0 else 0) + sum(w * r[c] for w, r in zip(weights, rows))
                 for c in range(width))


def screenings(net, den, rows, dim):
    """(native, reference) screenings of the cube [-1, 1]^dim on the layer-0 map (den, rows)."""
    out = []
    for kernel in ("native", "python"):
        job, root = prepare(net, Box.cube(dim, -1, 1), EngineOptions(kernel=kernel))
        context = job.kernel.enter_layer(0, den, rows)
        # Twice on one context: the second split reads the cuts the first one made.
        first = job.kernel.screen(context, root.cell, 0)
        assert job.kernel.screen(context, root.cell, 0) == first
        out.append(first)
    return out


# (weights, bias, den, rows, the largest composed entry's bit length)
CASES = [
    # One long: the cut (0, 1, 3) after a power-of-two gcd of 2^40.
    ((1, 1), 0, 1, ((0, 2 ** 40, 0), (0, 0, 3 * 2 ** 40)), 42),
    # An odd gcd (3 * 5): a 128-bit division, not a shift.
    ((3, 5), 0, 7, ((0, 5 * 2 ** 60, 0), (15, 0, -3 * 2 ** 60)), 64),
    # Past 64 bits, within 128: products of longs at their ends, summed.
    ((M, M), 1, 1, ((0, M, 1), (1, -M, M)), 126),
    # An entry of exactly -2^127 = 2N (M + 1) with a common factor 2^64.
    ((N, N), N, 2, ((M, M, -M), (M, M, -M)), 128),
    # A sum past 128 bits (2^126 + 2^126): GMP composes the piece, with the same cut.
    ((N, N), 0, 1, ((0, N, 0), (0, N, 0)), 128),
    # Wide weights (2^70, past a long) on long map entries: 128-bit rows, then GMP.
    ((2 ** 70, -3 * 2 ** 70), 2 ** 69, 1, ((0, 1, 0), (0, 0, 1)), 72),
    ((2 ** 120, 2 ** 120), 0, 1, ((0, M, 1), (0, M, -1)), 184),
]


@pytest.mark.parametrize("weights, bias, den, rows, bits", CASES,
                         ids=["long", "odd-gcd", "past-64", "minus-2-to-127", "past-128",
                              "wide-weights", "wide-past-128"])
def test_split_cuts_equal_the_reference_at_the_word_edges(weights, bias, den, rows, bits):
    net = Network(2, [ReluLayer([list(weights)], [bias])])
    piece = composed(weights, bias, den, rows)
    assert max(abs(v) for v in piece).bit_length() == bits  # the case sits where it says
    ours, reference = screenings(net, den, rows, dim=2)
    assert len(reference.cells) == 2  # the unit splits the square
    assert ours == reference


def test_a_minus_2_to_the_127_entry_with_nothing_to_divide_in_3_d():
    # 2 N + N M + N M = -2^127 as the constant, with an odd entry (M^2) beside it: the gcd is
    # 1 and the entry's magnitude 2^127 is written as it is (it has no positive __int128).
    net = Network(3, [ReluLayer([[N, N, M]], [N])])
    rows = ((M, N, 0, 0), (M, 0, N, 0), (0, 0, 0, M))
    assert composed((N, N, M), N, 2, rows) == (-2 ** 127, 2 ** 126, 2 ** 126, M * M)
    ours, reference = screenings(net, 2, rows, dim=3)
    assert len(reference.cells) == 2
    assert ours == reference
