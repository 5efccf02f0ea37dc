"""Reading VNN-LIB properties exactly, and counterexamples in the VNN-COMP format.

A VNN-LIB file (the subset VNN-COMP uses) declares the network's inputs
``X_0 ... X_{n-1}`` and outputs ``Y_0 ... Y_{m-1}`` and asserts linear
constraints over them. The grammar read here, after ``;`` comments are
removed::

    file       = command*
    command    = "(" "declare-const" variable "Real" ")" | "(" "assert" formula ")"
    formula    = "(" ("and" | "or") formula+ ")" | "(" relation term term+ ")"
    relation   = "<=" | ">=" | "<" | ">"
    term       = number | variable | "(" ("+" | "-" | "*" | "/") term+ ")"
    variable   = "X_" index | "Y_" index          (index = "0" | [1-9][0-9]*)
    number     = [sign] (digit+ ["." digit*] | "." digit+) [("e" | "E") [sign] digit+]

Terms must be linear: ``*`` takes at most one factor that is not a constant,
``/`` divides by constants only, ``(- t)`` negates and ``(- a b c)`` is
``a - b - c``. A relation of more than two terms is a chain, as in SMT-LIB:
``(<= 0 X_0 1)`` is ``0 <= X_0`` and ``X_0 <= 1``. Variables are declared
before they are used, once each, and the indices of each kind run from 0
without gaps. Numbers are read exactly, as decimals (``0.1`` is ``1/10``).

**Meaning.** By the VNN-COMP convention the file asserts the *negation* of
the safety property: the property is violated exactly when some input ``x``
and its outputs ``y = f(x)`` satisfy every assertion. The assertions are
brought into disjunctive normal form and each conjunction is split into its
input part (constraints over ``X`` only) and its output part (the rest);
conjunctions with the same input part form one :class:`Case`. A
counterexample is an input in a case's input set whose outputs satisfy one
of that case's output conjunctions.

**Exactness and strictness.** Every constraint is kept as a primitive integer
row ``a`` meaning ``a . (1, x) >= 0`` (input constraints) or
``a . (1, x, y) >= 0`` (output constraints), or ``> 0`` for ``<`` and ``>``:
strictness is kept, never rounded away. A non-strict constraint on one input
becomes a bound of the case's box; a strict one tightens the box's closure
and is also kept as an input constraint, so the input set is exactly the box
intersected with the input constraints. Every input needs a lower and an
upper bound in every case.

Every error names the file (or ``<string>``) and the line.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator, Sequence
from fractions import Fraction
from typing import NamedTuple, Union

from ..errors import ExportError, PropertyError, UsageError
from ..immutable import Immutable, SlotValue, new_from_slots, read_text
from ..numbers import (
    IntegerRow,
    dot,
    format_fraction,
    int_to_decimal,
    integer_vector,
    to_fraction_or,
)

__all__ = [
    "Constraint",
    "Case",
    "Property",
    "parse_property",
    "read_property",
    "format_counterexample",
    "write_counterexample",
    "parse_counterexample",
    "read_counterexample",
    "MAX_CONJUNCTIONS",
]

MAX_CONJUNCTIONS = 100_000
"""The most conjunctions the assertions may expand to in disjunctive normal form.

