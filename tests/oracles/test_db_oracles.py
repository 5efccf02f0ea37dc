"""Tests of the decision-boundary oracles and of the planar Euler-characteristic oracle.

Every count below is derived by hand in the comments (from the definition by
class cells, docs/theory.md), or is a cross-check between independent
computations (1-D: breakpoints + direct evaluation of the network, no LP;
the grid oracle: exact evaluation at grid points; 2-D: exact vertex
enumeration of the brute-force regions).  Classes are 0-based; a piece is a
pair (i, j) with i < j.
"""

import random
from collections import Counter
from fractions import Fraction as F

import cdd
import cdd.gmp
import pytest
import sympy

from tests.oracles import breakpoints1d, brute_force, euler
from tests.oracles.decision_boundary import boundary_oracle, region_system
from tests.oracles.grid_classes import ClassGrid, clear_class, forward
from tests.oracles.test_oracles import box, leaky, linear, maxout, relu  # layer-dict helpers

# The "quadrant identity" hidden layer: units relu(x1), relu(-x1), relu(x2),
# relu(-x2).  x1 = r0 - r1 and x2 = r2 - r3 everywhere, and the four regions
# are the quadrants, with patterns (unit active = piece 1):
QUAD = relu([[1, 0], [-1, 0], [0, 1], [0, -1]], [0, 0, 0, 0])
Q1 = ((1, 0, 1, 0), ())  # x1 >= 0, x2 >= 0
Q2 = ((0, 1, 1, 0), ())  # x1 <= 0, x2 >= 0
Q3 = ((0, 1, 0, 1), ())  # x1 <= 0, x2 <= 0
Q4 = ((1, 0, 0, 1), ())  # x1 >= 0, x2 <= 0
ONE = ((),)  # the pattern of a network with a linear layer only


def pieces(oracle):
    """The pieces as a multiset of (regions, classes)."""
    return Counter(oracle.keys())


def same(a, b):
    return sympy.simplify(a - b) == 0


# ---------------------------------------------------------------------------
# two classes


def test_two_classes_one_region():
    # Hidden: relu(x1 + 2), relu(x2 + 2), both active on [-1, 1]^2 (x + 2 >= 1),
    # so one region, pattern (1, 1).  Output: y0 = h0 - 2 = x1, y1 = h1 - 2 = x2.
    # Both classes have a cell (x1 > x2 and x2 > x1 both happen); they meet on
    # the diagonal, length 2 sqrt 2.
    R = ((1, 1), ())
    net = [relu([[1, 0], [0, 1]], [2, 2]), linear([[1, 0], [0, 1]], [-2, -2])]
    o = boundary_oracle(net, 2, box(2, 1))
    assert o.classes == {R: (0, 1)}
    assert pieces(o) == Counter({((R,), (0, 1)): 1})
    assert same(o.measure(), 2 * sympy.sqrt(2)) and o.maximal_count() == 1
    # Shift the boundary out of the box: y1 = x2 + 3 > x1 everywhere on it
    # (x2 + 3 >= 2 > 1 >= x1), so only class 1 is predicted and nothing ties.
    net_far = [relu([[1, 0], [0, 1]], [2, 2]), linear([[1, 0], [0, 1]], [-2, 1])]
    o = boundary_oracle(net_far, 2, box(2, 1))
    assert o.classes == {R: (1,)} and o.pieces == [] and o.measure() == 0


