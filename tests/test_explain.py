"""Explanations: inputs to realisasi to capaian, as text, LaTeX and HTML (`iku_formula.explain`)."""

from __future__ import annotations

import re
from collections.abc import Callable
from fractions import Fraction

import pytest

from iku_formula import Catalog, Evaluation, InputKind, Status, load_catalog
from iku_formula.explain import (
    Explanation,
    Step,
    explain,
    latex_text,
    value_text,
)
from iku_formula.language.functions import Persen
from iku_formula.model import Indicator

from .conftest import indicator_toml

F = Fraction


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


def _steps(explanation: Explanation) -> dict[str, Step]:
    """Steps by "role" or, where roles repeat over levels, by "role/name"."""
    return {
        f"{step.role}/{step.name}" if step.name else step.role: step for step in explanation.steps
    }


def _balanced(latex: str) -> bool:
    depth = 0
    for match in re.finditer(r"\\[{}]|[{}]", latex):
        token = match.group()
        if token.startswith("\\"):
            continue
        depth += 1 if token == "{" else -1
        if depth < 0:
            return False
    return depth == 0


# --------------------------------------------------------------------------- table of cases

# (number, values, expected fragments of to_text(), of to_latex(), of to_html())
CASES = [
    pytest.param(
        23,
        {"pemenuhan_makanan": 850, "jumlah_tahanan": 1000},
        [
            "IKU 23: Persentase pemenuhan layanan makanan",
            "Rumus: realisasi = persen(pemenuhan_makanan, jumlah_tahanan)",
            "pemenuhan_makanan = 850 orang",
            "Pembilang: pemenuhan_makanan = 850 orang",
            "Penyebut: jumlah_tahanan = 1000 orang",
            "Realisasi: persen(pemenuhan_makanan, jumlah_tahanan) = persen(850, 1000) = 85.00%",
            "Target: 85% (semakin tinggi semakin baik; tercapai bila realisasi ≥ target)",
            "Capaian: realisasi / target × 100 = 85 / 85 × 100 = 100.00%",
            "2 desimal, dibulatkan setengah ke atas",
            "Status: tercapai",
        ],
        [
            r"\text{Pembilang} &= \mathrm{pemenuhan\_makanan} = 850\ \text{orang}",
            r"\frac{850}{1000} \times 100\% = 85.00\%",
            r"\frac{85}{85} \times 100 = 100.00\%",
            r"\text{Status} &: \text{tercapai}",
        ],
        ["Pembilang", "Penyebut", "850 orang", "1000 orang", "85.00%", "100.00%", "tercapai"],
        id="23-persen",
    ),
    pytest.param(
        31,
        {"jumlah_tahanan_berstatus_tahanan": 120, "tahanan_overstaying": 5},
        [
            "Pembilang: jumlah_tahanan_berstatus_tahanan - tahanan_overstaying = 120 - 5 = 115",
            "= persen(120 - 5, 120) = 95.83% (tepat: 575/6)",
            "Capaian: realisasi / target × 100 = (575/6) / 100 × 100 = 95.83% (tepat: 575/6)",
            "Status: tidak tercapai",
        ],
        [r"\frac{575}{6} \approx 95.83\%", r"\frac{120 - 5}{120} \times 100\%"],
        ["95.83% (tepat: 575/6)", "tidak tercapai"],
        id="31-numerator-is-a-difference",
    ),
    pytest.param(
        21,
        {
            "nilai_ipk_internal": "3.2",
            "responden_ipk_internal": 100,
            "nilai_ipk_eksternal": 3,
            "responden_ipk_eksternal": 50,
        },
        [
            "Nilai 1: nilai_ipk_internal = 3.2 indeks",
            "Bobot 1: responden_ipk_internal = 100 orang",
            "Nilai 2: nilai_ipk_eksternal = 3 indeks",
            "Bobot 2: responden_ipk_eksternal = 50 orang",
            "Jumlah nilai × bobot: ",
            "= 470",
            "Jumlah bobot: responden_ipk_eksternal + responden_ipk_internal = 50 + 100 = 150",
            "= rata_rata_tertimbang(3.2, 100, 3, 50) = 3.13 Indeks (tepat: 47/15)",
            "Capaian: realisasi / target × 100 = (47/15) / 3.14 × 100 = 99.79% (tepat: 47000/471)",
        ],
        [r"\text{Jumlah bobot}", r"\frac{47}{15} \approx 3.13\ \text{Indeks}"],
        ["Jumlah nilai × bobot", "Bobot 2", "3.13 Indeks (tepat: 47/15)"],
        id="21-weighted-mean",
    ),
    pytest.param(
        13,
        {"kegiatan_analisis_evaluasi": 1, "rekomendasi_kebijakan_ae": 0},
        [
            "Bagian target 1 (1 Kegiatan):",
            "  Realisasi: kegiatan_analisis_evaluasi = 1 Kegiatan",
            "  Capaian: 1 / 1 × 100 = 100.00%",
            "Bagian target 2 (1 Rekomendasi Kebijakan):",
            "  Realisasi: rekomendasi_kebijakan_ae = 0 Rekomendasi Kebijakan",
            "  Capaian: 0 / 1 × 100 = 0.00%",
            "Target: 1 Kegiatan / 1 Rekomendasi Kebijakan",
            "Capaian: 0.00%",
            "capaian keseluruhan adalah yang terendah dari 2 bagian",
            "Status: tidak tercapai",
        ],
        [
            r"\text{Bagian target 2 (1 Rekomendasi Kebijakan)}",
            r"\min(\text{capaian bagian}) = 0.00\%",
        ],
        ["Bagian target 1 (1 Kegiatan)", "Bagian target 2 (1 Rekomendasi Kebijakan)", "0.00%"],
        id="13-two-part-target",
    ),
    pytest.param(
        23,
        {"pemenuhan_makanan": 0, "jumlah_tahanan": 0},
        [
            "Realisasi: persen(pemenuhan_makanan, jumlah_tahanan) = persen(0, 0) = "
            "tidak terdefinisi (the denominator jumlah_tahanan is 0)",
            "Capaian: realisasi / target × 100 = tidak terdefinisi",
            "Status: tidak terdefinisi",
            "Alasan: the denominator jumlah_tahanan is 0",
        ],
        [r"\text{Alasan} &: \text{the denominator jumlah}\_\text{tahanan is 0}"],
        ["tidak terdefinisi", "the denominator jumlah_tahanan is 0"],
        id="23-undefined",
    ),
    pytest.param(
        2,
        {"penerimaan_pnbp_ahu": 1000, "penerimaan_pnbp_ahu_tahun_lalu": 0},
        [
            "Nilai periode ini: penerimaan_pnbp_ahu = 1000 rupiah",
            "Nilai periode sebelumnya: penerimaan_pnbp_ahu_tahun_lalu = 0 rupiah",
            "Selisih: penerimaan_pnbp_ahu - penerimaan_pnbp_ahu_tahun_lalu = 1000 - 0 = 1000",
            "Alasan: the previous-period value penerimaan_pnbp_ahu_tahun_lalu is 0",
            "Status: tidak terdefinisi",
        ],
        [r"\text{Selisih}"],
        ["Selisih", "growth is undefined"],
        id="2-growth-undefined",
    ),
    pytest.param(
        8,
        {"perancang_dibina": 21},
        [
            "Realisasi: perancang_dibina = 21 Orang",
            "Capaian: realisasi / target × 100 = 21 / 20 × 100 = 105.00%",
        ],
        [r"\text{Realisasi} &= \mathrm{perancang\_dibina} = 21\ \text{Orang}"],
        ["21 Orang", "105.00%"],
        id="8-count",
    ),
    pytest.param(
        1,
        {"nilai_total_survei_internal": 80},
        ["Realisasi: nilai_total_survei_internal/20 - 1 = 80/20 - 1 = 3.00 Indeks"],
        [r"\frac{80}{20} - 1 = 3.00\ \text{Indeks}"],
        ["3.00 Indeks", "96.77% (tepat: 3000/31)"],
        id="1-arithmetic",
    ),
]


