"""Figures of 2-D activation regions (needs the optional extra ``polyregions[plot]``).

matplotlib is imported inside the functions, so ``import polyregions.io.plot``
works without it; the figures are drawn on matplotlib's Agg canvas directly,
without pyplot, so nothing global (backend, open figures) is touched.

The geometry is exact up to the drawing: each region's polygon comes from its
exact vertices (an unbounded region is first cut exactly by a drawing box
around all vertices), and only then are coordinates turned into floats.
"""

import functools
import os
from collections.abc import Sequence
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from ..enumeration.complex import RegionComplex
from ..errors import DomainError, ExportError, NumberFormatError, install_command
from ..geometry.polytope import HPolytope
from ..numbers import to_fraction

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["plot_regions", "region_polygons", "region_colours", "default_view", "figure_formats",
           "check_figure_path", "view_box", "plot_cells", "draw_cell_map", "bias_entry_name"]

Point = tuple[Fraction, Fraction]
Box4 = tuple[Fraction, Fraction, Fraction, Fraction]
"""A drawing box ``(x_lo, x_hi, y_lo, y_hi)``, exact."""

# Qualitative colours: matplotlib's tab20, ten dark shades first, then the ten light
# ones (see _spread); a proper colouring of a planar map rarely needs more than six.
_PALETTE = "tab20"


def _matplotlib():
    try:
        import matplotlib
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
    except ImportError as err:
        raise ExportError(f"drawing figures needs matplotlib: {install_command('plot')}") from err
    return matplotlib, Figure, FigureCanvasAgg


def figure_formats() -> list[str]:
    """The file suffixes matplotlib can write (``"png"``, ``"pdf"``, ``"svg"``, ...).

    Raises
    ------
    ExportError
        When matplotlib is not installed.

    Examples
    --------
    >>> import pytest
    >>> _ = pytest.importorskip("matplotlib")
    >>> {"png", "pdf", "svg"} <= set(figure_formats())
    True
    """
    _, Figure, FigureCanvasAgg = _matplotlib()
    return sorted(FigureCanvasAgg(Figure()).get_supported_filetypes())


def check_figure_path(path: str | os.PathLike[str]) -> None:
    """Raise :class:`ExportError` unless matplotlib is installed and can write `path`'s format.

    Examples
    --------
    >>> check_figure_path("regions.txt")  # doctest: +SKIP
    Traceback (most recent call last):
    ExportError: cannot write a figure to regions.txt: use .png, .pdf or .svg
    """
    name = os.path.basename(os.fspath(path))
    suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if suffix not in figure_formats():
        raise ExportError(f"cannot write a figure to {os.fspath(path)}: use .png, .pdf or .svg")


def region_polygons(regions: "RegionComplex | nx.Graph",
                    view: Sequence[Any] | None = None) -> tuple[dict[int, list[Point]], Box4]:
    """The polygons of a 2-D region complex or region graph, exactly.

    Parameters
    ----------
    regions : RegionComplex or networkx.Graph
        An enumeration, or its :func:`polyregions.region_graph` (also one read
        back by :func:`polyregions.io.graph_file.read_graph`).
    view : (x_lo, x_hi, y_lo, y_hi), optional
        Exact numbers: cut every region by this box, and leave out the regions
        that do not meet its interior.

    Returns
    -------
    polygons : dict
        Node id -> the region's vertices (tuples of Fractions) in
        counter-clockwise order. Unbounded regions are cut by `box`.
    box : tuple of Fraction
        ``(x_lo, x_hi, y_lo, y_hi)``: `view` when given, else the domain's
        bounding box, or, when some region is unbounded, a square holding
        every vertex and interior point (so every region is drawn).

    Raises
    ------
    DomainError
        When the domain is not 2-D, or `view` is not a box.

    Examples
    --------
    >>> from polyregions import Network, ReluLayer, WholeSpace, enumerate_regions
    >>> net = Network(2, [ReluLayer([[1, 0], [0, 1]], [0, 0])])
    >>> polygons, box = region_polygons(enumerate_regions(net, WholeSpace(2)))
    >>> len(polygons), [len(p) for p in polygons.values()]
    (4, [4, 4, 4, 4])
    >>> len(region_polygons(enumerate_regions(net, WholeSpace(2)), view=(1, 2, -1, 1))[0])
    2
    """
    polytopes, dim = _regions(regions)
    if dim != 2:
        raise DomainError(f"region plots need a 2-D domain or slice, this one is {dim}-D")
    return _polygons(polytopes, view)


