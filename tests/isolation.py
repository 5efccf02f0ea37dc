"""Running code with parts of the package made unimportable, shared by the verifiers' tests."""

import os
import subprocess
import sys

import polyregions


def run_without(forbidden, body):
    """Run `body` in a fresh interpreter where ``polyregions.<name>`` fails to import for every
    name in `forbidden` and the package ``__init__`` (which imports the engine) is skipped; return
    its standard output. `body` may use ``package``, this checkout's package folder."""
    package = os.path.dirname(os.path.abspath(polyregions.__file__))
    code = f"""
import sys, types, json
for name in {tuple(forbidden)!r}:
    sys.modules["polyregions." + name] = None
package = {package!r}
pkg = types.ModuleType("polyregions")
pkg.__path__ = [package]
sys.modules["polyregions"] = pkg
""" + body
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    return out.stdout
