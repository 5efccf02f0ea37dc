"""Exact piecewise-linear networks: layer kinds and the immutable :class:`Network`.

Every layer is, for the geometry, a layer of maxout units: unit ``u`` outputs
``max_k z_uk(y)`` over its *pieces* ``z_uk(y) = w_uk . y + b_uk``.

* ``maxout``: rank ``K >= 1`` pieces per unit, given directly (ranks may differ
  between units);
* ``relu``: ``max(0, w . y + b)``; piece 0 is the zero function, piece 1 the
  affine one;
* ``leaky_relu`` with slope ``0 <= a < 1``: ``max(a z, z)``; piece 0 is
  ``a z``, piece 1 is ``z``;
* ``linear``: affine, no pieces and no activation pattern.

The *activation pattern* of an input is, per layer, the tuple of the winning
piece of every unit, ties broken by the lowest index; a linear layer
contributes ``()``. All parameters are exact :class:`~fractions.Fraction`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from fractions import Fraction
from typing import Any, ClassVar, TypeAlias

from .errors import ModelFormatError
from .immutable import Immutable, Memoized
from .numbers import dot, format_fraction, to_fraction, to_fraction_or

__all__ = [
    "Layer",
    "MaxoutLayer",
    "ReluLayer",
    "LeakyReluLayer",
    "LinearLayer",
    "Network",
    "Piece",
    "Pattern",
    "FORMAT_V1",
    "network_from_dict",
    "network_to_dict",
    "network_from_arrays",
]

Piece: TypeAlias = tuple[tuple[Fraction, ...], Fraction]
"""One piece ``(w, b)`` of a unit: the affine function ``y -> w . y + b``."""

Pattern: TypeAlias = tuple[tuple[int, ...], ...]
"""An activation pattern: for each layer, the winning piece of every unit."""


def _as_list(values: object) -> list[object]:
    """`values` as a list; strings and dicts are iterable but no lists of numbers."""
    if isinstance(values, (str, bytes, dict)) or not isinstance(values, Iterable):
        raise TypeError(type(values).__name__)
    return list(values)


def _vector(values: object, length: int | None, where: str) -> tuple[Fraction, ...]:
    try:
        entries = _as_list(values)
    except TypeError:
        raise ModelFormatError(f"{where} must be a list of numbers") from None
    if length is not None and len(entries) != length:
        raise ModelFormatError(f"{where} has {len(entries)} entries, expected {length}")
    return tuple(to_fraction_or(ModelFormatError, v, f"{where} entry {j}")
                 for j, v in enumerate(entries))


def _matrix(rows: object, where: str, width: int | None = None) -> tuple[tuple[Fraction, ...], ...]:
    """Read a list of equal-length numeric rows; `width` checks their length."""
    try:
        listed = _as_list(rows)
    except TypeError:
        raise ModelFormatError(f"{where} must be a list of rows") from None
    result = []
    for i, row in enumerate(listed):
        if width is None:
            try:
                width = len(_as_list(row))
            except TypeError:
                raise ModelFormatError(f"{where} row {i} must be a list") from None
        result.append(_vector(row, width, f"{where} row {i}"))
    return tuple(result)


class Layer(Memoized):
    """Base class of the layer kinds; a layer is an immutable value.

    Subclasses define :attr:`kind`, :attr:`input_dim`, :attr:`units` and
    :meth:`pieces`, the maxout view of the layer used by the engine. What other
    parts derive from a layer (the engine's integer rows) it keeps once made
    (:meth:`~polyregions.immutable.Memoized.derived`).

    Examples
    --------
    >>> layer = ReluLayer([[1, 0], [0, 1]], [0, 0])
    >>> isinstance(layer, Layer), layer.kind, layer.units
    (True, 'relu', 2)
    >>> layer.pieces()[0][1]            # unit 0 as a maxout unit: max(0, x0)
    ((Fraction(1, 1), Fraction(0, 1)), Fraction(0, 1))
    """

    __slots__ = ()
    kind: ClassVar[str | None] = None
    has_pattern: ClassVar[bool] = True
    input_dim: int
    #: The exact parameters, nested tuples of Fractions as each kind stores them.
    weights: tuple[Any, ...]
    biases: tuple[Any, ...]

    @property
    def units(self) -> int:
        """The number of units."""
        raise NotImplementedError

    def pieces(self) -> tuple[tuple[Piece, ...], ...]:
        """Return, for every unit, the tuple of its pieces ``(w, b)``.

        ``w`` is a tuple of :class:`~fractions.Fraction` of length
        :attr:`input_dim` and ``b`` a Fraction. A linear layer has one piece per
        unit.
        """
        raise NotImplementedError

    def __call__(self, y: Sequence[Fraction]) -> tuple[tuple[Fraction, ...], tuple[int, ...]]:
        """Return ``(output, pattern)`` of this layer at the exact input `y`."""
        outputs: list[Fraction] = []
        pattern: list[int] = []
        for unit in self.pieces():
            values = [dot(w, y) + b for w, b in unit]
            best = max(range(len(values)), key=lambda k: (values[k], -k))
            outputs.append(values[best])
            pattern.append(best)
        return tuple(outputs), (tuple(pattern) if self.has_pattern else ())

    def _key(self) -> tuple[object, ...]:
        raise NotImplementedError

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Layer) and type(self) is type(other) and self._key() == other._key()

    def __hash__(self) -> int:
        return hash((type(self).__name__, self._key()))

    def __repr__(self) -> str:
        return f"{type(self).__name__}(units={self.units}, input_dim={self.input_dim})"


class MaxoutLayer(Layer):
    """A layer of maxout units.

    Parameters
    ----------
    weights : nested sequence ``[unit][piece][input]``
    biases : nested sequence ``[unit][piece]``
        Exact numbers (see :func:`polyregions.numbers.to_fraction`). Units may
        have different ranks; every unit needs at least one piece.

    Examples
    --------
    >>> layer = MaxoutLayer([[[1], [-1]]], [[0, 0]])  # |x| as a rank-2 unit
    >>> layer((Fraction(-3),))
    ((Fraction(3, 1),), (1,))
    """

    __slots__ = ("weights", "biases", "input_dim")
    kind = "maxout"
    weights: tuple[tuple[tuple[Fraction, ...], ...], ...]
    biases: tuple[tuple[Fraction, ...], ...]

    def __init__(self, weights: Iterable[object], biases: Iterable[object],
                 where: str = "maxout layer") -> None:
        try:
            weight_units, bias_units = list(weights), list(biases)
        except TypeError:
            raise ModelFormatError(f"{where}: weights and biases must be lists") from None
        if not weight_units:
            raise ModelFormatError(f"{where} has no units")
        if len(bias_units) != len(weight_units):
            raise ModelFormatError(
                f"{where} has {len(weight_units)} weight units but {len(bias_units)} bias units"
            )
        width = None
        ws, bs = [], []
        for u, (given_w, given_b) in enumerate(zip(weight_units, bias_units)):
            wu = _matrix(given_w, f"{where} unit {u} weights", width)
            if not wu:
                raise ModelFormatError(f"{where} unit {u} has no pieces")
            width = len(wu[0])
            ws.append(wu)
            bs.append(_vector(given_b, len(wu), f"{where} unit {u} biases"))
        if width == 0:
            raise ModelFormatError(f"{where} has zero inputs")
        object.__setattr__(self, "weights", tuple(ws))
        object.__setattr__(self, "biases", tuple(bs))
        object.__setattr__(self, "input_dim", width)

    @property
    def units(self) -> int:
        """The number of units."""
        return len(self.weights)

    @property
    def ranks(self) -> tuple[int, ...]:
        """The number of pieces of every unit."""
        return tuple(len(w) for w in self.weights)

    def pieces(self) -> tuple[tuple[Piece, ...], ...]:
        return tuple(tuple(zip(wu, bu)) for wu, bu in zip(self.weights, self.biases))

    def _key(self) -> tuple[object, ...]:
        return (self.weights, self.biases)


class _AffineRowsLayer(Layer):
    """A layer given by one weight row and one bias per unit."""

    __slots__ = ("weights", "biases", "input_dim")
    weights: tuple[tuple[Fraction, ...], ...]
    biases: tuple[Fraction, ...]

    def __init__(self, weights: object, biases: object, where: str) -> None:
        rows = _matrix(weights, f"{where} weights")
        if not rows:
            raise ModelFormatError(f"{where} has no units")
        if len(rows[0]) == 0:
            raise ModelFormatError(f"{where} has zero inputs")
        object.__setattr__(self, "weights", rows)
        object.__setattr__(self, "biases", _vector(biases, len(rows), f"{where} biases"))
        object.__setattr__(self, "input_dim", len(rows[0]))

    @property
    def units(self) -> int:
        """The number of units."""
        return len(self.weights)

    def _key(self) -> tuple[object, ...]:
        return (self.weights, self.biases)


class ReluLayer(_AffineRowsLayer):
    """A layer of ReLU units ``max(0, w . y + b)`` (piece 0 is the zero function).

    Examples
    --------
    >>> ReluLayer([[1, -1]], [0])((Fraction(2), Fraction(5)))
    ((Fraction(0, 1),), (0,))
    """

    __slots__ = ()
    kind = "relu"

    def __init__(self, weights: object, biases: object, where: str = "relu layer") -> None:
        super().__init__(weights, biases, where)

    def pieces(self) -> tuple[tuple[Piece, ...], ...]:
        zero = (Fraction(0),) * self.input_dim
        return tuple(((zero, Fraction(0)), (w, b)) for w, b in zip(self.weights, self.biases))


class LeakyReluLayer(_AffineRowsLayer):
    """A layer of leaky ReLU units ``max(a z, z)`` with ``z = w . y + b``, ``0 <= a < 1``.

    Examples
    --------
    >>> LeakyReluLayer("1/10", [[1]], [0])((Fraction(-5),))
    ((Fraction(-1, 2),), (0,))
    """

    __slots__ = ("slope",)
    kind = "leaky_relu"
    slope: Fraction

    def __init__(self, slope: object, weights: object, biases: object,
                 where: str = "leaky_relu layer") -> None:
        super().__init__(weights, biases, where)
        exact = to_fraction_or(ModelFormatError, slope, f"{where} slope")
        if not 0 <= exact < 1:
            raise ModelFormatError(f"{where} slope must satisfy 0 <= slope < 1, got {exact}")
        object.__setattr__(self, "slope", exact)

    def pieces(self) -> tuple[tuple[Piece, ...], ...]:
        a = self.slope
        return tuple(
            ((tuple(a * x for x in w), a * b), (w, b)) for w, b in zip(self.weights, self.biases)
        )

    def _key(self) -> tuple[object, ...]:
        return (self.slope, self.weights, self.biases)


class LinearLayer(_AffineRowsLayer):
    """An affine layer ``y -> W y + b``; it has no activation pattern.

    Examples
    --------
    >>> LinearLayer([[1, 1]], ["1/2"])((Fraction(1), Fraction(2)))
    ((Fraction(7, 2),), ())
    """

    __slots__ = ()
    kind = "linear"
    has_pattern = False

    def __init__(self, weights: object, biases: object, where: str = "linear layer") -> None:
        super().__init__(weights, biases, where)

    def pieces(self) -> tuple[tuple[Piece, ...], ...]:
        return tuple(((w, b),) for w, b in zip(self.weights, self.biases))


class Network(Immutable):
    """An immutable piecewise-linear network with exact rational parameters.

    Parameters
    ----------
    input_dim : int
        The input dimension ``n0 >= 1``.
    layers : sequence of Layer
        Each layer's input dimension must equal the previous layer's number of
        units (the first one's must equal `input_dim`).

    Raises
    ------
    ModelFormatError
        When dimensions do not chain or there are no layers.

    Examples
    --------
    >>> net = Network(1, [ReluLayer([[1], [1]], [0, -1]), LinearLayer([[1, -1]], [0])])
    >>> net.evaluate([Fraction(3, 2)])
    (Fraction(1, 1),)
    >>> net.activation_pattern([Fraction(3, 2)])
    ((1, 1), ())
    """

    __slots__ = ("input_dim", "layers")
    input_dim: int
    layers: tuple[Layer, ...]

    def __init__(self, input_dim: int, layers: Iterable[Layer]) -> None:
        if isinstance(input_dim, bool) or not isinstance(input_dim, int) or input_dim < 1:
            raise ModelFormatError(f"input_dim must be a positive integer, got {input_dim!r}")
        layers = tuple(layers)
        if not layers:
            raise ModelFormatError("the network has no layers")
        width = input_dim
        for i, layer in enumerate(layers):
            if not isinstance(layer, Layer):
                raise ModelFormatError(f"layer {i} is not a Layer: {layer!r}")
            if layer.input_dim != width:
                raise ModelFormatError(
                    f"layer {i} ({layer.kind}) takes {layer.input_dim} inputs "
                    f"but receives {width}"
                )
            width = layer.units
        object.__setattr__(self, "input_dim", input_dim)
        object.__setattr__(self, "layers", layers)

    @property
    def output_dim(self) -> int:
        """The number of outputs (units of the last layer)."""
        return self.layers[-1].units

    @property
    def widths(self) -> tuple[int, ...]:
        """``(n0, n1, ..., nL)``: input dimension and every layer's number of units."""
        return (self.input_dim,) + tuple(layer.units for layer in self.layers)

    @property
    def hidden_units(self) -> int:
        """The number of units with an activation pattern (non-linear layers)."""
        return sum(layer.units for layer in self.layers if layer.has_pattern)

    def _forward(self, x: Iterable[object]) -> tuple[tuple[Fraction, ...], Pattern]:
        y = tuple(to_fraction(v, "input coordinate") for v in x)
        if len(y) != self.input_dim:
            raise ModelFormatError(f"input has {len(y)} coordinates, expected {self.input_dim}")
        pattern = []
        for layer in self.layers:
            y, p = layer(y)
            pattern.append(p)
        return y, tuple(pattern)

    def evaluate(self, x: Iterable[object]) -> tuple[Fraction, ...]:
        """Return the exact output of the network at input `x` (a tuple of Fractions)."""
        return self._forward(x)[0]

    def activation_pattern(self, x: Iterable[object]) -> Pattern:
        """Return the activation pattern at `x` (ties: lowest piece index wins)."""
        return self._forward(x)[1]

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, Network)
            and self.input_dim == other.input_dim
            and self.layers == other.layers
        )

    def __hash__(self) -> int:
        return hash((self.input_dim, self.layers))

    def __repr__(self) -> str:
        kinds = ", ".join(f"{layer.kind}[{layer.units}]" for layer in self.layers)
        return f"Network(input_dim={self.input_dim}, layers=[{kinds}])"


