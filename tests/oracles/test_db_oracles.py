"""Tests of the decision-boundary oracle and of the planar Euler-characteristic oracle.

Every count below is derived by hand in the comments, or is a cross-check
against an independent computation (1-D: breakpoints + direct evaluation of the
network, no LP; 2-D: exact vertex enumeration of the brute-force regions).
Classes are 0-based; a piece is a pair (i, j) with i < j.
"""

import random
from fractions import Fraction as F

import cdd
import cdd.gmp
import pytest

from tests.oracles import breakpoints1d, brute_force, decision_boundary, euler
from tests.oracles.test_oracles import box, leaky, linear, maxout, relu  # layer-dict helpers

db = decision_boundary


# ---------------------------------------------------------------------------
# helpers




# The "quadrant identity" hidden layer: units relu(x1), relu(-x1), relu(x2),
# relu(-x2).  x1 = r0 - r1 and x2 = r2 - r3 everywhere, and the four regions
# are the quadrants, with patterns (unit active = piece 1):
QUAD = relu([[1, 0], [-1, 0], [0, 1], [0, -1]], [0, 0, 0, 0])
Q1 = ((1, 0, 1, 0), ())  # x1 >= 0, x2 >= 0
Q2 = ((0, 1, 1, 0), ())  # x1 <= 0, x2 >= 0
Q3 = ((0, 1, 0, 1), ())  # x1 <= 0, x2 <= 0
Q4 = ((1, 0, 0, 1), ())  # x1 >= 0, x2 <= 0


def per_region_total(pieces):
    return sum(len(s) for s in pieces.values())


# ---------------------------------------------------------------------------
# two classes


def test_two_classes_one_region():
    # Hidden: relu(x1 + 2), relu(x2 + 2), both active on [-1, 1]^2 (x + 2 >= 1),
    # so one region, pattern (1, 1).  Output: y0 = h0 - 2 = x1, y1 = h1 - 2 = x2.
    # Tie x1 = x2 is the diagonal, which crosses the open box: one piece.
    net = [relu([[1, 0], [0, 1]], [2, 2]), linear([[1, 0], [0, 1]], [-2, -2])]
    pieces = db.decision_boundary_pieces(net, 2, box(2, 1))
    assert pieces == {((1, 1), ()): {(0, 1)}}
    assert db.boundary_piece_count(net, 2, box(2, 1)) == 1
    # Not on a facet of the region.
    assert db.decision_boundary_piece_details(net, 2, box(2, 1))[((1, 1), ())][(0, 1)]["facet"] is False
    # Shift the boundary out of the box: y1 = x2 + 3 > x1 everywhere on it
    # (x2 + 3 >= 2 > 1 >= x1), so the tie set is empty.
    net_far = [relu([[1, 0], [0, 1]], [2, 2]), linear([[1, 0], [0, 1]], [-2, 1])]
    assert db.decision_boundary_pieces(net_far, 2, box(2, 1)) == {((1, 1), ()): set()}
    assert db.boundary_piece_count(net_far, 2, box(2, 1)) == 0


def test_two_classes_quadrants():
    # y0 = r0 - r1 = x1, y1 = r2 - r3 = x2 on the four quadrants.  The diagonal
    # x1 = x2 runs through the open quadrants Q1 (s > 0) and Q3 (s < 0); in
    # Q2 (x1 <= 0 <= x2) and Q4 (x2 <= 0 <= x1) it meets only the origin
    # (0-dimensional: no piece).  The origin is a vertex, not a facet, so the
    # two pieces are not facet pieces: total 2.
    net = [QUAD, linear([[1, -1, 0, 0], [0, 0, 1, -1]], [0, 0])]
    pieces = db.decision_boundary_pieces(net, 2, box(2, 1))
    assert pieces == {Q1: {(0, 1)}, Q2: set(), Q3: {(0, 1)}, Q4: set()}
    assert db.boundary_piece_count(net, 2, box(2, 1)) == 2
    # Without a domain (all of R^2) the same.
    assert db.decision_boundary_pieces(net, 2, None) == pieces


