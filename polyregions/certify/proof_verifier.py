"""An independent verifier of proofs that a network satisfies a property.

A proof (format ``polyregions/proof-v1``, written by ``polyregions check
--certificate`` for ``holds``) holds the network, the property and, for every
case of the property, the search's tree of nodes as a list of entries in
depth-first order. This module walks each tree again along its own code path:
it reads the numbers and the network with the verifiers' own parser
(:mod:`polyregions.certify.parsing`), composes the network's pieces exactly as
affine functions of the input, and decides every claim by the exact minimum or
maximum of an affine function over a box (a sum of ``min(a_i lo_i, a_i hi_i)``
in Fractions). No float, no linear program and no cddlib: the multipliers in
the proof make every check one such minimum. It imports nothing of the engine,
the search that wrote the proof, the network class or the VNN-LIB reader.

A node is a set ``S = {x in B : h(x) >= 0 for h in H}`` (``B`` its box, ``H``
its integer rows over ``(1, x)``) on which the layers before its layer take a
fixed pattern, so that their output is an exact affine map ``F`` of ``x``.
The entries (``stable``, ``box``, ``bisect``, ``split``, ``refute``,
``exact``) and what each must prove are specified in ``docs/certificates.md``
("Proofs of properties"), with the argument why a verified proof proves that
no input of any case violates the property.

A proof whose structure cannot be read (not JSON, another format, a network
or a property that is malformed) raises :class:`~polyregions.errors.CertificateError`;
a proof that can be read but fails a check gives a :class:`ProofReport` that is
not valid, with the first failure naming the case, the entry and the check.
"""

import math
import os
import time
from collections.abc import Sequence
from fractions import Fraction
from typing import Any

from ..errors import CertificateError
from ..immutable import Immutable
from .parsing import (
    as_list,
    integer_row,
    lcm_den,
    load_json,
    network_units,
    number,
    require_keys,
    show,
    vector,
)

__all__ = ["PROOF_FORMAT", "ProofReport", "verify_proof"]

PROOF_FORMAT = "polyregions/proof-v1"
_PROOF_KEYS = ("format", "network", "property", "cases")
_ENTRY_KEYS = {"stable": ("stable", "units"), "box": ("box",), "bisect": ("bisect",),
               "split": ("split",), "refute": ("refute", "codes", "intervals"), "exact": ("exact",)}
_ZERO = Fraction(0)

# An affine function of the input x (or of a layer's input y): (constant, coefficients...).
_Form = tuple[Fraction, ...]
# The same as integers over a positive denominator.
_Scaled = tuple[tuple[int, ...], int]


class ProofReport(Immutable):
    """The outcome of :func:`verify_proof`.

    Attributes
    ----------
    valid : bool
        True when every entry is proven and every node of every case is
        closed: the property holds for the network.
    failure : str or None
        The first failed check: one line naming the case, the entry and what failed.
    cases : int
        The property's cases.
    entries : int
        The entries checked (all of them when valid).
    checks : dict
        How many entries of each kind were checked.
    seconds : float

    Examples
    --------
    A proof that ``y = -(|x0| + |x1|)`` never exceeds 0 on ``[-1, 1]^2``, checked independently:

    >>> from polyregions import LinearLayer, Network, ReluLayer
    >>> from polyregions.io.vnnlib import parse_property
    >>> from polyregions.verification.search import check_property
    >>> peak = Network(2, [ReluLayer([[1, 0], [-1, 0], [0, 1], [0, -1]], [0, 0, 0, 0]),
    ...                    LinearLayer([[-1, -1, -1, -1]], [0])])
    >>> box = "".join(f"(assert ({op} X_{i} {b}))" for i in (0, 1) for op, b in ((">=", -1), ("<=", 1)))
    >>> names = "(declare-const X_0 Real)(declare-const X_1 Real)(declare-const Y_0 Real)"
    >>> prop = parse_property(names + box + "(assert (> Y_0 0))")
    >>> report = verify_proof(check_property(peak, prop, proof=True).proof)
    >>> report.valid, report.failure, report.cases
    (True, None, 1)
    """

    __slots__ = ("valid", "failure", "cases", "entries", "checks", "seconds")
    valid: bool
    failure: str | None
    cases: int
    entries: int
    checks: dict[str, int]
    seconds: float

    def __init__(self, failure: str | None, cases: int, checks: dict[str, int],
                 seconds: float) -> None:
        object.__setattr__(self, "valid", failure is None)
        object.__setattr__(self, "failure", failure)
        object.__setattr__(self, "cases", cases)
        object.__setattr__(self, "entries", sum(checks.values()))
        object.__setattr__(self, "checks", dict(checks))
        object.__setattr__(self, "seconds", seconds)

    def __bool__(self) -> bool:
        return self.valid

    def __repr__(self) -> str:
        state = "valid" if self.valid else f"invalid: {self.failure}"
        return f"ProofReport({self.cases} cases, {self.entries} entries, {state})"


