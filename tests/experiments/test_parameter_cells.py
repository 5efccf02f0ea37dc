"""The parameter-cells experiment (claim b), its quick mode checked against independent oracles."""

import csv
import json
from fractions import Fraction

import pytest

from polyregions.bounds import architecture_max_regions
from polyregions.experiments.parameter_cells import PARAMETER_CELLS, area_by_count
from polyregions.experiments.runner import run_experiment
from polyregions.params.cells import network_with_biases
from polyregions.params.init import initialize
from tests.networks import box_rows, oracle_layers
from tests.oracles.brute_force import count_regions_brute_force

pytest.importorskip("matplotlib")


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    return run_experiment(PARAMETER_CELLS, tmp_path_factory.mktemp("cells"), quick=True)


def test_the_exact_areas_tile_the_slice(run):
    side = Fraction(run.settings["upper"]) - Fraction(run.settings["lower"])
    assert sum(Fraction(r["measure"]) for r in run.rows) == side ** 2
    assert all(Fraction(r["measure"]) > 0 for r in run.rows)
    assert run.summary["all_areas_sum_to_slice"] is True
    assert run.summary["slice_area"] == str(side ** 2)


def test_each_count_is_a_direct_count_at_the_cell_interior_point(run):
    # The oracle: candidate patterns tested one by one by exact LP, on the network whose
    # biases are set to the cell's interior point; no part of the cell computation is used.
    settings = run.settings
    (network,) = settings["networks"]
    net = initialize(network["widths"], "maxout", network["rank"], settings["init"],
                     seed=network["seed"])
    r = settings["radius"]
    for row in run.rows:
        point = [Fraction(v) for v in row["interior_point"]]
        assert all(settings["lower"] < v < settings["upper"] for v in point)
        moved = network_with_biases(net, settings["entries"], point)
        direct = count_regions_brute_force(oracle_layers(moved), 2, box_rows([-r, -r], [r, r]))
        assert row["activation_regions"] == direct, row["cell"]


def test_counts_within_the_proven_maximum_and_the_cells_differ(run):
    (network,) = run.settings["networks"]
    maximum, _ = architecture_max_regions(network["widths"], network["rank"])
    counts = [r["activation_regions"] for r in run.rows]
    assert max(counts) <= maximum
    assert min(counts) < max(counts)  # cells of widely different complexity
    (found,) = run.summary["networks"]
    assert (found["cells"], found["min_regions"], found["max_regions"]) == \
        (len(run.rows), min(counts), max(counts))


def test_the_area_weighted_mean_and_the_neighbours(run):
    (found,) = run.summary["networks"]
    mean = sum(r["activation_regions"] * Fraction(r["measure"]) for r in run.rows) / \
        sum(Fraction(r["measure"]) for r in run.rows)
    assert Fraction(found["area_weighted_mean"]) == mean
    assert found["area_by_count"] == {c: float(a) for c, a in area_by_count(list(run.rows)).items()}
    # The cells tile a connected square: each has a neighbour, and adjacency is symmetric
    # in total (every shared facet is counted from both sides).
    assert all(r["neighbours"] >= 1 for r in run.rows)
    assert sum(r["neighbours"] for r in run.rows) % 2 == 0


def test_files_written_and_consistent(run):
    from matplotlib.image import imread

    paths = {p.suffix: p for p in run.files}
    assert set(paths) == {".csv", ".json", ".png", ".pdf"}
    record = json.loads(paths[".json"].read_text())
    assert record["partial"] is False and record["name"] == "parameter-cells"
    with open(paths[".csv"], newline="") as f:
        table = list(csv.DictReader(f))
    assert len(table) == len(record["rows"]) == len(run.rows)
    assert [int(r["activation_regions"]) for r in table] == \
        [r["activation_regions"] for r in run.rows]
    assert [r["measure"] for r in table] == [r["measure"] for r in run.rows]
    image = imread(paths[".png"])
    assert image.shape[0] > 100 and image.shape[1] > 100
    assert paths[".pdf"].read_bytes().startswith(b"%PDF")


def test_a_time_limited_run_is_partial(tmp_path, monkeypatch):
    # Two networks, and a limit passed before the second starts: only the first is done.
    import polyregions.experiments.parameter_cells as module
    from polyregions.experiments.runner import Experiment

    def two(quick):
        settings = module._settings(True)
        settings["networks"] = settings["networks"] * 2
        return settings

    experiment = Experiment(PARAMETER_CELLS.name, PARAMETER_CELLS.title, two,
                            PARAMETER_CELLS.units, PARAMETER_CELLS.run_unit,
                            PARAMETER_CELLS.summarize, PARAMETER_CELLS.draw)
    result = run_experiment(experiment, tmp_path, quick=True, time_limit=1e-9)
    record = json.loads((tmp_path / "parameter-cells.json").read_text())
    assert result.partial and record["partial"] is True
    assert record["units_done"] < record["units_total"] == 2
