"""Parameter cells of bias slices: where in bias space the set of activation patterns is constant.

With the weights fixed, vary ``k >= 1`` chosen bias entries over the box
``[lower, upper]^k``; the slice coordinate ``theta_j`` *is* the value of the
j-th chosen bias (the model's own value of that entry is replaced). The slice
splits into full-dimensional **parameter cells** (``docs/theory.md``): maximal
connected open sets on which the set of realized activation patterns, hence the
number of activation regions, is constant.

How (all exact, see ``docs/parameters.md``):

1. On every activation pattern the network is jointly affine in the input ``x``
   and ``theta``. The *augmented network* takes ``(x, theta)``: every layer keeps
   its units (ReLU and leaky ReLU become rank-2 maxout units with the same piece
   order), a varied bias becomes weight 1 on its ``theta`` input, and ``k``
   rank-1 passthrough units copy ``theta`` to the next layer. Its regions
   ``P_J`` on ``domain x [lower, upper]^k`` come from the engine.
2. Pattern ``J`` has a full-dimensional region at ``theta`` exactly when
   ``theta`` is in the interior of the projection ``Pi_J`` of ``P_J`` (the
   convex hull of the projected vertices, by cddlib in GMP arithmetic).
3. The facet hyperplanes of all ``Pi_J`` form an arrangement whose regions are
   enumerated by the engine as the regions of one ReLU layer on the box; no
   region meets a facet of a ``Pi_J`` in its interior, so the pattern set is
   constant on it. Regions adjacent in :func:`polyregions.region_graph` with
   equal pattern sets are merged into the cells.
"""

from collections.abc import Iterable, Sequence
from fractions import Fraction
from typing import Any

import cdd.gmp as _cdd
import networkx as nx

from ..analysis.graph import region_graph
from ..domain import Box, Domain, PolytopeDomain
from ..enumeration.run import enumerate_regions
from ..errors import DomainError, LimitReached
from ..geometry.hyperplane import canonical_hyperplane
from ..geometry.polytope import HPolytope, facet_rows
from ..immutable import Immutable
from ..network import LeakyReluLayer, LinearLayer, MaxoutLayer, Network, ReluLayer
from ..numbers import integer_vector, primitive_vector, to_fraction_or

__all__ = ["Cell", "bias_slice_cells", "network_with_biases", "parse_entries"]

Pattern = tuple[tuple[int, ...], ...]
BiasEntry = tuple[int, int, int | None]  # (layer, unit, piece); piece None unless maxout


def _bounded_volume(piece: HPolytope) -> Fraction:
    """The volume of a cell's piece; pieces lie in the bounded bias box, so it always has one."""
    volume = piece.volume()
    if volume is None:
        raise ValueError(f"a parameter cell piece is unbounded: {piece!r}")
    return volume


class Cell(Immutable):
    """One parameter cell of a bias slice, exact and immutable.

    Attributes
    ----------
    index : int
        Its position in the list returned by :func:`bias_slice_cells`.
    pieces : tuple of HPolytope
        Convex polytopes in slice coordinates (regions of the arrangement of
        all projection facets) whose union is the cell; their interiors are
        disjoint.
    polytope : HPolytope or None
        The cell as one H-polytope when it is convex, else None.
    measure : Fraction
        Its exact length (1-D), area (2-D) or volume: the sum over the pieces.
    patterns : tuple of tuples
        The activation patterns of the original network realized with a
        full-dimensional region at every interior point, sorted.
    activation_regions : int
        ``len(patterns)``: the number of activation regions there.
    interior_point : tuple of Fraction
        A rational point in the interior of the cell (of its largest piece).
    neighbours : tuple of int
        Indices of the cells sharing a facet with it.

    Examples
    --------
    ``relu(x + b0), relu(x + b1)`` on ``[-1, 1]`` with both biases in ``[-2, 2]``: 10 cells,
    whose areas sum to the slice's 16:

    >>> from polyregions import Box, Network, ReluLayer
    >>> net = Network(1, [ReluLayer([[1], [1]], [0, 0])])
    >>> cells = bias_slice_cells(net, Box([-1], [1]), [(0, 0), (0, 1)], -2, 2)
    >>> len(cells), sum(cell.measure for cell in cells), sorted({c.activation_regions for c in cells})
    (10, Fraction(16, 1), [1, 2, 3])
    """

    __slots__ = ("index", "pieces", "polytope", "measure", "patterns", "activation_regions",
                 "interior_point", "neighbours")
    index: int
    pieces: tuple[HPolytope, ...]
    polytope: HPolytope | None
    measure: Fraction
    patterns: tuple[Pattern, ...]
    activation_regions: int
    interior_point: tuple[Fraction, ...]
    neighbours: tuple[int, ...]

    def __init__(self, index: int, pieces: Iterable[HPolytope], patterns: Iterable[Pattern],
                 neighbours: Iterable[int]) -> None:
        """The cell made of `pieces`; its measure, polytope and interior point follow from them."""
        pieces = tuple(pieces)
        volumes = [_bounded_volume(p) for p in pieces]
        measure = sum(volumes, Fraction(0))
        largest = max(range(len(pieces)), key=lambda i: (volumes[i], -i))
        patterns = tuple(patterns)
        for name, value in (("index", index), ("pieces", pieces),
                            ("polytope", _convex_union(pieces, measure)), ("measure", measure),
                            ("patterns", patterns), ("activation_regions", len(patterns)),
                            ("interior_point", tuple(pieces[largest].interior_point())),
                            ("neighbours", tuple(neighbours))):
            object.__setattr__(self, name, value)

    @property
    def dim(self) -> int:
        return self.pieces[0].dim

    def contains_in_interior(self, theta: Sequence[Any]) -> bool:
        """Whether `theta` lies in the interior of some piece (a sufficient test)."""
        return any(p.contains_in_interior(theta) for p in self.pieces)

    def __repr__(self) -> str:
        return (f"Cell({self.index}: {self.activation_regions} regions, "
                f"measure {self.measure}, {len(self.pieces)} piece(s))")


