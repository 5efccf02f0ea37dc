"""The native analysis helpers against the Python path they shortcut.

* ``LayerMaps.output`` (:func:`polyregions.analysis.maps.output_maps`) against
  :attr:`Region.output_rows` (the reference: the engine's own composition);
* ``undominated_classes`` against the decision boundary's own computation of
  the classes of a region, and :func:`decision_boundary_counts` with and
  without the native helpers;
* ``GenericityScreen.passes`` against the Python checker region by region: a
  region without lines passes exactly when the checker finds no failure in it,
  and :func:`genericity` gives the same verdict and reason with and without it.

Networks: random ones (maxout and ReLU, some degenerate: repeated units and
pieces, zero rows), a linear layer between two hidden layers, networks without
any choice, and the hand-made failures of every check; boxes, the whole space
and a slice.
"""

import random

import pytest

from polyregions import (
    Box,
    LinearLayer,
    MaxoutLayer,
    Network,
    PolytopeDomain,
    ReluLayer,
    Slice,
    WholeSpace,
    enumerate_regions,
)
from polyregions.analysis.decision import _ClassCells, decision_boundary_counts
from polyregions.analysis.genericity import _GenericityChecker, _native_screen, genericity
from polyregions.analysis.maps import (
    native_layer_maps,
    native_maps_arguments,
    native_regions,
    output_maps,
)
from polyregions.enumeration import native
from polyregions.params.init import initialize
from tests.networks import random_net

pytestmark = pytest.mark.skipif(native.load() is None, reason="the native extension is not built")


@pytest.fixture(autouse=True)
def native_kernel(monkeypatch):
    monkeypatch.setenv("POLYREGIONS_KERNEL", "native")


def random_case(seed, dim):
    kinds = [["relu", "relu"], ["maxout", "maxout"], ["relu", "maxout"]][seed % 3]
    return random_net(seed, dim, [4, 3], kinds, rank=2 + seed % 2, degenerate=seed % 2 == 1,
                      outputs=1 + seed % 3)


MIDDLE_LINEAR = Network(2, [ReluLayer([[1, 0], [0, 1], [1, -1]], ["1/3", 0, "-1/5"]),
                            LinearLayer([[1, 2, 0], [0, 1, -1]], [0, "1/2"]),
                            MaxoutLayer([[[1, 0], [0, 1], [-1, 1]]], [[0, "1/7", 0]]),
                            LinearLayer([[2], [-1]], [1, 0])])
TWO_HEADS = Network(2, [MaxoutLayer([[[1, 0], [0, 1]], [[1, 1], ["1/3", -1]]], [[0, "1/5"], [0, 0]]),
                        LinearLayer([["1/2", 3], [1, -1]], ["1/7", 0]),
                        LinearLayer([[5, "2/3"], [-1, 1]], [0, "1/3"])])
NO_CHOICE = Network(2, [LinearLayer([[1, 2], [3, "1/2"]], [1, 0]), LinearLayer([[1, -1]], [0])])
HIDDEN_ONLY = Network(3, [ReluLayer([[1, 0, 0], [0, 1, 0], [1, 1, 1]], [0, "1/4", 0])])
FAILURES = {  # one failed check each (see tests/analysis/test_genericity.py)
    "concurrent": Network(2, [ReluLayer([[1, 0], [0, 1], [1, 1]], [0, 0, 0])]),
    "corner": Network(2, [ReluLayer([[1, 1], [1, -2]], [0, "1/3"])]),
    "duplicate": Network(2, [ReluLayer([[1, 0], [1, 0], [0, 1]], ["1/3", "1/3", "1/5"])]),
    "identical": Network(2, [MaxoutLayer([[[1, 0], [1, 0], [0, 1]]], [[0, 0, "1/7"]])]),
    "on facet": Network(2, [ReluLayer([[1, 0]], [-1])]),
    "parallel": Network(2, [ReluLayer([[1, 0], [1, 0]], [0, 1])]),
    "three pieces": Network(2, [MaxoutLayer([[[1, 0], [0, 1], [-1, -1]]], [[0, 0, 0]]),
                                ReluLayer([[1]], [0])]),
}
# A triangle with facet rows beyond a machine word (x >= 0, y >= 0, C - A x - B y >= 0): a
# line through its corner (C / A, 0) fails, one just inside it does not.
A, B, C = 2 ** 70 + 1, 2 ** 70 + 3, 2 ** 71 + 5
BIG_TRIANGLE = PolytopeDomain([[0, 1, 0], [0, 0, 1], [C, -A, -B]])
BIG_CORNERS = [(f"big triangle, a line {where}", Network(2, [ReluLayer([[A, 0], [1, -1]], [bias, "1/3"])]),
                BIG_TRIANGLE) for where, bias in (("through a corner", -C), ("near a corner", 1 - C))]
