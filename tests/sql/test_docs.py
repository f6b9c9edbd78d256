"""docs/aplikasi-lain.md: its e-SAKIP example runs as written, its tables are the code's."""

from __future__ import annotations

import math
import re

import pytest

from iku_formula import load_catalog
from iku_formula.sql.views import DIALECTS, VIEWS

from ..conftest import REPO
from .conftest import TOLERANCE, Database

PAGE = (REPO / "docs" / "aplikasi-lain.md").read_text(encoding="utf-8")


def _blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", PAGE, flags=re.DOTALL)


def test_the_e_sakip_example_runs_as_written() -> None:
    import duckdb

    (script,) = _blocks("sql")
    duck = Database("duckdb", duckdb.connect())  # a database of its own: the page's tables
    duck.connection.execute(script)
    catalog = load_catalog()
    columns = ["pengaduan_notaris_diperiksa", "pengaduan_notaris_masuk"]
    for statement in catalog.to_sql("duckdb", "realisasi", columns=columns):
        duck.execute(statement)
    found = duck.connection.execute("SELECT realisasi_3, status_3 FROM iku_kanwil").fetchall()
    assert found == [(pytest.approx(1000 / 12, rel=1e-15), "not_met")]
    assert f"# [({found[0][0]!r}, 'not_met')]" in PAGE
    assert catalog.evaluate_sql(duck.connection, "realisasi")[3].item() == found[0][0]


def test_the_views_and_precisions_are_the_code_s() -> None:
    for view in VIEWS:
        assert f"| `iku_{view}` |" in PAGE
    for dialect in DIALECTS.values():
        exponent = -round(math.log10(TOLERANCE[dialect.name]))
        superscript = str(exponent).translate(str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹"))
        row = f"| `{dialect.name}` | `{dialect.stored}` | `{dialect.computed}` | 10⁻{superscript} |"
        assert row in PAGE
