"""CI runs the torch tests: with POLYREGIONS_REQUIRE_TORCH=1 a missing torch fails, not skips."""

import importlib
import os

import pytest


@pytest.mark.parametrize("name", ["torch", "onnx", "onnxruntime"])
def test_the_packages_of_the_torch_and_onnx_tests_import_when_required(name):
    # `make test` sets POLYREGIONS_REQUIRE_TORCH=1 after installing them: then a missing or
    # broken install fails here instead of the tests that need it being skipped quietly.
    if os.environ.get("POLYREGIONS_REQUIRE_TORCH") != "1":
        pytest.skip("POLYREGIONS_REQUIRE_TORCH is not set")
    importlib.import_module(name)