# ---------------------------------------------------------------------------
# three classes meeting at a point


def test_three_classes_meet_at_origin_single_region():
    # y = (x1, x2, -x1 - x2), one linear layer: one region, pattern ((),).
    # (0,1): x1 = x2 = s, needs y0 >= y2: s >= -2s, i.e. s >= 0  -> ray (1, 1).
    # (0,2): x1 = -x1 - x2 i.e. x2 = -2 x1, needs y0 >= y1: x1 >= -2 x1,
    #        i.e. x1 >= 0                                          -> ray (1, -2).
    # (1,2): x1 = -2 x2, needs y1 >= y0: x2 >= -2 x2, x2 >= 0       -> ray (-2, 1).
    # The three rays start at the origin: 3 pieces.
    net = [linear([[1, 0], [0, 1], [-1, -1]], [0, 0, 0])]
    assert db.decision_boundary_pieces(net, 2, box(2, 1)) == {((),): {(0, 1), (0, 2), (1, 2)}}
    assert db.boundary_piece_count(net, 2, box(2, 1)) == 3
    # On a box not containing the origin, [1/2, 1]^2 (x1, x2 > 0): only the ray
    # (1, 1) enters it (the others need x2 < 0 or x1 < 0).
    dom = [(F(-1, 2), (F(1), F(0))), (F(1), (F(-1), F(0))), (F(-1, 2), (F(0), F(1))), (F(1), (F(0), F(-1)))]
    assert db.decision_boundary_pieces(net, 2, dom) == {((),): {(0, 1)}}


def test_three_classes_meet_at_origin_quadrants():
    # Same logits through the quadrant layer: y0 = x1, y1 = x2, y2 = -x1 - x2
    # (y2 = -r0 + r1 - r2 + r3).  Each ray lies in the open interior of one
    # quadrant: (1, 1) in Q1, (-2, 1) in Q2, (1, -2) in Q4; none enters Q3.
    net = [QUAD, linear([[1, -1, 0, 0], [0, 0, 1, -1], [-1, 1, -1, 1]], [0, 0, 0])]
    pieces = db.decision_boundary_pieces(net, 2, box(2, 1))
    assert pieces == {Q1: {(0, 1)}, Q2: {(1, 2)}, Q3: set(), Q4: {(0, 2)}}
    assert per_region_total(pieces) == 3
    assert db.boundary_piece_count(net, 2, box(2, 1)) == 3


# ---------------------------------------------------------------------------
# identical outputs


def test_identical_outputs_give_no_piece():
    # y0 = y1 = x1 everywhere: merged, no pair at all.
    net = [linear([[1, 0], [1, 0]], [0, 0])]
    assert db.decision_boundary_pieces(net, 2, box(2, 1)) == {((),): set()}
    assert db.boundary_piece_count(net, 2, box(2, 1)) == 0
    # y = (x1, x2, x1): y2 is merged into y0 (representative 0), so only (0, 1)
    # on the diagonal -- not (1, 2), although y1 = y2 there too.
    net = [linear([[1, 0], [0, 1], [1, 0]], [0, 0, 0])]
    assert db.decision_boundary_pieces(net, 2, box(2, 1)) == {((),): {(0, 1)}}
    # Outputs differing by a non-zero constant never tie: y = (x1, x1 + 1).
    net = [linear([[1, 0], [1, 0]], [0, 1])]
    assert db.decision_boundary_pieces(net, 2, box(2, 1)) == {((),): set()}


