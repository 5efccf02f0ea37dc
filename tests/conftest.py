"""Fixtures shared by the test modules."""

import json

import pytest


@pytest.fixture
def layers_model(tmp_path):
    """A function writing a JSON model from its layers; returns the path."""
    def write(layers, input_dim=2):
        path = tmp_path / "model.json"
        path.write_text(json.dumps({"format": "polyregions/network-v1", "input_dim": input_dim,
                                    "layers": layers}))
        return str(path)
    return write


BACKENDS = ("python", "native")


@pytest.fixture(scope="module", params=BACKENDS)
def kernel_backend(request):
    """Run every test of a module once per kernel backend (``POLYREGIONS_KERNEL`` set for it).

    Modules opt in with ``pytestmark = pytest.mark.usefixtures("kernel_backend")``; the
    fixture is module-scoped so that hypothesis tests can use it too.
    """
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("POLYREGIONS_KERNEL", request.param)
        yield request.param
