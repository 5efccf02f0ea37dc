"""Exports of the region graph: GraphML, GEXF, node-link JSON and cddlib files.

:func:`write_graph` picks the format by the file's suffix:

``.graphml``
    GraphML (networkx's writer). Read back exactly by :func:`read_graph`.
``.gexf``
    GEXF 1.2 for Gephi (networkx's writer). Written only.
``.json``
    networkx node-link JSON with ``"format": "polyregions/graph-v1"``. Read
    back exactly by :func:`read_graph`.
``.zip``
    One cddlib H-representation ``.ine`` and one V-representation ``.ext``
    file per region, and an ``index.json`` naming them.

How values are stored
---------------------
Every attribute gets a *codec*, inferred from its Python values, and the
codecs are written into the file (``"attributes"`` in JSON, the graph
attribute ``polyregions_attributes`` in GraphML and GEXF), so reading never
guesses a type:

* ``"rational"`` -- a :class:`~fractions.Fraction`, stored as the string
  ``"p/q"`` (``"p"`` when whole);
* ``"int"`` -- a JSON number, or a decimal string beyond ``2**53`` (so that
  JavaScript readers of the JSON lose no digits); ``"bool"``, ``"float"``,
  ``"str"`` are stored as they are;
* ``"measure"`` -- a sympy number ``c * sqrt(n)`` (``c`` rational, ``n`` a
  positive integer): the facet measures of :func:`polyregions.region_graph`.
  Stored as sympy prints it (``str(expr)``): ``"3*sqrt(2)/7"``,
  ``"1*sqrt(8)"``, ``"sqrt(8)/3"``, ``"5/2"``, plus a derived attribute ``<name>_float`` (a float, for display
  only; dropped on reading). In 1-D, where measures are the Python int 1,
  the codec is ``"int"``;
* ``"json"`` -- a dict of JSON values (the ``domain``), stored as it is;
* ``["tuple", C]`` -- a tuple of any length whose entries all have codec ``C``
  (patterns, points, inequality rows), and ``["fixed", [C1, C2, ...]]`` a
  tuple of entries with different codecs (an affine map ``(A, c)``); both
  become JSON arrays.

In the node-link JSON structured values are JSON arrays; in GraphML and GEXF,
which hold only scalars, they are their JSON text. None values are omitted
everywhere (GraphML cannot store None); an attribute named in the codecs but
missing from a node or edge is read back as None.

A measure is read back without sympy's parser (``sympify`` evaluates text, and
would also turn an unevaluated ``sqrt(8)`` of the graph into ``2*sqrt(2)``,
which sympy does not count as equal): the text must match ``c`` or
``[-][p*]sqrt(n)[/q]`` and is rebuilt as the unevaluated ``Pow(n, 1/2)``
(a bare ``sqrt(n)``) or ``Mul(p/q, Pow(n, 1/2))``, so the result is ``==`` to
the original, with the same structure and type. The writer checks this for every
measure and refuses one it cannot store exactly. Reading never executes or
unpickles anything.

The ``.zip`` holds ``region-<node>.ine`` (the region's facets, rows
``b a_1 .. a_n`` meaning ``b + a . x >= 0``, readable by
:func:`polyregions.load_polytope`; the whole space gets the row ``1 0 .. 0``),
``region-<node>.ext`` (vertices ``1 v``, rays ``0 d`` and lines ``0 d`` listed
under ``linearity``, all exact ``p/q``) and ``index.json`` with ``"format":
"polyregions/cdd-archive-v1"`` (not a region stream, whose formats are
``polyregions/regions-v*``), the graph attributes and per region ``node``,
``pattern``, ``ine``, ``ext``, ``bounded`` and ``volume`` (when known).
Coordinates are domain coordinates (``(s, t)`` for a slice).
"""

import math
import os
import re
import sys
import zipfile
from fractions import Fraction
from xml.sax.saxutils import escape

import networkx as nx

from ..errors import DomainError, ExportError
from ..geometry.polytope import HPolytope
from ..numbers import decimal_to_int, format_fraction, json_dumps, json_loads

__all__ = ["write_graph", "read_graph", "export_format", "FORMAT", "WRITABLE", "READABLE"]

FORMAT = "polyregions/graph-v1"
"""The ``format`` value of node-link JSON files written by :func:`write_graph`."""

