"""Layers and networks: exact evaluation, activation patterns, immutability, validation."""

from fractions import Fraction

import pytest

from polyregions import (
    LeakyReluLayer,
    LinearLayer,
    MaxoutLayer,
    ModelFormatError,
    Network,
    PolyregionsError,
    ReluLayer,
)

F = Fraction


def point(*values):
    return tuple(F(v) for v in values)


# ---------------------------------------------------------------- one layer at a time


def test_maxout_unit_value_and_winning_piece():
    # One unit max(x1, x2, 1/3 - x1 - x2).
    layer = MaxoutLayer([[[1, 0], [0, 1], [-1, -1]]], [[0, 0, "1/3"]])
    # (1, 2): pieces 1, 2, 1/3 - 3 = -8/3; piece 1 wins with 2.
    assert layer(point(1, 2)) == ((F(2),), (1,))
    # (-1, -1): pieces -1, -1, 1/3 + 2 = 7/3; piece 2 wins.
    assert layer(point(-1, -1)) == ((F(7, 3),), (2,))


@pytest.mark.parametrize("x, expected", [
    # max(x1, x2, 1/3 - x1 - x2): ties between the winners go to the lowest index.
    ((1, 1), ((F(1),), (0,))),  # pieces 1, 1, -5/3: 0 and 1 tie
    ((F(1, 9), F(1, 9)), ((F(1, 9),), (0,))),  # all three equal 1/9
    ((-1, F(2, 3)), ((F(2, 3),), (1,))),  # pieces -1, 2/3, 1/3 + 1/3 = 2/3: 1 and 2 tie
])
def test_maxout_ties_go_to_the_lowest_index(x, expected):
    layer = MaxoutLayer([[[1, 0], [0, 1], [-1, -1]]], [[0, 0, "1/3"]])
    assert layer(point(*x)) == expected


def test_maxout_identical_pieces_always_give_the_first():
    # max(2x, 2x, -x): pieces 0 and 1 are the same function, piece 1 can never win.
    layer = MaxoutLayer([[[2], [2], [-1]]], [[1, 1, 0]])
    for x in [-3, -1, F(-1, 3), 0, 5]:
        value, (piece,) = layer(point(x))
        assert piece in (0, 2)
    assert layer(point(0)) == ((F(1),), (0,))  # 1, 1, 0
    assert layer(point(F(-1, 3))) == ((F(1, 3),), (0,))  # 1/3, 1/3, 1/3: a three-way tie
    assert layer(point(-1)) == ((F(1),), (2,))  # -1, -1, 1


def test_maxout_units_may_have_different_ranks():
    # Unit 0 = |x| = max(x, -x); unit 1 = the single piece 2x + 5 (rank 1).
    layer = MaxoutLayer([[[1], [-1]], [[2]]], [[0, 0], [5]])
    assert layer.ranks == (2, 1)
    assert (layer.units, layer.input_dim, layer.kind) == (2, 1, "maxout")
    assert layer(point(-3)) == ((F(3), F(-1)), (1, 0))


@pytest.mark.parametrize("x, expected", [
    # relu(x1 - x2 + 1/2)
    ((2, 1), ((F(3, 2),), (1,))),
    ((0, 1), ((F(0),), (0,))),  # -1/2 < 0
    ((F(1, 2), 1), ((F(0),), (0,))),  # exactly 0: the zero piece (piece 0) wins the tie
])
def test_relu(x, expected):
    layer = ReluLayer([[1, -1]], ["1/2"])
    assert layer(point(*x)) == expected


@pytest.mark.parametrize("x, expected", [
    # max(z / 10, z) with z = x - 1
    (-4, ((F(-1, 2),), (0,))),  # z = -5: max(-1/2, -5)
    (1, ((F(0),), (0,))),  # z = 0: a tie, piece 0
    (4, ((F(3),), (1,))),  # z = 3: max(3/10, 3)
])
def test_leaky_relu(x, expected):
    layer = LeakyReluLayer("1/10", [[1]], [-1])
    assert layer(point(x)) == expected


def test_leaky_relu_with_slope_zero_is_a_relu():
    leaky, relu = LeakyReluLayer(0, [[3, -2]], [1]), ReluLayer([[3, -2]], [1])
    for x in [(0, 0), (1, 2), (-1, 0), (1, 1), (F(1, 3), 1)]:
        assert leaky(point(*x)) == relu(point(*x))


