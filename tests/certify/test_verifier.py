"""The independent verifier: it accepts what the engine writes and rejects every tampering."""

import copy
import json
import re
import subprocess
import sys
from fractions import Fraction

import pytest

from polyregions import (
    Box,
    CertificateError,
    MaxoutLayer,
    Network,
    PolytopeDomain,
    ReluLayer,
    Slice,
    WholeSpace,
    ball,
    enumerate_regions,
)
from polyregions.certify.certificate import certificate_dict
from polyregions.certify.verifier import verify_certificate
from tests.cli_helpers import run
from tests.isolation import run_without
from tests.networks import random_net

F = Fraction


net = random_net


# (name, network, domain): 1-D, 2-D, 3-D; every domain kind; every layer kind; degenerate ones.
BATTERY = [
    ("1d-relu-box", lambda: net(1, 1, [4], ["relu"], outputs=1), lambda: Box([-3], [3])),
    ("1d-maxout-whole", lambda: net(2, 1, [3], ["maxout"], rank=3), lambda: WholeSpace(1)),
    ("2d-relu-deep-box", lambda: net(3, 2, [4, 3], ["relu", "relu"], outputs=2),
     lambda: Box.cube(2, -2, 2)),
    ("2d-leaky-l1ball", lambda: net(4, 2, [4], ["leaky_relu"], outputs=2),
     lambda: ball([0, "1/2"], 2, norm="1")),
    ("2d-maxout-whole", lambda: net(5, 2, [3], ["maxout"], rank=3), lambda: WholeSpace(2)),
    ("2d-relu-whole-deep", lambda: net(6, 2, [3, 2], ["relu", "relu"]), lambda: WholeSpace(2)),
    ("2d-maxout-degenerate", lambda: net(7, 2, [4, 2], ["maxout", "maxout"], rank=3,
                                         degenerate=True), lambda: Box.cube(2, -2, 2)),
    ("2d-relu-degenerate", lambda: net(8, 2, [5], ["relu"], degenerate=True, outputs=2),
     lambda: Box.cube(2, -2, 2)),
    ("2d-triangle", lambda: net(9, 2, [3, 3], ["relu", "maxout"], rank=2),
     lambda: PolytopeDomain([[1, 1, 0], [1, 0, 1], [1, -1, -1]])),
    ("2d-halfplane", lambda: net(10, 2, [3], ["relu"]),
     lambda: PolytopeDomain([[1, 1, 1]])),
    ("3d-slice", lambda: net(11, 3, [4], ["maxout"], rank=2),
     lambda: Slice([0, 0, 0], [1, 0, "1/2"], [0, 1, 0], [-2, -2], [2, 2])),
    ("3d-relu-box", lambda: net(12, 3, [4], ["relu"], outputs=1), lambda: Box.cube(3, -1, 1)),
    ("3d-maxout-whole", lambda: net(13, 3, [3], ["maxout"], rank=2), lambda: WholeSpace(3)),
    ("duplicate-units", lambda: Network(2, [ReluLayer([[1, 0], [1, 0], [2, 0], [0, 1]],
                                                      [0, 0, 0, "1/3"])]),
     lambda: Box.cube(2, -1, 1)),
]


@pytest.fixture(scope="module")
def certs():
    return {name: certificate_dict(enumerate_regions(n(), d())) for name, n, d in BATTERY}


@pytest.mark.parametrize("name", [b[0] for b in BATTERY])
def test_verifier_accepts_engine_certificates(certs, name):
    report = verify_certificate(certs[name])
    assert report.ok, report.failure
    assert report.failure is None
    assert report.summary["count"] == certs[name]["count"] == len(certs[name]["regions"])
    assert report.summary["checks"]["volumes"] == certs[name]["count"]


def test_identical_pieces_tie_to_the_lowest_index():
    # Pieces 0 and 2 are the same function; piece 0 wins where they are the maximum.
    layer = MaxoutLayer([[[1, 0], [-1, 0], [1, 0]]], [[0, 0, 0]])
    cert = certificate_dict(enumerate_regions(Network(2, [layer]), Box.cube(2, -1, 1)))
    assert sorted(r["pattern"] for r in cert["regions"]) == [[[0]], [[1]]]
    assert verify_certificate(cert).ok
    bad = copy.deepcopy(cert)
    region = next(r for r in bad["regions"] if r["pattern"] == [[0]])
    region["pattern"] = [[2]]  # the higher index of two identical pieces never wins
    assert "same function as piece 0" in verify_certificate(bad).failure


