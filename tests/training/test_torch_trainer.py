"""The PyTorch trainer: a second implementation of the numpy trainer, with the same record."""

import dataclasses

import pytest

torch = pytest.importorskip("torch")
from torch import nn  # noqa: E402

from polyregions.errors import TrainingError  # noqa: E402
from polyregions.io.torch import network_from_torch  # noqa: E402
from polyregions.network import network_from_dict  # noqa: E402
from polyregions.params.tracking import track, tracking_domains  # noqa: E402
from polyregions.params.train import TrainingSettings, make_task, train  # noqa: E402
from polyregions.training.models import torch_network  # noqa: E402
from polyregions.training.torch_trainer import train_classifier, train_torch  # noqa: E402

TIMING = ("count_seconds",)


def _without_timing(rows, *others):
    return [{k: v for k, v in row.items() if k not in TIMING + others} for row in rows]


@pytest.mark.parametrize("optimizer, momentum", [("sgd", 0.0), ("sgd", 0.9), ("adam", 0.0)])
@pytest.mark.parametrize("kind", ["maxout", "relu"])
def test_numpy_and_torch_give_the_same_run(optimizer, momentum, kind):
    x, y = make_task("blobs", samples=40, seed=3)
    settings = TrainingSettings((2, 4, 3), kind=kind, rank=3, init="he", epochs=5, lr=0.05,
                                optimizer=optimizer, momentum=momentum, track_epochs=(0, 5))
    ours, theirs = train(x, y, **dataclasses.asdict(settings)), train_classifier(x, y, settings)
    for a, b in zip(ours["history"], theirs["history"], strict=True):
        assert a["epoch"] == b["epoch"] and abs(a["loss"] - b["loss"]) < 1e-9
    # Epoch 0 is the same exact network, so every exact count is the same (the losses differ
    # by rounding only, checked above).
    assert _without_timing(ours["tracked"][:1], "loss") == \
        _without_timing(theirs["tracked"][:1], "loss")
    assert set(ours) == set(theirs) and set(ours["tracked"][1]) == set(theirs["tracked"][1])
    differ = {k for k in ours if k not in ("history", "tracked") and ours[k] != theirs[k]}
    assert differ == {"backend"} and theirs["backend"] == "torch"


def test_mini_batches_are_shuffled_deterministically_by_the_seed():
    x, y = make_task("moons", samples=30, seed=0)

    def run(seed):
        model = torch_network((2, 3), 2, seed=0)
        return train_torch(model, x, y, epochs=3, lr=0.05, batch_size=7, seed=seed, count=False)

    first, again, other = run(1), run(1), run(2)
    assert first["history"] == again["history"]
    assert first["history"] != other["history"]
    assert first["tracked"] == [] and first["tracking"] is None


def test_the_callback_sees_each_tracked_epoch_and_the_model_of_its_row():
    x, y = make_task("xor", samples=20, seed=0)
    seen = []

    def callback(epoch, model, row):
        seen.append(epoch)
        assert network_from_dict(row["network"]) == network_from_torch(model)

    run = train_torch(torch_network((2, 3), 2), x, y, epochs=4, lr=0.1, track_every=2,
                      callback=callback)
    assert seen == [t["epoch"] for t in run["tracked"]] == [0, 2, 4]


def test_any_importable_sequential_trains_and_its_counts_recount():
    x, y = make_task("blobs", samples=30, seed=1)
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(2, 4), nn.LeakyReLU(0.25), nn.Linear(4, 3)).double()
    domains = tracking_domains(x, y, slices=1)
    run = train_torch(model, x, y, epochs=2, lr=0.1, optimizer="sgd", track_every=2,
                      domains=domains)
    assert (run["kind"], run["widths"], run["init"]) == ("leaky_relu", [2, 4], None)
    for row in run["tracked"]:
        again = track(network_from_dict(row["network"]), domains)
        assert {k: row[k] for k in again if k not in TIMING} == \
            {k: v for k, v in again.items() if k not in TIMING}


def test_ctrl_c_returns_the_record_so_far():
    x, y = make_task("xor", samples=20, seed=0)

    def stop(epoch):
        if epoch == 2:
            raise KeyboardInterrupt

    run = train_torch(torch_network((2, 3), 2), x, y, epochs=6, lr=0.1, track_every=1,
                      progress=stop)
    assert (run["interrupted"], run["epochs_done"]) == (True, 1)
    assert [h["epoch"] for h in run["history"]] == [t["epoch"] for t in run["tracked"]] == [0, 1]


def test_labels_beyond_the_outputs_are_refused():
    x, y = make_task("blobs", samples=20, seed=0)
    with pytest.raises(TrainingError, match="labels must be 0 to 1"):
        train_torch(torch_network((2, 3), 2), x, y, epochs=1, lr=0.1)
    with pytest.raises(TrainingError, match="the model takes 3 inputs"):
        train_torch(torch_network((3, 3), 3), x, y, epochs=1, lr=0.1)
    with pytest.raises(TrainingError, match="momentum"):
        train_torch(torch_network((2, 3), 3), x, y, epochs=1, lr=0.1, momentum=1.5)
