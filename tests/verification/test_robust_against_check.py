"""Two independent exact paths agree: the robustness radius, and check on L-infinity balls around it.

``robustness_radius`` enumerates the regions of growing balls and solves one exact LP per region and
class; ``check_property`` searches the ball with proven bounds and exact leaves. Below the radius
every ball must hold, above it every ball must be violated, and at the radius the ball is violated
exactly when the radius is attained (by a class below C, whose ties it wins).
"""

import random
from fractions import Fraction

import pytest

from polyregions import LinearLayer, Network, ReluLayer
from polyregions.analysis.robustness import robustness_radius
from polyregions.io.vnnlib import Case, Constraint, Property
from polyregions.verification.search import check_property


def _network(seed):
    rng = random.Random(seed)
    value = lambda: Fraction(rng.randint(-9, 9), rng.choice([1, 2, 4]))  # noqa: E731
    return Network(2, [ReluLayer([[value(), value()] for _ in range(5)], [value() for _ in range(5)]),
                       LinearLayer([[value() for _ in range(5)] for _ in range(3)],
                                   [value() for _ in range(3)])])


def _ball_property(point, eps, label, classes):
    """The VNN-LIB form of 'some input within eps of point has another class than label'."""
    output = []
    for j in range(classes):
        if j != label:
            row = [0] * (1 + 2 + classes)          # Y_j - Y_label >= 0 (> 0 for j > label: ties go low)
            row[3 + j], row[3 + label] = 1, -1
            output.append([Constraint(row, strict=j > label)])
    lower = [x - eps for x in point]
    upper = [x + eps for x in point]
    return Property(2, classes, [Case(lower, upper, (), output)])


@pytest.mark.parametrize("seed", range(8))
def test_balls_hold_below_the_radius_and_are_violated_above_it(seed):
    network = _network(seed)
    rng = random.Random(100 + seed)
    point = [Fraction(rng.randint(-4, 4), 2), Fraction(rng.randint(-4, 4), 2)]
    report = robustness_radius(network, point, "inf", max_radius=64)
    if report.status != "exact" or report.radius == 0:
        pytest.skip(f"radius status {report.status}, radius {report.radius}")
    d = report.radius
    for eps, expected in ((d * Fraction(99, 100), "holds"), (d * Fraction(101, 100), "violated"),
                          (d, "violated" if report.nearest.attained else "holds")):
        found = check_property(network, _ball_property(point, eps, report.label, 3))
        assert found.result == expected, (eps, d)
        if expected == "violated":
            assert max(abs(a - b) for a, b in zip(found.inputs, point)) <= eps
