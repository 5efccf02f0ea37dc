"""Parallel, distributed and resumed enumerations give exactly the serial result."""

import json
import logging
import os
import random
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from polyregions import (
    Box,
    PolyregionsError,
    WholeSpace,
    count_regions,
    enumerate_regions,
    iter_regions,
    save_network,
)
from polyregions.enumeration.backends import kernel_names
from polyregions.enumeration.kernel import EngineOptions
from polyregions.enumeration.parallel import (
    DaskExecutor,
    ProcessExecutor,
    SerialExecutor,
    count_parallel,
    iter_regions_parallel,
)
from polyregions.errors import CorruptFileError
from tests.networks import random_network, to_network

BATTERY = [
    (2, [5, 4], ["maxout", "relu"], Box.cube(2, -2, 2)),
    (3, [4, 3], ["relu", "maxout"], Box.cube(3, -1, 1)),
    (2, [4, 3], ["leaky_relu", "relu"], WholeSpace(2)),
    (1, [4, 4], ["maxout", "relu"], Box([-3], [3])),
]


def regions(stream):
    return [(r.pattern, r.polytope.rows, r.polytope.vertices) for r in stream]


@pytest.fixture(scope="module")
def pool():
    executor = ProcessExecutor(2)
    yield executor
    executor.close()


@pytest.mark.parametrize("kernel", kernel_names())
@pytest.mark.parametrize("dim, widths, kinds, domain", BATTERY)
def test_subtrees_counted_by_workers_give_the_serial_counts(dim, widths, kinds, domain, pool, kernel):
    net = to_network(random_network(3, dim, widths, kinds, rank=3, degenerate=True), dim)
    options = EngineOptions(kernel=kernel)
    kept = enumerate_regions(net, domain, options=options)
    expected = (len(kept), kept.bounded_count)
    for parts in (1, 3, 50):
        assert count_parallel(net, domain, SerialExecutor(), parts=parts, options=options) == expected
    assert count_parallel(net, domain, pool, options=options) == expected
    assert count_regions(net, domain, workers=2, options=options) == expected[0]


@pytest.mark.parametrize("seed", range(2))
@pytest.mark.parametrize("dim, widths, kinds, domain", BATTERY)
def test_process_pool_and_serial_split_match_the_serial_engine(seed, dim, widths, kinds, domain, pool):
    net = to_network(random_network(seed, dim, widths, kinds, rank=3, degenerate=seed == 1), dim)
    expected = regions(iter_regions(net, domain))
    for parts in (1, 3, 50):
        assert regions(iter_regions_parallel(net, domain, SerialExecutor(), parts=parts)) == expected
    assert regions(iter_regions_parallel(net, domain, pool)) == expected


def test_dask_local_cluster_matches_the_serial_engine():
    pytest.importorskip("distributed")
    executor = DaskExecutor("local", workers=2)
    try:
        for dim, widths, kinds, domain in BATTERY[:2]:
            net = to_network(random_network(4, dim, widths, kinds, rank=3), dim)
            assert regions(iter_regions_parallel(net, domain, executor)) == \
                regions(iter_regions(net, domain))
    finally:
        executor.close()


@pytest.mark.parametrize("seed", range(6))
def test_resume_after_stopping_anywhere_gives_the_serial_result(seed, tmp_path):
    # Stop consuming after a random number of regions (the generator is closed, as
    # on Ctrl-C), then resume from the checkpoint: nothing lost, nothing twice.
    rng = random.Random(seed)
    net = to_network(random_network(seed, 2, [5, 4], ["maxout", "relu"], rank=3), 2)
    domain = Box.cube(2, -2, 2)
    expected = regions(iter_regions(net, domain))
    stream = iter_regions_parallel(net, domain, parts=12, checkpoint=tmp_path)
    for _ in range(rng.randrange(len(expected))):
        next(stream)
    stream.close()
    assert regions(iter_regions_parallel(net, domain, parts=12, checkpoint=tmp_path)) == expected


