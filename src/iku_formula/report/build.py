"""Building a report: a sheet rolled up and evaluated per level (Kanwil, unit, quarter, row)."""

from __future__ import annotations

__all__ = [
    "KANWIL",
    "LEVELS",
    "Report",
    "RowProblem",
    "Section",
    "build_report",
    "other_warnings",
    "rule_users",
]

from collections.abc import Iterable, Mapping
from fractions import Fraction
from typing import TYPE_CHECKING

import attrs

from ..errors import PeriodError, Place, SheetError
from ..evaluation import (
    Evaluation,
    Violation,
)
from ..i18n import _
from ..periods import Period, parse_period, period_sort_key
from ..rollup.exact import evaluate_rolled_up, roll_up_rows
from ..sheets.model import Sheet, SheetRow

if TYPE_CHECKING:
    from ..catalog.registry import Catalog


LEVELS = ("kanwil", "unit", "period", "row")
"""How a report groups the rows: the whole Kantor Wilayah, per unit, per quarter, each row."""


KANWIL = "Kantor Wilayah"
"""The name of the whole Kantor Wilayah (all units together) in reports."""


@attrs.frozen
class Section:
    """One part of a report: the values of a unit and period (rolled up) and their results."""

    level: str
    """"kanwil", "unit", "period" or "row": what the section covers."""
    unit: str | None
    """The unit, KANWIL for all units together, or None when the file names no unit."""
    period: str | None
    """"TW2", the year ("2024"), a year to date ("2024 s.d. TW2"), or None."""
    rows: tuple[SheetRow, ...]
    """The sheet rows the section combines."""
    values: Mapping[str, Fraction]
    """The (rolled-up) inputs evaluated."""
    results: Mapping[int, Evaluation]
    """The result of every indicator whose inputs are all given, by number."""
    not_evaluated: Mapping[int, tuple[str, ...]]
    """Indicators not evaluated, by number, with the inputs they lack."""
    violations: tuple[Violation, ...]
    """Consistency rules the section's values break (rules spanning indicators included)."""
    notes: tuple[str, ...] = ()
    """What rolling up could not do: inputs missing in some quarters, units lacking a quarter."""

    @property
    def title(self) -> str:
        labels = [label for label in (self.unit, self.period) if label]
        return ", ".join(labels) if labels else _("(no unit and period)")

    def count(self, status: str) -> int:
        return sum(1 for result in self.results.values() if result.status.value == status)


@attrs.frozen
class RowProblem:
    """A data error in one row: a broken rule, or a numerator above its denominator."""

    row: SheetRow
    text: str
    numbers: tuple[int, ...]
    """The indicators concerned."""
    violation: Violation | None = None
    """The broken rule, when it is one."""


@attrs.frozen
class Report:
    """The results of a realisasi file at one level, and everything to check in the data."""

    catalog: Catalog = attrs.field(repr=False)
    sheet: Sheet = attrs.field(repr=False)
    level: str
    sections: tuple[Section, ...]
    row_problems: tuple[RowProblem, ...] = ()
    """Data errors in single rows (a unit's quarter), found before rolling up: broken rules
    and numerators above their denominators."""

    @property
    def source(self) -> str:
        return str(self.sheet.path)


def _year_label(catalog: Catalog, periods: Iterable[str | None]) -> str | None:
    """The period of rolled-up rows: "2024", "2024 s.d. TW2", "2024 (TW1, TW3)" or a year."""
    present = sorted({period for period in periods if period is not None}, key=period_sort_key)
    parts = [part for period in present if (part := _part_of_year(period)) is not None]
    if not parts:
        return present[0] if present else None
    year = str(catalog.year)
    labels = [part.label for part in parts]
    kind = parts[0].kind
    every = [Period(kind, index).label for index in range(1, kind.per_year + 1)]
    if labels == every:
        return year
    if labels == every[: len(labels)]:
        return f"{year} s.d. {labels[-1]}"
    return f"{year} ({', '.join(labels)})"


def _part_of_year(label: str | None) -> Period | None:
    """The period of a row when it is a part of a year (a quarter); None for a year or none.

    A label that is no period (a row made by hand) counts as a whole year, as it always has.
    """
    try:
        period = parse_period(label)
    except PeriodError:
        return None
    return period if period is not None and period.within_year else None


def _within_year(row: SheetRow) -> bool:
    return _part_of_year(row.period) is not None


def _check_periods(sheet: Sheet) -> None:
    """Rows of one unit must be quarters of one year, or a single whole-year row."""
    by_unit: dict[str | None, list[SheetRow]] = {}
    for row in sheet.rows:
        by_unit.setdefault(row.unit, []).append(row)
    problems: list[tuple[Place, str]] = []
    for unit, rows in by_unit.items():
        if len(rows) < 2:
            continue
        years = [row for row in rows if not _within_year(row)]
        if years:
            other = next(row for row in rows if row is not years[0])
            shown = repr(unit) if unit else "(no unit)"
            problems.append(
                (
                    sheet.place(years[0], "period" if sheet.kind != "json" else None),
                    f"unit {shown} has a row for period {years[0].period or '(none)'!r} and "
                    f"another ({'record' if sheet.kind == 'json' else 'row'} {other.number}, "
                    f"period {other.period or '(none)'!r}); rolling up needs one row per quarter "
                    "(TW1 to TW4) of one year, or a single row for the year; use --by row to "
                    "evaluate every row on its own",
                )
            )
    if not problems:
        quarterly = [row for row in sheet.rows if _within_year(row)]
        yearly = [row for row in sheet.rows if not _within_year(row)]
        labels = sorted({row.period or "(none)" for row in yearly})
        if quarterly and yearly:
            problems.append(
                (
                    sheet.place(yearly[0], "period" if sheet.kind != "json" else None),
                    f"period {yearly[0].period or '(none)'!r} covers a whole year, but other "
                    f"rows are quarters (e.g. {_row_word(sheet)} {quarterly[0].number}, "
                    f"{quarterly[0].period}); give every unit its quarters, or use --by row",
                )
            )
        elif len(labels) > 1:
            problems.append(
                (
                    Place(str(sheet.path), sheet.sheet_name),
                    f"the rows cover different years ({', '.join(labels)}); roll up one year "
                    "per file, or use --by row",
                )
            )
    if problems:
        raise SheetError(problems)


