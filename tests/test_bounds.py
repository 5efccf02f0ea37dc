"""polyregions.bounds against independent sources.

* brute force: exact region counts of networks on the whole space (the engine,
  itself tested against the oracles in tests/oracles) never exceed a bound, and
  constructed parameters attain the claimed maxima;
* Zaslavsky: n hyperplanes in general position make exactly sum_{j<=d} C(n, j);
* hand arithmetic written in the comments, and other formulas (Serra et al.'s
  Theorem 5, elementary symmetric polynomials summed over subsets).
"""

import itertools
import json
import math
import random
import re
from fractions import Fraction as F

import pytest
import sympy

from polyregions import (
    LeakyReluLayer,
    LinearLayer,
    MaxoutLayer,
    Network,
    ReluLayer,
    WholeSpace,
    count_regions,
)
from polyregions.bounds import (
    BoundsError,
    architecture_max_regions,
    bounds_report,
    c_bias_gaussian,
    c_grad_estimate,
    deep_upper_bound,
    expected_db_growth,
    expected_db_pieces_bound,
    expected_regions_bound,
    expected_regions_growth,
    montufar_lower_bound,
    network_bounds_report,
    network_max_regions,
    one_layer_max_regions,
    report_to_json,
    serra_lower_bound,
    serra_maxout_bound,
    serra_relu_bound,
)
from tests.cli_helpers import run
from tests.networks import random_network, to_network


def circle_point(t):
    """Exact rational point on the unit circle: (cos th, sin th) with t = tan(th/2)."""
    t = F(t)
    return [(1 - t * t) / (1 + t * t), 2 * t / (1 + t * t)]


# The configuration of tests/oracles/test_oracles.py::test_circle_maxout_reaches_bound:
# three rank-3 units whose pieces lie on the unit circle (found by search there, and
# certified there by the Minkowski upper-vertex oracle and by brute force: 19 regions).
CIRCLE_W = [[circle_point(t) for t in unit] for unit in [
    [F(-13, 5), F(4, 5), F(-12, 5)],
    [F(-16, 5), F(9, 5), F(-19, 5)],
    [F(-11, 5), F(-18, 5), F(-16, 5)],
]]
CIRCLE_B = [[F(-3, 2), F(-5, 2), F(3, 2)], [F(-3, 2), F(-3), F(5, 2)], [F(5, 2), F(-3), F(-3, 2)]]


def regions(network):
    return count_regions(network, WholeSpace(network.input_dim))


# ---------------------------------------------------------------- the one-layer maximum


def subsets_formula(n0, ranks):
    """sum_{j<=n0} sum over j-subsets S of prod_{u in S} (k_u - 1): e_j written out."""
    return sum(math.prod(ranks[u] - 1 for u in s)
               for j in range(n0 + 1) for s in itertools.combinations(range(len(ranks)), j))


@pytest.mark.parametrize("n0", [1, 2, 3, 5])
@pytest.mark.parametrize("ranks", [[2], [3, 3, 3], [2, 3, 1], [4, 1, 1, 5], [2] * 6, [1, 1]])
def test_one_layer_formula_is_the_elementary_symmetric_sum(n0, ranks):
    assert one_layer_max_regions(n0, ranks) == subsets_formula(n0, ranks)


@pytest.mark.parametrize("n0, n, K", [(1, 4, 3), (2, 3, 3), (2, 5, 2), (3, 4, 5), (4, 2, 7)])
def test_equal_ranks_give_the_binomial_form(n0, n, K):
    expected = sum(math.comb(n, j) * (K - 1) ** j for j in range(n0 + 1))
    assert one_layer_max_regions(n0, [K] * n) == expected


def test_hand_values_and_exactness_of_big_numbers():
    # 1 + 3*2 + 3*4 = 19; 1 + 4*2 = 9; ranks (2, 3, 1) in the plane: 1 + (1 + 2) + 1*2 = 6.
    assert one_layer_max_regions(2, [3, 3, 3]) == 19
    assert one_layer_max_regions(1, [3] * 4) == 9
    assert one_layer_max_regions(2, [2, 3, 1]) == 6
    # n0 >= n: every pattern is realised, prod k_u = 3^100.
    assert one_layer_max_regions(100, [3] * 100) == 3**100
    big = one_layer_max_regions(50, [10] * 100)
    assert isinstance(big, sympy.Integer)
    assert big == sum(math.comb(100, j) * 9**j for j in range(51))


