"""The bench-only virtual environment where the float tools run.

The peers (regioncam, nnenum, Marabou) and their dependencies are
never installed into the project's environment: on first use, ``python3 -m venv``
makes ``benchmarks/.peers-venv/<peer>`` (ignored by git; one environment per peer,
as their pins conflict) and pip installs the peer's pinned packages. A peer runs
there as a subprocess
(a script of ``benchmarks/peers/``) that prints one JSON line on its last line
of output.
"""

import json
import os
import pathlib
import subprocess
import sys

__all__ = ["VENVS", "REQUIREMENTS", "peer_python", "run_peer"]

HERE = pathlib.Path(__file__).resolve().parent
VENVS = HERE / ".peers-venv"

#: The pinned packages of each peer, installed the first time the peer runs.
REQUIREMENTS = {
    "regioncam": ["regioncam==0.5.2", "numpy"],
    # nnenum's own pyproject.toml pins (it is run from a checkout, not installed); onnx 1.16
    # predates numpy 2.
    "nnenum": ["numpy==1.26.4", "scipy==1.13.1", "threadpoolctl", "onnx==1.16.2",
               "onnxruntime==1.19.2", "skl2onnx==1.17.0", "swiglpk==5.0.13", "termcolor"],
    # maraboupy imports onnx and onnxruntime but does not declare them; its wheel holds Marabou.
    "marabou": ["maraboupy==2.0.0", "numpy==1.26.4", "onnx==1.16.2", "onnxruntime==1.19.2"],
}


def peer_python(group):
    """The interpreter of `group`'s bench venv, its packages installed (once)."""
    venv = VENVS / group
    python = venv / "bin" / "python"
    if not python.exists():
        print(f"creating {venv} (once)", file=sys.stderr, flush=True)
        subprocess.run(["python3", "-m", "venv", str(venv)], check=True)
    stamp = venv / ".installed"
    wanted = "\n".join(REQUIREMENTS[group])
    if not stamp.exists() or stamp.read_text() != wanted:
        print(f"installing {group} into {venv} (once)", file=sys.stderr, flush=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", *REQUIREMENTS[group]],
                       check=True)
        stamp.write_text(wanted)
    return python


def run_peer(group, script, *args, env=None, timeout=None):
    """Run ``benchmarks/peers/<script>`` in the bench venv; return its JSON answer.

    Raises
    ------
    RuntimeError
        When the peer fails or times out, with the end of its error output.
    """
    command = [str(peer_python(group)), str(HERE / "peers" / script), *map(str, args)]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout,
                              env={**os.environ, **(env or {})})
    except subprocess.TimeoutExpired as err:
        raise RuntimeError(f"{script} did not finish within {timeout} s") from err
    if done.returncode != 0:
        tail = " | ".join(done.stderr.strip().splitlines()[-3:])
        raise RuntimeError(f"{script} failed (exit {done.returncode}): {tail}")
    return json.loads(done.stdout.strip().splitlines()[-1])