An ``and`` of ``or`` formulas multiplies their sizes: the limit turns a file whose
normal form would not fit in memory into a clear error.
"""

_VARIABLE = re.compile(r"(?P<kind>[XY])_(?P<index>0|[1-9][0-9]*)")
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_RELATIONS = ("<=", ">=", "<", ">")
_CONSTANT = (-1, 0)  # the key of the constant term; inputs are (0, i), outputs (1, j)


# --- Value objects ------------------------------------------------------------------------


class Constraint(Immutable):
    """The linear constraint ``row . (1, point) >= 0``, or ``> 0`` when `strict`.

    The row is stored as the primitive integer vector with the same meaning.

    Parameters
    ----------
    row : sequence of int or Fraction
        ``(b, a_1, ..., a_k)``: the constraint ``b + a . point >= 0``.
    strict : bool, optional
        ``> 0`` instead of ``>= 0``.

    Examples
    --------
    >>> from fractions import Fraction
    >>> c = Constraint([Fraction(1, 2), -1])      # x <= 1/2
    >>> c.row, c.holds([Fraction(1, 2)]), Constraint([1, -2], strict=True).holds([Fraction(1, 2)])
    ((1, -2), True, False)
    """

    __slots__ = ("row", "strict")
    row: IntegerRow
    strict: bool

    def __init__(self, row: Iterable[Fraction | int], strict: bool = False) -> None:
        values = [to_fraction_or(UsageError, v, "constraint entry") for v in row]
        if len(values) < 2:
            raise UsageError(f"a constraint row needs a constant and a coefficient, got {values}")
        object.__setattr__(self, "row", integer_vector(values))
        object.__setattr__(self, "strict", bool(strict))

    def holds(self, point: Sequence[Fraction | int]) -> bool:
        """Whether the exact `point` satisfies the constraint.

        Examples
        --------
        >>> Constraint([0, 1, -1]).holds([3, 3]), Constraint([0, 1, -1], strict=True).holds([3, 3])
        (True, False)
        """
        if len(point) != len(self.row) - 1:
            raise UsageError(f"the constraint has {len(self.row) - 1} variables, "
                             f"the point {len(point)} coordinates")
        value = self.row[0] + dot(self.row[1:], point)
        return value > 0 if self.strict else value >= 0

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Constraint):
            return NotImplemented
        return (self.row, self.strict) == (other.row, other.strict)

    def __hash__(self) -> int:
        return hash((self.row, self.strict))

    def __repr__(self) -> str:
        return f"Constraint({self.row}, strict={self.strict})"


class Case(SlotValue):
    """One input set of a property and the output condition that violates it there.

    The input set is ``{x : lower <= x <= upper, every input constraint holds}``
    (input constraints are over ``(1, x)``). The output condition is a
    disjunction (`output`) of conjunctions of constraints over ``(1, x, y)``;
    an empty conjunction is true.

    Parameters
    ----------
    lower, upper : sequence of Fraction
        The box's bounds, one per input (the closure of strict bounds).
    input_constraints : sequence of Constraint, optional
    output : sequence of sequences of Constraint, optional
        Default ``((),)``: every output violates.

    Examples
    --------
    >>> case = Case([0], [1], (), [[Constraint([0, 0, 1], strict=True)]])   # x in [0, 1], y > 0
    >>> case.contains_input([1]), case.admits([1], [0]), case.admits([1], [Fraction(1, 9)])
    (True, False, True)
    """

    __slots__ = ("lower", "upper", "input_constraints", "output")
    lower: tuple[Fraction, ...]
    upper: tuple[Fraction, ...]
    input_constraints: tuple[Constraint, ...]
    output: tuple[tuple[Constraint, ...], ...]

    def __init__(self, lower: Sequence[Fraction | int], upper: Sequence[Fraction | int],
                 input_constraints: Iterable[Constraint] = (),
                 output: Iterable[Iterable[Constraint]] = ((),)) -> None:
        if len(lower) != len(upper):
            raise UsageError(f"{len(lower)} lower bounds but {len(upper)} upper bounds")
        object.__setattr__(self, "lower", tuple(to_fraction_or(UsageError, v) for v in lower))
        object.__setattr__(self, "upper", tuple(to_fraction_or(UsageError, v) for v in upper))
        object.__setattr__(self, "input_constraints", tuple(input_constraints))
        object.__setattr__(self, "output", tuple(tuple(c) for c in output))

    def contains_input(self, inputs: Sequence[Fraction | int]) -> bool:
        """Whether the exact input lies in the case's input set.

        Examples
        --------
        >>> Case([0, 0], [1, 1], [Constraint([-1, 1, 1])]).contains_input([0, 1])   # x0 + x1 >= 1
        True
        """
        if len(inputs) != len(self.lower):
            raise UsageError(f"the case has {len(self.lower)} inputs, got {len(inputs)} values")
        return (all(lo <= x <= hi for lo, x, hi in zip(self.lower, inputs, self.upper))
                and all(c.holds(inputs) for c in self.input_constraints))

    def output_holds(self, inputs: Sequence[Fraction | int],
                     outputs: Sequence[Fraction | int]) -> bool:
        """Whether the exact pair satisfies one of the output conjunctions.

        Examples
        --------
        >>> Case([0], [1], (), [[Constraint([0, -1, 1])]]).output_holds([1], [1])     # y >= x
        True
        """
        point = (*inputs, *outputs)
        return any(all(c.holds(point) for c in conjunction) for conjunction in self.output)

    def admits(self, inputs: Sequence[Fraction | int], outputs: Sequence[Fraction | int]) -> bool:
        """Whether the exact pair is a counterexample of this case.

        Examples
        --------
        >>> Case([0], [1], (), [[Constraint([0, -1, 1])]]).admits([2], [3])   # x = 2 is outside
        False
        """
        return self.contains_input(inputs) and self.output_holds(inputs, outputs)

    def __repr__(self) -> str:
        return (f"Case(inputs={len(self.lower)}, input_constraints={len(self.input_constraints)},"
                f" output_conjunctions={len(self.output)})")


class Property(SlotValue):
    """A VNN-LIB property: its dimensions and the cases whose union is its violation.

    The file asserts the negation of the safety property (the VNN-COMP
    convention): an exact input/output pair is a counterexample when it is
    admitted by one of the `cases` (:meth:`Case.admits`). No cases means no
    counterexample can exist.

    Parameters
    ----------
    n_inputs, n_outputs : int
        The number of declared ``X_i`` and ``Y_j``.
    cases : sequence of Case

    Examples
    --------
    >>> prop = parse_property('''
    ...     (declare-const X_0 Real) (declare-const Y_0 Real)
    ...     (assert (>= X_0 -0.5)) (assert (<= X_0 0.5))
    ...     (assert (> Y_0 (* 2 X_0)))''')
    >>> prop.n_inputs, prop.n_outputs, prop.cases[0].lower, prop.cases[0].output
    (1, 1, (Fraction(-1, 2),), ((Constraint((0, -2, 1), strict=True),),))
    >>> prop.is_counterexample(["1/4"], ["1/2"]), prop.is_counterexample(["1/4"], ["0.6"])
    (False, True)
    """

    __slots__ = ("n_inputs", "n_outputs", "cases")
    n_inputs: int
    n_outputs: int
    cases: tuple[Case, ...]

    def __init__(self, n_inputs: int, n_outputs: int, cases: Iterable[Case]) -> None:
        cases = tuple(cases)
        for k, case in enumerate(cases):
            _check_case(k, case, n_inputs, n_outputs)
        object.__setattr__(self, "n_inputs", n_inputs)
        object.__setattr__(self, "n_outputs", n_outputs)
        object.__setattr__(self, "cases", cases)

    def violated_case(self, inputs: Sequence[object], outputs: Sequence[object]) -> int | None:
        """The index of the first case that admits the exact pair, or None.

        Values are read exactly (:func:`polyregions.numbers.to_fraction`: floats
        at their binary value, strings such as ``"1/3"`` or ``"0.1"``).

        Examples
        --------
        >>> prop = Property(1, 1, [Case([0], [1]), Case([2], [3])])   # any output violates
        >>> prop.violated_case([3], [0]), prop.violated_case([Fraction(3, 2)], [0])
        (1, None)
        """
        x, y = self._exact(inputs, self.n_inputs, "inputs"), self._exact(outputs, self.n_outputs,
                                                                          "outputs")
        return next((k for k, case in enumerate(self.cases) if case.admits(x, y)), None)

    def is_counterexample(self, inputs: Sequence[object], outputs: Sequence[object]) -> bool:
        """Whether the exact pair violates the safety property (satisfies the file's assertions).

        Examples
        --------
        >>> Property(1, 1, [Case([0], [1])]).is_counterexample([0.5], [7])
        True
        """
        return self.violated_case(inputs, outputs) is not None

    @staticmethod
    def _exact(values: Sequence[object], expected: int, what: str) -> tuple[Fraction, ...]:
        if len(values) != expected:
            raise UsageError(f"the property has {expected} {what}, got {len(values)} values")
        return tuple(to_fraction_or(UsageError, v, what[:-1]) for v in values)

    def __repr__(self) -> str:
        return (f"Property(n_inputs={self.n_inputs}, n_outputs={self.n_outputs}, "
                f"cases={len(self.cases)})")


def _check_case(k: int, case: Case, n: int, m: int) -> None:
    widths = [len(case.lower)] + [len(c.row) - 1 for c in case.input_constraints]
    if any(w != n for w in widths):
        raise UsageError(f"case {k} is not over {n} inputs")
    if any(len(c.row) - 1 != n + m for conjunction in case.output for c in conjunction):
        raise UsageError(f"an output constraint of case {k} is not over {n} inputs and {m} outputs")


# --- Reading s-expressions ------------------------------------------------------------------


class _Atom(NamedTuple):
    text: str
    line: int


class _List(NamedTuple):
    items: tuple[_Node, ...]
    line: int  # of the opening parenthesis


_Node = Union[_Atom, _List]


def _error(where: str, line: int, message: str) -> PropertyError:
    return PropertyError(f"{where}: line {line}: {message}")


def _tokens(text: str) -> Iterator[_Atom]:
    for number, line in enumerate(text.splitlines(), 1):
        for match in re.finditer(r"[()]|[^\s();]+", line.split(";", 1)[0]):
            yield _Atom(match.group(), number)


def _read_nodes(text: str, where: str) -> list[_Node]:
    top: list[_Node] = []
    open_lists: list[tuple[int, list[_Node]]] = []
    for token in _tokens(text):
        if token.text == "(":
            open_lists.append((token.line, []))
            continue
        if token.text == ")":
            if not open_lists:
                raise _error(where, token.line, "unbalanced parentheses: ')' closes nothing")
            line, items = open_lists.pop()
            token = _List(tuple(items), line)  # type: ignore[assignment]
        (open_lists[-1][1] if open_lists else top).append(token)
    if open_lists:
        raise _error(where, open_lists[-1][0], "unbalanced parentheses: '(' is never closed")
    return top


def _show(node: _Node) -> str:
    return repr(node.text) if isinstance(node, _Atom) else "'(...)'"


# --- Terms and formulas ---------------------------------------------------------------------

_Linear = dict[tuple[int, int], Fraction]  # variable key (or _CONSTANT) -> coefficient


class _Relation(NamedTuple):
    """``const + sum(c * v) >= 0`` (``> 0`` when strict), as sparse exact coefficients."""

    const: Fraction
    coeffs: tuple[tuple[tuple[int, int], Fraction], ...]  # sorted, no zeros
    strict: bool
    line: int
    bound: tuple[int, Fraction, bool] | None  # on one input: (index, value, is it a lower bound)


_Conjunction = list[_Relation]


class _Parser:
    """Reads the commands of one file: declarations first, then terms and formulas."""

    def __init__(self, where: str) -> None:
        self.where = where
        self.declared: dict[tuple[int, int], int] = {}  # variable key -> line

    def fail(self, node: _Node, message: str) -> PropertyError:
        return _error(self.where, node.line, message)

    def head(self, node: _List, what: str) -> str:
        if not node.items or not isinstance(node.items[0], _Atom):
            raise self.fail(node, f"expected an operator at the start of a {what}")
        return node.items[0].text

    def command(self, node: _Node) -> list[_Conjunction] | None:
        if not isinstance(node, _List):
            raise self.fail(node, f"expected '(' before {_show(node)}")
        name, args = self.head(node, "command"), node.items[1:]
        if name == "declare-const":
            self.declare(node, args)
            return None
        if name == "assert":
            if len(args) != 1:
                raise self.fail(node, f"'assert' takes one formula, got {len(args)}")
            return self.formula(args[0])
        raise self.fail(node, f"unknown command {name!r} (expected declare-const or assert)")

    def declare(self, node: _List, args: tuple[_Node, ...]) -> None:
        if len(args) != 2 or not all(isinstance(a, _Atom) for a in args):
            raise self.fail(node, "expected (declare-const NAME Real)")
        name, sort = (a.text for a in args)  # type: ignore[union-attr]
        match = _VARIABLE.fullmatch(name)
        if match is None:
            raise self.fail(node, f"cannot declare {name!r}: variables are named X_i or Y_j")
        if sort != "Real":
            raise self.fail(node, f"{name} must be declared Real, not {sort!r}")
        key = _key(match)
        if key in self.declared:
            raise self.fail(node, f"{name} is declared twice (first on line {self.declared[key]})")
        self.declared[key] = node.line

    def formula(self, node: _Node) -> list[_Conjunction]:
        if not isinstance(node, _List):
            raise self.fail(node, f"expected a formula in parentheses, got {_show(node)}")
        op, args = self.head(node, "formula"), node.items[1:]
        if op in ("and", "or"):
            if not args:
                raise self.fail(node, f"{op!r} needs at least one formula")
            parts = [(a, self.formula(a)) for a in args]
            return self.conjoin(parts) if op == "and" else self.disjoin(parts, node)
        if op in _RELATIONS:
            if len(args) < 2:
                raise self.fail(node, f"{op!r} needs at least two terms, got {len(args)}")
            terms = [self.term(a) for a in args]
            return [[_relation(op, a, b, node.line) for a, b in zip(terms, terms[1:])]]
        raise self.fail(node, f"unknown operator {op!r} in a formula "
                              f"(expected and, or, {', '.join(_RELATIONS)})")

    def conjoin(self, parts: list[tuple[_Node, list[_Conjunction]]]) -> list[_Conjunction]:
        """The normal form of the conjunction of `parts`: each part's node and normal form."""
        result: list[_Conjunction] = [[]]
        for node, part in parts:
            if len(part) == 1:  # one conjunction joins every result in place: no copies
                for conjunction in result:
                    conjunction.extend(part[0])
                continue
            self.limit(len(result) * len(part), node)
            result = [c + d for c in result for d in part]
        return result

    def disjoin(self, parts: list[tuple[_Node, list[_Conjunction]]], node: _Node
                ) -> list[_Conjunction]:
        self.limit(sum(len(part) for _, part in parts), node)
        return [conjunction for _, part in parts for conjunction in part]

    def limit(self, size: int, node: _Node) -> None:
        if size > MAX_CONJUNCTIONS:
            raise self.fail(node, f"the assertions expand to {size} conjunctions in disjunctive "
                                  f"normal form, more than {MAX_CONJUNCTIONS}")

    def term(self, node: _Node) -> _Linear:
        if isinstance(node, _Atom):
            return self.atom(node)
        op, args = self.head(node, "term"), [self.term(a) for a in node.items[1:]]
        if op not in ("+", "-", "*", "/"):
            raise self.fail(node, f"unknown operator {op!r} in a term (expected +, -, *, /)")
        if not args:
            raise self.fail(node, f"{op!r} needs at least one term")
        if op == "+":
            return _combine(args, [1] * len(args))
        if op == "-":
            return _scale(args[0], -1) if len(args) == 1 else _combine(args, [1] + [-1] * (
                len(args) - 1))
        if op == "*":
            return self.product(node, args)
        return self.quotient(node, args)

    def atom(self, node: _Atom) -> _Linear:
        variable = _VARIABLE.fullmatch(node.text)
        if variable is not None:
            if _key(variable) not in self.declared:
                raise self.fail(node, f"undeclared variable {node.text}")
            return {_key(variable): Fraction(1)}
        if _NUMBER.fullmatch(node.text):
            context = f"{self.where}: line {node.line}"
            return {_CONSTANT: to_fraction_or(PropertyError, node.text, "number", context=context)}
        raise self.fail(node, f"{node.text!r} is not a number or a variable X_i, Y_j")

    def product(self, node: _List, factors: list[_Linear]) -> _Linear:
        linear = [f for f in factors if not _is_constant(f)]
        if len(linear) > 1:
            raise self.fail(node, "non-linear term: '*' multiplies two terms with variables")
        result = linear[0] if linear else {_CONSTANT: Fraction(1)}
        for factor in factors:
            if _is_constant(factor):
                result = _scale(result, _constant(factor))
        return result

    def quotient(self, node: _List, args: list[_Linear]) -> _Linear:
        result = args[0]
        for divisor in args[1:]:
            if not _is_constant(divisor):
                raise self.fail(node, "non-linear term: '/' divides by a term with variables")
            if _constant(divisor) == 0:
                raise self.fail(node, "division by zero")
            result = _scale(result, 1 / _constant(divisor))
        return result


def _key(match: re.Match[str]) -> tuple[int, int]:
    return (0 if match["kind"] == "X" else 1, int(match["index"]))


def _is_constant(linear: _Linear) -> bool:
    return all(key == _CONSTANT or c == 0 for key, c in linear.items())


def _constant(linear: _Linear) -> Fraction:
    return linear.get(_CONSTANT, Fraction(0))


def _scale(linear: _Linear, factor: Fraction | int) -> _Linear:
    return {key: c * factor for key, c in linear.items()}


def _combine(terms: list[_Linear], signs: list[int]) -> _Linear:
    result: _Linear = {}
    for term, sign in zip(terms, signs):
        for key, c in term.items():
            result[key] = result.get(key, Fraction(0)) + sign * c
    return result


def _relation(op: str, left: _Linear, right: _Linear, line: int) -> _Relation:
    # a <= b and b >= a both say b - a >= 0.
    difference = _combine([left, right], [-1, 1] if op in ("<=", "<") else [1, -1])
    coeffs = tuple(sorted((k, c) for k, c in difference.items() if k != _CONSTANT and c != 0))
    const, bound = _constant(difference), None
    if len(coeffs) == 1 and coeffs[0][0][0] == 0:
        ((_, i), c), = coeffs
        bound = (i, -const / c, c > 0)
    return _Relation(const, coeffs, op in ("<", ">"), line, bound)


# --- From conjunctions to cases -------------------------------------------------------------


class _Parts(NamedTuple):
    lower: tuple[Fraction, ...]
    upper: tuple[Fraction, ...]
    inputs: tuple[Constraint, ...]
    outputs: tuple[Constraint, ...]


def _parts(conjunction: _Conjunction, n: int, m: int, where: str,
           made: dict[int, Constraint]) -> _Parts | None:
    """The case parts of one conjunction, or None when a constant relation in it is false.

    Conjunctions share their relations (an ``and`` over an ``or`` repeats its other
    parts in every conjunction): `made` keeps each relation's constraint by identity.
    """
    lower: list[Fraction | None] = [None] * n
    upper: list[Fraction | None] = [None] * n
    inputs: list[Constraint] = []
    outputs: list[Constraint] = []
    for rel in conjunction:
        if not rel.coeffs:
            if rel.const > 0 or (rel.const == 0 and not rel.strict):
                continue
            return None
        if rel.bound is not None:
            i, bound, is_lower = rel.bound
            bounds = lower if is_lower else upper
            old = bounds[i]
            bounds[i] = bound if old is None else (max if is_lower else min)(old, bound)
            if not rel.strict:
                continue
        over_outputs = any(kind == 1 for (kind, _), _ in rel.coeffs)
        constraint = made.get(id(rel))
        if constraint is None:
            constraint = made[id(rel)] = _constraint(rel, n, m if over_outputs else 0)
        (outputs if over_outputs else inputs).append(constraint)
    line = conjunction[0].line if conjunction else 1
    for i in range(n):
        for bounds, which in ((lower, "lower"), (upper, "upper")):
            if bounds[i] is None:
                raise _error(where, line, f"X_{i} has no {which} bound in this input region")
    return _Parts(tuple(lower), tuple(upper),  # type: ignore[arg-type]
                  tuple(dict.fromkeys(inputs)), tuple(dict.fromkeys(outputs)))


def _constraint(rel: _Relation, n: int, m: int) -> Constraint:
    """The relation as a constraint over ``(1, x)`` (m = 0) or ``(1, x, y)``.

    Zeros change neither the common denominator nor the gcd, so the primitive
    row of the nonzero entries, put in place, is the primitive dense row (an
    MNIST row has 795 entries and two nonzeros).
    """
    entries = integer_vector([rel.const, *(c for _, c in rel.coeffs)])
    row = [entries[0]] + [0] * (n + m)
    for ((kind, index), _), value in zip(rel.coeffs, entries[1:]):
        row[1 + kind * n + index] = value
    return new_from_slots(Constraint, tuple(row), rel.strict)


def _cases(conjunctions: list[_Conjunction], n: int, m: int, where: str) -> tuple[Case, ...]:
    grouped: dict[tuple[object, ...], tuple[_Parts, dict[tuple[Constraint, ...], None]]] = {}
    made: dict[int, Constraint] = {}
    for conjunction in conjunctions:
        parts = _parts(conjunction, n, m, where, made)
        if parts is None:
            continue
        key = (parts.lower, parts.upper, frozenset(parts.inputs))
        grouped.setdefault(key, (parts, {}))[1][parts.outputs] = None
    return tuple(Case(parts.lower, parts.upper, parts.inputs, outputs)
                 for parts, outputs in grouped.values())


def _dimension(parser: _Parser, kind: int, text: str) -> int:
    name = "XY"[kind]
    lines = {index: line for (k, index), line in parser.declared.items() if k == kind}
    if not lines:
        raise _error(parser.where, max(1, len(text.splitlines())),
                     f"no {'input' if kind == 0 else 'output'} variable {name}_0 is declared")
    missing = min(set(range(len(lines) + 1)) - set(lines))
    if missing < len(lines):
        after = min(i for i in lines if i > missing)
        raise _error(parser.where, lines[after], f"{name}_{after} is declared but {name}_{missing}"
                                                 " is not (indices run from 0 without gaps)")
    return len(lines)


def parse_property(text: str, name: str = "<string>") -> Property:
    """Read a VNN-LIB property from its text, exactly.

    Parameters
    ----------
    text : str
        The property, in the grammar of this module's description.
    name : str, optional
        How to name the text in error messages (the file's path).

    Returns
    -------
    Property

    Raises
    ------
    PropertyError
        On anything outside the grammar, with the name, the line and the
        token: unbalanced parentheses, an unknown command or operator, an
        undeclared or twice-declared variable, a gap in the indices, a
        non-linear term, an input without both bounds.

    Examples
    --------
    >>> prop = parse_property('''
    ...     (declare-const X_0 Real) (declare-const Y_0 Real) (declare-const Y_1 Real)
    ...     (assert (or (and (>= X_0 0) (<= X_0 1)) (and (>= X_0 2) (<= X_0 3))))
    ...     (assert (or (>= Y_0 Y_1) (>= Y_1 1e-3)))''')
    >>> [(c.lower, c.upper, len(c.output)) for c in prop.cases]
    [((Fraction(0, 1),), (Fraction(1, 1),), 2), ((Fraction(2, 1),), (Fraction(3, 1),), 2)]
    >>> prop.cases[0].output[1]
    (Constraint((-1, 0, 0, 1000), strict=False),)
    >>> parse_property("(declare-const X_0 Real)\\n(assert (<= X_1 1))")
    Traceback (most recent call last):
    ...
    polyregions.errors.PropertyError: <string>: line 2: undeclared variable X_1
    """
    parser = _Parser(name)
    assertions = [(node, dnf) for node in _read_nodes(text, name)
                  if (dnf := parser.command(node)) is not None]
    n, m = _dimension(parser, 0, text), _dimension(parser, 1, text)
    conjunctions = parser.conjoin(assertions)
    return Property(n, m, _cases(conjunctions, n, m, name))


def read_property(path: str | os.PathLike[str]) -> Property:
    """Read the VNN-LIB property file `path` exactly (see :func:`parse_property`).

    Examples
    --------
    >>> import tempfile, os
    >>> path = os.path.join(tempfile.mkdtemp(), "p.vnnlib")
    >>> with open(path, "w") as f:
    ...     _ = f.write("(declare-const X_0 Real)\\n(declare-const Y_0 Real)\\n(assert (<= X_0 1)")
    >>> read_property(path)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    polyregions.errors.PropertyError: ...p.vnnlib: line 3: unbalanced parentheses: '(' is never closed
    """
    path = os.fspath(path)
    return parse_property(read_text(path, "property file", PropertyError), str(path))


# --- Counterexamples ------------------------------------------------------------------------


def _value_text(value: Fraction) -> str:
    """An exact decimal when the value has one (its denominator is 2^a 5^b), else ``p/q``."""
    den = value.denominator
    twos = (den & -den).bit_length() - 1
    den >>= twos
    fives = 0
    while den % 5 == 0:
        den //= 5
        fives += 1
    if den != 1:
        return format_fraction(value)
    places = max(twos, fives)
    digits = int_to_decimal(abs(value.numerator) * 10 ** places // value.denominator)
    digits = digits.rjust(places + 1, "0")
    whole, frac = digits[:len(digits) - places], digits[len(digits) - places:]
    return f"{'-' if value < 0 else ''}{whole}.{frac or '0'}"


def format_counterexample(inputs: Sequence[object], outputs: Sequence[object]) -> str:
    """The VNN-COMP counterexample text ``((X_0 v) ... (Y_0 v) ...)`` of an exact pair.

    Each value is written as an exact decimal when it has one (``0.5``,
    ``-3.0``, ``0.0001``), otherwise as ``p/q``: VNN-COMP's own checker reads
    values with Python's ``float``, which takes any decimal but not ``p/q``,
    and no finite decimal equals such a value.

    Examples
    --------
    >>> print(format_counterexample(["1/2", -3], ["1/3"]), end="")
    ((X_0 0.5)
     (X_1 -3.0)
     (Y_0 1/3))
    """
    pairs = [(f"X_{i}", v) for i, v in enumerate(inputs)]
    pairs += [(f"Y_{j}", v) for j, v in enumerate(outputs)]
    body = "\n ".join(f"({name} {_value_text(to_fraction_or(UsageError, v, name))})"
                      for name, v in pairs)
    return f"({body})\n"


def write_counterexample(path: str | os.PathLike[str], inputs: Sequence[object],
                         outputs: Sequence[object]) -> None:
    """Write :func:`format_counterexample` of the pair to `path`.

    Examples
    --------
    >>> import tempfile, os
    >>> path = os.path.join(tempfile.mkdtemp(), "cex.txt")
    >>> write_counterexample(path, ["0.25"], [-1])
    >>> read_counterexample(path)
    ((Fraction(1, 4),), (Fraction(-1, 1),))
    """
    text = format_counterexample(inputs, outputs)
    try:
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
    except OSError as err:
        raise ExportError.cannot_write(path, err) from None


def parse_counterexample(text: str, name: str = "<string>"
                         ) -> tuple[tuple[Fraction, ...], tuple[Fraction, ...]]:
    """Read a counterexample ``((X_0 v) ... (Y_0 v) ...)`` exactly: the inputs and the outputs.

    A first word ``sat`` (the VNN-COMP result line) is allowed. Values are
    decimals or ``p/q`` (:func:`polyregions.numbers.to_fraction`), or constant
    terms such as ``(- 0.5)`` and ``(/ 1 3)``. The names must come in the
    order ``X_0, X_1, ...`` and then ``Y_0, Y_1, ...``.

    Raises
    ------
    PropertyError
        With the name and the line of the first problem.

    Examples
    --------
    >>> parse_counterexample("sat\\n((X_0 (- 0.5))\\n (Y_0 2/3))")
    ((Fraction(-1, 2),), (Fraction(2, 3),))
    """
    nodes = _read_nodes(text, name)
    if nodes and isinstance(nodes[0], _Atom) and nodes[0].text == "sat":
        nodes = nodes[1:]
    if len(nodes) != 1 or not isinstance(nodes[0], _List):
        line = nodes[1].line if len(nodes) > 1 else nodes[0].line if nodes else 1
        raise _error(name, line, "expected one list ((X_0 v) ... (Y_0 v) ...)")
    values: dict[str, list[Fraction]] = {"X": [], "Y": []}
    parser = _Parser(name)
    for pair in nodes[0].items:
        kind, value = _assignment(parser, pair, values)
        values[kind].append(value)
    return tuple(values["X"]), tuple(values["Y"])


def _assignment(parser: _Parser, pair: _Node, values: dict[str, list[Fraction]]
                ) -> tuple[str, Fraction]:
    label, node = pair.items if isinstance(pair, _List) and len(pair.items) == 2 else (pair, pair)
    if label is pair or not isinstance(label, _Atom):
        raise parser.fail(pair, f"expected (NAME VALUE), got {_show(pair)}")
    expected = [f"X_{len(values['X'])}"] * (not values["Y"]) + [f"Y_{len(values['Y'])}"]
    if label.text not in expected:
        raise parser.fail(pair, f"expected {' or '.join(expected)}, got {label.text!r}")
    if isinstance(node, _Atom):
        context = f"{parser.where}: line {node.line}"
        return label.text[0], to_fraction_or(PropertyError, node.text, label.text, context=context)
    term = parser.term(node)
    return label.text[0], _constant(term)


def read_counterexample(path: str | os.PathLike[str]
                        ) -> tuple[tuple[Fraction, ...], tuple[Fraction, ...]]:
    """Read the counterexample file `path` exactly (see :func:`parse_counterexample`).

    Examples
    --------
    >>> import tempfile, os
    >>> path = os.path.join(tempfile.mkdtemp(), "cex.txt")
    >>> with open(path, "w") as f:
    ...     _ = f.write("sat\\n((X_0 1/3)\\n (Y_0 -2.5))\\n")
    >>> read_counterexample(path)
    ((Fraction(1, 3),), (Fraction(-5, 2),))
    """
    path = os.fspath(path)
    return parse_counterexample(read_text(path, "counterexample file", PropertyError), str(path))
