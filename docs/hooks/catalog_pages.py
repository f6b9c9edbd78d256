"""mkdocs hook: the catalog pages, generated at build time from the catalog by the library.

Nothing of the catalog is copied into ``docs/`` by hand. On every build this hook

* loads ``catalog/iku-kanwil-bali-2024.toml`` with ``iku_formula`` from ``src/`` (the working
  tree, the same code that mkdocstrings documents);
* adds ``katalog/index.md`` (the sasaran and their indicators) and one page
  ``katalog/iku-N.md`` per indicator to the site, and one nav entry per indicator under
  "Katalog IKU";
* evaluates each indicator on the illustrative record of ``examples/contoh-realisasi-2024.csv``
  for the worked example;
* renders ``docs/analisis.ipynb`` into ``notebook.md`` when the notebook exists.

Formulas are written as ``$$...$$`` with ``Indicator.latex`` verbatim; ``mathml.py`` turns them
into MathML. Catalog text (names, sasaran, the source's formula) goes through :func:`literal`,
so that Markdown never changes a character of it.
"""

from __future__ import annotations

import csv
import html
import importlib
import json
import logging
import re
import sys
from collections.abc import Iterable, Iterator, Sequence
from fractions import Fraction
from pathlib import Path
from typing import Any

import attrs
from mkdocs.structure.files import File, Files

from iku_formula.language.functions import IkuFunction, spec_of
from iku_formula.numbers import exact_indonesian, indonesian
from iku_formula.numbers import with_unit as numbers_with_unit

log = logging.getLogger("mkdocs.hooks.catalog_pages")

REPO = Path(__file__).resolve().parents[2]
CATALOG_FILE = REPO / "catalog" / "iku-kanwil-bali-2024.toml"
EXAMPLE_FILE = REPO / "examples" / "contoh-realisasi-2024.csv"
NOTEBOOK = "analisis.ipynb"
SECTION = "Katalog IKU"
"""The nav section (in mkdocs.yml) that receives one entry per indicator."""

OVERVIEW = "katalog/index.md"


def page_path(number: int) -> str:
    """Where the page of indicator ``number`` lives, relative to docs/."""
    return f"katalog/iku-{number}.md"


# --------------------------------------------------------------------------- loading

_state: dict[str, Any] = {}


def _library() -> Any:
    """``iku_formula`` from this working tree, imported afresh (mkdocs serve rebuilds)."""
    src = str(REPO / "src")
    if src not in sys.path:
        sys.path.insert(0, src)
    for name in [n for n in sys.modules if n == "iku_formula" or n.startswith("iku_formula.")]:
        del sys.modules[name]
    return importlib.import_module("iku_formula")


def _example_record() -> dict[str, str]:
    with EXAMPLE_FILE.open(newline="", encoding="utf-8") as stream:
        for row in csv.DictReader(stream):
            return {name: value for name, value in row.items() if name and value not in ("", None)}
    return {}


def on_config(config: Any, **kwargs: Any) -> Any:
    """Load the catalog and put one nav entry per indicator under the catalog section."""
    library = _library()
    catalog = library.load_catalog(CATALOG_FILE)
    _state.update(library=library, catalog=catalog, record=_example_record())
    _state["interchange"] = catalog.to_json(mathml=False)  # what the calculators compute from
    for entry in config["nav"] or ():
        if isinstance(entry, dict) and SECTION in entry:
            section = entry[SECTION]
            section[:] = [item for item in section if not _is_indicator_entry(item)]
            section.extend({nav_title(i): page_path(i.number)} for i in catalog)
            break
    else:
        log.warning("mkdocs.yml has no nav section %r for the indicator pages", SECTION)
    return config


def _is_indicator_entry(item: object) -> bool:
    return isinstance(item, dict) and any(
        str(path).startswith("katalog/iku-") for path in item.values()
    )


def nav_title(indicator: Any) -> str:
    """Short title for the navigation: number and the start of the name."""
    name = indicator.display_name
    if len(name) > 44:
        name = name[:44].rsplit(" ", 1)[0].rstrip(" ,.:;(/-") + " …"
    return f"{indicator.number} · {name}"


def on_files(files: Files, config: Any, **kwargs: Any) -> Files:
    """Add the generated catalog pages."""
    catalog = _state["catalog"]
    files.append(File.generated(config, OVERVIEW, content=overview_page(catalog)))
    for indicator in catalog:
        content = indicator_page(indicator, catalog, _state["record"])
        files.append(File.generated(config, page_path(indicator.number), content=content))
    return files


