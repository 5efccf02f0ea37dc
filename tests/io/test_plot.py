"""Figures of 2-D regions, and ``polyregions plot``. Skipped when matplotlib is missing."""

import json
import struct
import sys
from fractions import Fraction

import pytest

pytest.importorskip("matplotlib")

from polyregions import (  # noqa: E402
    Box,
    DomainError,
    ExportError,
    Slice,
    WholeSpace,
    enumerate_regions,
    region_graph,
)
from polyregions.io.graph_file import read_graph, write_graph  # noqa: E402
from polyregions.io.plot import default_view, plot_cells, plot_regions, region_polygons  # noqa: E402
from tests.cli_helpers import run  # noqa: E402
from tests.networks import random_network, to_network  # noqa: E402

F = Fraction


def relu(weights, biases):
    return {"type": "relu", "weights": weights, "biases": biases}


CROSS = to_network([relu([[1, 0], [0, 1]], [0, 0])], 2)
# relu(x1), relu(x2), then the logits (x1+, x2+): class 1 above the diagonal where x1, x2 > 0.
CLASSIFIER = [relu([[1, 0], [0, 1]], [0, 0]),
              {"type": "linear", "weights": [[1, 0], [0, 1]], "biases": [0, 0]}]
MAXOUT = to_network(random_network(5, 2, [5, 4], ["maxout", "relu"], outputs=2), 2)