def _polygons(polytopes, view):
    """:func:`region_polygons` of polytopes by node id."""
    if view is not None:
        return _cut(polytopes, view_box(view), skip_outside=True)
    points = [v for p in polytopes.values() for v in p.vertices]
    if all(p.is_bounded for p in polytopes.values()):
        return {n: _ordered(p.vertices) for n, p in polytopes.items()}, _bounds(points)
    points += [p.interior_point() for p in polytopes.values()]
    x_lo, x_hi, y_lo, y_hi = _bounds(points)
    # A square around everything, a quarter larger: unbounded regions show as such.
    half = max(x_hi - x_lo, y_hi - y_lo, Fraction(1)) * 5 / 8
    cx, cy = (x_lo + x_hi) / 2, (y_lo + y_hi) / 2
    return _cut(polytopes, (cx - half, cx + half, cy - half, cy + half), skip_outside=False)


def view_box(view: Sequence[Any]) -> Box4:
    """`view` as four exact numbers ``x_lo < x_hi``, ``y_lo < y_hi``, or raise DomainError.

    Examples
    --------
    >>> view_box(["-1/2", "1", 0, "0.25"])
    (Fraction(-1, 2), Fraction(1, 1), Fraction(0, 1), Fraction(1, 4))
    >>> view_box([1, 0, 0, 1])
    Traceback (most recent call last):
    ...
    polyregions.errors.DomainError: view must be x_lo < x_hi, y_lo < y_hi, got [1, 0, 0, 1]
    """
    try:
        box = tuple(to_fraction(v, "view bound") for v in view)
    except (TypeError, NumberFormatError) as err:
        raise DomainError(f"view must be four numbers x_lo, x_hi, y_lo, y_hi: {err}") from None
    if len(box) != 4 or not (box[0] < box[1] and box[2] < box[3]):
        raise DomainError(f"view must be x_lo < x_hi, y_lo < y_hi, got {view!r}")
    return box


def _cut(polytopes, box, skip_outside):
    """Regions cut by `box` (unbounded ones always; all of them when `skip_outside`)."""
    # b + a . x >= 0 for the four sides of the box.
    sides = [(-box[0], 1, 0), (box[1], -1, 0), (-box[2], 0, 1), (box[3], 0, -1)]
    polygons = {}
    for node, poly in polytopes.items():
        if skip_outside or not poly.is_bounded:
            try:
                poly = HPolytope.from_inequalities(list(poly.rows) + sides)
            except DomainError:  # the region misses the box's interior
                if skip_outside:
                    continue
                raise
        polygons[node] = _ordered(poly.vertices)
    return polygons, box


