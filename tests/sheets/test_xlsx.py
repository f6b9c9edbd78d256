"""The XLSX reader: which sheet it reads, what each cell is handed on as, its limits.

The hostile workbooks (bombs, DTDs, damaged parts) run in a capped child process in
``tests/hostile/test_xlsx.py``; these are the plain rules, on workbooks openpyxl writes.
"""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import pytest

from iku_formula import Catalog
from iku_formula.errors import SheetError
from iku_formula.sheets import DATA_SHEET, INFO_SHEET, read_sheet
from iku_formula.sheets.model import FormulaCell, PercentCell

from .conftest import need

openpyxl = need("openpyxl")
need("defusedxml")

from iku_formula.sheets import xlsx  # noqa: E402 - needs openpyxl only when used

HEADER = ["unit", "period", "makan", "tahanan"]


def workbook(path: Path, sheets: list[tuple[str, str, list[list[object]]]]) -> Path:
    """A workbook of ``sheets``, each (title, state, rows from A1)."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, state, rows in sheets:
        sheet = book.create_sheet(title)
        sheet.sheet_state = state
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def data(makan: int) -> list[list[object]]:
    return [HEADER, ["Lapas A", "TW1", makan, 100]]


# -- which sheet ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sheets", "read"),
    [
        pytest.param(
            [("Sheet1", "visible", data(1)), (DATA_SHEET, "visible", data(90))],
            DATA_SHEET,
            id="realisasi-among-others",
        ),
        pytest.param(
            [("Kosong", "visible", []), ("Isian", "visible", data(90))],
            "Isian",
            id="the-only-visible-sheet-with-values",
        ),
        pytest.param(
            [("Lama", "hidden", data(1)), ("Isian", "visible", data(90))],
            "Isian",
            id="a-hidden-sheet-is-never-read",
        ),
        pytest.param(
            [("Lama", "veryHidden", data(1)), ("Isian", "visible", data(90))],
            "Isian",
            id="nor-a-very-hidden-one",
        ),
        pytest.param(
            [
                (INFO_SHEET, "visible", [["input", "label"], ["makan", "x"]]),
                ("A", "visible", data(90)),
            ],
            "A",
            id="the-description-sheet-aside",
        ),
        pytest.param(
            [("Kosong", "visible", []), ("Lama", "hidden", data(1))],
            "Kosong",
            id="an-empty-visible-sheet-before-a-hidden-one",
        ),
    ],
)
def test_which_sheet(
    catalog: Catalog, tmp_path: Path, sheets: list[tuple[str, str, list[list[object]]]], read: str
) -> None:
    path = workbook(tmp_path / "r.xlsx", sheets)
    if read == "Kosong":
        with pytest.raises(SheetError, match=r"sheet 'Kosong': the file is empty"):
            read_sheet(path, catalog)
        return
    sheet = read_sheet(path, catalog)
    assert sheet.sheet_name == read
    assert sheet.rows[0].values["makan"] == 90


@pytest.mark.parametrize(
    ("sheets", "message"),
    [
        pytest.param(
            [(DATA_SHEET, "hidden", data(90)), ("Sheet1", "visible", data(1))],
            r"r\.xlsx: sheet 'realisasi': the sheet is hidden; unhide it",
            id="hidden-realisasi",
        ),
        pytest.param(
            [("Bali", "visible", data(90)), ("Kosong", "visible", []), ("NTB", "visible", data(1))],
            r"r\.xlsx: the workbook has 2 sheets with values \('Bali', 'NTB'\) and none is "
            r"named 'realisasi'",
            id="two-candidates-listed",
        ),
        pytest.param(
            [(f"TW{q}", "visible", data(90)) for q in range(1, 5)],
            r"one sheet per quarter \('TW1', 'TW2', 'TW3', 'TW4'\); they are not read together",
            id="one-sheet-per-quarter",
        ),
    ],
)
def test_which_sheet_refused(
    catalog: Catalog,
    tmp_path: Path,
    sheets: list[tuple[str, str, list[list[object]]]],
    message: str,
) -> None:
    with pytest.raises(SheetError, match=message):
        read_sheet(workbook(tmp_path / "r.xlsx", sheets), catalog)


def test_the_sheet_the_template_names(tmp_path: Path) -> None:
    """A template records its data sheet (document property RECORD_PROPERTY): that one is read."""
    from openpyxl.packaging.custom import StringProperty

    from iku_formula.sheets.model import RECORD_PROPERTY, SheetRecord

    path = tmp_path / "r.xlsx"
    book = openpyxl.Workbook()
    book.active.title = "Isian"
    for row in data(90):
        book.active.append(row)
    other = book.create_sheet("Lain")
    for row in data(1):
        other.append(row)
    record = SheetRecord(units=("Lapas A",), sheet="Isian")
    book.custom_doc_props.append(StringProperty(name=RECORD_PROPERTY, value=record.to_json()))
    book.save(path)
    found = xlsx.xlsx_rows(path)
    assert (found.sheet, found.record) == ("Isian", record)


# -- what each cell is handed on as --------------------------------------------------------


def cells(tmp_path: Path, values: list[tuple[object, str | None]]) -> list[object]:
    """The cells of row 2 as the reader hands them on, each value written with its format."""
    path = tmp_path / "r.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = DATA_SHEET
    sheet.append(["unit"] + [f"c{i}" for i in range(len(values))])
    sheet.append(["A"] + [value for value, _ in values])
    for column, (_, number_format) in enumerate(values, 2):
        if number_format is not None:
            sheet.cell(row=2, column=column).number_format = number_format
    book.save(path)
    found = xlsx.xlsx_rows(path)
    assert found.sheet == DATA_SHEET
    return found.rows[1][1][1:]


def test_percent_cells(tmp_path: Path) -> None:
    read = cells(
        tmp_path,
        [(0.9, "0%"), (0.905, "0.00%"), (1, "0%"), (0.9, "0.0"), (0.9, '0"%"'), (0.9, None)],
    )
    assert read == [
        PercentCell(0.9, "0%"),
        PercentCell(0.905, "0.00%"),
        PercentCell(1, "0%"),
        0.9,
        0.9,  # a quoted % is a sign, the number is not scaled: shown "1%", stored 0.9
        0.9,
    ]


def test_dates_booleans_and_errors_go_on_as_they_are(tmp_path: Path) -> None:
    read = cells(
        tmp_path,
        [(datetime.date(2024, 3, 1), None), (True, None), ("#DIV/0!", None), ("90", None)],
    )
    assert read == [datetime.datetime(2024, 3, 1), True, "#DIV/0!", "90"]


def test_a_formula_never_computed_is_a_formula_cell(tmp_path: Path) -> None:
    assert cells(tmp_path, [("=50+50", None), (3, None)]) == [FormulaCell("=50+50"), 3]


@pytest.mark.parametrize(
    ("number_format", "value", "shown"),
    [
        ("0%", 0.9, True),
        ("0.00%", -0.1, True),
        ("#,##0.0%", 12.5, True),
        ("General", 0.9, False),
        ("0.00", 0.9, False),
        ('0"%"', 0.9, False),
        ("0\\%", 0.9, False),
        ("0_%", 0.9, False),
        ("0*%", 0.9, False),
        ("[Red]0%", 0.9, True),
        ("[$%-409]0", 0.9, False),
        ("0;-0%", 0.9, False),
        ("0;-0%", -0.9, True),
        ("0%;-0;0", 0, False),
        ("0;0;0%", 0, True),
        ("[>1]0;0%", 2, True),
    ],
)
def test_shown_as_percent(number_format: str, value: float, shown: bool) -> None:
    assert xlsx.shown_as_percent(number_format, value) is shown


# -- kept guards and documented limits -----------------------------------------------------


def test_openpyxl_parses_through_defusedxml() -> None:
    """openpyxl uses defusedxml when it is installed (the xlsx extra installs it)."""
    from openpyxl.xml import functions

    assert openpyxl.DEFUSEDXML
    assert functions.iterparse.__module__.startswith("defusedxml")


LIMITS = [
    "MAX_PARTS",
    "MAX_UNCOMPRESSED_BYTES",
    "MAX_EXPANSION_RATIO",
    "EXPANSION_FLOOR_BYTES",
    "MAX_XML_ELEMENTS",
    "MAX_TREE_ELEMENTS",
    "MAX_SHEETS",
    "MAX_ROW_NUMBER",
    "MAX_COLUMN_NUMBER",
    "MAX_GRID_CELLS",
    "MAX_CELL_CHARACTERS",
]


@pytest.mark.parametrize("name", LIMITS)
def test_every_limit_is_public_and_documented_with_its_value(name: str) -> None:
    value = getattr(xlsx, name)
    assert name in xlsx.__all__
    doc = xlsx.__doc__ or ""
    assert re.search(rf":data:`{name}` \({value:,}[ ,)]", doc), f"{name} ({value:,}) undocumented"
    assert value > 0


def test_a_real_workbook_is_far_below_every_limit(catalog: Catalog, tmp_path: Path) -> None:
    """A template for 40 units, filled: read, with a wide margin to each limit."""
    from iku_formula.sheets import write_sheet

    from .conftest import QUARTERLY, fill_xlsx

    units = {f"Unit {i}": QUARTERLY["Lapas A"] for i in range(40)}
    path = fill_xlsx(write_sheet(catalog, tmp_path / "isian.xlsx", units=list(units)), units)
    assert len(read_sheet(path, catalog).rows) == 160
    assert path.stat().st_size * 20 < xlsx.MAX_UNCOMPRESSED_BYTES
