"""Theoretical bounds on the number of activation regions, in exact arithmetic.

Every formula returns a sympy ``Integer``, ``Rational`` or expression, and its
docstring names its source, its hypotheses and how sure we are of it:

* **verbatim**: the formula was read in the source;
* **reconstructed**: consistent with every check we ran (brute-force counts in
  ``tests/test_bounds.py``) but not read in the source.

See ``docs/theory.md`` for the definitions and the full list.

Conventions
-----------
``widths = (n0, n1, ..., nL)`` is the input dimension followed by the widths of
the *hidden* layers (every layer with an activation pattern); ``ranks`` gives,
per hidden layer, one rank for all its units (an int) or one rank per unit (a
list). A ReLU or leaky ReLU unit has rank 2; a rank-1 unit is affine and adds
no region. "Regions" are full-dimensional activation regions in ``R^n0``.

The upper bounds bound the maximum over all parameters; the lower bounds are
lower bounds *on that maximum* (some parameters attain at least that many); the
expected-value bounds (Tseran & Montúfar 2021) bound the average over random
parameters of the number of regions in a cube.
"""

import math
from collections.abc import Iterable, Sequence
from fractions import Fraction
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import sympy

from .errors import BoundsError

if TYPE_CHECKING:
    from .network import Network

__all__ = [
    "BoundsError",
    "one_layer_max_regions",
    "deep_upper_bound",
    "serra_maxout_bound",
    "serra_relu_bound",
    "architecture_max_regions",
    "network_max_regions",
    "layers_max_regions",
    "montufar_lower_bound",
    "serra_lower_bound",
    "expected_regions_bound",
    "expected_db_pieces_bound",
    "expected_regions_growth",
    "expected_db_growth",
    "c_bias_gaussian",
    "c_grad_estimate",
    "bounds_report",
    "network_bounds_report",
    "report_to_json",
]

Ranks = int | Sequence[int | Sequence[int]]
"""One rank for every hidden unit, or per hidden layer one rank or one rank per unit."""


# ----------------------------------------------------------------------------- validation


def _positive_int(value, what):
    if isinstance(value, bool) or not isinstance(value, (int, sympy.Integer)):
        raise BoundsError(f"{what} must be a positive integer, got {value!r}")
    if int(value) < 1:
        raise BoundsError(f"{what} must be at least 1, got {value}")
    return int(value)


def _widths(widths):
    try:
        widths = list(widths)
    except TypeError:
        raise BoundsError(f"widths must be a sequence (n0, n1, ..., nL), got {widths!r}") from None
    if len(widths) < 2:
        raise BoundsError("widths must give n0 and at least one hidden layer: (n0, n1, ..., nL)")
    n0 = _positive_int(widths[0], "the input dimension n0")
    return n0, [_positive_int(n, f"width n{i}") for i, n in enumerate(widths[1:], 1)]


def _layer_ranks(ranks, hidden):
    """Per hidden layer, the tuple of its units' ranks (`ranks` int or per layer)."""
    if isinstance(ranks, (int, sympy.Integer)) and not isinstance(ranks, bool):
        ranks = [ranks] * len(hidden)
    try:
        ranks = list(ranks)
    except TypeError:
        raise BoundsError(f"ranks must be an int or one entry per hidden layer, got {ranks!r}") from None
    if len(ranks) != len(hidden):
        raise BoundsError(f"ranks has {len(ranks)} entries for {len(hidden)} hidden layers")
    result = []
    for layer, (r, n) in enumerate(zip(ranks, hidden), 1):
        if isinstance(r, (int, sympy.Integer)) and not isinstance(r, bool):
            result.append((_positive_int(r, f"rank of layer {layer}"),) * n)
            continue
        r = [_positive_int(k, f"rank in layer {layer}") for k in r]
        if len(r) != n:
            raise BoundsError(f"layer {layer} has {n} units but {len(r)} ranks")
        result.append(tuple(r))
    return result


def _elementary_symmetric(values, j):
    """e_j(values) by the usual recurrence (exact integers)."""
    e = [1] + [0] * j
    for v in values:
        for i in range(j, 0, -1):
            e[i] += e[i - 1] * v
    return e[j]


def _binomial(n, k):
    return sympy.Integer(math.comb(n, k)) if 0 <= k <= n else sympy.Integer(0)


# ----------------------------------------------------------------------------- upper bounds


