"""The documentation builds with no warning (API reference rendered from the docstrings)."""

import pathlib

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
