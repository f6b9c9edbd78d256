"""``iku export sql``: the views written to a file, run as written."""

from __future__ import annotations

from pathlib import Path

import pytest

from iku_formula import load_catalog
from iku_formula.cli import main

from .conftest import Database


def test_export_sql_writes_views_that_run(tmp_path: Path, duck: Database) -> None:
    path = tmp_path / "iku.sql"
    assert main(["export", "sql", "--dialect", "duckdb", "-o", str(path)]) == 0
    catalog = load_catalog()
    duck.load(
        [{"unit": "A", "period": 1, **dict.fromkeys(catalog.inputs, 1)}], list(catalog.inputs)
    )
    duck.connection.execute(path.read_text(encoding="utf-8"))
    names = {
        row[0] for row in duck.connection.execute("SELECT view_name FROM duckdb_views()").fetchall()
    }
    assert {"iku_rows", "iku_unit_inputs", "iku_units", "iku_kanwil_inputs", "iku_kanwil"} <= names
    (status,) = duck.connection.execute('SELECT "status_3" FROM "iku_kanwil"').fetchone()
    assert status == "met"  # persen(1, 1) = 100% >= 88%


@pytest.mark.parametrize(("dialect", "quote"), [("postgres", '"'), ("mysql", "`")])
def test_export_sql_speaks_each_dialect(
    dialect: str, quote: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["export", "sql", "--dialect", dialect, "--table", "sakip"]) == 0
    text = capsys.readouterr().out
    assert text.count("CREATE VIEW") == 5
    assert f"FROM {quote}sakip{quote}" in text


def test_export_sql_refuses_an_unknown_dialect(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "sql", "--dialect", "oracle"]) == 2
    assert "invalid choice" in capsys.readouterr().err