# ---------------------------------------------------------------- tampering


@pytest.fixture(scope="module")
def base(certs):
    return certs["2d-relu-deep-box"]


def _failure(cert):
    report = verify_certificate(cert)
    assert not report.ok
    return report.failure


def _interior_slack(region, row):
    point = [F(v) for v in region["interior_point"]]
    b, *a = [F(v) for v in row]
    return b + sum(x * y for x, y in zip(a, point))


def test_region_removed_fails_coverage(base):
    cert = copy.deepcopy(base)
    del cert["regions"][3]
    cert["count"] -= 1
    failure = _failure(cert)
    assert failure.startswith("coverage:") and "domain's volume is 16" in failure


def test_region_removed_in_the_whole_space_fails_coverage(certs):
    cert = copy.deepcopy(certs["2d-maxout-whole"])
    del cert["regions"][0]
    cert["count"] -= 1
    assert _failure(cert).startswith("coverage: in the box")


def test_region_removed_without_fixing_the_count(base):
    cert = copy.deepcopy(base)
    cert["regions"].pop()
    assert _failure(cert).startswith("count: the certificate claims")


def test_region_duplicated(base):
    cert = copy.deepcopy(base)
    cert["regions"].append(copy.deepcopy(cert["regions"][2]))
    cert["count"] += 1
    n = len(cert["regions"]) - 1
    assert _failure(cert) == f"region {n}: distinct patterns: same pattern as region 2"


def test_pattern_altered(base):
    cert = copy.deepcopy(base)
    patterns = [r["pattern"] for r in cert["regions"]]
    # Flip one ReLU of region i so that the pattern is new (not another region's).
    for i, unit in ((i, u) for i in range(len(patterns)) for u in range(4)):
        flipped = copy.deepcopy(patterns[i])
        flipped[0][unit] = 1 - flipped[0][unit]
        if flipped not in patterns:
            break
    cert["regions"][i]["pattern"] = flipped
    assert _failure(cert).startswith(f"region {i}: pattern: at the interior point")


def test_pattern_with_a_missing_piece(base):
    cert = copy.deepcopy(base)
    cert["regions"][1]["pattern"][1][0] = 7  # a ReLU has pieces 0 and 1 only
    assert _failure(cert) == "region 1: pattern: layer 1 unit 0 has no piece 7"


def test_interior_point_moved_outside(base):
    cert = copy.deepcopy(base)
    cert["regions"][5]["interior_point"] = ["100", "100"]
    assert _failure(cert).startswith("region 5: interior point: not strictly inside")


def test_interior_point_moved_onto_a_facet(base):
    cert = copy.deepcopy(base)
    region = cert["regions"][5]
    b, a1, a2 = [F(v) for v in region["inequalities"][0]]
    point = [F(v) for v in region["interior_point"]]
    # Slide the point along the normal (a1, a2) until b + a . x = 0 exactly.
    t = -(b + a1 * point[0] + a2 * point[1]) / (a1 * a1 + a2 * a2)
    region["interior_point"] = [str(point[0] + t * a1), str(point[1] + t * a2)]
    assert _failure(cert) == "region 5: interior point: not strictly inside inequality 0"


def test_inequality_dropped(base):
    cert = copy.deepcopy(base)
    del cert["regions"][6]["inequalities"][0]
    assert _failure(cert).startswith("region 6: H-representation: a pattern or domain constraint")


def test_inequality_loosened(base):
    cert = copy.deepcopy(base)
    row = cert["regions"][6]["inequalities"][1]
    row[0] = str(F(row[0]) + 1)  # b + 1 + a . x >= 0 lets in points of other regions
    assert _failure(cert).startswith("region 6: H-representation: a pattern or domain constraint")


def test_inequality_tightened(base):
    cert = copy.deepcopy(base)
    region = cert["regions"][6]
    row = region["inequalities"][1]
    # Shift by half the slack at the interior point: the point stays strictly inside.
    row[0] = str(F(row[0]) - _interior_slack(region, row) / 2)
    assert _failure(cert) == ("region 6: H-representation: inequality 1 is not implied by the "
                              "pattern and the domain (it cuts off part of the region)")


