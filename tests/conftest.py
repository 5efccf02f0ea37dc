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