def test_two_classes_quadrants():
    # y0 = r0 - r1 = x1, y1 = r2 - r3 = x2 on the four quadrants.  The diagonal
    # x1 = x2 runs through the open quadrants Q1 and Q3 (length sqrt 2 each); in
    # Q2 (x1 <= 0 <= x2) only class 1 has a cell, in Q4 only class 0.  Across
    # the axes the class never changes: just above the positive x2-axis it is
    # 1 on both sides, left of the negative x1-axis 1, below the negative
    # x2-axis 0, right of the positive x1-axis 0.  Both pieces lie on x1 = x2
    # and meet at 0: one maximal piece.
    net = [QUAD, linear([[1, -1, 0, 0], [0, 0, 1, -1]], [0, 0])]
    o = boundary_oracle(net, 2, box(2, 1))
    assert o.classes == {Q1: (0, 1), Q2: (1,), Q3: (0, 1), Q4: (0,)}
    assert pieces(o) == Counter({((Q1,), (0, 1)): 1, ((Q3,), (0, 1)): 1})
    assert same(o.measure(), 2 * sympy.sqrt(2)) and o.maximal_count() == 1
    # Without a domain (all of R^2) the same pieces, of infinite length.
    o = boundary_oracle(net, 2, None)
    assert pieces(o) == Counter({((Q1,), (0, 1)): 1, ((Q3,), (0, 1)): 1})
    assert o.measure() is None


# ---------------------------------------------------------------------------
# three classes meeting at a point


def test_three_classes_meet_at_origin_single_region():
    # y = (x1, x2, -x1 - x2), one linear layer: one region.
    # (0,1): x1 = x2 = s, needs y0 >= y2: s >= -2s, i.e. s >= 0  -> ray (1, 1),
    #        to (1, 1) in the box: sqrt 2.
    # (0,2): x2 = -2 x1, needs y0 >= y1: x1 >= -2 x1, x1 >= 0   -> ray (1, -2),
    #        to (1/2, -1): sqrt(5)/2.
    # (1,2): x1 = -2 x2, x2 >= 0                                  -> ray (-2, 1),
    #        to (-1, 1/2): sqrt(5)/2.
    net = [linear([[1, 0], [0, 1], [-1, -1]], [0, 0, 0])]
    o = boundary_oracle(net, 2, box(2, 1))
    assert o.classes == {ONE: (0, 1, 2)}
    assert pieces(o) == Counter({((ONE,), p): 1 for p in [(0, 1), (0, 2), (1, 2)]})
    assert same(o.measure(), sympy.sqrt(2) + sympy.sqrt(5)) and o.maximal_count() == 3
    # On [1/2, 1]^2 (x1, x2 > 0) class 2 (negative there) has no cell, and only
    # the ray (1, 1) enters: from (1/2, 1/2) to (1, 1), length sqrt(2)/2.
    dom = [(F(-1, 2), (F(1), F(0))), (F(1), (F(-1), F(0))), (F(-1, 2), (F(0), F(1))),
           (F(1), (F(0), F(-1)))]
    o = boundary_oracle(net, 2, dom)
    assert o.classes == {ONE: (0, 1)} and pieces(o) == Counter({((ONE,), (0, 1)): 1})
    assert same(o.measure(), sympy.sqrt(2) / 2)


def test_three_classes_meet_at_origin_quadrants():
    # Same logits through the quadrant layer: y2 = -r0 + r1 - r2 + r3.  Each ray
    # lies in the open interior of one quadrant: (1, 1) in Q1, (-2, 1) in Q2,
    # (1, -2) in Q4.  Across the axes the class never changes (1 on both sides
    # of the positive x2-axis, 2 of the negative x1- and x2-axes, 0 of the
    # positive x1-axis), so there is no piece on a facet.
    net = [QUAD, linear([[1, -1, 0, 0], [0, 0, 1, -1], [-1, 1, -1, 1]], [0, 0, 0])]
    o = boundary_oracle(net, 2, box(2, 1))
    assert o.classes == {Q1: (0, 1), Q2: (1, 2), Q3: (2,), Q4: (0, 2)}
    assert pieces(o) == Counter({((Q1,), (0, 1)): 1, ((Q2,), (1, 2)): 1, ((Q4,), (0, 2)): 1})
    assert same(o.measure(), sympy.sqrt(2) + sympy.sqrt(5))


# ---------------------------------------------------------------------------
# classes that only tie


