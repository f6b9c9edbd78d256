"""``iku evaluate --sampai`` (``--to``) and monthly sheets, through the real command on real files.

The to-date figures the command prints are those of the exact roll-up of the rows up to the
period (``roll_up_rows(..., until=)``), for the Kantor Wilayah and per unit; ``--sampai TW4``
is the year; a period that is no period, or one before every row, exits 2 with a message.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import iku_formula
from iku_formula import load_catalog
from iku_formula.cli import main
from iku_formula.periods import MONTHS
from iku_formula.rollup.exact import evaluate_rolled_up, roll_up_rows
from iku_formula.sheets import read_sheet

REPO = Path(__file__).resolve().parents[1]
SAMPLE_CSV = REPO / "examples" / "contoh-realisasi-2024-triwulan.csv"


def _evaluate(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> tuple[int, Any, str]:
    code = main(["evaluate", *(str(arg) for arg in argv)])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, json.loads(out) if code == 0 and out.startswith("{") else out, err


def _values(section: dict[str, Any]) -> dict[int, str | None]:
    return {result["number"]: result["value_exact"] for result in section["results"]}


def _exact(results: dict[int, Any]) -> dict[int, str | None]:
    return {
        number: None if result.value is None else str(result.value)
        for number, result in results.items()
    }


@pytest.mark.parametrize(
    ("flag", "until", "label"),
    [
        ("--sampai", "TW1", "2024 s.d. TW1"),
        ("--sampai", "TW3", "2024 s.d. TW3"),
        ("--to", "TW3", "2024 s.d. TW3"),
        ("--sampai", "Triwulan III", "2024 s.d. TW3"),
        ("--sampai", "September", "2024 s.d. TW3"),  # TW3 ends in September
        ("--sampai", "Agustus", "2024 s.d. TW2"),  # ... and not before
        ("--sampai", "S1", "2024 s.d. TW2"),
        ("--sampai", "Juni", "2024 s.d. TW2"),
    ],
)
def test_sampai_gives_the_exact_roll_up_of_the_rows_up_to_it(
    capsys: pytest.CaptureFixture[str], flag: str, until: str, label: str
) -> None:
    code, report, err = _evaluate(capsys, SAMPLE_CSV, "--json", flag, until)
    assert code == 0, err
    (kanwil,) = report["sections"]
    assert kanwil["period"] == label
    catalog = load_catalog()
    sheet = read_sheet(SAMPLE_CSV, catalog)
    rolled = roll_up_rows(catalog, sheet.rows, until=until)
    expected = evaluate_rolled_up(catalog, rolled)
    assert _values(kanwil) == _exact(expected)
    last = label.removeprefix("2024 s.d. ")
    assert kanwil["rows"] == [row.number for row in sheet.rows if row.period <= last]


def test_sampai_by_unit(capsys: pytest.CaptureFixture[str]) -> None:
    code, report, err = _evaluate(capsys, SAMPLE_CSV, "--json", "--by", "unit", "--sampai", "TW2")
    assert code == 0, err
    sections = report["sections"]
    assert len(sections) == 11  # the Kantor Wilayah and its 10 units
    assert {section["period"] for section in sections} == {"2024 s.d. TW2"}
    catalog = load_catalog()
    sheet = read_sheet(SAMPLE_CSV, catalog)
    for section in sections[1:]:
        rows = [row for row in sheet.rows if row.unit == section["unit"]]
        expected = evaluate_rolled_up(catalog, roll_up_rows(catalog, rows, until="TW2"))
        assert _values(section) == _exact(expected)


def test_sampai_by_row(capsys: pytest.CaptureFixture[str]) -> None:
    code, report, err = _evaluate(capsys, SAMPLE_CSV, "--json", "--by", "row", "--sampai", "TW1")
    assert code == 0, err
    assert len(report["sections"]) == 10  # every unit's TW1 row, on its own
    assert {section["period"] for section in report["sections"]} == {"TW1"}


def test_sampai_tw4_is_the_year(capsys: pytest.CaptureFixture[str]) -> None:
    code, year, _ = _evaluate(capsys, SAMPLE_CSV, "--json")
    assert code == 0
    code, to_date, _ = _evaluate(capsys, SAMPLE_CSV, "--json", "--sampai", "TW4")
    assert code == 0
    assert to_date["sections"] == year["sections"]


def test_sampai_in_the_table(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _evaluate(capsys, SAMPLE_CSV, "--sampai", "TW3")
    assert code == 0, err
    assert out.startswith("== Kantor Wilayah, 2024 s.d. TW3 ==")


@pytest.mark.parametrize("until", ["TW5", "Semester 3", "13", "Jan-Mar"])
def test_sampai_that_is_no_period_exits_2(capsys: pytest.CaptureFixture[str], until: str) -> None:
    code = main(["evaluate", str(SAMPLE_CSV), "--sampai", until])
    out, err = capsys.readouterr()
    assert code == 2
    assert out == ""
    assert f"argument --sampai/--to: period {until!r} is not a quarter" in err
    assert "Traceback" not in err


def test_sampai_before_every_row_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    catalog = load_catalog()
    names = "pengaduan_notaris_diperiksa,pengaduan_notaris_masuk"
    assert {"pengaduan_notaris_diperiksa", "pengaduan_notaris_masuk"} <= set(catalog.inputs)
    path = tmp_path / "tahunan.csv"
    path.write_text(f"unit,period,{names}\nLapas A,2024,1,2\n", encoding="utf-8")
    code = main(["evaluate", str(path), "--sampai", "TW3"])
    out, err = capsys.readouterr()
    assert (code, out) == (2, "")
    assert f"{path}: no row is up to TW3: the rows cover 2024; give a later period" in err


def _monthly_csv(tmp_path: Path) -> Path:
    catalog = load_catalog()
    flows = [name for name, spec in catalog.inputs.items() if spec.over_time.value == "sum"][:4]
    lines = [f"unit,bulan,{','.join(flows)}"]
    for unit in ("Lapas A", "Rutan B"):
        for month in range(1, 13):  # bare numbers: the column named 'bulan' says months
            lines.append(f"{unit},{month},{','.join(str(month) for _ in flows)}")
    path = tmp_path / "bulanan.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_a_monthly_sheet_to_date(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _monthly_csv(tmp_path)
    found = {}
    for until in ("Juni", "TW2", "S1"):
        code, report, err = _evaluate(capsys, path, "--json", "--sampai", until)
        assert code == 0, err
        found[until] = report["sections"]
    assert found["Juni"][0]["period"] == "2024 s.d. Juni"
    assert found["Juni"] == found["TW2"] == found["S1"]
    assert main(["evaluate", str(path), "--sampai", "6"]) == 2  # on the command line, bare
    assert "period '6' is not a quarter" in capsys.readouterr().err  # numbers are quarters
    code, report, err = _evaluate(capsys, path, "--json", "--by", "period", "--sampai", "Mei")
    assert code == 0, err
    periods = [section["period"] for section in report["sections"]]
    assert periods == ["2024 s.d. Mei", "TW1", "TW2 (April, Mei)"]
    assert [len(section["rows"]) for section in report["sections"]] == [10, 6, 4]
    assert found["Juni"][0]["rows"] == [
        row for unit in (2, 14) for row in range(unit, unit + 6)
    ]  # Januari to Juni of each unit
    assert MONTHS[4] == "Mei"


def test_python_m_with_sampai(tmp_path: Path) -> None:
    """The installed command, in a process of its own: a monthly template, filled, to date."""
    package_root = Path(iku_formula.__file__).resolve().parents[1]
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(package_root), env.get("PYTHONPATH")]))

    def iku(*argv: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "iku_formula", *argv],
            capture_output=True,
            text=True,
            env=env,
            cwd=tmp_path,
            timeout=120,
            check=False,
        )

    done = iku("template", "bulanan.csv", "--bulanan", "--units", "Lapas A")
    assert done.returncode == 0, done.stderr
    lines = (tmp_path / "bulanan.csv").read_text(encoding="utf-8").splitlines()
    header = lines[1].split(",")
    column = header.index("pengaduan_notaris_masuk")
    filled = []
    for line in lines[2:]:
        cells = line.split(",")
        cells[column] = "3"
        cells[column - 1] = "2"  # pengaduan_notaris_diperiksa, its numerator
        filled.append(",".join(cells))
    (tmp_path / "bulanan.csv").write_text("\n".join([*lines[:2], *filled]) + "\n", "utf-8")
    done = iku("evaluate", "bulanan.csv", "--sampai", "TW3")
    assert done.returncode == 0, done.stderr
    assert "Lapas A, 2024 s.d. September" in done.stdout
