"""The options several subcommands share, declared once, and the helpers every subcommand uses.

A subcommand module builds its parser from these declarations: the domain
options and the domain they name, the run limits and scale options, ``--json``,
``--no-progress``, ``--widths`` and ``--rank``. Every bad value is a
:class:`~polyregions.errors.UsageError`, reported in one line with exit status 2.
The module also holds the one progress bar, the one table printer, and the
check that an output file can be written before the work starts.
"""

import argparse
import difflib
import os
import re
import sys
import tempfile
from fractions import Fraction
from typing import Any, Callable, NoReturn, Optional, Protocol, Sequence, TypeVar

from ..domain import Box, Domain, Slice, WholeSpace, ball, load_polytope
from ..errors import DomainError, ExportError, UsageError
from ..io.model import load_network
from ..network import Network
from ..numbers import format_fraction, int_to_decimal, json_dumps, to_fraction

__all__ = [
    "CommandParser",
    "unrecognized_message",
    "OptionContainer",
    "Subcommands",
    "new_subcommands",
    "add_command_parser",
    "add_model_parser",
    "add_run_parser",
    "add_domain_options",
    "domain_from_args",
    "domain_spec",
    "domain_cell",
    "parse_point",
    "network_and_domain",
    "add_json_option",
    "add_progress_option",
    "add_report_options",
    "add_workers_option",
    "add_limit_options",
    "add_run_options",
    "parse_positive_integer",
    "parse_widths",
    "MAX_WIDTH",
    "parse_rank",
    "check_relu_rank",
    "add_widths_option",
    "add_rank_option",
    "add_kind_option",
    "add_architecture_options",
    "check_architecture_options",
    "Progress",
    "print_rows",
    "print_report",
    "cell_text",
    "approximate",
    "check_output_file",
    "check_output_folder",
]

_T = TypeVar("_T")

#: Put before a token that looks like a negative number ("-1/2", "-1e-3", "-1,2") so that argparse
#: reads it as a value rather than an unknown option, and taken off once the line is parsed. A
#: vertical tab: nobody types one, and int() and float() skip it as whitespace.
_MARK = "\x0b"
_NEGATIVE_NUMBER = re.compile(r"-\.?\d")


def _mark(token: str) -> str:
    return _MARK + token if _NEGATIVE_NUMBER.match(token) else token


def _unmark(value: Any) -> Any:
    if isinstance(value, str):
        return value[len(_MARK):] if value.startswith(_MARK) else value
    if isinstance(value, (list, tuple)):
        return type(value)(_unmark(v) for v in value)
    return value


class CommandParser(argparse.ArgumentParser):
    """An argument parser whose usage errors are one line and exit with 2.

    It also takes values such as ``-1/2``, ``-1e-3`` or ``-1,2`` as values,
    where argparse alone would take them for unknown options.

    Examples
    --------
    >>> parser = CommandParser(prog="demo")
    >>> _ = parser.add_argument("--box", nargs=2)
    >>> parser.parse_args(["--box", "-1/2", "3/2"]).box
    ['-1/2', '3/2']
    """

    def parse_known_args(self, args: Optional[Sequence[str]] = None,  # type: ignore[override]
                         namespace: Optional[argparse.Namespace] = None
                         ) -> tuple[argparse.Namespace, list[str]]:
        """Parse like argparse, with negative numbers read as values."""
        tokens = sys.argv[1:] if args is None else args
        parsed, extras = super().parse_known_args([_mark(t) for t in tokens], namespace)
        for key, value in list(vars(parsed).items()):
            setattr(parsed, key, _unmark(value))
        extras = [_unmark(e) for e in extras]
        if extras and " " in self.prog:  # a subcommand's parser: it knows the flags meant
            self.error(unrecognized_message(extras, self.format_usage()))
        return parsed, extras

    def error(self, message: str) -> NoReturn:
        """Print the usage error in one line, pointing to this (sub)command's --help; exit with 2."""
        message = message.replace(repr(_MARK)[1:-1], "").replace(_MARK, "")  # as it was typed
        self.exit(2, f"polyregions: error: {message} (see '{self.prog} --help')\n")