def test_outputs_identical_on_one_region_only():
    # y0 = relu(x1), y1 = 0.  Region ((0,),()) = {x1 <= 0}: y0 = 0 = y1 there,
    # merged, no pair.  Region ((1,),()) = {x1 >= 0}: y0 - y1 = x1, whose zero
    # line x1 = 0 is the region's facet (the row x1 >= 0 is dropped): a facet
    # piece (0, 1).  This pins the literal per-region definition: note that the
    # predicted class is 0 on both sides (on the left y0 = y1, lowest index).
    net = [relu([[1, 0]], [0]), linear([[1], [0]], [0, 0])]
    details = db.decision_boundary_piece_details(net, 2, box(2, 1))
    assert set(details) == {((0,), ()), ((1,), ())}
    assert details[((0,), ())] == {}
    assert set(details[((1,), ())]) == {(0, 1)} and details[((1,), ())][(0, 1)]["facet"]
    assert db.boundary_piece_count(net, 2, box(2, 1)) == 1


# ---------------------------------------------------------------------------
# pieces lying on facets


def test_piece_on_shared_facet_counted_once():
    # Hidden relu(x1), relu(-x1): regions L = ((0, 1), ()) = {x1 <= 0} and
    # R = ((1, 0), ()) = {x1 >= 0}.  y0 = 2 r0 - r1 = 2 x1 on R and x1 on L;
    # y1 = 0.  The class changes across x1 = 0 (class 0 right, 1 left), and
    # the tie line x1 = 0 is exactly the facet shared by L and R: both regions
    # have the facet piece (0, 1) (per-region count 2), and the two pieces
    # overlap in the whole segment {0} x [-1, 1], so the deduplicated total is
    # 1, counted in L, whose pattern ((0, 1), ()) < ((1, 0), ()).
    L, R = ((0, 1), ()), ((1, 0), ())
    net = [relu([[1, 0], [-1, 0]], [0, 0]), linear([[2, -1], [0, 0]], [0, 0])]
    details = db.decision_boundary_piece_details(net, 2, box(2, 1))
    assert {p: set(d) for p, d in details.items()} == {L: {(0, 1)}, R: {(0, 1)}}
    assert details[L][(0, 1)]["facet"] and details[R][(0, 1)]["facet"]
    assert per_region_total(db.decision_boundary_pieces(net, 2, box(2, 1))) == 2
    assert db.counted_boundary_pieces(net, 2, box(2, 1)) == {(L, (0, 1))}
    assert db.boundary_piece_count(net, 2, box(2, 1)) == 1


def test_touching_tie_on_shared_facet_counted_once():
    # y0 = 2 r0 + r1 = 2|x1|-ish: 2 x1 on R, -x1 on L; y1 = 0.  y0 >= y1
    # everywhere, equal on x1 = 0 only (class 0 on both sides), but by the
    # definition both regions have the facet piece (0, 1): counted once.
    net = [relu([[1, 0], [-1, 0]], [0, 0]), linear([[2, 1], [0, 0]], [0, 0])]
    assert per_region_total(db.decision_boundary_pieces(net, 2, box(2, 1))) == 2
    assert db.boundary_piece_count(net, 2, box(2, 1)) == 1


def test_facet_pieces_on_different_segments_not_merged():
    # A second hidden line x2 = 0 splits both sides: quadrants.  y0 = 2 r0 - r1
    # (2 x1 right, x1 left), y1 = 0: the tie line x1 = 0 is the facet between
    # Q1 and Q2 (upper half) and between Q4 and Q3 (lower half).  Four facet
    # pieces, pairwise overlapping Q1-Q2 and Q3-Q4 only (the upper and lower
    # segments meet in the single point 0): total 2, counted in the smaller
    # pattern of each pair: Q2 < Q1 and Q3 < Q4.
    net = [QUAD, linear([[2, -1, 0, 0], [0, 0, 0, 0]], [0, 0])]
    pieces = db.decision_boundary_pieces(net, 2, box(2, 1))
    assert pieces == {Q1: {(0, 1)}, Q2: {(0, 1)}, Q3: {(0, 1)}, Q4: {(0, 1)}}
    assert db.counted_boundary_pieces(net, 2, box(2, 1)) == {(Q2, (0, 1)), (Q3, (0, 1))}
    assert db.boundary_piece_count(net, 2, box(2, 1)) == 2


