"""The architecture's checks: imports point down the data flow, and `make test` runs the linters."""

import ast
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


def test_make_test_runs_ruff_mypy_and_import_linter_before_the_suite_on_the_native_kernel():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    recipe = re.search(r"^test:.*\n((?:\t.*\n)+)", makefile, re.M)[1].splitlines()
    commands = [line.strip() for line in recipe]
    assert commands == ["$(VENV)/bin/ruff check polyregions tests", "$(VENV)/bin/mypy polyregions",
                        "$(VENV)/bin/lint-imports",
                        "POLYREGIONS_REQUIRE_NATIVE=1 POLYREGIONS_REQUIRE_TORCH=1 "
                        "POLYREGIONS_REQUIRE_BROWSER=1 $(PY) -m pytest -q"]


def test_the_test_set_up_installs_the_exact_torch_build():
    # Any other version than the pin downloads a CUDA build of several GB on the CI machines.
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    recipe = re.search(r"^\$\(TSTAMP\):.*\n((?:\t.*\n)+)", makefile, re.M)[1]
    assert "\t$(PIP) install -q $(TORCH)\n" in recipe
    assert re.search(r"^TORCH \?= torch==2\.13\.0$", makefile, re.M)
    assert "\nmake test\n" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_make_demo_installs_the_plot_extra_the_tour_draws_with():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    demo = re.search(r"^demo:(.*)\n", makefile, re.M)[1].split()
    assert "$(DSTAMP)" in demo
    recipe = re.search(r"^\$\(DSTAMP\):(.*)\n((?:\t.*\n)+)", makefile, re.M)
    assert "$(STAMP)" in recipe[1].split()
    assert "\t$(PIP) install -q -e '.[plot]'\n" in recipe[2]


# Public entry points documented with many keyword options (docs/architecture.md).
MANY_OPTIONS = {"enumerate_regions", "check_property", "LimitedRun.__init__", "iter_regions_parallel",
                "sample_counts", "train", "initialize", "init_params", "plot_regions", "plot_cells",
                "robustness_radius", "tracking_domains", "torch_network", "train_torch"}


def _functions(path):
    """``(qualified name, body lines, parameters)`` of every function in a module."""
    def visit(body, prefix):
        for node in body:
            if isinstance(node, ast.ClassDef):
                yield from visit(node.body, f"{prefix}{node.name}.")
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                statements = node.body
                if (statements and isinstance(statements[0], ast.Expr)
                        and isinstance(statements[0].value, ast.Constant)
                        and isinstance(statements[0].value.value, str)):
                    statements = statements[1:]  # the docstring
                lines = statements[-1].end_lineno - statements[0].lineno + 1 if statements else 0
                a = node.args
                params = [x.arg for x in a.posonlyargs + a.args + a.kwonlyargs]
                count = len(params) + bool(a.vararg) + bool(a.kwarg) - (params[:1] in (["self"],
                                                                                      ["cls"]))
                yield f"{prefix}{node.name}", lines, count
                yield from visit(node.body, f"{prefix}{node.name}.")

    yield from visit(ast.parse(path.read_text(encoding="utf-8")).body, "")


def test_functions_are_small_and_take_few_parameters():
    package = ROOT / "polyregions"
    found = [(str(p.relative_to(package)), *f) for p in sorted(package.rglob("*.py"))
             for f in _functions(p)]
    assert [(path, name, n) for path, name, n, _ in found if n > 40] == []
    assert [(path, name, k) for path, name, _, k in found
            if k > 6 and name not in MANY_OPTIONS] == []
    sizes = sorted(n for _, _, n, _ in found)
    assert sizes[len(sizes) // 2] <= 8  # the median body, whole package
