"""The verification benchmark's exact parts: result files read exactly, counterexamples checked
exactly (the input in the box to the last bit, the outputs recomputed), the small instances."""

import doctest
import pathlib
import sys
from fractions import Fraction as F

import numpy as np
import pytest

pytest.importorskip("onnx")

BENCHMARKS = pathlib.Path(__file__).resolve().parent.parent / "benchmarks"


@pytest.fixture(scope="module")
def bench():
    """The modules (they import their siblings by plain name; the peers' writer lives in peers/)."""
    paths = [str(BENCHMARKS), str(BENCHMARKS / "peers")]
    sys.path[:0] = paths
    try:
        import exact_check
        import robustness
        import verification
        import vnn_instances
        import vnncomp_result
        yield exact_check, vnn_instances, vnncomp_result, verification, robustness
    finally:
        for path in paths:
            sys.path.remove(path)


#: A 2-2-2 classifier with float32 weights that are not short binary fractions.
LAYERS = [(np.array([[0.7, -0.3], [0.2, 0.9]], np.float32), np.array([0.1, -0.05], np.float32)),
          (np.array([[1.3, -0.6], [-0.4, 0.8]], np.float32), np.array([0.0, 0.02], np.float32))]


def forward(x):
    """The classifier's outputs at `x`, by hand in Fractions of the float32 entries."""
    (w1, b1), (w2, b2) = [([[F(float(v)) for v in row] for row in w], [F(float(v)) for v in b])
                          for w, b in LAYERS]
    hidden = [max(F(0), sum(a * xi for a, xi in zip(row, x)) + b) for row, b in zip(w1, b1)]
    return [sum(a * h for a, h in zip(row, hidden)) + b for row, b in zip(w2, b2)]


@pytest.fixture(scope="module")
def instance(bench, tmp_path_factory):
    """The classifier as ONNX and the property 'class 0 on [0.1, 0.3] x [0.2, 0.4]'."""
    _, vnn_instances, *_ = bench
    folder = tmp_path_factory.mktemp("vbench")
    model, prop = folder / "net.onnx", folder / "prop.vnnlib"
    vnn_instances.write_onnx(LAYERS, model)
    prop.write_text(vnn_instances.robustness_property(["0.2", "0.3"], 0, "0.1", 2))
    return model, prop


def test_the_peers_result_file_gives_back_their_floats_exactly(bench, tmp_path):
    exact_check, _, vnncomp_result, *_ = bench
    rng = np.random.default_rng(5)
    inputs, outputs = rng.normal(size=4), rng.normal(size=3) * 1e-9
    path = tmp_path / "result.txt"
    vnncomp_result.write_result(path, "sat", inputs, outputs)
    answer, (x, y) = exact_check.read_result(path.read_text())
    assert answer == "violated"
    assert x == tuple(F(float(v)) for v in inputs) and y == tuple(F(float(v)) for v in outputs)
    for word, expected in (("unsat", "holds"), ("timeout", "timeout"), ("error", "error")):
        vnncomp_result.write_result(path, word)
        assert exact_check.read_result(path.read_text()) == (expected, None)
    # polyregions' --counterexample file is the list alone
    assert exact_check.read_result("((X_0 1/3)\n (Y_0 -2))\n") == ("violated", ((F(1, 3),), (F(-2),)))


def test_a_float32_counterexample_just_past_the_box_is_refused_by_its_exact_excess(
        bench, instance, tmp_path):
    exact_check, _, vnncomp_result, *_ = bench
    model, prop = instance
    # nnenum reads the box in float32: the bound 0.3 becomes float32(0.3) > 3/10
    x = [float(np.float32(0.3)), 0.375]
    y = forward([F(v) for v in x])
    assert y[1] >= y[0]  # the outputs there do violate: only the box decides
    path = tmp_path / "nnenum.txt"
    vnncomp_result.write_result(path, "sat", x, [float(v) for v in y])
    answer, _, verdict = exact_check.check_files(model, prop, path)
    assert answer == "violated" and not verdict.valid
    assert verdict.outside == F(float(np.float32(0.3))) - F(3, 10) > 0
    assert verdict.reason == (f"no: X_0 lies {float(verdict.outside):.1e} outside the input box; "
                              "clamped into it: valid")
    inside = forward([F(3, 10), F(x[1])])  # the nearest point of the box violates too
    assert verdict.clamped_valid and inside[1] >= inside[0]
    assert verdict.output_error == max(abs(F(float(v)) - v) for v in y)  # the float64 rounding
    # an earlier run's row (exact strings) is checked again to the same verdict
    _, (xs, ys), _ = exact_check.check_files(model, prop, path)
    row = {"answer": "violated", "counterexample": {"inputs": [str(v) for v in xs],
                                                    "outputs": [str(v) for v in ys]}}
    assert exact_check.check_loaded(model, prop, row)["exact"] == verdict.to_json()
    net, spec = exact_check._network(str(model)), exact_check._property(str(prop))
    below = exact_check.check_counterexample(net, spec, [F(x[0]), F(1, 5)])  # class 0 wins there
    assert below.reason.endswith("outside the input box, nor do its exact outputs violate; "
                                 "clamped into it: not valid")
    assert below.clamped_valid is False


