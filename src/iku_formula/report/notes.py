"""What every report form says besides the table: notes, warnings, broken rules, row spans."""

from __future__ import annotations

__all__ = [
    "EMPTY_ROW_NOTE",
    "IGNORED_COLUMN_NOTE",
    "INCOMPLETE_NOTE",
    "MISSING_COLUMN_NOTE",
    "NOT_EVALUATED_NOTE",
    "UNDEFINED_NOTE",
    "VIOLATION_NOTE",
    "WARNING_NOTE",
    "Note",
    "data_notes",
    "empty_rows_text",
    "ink_on",
    "number_spans",
    "number_style_text",
    "predikat_text",
    "problem_text",
    "realisasi_text",
    "report_notes",
    "result_headers",
    "result_notes",
    "rolled_up",
    "row_title",
    "shown",
    "split_not_evaluated",
    "status_summary",
    "targets_note",
    "violation_text",
]

from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

import attrs

from ..evaluation import (
    Evaluation,
    Violation,
)
from ..i18n import _, ngettext
from ..numbers import localized
from ..sheets.model import SheetRow, input_users
from .build import Report, RowProblem, Section, other_warnings, rule_users
from .layout import wrap

if TYPE_CHECKING:
    from ..catalog.registry import Catalog


def shown(number: Decimal | None, *, people: bool = True) -> str:
    """A rounded number as people read it ("1.234,56" in Indonesian), or as a file holds it
    (``people=False``: "1234.56"); "-" for none."""
    if number is None:
        return "-"
    return localized(number) if people else str(number)


def ink_on(colour: str) -> str:
    """The text colour that reads on a fill of ``colour`` ("#RRGGBB"): white on a dark one."""
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return "#FFFFFF" if 0.299 * red + 0.587 * green + 0.114 * blue < 128 else "#000000"


def result_headers() -> list[str]:
    """The headers of a table of results, in the language shown (text and Markdown)."""
    return [_("No"), _("Indicator"), "Realisasi", "Target", _("Capaian (%)"), "Status", "Predikat"]


def realisasi_text(evaluation: Evaluation, *, people: bool = True) -> str:
    """Realisasi as people read it: "90,63", "2,00 / 1,00" for a two-part target, "-"
    (``people=False``: the machine form, "90.63", for CSV)."""
    if not evaluation.parts:
        return shown(evaluation.display_value(), people=people)
    rule = evaluation.indicator.achievement_rule
    return " / ".join(
        shown(None if part.value is None else rule.display(part.value), people=people)
        for part in evaluation.parts
    )


def violation_text(catalog: Catalog, violation: Violation) -> str:
    users = rule_users(catalog, violation)
    listed = f" (IKU {', '.join(map(str, users))})" if users else ""
    return f"{violation}{listed}"


def predikat_text(evaluation: Evaluation) -> str:
    """The predikat as people read it: "A (Sangat Baik)", or "-" when there is none."""
    band = evaluation.predikat
    return "-" if band is None else band.text


def result_notes(section: Section) -> list[str]:
    notes: list[str] = []
    for number, evaluation in section.results.items():
        if evaluation.reason is not None:
            notes.append(
                _("[{number}] undefined: {reason}").format(number=number, reason=evaluation.reason)
            )
        notes.extend(
            _("[{number}] warning: {warning}").format(number=number, warning=warning)
            for warning in other_warnings(evaluation)
        )
    return notes


def status_summary(section: Section) -> str:
    return _("met: {met}, not met: {not_met}, undefined: {undefined}").format(
        met=section.count("met"),
        not_met=section.count("not_met"),
        undefined=section.count("undefined"),
    )


def row_title(report: Report, row: SheetRow) -> str:
    label = f" ({row.label})" if row.label else ""
    return f"{report.sheet.place(row).inner}{label}"


