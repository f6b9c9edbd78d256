"""Hostile CSV and JSON sheets through `iku evaluate`, each in a capped child process.

Every file is generated here: a path to ``/dev/zero``, files past each limit of reading
(bytes, rows, cells of a row, cells with values, the length of a cell), a quote that never
closes, numbers too large to compute with, nesting too deep, wrong encodings, unit names
with control characters and lone surrogates or written two ways, text numbers with two
readings, values above the header, and several kinds of mistakes at once. Each must end in
seconds under the harness's memory limit, with the right result (exit code 0) or a refusal
(exit code 2, no traceback) whose message names the limit, the place or the problem.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from .conftest import assert_verdict

DONE, ALL = "pengaduan_notaris_diperiksa", "pengaduan_notaris_masuk"
"""Two count inputs of the bundled catalog: indicator 3 is DONE / ALL as a percent."""
AMOUNT = "penerimaan_pnbp_ahu"
"""An amount (rupiah) of the bundled catalog."""
RESULT = "90.00"
"""The realisasi of indicator 3 for 9 of 10: the sheet was read right."""
HEADER = f"unit,period,{DONE},{ALL}\n"
GOOD = "Lapas A,TW1,9,10\n"

Build = Callable[[Path], Path]


def text(content: str, encoding: str = "utf-8") -> Build:
    def build(path: Path) -> Path:
        path.write_bytes(content.encode(encoding, "surrogatepass"))
        return path

    return build


def raw(content: bytes) -> Build:
    def build(path: Path) -> Path:
        path.write_bytes(content)
        return path

    return build


def dev_zero(path: Path) -> Path:
    path.symlink_to("/dev/zero")
    return path


def many_cells(path: Path) -> Path:
    """30,000 rows of every input of the bundled catalog: 3,150,000 cells with a value."""
    from iku_formula import load_catalog

    names = list(load_catalog().inputs)
    ones = ",".join("1" for _ in names)
    with path.open("w", encoding="utf-8") as stream:
        stream.write(",".join(["unit", "period", *names]) + "\n")
        for number in range(30_000):
            stream.write(f"UPT {number:05d},TW1,{ones}\n")
    return path


def many_rows(path: Path) -> Path:
    """200,001 rows, each a unit of its own."""
    with path.open("w", encoding="utf-8") as stream:
        stream.write(HEADER)
        stream.writelines(f"UPT {number:06d},TW1,1,1\n" for number in range(200_001))
    return path


CSV: dict[str, tuple[Build, tuple[str, ...], int, tuple[str, ...]]] = {
    # bounded work ------------------------------------------------------------------------------
    "dev-zero": (dev_zero, (), 2, ("the file is more than 20,000,000 bytes", "MAX_DATA_BYTES")),
    "25-mb": (raw(HEADER.encode() + b"9" * 25_000_000), (), 2, ("MAX_DATA_BYTES",)),
    "field-of-200-kb": (
        text(HEADER + GOOD + "x" * 200_000 + ",TW2,1,1\n"),
        (),
        2,
        ("row 3: a cell is longer than the limit MAX_FIELD_CHARS (10,000 characters)",),
    ),
    "a-quote-that-never-closes": (
        text(HEADER + GOOD + '"Lapas B' + ",TW2,1,1\n" * 1_000_000),
        (),
        2,
        ("row 3: a cell is longer than the limit MAX_FIELD_CHARS",),
    ),
    "a-row-of-a-million-cells": (
        text(HEADER + GOOD + "Lapas B,TW2" + "," * 1_000_000 + "\n"),
        (),
        2,
        ("row 3: the row has 1,000,002 cells; the limit is MAX_COLUMNS (1,000)",),
    ),
    "200001-rows": (many_rows, (), 2, ("more rows than allowed; the limit is MAX_ROWS (200,000)",)),
    "3-million-cells": (many_cells, (), 2, ("the limit is MAX_CELLS (3,000,000)",)),
    "19-mb-of-blank-lines": (
        text(HEADER + "\n" * 19_000_000),
        (),
        2,
        ("no rows below the header",),
    ),
    # no tracebacks -----------------------------------------------------------------------------
    "latin-1": (
        text(HEADER + "K\xe9robokan,TW1,9,10\n", "latin-1"),
        (),
        2,
        ("not UTF-8 text (invalid continuation byte", "on line 2"),
    ),
    "utf-16": (text(HEADER + GOOD, "utf-16"), (), 2, ("the file is UTF-16 text",)),
    "escape-sequence-in-a-unit": (
        text(HEADER + GOOD + "Lapas \x1b[2J\x1b[31mB,TW1,1,1\n"),
        (),
        2,
        ("row 3, column A (unit): unit 'Lapas \\x1b[2J\\x1b[31mB' holds an invisible control",),
    ),
    "direction-override-in-a-unit": (
        text(HEADER + GOOD + "Lapas \u202eB,TW1,1,1\n"),
        (),
        2,
        ("row 3, column A (unit): unit", "(U+202E)"),
    ),
    # nothing dropped or misread ----------------------------------------------------------------
    "a-row-above-the-header": (
        text("Lapas B,TW1,5,10\n" + HEADER + GOOD),
        (),
        2,
        ("row 1: row 1 holds values above the header row (row 2)",),
    ),
    "two-readings": (
        text(f"unit,period,{DONE},{ALL},{AMOUNT}\nLapas A,TW1,9,10,1.234\n"),
        (),
        2,
        ("row 2, column E", "'1.234' has two readings: 1.234", "or 1234", "--angka id"),
    ),
    "two-readings-with-angka-id": (
        text(f"unit,period,{DONE},{ALL},{AMOUNT}\nLapas A,TW1,9,10,1.234\n"),
        ("--angka", "id"),
        0,
        (RESULT,),
    ),
    "a-unit-written-two-ways": (
        text(HEADER + "Bapas Kelas I Denpasar,TW1,9,10\nBapas Kls I Denpasar,TW2,9,10\n"),
        (),
        2,
        ("unit 'Bapas Kls I Denpasar' (row 3) looks like unit 'Bapas Kelas I Denpasar'",),
    ),
    "a-unit-written-two-ways-accepted": (
        text(HEADER + "Bapas Kelas I Denpasar,TW1,9,10\nBapas Kls I Denpasar,TW2,9,10\n"),
        ("--unit-baru",),
        0,
        ("Bapas Kls I Denpasar",),
    ),
    "three-kinds-in-one-run": (
        text(
            HEADER.replace(ALL, ALL + "x") + "Lapas A,TW1,abc,1\nLapas A,TW1,1,1\nLapas A,TW1,2,1\n"
        ),
        (),
        2,
        ("3 problems of 3 kinds", "unknown columns (1)", "bad cells (1)", "repeated rows (1)"),
    ),
    "free-text-columns": (
        text(f"No.,{HEADER.strip()},Keterangan\n1,{GOOD.strip()},naik\n"),
        (),
        0,
        (RESULT,),
    ),
    "formula-like-units-stay-text": (
        text(HEADER + '"=HYPERLINK(""http://x"",""klik"")",TW1,9,10\n'),
        (),
        0,
        (RESULT,),
    ),
}


JSON: dict[str, tuple[Build, int, tuple[str, ...]]] = {
    "dev-zero": (dev_zero, 2, ("MAX_DATA_BYTES",)),
    "a-huge-exponent": (
        text(f'{{"{DONE}": 1e9999999999999999999999, "{ALL}": 10}}'),
        2,
        ("the number 1e9999999999999999999999 is out of range",),
    ),
    "a-huge-negative-exponent": (
        text(f'{{"{DONE}": 1e-9999999999999999999999, "{ALL}": 10}}'),
        2,
        ("is out of range",),
    ),
    "an-integer-of-19-million-digits": (
        text(f'{{"{DONE}": 1{"0" * 19_000_000}, "{ALL}": 10}}'),
        2,
        ("(19000001 characters) is out of range",),
    ),
    "nested-a-million-deep": (
        text("[" * 1_000_000 + "]" * 1_000_000),
        2,
        ("not valid JSON: nested too deep",),
    ),
    "a-repeated-key": (
        text(f'[{{"unit": "A", "{DONE}": 9, "{ALL}": 10, "{DONE}": 90}}]'),
        2,
        (f"record 1: key '{DONE}' appears twice in the record",),
    ),
    "a-lone-surrogate-in-a-unit": (
        text(f'[{{"unit": "Rutan \\udc80", "{DONE}": 9, "{ALL}": 10}}]'),
        2,
        ("record 1: unit 'Rutan \\udc80' holds a lone surrogate (U+DC80)",),
    ),
    "a-period-of-2024.5": (
        text(f'{{"period": 2024.5, "{DONE}": 9, "{ALL}": 10}}'),
        2,
        ("the record: period",),
    ),
    "300000-records": (
        text("[" + ",".join(["{}"] * 300_000) + "]"),
        2,
        ("300,000 records; the limit is MAX_ROWS (200,000)",),
    ),
    "a-record-of-2000-keys": (
        text(json.dumps({f"k{number}": 1 for number in range(2000)})),
        2,
        ("the record has 2,000 keys; the limit is MAX_COLUMNS (1,000)",),
    ),
    "right": (text(json.dumps({DONE: 9, ALL: 10, "keterangan": "x"})), 0, (RESULT,)),
}


@pytest.mark.parametrize("name", sorted(CSV))
def test_hostile_csv(iku, tmp_path: Path, name: str) -> None:  # type: ignore[no-untyped-def]
    build, args, code, fragments = CSV[name]
    path = build(tmp_path / f"{name}.csv")
    assert_verdict(iku("evaluate", str(path), *args), path, name, code, fragments)


@pytest.mark.parametrize("name", sorted(JSON))
def test_hostile_json(iku, tmp_path: Path, name: str) -> None:  # type: ignore[no-untyped-def]
    build, code, fragments = JSON[name]
    path = build(tmp_path / f"{name}.json")
    assert_verdict(iku("evaluate", str(path)), path, name, code, fragments)


def test_a_template_s_units_are_checked(iku, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """`iku template` records the units; a sheet made from it names no other unit."""
    path = tmp_path / "isian.csv"
    assert iku("template", str(path), "--units", "Lapas A,Rutan B", "--angka", "id").returncode == 0
    lines = path.read_text(encoding="utf-8").splitlines()
    header = lines[1].split(",")
    cells = ["Lapas AA", "TW1"] + [""] * (len(header) - 2)
    cells[header.index(DONE)], cells[header.index(ALL)] = "9", "10"
    lines[2] = ",".join(cells)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    outcome = iku("evaluate", str(path))
    assert_verdict(
        outcome, path, "template", 2, ("unit 'Lapas AA' (row 3) is not one of the 2 units",)
    )
    assert_verdict(iku("evaluate", str(path), "--unit-baru"), path, "template", 0, (RESULT,))
