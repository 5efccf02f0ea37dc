"""``polyregions cells``: limits, workers, and the table only when asked beside a plot."""

import json

import pytest

from polyregions import Box
from polyregions.params.cells import bias_slice_cells
from tests.cli_helpers import assert_one_line_error, run
from tests.networks import random_network, to_network

# relu(x + b0), relu(x + b1) on [-1, 1]: 10 cells of [-2, 2]^2, 4 augmented regions.
EXAMPLE_LAYERS = [{"type": "relu", "weights": [[1], [1]], "biases": [0, 0]}]
SLICE = ["--bias", "0:0", "--bias", "0:1", "--range", "-2", "2", "--box", "-1", "1"]


def cells_json(model, capsys, *extra):
    status, out, err = run(["cells", model, *SLICE, *extra, "--json"], capsys)
    assert (status, err) == (0, ""), err
    return json.loads(out)


def test_a_region_limit_leaves_no_cells_and_says_so(layers_model, capsys):
    model = layers_model(EXAMPLE_LAYERS, input_dim=1)
    data = cells_json(model, capsys, "--max-regions", "2")
    assert data["complete"] is False and data["stop_reason"] == "max_regions"
    assert data["augmented_regions"] == 2 and data["cells"] is None and data["count"] is None
    status, out, err = run(["cells", model, *SLICE, "--max-regions", "2"], capsys)
    assert status == 0 and err == ""
    assert "NOT COMPUTED: stopped by --max-regions after 2 regions of the augmented network" in out
    # A limit above the 4 augmented regions changes nothing.
    assert cells_json(model, capsys, "--max-regions", "4")["count"] == 10


def test_a_time_limit_leaves_no_cells_and_says_so(layers_model, capsys, monkeypatch):
    from polyregions.cli.runs import Deadline

    clock = iter(range(0, 10 ** 6, 1000))  # every reading of the clock is 1000 s later
    monkeypatch.setattr(Deadline, "clock", staticmethod(lambda: float(next(clock))))
    model = layers_model(EXAMPLE_LAYERS, input_dim=1)
    data = cells_json(model, capsys, "--time-limit", "1")
    assert data["complete"] is False and data["stop_reason"] == "time_limit"
    assert data["cells"] is None


def test_workers_give_the_cells_of_one_process(layers_model, capsys):
    model = layers_model(EXAMPLE_LAYERS, input_dim=1)
    one = cells_json(model, capsys)
    two = cells_json(model, capsys, "--workers", "2")
    assert one["complete"] is True and one["count"] == 10
    assert two["cells"] == one["cells"]


@pytest.mark.parametrize("option, value, words", [
    ("--max-regions", "0", "--max-regions must be"), ("--time-limit", "0", "--time-limit must be"),
    ("--workers", "0", "--workers must be positive, got 0")])
def test_bad_limits_are_one_line(layers_model, capsys, option, value, words):
    model = layers_model(EXAMPLE_LAYERS, input_dim=1)
    assert_one_line_error(*run(["cells", model, *SLICE, option, value], capsys), words)


def test_with_a_plot_the_rows_are_printed_only_when_asked(layers_model, capsys, tmp_path):
    pytest.importorskip("matplotlib")
    model = layers_model(EXAMPLE_LAYERS, input_dim=1)
    header = "cell  regions"
    status, out, _ = run(["cells", model, *SLICE], capsys)
    assert status == 0 and header in out and len(out.splitlines()) == 4 + 2 + 10  # no plot: rows
    status, out, _ = run(["cells", model, *SLICE, "--plot", str(tmp_path / "c.png")], capsys)
    assert status == 0 and header not in out and out.splitlines()[-1].startswith("written ")
    assert len(out.splitlines()) == 4 + 2
    status, out, _ = run(["cells", model, *SLICE, "--plot", str(tmp_path / "d.png"), "--table"],
                         capsys)
    assert status == 0 and header in out and len(out.splitlines()) == 4 + 2 + 10 + 2


def test_the_library_refuses_to_make_cells_of_a_stopped_enumeration():
    from polyregions.errors import LimitReached

    net = to_network(random_network(3, 2, [3], ["relu"]), 2)
    complete = bias_slice_cells(net, Box.cube(2, -1, 1), [(0, 0)], -1, 1)
    with pytest.raises(LimitReached) as info:
        bias_slice_cells(net, Box.cube(2, -1, 1), [(0, 0)], -1, 1, max_regions=1)
    assert info.value.stop_reason == "max_regions" and info.value.regions == 1
    assert complete  # the same call without the limit has cells
