"""The documentation site (issue 4): built with ``mkdocs build --strict``, checked page by page.

The site is built once into a temporary directory. The static tests read the HTML: every
indicator has a page, its formulas are the library's own rendering, the source's text is there
word for word, the search index is local, nothing is loaded from another host. The browser test
serves the site on 127.0.0.1 and opens it in headless Chromium: math is laid out, search works,
and no request leaves localhost; it writes a screenshot to ``build/screenshots/``.

Without mkdocs, Chromium or playwright the tests skip, unless the environment variable CI is
set: then they fail, because CI must really run them.
"""

from __future__ import annotations

import csv
import functools
import html
import http.server
import importlib.util
import json
import os
import random
import re
import shutil
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from fractions import Fraction
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import urlsplit

import pytest

from iku_formula import Catalog, Indicator, load_catalog, to_latex
from iku_formula.achievement import AchievementRule, LowerIsBetter, Polarity
from iku_formula.catalog.interchange import fraction_text
from iku_formula.language.functions import FUNCTIONS
from iku_formula.numbers import exact_decimal, indonesian

REPO = Path(__file__).resolve().parents[1]
CATALOG_FILE = REPO / "catalog" / "iku-kanwil-bali-2024.toml"
EXAMPLE_FILE = REPO / "examples" / "contoh-realisasi-2024.csv"
SCREENSHOTS = REPO / "build" / "screenshots"
CI = bool(os.environ.get("CI"))

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def need(condition: object, reason: str) -> None:
    """Skip without ``condition``; on CI (CI set) fail instead, since CI must run the test."""
    if condition:
        return
    if CI:
        pytest.fail(f"{reason}; CI is set, so the documentation tests must run")
    pytest.skip(reason)


def has_module(name: str) -> bool:
    return importlib.util.find_spec(name) is not None


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog(CATALOG_FILE)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site, built once with ``mkdocs build --strict``."""
    for module in ("mkdocs", "material", "mkdocstrings", "mkdocstrings_handlers.python"):
        need(has_module(module), f"{module} is not installed (pip install '.[docs]')")
    need(has_module("latex2mathml"), "latex2mathml is not installed (pip install '.[docs]')")
    target = tmp_path_factory.mktemp("site")
    started = time.monotonic()
    completed = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(target)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        check=False,
    )
    assert completed.returncode == 0, f"mkdocs build --strict failed:\n{completed.stderr}"
    assert time.monotonic() - started < 60, "the documentation build takes too long"
    return target


@pytest.fixture(scope="module")
def mathml_hook() -> ModuleType:
    need(has_module("latex2mathml"), "latex2mathml is not installed (pip install '.[docs]')")
    spec = importlib.util.spec_from_file_location("docs_mathml", REPO / "docs/hooks/mathml.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def page(site: Path, path: str) -> str:
    return (site / path / "index.html").read_text(encoding="utf-8")


def indicator_page(site: Path, indicator: Indicator) -> str:
    return page(site, f"katalog/iku-{indicator.number}")


def article(html_text: str) -> str:
    """The page's main content, without navigation."""
    start = html_text.index("<article")
    return html_text[start : html_text.index("</article>", start)]


_MATH = re.compile(
    r'<(?P<tag>div|span) class="iku-math iku-math--(?P<kind>block|inline)" '
    r'data-latex="(?P<latex>[^"]*)">(?P<mathml><math\b.*?</math>)</(?P=tag)>',
    re.DOTALL,
)


def formulas(html_text: str) -> list[tuple[str, str, str]]:
    """(kind, LaTeX, MathML) of every formula on a page."""
    return [
        (match["kind"], html.unescape(match["latex"]), match["mathml"])
        for match in _MATH.finditer(html_text)
    ]


def text_of(html_text: str) -> str:
    """Visible text, entities decoded, white space collapsed."""
    without_math = re.sub(r"<math\b.*?</math>", " ", html_text, flags=re.DOTALL)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", without_math)).split())


def normalised(text: str) -> str:
    return " ".join(text.split())


# --------------------------------------------------------------------------- static checks


def test_every_indicator_has_a_page_and_an_overview_entry(site: Path, catalog: Catalog) -> None:
    overview = article(page(site, "katalog"))
    for indicator in catalog:
        content = article(indicator_page(site, indicator))
        assert f"IKU {indicator.number}:" in text_of(content)
        assert f'href="iku-{indicator.number}/"' in overview, indicator.number
    pages = {path.name for path in (site / "katalog").glob("iku-*")}
    assert pages == {f"iku-{indicator.number}" for indicator in catalog}


