"""Pieces of hyperplanes: restriction, lifting, canonical keys, pieces and their parts."""

from fractions import Fraction

import pytest
import sympy

from polyregions.geometry.hyperplane import (
    HyperplanePiece,
    canonical_hyperplane,
    hyperplane_piece,
    lift_from_hyperplane,
    restrict_to_hyperplane,
)

F = Fraction


def test_hyperplane_pieces_bounded_unbounded_and_missing():
    # The plane x3 = 1 meets the cube [0, 2]^3 in a 2 x 2 square centred at (1, 1, 1).
    cube = [(0, 1, 0, 0), (2, -1, 0, 0), (0, 0, 1, 0), (2, 0, -1, 0), (0, 0, 0, 1), (2, 0, 0, -1)]
    square = hyperplane_piece((-1, 0, 0, 1), cube, 3)
    assert square.is_bounded and square.measure() == 4 and square.point == (1, 1, 1)
    assert sorted(square.vertices) == [(a, b, 1) for a in (0, 2) for b in (0, 2)]
    # x1 + x2 = 0 in the half-space x1 >= 0: a half-plane, with the line along x3.
    half = hyperplane_piece((0, 1, 1, 0), [(0, 1, 0, 0)], 3)
    assert half.measure() is None and not half.is_bounded
    assert sum(x for x in half.point) == half.point[2] and half.point[0] > 0
    directions = {tuple(d) for d in half.ray_directions}
    assert {(0, 0, 1), (0, 0, -1)} <= directions  # the line, as two opposite rays
    assert all(d[0] + d[1] == 0 for d in directions)  # in the plane
    # A diagonal plane through the cube: x1 + x2 + x3 = 3 cuts a regular hexagon of
    # side sqrt(2), area (3 sqrt(3) / 2) * 2 = 3 sqrt(3).
    assert hyperplane_piece((-3, 1, 1, 1), cube, 3).measure() == 3 * sympy.sqrt(3)
    # Missing: beyond the cube, only touching it (an edge), or a parallel row false on it.
    assert hyperplane_piece((-3, 0, 0, 1), cube, 3) is None
    assert hyperplane_piece((-4, 1, 1, 0), cube, 3) is None  # x1 + x2 = 4: the edge (2, 2, t)
    assert hyperplane_piece((-1, 0, 0, 1), [(-2, 0, 0, 1)], 3) is None  # x3 = 1 and x3 >= 2


def test_the_constructor_cannot_be_called_directly():
    message = ("^HyperplanePiece is built with hyperplane_piece, HyperplanePiece.from_restricted "
               "or HyperplanePiece.from_trusted_parts$")
    with pytest.raises(TypeError, match=message):
        HyperplanePiece((-1, 1, 0), 0, [(0, 1), (2, -1)], [(1, 0), (1, 2)], [])


def test_a_trusted_hyperplane_piece():
    # The segment 0 <= y <= 3 of the line x = 2 (y kept, x dropped): length 3, mid-point (2, 3/2).
    piece = HyperplanePiece.from_trusted_parts((-2, 1, 0), 0, [(0, 1), (3, -1)],
                                               [(1, 0), (1, 3)], [])
    assert piece.measure() == 3 and piece.point == (2, F(3, 2))
    assert piece.vertices == ((2, 0), (2, 3)) and piece.point_rows == ((1, 0), (1, 3))
    # The checked path, from the rows 0 <= y <= 3 of the plane, finds the same parts.
    checked = hyperplane_piece((-2, 1, 0), [(0, 0, 1), (3, 0, -1)], 2)
    assert (checked.key, checked.drop, checked.rows) == (piece.key, piece.drop, piece.rows)
    assert set(checked.point_rows) == set(piece.point_rows) and checked.ray_rows == ()


def test_canonical_hyperplane_names_both_sides_alike():
    # x - 2y >= 1 and its complement 2y - x >= -1 lie on one line; the key has a_1 > 0.
    assert canonical_hyperplane((-1, 1, -2)) == ((-1, 1, -2), 1)
    assert canonical_hyperplane((1, -1, 2)) == ((-1, 1, -2), -1)
    # The first non-zero linear coefficient decides, not the constant: y <= 0 -> -y >= 0.
    assert canonical_hyperplane((0, 0, -1)) == ((0, 0, 1), -1)


def test_restrict_to_hyperplane_and_lift_back_by_hand():
    # On the plane 2x - y + z = 4 (x dropped: x = (4 + y - z) / 2), the row x >= 1 becomes
    # (4 + y - z) / 2 - 1 >= 0, i.e. 2 + y - z >= 0 after multiplying by |2|; y >= 0 stays.
    key = (-4, 2, -1, 1)
    drop, rows = restrict_to_hyperplane(key, [(-1, 1, 0, 0), (0, 0, 1, 0)], 3)
    assert drop == 0 and rows == [(2, 1, -1), (0, 1, 0)]
    # (y, z) = (1, 3) lifts to x = (4 + 1 - 3) / 2 = 1, a point of the plane.
    assert lift_from_hyperplane(key, 0, [1, 3]) == (1, 1, 3)
    # A negative leading coefficient keeps the orientation: on -x + y = 0, x >= 1 is y >= 1.
    assert restrict_to_hyperplane((0, -1, 1), [(-1, 1, 0)], 2) == (0, [(-1, 1)])
    # With a zero constant the lift is a direction of the plane: (y, z) = (1, 0) -> x = 1/2.
    assert lift_from_hyperplane((0, 2, -1, 1), 0, [1, 0]) == (F(1, 2), 1, 0)


def test_from_restricted_refuses_thin_and_empty_pieces():
    # On the plane x = 0 of R^3 (coordinates y, z): the triangle y, z >= 0, y + z <= 1 ...
    key = (0, 1, 0, 0)
    tri = HyperplanePiece.from_restricted(key, 0, [(0, 1, 0), (0, 0, 1), (1, -1, -1)])
    assert tri.measure() == F(1, 2) and tri.point == (0, F(1, 3), F(1, 3))
    # ... cut by y <= 0 is a segment (thin), by y <= -1 empty.
    assert HyperplanePiece.from_restricted(key, 0, [(0, 1, 0), (0, 0, 1), (1, -1, -1), (0, -1, 0)]) is None
    assert HyperplanePiece.from_restricted(key, 0, [(0, 1, 0), (-1, -1, 0)]) is None