def unrecognized_message(extras: Sequence[str], usage: str) -> str:
    """The error for arguments a parser did not take, naming the nearest flag of `usage`.

    Examples
    --------
    >>> unrecognized_message(["--time-limt", "5"], "usage: count [--time-limit S] [--json]")
    'unrecognized arguments: --time-limt 5; did you mean --time-limit?'
    >>> unrecognized_message(["extra"], "usage: count [--json]")
    'unrecognized arguments: extra'
    """
    message = f"unrecognized arguments: {' '.join(extras)}"
    flags = sorted(set(re.findall(r"(?<![\w-])--?[A-Za-z][\w-]*", usage)))
    for token in extras:
        if token.startswith("-") and not _NEGATIVE_NUMBER.match(token):
            close = difflib.get_close_matches(token.split("=", 1)[0], flags, n=1, cutoff=0.6)
            if close:
                return f"{message}; did you mean {close[0]}?"
    return message


class OptionContainer(Protocol):
    """What options are added to: a parser or one of its argument groups.

    Examples
    --------
    >>> group = CommandParser(prog="demo").add_argument_group("output")
    >>> add_json_option(group)                  # a group is an OptionContainer, as a parser is
    >>> [action.dest for action in group._group_actions]
    ['json']
    """

    def add_argument(self, *name_or_flags: str, **kwargs: Any) -> argparse.Action:
        """Declare one option (see :meth:`argparse.ArgumentParser.add_argument`)."""


class Subcommands(Protocol):
    """What :meth:`argparse.ArgumentParser.add_subparsers` returns: subcommands are added to it.

    Examples
    --------
    >>> sub = CommandParser(prog="demo").add_subparsers(parser_class=CommandParser)
    >>> sub.add_parser("hello").prog
    'demo hello'
    """

    def add_parser(self, name: str, **kwargs: Any) -> argparse.ArgumentParser:
        """Add the parser of one subcommand."""


def new_subcommands() -> Subcommands:
    """The subcommands of a new ``polyregions`` parser, where a subcommand module's
    ``add_parser`` adds itself (what :func:`polyregions.cli.main.build_parser` hands it).

    Examples
    --------
    >>> parser = add_command_parser(new_subcommands(), "hello", "greet", "Greet.", lambda a: 0)
    >>> parser.prog
    'polyregions hello'
    """
    return CommandParser(prog="polyregions").add_subparsers(parser_class=CommandParser)


def add_command_parser(subparsers: Subcommands, name: str, summary: str, description: str,
                       run: Callable[[argparse.Namespace], int]) -> argparse.ArgumentParser:
    """The parser of the subcommand `name`, whose ``func`` is `run` (it returns the exit status).

    Examples
    --------
    >>> sub = CommandParser(prog="demo").add_subparsers(parser_class=CommandParser)
    >>> parser = add_command_parser(sub, "hello", "greet", "Greet.", lambda args: 0)
    >>> parser.parse_args([]).func(None)
    0
    """
    parser = subparsers.add_parser(name, help=summary, description=description)
    parser.set_defaults(func=run)
    return parser


def add_model_parser(subparsers: Subcommands, name: str, summary: str, description: str,
                     run: Callable[[argparse.Namespace], int]) -> argparse.ArgumentParser:
    """The parser of a subcommand taking ``MODEL`` and a domain (see :func:`add_command_parser`).

    Examples
    --------
    >>> sub = CommandParser(prog="demo").add_subparsers(parser_class=CommandParser)
    >>> parser = add_model_parser(sub, "count", "count", "Count the regions.", lambda args: 0)
    >>> parser.parse_args(["model.json", "--box", "-1", "1"]).box
    ['-1', '1']
    """
    parser = add_command_parser(subparsers, name, summary, description, run)
    parser.add_argument("model", metavar="MODEL", help="JSON model file (format v1), .npz or .onnx")
    add_domain_options(parser)
    return parser