# ----------------------------------------------------------------------------- the JSON model format v1
#
# A network and its JSON dict belong together, as a domain and its spec do (domain.py): region
# files, checkpoints and certificates embed networks this way, and the readers of files
# (polyregions.io.model) build on it.

FORMAT_V1 = "polyregions/network-v1"
"""The ``format`` value of the JSON model format v1."""

_LAYER_KINDS = ("maxout", "relu", "leaky_relu", "linear")
_MODEL_KEYS = ("format", "input_dim", "layers")
_LAYER_KEYS = ("type", "weights", "biases")


def _refuse_unknown_keys(data, known, where):
    unknown = sorted(set(data) - set(known))
    if unknown:
        raise ModelFormatError(
            f"{where} has unknown key{'s' if len(unknown) > 1 else ''} "
            f"{', '.join(map(repr, unknown))} (the format defines {', '.join(known)})"
        )


def network_from_dict(data: dict[str, Any]) -> Network:
    """Build a :class:`Network` from a dict in the JSON model format v1.

    Examples
    --------
    >>> network_from_dict({"format": "polyregions/network-v1", "input_dim": 2,
    ...     "layers": [{"type": "maxout", "weights": [[[1, 0], [0, 1], [-1, -1]]],
    ...                 "biases": [[0, 0, "1/3"]]}]})
    Network(input_dim=2, layers=[maxout[1]])
    """
    if not isinstance(data, dict):
        raise ModelFormatError("the model must be a JSON object")
    _refuse_unknown_keys(data, _MODEL_KEYS, "the model")
    fmt = data.get("format", FORMAT_V1)
    if fmt != FORMAT_V1:
        raise ModelFormatError(f"unknown model format {fmt!r}, expected {FORMAT_V1!r}")
    if "input_dim" not in data:
        raise ModelFormatError("the model has no 'input_dim'")
    layers = data.get("layers")
    if not isinstance(layers, list) or not layers:
        raise ModelFormatError("the model needs a non-empty list 'layers'")
    built = []
    for i, spec in enumerate(layers):
        if not isinstance(spec, dict):
            raise ModelFormatError(f"layer {i} must be a JSON object")
        kind = spec.get("type")
        if kind not in _LAYER_KINDS:
            raise ModelFormatError(
                f"layer {i} has unknown type {kind!r}; expected one of {', '.join(_LAYER_KINDS)}"
            )
        known = _LAYER_KEYS + (("slope",) if kind == "leaky_relu" else ())
        _refuse_unknown_keys(spec, known, f"layer {i} ({kind})")
        for key in ("weights", "biases"):
            if key not in spec:
                raise ModelFormatError(f"layer {i} ({kind}) has no '{key}'")
        built.append(_make_layer(kind, spec["weights"], spec["biases"], spec.get("slope"), i))
    return Network(data["input_dim"], built)


