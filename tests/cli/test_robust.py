"""``polyregions robust``: radii known by hand, a bisection over --eps, limits, one-line errors."""

import json
from fractions import Fraction

import pytest

from polyregions import network_from_dict
from polyregions.analysis.robustness import distance, predicted_class
from tests.cli_helpers import assert_one_line_error, run

# y0 = |x| = relu(x) + relu(-x), y1 = 1: class 1 on (-1, 1), class 0 where |x| >= 1.
ABSOLUTE = {"format": "polyregions/network-v1", "input_dim": 1, "layers": [
    {"type": "relu", "weights": [[1], [-1]], "biases": [0, 0]},
    {"type": "linear", "weights": [[1, 1], [0, 0]], "biases": [0, 1]}]}

# y0 = x1 + 2 x2 - 1, y1 = 0: class 0 where x1 + 2 x2 >= 1.
LINE = {"format": "polyregions/network-v1", "input_dim": 2, "layers": [
    {"type": "linear", "weights": [[1, 2], [0, 0]], "biases": [-1, 0]}]}

# y0 = relu(x1) - relu(x2), y1 = relu(x1 + x2) / 3 - 1/4, y2 = relu(x2 - 2 x1) / 2.
THREE_CLASSES = {"format": "polyregions/network-v1", "input_dim": 2, "layers": [
    {"type": "relu", "weights": [[1, 0], [0, 1], [1, 1], [-2, 1]], "biases": [0, 0, 0, 0]},
    {"type": "linear", "weights": [[1, -1, 0, 0], [0, 0, "1/3", 0], [0, 0, 0, "1/2"]],
     "biases": [0, "-1/4", 0]}]}


def robust_json(argv, capsys):
    status, out, err = run(["robust", *argv, "--json"], capsys)
    assert (status, err) == (0, "")
    return json.loads(out)


def test_a_radius_by_hand_as_json(model, capsys):
    result = robust_json([model(ABSOLUTE), "--point", "1/4"], capsys)
    assert (result["radius"], result["label"], result["norm"], result["point"]) == \
        ("3/4", 1, "inf", ["1/4"])
    assert result["nearest"] == {"point": ["1"], "distance": "3/4", "class": 0, "attained": True}
    assert (result["attained"], result["status"], result["complete"]) == (True, "exact", True)
    # From 3 (class 0) the class-1 inputs are open: radius 2, not attained, the tie at 1 goes to 0.
    other = robust_json([model(ABSOLUTE), "--point", "3", "--norm", "1"], capsys)
    assert (other["radius"], other["attained"], other["nearest"]["class"]) == ("2", False, 0)


@pytest.mark.parametrize("norm, radius", [("inf", "1"), ("1", "3/2")])
def test_the_distance_to_a_line_in_both_norms(model, capsys, norm, radius):
    # |w . X + b| = |2 + 2 - 1| = 3, over ||w||_1 = 3 (L-inf) or ||w||_inf = 2 (L1).
    result = robust_json([model(LINE), "--point", "2,1", "--norm", norm], capsys)
    assert (result["radius"], result["label"], result["attained"]) == (radius, 0, False)
    point = [Fraction(v) for v in result["nearest"]["point"]]
    assert point[0] + 2 * point[1] - 1 == 0
    assert distance(point, [2, 1], norm) == Fraction(radius)


@pytest.mark.parametrize("norm", ["inf", "1"])
@pytest.mark.parametrize("point", ["1/2,1/4", "-1/3,1", "1,-1/5"])
def test_the_radius_is_where_a_bisection_over_eps_turns_from_yes_to_no(model, capsys, norm, point):
    path = model(THREE_CLASSES)
    result = robust_json([path, "--point", point, "--norm", norm], capsys)
    d = Fraction(result["radius"])
    assert result["status"] == "exact" and d > 0
    # A bisection over --eps, between 0 (yes) and 4 d (no), closes in on the radius.
    low, high = Fraction(0), 4 * d
    assert robust_json([path, "--point", point, "--norm", norm, "--eps", str(high)],
                       capsys)["robust"] is False
    for _ in range(12):
        middle = (low + high) / 2
        answer = robust_json([path, "--point", point, "--norm", norm, "--eps", str(middle)], capsys)
        if answer["robust"]:
            low = middle
        else:
            high = middle
            example = answer["counterexample"]
            inputs = [Fraction(v) for v in example["point"]]
            network = network_from_dict(THREE_CLASSES)
            assert predicted_class(network.evaluate(inputs)) == example["class"] != result["label"]
            assert distance(inputs, [Fraction(v) for v in point.split(",")], norm) <= middle
    assert low <= d <= high and high - low == 4 * d / 2 ** 12
    at = robust_json([path, "--point", point, "--norm", norm, "--eps", result["radius"]], capsys)
    assert at["robust"] is (not result["attained"])


