"""new_from_slots against the value objects' own factories and their slots, set one by one."""

import pytest

from polyregions.geometry.polytope import HPolytope
from polyregions.immutable import Immutable, new_from_slots


class _Pair(Immutable):
    __slots__ = ("first", "second")


class _Triple(_Pair):
    __slots__ = ("third",)


def test_a_trusted_polytope_is_the_factory_one():
    unit = HPolytope.box([0, 0], [1, 1])
    parts = (unit.dim, unit.rows, unit.point_rows, unit.ray_rows, unit.line_rows)
    made = new_from_slots(HPolytope, *parts)
    assert type(made) is HPolytope and made == unit
    assert all(getattr(made, name) is part for name, part in zip(HPolytope.__slots__, parts))
    assert made.volume() == 1


def test_each_class_sets_its_own_slots_in_order():
    pair, triple = new_from_slots(_Pair, 1, 2), new_from_slots(_Triple, 3)
    assert (pair.first, pair.second, triple.third) == (1, 2, 3)
    again = new_from_slots(_Pair, "a", "b")  # the class's setters are kept, not its values
    assert (again.first, again.second, pair.first) == ("a", "b", 1)
    with pytest.raises(AttributeError, match="_Pair is immutable"):
        pair.first = 5


def test_a_wrong_number_of_values_is_refused():
    with pytest.raises(ValueError, match="_Pair has 2 slots, not 3 values"):
        new_from_slots(_Pair, 1, 2, 3)
    with pytest.raises(ValueError, match="_Pair has 2 slots, not 1 values"):
        new_from_slots(_Pair, 1)


def test_values_survive_pickling_with_their_slots():
    """Process pools and dask send networks, boxes and property cases to workers by pickle."""
    import pickle

    from polyregions import Box, LeakyReluLayer, LinearLayer, MaxoutLayer, Network, ReluLayer
    from polyregions.io.vnnlib import Case, Constraint

    network = Network(2, [ReluLayer([[1, -1], ["1/3", 2]], [0, "1/7"]),
                          MaxoutLayer([[[1, 0], [0, 1]]], [[0, 1]]),
                          LeakyReluLayer("1/10", [[2]], [1]), LinearLayer([[1], [-1]], [0, 0])])
    network.layers[0].derived(lambda layer: layer.units)  # a memo must not travel
    copy = pickle.loads(pickle.dumps(network))
    assert copy == network and copy is not network
    assert copy.evaluate(["1/2", -3]) == network.evaluate(["1/2", -3])
    assert not hasattr(copy.layers[0], "_derived")
    box = Box([0, "-1/3"], [1, 2])
    assert pickle.loads(pickle.dumps(box)).polytope == box.polytope
    case = Case([0], [1], [Constraint([0, 1], strict=True)], [[Constraint([0, 0, 1])]])
    assert pickle.loads(pickle.dumps(case)) == case
