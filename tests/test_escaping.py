"""No text from a sheet becomes a live formula, raw HTML or a terminal control sequence.

Hostile unit names go through a real sheet, the real ``iku`` command and every report
form; the files written are read back as files (the XLSX's XML, the CSV's cells).
"""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from iku_formula.cli import main
from iku_formula.escaping import (
    csv_field,
    markdown_text,
    starts_like_formula,
    terminal_text,
)

HOSTILE_UNITS = [
    '=HYPERLINK("http://x","click")',
    "+SUM(A1:A9)",
    "-2+3",
    "@cmd",
    "<script>alert(1)</script> | Rutan",
    "Lapas \x1b[31mMerah\x1b[0m",
]


@pytest.mark.parametrize(
    ("text", "formula"),
    [
        ("=1+1", True),
        ("+A1", True),
        ("-A1", True),
        ("@x", True),
        ("\tx", True),
        ("\rx", True),
        ("-5", False),
        ("+3,2", False),
        ("-0.25", False),
        ("-200/3", False),  # an exact value as the reports write it
        ("-200/3+A1", True),
        ("-200/3/4", True),
        ("-/3", True),
        ("Lapas Kerobokan", False),
        ("", False),
    ],
)
def test_what_starts_like_a_formula(text: str, formula: bool) -> None:
    assert starts_like_formula(text) is formula
    assert csv_field(text) == ("'" + text if formula else text)


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("a\x1b[2Jb", "a\\x1b[2Jb"),
        ("bell\x07", "bell\\x07"),
        ("line\nnext", "line\nnext"),
        ("tab\tkept", "tab\tkept"),
        ("cr\rhere", "cr\\x0dhere"),
        ("rtl\u202eevil", "rtl\\u202eevil"),
        ("c1\x9b", "c1\\x9b"),
    ],
)
def test_terminal_text_shows_control_characters(text: str, shown: str) -> None:
    assert terminal_text(text) == shown


@given(st.text(max_size=40))
@settings(max_examples=300, deadline=None)
def test_escapes_leave_nothing_live(text: str) -> None:
    field = csv_field(text)
    assert isinstance(field, str)
    assert not starts_like_formula(field)
    shown = terminal_text(text)
    assert all(ch in "\n\t" or (ord(ch) >= 0x20 and not 0x7F <= ord(ch) <= 0x9F) for ch in shown)
    cell = markdown_text(text)
    assert "<" not in cell
    assert ">" not in cell
    assert "\n" not in cell


def _sheet(tmp_path: Path, units: list[str]) -> Path:
    path = tmp_path / "realisasi.csv"
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["unit", "period", "pemenuhan_makanan", "jumlah_tahanan"])
    for number, unit in enumerate(units, 1):
        writer.writerow([unit, "TW1", 800 + number, 1000])
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


@pytest.fixture
def hostile_sheet(tmp_path: Path) -> Path:
    # control characters in a unit name are refused at reading (below); the rest are read
    return _sheet(tmp_path, [unit for unit in HOSTILE_UNITS if "\x1b" not in unit])


def _formula_cells(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as archive:
        return [
            name
            for name in archive.namelist()
            if name.startswith("xl/worksheets/") and b"<f>" in archive.read(name)
        ]


def test_xlsx_report_holds_no_formula(tmp_path: Path) -> None:
    pytest.importorskip("openpyxl")
    import openpyxl

    # a unit name with control characters cannot go into a workbook at all (the sheet
    # reader is to refuse it, with its row: issue 10); every other hostile name is here
    hostile_sheet = _sheet(tmp_path, [unit for unit in HOSTILE_UNITS if "\x1b" not in unit])
    output = tmp_path / "laporan.xlsx"
    assert main(["evaluate", str(hostile_sheet), "--by", "unit", "-o", str(output)]) == 0
    assert _formula_cells(output) == []
    book = openpyxl.load_workbook(output)
    texts = {
        cell.value
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, str)
    }
    for unit in HOSTILE_UNITS[:4]:
        assert any(unit in text for text in texts), unit  # kept as text, not lost


def test_xlsx_template_holds_no_formula(tmp_path: Path) -> None:
    pytest.importorskip("openpyxl")
    output = tmp_path / "template.xlsx"
    units = ",".join(unit for unit in HOSTILE_UNITS[:4] if "," not in unit)
    assert main(["template", str(output), "--units", units]) == 0
    assert _formula_cells(output) == []


def test_csv_report_cells_never_start_a_formula(hostile_sheet: Path, tmp_path: Path) -> None:
    output = tmp_path / "laporan.csv"
    assert main(["evaluate", str(hostile_sheet), "--by", "unit", "-o", str(output)]) == 0
    rows = list(csv.reader(output.read_text(encoding="utf-8").splitlines()))
    cells = [cell for row in rows for cell in row]
    assert not [cell for cell in cells if starts_like_formula(cell)]
    assert "'" + HOSTILE_UNITS[0] in cells


def test_markdown_report_holds_no_raw_html(hostile_sheet: Path, tmp_path: Path) -> None:
    output = tmp_path / "laporan.md"
    assert main(["evaluate", str(hostile_sheet), "--by", "unit", "-o", str(output)]) == 0
    text = output.read_text(encoding="utf-8")
    assert "<script>" not in text
    assert "&lt;script&gt;" in text


def test_text_report_holds_no_control_sequence(
    hostile_sheet: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["evaluate", str(hostile_sheet), "--by", "unit"]) == 0
    out = capsys.readouterr().out
    assert terminal_text(out) == out