SLICE = Slice([0, 0, 0], [1, "1/2", 0], [0, 1, "1/4"], [-2, -2], [2, 2])

CASES = ([(f"random {seed} in {dim}-D", random_case(seed, dim), Box.cube(dim, -2, 2))
          for seed in range(6) for dim in (1, 2, 3)]
         + [(f"random {seed} everywhere", random_case(seed, 2), WholeSpace(2)) for seed in range(3)]
         + [("random on a slice", random_case(4, 3), SLICE),
            ("linear layer in the middle", MIDDLE_LINEAR, Box.cube(2, -2, 2)),
            ("two linear layers at the end", TWO_HEADS, Box.cube(2, -1, 1)),
            ("no choice", NO_CHOICE, Box.cube(2, -1, 1)),
            # One region with two lines, along which x and 2 x + 1 never stay below each other.
            ("linear map everywhere", Network(2, [LinearLayer([[1, 0], [2, 0]], [0, 1])]),
             WholeSpace(2)),
            ("hidden layer only", HIDDEN_ONLY, Box.cube(3, -1, 1)),
            ("maxout [3, 5, 5]", initialize((3, 5, 5), "maxout", 3, outputs=2, seed=3),
             Box.cube(3, -3, 3))]
         + [(name, net, domain) for name, net in FAILURES.items()
            for domain in (Box.cube(2, -1, 1), WholeSpace(2))] + BIG_CORNERS)


@pytest.fixture(scope="module", params=CASES, ids=[c[0] for c in CASES])
def result(request):
    _, network, domain = request.param
    return enumerate_regions(network, domain)


def test_native_output_maps_are_the_regions_output_rows(result):
    assert output_maps(result) == [region.output_rows for region in result]


def test_native_output_maps_in_any_order_are_the_regions_output_rows(result):
    # The maps update the last layer's terms from the previous pattern's: any order, any jumps.
    module, *arguments = native_maps_arguments(result)
    maps = module.LayerMaps(*arguments)
    order = list(range(len(result)))
    random.Random(len(result)).shuffle(order)
    for i in order + order[::-1]:
        assert maps.output(result[i].pattern) == result[i].output_rows, i


def test_native_classes_are_those_of_the_class_cells(result):
    module, table = native_maps_arguments(result)[0], native_regions(result)
    assert len(table) == len(result)
    maps = output_maps(result)
    expected = [_ClassCells(region)._undominated(region.polytope) for region in result]
    for i, (_, outputs) in enumerate(maps):
        assert list(module.undominated_classes(table, i, outputs)) == expected[i]
    # In one call, from a region on (outputs[k] are region start + k's), with the primitive
    # rows of y_i - y_j, i among the classes, as the class cells make them.
    start = len(result) // 2
    found = module.undominated_classes_from(table, start, [rows for _, rows in maps[start:]])
    assert [list(classes) for classes, _ in found] == expected[start:]
    for region, (classes, rows) in zip(result[start:], found):
        cells = _ClassCells(region)
        pairs = [(i, j) for i in classes for j in range(len(cells.outputs)) if j != i]
        assert list(rows) == [cells.difference(i, j) for i, j in pairs]


def test_batched_helpers_read_patterns_of_any_make_in_any_order(result):
    # The batched helpers skip a layer's tuple met just before (the records share them): fresh
    # tuples, lists, a shuffled order (shared tuples meeting other layers) and the reverse all
    # give each region's own answer.
    module, *arguments = native_maps_arguments(result)
    screen, table = _native_screen(_GenericityChecker(result)), native_regions(result)
    order = list(range(len(result)))
    random.Random(len(result) + 1).shuffle(order)
    patterns = [r.pattern for r in result]
    expected = [r.output_rows for r in result]
    passes = [screen.passes(table, i, p) for i, p in enumerate(patterns)]
    makes = [patterns, [tuple(tuple(layer) for layer in p) for p in patterns],
             [[list(layer) for layer in p] for p in patterns]]
    for made in makes:
        assert module.LayerMaps(*arguments).outputs(made) == expected
        assert screen.passes_from(table, 0, made) == passes
    for indices in (order, order[::-1]):
        assert module.LayerMaps(*arguments).outputs([patterns[i] for i in indices]) == \
            [expected[i] for i in indices]
    # Lists are read every time (only a tuple met just before is skipped).
    first = [list(layer) for layer in patterns[0]]
    for i in range(1, len(result)):
        changed = [list(layer) for layer in patterns[i]]
        assert module.LayerMaps(*arguments).outputs([first, changed]) == [expected[0], expected[i]]


