"""The proof verifier: hand-written proofs check, the search's proofs check, tampering is caught.

The hand-written proofs below are worked out in the comments (the oracle is the arithmetic);
the search's proofs are checked against the search's own answer, and a proof forged for a
property the network violates (an exact counterexample shows it) must never check.
"""

import copy
import json
import random

import pytest

from polyregions import LeakyReluLayer, LinearLayer, MaxoutLayer, Network, ReluLayer
from polyregions.certify.proof_verifier import PROOF_FORMAT, ProofReport, verify_proof
from polyregions.errors import CertificateError
from polyregions.io.vnnlib import parse_property
from polyregions.numbers import json_dumps
from polyregions.verification.search import check_property
from tests.cli_helpers import assert_one_line_error, run
from tests.isolation import run_without

# --------------------------------------------------------------------------- building proofs by hand


def relu(weights, biases):
    return {"type": "relu", "weights": weights, "biases": biases}


def linear(weights, biases):
    return {"type": "linear", "weights": weights, "biases": biases}


def row(values, strict=False):
    return {"row": [str(v) for v in values], "strict": strict}


def proof(layers, n_in, lower, upper, conjunctions, nodes, inputs=(), n_out=1):
    """A proof of one case (its box, input rows and conjunctions) with the entries `nodes`."""
    case = {"lower": lower, "upper": upper, "input_constraints": list(inputs),
            "output": conjunctions}
    return copy.deepcopy({
        "format": PROOF_FORMAT, "network": {"input_dim": n_in, "layers": layers},
        "property": {"n_inputs": n_in, "n_outputs": n_out, "cases": [case]},
        "cases": [{"case": 0, "nodes": nodes}]})


def refute(conjunction, y, mu, codes, intervals):
    return {"refute": [{"conjunction": conjunction, "y": y, "mu": mu}], "codes": codes,
            "intervals": intervals}


def exact(conjunction, weights):
    return {"exact": [{"conjunction": conjunction, "weights": weights}]}


# |x| = relu(x) + relu(-x) on [-1, 1].
ABS = [relu([["1"], ["-1"]], ["0", "0"]), linear([["1", "1"]], ["0"])]
BELOW_HALF = [[row([-1, 0, -2], strict=True)]]           # -1 - 2y > 0: y < -1/2
NEGATIVE = [[row([0, 0, -1], strict=True)]]              # -y > 0: y < 0, false only at a tie


def abs_relaxed():
    # Both units relaxed with d = +-x in [-1, 1], lower rows 0: U = -1 - 2 * 0 = -1 < 0.
    return proof(ABS, 1, ["-1"], ["1"], BELOW_HALF,
                 [refute(0, ["1"], [], ["aa", ""], [["-1", "1"], ["-1", "1"]])])


def abs_bisected():
    # Halves [-1, 0] and [0, 1]: the units are stable there (relu(x) is 0 on the left, x on the
    # right), so the codes are digits and the output -x or x is exact: U = -1 - 2|x| < 0.
    return proof(ABS, 1, ["-1"], ["1"], BELOW_HALF,
                 [{"bisect": [0, "0"]}, refute(0, ["1"], [], ["01"], []),
                  refute(0, ["1"], [], ["10"], [])])


def abs_split():
    """y < 0 is false exactly at x = 0 (y = 0): only exact leaves with a strict row refute it."""
    return proof(ABS, 1, ["-1"], ["1"], NEGATIVE, [
        {"split": [0, 0]},
        # child 0: relu(x) is off, the row 0 - x >= 0 is added: H = [(0, -1)]. Unit 1's piece 1
        # (-x) minus piece 0 (0), less 1 * (-x), is 0 >= 0 on the box.
        {"stable": 0, "units": [[1, 1, [["1"]]]]},
        # y = -x, the row -y > 0 is x > 0 (primitive (0, 1)); with H's -x: G = 0, strict.
        exact(0, ["1", "1"]),
        # child 1: H = [(0, 1)], x >= 0 moves the box's lower side to 0 (x - 1 * x >= 0) ...
        {"box": [[0, 1, "0", ["1"]]]},
        # ... where relu(-x) is off by the box alone: 0 - (-x) = x >= 0 on [0, 1].
        {"stable": 0, "units": [[1, 0, None]]},
        # y = x, the row is -x > 0; with H's x: G = 0, strict.
        exact(0, ["1", "1"]),
    ])


