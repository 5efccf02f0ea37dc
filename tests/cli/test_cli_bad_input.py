"""Bad input on the command line: exit 2 and one line naming the file or the value, never exit 1.

Each case here used to end in "internal error" (exit 1) or was silently ignored.
"""

import json
import subprocess
from pathlib import Path

import numpy as np
import pytest

from tests.cli_helpers import assert_one_line_error, command, run

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


# /proc takes no new files (not even from root: permissions cannot tell), and /dev/null is no folder.
@pytest.mark.parametrize("argv, path", [
    (["count", "--out", "/proc/x.jsonl"], "/proc/x.jsonl"),
    (["count", "--checkpoint", "/proc/ck"], "/proc/ck"),
    (["graph", "--checkpoint", "/proc/ck"], "/proc/ck"),
    (["certify", "-o", "{tmp}/c.json", "--checkpoint", "/dev/null/x"], "/dev/null/x"),
])
def test_outputs_that_cannot_be_created(model, tmp_path, capsys, argv, path):
    argv = [a.replace("{tmp}", str(tmp_path)) for a in argv]
    line = one_line_error([argv[0], model, "--box", "-1", "1", *argv[1:]], capsys)
    assert f"cannot write {path}: " in line
    assert list(tmp_path.iterdir()) == [tmp_path / "model.json"]  # nothing was left behind


@pytest.mark.parametrize("option", ["--csv", "--out", "--save-model"])
def test_train_outputs_that_cannot_be_created(capsys, option):
    line = one_line_error(["train", "--task", "xor", "--widths", "2,2", "--epochs", "1",
                           "--samples", "8", option, "/proc/x.out"], capsys)
    assert "cannot write /proc/x.out: " in line


def test_the_output_check_leaves_files_as_they_were(tmp_path):
    from polyregions.cli.options import check_output_file

    old, new = tmp_path / "old.json", tmp_path / "new.json"
    old.write_text("old")
    check_output_file(str(old))
    check_output_file(str(new))
    assert old.read_text() == "old" and not new.exists()


def test_writers_name_the_path_the_system_refuses():
    # The checks before the work cannot foresee everything: the writers say it too.
    from polyregions.enumeration.stream import RegionWriter
    from polyregions.errors import ExportError
    from polyregions.io.model import save_network
    from polyregions.network import network_from_dict
    from polyregions.params.train import write_csv

    network = network_from_dict(THREE_LINES)
    writers = [lambda path: RegionWriter(path, network, None),
               lambda path: save_network(network, path),
               lambda path: write_csv({"tracked": [], "history": []}, path)]
    for write in writers:
        with pytest.raises(ExportError, match="^cannot write /proc/x: No such file or directory$"):
            write("/proc/x")


@pytest.fixture
def split_model(tmp_path):
    """A model large enough for the checkpoint to keep parts (small ones finish while splitting)."""
    from polyregions.io.model import save_network
    from tests.networks import random_network, to_network

    path = tmp_path / "split.json"
    save_network(to_network(random_network(0, 2, [4, 4], ["relu", "relu"]), 2), path)
    return str(path)


def _checkpointed_part(argv, capsys):
    """Run `argv` once to fill its checkpoint; its first part, replaced by an empty folder."""
    assert run(argv, capsys)[0] == 0
    part = sorted(Path(argv[argv.index("--checkpoint") + 1]).glob("part-*.json"))[0]
    part.unlink()
    part.mkdir()
    return part


def test_a_checkpoint_part_replaced_by_an_empty_folder_is_recomputed(split_model, tmp_path, capsys):
    argv = ["count", split_model, "--box", "-2", "2", "--regions-only", "--json"]
    status, out, _ = run(argv, capsys)
    serial = json.loads(out)["activation_regions"]  # the count without a checkpoint
    argv += ["--checkpoint", str(tmp_path / "ck")]
    part = _checkpointed_part(argv, capsys)
    status, out, err = run(argv, capsys)
    assert status == 0, err
    assert json.loads(out)["activation_regions"] == serial
    assert part.is_file()


def test_a_checkpoint_part_replaced_by_a_full_folder(split_model, tmp_path, capsys, caplog):
    argv = ["count", split_model, "--box", "-2", "2", "--regions-only",
            "--checkpoint", str(tmp_path / "ck")]
    part = _checkpointed_part(argv, capsys)
    (part / "keep.txt").write_text("not ours")
    line = one_line_error(argv, capsys)
    assert f"cannot write {part}: Directory not empty" in line
    assert part.name in caplog.text  # the warning named the bad part
    assert (part / "keep.txt").read_text() == "not ours"


def test_an_npz_file_that_is_not_a_zip(tmp_path, capsys):
    path = tmp_path / "g.npz"
    path.write_bytes(b"PK\x03\x04garbage")  # a zip's first four bytes, then nothing of one
    line = one_line_error(["count", str(path), "--box", "-1", "1"], capsys)
    assert f"cannot read model file {path} as .npz: " in line


