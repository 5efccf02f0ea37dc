"""ACAS Xu: every region of a 5-D 6x50 ReLU network in a property's input box.

The VNN-COMP files are used as they are: ``onnx/ACASXU_run2a_<i>_<j>_batch_2000.onnx``
(what nnenum reads), the same network in the polyregions JSON model format
``json/ACASXU_run2a_<i>_<j>_batch_2000.json`` (what polyregions reads), and
``vnnlib/prop_<k>.vnnlib``, whose box is already in the network's (normalised)
input coordinates. nnenum reads the box's decimals in the model's input type,
float32; polyregions counts in that same box, the float32 values taken exactly
(the decimals themselves give a box that differs by about 1e-9, and a few
regions more or fewer).
"""

import json
import os
import pathlib
import re
import resource
import subprocess
import sys
from fractions import Fraction

import numpy as np
from peer_env import run_peer

__all__ = ["NETWORK", "PROPERTY", "vnnlib_box", "bounds_option", "ours", "nnenum"]

NETWORK = "ACASXU_run2a_1_1_batch_2000"
PROPERTY = "prop_3"

_BOUND = re.compile(r"^\(assert \((<=|>=) X_(\d+) (\S+)\)\)$")


def vnnlib_box(path):
    """The input box of a vnnlib property: ``[(lo, hi), ...]``, the file's decimal strings.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.NamedTemporaryFile("w", suffix=".vnnlib", delete=False) as f:
    ...     _ = f.write("(assert (<= X_0 0.5))\\n(assert (>= X_0 -0.25))\\n(assert (<= Y_0 Y_1))\\n")
    >>> vnnlib_box(f.name)
    [('-0.25', '0.5')]
    """
    bounds = {"<=": {}, ">=": {}}
    for line in pathlib.Path(path).read_text().splitlines():
        match = _BOUND.match(line.strip())
        if match:
            bounds[match[1]][int(match[2])] = match[3]
    upper, lower = bounds["<="], bounds[">="]
    if not upper or sorted(upper) != sorted(lower) or sorted(upper) != list(range(len(upper))):
        raise ValueError(f"{path}: no complete input box (every X_i needs <= and >=)")
    return [(lower[i], upper[i]) for i in range(len(upper))]


def bounds_option(box):
    """``polyregions count --bounds`` of the box rounded to float32 as nnenum reads it.

    Examples
    --------
    >>> bounds_option([("-0.25", "0.1")])  # 0.1 is 13421773 / 2^27 in float32
    '-1/4:13421773/134217728'
    """
    def exact32(text):
        return str(Fraction(float(np.float32(text))))
    return ",".join(f"{exact32(lo)}:{exact32(hi)}" for lo, hi in box)


def ours(vnn, kernel, time_limit):
    """polyregions' count from the command line: ``(regions, seconds, cpu_seconds, complete)``.

    ``seconds`` is the enumeration's wall time as the command reports it;
    ``cpu_seconds`` the whole command's CPU time, start-up included.
    """
    box = vnnlib_box(pathlib.Path(vnn) / "vnnlib" / f"{PROPERTY}.vnnlib")
    command = [sys.executable, "-m", "polyregions.cli.main", "count",
               str(pathlib.Path(vnn) / "json" / f"{NETWORK}.json"), f"--bounds={bounds_option(box)}",
               "--regions-only", "--json", "--no-progress", "--time-limit", str(time_limit)]
    env = {**os.environ, **({"POLYREGIONS_KERNEL": kernel} if kernel else {})}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    answer = json.loads(done.stdout)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return answer["activation_regions"], answer["seconds"], cpu, answer["complete"]


def nnenum(vnn, checkout, timeout):
    """nnenum's exact-star count, one process: its JSON answer (``benchmarks/peers``)."""
    vnn = pathlib.Path(vnn)
    return run_peer("nnenum", "nnenum_count.py", pathlib.Path(checkout).resolve(),
                    vnn / "onnx" / f"{NETWORK}.onnx", vnn / "vnnlib" / f"{PROPERTY}.vnnlib",
                    timeout, env={"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"},
                    timeout=timeout + 120)
