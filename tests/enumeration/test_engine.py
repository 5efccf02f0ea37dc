"""The engine against independent oracles: brute force, Zaslavsky, Minkowski sums,
1-D breakpoints, sampling and exact area sums."""

import random
from fractions import Fraction
from math import comb

import cdd.gmp
import pytest

from polyregions import (
    Box,
    LimitReached,
    PolytopeDomain,
    Slice,
    WholeSpace,
    ball,
    count_regions,
    enumerate_regions,
    iter_regions,
)
from polyregions.enumeration.kernel import EngineOptions
from tests.networks import box_rows, random_network, to_network
from tests.oracles.arrangement import zaslavsky_region_count
from tests.oracles.breakpoints1d import patterns_1d
from tests.oracles.brute_force import realized_patterns
from tests.oracles.euler import polygon_area
from tests.oracles.minkowski import maxout_layer_region_count

# Every test here runs on both kernel backends (tests/conftest.py).
pytestmark = pytest.mark.usefixtures("kernel_backend")

F = Fraction


def relu_layer(weights, biases):
    return {"type": "relu", "weights": weights, "biases": biases}


def patterns(net, domain):
    result = [r.pattern for r in iter_regions(net, domain)]
    assert len(result) == len(set(result)), "a pattern was produced twice"
    return set(result)


# ---------------------------------------------------------------- one ReLU layer


def test_lines_tangent_to_a_parabola_are_in_general_position():
    # Tangents x2 = 2 t x1 - t^2 to the parabola x2 = x1^2: no two parallel, and
    # three meet only if (t3 - t1)(t3 - t2) = 0. So n lines give 1 + n + C(n, 2).
    for n in range(1, 8):
        layer = relu_layer([[2 * t, -1] for t in range(n)], [-(t * t) for t in range(n)])
        net = to_network([layer], 2)
        assert count_regions(net, WholeSpace(2)) == 1 + n + comb(n, 2)


def test_concurrent_and_parallel_lines_by_hand():
    # Three lines through the origin cut the plane into 6 sectors.
    concurrent = to_network([relu_layer([[1, 0], [0, 1], [1, 1]], [0, 0, 0])], 2)
    assert count_regions(concurrent, WholeSpace(2)) == 6
    # Three parallel lines x1 = 0, 1, 2: 4 strips, none bounded.
    parallel = to_network([relu_layer([[1, 0], [1, 0], [1, 0]], [0, -1, -2])], 2)
    result = enumerate_regions(parallel, WholeSpace(2))
    assert len(result) == 4 and result.bounded_count == 0
    # Inside the box [-1/2, 3/2]^2 only the lines x1 = 0 and x1 = 1 cut: 3 pieces.
    assert count_regions(parallel, Box.cube(2, F(-1, 2), F(3, 2))) == 3


def test_bounded_regions_of_three_lines_in_general_position():
    # 7 regions, of which only the triangle is bounded.
    net = to_network([relu_layer([[1, 0], [0, 1], [1, 1]], [0, 0, -1])], 2)
    result = enumerate_regions(net, WholeSpace(2))
    assert (len(result), result.bounded_count) == (7, 1)


@pytest.mark.parametrize("seed", range(12))
@pytest.mark.parametrize("dim", [2, 3])
def test_one_relu_layer_matches_zaslavsky(seed, dim):
    rng = random.Random(seed)
    n = rng.randint(1, 6)
    layers = random_network(seed, dim, [n], ["relu"], degenerate=seed % 2 == 1)
    w, b = layers[0]["weights"], layers[0]["biases"]
    planes = [(tuple(wi), bi) for wi, bi in zip(w, b) if any(wi)]
    expected = zaslavsky_region_count(planes, dim) if planes else 1
    assert count_regions(to_network(layers, dim), WholeSpace(dim)) == expected


# ---------------------------------------------------------------- one maxout layer


@pytest.mark.parametrize("seed", range(16))
def test_one_maxout_layer_matches_minkowski_upper_vertices(seed):
    rng = random.Random(100 + seed)
    dim = rng.choice([1, 2, 3])
    units = rng.randint(1, 3)
    rank = rng.randint(1, 4)
    layers = random_network(seed, dim, [units], ["maxout"], rank=rank, degenerate=seed % 3 == 0)
    expected = maxout_layer_region_count(layers[0]["weights"], layers[0]["biases"])
    assert count_regions(to_network(layers, dim), WholeSpace(dim)) == expected


