"""Exports of the region graph: exact round trips, GEXF, cddlib files, errors, ``polyregions graph``."""

import json
import pathlib
import re
import zipfile
from fractions import Fraction
from xml.etree import ElementTree

import networkx as nx
import pytest
import sympy

from polyregions import (
    Box,
    ExportError,
    PolyregionsError,
    Slice,
    WholeSpace,
    enumerate_regions,
    load_polytope,
    network_from_dict,
    region_graph,
)
from polyregions.geometry.measure import exact_measure
from polyregions.io.graph_file import read_graph, write_graph
from tests.cli_helpers import run
from tests.networks import random_network, to_network

F = Fraction
ROOT = pathlib.Path(__file__).resolve().parent.parent.parent


def relu(weights, biases):
    return {"type": "relu", "weights": weights, "biases": biases}


def linear(weights, biases):
    return {"type": "linear", "weights": weights, "biases": biases}


# relu(x), relu(y), relu(x + y - 1/3), then two logits: lines of slopes 0, inf and -1.
THREE_LINES = [relu([[1, 0], [0, 1], [1, 1]], [0, 0, "-1/3"]), linear([[1, -1, 2], [0, 1, 1]], [0, "1/5"])]
# x1 = 0, 1, 2 in the plane: 4 strips, each with a line in its lineality space.
STRIPS = [relu([[1, 0], [1, 0], [1, 0]], [0, -1, -2])]

CASES = {
    "cross in a box": (to_network([relu([[1, 0], [0, 1]], [0, 0])], 2), Box.cube(2, -1, 1)),
    "three lines in a box": (to_network(THREE_LINES, 2), Box.cube(2, -1, 1)),
    "three lines, whole space": (to_network(THREE_LINES, 2), WholeSpace(2)),
    "strips, whole space": (to_network(STRIPS, 2), WholeSpace(2)),
    "1-D": (to_network([relu([[1], [-2]], ["1/2", 1])], 1), Box.cube(1, -3, 3)),
    "3-D octants": (to_network([relu([[1, 0, 0], [0, 1, 0], [1, 1, 1]], [0, 0, -1])], 3),
                    Box.cube(3, -1, 1)),
    "3-D whole space": (to_network([relu([[1, 0, 0], [0, 1, 0], [1, 1, 1]], [0, 0, -1])], 3),
                        WholeSpace(3)),
    "slice": (to_network([relu([[1, 0, 0], [0, 1, 0], [0, 1, 1]], [0, 0, "-1/2"])], 3),
              Slice([0, 0, 0], [1, 0, 0], ["1/3", 1, 1], [-1, -1], [1, 1])),
    "random maxout": (to_network(random_network(3, 2, [4, 3], ["maxout", "maxout"], outputs=2), 2),
                      Box.cube(2, -2, 2)),
}


@pytest.fixture(scope="module")
def graphs():
    return {name: region_graph(enumerate_regions(net, dom)) for name, (net, dom) in CASES.items()}


def assert_same(a, b, where="value"):
    """Equal, and of the same type all the way down (Fraction is not int, tuple is not list)."""
    assert type(a) is type(b), f"{where}: {type(a).__name__} != {type(b).__name__}"
    if isinstance(a, (tuple, list)):
        assert len(a) == len(b), where
        for i, (x, y) in enumerate(zip(a, b)):
            assert_same(x, y, f"{where}[{i}]")
    elif isinstance(a, dict):
        assert list(a) == list(b), where
        for key in a:
            assert_same(a[key], b[key], f"{where}[{key!r}]")
    else:
        assert a == b, f"{where}: {a!r} != {b!r}"


def assert_identical(G, H):
    assert list(H.nodes) == list(G.nodes)
    assert_same(H.graph, G.graph, "graph")
    for node in G:
        assert_same(dict(H.nodes[node]), dict(G.nodes[node]), f"node {node}")
    assert {frozenset(e) for e in H.edges} == {frozenset(e) for e in G.edges}
    for u, v, data in G.edges(data=True):
        assert_same(dict(H.edges[u, v]), data, f"edge {u}-{v}")


# ---------------------------------------------------------------- exact round trips


@pytest.mark.parametrize("suffix", [".json", ".graphml"])
@pytest.mark.parametrize("case", list(CASES))
def test_round_trip_is_identical(graphs, tmp_path, case, suffix):
    G = graphs[case]
    path = tmp_path / f"graph{suffix}"
    write_graph(G, path)
    assert_identical(G, read_graph(path))


