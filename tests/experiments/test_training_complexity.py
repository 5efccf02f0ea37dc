"""training-complexity's quick run: its counts recounted independently, its network the model's."""

import numpy as np
import pytest

from polyregions.analysis.data_patterns import distinct_regions
from polyregions.bounds import architecture_max_regions
from polyregions.enumeration.kernel import EngineOptions
from polyregions.enumeration.run import enumerate_regions
from polyregions.experiments.digits_training import DigitsRun, _slice_domains, digits_data
from polyregions.experiments.runner import run_experiment
from polyregions.experiments.training_complexity import TRAINING_COMPLEXITY
from polyregions.network import network_from_dict
from polyregions.params.init import initialize

torch = pytest.importorskip("torch")
pytest.importorskip("matplotlib")
pytest.importorskip("sklearn")


@pytest.fixture(scope="module")
def quick(tmp_path_factory):
    return run_experiment(TRAINING_COMPLEXITY, tmp_path_factory.mktemp("tc"), quick=True)


def _initial(row, settings):
    w = settings["width"]
    return initialize((64, w, w, w), "maxout", row["rank"], row["init"], outputs=10,
                      zero_bias=row["zero_bias"], seed=row["seed"])


def test_counts_at_initialization_are_those_of_the_drawn_network(quick):
    x, y = digits_data()
    settings = quick.settings
    run = TRAINING_COMPLEXITY.units(settings)[0]
    slices = _slice_domains(x, y, run).slices
    python = EngineOptions(kernel="python")
    for row in (r for r in quick.rows if r["epoch"] == 0):
        net = _initial(row, settings)
        assert row["slice_regions_each"] == [len(enumerate_regions(net, s, options=python))
                                             for s in slices]
        # the regions the data meets; the fast exact patterns agree with the Fraction evaluator
        assert row["data_regions"] == distinct_regions(net, x)
        some = x[::12]
        assert distinct_regions(net, some) == len({net.activation_pattern(p) for p in some.tolist()})


def test_slice_counts_stay_below_the_maximum_of_the_sliced_architecture(quick):
    w = quick.settings["width"]
    for row in quick.rows:
        for count in row.get("slice_regions_each") or []:
            assert count <= architecture_max_regions((2, w, w, w), row["rank"])[0]
        if "data_regions" in row:
            assert 1 <= row["data_regions"] <= 1797


def test_every_epoch_has_loss_and_accuracy_and_tracked_epochs_have_counts(quick):
    settings = quick.settings
    runs = len(TRAINING_COMPLEXITY.units(settings))
    assert len(quick.rows) == runs * (settings["epochs"] + 1)
    tracked = [r["epoch"] for r in quick.rows if "slice_regions" in r]
    assert tracked == settings["track_epochs"] * runs
    assert all(0 <= r["accuracy"] <= 1 and r["loss"] > 0 for r in quick.rows)


def test_the_recorded_network_is_the_trained_model():
    from polyregions.experiments.digits_training import run_digits
    from polyregions.training.models import torch_network
    from polyregions.training.torch_trainer import train_torch

    run = DigitsRun(2, "sphere", False, 1, 3, 2, 0.05, 0.9, 128, (0, 2), 1, 0)
    record = run_digits(run)
    x, y = digits_data()
    # the same run again, by hand: training is deterministic, so this is the recorded model
    model = torch_network((64, 3, 3, 3), 10, "maxout", 2, "sphere", seed=1)
    train_torch(model, x, y, epochs=2, lr=0.05, optimizer="sgd", momentum=0.9, batch_size=128,
                seed=1, count=False)
    network = network_from_dict(record["tracked"][-1]["network"])
    points = np.random.default_rng(0).uniform(-1, 2, (20, 64))
    with torch.no_grad():
        outputs = model(torch.tensor(points, dtype=torch.float64)).numpy()
    exact = np.array([[float(v) for v in network.evaluate(p)] for p in points.tolist()])
    assert np.allclose(outputs, exact, rtol=1e-12, atol=1e-12)
