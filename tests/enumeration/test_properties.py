"""Property-based tests: random small networks with degenerate and extreme rational parameters."""

from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from polyregions import Box, WholeSpace, enumerate_regions
from tests.networks import box_rows, to_network
from tests.oracles.brute_force import realized_patterns

# Every test here runs on both kernel backends (tests/conftest.py).
pytestmark = pytest.mark.usefixtures("kernel_backend")

# Small integers and fractions, with huge and tiny magnitudes mixed in.
numbers = st.one_of(
    st.integers(-3, 3),
    st.fractions(min_value=-3, max_value=3, max_denominator=5),
    st.sampled_from([10 ** 40, -(10 ** 40), Fraction(1, 10 ** 40), Fraction(-1, 10 ** 40)]),
)


@st.composite
def networks(draw, dim):
    """Layer dicts of 1-2 hidden layers, rows repeated or zeroed at random."""
    layers, fan_in = [], dim
    for _ in range(draw(st.integers(1, 2))):
        kind = draw(st.sampled_from(["relu", "leaky_relu", "maxout"]))
        units = draw(st.integers(1, 3))
        rank = draw(st.integers(1, 3)) if kind == "maxout" else 2

        def row():
            return draw(st.one_of(
                st.lists(numbers, min_size=fan_in, max_size=fan_in),
                st.just([0] * fan_in),
            ))

        if kind == "maxout":
            weights = [[row() for _ in range(rank)] for _ in range(units)]
            biases = [[draw(numbers) for _ in range(rank)] for _ in range(units)]
            if units > 1 and draw(st.booleans()):  # a duplicate unit
                weights[-1], biases[-1] = weights[0], biases[0]
            if rank > 1 and draw(st.booleans()):  # identical pieces
                weights[0][-1], biases[0][-1] = weights[0][0], biases[0][0]
            layer = {"type": "maxout", "weights": weights, "biases": biases}
        else:
            weights = [row() for _ in range(units)]
            biases = [draw(numbers) for _ in range(units)]
            if units > 1 and draw(st.booleans()):
                weights[-1], biases[-1] = weights[0], biases[0]
            layer = {"type": kind, "weights": weights, "biases": biases}
            if kind == "leaky_relu":
                layer["slope"] = draw(st.sampled_from([0, Fraction(1, 10), Fraction(1, 2)]))
        layers.append(layer)
        fan_in = units
    return layers


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_engine_matches_brute_force_on_random_networks(data):
    dim = data.draw(st.integers(1, 3))
    layers = data.draw(networks(dim))
    lower, upper = [Fraction(-2)] * dim, [Fraction(1)] * dim
    result = enumerate_regions(to_network(layers, dim), Box(lower, upper))
    found = [r.pattern for r in result]
    assert len(found) == len(set(found))
    assert set(found) == realized_patterns(layers, dim, box_rows(lower, upper))
    # Volumes tile the box exactly: 3^dim.
    assert sum(r.polytope.volume() for r in result) == 3 ** dim


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_engine_matches_brute_force_on_the_whole_space(data):
    dim = data.draw(st.integers(1, 2))
    layers = data.draw(networks(dim))
    found = {r.pattern for r in enumerate_regions(to_network(layers, dim), WholeSpace(dim))}
    assert found == realized_patterns(layers, dim, None)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_certificates_of_random_networks_verify_and_tampering_fails(data):
    from polyregions.certify.certificate import certificate_dict
    from polyregions.certify.verifier import verify_certificate

    dim = data.draw(st.integers(1, 2))
    layers = data.draw(networks(dim))
    result = enumerate_regions(to_network(layers, dim), Box([Fraction(-2)] * dim, [Fraction(1)] * dim))
    certificate = certificate_dict(result)
    assert verify_certificate(certificate).ok
    if len(certificate["regions"]) > 1:  # dropping a region must be caught
        certificate["regions"] = certificate["regions"][1:]
        certificate["count"] -= 1
        assert not verify_certificate(certificate).ok