def plot_regions(regions: "RegionComplex | nx.Graph", path: str | os.PathLike[str] | None = None, *,
                 color_by: str = "region", groups: list[set[int]] | None = None,
                 boundary: Sequence[Any] | str | None = "auto", ax: Any = None,
                 view: Sequence[Any] | None = None, title: str | None = None,
                 figsize: tuple[float, float] = (6, 6), dpi: int = 150) -> Any:
    """Draw the activation regions of a 2-D domain or slice.

    Parameters
    ----------
    regions : RegionComplex or networkx.Graph
        An enumeration of a 2-D domain or slice, or its region graph.
    path : str or path-like, optional
        Write the figure there (``.png``, ``.pdf``, ``.svg``, ...).
    color_by : {"region", "linear", "class"}
        ``"region"``: a proper colouring of the region graph (networkx's
        greedy colouring), so regions sharing an edge never share a colour.
        ``"linear"``: one colour per linear region given by `groups`.
        ``"class"``: each region split exactly into the parts where each
        class is predicted, coloured by class, with a legend (a graph needs
        its ``affine_map`` attributes).
    groups : list of sets of node ids, optional
        The linear regions, e.g. from ``polyregions.analysis.linear.linear_regions(G)``;
        needed for ``color_by="linear"``. Regions in no group are grey.
    boundary : "auto", list or None
        ``"auto"`` (the default): the decision boundary of a classifier (two
        outputs or more) given as a RegionComplex, as ``polyregions plot``
        draws it; nothing for a graph or a single output. A list: segments
        ``((x1, y1), (x2, y2))`` or pieces with ``vertices`` and ``rays`` (the
        decision boundary's ``pieces``; a ray is drawn out to the edge).
        None: no boundary. It is drawn thick and black on top.
    ax : matplotlib Axes, optional
        Draw into it; otherwise a new ``figsize`` figure at ``dpi`` is made
        (so a PNG is ``figsize * dpi`` pixels).
    view : (x_lo, x_hi, y_lo, y_hi), optional
        Show only this box (see :func:`region_polygons`). By default a
        bounded domain is shown whole, and with unbounded regions the box of
        :func:`default_view` (the bounded regions and the boundary).
    title : str, optional
        Defaults to the number of regions (and of linear regions, or classes).

    Returns
    -------
    matplotlib.axes.Axes
        Its first collection holds one polygon per region shown, in node
        order (by class: one per class part, then the regions' outlines).

    Raises
    ------
    DomainError
        When the domain is not 2-D.
    ExportError
        When matplotlib is missing, an argument is invalid, or the file
        cannot be written.

    Examples
    --------
    >>> from polyregions import Network, ReluLayer, LinearLayer, WholeSpace, enumerate_regions
    >>> net = Network(2, [ReluLayer([[1, 0], [0, 1]], [0, 0]), LinearLayer([[1, 0], [0, 1]], [0, 0])])
    >>> ax = plot_regions(enumerate_regions(net, WholeSpace(2)), color_by="class")
    >>> [t.get_text() for t in ax.get_legend().get_texts()]
    ['class 0', 'class 1']
    """
    _matplotlib()
    _check_colouring(color_by, groups)
    if path is not None:
        check_figure_path(path)
    polytopes, dim = _regions(regions)
    if dim != 2:
        raise DomainError(f"region plots need a 2-D domain or slice, this one is {dim}-D")
    graph = _adjacency(regions) if color_by == "region" or boundary == "auto" else None
    if boundary == "auto":
        boundary = _classifier_boundary(regions, graph)
    if view is None and not all(p.is_bounded for p in polytopes.values()):
        view = _frame(polytopes, boundary)
    polygons, box = _polygons(polytopes, view)
    figure, ax = _axes(ax, figsize, dpi)
    shown = _draw_colouring(ax, regions, polygons, (color_by, groups, graph), box)
    if boundary:
        _draw_boundary(ax, _segments(boundary, box))
    _frame_axes(ax, box, _describe(regions)["kind"])
    if title is None:
        title = _title(len(regions), len(polygons), groups if color_by == "linear" else None,
                       _describe(regions), shown)
    ax.set_title(title)
    _save(ax, figure, path, dpi)
    return ax


def default_view(regions: "RegionComplex | nx.Graph", boundary: Sequence[Any] | None = None) -> Box4:
    """The square :func:`plot_regions` shows by default when some region is unbounded.

    It frames the vertices of the bounded regions and of the `boundary`
    (segments or pieces, as :func:`plot_regions` takes them) with a margin of
    a tenth of their extent on every side; with neither, all vertices. The
    shorter side is widened to a square, so the figure has no empty bands.

    Examples
    --------
    >>> from polyregions import Network, ReluLayer, WholeSpace, enumerate_regions
    >>> net = Network(2, [ReluLayer([[1, 0], [0, 1], [1, 1]], [0, 0, -4])])
    >>> [str(v) for v in default_view(enumerate_regions(net, WholeSpace(2)))]
    ['-2/5', '22/5', '-2/5', '22/5']
    """
    return _frame(_regions(regions)[0], boundary)


def _frame(polytopes, boundary):
    points = [v for p in polytopes.values() if p.is_bounded for v in p.vertices]
    points += [tuple(Fraction(c) for c in v) for item in boundary or ()
               for v in (item.vertices if hasattr(item, "vertices") else item)]
    if not points:
        points = [v for p in polytopes.values() for v in p.vertices]
    x_lo, x_hi, y_lo, y_hi = _bounds(points)
    half = max(x_hi - x_lo, y_hi - y_lo, Fraction(1)) * 6 / 10  # half of a tenth more each side
    cx, cy = (x_lo + x_hi) / 2, (y_lo + y_hi) / 2
    return cx - half, cx + half, cy - half, cy + half


def _adjacency(regions):
    """The region graph (given, or built without the measures the colouring does not need)."""
    if not isinstance(regions, RegionComplex):
        return regions
    from ..analysis.graph import region_graph

    return region_graph(regions, volumes=False, facet_measures=False, points=False, maps=False)


def _classifier_boundary(regions, graph):
    """The decision boundary's pieces of a classifier's RegionComplex, else None."""
    if not isinstance(regions, RegionComplex) or regions.network.output_dim < 2:
        return None
    from ..analysis.decision import decision_boundary

    return list(decision_boundary(regions, graph).pieces)


def _frame_axes(ax, box, kind):
    ax.set_xlim(float(box[0]), float(box[1]))
    ax.set_ylim(float(box[2]), float(box[3]))
    ax.set_aspect("equal")
    names = ("s", "t") if kind == "slice" else ("x1", "x2")
    ax.set_xlabel(names[0])
    ax.set_ylabel(names[1])


