"""nnenum's VNN-COMP front end on one instance, its counterexample kept exactly.

Runs in the bench venv (``benchmarks/peer_env.py``), called by ``verification.py``:

    python nnenum_check.py NNENUM_CHECKOUT MODEL.onnx PROP.vnnlib TIMEOUT RESULT_FILE

This is the loop of nnenum's own ``nnenum.py`` main (the script its VNN-COMP
``run_instance.sh`` calls): the same specification, the same network loading,
its ``auto`` settings (control settings below 700 inputs, image settings above),
each input box of the property in turn with the time left, and the same answer
(``unsafe`` and ``unsafe (unconfirmed)`` are both "violated"). Two changes: one
process (``Settings.NUM_PROCESSES = 1``: every tool of the benchmark gets one
core), and the result file also holds the counterexample nnenum found
(``Result.cinput``, ``Result.coutput``), written exactly (``vnncomp_result.py``),
which its 2021 front end does not write. Prints one JSON line: the answer
(``holds``, ``violated``, ``timeout``, ...), nnenum's raw result string and its
own seconds.
"""

import json
import sys

import numpy as np
from vnncomp_result import write_result

ANSWERS = {"holds": "unsat", "violated": "sat", "timeout": "timeout", "error": "error"}


def load(model):
    from nnenum.onnx_network import load_onnx_network, load_onnx_network_optimized
    try:
        return load_onnx_network_optimized(model)
    except Exception:  # nnenum's own fallback for layers the optimized loader lacks
        return load_onnx_network(model)


def configure(front, settings, inputs):
    settings.NUM_PROCESSES = 1
    settings.PRINT_OUTPUT = False
    if inputs < 700:
        front.set_control_settings()
    else:
        front.set_image_settings()


def main(checkout, model, prop, timeout, outfile):
    sys.path.insert(0, f"{checkout}/src")
    from nnenum import nnenum as front
    from nnenum.enumerate import enumerate_network
    from nnenum.settings import Settings

    spec_list, dtype = front.make_spec(prop, model)
    network = load(model)
    configure(front, Settings, len(spec_list[0][0]))
    timeout, raw, res, seconds = float(timeout), "none", None, 0.0
    for box, spec in spec_list:
        if timeout <= 0:
            raw = "timeout"
            break
        Settings.TIMEOUT = timeout
        res = enumerate_network(np.array(box, dtype=dtype), network, spec)
        raw, seconds = res.result_str, seconds + res.total_secs
        timeout -= res.total_secs
        if raw != "safe":
            break
    answer = "holds" if raw == "safe" else "violated" if "unsafe" in raw else raw
    found = answer == "violated" and res is not None and res.cinput is not None
    write_result(outfile, ANSWERS.get(answer, "unknown"),
                 list(res.cinput) if found else (), list(res.coutput) if found else ())
    print(json.dumps({"result": answer, "raw": raw, "tool_seconds": seconds}))


if __name__ == "__main__":
    main(*sys.argv[1:])
