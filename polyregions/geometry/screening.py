"""Floating-point filter: certify, with a proven error bound, units that do not split.

Most (region, unit) pairs do not split: one piece is above the others at every
generator of the region. Deciding that exactly costs a few hundred big-integer
products; deciding it in floating point costs one small matrix product. This
module does the latter *with a rigorous error bound*, in the manner of CGAL's
filtered predicates: a unit is reported as decided only when the winning
piece's margin over every other piece, at every generator, exceeds the bound on
the rounding error. Everything else is left to the exact path. A float never
decides a result on its own. The same bound certifies that two pieces differ at a
generator (:meth:`PieceFloats.apart`), so that only the pieces that may tie there
are compared exactly.

Error bound
-----------
Let ``W`` be a layer's integer piece matrix (bias column first), ``G`` the
integer map of the layer input (homogenised), ``g`` a generator. The exact value
is ``(W G g)_k``. All three are rounded to floats after scaling by powers of two
(exact), each entry with relative error at most ``u = 2^-53`` (plus an absolute
``2^-1074`` on underflow); then two matrix products are rounded. With ``m + 1``
and ``d + 1`` the inner dimensions, the computed value differs from the scaled
exact one by at most ``(m + d + 7) u (|W| |G| |g|)_k`` plus underflow terms far
below ``2^-1000`` (every scaled entry is at most 2 in magnitude). We use twice
that, computed from the float magnitudes, plus ``2^-1000``; a margin must
exceed the sum of the two pieces' bounds.
"""

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

__all__ = ["scaled_floats", "generator_floats", "PieceFloats", "FloatScreen"]

Floats = npt.NDArray[np.float64]

_U = 2.0 ** -53
_TINY = 2.0 ** -1000


def scaled_floats(rows: Sequence[Sequence[int]]) -> Floats:
    """Round an integer matrix to floats after dividing it by a power of two.

    The power is chosen so that the largest entry is below 2 in magnitude. One
    positive factor for the whole matrix keeps every comparison between its
    rows' products with a common vector. Python's ``int / int`` is correctly
    rounded, so each entry carries a relative error of at most ``2^-53``.

    Examples
    --------
    >>> scaled_floats([[3, -1], [0, 1 << 200]]).tolist() == [[3 / 2**200, -1 / 2**200], [0.0, 1.0]]
    True
    """
    bits = max((abs(v).bit_length() for row in rows for v in row), default=0)
    scale = 1 << max(bits - 1, 0)
    return np.array([[v / scale for v in row] for row in rows], dtype=float)


class PieceFloats:
    """The float images ``W G`` of a layer's pieces composed with a layer-input map, and their bounds.

    Parameters
    ----------
    weights : ndarray
        The layer's scaled float piece matrix (bias column first), from
        :func:`scaled_floats`.
    map_floats : ndarray
        The scaled float homogenised layer-input map, ``(m + 1) x (d + 1)``.

    Examples
    --------
    Pieces ``x`` and ``x + 1`` of ``y = x``: apart at ``x = 1``, too close for
    floats to tell at ``x = 2^70`` (exact arithmetic must decide there):

    >>> pieces = PieceFloats(scaled_floats([[0, 1], [1, 1]]),
    ...                      scaled_floats([[1, 0], [0, 1]]).T)
    >>> pieces.apart([1, 0], generator_floats([(1, 1), (1, 1 << 70)])).tolist()
    [[True, False], [True, False]]
    """

    __slots__ = ("values", "magnitudes", "factor")

    def __init__(self, weights: Floats, map_floats: Floats) -> None:
        self.values = weights @ map_floats
        self.magnitudes = np.abs(weights) @ np.abs(map_floats)
        self.factor = 2.0 * (weights.shape[1] + map_floats.shape[1] + 7) * _U

    def at(self, generators: Floats, start: int = 0) -> tuple[Floats, Floats]:
        """The values of the pieces from `start` on at the generator columns, and their error bounds."""
        vals = self.values[start:] @ generators
        bound = (self.magnitudes[start:] @ np.abs(generators)) * self.factor + _TINY
        return vals, bound

    def apart(self, partners: Sequence[int] | npt.NDArray[np.intp],
              generators: Floats) -> npt.NDArray[np.bool_]:
        """Where piece ``partners[k]`` and piece ``k`` certainly differ at generator ``g``: ``[k, g]``.

        False means only that floats cannot tell: the two may or may not be equal.
        """
        vals, bound = self.at(generators)
        index = np.asarray(partners)
        apart: npt.NDArray[np.bool_] = np.abs(vals[index] - vals) > bound[index] + bound
        return apart