def test_a_class_that_only_ties_makes_no_piece():
    # y = (0, x1, 2 x1) on [-1, 1]^2: class 0 wins for x1 < 0, class 2 for
    # x1 > 0; class 1 (y1 = x1) is strictly above neither, it ties with both
    # on x1 = 0 only.  One piece (0, 2), the segment x1 = 0: length 2.
    net = [linear([[0, 0], [1, 0], [2, 0]], [0, 0, 0])]
    o = boundary_oracle(net, 2, box(2, 1))
    assert o.classes == {ONE: (0, 2)}
    assert pieces(o) == Counter({((ONE,), (0, 2)): 1}) and o.measure() == 2
    # y = (x1, -x1, 0): all three are equal on x1 = 0, class 2 is never
    # predicted: one piece (0, 1).  Also with y2 = -1 < 0 = y0 = y1 there.
    for bias in (0, -1):
        net = [linear([[1, 0], [-1, 0], [0, 0]], [0, 0, bias])]
        o = boundary_oracle(net, 2, box(2, 1))
        assert o.classes == {ONE: (0, 1)} and pieces(o) == Counter({((ONE,), (0, 1)): 1})
        assert o.measure() == 2


def test_identical_outputs_give_no_piece():
    # y0 = y1 = x1 everywhere: class 1 is never strictly above class 0.
    net = [linear([[1, 0], [1, 0]], [0, 0])]
    o = boundary_oracle(net, 2, box(2, 1))
    assert o.classes == {ONE: (0,)} and o.pieces == []
    # y = (x1, x2, x1): class 2 is a copy of class 0, never predicted: (0, 1)
    # on the diagonal only.
    net = [linear([[1, 0], [0, 1], [1, 0]], [0, 0, 0])]
    o = boundary_oracle(net, 2, box(2, 1))
    assert o.classes == {ONE: (0, 1)} and pieces(o) == Counter({((ONE,), (0, 1)): 1})
    # Outputs differing by a non-zero constant never tie: y = (x1, x1 + 1).
    net = [linear([[1, 0], [1, 0]], [0, 1])]
    o = boundary_oracle(net, 2, box(2, 1))
    assert o.classes == {ONE: (1,)} and o.pieces == []


def test_outputs_identical_on_one_region_only():
    # y0 = relu(x1), y1 = 0.  On {x1 <= 0} y0 = 0 = y1: class 1 copies class 0
    # there.  On {x1 >= 0} y0 = x1 >= y1, equal only on the facet.  Class 0 is
    # predicted on both sides of x1 = 0: no piece (the tie on the facet
    # separates nothing).
    L, R = ((0,), ()), ((1,), ())
    net = [relu([[1, 0]], [0]), linear([[1], [0]], [0, 0])]
    o = boundary_oracle(net, 2, box(2, 1))
    assert o.classes == {L: (0,), R: (0,)} and o.pieces == []


# ---------------------------------------------------------------------------
# pieces lying on facets


def test_piece_on_shared_facet_counted_once():
    # Hidden relu(x1), relu(-x1): regions L = {x1 <= 0}, R = {x1 >= 0}.
    # y0 = 2 r0 - r1 = 2 x1 on R and x1 on L; y1 = 0.  Class 1 on L, class 0
    # on R: the shared facet {0} x [-1, 1] is one piece, length 2.
    L, R = ((0, 1), ()), ((1, 0), ())
    net = [relu([[1, 0], [-1, 0]], [0, 0]), linear([[2, -1], [0, 0]], [0, 0])]
    o = boundary_oracle(net, 2, box(2, 1))
    assert o.classes == {L: (1,), R: (0,)}
    assert pieces(o) == Counter({((L, R), (0, 1)): 1}) and o.measure() == 2


def test_touching_tie_on_shared_facet_is_no_piece():
    # y0 = 2 r0 + r1: 2 x1 on R, -x1 on L; y1 = 0.  y0 >= y1 everywhere, equal
    # on x1 = 0 only: class 0 on both sides, no piece.
    net = [relu([[1, 0], [-1, 0]], [0, 0]), linear([[2, 1], [0, 0]], [0, 0])]
    assert boundary_oracle(net, 2, box(2, 1)).pieces == []


