"""Writing input sheets: templates (CSV, XLSX) and sheets with values."""

from __future__ import annotations

import csv
import functools
import io
import json
import re
import tempfile
import unicodedata
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from iku_formula import Catalog, IkuError, InputError, load_catalog
from iku_formula.errors import SheetError
from iku_formula.periods import QUARTERS
from iku_formula.report import build_report
from iku_formula.sheets import DATA_SHEET, INFO_SHEET, read_sheet, sheet_inputs, write_sheet
from iku_formula.sheets.model import RECORD_PROPERTY

from .conftest import HEADER, NUMBERS_CATALOG, need, xlsx_file


def test_sheet_inputs_follow_the_indicators() -> None:
    catalog = load_catalog()
    names = [spec.name for spec in sheet_inputs(catalog)]
    assert sorted(names) == sorted(catalog.inputs)
    assert names[:2] == ["nilai_total_survei_internal", "penerimaan_pnbp_ahu"]
    assert names.index("pemenuhan_makanan") < names.index("jumlah_tahanan")


def test_csv_template(catalog: Catalog, tmp_path: Path) -> None:
    path = write_sheet(catalog, tmp_path / "t.csv", units=["Lapas A", "Rutan B"])
    record, *rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    assert record == ["#iku-formula lembar realisasi", "unit: Lapas A", "unit: Rutan B"]
    assert rows[0] == HEADER.split(",")
    assert [row[:2] for row in rows[1:]] == [
        [unit, quarter] for unit in ("Lapas A", "Rutan B") for quarter in QUARTERS
    ]
    assert all(cell == "" for row in rows[1:] for cell in row[2:])
    with pytest.raises(SheetError, match="no values found: every row below the header is empty"):
        read_sheet(path, catalog)


def test_bundled_csv_template_lists_every_input(tmp_path: Path) -> None:
    catalog = load_catalog()
    path = write_sheet(catalog, tmp_path / "t.csv")
    record, header, *rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    assert record == ["#iku-formula lembar realisasi", "unit: Kanwil Bali"]
    assert header[:2] == ["unit", "period"]
    assert sorted(header[2:]) == sorted(catalog.inputs)
    assert [row[:2] for row in rows] == [["Kanwil Bali", quarter] for quarter in QUARTERS]


def test_xlsx_template(catalog: Catalog, tmp_path: Path) -> None:
    openpyxl = need("openpyxl")
    path = write_sheet(catalog, tmp_path / "t.xlsx", units=["Lapas A", "Rutan B"])
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == [DATA_SHEET, INFO_SHEET]
    sheet = book[DATA_SHEET]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0][:4] == [
        "Unit kerja (UPT)",
        "Triwulan",
        "Tahanan yang terpenuhi makanannya",
        "Jumlah tahanan",
    ]
    assert rows[1][2] == "orang"
    assert rows[1][6] == "indeks (1 sampai 4)"  # a score's range
    assert rows[2][2:5] == ["IKU 1", "IKU 1", "IKU 2"]
    assert rows[3] == HEADER.split(",")
    assert [row[:2] for row in rows[4:]] == [
        [unit, quarter] for unit in ("Lapas A", "Rutan B") for quarter in QUARTERS
    ]
    assert sheet.freeze_panes == "C5"
    validations = {str(v.sqref).split(":")[0]: v for v in sheet.data_validations.dataValidation}
    assert validations["B5"].type == "list"
    assert validations["C5"].type == "whole"
    assert (validations["G5"].formula1, validations["G5"].formula2) == ("1.0", "4.0")
    info = [list(row) for row in book[INFO_SHEET].iter_rows(values_only=True)]
    assert info[0][:3] == ["input", "label", "satuan"]
    by_name = {row[0]: row for row in info[1:]}
    assert by_name["skor"][3:9] == [
        "score",
        "1 sampai 4",
        "mean",
        "weighted_mean",
        "responden",
        "3",
    ]
    assert by_name["tahanan"][5] == "last"
    with pytest.raises(SheetError, match="no values found"):
        read_sheet(path, catalog)


