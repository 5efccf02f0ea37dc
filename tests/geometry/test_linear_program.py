"""Exact linear programs: HiGHS proposals confirmed exactly, against vertices and the exact simplex."""

import random
import time
from fractions import Fraction

import pytest

from polyregions.errors import DomainError, UsageError
from polyregions.geometry import linear_program as lp_module
from polyregions.geometry.linear_program import (
    LinearProgram,
    LPResult,
    check_certificate,
    feasible_point,
    maximize,
    maximize_reference,
)
from polyregions.geometry.polytope import double_description, relative_interior_point
from polyregions.numbers import integer_vector

F = Fraction


# ---------------------------------------------------------------- oracles


def box_rows(program):
    n = program.dim
    rows = []
    for j, (lo, hi) in enumerate(zip(program.lower, program.upper)):
        unit = [0] * n
        unit[j] = 1
        if lo is not None:
            rows.append([-lo] + unit)
        if hi is not None:
            rows.append([hi] + [-u for u in unit])
    return rows


def generators(program):
    """The closure's generators, by cddlib's exact double description."""
    rows = [integer_vector(r) for r in list(program.rows) + box_rows(program)]
    return double_description(rows, program.dim)


def brute_force(program, c):
    """(status, value) from the generators: the best vertex, unless a ray or line improves c."""
    points, rays, lines = generators(program)
    if not points:
        return "infeasible", None
    slope = [sum(F(a) * d for a, d in zip(c[1:], g[1:])) for g in rays + lines]
    if any(s > 0 for s in slope[:len(rays)]) or any(s != 0 for s in slope[len(rays):]):
        return "unbounded", None
    return "optimal", max(F(c[0]) + sum(F(a) * p / g[0] for a, p in zip(c[1:], g[1:]))
                          for g in points)


def value_of(row, x):
    return F(row[0]) + sum(F(a) * v for a, v in zip(row[1:], x))


def random_program(rng, n, strict=False):
    """Small integer programs, many of them degenerate on purpose."""
    anchor = [rng.randint(-2, 2) for _ in range(n)]
    rows = []
    for _ in range(rng.randint(0, 6)):
        kind = rng.random()
        a = [rng.randint(-3, 3) for _ in range(n)]
        if kind < 0.3 or not rows:
            rows.append([rng.randint(-4, 4)] + a)
        elif kind < 0.5:  # through the anchor: several rows meet in one vertex
            rows.append([-sum(x * y for x, y in zip(a, anchor))] + a)
        elif kind < 0.6:  # a repeated row, or a positive multiple of one
            rows.append([rng.choice([1, 2]) * v for v in rng.choice(rows)])
        elif kind < 0.7:  # parallel to a row
            other = rng.choice(rows)
            rows.append([other[0] + rng.randint(-2, 2)] + other[1:])
        elif kind < 0.78:  # a zero row: always or never satisfied
            rows.append([rng.randint(-1, 1)] + [0] * n)
        else:  # an equality: the set is lower-dimensional
            other = rng.choice(rows)
            rows.append([-v for v in other])
    lower, upper = [], []
    for _ in range(n):
        lo = None if rng.random() < 0.3 else rng.randint(-3, 2)
        hi = None if rng.random() < 0.3 else (lo if lo is not None and rng.random() < 0.1
                                              else rng.randint(lo if lo is not None else -3, 3))
        lower.append(lo)
        upper.append(hi)
    flags = [rng.random() < 0.4 for _ in rows] if strict else None
    return LinearProgram(rows, lower, upper, flags)


def random_objective(rng, n):
    return [rng.randint(-3, 3)] + [rng.choice([0, rng.randint(-3, 3)]) for _ in range(n)]


# ---------------------------------------------------------------- maximize against the oracles


