"""The real outputs of the commands on a guide page: checked by the tests, rewritten on request.

    python tools/docs_outputs.py            # rewrite the outputs on docs/siklus-triwulan.md
    python tools/docs_outputs.py --check    # only compare; exit 1 and show what differs
    python tools/docs_outputs.py PAGE.md    # another page written the same way

A page is written for this tool as follows (``tests/test_docs_cycle.py`` checks it):

* a fenced block with a ``title="NAME"`` (```` ```csv title="salah.csv" ````) is a file: its
  content is written to NAME in the working directory before the commands below it run;
* in a ```` ```console ```` block, a line ``$ iku ...`` is a command; the lines up to the next
  ``$`` line or the end of the block are its output (stdout and stderr together);
* a comment ``# kode keluar 2`` after a command says the exit code it must end with (0 when
  none is given);
* a line ``...`` in an output leaves lines out: the lines before it are the first lines of
  the real output, the lines after it the last ones (at most one ``...`` per output; rewriting
  keeps the numbers of first and last lines).

Every command runs through the real CLI (``python -m iku_formula``, a new process) in a fresh
directory holding a copy of ``examples/``, with ``COLUMNS=100`` and the default language
(``IKU_LANG`` removed), one after the other, so that a command may read what one above wrote.
"""

from __future__ import annotations

import argparse
import difflib
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

__all__ = [
    "ELISION",
    "Command",
    "FileBlock",
    "Page",
    "check",
    "matches",
    "parse_page",
    "render",
    "run_page",
    "trimmed",
    "update",
]

REPO = Path(__file__).resolve().parents[1]
DEFAULT_PAGE = REPO / "docs" / "siklus-triwulan.md"
ELISION = "..."
"""A line of an output that stands for lines left out."""
COLUMNS = "100"
TIMEOUT = 120

_FENCE = re.compile(r"^(?P<indent> *)(?P<fence>`{3,})(?P<info>.*)$")
_TITLE = re.compile(r'title="(?P<name>[^"]+)"')
_EXIT = re.compile(r"#\s*kode keluar\s+(?P<code>\d+)\s*$")


@dataclass
class Command:
    """One ``$ iku ...`` line of a console block and the output shown under it."""

    line: int  # index of the ``$`` line in the page's lines
    text: str  # the command as written, without "$ "
    shown: list[str]  # the output lines on the page (may hold one ELISION line)
    end: int  # index one past the output's last line
    indent: str = ""

    @property
    def argv(self) -> list[str]:
        words = shlex.split(self.text, comments=True)
        if not words or words[0] != "iku":
            raise ValueError(f"line {self.line + 1}: only iku commands run here: {self.text!r}")
        return words[1:]

    @property
    def exit_code(self) -> int:
        found = _EXIT.search(self.text)
        return int(found["code"]) if found else 0


@dataclass
class FileBlock:
    """A fenced block with ``title="NAME"``: a file the commands below read."""

    line: int
    name: str
    content: str


@dataclass
class Page:
    lines: list[str]
    steps: list[Command | FileBlock] = field(default_factory=list)

    @property
    def commands(self) -> list[Command]:
        return [step for step in self.steps if isinstance(step, Command)]


def parse_page(text: str) -> Page:
    """The files and commands of a page, in the order they appear."""
    lines = text.split("\n")
    page = Page(lines)
    index = 0
    while index < len(lines):
        opening = _FENCE.match(lines[index])
        if not opening:
            index += 1
            continue
        indent, fence, info = opening["indent"], opening["fence"], opening["info"].strip()
        close = index + 1
        while close < len(lines) and lines[close].strip() != fence:
            close += 1
        if close == len(lines):
            raise ValueError(f"line {index + 1}: the fenced block is never closed")
        body = [
            line[len(indent) :] if line.startswith(indent) else line
            for line in lines[index + 1 : close]
        ]
        title = _TITLE.search(info)
        if title:
            page.steps.append(FileBlock(index, title["name"], "\n".join(body) + "\n"))
        elif info.split(" ")[0] == "console":
            starts = [n for n, line in enumerate(body) if line.startswith("$ ")]
            if not starts or starts[0] != 0:
                raise ValueError(f"line {index + 1}: a console block starts with a '$ ' line")
            for position, start in enumerate(starts):
                stop = starts[position + 1] if position + 1 < len(starts) else len(body)
                page.steps.append(
                    Command(
                        line=index + 1 + start,
                        text=body[start][2:],
                        shown=body[start + 1 : stop],
                        end=index + 1 + stop,
                        indent=indent,
                    )
                )
        index = close + 1
    return page


