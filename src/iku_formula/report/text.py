"""The report as terminal text, and the text-table helpers the CLI shares."""

from __future__ import annotations

__all__ = [
    "render_text",
]

from typing import TYPE_CHECKING

from ..escaping import terminal_text
from .build import Report
from .layout import shorten, table, wrap
from .notes import (
    data_notes,
    number_spans,
    predikat_text,
    realisasi_text,
    result_notes,
    rolled_up,
    shown,
    split_not_evaluated,
    status_summary,
    violation_text,
)

if TYPE_CHECKING:
    pass


def render_text(report: Report) -> str:
    """The report as terminal text: a table per section, then what needs checking."""
    catalog = report.catalog
    out: list[str] = []
    for section in report.sections:
        out.append(f"== {section.title} ==")
        if len(section.rows) > 1:
            out.append(f"({rolled_up(report, section)})")
        out.append("")
        rows = [
            [
                str(number),
                shorten(evaluation.indicator.display_name),
                realisasi_text(evaluation),
                evaluation.indicator.target.text,
                shown(evaluation.display_achievement()),
                evaluation.status.label,
                predikat_text(evaluation),
            ]
            for number, evaluation in section.results.items()
        ]
        if rows:
            out.extend(
                table(
                    ["No", "Indikator", "Realisasi", "Target", "Capaian (%)", "Status", "Predikat"],
                    rows,
                    right=(0, 2, 4),
                )
            )
        else:
            out.append("(no indicator has all its inputs here)")
        notes = result_notes(section)
        if notes:
            out.append("")
            out.append("Catatan / notes:")
            for note in notes:
                out.extend(wrap(note, indent="    ", first="  "))
        if section.violations:
            out.append("")
            out.append("Aturan konsistensi dilanggar / rule violations:")
            for violation in section.violations:
                out.extend(wrap(violation_text(catalog, violation), indent="    ", first="  - "))
        if section.notes:
            out.append("")
            out.append("Data tidak lengkap / incomplete data:")
            for note in section.notes:
                out.extend(wrap(note, indent="    ", first="  - "))
        out.append("")
        out.append(status_summary(section))
        if section.not_evaluated:
            out.append(f"not evaluated (missing inputs): {len(section.not_evaluated)}")
            absent_all, partial = split_not_evaluated(catalog, section)
            if absent_all:
                out.extend(
                    wrap(
                        f"none of their inputs given: {number_spans(absent_all)}",
                        indent="    ",
                        first="  ",
                    )
                )
            for number in partial:
                indicator = catalog[number]
                absent = section.not_evaluated[number]
                out.extend(
                    wrap(
                        f"[{number}] {shorten(indicator.display_name)}: "
                        f"missing {', '.join(absent)}",
                        indent="    ",
                        first="  ",
                    )
                )
        out.append("")
    out.extend(data_notes(report))
    return terminal_text("\n".join(out))
