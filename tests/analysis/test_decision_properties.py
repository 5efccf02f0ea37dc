"""Property tests: decision boundaries of random small networks with tied output layers.

The output layers are drawn with copies of outputs, convex combinations of two
outputs (they tie with both where those two tie, and win nowhere), shifted
copies and zero outputs, in any order, so classes that only tie, three classes
tied on one hyperplane and copies of lower-index outputs all occur.
"""

from fractions import Fraction

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from polyregions import Box, enumerate_regions
from polyregions.analysis.decision import decision_boundary
from tests.analysis.test_decision import check_against_oracles
from tests.networks import random_network, to_network

# Small integers and fractions, so that outputs cross inside the box.
small = st.one_of(st.integers(-2, 2), st.fractions(min_value=-3, max_value=3, max_denominator=4))
weights_between = st.sampled_from([Fraction(1, 2), Fraction(1, 3), Fraction(3, 4)])


def derived(draw, rows):
    """An output made from the outputs `rows` (pairs ``(weights, bias)``)."""
    kind = draw(st.sampled_from(["mean", "mean", "copy", "shift", "zero"]))
    a, b = draw(st.integers(0, len(rows) - 1)), draw(st.integers(0, len(rows) - 1))
    (wa, ba), (wb, bb) = rows[a], rows[b]
    if kind == "mean" and a != b:
        t = draw(weights_between)
        return [t * u + (1 - t) * v for u, v in zip(wa, wb)], t * ba + (1 - t) * bb
    if kind == "shift":
        return list(wa), ba + draw(st.sampled_from([-1, 1]))
    if kind == "zero":
        return [0] * len(wa), 0
    return list(wa), ba


@st.composite
def tied_heads(draw, fan_in):
    """A linear output layer of 3-5 outputs, one or two of them derived from the others."""
    rows = [(draw(st.lists(small, min_size=fan_in, max_size=fan_in)), draw(small))
            for _ in range(draw(st.integers(2, 3)))]
    for _ in range(draw(st.integers(1, 2))):
        rows.insert(draw(st.integers(0, len(rows))), derived(draw, rows))
    return {"type": "linear", "weights": [w for w, _ in rows], "biases": [b for _, b in rows]}


@st.composite
def classifiers(draw, dim):
    """Layer dicts: 0-2 random hidden layers (degenerate at times) and a tied head."""
    depth = draw(st.integers(0, 2))
    kinds = [draw(st.sampled_from(["relu", "leaky_relu", "maxout"])) for _ in range(depth)]
    widths = [draw(st.integers(1, 3)) for _ in range(depth)]
    layers = random_network(draw(st.integers(0, 10 ** 6)), dim, widths, kinds,
                            rank=draw(st.integers(2, 3)), degenerate=draw(st.booleans()))
    return layers + [draw(tied_heads(widths[-1] if widths else dim))]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_tied_output_layers_match_both_oracles(data):
    dim = data.draw(st.integers(1, 3))
    layers = data.draw(classifiers(dim))
    check_against_oracles(layers, dim, [Fraction(-2)] * dim, [Fraction(1)] * dim,
                          {1: 30, 2: 12, 3: 4}[dim])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_an_output_that_never_wins_changes_nothing(data):
    # Appending a copy of an output, or a convex combination of two, gives a
    # class that is never strictly above all others: the cells of the other
    # classes, hence every piece, stay as they are.
    dim = data.draw(st.integers(1, 3))
    layers = data.draw(classifiers(dim))
    head = layers[-1]
    k = len(head["weights"])
    a, b = data.draw(st.integers(0, k - 1)), data.draw(st.integers(0, k - 1))
    t = data.draw(st.sampled_from([Fraction(1), Fraction(1, 2), Fraction(2, 5)]))
    extra = {"type": "linear",
             "weights": head["weights"] + [[t * u + (1 - t) * v for u, v in
                                            zip(head["weights"][a], head["weights"][b])]],
             "biases": head["biases"] + [t * head["biases"][a] + (1 - t) * head["biases"][b]]}
    box = Box([-2] * dim, [1] * dim)
    before = decision_boundary(enumerate_regions(to_network(layers, dim), box))
    after = decision_boundary(enumerate_regions(to_network(layers[:-1] + [extra], dim), box))
    assert after.region_classes == before.region_classes
    assert [(p.region, p.neighbour, p.classes, set(p.vertices)) for p in after.pieces] == \
        [(p.region, p.neighbour, p.classes, set(p.vertices)) for p in before.pieces]
    assert (after.total_measure, after.maximal_pieces) == (before.total_measure,
                                                            before.maximal_pieces)
