"""Reading and writing model files: the JSON model format v1 and numpy ``.npz`` files
(and reading ONNX files, :mod:`polyregions.io.onnx`).

The format's dict lives with the network (:func:`polyregions.network.network_from_dict`,
:func:`~polyregions.network.network_to_dict`); this module reads and writes files. JSON
model format v1::

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
import zipfile
import zlib

from ..errors import ExportError, ModelFormatError
from ..immutable import read_text
from ..network import Network, network_from_arrays, network_from_dict, network_to_dict
from ..numbers import json_dumps, json_loads

__all__ = ["load_network", "save_network"]

_NPZ_ARRAY = re.compile(r"layer(?P<index>0|[1-9][0-9]*)_(?P<field>type|weights|biases|slope)")


def _reject_constant(name):
    raise ModelFormatError(f"the model holds {name}, which is not a finite number")


def load_network(path: str | os.PathLike[str]) -> Network:
    """Read a network from a JSON model file (v1) or a numpy ``.npz`` file.

    Parameters
    ----------
    path : str or path-like
        ``*.npz`` files are read as arrays, ``*.onnx`` files as ONNX models
        (:func:`polyregions.io.onnx.load_onnx`, the ``onnx`` extra); anything
        else as JSON. A PyTorch file (``*.pt``, ``*.pth``) is refused with the
        way to import it (:func:`polyregions.io.torch.load_torch`).

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
    if str(path).lower().endswith(_TORCH_SUFFIXES):
        raise ModelFormatError(_TORCH_FILE.format(path=path))
    if str(path).lower().endswith(".npz"):
        return _load_npz(path)
    if str(path).lower().endswith(".onnx"):
        from .onnx import load_onnx  # the optional onnx package is needed only here

        return load_onnx(path)
    text = read_text(path, "model file", ModelFormatError)
    try:
        data = json_loads(text, parse_constant=_reject_constant)
    except (ValueError, RecursionError) as err:  # deep nesting too
        raise ModelFormatError(f"model file {path} is not valid JSON: {err}") from err
    return _in_file(path, network_from_dict, data)


# A PyTorch file holds pickled code or a state dict without its architecture: neither is read
# here (unpickling runs code); the message says how to import the model instead.
_TORCH_SUFFIXES = (".pt", ".pth")
_TORCH_FILE = ("model file {path} is a PyTorch file, which is never unpickled here: build the model "
               "in Python, convert it with polyregions.io.torch.load_torch(path, model) (a state "
               "dict) or network_from_torch(model), and write it with save_network(network, "
               "'model.json')")


def _in_file(path, build, *args):
    """``build(*args)``, with the file named in its error (the message says where inside)."""
    try:
        return build(*args)
    except ModelFormatError as err:
        raise ModelFormatError(f"model file {path}: {err}") from None


def save_network(network: Network, path: str | os.PathLike[str]) -> None:
    """Write `network` as a JSON model file (v1) with exact rational strings.

    Raises
    ------
    ExportError
        When the system refuses to write `path` (the message gives its reason).

    Examples
    --------
    >>> import os, tempfile
    >>> from polyregions import LinearLayer, Network
    >>> net = Network(2, [LinearLayer([["1/3", 0]], ["-1/2"])])
    >>> path = os.path.join(tempfile.mkdtemp(), "model.json")
    >>> save_network(net, path)
    >>> load_network(path) == net                            # exact rationals survive the file
    True
    """
    text = json_dumps(network_to_dict(network), indent=1) + "\n"
    try:
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
    except OSError as err:
        raise ExportError.cannot_write(path, err) from err


#: What reading a damaged zip archive raises, besides OSError and ValueError: a bad header or
#: checksum, a cut member, an unknown compression, a broken deflate stream.
_DAMAGED_ZIP = (zipfile.BadZipFile, EOFError, NotImplementedError, zlib.error)


def _load_npz(path):
    import numpy as np

    try:
        archive = np.load(path, allow_pickle=False)
    except FileNotFoundError:
        raise ModelFormatError(f"model file not found: {path}") from None
    except EOFError:  # numpy's answer to a file of zero bytes
        raise ModelFormatError(f"model file {path} is empty") from None
    except (OSError, ValueError, *_DAMAGED_ZIP) as err:
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
        except (OSError, *_DAMAGED_ZIP) as err:  # an array is read only when it is used
            raise ModelFormatError(f"cannot read model file {path} as .npz: {err}") from err
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
        spec.append(archive[f"layer{i}_slope"].tolist())
    elif f"layer{i}_slope" in archive.files:
        raise ValueError(f"layer{i}_slope is given but layer {i} is {kind!r}, not leaky_relu")
    return tuple(spec)
