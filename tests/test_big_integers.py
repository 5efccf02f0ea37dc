"""Exact numbers of any length, end to end: models, certificates, streams, checkpoints, exports, JSON.

Python refuses ``str(n)`` and ``int(text)`` beyond 4300 digits by default. The
networks here are chosen so that the numbers written and read reach 5,000 and
50,000 digits, while every test stays well under a second or two.
"""

import json
import sys
import zipfile
from fractions import Fraction as F

import networkx as nx
import numpy as np
import pytest

from polyregions import (
    Box,
    Network,
    ReluLayer,
    enumerate_regions,
    iter_regions,
    load_network,
    load_polytope,
    save_network,
)
from polyregions.analysis.graph import region_graph
from polyregions.bounds import bounds_report, expected_regions_growth, report_to_json
from polyregions.certify.certificate import certificate_dict
from polyregions.certify.verifier import verify_certificate
from polyregions.enumeration.parallel import iter_regions_parallel
from polyregions.enumeration.stream import RegionWriter, read_regions
from polyregions.io.graph_file import read_graph, write_graph
from polyregions.numbers import (
    decimal_to_int,
    format_fraction,
    int_to_decimal,
    json_dumps,
    json_loads,
    to_fraction,
)
from tests.cli_helpers import run


def digits(n):
    return len(int_to_decimal(abs(n)))


def longest_integer(document):
    """The most digits of any integer in a JSON document (in "p/q" strings too)."""
    if isinstance(document, dict):
        return max(map(longest_integer, document.values()), default=0)
    if isinstance(document, list):
        return max(map(longest_integer, document), default=0)
    if isinstance(document, str) and document.lstrip("-").replace("/", "").isascii():
        parts = document.lstrip("-").split("/")
        return max(len(p) for p in parts) if all(p.isdigit() for p in parts) else 0
    return digits(document) if isinstance(document, int) and not isinstance(document, bool) else 0


def two_breakpoints(d):
    """relu(q1 x - p1), relu(q2 x - p2): breakpoints b1 = p1/q1 ~ 1/3 < b2 = p2/q2 ~ 1/2, d digits.

    In [0, 1] the regions are [0, b1], [b1, b2], [b2, 1], with exact lengths
    b1, b2 - b1 and 1 - b2 (denominators of up to 2 d digits).
    """
    p1, p2 = 10 ** (d - 1) + 7, 10 ** (d - 1) + 3
    q1, q2 = 3 * p1 + 1, 2 * p2 - 1
    net = Network(1, [ReluLayer([[q1], [q2]], [-p1, -p2])])
    return net, F(p1, q1), F(p2, q2)


@pytest.fixture(scope="module")
def long_model():
    """Numbers of 25,000 digits in the model, 50,000 in its certificate."""
    return two_breakpoints(25_000)


@pytest.fixture(scope="module")
def long_graph(long_model):
    return region_graph(enumerate_regions(long_model[0], Box([0], [1])))


# A [2, 3, 3, 3] ReLU network with weights scaled by 10^-150 .. 10^150 (floats, taken
# exactly). Its certificate holds an interior point with a 4354-digit integer: the
# certificates `verify` died on ("Exceeds the limit (4300 digits)").
SCALED = {"format": "polyregions/network-v1", "input_dim": 2, "layers": [
    {"type": "relu",
     "weights": [[-6.826779865523178e+133, 1.0461432923049026e+51],
                 [7.415884212884827e+48, 7.239565416499905e-117],
                 [1.6187762233340763e-102, -1.2055581426463289e+119]],
     "biases": [9.987636553170226e-11, -2.1947886270380248e-120, 4.958800664642217e+65]},
    {"type": "relu",
     "weights": [[-9.069432512592964e-74, 1.7753893872461409e+143, 8.868490764587924e+113],
                 [9.493494832580337e-60, -5.785496250096947e-133, 6.128622742800935e+108],
                 [6.578901620545003e+130, -3.444026664205632e-52, -4.9737203549585546e+44]],
     "biases": [-7.284177271834528e+140, 7.663277859454005e+87, -1.5960863337954335e+95]},
    {"type": "relu",
     "weights": [[-5.4593995569411076e+48, -1.35084714186579e-75, -1.442421188489701e-54],
                 [-2.476615092673674e+39, 1.9145583053805643e-100, -5.3377429592493445e+124],
                 [9.375617930346659e+82, 1.8196918381290934e+45, 4.089996944535953e+124]],
     "biases": [6.127474289476967e+66, -39106571676.09224, -19302874975.259846]}]}


def certify_and_verify(model_path, box, tmp_path, capsys):
    cert = tmp_path / "cert.json"
    status, out, err = run(["certify", str(model_path), "--box", *box, "-o", str(cert), "--json"],
                           capsys)
    assert (status, err) == (0, ""), err[:300]
    status, out, err = run(["verify", str(cert), "--json"], capsys)
    assert (status, err) == (0, ""), err[:300]
    return json_loads(cert.read_text()), json_loads(out)


