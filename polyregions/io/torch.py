"""Exact import of PyTorch models (the ``torch`` extra: ``pip install polyregions[torch]``).

:func:`network_from_torch` converts an ``nn.Sequential`` (nested ones are
flattened) of these modules into an exact :class:`~polyregions.network.Network`:

* affine modules: ``nn.Linear``, ``nn.Conv2d`` (any stride, padding, dilation,
  groups; zero padding only), ``nn.AvgPool2d`` (``ceil_mode=False``),
  ``nn.BatchNorm1d``/``nn.BatchNorm2d`` in eval mode, ``nn.Flatten`` (of every
  non-batch dimension), ``nn.Identity`` and ``nn.Dropout`` in eval mode;
* nonlinearities: ``nn.ReLU``, ``nn.LeakyReLU`` (its ``negative_slope``, which
  must lie in ``[0, 1)``, at its exact binary value), :class:`Maxout` (defined
  here) and ``nn.MaxPool2d`` (``ceil_mode=False``).

Conventions:

* Every parameter, float32 or float64 (or half), is taken at its **exact binary
  value**; nothing is rounded. BatchNorm's scale ``gamma / sqrt(running_var + eps)``
  is folded in only where ``running_var + eps`` is the square of a rational
  number; otherwise the module is refused (the folded map would not be the
  model's), naming the module and the channel. With the default ``eps=1e-5``
  that is never the case for ordinary variances (the sum's denominator is
  ``2**69``, not a square): use ``eps=0`` with square variances, or fold the
  normalisation into the neighbouring weights yourself.
* polyregions layers are *affine map + activation*. Consecutive affine modules
  are composed exactly into one affine map, which becomes the weights of the
  next nonlinearity (a ReLU, leaky ReLU, maxout or max-pool layer); affine
  modules after the last nonlinearity become a final ``linear`` layer. So
  ``Conv2d -> BatchNorm2d -> ReLU`` is one ReLU layer with one unit per output
  pixel and channel.
* ``nn.MaxPool2d`` becomes a maxout layer: output ``(c, i, j)`` is a unit of
  rank ``k*k`` (fewer at padded borders) whose pieces are the affine functions
  feeding the pooled inputs, so it takes the place of the preceding affine
  map. ``Conv2d -> ReLU -> MaxPool2d`` gives a ReLU layer and then a maxout
  layer whose pieces each select one ReLU output.
* Shapes follow PyTorch's C-contiguous order: the input vector of the network
  is ``x.flatten()`` of a single (unbatched) input of shape `input_shape`, and
  ``nn.Linear`` and :class:`Maxout` need a flat (1-D) input.

Model files: :func:`load_torch` reads a *state dict* with
``torch.load(path, weights_only=True)`` into a module you construct (the
architecture is code, so it is yours); pickled module objects are never
unpickled. To share a model without torch, convert it once and save it with
:func:`polyregions.save_network` (the JSON model format v1).
"""

import math
import os
from collections.abc import Sequence
from fractions import Fraction
from typing import Any

from ..errors import ModelFormatError
from ..network import Layer, LeakyReluLayer, LinearLayer, MaxoutLayer, Network, ReluLayer
from ..numbers import rational_sqrt

__all__ = ["network_from_torch", "load_torch", "Maxout", "maxout_class"]  # noqa: F822 (Maxout: module __getattr__)

_MAXOUT = None
_SUPPORTED = ("Linear, Conv2d, AvgPool2d, BatchNorm1d/2d, Flatten, ReLU, LeakyReLU, Maxout, "
              "MaxPool2d, Identity or Dropout")


