"""Every code block of the README and of docs/*.md runs as written, and shows what it prints.

Each page runs in a scratch folder holding what a reader of a source checkout has at hand:
``.venv/bin/polyregions`` and ``.venv/bin/python`` (this interpreter, with this checkout
importable) and a copy of ``examples/``. The rules for each kind of block are in
``tests/doc_blocks.py``.
"""

import doctest
import os
import pathlib
import shutil
import stat
import subprocess
import sys

import pytest

from polyregions.errors import MissingDependencyError
from tests.doc_blocks import (
    NOT_RUN,
    RUN_KINDS,
    Block,
    blocks,
    commands,
    json_mismatches,
    missing_lines,
)

ROOT = pathlib.Path(__file__).resolve().parent.parent
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def _tool(path, line):
    path.write_text(f"#!/bin/sh\nexec {line} \"$@\"\n", encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)


@pytest.fixture
def folder(tmp_path, monkeypatch):
    """A scratch folder laid out like a source checkout after ``make demo``."""
    bin_dir = tmp_path / ".venv" / "bin"
    bin_dir.mkdir(parents=True)
    _tool(bin_dir / "python", sys.executable)
    _tool(bin_dir / "polyregions", f"{sys.executable} -m polyregions.cli.main")
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(
        [str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])]))
    monkeypatch.setenv("MPLBACKEND", "Agg")
    return tmp_path


def _skip_if_an_extra_is_missing(message: str) -> None:
    # An extra (torch, matplotlib) missing skips the page, unless `make test` asks for them all.
    if "pip install" in message and os.environ.get("POLYREGIONS_REQUIRE_TORCH") != "1":
        pytest.skip(message.strip().splitlines()[-1])


def _run_python(block: Block, namespace: dict, where: str) -> None:
    if block.text.lstrip().startswith(">>>"):
        test = doctest.DocTestParser().get_doctest(block.text, namespace, where, where, block.line)
        runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
        runner.run(test, clear_globs=False)
        assert runner.failures == 0, f"{where}: the session's output differs (see above)"
    else:
        try:
            exec(compile(block.text, where, "exec"), namespace)  # noqa: S102 - the page's code
        except MissingDependencyError as err:
            _skip_if_an_extra_is_missing(str(err))
            raise


def _check_output(where: str, command: str, shown: list[str], out: str) -> None:
    if not shown:
        return
    if shown[0].lstrip().startswith("{"):
        assert json_mismatches(shown, out) == [], f"{where}: {command}"
    else:
        assert missing_lines(shown, out) == [], f"{where}: {command}\n{out}"


def _run_shell(block: Block, where: str) -> None:
    session, status = commands(block), 0
    for k, (command, shown) in enumerate(session):
        if NOT_RUN in command:
            continue
        # `$?` in a command is the status of the one before, as in an interactive shell.
        done = subprocess.run(f"(exit {status}); {command}", shell=True, executable="/bin/bash",
                              capture_output=True, text=True, timeout=600)
        status = done.returncode
        if status == 2:
            _skip_if_an_extra_is_missing(done.stderr)
        asks_status = k + 1 < len(session) and session[k + 1][0].strip() == "echo $?"
        assert asks_status or status == 0, (
            f"{where}: `{command}` exited with {status}\n{done.stdout}\n{done.stderr}")
        _check_output(where, command, shown, done.stdout)


def test_the_pages_are_found():
    names = {p.name for p in PAGES}
    assert {"README.md", "getting-started.md", "graph.md", "verification.md"} <= names


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_every_block_of_the_page_runs_as_written(page, folder):
    namespace: dict = {"__name__": "__main__"}
    for block in blocks(page.read_text(encoding="utf-8")):
        where = f"{page.name}:{block.line}"
        if block.saves:
            (folder / block.saves).write_text(block.text, encoding="utf-8")
        elif block.kind not in RUN_KINDS:
            hidden = [line for line in block.text.splitlines()
                      if line.startswith(("$ ", ">>> "))]
            assert hidden == [], f"{where}: commands in a `{block.kind}` block are not run"
        elif block.skipped:
            continue
        elif block.kind == "python":
            _run_python(block, namespace, where)
        else:
            _run_shell(block, where)
