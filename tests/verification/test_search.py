"""check_property against an exact oracle built from the region enumeration.

On each activation region of the case's box the network is one exact affine
map (``Region.output_rows``); there the violating set of an output
conjunction is the polytope of the region's rows and the conjunction's rows
written over ``x``, whose non-emptiness ``feasible_point`` decides exactly
(strict rows held strictly). Regions are closed and the network is
continuous, so the union over regions is the violating set of the box. The
search shares none of this: it never enumerates regions. Every ``violated``
answer's counterexample is also evaluated exactly.
"""

import random
from fractions import Fraction

import pytest

from polyregions import Box, LinearLayer, Network, ReluLayer, enumerate_regions
from polyregions.errors import UsageError
from polyregions.geometry.linear_program import LinearProgram, feasible_point
from polyregions.io.vnnlib import Case, Constraint, Property
from polyregions.verification.search import check_property

F = Fraction


def random_layer(rng, inputs, units, degenerate):
    """Integer rows and biases; a degenerate layer repeats a unit, has a zero row, or meets at 0."""
    weights = [[rng.randint(-3, 3) for _ in range(inputs)] for _ in range(units)]
    biases = [rng.randint(-2, 2) for _ in range(units)]
    if degenerate == "repeat":
        weights[1], biases[1] = list(weights[0]), biases[0]
    elif degenerate == "zero":
        weights[0], biases[0] = [0] * inputs, rng.randint(-1, 1)
    elif degenerate == "point":  # every hyperplane through the origin
        biases = [0] * units
    return weights, biases


def random_network(seed):
    rng = random.Random(seed)
    n = rng.choice((2, 2, 3))
    widths = [n, rng.randint(4, 6 if n == 3 else 8), rng.randint(4, 5 if n == 3 else 6)]
    kind = rng.choice((None, None, "repeat", "zero", "point"))
    layers = [ReluLayer(*random_layer(rng, a, b, kind if i == 0 else None))
              for i, (a, b) in enumerate(zip(widths, widths[1:]))]
    out = [[rng.randint(-2, 2) for _ in range(widths[-1])] for _ in range(2)]
    layers.append(LinearLayer(out, [rng.randint(-1, 1) for _ in range(2)]))
    box = [sorted((F(rng.randint(-4, 4), 4), F(rng.randint(-4, 4), 4))) for _ in range(n)]
    box = [(lo, hi) if lo < hi else (lo, lo + 1) for lo, hi in box]
    return rng, Network(n, layers), [lo for lo, _ in box], [hi for _, hi in box]


def regions_with_maps(network, lower, upper):
    """Every region of the box with its exact output map: (rows, den, output rows)."""
    result = []
    for region in enumerate_regions(network, Box(lower, upper)):
        den, rows = region.output_rows
        result.append((region.polytope, den, rows))
    return result


def over_inputs(constraint, den, maps, n):
    """The output constraint's row over (1, x, y) written over (1, x) with y = maps(x) / den."""
    row = [F(v) for v in constraint.row[:n + 1]]
    for j, a in enumerate(constraint.row[n + 1:]):
        for k in range(n + 1):
            row[k] += F(a * maps[j][k], den)
    return row


def oracle_violated(network, case, regions):
    """Whether some x of the case's input set has outputs meeting some conjunction, exactly."""
    n = network.input_dim
    for polytope, den, maps in regions:
        for conjunction in case.output:
            rows = [list(r) for r in polytope.rows] + [list(c.row) for c in case.input_constraints]
            strict = [False] * len(polytope.rows) + [c.strict for c in case.input_constraints]
            rows += [over_inputs(c, den, maps, n) for c in conjunction]
            strict += [c.strict for c in conjunction]
            if feasible_point(LinearProgram(rows, case.lower, case.upper, strict)) is not None:
                return True
    return False


def extreme(regions, weights, n):
    """The exact maximum of ``weights . y`` over the regions, at their vertices."""
    best = None
    for polytope, den, maps in regions:
        for v in polytope.vertices:
            value = sum(w * (maps[j][0] + sum(a * x for a, x in zip(maps[j][1:], v)))
                        for j, w in enumerate(weights)) / F(den)
            best = value if best is None or value > best else best
    return best


