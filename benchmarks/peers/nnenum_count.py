"""nnenum's exact-star enumeration of an ONNX network on a vnnlib input box.

Runs in the bench venv (``benchmarks/peer_env.py``), called by ``compare_peers.py``:

    python nnenum_count.py NNENUM_CHECKOUT MODEL.onnx PROP.vnnlib TIMEOUT

Settings: nnenum's own ``exact`` profile (``set_exact_settings``: exact
branching, ``BRANCH_EXACT``, every star split on every neuron whose sign its LP
bounds leave open, no overapproximation), then one process and no specification
(so nothing is pruned: every star is enumerated to the output). The box is read
as nnenum's front end reads it, in the model's input type (float32).
Prints one JSON line: the finished stars (nnenum's ``Result.total_stars``, one
per activation region it found), the counting seconds, wall and CPU
(``enumerate_network`` alone, loading excluded), nnenum's result string
(``timeout`` when stopped) and its own time.
"""

import json
import sys
import time

import numpy as np


def configure(settings, timeout):
    settings.NUM_PROCESSES = 1
    settings.TIMING_STATS = False
    settings.PRINT_OUTPUT = False
    settings.FIND_CONCRETE_COUNTEREXAMPLES = False
    settings.TIMEOUT = timeout


def main(checkout, model, prop, timeout):
    sys.path.insert(0, f"{checkout}/src")
    from nnenum.enumerate import enumerate_network
    from nnenum.nnenum import set_exact_settings
    from nnenum.onnx_network import load_onnx_network_optimized
    from nnenum.settings import Settings
    from nnenum.vnnlib import get_num_inputs_outputs, read_vnnlib_simple

    set_exact_settings()
    configure(Settings, float(timeout))
    network = load_onnx_network_optimized(model)
    inputs, outputs, dtype = get_num_inputs_outputs(model)
    box = np.array(read_vnnlib_simple(prop, inputs, outputs)[0][0], dtype=dtype)
    start, cpu = time.perf_counter(), time.process_time()
    result = enumerate_network(box, network, spec=None)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    print(json.dumps({"regions": result.total_stars, "seconds": seconds, "cpu_seconds": cpu,
                      "result": result.result_str, "nnenum_seconds": result.total_secs}))


if __name__ == "__main__":
    main(*sys.argv[1:])
