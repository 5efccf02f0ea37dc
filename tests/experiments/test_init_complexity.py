"""init-complexity's quick run: every count is recounted by brute force and the theorems checked."""

import csv
import json
from fractions import Fraction

import pytest

from polyregions.bounds import architecture_max_regions
from polyregions.experiments.init_complexity import INIT_COMPLEXITY
from polyregions.experiments.runner import run_experiment
from polyregions.network import network_to_dict
from polyregions.params.init import initialize
from tests.networks import box_rows
from tests.oracles.brute_force import count_regions_brute_force
from tests.oracles.decision_boundary import boundary_oracle

pytest.importorskip("matplotlib")


@pytest.fixture(scope="module")
def quick(tmp_path_factory):
    return run_experiment(INIT_COMPLEXITY, tmp_path_factory.mktemp("init"), quick=True)


def _oracle_layers(network):
    return [{**layer, "weights": _exact(layer["weights"]), "biases": _exact(layer["biases"])}
            for layer in network_to_dict(network)["layers"]]


def _exact(nested):
    return [_exact(v) for v in nested] if isinstance(nested, list) else Fraction(nested)


def test_every_count_equals_brute_force_and_stays_below_the_proven_maximum(quick):
    settings = quick.settings
    rows = quick.rows
    assert len(rows) == len(INIT_COMPLEXITY.units(settings)) > 0
    r = settings["radius"]
    domain = box_rows([-r, -r], [r, r])
    for row in rows:
        net = initialize(row["widths"], "maxout", row["rank"], settings["init"], outputs=2,
                         seed=row["seed"])
        layers = _oracle_layers(net)
        assert row["activation_regions"] == count_regions_brute_force(layers, 2, domain)
        maximum, _ = architecture_max_regions(row["widths"], row["rank"])
        assert row["activation_regions"] <= maximum


def test_boundary_pieces_equal_the_definition(quick):
    r = quick.settings["radius"]
    for row in quick.rows[::5]:
        net = initialize(row["widths"], "maxout", row["rank"], "maxout_he", outputs=2,
                         seed=row["seed"])
        oracle = boundary_oracle(_oracle_layers(net), 2, box_rows([-r, -r], [r, r]))
        assert row["decision_boundary_pieces"] == oracle.maximal_count()


def test_summary_is_the_mean_of_its_rows_and_names_the_maximum(quick):
    for group in quick.summary["groups"]:
        members = [r for r in quick.rows if (r["rank"], r["depth"], r["units"]) ==
                   (group["rank"], group["depth"], group["units"])]
        assert group["seeds"] == len(members) == len(quick.settings["seeds"])
        counts = [r["activation_regions"] for r in members]
        assert group["regions_mean"] == pytest.approx(sum(counts) / len(counts))
        assert group["regions_max"] == max(counts) <= group["max_regions"]
        assert group["all_below_max"]


def test_files_hold_the_rows_the_seeds_and_the_versions(quick):
    by_suffix = {p.suffix: p for p in quick.files}
    record = json.loads(by_suffix[".json"].read_text())
    assert record["format"] == "polyregions/experiment-v1" and not record["partial"]
    assert record["settings"]["seeds"] == quick.settings["seeds"]
    assert {"python", "numpy", "polyregions"} <= set(record["versions"])
    assert record["rows"] == list(quick.rows)
    with open(by_suffix[".csv"], newline="") as f:
        table = list(csv.DictReader(f))
    assert [int(t["activation_regions"]) for t in table] == [
        r["activation_regions"] for r in quick.rows]
    assert by_suffix[".png"].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert by_suffix[".pdf"].read_bytes()[:5] == b"%PDF-"
