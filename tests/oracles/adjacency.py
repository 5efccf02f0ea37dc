"""Which polyhedra of a tiling share a facet: all pairs, by vertex enumeration.

Two closed full-dimensional polyhedra of ``R^dim`` share a facet piece exactly
when their intersection has dimension ``dim - 1``: the affine hull of its
generators (vertex differences, rays and lines) has rank ``dim - 1``. This is
the slow all-pairs definition, independent of the package's sweep (cddlib GMP
for the generators, sympy for the exact rank).
"""

from fractions import Fraction

import cdd
import cdd.gmp
import sympy

__all__ = ["shared_facets"]


def _generators(rows, dim):
    """Points, rays and lines of ``{x : b + a.x >= 0}``, as Fraction tuples."""
    # The row 1 >= 0 keeps cddlib from reading a homogeneous system as a cone.
    matrix = cdd.gmp.matrix_from_array([list(r) for r in rows] + [[1] + [0] * dim],
                                       rep_type=cdd.RepType.INEQUALITY)
    generators = cdd.gmp.copy_generators(cdd.gmp.polyhedron_from_matrix(matrix))
    points, rays, lines = [], [], []
    for k, g in enumerate(generators.array):
        g = [Fraction(v) for v in g]
        if k in generators.lin_set:
            lines.append(tuple(g[1:]))
        elif g[0] != 0:
            points.append(tuple(v / g[0] for v in g[1:]))
        else:
            rays.append(tuple(g[1:]))
    return points, rays, lines


def shared_facets(regions, dim):
    """``{(i, j): bounded}`` for the pairs ``i < j`` meeting in a ``(dim - 1)``-dimensional set.

    Parameters
    ----------
    regions : sequence of sequences of rows
        Each region as integer or Fraction rows ``(b, a_1, ..., a_dim)``
        meaning ``b + a.x >= 0``.
    dim : int

    Returns
    -------
    dict
        ``bounded`` says whether the shared piece is bounded (no ray, no line).
    """
    shared = {}
    for i in range(len(regions)):
        for j in range(i + 1, len(regions)):
            points, rays, lines = _generators(list(regions[i]) + list(regions[j]), dim)
            if not points:
                continue
            base = points[0]
            vectors = [[c - b for c, b in zip(p, base)] for p in points[1:]] + rays + lines
            if vectors and sympy.Matrix(vectors).rank() == dim - 1:
                shared[i, j] = not rays and not lines
    return shared