# relu(relu(x0) + relu(x1) - 1) on [0, 1]^2, which never exceeds 1.
TWO_LAYERS = [relu([["1", "0"], ["0", "1"]], ["0", "0"]), relu([["1", "1"]], ["-1"]),
              linear([["1"]], ["0"])]
AT_LEAST_3_HALVES = [[row([-3, 0, 0, 2])]]                # -3 + 2y >= 0: y >= 3/2


def two_layers():
    # Layer 0 is stable on the box (x_i >= 0: digits 1); layer 1's d = h0 + h1 - 1 lies in
    # [-1, 1]: the chord is (d + 1) / 2 = (x0 + x1) / 2, so U = -3 + (x0 + x1) <= -1 < 0.
    return proof(TWO_LAYERS, 2, ["0", "0"], ["1", "1"], AT_LEAST_3_HALVES,
                 [refute(0, ["1"], [], ["11", "a"], [["-1", "1"]])])


# Leaky ReLU with slope 1/4 on [-1, 1]: pieces x/4 and x.
LEAKY = [{"type": "leaky_relu", "slope": "1/4", "weights": [["1"]], "biases": ["0"]},
         linear([["1"]], ["0"])]


def leaky_relaxed():
    # d = 3x/4 in [-3/4, 3/4]; the lower piece x/4: U = -1 - 2 * x/4 <= -1/2 < 0.
    return proof(LEAKY, 1, ["-1"], ["1"], BELOW_HALF,
                 [refute(0, ["1"], [], ["a", ""], [["-3/4", "3/4"]])])


def leaky_split():
    """y > -1/4 fails only at x = -1 (y = -1/4): -1 - 4y > 0 refuted on each piece exactly."""
    return proof(LEAKY, 1, ["-1"], ["1"], [[row([-1, 0, -4], strict=True)]], [
        {"split": [0, 0]},
        # child 0, H = [(0, -1)] (x/4 - x >= 0, primitive): y = x/4, the row is -1 - x; its
        # maximum over the box is 0, at x = -1, and the row is strict.
        exact(0, ["1", "0"]),
        # child 1, H = [(0, 1)]: y = x, the row -1 - 4x plus 4 x is -1 < 0.
        exact(0, ["1", "4"]),
    ])


# max(x, -x, 1/2) on [-1, 1], at least 1/2 everywhere.
MAXOUT = [{"type": "maxout", "weights": [[["1"], ["-1"], ["0"]]], "biases": [["0", "0", "1/2"]]},
          linear([["1"]], ["0"])]


def maxout_relaxed():
    # Lower piece c (the constant 1/2) and top 1 (every piece is at most 1 on the box):
    # y < 1/4 is -1 - 4y > 0 with U = -1 - 4 * 1/2 = -3 < 0.
    return proof(MAXOUT, 1, ["-1"], ["1"], [[row([-1, 0, -4], strict=True)]],
                 [refute(0, ["1"], [], ["c", ""], [[None, "1"]])])


def maxout_split():
    """y < 1/2 is false with y = 1/2 on [-1/2, 1/2]: split into the three pieces, exactly."""
    return proof(MAXOUT, 1, ["-1"], ["1"], [[row([1, 0, -2], strict=True)]], [
        {"split": [0, 0]},
        # piece 0 (x): H = [(0, 1), (-1, 2)] (2x >= 0 and x - 1/2 >= 0); the row 1 - 2x plus
        # the second row is 0, with the strict row: refuted.
        exact(0, ["1", "0", "1"]),
        # piece 1 (-x): H = [(0, -1), (-1, -2)]; 1 + 2x plus the second row is 0.
        exact(0, ["1", "0", "1"]),
        # piece 2 (1/2): y = 1/2, the row is 0 > 0 (the zero row), false everywhere.
        exact(0, ["1", "0", "0"]),
    ])