def test_linear_layer_has_no_pattern():
    # (x1 + x2 + 1/2, -x1): at (1, 2) that is (7/2, -1).
    layer = LinearLayer([[1, 1], [-1, 0]], ["1/2", 0])
    assert layer(point(1, 2)) == ((F(7, 2), F(-1)), ())
    assert layer.has_pattern is False and layer.kind == "linear"


def test_pieces_are_the_maxout_view_of_each_kind():
    zero = (F(0), F(0))
    assert ReluLayer([[1, 2]], [3]).pieces() == (((zero, F(0)), ((F(1), F(2)), F(3))),)
    # slope 1/4: piece 0 is (1/4) z = (1/4, 1/2) . y + 3/4.
    assert LeakyReluLayer("1/4", [[1, 2]], [3]).pieces() == (
        (((F(1, 4), F(1, 2)), F(3, 4)), ((F(1), F(2)), F(3))),
    )
    assert LinearLayer([[1, 2]], [3]).pieces() == ((((F(1), F(2)), F(3)),),)
    assert MaxoutLayer([[[1, 2], [0, 1]]], [[3, 4]]).pieces() == (
        (((F(1), F(2)), F(3)), ((F(0), F(1)), F(4))),
    )


def test_parameters_are_exact_whatever_their_spelling():
    layer = ReluLayer([["1/3", 0.5, "0.125", 2]], ["-1e-2"])
    assert layer.weights == ((F(1, 3), F(1, 2), F(1, 8), F(2)),)
    assert layer.biases == (F(-1, 100),)
    assert LeakyReluLayer(0.1, [[1]], [0]).slope == F(3602879701896397, 2 ** 55)  # the double 0.1


# ---------------------------------------------------------------- a whole network


def small_network():
    # Layer 1: u0 = max(x1, x2), u1 = max(x1 + x2, -x1 - x2, 1).
    # Layer 2: r = relu(u0 - u1 - 1/2).  Layer 3: (2 r, 3 - r).
    return Network(2, [
        MaxoutLayer([[[1, 0], [0, 1]], [[1, 1], [-1, -1], [0, 0]]], [[0, 0], [0, 0, 1]]),
        ReluLayer([[1, -1]], [F(-1, 2)]),
        LinearLayer([[2], [-1]], [0, 3]),
    ])


@pytest.mark.parametrize("x, output, pattern", [
    # (3, -1): u0 = 3 (piece 0), u1 = max(2, -2, 1) = 2 (piece 0), r = relu(1/2) = 1/2.
    ((3, -1), (F(1), F(5, 2)), ((0, 0), (1,), ())),
    # (0, 0): u0 = 0 (tie, piece 0), u1 = max(0, 0, 1) = 1 (piece 2), r = relu(-3/2) = 0.
    ((0, 0), (F(0), F(3)), ((0, 2), (0,), ())),
    # (-2, 1/2): u0 = 1/2 (piece 1), u1 = max(-3/2, 3/2, 1) = 3/2 (piece 1), r = 0.
    ((-2, F(1, 2)), (F(0), F(3)), ((1, 1), (0,), ())),
    # (2, -1/2): u0 = 2, u1 = max(3/2, -3/2, 1) = 3/2, r = relu(0): piece 0 at the tie.
    ((2, F(-1, 2)), (F(0), F(3)), ((0, 0), (0,), ())),
    # (5, 1): u0 = 5, u1 = 6, r = relu(5 - 6 - 1/2) = 0.
    ((5, 1), (F(0), F(3)), ((0, 0), (0,), ())),
    # (7, -5): u0 = 7, u1 = max(2, -2, 1) = 2, r = relu(9/2) = 9/2: (9, -3/2).
    ((7, -5), (F(9), F(-3, 2)), ((0, 0), (1,), ())),
])
def test_network_evaluation_and_pattern_by_hand(x, output, pattern):
    net = small_network()
    assert net.evaluate(x) == output
    assert net.activation_pattern(x) == pattern


def test_network_inputs_may_be_strings_and_floats():
    # ("3", 0.5 - 1.5) is exactly (3, -1), the first case above.
    net = small_network()
    assert net.evaluate(["3", 0.5 - 1.5]) == (F(1), F(5, 2))
    assert all(type(v) is F for v in net.evaluate([3, -1]))