def _make_layer(kind, weights, biases, slope, index):
    where = f"layer {index} ({kind})"
    if kind == "maxout":
        return MaxoutLayer(weights, biases, where)
    if kind == "relu":
        return ReluLayer(weights, biases, where)
    if kind == "leaky_relu":
        if slope is None:
            raise ModelFormatError(f"{where} has no 'slope'")
        return LeakyReluLayer(slope, weights, biases, where)
    return LinearLayer(weights, biases, where)


def network_to_dict(network: Network) -> dict[str, Any]:
    """Return the JSON model format v1 dict of `network`, numbers as exact strings.

    Examples
    --------
    >>> net = network_from_dict({"input_dim": 1,
    ...     "layers": [{"type": "relu", "weights": [[0.5]], "biases": [0]}]})
    >>> network_to_dict(net)["layers"][0]["weights"]
    [['1/2']]
    """
    def fmt(nested):
        if isinstance(nested, tuple):
            return [fmt(v) for v in nested]
        return format_fraction(nested)

    layers = []
    for layer in network.layers:
        spec = {"type": layer.kind, "weights": fmt(layer.weights), "biases": fmt(layer.biases)}
        if isinstance(layer, LeakyReluLayer):
            spec["slope"] = format_fraction(layer.slope)
        layers.append(spec)
    return {"format": FORMAT_V1, "input_dim": network.input_dim, "layers": layers}