def on_page_markdown(markdown: str, page: Any, config: Any, **kwargs: Any) -> str:
    """Fill the generated parts of hand-written pages (marked with an HTML comment)."""
    if page.file.src_uri == "notebook.md" and "<!-- notebook -->" in markdown:
        notebook = Path(config["docs_dir"]) / NOTEBOOK
        return markdown.replace("<!-- notebook -->", notebook_markdown(notebook))
    if page.file.src_uri == "rollup.md" and "<!-- rollup -->" in markdown:
        return markdown.replace("<!-- rollup -->", rollup_markdown(_state["catalog"]))
    return markdown


def rollup_markdown(catalog: Any) -> str:
    """What the catalog declares beyond the defaults (sum over time, sum over units)."""
    rows = []
    for spec in catalog.inputs.values():
        over_time, over_units = _value(spec.over_time), _value(spec.over_units)
        if over_time == "sum" and over_units == "sum":
            continue
        users = [i for i in catalog if spec.name in i.inputs]
        rows.append(
            [
                name_code(spec.name),
                cell(spec.label),
                code(over_time),
                code(over_units) + (f", bobot {name_code(spec.weight)}" if spec.weight else ""),
                ", ".join(f"[{i.number}](katalog/iku-{i.number}.md)" for i in users),
            ]
        )
    total = len(catalog.inputs)
    out = []
    if rows:
        out += [
            f"Dari {total} masukan, {len(rows)} memakai aturan selain penjumlahan:",
            "",
            table(["Masukan", "Label", "`over_time`", "`over_units`", "IKU"], rows),
        ]
    else:
        out.append(
            f"Semua {total} masukan katalog memakai aturan bawaan: dijumlahkan antar-triwulan "
            "dan antar-unit."
        )
    means = [i for i in catalog if _value(getattr(i, "roll_up", "inputs")) != "inputs"]
    out.append("")
    if means:
        listed = ", ".join(f"[IKU {i.number}](katalog/iku-{i.number}.md)" for i in means)
        out.append(f'Indikator dengan `roll_up = "mean_of_units"`: {listed}.')
    else:
        out.append(
            'Tidak ada indikator dengan `roll_up = "mean_of_units"`: setiap indikator '
            "dihitung sebagai rasio dari masukan yang sudah digabung."
        )
    return "\n".join(out)


# --------------------------------------------------------------------------- text helpers

_MARKDOWN_SPECIAL = set("\\`*_{}[]<>()#+-!|~$&=^:")


def literal(text: str) -> str:
    """``text`` for Markdown, every character kept: specials become character references."""
    return "".join(f"&#{ord(c)};" if c in _MARKDOWN_SPECIAL else c for c in text)


def cell(text: str) -> str:
    """``literal`` for a table cell: on one line."""
    return " ".join(literal(text).split())


def code(text: str) -> str:
    """Inline code that survives any backtick in ``text``."""
    return f"`` {text} ``" if "`" in text else f"`{text}`"


def name_code(name: str) -> str:
    """An input name as code that may wrap after each underscore (narrow table columns)."""
    return "<code>" + "_<wbr>".join(html.escape(part) for part in name.split("_")) + "</code>"


number = exact_indonesian
"""An exact number the Indonesian way (1.234,5), or a fraction (200/3) when not finite."""


def with_unit(text: str, unit: str) -> str:
    """A number and its unit, kept on one line (the package's rule, a non-breaking space)."""
    return numbers_with_unit(text, unit, space="&nbsp;", percent="&nbsp;%")


def table(header: Sequence[str], rows: Iterable[Sequence[str]], indent: str = "") -> str:
    lines = [
        "| " + " | ".join(header) + " |",
        "| " + " | ".join("---" for _ in header) + " |",
        *("| " + " | ".join(row) + " |" for row in rows),
    ]
    return "\n".join(indent + line for line in lines)


def indented(text: str, prefix: str = "    ") -> str:
    return "\n".join(prefix + line if line else "" for line in text.splitlines())


def math_block(latex: str) -> str:
    """A display formula; mathml.py converts it and keeps ``latex`` in ``data-latex``."""
    return f"$$\n{latex}\n$$"


# --------------------------------------------------------------------------- vocabulary