def test_network_shape_properties():
    net = small_network()
    assert net.widths == (2, 2, 1, 2)
    assert net.output_dim == 2
    assert net.hidden_units == 3  # 2 maxout + 1 relu; the linear layer has no pattern
    assert repr(net) == "Network(input_dim=2, layers=[maxout[2], relu[1], linear[2]])"


def test_network_refuses_an_input_of_the_wrong_length():
    with pytest.raises(PolyregionsError, match="input has 3 coordinates, expected 2"):
        small_network().evaluate([1, 2, 3])


# ---------------------------------------------------------------- immutability


LAYERS = {
    "maxout": lambda: MaxoutLayer([[[1], [-1]]], [[0, 0]]),
    "relu": lambda: ReluLayer([[1]], [0]),
    "leaky_relu": lambda: LeakyReluLayer("1/2", [[1]], [0]),
    "linear": lambda: LinearLayer([[1]], [0]),
}


@pytest.mark.parametrize("kind", LAYERS)
@pytest.mark.parametrize("name", ["weights", "biases", "input_dim", "slope", "something_new"])
def test_layers_cannot_be_changed(kind, name):
    layer = LAYERS[kind]()
    with pytest.raises(AttributeError, match="immutable"):
        setattr(layer, name, 1)
    if hasattr(layer, name):
        with pytest.raises(AttributeError, match="immutable"):
            delattr(layer, name)
    assert layer == LAYERS[kind]()


@pytest.mark.parametrize("name", ["input_dim", "layers", "something_new"])
def test_networks_cannot_be_changed(name):
    net = small_network()
    with pytest.raises(AttributeError, match="Network is immutable"):
        setattr(net, name, 3)
    with pytest.raises(AttributeError):
        delattr(net, name)
    assert net == small_network()


def test_parameters_are_tuples_copied_from_the_input():
    weights, biases = [[1, 2]], [3]
    layer = ReluLayer(weights, biases)
    weights[0][0], biases[0] = 100, 100
    assert layer.weights == ((F(1), F(2)),) and layer.biases == (F(3),)
    assert isinstance(layer.weights, tuple) and isinstance(layer.weights[0], tuple)
    layers = [layer]
    net = Network(2, layers)
    layers.append(LinearLayer([[1]], [0]))
    assert len(net.layers) == 1 and isinstance(net.layers, tuple)


# ---------------------------------------------------------------- equality and hashing


def test_equal_parameters_give_equal_layers_and_networks():
    a = ReluLayer([["1/2", 1]], [0])
    b = ReluLayer([[0.5, F(2, 2)]], ["0"])
    assert a == b and hash(a) == hash(b)
    assert Network(2, [a]) == Network(2, [b])
    assert len({Network(2, [a]), Network(2, [b]), small_network(), small_network()}) == 2


def test_layers_differ_by_kind_slope_and_parameters():
    relu, linear = ReluLayer([[1]], [0]), LinearLayer([[1]], [0])
    assert relu != linear  # the same rows, but not the same function
    assert LeakyReluLayer(0, [[1]], [0]) != relu  # equal as functions, different kinds
    assert LeakyReluLayer("1/2", [[1]], [0]) != LeakyReluLayer("1/3", [[1]], [0])
    assert ReluLayer([[1]], [0]) != ReluLayer([[1]], [1])
    assert MaxoutLayer([[[1], [2]]], [[0, 0]]) != MaxoutLayer([[[2], [1]]], [[0, 0]])
    assert Network(1, [relu]) != Network(1, [relu, relu])
    assert Network(1, [relu]) != relu and relu != "relu"


# ---------------------------------------------------------------- validation


def test_dimensions_must_chain():
    two_in = ReluLayer([[1, 1], [1, -1]], [0, 0])  # 2 inputs, 2 units
    with pytest.raises(ModelFormatError, match=r"layer 0 \(relu\) takes 2 inputs but receives 3"):
        Network(3, [two_in])
    with pytest.raises(ModelFormatError, match=r"layer 1 \(linear\) takes 3 inputs but receives 2"):
        Network(2, [two_in, LinearLayer([[1, 1, 1]], [0])])
    Network(2, [two_in, LinearLayer([[1, 1]], [0])])  # this one chains


@pytest.mark.parametrize("input_dim", [0, -1, True, 1.0, "2", None])
def test_input_dim_must_be_a_positive_integer(input_dim):
    with pytest.raises(ModelFormatError, match="input_dim must be a positive integer"):
        Network(input_dim, [ReluLayer([[1]], [0])])


