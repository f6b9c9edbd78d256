"""Shared fixtures: small catalogs written to a temporary directory."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from iku_formula import Catalog, load_catalog
from iku_formula.i18n import set_language

# Tests that assert a message's wording were written in English: they run in English (the
# child processes they start too). Tests of the Indonesian wording ask for `indonesian`.
os.environ["IKU_LANG"] = "en"

settings.register_profile(
    "ci", deadline=None, suppress_health_check=[HealthCheck.too_slow], max_examples=100
)
settings.load_profile("ci")

REPO = Path(__file__).resolve().parents[1]

HEADER = """
[catalog]
title = "Uji"
year = 2024

[[objectives]]
id = "sk01"
name = "Sasaran uji"

[inputs.a]
label = "A"
unit = "orang"
kind = "count"

[inputs.b]
label = "B"
unit = "orang"
kind = "count"

[inputs.c]
label = "C"
unit = "orang"
kind = "count"

[inputs.d]
label = "D"
unit = "orang"
kind = "count"

[inputs.rupiah]
label = "Penerimaan"
unit = "rupiah"
kind = "amount"

[inputs.skor]
label = "Skor"
unit = "indeks"
kind = "score"
minimum = 1
maximum = 4
"""


def indicator_toml(number: int = 1, **fields: object) -> str:
    """One [[indicators]] table; ``fields`` override the defaults (None removes a field)."""
    values: dict[str, object] = {
        "number": number,
        "key": f"ind{number}",
        "name": f"Indikator {number}",
        "objective": "sk01",
        "target": "90%",
        "polarity": "maximize",
        "formula": "persen(a, b)",
        "inputs": ["a", "b"],
    }
    values.update(fields)
    lines = ["", "[[indicators]]"]
    for key, value in values.items():
        if value is None:
            continue
        if isinstance(value, bool):
            lines.append(f"{key} = {str(value).lower()}")
        elif isinstance(value, str):
            lines.append(f"{key} = {_toml_string(value)}")
        elif isinstance(value, list):
            items = ", ".join(_toml_string(str(item)) for item in value)
            lines.append(f"{key} = [{items}]")
        else:
            lines.append(f"{key} = {value}")
    return "\n".join(lines) + "\n"


def _toml_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


@pytest.fixture
def write_catalog(tmp_path: Path) -> Callable[[str], Path]:
    """Write catalog text to a file and return its path."""

    def write(text: str) -> Path:
        path = tmp_path / "uji.toml"
        path.write_text(text, encoding="utf-8")
        return path

    return write


@pytest.fixture
def make_catalog(write_catalog: Callable[[str], Path]) -> Callable[..., Catalog]:
    """Load HEADER plus the given indicator tables (and any extra TOML text)."""

    def make(*indicators: str, extra: str = "") -> Catalog:
        return load_catalog(write_catalog(HEADER + extra + "".join(indicators)))

    return make


@pytest.fixture(autouse=True)
def _wide_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """Text reports laid out 250 columns wide, so tests that read a table cell by cell see
    each row on one line; the layout tests set their own width (COLUMNS)."""
    monkeypatch.setenv("COLUMNS", "250")


@pytest.fixture
def indonesian(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Messages in Indonesian (the default people get), here and in child processes."""
    monkeypatch.setenv("IKU_LANG", "id")
    set_language(None)
    yield
    set_language(None)