def maxout_class() -> type:
    """The :class:`Maxout` module class (built on first use, so that importing
    this module does not need torch).

    ``Maxout(in_features, units, rank)`` holds ``self.linear = nn.Linear(in_features,
    units * rank)``; its forward pass reshapes the ``units * rank`` outputs to
    ``(..., units, rank)`` and takes the maximum over the last axis. So output
    ``u * rank + k`` of the linear map is piece ``k`` of unit ``u``, the order of
    a polyregions maxout layer's ``weights[u][k]``.

    Examples
    --------
    >>> import torch
    >>> from torch import nn
    >>> Maxout = maxout_class()
    >>> _ = torch.manual_seed(0)
    >>> net = network_from_torch(nn.Sequential(Maxout(2, 3, 2), nn.Linear(3, 2)))
    >>> net.widths, [layer.kind for layer in net.layers]
    ((2, 3, 2), ['maxout', 'linear'])

    One unit of rank 2 with the pieces ``x`` and ``-x`` is ``|x|``:

    >>> absolute = Maxout(1, 1, 2)
    >>> with torch.no_grad():
    ...     _ = absolute.linear.weight.copy_(torch.tensor([[1.0], [-1.0]]))
    ...     _ = absolute.linear.bias.zero_()
    >>> absolute(torch.tensor([[-3.0], [2.0]])).tolist(), absolute
    ([[3.0], [2.0]], Maxout(
      in_features=1, units=1, rank=2
      (linear): Linear(in_features=1, out_features=2, bias=True)
    ))
    """
    global _MAXOUT
    if _MAXOUT is None:
        import torch
        from torch import nn

        class Maxout(nn.Module):
            """A layer of `units` maxout units of rank `rank` on `in_features` inputs.

            Output ``u`` is ``max_k (linear(x))[u * rank + k]``.
            """

            def __init__(self, in_features, units, rank, bias=True):
                super().__init__()
                self.in_features, self.units, self.rank = in_features, units, rank
                self.linear = nn.Linear(in_features, units * rank, bias=bias)

            def forward(self, x):
                z = self.linear(x)
                return torch.amax(z.reshape(*z.shape[:-1], self.units, self.rank), dim=-1)

            def extra_repr(self):
                return f"in_features={self.in_features}, units={self.units}, rank={self.rank}"

        _MAXOUT = Maxout
    return _MAXOUT


def __getattr__(name: str) -> type:
    if name == "Maxout":
        return maxout_class()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _values(tensor):
    """The entries of a tensor as exact Fractions (flat list, C order)."""
    return [Fraction(v) for v in tensor.detach().cpu().double().reshape(-1).tolist()]


def _pair(value, what):
    if isinstance(value, (tuple, list)):
        if len(value) != 2:
            raise ModelFormatError(f"{what} must be an int or a pair, got {value!r}")
        return int(value[0]), int(value[1])
    return int(value), int(value)


class _Affine:
    """The pending affine map ``x -> A x + b`` from the last nonlinearity's output.

    Rows of ``A`` are sparse dicts ``{column: Fraction}``; `shape` is the
    (unbatched) shape of the map's output.
    """

    def __init__(self, dim, shape):
        self.dim, self.shape = dim, tuple(shape)
        self.rows = [{i: Fraction(1)} for i in range(dim)]
        self.bias = [Fraction(0)] * dim
        self.identity = True

    def apply(self, rows, bias, shape):
        """Compose with ``y -> M y + c``: `rows` are sparse dicts of ``M``."""
        new_rows, new_bias = [], []
        for row, c in zip(rows, bias):
            out, total = {}, c
            for j, w in row.items():
                if w == 0:
                    continue
                total += w * self.bias[j]
                for col, a in self.rows[j].items():
                    out[col] = out.get(col, 0) + w * a
            new_rows.append({col: a for col, a in out.items() if a != 0})
            new_bias.append(total)
        self.rows, self.bias, self.shape, self.identity = new_rows, new_bias, tuple(shape), False

    def dense(self, index):
        row = self.rows[index]
        return [row.get(col, Fraction(0)) for col in range(self.dim)], self.bias[index]

    def size(self):
        return math.prod(self.shape)


def _check_readable(module, maxout):
    """Refuse a custom module: its forward() is code, which the import does not read."""
    from torch import nn

    supported = tuple(t for types, _ in _handlers(maxout)
                      for t in (types if isinstance(types, tuple) else (types,)))
    custom = isinstance(module, nn.Module) and not type(module).__module__.startswith("torch.")
    if custom and not isinstance(module, (nn.Sequential, *supported)):
        raise ModelFormatError(
            f"{type(module).__name__} is a custom nn.Module, whose forward() cannot be read: "
            f"give an nn.Sequential (nested ones too) of {_SUPPORTED}, e.g. nn.Sequential("
            "model.fc1, nn.ReLU(), model.fc2), or export it with torch.onnx.export and load the "
            ".onnx file")


def _flat_modules(module):
    from torch import nn

    if isinstance(module, nn.Sequential):
        for child in module:
            yield from _flat_modules(child)
    else:
        yield module


def _infer_shape(modules, maxout):
    from torch import nn

    for m in modules:
        if isinstance(m, nn.Linear):
            return (m.in_features,)
        if isinstance(m, maxout):
            return (m.linear.in_features,)
        if isinstance(m, (nn.Conv2d, nn.BatchNorm2d, nn.AvgPool2d, nn.MaxPool2d)):
            raise ModelFormatError(f"{type(m).__name__} needs input_shape=(C, H, W)")
        if isinstance(m, nn.BatchNorm1d):
            return (m.num_features,)
    raise ModelFormatError("cannot infer the input shape: pass input_shape")