def _split(shown: Sequence[str]) -> tuple[list[str], list[str] | None]:
    """The first lines and (after an ELISION line) the last lines an output shows."""
    marks = [n for n, line in enumerate(shown) if line == ELISION]
    if not marks:
        return list(shown), None
    if len(marks) > 1:
        raise ValueError(f"an output leaves lines out at most once ({ELISION!r} twice)")
    return list(shown[: marks[0]]), list(shown[marks[0] + 1 :])


def matches(shown: Sequence[str], real: Sequence[str]) -> bool:
    """Whether the lines on the page are the real output (its first and last lines if trimmed)."""
    head, tail = _split(shown)
    if tail is None:
        return list(real) == head
    if len(head) + len(tail) >= len(real):
        return False  # nothing would be left out: show the whole output instead
    return list(real[: len(head)]) == head and list(real[len(real) - len(tail) :]) == tail


def trimmed(shown: Sequence[str], real: Sequence[str]) -> list[str]:
    """The real output in the page's form: as many first and last lines as it shows."""
    head, tail = _split(shown)
    if tail is None or len(head) + len(tail) >= len(real):
        return list(real)
    return [*real[: len(head)], ELISION, *real[len(real) - len(tail) :]]


def _environment() -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key != "IKU_LANG"}
    env["COLUMNS"] = COLUMNS
    env.pop("LINES", None)
    return env


def run_page(page: Page, work: Path) -> list[tuple[Command, int, list[str]]]:
    """Run the page's steps in ``work`` (which holds ``examples/``): (command, exit, lines)."""
    results: list[tuple[Command, int, list[str]]] = []
    env = _environment()
    for step in page.steps:
        if isinstance(step, FileBlock):
            target = work / step.name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(step.content, encoding="utf-8")
            continue
        completed = subprocess.run(  # noqa: S603 - the page's own iku commands, argv
            [sys.executable, "-m", "iku_formula", *step.argv],
            cwd=work,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            timeout=TIMEOUT,
            check=False,
        )
        output = completed.stdout.removesuffix("\n")
        results.append((step, completed.returncode, output.split("\n") if output else []))
    return results


def _with_examples(page: Page) -> list[tuple[Command, int, list[str]]]:
    with tempfile.TemporaryDirectory(prefix="iku-docs-") as directory:
        work = Path(directory)
        shutil.copytree(REPO / "examples", work / "examples")
        return run_page(page, work)


def check(path: Path) -> list[str]:
    """What differs between the page and the real runs (empty when the page is right)."""
    page = parse_page(path.read_text(encoding="utf-8"))
    problems = []
    for command, code, real in _with_examples(page):
        where = f"{path.name}:{command.line + 1}: $ {command.text}"
        if code != command.exit_code:
            problems.append(f"{where}\n  exit code {code}, the page says {command.exit_code}")
        if not matches(command.shown, real):
            diff = difflib.unified_diff(
                command.shown, trimmed(command.shown, real), "page", "real", lineterm=""
            )
            problems.append(where + "\n" + "\n".join(diff))
    return problems


def render(page: Page, results: Sequence[tuple[Command, int, list[str]]]) -> str:
    """The page with every command's output replaced by its real output."""
    lines = list(page.lines)
    for command, _code, real in sorted(results, key=lambda result: -result[0].line):
        new = [command.indent + line if line else line for line in trimmed(command.shown, real)]
        lines[command.line + 1 : command.end] = new
    return "\n".join(lines)


def update(path: Path) -> bool:
    """Rewrite the outputs on the page from real runs; whether anything changed."""
    text = path.read_text(encoding="utf-8")
    page = parse_page(text)
    results = _with_examples(page)
    for command, code, _real in results:
        if code != command.exit_code:  # a claim of the page's prose: left to its author
            where = f"{path.name}:{command.line + 1}"
            print(f"{where}: exit code {code}, the page says {command.exit_code}")
    new = render(page, results)
    if new != text:
        path.write_text(new, encoding="utf-8")
    return new != text


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("pages", nargs="*", type=Path, default=[DEFAULT_PAGE])
    parser.add_argument("--check", action="store_true", help="compare only; exit 1 on a difference")
    options = parser.parse_args(argv)
    failed = False
    for path in options.pages:
        if options.check:
            problems = check(path)
            for problem in problems:
                print(problem)
            failed = failed or bool(problems)
            print(f"{path}: {'differs' if problems else 'real'}")
        else:
            print(f"{path}: {'rewritten' if update(path) else 'unchanged'}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