@pytest.mark.parametrize("seed", range(12))
def test_random_one_layer_networks_never_exceed_the_maximum(seed):
    rng = random.Random(seed)
    dim = rng.choice([1, 2, 2, 3])
    units = rng.randint(1, 4 if dim < 3 else 3)
    kind = rng.choice(["maxout", "maxout", "relu", "leaky_relu"])
    rank = rng.randint(1, 4) if kind == "maxout" else 2
    net = to_network(random_network(seed, dim, [units], [kind], rank=rank,
                                    degenerate=seed % 3 == 0), dim)
    count = regions(net)
    assert count <= one_layer_max_regions(dim, [rank] * units)
    assert count <= network_max_regions(net)[0]


def test_pieces_on_a_circle_attain_19():
    # n0 = 2, three rank-3 units: 1 + C(3,1) 2 + C(3,2) 4 = 19, attained.
    net = Network(2, [MaxoutLayer(CIRCLE_W, CIRCLE_B)])
    assert regions(net) == 19 == one_layer_max_regions(2, [3, 3, 3])
    assert network_max_regions(net) == (19, True)
    # Its first two units alone attain 1 + (2 + 2) + 2*2 = 9 ...
    two = Network(2, [MaxoutLayer(CIRCLE_W[:2], CIRCLE_B[:2])])
    assert regions(two) == 9 == one_layer_max_regions(2, [3, 3])
    # ... and with a generic line (found by search) the mixed ranks (3, 3, 2) attain
    # 1 + (2 + 2 + 1) + (4 + 2 + 2) = 14.
    w, b = [F(-2, 3), F(-3, 2)], F(-3, 2)
    mixed = MaxoutLayer(CIRCLE_W[:2] + [[[0, 0], w]], CIRCLE_B[:2] + [[0, b]])
    assert regions(Network(2, [mixed])) == 14 == one_layer_max_regions(2, [3, 3, 2])


def test_one_dimensional_convex_units_attain_the_maximum():
    # Unit u = max(-x + 2u, 0, x - 2u - 1) breaks at x = 2u and 2u + 1: four units
    # give the 8 distinct breakpoints 0..7, hence 9 regions = 1 + 4 * 2.
    W = [[[-1], [0], [1]] for _ in range(4)]
    B = [[2 * u, 0, -(2 * u + 1)] for u in range(4)]
    assert regions(Network(1, [MaxoutLayer(W, B)])) == 9 == one_layer_max_regions(1, [3] * 4)
    # Mixed ranks 2, 4, 3 on distinct breakpoints: 1 + 1 + 3 + 2 = 7.
    W = [[[0], [1]], [[-1], [0], [1], [2]], [[-1], [0], [1]]]
    B = [[0, -1], [2, 0, -3, -8], [10, 0, -11]]  # breaks at 1 | 2, 3, 5 | 10, 11
    assert regions(Network(1, [MaxoutLayer(W, B)])) == 7 == one_layer_max_regions(1, [2, 4, 3])


# ---------------------------------------------------------------- Zaslavsky


@pytest.mark.parametrize("n", [1, 2, 3, 4, 6])
def test_tangent_lines_of_a_parabola_give_zaslavsky(n):
    # Tangents y = 2 t x - t^2: distinct slopes, and tangents at t1, t2 meet at
    # ((t1 + t2)/2, t1 t2), so no three are concurrent: general position.
    ts = range(n)
    net = Network(2, [ReluLayer([[2 * t, -1] for t in ts], [-t * t for t in ts])])
    expected = sum(math.comb(n, j) for j in range(3))
    assert regions(net) == expected == one_layer_max_regions(2, [2] * n)
    assert serra_relu_bound((2, n)) == expected


@pytest.mark.parametrize("n", [3, 5])
def test_moment_curve_planes_give_zaslavsky_in_3d(n):
    # Planes x1 + t x2 + t^2 x3 + t^3 = 0: any three normals (1, t, t^2) are independent
    # (Vandermonde) and four planes would need a cubic with four roots: general position.
    ts = [t - 2 for t in range(n)]
    net = Network(3, [ReluLayer([[1, t, t * t] for t in ts], [t**3 for t in ts])])
    expected = sum(math.comb(n, j) for j in range(4))  # n = 5: 1 + 5 + 10 + 10 = 26
    assert regions(net) == expected == one_layer_max_regions(3, [2] * n)