def test_maxout_layer_reaching_the_one_layer_maximum():
    # n0 = 2, three rank-3 units: at most sum_{j<=2} C(3, j) 2^j = 19 regions.
    # Each unit's pieces are w_k = (cos, sin) of angles k*2pi/3 + phi_u, rounded to
    # rationals, with biases making the lifted points convex: the Minkowski oracle
    # decides the exact count independently.
    weights = [
        [[F(1), F(0)], [F(-1, 2), F(7, 8)], [F(-1, 2), F(-7, 8)]],
        [[F(3, 5), F(4, 5)], [F(-1), F(1, 5)], [F(2, 5), F(-1)]],
        [[F(0), F(1)], [F(-7, 8), F(-1, 2)], [F(7, 8), F(-1, 2)]],
    ]
    biases = [[F(0), F(1, 3), F(-1, 5)], [F(1, 7), F(-1, 4), F(0)], [F(-1, 6), F(1, 9), F(1, 2)]]
    net = to_network([{"type": "maxout", "weights": weights, "biases": biases}], 2)
    count = count_regions(net, WholeSpace(2))
    assert count == maxout_layer_region_count(weights, biases)
    assert count <= 19


# ---------------------------------------------------------------- deep networks


DEEP_CASES = [
    (2, [4, 3], ["relu", "relu"]),
    (2, [3, 3], ["leaky_relu", "relu"]),
    (2, [3, 2], ["maxout", "maxout"]),
    (2, [2, 3, 2], ["relu", "maxout", "relu"]),
    (3, [3, 3], ["relu", "relu"]),
    (3, [2, 2], ["maxout", "leaky_relu"]),
]


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("dim, widths, kinds", DEEP_CASES)
def test_deep_networks_match_brute_force_on_a_box(seed, dim, widths, kinds):
    layers = random_network(seed, dim, widths, kinds, rank=3, degenerate=seed >= 3, outputs=2)
    lower, upper = [F(-2)] * dim, [F(3, 2)] * dim
    expected = realized_patterns(layers, dim, box_rows(lower, upper))
    assert patterns(to_network(layers, dim), Box(lower, upper)) == expected


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("dim, widths, kinds", DEEP_CASES[:4])
def test_deep_networks_match_brute_force_on_the_whole_space(seed, dim, widths, kinds):
    layers = random_network(seed, dim, widths, kinds, rank=2, degenerate=seed >= 2)
    expected = realized_patterns(layers, dim, None)
    assert patterns(to_network(layers, dim), WholeSpace(dim)) == expected


@pytest.mark.parametrize("seed", range(10))
def test_one_dimensional_networks_match_breakpoint_enumeration(seed):
    rng = random.Random(seed)
    depth = rng.randint(1, 3)
    kinds = [rng.choice(["relu", "leaky_relu", "maxout"]) for _ in range(depth)]
    widths = [rng.randint(1, 4) for _ in range(depth)]
    layers = random_network(seed, 1, widths, kinds, rank=3, degenerate=seed % 2 == 0)
    expected = patterns_1d(layers, F(-3), F(3))
    found = [r for r in iter_regions(to_network(layers, 1), Box([-3], [3]))]
    # Sort the intervals by their left end and compare the sequences of patterns.
    found.sort(key=lambda r: min(v[0] for v in r.polytope.vertices))
    assert [r.pattern for r in found] == expected


# ---------------------------------------------------------------- degenerate cases


def test_duplicate_units_identical_pieces_and_zero_rows():
    # Two copies of x1 = 0, the same line scaled by 3, and a zero-weight unit:
    # still only the two half-planes.
    net = to_network([relu_layer([[1, 0], [1, 0], [3, 0], [0, 0]], [0, 0, 0, 1])], 2)
    result = enumerate_regions(net, WholeSpace(2))
    assert {r.pattern for r in result} == {((0, 0, 0, 1),), ((1, 1, 1, 1),)}
    # A maxout unit max(x, x, y): piece 1 equals piece 0, so it never wins.
    unit = {"type": "maxout", "weights": [[[1, 0], [1, 0], [0, 1]]], "biases": [[0, 0, 0]]}
    assert patterns(to_network([unit], 2), WholeSpace(2)) == {((0,),), ((2,),)}


