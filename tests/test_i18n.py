"""The message catalog: every message translated, nothing stale, the shipped .mo current.

The checks are those of ``python tools/messages.py check`` (Babel extracts the message ids
from the source); the tests say which command fixes what they find.
"""

from __future__ import annotations

import ast
import importlib.util
import sys
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from types import ModuleType

import pytest

import iku_formula
from iku_formula import i18n
from iku_formula.i18n import _, language, ngettext, set_language

REPO = Path(__file__).resolve().parents[1]
PACKAGE = Path(iku_formula.__file__).resolve().parent


def _tools() -> ModuleType:
    spec = importlib.util.spec_from_file_location("messages_tool", REPO / "tools" / "messages.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["messages_tool"] = module
    spec.loader.exec_module(module)
    return module


pytest.importorskip("babel")
messages = _tools()


def _problems(word: str) -> list[str]:
    return [problem for problem in messages.problems("id") if word in problem]


def test_every_message_has_an_indonesian_translation() -> None:
    assert _problems("untranslated") == []


def test_no_translation_is_stale() -> None:
    assert _problems("stale") == []


def test_placeholders_agree_between_message_and_translation() -> None:
    assert _problems("placeholders") == []


def test_the_shipped_catalog_is_the_po_compiled() -> None:
    assert _problems("run compile") == []


def test_the_source_has_messages() -> None:
    assert len(messages.extracted()) > 10


@pytest.mark.parametrize(
    ("text", "fields"),
    [
        ("row {number}", {"number"}),
        ("{reason} (column {column})", {"reason", "column"}),
        ("{value:.2f} and {{literal}}", {"value"}),
        ("sheet {name!r}", {"name"}),
        ("no fields", set()),
    ],
)
def test_placeholders(text: str, fields: set[str]) -> None:
    assert messages.placeholders(text) == fields


def test_the_compiled_catalog_is_in_the_installed_package() -> None:
    shipped = resources.files("iku_formula") / "locale" / "id" / "LC_MESSAGES" / "iku_formula.mo"
    assert shipped.is_file()


def test_english_is_the_message_ids() -> None:
    set_language("en")
    try:
        for message in messages.extracted():
            if isinstance(message, tuple):
                assert ngettext(message[0], message[1], 1) == message[0]
                assert ngettext(message[0], message[1], 2) == message[1]
            else:
                assert _(message) == message
    finally:
        set_language(None)


def test_indonesian_is_translated_at_call_time() -> None:
    set_language("id")
    try:
        assert _("row {number}") == "baris {number}"
        set_language("en")
        assert _("row {number}") == "row {number}"
    finally:
        set_language(None)


@pytest.mark.parametrize(
    ("environment", "expected"),
    [("en", "en"), ("EN_US.UTF-8", "en"), ("id", "id"), ("", "id"), ("fr", "id")],
)
def test_language_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, environment: str, expected: str
) -> None:
    monkeypatch.setenv("IKU_LANG", environment)
    set_language(None)
    assert language() == expected


def test_set_language_refuses_an_unknown_language() -> None:
    with pytest.raises(ValueError, match="language must be one of"):
        set_language("fr")


def test_a_missing_catalog_falls_back_to_english(monkeypatch: pytest.MonkeyPatch) -> None:
    assert i18n.translations("xx").gettext("row {number}") == "row {number}"


def _importing_modules(wanted: frozenset[str]) -> Iterator[tuple[Path, ast.Module]]:
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = {
            alias.asname or alias.name
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and (node.module or "").endswith("i18n")
            for alias in node.names
        }
        if names & wanted:
            yield path, tree


MODULES = list(_importing_modules(frozenset({"_", "N_", "ngettext"})))
CALLING = list(_importing_modules(frozenset({"_"})))


@pytest.mark.parametrize(("path", "tree"), MODULES, ids=[p.name for p, _t in MODULES])
def test_messages_are_literals(path: Path, tree: ast.Module) -> None:
    """``_(f"...")`` or ``_(name)`` of a literal-free text cannot be extracted: a message id is
    a plain string (a variable is fine only for texts marked with ``N_`` where defined)."""
    bad = [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in {"N_", "ngettext"}
        and not all(isinstance(arg, ast.Constant) for arg in node.args[:2])
    ] + [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "_"
        and node.args
        and isinstance(node.args[0], ast.JoinedStr)
    ]
    assert bad == [], f"{path}: lines {bad}"


@pytest.mark.parametrize(("path", "tree"), CALLING, ids=[p.name for p, _t in CALLING])
def test_underscore_is_never_rebound(path: Path, tree: ast.Module) -> None:
    """A module calling ``_()`` must not use ``_`` as a throwaway name: it would shadow it."""
    bad = [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Name) and node.id == "_" and isinstance(node.ctx, ast.Store)
    ]
    assert bad == [], f"{path}: lines {bad} bind `_`; name the throwaway `_unused`"
