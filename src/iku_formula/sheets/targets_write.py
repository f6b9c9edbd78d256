"""Writing a target sheet to fill in (``iku template FILE --target``): CSV or XLSX.

See :mod:`.targets` for what a target sheet is; :func:`~.targets.write_targets` is the
entry point.
"""

from __future__ import annotations

__all__ = ["write_target_sheet"]

import csv
import io
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .._optional import require
from ..errors import Place, SheetError
from ..escaping import csv_field, inert_workbook
from ..i18n import N_, _
from ..periods import QUARTER, Period, PeriodKind
from .model import CREATOR
from .targets import TARGET_COLUMNS, TARGET_KEYWORDS, TARGET_SHEET, Accumulation

if TYPE_CHECKING:
    import os

    from ..catalog.registry import Catalog


def _template_rows(catalog: Catalog, labels: Sequence[str]) -> list[list[str]]:
    header = [*TARGET_COLUMNS, *labels]
    rows = [header]
    for indicator in catalog:
        rows.append(
            [
                str(indicator.number),
                indicator.display_name,
                indicator.target.text,
                Accumulation.CUMULATIVE.value,
                *("" for _label in labels),
            ]
        )
    return rows


def write_target_sheet(
    catalog: Catalog, path: str | os.PathLike[str], *, kind: PeriodKind = QUARTER
) -> Path:
    """Write an empty target sheet (.csv or .xlsx): a row per indicator, a column per period.

    Every row's ``sifat`` is ``kumulatif``; the period cells are empty, to fill in (a row
    left empty keeps the catalog's yearly target). XLSX needs openpyxl.
    """
    target = Path(path)
    labels = [Period(kind, index).label for index in range(1, kind.per_year + 1)]
    rows = _template_rows(catalog, labels)
    suffix = target.suffix.lower()
    if suffix == ".csv":
        buffer = io.StringIO(newline="")
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerows([[csv_field(cell) for cell in row] for row in rows])
        target.write_text(buffer.getvalue(), encoding="utf-8", newline="")
        return target
    if suffix == ".xlsx":
        _write_xlsx(target, rows)
        return target
    raise SheetError.at(
        Place(str(target)),
        _("unknown file type {suffix!r}; give a .csv or .xlsx target sheet").format(
            suffix=target.suffix or "(none)"
        ),
    )


def _write_xlsx(path: Path, rows: list[list[str]]) -> None:
    openpyxl: Any = require("openpyxl", "xlsx", "writing an .xlsx file")
    from openpyxl.styles import Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = TARGET_SHEET
    for row in rows:
        sheet.append(row)
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    for cell in sheet[1]:
        cell.font, cell.fill = bold, fill
    last = len(rows)
    periods = len(rows[0]) - len(TARGET_COLUMNS)
    for column in range(len(TARGET_COLUMNS) + 1, len(TARGET_COLUMNS) + periods + 1):
        for number in range(2, last + 1):
            sheet.cell(number, column).number_format = "@"  # typed "85%" stays as written
    choice = DataValidation(
        type="list",
        formula1=f'"{Accumulation.PER_PERIOD.value},{Accumulation.CUMULATIVE.value}"',
        allow_blank=False,
    )
    sheet.add_data_validation(choice)
    choice.add(f"D2:D{last}")
    for letter, width in zip("ABCD", (10, 60, 22, 14), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "E2"
    info = book.create_sheet("keterangan")
    for line in _INFO_LINES:
        info.append([_(line)])
    info.column_dimensions["A"].width = 110
    book.properties.creator = CREATOR
    book.properties.keywords = TARGET_KEYWORDS
    inert_workbook(book)
    book.save(path)


_INFO_LINES = (
    N_("Target per periode: one row per indicator, one column per period (TW1 to TW4)."),
    N_(
        "Write each target as in the catalog: 85%, 3,1 Indeks, 20 (a number alone takes the "
        "indicator's unit)."
    ),
    N_(
        "sifat: 'per periode' when each cell is the target of its period alone, 'kumulatif' when "
        "it is the target from TW1 up to and including that period."
    ),
    N_(
        "For an indicator counting a flow (people, activities) per-period targets add up; for a "
        "percentage, a score or a stock the target to date is the period's own."
    ),
    N_("A row left with all periods empty keeps the catalog's yearly target."),
    N_("Use it: iku evaluate realisasi.xlsx --target-file target.xlsx --by period"),
)
