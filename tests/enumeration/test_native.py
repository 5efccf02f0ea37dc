"""The native kernel against the Python reference, region by region, and its fallback.

The reference backend is the oracle: for every network, domain and option, the native
backend must give the same records (pattern, facets, generators, map) in the same order,
through the per-step contract (``Job.step``, as parallel runs use it), through the
native walk (``Job.drain``) and through counting (``Job.count``).
"""

import dataclasses
import gc
import itertools
import os
import pickle
import random
from fractions import Fraction

import pytest

from polyregions import (
    Box,
    Network,
    PolytopeDomain,
    ReluLayer,
    Slice,
    WholeSpace,
    ball,
    count_regions,
    enumerate_regions,
)
from polyregions.enumeration import backends, engine, native
from polyregions.enumeration.engine import LayerPlan, next_map, prepare
from polyregions.enumeration.kernel import EngineOptions, KernelSetup
from polyregions.enumeration.parallel import split_work
from polyregions.enumeration.reference import ReferenceKernel
from polyregions.errors import LimitReached
from tests.networks import random_network, to_network

AVAILABLE = native.load() is not None
needs_native = pytest.mark.skipif(not AVAILABLE, reason=f"no native kernel: {native.unavailable_reason()}")

NATIVE = EngineOptions(kernel="native")  # whatever POLYREGIONS_KERNEL says
OPTIONS = [EngineOptions(polygon_path=p, incidence_path=i, float_filter=f)
           for p, i, f in itertools.product((True, False), repeat=3)]


def test_the_native_kernel_loaded_when_it_is_required():
    # CI sets POLYREGIONS_REQUIRE_NATIVE=1 (the Makefile's test target): then a missing or
    # broken build fails here instead of passing quietly on the reference.
    if os.environ.get("POLYREGIONS_REQUIRE_NATIVE") != "1":
        pytest.skip("POLYREGIONS_REQUIRE_NATIVE is not set")
    assert native.unavailable_reason() is None
    job, _ = prepare(to_network(random_network(0, 2, [3], ["relu"]), 2), Box.cube(2, -1, 1))
    assert job.kernel.name == "native"


def stepped(job, root):
    """Every record, in order, through Job.step only (the per-step contract)."""
    out, stack = [], [root]
    while stack:
        result = job.step(stack.pop())
        if isinstance(result, list):
            stack.extend(reversed(result))  # step gives the children in order
        else:
            out.append(result)
    return out


def compare(net, domain, options, walk=True, step=True):
    """Assert that both backends give the same records; return their number."""
    def job_and_root(kernel):
        return prepare(net, domain, EngineOptions(kernel=kernel, polygon_path=options.polygon_path,
                                                  incidence_path=options.incidence_path,
                                                  float_filter=options.float_filter))

    job, root = job_and_root("python")
    expected = list(job.drain([root]))
    job, root = job_and_root("native")
    assert job.kernel.name == "native"
    if walk:
        assert list(job.drain([root])) == expected
    if step:
        assert stepped(*job_and_root("native")) == expected
    counted = [0, 0]
    for found, bounded in job_and_root("native")[0].count([job_and_root("native")[1]]):
        counted[0], counted[1] = counted[0] + found, counted[1] + bounded
    assert counted == [len(expected), sum(not r.rays and not r.lines for r in expected)]
    return len(expected)


def random_case(seed):
    rng = random.Random(seed)
    dim = [1, 2, 2, 3, 4, 5][seed % 6]
    kind = ["relu", "maxout", "leaky_relu"][seed % 3]
    widths = [rng.randint(2, 5) for _ in range(1 + seed % 2)]
    if dim >= 4:
        widths = [rng.randint(2, 4)]
    layers = random_network(seed, dim, widths, [kind] * len(widths), rank=2 + seed % 2,
                            degenerate=seed % 2 == 1, outputs=seed % 3 == 0)
    return to_network(layers, dim), dim


