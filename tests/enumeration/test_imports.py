"""Imports inside enumeration/ point down the data flow, lazy ones (inside functions) included."""

import ast
import pathlib

import polyregions.enumeration

PACKAGE = pathlib.Path(polyregions.enumeration.__file__).parent
ABOVE = ("analysis", "certify", "params", "io", "cli")  # stages that use the enumeration
# Within enumeration/, each module may import only those below it in this order.
ORDER = ["arguments", "kernel", "adjacency", "complex", "reference", "native", "backends", "engine",
         "stream", "parallel", "run"]
# Still pointing the wrong way, each until its name moves to a leaf module:
# domain_point_pattern (complex -> engine) and the JSON model dict form (-> io.model).
PENDING = {("complex", "polyregions.enumeration.engine"), ("stream", "polyregions.io.model"),
           ("parallel", "polyregions.io.model")}


def imported_modules(path):
    """Every polyregions module `path` imports, wherever in the file the import is."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("polyregions"))
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative to polyregions.enumeration
                parent = ["polyregions", "enumeration"][:3 - node.level]
                base = ".".join(parent + ([base] if base else []))
            if base == "polyregions.enumeration":  # "from . import parallel"
                found.update(f"{base}.{a.name}" for a in node.names)
            elif base.startswith("polyregions"):
                found.add(base)
    return found


def test_the_order_names_every_module():
    assert sorted(ORDER) == sorted(p.stem for p in PACKAGE.glob("*.py") if p.stem != "__init__")


def test_enumeration_modules_import_only_downwards():
    wrong = []
    for rank, name in enumerate(ORDER):
        for target in sorted(imported_modules(PACKAGE / f"{name}.py")):
            parts = target.split(".")
            inside = parts[1] == "enumeration" and len(parts) > 2
            upward = (inside and ORDER.index(parts[2]) >= rank) or (len(parts) > 1 and parts[1] in ABOVE)
            if upward and (name, target) not in PENDING:
                wrong.append(f"{name} imports {target}")
    assert wrong == []


def test_the_kernel_contract_imports_no_backend_and_no_engine():
    assert imported_modules(PACKAGE / "kernel.py") == {"polyregions.errors"}
