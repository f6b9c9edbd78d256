"""Realisasi sheets: reading them (CSV, XLSX, JSON) and writing them (templates, values).

A realisasi sheet has one row per work unit (UPT) and quarter (triwulan)::

    unit             period  pemenuhan_makanan  jumlah_tahanan  ...
    Lapas Kerobokan  TW1     1650               1700
    Lapas Kerobokan  TW2     1662               1710

* :func:`write_sheet` writes such a sheet, empty (a template to fill) or with values, as
  CSV (header row and key rows) or XLSX (a data sheet ``realisasi`` whose header row has the
  Indonesian label, unit and indicators of each input above it, and a sheet ``keterangan``
  describing every input);
* :func:`read_sheet` reads CSV (``,`` or ``;`` separated, decimal commas accepted), XLSX
  or JSON back, checking every cell: an unknown column, text in a number cell or two rows
  for the same unit and quarter raise :class:`~iku_formula.errors.SheetError`, naming the
  file, sheet, row and column as a spreadsheet program shows them. A missing column is
  allowed: the indicators needing it are reported as not evaluated.

CSV and JSON need nothing beyond the package; XLSX needs openpyxl (the ``xlsx`` extra)
and :meth:`Sheet.to_frame` pandas (``frames``), imported only when used.
"""

from __future__ import annotations

__all__ = [
    "DATA_SHEET",
    "DEFAULT_UNIT",
    "INFO_SHEET",
    "KEY_COLUMNS",
    "PeriodTargets",
    "Sheet",
    "SheetRow",
    "load_targets",
    "read_sheet",
    "sheet_inputs",
    "write_sheet",
    "write_targets",
]

from .model import DATA_SHEET, DEFAULT_UNIT, INFO_SHEET, KEY_COLUMNS, Sheet, SheetRow, sheet_inputs
from .read import read_sheet
from .targets import PeriodTargets, load_targets, write_targets
from .write import write_sheet
