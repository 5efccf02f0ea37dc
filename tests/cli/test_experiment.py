"""``polyregions experiment``: one command per experiment, its files, its refusals."""

import json

import pytest

from polyregions.experiments.registry import EXPERIMENTS
from tests.cli_helpers import run

pytest.importorskip("matplotlib")


def test_quick_run_writes_the_files_it_reports(tmp_path, capsys):
    status, out, err = run(["experiment", "init-complexity", "--quick", "--out", str(tmp_path),
                            "--json"], capsys)
    assert status == 0, err
    report = json.loads(out)
    assert report["experiment"] == "init-complexity" and report["quick"]
    assert not report["partial"] and report["units_done"] == report["units_total"]
    assert sorted(p.rsplit(".", 1)[1] for p in report["files"]) == ["csv", "json", "pdf", "png"]
    record = json.loads((tmp_path / "init-complexity.json").read_text())
    assert record["summary"] == report["summary"]


def test_table_output_names_every_file(tmp_path, capsys):
    status, out, _ = run(["experiment", "init-complexity", "--quick", "--out", str(tmp_path)],
                         capsys)
    assert status == 0
    assert out.count("written") == 4 and "init-complexity.png" in out


def test_unknown_experiment_is_one_line_naming_the_choices(capsys):
    status, out, err = run(["experiment", "no-such"], capsys)
    assert status == 2 and out == ""
    assert err.count("\n") == 1 and "'no-such'" in err
    assert all(name in err for name in EXPERIMENTS)


def test_out_naming_a_file_is_refused(tmp_path, capsys):
    path = tmp_path / "file"
    path.write_text("x")
    status, _, err = run(["experiment", "init-complexity", "--quick", "--out", str(path)], capsys)
    assert status == 2 and "is a file" in err and err.count("\n") == 1


def test_redraw_recomputes_nothing_and_rewrites_the_figure(tmp_path, capsys):
    assert run(["experiment", "init-complexity", "--quick", "--out", str(tmp_path)], capsys)[0] == 0
    before = (tmp_path / "init-complexity.json").read_text()
    (tmp_path / "init-complexity.pdf").unlink()
    status, out, _ = run(["experiment", "init-complexity", "--redraw", "--out", str(tmp_path)],
                         capsys)
    assert status == 0 and out.count("written") == 2
    assert (tmp_path / "init-complexity.pdf").exists()
    assert (tmp_path / "init-complexity.json").read_text() == before


def test_redraw_of_an_empty_folder_is_one_line(tmp_path, capsys):
    status, _, err = run(["experiment", "init-complexity", "--redraw", "--out", str(tmp_path)],
                         capsys)
    assert status == 2 and err.count("\n") == 1 and "no result of init-complexity" in err