@pytest.mark.parametrize("seed", range(240))
def test_random_programs_against_vertices_and_the_exact_simplex(seed):
    rng = random.Random(seed)
    program = random_program(rng, 1 + seed % 4)
    c = random_objective(rng, program.dim)
    expected = brute_force(program, c)
    for solve in (maximize, maximize_reference):
        result = solve(program, c)
        assert (result.status, result.value) == expected, solve.__name__
        assert check_certificate(program, c, result), solve.__name__


def test_the_statuses_seen_by_the_random_programs_cover_every_case():
    seen = {brute_force(p, c)[0] for seed in range(240)
            for rng in [random.Random(seed)]
            for p in [random_program(rng, 1 + seed % 4)] for c in [random_objective(rng, p.dim)]}
    assert seen == {"optimal", "unbounded", "infeasible"}


@pytest.mark.parametrize("rows, lower, upper, c, status, value", [
    # a single point: x >= 1, x <= 1
    ([(-1, 1), (1, -1)], [None], [None], (0, 5), "optimal", F(5)),
    # x + y = 1 with x, y >= 0 (a segment); the objective is constant on it
    ([(-1, 1, 1), (1, -1, -1)], [0, 0], [None, None], (3, 2, 2), "optimal", F(5)),
    # the zero row 0 >= -1 never bites; 0 >= 1 empties the set
    ([(1, 0)], [0], [2], (0, 1), "optimal", F(2)),
    ([(-1, 0)], [0], [2], (0, 1), "infeasible", None),
    # x >= 0, x <= 0, x >= 0 three times over: degenerate at the point 0
    ([(0, 1), (0, -1), (0, 1), (0, 2)], [None], [None], (0, -1), "optimal", F(0)),
    # a line: y = x, unbounded along (1, 1)
    ([(0, 1, -1), (0, -1, 1)], [None, None], [None, None], (0, 1, 0), "unbounded", None),
    # a fixed variable, lower == upper
    ([], [F(1, 3)], [F(1, 3)], (0, 3), "optimal", F(1)),
])
def test_degenerate_programs(rows, lower, upper, c, status, value):
    program = LinearProgram(rows, lower, upper)
    for solve in (maximize, maximize_reference):
        result = solve(program, c)
        assert (result.status, result.value) == (status, value)
        assert check_certificate(program, c, result)
    assert brute_force(program, c) == (status, value)


def test_strict_rows_are_closed_by_maximize():
    # 0 <= x < 1: the supremum 1 over the closure, at x = 1
    program = LinearProgram([(1, -1)], [0], [None], strict=[True])
    result = maximize(program, (0, 1))
    assert (result.status, result.value, result.point) == ("optimal", F(1), (F(1),))


# ---------------------------------------------------------------- certificates


def tampered(result, program):
    """Copies of `result`, each with one part of its certificate changed so that it cannot hold."""
    zero = (F(0),) * program.dim
    if result.status == "optimal":
        y = list(result.multipliers)
        yield LPResult("optimal", result.value + 1, result.point, result.multipliers)  # wrong value
        if y:
            y[0] = F(-1)  # a negative multiplier proves nothing
            yield LPResult("optimal", result.value, result.point, tuple(y))
        yield LPResult("infeasible", multipliers=result.multipliers)  # wrong status
        yield LPResult("unbounded", point=result.point, ray=(F(1),) + zero[1:])
    elif result.status == "infeasible":
        yield LPResult("infeasible", multipliers=tuple(0 * v for v in result.multipliers))
        yield LPResult("infeasible", multipliers=tuple(-v for v in result.multipliers))
        yield LPResult("optimal", F(0), zero, tuple(0 * v for v in result.multipliers))
    else:
        yield LPResult("unbounded", point=result.point, ray=tuple(-v for v in result.ray))
        yield LPResult("unbounded", point=result.point, ray=zero)
        yield LPResult("optimal", F(0), result.point, (F(0),) * len(program.rows))


