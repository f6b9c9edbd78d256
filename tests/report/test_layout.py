"""Terminal layout: tables, notes and `iku show` fit the terminal's width (issue 11, item 8)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from iku_formula import load_catalog
from iku_formula.cli import main
from iku_formula.report.layout import MIN_WIDTH, fit, said_once, table, terminal_width, wrap

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "examples" / "contoh-realisasi-2024-triwulan.csv"
WIDTHS = (60, 80, 100, 130)


def longest(text: str) -> int:
    return max((len(line) for line in text.splitlines()), default=0)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("by", ["kanwil", "unit", "period", "row"])
def test_evaluate_fits_the_terminal(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, width: int, by: str
) -> None:
    monkeypatch.setenv("COLUMNS", str(width))
    assert main(["evaluate", str(SAMPLE), "--by", by]) == 0
    out = capsys.readouterr().out
    assert longest(out) <= width
    assert out.startswith("== ")
    assert "tercapai" in out


@pytest.mark.parametrize("width", WIDTHS)
def test_show_fits_the_terminal(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, width: int
) -> None:
    monkeypatch.setenv("COLUMNS", str(width))
    for indicator in load_catalog():
        assert main(["show", str(indicator.number)]) == 0
        out = capsys.readouterr().out
        assert longest(out) <= width, indicator.number
        assert f"IKU {indicator.number}:" in out


@pytest.mark.parametrize("width", [60, 100])
def test_the_installed_command_fits(width: int) -> None:
    """The real process, its width from COLUMNS (no terminal: stdout is a pipe)."""
    env = {**os.environ, "COLUMNS": str(width), "PYTHONPATH": str(REPO / "src")}
    done = subprocess.run(
        [sys.executable, "-m", "iku_formula", "evaluate", str(SAMPLE), "--by", "unit"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert longest(done.stdout) <= width
    assert done.stdout.count("== ") >= 11  # the Kantor Wilayah and its ten units


def test_at_100_columns_the_sample_once_130_wide_fits(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "250")
    assert main(["evaluate", str(SAMPLE)]) == 0
    assert longest(capsys.readouterr().out) > 100  # the table as it is, unnarrowed
    monkeypatch.setenv("COLUMNS", "100")
    assert main(["evaluate", str(SAMPLE)]) == 0
    out = capsys.readouterr().out
    assert longest(out) <= 100
    assert "\n13 " in out
    assert "2.00 /" in out
    assert "1.00" in out


def test_a_hostile_unit_name_fits(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    name = "Lapas" + "X" * 300 + " " + " ".join(["kata"] * 80)
    sheet = tmp_path / "r.csv"
    sheet.write_text(
        f'unit,period,pemenuhan_makanan,jumlah_tahanan\n"{name}",2024,85,100\n', encoding="utf-8"
    )
    monkeypatch.setenv("COLUMNS", "60")
    assert main(["evaluate", str(sheet), "--unit-baru"]) == 0
    out = capsys.readouterr().out
    assert longest(out) <= 60
    assert "X" * 300 in "".join(out.split())  # broken, not lost


def test_terminal_width_reads_columns(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "73")
    assert terminal_width() == 73
    monkeypatch.setenv("COLUMNS", "5")
    assert terminal_width() == MIN_WIDTH


HEADERS = ["No", "Indikator", "Nilai"]
ROWS = [["1", "Persentase layanan bantuan hukum litigasi yang diberikan", "84.39"]]


@pytest.mark.parametrize(
    ("width", "expected"),
    [
        (
            100,
            [
                "No  Indikator                                                 Nilai",
                "--  --------------------------------------------------------  -----",
                " 1  Persentase layanan bantuan hukum litigasi yang diberikan  84.39",
            ],
        ),
        (
            40,
            [
                "No  Indikator                      Nilai",
                "--  -----------------------------  -----",
                " 1  Persentase layanan bantuan     84.39",
                "    hukum litigasi yang diberikan",
            ],
        ),
    ],
)
def test_table_narrows_its_text_columns(width: int, expected: list[str]) -> None:
    assert table(HEADERS, ROWS, right=(0, 2), keep=(0, 2), width=width) == expected


def test_table_that_cannot_fit_becomes_blocks() -> None:
    rows = [["1", "x" * 45, "y"]]
    lines = table(["No", "Nama", "Z"], rows, right=(), keep=(1,), width=40)
    assert lines == ["No  : 1", "Nama: " + "x" * 34, "  " + "x" * 11, "Z   : y"][:1] + lines[1:]
    assert all(len(line) <= 40 for line in lines)
    assert "".join(line.split(": ", 1)[-1].strip() for line in lines[1:3]) == "x" * 45


def test_slashes_are_places_to_break() -> None:
    lines = table(["Nama"], [["Tahanan/Narapidana/Anak dan Lapas/Rutan"]], right=(), width=40)
    assert table(["Nama"], [["a"]], right=(), width=40) == ["Nama", "----", "a"]
    assert lines[0] == "Nama"
    narrow = table(
        ["A", "Nama"], [["x" * 20, "Tahanan/Narapidana/Anak"]], right=(), keep=(0,), width=40
    )
    assert narrow[2:] == ["x" * 20 + "  Tahanan/", " " * 22 + "Narapidana/Anak"]


def test_wrap_and_fit_break_long_words() -> None:
    assert wrap("a " + "b" * 70, indent="  ", width=40) == ["a " + "b" * 38, "  " + "b" * 32]
    assert fit(["   " + "c" * 50, "short"], 40) == ["   " + "c" * 37, "     " + "c" * 13, "short"]


@pytest.mark.parametrize(
    ("notes", "expected"),
    [
        ({"a": "Satu.", "b": "Dua."}, [(("a",), "Satu."), (("b",), "Dua.")]),
        (
            {"a": "Arus. Dilaporkan Kanwil.", "b": "Stok. Dilaporkan Kanwil."},
            [(("a",), "Arus."), (("b",), "Stok."), (("a", "b"), "Dilaporkan Kanwil.")],
        ),
        ({"a": "Sama.", "b": "Sama.", "c": "Lain."}, [(("c",), "Lain."), (("a", "b"), "Sama.")]),
        ({"a": "Skala 1-4, target 3.14 dipakai."}, [(("a",), "Skala 1-4, target 3.14 dipakai.")]),
    ],
)
def test_said_once(notes: dict[str, str], expected: list[tuple[tuple[str, ...], str]]) -> None:
    assert said_once(notes) == expected


def test_show_says_a_shared_note_once(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["show", "22"]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert out.count("Subindeks IPPW diukur per UPT Pemasyarakatan") == 1
    assert "indeks_keberhasilan_program: Nama subindeks ini tidak lengkap" in out
    assert main(["show", "13"]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert out.count("Dilaporkan oleh Kantor Wilayah sendiri") == 1
    assert "kegiatan_analisis_evaluasi: Arus: kegiatan yang dilaksanakan per triwulan." in out


@pytest.mark.parametrize("width", WIDTHS)
def test_kebutuhan_fits_the_terminal(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, width: int
) -> None:
    monkeypatch.setenv("COLUMNS", str(width))
    assert main(["kebutuhan", str(SAMPLE), "--sampai", "TW3"]) == 0
    out = capsys.readouterr().out
    assert longest(out) <= width
    assert out.startswith("== ")
    assert "IKU 17" in out


@pytest.mark.parametrize("width", WIDTHS)
def test_list_fits_the_terminal(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, width: int
) -> None:
    monkeypatch.setenv("COLUMNS", str(width))
    assert main(["list"]) == 0
    out = capsys.readouterr().out
    assert longest(out) <= width
    assert "55 indicators" in " ".join(out.split())