def one_layer_max_regions(n0: int, ranks: Sequence[int]) -> sympy.Integer:
    r"""The maximum number of regions of one layer of maxout units on ``R^n0``.

    .. math:: \sum_{j=0}^{n_0} e_j(k_1 - 1, \dots, k_n - 1)

    with :math:`e_j` the elementary symmetric polynomial; for equal ranks ``K``
    this is :math:`\sum_{j=0}^{n_0} \binom{n}{j} (K-1)^j`.

    Source: Montúfar, Ren & Zhang, "Sharp bounds for the number of regions of
    maxout networks and vertices of Minkowski sums" (2021), case with biases.
    **Reconstructed**: not read in the paper; checked against brute-force counts
    (never exceeded by random layers; attained for n0 = 2, n = 3, K = 3 (19) and
    n0 = 1, n = 4, K = 3 (9)). For ranks all 2 (ReLU, leaky ReLU) it is
    Zaslavsky's count of ``n`` hyperplanes in general position (**verbatim**).

    Parameters
    ----------
    n0 : int
        The input dimension, ``n0 >= 1``.
    ranks : sequence of int
        The rank ``k_u >= 1`` of every unit (ReLU = 2). Rank-1 units add nothing.

    Returns
    -------
    sympy.Integer
        The exact maximum (an upper bound for every parameter choice, attained
        by generic "pieces on a circle" parameters).

    Raises
    ------
    BoundsError
        When `n0` or a rank is not a positive integer.

    Examples
    --------
    >>> one_layer_max_regions(2, [3, 3, 3])   # 1 + 3*2 + 3*4
    19
    >>> one_layer_max_regions(2, [2] * 4)     # 4 lines: 1 + 4 + 6
    11
    """
    n0 = _positive_int(n0, "the input dimension n0")
    ks = [_positive_int(k, "a rank") - 1 for k in ranks]
    return sympy.Integer(sum(_elementary_symmetric(ks, j) for j in range(min(n0, len(ks)) + 1)))


def _effective_dims(n0, hidden):
    """d_l = min(n0, n1, ..., n_{l-1}) for every hidden layer l."""
    dims, d = [], n0
    for n in hidden:
        dims.append(d)
        d = min(d, n)
    return dims


def deep_upper_bound(widths: Sequence[int], ranks: Ranks) -> sympy.Integer:
    r"""The product over layers of the one-layer maximum at the effective dimension.

    .. math:: \prod_{l=1}^{L} \mathrm{M}(d_l; k_{l,1}, \dots, k_{l,n_l}),
              \qquad d_l = \min(n_0, n_1, \dots, n_{l-1}),

    with M the bound of :func:`one_layer_max_regions`.

    Source: follows from the one-layer bound applied region by region (on a
    region of layers ``< l`` the network is affine with an image of dimension at
    most ``d_l``, and layer ``l`` restricted to that image is one maxout layer
    on ``R^{d_l}``). Inherits the status of :func:`one_layer_max_regions`
    (**reconstructed** for maxout; rank 2 rests on Zaslavsky, verbatim). Valid
    for any mix of maxout, ReLU and leaky ReLU layers.

    Parameters
    ----------
    widths : sequence of int
        ``(n0, n1, ..., nL)``: input dimension and hidden widths.
    ranks : int or sequence
        One rank for every unit (int), or per hidden layer an int or a list of
        the units' ranks.

    Returns
    -------
    sympy.Integer

    Examples
    --------
    >>> deep_upper_bound((2, 3, 3), 3)   # 19 * 19
    361
    >>> deep_upper_bound((2, 1, 4), 2)   # 2 * (1 + 4): the second layer sees a line
    10
    """
    n0, hidden = _widths(widths)
    layer_ranks = _layer_ranks(ranks, hidden)
    result = sympy.Integer(1)
    for d, ks in zip(_effective_dims(n0, hidden), layer_ranks):
        result *= one_layer_max_regions(d, ks)
    return result


