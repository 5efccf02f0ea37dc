"""Errors by meaning: each raise names what went wrong, and causes are kept where they help."""

import ast
import os
import pathlib
import sys

import pytest

import polyregions
from polyregions import Box, LinearLayer, Network, ReluLayer, Slice, enumerate_regions
from polyregions.analysis.decision import decision_boundary
from polyregions.analysis.genericity import genericity
from polyregions.certify.certificate import write_certificate
from polyregions.enumeration.parallel import DaskExecutor, ProcessExecutor, iter_regions_parallel
from polyregions.errors import (
    CertificateError,
    DomainError,
    ExecutionError,
    ExportError,
    MissingDependencyError,
    PolyregionsError,
    TrainingError,
    UsageError,
)
from polyregions.io.graph_file import read_graph
from polyregions.params.constructions import max_regions_relu_layer
from polyregions.params.init import initialize, max_second_moment, maxout_he_std
from polyregions.params.sampling import sample_counts, summarize

PACKAGE = pathlib.Path(polyregions.__file__).parent
# Two lines through the origin: 4 regions of the square.
CROSS = Network(2, [ReluLayer([[1, 0], [0, 1]], [0, 0])])
ONE_OUTPUT = Network(2, [ReluLayer([[1, 0], [0, 1]], [0, 0]), LinearLayer([[1, 1]], [0])])
SQUARE = Box.cube(2, -1, 1)


def _bare_raises(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Raise) and node.exc is not None:
            exc = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
            if isinstance(exc, ast.Name) and exc.id == "PolyregionsError":
                yield f"{path.relative_to(PACKAGE.parent)}:{node.lineno}"


def test_no_module_raises_the_bare_base_class():
    found = [where for path in sorted(PACKAGE.rglob("*.py")) for where in _bare_raises(path)]
    assert found == []


def test_every_error_class_is_a_polyregions_error_and_training_error_lives_in_errors():
    assert TrainingError.__module__ == "polyregions.errors"
    assert issubclass(TrainingError, UsageError) and issubclass(UsageError, ValueError)
    assert issubclass(ExecutionError, RuntimeError) and issubclass(MissingDependencyError, ImportError)
    for cls in (TrainingError, UsageError, ExecutionError, MissingDependencyError):
        assert issubclass(cls, PolyregionsError)


@pytest.mark.parametrize("call, message", [
    (lambda: initialize((2, 3), kind="tanh"), "kind must be 'maxout' or 'relu'"),
    (lambda: initialize((2, 3), "relu", init="sphere"), "defined for maxout units only"),
    (lambda: initialize((2, 0)), "every entry >= 1"),
    (lambda: max_second_moment(0), "the rank K must be a positive integer"),
    (lambda: maxout_he_std(0, 2), "fan_in must be a positive integer"),
    (lambda: max_regions_relu_layer(0, 2), "n0 must be a positive integer"),
    (lambda: summarize([]), "no values to summarise"),
    (lambda: sample_counts((1, 3), "relu", domain=None), "needs a domain"),
    (lambda: sample_counts((1, 3), "relu", seeds=0, domain=Box([-1], [1])), "at least one seed"),
    (lambda: sample_counts((1, 3), "relu", domain=Box([-1], [1]), workers=0),
     "workers must be positive, got 0"),
    (lambda: genericity(enumerate_regions(CROSS, SQUARE, max_regions=1)), "complete enumeration"),
    (lambda: decision_boundary(enumerate_regions(ONE_OUTPUT, SQUARE)), "at least 2 outputs"),
])
def test_bad_arguments_are_usage_errors(call, message):
    with pytest.raises(UsageError, match=message):
        call()


def test_a_boundary_outside_the_plane_has_no_segments():
    # Logits relu(x1), relu(x2), relu(x3) in 3-D: a real boundary, but not 2-D.
    net = Network(3, [ReluLayer([[1, 0, 0], [0, 1, 0], [0, 0, 1]], [0, 0, 0]),
                      LinearLayer([[1, 0, 0], [0, 1, 0], [0, 0, 1]], [0, 0, 0])])
    boundary = decision_boundary(enumerate_regions(net, Box.cube(3, -1, 1)))
    with pytest.raises(DomainError, match="2-D domain"):
        boundary.segments_2d()
    # The same network on a 2-D slice draws segments.
    plane = Slice([0, 0, 0], [1, 0, 0], [0, 1, 0], [-1, -1], [1, 1])
    assert decision_boundary(enumerate_regions(net, plane)).segments_2d()


def test_a_checkpoint_of_another_network_is_a_usage_error(tmp_path):
    list(iter_regions_parallel(CROSS, SQUARE, checkpoint=tmp_path))
    other = Network(2, [ReluLayer([[1, 1]], [0])])
    with pytest.raises(UsageError, match="belongs to another network"):
        list(iter_regions_parallel(other, SQUARE, checkpoint=tmp_path))


def test_dask_without_distributed_is_a_missing_dependency(monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed now fails
    with pytest.raises(MissingDependencyError) as info:
        DaskExecutor()
    # Run from the source checkout: the command of its own venv, editable.
    assert str(info.value) == "running on dask needs distributed: .venv/bin/pip install -e '.[dask]'"


def test_the_install_command_follows_where_the_package_lives(monkeypatch, tmp_path):
    import polyregions.errors as errors
    root = pathlib.Path(polyregions.__file__).resolve().parent.parent
    assert (root / "setup.cfg").is_file()  # the suite runs from a source checkout
    assert errors.install_command("dask") == ".venv/bin/pip install -e '.[dask]'"
    monkeypatch.setattr(errors, "_CHECKOUT", tmp_path)  # an installed copy: no setup.cfg beside it
    assert errors.install_command("dask") == "pip install 'polyregions[dask]'"
    with pytest.raises(MissingDependencyError) as info:
        errors.require_extra("no_such_module_here", "plot", "drawing")
    assert str(info.value) == "drawing needs no_such_module_here: pip install 'polyregions[plot]'"


def _die(_):
    os._exit(3)


def test_dying_workers_are_an_execution_error_with_their_cause():
    executor = ProcessExecutor(1)
    try:
        with pytest.raises(ExecutionError, match="kept dying") as error:
            list(executor.map(_die, [0], retries=0))
    finally:
        executor.close()
    assert type(error.value.__cause__).__name__ == "BrokenProcessPool"


def test_file_errors_keep_their_cause(tmp_path):
    missing = tmp_path / "no-such-folder" / "cert.json"
    with pytest.raises(CertificateError, match="cannot write certificate") as error:
        write_certificate(enumerate_regions(CROSS, SQUARE), missing)
    assert isinstance(error.value.__cause__, FileNotFoundError)
    garbled = tmp_path / "graph.json"
    garbled.write_text("{not json")
    with pytest.raises(ExportError, match="malformed") as error:
        read_graph(garbled)
    assert isinstance(error.value.__cause__, ValueError)
