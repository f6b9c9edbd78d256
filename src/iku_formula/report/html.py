"""The report as one printable HTML page (A4), and as a PDF printed from it by Chromium.

The page is self-contained: its CSS is inline and its charts are inline SVG drawn here
(a bar of capaian per indicator against the target line at 100%, and, when the file has
quarters, the capaian of every quarter per indicator), so it opens without a network and
prints the same anywhere. Every text from a file, the command line or a catalog is
escaped (:func:`html.escape`); the page holds no script. Each bar carries its number in
``data-capaian`` (as :func:`~iku_formula.numbers.display` gives it) and in its ``<title>``
as people read it, the same text as in the table.
"""

from __future__ import annotations

__all__ = [
    "CHROMIUM_NAMES",
    "find_chromium",
    "render_html",
    "write_pdf",
]

import html
import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Sequence
from decimal import Decimal
from pathlib import Path

import attrs

from ..errors import CommandError
from ..evaluation import Evaluation
from ..i18n import _, language
from ..numbers import localized
from ..periods import period_sort_key
from .build import Report, Section, build_report
from .notes import (
    data_notes,
    ink_on,
    predikat_text,
    realisasi_text,
    result_notes,
    rolled_up,
    shown,
    status_summary,
)
from .overwrite import HTML_MARK, TITLE_START

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
"""The programs :func:`write_pdf` prints with, looked up on PATH in this order."""

_PDF_SECONDS = 120
"""How long Chromium may take to print a report."""


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


@attrs.frozen
class _Column:
    """One column of the result table: its header, its cell text and its CSS class."""

    header: Callable[[], str]
    cell: Callable[[Evaluation], str]
    css: str = ""
    style: Callable[[Evaluation], str] = lambda _evaluation: ""
    """An inline style for the cell (the predikat's band colour)."""


def _predikat_style(evaluation: Evaluation) -> str:
    band = evaluation.predikat
    return "" if band is None else f"background: {band.colour}; color: {ink_on(band.colour)}"


_COLUMNS: tuple[_Column, ...] = (
    _Column(lambda: _("No"), lambda e: str(e.number), "num"),
    _Column(lambda: _("Indicator"), lambda e: e.indicator.display_name),
    _Column(lambda: "Realisasi", lambda e: realisasi_text(e), "num"),
    _Column(lambda: "Target", lambda e: e.indicator.target.text),
    _Column(lambda: _("Capaian (%)"), lambda e: shown(e.display_achievement()), "num capaian"),
    _Column(lambda: "Status", lambda e: e.status.label, "status"),
    _Column(lambda: "Predikat", predikat_text, "predikat", _predikat_style),
)
"""The result table, one row per column: a new column is a row here."""


_CSS = """
@page { size: A4; margin: 15mm 14mm 16mm 14mm; }
* { box-sizing: border-box; }
body { font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; font-size: 9.5pt;
       color: #1a1a1a; margin: 0 auto; max-width: 182mm; line-height: 1.35; }
h1 { font-size: 16pt; margin: 0 0 2mm; }
h2 { font-size: 12.5pt; margin: 7mm 0 2mm; border-bottom: 1.5pt solid #1f4e79;
     color: #1f4e79; break-after: avoid; }
h3 { font-size: 10.5pt; margin: 4mm 0 1.5mm; break-after: avoid; }
p.meta { color: #444; margin: 0 0 1mm; }
table { border-collapse: collapse; width: 100%; margin: 1mm 0 3mm; font-size: 8.5pt; }
th, td { border: 0.5pt solid #9aa7b4; padding: 1mm 1.2mm; vertical-align: top; }
th { background: #ddebf7; text-align: left; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
td.num, th.num { text-align: right; white-space: nowrap; }
td.status-met { background: #c6efce; }
td.status-not_met { background: #ffc7ce; }
td.status-undefined { background: #ffeb9c; }
ul { margin: 1mm 0 3mm 5mm; padding: 0; }
li { margin: 0 0 1mm; }
figure { margin: 2mm 0 4mm; break-inside: avoid; }
figcaption { font-weight: bold; margin-bottom: 1mm; }
svg text { font-family: inherit; font-size: 8px; fill: #1a1a1a; }
.periods { display: grid; grid-template-columns: repeat(3, 1fr); gap: 2mm 4mm; }
.periods figure { margin: 0; }
.periods figcaption { font-weight: normal; font-size: 8pt; }
.summary { font-weight: bold; }
@media screen { body { padding: 10mm; } }
"""