def add_run_parser(subparsers: Subcommands, name: str, summary: str, description: str,
                   run: Callable[[argparse.Namespace], int],
                   model: bool = True) -> argparse.ArgumentParser:
    """The parser of an enumerating subcommand: ``MODEL`` and a domain, then the run options.

    Without `model` it takes neither ``MODEL`` nor a domain. The run options are
    those of :func:`add_run_options`: ``--json``, the limits, ``--no-progress``
    and the scale options.

    Examples
    --------
    >>> sub = CommandParser(prog="demo").add_subparsers(parser_class=CommandParser)
    >>> parser = add_run_parser(sub, "count", "count", "Count the regions.", lambda args: 0)
    >>> parser.parse_args(["model.json", "--box", "0", "1", "--max-regions", "5"]).max_regions
    5
    """
    add = add_model_parser if model else add_command_parser
    parser = add(subparsers, name, summary, description, run)
    add_run_options(parser)
    return parser


def network_and_domain(args: argparse.Namespace) -> tuple[Network, Domain]:
    """The network of ``MODEL`` and the domain the domain options name for it.

    Raises
    ------
    UsageError, DomainError, NumberFormatError
        As :func:`domain_from_args` raises them; and what the model reader
        raises for a bad model file.

    Examples
    --------
    >>> import os, tempfile
    >>> from polyregions import LinearLayer, Network
    >>> from polyregions.io.model import save_network
    >>> path = os.path.join(tempfile.mkdtemp(), "model.json")
    >>> save_network(Network(2, [LinearLayer([[1, 0]], [0])]), path)
    >>> parser = CommandParser(prog="demo")
    >>> _ = parser.add_argument("model")
    >>> add_domain_options(parser)
    >>> network, domain = network_and_domain(parser.parse_args([path, "--box", "-1", "1"]))
    >>> network.input_dim, domain.to_spec()["upper"]
    (2, ['1', '1'])
    """
    network = load_network(args.model)
    return network, domain_from_args(args, network.input_dim)


def add_domain_options(parser: argparse.ArgumentParser) -> None:
    """Declare the domain options (exactly one is chosen; ``--slice`` takes ``--box`` too).

    Examples
    --------
    >>> parser = CommandParser(prog="demo")
    >>> add_domain_options(parser)
    >>> args = parser.parse_args(["--ball", "0,0", "1/2", "--norm", "1"])
    >>> args.ball, args.norm, args.box, args.whole_space
    (['0,0', '1/2'], '1', None, False)
    """
    group = parser.add_argument_group("domain (choose one)")
    group.add_argument("--box", nargs=2, metavar=("LO", "HI"),
                       help="the cube [LO, HI]^n0 (with --slice: bounds of the slice coordinates)")
    group.add_argument("--bounds", metavar="LO1:HI1,...", help="a box given axis by axis")
    group.add_argument("--polytope", metavar="FILE",
                       help="a rational polytope: cddlib .ine file or JSON {'A', 'b'} meaning A x <= b")
    group.add_argument("--ball", nargs=2, metavar=("CENTER", "RADIUS"),
                       help="the ball of RADIUS around CENTER (comma-separated coordinates)")
    group.add_argument("--norm", choices=("1", "inf"),
                       help="norm of --ball (default: inf); only with --ball")
    group.add_argument("--whole-space", action="store_true", help="all of R^n0")
    group.add_argument("--slice", nargs=3, metavar=("P1", "P2", "P3"),
                       help="the 2-D plane P1 + s (P2 - P1) + t (P3 - P1), (s, t) in --box")


def _coordinates(text: str, what: str) -> list[str]:
    parts = [p.strip() for p in str(text).split(",")]  # "0, 1/2" is a list of two numbers
    if not parts or any(not p for p in parts):
        raise UsageError(f"{what} {text!r} must be comma-separated numbers")
    return parts


def parse_point(text: str, what: str) -> list[str]:
    """The comma-separated coordinates of a point option, as ``--ball`` reads its centre.

    Examples
    --------
    >>> parse_point("0, -1/2", "--point")
    ['0', '-1/2']
    """
    return _coordinates(text, what)


def _chosen_domain(args: argparse.Namespace) -> str:
    """The one domain option given, or a UsageError."""
    chosen = [name for name in ("bounds", "polytope", "ball", "slice")
              if getattr(args, name) is not None]
    if args.whole_space:
        chosen.append("whole-space")
    if args.box is not None and "slice" not in chosen:
        chosen.append("box")
    if len(chosen) > 1:
        raise UsageError(f"choose one domain, got --{' and --'.join(chosen)}")
    if not chosen:
        raise UsageError("no domain given: use --box LO HI, --bounds, --polytope, --ball, "
                         "--whole-space or --slice P1 P2 P3 --box LO HI")
    if args.norm is not None and chosen != ["ball"]:  # it would be silently ignored
        raise UsageError(f"--norm {args.norm} applies to --ball only, not to --{chosen[0]}")
    return chosen[0]


