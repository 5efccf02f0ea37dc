"""Writing and reading region graphs: the format is chosen by the file's suffix.

:func:`write_graph` picks the format by the file's suffix:

``.graphml``
    GraphML (:mod:`polyregions.io.graphml`). Read back exactly by :func:`read_graph`.
``.gexf``
    GEXF 1.2 for Gephi (:mod:`polyregions.io.gexf`). Written only.
``.json``
    networkx node-link JSON with ``"format": "polyregions/graph-v1"``
    (:mod:`polyregions.io.node_link`). Read back exactly by :func:`read_graph`.
``.zip``
    One cddlib H-representation ``.ine`` and one V-representation ``.ext``
    file per region, and an ``index.json`` naming them
    (:mod:`polyregions.io.cdd_zip`). Written only.

How attribute values are stored (exactly, with their types) is described in
:mod:`polyregions.io.attributes`. A new format is one module with a writer
(and a reader) ``f(G, path)``, named in ``_WRITERS`` (and ``_READERS``).
"""

import os

import networkx as nx

from ..errors import ExportError
from .cdd_zip import write_cdd_archive
from .gexf import write_gexf
from .graphml import read_graphml, write_graphml
from .node_link import read_node_link, write_node_link

__all__ = ["write_graph", "read_graph", "export_format", "WRITABLE", "READABLE"]

_WRITERS = {".graphml": write_graphml, ".gexf": write_gexf, ".json": write_node_link,
            ".zip": write_cdd_archive}
_READERS = {".graphml": read_graphml, ".json": read_node_link}
WRITABLE = tuple(_WRITERS)
"""The suffixes :func:`write_graph` writes."""
READABLE = tuple(_READERS)
"""The suffixes :func:`read_graph` reads."""


def export_format(path: str | os.PathLike[str], readable: bool = False) -> str:
    """The format suffix of `path` (``".graphml"``, ...), or raise :class:`ExportError`.

    Examples
    --------
    >>> export_format("out/regions.GraphML")
    '.graphml'
    """
    suffix = os.path.splitext(os.fspath(path))[1].lower()
    allowed = READABLE if readable else WRITABLE
    if suffix not in allowed:
        verb = "read" if readable else "write"
        raise ExportError(f"cannot {verb} a graph as {suffix or 'a file without suffix'!r} "
                          f"({os.fspath(path)}): use {', '.join(allowed)}")
    return suffix


def write_graph(G: nx.Graph, path: str | os.PathLike[str]) -> None:
    """Write a region graph to `path`, in the format its suffix names.

    Parameters
    ----------
    G : networkx.Graph
        Usually from :func:`polyregions.analysis.graph.region_graph`; any undirected
        graph whose attribute values are ints, Fractions, bools, floats,
        strings, measures, dicts of JSON values, or tuples of these.
    path : str or path-like
        Ending in ``.graphml``, ``.gexf``, ``.json`` or ``.zip``.

    Raises
    ------
    ExportError
        For an unknown suffix, a value that cannot be stored exactly, or a
        file that cannot be written.

    Examples
    --------
    >>> import os, tempfile
    >>> from polyregions import Network, ReluLayer, Box, enumerate_regions
    >>> from polyregions.analysis.graph import region_graph
    >>> net = Network(2, [ReluLayer([[1, 0], [0, 1]], [0, 0])])
    >>> G = region_graph(enumerate_regions(net, Box.cube(2, -1, 1)))
    >>> path = os.path.join(tempfile.mkdtemp(), "cross.json")
    >>> write_graph(G, path)
    >>> H = read_graph(path)
    >>> H.nodes[0]["volume"], sorted(m for _, _, m in H.edges(data="measure"))
    (Fraction(1, 1), [1, 1, 1, 1])
    >>> dict(H.nodes(data=True)) == dict(G.nodes(data=True))
    True
    """
    suffix = export_format(path)
    if G.is_directed() or G.is_multigraph():
        raise ExportError("only undirected simple graphs (networkx.Graph) can be exported")
    path = os.fspath(path)
    try:
        _WRITERS[suffix](G, path)
    except OSError as err:
        raise ExportError.cannot_write(path, err) from err


def read_graph(path: str | os.PathLike[str]) -> nx.Graph:
    """Read a graph written by :func:`write_graph` as ``.graphml`` or ``.json``.

    The result is identical to the graph written: same nodes (in order), edges
    and attributes, with the same Python types (Fractions, tuples, sympy
    measures, None).

    Raises
    ------
    ExportError
        For another suffix, a missing or malformed file, or a file that was
        not written by polyregions.

    Examples
    --------
    >>> import os, tempfile
    >>> from polyregions import Box, Network, ReluLayer, enumerate_regions, region_graph
    >>> net = Network(2, [ReluLayer([[1, 0], [0, 1]], [0, 0])])
    >>> G = region_graph(enumerate_regions(net, Box.cube(2, -1, 1)))
    >>> path = os.path.join(tempfile.mkdtemp(), "regions.json")
    >>> write_graph(G, path)
    >>> H = read_graph(path)
    >>> H.number_of_nodes(), H.nodes[0] == G.nodes[0]        # exact values, same types
    (4, True)
    """
    suffix = export_format(path, readable=True)
    path = os.fspath(path)
    try:
        return _READERS[suffix](path)
    except FileNotFoundError:
        raise ExportError(f"graph file not found: {path}") from None
    except ExportError:
        raise
    except (OSError, UnicodeDecodeError) as err:
        raise ExportError(f"cannot read graph file {path}: {err}") from err
    except Exception as err:  # malformed XML or JSON, wrong shapes: one line, no traceback
        raise ExportError(f"graph file {path} is malformed: {type(err).__name__}: {err}") from err
