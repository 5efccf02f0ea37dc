"""Counting a 2-D network's last-layer regions without cutting them (the native count).

When the native walk only counts, a polygon at the last layer with a pattern whose units have
two pieces each is not cut: its regions are the faces of the units' lines inside it, counted
as 1 + (distinct lines through the interior) + (their distinct crossing points inside, each
with its multiplicity less one). Every count here is checked against an oracle that does not
count that way: the analytic number of faces of the arrangement (concurrent lines, lines equal
up to sign or scale, crossings on the boundary, lines through vertices or along edges, parallel
lines), and the Python reference backend, which cuts every region. Limits must stop such a count
exactly where they stop a count of regions made one by one.
"""

import random
from fractions import Fraction

import pytest

from polyregions import (
    Box,
    LeakyReluLayer,
    LimitReached,
    MaxoutLayer,
    Network,
    ReluLayer,
    Slice,
    count_regions,
    iter_regions,
)
from polyregions.enumeration import native
from polyregions.enumeration.kernel import EngineOptions
from polyregions.enumeration.run import LimitedRun, count_serially

pytestmark = pytest.mark.skipif(native.load() is None,
                                reason=f"no native kernel: {native.unavailable_reason()}")

NATIVE = EngineOptions(kernel="native")
REFERENCE = EngineOptions(kernel="python")
SQUARE = Box.cube(2, -1, 1)


def lines(*rows):
    """A one-layer ReLU network whose units' lines are ``a x + b y + c = 0`` for rows (a, b, c)."""
    return Network(2, [ReluLayer([row[:2] for row in rows], [row[2] for row in rows])])


def behind(net, first=((1, 0, 5), (0, 1, 5))):
    """`net`'s layer behind a first layer that is the identity on the square, shifted (x + 5 > 0).

    The last layer then sees the square through a map of its own, as a deeper network's last
    layer does; its lines are the same, moved by the shift.
    """
    layer = net.layers[0]
    weights, biases = layer.weights, layer.biases
    shifted = [b - w[0] * first[0][2] - w[1] * first[1][2] for w, b in zip(weights, biases)]
    return Network(2, [ReluLayer([row[:2] for row in first], [row[2] for row in first]),
                       ReluLayer(weights, shifted)])


def counted(net, domain=SQUARE, options=NATIVE):
    return count_serially(net, domain, options=options)


POINT = (Fraction(1, 3 ** 25), Fraction(-1, 7 ** 18))

# (rows of the lines, faces of their arrangement in the open square (-1, 1)^2)
ARRANGEMENTS = {
    # m lines through one interior point: 2m faces
    "four concurrent": (((1, 0, 0), (0, 1, 0), (1, 1, 0), (1, -1, 0)), 8),
    "three concurrent off centre": (((1, 0, "-1/3"), (0, 1, "-1/4"), (3, -4, 0)), 6),
    # four through a point whose coordinates need 40 and 50 bits: the rows' floats are rounded
    "four concurrent, rounded": (tuple((a, b, -a * POINT[0] - b * POINT[1])
                                       for a, b in ((1, 0), (0, 1), (1, 1), (2, -3))), 8),
    # two crossings in general position plus a third line through one of them
    "a triple point and two simple ones": (((1, 0, 0), (0, 1, 0), (1, 1, 0), (1, 0, "-1/2")), 9),
    # the same line from three units: as row, negated and scaled
    "one line thrice": (((1, 2, "1/2"), (-1, -2, "-1/2"), (3, 6, "3/2")), 2),
    "equal lines and a crossing": (((1, 0, 0), (-2, 0, 0), (0, 1, 0)), 4),
    # the diagonals run through the corners: their ends are vertices
    "diagonals": (((1, -1, 0), (1, 1, 0)), 4),
    # lines that meet on the boundary, at a vertex or inside an edge, do not cross inside
    "meeting at a corner": (((1, -1, 0), (1, -2, 1)), 3),
    "meeting on an edge": (((1, 1, -1), (1, -1, -1)), 3),
    "meeting on an edge, crossing a third": (((1, 1, -1), (1, -1, -1), (1, 0, "-1/2")), 6),
    "three meeting on an edge": (((1, 1, -1), (1, -1, -1), (0, 1, 0)), 4),
    # both ends on the same two edges, crossing inside or not
    "crossing between two edges": (((1, "1/4", 0), (1, "-1/4", 0)), 4),
    "between two edges, not crossing": (((1, "1/4", "-1/2"), (1, "-1/4", "1/2")), 3),
    "parallel": (((1, 0, 0), (1, 0, "-1/2"), (1, 0, "1/2")), 4),
    # on the boundary only: along an edge, through a corner, outside
    "along an edge": (((1, 0, -1), (0, 1, 1), (0, 1, 0)), 2),
    "touching a corner": (((1, 1, -2), (1, 0, 0)), 2),
    "outside": (((1, 0, 3), (0, 1, 0)), 2),
    # four lines, six crossings all inside and distinct
    "general position": (((1, "1/5", "-1/10"), ("1/3", 1, "1/7"), (1, -1, "1/9"), (1, 1, "-1/11")), 11),
}


@pytest.mark.parametrize("name", sorted(ARRANGEMENTS))
def test_the_count_is_the_arrangements_number_of_faces(name):
    rows, faces = ARRANGEMENTS[name]
    net = lines(*rows)
    assert counted(net) == (faces, faces)
    assert counted(behind(net)) == (faces, faces)
    assert sum(1 for _ in iter_regions(net, SQUARE, options=REFERENCE)) == faces


