"""``polyregions count``: counts known by hand, every domain flag, one-line errors."""

import json

import pytest

from tests.cli_helpers import COORDINATES_3D, SHIFTED, THREE_LINES, assert_one_line_error, run


def count_json(argv, capsys):
    status, out, err = run(["count", *argv, "--json"], capsys)
    assert (status, err) == (0, "")
    return json.loads(out)


# ---------------------------------------------------------------- counts known by hand


def test_box_count_as_json(model, capsys):
    result = count_json([model(THREE_LINES), "--box", "-1", "1"], capsys)
    assert {"input_dim", "activation_regions", "bounded_regions", "seconds", "complete"} <= set(result)
    assert result["input_dim"] == 2
    assert result["activation_regions"] == 6  # the six sectors around the origin
    assert result["bounded_regions"] == 6  # all cut off by the box
    assert result["complete"] is True
    assert isinstance(result["seconds"], float) and result["seconds"] >= 0
    assert result["domain"] == {"kind": "box", "dim": 2, "input_dim": 2,
                                "lower": ["-1", "-1"], "upper": ["1", "1"]}

@pytest.mark.parametrize("box, regions", [
    (["-1/2", "3/2"], 6),  # x = 0 and x = 1 inside, y = 0 inside: 3 x 2
    (["-1", "1"], 4),  # x = 1 is on the boundary: 2 x 2
    (["-.5", "1e-3"], 4),  # x = 1 is outside: 2 x 2
    (["1/4", "3/4"], 1),  # no line crosses [1/4, 3/4]^2
])
def test_negative_and_fractional_box_bounds_parse(model, capsys, box, regions):
    result = count_json([model(SHIFTED), "--box", *box], capsys)
    assert result["activation_regions"] == result["bounded_regions"] == regions

def test_bounds_axis_by_axis(model, capsys):
    # x in [-1/2, 3/2] is cut by x = 0 and x = 1; y in [1, 2] is not cut by y = 0.
    result = count_json([model(SHIFTED), "--bounds", "-1/2:3/2,1:2"], capsys)
    assert result["activation_regions"] == 3
    assert result["domain"]["lower"] == ["-1/2", "1"] and result["domain"]["upper"] == ["3/2", "2"]
    assert count_json([model(SHIFTED), "--bounds=-1:1,-1:1"], capsys)["activation_regions"] == 4

def test_whole_space_regions_are_unbounded(model, capsys):
    result = count_json([model(THREE_LINES), "--whole-space"], capsys)
    # Lines through one point: 6 sectors, every one unbounded.
    assert (result["activation_regions"], result["bounded_regions"]) == (6, 0)
    assert result["domain"]["kind"] == "whole_space"
    result = count_json([model(SHIFTED), "--whole-space"], capsys)
    assert (result["activation_regions"], result["bounded_regions"]) == (6, 0)  # 3 strips x 2

def test_balls(model, capsys):
    path = model(THREE_LINES)
    # |x - 1/2| + |y| <= 1 holds the origin inside (1/2 < 1): all six sectors.
    result = count_json([path, "--ball", "1/2,0", "1", "--norm", "1"], capsys)
    assert result["activation_regions"] == 6 and result["domain"]["kind"] == "polytope"
    assert len(result["domain"]["inequalities"]) == 4
    # [1/2, 3/2] x [-1/2, 1/2]: only y = 0 crosses; x + y = 0 touches the corner (1/2, -1/2).
    for norm in (["--norm", "inf"], []):
        result = count_json([path, "--ball", "1,0", "1/2", *norm], capsys)
        assert result["activation_regions"] == 2
        assert result["domain"]["lower"] == ["1/2", "-1/2"]
    # A centre with a leading minus sign: [-3/2, -1/2]^2 lies inside one sector.
    assert count_json([path, "--ball", "-1,-1", "1/2"], capsys)["activation_regions"] == 1