def parse_entries(network: Network, entries: Iterable[Sequence[int]]) -> tuple[BiasEntry, ...]:
    """Validate bias entries; return them as ``(layer, unit, piece)`` (piece None if not maxout).

    Raises
    ------
    DomainError
        When a layer, unit or piece does not exist, a maxout entry has no piece,
        a non-maxout entry has one, an entry repeats, or there is none.

    Examples
    --------
    The bias of unit 1 of layer 0 of a ReLU layer (no piece), and an entry that does not exist:

    >>> from polyregions import Network, ReluLayer
    >>> net = Network(1, [ReluLayer([[1], [1]], [0, 0])])
    >>> parse_entries(net, [(0, 1)])
    ((0, 1, None),)
    >>> parse_entries(net, [(0, 2)])
    Traceback (most recent call last):
        ...
    polyregions.errors.DomainError: bias entry (0, 2): layer 0 has no unit 2 (it has 2)
    """
    listed = [tuple(entry) for entry in entries]
    if not listed:
        raise DomainError("give at least one bias entry to vary")
    result: list[BiasEntry] = []
    for entry in listed:
        if len(entry) not in (2, 3) or any(isinstance(v, bool) or not isinstance(v, int)
                                            for v in entry):
            raise DomainError(f"bias entry {entry!r} must be (layer, unit) or (layer, unit, piece)")
        layer, unit = entry[0], entry[1]
        if not 0 <= layer < len(network.layers):
            raise DomainError(f"bias entry {entry}: no layer {layer} "
                              f"(the network has {len(network.layers)})")
        kind = network.layers[layer]
        if not 0 <= unit < kind.units:
            raise DomainError(f"bias entry {entry}: layer {layer} has no unit {unit} "
                              f"(it has {kind.units})")
        piece = entry[2] if len(entry) == 3 else None
        if isinstance(kind, MaxoutLayer):
            rank = kind.ranks[unit]
            if piece is None:
                raise DomainError(f"bias entry {entry}: layer {layer} is maxout, "
                                  "name the piece too (layer, unit, piece)")
            if not 0 <= piece < rank:
                raise DomainError(f"bias entry {entry}: unit {unit} of layer {layer} has no "
                                  f"piece {piece} (its rank is {rank})")
        elif piece is not None:
            raise DomainError(f"bias entry {entry}: layer {layer} is {kind.kind}, "
                              "which has one bias per unit (give layer, unit)")
        result.append((layer, unit, piece))
    if len(set(result)) != len(result):
        raise DomainError("a bias entry is named twice")
    return tuple(result)


def network_with_biases(network: Network, entries: Iterable[Sequence[int]],
                        values: Sequence[Any]) -> Network:
    """The network with the named bias entries set to `values`, exactly.

    Parameters
    ----------
    network : Network
    entries : sequence of ``(layer, unit)`` or ``(layer, unit, piece)``
        ``piece`` for maxout layers; the unit's bias for the other kinds.
    values : sequence of exact numbers

    Examples
    --------
    >>> net = Network(1, [ReluLayer([[1], [1]], [0, 0])])
    >>> network_with_biases(net, [(0, 1)], ["1/3"]).layers[0].biases
    (Fraction(0, 1), Fraction(1, 3))
    """
    chosen = parse_entries(network, entries)
    values = [to_fraction_or(DomainError, v, "bias value") for v in values]
    if len(values) != len(chosen):
        raise DomainError(f"{len(chosen)} bias entries but {len(values)} values")
    layers = [list(_layer_biases(layer)) for layer in network.layers]
    for (layer, unit, piece), value in zip(chosen, values):
        if piece is None:
            layers[layer][unit] = value
        else:
            layers[layer][unit] = layers[layer][unit][:piece] + (value,) + \
                layers[layer][unit][piece + 1:]
    return Network(network.input_dim, [_with_biases(layer, biases)
                                       for layer, biases in zip(network.layers, layers)])


