"""Hostile target sheets (``iku evaluate --target-file``): bounded, refused with their place."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from .conftest import assert_verdict

HEADER = "indikator,nama,target,sifat,TW1,TW2,TW3,TW4\n"
DATA = (
    "unit,period,perancang_dibina\n"
    "Kanwil Bali,TW1,7\nKanwil Bali,TW2,4\nKanwil Bali,TW3,5\nKanwil Bali,TW4,8\n"
)

Build = Callable[[Path], Path]


def text(content: str) -> Build:
    def build(path: Path) -> Path:
        path.write_text(content, encoding="utf-8")
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


def unknown_rows(path: Path) -> Path:
    """150,000 rows of unknown indicators, each with a name to seek a did-you-mean for."""
    rows = "".join(
        f"x{n},Jumlah peningkatan kapasitas {n},,kumulatif,1,2,3,4\n" for n in range(150_000)
    )
    path.write_text(HEADER + rows, encoding="utf-8")
    return path


def bomb(path: Path) -> Path:
    """A workbook whose one part inflates 10,000 times."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b" " * 30_000_000)
    return path


CASES: dict[str, tuple[str, Build, int, tuple[str, ...]]] = {
    "dev-zero": (".csv", dev_zero, 2, ("the limit is MAX_DATA_BYTES",)),
    "not-utf8": (".csv", raw(HEADER.encode() + b"8,\xff\xfe,,kumulatif,1,2,3,4\n"), 2, ("UTF-8",)),
    "unknown-rows": (".csv", unknown_rows, 2, ("150000 problems", "no indicator 'x0'")),
    "long-cell": (
        ".csv",
        text(HEADER + "8,," + "x" * 20_000 + ",kumulatif,1,2,3,4\n"),
        2,
        ("MAX_FIELD_CHARS",),
    ),
    "a-number-of-9000-digits": (
        ".csv",
        text(HEADER + "8,,,per periode," + "9" * 9000 + ",1,1,1\n"),
        2,
        ("row 2, column E (TW1)", "more than 30 digits"),
    ),
    "garbage-xlsx": (".xlsx", raw(b"PK\x03\x04 not a workbook"), 2, ("not a readable",)),
    "bomb-xlsx": (".xlsx", bomb, 2, ("MAX_",)),
    "right": (".csv", text(HEADER + "8,,,kumulatif,5,10,15,20\n"), 0, ("20 Orang", "120.00")),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_hostile_target_sheet(iku, tmp_path: Path, name: str) -> None:  # type: ignore[no-untyped-def]
    suffix, build, code, fragments = CASES[name]
    if suffix == ".xlsx":
        pytest.importorskip("openpyxl")
    data = tmp_path / "data.csv"
    data.write_text(DATA, encoding="utf-8")
    path = build(tmp_path / f"{name}{suffix}")
    outcome = iku("evaluate", str(data), "--target-file", str(path))
    assert_verdict(outcome, path if code == 2 else data, name, code, fragments)