HAND_WRITTEN = [abs_relaxed, abs_bisected, abs_split, two_layers, leaky_relaxed, leaky_split,
                maxout_relaxed, maxout_split]


@pytest.mark.parametrize("make", HAND_WRITTEN, ids=[f.__name__ for f in HAND_WRITTEN])
def test_hand_written_proofs_check(make):
    report = verify_proof(make())
    assert report.valid, report.failure
    assert report.failure is None and report.cases == 1
    assert report.entries == len(make()["cases"][0]["nodes"])


def test_every_kind_of_entry_is_checked_by_the_hand_written_proofs():
    kinds = set()
    for make in HAND_WRITTEN:
        kinds |= {k for k, v in verify_proof(make()).checks.items() if v}
    assert kinds == {"stable", "box", "bisect", "split", "refute", "exact"}


def test_the_report_is_immutable():
    report = verify_proof(abs_relaxed())
    assert isinstance(report, ProofReport) and bool(report)
    with pytest.raises(AttributeError):
        report.valid = False


# --------------------------------------------------------------------------- tampering


def entry(p, index):
    return p["cases"][0]["nodes"][index]


def nodes(p):
    return p["cases"][0]["nodes"]


def _set(path, value):
    def tamper(p):
        target = p
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value
    return tamper


NODES = ("cases", 0, "nodes")
TAMPERED = [
    # (name, proof, tampering, words of the failure)
    ("a multiplier y set to 0", abs_relaxed, _set(NODES + (0, "refute", 0, "y"), ["0"]),
     "case 0, entry 0 (refute): conjunction 0: the weighted bound reaches 0 on the box"),
    ("a negative multiplier", abs_relaxed, _set(NODES + (0, "refute", 0, "y"), ["-1"]),
     "conjunction 0's y: multiplier 0 is negative (-1)"),
    ("a multiplier of a split row", abs_split, _set(NODES + (1, "units", 0, 2), [["1/2"]]),
     "case 0, entry 1 (stable): unit 1: piece 1 minus piece 0 less the weighted rows reaches -1/2"),
    ("a negative box multiplier", abs_split, _set(NODES + (3, "box", 0, 3), ["-1"]),
     "multiplier 0 is negative"),
    ("a box side moved too far", abs_split, _set(NODES + (3, "box", 0, 2), "1/2"),
     "case 0, entry 3 (box): input 0: x_0 less the weighted rows reaches 0 on the box, below 1/2"),
    ("a narrower interval (low end)", two_layers,
     _set(NODES + (0, "intervals", 0), ["-1/2", "1"]),
     "layer 1 unit 0: its pre-activation reaches -1, below the interval [-1/2, 1]"),
    ("a narrower interval (high end)", two_layers,
     _set(NODES + (0, "intervals", 0), ["-1", "1/2"]),
     "layer 1 unit 0: its pre-activation reaches 1, above the interval [-1, 1/2]"),
    ("a wider interval, valid but too weak", two_layers,
     _set(NODES + (0, "intervals", 0), ["-1", "3"]),
     "conjunction 0: the weighted bound reaches 0 on the box, not below 0"),
    ("an interval without 0 inside", two_layers, _set(NODES + (0, "intervals", 0), ["1", "2"]),
     "does not hold 0 inside"),
    ("an interval missing", two_layers, _set(NODES + (0, "intervals"), []),
     "intervals: none left for layer 1 unit 0"),
    ("an interval too many", two_layers, _set(NODES + (0, "intervals"), [["-1", "1"]] * 2),
     "more intervals than relaxed units"),
    ("a top too low", maxout_relaxed, _set(NODES + (0, "intervals", 0), [None, "1/2"]),
     "layer 0 unit 0: piece 0 reaches 1, above the top 1/2"),
    ("a digit code that is not proven", two_layers, _set(NODES + (0, "codes", 0), "01"),
     "layer 0 unit 0: piece 0 minus piece 1 reaches -1, so piece 0 is not proven to win"),
    ("a relaxed unit claimed stable", two_layers, _set(NODES + (0, "codes", 1), "1"),
     "layer 1 unit 0: piece 1 minus piece 0 reaches -1"),
    ("another lower piece, too weak", abs_relaxed, _set(NODES + (0, "codes", 0), "ba"),
     "conjunction 0: the weighted bound reaches 1 on the box"),
    ("a maxout lower piece, too weak", maxout_relaxed, _set(NODES + (0, "codes", 0), "a"),
     "conjunction 0: the weighted bound reaches 3 on the box"),
    ("a code of no piece", abs_relaxed, _set(NODES + (0, "codes", 0), "az"), "no code 'z'"),
    ("a code string too short", abs_relaxed, _set(NODES + (0, "codes", 0), "a"),
     "codes: layer 0 needs one character per unit (2)"),
    ("a stable unit that is not", abs_split, _set(NODES + (4,), {"stable": 0, "units": [[1, 1, None]]}),
     "case 0, entry 4 (stable): unit 1: piece 1 minus piece 0 reaches -1 on the box"),
    ("a wrong layer index", abs_split, _set(NODES + (1, "stable"), 1),
     "case 0, entry 1 (stable): layer 1 is not the node's current layer 0"),
    ("a split of the output layer", abs_split, _set(NODES + (0, "split"), [1, 0]),
     "layer 1 is not the node's current layer 0"),
    ("a unit decided twice", abs_split,
     _set(NODES + (1, "units"), [[1, 1, [["1"]]], [1, 1, [["1"]]]]),
     "layer 0 unit 1 is decided already"),
    ("a bisection outside the box", abs_bisected, _set(NODES + (0, "bisect"), [0, "1"]),
     "1 is not strictly inside input 0's range [-1, 1]"),
    ("an exact weight lowered", leaky_split, _set(NODES + (2, "exact", 0, "weights"), ["1", "1"]),
     "case 0, entry 2 (exact): conjunction 0: the weighted rows reach 2 on the box"),
    ("an exact weight on a closed row only", leaky_split,
     _set(NODES + (1, "exact", 0, "weights"), ["0", "0"]),
     "case 0, entry 1 (exact): conjunction 0: the weighted rows reach 0 on the box with no strict "
     "row of positive weight"),
    ("an exact refutation before the leaf", abs_split, _set(NODES + (1,), exact(0, ["1", "1"])),
     "the node is at layer 0: exact refutations need every hidden unit decided"),
    ("a conjunction that does not exist", abs_relaxed,
     _set(NODES + (0, "refute", 0, "conjunction"), 1), "conjunction 1 is not an open conjunction"),
    ("an unknown key in an entry", abs_relaxed, _set(NODES + (0, "why"), "trust me"),
     "the entry has an unknown field 'why'"),
    ("a bad number", abs_relaxed, _set(NODES + (0, "refute", 0, "y"), ["one"]),
     "must be an exact number"),
]