KIND = {
    "count": "cacah (bilangan bulat ≥ 0)",
    "amount": "besaran (≥ 0)",
    "score": "skor",
}
OVER_TIME = {
    "sum": "dijumlahkan",
    "last": "nilai periode terakhir",
    "mean": "dirata-ratakan",
}
OVER_UNITS = {
    "sum": "dijumlahkan",
    "mean": "dirata-ratakan",
    "weighted_mean": "rata-rata tertimbang",
}
ROLL_UP = {
    "inputs": "masukan setiap unit digabung menurut aturannya, lalu formula dihitung sekali "
    "(rasio dari jumlah)",
    "mean_of_units": "formula dihitung per unit, lalu dirata-ratakan (rata-rata rasio)",
}
POLARITY_ARROW = {"maximize": "↑", "minimize": "↓"}
KNOWN_INPUT_FIELDS = {
    "name", "label", "unit", "kind", "minimum", "maximum", "note",
    "over_time", "over_units", "weight",
}  # fmt: skip


def _value(obj: object) -> str:
    return str(getattr(obj, "value", obj))


def _show_field(value: object) -> str:
    if isinstance(value, Fraction):
        return number(value)
    if isinstance(value, (tuple, list, frozenset, set)):
        return ", ".join(_show_field(v) for v in value)
    return cell(_value(value))


# --------------------------------------------------------------------------- overview


def overview_page(catalog: Any) -> str:
    indicators = list(catalog)
    objectives = list(catalog.objectives)
    without_source = [i for i in indicators if not (i.source_formula or "").strip()]
    minimize = [i for i in indicators if _value(i.polarity) == "minimize"]
    composite = [i for i in indicators if is_composite(i)]
    out = [
        "---",
        "title: Katalog IKU",
        "---",
        "",
        f"# Katalog IKU {catalog.year}",
        "",
        f"{cell(catalog.title)}: **{len(indicators)} indikator** dalam "
        f"**{len(objectives)} sasaran kegiatan**.",
        "",
        '!!! info "Dihasilkan dari katalog"',
        "",
        "    Halaman-halaman katalog ini dibuat ulang pada setiap *build* dari "
        "`catalog/iku-kanwil-bali-2024.toml` oleh pustaka `iku_formula` sendiri: nama, sasaran, "
        "target dan teks sumber ditampilkan persis seperti di katalog (termasuk salah ketik "
        "sumber), dan setiap formula dirender dari pohon ekspresi yang sama yang dihitung.",
        "",
        table(
            ["Ringkasan", "Jumlah"],
            [
                ["Indikator", str(len(indicators))],
                ["Sasaran kegiatan", str(len(objectives))],
                ["Polaritas *semakin rendah semakin baik* (↓)", _links(minimize)],
                ["Indeks komposit", _links(composite)],
                ["Tanpa formulasi perhitungan di sumber", _links(without_source)],
            ],
        ),
        "",
        "Indikator dikelompokkan menurut sasaran kegiatan, dengan nama sasaran persis seperti "
        "di sumber. Kolom polaritas: ↑ semakin tinggi semakin baik, ↓ semakin rendah semakin "
        "baik.",
        "",
    ]
    for position, objective in enumerate(objectives, 1):
        members = catalog.indicators_of(objective)
        out += [f"## {position}. {cell(objective.name)} {{ #{objective.id} }}", ""]
        if not members:
            out += ["*Tidak ada indikator untuk sasaran ini di katalog.*", ""]
            continue
        rows = [
            [
                f"[{i.number}](iku-{i.number}.md)",
                f"[{cell(i.display_name)}](iku-{i.number}.md)",
                cell(i.target.text),
                POLARITY_ARROW.get(_value(i.polarity), cell(_value(i.polarity))),
            ]
            for i in members
        ]
        out += [
            '<div class="iku-overview" markdown>',
            "",
            table(["No.", "Indikator", "Target", "Polaritas"], rows),
            "",
            "</div>",
            "",
        ]
    return "\n".join(out)


def _links(indicators: Sequence[Any]) -> str:
    if not indicators:
        return "0"
    listed = ", ".join(f"[{i.number}](iku-{i.number}.md)" for i in indicators)
    return f"{len(indicators)}: IKU {listed}"


# --------------------------------------------------------------------------- one indicator


def is_composite(indicator: Any) -> bool:
    """A composite index: it names components, or it is a mean of several sub-indices."""
    if indicator.composed_formula != indicator.formula:
        return True
    top = type(indicator.composed_formula)
    return isinstance(indicator.composed_formula, IkuFunction) and spec_of(top).mean


