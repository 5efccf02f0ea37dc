"""The native n-D geometry against the Python reference, output for output and in the same order.

The oracle is the reference backend itself: :func:`polyregions.geometry.incidence.cut_polytope`
(as :class:`~polyregions.enumeration.reference.IncidenceCell` chains it) for bounded cells, and
:meth:`~polyregions.enumeration.reference.DescriptionCell.cut` (cddlib through pycddlib) for any
cell. Both backends must give identical vertices, facets, rays and lines in identical order, so
every comparison is ``==`` on tuples.
"""

import random

import pytest

from polyregions.enumeration.kernel import CellReport, EngineOptions, KernelSetup, LayerPieces
from polyregions.enumeration.native import NativeKernel
from polyregions.enumeration.reference import DescriptionCell, ReferenceKernel
from polyregions.geometry.incidence import BoundedPolytope, cut_polytope
from polyregions.geometry.polytope import HPolytope, double_description
from polyregions.numbers import dot, primitive_vector

native = pytest.importorskip("polyregions.enumeration._native")
if not hasattr(native, "bounded_cut"):
    pytest.skip("the native module has no geometry bindings", allow_module_level=True)

HUGE = 2 ** 211 + 12345  # well beyond any machine integer
TOP, BOTTOM = 2 ** 63 - 1, -2 ** 63  # the ends of a C long


def unit(dim, i, sign=1):
    return tuple(sign if k == i else 0 for k in range(dim))


def box(dim, scale=1):
    """The box ``-scale <= x_i <= 2 scale`` as (facet rows, vertex rows)."""
    rows = []
    for i in range(dim):
        rows += [(scale, *unit(dim, i)), (2 * scale, *unit(dim, i, -1))]
    poly = HPolytope.from_inequalities(rows)
    return poly.rows, poly.point_rows


def simplex(dim, size=3):
    """``x_i >= 0, sum x_i <= size``."""
    rows = [(0, *unit(dim, i)) for i in range(dim)] + [(size, *(-1,) * dim)]
    poly = HPolytope.from_inequalities(rows)
    return poly.rows, poly.point_rows


def random_polytope(rng, dim, scale=1):
    """A box cut by a few random half-spaces that keep the origin inside."""
    rows = []
    for i in range(dim):
        rows += [(3 * scale, *unit(dim, i)), (3 * scale, *unit(dim, i, -1))]
    for _ in range(rng.randint(0, 4)):
        rows.append((rng.randint(1, 9) * scale, *[rng.randint(-4, 4) for _ in range(dim)]))
    poly = HPolytope.from_inequalities(rows)
    return poly.rows, poly.point_rows


def start(rng, dim):
    kind = rng.randrange(4)
    scale = HUGE if rng.random() < 0.25 else 1
    if kind == 0:
        return box(dim, scale)
    if kind == 1:
        return simplex(dim, rng.randint(1, 5) * scale)
    return random_polytope(rng, dim, scale)


def random_cut(rng, dim, points, facets):
    """A random cut, often degenerate: through vertices, along or against a facet, huge."""
    kind = rng.randrange(7)
    a = [rng.randint(-3, 3) for _ in range(dim)]
    if not any(a):
        a[0] = 1
    if kind == 0:  # through a vertex p / q: (-(a . p), q a)
        q, *p = rng.choice(points)
        return primitive_vector([-sum(x * y for x, y in zip(a, p)), *(q * v for v in a)])
    if kind == 1:  # through the midpoint of two vertices (often an edge or a diagonal)
        (q1, *p1), (q2, *p2) = rng.sample(points, 2) if len(points) > 1 else (points[0], points[0])
        mid = [x * q2 + y * q1 for x, y in zip(p1, p2)]
        return primitive_vector([-sum(x * y for x, y in zip(a, mid)), *(2 * q1 * q2 * v for v in a)])
    if kind == 2:  # a facet itself (redundant) or its outer side (thin)
        row = rng.choice(facets)
        return row if rng.random() < 0.5 else tuple(-v for v in row)
    if kind == 3:  # parallel to a facet through the centre of the box
        row = rng.choice(facets)
        return primitive_vector((0, *row[1:]))
    if kind == 4:  # huge coefficients
        return primitive_vector([rng.randint(-HUGE, HUGE) for _ in range(dim + 1)])
    return primitive_vector([rng.randint(-3, 3), *a])


