"""The hostile corpus for catalogs: generated TOML files, each refused quickly and located.

Every case is a catalog file written by the test into a temporary directory, read by
the real ``iku list --catalog FILE`` and by ``load_catalog`` in a child process capped
in time and memory (a hang fails the test instead of stalling CI). Each must be refused
with exit code 2 (or a CatalogError), no traceback, the message naming where the
problem is, within the time and memory bounds of ``tests/hostile/conftest.py``.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from ..conftest import HEADER, indicator_toml
from .conftest import Outcome, assert_bounded, run_capped

LEVELS = 60
"""How deep a chain of components goes: written out, any of them would hang for ever."""


def _chain(formula: str, first: str = "persen(a, b)", levels: int = LEVELS) -> str:
    """k0 = ``first``, k_i = ``formula`` with K for k_{i-1}; one indicator uses the last."""
    tables = [f'\n[components.k0]\nlabel = "K0"\nformula = "{first}"\n']
    for level in range(1, levels + 1):
        text = formula.replace("K", f"k{level - 1}")
        tables.append(f'\n[components.k{level}]\nlabel = "K{level}"\nformula = "{text}"\n')
    uses = ["a", "b"] if "b" in first else ["a"]
    return HEADER + "".join(tables) + indicator_toml(1, formula=f"k{levels}", inputs=uses)


def _cycle(length: int) -> str:
    tables = [
        f'\n[components.k{i}]\nlabel = "K"\nformula = "k{i % length + 1} + a"\n'
        for i in range(1, length + 1)
    ]
    return HEADER + "".join(tables) + indicator_toml(1, formula="k1", inputs=["a"])


def _indicators(count: int, **fields: object) -> str:
    return HEADER + "".join(indicator_toml(number, **fields) for number in range(1, count + 1))


def _inputs(count: int) -> str:
    tables = "".join(
        f'\n[inputs.x{i}]\nlabel = "X"\nunit = "orang"\nkind = "count"\n' for i in range(count)
    )
    return HEADER + tables + indicator_toml(1)


# name -> (the file's text, fragments the refusal names)
CASES: dict[str, tuple[Callable[[], str], tuple[str, ...]]] = {
    "doubling chain": (
        lambda: _chain("persen(K, K)"),
        ("component 'k5': field 'formula'", "written out, the formula has 440 tokens"),
    ),
    "power chain": (
        lambda: _chain("K**6"),
        ("component 'k2': field 'formula'", "value can need more than 4,000 digits"),
    ),
    "power tower": (
        lambda: _chain("(K + 1)**6", first="a**6"),
        ("component 'k2'", "more than 4,000 digits"),
    ),
    "powers merged": (
        lambda: _chain("K**6", first="a**6"),
        ("component 'k1'", "once written out, the formula simplifies to the power a**36"),
    ),
    "sum of eight": (
        lambda: _chain("K + K + K + K + K + K + K + K", first="a"),
        ("component 'k3'", "the formula has 2,191 tokens; the limit is 400"),
    ),
    "nesting chain": (
        lambda: _chain("((((-K))))", first="a"),
        ("component 'k5'", "nests 25 levels deep; the limit is 24"),
    ),
    "999 components in a row": (  # walked with a stack of its own: no RecursionError
        lambda: _chain("K", first="a", levels=998),
        ("component 'k25'", "nests 25 levels deep"),
    ),
    "a cycle of 1,000 components": (
        lambda: _cycle(1000),
        ("component 'k1': reference cycle: k1 -> k2 -> k3 -> k4 -> k5 -> (994 more) -> k1000",),
    ),
    "5,000 components": (
        lambda: _chain("K", first="a", levels=5000),
        ("[components]: 5,001 entries; the limit is 1,000",),
    ),
    "constant chain": (
        lambda: _chain("K**6", first="999999"),
        ("component 'k1'", "constants combine into a number with more than 24 digits"),
    ),
    "zero once written out": (
        lambda: (
            HEADER
            + '\n[components.nol]\nlabel = "Nol"\nformula = "a - a"\n'
            + indicator_toml(1, formula="b / nol", inputs=["b"])
        ),
        ("indicator 1: field 'formula': once written out", "undefined for every input"),
    ),
    "one formula, a power tower": (
        lambda: HEADER + indicator_toml(1, formula="((a**6 + 1)**6 + 1)**6", inputs=["a"]),
        ("indicator 1: field 'formula'", "value can need more than 4,000 digits"),
    ),
    "a 1 MB formula": (
        lambda: HEADER + indicator_toml(1, formula="a + " * 250_000 + "a", inputs=["a"]),
        ("indicator 1: field 'formula'", "characters long; the limit is 2000"),
    ),
    "a 1 MB name": (
        lambda: HEADER + f'\n[inputs.{"x" * 1_000_000}]\nlabel = "X"\nunit = "u"\nkind = "count"\n',
        ("is longer than 64 characters",),
    ),
    "nested arrays": (lambda: "a = " + "[" * 100_000, ("nested too deeply",)),
    "nested tables": (lambda: "a = " + "{b = " * 50_000, ("nested too deeply",)),
    "an integer of 5,000 digits": (
        lambda: HEADER.replace("year = 2024", "year = " + "9" * 5000) + indicator_toml(1),
        ("not valid TOML",),
    ),
    "20,000 indicators": (
        lambda: _indicators(20_000),
        ("[[indicators]]: 20,000 entries; the limit is 1,000",),
    ),
    "40,000 inputs": (lambda: _inputs(40_000), ("[inputs]: 40,006 entries; the limit is 2,000",)),
    "1,000 broken indicators": (
        lambda: _indicators(1000, colour="merah", formula="persen(a, bb)"),
        ("indicator 1: unknown field 'colour'", "stopped after 200 problems"),
    ),
    "larger than 5 MB": (
        lambda: "# " + "x" * 5_000_001 + "\n" + HEADER,
        ("the limit is 5000000",),
    ),
    "code in a formula": (
        lambda: HEADER + indicator_toml(1, formula="__import__('os').system('touch dibobol')"),
        ("indicator 1: field 'formula'",),
    ),
    "an infinite cap": (
        lambda: (
            HEADER.replace("[catalog]", "[catalog]\nachievement = { cap = inf }")
            + indicator_toml(1)
        ),
        ("[catalog.achievement]: field 'cap' must be a finite number",),
    ),
}

SPECIAL = ("/dev/zero", "a directory")
"""Paths that are no regular file: refused before anything is read."""


def _write(folder: Path, name: str) -> Path:
    path = folder / (name.replace(" ", "-").replace(",", "") + ".toml")
    path.write_text(CASES[name][0](), encoding="utf-8")
    return path


@pytest.mark.parametrize("name", ["doubling chain", "nested arrays", "20,000 indicators"])
def test_iku_list_refuses_a_hostile_catalog(iku: Any, tmp_path: Path, name: str) -> None:
    """A few cases as real processes; every case goes through the command in ``listed``."""
    path = _write(tmp_path, name)
    outcome = iku("list", "--catalog", str(path))
    assert outcome.refused("iku: error: invalid catalog", str(path), *CASES[name][1]), (
        outcome.stderr[:3000]
    )
    assert outcome.stdout == ""
    assert_bounded(outcome)


@pytest.mark.parametrize("special", SPECIAL)
def test_iku_list_refuses_what_is_no_file(iku: Any, tmp_path: Path, special: str) -> None:
    path = Path(special) if special.startswith("/") else tmp_path
    if special.startswith("/"):
        link = tmp_path / "katalog.toml"  # a link to it, named like a catalog
        os.symlink(path, link)
        path = link
    outcome = iku("list", "--catalog", str(path))
    why = "not a regular file; give a .toml file" if special.startswith("/") else "Is a directory"
    assert outcome.refused(str(path), why), outcome.stderr
    assert_bounded(outcome)


LOADER = """
import contextlib, io, json, sys, time
from iku_formula import CatalogError, load_catalog
from iku_formula.cli import main
for path in sys.argv[1:]:
    start = time.perf_counter()
    try:
        load_catalog(path)
        outcome = {"error": None}
    except CatalogError as error:
        outcome = {"error": "CatalogError", "message": str(error)[:4000] + str(error)[-1000:]}
    except BaseException as error:
        outcome = {"error": type(error).__name__, "message": str(error)[:2000]}
    outcome.update(path=path, seconds=time.perf_counter() - start)
    err, out = io.StringIO(), io.StringIO()
    start = time.perf_counter()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(out):
        code = main(["list", "--catalog", path])  # an exception here ends the child
    stderr = err.getvalue()
    outcome.update(
        code=code, stdout=out.getvalue()[:1000], stderr=stderr[:4000] + stderr[-1000:],
        command_seconds=time.perf_counter() - start,
    )
    print(json.dumps(outcome), flush=True)
