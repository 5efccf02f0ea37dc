"""The region graph as networkx node-link JSON, ``"format": "polyregions/graph-v1"``.

One line per node and per edge (readable, and diffs stay small); every
attribute is stored with its codec (:mod:`polyregions.io.attributes`), so
:func:`read_node_link` gives back the graph written, types included.

The edge list is under ``"edges"`` with every networkx polyregions admits (the writer
passes the keyword the installed networkx takes, ``edges=`` from 3.4, ``link=``
before). networkx itself reads the file, attributes encoded, with
``nx.node_link_graph(data, edges="edges")`` (3.4 and later; the default from
3.6) or ``nx.node_link_graph(data, link="edges")`` (before 3.4): its own default
before 3.6 is ``"links"``, so a bare call there fails with ``KeyError: 'links'``.
"""

import inspect

import networkx as nx

from ..errors import ExportError
from ..numbers import json_loads
from .attributes import FORMAT, decoded_graph, document_text, encoded_graph, graph_schemas

__all__ = ["write_node_link", "read_node_link"]


def write_node_link(G: nx.Graph, path: str) -> None:
    """Write `G` as node-link JSON to `path` (an ``OSError`` when the file cannot be written).

    Examples
    --------
    >>> import os, tempfile
    >>> from polyregions import Box, Network, ReluLayer, enumerate_regions, region_graph
    >>> net = Network(2, [ReluLayer([[1, 0], [0, 1]], [0, 0])])
    >>> G = region_graph(enumerate_regions(net, Box.cube(2, -1, 1)))
    >>> import json
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = os.path.join(folder, "regions.json")
    ...     write_node_link(G, path)
    ...     with open(path, encoding="utf-8") as f:
    ...         data = json.load(f)
    >>> data["format"], len(data["nodes"]), len(data["edges"]), data["nodes"][0]["volume"]
    ('polyregions/graph-v1', 4, 4, '1')
    """
    text = document_text(_node_link(G))
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def _node_link(G):
    meta = graph_schemas(G)
    H = encoded_graph(G, meta, False)
    linked = nx.node_link_data(H, **{_edges_keyword(nx.node_link_data): "edges"})
    linked["nodes"] = [{"id": d.pop("id"), **d} for d in linked["nodes"]]
    linked["edges"] = [{"source": d.pop("source"), "target": d.pop("target"), **d}
                       for d in linked["edges"]]
    return {**meta, **linked}


def _edges_keyword(function):
    """The keyword naming the edge list of networkx's `function`: ``edges`` from 3.4, ``link`` before.

    Read from the signature, not by catching a TypeError, which would also catch
    a bad attribute of the graph.
    """
    return "edges" if "edges" in inspect.signature(function).parameters else "link"


def read_node_link(path: str) -> nx.Graph:
    """Read a graph written by :func:`write_node_link`.

    Raises
    ------
    ExportError
        As :func:`polyregions.io.graphml.read_graphml` raises it: for a file that
        is not a polyregions graph, a directed graph or a multigraph (malformed
        contents raise what the parsing raises).

    Examples
    --------
    >>> import os, tempfile
    >>> from polyregions import Box, Network, ReluLayer, enumerate_regions, region_graph
    >>> net = Network(2, [ReluLayer([[1, 0], [0, 1]], [0, 0])])
    >>> G = region_graph(enumerate_regions(net, Box.cube(2, -1, 1)))
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = os.path.join(folder, "regions.json")
    ...     write_node_link(G, path)
    ...     H = read_node_link(path)
    >>> list(H.edges) == list(G.edges), dict(H.nodes(data=True)) == dict(G.nodes(data=True))
    (True, True)
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