def test_the_cases_cover_what_matters(graphs):
    # Unbounded regions (volume None), unbounded facets (measure None), 1-D measures (1),
    # irrational facet measures and the unevaluated sqrt(n) of non-squarefree n.
    whole = graphs["three lines, whole space"]
    assert any(v is None for _, v in whole.nodes(data="volume"))
    assert any(m is None for _, _, m in whole.edges(data="measure"))
    assert all(m == 1 and isinstance(m, sympy.Integer) for _, _, m in graphs["1-D"].edges(data="measure"))
    measures = [m for G in graphs.values() for _, _, m in G.edges(data="measure")]
    assert any(isinstance(m, sympy.Mul) for m in measures)
    assert any(isinstance(m, sympy.Basic) and m.is_Rational for m in measures)
    assert any(G.nodes[n]["boundary_facets"] == () for G in graphs.values() for n in G)


def test_json_conventions(graphs, tmp_path):
    G = graphs["three lines, whole space"]
    path = tmp_path / "g.json"
    write_graph(G, path)
    data = json.loads(path.read_text())
    assert data["format"] == "polyregions/graph-v1"
    assert data["directed"] is False and data["graph"]["domain"]["kind"] == "whole_space"
    assert data["attributes"]["node"]["volume"] == "rational"
    assert data["attributes"]["edge"]["measure"] == "measure"
    nodes = {n["id"]: n for n in data["nodes"]}
    for node, attrs in G.nodes(data=True):
        stored = nodes[node]
        # Rationals are "p/q" strings, patterns nested lists of ints, None is left out.
        assert stored["interior_point"] == [str(c) for c in attrs["interior_point"]]
        assert stored["pattern"] == [list(p) for p in attrs["pattern"]]
        assert ("volume" in stored) == (attrs["volume"] is not None)
        if attrs["volume"] is not None:
            assert stored["volume"] == str(attrs["volume"])
    for edge in data["edges"]:
        measure = G.edges[edge["source"], edge["target"]]["measure"]
        if measure is None:
            assert "measure" not in edge and "measure_float" not in edge
        else:
            assert edge["measure"] == str(measure)  # sympy's own text
            assert edge["measure_float"] == pytest.approx(float(measure), rel=1e-12)


def test_graphml_stores_structures_as_json_text(graphs, tmp_path):
    G = graphs["three lines in a box"]
    path = tmp_path / "g.graphml"
    write_graph(G, path)
    plain = nx.read_graphml(path)  # what any GraphML reader sees: scalars only
    node = plain.nodes["0"]
    assert json.loads(node["pattern"]) == [list(p) for p in G.nodes[0]["pattern"]]
    assert node["volume"] == str(G.nodes[0]["volume"]) and node["bounded"] is True
    assert json.loads(plain.graph["domain"]) == G.graph["domain"]
    assert all(isinstance(d["measure_float"], float) for _, _, d in plain.edges(data=True))


def _xml_types(path, scope_tag, name_attr, type_attr):
    """``{(scope, name): type}`` of the attribute declarations of a GraphML or GEXF file."""
    tree = ElementTree.parse(path)
    found = {}
    for element in tree.iter():
        if element.tag.endswith("}" + scope_tag[0]):
            scope = element.get(scope_tag[1])
            if scope is None:  # GEXF: the class is on the enclosing <attributes>
                continue
            found[(scope, element.get(name_attr))] = element.get(type_attr)
        elif element.tag.endswith("}attributes"):
            for child in element:
                found[(element.get("class"), child.get(name_attr))] = child.get(type_attr)
    return found


def test_graphml_types_numbers_for_other_tools(graphs, tmp_path):
    G = graphs["three lines in a box"]
    path = tmp_path / "g.graphml"
    write_graph(G, path)
    types = _xml_types(path, ("key", "for"), "attr.name", "attr.type")
    assert types[("graph", "dim")] in ("int", "long") and types[("graph", "input_dim")] in ("int", "long")
    assert types[("node", "volume")] == "string"  # the exact p/q
    assert types[("node", "volume_float")] == "double"
    plain = nx.read_graphml(path)  # a reader that knows nothing of polyregions
    assert type(plain.graph["dim"]) is int and plain.graph["dim"] == 2
    for node, data in G.nodes(data=True):
        assert plain.nodes[str(node)]["volume_float"] == float(data["volume"])  # nearest float
    assert read_graph(path).nodes[0] == G.nodes[0]  # the float companion is dropped on reading