class _Invalid(Exception):
    """A check failed; the message names the case, the entry and the check."""


def verify_proof(proof: str | os.PathLike[str] | dict[str, Any]) -> ProofReport:
    """Check a proof of a property independently of the search that wrote it.

    Parameters
    ----------
    proof : str, path-like or dict
        A proof file (format ``polyregions/proof-v1``), or the proof as a dict.

    Returns
    -------
    ProofReport
        ``valid`` is False, with the first failure, when a check fails.

    Raises
    ------
    CertificateError
        When the file is missing, not JSON, of another format, or its network,
        property or list of cases is malformed.

    Examples
    --------
    One ReLU on ``[-1, 1]``: its output is never below ``-1/2``. The tree of
    the only case has one entry: the relaxation ``0 <= relu(x) <= (x + 1) / 2``
    refutes ``y < -1/2`` (the row ``-1 - 2 y > 0``).

    >>> relu = {"type": "relu", "weights": [["1"]], "biases": ["0"]}
    >>> out = {"type": "linear", "weights": [["1"]], "biases": ["0"]}
    >>> case = {"lower": ["-1"], "upper": ["1"], "input_constraints": [],
    ...         "output": [[{"row": ["-1", "0", "-2"], "strict": True}]]}
    >>> proof = {"format": "polyregions/proof-v1",
    ...          "network": {"input_dim": 1, "layers": [relu, out]},
    ...          "property": {"n_inputs": 1, "n_outputs": 1, "cases": [case]},
    ...          "cases": [{"case": 0, "nodes": [
    ...              {"refute": [{"conjunction": 0, "y": ["1"], "mu": []}],
    ...               "codes": ["a", ""], "intervals": [["-1", "1"]]}]}]}
    >>> verify_proof(proof).valid
    True
    >>> proof["cases"][0]["nodes"][0]["intervals"] = [["-1/2", "1"]]   # x reaches -1
    >>> verify_proof(proof).failure
    'case 0, entry 0 (refute): layer 0 unit 0: its pre-activation reaches -1, below the interval [-1/2, 1]'

    Notes
    -----
    Each entry costs a few exact minima over the box; a ``refute`` entry
    also bounds every relaxed unit by substituting back through the layers
    below it, about ``units * layers * width`` integer products.
    """
    start = time.perf_counter()
    checker = _ProofChecker(_load(proof))
    try:
        checker.run()
        failure = None
    except _Invalid as err:
        failure = str(err)
    return ProofReport(failure, len(checker.cases), checker.checks,
                       round(time.perf_counter() - start, 6))


def _load(proof: str | os.PathLike[str] | dict[str, Any]) -> dict[str, Any]:
    data = load_json(proof, "proof")
    kind = data.get("format")
    if kind != PROOF_FORMAT:
        raise CertificateError(f"unknown proof format {show(kind)}, expected {PROOF_FORMAT!r}")
    require_keys(data, _PROOF_KEYS, "the proof")
    return data


# ------------------------------------------------------------------ affine functions, exactly


def _combine(terms: Sequence[tuple[Fraction, Sequence[Fraction]]], width: int) -> _Form:
    """``sum c * f`` of forms of `width` entries (terms with ``c = 0`` cost nothing)."""
    total = [_ZERO] * width
    for c, form in terms:
        if c:
            for i, v in enumerate(form):
                if v:
                    total[i] += c * v
    return tuple(total)


def _compose(piece: Sequence[Fraction], forms: Sequence[_Form]) -> _Form:
    """The piece ``b + w . y`` with ``y`` the affine functions `forms` of x."""
    width = len(forms[0])
    out = _combine(list(zip(piece[1:], forms)), width)
    return (out[0] + piece[0],) + out[1:]


