"""The native 2-D walk (polygon splits, ReLU float screening, 128-bit maps) against the reference.

The native walk splits a polygon by a ReLU unit's line in one pass (both sides share the new
vertices), screens a unit (0, p) with one proven float bound per cell and falls back to exact
integers for every sign the floats leave open (the split takes the signs the screening proved
at the vertices and certifies only the others), and composes maps in machine integers while
they fit. The Python reference backend is the oracle: every record (pattern, facets, vertices,
map) in the same order, and the counts. The networks are the ones these paths are for: float32
weights, lines through the vertices of earlier lines (signs that only exact integers settle),
and weights near the 64- and 128-bit limits (the GMP fallbacks).
"""

import random
import struct
from fractions import Fraction

import pytest

from polyregions import Box, Network, ReluLayer, count_regions
from polyregions.enumeration import native
from polyregions.enumeration.kernel import EngineOptions
from tests.enumeration.test_native import compare

pytestmark = pytest.mark.skipif(native.load() is None,
                                reason=f"no native kernel: {native.unavailable_reason()}")

SQUARE = Box.cube(2, -3, 3)
DEFAULT = EngineOptions()


def float32(x):
    """The Fraction of the float32 nearest to x."""
    return Fraction(struct.unpack("f", struct.pack("f", x))[0])


def float32_network(widths, seed):
    """A ReLU network on R^2 with He-normal float32 weights, as the peers' benchmarks draw them."""
    rng = random.Random(seed)
    layers, inputs = [], 2
    for width in widths:
        scale = (2.0 / inputs) ** 0.5
        weights = [[float32(rng.gauss(0.0, scale)) for _ in range(inputs)] for _ in range(width)]
        biases = [float32(rng.gauss(0.0, 0.5)) for _ in range(width)]
        layers.append(ReluLayer(weights, biases))
        inputs = width
    return Network(2, layers)


@pytest.mark.parametrize("widths, seed", [([6, 6], 0), ([7, 5], 1), ([5, 4, 4], 2), ([10], 3)])
def test_float32_networks_give_the_reference_records(widths, seed):
    assert compare(float32_network(widths, seed), SQUARE, DEFAULT, step=False) > 10


def concurrent_network(scale=1, offset=0):
    """Lines through the vertices of earlier lines, then units through the vertices of those.

    The first layer's lines all pass through the origin or through grid points where two of
    them cross; the second layer's units are sums and differences of the first's, so their
    lines run through vertices and along edges of the first layer's regions: every split has
    cut values of 0 at vertices, where a float sign is no sign. `scale` multiplies every row
    (the same regions, with integers of any size); `offset` moves the first layer's lines off
    their crossings by offset / scale.
    """
    rows = [(1, 0, 0), (0, 1, 0), (1, 1, 0), (1, -1, 0), (1, 2, -1), (2, -1, 1), (1, 0, -1), (0, 1, 1)]
    first = ReluLayer([[a * scale, b * scale] for a, b, _ in rows],
                      [c * scale + offset * (i % 2) for i, (_, _, c) in enumerate(rows)])
    second = ReluLayer([[1, -1, 0, 0, 0, 0, 0, 0], [0, 0, 1, -1, 0, 0, 0, 0], [1, 1, -1, 0, 0, 0, 0, 0],
                        [0, 0, 0, 0, 1, -2, 0, 1], [1, 0, 0, 0, 0, 0, -1, 0]],
                       [0, 0, 0, 0, Fraction(1, 2)])
    return Network(2, [first, second])


@pytest.mark.parametrize("options", [DEFAULT, EngineOptions(float_filter=False)])
def test_lines_through_vertices_give_the_reference_records(options):
    assert compare(concurrent_network(), SQUARE, options, step=False) > 20


@pytest.mark.parametrize("bits", [30, 60, 62, 63, 64, 100, 126, 130])
def test_weights_near_the_machine_limits_give_the_reference_records(bits):
    # Rows of about `bits` bits: 128-bit products, cross products and maps while they fit,
    # GMP once they do not; a unit offset of the lines keeps the near-ties.
    scale = 2 ** bits - 1
    for offset in (0, 1):
        assert compare(concurrent_network(scale, offset), SQUARE, DEFAULT, step=False) > 20


def test_counts_are_the_reference_counts():
    for net in (float32_network([8, 8], 4), concurrent_network(), concurrent_network(2 ** 64 + 1, 1)):
        ours = count_regions(net, SQUARE, options=EngineOptions(kernel="native"))
        assert ours == count_regions(net, SQUARE, options=EngineOptions(kernel="python"))
