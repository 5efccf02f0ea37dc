"""``polyregions range``: exact ranges known by hand, JSON and text, limits, one-line errors."""

import json
import subprocess
from fractions import Fraction

import pytest

from polyregions import network_from_dict
from polyregions.analysis.ranges import MAX_RANGE_DIMENSION
from tests.cli_helpers import assert_one_line_error, command, run

# |x| = relu(x) + relu(-x).
ABSOLUTE = {"format": "polyregions/network-v1", "input_dim": 1, "layers": [
    {"type": "relu", "weights": [[1], [-1]], "biases": [0, 0]},
    {"type": "linear", "weights": [[1, 1]], "biases": [0]}]}

# y0 = relu(x1) - relu(x2), y1 = relu(x1 + x2) / 3 + 1.
TWO_OUTPUTS = {"format": "polyregions/network-v1", "input_dim": 2, "layers": [
    {"type": "relu", "weights": [[1, 0], [0, 1], [1, 1]], "biases": [0, 0, 0]},
    {"type": "linear", "weights": [[1, -1, 0], [0, 0, "1/3"]], "biases": [0, 1]}]}


def range_json(argv, capsys):
    status, out, err = run(["range", *argv, "--json"], capsys)
    assert (status, err) == (0, "")
    return json.loads(out)


def test_absolute_value_on_an_interval_as_json(model, capsys):
    result = range_json([model(ABSOLUTE), "--bounds", "-2:1"], capsys)
    assert result["outputs"] == [{"name": "y0", "min": "0", "max": "2", "argmin": ["0"],
                                  "argmax": ["-2"], "min_ray": None, "max_ray": None}]
    assert result["complete"] is True and result["stop_reason"] is None
    assert result["regions"] == 2 and result["objective"] is None


def test_every_arg_point_evaluates_exactly_to_its_end(model, capsys):
    result = range_json([model(TWO_OUTPUTS), "--box", "-1", "1"], capsys)
    network = network_from_dict(TWO_OUTPUTS)
    ends = [(o["min"], o["argmin"], i) for i, o in enumerate(result["outputs"])]
    ends += [(o["max"], o["argmax"], i) for i, o in enumerate(result["outputs"])]
    for value, point, index in ends:
        assert network.evaluate([Fraction(v) for v in point])[index] == Fraction(value)
    assert [(o["min"], o["max"]) for o in result["outputs"]] == [("-1", "1"), ("1", "5/3")]


@pytest.mark.parametrize("objective", ["1 -1 1/2", "1,-1,1/2", "[1, -1, 0.5]", '["1", "-1", "1/2"]'])
def test_an_objective_in_each_written_form(model, capsys, objective):
    result = range_json([model(TWO_OUTPUTS), "--box", "-1", "1", "--objective", objective], capsys)
    [only] = result["outputs"]
    # y0 - y1 + 1/2: largest at (1, -1): 1 - 0 - 1 + 1/2; smallest at (0, 1): -1 - 1/3 - 1/2.
    assert (only["name"], only["min"], only["max"]) == ("objective", "-11/6", "1/2")
    assert (only["argmin"], only["argmax"]) == (["0", "1"], ["1", "-1"])
    assert result["objective"] == ["1", "-1", "1/2"]


def test_the_whole_space_gives_infinite_ends_with_their_rays(model, capsys):
    y0, y1 = range_json([model(TWO_OUTPUTS), "--whole-space"], capsys)["outputs"]
    assert (y0["min"], y0["max"], y1["min"], y1["max"]) == ("-inf", "inf", "1", "inf")
    assert y0["argmin"] is None and y0["min_ray"]["direction"] == ["-1", "1"]
    assert y1["argmin"] == ["0", "0"] and y1["min_ray"] is None
    assert y1["max_ray"]["direction"] == ["0", "1"]


