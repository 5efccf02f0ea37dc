"""The exact robustness radius against radii known by hand, dense sampling and the eps decision.

Oracles: closed forms (the distance to a hyperplane, the kinks of small 1-D and 2-D networks
worked out by hand), a dense grid of exact inputs evaluated with ``network.evaluate`` (no input
of another class strictly inside the radius), and :func:`robust_at`, which decides one radius
from the vertices of the ball's regions with no linear program: yes below the radius, no above.
"""

import itertools
from fractions import Fraction

import pytest

from polyregions import LinearLayer, Network, ReluLayer
from polyregions.analysis.robustness import (
    DEFAULT_MAX_RADIUS,
    Nearest,
    distance,
    predicted_class,
    robust_at,
    robustness_radius,
)
from polyregions.errors import UsageError

from ..networks import random_net

F = Fraction

# y0 = |x| = relu(x) + relu(-x), y1 = 1: class 1 on (-1, 1), class 0 where |x| >= 1 (ties to 0).
ABSOLUTE = Network(1, [ReluLayer([[1], [-1]], [0, 0]), LinearLayer([[1, 1], [0, 0]], [0, 1])])

# y0 = x1, y1 = x2, y2 = 0.
THREE = Network(2, [LinearLayer([[1, 0], [0, 1], [0, 0]], [0, 0, 0])])


def _linear(weights, bias):
    """y0 = w . x + b, y1 = 0: class 0 where w . x + b >= 0."""
    return Network(len(weights), [LinearLayer([weights, [0] * len(weights)], [bias, 0])])


def _class(network, point):
    return predicted_class(network.evaluate(point))


@pytest.mark.parametrize("norm", ["inf", "1"])
@pytest.mark.parametrize("weights, bias, point", [
    ([3], "-1/2", ["2"]), ([3], "-1/2", ["-5/7"]),
    ([1, 2], -1, [2, 1]), ([1, 2], -1, ["-1/3", 0]), (["-3/2", "5/4"], 7, [1, "1/9"]),
    ([2, -1, "1/3"], "1/5", [1, 1, 1]),
])
def test_a_linear_classifier_has_the_closed_form_distance_to_its_hyperplane(weights, bias, point,
                                                                            norm):
    network = _linear(weights, bias)
    w, b, x = [F(v) for v in weights], F(bias), [F(v) for v in point]
    margin = abs(sum(a * c for a, c in zip(w, x)) + b)
    dual = sum(abs(a) for a in w) if norm == "inf" else max(abs(a) for a in w)
    report = robustness_radius(network, point, norm)
    assert report.status == "exact" and report.radius == margin / dual
    # Class 0 holds the hyperplane (a tie goes to it): from class 1 the radius is attained.
    own = _class(network, x)
    assert report.label == own and report.attained == (own == 1)
    assert report.nearest.distance == report.radius
    assert distance(report.nearest.point, x, norm) == report.radius
    assert sum(a * c for a, c in zip(w, report.nearest.point)) + b == 0


def test_a_one_dimensional_relu_network_by_hand():
    # From 1/4 (class 1) the nearest class-0 input is 1, of class 0 itself.
    inside = robustness_radius(ABSOLUTE, ["1/4"])
    assert (inside.radius, inside.nearest.point, inside.nearest.label) == (F(3, 4), (1,), 0)
    assert inside.attained is True
    # From 3 (class 0) the class-1 inputs (-1, 1) are open: the radius 2 is not attained at 1.
    outside = robustness_radius(ABSOLUTE, [3], "1")
    assert (outside.radius, outside.nearest.point, outside.nearest.label) == (2, (1,), 0)
    assert outside.attained is False
    # From -1/2 the nearer side is -1.
    assert robustness_radius(ABSOLUTE, ["-1/2"]).nearest.point == (-1,)