def indicator_page(indicator: Any, catalog: Any, record: dict[str, str]) -> str:
    sections = [
        _head(indicator),
        _formula(indicator, catalog),
        _source(indicator),
        _notes(indicator),
        _inputs(indicator),
        _rules(indicator),
        _example(indicator, record),
        calculator(indicator, catalog),
    ]
    return "\n\n".join(sections) + "\n"


def _head(indicator: Any) -> str:
    number_ = indicator.number
    objective = indicator.objective
    parts = "; ".join(
        with_unit(number(part.value), cell(part.unit)) for part in indicator.target.parts
    )
    polarity = _value(indicator.polarity)
    rows = [
        ["Nomor", f"**{number_}**"],
        ["Nama (sesuai sumber)", cell(indicator.name)],
    ]
    if indicator.label and indicator.label != indicator.name:
        rows.append(["Nama (ejaan diperbaiki)", cell(indicator.label)])
    rows += [
        ["Sasaran", f"[{cell(objective.name)}](index.md#{objective.id})"],
        ["Target (sesuai sumber)", f"**{cell(indicator.target.text)}**"],
        ["Target (dibaca)", parts],
        [
            "Polaritas",
            f"{POLARITY_ARROW.get(polarity, '')} {cell(indicator.polarity.label)} "
            f"({code(polarity)})",
        ],
        ["Agregasi antar-unit", _roll_up(indicator)],
        ["Kunci di katalog", code(indicator.key)],
    ]
    return "\n".join(
        [
            "---",
            f'title: "IKU {number_}"',
            "---",
            "",
            f"# IKU {number_}: {literal(indicator.display_name)}",
            "",
            '<div class="iku-facts" markdown>',
            "",
            table(["Butir", "Isi"], rows),
            "",
            "</div>",
        ]
    )


def _roll_up(indicator: Any) -> str:
    roll_up = _value(getattr(indicator, "roll_up", "inputs"))
    return ROLL_UP.get(roll_up, code(roll_up))


WIDE = 150
"""Formulas longer than this (in the formula language) also get a compact form, A, B, ..."""


def _compact(indicator: Any) -> list[str]:
    """The formula with each input replaced by a capital letter, and the legend."""
    library = _state["library"]
    symbols = sorted(
        indicator.formula.free_symbols, key=lambda s: indicator.formula_text.find(s.name)
    )
    if len(symbols) > 26:
        return []
    letters = {symbol: type(symbol)(chr(ord("A") + k)) for k, symbol in enumerate(symbols)}
    specs = {spec.name: spec for spec in indicator.input_specs}
    rows = [
        [f"${letter.name}$", name_code(symbol.name), cell(specs[symbol.name].label)]
        for symbol, letter in letters.items()
    ]
    return [
        "",
        "Formula ini lebar (geser ke samping untuk membacanya). Bentuk ringkasnya, dengan setiap "
        "masukan diganti sebuah huruf:",
        "",
        math_block(library.to_latex(indicator.formula.xreplace(letters))),
        "",
        table(["Huruf", "Masukan", "Label"], rows),
    ]


def _formula(indicator: Any, catalog: Any) -> str:
    library = _state["library"]
    out = ["## Formula", ""]
    composed = indicator.composed_formula != indicator.formula
    if composed:
        out += [
            "Formula tersusun, seperti ditulis di katalog (komponen disebut dengan namanya):",
            "",
            math_block(indicator.composed_latex),
            "",
            f"Dalam bahasa formula: {code(indicator.composed_text)}",
            "",
            "Dijabarkan ke masukan mentah (pohon yang dihitung):",
            "",
        ]
    out += [
        math_block(indicator.latex),
        "",
        f"Dalam bahasa formula: {code(indicator.formula_text)}",
    ]
    if len(indicator.formula_text) > WIDE:
        out += _compact(indicator)
    if composed:
        rows = []
        # in the order the composed formula names them (A, B, ... of its letters)
        used_at = {
            name: (match.start() if match else len(indicator.composed_text))
            for name in indicator.references
            for match in [re.search(rf"\b{re.escape(name)}\b", indicator.composed_text)]
        }
        for name, expanded in sorted(indicator.references.items(), key=lambda i: used_at[i[0]]):
            component = catalog.components.get(name)
            if component is not None:
                label = cell(component.label)
            else:
                other = next((i for i in catalog if i.key == name), None)
                label = (
                    f"[IKU {other.number}](iku-{other.number}.md): {cell(other.display_name)}"
                    if other is not None
                    else ""
                )
            rows.append([code(name), label, f"${library.to_latex(expanded)}$"])
        if rows:
            out += ["", "Komponen:", "", table(["Nama", "Arti", "Formula"], rows)]
    elif is_composite(indicator):
        parts = [str(arg) for arg in indicator.composed_formula.args]
        out += [
            "",
            f"Indeks komposit dari {len(parts)} argumen. Setiap komponennya sudah berupa "
            "masukan (nilai yang dilaporkan), sehingga penjabaran ke masukan mentah sama dengan "
            "formula di atas; arti setiap komponen ada di tabel [Masukan](#masukan).",
        ]
    for position, part in enumerate(indicator.part_formulas, 2):
        target_part = indicator.target.parts[position - 1]
        out += [
            "",
            f"Bagian target ke-{position} ({cell(target_part.unit)}):",
            "",
            math_block(library.to_latex(part)),
            "",
            f"Dalam bahasa formula: {code(library.to_text(part))}",
        ]
    return "\n".join(out)


