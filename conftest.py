"""The examples of the PyTorch modules run where torch is installed, and are skipped elsewhere.

Their docstrings are runnable examples; without torch (the ``torch`` extra) they are skipped,
unless ``POLYREGIONS_REQUIRE_TORCH=1`` (``make test``) makes a missing torch a failure.
"""

import importlib.util
import os

import pytest

TORCH_MODULES = ("polyregions/training/", "polyregions/io/torch.py")


def pytest_collection_modifyitems(config, items):
    if importlib.util.find_spec("torch") is not None or os.environ.get(
            "POLYREGIONS_REQUIRE_TORCH") == "1":
        return
    skip = pytest.mark.skip(reason="torch is not installed")
    for item in items:
        if isinstance(item, pytest.DoctestItem) and any(
                m in str(item.fspath).replace(os.sep, "/") for m in TORCH_MODULES):
            item.add_marker(skip)