def _box(args: argparse.Namespace, input_dim: int) -> Domain:
    lo, hi = args.box
    return Box([lo] * input_dim, [hi] * input_dim)


def _bounds(args: argparse.Namespace, input_dim: int) -> Domain:
    pairs = [[v.strip() for v in p.split(":")] for p in _coordinates(args.bounds, "--bounds")]
    if any(len(p) != 2 for p in pairs):
        raise UsageError(f"--bounds {args.bounds!r} must look like LO1:HI1,LO2:HI2,...")
    return Box([p[0] for p in pairs], [p[1] for p in pairs])


def _ball(args: argparse.Namespace, input_dim: int) -> Domain:
    center, radius = args.ball
    domain = ball(_coordinates(center, "--ball centre"), radius, args.norm or "inf")
    if domain.input_dim != input_dim:  # the domain's own check would call it a box or a polytope
        raise DomainError(f"the ball domain is in R^{domain.input_dim} but the network takes "
                          f"{input_dim} inputs")
    return domain


def _slice(args: argparse.Namespace, input_dim: int) -> Domain:
    if args.box is None:
        raise UsageError("--slice needs --box LO HI to bound the slice coordinates")
    p1, p2, p3 = (_coordinates(p, f"--slice point P{i + 1}") for i, p in enumerate(args.slice))
    lo, hi = args.box
    return Slice(p1, p2, p3, [lo, lo], [hi, hi])


_DOMAINS: dict[str, Callable[[argparse.Namespace, int], Domain]] = {
    "box": _box, "bounds": _bounds, "ball": _ball, "slice": _slice,
    "polytope": lambda args, input_dim: load_polytope(args.polytope),
    "whole-space": lambda args, input_dim: WholeSpace(input_dim),
}


def domain_from_args(args: argparse.Namespace, input_dim: int) -> Domain:
    """The domain named by the parsed domain options, for a network with `input_dim` inputs.

    Raises
    ------
    UsageError
        When no domain or more than one is given, or an option is malformed.
    DomainError, NumberFormatError
        When the domain itself is bad (an empty box, a number that is not one),
        or a ``--ball`` is not in R^`input_dim`.

    Examples
    --------
    >>> parser = CommandParser(prog="demo")
    >>> add_domain_options(parser)
    >>> domain_from_args(parser.parse_args(["--bounds", "0:1,-1/2:1/2"]), 2).to_spec()["lower"]
    ['0', '-1/2']
    """
    return _DOMAINS[_chosen_domain(args)](args, input_dim)


def domain_spec(args: argparse.Namespace, domain: Domain) -> dict[str, Any]:
    """The JSON description of the domain the options named, a ``--ball`` said as a ball.

    A ball is a box (L-inf) or a polytope (L1) to the engine; ``"ball"``
    (``center``, ``radius``, ``norm``, exact) keeps what was asked beside that exact
    description.

    Examples
    --------
    >>> parser = CommandParser(prog="demo")
    >>> add_domain_options(parser)
    >>> args = parser.parse_args(["--ball", "0,1/2", "1"])
    >>> spec = domain_spec(args, domain_from_args(args, 2))
    >>> spec["kind"], spec["ball"]
    ('box', {'center': ['0', '1/2'], 'radius': '1', 'norm': 'inf'})
    """
    spec = domain.to_spec()
    if getattr(args, "ball", None) is not None:
        center, radius = args.ball
        spec["ball"] = {"center": [format_fraction(to_fraction(c, "--ball centre"))
                                   for c in _coordinates(center, "--ball centre")],
                        "radius": format_fraction(to_fraction(radius, "--ball radius")),
                        "norm": args.norm or "inf"}
    return spec