@pytest.mark.parametrize("seed", range(80))
def test_tampered_certificates_fail_the_check(seed):
    rng = random.Random(1000 + seed)
    program = random_program(rng, 1 + seed % 3)
    c = random_objective(rng, program.dim)
    result = maximize(program, c)
    assert check_certificate(program, c, result)
    for bad in tampered(result, program):
        assert not check_certificate(program, c, bad), bad


@pytest.mark.parametrize("seed", range(40))
def test_a_moved_point_passes_only_where_it_is_optimal_too(seed):
    rng = random.Random(3000 + seed)
    program = random_program(rng, 1 + seed % 3)
    c = random_objective(rng, program.dim)
    result = maximize(program, c)
    if result.status != "optimal":
        return
    moved = (result.point[0] + F(1, 7),) + result.point[1:]
    claim = LPResult("optimal", value_of(c, moved), moved, result.multipliers)
    feasible = all(value_of(r, moved) >= 0 for r in program.rows) and all(
        (lo is None or lo <= x) and (hi is None or x <= hi)
        for x, lo, hi in zip(moved, program.lower, program.upper))
    assert check_certificate(program, c, claim) == (feasible and claim.value == result.value)


def test_a_lowered_bound_fails_the_check():
    # max x on [0, 1] is 1; claiming 1/2 with the point 1/2 and the multiplier of x <= 1 fails,
    # since the multipliers prove only the bound 1
    program = LinearProgram([(1, -1)], [0], [None])
    assert check_certificate(program, (0, 1), LPResult("optimal", F(1), (F(1),), (F(1),)))
    assert not check_certificate(program, (0, 1), LPResult("optimal", F(1, 2), (F(1, 2),), (F(1),)))
    assert not check_certificate(program, (0, 1), LPResult("optimal", F(1), (F(1),), (F(0),)))


# ---------------------------------------------------------------- strict rows and points


@pytest.mark.parametrize("rows, strict", [
    ([(0, 1), (0, -1)], [False, True]),   # x >= 0 and x < 0
    ([(0, 1), (0, -1)], [True, True]),    # x > 0 and x < 0
    ([(0, 1), (0, -1)], [False, True]),   # x >= 0, -x > 0
    ([(0, 0)], [True]),                   # 0 > 0
    ([(0, 1, 1), (0, -1, -1)], [True, False]),  # x + y > 0 and x + y <= 0
])
def test_no_point_when_every_point_lies_on_a_strict_row(rows, strict):
    n = len(rows[0]) - 1
    assert feasible_point(LinearProgram(rows, [None] * n, [None] * n, strict)) is None


def test_a_single_point_is_found_exactly():
    program = LinearProgram([(-1, 3), (1, -3)], [None], [None])  # 3x = 1
    assert feasible_point(program) == (F(1, 3),)


@pytest.mark.parametrize("seed", range(200))
def test_feasible_points_against_the_relative_interior(seed):
    rng = random.Random(5000 + seed)
    program = random_program(rng, 1 + seed % 4, strict=True)
    points, rays, _ = generators(program)
    # A point exists exactly when the closure's relative-interior point holds every strict row
    # strictly: a strict row positive at some generator is positive there.
    exists = bool(points) and all(
        value_of(r, relative_interior_point(points, rays)) > 0
        for r, s in zip(program.rows, program.strict) if s)
    point = feasible_point(program)
    assert (point is not None) == exists
    if point is not None:
        assert all(lo is None or lo <= x for x, lo in zip(point, program.lower))
        assert all(hi is None or x <= hi for x, hi in zip(point, program.upper))
        for r, s in zip(program.rows, program.strict):
            assert value_of(r, point) > 0 if s else value_of(r, point) >= 0


def test_a_full_dimensional_set_gets_a_point_well_inside():
    # The triangle x, y >= 0, x + y <= 1: the point is off every side by more than 1/10.
    program = LinearProgram([(1, -1, -1)], [0, 0], [None, None], strict=[True])
    point = feasible_point(program)
    assert min(point[0], point[1], 1 - point[0] - point[1]) > F(1, 10)


