"""The one overwrite rule: never over an input, over an existing file only if it is a report."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from iku_formula.cli import main
from iku_formula.report.overwrite import is_report

from ..conftest import REPO

SAMPLE = REPO / "examples" / "contoh-realisasi-2024-triwulan.csv"
SAMPLE_XLSX = REPO / "examples" / "contoh-realisasi-2024-triwulan.xlsx"


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return Path(shutil.copy(SAMPLE, tmp_path / "data.csv"))


@pytest.mark.parametrize("force", [[], ["--force"]])
@pytest.mark.parametrize("name", ["data.csv", "./data.csv"])
def test_never_over_its_own_input(
    data: Path, name: str, force: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    before = data.read_bytes()
    output = str(data.parent / name)
    assert main(["evaluate", str(data), "-o", output, *force]) == 2
    assert "this is the input file" in capsys.readouterr().err
    assert data.read_bytes() == before


def test_never_over_its_own_xlsx_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("openpyxl")
    data = Path(shutil.copy(SAMPLE_XLSX, tmp_path / "data.xlsx"))
    before = data.read_bytes()
    assert main(["evaluate", str(data), "-o", str(data), "--force"]) == 2
    assert "this is the input file" in capsys.readouterr().err
    assert data.read_bytes() == before


@pytest.mark.parametrize("suffix", [".xlsx", ".csv", ".md", ".json", ".txt"])
def test_a_report_it_wrote_is_written_over(data: Path, suffix: str) -> None:
    if suffix == ".xlsx":
        pytest.importorskip("openpyxl")
    output = data.parent / f"laporan{suffix}"
    assert main(["evaluate", str(data), "-o", str(output)]) == 0
    assert is_report(output)
    assert main(["evaluate", str(data), "--by", "unit", "-o", str(output)]) == 0


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("catatan.md", "# Catatan rapat\n\nJangan hapus.\n"),
        ("data-lain.csv", "unit,period,jumlah_tahanan\nA,TW1,5\n"),
        ("hasil.json", '{"mine": true}\n'),
        ("notes.txt", "my notes\n"),
    ],
)
def test_another_file_needs_force(
    data: Path, name: str, content: str, capsys: pytest.CaptureFixture[str]
) -> None:
    other = data.parent / name
    other.write_text(content, encoding="utf-8")
    assert main(["evaluate", str(data), "-o", str(other)]) == 2
    assert "is not a report iku wrote" in capsys.readouterr().err
    assert other.read_text(encoding="utf-8") == content
    assert main(["evaluate", str(data), "-o", str(other), "--force"]) == 0
    assert is_report(other)


def test_a_workbook_not_written_by_iku_is_no_report(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    path = tmp_path / "lain.xlsx"
    openpyxl.Workbook().save(path)
    assert not is_report(path)
    template = tmp_path / "templat.xlsx"
    assert main(["template", str(template)]) == 0
    assert not is_report(template)  # a template is a sheet a person fills in


def test_a_template_is_never_written_over_without_force(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    template = tmp_path / "isian.csv"
    assert main(["template", str(template)]) == 0
    template.write_text(template.read_text(encoding="utf-8") + "# filled in\n", encoding="utf-8")
    assert main(["template", str(template)]) == 2
    assert "give --force" in capsys.readouterr().err
    assert main(["template", str(template), "--force"]) == 0