@needs_native
@pytest.mark.parametrize("seed", range(36))
def test_random_and_degenerate_networks_give_the_reference_records(seed):
    net, dim = random_case(seed)
    domain = [Box.cube(dim, -2, 2), WholeSpace(dim)][seed % 2]
    compare(net, domain, OPTIONS[seed % len(OPTIONS)])


@needs_native
@pytest.mark.parametrize("options", OPTIONS, ids=str)
def test_every_option_gives_the_reference_records_in_two_and_three_dimensions(options):
    for seed in (3, 7):
        for dim in (2, 3):
            layers = random_network(seed, dim, [4, 3], ["maxout", "relu"], rank=3, degenerate=True)
            compare(to_network(layers, dim), Box.cube(dim, -3, 3), options, step=dim == 2)


@needs_native
def test_slices_polytopes_balls_and_linear_layers_give_the_reference_records():
    layers = random_network(11, 3, [4, 3], ["relu", "leaky_relu"], outputs=2)
    layers.insert(1, {"type": "linear", "weights": [[1, 2, 0, -1], [0, 1, 1, 1], [2, 0, 1, 0], [0, 0, 0, 3]],
                      "biases": [0, 1, -1, 2]})
    net = to_network(layers, 3)
    slice_ = Slice([0, 0, 0], [1, 0, 1], [0, 1, 1], [-1, -1], [2, 2])
    compare(to_network(random_network(5, 3, [5], ["relu"]), 3), slice_, EngineOptions())
    compare(net, Box.cube(3, -2, 2), EngineOptions())
    compare(net, ball([Fraction(1, 2), 0, 0], 2, norm="1"), EngineOptions())
    triangle = PolytopeDomain([[1, 1, 0, 0], [1, 0, 1, 0], [1, 0, 0, 1], [1, -1, -1, -1]])
    compare(net, triangle, EngineOptions(polygon_path=False))


@needs_native
@pytest.mark.parametrize("kind", ["relu", "maxout"])
def test_slices_of_a_wide_network_give_the_reference_records(kind):
    # 30 inputs through a 2-D slice: the first layer's map has many inputs (31 columns against 3), so
    # the context keeps the pieces it composes for next_map, and every region below reads them.
    layers = random_network(8, 30, [8, 6, 4], [kind] * 3, rank=3, degenerate=kind == "maxout",
                            outputs=2)
    rng = random.Random(8)
    points = [[Fraction(rng.randint(0, 256), 256) for _ in range(30)] for _ in range(3)]
    assert compare(to_network(layers, 30), Slice(*points, [-2, -2], [3, 3]), EngineOptions()) > 40


@needs_native
def test_jobs_on_one_network_share_its_compiled_layers_and_only_its_own():
    # A network's layers keep their plans, so a second job (another domain) finds its compiled
    # kernel again; a network with other weights, or the same one under other options, never.
    first = to_network(random_network(4, 3, [5, 4], ["relu", "maxout"], rank=2), 3)
    other = to_network(random_network(5, 3, [5, 4], ["relu", "maxout"], rank=2), 3)
    options = EngineOptions(kernel="native")
    core = prepare(first, Box.cube(3, -1, 1), options)[0].kernel._core
    assert prepare(first, Box.cube(3, -2, 2), options)[0].kernel._core is core
    assert prepare(other, Box.cube(3, -2, 2), options)[0].kernel._core is not core
    unfiltered = dataclasses.replace(options, float_filter=False)
    assert prepare(first, Box.cube(3, -2, 2), unfiltered)[0].kernel._core is not core
    for net in (first, other, first):
        compare(net, Box.cube(3, -2, 2), options, step=False)