def network_from_torch(module: Any, input_shape: Sequence[int] | None = None) -> Network:
    """Convert a PyTorch model exactly into a :class:`Network` (see the module docstring).

    Parameters
    ----------
    module : torch.nn.Module
        An ``nn.Sequential`` (or a single module) of the supported modules.
        BatchNorm and Dropout must be in eval mode (``module.eval()``).
    input_shape : tuple of int, optional
        The shape of one input without the batch dimension, e.g. ``(1, 6, 6)``
        for a CNN. Inferred from a first ``nn.Linear``, :class:`Maxout` or
        ``nn.BatchNorm1d`` when omitted.

    Returns
    -------
    Network
        Input dimension ``prod(input_shape)``; ``network.evaluate(x.flatten())``
        is the model's output on ``x`` computed exactly.

    Raises
    ------
    ModelFormatError
        On an unsupported module or option, a module in training mode, or
        shapes that do not chain; the message names the module's position.

    Examples
    --------
    >>> from torch import nn                                      # doctest: +SKIP
    >>> net = network_from_torch(nn.Sequential(nn.Linear(2, 3), nn.ReLU(),
    ...                                        nn.Linear(3, 2)))  # doctest: +SKIP
    >>> net                                                       # doctest: +SKIP
    Network(input_dim=2, layers=[relu[3], linear[2]])
    """
    maxout = maxout_class()
    _check_readable(module, maxout)
    modules = list(_flat_modules(module))
    shape = tuple(int(s) for s in input_shape) if input_shape is not None \
        else _infer_shape(modules, maxout)
    if not shape or any(s < 1 for s in shape):
        raise ModelFormatError(f"input_shape must be positive integers, got {input_shape!r}")
    n0 = math.prod(shape)
    pending, where = _Affine(n0, shape), "the model"
    layers: list[Layer] = []
    for index, m in enumerate(modules):
        where = f"module {index} ({type(m).__name__})"
        new = _convert(m, pending, layers, where, maxout)
        if new is not None:
            pending = new
    if layers and pending.identity:
        return Network(n0, layers)
    weights, biases = zip(*(pending.dense(i) for i in range(len(pending.rows))))
    return Network(n0, layers + [LinearLayer(weights, biases, f"{where} linear output")])


def _convert(m, pending, layers, where, maxout):
    """Apply module `m`: compose it into `pending`, or emit a layer and return a new map."""
    for types, handler in _handlers(maxout):
        if isinstance(m, types):
            return handler(m, pending, layers, where)
    raise ModelFormatError(f"{where} is not supported: use {_SUPPORTED}")


def _handlers(maxout):
    """``(module types, handler)`` in the order they are tried.

    A handler takes ``(m, pending, layers, where)``; an affine module is composed
    into `pending` (None is returned), a nonlinearity appends its layer to
    `layers` and returns the new, empty pending map.
    """
    from torch import nn

    return ((nn.Identity, _identity), (nn.Dropout, _dropout), (nn.Flatten, _flatten),
            (nn.Linear, _composed(_linear)), (nn.Conv2d, _composed(_conv)),
            (nn.AvgPool2d, _composed(_avgpool)),
            ((nn.BatchNorm1d, nn.BatchNorm2d), _composed(_batchnorm)),
            ((nn.ReLU, nn.LeakyReLU), _relu), (maxout, _maxout), (nn.MaxPool2d, _maxpool))


def _composed(apply):
    """The handler of an affine module that `apply(m, pending, where)` composes into `pending`."""
    def handler(m, pending, layers, where):
        apply(m, pending, where)

    return handler


def _identity(m, pending, layers, where):
    pass


def _dropout(m, pending, layers, where):
    if m.training:  # only in eval mode is dropout the identity
        raise ModelFormatError(f"{where} is in training mode: call model.eval() first")


def _flatten(m, pending, layers, where):
    if m.start_dim != 1 or m.end_dim != -1:
        raise ModelFormatError(f"{where}: only Flatten(start_dim=1, end_dim=-1) is supported")
    pending.shape = (pending.size(),)


def _linear(lin, pending, where):
    """Compose the ``nn.Linear`` `lin` (on a flat input) into `pending`."""
    _need_flat(pending, where)
    _check_width(pending, lin.in_features, where)
    w = _values(lin.weight)
    b = _values(lin.bias) if lin.bias is not None else [Fraction(0)] * lin.out_features
    rows = [{j: w[i * lin.in_features + j] for j in range(lin.in_features)}
            for i in range(lin.out_features)]
    pending.apply(rows, b, (lin.out_features,))