def rolled_up(report: Report, section: Section) -> str:
    """ "10 units, 40 rows rolled up: rows 2-41" (Indonesian: "10 unit, 40 baris digabung: ...")."""
    units = len({row.unit for row in section.rows})
    head = _("{units} units, ").format(units=units) if units > 1 else ""
    return head + _("{count} rows rolled up: {rows}").format(
        count=len(section.rows), rows=_row_numbers(report, section.rows)
    )


def split_not_evaluated(catalog: Catalog, section: Section) -> tuple[list[int], list[int]]:
    """Unevaluated indicators with none of their inputs given, and those with some given."""
    absent_all = [
        number
        for number, absent in section.not_evaluated.items()
        if len(absent) == len(catalog[number].inputs)
    ]
    partial = [number for number in section.not_evaluated if number not in absent_all]
    return absent_all, partial


def _row_numbers(report: Report, rows: Sequence[SheetRow]) -> str:
    numbers = [row.number for row in rows]
    if report.sheet.kind == "json":
        text = ngettext("record {numbers}", "records {numbers}", len(numbers))
    else:
        text = ngettext("row {numbers}", "rows {numbers}", len(numbers))
    return text.format(numbers=number_spans(numbers))


def number_spans(numbers: Sequence[int]) -> str:
    """ "1-3, 5, 7-9" for [1, 2, 3, 5, 7, 8, 9]."""
    if not numbers:
        return ""
    spans: list[str] = []
    start = previous = numbers[0]
    for number in [*numbers[1:], None]:
        if number is not None and number == previous + 1:
            previous = number
            continue
        spans.append(str(start) if start == previous else f"{start}-{previous}")
        if number is not None:
            start = previous = number
    return ", ".join(spans)


def problem_text(problem: RowProblem) -> str:
    return f"{problem.text} (IKU {', '.join(map(str, problem.numbers))})"


def data_notes(report: Report) -> list[str]:
    """The file-level list: rules broken in single rows, missing columns, empty rows."""
    out: list[str] = []
    sheet = report.sheet
    if report.row_problems:
        out.append("== " + _("Data errors in rows") + " ==")
        for problem in report.row_problems:
            out.extend(
                wrap(
                    f"{row_title(report, problem.row)}: {problem_text(problem)}",
                    indent="    ",
                    first="  - ",
                )
            )
        out.append("")
    if sheet.missing:
        out.append(
            "== " + _("Inputs without a column: {count}").format(count=len(sheet.missing)) + " =="
        )
        out.extend(wrap(", ".join(sheet.missing), indent="  ", first="  "))
        out.append("")
    if sheet.ignored:
        out.append(
            "== "
            + _("Columns ignored (not inputs): {count}").format(count=len(sheet.ignored))
            + " =="
        )
        out.extend(wrap(", ".join(sheet.ignored), indent="  ", first="  "))
        out.append("")
    if sheet.empty_rows:
        out.append(empty_rows_text(report))
        out.append("")
    style = number_style_text(report)
    if style:
        out.append(style)
        out.append("")
    return out


def number_style_text(report: Report) -> str | None:
    """How text numbers were read, when the sheet's number style was known, and whence."""
    sheet = report.sheet
    if sheet.number_style is None:
        return None
    style = {"id": "id (1.234,5)", "en": "en (1,234.5)"}.get(sheet.number_style, sheet.number_style)
    record = sheet.record
    if record is not None and record.number_style == sheet.number_style:
        return _("Text numbers read in the style {style}, from the template.").format(style=style)
    return _("Text numbers read in the style {style}, from --angka.").format(style=style)


def empty_rows_text(report: Report) -> str:
    """ "Rows without any value, skipped: 5, 9"."""
    sheet = report.sheet
    rows = ", ".join(map(str, sheet.empty_rows))
    if sheet.kind == "json":
        return _("Records without any value, skipped: {rows}").format(rows=rows)
    return _("Rows without any value, skipped: {rows}").format(rows=rows)


UNDEFINED_NOTE = "tidak terdefinisi"


WARNING_NOTE = "peringatan"


VIOLATION_NOTE = "aturan dilanggar"


