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

__all__ = ["plot_regions", "region_polygons", "figure_formats", "check_figure_path", "view_box",
           "plot_cells", "draw_cell_map"]

Point = tuple[Fraction, Fraction]
Box4 = tuple[Fraction, Fraction, Fraction, Fraction]
"""A drawing box ``(x_lo, x_hi, y_lo, y_hi)``, exact."""

# Qualitative colours: matplotlib's tab20, cycled ten dark shades first, then the
# ten light ones (see _spread), so that regions next in the engine's order differ.
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
    """`view` as four exact numbers ``x_lo < x_hi``, ``y_lo < y_hi``, or raise DomainError."""
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
                 boundary: Sequence[Any] | None = None, ax: Any = None,
                 view: Sequence[Any] | None = None, title: str | None = None,
                 figsize: tuple[float, float] = (6, 6), dpi: int = 150) -> Any:
    """Draw the activation regions of a 2-D domain or slice.

    Parameters
    ----------
    regions : RegionComplex or networkx.Graph
        An enumeration of a 2-D domain or slice, or its region graph.
    path : str or path-like, optional
        Write the figure there (``.png``, ``.pdf``, ``.svg``, ...).
    color_by : {"region", "linear"}
        One colour per activation region (cycling through a qualitative
        palette), or one per linear region given by `groups`.
    groups : list of sets of node ids, optional
        The linear regions, e.g. from ``polyregions.analysis.linear.linear_regions(G)``;
        needed for ``color_by="linear"``. Regions in no group are grey.
    boundary : list of ((x1, y1), (x2, y2)), optional
        Segments drawn thick and black on top, e.g. the decision boundary's
        ``segments_2d()``. Entries may also be pieces with ``vertices`` and
        ``rays`` (the decision boundary's ``pieces``): a ray is drawn out to
        the edge of the figure.
    ax : matplotlib Axes, optional
        Draw into it; otherwise a new ``figsize`` figure at ``dpi`` is made
        (so a PNG is ``figsize * dpi`` pixels).
    view : (x_lo, x_hi, y_lo, y_hi), optional
        Show only this box (see :func:`region_polygons`). By default the
        figure shows every region: the domain, or for unbounded regions a
        square around all vertices, which far-away vertices can make large.
    title : str, optional
        Defaults to the number of regions (and of linear regions).

    Returns
    -------
    matplotlib.axes.Axes
        Its first collection holds one polygon per region shown, in node order.

    Raises
    ------
    DomainError
        When the domain is not 2-D.
    ExportError
        When matplotlib is missing, an argument is invalid, or the file
        cannot be written.
    """
    matplotlib, _, _ = _matplotlib()
    _check_colouring(color_by, groups)
    if path is not None:
        check_figure_path(path)
    polygons, box = region_polygons(regions, view)
    info = _describe(regions)
    nodes = list(polygons)
    figure, ax = _axes(ax, figsize, dpi)
    _draw_regions(ax, [polygons[n] for n in nodes],
                  _region_colors(matplotlib.colormaps[_PALETTE], nodes, color_by, groups), color_by)
    if boundary:
        _draw_boundary(ax, _segments(boundary, box))
    ax.set_xlim(float(box[0]), float(box[1]))
    ax.set_ylim(float(box[2]), float(box[3]))
    ax.set_aspect("equal")
    names = ("s", "t") if info["kind"] == "slice" else ("x1", "x2")
    ax.set_xlabel(names[0])
    ax.set_ylabel(names[1])
    if title is None:
        title = _title(len(regions), len(nodes), groups if color_by == "linear" else None, info)
    ax.set_title(title)
    _save(ax, figure, path, dpi)
    return ax


def _check_colouring(color_by, groups):
    if color_by not in ("region", "linear"):
        raise ExportError(f"color_by must be 'region' or 'linear', got {color_by!r}")
    if color_by == "linear" and groups is None:
        raise ExportError("color_by='linear' needs groups=linear_regions(G)")


