"""``polyregions train``: usage errors before the work; a progress bar that is never required."""

import dataclasses
import json
import sys

import pytest

from polyregions.cli.options import Progress
from polyregions.params.tracking import tracking_domains
from polyregions.params.train import TrainingSettings, make_task, train
from tests.cli_helpers import assert_one_line_error, run

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



def _untimed(run):
    """The record without its timing fields (the only part two runs may differ in)."""
    return dict(run, tracked=[{k: v for k, v in t.items() if k != "count_seconds"}
                              for t in run["tracked"]])


def test_out_is_the_python_api_record_for_the_same_settings(tmp_path, capsys):
    out = tmp_path / "run.json"
    argv = ["train", "--task", "blobs", "--widths", "2,3", "--epochs", "3", "--samples", "30",
            "--optimizer", "sgd", "--momentum", "0.5", "--lr", "0.1", "--track-epochs", "0,3",
            "--slices", "2", "--seed", "4", "--out", str(out)]
    status, _, err = run(argv, capsys)
    assert (status, err) == (0, "")
    x, y = make_task("blobs", samples=30, seed=4)
    settings = TrainingSettings((2, 3), seed=4, epochs=3, lr=0.1, optimizer="sgd", momentum=0.5,
                                track_epochs=(0, 3))
    api = train(x, y, **dataclasses.asdict(settings), domains=tracking_domains(x, y, slices=2))
    written = json.loads(out.read_text())
    assert written.pop("task") == "blobs"
    assert _untimed(written) == _untimed(json.loads(json.dumps(api)))
    assert len(written["tracked"][0]["slices"]) == 2


def test_torch_out_is_the_python_api_record(tmp_path, capsys):
    pytest.importorskip("torch")
    from polyregions.training.torch_trainer import train_classifier

    out = tmp_path / "run.json"
    status, _, err = run(QUICK + ["--backend", "torch", "--out", str(out)], capsys)
    assert (status, err) == (0, "")
    x, y = make_task("xor", samples=20)
    api = train_classifier(x, y, TrainingSettings((2, 3), epochs=1))
    written = json.loads(out.read_text())
    assert written.pop("task") == "xor" and written["backend"] == "torch"
    assert _untimed(written) == _untimed(json.loads(json.dumps(api)))


def test_torch_missing_is_one_line_naming_the_install_command(capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "torch", None)  # makes `import torch` raise ImportError
    status, out, err = run(QUICK + ["--backend", "torch"], capsys)
    assert_one_line_error(status, out, err, ".venv/bin/pip install -e '.[torch]'")


def test_bad_tracked_epochs_are_one_line(capsys):
    status, out, err = run(QUICK + ["--track-epochs", "0,x"], capsys)
    assert_one_line_error(status, out, err, "--track-epochs must be epochs")
    status, out, err = run(QUICK + ["--track-epochs", "0,7"], capsys)
    assert_one_line_error(status, out, err, "tracked epochs must be integers from 0 to 1, got 7")


def test_ctrl_c_writes_the_partial_run_and_exits_130(tmp_path, capsys, monkeypatch):
    def interrupt(self, done, total=None):
        if done == 2:
            raise KeyboardInterrupt

    monkeypatch.setattr(Progress, "update", interrupt)
    out = tmp_path / "run.json"
    status, _, err = run(["train", "--task", "xor", "--widths", "2,3", "--epochs", "5",
                          "--samples", "20", "--track-every", "1", "--out", str(out)], capsys)
    assert status == 130
    assert err == "polyregions: interrupted after epoch 1; the run written is partial\n"
    written = json.loads(out.read_text())
    assert (written["interrupted"], written["epochs_done"]) == (True, 1)
    assert [t["epoch"] for t in written["tracked"]] == [0, 1]
