"""Fixtures of the command-line tests."""

import json

import pytest


@pytest.fixture
def model(tmp_path):
    """A function writing a model (a dict, or text as it is) to a file; returns the path."""
    def write(data, name="model.json"):
        path = tmp_path / name
        path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
        return str(path)
    return write
