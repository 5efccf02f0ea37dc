"""The interactive page of ``polyregions plot --html``, rendered in headless Chromium.

Skipped when plotly or matplotlib is missing; the browser tests skip when
Chromium is missing, unless POLYREGIONS_REQUIRE_BROWSER=1 (set by ``make test``,
which installs it) makes that a failure.
"""

import json
import os
import re
import shutil
import subprocess
import sys
from fractions import Fraction

import pytest

pytest.importorskip("plotly")
pytest.importorskip("matplotlib")

from polyregions import Box, ExportError, enumerate_regions, region_graph  # noqa: E402
from polyregions.analysis.decision import decision_boundary  # noqa: E402
from polyregions.analysis.robustness import predicted_class  # noqa: E402
from polyregions.io.html_plot import write_html_plot  # noqa: E402
from polyregions.io.plot import region_polygons  # noqa: E402
from tests.cli_helpers import run  # noqa: E402
from tests.networks import to_network  # noqa: E402

# After plotly's own script: count the drawn fills, then hover given points (regions with
# the edge markers hidden, so that a nearby marker cannot take the hover; then edges) and
# write the labels into the page, which --dump-dom prints.
PROBE = """
<script type="application/json" id="probes">%s</script>
<script>
window.addEventListener('load', function () {
  var gd = document.querySelector('.js-plotly-plot');
  var probes = JSON.parse(document.getElementById('probes').textContent);
  var edges = gd.data.findIndex(function (t) { return t.name === 'edges'; });
  var out = {fills: 0, traces: gd.data.length, regions: [], edges: []};
  document.querySelectorAll('.scatterlayer .trace path.js-fill').forEach(function (p) {
    if (p.getAttribute('d')) { out.fills += 1; }
  });
  function hover(points, into) {
    points.forEach(function (xy) {
      Plotly.Fx.hover(gd, {xval: xy[0], yval: xy[1]});
      var label = document.querySelector('.hoverlayer .hovertext');
      into.push(label ? Array.from(label.querySelectorAll('tspan.line')).map(
        function (t) { return t.textContent; }) : null);
      Plotly.Fx.unhover(gd);
    });
  }
  Plotly.restyle(gd, {visible: false}, [edges]).then(function () {
    hover(probes.regions, out.regions);
    return Plotly.restyle(gd, {visible: true}, [edges]);
  }).then(function () {
    hover(probes.edges, out.edges);
    var pre = document.createElement('pre');
    pre.id = 'probe-result';
    pre.textContent = JSON.stringify(out);
    document.body.appendChild(pre);
  });
});
</script>
"""


def chromium():
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        # `make test` installs Chromium and sets POLYREGIONS_REQUIRE_BROWSER=1: then a missing
        # browser fails instead of silently skipping the rendering tests.
        if os.environ.get("POLYREGIONS_REQUIRE_BROWSER") == "1":
            pytest.fail("POLYREGIONS_REQUIRE_BROWSER=1 but chromium is not installed")
        pytest.skip("chromium is not installed")
    return found


def render(page, tmp_path, regions=(), edges=()):
    """Load `page` with the probe in headless Chromium; return the probe's findings."""
    probes = json.dumps({"regions": [[float(x), float(y)] for x, y in regions],
                         "edges": [[float(x), float(y)] for x, y in edges]})
    probed = tmp_path / "probed.html"
    probed.write_text(page.read_text(encoding="utf-8") + PROBE % probes, encoding="utf-8")
    # --no-sandbox: Chromium refuses to run as root otherwise (CI runs as root).
    done = subprocess.run([chromium(), "--headless", "--no-sandbox", "--disable-gpu",
                           f"--user-data-dir={tmp_path / 'profile'}",
                           "--virtual-time-budget=20000", "--dump-dom", probed.as_uri()],
                          capture_output=True, text=True, timeout=180)
    found = re.search(r'<pre id="probe-result">(.*?)</pre>', done.stdout, re.S)
    assert found, done.stderr[-2000:]
    return json.loads(found[1].replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">"))


