"""The numpy trainer: gradients, loss decrease, recorded counts that a fresh count reproduces."""

import csv
import json

import numpy as np
import pytest

import polyregions as pr
from polyregions.errors import TrainingError
from polyregions.network import network_from_dict
from polyregions.params.train import (
    _loss_grad,
    default_domain,
    evaluate,
    init_params,
    make_task,
    network_from_params,
    region_counts,
    train,
)
from tests.cli_helpers import run


@pytest.mark.parametrize("kind, rank", [("maxout", 3), ("relu", 2)])
def test_gradients_match_finite_differences(kind, rank):
    x, y = make_task("blobs", samples=30, seed=2)
    params = init_params((2, 4, 3), 3, kind, rank, "he", seed=1)
    _, _, grads = _loss_grad(params, x, y, kind)
    rng = np.random.default_rng(0)
    for layer in range(len(params)):
        for which in (0, 1):
            p = params[layer][which]
            index = tuple(rng.integers(0, s) for s in p.shape)
            h = 1e-6
            p[index] += h
            up = evaluate(params, x, y, kind)[0]
            p[index] -= 2 * h
            down = evaluate(params, x, y, kind)[0]
            p[index] += h
            assert abs((up - down) / (2 * h) - grads[layer][which][index]) < 1e-6


@pytest.mark.parametrize("optimizer, lr, batch", [("adam", 0.02, None), ("sgd", 0.5, None),
                                                  ("adam", 0.01, 16)])
def test_training_decreases_the_loss_on_a_separable_task(optimizer, lr, batch):
    x, y = make_task("blobs", samples=120, noise=0.05, seed=0)
    result = train(x, y, (2, 6), epochs=40, lr=lr, optimizer=optimizer, batch_size=batch,
                   count=False)
    losses = [h["loss"] for h in result["history"]]
    assert losses[-1] < 0.5 * losses[0]
    assert result["history"][-1]["accuracy"] >= 0.9


def test_recorded_counts_match_a_fresh_exact_count_of_the_saved_parameters():
    x, y = make_task("moons", samples=100, seed=0)
    result = train(x, y, (2, 5, 5), rank=2, epochs=6, lr=0.02, track_every=3)
    result = json.loads(json.dumps(result))  # what the JSON file holds
    domain = default_domain(x, y)
    assert [t["epoch"] for t in result["tracked"]] == [0, 3, 6]
    for t in result["tracked"]:
        net = network_from_dict(t["network"])
        assert region_counts(net, domain) == (t["activation_regions"],
                                              t["decision_boundary_pieces"])
    # the exact strings are the float parameters themselves: the loss is reproduced
    last = result["tracked"][-1]
    params = [(np.array(layer.weights, dtype=object).astype(float),
               np.array(layer.biases, dtype=object).astype(float))
              for layer in network_from_dict(last["network"]).layers]
    assert evaluate(params, x, y)[0] == last["loss"]


def test_runs_are_reproducible_and_the_initial_network_is_polyregions_init():
    from polyregions.params.init import initialize

    x, y = make_task("xor", samples=50, seed=3)
    a = train(x, y, (2, 4), rank=3, init="sphere", epochs=3, track_every=3, seed=7)
    b = train(x, y, (2, 4), rank=3, init="sphere", epochs=3, track_every=3, seed=7)
    for run_ in (a, b):  # timings differ, nothing else may
        for t in run_["tracked"]:
            del t["count_seconds"]
    assert a == b
    start = network_from_dict(a["tracked"][0]["network"])
    assert start == initialize((2, 4), "maxout", 3, "sphere", outputs=2, seed=7)


def test_slice_domain_for_data_of_more_than_two_dimensions():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(30, 4))
    y = (x[:, 0] > 0).astype(int)
    domain = default_domain(x, y)
    assert isinstance(domain, pr.Slice) and domain.lower == (-1, -1)
    # P1 and P2 are the first points of the two classes
    assert y[0] != y[int(np.flatnonzero(y != y[0])[0])]
    result = train(x, y, (4, 3), epochs=2, track_every=2)
    assert result["domain"]["kind"] == "slice"
    assert all(t["activation_regions"] >= 1 for t in result["tracked"])