@pytest.mark.parametrize("n0", range(1, 6))
@pytest.mark.parametrize("n", range(1, 9))
def test_serra_relu_bound_is_zaslavsky_for_one_layer(n0, n):
    zaslavsky = sum(math.comb(n, j) for j in range(n0 + 1))
    assert serra_relu_bound((n0, n)) == zaslavsky
    assert architecture_max_regions((n0, n), 2, relu=True) == (zaslavsky, True)


# ---------------------------------------------------------------- deep upper bounds


@pytest.mark.parametrize("hidden", [(3, 3), (3, 4, 5), (7, 3, 3, 9), (3,), (10, 10)])
def test_serra_theorem_5_one_input(hidden):
    # Serra et al. Thm 5: n0 = 1, every n_l >= 3: the maximum is prod (n_l + 1).
    expected = math.prod(n + 1 for n in hidden)
    assert serra_relu_bound((1, *hidden)) == expected
    assert architecture_max_regions((1, *hidden), 2, relu=True) == (expected, True)


def test_zigzag_construction_attains_serra_theorem_5():
    # Layer 1: relu(x), relu(x - 1), relu(2 - x). Each layer-2 unit sees
    # h = 3 relu(x) - 3/2 relu(x - 1) + 2 relu(2 - x): slopes -2, 1, -1/2, 3/2 on
    # (-inf, 0), (0, 1), (1, 2), (2, inf), with h(0) = 4, h(1) = 5, h(2) = 9/2. With a bias
    # b in (-5, -9/2), h + b is < 0, > 0, < 0 at 0, 1, 2: four zeros, one per piece. Three
    # biases give 12 distinct zeros, plus 0, 1, 2: 15 breakpoints, 16 = (3 + 1)(3 + 1) regions.
    net = Network(1, [ReluLayer([[1], [1], [-1]], [0, -1, 2]),
                      ReluLayer([[3, F(-3, 2), 2]] * 3, [F(-23, 5), F(-19, 4), F(-49, 10)])])
    assert regions(net) == 16 == serra_relu_bound((1, 3, 3))
    assert network_max_regions(net) == (16, True)


def test_hand_values_of_deep_bounds():
    # d = (2, 2): 19 * 19; the bottleneck n1 = 1 makes layer 2 see a line: 2 * (1 + 4).
    assert deep_upper_bound((2, 3, 3), 3) == 361
    assert deep_upper_bound((2, 1, 4), 2) == 10
    # Per-unit ranks: layer 1 (3, 2) in the plane: 1 + 3 + 2 = 6; layer 2 rank 4: 1 + 3 = 4.
    assert deep_upper_bound((2, 2, 1), [[3, 2], 4]) == 24
    # Serra Thm 8, K = 3: 3 tie hyperplanes per unit: (1 + 9 + 36) (1 + 6 + 15).
    assert serra_maxout_bound((2, 3, 2), 3) == 46 * 22
    # Serra Thm 1, widths (2, 2, 2): j1 = 0: 1 * (1 + 2 + 1); j1 = 1: 2 * (1 + 2); j1 = 2: 1 * 1.
    assert serra_relu_bound((2, 2, 2)) == 4 + 6 + 1
    # K = 2: Thm 8 is the product bound.
    assert serra_maxout_bound((3, 4, 5, 2), 2) == deep_upper_bound((3, 4, 5, 2), 2)


DEEP = [
    (1, [3, 3], ["relu", "relu"], 2),
    (2, [3, 2], ["relu", "relu"], 2),
    (2, [2, 3], ["leaky_relu", "relu"], 2),
    (2, [2, 2], ["maxout", "maxout"], 3),
    (2, [3, 2], ["maxout", "relu"], 2),
    (1, [2, 2, 2], ["maxout", "maxout", "maxout"], 3),
    (3, [2, 3], ["relu", "maxout"], 2),
]


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("dim, widths, kinds, rank", DEEP)
def test_deep_bounds_are_never_below_brute_force(seed, dim, widths, kinds, rank):
    layers = random_network(seed, dim, widths, kinds, rank=rank, outputs=2)
    net = to_network(layers, dim)
    count = regions(net)
    ranks = [rank if kind == "maxout" else 2 for kind in kinds]
    assert count <= network_max_regions(net)[0]
    assert count <= deep_upper_bound((dim, *widths), ranks)
    assert count <= serra_maxout_bound((dim, *widths), max(ranks))
    if all(kind == "relu" for kind in kinds):
        assert count <= serra_relu_bound((dim, *widths))
    if dim == 1 and all(kind == "relu" for kind in kinds):
        assert count <= math.prod(n + 1 for n in widths)