def test_facet_pieces_on_different_segments():
    # Quadrants; y0 = 2 r0 - r1 (2 x1 right, x1 left), y1 = 0: class 0 on Q1
    # and Q4, class 1 on Q2 and Q3.  The class changes across the facets
    # Q1|Q2 (upper half of x1 = 0) and Q3|Q4 (lower half): two pieces of
    # length 1, on one line, meeting at 0: one maximal piece.
    net = [QUAD, linear([[2, -1, 0, 0], [0, 0, 0, 0]], [0, 0])]
    o = boundary_oracle(net, 2, box(2, 1))
    assert o.classes == {Q1: (0,), Q2: (1,), Q3: (1,), Q4: (0,)}
    assert pieces(o) == Counter({((Q2, Q1), (0, 1)): 1, ((Q3, Q4), (0, 1)): 1})
    assert o.measure() == 2 and o.maximal_count() == 1


def test_a_facet_where_the_class_changes_on_part_of_it():
    # Hidden relu(x1), relu(-x1); y = (r0, r1, x2) (x2 through relu(x2 + 2) - 2).
    # L = {x1 <= 0}: y = (0, -x1, x2): class 1 where -x1 > x2, class 2 where
    # x2 > -x1 (class 0: 0 >= -x1 only on x1 = 0); they meet on x2 = -x1,
    # from (0, 0) to (-1, 1): sqrt 2.  R = {x1 >= 0}: y = (x1, 0, x2): classes
    # 0 and 2 meet on x2 = x1, from (0, 0) to (1, 1): sqrt 2.  On x1 = 0 the
    # outputs are (0, 0, x2): for x2 < 0 class 1 just left, class 0 just right
    # (a piece (0, 1), length 1); for x2 > 0 class 2 on both sides (none).
    L, R = ((0, 1, 1), ()), ((1, 0, 1), ())
    net = [relu([[1, 0], [-1, 0], [0, 1]], [0, 0, 2]),
           linear([[1, 0, 0], [0, 1, 0], [0, 0, 1]], [0, 0, -2])]
    o = boundary_oracle(net, 2, box(2, 1))
    assert o.classes == {L: (1, 2), R: (0, 2)}
    assert pieces(o) == Counter({((L,), (1, 2)): 1, ((R,), (0, 2)): 1, ((L, R), (0, 1)): 1})
    assert same(o.measure(), 1 + 2 * sympy.sqrt(2)) and o.maximal_count() == 3


def test_ties_on_the_domain_boundary_are_no_piece():
    # y = (x1, 1) on [-1, 1]^2: y0 - y1 = x1 - 1 <= 0, zero only on the side
    # x1 = 1: class 1 everywhere.  With y1 = 2 the tie line is outside.
    for bias in (1, 2):
        net = [linear([[1, 0], [0, 0]], [0, bias])]
        o = boundary_oracle(net, 2, box(2, 1))
        assert o.classes == {ONE: (1,)} and o.pieces == []


def test_one_dimensional_facet_piece():
    # n0 = 1: relu(x), relu(-x); y0 = r0 - r1 = x, y1 = -x.  Class 1 on
    # [-1, 0], class 0 on [0, 1]: one piece, the point 0, across the facet.
    L, R = ((0, 1), ()), ((1, 0), ())
    net = [relu([[1], [-1]], [0, 0]), linear([[1, -1], [-1, 1]], [0, 0])]
    o = boundary_oracle(net, 1, box(1, 1))
    assert pieces(o) == Counter({((L, R), (0, 1)): 1}) and o.measure() == 1
    # y1 = 1 - x: class 1 near 0 on both sides, the tie x = 1/2 inside R.
    net = [relu([[1], [-1]], [0, 0]), linear([[1, -1], [-1, 1]], [0, 1])]
    o = boundary_oracle(net, 1, box(1, 1))
    assert o.classes == {L: (1,), R: (0, 1)}
    assert pieces(o) == Counter({((R,), (0, 1)): 1})


