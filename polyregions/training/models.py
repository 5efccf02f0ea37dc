"""PyTorch MLP classifiers whose parameters are exactly a polyregions initialization.

:func:`torch_network` builds an ``nn.Sequential`` of
:class:`~polyregions.io.torch.Maxout` layers (or ``nn.Linear`` + ``nn.ReLU``)
and a linear head, and copies into it the parameters that
:func:`polyregions.params.init.initialize` draws for the same settings. The
initializations draw float64 numbers, so in float64 the model *is* that exact
network: ``network_from_torch(torch_network(...)) == initialize(...)``. In
float32 the parameters are rounded to the nearest float32.
"""

from typing import Any

from ..errors import require_extra
from ..io.torch import maxout_class
from ..network import LinearLayer, MaxoutLayer, Network, ReluLayer
from ..params.init import initialize

__all__ = ["torch_network", "require_torch"]


def require_torch() -> Any:
    """The ``torch`` module, or a one-line error naming the install command.

    Raises
    ------
    MissingDependencyError
        When PyTorch is not installed.

    Examples
    --------
    >>> require_torch().__name__
    'torch'
    """
    return require_extra("torch", "torch", "training with PyTorch")


def torch_network(widths: Any, classes: int, kind: str = "maxout", rank: int = 2,
                  init: str = "maxout_he", *, zero_bias: bool = False, seed: int = 0,
                  dtype: Any = None) -> Any:
    """An ``nn.Sequential`` MLP classifier holding the parameters of :func:`initialize`.

    Parameters
    ----------
    widths : sequence of int
        ``(n0, n1, ..., nL)``: the input dimension and the hidden widths.
    classes : int
        The outputs of the linear head (the logits).
    kind : {"maxout", "relu"}
    rank : int
        The rank of the maxout units.
    init : str
        An initialization of :mod:`polyregions.params.init`.
    zero_bias : bool
        Every bias zero.
    seed : int
        The seed of the initialization.
    dtype : torch.dtype, optional
        The parameters' dtype, by default ``torch.float64`` (the exact initialization).

    Raises
    ------
    UsageError
        For settings :func:`initialize` refuses.
    MissingDependencyError
        Without PyTorch.

    Examples
    --------
    >>> from polyregions.io.torch import network_from_torch
    >>> model = torch_network((2, 3), 2, "maxout", 2, seed=1)
    >>> network_from_torch(model) == initialize((2, 3), "maxout", 2, "maxout_he", outputs=2, seed=1)
    True
    """
    torch = require_torch()
    net = initialize(widths, kind, rank, init, outputs=classes, zero_bias=zero_bias, seed=seed)
    model = torch.nn.Sequential(*_modules(torch, net))
    return model.to(torch.float64 if dtype is None else dtype)


def _modules(torch, net: Network) -> list[Any]:
    """The torch modules of `net`'s layers, their parameters copied (float64, exact)."""
    nn, modules = torch.nn, []
    for layer in net.layers:
        if isinstance(layer, MaxoutLayer):
            module = maxout_class()(layer.input_dim, layer.units, layer.ranks[0]).double()
            # Row u * rank + k of the linear map is piece k of unit u (the Maxout convention).
            _copy(torch, module.linear, [w for unit in layer.weights for w in unit],
                  [b for unit in layer.biases for b in unit])
            modules.append(module)
        elif isinstance(layer, (ReluLayer, LinearLayer)):
            linear = nn.Linear(layer.input_dim, layer.units).double()
            _copy(torch, linear, layer.weights, layer.biases)
            modules += [linear, nn.ReLU()] if isinstance(layer, ReluLayer) else [linear]
        else:  # initialize makes only these kinds
            raise TypeError(f"no torch module for a {layer.kind} layer")
    return modules


def _copy(torch, linear: Any, weights: Any, biases: Any) -> None:
    with torch.no_grad():
        linear.weight.copy_(torch.tensor([[float(v) for v in row] for row in weights],
                                         dtype=torch.float64))
        linear.bias.copy_(torch.tensor([float(v) for v in biases], dtype=torch.float64))