def test_three_classes_by_hand():
    # From (2, 1), class 0: class 1 needs x2 > x1 (L-inf distance 1/2, L1 1), class 2 needs
    # 0 > x1 (distance 2). Ties go to class 0, so neither is attained.
    for norm, radius, nearest in [("inf", F(1, 2), (F(3, 2), F(3, 2))), ("1", 1, None)]:
        report = robustness_radius(THREE, [2, 1], norm)
        assert (report.label, report.radius, report.attained) == (0, radius, False)
        assert report.nearest.point[0] == report.nearest.point[1]  # on x1 = x2
        assert nearest is None or report.nearest.point == nearest
    # From (1, 2), class 1: class 0 wins ties, x1 >= x2 is attained at distance 1/2.
    report = robustness_radius(THREE, [1, 2])
    assert (report.label, report.radius, report.attained) == (1, F(1, 2), True)
    assert report.nearest.label == 0 and report.nearest.point == (F(3, 2), F(3, 2))


def test_a_point_on_the_decision_boundary_has_radius_zero():
    # (1, 1): y0 = y1 = 1 > 0, the tie goes to class 0; class 1 is just across, not at the point.
    report = robustness_radius(THREE, [1, 1])
    assert (report.label, report.radius, report.attained) == (0, 0, False)
    assert report.nearest.point == (1, 1) and report.decides(0) is True
    assert report.decides(F(1, 10 ** 9)) is False
    assert robust_at(THREE, [1, 1], 0).robust is True
    assert robust_at(THREE, [1, 1], F(1, 10 ** 9)).robust is False
    # At x = 1 the class of ABSOLUTE is 0 by the tie, and class 1 starts right below.
    assert robustness_radius(ABSOLUTE, [1]).radius == 0


def test_another_label_than_the_points_class_has_radius_zero_attained_at_the_point():
    report = robustness_radius(THREE, [2, 1], label=2)
    assert (report.radius, report.attained, report.nearest.point, report.nearest.label) == \
        (0, True, (2, 1), 0)
    assert report.decides(0) is False
    answer = robust_at(THREE, [2, 1], 0, label=2)
    assert answer.robust is False and answer.counterexample.point == (2, 1)


def test_identical_logits_tie_everywhere_and_go_to_the_lower_class():
    same = Network(2, [LinearLayer([[1, 1], [1, 1]], [0, 0])])
    whole = robustness_radius(same, [3, -1], max_radius=None)
    assert (whole.status, whole.radius, whole.lower_bound, whole.label) == ("infinite", None, None, 0)
    assert whole.decides(10 ** 9) is True and whole.to_json()["radius"] == "inf"
    assert robustness_radius(same, [3, -1], label=1).radius == 0


def test_a_tie_that_never_changes_the_class_is_no_boundary():
    # y0 = |x|, y1 = 0: they tie at 0 only, where class 0 wins: class 1 occurs nowhere. A piece
    # y1 >= y0 taken without its strictness would put a boundary at 0.
    tie = Network(1, [ReluLayer([[1], [-1]], [0, 0]), LinearLayer([[1, 1], [0, 0]], [0, 0])])
    assert robustness_radius(tie, [3], max_radius=None).status == "infinite"
    assert robust_at(tie, [3], 5).robust is True


def test_outputs_identical_on_a_region_decide_by_the_lower_index():
    # y0 = relu(x - 1), y1 = 2 relu(x - 1): equal (zero) for x <= 1, class 1 for x > 1.
    net = Network(1, [ReluLayer([[1]], [-1]), LinearLayer([[1], [2]], [0, 0])])
    below = robustness_radius(net, [0])
    assert (below.label, below.radius, below.attained) == (0, 1, False)
    above = robustness_radius(net, [2])
    assert (above.label, above.radius, above.attained, above.nearest.label) == (1, 1, True, 0)