def _check_colouring(color_by, groups):
    if color_by not in ("region", "linear", "class"):
        raise ExportError(f"color_by must be 'region', 'linear' or 'class', got {color_by!r}")
    if color_by == "linear" and groups is None:
        raise ExportError("color_by='linear' needs groups=linear_regions(G)")


def _axes(ax, figsize, dpi):
    """``(figure, ax)``: a new figure of `figsize` at `dpi` and its axes, or ``(None, ax)``."""
    if ax is not None:
        return None, ax
    _, Figure, FigureCanvasAgg = _matplotlib()
    figure = Figure(figsize=figsize, dpi=dpi, layout="constrained")
    FigureCanvasAgg(figure)
    return figure, figure.add_subplot()


def _draw_colouring(ax, regions, polygons, colouring, box):
    """Fill the regions as `colouring` ``(color_by, groups, graph)`` says; the classes drawn, or None."""
    color_by, groups, graph = colouring
    nodes = list(polygons)
    rings = [polygons[n] for n in nodes]
    if color_by == "class":
        return _draw_classes(ax, regions, nodes, rings, box)
    _draw_regions(ax, rings, region_colours(graph, nodes, color_by, groups), color_by)
    return None


def region_colours(graph: "nx.Graph", nodes: Sequence[int], color_by: str = "region",
                   groups: Sequence[Any] | None = None) -> list[tuple[float, float, float, float]]:
    """The RGBA fill of each of `nodes`: a proper colouring of `graph` (``"region"``:
    neighbours never share a colour) or one colour per linear region of `groups`
    (``"linear"``; grey for a region in none). The figures and the interactive page share it.

    Examples
    --------
    >>> import networkx as nx
    >>> colours = region_colours(nx.path_graph(3), [0, 1, 2])
    >>> colours[0] != colours[1] and colours[0] == colours[2]
    True
    """
    _matplotlib()  # a one-line error when matplotlib is missing
    if color_by == "region":
        return _proper_colors(graph, nodes)
    return _group_colors(nodes, groups)


def _proper_colors(graph, nodes):
    """Colours from a greedy colouring of the region graph: neighbours never share one."""
    import networkx as nx

    colouring = nx.greedy_color(graph, strategy="largest_first")
    palette = _palette(max(colouring.values(), default=0) + 1)
    return [palette[colouring[n]] for n in nodes]


def _palette(count):
    """`count` distinct colours: soft Set2 up to 8, tab20 (dark shades first) up to 20, then
    a sampled map: light enough for the black boundary to stand out."""
    import matplotlib

    if count <= 8:
        return [matplotlib.colormaps["Set2"](k) for k in range(count)]
    if count <= 20:
        return [matplotlib.colormaps[_PALETTE](_spread(k)) for k in range(count)]
    return [matplotlib.colormaps["turbo"]((k + 0.5) / count) for k in range(count)]


def _group_colors(nodes, groups):
    """One colour per linear region (grey for a region in none)."""
    import matplotlib

    palette = matplotlib.colormaps[_PALETTE]
    group_of = {n: g for g, members in enumerate(groups or ()) for n in members}
    return [palette(_spread(group_of[n])) if n in group_of else (0.8, 0.8, 0.8, 1.0) for n in nodes]


def _draw_regions(ax, rings, colors, color_by):
    from matplotlib.collections import PolyCollection

    width = 0.6 if len(rings) < 200 else 0.25
    # Coloured by linear region, the facets inside one linear region stay faint.
    edge = (0.15, 0.15, 0.15, 0.8 if color_by == "region" else 0.3)
    ax.add_collection(PolyCollection([[(float(x), float(y)) for x, y in ring] for ring in rings],
                                     facecolors=colors, edgecolors=edge, linewidths=width))


def _draw_classes(ax, regions, nodes, rings, box):
    """The class parts filled by class, the regions outlined faintly, a legend; the classes."""
    import matplotlib
    from matplotlib.collections import PolyCollection
    from matplotlib.patches import Patch

    parts, _ = _cut(_class_parts(regions, nodes), box, skip_outside=True)
    palette = matplotlib.colormaps["tab10"]
    colors = [palette(k % 10) for _, k in parts]
    # Edges in the face colour: no seams between the parts of one class.
    ax.add_collection(PolyCollection([[(float(x), float(y)) for x, y in ring]
                                      for ring in parts.values()],
                                     facecolors=colors, edgecolors=colors, linewidths=0.5))
    ax.add_collection(PolyCollection([[(float(x), float(y)) for x, y in ring] for ring in rings],
                                     facecolors="none", edgecolors=(0.1, 0.1, 0.1, 0.35),
                                     linewidths=0.3 if len(rings) >= 200 else 0.5))
    classes = sorted({k for _, k in parts})
    ax.legend([Patch(facecolor=palette(k % 10)) for k in classes], [f"class {k}" for k in classes],
              loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False, title="predicted")
    return classes