def _source(indicator: Any) -> str:
    text = (indicator.source_formula or "").strip()
    if not text:
        body = (
            "Sumber **tidak memberikan** formulasi perhitungan untuk indikator ini. Formula di "
            "atas adalah tafsiran katalog; alasannya ada di catatan tafsiran."
        )
        return "\n".join(
            [
                "## Formulasi di sumber",
                "",
                '!!! warning "Tidak ada di sumber"',
                "",
                indented(body),
            ]
        )
    # one paragraph; its line breaks and spaces stay visible through CSS white-space: pre-wrap
    lines = [literal(line.rstrip()) for line in indicator.source_formula.strip().splitlines()]
    return "\n".join(
        [
            "## Formulasi di sumber",
            "",
            '!!! quote iku-source "Formulasi perhitungan di sumber, kata demi kata"',
            "",
            indented("\n".join(lines)),
            "",
            "Teks ini disalin persis dari tabel sumber, termasuk salah ketiknya; formula yang "
            "dihitung ada di atas, dan setiap perbedaan dijelaskan di catatan tafsiran.",
        ]
    )


def _notes(indicator: Any) -> str:
    notes = list(indicator.notes)
    if not notes:
        return "## Catatan tafsiran\n\nTidak ada: formula mengikuti sumber apa adanya."
    items = "\n".join(f"- {cell(note)}" for note in notes)
    return "\n".join(
        ["## Catatan tafsiran", "", '!!! note "Catatan tafsiran katalog"', "", indented(items)]
    )


def _inputs(indicator: Any) -> str:
    specs = list(indicator.input_specs)
    extra_fields = sorted(
        {
            field.name
            for spec in specs
            for field in attrs.fields(type(spec))
            if field.name not in KNOWN_INPUT_FIELDS
            and getattr(spec, field.name) not in (None, field.default)
        }
    )
    header = ["Nama", "Label", "Satuan", "Jenis", "Antar-triwulan", "Antar-unit"]
    header += [code(name) for name in extra_fields]
    rows = []
    for spec in specs:
        kind = KIND.get(_value(spec.kind), cell(_value(spec.kind)))
        if spec.minimum is not None and spec.maximum is not None:
            span = f"{number(spec.minimum)}–{number(spec.maximum)}"
            kind = f'<span class="iku-nowrap">{kind} {span}</span>'
        units = OVER_UNITS.get(_value(spec.over_units), cell(_value(spec.over_units)))
        if spec.weight:
            units += f", bobot {code(spec.weight)}"
        row = [
            name_code(spec.name),
            cell(spec.label),
            cell(spec.unit),
            kind,
            OVER_TIME.get(_value(spec.over_time), cell(_value(spec.over_time))),
            units,
        ]
        row += [_show_field(getattr(spec, name)) for name in extra_fields]
        rows.append(row)
    out = ["## Masukan", "", table(header, rows)]
    notes = [(spec.name, spec.note) for spec in specs if spec.note]
    if notes:
        out += ["", *(f"- {code(name)}: {cell(note)}" for name, note in notes)]
    out += [
        "",
        "*Antar-triwulan*: cara nilai triwulan digabung menjadi nilai tahunan; *antar-unit*: "
        "cara nilai UPT digabung menjadi nilai Kantor Wilayah. Lihat "
        "[Agregasi triwulan dan unit](../rollup.md).",
    ]
    return "\n".join(out)


