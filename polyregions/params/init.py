"""Seeded random initializations of maxout and ReLU networks.

Every function returns an exact :class:`~polyregions.network.Network`: the
parameters are drawn as float64 numbers by a :func:`numpy.random.default_rng`
generator seeded with `seed`, and the network constructor reads each float at
its exact binary value. The same seed gives the same network, on every machine
numpy supports.

The initializations (see ``docs/initializations.md`` and the theory notes):

* ``"he"``: weights and biases ``N(0, 2 / fan_in)`` (He normal);
* ``"maxout_he"``: weights and biases ``N(0, 1 / (M_K fan_in))`` with
  ``M_K = E[(max of K iid N(0, 1))^2]`` (:func:`max_second_moment`);
* ``"sphere"``: as ``maxout_he``, then every piece's ``(w, b)`` is scaled to
  unit length and ``b`` replaced by ``|b| - 1 / sqrt(K fan_in)``;
* ``"many_regions"``: every unit draws one vector ``v`` as ``maxout_he``;
  piece ``j = 1..K`` is ``w_j = v cos(pi j / K + 0.01 e_j)``,
  ``b_j = sin(pi j / K + 0.01 e'_j)``: the pieces lie near a half circle, so
  every piece wins somewhere along ``v``.

A linear head (``outputs > 0``) is always He normal, ``N(0, 2 / fan_in)``, as in
the seed paper's code. ``zero_bias=True`` sets every bias to zero (the follow-up
paper's recommendation, with ``maxout_he`` weights).
"""

import functools
import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from ..errors import UsageError
from ..network import Layer, LinearLayer, MaxoutLayer, Network, ReluLayer

__all__ = [
    "INITIALIZATIONS",
    "max_second_moment",
    "maxout_he_std",
    "initialize",
    "he_normal",
    "maxout_he_normal",
    "sphere",
    "many_regions",
]

INITIALIZATIONS = ("he", "maxout_he", "sphere", "many_regions")


@functools.lru_cache(maxsize=None)
def max_second_moment(K: int) -> float:
    r"""``M_K = E[(max of K independent standard normals)^2]``, to double precision.

    .. math:: M_K = \int_{-\infty}^{\infty} x^2 \, K \varphi(x) \Phi(x)^{K-1} \, dx

    computed with :func:`mpmath.quad` at 40 significant digits (mpmath ships with
    sympy), with breakpoints around the mode of the maximum so that large ``K``
    is integrated as accurately as small ``K``.

    Parameters
    ----------
    K : int
        The rank, ``K >= 1``.

    Returns
    -------
    float
        Closed forms: ``M_1 = M_2 = 1``, ``M_3 = 1 + sqrt(3) / (2 pi)``,
        ``M_4 = 1 + sqrt(3) / pi``.

    Examples
    --------
    >>> max_second_moment(2)
    1.0
    >>> round(max_second_moment(5), 5)
    1.80002
    """
    if isinstance(K, bool) or not isinstance(K, (int, np.integer)) or K < 1:
        raise UsageError(f"the rank K must be a positive integer, got {K!r}")
    import mpmath

    K = int(K)
    with mpmath.workdps(40):
        def integrand(x):
            return x * x * K * mpmath.npdf(x) * mpmath.ncdf(x) ** (K - 1)

        mode = math.sqrt(2 * math.log(K)) if K > 1 else 0.0
        points = [-mpmath.inf] + [mode + s for s in range(-10, 11)] + [mpmath.inf]
        return float(mpmath.quad(integrand, points))


def maxout_he_std(fan_in: int, K: int) -> float:
    """The maxout-He standard deviation ``1 / sqrt(M_K fan_in)``.

    Examples
    --------
    >>> maxout_he_std(4, 2)
    0.5
    """
    if isinstance(fan_in, bool) or not isinstance(fan_in, (int, np.integer)) or fan_in < 1:
        raise UsageError(f"fan_in must be a positive integer, got {fan_in!r}")
    return 1.0 / math.sqrt(max_second_moment(K) * int(fan_in))


def _check(widths, kind, rank, init, outputs):
    widths = [int(w) for w in widths]
    if len(widths) < 2 or any(w < 1 for w in widths):
        raise UsageError(f"widths must be n0,n1,...,nL with every entry >= 1, got {widths}")
    if kind not in ("maxout", "relu"):
        raise UsageError(f"kind must be 'maxout' or 'relu', got {kind!r}")
    if kind == "relu":
        rank = 2
    if isinstance(rank, bool) or not isinstance(rank, (int, np.integer)) or rank < 1:
        raise UsageError(f"the rank must be a positive integer, got {rank!r}")
    if init not in INITIALIZATIONS:
        raise UsageError(f"unknown initialization {init!r}; choose one of "
                         f"{', '.join(INITIALIZATIONS)}")
    if kind == "relu" and init in ("sphere", "many_regions"):
        raise UsageError(f"the {init} initialization is defined for maxout units only")
    if isinstance(outputs, bool) or not isinstance(outputs, (int, np.integer)) or outputs < 0:
        raise UsageError(f"outputs must be a non-negative integer, got {outputs!r}")
    return widths, int(rank)