def test_a_piece_that_only_touches_the_maximum_makes_no_region():
    # max(x1, 0, -x1): the zero piece is the maximum only on the line x1 = 0.
    unit = {"type": "maxout", "weights": [[[1, 0], [0, 0], [-1, 0]]], "biases": [[0, 0, 0]]}
    assert patterns(to_network([unit], 2), Box.cube(2, -1, 1)) == {((0,),), ((2,),)}
    # max(x1, x2, (x1 + x2)/2 + 0): the mean of two pieces never wins strictly.
    mean = {"type": "maxout", "weights": [[[1, 0], [F(1, 2), F(1, 2)], [0, 1]]],
            "biases": [[0, 0, 0]]}
    assert patterns(to_network([mean], 2), WholeSpace(2)) == {((0,),), ((2,),)}


def test_a_deep_unit_that_never_switches_adds_no_region():
    # relu(x1), relu(x2) in [-1, 1]^2 then a unit relu(y1 + y2 + 1) > 0 always: 4 regions.
    net = to_network([relu_layer([[1, 0], [0, 1]], [0, 0]), relu_layer([[1, 1]], [1])], 2)
    assert patterns(net, Box.cube(2, -1, 1)) == {
        ((a, b), (1,)) for a in (0, 1) for b in (0, 1)
    }
    # relu(relu(x)): the second unit ties 0 = 0 where the first is off.
    deep = to_network([relu_layer([[1]], [0]), relu_layer([[1]], [0])], 1)
    assert patterns(deep, Box([-1], [1])) == {((0,), (0,)), ((1,), (1,))}


def test_huge_and_tiny_numbers_stay_exact():
    # Lines x1 = 10^-40 and x1 = 2 * 10^-40 with weights 10^40: three strips, the
    # middle one 10^-40 wide, which any float tolerance would lose.
    big, tiny = 10 ** 40, F(1, 10 ** 40)
    net = to_network([relu_layer([[big, 0], [big, 0]], [-1, -2])], 2)
    result = enumerate_regions(net, Box.cube(2, -1, 1))
    assert len(result) == 3
    widths = sorted(max(v[0] for v in r.polytope.vertices) - min(v[0] for v in r.polytope.vertices)
                    for r in result)
    assert widths[0] == tiny


# ---------------------------------------------------------------- invariants


@pytest.mark.parametrize("seed", range(6))
def test_region_areas_sum_to_the_domain_area(seed):
    layers = random_network(seed, 2, [5, 4], ["maxout", "relu"], rank=3, degenerate=seed % 2 == 1)
    result = enumerate_regions(to_network(layers, 2), Box([-2, -1], [3, 2]))
    assert sum(polygon_area(r.polytope.vertices) for r in result) == 5 * 3


@pytest.mark.parametrize("seed", range(6))
def test_random_points_lie_in_exactly_the_region_of_their_pattern(seed):
    rng = random.Random(seed)
    dim = 2 + seed % 2
    layers = random_network(seed, dim, [4, 3], ["relu", "maxout"], rank=3, degenerate=seed >= 3)
    net = to_network(layers, dim)
    result = enumerate_regions(net, Box.cube(dim, -2, 2))
    for region in result:  # every interior point has its region's pattern
        point = region.interior_point()
        assert region.polytope.contains_in_interior(point)
        assert net.activation_pattern(point) == region.pattern
    for _ in range(60):
        point = [F(rng.randint(-2000, 2000), 1000) + F(1, 7919) for _ in range(dim)]
        inside = [r for r in result if r.polytope.contains_in_interior(point)]
        on_boundary = [r for r in result if r.polytope.contains(point)]
        assert len(on_boundary) >= 1
        if inside:
            assert len(inside) == 1 and len(on_boundary) == 1
            assert inside[0].pattern == net.activation_pattern(point)
            assert result.region_at(point) is inside[0]


@pytest.mark.parametrize("seed", range(5))
def test_regions_are_irredundant_and_full_dimensional(seed):
    dim = 2 + seed % 2
    layers = random_network(seed, dim, [3, 3], ["maxout", "relu"], rank=3, degenerate=True)
    for region in iter_regions(to_network(layers, dim), Box.cube(dim, -2, 2)):
        rows = [list(r) for r in region.polytope.rows]
        matrix = cdd.gmp.matrix_from_array(rows, rep_type=cdd.gmp.RepType.INEQUALITY)
        assert cdd.gmp.redundant_rows(matrix) == set()  # cddlib's own LP check
        assert len(rows) >= dim + 1