# ---------------------------------------------------------------- certify, then verify


def test_certificates_of_a_model_scaled_by_1e150_verify(tmp_path, capsys):
    path = tmp_path / "scaled.json"
    path.write_text(json.dumps(SCALED))
    cert, report = certify_and_verify(path, ["-1", "1"], tmp_path, capsys)
    assert longest_integer(cert["regions"]) > 4300  # what made verify die
    assert report["ok"] and report["count"] == cert["count"] == len(cert["regions"])
    assert report["domain_volume"] == "4"  # [-1, 1]^2, and the regions' volumes sum to it


@pytest.mark.parametrize("d", [2_500, 25_000])  # certificates of 5,000 and 50,000 digits
def test_certificates_with_numbers_of_5000_and_50000_digits_verify(d, tmp_path, capsys):
    net, b1, b2 = two_breakpoints(d)
    path = tmp_path / "model.json"
    save_network(net, path)
    cert, report = certify_and_verify(path, ["0", "1"], tmp_path, capsys)
    assert report["ok"] and report["count"] == 3
    volumes = sorted(to_fraction(r["volume"]) for r in cert["regions"])
    assert volumes == sorted([b1, b2 - b1, 1 - b2])  # the three intervals, by hand
    assert longest_integer(cert["regions"]) >= 2 * d - 1


def test_a_domain_volume_beyond_4300_digits_is_reported_exactly(tmp_path, capsys):
    net, _, _ = two_breakpoints(10)
    path = tmp_path / "model.json"
    save_network(net, path)
    _, report = certify_and_verify(path, ["0", "1e4300"], tmp_path, capsys)
    assert report["domain_volume"] == "1" + "0" * 4300  # the length of [0, 10^4300]


def test_a_tampered_long_certificate_fails_with_a_short_message():
    net, _, _ = two_breakpoints(2_500)
    cert = certificate_dict(enumerate_regions(net, Box([0], [1])))
    cert["regions"][1]["volume"] = format_fraction(to_fraction(cert["regions"][1]["volume"]) + 1)
    report = verify_certificate(cert)
    assert not report.ok and report.failure.startswith("region 1: volume: stated ")
    assert "characters)" in report.failure and len(report.failure) < 300


# ---------------------------------------------------------------- models and domains


def test_json_models_hold_integer_literals_of_any_length(tmp_path):
    n = 10 ** 50_000 + 1
    text = ('{"format": "polyregions/network-v1", "input_dim": 1, "layers": [{"type": "relu", '
            f'"weights": [[{int_to_decimal(n)}]], "biases": ["-1/{int_to_decimal(n)}"]}}]}}')
    path = tmp_path / "model.json"
    path.write_text(text)
    net = load_network(path)
    assert net.layers[0].weights == ((n,),) and net.layers[0].biases == (F(-1, n),)
    save_network(net, tmp_path / "again.json")
    assert load_network(tmp_path / "again.json") == net


def test_npz_models_hold_number_strings_of_any_length(tmp_path):
    path = tmp_path / "model.npz"
    np.savez(path, input_dim=1, layer0_type="relu", layer0_weights=np.array([["7" * 50_000]]),
             layer0_biases=np.array(["-1/" + "3" * 5000]))
    layer = load_network(path).layers[0]
    assert layer.weights == ((decimal_to_int("7" * 50_000),),)
    assert layer.biases == (F(-1, decimal_to_int("3" * 5000)),)


def test_polytope_files_and_3d_regions_with_5000_digit_numbers(tmp_path, capsys):
    # The plane x1 = p/q (p, q of 5000 digits) cuts the cube [0, 1]^3 in two: 2 regions,
    # found by cddlib's double description in 3-D with 5000-digit vertex coordinates.
    p = 10 ** 4999 + 1
    q = 3 * p + 2
    model = tmp_path / "plane.json"
    model.write_text(json.dumps({"input_dim": 3, "layers": [
        {"type": "relu", "weights": [[int_to_decimal(q), 0, 0]], "biases": [int_to_decimal(-p)]}]}))
    status, out, err = run(["count", str(model), "--box", "0", "1", "--json"], capsys)
    assert (status, err) == (0, "")
    assert json.loads(out)["activation_regions"] == 2
    # The same cut as a polytope domain file, JSON and cddlib .ine: x1 <= p/q in [0, 1]^3.
    a = [[1, 0, 0], [-1, 0, 0], [0, 1, 0], [0, -1, 0], [0, 0, 1], [0, 0, -1]]
    polytope = tmp_path / "half.json"
    bound = format_fraction(F(p, q))
    polytope.write_text(f'{{"A": {json.dumps(a)}, "b": ["{bound}", 0, 1, 0, 1, 0]}}')
    ine = tmp_path / "half.ine"  # 0 <= x <= p/q: the rows p - q x >= 0 and x >= 0
    ine.write_text(f"H-representation\nbegin\n 2 2 rational\n {int_to_decimal(p)} "
                   f"{int_to_decimal(-q)}\n 0 1\nend\n")
    assert sorted(load_polytope(ine).polytope.vertices) == [(0,), (F(p, q),)]
    status, out, err = run(["count", str(model), "--polytope", str(polytope), "--json"], capsys)
    assert (status, err) == (0, "")
    assert json.loads(out)["activation_regions"] == 1  # the plane is the domain's facet