def _rules(indicator: Any) -> str:
    rules = list(getattr(indicator, "rules", ()) or ())
    out = ["## Aturan konsistensi", ""]
    if not rules:
        out.append("Katalog tidak menetapkan aturan konsistensi untuk indikator ini.")
        if "persen(" in indicator.formula_text:
            out[-1] += (
                " Pemeriksaan bawaan tetap berlaku: pada setiap `persen(pembilang, penyebut)`, "
                "pembilang yang negatif atau melebihi penyebut menghasilkan peringatan."
            )
        return "\n".join(out)
    out.append(
        "Aturan ini diperiksa pada setiap evaluasi. Aturan yang dilanggar tidak menghentikan "
        "perhitungan: angkanya tetap dihitung dan evaluasi membawa peringatan."
    )
    out.append("")
    rows = []
    for rule in rules:
        note = getattr(rule, "note", None)
        rows.append([code(str(rule.text)), cell(note) if note else ""])
    out.append(table(["Aturan", "Keterangan"], rows))
    return "\n".join(out)


def _example(indicator: Any, record: dict[str, str]) -> str:
    library = _state["library"]
    out = ["## Contoh perhitungan", ""]
    missing = [name for name in indicator.inputs if name not in record]
    if missing:
        out.append(
            f"Contoh tidak tersedia: `{EXAMPLE_FILE.name}` tidak memuat "
            + ", ".join(code(name) for name in missing)
            + "."
        )
        return "\n".join(out)
    values = {name: record[name] for name in indicator.inputs}
    try:
        result = indicator.evaluate(values)
    except library.IkuError as error:
        log.warning("IKU %s: the worked example cannot be evaluated: %s", indicator.number, error)
        out.append(f"Contoh tidak dapat dihitung: {cell(str(error))}")
        return "\n".join(out)
    unit = indicator.target.unit
    body = [
        "Angka masukan diambil dari rekaman contoh `examples/contoh-realisasi-2024.csv` dan "
        "dihitung oleh pustaka saat dokumentasi dibuat. Angka ini **ilustrasi, bukan realisasi "
        "resmi**. Angka ditulis dengan koma desimal dan titik pemisah ribuan.",
        "",
        table(
            ["Masukan", "Label", "Nilai"],
            [
                [
                    name_code(name),
                    cell(spec.label),
                    with_unit(number(result.inputs[name]), spec.unit),
                ]
                for name, spec in zip(indicator.inputs, indicator.input_specs, strict=True)
            ],
        ),
        "",
        table(["Hasil", "Nilai"], _result_rows(result, unit)),
    ]
    warnings = list(result.warnings)
    if warnings:
        body += ["", "Peringatan dari evaluasi:", "", *(f"- {cell(w)}" for w in warnings)]
    out += ['!!! example "Contoh dengan angka ilustrasi"', "", indented("\n".join(body))]
    return "\n".join(out)


def _result_rows(result: Any, unit: str) -> list[list[str]]:
    rule = result.indicator.achievement_rule

    def shown(
        value: Fraction | None, unit: str, reason: str | None = None, count: bool = False
    ) -> str:
        if value is None:
            return f"tidak terdefinisi ({cell(reason or '')})"
        display = rule.display(value, count=count)  # the catalog's rounding, for people
        rounded = with_unit(indonesian(str(display)), unit)
        return rounded if Fraction(display) == value else f"{rounded} (persis: {number(value)})"

    rows: list[list[str]] = []
    parts = list(result.parts) or [None]
    target_parts = list(result.indicator.target.parts)
    for position, (part, target_part) in enumerate(zip(parts, target_parts, strict=False), 1):
        suffix = f" bagian {position}" if len(target_parts) > 1 else ""
        value = result.value if part is None else part.value
        reason = result.reason if part is None else part.reason
        achievement = result.achievement if part is None else part.achievement
        rows += [
            [
                f"Realisasi{suffix}",
                shown(value, cell(target_part.unit), reason, count=result.indicator.is_count),
            ],
            [f"Target{suffix}", with_unit(number(target_part.value), cell(target_part.unit))],
            [f"Capaian{suffix}", shown(achievement, "%", reason)],
        ]
    if len(target_parts) > 1:
        rows.append(["Capaian indikator (terendah)", shown(result.achievement, "%")])
    rows.append(["Status", f"**{result.status.label}**"])
    return rows


# --------------------------------------------------------------------------- notebook


