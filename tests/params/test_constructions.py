"""Constructions reaching the one-layer maximum, and few regions; certified."""

import math

import pytest

from polyregions import Box, WholeSpace, count_regions, enumerate_regions
from polyregions.analysis.genericity import genericity
from polyregions.bounds import one_layer_max_regions
from polyregions.certify.certificate import write_certificate
from polyregions.certify.verifier import verify_certificate
from polyregions.params.constructions import (
    enclosing_box,
    few_regions_maxout_layer,
    few_regions_relu_layer,
    max_regions_maxout_layer,
    max_regions_relu_layer,
)


@pytest.mark.parametrize("n0, n, K", [(1, 4, 3), (1, 3, 5), (2, 3, 3), (2, 4, 3), (2, 3, 4)])
def test_max_regions_maxout_layer(n0, n, K, tmp_path):
    net = max_regions_maxout_layer(n0, n, K)
    best = one_layer_max_regions(n0, [K] * n)
    assert count_regions(net, WholeSpace(n0)) == best
    result = enumerate_regions(net, enclosing_box(net))
    assert len(result) == best and genericity(result)[0]
    write_certificate(result, tmp_path / "c.json")
    assert verify_certificate(tmp_path / "c.json").ok


@pytest.mark.parametrize("n0, n", [(1, 4), (2, 5), (3, 4)])
def test_max_regions_relu_layer(n0, n, tmp_path):
    net = max_regions_relu_layer(n0, n)
    best = sum(math.comb(n, j) for j in range(n0 + 1))
    assert count_regions(net, WholeSpace(n0)) == best == one_layer_max_regions(n0, [2] * n)
    result = enumerate_regions(net, enclosing_box(net))
    assert len(result) == best
    write_certificate(result, tmp_path / "c.json")
    assert verify_certificate(tmp_path / "c.json").ok


def test_few_regions(tmp_path):
    result = enumerate_regions(few_regions_maxout_layer(2, 3, 3), Box.cube(2, -4, 4))
    assert len(result) == 1 + 3 * 2 and genericity(result) == (True, None)
    write_certificate(result, tmp_path / "c.json")
    assert verify_certificate(tmp_path / "c.json").ok
    assert count_regions(few_regions_relu_layer(2, 4), Box.cube(2, 0, 5)) == 5
