"""The float filter never certifies a wrong winner, even on near-ties of huge integers."""

import random

import numpy as np
import pytest

from polyregions.geometry.screening import FloatScreen, PieceFloats, generator_floats, scaled_floats
from polyregions.numbers import dot


def exact_winner(pieces, generators):
    """The piece strictly above all others at every generator, or -1 (exactly)."""
    for k, p in enumerate(pieces):
        if all(all(dot(p, g) > dot(q, g) for g in generators)
               for j, q in enumerate(pieces) if j != k):
            return k
    return -1


def screen_for(weight_rows, map_rows, rank):
    # map_rows: the homogenised map, (m + 1) x (d + 1), first row (den, 0, ..., 0).
    return FloatScreen(scaled_floats(weight_rows), scaled_floats(map_rows), rank)


@pytest.mark.parametrize("seed", range(40))
def test_certified_winners_are_exact_winners(seed):
    rng = random.Random(seed)
    bits = rng.choice([10, 60, 200, 900, 2000])
    rank, units, m = rng.randint(2, 4), rng.randint(1, 4), rng.randint(1, 3)
    big = 1 << bits
    # A map whose columns are homogenised (first row: the denominator, zeros).
    map_rows = [[big] + [0] * 2] + [[rng.randint(-big, big) for _ in range(3)] for _ in range(m)]
    columns = list(zip(*map_rows))
    weights = []
    for _ in range(units):
        base = [rng.randint(-5, 5) for _ in range(m + 1)]
        for _ in range(rank):
            # Pieces equal to or differing by one unit in the last place from a base.
            weights.append([b + rng.choice([0, 0, 1, -1]) * rng.randint(0, 1) for b in base])
    generators = [(rng.randint(1, big), rng.randint(-big, big), rng.randint(-big, big))
                  for _ in range(rng.randint(1, 5))]
    # Exact rows of the pieces over the domain, then the exact winners.
    pieces = [tuple(dot(w, c) for c in columns) for w in weights]
    screen = screen_for(weights, map_rows, rank)
    winners = screen.decide(0, generator_floats(generators))
    for u, k in enumerate(winners):
        if k >= 0:
            assert exact_winner(pieces[u * rank:(u + 1) * rank], generators) == k


def test_clear_winners_are_certified_and_exact_ties_are_not():
    # Pieces x, -x, 0 on the interval [1, 2] (generators (1, 1) and (1, 2)): x wins.
    map_rows = [[1, 0], [0, 1]]
    weights = [[0, 1], [0, -1], [0, 0]]
    screen = screen_for(weights, map_rows, 3)
    assert screen.decide(0, generator_floats([(1, 1), (1, 2)])) == [0]
    # On [0, 1] piece 0 ties with piece 2 at x = 0: the filter must not decide.
    assert screen.decide(0, generator_floats([(1, 0), (1, 1)])) == [-1]


def test_a_difference_below_float_resolution_is_left_to_exact_arithmetic():
    # z_0 = 2^80 x and z_1 = (2^80 + 1) x on [1, 2]: z_1 wins by 2^-80 relative,
    # invisible in floats; the filter must answer "undecided", never "piece 0".
    big = 1 << 80
    screen = screen_for([[0, big], [0, big + 1]], [[1, 0], [0, 1]], 2)
    assert screen.decide(0, generator_floats([(1, 1), (1, 2)])) == [-1]


def test_generator_floats_scale_each_column_by_a_power_of_two():
    # Largest entry of each generator scaled into [1/2, 1): 2^3000 -> 1/2, 2 -> 1/2.
    cols = generator_floats([(1 << 3000, 1 << 2999), (2, -1)])
    assert np.array_equal(cols, np.array([[0.5, 0.5], [0.25, -0.25]]))
    assert np.array_equal(generator_floats([(3, 1)]), np.array([[0.75], [0.25]]))


@pytest.mark.parametrize("seed", range(20))
def test_pieces_are_apart_only_where_they_differ_exactly(seed):
    rng = random.Random(seed)
    big = 1 << rng.choice([10, 100, 1500])
    base = [[rng.randint(-big, big) for _ in range(4)] for _ in range(4)]
    # Rows equal to a base row, or differing from it by one unit in one place.
    rows = [list(rng.choice(base)) for _ in range(8)]
    for row in rows[::3]:
        row[rng.randrange(4)] += rng.choice([-1, 1])
    partners = [rng.randrange(8) for _ in range(8)]
    # The map (1, x) -> den (1, y), (m + 1) x (d + 1): its first row (den, 0, 0).
    hom_map = [(rng.randint(1, big), 0, 0)] + [
        (rng.randint(-big, big), rng.randint(-big, big), rng.randint(-big, big)) for _ in range(3)]
    gens = [(rng.randint(1, big), rng.randint(-big, big), rng.randint(-big, big)) for _ in range(4)]
    gens.append((1, 0, 0))
    # Rows unlike their partner that agree with it at one generator g: v . (hom_map g) = 0.
    composed_at = [[dot(col, gen) for col in hom_map] for gen in gens]
    for k in range(1, 8, 2):
        h = composed_at[rng.randrange(len(gens))]
        v = [h[1], -h[0], 0, 0] if rng.random() < 0.5 else [0, 0, h[3], -h[2]]
        rows[k] = [a + b for a, b in zip(rows[partners[k]], v)]
    apart = PieceFloats(scaled_floats(rows), scaled_floats(hom_map)).apart(
        partners, generator_floats(gens))
    composed = [[dot(row, col) for col in zip(*hom_map)] for row in rows]
    for k in range(8):
        for g, gen in enumerate(gens):
            equal = dot(composed[partners[k]], gen) == dot(composed[k], gen)
            assert not (apart[k, g] and equal)
            if big < 1000 and not equal:  # small numbers: floats tell any difference apart
                assert apart[k, g]