def test_gexf_nodes_carry_a_float_volume(graphs, tmp_path):
    G = graphs["three lines in a box"]
    path = tmp_path / "g.gexf"
    write_graph(G, path)
    types = _xml_types(path, ("attribute", "class"), "title", "type")
    assert types[("node", "volume")] == "string" and types[("node", "volume_float")] == "double"
    H = nx.read_gexf(path)
    for node, data in G.nodes(data=True):
        assert H.nodes[str(node)]["volume_float"] == float(data["volume"])


def test_a_volume_beyond_the_float_range_has_no_float(tmp_path):
    G = nx.Graph()
    G.add_node(0, volume=F(10 ** 400, 3))
    G.add_node(1, volume=F(1, 3))
    write_graph(G, tmp_path / "g.graphml")
    plain = nx.read_graphml(tmp_path / "g.graphml")
    assert "volume_float" not in plain.nodes["0"] and plain.nodes["1"]["volume_float"] == 1 / 3
    assert read_graph(tmp_path / "g.graphml").nodes[0]["volume"] == F(10 ** 400, 3)


def test_a_float_companion_may_not_collide_with_an_attribute(tmp_path):
    G = nx.Graph()
    G.add_node(0, volume=F(1, 3), volume_float=0.5)
    with pytest.raises(ExportError, match="'volume' and 'volume_float' collide"):
        write_graph(G, tmp_path / "g.graphml")


def root(n):
    return sympy.Pow(n, sympy.Rational(1, 2), evaluate=False)


@pytest.mark.parametrize("measure, text", [
    (exact_measure(F(4, 27), 18), "4*sqrt(2)/9"),  # small squares come out: 18 = 9 * 2
    (exact_measure(F(1, 3), 2 * 1009 ** 2), f"sqrt({2 * 1009 ** 2})/3"),  # 1009 is not small
    (exact_measure(F(1), 8), None),
    (exact_measure(F(1, 3), 8), None),
    (exact_measure(F(5, 2), 4), "5"),  # a perfect square: sympy Integer 5
    (exact_measure(F(7, 3), 2 ** 200 + 1), f"7*sqrt({2 ** 200 + 1})/3"),  # never factored
    # Unevaluated forms, whatever region_graph builds today: sympify would read 2*sqrt(2).
    (sympy.Mul(1, root(8), evaluate=False), "1*sqrt(8)"),
    (sympy.Mul(sympy.Rational(1, 3), root(8), evaluate=False), "sqrt(8)/3"),
    (sympy.Mul(sympy.Rational(-3, 7), root(2), evaluate=False), "-3*sqrt(2)/7"),
    (root(8), "sqrt(8)"),
    (3 * sympy.sqrt(2) / 7, "3*sqrt(2)/7"),  # sympy's evaluated form is kept too
    (sympy.sqrt(2), "sqrt(2)"),
    (sympy.Rational(22, 7), "22/7"),
])
def test_measures_round_trip_exactly(tmp_path, measure, text):
    G = nx.Graph(dim=2)
    G.add_edge(0, 1, measure=measure)
    for suffix in (".json", ".graphml"):
        write_graph(G, tmp_path / f"m{suffix}")
        back = read_graph(tmp_path / f"m{suffix}").edges[0, 1]["measure"]
        assert type(back) is type(measure) and back == measure
        assert sympy.srepr(back) == sympy.srepr(measure)
    stored = json.loads((tmp_path / "m.json").read_text())["edges"][0]["measure"]
    assert stored == str(measure) and (text is None or stored == text)


def test_sympify_is_not_a_round_trip():
    # Why measures are not read with sympify: it evaluates text, and it simplifies
    # unevaluated roots, which sympy then does not count as equal.
    for measure in (root(8), exact_measure(F(1, 3), 2 * 1009 ** 2)):
        assert sympy.sympify(str(measure)) != measure


@pytest.mark.parametrize("bad", [sympy.pi, 1 + sympy.sqrt(2), sympy.Float(0.5), sympy.Symbol("x")])
def test_measures_that_cannot_be_stored_exactly_are_refused(tmp_path, bad):
    G = nx.Graph()
    G.add_edge(0, 1, measure=bad)
    with pytest.raises(ExportError, match="cannot be stored exactly"):
        write_graph(G, tmp_path / "g.json")