def _scaled(form: Sequence[Fraction]) -> _Scaled:
    den = lcm_den(form)
    return tuple(v.numerator * (den // v.denominator) for v in form), den


def _back_substitute(g: _Scaled, ups: Sequence[_Scaled], lows: Sequence[_Scaled]) -> _Scaled:
    """``g0 + sum_u g_u r_u`` with ``r_u`` the upper row of unit ``u`` where ``g_u > 0``, else its lower row.

    Each row is a function of the layer below, so the result is one: an upper
    bound of `g` wherever the rows bound the units. In integers: the rows are
    brought to the least common multiple of their denominators.
    """
    nums, den = g
    chosen = [(c, ups[u] if c > 0 else lows[u]) for u, c in enumerate(nums[1:]) if c]
    scale = 1
    for _, (_, d) in chosen:
        scale = scale * d // math.gcd(scale, d)
    total = [0] * len(ups[0][0])
    total[0] = nums[0] * scale
    for c, (row, d) in chosen:
        factor = c * (scale // d)
        for i, v in enumerate(row):
            if v:
                total[i] += factor * v
    common = math.gcd(den * scale, *total)
    return tuple(v // common for v in total), den * scale // common


def _minus(a: Sequence[Fraction], b: Sequence[Fraction]) -> _Form:
    return tuple(u - v for u, v in zip(a, b))


def _box_min(form: Sequence[Fraction], lo: Sequence[Fraction], hi: Sequence[Fraction]) -> Fraction:
    """The exact minimum of ``form . (1, x)`` over the box ``[lo, hi]``."""
    return form[0] + sum((min(a * low, a * high) for a, low, high in zip(form[1:], lo, hi) if a), _ZERO)


def _box_max(form: Sequence[Fraction], lo: Sequence[Fraction], hi: Sequence[Fraction]) -> Fraction:
    return -_box_min(tuple(-v for v in form), lo, hi)


# ------------------------------------------------------------------ the proof's property


class _Case:
    """One case: the box, the input rows (integer, with strictness) and the conjunctions."""

    __slots__ = ("lower", "upper", "inputs", "input_strict", "conjunctions")

    def __init__(self, spec: object, where: str, n: int, m: int) -> None:
        if not isinstance(spec, dict):
            raise CertificateError(f"{where} must be an object")
        require_keys(spec, ("lower", "upper", "input_constraints", "output"), where)
        self.lower = vector(spec["lower"], f"{where} lower corner", n)
        self.upper = vector(spec["upper"], f"{where} upper corner", n)
        rows = [_row(c, f"{where} input constraint {i}", n + 1)
                for i, c in enumerate(as_list(spec["input_constraints"], f"{where} input constraints"))]
        self.inputs = [r for r, _ in rows]
        self.input_strict = [s for _, s in rows]
        self.conjunctions = [
            [_row(c, f"{where} conjunction {i} row {j}", n + m + 1)
             for j, c in enumerate(as_list(conj, f"{where} conjunction {i}"))]
            for i, conj in enumerate(as_list(spec["output"], f"{where} output"))]


def _row(spec: object, where: str, length: int) -> tuple[tuple[int, ...], bool]:
    """An integer row and its strictness."""
    if not isinstance(spec, dict):
        raise CertificateError(f"{where} must be an object")
    require_keys(spec, ("row", "strict"), where)
    row = vector(spec["row"], f"{where}", length)
    if any(v.denominator != 1 for v in row):
        raise CertificateError(f"{where} must hold integers, got {show(spec['row'])}")
    if not isinstance(spec["strict"], bool):
        raise CertificateError(f"{where}'s strict must be true or false, got {show(spec['strict'])}")
    return tuple(int(v) for v in row), spec["strict"]


def _cases(spec: object, n: int, m: int) -> list[_Case]:
    if not isinstance(spec, dict):
        raise CertificateError("the proof's property must be an object")
    require_keys(spec, ("n_inputs", "n_outputs", "cases"), "the proof's property")
    if spec["n_inputs"] != n or spec["n_outputs"] != m or isinstance(spec["n_inputs"], bool):
        raise CertificateError(f"the property has {show(spec['n_inputs'])} inputs and "
                               f"{show(spec['n_outputs'])} outputs, the network {n} and {m}")
    return [_Case(c, f"property case {k}", n, m)
            for k, c in enumerate(as_list(spec["cases"], "the property's cases"))]


# ------------------------------------------------------------------ the walk


class _Node:
    """One node of a case's tree (mutable while its entries are applied, never shared)."""

    __slots__ = ("lo", "hi", "rows", "layer", "forms", "decided", "open")

    def __init__(self, box: tuple[list[Fraction], list[Fraction]], rows: list[tuple[int, ...]],
                 layer: int, forms: list[_Form], decided: dict[int, int], open_: set[int]) -> None:
        self.lo, self.hi = box
        self.rows, self.layer = rows, layer
        self.forms, self.decided, self.open = forms, decided, open_

    def child(self) -> "_Node":
        return _Node((list(self.lo), list(self.hi)), list(self.rows), self.layer, self.forms,
                     dict(self.decided), set(self.open))


class _ProofChecker:
    def __init__(self, data: dict[str, Any]) -> None:
        self.n, self.layers = network_units(data["network"])
        if self.layers[-1][0] != "linear":
            raise CertificateError("the proof's network must end with a linear layer")
        self.last = len(self.layers) - 1
        self.m = len(self.layers[-1][1])
        self.cases = _cases(data["property"], self.n, self.m)
        trees = as_list(data["cases"], "the proof's cases", len(self.cases))
        self.trees = [_tree(t, k) for k, t in enumerate(trees)]
        self.checks = dict.fromkeys(_ENTRY_KEYS, 0)

    def run(self) -> None:
        for k, (case, entries) in enumerate(zip(self.cases, self.trees)):
            _CaseWalk(self, k, case).run(entries)


def _tree(spec: object, k: int) -> list[Any]:
    if not isinstance(spec, dict):
        raise CertificateError(f"the proof's case {k} must be an object")
    require_keys(spec, ("case", "nodes"), f"the proof's case {k}")
    if spec["case"] != k or isinstance(spec["case"], bool):
        raise CertificateError(f"the proof's case {k} is numbered {show(spec['case'])}")
    return as_list(spec["nodes"], f"the proof's case {k} nodes")


class _CaseWalk:
    """The depth-first walk of one case's tree, applying its entries in order."""

    def __init__(self, checker: _ProofChecker, k: int, case: _Case) -> None:
        self.checker, self.k, self.case = checker, k, case
        n = checker.n
        identity = [tuple(Fraction(int(i == j)) for i in range(n + 1)) for j in range(1, n + 1)]
        self.root = _Node((list(case.lower), list(case.upper)), list(case.inputs), 0, identity, {},
                          set(range(len(case.conjunctions))))

    def run(self, entries: list[Any]) -> None:
        stack, position = [self.root], 0
        while stack:
            node = stack.pop()
            while True:
                self.advance(node)
                if not node.open:
                    break
                if position == len(entries):
                    raise _Invalid(f"case {self.k}: the entries end with a node at layer {node.layer} "
                                   f"where conjunctions {sorted(node.open)} are not refuted")
                children = self.apply(node, entries[position], position)
                position += 1
                if children is not None:
                    stack.extend(reversed(children))
                    break
        if position < len(entries):
            raise _Invalid(f"case {self.k}, entry {position}: every node is closed before it "
                           f"({len(entries) - position} entries left over)")

    def advance(self, node: _Node) -> None:
        """Move to the next layer while every unit of a hidden layer is decided."""
        while node.layer < self.checker.last:
            units = self.checker.layers[node.layer][1]
            if len(node.decided) < len(units):
                return
            node.forms = [_compose(units[u][node.decided[u]], node.forms) for u in range(len(units))]
            node.layer += 1
            node.decided = {}

    def apply(self, node: _Node, entry: object, position: int) -> list[_Node] | None:
        """Check one entry on the node; its children when it splits the node."""
        kind = _entry_kind(entry)
        where = f"case {self.k}, entry {position}" + (f" ({kind})" if kind else "")
        try:
            if kind is None:
                raise _Invalid(f"an entry must be an object with one of the keys "
                               f"{', '.join(_ENTRY_KEYS)}, got {show(entry)}")
            assert isinstance(entry, dict)
            require_keys(entry, _ENTRY_KEYS[kind], "the entry")
            self.checker.checks[kind] += 1
            return _ENTRY_CHECKS[kind](self, node, entry)
        except (_Invalid, CertificateError) as err:
            raise _Invalid(f"{where}: {err}") from None

    # -- reading an entry's parts

    def layer_index(self, value: object, node: _Node) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or value != node.layer:
            raise _Invalid(f"layer {show(value)} is not the node's current layer {node.layer}")
        if value == self.checker.last:
            raise _Invalid(f"layer {value} is the output layer, whose units have no pattern")
        return value

    def unit_index(self, value: object, node: _Node) -> int:
        units = self.checker.layers[node.layer][1]
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < len(units):
            raise _Invalid(f"layer {node.layer} has no unit {show(value)}")
        if value in node.decided:
            raise _Invalid(f"layer {node.layer} unit {value} is decided already")
        return value

    def pieces(self, node: _Node, u: int) -> list[_Form]:
        """The pieces of unit `u` of the node's layer as affine functions of x."""
        return [_compose(p, node.forms) for p in self.checker.layers[node.layer][1][u]]

    def weighted_rows(self, values: object, node: _Node, what: str) -> list[tuple[Fraction, _Form]]:
        """Multipliers of the node's rows, checked non-negative, paired with the rows."""
        mu = _multipliers(values, len(node.rows), what)
        return [(w, tuple(Fraction(v) for v in r)) for w, r in zip(mu, node.rows)]


def _entry_kind(entry: object) -> str | None:
    if not isinstance(entry, dict):
        return None
    kinds = [k for k in _ENTRY_KEYS if k in entry]
    return kinds[0] if len(kinds) == 1 else None


def _multipliers(values: object, length: int, what: str) -> tuple[Fraction, ...]:
    mu = vector(values, what, length)
    for i, v in enumerate(mu):
        if v < 0:
            raise _Invalid(f"{what}: multiplier {i} is negative ({show(v)})")
    return mu


def _index(value: object, length: int, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < length:
        raise _Invalid(f"{what} {show(value)} is out of range (0 to {length - 1})")
    return value


def _pair(value: object, what: str) -> list[Any]:
    return as_list(value, what, 2)


# ------------------------------------------------------------------ the entries


def _check_stable(walk: _CaseWalk, node: _Node, entry: dict[str, Any]) -> None:
    """Units that take one piece on all of the node: by the box alone, or with multipliers."""
    walk.layer_index(entry["stable"], node)
    for item in as_list(entry["units"], "units"):
        u, k, mu = as_list(item, "a unit of the entry", 3)
        u = walk.unit_index(u, node)
        pieces = walk.pieces(node, u)
        k = _index(k, len(pieces), f"unit {u}'s piece")
        if mu is None:
            for j, other in enumerate(pieces):
                low = _box_min(_minus(pieces[k], other), node.lo, node.hi) if j != k else _ZERO
                if low < 0:
                    raise _Invalid(f"unit {u}: piece {k} minus piece {j} reaches {show(low)} "
                                   f"on the box")
        else:
            if len(pieces) != 2:
                raise _Invalid(f"unit {u} has {len(pieces)} pieces: multipliers prove two only")
            weights = walk.weighted_rows(as_list(mu, f"unit {u}'s mu", 1)[0], node, f"unit {u}'s mu")
            diff = _minus(pieces[k], pieces[1 - k])
            low = _box_min(_combine([(Fraction(1), diff)] + [(-w, r) for w, r in weights],
                                    len(diff)), node.lo, node.hi)
            if low < 0:
                raise _Invalid(f"unit {u}: piece {k} minus piece {1 - k} less the weighted rows "
                               f"reaches {show(low)} on the box")
        node.decided[u] = k


def _check_box(walk: _CaseWalk, node: _Node, entry: dict[str, Any]) -> None:
    """Sides of the box moved in: ``s x_i - sum mu h >= s v`` on the box before the entry."""
    lo, hi = list(node.lo), list(node.hi)
    for item in as_list(entry["box"], "box"):
        i, s, v, mu = as_list(item, "a side of the entry", 4)
        i = _index(i, walk.checker.n, "input")
        if s not in (1, -1) or isinstance(s, bool):
            raise _Invalid(f"side {show(s)} of input {i} is neither 1 nor -1")
        v = number(v, f"input {i}'s bound")
        axis = tuple(Fraction(s * int(j == i + 1)) for j in range(walk.checker.n + 1))
        weights = walk.weighted_rows(mu, node, f"input {i}'s mu")
        low = _box_min(_combine([(Fraction(1), axis)] + [(-w, r) for w, r in weights], len(axis)),
                       lo, hi)
        if low < s * v:
            raise _Invalid(f"input {i}: {'x' if s == 1 else '-x'}_{i} less the weighted rows "
                           f"reaches {show(low)} on the box, below {show(s * v)}")
        if s == 1:
            node.lo[i] = max(node.lo[i], v)
        else:
            node.hi[i] = min(node.hi[i], v)


def _check_bisect(walk: _CaseWalk, node: _Node, entry: dict[str, Any]) -> list[_Node]:
    """Two children: the box below ``x_i = v``, then above."""
    i, v = _pair(entry["bisect"], "bisect")
    i = _index(i, walk.checker.n, "input")
    v = number(v, "the bisection point")
    if not node.lo[i] < v < node.hi[i]:
        raise _Invalid(f"{show(v)} is not strictly inside input {i}'s range "
                       f"[{show(node.lo[i])}, {show(node.hi[i])}]")
    below, above = node.child(), node.child()
    below.hi[i], above.lo[i] = v, v
    return [below, above]


def _check_split(walk: _CaseWalk, node: _Node, entry: dict[str, Any]) -> list[_Node]:
    """One child per piece ``k`` of the unit, with the rows ``p_k - p_j >= 0``."""
    layer, u = _pair(entry["split"], "split")
    walk.layer_index(layer, node)
    u = walk.unit_index(u, node)
    pieces = walk.pieces(node, u)
    children = []
    for k, piece in enumerate(pieces):
        child = node.child()
        child.rows += [integer_row(_minus(piece, other)) for j, other in enumerate(pieces) if j != k]
        child.decided[u] = k
        children.append(child)
    return children


def _check_refute(walk: _CaseWalk, node: _Node, entry: dict[str, Any]) -> None:
    """Conjunctions refuted by the relaxation's upper bounds of their rows and multipliers."""
    relaxation = _Relaxation(walk.checker, node, entry["codes"], entry["intervals"])
    n = walk.checker.n
    for item in as_list(entry["refute"], "refute"):
        if not isinstance(item, dict):
            raise CertificateError(f"a refutation must be an object, got {show(item)}")
        require_keys(item, ("conjunction", "y", "mu"), "a refutation")
        i = _open_conjunction(item["conjunction"], node)
        rows = walk.case.conjunctions[i]
        y = _multipliers(item["y"], len(rows), f"conjunction {i}'s y")
        terms = [(w, relaxation.row_upper(row)) for w, (row, _) in zip(y, rows) if w]
        terms += walk.weighted_rows(item["mu"], node, f"conjunction {i}'s mu")
        top = _box_max(_combine(terms, n + 1), node.lo, node.hi)
        if top >= 0:
            raise _Invalid(f"conjunction {i}: the weighted bound reaches {show(top)} on the box, "
                           f"not below 0")
        node.open.discard(i)


def _open_conjunction(value: object, node: _Node) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value not in node.open:
        raise _Invalid(f"conjunction {show(value)} is not an open conjunction of the node "
                       f"(open: {sorted(node.open)})")
    return value


def _check_exact(walk: _CaseWalk, node: _Node, entry: dict[str, Any]) -> None:
    """Conjunctions refuted where the outputs are exact: a Motzkin certificate over their rows."""
    checker = walk.checker
    if node.layer != checker.last:
        raise _Invalid(f"the node is at layer {node.layer}: exact refutations need every hidden "
                       f"unit decided")
    outputs = [_compose(unit[0], node.forms) for unit in checker.layers[-1][1]]
    strict_inputs = walk.case.input_strict + [False] * (len(node.rows) - len(walk.case.inputs))
    for item in as_list(entry["exact"], "exact"):
        if not isinstance(item, dict):
            raise CertificateError(f"a refutation must be an object, got {show(item)}")
        require_keys(item, ("conjunction", "weights"), "an exact refutation")
        i = _open_conjunction(item["conjunction"], node)
        conj = walk.case.conjunctions[i]
        rows = [_exact_row(row, outputs, checker.n) for row, _ in conj] + list(node.rows)
        strict = [s for _, s in conj] + strict_inputs
        weights = _multipliers(item["weights"], len(rows), f"conjunction {i}'s weights")
        top = _box_max(_combine([(w, tuple(map(Fraction, r))) for w, r in zip(weights, rows)],
                                checker.n + 1), node.lo, node.hi)
        if not (top < 0 or (top == 0 and any(w and s for w, s in zip(weights, strict)))):
            raise _Invalid(f"conjunction {i}: the weighted rows reach {show(top)} on the box"
                           + ("" if top > 0 else " with no strict row of positive weight"))
        node.open.discard(i)


def _exact_row(row: Sequence[int], outputs: Sequence[_Form], n: int) -> tuple[int, ...]:
    """The primitive integer row over ``(1, x)`` of ``c0 + cx . x + cy . y`` with ``y`` exact."""
    direct = tuple(Fraction(v) for v in row[:n + 1])
    through = _combine(list(zip(map(Fraction, row[n + 1:]), outputs)), n + 1)
    return integer_row(tuple(a + b for a, b in zip(direct, through)))


_ENTRY_CHECKS = {"stable": _check_stable, "box": _check_box, "bisect": _check_bisect,
                 "split": _check_split, "refute": _check_refute, "exact": _check_exact}


# ------------------------------------------------------------------ the relaxation of a refute entry


class _Relaxation:
    """Upper and lower rows of every unit from the node's layer on, each proven on the node.

    ``steps[t]`` holds, for layer ``l0 + t``, each unit's upper and lower
    rows over ``(1, y)`` of that layer's input: valid bounds of the unit's
    output at every point of the node, by the checks of :meth:`_layer`.
    """

    def __init__(self, checker: _ProofChecker, node: _Node, codes: object, intervals: object) -> None:
        self.checker, self.node = checker, node
        self.l0 = node.layer
        codes = as_list(codes, "codes")
        hidden = checker.last - self.l0
        if self.l0 and codes and codes[0] == "." * len(checker.layers[self.l0 - 1][1]) \
                and len(codes) > hidden:
            # The code of the layer the node has just left, every unit decided: true of every
            # node past that layer, and nothing to check.
            codes = codes[1:]
        if len(codes) not in (hidden, hidden + 1) or (len(codes) > hidden and codes[-1] != ""):
            raise _Invalid(f"codes: expected one code per hidden layer from layer {self.l0} "
                           f"({hidden}), got {len(codes)}")
        self.intervals = iter(as_list(intervals, "intervals"))
        # The rows in integers over one denominator each: substituting them back is most of the
        # verifier's work, and integer products are several times cheaper than Fractions.
        self.inputs = [_scaled(f) for f in node.forms]
        self.steps: list[tuple[list[_Scaled], list[_Scaled]]] = []
        for t in range(hidden):
            ups, lows = self._layer(self.l0 + t, codes[t])
            self.steps.append(([_scaled(f) for f in ups], [_scaled(f) for f in lows]))
        if next(self.intervals, None) is not None:
            raise _Invalid("intervals: more intervals than relaxed units")

    def upper(self, g: Sequence[Fraction], layer: int) -> _Form:
        """An affine function of x above the function `g` of layer `layer`'s input, on the node."""
        scaled = _scaled(g)
        for t in range(layer - self.l0 - 1, -1, -1):
            scaled = _back_substitute(scaled, *self.steps[t])
        nums, den = _back_substitute(scaled, self.inputs, self.inputs)
        return tuple(Fraction(v, den) for v in nums)

    def lower(self, g: Sequence[Fraction], layer: int) -> _Form:
        return tuple(-v for v in self.upper(tuple(-v for v in g), layer))

    def row_upper(self, row: Sequence[int]) -> _Form:
        """An upper bound over x of the output row ``c0 + cx . x + cy . y`` on the node."""
        n, out = self.checker.n, self.checker.layers[-1][1]
        cy = [Fraction(v) for v in row[n + 1:]]
        g = _combine([(c, unit[0]) for c, unit in zip(cy, out)], len(out[0][0]))
        bound = self.upper((g[0] + row[0],) + g[1:], self.checker.last)
        return (bound[0],) + tuple(b + v for b, v in zip(bound[1:], row[1:n + 1]))

    def _layer(self, layer: int, code: object) -> tuple[list[_Form], list[_Form]]:
        units = self.checker.layers[layer][1]
        if not isinstance(code, str) or len(code) != len(units):
            if code == "" and all(len(unit) == 1 for unit in units):
                code = "0" * len(units)
            else:
                raise _Invalid(f"codes: layer {layer} needs one character per unit "
                               f"({len(units)}), got {show(code)}")
        ups, lows = [], []
        for u, (char, pieces) in enumerate(zip(code, units)):
            up, low = self._unit(layer, u, char, pieces)
            ups.append(up)
            lows.append(low)
        return ups, lows

    def _unit(self, layer: int, u: int, char: str, pieces: list[tuple[Fraction, ...]]
              ) -> tuple[_Form, _Form]:
        """A unit's upper and lower rows, once its code is proven."""
        where = f"layer {layer} unit {u}"
        decided = layer == self.l0 and u in self.node.decided
        if char == "." or decided:
            if not (char == "." and decided):
                raise _Invalid(f"codes: {where} is {'' if decided else 'not '}decided on the node, "
                               f"its code is {char!r}")
            piece = pieces[self.node.decided[u]]
            return piece, piece
        k = ord(char) - (ord("0") if char.isdigit() else ord("a"))
        if not char.isascii() or not char.isalnum() or not 0 <= k < len(pieces) \
                or (char.isalpha() and len(pieces) < 2):
            raise _Invalid(f"codes: {where} has {len(pieces)} pieces, no code {char!r}")
        if char.isdigit():
            self._prove_winner(layer, where, pieces, k)
            return pieces[k], pieces[k]
        return self._relaxed(layer, where, pieces), pieces[k]

    def _prove_winner(self, layer: int, where: str, pieces: list[tuple[Fraction, ...]], k: int) -> None:
        lo, hi = self.node.lo, self.node.hi
        for m, other in enumerate(pieces):
            if m != k:
                low = _box_min(self.lower(_minus(pieces[k], other), layer), lo, hi)
                if low < 0:
                    raise _Invalid(f"{where}: piece {k} minus piece {m} reaches {show(low)}, so "
                                   f"piece {k} is not proven to win")

    def _relaxed(self, layer: int, where: str, pieces: list[tuple[Fraction, ...]]) -> _Form:
        """The upper row of a relaxed unit: the chord over its interval, or the constant top."""
        lo_box, hi_box = self.node.lo, self.node.hi
        interval = next(self.intervals, None)
        if interval is None:
            raise _Invalid(f"intervals: none left for {where}")
        first, second = _pair(interval, f"{where}'s interval")
        if len(pieces) > 2:
            if first is not None:
                raise _Invalid(f"{where}'s interval must be [null, top] for {len(pieces)} pieces")
            top = number(second, f"{where}'s top")
            for m, piece in enumerate(pieces):
                reach = _box_max(self.upper(piece, layer), lo_box, hi_box)
                if reach > top:
                    raise _Invalid(f"{where}: piece {m} reaches {show(reach)}, above the top "
                                   f"{show(top)}")
            return (top,) + (_ZERO,) * (len(pieces[0]) - 1)
        lo, hi = number(first, f"{where}'s lower end"), number(second, f"{where}'s upper end")
        if not lo < 0 < hi:
            raise _Invalid(f"{where}'s interval [{show(lo)}, {show(hi)}] does not hold 0 inside")
        d = _minus(pieces[1], pieces[0])
        reach_lo = _box_min(self.lower(d, layer), lo_box, hi_box)
        reach_hi = _box_max(self.upper(d, layer), lo_box, hi_box)
        if reach_lo < lo or reach_hi > hi:
            reach, side = (reach_lo, "below") if reach_lo < lo else (reach_hi, "above")
            raise _Invalid(f"{where}: its pre-activation reaches {show(reach)}, {side} the interval "
                           f"[{show(lo)}, {show(hi)}]")
        lam = hi / (hi - lo)
        chord = _combine([(Fraction(1), pieces[0]), (lam, d)], len(d))
        return (chord[0] - lam * lo,) + chord[1:]
