"""Layer plans kept between runs (LayerPlan.of): the plan from_layer makes, for the layer asked."""

from fractions import Fraction

from polyregions import Box, LeakyReluLayer, MaxoutLayer, Network, ReluLayer, count_regions
from polyregions.enumeration import engine
from polyregions.enumeration.engine import LayerPlan


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


def test_kept_plans_are_the_plans_of_their_layers_past_the_limit():
    many = layers(engine.PLANS_KEPT * 2 + 5)
    for _ in range(2):  # the second time round, the first layers were pushed out
        for layer in many:
            assert LayerPlan.of(layer) == LayerPlan.from_layer(layer)
            assert len(engine._plans) <= engine.PLANS_KEPT
    # The most recently used are kept, each under its own layer.
    for layer in many[-engine.PLANS_KEPT:]:
        assert engine._plans[id(layer)][0] is layer
    # A layer used between every other one is never pushed out: its plan is made once.
    plan = LayerPlan.of(many[0])
    for layer in many[1:]:
        LayerPlan.of(layer)
        assert LayerPlan.of(many[0]) is plan


def test_a_kept_plan_is_used_again_and_counts_stay_right():
    net = Network(2, [ReluLayer([[1, 0], [0, 1], [1, 1]], [0, 0, -1])])
    first = LayerPlan.of(net.layers[0])
    assert LayerPlan.of(net.layers[0]) is first
    # An equal layer that is another object gets its own (equal) plan.
    twin = ReluLayer([[1, 0], [0, 1], [1, 1]], [0, 0, -1])
    assert LayerPlan.of(twin) == first and engine._plans[id(twin)][0] is twin
    square = Box.cube(2, -2, 2)
    assert count_regions(net, square) == count_regions(Network(2, [twin]), square) == 7