def notebook_markdown(path: Path) -> str:
    """The notebook's cells as Markdown: text, code and the stored outputs."""
    if not path.is_file():
        return (
            '!!! info "Notebook belum tersedia"\n\n'
            f"    `docs/{NOTEBOOK}` belum ada di pohon kerja ini; halaman ini akan menampilkannya "
            "begitu berkas itu ditambahkan."
        )
    try:
        notebook = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        log.warning("%s cannot be read: %s", path, error)
        return f"*{NOTEBOOK} tidak dapat dibaca.*"
    chunks = [f"[Unduh `{NOTEBOOK}`]({NOTEBOOK}){{ .md-button }}"]
    for notebook_cell in notebook.get("cells", []):
        chunks.extend(_cell_markdown(notebook_cell))
    return "\n\n".join(chunks)


def _source_text(value: object) -> str:
    return "".join(value) if isinstance(value, list) else str(value or "")


def _fence(text: str, language: str = "") -> str:
    longest = max((len(run) for run in text.split("\n") if set(run) == {"`"}), default=0)
    ticks = "`" * max(3, longest + 1)
    return f"{ticks}{language}\n{text.rstrip()}\n{ticks}"


def _cell_markdown(notebook_cell: dict[str, Any]) -> Iterator[str]:
    kind = notebook_cell.get("cell_type")
    source = _source_text(notebook_cell.get("source"))
    if kind == "markdown":
        yield _demote_headings(source)
        return
    if kind != "code" or not source.strip():
        return
    yield _fence(source, "python")
    for output in notebook_cell.get("outputs", []):
        rendered = _output_markdown(output)
        if rendered:
            yield rendered


def _demote_headings(markdown: str) -> str:
    """Two levels down (# -> ###), outside code fences: the notebook sits under an h2."""
    lines, fence = [], ""
    for line in markdown.splitlines():
        stripped = line.lstrip()
        if fence and stripped.startswith(fence):
            fence = ""
        elif not fence and stripped.startswith(("```", "~~~")):
            fence = stripped[:3]
        elif not fence and line.startswith("#") and line.lstrip("#").startswith(" "):
            line = "##" + line if len(line) - len(line.lstrip("#")) <= 4 else line
        lines.append(line)
    return "\n".join(lines)


_DISPLAY_MATH = re.compile(r"\$\$(.+?)\$\$", re.DOTALL)
_INLINE_MATH = re.compile(r"\\\((.+?)\\\)", re.DOTALL)


def _math_marked(html_text: str) -> str:
    """The ``$$...$$`` and ``\\(...\\)`` of a notebook's HTML output (Jupyter renders them
    with MathJax) marked up as arithmatex does, so that mathml.py turns them into MathML."""
    display = _DISPLAY_MATH.sub(lambda m: f'<div class="arithmatex">\\[{m[1]}\\]</div>', html_text)
    return _INLINE_MATH.sub(lambda m: f'<span class="arithmatex">\\({m[1]}\\)</span>', display)


def _output_markdown(output: dict[str, Any]) -> str | None:
    kind = output.get("output_type")
    if kind == "stream":
        return _fence(_source_text(output.get("text")))
    if kind == "error":
        return _fence("\n".join([f"{output.get('ename')}: {output.get('evalue')}"]))
    data = output.get("data", {})
    if "image/png" in data:
        encoded = "".join(_source_text(data["image/png"]).split())
        return f'<img class="iku-notebook-image" alt="" src="data:image/png;base64,{encoded}">'
    if "image/svg+xml" in data:
        return f'<div class="iku-notebook-svg">{_source_text(data["image/svg+xml"])}</div>'
    if "text/html" in data and "<script" not in _source_text(data["text/html"]).lower():
        shown = _math_marked(_source_text(data["text/html"]))
        return f'<div class="iku-notebook-html">{shown}</div>'
    if "text/markdown" in data:
        return _source_text(data["text/markdown"])
    if "text/plain" in data:
        return _fence(html.unescape(_source_text(data["text/plain"])))
    return None


# --------------------------------------------------------------------------- calculator

CALCULATOR_SCRIPT = "javascripts/iku-kalkulator.js"
"""The calculator's evaluator (in mkdocs.yml's extra_javascript): exact, on BigInt, offline."""
INPUT_KEYS = ("label", "unit", "kind", "minimum", "maximum")
KIND_RANGE = {"count": "bilangan bulat ≥ 0", "amount": "bilangan ≥ 0"}


