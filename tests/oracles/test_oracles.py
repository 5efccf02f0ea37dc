"""Tests of the reference oracles themselves (hand-computed facts and cross-checks).

Every count asserted below is derived by hand in the comments, or is a
cross-check between two oracles that use different methods:

* brute force (pattern enumeration + exact LP) vs Zaslavsky (rank computations),
* brute force vs Minkowski upper vertices (one LP per Minkowski-sum point),
* brute force vs exact 1-D breakpoint enumeration (no LP at all).
"""

import random
from fractions import Fraction as F
from math import comb

import pytest

from tests.oracles import arrangement, breakpoints1d, brute_force, minkowski

# ---------------------------------------------------------------------------
# helpers


def relu(W, B):
    return {"type": "relu", "weights": W, "biases": B}


def leaky(a, W, B):
    return {"type": "leaky_relu", "slope": F(a), "weights": W, "biases": B}


def maxout(W, B):
    return {"type": "maxout", "weights": W, "biases": B}


def linear(W, B):
    return {"type": "linear", "weights": W, "biases": B}


def box(dim, radius):
    """Rows of the cube [-radius, radius]^dim as (b, a) with b + a.x >= 0."""
    rows = []
    for i in range(dim):
        e = tuple(F(int(i == j)) for j in range(dim))
        rows.append((F(radius), e))
        rows.append((F(radius), tuple(-v for v in e)))
    return rows


def interval(lo, hi):
    return [(F(-lo), (F(1),)), (F(hi), (F(-1),))]


def relu_hyperplanes(W, B):
    """The arrangement of a single ReLU layer: non-zero rows only, as (a, b)."""
    return [(w, b) for w, b in zip(W, B) if any(v != 0 for v in w)]


def circle_point(t):
    """Exact rational point on the unit circle: (cos th, sin th) with t = tan(th/2)."""
    t = F(t)
    return [(1 - t * t) / (1 + t * t), 2 * t / (1 + t * t)]


def rand_frac(r, num=3, den=3):
    return F(r.randint(-num, num), r.randint(1, den))


# ---------------------------------------------------------------------------
# arrangements of lines in R^2: Zaslavsky vs brute force


def test_three_lines_general_position():
    # Lines x = 0, y = 0, x + y = 1.  Whitney: chi(t) = t^2 - 3t + 3
    # (3 single lines, 3 pairwise intersection points, the triple is empty),
    # so r = chi(-1) = 1 + 3 + 3 = 7 = C(3,0) + C(3,1) + C(3,2).
    W, B = [[1, 0], [0, 1], [1, 1]], [0, 0, -1]
    hyper = relu_hyperplanes(W, B)
    assert arrangement.characteristic_polynomial(hyper, 2) == [3, -3, 1]
    assert arrangement.zaslavsky_region_count(hyper, 2) == 7
    assert arrangement.general_position_count(3, 2) == 7
    net = [relu(W, B)]
    assert brute_force.count_regions_brute_force(net, 2, None) == 7
    # The vertices (0,0), (1,0), (0,1) lie inside [-10, 10]^2, so the box
    # meets every region: still 7.  As sign vectors (x>0, y>0, x+y>1) every
    # one is realised except (0,0,1): x < 0 and y < 0 force x + y < 1.
    pats = brute_force.realized_patterns(net, 2, box(2, 10))
    assert pats == {((a, b, c),) for a in (0, 1) for b in (0, 1) for c in (0, 1)} - {((0, 0, 1),)}


def test_three_concurrent_lines():
    # x = 0, y = 0, x = y, all through the origin.  chi(t) = t^2 - 3t + 2
    # (pairs: 3 times +1 at the origin; the triple, also the origin, -1),
    # r = 1 + 3 + 2 = 6.  Sign vectors (x>0, y>0, x>y): (1,0,0) needs
    # x > 0 > y but x < y, impossible; (0,1,1) needs x < 0 < y but x > y.
    W, B = [[1, 0], [0, 1], [1, -1]], [0, 0, 0]
    hyper = relu_hyperplanes(W, B)
    assert arrangement.characteristic_polynomial(hyper, 2) == [2, -3, 1]
    assert arrangement.zaslavsky_region_count(hyper, 2) == 6
    net = [relu(W, B)]
    expected = {((a, b, c),) for a in (0, 1) for b in (0, 1) for c in (0, 1)} - {((1, 0, 0),), ((0, 1, 1),)}
    assert brute_force.realized_patterns(net, 2, None) == expected
    assert brute_force.realized_patterns(net, 2, box(2, 1)) == expected