def render_html(report: Report) -> str:
    """The report as one self-contained HTML page laid out for A4."""
    catalog = report.catalog
    title = _("IKU report: {title}").format(title=catalog.title)
    meta = _("Source: {source}; level: {level}").format(
        source=report.source, level=report.level_name
    )
    out = [
        "<!DOCTYPE html>",
        f'<html lang="{_e(language())}">',
        "<head>",
        '<meta charset="utf-8">',
        HTML_MARK,
        f"<title>{_e(TITLE_START + title)}</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        "<body>",
        f"<h1>{_e(title)}</h1>",
        f'<p class="meta">{_e(meta)}</p>',
    ]
    for section in report.sections:
        out.extend(_section(report, section))
    periods = _period_sections(report)
    if periods:
        out.extend(_period_charts(periods))
    notes = [line.strip() for line in data_notes(report) if line.strip()]
    if notes:
        heading = _("Check the data")
        out.append(f"<h2>{_e(heading)}</h2>")
        out.append("<ul>" + "".join(f"<li>{_e(note)}</li>" for note in notes) + "</ul>")
    out.extend(["</body>", "</html>", ""])
    return "\n".join(out)


def _section(report: Report, section: Section) -> list[str]:
    out = [f"<section><h2>{_e(section.title)}</h2>"]
    if len(section.rows) > 1:
        out.append(f'<p class="meta">{_e(rolled_up(report, section))}</p>')
    if section.results:
        out.append(_table(section))
        out.append(_capaian_chart(section))
    else:
        empty = _("No indicator has all its inputs here.")
        out.append(f"<p>{_e(empty)}</p>")
    out.append(f'<p class="summary">{_e(status_summary(section))}</p>')
    lists = [
        (_("Notes"), result_notes(section)),
        (_("Consistency rules broken"), [str(violation) for violation in section.violations]),
        (_("Incomplete data"), list(section.notes)),
    ]
    for heading, items in lists:
        if items:
            out.append(f"<h3>{_e(heading)}</h3>")
            out.append("<ul>" + "".join(f"<li>{_e(item)}</li>" for item in items) + "</ul>")
    if section.not_evaluated:
        numbers = ", ".join(map(str, section.not_evaluated))
        text = _("Not evaluated (inputs missing): IKU {numbers}").format(numbers=numbers)
        out.append(f'<p class="meta">{_e(text)}</p>')
    out.append("</section>")
    return out


def _table(section: Section) -> str:
    head = "".join(f'<th class="{column.css}">{_e(column.header())}</th>' for column in _COLUMNS)
    rows = []
    for evaluation in section.results.values():
        cells = []
        for column in _COLUMNS:
            css = column.css
            if css == "status":
                css = f"status status-{evaluation.status.value}"
            style = column.style(evaluation)
            styled = f' style="{_e(style)}"' if style else ""
            cells.append(f'<td class="{css}"{styled}>{_e(column.cell(evaluation))}</td>')
        rows.append(f'<tr data-iku="{evaluation.number}">{"".join(cells)}</tr>')
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


_BAR_COLOURS = {"met": "#3a8a4f", "not_met": "#c0504d", "undefined": "#bfa23a"}


