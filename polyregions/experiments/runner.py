"""Run one experiment: its work units (in parallel if asked), then its numbers and its figure.

An :class:`Experiment` is data plus four functions: the settings of a quick or a
full run, the list of independent work units those settings make, the function
that turns one unit into result rows, and the summary and figure drawn from all
rows. :func:`run_experiment` runs the units in order (or on a process pool, with
the same rows in the same order), and writes to one folder:

* ``NAME.csv``: the rows, one line each;
* ``NAME.json``: ``polyregions/experiment-v1``: the settings (every seed
  included), the summary, the rows, the versions of Python and of the libraries
  used, the command, the time taken and whether the run is ``partial``;
* ``NAME.png`` and ``NAME.pdf``: the figure.

On Ctrl-C (or at `time_limit`) the finished units are kept: the files are
written from them, marked ``"partial": true``, and the figure's title says so.
"""

import csv
import importlib.metadata
import json
import os
import platform
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import ExportError, UsageError, require_extra

__all__ = ["Experiment", "ExperimentResult", "run_experiment", "redraw_experiment", "versions",
           "FORMAT"]

FORMAT = "polyregions/experiment-v1"
#: The distributions whose versions every result records (those installed).
RECORDED = ("polyregions", "numpy", "sympy", "scipy", "networkx", "pycddlib", "matplotlib",
            "torch", "scikit-learn")

Row = dict[str, Any]


@dataclass(frozen=True)
class Experiment:
    """One experiment of the seed paper, as data and functions.

    Attributes
    ----------
    name : str
        Its command name (``init-complexity``).
    title : str
        One line: what it measures.
    settings : callable
        ``settings(quick) -> dict``: JSON-ready settings, the seeds included.
    units : callable
        ``units(settings) -> list``: independent, picklable work units.
    run_unit : callable
        ``run_unit(unit) -> list of dict``: the rows of one unit (a module-level
        function, so that a process pool can call it).
    summarize : callable
        ``summarize(rows, settings) -> dict``: JSON-ready findings.
    draw : callable
        ``draw(rows, settings, summary) -> matplotlib Figure``.
    needs : tuple of str
        Modules it imports (checked before any work, for a one-line message).

    Examples
    --------
    >>> from polyregions.experiments.registry import EXPERIMENTS
    >>> experiment = EXPERIMENTS["count-distributions"]
    >>> isinstance(experiment, Experiment), experiment.name
    (True, 'count-distributions')
    """

    name: str
    title: str
    settings: Callable[[bool], dict[str, Any]]
    units: Callable[[dict[str, Any]], list[Any]]
    run_unit: Callable[[Any], list[Row]]
    summarize: Callable[[list[Row], dict[str, Any]], dict[str, Any]]
    draw: Callable[[list[Row], dict[str, Any], dict[str, Any]], Any]
    needs: tuple[str, ...] = field(default=("matplotlib",))


@dataclass(frozen=True)
class ExperimentResult:
    """What :func:`run_experiment` did: its rows, findings and files.

    Attributes
    ----------
    name : str
    settings, summary : dict
    rows : tuple of dict
    partial : bool
        True when stopped (Ctrl-C or the time limit) before every unit finished.
    interrupted : bool
        True when Ctrl-C stopped it.
    units_done, units_total : int
    seconds : float
    files : tuple of Path
        The CSV, JSON, PNG and PDF files written.

    Examples
    --------
    >>> import tempfile
    >>> import pytest
    >>> _ = pytest.importorskip("matplotlib")
    >>> from polyregions.experiments.registry import EXPERIMENTS
    >>> result = run_experiment(EXPERIMENTS["count-distributions"], tempfile.mkdtemp(), quick=True)
    >>> result.partial, result.units_done == result.units_total, sorted(p.suffix for p in result.files)
    (False, True, ['.csv', '.json', '.pdf', '.png'])
    """

    name: str
    settings: dict[str, Any]
    summary: dict[str, Any]
    rows: tuple[Row, ...]
    partial: bool
    interrupted: bool
    units_done: int
    units_total: int
    seconds: float
    files: tuple[Path, ...]