# ---------------------------------------------------------------- streams, checkpoints, exports


def same_regions(a, b):
    return [(r.pattern, r.polytope) for r in a] == [(r.pattern, r.polytope) for r in b]


def test_streams_round_trip_50000_digit_regions(long_model, tmp_path):
    net, _, _ = long_model
    box = Box([0], [1])
    path = tmp_path / "regions.jsonl"
    with RegionWriter(path, net, box) as writer:
        for region in iter_regions(net, box):
            writer.write(region)
    assert max(len(line) for line in path.read_text().splitlines()) > 50_000
    back = read_regions(path)
    assert back.complete and same_regions(back, enumerate_regions(net, box))
    assert back.network == net


def test_checkpoints_round_trip_50000_digit_regions(long_model, tmp_path):
    net, _, _ = long_model
    box = Box([0], [1])
    first = list(iter_regions_parallel(net, box, parts=2, checkpoint=tmp_path / "ckpt"))
    parts = sorted((tmp_path / "ckpt").glob("part-*.json"))
    assert parts and max(p.stat().st_size for p in parts) > 25_000
    resumed = list(iter_regions_parallel(net, box, parts=2, checkpoint=tmp_path / "ckpt"))
    assert same_regions(first, list(iter_regions(net, box))) and same_regions(resumed, first)


@pytest.mark.parametrize("suffix", [".json", ".graphml"])
def test_graph_exports_round_trip_50000_digit_regions(long_model, long_graph, tmp_path, suffix):
    _, b1, b2 = long_model
    graph = long_graph
    path = tmp_path / f"graph{suffix}"
    write_graph(graph, path)
    back = read_graph(path)
    assert nx.utils.graphs_equal(graph, back)
    assert sorted(v for _, v in back.nodes(data="volume")) == sorted([b1, b2 - b1, 1 - b2])


def test_zip_exports_write_cddlib_files_with_50000_digit_numbers(long_model, long_graph, tmp_path):
    _, b1, b2 = long_model
    write_graph(long_graph, tmp_path / "regions.zip")
    with zipfile.ZipFile(tmp_path / "regions.zip") as archive:
        names = sorted(n for n in archive.namelist() if n.endswith(".ine"))
        archive.extractall(tmp_path)
    intervals = sorted(sorted(load_polytope(tmp_path / n).polytope.vertices) for n in names)
    assert intervals == [[(0,), (b1,)], [(b1,), (b2,)], [(b2,), (1,)]]


# ---------------------------------------------------------------- command-line JSON output


def test_bounds_json_and_table_print_integers_beyond_4300_digits(capsys):
    widths = ",".join(["1"] * 2001)  # 2000 maxout layers of one unit of rank 1000
    expected = int(bounds_report([1] * 2001, 1000)["max_regions"])
    assert digits(expected) > 4300
    status, out, err = run(["bounds", "--widths", widths, "--rank", "1000", "--json"], capsys)
    assert (status, err) == (0, "")
    assert json_loads(out)["max_regions"] == expected
    status, out, err = run(["bounds", "--widths", widths, "--rank", "1000"], capsys)
    assert (status, err) == (0, "")
    assert int_to_decimal(expected) in out


def test_bounds_print_fractions_beyond_4300_digits(capsys):
    # n0 = 100000 inputs and 3 units: the growth form (K N)^(n0-1) C(K(n0-1), 2(n0-1)) / (n0-1)!
    # is a fraction whose denominator has about 400,000 digits, and it is tiny (float 0.0).
    # (3 units < n0 is outside the theorem, so a report leaves the form out; the printer is the
    # report's all the same.)
    growth = expected_regions_growth(100000, 2, 3)
    assert digits(int(growth.q)) > 4300
    data = json_loads(json_dumps(report_to_json({"expected_regions_growth": growth})))
    p, q = data["expected_regions_growth"].split("/")
    assert F(decimal_to_int(p), decimal_to_int(q)) == F(int(growth.p), int(growth.q))
    assert data["expected_regions_growth_float"] == 0.0
    status, out, err = run(["bounds", "--widths", "100000,3", "--json"], capsys)
    assert (status, err) == (0, "")
    assert json_loads(out)["expected_regions_growth"] is None


def test_no_conversion_changed_the_process_wide_digit_limit():
    assert sys.get_int_max_str_digits() == sys.int_info.default_max_str_digits
