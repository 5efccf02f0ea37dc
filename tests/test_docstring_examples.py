"""Every public function and class has a runnable example, and the API reference reaches them all.

The examples themselves run as doctests (``--doctest-modules``); this checks that each public
name (in its module's ``__all__``, defined there) has a numpydoc ``Examples`` section with a
``>>>`` line.
"""

import importlib
import inspect
import pathlib
import re

from tests.test_docs import _public_modules

ROOT = pathlib.Path(__file__).resolve().parent.parent
OPTIONAL = {"torch", "onnx", "matplotlib", "plotly", "dask", "distributed", "sklearn"}

#: Classes built inside a function, whose docstring carries their example: the doctest finder
#: walks a module's own attributes and never reaches a class made on first use (so that the module
#: imports without torch), so an example in the class's docstring would never run.
EXAMPLE_HOSTS = {"polyregions.io.torch:Maxout": "maxout_class"}


def _has_example(obj) -> bool:
    doc = inspect.getdoc(obj) or ""
    _, found, after = doc.partition("Examples\n--------\n")
    return bool(found) and ">>>" in after


def _public_names():
    for name in _public_modules():
        if name == "polyregions":
            continue  # the flat namespace defines nothing: each name is checked at its home
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as err:
            if err.name in OPTIONAL:
                continue  # an extra is missing: its modules' examples are skipped as well
            raise
        for attr in getattr(module, "__all__", ()):
            obj = getattr(module, attr)
            if (inspect.isfunction(obj) or inspect.isclass(obj)) and obj.__module__ == name:
                key = f"{name}:{attr}"
                yield key, getattr(module, EXAMPLE_HOSTS[key]) if key in EXAMPLE_HOSTS else obj


def test_every_public_function_and_class_has_a_runnable_example():
    assert sorted(key for key, obj in _public_names() if not _has_example(obj)) == []


def test_the_check_tells_an_example_from_prose():
    def documented():
        """Do it.

        Examples
        --------
        >>> 1 + 1
        2
        """

    def prose_only():
        """Do it, e.g. ``f(1)``."""

    assert _has_example(documented) and not _has_example(prose_only)


def test_the_api_reference_names_every_name_of_the_flat_namespace_with_its_module():
    import polyregions

    api = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
    table = dict(re.findall(r"^\| `(\w+)` \| `polyregions\.([\w.]+)` \|", api, re.M))
    homes = polyregions._HOMES
    assert {name: table.get(name) for name in homes} == homes


def test_the_api_reference_shows_each_module_by_name():
    # automodule renders members, not the module's name: a rubric shows it to the reader.
    lines = (ROOT / "docs" / "api.md").read_text(encoding="utf-8").splitlines()
    unnamed = [line for k, line in enumerate(lines) if line.startswith(".. automodule:: ")
               and lines[k - 1] != f".. rubric:: ``{line.split()[-1]}``"]
    assert unnamed == []