def random_constraint(rng, network, regions, n, tie):
    """``w . y + c . x >= t`` (or ``>``), t at the exact maximum of ``w . y`` for a tie."""
    weights = [rng.randint(-2, 2) for _ in range(2)]
    if not any(weights):
        weights[0] = 1
    xs = [0] * n if tie else [rng.randint(-1, 1) for _ in range(n)]
    if tie:
        threshold = extreme(regions, weights, n)
    else:
        probe = [F(rng.randint(-4, 4), 4) for _ in range(n)]
        y = network.evaluate(probe)
        threshold = sum(w * v for w, v in zip(weights, y)) + F(rng.randint(-3, 3), 2)
    return Constraint([-threshold, *xs, *weights], strict=rng.random() < 0.5)


def random_case(rng, network, lower, upper, regions):
    n = network.input_dim
    tie = rng.random() < 0.3
    conjunctions = [[random_constraint(rng, network, regions, n, tie)
                     for _ in range(1 if tie else rng.randint(1, 2))]
                    for _ in range(rng.randint(1, 2))]
    inputs = [Constraint([rng.randint(-1, 1), *(rng.randint(-2, 2) for _ in range(n))],
                         strict=rng.random() < 0.5)] if rng.random() < 0.25 else []
    if inputs and not any(inputs[0].row[1:]):
        inputs = []
    return Case(lower, upper, inputs, conjunctions)


# Seed 37 is left out for time only: it agrees, but six hyperplanes through one corner of its
# box make the search visit 305 nodes (140 of them exact leaves, 6 s) for 19 regions.
SEEDS = [seed for seed in range(41) if seed != 37]


@pytest.mark.parametrize("seed", SEEDS)
def test_the_answer_agrees_with_the_exact_region_oracle(seed):
    rng, network, lower, upper = random_network(seed)
    regions = regions_with_maps(network, lower, upper)
    prop = Property(network.input_dim, 2, [random_case(rng, network, lower, upper, regions)])
    report = check_property(network, prop)
    expected = "violated" if oracle_violated(network, prop.cases[0], regions) else "holds"
    assert report.result == expected, (seed, network, prop)
    if report.result == "violated":
        assert tuple(network.evaluate(report.inputs)) == tuple(report.outputs)
        assert prop.is_counterexample(report.inputs, report.outputs)
        assert report.case == 0


def test_the_seeds_give_both_answers():
    answers = set()
    for seed in list(SEEDS)[:12]:
        rng, network, lower, upper = random_network(seed)
        regions = regions_with_maps(network, lower, upper)
        case = random_case(rng, network, lower, upper, regions)
        answers.add(oracle_violated(network, case, regions))
    assert answers == {True, False}


def test_two_cases_report_the_first_one_violated_and_a_limit_gives_unknown():
    _, network, lower, upper = random_network(3)
    regions = regions_with_maps(network, lower, upper)
    top = extreme(regions, [1, 0], network.input_dim)
    never = Case(lower, upper, (), [[Constraint([-top, *[0] * network.input_dim, 1, 0],
                                                strict=True)]])            # y0 > max y0
    always = Case(lower, upper, (), [[Constraint([-top, *[0] * network.input_dim, 1, 0])]])
    report = check_property(network, Property(network.input_dim, 2, [never, always]))
    assert (report.result, report.case) == ("violated", 1)
    assert report.outputs[0] == top
    holds = check_property(network, Property(network.input_dim, 2, [never]))
    assert holds.result == "holds"
    if holds.nodes > 1:
        limited = check_property(network, Property(network.input_dim, 2, [never]), max_regions=1)
        assert (limited.result, limited.stop_reason) == ("unknown", "max_regions")


def test_a_property_of_other_dimensions_is_refused():
    _, network, lower, upper = random_network(0)
    with pytest.raises(UsageError, match="inputs"):
        check_property(network, Property(network.input_dim, 3, [Case(lower, upper)]))