def bias_slice_cells(network: Network, domain: Domain, entries: Iterable[Sequence[int]], lower: Any,
                     upper: Any, **run: Any) -> list[Cell]:
    """The parameter cells of the bias slice ``[lower, upper]^k``, exactly.

    Parameters
    ----------
    network : Network
    domain : Domain
        Where the regions are counted (any domain, slices included).
    entries : sequence of ``(layer, unit)`` or ``(layer, unit, piece)``
        The ``k`` bias entries to vary; ``piece`` for maxout layers only.
    lower, upper : exact numbers, ``lower < upper``
        Every entry's value ranges over ``[lower, upper]``.
    **run
        Keyword arguments of :func:`~polyregions.enumerate_regions` for the long
        part of the work, the enumeration of the augmented network: ``progress``
        (called with the number of its regions found so far), ``max_regions``,
        ``time_limit``, ``stop_on_interrupt``, ``workers``...

    Returns
    -------
    list of Cell
        Ordered by the engine's deterministic order of their first piece. Their
        measures sum to ``(upper - lower)^k``; in the interior of a cell the
        network (with those bias values) has exactly ``activation_regions``
        full-dimensional regions, with the patterns ``patterns``.

    Raises
    ------
    DomainError
        On a bad entry, ``lower >= upper`` or a domain of the wrong dimension.
    LimitReached
        When a limit (or Ctrl-C, with ``stop_on_interrupt``) stopped that
        enumeration: cells need all of it. Its ``stop_reason`` and ``regions``
        say why and after how many regions.

    Examples
    --------
    >>> from polyregions import Box
    >>> net = Network(1, [ReluLayer([[1], [1]], [0, 0])])
    >>> cells = bias_slice_cells(net, Box([-1], [1]), [(0, 0), (0, 1)], -2, 2)
    >>> len(cells), sorted(c.activation_regions for c in cells)
    (10, [1, 1, 1, 1, 2, 2, 2, 2, 3, 3])

    Notes
    -----
    Costs one enumeration in dimension ``dim(domain) + k``, one convex hull per
    augmented region and one enumeration of the arrangement in dimension ``k``.
    """
    chosen = parse_entries(network, entries)
    lower = to_fraction_or(DomainError, lower, "range lower bound")
    upper = to_fraction_or(DomainError, upper, "range upper bound")
    if not lower < upper:
        raise DomainError(f"range: lower bound {lower} is not below upper bound {upper}")
    domain.check_network(network)
    k, d = len(chosen), domain.dim
    augmented = _augmented_network(network, domain, chosen)
    result = enumerate_regions(augmented, _augmented_domain(domain, k, lower, upper), **run)
    if not result.complete:
        raise LimitReached(f"the cells need every region of the augmented network; a limit "
                           f"stopped its enumeration after {len(result)}",
                           stop_reason=result.stop_reason, regions=len(result))
    projections = {}
    for region in result:
        pattern = tuple(p[:-k] if p else p for p in region.pattern)
        projections[pattern] = _projection(region.polytope, d, k)
    box = Box([lower] * k, [upper] * k)
    arrangement = enumerate_regions(_arrangement_layer(projections.values(), k), box)
    labels = [frozenset(pattern for pattern, rows in projections.items()
                        if _strictly_inside(rows, region.polytope.interior_point()))
              for region in arrangement]
    return _merge(arrangement, labels)


def _layer_biases(layer):
    return layer.biases


def _with_biases(layer, biases):
    if layer.kind == "maxout":
        return MaxoutLayer(layer.weights, biases)
    if layer.kind == "relu":
        return ReluLayer(layer.weights, biases)
    if layer.kind == "leaky_relu":
        return LeakyReluLayer(layer.slope, layer.weights, biases)
    return LinearLayer(layer.weights, biases)


