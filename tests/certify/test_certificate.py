"""Certificates: the verifier accepts what the engine writes and rejects every tampering."""

import copy
import json
import os
import re
import subprocess
import sys
from fractions import Fraction

import pytest

from polyregions import (
    Box,
    CertificateError,
    Network,
    PolytopeDomain,
    ReluLayer,
    Slice,
    WholeSpace,
    ball,
    enumerate_regions,
    save_network,
)
from polyregions.certify.certificate import CERTIFICATE_V1, certificate_dict, write_certificate
from polyregions.certify.verifier import verify_certificate
from polyregions.cli.main import main
from polyregions.domain import domain_from_spec
from tests.networks import random_network, to_network

F = Fraction


def net(seed, dim, widths, kinds, **kw):
    return to_network(random_network(seed, dim, widths, kinds, **kw), dim)


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
    from polyregions import MaxoutLayer

    layer = MaxoutLayer([[[1, 0], [-1, 0], [1, 0]]], [[0, 0, 0]])
    cert = certificate_dict(enumerate_regions(Network(2, [layer]), Box.cube(2, -1, 1)))
    assert sorted(r["pattern"] for r in cert["regions"]) == [[[0]], [[1]]]
    assert verify_certificate(cert).ok
    bad = copy.deepcopy(cert)
    region = next(r for r in bad["regions"] if r["pattern"] == [[0]])
    region["pattern"] = [[2]]  # the higher index of two identical pieces never wins
    assert "same function as piece 0" in verify_certificate(bad).failure


def test_certificate_file_and_fields(tmp_path):
    network = Network(2, [ReluLayer([[1, 0], [0, 1], [1, 1]], [0, 0, -1])])
    result = enumerate_regions(network, Box.cube(2, -1, 1))
    path = tmp_path / "cert.json"
    written = write_certificate(result, path)
    data = json.loads(path.read_text())
    assert data == written
    assert data["format"] == CERTIFICATE_V1
    assert data["count"] == len(data["regions"]) == 5
    # Three lines cut the square [-1, 1]^2 (area 4) into 5 pieces; volumes are exact strings.
    assert sum(F(r["volume"]) for r in data["regions"]) == 4
    assert all(isinstance(v, str) for r in data["regions"] for row in r["inequalities"] for v in row)
    # The arrangement of three lines in general position has at most 1 + 3 + 3 regions.
    assert data["max_regions_bound"] in (None, "7")
    assert verify_certificate(path).ok


def test_partial_results_are_refused():
    network = net(3, 2, [4, 3], ["relu", "relu"])
    partial = enumerate_regions(network, Box.cube(2, -2, 2), max_regions=2)
    assert not partial.complete
    with pytest.raises(CertificateError, match="partial"):
        certificate_dict(partial)


@pytest.mark.parametrize("domain", [
    Box(["-1/2", 0], [1, 3]),
    PolytopeDomain([[1, 1, 0], [1, 0, 1], [1, -1, -1]]),
    ball([1, 2, 3], "1/3", norm="1"),
    WholeSpace(4),
    Slice([0, 0, 0], [1, 0, 0], [0, 0, 2], [-1, -1], [1, "3/2"]),
])
def test_domain_spec_round_trip(domain):
    again = domain_from_spec(json.loads(json.dumps(domain.to_spec())))
    assert type(again) is type(domain)
    assert again.to_spec() == domain.to_spec()
    assert again.polytope == domain.polytope
    assert again.input_map() == domain.input_map()


def test_domain_spec_errors():
    from polyregions import DomainError

    with pytest.raises(DomainError, match="unknown domain kind"):
        domain_from_spec({"kind": "sphere"})
    with pytest.raises(DomainError, match="no 'upper'"):
        domain_from_spec({"kind": "box", "lower": [0]})


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
    if cert["max_regions_bound"] is None:
        pytest.skip("polyregions.bounds is not available")
    cert["max_regions_bound"] = str(cert["count"] - 1)
    assert _failure(cert).startswith("bound: the certificate states a maximum of")


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