def domain_cell(spec: dict[str, Any]) -> str:
    """The domain of :func:`domain_spec` in a table cell: a ball as a ball, a box by its sides.

    Examples
    --------
    >>> domain_cell({"kind": "box", "lower": ["-1", "0"], "upper": ["1", "2"]})
    'box [-1, 1] x [0, 2]'
    >>> domain_cell({"kind": "polytope", "ball": {"center": ["0", "0", "0"], "radius": "1/2",
    ...                                           "norm": "1"}})
    'ball |x - (0, 0, 0)|_1 <= 1/2'
    """
    if "ball" in spec:
        ball_ = spec["ball"]
        return f"ball |x - ({', '.join(ball_['center'])})|_{ball_['norm']} <= {ball_['radius']}"
    if spec["kind"] in ("box", "slice"):
        where = " x ".join(f"[{lo}, {hi}]" for lo, hi in zip(spec["lower"], spec["upper"]))
        return f"{spec['kind']} {where}"
    return spec["kind"].replace("_", " ")


def add_json_option(parser: OptionContainer) -> None:
    """Declare ``--json``: one JSON object on stdout instead of a table.

    Examples
    --------
    >>> parser = CommandParser(prog="demo")
    >>> add_json_option(parser)
    >>> parser.parse_args([]).json, parser.parse_args(["--json"]).json
    (False, True)
    """
    parser.add_argument("--json", action="store_true", help="print one JSON object on stdout")


def add_progress_option(parser: OptionContainer) -> None:
    """Declare ``--no-progress`` (the bar shows only on a terminal anyway).

    Examples
    --------
    >>> parser = CommandParser(prog="demo")
    >>> add_progress_option(parser)
    >>> parser.parse_args([]).no_progress, parser.parse_args(["--no-progress"]).no_progress
    (False, True)
    """
    parser.add_argument("--no-progress", action="store_true", help="never show a progress bar")


def add_report_options(parser: OptionContainer) -> None:
    """Declare ``--no-progress``, then ``--json``.

    Examples
    --------
    >>> parser = CommandParser(prog="demo")
    >>> add_report_options(parser)
    >>> vars(parser.parse_args(["--json"]))
    {'no_progress': False, 'json': True}
    """
    add_progress_option(parser)
    add_json_option(parser)


def add_workers_option(parser: OptionContainer) -> None:
    """Declare ``--workers N`` (checked when the command runs, as the library checks it).

    Examples
    --------
    >>> parser = CommandParser(prog="demo")
    >>> add_workers_option(parser)
    >>> parser.parse_args([]).workers, parser.parse_args(["--workers", "2"]).workers
    (1, 2)
    """
    parser.add_argument("--workers", type=int, default=1, metavar="N",
                        help="use N processes (results are identical to one process) "
                             "(default: %(default)s)")


def add_limit_options(parser: OptionContainer, max_regions: str, time_limit: str) -> None:
    """Declare ``--json``, ``--max-regions N``, ``--time-limit S`` and ``--no-progress``.

    `max_regions` and `time_limit` are the helps' middles: what N counts, and what a
    stop leaves; each help ends with ``default: no limit``.

    Examples
    --------
    >>> parser = CommandParser(prog="demo")
    >>> add_limit_options(parser, "stop after N seeds (marked partial", "stop after S seconds (marked")
    >>> vars(parser.parse_args(["--time-limit", "2.5"]))
    {'json': False, 'max_regions': None, 'time_limit': 2.5, 'no_progress': False}
    """
    add_json_option(parser)
    parser.add_argument("--max-regions", type=int, metavar="N",
                        help=f"{max_regions}; default: no limit)")
    parser.add_argument("--time-limit", type=float, metavar="S",
                        help=f"{time_limit}; default: no limit)")
    add_progress_option(parser)


def add_run_options(parser: argparse.ArgumentParser) -> None:
    """Declare the options of an enumerating command: output, limits and scale.

    Examples
    --------
    >>> parser = CommandParser(prog="demo")
    >>> add_run_options(parser)
    >>> sorted(vars(parser.parse_args([])).items())  # doctest: +NORMALIZE_WHITESPACE
    [('checkpoint', None), ('dask', None), ('json', False), ('max_regions', None),
     ('no_progress', False), ('resume', False), ('time_limit', None), ('workers', 1)]
    """
    add_limit_options(parser, "stop after N regions (the result is then marked partial",
                      "end the whole command, analysis included, after about S seconds "
                      "(what was cut is marked")
    scale = parser.add_argument_group("scale")
    add_workers_option(scale)
    scale.add_argument("--dask", metavar="ADDRESS",
                       help="run on a dask.distributed scheduler, or 'local' for a LocalCluster")
    scale.add_argument("--checkpoint", metavar="DIR",
                       help="keep finished work in DIR; the same command resumes from it")
    scale.add_argument("--resume", action="store_true",
                       help="require --checkpoint DIR to exist already (resume an earlier run)")


