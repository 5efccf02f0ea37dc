"""Region counts of affine hyperplane arrangements (Zaslavsky / Whitney).

Zaslavsky's theorem: an affine arrangement in ``R^d`` has
``r = (-1)^d chi(-1)`` regions, where by Whitney's theorem

    chi(t) = sum over subsets S with non-empty intersection of (-1)^|S| t^(d - rank S).

Hence ``r = sum_S (-1)^(|S| - rank S)`` over the subsets ``S`` (including the
empty one) whose hyperplanes have a common point.  Whitney's formula is a
crosscut (inclusion-exclusion) identity and stays valid for a *multiset* of
hyperplanes: the copies of a repeated hyperplane contribute
``sum_{T non-empty} (-1)^|T| = -1``, exactly like a single copy, so repeated
hyperplanes are counted once without any deduplication here.

Faces: a ``k``-face of the arrangement is a region of its restriction to a
``k``-dimensional flat ``X`` (an intersection of hyperplanes), the arrangement
``{X cap H : H not containing X, X cap H non-empty}`` inside ``X``. Whitney's
formula for it runs over the subsets ``T`` of the hyperplanes not containing
``X``: ``chi_X(t) = sum (-1)^|T| t^(dim (X cap T))``. Zaslavsky then gives
``|chi_X(-1)|`` regions, and ``|chi_X(1)|`` bounded ones when the restriction
is essential (its normals span ``X``'s directions, i.e. it has a point flat:
``chi_X(0) != 0``); otherwise none is bounded.

Everything is brute force over the ``2^n`` subsets with exact Fraction
Gaussian elimination; intended for ``n <= 12``.
"""

from fractions import Fraction
from math import comb

__all__ = ["characteristic_polynomial", "zaslavsky_region_count", "general_position_count",
           "face_counts"]


def _rank(rows):
    """Exact rank of a list of equal-length Fraction rows (Gaussian elimination)."""
    m = [list(r) for r in rows]
    rank = 0
    ncols = len(m[0]) if m else 0
    for col in range(ncols):
        pivot = next((i for i in range(rank, len(m)) if m[i][col] != 0), None)
        if pivot is None:
            continue
        m[rank], m[pivot] = m[pivot], m[rank]
        for i in range(len(m)):
            if i != rank and m[i][col] != 0:
                f = m[i][col] / m[rank][col]
                m[i] = [x - f * y for x, y in zip(m[i], m[rank], strict=True)]
        rank += 1
    return rank


def _normalise(hyperplanes, dim):
    out = []
    for a, b in hyperplanes:
        a = tuple(Fraction(v) for v in a)
        if len(a) != dim:
            raise ValueError("hyperplane normal has wrong dimension")
        if all(v == 0 for v in a):
            raise ValueError("hyperplane normal must be non-zero")
        out.append((a, Fraction(b)))
    return out


def characteristic_polynomial(hyperplanes, dim):
    """Characteristic polynomial ``chi`` as a list of coefficients.

    Parameters
    ----------
    hyperplanes : sequence of (sequence of Fraction, Fraction)
        ``(a, b)`` is the hyperplane ``{x : a.x + b = 0}``, ``a != 0``.
        Repeats and parallels are allowed.
    dim : int
        Ambient dimension ``d``.

    Returns
    -------
    list of int
        ``coeffs[k]`` is the coefficient of ``t^k`` (length ``dim + 1``).
    """
    ranks = _subset_ranks(_normalise(hyperplanes, dim))
    return _whitney(ranks, 0, (1 << len(hyperplanes)) - 1, dim)


def _subset_ranks(hs):
    """``{mask: rank of the normals}`` for the subsets of `hs` with a common point."""
    ranks = {}
    for mask in range(1 << len(hs)):
        chosen = [hs[i] for i in range(len(hs)) if mask >> i & 1]
        rank_a = _rank([a for a, _ in chosen]) if chosen else 0
        # a.x = -b is consistent iff appending the right-hand side keeps the rank.
        rank_ab = _rank([(*a, -b) for a, b in chosen]) if chosen else 0
        if rank_a == rank_ab:
            ranks[mask] = rank_a
    return ranks


def _submasks(mask):
    sub = mask
    while True:
        yield sub
        if sub == 0:
            return
        sub = (sub - 1) & mask


def _whitney(ranks, flat, free, dim):
    """Coefficients of chi of the restriction to the flat of subset `flat`, over subsets of `free`."""
    coeffs = [0] * (dim + 1)
    for sub in _submasks(free):
        rank = ranks.get(flat | sub)
        if rank is not None:  # otherwise the intersection is empty
            coeffs[dim - rank] += (-1) ** bin(sub).count("1")
    return coeffs


def face_counts(hyperplanes, dim):
    """Numbers of faces and of bounded faces of each dimension (module docstring).

    Parameters
    ----------
    hyperplanes : sequence of (sequence of Fraction, Fraction)
        ``(a, b)`` is ``{x : a.x + b = 0}`` with ``a != 0``; repeats allowed.
    dim : int

    Returns
    -------
    faces, bounded : list of int
        ``faces[k]`` is the number of ``k``-dimensional faces (``faces[dim]``
        the regions), ``bounded[k]`` the number of bounded ones.
    """
    hs = _normalise(hyperplanes, dim)
    ranks = _subset_ranks(hs)
    everyone = (1 << len(hs)) - 1
    # A flat is named by the set of hyperplanes containing it (its closure).
    closures = set()
    for mask, rank in ranks.items():
        closures.add(sum(1 << i for i in range(len(hs)) if ranks.get(mask | 1 << i) == rank))
    faces, bounded = [0] * (dim + 1), [0] * (dim + 1)
    for closure in closures:
        k = dim - ranks[closure]
        coeffs = _whitney(ranks, closure, everyone & ~closure, dim)[:k + 1]
        faces[k] += abs(sum(c * (-1) ** j for j, c in enumerate(coeffs)))
        if coeffs[0] != 0:
            bounded[k] += abs(sum(coeffs))
    return faces, bounded


def zaslavsky_region_count(hyperplanes, dim):
    """Number of regions of an affine hyperplane arrangement in ``R^dim``.

    Parameters
    ----------
    hyperplanes : sequence of (sequence of Fraction, Fraction)
        ``(a, b)`` is ``{x : a.x + b = 0}`` with ``a != 0``.
    dim : int
        Ambient dimension.

    Returns
    -------
    int
        ``(-1)^dim * chi(-1)``.
    """
    coeffs = characteristic_polynomial(hyperplanes, dim)
    chi_minus_one = sum(c * (-1) ** k for k, c in enumerate(coeffs))
    return (-1) ** dim * chi_minus_one


def general_position_count(n, d):
    """Regions of ``n`` affine hyperplanes in general position in ``R^d``: ``sum_{j<=d} C(n, j)``."""
    return sum(comb(n, j) for j in range(d + 1))