def test_three_dimensional_planes():
    # n0 = 3, s = x1 + x2 + x3 on [-1, 1]^3.  The plane s = 0 cuts the cube in
    # the regular hexagon with vertices the permutations of (1, -1, 0): side
    # sqrt 2, area 6 * (sqrt 3 / 4) * 2 = 3 sqrt 3.
    net = [linear([[1, 1, 1], [0, 0, 0]], [0, 0])]
    o = boundary_oracle(net, 3, box(3, 1))
    assert pieces(o) == Counter({((ONE,), (0, 1)): 1})
    assert same(o.measure(), 3 * sympy.sqrt(3))
    # y = (s/2, s, 0): three classes tied on the whole plane s = 0; class 0
    # (half of class 1 plus half of class 2) is strictly above neither: one
    # piece (1, 2), the same hexagon.
    net = [linear([[F(1, 2)] * 3, [1, 1, 1], [0, 0, 0]], [0, 0, 0])]
    o = boundary_oracle(net, 3, box(3, 1))
    assert o.classes == {ONE: (1, 2)} and pieces(o) == Counter({((ONE,), (1, 2)): 1})
    assert same(o.measure(), 3 * sympy.sqrt(3))
    # y = (s, 3): the plane s = 3 touches the cube at the corner (1, 1, 1) only.
    net = [linear([[1, 1, 1], [0, 0, 0]], [0, 3])]
    assert boundary_oracle(net, 3, box(3, 1)).pieces == []


def test_input_validation():
    with pytest.raises(ValueError):
        boundary_oracle([relu([[1, 0]], [0])], 2, box(2, 1))  # no linear head
    with pytest.raises(ValueError):
        boundary_oracle([linear([[1, 0]], [0])], 2, box(2, 1))  # one output


# ---------------------------------------------------------------------------
# the grid oracle


def test_clear_class_and_forward():
    # relu(x1 - x2) and relu(x2) at (1, 3): 0 and 3; logits (0 + 3, 0) = (3, 0).
    net = [relu([[1, -1], [0, 1]], [0, 0]), linear([[1, 1], [1, -1]], [0, 0])]
    assert forward(net, (1, 3)) == [3, -3]
    assert clear_class([F(1), F(3), F(2)]) == 1 and clear_class([F(3), F(3), F(2)]) is None


def test_grid_classes_and_measure_bound_by_hand():
    # y = (0, x1, 2 x1) on [-1, 1]^2, steps 8 (spacing 1/4): points with x1 < 0
    # are class 0, x1 > 0 class 2, x1 = 0 tied (skipped).  Each of the 9 lines
    # along x1 has one change, the lines along x2 none.  The boundary is one
    # segment (P = 1): length >= (1/4) * (9 - 1) = 2, which is exact.
    net = [linear([[0, 0], [1, 0], [2, 0]], [0, 0, 0])]
    grid = ClassGrid(net, [-1, -1], [1, 1], 8)
    assert grid.classes() == {0, 2}
    assert (grid.changes(0), grid.changes(1)) == (9, 0)
    assert grid.measure_lower_bound(1) == 2
    # 1-D: y = (x, -x, 1/2) on [-1, 1]: class 1, 2, 0 on (-1, -1/2), (-1/2,
    # 1/2), (1/2, 1): two boundary points, both seen with steps 4 (points
    # -1, -1/2, 0, 1/2, 1; the two at +-1/2 are tied).
    net = [linear([[1], [-1], [0]], [0, 0, F(1, 2)])]
    grid = ClassGrid(net, [-1], [1], 4)
    assert grid.classes() == {0, 1, 2} and grid.measure_lower_bound(0) == 2