def test_template_rejects_other_file_types(catalog: Catalog, tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"unknown file type '\.ods'"):
        write_sheet(catalog, tmp_path / "t.ods")


def test_write_sheet_checks_values(catalog: Catalog, tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"row 1: input 'makan': -1 is negative"):
        write_sheet(catalog, tmp_path / "x.csv", [{"unit": "A", "period": "TW1", "makan": -1}])
    with pytest.raises(InputError, match="unknown input 'makann'; did you mean 'makan'"):
        write_sheet(catalog, tmp_path / "x.csv", [{"makann": 1}])


def test_round_trip_rows(catalog: Catalog, filled: Path) -> None:
    sheet = read_sheet(filled, catalog)
    assert len(sheet.rows) == 8
    assert sheet.missing == ()
    report = build_report(catalog, sheet, "row")
    assert [section.title for section in report.sections[:2]] == ["Lapas A, TW1", "Lapas A, TW2"]
    first = report.sections[0]
    assert first.results[1].value == 90
    assert first.results[3].value == 3
    rutan_tw3 = report.sections[6]
    assert rutan_tw3.results[1].value == Fraction(104)
    assert [v.rule.text for v in rutan_tw3.violations] == ["makan <= tahanan"]
    assert report.row_problems == ()  # at the row level, the sections are the rows


# --------------------------------------------------------------------------- issue 10


def test_templates_record_their_units_and_style(catalog: Catalog, tmp_path: Path) -> None:
    path = write_sheet(catalog, tmp_path / "t.csv", units=["Lapas A"], number_style="id")
    assert path.read_text(encoding="utf-8").splitlines()[0] == (
        "#iku-formula lembar realisasi,angka: id,unit: Lapas A"
    )
    values = write_sheet(catalog, tmp_path / "v.csv", [{"unit": "A", "period": "TW1", "makan": 1}])
    assert values.read_text(encoding="utf-8").startswith("unit,period,")  # data: no record
    openpyxl = need("openpyxl")
    book = openpyxl.load_workbook(write_sheet(catalog, tmp_path / "t.xlsx", units=["A", "B"]))
    (record,) = [prop for prop in book.custom_doc_props if prop.name == RECORD_PROPERTY]
    assert json.loads(record.value) == {"sheet": DATA_SHEET, "units": ["A", "B"], "angka": None}
    with pytest.raises(InputError, match="number style 'fr'"):
        write_sheet(catalog, tmp_path / "x.csv", number_style="fr")


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_the_recorded_style_reads_text_numbers(
    numbers: Catalog, tmp_path: Path, suffix: str
) -> None:
    """A template made with --angka id reads "1.234" as 1234 once filled; --angka overrides."""
    path = write_sheet(numbers, tmp_path / f"t.{suffix}", units=["A"], number_style="id")
    if suffix == "csv":
        record, header, first, *rest = path.read_text(encoding="utf-8").splitlines()
        cells = first.split(",")
        cells[header.split(",").index("rupiah")] = "1.234"
        path.write_text("\n".join([record, header, ",".join(cells), *rest]), encoding="utf-8")
    else:
        openpyxl = need("openpyxl")
        book = openpyxl.load_workbook(path)
        header = [cell.value for cell in book[DATA_SHEET][4]]
        book[DATA_SHEET].cell(5, header.index("rupiah") + 1, "1.234")  # a text cell
        book.save(path)
    sheet = read_sheet(path, numbers)
    assert (sheet.rows[0].values, sheet.number_style) == ({"rupiah": 1234}, "id")
    assert read_sheet(path, numbers, number_style="en").rows[0].values == {
        "rupiah": Fraction(617, 500)
    }