@pytest.mark.parametrize(("number", "values", "texts", "latexes", "htmls"), CASES)
def test_renders_the_chain(
    catalog: Catalog,
    number: int,
    values: dict[str, object],
    texts: list[str],
    latexes: list[str],
    htmls: list[str],
) -> None:
    explanation = catalog[number].evaluate(values).explain(catalog)
    text, latex, page = explanation.to_text(), explanation.to_latex(), explanation.to_html()
    for fragment in texts:
        assert fragment in text, f"{fragment!r} not in\n{text}"
    for fragment in latexes:
        assert fragment in latex, f"{fragment!r} not in\n{latex}"
    for fragment in htmls:
        assert fragment in page, f"{fragment!r} not in\n{page}"
    assert latex.startswith(r"\begin{aligned}")
    assert latex.endswith(r"\end{aligned}")
    assert _balanced(latex)
    assert str(explanation) == text


# --------------------------------------------------------------------------- structure


def test_persen_steps_are_numerator_and_denominator(catalog: Catalog) -> None:
    evaluation = catalog[23].evaluate({"pemenuhan_makanan": 850, "jumlah_tahanan": 1000})
    explanation = evaluation.explain()
    assert [(s.role, s.name, s.value, s.level) for s in explanation.steps] == [
        ("Pembilang", "pemenuhan_makanan", F(850), 0),
        ("Penyebut", "jumlah_tahanan", F(1000), 0),
    ]
    assert explanation.steps[0].label == (
        "Tahanan/Narapidana/Anak yang terpenuhi layanan makanannya sesuai standar"
    )
    assert (explanation.value, explanation.achievement) == (F(85), F(100))
    assert str(explanation.display_value) == "85.00"
    assert str(explanation.display_achievement) == "100.00"
    assert explanation.status is Status.MET
    assert explanation.parts[0].substituted_text == "persen(850, 1000)"
    assert explanation.parts[0].achievement_text == "85 / 85 × 100"
    assert [(i.name, i.unit, i.value) for i in explanation.inputs] == [
        ("pemenuhan_makanan", "orang", F(850)),
        ("jumlah_tahanan", "orang", F(1000)),
    ]
    assert explanation.warnings == ()


