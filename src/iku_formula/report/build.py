"""Building a report: a sheet rolled up and evaluated per level (Kanwil, unit, quarter, row)."""

from __future__ import annotations

__all__ = [
    "KANWIL",
    "LEVELS",
    "LEVEL_NAMES",
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
from ..i18n import N_, _
from ..periods import (
    MONTH,
    QUARTER,
    Period,
    calendars_refused,
    one_calendar,
    parse_period,
    parse_until,
    period_sort_key,
    up_to,
    within,
)
from ..rollup.exact import evaluate_rolled_up, roll_up_rows
from ..sheets.model import Sheet, SheetRow

if TYPE_CHECKING:
    from ..catalog.registry import Catalog
    from ..sheets.targets import PeriodTargets


LEVELS = ("kanwil", "unit", "period", "row")
"""How a report groups the rows: the whole Kantor Wilayah, per unit, per quarter, each row."""

LEVEL_NAMES = {"kanwil": N_("kanwil"), "unit": N_("unit"), "period": N_("period"), "row": N_("row")}
"""Each level's name as people read it (marked for translation; translate with ``_`` at use)."""


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
    """"TW2", the year ("2024"), a year to date ("2024 s.d. TW2", "2024 s.d. Juni"), a quarter
    of a monthly sheet lacking months ("TW2 (April, Mei)"), or None."""
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
    targets: PeriodTargets | None = attrs.field(default=None, repr=False)
    """The targets per period the results are measured against (None: the catalog's)."""

    @property
    def level_name(self) -> str:
        """The level as people read it, in the language shown ("periode" for "period")."""
        return _(LEVEL_NAMES.get(self.level, self.level))

    @property
    def source(self) -> str:
        return str(self.sheet.path)


def _year_label(catalog: Catalog, periods: Iterable[str | None]) -> str | None:
    """The period of rolled-up rows: "2024", "2024 s.d. TW2", "2024 (TW1, TW3)" or a year."""
    present = sorted({period for period in periods if period is not None}, key=period_sort_key)
    parts = [part for period in present if (part := _part_of_year(period)) is not None]
    if not parts:
        return present[0] if present else None
    year = str(parts[0].year or catalog.year)
    kind = parts[0].kind
    indices = [part.index for part in parts]
    labels = [Period(part.kind, part.index).label for part in parts]  # "Juni", not "2024-06"
    if indices == list(range(1, kind.per_year + 1)):
        return year
    if indices == list(range(1, len(indices) + 1)):
        return f"{year} s.d. {labels[-1]}"
    return f"{year} ({', '.join(labels)})"


_Group = tuple[str, str | None, str | None, tuple[SheetRow, ...]]
"""A section to be: its level, unit, period label and rows."""


def _period_groups(whole: str | None, rows: tuple[SheetRow, ...]) -> list[_Group]:
    """The sections of ``--by period``: each period of the rows; for a sheet of months, each
    quarter, rolled up from its months ("TW1", or "TW1 (Januari, Februari)" when months of
    it are absent), since a planning team reads the quarter."""
    periods = sorted(dict.fromkeys(row.period for row in rows), key=period_sort_key)
    if len(periods) <= 1:
        return []
    parsed = {label: _part_of_year(label) for label in periods}
    if not all(period is not None and period.kind is MONTH for period in parsed.values()):
        return [
            ("period", whole, label, tuple(row for row in rows if row.period == label))
            for label in periods
        ]
    quarters: dict[Period, list[str | None]] = {}
    for label, period in parsed.items():
        assert period is not None  # every label is a month (checked above)
        quarter = within(period, QUARTER)
        assert quarter is not None  # a month lies in a quarter
        quarters.setdefault(Period(QUARTER, quarter.index), []).append(label)
    groups: list[_Group] = []
    for quarter, labels in quarters.items():
        title = quarter.label
        if len(labels) < MONTH.per_year // QUARTER.per_year:
            names = [
                Period(MONTH, month.index).label for label in labels if (month := parsed[label])
            ]
            title += f" ({', '.join(names)})"
        members = tuple(row for row in rows if row.period in labels)
        groups.append(("period", whole, title, members))
    return groups


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
            shown = repr(unit) if unit else _("(no unit)")
            word = _("record") if sheet.kind == "json" else _("row")
            problems.append(
                (
                    sheet.place(years[0], "period" if sheet.kind != "json" else None),
                    _(
                        "unit {unit} has a row for period {period!r} and another ({word} "
                        "{number}, period {other!r}); rolling up needs one row per quarter "
                        "(TW1 to TW4) of one year, or a single row for the year; use --by row "
                        "to evaluate every row on its own"
                    ).format(
                        unit=shown,
                        period=years[0].period or _("(none)"),
                        word=word,
                        number=other.number,
                        other=other.period or _("(none)"),
                    ),
                )
            )
    if not problems:
        mixed = _mixed_calendars(sheet)
        if mixed is not None:
            problems.append(mixed)
    if not problems:
        quarterly = [row for row in sheet.rows if _within_year(row)]
        yearly = [row for row in sheet.rows if not _within_year(row)]
        labels = sorted({row.period or _("(none)") for row in yearly})
        if quarterly and yearly:
            problems.append(
                (
                    sheet.place(yearly[0], "period" if sheet.kind != "json" else None),
                    _(
                        "period {period!r} covers a whole year, but other rows are quarters "
                        "(e.g. {word} {number}, {quarter}); give every unit its quarters, or use "
                        "--by row"
                    ).format(
                        period=yearly[0].period or _("(none)"),
                        word=_("record") if sheet.kind == "json" else _("row"),
                        number=quarterly[0].number,
                        quarter=quarterly[0].period,
                    ),
                )
            )
        elif len(labels) > 1:
            problems.append(
                (
                    Place(str(sheet.path), sheet.sheet_name),
                    _(
                        "the rows cover different years ({years}); roll up one year per file, "
                        "or use --by row"
                    ).format(years=", ".join(labels)),
                )
            )
    if problems:
        raise SheetError(problems)


def _mixed_calendars(sheet: Sheet) -> tuple[Place, str] | None:
    """Where rows mix months and quarters (or semesters), which rolling up cannot add."""
    seen: dict[str | None, SheetRow] = {}
    for row in sheet.rows:
        seen.setdefault(row.period, row)
    periods = {label: _part_of_year(label) for label in seen}
    mixed = one_calendar(period for period in periods.values() if period is not None)
    if mixed is None:
        return None
    first, other = mixed
    row = next(seen[label] for label, period in periods.items() if period == other)
    before = next(seen[label] for label, period in periods.items() if period == first)
    text = str(calendars_refused(first, other))
    text += _(" (the first is {word} {number}); or use --by row").format(
        word=_row_word(sheet), number=before.number
    )
    return sheet.place(row, "period" if sheet.kind != "json" else None), text


def _row_word(sheet: Sheet) -> str:
    return _("record") if sheet.kind == "json" else _("row")


def build_report(
    catalog: Catalog,
    sheet: Sheet,
    by: str = "kanwil",
    *,
    until: Period | str | int | None = None,
    targets: PeriodTargets | None = None,
) -> Report:
    """Roll ``sheet`` up and evaluate it at level ``by`` (one of :data:`LEVELS`).

    * "kanwil": the whole Kantor Wilayah (all units) for the year;
    * "unit": the whole Kantor Wilayah, then each unit, for the year;
    * "period": the whole Kantor Wilayah for the year, then for each quarter;
    * "row": every row on its own, nothing rolled up.

    Quarters roll up into the year and units into the Kantor Wilayah by each input's rules,
    exactly (see :func:`roll_up_rows`). Raises SheetError when rows cannot be rolled up
    (a unit with a whole-year row besides quarters, months beside quarters).

    With ``until`` (``iku evaluate --sampai TW3``) only the rows up to and including that
    period count, by the one rule of :func:`iku_formula.periods.up_to`: realisasi and
    capaian to date. A sheet of months shows quarters at ``by="period"``: each quarter
    rolled up from its months (see :func:`_period_groups`).

    With ``targets`` (:func:`~iku_formula.sheets.targets.load_targets`), a result covering
    one period is measured against that period's target, and one covering several (the
    year, the year to date) against the cumulative target at the last of them; indicators
    the targets do not name keep the catalog's yearly target.
    """
    if by not in LEVELS:
        raise ValueError(f"level must be one of {', '.join(LEVELS)}, got {by!r}")
    if by != "row":
        _check_periods(sheet)
    all_rows = sheet.rows
    if until is not None:
        keeps = up_to(until)
        all_rows = tuple(row for row in sheet.rows if keeps(row.period))
        if not all_rows:
            raise SheetError.at(
                Place(str(sheet.path), sheet.sheet_name),
                _(
                    "no row is up to {until}: the rows cover {periods}; give a later period "
                    "to --sampai"
                ).format(
                    until=parse_until(until).label,
                    periods=", ".join(period or "(none)" for period in sheet.periods),
                ),
            )
    groups: list[tuple[str, str | None, str | None, tuple[SheetRow, ...]]] = []
    if by == "row":
        groups = [("row", row.unit, row.period, (row,)) for row in all_rows]
    else:
        units = tuple(dict.fromkeys(row.unit for row in all_rows))
        whole = units[0] if len(units) == 1 else KANWIL
        year = _year_label(catalog, (row.period for row in all_rows))
        groups.append(("kanwil", whole, year, all_rows))
        if by == "unit" and len(units) > 1:
            for unit in units:
                rows = tuple(row for row in all_rows if row.unit == unit)
                label = _year_label(catalog, (row.period for row in rows))
                groups.append(("unit", unit, label, rows))
        if by == "period":
            groups.extend(_period_groups(whole, all_rows))
    sections = [
        _section(catalog, level, unit, period, rows, sheet) for level, unit, period, rows in groups
    ]
    if targets is not None:
        sections = [
            attrs.evolve(s, results=targets.apply(s.results, [r.period for r in s.rows]))
            for s in sections
        ]
    problems: list[RowProblem] = []
    if by != "row" and len(sheet.rows) > 1:
        for row in sheet.rows:
            problems.extend(_row_problems(catalog, row))
    return Report(catalog, sheet, by, tuple(sections), tuple(problems), targets)


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
