"""How indicators, evaluations and catalogs show themselves in Jupyter.

``Indicator``, ``Evaluation`` and ``Catalog`` have ``_repr_html_`` (and the first two
``_repr_latex_``) methods that delegate here. The HTML is self-contained: inline
styles only, no external CSS, scripts or links; every catalog text is escaped.
Formulas are LaTeX in ``$$...$$`` or ``\\(...\\)``, which Jupyter's MathJax typesets.
"""

from __future__ import annotations

__all__ = [
    "catalog_html",
    "evaluation_html",
    "evaluation_latex",
    "indicator_html",
    "indicator_latex",
]

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from .explain import (
    REALISASI_LATEX,
    UNDEFINED_LABEL,
    InputValue,
    achievement_formula,
    displayed,
    explain,
    part_value_latex,
    part_value_text,
    rounding_text,
)
from .explain_html import CELL_STYLE, display_math, escape, inputs_html, status_html, table_html
from .language.printers import to_latex, to_text
from .model import InputKind, UndefinedParts

if TYPE_CHECKING:
    from .catalog.registry import Catalog
    from .evaluation import Evaluation
    from .model import Indicator, Input

FIELD_STYLE = CELL_STYLE


def _fields_html(rows: Iterable[tuple[str, str]]) -> str:
    """A two-column table of label (text, escaped here) and value (HTML already)."""
    cells = "".join(
        f'<tr><th style="{FIELD_STYLE}">{escape(label)}</th>'
        f'<td style="{FIELD_STYLE}">{value}</td></tr>'
        for label, value in rows
    )
    return f'<table style="border-collapse:collapse;margin:0.4em 0">{cells}</table>'


def _heading(number: int, name: str, objective: str) -> str:
    return (
        f"<p><strong>IKU {number}</strong>: {escape(name)}<br>"
        f"<small>Sasaran: {escape(objective)}</small></p>"
    )


def _kind(spec: Input) -> str:
    if spec.kind is InputKind.SCORE and spec.minimum is not None and spec.maximum is not None:
        return f"skor {spec.minimum}–{spec.maximum}"
    return {InputKind.COUNT: "cacah", InputKind.AMOUNT: "jumlah", InputKind.SCORE: "skor"}[
        spec.kind
    ]


def _realisasi_lines(indicator: Indicator) -> list[tuple[str, str]]:
    """(LaTeX label, LaTeX formula) of realisasi, one per target part."""
    formulas = [indicator.latex, *(to_latex(expr) for expr in indicator.part_formulas)]
    if len(formulas) == 1:
        return [(r"\text{realisasi}", formulas[0])]
    return [(rf"\text{{realisasi}}_{{{i}}}", latex) for i, latex in enumerate(formulas, 1)]


def _aligned(lines: Sequence[tuple[str, str]]) -> str:
    if len(lines) == 1:
        label, body = lines[0]
        return f"{label} = {body}"
    rows = r" \\ ".join(f"{label} &= {body}" for label, body in lines)
    return rf"\begin{{aligned}} {rows} \end{{aligned}}"


# --------------------------------------------------------------------------- Indicator


def indicator_latex(indicator: Indicator) -> str:
    """Realisasi as display math: ``$$\\text{realisasi} = ...$$``."""
    return f"$${_aligned(_realisasi_lines(indicator))}$$"


def indicator_html(indicator: Indicator) -> str:
    """A card: number, name, sasaran, target, polarity, formula in math, inputs, notes."""
    rule = indicator.achievement_rule
    capaian, _ = achievement_formula(indicator.polarity, rule.cap, rule.minimize)
    formula = display_math(_aligned(_realisasi_lines(indicator)))
    texts = [indicator.formula_text, *(to_text(expr) for expr in indicator.part_formulas)]
    formula += "<br>".join(f"<code>realisasi = {escape(text)}</code>" for text in texts)
    rows = [
        ("Target", escape(indicator.target.text)),
        ("Polaritas", escape(indicator.polarity.label)),
        ("Rumus", formula),
    ]
    if indicator.composed_text != indicator.formula_text:
        rows.append(("Ditulis di katalog", f"<code>{escape(indicator.composed_text)}</code>"))
    if indicator.undefined_parts is UndefinedParts.SKIP:
        rows.append(
            ("Bagian tidak terdefinisi", "dilewati: rata-rata diambil atas bagian yang terdefinisi")
        )
    if indicator.source_formula:
        rows.append(("Formulasi sumber", escape(indicator.source_formula)))
    if indicator.label and indicator.label != indicator.name:
        rows.append(("Nama di sumber", escape(indicator.name)))
    rows.append(("Capaian", escape(f"{capaian}; {rounding_text(indicator.achievement_rule)}")))
    out = [
        '<div class="iku-indicator">',
        _heading(indicator.number, indicator.display_name, indicator.objective.name),
        _fields_html(rows),
    ]
    if indicator.input_specs:
        inputs = [
            (
                f"<code>{escape(spec.name)}</code>",
                escape(spec.label),
                escape(spec.unit),
                escape(_kind(spec)),
            )
            for spec in indicator.input_specs
        ]
        out.append(table_html(inputs, ("Masukan", "Keterangan", "Satuan", "Jenis")))
    if indicator.notes:
        notes = "".join(f"<li>{escape(note)}</li>" for note in indicator.notes)
        out.append(f"<p><strong>Catatan</strong></p><ul>{notes}</ul>")
    out.append("</div>")
    return "\n".join(out)


