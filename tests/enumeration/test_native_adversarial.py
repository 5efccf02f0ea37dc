"""Adversarial cases for the native kernel, each compared region by region with an exact oracle.

The oracle is the Python reference backend with its float filter off: every sign it takes is
decided in exact integers, so it cannot share a mistake with the native float filter. Every case
here was checked to fail on a deliberately broken native build (its float filter's relative bound
set to zero, its absolute bound ``2^-1000`` set to zero, or its 128-bit sums unchecked): the
numbers are chosen so that the rounded doubles favour the wrong piece, or so that the machine
integer sums wrap.
"""

import pickle
from fractions import Fraction

import pytest

from polyregions import Box, MaxoutLayer, Network, PolytopeDomain, ReluLayer, Slice, WholeSpace
from polyregions.enumeration import engine, native
from polyregions.enumeration.engine import prepare
from polyregions.enumeration.kernel import EngineOptions
from polyregions.enumeration.run import LimitedRun
from tests.enumeration.drained import drained_records

pytestmark = pytest.mark.skipif(native.load() is None,
                                reason=f"no native kernel: {native.unavailable_reason()}")

# The cell kinds: polygons (2-D bounded), incidence polytopes (bounded), cddlib descriptions.
PATHS = [(True, True), (False, True), (False, False)]

M, N = 2 ** 63 - 1, -2 ** 63  # the ends of a C long


records = drained_records


def stepped(net, domain, **options):
    """The native records through Job.step alone (the per-step contract parallel runs use)."""
    job, root = prepare(net, domain, EngineOptions(kernel="native", **options))
    out, stack = [], [root]
    while stack:
        result = job.step(stack.pop())
        if isinstance(result, list):
            stack.extend(reversed(result))
        else:
            out.append(result)
    return out


def assert_exact(net, domain, paths=PATHS, step=False):
    """The native records equal the exact reference's on every cell kind; return the oracle's."""
    for polygon, incidence in paths:
        paths_ = dict(polygon_path=polygon, incidence_path=incidence)
        exact = records(net, domain, "python", float_filter=False, **paths_)
        for float_filter in (True, False):
            assert records(net, domain, "native", float_filter=float_filter, **paths_) == exact
        if step:
            assert stepped(net, domain, **paths_) == exact
    return exact


def patterns(recs):
    return [r.pattern for r in recs]


# --- the float filter --------------------------------------------------------------------------


@pytest.mark.parametrize("p", [60, 200])
@pytest.mark.parametrize("dim", [2, 3])
def test_coefficients_rounded_below_half_an_ulp_do_not_decide(p, dim):
    # a = A x + y - A and b = (A + k) x - A, with k below half an ulp of A = 2^p: as doubles
    # A + k is A, so a - b is y > 0 in floats. Exactly b - a = k x - y >= k - 2 > 0 on the box
    # (x in [1, 1 + 1/A] is x = 1 in doubles too): b wins everywhere, one region, piece 1.
    A, k = 2 ** p, 2 ** (p - 54) - 1
    zeros = [0] * (dim - 2)
    net = Network(dim, [MaxoutLayer([[[A, 1] + zeros, [A + k, 0] + zeros]], [[-A, -A]])])
    box = Box([1, 1] + zeros, [1 + Fraction(1, A), 2] + [1] * (dim - 2))
    assert patterns(assert_exact(net, box, step=dim == 2)) == [((1,),)]


@pytest.mark.parametrize("domain", [Box([1, 0], [2, 1]), Box([1, 0, 0], [2, 1, 1]),
                                    PolytopeDomain([[-1, 1, 0], [2, -1, 0]])],
                         ids=["square", "cube", "strip"])