def test_overview_groups_the_24_sasaran(site: Path, catalog: Catalog) -> None:
    overview = article(page(site, "katalog"))
    assert len(catalog.objectives) == 24  # the source has 24 distinct sasaran
    text = text_of(overview)
    for objective in catalog.objectives:
        assert f'id="{objective.id}"' in overview
        assert normalised(objective.name) in text
    for indicator in catalog:
        assert normalised(indicator.target.text) in text


def test_formulas_are_the_library_rendering(
    site: Path, catalog: Catalog, mathml_hook: ModuleType
) -> None:
    for indicator in catalog:
        shown = formulas(indicator_page(site, indicator))
        assert shown, f"IKU {indicator.number}: no formula on the page"
        latexes = [latex for _, latex, _ in shown]
        expected = [indicator.latex, *(to_latex(part) for part in indicator.part_formulas)]
        if indicator.composed_formula != indicator.formula:
            expected.append(indicator.composed_latex)
            assert latexes[0] == indicator.composed_latex
        else:
            assert latexes[0] == indicator.latex
        for latex in expected:
            assert latex in latexes, f"IKU {indicator.number}: {latex} is not shown"
        for kind, latex, mathml in shown:
            assert mathml == mathml_hook.latex_to_mathml(latex, display=kind == "block")
            assert "<merror" not in mathml


def test_composite_indices_show_composition_and_expansion(site: Path, catalog: Catalog) -> None:
    composites = [i for i in catalog if i.composed_formula != i.formula]
    assert 29 in {i.number for i in composites}
    for indicator in [*composites, catalog[22]]:
        latexes = [latex for _, latex, _ in formulas(indicator_page(site, indicator))]
        assert indicator.composed_latex in latexes
        assert indicator.latex in latexes
        for name in indicator.references:
            assert f"<code>{name}</code>" in indicator_page(site, indicator)


def test_hand_written_math_becomes_mathml(site: Path) -> None:
    for path in ("formula-language", "rollup", "achievement", "notebook"):
        content = article(page(site, path))
        assert formulas(content), path
        assert 'class="arithmatex"' not in content  # nothing left for a script to render


def test_pages_show_the_catalog_text_word_for_word(site: Path, catalog: Catalog) -> None:
    for indicator in catalog:
        text = text_of(article(indicator_page(site, indicator)))
        number = indicator.number
        assert normalised(indicator.name) in text, number
        assert normalised(indicator.objective.name) in text, number
        assert normalised(indicator.target.text) in text, number
        assert indicator.polarity.label in text, number
        if indicator.source_formula and indicator.source_formula.strip():
            assert normalised(indicator.source_formula) in text, number
        else:
            assert "Tidak ada di sumber" in text, number
        for note in indicator.notes:
            assert normalised(note) in text, number
        for spec in indicator.input_specs:
            assert spec.name in text, number
            assert normalised(spec.label) in text, number
        for rule in getattr(indicator, "rules", ()):
            assert normalised(rule.text) in text, number


def test_worked_examples_are_the_library_results(site: Path, catalog: Catalog) -> None:
    with EXAMPLE_FILE.open(newline="", encoding="utf-8") as stream:
        record = next(csv.DictReader(stream))
    for indicator in catalog:
        result = indicator.evaluate({name: record[name] for name in indicator.inputs})
        content = article(indicator_page(site, indicator))
        example = content[content.index('id="contoh-perhitungan"') :]
        assert f"<strong>{result.status.label}</strong>" in example, indicator.number
        achievement = result.display_achievement()
        if achievement is not None:
            shown = f"{achievement:,}".replace(",", "_").replace(".", ",").replace("_", ".")
            assert f"{shown}&nbsp;%" in example, indicator.number


def test_search_index_is_local_and_covers_the_catalog(site: Path, catalog: Catalog) -> None:
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    locations = {doc["location"] for doc in index["docs"]}
    for indicator in catalog:
        assert f"katalog/iku-{indicator.number}/" in locations
    everything = " ".join(doc["title"] + " " + doc["text"] for doc in index["docs"])
    assert normalised(catalog[23].name) in normalised(everything)