# --------------------------------------------------------------------------- Evaluation


def evaluation_latex(evaluation: Evaluation) -> str:
    """Realisasi with the values substituted: ``$$\\text{realisasi} = ... = 85.00\\%$$``."""
    explanation = explain(evaluation)
    rule = explanation.achievement_rule
    multi = len(explanation.parts) > 1
    lines = []
    for part in explanation.parts:
        chain = [part.latex]
        if part.substituted_latex is not None:
            chain.append(part.substituted_latex)
        chain.append(part_value_latex(part, rule))
        label = rf"\text{{realisasi}}_{{{part.index}}}" if multi else r"\text{realisasi}"
        lines.append((label, " = ".join(chain)))
    return f"$${_aligned(lines)}$$"


def evaluation_html(evaluation: Evaluation) -> str:
    """A table of the values used, realisasi, target, capaian and status."""
    explanation = explain(evaluation)
    rule = explanation.achievement_rule
    realisasi = "<br>".join(
        (f"{escape(part.target_text)}: " if len(explanation.parts) > 1 else "")
        + escape(part_value_text(part, rule))
        for part in explanation.parts
    )
    capaian = UNDEFINED_LABEL
    if explanation.achievement is not None:
        capaian = displayed(explanation.achievement, rule, "%", explanation.display_achievement)
    status = status_html(explanation.status)
    if explanation.reason:
        status += f"<br>{escape(explanation.reason)}"
    rows = [
        ("Rumus", display_math(REALISASI_LATEX + explanation.formula_latex)),
        ("Realisasi", f"<strong>{realisasi}</strong>"),
        ("Target", escape(f"{explanation.target_text} ({explanation.polarity.label})")),
        ("Capaian", f"<strong>{escape(capaian)}</strong>"),
        ("Status", status),
    ]
    band = evaluation.predikat
    if band is not None:  # the colour is a checked #rrggbb; the label is escaped
        swatch = f'<span style="background:{band.colour};padding:0 0.6em">&nbsp;</span>'
        rows.append(("Predikat", f"{swatch} {escape(band.text)}"))
    if explanation.warnings:
        items = "".join(f"<li>{escape(warning)}</li>" for warning in explanation.warnings)
        rows.append(("Peringatan", f'<ul style="margin:0">{items}</ul>'))
    out = [
        '<div class="iku-evaluation">',
        _heading(explanation.number, explanation.name, explanation.objective),
        _fields_html(rows),
        _inputs(explanation.inputs),
        "</div>",
    ]
    return "\n".join(part for part in out if part)


def _inputs(inputs: Sequence[InputValue]) -> str:
    return inputs_html(inputs) if inputs else ""


# --------------------------------------------------------------------------- Catalog


def catalog_html(catalog: Catalog) -> str:
    """Every indicator (number, name, target, polarity), grouped by sasaran.

    Cells carry no styles of their own (Jupyter styles tables), which keeps the 55 rows small.
    """
    left = ' style="text-align:left"'
    header = "".join(
        f"<th{left}>{label}</th>" for label in ("No", "Indikator", "Target", "Polaritas")
    )
    body: list[str] = []
    for objective in catalog.objectives:
        indicators = catalog.indicators_of(objective)
        if not indicators:
            continue
        body.append(f'<tr><th colspan="4"{left}>Sasaran: {escape(objective.name)}</th></tr>')
        body.extend(
            f"<tr><td>{indicator.number}</td>"
            f"<td{left}>{escape(indicator.display_name)}</td>"
            f"<td>{escape(indicator.target.text)}</td>"
            f"<td{left}>{escape(indicator.polarity.label)}</td></tr>"
            for indicator in indicators
        )
    summary = (
        f"<p><strong>{escape(catalog.title)}</strong> ({catalog.year}): "
        f"{len(catalog)} indikator, {len(catalog.objectives)} sasaran</p>"
    )
    return (
        f'<div class="iku-catalog">{summary}<table><thead><tr>{header}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table></div>"
    )