@pytest.mark.parametrize("case", ["quadrants", "three_rays", "facet_part"])
def test_grid_agrees_with_the_lp_oracle(case):
    # The grid finds exactly the predicted classes of these networks and bounds
    # the LP oracle's measure from below.
    nets = {
        "quadrants": [QUAD, linear([[1, -1, 0, 0], [0, 0, 1, -1]], [0, 0])],
        "three_rays": [linear([[1, 0], [0, 1], [-1, -1]], [0, 0, 0])],
        "facet_part": [relu([[1, 0], [-1, 0], [0, 1]], [0, 0, 2]),
                       linear([[1, 0, 0], [0, 1, 0], [0, 0, 1]], [0, 0, -2])],
    }
    net = nets[case]
    o = boundary_oracle(net, 2, box(2, 1))
    grid = ClassGrid(net, [-1, -1], [1, 1], 12)
    assert grid.classes() == {c for cs in o.classes.values() for c in cs}
    assert o.measure() >= grid.measure_lower_bound(len(o.pieces)) > 0


# ---------------------------------------------------------------------------
# 1-D cross-check: breakpoints + direct evaluation, no LP


def _expected_1d(layers, lo, hi):
    """The 1-D boundary from the breakpoint oracle and exact evaluation, no LP.

    On a region [a, b] each output is affine (a line, read off the values at a
    and b).  Cutting [a, b] at every crossing of two lines leaves open
    sub-intervals with a unique argmax (or all lines equal to the top one,
    then the lowest index), read at their midpoints: these are the classes
    predicted in the region.  Walking all sub-intervals from left to right, the
    boundary is every point where the class of consecutive sub-intervals
    differs: inside a region (a crossing) or at the end point shared by two
    regions (a facet).
    """
    walk = []  # (pattern, left end, right end, class)
    for a, b, pattern in sorted(breakpoints1d.regions_1d(layers, lo, hi)):
        fa, fb = forward(layers, (a,)), forward(layers, (b,))
        lines = [((vb - va) / (b - a), va - (vb - va) / (b - a) * a) for va, vb in zip(fa, fb)]
        cuts = {a, b}
        for s1, c1 in lines:
            for s2, c2 in lines:
                if s1 != s2 and a < (c2 - c1) / (s1 - s2) < b:
                    cuts.add((c2 - c1) / (s1 - s2))
        cuts = sorted(cuts)
        for x, y in zip(cuts, cuts[1:]):
            mid = [s * (x + y) / 2 + c for s, c in lines]
            walk.append((pattern, x, y, mid.index(max(mid))))
    classes, found = {}, Counter()
    for pattern, _, _, cls in walk:
        classes.setdefault(pattern, set()).add(cls)
    for (p, _, _, c), (q, _, _, d) in zip(walk, walk[1:]):
        if c != d:
            found[(p,) if p == q else tuple(sorted((p, q))), (min(c, d), max(c, d))] += 1
    return {p: tuple(sorted(c)) for p, c in classes.items()}, found


def _random_1d_net(r, span):
    """Integer weights in [-span, span] so that ties at breakpoints happen often."""
    def num():
        return F(r.randint(-span, span))

    width, layers = 1, []
    for _ in range(r.randint(1, 2)):
        kind = r.choice(["relu", "relu", "leaky", "maxout"])
        units = r.randint(1, 3)
        if kind == "maxout":
            W = [[[num() for _ in range(width)] for _ in range(2)] for _ in range(units)]
            B = [[num() for _ in range(2)] for _ in range(units)]
            layers.append(maxout(W, B))
        else:
            W = [[num() for _ in range(width)] for _ in range(units)]
            B = [num() for _ in range(units)]
            layers.append(relu(W, B) if kind == "relu" else leaky(F(1, 2), W, B))
        width = units
    m = r.randint(2, 4)
    W = [[num() for _ in range(width)] for _ in range(m)]
    B = [num() for _ in range(m)]
    roll = r.random()
    if roll < 0.3:  # identical logits
        W[-1], B[-1] = list(W[0]), B[0]
    elif roll < 0.6 and m >= 3:  # a logit between two others: it only ties
        W[-1] = [(u + v) / 2 for u, v in zip(W[0], W[1])]
        B[-1] = (B[0] + B[1]) / 2
    layers.append(linear(W, B))
    return layers


