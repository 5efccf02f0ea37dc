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
