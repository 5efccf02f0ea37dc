"""Node-link JSON with every networkx convention: the file is the same, and networkx reads it."""

import json

import networkx as nx
import pytest

from polyregions import Box, enumerate_regions, region_graph
from polyregions.io.node_link import read_node_link, write_node_link
from tests.networks import random_network, to_network


@pytest.fixture(scope="module")
def graph():
    net = to_network(random_network(5, 2, [3, 3], ["relu", "maxout"], outputs=2), 2)
    return region_graph(enumerate_regions(net, Box.cube(2, -2, 2)))


def _networkx_data(G, link):
    """What networkx's node_link_data returns, written out here: the edge list under `link`."""
    return {"directed": G.is_directed(), "multigraph": G.is_multigraph(), "graph": G.graph,
            "nodes": [{**G.nodes[n], "id": n} for n in G],
            link: [{**d, "source": u, "target": v} for u, v, d in G.edges(data=True)]}


def before_3_4(G, *, source="source", target="target", name="id", key="key", link="links"):
    return _networkx_data(G, link)


def from_3_4(G, *, source="source", target="target", name="id", key="key", edges=None,
             nodes="nodes", link=None):
    return _networkx_data(G, edges or link or "links")  # 3.4 and 3.5: None means "links"


def from_3_6(G, *, source="source", target="target", name="id", key="key", edges="edges",
             nodes="nodes"):
    return _networkx_data(G, edges)


@pytest.mark.parametrize("convention", [before_3_4, from_3_4, from_3_6])
def test_every_keyword_convention_writes_the_same_file(graph, tmp_path, monkeypatch, convention):
    write_node_link(graph, tmp_path / "installed.json")
    monkeypatch.setattr(nx, "node_link_data", convention)
    write_node_link(graph, tmp_path / "simulated.json")
    text = (tmp_path / "simulated.json").read_text()
    assert text == (tmp_path / "installed.json").read_text()
    assert '"edges": [' in text and '"links"' not in text
    monkeypatch.undo()
    assert read_node_link(tmp_path / "simulated.json").nodes(data=True) == graph.nodes(data=True)


def test_networkx_reads_the_file_with_its_own_reader(graph, tmp_path):
    write_node_link(graph, tmp_path / "g.json")
    data = json.loads((tmp_path / "g.json").read_text())
    version = tuple(int(part) for part in nx.__version__.split(".")[:2])
    keyword = "edges" if version >= (3, 4) else "link"  # as the module docstring says
    H = nx.node_link_graph(data, **{keyword: "edges"})
    assert sorted(H.nodes) == sorted(graph.nodes)
    assert {frozenset(e) for e in H.edges} == {frozenset(e) for e in graph.edges}
    assert H.nodes[0]["volume"] == str(graph.nodes[0]["volume"])  # encoded: "p/q"
