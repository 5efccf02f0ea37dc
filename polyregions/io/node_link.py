"""The region graph as networkx node-link JSON, ``"format": "polyregions/graph-v1"``.

One line per node and per edge (readable, and diffs stay small); every
attribute is stored with its codec (:mod:`polyregions.io.attributes`), so
:func:`read_node_link` gives back the graph written, types included.
"""

import networkx as nx

from ..errors import ExportError
from ..numbers import json_loads
from .attributes import FORMAT, decoded_graph, document_text, encoded_graph, graph_schemas

__all__ = ["write_node_link", "read_node_link"]


def write_node_link(G: nx.Graph, path: str) -> None:
    """Write `G` as node-link JSON to `path` (an ``OSError`` when the file cannot be written)."""
    text = document_text(_node_link(G))
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def _node_link(G):
    meta = graph_schemas(G)
    H = encoded_graph(G, meta, False)
    try:
        linked = nx.node_link_data(H, edges="edges")
    except TypeError:  # networkx < 3.4 names the keyword "link"
        linked = nx.node_link_data(H, link="edges")
    linked["nodes"] = [{"id": d.pop("id"), **d} for d in linked["nodes"]]
    linked["edges"] = [{"source": d.pop("source"), "target": d.pop("target"), **d}
                       for d in linked["edges"]]
    return {**meta, **linked}


def read_node_link(path: str) -> nx.Graph:
    """Read a graph written by :func:`write_node_link`.

    Raises
    ------
    ExportError
        As :func:`polyregions.io.graphml.read_graphml` raises it: for a file that
        is not a polyregions graph, a directed graph or a multigraph (malformed
        contents raise what the parsing raises).
    """
    with open(path, encoding="utf-8") as f:
        data = json_loads(f.read())
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ExportError(f"{path} is not a polyregions graph (no \"format\": \"{FORMAT}\")")
    if data.get("directed") or data.get("multigraph"):
        raise ExportError(f"{path} holds a directed graph or a multigraph")
    nodes = ((item["id"], item) for item in data["nodes"])
    edges = ((item["source"], item["target"], item) for item in data["edges"])
    return decoded_graph(data, data["graph"], nodes, edges, False)