def test_other_attributes_and_huge_numbers_round_trip(tmp_path):
    huge = F(10 ** 5000 + 1, 3)  # beyond Python's 4300-digit int <-> str default
    G = nx.Graph(name="test", weights=(F(1, 2), F(-3)), tag=None)
    G.add_node(0, label="a", weight=0.25, flags=(True, False), big=2 ** 70, value=huge,
               nested=((), ((1, 2), (3,))), mixed=(1, "x", F(1, 3)), nothing=None)
    G.add_node(1, label="b", weight=1.5, flags=(), big=-5, value=F(0), nested=(((4,),),),
               mixed=(2, "y", F(2)), nothing=None)
    G.add_edge(0, 1, rows=((2 ** 80, -1), (0, 1)))
    for suffix in (".json", ".graphml"):
        path = tmp_path / f"g{suffix}"
        write_graph(G, path)
        assert_identical(G, read_graph(path))
    data = json.loads((tmp_path / "g.json").read_text())
    # Integers beyond 2**53 are strings in JSON, so JavaScript readers lose no digit.
    assert data["nodes"][0]["big"] == str(2 ** 70) and data["nodes"][1]["big"] == -5
    assert data["edges"][0]["rows"] == [[str(2 ** 80), -1], [0, 1]]


def test_a_missing_attribute_comes_back_as_none(tmp_path):
    # None is never stored, so "missing" and "None" read back alike (region graphs give
    # every node and every edge all their attributes, so for them this is exact).
    G = nx.Graph()
    G.add_node(0, volume=F(1, 2))
    G.add_node(1)
    write_graph(G, tmp_path / "g.json")
    assert read_graph(tmp_path / "g.json").nodes[1] == {"volume": None}


def test_string_node_ids_round_trip(tmp_path):
    G = nx.Graph()
    G.add_edge("a", "b", w=F(1, 3))
    for suffix in (".json", ".graphml"):
        write_graph(G, tmp_path / f"s{suffix}")
        assert_identical(G, read_graph(tmp_path / f"s{suffix}"))


# ---------------------------------------------------------------- GEXF


def test_gexf_is_readable_by_networkx(graphs, tmp_path):
    G = graphs["three lines, whole space"]
    path = tmp_path / "g.gexf"
    write_graph(G, path)
    H = nx.read_gexf(path)
    assert H.number_of_nodes() == G.number_of_nodes()
    assert H.number_of_edges() == G.number_of_edges()
    assert json.loads(H.nodes["3"]["pattern"]) == [list(p) for p in G.nodes[3]["pattern"]]
    assert "volume" not in H.nodes["0"]  # unbounded: None is left out
    # GEXF has no graph attributes: they are JSON in <meta><description>.
    description = re.search(r"<description>(.*)</description>", path.read_text()).group(1)
    meta = json.loads(description.replace("&quot;", '"').replace("&amp;", "&"))
    assert meta["format"] == "polyregions/graph-v1" and meta["graph"]["dim"] == 2


def test_gexf_cannot_be_read_back_exactly(graphs, tmp_path):
    write_graph(graphs["cross in a box"], tmp_path / "g.gexf")
    with pytest.raises(ExportError, match="use .graphml, .json"):
        read_graph(tmp_path / "g.gexf")


# ---------------------------------------------------------------- cddlib files


def parse_ext(text):
    """Vertices, rays and lines of a cddlib V-representation (rational entries)."""
    lines = [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.startswith("*")]
    linearity = set()
    for ln in lines[:lines.index("begin")]:
        if ln.startswith("linearity"):
            linearity = {int(i) for i in ln.split()[2:]}
    begin = lines.index("begin")
    m, n, kind = lines[begin + 1].split()
    rows = [[F(v) for v in ln.split()] for ln in lines[begin + 2:lines.index("end")]]
    assert kind == "rational" and len(rows) == int(m) and all(len(r) == int(n) for r in rows)
    vertices = {tuple(r[1:]) for r in rows if r[0] == 1}
    rays = {tuple(r[1:]) for i, r in enumerate(rows, 1) if r[0] == 0 and i not in linearity}
    lines_ = {tuple(r[1:]) for i, r in enumerate(rows, 1) if i in linearity}
    return vertices, rays, lines_