def shoelace(ring):
    """The exact area of a polygon from its vertices in order (independent of the engine)."""
    return abs(sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1]))) / 2


def relu(weights, biases):
    return {"type": "relu", "weights": weights, "biases": biases}


# Four ReLUs of the plane and three logits; the logits do not read the last unit, so regions
# on both sides of its line share their linear region.
NETWORK = to_network([relu([[1, 0], [0, 1], [1, 1], [1, -2]], [0, 0, -1, 1]),
                      {"type": "linear", "weights": [[1, 0, 2, 0], [0, 1, -1, 0], [1, 1, 0, 0]],
                       "biases": [0, 0, "-1/2"]}], 2)
BOX = Box.cube(2, -2, 2)


@pytest.fixture(scope="module")
def classifier():
    cx = enumerate_regions(NETWORK, BOX)
    graph = region_graph(cx)
    return cx, graph, decision_boundary(cx, graph)


def test_the_page_draws_every_region_and_hovers_their_exact_data(classifier, tmp_path):
    cx, graph, boundary = classifier
    page = tmp_path / "regions.html"
    assert write_html_plot(graph, page, boundary=list(boundary.pieces),
                           classes=boundary.region_classes) == len(cx)
    points = [graph.nodes[n]["interior_point"] for n in graph]
    edge_list = list(graph.edges(data=True))
    found = render(page, tmp_path, points, [d["point"] for _, _, d in edge_list])
    assert len(cx) > 10 and found["fills"] == len(cx)
    polygons, _ = region_polygons(graph)
    assert sum(shoelace(polygons[n]) for n in graph) == 16  # the regions tile the box
    labels = {}
    for node, label in zip(graph, found["regions"]):
        assert label is not None and label[0] == f"region {node}", (node, label)
        assert f"volume {shoelace(polygons[node])}" in label
        point = graph.nodes[node]["interior_point"]
        pattern = NETWORK.activation_pattern(point)
        assert label[1] == "pattern [" + " | ".join(" ".join(map(str, layer))
                                                    for layer in pattern if layer) + "]"
        winner = predicted_class(NETWORK.evaluate(point))
        shown = next(line for line in label if line.startswith("class"))
        assert str(winner) in re.findall(r"\d+", shown.split("(")[0])
        labels[node] = label
    # Adjacent regions with one affine map are in one linear region; one linear region has one map.
    linear = {n: next(t for t in labels[n] if t.startswith("linear region")) for n in graph}
    for u, v, _ in edge_list:
        if graph.nodes[u]["affine_map"] == graph.nodes[v]["affine_map"]:
            assert linear[u] == linear[v]
    for u in graph:
        for v in graph:
            if linear[u] == linear[v]:
                assert graph.nodes[u]["affine_map"] == graph.nodes[v]["affine_map"]
    assert len(set(linear.values())) < len(graph)  # some regions do share a linear region
    for (u, v, data), label in zip(edge_list, found["edges"]):
        assert label is not None and label[0] == f"edge {u}-{v}"
        assert label[1].endswith("= 0")


def test_the_page_counts_the_regions_of_an_arrangement(tmp_path):
    # Three lines in general position cut the plane into 7 regions, all meeting [-2, 2]^2.
    net = to_network([relu([[1, 0], [0, 1], [1, 1]], [0, 0, -1])], 2)
    page = tmp_path / "lines.html"
    graph = region_graph(enumerate_regions(net, BOX))
    assert write_html_plot(graph, page, color_by="linear") == 7
    assert render(page, tmp_path)["fills"] == 7


def test_the_page_is_self_contained(classifier, tmp_path):
    _, graph, _ = classifier
    page = tmp_path / "regions.html"
    write_html_plot(graph, page)
    text = page.read_text(encoding="utf-8")
    assert "Plotly.newPlot" in text and len(text) > 1_000_000  # plotly.js is inlined
    assert not re.search(r"<script[^>]*\bsrc=", text)
    assert not re.search(r"<link[^>]*\bhref=", text)