def test_piece_on_domain_boundary():
    # y = (x1, 1) on [-1, 1]^2: y0 - y1 = x1 - 1 <= 0 on the box, tie on the
    # domain facet x1 = 1 (the domain row 1 - x1 >= 0 is dropped).  Literal
    # definition: a facet piece of the only region, counted once.
    net = [linear([[1, 0], [0, 0]], [0, 1])]
    details = db.decision_boundary_piece_details(net, 2, box(2, 1))
    assert set(details[((),)]) == {(0, 1)} and details[((),)][(0, 1)]["facet"]
    assert db.boundary_piece_count(net, 2, box(2, 1)) == 1
    # Tie line x1 = 2 outside the box: the restricted domain row is the
    # negative constant 1 - 2 = -1, the piece is impossible.
    net = [linear([[1, 0], [0, 0]], [0, 2])]
    assert db.decision_boundary_pieces(net, 2, box(2, 1)) == {((),): set()}


def test_three_outputs_equal_on_the_tie_line():
    # y = (x1, -x1, 0): on x1 = 0 all three are equal, so by the literal
    # definition each pair's tie set is the whole segment: 3 pieces (class 2
    # is never predicted -- the y_i - y_k rows are dropped as identically 0).
    net = [linear([[1, 0], [-1, 0], [0, 0]], [0, 0, 0])]
    assert db.decision_boundary_pieces(net, 2, box(2, 1)) == {((),): {(0, 1), (0, 2), (1, 2)}}
    # y = (x1, -x1, -1): y2 < 0 = y0 = y1 on the tie line: only (0, 1).
    net = [linear([[1, 0], [-1, 0], [0, 0]], [0, 0, -1])]
    assert db.decision_boundary_pieces(net, 2, box(2, 1)) == {((),): {(0, 1)}}


def test_one_dimensional_facet_piece():
    # n0 = 1: relu(x), relu(-x); y0 = r0 - r1 = x, y1 = -x.  Tie at the point
    # x = 0, the common end point of both regions: per-region 2, total 1.
    net = [relu([[1], [-1]], [0, 0]), linear([[1, -1], [-1, 1]], [0, 0])]
    pieces = db.decision_boundary_pieces(net, 1, box(1, 1))
    assert pieces == {((0, 1), ()): {(0, 1)}, ((1, 0), ()): {(0, 1)}}
    assert db.boundary_piece_count(net, 1, box(1, 1)) == 1
    # Move the tie to x = 1/2 (y1 = -x + 1): only inside region x >= 0.
    net = [relu([[1], [-1]], [0, 0]), linear([[1, -1], [-1, 1]], [0, 1])]
    assert db.decision_boundary_pieces(net, 1, box(1, 1)) == {((0, 1), ()): set(), ((1, 0), ()): {(0, 1)}}


def test_three_dimensional_plane():
    # n0 = 3, y = (x1 + x2 + x3, 0) on [-1, 1]^3: the plane through the origin
    # is a 2-dimensional piece.  y = (x1 + x2 + x3, 3): the plane touches the
    # cube at the corner (1, 1, 1) only: no piece.
    net = [linear([[1, 1, 1], [0, 0, 0]], [0, 0])]
    assert db.decision_boundary_pieces(net, 3, box(3, 1)) == {((),): {(0, 1)}}
    net = [linear([[1, 1, 1], [0, 0, 0]], [0, 3])]
    assert db.decision_boundary_pieces(net, 3, box(3, 1)) == {((),): set()}


def test_input_validation():
    with pytest.raises(ValueError):
        db.decision_boundary_pieces([relu([[1, 0]], [0])], 2, box(2, 1))  # no linear head
    with pytest.raises(ValueError):
        db.decision_boundary_pieces([linear([[1, 0]], [0])], 2, box(2, 1))  # one output


# ---------------------------------------------------------------------------
# 1-D cross-check: breakpoints + direct evaluation, no LP