ZIP_FORMAT = "polyregions/cdd-archive-v1"
"""The ``format`` value of the ``index.json`` of a ``.zip`` export."""
WRITABLE = (".graphml", ".gexf", ".json", ".zip")
READABLE = (".graphml", ".json")

_SAFE_INT = 2 ** 53
_SCALARS = ("bool", "int", "float", "str", "rational", "measure")
_RATIONAL = re.compile(r"-?[0-9]+(?:/[0-9]+)?")  # ASCII digits only
_MEASURE = re.compile(r"(?P<sign>-?)(?:(?P<p>[0-9]+)\*)?sqrt\((?P<n>[0-9]+)\)(?:/(?P<q>[0-9]+))?")
_META_KEYS = ("polyregions_format", "polyregions_attributes")


def export_format(path, readable=False):
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


def write_graph(G, path):
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
        if suffix == ".zip":
            _write_zip(G, path)
        elif suffix == ".json":
            text = _dump(_node_link(G))
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
        else:
            if suffix == ".graphml":
                nx.write_graphml(_flat_graph(G)[0], path)
            else:
                _write_gexf(G, path)
    except OSError as err:
        raise ExportError(f"cannot write {path}: {err.strerror or err}") from err


def read_graph(path):
    """Read a graph written by :func:`write_graph` as ``.graphml`` or ``.json``.

    The result is identical to the graph written: same nodes (in order), edges
    and attributes, with the same Python types (Fractions, tuples, sympy
    measures, None).

    Raises
    ------
    ExportError
        For another suffix, a missing or malformed file, or a file that was
        not written by polyregions.
    """
    suffix = export_format(path, readable=True)
    path = os.fspath(path)
    try:
        if suffix == ".json":
            return _read_json(path)
        return _read_graphml(path)
    except FileNotFoundError:
        raise ExportError(f"graph file not found: {path}") from None
    except ExportError:
        raise
    except (OSError, UnicodeDecodeError) as err:
        raise ExportError(f"cannot read graph file {path}: {err}") from err
    except Exception as err:  # malformed XML or JSON, wrong shapes: one line, no traceback
        raise ExportError(f"graph file {path} is malformed: {type(err).__name__}: {err}") from err


# ---------------------------------------------------------------- codecs