def test_foreign_inequality_added(base):
    cert = copy.deepcopy(base)
    region = cert["regions"][6]
    point = [F(v) for v in region["interior_point"]]
    region["inequalities"].append([str(-point[0] + F(1, 10**6)), "1", "0"])  # x >= p_x - 1e-6
    assert "inequality" in _failure(cert) and _failure(cert).startswith("region 6: H-rep")


def test_volume_changed(base):
    cert = copy.deepcopy(base)
    region = cert["regions"][0]
    true = F(region["volume"])
    region["volume"] = str(true + F(1, 10**9))
    assert _failure(cert) == (f"region 0: volume: stated {true + F(1, 10**9)} but the listed "
                              f"polytope has volume {true}")


def test_volume_missing_on_a_bounded_region(base):
    cert = copy.deepcopy(base)
    cert["regions"][0]["volume"] = None
    assert _failure(cert).startswith("region 0: volume: stated null")


def test_network_weight_changed_after_certification(base):
    cert = copy.deepcopy(base)
    w = cert["network"]["layers"][0]["weights"][0]
    w[0] = str(F(w[0]) + F(1, 10**6))
    failure = _failure(cert)
    assert failure.startswith("region ")
    assert ": pattern:" in failure or ": H-representation:" in failure


def test_count_changed(base):
    cert = copy.deepcopy(base)
    cert["count"] += 1
    assert _failure(cert) == (f"count: the certificate claims {cert['count']} regions but lists "
                              f"{cert['count'] - 1}")


def test_bound_lowered(base):
    cert = copy.deepcopy(base)
    cert["max_regions_bound"] = str(cert["count"] - 1)
    assert _failure(cert).startswith("bound: the certificate states a maximum of")


def test_bound_exactness_flipped(base):
    # The 2-input, [4, 3] ReLU network's bound is not attained: bounds says it is not exact.
    cert = copy.deepcopy(base)
    assert cert["max_regions_bound_is_exact"] is False
    cert["max_regions_bound_is_exact"] = True
    assert _failure(cert) == (f"bound: the certificate states that the maximum "
                              f"{cert['max_regions_bound']} is exact but the theorem gives it as "
                              f"an upper bound only for this architecture")


def test_bound_exactness_kept_when_the_theorem_is_exact():
    # One ReLU unit on a line: at most 2 regions, and 2 are attained (bounds says exact).
    cert = certificate_dict(enumerate_regions(Network(1, [ReluLayer([[1]], [0])]), Box([-1], [1])))
    assert (cert["max_regions_bound"], cert["max_regions_bound_is_exact"]) == ("2", True)
    assert verify_certificate(cert).ok
    cert["max_regions_bound_is_exact"] = False
    assert _failure(cert) == ("bound: the certificate states that the maximum 2 is an upper bound "
                              "only but the theorem gives it as exact for this architecture")