def test_a_network_needs_layers_that_are_layers():
    with pytest.raises(ModelFormatError, match="no layers"):
        Network(1, [])
    with pytest.raises(ModelFormatError, match="layer 1 is not a Layer"):
        Network(1, [ReluLayer([[1]], [0]), {"type": "relu"}])


@pytest.mark.parametrize("make, words", [
    # ragged weights
    (lambda: ReluLayer([[1, 2], [3]], [0, 0]), "relu layer weights row 1 has 1 entries, expected 2"),
    (lambda: LinearLayer([[1], [2, 3]], [0, 0]), "weights row 1 has 2 entries, expected 1"),
    (lambda: MaxoutLayer([[[1, 2], [3]]], [[0, 0]]), "unit 0 weights row 1 has 1 entries, expected 2"),
    (lambda: MaxoutLayer([[[1, 2]], [[3]]], [[0], [0]]), "unit 1 weights row 0 has 1 entries, expected 2"),
    # wrong bias lengths
    (lambda: ReluLayer([[1, 2]], [0, 0]), "relu layer biases has 2 entries, expected 1"),
    (lambda: LeakyReluLayer(0, [[1], [2]], [0]), "biases has 1 entries, expected 2"),
    (lambda: MaxoutLayer([[[1], [2]]], [[0]]), "unit 0 biases has 1 entries, expected 2"),
    (lambda: MaxoutLayer([[[1]], [[2]]], [[0]]), "2 weight units but 1 bias units"),
    (lambda: ReluLayer([[1]], 0), "biases must be a list of numbers"),
    (lambda: ReluLayer([[1]], [[0]]), "biases entry 0 must be a number or a numeric string"),
    # empty layers
    (lambda: ReluLayer([], []), "relu layer has no units"),
    (lambda: LinearLayer([[]], [0]), "linear layer has zero inputs"),
    (lambda: MaxoutLayer([], []), "maxout layer has no units"),
    (lambda: MaxoutLayer([[]], [[]]), "unit 0 has no pieces"),
    (lambda: MaxoutLayer([[[]]], [[0]]), "maxout layer has zero inputs"),
    # not lists at all; a string is iterable but is not a row of numbers
    (lambda: ReluLayer(5, [0]), "weights must be a list of rows"),
    (lambda: ReluLayer([5], [0]), "weights row 0 must be a list"),
    (lambda: ReluLayer(["12"], [0]), "weights row 0 must be a list"),
    (lambda: ReluLayer([[1], [2]], "00"), "biases must be a list of numbers"),
    (lambda: MaxoutLayer(5, 5), "weights and biases must be lists"),
    # entries that are not exact numbers
    (lambda: ReluLayer([[1, float("nan")]], [0]), "weights row 0 entry 1 must be finite"),
    (lambda: ReluLayer([[1, "1/0"]], [0]), "weights row 0 entry 1 '1/0' divides by zero"),
    (lambda: ReluLayer([[True]], [0]), "must be a number, got True"),
    (lambda: LinearLayer([[1]], ["abc"]), "biases entry 0 'abc' is not a number"),
])
def test_malformed_layers_raise_model_format_error(make, words):
    with pytest.raises(ModelFormatError) as info:
        make()
    assert words in str(info.value)


@pytest.mark.parametrize("slope", [1, "1", -F(1, 100), "3/2", 1.0])
def test_leaky_slope_must_lie_in_zero_one(slope):
    with pytest.raises(ModelFormatError, match="slope must satisfy 0 <= slope < 1"):
        LeakyReluLayer(slope, [[1]], [0])


@pytest.mark.parametrize("slope", [None, "abc", float("inf"), [F(1, 2)]])
def test_leaky_slope_must_be_a_number(slope):
    with pytest.raises(ModelFormatError, match="slope"):
        LeakyReluLayer(slope, [[1]], [0])


@pytest.mark.parametrize("slope, exact", [(0, F(0)), ("99/100", F(99, 100)), (0.25, F(1, 4))])
def test_leaky_slope_at_the_edges_of_the_interval(slope, exact):
    assert LeakyReluLayer(slope, [[1]], [0]).slope == exact


def test_where_names_the_layer_in_messages():
    with pytest.raises(ModelFormatError, match=r"^layer 3 \(relu\) biases has"):
        ReluLayer([[1]], [0, 0], where="layer 3 (relu)")