def python_chain(facets, points, cuts, dim):
    """IncidenceCell.cut: each cut with the next free facet id; None once a cut leaves no interior."""
    poly = BoundedPolytope.from_generators(facets, points)
    for row in cuts:
        poly = cut_polytope(poly, row, max(poly.rows, default=-1) + 1, dim)
        if poly is None:
            return None
    slot = {f: k for k, f in enumerate(poly.rows)}
    incidence = tuple(tuple(sorted(slot[f] for f in inc)) for inc in poly.incidence)
    return poly.points, poly.facet_rows(), incidence


def cut_sequence(rng, dim, facets, points, length):
    """Random cuts drawn against the polytope as the Python chain cuts it (so degenerate ones hit)."""
    poly = BoundedPolytope.from_generators(facets, points)
    cuts = []
    for _ in range(length):
        row = random_cut(rng, dim, poly.points, poly.facet_rows())
        if rng.random() < 0.1 and cuts:
            row = cuts[-1]  # the same cut again
        cuts.append(row)
        poly = cut_polytope(poly, row, max(poly.rows, default=-1) + 1, dim)
        if poly is None:
            break
    return cuts


@pytest.mark.parametrize("dim", [1, 2, 3, 4, 5, 6])
def test_bounded_chains_match_the_reference(dim):
    rng = random.Random(dim)
    outcomes = set()
    for _ in range(60 if dim <= 4 else 25):
        facets, points = start(rng, dim)
        cuts = cut_sequence(rng, dim, facets, points, rng.randint(1, 6 if dim <= 4 else 4))
        expected = python_chain(facets, points, cuts, dim)
        assert native.bounded_cuts(facets, points, cuts, dim) == expected
        outcomes.add(expected is None)
    assert outcomes == {True, False}  # both kinds of result were met


@pytest.mark.parametrize("dim", [2, 3, 5])
def test_single_cuts_keep_facet_ids_like_the_reference(dim):
    # Ids count from first_id; a cut id may also be an existing facet's (the row is replaced in place).
    rng = random.Random(100 + dim)
    for trial in range(30):
        facets, points = start(rng, dim)
        row = random_cut(rng, dim, points, facets)
        first_id = rng.choice([0, 7])
        cut_id = rng.choice([first_id + len(facets), first_id + len(facets) + 5, first_id + 1])
        poly = cut_polytope(BoundedPolytope.from_generators(facets, points, first_id), row, cut_id, dim)
        expected = None if poly is None else (poly.points, poly.facet_rows())
        assert native.bounded_cut(facets, points, row, cut_id, dim, first_id) == expected, trial


@pytest.mark.parametrize("dim", [1, 2, 3, 4, 5])
def test_opposite_cuts_of_one_polytope_match_the_reference(dim):
    # A split cuts its parent by c, then by -c: the second cut reuses the first one's
    # vertices, in its own edge order. Sequences mix opposite pairs, repeats, a cut in
    # between (c, d, -c: the memo of c is gone by then) and one-sided cuts (c = a facet).
    rng = random.Random(300 + dim)
    for trial in range(40 if dim <= 4 else 20):
        facets, points = start(rng, dim)
        c, d = (random_cut(rng, dim, points, facets) for _ in range(2))
        minus = tuple(-v for v in c)
        cuts = rng.choice([(c, minus, c, minus), (minus, c), (c, d, minus, c), (d, c, minus, minus)])
        expected = [python_chain(facets, points, (row,), dim) for row in cuts]
        assert native.bounded_cut_each(facets, points, cuts, dim) == expected, trial