def png_size(path):
    """Width and height from the PNG header (IHDR), without an image library."""
    with open(path, "rb") as f:
        head = f.read(24)
    assert head[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", head[16:24])


def polygons_drawn(ax):
    return ax.collections[0].get_paths()


# ---------------------------------------------------------------- plot_regions


def test_png_of_the_cross(tmp_path):
    result = enumerate_regions(CROSS, Box.cube(2, -1, 1))
    path = tmp_path / "cross.png"
    ax = plot_regions(result, path)
    assert png_size(path) == (900, 900)  # 6 x 6 inches at 150 dpi
    assert len(polygons_drawn(ax)) == len(result) == 4
    # The four unit squares, exactly where the regions are.
    squares = {tuple(sorted(map(tuple, p.vertices[:4].tolist()))) for p in polygons_drawn(ax)}
    assert ((0.0, 0.0), (0.0, 1.0), (1.0, 0.0), (1.0, 1.0)) in squares
    assert ax.get_title() == "4 activation regions"
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("x1", "x2")
    assert ax.get_aspect() == 1.0 and ax.get_xlim() == (-1.0, 1.0)


def test_size_and_format_options(tmp_path):
    result = enumerate_regions(CROSS, Box.cube(2, -1, 1))
    plot_regions(result, tmp_path / "small.png", figsize=(4, 3), dpi=50)
    assert png_size(tmp_path / "small.png") == (200, 150)
    plot_regions(result, tmp_path / "cross.svg")
    assert (tmp_path / "cross.svg").read_text().lstrip().startswith("<?xml")


@pytest.mark.parametrize("domain", [Box.cube(2, -2, 2), WholeSpace(2)])
def test_one_polygon_per_region_from_the_complex_and_the_graph(tmp_path, domain):
    result = enumerate_regions(MAXOUT, domain)
    G = region_graph(result, volumes=False, facet_measures=False)
    write_graph(G, tmp_path / "g.json")
    from_result = region_polygons(result)
    assert region_polygons(G) == from_result == region_polygons(read_graph(tmp_path / "g.json"))
    ax = plot_regions(G)
    assert len(polygons_drawn(ax)) == len(result)


def test_unbounded_regions_are_cut_by_a_box_around_everything():
    # Three lines through the origin in the whole plane: six unbounded sectors.
    net = to_network([relu([[1, 0], [0, 1], [1, 1]], [0, 0, 0])], 2)
    result = enumerate_regions(net, WholeSpace(2))
    polygons, (x_lo, x_hi, y_lo, y_hi) = region_polygons(result)
    assert len(polygons) == 6 and x_lo < 0 < x_hi and y_lo < 0 < y_hi
    assert x_hi - x_lo == y_hi - y_lo  # square
    for node, vertices in polygons.items():
        assert F(0) in {v[0] for v in vertices}  # every sector keeps its apex (0, 0)
        assert all(x_lo <= x <= x_hi and y_lo <= y <= y_hi for x, y in vertices)
        assert all(result[node].polytope.contains(v) for v in vertices)
    # The areas add up to the box: the sectors tile it exactly.
    area = sum(_shoelace(v) for v in polygons.values())
    assert area == (x_hi - x_lo) * (y_hi - y_lo)


def _shoelace(vertices):
    n = len(vertices)
    return abs(sum(vertices[i][0] * vertices[(i + 1) % n][1] - vertices[(i + 1) % n][0] * vertices[i][1]
                   for i in range(n))) / 2


def test_a_view_cuts_every_region_and_leaves_out_those_outside(tmp_path):
    # The cross in the whole plane, viewed in [1, 2] x [-1, 1]: only the two right quadrants.
    result = enumerate_regions(CROSS, WholeSpace(2))
    polygons, box = region_polygons(result, view=("1", 2, -1, "1"))
    assert box == (1, 2, -1, 1) and len(polygons) == 2
    assert all(set(v) in ({(1, 0), (2, 0), (2, 1), (1, 1)}, {(1, -1), (2, -1), (2, 0), (1, 0)})
               for v in polygons.values())
    ax = plot_regions(result, view=(1, 2, -1, 1))
    assert len(polygons_drawn(ax)) == 2 and ax.get_xlim() == (1.0, 2.0)
    assert ax.get_title() == "4 activation regions (2 in view)"
    for bad in [(1, 1, 0, 1), (0, 1, 0), ("a", 1, 0, 1)]:
        with pytest.raises(DomainError, match="view"):
            region_polygons(result, view=bad)


def test_bounded_polygons_are_counter_clockwise_and_exact():
    result = enumerate_regions(MAXOUT, Box.cube(2, -2, 2))
    polygons, box = region_polygons(result)
    assert box == (-2, 2, -2, 2)
    for node, vertices in polygons.items():
        assert set(vertices) == set(result[node].polytope.vertices)
        assert _shoelace(vertices) == result[node].polytope.volume()
    assert sum(_shoelace(v) for v in polygons.values()) == 16


def test_colour_by_linear_region():
    result = enumerate_regions(to_network(CLASSIFIER, 2), Box.cube(2, -1, 1))
    G = region_graph(result)
    # Given groups (normally polyregions.analysis.linear.linear_regions(G)): {0, 1} share a colour.
    groups = [{0, 1}, {2}, {3}]
    ax = plot_regions(G, color_by="linear", groups=groups)
    colors = [tuple(c) for c in ax.collections[0].get_facecolors()]
    assert colors[0] == colors[1] and len({colors[0], colors[2], colors[3]}) == 3
    assert ax.get_title() == "4 activation regions, 3 linear regions"
    # By region, the four quadrants form a 4-cycle: two colours, neighbours apart.
    ax = plot_regions(G)
    colors = [tuple(c) for c in ax.collections[0].get_facecolors()]
    assert len(set(colors)) == 2 and all(colors[a] != colors[b] for a, b in G.edges)


def test_boundary_segments_and_pieces_with_rays():
    result = enumerate_regions(CROSS, WholeSpace(2))
    segments = [((F(0), F(0)), (F(1), F(1))), ((F(-1), F(0)), (F(0), F(0)))]
    ax = plot_regions(result, boundary=segments)
    lines = ax.collections[1]
    assert lines.get_segments()[0].tolist() == [[0.0, 0.0], [1.0, 1.0]]
    assert len(lines.get_segments()) == 2 and lines.get_linewidths()[0] > 2

    class Piece:  # the shape of polyregions.analysis's boundary pieces
        vertices = ((F(0), F(0)),)
        rays = ((1, 1),)

    ax = plot_regions(result, boundary=[Piece()])
    (start, end), = ax.collections[1].get_segments().__iter__()
    assert start.tolist() == [0.0, 0.0] and end[0] > ax.get_xlim()[1]  # drawn out of view


def test_slice_axes_are_s_and_t():
    net = to_network([relu([[1, 0, 0], [0, 1, 1]], [0, 0])], 3)
    result = enumerate_regions(net, Slice([0, 0, 0], [1, 0, 0], [0, 1, 1], [-1, -1], [1, 1]))
    ax = plot_regions(result)
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("s", "t")


def test_partial_results_say_so():
    result = enumerate_regions(MAXOUT, Box.cube(2, -2, 2), max_regions=3)
    ax = plot_regions(result)
    assert ax.get_title() == "3 activation regions (partial)"


def test_draws_into_a_given_axes():
    from matplotlib.figure import Figure

    fig = Figure()
    ax = fig.add_subplot(1, 2, 2)
    assert plot_regions(enumerate_regions(CROSS, Box.cube(2, -1, 1)), ax=ax) is ax
    assert len(polygons_drawn(ax)) == 4


def test_errors(tmp_path):
    result3 = enumerate_regions(to_network([relu([[1, 0, 0]], [0])], 3), Box.cube(3, -1, 1))
    with pytest.raises(DomainError, match="2-D"):
        plot_regions(result3)
    with pytest.raises(DomainError, match="2-D"):
        plot_regions(region_graph(result3))
    result = enumerate_regions(CROSS, Box.cube(2, -1, 1))
    with pytest.raises(ExportError, match="color_by"):
        plot_regions(result, color_by="pattern")
    with pytest.raises(ExportError, match="groups"):
        plot_regions(result, color_by="linear")
    with pytest.raises(ExportError, match=r"\.png"):
        plot_regions(result, tmp_path / "figure.txt")
    with pytest.raises(ExportError, match="cannot write"):
        plot_regions(result, tmp_path / "no" / "dir" / "figure.png")
    with pytest.raises(ExportError, match="RegionComplex"):
        plot_regions([1, 2, 3])


def _same_coloured_edges(ax, graph):
    colors = [tuple(c) for c in ax.collections[0].get_facecolors()]
    return sum(colors[a] == colors[b] for a, b in graph.edges)


def test_adjacent_regions_never_share_a_colour_on_the_demo_network():
    from polyregions.data import default_network

    result = enumerate_regions(default_network(), Box.cube(2, -3, 3))
    G = region_graph(result, volumes=False, facet_measures=False)
    ax = plot_regions(result, boundary=None)
    assert len(polygons_drawn(ax)) == len(result) == 2354 and G.number_of_edges() > 4000
    assert _same_coloured_edges(ax, G) == 0


@pytest.mark.parametrize("seed", range(4))
def test_adjacent_regions_never_share_a_colour_on_random_networks(seed):
    kinds = ["relu", "maxout"] if seed % 2 else ["maxout", "relu"]
    net = to_network(random_network(seed, 2, [6, 5], kinds, outputs=3), 2)
    for domain in (Box.cube(2, -2, 2), WholeSpace(2)):
        result = enumerate_regions(net, domain)
        G = region_graph(result, volumes=False, facet_measures=False)
        # Every region drawn (a view holding all of them), so node k is polygon k.
        ax = plot_regions(result, view=region_polygons(result)[1])
        assert len(polygons_drawn(ax)) == len(result)
        assert G.number_of_edges() > 0 and _same_coloured_edges(ax, G) == 0


def _float_area(path):
    xy = path.vertices[:-1] if len(path.vertices) > 3 else path.vertices
    return abs(sum(xy[i][0] * xy[i - 1][1] - xy[i - 1][0] * xy[i][1] for i in range(len(xy)))) / 2


def test_colour_by_class_matches_the_network_and_has_a_legend():
    net = to_network(random_network(7, 2, [5, 4], ["relu", "maxout"], outputs=3), 2)
    result = enumerate_regions(net, Box.cube(2, -2, 2))
    ax = plot_regions(result, color_by="class")
    parts = ax.collections[0]
    legend = {t.get_text(): tuple(h.get_facecolor()) for t, h in
              zip(ax.get_legend().get_texts(), ax.get_legend().legend_handles)}
    assert set(legend) <= {"class 0", "class 1", "class 2"} and len(legend) >= 2
    assert ax.get_title().endswith(f"{len(legend)} classes predicted")
    for path, colour in zip(parts.get_paths(), parts.get_facecolors()):
        # The network evaluated (exactly) at the part's centroid predicts the colour's class.
        cx, cy = (F(float(v)) for v in path.vertices[:-1].mean(axis=0))
        outputs = net.evaluate((cx, cy))
        predicted = max(range(len(outputs)), key=lambda k: (outputs[k], -k))
        assert legend[f"class {predicted}"] == tuple(colour)
    # The parts tile the box; the second collection outlines every region.
    assert sum(_float_area(p) for p in parts.get_paths()) == pytest.approx(16)
    assert len(ax.collections[1].get_paths()) == len(result)


def test_colour_by_class_from_a_graph_needs_its_maps():
    result = enumerate_regions(to_network(CLASSIFIER, 2), Box.cube(2, -1, 1))
    ax = plot_regions(region_graph(result), color_by="class")
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["class 0", "class 1"]
    with pytest.raises(ExportError, match="affine maps"):
        plot_regions(region_graph(result, maps=False), color_by="class")


def test_the_decision_boundary_is_drawn_by_default():
    from polyregions.analysis.decision import decision_boundary

    result = enumerate_regions(to_network(CLASSIFIER, 2), Box.cube(2, -1, 1))
    ax = plot_regions(result)
    segments = sorted(sorted(map(tuple, s.tolist())) for s in ax.collections[1].get_segments())
    expected = sorted(sorted((float(x), float(y)) for x, y in s)
                      for s in decision_boundary(result).segments_2d())
    assert segments == expected == [[(-1.0, 0.0), (0.0, 0.0)], [(0.0, 0.0), (1.0, 1.0)]]
    assert len(plot_regions(result, boundary=None).collections) == 1
    assert len(plot_regions(region_graph(result)).collections) == 1  # no network: no boundary
    one_output = to_network([relu([[1, 0], [0, 1]], [0, 0]),
                             {"type": "linear", "weights": [[1, 1]], "biases": [0]}], 2)
    assert len(plot_regions(enumerate_regions(one_output, Box.cube(2, -1, 1))).collections) == 1


def test_the_default_view_of_the_whole_space_frames_bounded_regions_and_the_boundary():
    from polyregions import load_network
    from polyregions.analysis.decision import decision_boundary

    result = enumerate_regions(load_network("examples/small_classifier.json"), WholeSpace(2))
    pieces = decision_boundary(result).pieces
    points = [v for r in result if r.polytope.is_bounded for v in r.polytope.vertices]
    points += [v for p in pieces for v in p.vertices]
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    extent = max(max(xs) - min(xs), max(ys) - min(ys))
    x_lo, x_hi, y_lo, y_hi = default_view(result, pieces)
    assert x_hi - x_lo == y_hi - y_lo == extent * F(6, 5)  # a tenth of margin each side
    assert x_lo <= min(xs) - extent / 10 and x_hi >= max(xs) + extent / 10
    assert y_lo <= min(ys) - extent / 10 and y_hi >= max(ys) + extent / 10
    ax = plot_regions(result)
    assert ax.get_xlim() == (float(x_lo), float(x_hi)) and ax.get_ylim() == (float(y_lo), float(y_hi))
    # Tighter than the square around every vertex and interior point.
    assert x_hi - x_lo < region_polygons(result)[1][1] - region_polygons(result)[1][0]
    # Without bounded regions or boundary: every vertex, here the apex of six sectors.
    net = to_network([relu([[1, 0], [0, 1], [1, 1]], [0, 0, 0])], 2)
    assert default_view(enumerate_regions(net, WholeSpace(2))) == (F(-3, 5), F(3, 5), F(-3, 5), F(3, 5))


# ---------------------------------------------------------------- plot_cells


def _cells(dim):
    from polyregions import load_network
    from polyregions.params.cells import bias_slice_cells

    entries = [(0, 0), (0, 1)][:dim]
    net = load_network("examples/small_classifier.json")
    return bias_slice_cells(net, Box.cube(2, -2, 2), entries, -2, 2), entries


def test_a_cell_map_names_its_axes_and_its_labels_do_not_collide():
    cells, entries = _cells(2)
    ax = plot_cells(cells, entries=entries, lower=-2, upper=2)
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("b[0][0]", "b[0][1]")
    assert ax.get_xlim() == ax.get_ylim() == (-2.0, 2.0)
    renderer = ax.figure.canvas.get_renderer()
    boxes = [t.get_window_extent(renderer) for t in ax.texts]
    assert 0 < len(boxes) <= len(cells)
    assert not any(a.overlaps(b) for i, a in enumerate(boxes) for b in boxes[i + 1:])
    counts = {c.activation_regions for c in cells}
    assert all(int(t.get_text()) in counts for t in ax.texts)
    # The colour bar is labelled too; without entries the axes are still named.
    assert ax.figure.axes[1].get_ylabel() == "activation regions"
    assert plot_cells(cells).get_xlabel() == "bias 1"


def test_the_one_dimensional_cell_plot_is_labelled():
    cells, entries = _cells(1)
    ax = plot_cells(cells, entries=entries, lower=-2, upper=2)
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("b[0][0]", "activation regions")
    assert ax.get_title().startswith(f"{len(cells)} parameter cell")
    labels = [int(t.get_text()) for t in ax.texts]
    assert labels and set(labels) <= {c.activation_regions for c in cells}
    # The widest cell is always labelled.
    widest = max(cells, key=lambda c: c.measure)
    assert widest.activation_regions in labels


# ---------------------------------------------------------------- polyregions plot


@pytest.fixture
def model(layers_model):
    return layers_model


def test_cli_plot(model, tmp_path, capsys):
    path = tmp_path / "regions.png"
    status, out, err = run(["plot", model(CLASSIFIER), "--box", "-1", "1", "-o", str(path),
                            "--json"], capsys)
    assert (status, err) == (0, "")
    assert png_size(path) == (900, 900)
    summary = json.loads(out)
    assert summary["activation_regions"] == 4 and summary["file"] == str(path)
    # The diagonal in the positive quadrant and the negative x1-axis.
    assert summary["boundary_pieces"] == 2


def test_cli_plot_linear_regions_of_a_slice(model, tmp_path, capsys):
    path = tmp_path / "slice.png"
    layers = [relu([[1, 0, 0], [0, 1, 0], [0, 0, 1]], [0, 0, 0]),
              {"type": "linear", "weights": [[1, 0, 0]], "biases": [0]}]
    status, out, err = run(["plot", model(layers, 3), "--slice", "0,0,0", "1,0,0", "0,1,1",
                            "--box", "-1", "1", "-o", str(path), "--color", "linear"], capsys)
    assert (status, err) == (0, "") and path.exists()
    # The output reads only relu(x1): the slice's 4 regions form 2 linear regions.
    assert "activation regions  4" in out and "linear regions      2" in out
    assert "boundary" not in out  # one output: no classifier, no boundary


@pytest.mark.parametrize("argv, message", [
    (["--box", "-1", "1", "-o", "out.png"], "2-D domains or slices; this domain is 3-D"),
    (["--box", "-1", "1", "-o", "out.txt"], "cannot write a figure"),
    (["--whole-space", "-o", "no/dir/out.png"], "no directory"),
    (["--slice", "0,0,0", "1,0,0", "2,0,0", "--box", "-1", "1", "-o", "out.png"], "collinear"),
    (["--slice", "0,0,0", "1,0,0", "0,1,0", "--box", "-1", "1", "-o", "out.png",
      "--view", "1", "0", "0", "1"], "view must be"),
])
def test_cli_plot_bad_input(model, tmp_path, capsys, monkeypatch, argv, message):
    monkeypatch.chdir(tmp_path)
    layers = [relu([[1, 0, 0]], [0])]
    status, out, err = run(["plot", model(layers, 3), *argv], capsys)
    assert status == 2 and out == ""
    assert err.count("\n") == 1 and message in err
    assert not (tmp_path / "out.png").exists()


def test_cli_plot_view(model, tmp_path, capsys):
    path = tmp_path / "view.png"
    status, out, err = run(["plot", model(CLASSIFIER), "--whole-space", "-o", str(path),
                            "--view", "1/2", "1", "-1", "1", "--no-boundary", "--json"], capsys)
    assert (status, err) == (0, "") and path.exists()
    assert json.loads(out)["boundary_pieces"] is None


def test_cli_plot_needs_an_output(model, capsys):
    status, out, err = run(["plot", model(CLASSIFIER), "--box", "-1", "1"], capsys)
    assert status == 2 and err.count("\n") == 1 and "-o/--output" in err


def test_cli_plot_without_matplotlib(model, tmp_path, capsys, monkeypatch):
    # A None entry in sys.modules makes "import matplotlib" raise ImportError.
    for name in [m for m in sys.modules if m == "matplotlib" or m.startswith("matplotlib.")]:
        monkeypatch.setitem(sys.modules, name, None)
    status, out, err = run(["plot", model(CLASSIFIER), "--box", "-1", "1", "-o",
                            str(tmp_path / "x.png")], capsys)
    assert status == 2 and out == ""
    assert err == ("polyregions: error: drawing figures needs matplotlib: "
                   ".venv/bin/pip install -e '.[plot]'\n")  # run from the source checkout


def test_cli_plot_by_class(model, tmp_path, capsys):
    path = tmp_path / "classes.png"
    status, out, err = run(["plot", model(CLASSIFIER), "--whole-space", "-o", str(path),
                            "--color", "class", "--json"], capsys)
    assert (status, err) == (0, "") and png_size(path) == (900, 900)
    assert json.loads(out)["boundary_pieces"] == 2


def test_cli_cells_plot_names_the_bias_entries(tmp_path, capsys, monkeypatch):
    import polyregions.io.plot as plot

    drawn = []
    original = plot.plot_cells
    monkeypatch.setattr(plot, "plot_cells", lambda *a, **k: drawn.append(original(*a, **k)))
    path = tmp_path / "cells.png"
    status, out, err = run(["cells", "examples/small_classifier.json", "--box", "-2", "2",
                            "--bias", "0:1", "--bias", "1:0:1", "--range", "-1", "1",
                            "--plot", str(path), "--json"], capsys)
    assert (status, err) == (0, "") and path.exists()
    assert (drawn[0].get_xlabel(), drawn[0].get_ylabel()) == ("b[0][1]", "b[1][0][1]")