def test_a_unit_name_with_control_characters_is_refused_with_its_row(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sheet = _sheet(tmp_path, ["Lapas A", "Lapas \x1b[31mMerah\x1b[0m"])
    assert main(["evaluate", str(sheet), "--by", "unit"]) == 2
    err = capsys.readouterr().err
    assert "row 3" in err
    assert "\x1b" not in err  # the message shows the name escaped, never the control code


# --------------------------------------------------------------------------- every report form


def _report_for(units: list[str]) -> object:
    from fractions import Fraction

    from iku_formula import load_catalog
    from iku_formula.report import build_report
    from iku_formula.sheets import Sheet, SheetRow

    catalog = load_catalog()
    rows = tuple(
        SheetRow(
            number,
            unit,
            "TW1",
            {"pemenuhan_makanan": Fraction(800 + number), "jumlah_tahanan": Fraction(1000)},
        )
        for number, unit in enumerate(units, 2)
    )
    sheet = Sheet(
        path=Path("hostile.csv"),
        kind="csv",
        sheet_name=None,
        columns=("pemenuhan_makanan", "jumlah_tahanan"),
        missing=(),
        rows=rows,
        positions={"unit": 1, "period": 2, "pemenuhan_makanan": 3, "jumlah_tahanan": 4},
    )
    return build_report(catalog, sheet, "unit")


NAMES = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=24
).filter(lambda name: name.strip() != "")


@given(st.lists(NAMES, min_size=2, max_size=3, unique_by=lambda name: name.strip()))
@settings(max_examples=15, deadline=None)
def test_every_report_form_keeps_names_inert(
    tmp_path_factory: pytest.TempPathFactory, units: list[str]
) -> None:
    """Whatever a unit is called, no form turns it into a formula, HTML or a control code."""
    from iku_formula.report import RENDERERS

    report = _report_for(units)
    folder = tmp_path_factory.mktemp("forms")
    for name, renderer in RENDERERS.items():
        if name == "pdf":
            continue  # printed from the HTML form, checked below (tests/report/test_html.py)
        if renderer.needs_file:
            pytest.importorskip("openpyxl")
            path = folder / f"laporan{renderer.suffixes[0]}"
            renderer.write(report, path)  # type: ignore[arg-type]
            assert _formula_cells(path) == [], name
            continue
        assert renderer.render is not None
        text = renderer.render(report)  # type: ignore[arg-type]
        if name == "csv":
            cells = [cell for row in csv.reader(io.StringIO(text, newline="")) for cell in row]
            assert not [cell for cell in cells if starts_like_formula(cell)]
        elif name == "markdown":
            assert "<" not in text.replace("&lt;", "")
        elif name == "table":
            assert terminal_text(text) == text
        elif name == "html":
            assert _html_tags(text) <= HTML_TAGS


HTML_TAGS = frozenset(
    [
        "html",
        "head",
        "meta",
        "title",
        "style",
        "body",
        "h1",
        "h2",
        "h3",
        "p",
        "section",
        "table",
        "caption",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "ul",
        "li",
        "figure",
        "figcaption",
        "svg",
        "line",
        "text",
        "g",
        "rect",
        "div",
    ]
)
"""The elements the HTML report is made of: a name never adds one."""


def _html_tags(text: str) -> set[str]:
    import html.parser

    tags: set[str] = set()

    class Tags(html.parser.HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            tags.add(tag)

    Tags().feed(text)
    return tags


def test_catalog_text_never_becomes_a_formula(tmp_path: Path) -> None:
    """A catalog is data from strangers too: a name or label starting with "=" stays text."""
    pytest.importorskip("openpyxl")
    from .conftest import HEADER, indicator_toml

    hostile = HEADER.replace('label = "A"', 'label = "=HYPERLINK(\\"http://x\\",\\"A\\")"')
    text = hostile + indicator_toml(1, name="=1+1 hitung", formula="persen(a, b)")
    catalog = tmp_path / "katalog.toml"
    catalog.write_text(text, encoding="utf-8")
    template = tmp_path / "templat.xlsx"
    assert main(["template", str(template), "--catalog", str(catalog)]) == 0
    assert _formula_cells(template) == []
    sheet = tmp_path / "isi.csv"
    sheet.write_text("unit,period,a,b\nA,TW1,1,2\n", encoding="utf-8")
    report = tmp_path / "laporan.xlsx"
    assert main(["evaluate", str(sheet), "--catalog", str(catalog), "-o", str(report)]) == 0
    assert _formula_cells(report) == []


def test_negative_exact_values_stay_readable_in_csv(tmp_path: Path) -> None:
    """An exact "-p/q" is written as it is (the reader of the CSV gets the fraction back)."""
    sheet = tmp_path / "turun.csv"
    sheet.write_text(
        "unit,period,penerimaan_pnbp_ahu,penerimaan_pnbp_ahu_tahun_lalu\nKanwil,TW1,100,300\n",
        encoding="utf-8",
    )
    output = tmp_path / "laporan.csv"
    assert main(["evaluate", str(sheet), "-o", str(output)]) == 0
    cells = [
        cell for row in csv.reader(output.read_text(encoding="utf-8").splitlines()) for cell in row
    ]
    negative = [cell for cell in cells if cell.startswith("-") and "/" in cell]
    assert negative, cells
    assert not [cell for cell in cells if cell.startswith("'-") and "/" in cell]