@pytest.mark.parametrize("span", [1, 2])
def test_one_dimensional_cross_check_random(span):
    r = random.Random(4242 + span)
    across = inside = 0
    for _ in range(60):
        net = _random_1d_net(r, span)
        lo, hi = F(-3), F(3)
        classes, expected = _expected_1d(net, lo, hi)
        o = boundary_oracle(net, 1, [(-lo, (F(1),)), (hi, (F(-1),))])
        assert o.classes == classes
        assert pieces(o) == expected
        assert o.measure() == sum(expected.values()) == o.maximal_count()
        across += sum(n for (where, _), n in expected.items() if len(where) == 2)
        inside += sum(n for (where, _), n in expected.items() if len(where) == 1)
    # the random family does exercise pieces inside regions and on shared end points
    assert across > 0 and inside > 0


# ---------------------------------------------------------------------------
# Euler characteristic and areas


def P(*pts):
    return [(F(x), F(y)) for x, y in pts]


def grid(n):
    """The n x n unit squares tiling [0, n]^2."""
    return [P((i, j), (i + 1, j), (i + 1, j + 1), (i, j + 1)) for i in range(n) for j in range(n)]


def test_sort_ccw_and_area():
    # Square given in scrambled order: counter-clockwise from angle 0 around
    # the centre (1/2, 1/2): (1,1) at 45 deg, (0,1) at 135, (0,0) at 225, (1,0) at 315.
    assert euler.sort_ccw(P((0, 0), (1, 1), (1, 0), (0, 1))) == P((1, 1), (0, 1), (0, 0), (1, 0))
    assert euler.polygon_area(P((0, 0), (1, 1), (1, 0), (0, 1))) == 1
    # Triangle (0,0), (3,0), (0,2): area 3 * 2 / 2 = 3; any order.
    assert euler.polygon_area(P((0, 2), (3, 0), (0, 0))) == 3
    # Rational triangle (0,0), (1/2,0), (0,1/3): 1/12.
    assert euler.polygon_area(P((F(1, 2), 0), (0, 0), (0, F(1, 3)))) == F(1, 12)
    # A point in the middle of a side is kept and does not change the area.
    assert euler.polygon_area(P((0, 0), (2, 0), (1, 0), (2, 2), (0, 2))) == 4
    # Hexagon (1,0),(2,0),(3,1),(2,2),(1,2),(0,1): the rectangle [1,2] x [0,2]
    # (area 2) plus two triangles of base 2 and height 1 (area 1 each): 4.
    assert euler.polygon_area(P((3, 1), (0, 1), (1, 0), (2, 2), (2, 0), (1, 2))) == 4
    with pytest.raises(ValueError):
        euler.sort_ccw(P((0, 0), (4, 0), (4, 4), (0, 4), (1, 1)))  # interior point
    with pytest.raises(ValueError):
        euler.sort_ccw(P((0, 0), (1, 1), (2, 2)))  # collinear


def test_square_two_triangles():
    # Square [0,1]^2 cut along the diagonal: V = 4 corners, E = 4 sides + the
    # diagonal = 5, F = 2: 4 - 5 + 2 = 1.  Areas 1/2 + 1/2 = 1.
    tiles = [P((0, 0), (1, 0), (1, 1)), P((0, 0), (1, 1), (0, 1))]
    assert euler.subdivision_counts(tiles) == (4, 5, 2)
    assert euler.euler_characteristic_2d(tiles) == 1
    assert sum(euler.polygon_area(t) for t in tiles) == 1


def test_square_cross():
    # 2 x 2 grid: V = 9 (3 x 3 lattice points), E = 12 (2 * 3 * 2 unit
    # segments), F = 4: 9 - 12 + 4 = 1.
    assert euler.subdivision_counts(grid(2)) == (9, 12, 4)
    assert euler.euler_characteristic_2d(grid(2)) == 1


