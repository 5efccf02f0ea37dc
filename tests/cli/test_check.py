"""``polyregions check``: answers against dense sampling and exact ranges, every output, one-line errors.

Oracles: the exact minimum of ``y0 - y1`` over the box from ``analysis.ranges``
(vertex enumeration of every region, an independent code path), a 201 x 201
grid evaluated in floats, and the exact forward pass of every counterexample.
"""

import functools
import json
from fractions import Fraction

import numpy as np
import pytest

from polyregions import Box, network_from_dict
from polyregions.analysis.ranges import output_ranges
from polyregions.io.vnnlib import read_counterexample
from polyregions.verification.search import CheckReport
from tests.cli_helpers import assert_one_line_error, run

F = Fraction

# Two inputs, four ReLUs, two outputs: integer weights, so the grid's float pass is exact
# to rounding.
NETWORK = {"format": "polyregions/network-v1", "input_dim": 2, "layers": [
    {"type": "relu", "weights": [[1, 2], [-2, 1], [1, -1], [-1, -3]], "biases": [0, 1, -1, 2]},
    {"type": "linear", "weights": [[1, -1, 2, 1], [-1, 2, 1, -2]], "biases": [0, 1]}]}

# -(|x0| + |x1|): exactly 0 at the origin only, negative elsewhere.
PEAK = {"format": "polyregions/network-v1", "input_dim": 2, "layers": [
    {"type": "relu", "weights": [[1, 0], [-1, 0], [0, 1], [0, -1]], "biases": [0, 0, 0, 0]},
    {"type": "linear", "weights": [[-1, -1, -1, -1]], "biases": [0]}]}

BOX = ("-1", "1")


def term(value):
    """The exact VNN-LIB term of a rational: ``(/ p q)``."""
    value = F(value)
    return f"(/ {value.numerator} {value.denominator})"


def vnnlib(assertion, outputs=2, box=BOX):
    """A property over [-1, 1]^2 (or `box`) asserting `assertion` of the outputs."""
    lo, hi = box
    lines = [f"(declare-const X_{i} Real)" for i in range(2)]
    lines += [f"(declare-const Y_{j} Real)" for j in range(outputs)]
    lines += [f"(assert (>= X_{i} {lo}))\n(assert (<= X_{i} {hi}))" for i in range(2)]
    return "\n".join(lines + [assertion]) + "\n"


@pytest.fixture
def files(model, tmp_path):
    """A function writing a model and a property; returns their paths."""
    def write(network, prop):
        path = tmp_path / "p.vnnlib"
        path.write_text(prop, encoding="utf-8")
        return model(network), str(path)
    return write


@functools.lru_cache(maxsize=None)
def minimum_of_difference():
    """The exact minimum of y0 - y1 over the box (vertex enumeration of every region)."""
    [objective] = output_ranges(network_from_dict(NETWORK), Box([-1, -1], [1, 1]), [1, -1]).outputs
    return objective.minimum.value


def grid_difference():
    """y0 - y1 on a 201 x 201 grid of the box, in floats."""
    s = np.linspace(-1.0, 1.0, 201)
    x = np.stack(np.meshgrid(s, s), axis=-1).reshape(-1, 2)
    hidden, out = NETWORK["layers"]
    h = np.maximum(x @ np.array(hidden["weights"], float).T + np.array(hidden["biases"], float), 0)
    y = h @ np.array(out["weights"], float).T + np.array(out["biases"], float)
    return y[:, 0] - y[:, 1]


def check_json(argv, capsys, status):
    capsys.readouterr()  # what the oracles printed (a note on the kernel in use) is not ours
    code, out, err = run(["check", *argv, "--json"], capsys)
    assert (code, err) == (status, ""), err
    return json.loads(out)


def assert_counterexample(network, prop_box, result):
    """The printed counterexample lies in the box and evaluates exactly to the printed outputs."""
    inputs = [F(v) for v in result["counterexample"]["inputs"]]
    assert all(F(prop_box[0]) <= x <= F(prop_box[1]) for x in inputs)
    outputs = network_from_dict(network).evaluate(inputs)
    assert [F(v) for v in result["counterexample"]["outputs"]] == list(outputs)
    return inputs, outputs


