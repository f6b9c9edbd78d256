"""Hostile XLSX workbooks through `iku evaluate`, each in a capped child process.

Every workbook is built here, by hand, with :mod:`zipfile` and raw XML strings (openpyxl
cannot write most of them): bombs that inflate to a gigabyte, sheets that declare or reach
a million rows, DTDs, damaged parts, bad references beside formula cells. Each must end in
seconds, under the harness's memory limit, with the right result or a refusal (exit code
2, no traceback) whose message names the limit or the part.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path

import pytest

from .conftest import Outcome, assert_verdict

pytest.importorskip("openpyxl")
pytest.importorskip("defusedxml")

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
DOC_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
CT = "application/vnd.openxmlformats-officedocument.spreadsheetml"

DONE, ALL = "pengaduan_notaris_diperiksa", "pengaduan_notaris_masuk"
"""Two count inputs of the bundled catalog: indicator 3 is DONE / ALL as a percent."""
RESULT = "90.00"
"""The realisasi of indicator 3 for 9 of 10: the workbook was read right."""

STYLES = f"""<?xml version="1.0" encoding="UTF-8"?>
<styleSheet xmlns="{MAIN}"><fonts count="1"><font/></fonts>
<fills count="1"><fill><patternFill patternType="none"/></fill></fills>
<borders count="1"><border/></borders><cellStyleXfs count="1"><xf/></cellStyleXfs>
<cellXfs count="3"><xf numFmtId="0"/><xf numFmtId="9" applyNumberFormat="1"/>
<xf numFmtId="14" applyNumberFormat="1"/></cellXfs></styleSheet>"""
"""Styles: 0 general, 1 a percent (``0%``), 2 a date."""

Part = tuple[str, "str | bytes | Iterable[bytes]"]


def value_cell(ref: str, value: object, extra: str = "") -> str:
    if isinstance(value, str):
        return f'<c r="{ref}" t="inlineStr"{extra}><is><t>{value}</t></is></c>'
    return f'<c r="{ref}"{extra}><v>{value}</v></c>'


def row(number: int, *values: object) -> str:
    cells = "".join(value_cell(f"{'ABCDEFGH'[i]}{number}", v) for i, v in enumerate(values))
    return f'<row r="{number}">{cells}</row>'


HEADER = row(1, "unit", "period", DONE, ALL)
DATA = row(2, "Lapas A", "TW1", 9, 10)
FILLED = (
    '<row><c t="inlineStr"><is><t>Lapas B</t></is></c><c t="inlineStr"><is><t>TW1</t></is></c>'
    "<c><v>1</v></c><c><v>1</v></c></row>"
)
"""A filled data row without row or cell numbers (so that it can repeat)."""
FORMULA = row(2, "Lapas A", "TW1", 9, 0).replace("<v>0</v>", "<f>5+5</f><v>10</v>")
"""The data row with ALL computed by a formula (its cached value 10)."""


def sheet(rows: str = HEADER + DATA, *, before: str = "", after: str = "") -> str:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<worksheet xmlns="{MAIN}">'
        f"{before}<sheetData>{rows}</sheetData>{after}</worksheet>"
    )


def workbook_xml(names: Sequence[tuple[str, str]]) -> str:
    entries = "".join(
        f'<sheet name="{name}" sheetId="{i}" state="{state}" r:id="rId{i}"/>'
        for i, (name, state) in enumerate(names, 1)
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<workbook xmlns="{MAIN}" '
        f'xmlns:r="{DOC_RELS}"><sheets>{entries}</sheets></workbook>'
    )


def package(
    sheets: Sequence[tuple[str, str, str | Iterable[bytes]]] = (("realisasi", "visible", sheet()),),
    *,
    extra: Sequence[Part] = (),
    strings: str | None = None,
    workbook: str | None = None,
) -> list[Part]:
    """The parts of a workbook: its sheets (name, state, XML) and anything else given."""
    overrides = f'<Override PartName="/xl/workbook.xml" ContentType="{CT}.sheet.main+xml"/>'
    relations = "".join(
        f'<Relationship Id="rId{i}" Type="{DOC_RELS}/worksheet" Target="worksheets/sheet{i}.xml"/>'
        for i in range(1, len(sheets) + 1)
    )
    if strings is not None:
        overrides += (
            f'<Override PartName="/xl/sharedStrings.xml" ContentType="{CT}.sharedStrings+xml"/>'
        )
        relations += (
            f'<Relationship Id="rIdS" Type="{DOC_RELS}/sharedStrings" Target="sharedStrings.xml"/>'
        )
    parts: list[Part] = [
        (
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?>\n<Types xmlns="http://schemas.'
            'openxmlformats.org/package/2006/content-types"><Default Extension="xml" '
            f'ContentType="application/xml"/>{overrides}</Types>',
        ),
        (
            "_rels/.rels",
            f'<?xml version="1.0" encoding="UTF-8"?>\n<Relationships xmlns="{PACKAGE_RELS}">'
            f'<Relationship Id="rId1" Type="{DOC_RELS}/officeDocument" '
            'Target="xl/workbook.xml"/></Relationships>',
        ),
        ("xl/workbook.xml", workbook or workbook_xml([(n, s) for n, s, _ in sheets])),
        (
            "xl/_rels/workbook.xml.rels",
            f'<?xml version="1.0" encoding="UTF-8"?>\n<Relationships xmlns="{PACKAGE_RELS}">'
            f"{relations}</Relationships>",
        ),
        ("xl/styles.xml", STYLES),
        *((f"xl/worksheets/sheet{i}.xml", xml) for i, (_, _, xml) in enumerate(sheets, 1)),
    ]
    if strings is not None:
        parts.append(("xl/sharedStrings.xml", strings))
    return [*parts, *extra]


def write_zip(
    path: Path, parts: Iterable[Part], compression: int = zipfile.ZIP_DEFLATED, level: int = 9
) -> Path:
    """The parts as a zip; a part given as an iterable of chunks is streamed (zip64)."""
    with zipfile.ZipFile(path, "w", compression, compresslevel=level) as archive:
        for name, content in parts:
            if isinstance(content, str | bytes):
                archive.writestr(name, content)
            else:
                with archive.open(name, "w", force_zip64=True) as stream:
                    for chunk in content:
                        stream.write(chunk)
    return path


def repeated(head: str, body: str, total: int) -> Iterator[bytes]:
    """A worksheet of ``total`` bytes: ``head``, then ``body`` again and again, then its end."""
    yield f'<?xml version="1.0"?>\n<worksheet xmlns="{MAIN}"><sheetData>{head}'.encode()
    block = body.encode() * max(1, (1 << 20) // len(body))
    for _ in range(total // len(block)):
        yield block
    yield b"</sheetData></worksheet>"


def patched(path: Path, change: Callable[[bytearray], None]) -> Path:
    data = bytearray(path.read_bytes())
    change(data)
    path.write_bytes(bytes(data))
    return path


def set_flags(data: bytearray) -> None:
    """Mark every part encrypted (bit 0 of the flags, local and central headers)."""
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = data.find(signature)
        while at != -1:
            data[at + offset] |= 0x1
            at = data.find(signature, at + 4)


def declare_size(name: str, size: int) -> Callable[[bytearray], None]:
    """Make the archive declare ``size`` inflated bytes for part ``name`` (it holds more)."""

    def change(data: bytearray) -> None:
        encoded = name.encode()
        for signature, field, name_at in ((b"PK\x03\x04", 22, 30), (b"PK\x01\x02", 24, 46)):
            at = data.find(signature)
            while at != -1:
                if data[at + name_at : at + name_at + len(encoded)] == encoded:
                    data[at + field : at + field + 4] = size.to_bytes(4, "little")
                at = data.find(signature, at + 4)

    return change


GIGABYTE = 1 << 30
SHEET_PART = "xl/worksheets/sheet1.xml"


def bomb(body: str) -> Callable[[Path], Path]:
    return lambda path: write_zip(
        path, package([("realisasi", "visible", repeated(HEADER, body, GIGABYTE))]), level=1
    )


def of(*sheets: tuple[str, str, str], **options: object) -> Callable[[Path], Path]:
    return lambda path: write_zip(path, package(sheets, **options))  # type: ignore[arg-type]


def one(xml: str, **options: object) -> Callable[[Path], Path]:
    return of(("realisasi", "visible", xml), **options)


LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY a "lollollollollollollollollollol">'
    + "".join(
        f'<!ENTITY {b} "{("&" + a + ";") * 10}">'
        for a, b in zip("abcdefgh", "bcdefghi", strict=True)
    )
    + "]>"
)
XXE = '<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'


def with_prolog(prolog: str, xml: str) -> str:
    return prolog + xml.split("\n", 1)[1]


def many_parts(path: Path) -> Path:
    extra = [(f"customXml/item{i}.xml", "<a/>") for i in range(1_200)]
    return write_zip(path, package(extra=extra))


def many_elements(path: Path) -> Path:
    """Sixty parts of 90,000 elements each: every part below the expansion floor."""
    body = "<r>" + "<a/>" * 90_000 + "</r>"
    return write_zip(path, package(extra=[(f"customXml/item{i}.xml", body) for i in range(60)]))


def many_sheets(path: Path) -> Path:
    names = [(f"S{i}", "visible") for i in range(300)]
    return write_zip(path, package(workbook=workbook_xml(names)))


def lying_size(path: Path) -> Path:
    write_zip(path, package([("realisasi", "visible", repeated(HEADER, FILLED, 30_000_000))]))
    return patched(path, declare_size(SHEET_PART, 100_000))


def truncated_zip(path: Path) -> Path:
    write_zip(path, package())
    path.write_bytes(path.read_bytes()[:700])
    return path


def not_a_zip(path: Path) -> Path:
    """What a workbook protected by a password is: an OLE compound file."""
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4000))
    return path


def twice(path: Path) -> Path:
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns of the duplicate name: that is the case
        return write_zip(path, [*package(), (SHEET_PART, sheet(HEADER))])


def numbered_rows(count: int) -> str:
    return HEADER + DATA + "".join(f'<row r="{n}"/>' for n in range(3, count + 3))


def wide_rows(count: int) -> str:
    """Rows with a cell in column A and in column ALL (1,000): a grid of 1,000 per row."""
    return HEADER + "".join(
        f'<row r="{n}"><c r="A{n}"><v>1</v></c><c r="ALL{n}"><v>1</v></c></row>'
        for n in range(2, count + 2)
    )


def styles_tree(path: Path) -> Path:
    formats = "".join(f'<numFmt numFmtId="{200 + i}" formatCode="0"/>' for i in range(110_000))
    styles = STYLES.replace("<fonts", f"<numFmts>{formats}</numFmts><fonts")
    parts = [(name, styles if name == "xl/styles.xml" else xml) for name, xml in package()]
    return write_zip(path, parts)


def shared(texts: Sequence[str]) -> str:
    items = "".join(f"<si><t>{text}</t></si>" for text in texts)
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<sst xmlns="{MAIN}">{items}</sst>'


BEFORE_FORMULA = HEADER + FORMULA

Case = tuple[Callable[[Path], Path], int, tuple[str, ...]]
"""How to build the workbook, the exit code, and fragments of the output (stderr when
refused, stdout when read)."""

CASES: dict[str, Case] = {
    # bounded work -------------------------------------------------------------------------
    "declared-dimension-whole-sheet": (
        one(sheet(before='<dimension ref="A1:XFD1048576"/>')),
        0,
        (RESULT,),
    ),
    "one-cell-at-XFD1048576": (
        one(sheet(HEADER + DATA + '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>')),
        2,
        ("row 1048576", "MAX_ROW_NUMBER"),
    ),
    "merge-over-the-whole-sheet": (
        one(sheet(after='<mergeCells count="1"><mergeCell ref="A1:XFD1048576"/></mergeCells>')),
        0,
        (RESULT,),
    ),
    "merge-over-the-whole-sheet-beside-a-formula": (
        one(
            sheet(
                BEFORE_FORMULA,
                after='<mergeCells count="1"><mergeCell ref="A3:XFD1048576"/></mergeCells>',
            )
        ),
        0,
        (RESULT,),
    ),
    "gigabyte-of-empty-rows": (bomb("<row/>"), 2, ("MAX_UNCOMPRESSED_BYTES", SHEET_PART)),
    "gigabyte-of-filled-rows": (
        bomb(FILLED),
        2,
        ("MAX_UNCOMPRESSED_BYTES", SHEET_PART),
    ),
    "gigabyte-of-formula-rows": (
        bomb("<row><c><f>1+1</f><v>2</v></c><c><f>A1*2</f><v>4</v></c></row>"),
        2,
        ("MAX_UNCOMPRESSED_BYTES", SHEET_PART),
    ),
    "40-MB-of-empty-rows": (
        lambda path: write_zip(
            path,
            package([("realisasi", "visible", repeated(HEADER, "<row/>", 40_000_000))]),
        ),
        2,
        ("MAX_EXPANSION_RATIO", SHEET_PART),
    ),
    "part-holding-more-than-it-declares": (lying_size, 2, ("damaged", SHEET_PART)),
    "300000-numbered-empty-rows": (one(sheet(numbered_rows(300_000))), 2, ("MAX_ROW_NUMBER",)),
    "cell-in-column-5000": (
        one(sheet(HEADER + '<row r="2"><c r="GJH2"><v>1</v></c></row>')),
        2,
        ("column 5000", "MAX_COLUMN_NUMBER"),
    ),
    "400-rows-reaching-column-1000": (one(sheet(wide_rows(400))), 2, ("MAX_GRID_CELLS",)),
    "74000-rows-just-below-the-cell-limit": (
        one(sheet(HEADER + "".join(row(n, "Lapas A", "TW1", 9, 10) for n in range(2, 74_002)))),
        2,
        ("row 3, column A (unit): a second row for unit 'Lapas A'", "and 73979 more"),
    ),
    "76000-rows-just-above-the-cell-limit": (
        one(sheet(HEADER + "".join(row(n, "Lapas A", "TW1", 9, 10) for n in range(2, 76_002)))),
        2,
        ("row 75001", "MAX_GRID_CELLS"),
    ),
    "styles-of-110000-elements": (styles_tree, 2, ("MAX_TREE_ELEMENTS", "xl/styles.xml")),
    "60-parts-of-90000-elements": (many_elements, 2, ("MAX_XML_ELEMENTS",)),
    "300-sheets": (many_sheets, 2, ("MAX_SHEETS",)),
    "1200-parts": (many_parts, 2, ("MAX_PARTS",)),
    "cell-text-of-40000-characters": (
        one(sheet(HEADER + row(2, "L" * 40_000, "TW1", 9, 10))),
        2,
        ("MAX_CELL_CHARACTERS", "row 2"),
    ),
    # entities and damaged parts -------------------------------------------------------------
    "billion-laughs-in-the-sheet": (
        one(with_prolog(LAUGHS, sheet(HEADER + row(2, "&i;", "TW1", 9, 10)))),
        2,
        ("document type declaration", "sheet 'realisasi'"),
    ),
    "external-entity-in-the-shared-texts": (
        one(
            sheet(HEADER + DATA.replace('t="inlineStr"><is><t>Lapas A</t></is>', 't="s"><v>0</v>')),
            strings=with_prolog(XXE, shared(["&e;"])),
        ),
        2,
        ("document type declaration", "xl/sharedStrings.xml"),
    ),
    "external-dtd-in-the-workbook": (
        one(
            sheet(),
            workbook=with_prolog(
                '<?xml version="1.0"?>\n<!DOCTYPE workbook SYSTEM "http://127.0.0.1:9/x.dtd">',
                workbook_xml([("realisasi", "visible")]),
            ),
        ),
        2,
        ("document type declaration", "xl/workbook.xml"),
    ),
    "truncated-sheet-xml": (one(sheet()[:-30]), 2, ("not well-formed", "sheet 'realisasi'")),
    "truncated-zip": (truncated_zip, 2, ("not a readable .xlsx workbook",)),
    "not-a-zip-but-an-encrypted-workbook": (
        not_a_zip,
        2,
        ("not a zip archive", "password"),
    ),
    "encrypted-parts": (
        lambda path: patched(write_zip(path, package()), set_flags),
        2,
        ("encrypted",),
    ),
    "lzma-compressed-parts": (
        lambda path: write_zip(path, package(), zipfile.ZIP_LZMA),
        2,
        ("compressed with method 14",),
    ),
    "the-sheet-part-twice": (twice, 2, ("two parts named", SHEET_PART)),
    "text-in-a-number-cell": (
        one(sheet(HEADER + DATA.replace("<v>9</v>", "<v>sembilan</v>"))),
        2,
        ("sheet 'realisasi', row 2, column C", "stored as a number but holds 'sembilan'"),
    ),
    "bad-cell-reference": (
        one(sheet(HEADER + DATA.replace('r="C2"', 'r="2C"'))),
        2,
        ("row 2", "cell reference '2C'"),
    ),
    "rows-out-of-order": (
        one(sheet(HEADER + DATA + row(3, "Lapas B", "TW1", 1, 2).replace('r="3"', 'r="2"', 1))),
        2,
        ("row 2 comes after row 2", "out of order"),
    ),
    "shared-text-that-does-not-exist": (
        one(
            sheet(HEADER + DATA.replace('t="inlineStr"><is><t>Lapas A</t></is>', 't="s"><v>5</v>')),
            strings=shared(["Lapas A"]),
        ),
        2,
        ("row 2, column A", "shared text number 5"),
    ),
    "style-that-does-not-exist": (
        one(sheet(HEADER + DATA.replace('<c r="C2">', '<c r="C2" s="99">'))),
        2,
        ("row 2, column C", "style"),
    ),
    "bad-merge-range-beside-a-formula": (
        one(sheet(BEFORE_FORMULA, after='<mergeCells><mergeCell ref="A1:B?"/></mergeCells>')),
        2,
        ("merged range 'A1:B?'",),
    ),
    "bad-hyperlink-beside-a-formula": (
        one(sheet(BEFORE_FORMULA, after='<hyperlinks><hyperlink ref="D0"/></hyperlinks>')),
        2,
        ("hyperlink 'D0'",),
    ),
    "bad-data-validation-beside-a-formula": (
        one(
            sheet(
                BEFORE_FORMULA,
                after='<dataValidations count="1"><dataValidation type="whole" sqref="C2 ZZZZ9"/>'
                "</dataValidations>",
            )
        ),
        2,
        ("data validation 'ZZZZ9'",),
    ),
    "bad-column-width-beside-a-formula": (
        one(sheet(BEFORE_FORMULA, before='<cols><col min="0" max="3" width="9"/></cols>')),
        2,
        ("column width entry",),
    ),
    "column-width-not-a-number-beside-a-formula": (
        one(sheet(BEFORE_FORMULA, before='<cols><col min="1" max="3" width="lebar"/></cols>')),
        2,
        ("column width 'lebar'",),
    ),
    # what is read -----------------------------------------------------------------------------
    "formula-with-its-computed-value": (one(sheet(BEFORE_FORMULA)), 0, (RESULT,)),
    "formula-never-computed": (
        one(sheet(BEFORE_FORMULA.replace("<v>10</v>", ""))),
        2,
        ("row 2, column D", "never computed"),
    ),
    "date-in-a-number-cell": (
        one(sheet(HEADER + DATA.replace('<c r="C2">', '<c r="C2" s="2">'))),
        2,
        ("row 2, column C", "date or time"),
    ),
    "boolean-in-a-number-cell": (
        one(sheet(HEADER + DATA.replace('<c r="C2"><v>9</v>', '<c r="C2" t="b"><v>1</v>'))),
        2,
        ("row 2, column C", "True is not a number"),
    ),
    "error-value-in-a-number-cell": (
        one(sheet(HEADER + DATA.replace('<c r="C2"><v>9</v>', '<c r="C2" t="e"><v>#DIV/0!</v>'))),
        2,
        ("row 2, column C", "#DIV/0!"),
    ),
    "percent-in-a-count-cell": (
        one(sheet(HEADER + DATA.replace('<c r="C2"><v>9</v>', '<c r="C2" s="1"><v>0.9</v>'))),
        2,
        ("row 2, column C",),
    ),
    "binary-parts-are-left-alone": (
        one(
            sheet(),
            extra=[
                ("xl/media/image1.png", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40),
                ("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(5000)),
            ],
        ),
        0,
        (RESULT,),
    ),
    # which sheet ------------------------------------------------------------------------------
    "realisasi-beside-another-data-sheet": (
        of(
            ("Sheet1", "visible", sheet(HEADER + row(2, "X", "TW1", 1, 10))),
            ("realisasi", "visible", sheet()),
        ),
        0,
        (RESULT,),
    ),
    "hidden-data-sheet-beside-the-visible-one": (
        of(
            ("lama", "hidden", sheet(HEADER + row(2, "X", "TW1", 1, 10))),
            ("Sheet1", "visible", sheet()),
        ),
        0,
        (RESULT,),
    ),
    "hidden-realisasi": (
        of(("realisasi", "hidden", sheet()), ("Sheet1", "visible", sheet())),
        2,
        ("sheet 'realisasi'", "hidden"),
    ),
    "two-visible-data-sheets": (
        of(("Bali", "visible", sheet()), ("NTB", "visible", sheet())),
        2,
        ("'Bali', 'NTB'",),
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_hostile_workbook(iku, tmp_path: Path, name: str) -> None:  # type: ignore[no-untyped-def]
    build, code, fragments = CASES[name]
    path = build(tmp_path / f"{name}.xlsx")
    outcome: Outcome = iku("evaluate", str(path))
    assert_verdict(outcome, path, name, code, fragments)
