"""The next layer's input map from the kernel's piece rows (KernelBackend.next_map).

The oracle is engine.next_map, which composes the layer's chosen rows with the region's
layer-input map from scratch. Both must give the same map in the same lowest terms, and the
kernel's map must cost no work on the width of the map the layer was entered with.
"""

import random

import pytest

from polyregions import Box, Slice, WholeSpace
from polyregions.enumeration.backends import build_kernel, kernel_names
from polyregions.enumeration.engine import Job, LayerPlan, next_map, prepare
from polyregions.enumeration.kernel import EngineOptions, KernelSetup, lowest_terms
from tests.networks import random_net

KINDS = ["relu", "maxout", "leaky_relu", "maxout"]


def random_map(rng, width, dim, bits):
    """A layer-input map ``rows / den`` with `width` rows, in lowest terms."""
    den = rng.randint(1, 1 << bits)
    rows = [tuple(rng.randint(-(1 << bits), 1 << bits) for _ in range(dim + 1))
            for _ in range(width)]
    return lowest_terms(den, rows)


@pytest.mark.parametrize("kernel", kernel_names())
@pytest.mark.parametrize("seed", range(40))
def test_the_kernels_next_map_is_the_composed_map(kernel, seed):
    rng = random.Random(seed)
    dim, fan_in, kind = rng.randint(1, 4), rng.randint(1, 6), KINDS[seed % 4]
    network = random_net(seed, fan_in, [rng.randint(1, 6)], [kind], rank=rng.randint(1, 4),
                         degenerate=seed % 3 == 0)
    plan = LayerPlan.from_layer(network.layers[0])
    backend = build_kernel(KernelSetup(dim, (plan.pieces,), EngineOptions(kernel=kernel)))
    map_den, map_rows = random_map(rng, fan_in, dim, rng.choice([3, 40, 200]))
    context = backend.enter_layer(0, map_den, map_rows)
    for _ in range(4):  # asked again on the same context, its cached pieces give the same map
        chosen = tuple(rng.randrange(b - a) for a, b in plan.slices)
        assert backend.next_map(context, chosen) == next_map(plan, chosen, map_den, map_rows, dim)


@pytest.mark.parametrize("kernel", kernel_names())
def test_the_next_map_of_a_zero_map_is_in_lowest_terms(kernel):
    # y = 0 on the whole domain: every piece of relu(3 y1 + 1/2) is constant, 0 and 1/2.
    network = random_net(0, 1, [1], ["relu"])
    plan = LayerPlan.from_layer(network.layers[0])
    backend = build_kernel(KernelSetup(2, (plan.pieces,), EngineOptions(kernel=kernel)))
    context = backend.enter_layer(0, 7, ((0, 0, 0),))
    for chosen in ((0,), (1,)):
        assert backend.next_map(context, chosen) == next_map(plan, chosen, 7, ((0, 0, 0),), 2)
    assert backend.next_map(context, (0,)) == (1, ((0, 0, 0),))


class CheckedKernel:
    """A backend that checks every next map it gives against engine.next_map."""

    # No native walk: the engine then takes the per-step path, and every next map passes here.
    walk = None

    def __init__(self, backend, plans, dim):
        self.backend, self.plans, self.dim = backend, plans, dim
        self.maps, self.checked = {}, 0

    def __getattr__(self, name):
        return getattr(self.backend, name)

    def enter_layer(self, layer, map_den, map_rows):
        context = self.backend.enter_layer(layer, map_den, map_rows)
        self.maps[id(context)] = (context, layer, map_den, map_rows)  # keeps the context alive
        return context

    def next_map(self, context, chosen):
        _, layer, map_den, map_rows = self.maps[id(context)]
        got = self.backend.next_map(context, chosen)
        assert got == next_map(self.plans[layer], chosen, map_den, map_rows, self.dim)
        self.checked += 1
        return got


def slice_of(rng, n0):
    """A random 2-D slice of R^n0 (n0 >= 2) through integer points."""
    p1 = [rng.randint(-4, 4) for _ in range(n0)]
    # P2 - P1 = (5, 0, ...) and P3 - P1 = (0, 3, ...) are independent.
    d1 = [5, 0] + [rng.randint(-3, 3) for _ in range(n0 - 2)]
    d2 = [0, 3] + [rng.randint(-3, 3) for _ in range(n0 - 2)]
    p2, p3 = ([a + b for a, b in zip(p1, d)] for d in (d1, d2))
    return Slice(p1, p2, p3, [-1, -1], [1, 1])


@pytest.mark.parametrize("kernel", kernel_names())
@pytest.mark.parametrize("seed", range(12))
def test_every_next_map_of_an_enumeration_is_the_composed_map(kernel, seed):
    rng = random.Random(100 + seed)
    n0 = rng.randint(2, 12) if seed % 3 == 0 else rng.randint(2, 3)
    widths = [rng.randint(2, 5) for _ in range(rng.randint(2, 3))]
    kinds = [KINDS[(seed + i) % 4] for i in range(len(widths))]
    network = random_net(seed, n0, widths, kinds, rank=rng.randint(2, 3), degenerate=seed % 2 == 0,
                         outputs=1)
    domain = [slice_of(rng, n0), Box.cube(n0, -2, 2), WholeSpace(n0)][seed % 3]
    job, root = prepare(network, domain, EngineOptions(kernel=kernel))
    checked = CheckedKernel(job.kernel, job.plans, job.dim)
    records = list(Job(job.plans, job.depth, job.dim, job.input_map, checked).drain([root]))
    assert records and checked.checked > 0
    # The maps the records carry are the composed ones: the same as the engine's own run.
    job, root = prepare(network, domain, EngineOptions(kernel=kernel))
    assert records == list(job.drain([root]))


class Counted(int):
    """An integer that counts the products it takes part in."""

    products = 0

    def __mul__(self, other):
        Counted.products += 1
        return int(self) * other

    __rmul__ = __mul__


class CountedSlice(Slice):
    """A slice whose input map's entries count their products."""

    def integer_input_map(self):
        rows, den = super().integer_input_map()
        return tuple(tuple(Counted(v) for v in row) for row in rows), Counted(den)


def products_with_the_input_map(network, domain, regions):
    job, root = prepare(network, domain, EngineOptions(kernel="python"))
    Counted.products = 0
    found = 0
    for _ in job.drain([root]):
        found += 1
        if found == regions:
            break
    assert found == regions
    return Counted.products


def test_the_wide_input_map_is_composed_once_not_once_per_region():
    # A 2-D slice of a 120-input network: the slice's input map has 120 rows of 3 entries.
    # Each of the first layer's 2 x 10 piece rows meets each of its 3 columns (121 entries
    # with the constant's) once; after that no region's map touches the input map again.
    n0, units = 120, 10
    network = random_net(7, n0, [units, 8], ["relu", "relu"])
    rng = random.Random(3)
    points = [[rng.randint(0, 9) for _ in range(n0)] for _ in range(3)]
    domain = CountedSlice(*points, [-3, -3], [3, 3])
    first_layer = 2 * units * 3 * (n0 + 1)
    few = products_with_the_input_map(network, domain, 10)
    many = products_with_the_input_map(network, domain, 60)
    assert 0 < few <= many <= first_layer
