"""Linear regions: activation regions glued across facets where the output map is the same."""

import networkx as nx

__all__ = ["linear_regions", "linear_region_count"]


def linear_regions(graph: nx.Graph) -> list[set[int]]:
    """The linear regions, as sets of node ids, ordered by their smallest node.

    A linear region is a maximal connected union of activation regions, glued
    across shared facets, on which the network's output is one and the same
    affine map. Maps are compared exactly (tuples of Fractions).

    Parameters
    ----------
    graph : networkx.Graph
        From :func:`polyregions.region_graph`.

    Returns
    -------
    list of set of int

    Examples
    --------
    >>> from polyregions import Network, ReluLayer, LinearLayer, Box, enumerate_regions, region_graph
    >>> # relu(x1) and relu(x2), but the output only reads the first unit.
    >>> net = Network(2, [ReluLayer([[1, 0], [0, 1]], [0, 0]), LinearLayer([[1, 0]], [0])])
    >>> G = region_graph(enumerate_regions(net, Box.cube(2, -1, 1)))
    >>> len(G), len(linear_regions(G))
    (4, 2)
    """
    same = nx.Graph()
    same.add_nodes_from(graph)
    maps = graph.nodes(data="affine_map")
    same.add_edges_from((u, v) for u, v in graph.edges if maps[u] == maps[v])
    return sorted((set(c) for c in nx.connected_components(same)), key=min)


def linear_region_count(graph: nx.Graph) -> int:
    """The number of linear regions (see :func:`linear_regions`)."""
    return len(linear_regions(graph))
