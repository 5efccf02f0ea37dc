"""The ``polyregions`` command line.

Subcommands
-----------
``count MODEL [domain] [--json]``
    The exact number of activation regions of a model in a domain.
``demo [--json]``
    ``count`` on the network shipped with the package, in ``[-3, 3]^2``.
``graph MODEL [domain] [--export PATH] [--json]``
    The region adjacency graph, written as ``.graphml``, ``.gexf``, ``.json``
    or ``.zip`` (cddlib ``.ine``/``.ext`` files per region).
``plot MODEL [domain] -o FILE [--color region|linear] [--no-boundary] [--view X0 X1 Y0 Y1]``
    A figure of the regions of a 2-D domain or slice (needs matplotlib).
``range MODEL [domain] [--objective "c0 c1 ... [d]"] [--out FILE] [--json]``
    The exact minimum and maximum of each output (or of one linear objective),
    with inputs attaining them.
``check MODEL PROPERTY [--counterexample FILE] [--certificate FILE] [--json]``
    Decide a VNN-LIB property exactly: ``holds`` (exit 0), ``violated`` with an
    exact counterexample (exit 10), or ``unknown`` when a limit was reached (exit 20).
``robust MODEL --point X [--norm inf|1] [--label C] [--eps E] [--json]``
    The exact robustness radius at an input, with the nearest input of another
    class; ``--eps E`` answers for one radius.
``bounds --widths n0,n1,...,nL [--rank K] [--relu] [--json]``
    Exact bounds on the number of regions of an architecture (``polyregions.bounds``).
``certify MODEL [domain] -o CERT [--report] [--json]``
    Write a certificate of the exact count; ``--report`` shows it beside the bounds.
``verify CERT [--json]``
    Re-check a certificate independently of the engine: exit 0 when it holds,
    1 naming the first failed check, 2 when the file is malformed.

Domain flags (exactly one, except that ``--slice`` takes ``--box`` too)::

    --box LO HI                    the cube [LO, HI]^n0
    --bounds LO1:HI1,LO2:HI2,...   a box given axis by axis
    --polytope FILE                a cddlib .ine file or JSON {"A": ..., "b": ...} (A x <= b)
    --ball CENTER RADIUS [--norm 1|inf]   e.g. --ball 0,1/2 1/10
    --whole-space                  R^n0 (regions may be unbounded)
    --slice P1 P2 P3 --box LO HI   the plane through three points, e.g. --slice 0,0,0 1,0,0 0,1,0

``--time-limit S`` bounds the whole command: enumeration, graph, decision
boundary and genericity share one deadline; what the deadline or Ctrl-C cut is
marked (``"analysis_complete": false``) and what was finished is printed.

Exit status: 0 on success (also when a limit stopped the work; ``check`` says its
answer in its status, as above), 130 after Ctrl-C
(once what was finished is printed), 2 on bad input or usage, 1 on any other
failure.

Each subcommand is a module of this package with ``add_parser(subparsers)``,
which declares its options (the shared ones come from
:mod:`polyregions.cli.options`) and sets ``func`` to its ``run(args)``, which
returns the exit status. A new subcommand is such a module, named in
:data:`SUBCOMMANDS`. Only the module of the subcommand being run is imported
(all of them for ``--help``), so that ``polyregions --version`` and a small
``count`` start quickly.
"""

import argparse
import importlib
import os
import sys
from types import ModuleType
from typing import Optional, Sequence

from .. import __version__
from ..errors import PolyregionsError, UsageError
from .options import CommandParser

__all__ = ["main", "build_parser", "subcommand_module", "SUBCOMMANDS"]

#: The subcommands, in the order ``polyregions --help`` lists them. Each is the module of
#: this package of that name (:func:`subcommand_module`).
SUBCOMMANDS = ("count", "demo", "graph", "plot", "range", "check", "robust", "bounds", "certify",
               "verify", "cells", "sample", "train", "experiment")


def subcommand_module(name: str) -> ModuleType:
    """The module of subcommand `name`, imported on first use.

    Examples
    --------
    >>> subcommand_module("bounds").__name__
    'polyregions.cli.bounds'
    """
    return importlib.import_module(f".{name}", __package__)


def build_parser(command: Optional[str] = None) -> CommandParser:
    """The argument parser of the ``polyregions`` command.

    With `command`, only that subcommand gets its options (and its module is
    imported); the others are listed by name only. ``""`` lists them all so.

    Examples
    --------
    >>> args = build_parser().parse_args(["bounds", "--widths", "2,3"])
    >>> args.func is subcommand_module("bounds").run, args.widths, args.rank
    (True, (2, 3), 2)
    """
    parser = CommandParser(prog="polyregions",
                           description="Exact activation regions of piecewise-linear networks.")
    parser.add_argument("--version", action="version", version=f"polyregions {__version__}")
    parser.set_defaults(func=_no_command)  # a subcommand's own default replaces it
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=CommandParser)
    for name in SUBCOMMANDS:
        if command is None or name == command:
            subcommand_module(name).add_parser(subparsers)
        else:
            subparsers.add_parser(name)  # named in usage and error messages, never parsed
    return parser


def _command_of(argv: Sequence[str]) -> Optional[str]:
    """The subcommand `argv` runs, for :func:`build_parser`: None when the help lists them all.

    Before the subcommand only ``--version`` and ``--help`` can come (or a
    prefix of them, as argparse allows).
    """
    for token in argv:
        if not token.startswith("-"):
            return token if token in SUBCOMMANDS else ""
        if token == "-h" or (len(token) > 2 and "--help".startswith(token)):
            return None
    return ""


def _no_command(args: argparse.Namespace) -> int:
    raise UsageError("no command given: try 'polyregions count MODEL --box -1 1' or 'polyregions demo'")


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Run the command line on `argv` (default: ``sys.argv[1:]``); return the exit status.

    Examples
    --------
    >>> main(["bounds", "--widths", "2,3", "--rank", "3", "--json"]) == 0      # doctest: +ELLIPSIS
    {"widths": [2, 3], ...}
    True
    """
    argv = sys.argv[1:] if argv is None else list(argv)
    args = build_parser(_command_of(argv)).parse_args(argv)
    try:
        return args.func(args)
    except PolyregionsError as err:
        print(f"polyregions: error: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("polyregions: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # the reader went away (e.g. `| head`): stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as err:  # one line, never a traceback, for anything unforeseen
        print(f"polyregions: internal error: {type(err).__name__}: {err}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
