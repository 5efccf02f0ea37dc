"""The regions of a region graph as cddlib files in one ``.zip`` archive (written only).

The archive holds, the node numbers zero-padded to one width
(``region-07.ine`` among 12 regions), ``region-<node>.ine`` (the region's facets, rows
``b a_1 .. a_n`` meaning ``b + a . x >= 0``, readable by
:func:`polyregions.load_polytope`; the whole space gets the row ``1 0 .. 0``),
``region-<node>.ext`` (vertices ``1 v``, rays ``0 d`` and lines ``0 d`` listed
under ``linearity``, all exact ``p/q``) and ``index.json`` with ``"format":
"polyregions/cdd-archive-v1"`` (not a region stream, whose formats are
``polyregions/regions-v*``), the graph attributes and per region ``node``,
``pattern``, ``ine``, ``ext``, ``bounded`` and ``volume`` (when known).
Coordinates are domain coordinates (``(s, t)`` for a slice).
"""

import zipfile

import networkx as nx

from ..errors import DomainError, ExportError
from ..geometry.polytope import HPolytope
from ..numbers import format_fraction, json_dumps
from .attributes import document_text

__all__ = ["FORMAT", "write_cdd_archive"]

FORMAT = "polyregions/cdd-archive-v1"
"""The ``format`` value of the ``index.json`` of a ``.zip`` export."""


def write_cdd_archive(G: nx.Graph, path: str) -> None:
    """Write the regions of a region graph as cddlib files in the ``.zip`` archive `path`.

    Raises
    ------
    ExportError
        When `G` is not a region graph (no graph ``dim``, a node without
        ``inequalities``), a node's inequalities are not a region, or an
        attribute of the index is not JSON. An ``OSError`` when the file cannot
        be written.

    Examples
    --------
    >>> import os, tempfile
    >>> from polyregions import Box, Network, ReluLayer, enumerate_regions, region_graph
    >>> net = Network(2, [ReluLayer([[1, 0], [0, 1]], [0, 0])])
    >>> G = region_graph(enumerate_regions(net, Box.cube(2, -1, 1)))
    >>> import json, zipfile
    >>> from polyregions import load_polytope
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = os.path.join(folder, "regions.zip")
    ...     write_cdd_archive(G, path)
    ...     with zipfile.ZipFile(path) as archive:
    ...         names = sorted(archive.namelist())
    ...         index = json.loads(archive.read("index.json"))
    ...         _ = archive.extract("region-0.ine", folder)
    ...     region = load_polytope(os.path.join(folder, "region-0.ine"))
    >>> names[:3], index["format"], index["regions"][0]["volume"]
    (['index.json', 'region-0.ext', 'region-0.ine'], 'polyregions/cdd-archive-v1', '1')
    >>> sorted(region.polytope.vertices) == [(-1, -1), (-1, 0), (0, -1), (0, 0)]  # [-1, 0]^2
    True
    """
    dim = G.graph.get("dim")
    if not isinstance(dim, int) or any("inequalities" not in d for _, d in G.nodes(data=True)):
        raise ExportError("a .zip export needs a region graph (graph 'dim', node 'inequalities')")
    width = len(str(max(G.number_of_nodes() - 1, 0)))
    entries = []
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for k, (node, data) in enumerate(G.nodes(data=True)):
            number = node if isinstance(node, int) and node >= 0 else k
            name = f"region-{number:0{width}d}"
            rows = data["inequalities"]
            try:
                poly = HPolytope.from_inequalities(rows, dim)
            except DomainError as err:
                raise ExportError(f"node {node!r}: its inequalities are not a region: {err}") from err
            comment = f"* polyregions region {node}, pattern {_pattern_text(data.get('pattern'))}\n"
            archive.writestr(name + ".ine", comment + _ine_text(rows, dim))
            archive.writestr(name + ".ext", comment + _ext_text(poly))
            entry = {"node": node, "pattern": data.get("pattern"), "ine": name + ".ine",
                     "ext": name + ".ext", "bounded": poly.is_bounded}
            if data.get("volume") is not None:
                entry["volume"] = format_fraction(data["volume"])
            entries.append(entry)
        index = {"format": FORMAT, "dim": dim, "input_dim": G.graph.get("input_dim"),
                 "domain": G.graph.get("domain"), "complete": G.graph.get("complete"),
                 "regions": entries}
        try:
            archive.writestr("index.json", document_text(index))
        except TypeError as err:
            raise ExportError(f"index.json: a value is not JSON: {err}") from err


def _pattern_text(pattern):
    return json_dumps(pattern, separators=(",", ":")) if pattern is not None else "-"


def _ine_text(rows, dim):
    """cddlib H-representation: each row ``b a_1 ... a_n`` means ``b + a . x >= 0``."""
    rows = list(rows) or [(1,) + (0,) * dim]  # the whole space: the trivial row 1 >= 0
    body = "".join(" " + " ".join(format_fraction(v) for v in r) + "\n" for r in rows)
    return f"H-representation\nbegin\n {len(rows)} {dim + 1} rational\n{body}end\n"


def _ext_text(poly):
    """cddlib V-representation: ``1 v`` for vertices, ``0 d`` for rays and lines."""
    rows = [(1,) + v for v in poly.vertices] + [(0,) + r for r in poly.rays]
    first_line = len(rows) + 1
    rows += [(0,) + d for d in poly.lines]
    head = "V-representation\n"
    if poly.lines:
        indices = " ".join(str(i) for i in range(first_line, len(rows) + 1))
        head += f"linearity {len(poly.lines)} {indices}\n"
    body = "".join(" " + " ".join(format_fraction(v) for v in r) + "\n" for r in rows)
    return f"{head}begin\n {len(rows)} {poly.dim + 1} rational\n{body}end\n"