@pytest.mark.parametrize("case", ["three lines in a box", "three lines, whole space",
                                  "strips, whole space", "3-D whole space", "slice"])
def test_zip_holds_an_ine_and_ext_per_region(tmp_path, case):
    net, dom = CASES[case]
    result = enumerate_regions(net, dom)
    G = region_graph(result, volumes=False, facet_measures=False)
    path = tmp_path / "regions.zip"
    write_graph(G, path)
    folder = tmp_path / "unzipped"
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        archive.extractall(folder)
    assert sorted(n for n in names if n.endswith(".ine")) == sorted(
        f"region-{i}.ine" for i in range(len(result)))
    assert len([n for n in names if n.endswith(".ext")]) == len(result)
    index = json.loads((folder / "index.json").read_text())
    assert index["format"] == "polyregions/cdd-archive-v1" and index["dim"] == dom.dim
    for entry, region in zip(index["regions"], result):
        assert entry["pattern"] == [list(p) for p in region.pattern]
        # The .ine file is a polyregions domain, equal to the region.
        assert load_polytope(folder / entry["ine"]).polytope == region.polytope
        vertices, rays, lines = parse_ext((folder / entry["ext"]).read_text())
        assert vertices == set(region.polytope.vertices)
        assert rays == set(region.polytope.rays) and lines == set(region.polytope.lines)
        assert entry["bounded"] == region.is_bounded
    if case == "strips, whole space":
        assert "linearity 1" in (folder / "region-0.ext").read_text()


def test_zip_member_names_are_the_documented_ones(tmp_path):
    # 12 regions: two-digit node numbers, zero-padded as docs/exports.md says (region-07.ine).
    net = to_network([relu([[1, 0], [0, 1], [1, 1], [1, -1]], [0, 0, "-1/3", "1/5"])], 2)
    result = enumerate_regions(net, Box.cube(2, -1, 1))
    assert len(result) >= 10
    write_graph(region_graph(result, volumes=False, facet_measures=False), tmp_path / "r.zip")
    with zipfile.ZipFile(tmp_path / "r.zip") as archive:
        names = set(archive.namelist())
        index = json.loads(archive.read("index.json"))
    expected = {f"region-{i:02d}.{kind}" for i in range(len(result)) for kind in ("ine", "ext")}
    assert names == expected | {"index.json"}
    assert "region-07.ine" in names  # the example of docs/exports.md
    docs = (ROOT / "docs" / "exports.md").read_text(encoding="utf-8")
    assert f'`index.json` (`"format": "{index["format"]}"' in docs
    # The index has a format of its own, not a region stream's nor a reachable-set stream's.
    from polyregions.enumeration.stream import FORMAT as STREAM
    from polyregions.io.reachable import FORMAT as REACHABLE
    assert index["format"] == "polyregions/cdd-archive-v1" and index["format"] not in (STREAM, REACHABLE)


def test_zip_of_the_whole_space_as_one_region(tmp_path):
    # A zero-weight unit never cuts: one region, no facets; its .ine holds the row 1 >= 0.
    net = to_network([relu([[0, 0]], [1])], 2)
    G = region_graph(enumerate_regions(net, WholeSpace(2)))
    write_graph(G, tmp_path / "one.zip")
    with zipfile.ZipFile(tmp_path / "one.zip") as archive:
        archive.extractall(tmp_path)
    assert load_polytope(tmp_path / "region-0.ine").polytope == WholeSpace(2).polytope


# ---------------------------------------------------------------- errors


def one_line(err):
    message = str(err.value)
    assert "\n" not in message and message
    assert isinstance(err.value, PolyregionsError)
    return message


def test_unknown_suffixes(graphs, tmp_path):
    G = graphs["cross in a box"]
    for name in ("g.txt", "g", "g.graphml.bak"):
        with pytest.raises(ExportError) as err:
            write_graph(G, tmp_path / name)
        assert ".graphml, .gexf, .json, .zip" in one_line(err)
        assert not (tmp_path / name).exists()
    with pytest.raises(ExportError) as err:
        read_graph(tmp_path / "g.zip")
    one_line(err)


