"""An interactive figure of 2-D activation regions: one self-contained HTML page (plotly).

Needs the optional extra ``polyregions[plot]`` (plotly and matplotlib, whose
palette colours the regions as in :func:`polyregions.io.plot.plot_regions`).
plotly.js is written into the page itself, so it opens without a network.
Hovering a region shows its activation pattern, its exact volume (area), the
classes predicted in it and its linear region; hovering the middle of a shared
edge shows the edge's hyperplane and the units that switch across it.

The polygons are the exact ones of :func:`polyregions.io.plot.region_polygons`;
coordinates become floats only for drawing, and every number shown on hover is
exact.
"""

import os
from collections.abc import Sequence
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from ..analysis.linear import linear_regions
from ..errors import ExportError, require_extra
from . import plot

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["write_html_plot", "check_html_path"]

def _plotly():
    require_extra("plotly", "plot", "the interactive page")
    import plotly.graph_objects as go

    return go


def check_html_path(path: str | os.PathLike[str]) -> None:
    """Raise :class:`ExportError` unless plotly and matplotlib are installed and `path` is ``.html``.

    Examples
    --------
    >>> check_html_path("regions.png")
    Traceback (most recent call last):
    polyregions.errors.ExportError: cannot write an interactive figure to regions.png: use .html
    """
    if not os.fspath(path).lower().endswith((".html", ".htm")):
        raise ExportError(f"cannot write an interactive figure to {os.fspath(path)}: use .html")
    _plotly()
    plot._matplotlib()  # its palette colours the regions


def write_html_plot(graph: "nx.Graph", path: str | os.PathLike[str], *,
                    boundary: Sequence[Any] | None = None,
                    classes: dict[int, tuple[int, ...]] | None = None, color_by: str = "region",
                    view: Sequence[Any] | None = None) -> int:
    """Write the regions of a 2-D region graph as one interactive, self-contained HTML page.

    Parameters
    ----------
    graph : networkx.Graph
        From :func:`polyregions.region_graph` of a 2-D domain or slice, with
        its maps (the default; they give the linear regions) and, for the
        exact volumes on hover, ``volumes=True``.
    path : str or path-like
        The page to write (``.html``).
    boundary : list, optional
        Drawn thick and black: the decision boundary's ``pieces`` (rays drawn
        to the edge of the figure) or segments, as for
        :func:`polyregions.io.plot.plot_regions`.
    classes : dict, optional
        Node id -> the classes predicted in the region, shown on hover: the
        decision boundary's ``region_classes``.
    color_by : {"region", "linear", "class"}
        Neighbouring activation regions in different colours, one colour per
        linear region, or one per predicted class (grey where the boundary
        splits a region).
    view : (x_lo, x_hi, y_lo, y_hi), optional
        Show only this box (see :func:`polyregions.io.plot.region_polygons`).

    Returns
    -------
    int
        The number of regions drawn (one filled trace each, in node order).

    Raises
    ------
    DomainError
        When the domain is not 2-D.
    ExportError
        When plotly or matplotlib is missing, or the file cannot be written.

    Examples
    --------
    >>> import os, tempfile
    >>> from polyregions import Network, ReluLayer, Box, enumerate_regions, region_graph
    >>> net = Network(2, [ReluLayer([[1, 0], [0, 1]], [0, 0])])
    >>> G = region_graph(enumerate_regions(net, Box.cube(2, -1, 1)))
    >>> page = os.path.join(tempfile.mkdtemp(), "regions.html")
    >>> write_html_plot(G, page)
    4
    >>> "Plotly.newPlot" in open(page).read()
    True
    """
    go = _plotly()
    check_html_path(path)
    polygons, box = plot.region_polygons(graph, view)
    groups = linear_regions(graph)
    nodes = list(polygons)
    colours = _colours(graph, nodes, color_by, groups, classes)
    group_of = {n: g for g, members in enumerate(groups) for n in members}
    figure = go.Figure()
    for node, colour in zip(nodes, colours):
        figure.add_trace(_region_trace(go, graph, node, polygons[node], colour,
                                       _region_text(graph, node, group_of, classes)))
    figure.add_trace(_edge_trace(go, graph, box))
    if boundary:
        figure.add_trace(_boundary_trace(go, plot._segments(boundary, box)))
    complete = {"complete": graph.graph.get("complete", True)}
    _layout(figure, graph, box, plot._title(len(graph), len(nodes), groups, complete))
    try:
        figure.write_html(os.fspath(path), include_plotlyjs=True, full_html=True,
                          config={"displaylogo": False})
    except OSError as err:
        raise ExportError.cannot_write(path, err) from err
    return len(nodes)