def serra_maxout_bound(widths: Sequence[int], K: int) -> sympy.Integer:
    r"""Serra, Tjandraatmadja & Ramalingam's bound for deep rank-K maxout networks.

    .. math:: \prod_{l=1}^{L} \sum_{j=0}^{d_l} \binom{K(K-1)/2 \cdot n_l}{j},
              \qquad d_l = \min(n_0, n_1, \dots, n_{l-1}).

    Source: Serra et al., "Bounding and counting linear regions of deep neural
    networks", ICML 2018, Theorem 8 (**verbatim** formula; every unit of every
    layer has rank ``K``). Each layer's ``K(K-1)/2 n_l`` pairwise tie
    hyperplanes are counted with Zaslavsky's bound. We use the effective
    dimension of the project's theory notes; reading ``d_l`` with ``n_l`` also in
    the minimum gives a value no larger, also a valid bound.

    Parameters
    ----------
    widths : sequence of int
        ``(n0, n1, ..., nL)``.
    K : int
        The common rank, ``K >= 1`` (rank-1 networks are affine: the bound is 1).

    Returns
    -------
    sympy.Integer

    Examples
    --------
    >>> serra_maxout_bound((2, 3), 3)    # 1 + 9 + 36
    46
    """
    n0, hidden = _widths(widths)
    K = _positive_int(K, "the rank K")
    result = sympy.Integer(1)
    for d, n in zip(_effective_dims(n0, hidden), hidden):
        m = K * (K - 1) // 2 * n
        result *= sum((_binomial(m, j) for j in range(d + 1)), sympy.Integer(0))
    return result


def serra_relu_bound(widths: Sequence[int]) -> sympy.Integer:
    r"""Serra, Tjandraatmadja & Ramalingam's bound for deep ReLU networks.

    .. math:: \sum_{(j_1, \dots, j_L) \in J} \prod_{l=1}^{L} \binom{n_l}{j_l},
              \quad J = \{0 \le j_l \le \min(n_0, n_1 - j_1, \dots,
              n_{l-1} - j_{l-1}, n_l)\ \forall l\}.

    Source: Serra et al., ICML 2018, Theorem 1 (**verbatim**). Tight for one
    hidden layer (it is then Zaslavsky's count); for ``n0 = 1`` and every
    ``n_l >= 3`` it equals the exact maximum ``prod (n_l + 1)`` (their Thm 5).

    Hypotheses: every hidden unit is a ReLU ``max(0, z)``. It does **not** hold
    for rank-2 maxout units: ``|x|`` composed with ``|y - 1|`` (widths 1, 1, 1)
    has 4 regions, above this bound's 3. We also do not apply it to leaky ReLU.

    Parameters
    ----------
    widths : sequence of int
        ``(n0, n1, ..., nL)``.

    Returns
    -------
    sympy.Integer

    Examples
    --------
    >>> serra_relu_bound((2, 4))         # 1 + 4 + 6: four lines in the plane
    11
    >>> serra_relu_bound((1, 3, 3))      # n0 = 1: (3 + 1) (3 + 1)
    16
    """
    n0, hidden = _widths(widths)
    hidden = tuple(hidden)

    @lru_cache(maxsize=None)
    def rest(layer, cap):
        # Sum over j_layer..j_L given the running cap min(n0, n_1 - j_1, ...).
        if layer == len(hidden):
            return 1
        n = hidden[layer]
        return sum(math.comb(n, j) * rest(layer + 1, min(cap, n - j)) for j in range(min(cap, n) + 1))

    return sympy.Integer(rest(0, n0))


def _exact_layers(n0, layer_ranks):
    """True when at most one layer has a unit of rank >= 2 (others are affine)."""
    return sum(1 for ks in layer_ranks if max(ks) >= 2) <= 1


def architecture_max_regions(widths: Sequence[int], ranks: Ranks,
                             relu: bool = False) -> tuple[sympy.Integer, bool]:
    """The least applicable upper bound on the number of regions, and whether it is exact.

    The minimum of :func:`deep_upper_bound`, :func:`serra_maxout_bound` (with
    ``K`` the largest rank: a rank-k unit is a rank-K unit with repeated pieces,
    which never win a tie) and, when `relu` is true, :func:`serra_relu_bound`.

    The value is the exact maximum over all parameters (``is_exact``) when at
    most one hidden layer has a unit of rank >= 2 (the one-layer formula; the
    other layers are affine), or when `relu`, ``n0 = 1`` and every width is at
    least 3 (Serra et al. Thm 5). Exactness for maxout rests on the
    **reconstructed** one-layer formula.

    Parameters
    ----------
    widths : sequence of int
        ``(n0, n1, ..., nL)``.
    ranks : int or sequence
        As in :func:`deep_upper_bound`.
    relu : bool, optional
        Every hidden unit is a ReLU ``max(0, z)`` (ranks must then be 2).

    Returns
    -------
    (sympy.Integer, bool)

    Examples
    --------
    >>> architecture_max_regions((2, 3), 3)
    (19, True)
    >>> architecture_max_regions((1, 3, 3), 2, relu=True)
    (16, True)
    >>> architecture_max_regions((2, 3, 3), 2)
    (49, False)
    """
    n0, hidden = _widths(widths)
    layer_ranks = _layer_ranks(ranks, hidden)
    if relu and any(k != 2 for ks in layer_ranks for k in ks):
        raise BoundsError("relu=True needs every rank to be 2")
    bounds = _upper_bounds(n0, hidden, layer_ranks, relu)
    value = min(v for v in bounds.values() if v is not None)
    exact = _exact_layers(n0, layer_ranks) or (relu and n0 == 1 and min(hidden) >= 3)
    return value, exact


