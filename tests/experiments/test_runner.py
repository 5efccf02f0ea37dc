"""The experiment runner: rows in unit order on any pool, partial runs kept, clear refusals."""

import json

import pytest

from polyregions.errors import MissingDependencyError, UsageError
from polyregions.experiments.runner import Experiment, redraw_experiment, run_experiment

pytest.importorskip("matplotlib")


def _settings(quick):
    return {"n": 3 if quick else 6, "seeds": [0, 1]}


def _units(settings):
    return list(range(settings["n"]))


def _square(unit):
    if unit == 4:
        raise KeyboardInterrupt  # as Ctrl-C would, in the middle of the run
    return [{"unit": unit, "square": unit * unit}, {"unit": unit, "square": -unit}]


def _summarize(rows, settings):
    return {"total": sum(r["square"] for r in rows)}


def _draw(rows, settings, summary):
    import matplotlib.pyplot as plt

    figure, ax = plt.subplots()
    ax.plot([r["unit"] for r in rows], [r["square"] for r in rows])
    return figure


SQUARES = Experiment("squares", "squares of the units", _settings, _units, _square, _summarize,
                     _draw)


def test_rows_come_in_unit_order_whatever_the_workers(tmp_path):
    serial = run_experiment(SQUARES, tmp_path / "a", quick=True)
    pooled = run_experiment(SQUARES, tmp_path / "b", quick=True, workers=2)
    assert serial.rows == pooled.rows
    assert [r["unit"] for r in serial.rows] == [0, 0, 1, 1, 2, 2]
    assert serial.summary == {"total": 0 + 1 + 4 - 0 - 1 - 2}
    assert not serial.partial and serial.units_done == serial.units_total == 3


def test_ctrl_c_keeps_the_finished_units_marked_partial(tmp_path):
    result = run_experiment(SQUARES, tmp_path, quick=False)
    assert result.interrupted and result.partial
    assert result.units_done == 4 and result.units_total == 6
    record = json.loads((tmp_path / "squares.json").read_text())
    assert record["partial"] and record["interrupted"] and len(record["rows"]) == 8
    assert (tmp_path / "squares.png").exists()


def test_a_time_limit_stops_new_units(tmp_path):
    result = run_experiment(SQUARES, tmp_path, quick=True, time_limit=1e-9)
    assert result.partial and not result.interrupted
    assert result.units_done < 3


@pytest.mark.parametrize("workers", [0, -1, 1.5, True])
def test_bad_workers_are_refused(tmp_path, workers):
    with pytest.raises(UsageError, match="workers"):
        run_experiment(SQUARES, tmp_path, quick=True, workers=workers)


def test_a_missing_library_is_named_before_any_work(tmp_path):
    missing = Experiment("m", "m", _settings, _units, _square, _summarize, _draw,
                         needs=("no_such_module_here",))
    with pytest.raises(MissingDependencyError, match=r"^experiment m needs no_such_module_here: "
                                                     r"\.venv/bin/pip install -e '\.\[experiments\]'$"):
        run_experiment(missing, tmp_path / "never", quick=True)
    assert not (tmp_path / "never").exists()


def test_redraw_draws_the_figure_from_the_written_numbers(tmp_path):
    run_experiment(SQUARES, tmp_path, quick=True)
    (tmp_path / "squares.png").unlink()
    files = redraw_experiment(SQUARES, tmp_path)
    assert [p.name for p in files] == ["squares.png", "squares.pdf"]
    assert (tmp_path / "squares.png").read_bytes()[:4] == b"\x89PNG"


@pytest.mark.parametrize("content, reason", [(None, "No such file"), ("{", "not JSON"),
                                             ('{"format": "other"}', "not a polyregions")])
def test_redraw_refuses_a_folder_without_a_result(tmp_path, content, reason):
    if content is not None:
        (tmp_path / "squares.json").write_text(content)
    with pytest.raises(UsageError, match=reason):
        redraw_experiment(SQUARES, tmp_path)