def _axes(ax, figsize, dpi):
    """``(figure, ax)``: a new figure of `figsize` at `dpi` and its axes, or ``(None, ax)``."""
    if ax is not None:
        return None, ax
    _, Figure, FigureCanvasAgg = _matplotlib()
    figure = Figure(figsize=figsize, dpi=dpi)
    FigureCanvasAgg(figure)
    return figure, figure.add_subplot()


def _region_colors(palette, nodes, color_by, groups):
    """One colour per region: cycling through the palette, or by linear region (grey if none)."""
    if color_by != "linear":
        return [palette(_spread(k)) for k in range(len(nodes))]
    group_of = {n: g for g, members in enumerate(groups or ()) for n in members}
    return [palette(_spread(group_of[n])) if n in group_of else (0.8, 0.8, 0.8, 1.0) for n in nodes]


def _draw_regions(ax, rings, colors, color_by):
    from matplotlib.collections import PolyCollection

    width = 0.6 if len(rings) < 200 else 0.25
    # Coloured by linear region, the facets inside one linear region stay faint.
    edge = (0.15, 0.15, 0.15, 0.8 if color_by == "region" else 0.3)
    ax.add_collection(PolyCollection([[(float(x), float(y)) for x, y in ring] for ring in rings],
                                     facecolors=colors, edgecolors=edge, linewidths=width))


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


def _title(total, shown, groups, info):
    text = f"{total:,} activation region{'s' if total != 1 else ''}"
    if groups is not None:
        text += f", {len(groups):,} linear region{'s' if len(groups) != 1 else ''}"
    if shown != total:
        text += f" ({shown:,} in view)"
    if not info.get("complete", True):
        text += " (partial)"
    return text


