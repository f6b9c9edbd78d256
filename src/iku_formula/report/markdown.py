"""The report as Markdown."""

from __future__ import annotations

__all__ = [
    "render_markdown",
    "render_matrix_markdown",
]

from typing import TYPE_CHECKING

from ..escaping import markdown_text as md
from ..i18n import _
from ..sheets.model import input_users
from .build import Report, Section, other_warnings
from .matrix import MATRIX_HEADINGS, Matrix, matrix_cells
from .notes import (
    empty_rows_text,
    number_spans,
    number_style_text,
    predikat_text,
    problem_text,
    realisasi_text,
    result_headers,
    rolled_up,
    row_title,
    shown,
    split_not_evaluated,
    status_summary,
    targets_note,
    violation_text,
)

if TYPE_CHECKING:
    from ..catalog.registry import Catalog


def render_markdown(report: Report) -> str:
    """The report as Markdown: a table per section, the notes as lists under it."""
    catalog = report.catalog
    out = [
        "# " + _("IKU report: {title}").format(title=md(catalog.title)),
        "",
        _("Source: {source}; level: {level}.").format(
            source=md(report.source), level=report.level_name
        ),
        "",
    ]
    for section in report.sections:
        out.extend(_section_markdown(report, section))
    sheet = report.sheet
    if report.row_problems:
        out.append("## " + _("Data errors in rows"))
        out.append("")
        out.extend(
            f"- {md(row_title(report, problem.row))}: {md(problem_text(problem))}"
            for problem in report.row_problems
        )
        out.append("")
    if sheet.missing:
        out.append("## " + _("Inputs without a column"))
        out.append("")
        out.extend(
            f"- `{name}` ({md(catalog.inputs[name].label)}; IKU "
            f"{', '.join(map(str, input_users(catalog, name))) or '-'})"
            for name in sheet.missing
        )
        out.append("")
    if sheet.ignored:
        out.append("## " + _("Columns ignored (not inputs)"))
        out.append("")
        out.extend(f"- {md(name)}" for name in sheet.ignored)
        out.append("")
    if report.targets is not None:
        out.extend([md(targets_note(report)), ""])
    style = number_style_text(report)
    if style:
        out.append(md(style))
        out.append("")
    if sheet.empty_rows:
        out.append(md(empty_rows_text(report)) + ".")
        out.append("")
    return "\n".join(out)


def _section_markdown(report: Report, section: Section) -> list[str]:
    """One section: its heading, its table and the lists of what to check under it."""
    catalog = report.catalog
    out: list[str] = []
    out.append(f"## {md(section.title)}")
    out.append("")
    if len(section.rows) > 1:
        text = rolled_up(report, section)
        out.append(f"{text[:1].upper()}{text[1:]}.")
        out.append("")
    if section.results:
        headers = result_headers()
        out.append("| " + " | ".join(headers) + " |")
        out.append("| ---: | --- | ---: | --- | ---: | --- | --- |")
        for number, evaluation in section.results.items():
            status = evaluation.status.label
            if not evaluation.met:
                status = f"**{status}**"
            out.append(
                f"| {number} | {md(evaluation.indicator.display_name)} | "
                f"{realisasi_text(evaluation)} | {md(evaluation.indicator.target.text)} | "
                f"{shown(evaluation.display_achievement())} | {status} | "
                f"{md(predikat_text(evaluation))} |"
            )
    else:
        out.append(_("No indicator has all its inputs here."))
    out.append("")
    out.append(
        status_summary(section)
        + _(", not evaluated: {count}").format(count=len(section.not_evaluated))
    )
    out.append("")
    blocks: list[tuple[str, list[str]]] = [
        (
            _("Undefined"),
            [
                f"**IKU {n}**: {md(e.reason)}"
                for n, e in section.results.items()
                if e.reason is not None
            ],
        ),
        (
            _("Warnings"),
            [
                f"**IKU {n}**: {md(w)}"
                for n, e in section.results.items()
                for w in other_warnings(e)
            ],
        ),
        (
            _("Consistency rules broken"),
            [md(violation_text(catalog, v)) for v in section.violations],
        ),
        (
            _("Incomplete data"),
            [md(note) for note in section.notes],
        ),
        (
            _("Not evaluated (missing inputs)"),
            _md_not_evaluated(catalog, section),
        ),
    ]
    for heading, items in blocks:
        if items:
            out.append(f"### {heading}")
            out.append("")
            out.extend(f"- {item}" for item in items)
            out.append("")
    return out


def _md_not_evaluated(catalog: Catalog, section: Section) -> list[str]:
    absent_all, partial = split_not_evaluated(catalog, section)
    items = (
        [_("none of their inputs given: IKU {numbers}").format(numbers=number_spans(absent_all))]
        if absent_all
        else []
    )
    items.extend(
        f"**IKU {number}** {md(catalog[number].display_name)}: "
        + _("missing {inputs}").format(inputs=", ".join(section.not_evaluated[number]))
        for number in partial
    )
    return items


def render_matrix_markdown(matrix: Matrix) -> str:
    """The matrix as Markdown: a table per measure (realisasi, target, capaian, predikat)."""
    report = matrix.report
    out = [
        "# " + _("IKU report: {title}").format(title=md(report.catalog.title)),
        "",
        f"## {md(matrix.title)}",
        "",
        _("Source: {source}.").format(source=md(report.source)),
        "",
    ]
    labels = " | ".join(md(label) for label in matrix.columns)
    header = f"| No | {_('Indicator')} | {labels} |"
    rule = "| ---: | --- | " + " | ".join("---:" for _label in matrix.columns) + " |"
    for measure, heading in MATRIX_HEADINGS.items():
        out.extend([f"### {heading}", "", header, rule])
        for row, cells in zip(matrix.rows, matrix_cells(matrix, measure), strict=True):
            shown_cells = " | ".join(md(cell) for cell in cells)
            out.append(f"| {row.number} | {md(row.name)} | {shown_cells} |")
        out.append("")
    if report.targets is not None:
        out.extend([md(targets_note(report)), ""])
    return "\n".join(out)