def _damaged_npz(tmp_path, damage):
    """A valid .npz model of THREE_LINES with the bytes of its first array's data `damage`d."""
    path = tmp_path / "damaged.npz"
    layer = THREE_LINES["layers"][0]
    np.savez_compressed(path, input_dim=2, layer0_type="relu", layer0_weights=layer["weights"],
                        layer0_biases=layer["biases"])
    data = bytearray(path.read_bytes())
    # The first member's data follows its 30-byte local header, its name and its extra field.
    start = 30 + int.from_bytes(data[26:28], "little") + int.from_bytes(data[28:30], "little")
    path.write_bytes(damage(data, start))
    return path


@pytest.mark.parametrize("damage", [
    lambda data, start: data[:start] + bytes(b ^ 0xFF for b in data[start:start + 8])
    + data[start + 8:],  # a broken deflate stream or a bad CRC, found when the array is read
    lambda data, start: data[:start + 4],  # cut: no central directory at all
])
def test_a_damaged_npz_file(tmp_path, capsys, damage):
    path = _damaged_npz(tmp_path, damage)
    line = one_line_error(["count", str(path), "--box", "-1", "1"], capsys)
    assert f"cannot read model file {path} as .npz: " in line


@pytest.mark.parametrize("command", [["bounds"], ["sample", "--seeds", "1"], ["train", "--task", "xor"]])
def test_widths_beyond_the_maximum(capsys, command):
    # 10**23 units used to overflow the index size of a list (OverflowError, exit 1).
    line = one_line_error([*command, "--widths", "2,99999999999999999999999"], capsys)
    assert "width n1 must be at most 1000000, got '99999999999999999999999'" in line


def test_widths_at_the_maximum_are_accepted():
    from polyregions.cli.options import parse_widths

    assert parse_widths("1000000,1000000") == (10 ** 6, 10 ** 6)


@pytest.mark.parametrize("option, value, words", [
    ("--noise", "-1", "the noise must be a number from 0 to 1000, got -1.0"),
    ("--noise", "nan", "the noise must be a number from 0 to 1000, got nan"),
    ("--noise", "1e308", "the noise must be a number from 0 to 1000, got 1e+308"),
    ("--seed", "-1", "the seed must be an integer from 0 to 4294967294, got -1"),
    ("--seed", "4294967295", "the seed must be an integer from 0 to 4294967294, got 4294967295"),
    ("--samples", "100000000000", "samples must be an integer from 3 to 10000000, got 100000000000"),
])
def test_train_settings_out_of_range(capsys, option, value, words):
    line = one_line_error(["train", "--task", "moons", "--widths", "2,3", "--epochs", "1",
                           option, value], capsys)
    assert words in line


def test_train_settings_at_their_limits_are_accepted(capsys):
    status, out, err = run(["train", "--task", "xor", "--widths", "2,2", "--epochs", "0",
                            "--no-count", "--samples", "3", "--noise", "1000",
                            "--seed", "4294967294", "--json"], capsys)
    assert status == 0, err
    assert json.loads(out)["epochs"] == 0


@pytest.mark.parametrize("command", [["sample", "--seeds", "1"],
                                     ["train", "--task", "xor", "--epochs", "0", "--no-count"]])
def test_rank_with_relu_units_is_refused_not_ignored(capsys, command):
    # It used to run and report rank 2; bounds --relu --rank 3 refuses the same combination.
    line = one_line_error([*command, "--widths", "2,3", "--kind", "relu", "--rank", "5"], capsys)
    assert "--kind relu means rank 2, got --rank 5" in line


@pytest.mark.parametrize("rank", [[], ["--rank", "2"]])
def test_relu_units_with_the_default_rank_still_run(capsys, rank):
    status, out, err = run(["sample", "--seeds", "1", "--widths", "1,2", "--kind", "relu",
                            "--box", "-1", "1", *rank, "--json"], capsys)
    assert status == 0, err
    assert json.loads(out)["rank"] == 2


@pytest.mark.parametrize("norm", [[], ["--norm", "1"]])  # a box, then a polytope inside
def test_a_ball_of_the_wrong_dimension_is_called_a_ball(model, capsys, norm):
    line = one_line_error(["count", model, "--ball", "0,0,0", "1", *norm], capsys)
    assert "the ball domain is in R^3 but the network takes 2 inputs" in line


@pytest.mark.parametrize("domain", [["--box", "0", "1"], ["--ball", ",".join(["0"] * 784), "1/50"]])
def test_count_of_a_784_input_box_is_refused_at_once_suggesting_a_slice(tmp_path, domain):
    """A box in R^784 has 2^784 vertices: the count used to hang building it."""
    path = tmp_path / "wide.json"
    path.write_text(json.dumps({"format": "polyregions/network-v1", "input_dim": 784, "layers": [
        {"type": "relu", "weights": [[1] * 784], "biases": [0]}]}))
    # In a child with a timeout: without the refusal the box alone would never be built.
    done = subprocess.run([*command(), "count", str(path), *domain], capture_output=True, text=True,
                          check=False, timeout=60)
    assert_one_line_error(done.returncode, done.stdout, done.stderr,
                          "a box in R^784 has 2^784 vertices")
    assert "--slice P1 P2 P3 --box LO HI" in done.stderr
