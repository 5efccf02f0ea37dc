"""VNN-LIB properties and VNN-COMP counterexamples: exact numbers, cases, errors by line.

The oracles are independent of the parser: `evaluate` reads the assertions
straight from the text and decides them at an exact point with Fractions, and
the property-based test builds the expected cases itself from a random DNF.
"""

import math
import pathlib
import random
import re
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from polyregions.errors import PropertyError, UsageError
from polyregions.io import vnnlib
from polyregions.io.vnnlib import (
    Case,
    Constraint,
    Property,
    format_counterexample,
    parse_counterexample,
    parse_property,
    read_counterexample,
    read_property,
    write_counterexample,
)

F = Fraction
SHARED = pathlib.Path("/work/shared/vnn/vnnlib")


# --- The text oracle: the assertions decided at a point, without the parser ---------------

def _nested(text):
    stack, top = [], []
    for token in re.findall(r"[()]|[^\s();]+", re.sub(r";[^\n]*", "", text)):
        if token == "(":
            stack.append([])
        elif token == ")":
            done = stack.pop()
            (stack[-1] if stack else top).append(done)
        else:
            (stack[-1] if stack else top).append(token)
    return top


def evaluate(text, x, y):
    """Whether the exact point satisfies every assertion of `text` (SMT-LIB semantics)."""
    env = {**{f"X_{i}": v for i, v in enumerate(x)}, **{f"Y_{j}": v for j, v in enumerate(y)}}

    def value(e):
        if isinstance(e, str):
            return env[e] if e in env else F(e)
        op, args = e[0], [value(a) for a in e[1:]]
        if op == "+":
            return sum(args)
        if op == "-":
            return -args[0] if len(args) == 1 else args[0] - sum(args[1:])
        if op == "*":
            return math.prod(args)
        return args[0] / math.prod(args[1:])

    compare = {"<=": F.__le__, ">=": F.__ge__, "<": F.__lt__, ">": F.__gt__}

    def truth(e):
        if e[0] == "and":
            return all(truth(a) for a in e[1:])
        if e[0] == "or":
            return any(truth(a) for a in e[1:])
        values = [F(value(a)) for a in e[1:]]
        return all(compare[e[0]](a, b) for a, b in zip(values, values[1:]))

    return all(truth(e[1]) for e in _nested(text) if e[0] == "assert")


def _points_near(prop, rng, count):
    """Exact points on, inside and just outside the cases' bounds, with outputs near 0."""
    def coordinate(lo, hi):
        return rng.choice([lo, hi, (lo + hi) / 2, lo - F(1, 10 ** 9), hi + F(1, 10 ** 9)])
    for _ in range(count):
        case = rng.choice(prop.cases)
        x = [coordinate(lo, hi) for lo, hi in zip(case.lower, case.upper)]
        y = [F(rng.randint(-4, 4), rng.choice([1, 2, 3])) for _ in range(prop.n_outputs)]
        yield x, y


def _agrees_with_the_text(text, prop, count=200, seed=0):
    rng = random.Random(seed)
    for x, y in _points_near(prop, rng, count):
        assert prop.is_counterexample(x, y) == evaluate(text, x, y), (x, y)


def declarations(n, m):
    return "".join(f"(declare-const X_{i} Real)\n" for i in range(n)) + "".join(
        f"(declare-const Y_{j} Real)\n" for j in range(m))


# --- Every form, exact values ---------------------------------------------------------------

@pytest.mark.parametrize("number, value", [
    ("0.1", F(1, 10)), ("-0.5", F(-1, 2)), ("(- 0.5)", F(-1, 2)), ("1e-3", F(1, 1000)),
    ("2.5E+2", F(250)), (".5", F(1, 2)), ("5.", F(5)), ("+2", F(2)), ("-0", F(0)),
    ("0.679857769", F(679857769, 10 ** 9)), ("1" + "0" * 60, F(10 ** 60)),
    ("0." + "0" * 40 + "1", F(1, 10 ** 41)), ("(/ 1 3)", F(1, 3)), ("(* 2 (- 0.25))", F(-1, 2)),
    ("(+ 1 2 0.5)", F(7, 2)), ("(- 1 2 0.5)", F(-3, 2)),
])
def test_numbers_are_read_as_exact_decimals(number, value):
    prop = parse_property(declarations(1, 1) + f"(assert (>= X_0 {number}))\n(assert (<= X_0 7e9))")
    assert prop.cases[0].lower == (value,)