def test_slice_points_are_chosen_by_an_exact_independence_test():
    # Three points of three classes in R^3, the third 1e-20 off the line through the first
    # two: affinely independent exactly (a float rank with its tolerance says 1, not 2).
    x = np.array([[0.0, 0.0, 0.0], [1.0, 0.0, 0.0], [1.0, 1e-20, 0.0]])
    y = np.array([0, 1, 2])
    domain = default_domain(x, y)
    assert domain.points == tuple(tuple(pr.to_fraction(v) for v in p) for p in x.tolist())
    # Points on one line, (3, 6, 0) = 3 (1, 2, 0), give no slice.
    with pytest.raises(TrainingError, match="no three affinely independent"):
        default_domain(np.array([[0.0, 0.0, 0.0], [1.0, 2.0, 0.0], [3.0, 6.0, 0.0]]), y)


@pytest.mark.parametrize("kwargs, message", [
    ({"widths": (3, 4)}, "input dimension 2"),
    ({"init": "glorot"}, "unknown initialization"),
    ({"epochs": -1}, "epochs"),
    ({"lr": 0.0}, "learning rate"),
    ({"optimizer": "rmsprop"}, "optimizer"),
    ({"track_every": 0}, "track_every"),
    ({"kind": "relu", "init": "sphere"}, "maxout units only"),
])
def test_bad_arguments_raise_training_errors(kwargs, message):
    x, y = make_task("moons", samples=20)
    settings = dict({"widths": (2, 3)}, **kwargs)
    with pytest.raises(TrainingError, match=message):
        train(x, y, settings.pop("widths"), count=False, **settings)


def test_network_from_params_is_exact():
    params = init_params((2, 3), 2, "maxout", 2, "maxout_he", seed=0)
    net = network_from_params(params)
    assert float(net.layers[0].weights[0][0][0]) == params[0][0][0, 0, 0]


def test_cli_train_writes_json_and_csv(tmp_path, capsys):
    out, table = tmp_path / "run.json", tmp_path / "run.csv"
    model = tmp_path / "final.json"
    status, stdout, err = run(["train", "--task", "moons", "--widths", "2,4", "--epochs", "4",
                               "--track-every", "2", "--samples", "60", "--out", str(out),
                               "--csv", str(table), "--save-model", str(model), "--json"], capsys)
    assert status == 0, err
    summary = json.loads(stdout)
    assert [t["epoch"] for t in summary["tracked"]] == [0, 2, 4]
    saved = json.loads(out.read_text())
    assert saved["task"] == "moons" and len(saved["history"]) == 5
    rows = list(csv.DictReader(table.open()))
    assert [r["epoch"] for r in rows] == ["0", "1", "2", "3", "4"]
    assert rows[2]["activation_regions"] == str(saved["tracked"][1]["activation_regions"])
    assert rows[1]["activation_regions"] == ""
    assert pr.load_network(model) == network_from_dict(saved["tracked"][-1]["network"])


def test_cli_train_table(capsys):
    status, stdout, _ = run(["train", "--task", "xor", "--widths", "2,3", "--epochs", "2",
                             "--track-every", "1", "--samples", "30"], capsys)
    assert status == 0
    assert stdout.splitlines()[0].split() == ["epoch", "loss", "accuracy", "regions", "db",
                                              "pieces", "data", "regions"]
    assert len(stdout.splitlines()) == 4


@pytest.mark.parametrize("argv, message", [
    (["--task", "spiral", "--widths", "2,3"], "unknown task 'spiral'"),
    (["--task", "moons", "--widths", "2,x"], "--widths"),
    (["--task", "moons", "--widths", "3,4"], "input dimension 2"),
    (["--task", "moons", "--widths", "2,4", "--init", "zeros"], "unknown initialization"),
    (["--task", "moons", "--widths", "2,4", "--out", "/no/such/dir/run.json"], "no directory"),
])
def test_cli_train_errors_are_one_line_with_exit_2(argv, message, capsys):
    status, stdout, err = run(["train", *argv, "--epochs", "1"], capsys)
    assert status == 2 and stdout == ""
    assert message in err and err.count("\n") == 1 and err.startswith("polyregions: error:")