def parse_positive_integer(text: str, name: str, maximum: Optional[int] = None) -> int:
    """The integer >= 1, at most `maximum` if given, in ASCII digits in `text`; else a UsageError.

    ``int()`` alone would also read other scripts' digits (``"\\u0663"`` is 3).

    Examples
    --------
    >>> parse_positive_integer(" 12", "the rank K")
    12
    >>> parse_positive_integer("0", "the rank K")
    Traceback (most recent call last):
    ...
    polyregions.errors.UsageError: the rank K must be a positive integer, got '0'
    """
    text = text.strip()
    if not re.fullmatch(r"[+]?[0-9]+", text) or int(text) < 1:
        raise UsageError(f"{name} must be a positive integer, got {text!r}")
    if maximum is not None and int(text) > maximum:
        raise UsageError(f"{name} must be at most {maximum}, got {text!r}")
    return int(text)


#: The largest entry of ``--widths``: the reports list every unit, so a million units is
#: already seconds of work, and far larger widths overflow the index size of a list.
MAX_WIDTH = 10 ** 6


def parse_widths(text: str) -> tuple[int, ...]:
    """The architecture ``n0,n1,...,nL`` of ``--widths``: input dimension, then hidden widths.

    Each entry is at most :data:`MAX_WIDTH`.

    Raises
    ------
    UsageError
        Naming the value and, when one entry is bad, that entry.

    Examples
    --------
    >>> parse_widths("2, 7,7")
    (2, 7, 7)
    >>> parse_widths("2,x")
    Traceback (most recent call last):
    ...
    polyregions.errors.UsageError: '2,x' must be n0,n1,...,nL: width n1 must be a positive integer, got 'x'
    """
    parts = text.split(",")
    if not text.strip() or any(not p.strip() for p in parts):
        raise UsageError(f"{text!r} must be n0,n1,...,nL (comma-separated positive integers)")
    try:
        widths = tuple(parse_positive_integer(p, f"width n{i}" if i else "n0 (the input dimension)",
                                              MAX_WIDTH) for i, p in enumerate(parts))
    except UsageError as err:
        raise UsageError(f"{text!r} must be n0,n1,...,nL: {err}") from None
    if len(widths) < 2:
        raise UsageError(f"{text!r} must be n0,n1,...,nL: n0 and at least one hidden width, "
                         "e.g. 2,3")
    return widths


def parse_rank(text: str) -> int:
    """The rank ``K`` of ``--rank``: an integer >= 1.

    Examples
    --------
    >>> parse_rank("3")
    3
    """
    return parse_positive_integer(text, "the rank K")


def check_relu_rank(relu_option: Optional[str], rank: int) -> None:
    """Refuse a ``--rank`` other than 2 (the default) when `relu_option` made every unit a ReLU.

    `relu_option` is the option as typed (``"--relu"``, ``"--kind relu"``), None for
    maxout units: a ReLU is rank 2, and another rank would be silently ignored.

    Examples
    --------
    >>> check_relu_rank(None, 5)
    >>> check_relu_rank("--kind relu", 5)
    Traceback (most recent call last):
    ...
    polyregions.errors.UsageError: --kind relu means rank 2, got --rank 5
    """
    if relu_option is not None and rank != 2:
        raise UsageError(f"{relu_option} means rank 2, got --rank {rank}")


def _option_type(parse: Callable[[str], _T]) -> Callable[[str], _T]:
    """`parse` as an argparse type: its UsageError becomes argparse's one-line usage error."""
    def convert(text: str) -> _T:
        try:
            return parse(text)
        except UsageError as err:
            raise argparse.ArgumentTypeError(str(err)) from None
    return convert