@pytest.mark.parametrize("seed", range(4))
def test_permuting_units_permutes_patterns(seed):
    layers = random_network(seed, 2, [4, 3], ["relu", "maxout"], rank=3)
    perm = [2, 0, 3, 1]
    first, second = layers[0], layers[1]
    permuted_first = {**first, "weights": [first["weights"][i] for i in perm],
                      "biases": [first["biases"][i] for i in perm]}
    permuted_second = {**second, "weights": [[[w[i] for i in perm] for w in unit]
                                             for unit in second["weights"]]}
    original = patterns(to_network(layers, 2), Box.cube(2, -2, 2))
    permuted = patterns(to_network([permuted_first, permuted_second], 2), Box.cube(2, -2, 2))
    assert permuted == {(tuple(p[0][i] for i in perm), p[1]) for p in original}


@pytest.mark.parametrize("seed", range(4))
def test_scaling_a_units_pieces_keeps_the_regions(seed):
    # Scaling unit 1's pieces by c > 0 and its outgoing weights by 1/c is the same function.
    layers = random_network(seed, 2, [3, 3], ["maxout", "relu"], rank=3)
    c = F(7, 3)
    scaled = [dict(layers[0]), dict(layers[1])]
    scaled[0]["weights"] = [u if i != 1 else [[c * v for v in w] for w in u]
                            for i, u in enumerate(layers[0]["weights"])]
    scaled[0]["biases"] = [u if i != 1 else [c * v for v in u]
                           for i, u in enumerate(layers[0]["biases"])]
    scaled[1]["weights"] = [[v / c if i == 1 else v for i, v in enumerate(w)]
                            for w in layers[1]["weights"]]
    domain = Box.cube(2, -2, 2)
    assert patterns(to_network(scaled, 2), domain) == patterns(to_network(layers, 2), domain)


@pytest.mark.parametrize("seed", range(4))
def test_translating_the_domain_with_the_first_biases(seed):
    # x -> x + t with b' = b - W t describes the same network in shifted coordinates.
    layers = random_network(seed, 2, [4, 3], ["relu", "maxout"], rank=2)
    t = [F(5, 2), F(-3)]
    first = layers[0]
    shifted = {**first, "biases": [b - sum(w_i * t_i for w_i, t_i in zip(w, t))
                                   for w, b in zip(first["weights"], first["biases"])]}
    original = enumerate_regions(to_network(layers, 2), Box([-1, -2], [2, 1]))
    moved = enumerate_regions(to_network([shifted] + layers[1:], 2),
                              Box([-1 + t[0], -2 + t[1]], [2 + t[0], 1 + t[1]]))
    assert {r.pattern for r in moved} == {r.pattern for r in original}
    areas = sorted(polygon_area(r.polytope.vertices) for r in original)
    assert sorted(polygon_area(r.polytope.vertices) for r in moved) == areas


# ---------------------------------------------------------------- other domains


def test_slice_equals_the_composed_two_dimensional_network():
    # The slice through P1, P2, P3 of R^3 is x = P1 + s d1 + t d2; composing the
    # first layer with that map by hand gives a 2-D network with the same regions.
    layers = random_network(3, 3, [4, 3], ["relu", "maxout"], rank=3, outputs=2)
    p1, p2, p3 = [F(1, 2), 0, 1], [2, 1, F(-1, 3)], [0, F(3, 2), 1]
    d1 = [a - b for a, b in zip(p2, p1)]
    d2 = [a - b for a, b in zip(p3, p1)]
    first = layers[0]
    composed = {**first,
                "weights": [[sum(wi * di for wi, di in zip(w, d1)), sum(wi * di for wi, di in zip(w, d2))]
                            for w in first["weights"]],
                "biases": [b + sum(wi * pi for wi, pi in zip(w, p1))
                           for w, b in zip(first["weights"], first["biases"])]}
    expected = realized_patterns([composed] + layers[1:], 2, box_rows([-1, -1], [2, 2]))
    found = patterns(to_network(layers, 3), Slice(p1, p2, p3, [-1, -1], [2, 2]))
    assert found == expected


def test_polytope_and_ball_domains_match_brute_force():
    layers = random_network(5, 2, [4, 2], ["relu", "relu"])
    net = to_network(layers, 2)
    triangle = [(F(0), (F(1), F(0))), (F(0), (F(0), F(1))), (F(2), (F(-1), F(-1)))]
    assert patterns(net, PolytopeDomain([[b, *a] for b, a in triangle])) == \
        realized_patterns(layers, 2, triangle)
    # The L1 ball |x1 - 1/2| + |x2| <= 1 is four inequalities.
    diamond = [(1 + s1 * F(1, 2), (-s1, -s2)) for s1 in (1, -1) for s2 in (1, -1)]
    assert patterns(net, ball([F(1, 2), 0], 1, norm="1")) == realized_patterns(layers, 2, diamond)


