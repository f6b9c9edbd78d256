"""The error module's helpers."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

import iku_formula
from iku_formula import errors
from iku_formula.errors import column_letter
from iku_formula.i18n import set_language

REPO = Path(__file__).resolve().parents[1]
PACKAGE = Path(iku_formula.__file__).resolve().parent


@pytest.mark.parametrize(
    ("index", "letter"), [(1, "A"), (2, "B"), (26, "Z"), (27, "AA"), (52, "AZ"), (703, "AAA")]
)
def test_column_letter(index: int, letter: str) -> None:
    assert column_letter(index) == letter


def _raised_codes() -> Iterator[tuple[str, int, str]]:
    """Every ``code="..."`` given where an error is raised, and each class's ``code``."""
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.keyword)
                and node.arg == "code"
                and isinstance(node.value, ast.Constant)
                and isinstance(node.value.value, str)
            ):
                yield path.name, node.value.lineno, node.value.value


def _classes() -> list[type[errors.IkuError]]:
    return [
        value
        for value in vars(errors).values()
        if isinstance(value, type) and issubclass(value, errors.IkuError)
    ]


def test_every_code_is_documented() -> None:
    from iku_formula.sheets.table import KIND_CODES

    codes = [code for _file, _line, code in _raised_codes()]
    codes += [cls.code for cls in _classes()]
    codes += list(KIND_CODES.values())
    assert codes
    assert sorted(set(codes) - errors.CODES.keys()) == []


def test_every_class_has_its_own_code() -> None:
    codes = [cls.code for cls in _classes()]
    assert len(codes) == len(set(codes)) == len(_classes())
    for cls in _classes():
        assert errors.CODES[cls.code][0] == cls.__name__


@pytest.mark.parametrize("code", sorted(errors.CODES))
def test_a_code_names_a_class_of_the_hierarchy(code: str) -> None:
    owner = getattr(errors, errors.CODES[code][0])
    assert issubclass(owner, errors.IkuError)


@pytest.mark.parametrize("code", sorted(errors.CODES))
def test_codes_are_stable_english_names(code: str) -> None:
    assert code.islower()
    assert code.replace("-", "").isalpha()


def test_the_errors_page_lists_every_code() -> None:
    page = (REPO / "docs" / "api" / "errors.md").read_text(encoding="utf-8")
    begin, end = "<!-- codes:begin -->", "<!-- codes:end -->"
    assert page.split(begin)[1].split(end)[0].strip() == errors.codes_table().strip(), (
        "paste `python -m iku_formula.errors` between the codes markers of docs/api/errors.md"
    )


def test_a_code_given_at_the_raise_wins() -> None:
    error = errors.SheetError.at(errors.Place("a.csv", row=2), "bad", code="unknown-column")
    assert error.code == "unknown-column"
    assert errors.SheetError.at(errors.Place("a.csv"), "bad").code == "invalid-sheet"


def test_the_message_is_localized_and_the_code_is_not(indonesian: None) -> None:
    error = errors.SheetError.at(errors.Place("a.csv", sheet="realisasi", row=4, column=3), "x")
    assert str(error) == "a.csv: lembar 'realisasi', baris 4, kolom C: x"
    assert error.message == str(error)
    assert error.code == "invalid-sheet"
    set_language("en")
    try:
        again = errors.SheetError.at(errors.Place("a.csv", sheet="realisasi", row=4), "x")
        assert str(again) == "a.csv: sheet 'realisasi', row 4: x"
    finally:
        set_language(None)
