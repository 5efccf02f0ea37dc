"""The engine's regions, in order, are pinned: a golden hash of the region records of 30 networks.

Refactoring and new kernel backends must give identical regions in identical order (pattern,
facets, generators, interior point, exact map). The hashes were recorded before the package was
cut into sub-packages and are unchanged since; a change here means the regions or their order
changed, which must be on purpose (and then every other oracle test still passes).
"""

import hashlib
import random

import pytest

import polyregions
from tests.networks import random_network, to_network

# Every test here runs on both kernel backends (tests/conftest.py).
pytestmark = pytest.mark.usefixtures("kernel_backend")

EXPECTED = [
    "a62c04204ab6fd4d",  #  0: dim=1 relu widths=[6] regions= 7
    "9a06fd5e351f0845",  #  1: dim=2 maxout widths=[3, 5] regions= 32
    "ac84c3998bd6b8da",  #  2: dim=2 leaky_relu widths=[5] regions= 9
    "903d512cc1527861",  #  3: dim=3 relu widths=[4, 5] regions= 7
    "a0419b1d1756d805",  #  4: dim=2 maxout widths=[6] regions= 50
    "b756273756bbb9a4",  #  5: dim=3 leaky_relu widths=[5, 3] regions= 85
    "c89cdbd215c99371",  #  6: dim=1 relu widths=[6] regions= 6
    "67a3ab9a44c2c66c",  #  7: dim=2 maxout widths=[7, 4] regions= 58
    "594f74934b2f458a",  #  8: dim=2 leaky_relu widths=[7] regions= 22
    "5752a8055b032eae",  #  9: dim=3 relu widths=[5, 3] regions= 91
    "a1de31c3d7e9f638",  # 10: dim=2 maxout widths=[6] regions= 34
    "ada3759fc408c7a8",  # 11: dim=3 leaky_relu widths=[7, 4] regions= 13
    "bcd755e7a87ca1fe",  # 12: dim=1 relu widths=[4] regions= 4
    "295c51be1155b932",  # 13: dim=2 maxout widths=[3, 4] regions= 35
    "31bde601bc8e2cfb",  # 14: dim=2 leaky_relu widths=[5] regions= 16
    "f94db32a5b387109",  # 15: dim=3 relu widths=[3, 6] regions= 3
    "0b11995c61795cd9",  # 16: dim=2 maxout widths=[3] regions= 14
    "9f4fc8c2c9c6ce4d",  # 17: dim=3 leaky_relu widths=[6, 3] regions= 92
    "ea6a31387f3518f0",  # 18: dim=1 relu widths=[4] regions= 4
    "2950bcb1b058dd3e",  # 19: dim=2 maxout widths=[7, 4] regions= 91
    "f09fce8a5522d30d",  # 20: dim=2 leaky_relu widths=[3] regions= 5
    "49264b1ec4f498e3",  # 21: dim=3 relu widths=[6, 3] regions= 125
    "d207c6ffd08cc5c0",  # 22: dim=2 maxout widths=[7] regions= 40
    "8fb6ae8aa7db6c69",  # 23: dim=3 leaky_relu widths=[6, 4] regions= 14
    "6f51dff9963db381",  # 24: dim=1 relu widths=[7] regions= 6
    "909debf93de82d00",  # 25: dim=2 maxout widths=[5, 3] regions= 36
    "96d2bb59b5a4b973",  # 26: dim=2 leaky_relu widths=[3] regions= 7
    "3cf810c7bf4d52c1",  # 27: dim=3 relu widths=[6, 4] regions= 23
    "2d529a63cd782f93",  # 28: dim=2 maxout widths=[7] regions= 56
    "80f2f86109af1436",  # 29: dim=3 leaky_relu widths=[4, 5] regions= 71
]


def cases():
    rng = random.Random(12345)
    kinds = ["relu", "maxout", "leaky_relu"]
    for i in range(30):
        dim = [1, 2, 2, 3, 2, 3][i % 6]
        kind = kinds[i % 3]
        widths = [rng.randint(3, 7) for _ in range(1 + i % 2)]
        yield i, dim, kind, widths, i % 4 == 3, rng.randint(0, 10**6)


def region_hash(i, dim, kind, widths, degenerate, seed):
    layers = random_network(seed, dim, widths, [kind] * len(widths), degenerate=degenerate,
                            outputs=2 if i % 3 == 0 else 0)
    domain = polyregions.WholeSpace(dim) if i % 5 == 4 else polyregions.Box.cube(dim, -3, 3)
    h = hashlib.sha256()
    for r in polyregions.enumerate_regions(to_network(layers, dim), domain):
        p = r.polytope
        h.update(repr((r.pattern, p.inequalities(), p.vertices, p.rays, p.lines,
                       r.interior_point, r.affine_map)).encode())
    return h.hexdigest()[:16]


@pytest.mark.parametrize("case", list(cases()), ids=lambda c: f"net{c[0]}")
def test_regions_and_their_order_are_unchanged(case):
    assert region_hash(*case) == EXPECTED[case[0]]