class FloatScreen(PieceFloats):
    """The float images of one layer's pieces on one region's layer-input map.

    Parameters
    ----------
    weights, map_floats : ndarray
        As for :class:`PieceFloats`.
    rank : int
        The common rank of the layer's units.

    Examples
    --------
    One ReLU unit, pieces ``0`` and ``x``, of ``y = x``: on ``[1, 2]`` piece 1 certainly wins; on
    ``[-1, 1]`` neither piece wins everywhere:

    >>> screen = FloatScreen(scaled_floats([[0, 0], [0, 1]]), scaled_floats([[1, 0], [0, 1]]).T, 2)
    >>> screen.decide(0, generator_floats([(1, 1), (1, 2)]))
    [1]
    >>> screen.decide(0, generator_floats([(1, -1), (1, 1)]))
    [-1]
    """

    __slots__ = ("rank",)

    def __init__(self, weights: Floats, map_floats: Floats, rank: int) -> None:
        super().__init__(weights, map_floats)
        self.rank = rank

    def decide(self, first_unit: int, generators: Floats) -> list[int]:
        """Certified winners of units ``first_unit, ...`` on a region.

        Parameters
        ----------
        first_unit : int
        generators : ndarray, ``(d + 1) x G``
            The region's generators as columns (each scaled by any positive
            number, e.g. with :func:`scaled_floats` applied per column).

        Returns
        -------
        winners : list of int
            For each unit from `first_unit` on, the piece that is certified to
            be strictly above every other piece on the whole region, or -1.
        """
        K = self.rank
        vals, bound = self.at(generators, first_unit * K)
        units = vals.shape[0] // K
        vals = vals.reshape(units, K, -1)
        bound = bound.reshape(units, K, -1)
        # The candidate is the float argmax at the first generator; it is certified
        # when its margin over every other piece beats the error bounds everywhere.
        k0 = vals[:, :, 0].argmax(axis=1)
        rows = np.arange(units)
        margin = vals[rows, k0][:, None, :] - vals
        needed = bound[rows, k0][:, None, :] + bound
        ok = margin > needed
        ok[rows, k0] = True
        certified = ok.all(axis=(1, 2))
        winners: list[int] = np.where(certified, k0, -1).tolist()
        return winners


def generator_floats(generators: Sequence[Sequence[int]]) -> Floats:
    """Scaled float columns of integer generators (one power of two per column).

    Each generator is rounded to floats (correctly, entry by entry) and then
    multiplied by a power of two, exactly, so that its largest entry lies in
    ``[1/2, 1)``; a positive factor per generator changes no comparison made
    at it.

    Examples
    --------
    Each column is one generator scaled by a power of two so that its largest entry is in
    ``[1/2, 1)``:

    >>> generator_floats([(1, 3, 4), (2, 0, 1)]).tolist()
    [[0.125, 0.5], [0.375, 0.0], [0.5, 0.25]]
    """
    try:
        rows = np.array(generators, dtype=float)
    except OverflowError:  # entries beyond 2^1024: divide by a power of two first
        rows = np.array([_scaled_row(g) for g in generators], dtype=float)
    _, exponents = np.frexp(np.abs(rows).max(axis=1))
    scaled: Floats = np.ldexp(rows, -exponents[:, None]).T
    return scaled


def _scaled_row(g: Sequence[int]) -> list[float]:
    scale = 1 << max(max(abs(v) for v in g).bit_length() - 1, 0)
    return [v / scale for v in g]
