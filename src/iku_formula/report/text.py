"""The report as terminal text, and the text-table helpers the CLI shares."""

from __future__ import annotations

__all__ = [
    "render_matrix_text",
    "render_text",
]

from collections.abc import Sequence

from ..escaping import terminal_text
from ..i18n import _
from .build import Report
from .layout import fit, shorten, table, terminal_width, wrap
from .matrix import MATRIX_HEADINGS, Matrix, matrix_cells
from .notes import (
    data_notes,
    number_spans,
    predikat_text,
    realisasi_text,
    result_headers,
    result_notes,
    rolled_up,
    shown,
    split_not_evaluated,
    status_summary,
    targets_note,
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
                    result_headers(),
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
    if report.targets is not None:
        out.extend(wrap(targets_note(report), indent="  "))
        out.append("")
    out.extend(data_notes(report))
    return "\n".join(fit(terminal_text("\n".join(out)).split("\n"), width))


def render_matrix_text(matrix: Matrix) -> str:
    """The matrix as terminal text: a table per measure (realisasi, target, capaian,
    predikat), its
    columns split into blocks that fit the terminal (:func:`~.layout.terminal_width`)."""
    report = matrix.report
    out = [f"== {matrix.title} ==", report.catalog.title, f"({report.source})", ""]
    width = terminal_width()
    names = [shorten(row.name, 30) for row in matrix.rows]
    fixed = 2 + max([2, *(len(str(row.number)) for row in matrix.rows)]) + 2
    fixed += max([9, *map(len, names)])
    for measure, heading in MATRIX_HEADINGS.items():
        cells = matrix_cells(matrix, measure)
        out.append(f"{heading}:")
        for block in _column_blocks(matrix.columns, cells, width - fixed):
            rows = [
                [str(row.number), name, *(line[i] for i in block)]
                for row, name, line in zip(matrix.rows, names, cells, strict=True)
            ]
            headers = ["No", "Indikator", *(matrix.columns[i] for i in block)]
            right = range(2, len(headers)) if measure not in ("target", "predikat") else ()
            out.extend(table(headers, rows, right=(0, *right), indent="  "))
            out.append("")
    if report.targets is not None:
        out.extend(wrap(targets_note(report), indent="  "))
    if not matrix.rows:
        out.append("(no indicator has all its inputs here)")
    return "\n".join(fit(terminal_text("\n".join(out)).split("\n"), width)) + "\n"


def _column_blocks(
    columns: Sequence[str], cells: Sequence[Sequence[str]], room: int
) -> list[list[int]]:
    """The columns' positions in blocks whose table lines fit ``room`` characters."""
    blocks: list[list[int]] = [[]]
    used = 0
    for index, label in enumerate(columns):
        width = 2 + max([len(label), *(len(line[index]) for line in cells)])
        if blocks[-1] and used + width > room:
            blocks.append([])
            used = 0
        blocks[-1].append(index)
        used += width
    return blocks
