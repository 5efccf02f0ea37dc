"""Sphinx configuration: the Markdown pages of docs/ plus the API reference from docstrings."""

import os
import sys

sys.path.insert(0, os.path.abspath(".."))

project = "polyregions"
author = "polyregions developers"
extensions = ["myst_parser", "sphinx.ext.autodoc", "sphinx.ext.napoleon"]
source_suffix = {".md": "markdown"}
root_doc = "index"
exclude_patterns = ["_build"]
napoleon_numpy_docstring = True
napoleon_google_docstring = False
autodoc_member_order = "bysource"
autodoc_default_options = {"members": True, "undoc-members": False}
myst_heading_anchors = 3
suppress_warnings = ["myst.header", "ref.python"]
napoleon_use_ivar = True  # attributes as fields: autodoc documents the slots already
html_theme = "alabaster"
