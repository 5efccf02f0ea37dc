"""Certificates: the verifier accepts what the engine writes and rejects every tampering."""

import json
import re
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
from tests.networks import random_net

# Every test here runs on both kernel backends (tests/conftest.py).
pytestmark = pytest.mark.usefixtures("kernel_backend")

F = Fraction


net = random_net


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
    assert re.search(rf"^exact count / maximum +{count} / \d+ +\((upper bound|exact maximum)\)$",
                     out, re.M)  # nothing but bounds beside the count
    growth = out.index("\ngrowth forms, not bounds ")
    assert re.search(r"^  E\[regions\] ~ C x +\d", out[growth:], re.M)
    assert " upper: " not in out[growth:] and "growth" not in out[:growth]
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