EXACT = {
    "rupiah": Fraction(61, 3),
    "jumlah": 2**53 + 1,
    "nilai": Fraction(1234, 1000),  # "1.234" has two readings: written "1.2340"
    "skala": Fraction(3 * 10**28 - 1, 10**28),  # more digits than a float holds
    "capaian": Fraction(1, 10**29),
}


@pytest.mark.parametrize(("suffix", "comma"), [("csv", False), ("csv", True), ("xlsx", False)])
def test_exact_values_read_back_equal(
    numbers: Catalog, tmp_path: Path, suffix: str, comma: bool
) -> None:
    if suffix == "xlsx":
        need("openpyxl")
    rows = [
        {"unit": "A", "period": "TW1", **EXACT},
        {"unit": "B", "period": "TW1", "jumlah": 10**29},
    ]
    path = write_sheet(numbers, tmp_path / f"v.{suffix}", rows, decimal_comma=comma)
    sheet = read_sheet(path, numbers)
    assert [dict(row.values) for row in sheet.rows] == [EXACT, {"jumlah": 10**29}]
    if suffix == "csv":
        text = path.read_text(encoding="utf-8")
        assert ("1,2340" if comma else "1.2340") in text
        assert ",61/3," in text
        assert ",9007199254740993," in text


TEXTS = [
    '=HYPERLINK("http://x","click")',
    "+SUM(A1:A9)",
    "-2+3",
    "@cmd",
    "'=x",  # a leading ' is kept: written ''=x
    "'abc",
    "'",
    "+1",
    "1.5",
    "61/3",
    "TW1",
    "Lapas Kerobokan, Blok Wanita",
]


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_text_reads_back_as_written(catalog: Catalog, tmp_path: Path, suffix: str) -> None:
    if suffix == "xlsx":
        need("openpyxl")
    rows = [{"unit": unit, "period": "TW1", "makan": 1} for unit in TEXTS]
    path = write_sheet(catalog, tmp_path / f"v.{suffix}", rows)
    assert [row.unit for row in read_sheet(path, catalog, new_units=True).rows] == TEXTS


@pytest.mark.parametrize(
    ("unit", "message"),
    [
        ("Lapas\x1bA", "row 1: unit 'Lapas\\x1bA' holds an invisible control character (U+001B)"),
        ("Rutan \ud800", "holds a lone surrogate (U+D800)"),
        (" Rutan B", "row 1: unit ' Rutan B' begins or ends with a space"),
        ("Rutan B\u00a0", "begins or ends with a space"),
    ],
)
def test_unit_names_reading_would_change_are_refused(
    catalog: Catalog, tmp_path: Path, unit: str, message: str
) -> None:
    with pytest.raises(InputError, match=re.escape(message)):
        write_sheet(catalog, tmp_path / "v.csv", [{"unit": unit, "period": "TW1", "makan": 1}])
    with pytest.raises(InputError, match=re.escape(message.removeprefix("row 1: "))):
        write_sheet(catalog, tmp_path / "t.csv", units=[unit])


UNITS = st.one_of(
    st.text(st.characters(categories=("L", "N", "P", "S", "Zs")), min_size=1, max_size=24),
    st.text(st.characters(exclude_categories=()), min_size=1, max_size=24),
)
"""Names of letters, digits, punctuation, symbols and spaces, and any text at all (control
characters and lone surrogates included)."""
VALUES = st.fixed_dictionaries(
    {},
    optional={
        "jumlah": st.integers(0, 10**29),
        "rupiah": st.fractions(0, 10**12, max_denominator=10**6),
        "nilai": st.fractions(0, 100, max_denominator=1000),
        "skala": st.decimals(1, 4, places=5).map(Fraction),
        "capaian": st.fractions(0, 200, max_denominator=7),
    },
)


@functools.cache
def _numbers_catalog() -> Catalog:
    """The catalog of the ``numbers`` fixture, loaded once (hypothesis runs many examples)."""
    directory = Path(tempfile.mkdtemp(prefix="iku-angka-"))
    (directory / "angka.toml").write_text(NUMBERS_CATALOG, encoding="utf-8")
    return load_catalog(directory / "angka.toml")


