"""The code blocks of the documentation pages, and how each kind is run and checked.

A page's fenced blocks run in order in one scratch folder per page:

- ``python`` blocks are executed in one namespace per page; blocks of ``>>>`` lines are doctests,
  whose shown output must match;
- ``console`` blocks are shell sessions: each ``$ `` line is a command, the lines after it up to
  the next command are the output shown, which must appear in the real output (timings aside);
- ``sh`` blocks are commands, one a line;
- a block, or one command, whose text holds ``# not run by the tests:`` (with the reason) is not run;
- a block right after the comment ``<!-- file: NAME -->`` is a file the page asks the reader to
  save: it is written as ``NAME`` into the folder;
- every other block (``json``, ``text``, grammars, synopses) is shown, not run: none may hold a
  ``$ `` or ``>>> `` line, so that no command hides from the runner.
"""

import dataclasses
import json
import re

NOT_RUN = "# not run by the tests:"
RUN_KINDS = ("python", "console", "sh")

_FENCE = re.compile(r"^```\s*(?:\{code-block\}\s*)?\{?([\w-]*)\}?\s*$")
_FILE = re.compile(r"^<!-- file: (\S+) -->$")
_TIMING = re.compile(r"\b\d+(?:\.\d+)?(?= s\b| regions/s\b)")
_SECONDS = re.compile(r"^(seconds|time)\s+\S+")


@dataclasses.dataclass(frozen=True)
class Block:
    """One fenced block of a page: its info word, text, first line and the file it saves."""

    kind: str
    text: str
    line: int
    saves: str | None = None

    @property
    def skipped(self) -> bool:
        first = self.text.lstrip().splitlines()[:1]
        return bool(first) and first[0].lstrip().startswith(NOT_RUN)


def blocks(markdown: str) -> list[Block]:
    """The fenced blocks of a page, in order."""
    found, lines, i = [], markdown.splitlines(), 0
    while i < len(lines):
        match = _FENCE.match(lines[i].strip())
        if not match:
            i += 1
            continue
        start = i
        i += 1
        while not lines[i].strip().startswith("```"):
            i += 1
        before = lines[start - 1].strip() if start else ""
        saved = _FILE.match(before)
        found.append(Block(match.group(1), "\n".join(lines[start + 1:i]) + "\n",
                           start + 1, saved.group(1) if saved else None))
        i += 1
    return found


def commands(block: Block) -> list[tuple[str, list[str]]]:
    """The commands of a shell block, each with the output lines the page shows after it."""
    if block.kind == "sh":
        return [(line, []) for line in block.text.splitlines() if line.strip()]
    session: list[tuple[str, list[str]]] = []
    for line in block.text.splitlines():
        if line.startswith("$ "):
            session.append((line[2:], []))
        elif session:
            session[-1][1].append(line)
    return session


def normal(line: str) -> str:
    """A line of output with its timings blanked and its blanks collapsed."""
    line = _SECONDS.sub(r"\1 <t>", _TIMING.sub("<t>", line.strip()))
    return " ".join(line.split())


def missing_lines(shown: list[str], actual: str) -> list[str]:
    """The shown lines (``...`` lines aside) that are not, in order, lines of the real output."""
    real = [normal(line) for line in actual.splitlines()]
    missing, at = [], 0
    for line in shown:
        want = normal(line)
        if not want or want == "...":
            continue
        if want in real[at:]:
            at = real.index(want, at) + 1
        else:
            missing.append(line)
    return missing


_PAIR = re.compile(r'"(\w+)": ("[^"]*"|\[[^\[\]]*\]|[-\w./]+)')


def json_mismatches(shown: list[str], actual: str) -> list[str]:
    """The ``"key": value`` pairs shown (``...`` for the rest) that the real JSON does not hold."""
    data = json.loads(actual)
    wrong = []
    for key, value in _PAIR.findall(" ".join(shown)):
        if key not in data or data[key] != json.loads(value):
            wrong.append(f"{key}: shown {value}, got {data.get(key, '(missing)')!r}")
    return wrong