def test_pieces_one_apart_in_2_200_at_a_vertex(domain):
    # With A = 2^200 and x in [1, 2] (y, z free in the cube and the unbounded strip):
    #   A x                     ties A x at x = 1, is 1 below at x = 2: dominated, no split;
    #   (A + 1) x - 2           is 1 below A x at x = 1, ties it at x = 2: dominated;
    #   (A + 1) x - 3/2 * 1     crosses A x at x = 3/2: a split.
    # The doubles of all three are equal at every vertex; only exact integers tell them apart.
    A = 2 ** 200
    dim = domain.dim
    zeros = [0] * (dim - 1)
    tie = MaxoutLayer([[[A] + zeros, [A + 1] + zeros]], [[0, -1]])
    below = MaxoutLayer([[[A] + zeros, [A + 1] + zeros]], [[0, -2]])
    cross = MaxoutLayer([[[A] + zeros, [A + 1] + zeros]], [[0, Fraction(-3, 2)]])
    assert patterns(assert_exact(Network(dim, [tie]), domain)) == [((1,),)]
    assert patterns(assert_exact(Network(dim, [below]), domain)) == [((0,),)]
    assert patterns(assert_exact(Network(dim, [cross]), domain)) == [((0,),), ((1,),)]


@pytest.mark.parametrize("a0, a1, low, high", [
    (-469762049, 50331647, 9, 10),
    (-553648130, 251658239, Fraction(11, 5), Fraction(16, 5)),
    (369098750, -100663294, 2, 4),
])
def test_pieces_in_the_subnormal_range_are_decided_exactly(a0, a1, low, high):
    # Unit 1 (weight 1) sets the layer's scale; unit 0, (a1 x + a0) / 2^1100, is then a few
    # times 2^-1074 as doubles, where every product rounds by half of that. Found by search:
    # rounded, unit 0 is positive at both ends of the interval, exactly it changes sign inside
    # (at -a0 / a1), so there are two regions. Only the absolute bound 2^-1000 catches this.
    net = Network(1, [ReluLayer([[Fraction(a1, 2 ** 1100)], [1]], [Fraction(a0, 2 ** 1100), 0])])
    assert low < Fraction(-a0, a1) < high
    exact = assert_exact(net, Box([low], [high]), paths=[(True, True), (False, False)])
    assert sorted(patterns(exact)) == [((0, 1),), ((1, 1),)]


@pytest.mark.parametrize("big", [2 ** 80, 2 ** 1000, 10 ** 400], ids=["2^80", "2^1000", "10^400"])
def test_cancellation_of_huge_terms_in_the_composed_pieces(big):
    # Layer 1: u1 = x + big, u2 = big + 1, u3 = 1, all active. Layer 2: relu(u1 - u2 + u3) =
    # relu(x), but in doubles big + 1 is big, so the composed bias comes out as 1 instead of 0:
    # relu(x + 1) > 0 on all of x in [-1/2, 1]. Exactly, x = 0 splits the box.
    net = Network(2, [ReluLayer([[1, 0], [0, 0], [0, 0]], [big, big + 1, 1]),
                      ReluLayer([[1, -1, 1]], [0])])
    exact = assert_exact(net, Box([Fraction(-1, 2), 0], [1, 1]), step=True)
    assert patterns(exact) == [((1, 1, 1), (0,)), ((1, 1, 1), (1,))]


