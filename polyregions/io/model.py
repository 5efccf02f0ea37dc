"""Reading and writing networks: the JSON model format v1 and numpy ``.npz`` files.

JSON model format v1::

    {"format": "polyregions/network-v1",
     "input_dim": 2,
     "layers": [
       {"type": "maxout", "weights": [[[w_uki, ...], ...], ...], "biases": [[b_uk, ...], ...]},
       {"type": "relu", "weights": [[w_ui, ...], ...], "biases": [b_u, ...]},
       {"type": "leaky_relu", "slope": "1/100", "weights": [...], "biases": [...]},
       {"type": "linear", "weights": [...], "biases": [...]}]}

Numbers are JSON integers of any length, JSON floats (taken at their exact
binary64 value) or strings in the grammar of :func:`polyregions.numbers.to_fraction`
(an integer, a decimal or a fraction ``"p/q"``). A key the format does not
define is refused, not ignored: a misspelt ``"slope"`` or an ``"activation"``
the format cannot honour would otherwise give another network without a word.

The ``.npz`` form stores the same thing as arrays: ``input_dim`` and, for each
layer ``i = 0, 1, ...`` without gaps, ``layer{i}_type`` (a string),
``layer{i}_weights``, ``layer{i}_biases`` and, for leaky ReLU,
``layer{i}_slope``; any other array is refused. It is read with
``allow_pickle=False``: model files are data and are never executed.

Every error reading a file names the file.
"""

import os
import re
from collections.abc import Sequence
from typing import Any

from .._immutable import read_text
from ..errors import ModelFormatError
from ..network import LeakyReluLayer, LinearLayer, MaxoutLayer, Network, ReluLayer
from ..numbers import format_fraction, json_dumps, json_loads

__all__ = [
    "FORMAT_V1",
    "load_network",
    "save_network",
    "network_from_dict",
    "network_to_dict",
    "network_from_arrays",
]

FORMAT_V1 = "polyregions/network-v1"
_LAYER_KINDS = ("maxout", "relu", "leaky_relu", "linear")
_MODEL_KEYS = ("format", "input_dim", "layers")
_LAYER_KEYS = ("type", "weights", "biases")
_NPZ_ARRAY = re.compile(r"layer(?P<index>0|[1-9][0-9]*)_(?P<field>type|weights|biases|slope)")


def _reject_constant(name):
    raise ModelFormatError(f"the model holds {name}, which is not a finite number")


def load_network(path: str | os.PathLike[str]) -> Network:
    """Read a network from a JSON model file (v1) or a numpy ``.npz`` file.

    Parameters
    ----------
    path : str or path-like
        ``*.npz`` files are read as arrays; anything else as JSON.

    Returns
    -------
    Network

    Raises
    ------
    ModelFormatError
        When the file is missing, unreadable or malformed; the message names
        the problem (and the layer, unit and entry where it is).

    Examples
    --------
    >>> import tempfile, os
    >>> path = os.path.join(tempfile.mkdtemp(), "net.json")
    >>> with open(path, "w") as f:
    ...     _ = f.write('{"format": "polyregions/network-v1", "input_dim": 1,'
    ...                 ' "layers": [{"type": "relu", "weights": [[1]], "biases": ["1/2"]}]}')
    >>> load_network(path)
    Network(input_dim=1, layers=[relu[1]])
    """
    path = os.fspath(path)
    if str(path).lower().endswith(".npz"):
        return _load_npz(path)
    text = read_text(path, "model file", ModelFormatError)
    try:
        data = json_loads(text, parse_constant=_reject_constant)
    except (ValueError, RecursionError) as err:  # deep nesting too
        raise ModelFormatError(f"model file {path} is not valid JSON: {err}") from err
    return _in_file(path, network_from_dict, data)


def _in_file(path, build, *args):
    """``build(*args)``, with the file named in its error (the message says where inside)."""
    try:
        return build(*args)
    except ModelFormatError as err:
        raise ModelFormatError(f"model file {path}: {err}") from None


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
        if layer.kind == "leaky_relu":
            spec["slope"] = format_fraction(layer.slope)
        layers.append(spec)
    return {"format": FORMAT_V1, "input_dim": network.input_dim, "layers": layers}


def save_network(network: Network, path: str | os.PathLike[str]) -> None:
    """Write `network` as a JSON model file (v1) with exact rational strings."""
    with open(path, "w", encoding="utf-8") as f:
        f.write(json_dumps(network_to_dict(network), indent=1) + "\n")


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


def _load_npz(path):
    import numpy as np

    try:
        archive = np.load(path, allow_pickle=False)
    except FileNotFoundError:
        raise ModelFormatError(f"model file not found: {path}") from None
    except EOFError:  # numpy's answer to a file of zero bytes
        raise ModelFormatError(f"model file {path} is empty") from None
    except (OSError, ValueError) as err:
        raise ModelFormatError(f"cannot read model file {path} as .npz: {err}") from err
    if not isinstance(archive, np.lib.npyio.NpzFile):
        raise ModelFormatError(f"model file {path} is a single .npy array, not an .npz archive")
    with archive:
        count = _npz_layer_count(archive.files, path)
        try:
            input_dim = archive["input_dim"]
            layers = [_npz_layer(archive, i) for i in range(count)]
        except (KeyError, ValueError, TypeError) as err:
            raise ModelFormatError(f"model file {path} lacks or garbles an array: {err}") from err
    if input_dim.shape != () or input_dim.dtype.kind not in "iu":
        raise ModelFormatError(f"model file {path}: 'input_dim' must be a single integer")
    return _in_file(path, network_from_arrays, int(input_dim), layers)


def _npz_layer_count(names, path):
    """The number of layers the arrays' names describe; refuse gaps and unknown names.

    A missing ``layer1_*`` would otherwise end the network after layer 0, and a
    misspelt name would silently drop what it holds.
    """
    if not names:
        raise ModelFormatError(f"model file {path} is an .npz archive without arrays")
    indices = set()
    for name in names:
        match = _NPZ_ARRAY.fullmatch(name)
        if match:
            indices.add(int(match["index"]))
        elif name != "input_dim":
            raise ModelFormatError(
                f"model file {path} has an unknown array {name!r} (the format defines "
                f"input_dim and layer<i>_type, _weights, _biases, _slope)"
            )
    if not indices:
        raise ModelFormatError(f"model file {path} has no arrays 'layer0_type', ...")
    missing = sorted(set(range(max(indices) + 1)) - indices)
    if missing:
        raise ModelFormatError(
            f"model file {path} has arrays of layer {max(indices)} but none of layer "
            f"{missing[0]}: layers must be numbered 0, 1, 2, ... without gaps"
        )
    return max(indices) + 1


def _npz_layer(archive, i):
    kind = str(archive[f"layer{i}_type"])
    spec = [kind, archive[f"layer{i}_weights"], archive[f"layer{i}_biases"]]
    if kind == "leaky_relu":
        spec.append(_tolist(archive[f"layer{i}_slope"]))
    elif f"layer{i}_slope" in archive.files:
        raise ValueError(f"layer{i}_slope is given but layer {i} is {kind!r}, not leaky_relu")
    return tuple(spec)