def _class_parts(regions, nodes):
    """``(node, k)`` -> the polytope of region `node` where class ``k`` is predicted.

    On a region the outputs are affine, ``y_k = c_k + A_k . x``: class ``k``'s
    part is the region with ``y_k >= y_j`` for every other ``j`` (exact rows);
    an output equal to a lower-index one is never predicted (ties go low).
    """
    parts = {}
    for node in nodes:
        poly, (matrix, offset) = _region_and_map(regions, node)
        outputs = [(c, *row) for row, c in zip(matrix, offset)]
        for k, mine in enumerate(outputs):
            if mine in outputs[:k]:
                continue
            rows = [tuple(a - b for a, b in zip(mine, other)) for j, other in enumerate(outputs)
                    if j != k and other != mine]
            try:
                parts[node, k] = HPolytope.from_inequalities(list(poly.rows) + rows, 2)
            except DomainError:  # class k wins nowhere here, or on a line only
                continue
    return parts


def _region_and_map(regions, node):
    if isinstance(regions, RegionComplex):
        return regions[node].polytope, regions[node].affine_map
    data = regions.nodes[node]
    if data.get("affine_map") is None:
        raise ExportError("color_by='class' needs a graph with affine maps (region_graph(result))")
    return HPolytope.from_inequalities(data["inequalities"], 2), data["affine_map"]


def _draw_boundary(ax, segments):
    from matplotlib.collections import LineCollection

    ax.add_collection(LineCollection(
        [[(float(x), float(y)) for x, y in segment] for segment in segments],
        colors="black", linewidths=2.2, capstyle="round", zorder=3))


def _describe(regions):
    """The domain's dimension and kind, and whether the enumeration is complete."""
    if isinstance(regions, RegionComplex):
        return {"dim": regions.domain.dim, "kind": regions.domain.kind,
                "complete": regions.complete}
    graph = getattr(regions, "graph", None)
    if not isinstance(graph, dict) or "dim" not in graph:
        raise ExportError("plot_regions takes a RegionComplex or the graph of region_graph")
    return {"dim": graph["dim"], "kind": (graph.get("domain") or {}).get("kind"),
            "complete": graph.get("complete", True)}


def _regions(regions):
    """Polytopes by node id (rebuilt from a graph's inequalities), and the domain's dimension."""
    dim = _describe(regions)["dim"]
    if isinstance(regions, RegionComplex):
        return {i: r.polytope for i, r in enumerate(regions)}, dim
    if dim != 2:
        return {}, dim
    return {n: HPolytope.from_inequalities(d["inequalities"], dim)
            for n, d in regions.nodes(data=True)}, dim


def _segments(boundary, box):
    """Point pairs; a piece with rays becomes segments reaching beyond `box`."""
    reach = (box[1] - box[0]) + (box[3] - box[2])
    segments = []
    for item in boundary:
        if not hasattr(item, "vertices"):
            segments.append(tuple(item))
            continue
        vertices, rays = list(item.vertices), list(getattr(item, "rays", ()))
        if len(vertices) >= 2:
            segments.append((vertices[0], vertices[-1]))
        for ray in rays if vertices else ():
            scale = reach / max(abs(Fraction(d)) for d in ray)
            start = vertices[0]
            segments.append((start, tuple(a + scale * Fraction(d) for a, d in zip(start, ray))))
    return segments


def _bounds(points):
    xs = [p[0] for p in points] or [Fraction(-1), Fraction(1)]
    ys = [p[1] for p in points] or [Fraction(-1), Fraction(1)]
    return min(xs), max(xs), min(ys), max(ys)


def _ordered(vertices):
    """The vertices of a convex polygon counter-clockwise, by an exact angular comparison.

    Around the (exact) mean ``c`` of the vertices, ``v`` comes before ``w`` when
    it lies in an earlier half-plane (``y >= 0`` side first), or in the same one
    with ``cross(v - c, w - c) > 0``.
    """
    cx = sum(v[0] for v in vertices) / len(vertices)
    cy = sum(v[1] for v in vertices) / len(vertices)

    def key(v):
        dx, dy = v[0] - cx, v[1] - cy
        return 0 if dy > 0 or (dy == 0 and dx > 0) else 1, dx, dy

    def compare(a, b):
        if a[0] != b[0]:
            return a[0] - b[0]
        cross = a[1] * b[2] - a[2] * b[1]
        return -1 if cross > 0 else (1 if cross < 0 else 0)

    keyed = sorted(((key(v), v) for v in vertices),
                   key=functools.cmp_to_key(lambda a, b: compare(a[0], b[0])))
    return [v for _, v in keyed]