def plot_cells(cells: Sequence[Any], path: str | os.PathLike[str] | None = None, *, lower: Any = None,
               upper: Any = None, ax: Any = None, title: str | None = None,
               figsize: tuple[float, float] = (6, 6), dpi: int = 150) -> Any:
    """Draw the parameter cells of a 1-D or 2-D bias slice (see :mod:`polyregions.params.cells`).

    A 2-D slice is drawn as its cell map: every cell coloured by its number of
    activation regions (a sequential colour map with a colour bar), the number
    written in the cell, dark lines between cells (edges between pieces of one
    cell are not drawn). A 1-D slice is drawn as a step plot of the number of
    regions over the bias value. Coordinates become floats only for drawing.

    Parameters
    ----------
    cells : list of Cell
        From :func:`polyregions.params.cells.bias_slice_cells`.
    path : str or path-like, optional
        Write the figure there (``.png``, ``.pdf``, ``.svg``, ...).
    lower, upper : exact numbers, optional
        The slice's range (default: read off the cells).
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
    """
    _matplotlib()  # a one-line error when matplotlib is missing
    if not cells:
        raise DomainError("there are no cells to draw")
    dim = cells[0].dim
    if dim not in (1, 2):
        raise DomainError(f"cell maps are drawn for 1-D and 2-D slices, this one is {dim}-D")
    if path is not None:
        check_figure_path(path)
    figure, ax = _axes(ax, figsize if dim == 2 else (figsize[0], figsize[1] * 0.6), dpi)
    counts = [c.activation_regions for c in cells]
    if dim == 2:
        draw_cell_map(ax, [([p.vertices for p in c.pieces], c.activation_regions,
                            c.interior_point) for c in cells], colour_bar=figure is not None)
    else:
        _draw_count_steps(ax, cells)
    vertices = [v for c in cells for p in c.pieces for v in p.vertices]
    lo = Fraction(lower) if lower is not None else min(min(v) for v in vertices)
    hi = Fraction(upper) if upper is not None else max(max(v) for v in vertices)
    ax.set_xlim(float(lo), float(hi))
    if dim == 2:
        ax.set_ylim(float(lo), float(hi))
        ax.set_aspect("equal")
        ax.set_xlabel("bias 1")
        ax.set_ylabel("bias 2")
    else:
        ax.set_xlabel("bias")
        ax.set_ylabel("activation regions")
        ax.set_ylim(min(counts) - 0.5, max(counts) + 0.5)
        from matplotlib.ticker import MaxNLocator

        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
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
    cell are not drawn.

    Parameters
    ----------
    ax : matplotlib Axes
    cells : sequence of ``(pieces, count, point)``
        ``pieces``: the exact vertices of each convex piece of the cell (any
        order; pieces meet face to face); ``count``: its number of activation
        regions; ``point``: where to write it (None: not written, for cells
        too small to hold a label).
    colour_bar : bool
        Add a colour bar of the counts beside `ax`.

    Returns
    -------
    matplotlib.colors.Normalize
        The colour scale used (counts to ``[0, 1]``).

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> ax = Figure().add_subplot()
    >>> square = [(0, 0), (1, 0), (1, 1), (0, 1)]
    >>> norm = draw_cell_map(ax, [([square], 3, (0.5, 0.5))])
    >>> float(norm.vmin), float(norm.vmax)
    (2.5, 3.5)
    """
    import matplotlib
    from matplotlib.collections import LineCollection, PolyCollection
    from matplotlib.colors import Normalize

    counts = [count for _, count, _ in cells]
    norm = Normalize(vmin=min(counts) - 0.5, vmax=max(counts) + 0.5)
    cmap = matplotlib.colormaps["viridis"]
    polygons: list[list[tuple[float, float]]] = []
    colors: list[Any] = []
    owners: dict[frozenset[tuple[Fraction, ...]], list[int]] = {}
    for index, (pieces, count, _) in enumerate(cells):
        for piece in pieces:
            ring = _ordered([tuple(Fraction(v) for v in vertex) for vertex in piece])
            polygons.append([(float(x), float(y)) for x, y in ring])
            colors.append(cmap(norm(count)))
            # The arrangement's regions meet face to face, so a shared edge is an edge of both.
            for a, b in zip(ring, ring[1:] + ring[:1]):
                owners.setdefault(frozenset((a, b)), []).append(index)
    # Edges in the face colour hide the seams between pieces of one cell.
    ax.add_collection(PolyCollection(polygons, facecolors=colors, edgecolors=colors,
                                     linewidths=1.0))
    borders = [[(float(x), float(y)) for x, y in edge] for edge, who in owners.items()
               if len(set(who)) > 1]
    outline = [[(float(x), float(y)) for x, y in edge] for edge, who in owners.items()
               if len(who) == 1]
    ax.add_collection(LineCollection(borders, colors="black", linewidths=1.0))
    ax.add_collection(LineCollection(outline, colors="black", linewidths=0.6, alpha=0.5))
    for _, count, point in cells:
        if point is None:
            continue
        x, y = point
        ax.text(float(Fraction(x)), float(Fraction(y)), str(count), ha="center", va="center",
                fontsize=8 if len(cells) < 60 else 5, color="white" if norm(count) < 0.6 else "black")
    if colour_bar:
        _count_bar(ax, norm, cmap)
    return norm


def _count_bar(ax, norm, cmap):
    from matplotlib.cm import ScalarMappable
    from matplotlib.ticker import MaxNLocator

    bar = ax.figure.colorbar(ScalarMappable(norm=norm, cmap=cmap), ax=ax, shrink=0.8)
    bar.locator = MaxNLocator(integer=True)
    bar.update_ticks()
    bar.set_label("activation regions")


def _draw_count_steps(ax, cells):
    intervals = []
    for cell in cells:
        for piece in cell.pieces:
            ends = sorted(v[0] for v in piece.vertices)
            intervals.append((ends[0], ends[-1], cell.activation_regions))
    intervals.sort()
    ax.hlines([c for _, _, c in intervals], [float(a) for a, _, _ in intervals],
              [float(b) for _, b, _ in intervals], colors="C0", linewidths=2)
    for (_, b, c), (a2, _, c2) in zip(intervals, intervals[1:]):
        ax.vlines(float(b), min(c, c2), max(c, c2), colors="C0", linewidths=0.8,
                  linestyles="dotted")


def _save(ax, figure, path, dpi):
    """Write the figure (our own, at `dpi`, or the caller's axes' figure) when `path` is given."""
    if path is None:
        return
    target = figure if figure is not None else ax.figure
    try:
        target.savefig(path, dpi=dpi if figure is not None else None)
    except OSError as err:
        raise ExportError.cannot_write(path, err) from err