def test_a_label_other_than_the_points_class_has_radius_zero(model, capsys):
    result = robust_json([model(ABSOLUTE), "--point", "3", "--label", "1", "--eps", "0"], capsys)
    assert (result["radius"], result["attained"], result["robust"]) == ("0", True, False)
    assert result["counterexample"]["point"] == ["3"]


def test_no_other_class_within_the_cap_or_anywhere(model, capsys):
    same = {"format": "polyregions/network-v1", "input_dim": 1, "layers": [
        {"type": "linear", "weights": [[1], [1]], "biases": [0, 0]}]}  # identical logits
    path = model(same)
    beyond = robust_json([path, "--point", "5", "--max-radius", "8", "--eps", "8"], capsys)
    assert (beyond["status"], beyond["radius"], beyond["searched_radius"]) == ("beyond", None, "8")
    assert beyond["robust"] is True and beyond["lower_bound"] == "8"
    whole = robust_json([path, "--point", "5", "--max-radius", "inf"], capsys)
    assert (whole["status"], whole["radius"], whole["nearest"]) == ("infinite", "inf", None)
    status, out, _ = run(["robust", path, "--point", "5", "--max-radius", "8"], capsys)
    assert status == 0 and "no input of another class within it" in out


def test_the_text_report(model, capsys):
    status, out, err = run(["robust", model(ABSOLUTE), "--point", "3", "--eps", "5/2"], capsys)
    assert (status, err) == (0, "")
    rows = [line.split(None, 1) for line in out.splitlines()]
    assert [label for label, _ in rows] == ["radius", "class", "nearest", "within", "counterexample",
                                            "regions"]
    assert rows[0][1].strip() == "2 [2] (L-inf)" and rows[3][1].split() == ["5/2", "no"]
    assert rows[2][1].strip() == "(1), class 0: a tie that still goes to the class"
    assert rows[4][1].strip() == "(1/2), class 1, at distance 5/2"


def test_a_limit_reports_bounds_only(model, capsys):
    result = robust_json([model(THREE_CLASSES), "--point", "1/2,1/4", "--max-regions", "1",
                          "--start-radius", "4"], capsys)
    assert (result["status"], result["radius"], result["stop_reason"]) == \
        ("stopped", None, "max_regions")
    assert result["complete"] is False
    status, out, _ = run(["robust", model(THREE_CLASSES), "--point", "1/2,1/4", "--max-regions",
                          "1", "--start-radius", "4"], capsys)
    assert status == 0 and out.startswith("PARTIAL") and "--max-regions" in out


@pytest.mark.parametrize("argv, words", [
    (["--point", "1,2"], "the point has 2 coordinates, but the network takes 1 inputs"),
    (["--point", "1", "--norm", "2"], "invalid choice: '2'"),
    (["--point", "1", "--label", "2"], "the label must be a class 0..1, got 2"),
    (["--point", "1", "--label", "-1"], "--label must be a class 0, 1, 2, ..., got '-1'"),
    (["--point", "1", "--eps", "-1/2"], "eps must be at least 0, got -1/2"),
    (["--point", "1", "--eps", "x"], "'x'"),
    (["--point", "1,,2"], "--point '1,,2' must be comma-separated numbers"),
    (["--point", "y"], "'y'"),
    (["--point", "1", "--max-radius", "0"], "max_radius must be above 0, got 0"),
    (["--point", "1", "--start-radius", "-1"], "start_radius must be above 0, got -1"),
    (["--point", "1", "--max-regions", "0"], "--max-regions must be positive, got 0"),
    (["--point", "1", "--time-limit", "0"], "--time-limit"),
    ([], "--point"),
])
def test_bad_input_is_one_line_and_exit_2(model, capsys, argv, words):
    assert_one_line_error(*run(["robust", model(ABSOLUTE), *argv], capsys), words)


def test_a_network_with_one_output_is_refused(model, capsys):
    one = {"format": "polyregions/network-v1", "input_dim": 1, "layers": [
        {"type": "relu", "weights": [[1]], "biases": [0]}]}
    assert_one_line_error(*run(["robust", model(one), "--point", "0"], capsys),
                          "needs a classifier with two or more outputs, but the network has 1")
