"""Marabou (maraboupy) on one VNN-LIB instance, its counterexample kept exactly.

Runs in the bench venv (``benchmarks/peer_env.py``), called by ``verification.py``:

    python marabou_check.py MODEL.onnx PROP.vnnlib TIMEOUT RESULT_FILE

The network is read by ``Marabou.read_onnx``, the property by Marabou's own
VNN-LIB reader (``solve_query(..., propertyFilename=PROP)``), and solved with
maraboupy's default options (one worker, DeepPoly bound tightening) and
``timeoutInSeconds``. Marabou's ``sat`` comes with a value for every variable:
the inputs and outputs are written exactly (``vnncomp_result.py``). Prints one
JSON line: the answer (``holds``, ``violated``, ``timeout``, ...), Marabou's exit
code and the solving seconds.
"""

import json
import sys
import time

from vnncomp_result import write_result

ANSWERS = {"unsat": "holds", "sat": "violated", "TIMEOUT": "timeout", "ERROR": "error"}


def main(model, prop, timeout, outfile):
    from maraboupy import Marabou

    ipq = Marabou.read_onnx(model).getInputQuery()
    options = Marabou.createOptions(timeoutInSeconds=max(1, int(float(timeout))), verbosity=0)
    start = time.perf_counter()
    code, values, _ = Marabou.solve_query(ipq, verbose=False, options=options,
                                          propertyFilename=prop)
    seconds = time.perf_counter() - start
    answer = ANSWERS.get(code, "unknown")
    if answer == "violated":  # only sat has values
        write_result(outfile, "sat",
                     [values[ipq.inputVariableByIndex(i)] for i in range(ipq.getNumInputVariables())],
                     [values[ipq.outputVariableByIndex(j)] for j in range(ipq.getNumOutputVariables())])
    else:
        write_result(outfile, {"holds": "unsat"}.get(answer, answer))
    print(json.dumps({"result": answer, "raw": code, "tool_seconds": seconds}))


if __name__ == "__main__":
    main(*sys.argv[1:])