def test_three_parallel_lines():
    # x = 0, x = 1, x = 2 in R^2: no two meet, chi(t) = t^2 - 3t, r = 4.
    # relu(x - c) is active iff x > c: patterns 000, 100, 110, 111.
    W, B = [[1, 0], [1, 0], [1, 0]], [0, -1, -2]
    hyper = relu_hyperplanes(W, B)
    assert arrangement.characteristic_polynomial(hyper, 2) == [0, -3, 1]
    assert arrangement.zaslavsky_region_count(hyper, 2) == 4
    expected = {((0, 0, 0),), ((1, 0, 0),), ((1, 1, 0),), ((1, 1, 1),)}
    assert brute_force.realized_patterns([relu(W, B)], 2, None) == expected
    assert brute_force.realized_patterns([relu(W, B)], 2, box(2, 5)) == expected
    # Same in 1-D by breakpoints: breakpoints 0, 1, 2.
    W1 = [[1], [1], [1]]
    regs = breakpoints1d.regions_1d([relu(W1, B)], -5, 5)
    assert [(lo, hi) for lo, hi, _ in regs] == [(-5, 0), (0, 1), (1, 2), (2, 5)]
    assert [p[0] for _, _, p in regs] == [(0, 0, 0), (1, 0, 0), (1, 1, 0), (1, 1, 1)]


def test_repeated_line_counts_once():
    # x = 0 twice (2x = 0 is the same line) and y = 0.  Whitney over the
    # multiset: chi(t) = t^2 - 3t + [{H1,H1'}: +t] + [{H1,H2},{H1',H2}: +2]
    # + [triple, rank 2: -1] = t^2 - 2t + 1, the same as two lines: r = 4.
    W, B = [[1, 0], [2, 0], [0, 1]], [0, 0, 0]
    hyper = relu_hyperplanes(W, B)
    assert arrangement.characteristic_polynomial(hyper, 2) == [1, -2, 1]
    assert arrangement.zaslavsky_region_count(hyper, 2) == 4
    expected = {((0, 0, 0),), ((0, 0, 1),), ((1, 1, 0),), ((1, 1, 1),)}
    assert brute_force.realized_patterns([relu(W, B)], 2, None) == expected
    # Opposite orientation of the same line: relu(x), relu(-x) -> 2 regions.
    assert brute_force.realized_patterns([relu([[1, 0], [-1, 0]], [0, 0])], 2, None) == {((1, 0),), ((0, 1),)}
    # A line repeated 5 times is still 2 regions.
    assert arrangement.zaslavsky_region_count([((1, 1), 3)] * 5, 2) == 2


def test_zero_weight_units():
    # relu(0.x + 1) = 1 > 0 everywhere: one region, piece 1.
    assert brute_force.realized_patterns([relu([[0, 0]], [1])], 2, None) == {((1,),)}
    # relu(0.x - 1): piece 0 everywhere.
    assert brute_force.realized_patterns([relu([[0, 0]], [-1])], 2, None) == {((0,),)}
    # relu(0.x + 0): both pieces are the zero function; the lower index wins.
    assert brute_force.realized_patterns([relu([[0, 0]], [0])], 2, None) == {((0,),)}
    assert brute_force.realized_patterns([leaky(F(1, 3), [[0, 0]], [0])], 2, None) == {((0,),)}
    # A zero unit next to the line x = 0 does not add regions: 2.
    net = [relu([[1, 0], [0, 0], [0, 0]], [0, 1, 0])]
    assert brute_force.realized_patterns(net, 2, None) == {((0, 1, 0),), ((1, 1, 0),)}
    assert arrangement.zaslavsky_region_count(relu_hyperplanes([[1, 0], [0, 0], [0, 0]], [0, 1, 0]), 2) == 2
    with pytest.raises(ValueError):
        arrangement.zaslavsky_region_count([((0, 0), 1)], 2)