def test_serra_relu_bound_does_not_hold_for_rank_two_maxout():
    # |x| then |y - 1|: breakpoints at x = -1, 0, 1, i.e. 4 regions, but Serra's ReLU
    # bound for widths (1, 1, 1) is j1 = 0: 1 + 1, j1 = 1: 1, i.e. 3. So it is applied
    # to ReLU layers only; the maxout bounds give 2 * 2 = 4 here.
    absolute = MaxoutLayer([[[1], [-1]]], [[0, 0]])
    shifted = MaxoutLayer([[[1], [-1]]], [[-1, 1]])
    net = Network(1, [absolute, shifted])
    assert regions(net) == 4
    assert serra_relu_bound((1, 1, 1)) == 3
    assert network_max_regions(net) == (4, False)


def test_network_bounds_use_linear_bottlenecks_and_ranks():
    # ReLU(3) -> linear(1) -> ReLU(3) on R^2: the second ReLU layer sees a line,
    # so the product is 7 * (1 + 3) = 28; without the bottleneck Serra gives more.
    relu3 = ReluLayer([[1, 0], [0, 1], [1, 1]], [0, 0, -1])
    net = Network(2, [relu3, LinearLayer([[1, 1, 1]], [0]), ReluLayer([[1], [1], [1]], [0, -1, -2])])
    assert network_max_regions(net) == (28, False)
    assert regions(net) <= 28
    # Rank-1 units and linear layers add no region; a leaky ReLU layer has rank 2.
    affine = MaxoutLayer([[[1, 0]], [[0, 1]]], [[0], [1]])
    leaky = LeakyReluLayer("1/2", [[1, 0], [0, 1]], [0, 0])
    assert network_max_regions(Network(2, [affine, leaky])) == (4, True)
    assert network_max_regions(Network(2, [LinearLayer([[1, 1]], [0])])) == (1, True)


# ---------------------------------------------------------------- lower bounds


def test_lower_bounds_by_hand_and_hypotheses():
    # Montufar 2014, widths (2, 7, 7, 6): 3^2 * 3^2 * (1 + 6 + 15) = 1782.
    assert montufar_lower_bound((2, 7, 7, 6)) == 1782
    # Serra Thm 6 (n_l >= 6): 4^2 * 4^2 * 22 = 5632.
    assert serra_lower_bound((2, 7, 7, 6)) == 5632
    assert montufar_lower_bound((2, 1, 4)) is None   # n1 < n0
    assert serra_lower_bound((2, 5, 6)) is None      # n1 < 3 n0
    # n0 = 1, widths >= 3: Thm 6 equals the maximum of Thm 5.
    assert serra_lower_bound((1, 3, 4, 5)) == 4 * 5 * 6 == serra_relu_bound((1, 3, 4, 5))


@pytest.mark.parametrize("n0", [1, 2, 3])
def test_lower_bounds_never_exceed_upper_bounds(n0):
    for hidden in itertools.product(range(1, 10), repeat=2):
        widths = (n0, *hidden)
        upper = serra_relu_bound(widths)
        assert upper <= deep_upper_bound(widths, 2)
        for lower in (montufar_lower_bound(widths), serra_lower_bound(widths)):
            assert lower is None or lower <= upper
        if serra_lower_bound(widths) is not None:
            assert serra_lower_bound(widths) >= montufar_lower_bound(widths)


def test_folding_construction_beats_the_montufar_bound():
    # Layer 1: relu(x), relu(x - 1); layer 2 takes the tent t = y1 - 2 y2 (t = x on
    # [0, 1], 2 - x after) and cuts it at 1/3 and 2/3, each cut crossing the tent twice:
    # breakpoints 0, 1/3, 2/3, 1, 4/3, 5/3, i.e. 7 regions >= 2 * (1 + 2) = 6.
    net = Network(1, [ReluLayer([[1], [1]], [0, -1]),
                      ReluLayer([[1, -2], [1, -2]], [F(-1, 3), F(-2, 3)])])
    assert montufar_lower_bound((1, 2, 2)) == 6
    assert regions(net) == 7
    assert 7 <= serra_relu_bound((1, 2, 2))


# ---------------------------------------------------------------- expected values