def _spread(k):
    """The k-th colour of a 20-colour palette, dark and light shades interleaved."""
    k %= 20
    return ((k % 10) * 2 + (k // 10)) / 20 + 1 / 40


def _title(total, shown, groups, info, classes=None):
    text = f"{total:,} activation region{'s' if total != 1 else ''}"
    if groups is not None:
        text += f", {len(groups):,} linear region{'s' if len(groups) != 1 else ''}"
    if classes is not None:
        text += f", {len(classes)} class{'es' if len(classes) != 1 else ''} predicted"
    if shown != total:
        text += f" ({shown:,} in view)"
    if not info.get("complete", True):
        text += " (partial)"
    return text


def bias_entry_name(entry: Sequence[int]) -> str:
    """``b[layer][unit]``, with ``[piece]`` for a maxout piece: how a varied bias entry is named.

    Examples
    --------
    >>> bias_entry_name((0, 1)), bias_entry_name((1, 0, 2))
    ('b[0][1]', 'b[1][0][2]')
    """
    return "b" + "".join(f"[{v}]" for v in entry)


def plot_cells(cells: Sequence[Any], path: str | os.PathLike[str] | None = None, *, lower: Any = None,
               upper: Any = None, entries: Sequence[Sequence[int]] | None = None, ax: Any = None,
               title: str | None = None, figsize: tuple[float, float] = (6, 6),
               dpi: int = 150) -> Any:
    """Draw the parameter cells of a 1-D or 2-D bias slice (see :mod:`polyregions.params.cells`).

    A 2-D slice is drawn as its cell map: every cell coloured by its number of
    activation regions (a sequential colour map with a colour bar), the number
    written in the cells that have room for it (the colour tells the rest), dark
    lines between cells (edges between pieces of one cell are not drawn). A 1-D
    slice is drawn as a step plot of the number of regions over the bias value,
    each step labelled where it is wide enough. Coordinates become floats only
    for drawing.

    Parameters
    ----------
    cells : list of Cell
        From :func:`polyregions.params.cells.bias_slice_cells`.
    path : str or path-like, optional
        Write the figure there (``.png``, ``.pdf``, ``.svg``, ...).
    lower, upper : exact numbers, optional
        The slice's range (default: read off the cells).
    entries : list of (layer, unit[, piece]), optional
        The varied bias entries, as given to ``bias_slice_cells``: the axes are
        named after them (:func:`bias_entry_name`), else "bias 1", "bias 2".
    ax : matplotlib Axes, optional
    title : str, optional

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    DomainError
        When the slice is neither 1-D nor 2-D, or there are no cells.
    ExportError
        When matplotlib is missing or the file cannot be written.

    Examples
    --------
    >>> from polyregions import Network, ReluLayer, Box
    >>> from polyregions.params.cells import bias_slice_cells
    >>> net = Network(1, [ReluLayer([[1], [1]], [0, 0])])
    >>> cells = bias_slice_cells(net, Box.cube(1, -1, 1), [(0, 0)], -2, 2)
    >>> plot_cells(cells, entries=[(0, 0)]).get_xlabel()
    'b[0][0]'
    """
    _matplotlib()  # a one-line error when matplotlib is missing
    if not cells:
        raise DomainError("there are no cells to draw")
    dim = cells[0].dim
    if dim not in (1, 2):
        raise DomainError(f"cell maps are drawn for 1-D and 2-D slices, this one is {dim}-D")
    if path is not None:
        check_figure_path(path)
    # Square axes beside a colour bar (2-D), a wide strip (1-D): no empty bands.
    figure, ax = _axes(ax, (figsize[0], figsize[1] * (0.84 if dim == 2 else 0.6)), dpi)
    vertices = [v for c in cells for p in c.pieces for v in p.vertices]
    lo = Fraction(lower) if lower is not None else min(min(v) for v in vertices)
    hi = Fraction(upper) if upper is not None else max(max(v) for v in vertices)
    names = ([bias_entry_name(e) for e in entries] if entries is not None
             else [f"bias {k + 1}" for k in range(dim)] if dim == 2 else ["bias"])
    ax.set_xlim(float(lo), float(hi))
    if dim == 2:
        ax.set(ylim=(float(lo), float(hi)), aspect="equal", xlabel=names[0], ylabel=names[1])
        draw_cell_map(ax, [([p.vertices for p in c.pieces], c.activation_regions,
                            c.interior_point) for c in cells], colour_bar=figure is not None)
    else:
        ax.set(xlabel=names[0], ylabel="activation regions")
        _draw_count_steps(ax, cells, hi - lo)
    counts = [c.activation_regions for c in cells]
    if title is None:
        title = (f"{len(cells)} parameter cell{'s' if len(cells) != 1 else ''}, "
                 f"{min(counts)} to {max(counts)} regions")
    ax.set_title(title)
    _save(ax, figure, path, dpi)
    return ax


def draw_cell_map(ax: Any,
                  cells: Sequence[tuple[Sequence[Sequence[Any]], int, Sequence[Any] | None]],
                  colour_bar: bool = True) -> Any:
    """Draw a 2-D cell map on `ax`: the cells coloured and labelled by their counts.

    The drawing of :func:`plot_cells`, for callers that hold a cell's geometry
    rather than its :class:`~polyregions.params.cells.Cell` (read back from a
    file, for instance). Dark lines separate cells; edges between pieces of one
    cell are not drawn. A count is written only where its label fits inside
    the cell without touching another label (larger cells first); the colour
    tells the rest. Set the axes' limits first: label sizes are measured in them.

    Parameters
    ----------
    ax : matplotlib Axes
    cells : sequence of ``(pieces, count, point)``
        ``pieces``: the exact vertices of each convex piece of the cell (any
        order; pieces meet face to face); ``count``: its number of activation
        regions; ``point``: where to write it (None: not written).
    colour_bar : bool
        Add a colour bar of the counts beside `ax`.

    Returns
    -------
    matplotlib.colors.Normalize
        The colour scale used (counts to ``[0, 1]``).

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> ax = Figure().add_subplot(xlim=(0, 1), ylim=(0, 1))
    >>> square = [(0, 0), (1, 0), (1, 1), (0, 1)]
    >>> norm = draw_cell_map(ax, [([square], 3, (0.5, 0.5))])
    >>> float(norm.vmin), float(norm.vmax), [t.get_text() for t in ax.texts]
    (2.5, 3.5, ['3'])
    """
    import matplotlib
    from matplotlib.collections import LineCollection, PolyCollection
    from matplotlib.colors import Normalize

    counts = [count for _, count, _ in cells]
    norm = Normalize(vmin=min(counts) - 0.5, vmax=max(counts) + 0.5)
    cmap = matplotlib.colormaps["viridis"]
    rings = [[_ordered([tuple(Fraction(v) for v in vertex) for vertex in piece]) for piece in pieces]
             for pieces, _, _ in cells]
    colors = [cmap(norm(count)) for ring, count in zip(rings, counts) for _ in ring]
    polygons = [[(float(x), float(y)) for x, y in piece] for ring in rings for piece in ring]
    # Edges in the face colour hide the seams between pieces of one cell.
    ax.add_collection(PolyCollection(polygons, facecolors=colors, edgecolors=colors,
                                     linewidths=1.0))
    borders, outline = _cell_edges(rings)
    ax.add_collection(LineCollection(borders, colors="black", linewidths=1.0))
    ax.add_collection(LineCollection(outline, colors="black", linewidths=0.6, alpha=0.5))
    size = 8 if len(cells) < 60 else 6
    for (_, count, _), (x, y) in _label_places(ax, cells, rings, size):
        ax.text(x, y, str(count), ha="center", va="center", fontsize=size,
                color="white" if norm(count) < 0.6 else "black")
    if colour_bar:
        _count_bar(ax, norm, cmap)
    return norm


def _cell_edges(rings):
    """``(borders, outline)``: edges between two cells, and edges of one cell only."""
    owners: dict[frozenset[tuple[Fraction, ...]], list[int]] = {}
    for index, ring in enumerate(rings):
        for piece in ring:
            # The arrangement's regions meet face to face, so a shared edge is an edge of both.
            for a, b in zip(piece, piece[1:] + piece[:1]):
                owners.setdefault(frozenset((a, b)), []).append(index)
    borders = [[(float(x), float(y)) for x, y in edge] for edge, who in owners.items()
               if len(set(who)) > 1]
    outline = [[(float(x), float(y)) for x, y in edge] for edge, who in owners.items()
               if len(who) == 1]
    return borders, outline


def _label_places(ax, cells, rings, size):
    """``(cell, (x, y))`` for the labels that fit: their box inside the cell, apart from others.

    Floats decide only where a label goes. Larger cells are served first; a
    cell's own point is tried, then the centre of its largest piece.
    """
    width, height = _data_per_point(ax)
    order = sorted(range(len(cells)), key=lambda i: -sum(_float_area(p) for p in rings[i]))
    placed: list[tuple[float, float, float, float]] = []
    found = []
    for index in order:
        _, count, point = cells[index]
        if point is None:
            continue
        half_w, half_h = 0.65 * size * len(str(count)) * width / 2, 1.2 * size * height / 2
        pieces = [[(float(x), float(y)) for x, y in piece] for piece in rings[index]]
        largest = max(pieces, key=_float_area)
        for x, y in [tuple(float(Fraction(c)) for c in point),
                     (sum(p[0] for p in largest) / len(largest), sum(p[1] for p in largest) / len(largest))]:
            box = (x - half_w, x + half_w, y - half_h, y + half_h)
            corners = [(box[i], box[j]) for i in (0, 1) for j in (2, 3)]
            if (all(any(_inside(c, piece) for piece in pieces) for c in corners)
                    and not any(_overlap(box, other) for other in placed)):
                placed.append(box)
                found.append((cells[index], (x, y)))
                break
    return found


def _data_per_point(ax):
    """Data units per typographic point along x and y, from the axes' size and limits."""
    figure = ax.figure
    box = ax.get_position()
    inches = (box.width * figure.get_figwidth(), box.height * figure.get_figheight())
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    # Equal aspect: the axes shrink to the data's shape inside the given box.
    side = min(inches) if ax.get_aspect() == 1.0 else None
    return ((x1 - x0) / ((side or inches[0]) * 72), (y1 - y0) / ((side or inches[1]) * 72))


def _float_area(ring):
    return abs(sum(float(a[0]) * float(b[1]) - float(b[0]) * float(a[1])
                   for a, b in zip(ring, ring[1:] + ring[:1]))) / 2


def _inside(point, ring):
    """Whether `point` is in the counter-clockwise convex polygon `ring` (floats)."""
    x, y = point
    return all((b[0] - a[0]) * (y - a[1]) - (b[1] - a[1]) * (x - a[0]) >= 0
               for a, b in zip(ring, ring[1:] + ring[:1]))


def _overlap(a, b):
    return a[0] < b[1] and b[0] < a[1] and a[2] < b[3] and b[2] < a[3]


def _count_bar(ax, norm, cmap):
    from matplotlib.cm import ScalarMappable
    from matplotlib.ticker import MaxNLocator

    bar = ax.figure.colorbar(ScalarMappable(norm=norm, cmap=cmap), ax=ax, shrink=0.8)
    bar.locator = MaxNLocator(integer=True)
    bar.update_ticks()
    bar.set_label("activation regions")


def _draw_count_steps(ax, cells, span):
    """Each cell's intervals as a step at its count, labelled where wider than a twentieth."""
    from matplotlib.ticker import MaxNLocator

    intervals = sorted((min(v[0] for v in p.vertices), max(v[0] for v in p.vertices),
                        cell.activation_regions) for cell in cells for p in cell.pieces)
    ax.hlines([c for _, _, c in intervals], [float(a) for a, _, _ in intervals],
              [float(b) for _, b, _ in intervals], colors="C0", linewidths=2)
    for (_, b, c), (_, _, c2) in zip(intervals, intervals[1:]):
        ax.vlines(float(b), min(c, c2), max(c, c2), colors="C0", linewidths=0.8,
                  linestyles="dotted")
    runs: list[list[Any]] = []  # touching intervals of one count (pieces of one cell) as one
    for a, b, c in intervals:
        if runs and runs[-1][1] == a and runs[-1][2] == c:
            runs[-1][1] = b
        else:
            runs.append([a, b, c])
    for a, b, c in runs:
        if b - a >= span / 20:
            ax.text(float((a + b) / 2), c, str(c), ha="center", va="bottom", fontsize=8)
    counts = [c for _, _, c in intervals]
    ax.set_ylim(min(counts) - 0.5, max(counts) + 0.9)  # room for the labels above the top step
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))


def _save(ax, figure, path, dpi):
    """Write the figure (our own, at `dpi`, or the caller's axes' figure) when `path` is given."""
    if path is None:
        return
    target = figure if figure is not None else ax.figure
    try:
        target.savefig(path, dpi=dpi if figure is not None else None)
    except OSError as err:
        raise ExportError.cannot_write(path, err) from err