@pytest.mark.parametrize("term, row", [
    # each term t in (>= t 0) over (1, x0, x1, y0): the primitive row of t
    ("(+ (* 3 X_0) Y_0)", (0, 3, 0, 1)), ("(+ Y_0 (* X_0 (- 2)))", (0, -2, 0, 1)),
    ("(* 2 3 Y_0)", (0, 0, 0, 1)), ("(* (- 1 0.5) (+ Y_0 X_0))", (0, 1, 0, 1)),
    ("(/ Y_0 3)", (0, 0, 0, 1)), ("(- Y_0)", (0, 0, 0, -1)), ("(- Y_0 X_1 0.5)", (-1, 0, -2, 2)),
    ("(+ Y_0)", (0, 0, 0, 1)), ("(+ (* 0.5 X_0) (* 0.25 Y_0) 1)", (4, 2, 0, 1)),
    ("(- (* 2 Y_0) (* 2 Y_0) X_0 (- Y_0))", (0, -1, 0, 1)),
])
def test_linear_terms_become_primitive_integer_rows(term, row):
    text = declarations(2, 1) + "(assert (<= -1 X_0 1))\n(assert (<= -1 X_1 1))\n"
    prop = parse_property(text + f"(assert (>= {term} 0))")
    assert prop.cases[0].output == ((Constraint(row),),)
    _agrees_with_the_text(text + f"(assert (>= {term} 0))", prop)


def test_relations_point_the_right_way_and_chains_mean_each_pair():
    text = declarations(1, 2) + """
        (assert (<= 0 X_0 1))          ; a chain: 0 <= X_0 and X_0 <= 1
        (assert (>= Y_0 Y_1))          ; y0 - y1 >= 0
        (assert (<= Y_1 0.5 Y_0))      ; 0.5 - y1 >= 0 and y0 - 0.5 >= 0
        (assert (< Y_1 X_0))           ; x0 - y1 > 0
        (assert (> Y_0 (- 1)))         ; y0 + 1 > 0
    """
    prop = parse_property(text)
    (case,) = prop.cases
    assert (case.lower, case.upper, case.input_constraints) == ((0,), (1,), ())
    assert case.output == ((Constraint((0, 0, 1, -1)), Constraint((1, 0, 0, -2)),
                            Constraint((-1, 0, 2, 0)), Constraint((0, 1, 0, -1), strict=True),
                            Constraint((1, 0, 1, 0), strict=True)),)
    _agrees_with_the_text(text, prop)


def test_the_tightest_bound_wins_and_strict_bounds_stay_constraints():
    text = declarations(2, 1) + """
        (assert (>= X_0 0.25)) (assert (>= X_0 0)) (assert (<= X_0 2)) (assert (<= X_0 1))
        (assert (> X_1 0)) (assert (< X_1 1))        ; the open interval (0, 1)
        (assert (>= (+ X_0 X_1) 0.5))                ; a linear input constraint
        (assert (>= Y_0 0))
    """
    prop = parse_property(text)
    (case,) = prop.cases
    assert case.lower == (F(1, 4), 0) and case.upper == (1, 1)
    assert case.input_constraints == (Constraint((0, 0, 1), strict=True),
                                      Constraint((1, 0, -1), strict=True),
                                      Constraint((-1, 2, 2)))
    # x1 = 0 lies in the closed box but not in the input set: the strict bound is kept.
    assert not case.contains_input([F(1, 2), 0]) and case.contains_input([F(1, 2), F(1, 10)])
    assert not case.contains_input([F(1, 4), F(1, 5)])  # 1/4 + 1/5 < 1/2
    _agrees_with_the_text(text, prop)


