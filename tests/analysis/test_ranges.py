"""Exact output ranges, against analytic ranges, dense sampling and a vertex-by-vertex oracle.

The oracle enumerates every region with the Python reference kernel and evaluates
the network by its exact forward pass (``Network.evaluate``, not the regions' maps)
at every vertex of every region: for a bounded domain the range is attained there.
"""

import itertools
from fractions import Fraction

import pytest

from polyregions import (
    Box,
    EngineOptions,
    LinearLayer,
    Network,
    PolytopeDomain,
    ReluLayer,
    Slice,
    UsageError,
    WholeSpace,
    enumerate_regions,
)
from polyregions.analysis import maps
from polyregions.analysis.ranges import MAX_RANGE_DIMENSION, output_ranges
from polyregions.errors import NumberFormatError

from ..networks import random_net

# |x| = relu(x) + relu(-x).
ABSOLUTE = Network(1, [ReluLayer([[1], [-1]], [0, 0]), LinearLayer([[1, 1]], [0])])

# y0 = relu(x1) - relu(x2), y1 = relu(x1 + x2) + 1.
TWO_OUTPUTS = Network(2, [ReluLayer([[1, 0], [0, 1], [1, 1]], [0, 0, 0]),
                          LinearLayer([[1, -1, 0], [0, 0, 1]], [0, 1])])

RANDOM_CASES = [  # (seed, input_dim, widths, kinds)
    (1, 2, [3, 3], ["relu", "relu"]),
    (2, 2, [4], ["maxout"]),
    (3, 2, [3, 2], ["leaky_relu", "maxout"]),
    (4, 1, [4, 3], ["relu", "relu"]),
    (5, 3, [3], ["relu"]),
]


def _values(network, point, objective=None):
    outputs = network.evaluate(point)
    if objective is None:
        return outputs
    weights, constant = objective[:len(outputs)], (objective[len(outputs):] or [0])[0]
    return (sum(Fraction(c) * y for c, y in zip(weights, outputs)) + Fraction(constant),)


def _oracle(network, domain, objective=None):
    """(min, max) per target: the forward pass at every vertex of every reference region."""
    result = enumerate_regions(network, domain, options=EngineOptions(kernel="python"))
    values = [_values(network, domain.input_point(v), objective)
              for region in result for v in region.polytope.vertices]
    return [(min(column), max(column)) for column in zip(*values)]


def _check_attained(network, domain, report, objective=None):
    """Each finite end's point is in the domain, and the forward pass there gives the end exactly."""
    for index, output in enumerate(report.outputs):
        for end in (output.minimum, output.maximum):
            assert end.is_finite and end.ray is None
            assert _values(network, end.point, objective)[index] == end.value
            if isinstance(domain, Box):
                assert all(lo <= x <= hi for lo, x, hi in zip(domain.lower, end.point, domain.upper))


def test_absolute_value_on_an_interval():
    [y] = output_ranges(ABSOLUTE, Box([-2], [1])).outputs
    assert (y.minimum.value, y.minimum.point) == (0, (0,))
    assert (y.maximum.value, y.maximum.point) == (2, (-2,))
    assert y.to_json() == {"name": "y0", "min": "0", "max": "2", "argmin": ["0"], "argmax": ["-2"],
                           "min_ray": None, "max_ray": None}


def test_an_objective_is_ranged_instead_of_the_outputs():
    report = output_ranges(ABSOLUTE, Box([-2], [1]), ["-1/2", 5])  # 5 - |x| / 2
    [objective] = report.outputs
    assert objective.name == "objective" and report.objective == (Fraction(-1, 2), 5)
    assert (objective.minimum.value, objective.minimum.point) == (4, (-2,))
    assert (objective.maximum.value, objective.maximum.point) == (5, (0,))


