"""The indicator x period and indicator x unit matrices, in every form, in real files."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from fractions import Fraction
from pathlib import Path

import pytest

from iku_formula import load_catalog
from iku_formula.cli import main
from iku_formula.i18n import set_language
from iku_formula.report.matrix import MEASURES, matrix_of, period_matrix, unit_matrix
from iku_formula.report.notes import ink_on
from iku_formula.sheets import read_sheet
from iku_formula.sheets.targets import load_targets

CATALOG = load_catalog()
REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "contoh-realisasi-2024-triwulan.csv"


@pytest.fixture(autouse=True)
def english(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The messages asserted here are the English ones (``--lang en``), whatever the default."""
    monkeypatch.setenv("IKU_LANG", "en")
    set_language("en")
    yield
    set_language(None)


DATA = (
    "unit,period,perancang_dibina,pemenuhan_makanan,jumlah_tahanan\n"
    "Lapas A,TW1,3,40,50\n"
    "Lapas A,TW2,1,45,50\n"
    "Lapas A,TW3,2,40,50\n"
    "Rutan B,TW1,4,40,50\n"
    "Rutan B,TW2,3,45,50\n"
    "Rutan B,TW3,3,44,50\n"
)
TARGETS = (
    "indikator,nama,target,sifat,TW1,TW2,TW3,TW4\n"
    "8,,,per periode,5,5,5,5\n"
    "23,,,kumulatif,80%,82%,85%,85%\n"
)


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    data = tmp_path / "data.csv"
    data.write_text(DATA, encoding="utf-8")
    targets = tmp_path / "target.csv"
    targets.write_text(TARGETS, encoding="utf-8")
    return data, targets


def test_period_matrix_model(files: tuple[Path, Path]) -> None:
    data, target_file = files
    sheet = read_sheet(data, CATALOG)
    matrix = period_matrix(CATALOG, sheet, targets=load_targets(target_file, CATALOG))
    assert matrix.columns == ("TW1", "TW2", "TW3", "s.d. TW3")
    assert [row.number for row in matrix.rows] == [8, 23]
    eight = matrix.rows[0].cells
    assert [cell.value for cell in eight if cell] == [7, 4, 5, 16]
    assert [cell.target.text for cell in eight if cell] == ["5 Orang"] * 3 + ["15 Orang"]
    assert eight[-1] is not None
    assert eight[-1].achievement == Fraction(16, 15) * 100
    food = matrix.rows[1].cells
    assert [cell.target.text for cell in food if cell] == ["80%", "82%", "85%", "85%"]
    assert food[-1] is not None
    assert food[-1].value == Fraction(84, 100) * 100  # a stock: the last quarter


def test_unit_matrix_model(files: tuple[Path, Path]) -> None:
    data, _targets = files
    matrix = unit_matrix(CATALOG, read_sheet(data, CATALOG))
    assert matrix.columns == ("Lapas A", "Rutan B", "Kantor Wilayah")
    eight = matrix.rows[0].cells
    assert [cell.value for cell in eight if cell] == [6, 10, 16]
    assert {cell.target.text for cell in eight if cell} == {"20 Orang"}  # the yearly target


def test_to_frame(files: tuple[Path, Path]) -> None:
    pytest.importorskip("pandas")
    data, target_file = files
    matrix = period_matrix(
        CATALOG, read_sheet(data, CATALOG), targets=load_targets(target_file, CATALOG)
    )
    frame = matrix.to_frame()
    assert list(frame.index) == [8, 23]
    assert frame.loc[8, ("TW2", "realisasi")] == 4.0
    assert frame.loc[8, ("s.d. TW3", "target")] == "15 Orang"
    assert frame.loc[23, ("TW1", "capaian")] == pytest.approx(100.0)
    assert frame.loc[23, ("TW1", "status")] == "met"
    exact = matrix.to_frame(exact=True)
    assert exact.loc[8, ("s.d. TW3", "capaian")] == Fraction(320, 3)
    assert [m for label, m in frame.columns if label == "TW1"] == list(MEASURES)


