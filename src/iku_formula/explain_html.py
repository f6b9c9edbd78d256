"""Explanations as self-contained HTML: inline styles only, every text escaped.

:meth:`Explanation.to_html <iku_formula.explain.Explanation.to_html>` renders with
:func:`explanation_html`; the notebook views (:mod:`iku_formula.notebook`) build their
tables from the same pieces. Formulas are LaTeX in ``\\(...\\)`` or ``$$...$$``, for MathJax.
"""

from __future__ import annotations

__all__ = [
    "CELL_STYLE",
    "STATUS_COLOURS",
    "TABLE_STYLE",
    "display_math",
    "escape",
    "explanation_html",
    "inline_math",
    "inputs_html",
    "status_html",
    "table_html",
]

import html
from collections.abc import Iterable, Sequence

from .achievement import AchievementRule, Status
from .explain import (
    REALISASI_LATEX,
    UNDEFINED_LABEL,
    Explanation,
    InputValue,
    Step,
    displayed,
    part_achievement_text,
    part_value_text,
    step_value_text,
)
from .numbers import exact_text


def escape(text: object) -> str:
    """Catalog or computed text made safe for HTML."""
    return html.escape(str(text), quote=True)


def inline_math(latex: str) -> str:
    """LaTeX for MathJax in HTML: ``\\(...\\)``, escaped."""
    return rf"\({escape(latex)}\)"


def display_math(latex: str) -> str:
    """Display LaTeX for MathJax in HTML: ``$$...$$``, escaped."""
    return f"$${escape(latex)}$$"


STATUS_COLOURS = {
    Status.MET: "#1a7f37",
    Status.NOT_MET: "#cf222e",
    Status.UNDEFINED: "#6e7781",
}

TABLE_STYLE = "border-collapse:collapse;margin:0.4em 0;text-align:left"
CELL_STYLE = "border:1px solid #ccc;padding:1px 6px;text-align:left;vertical-align:top"


def status_html(status: Status) -> str:
    colour = STATUS_COLOURS[status]
    return f'<strong style="color:{colour}">{escape(status.label)}</strong>'


def table_html(
    rows: Iterable[Sequence[str]], header: Sequence[str] | None = None, caption: str | None = None
) -> str:
    """A plain table; cells are HTML already (escape text before passing it)."""
    out = [f'<table style="{TABLE_STYLE}">']
    if caption:
        out.append(f'<caption style="text-align:left;font-weight:bold">{caption}</caption>')
    if header:
        cells = "".join(f'<th style="{CELL_STYLE}">{cell}</th>' for cell in header)
        out.append(f"<thead><tr>{cells}</tr></thead>")
    out.append("<tbody>")
    for row in rows:
        cells = "".join(f'<td style="{CELL_STYLE}">{cell}</td>' for cell in row)
        out.append(f"<tr>{cells}</tr>")
    out.append("</tbody></table>")
    return "".join(out)


def inputs_html(inputs: Sequence[InputValue]) -> str:
    rows = [
        (
            f"<code>{escape(item.name)}</code>",
            escape(item.label),
            escape(exact_text(item.value)),
            escape(item.unit),
        )
        for item in inputs
    ]
    return table_html(rows, ("Masukan", "Keterangan", "Nilai", "Satuan"))


def _step_row(step: Step, rule: AchievementRule) -> tuple[str, ...]:
    pad = f"padding-left:{step.level * 1.5}em"
    role = f'<span style="{pad}">{escape(step.role)}</span>'
    what = []
    if step.name is not None:
        what.append(f"<code>{escape(step.name)}</code>")
    if step.label:
        what.append(escape(step.label))
    formula = inline_math(step.latex)
    if step.substituted_latex is not None:
        formula += " = " + inline_math(step.substituted_latex)
    value = escape(step_value_text(step, rule))
    if step.note:
        value += f"<br><em>{escape(step.note)}</em>"
    return role, "<br>".join(what), formula, value


def explanation_html(explanation: Explanation) -> str:
    """The explanation as self-contained HTML (:meth:`Explanation.to_html`)."""
    rule = explanation.achievement_rule
    out = [
        '<div class="iku-explanation">',
        f"<p><strong>IKU {explanation.number}</strong>: {escape(explanation.name)}<br>",
        f"<small>Sasaran: {escape(explanation.objective)}</small></p>",
        f"<p>Rumus: {display_math(REALISASI_LATEX + explanation.formula_latex)}</p>",
        f"<p><code>realisasi = {escape(explanation.formula_text)}</code></p>",
    ]
    if explanation.composed_text != explanation.formula_text:
        out.append(
            f"<p><small>Ditulis di katalog: <code>{escape(explanation.composed_text)}</code>"
            "</small></p>"
        )
    if explanation.inputs:
        out.append(inputs_html(explanation.inputs))
    multi = len(explanation.parts) > 1
    for part in explanation.parts:
        caption = f"Bagian target {part.index} ({escape(part.target_text)})" if multi else None
        rows = [_step_row(step, rule) for step in part.steps]
        realisasi = inline_math(part.latex)
        if part.substituted_latex is not None:
            realisasi += " = " + inline_math(part.substituted_latex)
        rows.append(
            (
                "<strong>Realisasi</strong>",
                "",
                realisasi,
                f"<strong>{escape(part_value_text(part, rule))}</strong>",
            )
        )
        if multi:
            rows.append(("Capaian", "", "", escape(part_achievement_text(part, rule))))
        out.append(table_html(rows, ("Langkah", "Bagian", "Rumus", "Nilai"), caption))
    if multi:
        capaian = UNDEFINED_LABEL
        if explanation.achievement is not None:
            capaian = displayed(explanation.achievement, rule, "%", explanation.display_achievement)
        capaian_rule = f"{explanation.rule.text}; {explanation.rule.combine_text}"
    else:
        capaian = part_achievement_text(explanation.parts[0], rule)
        capaian_rule = explanation.rule.text
    summary = [
        (
            "Target",
            escape(explanation.target_text),
            escape(f"{explanation.polarity.label}; {explanation.rule.met_text}"),
        ),
        ("Capaian", f"<strong>{escape(capaian)}</strong>", escape(capaian_rule)),
        ("Pembulatan", "", escape(explanation.rule.display_text)),
        ("Status", status_html(explanation.status), escape(explanation.reason or "")),
    ]
    out.append(table_html(summary))
    if explanation.warnings:
        items = "".join(f"<li>{escape(warning)}</li>" for warning in explanation.warnings)
        out.append(f"<p><strong>Peringatan</strong></p><ul>{items}</ul>")
    out.append("</div>")
    return "\n".join(out)