@pytest.mark.parametrize("name, make, tamper, words", TAMPERED, ids=[t[0] for t in TAMPERED])
def test_tampered_proofs_are_rejected_naming_the_entry(name, make, tamper, words):
    p = make()
    assert verify_proof(p).valid
    tamper(p)
    report = verify_proof(p)
    assert not report.valid
    assert words in report.failure
    assert report.failure.startswith("case 0") and "\n" not in report.failure


def test_a_conjunction_claimed_refuted_without_evidence_leaves_the_node_open():
    p = abs_relaxed()
    entry(p, 0)["refute"] = []
    assert verify_proof(p).failure == ("case 0: the entries end with a node at layer 0 where "
                                       "conjunctions [0] are not refuted")


def test_a_dropped_entry_an_added_entry_and_swapped_children_are_rejected():
    p = abs_split()
    del nodes(p)[-1]                               # child 1's exact refutation dropped
    assert verify_proof(p).failure == ("case 0: the entries end with a node at layer 1 where "
                                       "conjunctions [0] are not refuted")
    p = abs_split()
    nodes(p).append(copy.deepcopy(nodes(p)[-1]))
    assert verify_proof(p).failure == ("case 0, entry 6: every node is closed before it "
                                       "(1 entries left over)")
    p = abs_split()
    nodes(p)[1:] = nodes(p)[3:] + nodes(p)[1:3]   # child 1's entries first
    assert verify_proof(p).failure == ("case 0, entry 1 (box): input 0: x_0 less the weighted rows "
                                       "reaches -2 on the box, below 0")
    p = abs_bisected()
    nodes(p)[1:] = nodes(p)[2:0:-1]
    assert verify_proof(p).failure.startswith("case 0, entry 1 (refute): layer 0 unit 0: piece 1 "
                                              "minus piece 0 reaches -1")


