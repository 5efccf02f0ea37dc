"""Genericity: exact reasons, and perturbations that change (or keep) the count."""

import json
import random
from fractions import Fraction

import numpy as np
import pytest

from polyregions import Box, MaxoutLayer, Network, ReluLayer, WholeSpace, count_regions, enumerate_regions
from polyregions.analysis.genericity import _Generators, _GenericityChecker, genericity
from polyregions.enumeration.engine import LayerPlan, next_map
from polyregions.enumeration.kernel import map_columns
from polyregions.numbers import dot
from polyregions.params.init import initialize
from tests.cli_helpers import run
from tests.networks import random_net

BOX = Box.cube(2, -1, 1)


def _generic(net, domain=BOX):
    return genericity(enumerate_regions(net, domain))


CONCURRENT = Network(2, [ReluLayer([[1, 0], [0, 1], [1, 1]], [0, 0, 0])])
CORNER = Network(2, [ReluLayer([[1, 1], [1, -2]], [0, "1/3"])])  # x + y = 0 hits (-1, 1), (1, -1)
DUPLICATE = Network(2, [ReluLayer([[1, 0], [1, 0], [0, 1]], ["1/3", "1/3", "1/5"])])
IDENTICAL = Network(2, [MaxoutLayer([[[1, 0], [1, 0], [0, 1]]], [[0, 0, "1/7"]])])
ON_FACET = Network(2, [ReluLayer([[1, 0]], [-1])])
# Its three pieces meet at the vertex (8/45, -7/45).
TROPICAL = Network(2, [MaxoutLayer([[[1, 0], [0, 1], [-1, -1]]], [[0, "1/3", "1/5"]])])
GENERIC = Network(2, [ReluLayer([[1, 0], [0, 1], [1, 1]], ["1/5", "-1/7", "1/2"])])


@pytest.mark.parametrize("net, start", [
    (CONCURRENT, "degenerate vertex (0, 0)"),
    (CORNER, "degenerate vertex (-1, 1)"),
    (DUPLICATE, "shared hyperplane: units 0 of layer 0 and 1 of layer 0"),
    (IDENTICAL, "identical pieces: pieces 0 and 1 of unit 0"),
    (ON_FACET, "hyperplane on the domain boundary"),
])
def test_not_generic_with_reason(net, start):
    generic, reason = _generic(net)
    assert not generic and reason.startswith(start), reason
    assert "\n" not in reason


def test_generic_cases():
    # The tropical vertex of one rank-3 unit counts 2 = n0 conditions: generic.
    assert _generic(TROPICAL) == (True, None)
    assert _generic(TROPICAL, WholeSpace(2)) == (True, None)
    assert _generic(GENERIC) == (True, None)
    for seed in range(3):
        net = initialize((2, 6, 6), "maxout", 3, "maxout_he", seed=seed)
        assert _generic(net, Box.cube(2, -3, 3)) == (True, None)


def test_whole_space_parallel_lines_meet_at_infinity():
    parallel = Network(2, [ReluLayer([[1, 0], [1, 0]], [0, 1])])
    assert _generic(parallel, Box.cube(2, -3, 3)) == (True, None)
    generic, reason = _generic(parallel, WholeSpace(2))
    assert not generic and "lineality" in reason


def _perturbed(net, rng, weights=False):
    eps = Fraction(1, 10 ** 6)

    def jitter(v):
        return v + eps * int(rng.integers(-3, 4))

    layers = []
    for layer in net.layers:
        if layer.kind == "relu":
            w = [[jitter(v) if weights else v for v in row] for row in layer.weights]
            layers.append(ReluLayer(w, [jitter(b) for b in layer.biases]))
        else:
            w = [[[jitter(v) if weights else v for v in row] for row in unit]
                 for unit in layer.weights]
            layers.append(MaxoutLayer(w, [[jitter(b) for b in unit] for unit in layer.biases]))
    return Network(net.input_dim, layers)


