"""Jupyter reprs of Indicator, Evaluation and Catalog (``iku_formula.notebook``)."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from iku_formula import Catalog, load_catalog

from .conftest import indicator_toml


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


def _self_contained(page: str) -> None:
    assert page.strip()
    assert "http://" not in page
    assert "https://" not in page
    assert "<script" not in page
    assert "<link" not in page
    assert "<style" not in page
    assert page.count("<table") == page.count("</table>")
    assert page.count("<div") == page.count("</div>")


# (number, facts the indicator card must show)
INDICATORS = [
    pytest.param(
        23,
        [
            "IKU 23",
            "Persentase pemenuhan layanan makanan",
            "Sasaran: Meningkatnya Pelayanan Perawatan",
            "85%",
            "semakin tinggi semakin baik",
            r"$$\text{realisasi} = \frac{\mathrm{pemenuhan\_makanan}}"
            r"{\mathrm{jumlah\_tahanan}} \times 100\%$$",
            "<code>realisasi = persen(pemenuhan_makanan, jumlah_tahanan)</code>",
            "<code>jumlah_tahanan</code>",
            "Jumlah Tahanan/Narapidana/Anak",
            "cacah",
        ],
        id="23",
    ),
    pytest.param(
        29,
        [
            "rata_rata(persen_hiv_tersupresi, persen_tb_sembuh)",
            "Bagian tidak terdefinisi",
            "Catatan",
            "Formulasi sumber",
        ],
        id="29-composite",
    ),
    pytest.param(
        13,
        [
            "1 Kegiatan / 1 Rekomendasi Kebijakan",
            r"\text{realisasi}_{1} &amp;= \mathrm{kegiatan\_analisis\_evaluasi}",
            r"\text{realisasi}_{2} &amp;= \mathrm{rekomendasi\_kebijakan\_ae}",
            "<code>realisasi = rekomendasi_kebijakan_ae</code>",
        ],
        id="13-two-part",
    ),
    pytest.param(
        21, ["3.14", "rata_rata_tertimbang", "Responden internal survei"], id="21-weighted"
    ),
]


@pytest.mark.parametrize(("number", "facts"), INDICATORS)
def test_indicator_html(catalog: Catalog, number: int, facts: list[str]) -> None:
    page = catalog[number]._repr_html_()
    _self_contained(page)
    for fact in facts:
        assert fact in page, f"{fact!r} not in\n{page}"
    for note in catalog[number].notes:
        assert note.replace('"', "&quot;") in page


def test_indicator_latex(catalog: Catalog) -> None:
    assert catalog[23]._repr_latex_() == (
        r"$$\text{realisasi} = \frac{\mathrm{pemenuhan\_makanan}}{\mathrm{jumlah\_tahanan}}"
        r" \times 100\%$$"
    )
    two_parts = catalog[13]._repr_latex_()
    assert two_parts.startswith(r"$$\begin{aligned}")
    assert r"\text{realisasi}_{2} &= \mathrm{rekomendasi\_kebijakan\_ae}" in two_parts


def test_every_indicator_has_reprs(catalog: Catalog) -> None:
    for indicator in catalog:
        page = indicator._repr_html_()
        _self_contained(page)
        assert f"<strong>IKU {indicator.number}</strong>" in page
        latex = indicator._repr_latex_()
        assert latex.startswith("$$")
        assert latex.endswith("$$")
        assert indicator.latex in latex


EVALUATIONS = [
    pytest.param(
        23,
        {"pemenuhan_makanan": 850, "jumlah_tahanan": 1000},
        ["85.00%", "100.00%", "tercapai", "850", "1000", "85% (semakin tinggi semakin baik)"],
        r"\frac{850}{1000} \times 100\% = 85.00\%$$",
        id="23-met",
    ),
    pytest.param(
        29,
        {
            "narapidana_hiv_tersupresi": 9,
            "narapidana_hiv": 10,
            "narapidana_tb_sembuh": 2,
            "narapidana_tb_positif": 0,
        },
        ["90.00%", "Peringatan", "mean taken over the 1 defined of 2 parts"],
        r"\frac{\frac{9}{10} \times 100\% + \frac{2}{0} \times 100\%}{2} = 90.00\%$$",
        id="29-warning",
    ),
    pytest.param(
        23,
        {"pemenuhan_makanan": 0, "jumlah_tahanan": 0},
        ["tidak terdefinisi", "the denominator jumlah_tahanan is 0"],
        r"\text{tidak terdefinisi (the denominator jumlah}\_\text{tahanan is 0)}$$",
        id="23-undefined",
    ),
    pytest.param(
        13,
        {"kegiatan_analisis_evaluasi": 1, "rekomendasi_kebijakan_ae": 0},
        ["1 Kegiatan: 1 Kegiatan", "1 Rekomendasi Kebijakan: 0 Rekomendasi Kebijakan", "0.00%"],
        r"\text{realisasi}_{2} &= \mathrm{rekomendasi\_kebijakan\_ae} = 0\ "
        r"\text{Rekomendasi Kebijakan} \end{aligned}$$",
        id="13-two-part",
    ),
]


@pytest.mark.parametrize(("number", "values", "facts", "latex_end"), EVALUATIONS)
def test_evaluation_reprs(
    catalog: Catalog, number: int, values: dict[str, object], facts: list[str], latex_end: str
) -> None:
    evaluation = catalog[number].evaluate(values)
    page = evaluation._repr_html_()
    _self_contained(page)
    assert f"<strong>IKU {number}</strong>" in page
    assert evaluation.status.label in page
    for fact in facts:
        assert fact in page, f"{fact!r} not in\n{page}"
    latex = evaluation._repr_latex_()
    assert latex.startswith("$$")
    assert latex.endswith(latex_end), latex


def test_catalog_html(catalog: Catalog) -> None:
    page = catalog._repr_html_()
    _self_contained(page)
    assert catalog.title in page
    assert "55 indikator" in page
    rows = re.findall(r"<tr><td>(\d+)</td>", page)
    assert [int(number) for number in rows] == [indicator.number for indicator in catalog]
    groups = re.findall(r'<th colspan="4"[^>]*>Sasaran: ', page)
    assert len(groups) == len({indicator.objective.id for indicator in catalog})
    assert "1 Kegiatan / 1 Rekomendasi Kebijakan" in page
    assert "semakin tinggi semakin baik" in page
    assert len(page) < 20_000  # a table to glance at, not a report


def test_reprs_escape_catalog_text(make_catalog: Callable[..., Catalog]) -> None:
    catalog = make_catalog(
        indicator_toml(
            name="Nama <b>tebal</b>",
            notes=["catatan <i>miring</i> & lain"],
            source_formula="a < b",
        )
    )
    indicator = catalog[1]
    pages = [
        indicator._repr_html_(),
        indicator.evaluate({"a": 1, "b": 2})._repr_html_(),
        catalog._repr_html_(),
    ]
    for page in pages:
        _self_contained(page)
        assert "Nama &lt;b&gt;tebal&lt;/b&gt;" in page
        assert "<b>" not in page
    assert "catatan &lt;i&gt;miring&lt;/i&gt; &amp; lain" in pages[0]
    assert "a &lt; b" in pages[0]