@pytest.mark.parametrize("dim", [1, 2, 3, 4, 5])
def test_splits_that_move_the_first_cells_vertices_match_the_reference(dim):
    # The walk's split: the first cut moves the vertices strictly inside it out of the parent
    # (its opposite drops them) and copies those on the hyperplane (random_cut often passes
    # through vertices); the opposite cut then takes the rest apart.
    rng = random.Random(500 + dim)
    on_cut = 0
    for trial in range(40 if dim <= 4 else 20):
        facets, points = start(rng, dim)
        c = random_cut(rng, dim, points, facets)
        on_cut += any(dot(c, p) == 0 for p in points)
        minus = tuple(-v for v in c)
        expected = [python_chain(facets, points, (row,), dim) for row in (c, minus)]
        assert native.bounded_split(facets, points, c, dim) == expected, trial
    assert on_cut > 3  # the vertices both cells keep were met


@pytest.mark.parametrize("scale", [TOP, TOP + 1, 2 ** 64, 2 ** 126, 2 ** 127 - 1, 2 ** 127])
def test_split_values_at_the_machine_integer_edges_match_the_reference(scale):
    # The cut's values at the vertices are summed in 128 bits with overflow checks, into
    # numbers kept from cut to cut: values just inside and just beyond 64 and 128 bits, in
    # one run, so that a number holding a big value is then given a small one and back.
    rng = random.Random(scale % 997)
    facets, points = box(3, scale)
    for trial in range(12):
        a = [rng.choice((TOP, BOTTOM, 1, -1, 0)) for _ in range(3)]
        if not any(a):
            a[0] = 1
        c = primitive_vector([rng.choice((0, 1, -1, TOP)), *a])
        expected = [python_chain(facets, points, (row,), 3) for row in (c, tuple(-v for v in c))]
        assert native.bounded_split(facets, points, c, 3) == expected, trial


def test_opposite_cuts_share_edges_in_either_order():
    # The square [-1, 2]^2 cut by x + 3 y <= 1 and by its opposite: both halves get the
    # new vertices (-1, 2/3) and (2, -1/3), each in the order its cut meets the edges.
    facets, points = box(2)
    c, minus = (1, -1, -3), (-1, 1, 3)
    first, second = native.bounded_cut_each(facets, points, (c, minus), 2)
    assert first == python_chain(facets, points, (c,), 2)
    assert second == python_chain(facets, points, (minus,), 2)
    assert {(3, -3, 2), (3, 6, -1)} <= set(first[0]) & set(second[0])


def test_an_edge_shared_by_two_polytopes_meets_each_cut_where_the_reference_says():
    # The two halves of the box [-1, 2]^3 (x <= 1/2 and x >= 1/2) share the edges of the
    # square x = 1/2. New vertices are remembered by their point (found again from any edge),
    # across polytopes: each half, cut by planes crossing those edges (two different ones,
    # each also negated), must still get the reference's vertices.
    facets, points = box(3)
    halves = [python_chain(facets, points, (row,), 3) for row in ((1, -2, 0, 0), (-1, 2, 0, 0))]
    planes = [(1, 0, -2, 0), (1, 0, -1, -1), (-1, 0, 2, 0), (-1, 0, 1, 1)]
    for half_points, half_facets, _ in halves:
        for row in planes:
            expected = python_chain(half_facets, half_points, (row,), 3)
            assert native.bounded_cut_each(half_facets, half_points, (row,), 3) == [expected]
        both = native.bounded_cut_each(half_facets, half_points, planes, 3)
        assert both == [python_chain(half_facets, half_points, (row,), 3) for row in planes]