def test_polytope_files(model, capsys, tmp_path):
    ine = tmp_path / "square.ine"
    ine.write_text("* [-1, 1]^2 with a redundant row\nH-representation\nbegin\n 5 3 rational\n"
                   " 1 -1 0\n 1 1 0\n 1 0 -1\n 1 0 1\n 3 -1 -1\nend\n")
    result = count_json([model(THREE_LINES), "--polytope", str(ine)], capsys)
    assert result["activation_regions"] == 6 and len(result["domain"]["inequalities"]) == 4
    # The triangle x >= -1, y >= -1, x + y <= 1/2 (A x <= b) and the lines x = 0, x = 1, y = 0:
    # for x < 0 both sides of y = 0 (2); for 0 < x < 1 both sides too, y = 0 crossing where
    # x < 1/2 (2); for x > 1 only y <= 1/2 - x < 0 (1). 5 regions.
    tri = tmp_path / "triangle.json"
    tri.write_text(json.dumps({"A": [[-1, 0], [0, -1], [1, 1]], "b": [1, 1, "1/2"]}))
    result = count_json([model(SHIFTED), "--polytope", str(tri)], capsys)
    assert result["activation_regions"] == result["bounded_regions"] == 5

def test_slices(model, capsys):
    path = model(COORDINATES_3D)
    # (s, t) -> (s, t, -1/2 + s + t): the lines s = 0, t = 0 and s + t = 1/2 in general
    # position, meeting at (0, 0), (0, 1/2), (1/2, 0) inside [-1, 1]^2: 7 regions.
    result = count_json([path, "--slice", "0,0,-1/2", "1,0,1/2", "0,1,1/2", "--box", "-1", "1"], capsys)
    assert result["activation_regions"] == 7
    assert result["domain"]["points"] == [["0", "0", "-1/2"], ["1", "0", "1/2"], ["0", "1", "1/2"]]
    assert (result["input_dim"], result["domain"]["dim"]) == (3, 2)
    # On the plane z = 1/2 the third unit never switches: 4 quadrants.
    result = count_json([path, "--slice", "0,0,1/2", "1,0,1/2", "0,1,1/2", "--box", "-1", "1"], capsys)
    assert result["activation_regions"] == 4
    # A first point with a minus sign: (s, t) -> (-1 + 2s + t, t, 0). The lines 2s + t = 1 and
    # t = 0 cross at (1/2, 0); x3 = 0 is a tie everywhere (piece 0): 4 regions.
    result = count_json([path, "--slice", "-1,0,0", "1,0,0", "0,1,0", "--box", "-1", "1"], capsys)
    assert result["activation_regions"] == 4

def test_max_regions_marks_the_result_partial(model, capsys):
    result = count_json([model(THREE_LINES), "--box", "-1", "1", "--max-regions", "2"], capsys)
    assert result["activation_regions"] == 2 and result["complete"] is False
    result = count_json([model(THREE_LINES), "--box", "-1", "1", "--max-regions", "6"], capsys)
    assert result["activation_regions"] == 6 and result["complete"] is True

def test_human_table(model, capsys):
    status, out, err = run(["count", model(THREE_LINES), "--box", "-1/2", "1"], capsys)
    assert (status, err) == (0, "")
    lines = [" ".join(line.split()) for line in out.splitlines()]
    assert "activation regions 6" in lines
    assert "bounded regions 6" in lines
    assert "domain box [-1/2, 1] x [-1/2, 1]" in lines
    assert "network 2 -> 3 (relu)" in lines
    # Each region has its own map; the lines through 0 cut the square's sides into
    # 3 (left: at 0 and 1/2), 3 (bottom), 2 (top) and 2 (right) boundary facets.
    assert "linear regions 6" in lines and "boundary facets 10" in lines
    status, out, err = run(["count", model(THREE_LINES), "--box", "-1", "1", "--max-regions", "4"], capsys)
    lines = [" ".join(line.split()) for line in out.splitlines()]
    assert "activation regions 4 (partial: stopped by --max-regions; at least this many)" in lines

def test_regions_only_skips_the_graph(model, capsys):
    status, out, _ = run(["count", model(THREE_LINES), "--box", "-1", "1", "--json",
                          "--regions-only"], capsys)
    summary = json.loads(out)
    assert status == 0 and summary["activation_regions"] == 6
    assert summary["linear_regions"] is None and summary["decision_boundary_pieces"] is None


@pytest.mark.parametrize("limit, complete", [(2, False), (5, False), (6, True)])
def test_regions_only_counts_under_the_limits_as_the_enumeration_does(model, capsys, limit, complete):
    # Counted without keeping a region; the six regions of the three lines in [-1, 1]^2.
    argv = [model(THREE_LINES), "--box", "-1", "1", "--max-regions", str(limit)]
    counted = count_json(argv + ["--regions-only"], capsys)
    kept = count_json(argv, capsys)
    assert counted["activation_regions"] == kept["activation_regions"] == limit
    assert counted["bounded_regions"] == kept["bounded_regions"] == limit
    assert counted["complete"] is kept["complete"] is complete
    assert counted["stop_reason"] == kept["stop_reason"] == (None if complete else "max_regions")