def _upper_bounds(n0, hidden, layer_ranks, relu):
    widths = [n0] + list(hidden)
    K = max(max(ks) for ks in layer_ranks)
    return {
        "deep_product": deep_upper_bound(widths, [list(ks) for ks in layer_ranks]),
        "serra_maxout": serra_maxout_bound(widths, K),
        "serra_relu": serra_relu_bound(widths) if relu else None,
    }


def _network_architecture(input_dim, layers):
    """(n0, pattern-layer widths, their ranks, relu?, bottleneck dims per pattern layer)."""
    hidden, layer_ranks, dims = [], [], []
    d = input_dim
    relu = True
    for kind, ranks in layers:
        if kind != "linear":
            hidden.append(len(ranks))
            layer_ranks.append(tuple(ranks))
            dims.append(d)
            relu = relu and kind == "relu"
        d = min(d, len(ranks))
    return input_dim, hidden, layer_ranks, relu and bool(hidden), dims


def _layer_shapes(network):
    return [(layer.kind, tuple(len(unit) for unit in layer.pieces())) for layer in network.layers]


def network_max_regions(network: "Network") -> tuple[sympy.Integer, bool]:
    """The least applicable upper bound for a :class:`~polyregions.Network`, and exactness.

    Linear layers add no region: they are composed into the next layer for the
    Serra bounds and only narrow the effective dimension of the product bound
    (``d`` is the least width met so far, linear layers included). ReLU and
    leaky ReLU units have rank 2, maxout units their number of pieces; Serra's
    ReLU bound is used only when every layer with a pattern is a ReLU layer.

    This is what a certificate's count is checked against ("the count is at
    most the proven maximum"). See :func:`architecture_max_regions` for the sources
    and their status; for maxout layers the bound rests on the
    **reconstructed** one-layer formula, for ReLU layers on verbatim theorems.

    Parameters
    ----------
    network : polyregions.Network

    Returns
    -------
    (sympy.Integer, bool)
        The bound and whether it is the exact maximum for the architecture.

    Examples
    --------
    >>> from polyregions import Network, ReluLayer, LinearLayer
    >>> net = Network(2, [ReluLayer([[1, 0], [0, 1], [1, 1]], [0, 0, -1]),
    ...                   LinearLayer([[1, 1, 1]], [0])])
    >>> network_max_regions(net)       # three lines in the plane: 1 + 3 + 3
    (7, True)
    """
    return layers_max_regions(network.input_dim, _layer_shapes(network))


def layers_max_regions(input_dim: int,
                       layers: Sequence[tuple[str, Sequence[int]]]) -> tuple[sympy.Integer, bool]:
    """:func:`network_max_regions` of the architecture given by its layers' kinds and ranks.

    What a reader of a network that has no :class:`~polyregions.Network` (the
    certificate verifier, which parses models on its own) needs.

    Parameters
    ----------
    input_dim : int
    layers : sequence of (str, sequence of int)
        Per layer its kind (``"relu"``, ``"leaky_relu"``, ``"maxout"`` or
        ``"linear"``) and the rank (number of pieces) of each unit: 2 for a
        ReLU or leaky ReLU unit, 1 for a linear one.

    Returns
    -------
    (sympy.Integer, bool)

    Examples
    --------
    >>> layers_max_regions(2, [("relu", (2, 2, 2)), ("linear", (1,))])
    (7, True)
    """
    n0, hidden, layer_ranks, relu, dims = _network_architecture(input_dim, layers)
    if not hidden:
        return sympy.Integer(1), True
    bounds = _network_upper_bounds(n0, hidden, layer_ranks, relu, dims)
    value = min(v for v in bounds.values() if v is not None)
    exact = _exact_layers(n0, layer_ranks) or (relu and n0 == 1 and min(hidden) >= 3)
    return value, exact