def test_a_thin_set_gets_a_point_strictly_inside():
    # 0 < x < 2^-30: the float centre 2^-31 rounded to a small denominator is 0, on a strict row;
    # the point returned must be the exact centre or another point strictly inside.
    width = F(1, 2 ** 30)
    program = LinearProgram([(0, 1), (width, -1)], [None], [None], strict=[True, True])
    point = feasible_point(program)
    assert 0 < point[0] < width


# ---------------------------------------------------------------- the exact confirmation


def test_the_fallback_answers_when_the_proposal_is_wrong(monkeypatch):
    real = lp_module._propose

    def shifted(program, c):
        proposal = real(program, c)
        if proposal is None or proposal.status != "optimal":
            return proposal
        return proposal._replace(x=proposal.x + 0.25, row_duals=proposal.row_duals[::-1])

    monkeypatch.setattr(lp_module, "_propose", shifted)
    for seed in range(40):
        rng = random.Random(7000 + seed)
        program = random_program(rng, 1 + seed % 3)
        c = random_objective(rng, program.dim)
        result = maximize(program, c)
        assert (result.status, result.value) == brute_force(program, c)


@pytest.mark.parametrize("status", ["optimal", "infeasible", "unbounded"])
def test_a_wrong_status_from_the_float_solver_is_not_believed(monkeypatch, status):
    real = lp_module._propose
    monkeypatch.setattr(lp_module, "_propose", lambda program, c: real(program, c)._replace(
        status=status))
    cases = [  # one of each status, each proposed with the two wrong statuses
        (LinearProgram([(1, -1)], [0], [None]), (0, 1)),
        (LinearProgram([(-1, 1), (0, -1)], [None], [None]), (0, 1)),
        (LinearProgram([], [0], [None]), (0, 1)),
    ]
    for program, c in cases:
        result = maximize(program, c)
        assert result.status == brute_force(program, c)[0]
        assert check_certificate(program, c, result)


def high_dimensional_program(n=784, m=16, active=8, seed=3):
    """A box of n inputs cut by m rows whose optimum is known by construction.

    x* has `active` coordinates inside the box, the others at a side; the first `active`
    rows are tight at x*, the others hold with slack. With y > 0 on the tight rows and
    reduced costs d pointing out of the box at the fixed coordinates (0 at the free ones),
    c = d - sum y_i r_i has the value c . x* as its maximum (weak duality, equality at x*).
    """
    rng = random.Random(seed)
    lower = [F(rng.randint(0, 255), 255) - F(2, 100) for _ in range(n)]
    upper = [lo + F(4, 100) for lo in lower]
    free = set(rng.sample(range(n), active))
    star = [lo + F(rng.randint(1, 99), 2500) if j in free else rng.choice([lo, hi])
            for j, (lo, hi) in enumerate(zip(lower, upper))]
    rows = []
    for i in range(m):
        a = [F(rng.randint(-1000, 1000), 997) for _ in range(n)]
        slack = F(0) if i < active else F(rng.randint(1, 50), 100)
        rows.append([slack - sum(x * y for x, y in zip(a, star))] + a)
    y = [F(rng.randint(1, 9)) if i < active else F(0) for i in range(m)]
    d = [F(0) if j in free else F(rng.randint(1, 5)) * (1 if star[j] == upper[j] else -1)
         for j in range(n)]
    c = [F(0)] + [dj - sum(yi * r[1 + j] for yi, r in zip(y, rows)) for j, dj in enumerate(d)]
    value = sum(cj * xj for cj, xj in zip(c[1:], star))
    return LinearProgram(rows, lower, upper), c, value


