"""Linear regions: activation regions glued across facets where the output map is the same."""

from collections.abc import Callable
from typing import TYPE_CHECKING

from ..enumeration.complex import RegionComplex
from ..enumeration.kernel import Rows
from ..errors import UsageError

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["linear_regions", "linear_region_count", "count_linear_regions"]


def linear_regions(graph: "nx.Graph", result: RegionComplex | None = None) -> list[set[int]]:
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
    import networkx as nx

    same = nx.Graph()
    same.add_nodes_from(graph)
    same.add_edges_from((u, v) for u, v in graph.edges if maps[u] == maps[v])
    return sorted((set(c) for c in nx.connected_components(same)), key=min)


def linear_region_count(graph: "nx.Graph", result: RegionComplex | None = None) -> int:
    """The number of linear regions (see :func:`linear_regions`).

    Examples
    --------
    >>> from polyregions import Box, LinearLayer, Network, ReluLayer, enumerate_regions, region_graph
    >>> net = Network(2, [ReluLayer([[1, 0], [0, 1]], [0, 0]), LinearLayer([[1, 0], [0, 1]], [0, 0])])
    >>> linear_region_count(region_graph(enumerate_regions(net, Box.cube(2, -1, 1))))
    4
    """
    return len(linear_regions(graph, result))


def count_linear_regions(result: RegionComplex, *,
                         progress: Callable[[int, int], object] | None = None,
                         maps: list[tuple[int, Rows]] | None = None) -> int:
    """The number of linear regions of `result`, without the region graph.

    Only regions with one and the same output map can be glued, so only their
    adjacency is looked for (:func:`~polyregions.analysis.graph.adjacent_pairs`);
    where every map differs, there is nothing to look for. The count is
    :func:`linear_region_count` of the graph. The maps are those of
    :func:`~polyregions.analysis.maps.output_maps` (composed by the native
    kernel when there is one). `progress` is called as ``progress(done, total)``
    after each region's map is filed; `maps` are those maps when the caller has
    them already.

    Examples
    --------
    >>> from polyregions import Network, ReluLayer, LinearLayer, Box, enumerate_regions
    >>> net = Network(2, [ReluLayer([[1, 0], [0, 1]], [0, 0]), LinearLayer([[1, 0]], [0])])
    >>> count_linear_regions(enumerate_regions(net, Box.cube(2, -1, 1)))
    2
    """
    from .graph import adjacent_pairs
    from .maps import output_maps

    groups: dict[object, list[int]] = {}
    maps = output_maps(result) if maps is None else maps
    for i, found in enumerate(maps):
        groups.setdefault(found, []).append(i)
        if progress is not None:
            progress(i + 1, len(result))
    shared = [i for members in groups.values() if len(members) > 1 for i in members]
    parent = {i: i for i in shared}

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    count = len(result)
    for i, j, _ in adjacent_pairs(result, shared):
        if maps[i] == maps[j] and root(i) != root(j):
            parent[root(i)] = root(j)
            count -= 1
    return count