def add_widths_option(parser: OptionContainer, example: str) -> None:
    """Declare the required ``--widths n0,n1,...,nL``, read by :func:`parse_widths`.

    Examples
    --------
    >>> parser = CommandParser(prog="demo")
    >>> add_widths_option(parser, "2,5,5")
    >>> parser.parse_args(["--widths", "2,5,5"]).widths
    (2, 5, 5)
    """
    parser.add_argument("--widths", type=_option_type(parse_widths), required=True,
                        metavar="n0,n1,...,nL",
                        help=f"input dimension and hidden widths, e.g. {example}")


def add_rank_option(parser: OptionContainer) -> None:
    """Declare ``--rank K``, read by :func:`parse_rank`.

    Examples
    --------
    >>> parser = CommandParser(prog="demo")
    >>> add_rank_option(parser)
    >>> parser.parse_args([]).rank, parser.parse_args(["--rank", "3"]).rank
    (2, 3)
    """
    parser.add_argument("--rank", type=_option_type(parse_rank), default=2, metavar="K",
                        help="the rank of every maxout unit (default: %(default)s; ReLU is rank 2)")


def add_kind_option(parser: OptionContainer) -> None:
    """Declare ``--kind maxout|relu``, the kind of every hidden unit.

    Examples
    --------
    >>> parser = CommandParser(prog="demo")
    >>> add_kind_option(parser)
    >>> parser.parse_args([]).kind, parser.parse_args(["--kind", "relu"]).kind
    ('maxout', 'relu')
    """
    parser.add_argument("--kind", choices=("maxout", "relu"), default="maxout",
                        help="the kind of every hidden unit (default: %(default)s)")


def add_architecture_options(parser: OptionContainer, example: str) -> None:
    """Declare ``--widths`` (`example` is shown in its help), ``--kind`` and ``--rank``.

    Examples
    --------
    >>> parser = CommandParser(prog="demo")
    >>> add_architecture_options(parser, "2,5,5")
    >>> vars(parser.parse_args(["--widths", "2,3"]))
    {'widths': (2, 3), 'kind': 'maxout', 'rank': 2}
    """
    add_widths_option(parser, example)
    add_kind_option(parser)
    add_rank_option(parser)


def check_architecture_options(args: argparse.Namespace) -> None:
    """Refuse ``--kind relu`` with a rank other than 2 (see :func:`check_relu_rank`).

    Examples
    --------
    >>> parser = CommandParser(prog="demo")
    >>> add_architecture_options(parser, "2,5,5")
    >>> check_architecture_options(parser.parse_args(["--widths", "2,3", "--rank", "4"]))
    >>> check_architecture_options(parser.parse_args(["--widths", "2,3", "--kind", "relu",
    ...                                               "--rank", "4"]))
    Traceback (most recent call last):
    ...
    polyregions.errors.UsageError: --kind relu means rank 2, got --rank 4
    """
    check_relu_rank("--kind relu" if args.kind == "relu" else None, args.rank)


class Progress:
    """One progress bar on stderr for every phase of a command; does nothing when quiet.

    It is quiet with ``--json`` or ``--no-progress``, off a terminal, and
    without tqdm. ``phase(name)`` starts the next phase (its name is the bar's
    description); ``update(done[, total])`` is the callback the work reports to.

    Examples
    --------
    >>> args = argparse.Namespace(json=True, no_progress=False)
    >>> with Progress(args, unit=" seeds", total=3) as progress:
    ...     progress.update(1)
    """

    def __init__(self, args: argparse.Namespace, unit: str = " regions",
                 total: Optional[int] = None) -> None:
        self._bar: Any = None
        self._name = ""
        if args.json or args.no_progress or not sys.stderr.isatty():
            return
        try:
            from tqdm import tqdm
        except ImportError:  # progress is a nicety, never a requirement
            return
        self._bar = tqdm(total=total, unit=unit, file=sys.stderr, leave=False, mininterval=0.2)

    def phase(self, name: str, total: Optional[int] = None) -> None:
        """Start the phase `name` (of `total` steps, if known)."""
        if self._bar is not None:
            self._name, self._bar.total = name, total
            self._describe(refresh=False)
            self._bar.reset(total=total)

    def update(self, done: int, total: Optional[int] = None) -> None:
        """`done` steps of the phase are finished (of `total`, if known)."""
        bar = self._bar
        if bar is None:
            return
        if total is not None and bar.total != total:
            bar.total = total
            self._describe()
        bar.update(done - bar.n)

    def _describe(self, refresh: bool = True) -> None:
        # tqdm puts ": " after the name without a total, but not before a percentage.
        if self._bar.total is None:
            self._bar.set_description_str(self._name, refresh=refresh)
        else:
            self._bar.set_description(self._name, refresh=refresh)

    def __enter__(self) -> "Progress":
        return self

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.close()