def test_a_counterexample_in_the_box_is_valid_exactly_when_its_exact_outputs_violate(
        bench, instance):
    exact_check, *_ = bench
    model, prop = instance
    net, spec = exact_check._network(str(model)), exact_check._property(str(prop))
    grid = [F(k, 20) for k in range(2, 7)], [F(k, 20) for k in range(4, 9)]
    seen = set()
    for x in ([a, b] for a in grid[0] for b in grid[1]):
        y = forward(x)
        verdict = exact_check.check_counterexample(net, spec, x, [v + F(1, 10**6) for v in y])
        assert verdict.valid == (y[1] >= y[0]) and verdict.outside == 0
        assert verdict.output_error == F(1, 10**6)
        seen.add(verdict.valid)
    assert seen == {True, False}  # the box holds both kinds of points
    wrong = exact_check.check_counterexample(net, spec, [F(3, 10), F(1, 5)], [F(0), F(1)])
    assert wrong.reason.startswith("no: the input is in the box, but its exact outputs")
    assert exact_check.check_counterexample(net, spec, [F(1, 10)], None).reason == (
        "no: 1 inputs, the property has 2")


def test_the_small_instances_are_labelled_by_the_exact_network(bench, tmp_path):
    exact_check, vnn_instances, *_ = bench
    found = list(vnn_instances.small_instances(tmp_path))
    radii = [F(eps) for _, epsilons in vnn_instances.SMALL_NETWORKS.values() for eps in epsilons]
    assert len(found) == len(radii)
    for inst, eps in zip(found, radii):
        spec, net = exact_check._property(str(inst.prop)), exact_check._network(str(inst.model))
        (case,) = spec.cases
        assert all(hi - lo == 2 * eps for lo, hi in zip(case.lower, case.upper))
        centre = [(lo + hi) / 2 for lo, hi in zip(case.lower, case.upper)]
        # the centre is no counterexample: its own class wins
        assert not exact_check.check_counterexample(net, spec, centre).valid
        assert len(case.output) == len(net.evaluate(centre)) - 1


def test_agreement_and_validity_name_what_they_see(bench):
    verification = bench[3]
    held, broke = {"answer": "holds", "seconds": 1.0}, {"answer": "violated", "seconds": 2.0}
    assert verification.agreement({"nnenum": held, "polyregions": held}) == "yes"
    assert verification.agreement({"nnenum": held, "polyregions": broke}) == "NO"
    assert verification.agreement({"nnenum": held, "marabou": {"answer": "timeout"}}) == "-"
    outside = {**broke, "exact": {"valid": False, "reason": "no: X_0 lies 2.1e-08 outside"}}
    assert verification.validity({"nnenum": outside, "marabou": broke}) == (
        "nnenum no (X_0 lies 2.1e-08 outside); Marabou: no counterexample given")
    assert verification.ratio({"nnenum": broke, "polyregions": held}) == "0.50"
    assert verification.ratio({"nnenum": broke, "polyregions": {"answer": "unknown",
                                                                 "seconds": 60.0}}) == "-"


def test_the_radius_is_bracketed_by_check_on_the_balls_just_inside_and_outside(bench, instance):
    robustness = bench[4]
    model, _ = instance
    (row,) = robustness.radius_rows(model, [["0.2", "0.3"]], 2, ["polyregions"], 60)
    radius = F(row["radius"])
    below, above = F(row["below"]["eps"]), F(row["above"]["eps"])
    assert below < radius < above and (above - below) / radius < F(3, 1000)
    assert (row["below"]["polyregions"], row["above"]["polyregions"]) == ("holds", "violated")
    assert row["consistent"] and row["label"] == 1  # forward() at (0.2, 0.3): class 1 wins
    assert "| (0.2, 0.3) | 1 |" in list(robustness.table([row], ["polyregions"]))[2]


@pytest.mark.parametrize("value", [F(2, 3), F(1, 7 * 10**9), F(123456789, 7), F(5)])
def test_decimal_bounds_bracket_the_value_within_six_digits(bench, value):
    robustness = bench[4]
    low, high = (F(robustness.decimal_bound(value, up)) for up in (False, True))
    assert low <= value <= high and high - low <= value / 10**5


def test_the_verification_examples_run(bench):
    for module in (*bench[:3], bench[4]):
        assert doctest.testmod(module).failed == 0
