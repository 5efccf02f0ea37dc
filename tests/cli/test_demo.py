"""``polyregions demo``: the shipped network, through the installed command."""

import json
import subprocess

from tests.cli_helpers import command


def test_demo_through_the_installed_command():
    proc = subprocess.run([*command(), "demo", "--json"], capture_output=True, text=True, timeout=120)
    assert (proc.returncode, proc.stderr) == (0, "")
    result = json.loads(proc.stdout)
    # The shipped [2, 20, 20] rank-5 maxout network in [-3, 3]^2 (see polyregions/data).
    assert result["activation_regions"] == 2354
    assert result["input_dim"] == 2 and result["complete"] is True
    assert result["domain"]["lower"] == ["-3", "-3"] and result["domain"]["upper"] == ["3", "3"]