def test_identical_maxout_pieces():
    # max(x, x, y): pieces 0 and 1 are identical, so piece 1 never wins:
    # regions {x > y} -> 0 and {y > x} -> 2.
    W, B = [[[1, 0], [1, 0], [0, 1]]], [[0, 0, 0]]
    assert brute_force.realized_patterns([maxout(W, B)], 2, None) == {((0,),), ((2,),)}
    assert minkowski.maxout_layer_region_count(W, B) == 2
    # A rank-1 maxout unit is affine: one region.
    assert brute_force.realized_patterns([maxout([[[1, 2]]], [[3]])], 2, None) == {((0,),)}
    assert minkowski.maxout_layer_region_count([[[1, 2]]], [[3]]) == 1


def test_domain_rows():
    # Lines x = 0, y = 0, x + y = 1 restricted to the half-plane x >= 2
    # (row (-2, (1, 0))).  There x > 0 always; y = 0 and x + y = 1 meet at
    # (1, 0), outside, so 3 regions: y > 0 (then x + y > 1): (1,1,1);
    # y < 0 < x + y - 1: (1,0,1); x + y < 1 (so y < -1): (1,0,0).
    W, B = [[1, 0], [0, 1], [1, 1]], [0, 0, -1]
    dom = [(F(-2), (F(1), F(0)))]
    assert brute_force.realized_patterns([relu(W, B)], 2, dom) == {((1, 1, 1),), ((1, 0, 1),), ((1, 0, 0),)}
    # A lower-dimensional domain (the line x = 0) has no full-dimensional region.
    flat = [(F(0), (F(1), F(0))), (F(0), (F(-1), F(0)))]
    assert brute_force.realized_patterns([relu(W, B)], 2, flat) == set()
    # The trivial row 0 + 0.x >= 0 is the whole space; -1 + 0.x >= 0 is empty.
    assert brute_force.count_regions_brute_force([relu(W, B)], 2, [(F(0), (F(0), F(0)))]) == 7
    assert brute_force.count_regions_brute_force([relu(W, B)], 2, [(F(-1), (F(0), F(0)))]) == 0


# ---------------------------------------------------------------------------
# deeper networks by hand


def test_two_layer_relu_in_the_plane():
    # Layer 1: h = (relu(x), relu(y)); layer 2: relu(h1 + h2 - 1).
    # Quadrant (0,0): h = 0, pre-activation -1: only piece 0        -> 1
    # (1,0): x - 1 changes sign at x = 1 inside x > 0, y < 0       -> 2
    # (0,1): y - 1 likewise                                         -> 2
    # (1,1): x + y - 1 crosses the open quadrant                    -> 2
    # Total 7.
    net = [relu([[1, 0], [0, 1]], [0, 0]), relu([[1, 1]], [-1])]
    expected = {
        ((0, 0), (0,)),
        ((1, 0), (0,)),
        ((1, 0), (1,)),
        ((0, 1), (0,)),
        ((0, 1), (1,)),
        ((1, 1), (0,)),
        ((1, 1), (1,)),
    }
    assert brute_force.realized_patterns(net, 2, None) == expected
    assert brute_force.realized_patterns(net, 2, box(2, 3)) == expected
    # Restricted to the box [-1/2, 1/2]^2, the second unit only fires where
    # x + y > 1 is impossible (x + y <= 1, x <= 1/2, y <= 1/2): 4 regions.
    assert brute_force.realized_patterns(net, 2, box(2, F(1, 2))) == {
        ((0, 0), (0,)),
        ((1, 0), (0,)),
        ((0, 1), (0,)),
        ((1, 1), (0,)),
    }


def test_identical_pieces_in_deeper_layer():
    # relu(relu(x)): on x < 0 the second pre-activation is identically 0,
    # so its two pieces coincide and piece 0 wins; on x > 0 it is x > 0.
    # A solver demanding 0 > 0 would lose x < 0; one ignoring ties would add
    # ((0,), (1,)).  Exactly 2 regions.
    net = [relu([[1]], [0]), relu([[1]], [0])]
    expected = [((0,), (0,)), ((1,), (1,))]
    assert breakpoints1d.patterns_1d(net, -1, 1) == expected
    assert brute_force.realized_patterns(net, 1, interval(-1, 1)) == set(expected)
    assert brute_force.realized_patterns(net, 1, None) == set(expected)


