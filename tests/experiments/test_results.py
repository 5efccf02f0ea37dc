"""The results docs/experiments.md shows are full, finished runs of today's settings."""

import json
from pathlib import Path

import pytest

from polyregions.experiments.registry import EXPERIMENTS
from polyregions.experiments.runner import FORMAT

DOCS = Path(__file__).resolve().parents[2] / "docs"


@pytest.mark.parametrize("name", sorted(EXPERIMENTS))
def test_the_docs_hold_a_full_finished_run_with_the_current_settings(name):
    record = json.loads((DOCS / "results" / f"{name}.json").read_text(encoding="utf-8"))
    assert record["format"] == FORMAT and record["name"] == name
    assert not record["quick"] and not record["partial"]
    assert record["units_done"] == record["units_total"] > 0
    assert record["settings"] == json.loads(json.dumps(EXPERIMENTS[name].settings(False)))
    assert (DOCS / "img" / "experiments" / f"{name}.png").read_bytes()[:4] == b"\x89PNG"
    page = (DOCS / "experiments.md").read_text(encoding="utf-8")
    assert f"polyregions experiment {name}" in page and f"img/experiments/{name}.png" in page
