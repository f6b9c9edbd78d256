"""The message catalog: every message translated, nothing stale, the shipped .mo current.

The checks are those of ``python tools/messages.py check`` (Babel extracts the message ids
from the source); the tests say which command fixes what they find.
"""

from __future__ import annotations

import ast
import importlib.util
import os
import subprocess
import sys
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from types import ModuleType

import pytest

import iku_formula
from iku_formula import i18n
from iku_formula.i18n import _, language, ngettext, set_language

REPO = Path(__file__).resolve().parents[1]
PACKAGE = Path(iku_formula.__file__).resolve().parent


def _tools() -> ModuleType:
    spec = importlib.util.spec_from_file_location("messages_tool", REPO / "tools" / "messages.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["messages_tool"] = module
    spec.loader.exec_module(module)
    return module


pytest.importorskip("babel")
messages = _tools()


def _problems(word: str) -> list[str]:
    return [problem for problem in messages.problems("id") if word in problem]


def test_every_message_has_an_indonesian_translation() -> None:
    assert _problems("untranslated") == []


def test_no_translation_is_stale() -> None:
    assert _problems("stale") == []


def test_placeholders_agree_between_message_and_translation() -> None:
    assert _problems("placeholders") == []


def test_the_shipped_catalog_is_the_po_compiled() -> None:
    assert _problems("run compile") == []


def test_the_source_has_messages() -> None:
    assert len(messages.extracted()) > 10


@pytest.mark.parametrize(
    ("text", "fields"),
    [
        ("row {number}", {"number"}),
        ("{reason} (column {column})", {"reason", "column"}),
        ("{value:.2f} and {{literal}}", {"value"}),
        ("sheet {name!r}", {"name"}),
        ("no fields", set()),
    ],
)
def test_placeholders(text: str, fields: set[str]) -> None:
    assert messages.placeholders(text) == fields


def test_the_compiled_catalog_is_in_the_installed_package() -> None:
    shipped = resources.files("iku_formula") / "locale" / "id" / "LC_MESSAGES" / "iku_formula.mo"
    assert shipped.is_file()


def test_english_is_the_message_ids() -> None:
    set_language("en")
    try:
        for message in messages.extracted():
            if isinstance(message, tuple):
                assert ngettext(message[0], message[1], 1) == message[0]
                assert ngettext(message[0], message[1], 2) == message[1]
            else:
                assert _(message) == message
    finally:
        set_language(None)


def test_indonesian_is_translated_at_call_time() -> None:
    set_language("id")
    try:
        assert _("row {number}") == "baris {number}"
        set_language("en")
        assert _("row {number}") == "row {number}"
    finally:
        set_language(None)


@pytest.mark.parametrize(
    ("environment", "expected"),
    [("en", "en"), ("EN_US.UTF-8", "en"), ("id", "id"), ("", "id"), ("fr", "id")],
)
def test_language_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, environment: str, expected: str
) -> None:
    monkeypatch.setenv("IKU_LANG", environment)
    set_language(None)
    assert language() == expected


def test_set_language_refuses_an_unknown_language() -> None:
    with pytest.raises(ValueError, match="language must be one of"):
        set_language("fr")


def test_a_missing_catalog_falls_back_to_english(monkeypatch: pytest.MonkeyPatch) -> None:
    assert i18n.translations("xx").gettext("row {number}") == "row {number}"


def _importing_modules(wanted: frozenset[str]) -> Iterator[tuple[Path, ast.Module]]:
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = {
            alias.asname or alias.name
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and (node.module or "").endswith("i18n")
            for alias in node.names
        }
        if names & wanted:
            yield path, tree


MODULES = list(_importing_modules(frozenset({"_", "N_", "ngettext"})))
CALLING = list(_importing_modules(frozenset({"_"})))


@pytest.mark.parametrize(("path", "tree"), MODULES, ids=[p.name for p, _t in MODULES])
def test_messages_are_literals(path: Path, tree: ast.Module) -> None:
    """``_(f"...")`` or ``_(name)`` of a literal-free text cannot be extracted: a message id is
    a plain string (a variable is fine only for texts marked with ``N_`` where defined)."""
    bad = [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in {"N_", "ngettext"}
        and not all(isinstance(arg, ast.Constant) for arg in node.args[:2])
    ] + [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "_"
        and node.args
        and isinstance(node.args[0], ast.JoinedStr)
    ]
    assert bad == [], f"{path}: lines {bad}"