def test_of_two_pieces_at_the_radius_the_one_of_another_class_is_reported():
    # y0 = x - 1, y1 = 0, y2 = -x - 1 through relu(x) - relu(-x) = x; from 0, class 1. Class 2
    # (x < -1, open) comes first, in the region x <= 0, and only ties at -1; class 0 (x >= 1,
    # closed, it wins ties) reaches distance 1 at 1, in the region found second.
    net = Network(1, [ReluLayer([[1], [-1]], [0, 0]),
                      LinearLayer([[1, -1], [0, 0], [-1, 1]], [-1, 0, -1])])
    report = robustness_radius(net, [0], start_radius=2)  # a ball holding both pieces
    assert (report.label, report.radius, report.attained, report.nearest.point) == (1, 1, True, (1,))
    assert robust_at(net, [0], 1).robust is False and report.decides(1) is False


def _grid(point, half, steps):
    axes = [[c - half + F(2 * half * k, steps) for k in range(steps + 1)] for c in point]
    return itertools.product(*axes)


# Random [2, 5, 5, 3] networks and points, with the radius attained (5, 8) and not (2, 4).
CASES = [(2, ["1/3", "-1/5"]), (4, ["-1", 1]), (5, [0, "1/2"]), (8, ["-1", 1])]


@pytest.mark.parametrize("norm", ["inf", "1"])
@pytest.mark.parametrize("seed, point", CASES)
def test_no_sample_of_another_class_lies_inside_the_radius(seed, point, norm):
    network = random_net(seed, 2, [5, 5], ["relu", "maxout"], outputs=3)
    report = robustness_radius(network, point, norm)
    x, label = tuple(F(v) for v in point), report.label
    assert report.status == "exact" and report.radius > 0
    nearest = report.nearest
    assert distance(nearest.point, x, norm) == report.radius == nearest.distance
    assert nearest.label == _class(network, nearest.point)
    assert nearest.attained == (nearest.label != label)
    samples = list(_grid(x, report.radius * F(5, 4), 20))
    # and the segment from the point to the nearest input, up to it
    samples += [tuple(c + F(k, 64) * (n - c) for c, n in zip(x, nearest.point)) for k in range(64)]
    others = [p for p in samples if _class(network, p) != label]
    assert others, "the samples must reach other classes"
    assert min(distance(p, x, norm) for p in others) >= report.radius
    # The nearest input is on the closure of the other classes: another class within any eps.
    for eps in (report.radius / 1000, F(1, 10 ** 12)):
        assert robust_at(network, nearest.point, eps, norm, label).robust is False


@pytest.mark.parametrize("norm", ["inf", "1"])
@pytest.mark.parametrize("seed, point", CASES)
def test_the_eps_decision_says_yes_below_the_radius_and_no_above(seed, point, norm):
    network = random_net(seed, 2, [5, 5], ["relu", "maxout"], outputs=3)
    report = robustness_radius(network, point, norm)
    d = report.radius
    for eps in (d / 2, d * F(999, 1000), d - F(1, 10 ** 12)):
        assert robust_at(network, point, eps, norm).robust is True
        assert report.decides(eps) is True
    for eps in (d + F(1, 10 ** 12), d * F(1001, 1000), 2 * d):
        answer = robust_at(network, point, eps, norm)
        assert answer.robust is False and report.decides(eps) is False
        example = answer.counterexample
        assert _class(network, example.point) != report.label
        assert distance(example.point, [F(v) for v in point], norm) <= eps
    assert robust_at(network, point, d, norm).robust is (not report.attained)
    assert report.decides(d) is (not report.attained)


def test_the_first_ball_changes_nothing():
    network = random_net(4, 2, [5, 5], ["relu", "maxout"], outputs=3)
    reports = [robustness_radius(network, [0, "1/2"], "1", start_radius=r)
               for r in (F(1, 4096), F(1, 3), 50)]
    assert len({(r.radius, r.nearest.point) for r in reports}) == 1
    assert reports[0].searched_radius < reports[2].searched_radius  # it grew from a small ball