def test_t_junction():
    # [0,2]^2 = left rectangle [0,1] x [0,2] + squares [1,2] x [1,2] and
    # [1,2] x [0,1].  (1,1) lies inside the rectangle's side (1,0)-(1,2), which
    # must be split there.  V = 8; E: rectangle 3 sides + the split side as
    # 2 sub-edges = 5, upper square 3 new, lower square 2 new = 10; F = 3:
    # 8 - 10 + 3 = 1.  Without the split, E would be 11 and the value 0.
    tiles = [
        P((0, 0), (1, 0), (1, 2), (0, 2)),
        P((1, 1), (2, 1), (2, 2), (1, 2)),
        P((1, 0), (2, 0), (2, 1), (1, 1)),
    ]
    assert euler.subdivision_counts(tiles) == (8, 10, 3)
    assert euler.euler_characteristic_2d(tiles) == 1
    # Listing the junction point as a (straight-angle) vertex of the
    # rectangle gives the same subdivision.
    tiles[0] = P((0, 0), (1, 0), (1, 1), (1, 2), (0, 2))
    assert euler.subdivision_counts(tiles) == (8, 10, 3)
    assert sum(euler.polygon_area(t) for t in tiles) == 4


def test_broken_tilings():
    # 3 x 3 grid: V = 16, E = 2 * 4 * 3 = 24, F = 9: 1.
    assert euler.subdivision_counts(grid(3)) == (16, 24, 9)
    assert euler.euler_characteristic_2d(grid(3)) == 1
    # Remove the centre square: its corners and sides all belong to
    # neighbours, so V = 16, E = 24, F = 8: 0 (an annulus).
    holed = [t for t in grid(3) if t[0] != (1, 1)]
    assert euler.subdivision_counts(holed) == (16, 24, 8)
    assert euler.euler_characteristic_2d(holed) == 0
    # A polygon listed twice: F = 3 over the two-triangle square: 2.
    tri = [P((0, 0), (1, 0), (1, 1)), P((0, 0), (1, 1), (0, 1))]
    assert euler.euler_characteristic_2d(tri + [tri[0]]) == 2


def _region_polygons(layers, domain_rows):
    """Vertices of every brute-force region in the plane (cddlib exact V-representation)."""
    polys = []
    for pattern in brute_force.realized_patterns(layers, 2, domain_rows):
        rows, _ = region_system(layers, 2, pattern, domain_rows)
        mat = cdd.gmp.matrix_from_array([[b, *a] for b, a in rows], rep_type=cdd.RepType.INEQUALITY)
        gens = cdd.gmp.copy_generators(cdd.gmp.polyhedron_from_matrix(mat))
        assert all(g[0] == 1 for g in gens.array)  # bounded: vertices only
        polys.append([(F(g[1]), F(g[2])) for g in gens.array])
    return polys


@pytest.mark.parametrize("net", ["quadrants", "two_layer", "random"])
def test_regions_tile_the_box(net):
    # The activation regions of a network tile the box [-2, 2]^2 (area 16):
    # their polygons give V - E + F = 1 and areas summing to 16.
    if net == "quadrants":
        layers = [QUAD, linear([[1, -1, 0, 0], [0, 0, 1, -1]], [0, 0])]
    elif net == "two_layer":
        layers = [relu([[1, 0], [0, 1], [1, 1]], [0, 0, -1]), relu([[1, -1, 1]], [F(-1, 2)])]
    else:
        r = random.Random(7)
        layers = [relu([[F(r.randint(-3, 3), r.randint(1, 2)) for _ in range(2)] for _ in range(4)],
                       [F(r.randint(-2, 2)) for _ in range(4)])]
    polys = _region_polygons(layers, box(2, 2))
    assert euler.euler_characteristic_2d(polys) == 1
    assert sum(euler.polygon_area(p) for p in polys) == 16
