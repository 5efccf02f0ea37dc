"""The public API: the flat namespace, one home per name, type annotations and the py.typed marker."""

import ast
import configparser
import importlib
import pathlib

import pytest

import polyregions

PACKAGE = pathlib.Path(polyregions.__file__).parent
ROOT = PACKAGE.parent
MODULES = sorted(p for p in PACKAGE.rglob("*.py"))


def _module_name(path):
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def test_the_flat_namespace_has_what_the_readme_and_docs_use():
    used = {"linear_regions", "decision_boundary", "genericity", "write_graph", "read_graph",
            "write_certificate", "verify_certificate", "enumerate_regions", "region_graph",
            "load_network", "UsageError"}
    assert used <= set(polyregions.__all__)


@pytest.mark.parametrize("name", polyregions.__all__)
def test_each_flat_name_has_one_public_home(name):
    if name == "__version__":
        return
    value = getattr(polyregions, name)
    home = importlib.import_module(value.__module__)
    assert home.__name__.startswith("polyregions.") and name in home.__all__
    assert getattr(home, name) is value


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_every_module_declares_what_it_exports(path):
    module = importlib.import_module(_module_name(path))
    if path.name == "__init__.py" and path.parent != PACKAGE:
        return  # sub-package docstrings, no names of their own
    assert hasattr(module, "__all__"), "no __all__"
    # A module __getattr__ builds names that need an optional dependency (io.torch's Maxout).
    lazy = "__getattr__" in vars(module)
    missing = [name for name in module.__all__ if name not in vars(module) and not lazy]
    assert missing == []


def _unannotated(tree):
    """Public functions and methods of public classes lacking a parameter or return annotation."""
    def visit(body, prefix):
        for node in body:
            if isinstance(node, ast.ClassDef) and not node.name.startswith("_"):
                yield from visit(node.body, f"{prefix}{node.name}.")
            elif isinstance(node, ast.FunctionDef):
                dunder = node.name.startswith("__") and node.name.endswith("__")
                if node.name.startswith("_") and not dunder:
                    continue
                args = node.args.posonlyargs + node.args.args + node.args.kwonlyargs
                args += [a for a in (node.args.vararg, node.args.kwarg) if a is not None]
                bare = [a.arg for a in args if a.annotation is None and a.arg not in ("self", "cls")]
                if bare or node.returns is None:
                    yield f"{prefix}{node.name}"

    yield from visit(tree.body, "")


def test_public_functions_are_annotated():
    found = {str(p.relative_to(PACKAGE)): names for p in MODULES
             if (names := list(_unannotated(ast.parse(p.read_text(encoding="utf-8")))))}
    assert found == {}


def test_the_package_is_marked_typed():
    assert (PACKAGE / "py.typed").is_file()
    config = configparser.ConfigParser()
    config.read(ROOT / "setup.cfg")
    assert "py.typed" in config["options.package_data"]["polyregions"]


def test_the_flat_namespace_resolves_each_name_from_its_one_home():
    assert set(polyregions._HOMES) == set(polyregions.__all__)
    for name, home in polyregions._HOMES.items():
        module = importlib.import_module(f"polyregions.{home}")
        assert getattr(polyregions, name) is getattr(module, name), name
    with pytest.raises(AttributeError, match="no attribute 'nothing_here'"):
        polyregions.nothing_here  # noqa: B018


def test_importing_the_package_and_the_command_line_loads_no_heavy_dependency():
    # Start-up: sympy, networkx and matplotlib load on first use only.
    import subprocess
    import sys

    code = ("import sys, polyregions, polyregions.cli.main; "
            "print(sorted(m for m in ('sympy', 'networkx', 'matplotlib') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