def test_cutting_a_cube_into_its_corner_simplex():
    # x + y + z <= 1 keeps the corner (0, 0, 0) of the unit cube and the three
    # vertices next to it; the three outer facets x, y, z <= 1 lose all vertices but one.
    rows = [(0, 1, 0, 0), (1, -1, 0, 0), (0, 0, 1, 0), (1, 0, -1, 0), (0, 0, 0, 1), (1, 0, 0, -1)]
    cube = HPolytope.from_inequalities(rows)
    points, facets = native.bounded_cut(cube.rows, cube.point_rows, (1, -1, -1, -1), 6, 3)
    assert set(points) == {(1, 0, 0, 0), (1, 1, 0, 0), (1, 0, 1, 0), (1, 0, 0, 1)}
    assert set(facets) == {(0, 1, 0, 0), (0, 0, 1, 0), (0, 0, 0, 1), (1, -1, -1, -1)}


def test_rows_with_the_same_vertices_are_all_kept():
    # A facet given twice, or as a multiple, has the same vertex set as its twin:
    # neither is a proper subset of the other, so the reference keeps both.
    facets, points = box(3)
    twice = facets + (facets[0],)
    cut = (1, 1, 1, -1)
    poly = cut_polytope(BoundedPolytope.from_generators(twice, points), cut, len(twice), 3)
    got = native.bounded_cut(twice, points, cut, len(twice), 3)
    assert got == (poly.points, poly.facet_rows()) and got[1].count(facets[0]) == 2
    double = tuple(2 * v for v in facets[0])
    cell = DescriptionCell(facets, points, (), ()).cut((double, cut))
    got = native.description_cut(facets, points, (), (), (double, cut), 3)
    assert got == (cell.rows, cell.points, cell.rays, cell.lines) and double in got[0]


def test_new_vertices_are_primitive_and_huge_numbers_round_trip():
    # The segment [0, H] cut at x <= H / 3: the new vertex (3, H) stays exact.
    h = 3 ** 400 + 1
    facets, points = ((0, 1), (h, -1)), ((1, 0), (1, h))
    assert native.bounded_cut(facets, points, (h, -3), 2, 1) == (((1, 0), (3, h)), ((0, 1), (h, -3)))
    # (6, 2h) / gcd 2 is the primitive row (3, h).
    assert native.bounded_cut(facets, points, (2 * h, -6), 2, 1)[0][1] == (3, h)


def description_domains(rng, dim):
    """Bounded, unbounded and line-containing domains as (facets, points, rays, lines)."""
    orthant = [(0, *unit(dim, i)) for i in range(dim)]
    slab = [(1, *unit(dim, 0)), (1, *unit(dim, 0, -1))]
    shifted_cone = [(rng.randint(0, 3), *unit(dim, i)) for i in range(dim)] + [
        (HUGE, *(-1,) * dim)] * (dim > 1)
    systems = [box(dim)[0], simplex(dim, HUGE)[0], random_polytope(rng, dim)[0], orthant, slab,
               shifted_cone[:-1] if dim == 1 else shifted_cone]
    domains = []
    for rows in systems:
        poly = HPolytope.from_inequalities(rows, dim)
        domains.append((poly.rows, poly.point_rows, poly.ray_rows, poly.line_rows))
    whole = HPolytope.from_inequalities([], dim)
    domains.append((whole.rows, whole.point_rows, whole.ray_rows, whole.line_rows))
    return domains


def description_cuts(rng, dim, points, facets):
    """One to three cuts, as a candidate cell's, some degenerate and some leaving no interior."""
    pool = list(points) or [(1,) + (0,) * dim]
    cuts = [random_cut(rng, dim, pool, list(facets) or [(0, *unit(dim, 0))])
            for _ in range(rng.randint(1, 3))]
    if rng.random() < 0.15:
        cuts.append(tuple(-v for v in cuts[0]))  # a cut and its opposite: a hyperplane, no interior
    return tuple(cuts)


@pytest.mark.parametrize("dim", [1, 2, 3, 4, 5])
def test_description_cuts_match_the_reference(dim):
    rng = random.Random(200 + dim)
    outcomes = set()
    for _ in range(6 if dim <= 3 else 3):
        for facets, points, rays, lines in description_domains(rng, dim):
            cuts = description_cuts(rng, dim, points, facets)
            cell = DescriptionCell(facets, points, rays, lines).cut(cuts)
            expected = None if cell is None else (cell.rows, cell.points, cell.rays, cell.lines)
            assert native.description_cut(facets, points, rays, lines, cuts, dim) == expected
            outcomes.add(expected is None)
    assert outcomes == {True, False}


