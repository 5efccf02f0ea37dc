"""The documentation builds with no warning (API reference rendered from the docstrings)."""

import pathlib
import re

import pytest

DOCS = pathlib.Path(__file__).resolve().parent.parent / "docs"


# Sphinx 9 warns about its own extensions' use of APIs it will remove in Sphinx 11.
@pytest.mark.filterwarnings("ignore::DeprecationWarning", "ignore::PendingDeprecationWarning")
def test_sphinx_builds_the_docs_without_warnings(tmp_path):
    pytest.importorskip("myst_parser")
    from sphinx.cmd.build import build_main

    status = build_main(["-b", "html", "-q", "-W", "--keep-going", str(DOCS), str(tmp_path)])
    assert status == 0
    api = (tmp_path / "api.html").read_text(encoding="utf-8")
    assert "enumerate_regions" in api and "verify_certificate" in api


def test_every_doc_page_is_linked_from_the_index():
    index = (DOCS / "index.md").read_text(encoding="utf-8")
    pages = sorted(p.name for p in DOCS.glob("*.md") if p.name != "index.md")
    assert [p for p in pages if f"({p})" not in index] == []


def _public_modules():
    package = DOCS.parent / "polyregions"
    for path in sorted(package.rglob("*.py")):
        parts = path.relative_to(package.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
            if len(parts) > 1 and "__all__" not in path.read_text(encoding="utf-8"):
                continue  # a sub-package's docstring only
        if not any(p.startswith("_") for p in parts[1:]):
            yield ".".join(parts)


def test_the_api_reference_lists_every_public_module_under_its_path():
    api = (DOCS / "api.md").read_text(encoding="utf-8")
    listed = set(re.findall(r"^\.\. automodule:: (\S+)$", api, re.M))
    assert sorted(set(_public_modules()) - {"polyregions"} - listed) == []
    assert sorted(listed - set(_public_modules())) == []


def test_the_architecture_page_names_the_folder_of_every_stage():
    text = (DOCS / "architecture.md").read_text(encoding="utf-8")
    folders = sorted(p.name for p in (DOCS.parent / "polyregions").iterdir()
                     if (p / "__init__.py").is_file())
    assert [f for f in folders if f"{f}/" not in text] == []
    for section in ("## The kernel contract", "## Where to add things"):
        assert section in text
    for thing in ("layer kind", "domain", "analysis", "export format", "subcommand"):
        assert f"**A{'n' if thing[0] in 'ae' else ''} {thing}.**" in text


def _architecture():
    return (DOCS / "architecture.md").read_text(encoding="utf-8")


def test_the_architecture_page_names_every_module_of_the_sub_packages():
    text = _architecture()
    package = DOCS.parent / "polyregions"
    modules = sorted(f"{p.parent.name}/{p.name}" for p in package.glob("*/*.py")
                     if p.name != "__init__.py")
    assert [m for m in modules if f"`{m.split('/')[1]}`" not in text and f"`{m}`" not in text] == []


def test_the_architecture_page_names_only_files_and_names_that_exist():
    # The recipes name files, functions and tables to edit: each must still be there.
    text, root = _architecture(), DOCS.parent
    paths = set(re.findall(r"`((?:[\w.]+/)+[\w.]*)`", text))
    missing = [p for p in paths if not any((base / p).exists() for base in
                                           (root, root / "polyregions"))]
    assert missing == []
    source = "\n".join(p.read_text(encoding="utf-8") for folder in ("polyregions", "tests")
                       for p in (root / folder).rglob("*.py"))
    names = set(re.findall(r"`([A-Za-z_]\w*)[`(\[]", text))
    assert sorted(n for n in names if not re.search(rf"\b{n}\b", source)) == []


def test_the_command_line_page_shows_every_subcommand_in_its_synopsis():
    from polyregions.cli.main import SUBCOMMANDS

    synopsis = (DOCS / "cli.md").read_text(encoding="utf-8").split("```")[1]
    names = list(SUBCOMMANDS)
    assert [n for n in names if f"\npolyregions {n} " not in synopsis] == []
