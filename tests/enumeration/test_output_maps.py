"""A region's output map (Region.affine_map): the network itself on the region.

The map is composed on demand from the record's last layer-input map and the layers after it;
a linear head is multiplied into the last pattern layer's pieces once per enumeration (the
table). The oracle is the network evaluated exactly at the region's points.
"""

import random

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