def test_text_has_one_line_per_output_with_exact_and_float_values(model, capsys):
    status, out, err = run(["range", model(TWO_OUTPUTS), "--box", "-1", "1"], capsys)
    assert (status, err) == (0, "")
    lines = out.splitlines()
    assert lines[0].split() == "y0 min -1 [-1] at (-1, 1) max 1 [1] at (1, -1)".split()
    assert lines[1].split() == "y1 min 1 [1] at (-1, 0) max 5/3 [1.66667] at (1, 1)".split()
    assert lines[2].split() == ["regions", "6"]
    status, out, err = run(["range", model(TWO_OUTPUTS), "--whole-space"], capsys)
    assert "min -inf along (0, 0) + t (-1, 1)" in out.splitlines()[0]


def test_a_limit_is_marked_partial_first_in_text_and_in_json(model, capsys):
    result = range_json([model(TWO_OUTPUTS), "--box", "-1", "1", "--max-regions", "2"], capsys)
    assert result["complete"] is False and result["stop_reason"] == "max_regions"
    assert result["regions"] == 2
    status, out, err = run(["range", model(TWO_OUTPUTS), "--box", "-1", "1", "--max-regions", "2"],
                           capsys)
    assert status == 0
    assert out.startswith("PARTIAL") and "--max-regions" in out.splitlines()[0]
    assert "range may be wider" in out.splitlines()[0]


def test_workers_give_the_same_outputs(model, capsys):
    path = model(TWO_OUTPUTS)
    serial = range_json([path, "--box", "-1", "1"], capsys)["outputs"]
    assert range_json([path, "--box", "-1", "1", "--workers", "2"], capsys)["outputs"] == serial


def test_a_slice_reports_network_inputs(model, capsys):
    result = range_json([model(TWO_OUTPUTS), "--slice", "0,0", "1,0", "0,2", "--box", "0", "1"],
                        capsys)
    y0 = result["outputs"][0]
    assert (y0["min"], y0["argmin"]) == ("-2", ["0", "2"])  # s = 0, t = 1: the point (0, 2)


@pytest.mark.parametrize("objective, words", [
    ("1 2 3 4", "the objective has 4 numbers"),
    ("1", "give 2 weights, or 3 with a constant last"),
    ("1 x", "objective coefficient 'x' is not a number"),
    ("", "holds no number"),
    ("[]", "holds no number"),
])
def test_a_bad_objective_is_one_line_and_exit_2(model, capsys, objective, words):
    status, out, err = run(["range", model(TWO_OUTPUTS), "--box", "-1", "1", "--objective", objective],
                           capsys)
    assert_one_line_error(status, out, err, words)


def test_a_high_dimensional_box_is_refused_at_once_suggesting_a_slice(model, capsys):
    dim = 784
    wide = {"format": "polyregions/network-v1", "input_dim": dim, "layers": [
        {"type": "relu", "weights": [[1] * dim], "biases": [0]}]}
    path = model(wide)
    # In a child with a timeout: building the box first (2^784 vertices) would never end.
    done = subprocess.run([*command(), "range", path, "--box", "0", "1"], capture_output=True,
                          text=True, check=False, timeout=60)
    assert_one_line_error(done.returncode, done.stdout, done.stderr,
                          f"a {dim}-dimensional domain has too many")
    assert f"above {MAX_RANGE_DIMENSION} are refused; take a 2-D slice (--slice" in done.stderr
    # The slice it suggests runs.
    corner = ",".join(["0"] * dim)
    axis = [",".join("1" if i == k else "0" for i in range(dim)) for k in (0, 1)]
    result = range_json([path, "--slice", corner, *axis, "--box", "0", "1"], capsys)
    assert (result["outputs"][0]["min"], result["outputs"][0]["max"]) == ("0", "2")


def test_bad_limits_and_domains_are_one_line(model, capsys):
    path = model(TWO_OUTPUTS)
    assert_one_line_error(*run(["range", path, "--box", "-1", "1", "--max-regions", "0"], capsys),
                          "max")
    assert_one_line_error(*run(["range", path], capsys), "no domain given")


# ---------------------------------------------------------------- the reachable set (--out)


