"""The native float filter's shortcut for units whose piece 0 is zero (ReLU's), at its edges.

Such a unit is certified by comparing one float value per generator with 0 instead of two
pieces' values. Each case is compared region by region with the Python reference backend with
its float filter off (every sign decided in exact integers), and with the regions the geometry
says there are. The cases were checked to fail on broken builds of the shortcut: the winner's
sign inverted, only the first generator checked, the relative error bound left out, the
shortcut taken by every two-piece unit.
"""

from fractions import Fraction

import pytest

from polyregions import Box, LeakyReluLayer, MaxoutLayer, Network, ReluLayer
from polyregions.enumeration import native
from tests.enumeration.test_native_adversarial import assert_exact, patterns

pytestmark = pytest.mark.skipif(native.load() is None,
                                reason=f"no native kernel: {native.unavailable_reason()}")

SQUARE = Box([-1, -1], [1, 1])
CORNERS = [(1, 1), (1, -1), (-1, 1), (-1, -1)]


@pytest.mark.parametrize("sign, piece", [(1, 1), (-1, 0)])
def test_units_of_one_sign_on_the_square_keep_their_piece_through_two_layers(sign, piece):
    # Layer 1: sign (x + 3), sign (y - 3); layer 2: relu(u1 + u2 + 1), whose argument is
    # x + 4 or 4 - y, at least 3. Every value is at least 2 away from 0, so the filter
    # certifies each unit; the pieces follow from the signs alone.
    net = Network(2, [ReluLayer([[sign, 0], [0, sign]], [3 * sign, -3 * sign]),
                      ReluLayer([[1, 1]], [1])])
    assert patterns(assert_exact(net, SQUARE)) == [((piece, 1 - piece), (1,))]


@pytest.mark.parametrize("sx, sy", CORNERS)
@pytest.mark.parametrize("sign", [1, -1])
def test_a_sign_change_at_any_one_corner_splits_the_square(sx, sy, sign):
    # z = sign (sx x + sy y - 3/2) has the sign of -sign at three corners and of sign at the
    # corner (sx, sy): whichever vertex the filter reads first, one of them disagrees.
    net = Network(2, [ReluLayer([[sign * sx, sign * sy]], [sign * Fraction(-3, 2)])])
    assert sorted(patterns(assert_exact(net, SQUARE))) == [((0,),), ((1,),)]


@pytest.mark.parametrize("sx, sy", CORNERS)
@pytest.mark.parametrize("sign, piece", [(1, 0), (-1, 1)])
def test_a_unit_zero_at_one_corner_does_not_split(sx, sy, sign, piece):
    # z = sign (sx x + sy y - 2) is 0 at the corner (sx, sy) and of the sign of -sign at the
    # others: the float value 0 cannot be certified, exactly piece `piece` wins on the square.
    net = Network(2, [ReluLayer([[sign * sx, sign * sy]], [sign * -2])])
    assert patterns(assert_exact(net, SQUARE)) == [((piece,),)]


@pytest.mark.parametrize("p", [60, 200])
def test_values_rounded_to_the_wrong_sign_are_not_certified(p):
    # z = A x + y - (A + k) with k below half an ulp of A = 2^p: as doubles A + k is A, so z is
    # y > 0 at every vertex. Exactly z = A (x - 1) + y - k is below 0 at (1, k / 2) and above
    # at (1, 3k / 2): two regions, which only the filter's error bound keeps.
    A, k = 2 ** p, 2 ** (p - 54) - 1
    net = Network(2, [ReluLayer([[A, 1]], [-(A + k)])])
    box = Box([1, Fraction(k, 2)], [1 + Fraction(1, A), Fraction(3 * k, 2)])
    assert sorted(patterns(assert_exact(net, box))) == [((0,),), ((1,),)]


def test_two_piece_units_whose_piece_0_is_not_zero_are_compared_in_full():
    # Piece 0 is z / 2 (leaky), x + 1, or 0 only as piece 1: none may take the shortcut, and each
    # unit's pieces cross inside the square (at x = 0 for the first two, y = 1/2 for the third).
    leaky = Network(2, [LeakyReluLayer(Fraction(1, 2), [[1, 0]], [0])])
    assert sorted(patterns(assert_exact(leaky, SQUARE))) == [((0,),), ((1,),)]
    maxout = Network(2, [MaxoutLayer([[[1, 0], [2, 0]], [[0, 2], [0, 0]]], [[1, 1], [-1, 0]])])
    assert sorted(patterns(assert_exact(maxout, SQUARE))) == [
        ((0, 0),), ((0, 1),), ((1, 0),), ((1, 1),)]
    # x + 3 > x + 2 everywhere, though x + 2 alone is positive on the whole square.
    above = Network(2, [MaxoutLayer([[[1, 0], [1, 0]]], [[3, 2]])])
    assert patterns(assert_exact(above, SQUARE)) == [((0,),)]
