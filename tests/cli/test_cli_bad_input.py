"""Bad input on the command line: exit 2 and one line naming the file or the value, never exit 1.

Each case here used to end in "internal error" (exit 1) or was silently ignored.
"""

import json

import numpy as np
import pytest

from tests.cli_helpers import run

# relu(x), relu(y), relu(x + y): three lines through the origin, 6 sectors of [-1, 1]^2.
THREE_LINES = {"format": "polyregions/network-v1", "input_dim": 2, "layers": [
    {"type": "relu", "weights": [[1, 0], [0, 1], [1, 1]], "biases": [0, 0, 0]}]}


@pytest.fixture
def model(tmp_path):
    path = tmp_path / "model.json"
    path.write_text(json.dumps(THREE_LINES))
    return str(path)


def one_line_error(argv, capsys):
    """Run the command; assert exit 2 with one 'polyregions: error:' line; return that line."""
    status, out, err = run(argv, capsys)
    assert (status, out) == (2, ""), err
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("polyregions: error: "), err
    return lines[0]


def test_an_empty_npz_file(tmp_path, capsys):
    path = tmp_path / "empty.npz"
    path.write_bytes(b"")
    line = one_line_error(["count", str(path), "--box", "-1", "1"], capsys)
    assert f"model file {path} is empty" in line


def test_an_npz_model_with_a_gap_in_its_layers(tmp_path, capsys):
    path = tmp_path / "gap.npz"
    layer = {"type": "relu", "weights": np.eye(2), "biases": np.zeros(2)}
    np.savez(path, input_dim=2, **{f"layer{i}_{k}": v for i in (0, 2) for k, v in layer.items()})
    line = one_line_error(["count", str(path), "--box", "-1", "1"], capsys)
    assert str(path) in line and "none of layer 1" in line


def test_an_unknown_key_in_a_json_model(tmp_path, capsys):
    path = tmp_path / "tanh.json"
    layer = {**THREE_LINES["layers"][0], "activation": "tanh"}
    path.write_text(json.dumps({**THREE_LINES, "layers": [layer]}))
    line = one_line_error(["count", str(path), "--box", "-1", "1"], capsys)
    assert f"model file {path}: layer 0 (relu) has unknown key 'activation'" in line


def test_out_naming_a_directory(model, tmp_path, capsys):
    line = one_line_error(["count", model, "--box", "-1", "1", "--out", str(tmp_path)], capsys)
    assert f"cannot write {tmp_path}: it is a directory" in line


@pytest.mark.parametrize("command", [["certify", "-o"], ["graph", "--export"]])
def test_other_outputs_naming_a_directory(model, tmp_path, capsys, command):
    folder = tmp_path / "a.json"
    folder.mkdir()
    line = one_line_error([command[0], model, "--box", "-1", "1", command[1], str(folder)], capsys)
    assert f"cannot write {folder}: it is a directory" in line


def test_checkpoint_naming_an_existing_file(model, tmp_path, capsys):
    path = tmp_path / "checkpoint"
    path.write_text("not a directory")
    line = one_line_error(["count", model, "--box", "-1", "1", "--checkpoint", str(path)], capsys)
    assert f"--checkpoint {path} is a file; it must name a directory" in line


@pytest.mark.parametrize("domain, kind", [
    (["--box", "-1", "1"], "box"),
    (["--bounds", "-1:1,-1:1"], "bounds"),
    (["--whole-space"], "whole-space"),
])
@pytest.mark.parametrize("norm", ["1", "inf"])
def test_norm_without_ball_is_refused_not_ignored(model, capsys, domain, kind, norm):
    line = one_line_error(["count", model, *domain, "--norm", norm], capsys)
    assert f"--norm {norm} applies to --ball only, not to --{kind}" in line


@pytest.mark.parametrize("norm, regions", [
    # The 1-ball |x| + |y| <= 1 is cut into the 6 sectors by the three lines through 0,
    # and so is the square [-1, 1]^2 (the inf-ball, also the default).
    (["--norm", "1"], 6), (["--norm", "inf"], 6), ([], 6),
])
def test_norm_with_ball_still_works(model, capsys, norm, regions):
    status, out, err = run(["count", model, "--ball", "0, 0", "1", *norm, "--json"], capsys)
    assert (status, err) == (0, "")
    assert json.loads(out)["activation_regions"] == regions


@pytest.mark.parametrize("value, words", [
    ("1_000", "'1_000' is not a number"),
    ("\u0663", "'\u0663' is not a number"),  # ARABIC-INDIC DIGIT THREE
    ("1.5/2", "'1.5/2' is not a number"),
    ("1 /2", "'1 /2' is not a number"),
    ("1/0", "'1/0' divides by zero"),
    ("1e99999999", "exponent 99999999 is outside the accepted range -4300 to 4300"),
])
def test_number_values_outside_the_grammar(model, capsys, value, words):
    line = one_line_error(["count", model, "--box", "-2", value], capsys)
    assert words in line


@pytest.mark.parametrize("argv, words", [
    # int() reads ARABIC-INDIC DIGIT THREE as 3, and \d matched it: 2,٣ was the widths 2,3.
    (["bounds", "--widths", "2,\u0663"], "width n1 must be a positive integer, got '\u0663'"),
    (["sample", "--widths", "2,\u0663", "--seeds", "1"], "must be n0,n1,...,nL"),
    (["train", "--task", "xor", "--widths", "2,\u0663"], "must be n0,n1,...,nL"),
])
def test_integer_options_take_ascii_digits_only(capsys, argv, words):
    assert words in one_line_error(argv, capsys)


def test_bias_entries_take_ascii_digits_only(model, capsys):
    line = one_line_error(["cells", model, "--box", "-1", "1", "--bias", "0:\u0661",
                           "--range", "0", "1"], capsys)
    assert "--bias '0:\u0661' must be L:U or L:U:P" in line
