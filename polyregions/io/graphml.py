"""The region graph as GraphML (networkx's writer), read back exactly.

GraphML holds scalars only: structured values are stored as their JSON text,
and the codecs of :mod:`polyregions.io.attributes` go into the graph attribute
``polyregions_attributes`` (with ``polyregions_format``).
"""

import networkx as nx

from ..errors import ExportError
from ..numbers import json_loads
from .attributes import FORMAT, decoded_graph, flat_graph

__all__ = ["write_graphml", "read_graphml"]


def write_graphml(G: nx.Graph, path: str) -> None:
    """Write `G` as GraphML to `path` (an ``OSError`` when the file cannot be written).

    Examples
    --------
    >>> import os, tempfile
    >>> from polyregions import Box, Network, ReluLayer, enumerate_regions, region_graph
    >>> net = Network(2, [ReluLayer([[1, 0], [0, 1]], [0, 0])])
    >>> G = region_graph(enumerate_regions(net, Box.cube(2, -1, 1)))
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = os.path.join(folder, "regions.graphml")
    ...     write_graphml(G, path)
    ...     H = read_graphml(path)
    >>> H.number_of_nodes(), H.nodes[0]["volume"], H.nodes[0] == G.nodes[0]
    (4, Fraction(1, 1), True)
    """
    nx.write_graphml(flat_graph(G)[0], path)


def read_graphml(path: str) -> nx.Graph:
    """Read a graph written by :func:`write_graphml`.

    Raises
    ------
    ExportError
        When the file is not a polyregions graph, or holds a directed graph or
        a multigraph. Malformed contents raise what the parsing raises
        (:func:`polyregions.io.graph_file.read_graph` turns that into one line).

    Examples
    --------
    >>> import os, tempfile
    >>> from polyregions import Box, Network, ReluLayer, enumerate_regions, region_graph
    >>> net = Network(2, [ReluLayer([[1, 0], [0, 1]], [0, 0])])
    >>> G = region_graph(enumerate_regions(net, Box.cube(2, -1, 1)))
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = os.path.join(folder, "regions.graphml")
    ...     write_graphml(G, path)
    ...     H = read_graphml(path)
    >>> list(H.edges) == list(G.edges), dict(H.nodes(data=True)) == dict(G.nodes(data=True))
    (True, True)
    """
    F = nx.read_graphml(path, node_type=str)
    if F.is_directed() or F.is_multigraph():
        raise ExportError(f"{path} holds a directed graph or a multigraph")
    if F.graph.get("polyregions_format") != FORMAT or "polyregions_attributes" not in F.graph:
        raise ExportError(f"{path} is not a polyregions graph (no polyregions_format {FORMAT})")
    meta = json_loads(F.graph["polyregions_attributes"])
    return decoded_graph(meta, F.graph, F.nodes(data=True), F.edges(data=True), True)
