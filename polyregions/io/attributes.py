"""How the attributes of a region graph are stored in export files, exactly.

The node-link JSON, GraphML and GEXF writers of :mod:`polyregions.io.graph_file`
share this module: it infers a *codec* for every attribute from its Python
values, encodes values as JSON values (or as scalars for GraphML and GEXF,
which hold nothing else), and decodes them back to the same Python types.

How values are stored
---------------------
Every attribute gets a codec, and the codecs are written into the file
(``"attributes"`` in JSON, the graph attribute ``polyregions_attributes`` in
GraphML and GEXF), so reading never guesses a type:

* ``"rational"`` -- a :class:`~fractions.Fraction`, stored as the string
  ``"p/q"`` (``"p"`` when whole), plus ``<name>_float``, the nearest float
  (for tools that size or filter by a number: Gephi, igraph; dropped on
  reading; left out beyond the float range);
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
"""

import math
import re
import sys
from collections.abc import Iterable
from fractions import Fraction
from typing import Any

import networkx as nx

from ..errors import ExportError
from ..numbers import decimal_to_int, format_fraction, json_dumps, json_loads

__all__ = ["FORMAT", "graph_schemas", "encode_attributes", "encoded_graph", "flat_graph", "decoded_graph",
           "document_text"]

FORMAT = "polyregions/graph-v1"
"""The ``format`` of node-link JSON files, and of the metadata of GraphML and GEXF files."""

_SAFE_INT = 2 ** 53
_SCALARS = ("bool", "int", "float", "str", "rational", "measure")
_RATIONAL = re.compile(r"-?[0-9]+(?:/[0-9]+)?")  # ASCII digits only
_MEASURE = re.compile(r"(?P<sign>-?)(?:(?P<p>[0-9]+)\*)?sqrt\((?P<n>[0-9]+)\)(?:/(?P<q>[0-9]+))?")
_META_KEYS = ("polyregions_format", "polyregions_attributes")
# Exact numbers that get a float companion ``<name>_float`` (display, sizing and filtering in
# tools that read no fractions: Gephi, igraph); it is dropped on reading.
_WITH_FLOAT = ("measure", "rational")
_PLAIN_CODECS = ((bool, "bool"), (int, "int"), (Fraction, "rational"), (float, "float"),
                 (str, "str"), (dict, "json"))


# ---------------------------------------------------------------- codecs


def _infer(value):
    """The codec of one value (None when the value is None or an empty tuple)."""
    if value is None:
        return None
    for kind, codec in _PLAIN_CODECS:  # bool before int: a bool is an int too
        if isinstance(value, kind):
            return codec
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
        if codec in _WITH_FLOAT and f"{key}_float" in codecs:
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
    ``Mul(p/q, Pow(n, 1/2))``: the forms :func:`polyregions.geometry.measure.exact_measure`
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


# ---------------------------------------------------------------- whole graphs


def graph_schemas(G: nx.Graph) -> dict[str, Any]:
    """The codecs of `G`'s graph, node and edge attributes, and the kind of its node ids.

    Returns
    -------
    dict
        ``{"format": FORMAT, "node_ids": "int" or "str", "attributes": {"graph": ...,
        "node": ..., "edge": ...}}``: the metadata every graph file carries.

    Raises
    ------
    ExportError
        When a value cannot be stored exactly, an attribute name is reserved, or
        node ids mix integers and strings.

    Examples
    --------
    >>> import networkx as nx
    >>> from fractions import Fraction
    >>> G = nx.Graph(dim=2)
    >>> G.add_node(0, volume=Fraction(1, 2), pattern=((0, 1),))
    >>> graph_schemas(G)["attributes"]["node"]
    {'volume': 'rational', 'pattern': ['tuple', ['tuple', 'int']]}
    """
    schemas = {"graph": _codecs([G.graph], "graph"),
               "node": _codecs((d for _, d in G.nodes(data=True)), "node"),
               "edge": _codecs((d for _, _, d in G.edges(data=True)), "edge")}
    return {"format": FORMAT, "node_ids": _node_ids(G), "attributes": schemas}


def _node_ids(G):
    if all(isinstance(n, int) and not isinstance(n, bool) for n in G):
        return "int"
    if all(isinstance(n, str) for n in G):
        return "str"
    raise ExportError("node ids must be all integers or all strings")


def encoded_graph(G: nx.Graph, meta: dict[str, Any], flat: bool) -> nx.Graph:
    """A copy of `G` whose attributes are encoded with the codecs of `meta`.

    Values become JSON values, or, when `flat`, scalars (structured values as
    their JSON text) for GraphML and GEXF.

    Examples
    --------
    >>> from polyregions import Box, Network, ReluLayer, enumerate_regions, region_graph
    >>> net = Network(2, [ReluLayer([[1, 0], [0, 1]], [0, 0])])
    >>> G = region_graph(enumerate_regions(net, Box.cube(2, -1, 1)))
    >>> E = encoded_graph(G, graph_schemas(G), flat=False)
    >>> E.nodes[0]["pattern"], E.nodes[0]["volume"]                # JSON values
    ([[0, 0]], '1')
    """
    codecs = meta["attributes"]
    H = nx.Graph(**encode_attributes(G.graph, codecs["graph"], flat))
    for node, data in G.nodes(data=True):
        H.add_node(node, **encode_attributes(data, codecs["node"], flat))
    for u, v, data in G.edges(data=True):
        H.add_edge(u, v, **encode_attributes(data, codecs["edge"], flat))
    return H


