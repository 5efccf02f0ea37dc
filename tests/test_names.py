"""One name per thing: no public name defined twice, distinct file formats, no ignored parameter."""

import ast
import collections
import inspect
import json
import pathlib
import zipfile

import polyregions
from polyregions import Box, Network, ReluLayer, enumerate_regions, region_graph
from polyregions.analysis.genericity import genericity
from polyregions.bounds import architecture_max_regions, network_max_regions
from polyregions.certify.certificate import certificate_dict
from polyregions.domain import Domain, domain_from_spec
from polyregions.enumeration import stream
from polyregions.io.graph_file import write_graph

PACKAGE = pathlib.Path(polyregions.__file__).parent


def _top_level_definitions():
    """``name -> modules`` for every function and class defined at the top of a module."""
    where = collections.defaultdict(list)
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
                where[node.name].append(str(path.relative_to(PACKAGE)))
    return where


#: The shape of every subcommand module (cli/main.py's docstring): the same two names on purpose.
SUBCOMMAND_PROTOCOL = {"add_parser", "run"}


def test_no_public_name_is_defined_in_two_modules():
    # One module may define a name more than once (typing overloads); two modules may not,
    # except the two functions every subcommand module defines.
    twice = {name: sorted(set(modules)) for name, modules in _top_level_definitions().items()
             if not name.startswith("_") and len(set(modules)) > 1}
    protocol = {name: modules for name, modules in twice.items() if name in SUBCOMMAND_PROTOCOL}
    assert all(m.startswith("cli/") for modules in protocol.values() for m in modules)
    assert {name: m for name, m in twice.items() if name not in SUBCOMMAND_PROTOCOL} == {}


def test_the_checkers_have_distinct_names():
    checkers = {name: modules for name, modules in _top_level_definitions().items()
                if name.endswith("Checker")}
    assert all(len(modules) == 1 for modules in checkers.values()), checkers


def test_the_two_bounds_say_what_they_take():
    # One ReLU layer of 3 units in the plane: 1 + 3 + 3 regions at most (Zaslavsky), exactly.
    net = Network(2, [ReluLayer([[1, 0], [0, 1], [1, 1]], [0, 0, 1])])
    assert architecture_max_regions((2, 3), 2, relu=True) == (7, True)
    assert network_max_regions(net) == (7, True)
    cert = certificate_dict(enumerate_regions(net, Box.cube(2, -3, 3)))
    assert (cert["max_regions_bound"], cert["max_regions_bound_is_exact"]) == ("7", True)


def test_the_cdd_archive_and_the_region_stream_are_distinct_formats(tmp_path):
    net = Network(1, [ReluLayer([[1]], [0])])
    path = tmp_path / "regions.zip"
    write_graph(region_graph(enumerate_regions(net, Box([-1], [1]))), path)
    with zipfile.ZipFile(path) as archive:
        index = json.loads(archive.read("index.json"))
    # Region streams are polyregions/regions-v2 (and the older regions-v1, still read).
    assert index["format"] == "polyregions/cdd-archive-v1"
    assert stream.FORMAT == "polyregions/regions-v2"


def test_a_domain_has_one_description():
    box = Box.cube(2, "-1/2", 1)
    assert not hasattr(Domain, "describe")
    assert domain_from_spec(box.to_spec()).to_spec() == box.to_spec()


def test_genericity_takes_no_graph():
    # `regions`: the regions as the native helpers read them (analysis.maps.native_regions);
    # `layer_maps`: the native layer maps the output maps were composed with.
    assert list(inspect.signature(genericity).parameters) == ["result", "progress", "regions",
                                                              "layer_maps"]