def test_comments_and_line_breaks_anywhere():
    text = "; header\n(declare-const X_0 Real) ; the input\n(declare-const\n Y_0\n Real)\n" \
           "(assert (<= X_0 ; inside\n 1))(assert(>= X_0 0))(assert (>= Y_0 X_0))"
    prop = parse_property(text)
    assert prop.cases[0].output == ((Constraint((0, -1, 1)),),)


def test_top_level_or_of_input_boxes_gives_one_case_each_with_the_shared_output():
    # As ACAS Xu property 6: two boxes, then an `or` over the outputs.
    text = declarations(1, 2) + """
        (assert (or (and (>= X_0 -1) (<= X_0 -0.5))
                    (and (>= X_0 0.5) (<= X_0 1))))
        (assert (or (and (<= Y_1 Y_0)) (and (<= Y_0 0) (< Y_1 0))))
    """
    prop = parse_property(text)
    assert [(c.lower, c.upper) for c in prop.cases] == [((-1,), (F(-1, 2),)), ((F(1, 2),), (1,))]
    outputs = ((Constraint((0, 0, 1, -1)),),
               (Constraint((0, 0, -1, 0)), Constraint((0, 0, 0, -1), strict=True)))
    assert all(c.output == outputs for c in prop.cases)
    assert prop.violated_case([F(3, 4)], [1, 0]) == 1 and prop.violated_case([0], [1, 0]) is None
    _agrees_with_the_text(text, prop)


def test_mixed_or_of_boxes_with_their_own_outputs_groups_by_box():
    # Several conjunctions with the same input part form one case; order of first appearance.
    text = declarations(1, 1) + """
        (assert (or (and (<= 0 X_0 1) (>= Y_0 1))
                    (and (<= 2 X_0 3) (>= Y_0 2))
                    (and (<= X_0 1) (>= X_0 0) (<= Y_0 -1))
                    (and (<= 0 X_0 1) (>= Y_0 1))))
    """
    prop = parse_property(text)
    assert [(c.lower, c.upper, c.output) for c in prop.cases] == [
        ((0,), (1,), ((Constraint((-1, 0, 1)),), (Constraint((-1, 0, -1)),))),
        ((2,), (3,), ((Constraint((-2, 0, 1)),),)),
    ]
    _agrees_with_the_text(text, prop)


def test_the_same_box_with_other_input_constraints_is_another_case():
    box = "(<= 0 X_0 1) (<= 0 X_1 1)"
    text = declarations(2, 1) + f"""
        (assert (or (and {box} (>= (+ X_0 X_1) 1) (<= X_0 X_1) (>= Y_0 1))
                    (and {box} (<= X_0 X_1) (>= (+ X_0 X_1) 1) (>= Y_0 2))   ; the same set
                    (and {box} (<= (+ X_0 X_1) 1) (<= Y_0 -1))))
    """
    prop = parse_property(text)
    above, below = Constraint((-1, 1, 1)), Constraint((1, -1, -1))
    assert [(c.input_constraints, c.output) for c in prop.cases] == [
        ((above, Constraint((0, -1, 1))),
         ((Constraint((-1, 0, 0, 1)),), (Constraint((-2, 0, 0, 1)),))),
        ((below,), ((Constraint((-1, 0, 0, -1)),),)),
    ]
    _agrees_with_the_text(text, prop)


def test_constant_relations_are_decided_exactly():
    text = declarations(1, 1) + """
        (assert (<= 0 X_0 1))
        (assert (or (and (< 1 (/ 3 3)) (>= Y_0 5))     ; 1 < 1 is false: this conjunction is gone
                    (and (<= 0.1 (/ 1 10)) (>= Y_0 7))))  ; true: the relation is dropped
    """
    prop = parse_property(text)
    assert prop.cases[0].output == ((Constraint((-7, 0, 1)),),)
    nothing = parse_property(declarations(1, 1) + "(assert (<= 0 X_0 1)) (assert (> 0 0))")
    assert nothing.cases == () and not nothing.is_counterexample([0], [0])