def test_limits_mark_partial_results():
    net = to_network([relu_layer([[2 * t, -1] for t in range(5)], [-(t * t) for t in range(5)])], 2)
    partial = enumerate_regions(net, WholeSpace(2), max_regions=4)
    assert len(partial) == 4 and not partial.complete
    exact = enumerate_regions(net, WholeSpace(2), max_regions=16)  # 1 + 5 + 10 = 16
    assert len(exact) == 16 and exact.complete
    with pytest.raises(LimitReached):
        count_regions(net, WholeSpace(2), max_regions=3)


# ---------------------------------------------------------------- fast paths vs general path


def region_set(net, domain, options=None):
    return {(r.pattern, frozenset(r.polytope.rows)) for r in iter_regions(net, domain, options=options)}


PATHS = {  # engine options: polygon clipper, incidence cutting, float filter
    "general": EngineOptions(polygon_path=False, incidence_path=False, float_filter=False),
    "incidence": EngineOptions(polygon_path=False, incidence_path=True, float_filter=True),
    "exact screening": EngineOptions(float_filter=False),
}


@pytest.mark.parametrize("path", sorted(PATHS))
@pytest.mark.parametrize("seed", range(6))
def test_fast_paths_agree_with_the_general_path(seed, path):
    # The default fast paths (2-D polygon clipper or incidence cutting, float
    # filter) against each other and against double description with exact
    # screening only: the same patterns and the same facets, region by region.
    dim = 2 + seed % 2
    kinds = [["maxout", "maxout"], ["relu", "leaky_relu"], ["maxout", "relu"]][seed % 3]
    layers = random_network(seed, dim, [5, 4], kinds, rank=3, degenerate=seed % 2 == 1, outputs=2)
    net = to_network(layers, dim)
    domain = Box([-2, -1, -1][:dim], [3, 2, 1][:dim])
    fast = region_set(net, domain)
    assert region_set(net, domain, PATHS[path]) == fast


def test_float_weights_are_taken_exactly_on_both_paths():
    # Gaussian float weights give integers of hundreds of bits after two layers.
    import numpy as np

    from polyregions import network_from_arrays

    rng = np.random.default_rng(3)
    net = network_from_arrays(2, [("maxout", rng.normal(size=(6, 3, 2)), rng.normal(size=(6, 3))),
                                  ("maxout", rng.normal(size=(5, 3, 6)), rng.normal(size=(5, 3)))])
    domain = Box.cube(2, -3, 3)
    fast = region_set(net, domain)
    for options in PATHS.values():
        assert region_set(net, domain, options) == fast


def test_affine_map_is_the_network_on_the_region():
    layers = random_network(2, 2, [4, 3], ["relu", "maxout"], rank=3, outputs=2)
    net = to_network(layers, 2)
    for region in iter_regions(net, Box.cube(2, -2, 2)):
        (a, c) = region.affine_map
        x = region.interior_point()
        assert net.evaluate(x) == tuple(sum(ai * xi for ai, xi in zip(row, x)) + ci
                                        for row, ci in zip(a, c))
        # ... and at every vertex, by continuity of the network.
        for v in region.polytope.vertices:
            assert net.evaluate(v) == tuple(sum(ai * vi for ai, vi in zip(row, v)) + ci
                                            for row, ci in zip(a, c))


def test_an_interruption_keeps_the_regions_found():
    # Ctrl-C after the third region: with stop_on_interrupt the three are returned,
    # marked partial; without it the interruption propagates.
    net = to_network([relu_layer([[2 * t, -1] for t in range(5)], [-(t * t) for t in range(5)])], 2)

    def interrupt_at_three(n):
        if n == 3:
            raise KeyboardInterrupt

    result = enumerate_regions(net, WholeSpace(2), progress=interrupt_at_three,
                               stop_on_interrupt=True)
    assert (len(result), result.complete, result.stop_reason) == (3, False, "interrupt")
    with pytest.raises(KeyboardInterrupt):
        enumerate_regions(net, WholeSpace(2), progress=interrupt_at_three)
    limited = enumerate_regions(net, WholeSpace(2), max_regions=5)
    assert limited.stop_reason == "max_regions"
