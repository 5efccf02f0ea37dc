"""``polyregions train``: usage errors before the work; a progress bar that is never required."""

import json
import sys

from tests.cli_helpers import run

QUICK = ["train", "--task", "xor", "--widths", "2,3", "--epochs", "1", "--samples", "20"]


def test_save_model_without_counts_fails_before_training(tmp_path, capsys):
    # The run used to be trained and written to --out before the refusal.
    out = tmp_path / "run.json"
    status, stdout, err = run(QUICK + ["--no-count", "--save-model", str(tmp_path / "m.json"),
                                       "--out", str(out)], capsys)
    assert (status, stdout) == (2, "")
    assert err == "polyregions: error: --save-model needs the counts (drop --no-count)\n"
    assert not out.exists()


def test_train_on_a_terminal_without_tqdm_still_trains(tmp_path, capsys, monkeypatch):
    # The bar is a nicety: without tqdm, train used to stop with an internal error (exit 1).
    monkeypatch.setitem(sys.modules, "tqdm", None)  # makes `import tqdm` raise ImportError
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    out = tmp_path / "run.json"
    status, _, err = run(QUICK + ["--no-count", "--out", str(out)], capsys)
    assert (status, err) == (0, "")
    assert [h["epoch"] for h in json.loads(out.read_text())["history"]] == [0, 1]