def test_a_changed_network_weight_or_property_box_is_caught():
    p = two_layers()
    p["network"]["layers"][1]["weights"] = [["2", "1"]]    # d = 2 h0 + h1 - 1 reaches 2
    assert "reaches 2, above the interval [-1, 1]" in verify_proof(p).failure
    p = two_layers()
    p["property"]["cases"][0]["upper"] = ["2", "1"]         # x0 up to 2: d reaches 2 again
    assert "reaches 2, above the interval [-1, 1]" in verify_proof(p).failure


def test_a_proof_never_checks_for_a_property_the_network_violates():
    # |x| >= 1/2 holds at x = 1: the property "|x| < 1/2 nowhere" is violated (the search finds
    # the counterexample); no forged proof may check.
    text = ("(declare-const X_0 Real) (declare-const Y_0 Real) (assert (>= X_0 -1)) "
            "(assert (<= X_0 1)) (assert (>= Y_0 0.5))")
    network = Network(1, [ReluLayer([[1], [-1]], [0, 0]), LinearLayer([[1, 1]], [0])])
    found = check_property(network, parse_property(text))
    assert found.result == "violated" and network.evaluate(found.inputs)[0] >= 0.5
    violated = [[row([-1, 0, 2])]]                           # -1 + 2y >= 0
    forgeries = [
        [refute(0, ["1"], [], ["aa", ""], [["-1", "1"], ["-1", "1"]])],
        [refute(0, ["1"], [], ["aa", ""], [["-1", "1/10"], ["-1/10", "1"]])],
        [refute(0, ["1"], [], ["00", ""], [])],
        [refute(0, ["1"], [], ["01", ""], [])],
        [{"bisect": [0, "0"]}, refute(0, ["1"], [], ["01"], []), refute(0, ["1"], [], ["00"], [])],
        [{"stable": 0, "units": [[0, 0, None], [1, 0, None]]}, exact(0, ["1"])],
        [{"split": [0, 0]}, {"stable": 0, "units": [[1, 1, [["1"]]]]}, exact(0, ["1", "0"]),
         {"stable": 0, "units": [[1, 0, [["1"]]]]}, exact(0, ["1", "0"])],
        [{"box": [[0, -1, "1/4", []]]}, refute(0, ["1"], [], ["aa", ""], [["-1", "1"], ["-1", "1"]])],
    ]
    for nodes_ in forgeries:
        report = verify_proof(proof(ABS, 1, ["-1"], ["1"], violated, nodes_))
        assert not report.valid, nodes_


# --------------------------------------------------------------------------- the search's proofs


