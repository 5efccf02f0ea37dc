"""The architecture's checks: imports point down the data flow, and `make test` runs the linters."""

import os
import pathlib
import re
import shutil
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
TOOLS = pathlib.Path(sys.executable).parent


def _lint_imports(*contracts):
    tool = shutil.which("lint-imports", path=str(TOOLS)) or shutil.which("lint-imports")
    if tool is None:
        pytest.skip("import-linter is not installed (pip install -e '.[test]')")
    args = [a for c in contracts for a in ("--contract", c)]
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run([tool, "--no-cache", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True)


@pytest.mark.parametrize("contract", ["layers", "verifier"])
def test_imports_keep_the_layering_contracts(contract):
    out = _lint_imports(contract)
    assert out.returncode == 0, out.stdout + out.stderr
    assert re.search(r"\bKEPT\b", out.stdout)


def test_make_test_runs_ruff_mypy_and_import_linter_before_the_suite():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    recipe = re.search(r"^test:.*\n((?:\t.*\n)+)", makefile, re.M)[1].splitlines()
    commands = [line.strip() for line in recipe]
    assert commands == ["$(VENV)/bin/ruff check polyregions tests", "$(VENV)/bin/mypy polyregions",
                        "$(VENV)/bin/lint-imports", "$(PY) -m pytest -q"]