@pytest.mark.parametrize("enabled", [True, False])
def test_the_collector_is_off_while_counting_and_as_it_was_after(model, capsys, monkeypatch, enabled):
    import gc

    from polyregions.analysis import linear
    from polyregions.cli import count

    seen = []

    def watched(module, name):
        original = getattr(module, name)
        def call(*args, **kwargs):
            seen.append((name, gc.isenabled()))
            return original(*args, **kwargs)
        monkeypatch.setattr(module, name, call)

    watched(count, "enumerate_with_options")
    watched(linear, "count_linear_regions")
    was = gc.isenabled()
    (gc.enable if enabled else gc.disable)()
    try:
        assert count_json([model(THREE_LINES), "--box", "-1", "1"], capsys)["linear_regions"] == 6
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()
    assert seen == [("enumerate_with_options", False), ("count_linear_regions", False)]


def test_a_tally_keeps_the_collector_on(model, capsys, monkeypatch):
    # --regions-only keeps no region: its memory must stay flat, cycles included.
    import gc

    from polyregions.cli import count

    seen = []
    original = count._tally

    def tally(*args, **kwargs):
        seen.append(gc.isenabled())
        return original(*args, **kwargs)

    monkeypatch.setattr(count, "_tally", tally)
    was = gc.isenabled()
    gc.enable()
    try:
        argv = [model(THREE_LINES), "--box", "-1", "1", "--regions-only"]
        assert count_json(argv, capsys)["activation_regions"] == 6
    finally:
        (gc.enable if was else gc.disable)()
    assert seen == [True]

def test_npz_models(capsys, tmp_path):
    import numpy as np

    path = tmp_path / "model.npz"
    np.savez(path, input_dim=2, layer0_type="relu",
             layer0_weights=np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]]), layer0_biases=np.zeros(3))
    assert count_json([str(path), "--box", "-1", "1"], capsys)["activation_regions"] == 6


# ---------------------------------------------------------------- bad input: exit 2, one line


BAD_MODELS = [
    ("{\"input_dim\": 2, \"layers\": [", "is not valid JSON"),
    (json.dumps({**THREE_LINES, "layers": [{**THREE_LINES["layers"][0], "biases": [0, 0, "1/0"]}]}),
     "'1/0' divides by zero"),
    ('{"input_dim": 2, "layers": [{"type": "relu", "weights": [[NaN, 0]], "biases": [0]}]}',
     "holds NaN"),
    (json.dumps({**THREE_LINES, "layers": [{**THREE_LINES["layers"][0], "type": "tanh"}]}),
     "unknown type 'tanh'"),
    ("[]", "the model must be a JSON object"),
]

@pytest.mark.parametrize("text, words", BAD_MODELS)
def test_bad_models(model, capsys, text, words):
    assert_one_line_error(*run(["count", model(text), "--box", "-1", "1"], capsys), words)

def test_missing_model_file(capsys, tmp_path):
    status, out, err = run(["count", str(tmp_path / "nope.json"), "--box", "-1", "1"], capsys)
    assert_one_line_error(status, out, err, "model file not found")