_LOADS = re.compile(
    r"""<(?:script|img|iframe|source|audio|video|embed)\b[^>]*\bsrc=["']?(?P<src>[^"' >]+)"""
    r"""|<link\b[^>]*\bhref=["']?(?P<href>[^"' >]+)"""
    r"""|url\(\s*["']?(?P<url>[^"')]+)""",
    re.IGNORECASE,
)


def test_no_page_loads_anything_from_another_host(site: Path) -> None:
    offending = []
    for path in site.rglob("*"):
        if path.suffix not in (".html", ".css"):
            continue
        for match in _LOADS.finditer(path.read_text(encoding="utf-8", errors="replace")):
            target = match["src"] or match["href"] or match["url"]
            if target.startswith("data:"):
                continue
            if urlsplit(target).netloc or target.startswith("//"):
                offending.append(f"{path.relative_to(site)}: {target}")
    assert not offending, "\n".join(offending[:20])
    assert "fonts.googleapis" not in (site / "index.html").read_text(encoding="utf-8")


# --------------------------------------------------------------------------- in a browser


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def served(site: Path) -> Iterator[str]:
    """The built site on http://127.0.0.1:PORT/ (a thread, stopped after the tests)."""
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def chromium_path() -> str | None:
    return (
        os.environ.get("IKU_CHROMIUM")
        or shutil.which("chromium")
        or shutil.which("chromium-browser")
    )


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_site_in_headless_chromium(served: str, catalog: Catalog) -> None:
    executable = chromium_path()
    need(executable, "chromium is not installed (apt-get install chromium)")
    need(has_module("playwright"), "playwright is not installed (pip install playwright)")
    from playwright.sync_api import Route, sync_playwright

    requests: list[str] = []
    errors: list[str] = []

    def local_only(route: Route) -> None:
        # record, and never let a request leave the machine: the assertion below reports it
        requests.append(route.request.url)
        host = urlsplit(route.request.url).hostname
        if host == "127.0.0.1" or route.request.url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            route.abort()

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            context.route("**/*", local_only)
            context.on("request", lambda request: requests.append(request.url))
            tab = context.new_page()
            tab.on("pageerror", lambda error: errors.append(str(error)))
            tab.set_default_timeout(15_000)

            def math_boxes(path: str) -> list[tuple[float, float]]:
                tab.goto(f"{served}{path}", wait_until="load")
                boxes: list[tuple[float, float]] = tab.eval_on_selector_all(
                    "article math",
                    "elements => elements.map(e => {"
                    " const r = e.getBoundingClientRect(); return [r.width, r.height]; })",
                )
                return boxes

            pages = [f"katalog/iku-{indicator.number}/" for indicator in catalog]
            for path in (*pages, "formula-language/", "rollup/", "achievement/", "notebook/"):
                boxes = math_boxes(path)
                assert boxes, f"{path}: no <math> element"
                assert all(w > 0 and h > 0 for w, h in boxes), (path, boxes)

            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            tab.goto(f"{served}katalog/iku-22/", wait_until="load")
            tab.screenshot(path=str(SCREENSHOTS / "iku-22.png"), full_page=True)
            tab.goto(f"{served}katalog/", wait_until="load")
            tab.screenshot(path=str(SCREENSHOTS / "katalog.png"), full_page=False)

            for path in ("", "formula-language/", "rollup/", "api/"):
                tab.goto(f"{served}{path}", wait_until="load")

            # search runs in the browser, on the local index
            tab.goto(served, wait_until="load")
            tab.fill("input.md-search__input", "makanan")
            tab.wait_for_selector(".md-search-result__item", state="attached")
            results = tab.inner_text(".md-search-result")
            assert "makanan" in results.lower()
        finally:
            browser.close()

    outside = sorted(
        {url for url in requests if not url.startswith(("data:", "blob:"))}
        - {url for url in requests if urlsplit(url).hostname == "127.0.0.1"}
    )
    assert requests, "the browser made no request at all"
    assert not outside, f"requests that left localhost: {outside}"
    assert not errors, f"script errors: {errors}"
    width, height = png_size(SCREENSHOTS / "iku-22.png")
    assert width >= 1000
    assert height >= 1000
    assert (SCREENSHOTS / "iku-22.png").stat().st_size > 20_000