def _maxout_params(rng, init, units, K, fan_in):
    """Weights ``(units, K, fan_in)`` and biases ``(units, K)`` of one maxout layer."""
    if init == "he":
        std = math.sqrt(2.0 / fan_in)
        return rng.normal(0.0, std, (units, K, fan_in)), rng.normal(0.0, std, (units, K))
    std = maxout_he_std(fan_in, K)
    if init == "many_regions":
        v = rng.normal(0.0, std, (units, 1, fan_in))
        angles = np.pi * np.arange(1, K + 1) / K
        e, e2 = rng.normal(size=(units, K)), rng.normal(size=(units, K))
        return v * np.cos(angles + 0.01 * e)[:, :, None], np.sin(angles + 0.01 * e2)
    w, b = rng.normal(0.0, std, (units, K, fan_in)), rng.normal(0.0, std, (units, K))
    if init == "sphere":
        norm = np.sqrt((w * w).sum(axis=2) + b * b)
        w, b = w / norm[:, :, None], b / norm
        b = np.abs(b) - 1.0 / math.sqrt(K * fan_in)
    return w, b


def initialize(widths: Sequence[int], kind: str = "maxout", rank: int = 2, init: str = "maxout_he", *,
               outputs: int = 0, zero_bias: bool = False, seed: int | None = None) -> Network:
    """A random network with the named initialization (see the module docstring).

    Parameters
    ----------
    widths : sequence of int
        ``(n0, n1, ..., nL)``: input dimension and hidden widths.
    kind : {"maxout", "relu"}
    rank : int
        The rank ``K`` of every maxout unit (ignored for ReLU, where ``K = 2``
        is used by ``maxout_he``: ``M_2 = 1``, weights ``N(0, 1 / fan_in)``).
    init : {"he", "maxout_he", "sphere", "many_regions"}
    outputs : int
        Units of a final linear layer (0: none), drawn He normal.
    zero_bias : bool
        Set every bias (hidden and head) to zero.
    seed : int or None
        The seed of :func:`numpy.random.default_rng`.

    Returns
    -------
    Network
        Exact parameters: every float at its exact binary value.

    Raises
    ------
    UsageError
        When an argument is out of range (the message names it).

    Examples
    --------
    >>> net = initialize((2, 3, 3), "maxout", 3, "maxout_he", outputs=2, seed=0)
    >>> net
    Network(input_dim=2, layers=[maxout[3], maxout[3], linear[2]])
    >>> net == initialize((2, 3, 3), "maxout", 3, "maxout_he", outputs=2, seed=0)
    True
    """
    widths, K = _check(widths, kind, rank, init, outputs)
    rng = np.random.default_rng(seed)
    layers: list[Layer] = []
    for fan_in, units in zip(widths[:-1], widths[1:]):
        if kind == "maxout":
            w, b = _maxout_params(rng, init, units, K, fan_in)
            if zero_bias:
                b = np.zeros_like(b)
            layers.append(MaxoutLayer(w.tolist(), b.tolist()))
        else:
            std = math.sqrt(2.0 / fan_in) if init == "he" else maxout_he_std(fan_in, 2)
            w, b = rng.normal(0.0, std, (units, fan_in)), rng.normal(0.0, std, units)
            layers.append(ReluLayer(w.tolist(), (0 * b if zero_bias else b).tolist()))
    if outputs:
        std = math.sqrt(2.0 / widths[-1])
        w, b = rng.normal(0.0, std, (outputs, widths[-1])), rng.normal(0.0, std, outputs)
        layers.append(LinearLayer(w.tolist(), (0 * b if zero_bias else b).tolist()))
    return Network(widths[0], layers)


def he_normal(widths: Sequence[int], kind: str = "maxout", rank: int = 2, **options: Any) -> Network:
    """:func:`initialize` with ``init="he"``: weights and biases ``N(0, 2 / fan_in)``.

    Examples
    --------
    >>> net = he_normal([2, 3, 3], rank=2, outputs=2, seed=0)
    >>> net.widths, [layer.kind for layer in net.layers]
    ((2, 3, 3, 2), ['maxout', 'maxout', 'linear'])
    """
    return initialize(widths, kind, rank, "he", **options)


def maxout_he_normal(widths: Sequence[int], kind: str = "maxout", rank: int = 2,
                     **options: Any) -> Network:
    """:func:`initialize` with ``init="maxout_he"``: ``N(0, 1 / (M_K fan_in))``.

    Examples
    --------
    >>> net = maxout_he_normal([2, 4], kind="relu", seed=0)
    >>> net.widths, net.layers[0].kind
    ((2, 4), 'relu')
    """
    return initialize(widths, kind, rank, "maxout_he", **options)


def sphere(widths: Sequence[int], rank: int = 2, **options: Any) -> Network:
    """:func:`initialize` with ``init="sphere"`` (maxout only).

    Notes
    -----
    Each piece's ``(w, b)`` is scaled to unit Euclidean length before
    ``b -> |b| - 1 / sqrt(K fan_in)``. The seed paper's official code adds ``b``
    to every weight entry before taking the norm, which looks unintended; we
    normalise the vector ``(w, b)`` itself.

    Examples
    --------
    >>> net = sphere([2, 3], rank=3, seed=0)
    >>> net.widths, len(net.layers[0].pieces()[0])          # 3 units of 3 pieces
    ((2, 3), 3)
    """
    return initialize(widths, "maxout", rank, "sphere", **options)


def many_regions(widths: Sequence[int], rank: int = 2, **options: Any) -> Network:
    """:func:`initialize` with ``init="many_regions"`` (maxout only).

    Examples
    --------
    >>> from polyregions import enumerate_regions
    >>> from polyregions.params.constructions import enclosing_box
    >>> net = many_regions([2, 3], rank=3, seed=0)
    >>> len(enumerate_regions(net, enclosing_box(net)))     # the maximum for 3 rank-3 units in 2-D
    19
    """
    return initialize(widths, "maxout", rank, "many_regions", **options)