@needs_native
def test_near_ties_the_float_filter_cannot_see_are_decided_exactly():
    # Two hyperplanes 10^-30 apart in slope, with weights of 10^30: in floats they are the
    # same line, exactly they cross at x1 = 1 inside the box (a thin wedge each side).
    big = 10 ** 30
    layer = {"type": "relu", "weights": [[big, 1], [big, 1], [1, big + 1], [3, -1]],
             "biases": [-big, -big - 1, -big - 1, 0]}
    net = to_network([layer, {"type": "maxout", "weights": [[[1, 0, 0, 1], [0, 1, 1, 0]]],
                               "biases": [[0, Fraction(1, big)]]}], 2)
    for options in OPTIONS:
        assert compare(net, Box.cube(2, -3, 3), options) > 4


@needs_native
def test_integers_of_hundreds_of_digits_cross_exactly():
    huge = 10 ** 200 + 7
    layer = {"type": "relu", "weights": [[huge, 1], [1, -huge], [huge, huge]],
             "biases": [-huge // 3, 5, -1]}
    net = to_network([layer, {"type": "relu", "weights": [[1, 1, 1]], "biases": [-1]}], 2)
    for options in OPTIONS[::3]:
        compare(net, Box.cube(2, -1, 1), options)
        compare(net, WholeSpace(2), options)


@needs_native
@pytest.mark.parametrize("seed", range(6))
def test_next_map_is_engine_next_map(seed):
    rng = random.Random(seed)
    dim = 2 + seed % 3
    layers = random_network(seed, dim, [4, 3], ["maxout", "relu"], rank=3)
    net = to_network(layers, dim)
    job, root = prepare(net, Box.cube(dim, -2, 2))
    plan = job.plans[0]
    # Maps with big, shared factors: the unique form divides them out.
    den = rng.randint(1, 9) * 6
    rows = tuple(tuple(6 * rng.randint(-10 ** 20, 10 ** 20) for _ in range(dim + 1)) for _ in range(dim))
    for map_den, map_rows in ((root.map_den, root.map_rows), (den, rows)):
        context = job.kernel.enter_layer(0, map_den, map_rows)
        for _ in range(5):
            chosen = tuple(rng.randrange(b - a) for a, b in plan.slices)
            expected = next_map(plan, chosen, map_den, map_rows, dim)
            assert job.kernel.next_map(context, chosen) == expected
            # The same once the context has composed some units' pieces.
            job.kernel.screen(context, root.cell, 0)
            assert job.kernel.next_map(context, chosen) == expected


@needs_native
def test_cells_contexts_and_the_kernel_survive_pickling():
    net = to_network(random_network(4, 3, [4, 4], ["relu", "maxout"], rank=3), 3)
    for options in OPTIONS[::2]:
        options = dataclasses.replace(options, kernel="native")
        job, root = prepare(net, WholeSpace(3) if options.incidence_path else Box.cube(3, -2, 2), options)
        expected = list(job.drain([root]))
        entries = split_work(job, root, 6)
        copy = pickle.loads(pickle.dumps((job, entries)))
        again, records = copy
        for kind, entry in records:
            assert kind == "done" or entry.context is None or entry.context.layer == len(entry.done)
        got = [r for kind, entry in records
               for r in ([entry] if kind == "done" else again.drain([entry]))]
        assert got == expected


@needs_native
def test_the_walk_hands_back_batches_and_resumes_from_its_remaining_work():
    net = to_network(random_network(8, 2, [6, 5], ["relu", "relu"]), 2)
    job, root = prepare(net, Box.cube(2, -3, 3), NATIVE)
    expected = list(job.drain([root]))
    steps = tuple((p.has_pattern, p.fixed_choice()) for p in job.plans[:job.depth])
    walk = job.kernel.walk(steps, len(job.plans), [(root.cell, root.done, root.current, root.map_den,
                                                     root.map_rows, root.context)])
    first = walk.records(5, 10.0)
    rest = job.kernel.walk(steps, len(job.plans), walk.remaining())
    assert first + rest.records(10 ** 6, 10.0) == expected and len(first) == 5
    assert rest.empty and rest.records(5, 1.0) == [] and rest.count(5, 1.0) == (0, 0)


@needs_native
def test_limits_progress_and_interrupts_see_every_batch(monkeypatch):
    monkeypatch.setattr(engine, "BATCH_REGIONS", 3)
    net = to_network(random_network(2, 2, [6, 5], ["relu", "maxout"]), 2)
    box = Box.cube(2, -3, 3)
    full = [r.pattern for r in enumerate_regions(net, box)]
    partial = enumerate_regions(net, box, max_regions=7)
    assert [r.pattern for r in partial] == full[:7] and partial.stop_reason == "max_regions"

    def stop(found):
        if found == 8:
            raise KeyboardInterrupt

    stopped = enumerate_regions(net, box, progress=stop, stop_on_interrupt=True)
    assert [r.pattern for r in stopped] == full[:8] and stopped.stop_reason == "interrupt"
    assert count_regions(net, box) == len(full) == count_regions(net, box, max_regions=len(full))
    with pytest.raises(LimitReached, match="after 7 regions"):
        count_regions(net, box, max_regions=7)


@needs_native
def test_bad_input_to_the_extension_is_a_clear_error():
    job, root = prepare(to_network(random_network(1, 2, [3], ["relu"]), 2), Box.cube(2, -1, 1), NATIVE)
    with pytest.raises(ValueError, match="the map has 1 rows, the layer 2 inputs"):
        job.kernel.enter_layer(0, 1, ((0, 1, 0),))
    with pytest.raises(IndexError, match="no layer 5"):
        job.kernel.enter_layer(5, 1, root.map_rows)
    context = job.kernel.enter_layer(0, root.map_den, root.map_rows)
    with pytest.raises(IndexError, match="unit 0 has no piece 7"):
        job.kernel.next_map(context, (7, 0, 0))
    with pytest.raises(ValueError, match="a choice of 1 pieces for 3 units"):
        job.kernel.next_map(context, (0,))


def fresh_loader(monkeypatch):
    """Forget the loaded extension and the warning, as in a new process."""
    monkeypatch.setattr(native, "_loaded", None)
    monkeypatch.setattr(native, "_reason", None)
    monkeypatch.setattr(backends, "_warned", False)


@pytest.mark.parametrize("broken", ["missing", "wrong answer"])
def test_a_missing_or_broken_extension_falls_back_with_one_warning_line(monkeypatch, capsys, broken):
    net = to_network(random_network(6, 2, [4, 3], ["relu", "maxout"]), 2)
    box = Box.cube(2, -2, 2)
    expected = [(r.pattern, r.polytope.rows) for r in enumerate_regions(net, box, options=EngineOptions(
        kernel="python"))]
    capsys.readouterr()
    fresh_loader(monkeypatch)
    if broken == "missing":
        def no_extension(name):
            raise ImportError(f"No module named {name!r}")
        monkeypatch.setattr(native.importlib, "import_module", no_extension)
        reason = "ImportError: No module named 'polyregions.enumeration._native'"
    else:
        def wrong(module):
            raise RuntimeError("the native kernel's self-check gave a wrong answer")
        monkeypatch.setattr(native, "_self_check", wrong)
        reason = "RuntimeError: the native kernel's self-check gave a wrong answer"
    for kernel in (None, "native", "native"):
        job, _ = prepare(net, box, EngineOptions(kernel=kernel))
        assert isinstance(job.kernel, ReferenceKernel)
        got = [(r.pattern, r.polytope.rows) for r in enumerate_regions(net, box,
                                                                      options=EngineOptions(kernel=kernel))]
        assert got == expected
    assert capsys.readouterr().err == (f"polyregions: native kernel unavailable ({reason}); "
                                       "using the Python reference kernel\n")
    # Asking for the reference by name says nothing, even in a fresh process.
    fresh_loader(monkeypatch)
    prepare(net, box, EngineOptions(kernel="python"))
    assert capsys.readouterr().err == ""
    with pytest.raises(ImportError, match="the native kernel is unavailable"):
        native.NativeKernel(KernelSetup(2, (), EngineOptions()))


@needs_native
def test_layer_plans_pass_their_denominator_to_the_native_kernel():
    # The map after a layer with fractional weights carries that layer's denominator.
    net = to_network([{"type": "relu", "weights": [[Fraction(1, 3), Fraction(1, 2)]],
                       "biases": [Fraction(1, 7)]},
                      {"type": "relu", "weights": [[1]], "biases": [0]}], 2)
    job, root = prepare(net, Box.cube(2, -1, 1))
    assert LayerPlan.from_layer(net.layers[0]).den == 42 == job.kernel.layers[0].den
    context = job.kernel.enter_layer(0, root.map_den, root.map_rows)
    assert job.kernel.next_map(context, (1,)) == (42, ((6, 14, 21),))


@needs_native
def test_a_batch_cut_short_by_its_time_before_any_region_is_not_the_end(monkeypatch):
    # Breakpoints 1/2, 1/4, ..., 2^-100 in [0, 1]: the region that holds 0 is split by every
    # unit before the first region is finished, so a batch of a few dozen steps ends with no
    # region in it while almost all the work is still to do.
    units = 100
    net = Network(1, [ReluLayer([[2 ** k] for k in range(1, units + 1)], [-1] * units)])
    domain = Box([0], [1])
    monkeypatch.setattr(engine, "BATCH_SECONDS", 0.0)  # every batch ends on its time
    job, root = prepare(net, domain, EngineOptions(kernel="native"))
    assert len(list(job.drain([root]))) == units + 1
    job, root = prepare(net, domain, EngineOptions(kernel="native"))
    assert sum(found for found, _ in job.count([root])) == units + 1


@needs_native
@pytest.mark.parametrize("sign", [1, -1])
def test_integers_at_every_word_and_byte_edge_cross_both_ways(sign):
    # The segment between -n and n, for n next to 2^8k, 2^63, 2^64 and 2^126 (the edges of the
    # long and the 16-byte fast paths and of the byte conversion; 2^512 needs 65 bytes, one
    # more than the conversion's buffer on the stack), handed to the extension and reported back.
    module = native.load()
    kernel = module.Kernel(1, [(((0, 0), (0, 1)), ((0, 2),), 1)], True, True, True)
    for n in sorted({2 ** k + e for k in (7, 8, 31, 32, 62, 63, 64, 65, 120, 125, 126, 127, 128,
                                          200, 511, 512, 513, 1000)
                     for e in (-1, 0, 1)}):
        facets, points = ((n, sign), (n, -sign)), ((1, -n), (1, n))
        assert kernel.start(facets, points, (), ()).report() == (facets, points, (), ()), n


@needs_native
@pytest.mark.parametrize("enabled", [True, False])
def test_a_batch_of_records_leaves_the_garbage_collector_as_it_found_it(enabled):
    # The walk pauses the collector while it builds a batch and must restore its state,
    # also when the batch ends in an error.
    net = to_network(random_network(3, 2, [5, 4], ["relu", "relu"]), 2)
    job, root = prepare(net, Box.cube(2, -3, 3), EngineOptions(kernel="native"))
    steps = tuple((p.has_pattern, p.fixed_choice()) for p in job.plans[:job.depth])
    item = (root.cell, root.done, root.current, root.map_den, root.map_rows, root.context)
    was = gc.isenabled()
    try:
        (gc.enable if enabled else gc.disable)()
        assert job.kernel.walk(steps, len(job.plans), [item]).records(10 ** 6, 10.0)
        assert gc.isenabled() is enabled
        with pytest.raises(TypeError):
            job.kernel._core.walk(steps, len(job.plans), [item], None, None).records(10, 10.0)
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()