NOT_EVALUATED_NOTE = "tidak dievaluasi"


INCOMPLETE_NOTE = "data tidak lengkap"


MISSING_COLUMN_NOTE = "kolom tidak ada"
IGNORED_COLUMN_NOTE = "kolom diabaikan"


EMPTY_ROW_NOTE = "baris tanpa nilai"


@attrs.frozen
class Note:
    """One thing the reader must see: an undefined result, a warning, a broken rule..."""

    kind: str
    level: str
    """The section's level, "row" for a single row, "file" for the file as a whole."""
    unit: str | None
    period: str | None
    where: str | None
    """The sheet row it comes from, for rules broken in single rows."""
    numbers: tuple[int, ...]
    """The indicators concerned."""
    text: str


def report_notes(report: Report) -> list[Note]:
    """Every undefined result, warning, broken rule, unevaluated indicator, missing column."""
    catalog = report.catalog
    notes: list[Note] = []
    for section in report.sections:
        level, unit, period = section.level, section.unit, section.period
        for number, evaluation in section.results.items():
            if evaluation.reason is not None:
                notes.append(
                    Note(UNDEFINED_NOTE, level, unit, period, None, (number,), evaluation.reason)
                )
            notes.extend(
                Note(WARNING_NOTE, level, unit, period, None, (number,), warning)
                for warning in other_warnings(evaluation)
            )
        notes.extend(
            Note(
                VIOLATION_NOTE,
                level,
                unit,
                period,
                None,
                tuple(rule_users(catalog, violation)),
                str(violation),
            )
            for violation in section.violations
        )
        notes.extend(
            Note(INCOMPLETE_NOTE, level, unit, period, None, (), note) for note in section.notes
        )
        notes.extend(
            Note(
                NOT_EVALUATED_NOTE,
                level,
                unit,
                period,
                None,
                (number,),
                _("missing {inputs}").format(inputs=", ".join(absent)),
            )
            for number, absent in section.not_evaluated.items()
        )
    for problem in report.row_problems:
        notes.append(
            Note(
                VIOLATION_NOTE if problem.violation else WARNING_NOTE,
                "row",
                problem.row.unit,
                problem.row.period,
                report.sheet.place(problem.row).inner,
                problem.numbers,
                problem.text,
            )
        )
    for name in report.sheet.missing:
        notes.append(
            Note(
                MISSING_COLUMN_NOTE,
                "file",
                None,
                None,
                None,
                tuple(input_users(catalog, name)),
                _("the file has no column {name!r} ({label})").format(
                    name=name, label=catalog.inputs[name].label
                ),
            )
        )
    for name in report.sheet.ignored:
        notes.append(
            Note(
                IGNORED_COLUMN_NOTE,
                "file",
                None,
                None,
                None,
                (),
                _("column {name!r} is no input: ignored").format(name=name),
            )
        )
    for number in report.sheet.empty_rows:
        where = (_("record {number}") if report.sheet.kind == "json" else _("row {number}")).format(
            number=number
        )
        notes.append(
            Note(EMPTY_ROW_NOTE, "file", None, None, where, (), _("no value given; skipped"))
        )
    return notes


def targets_note(report: Report) -> str:
    """What a report says of its targets per period: the file, and what the others are
    measured against ("" when there are none)."""
    targets = report.targets
    if targets is None:
        return ""
    text = _(
        "Targets per period from {source} ({count} indicators; capaian per period against "
        "the period's target, to date against the cumulative target); the other indicators "
        "against the catalog's yearly target."
    ).format(source=targets.source, count=len(targets))
    differ = targets.yearly_differences(report.catalog)
    if differ:
        listed = ", ".join(
            _("IKU {number} ({to_date}, not {yearly})").format(
                number=number, to_date=to_date.text, yearly=yearly.text
            )
            for number, to_date, yearly in differ
        )
        text += " " + _(
            "The cumulative target at {period} is not the catalog's yearly target for: {listed}."
        ).format(period=targets.periods[-1], listed=listed)
    return text
