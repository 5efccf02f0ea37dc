"""Linear regions: activation regions glued across facets where the output map is the same."""

import networkx as nx

from ..enumeration.complex import RegionComplex
from ..errors import UsageError

__all__ = ["linear_regions", "linear_region_count"]


def linear_regions(graph: nx.Graph, result: RegionComplex | None = None) -> list[set[int]]:
    """The linear regions, as sets of node ids, ordered by their smallest node.

    A linear region is a maximal connected union of activation regions, glued
    across shared facets, on which the network's output is one and the same
    affine map. Maps are compared exactly.

    Parameters
    ----------
    graph : networkx.Graph
        From :func:`polyregions.region_graph`.
    result : RegionComplex, optional
        The enumeration `graph` was built from. When given, the regions'
        integer maps in lowest terms
        (:attr:`~polyregions.enumeration.complex.Region.output_rows`) are
        compared, which is the same test without Fractions; it is needed
        when the graph was built with ``maps=False``. Otherwise the nodes'
        ``affine_map`` (tuples of Fractions) are compared.

    Returns
    -------
    list of set of int

    Raises
    ------
    UsageError
        When the graph has no maps (``maps=False``) and `result` is not given.

    Examples
    --------
    >>> from polyregions import Network, ReluLayer, LinearLayer, Box, enumerate_regions, region_graph
    >>> # relu(x1) and relu(x2), but the output only reads the first unit.
    >>> net = Network(2, [ReluLayer([[1, 0], [0, 1]], [0, 0]), LinearLayer([[1, 0]], [0])])
    >>> cx = enumerate_regions(net, Box.cube(2, -1, 1))
    >>> G = region_graph(cx)
    >>> len(G), len(linear_regions(G))
    (4, 2)
    >>> linear_regions(region_graph(cx, maps=False), cx) == linear_regions(G)
    True
    """
    if result is not None:
        maps = [region.output_rows for region in result]
    else:
        maps = graph.nodes(data="affine_map")
        if any(m is None for _, m in maps):
            raise UsageError("linear_regions: the graph was built with maps=False; "
                             "pass the enumeration it was built from")
    same = nx.Graph()
    same.add_nodes_from(graph)
    same.add_edges_from((u, v) for u, v in graph.edges if maps[u] == maps[v])
    return sorted((set(c) for c in nx.connected_components(same)), key=min)


def linear_region_count(graph: nx.Graph, result: RegionComplex | None = None) -> int:
    """The number of linear regions (see :func:`linear_regions`)."""
    return len(linear_regions(graph, result))
