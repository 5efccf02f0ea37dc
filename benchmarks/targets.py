"""The workloads of the engine's speed targets (``bench_engine.py``'s targets table)."""

import json
import statistics
import subprocess
import sys
import tempfile
import time
from fractions import Fraction

import numpy as np
from networks import maxout_network

from polyregions import Box, Slice
from polyregions.params.init import initialize

__all__ = ["slice_network", "two_core_job", "startup_seconds"]


def slice_network(seed=0):
    """``(network, domain)``: [784, 64, 64, 10] ReLU (He normal), a 2-D slice in [0, 1]^784.

    The slice passes through three random points with pixel-like coordinates
    ``k / 256``; its coordinates ``(s, t)`` span ``[0, 1]^2``.
    """
    net = initialize([784, 64, 64], "relu", init="he", outputs=10, seed=seed)
    rng = np.random.default_rng(seed)
    p1, p2, p3 = ([Fraction(int(k), 256) for k in row] for row in rng.integers(0, 257, (3, 784)))
    return net, Slice(p1, p2, p3, [0, 0], [1, 1])


def two_core_job():
    """``(label, network, domain)``: a job of more than 10 s serially today."""
    return "[4, 20, 20] rank 2 on [-1, 1]^4", maxout_network([4, 20, 20], 2, 2, seed=1), \
        Box.cube(4, -1, 1)


def _median_wall(command, runs):
    walls = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        walls.append(time.perf_counter() - start)
    return statistics.median(walls)


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
