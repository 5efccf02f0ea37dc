"""Parallel, distributed and resumed enumerations give exactly the serial result."""

import os
import random
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from polyregions import Box, PolyregionsError, WholeSpace, iter_regions
from polyregions.parallel import (
    DaskExecutor,
    ProcessExecutor,
    SerialExecutor,
    iter_regions_parallel,
)
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
        from polyregions.parallel import iter_regions_parallel
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
    saved = [name for name in os.listdir(tmp_path) if name.startswith("part-")]
    assert not any(name.endswith(".tmp") for name in saved)
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