def _relu(m, pending, layers, where):
    from torch import nn

    weights, biases = zip(*(pending.dense(i) for i in range(len(pending.rows))))
    if isinstance(m, nn.ReLU):
        layers.append(ReluLayer(weights, biases, where))
    else:
        layers.append(LeakyReluLayer(Fraction(float(m.negative_slope)), weights, biases, where))
    return _Affine(len(weights), pending.shape)


def _maxout(m, pending, layers, where):
    _linear(m.linear, pending, where)
    units = [[pending.dense(u * m.rank + k) for k in range(m.rank)] for u in range(m.units)]
    layers.append(MaxoutLayer([[p[0] for p in unit] for unit in units],
                              [[p[1] for p in unit] for unit in units], where))
    return _Affine(m.units, (m.units,))


def _need_flat(pending, where):
    if len(pending.shape) != 1:
        raise ModelFormatError(f"{where} needs a flat input, got shape {pending.shape}: "
                               "add nn.Flatten() before it")


def _check_width(pending, width, where):
    if pending.shape[0] != width:
        raise ModelFormatError(f"{where} takes {width} inputs but receives {pending.shape[0]}")


def _image(pending, where, channels=None):
    if len(pending.shape) != 3:
        raise ModelFormatError(f"{where} needs a (C, H, W) input, got shape {pending.shape}")
    c, h, w = pending.shape
    if channels is not None and c != channels:
        raise ModelFormatError(f"{where} takes {channels} channels but receives {c}")
    return c, h, w


def _out_size(size, kernel, stride, pad, dilation, where):
    out = (size + 2 * pad - dilation * (kernel - 1) - 1) // stride + 1
    if out < 1:
        raise ModelFormatError(f"{where}: the kernel does not fit an input of size {size}")
    return out


