"""The region graph as GEXF 1.2 for Gephi (networkx's writer; written only).

GEXF has no graph attributes: they and the codecs of
:mod:`polyregions.io.attributes` go into ``<meta><description>`` as JSON.
"""

from xml.sax.saxutils import escape

import networkx as nx

from ..numbers import json_dumps
from .attributes import encode_attributes, flat_graph

__all__ = ["write_gexf"]


def write_gexf(G: nx.Graph, path: str) -> None:
    """Write `G` as GEXF to `path` (an ``OSError`` when the file cannot be written).

    Examples
    --------
    >>> import os, tempfile
    >>> from polyregions import Box, Network, ReluLayer, enumerate_regions, region_graph
    >>> net = Network(2, [ReluLayer([[1, 0], [0, 1]], [0, 0])])
    >>> G = region_graph(enumerate_regions(net, Box.cube(2, -1, 1)))
    >>> import networkx as nx
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = os.path.join(folder, "regions.gexf")
    ...     write_gexf(G, path)
    ...     H = nx.read_gexf(path)                      # read as Gephi would: nodes and edges
    ...     with open(path, encoding="utf-8") as f:
    ...         described = "<description>" in f.read()
    >>> H.number_of_nodes(), H.number_of_edges(), described
    (4, 4, True)
    """
    H, meta = flat_graph(G, graph_attributes=False)
    meta["graph"] = encode_attributes(G.graph, meta["attributes"]["graph"], False)
    text = "\n".join(nx.generate_gexf(H))
    description = escape(json_dumps(meta, separators=(",", ":")))
    text = text.replace("</creator>", f"</creator>\n    <description>{description}</description>", 1)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text + "\n")