def brute_force_classes(outputs, points, rays, lines):
    """The outputs below no other at every generator (a line both ways), identical ones once."""
    generators = list(points) + list(rays) + list(lines) + [tuple(-v for v in g) for g in lines]
    reps = [k for k, row in enumerate(outputs) if row not in outputs[:k]]
    values = {k: [sum(a * b for a, b in zip(outputs[k], g)) for g in generators] for k in reps}
    return [k for k in reps if not any(j != k and all(x >= y for x, y in zip(values[j], values[k]))
                                       for j in reps)]


@pytest.mark.parametrize("seed", range(4))
def test_classes_at_exact_and_near_ties_are_the_brute_force_ones(seed):
    # Differences y_j - y_k vanishing at a generator (floats cannot certify 0), or +-1 there
    # from entries of 70 bits (their products of 140 bits cancel: floats cannot tell the sign).
    rng = random.Random(seed)
    big = 2 ** 70
    point = (1, big, big + 1)
    base = tuple(rng.randrange(-5, 6) for _ in range(3))

    def shifted(c0):  # base + (c0, -2^69, 2^69): at `point` base's value plus c0 + 2^69
        return (base[0] + c0, base[1] - 2 ** 69, base[2] + 2 ** 69)

    outputs = [base, shifted(-2 ** 69), shifted(1 - 2 ** 69), shifted(-1 - 2 ** 69), base,
               tuple(rng.randrange(-3, 4) for _ in range(3))]
    others = [(rng.randrange(1, 4), rng.randrange(-3, 4), rng.randrange(-3, 4)) for _ in range(3)]
    module = native.load()
    for points, rays, lines in [([point], [], []), ([point] + others, [], []),
                                ([point], [(0, 1, -1)], []), ([point], [], [(0, 1, -1)]),
                                ([point] + others, [(0, 0, 1)], [(0, 2, 1)])]:
        table = module.RegionTable(2)
        table.add(points, rays, lines)
        for order in (outputs, outputs[::-1], outputs[1:4]):
            found = list(module.undominated_classes(table, 0, order))
            assert found == brute_force_classes(order, points, rays, lines), (points, rays, lines)


def test_decision_boundary_counts_with_the_native_helpers_are_the_reference_ones(result,
                                                                               monkeypatch):
    if result.network.output_dim < 2:
        return
    found = decision_boundary_counts(result)
    monkeypatch.setenv("POLYREGIONS_KERNEL", "python")
    assert found == decision_boundary_counts(result)


def test_the_screen_passes_a_region_exactly_when_the_checker_finds_nothing(result):
    checker = _GenericityChecker(result)
    screen, table = _native_screen(checker), native_regions(result)
    for i, region in enumerate(result):
        poly = region.polytope
        passes = screen.passes(table, i, region.pattern)
        if poly.line_rows:
            assert not passes  # lines are left to the checker
        else:
            assert passes == (checker.region(i, region) is None), i
    start = len(result) // 2
    assert screen.passes_from(table, start, [r.pattern for r in result[start:]]) == \
        [screen.passes(table, i, result[i].pattern) for i in range(start, len(result))]


def test_a_screen_on_the_output_maps_layer_maps_answers_as_its_own(result):
    # Shared: the screen reads the contexts the output maps composed, and the output maps
    # those the screen composed (each run first once), with the same answers either way.
    checker, table = _GenericityChecker(result), native_regions(result)
    patterns = [r.pattern for r in result]
    own = _native_screen(checker).passes_from(table, 0, patterns)
    expected = [r.output_rows for r in result]
    maps_first = native_layer_maps(result)
    assert output_maps(result, maps_first) == expected
    assert _native_screen(checker, maps_first.native).passes_from(table, 0, patterns) == own
    screen_first = native_layer_maps(result)
    screen = _native_screen(checker, screen_first.native)
    assert screen.passes_from(table, 0, patterns) == own
    assert output_maps(result, screen_first) == expected
    assert genericity(result, layer_maps=screen_first, regions=table) == genericity(result)


def test_layer_maps_of_another_enumeration_are_refused():
    # Maps compose for the network and domain they were made for: another domain's would
    # give wrong output maps and a wrong genericity answer without a word.
    from polyregions import UsageError

    net = Network(2, [ReluLayer([[1, 0], [0, 1], [1, 1]], [0, 0, 1]), LinearLayer([[1, -1, 2]], [0])])
    mine, other = enumerate_regions(net, Box.cube(2, -1, 1)), enumerate_regions(net, Box.cube(2, -3, 3))
    maps = native_layer_maps(mine)
    assert output_maps(mine, maps) == [r.output_rows for r in mine]
    for call in (lambda: output_maps(other, maps), lambda: genericity(other, layer_maps=maps)):
        with pytest.raises(UsageError, match="another enumeration's network or domain"):
            call()
    with pytest.raises(UsageError, match="must come from native_layer_maps, got int"):
        output_maps(mine, 3)


