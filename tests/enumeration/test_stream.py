"""Region streams: written as found, read back into the same regions, partial runs marked."""

import json
import re

import pytest

from polyregions import Box, PolyregionsError, Slice, WholeSpace, enumerate_regions, iter_regions
from polyregions.enumeration.stream import LineWriter, RegionWriter, read_lines, read_regions
from polyregions.errors import CorruptFileError
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


def _complete_stream(path, seed=1):
    """A complete stream of a small network; its lines and its regions."""
    net = to_network(random_network(seed, 2, [4, 3], ["relu", "relu"]), 2)
    with RegionWriter(path, net, Box.cube(2, -1, 1)) as writer:
        for region in iter_regions(net, Box.cube(2, -1, 1)):
            writer.write(region)
    return path.read_bytes().splitlines(keepends=True), read_regions(path)


def _same_regions(a, b):
    return [(r.pattern, r.polytope) for r in a] == [(r.pattern, r.polytope) for r in b]


def test_the_footer_counts_and_checksums_the_lines_before_it(tmp_path):
    import hashlib

    lines, back = _complete_stream(tmp_path / "r.jsonl")
    footer = json.loads(lines[-1])
    # By the documented definition: SHA-256 of the exact bytes of the header and region lines.
    assert footer == {"end": True, "count": len(lines) - 2, "stop_reason": None,
                      "sha256": hashlib.sha256(b"".join(lines[:-1])).hexdigest()}
    assert back.complete and len(back) == len(lines) - 2


@pytest.mark.parametrize("keep", [-1, -2])  # cut inside the footer, or inside the last region
def test_a_stream_whose_last_line_is_cut_reads_as_partial(tmp_path, keep):
    path = tmp_path / "r.jsonl"
    lines, whole = _complete_stream(path)
    cut = b"".join(lines[:keep]) + lines[keep][:len(lines[keep]) // 2]
    path.write_bytes(cut)
    back = read_regions(path)
    # Header + regions + footer: the whole region lines left are len(lines) - 2 (cut in the
    # footer) or one fewer (cut in the last region).
    kept = len(lines) - 2 + keep + 1
    assert (len(back), back.complete, back.stop_reason) == (kept, False, "interrupt")
    assert _same_regions(back, list(whole)[:kept])


@pytest.mark.parametrize("damage, words", [
    (lambda lines: lines[:2] + lines[3:], "footer says"),            # a region dropped
    (lambda lines: lines[:2] + lines[1:], "footer says"),            # a region twice
    (lambda lines: lines[:1] + [lines[1].replace(b"1", b"2", 1)] + lines[2:], "footer says"),
    (lambda lines: lines[:-1] + [lines[-1].replace(b'"count":', b'"count":1')], "footer says"),
    (lambda lines: lines[:2] + [b"{not json\n"] + lines[3:], "line 3 is not JSON"),
    (lambda lines: lines[:-1] + [b'{"end":true}\n'], "footer has the fields"),
])
def test_a_stream_that_does_not_match_its_footer_reads_as_corrupt(tmp_path, damage, words):
    path = tmp_path / "r.jsonl"
    lines, _ = _complete_stream(path)
    path.write_bytes(b"".join(damage(lines)))
    with pytest.raises(CorruptFileError, match=words) as error:
        read_regions(path)
    assert str(path) in str(error.value) and "corrupt" in str(error.value)


@pytest.mark.parametrize("appended, words", [
    (lambda lines: b"xx", "2 byte(s) with no final newline"),   # `printf xx >> r.jsonl`
    (lambda lines: b"\n", "1 line(s)"),                          # an editor's final blank line
    (lambda lines: lines[1] + lines[2], "2 line(s)"),            # whole region lines
    (lambda lines: lines[1][:10], "10 byte(s) with no final newline"),  # a cut region line
])
def test_anything_after_the_footer_reads_as_corrupt(tmp_path, appended, words):
    # The footer is written last, so the footer line must be the file's last byte; before,
    # bytes with no final newline were dropped and the file read as complete.
    path = tmp_path / "r.jsonl"
    lines, _ = _complete_stream(path)
    path.write_bytes(b"".join(lines) + appended(lines))
    with pytest.raises(CorruptFileError, match=re.escape(f"{words} after its footer")) as error:
        read_regions(path)
    assert str(path) in str(error.value) and f"line {len(lines)})" in str(error.value)


@pytest.mark.parametrize("parse", [True, False])
def test_checked_lines_with_bytes_after_the_footer_are_corrupt(tmp_path, parse):
    # Checkpoint parts read through the same function, unparsed when a resume checks them.
    path = tmp_path / "part.jsonl"
    with open(path, "wb") as f:
        writer = LineWriter(f, {"format": "example"})
        writer.write([1, 2])
        writer.end()
    keys = ("end", "count", "sha256")
    read_lines(path, parse=parse).check(path, "file", keys)  # intact: checks
    with open(path, "ab") as f:
        f.write(b"[3")
    with pytest.raises(CorruptFileError, match=re.escape(f"file {path} is corrupt: 2 byte")):
        read_lines(path, parse=parse).check(path, "file", keys)


def test_an_older_stream_without_checksum_is_read_and_its_count_checked(tmp_path):
    # A regions-v1 file is what earlier versions wrote: the same lines, a footer without sha256.
    path = tmp_path / "r.jsonl"
    lines, whole = _complete_stream(path)
    header, footer = json.loads(lines[0]), json.loads(lines[-1])
    header["format"] = "polyregions/regions-v1"
    del footer["sha256"]
    old = [json.dumps(header).encode() + b"\n"] + lines[1:-1] + [json.dumps(footer).encode() + b"\n"]
    path.write_bytes(b"".join(old))
    back = read_regions(path)
    assert back.complete and _same_regions(back, whole)
    path.write_bytes(b"".join(old[:1] + old[2:]))  # one region fewer than its footer counts
    with pytest.raises(CorruptFileError, match="footer says"):
        read_regions(path)