def _augmented_network(network, domain, entries):
    """The network on ``(s, theta)`` (s in domain coordinates), jointly affine per pattern."""
    k = len(entries)
    offset, directions = domain.input_map()
    layers = []
    for index, layer in enumerate(network.layers):
        varied = {(u, p): j for j, (at, u, p) in enumerate(entries) if at == index}
        units = []
        for u, pieces in enumerate(layer.pieces()):
            unit = []
            for p, (w, b) in enumerate(pieces):
                theta = [Fraction(0)] * k
                j = varied.get((u, p if layer.kind == "maxout" else None))
                if j is not None and not (layer.kind == "relu" and p == 0):
                    # Piece 0 of a leaky ReLU is a z: its bias is a b and theta enters as a theta.
                    scale = layer.slope if layer.kind == "leaky_relu" and p == 0 else 1
                    theta[j] = Fraction(scale)
                    b = Fraction(0)
                if index == 0:  # compose the domain's map x = offset + sum_i s_i directions[i]
                    b = b + sum((wi * oi for wi, oi in zip(w, offset)), Fraction(0))
                    w = [sum((wi * di for wi, di in zip(w, dirn)), Fraction(0))
                         for dirn in directions]
                unit.append((list(w) + theta, b))
            units.append(unit)
        width = (domain.dim if index == 0 else network.layers[index - 1].units)
        for j in range(k):
            units.append([([Fraction(0)] * width + [Fraction(int(i == j)) for i in range(k)],
                           Fraction(0))])
        if layer.has_pattern:
            layers.append(MaxoutLayer([[w for w, _ in unit] for unit in units],
                                      [[b for _, b in unit] for unit in units]))
        else:
            layers.append(LinearLayer([unit[0][0] for unit in units],
                                      [unit[0][1] for unit in units]))
    return Network(domain.dim + k, layers)


def _augmented_domain(domain, k, lower, upper):
    d = domain.dim
    rows = [list(r) + [0] * k for r in domain.polytope.rows]
    for j in range(k):
        axis = [0] * d + [int(i == j) for i in range(k)]
        rows.append([-lower] + axis)
        rows.append([upper] + [-v for v in axis])
    return PolytopeDomain(rows, d + k)


def _projection(polytope, d, k):
    """Facet rows of the projection of `polytope` onto its last `k` coordinates."""
    points = {primitive_vector((p[0],) + p[1 + d:]) for p in polytope.point_rows}
    rays = {primitive_vector((0,) + r[1 + d:]) for r in polytope.ray_rows + polytope.line_rows
            if any(r[1 + d:])}
    rays |= {primitive_vector((0,) + tuple(-v for v in r[1 + d:])) for r in polytope.line_rows
             if any(r[1 + d:])}
    points, rays = tuple(sorted(points)), tuple(sorted(rays))
    matrix = _cdd.matrix_from_array([list(g) for g in points + rays],
                                    rep_type=_cdd.RepType.GENERATOR)
    inequalities = _cdd.copy_inequalities(_cdd.polyhedron_from_matrix(matrix))
    if inequalities.lin_set:
        raise AssertionError("a projection of a full-dimensional region is full-dimensional")
    rows = [integer_vector(r) for r in inequalities.array]
    return facet_rows(rows, points, rays)


def _arrangement_layer(projections, k):
    """One ReLU layer whose units are the distinct facet hyperplanes of the projections."""
    hyperplanes = sorted({canonical_hyperplane(primitive_vector(r))[0]
                          for rows in projections for r in rows if any(r[1:])})
    return Network(k, [ReluLayer([h[1:] for h in hyperplanes], [h[0] for h in hyperplanes])])


def _strictly_inside(rows, point):
    return all(r[0] + sum(a * x for a, x in zip(r[1:], point)) > 0 for r in rows)


def _merge(arrangement, labels):
    """Connected components of adjacent arrangement regions with equal labels, as Cells."""
    graph = region_graph(arrangement, volumes=False, facet_measures=False)
    same = nx.Graph()
    same.add_nodes_from(graph.nodes)
    same.add_edges_from((i, j) for i, j in graph.edges if labels[i] == labels[j])
    components = sorted((sorted(c) for c in nx.connected_components(same)), key=lambda c: c[0])
    cell_of = {i: n for n, members in enumerate(components) for i in members}
    neighbours = {n: set() for n in range(len(components))}
    for i, j in graph.edges:
        if cell_of[i] != cell_of[j]:
            neighbours[cell_of[i]].add(cell_of[j])
            neighbours[cell_of[j]].add(cell_of[i])
    return [Cell(n, [arrangement[i].polytope for i in members], sorted(labels[members[0]]),
                 sorted(neighbours[n])) for n, members in enumerate(components)]


def _convex_union(pieces, measure):
    """The union of `pieces` as one HPolytope when it is convex (hull volume = measure), else None."""
    if len(pieces) == 1:
        return pieces[0]
    points = sorted({p for piece in pieces for p in piece.point_rows})
    matrix = _cdd.matrix_from_array([list(p) for p in points], rep_type=_cdd.RepType.GENERATOR)
    rows = [integer_vector(r) for r in
            _cdd.copy_inequalities(_cdd.polyhedron_from_matrix(matrix)).array]
    hull = HPolytope.from_inequalities(rows)
    return hull if hull.volume() == measure else None
