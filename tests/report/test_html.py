"""The printable report (issue 11, item 6): one self-contained HTML page, and its PDF.

The browser tests open the page in the real headless Chromium (playwright): screenshots
of the first two A4 pages are not blank, every bar's number is the table's, and no request
leaves the file. The PDF is printed by the same Chromium through ``iku evaluate -o x.pdf``.
Without Chromium or playwright they skip, unless CI is set: then they fail.
"""

from __future__ import annotations

import html.parser
import importlib.util
import os
import re
import shutil
from pathlib import Path

import pytest

from iku_formula.cli import main

REPO = Path(__file__).resolve().parents[2]
QUARTERLY = REPO / "examples" / "contoh-realisasi-2024-triwulan.csv"
YEARLY = REPO / "examples" / "contoh-realisasi-2024.csv"
CI = bool(os.environ.get("CI"))
A4_POINTS = (595.0, 842.0)
A4_PIXELS = (794, 1123)  # 210 x 297 mm at 96 px per inch
HOSTILE = '<script>alert(1)</script><img src=x onerror="alert(2)">&amp;"\'</td>'


def need(condition: object, reason: str) -> None:
    """Skip without ``condition``; on CI (CI set) fail instead, since CI must run the test."""
    if condition:
        return
    if CI:
        pytest.fail(f"{reason}; CI is set, so the browser tests must run")
    pytest.skip(reason)


def chromium() -> str:
    found = os.environ.get("IKU_CHROMIUM") or shutil.which("chromium")
    need(found, "chromium is not installed (apt-get install chromium)")
    assert found is not None
    return found


