"""The library checks its own run arguments (limits, workers), and the command line reuses the checks."""

import math
from fractions import Fraction

import pytest

from polyregions import Box, Network, ReluLayer, count_regions, enumerate_regions
from polyregions.enumeration.parallel import ProcessExecutor, iter_regions_parallel
from polyregions.enumeration.run import LimitedRun, check_run_arguments
from polyregions.errors import PolyregionsError, UsageError
from tests.cli_helpers import run

# Two lines through the origin cut the square into 4 regions.
NET = Network(2, [ReluLayer([[1, 0], [0, 1]], [0, 0])])
BOX = Box.cube(2, -1, 1)

BAD = [
    ({"workers": -3}, "workers must be positive, got -3"),
    ({"workers": 0}, "workers must be positive, got 0"),
    ({"workers": 2.0}, "workers must be an integer, got 2.0"),
    ({"workers": True}, "workers must be an integer, got True"),
    ({"time_limit": -1}, "time_limit must be positive, got -1"),
    ({"time_limit": 0}, "time_limit must be positive, got 0"),
    ({"time_limit": math.nan}, "time_limit must be positive, got nan"),
    ({"time_limit": "5"}, "time_limit must be a number of seconds, got '5'"),
    ({"max_regions": 2.5}, "max_regions must be an integer, got 2.5"),
    ({"max_regions": 0}, "max_regions must be positive, got 0"),
    ({"max_regions": False}, "max_regions must be an integer, got False"),
]


@pytest.mark.parametrize("arguments, message", BAD)
def test_bad_run_arguments_are_usage_errors_before_any_work(arguments, message):
    for call in (enumerate_regions, count_regions, LimitedRun):
        with pytest.raises(UsageError) as error:
            call(NET, BOX, **arguments)
        assert str(error.value) == message
        assert isinstance(error.value, ValueError) and isinstance(error.value, PolyregionsError)


def test_good_run_arguments_are_accepted():
    assert count_regions(NET, BOX, workers=None) == 4
    assert count_regions(NET, BOX, time_limit=Fraction(60), max_regions=4) == 4
    assert count_regions(NET, BOX, time_limit=math.inf) == 4
    partial = enumerate_regions(NET, BOX, max_regions=1)
    assert (len(partial), partial.stop_reason) == (1, "max_regions")


def test_parallel_arguments_use_the_same_checks():
    with pytest.raises(UsageError, match="parts must be positive, got 0"):
        list(iter_regions_parallel(NET, BOX, parts=0))
    with pytest.raises(UsageError, match="workers must be positive, got 0"):
        ProcessExecutor(0)


@pytest.mark.parametrize("options, arguments", [
    (["--workers", "0"], {"workers": 0}),
    (["--workers", "-3"], {"workers": -3}),
    (["--max-regions", "0"], {"max_regions": 0}),
    (["--time-limit", "-1"], {"time_limit": -1.0}),
    (["--time-limit", "nan"], {"time_limit": math.nan}),
])
def test_the_cli_reports_the_library_check_in_one_line(layers_model, capsys, options, arguments):
    model = layers_model([{"type": "relu", "weights": [[1, 0], [0, 1]], "biases": [0, 0]}])
    status, out, err = run(["count", model, "--box", "-1", "1", *options], capsys)
    with pytest.raises(UsageError) as error:
        check_run_arguments(**arguments, as_options=True)
    assert (status, out) == (2, "")
    assert err == f"polyregions: error: {error.value}\n" and options[0] in err
