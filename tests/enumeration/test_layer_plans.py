"""Layer plans kept by their layers (LayerPlan.of): the plan from_layer makes, for the layer asked."""

from fractions import Fraction

from polyregions import Box, LeakyReluLayer, MaxoutLayer, Network, ReluLayer, count_regions
from polyregions.enumeration.engine import LayerPlan, prepare


def layers(count):
    """`count` different layers of three kinds, some equal in value to others."""
    out = []
    for i in range(count):
        kind = i % 3
        if kind == 0:
            out.append(ReluLayer([[1, Fraction(i, 7)], [i, -1]], [0, i]))
        elif kind == 1:
            out.append(LeakyReluLayer("1/3", [[i, 1]], [Fraction(1, i + 1)]))
        else:
            out.append(MaxoutLayer([[[1, 0], [0, i], [-1, -1]]], [[0, 1, i]]))
    return out


def test_kept_plans_are_the_plans_of_their_layers():
    many = layers(40)
    first = [LayerPlan.of(layer) for layer in many]
    for layer, plan in zip(many, first):
        assert plan == LayerPlan.from_layer(layer)
        assert LayerPlan.of(layer) is plan  # made once, however many layers came between


def test_a_kept_plan_is_used_again_and_counts_stay_right():
    net = Network(2, [ReluLayer([[1, 0], [0, 1], [1, 1]], [0, 0, -1])])
    first = LayerPlan.of(net.layers[0])
    assert prepare(net, Box.cube(2, -1, 1))[0].plans[0] is first
    # An equal layer that is another object gets its own (equal) plan.
    twin = ReluLayer([[1, 0], [0, 1], [1, 1]], [0, 0, -1])
    assert LayerPlan.of(twin) == first and LayerPlan.of(twin) is not first
    square = Box.cube(2, -2, 2)
    assert count_regions(net, square) == count_regions(Network(2, [twin]), square) == 7


def test_plan_rows_are_every_piece_over_the_least_common_denominator():
    # Pieces that share a weight tuple (a ReLU layer's zero rows) and pieces with the same
    # weights but other biases must each get their own row: the oracle is each piece's own
    # Fractions, entry by entry, over the lcm of all their denominators.
    import math
    import random

    from polyregions import LinearLayer

    rng = random.Random(16)

    def value():
        return Fraction(rng.randint(-50, 50), rng.choice([1, 2, 3, 8, 2 ** 40, 10 ** 9 + 7]))

    weights = [[value() for _ in range(3)] for _ in range(6)]
    weights[4] = list(weights[1])  # equal weights, another bias
    biases = [value() for _ in range(6)]
    for layer in (ReluLayer(weights, biases), LeakyReluLayer("2/7", weights, biases),
                  MaxoutLayer([weights[:3], weights[3:]], [biases[:3], biases[3:]]),
                  LinearLayer(weights, biases)):
        plan = LayerPlan.from_layer(layer)
        pieces = [(b, *w) for unit in layer.pieces() for w, b in unit]
        assert plan.den == math.lcm(*(v.denominator for piece in pieces for v in piece))
        assert [tuple(Fraction(n, plan.den) for n in row) for row in plan.rows] == pieces
        assert all(type(n) is int for row in plan.rows for n in row)


def test_a_relu_layers_plan_is_the_plan_of_its_pieces():
    # from_layer reads a ReLU layer's rows without making its pieces: the plan must be the
    # one every other layer kind gets from its pieces, row by row, with the same denominator.
    import random
    import struct

    rng = random.Random(7)

    def value():
        kind = rng.randrange(3)
        if kind == 0:
            return Fraction(struct.unpack("f", struct.pack("f", rng.gauss(0, 1)))[0])
        return Fraction(rng.randint(-9, 9), rng.choice([1, 3, 2 ** 30])) if kind == 1 else 0

    for _ in range(30):
        inputs, units = rng.randint(1, 5), rng.randint(1, 6)
        layer = ReluLayer([[value() for _ in range(inputs)] for _ in range(units)],
                          [value() for _ in range(units)])
        assert LayerPlan.from_layer(layer) == LayerPlan._from_pieces(layer)
