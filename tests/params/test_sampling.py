"""Distributions of exact counts over random parameters."""

import json
import math
from fractions import Fraction

from polyregions import Box, count_regions
from polyregions.params.init import initialize
from polyregions.params.sampling import sample_counts, summarize
from tests.cli_helpers import run


def test_sample_counts_match_fresh_counts_and_workers():
    box = Box.cube(2, -3, 3)
    s = sample_counts((2, 4, 3), "maxout", 3, "maxout_he", 5, box, outputs=2)
    for seed, count in zip(s["seeds"], s["activation_regions"]):
        net = initialize((2, 4, 3), "maxout", 3, "maxout_he", outputs=2, seed=seed)
        assert count_regions(net, box) == count
    assert sum(s["summary"]["activation_regions"]["histogram"].values()) == 5
    assert len(s["decision_boundary_pieces"]) == 5
    assert s == sample_counts((2, 4, 3), "maxout", 3, "maxout_he", 5, box, outputs=2, workers=2)
    assert s["bounds"]["max_regions"] == 1369 or s["bounds"]["max_regions"] > 0


def test_summarize_exact():
    s = summarize([1, 2, 2, 4])
    assert s["mean"] == Fraction(9, 4) and s["histogram"] == {1: 1, 2: 2, 4: 1}
    assert abs(s["std"] - math.sqrt(Fraction(19, 16))) < 1e-15  # deviations -5/4, -1/4, -1/4, 7/4


def test_sample_cli(capsys):
    status, out, _ = run(["sample", "--widths", "2,4", "--rank", "3", "--seeds", "3",
                          "--outputs", "2", "--json"], capsys)
    data = json.loads(out)
    assert status == 0
    assert {"seeds", "activation_regions", "decision_boundary_pieces", "summary",
            "bounds"} <= set(data)
    assert data["bounds"]["max_regions"] == 1 + 4 * 2 + 6 * 4  # one layer: exact maximum
    assert sum(data["summary"]["activation_regions"]["histogram"].values()) == 3
    for argv, message in [(["--widths", "2,x"], "--widths"), (["--widths", "2,3", "--seeds", "0"],
                                                              "--seeds"),
                          (["--widths", "2,3", "--kind", "relu", "--init", "sphere"],
                           "maxout units only")]:
        status, out, err = run(["sample"] + argv, capsys)
        assert status == 2 and message in err and len(err.strip().splitlines()) == 1


