"""Running the command line in-process, shared by the CLI tests."""

import os
import sys

from polyregions.cli.main import main

# relu(x), relu(y), relu(x + y): three lines through the origin, 6 sectors.
THREE_LINES = {"format": "polyregions/network-v1", "input_dim": 2, "layers": [
    {"type": "relu", "weights": [[1, 0], [0, 1], [1, 1]], "biases": [0, 0, 0]}]}

# relu(x), relu(x - 1), relu(y): two vertical lines x = 0, x = 1 and the line y = 0.
SHIFTED = {"format": "polyregions/network-v1", "input_dim": 2, "layers": [
    {"type": "relu", "weights": [[1, 0], [1, 0], [0, 1]], "biases": [0, -1, 0]}]}

# relu(x1), relu(x2), relu(x3) in R^3.
COORDINATES_3D = {"format": "polyregions/network-v1", "input_dim": 3, "layers": [
    {"type": "relu", "weights": [[1, 0, 0], [0, 1, 0], [0, 0, 1]], "biases": [0, 0, 0]}]}


def run(argv, capsys):
    """Run the command in-process; return (exit status, stdout, stderr)."""
    try:
        status = main(argv)
    except SystemExit as exit:  # argparse usage errors
        status = exit.code
    out, err = capsys.readouterr()
    return status, out, err


def assert_one_line_error(status, out, err, words):
    """Exit 2, nothing on stdout, and one 'polyregions: error:' line holding `words`."""
    assert status == 2
    assert out == ""
    assert "Traceback" not in err
    lines = err.splitlines()
    assert len(lines) == 1 and err.endswith("\n"), err
    assert lines[0].startswith("polyregions: error: ")
    assert words in lines[0]


def command():
    """The installed ``polyregions`` script, or the module run by this Python."""
    script = os.path.join(os.path.dirname(sys.executable), "polyregions")
    return [script] if os.path.exists(script) else [sys.executable, "-m", "polyregions.cli.main"]