# --------------------------------------------------------------------------- the calculators


def _typed(value: Fraction, rng: random.Random) -> str:
    """``value`` as a person types it: a decimal comma or point, at random."""
    text = exact_decimal(value)
    assert text is not None
    return text.replace(".", ",") if rng.random() < 0.5 else text


def _random_values(indicator: Indicator, rng: random.Random, zeros: bool) -> dict[str, str]:
    """Valid values for every input; with ``zeros``, every count and amount 0 (so every
    denominator of them is 0) and every score at its minimum."""
    values = {}
    for spec in indicator.input_specs:
        kind = spec.kind.value
        if kind == "score":
            assert spec.minimum is not None
            assert spec.maximum is not None
            step = Fraction(0) if zeros else Fraction(rng.randint(0, 100), 100)
            values[spec.name] = _typed(spec.minimum + (spec.maximum - spec.minimum) * step, rng)
        elif zeros or rng.random() < 0.1:
            values[spec.name] = "0"
        elif kind == "count":
            values[spec.name] = str(rng.choice([rng.randint(1, 60), rng.randint(1, 2_000_000)]))
        else:
            values[spec.name] = _typed(Fraction(rng.randint(0, 10**9), 100), rng)
    return values


def _expected(indicator: Indicator, values: dict[str, str]) -> dict[str, tuple[str, str]]:
    """What the calculator must show, from the Python exact path rounded by the catalog's rule:
    output name -> (text, exact value "p/q" or "undefined")."""
    result = load_catalog(CATALOG_FILE).evaluate(values)[indicator.number]
    rule = indicator.achievement_rule

    def shown(value: Fraction | None, count: bool = False) -> tuple[str, str]:
        if value is None:
            return "tidak terdefinisi", "undefined"
        return indonesian(str(rule.display(value, count=count))), fraction_text(value)

    parts = list(result.parts) or [None]
    out = {
        "realisasi": shown(result.value, count=indicator.is_count),
        "capaian": shown(result.achievement),
        "status": (result.status.label, result.status.value),
    }
    if indicator.predikat is not None:
        band = result.predikat
        out["predikat"] = ("–", "none") if band is None else (band.text, band.code)
    for position, part in enumerate(parts if len(parts) > 1 else [], 1):
        assert part is not None
        if position > 1:
            out[f"realisasi-{position}"] = shown(part.value)
        out[f"capaian-{position}"] = shown(part.achievement)
    return out


def _rule_json(rule: AchievementRule) -> dict[str, Any]:
    """The fields of ``catalog.achievement`` the calculator's capaian reads."""
    return {
        "cap": None if rule.cap is None else fraction_text(rule.cap),
        "minimize": rule.minimize.value,
    }


_CAPAIAN_CASES = [
    (value, target, polarity, cap)
    for value, target in [
        ("45", "50"),
        ("50", "45"),
        ("0", "30"),
        ("7/3", "1/9"),
        ("200", "90"),
        ("12", "0"),
        ("-3", "5"),
    ]
    for polarity in Polarity
    for cap in [None, Fraction(120)]
]


def test_calculator_capaian_follows_the_catalog_rule() -> None:
    """The calculator's capaian on a small page, for every ``minimize`` setting (the bundled
    catalog uses only the default), polarity and cap: the exact value AchievementRule.achievement
    gives, or undefined where it is undefined, with the reason in Indonesian."""
    executable = chromium_path()
    need(executable, "chromium is not installed (apt-get install chromium)")
    need(has_module("playwright"), "playwright is not installed (pip install playwright)")
    from playwright.sync_api import sync_playwright

    script = (REPO / "docs" / "javascripts" / "iku-kalkulator.js").read_text(encoding="utf-8")
    cases = [
        (value, target, polarity, AchievementRule(cap=cap, minimize=minimize))
        for value, target, polarity, cap in _CAPAIAN_CASES
        for minimize in LowerIsBetter
    ]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            tab = browser.new_page()
            tab.set_content("<!doctype html><html><body></body></html>")
            tab.add_script_tag(content=script)
            assert tab.evaluate("window.ikuKalkulator.MINIMIZE") == [m.value for m in LowerIsBetter]
            shown = tab.evaluate(
                "cases => cases.map(c => window.ikuKalkulator.achievement(...c))",
                [
                    [value, target, polarity.value, _rule_json(rule)]
                    for value, target, polarity, rule in cases
                ],
            )
        finally:
            browser.close()
    undefined = 0
    for (value, target, polarity, rule), got in zip(cases, shown, strict=True):
        expected, _ = rule.achievement(Fraction(value), Fraction(target), polarity)
        where = (value, target, polarity, rule)
        if expected is None:
            undefined += 1
            reason = (
                "target bernilai 0, sehingga capaian tidak terdefinisi"
                if target == "0"
                else "realisasi bernilai 0, sehingga capaian (target / realisasi) tidak terdefinisi"
            )
            assert got == {"value": None, "reason": reason}, where
        else:
            assert got == {"value": fraction_text(expected), "reason": None}, where
    # target 0: 2 polarities x 2 caps x 2 settings; realisasi 0: minimised, inverse_ratio, 2 caps
    assert undefined == 8 + 2


