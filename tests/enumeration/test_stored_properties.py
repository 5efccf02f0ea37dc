"""Property-based tests: stored results that are corrupted never read as a wrong complete result.

A region stream or a checkpoint part is damaged in one of the ways files get
damaged (a record dropped or duplicated, a byte altered, the file cut at a
byte, bytes appended after the footer). A damaged stream must read as exactly
the original, as a prefix of it marked partial, or fail with the corrupt-file
error (always, when bytes follow the footer, which is written last); a resumed
checkpoint must give exactly the serial result, region by region, with one
warning.
"""

import logging
import os
import tempfile

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from polyregions import Box, ExportError, WholeSpace, iter_regions
from polyregions.enumeration.parallel import iter_regions_parallel
from polyregions.enumeration.run import LimitedRun
from polyregions.enumeration.stream import RegionWriter, read_regions
from polyregions.errors import CorruptFileError
from tests.enumeration.test_properties import networks
from tests.networks import random_network, to_network

# Every test here runs on both kernel backends (tests/conftest.py).
pytestmark = pytest.mark.usefixtures("kernel_backend")

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def regions(stream):
    return [(r.pattern, r.polytope.rows, r.polytope.vertices) for r in stream]


@st.composite
def jobs(draw):
    """A network and a domain: tiny and degenerate (tests/test_properties.py), or 10-50 regions."""
    dim = draw(st.integers(1, 3))
    if draw(st.booleans()):
        layers = networks(dim)
    else:
        layers = st.builds(random_network, st.integers(0, 99), st.just(dim), st.just([4, 3]),
                           st.sampled_from([["maxout", "relu"], ["relu", "leaky_relu"]]),
                           degenerate=st.booleans())
    net = to_network(draw(layers), dim)
    return net, draw(st.sampled_from([Box.cube(dim, -2, 2), WholeSpace(dim)]))


@st.composite
def damage(draw, data):
    """`data` (the bytes of a file of lines) damaged one way, and the way; never the same bytes."""
    lines = data.splitlines(keepends=True)
    how = draw(st.sampled_from(["drop", "duplicate", "alter", "cut", "append"]))
    if how == "append":  # any bytes, or copies of whole or cut lines of the file
        copied = st.lists(st.sampled_from(lines), min_size=1, max_size=3).map(b"".join)
        added = draw(st.one_of(st.binary(min_size=1, max_size=20), copied,
                               copied.flatmap(lambda b: st.integers(1, len(b)).map(lambda n: b[:n]))))
        return how, data + added
    if how in ("drop", "duplicate"):
        # Records are the lines between the header and the footer (there is at least one).
        i = draw(st.integers(1, len(lines) - 2))
        copies = 0 if how == "drop" else 2
        return how, b"".join(lines[:i] + [lines[i]] * copies + lines[i + 1:])
    # A line first, so that the short records and footer are hit as often as the long header.
    line = draw(st.integers(0, len(lines) - 1))
    position = sum(map(len, lines[:line])) + draw(st.integers(0, len(lines[line]) - 1))
    if how == "cut":
        return how, data[:position]
    byte = draw(st.integers(0, 255).filter(lambda b: b != data[position]))
    return how, data[:position] + bytes([byte]) + data[position + 1:]


@SETTINGS
@given(job=jobs(), limit=st.one_of(st.none(), st.integers(1, 4)), data=st.data())
def test_a_damaged_stream_reads_as_the_original_a_partial_prefix_or_corrupt(job, limit, data):
    net, domain = job
    run = LimitedRun(net, domain, max_regions=limit)
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "regions.jsonl")
        with RegionWriter(path, net, domain) as writer:
            for region in run:
                writer.write(region)
            writer.close(run.stop_reason)
        original = read_regions(path)
        with open(path, "rb") as f:
            how, damaged = data.draw(damage(f.read()))
        with open(path, "wb") as f:
            f.write(damaged)
        try:
            back = read_regions(path)
        except ExportError as err:  # CorruptFileError, or "not a polyregions region file"
            assert path in str(err)
            assert how != "append" or isinstance(err, CorruptFileError)
            event("refused")
            return
    assert how != "append", "bytes after the footer were read as a stream"
    event(f"read as {back.stop_reason or 'complete'}")
    if back.stop_reason == "interrupt":  # the footer is gone: the regions of the whole lines
        assert regions(back) == regions(original)[:len(back)]
    else:
        assert (regions(back), back.stop_reason) == (regions(original), original.stop_reason)


class _Lines(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.lines = []

    def emit(self, record):
        self.lines.append(record.getMessage())


@SETTINGS
@given(job=jobs(), parts=st.integers(2, 12), data=st.data())
def test_a_resumed_checkpoint_with_damaged_parts_gives_the_serial_result(job, parts, data):
    net, domain = job
    expected = regions(iter_regions(net, domain))
    warnings = _Lines()
    logger = logging.getLogger("polyregions.enumeration.parallel")
    logger.addHandler(warnings)
    try:
        with tempfile.TemporaryDirectory() as folder:
            assert regions(iter_regions_parallel(net, domain, parts=parts, checkpoint=folder)) \
                == expected
            stored = sorted(name for name in os.listdir(folder) if name.startswith("part-"))
            event(f"{len(stored)} stored parts" if len(stored) < 3 else "3 or more stored parts")
            if stored:
                chosen = data.draw(st.lists(st.sampled_from(stored), min_size=1, max_size=3,
                                            unique=True))
                for name in chosen:
                    path = os.path.join(folder, name)
                    with open(path, "rb") as f:
                        _, damaged = data.draw(damage(f.read()))
                    with open(path, "wb") as f:
                        f.write(damaged)
            resumed = regions(iter_regions_parallel(net, domain, parts=parts, checkpoint=folder))
    finally:
        logger.removeHandler(warnings)
    assert resumed == expected
    # One warning line for the run, naming every damaged part; none when nothing was damaged.
    assert len(warnings.lines) == (1 if stored else 0)
    if stored:
        assert all(name in warnings.lines[0] for name in chosen)