def test_composite_with_an_undefined_part_skipped(catalog: Catalog) -> None:
    values = {
        "narapidana_hiv_tersupresi": 9,
        "narapidana_hiv": 10,
        "narapidana_tb_sembuh": 0,
        "narapidana_tb_positif": 0,
    }
    explanation = catalog[29].evaluate(values).explain(catalog)
    rows = [(s.role, s.name, s.value, s.level, s.note) for s in explanation.steps]
    skipped = "tidak diikutkan dalam rata-rata"
    assert rows == [
        ("Komponen 1", "persen_hiv_tersupresi", F(90), 0, None),
        ("Pembilang", "narapidana_hiv_tersupresi", F(9), 1, None),
        ("Penyebut", "narapidana_hiv", F(10), 1, None),
        ("Komponen 2", "persen_tb_sembuh", None, 0, skipped),
        ("Pembilang", "narapidana_tb_sembuh", F(0), 1, None),
        ("Penyebut", "narapidana_tb_positif", F(0), 1, None),
    ]
    hiv, tb = explanation.steps[0], explanation.steps[3]
    assert hiv.label == "Persentase narapidana dengan HIV-AIDS yang ditekan jumlah virusnya (A)"
    assert hiv.unit == "%"
    assert hiv.text == "persen(narapidana_hiv_tersupresi, narapidana_hiv)"
    assert hiv.substituted_text == "persen(9, 10)"
    assert tb.reason == "the denominator narapidana_tb_positif is 0"
    assert explanation.value == F(90)
    assert explanation.composed_text == "rata_rata(persen_hiv_tersupresi, persen_tb_sembuh)"
    assert len(explanation.warnings) == 1
    assert "mean taken over the 1 defined of 2 parts" in explanation.warnings[0]
    text, latex, page = explanation.to_text(), explanation.to_latex(), explanation.to_html()
    assert "(ditulis di katalog: rata_rata(persen_hiv_tersupresi, persen_tb_sembuh))" in text
    assert (
        "  Komponen 2: persen_tb_sembuh = persen(narapidana_tb_sembuh, narapidana_tb_positif) = "
        "persen(0, 0) = tidak terdefinisi (the denominator narapidana_tb_positif is 0)"
    ) in text
    assert f"[{skipped}]" in text
    assert "    Penyebut: narapidana_tb_positif = 0 orang" in text  # nested one level deeper
    assert "Peringatan:\n  - mean taken over the 1 defined of 2 parts" in text
    assert r"\text{Peringatan} &: \text{mean taken over the 1 defined of 2 parts" in latex
    assert r"\quad \text{Penyebut}" in latex
    assert "<strong>Peringatan</strong>" in page
    assert "mean taken over the 1 defined" in page
    assert f"<em>{skipped}</em>" in page