def test_relu_difference_1d():
    # h1 = relu(x), h2 = relu(x - 1/2), z = h1 - h2 (linear layer), then
    # relu(z - 1/4).  z = 0 on x < 0, z = x on [0, 1/2], z = 1/2 for x > 1/2,
    # so z - 1/4 > 0 iff x > 1/4.  On [-1, 1]:
    #   (-1, 0):    ((0,0), (), (0,))   (z - 1/4 = -1/4 constant)
    #   (0, 1/4):   ((1,0), (), (0,))
    #   (1/4, 1/2): ((1,0), (), (1,))
    #   (1/2, 1):   ((1,1), (), (1,))   (z - 1/4 = 1/4 constant)
    net = [
        relu([[1], [1]], [0, F(-1, 2)]),
        linear([[1, -1]], [0]),
        relu([[1]], [F(-1, 4)]),
    ]
    regs = breakpoints1d.regions_1d(net, -1, 1)
    assert [(lo, hi) for lo, hi, _ in regs] == [(-1, 0), (0, F(1, 4)), (F(1, 4), F(1, 2)), (F(1, 2), 1)]
    expected = [((0, 0), (), (0,)), ((1, 0), (), (0,)), ((1, 0), (), (1,)), ((1, 1), (), (1,))]
    assert breakpoints1d.patterns_1d(net, -1, 1) == expected
    assert breakpoints1d.count_regions_1d(net, -1, 1) == 4
    assert brute_force.realized_patterns(net, 1, interval(-1, 1)) == set(expected)
    # Without the last ReLU: 3 regions, breakpoints 0 and 1/2.
    assert breakpoints1d.patterns_1d(net[:2], -1, 1) == [((0, 0), ()), ((1, 0), ()), ((1, 1), ())]
    # On [1/4, 1] only the last two regions remain (1/4 is an end point).
    assert breakpoints1d.patterns_1d(net, F(1, 4), 1) == expected[2:]
    assert brute_force.realized_patterns(net, 1, interval(F(1, 4), 1)) == set(expected[2:])


def test_leaky_relu_1d():
    # leaky(x) with slope 1/2: piece 0 = x/2, piece 1 = x; x > x/2 iff x > 0.
    net = [leaky(F(1, 2), [[1]], [0])]
    assert breakpoints1d.patterns_1d(net, -1, 1) == [((0,),), ((1,),)]
    assert brute_force.realized_patterns(net, 1, None) == {((0,),), ((1,),)}
    # Slope 0 is a ReLU; a leaky unit of -x flips the order.
    assert breakpoints1d.patterns_1d([leaky(0, [[-1]], [0])], -1, 1) == [((1,),), ((0,),)]


# ---------------------------------------------------------------------------
# one maxout layer: Minkowski upper vertices vs brute force


def test_max_of_zero_x_y():
    # max(0, x, y): lifted points (0,0,0), (1,0,0), (0,1,0) form a triangle,
    # all three are upper vertices: 3 regions.
    W, B = [[[0, 0], [1, 0], [0, 1]]], [[0, 0, 0]]
    assert minkowski.maxout_layer_region_count(W, B) == 3
    assert brute_force.realized_patterns([maxout(W, B)], 2, None) == {((0,),), ((1,),), ((2,),)}


def test_three_tropical_lines():
    # max(x - a, y - b, 0) is a tropical line with apex (a, b); its three
    # rays have directions (1,1), (0,-1), (-1,0).  Two generic tropical lines
    # meet in exactly one point.  A tripod alone makes 3 regions and each
    # crossing of a new ray with an old edge adds one, so three generic
    # tropical lines give 3 + (2 + 1) + (2 + 2) = 10 regions.  Apexes (0,0),
    # (1,3), (3,2): the differences (1,3), (3,2), (2,-1) are parallel to no
    # ray direction, so the position is generic.
    apexes = [(0, 0), (1, 3), (3, 2)]
    W = [[[1, 0], [0, 1], [0, 0]] for _ in apexes]
    B = [[-a, -b, 0] for a, b in apexes]
    assert minkowski.maxout_layer_region_count(W, B) == 10
    assert brute_force.count_regions_brute_force([maxout(W, B)], 2, None) == 10