def test_growth_numbers_of_the_theory_notes():
    # N = 20, K = 2, n0 = 2: (40)^2 C(4, 4) / 2! = 800; 40^1 C(2, 2) / 1! = 40;
    # without K: 20^2 / 2 = 200 and 20.
    assert expected_regions_growth(2, 2, 20) == 800
    assert expected_db_growth(2, 2, 20) == 40
    assert expected_regions_growth(2, 2, 20, with_rank=False) == 200
    assert expected_db_growth(2, 2, 20, with_rank=False) == 20
    # n0 = 3, K = 3, N = 4: 12^3 C(9, 6) / 3! = 1728 * 84 / 6 = 24192; exact rationals too.
    assert expected_regions_growth(3, 3, 4) == 24192
    assert expected_regions_growth(3, 2, 2) == sympy.Rational(32, 3)


def test_expected_bounds_by_hand():
    # T = 32: 36 * C(4, 4) * (32 * 2 * 20)^2 / 2! = 29491200.
    assert expected_regions_bound(36, 2, 2, 20, 1, 1) == 29491200
    # T = 16: 36 * 16^2 * (2 * 2 * 20)^1 * C(2, 2) / 1! = 737280.
    assert expected_db_pieces_bound(36, 2, 2, 20, 1, 1) == 737280
    # Exact symbolic constants stay exact: C_bias = 1/sqrt(2 pi), C_grad = 1/2.
    c = c_bias_gaussian([1])
    value = expected_regions_bound(1, 1, 2, 3, c, F(1, 2))  # C(2, 2) * 32 c / 2 * 6
    assert sympy.simplify(value - 96 / sympy.sqrt(2 * sympy.pi)) == 0
    # Hypotheses checked here: K >= 2, N >= n0.
    assert expected_regions_bound(1, 2, 1, 20, 1, 1) is None
    assert expected_db_pieces_bound(1, 3, 2, 2, 1, 1) is None


def test_c_bias_gaussian_is_exact():
    # max over std 1/2 and 1 of 1/(sqrt(2 pi) s) = 2 / sqrt(2 pi) = sqrt(2/pi).
    c = c_bias_gaussian(["1/2", 1])
    assert sympy.simplify(c - sympy.sqrt(2 / sympy.pi)) == 0
    assert sympy.simplify(c_bias_gaussian([0.25]) - 4 / sympy.sqrt(2 * sympy.pi)) == 0
    with pytest.raises(BoundsError):
        c_bias_gaussian([1, 0])
    with pytest.raises(BoundsError):
        c_bias_gaussian([])


def test_c_grad_estimate_by_hand():
    # Layer 1: relu(3x + 4y) and relu(-x); a linear layer sums them; layer 3: relu of that.
    # At (1, 1): unit 1 on (grad (3, 4), norm 5), unit 2 off (the zero piece, norm 0),
    # the sum 7 has grad (3, 4), so layer 3 is on with norm 5: mean (5 + 0 + 5) / 3 = 10/3.
    # At (-1, -1): unit 1 off (0), unit 2 on (grad (-1, 0), norm 1), the sum 1 > 0 has
    # grad (-1, 0), layer 3 on with norm 1: mean (0 + 1 + 1) / 3 = 2/3. The maximum is 10/3.
    net = Network(2, [ReluLayer([[3, 4], [-1, 0]], [0, 0]), LinearLayer([[1, 1]], [0]),
                      ReluLayer([[1]], [0])])
    assert c_grad_estimate(net, [[-1, -1]]) == pytest.approx(2 / 3)
    assert c_grad_estimate(net, [[1, 1], [-1, -1]]) == pytest.approx(10 / 3)


# ---------------------------------------------------------------- validation and reports


@pytest.mark.parametrize("widths, ranks", [((0, 3), 2), ((2,), 2), ((2, 0), 2), ((2, 3), 0),
                                           ((2, 3), [[2, 2]]), ((2, 3), [2, 2]), ((2, 3.5), 2)])
def test_invalid_architectures_raise(widths, ranks):
    with pytest.raises(BoundsError):
        deep_upper_bound(widths, ranks)


