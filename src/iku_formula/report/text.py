"""The report as terminal text, and the text-table helpers the CLI shares."""

from __future__ import annotations

__all__ = [
    "render_text",
]

from ..escaping import terminal_text
from ..i18n import _
from .build import Report
from .layout import fit, shorten, table, terminal_width, wrap
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


def render_text(report: Report) -> str:
    """The report as terminal text: a table per section, then what needs checking."""
    catalog = report.catalog
    width = terminal_width()
    out: list[str] = []
    for section in report.sections:
        out.extend(wrap(f"== {section.title} ==", indent="   "))
        if len(section.rows) > 1:
            out.extend(wrap(f"({rolled_up(report, section)})", indent=" "))
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
                    [
                        _("No"),
                        _("Indicator"),
                        "Realisasi",
                        "Target",
                        _("Capaian (%)"),
                        "Status",
                        "Predikat",
                    ],
                    rows,
                    right=(0, 2, 4),
                    keep=(0, 4),
                    width=width,
                )
            )
        else:
            out.append(_("(no indicator has all its inputs here)"))
        notes = result_notes(section)
        if notes:
            out.append("")
            out.append(_("Notes:"))
            for note in notes:
                out.extend(wrap(note, indent="    ", first="  "))
        if section.violations:
            out.append("")
            out.append(_("Consistency rules broken:"))
            for violation in section.violations:
                out.extend(wrap(violation_text(catalog, violation), indent="    ", first="  - "))
        if section.notes:
            out.append("")
            out.append(_("Incomplete data:"))
            for note in section.notes:
                out.extend(wrap(note, indent="    ", first="  - "))
        out.append("")
        out.extend(wrap(status_summary(section), indent="  "))
        if section.not_evaluated:
            out.extend(
                wrap(
                    _("not evaluated (missing inputs): {count}").format(
                        count=len(section.not_evaluated)
                    ),
                    indent="  ",
                )
            )
            absent_all, partial = split_not_evaluated(catalog, section)
            if absent_all:
                out.extend(
                    wrap(
                        _("none of their inputs given: {numbers}").format(
                            numbers=number_spans(absent_all)
                        ),
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
                        + _("missing {inputs}").format(inputs=", ".join(absent)),
                        indent="    ",
                        first="  ",
                    )
                )
        out.append("")
    out.extend(data_notes(report))
    return "\n".join(fit(terminal_text("\n".join(out)).split("\n"), width))