def test_resume_after_kill_9(tmp_path):
    # A separate process enumerates with a checkpoint and is killed with SIGKILL
    # mid-way; the resumed run equals the serial one.
    script = textwrap.dedent(f"""
        import sys
        sys.path.insert(0, {os.getcwd()!r})
        from polyregions import Box
        from polyregions.enumeration.parallel import iter_regions_parallel
        from tests.networks import random_network, to_network
        net = to_network(random_network(2, 3, [6, 5], ["maxout", "relu"], rank=3), 3)
        for i, _ in enumerate(iter_regions_parallel(net, Box.cube(3, -2, 2), parts=40,
                                                    checkpoint={str(tmp_path)!r})):
            if i == 5:
                print("started", flush=True)
    """)
    process = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert process.stdout.readline().strip() == "started"
    time.sleep(0.3)
    process.send_signal(signal.SIGKILL)
    process.wait()
    # A part being written when the kill lands stays behind as its ".tmp" file (parts are
    # written aside, then renamed): the resumed run must ignore it, as it must a truncated part.
    saved = [name for name in os.listdir(tmp_path) if name.startswith("part-")]
    assert len([name for name in saved if name.endswith(".tmp")]) <= 1
    net = to_network(random_network(2, 3, [6, 5], ["maxout", "relu"], rank=3), 3)
    domain = Box.cube(3, -2, 2)
    resumed = regions(iter_regions_parallel(net, domain, parts=40, checkpoint=tmp_path))
    assert resumed == regions(iter_regions(net, domain))


def test_a_checkpoint_of_another_job_is_refused(tmp_path):
    net = to_network(random_network(0, 2, [3], ["relu"]), 2)
    list(iter_regions_parallel(net, Box.cube(2, -1, 1), checkpoint=tmp_path))
    other = to_network(random_network(1, 2, [3], ["relu"]), 2)
    with pytest.raises(PolyregionsError, match="another network"):
        list(iter_regions_parallel(other, Box.cube(2, -1, 1), checkpoint=tmp_path))


def _die_once(marker, item):
    # The first call kills its own worker process (as kill -9 would); later calls work.
    if not os.path.exists(marker):
        open(marker, "w").close()
        os.kill(os.getpid(), signal.SIGKILL)
    return item * item


def test_a_dead_worker_is_replaced_and_its_task_redone(tmp_path):
    import functools

    executor = ProcessExecutor(2)
    try:
        results = list(executor.map(functools.partial(_die_once, str(tmp_path / "died")), range(6)))
    finally:
        executor.close()
    assert results == [0, 1, 4, 9, 16, 25]
    assert (tmp_path / "died").exists()


def _checkpointed(tmp_path, seed=0, parts=12):
    """A 2-D job run once with a checkpoint: (network, domain, serial regions, part paths)."""
    net = to_network(random_network(seed, 2, [5, 4], ["maxout", "relu"], rank=3), 2)
    domain = Box.cube(2, -2, 2)
    expected = regions(iter_regions(net, domain))
    assert regions(iter_regions_parallel(net, domain, parts=parts, checkpoint=tmp_path)) == expected
    stored = sorted(tmp_path.glob("part-*.json"))
    assert len(stored) >= 3
    return net, domain, expected, stored


def _resume(net, domain, tmp_path, caplog, parts=12):
    with caplog.at_level(logging.WARNING, logger="polyregions.enumeration.parallel"):
        resumed = regions(iter_regions_parallel(net, domain, parts=parts, checkpoint=tmp_path))
    return resumed, [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]


def _lines_with(stored_part, *, drop=None, duplicate=None):
    lines = stored_part.read_bytes().splitlines(keepends=True)
    if drop is not None:
        del lines[drop]
    if duplicate is not None:
        lines.insert(duplicate, lines[duplicate])
    stored_part.write_bytes(b"".join(lines))