@pytest.mark.parametrize("net, weights", [
    (CONCURRENT, False), (DUPLICATE, False), (ON_FACET, False),
    (IDENTICAL, True)])
def test_perturbation_changes_count_when_not_generic(net, weights):
    base = count_regions(net, BOX)
    rng = np.random.default_rng(0)
    assert any(count_regions(_perturbed(net, rng, weights), BOX) != base for _ in range(12))


@pytest.mark.parametrize("net", [GENERIC, TROPICAL,
                                 initialize((2, 4), "maxout", 3, "maxout_he", seed=1)])
def test_perturbation_keeps_count_when_generic(net):
    base = count_regions(net, BOX)
    rng = np.random.default_rng(0)
    assert all(count_regions(_perturbed(net, rng, True), BOX) == base for _ in range(5))


def test_genericity_in_count_json(tmp_path, capsys):
    from polyregions.io.model import save_network

    path = tmp_path / "m.json"
    save_network(CONCURRENT, path)
    status, out, _ = run(["count", str(path), "--box", "-1", "1", "--json"], capsys)
    data = json.loads(out)
    assert status == 0 and data["generic"] is False
    assert data["generic_reason"].startswith("degenerate vertex (0, 0)")
    status, out, _ = run(["count", str(path), "--box", "-1", "1", "--json", "--regions-only"],
                         capsys)
    assert json.loads(out)["generic"] is None




def _exact_conditions(result, region, gens):
    """The tie conditions of a region with every piece composed exactly (no float filter)."""
    plans = [LayerPlan.from_layer(layer) for layer in result.network.layers]
    rows, den = result.domain.integer_input_map()
    dim, conditions = result.domain.dim, []
    for layer, plan in enumerate(plans):
        chosen = region.pattern[layer] or (0,) * len(plan.slices)
        if plan.has_pattern:
            columns = map_columns(den, rows, dim)
            pieces = [tuple(dot(r, c) for c in columns) for r in plan.rows]
            constant = not any(v for row in rows for v in row[1:])
            for u, ((a, b), p) in enumerate(zip(plan.slices, chosen)):
                for k in range(a, b):
                    diff = tuple(x - y for x, y in zip(pieces[a + p], pieces[k]))
                    if k == a + p:
                        continue
                    if not any(diff[1:]):
                        if diff[0] == 0 and not constant:
                            return None, (layer, k, a + p)
                        continue
                    vanish = [dot(diff, g) == 0 for g in gens]
                    if any(vanish):
                        conditions.append((layer, u, p, k - a, vanish, diff))
        den, rows = next_map(plan, chosen, den, rows, dim)
    return conditions, None


@pytest.mark.parametrize("seed", range(30))
def test_the_conditions_are_those_of_exact_composition(seed):
    # The checker composes only the pieces the floats cannot tell from their winner; the
    # oracle composes every piece exactly. Degenerate networks have identical pieces, ties
    # on whole regions and dead layers, where the floats must leave everything to exact.
    rng = random.Random(seed)
    dim = rng.randint(1, 3)
    kinds = [rng.choice(["relu", "maxout", "leaky_relu"]) for _ in range(rng.randint(1, 3))]
    net = random_net(seed, dim, [rng.randint(1, 4) for _ in kinds], kinds, rank=rng.randint(1, 3),
                     degenerate=seed % 2 == 0, outputs=seed % 3)
    result = enumerate_regions(net, WholeSpace(dim) if seed % 4 == 3 else Box.cube(dim, -2, 2))
    checker = _GenericityChecker(result)
    for i, region in enumerate(result):
        gens = _Generators.of(region.polytope).all
        conditions, failure = checker._conditions(i, region, gens)
        expected, identical = _exact_conditions(result, region, gens)
        if identical is not None:
            assert conditions is None and failure == (0, checker._identical(i, region, *identical))
        else:
            assert failure is None
            assert [(*c[:4], list(c[4]), tuple(c[5])) for c in conditions] == expected