def test_holds_where_dense_sampling_and_the_exact_minimum_find_no_violation(files, capsys):
    low = minimum_of_difference()
    assert grid_difference().min() >= float(low) - 1e-9  # the grid agrees with the exact minimum
    result = check_json(files(NETWORK, vnnlib(f"(assert (< (- Y_0 Y_1) {term(low)}))")), capsys, 0)
    assert (result["result"], result["counterexample"], result["stop_reason"]) == ("holds", None, None)
    assert result["nodes"] > 1  # the search had work to do, so a limit of one node cuts it


def test_violated_with_an_exact_counterexample_where_sampling_finds_one(files, capsys):
    low = minimum_of_difference()
    threshold = low + F(1, 4)
    assert (grid_difference() < float(threshold) - 1e-9).any()  # sampling finds a violation
    result = check_json(files(NETWORK, vnnlib(f"(assert (< (- Y_0 Y_1) {term(threshold)}))")), capsys, 10)
    assert (result["result"], result["case"]) == ("violated", 0)
    _, (y0, y1) = assert_counterexample(NETWORK, BOX, result)
    assert y0 - y1 < threshold


def test_the_minimum_itself_is_a_tie_found_only_by_a_non_strict_constraint(files, capsys):
    low = minimum_of_difference()
    result = check_json(files(NETWORK, vnnlib(f"(assert (<= (- Y_0 Y_1) {term(low)}))")), capsys, 10)
    _, (y0, y1) = assert_counterexample(NETWORK, BOX, result)
    assert y0 - y1 == low


@pytest.mark.parametrize("relation, answer, status", [(">", "holds", 0), (">=", "violated", 10)])
def test_strictness_at_the_one_point_where_the_output_is_zero(files, capsys, relation, answer,
                                                               status):
    result = check_json(files(PEAK, vnnlib(f"(assert ({relation} Y_0 0))", outputs=1)), capsys,
                        status)
    assert result["result"] == answer
    if answer == "violated":
        inputs, outputs = assert_counterexample(PEAK, BOX, result)
        assert (inputs, outputs) == ([0, 0], (0,))


def test_an_or_of_two_output_conjunctions_reports_the_one_that_is_met(files, capsys):
    # y0 - y1 >= 100 is impossible on the box; y1 <= y0 + low + 1/4 is not.
    low = minimum_of_difference()
    assertion = (f"(assert (or (and (>= (- Y_0 Y_1) 100)) "
                 f"(and (<= (- Y_0 Y_1) {term(low + F(1, 4))}) (>= Y_0 -1000))))")
    result = check_json(files(NETWORK, vnnlib(assertion)), capsys, 10)
    _, (y0, y1) = assert_counterexample(NETWORK, BOX, result)
    assert y0 - y1 <= low + F(1, 4)


def test_an_or_of_two_input_boxes_names_the_case_violated(files, capsys):
    # -(|x0| + |x1|) >= -1/2 has no point with x0 in [3/4, 1]; it has one with x0 in [-1/2, 0].
    lines = [f"(declare-const X_{i} Real)" for i in range(2)] + ["(declare-const Y_0 Real)",
             "(assert (>= X_1 -1))", "(assert (<= X_1 1))",
             "(assert (or (and (>= X_0 0.75) (<= X_0 1)) (and (>= X_0 -0.5) (<= X_0 0))))",
             "(assert (>= Y_0 -0.5))"]
    result = check_json(files(PEAK, "\n".join(lines)), capsys, 10)
    assert result["case"] == 1
    inputs, outputs = assert_counterexample(PEAK, BOX, result)
    assert F(-1, 2) <= inputs[0] <= 0 and outputs[0] >= F(-1, 2)