def test_circle_maxout_reaches_bound():
    # n0 = 2, three rank-3 units whose pieces are exact rational points on the
    # unit circle (t = tan(theta/2)).  Distinct points on a circle are in
    # convex position, so each unit's three lifted points project onto the
    # vertices of a triangle and are all upper vertices, whatever the biases.
    # The sharp bound for one maxout layer is sum_{j<=2} C(3,j) 2^j
    # = 1 + 6 + 12 = 19; this configuration (found by search) attains it.
    ts = [
        [F(-13, 5), F(4, 5), F(-12, 5)],
        [F(-16, 5), F(9, 5), F(-19, 5)],
        [F(-11, 5), F(-18, 5), F(-16, 5)],
    ]
    B = [
        [F(-3, 2), F(-5, 2), F(3, 2)],
        [F(-3, 2), F(-3), F(5, 2)],
        [F(5, 2), F(-3), F(-3, 2)],
    ]
    W = [[circle_point(t) for t in unit] for unit in ts]
    assert sum(comb(3, j) * 2**j for j in range(3)) == 19
    for unit_W, unit_B in zip(W, B):
        assert minkowski.maxout_layer_region_count([unit_W], [unit_B]) == 3
    assert minkowski.maxout_layer_region_count(W, B) == 19
    assert brute_force.count_regions_brute_force([maxout(W, B)], 2, None) == 19


@pytest.mark.parametrize("seed", range(6))
def test_circle_maxout_agrees_below_bound(seed):
    # Roughly equilateral triangles (t = 0, +-17/10 is about 0 and +-119
    # degrees) rotated and centred at random integer points.
    r = random.Random(seed)
    W, B = [], []
    for _ in range(3):
        rot = F(r.randint(-5, 5), 10)
        centre = (F(r.randint(-3, 3)), F(r.randint(-3, 3)))
        ws = [circle_point(t + rot) for t in (F(0), F(17, 10), F(-17, 10))]
        W.append(ws)
        B.append([-(w[0] * centre[0] + w[1] * centre[1]) for w in ws])
    m = minkowski.maxout_layer_region_count(W, B)
    assert m == brute_force.count_regions_brute_force([maxout(W, B)], 2, None)
    assert 1 <= m <= 19


def _random_maxout_layer(r, n0, degenerate):
    n_units = r.randint(1, 3)
    W, B = [], []
    for _ in range(n_units):
        K = r.randint(1, 3)
        Wu = [[F(r.randint(-2, 2), r.randint(1, 2)) for _ in range(n0)] for _ in range(K)]
        Bu = [F(r.randint(-2, 2), r.randint(1, 2)) for _ in range(K)]
        if degenerate:
            roll = r.random()
            if roll < 0.3 and K >= 2:  # identical pieces within the unit
                i, j = r.sample(range(K), 2)
                Wu[j], Bu[j] = list(Wu[i]), Bu[i]
            elif roll < 0.5:  # zero weights
                Wu[r.randrange(K)] = [F(0)] * n0
            elif roll < 0.6:  # everything zero
                Wu = [[F(0)] * n0 for _ in range(K)]
                Bu = [F(0)] * K
        W.append(Wu)
        B.append(Bu)
    if degenerate and r.random() < 0.5:  # duplicate unit
        u = r.randrange(len(W))
        W.append([list(w) for w in W[u]])
        B.append(list(B[u]))
    return W, B


@pytest.mark.parametrize("seed", range(30))
def test_minkowski_vs_brute_force_random(seed):
    r = random.Random(1000 + seed)
    n0 = 1 + seed % 3
    W, B = _random_maxout_layer(r, n0, degenerate=seed % 2 == 1)
    expected = brute_force.count_regions_brute_force([maxout(W, B)], n0, None)
    assert minkowski.maxout_layer_region_count(W, B) == expected


# ---------------------------------------------------------------------------
# random cross-checks: Zaslavsky vs brute force, 1-D breakpoints vs brute force