def _scale_top(values: Sequence[Decimal]) -> int:
    """The capaian at the right end of a chart: at least 120, a multiple of 20, at most 300."""
    highest = max((float(value) for value in values), default=0.0)
    return min(300, max(120, int(-(-highest // 20)) * 20))


def _capaian_chart(section: Section) -> str:
    """Horizontal bars: each indicator's capaian, the target (100%) as a vertical line."""
    results = list(section.results.values())
    values = [e.display_achievement() for e in results]
    top = _scale_top([value for value in values if value is not None])
    name = _("Capaian per indicator against its target")
    undefined = _("not defined")
    left, width, bar, gap = 46, 620, 11, 3
    height = len(results) * (bar + gap) + 26
    scale = width / top
    parts = [
        f'<svg class="capaian" xmlns="http://www.w3.org/2000/svg" role="img" '
        f'viewBox="0 0 {left + width + 60} {height}" width="100%" '
        f'aria-label="{_e(name)}">'
    ]
    for tick in range(0, top + 1, 20):
        x = left + tick * scale
        parts.append(
            f'<line x1="{x:.1f}" y1="0" x2="{x:.1f}" y2="{height - 18}" stroke="#e1e6eb"/>'
            f'<text x="{x:.1f}" y="{height - 8}" text-anchor="middle">{tick}</text>'
        )
    for index, (evaluation, value) in enumerate(zip(results, values, strict=True)):
        y = index * (bar + gap) + 2
        label = f"IKU {evaluation.number}"
        parts.append(f'<text x="{left - 4}" y="{y + bar - 2}" text-anchor="end">{_e(label)}</text>')
        if value is None:
            parts.append(
                f'<text x="{left + 3}" y="{y + bar - 2}" fill="#7a6a1f">{_e(undefined)}</text>'
            )
            continue
        length = max(0.0, min(float(value), top)) * scale
        tip = _("{label}: capaian {value}% (target 100%)").format(
            label=label, value=localized(value)
        )
        colour = _BAR_COLOURS[evaluation.status.value]
        parts.append(
            f'<g class="bar" data-iku="{evaluation.number}" data-capaian="{value:f}">'
            f"<title>{_e(tip)}</title>"
            f'<rect x="{left}" y="{y}" width="{length:.1f}" height="{bar}" fill="{colour}"/>'
            f'<text x="{left + length + 3:.1f}" y="{y + bar - 2}">{_e(localized(value))}</text>'
            "</g>"
        )
    target_x = left + 100 * scale
    parts.append(
        f'<line class="target" x1="{target_x:.1f}" y1="0" x2="{target_x:.1f}" '
        f'y2="{height - 18}" stroke="#1f4e79" stroke-width="1.5" stroke-dasharray="4 2"/>'
    )
    parts.append("</svg>")
    caption = _("Capaian per indicator against its target (100% = target met)")
    return f"<figure><figcaption>{_e(caption)}</figcaption>{''.join(parts)}</figure>"


def _period_sections(report: Report) -> list[Section]:
    """The quarters' sections: the report's own (--by period), else built for the charts."""
    sections = [section for section in report.sections if section.level == "period"]
    if sections or report.level in ("row", "period"):
        return sections
    periods = report.sheet.periods
    if len(periods) < 2:
        return []
    by_period = build_report(report.catalog, report.sheet, "period")
    return [section for section in by_period.sections if section.level == "period"]


def _period_charts(sections: Sequence[Section]) -> list[str]:
    """A small chart per indicator: its capaian in every quarter, against the 100% line."""
    ordered = sorted(sections, key=lambda section: period_sort_key(section.period or ""))
    labels = [section.period or "" for section in ordered]
    numbers = sorted({number for section in ordered for number in section.results})
    heading = _("Capaian per period")
    out = [f"<section><h2>{_e(heading)}</h2>"]
    out.append(_period_table(ordered, numbers))
    out.append('<div class="periods">')
    for number in numbers:
        results = [section.results.get(number) for section in ordered]
        name = next(result for result in results if result is not None).indicator.display_name
        out.append(_period_chart(number, name, labels, results))
    out.append("</div></section>")
    return out


def _period_table(sections: Sequence[Section], numbers: Sequence[int]) -> str:
    head = "".join(f'<th class="num">{_e(section.period or "")}</th>' for section in sections)
    number_header = _("No")
    rows = []
    for number in numbers:
        cells = "".join(
            f'<td class="num">{_e(shown(s.results[number].display_achievement()))}</td>'
            if number in s.results
            else '<td class="num">-</td>'
            for s in sections
        )
        rows.append(f'<tr data-iku="{number}"><td class="num">{number}</td>{cells}</tr>')
    caption = _("Capaian (%) per period")
    return (
        f'<table class="period-capaian"><caption>{_e(caption)}</caption><thead><tr>'
        f'<th class="num">{_e(number_header)}</th>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def _period_chart(
    number: int, name: str, labels: Sequence[str], results: Sequence[Evaluation | None]
) -> str:
    values = [None if result is None else result.display_achievement() for result in results]
    top = _scale_top([value for value in values if value is not None])
    width, height, base, left = 170, 92, 76, 4
    slot = (width - left) / max(1, len(labels))
    scale = (base - 12) / top
    parts = [
        f'<svg class="per-period" xmlns="http://www.w3.org/2000/svg" role="img" '
        f'viewBox="0 0 {width} {height}" width="100%" data-iku="{number}">'
    ]
    for index, (label, value, result) in enumerate(zip(labels, values, results, strict=True)):
        x = left + index * slot + slot * 0.18
        middle = x + slot * 0.32
        parts.append(
            f'<text x="{middle:.1f}" y="{base + 10}" text-anchor="middle">{_e(label)}</text>'
        )
        if value is None or result is None:
            continue
        bar = max(0.0, min(float(value), top)) * scale
        tip = _("IKU {number}, {period}: capaian {value}%").format(
            number=number, period=label, value=localized(value)
        )
        parts.append(
            f'<g class="bar" data-iku="{number}" data-periode="{_e(label)}" '
            f'data-capaian="{value:f}"><title>{_e(tip)}</title>'
            f'<rect x="{x:.1f}" y="{base - bar:.1f}" width="{slot * 0.64:.1f}" '
            f'height="{bar:.1f}" fill="{_BAR_COLOURS[result.status.value]}"/>'
            f'<text x="{x + slot * 0.32:.1f}" y="{base - bar - 2:.1f}" text-anchor="middle">'
            f"{_e(localized(value))}</text></g>"
        )
    target_y = base - 100 * scale
    parts.append(
        f'<line class="target" x1="{left}" y1="{target_y:.1f}" x2="{width}" y2="{target_y:.1f}" '
        'stroke="#1f4e79" stroke-dasharray="4 2"/>'
        f'<line x1="{left}" y1="{base}" x2="{width}" y2="{base}" stroke="#555"/></svg>'
    )
    caption = f"IKU {number}: {name}"
    return f"<figure><figcaption>{_e(caption)}</figcaption>{''.join(parts)}</figure>"


# --------------------------------------------------------------------------- PDF


def find_chromium() -> str | None:
    """The Chromium to print with: ``IKU_CHROMIUM`` when set, else the first on PATH."""
    chosen = os.environ.get("IKU_CHROMIUM")
    if chosen:
        return shutil.which(chosen)
    return next((found for name in CHROMIUM_NAMES if (found := shutil.which(name))), None)


def write_pdf(report: Report, path: str | os.PathLike[str]) -> Path:
    """Print the HTML report to ``path`` (A4) with headless Chromium.

    Raises CommandError (exit code 2) when no Chromium is installed, naming how to
    install one or to write .html instead, and when printing fails.
    """
    target = Path(path)
    chromium = find_chromium()
    if chromium is None:
        raise CommandError(
            _(
                "{path}: a PDF is printed by headless Chromium, which is not installed; "
                "install it (Debian/Ubuntu: apt-get install chromium) or set IKU_CHROMIUM to "
                "its program, or write the report as HTML (-o {stem}.html) and print that"
            ).format(path=target, stem=target.with_suffix("").name)
        )
    with tempfile.TemporaryDirectory(prefix="iku-pdf-") as folder:
        page = Path(folder) / "laporan.html"
        page.write_text(render_html(report), encoding="utf-8")
        printed = Path(folder) / "laporan.pdf"
        command = [
            chromium,
            "--headless",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-pdf-header-footer",
            f"--user-data-dir={Path(folder) / 'profile'}",
            f"--print-to-pdf={printed}",
            page.as_uri(),
        ]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            command.insert(2, "--no-sandbox")  # Chromium refuses root without it
        try:
            done = subprocess.run(  # noqa: S603 - a list, no shell; the program found on PATH
                command, capture_output=True, timeout=_PDF_SECONDS, check=False, text=True
            )
        except (OSError, subprocess.TimeoutExpired) as error:
            raise CommandError(
                _("{path}: Chromium could not print the report: {error}").format(
                    path=target, error=error
                )
            ) from None
        if done.returncode != 0 or not printed.is_file():
            detail = (done.stderr or "").strip().splitlines()[-1:] or [str(done.returncode)]
            raise CommandError(
                _("{path}: Chromium could not print the report: {error}").format(
                    path=target, error=detail[0][:300]
                )
            )
        shutil.copyfile(printed, target)
    return target