def test_composite_without_catalog_names_parts_by_reference(catalog: Catalog) -> None:
    values = {
        "narapidana_hiv_tersupresi": 9,
        "narapidana_hiv": 10,
        "narapidana_tb_sembuh": 4,
        "narapidana_tb_positif": 5,
    }
    explanation = catalog[29].evaluate(values).explain()
    components = [s for s in explanation.steps if s.level == 0]
    assert [(s.name, s.label, s.value) for s in components] == [
        ("persen_hiv_tersupresi", None, F(90)),
        ("persen_tb_sembuh", None, F(80)),
    ]
    assert explanation.value == F(85)
    assert explanation.warnings == ()


def test_composite_undefined_when_parts_may_not_be_skipped(
    make_catalog: Callable[..., Catalog],
) -> None:
    catalog = make_catalog(
        indicator_toml(formula="rata_rata(persen(a, b), persen(c, d))", inputs=["a", "b", "c", "d"])
    )
    explanation = catalog[1].evaluate({"a": 1, "b": 2, "c": 1, "d": 0}).explain()
    assert explanation.status is Status.UNDEFINED
    assert explanation.steps[3].note == "membuat rata-rata tidak terdefinisi"
    assert explanation.reason is not None
    assert "part of the mean is undefined" in explanation.reason
    assert "Alasan: part of the mean is undefined" in explanation.to_text()


def test_nine_sub_indices_are_listed(catalog: Catalog) -> None:
    indicator = catalog[22]
    values = {name: 80 + i for i, name in enumerate(indicator.inputs)}
    explanation = indicator.evaluate(values).explain()
    assert [s.role for s in explanation.steps] == [f"Komponen {i}" for i in range(1, 10)]
    assert [s.name for s in explanation.steps] == list(indicator.inputs)
    assert [s.value for s in explanation.steps] == [F(80 + i) for i in range(9)]
    assert [s.label for s in explanation.steps] == [spec.label for spec in indicator.input_specs]
    assert explanation.value == F(84)
    text = explanation.to_text()
    assert "Komponen 9: indeks_keberhasilan_program = 88 indeks (Indeks Keberhasilan Program)" in (
        text
    )
    assert "= rata_rata(80, 81, 82, 83, 84, 85, 86, 87, 88) = 84.00 Indeks" in text
    page = explanation.to_html()
    for spec in indicator.input_specs:
        assert spec.label in page


def test_weighted_mean_totals_come_from_the_evaluator(catalog: Catalog) -> None:
    values = {
        "nilai_ipk_internal": "3.2",
        "responden_ipk_internal": 100,
        "nilai_ipk_eksternal": 3,
        "responden_ipk_eksternal": 50,
    }
    evaluation = catalog[21].evaluate(values)
    totals = {s.role: s.value for s in evaluation.explain().steps}
    assert totals["Jumlah nilai × bobot"] == evaluation.numerator == F(470)
    assert totals["Jumlah bobot"] == evaluation.denominator == F(150)
    assert evaluation.explain().value == F(47, 15)