def test_the_assertions_are_a_conjunction_in_dnf_across_asserts():
    text = declarations(2, 1) + """
        (assert (or (and (<= 0 X_0 1)) (and (<= 2 X_0 3))))
        (assert (or (and (<= 0 X_1 1)) (and (<= 2 X_1 3))))
        (assert (or (>= Y_0 X_0) (>= Y_0 X_1)))
    """
    prop = parse_property(text)
    assert sorted((c.lower, c.upper) for c in prop.cases) == sorted(
        ((a, b), (a + 1, b + 1)) for a in (0, 2) for b in (0, 2))
    assert all(len(c.output) == 2 for c in prop.cases)
    _agrees_with_the_text(text, prop, count=400)


def test_counterexamples_are_decided_exactly_not_in_floats():
    prop = parse_property(declarations(1, 1) + "(assert (<= -1 X_0 0.1)) (assert (> Y_0 0))")
    assert prop.is_counterexample(["0.1"], ["1e-30"])
    assert not prop.is_counterexample(["0.1"], [0])        # strict: y = 0 is not > 0
    assert not prop.is_counterexample([0.1], [1])          # the double 0.1 is above 1/10
    assert prop.is_counterexample([F(1, 10)], [10 ** -300])
    with pytest.raises(UsageError, match="1 inputs, got 2"):
        prop.is_counterexample([0, 0], [1])


def test_values_are_immutable_and_compare_by_value():
    prop = parse_property(declarations(1, 1) + "(assert (<= 0 X_0 1)) (assert (> Y_0 0))")
    again = Property(1, 1, [Case([0], [1], (), [[Constraint([0, 0, 2], strict=True)]])])
    assert prop == again and hash(prop) == hash(again)
    for value, name in ((prop, "cases"), (prop.cases[0], "lower"), (prop.cases[0].output[0][0],
                                                                      "row")):
        with pytest.raises(AttributeError, match="immutable"):
            setattr(value, name, None)
    with pytest.raises(UsageError, match="not over 2 inputs"):
        Property(2, 1, prop.cases)


# --- Random DNFs parse back to the same cases -------------------------------------------------