def _run(capsys: pytest.CaptureFixture[str], *argv: object) -> tuple[int, str, str]:
    code = main([str(arg) for arg in argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_matrix_csv_file(
    files: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data, target_file = files
    out = tmp_path / "matriks.csv"
    for _ in range(2):  # the second time over its own report, without --force
        code, _out, err = _run(
            capsys, "evaluate", data, "--target-file", target_file, "--matrix", "period", "-o", out
        )
        assert code == 0, err
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert [row["number"] for row in rows] == ["8", "23"]
    eight = rows[0]
    assert eight["matrix"] == "period"
    assert (eight["TW1 realisasi"], eight["TW1 target"], eight["TW1 capaian"]) == (
        "7",
        "5 Orang",
        "140.00",
    )
    assert eight["s.d. TW3 target"] == "15 Orang"
    assert eight["s.d. TW3 capaian_exact"] == "320/3"
    assert eight["TW2 status"] == "tidak tercapai"
    matrix = period_matrix(
        CATALOG, read_sheet(data, CATALOG), targets=load_targets(target_file, CATALOG)
    )
    for row, model in zip(rows, matrix.rows, strict=True):
        for label, cell in zip(matrix.columns, model.cells, strict=True):
            assert cell is not None
            assert cell.predikat is not None
            assert row[f"{label} predikat"] == cell.predikat.text
    food = rows[1]  # machine numbers, as in the report's CSV: "80.00", never "80,00"
    assert (food["TW1 realisasi"], food["TW2 capaian"]) == ("80.00", "109.76")
    numbers = [v for k, v in food.items() if k.endswith((" realisasi", " capaian"))]
    assert numbers
    assert not [v for v in numbers if "," in v]


def test_matrix_csv_numbers_match_the_report_csv(files: tuple[Path, Path], tmp_path: Path) -> None:
    """The matrix CSV and the report CSV write the same numbers in the same form."""
    from iku_formula.report import build_report
    from iku_formula.report.csv import render_csv, render_matrix_csv

    data, target_file = files
    targets = load_targets(target_file, CATALOG)
    report = build_report(CATALOG, read_sheet(data, CATALOG), "period", targets=targets)
    matrix = matrix_of(report, "period")
    report_rows = list(csv.DictReader(render_csv(report).splitlines()))
    matrix_rows = {
        row["number"]: row for row in csv.DictReader(render_matrix_csv(matrix).splitlines())
    }
    checked = 0
    for row in report_rows:
        if row["level"] != "period" or row["number"] not in matrix_rows:
            continue
        shown = matrix_rows[row["number"]]
        assert shown[f"{row['period']} realisasi"] == row["value"]
        assert shown[f"{row['period']} capaian"] == row["achievement"]
        checked += 1
    assert checked == 6


def test_matrix_xlsx_file(
    files: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    data, target_file = files
    out = tmp_path / "matriks.xlsx"
    code, _out, err = _run(
        capsys, "evaluate", data, "--target-file", target_file, "--matrix", "unit", "-o", out
    )
    assert code == 0, err
    book = openpyxl.load_workbook(out)
    sheet = book["matriks"]
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    group = next(i for i, row in enumerate(values) if row[2] == "Lapas A")
    assert values[group][2::6] == ["Lapas A", "Rutan B", "Kantor Wilayah"]
    assert values[group + 1][:8] == [
        "No",
        "Indikator",
        "Realisasi",
        "Target",
        "Target (number)",
        "Capaian (%)",
        "Status",
        "Predikat",
    ]
    matrix = unit_matrix(
        CATALOG, read_sheet(data, CATALOG), targets=load_targets(target_file, CATALOG)
    )
    bands = [cell.predikat for cell in matrix.rows[0].cells if cell]
    assert all(band is not None for band in bands)
    eight = values[group + 2]
    assert eight[0] == 8
    assert eight[2:8] == [6, "15 Orang", 15, 40.0, "tidak tercapai", bands[0].text]
    assert eight[14:20] == [16, "15 Orang", 15, pytest.approx(106.67), "tercapai", bands[2].text]
    assert f"C{group + 1}:H{group + 1}" in {str(r) for r in sheet.merged_cells.ranges}
    fill = sheet.cell(group + 3, 7).fill.fgColor.rgb
    assert fill.endswith("FFC7CE")  # not met: red
    target_number = sheet.cell(group + 3, 5)
    assert isinstance(target_number.value, (int, float))
    assert target_number.number_format == "#,##0"
    food = values[group + 3]
    assert food[3:5] == ["85%", 85]
    assert sheet.cell(group + 4, 5).number_format == "#,##0"
    for position, band in enumerate(bands):
        predikat = sheet.cell(group + 3, 8 + 6 * position)
        assert predikat.value == band.text
        assert predikat.fill.fgColor.rgb.endswith(band.colour[1:].upper())
        assert predikat.font.color.rgb.endswith(ink_on(band.colour)[1:])
    assert book.properties.keywords == "iku-formula laporan"


def test_matrix_markdown_file(
    files: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data, target_file = files
    out = tmp_path / "matriks.md"
    code, _out, err = _run(
        capsys, "evaluate", data, "--target-file", target_file, "--matrix", "period", "-o", out
    )
    assert code == 0, err
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# IKU report: ")
    assert f"Source: {data}." in text
    for heading in ("### Realisasi", "### Target", "### Capaian (%)", "### Predikat"):
        assert heading in text
    assert "| No | Indicator | TW1 | TW2 | TW3 | s.d. TW3 |" in text
    predikat_table = text.split("### Predikat")[1]
    matrix = period_matrix(
        CATALOG, read_sheet(data, CATALOG), targets=load_targets(target_file, CATALOG)
    )
    texts = [cell.predikat.text for cell in matrix.rows[0].cells if cell and cell.predikat]
    assert len(texts) == 4
    assert "| 8 | Jumlah peningkatan kapasitas" in predikat_table
    assert "| " + " | ".join(texts) + " |" in predikat_table
    assert "| 8 | Jumlah peningkatan kapasitas" in text
    target_table = text.split("### Target")[1].split("###")[0]
    assert "| 5 Orang | 5 Orang | 5 Orang | 15 Orang |" in target_table


@pytest.mark.parametrize("columns", [60, 100, 130])
def test_matrix_text_fits_the_terminal(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, columns: int
) -> None:
    monkeypatch.setenv("COLUMNS", str(columns))
    code, out, err = _run(capsys, "evaluate", EXAMPLE, "--matrix", "unit")
    assert code == 0, err
    assert out.startswith("== Indicator x unit matrix ==")
    lines = out.splitlines()
    assert max(len(line) for line in lines) <= columns
    assert "Kantor Wilayah" in out
    assert sum(1 for line in lines if line.startswith("Capaian (%):")) == 1
    assert sum(1 for line in lines if line.startswith("Predikat:")) == 1


def test_matrix_text_shows_predikat(
    files: tuple[Path, Path], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    data, target_file = files
    code, out, err = _run(
        capsys, "evaluate", data, "--target-file", target_file, "--matrix", "period"
    )
    assert code == 0, err
    table = out.split("Predikat:")[1]
    matrix = period_matrix(
        CATALOG, read_sheet(data, CATALOG), targets=load_targets(target_file, CATALOG)
    )
    for model in matrix.rows:
        line = next(
            line for line in table.splitlines() if line.strip().startswith(str(model.number))
        )
        texts = [cell.predikat.text for cell in model.cells if cell and cell.predikat]
        assert len(texts) == 4
        assert all(text in line for text in texts)


def test_matrix_markdown_in_indonesian(
    files: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data, _targets = files
    out = tmp_path / "matriks.md"
    code, _out, err = _run(capsys, "--lang", "id", "evaluate", data, "--matrix", "unit", "-o", out)
    assert code == 0, err
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# Laporan IKU: ")
    assert "## Matriks indikator x unit" in text
    assert f"Sumber: {data}." in text
    assert "| No | Indikator | Lapas A | Rutan B | Kantor Wilayah |" in text
    assert "### Predikat" in text


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--matrix", "period", "--by", "unit"], "--matrix period and --by unit contradict"),
        (["--matrix", "period", "--json"], "--matrix has no json form"),
    ],
)
def test_matrix_refusals(capsys: pytest.CaptureFixture[str], argv: list[str], message: str) -> None:
    code, _out, err = _run(capsys, "evaluate", EXAMPLE, *argv)
    assert code == 2
    assert message in err


def test_matrix_of_the_example_by_period() -> None:
    sheet = read_sheet(EXAMPLE, CATALOG)
    from iku_formula.report import build_report

    matrix = matrix_of(build_report(CATALOG, sheet, "period"), "period")
    assert matrix.columns == ("TW1", "TW2", "TW3", "TW4", "s.d. TW4")
    assert len(matrix.rows) == len(CATALOG)
    with pytest.raises(ValueError, match="matrix must be one of"):
        matrix_of(build_report(CATALOG, sheet, "period"), "row")


def test_period_matrix_up_to(files: tuple[Path, Path]) -> None:
    data, target_file = files
    targets = load_targets(target_file, CATALOG)
    matrix = period_matrix(CATALOG, read_sheet(data, CATALOG), targets=targets, until="TW2")
    assert matrix.columns == ("TW1", "TW2", "s.d. TW2")
    eight = matrix.rows[0].cells[-1]
    assert eight is not None
    assert (eight.value, eight.target.text) == (11, "10 Orang")


HOSTILE_UNITS = [
    '=HYPERLINK("http://x","click")',
    "+SUM(A1:A9)",
    "-2+3",
    "@cmd",
    "<script>alert(1)</script> | Rutan",
]


def test_every_matrix_form_keeps_names_inert(tmp_path: Path) -> None:
    """Unit names become column labels of the unit matrix: no form makes them live."""
    import io
    import zipfile

    from iku_formula.escaping import starts_like_formula, terminal_text
    from iku_formula.report import MATRIX_RENDERERS

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["unit", "period", "pemenuhan_makanan", "jumlah_tahanan"])
    for number, unit in enumerate(HOSTILE_UNITS, 1):
        writer.writerow([unit, "TW1", 40 + number, 50])
    data = tmp_path / "data.csv"
    data.write_text(buffer.getvalue(), encoding="utf-8")
    matrix = unit_matrix(CATALOG, read_sheet(data, CATALOG, new_units=True))
    assert matrix.columns[:-1] == tuple(HOSTILE_UNITS)
    for name, renderer in MATRIX_RENDERERS.items():
        if renderer.needs_file:
            pytest.importorskip("openpyxl")
            path = tmp_path / "matriks.xlsx"
            renderer.write(matrix, path)
            with zipfile.ZipFile(path) as archive:
                sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/")]
                assert not [n for n in sheets if b"<f>" in archive.read(n)]
            continue
        assert renderer.render is not None
        text = renderer.render(matrix)
        if name == "csv":
            cells = [cell for row in csv.reader(io.StringIO(text, newline="")) for cell in row]
            assert not [cell for cell in cells if starts_like_formula(cell)]
            assert "'" + HOSTILE_UNITS[0] + " realisasi" in cells
        elif name == "markdown":
            assert "<" not in text.replace("&lt;", "")
            assert "&lt;script&gt;" in text
        else:
            assert terminal_text(text) == text