def test_verifier_never_imports_the_engine():
    # Load polyregions.certify.verifier without the package __init__ (which imports the
    # engine) and with the engine's modules made unimportable.
    package = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    code = f"""
import sys, types
for name in ("engine", "polygon", "incidence", "screening", "complex", "polytope", "domain"):
    sys.modules["polyregions." + name] = None
pkg = types.ModuleType("polyregions")
pkg.__path__ = [{os.path.join(package, 'polyregions')!r}]
sys.modules["polyregions"] = pkg
from polyregions.certify.verifier import verify_certificate
cert = {{"format": "polyregions/certificate-v1",
        "network": {{"input_dim": 1, "layers": [{{"type": "relu", "weights": [["1"]], "biases": ["0"]}}]}},
        "domain": {{"kind": "box", "lower": ["-1"], "upper": ["1"]}},
        "regions": [{{"pattern": [[0]], "inequalities": [["0", "-1"], ["1", "1"]],
                     "interior_point": ["-1/2"], "volume": "1"}},
                    {{"pattern": [[1]], "inequalities": [["0", "1"], ["1", "-1"]],
                     "interior_point": ["1/2"], "volume": "1"}}],
        "count": 2, "max_regions_bound": None}}
report = verify_certificate(cert)
assert report.ok, report.failure
print("ok")
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "ok"


# ---------------------------------------------------------------- command line


@pytest.fixture
def model(tmp_path):
    path = tmp_path / "net.json"
    save_network(net(3, 2, [4, 3], ["relu", "relu"], outputs=2), path)
    return path


def test_cli_certify_then_verify(model, tmp_path, capsys):
    cert = tmp_path / "cert.json"
    assert main(["certify", str(model), "--box", "-2", "2", "-o", str(cert), "--report"]) == 0
    out = capsys.readouterr().out
    count = json.loads(cert.read_text())["count"]
    assert re.search(rf"^activation regions +{count}$", out, re.M)
    assert re.search(rf"^exact count / maximum +{count} / \d+", out, re.M)
    assert main(["verify", str(cert)]) == 0
    assert f"{count} regions" in capsys.readouterr().out
    assert main(["verify", str(cert), "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["ok"] is True and summary["count"] == count and summary["failure"] is None


def test_cli_verify_failure_exits_1(model, tmp_path, capsys):
    path = tmp_path / "cert.json"
    main(["certify", str(model), "--whole-space", "-o", str(path)])
    cert = json.loads(path.read_text())
    cert["regions"][0]["pattern"][0][0] = 1 - cert["regions"][0]["pattern"][0][0]
    path.write_text(json.dumps(cert))
    capsys.readouterr()
    assert main(["verify", str(path)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("polyregions: verification failed: region 0:")


@pytest.mark.parametrize("text", ["garbage", "[1, 2]", '{"format": "something-else"}'])
def test_cli_verify_malformed_exits_2(tmp_path, capsys, text):
    path = tmp_path / "cert.json"
    path.write_text(text)
    assert main(["verify", str(path)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("polyregions: error:")
    assert main(["verify", str(tmp_path / "missing.json")]) == 2


def test_cli_certify_refuses_partial_results(model, tmp_path, capsys):
    cert = tmp_path / "cert.json"
    assert main(["certify", str(model), "--box", "-2", "2", "-o", str(cert),
                 "--max-regions", "2"]) == 2
    assert "partial" in capsys.readouterr().err
    assert not cert.exists()


def test_verification_reports_progress_region_by_region():
    from polyregions import Box, Network, ReluLayer, enumerate_regions
    from polyregions.certify.certificate import certificate_dict
    from polyregions.certify.verifier import verify_certificate

    # Three lines through 0 in the square: 6 regions, reported 1..6 of 6.
    net = Network(2, [ReluLayer([[1, 0], [0, 1], [1, 1]], [0, 0, 0])])
    calls = []
    report = verify_certificate(certificate_dict(enumerate_regions(net, Box.cube(2, -1, 1))),
                                progress=lambda n, total: calls.append((n, total)))
    assert report.ok and calls == [(n, 6) for n in range(1, 7)]