def test_a_784_input_box_is_decided_by_the_confirmed_proposal(monkeypatch):
    program, c, value = high_dimensional_program()

    def no_fallback(program, objective):
        raise AssertionError("the exact simplex was needed")

    monkeypatch.setattr(lp_module, "maximize_reference", no_fallback)
    start = time.perf_counter()
    result = maximize(program, c)
    seconds = time.perf_counter() - start
    assert (result.status, result.value) == ("optimal", value)
    assert check_certificate(program, c, result)
    assert seconds < 3, seconds  # well under a second alone; the margin is for a shared machine


def test_a_784_input_box_is_proven_empty_without_the_exact_simplex(monkeypatch):
    program, c, _ = high_dimensional_program()
    n = program.dim

    def no_fallback(program, objective):
        raise AssertionError("the exact simplex was needed")

    monkeypatch.setattr(lp_module, "maximize_reference", no_fallback)
    # x_0 >= lower_0 + 1 lies outside the box: a Farkas vector proves the set empty
    beyond = LinearProgram(list(program.rows) + [[-program.lower[0] - 1, 1] + [0] * (n - 1)],
                           program.lower, program.upper)
    result = maximize(beyond, c)
    assert result.status == "infeasible" and check_certificate(beyond, c, result)
    # x_0 >= 1/2 and x_0 < 1/2 in the cube [-1, 1]^784: only points on the strict row
    split = LinearProgram([[F(-1, 2), 1] + [0] * (n - 1), [F(1, 2), -1] + [0] * (n - 1)],
                          [-1] * n, [1] * n, strict=[False, True])
    assert feasible_point(split) is None


def test_the_high_dimensional_construction_agrees_with_the_exact_simplex():
    # The same construction in 6 inputs, small enough for the exact simplex.
    program, c, value = high_dimensional_program(n=6, m=5, active=2, seed=11)
    assert maximize_reference(program, c).value == value == maximize(program, c).value


# ---------------------------------------------------------------- huge numbers


@pytest.mark.parametrize("digits", [40, 80, 400])
def test_huge_entries_are_decided_exactly(digits):
    big = 10 ** digits + 7
    # x <= big/(big-1) * y ... rows of huge entries around the unit square
    rows = [(big, -big, -(big - 1)), (3 * big + 1, -big, big + 1), (big * big, 1, -big)]
    program = LinearProgram(rows, [0, 0], [big, big])
    for c in [(0, 1, 1), (1, -big, 3), (0, big + 2, -big)]:
        result, reference = maximize(program, c), maximize_reference(program, c)
        assert (result.status, result.value) == (reference.status, reference.value)
        assert check_certificate(program, c, result)
    assert feasible_point(LinearProgram(rows, [0, 0], [big, big], [True] * 3)) is not None


# ---------------------------------------------------------------- the value object


def test_bad_input_gets_one_clear_line():
    with pytest.raises(UsageError, match="row 1 has 2 entries, expected 3"):
        LinearProgram([(0, 1, 1), (0, 1)], [0, 0], [1, 1])
    with pytest.raises(UsageError, match="2 lower bounds but 1 upper bounds"):
        LinearProgram([], [0, 0], [1])
    with pytest.raises(DomainError, match="lower bound 2 exceeds upper bound 1 of x_0"):
        LinearProgram([], [2], [1])
    with pytest.raises(UsageError, match="1 strict flags for 2 rows"):
        LinearProgram([(0, 1), (1, -1)], [None], [None], [True])
    with pytest.raises(UsageError, match="objective has 3 entries, expected 2"):
        maximize(LinearProgram([], [0], [1]), (0, 1, 2))
    with pytest.raises(UsageError, match="'x'"):
        LinearProgram([(0, "x")], [0], [1])


def test_programs_are_immutable_values():
    program = LinearProgram([(1, -1)], [0], ["1/2"])
    assert program == LinearProgram([(F(1), F(-1))], [F(0)], [F(1, 2)])
    assert len({program, LinearProgram([(1, -1)], [0], [F(1, 2)])}) == 1
    with pytest.raises(AttributeError):
        program.rows = ()
    with pytest.raises(AttributeError):
        maximize(program, (0, 1)).value = F(0)