def flat_graph(G: nx.Graph, graph_attributes: bool = True) -> tuple[nx.Graph, dict[str, Any]]:
    """A copy of `G` whose attribute values are scalars GraphML and GEXF can hold, and its metadata.

    With `graph_attributes`, the graph attributes are kept and the metadata is
    stored among them (``polyregions_format``, ``polyregions_attributes``).

    Examples
    --------
    >>> from polyregions import Box, Network, ReluLayer, enumerate_regions, region_graph
    >>> net = Network(2, [ReluLayer([[1, 0], [0, 1]], [0, 0])])
    >>> G = region_graph(enumerate_regions(net, Box.cube(2, -1, 1)))
    >>> F, meta = flat_graph(G)
    >>> F.nodes[0]["pattern"], F.graph["polyregions_format"]      # JSON text, for GraphML
    ('[[0,0]]', 'polyregions/graph-v1')
    """
    meta = graph_schemas(G)
    H = encoded_graph(G, meta, True)
    if graph_attributes:
        H.graph["polyregions_format"] = FORMAT
        H.graph["polyregions_attributes"] = json_dumps(meta, separators=(",", ":"))
    else:
        H.graph.clear()
    return H, meta


def decoded_graph(meta: dict[str, Any], graph: dict[str, Any], nodes: Iterable[tuple[Any, dict[str, Any]]],
                  edges: Iterable[tuple[Any, Any, dict[str, Any]]], flat: bool) -> nx.Graph:
    """Rebuild a graph from encoded attributes (the inverse of :func:`encoded_graph`).

    Parameters
    ----------
    meta : dict
        The metadata of :func:`graph_schemas`, as read from the file.
    graph : dict
        The encoded graph attributes.
    nodes, edges : iterables
        ``(node, data)`` and ``(u, v, data)`` with stored node ids and encoded
        attribute dicts (keys the codecs do not name are ignored).
    flat : bool
        The values are scalars (GraphML), not JSON values.

    Examples
    --------
    >>> from polyregions import Box, Network, ReluLayer, enumerate_regions, region_graph
    >>> net = Network(2, [ReluLayer([[1, 0], [0, 1]], [0, 0])])
    >>> G = region_graph(enumerate_regions(net, Box.cube(2, -1, 1)))
    >>> meta = graph_schemas(G)
    >>> E = encoded_graph(G, meta, flat=False)
    >>> D = decoded_graph(meta, E.graph, E.nodes(data=True), E.edges(data=True), flat=False)
    >>> D.nodes[0] == G.nodes[0], D.number_of_edges() == G.number_of_edges()
    (True, True)
    """
    codecs = meta["attributes"]
    node = _node_decoder(meta["node_ids"])
    G = nx.Graph(**_decoded(graph, codecs["graph"], flat))
    for n, data in nodes:
        G.add_node(node(n), **_decoded(data, codecs["node"], flat))
    for u, v, data in edges:
        G.add_edge(node(u), node(v), **_decoded(data, codecs["edge"], flat))
    return G


def document_text(document: dict[str, Any]) -> str:
    """JSON text with one line per node, edge or region: readable, and diffs stay small.

    Examples
    --------
    >>> print(document_text({"format": "example", "nodes": [{"id": 0}, {"id": 1}]}), end="")
    {
     "format": "example",
     "nodes": [
      {"id":0},
      {"id":1}
     ]
    }
    """
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


def encode_attributes(data: dict[str, Any], codecs: dict[str, Any], flat: bool) -> dict[str, Any]:
    """Attributes as JSON values (or as scalars for GraphML/GEXF when `flat`).

    `codecs` maps every attribute name to its codec (one scope of
    :func:`graph_schemas`); None values are left out, and a measure or a
    rational gets its ``<name>_float`` companion (the nearest float).

    Examples
    --------
    >>> from fractions import Fraction
    >>> encode_attributes({"volume": Fraction(1, 2), "pattern": ((0, 1),)},
    ...                   {"volume": "rational", "pattern": ["tuple", ["tuple", "int"]]}, True)
    {'volume': '1/2', 'volume_float': 0.5, 'pattern': '[[0,1]]'}
    """
    out = {}
    for key, value in data.items():
        if value is None:
            continue
        codec = codecs[key]
        approx = None
        if codec == "measure":
            encoded, approx = _measure_text(value)
        else:
            encoded = _encode(codec, value)
            if codec == "rational":
                approx = _float(value)
        if flat and codec not in _SCALARS:
            encoded = json_dumps(encoded, separators=(",", ":"))
        elif flat and codec == "int" and isinstance(encoded, str):
            encoded = value if -2 ** 63 <= value < 2 ** 63 else encoded
        out[key] = encoded
        if approx is not None:
            out[f"{key}_float"] = approx
    return out


def _float(value):
    """The nearest float to the Fraction `value`, or None beyond the float range."""
    try:
        return float(value)
    except OverflowError:
        return None


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


def _node_decoder(kind):
    if kind == "int":
        return lambda n: n if isinstance(n, int) and not isinstance(n, bool) else _integer(n)
    if kind == "str":
        return str
    raise ValueError(f"unknown node id kind {kind!r}")