def test_calculators_compute_what_the_library_computes(served: str, catalog: Catalog) -> None:
    """On every indicator page, random valid values (and zero denominators) typed into the
    calculator show realisasi, capaian, status and predikat exactly as the Python exact path,
    rounded by the catalog's rule, gives them; no request leaves the machine."""
    executable = chromium_path()
    need(executable, "chromium is not installed (apt-get install chromium)")
    need(has_module("playwright"), "playwright is not installed (pip install playwright)")
    from playwright.sync_api import Route, sync_playwright

    script = (REPO / "docs" / "javascripts" / "iku-kalkulator.js").read_text(encoding="utf-8")
    assert "innerHTML" not in script  # data is written with textContent only
    rng = random.Random(20241)
    errors: list[str] = []
    outside: list[str] = []
    checked = undefined = 0

    def local_only(route: Route) -> None:
        if urlsplit(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context()
            context.route("**/*", local_only)
            tab = context.new_page()
            tab.on("pageerror", lambda error: errors.append(str(error)))
            tab.set_default_timeout(15_000)
            for indicator in catalog:
                tab.goto(f"{served}katalog/iku-{indicator.number}/", wait_until="load")
                root = f'.iku-calculator[data-iku-indicator="{indicator.number}"]'
                tab.wait_for_selector(f'{root}[data-iku-ready="true"]', state="attached")
                functions = tab.evaluate("window.ikuKalkulator.FUNCTIONS")
                assert sorted(functions) == sorted(FUNCTIONS)
                for spec in indicator.input_specs:  # a labelled field per input
                    field = tab.locator(f'{root} input[name="{spec.name}"]')
                    label = tab.locator(f'{root} label[for="{field.get_attribute("id")}"]')
                    assert label.text_content() == spec.label
                for sample in range(3):
                    values = _random_values(indicator, rng, zeros=sample == 0)
                    for name, text in values.items():
                        tab.fill(f'{root} input[name="{name}"]', text)
                    expected = _expected(indicator, values)
                    for output, (text, exact) in expected.items():
                        element = tab.locator(f'{root} [data-iku-output="{output}"]')
                        shown = (element.text_content(), element.get_attribute("data-iku-exact"))
                        assert shown == (text, exact), (indicator.number, values, output)
                    note = tab.locator(f'{root} [data-iku-output="keterangan"]').text_content()
                    if expected["status"][1] == "undefined":
                        undefined += 1
                        assert note is not None
                        assert note.startswith("Tidak terdefinisi: "), (indicator.number, note)
                    checked += 1
            # a value that is no number is named, and nothing is computed from it
            tab.goto(f"{served}katalog/iku-3/", wait_until="load")
            tab.fill('.iku-calculator input[name="pengaduan_notaris_diperiksa"]', "abc")
            tab.fill('.iku-calculator input[name="pengaduan_notaris_masuk"]', "12,5")
            assert tab.text_content('[data-iku-output="realisasi"]') == "–"
            problems = tab.locator(".iku-calculator-problem").all_text_contents()
            assert problems == [
                "bukan angka; tulis misalnya 12 atau 3,5",
                "cacah berupa bilangan bulat 0 atau lebih",
            ]
        finally:
            browser.close()
    assert checked == 3 * len(catalog)
    assert undefined >= 40, undefined  # the zero-denominator samples are really undefined
    assert not errors, f"script errors: {errors}"
    assert not outside, f"requests that left localhost: {outside}"