def test_weights_beyond_the_double_range():
    # 10^400 and 10^-400 overflow and underflow a double; the filter scales by powers of two
    # first. Two layers, so the second one's map has entries of 800 digits.
    huge, tiny = 10 ** 400, Fraction(1, 10 ** 400)
    net = Network(2, [ReluLayer([[huge, 1], [tiny, -1], [huge, -huge]], [-huge // 3, tiny, 1]),
                      ReluLayer([[1, huge, -tiny], [tiny, 1, 1]], [-1, 0])])
    for domain in (Box.cube(2, -2, 2), WholeSpace(2)):
        assert len(assert_exact(net, domain, step=True)) > 3


def test_duplicate_pieces_that_differ_beyond_double_precision():
    A = 2 ** 200
    # (A + 1) x and A x are one double but cross at x = 0: two regions. A x + y and A x + y
    # are the same piece: the lower index wins, no split.
    apart = Network(2, [MaxoutLayer([[[A + 1, 0], [A, 0]]], [[0, 0]])])
    same = Network(2, [MaxoutLayer([[[A, 1], [A, 1], [A + 1, 1]]], [[0, 0, -1]])])
    assert patterns(assert_exact(apart, Box.cube(2, -1, 1))) == [((0,),), ((1,),)]
    assert patterns(assert_exact(same, Box([1, 0], [2, 1]))) == [((2,),)]
    # Pieces that differ only in y3, which the slice keeps at 0: identical once composed.
    sliced = Network(3, [MaxoutLayer([[[1, 0, A], [1, 0, -A], [0, 1, 0]]], [[0, 0, 0]])])
    sl = Slice([0, 0, 0], [1, 0, 0], [0, 1, 0], [-1, -1], [1, 1])
    assert patterns(assert_exact(sliced, sl, paths=PATHS[:2])) == [((0,),), ((2,),)]


def test_degenerate_cuts_through_vertices_with_huge_rows():
    # Lines k x + y = k + 1 (scaled by 2^200 k) touch the square only at its corner (1, 1);
    # the others go through the centre, two of them the same line in different scalings.
    A = 2 ** 200
    weights = [[A * k, A] for k in (1, 2, 3)] + [[A, -A], [3, -3], [1, A], [0, 1]]
    biases = [-A * (k + 1) for k in (1, 2, 3)] + [0, 0, 0, 0]
    for dim in (2, 3):
        zeros = [0] * (dim - 2)
        net = Network(dim, [ReluLayer([w + zeros for w in weights], biases),
                            ReluLayer([[1, -1, A, 0, 1, -1, 1]], [0])])
        assert len(assert_exact(net, Box.cube(dim, -1, 1))) >= 8


# --- machine integers --------------------------------------------------------------------------


@pytest.mark.parametrize("domain", [Box.cube(2, -1, 1), WholeSpace(2),
                                    Box([Fraction(-M, 2 ** 62 + 1)] * 2, [Fraction(M, 2 ** 62 + 1)] * 2)],
                         ids=["square", "plane", "wide"])
def test_weights_at_the_ends_of_a_long_overflow_the_128_bit_sums(domain):
    # Every entry fits a long, so the 128-bit paths run; products of -2^63 and -2^63 are 2^126,
    # and three of them overflow an __int128. The wide box's vertices have entries of 63 bits.
    composed = Network(2, [ReluLayer([[N, N], [N, M], [M, N]], [M, N, 0]),
                           ReluLayer([[N, N, N], [M, M, M]], [N, M]),
                           ReluLayer([[N, M]], [1])])
    cut = Network(2, [ReluLayer([[M, M], [M, N]], [M, N])])
    assert len(assert_exact(composed, domain, step=True)) >= 5
    assert len(assert_exact(cut, domain)) >= 3


VALUES = [0, 1, -1, M, M + 1, N, N - 1, 2 ** 64 - 1, 2 ** 64, -2 ** 64, 2 ** 127, -2 ** 127,
          2 ** 128 + 1, 10 ** 3000, -10 ** 3000, -2 ** 20000 - 1]  # the last beyond 4300 digits


def value_id(v):
    return hex(v) if abs(v) < 2 ** 130 else f"{v.bit_length()}bits"


@pytest.mark.parametrize("value", VALUES, ids=value_id)
def test_python_ints_cross_to_gmp_and_back_exactly(value):
    setup = native.load()
    kernel = setup.Kernel(1, [(((0, 0), (0, 1)), ((0, 2),), 1)], False, False, True)
    # A description cell reports its rows as they were given.
    cell = kernel.start(((value, 1),), ((1, value),), ((0, 1),), ())
    assert cell.report() == (((value, 1),), ((1, value),), ((0, 1),), ())
    assert pickle.loads(pickle.dumps(cell)).report() == cell.report()
    # The map y = value + 3 x; piece 1 of the layer is y itself, so the next map is the same.
    context = kernel.enter_layer(0, 1, ((value, 3),))
    assert kernel.next_map(context, (1,)) == (1, ((value, 3),))
    assert kernel.next_map(pickle.loads(pickle.dumps(context)), (1,)) == (1, ((value, 3),))


def test_bools_cross_as_ints_and_other_numbers_are_refused():
    setup = native.load()
    kernel = setup.Kernel(1, [(((0, 0), (0, 1)), ((0, 2),), 1)], False, False, True)
    report = kernel.start(((True, False),), ((1, 0),), ((0, 1),), ()).report()
    assert report[0] == ((1, 0),) and all(type(v) is int for v in report[0][0])
    with pytest.raises(TypeError, match="expected an int"):
        kernel.start(((1.0, 1),), ((1, 0),), ((0, 1),), ())
    with pytest.raises(TypeError, match="expected an int"):
        kernel.start(((Fraction(1), 1),), ((1, 0),), ((0, 1),), ())


SQUARE = ((0, 1, 0), (1, -1, 0), (0, 0, 1), (1, 0, -1))


@pytest.mark.parametrize("polygon, incidence", PATHS)
def test_rows_of_the_wrong_length_are_refused_not_read_past(polygon, incidence):
    # The exact loops read dim + 1 entries of every row without a check: a short row given
    # to the kernel read past its end (a crash) before the kernel checked the lengths.
    kernel = native.load().Kernel(2, [(((0, 0, 0), (0, 1, -1)), ((0, 2),), 1)], polygon, incidence, True)
    with pytest.raises(ValueError, match=r"a point row has 1 entries, expected dim \+ 1 = 3"):
        kernel.start(SQUARE, ((1,), (1,), (1,), (1,)), (), ())
    with pytest.raises(ValueError, match=r"a facet row has 4 entries, expected dim \+ 1 = 3"):
        kernel.start(SQUARE + ((1, 0, 0, 0),), ((1, 0, 0),), (), ())
    with pytest.raises(ValueError, match="the domain has no point"):
        kernel.start((), (), (), ((0, 1, 0), (0, 0, 1)))
    cell = kernel.start(SQUARE, ((1, 0, 0), (1, 1, 0), (1, 1, 1), (1, 0, 1)), (), ())
    with pytest.raises(ValueError, match=r"a cut row has 2 entries, expected dim \+ 1 = 3"):
        kernel.cut(cell, ((0, 1, -1), (0, 1)))
    assert sorted(kernel.cut(cell, ((0, -1, 1),)).report()[1]) == [(1, 0, 0), (1, 0, 1), (1, 1, 1)]


# --- batches, interrupts, resuming -------------------------------------------------------------


def batch_net():
    return Network(2, [ReluLayer([[1, 0], [0, 1], [1, 1], [1, -2], [3, 1]], [0, 0, -1, 1, Fraction(1, 2)]),
                       MaxoutLayer([[[1, 1, 0, 0, -1], [0, 0, 1, -1, 1]],
                                    [[1, 0, 0, 0, 0], [0, 1, 0, 0, 0]]], [[0, 1], [0, 0]])])


def chain_net(units=80):
    # Breakpoints 1/2, 1/4, ..., 2^-units of x in [0, 1]: the cell that holds 0 is split by
    # every unit before the first region is finished, more steps than one time check apart.
    return Network(2, [ReluLayer([[2 ** k, 0] for k in range(1, units + 1)], [-1] * units)])


CASES = {"box": (batch_net(), Box.cube(2, -2, 2)), "plane": (batch_net(), WholeSpace(2)),
         "chain": (chain_net(), Box.cube(2, 0, 1))}


@pytest.fixture
def tiny_batches(monkeypatch):
    """Every native batch at most one region, and over as soon as its first time check comes."""
    monkeypatch.setattr(engine, "BATCH_SECONDS", 0.0)
    monkeypatch.setattr(engine, "BATCH_REGIONS", 1)


def walk_of(job, items):
    steps = tuple((p.has_pattern, p.fixed_choice()) for p in job.plans[:job.depth])
    return job.kernel.walk(steps, len(job.plans), items)


@pytest.mark.usefixtures("tiny_batches")
@pytest.mark.parametrize("case", CASES)
def test_batches_of_one_region_or_no_time_lose_and_repeat_nothing(case):
    net, domain = CASES[case]
    exact = records(net, domain, "python", float_filter=False)
    assert len(exact) > 10
    assert records(net, domain, "native") == exact
    job, root = prepare(net, domain, EngineOptions(kernel="native"))
    counts = list(job.count([root]))
    assert sum(found for found, _ in counts) == len(exact)
    assert sum(bounded for _, bounded in counts) == sum(not r.rays and not r.lines for r in exact)
    for limit in (1, 2, len(exact) - 1, len(exact)):
        job, root = prepare(net, domain, EngineOptions(kernel="native"))
        assert sum(found for found, _ in job.count([root], limit)) == limit


@pytest.mark.usefixtures("tiny_batches")
@pytest.mark.parametrize("case", ["box", "chain"])
def test_shared_facets_survive_batches_of_one_region_or_no_time(case):
    # Each record names the earlier records it shares a facet with, by index: a region lost
    # or repeated at a batch's end would shift every index after it.
    net, domain = CASES[case]
    def tracked(**options):
        job, root = prepare(net, domain, EngineOptions(adjacency=True, **options))
        return list(job.drain([root]))

    exact = tracked(kernel="python", float_filter=False)
    assert sum(len(r.neighbours) for r in exact) >= len(exact) - 1  # the graph is connected
    assert tracked(kernel="native") == exact


@pytest.mark.usefixtures("tiny_batches")
@pytest.mark.parametrize("case", ["box", "chain"])
def test_limits_and_interrupts_between_batches_keep_the_exact_prefix(case):
    net, box = CASES[case]
    exact = records(net, box, "python", float_filter=False)
    native_options = EngineOptions(kernel="native")
    for k in sorted({1, 2, 3, 5, 8, 13, len(exact) // 2, len(exact) - 1, len(exact)}):
        run = LimitedRun(net, box, max_regions=k, options=native_options)
        assert [r.pattern for r in run] == patterns(exact[:k])
        assert run.stop_reason == (None if k == len(exact) else "max_regions")
        tally = LimitedRun(net, box, max_regions=k, options=native_options)
        assert tally.tally() == k and tally.stop_reason == run.stop_reason

        def interrupt(found, k=k):
            if found == k:
                raise KeyboardInterrupt

        stopped = LimitedRun(net, box, progress=interrupt, stop_on_interrupt=True, options=native_options)
        assert [(r.pattern, r.polytope.rows) for r in stopped] == \
            [(r.pattern, r.facets) for r in exact[:k]]
        assert stopped.stop_reason == "interrupt"


@pytest.mark.parametrize("case", CASES)
def test_a_walk_resumed_from_its_pickled_work_after_every_region(case):
    # As a worker would: take one region (or none, when the time runs out), pickle what is
    # left, and carry on from the copy in a fresh walk.
    net, domain = CASES[case]
    exact = records(net, domain, "python", float_filter=False)
    job, root = prepare(net, domain, EngineOptions(kernel="native"))
    items = [(root.cell, root.done, root.current, root.map_den, root.map_rows, root.context)]
    got, batches = [], 0
    while items:
        walk = walk_of(job, items)
        got += walk.records(1, 0.0 if batches % 2 else 10.0)
        items = pickle.loads(pickle.dumps(walk.remaining()))
        assert walk.empty == (not items)
        batches += 1
    assert got == exact and batches >= len(exact)