def test_bad_paths_and_options_are_one_line_errors(classifier, tmp_path):
    _, graph, _ = classifier
    with pytest.raises(ExportError, match="use .html"):
        write_html_plot(graph, tmp_path / "regions.png")
    with pytest.raises(ExportError, match="color_by"):
        write_html_plot(graph, tmp_path / "regions.html", color_by="rainbow")
    with pytest.raises(ExportError, match="cannot write"):
        write_html_plot(graph, tmp_path / "no" / "regions.html")


CLASSIFIER = [relu([[1, 0], [0, 1]], [0, 0]),
              {"type": "linear", "weights": [[1, 0], [0, 1]], "biases": [0, 0]}]


def test_cli_plot_html(layers_model, tmp_path, capsys):
    page = tmp_path / "regions.html"
    status, out, err = run(["plot", layers_model(CLASSIFIER), "--box", "-1", "1", "--html",
                            str(page), "--no-boundary", "--json"], capsys)
    assert (status, err) == (0, "")
    summary = json.loads(out)
    assert summary["html"] == str(page) and summary["file"] is None
    assert summary["activation_regions"] == 4 and summary["boundary_pieces"] is None
    found = render(page, tmp_path, [(Fraction(1, 2), Fraction(1, 2))])
    # The positive quadrant: volume 1, split by the diagonal between classes 0 and 1.
    assert found["fills"] == 4
    assert "volume 1" in found["regions"][0] and any(
        line.startswith("classes 0, 1") for line in found["regions"][0])


@pytest.mark.parametrize("argv, message", [
    (["--html", "out.png"], "use .html"),
    (["--html", "no/dir/out.html"], "no directory"),
    ([], "-o/--output FILE (a figure) or --html FILE"),
])
def test_cli_plot_html_bad_input(layers_model, tmp_path, capsys, monkeypatch, argv, message):
    monkeypatch.chdir(tmp_path)
    status, out, err = run(["plot", layers_model(CLASSIFIER), "--box", "-1", "1", *argv], capsys)
    assert status == 2 and out == ""
    assert err.count("\n") == 1 and message in err


def test_cli_plot_html_without_plotly_is_one_line(layers_model, tmp_path, capsys,
                                                monkeypatch):
    # A None entry in sys.modules makes "import plotly" raise ImportError.
    for name in [m for m in sys.modules if m == "plotly" or m.startswith("plotly.")]:
        monkeypatch.setitem(sys.modules, name, None)
    monkeypatch.setitem(sys.modules, "plotly", None)
    page = tmp_path / "regions.html"
    status, out, err = run(["plot", layers_model(CLASSIFIER), "--box", "-1", "1", "--html",
                            str(page)], capsys)
    assert (status, out) == (2, "") and not page.exists()
    assert err == ("polyregions: error: the interactive page needs plotly: "
                   ".venv/bin/pip install -e '.[plot]'\n")  # run from the source checkout

def test_make_test_installs_chromium_and_requires_it():
    # Without the browser the rendering tests would skip, and a broken page would pass.
    from pathlib import Path

    makefile = (Path(__file__).parents[2] / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^install-test:.*\bbrowser\b", makefile, re.M)
    rule = re.search(r"^browser:\n((?:\t.*\n)+)", makefile, re.M)[1]
    assert "command -v chromium" in rule and "apt-get install -y -qq chromium" in rule
    recipe = re.search(r"^test:.*\n((?:\t.*\n)+)", makefile, re.M)[1]
    assert "POLYREGIONS_REQUIRE_BROWSER=1 $(PY) -m pytest" in recipe


def test_class_colours_follow_the_predicted_class_and_grey_marks_a_split_region():
    pytest.importorskip("matplotlib")
    import networkx as nx

    from polyregions.io.html_plot import _colours

    colours = _colours(nx.path_graph(4), [0, 1, 2, 3], "class", None,
                       {0: (0,), 1: (1,), 2: (0,), 3: (0, 1)})
    assert colours[0] == colours[2] != colours[1]
    assert colours[3] == "#cccccc"