def test_reports():
    report = bounds_report((2, 3), 3)
    assert report["max_regions"] == 19 and report["max_regions_is_exact"]
    assert report["lower_bounds"]["one_layer_exact"] == 19
    # K = 3, N = 3: 9^2 C(6, 4) / 2 = 1215/2, kept exact.
    assert report["expected_regions_growth"] == sympy.Rational(1215, 2)
    data = report_to_json(report)
    assert data["expected_regions_growth"] == "1215/2"
    assert data["expected_regions_growth_float"] == 607.5
    json.dumps(data)
    from polyregions.data import default_network

    net_report = network_bounds_report(default_network())  # [2, 20, 20] rank 5
    assert net_report["max_regions"] == network_max_regions(default_network())[0]
    assert not net_report["max_regions_is_exact"]


@pytest.mark.parametrize("widths, ranks", [((2, 3), 1), ((2, 3, 3), [1, 3]), ((3, 2), 2)])
def test_no_growth_form_where_the_theorem_does_not_apply(widths, ranks):
    # Rank 1 (a unit is affine: the binomial C(K n0, 2 n0) of the form is 0) and N < n0 are
    # outside the theorem's hypotheses: the report gives no form rather than a meaningless one.
    report = bounds_report(widths, ranks)
    assert report["growth_forms_apply"] is False
    assert all(report[key] is None for key in report if key.startswith("expected"))
    data = report_to_json(report)
    assert data["expected_regions_growth"] is None and data["expected_regions_growth_float"] is None
    assert bounds_report((2, 3), 2)["growth_forms_apply"] is True


# ---------------------------------------------------------------- command line


def bounds_json(argv, capsys):
    status, out, err = run(["bounds", *argv, "--json"], capsys)
    assert (status, err) == (0, "")
    return json.loads(out)


def test_cli_json_keys_and_values(capsys):
    data = bounds_json(["--widths", "2,3", "--rank", "3"], capsys)
    for key in ("max_regions", "max_regions_is_exact", "upper_bounds", "lower_bounds",
                "expected_regions_growth", "expected_db_growth"):
        assert key in data
    assert data["max_regions"] == 19 and data["max_regions_is_exact"] is True
    assert data["upper_bounds"] == {"deep_product": 19, "serra_maxout": 46, "serra_relu": None}
    # The seed paper's demo architecture: n0 = 2, N = 7 + 7 + 6 = 20, K = 2.
    data = bounds_json(["--widths", "2,7,7,6", "--rank", "2"], capsys)
    assert (data["expected_regions_growth"], data["expected_db_growth"]) == (800, 40)
    assert data["expected_regions_growth_without_rank"] == 200
    assert data["expected_db_growth_without_rank"] == 20
    assert data["max_regions_is_exact"] is False
    data = bounds_json(["--widths", "1,3,3", "--relu"], capsys)
    assert (data["max_regions"], data["max_regions_is_exact"]) == (16, True)


def test_cli_table(capsys):
    status, out, err = run(["bounds", "--widths", "2,3", "--rank", "3"], capsys)
    assert status == 0 and err == ""
    assert "19  (exact maximum)" in out and "1215/2" in out
    lines = out.splitlines()
    # The growth forms come under their own heading, after every bound, labelled as forms.
    heading = next(i for i, line in enumerate(lines) if line.startswith("growth forms, not bounds"))
    assert "C unknown" in lines[heading]
    assert all(" upper: " not in line and " lower: " not in line for line in lines[heading:])
    assert re.match(r"  E\[regions\] ~ C x +1215/2  \(~607\.5\)$", lines[heading + 1])
    assert all("growth" not in line for line in lines[:heading])


def test_cli_table_without_growth_forms_for_rank_1(capsys):
    status, out, err = run(["bounds", "--widths", "2,3", "--rank", "1"], capsys)
    assert status == 0 and out.splitlines()[-1].split(None, 2)[2].startswith("none: the theorem")
    assert "E[regions]" not in out and "without K" not in out
    assert bounds_json(["--widths", "2,3", "--rank", "1"], capsys)["growth_forms_apply"] is False


@pytest.mark.parametrize("argv", [
    ["--widths", "2,a"], ["--widths", "0,3"], ["--widths", "2,3", "--rank", "0"],
    ["--widths", ""], ["--widths", "2"], ["--widths", "2,,3"], ["--widths", "2,1.5"],
    ["--widths", "2,3", "--rank", "x"], ["--widths", "2,3", "--rank", "3", "--relu"], [],
])
def test_cli_bad_input_is_one_line_and_exit_2(argv, capsys):
    status, out, err = run(["bounds", *argv], capsys)
    assert status == 2 and out == ""
    assert err.startswith("polyregions: error: ") and err.count("\n") == 1
