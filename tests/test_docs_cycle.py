"""The guide page "Siklus triwulan" shows what the CLI really prints (issue 11, item 9).

Every ``$ iku ...`` command on docs/siklus-triwulan.md runs through the real CLI (a new
process, ``COLUMNS=100``, the default language, in a temporary copy of ``examples/``) and its
output must equal the page's, up to a documented ``...`` line that leaves the middle or the end
of a long output out. ``python tools/docs_outputs.py`` rewrites the page from real runs; the
tests below also hold that tool's parsing, matching and rewriting to their rules.
"""

from __future__ import annotations

import importlib.util
import os
import re
import sys
from pathlib import Path
from types import ModuleType

import pytest

from iku_formula.report.html import find_chromium

REPO = Path(__file__).resolve().parents[1]
PAGE = REPO / "docs" / "siklus-triwulan.md"
CI = bool(os.environ.get("CI"))


def _load_tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location("docs_outputs", REPO / "tools/docs_outputs.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


tool = _load_tool()


def test_every_command_on_the_page_prints_what_the_page_shows() -> None:
    if find_chromium() is None:  # the page prints laporan-tw3.pdf
        if CI:
            pytest.fail("Chromium is not installed; CI is set, so the PDF step must run")
        pytest.skip("Chromium is not installed (the page prints a PDF)")
    problems = tool.check(PAGE)
    assert problems == [], "\n\n".join(problems) + "\n(python tools/docs_outputs.py rewrites them)"


def test_the_page_walks_the_whole_cycle() -> None:
    page = tool.parse_page(PAGE.read_text(encoding="utf-8"))
    commands = [command.text for command in page.commands]
    assert len(commands) >= 10
    every = " ".join(commands)
    for step in (
        "iku template realisasi-2024.csv --units",
        "--bulanan",
        "--target",
        "--sampai TW3 --target-file examples/contoh-target-2024-triwulan.csv",
        "--matrix period",
        "iku kebutuhan examples/contoh-realisasi-2024-triwulan.csv --sampai TW3",
        "--json",
        "-o laporan-tw3.xlsx",
        "-o laporan-tw3.html",
        "-o laporan-tw3.pdf",
    ):
        assert step in every, step
    assert all(command.argv for command in page.commands)  # only iku commands, parsed
    files = [step.name for step in page.steps if isinstance(step, tool.FileBlock)]
    assert files == ["salah.csv"]
    assert [command.exit_code for command in page.commands].count(2) == 1  # the wrong sheet


def test_the_page_is_in_the_site_and_linked() -> None:
    nav = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    assert re.search(r"^      - Siklus triwulan: siklus-triwulan\.md$", nav, re.MULTILINE)
    for linking in ("index.md", "quickstart.md"):
        assert "siklus-triwulan.md" in (REPO / "docs" / linking).read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("shown", "real", "expected"),
    [
        (["a", "b"], ["a", "b"], True),
        (["a", "b"], ["a", "b", "c"], False),  # a line more is a difference
        (["a"], ["a", "b"], False),
        ([], [], True),
        (["a", "..."], ["a", "b", "c"], True),  # the first lines
        (["...", "c"], ["a", "b", "c"], True),  # the last lines
        (["a", "...", "c"], ["a", "b", "c"], True),
        (["a", "...", "c"], ["a", "x", "y", "c"], True),
        (["a", "...", "d"], ["a", "b", "c"], False),
        (["b", "..."], ["a", "b", "c"], False),  # the shown lines are anchored at the start
        (["a", "...", "b"], ["a", "b"], False),  # nothing left out: show it all
        (["a", "b", "..."], ["a", "b"], False),
    ],
)
def test_an_output_matches_its_real_lines(
    shown: list[str], real: list[str], expected: bool
) -> None:
    assert tool.matches(shown, real) is expected


def test_an_output_leaves_lines_out_at_most_once() -> None:
    with pytest.raises(ValueError, match="at most once"):
        tool.matches(["a", "...", "b", "...", "c"], ["a", "b", "c", "d", "e", "f"])


@pytest.mark.parametrize(
    ("shown", "real", "expected"),
    [
        (["old"], ["new", "lines"], ["new", "lines"]),
        (["a", "..."], ["x", "y", "z"], ["x", "..."]),  # as many first lines as shown
        (["a", "...", "b"], ["1", "2", "3", "4"], ["1", "...", "4"]),
        (["a", "b", "...", "c"], ["1", "2", "3"], ["1", "2", "3"]),  # too short to trim
    ],
)
def test_rewriting_keeps_the_numbers_of_first_and_last_lines(
    shown: list[str], real: list[str], expected: list[str]
) -> None:
    assert tool.trimmed(shown, real) == expected
    assert tool.matches(expected, real)


SAMPLE = """# Contoh

```csv title="data/x.csv"
a,b
1,2
```

```console
$ iku evaluate data/x.csv --sampai "TW 3"   # kode keluar 2
error line
$ iku list
first
...
last
```

```python
$ not a command
```
"""


def test_the_page_is_parsed_into_files_and_commands() -> None:
    page = tool.parse_page(SAMPLE)
    file_block, first, second = page.steps
    assert (file_block.name, file_block.content) == ("data/x.csv", "a,b\n1,2\n")
    assert first.argv == ["evaluate", "data/x.csv", "--sampai", "TW 3"]
    assert (first.exit_code, first.shown) == (2, ["error line"])
    assert (second.argv, second.exit_code, second.shown) == (["list"], 0, ["first", "...", "last"])


def test_rendering_replaces_only_the_outputs() -> None:
    page = tool.parse_page(SAMPLE)
    first, second = page.commands
    results = [(first, 2, ["new error", "on two lines"]), (second, 0, ["1", "2", "3", "4"])]
    rendered = tool.render(page, results)
    expected = SAMPLE.replace("error line\n", "new error\non two lines\n").replace(
        "first\n...\nlast\n", "1\n...\n4\n"
    )
    assert rendered == expected
    unchanged = [(first, 2, ["error line"]), (second, 0, ["first", "x", "y", "last"])]
    assert tool.render(page, unchanged) == SAMPLE


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("```console\n$ python -c 1\n```\n", "only iku commands"),
        ("```console\noutput first\n$ iku list\n```\n", "starts with a '\\$ ' line"),
        ("```console\n$ iku list\n", "never closed"),
    ],
)
def test_a_page_the_tool_cannot_run_is_refused(text: str, message: str) -> None:
    def argvs() -> list[list[str]]:
        return [command.argv for command in tool.parse_page(text).commands]

    with pytest.raises(ValueError, match=message):
        argvs()


def test_the_tool_rewrites_a_stale_page_from_real_runs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    stale = tmp_path / "halaman.md"
    stale.write_text(
        "Contoh:\n\n"
        "```console\n"
        "$ iku template target.csv --target\n"
        "wrote something else\n"
        "$ iku template target.csv --target   # kode keluar 2\n"
        "old refusal\n"
        "```\n",
        encoding="utf-8",
    )
    assert tool.main(["--check", str(stale)]) == 1
    assert "wrote something else" in capsys.readouterr().out
    assert tool.main([str(stale)]) == 0
    rewritten = stale.read_text(encoding="utf-8")
    assert "wrote something else" not in rewritten
    assert "old refusal" not in rewritten  # the second run refuses to overwrite target.csv
    assert rewritten.startswith("Contoh:\n\n```console\n$ iku template target.csv --target\n")
    assert tool.check(stale) == []  # the rewritten page is real