def test_a_radius_equal_to_a_searched_ball_and_not_attained_is_found_in_the_next():
    # From 1 the class-1 inputs x < 0 are at distance 1, not attained: the ball of radius 1
    # holds no input of class 1, so the search must go on, and the answer stays 1.
    report = robustness_radius(_linear([1], 0), [1], start_radius=1)
    assert (report.radius, report.attained, report.searched_radius) == (1, False, 2)


def test_the_default_cap_reports_beyond_and_what_it_proves():
    report = robustness_radius(_linear([1], 0), [5000])
    assert (report.status, report.radius, report.lower_bound) == ("beyond", None, DEFAULT_MAX_RADIUS)
    assert report.decides(DEFAULT_MAX_RADIUS) is True and report.decides(2000) is None
    assert robustness_radius(_linear([1], 0), [5000], max_radius=10 ** 4).radius == 5000
    assert robustness_radius(_linear([1], 0), [5000], max_radius=None).radius == 5000


def test_a_limit_gives_bounds_around_the_radius():
    network = random_net(8, 2, [5, 5], ["relu", "maxout"], outputs=3)
    exact = robustness_radius(network, ["-1", 1], start_radius=4)
    for limit in (1, 3, 10, 20):
        report = robustness_radius(network, ["-1", 1], start_radius=4, max_regions=limit)
        if report.status == "exact":
            assert report.radius == exact.radius
            continue
        assert (report.status, report.stop_reason, report.radius) == ("stopped", "max_regions", None)
        assert report.lower_bound <= exact.radius
        if report.upper_bound is not None:
            assert report.upper_bound >= exact.radius and report.nearest.attained
            assert report.decides(report.upper_bound) is False
    assert robust_at(network, ["-1", 1], 10, max_regions=1).robust in (False, None)


@pytest.mark.parametrize("call, words", [
    (lambda: robustness_radius(THREE, [1]), "the point has 1 coordinates, but the network takes 2"),
    (lambda: robustness_radius(THREE, [1, 2], "2"), "the norm must be 'inf' or '1', got '2'"),
    (lambda: robustness_radius(THREE, [1, 2], label=3), "the label must be a class 0..2, got 3"),
    (lambda: robustness_radius(THREE, [1, 2], label=True), "got True"),
    (lambda: robustness_radius(Network(1, [LinearLayer([[1]], [0])]), [0]), "has 1"),
    (lambda: robustness_radius(THREE, [1, "x"]), "'x'"),
    (lambda: robustness_radius(THREE, [1, 2], max_radius=0), "max_radius must be above 0, got 0"),
    (lambda: robust_at(THREE, [1, 2], "-1/2"), "eps must be at least 0, got -1/2"),
    (lambda: robustness_radius(THREE, [1, 2], checkpoint="ck"), "takes no argument 'checkpoint'"),
    (lambda: robustness_radius(THREE, [1, 2], max_regions=0), "max_regions must be positive"),
])
def test_bad_input_is_one_line_naming_the_value(call, words):
    with pytest.raises(UsageError) as caught:
        call()
    assert words in str(caught.value) and "\n" not in str(caught.value)


def test_results_are_immutable_and_json_exact():
    report = robustness_radius(ABSOLUTE, ["1/4"])
    with pytest.raises(AttributeError):
        report.radius = F(1)
    with pytest.raises(AttributeError):
        report.nearest.point = (0,)
    assert isinstance(report.nearest, Nearest)
    data = report.to_json()
    assert (data["radius"], data["label"], data["attained"], data["norm"]) == ("3/4", 1, True, "inf")
    assert data["nearest"] == {"point": ["1"], "distance": "3/4", "class": 0, "attained": True}
    assert data["point"] == ["1/4"] and data["complete"] is True


def test_numbers_beyond_floats_change_only_the_first_ball():
    # Weights of 400 digits overflow a double: the first ball is then a plain guess, and the
    # radius stays exact: |10^400 x - 1| / 10^400 from x = 1 is 1 - 10^-400.
    big = 10 ** 400
    report = robustness_radius(_linear([big], -1), [1])
    assert report.radius == 1 - F(1, big) and report.attained is False