def test_the_json_object_has_every_documented_key(files, capsys):
    result = check_json(files(PEAK, vnnlib("(assert (>= Y_0 0))", outputs=1)), capsys, 10)
    assert set(result) == {"result", "counterexample", "case", "stop_reason", "nodes", "leaves",
                           "splits", "exact_leaves", "seconds", "model", "property",
                           "counterexample_file", "certificate"}
    assert set(result["counterexample"]) == {"inputs", "outputs"}
    assert all(isinstance(v, str) for v in result["counterexample"]["inputs"])


def test_the_table_starts_with_the_answer(files, capsys):
    # x >= 1/3 on both axes gives y <= -2/3: no violation.
    status, out, err = run(["check", *files(PEAK, vnnlib("(assert (>= Y_0 (/ -1 3)))", outputs=1,
                                                           box=("(/ 1 3)", "1")))], capsys)
    assert (status, err, out.splitlines()[0]) == (0, "", "holds")


def test_a_violated_table_prints_the_counterexample(files, capsys):
    status, out, err = run(["check", *files(PEAK, vnnlib("(assert (>= Y_0 0))", outputs=1))],
                           capsys)
    lines = out.splitlines()
    assert (status, err, lines[0]) == (10, "", "violated")
    assert any(line.split()[:3] == ["X_0", "0", "[0]"] for line in lines)
    assert any(line.split()[:3] == ["Y_0", "0", "[0]"] for line in lines)


def test_the_counterexample_file_is_a_vnncomp_result_read_back_exactly(files, capsys, tmp_path):
    cex = tmp_path / "cex.txt"
    low = minimum_of_difference()
    argv = [*files(NETWORK, vnnlib(f"(assert (<= (- Y_0 Y_1) {term(low)}))")), "--counterexample", str(cex)]
    result = check_json(argv, capsys, 10)
    assert cex.read_text().splitlines()[0] == "sat"
    inputs, outputs = read_counterexample(cex)
    assert [str(v) for v in inputs] == result["counterexample"]["inputs"]
    assert [str(v) for v in outputs] == result["counterexample"]["outputs"]
    assert result["counterexample_file"] == str(cex)


def test_the_result_file_says_unsat_when_the_property_holds(files, capsys, tmp_path):
    cex = tmp_path / "cex.txt"
    check_json([*files(PEAK, vnnlib("(assert (> Y_0 0))", outputs=1)), "--counterexample", str(cex)],
               capsys, 0)
    assert cex.read_text() == "unsat\n"


def test_a_certificate_of_holds_is_a_proof_and_none_is_written_otherwise(files, capsys, tmp_path):
    proof = tmp_path / "proof.json"
    argv = [*files(PEAK, vnnlib("(assert (> Y_0 0))", outputs=1)), "--certificate", str(proof)]
    result = check_json(argv, capsys, 0)
    assert json.loads(proof.read_text())["format"] == "polyregions/proof-v1"
    assert result["certificate"] == str(proof)
    proof.unlink()
    argv = [*files(PEAK, vnnlib("(assert (>= Y_0 0))", outputs=1)), "--certificate", str(proof)]
    status, out, _ = run(["check", *argv], capsys)
    assert status == 10 and not proof.exists()
    assert "none written" in out and "counterexample is the evidence" in out


@pytest.mark.parametrize("limit, reason, first_line", [
    (["--max-regions", "1"], "max_regions", "unknown\n"),
    (["--time-limit", "1e-9"], "time_limit", "timeout\n")])
def test_a_limit_gives_unknown_with_exit_status_20(files, capsys, tmp_path, limit, reason,
                                                   first_line):
    low = minimum_of_difference()
    cex, proof = tmp_path / "cex.txt", tmp_path / "proof.json"
    argv = [*files(NETWORK, vnnlib(f"(assert (< (- Y_0 Y_1) {term(low)}))")), *limit,
            "--counterexample", str(cex), "--certificate", str(proof)]
    result = check_json(argv, capsys, 20)
    assert (result["result"], result["stop_reason"], result["certificate"]) == ("unknown", reason, None)
    assert cex.read_text() == first_line and not proof.exists()
    status, out, _ = run(["check", *argv], capsys)
    assert status == 20 and out.splitlines()[0] == "unknown" and "stopped by" in out


