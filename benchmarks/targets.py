"""The workloads of the engine's speed targets (``bench_engine.py``'s targets table)."""

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from fractions import Fraction
from importlib.resources import files

import numpy as np
from networks import maxout_network

from polyregions import Box, Slice
from polyregions.params.init import initialize

__all__ = ["slice_network", "two_core_job", "startup_seconds", "analysis_ratios"]


def slice_network(seed=0):
    """``(network, domain)``: [784, 64, 64, 10] ReLU (He normal), a 2-D slice in [0, 1]^784.

    The slice passes through three random points with pixel-like coordinates
    ``k / 256``; its coordinates ``(s, t)`` span ``[0, 1]^2``.
    """
    net = initialize([784, 64, 64], "relu", init="he", outputs=10, seed=seed)
    rng = np.random.default_rng(seed)
    p1, p2, p3 = ([Fraction(int(k), 256) for k in row] for row in rng.integers(0, 257, (3, 784)))
    return net, Slice(p1, p2, p3, [0, 0], [1, 1])


def two_core_job(kernel):
    """``(label, network, domain)``: a job of more than 10 s serially with `kernel`.

    The compiled kernel is several times faster than the reference, so it gets a
    larger network: the target is about jobs of 10 s or more.
    """
    widths = [4, 20, 20] if kernel == "python" else [4, 40, 40]
    return f"{widths} rank 2 on [-1, 1]^4", maxout_network(widths, 2, 2, seed=1), Box.cube(4, -1, 1)


def _median_wall(command, runs, env=None):
    walls = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True, env=env)
        walls.append(time.perf_counter() - start)
    return statistics.median(walls)


def analysis_ratios(kernel, runs=3):
    """``[(label, all keys, regions only)]``: median wall seconds of ``count --json`` with every
    key and with ``--regions-only``, on the demo network and on [3, 15, 15] rank 3."""
    from polyregions.io.model import save_network

    cli = [sys.executable, "-m", "polyregions.cli.main", "count"]
    cases = [("demo [2, 20, 20] rank 5 on [-3, 3]^2", None, ["--box", "-3", "3"]),
             ("[3, 15, 15] rank 3 on [-3, 3]^3", maxout_network([3, 15, 15], 3, 2, seed=0),
              ["--box", "-3", "3"])]
    env = {**os.environ, "POLYREGIONS_KERNEL": kernel}
    rows = []
    with tempfile.TemporaryDirectory(prefix="polyregions-bench-") as folder:
        for label, net, domain in cases:
            if net is None:
                path = str(files("polyregions.data") / "default_network.json")
            else:
                path = f"{folder}/network.json"
                save_network(net, path)
            command = [*cli, path, *domain, "--json", "--no-progress"]
            rows.append((label, _median_wall(command, runs, env),
                         _median_wall(command + ["--regions-only"], runs, env)))
    return rows


def startup_seconds(runs=10):
    """Median wall seconds of ``polyregions --version`` and of ``count`` on a 3-unit model."""
    cli = [sys.executable, "-m", "polyregions.cli.main"]
    model = {"format": "polyregions/network-v1", "input_dim": 2,
             "layers": [{"type": "relu", "weights": [[1, 0], [0, 1], [1, 1]],
                         "biases": [0, 0, 0]}]}
    with tempfile.TemporaryDirectory(prefix="polyregions-bench-") as folder:
        path = f"{folder}/three_units.json"
        with open(path, "w") as file:
            json.dump(model, file)
        return (_median_wall([*cli, "--version"], runs),
                _median_wall([*cli, "count", path, "--box", "-1", "1", "--no-progress"], runs))
