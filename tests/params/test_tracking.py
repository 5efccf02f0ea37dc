"""What a run counts: slices through three classes, the data box, data regions, the record."""

from fractions import Fraction

import numpy as np
import pytest

from polyregions.domain import Box, Slice
from polyregions.errors import TrainingError
from polyregions.params.tracking import (
    run_record,
    track,
    tracked_epochs,
    tracked_row,
    tracking_domains,
)
from polyregions.params.train import default_domain, make_task, train
from tests.networks import box_rows, random_net, random_network
from tests.oracles.brute_force import count_regions_brute_force


def _exact(point):
    return tuple(Fraction(v) for v in point)


def test_slices_pass_through_three_points_of_three_classes():
    x, y = make_task("blobs", samples=60, seed=1)
    domains = tracking_domains(x, y, slices=4, seed=3)
    assert len(domains.slices) == len(domains.slice_points) == 4
    for (i, j, k), plane in zip(domains.slice_points, domains.slices):
        assert len({y[i], y[j], y[k]}) == 3
        assert plane.points == (_exact(x[i]), _exact(x[j]), _exact(x[k]))
        assert plane.to_spec()["lower"] == ["-1", "-1"] and plane.to_spec()["upper"] == ["2", "2"]
    assert len({frozenset(p) for p in domains.slice_points}) == 4  # no slice twice
    again = tracking_domains(x, y, slices=4, seed=3)
    assert again.slice_points == domains.slice_points
    assert tracking_domains(x, y, slices=4, seed=4).slice_points != domains.slice_points


def test_with_two_classes_the_slice_takes_both_then_another_point():
    x, y = make_task("moons", samples=40, seed=0)
    for i, j, k in tracking_domains(x, y, slices=3).slice_points:
        assert {y[i], y[j]} == {0, 1} and k not in (i, j)


def test_collinear_points_are_never_a_slice():
    # Every point but the last two lies on one line: most triples are collinear.
    x = np.array([[t, 2 * t, 0.0] for t in range(8)] + [[0.0, 0.0, 1.0], [1.0, 0.0, 0.0]])
    y = np.arange(10) % 3
    domains = tracking_domains(x, y, slices=5, seed=0)
    for p in domains.slice_points:
        d1, d2 = x[p[1]] - x[p[0]], x[p[2]] - x[p[0]]
        assert np.linalg.matrix_rank(np.array([d1, d2])) == 2  # exact on these small integers
    with pytest.raises(TrainingError, match="affinely independent"):
        tracking_domains(x[:8], y[:8], slices=1)


def test_the_data_box_only_up_to_the_dimension_limit():
    x, y = make_task("xor", samples=30, seed=0)
    domains = tracking_domains(x, y)
    box = domains.data_box
    assert isinstance(box, Box) and box.to_spec() == default_domain(x, y).to_spec()
    assert all(lo <= v <= hi for p in x for v, lo, hi in zip(p, box.lower, box.upper))
    assert all(v == int(v) for v in box.lower + box.upper)
    x3 = np.c_[x, x[:, :1]]
    assert tracking_domains(x3, y).data_box is None
    assert tracking_domains(x3, y, box_dim_limit=3, box=(-2, 3)).data_box.to_spec()["upper"] == \
        ["3", "3", "3"]
    assert isinstance(tracking_domains(x3, y).primary, Slice)


def _slice_as_layer(plane):
    offset, directions = plane.input_map()
    return {"type": "linear", "weights": [[d[i] for d in directions] for i in range(len(offset))],
            "biases": list(offset)}


def test_track_counts_agree_with_brute_force_and_the_patterns_of_each_point():
    x, y = make_task("blobs", samples=25, seed=2)
    layers = random_network(5, 2, (3,), ("maxout",), rank=2, outputs=3)
    net = random_net(5, 2, (3,), ("maxout",), rank=2, outputs=3)
    domains = tracking_domains(x, y, slices=2)
    counts = track(net, domains)
    box = domains.data_box
    assert counts["data_box"]["activation_regions"] == count_regions_brute_force(
        layers, 2, box_rows(box.lower, box.upper))
    assert counts["activation_regions"] == counts["data_box"]["activation_regions"]
    for row, plane in zip(counts["slices"], domains.slices):
        assert row["activation_regions"] == count_regions_brute_force(
            [_slice_as_layer(plane)] + layers, 2, box_rows([-1, -1], [2, 2]))
    patterns = {net.activation_pattern(_exact(p)) for p in x}
    assert counts["data_regions"] == len(patterns)
    assert counts["data_regions"] <= counts["data_box"]["activation_regions"]
    assert [r["points"] for r in counts["slices"]] == [list(p) for p in domains.slice_points]


def test_a_single_output_has_no_decision_boundary_pieces():
    x, y = make_task("xor", samples=20, seed=0)
    counts = track(random_net(1, 2, (2,), ("relu",), outputs=1), tracking_domains(x, y, slices=1))
    assert counts["decision_boundary_pieces"] is None
    assert counts["data_box"]["decision_boundary_pieces"] is None
    assert counts["slices"][0]["decision_boundary_pieces"] is None


def test_a_tracked_row_holds_the_network_that_reproduces_its_counts():
    from polyregions.network import network_from_dict

    x, y = make_task("xor", samples=20, seed=0)
    net = random_net(2, 2, (3,), ("relu",), outputs=2)
    domains = tracking_domains(x, y, slices=1)
    row = tracked_row({"epoch": 3, "loss": 0.5, "accuracy": 1.0}, net, domains)
    assert network_from_dict(row["network"]) == net
    again = track(network_from_dict(row["network"]), domains)
    assert {k: row[k] for k in again if k != "count_seconds"} == \
        {k: v for k, v in again.items() if k != "count_seconds"}


def test_tracked_epochs():
    assert sorted(tracked_epochs(10, 4)) == [0, 4, 8, 10]
    assert sorted(tracked_epochs(10, 4, [10, 3, 3])) == [3, 10]
    with pytest.raises(TrainingError, match="from 0 to 10, got 11"):
        tracked_epochs(10, 4, [11])


def test_the_record_marks_an_interrupted_run():
    finished = run_record({"epochs": 4}, "numpy", None, [], [])
    assert (finished["interrupted"], finished["epochs_done"]) == (False, 4)
    assert (finished["format"], finished["backend"]) == ("polyregions/training-v1", "numpy")


def test_numpy_training_interrupted_keeps_the_record_so_far():
    x, y = make_task("xor", samples=20, seed=0)

    def stop(epoch):
        if epoch == 3:
            raise KeyboardInterrupt

    run = train(x, y, (2, 3), epochs=10, track_every=1, progress=stop)
    assert (run["interrupted"], run["epochs_done"]) == (True, 2)
    assert [h["epoch"] for h in run["history"]] == [0, 1, 2]
    assert [t["epoch"] for t in run["tracked"]] == [0, 1, 2]


def test_numpy_training_records_every_tracking_key():
    x, y = make_task("blobs", samples=30, seed=0)
    run = train(x, y, (2, 3), epochs=2, track_epochs=[0, 2], lr=0.05)
    assert [t["epoch"] for t in run["tracked"]] == [0, 2]
    assert run["track_epochs"] == [0, 2] and run["tracking"]["primary"] == run["domain"]
    for t in run["tracked"]:
        assert {"data_box", "slices", "data_regions", "activation_regions",
                "decision_boundary_pieces", "count_seconds", "network"} <= set(t)
        assert len(t["slices"]) == 3