def test_ctrl_c_prints_unknown_and_exits_130(files, capsys, monkeypatch):
    from polyregions.verification import search

    def interrupted(*args, **kwargs):
        return CheckReport(result="unknown", stop_reason="interrupted", nodes=3, leaves=1,
                           splits=1, exact_leaves=0, seconds=0.5)
    monkeypatch.setattr(search, "check_property", interrupted)
    status, out, err = run(["check", *files(PEAK, vnnlib("(assert (> Y_0 0))", outputs=1)),
                            "--json"], capsys)
    assert status == 130 and json.loads(out)["stop_reason"] == "interrupt"
    assert "interrupted" in err


def test_a_counterexample_that_fails_the_exact_recheck_is_an_internal_error(files, capsys,
                                                                             monkeypatch):
    from polyregions.verification import search

    def wrong(*args, **kwargs):  # (1/2, 0) gives -1/2, which does not violate y >= 0
        return CheckReport(result="violated", inputs=(F(1, 2), F(0)), outputs=(F(0),), case=0,
                           nodes=1, leaves=0, splits=0, exact_leaves=0, seconds=0.0)
    monkeypatch.setattr(search, "check_property", wrong)
    status, out, err = run(["check", *files(PEAK, vnnlib("(assert (>= Y_0 0))", outputs=1))],
                           capsys)
    assert (status, out) == (1, "")
    assert len(err.splitlines()) == 1 and "internal error" in err and "1/2" in err


def test_a_property_of_other_dimensions_names_both_files(files, capsys):
    model, prop = files(NETWORK, vnnlib("(assert (>= Y_0 0))", outputs=1))
    status, out, err = run(["check", model, prop], capsys)
    assert_one_line_error(status, out, err, f"{prop} declares 2 inputs and 1 outputs")
    assert model in err


@pytest.mark.parametrize("text, words", [
    ("(declare-const X_0 Real)\n(assert (<= X_0 1)", "line 2: unbalanced parentheses"),
    ("(declare-const X_0 Real)\n(assert (<= X_0 1))\n(assert (>= X_0 0))\n(assert (>= Y_0 0))",
     "line 4"),
])
def test_a_malformed_property_is_one_line_naming_the_file_and_line(files, capsys, text, words):
    model, prop = files(NETWORK, text)
    status, out, err = run(["check", model, prop], capsys)
    assert_one_line_error(status, out, err, words)
    assert prop in err


def test_missing_files_and_bad_options_are_one_line(files, capsys, tmp_path):
    model, prop = files(PEAK, vnnlib("(assert (> Y_0 0))", outputs=1))
    cases = [([model, str(tmp_path / "none.vnnlib")], "none.vnnlib"),
             ([str(tmp_path / "none.json"), prop], "none.json"),
             ([model, prop, "--max-regions", "0"], "--max-regions"),
             ([model, prop, "--time-limit", "0"], "--time-limit"),
             ([model, prop, "--counterexample", str(tmp_path / "no" / "cex.txt")], "no directory"),
             ([model, prop, "--certificate", str(tmp_path)], "it is a directory")]
    for argv, words in cases:
        assert_one_line_error(*run(["check", *argv], capsys), words)


def test_an_onnx_model_is_checked_like_its_json_twin(files, capsys, tmp_path):
    onnx = pytest.importorskip("onnx")
    from onnx import TensorProto, helper, numpy_helper

    hidden, out = PEAK["layers"]
    inits = [numpy_helper.from_array(np.array(v, np.float32), name) for name, v in [
        ("w1", np.array(hidden["weights"]).T), ("b1", hidden["biases"]),
        ("w2", np.array(out["weights"]).T), ("b2", out["biases"])]]
    graph = helper.make_graph(
        [helper.make_node("Gemm", ["x", "w1", "b1"], ["h"]), helper.make_node("Relu", ["h"], ["r"]),
         helper.make_node("Gemm", ["r", "w2", "b2"], ["y"])], "peak",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 2])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 1])], inits)
    path = tmp_path / "peak.onnx"
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)]), str(path))
    _, prop = files(PEAK, vnnlib("(assert (>= Y_0 0))", outputs=1))
    result = check_json([str(path), prop], capsys, 10)
    assert result["counterexample"] == {"inputs": ["0", "0"], "outputs": ["0"]}
    _, prop = files(PEAK, vnnlib("(assert (> Y_0 0))", outputs=1))
    assert check_json([str(path), prop], capsys, 0)["result"] == "holds"