def calculator_data(indicator: Any) -> dict[str, Any]:
    """What one indicator's calculator computes from: its part of the JSON interchange format
    (the expression trees, targets, polarity) with its inputs and the achievement rule."""
    interchange = _state["interchange"]
    entry = next(e for e in interchange["indicators"] if e["number"] == indicator.number)
    keys = ("number", "formula", "part_formulas", "target", "polarity", "undefined_parts")
    return {
        "indicator": {**{key: entry[key] for key in keys}, "is_count": entry["is_count"]},
        "inputs": [
            {"name": name, **{key: interchange["inputs"][name][key] for key in INPUT_KEYS}}
            for name in entry["inputs"]
        ],
        "achievement": interchange["catalog"]["achievement"],
        "predikat": None
        if entry["predikat"] is None
        else interchange["predikat"][entry["predikat"]],
    }


def script_json(data: object) -> str:
    """``data`` as JSON that cannot end the <script> element holding it."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _range(spec: Any) -> str:
    if spec.minimum is not None and spec.maximum is not None:
        return f"skor {number(spec.minimum)}–{number(spec.maximum)}"
    return KIND_RANGE.get(_value(spec.kind), _value(spec.kind))


def calculator(indicator: Any, catalog: Any) -> str:
    """A calculator: a field per input and realisasi, capaian and status as they change."""
    esc = html.escape
    n = indicator.number
    rows = []
    for spec in indicator.input_specs:
        ident = f"iku-{n}-{spec.name}"
        rows.append(
            f'<p class="iku-calculator-field"><label for="{ident}">{esc(spec.label)}</label> '
            f'<input id="{ident}" name="{esc(spec.name)}" type="text" inputmode="decimal" '
            f'autocomplete="off" aria-describedby="{ident}-help"> '
            f'<span class="iku-calculator-help" id="{ident}-help">{esc(spec.unit)} · '
            f"{esc(_range(spec))}</span> "
            f'<span class="iku-calculator-problem" data-iku-problem="{esc(spec.name)}" '
            'role="alert"></span></p>'
        )
    results = []
    parts = list(indicator.target.parts)
    for position, part in enumerate(parts, 1):
        suffix = "" if position == 1 else f"-{position}"
        label = "" if len(parts) == 1 else f" bagian {position}"
        unit = esc(part.unit)
        target = with_unit(number(part.value), unit)
        results.append(
            f'<tr><th>Realisasi{label}</th><td><output data-iku-output="realisasi{suffix}">'
            f"</output> {'%' if part.unit == '%' else unit}</td></tr>"
            f"<tr><th>Target{label}</th><td>{target}</td></tr>"
        )
        if len(parts) > 1:
            results.append(
                f'<tr><th>Capaian{label}</th><td><output data-iku-output="capaian-{position}">'
                "</output> %</td></tr>"
            )
    overall = "Capaian indikator (terendah)" if len(parts) > 1 else "Capaian"
    results.append(
        f'<tr><th>{overall}</th><td><output data-iku-output="capaian"></output> %</td></tr>'
        '<tr><th>Status</th><td><strong><output data-iku-output="status"></output>'
        "</strong></td></tr>"
    )
    if indicator.predikat is not None:
        basis = "realisasi" if _value(indicator.predikat.basis) == "realisasi" else "capaian"
        results.append(
            f'<tr><th>Predikat (dari {basis})</th><td><output data-iku-output="predikat">'
            "</output></td></tr>"
        )
    block = "\n".join(
        [
            f'<div class="iku-calculator" data-iku-indicator="{n}">',
            f'<script type="application/json" class="iku-calculator-data">'
            f"{script_json(calculator_data(indicator))}</script>",
            '<form class="iku-calculator-fields" autocomplete="off">',
            *rows,
            "</form>",
            '<table class="iku-calculator-results"><tbody>',
            *results,
            "</tbody></table>",
            '<p class="iku-calculator-note" data-iku-output="keterangan" aria-live="polite"></p>',
            "<noscript><p>Kalkulator memerlukan JavaScript.</p></noscript>",
            "</div>",
        ]
    )
    intro = (
        "Isi angka masukan untuk menghitung realisasi, capaian, status (dan predikat) "
        "indikator ini "
        "langsung di peramban, tanpa koneksi internet. Perhitungan memakai pohon ekspresi yang "
        "sama dengan pustaka (format JSON, lihat [Untuk aplikasi lain](../aplikasi-lain.md)) "
        "dengan pecahan persis; hanya tampilannya yang dibulatkan menurut aturan katalog. "
        "Angka boleh ditulis dengan koma desimal (3,5)."
    )
    return "\n".join(["## Kalkulator", "", intro, "", block])