def test_two_part_target(catalog: Catalog) -> None:
    evaluation = catalog[13].evaluate(
        {"kegiatan_analisis_evaluasi": 2, "rekomendasi_kebijakan_ae": 1}
    )
    explanation = evaluation.explain()
    assert [(p.index, p.target_text, p.value, p.achievement, p.met) for p in explanation.parts] == [
        (1, "1 Kegiatan", F(2), F(200), True),
        (2, "1 Rekomendasi Kebijakan", F(1), F(100), True),
    ]
    assert [str(p.display_value) for p in explanation.parts] == ["2", "1"]
    assert explanation.achievement == F(100)
    assert explanation.rule.combine_text is not None
    assert explanation.status is Status.MET
    assert "Capaian: 2 / 1 × 100 = 200.00%" in explanation.to_text()


def test_undefined_reason_is_shown_everywhere(catalog: Catalog) -> None:
    explanation = catalog[23].evaluate({"pemenuhan_makanan": 0, "jumlah_tahanan": 0}).explain()
    reason = "the denominator jumlah_tahanan is 0"
    assert explanation.value is None
    assert explanation.achievement is None
    assert explanation.reason == reason
    assert explanation.parts[0].reason == reason
    assert explanation.parts[0].achievement_text is None
    assert explanation.status is Status.UNDEFINED
    assert reason in explanation.to_text()
    assert reason in explanation.to_html()
    assert r"jumlah}\_\text{tahanan is 0}" in explanation.to_latex()


def test_minimize_with_cap_and_truncation(make_catalog: Callable[..., Catalog]) -> None:
    extra = '\n[catalog.achievement]\ncap = 120\nrounding = "truncate"\nplaces = 2\n'
    catalog = make_catalog(indicator_toml(polarity="minimize", target="10%"), extra=extra)
    capped = catalog[1].evaluate({"a": 1, "b": 40}).explain()
    assert capped.achievement == F(120)
    assert capped.rule.text == "min(120, maks(0, (2 − realisasi / target) × 100))"
    assert capped.rule.met_text == "tercapai bila realisasi ≤ target"
    text = capped.to_text()
    assert "= min(120, maks(0, (2 − 2.5 / 10) × 100)) = min(120, 175.00) = 120.00%" in text
    assert "semakin rendah semakin baik" in text
    assert "2 desimal, dipotong" in text
    assert r"\min\left(120, 175.00\right) = 120.00\%" in capped.to_latex()
    floored = catalog[1].evaluate({"a": 1, "b": 3}).explain()
    assert floored.achievement == F(0)
    assert "Realisasi: persen(a, b) = persen(1, 3) = 33.33% (tepat: 100/3)" in floored.to_text()
    assert "(2 − (100/3) / 10) × 100)) = 0.00%" in floored.to_text()


def test_target_zero_gives_an_undefined_capaian(make_catalog: Callable[..., Catalog]) -> None:
    catalog = make_catalog(indicator_toml(target="0%"))
    explanation = catalog[1].evaluate({"a": 1, "b": 2}).explain()
    assert explanation.value == F(50)
    assert explanation.achievement is None
    text = explanation.to_text()
    assert "Realisasi: persen(a, b) = persen(1, 2) = 50.00%" in text
    assert "Capaian: realisasi / target × 100 = tidak terdefinisi (the target is 0" in text


def test_rule_violation_is_a_warning(catalog: Catalog) -> None:
    explanation = (
        catalog[23].evaluate({"pemenuhan_makanan": 1200, "jumlah_tahanan": 1000}).explain()
    )
    assert explanation.warnings
    text = explanation.to_text()
    assert "Peringatan:" in text
    for warning in explanation.warnings:
        assert f"  - {warning}" in text


# --------------------------------------------------------------------------- every indicator