@pytest.mark.parametrize("mutate, message", [
    # Every field the writer writes is required: without one, its claim would go unchecked.
    (lambda c: c.pop("max_regions_bound"), "the certificate has no 'max_regions_bound'"),
    (lambda c: c.pop("max_regions_bound_is_exact"),
     "the certificate has no 'max_regions_bound_is_exact'"),
    (lambda c: c["regions"][3].pop("volume"), "region 3 has no 'volume'"),
    (lambda c: c["domain"].pop("dim"), "the box domain has no 'dim'"),
    (lambda c: c["domain"].pop("input_dim"), "the box domain has no 'input_dim'"),
    (lambda c: c["domain"].pop("upper"), "the box domain has no 'upper'"),
    # Fields the writer never writes are claims no check covers.
    (lambda c: c.__setitem__("note", "x"), "the certificate has an unknown field 'note'"),
    (lambda c: c["regions"][1].__setitem__("label", 0), "region 1 has an unknown field 'label'"),
    (lambda c: c["domain"].__setitem__("radius", "1"),
     "the box domain has an unknown field 'radius'"),
    # The writer writes a number and a boolean there, always.
    (lambda c: c.__setitem__("max_regions_bound", None), "max_regions_bound must be a number"),
    (lambda c: c.__setitem__("max_regions_bound_is_exact", 10**30),
     "max_regions_bound_is_exact must be true or false, got 1000000000000000000000000000000"),
    (lambda c: c.__setitem__("max_regions_bound_is_exact", "false"),
     "max_regions_bound_is_exact must be true or false, got 'false'"),
    # A box's dim and input_dim are its corners' length and the network's inputs (2 here).
    (lambda c: c["domain"].__setitem__("dim", {"a": 1}),
     "the box domain's dim must be 2, got {'a': 1}"),
    (lambda c: c["domain"].__setitem__("dim", 3), "the box domain's dim must be 2, got 3"),
    (lambda c: c["domain"].__setitem__("dim", True), "the box domain's dim must be 2, got True"),
    (lambda c: c["domain"].__setitem__("dim", "2"), "the box domain's dim must be 2, got '2'"),
    (lambda c: c["domain"].__setitem__("input_dim", "1/0"),
     "the box domain's input_dim must be 2, got '1/0'"),
    (lambda c: c["domain"].__setitem__("input_dim", 1),
     "the box domain's input_dim must be 2, got 1"),
])
def test_missing_unknown_or_inconsistent_fields_are_malformed(base, mutate, message):
    cert = copy.deepcopy(base)
    mutate(cert)
    with pytest.raises(CertificateError, match=re.escape(message)):
        verify_certificate(cert)


@pytest.mark.parametrize("name, field, value, message", [
    # A slice: domain coordinates (s, t), so dim 2, in a network of 3 inputs.
    ("3d-slice", "dim", 3, "the slice domain's dim must be 2, got 3"),
    ("3d-slice", "input_dim", 2, "the slice domain's input_dim must be 3, got 2"),
    ("2d-triangle", "dim", 3, "the polytope domain's dim must be 2, got 3"),
    ("2d-triangle", "input_dim", 3, "the polytope domain's input_dim must be 2, got 3"),
    ("3d-maxout-whole", "input_dim", 2, "the whole_space domain's input_dim must be 3, got 2"),
    ("2d-halfplane", "lower", ["0", "0"], "the polytope domain has an unknown field 'lower'"),
])
def test_every_domain_kind_checks_its_fields(certs, name, field, value, message):
    cert = copy.deepcopy(certs[name])
    assert verify_certificate(cert).ok
    cert["domain"][field] = value
    with pytest.raises(CertificateError, match=re.escape(message)):
        verify_certificate(cert)


def test_cli_verify_exits_2_on_a_certificate_without_its_bound(base, tmp_path, capsys):
    cert = copy.deepcopy(base)
    del cert["max_regions_bound"]
    path = tmp_path / "cert.json"
    path.write_text(json.dumps(cert))
    status, out, err = run(["verify", str(path)], capsys)
    assert status == 2 and "no 'max_regions_bound'" in err and len(err.strip().splitlines()) == 1


def test_wrong_format_string(base):
    cert = copy.deepcopy(base)
    cert["format"] = "polyregions/certificate-v0"
    with pytest.raises(CertificateError, match="unknown certificate format"):
        verify_certificate(cert)


@pytest.mark.parametrize("mutate, message", [
    (lambda c: c["regions"][0].pop("interior_point"), "has no 'interior_point'"),
    (lambda c: c["regions"][0]["inequalities"][0].append("1"), "entries, expected 3"),
    (lambda c: c["regions"][0]["interior_point"].__setitem__(0, "one"), "exact number"),
    (lambda c: c["domain"].__setitem__("kind", "sphere"), "unknown domain kind"),
    (lambda c: c["domain"].__setitem__("kind", ["box"]), "unknown domain kind"),
    (lambda c: c.pop("network"), "has no 'network'"),
])
def test_malformed_certificates(base, mutate, message):
    cert = copy.deepcopy(base)
    mutate(cert)
    with pytest.raises(CertificateError, match=message):
        verify_certificate(cert)


def test_garbage_json(tmp_path):
    path = tmp_path / "cert.json"
    path.write_text("{not json")
    with pytest.raises(CertificateError, match="not valid JSON"):
        verify_certificate(path)
    with pytest.raises(CertificateError, match="not found"):
        verify_certificate(tmp_path / "missing.json")