@pytest.mark.parametrize(("path", "tree"), CALLING, ids=[p.name for p, _t in CALLING])
def test_underscore_is_never_rebound(path: Path, tree: ast.Module) -> None:
    """A module calling ``_()`` must not use ``_`` as a throwaway name: it would shadow it."""
    bad = [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Name) and node.id == "_" and isinstance(node.ctx, ast.Store)
    ]
    assert bad == [], f"{path}: lines {bad} bind `_`; name the throwaway `_unused`"


# --------------------------------------------------------------------------- the real CLI

QUARTERLY_CSV = REPO / "examples" / "contoh-realisasi-2024-triwulan.csv"
BAD_SHEET = "unit,period,pemenuhan_makanan,jumlahx\nLapas A,TW5,abc,3\n"


def _iku(*args: str | Path, lang: str | None) -> subprocess.CompletedProcess[str]:
    """``python -m iku_formula ARGS`` with IKU_LANG set to ``lang`` (None: unset)."""
    environment = {key: value for key, value in os.environ.items() if key != "IKU_LANG"}
    if lang is not None:
        environment["IKU_LANG"] = lang
    return subprocess.run(
        [sys.executable, "-m", "iku_formula", *map(str, args)],
        capture_output=True,
        text=True,
        env=environment,
        timeout=120,
        check=False,
    )


@pytest.fixture
def bad_sheet(tmp_path: Path) -> Path:
    path = tmp_path / "realisasi.csv"
    path.write_text(BAD_SHEET, encoding="utf-8")
    return path


def test_a_bad_sheet_is_explained_in_indonesian_by_default(bad_sheet: Path) -> None:
    done = _iku("evaluate", bad_sheet, lang=None)
    assert (done.returncode, done.stdout) == (2, "")
    err = done.stderr
    assert err.startswith(f"iku: galat: {bad_sheet}: 3 masalah dari 2 jenis:\n")
    assert "  kolom yang tidak dikenal (1):\n" in err
    assert "baris 1, kolom D: kolom 'jumlahx' tidak dikenal: bukan input katalog" in err
    assert (
        "baris 2, kolom C (pemenuhan_makanan): input 'pemenuhan_makanan' (indikator 23): "
        "'abc' bukan angka"
    ) in err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("args", "lang"), [(("--lang", "en"), None), ((), "en"), (("--lang", "en"), "id")]
)
def test_english_on_request(bad_sheet: Path, args: tuple[str, ...], lang: str | None) -> None:
    """``--lang en`` or ``IKU_LANG=en``; the option wins over the environment."""
    done = _iku(*args, "evaluate", bad_sheet, lang=lang)
    assert done.returncode == 2
    assert done.stderr.startswith(f"iku: error: {bad_sheet}: 3 problems of 2 kinds:\n")
    assert "row 1, column D: unknown column 'jumlahx': it is no input of the catalog" in (
        done.stderr
    )


def test_lang_id_wins_over_the_environment(bad_sheet: Path) -> None:
    done = _iku("--lang", "id", "evaluate", bad_sheet, lang="en")
    assert done.stderr.startswith("iku: galat: ")


def test_the_report_speaks_indonesian_with_indonesian_numbers() -> None:
    done = _iku("evaluate", QUARTERLY_CSV, lang=None)
    assert (done.returncode, done.stderr) == (0, "")
    out = done.stdout
    assert out.startswith("== Kantor Wilayah, 2024 ==\n(10 unit, 40 baris digabung: baris 2-41)\n")
    assert "No  Indikator  " in out
    assert "103,71  tercapai" in out  # IKU 1: capaian with a decimal comma
    assert "[42] tidak terdefinisi: penyebut basan_inkracht bernilai 0" in out  # a reason
    flat = " ".join(out.split())
    assert (
        "Aturan konsistensi dilanggar: - aturan narapidana_remisi <= narapidana_syarat_remisi "
        "dilanggar: narapidana_remisi = 2.546, narapidana_syarat_remisi = 2.476; periksa datanya"
    ) in flat  # thousands with a point
    assert "== Periksa data per baris ==" in out
    assert "tercapai: 49, tidak tercapai: 5, tidak terdefinisi: 1" in out


def test_the_same_report_in_english() -> None:
    out = _iku("--lang", "en", "evaluate", QUARTERLY_CSV, lang=None).stdout
    assert out.startswith("== Kantor Wilayah, 2024 ==\n(10 units, 40 rows rolled up: rows 2-41)\n")
    assert "103.71  tercapai" in out  # the status is the users' word in both languages
    assert "[42] undefined: the denominator basan_inkracht is 0" in out
    assert "narapidana_remisi = 2,546" in out
    assert "met: 49, not met: 5, undefined: 1" in out