def _colours(graph, nodes, color_by, groups, classes):
    """Hex colours of the regions: :func:`polyregions.io.plot.region_colours`, or by the
    predicted class (``"class"``; grey where the boundary splits a region)."""
    if color_by not in ("region", "linear", "class"):
        raise ExportError(f"color_by must be 'region', 'linear' or 'class', got {color_by!r}")
    plot._matplotlib()
    import matplotlib
    from matplotlib.colors import to_hex

    if color_by != "class":
        return [to_hex(c) for c in plot.region_colours(graph, nodes, color_by, groups)]
    palette = matplotlib.colormaps["tab10"]
    found = classes or {}
    return [to_hex(palette(found[n][0] % 10)) if len(found.get(n, ())) == 1 else "#cccccc"
            for n in nodes]


def _region_trace(go, graph, node, ring, colour, text):
    xs = [float(x) for x, _ in ring] + [float(ring[0][0])]
    ys = [float(y) for _, y in ring] + [float(ring[0][1])]
    return go.Scatter(x=xs, y=ys, fill="toself", fillcolor=colour, mode="lines",
                      line={"color": "rgba(38,38,38,0.8)", "width": 0.8}, hoveron="fills",
                      hoverinfo="text", text=text, name=f"region {node}", showlegend=False)


def _region_text(graph, node, group_of, classes):
    """The hover text of a region: its pattern, exact volume, classes and linear region."""
    data = graph.nodes[node]
    volume = data.get("volume")
    if volume is None:
        volume = "unbounded" if not data.get("bounded", True) else "not computed"
    lines = [f"region {node}", f"pattern {_pattern(data['pattern'])}", f"volume {volume}"]
    if classes is not None and node in classes:
        found = classes[node]
        lines.append(f"class {found[0]}" if len(found) == 1 else
                     "classes " + ", ".join(map(str, found)) + " (split by the boundary)")
    if node in group_of:
        lines.append(f"linear region {group_of[node]}")
    return "<br>".join(lines)


def _pattern(pattern):
    """``[1 0 1 | 0 1]``: the pieces of each layer's units, layers split by bars."""
    return "[" + " | ".join(" ".join(str(p) for p in layer) for layer in pattern if layer) + "]"


def _edge_trace(go, graph, box):
    """Markers at the shared edges' interior points, with their hyperplanes on hover."""
    xs, ys, texts = [], [], []
    for u, v, data in graph.edges(data=True):
        point = data.get("point")
        if point is None or not (box[0] <= point[0] <= box[1] and box[2] <= point[1] <= box[3]):
            continue
        xs.append(float(point[0]))
        ys.append(float(point[1]))
        units = ", ".join(f"layer {layer} unit {unit}" for layer, unit in data.get("units", ()))
        texts.append(f"edge {u}-{v}<br>{_hyperplane_text(data['hyperplane'], _names(graph))}"
                     f"<br>(\u2265 0 on region {u})<br>switches {units}")
    return go.Scatter(x=xs, y=ys, mode="markers", hoverinfo="text", text=texts, name="edges",
                      marker={"size": 5, "color": "rgba(38,38,38,0.35)"}, showlegend=False)


def _hyperplane_text(row: Sequence[Any], names: Sequence[str] = ("x1", "x2")) -> str:
    """The equation ``b + a . x = 0`` of a facet row ``(b, a1, a2, ...)``, exactly.

    Examples
    --------
    >>> _hyperplane_text((Fraction(1, 2), 0, -3))
    '1/2 - 3 x2 = 0'
    >>> _hyperplane_text((0, 1, Fraction(-2, 3)), ("s", "t"))
    's - 2/3 t = 0'
    """
    terms = [(Fraction(c), f" {name}") for c, name in zip(row[1:], names)]
    terms = [(Fraction(row[0]), "")] + terms
    text = ""
    for coefficient, name in terms:
        if coefficient == 0:
            continue
        magnitude = abs(coefficient)
        shown = name.strip() if magnitude == 1 and name else f"{magnitude}{name}"
        sign = "-" if coefficient < 0 else "+"
        text += (f"-{shown}" if sign == "-" else shown) if not text else f" {sign} {shown}"
    return (text or "0") + " = 0"


def _names(graph):
    return ("s", "t") if (graph.graph.get("domain") or {}).get("kind") == "slice" else ("x1", "x2")


def _boundary_trace(go, segments):
    xs, ys = [], []
    for segment in segments:
        for x, y in segment:
            xs.append(float(x))
            ys.append(float(y))
        xs.append(None)
        ys.append(None)
    return go.Scatter(x=xs, y=ys, mode="lines", line={"color": "black", "width": 3},
                      hoverinfo="skip", name="decision boundary", showlegend=False)


def _layout(figure, graph, box, title):
    names = _names(graph)
    figure.update_layout(
        title=title, width=800, height=800, plot_bgcolor="white", hovermode="closest",
        xaxis={"range": [float(box[0]), float(box[1])], "title": names[0], "showgrid": False,
               "zeroline": False, "constrain": "domain"},
        yaxis={"range": [float(box[2]), float(box[3])], "title": names[1], "showgrid": False,
               "zeroline": False, "scaleanchor": "x", "scaleratio": 1, "constrain": "domain"})
