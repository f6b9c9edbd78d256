"""What every report form says besides the table: here, the columns it ignored."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from iku_formula.cli import main


@pytest.fixture
def sheet(tmp_path: Path) -> Path:
    path = tmp_path / "realisasi.csv"
    path.write_text(
        "no,unit,period,pemenuhan_makanan,jumlah_tahanan,keterangan\n"
        "1,Lapas A,TW1,850,1000,diisi ulang\n",
        encoding="utf-8",
    )
    return path


def test_ignored_columns_are_listed_in_every_form(
    sheet: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["evaluate", str(sheet)]) == 0
    text = capsys.readouterr().out
    assert "Columns ignored (not inputs): 2" in text
    assert "no, keterangan" in text
    assert main(["evaluate", str(sheet), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["ignored_columns"] == ["no", "keterangan"]
    assert main(["evaluate", str(sheet), "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out, newline="")))
    assert [row["status"] for row in rows if row["status"] == "ignored_column"] == [
        "ignored_column",
        "ignored_column",
    ]
    assert main(["evaluate", str(sheet), "--format", "markdown"]) == 0
    assert "## Columns ignored" in capsys.readouterr().out


def test_a_known_number_style_is_said(sheet: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["evaluate", str(sheet), "--angka", "id"]) == 0
    assert "Text numbers read in the style id (1.234,5), from --angka" in capsys.readouterr().out