def approximate(exact: str) -> str:
    """A float approximation of the exact number `exact` (``"p/q"``), to print beside it.

    Examples
    --------
    >>> approximate("1/3"), approximate("10" * 200)
    ('0.333333', 'beyond floats')
    """
    try:
        return f"{float(Fraction(exact)):.6g}"
    except OverflowError:  # beyond a double; the exact value is printed beside it anyway
        return "beyond floats"


def cell_text(value: object) -> str:
    """A table cell; ``str`` of an integer stops at 4300 digits, exact bounds do not.

    Examples
    --------
    >>> cell_text(10 ** 5000) == "1" + "0" * 5000
    True
    """
    return int_to_decimal(value) if isinstance(value, int) and not isinstance(value, bool) else str(value)


def print_rows(rows: Sequence[tuple[str, str]]) -> None:
    """Print a two-column table: labels left-aligned, then values.

    Examples
    --------
    >>> print_rows([("regions", "6"), ("bounded regions", "4")])
    regions          6
    bounded regions  4
    """
    width = max(len(k) for k, _ in rows)
    for key, value in rows:
        print(f"{key:<{width}}  {value}")


def print_report(args: argparse.Namespace, summary: dict,
                 rows: Callable[[], Sequence[tuple[str, str]]]) -> None:
    """Print `summary` as one JSON object with ``--json``, else the table ``rows()``.

    Examples
    --------
    >>> print_report(argparse.Namespace(json=True), {"regions": 6}, lambda: [])
    {"regions": 6}
    >>> print_report(argparse.Namespace(json=False), {"regions": 6}, lambda: [("regions", "6")])
    regions  6
    """
    if args.json:
        print(json_dumps(summary))
    else:
        print_rows(rows())


def check_output_file(path: str) -> None:
    """Fail before the work, not after it, when the file `path` cannot be created.

    The file is opened once to ask the system (a permission or a read-only file
    system is only known that way); an existing file is opened without truncating
    it, and a file this check created is removed again.

    Raises
    ------
    ExportError
        When the folder of `path` does not exist, `path` is a folder, or the
        system refuses to create or write it (the message gives its reason).

    Examples
    --------
    >>> check_output_file("/no/such/folder/out.json")
    Traceback (most recent call last):
    ...
    polyregions.errors.ExportError: cannot write /no/such/folder/out.json: no directory /no/such/folder
    """
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        raise ExportError(f"cannot write {path}: no directory {folder}")
    if os.path.isdir(path):
        raise ExportError(f"cannot write {path}: it is a directory; name a file")
    existed = os.path.exists(path)
    try:
        with open(path, "ab"):
            pass
        if not existed:
            os.remove(path)
    except OSError as err:
        raise ExportError.cannot_write(path, err) from err


def check_output_folder(path: str, option: str) -> None:
    """Create the folder `path` of `option` now, and check that files can be written in it.

    Raises
    ------
    UsageError
        When `path` is a file.
    ExportError
        When the system refuses to create the folder or a file in it (the
        message gives its reason).

    Examples
    --------
    >>> check_output_folder("/dev/null/ck", "--checkpoint")
    Traceback (most recent call last):
    ...
    polyregions.errors.ExportError: cannot write /dev/null/ck: Not a directory
    """
    if os.path.exists(path) and not os.path.isdir(path):
        raise UsageError(f"{option} {path} is a file; it must name a directory")
    try:
        os.makedirs(path, exist_ok=True)
        with tempfile.TemporaryFile(dir=path):
            pass
    except OSError as err:
        raise ExportError.cannot_write(path, err) from err

