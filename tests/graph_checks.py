"""Checks shared by the graph tests: the graph read off tracked adjacency against the searched one."""

from fractions import Fraction

from polyregions import EngineOptions, enumerate_regions, region_graph

__all__ = ["both_graphs", "assert_same_graph", "in_facet_interior"]


def both_graphs(network, domain, **options):
    """``(tracked, searched, result)``: the graph of a tracked enumeration, and the after-the-fact one.

    Both enumerations must give the same regions in the same order.
    """
    searched_result = enumerate_regions(network, domain, **options)
    result = enumerate_regions(network, domain,
                               options=EngineOptions(adjacency=True), **options)
    assert [(r.pattern, r.polytope) for r in result] == \
        [(r.pattern, r.polytope) for r in searched_result]
    return region_graph(result), region_graph(searched_result), result


def in_facet_interior(point, row, polytope):
    """Whether `point` lies on `row`'s hyperplane and strictly inside every other facet of `polytope`."""
    x = (Fraction(1),) + tuple(point)
    value = sum(a * b for a, b in zip(row, x))
    others = [r for r in polytope.rows if r != row and r != tuple(-v for v in row)]
    return value == 0 and all(sum(a * b for a, b in zip(r, x)) > 0 for r in others)


def assert_same_graph(tracked, searched, result):
    """The two graphs have the same nodes, attributes, edges and edge attributes.

    The points may differ: each must lie in the relative interior of both regions' facets.
    """
    assert dict(tracked.graph) == dict(searched.graph)
    assert list(tracked.nodes(data=True)) == list(searched.nodes(data=True))
    assert set(tracked.edges) == set(searched.edges)
    for i, j, data in tracked.edges(data=True):
        i, j = min(i, j), max(i, j)
        other = searched.edges[i, j]
        assert data.keys() == other.keys()
        for key in ("hyperplane", "units", "measure"):
            assert data[key] == other[key], (i, j, key, data[key], other[key])
        row = data["hyperplane"]
        assert in_facet_interior(data["point"], row, result[i].polytope)
        assert in_facet_interior(data["point"], tuple(-v for v in row), result[j].polytope)