def _primitive(row):
    den = math.lcm(*(v.denominator for v in row))
    ints = [int(v * den) for v in row]
    g = math.gcd(*ints) or 1
    return tuple(v // g for v in ints)


def _number(draw, value):
    """`value` (a decimal) in one of the written forms a VNN-LIB file may use."""
    digits = format(Decimal(value.numerator) / Decimal(value.denominator), "f")
    scaled = value * 1000
    forms = [digits, f"{int(scaled)}e-3"]
    if value < 0:
        forms.append(f"(- {digits[1:]})")
    return draw(st.sampled_from(forms))


def _linear(draw, pairs):
    """A term equal to sum(c * v) over the (coefficient, variable-or-None) pairs."""
    parts = [(_number(draw, c) if v is None else
              draw(st.sampled_from([f"(* {_number(draw, c)} {v})", f"(* {v} {_number(draw, c)})"])))
             for c, v in pairs if c != 0]
    return "0" if not parts else parts[0] if len(parts) == 1 else f"(+ {' '.join(parts)})"


def _relation_text(draw, row, strict, names):
    pairs = list(zip(row, [None, *names]))
    op = ">" if strict else ">="
    form = draw(st.integers(0, 2))
    if form == 0:     # (>= t 0)
        return f"({op} {_linear(draw, pairs)} 0)"
    if form == 1:     # (<= 0 t)
        return f"({op.replace('>', '<')} 0 {_linear(draw, pairs)})"
    # positive part >= negated negative part
    positive = [(c, v) for c, v in pairs if c > 0]
    negative = [(-c, v) for c, v in pairs if c < 0]
    return f"({op} {_linear(draw, positive)} {_linear(draw, negative)})"


_DECIMAL = st.builds(lambda k: F(k, 1000), st.integers(-5000, 5000))


@st.composite
def random_dnf(draw):
    n, m = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    xs, ys = [f"X_{i}" for i in range(n)], [f"Y_{j}" for j in range(m)]

    def row(over, needs):
        """A row over (1, over...) with nonzero entries at the `needs` positions."""
        values = [draw(_DECIMAL) for _ in range(1 + over)]
        for k in needs:
            values[1 + k] = values[1 + k] or F(1, 2)
        return values

    def constraints(over, needs, count):
        made = {}
        for _ in range(count):
            r, strict = row(over, needs()), draw(st.booleans())
            made.setdefault((_primitive(r), strict), r)
        return [(r, strict) for (_, strict), r in made.items()]

    cases, texts = [], []
    for k in range(draw(st.integers(1, 3))):
        lower = [F(100 * k) + draw(_DECIMAL) if i == 0 else draw(_DECIMAL) for i in range(n)]
        upper = [lo + abs(draw(_DECIMAL)) for lo in lower]
        pair = lambda: draw(st.lists(st.integers(0, n - 1), min_size=2, max_size=2,  # noqa: E731
                                     unique=True))
        inputs = constraints(n, pair, draw(st.integers(0, 2))) if n > 1 else []
        outputs, seen = [], set()
        for _ in range(draw(st.integers(1, 3))):
            conj = constraints(n + m, lambda: [n + draw(st.integers(0, m - 1))],
                               draw(st.integers(1, 3)))
            key = tuple((_primitive(r), s) for r, s in conj)
            if key not in seen:
                seen.add(key)
                outputs.append(conj)
        cases.append(Case(lower, upper, [Constraint(_primitive(r), s) for r, s in inputs],
                          [[Constraint(_primitive(r), s) for r, s in c] for c in outputs]))
        box = " ".join(draw(st.sampled_from([
            f"(>= X_{i} {_number(draw, lo)}) (<= X_{i} {_number(draw, hi)})",
            f"(<= {_number(draw, lo)} X_{i} {_number(draw, hi)})",
            f"(>= X_{i} {_number(draw, lo)}) (<= X_{i} {_number(draw, hi)}) "
            f"(>= X_{i} {_number(draw, lo - 1)}) (<= (- {_number(draw, hi + 1)}) (- X_{i}))"]))
            for i, (lo, hi) in enumerate(zip(lower, upper)))
        ins = " ".join(_relation_text(draw, r, s, xs) for r, s in inputs)
        outs = " ".join("(and " + " ".join(_relation_text(draw, r, s, xs + ys) for r, s in c) + ")"
                        for c in outputs)
        texts.append(f"(and {box} {ins} (or {outs}))")
    text = declarations(n, m) + "(assert (or\n  " + "\n  ".join(texts) + "))\n"
    return text, Property(n, m, cases)


@settings(max_examples=40, deadline=None)
@given(random_dnf())
def test_random_dnf_texts_parse_back_to_the_same_cases(example):
    text, expected = example
    prop = parse_property(text)
    assert prop == expected
    _agrees_with_the_text(text, prop, count=20)


# --- Errors name the line and the token -----------------------------------------------------

D = declarations(1, 1)  # lines 1 and 2
BOX = "(assert (<= 0 X_0 1))\n"  # line 3 after D


@pytest.mark.parametrize("text, line, fragment", [
    (D + "(assert (<= X_0 1)", 3, "'(' is never closed"),
    (D + BOX + "(assert (>= Y_0 0)))", 4, "')' closes nothing"),
    (D + "(assert (<= X_1 1))", 3, "undeclared variable X_1"),
    ("(assert (<= X_0 1))\n(declare-const X_0 Real)", 1, "undeclared variable X_0"),
    (D + BOX + "(assert (>= (* X_0 Y_0) 0))", 4, "non-linear term: '*'"),
    (D + BOX + "(assert (>= (/ 1 Y_0) 0))", 4, "non-linear term: '/'"),
    (D + BOX + "(assert (>= (/ Y_0 0) 0))", 4, "division by zero"),
    (D + BOX + "(assert (= Y_0 0))", 4, "unknown operator '='"),
    (D + BOX + "(assert (>= (max Y_0 0) 1))", 4, "unknown operator 'max' in a term"),
    (D + BOX + "(check-sat)", 4, "unknown command 'check-sat'"),
    (D + "(assert (<= X_0 1))\n(assert (>= Y_0 0))", 3, "X_0 has no lower bound"),
    (D + "(assert (or (and (<= 0 X_0 1))\n(and (<= X_0 3))))", 4, "X_0 has no lower bound"),
    (D + "(assert (>= X_0 0))\n(assert (> X_0 1))", 3, "X_0 has no upper bound"),
    ("(declare-const X_0 Real)\n(declare-const X_2 Real)\n(declare-const Y_0 Real)", 2,
     "X_2 is declared but X_1 is not"),
    ("(declare-const X_0 Real)\n(declare-const Y_1 Real)", 2, "Y_1 is declared but Y_0 is not"),
    (D + "(declare-const X_0 Real)", 3, "X_0 is declared twice (first on line 1)"),
    ("(declare-const X_0 Int)", 1, "X_0 must be declared Real, not 'Int'"),
    ("(declare-const Z_0 Real)", 1, "cannot declare 'Z_0'"),
    ("(declare-const X_01 Real)", 1, "cannot declare 'X_01'"),
    (D + "(assert (<= X_0 1.2.3))", 3, "'1.2.3' is not a number or a variable"),
    (D + "(assert (<= X_0 1/2))", 3, "'1/2' is not a number or a variable"),
    (D + "(assert (<= X_0 1e99999))", 3, "exponent 99999 is outside the accepted range"),
    (D + "oops", 3, "expected '(' before 'oops'"),
    (D + "(assert (and))", 3, "'and' needs at least one formula"),
    (D + "(assert (<= X_0))", 3, "'<=' needs at least two terms"),
    (D + "(assert X_0)", 3, "expected a formula in parentheses, got 'X_0'"),
    (D + "(assert (<= (+) 0))", 3, "'+' needs at least one term"),
    (D + "(assert ((<= X_0 1)))", 3, "expected an operator"),
    (D + "(assert (<= X_0 1) (>= X_0 0))", 3, "'assert' takes one formula, got 2"),
    ("(declare-const X_0 Real)\n\n", 2, "no output variable Y_0 is declared"),
])
def test_malformed_properties_give_one_line_naming_the_line(text, line, fragment):
    with pytest.raises(PropertyError) as info:
        parse_property(text)
    message = str(info.value)
    assert message.startswith(f"<string>: line {line}: ") and fragment in message, message
    assert "\n" not in message


def test_the_normal_form_is_limited(monkeypatch):
    monkeypatch.setattr(vnnlib, "MAX_CONJUNCTIONS", 8)
    pair = "(or (<= Y_0 0) (>= Y_0 1))"
    parse_property(D + BOX + f"(assert (and {pair} {pair} {pair}))")  # 8 conjunctions
    with pytest.raises(PropertyError, match=r"line 5: the assertions expand to 16 conjunctions"):
        parse_property(D + BOX + f"(assert\n(and {pair} {pair} {pair} {pair}))")
    # Across assertions, the one that passes the limit is named: lines 4 to 7, the fourth.
    with pytest.raises(PropertyError, match=r"line 7: the assertions expand to 16 conjunctions"):
        parse_property(D + BOX + f"(assert {pair})\n" * 4)


def test_file_errors_name_the_file(tmp_path):
    path = tmp_path / "bad.vnnlib"
    path.write_text(D + "(assert (<= X_0 (* X_0 X_0)))\n", encoding="utf-8")
    with pytest.raises(PropertyError, match=rf"^{re.escape(str(path))}: line 3: non-linear"):
        read_property(path)
    with pytest.raises(PropertyError, match="property file not found"):
        read_property(tmp_path / "missing.vnnlib")


# --- Counterexamples in the VNN-COMP format -------------------------------------------------

def _vnncomp_style_read(text):
    """How VNN-COMP's checker reads a counterexample: split on ')', then float() each value."""
    content = text.replace("\n", " ").strip()[1:-1]
    values = {"X": [], "Y": []}
    for part in content.split(")"):
        part = " ".join(part.split())
        if part:
            name, number = part[1:].split(" ")
            values[name[0]].append(float(number))
    return values["X"], values["Y"]


_VALUES = st.one_of(st.fractions(max_denominator=10 ** 6),
                    st.builds(lambda k, e: F(k, 10 ** e), st.integers(-10 ** 30, 10 ** 30),
                              st.integers(0, 40)),
                    st.builds(lambda k, e: F(k, 2 ** e), st.integers(-99, 99), st.integers(0, 60)))


@settings(max_examples=60, deadline=None)
@given(st.lists(_VALUES, min_size=1, max_size=4), st.lists(_VALUES, min_size=1, max_size=4))
def test_counterexamples_round_trip_exactly(inputs, outputs):
    text = format_counterexample(inputs, outputs)
    assert parse_counterexample(text) == (tuple(inputs), tuple(outputs))
    values = re.findall(r"\((?:X|Y)_\d+ ([^\s()]+)\)", text)
    assert [F(v) for v in values] == inputs + outputs  # Python's own exact reading
    for v, exact in zip(values, inputs + outputs):
        # a finite decimal exists exactly when the denominator has no prime but 2 and 5
        assert ("/" not in v) == (_prime_factors(exact.denominator) <= {2, 5})


def _prime_factors(n):
    factors, p = set(), 2
    while n > 1 and p * p <= n:
        while n % p == 0:
            factors.add(p)
            n //= p
        p += 1
    return factors | ({n} if n > 1 else set())


def test_a_decimal_counterexample_is_read_by_the_vnncomp_checker(tmp_path):
    path = tmp_path / "cex.txt"
    inputs, outputs = [F(679857769, 10 ** 9), F(-1, 2), F(3)], [F(1, 1024), F(-7, 10 ** 12)]
    write_counterexample(path, inputs, outputs)
    text = path.read_text(encoding="utf-8")
    assert text == ("((X_0 0.679857769)\n (X_1 -0.5)\n (X_2 3.0)\n (Y_0 0.0009765625)\n"
                    " (Y_1 -0.000000000007))\n")
    assert _vnncomp_style_read(text) == ([float(v) for v in inputs], [float(v) for v in outputs])
    assert read_counterexample(path) == (tuple(inputs), tuple(outputs))


def test_counterexamples_in_other_written_forms():
    assert parse_counterexample("sat\n((X_0 (- 0.5)) (X_1 (/ 1 3))\n(Y_0 -2/6))") == (
        (F(-1, 2), F(1, 3)), (F(-1, 3),))


@pytest.mark.parametrize("text, line, fragment", [
    ("((X_1 0))", 1, "expected X_0 or Y_0, got 'X_1'"),
    ("((X_0 0)\n(Y_0 1)\n(X_1 2))", 3, "expected Y_1, got 'X_1'"),
    ("((X_0 0)\n(Y_0))", 2, "expected (NAME VALUE)"),
    ("((X_0 0)\n(Y_0 one))", 2, "Y_0 'one' is not a number"),
    ("((X_0 0)) ((Y_0 1))", 1, "expected one list"),
    ("((X_0 0)\n(Y_0 (* X_0 2)))", 2, "undeclared variable X_0"),
    ("((X_0 0)", 1, "'(' is never closed"),
])
def test_malformed_counterexamples_name_the_line(text, line, fragment):
    with pytest.raises(PropertyError) as info:
        parse_counterexample(text)
    assert str(info.value).startswith(f"<string>: line {line}: ") and fragment in str(info.value)


# --- The public VNN-COMP files, where present -------------------------------------------------

@pytest.mark.skipif(not SHARED.is_dir(), reason="the public benchmark files are not here")
@pytest.mark.parametrize("name", sorted(p.name for p in SHARED.glob("*.vnnlib"))
                         if SHARED.is_dir() else [])
def test_public_vnncomp_properties_read_and_agree_with_their_text(name):
    text = (SHARED / name).read_text(encoding="utf-8")
    prop = read_property(SHARED / name)
    assert (prop.n_inputs, prop.n_outputs) in ((5, 5), (784, 10))
    _agrees_with_the_text(text, prop, count=20)