"""


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> tuple[Outcome, dict[str, Any]]:
    """Every case through load_catalog and through ``iku list``, in one capped child process."""
    folder = tmp_path_factory.mktemp("katalog")
    paths = {name: _write(folder, name) for name in CASES}
    outcome = run_capped(
        [sys.executable, "-c", LOADER, *map(str, paths.values())], cwd=folder, timeout=90
    )
    by_path = {record["path"]: record for record in map(json.loads, outcome.stdout.splitlines())}
    return outcome, {name: by_path.get(str(path)) for name, path in paths.items()}


def test_the_corpus_runs_to_its_end_bounded(loaded: tuple[Outcome, dict[str, Any]]) -> None:
    outcome, records = loaded
    assert_bounded(outcome)
    assert outcome.returncode == 0, outcome.stderr[-3000:]
    assert None not in records.values()
    folder = Path(records["code in a formula"]["path"]).parent  # the child's directory
    assert not (folder / "dibobol").exists()  # the formula was refused, never run


@pytest.mark.parametrize("name", list(CASES))
def test_load_catalog_refuses_a_hostile_catalog_quickly(
    loaded: tuple[Outcome, dict[str, Any]], name: str
) -> None:
    record = loaded[1][name]
    assert record is not None, "never finished: see test_the_corpus_runs_to_its_end_bounded"
    assert record["error"] == "CatalogError", record
    for fragment in CASES[name][1]:
        assert fragment in record["message"], record["message"][:3000]
    # What is refused without being built takes milliseconds; the largest files need
    # a little more to be parsed as TOML at all (5 MB: tomllib alone takes ~0.5 s).
    assert record["seconds"] < 2.0, record["seconds"]
    assert len(record["message"]) < 50_000


@pytest.mark.parametrize("name", list(CASES))
def test_iku_list_refuses_every_hostile_catalog(
    loaded: tuple[Outcome, dict[str, Any]], name: str
) -> None:
    record = loaded[1][name]
    assert record is not None, "never finished: see test_the_corpus_runs_to_its_end_bounded"
    assert record["code"] == 2, record
    assert record["stdout"] == ""
    assert record["stderr"].startswith("iku: error: invalid catalog ("), record["stderr"][:500]
    assert record["path"] in record["stderr"]
    for fragment in CASES[name][1]:
        assert fragment in record["stderr"], record["stderr"][:3000]
    assert record["command_seconds"] < 2.0, record["command_seconds"]