def _conv(m, pending, where):
    if m.padding_mode != "zeros":
        raise ModelFormatError(f"{where}: only padding_mode='zeros' is supported")
    c, h, w = _image(pending, where, m.in_channels)
    (kh, kw), (sh, sw), (dh, dw) = m.kernel_size, m.stride, m.dilation
    if isinstance(m.padding, str):  # "valid" or "same" (stride 1)
        if m.padding == "valid":
            ph = pw = 0
        else:
            raise ModelFormatError(f"{where}: padding='same' is not supported, give numbers")
    else:
        ph, pw = m.padding
    oh, ow = _out_size(h, kh, sh, ph, dh, where), _out_size(w, kw, sw, pw, dw, where)
    weight = _values(m.weight)  # shape (out, in / groups, kh, kw)
    bias = _values(m.bias) if m.bias is not None else [Fraction(0)] * m.out_channels
    per_group_in, per_group_out = m.in_channels // m.groups, m.out_channels // m.groups
    rows, biases = [], []
    for oc in range(m.out_channels):
        first = (oc // per_group_out) * per_group_in
        for i in range(oh):
            for j in range(ow):
                row = {}
                for ic in range(per_group_in):
                    for a in range(kh):
                        y = i * sh - ph + a * dh
                        if not 0 <= y < h:
                            continue
                        for b in range(kw):
                            x = j * sw - pw + b * dw
                            if 0 <= x < w:
                                k = ((oc * per_group_in + ic) * kh + a) * kw + b
                                col = ((first + ic) * h + y) * w + x
                                row[col] = row.get(col, 0) + weight[k]
                rows.append(row)
                biases.append(bias[oc])
    pending.apply(rows, biases, (m.out_channels, oh, ow))


def _windows(m, pending, where):
    """Yield ``(channel, [flat input indices])`` of every pooling window, in output order."""
    c, h, w = _image(pending, where)
    if m.ceil_mode:
        raise ModelFormatError(f"{where}: ceil_mode=True is not supported")
    (kh, kw) = _pair(m.kernel_size, "kernel_size")
    (sh, sw) = _pair(m.stride if m.stride is not None else m.kernel_size, "stride")
    (ph, pw) = _pair(m.padding, "padding")
    (dh, dw) = _pair(getattr(m, "dilation", 1), "dilation")
    oh, ow = _out_size(h, kh, sh, ph, dh, where), _out_size(w, kw, sw, pw, dw, where)
    windows = []
    for ch in range(c):
        for i in range(oh):
            for j in range(ow):
                cells = [(ch * h + y) * w + x
                         for y in (i * sh - ph + a * dh for a in range(kh)) if 0 <= y < h
                         for x in (j * sw - pw + b * dw for b in range(kw)) if 0 <= x < w]
                windows.append(cells)
    return windows, (c, oh, ow), kh * kw


def _avgpool(m, pending, where):
    windows, shape, full = _windows(m, pending, where)
    rows = []
    for cells in windows:
        if m.divisor_override:
            divisor = m.divisor_override
        else:
            divisor = full if m.count_include_pad else len(cells)
        rows.append({col: Fraction(1, divisor) for col in cells})
    pending.apply(rows, [Fraction(0)] * len(rows), shape)


def _maxpool(m, pending, layers, where):
    if getattr(m, "return_indices", False):
        raise ModelFormatError(f"{where}: return_indices=True is not supported")
    windows, shape, _ = _windows(m, pending, where)
    units = [[pending.dense(col) for col in cells] for cells in windows]
    layers.append(MaxoutLayer([[p[0] for p in unit] for unit in units],
                              [[p[1] for p in unit] for unit in units], where))
    return _Affine(len(units), shape)


def _sqrt(value, channel, where):
    """``sqrt(running_var + eps)`` of one channel, refused unless it is a positive rational."""
    root = rational_sqrt(value)
    if root:  # a zero root would divide by zero
        return root
    raise ModelFormatError(f"{where}: sqrt(running_var + eps) of channel {channel} is not rational "
                           f"(running_var + eps = {value}), so it cannot be folded in exactly")


def _batchnorm(m, pending, where):
    if m.training:
        raise ModelFormatError(f"{where} is in training mode: call model.eval() first")
    if m.running_mean is None or m.running_var is None:
        raise ModelFormatError(f"{where} has no running statistics (track_running_stats=False)")
    channels = m.num_features
    if pending.shape[0] != channels or len(pending.shape) not in (
            (1, 2) if type(m).__name__ == "BatchNorm1d" else (3,)):
        raise ModelFormatError(f"{where} expects {channels} channels, receives shape "
                               f"{pending.shape}")
    mean, var = _values(m.running_mean), _values(m.running_var)
    eps = Fraction(float(m.eps))
    gamma = _values(m.weight) if m.weight is not None else [Fraction(1)] * channels
    beta = _values(m.bias) if m.bias is not None else [Fraction(0)] * channels
    scale = [g / _sqrt(v + eps, c, where) for c, (g, v) in enumerate(zip(gamma, var))]
    shift = [bt - mu * s for bt, mu, s in zip(beta, mean, scale)]
    per = pending.size() // channels
    rows = [{i: scale[i // per]} for i in range(pending.size())]
    pending.apply(rows, [shift[i // per] for i in range(pending.size())], pending.shape)


def load_torch(path: str | os.PathLike[str], module: Any,
               input_shape: Sequence[int] | None = None) -> Network:
    """Load a state dict into `module` safely, then convert it with :func:`network_from_torch`.

    Parameters
    ----------
    path : str or path-like
        A file written by ``torch.save(model.state_dict(), path)``. It is read
        with ``torch.load(path, weights_only=True, map_location="cpu")``: only
        tensors and plain containers, never arbitrary pickled objects.
    module : torch.nn.Module
        The architecture, constructed by the caller; it is put in eval mode.
    input_shape : tuple of int, optional
        As in :func:`network_from_torch`.

    Raises
    ------
    ModelFormatError
        When the file cannot be read or does not fit `module`.

    Examples
    --------
    >>> import os, tempfile
    >>> import torch
    >>> from torch import nn
    >>> path = os.path.join(tempfile.mkdtemp(), "model.pt")
    >>> torch.save(nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 2)).state_dict(), path)
    >>> net = load_torch(path, nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 2)))
    >>> net.widths, [layer.kind for layer in net.layers]
    ((2, 3, 2), ['relu', 'linear'])
    """
    import torch

    try:
        state = torch.load(path, weights_only=True, map_location="cpu")
    except FileNotFoundError:
        raise ModelFormatError(f"model file not found: {path}") from None
    except Exception as err:  # torch raises many kinds on bad files
        raise ModelFormatError(f"cannot read {path} as a state dict: {err}") from err
    if not isinstance(state, dict):
        raise ModelFormatError(f"{path} does not hold a state dict")
    try:
        module.load_state_dict(state)
    except RuntimeError as err:
        raise ModelFormatError(f"{path} does not fit the module: {err}") from err
    module.eval()
    return network_from_torch(module, input_shape)
