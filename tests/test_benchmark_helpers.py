"""The benchmarks' exact helpers: float32 ReLU networks, the grid oracle, the verdict on counts,
the ACAS Xu input box."""

import doctest
import pathlib
import sys
from fractions import Fraction as F

import numpy as np
import pytest

from polyregions import Box, iter_regions
from tests.oracles.brute_force import realized_patterns

BENCHMARKS = pathlib.Path(__file__).resolve().parent.parent / "benchmarks"


@pytest.fixture(scope="module")
def bench():
    """The benchmark modules (they import their siblings by plain name)."""
    sys.path.insert(0, str(BENCHMARKS))
    try:
        import acasxu
        import compare_peers
        import networks
        import oracle
        yield compare_peers, networks, oracle, acasxu
    finally:
        sys.path.remove(str(BENCHMARKS))


def brute_force_layers(layers):
    return [{"type": "relu", "weights": [[F(float(v)) for v in row] for row in w],
             "biases": [F(float(v)) for v in b]} for w, b in layers]


def square_rows(lo, hi):
    # b + a.x >= 0 for lo <= x_i <= hi
    return [(F(-lo), (F(1), F(0))), (F(hi), (F(-1), F(0))),
            (F(-lo), (F(0), F(1))), (F(hi), (F(0), F(-1)))]


@pytest.mark.parametrize("seed", range(3))
def test_float32_relu_network_is_exactly_its_float32_weights(bench, seed):
    _, networks, *_ = bench
    layers = networks.relu_float32_layers([2, 5, 4], seed=seed)
    assert [w.dtype for w, _ in layers] == [np.float32] * 2
    net = networks.relu_network(2, layers)
    x = (F(1, 3), F(-2, 7))
    exact = x
    for w, b in layers:  # the forward pass in Fractions of the float32 values
        exact = tuple(max(F(0), sum(F(float(wi)) * xi for wi, xi in zip(row, exact)) + F(float(bi)))
                      for row, bi in zip(w, b))
    assert net.evaluate(x) == exact


@pytest.mark.parametrize("seed", range(4))
def test_grid_patterns_are_realized_patterns_and_fill_in_on_a_fine_grid(bench, seed):
    _, networks, oracle, _ = bench
    layers = networks.relu_float32_layers([2, 4, 3], seed=seed)
    expected = realized_patterns(brute_force_layers(layers), 2, square_rows(-3, 3))
    coarse = oracle.grid_patterns(layers, -3, 3, 8)
    fine = oracle.grid_patterns(layers, -3, 3, 120)
    assert coarse <= fine <= expected
    assert len(fine) >= len(expected) - 1  # only a sliver may hide between grid points


def test_grid_patterns_skip_points_on_a_boundary(bench):
    _, _, oracle, _ = bench
    # x - 1/4 and 1/4 - x: the centres on x = 1/4 have both units at zero, pattern (0, 0),
    # which is no region: only (1, 0) and (0, 1) are full-dimensional.
    layers = [(np.array([[1, 0], [-1, 0]], np.float32), np.array([-0.25, 0.25], np.float32))]
    assert oracle.grid_patterns(layers, -1, 1, 4) == {((1, 0),), ((0, 1),)}


def test_the_verdict_names_the_right_count(bench):
    compare_peers, networks, *_ = bench
    layers = networks.relu_float32_layers([2, 6, 6], seed=1)
    net = networks.relu_network(2, layers)
    ours = sum(1 for _ in iter_regions(net, Box.cube(2, -3, 3)))
    assert compare_peers.who_is_right(net, layers, ours, ours + 5, 60).startswith(
        "no: ours is proven (certificate verified")
    short = compare_peers.who_is_right(net, layers, ours, 3, 60)
    assert short.endswith("regioncam is below the " + short.split("all ")[1].split(" ")[0]
                          + " patterns of the grid")
    assert compare_peers.who_is_right(net, layers, ours + 1, ours, 60) == (
        f"no: our backend disagrees with the Python reference ({ours})")


def test_the_benchmark_examples_run(bench):
    for module in (bench[2], bench[3]):
        assert doctest.testmod(module).failed == 0


VNNLIB = """; a property
(declare-const X_0 Real)
(declare-const X_1 Real)
(assert (<= X_0 0.5))
(assert (>= X_0 -0.303531156))
(assert (>= X_1 0.3))
(assert (<= X_1 1e-1))
(assert (<= Y_0 Y_1))
"""


def test_the_vnnlib_box_is_read_as_written_and_rounded_as_nnenum_reads_it(bench, tmp_path):
    acasxu = bench[3]
    path = tmp_path / "prop.vnnlib"
    path.write_text(VNNLIB)
    box = acasxu.vnnlib_box(path)
    assert box == [("-0.303531156", "0.5"), ("0.3", "1e-1")]
    lows_highs = [F(v) for item in acasxu.bounds_option(box).split(",") for v in item.split(":")]
    # float32 keeps 24 significant bits: each bound moves by less than 2^-24 of itself
    for exact, rounded in zip([F("-0.303531156"), F(1, 2), F(3, 10), F(1, 10)], lows_highs):
        assert rounded == F(float(np.float32(float(exact))))
        assert abs(rounded - exact) <= abs(exact) / 2**24


def test_an_incomplete_vnnlib_box_is_refused(bench, tmp_path):
    path = tmp_path / "prop.vnnlib"
    path.write_text(VNNLIB.replace("(assert (>= X_1 0.3))\n", ""))
    with pytest.raises(ValueError, match="no complete input box"):
        bench[3].vnnlib_box(path)


def test_a_second_backend_is_timed_beside_the_reference_in_one_table(bench, monkeypatch, capsys):
    from polyregions.enumeration import backends

    sys.path.insert(0, str(BENCHMARKS))
    try:
        import bench_engine
    finally:
        sys.path.remove(str(BENCHMARKS))
    # the reference under another name stands in for a compiled backend
    monkeypatch.setitem(backends._FACTORIES, "other", backends._FACTORIES["python"])
    net = bench[1].relu_network(2, bench[1].relu_float32_layers([2, 4, 4], seed=0))
    expected = sum(1 for _ in iter_regions(net, Box.cube(2, -3, 3)))
    for kernel, columns in (("python", 5), ("other", 7)):
        table = bench_engine.Table(kernel)
        table.header("t")
        table.row("net", net, Box.cube(2, -3, 3))
        header, rule, row = capsys.readouterr().out.strip().splitlines()[-3:]
        assert [line.count("|") - 1 for line in (header, rule, row)] == [columns] * 3
        assert row.split("|")[3].strip() == str(expected)


def test_the_baseline_timer_counts_what_the_package_counts(tmp_path):
    # The timer runs in a fresh process with a tree first on the path; on this tree it must
    # count the regions that count_regions counts here.
    sys.path.insert(0, str(BENCHMARKS))
    try:
        import bench_baseline
        import networks
    finally:
        sys.path.remove(str(BENCHMARKS))
    import json

    from polyregions import count_regions, network_from_dict
    model = networks.model_dict([3, 4, 3], 2, 2, seed=3)
    path = tmp_path / "model.json"
    path.write_text(json.dumps(model))
    top = BENCHMARKS.parent
    count, seconds = bench_baseline.timed(top, str(path), 3, -1, 1, None)
    assert count == count_regions(network_from_dict(model), Box.cube(3, -1, 1)) > 10
    assert seconds > 0
    assert [label for label, *_ in bench_baseline.rows("dimensions")][0] == "[3, 10, 10] rank 2"