def _infer(value):
    """The codec of one value (None when the value is None or an empty tuple)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, Fraction):
        return "rational"
    if isinstance(value, float):
        return "float"
    if isinstance(value, str):
        return "str"
    if isinstance(value, dict):
        return "json"
    if isinstance(value, tuple):
        codecs = [_infer(v) for v in value]
        try:
            inner = None
            for c in codecs:
                inner = _join(inner, c)
            return ["tuple", inner]
        except TypeError:
            return ["fixed", codecs]
    if _is_sympy(value):
        return "measure"
    raise TypeError(type(value).__name__)


def _join(a, b):
    """The codec that fits values of codecs `a` and `b`; TypeError when none does."""
    if a is None or a == b:
        return b
    if b is None:
        return a
    if isinstance(a, list) and isinstance(b, list):
        if a[0] == b[0] == "tuple":
            return ["tuple", _join(a[1], b[1])]
        if a[0] == b[0] == "fixed" and len(a[1]) == len(b[1]):
            return ["fixed", [_join(x, y) for x, y in zip(a[1], b[1])]]
    raise TypeError("incompatible")


def _codecs(items, scope):
    """One codec per attribute name over the attribute dicts `items`."""
    codecs = {}
    for data in items:
        for key, value in data.items():
            try:
                codecs[key] = _join(codecs.get(key), _infer(value))
            except TypeError:
                raise ExportError(f"{scope} attribute {key!r} holds a value of type "
                                  f"{type(value).__name__} that cannot be exported") from None
    reserved = {"graph": set(_META_KEYS), "node": {"id"}, "edge": {"source", "target"}}[scope]
    for key, codec in codecs.items():
        if not isinstance(key, str):
            raise ExportError(f"{scope} attribute names must be strings, got {key!r}")
        if key in reserved:
            raise ExportError(f"{scope} attribute name {key!r} is reserved by the export format")
        if codec == "measure" and f"{key}_float" in codecs:
            raise ExportError(f"{scope} attributes {key!r} and {key + '_float'!r} collide")
    return {key: codec if codec is not None else "none" for key, codec in codecs.items()}


def _encode(codec, value):
    """`value` as JSON values (codec `codec`)."""
    if value is None or codec in (None, "none"):
        return None
    if codec == "int":
        return value if -_SAFE_INT < value < _SAFE_INT else format_fraction(value)
    if codec == "rational":
        return format_fraction(value)
    if codec == "measure":
        return _measure_text(value)[0]
    if codec == "json":
        try:
            json_dumps(value)
        except (TypeError, ValueError) as err:
            raise ExportError(f"a dict attribute is not JSON: {err}") from err
        return value
    if isinstance(codec, list) and codec[0] == "tuple":
        return [_encode(codec[1], v) for v in value]
    if isinstance(codec, list):
        if len(value) != len(codec[1]):
            raise ExportError(f"tuple {value!r} does not have {len(codec[1])} entries like the others")
        return [_encode(c, v) for c, v in zip(codec[1], value)]
    return value


def _decode(codec, data):
    """The Python value of JSON values `data` stored with codec `codec`."""
    if codec in (None, "none"):
        if data is not None:
            raise ValueError(f"expected null, got {data!r}")
        return None
    if codec == "int":
        if isinstance(data, bool) or not isinstance(data, (int, str)):
            raise ValueError(f"expected an integer, got {data!r}")
        return data if isinstance(data, int) else _integer(data)
    if codec == "rational":
        return _rational(data)
    if codec == "measure":
        return _measure(data)
    expected = {"bool": bool, "float": (float, int), "str": str, "json": dict}
    if isinstance(codec, str) and codec in expected:
        if not isinstance(data, expected[codec]) or (codec == "float" and isinstance(data, bool)):
            raise ValueError(f"expected a {codec}, got {data!r}")
        return float(data) if codec == "float" else data
    if isinstance(codec, list) and len(codec) == 2 and codec[0] in ("tuple", "fixed"):
        if not isinstance(data, list):
            raise ValueError(f"expected a list, got {data!r}")
        if codec[0] == "tuple":
            return tuple(_decode(codec[1], v) for v in data)
        if len(data) != len(codec[1]):
            raise ValueError(f"expected {len(codec[1])} entries, got {len(data)}")
        return tuple(_decode(c, v) for c, v in zip(codec[1], data))
    raise ValueError(f"unknown codec {codec!r}")


def _integer(text):
    if not isinstance(text, str) or not re.fullmatch(r"-?[0-9]+", text):
        raise ValueError(f"expected an integer, got {text!r}")
    return decimal_to_int(text)


def _rational(text):
    if not isinstance(text, str) or not _RATIONAL.fullmatch(text):
        raise ValueError(f"expected a rational 'p/q', got {text!r}")
    num, _, den = text.partition("/")
    den = _integer(den) if den else 1
    if den == 0:
        raise ValueError(f"rational {text!r} divides by zero")
    return Fraction(_integer(num), den)


# ---------------------------------------------------------------- measures


def _is_sympy(value):
    sympy = sys.modules.get("sympy")
    return sympy is not None and isinstance(value, sympy.Basic)


def _build_measure(text):
    """The sympy number a measure's text denotes, structure included.

    ``"c"`` is a sympy Rational, ``"sqrt(n)"`` the unevaluated ``Pow(n, 1/2)``
    and ``"p*sqrt(n)/q"`` (or ``"sqrt(n)/q"``) the unevaluated product
    ``Mul(p/q, Pow(n, 1/2))``: the forms :func:`polyregions.analysis.graph.exact_measure`
    builds, without simplifying (factoring) ``n``.
    """
    import sympy

    match = _MEASURE.fullmatch(text)
    if match is None:
        value = _rational(text)
        return sympy.Rational(value.numerator, value.denominator)
    root = sympy.Pow(sympy.Integer(_integer(match["n"])), sympy.Rational(1, 2), evaluate=False)
    if match["p"] is None and match["q"] is None and not match["sign"]:
        return root
    p = _integer(match["p"]) if match["p"] else 1
    q = _integer(match["q"]) if match["q"] else 1
    if q == 0:
        raise ValueError(f"measure {text!r} divides by zero")
    return sympy.Mul(sympy.Rational(-p if match["sign"] else p, q), root, evaluate=False)


def _measure_parts(expr):
    """``(c, n)`` for ``expr = c * n**(1/2)`` (c None for a bare root), or None."""
    if expr.is_Pow:
        base, exp = expr.args
        half = exp.is_Rational and (exp.p, exp.q) == (1, 2)
        return (None, int(base)) if base.is_Integer and base > 0 and half else None
    if expr.is_Mul and len(expr.args) == 2 and expr.args[0].is_Rational:
        root = _measure_parts(expr.args[1])
        return (Fraction(int(expr.args[0].p), int(expr.args[0].q)), root[1]) if root else None
    return None


def _measure_text(expr):
    """The text of a measure, checked to give `expr` back exactly."""
    if expr.is_Rational:
        value = Fraction(int(expr.p), int(expr.q))
        return format_fraction(value), float(value)
    parts = _measure_parts(expr)
    text = None
    if parts is not None:
        coeff, radicand = parts
        if coeff is None:
            text = f"sqrt({format_fraction(radicand)})"
        else:
            # As sympy prints it: "p*sqrt(n)/q", but "sqrt(n)/q" when p = 1 < q.
            q = "" if coeff.denominator == 1 else f"/{format_fraction(coeff.denominator)}"
            p = "" if coeff.numerator == 1 and q else f"{format_fraction(coeff.numerator)}*"
            text = f"{p}sqrt({format_fraction(radicand)}){q}"
        rebuilt = _build_measure(text)
        if type(rebuilt) is not type(expr) or rebuilt != expr:
            text = None
    if text is None:
        raise ExportError(f"measure {expr} cannot be stored exactly: only c*sqrt(n) with c "
                          "rational and n a positive integer can")
    try:
        approx = float(coeff if coeff is not None else 1) * math.sqrt(radicand)
    except OverflowError:
        approx = None
    return text, approx


def _measure(text):
    if not isinstance(text, str):
        raise ValueError(f"expected a measure, got {text!r}")
    return _build_measure(text)


# ---------------------------------------------------------------- node-link JSON and flat graphs


def _schemas(G):
    return {"graph": _codecs([G.graph], "graph"),
            "node": _codecs((d for _, d in G.nodes(data=True)), "node"),
            "edge": _codecs((d for _, _, d in G.edges(data=True)), "edge")}


def _node_ids(G):
    if all(isinstance(n, int) and not isinstance(n, bool) for n in G):
        return "int"
    if all(isinstance(n, str) for n in G):
        return "str"
    raise ExportError("node ids must be all integers or all strings")


def _encoded(data, codecs, flat):
    """Attributes as JSON values (or as scalars for GraphML/GEXF when `flat`)."""
    out = {}
    for key, value in data.items():
        if value is None:
            continue
        codec = codecs[key]
        if codec == "measure":
            encoded, approx = _measure_text(value)
        else:
            encoded = _encode(codec, value)
        if flat and codec not in _SCALARS:
            encoded = json_dumps(encoded, separators=(",", ":"))
        elif flat and codec == "int" and isinstance(encoded, str):
            encoded = value if -2 ** 63 <= value < 2 ** 63 else encoded
        out[key] = encoded
        if codec == "measure" and approx is not None:
            out[f"{key}_float"] = approx
    return out


def _decoded(data, codecs, flat):
    out = {}
    for key, codec in codecs.items():
        if key not in data:
            out[key] = None
            continue
        raw = data[key]
        if flat and codec not in _SCALARS:
            raw = json_loads(raw)
        out[key] = None if codec == "none" else _decode(codec, raw)
    return out


def _node_link(G):
    schemas, ids = _schemas(G), _node_ids(G)
    H = nx.Graph(**_encoded(G.graph, schemas["graph"], False))
    for node, data in G.nodes(data=True):
        H.add_node(node, **_encoded(data, schemas["node"], False))
    for u, v, data in G.edges(data=True):
        H.add_edge(u, v, **_encoded(data, schemas["edge"], False))
    try:
        linked = nx.node_link_data(H, edges="edges")
    except TypeError:  # networkx < 3.4 names the keyword "link"
        linked = nx.node_link_data(H, link="edges")
    linked["nodes"] = [{"id": d.pop("id"), **d} for d in linked["nodes"]]
    linked["edges"] = [{"source": d.pop("source"), "target": d.pop("target"), **d}
                       for d in linked["edges"]]
    return {"format": FORMAT, "node_ids": ids, "attributes": schemas, **linked}


def _dump(document):
    """JSON text with one line per node, edge or region: readable, and diffs stay small."""
    def line(value):
        return json_dumps(value, separators=(",", ":"))

    parts = []
    for key, value in document.items():
        if key in ("nodes", "edges", "regions") and value:
            items = ",\n  ".join(line(v) for v in value)
            parts.append(f" {line(key)}: [\n  {items}\n ]")
        else:
            parts.append(f" {line(key)}: {json_dumps(value)}")
    return "{\n" + ",\n".join(parts) + "\n}\n"


def _read_json(path):
    with open(path, encoding="utf-8") as f:
        data = json_loads(f.read())
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ExportError(f"{path} is not a polyregions graph (no \"format\": \"{FORMAT}\")")
    if data.get("directed") or data.get("multigraph"):
        raise ExportError(f"{path} holds a directed graph or a multigraph")
    schemas = data["attributes"]
    G = nx.Graph(**_decoded(data["graph"], schemas["graph"], False))
    node = _node_decoder(data["node_ids"])
    for item in data["nodes"]:
        G.add_node(node(item["id"]), **_decoded(item, schemas["node"], False))
    for item in data["edges"]:
        G.add_edge(node(item["source"]), node(item["target"]),
                   **_decoded(item, schemas["edge"], False))
    return G


def _node_decoder(kind):
    if kind == "int":
        return lambda n: n if isinstance(n, int) and not isinstance(n, bool) else _integer(n)
    if kind == "str":
        return str
    raise ValueError(f"unknown node id kind {kind!r}")


def _flat_graph(G, graph_attributes=True):
    """A copy of `G` whose attribute values are scalars GraphML and GEXF can hold, and the codecs."""
    schemas, ids = _schemas(G), _node_ids(G)
    meta = {"format": FORMAT, "node_ids": ids, "attributes": schemas}
    H = nx.Graph()
    if graph_attributes:
        H.graph.update(_encoded(G.graph, schemas["graph"], True))
        H.graph["polyregions_format"] = FORMAT
        H.graph["polyregions_attributes"] = json_dumps(meta, separators=(",", ":"))
    for node, data in G.nodes(data=True):
        H.add_node(node, **_encoded(data, schemas["node"], True))
    for u, v, data in G.edges(data=True):
        H.add_edge(u, v, **_encoded(data, schemas["edge"], True))
    return H, meta


def _read_graphml(path):
    F = nx.read_graphml(path, node_type=str)
    if F.is_directed() or F.is_multigraph():
        raise ExportError(f"{path} holds a directed graph or a multigraph")
    if F.graph.get("polyregions_format") != FORMAT or "polyregions_attributes" not in F.graph:
        raise ExportError(f"{path} is not a polyregions graph (no polyregions_format {FORMAT})")
    meta = json_loads(F.graph["polyregions_attributes"])
    schemas = meta["attributes"]
    node = _node_decoder(meta["node_ids"])
    G = nx.Graph(**_decoded(F.graph, schemas["graph"], True))
    for n, data in F.nodes(data=True):
        G.add_node(node(n), **_decoded(data, schemas["node"], True))
    for u, v, data in F.edges(data=True):
        G.add_edge(node(u), node(v), **_decoded(data, schemas["edge"], True))
    return G


def _write_gexf(G, path):
    """GEXF has no graph attributes: they and the codecs go into ``<meta><description>``."""
    H, meta = _flat_graph(G, graph_attributes=False)
    meta["graph"] = _encoded(G.graph, meta["attributes"]["graph"], False)
    text = "\n".join(nx.generate_gexf(H))
    description = escape(json_dumps(meta, separators=(",", ":")))
    text = text.replace("</creator>", f"</creator>\n    <description>{description}</description>", 1)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text + "\n")


# ---------------------------------------------------------------- cddlib files


def _write_zip(G, path):
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
        index = {"format": ZIP_FORMAT, "dim": dim, "input_dim": G.graph.get("input_dim"),
                 "domain": G.graph.get("domain"), "complete": G.graph.get("complete"),
                 "regions": entries}
        try:
            archive.writestr("index.json", _dump(index))
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

