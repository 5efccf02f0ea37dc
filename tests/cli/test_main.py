"""The ``polyregions`` entry point: usage errors, and one-line errors from every subcommand."""

import subprocess
import sys

import pytest

from tests.cli_helpers import THREE_LINES, assert_one_line_error, command, run


@pytest.mark.parametrize("argv, words", [
    (["count", "MODEL", "--box", "-1", "1", "--max-regions", "x"], "invalid int value: 'x'"),
    (["count", "MODEL", "--box", "-1"], "argument --box: expected 2 arguments"),
    (["count", "MODEL", "--box", "-1", "1", "--norm", "2"], "invalid choice: '2'"),
    (["count"], "the following arguments are required: MODEL"),
    (["frobnicate"], "invalid choice: 'frobnicate'"),
    ([], "no command given"),
])
def test_usage_errors(model, capsys, argv, words):
    path = model(THREE_LINES)
    argv = [path if a == "MODEL" else a for a in argv]
    assert_one_line_error(*run(argv, capsys), words)

@pytest.mark.parametrize("argv, words", [
    # Three varied biases make a 3-D slice: the cell map draws 1-D and 2-D slices only.
    (["cells", "{model}", "--bias", "0:0", "--bias", "0:1", "--bias", "0:2", "--range", "-1", "1",
      "--box", "-1", "1", "--plot", "{tmp}/cells.png"], "--plot"),
    # A model needs counts to be saved for plotting; --no-count drops them.
    (["train", "--task", "moons", "--widths", "2,3", "--epochs", "1", "--no-count",
      "--save-model", "{tmp}/m.json"], "--save-model"),
    # A certificate into a folder that does not exist.
    (["certify", "{model}", "--box", "-1", "1", "-o", "{tmp}/missing/cert.json"], "cert"),
])
def test_more_bad_input_is_one_line(argv, words, model, capsys, tmp_path):
    path = model(THREE_LINES)
    argv = [a.format(model=path, tmp=tmp_path) for a in argv]
    status, out, err = run(argv, capsys)
    assert status == 2, err
    assert err.count("\n") == 1 and err.startswith("polyregions: error:") and words in err
    assert "Traceback" not in err


# ---------------------------------------------------------------- the installed command


def test_the_installed_command_reports_errors_in_one_line(model):
    proc = subprocess.run([*command(), "count", model("{\"layers\": "), "--box", "-1", "1"],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr.startswith("polyregions: error: model file ") and "not valid JSON" in proc.stderr
    assert len(proc.stderr.splitlines()) == 1 and "Traceback" not in proc.stderr


# ---------------------------------------------------------------- start-up: imports on first use

HEAVY = ("sympy", "networkx", "matplotlib", "numpy", "cdd")


def loaded_after(code):
    """The heavy libraries and the subcommand modules in sys.modules after `code`, in a fresh Python."""
    probe = (f"import sys\n{code}\n"
             f"print(sorted(m for m in sys.modules if m in {HEAVY!r} or m.startswith('polyregions.cli.')))")
    proc = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.split("\n")[-2]


def test_importing_the_command_line_loads_no_heavy_library():
    assert loaded_after("import polyregions.cli.main") == str(
        ["polyregions.cli.main", "polyregions.cli.options"])


def test_version_loads_no_subcommand():
    code = ("from polyregions.cli.main import main\n"
            "try:\n    main(['--version'])\nexcept SystemExit:\n    pass")
    assert loaded_after(code) == str(["polyregions.cli.main", "polyregions.cli.options"])


def test_a_count_loads_its_own_subcommand_and_no_symbolic_algebra(model):
    path = model(THREE_LINES)
    code = ("import contextlib, io\nfrom polyregions.cli.main import main\n"
            "with contextlib.redirect_stdout(io.StringIO()):\n"
            f"    assert main(['count', {path!r}, '--box', '-1', '1', '--json']) == 0")
    loaded = loaded_after(code)
    # The counts need no graph (no networkx) and no measure (no sympy); the engine needs numpy.
    assert "'polyregions.cli.count'" in loaded and "'numpy'" in loaded
    assert not any(f"'{name}'" in loaded for name in ("networkx", "sympy", "matplotlib",
                                                      "polyregions.cli.train", "polyregions.cli.plot"))