def network_from_arrays(input_dim: int, layers: Sequence[tuple[Any, ...]]) -> Network:
    """Build a :class:`Network` from numpy arrays or nested lists.

    Parameters
    ----------
    input_dim : int
    layers : sequence of tuples
        ``(kind, weights, biases)`` or, for leaky ReLU,
        ``("leaky_relu", weights, biases, slope)``. Maxout weights have shape
        ``(units, rank, inputs)`` and biases ``(units, rank)``; the other kinds
        ``(units, inputs)`` and ``(units,)``. Float entries are taken at their
        exact binary value.

    Examples
    --------
    >>> import numpy as np
    >>> network_from_arrays(2, [("relu", np.eye(2), np.zeros(2)),
    ...                         ("linear", np.ones((1, 2)), np.zeros(1))])
    Network(input_dim=2, layers=[relu[2], linear[1]])
    """
    built = []
    for i, spec in enumerate(layers):
        spec = tuple(spec)
        if len(spec) not in (3, 4) or spec[0] not in _LAYER_KINDS:
            raise ModelFormatError(
                f"layer {i} must be (kind, weights, biases[, slope]) with kind one of "
                f"{', '.join(_LAYER_KINDS)}"
            )
        kind, weights, biases = spec[:3]
        slope = spec[3] if len(spec) == 4 else None
        built.append(_make_layer(kind, _tolist(weights), _tolist(biases), slope, i))
    return Network(input_dim, built)


def _tolist(array):
    return array.tolist() if hasattr(array, "tolist") else array