def _sample(indicator: Indicator) -> dict[str, object]:
    values: dict[str, object] = {}
    for i, spec in enumerate(indicator.input_specs):
        if spec.kind is InputKind.SCORE:
            assert spec.minimum is not None
            assert spec.maximum is not None
            values[spec.name] = (spec.minimum + spec.maximum) / 2
        else:
            values[spec.name] = 30 - i  # numerators above denominators only by accident
    return values


@pytest.mark.parametrize("number", range(1, 56))
def test_every_indicator_explains_consistently(catalog: Catalog, number: int) -> None:
    indicator = catalog[number]
    evaluation: Evaluation = indicator.evaluate(_sample(indicator))
    explanation = explain(evaluation, catalog)
    assert explanation.number == number
    assert (explanation.value, explanation.achievement) == (
        evaluation.value,
        evaluation.achievement,
    )
    assert explanation.status is evaluation.status
    assert explanation.warnings == evaluation.warnings
    assert explanation.formula_text == indicator.formula_text
    for step in explanation.steps:
        if step.name in evaluation.inputs:
            assert step.value == evaluation.inputs[step.name]
        assert (step.value is None) == (step.reason is not None)
    if isinstance(indicator.formula, Persen):
        numerator, denominator = explanation.steps[0], explanation.steps[1]
        assert (numerator.value, denominator.value) == (
            evaluation.numerator,
            evaluation.denominator,
        )
    text, latex, page = explanation.to_text(), explanation.to_latex(), explanation.to_html()
    assert text.startswith(f"IKU {number}: ")
    assert f"Status: {evaluation.status.label}" in text
    assert _balanced(latex)
    assert page.startswith('<div class="iku-explanation">')
    assert page.endswith("</div>")
    assert "http://" not in page
    assert "https://" not in page
    assert "<script" not in page
    assert "<link" not in page


# --------------------------------------------------------------------------- HTML safety


def test_html_escapes_catalog_text(make_catalog: Callable[..., Catalog]) -> None:
    catalog = make_catalog(
        indicator_toml(name="Nama <b>tebal</b> & <script>x</script>", target="90%")
    )
    explanation = catalog[1].evaluate({"a": 9, "b": 10}).explain()
    page = explanation.to_html()
    assert "Nama &lt;b&gt;tebal&lt;/b&gt; &amp; &lt;script&gt;x&lt;/script&gt;" in page
    assert "<b>" not in page
    assert "<script" not in page
    assert "http://" not in page
    assert "https://" not in page
    assert "Nama <b>tebal</b>" in explanation.to_text()  # text stays as written
    assert r"\text{IKU 1: Nama }<\text{b}>\text{tebal}<\text{/b}>\text{ }\&" in (
        explanation.to_latex()
    )


def test_jupyter_reprs_of_an_explanation(catalog: Catalog) -> None:
    explanation = catalog[23].evaluate({"pemenuhan_makanan": 850, "jumlah_tahanan": 1000}).explain()
    assert explanation._repr_html_() == explanation.to_html()
    assert explanation._repr_latex_() == f"$${explanation.to_latex()}$$"
    assert r"\(\frac{850}{1000} \times 100\%\)" in explanation.to_html()
    assert repr(explanation) == "<Explanation IKU 23: tercapai>"


# --------------------------------------------------------------------------- helpers


def test_value_text_shows_exact_where_rounding_changes_it() -> None:
    from iku_formula import AchievementRule

    rule = AchievementRule()
    assert value_text(F(85), rule, "%") == "85%"
    assert value_text(F(1, 8), rule) == "0.13 (tepat: 0.125)"
    assert value_text(F(250, 3), rule, "Indeks") == "83.33 Indeks (tepat: 250/3)"


def test_latex_text_escapes_specials() -> None:
    assert latex_text("plain") == r"\text{plain}"
    assert latex_text("50% a_b & {c}") == (r"\text{50}\%\text{ a}\_\text{b }\&\text{ }\{\text{c}\}")
    assert latex_text("x ≥ y") == r"\text{x }\geq{}\text{ y}"