def test_description_of_a_cone_and_of_the_whole_space():
    # The quadrant x, y >= 0 cut by y <= x: the apex, the ray (1, 1) and the ray (1, 0).
    quadrant = ((0, 1, 0), (0, 0, 1))
    got = native.description_cut(quadrant, ((1, 0, 0),), ((0, 1, 0), (0, 0, 1)), (), ((0, 1, -1),), 2)
    expected = DescriptionCell(quadrant, ((1, 0, 0),), ((0, 1, 0), (0, 0, 1)), ()).cut(((0, 1, -1),))
    assert got == (expected.rows, expected.points, expected.rays, expected.lines)
    assert set(got[2]) == {(0, 1, 1), (0, 1, 0)} and got[0] == ((0, 0, 1), (0, 1, -1))
    # The plane cut by x >= 0: a half-plane with one line (the y axis).
    facets, points, rays, lines = native.description_cut((), ((1, 0, 0),), (), ((0, 1, 0), (0, 0, 1)),
                                                         ((0, 1, 0),), 2)
    assert facets == ((0, 1, 0),) and len(points) == 1 and len(rays) == 1 and len(lines) == 1


@pytest.mark.parametrize("dim", [1, 3, 5])
def test_double_description_matches_pycddlib_in_order(dim):
    rng = random.Random(300 + dim)
    for _ in range(8):
        rows = list(random_polytope(rng, dim, rng.choice([1, HUGE]))[0])
        rows += [random_cut(rng, dim, [(1,) + (0,) * dim], rows) for _ in range(2)]
        assert native.double_description(rows, dim) == double_description(rows, dim)