def test_a_count_in_many_polygons_is_the_reference_count():
    """A first layer cuts the square; the last layer's lines run through its vertices."""
    first = ReluLayer([[1, 0], [0, 1], [1, 1], [1, -1], [2, 1]], [0, 0, 0, "1/2", "-1/2"])
    last = ReluLayer([[1, 0, 0, 1, 0], [0, 1, -1, 0, 1], [1, 1, 1, 0, 0], [1, -1, 0, 1, -1],
                      [2, 0, 0, 2, 0], [0, 0, 1, -1, 1]], [0, 0, 0, "1/2", 0, "-1/3"])
    net = Network(2, [first, last])
    expected = sum(1 for _ in iter_regions(net, SQUARE, options=REFERENCE))
    assert counted(net) == (expected, expected)


def small_integer_network(rng, kind):
    """Weights in -2..2: concurrent lines, equal lines and lines through vertices abound."""
    def entries(count):
        return [rng.randint(-2, 2) for _ in range(count)]

    layers, inputs = [], 2
    for _ in range(rng.choice([1, 2, 2, 3])):
        units = rng.randint(2, 6)
        if kind == "maxout":
            layers.append(MaxoutLayer([[entries(inputs), entries(inputs)] for _ in range(units)],
                                      [entries(2) for _ in range(units)]))
        elif kind == "leaky":
            layers.append(LeakyReluLayer("1/4", [entries(inputs) for _ in range(units)],
                                         entries(units)))
        else:
            layers.append(ReluLayer([entries(inputs) for _ in range(units)], entries(units)))
        inputs = units
    return Network(2, layers)


@pytest.mark.parametrize("kind", ["relu", "leaky", "maxout"])
def test_degenerate_networks_count_as_the_reference_enumerates(kind):
    rng = random.Random(kind)
    for _ in range(40):
        net = small_integer_network(rng, kind)
        box = Box.cube(2, -rng.randint(1, 3), rng.randint(1, 3))
        regions = list(iter_regions(net, box, options=REFERENCE))
        assert counted(net, box) == (len(regions), len(regions))
        assert count_regions(net, box, options=NATIVE) == len(regions)


def test_a_slice_of_a_wider_network_counts_as_the_reference():
    rng = random.Random(5)
    layers, inputs = [], 5
    for units in (6, 6):
        layers.append(ReluLayer([[Fraction(rng.randint(-9, 9), 7) for _ in range(inputs)]
                                 for _ in range(units)], [Fraction(rng.randint(-5, 5), 3)
                                                          for _ in range(units)]))
        inputs = units
    net = Network(5, layers)
    plane = Slice([0, 0, 0, 0, 0], [1, 0, 1, 0, 0], [0, 1, 0, -1, 1], [-2, -2], [2, 2])
    expected = sum(1 for _ in iter_regions(net, plane, options=REFERENCE))
    assert expected > 20
    assert count_regions(net, plane, options=NATIVE) == expected


def test_units_of_more_pieces_are_counted_by_cutting():
    """A rank-3 unit in the last layer: the count cuts, and still agrees."""
    net = Network(2, [ReluLayer([[1, 0], [0, 1], [1, 1]], [0, 0, "-1/2"]),
                      MaxoutLayer([[[1, 0, 0], [0, 1, 0], [0, 0, 1]], [[1, -1, 0], [0, 0, 0]]],
                                  [[0, 0, 0], ["1/3", 0]])])
    expected = sum(1 for _ in iter_regions(net, SQUARE, options=REFERENCE))
    assert counted(net) == (expected, expected)


def test_without_the_float_filter_the_count_is_the_same():
    net = lines(*ARRANGEMENTS["four concurrent"][0])
    assert counted(net, options=EngineOptions(kernel="native", float_filter=False)) == (8, 8)


def test_limits_stop_the_count_where_they_stop_regions_made_one_by_one():
    net = lines(*ARRANGEMENTS["general position"][0])  # 11 regions, all in the domain's one polygon
    assert count_serially(net, SQUARE, max_regions=11, options=NATIVE) == (11, 11)
    with pytest.raises(LimitReached):
        count_serially(net, SQUARE, max_regions=10, options=NATIVE)
    run = LimitedRun(net, SQUARE, max_regions=7, options=NATIVE)
    assert run.tally() == 7 and run.stop_reason == "max_regions"
    run = LimitedRun(net, SQUARE, max_regions=11, options=NATIVE)
    assert run.tally() == 11 and run.stop_reason is None


ROUNDED = [Fraction(1, 3 ** 25), Fraction(-1, 7 ** 18), Fraction(2, 3 ** 31), Fraction(-5, 11 ** 15)]


@pytest.mark.parametrize("q", ROUNDED)
def test_lines_meeting_on_an_edge_at_a_rounded_point_do_not_cross(q):
    """Both pass through (1, q) on the right edge: floats alone cannot order their ends there."""
    net = lines((1, 1, -1 - q), (1, -1, -1 + q), (1, 3, -1 - 3 * q), (1, 0, "-1/2"))
    # the three through (1, q) give 4 faces; x = 1/2 crosses all three inside
    assert counted(net) == (8, 8)


@pytest.mark.parametrize("q", ROUNDED)
def test_lines_through_a_rounded_vertex_meet_there(q):
    """A first layer's lines x = q and y = q make a vertex (q, q); the last layer's run through it."""
    first = ReluLayer([[1, 0], [0, 1]], [-q, -q])
    # over x' = relu(x - q), y' = relu(y - q): lines x' = 2 y' and x' = -3 y' + ... through (q, q)
    last = ReluLayer([[1, -2], [2, 1], [1, 1], [3, -1]], [0, 0, "-1/5", "1/7"])
    net = Network(2, [first, last])
    expected = sum(1 for _ in iter_regions(net, SQUARE, options=REFERENCE))
    assert counted(net) == (expected, expected)