def _network_upper_bounds(n0, hidden, layer_ranks, relu, dims):
    product = sympy.Integer(1)
    for d, ks in zip(dims, layer_ranks):
        product *= one_layer_max_regions(d, ks)
    bounds = _upper_bounds(n0, hidden, layer_ranks, relu)
    bounds["deep_product"] = product
    return bounds


# ----------------------------------------------------------------------------- lower bounds


def montufar_lower_bound(widths: Sequence[int]) -> sympy.Integer:
    r"""Montúfar, Pascanu, Cho & Bengio's (2014) lower bound on the maximum, ReLU networks.

    .. math:: \Big(\prod_{l=1}^{L-1} \lfloor n_l / n_0 \rfloor^{n_0}\Big)
              \sum_{j=0}^{n_0} \binom{n_L}{j}

    Source: Montúfar et al., "On the number of linear regions of deep neural
    networks", NeurIPS 2014, as quoted by Serra et al. 2018 (**verbatim** as
    quoted). Some ReLU network of these widths has at least this many linear
    regions, hence at least this many activation regions; a maxout network of
    rank >= 2 can realise the same ReLU network, so it bounds their maximum too.

    Hypotheses: ``n_l >= n0`` for every hidden layer; otherwise None.

    Examples
    --------
    >>> montufar_lower_bound((1, 2, 2))   # 2 * (1 + 2)
    6
    >>> montufar_lower_bound((2, 1, 4)) is None
    True
    """
    n0, hidden = _widths(widths)
    if min(hidden) < n0:
        return None
    factor = math.prod((n // n0) ** n0 for n in hidden[:-1])
    return sympy.Integer(factor * sum(math.comb(hidden[-1], j) for j in range(n0 + 1)))


def serra_lower_bound(widths: Sequence[int]) -> sympy.Integer:
    r"""Serra, Tjandraatmadja & Ramalingam's (2018) lower bound on the maximum, ReLU networks.

    .. math:: \Big(\prod_{l=1}^{L-1} (\lfloor n_l / n_0 \rfloor + 1)^{n_0}\Big)
              \sum_{j=0}^{n_0} \binom{n_L}{j}

    Source: Serra et al., ICML 2018, Theorem 6 (**verbatim**). Applies to
    maxout networks of rank >= 2 as in :func:`montufar_lower_bound`.

    Hypotheses: ``n_l >= 3 n0`` for every hidden layer; otherwise None.

    Examples
    --------
    >>> serra_lower_bound((1, 3, 3))      # 4 * (1 + 3): equals the maximum prod(n_l + 1)
    16
    >>> serra_lower_bound((2, 5, 5)) is None
    True
    """
    n0, hidden = _widths(widths)
    if min(hidden) < 3 * n0:
        return None
    factor = math.prod((n // n0 + 1) ** n0 for n in hidden[:-1])
    return sympy.Integer(factor * sum(math.comb(hidden[-1], j) for j in range(n0 + 1)))


# ----------------------------------------------------------------------------- expected values


def _exact(value, what):
    """An exact sympy number or expression; floats at their exact binary value."""
    if isinstance(value, sympy.Basic):
        return value
    if isinstance(value, float):
        return sympy.Rational(Fraction(value).numerator, Fraction(value).denominator)
    try:
        return sympy.sympify(value, strict=isinstance(value, (int, Fraction)))
    except (sympy.SympifyError, TypeError, ValueError):
        raise BoundsError(f"{what} must be a number, got {value!r}") from None


def expected_regions_bound(volume: Any, n0: int, K: int, N: int, C_bias: Any,
                           C_grad: Any) -> sympy.Expr | None:
    r"""The seed paper's upper bound on the expected number of activation regions in a cube.

    .. math:: \mathbb{E}[\#\text{regions in } C] \lesssim \mathrm{vol}(C)
              \binom{K n_0}{2 n_0} \frac{(T K N)^{n_0}}{n_0!}, \qquad
              T = 2^5 C_{\text{bias}} C_{\text{grad}}.

    Source: Tseran & Montúfar, "On the expected complexity of maxout networks",
    NeurIPS 2021, as implemented in the official code (**verbatim code**).

    Hypotheses (**reconstructed**, not checkable here): weights have a density;
    conditional densities of the biases are bounded by ``C_bias``; gradient
    moments of the pieces are bounded by ``C_grad``; the cube's side is above a
    threshold. Checked here: ``K >= 2`` and ``N >= n0``; otherwise None.

    Parameters
    ----------
    volume : number or sympy expression
        ``vol(C)``.
    n0, K, N : int
        Input dimension, rank, total number of maxout units.
    C_bias, C_grad : number or sympy expression
        See :func:`c_bias_gaussian` and :func:`c_grad_estimate`.

    Returns
    -------
    sympy expression or None

    Examples
    --------
    >>> expected_regions_bound(36, 2, 2, 20, 1, 1)   # 36 * C(4, 4) * (32 * 2 * 20)**2 / 2!
    29491200
    """
    n0, K, N = (_positive_int(v, name) for v, name in ((n0, "n0"), (K, "K"), (N, "N")))
    if K < 2 or N < n0:
        return None
    T = 2**5 * _exact(C_bias, "C_bias") * _exact(C_grad, "C_grad")
    return sympy.simplify(_exact(volume, "volume") * _binomial(K * n0, 2 * n0)
                          * (T * K * N) ** n0 / sympy.factorial(n0))


def expected_db_pieces_bound(volume: Any, n0: int, K: int, N: int, C_bias: Any,
                             C_grad: Any) -> sympy.Expr | None:
    r"""The seed paper's upper bound on the expected number of decision-boundary pieces in a cube.

    .. math:: \mathbb{E}[\#\text{pieces in } C] \lesssim \mathrm{vol}(C)\, T^{n_0}
              (2 K N)^{n_0 - 1} \binom{K (n_0 - 1)}{2 (n_0 - 1)} \frac{1}{(n_0 - 1)!},
              \qquad T = 2^4 C_{\text{bias}} C_{\text{grad}}.

    Source and hypotheses as :func:`expected_regions_bound` (**verbatim code**,
    hypotheses **reconstructed**); checked here: ``K >= 2``, ``N >= n0``.

    Examples
    --------
    >>> expected_db_pieces_bound(36, 2, 2, 20, 1, 1)  # 36 * 16**2 * 80 * 1 / 1
    737280
    """
    n0, K, N = (_positive_int(v, name) for v, name in ((n0, "n0"), (K, "K"), (N, "N")))
    if K < 2 or N < n0:
        return None
    T = 2**4 * _exact(C_bias, "C_bias") * _exact(C_grad, "C_grad")
    m = n0 - 1
    return sympy.simplify(_exact(volume, "volume") * T**n0 * (2 * K * N) ** m
                          * _binomial(K * m, 2 * m) / sympy.factorial(m))


def expected_regions_growth(n0: int, K: int, N: int, with_rank: bool = True) -> sympy.Expr:
    r"""The growth form of the expected number of regions.

    ``(K N)^n0 C(K n0, 2 n0) / n0!``, or ``N^n0 / n0!`` with ``with_rank=False``.
    Source: the seed paper's official code (**verbatim code**). Meaningful for
    ``K >= 2`` (for ``K = 1`` the binomial is 0).

    Examples
    --------
    >>> expected_regions_growth(2, 2, 20), expected_regions_growth(2, 2, 20, with_rank=False)
    (800, 200)
    """
    n0, K, N = (_positive_int(v, name) for v, name in ((n0, "n0"), (K, "K"), (N, "N")))
    if not with_rank:
        return sympy.Integer(N) ** n0 / sympy.factorial(n0)
    return sympy.Integer(K * N) ** n0 * _binomial(K * n0, 2 * n0) / sympy.factorial(n0)


def expected_db_growth(n0: int, K: int, N: int, with_rank: bool = True) -> sympy.Expr:
    r"""The growth form of the expected number of decision-boundary pieces.

    ``(K N)^(n0-1) C(K (n0-1), 2 (n0-1)) / (n0-1)!``, or ``N^(n0-1) / (n0-1)!``
    with ``with_rank=False``. Source: the seed paper's official code
    (**verbatim code**).

    Examples
    --------
    >>> expected_db_growth(2, 2, 20), expected_db_growth(2, 2, 20, with_rank=False)
    (40, 20)
    """
    n0, K, N = (_positive_int(v, name) for v, name in ((n0, "n0"), (K, "K"), (N, "N")))
    m = n0 - 1
    if not with_rank:
        return sympy.Integer(N) ** m / sympy.factorial(m)
    return sympy.Integer(K * N) ** m * _binomial(K * m, 2 * m) / sympy.factorial(m)


def c_bias_gaussian(stds: Iterable[Any]) -> sympy.Expr:
    r"""``C_bias`` for Gaussian biases: ``max_l 1 / (sqrt(2 pi) s_l)``.

    The largest density of ``N(0, s^2)``, over the given standard deviations
    (one per layer). Source: the project's theory notes, from the seed paper
    (**reconstructed**: the density bound of a Gaussian is standard).

    Parameters
    ----------
    stds : sequence of positive numbers
        Ints, Fractions, strings ``"p/q"`` (exact) or floats (their exact binary
        value), or sympy expressions such as ``sympy.sqrt(2)``.

    Returns
    -------
    sympy expression

    Examples
    --------
    >>> c_bias_gaussian(["1/2", 1])
    sqrt(2)/sqrt(pi)
    """
    values = [_exact(s, "a standard deviation") for s in stds]
    if not values:
        raise BoundsError("c_bias_gaussian needs at least one standard deviation")
    for s in values:
        if not (s.is_positive):
            raise BoundsError(f"standard deviations must be positive, got {s}")
    return sympy.simplify(1 / (sympy.sqrt(2 * sympy.pi) * sympy.Min(*values)))


def c_grad_estimate(network: "Network", points: Iterable[Sequence[Any]]) -> float:
    """An estimate of ``C_grad``: max over points of the mean over units of ``|grad z|``.

    At each point the active piece of every unit (of every layer with a
    pattern) is an affine function of the input; this takes the Euclidean norm
    of its input-gradient, averages over the units, and returns the largest
    average over the points. Patterns and gradients are computed exactly; the
    norms are floats. It is an **estimate** (theory notes, item 6: the seed
    paper's C_grad bounds gradient moments over the parameter distribution;
    average the estimate over several networks drawn from it).

    Parameters
    ----------
    network : polyregions.Network
    points : iterable of sequences of numbers
        Inputs (e.g. a grid over the cube of interest).

    Returns
    -------
    float

    Examples
    --------
    >>> from polyregions import Network, ReluLayer
    >>> net = Network(1, [ReluLayer([[2], [-1]], [0, 0])])
    >>> c_grad_estimate(net, [[1], [-1]])   # at 1: (2 + 0)/2; at -1: (0 + 1)/2
    1.0
    """
    from .numbers import to_fraction

    if network.hidden_units == 0:
        raise BoundsError("the network has no units with an activation pattern")
    best = None
    n0 = network.input_dim
    for point in points:
        y = tuple(to_fraction(v, "point coordinate") for v in point)
        if len(y) != n0:
            raise BoundsError(f"a point has {len(y)} coordinates, expected {n0}")
        jac = [tuple(Fraction(int(i == j)) for j in range(n0)) for i in range(n0)]
        total = 0.0
        for layer in network.layers:
            outputs, new_jac = [], []
            for unit in layer.pieces():
                values = [sum((a * b for a, b in zip(w, y)), Fraction(0)) + b for w, b in unit]
                k = max(range(len(values)), key=lambda i: (values[i], -i))
                w = unit[k][0]
                grad = tuple(sum((w[i] * jac[i][j] for i in range(len(w))), Fraction(0))
                             for j in range(n0))
                outputs.append(values[k])
                new_jac.append(grad)
                if layer.has_pattern:
                    total += math.sqrt(float(sum(g * g for g in grad)))
            y, jac = tuple(outputs), new_jac
        mean = total / network.hidden_units
        best = mean if best is None else max(best, mean)
    if best is None:
        raise BoundsError("c_grad_estimate needs at least one point")
    return best


# ----------------------------------------------------------------------------- reports


def bounds_report(widths: Sequence[int], ranks: Ranks, relu: bool = False) -> dict[str, Any]:
    """Every bound for an architecture, as a dict of exact sympy values.

    Keys: ``max_regions``, ``max_regions_is_exact``, ``upper_bounds``
    (``deep_product``, ``serra_maxout``, ``serra_relu``; None when not
    applicable), ``lower_bounds`` (``montufar2014``, ``serra_thm6``,
    ``one_layer_exact``; None when their hypotheses fail or the rank is 1),
    ``expected_regions_growth`` and ``expected_db_growth`` (with ``K`` the
    largest rank and ``N`` the number of hidden units) and their
    ``..._without_rank`` forms: growth forms, which the expected counts follow
    up to constants the theorem leaves unknown (``C_bias``, ``C_grad``, the
    volume), not bounds. They are None, and ``growth_forms_apply`` False, where
    the theorem's hypotheses fail (a unit of rank 1, or ``N < n0``).

    Examples
    --------
    >>> r = bounds_report((2, 3), 3)
    >>> r["max_regions"], r["max_regions_is_exact"], r["expected_regions_growth"]
    (19, True, 1215/2)
    """
    n0, hidden = _widths(widths)
    layer_ranks = _layer_ranks(ranks, hidden)
    value, exact = architecture_max_regions([n0] + hidden, [list(ks) for ks in layer_ranks], relu)
    uppers = _upper_bounds(n0, hidden, layer_ranks, relu)
    return _report(n0, hidden, layer_ranks, value, exact, uppers)


def network_bounds_report(network: "Network") -> dict[str, Any]:
    """:func:`bounds_report` for a :class:`~polyregions.Network` (see :func:`network_max_regions`).

    Examples
    --------
    >>> from polyregions.data import default_network
    >>> network_bounds_report(default_network())["max_regions_is_exact"]
    False
    """
    n0, hidden, layer_ranks, relu, dims = _network_architecture(network.input_dim,
                                                                _layer_shapes(network))
    if not hidden:
        raise BoundsError("the network has no layer with an activation pattern")
    value, exact = network_max_regions(network)
    uppers = _network_upper_bounds(n0, hidden, layer_ranks, relu, dims)
    return _report(n0, hidden, layer_ranks, value, exact, uppers)


def _report(n0, hidden, layer_ranks, value, exact, uppers):
    widths = [n0] + list(hidden)
    K = max(max(ks) for ks in layer_ranks)
    N = sum(hidden)
    # The ReLU constructions need every unit to be able to act as a ReLU (rank >= 2).
    relu_capable = min(min(ks) for ks in layer_ranks) >= 2
    single = _exact_layers(n0, layer_ranks)
    # The expected-count theorem is for units of rank >= 2 and N >= n0 of them: elsewhere its
    # growth forms say nothing (for rank 1 the binomial is 0), so the report has none.
    growth = relu_capable and N >= n0
    lowers = {
        "montufar2014": montufar_lower_bound(widths) if relu_capable else None,
        "serra_thm6": serra_lower_bound(widths) if relu_capable else None,
        "one_layer_exact": value if single else None,
    }
    return {
        "widths": widths,
        "ranks": [list(ks) for ks in layer_ranks],
        "max_regions": value,
        "max_regions_is_exact": bool(exact),
        "upper_bounds": uppers,
        "lower_bounds": lowers,
        "growth_forms_apply": growth,
        "expected_regions_growth": expected_regions_growth(n0, K, N) if growth else None,
        "expected_regions_growth_without_rank":
            expected_regions_growth(n0, K, N, with_rank=False) if growth else None,
        "expected_db_growth": expected_db_growth(n0, K, N) if growth else None,
        "expected_db_growth_without_rank":
            expected_db_growth(n0, K, N, with_rank=False) if growth else None,
    }


def _json_number(value):
    if value is None:
        return None
    if isinstance(value, (bool, int)):
        return value
    value = sympy.nsimplify(value) if isinstance(value, float) else value
    if value.is_Integer:
        return int(value)
    if value.is_Rational:  # sympy's own printing stops at Python's 4300-digit limit
        # Imported here: the certificate verifier imports this module and nothing but errors.
        from .numbers import int_to_decimal

        return f"{int_to_decimal(int(value.p))}/{int_to_decimal(int(value.q))}"
    return str(value)


def _float_or_none(value: Any) -> float | None:
    """The nearest float, or None beyond the float range (sympy's float() gives 0.0 there)."""
    if value.is_Rational:
        try:
            return float(Fraction(int(value.p), int(value.q)))
        except OverflowError:
            return None
    return float(value)


def report_to_json(report: dict[str, Any]) -> dict[str, Any]:
    """A JSON-ready copy of a report: integers as ints, other exact values as strings.

    Every ``expected_*`` value and every other non-integer exact value ``key``
    also gets ``key_float`` (None when beyond the float range).

    Examples
    --------
    >>> j = report_to_json(bounds_report((2, 3), 3))   # (3 * 3)**2 * C(6, 4) / 2!
    >>> j["expected_regions_growth"], j["expected_regions_growth_float"]
    ('1215/2', 607.5)
    """
    out: dict[str, Any] = {}
    for key, value in report.items():
        if isinstance(value, dict):
            out[key] = {k: _json_number(v) for k, v in value.items()}
        elif isinstance(value, sympy.Basic):
            out[key] = _json_number(value)
            if key.startswith("expected") or not value.is_Integer:
                out[f"{key}_float"] = _float_or_none(value)
        elif value is None and key.startswith("expected"):  # hypotheses fail: no growth form
            out[key] = out[f"{key}_float"] = None
        else:
            out[key] = value
    return out