def test_integers_of_thousands_of_bits_round_trip():
    # 0 <= x <= 10^3000 (about 10,000 bits): pycddlib reads it back through text.
    n = 10 ** 3000
    rows = [(0, 1), (n, -1)]
    assert native.double_description(rows, 1) == double_description(rows, 1) == (((1, 0), (1, n)), (), ())
    # x <= n / 2 with n = 2^3000 5^3000: the new vertex (2, n) is made primitive, (1, n / 2).
    poly = cut_polytope(BoundedPolytope.from_generators(rows, ((1, 0), (1, n))), (n, -2), 2, 1)
    got = native.bounded_cut(rows, ((1, 0), (1, n)), (n, -2), 2, 1)
    assert got == (poly.points, poly.facet_rows()) and got[0] == ((1, 0), (1, n // 2))


def test_exactness_where_floats_cannot_tell():
    # The cut 2^200 x - (2^200 - 1) >= ... at the vertex x = 1 is +1: no float sees the sign.
    big = 2 ** 200
    facets, points = ((0, 1), (1, -1)), ((1, 0), (1, 1))
    cut = (-(big - 1), big)  # x >= 1 - 2^-200: keeps only a sliver next to x = 1
    assert native.bounded_cut(facets, points, cut, 2, 1) == (((1, 1), (big, big - 1)), ((1, -1), cut))
    assert dot(cut, (1, 1)) == 1


@pytest.mark.parametrize("call, message", [
    (lambda: native.bounded_cut([(0, 1, 0)], [(1, 0)], (1, 0, 0), 1, 2), "point 0 has 2 entries"),
    (lambda: native.bounded_cut([(0, 1)], [(1, 0)], (1, 0), 1, 0), "dimension must be at least 1"),
    (lambda: native.description_cut([], [(1, 0)], [], [(0, 1)], [(0, 1, 2)], 1), "cut 0 has 3"),
    (lambda: native.double_description([(0, "1")], 1), "expected an int"),
])
def test_bad_rows_are_refused_with_a_message(call, message):
    with pytest.raises((ValueError, TypeError), match=message):
        call()


def clip_chain(kernel, facets, points, cuts):
    """The cell after each cut in turn, as a CellReport; None once a cut leaves no interior."""
    cell = kernel.start(CellReport(facets, points, (), ()))
    for row in cuts:
        cell = kernel.cut(cell, (row,))
        if cell is None:
            return None
    return kernel.report(cell)


@pytest.mark.parametrize("bits", [3, 30, 61, 62, 63, 64, 100])
def test_polygon_clipping_matches_the_reference_at_the_word_edges(bits):
    # New vertices come from the cross product of the edge and cut rows in __int128 when
    # their entries fit a machine word (products of 2^63 overflow a difference of two of
    # them), else from a w - b v in GMP; both must be the reference's primitive vertex.
    layer = LayerPieces(rows=((0, 0, 0), (0, 1, -1)), slices=((0, 2),), rank=2)
    setup = KernelSetup(dim=2, layers=(layer,), options=EngineOptions())
    ours, reference = NativeKernel(setup), ReferenceKernel(setup)
    rng = random.Random(bits)
    top = 2 ** bits - 1
    crossed = 0
    for _ in range(40):
        # The box -top <= x_i <= 2 top (rows (top, 1, 0), (2 top, -1, 0), ...) and cuts with
        # every entry up to `top`, so near the origin, inside the box.
        facets, points = box(2, top)
        cuts = [primitive_vector([rng.randint(-top, top) for _ in range(3)])
                for _ in range(rng.randint(1, 4))]
        expected = clip_chain(reference, facets, points, cuts)
        assert clip_chain(ours, facets, points, cuts) == expected
        crossed += expected is not None and not set(expected.points) <= set(points)
    assert crossed > 10  # the cuts did make new vertices


def test_points_alike_modulo_the_cache_prime_stay_apart():
    # New vertices are remembered by their point modulo the prime p = 2^61 - 1, then checked
    # exactly against the cut and the edge's facets. On the box [-1, p + 1] x [-1, p - 1] x
    # [-1, 1] the planes x = 0 and x = p meet its edges along x at eight points, four of them
    # alike modulo p (those with z = 1): each cut must still get its own. A check of the cut
    # alone would give (0, p - 1, 1) the row of (0, -1, 1); of the facets alone, (p, -1, 1).
    prime = 2 ** 61 - 1
    poly = HPolytope.from_inequalities([(1, 1, 0, 0), (prime + 1, -1, 0, 0), (1, 0, 1, 0),
                                        (prime - 1, 0, -1, 0), (1, 0, 0, 1), (1, 0, 0, -1)])
    facets, points = poly.rows, poly.point_rows
    planes = [(0, 1, 0, 0), (-prime, 1, 0, 0), (prime, -1, 0, 0), (0, -1, 0, 0)]
    cuts = native.bounded_cut_each(facets, points, planes, 3)
    assert cuts == [python_chain(facets, points, (row,), 3) for row in planes]
    corners = {(y, z) for y in (-1, prime - 1) for z in (-1, 1)}
    assert {(1, 0, y, z) for y, z in corners} <= set(cuts[0][0])
    assert {(1, prime, y, z) for y, z in corners} <= set(cuts[1][0])


def test_a_point_reached_by_other_cuts_and_edges_is_the_references():
    # The point where x = 1/2, y = 1/3 and a box facet meet is made by the cut y = 1/3 on an
    # edge of the plane x = 1/2 in one chain, and by the cut x = 1/2 on an edge of the plane
    # y = 1/3 in the other: the second finds the first's row, and both equal the reference.
    facets, points = box(3)
    first, second = (1, -2, 0, 0), (1, 0, -3, 0)
    for cuts in ((first, second), (second, first), (first, (-1, 0, 3, 0)), ((-1, 2, 0, 0), second)):
        assert native.bounded_cuts(facets, points, cuts, 3) == python_chain(facets, points, cuts, 3)