def _random_network(rng, kind, n):
    layers, width = [], n
    for _ in range(rng.choice([1, 2])):
        h = rng.randint(2, 4)
        weights = [[rng.randint(-4, 4) for _ in range(width)] for _ in range(h)]
        biases = [rng.randint(-3, 3) for _ in range(h)]
        if kind == "relu":
            layers.append(ReluLayer(weights, biases))
        elif kind == "leaky":
            layers.append(LeakyReluLayer("1/4", weights, biases))
        else:
            layers.append(MaxoutLayer([[[rng.randint(-4, 4) for _ in range(width)]
                                        for _ in range(3)] for _ in range(h)],
                                      [[rng.randint(-3, 3) for _ in range(3)] for _ in range(h)]))
        width = h
    layers.append(LinearLayer([[rng.randint(-3, 3) for _ in range(width)] for _ in range(2)],
                              [0, 1]))
    return Network(n, layers)


def _property(rng, n):
    names = "".join(f"(declare-const X_{i} Real)" for i in range(n))
    box = "".join(f"(assert (>= X_{i} -1)) (assert (<= X_{i} 1))" for i in range(n))
    extra = f"(assert (<= (+ X_0 X_{n - 1}) 0.5))" if rng.random() < 0.5 else ""
    c, d = rng.randint(-3, 25), rng.randint(-3, 25)
    return parse_property(
        f"{names} (declare-const Y_0 Real) (declare-const Y_1 Real) {box} {extra} "
        f"(assert (or (and (>= (- Y_0 Y_1) {c}) (> Y_0 -2)) (and (>= Y_1 {d}))))")


def _searched_proofs():
    """The search's proofs of `holds` on seeded random networks, through JSON."""
    found = []
    for seed in range(45):
        rng = random.Random(seed)
        kind = ("relu", "leaky", "maxout")[seed % 3]
        n = rng.choice([1, 2, 3])
        network, prop = _random_network(rng, kind, n), _property(rng, n)
        report = check_property(network, prop, proof=True)
        if report.result == "holds":
            found.append((seed, kind, json.loads(json_dumps(report.proof))))
    return found


SEARCHED = _searched_proofs()


def test_the_search_proves_some_of_each_kind():
    assert {kind for _, kind, _ in SEARCHED} == {"relu", "leaky", "maxout"}


@pytest.mark.parametrize("seed, kind, p", SEARCHED, ids=[f"{k}-{s}" for s, k, _ in SEARCHED])
def test_the_searchs_proofs_check(seed, kind, p):
    report = verify_proof(p)
    assert report.valid, report.failure
    assert report.cases == len(p["property"]["cases"])


def test_a_searchs_proof_with_exact_leaves_and_bisections_checks():
    # |x| < 0 is refuted only at the tie x = 0: exact leaves.
    net = Network(1, [ReluLayer([[1], [-1]], [0, 0]), LinearLayer([[1, 1]], [0])])
    text = ("(declare-const X_0 Real) (declare-const Y_0 Real) (assert (>= X_0 -1)) "
            "(assert (<= X_0 1)) (assert (< Y_0 0))")
    p = check_property(net, parse_property(text), proof=True).proof
    report = verify_proof(json.loads(json_dumps(p)))
    assert report.valid and report.checks["exact"] >= 1
    # A 2-D network with 2 x 20 units relaxed: the search bisects the box.
    rng = random.Random(1)
    layers, width = [], 2
    for h in (20, 20):
        layers.append(ReluLayer([[rng.randint(-4, 4) for _ in range(width)] for _ in range(h)],
                                [rng.randint(-3, 3) for _ in range(h)]))
        width = h
    layers.append(LinearLayer([[rng.randint(-3, 3) for _ in range(width)] for _ in range(2)],
                              [0, 1]))
    text = ("(declare-const X_0 Real) (declare-const X_1 Real) (declare-const Y_0 Real) "
            "(declare-const Y_1 Real) (assert (>= X_0 -1)) (assert (<= X_0 1)) "
            "(assert (>= X_1 -1)) (assert (<= X_1 1)) (assert (>= (- Y_0 Y_1) 105))")
    found = check_property(Network(2, layers), parse_property(text), proof=True)
    assert found.result == "holds"
    report = verify_proof(json.loads(json_dumps(found.proof)))
    assert report.valid and report.checks["bisect"] >= 1, report


