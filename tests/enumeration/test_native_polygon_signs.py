"""The native polygon clip's certified float signs, against the reference, where floats cannot tell.

A native polygon keeps each vertex with its float image and decides the sign of a cut at a
vertex from the floats when their proven error bound settles it, exactly otherwise. Cuts
through a vertex (sign 0) or missing it by one unit of a huge coordinate (a relative 2^-bits)
are where a float sign would be wrong: the clipped polygons must be the reference's, vertex
for vertex and edge for edge. Checked to fail when the float sign is trusted without its bound.
"""

import random

import pytest

from polyregions import Box, Network, ReluLayer
from polyregions.enumeration import native
from polyregions.enumeration.kernel import EngineOptions, KernelSetup, LayerPieces
from polyregions.enumeration.native import NativeKernel
from polyregions.enumeration.reference import ReferenceKernel
from polyregions.geometry.polytope import HPolytope
from polyregions.numbers import dot, primitive_vector
from tests.enumeration.test_native import compare
from tests.enumeration.test_native_geometry import clip_chain as report_after

pytestmark = pytest.mark.skipif(native.load() is None,
                                reason=f"no native kernel: {native.unavailable_reason()}")

LAYER = LayerPieces(rows=((0, 0, 0), (0, 1, -1)), slices=((0, 2),), rank=2)
SETUP = KernelSetup(dim=2, layers=(LAYER,), options=EngineOptions())


def through(rng, vertex, offset, size):
    """A primitive cut row whose value at the homogeneous `vertex` (q, x, y) has the sign of `offset`.

    With small coefficients for x and y and the vertex's huge ones, the value is 0 or a unit
    against terms of the vertex's size: no float has its sign.
    """
    a, b = rng.randint(-size, size) or 1, rng.randint(-size, size)
    q, x, y = vertex
    rest = offset - a * x - b * y
    # (c0, a, b) . (q, x, y) = offset when q divides the rest; else q times it, scaled by q.
    cut = primitive_vector([rest // q, a, b] if rest % q == 0 else [rest, a * q, b * q])
    assert (dot(cut, vertex) > 0) - (dot(cut, vertex) < 0) == (offset > 0) - (offset < 0)
    return cut


@pytest.mark.parametrize("bits", [30, 62, 63, 64, 126, 127, 128, 200])
@pytest.mark.parametrize("offset", [0, 1, -1])
def test_cuts_through_and_next_to_vertices_clip_as_the_reference(bits, offset):
    ours, reference = NativeKernel(SETUP), ReferenceKernel(SETUP)
    rng = random.Random(bits * 3 + offset)
    top = 2 ** bits - 1
    poly = HPolytope.from_inequalities([(top, 1, 0), (top, -1, 0), (top - 1, 0, 1), (top, 0, -1),
                                        (2 * top - 3, 1, 1)])
    facets, points = poly.rows, poly.point_rows
    clipped = 0
    for _ in range(12):
        # A random cut near the centre makes rational vertices; then cuts through (or one unit
        # next to) a vertex of the result: only the sign at that vertex is in doubt.
        cuts = [primitive_vector([rng.randint(-top, top) // 4, rng.randint(1, 9), rng.randint(-9, 9)])]
        report = report_after(reference, facets, points, cuts)
        for _ in range(3):
            if report is None:
                break
            cuts.append(through(rng, rng.choice(report.points), offset, 2 ** rng.choice((3, 40, 70))))
            report = report_after(reference, facets, points, cuts)
            assert report_after(ours, facets, points, cuts) == report
            clipped += report is not None
    assert clipped > 5


@pytest.mark.parametrize("bits", [62, 63, 64, 127, 128])
def test_a_cut_along_an_edge_and_one_a_unit_off_it(bits):
    # The cut row of an edge itself (every vertex of that edge is on it) and the same row moved
    # by one unit, inwards and outwards: the floats of a vertex on the cut cannot have a sign.
    ours, reference = NativeKernel(SETUP), ReferenceKernel(SETUP)
    top = 2 ** bits + 1
    poly = HPolytope.from_inequalities([(top, 1, 0), (top, -1, 0), (top, 0, 1), (top, 0, -1),
                                        (top, 1, 1)])
    facets, points = poly.rows, poly.point_rows
    for row in facets:
        for shift in (0, 1, -1):
            cut = (row[0] + shift, *row[1:])
            expected = report_after(reference, facets, points, [cut])
            assert report_after(ours, facets, points, [cut]) == expected
            opposite = tuple(-v for v in cut)
            assert report_after(ours, facets, points, [opposite]) == \
                report_after(reference, facets, points, [opposite])


def test_networks_whose_lines_meet_in_one_point_give_the_reference_regions():
    # ReLU lines 3a x + 7b y - (a + b) = 0, all through the point (1/3, 1/7), with coefficients
    # of 2^100, and a second layer whose line passes there too: clips meet vertices on the cut.
    big = 2 ** 100
    pairs = [(big, 1), (1, -big), (big + 1, big), (5, 3), (-4, 1)]
    first = ReluLayer([[3 * a, 7 * b] for a, b in pairs], [-(a + b) for a, b in pairs])
    net = Network(2, [first, ReluLayer([[1, -1, 1, -1, 1]], [0])])
    for options in (EngineOptions(), EngineOptions(float_filter=False)):
        assert compare(net, Box.cube(2, -1, 1), options) >= 10