def _row_word(sheet: Sheet) -> str:
    return "record" if sheet.kind == "json" else "row"


def build_report(catalog: Catalog, sheet: Sheet, by: str = "kanwil") -> Report:
    """Roll ``sheet`` up and evaluate it at level ``by`` (one of :data:`LEVELS`).

    * "kanwil": the whole Kantor Wilayah (all units) for the year;
    * "unit": the whole Kantor Wilayah, then each unit, for the year;
    * "period": the whole Kantor Wilayah for the year, then for each quarter;
    * "row": every row on its own, nothing rolled up.

    Quarters roll up into the year and units into the Kantor Wilayah by each input's rules,
    exactly (see :func:`roll_up_rows`). Raises SheetError when rows cannot be rolled up
    (a unit with a whole-year row besides quarters).
    """
    if by not in LEVELS:
        raise ValueError(f"level must be one of {', '.join(LEVELS)}, got {by!r}")
    groups: list[tuple[str, str | None, str | None, tuple[SheetRow, ...]]] = []
    if by == "row":
        groups = [("row", row.unit, row.period, (row,)) for row in sheet.rows]
    else:
        _check_periods(sheet)
        units = sheet.units
        whole = units[0] if len(units) == 1 else KANWIL
        year = _year_label(catalog, (row.period for row in sheet.rows))
        groups.append(("kanwil", whole, year, sheet.rows))
        if by == "unit" and len(units) > 1:
            for unit in units:
                rows = tuple(row for row in sheet.rows if row.unit == unit)
                label = _year_label(catalog, (row.period for row in rows))
                groups.append(("unit", unit, label, rows))
        if by == "period" and len(sheet.periods) > 1:
            for period in sheet.periods:
                rows = tuple(row for row in sheet.rows if row.period == period)
                groups.append(("period", whole, period, rows))
    sections = [
        _section(catalog, level, unit, period, rows, sheet) for level, unit, period, rows in groups
    ]
    problems: list[RowProblem] = []
    if by != "row" and len(sheet.rows) > 1:
        for row in sheet.rows:
            problems.extend(_row_problems(catalog, row))
    return Report(catalog, sheet, by, tuple(sections), tuple(problems))


def _row_problems(catalog: Catalog, row: SheetRow) -> list[RowProblem]:
    """Broken rules and impossible shares in one row; both say "check the data"."""
    found: dict[str, RowProblem] = {}
    for violation in catalog.check_exact(row.values):
        text = str(violation)
        found[text] = RowProblem(row, text, tuple(rule_users(catalog, violation)), violation)
    for number, result in catalog.evaluate_exact(row.values).items():
        for warning in other_warnings(result):
            if not warning.endswith(_("check the data")):
                continue  # e.g. a mean over the defined parts: a policy, not a data error
            known = found.get(warning)
            numbers = (*known.numbers, number) if known else (number,)
            found[warning] = RowProblem(row, warning, numbers)
    return list(found.values())


def _section(
    catalog: Catalog,
    level: str,
    unit: str | None,
    period: str | None,
    rows: tuple[SheetRow, ...],
    sheet: Sheet,
) -> Section:
    notes: tuple[str, ...] = ()
    if len(rows) == 1:
        values: Mapping[str, Fraction] = rows[0].values
        results = catalog.evaluate_exact(values)
    else:
        combined = roll_up_rows(catalog, rows, lambda row: sheet.place(row).inner)
        values, notes = combined.values, combined.notes
        results = evaluate_rolled_up(catalog, combined)  # each indicator by its roll_up
        if len(combined.units) > 1:
            results = dict(sorted(results.items()))
    violations = {violation.rule.text: violation for violation in catalog.check_exact(values)}
    for result in results.values():
        for violation in result.violations:
            violations.setdefault(violation.rule.text, violation)
    not_evaluated = {
        indicator.number: tuple(name for name in indicator.inputs if name not in values)
        for indicator in catalog
        if indicator.number not in results
    }
    return Section(
        level,
        unit,
        period,
        rows,
        values,
        results,
        not_evaluated,
        tuple(violations.values()),
        notes,
    )


def other_warnings(evaluation: Evaluation) -> list[str]:
    """Warnings that are not broken rules (those are listed on their own)."""
    broken = {str(violation) for violation in evaluation.violations}
    return [warning for warning in evaluation.warnings if warning not in broken]


def rule_users(catalog: Catalog, violation: Violation) -> list[int]:
    return [
        indicator.number for indicator in catalog if violation.rule.inputs & set(indicator.inputs)
    ]