def _forward(layers, x):
    """Network outputs at the scalar input x (plain evaluation)."""
    ys = [F(x)]
    for layer in layers:
        W, B = layer["weights"], layer["biases"]
        kind = layer["type"]
        if kind == "linear":
            ys = [sum((F(w) * y for w, y in zip(row, ys)), F(b)) for row, b in zip(W, B)]
        elif kind == "relu":
            ys = [max(F(0), sum((F(w) * y for w, y in zip(row, ys)), F(b))) for row, b in zip(W, B)]
        elif kind == "leaky_relu":
            a = F(layer["slope"])
            zs = [sum((F(w) * y for w, y in zip(row, ys)), F(b)) for row, b in zip(W, B)]
            ys = [max(a * z, z) for z in zs]
        elif kind == "maxout":
            ys = [
                max(sum((F(w) * y for w, y in zip(wk, ys)), F(bk)) for wk, bk in zip(Wu, Bu))
                for Wu, Bu in zip(W, B)
            ]
        else:
            raise ValueError(kind)
    return ys


def _expected_1d(layers, lo, hi):
    """{pattern: {pair: tie point}} from the breakpoint oracle and evaluation.

    On a region [a, b] each output is affine and the network is continuous, so
    the line of output k is read off the values at a and b.  Representatives
    are the first occurrences of distinct lines; a pair of representatives with
    different slopes ties at one point x*, which is a piece iff a <= x* <= b and
    every other representative is <= the tied value there.
    """
    out = {}
    for a, b, pattern in breakpoints1d.regions_1d(layers, lo, hi):
        fa, fb = _forward(layers, a), _forward(layers, b)
        lines = [((vb - va) / (b - a), va - (vb - va) / (b - a) * a) for va, vb in zip(fa, fb)]
        reps = [k for k, ln in enumerate(lines) if ln not in lines[:k]]
        found = {}
        for p, i in enumerate(reps):
            for j in reps[p + 1 :]:
                (si, ci), (sj, cj) = lines[i], lines[j]
                if si == sj:
                    continue
                x = (cj - ci) / (si - sj)
                if not a <= x <= b:
                    continue
                if all(lines[k][0] * x + lines[k][1] <= si * x + ci for k in reps):
                    found[(i, j)] = x
        out[pattern] = found
    return out


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
    m = r.randint(2, 3)
    W = [[num() for _ in range(width)] for _ in range(m)]
    B = [num() for _ in range(m)]
    if r.random() < 0.3:  # identical logits
        W[-1], B[-1] = list(W[0]), B[0]
    layers.append(linear(W, B))
    return layers


@pytest.mark.parametrize("span", [1, 2])
def test_one_dimensional_cross_check_random(span):
    # In 1-D a piece is a point x*; a facet piece is a region end point, seen
    # from at most the two regions sharing it, and two pieces overlap iff they
    # are the same point with the same pair.  So the deduplicated total must be
    # the number of distinct (x*, pair).
    r = random.Random(4242 + span)
    facet_seen = deduplicated = 0
    for _ in range(80):
        net = _random_1d_net(r, span)
        lo, hi = F(-3), F(3)
        expected = _expected_1d(net, lo, hi)
        got = db.decision_boundary_piece_details(net, 1, [(-lo, (F(1),)), (hi, (F(-1),))])
        assert {p: set(d) for p, d in got.items()} == {p: set(d) for p, d in expected.items()}
        distinct = {(x, pair) for d in expected.values() for pair, x in d.items()}
        assert db.boundary_piece_count(net, 1, [(-lo, (F(1),)), (hi, (F(-1),))]) == len(distinct)
        facet_seen += sum(info["facet"] for d in got.values() for info in d.values())
        deduplicated += sum(len(d) for d in expected.values()) - len(distinct)
    # the random family does exercise facet pieces and shared end points
    assert facet_seen > 0 and deduplicated > 0


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
        rows, _ = db.region_system(layers, 2, pattern, domain_rows)
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