def evaluate(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> tuple[int, str, str]:
    code = main(["evaluate", *map(str, argv)])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


@pytest.fixture
def page(tmp_path: Path, indonesian: None) -> Path:
    """The sample's report, in Indonesian (what people get by default)."""
    path = tmp_path / "laporan.html"
    assert main(["evaluate", str(QUARTERLY), "-o", str(path)]) == 0
    return path


class _Elements(html.parser.HTMLParser):
    """Every start tag and every attribute of a page, as the browser's parser sees them."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str | None]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes.extend(attrs)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def elements(text: str) -> _Elements:
    parser = _Elements()
    parser.feed(text)
    return parser


def test_the_page_is_self_contained(page: Path) -> None:
    text = page.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>")
    found = elements(text)
    assert {"script", "link", "img", "iframe", "object"}.isdisjoint(found.tags)
    assert "svg" in found.tags
    assert "style" in found.tags
    assert "@page { size: A4;" in text
    links = {value for name, value in found.attributes if name in ("src", "href")}
    assert links == set()
    namespaces = set(re.findall(r"https?://[^\s\"'<>)]+", text))
    assert namespaces == {"http://www.w3.org/2000/svg"}
    assert '<html lang="id">' in text
    assert re.search(r'<td class="predikat" style="background: #[0-9a-fA-F]{6}; color: #', text)
    for words in ("Laporan IKU", "Indikator", "Predikat", "Capaian per periode", "tercapai",
                  "Capaian per indikator terhadap targetnya", "103,71"):  # fmt: skip
        assert words in text


def test_html_to_stdout_and_a_second_write(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, _ = evaluate(capsys, YEARLY, "--format", "html")
    assert code == 0
    assert out.startswith("<!DOCTYPE html>")
    target = tmp_path / "laporan.htm"
    for _round in range(2):  # a report iku wrote is written over without --force
        assert evaluate(capsys, YEARLY, "-o", target)[0] == 0
    other = tmp_path / "catatan.html"
    other.write_text("<p>catatan saya</p>", encoding="utf-8")
    code, _, err = evaluate(capsys, YEARLY, "-o", other)
    assert code == 2
    assert "not a report iku wrote" in err


def test_hostile_names_stay_text(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    sheet = tmp_path / "r.csv"
    quoted = HOSTILE.replace('"', '""')
    sheet.write_text(
        "unit,period,pemenuhan_makanan,jumlah_tahanan\n"
        f'"{quoted}",TW1,85,100\n"{quoted}",TW2,90,100\n'
        '"Rutan B",TW1,5,10\n"Rutan B",TW2,6,10\n',
        encoding="utf-8",
    )
    target = tmp_path / "laporan.html"
    assert evaluate(capsys, sheet, "--by", "unit", "--unit-baru", "-o", target)[0] == 0
    text = target.read_text(encoding="utf-8")
    found = elements(text)
    assert {"script", "img"}.isdisjoint(found.tags)
    assert all(not name.startswith("on") for name, _ in found.attributes)
    assert any(HOSTILE in piece for piece in found.text)  # shown as the text it is
    assert "<script>" not in text


def test_in_the_browser(page: Path, tmp_path: Path) -> None:
    """Screenshots of the first two A4 pages are not blank; every bar's number is the table's."""
    executable = chromium()
    need(importlib.util.find_spec("playwright"), "playwright is not installed")
    from PIL import Image
    from playwright.sync_api import Route, sync_playwright

    requests: list[str] = []

    def file_only(route: Route) -> None:
        requests.append(route.request.url)
        if route.request.url.startswith("file://"):
            route.continue_()
        else:
            route.abort()

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable, args=["--headless", "--no-sandbox", "--disable-gpu"]
        )
        try:
            context = browser.new_context(viewport={"width": A4_PIXELS[0], "height": A4_PIXELS[1]})
            context.route("**/*", file_only)
            tab = context.new_page()
            tab.emulate_media(media="print")
            tab.goto(page.as_uri(), wait_until="load")
            shots = []
            for number in range(2):
                tab.evaluate(f"window.scrollTo(0, {number * A4_PIXELS[1]})")
                shot = tmp_path / f"laporan-halaman-{number + 1}.png"
                tab.screenshot(path=str(shot))
                shots.append(shot)
            table = tab.eval_on_selector_all(
                "section:first-of-type table tbody tr",
                "rows => rows.map(r => [r.dataset.iku, r.querySelector('td.capaian').innerText])",
            )
            bars = tab.eval_on_selector_all(
                "section:first-of-type svg.capaian g.bar",
                "bars => bars.map(b => [b.dataset.iku, b.dataset.capaian,"
                " b.querySelector('title').textContent,"
                " b.querySelector('rect').getAttribute('width')])",
            )
            periods = tab.eval_on_selector_all(
                "table.period-capaian tbody tr",
                "rows => rows.map(r => [r.dataset.iku,"
                " [...r.querySelectorAll('td')].slice(1).map(c => c.innerText)])",
            )
            period_bars = tab.eval_on_selector_all(
                "svg.per-period g.bar",
                "bars => bars.map(b => [b.dataset.iku, b.dataset.periode, b.dataset.capaian,"
                " b.querySelector('title').textContent])",
            )
            overflow = tab.evaluate(
                "() => { const body = document.body.getBoundingClientRect().right;"
                " return [...document.querySelectorAll('table, svg')]"
                ".filter(e => e.getBoundingClientRect().right > body + 1).length; }"
            )
            labels = tab.eval_on_selector_all(
                "table.period-capaian thead th", "cells => cells.map(c => c.innerText)"
            )
        finally:
            browser.close()

    assert [url for url in requests if not url.startswith("file://")] == []
    assert overflow == 0  # every table and chart within the A4 text width
    for shot in shots:
        with Image.open(shot) as image:
            assert image.size == A4_PIXELS
            colours = image.convert("RGB").getcolors(maxcolors=1 << 16)
            assert colours is None or len(colours) > 20, f"{shot} looks blank"
            assert image.convert("L").getextrema()[0] < 80  # some dark text on the page

    capaian = {number: text for number, text in table if text != "-"}
    assert len(capaian) >= 50  # the sample evaluates 54 of the 55 indicators
    assert {number for number, *_ in bars} == set(capaian)
    for number, data, title, width in bars:
        assert data.replace(".", ",") == capaian[number].replace(".", "")
        assert f": capaian {capaian[number]}% " in title
        assert float(width) >= 0
    lengths = {number: float(width) for number, _, _, width in bars}
    values = {number: float(data) for number, data, _, _ in bars}
    below = [n for n in values if 0 < values[n] <= 120]
    ratios = [lengths[n] / values[n] for n in below]
    assert max(ratios) / min(ratios) < 1.001  # one scale (widths are written to 0.1 px)

    by_period = dict(periods)
    assert labels[1:] == ["TW1", "TW2", "TW3", "TW4"]
    assert len(period_bars) >= 4 * 50
    for number, period, data, title in period_bars:
        shown = by_period[number][labels.index(period) - 1]
        assert data.replace(".", ",") == shown.replace(".", "")
        assert title.endswith(f"{period}: capaian {shown}%")


def pdf_pages(data: bytes) -> list[tuple[float, float]]:
    boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([0-9.]+) ([0-9.]+)\s*\]", data)
    return [(float(width), float(height)) for width, height in boxes]


def test_pdf_printed_by_chromium(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    chromium()
    target = tmp_path / "laporan.pdf"
    code, out, err = evaluate(capsys, QUARTERLY, "--by", "unit", "-o", target)
    assert (code, err) == (0, "")
    assert "laporan.pdf" in out
    data = target.read_bytes()
    assert data.startswith(b"%PDF-")
    pages = pdf_pages(data)
    assert len(pages) >= 3
    for width, height in pages:
        assert abs(width - A4_POINTS[0]) < 2
        assert abs(height - A4_POINTS[1]) < 2
    assert evaluate(capsys, QUARTERLY, "-o", target)[0] == 0  # its own PDF is written over


@pytest.mark.usefixtures("indonesian")
def test_pdf_without_chromium(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("IKU_CHROMIUM", "tidak-ada-chromium-di-sini")
    target = tmp_path / "laporan.pdf"
    code, out, err = evaluate(capsys, YEARLY, "-o", target)
    assert (code, out) == (2, "")
    assert err.startswith("iku: galat: ")
    assert "belum terpasang" in err
    assert "apt-get install chromium" in err
    assert "laporan.html" in err
    assert not target.exists()
