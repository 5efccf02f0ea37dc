"""The result file the verification peers write: VNN-COMP's format, values exact.

First line ``sat`` (the property is violated), ``unsat`` (it holds), ``timeout``,
``unknown`` or ``error``; after ``sat`` the counterexample
``((X_0 v) ... (Y_0 v) ...)``. Every value is the exact decimal expansion of the
binary float the tool computed (each binary float has one), so reading the file
exactly gives back the tool's own number, not a shortest round-trip decimal near
it. Only the standard library is used: this runs in the peers' environments.
"""

from decimal import Decimal

__all__ = ["exact_decimal", "result_text", "write_result"]


def exact_decimal(value):
    """The exact decimal expansion of the binary float `value`.

    Examples
    --------
    >>> exact_decimal(0.1)
    '0.1000000000000000055511151231257827021181583404541015625'
    >>> exact_decimal(-2.0)
    '-2'
    """
    return format(Decimal(float(value)), "f")


def result_text(answer, inputs=(), outputs=()):
    """The file's text: `answer`, then the counterexample when there is one.

    Examples
    --------
    >>> print(result_text("sat", [0.5], [-0.25]), end="")
    sat
    ((X_0 0.5)
     (Y_0 -0.25))
    """
    if answer != "sat":
        return f"{answer}\n"
    pairs = [f"(X_{i} {exact_decimal(v)})" for i, v in enumerate(inputs)]
    pairs += [f"(Y_{j} {exact_decimal(v)})" for j, v in enumerate(outputs)]
    return "sat\n(" + "\n ".join(pairs) + ")\n"


def write_result(path, answer, inputs=(), outputs=()):
    with open(path, "w", encoding="utf-8") as f:
        f.write(result_text(answer, inputs, outputs))
