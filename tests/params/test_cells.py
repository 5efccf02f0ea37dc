"""Parameter cells of bias slices (``polyregions.params.cells``), each against an independent source."""

import json
from fractions import Fraction

import pytest

from polyregions import Box, DomainError, Network, ReluLayer, count_regions
from polyregions.params.cells import bias_slice_cells, network_with_biases
from tests.cli_helpers import run
from tests.networks import random_network, to_network

F = Fraction
EXAMPLE = Network(1, [ReluLayer([[1], [1]], [0, 0])])  # relu(x + b0), relu(x + b1)


def test_issue_example_exactly():
    cells = bias_slice_cells(EXAMPLE, Box([-1], [1]), [(0, 0), (0, 1)], -2, 2)
    # Unit j breaks [-1, 1] at x = -b_j exactly when |b_j| < 1, so the lines b0 = +-1,
    # b1 = +-1 and (inside [-1, 1]^2, where both breakpoints are in) b0 = b1 cut [-2, 2]^2:
    #   [-1, 1]^2 split by b0 = b1: two triangles of area 4 / 2 = 2, three regions each;
    #   four side rectangles 2 x 1 (one breakpoint inside): area 2, two regions;
    #   four corner squares 1 x 1 (no breakpoint; the diagonal crosses two of them, but the
    #   pattern set is the same on both sides, so they stay whole): area 1, one region.
    #   2 * 2 + 4 * 2 + 4 * 1 = 16 = 4^2.
    summary = sorted((c.activation_regions, c.measure) for c in cells)
    assert summary == [(1, 1)] * 4 + [(2, 2)] * 4 + [(3, 2)] * 2
    assert sum(c.measure for c in cells) == 16
    # The triangle b1 > b0 holds both breakpoints with -b0 > -b1: patterns 00, 01, 11.
    upper = next(c for c in cells if c.activation_regions == 3 and c.interior_point[1] >
                 c.interior_point[0])
    assert upper.patterns == (((0, 0),), ((0, 1),), ((1, 1),))
    assert upper.polytope is not None and len(upper.polytope.rows) == 3
    # Each triangle touches the other and two side rectangles.
    assert sorted(cells[n].activation_regions for n in upper.neighbours) == [2, 2, 3]
    corner = next(c for c in cells if c.contains_in_interior((F(3, 2), F(7, 4))))
    assert len(corner.pieces) == 2 and corner.polytope is not None  # merged, still a square
    assert sorted(corner.polytope.vertices) == [(1, 1), (1, 2), (2, 1), (2, 2)]


def _count_at(network, domain, entries, point):
    return count_regions(network_with_biases(network, entries, point), domain)


def test_two_d_maxout_slice_against_dense_sampling():
    # Two rank-3 maxout layers on [-2, 2]^2; piece 1 of unit 0 and piece 2 of unit 1 of layer 1
    # vary over [-3, 3]: 71 cells with 18 to 29 regions.
    net = to_network(random_network(2, 2, [3, 2], ["maxout", "maxout"], rank=3), 2)
    domain, entries = Box([-2, -2], [2, 2]), [(0, 0, 1), (1, 1, 2)]
    cells = bias_slice_cells(net, domain, entries, -3, 3)
    assert sum(c.measure for c in cells) == 36
    checked = 0
    grid = [F(-3) + F(6 * i + 3, 2 * 13) for i in range(13)]  # 13 x 13 centres of a grid
    for s in grid:
        for t in grid:
            owners = [c for c in cells if c.contains_in_interior((s, t))]
            if not owners:  # on a boundary between pieces: skipped, the test is exact
                continue
            assert len(owners) == 1
            assert _count_at(net, domain, entries, (s, t)) == owners[0].activation_regions
            checked += 1
    assert checked > 150
    assert len({c.activation_regions for c in cells}) > 1


def test_interior_point_count_matches_direct_enumeration():
    net = to_network(random_network(7, 2, [3], ["relu"]), 2)
    domain, entries = Box([-1, -1], [1, 1]), [(0, 0), (0, 2)]
    for cell in bias_slice_cells(net, domain, entries, -2, 2):
        direct = network_with_biases(net, entries, cell.interior_point)
        assert count_regions(direct, domain) == cell.activation_regions


@pytest.mark.parametrize("seed, dim, widths, kinds, entries", [
    (0, 1, [3, 3], ["relu", "relu"], [(1, 2)]),
    (1, 1, [3, 3, 2], ["maxout", "leaky_relu", "relu"], [(0, 1, 0)]),
    (2, 2, [4, 3], ["leaky_relu", "maxout"], [(1, 0, 1)]),
    (4, 2, [3, 3, 3], ["relu", "relu", "relu"], [(2, 1)]),
    (5, 1, [3, 2], ["relu", "maxout"], [(0, 0), (1, 1, 1)]),
    (6, 2, [3], ["leaky_relu"], [(0, 1), (0, 2)]),
])
def test_cells_tile_the_slice(seed, dim, widths, kinds, entries):
    layers = random_network(seed, dim, widths, kinds, rank=2, outputs=1)
    net = to_network(layers, dim)
    cells = bias_slice_cells(net, Box.cube(dim, -1, 1), entries, -2, 3)
    assert sum(c.measure for c in cells) == F(5) ** len(entries)
    assert all(c.measure > 0 for c in cells)
    for c in cells:  # neighbours are symmetric, and differ in their pattern sets
        for n in c.neighbours:
            assert c.index in cells[n].neighbours
    if len(entries) == 1:  # 1-D: intervals, each pair of neighbours with different patterns
        for c in cells:
            assert all(cells[n].patterns != c.patterns for n in c.neighbours)
            direct = network_with_biases(net, entries, c.interior_point)
            assert count_regions(direct, Box.cube(dim, -1, 1)) == c.activation_regions


