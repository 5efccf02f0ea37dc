"""Every verifier's answer file read exactly, and every counterexample checked exactly.

A tool's result file is in VNN-COMP's format: a first word (``sat``, ``unsat``,
``timeout``, ...) and, for ``sat``, the counterexample ``((X_0 v) ... (Y_0 v))``;
``polyregions check --counterexample FILE`` writes the list alone. The values are
read exactly (:func:`polyregions.io.vnnlib.parse_counterexample`). A counterexample
is valid when its input lies in one of the property's input sets *exactly* and the
network's outputs there, computed exactly from the ONNX file's numbers
(:func:`polyregions.io.onnx.load_onnx`, ``Network.evaluate`` in Fractions), satisfy
that case's output condition (:meth:`polyregions.io.vnnlib.Case.admits`). The
outputs the tool wrote are not trusted: they are compared with the exact ones only
to say how far off they are.
"""

import functools
import pathlib
from fractions import Fraction
from typing import NamedTuple

from polyregions.io.onnx import load_onnx
from polyregions.io.vnnlib import parse_counterexample, read_property

__all__ = ["ANSWERS", "Verdict", "read_result", "box_excess", "clamp", "check_counterexample",
           "check_files", "check_loaded"]

#: VNN-COMP's first words, as the answers the benchmark reports.
ANSWERS = {"sat": "violated", "unsat": "holds"}


class Verdict(NamedTuple):
    """Whether a counterexample is exactly valid, and why not.

    `outside` is how far the input lies outside the nearest input box (0 when inside
    one), `output_error` the largest difference between the tool's outputs and the
    exact ones (None when the tool wrote none); both exact. `clamped_valid`, for an
    input outside every box, says whether the input clamped into the nearest box is
    an exact counterexample (so the tool's answer is right though its witness is not).
    """

    valid: bool
    reason: str
    outside: Fraction
    output_error: Fraction | None
    clamped_valid: bool | None = None

    def to_json(self):
        return {"valid": self.valid, "reason": self.reason, "outside": str(self.outside),
                "output_error": None if self.output_error is None else str(self.output_error),
                "clamped_valid": self.clamped_valid}


def read_result(text, name="<string>"):
    """``(answer, counterexample)`` of a result file's text; the counterexample may be None.

    Examples
    --------
    >>> read_result("sat\\n((X_0 0.5)\\n (Y_0 -1))")
    ('violated', ((Fraction(1, 2),), (Fraction(-1, 1),)))
    >>> read_result("unsat\\n")
    ('holds', None)
    """
    words = text.split(None, 1)
    first = words[0] if words else "none"
    counterexample = parse_counterexample(text, name) if "(" in text else None
    if first.startswith("("):
        first = "sat"
    return ANSWERS.get(first, first), counterexample


def box_excess(case, inputs):
    """``(excess, index)``: how far `inputs` lie outside `case`'s box, at which input.

    Examples
    --------
    >>> from polyregions.io.vnnlib import Case
    >>> box_excess(Case([0, 0], [1, 1]), [Fraction(1, 2), Fraction(5, 4)])
    (Fraction(1, 4), 1)
    """
    excess = [max(lo - x, x - hi, Fraction(0))
              for lo, x, hi in zip(case.lower, inputs, case.upper)]
    worst = max(range(len(excess)), key=excess.__getitem__)
    return excess[worst], worst


def check_counterexample(network, prop, inputs, outputs=None):
    """The exact :class:`Verdict` on a counterexample of `prop` for `network`.

    Examples
    --------
    >>> import numpy as np
    >>> from polyregions import network_from_arrays
    >>> from polyregions.io.vnnlib import parse_property
    >>> net = network_from_arrays(1, [("linear", np.array([[2.0]]), np.zeros(1))])   # y = 2x
    >>> prop = parse_property("(declare-const X_0 Real) (declare-const Y_0 Real)"
    ...                       "(assert (>= X_0 0)) (assert (<= X_0 0.5)) (assert (>= Y_0 0.9))")
    >>> check_counterexample(net, prop, [Fraction(1, 2)]).reason
    'yes'
    >>> check_counterexample(net, prop, [Fraction(3, 4)], [Fraction(3, 2)]).reason
    'no: X_0 lies 2.5e-01 outside the input box; clamped into it: valid'
    >>> check_counterexample(net, prop, [Fraction(-1)]).reason
    'no: X_0 lies 1.0e+00 outside the input box, nor do its exact outputs violate; clamped into it: not valid'
    """
    if len(inputs) != prop.n_inputs:
        return Verdict(False, f"no: {len(inputs)} inputs, the property has {prop.n_inputs}",
                       Fraction(0), None)
    exact = network.evaluate(inputs)
    error = (None if not outputs or len(outputs) != len(exact)
             else max(abs(a - b) for a, b in zip(outputs, exact)))
    if prop.is_counterexample(inputs, exact):
        return Verdict(True, "yes", Fraction(0), error)
    inside = [case for case in prop.cases if case.contains_input(inputs)]
    if inside:
        return Verdict(False, "no: the input is in the box, but its exact outputs satisfy no "
                       "output condition", Fraction(0), error)
    if not prop.cases:
        return Verdict(False, "no: the property has no input set", Fraction(0), error)
    (excess, index), nearest = min((box_excess(case, inputs), k)
                                   for k, case in enumerate(prop.cases))
    if excess == 0:  # in a box, but not in the input constraints cut out of it
        return Verdict(False, "no: the input violates an input constraint", excess, error)
    # whether the box alone refuses it: the exact outputs may violate even there
    case = prop.cases[nearest]
    outputs_too = case.output_holds(inputs, exact)
    clamped = clamp(case, inputs)
    clamped_valid = case.admits(clamped, network.evaluate(clamped))
    return Verdict(False, f"no: X_{index} lies {float(excess):.1e} outside the input box"
                   f"{'' if outputs_too else ', nor do its exact outputs violate'}; clamped into "
                   f"it: {'valid' if clamped_valid else 'not valid'}", excess, error, clamped_valid)


def clamp(case, inputs):
    """The point of `case`'s box nearest to `inputs`, coordinate by coordinate.

    Examples
    --------
    >>> from polyregions.io.vnnlib import Case
    >>> clamp(Case([0, 0], [1, 1]), [Fraction(1, 2), Fraction(5, 4)])
    (Fraction(1, 2), Fraction(1, 1))
    """
    return tuple(min(max(x, lo), hi) for lo, x, hi in zip(case.lower, inputs, case.upper))


@functools.lru_cache(maxsize=8)
def _network(model):
    return load_onnx(model)


@functools.lru_cache(maxsize=64)
def _property(prop):
    return read_property(prop)


def check_files(model, prop, result_file):
    """``(answer, counterexample, verdict)`` of a tool's result file on ``(model, prop)``.

    `verdict` is None when the file holds no counterexample.
    """
    path = pathlib.Path(result_file)
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    answer, counterexample = read_result(text, str(path))
    if counterexample is None:
        return answer, None, None
    inputs, outputs = counterexample
    return answer, counterexample, check_counterexample(_network(str(model)), _property(str(prop)),
                                                        inputs, outputs)


def check_loaded(model, prop, result):
    """A result row of an earlier run, its counterexample (exact strings) checked again."""
    if "counterexample" not in result:
        return result
    inputs, outputs = ([Fraction(v) for v in result["counterexample"][key]]
                       for key in ("inputs", "outputs"))
    verdict = check_counterexample(_network(str(model)), _property(str(prop)), inputs, outputs)
    return {**result, "exact": verdict.to_json()}