@pytest.mark.parametrize("seed", range(20))
def test_zaslavsky_vs_brute_force_random_relu(seed):
    # Small integer coefficients produce many parallel, concurrent and
    # repeated hyperplanes and some zero rows.
    r = random.Random(2000 + seed)
    n0 = 2 + seed % 2
    n = r.randint(1, 6)
    W = [[r.randint(-1, 1) for _ in range(n0)] for _ in range(n)]
    Bs = [r.randint(-1, 1) for _ in range(n)]
    expected = arrangement.zaslavsky_region_count(relu_hyperplanes(W, Bs), n0)
    assert brute_force.count_regions_brute_force([relu(W, Bs)], n0, None) == expected
    if n0 == 2 and n <= 4:
        # Every vertex has coordinates of absolute value <= 2 (Cramer with
        # entries in {-1, 0, 1}: |det| >= 1, numerators <= 2) and every line
        # passes within distance 1 of the origin.  A region either has a
        # vertex (inside the open box) or is a strip/half-plane bounded by
        # whole lines (which cross the open box), so the box [-3, 3]^2 meets
        # the interior of every region.
        assert brute_force.count_regions_brute_force([relu(W, Bs)], n0, box(2, 3)) == expected


def test_general_position_count():
    assert [arrangement.general_position_count(n, 1) for n in range(5)] == [1, 2, 3, 4, 5]
    assert [arrangement.general_position_count(n, 2) for n in range(5)] == [1, 2, 4, 7, 11]
    # n <= d: all 2^n sign patterns.
    assert arrangement.general_position_count(3, 3) == 8
    # 4 generic planes in R^3 (coordinate planes + x+y+z=1): 15.
    hyper = [((1, 0, 0), 0), ((0, 1, 0), 0), ((0, 0, 1), 0), ((1, 1, 1), -1)]
    assert arrangement.zaslavsky_region_count(hyper, 3) == 15 == arrangement.general_position_count(4, 3)


def test_face_counts_by_hand():
    # Coordinate planes and x + y + z = 1: 4 vertices, 6 lines cut by the other two
    # planes into 3 edges each, 4 planes cut into 7 faces each, 15 regions; bounded:
    # the simplex with its 4 vertices, 6 edges and 4 triangles.
    hyper = [((1, 0, 0), 0), ((0, 1, 0), 0), ((0, 0, 1), 0), ((1, 1, 1), -1)]
    assert arrangement.face_counts(hyper, 3) == ([4, 18, 28, 15], [4, 6, 4, 1])
    # x = 0, 1, 2 and y = 0: 3 vertices; 2 edges on each vertical line and 4 on y = 0;
    # 8 regions. Bounded: the 3 vertices and the 2 segments between them on y = 0.
    hyper = [((1, 0), 0), ((1, 0), -1), ((1, 0), -2), ((0, 1), 0)]
    assert arrangement.face_counts(hyper, 2) == ([3, 10, 8], [3, 2, 0])
    # x = 0 twice (once as 2x = 0) and x = 1 in R^3: 2 planes, 3 slabs, nothing bounded.
    hyper = [((1, 0, 0), 0), ((2, 0, 0), 0), ((1, 0, 0), -1)]
    assert arrangement.face_counts(hyper, 3) == ([0, 0, 2, 3], [0, 0, 0, 0])
    # Three concurrent lines, one of them twice: 1 vertex, 6 rays, 6 sectors.
    hyper = [((1, 0), 0), ((0, 1), 0), ((1, 1), 0), ((-1, -1), 0)]
    assert arrangement.face_counts(hyper, 2) == ([1, 6, 6], [1, 0, 0])
    assert arrangement.face_counts([], 2) == ([0, 0, 1], [0, 0, 0])


@pytest.mark.parametrize("seed", range(12))
def test_face_counts_satisfy_the_euler_relations(seed):
    # Relatively open faces are open cells: sum_k (-1)^k f_k = chi_c(R^d) = (-1)^d.
    # The bounded complex is contractible when there is a vertex (Bjorner-Ziegler),
    # so its Euler characteristic is 1, and it is empty otherwise.
    r = random.Random(3000 + seed)
    dim = 2 + seed % 3
    hyper = []
    for _ in range(r.randint(0, 6)):
        a = [r.randint(-1, 1) for _ in range(dim)]
        if any(a):
            hyper.append((a, r.randint(-1, 1)))
    faces, bounded = arrangement.face_counts(hyper, dim)
    assert faces[dim] == arrangement.zaslavsky_region_count(hyper, dim)
    assert sum((-1) ** k * f for k, f in enumerate(faces)) == (-1) ** dim
    assert sum((-1) ** k * f for k, f in enumerate(bounded)) == (1 if faces[0] else 0)
    assert all(b <= f for b, f in zip(bounded, faces))