def test_network_with_biases_is_exact():
    net = to_network(random_network(9, 2, [2, 2, 1], ["maxout", "leaky_relu", "linear"],
                                    rank=3), 2)
    big = F(10**100 + 1, 3)
    changed = network_with_biases(net, [(0, 1, 2), (1, 0), (2, 0)], [big, "-1/7", 0])
    assert changed.layers[0].biases[1][2] == big
    assert changed.layers[0].biases[1][:2] == net.layers[0].biases[1][:2]
    assert changed.layers[1].biases[0] == F(-1, 7) and changed.layers[1].slope == net.layers[1].slope
    assert changed.layers[2].biases == (F(0),)
    assert changed.layers[0].weights == net.layers[0].weights
    with pytest.raises(DomainError):
        network_with_biases(net, [(0, 1)], [1])  # maxout needs the piece
    with pytest.raises(DomainError):
        network_with_biases(net, [(1, 0, 0)], [1])  # leaky ReLU has no pieces to name


@pytest.mark.parametrize("entries, low, high", [
    ([], -1, 1), ([(3, 0)], -1, 1), ([(0, 2)], -1, 1), ([(0, 0), (0, 0)], -1, 1),
    ([(0, 0)], 1, 1), ([(0, 0)], 2, 1),
])
def test_bad_arguments(entries, low, high):
    with pytest.raises(DomainError):
        bias_slice_cells(EXAMPLE, Box([-1], [1]), entries, low, high)


def test_cell_is_immutable():
    cell = bias_slice_cells(EXAMPLE, Box([-1], [1]), [(0, 0)], -2, 2)[0]
    with pytest.raises(AttributeError):
        cell.measure = 0


EXAMPLE_LAYERS = [{"type": "relu", "weights": [[1], [1]], "biases": [0, 0]}]


def test_cli_json(layers_model, capsys):
    model = layers_model(EXAMPLE_LAYERS, input_dim=1)
    status, out, err = run(["cells", model, "--bias", "0:0", "--bias", "0:1", "--range", "-2",
                            "2", "--box", "-1", "1", "--json"], capsys)
    assert status == 0, err
    data = json.loads(out)
    assert data["count"] == len(data["cells"]) == 10
    assert sorted(c["activation_regions"] for c in data["cells"]) == [1] * 4 + [2] * 4 + [3] * 2
    assert sum(F(c["measure"]) for c in data["cells"]) == 16
    for c in data["cells"]:
        assert len(c["interior_point"]) == 2 and all(isinstance(n, int) for n in c["neighbours"])
    status, out, _ = run(["cells", model, "--bias", "0:1", "--range", "-2", "2", "--box", "-1",
                          "1"], capsys)
    assert status == 0 and "cells" in out


@pytest.mark.parametrize("extra", [
    ["--bias", "0:2", "--range", "-2", "2"],  # no unit 2
    ["--bias", "1:0", "--range", "-2", "2"],  # no layer 1
    ["--bias", "0:0:1", "--range", "-2", "2"],  # a ReLU has no pieces
    ["--bias", "0-0", "--range", "-2", "2"],
    ["--bias", "0:0", "--range", "2", "-2"],
    ["--bias", "0:0", "--range", "1", "1"],
    ["--range", "-2", "2"],  # no --bias
])
def test_cli_errors(layers_model, capsys, extra):
    model = layers_model(EXAMPLE_LAYERS, input_dim=1)
    status, out, err = run(["cells", model, "--box", "-1", "1"] + extra, capsys)
    assert status == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("polyregions: error:")


def test_cli_plot(layers_model, capsys, tmp_path):
    pytest.importorskip("matplotlib")
    model = layers_model(EXAMPLE_LAYERS, input_dim=1)
    for biases in (["--bias", "0:0", "--bias", "0:1"], ["--bias", "0:0"]):
        path = tmp_path / f"cells{len(biases)}.png"
        status, _, err = run(["cells", model, *biases, "--range", "-2", "2", "--box", "-1", "1",
                              "--plot", str(path)], capsys)
        assert status == 0, err
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_cells_report_progress_of_the_augmented_enumeration():
    # The issue's example: on (x, b0, b1) in [-1, 1] x [-2, 2]^2 the two units x + b0 and
    # x + b1 take all four sign patterns, so the augmented enumeration finds 4 regions.
    net = Network(1, [ReluLayer([[1], [1]], [0, 0])])
    calls = []
    bias_slice_cells(net, Box([-1], [1]), [(0, 0), (0, 1)], -2, 2, progress=calls.append)
    assert calls == [1, 2, 3, 4]
