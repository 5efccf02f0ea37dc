"""``polyregions demo``: ``count`` on the network shipped with the package, in ``[-3, 3]^2``."""

import argparse

from ..domain import Box
from .count import add_count_options, report_count
from .options import Subcommands, add_run_options
from .runs import Deadline

__all__ = ["add_parser", "run"]


def add_parser(subparsers: Subcommands) -> argparse.ArgumentParser:
    """Add the ``demo`` subcommand."""
    parser = subparsers.add_parser("demo", help="count the regions of the shipped example network",
                                   description="Count the regions of the embedded [2, 20, 20] "
                                               "rank-5 maxout network in [-3, 3]^2.")
    add_run_options(parser)
    add_count_options(parser)
    parser.set_defaults(func=run)
    return parser


def run(args: argparse.Namespace) -> int:
    """Run ``demo``; return the exit status."""
    deadline = Deadline(args.time_limit)  # set first: it bounds the whole command
    from ..data import default_network

    network = default_network()
    return report_count(network, Box.cube(network.input_dim, -3, 3), args, deadline)