def test_a_roll_up_note_in_indonesian(tmp_path: Path) -> None:
    sheet = tmp_path / "triwulan.csv"
    sheet.write_text(
        "unit,period,penerimaan_pnbp_ahu,penerimaan_pnbp_ahu_tahun_lalu\n"
        "Lapas A,TW1,10,20\nLapas A,TW2,,20\nLapas A,TW3,10,20\n",
        encoding="utf-8",
    )
    out = " ".join(_iku("evaluate", sheet, lang=None).stdout.split())
    assert "Data tidak lengkap: - Lapas A: penerimaan_pnbp_ahu tidak bernilai pada TW2" in out
    assert "menjumlahkan nilainya sepanjang triwulan memerlukan setiap triwulan" in out


def test_markdown_in_indonesian(tmp_path: Path) -> None:
    target = tmp_path / "laporan.md"
    done = _iku("evaluate", QUARTERLY_CSV, "-o", target, lang=None)
    assert done.stdout == f"menulis {target}\n"
    text = target.read_text(encoding="utf-8")
    assert text.startswith("# Laporan IKU: ")
    assert "| No | Indikator | Realisasi | Target | Capaian (%) | Status |" in text
    assert "### Tidak terdefinisi" in text
    again = _iku("--lang", "en", "evaluate", QUARTERLY_CSV, "-o", target, lang=None)
    assert again.returncode == 0, again.stderr  # an Indonesian report is one iku wrote


def test_the_level_is_named_in_the_language_shown(tmp_path: Path) -> None:
    target = tmp_path / "laporan.md"
    assert (
        _iku("evaluate", QUARTERLY_CSV, "--by", "period", "-o", target, lang=None).returncode == 0
    )
    assert "; tingkat: periode." in target.read_text(encoding="utf-8")
    done = _iku(
        "--lang", "en", "evaluate", QUARTERLY_CSV, "--by", "period", "-o", target, lang=None
    )
    assert done.returncode == 0, done.stderr
    assert "; level: period." in target.read_text(encoding="utf-8")


def test_the_help_in_both_languages() -> None:
    assert "bahasa pesan dan laporan" in _iku("--help", lang=None).stdout
    assert "language of messages and reports" in _iku("--lang", "en", "--help", lang=None).stdout
    evaluate = " ".join(_iku("evaluate", "--help", lang=None).stdout.split())
    assert "Mengevaluasi realisasi dari FILE" in evaluate


def test_show_in_indonesian_with_indonesian_numbers() -> None:
    out = _iku("show", "1", lang=None).stdout
    assert "Target     : 3.1 Indeks  (dibaca: 3,1 Indeks)" in out
    assert "Polaritas  : maximize (semakin tinggi semakin baik)" in out


@pytest.mark.parametrize(
    ("text", "code", "said"),
    [
        ("unit,period,jumlahx\nLapas A,TW1,3\n", "unknown-column", "kolom 'jumlahx' tidak dikenal"),
        ("unit,period,jumlah_anak\nLapas A,TW1,-3\n", "bad-cell", "'-3' bernilai negatif"),
        (BAD_SHEET, "invalid-sheet", "3 masalah dari 2 jenis"),
    ],
)
def test_a_sheet_error_has_a_code_and_the_localized_message(
    indonesian: None, bad_sheet: Path, text: str, code: str, said: str
) -> None:
    from iku_formula.catalog.registry import load_catalog
    from iku_formula.errors import SheetError
    from iku_formula.sheets import read_sheet

    bad_sheet.write_text(text, encoding="utf-8")
    with pytest.raises(SheetError) as raised:
        read_sheet(bad_sheet, load_catalog())
    assert raised.value.code == code
    assert said in str(raised.value)
    assert raised.value.message == str(raised.value)


def test_check_the_data_ends_every_data_warning_in_both_languages() -> None:
    """report.build tells data errors from policy warnings by their ending ("check the
    data"): each translation of such a message ends with the translation of it."""
    ending = i18n.translations("id").gettext("check the data")
    for message in messages.extracted():
        if isinstance(message, str) and message.endswith("; check the data"):
            assert i18n.translations("id").gettext(message).endswith(ending), message


def test_the_xlsx_report_holds_real_numbers_with_a_number_format(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    target = tmp_path / "laporan.xlsx"
    done = _iku("evaluate", QUARTERLY_CSV, "-o", target, lang=None)
    assert done.returncode == 0, done.stderr
    sheet = openpyxl.load_workbook(target)["hasil"]
    headers = [cell.value for cell in sheet[1]]
    capaian = sheet.cell(2, headers.index("Capaian (%)") + 1)
    assert isinstance(capaian.value, float)
    assert capaian.value == pytest.approx(103.71)
    assert capaian.number_format == "#,##0.00"  # shown 103,71 by an Indonesian spreadsheet