def _random_layer_1d(r, width_in):
    kind = r.choice(["relu", "leaky_relu", "maxout", "linear"])
    width = r.randint(1, 3)
    if kind == "maxout":
        K = r.randint(1, 3)
        W = [[[rand_frac(r) for _ in range(width_in)] for _ in range(K)] for _ in range(width)]
        B = [[rand_frac(r) for _ in range(K)] for _ in range(width)]
        if r.random() < 0.3 and K >= 2:  # identical pieces
            W[0][1], B[0][1] = list(W[0][0]), B[0][0]
        return maxout(W, B), width
    W = [[rand_frac(r) for _ in range(width_in)] for _ in range(width)]
    B = [rand_frac(r) for _ in range(width)]
    if r.random() < 0.2:
        W[0] = [F(0)] * width_in
    if kind == "relu":
        return relu(W, B), width
    if kind == "leaky_relu":
        return leaky(F(r.randint(0, 3), 4), W, B), width
    return linear(W, B), width


@pytest.mark.parametrize("seed", range(25))
def test_breakpoints_vs_brute_force_random(seed):
    r = random.Random(3000 + seed)
    layers, width = [], 1
    for _ in range(r.randint(1, 3)):
        layer, width = _random_layer_1d(r, width)
        layers.append(layer)
    lo = F(r.randint(-4, 0), r.randint(1, 2))
    hi = lo + F(r.randint(1, 6), r.randint(1, 2))
    pats = breakpoints1d.patterns_1d(layers, lo, hi)
    # Regions of a fixed pattern are intervals, so no pattern repeats.
    assert len(pats) == len(set(pats))
    assert breakpoints1d.count_regions_1d(layers, lo, hi) == len(pats)
    assert set(pats) == brute_force.realized_patterns(layers, 1, interval(lo, hi))


# ---------------------------------------------------------------- the shared LP

# Four copies of one row with 40-digit entries, drawn by the property tests: cddlib's GMP LP
# cycled on them and aborted the whole process in its criss-cross fallback. The oracle now
# decides by a double description instead.
_BIG = 10 ** 40
_REPEATED = [(F(_BIG + 3), (F(3), F(_BIG - 2)))] * 4 + [(F(3 * _BIG - 9, 20), (F(9, 2), F(15 * _BIG // 10)))]


@pytest.mark.parametrize("rows, feasible", [
    (_REPEATED, True),  # z = 0 satisfies every row strictly
    (_REPEATED + [(-b, tuple(-v for v in a)) for b, a in _REPEATED[:1]], False),  # a row and its negation
    ([((F(1), (F(1), F(0))))] * 3 + [(F(1), (F(-1), F(0)))] * 2, True),  # |z_1| < 1
    ([((F(-1), (F(1), F(0))))] * 3 + [(F(-1), (F(-1), F(0)))] * 2, False),  # z_1 > 1 and z_1 < -1
    # Two rows with 81-digit entries that aborted cddlib's LP as well: z = (0, 0) satisfies both.
    ([(F(5 * 10 ** 80 - 16, 5), (F(1), F(-(10 ** 80)))),
      (F(4 * _BIG - 9, 3), (F(7, 3 * _BIG), F(-7 * _BIG, 3)))], True),
])
def test_the_shared_lp_decides_repeated_rows_in_a_process_that_survives(rows, feasible):
    # In a child process, so that an abort inside cddlib fails this test instead of the suite.
    import subprocess
    import sys

    code = ("import sys; from fractions import Fraction; from tests.oracles.lp import strictly_feasible; "
            f"print(strictly_feasible({rows!r}, 2))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr[-300:]
    assert done.stdout.strip() == str(feasible)
