"""``polyregions demo``: ``count`` on the network shipped with the package, in ``[-3, 3]^2``."""

import argparse

from ..domain import Box
from .count import add_count_parser, report_count
from .options import Subcommands
from .runs import Deadline

__all__ = ["add_parser", "run"]


def add_parser(subparsers: Subcommands) -> argparse.ArgumentParser:
    """Add the ``demo`` subcommand.

    Examples
    --------
    >>> from polyregions.cli.options import new_subcommands
    >>> subparsers = new_subcommands()
    >>> add_parser(subparsers).prog
    'polyregions demo'
    """
    return add_count_parser(subparsers, "demo", "count the regions of the shipped example network",
                            "Count the regions of the embedded [2, 20, 20] rank-5 maxout network "
                            "in [-3, 3]^2.", run, model=False)


def run(args: argparse.Namespace) -> int:
    """Run ``demo``; return the exit status.

    Examples
    --------
    >>> import contextlib, io, json
    >>> from polyregions.cli.main import build_parser
    >>> args = build_parser("demo").parse_args(["demo", "--regions-only", "--json"])
    >>> with contextlib.redirect_stdout(io.StringIO()) as out:
    ...     status = run(args)
    >>> status, json.loads(out.getvalue())["activation_regions"]
    (0, 2354)
    """
    deadline = Deadline(args.time_limit)  # set first: it bounds the whole command
    from ..data import default_network

    network = default_network()
    return report_count(network, Box.cube(network.input_dim, -3, 3), args, deadline)