def test_workers_give_the_same_answer_and_a_proof_in_the_same_order(tmp_path):
    """--workers 2 runs the search's subtrees in processes; the proof is stitched back in order."""
    import json

    from polyregions import LinearLayer, Network, ReluLayer
    from polyregions.io.vnnlib import parse_property
    from polyregions.network import network_to_dict
    from polyregions.verification.search import check_property

    net = Network(2, [ReluLayer([[1, -1], [1, 1], [-1, 2], [2, 1]], [0, "1/3", "-1/5", "1/7"]),
                      ReluLayer([[1, -1, 1, 0], [0, 1, -1, 1]], [0, 0]),
                      LinearLayer([[1, -2]], ["1/2"])])
    text = """(declare-const X_0 Real) (declare-const X_1 Real) (declare-const Y_0 Real)
        (assert (>= X_0 -1)) (assert (<= X_0 1)) (assert (>= X_1 -1)) (assert (<= X_1 1))
        (assert (< (* 210 Y_0) -1859))"""      # the minimum of y0 over the box is -1859/210
    prop = parse_property(text)
    one = check_property(net, prop, proof=True)
    two = check_property(net, prop, proof=True, workers=2)
    assert one.result == two.result == "holds" and one.nodes > 3
    assert json.dumps(one.proof) == json.dumps(two.proof)
    violated = check_property(net, parse_property(text.replace("(< (* 210 Y_0)", "(<= (* 210 Y_0)")),
                              workers=2)
    assert violated.result == "violated" and violated.outputs == (Fraction(-1859, 210),)
    model = tmp_path / "m.json"
    model.write_text(json.dumps(network_to_dict(net)))
    (tmp_path / "p.vnnlib").write_text(text)
    from polyregions.cli.main import main
    assert main([ "check", str(model), str(tmp_path / "p.vnnlib"), "--workers", "2", "--json",
                 "--no-progress"]) == 0


def test_numbers_beyond_the_float_range_are_refused_in_one_line(tmp_path, capsys):
    """The search bounds in float64: a weight or a box bound past 1.8e308 is refused, not crashed on."""
    import json

    from polyregions import LinearLayer, Network, ReluLayer
    from polyregions.cli.main import main
    from polyregions.network import network_to_dict

    huge = str(10 ** 400)
    model = tmp_path / "m.json"
    model.write_text(json.dumps(network_to_dict(Network(1, [ReluLayer([[huge]], [0]),
                                                            LinearLayer([[1]], [0])]))))
    prop = tmp_path / "p.vnnlib"
    prop.write_text("(declare-const X_0 Real) (declare-const Y_0 Real)\n"
                    "(assert (>= X_0 -1)) (assert (<= X_0 1)) (assert (< Y_0 0))\n")
    assert main(["check", str(model), str(prop), "--no-progress"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "weight or bias of the network is beyond its range" in err[0]
    model.write_text(json.dumps(network_to_dict(Network(1, [ReluLayer([[1]], [0]),
                                                            LinearLayer([[1]], [0])]))))
    prop.write_text(f"(declare-const X_0 Real) (declare-const Y_0 Real)\n"
                    f"(assert (>= X_0 -{huge})) (assert (<= X_0 1)) (assert (< Y_0 0))\n")
    assert main(["check", str(model), str(prop), "--no-progress"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "input bound beyond its range (about 2^1329)" in err[0]