def test_unreadable_files(tmp_path):
    cases = {
        "missing.json": None,
        "broken.json": '{"format": "polyregions/graph-v1", ',
        "foreign.json": '{"directed": false, "nodes": [], "edges": []}',
        "bad-number.json": json.dumps({
            "format": "polyregions/graph-v1", "node_ids": "int", "directed": False,
            "multigraph": False, "graph": {}, "edges": [],
            "attributes": {"graph": {}, "node": {"v": "rational"}, "edge": {}},
            "nodes": [{"id": 0, "v": "1/0"}]}),
        "code.json": json.dumps({
            "format": "polyregions/graph-v1", "node_ids": "int", "directed": False,
            "multigraph": False, "graph": {}, "edges": [],
            "attributes": {"graph": {}, "node": {"m": "measure"}, "edge": {}},
            "nodes": [{"id": 0, "m": "__import__('os').getcwd()"}]}),
        "broken.graphml": "<graphml><graph>",
        "binary.graphml": b"\xff\xfe\x00garbage",
    }
    for name, content in cases.items():
        path = tmp_path / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        elif content is not None:
            path.write_text(content)
        with pytest.raises(ExportError) as err:
            read_graph(path)
        assert name in one_line(err)


def test_foreign_graphml_is_refused(tmp_path):
    nx.write_graphml(nx.path_graph(3), tmp_path / "plain.graphml")
    with pytest.raises(ExportError, match="not a polyregions graph"):
        read_graph(tmp_path / "plain.graphml")


def test_what_cannot_be_written(graphs, tmp_path):
    with pytest.raises(ExportError) as err:
        write_graph(graphs["cross in a box"], tmp_path / "no" / "such" / "dir.json")
    one_line(err)
    G = nx.Graph()
    G.add_node(0, thing=object())
    with pytest.raises(ExportError, match="'thing'"):
        write_graph(G, tmp_path / "g.json")
    with pytest.raises(ExportError, match="undirected"):
        write_graph(nx.DiGraph([(0, 1)]), tmp_path / "g.json")
    with pytest.raises(ExportError, match="reserved"):
        write_graph(nx.Graph([(0, 1, {"source": 1})]), tmp_path / "g.json")
    with pytest.raises(ExportError, match="region graph"):
        write_graph(nx.path_graph(2), tmp_path / "g.zip")


# ---------------------------------------------------------------- polyregions graph


@pytest.fixture
def model(layers_model):
    return layers_model


@pytest.mark.parametrize("suffix", [".graphml", ".json", ".gexf", ".zip"])
def test_cli_graph_exports(model, tmp_path, capsys, suffix):
    path = tmp_path / f"out{suffix}"
    status, out, err = run(["graph", model(THREE_LINES), "--box", "-1", "1",
                            "--export", str(path), "--json"], capsys)
    assert (status, err) == (0, "")
    summary = json.loads(out)
    G = region_graph(enumerate_regions(network_from_dict(
        {"input_dim": 2, "layers": THREE_LINES}), Box.cube(2, -1, 1)))
    assert summary["activation_regions"] == len(G) and summary["edges"] == G.number_of_edges()
    assert summary["file"] == str(path) and summary["complete"] is True
    assert path.exists()
    if suffix in (".graphml", ".json"):
        assert_identical(G, read_graph(path))


def test_cli_graph_table(model, tmp_path, capsys):
    path = tmp_path / "g.json"
    status, out, err = run(["graph", model(STRIPS), "--whole-space", "--export", str(path)], capsys)
    assert status == 0 and err == ""
    assert re.search(r"activation regions\s+4\n", out)  # x1 = 0, 1, 2: four strips
    assert re.search(r"edges \(shared facets\)\s+3\n", out) and str(path) in out


@pytest.mark.parametrize("argv, message", [
    (["--box", "-1", "1", "--export", "out.txt"], "cannot write a graph as '.txt'"),
    (["--box", "-1", "1", "--export", "no/such/dir/out.json"], "no directory"),
    (["--box", "1", "-1", "--export", "out.json"], "not below"),
    (["--export", "out.json"], "no domain given"),
])
def test_cli_graph_bad_input(model, tmp_path, capsys, monkeypatch, argv, message):
    monkeypatch.chdir(tmp_path)
    status, out, err = run(["graph", model(THREE_LINES), *argv], capsys)
    assert status == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("polyregions: error:") and message in err
    assert not (tmp_path / "out.txt").exists() and not (tmp_path / "out.json").exists()
