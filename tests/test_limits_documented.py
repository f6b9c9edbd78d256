"""docs/berkas-masukan.md lists the limits as the code sets them: a test, not a copy to drift."""

from __future__ import annotations

import importlib
import re

from .conftest import REPO

PAGE = REPO / "docs" / "berkas-masukan.md"
ROW = re.compile(r"^\| `([a-z_.]+)\.([A-Z_]+)` \| ([0-9.]+) \|", re.M)


def test_every_documented_limit_is_the_code_s() -> None:
    rows = ROW.findall(PAGE.read_text(encoding="utf-8"))
    assert len(rows) >= 15
    for module, name, shown in rows:
        value = getattr(importlib.import_module(f"iku_formula.{module}"), name)
        assert int(shown.replace(".", "")) == value, f"{module}.{name} is {value}, not {shown}"


def test_the_page_is_in_the_site() -> None:
    assert "berkas-masukan.md" in (REPO / "mkdocs.yml").read_text(encoding="utf-8")