@pytest.mark.parametrize("case", RANDOM_CASES, ids=lambda c: f"seed{c[0]}")
def test_ranges_equal_the_vertex_oracle_of_the_reference_kernel(case):
    seed, input_dim, widths, kinds = case
    network = random_net(seed, input_dim, widths, kinds, outputs=2)
    domain = Box.cube(input_dim, -2, "3/2")
    report = output_ranges(network, domain)
    assert report.complete and report.regions == len(enumerate_regions(network, domain))
    assert [(o.minimum.value, o.maximum.value) for o in report.outputs] == _oracle(network, domain)
    _check_attained(network, domain, report)


@pytest.mark.parametrize("objective", [[1, 1], ["-3/2", "1/3", 7], [0, 0, 2]])
def test_objectives_equal_the_vertex_oracle(objective):
    network = random_net(11, 2, [3, 3], ["relu", "maxout"], outputs=2)
    domain = Box([-1, -2], [2, 1])
    report = output_ranges(network, domain, objective)
    [only] = report.outputs
    assert [(only.minimum.value, only.maximum.value)] == _oracle(network, domain, objective)
    _check_attained(network, domain, report, objective)


def test_no_sample_of_a_dense_grid_falls_outside_the_range():
    network = random_net(7, 2, [4, 3], ["relu", "relu"], outputs=3)
    domain = Box([-1, -1], [1, 1])
    report = output_ranges(network, domain)
    grid = [Fraction(k, 20) for k in range(-20, 21)]
    samples = [network.evaluate(p) for p in itertools.product(grid, grid)]
    for i, output in enumerate(report.outputs):
        column = [s[i] for s in samples]
        assert output.minimum.value <= min(column) and max(column) <= output.maximum.value
    _check_attained(network, domain, report)


def test_a_slice_reports_its_points_as_network_inputs():
    domain = Slice([0, 0, 0], [1, 0, 0], [0, 0, 2], [-1, -1], [1, 1])
    network = Network(3, [ReluLayer([[1, 0, 1]], [0]), LinearLayer([[1]], [0])])  # relu(x1 + x3)
    [y] = output_ranges(network, domain).outputs
    assert (y.maximum.value, y.maximum.point) == (3, (1, 0, 2))
    assert network.evaluate(y.maximum.point) == (3,)


def _along(network, ray, index, t):
    return network.evaluate([p + t * d for p, d in zip(ray.point, ray.direction)])[index]


def _assert_unbounded(network, end, index, sign):
    """Along the ray the output is affine with a slope of the given sign, so unbounded."""
    assert not end.is_finite and end.value is None and end.point is None
    at = [_along(network, end.ray, index, t) for t in (0, 1, 2, 1000)]
    assert at[2] - at[1] == at[1] - at[0] and sign * (at[1] - at[0]) > 0
    assert at[3] - at[0] == 1000 * (at[1] - at[0])


def test_unbounded_domains_give_infinite_ends_with_a_ray_showing_it():
    report = output_ranges(TWO_OUTPUTS, WholeSpace(2))
    y0, y1 = report.outputs
    _assert_unbounded(TWO_OUTPUTS, y0.minimum, 0, -1)
    _assert_unbounded(TWO_OUTPUTS, y0.maximum, 0, +1)
    _assert_unbounded(TWO_OUTPUTS, y1.maximum, 1, +1)
    assert y1.minimum.value == 1 and TWO_OUTPUTS.evaluate(y1.minimum.point)[1] == 1
    assert y0.to_json()["min"] == "-inf" and y0.to_json()["max"] == "inf"
    assert y0.to_json()["min_ray"]["direction"] == [str(d) for d in y0.minimum.ray.direction]


def test_an_output_bounded_on_an_unbounded_domain_has_a_finite_range():
    # relu(x1) - relu(x2) on the quadrant x1 <= 0, x2 <= 0: always 0.
    quadrant = PolytopeDomain([[0, -1, 0], [0, 0, -1]])
    y0, y1 = output_ranges(TWO_OUTPUTS, quadrant).outputs
    assert (y0.minimum.value, y0.maximum.value) == (0, 0)
    assert (y1.minimum.value, y1.maximum.value) == (1, 1)