def test_genericity_with_the_screen_is_the_reference_verdict(result, monkeypatch):
    found = genericity(result)
    monkeypatch.setenv("POLYREGIONS_KERNEL", "python")
    assert found == genericity(result)


@pytest.mark.parametrize("name", ["maxout [3, 5, 5]", "random on a slice", "three pieces",
                                  "concurrent", "corner", "duplicate"])
def test_the_helpers_in_small_batches_give_the_reference_answers(name, monkeypatch):
    # Batches of 3 regions: every batch after the first starts inside the complex.
    _, network, domain = next(case for case in CASES if case[0] == name)
    monkeypatch.setattr("polyregions.analysis.maps.BATCH", 3)
    result = enumerate_regions(network, domain)
    found = (genericity(result), decision_boundary_counts(result) if network.output_dim > 1 else None)
    monkeypatch.setenv("POLYREGIONS_KERNEL", "python")
    assert found == (genericity(result),
                     decision_boundary_counts(result) if network.output_dim > 1 else None)


@pytest.mark.parametrize("name", ["random 2 in 2-D", "random 0 everywhere", "random 2 everywhere"])
def test_in_batches_the_checker_sees_exactly_the_regions_the_screen_does_not_pass(name, monkeypatch):
    # Cases where some regions pass and others not, and no failure stops the check early.
    _, network, domain = next(case for case in CASES if case[0] == name)
    result = enumerate_regions(network, domain)
    screen, table = _native_screen(_GenericityChecker(result)), native_regions(result)
    expected = [i for i, region in enumerate(result) if not screen.passes(table, i, region.pattern)]
    assert 0 < len(expected) < len(result)
    checked = []
    region = _GenericityChecker.region
    monkeypatch.setattr(_GenericityChecker, "region",
                        lambda self, i, r: checked.append(i) or region(self, i, r))
    monkeypatch.setattr("polyregions.analysis.maps.BATCH", 5)
    genericity(result)
    assert checked == expected


def test_the_cases_cover_passing_and_failing_regions():
    verdicts = [genericity(enumerate_regions(net, domain))[0] for _, net, domain in CASES]
    assert any(verdicts) and not all(verdicts)
    # The big triangle's corner is found by the screen (its facet rows read in full there).
    (through, _), (near, _) = [genericity(enumerate_regions(net, domain)) for _, net, domain in BIG_CORNERS]
    assert (through, near) == (False, True)


def test_the_reference_kernel_uses_no_native_helper(monkeypatch):
    monkeypatch.setenv("POLYREGIONS_KERNEL", "python")
    result = enumerate_regions(HIDDEN_ONLY, Box.cube(3, -1, 1))
    assert native_maps_arguments(result) is None and native_regions(result) is None
    assert _native_screen(_GenericityChecker(result)) is None


def test_bad_patterns_are_refused_with_a_message():
    result = enumerate_regions(MIDDLE_LINEAR, Box.cube(2, -2, 2))
    module, *arguments = native_maps_arguments(result)
    maps = module.LayerMaps(*arguments)
    region = result[0]
    with pytest.raises(ValueError, match="layer 0 of the pattern"):
        maps.output(((0,),) + region.pattern[1:])
    with pytest.raises(IndexError, match="unit 0 of layer 2 has no piece 5"):
        maps.output(region.pattern[:2] + ((5,),) + region.pattern[3:])
    with pytest.raises(TypeError, match="expected an int"):
        maps.outputs([region.pattern[:2] + ((0.0,),) + region.pattern[3:]])
    with pytest.raises(ValueError, match=f"{2 ** 40} is out of range"):
        maps.outputs([region.pattern, region.pattern[:2] + ((2 ** 40,),) + region.pattern[3:]])
    screen, table = _native_screen(_GenericityChecker(result)), native_regions(result)
    with pytest.raises(ValueError, match="the pattern has 1 layers"):
        screen.passes(table, 0, region.pattern[:1])
    with pytest.raises(IndexError, match=f"no region {len(result)} in a table of {len(result)}"):
        screen.passes(table, len(result), region.pattern)
    with pytest.raises(ValueError, match="expected dim \\+ 1 = 3"):
        table.add([(1, 0)], (), ())
    other = native_regions(enumerate_regions(HIDDEN_ONLY, Box.cube(3, -1, 1)))
    with pytest.raises(ValueError, match="expected dim \\+ 1 = 3"):
        screen.passes(other, 0, region.pattern)
    module = native_maps_arguments(result)[0]
    with pytest.raises(ValueError, match="different widths"):
        module.undominated_classes(other, 0, ((0, 1, 2),))