def test_a_part_with_a_record_removed_is_recomputed_with_one_warning(tmp_path, caplog):
    # Before parts were checked, a part with one record removed resumed to one region fewer,
    # marked complete.
    net, domain, expected, stored = _checkpointed(tmp_path)
    big = max(stored, key=lambda p: len(p.read_bytes().splitlines()))
    _lines_with(big, drop=1)  # line 0 is the header, the records follow
    _lines_with(stored[0] if stored[0] != big else stored[1], duplicate=1)
    resumed, warnings = _resume(net, domain, tmp_path, caplog)
    assert resumed == expected
    assert len(warnings) == 1 and "2 part(s)" in warnings[0] and big.name in warnings[0]
    assert "\n" not in warnings[0]
    # The recomputed parts were written again and check: a second resume warns no more.
    caplog.clear()
    assert _resume(net, domain, tmp_path, caplog) == (expected, [])


def test_a_truncated_or_garbled_part_is_recomputed(tmp_path, caplog):
    net, domain, expected, stored = _checkpointed(tmp_path)
    data = stored[0].read_bytes()
    stored[0].write_bytes(data[:len(data) // 2])
    stored[1].write_bytes(b"")
    garbled = bytearray(stored[2].read_bytes())
    garbled[len(garbled) // 2] ^= 1
    stored[2].write_bytes(bytes(garbled))
    resumed, warnings = _resume(net, domain, tmp_path, caplog)
    assert resumed == expected
    assert len(warnings) == 1 and all(p.name in warnings[0] for p in stored[:3])


def test_a_part_with_bytes_after_its_footer_is_recomputed(tmp_path, caplog):
    # Its records still match its footer, but a footer is written last: the file was damaged.
    net, domain, expected, stored = _checkpointed(tmp_path)
    with open(stored[0], "ab") as f:
        f.write(b"xx")
    resumed, warnings = _resume(net, domain, tmp_path, caplog)
    assert resumed == expected and len(warnings) == 1 and stored[0].name in warnings[0]


def test_a_part_copied_over_another_is_recomputed(tmp_path, caplog):
    # A whole, well-formed part in the wrong place would put its regions there twice.
    net, domain, expected, stored = _checkpointed(tmp_path)
    stored[1].write_bytes(stored[0].read_bytes())
    resumed, warnings = _resume(net, domain, tmp_path, caplog)
    assert resumed == expected and len(warnings) == 1 and stored[1].name in warnings[0]


def test_cli_resume_after_a_truncated_part_warns_in_one_line_and_counts_right(tmp_path):
    # In a fresh process, as a user runs it: exit 0, the full count, one line on stderr.
    model = tmp_path / "model.json"
    net = to_network(random_network(0, 2, [5, 4], ["maxout", "relu"], rank=3), 2)
    save_network(net, model)
    expected = sum(1 for _ in iter_regions(net, Box.cube(2, -2, 2)))
    command = [sys.executable, "-m", "polyregions.cli.main", "count", str(model), "--box", "-2", "2",
               "--regions-only", "--json", "--checkpoint", str(tmp_path / "ck")]
    environment = dict(os.environ, PYTHONPATH=os.getcwd())
    first = subprocess.run(command, capture_output=True, text=True, env=environment)
    assert first.returncode == 0, first.stderr
    part = sorted((tmp_path / "ck").glob("part-*.json"))[0]
    part.write_bytes(part.read_bytes()[:-10])
    second = subprocess.run(command, capture_output=True, text=True, env=environment)
    assert second.returncode == 0, second.stderr
    assert json.loads(second.stdout)["activation_regions"] == expected
    assert second.stderr.count("\n") == 1 and part.name in second.stderr


def test_an_older_or_unreadable_checkpoint_is_refused_clearly(tmp_path):
    net = to_network(random_network(0, 2, [3], ["relu"]), 2)
    (tmp_path / "manifest.json").write_text('{"format": "polyregions/checkpoint-v1", '
                                            '"fingerprint": "x", "parts": 3}')
    with pytest.raises(PolyregionsError, match="checkpoint-v1.*choose another folder"):
        list(iter_regions_parallel(net, Box.cube(2, -1, 1), checkpoint=tmp_path))
    (tmp_path / "manifest.json").write_text('{"format": "polyregions/chec')
    with pytest.raises(CorruptFileError, match="manifest .* cannot be read"):
        list(iter_regions_parallel(net, Box.cube(2, -1, 1), checkpoint=tmp_path))