def test_a_searchs_proof_of_two_cases_checks_each_case():
    # |x| on two input boxes, [-1, 0] and [0, 1], each with its own output bound: |x| <= 1 < 3/2.
    net = Network(1, [ReluLayer([[1], [-1]], [0, 0]), LinearLayer([[1, 1]], [0])])
    text = ("(declare-const X_0 Real) (declare-const Y_0 Real) (assert (or "
            "(and (>= X_0 -1) (<= X_0 0) (>= Y_0 1.5)) (and (>= X_0 0) (<= X_0 1) (>= Y_0 2))))")
    p = json.loads(json_dumps(check_property(net, parse_property(text), proof=True).proof))
    report = verify_proof(p)
    assert report.valid and report.cases == 2
    # The second case's entries still refute y >= 3/2 there, not y >= 1 (reached at x = 1).
    p["property"]["cases"][1]["output"][0][0]["row"] = ["-3", "0", "2"]
    assert verify_proof(p).valid
    p["property"]["cases"][1]["output"][0][0]["row"] = ["-1", "0", "1"]
    assert verify_proof(p).failure.startswith("case 1, entry 0 (refute): conjunction 0")


def _tamper_first(p, kind, change):
    for i, e in enumerate(p["cases"][0]["nodes"]):
        if kind in e:
            change(e)
            return i
    return None


def test_the_searchs_proofs_are_caught_when_tampered():
    caught = 0
    for _, _, original in SEARCHED:
        for kind, change in (
                ("refute", lambda e: e["refute"][0].update(y=["0"] * len(e["refute"][0]["y"]),
                                                           mu=["0"] * len(e["refute"][0]["mu"]))),
                ("refute", lambda e: e["refute"][0]["y"].__setitem__(0, "-1")),
                ("split", lambda e: e["split"].__setitem__(0, e["split"][0] + 1))):
            p = copy.deepcopy(original)
            if _tamper_first(p, kind, change) is not None:
                report = verify_proof(p)
                assert not report.valid, (kind, report)
                caught += 1
    assert caught >= 2 * len(SEARCHED)


def test_a_searchs_proof_fails_once_the_network_violates_the_property():
    # Shift the first output up by 1000: y0 - y1 >= c now holds everywhere, so the property
    # (no input with it) is violated; the proof of the unshifted network must fail.
    for _, _, original in SEARCHED:
        p = copy.deepcopy(original)
        p["network"]["layers"][-1]["biases"][0] = "1000"
        assert not verify_proof(p).valid


# --------------------------------------------------------------------------- reading, the command line


@pytest.mark.parametrize("change, words", [
    (lambda p: p.update(format="polyregions/proof-v2"), "unknown proof format"),
    (lambda p: p.pop("property"), "the proof has no 'property'"),
    (lambda p: p["property"].update(n_inputs=2), "the property has 2 inputs and 1 outputs"),
    (lambda p: p["cases"].append({"case": 1, "nodes": []}), "has 2 entries, expected 1"),
    (lambda p: p["cases"][0].update(case=3), "the proof's case 0 is numbered 3"),
    (lambda p: p["network"]["layers"].pop(), "must end with a linear layer"),
    (lambda p: p["property"]["cases"][0]["output"][0][0].update(row=["1/2", "0", "1"]),
     "must hold integers"),
])
def test_malformed_proofs_raise_a_certificate_error(change, words):
    p = abs_relaxed()
    change(p)
    with pytest.raises(CertificateError, match=words):
        verify_proof(p)


