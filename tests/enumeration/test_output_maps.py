"""A region's output map (Region.affine_map): the network itself on the region.

The map is composed on demand from the record's last layer-input map and the layers after it;
a linear head is multiplied into the last pattern layer's pieces once per enumeration (the
table). The oracle is the network evaluated exactly at the region's points.
"""

import math
import random
from fractions import Fraction

import pytest

from polyregions import Box, WholeSpace, enumerate_regions
from polyregions.enumeration.engine import _OutputChain
from tests.networks import random_layer, random_network, to_network


def random_head_network(seed):
    """A random network whose pattern layers are followed by zero to three linear layers."""
    rng = random.Random(seed)
    dim = rng.randint(1, 3)
    kinds = [rng.choice(["relu", "maxout", "leaky_relu"]) for _ in range(rng.randint(1, 2))]
    widths = [rng.randint(1, 5) for _ in kinds]
    layers = random_network(seed, dim, widths, kinds, rank=rng.randint(1, 3),
                            degenerate=seed % 3 == 0)
    fan_in = widths[-1]
    for _ in range(seed % 4):
        units = rng.randint(1, 4)
        layers.append(random_layer(rng, "linear", units, fan_in))
        fan_in = units
    return to_network(layers, dim), dim


def evaluated(affine, x):
    matrix, offset = affine
    return tuple(sum(a * v for a, v in zip(row, x)) + c for row, c in zip(matrix, offset))


@pytest.mark.parametrize("seed", range(24))
def test_the_output_map_is_the_network_at_the_regions_points(seed):
    network, dim = random_head_network(seed)
    domain = WholeSpace(dim) if seed % 5 == 4 else Box.cube(dim, -2, 2)
    for region in enumerate_regions(network, domain):
        affine = region.affine_map
        for x in (region.interior_point(), *region.polytope.vertices):
            assert evaluated(affine, x) == network.evaluate(x)


@pytest.mark.parametrize("seed", range(24))
def test_the_table_gives_the_maps_of_the_layer_by_layer_product(seed, monkeypatch):
    network, dim = random_head_network(seed)
    domain = Box.cube(dim, -2, 2)
    tabled = [r.affine_map for r in enumerate_regions(network, domain)]
    monkeypatch.setattr(_OutputChain, "TABLE_LIMIT", 0)  # every chain multiplied out per region
    assert [r.affine_map for r in enumerate_regions(network, domain)] == tabled


def difference_quotient_map(network, region, dim):
    """The region's output map in lowest integer terms, from the network evaluated near a point.

    Steps from an interior point along each axis are halved until the step's end has the
    region's pattern, so the network is affine between the two points.
    """
    base = region.interior_point()
    at_base = network.evaluate(base)
    columns = []
    for axis in range(dim):
        step = Fraction(1)
        while True:
            x = tuple(v + step * (i == axis) for i, v in enumerate(base))
            if network.activation_pattern(x) == region.pattern:
                break
            step /= 2
        columns.append([(b - a) / step for a, b in zip(at_base, network.evaluate(x))])
    rows = [[a - sum(c[o] * v for c, v in zip(columns, base))] + [c[o] for c in columns]
            for o, a in enumerate(at_base)]
    den = math.lcm(*(v.denominator for row in rows for v in row))
    return den, tuple(tuple(int(v * den) for v in row) for row in rows)


@pytest.mark.parametrize("seed", range(12))
@pytest.mark.parametrize("limit", [_OutputChain.TABLE_LIMIT, 0])
def test_output_rows_are_the_networks_map_in_lowest_terms(seed, limit, monkeypatch):
    # Wide maxout layers and a two-layer head: the table's and the product's sums are long.
    rng = random.Random(seed)
    dim = rng.randint(1, 3)
    layers = random_network(seed, dim, [rng.randint(3, 6)] * 2, ["maxout"] * 2, rank=3)
    layers.append(random_layer(rng, "linear", 3, len(layers[-1]["weights"])))
    layers.append(random_layer(rng, "linear", 2, 3))
    network = to_network(layers, dim)
    monkeypatch.setattr(_OutputChain, "TABLE_LIMIT", limit)
    regions = list(enumerate_regions(network, Box.cube(dim, -2, 2)))
    assert len(regions) > 1
    for region in regions[:40]:
        assert region.output_rows == difference_quotient_map(network, region, dim)