@pytest.mark.parametrize("data, args, words", [
    (THREE_LINES, ["--box", "1", "1"], "box axis 0: lower bound 1 is not below upper bound 1"),
    (THREE_LINES, ["--box", "2", "1"], "lower bound 2 is not below upper bound 1"),
    (THREE_LINES, ["--box", "abc", "1"], "'abc' is not a number"),
    (THREE_LINES, ["--box", "1/0", "1"], "'1/0' divides by zero"),
    (THREE_LINES, [], "no domain given"),
    (THREE_LINES, ["--box", "-1", "1", "--whole-space"], "choose one domain"),
    (THREE_LINES, ["--bounds", "-1:1,-1:1", "--ball", "0,0", "1"], "choose one domain"),
    (COORDINATES_3D, ["--slice", "0,0,0", "1,1,1", "2,2,2", "--box", "-1", "1"], "collinear"),
    (COORDINATES_3D, ["--slice", "0,0", "1,0", "0,1", "--box", "-1", "1"],
     "the slice domain is in R^2 but the network takes 3 inputs"),
    (COORDINATES_3D, ["--slice", "0,0,0", "1,0", "0,1,0", "--box", "-1", "1"],
     "must have the same number of coordinates"),
    (COORDINATES_3D, ["--slice", "0,0,0", "1,0,0", "0,1,0"], "--slice needs --box"),
    (THREE_LINES, ["--bounds", "-1:1:2,0:1"], "must look like LO1:HI1,LO2:HI2"),
    (THREE_LINES, ["--bounds", "-1,1"], "must look like LO1:HI1,LO2:HI2"),
    (THREE_LINES, ["--bounds", "-1:1,,0:1"], "must be comma-separated numbers"),
    (THREE_LINES, ["--bounds", ""], "must be comma-separated numbers"),
    (THREE_LINES, ["--bounds", "-1:1"], "the box domain is in R^1 but the network takes 2 inputs"),
    (THREE_LINES, ["--bounds", "0:1,0:1,0:1"], "the box domain is in R^3 but the network takes 2"),
    (THREE_LINES, ["--ball", "0,0", "0"], "ball radius must be positive"),
    (THREE_LINES, ["--ball", "0,,0", "1"], "must be comma-separated numbers"),
    (THREE_LINES, ["--box", "-1", "1", "--max-regions", "0"], "--max-regions must be positive, got 0"),
    (THREE_LINES, ["--box", "-1", "1", "--time-limit", "-1"], "--time-limit must be positive"),
])
def test_bad_domains_and_limits(model, capsys, data, args, words):
    assert_one_line_error(*run(["count", model(data), *args], capsys), words)

def test_bad_polytope_files(model, capsys, tmp_path):
    path = model(THREE_LINES)
    status, out, err = run(["count", path, "--polytope", str(tmp_path / "nope.ine")], capsys)
    assert_one_line_error(status, out, err, "polytope file not found")
    flat = tmp_path / "flat.ine"  # the segment y = 0, -1 <= x <= 1: not full-dimensional
    flat.write_text("H-representation\nlinearity 1 1\nbegin\n 3 3 rational\n 0 0 1\n 1 -1 0\n 1 1 0\nend\n")
    assert_one_line_error(*run(["count", path, "--polytope", str(flat)], capsys), "linearity")
    cube = tmp_path / "cube.json"
    cube.write_text(json.dumps({"A": [[1, 0, 0], [-1, 0, 0], [0, 1, 0], [0, -1, 0], [0, 0, 1], [0, 0, -1]],
                                "b": [1] * 6}))
    assert_one_line_error(*run(["count", path, "--polytope", str(cube)], capsys),
                          "the polytope domain is in R^3 but the network takes 2 inputs")


# ---------------------------------------------------------------- a ball is said as a ball


@pytest.mark.parametrize("norm, kind, cell", [
    ([], "box", "ball |x - (0, 0, 1/2)|_inf <= 1"),
    (["--norm", "1"], "polytope", "ball |x - (0, 0, 1/2)|_1 <= 1"),
])
def test_a_ball_is_described_as_a_ball(model, capsys, norm, kind, cell):
    argv = [model(COORDINATES_3D), "--ball", "0,0,2/4", "1", *norm]
    result = count_json(argv, capsys)
    # The exact description stays (an L-inf ball is a box to the engine); what was asked is beside it.
    assert result["domain"]["kind"] == kind
    assert result["domain"]["ball"] == {"center": ["0", "0", "1/2"], "radius": "1",
                                        "norm": norm[1] if norm else "inf"}
    # The three coordinate planes cut the ball around (0, 0, 1/2) of radius 1 into 8 octants.
    assert result["activation_regions"] == 8
    status, out, err = run(["count", *argv], capsys)
    assert status == 0 and f"\ndomain                    {cell}\n" in out
    assert "box [" not in out


@pytest.mark.parametrize("command, extra", [("count", []), ("graph", []), ("range", []),
                                             ("certify", ["-o", "c.json"]),
                                             ("plot", ["-o", "f.png"])])
def test_a_ball_of_the_wrong_dimension_is_called_a_ball(model, capsys, command, extra, tmp_path):
    extra = [str(tmp_path / e) if "." in e else e for e in extra]
    status, out, err = run([command, model(THREE_LINES), "--ball", "0,0,0", "1", *extra], capsys)
    assert_one_line_error(status, out, err, "the ball domain is in R^3 but the network takes 2 inputs")
    assert "box" not in err