def _round_trip(suffix: str, units: list[str], values: list[dict[str, Any]]) -> None:
    """write_sheet then read_sheet: IkuError only, and what was written is read back."""
    catalog = _numbers_catalog()
    rows = [{"unit": unit, "period": "TW2", **row} for unit, row in zip(units, values, strict=True)]
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / f"h.{suffix}"
        try:
            write_sheet(catalog, path, rows)
        except IkuError:
            written = False  # a name reading would refuse or change: refused here already
        else:
            written = True
        if not written:
            return
        expected = [(unit, row) for unit, row in zip(units, values, strict=True) if row]
        if not expected:
            with pytest.raises(SheetError, match="no values found"):
                read_sheet(path, catalog, new_units=True)
            return
        sheet = read_sheet(path, catalog, new_units=True)
    assert [(row.unit, dict(row.values)) for row in sheet.rows] == expected


@given(st.lists(UNITS, min_size=1, max_size=5, unique=True), st.data())
def test_round_trip_csv_any_units_and_values(units: list[str], data: st.DataObject) -> None:
    _round_trip("csv", units, [data.draw(VALUES) for _ in units])


@settings(max_examples=25)
@given(st.lists(UNITS, min_size=1, max_size=3, unique=True), st.data())
def test_round_trip_xlsx_any_units_and_values(units: list[str], data: st.DataObject) -> None:
    need("openpyxl")
    _round_trip("xlsx", units, [data.draw(VALUES) for _ in units])


CELL_TEXTS = st.one_of(
    st.text(st.characters(exclude_categories=()), max_size=12),
    st.from_regex(r"[+-]?[0-9]{1,7}([.,][0-9]{1,4}){0,3}%?", fullmatch=True),
    st.from_regex(r"[0-9]{1,4}/[0-9]{1,3}", fullmatch=True),
)


def _read_cell(text: str, column: str, suffix: str) -> Fraction | None:
    """The value one cell of text reads as (None: refused with a SheetError)."""
    catalog = _numbers_catalog()
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / f"h.{suffix}"
        rows: list[list[object]] = [["unit", "period", column], ["A", "TW1", text]]
        if suffix == "xlsx":
            xlsx_file(path, rows)
        else:
            buffer = io.StringIO()
            csv.writer(buffer, lineterminator="\n").writerows(rows)
            path.write_bytes(buffer.getvalue().encode("utf-8", "surrogatepass"))
        try:
            sheet = read_sheet(path, catalog)
        except SheetError:
            return None
    (row,) = sheet.rows
    return row.values[column]


@given(CELL_TEXTS, st.sampled_from(["rupiah", "jumlah", "nilai", "capaian"]))
def test_any_cell_text_reads_or_is_refused(text: str, column: str) -> None:
    """Any cell text: a SheetError naming the cell, or the value the text plainly means."""
    value = _read_cell(text, column, "csv")
    plain = text.strip().removesuffix("%").strip()
    if value is not None and re.fullmatch(r"[+-]?[0-9]+([.,][0-9]+)?", plain):
        whole, _, decimals = plain.lstrip("+-").replace(",", ".").partition(".")
        assert len(decimals) != 3 or len(whole) > 3 or whole.startswith("0")  # else two readings
        assert value == Fraction(plain.replace(",", "."))


def _xml_text(text: str) -> bool:
    """Whether a workbook can hold ``text`` (XML holds no control characters, no surrogates)."""
    return all(char in "\t\n\r" or unicodedata.category(char) not in ("Cc", "Cs") for char in text)


@settings(max_examples=25)
@given(CELL_TEXTS.filter(_xml_text), st.sampled_from(["rupiah", "nilai"]))
def test_a_text_cell_reads_alike_in_csv_and_xlsx(text: str, column: str) -> None:
    need("openpyxl")
    assert _read_cell(text, column, "xlsx") == _read_cell(text, column, "csv")