def versions() -> dict[str, str]:
    """Python's version and those of the recorded distributions that are installed.

    Examples
    --------
    >>> v = versions()
    >>> "python" in v and "numpy" in v
    True
    """
    found = {"python": platform.python_version(), "platform": platform.platform()}
    for name in RECORDED:
        try:
            found[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            continue
    return found


def check_needs(experiment: Experiment) -> None:
    """Refuse, before any work, an experiment whose libraries are missing (one line)."""
    for module in experiment.needs:
        require_extra(module, "experiments", f"experiment {experiment.name}")


def run_experiment(experiment: Experiment, folder: str | os.PathLike[str], *, quick: bool = False,
                   workers: int = 1, time_limit: float | None = None,
                   progress: Callable[[int, int], object] | None = None) -> ExperimentResult:
    """Run `experiment` and write its numbers and figure into `folder`.

    Parameters
    ----------
    experiment : Experiment
    folder : path
        Created if missing; the files are named after the experiment.
    quick : bool
        The quick settings (minutes at most; what the tests run).
    workers : int
        Processes for the work units (1: this process). The rows do not depend on it.
    time_limit : float, optional
        Seconds after which no new unit starts; the result is then partial.
    progress : callable, optional
        ``progress(done, total)`` after each unit.

    Returns
    -------
    ExperimentResult

    Raises
    ------
    UsageError
        When a library it needs is missing, or an argument is out of range.
    ExportError
        When the folder cannot be written.

    Examples
    --------
    >>> import tempfile
    >>> from polyregions.experiments.registry import EXPERIMENTS
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     result = run_experiment(EXPERIMENTS["init-complexity"], folder, quick=True)
    ...     sorted(p.suffix for p in result.files)
    ['.csv', '.json', '.pdf', '.png']
    """
    check_needs(experiment)
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
        raise UsageError(f"workers must be a positive integer, got {workers!r}")
    if time_limit is not None and not time_limit > 0:
        raise UsageError(f"the time limit must be positive, got {time_limit!r}")
    out = _folder(folder)
    settings = experiment.settings(quick)
    units = experiment.units(settings)
    start = time.monotonic()
    rows, done, interrupted = _run_units(experiment, units, workers, time_limit, progress)
    partial = done < len(units)
    summary = experiment.summarize(rows, settings) if rows else {}
    seconds = time.monotonic() - start
    record = {"format": FORMAT, "name": experiment.name, "title": experiment.title,
              "quick": quick, "partial": partial, "interrupted": interrupted,
              "units_done": done, "units_total": len(units),
              "seconds": round(seconds, 3), "settings": settings, "summary": summary,
              "versions": versions(), "command": sys.argv, "rows": rows}
    files = [_write_json(record, out / f"{experiment.name}.json"),
             _write_csv(rows, out / f"{experiment.name}.csv")]
    if rows:
        files += _write_figure(experiment, rows, settings, summary, partial, out)
    return ExperimentResult(experiment.name, settings, summary, tuple(rows), partial, interrupted,
                            done, len(units), seconds, tuple(files))


def redraw_experiment(experiment: Experiment, folder: str | os.PathLike[str]) -> tuple[Path, ...]:
    """Draw the figure again from the numbers a run wrote into `folder` (nothing is recomputed).

    Returns the PNG and PDF paths.

    Raises
    ------
    UsageError
        When `folder` holds no result of `experiment`, or one without rows.

    Examples
    --------
    >>> from polyregions.experiments.registry import EXPERIMENTS
    >>> try:
    ...     redraw_experiment(EXPERIMENTS["init-complexity"], "/nonexistent")
    ... except UsageError as err:
    ...     print(err)
    /nonexistent/init-complexity.json: no result of init-complexity to redraw (No such file or directory)
    """
    check_needs(experiment)
    path = Path(folder) / f"{experiment.name}.json"
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        reason = err.strerror if isinstance(err, OSError) else f"not JSON: {err}"
        raise UsageError(f"{path}: no result of {experiment.name} to redraw ({reason})") from None
    if not isinstance(record, dict) or record.get("format") != FORMAT or \
            record.get("name") != experiment.name or not record.get("rows"):
        raise UsageError(f"{path}: not a {FORMAT} result of {experiment.name} with rows")
    return tuple(_write_figure(experiment, record["rows"], record["settings"], record["summary"],
                               bool(record.get("partial")), path.parent))


def _folder(folder):
    out = Path(folder)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise ExportError.cannot_write(out, err) from err
    return out


def _run_units(experiment, units, workers, time_limit, progress):
    """The rows of the units done (in unit order), how many, and whether Ctrl-C stopped them."""
    from ..enumeration.parallel import executor_for

    deadline = None if time_limit is None else time.monotonic() + time_limit
    executor = executor_for(min(workers, max(1, len(units))))
    rows: list[Row] = []
    done, interrupted = 0, False
    try:
        for unit_rows in executor.map(experiment.run_unit, _until(units, deadline)):
            rows.extend(unit_rows)
            done += 1
            if progress is not None:
                progress(done, len(units))
    except KeyboardInterrupt:
        interrupted = True
    finally:
        executor.close()
    return rows, done, interrupted


def _until(units: Sequence[Any], deadline: float | None):
    """The units, stopping when the deadline passes (a pool may have started a few more)."""
    for unit in units:
        if deadline is not None and time.monotonic() > deadline:
            return
        yield unit


def _write_json(record, path):
    from ..numbers import json_dumps

    try:
        path.write_text(json_dumps(record) + "\n", encoding="utf-8")
    except OSError as err:
        raise ExportError.cannot_write(path, err) from err
    return path


def _write_csv(rows, path):
    header = list(dict.fromkeys(key for row in rows for key in row))
    try:
        with open(path, "w", newline="", encoding="utf-8") as f:
            out = csv.DictWriter(f, header)
            out.writeheader()
            out.writerows({k: _cell(v) for k, v in row.items()} for row in rows)
    except OSError as err:
        raise ExportError.cannot_write(path, err) from err
    return path


def _cell(value):
    return json.dumps(value) if isinstance(value, (list, dict)) else value


def _write_figure(experiment, rows, settings, summary, partial, out):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure = experiment.draw(rows, settings, summary)
    if partial:
        figure.suptitle(f"{figure.get_suptitle()} (PARTIAL RUN)".strip())
    paths = [out / f"{experiment.name}.png", out / f"{experiment.name}.pdf"]
    try:
        for path in paths:
            figure.savefig(path, dpi=150, bbox_inches="tight")
    except OSError as err:
        raise ExportError.cannot_write(path, err) from err
    finally:
        plt.close(figure)
    return paths
