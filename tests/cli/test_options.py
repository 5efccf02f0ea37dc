"""The shared options: one --widths parser, one --rank type, defaults in every --help, dispatch."""

import importlib
import pathlib
import re

import pytest

from polyregions.cli import main as cli_main
from polyregions.cli.main import build_parser, main
from polyregions.cli.options import domain_from_args, parse_rank, parse_widths
from polyregions.errors import UsageError
from tests.cli_helpers import THREE_LINES, run

# The fewest arguments each subcommand accepts ("{model}": a model file, "{tmp}": a folder).
MINIMAL = {
    "count": ["{model}"], "demo": [], "graph": ["{model}"], "plot": ["{model}", "-o", "{tmp}/f.png"],
    "range": ["{model}"], "check": ["{model}", "{tmp}/p.vnnlib"], "robust": ["{model}", "--point", "0"],
    "bounds": ["--widths", "2,3"], "certify": ["{model}", "-o", "{tmp}/c.json"],
    "verify": ["{tmp}/c.json"], "cells": ["{model}", "--range", "0", "1"],
    "sample": ["--widths", "2,3"], "train": ["--task", "xor", "--widths", "2,3"],
    "experiment": ["init-complexity"],
}
GIVEN = {"command", "func", "model", "property", "certificate", "output", "widths", "range", "task", "name",
         "point"}
WIDTHS_COMMANDS = {"bounds": [], "sample": ["--seeds", "1"], "train": ["--task", "xor", "--epochs", "1"]}


def _message(line):
    """An error line without its pointer to the subcommand's own --help."""
    return re.sub(r" \(see 'polyregions [a-z]+ --help'\)$", "", line)


def minimal(name, tmp_path):
    return [name] + [a.format(model="model.json", tmp=tmp_path) for a in MINIMAL[name]]


def listed_subcommands(capsys):
    """The subcommands, as the parser itself lists them in its 'invalid choice' message."""
    with pytest.raises(SystemExit):
        build_parser().parse_args(["no-such-command"])
    err = capsys.readouterr().err
    return re.findall(r"'([a-z]+)'", err.split("choose from", 1)[1])


def one_line_error(argv, capsys):
    status, out, err = run(argv, capsys)
    assert (status, out) == (2, ""), err
    assert len(err.splitlines()) == 1 and err.startswith("polyregions: error: "), err
    return err.strip()


# ---------------------------------------------------------------- --widths


@pytest.mark.parametrize("text, widths", [
    ("2,3", (2, 3)), (" 2, 7 ,7,6 ", (2, 7, 7, 6)), ("+1,+12", (1, 12)), ("1," + "1," * 99 + "1", (1,) * 101),
])
def test_widths_parse_to_integer_tuples(text, widths):
    assert parse_widths(text) == widths


@pytest.mark.parametrize("text, words", [
    ("", "comma-separated positive integers"),
    ("2,,3", "comma-separated positive integers"),
    ("2", "n0 and at least one hidden width"),
    ("0,3", "n0 (the input dimension) must be a positive integer, got '0'"),
    ("2,a", "width n1 must be a positive integer, got 'a'"),
    ("2,3,1.5", "width n2 must be a positive integer, got '1.5'"),
    ("2,-3", "width n1 must be a positive integer, got '-3'"),
    ("2,\u0663", "width n1 must be a positive integer, got '\u0663'"),  # int() would read 3
])
def test_bad_widths_are_one_usage_error(text, words):
    with pytest.raises(UsageError) as error:
        parse_widths(text)
    assert str(error.value).startswith(f"{text!r} must be n0,n1,...,nL") and words in str(error.value)


@pytest.mark.parametrize("text", ["2,a", "0,3", "2", "", "2,,3", "-1,2", "2,\u0663"])
def test_every_command_reports_bad_widths_the_same_way(text, capsys):
    # bounds, sample and train used to read --widths three ways, with three messages.
    lines = {name: one_line_error([name, "--widths", text, *extra], capsys)
             for name, extra in WIDTHS_COMMANDS.items()}
    assert len({_message(line) for line in lines.values()}) == 1, lines
    line = lines["bounds"]
    assert line.startswith("polyregions: error: argument --widths: ")
    with pytest.raises(UsageError) as error:
        parse_widths(text)
    assert str(error.value) in line


# ---------------------------------------------------------------- --rank


@pytest.mark.parametrize("name", list(WIDTHS_COMMANDS))
def test_rank_is_one_integer_type_everywhere(name, tmp_path):
    parser = build_parser()
    assert parser.parse_args(minimal(name, tmp_path) + ["--rank", "3"]).rank == 3
    default = parser.parse_args(minimal(name, tmp_path)).rank
    assert type(default) is int and default == 2


@pytest.mark.parametrize("rank", ["0", "-1", "x", "1.5", "\u0663"])
def test_every_command_refuses_a_bad_rank_the_same_way(rank, capsys):
    lines = {name: one_line_error([name, "--widths", "2,3", *extra, "--rank", rank], capsys)
             for name, extra in WIDTHS_COMMANDS.items()}
    assert len({_message(line) for line in lines.values()}) == 1, lines
    assert "argument --rank:" in lines["bounds"] and f"got {rank!r}" in lines["bounds"]
    with pytest.raises(UsageError):
        parse_rank(rank)


# ---------------------------------------------------------------- --help


def help_entries(name, capsys):
    """The option entries of a subcommand's --help: {option string: its help, one line}."""
    with pytest.raises(SystemExit):
        build_parser().parse_args([name, "--help"])
    entries, current = {}, None
    for line in capsys.readouterr().out.splitlines():
        head = re.match(r"  (-\S+)", line)
        if head:
            current = head.group(1).rstrip(",")
            entries[current] = line
        elif current is not None and line.startswith("      "):
            entries[current] += " " + line.strip()
        else:
            current = None
    return {k: " ".join(v.split()) for k, v in entries.items()}


