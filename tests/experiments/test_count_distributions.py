"""The count-distributions experiment (claim c), its quick mode checked against independent oracles."""

import csv
import json
from fractions import Fraction

import pytest

from polyregions.bounds import architecture_max_regions
from polyregions.experiments.count_distributions import COUNT_DISTRIBUTIONS, probabilities
from polyregions.experiments.runner import run_experiment
from polyregions.params.init import initialize
from tests.networks import box_rows, oracle_layers
from tests.oracles.brute_force import count_regions_brute_force
from tests.oracles.decision_boundary import boundary_oracle

pytest.importorskip("matplotlib")


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    return run_experiment(COUNT_DISTRIBUTIONS, tmp_path_factory.mktemp("counts"), quick=True)


def _architectures(run):
    return {a["architecture"]: a for a in run.summary["architectures"]}


def test_probabilities_sum_to_one_exactly_and_match_the_rows(run):
    found = _architectures(run)
    assert len(found) == len(run.settings["shapes"]) * len(run.settings["kinds"])
    for label, entry in found.items():
        members = [r for r in run.rows if r["architecture"] == label]
        assert entry["draws"] == len(members) == len(run.settings["seeds"])
        for key in ("activation_regions", "decision_boundary_pieces"):
            chances = {int(c): Fraction(p) for c, p in entry[key]["probabilities"].items()}
            assert sum(chances.values()) == 1
            values = [r[key] for r in members]
            # Counted by hand: the share of the draws with each count.
            assert chances == {v: Fraction(values.count(v), len(values)) for v in set(values)}
            assert Fraction(entry[key]["mean"]) == Fraction(sum(values), len(values))
            assert (entry[key]["min"], entry[key]["max_seen"]) == (min(values), max(values))


def test_every_count_is_within_the_proven_maximum(run):
    for entry in run.summary["architectures"]:
        maximum, _ = architecture_max_regions(entry["widths"], entry["rank"],
                                              relu=entry["kind"] == "relu")
        assert entry["activation_regions"]["proven_max"] == maximum
        assert entry["activation_regions"]["max_seen"] <= maximum
        assert entry["all_below_proven_max"] is True
        assert entry["decision_boundary_pieces"]["proven_max"] is None


@pytest.mark.parametrize("seed", [0, 7])
def test_counts_equal_direct_counts_by_the_oracles(run, seed):
    # Regions by exact LP over candidate patterns; boundary pieces by the definition.
    r = run.settings["radius"]
    rows = box_rows([-r, -r], [r, r])
    for row in (x for x in run.rows if x["seed"] == seed):
        net = initialize(row["widths"], row["kind"], row["rank"], row["init"],
                         outputs=run.settings["outputs"], seed=seed)
        layers = oracle_layers(net)
        assert row["activation_regions"] == count_regions_brute_force(layers, 2, rows)
        assert row["decision_boundary_pieces"] == len(boundary_oracle(layers, 2, rows).keys())


def test_probabilities_helper():
    assert probabilities([2, 2, 9]) == {2: Fraction(2, 3), 9: Fraction(1, 3)}


def test_files_written_and_consistent(run):
    from matplotlib.image import imread

    paths = {p.suffix: p for p in run.files}
    assert set(paths) == {".csv", ".json", ".png", ".pdf"}
    record = json.loads(paths[".json"].read_text())
    assert record["partial"] is False and record["name"] == "count-distributions"
    assert record["units_done"] == record["units_total"] == len(run.rows)
    with open(paths[".csv"], newline="") as f:
        table = list(csv.DictReader(f))
    assert len(table) == len(record["rows"]) == len(run.rows)
    assert [int(r["activation_regions"]) for r in table] == \
        [r["activation_regions"] for r in run.rows]
    image = imread(paths[".png"])
    assert image.shape[0] > 100 and image.shape[1] > 100


def test_a_time_limited_run_is_partial_and_still_drawn(tmp_path):
    import time

    from polyregions.experiments.runner import Experiment

    def slow(unit):  # every unit takes at least 0.2 s, so a 0.5 s limit stops the run early
        time.sleep(0.2)
        return COUNT_DISTRIBUTIONS.run_unit(unit)

    e = COUNT_DISTRIBUTIONS
    slowed = Experiment(e.name, e.title, e.settings, e.units, slow, e.summarize, e.draw)
    result = run_experiment(slowed, tmp_path, quick=True, time_limit=0.5)
    record = json.loads((tmp_path / "count-distributions.json").read_text())
    assert result.partial and record["partial"] is True
    assert 1 <= record["units_done"] == len(record["rows"]) < record["units_total"]
    # The architectures not reached are left blank; the figure is still drawn.
    assert (tmp_path / "count-distributions.png").exists()