def test_a_line_in_the_domain_makes_both_ends_infinite():
    # The strip -1 <= x2 <= 1 holds the lines along x1; y = x1 itself, through a relu pair.
    strip = PolytopeDomain([[1, 0, 1], [1, 0, -1]])
    network = Network(2, [LinearLayer([[1, 0]], [0])])
    [y] = output_ranges(network, strip).outputs
    _assert_unbounded(network, y.minimum, 0, -1)
    _assert_unbounded(network, y.maximum, 0, +1)


def test_a_limit_makes_the_report_partial_and_its_ends_lie_inside_the_range():
    network = random_net(1, 2, [3, 3], ["relu", "relu"], outputs=2)
    domain = Box.cube(2, -2, 2)
    full = output_ranges(network, domain)
    partial = output_ranges(network, domain, max_regions=2)
    assert full.complete and not partial.complete
    assert partial.stop_reason == "max_regions" and partial.regions == 2
    for whole, seen in zip(full.outputs, partial.outputs):
        assert whole.minimum.value <= seen.minimum.value <= seen.maximum.value <= whole.maximum.value
    assert any((whole.minimum.value, whole.maximum.value) != (seen.minimum.value, seen.maximum.value)
               for whole, seen in zip(full.outputs, partial.outputs))


def test_workers_give_the_same_report():
    network = random_net(2, 2, [4], ["maxout"], outputs=2)
    domain = Box.cube(2, -1, 1)
    serial, parallel = output_ranges(network, domain), output_ranges(network, domain, workers=2)
    assert [o.to_json() for o in serial.outputs] == [o.to_json() for o in parallel.outputs]


def _simplex(dim):
    """x >= 0, sum x <= 1: a domain of any dimension with few vertices."""
    rows = [[0] + [int(i == j) for j in range(dim)] for i in range(dim)]
    return PolytopeDomain(rows + [[1] + [-1] * dim])


def test_a_domain_above_the_dimension_threshold_is_refused_at_once():
    big = MAX_RANGE_DIMENSION + 1
    network = Network(big, [ReluLayer([[1] * big], [0])])
    with pytest.raises(UsageError, match=rf"{big}-dimensional domain .* above {MAX_RANGE_DIMENSION} "
                                         r"are refused; take a 2-D slice"):
        output_ranges(network, _simplex(big))
    small = Network(MAX_RANGE_DIMENSION, [ReluLayer([[1] * MAX_RANGE_DIMENSION], ["-1/2"])])
    [y] = output_ranges(small, _simplex(MAX_RANGE_DIMENSION)).outputs
    assert (y.minimum.value, y.maximum.value) == (0, Fraction(1, 2))


@pytest.mark.parametrize("objective, error, words", [
    ([1], UsageError, "the objective has 1 numbers ['1'], but the network has 2 outputs"),
    ([1, 2, 3, 4], UsageError, "give 2 weights, or 3 with a constant last"),
    (["1", "x"], NumberFormatError, "'x'"),
])
def test_a_bad_objective_is_refused_naming_it(objective, error, words):
    with pytest.raises(error) as caught:
        output_ranges(TWO_OUTPUTS, Box.cube(2, -1, 1), objective)
    assert words in str(caught.value) and "\n" not in str(caught.value)


def test_maps_composed_in_several_batches_equal_the_vertex_oracle(monkeypatch):
    # Batches of 3 regions: the batch boundaries fall everywhere in this small enumeration.
    monkeypatch.setattr(maps, "BATCH", 3)
    network = random_net(11, 2, [3, 3], ["relu", "maxout"], outputs=2)
    domain = Box.cube(2, -2, "3/2")
    report = output_ranges(network, domain)
    assert report.regions > 2 * maps.BATCH and report.regions % maps.BATCH != 0
    assert [(o.minimum.value, o.maximum.value) for o in report.outputs] == _oracle(network, domain)
    _check_attained(network, domain, report)