def shown(value):
    return " ".join(map(str, value)) if isinstance(value, (list, tuple)) else str(value)


@pytest.mark.parametrize("name", list(MINIMAL))
def test_every_help_shows_every_default(name, capsys, tmp_path):
    argv = minimal(name, tmp_path)
    defaults = vars(build_parser().parse_args(argv))
    entries = help_entries(name, capsys)
    checked = 0
    for dest, value in defaults.items():
        option = "--" + dest.replace("_", "-")
        if dest in GIVEN or value is None or value is False:
            continue  # given in MINIMAL, or no default to show (a flag, an absent option)
        assert option in entries, (option, entries)
        assert f"(default: {shown(value)}" in entries[option] or \
            f"default: {shown(value)})" in entries[option], entries[option]
        checked += 1
    # The options with a value by default: --workers of the enumerating commands, plot's
    # --color, --rank; robust's --norm; sample's and train's architecture and settings.
    expected = {"count": 1, "demo": 1, "graph": 1, "plot": 2, "range": 1, "check": 1, "robust": 2,
                "bounds": 1, "certify": 1,
                "verify": 0, "cells": 1, "sample": 7, "train": 13, "experiment": 1}
    assert checked == expected[name]


# ---------------------------------------------------------------- dispatch


def test_set_defaults_dispatches_every_subcommand_to_its_module(capsys, tmp_path, monkeypatch):
    names = listed_subcommands(capsys)
    assert sorted(names) == sorted(MINIMAL)  # a new subcommand needs its line in MINIMAL
    assert list(cli_main.SUBCOMMANDS) == names
    for name in names:
        module = importlib.import_module(f"polyregions.cli.{name}")
        assert build_parser().parse_args(minimal(name, tmp_path)).func is module.run
        seen = []
        monkeypatch.setattr(module, "run", lambda args: seen.append(args.command) or 7)
        assert main(minimal(name, tmp_path)) == 7 and seen == [name]


def test_no_command_is_a_usage_error(capsys):
    assert "no command given" in one_line_error([], capsys)


def test_no_private_argparse_attributes():
    private = re.compile(r"argparse\._|\._(actions|option_string_actions|negative_number_matcher|"
                         r"has_negative_number_optionals|defaults|registries|action_groups|"
                         r"optionals|positionals|subparsers|mutually_exclusive_groups)\b")
    folder = pathlib.Path(cli_main.__file__).parent
    found = [f"{p.name}:{i}" for p in sorted(folder.glob("*.py"))
             for i, line in enumerate(p.read_text().splitlines(), 1) if private.search(line)]
    assert found == []


# ---------------------------------------------------------------- values and errors


def test_domain_choices_are_usage_errors():
    parser = build_parser()
    for argv, words in [(["--box", "-1", "1", "--whole-space"], "choose one domain"), ([], "no domain"),
                        (["--box", "-1", "1", "--norm", "1"], "--norm 1 applies to --ball only"),
                        (["--bounds", "-1,1"], "must look like LO1:HI1")]:
        with pytest.raises(UsageError, match=words):
            domain_from_args(parser.parse_args(["count", "m.json", *argv]), 2)


@pytest.mark.parametrize("option, words", [("--seeds", "--seeds must be positive, got 0"),
                                           ("--workers", "--workers must be positive, got 0")])
def test_sample_counts_are_usage_errors(option, words):
    # These were a DomainError (--seeds) and a bare PolyregionsError (--workers).
    args = build_parser().parse_args(["sample", "--widths", "2,3", option, "0"])
    with pytest.raises(UsageError) as error:
        args.func(args)
    assert str(error.value) == words


def test_negative_numbers_are_values_and_errors_show_them_as_typed(model, capsys):
    path = model(THREE_LINES)
    args = build_parser().parse_args(["count", path, "--box", "-1/2", "-1e-3", "--ball", "-1,-2", "1"])
    assert (args.box, args.ball) == (["-1/2", "-1e-3"], ["-1,-2", "1"])
    line = one_line_error(["count", path, "--box", "-1", "1", "--norm", "-2"], capsys)
    assert "invalid choice: '-2'" in line
    line = one_line_error(["count", path, "--box", "-1", "1", "--max-regions", "-1x"], capsys)
    assert "invalid int value: '-1x'" in line
    line = one_line_error(["count", path, "--box", "-1", "1", "--max-regions", "-1"], capsys)
    assert line == "polyregions: error: --max-regions must be positive, got -1"


# ---------------------------------------------------------------- typos


def _typo(option):
    """`option` with one letter doubled in the middle: what a hurried hand types."""
    middle = len(option) // 2 + 1
    return option[:middle] + option[middle] + option[middle:]


@pytest.mark.parametrize("name", list(MINIMAL))
def test_a_mistyped_option_names_the_nearest_flag_and_the_subcommands_help(name, capsys, tmp_path):
    options = [o for o in help_entries(name, capsys) if o.startswith("--") and o != "--help"]
    assert options or name in ("demo", "verify")
    for option in options:
        typo = _typo(option)
        line = one_line_error(minimal(name, tmp_path) + [typo], capsys)
        assert line == (f"polyregions: error: unrecognized arguments: {typo}; did you mean "
                        f"{option}? (see 'polyregions {name} --help')"), line


def test_an_unknown_word_points_to_the_subcommands_help(capsys):
    line = one_line_error(["bounds", "--widths", "2,3", "extra"], capsys)
    assert line == "polyregions: error: unrecognized arguments: extra (see 'polyregions bounds --help')"