def test_verify_checks_a_proof_file_and_exits_by_its_validity(tmp_path, capsys):
    path = tmp_path / "proof.json"
    path.write_text(json.dumps(two_layers()))
    status, out, err = run(["verify", str(path)], capsys)
    assert status == 0 and err == ""
    assert "the property holds for the network" in out and "1 refute" in out
    status, out, _ = run(["verify", str(path), "--json"], capsys)
    summary = json.loads(out)
    assert status == 0 and summary["ok"] is True and summary["failure"] is None
    assert (summary["format"], summary["cases"], summary["entries"]) == (PROOF_FORMAT, 1, 1)
    tampered = two_layers()
    tampered["cases"][0]["nodes"][0]["intervals"] = [["-1/2", "1"]]
    path.write_text(json.dumps(tampered))
    status, out, err = run(["verify", str(path)], capsys)
    assert status == 1 and out == ""
    assert err == ("polyregions: verification failed: case 0, entry 0 (refute): layer 1 unit 0: "
                   "its pre-activation reaches -1, below the interval [-1/2, 1]\n")
    status, out, _ = run(["verify", str(path), "--json"], capsys)
    assert status == 1 and json.loads(out)["ok"] is False


def test_verify_refuses_a_malformed_proof_with_one_line(tmp_path, capsys):
    path = tmp_path / "proof.json"
    broken = two_layers()
    broken["network"]["layers"][0]["weights"] = [["x", "0"], ["0", "1"]]
    path.write_text(json.dumps(broken))
    status, out, err = run(["verify", str(path)], capsys)
    assert_one_line_error(status, out, err, "network layer 0 unit 0 weights must be an exact number")
    path.write_text("{")
    status, out, err = run(["verify", str(path)], capsys)
    assert_one_line_error(status, out, err, "is not valid JSON")


def test_a_proof_written_by_check_verifies(tmp_path, capsys):
    # check --certificate writes the proof of |x| >= 0 (with an exact leaf at the tie x = 0),
    # verify checks it; the same file with the network changed to -|x| is refused.
    model, prop, path = tmp_path / "abs.json", tmp_path / "p.vnnlib", tmp_path / "proof.json"
    model.write_text(json.dumps({"format": "polyregions/network-v1", "input_dim": 1,
                                 "layers": copy.deepcopy(ABS)}))
    prop.write_text("(declare-const X_0 Real) (declare-const Y_0 Real) (assert (>= X_0 -1)) "
                    "(assert (<= X_0 1)) (assert (< Y_0 0))")
    status, out, _ = run(["check", str(model), str(prop), "--certificate", str(path)], capsys)
    assert status == 0 and out.startswith("holds")
    status, out, _ = run(["verify", str(path)], capsys)
    assert status == 0 and "1 (every one closed on every leaf)" in out
    p = json.loads(path.read_text())
    p["network"]["layers"][-1]["weights"] = [["-1", "-1"]]
    path.write_text(json.dumps(p))
    status, out, err = run(["verify", str(path)], capsys)
    assert status == 1 and err.startswith("polyregions: verification failed: case 0, entry ")


# Everything of the package but the leaves the proof verifier may use (errors, immutable).
_FORBIDDEN = ("geometry", "enumeration", "analysis", "params", "io", "cli", "domain", "network",
              "numbers", "data", "bounds", "verification")


def test_the_proof_verifier_never_imports_the_engine_or_the_search():
    body = f"""
from polyregions.certify.proof_verifier import verify_proof
proof = json.loads({json.dumps(json.dumps(two_layers()))})
assert verify_proof(proof).valid
print(sorted(m for m in sys.modules if m.startswith("polyregions") and sys.modules[m]))
"""
    assert run_without(_FORBIDDEN, body).strip() == str([
        "polyregions", "polyregions.certify", "polyregions.certify.parsing",
        "polyregions.certify.proof_verifier", "polyregions.errors", "polyregions.immutable"])