def _reference_regions(spec, domain_argv):
    """The regions of the Python reference kernel, by pattern, with the network and domain."""
    from polyregions import Box, EngineOptions, WholeSpace, enumerate_regions

    network = network_from_dict(spec)
    domain = WholeSpace(2) if domain_argv == ["--whole-space"] else Box.cube(2, *domain_argv[1:])
    result = enumerate_regions(network, domain, options=EngineOptions(kernel="python"))
    return network, {region.pattern: region for region in result}


def _stored(path, keys=("end", "count", "stop_reason", "sha256")):
    from polyregions.enumeration.stream import read_lines

    stored = read_lines(path)
    stored.check(path, "reachable-set file", keys)
    return stored


def _as_points(rows):
    return {tuple(Fraction(v, row[0]) for v in row[1:]) for row in rows}


def _direction(values):
    from polyregions.numbers import integer_vector

    return (0,) + integer_vector(values)


@pytest.mark.parametrize("domain_argv", [["--box", "-1", "1"], ["--whole-space"]])
def test_out_writes_each_regions_output_polytope(model, capsys, tmp_path, domain_argv):
    path = str(tmp_path / "reachable.jsonl")
    result = range_json([model(TWO_OUTPUTS), *domain_argv, "--out", path], capsys)
    assert result["out"] == path
    stored = _stored(path)
    assert stored.header["format"] == "polyregions/reachable-v1" and stored.footer["count"] == 6
    network, regions = _reference_regions(TWO_OUTPUTS, domain_argv)
    assert {tuple(map(tuple, line["pattern"])) for line in stored.records} == set(regions)
    for line in stored.records:
        region = regions[tuple(map(tuple, line["pattern"]))]
        # The oracle: the forward pass at the region's vertices, and along its rays.
        assert _as_points(line["points"]) == {network.evaluate(v) for v in region.polytope.vertices}
        start = region.polytope.vertices[0]
        images = {_direction([b - a for a, b in zip(network.evaluate(start), network.evaluate(
            [s + r for s, r in zip(start, ray)]))]) for ray in region.polytope.rays}
        assert {tuple(r) for r in line["rays"]} == {d for d in images if any(d)}
        assert line["lines"] == []  # no region of this network holds a line
    if domain_argv == ["--whole-space"]:
        assert any(line["rays"] for line in stored.records)
    ends = [(min(c), max(c)) for c in zip(*set().union(*(_as_points(line["points"])
                                                          for line in stored.records)))]
    if domain_argv != ["--whole-space"]:  # the points reach exactly the range
        assert ends == [(Fraction(o["min"]), Fraction(o["max"])) for o in result["outputs"]]


def test_out_keeps_the_lines_of_a_region_once_up_to_sign(model, capsys, tmp_path):
    # y = (x1 - x2, 2 x1 - 2 x2 + 1) on the whole plane: one region, whose lines e1 and e2 map to
    # opposite directions of one line.
    spec = {"format": "polyregions/network-v1", "input_dim": 2, "layers": [
        {"type": "linear", "weights": [[1, -1], [2, -2]], "biases": [0, 1]}]}
    path = str(tmp_path / "reachable.jsonl")
    range_json([model(spec), "--whole-space", "--out", path], capsys)
    [line] = _stored(path).records
    assert line["lines"] == [[0, 1, 2]] and line["rays"] == []
    assert _as_points(line["points"]) == {(Fraction(0), Fraction(1))}


def test_out_marks_a_partial_run_in_its_footer(model, capsys, tmp_path):
    path = str(tmp_path / "reachable.jsonl")
    run(["range", model(TWO_OUTPUTS), "--box", "-1", "1", "--max-regions", "2", "--out", path],
        capsys)
    footer = _stored(path).footer
    assert (footer["count"], footer["stop_reason"]) == (2, "max_regions")


def test_out_into_a_missing_folder_fails_before_the_work(model, capsys, tmp_path):
    missing = str(tmp_path / "no" / "reachable.jsonl")
    assert_one_line_error(*run(["range", model(TWO_OUTPUTS), "--box", "-1", "1", "--out", missing],
                               capsys), "cannot write")
