"""Region streams: written as found, read back into the same regions, partial runs marked."""

import json

import pytest

from polyregions import Box, PolyregionsError, Slice, WholeSpace, enumerate_regions, iter_regions
from polyregions.stream import RegionWriter, read_regions
from tests.cli_helpers import run
from tests.networks import random_network, to_network


@pytest.mark.parametrize("dim, domain", [
    (2, Box.cube(2, -2, 2)),
    (3, Box.cube(3, -1, 1)),
    (2, WholeSpace(2)),
    (3, Slice([0, 0, 0], [1, 0, 0], [0, 1, 1], [-1, -1], [1, 1])),
])
def test_streams_round_trip_regions_and_maps(dim, domain, tmp_path):
    net = to_network(random_network(3, dim, [4, 3], ["maxout", "relu"], rank=3, outputs=2), dim)
    path = tmp_path / "regions.jsonl"
    with RegionWriter(path, net, domain) as writer:
        for region in iter_regions(net, domain):
            writer.write(region)
    back = read_regions(path)
    original = enumerate_regions(net, domain)
    assert back.complete and len(back) == len(original)
    for a, b in zip(original, back):
        assert (a.pattern, a.polytope, a.affine_map) == (b.pattern, b.polytope, b.affine_map)


def test_an_interrupted_stream_reads_as_partial(tmp_path):
    net = to_network(random_network(1, 2, [4, 3], ["relu", "relu"]), 2)
    path = tmp_path / "regions.jsonl"
    with pytest.raises(KeyboardInterrupt):
        with RegionWriter(path, net, Box.cube(2, -1, 1)) as writer:
            for i, region in enumerate(iter_regions(net, Box.cube(2, -1, 1))):
                writer.write(region)
                if i == 2:
                    raise KeyboardInterrupt
    back = read_regions(path)
    assert (len(back), back.complete, back.stop_reason) == (3, False, "interrupt")


def test_bad_region_files(tmp_path):
    with pytest.raises(PolyregionsError, match="not found"):
        read_regions(tmp_path / "missing.jsonl")
    (tmp_path / "bad.jsonl").write_text('{"format": "something else"}\n')
    with pytest.raises(PolyregionsError, match="not a polyregions region file"):
        read_regions(tmp_path / "bad.jsonl")


def test_cli_out_streams_and_scale_options_agree(layers_model, tmp_path, capsys):
    layers = random_network(2, 2, [5, 4], ["maxout", "relu"], rank=3, outputs=2)
    for layer in layers:  # JSON needs strings for Fractions
        for key in ("weights", "biases"):
            layer[key] = json.loads(json.dumps(layer[key], default=str))
    model = layers_model(layers)
    base = ["count", model, "--box", "-2", "2", "--json", "--regions-only"]
    status, out, _ = run(base, capsys)
    serial = json.loads(out)
    out_file = tmp_path / "r.jsonl"
    for extra in (["--workers", "2"], ["--checkpoint", str(tmp_path / "ck")],
                  ["--checkpoint", str(tmp_path / "ck"), "--resume"], ["--out", str(out_file)]):
        status, out, err = run(base + extra, capsys)
        summary = json.loads(out)
        assert status == 0, err
        assert (summary["activation_regions"], summary["bounded_regions"], summary["complete"]) == \
            (serial["activation_regions"], serial["bounded_regions"], True)
    assert len(read_regions(out_file)) == serial["activation_regions"]
    status, _, err = run(base + ["--resume"], capsys)
    assert status == 2 and err.count("\n") == 1 and "--resume" in err
    status, _, err = run(base + ["--workers", "0"], capsys)
    assert status == 2 and "--workers" in err