def test_verification_reports_progress_region_by_region():
    # Three lines through 0 in the square: 6 regions, reported 1..6 of 6.
    net = Network(2, [ReluLayer([[1, 0], [0, 1], [1, 1]], [0, 0, 0])])
    calls = []
    report = verify_certificate(certificate_dict(enumerate_regions(net, Box.cube(2, -1, 1))),
                                progress=lambda n, total: calls.append((n, total)))
    assert report.ok and calls == [(n, 6) for n in range(1, 7)]


# Everything of the package but the leaves the verifier may use (errors, bounds).
_FORBIDDEN = ("geometry", "enumeration", "analysis", "params", "io", "cli", "domain", "network",
              "numbers", "immutable", "data")


def test_verifier_never_imports_the_engine():
    # Load polyregions.certify.verifier without the package __init__ (which imports the engine),
    # from this checkout, with every other part of the package made unimportable.
    body = """
from polyregions.certify.verifier import verify_certificate
import polyregions.certify.verifier as verifier
assert verifier.__file__.startswith(package), verifier.__file__
relu = {"type": "relu", "weights": [["1"]], "biases": ["0"]}
cert = {"format": "polyregions/certificate-v1",
        "network": {"input_dim": 1, "layers": [relu]},
        "domain": {"kind": "box", "lower": ["-1"], "upper": ["1"], "dim": 1, "input_dim": 1},
        "regions": [{"pattern": [[0]], "inequalities": [["0", "-1"], ["1", "1"]],
                     "interior_point": ["-1/2"], "volume": "1"},
                    {"pattern": [[1]], "inequalities": [["0", "1"], ["1", "-1"]],
                     "interior_point": ["1/2"], "volume": "1"}],
        "count": 2, "max_regions_bound": "2", "max_regions_bound_is_exact": True}
report = verify_certificate(cert)
assert report.ok, report.failure
# One ReLU on a line has at most 2 regions: a stated maximum of 3 is not the theorem's.
cert["max_regions_bound"] = "3"
print(verify_certificate(cert).failure)
print(sorted(m for m in sys.modules if m.startswith("polyregions") and sys.modules[m]))
"""
    failure, loaded = run_without(_FORBIDDEN, body).strip().splitlines()
    assert failure == ("bound: the certificate states a maximum of 3 but the theorem gives 2 "
                       "for this architecture")
    assert loaded == str(["polyregions", "polyregions.bounds", "polyregions.certify",
                          "polyregions.certify.parsing", "polyregions.certify.verifier",
                          "polyregions.errors"])


_BIG = 10 ** 40


@pytest.mark.parametrize("constraints, row, implied", [
    # four copies of one row with 40-digit entries (cddlib's exact LP cycled on them and aborted
    # the process), and a row they imply (their sum) or do not (its negation)
    ([(_BIG + 3, 3, _BIG - 2)] * 4 + [(1, 0, 0)], (4 * _BIG + 12, 12, 4 * _BIG - 8), True),
    ([(_BIG + 3, 3, _BIG - 2)] * 4 + [(1, 0, 0)], (-_BIG - 3, -3, 2 - _BIG), False),
    # rows with 81-digit entries, as aborted cddlib's LP too, over the unit square
    ([(5 * 10 ** 80 - 16, 5, -5 * 10 ** 80), (0, 1, 0), (1, -1, 0), (0, 0, 1), (1, 0, -1)],
     (5 * 10 ** 80 - 16, 5, -5 * 10 ** 80), True),
    ([(0, 1, 0), (1, -1, 0), (0, 0, 1), (1, 0, -1)], (1, -10 ** 81, 0), False),
])
def test_an_implied_inequality_is_decided_at_generators_in_a_process_that_survives(constraints, row,
                                                                                  implied):
    """P_J ⊆ Q is checked at P_J's exact generators, with no LP: the answer is exact whatever
    the size of the numbers, and the process lives (in a child, so an abort fails this test)."""

    code = ("from polyregions.certify.verifier import _generators, _holds_on; "
            f"print(_holds_on({row!r}, _generators({constraints!r}, 2)))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr[-300:]
    assert done.stdout.strip() == str(implied)
