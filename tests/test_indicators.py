"""Every indicator of the bundled catalog, hand-computed, and every source defect's reading.

Each row gives realised values, the realisasi worked out by hand and the expected
status against the 2024 target. The defect tests below pin how each defect of the
source table is read, so that a change of reading is a deliberate, visible change.
"""

from __future__ import annotations

from fractions import Fraction

import pytest
import sympy

from iku_formula import Catalog, Polarity, Status, load_catalog
from iku_formula.language.functions import Persen, Pertumbuhan, RataRata, RataRataTertimbang

F = Fraction
MET, NOT_MET, UNDEFINED = Status.MET, Status.NOT_MET, Status.UNDEFINED


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


S = sympy.Symbol

# (number, values, realisasi by hand, status)
CASES: list[tuple[int, dict[str, object], Fraction | None, Status]] = [
    (1, {"nilai_total_survei_internal": 84}, F(84, 20) - 1, MET),  # 3.2 >= 3.1
    (1, {"nilai_total_survei_internal": 80}, F(3), NOT_MET),
    (
        2,
        {"penerimaan_pnbp_ahu": 10_500_000, "penerimaan_pnbp_ahu_tahun_lalu": 10_000_000},
        F(5),
        MET,
    ),
    (
        2,
        {"penerimaan_pnbp_ahu": 9_000_000, "penerimaan_pnbp_ahu_tahun_lalu": 10_000_000},
        F(-10),
        NOT_MET,
    ),
    (2, {"penerimaan_pnbp_ahu": 5, "penerimaan_pnbp_ahu_tahun_lalu": 0}, None, UNDEFINED),
    (3, {"pengaduan_notaris_diperiksa": 22, "pengaduan_notaris_masuk": 25}, F(88), MET),
    (4, {"indeks_penegakan_hukum_ki": "3,1"}, F(31, 10), MET),
    (4, {"indeks_penegakan_hukum_ki": "3,09"}, F(309, 100), NOT_MET),
    (5, {"masyarakat_memahami_ki": 140, "masyarakat_diseminasi_ki": 200}, F(70), MET),
    (6, {"permohonan_ki": 1170, "permohonan_ki_tahun_lalu": 1000}, F(17), MET),
    (6, {"permohonan_ki": 1100, "permohonan_ki_tahun_lalu": 1000}, F(10), NOT_MET),
    (
        7,
        {
            "rancangan_produk_hukum_daerah_diharmonisasi": 40,
            "permohonan_harmonisasi_produk_hukum_daerah": 50,
        },
        F(80),
        MET,
    ),
    (8, {"perancang_dibina": 19}, F(19), NOT_MET),
    (8, {"perancang_dibina": 20}, F(20), MET),
    (9, {"pemda_aksi_ham_tercapai": 4}, F(4), MET),
    (10, {"kabkota_predikat_peduli_ham": 1}, F(1), NOT_MET),
    (11, {"instansi_tindak_lanjut_diseminasi_ham": 1}, F(1), MET),
    (12, {"rekomendasi_produk_hukum_daerah_ham": 3}, F(3), MET),
    (13, {"kegiatan_analisis_evaluasi": 1, "rekomendasi_kebijakan_ae": 1}, F(1), MET),
    (13, {"kegiatan_analisis_evaluasi": 2, "rekomendasi_kebijakan_ae": 0}, F(2), NOT_MET),
    (14, {"kegiatan_fasilitasi_perencanaan_perda": 0}, F(0), NOT_MET),
    (15, {"anggota_jdih_aktif": 30, "anggota_jdih": 120}, F(25), MET),
    (
        16,
        {"penerima_bantuan_hukum_litigasi": 41, "permohonan_bantuan_hukum_litigasi": 50},
        F(82),
        MET,
    ),
    (
        17,
        {"penerima_bantuan_hukum_nonlitigasi": 39, "permohonan_bantuan_hukum_nonlitigasi": 50},
        F(78),
        NOT_MET,
    ),
    (18, {"desa_binaan_sesuai_kriteria": 7, "desa_usulan_kanwil": 10}, F(70), MET),
    (
        19,
        {"rekomendasi_kebijakan_dimanfaatkan": 4, "rekomendasi_kebijakan_disampaikan": 5},
        F(80),
        MET,
    ),
    (20, {"ikm_keimigrasian": "3.31"}, F(331, 100), MET),
    (
        21,
        {
            "nilai_ipk_internal": "3.2",
            "responden_ipk_internal": 30,
            "nilai_ipk_eksternal": 3,
            "responden_ipk_eksternal": 10,
        },
        F(315, 100),
        MET,
    ),
    (
        21,
        {
            "nilai_ipk_internal": 3,
            "responden_ipk_internal": 0,
            "nilai_ipk_eksternal": 3,
            "responden_ipk_eksternal": 0,
        },
        None,
        UNDEFINED,
    ),
    (23, {"pemenuhan_makanan": 850, "jumlah_tahanan": 1000}, F(85), MET),
    (24, {"kesehatan_preventif_berkualitas": 940, "jumlah_tahanan": 1000}, F(94), NOT_MET),
    (25, {"ibu_hamil_menyusui_layanan_maternal": 49, "ibu_hamil_menyusui": 50}, F(98), MET),
    (26, {"gangguan_mental_tertangani": 9, "gangguan_mental": 10}, F(90), MET),
    (27, {"lansia_layanan_kesehatan": 45, "lansia_butuh_layanan_kesehatan": 50}, F(90), MET),
    (
        28,
        {"disabilitas_layanan_kesehatan": 8, "disabilitas_butuh_layanan_kesehatan": 9},
        F(800, 9),
        NOT_MET,
    ),
    (30, {"rehabilitasi_kualitas_hidup_berubah": 29, "narapidana_rehabilitasi": 100}, F(29), MET),
    (31, {"jumlah_tahanan_berstatus_tahanan": 400, "tahanan_overstaying": 0}, F(100), MET),
    (31, {"jumlah_tahanan_berstatus_tahanan": 400, "tahanan_overstaying": 4}, F(99), NOT_MET),
    (32, {"tahanan_penyuluhan_hukum": 400, "jumlah_tahanan_berstatus_tahanan": 400}, F(100), MET),
    (33, {"tahanan_bantuan_hukum": 300, "jumlah_tahanan_berstatus_tahanan": 400}, F(75), NOT_MET),
    (
        34,
        {"narapidana_kepribadian_memuaskan": 75, "narapidana_dinilai_kepribadian": 100},
        F(75),
        MET,
    ),
    (35, {"narapidana_remisi": 200, "narapidana_syarat_remisi": 200}, F(100), MET),
    (
        36,
        {"narapidana_reintegrasi_sosial": 90, "narapidana_syarat_reintegrasi_sosial": 100},
        F(90),
        MET,
    ),
    (37, {"narapidana_hak_pendidikan": 27, "narapidana_tanpa_pendidikan_formal": 30}, F(90), MET),
    (
        38,
        {"narapidana_risiko_tinggi_berubah": 2, "narapidana_risiko_tinggi_dibina": 10},
        F(20),
        MET,
    ),
    (39, {"narapidana_vokasi_bersertifikat": 340, "jumlah_narapidana": 1000}, F(34), MET),
    (40, {"narapidana_bekerja_produktif": 77, "narapidana_asimilasi": 100}, F(77), MET),
    (41, {"rekomendasi_lelang_basan_baran": 9, "penilaian_depresiasi_basan_baran": 10}, F(90), MET),
    (42, {"basan_dieksekusi": 19, "basan_inkracht": 20}, F(95), NOT_MET),
    (43, {"pengaduan_upt_diselesaikan": 18, "pengaduan_upt_masuk": 20}, F(90), MET),
    (44, {"gangguan_kamtib_dicegah": 9, "gangguan_kamtib": 10}, F(90), MET),
    (45, {"pelaku_gangguan_kamtib": 20, "pelaku_kamtib_mengulangi": 2}, F(90), MET),
    (45, {"pelaku_gangguan_kamtib": 20, "pelaku_kamtib_mengulangi": 5}, F(75), NOT_MET),
    (46, {"pemulihan_kamtib_tuntas": 10, "gangguan_kamtib": 10}, F(100), MET),
    (47, {"klien_usia_produktif_bekerja": 70, "klien_usia_produktif": 100}, F(70), MET),
    (48, {"pendampingan_anak": 40, "anak_putusan_pidana_penjara": 10}, F(75), MET),
    (48, {"pendampingan_anak": 40, "anak_putusan_pidana_penjara": 30}, F(25), NOT_MET),
    (49, {"klien_anak_melanjutkan_pendidikan": 4, "klien_anak": 10}, F(40), MET),
    (50, {"anak_terampil": 17, "anak_pendidikan_keterampilan": 20}, F(85), MET),
    (51, {"anak_hak_integrasi": 5, "anak_syarat_integrasi": 5}, F(100), MET),
    (52, {"anak_hak_pengasuhan": 30, "jumlah_anak": 30}, F(100), MET),
    (53, {"anak_pendidikan_formal_nonformal": 29, "jumlah_anak": 30}, F(290, 3), NOT_MET),
    (54, {"lpp_dibangun": 1}, F(1), MET),
    (55, {"upt_direhabilitasi": 3}, F(3), MET),
]

IPPW_INPUTS = [
    "indeks_kepuasan_layanan_pemasyarakatan",
    "indeks_derajat_kesehatan",
    "indeks_kamtib_upt_pemasyarakatan",
    "indeks_pelayanan_tahanan",
    "indeks_pengelolaan_basan_baran",
    "indeks_keberhasilan_pembinaan_narapidana",
    "indeks_pemenuhan_hak_narapidana",
    "indeks_pembinaan_khusus_anak",
    "indeks_keberhasilan_program",
]
CASES += [
    (22, dict(zip(IPPW_INPUTS, [80, 85, 90, 75, 80, 85, 90, 80, 82], strict=True)), F(747, 9), MET),
    (22, dict.fromkeys(IPPW_INPUTS, "82,5"), F(165, 2), NOT_MET),
    (
        29,
        {
            "narapidana_hiv_tersupresi": 45,
            "narapidana_hiv": 50,
            "narapidana_tb_sembuh": 19,
            "narapidana_tb_positif": 20,
        },
        F(185, 2),
        MET,
    ),
]


def test_every_indicator_has_a_hand_computed_case() -> None:
    assert {number for number, *_ in CASES} == set(range(1, 56))


@pytest.mark.parametrize(
    ("number", "values", "value", "status"),
    CASES,
    ids=[f"IKU{number}-{i}" for i, (number, *_) in enumerate(CASES)],
)
def test_indicator_by_hand(
    catalog: Catalog, number: int, values: dict[str, object], value: Fraction | None, status: Status
) -> None:
    indicator = catalog[number]
    result = indicator.evaluate(values)
    assert result.value == value
    assert result.status is status
    if value is not None:
        target = indicator.target.value
        expected = value / target * 100 if indicator.polarity is Polarity.MAXIMIZE else None
        if len(indicator.target.parts) == 1:
            assert result.achievement == expected
    else:
        assert result.reason


def test_every_formula_uses_exactly_its_inputs(catalog: Catalog) -> None:
    for indicator in catalog:
        used = {symbol.name for symbol in indicator.formula.free_symbols}
        for part in indicator.part_formulas:
            used |= {symbol.name for symbol in part.free_symbols}
        assert used == set(indicator.inputs), indicator.number


def test_shared_and_distinct_populations(catalog: Catalog) -> None:
    # the same quantity is one input ...
    assert "jumlah_tahanan" in catalog[23].inputs
    assert "jumlah_tahanan" in catalog[24].inputs
    assert set(catalog[31].inputs) & set(catalog[32].inputs) & set(catalog[33].inputs) == {
        "jumlah_tahanan_berstatus_tahanan"
    }
    assert "gangguan_kamtib" in catalog[44].inputs
    assert "gangguan_kamtib" in catalog[46].inputs
    assert "jumlah_anak" in catalog[52].inputs
    assert "jumlah_anak" in catalog[53].inputs
    # ... and a different population is a different input
    assert "jumlah_tahanan" not in catalog[31].inputs  # detainees only, not all inmates
    assert "jumlah_tahanan" not in catalog[39].inputs  # narapidana only
    assert set(catalog[3].inputs).isdisjoint(catalog[43].inputs)  # notary vs UPT complaints
    assert set(catalog[16].inputs).isdisjoint(catalog[17].inputs)  # litigasi vs non litigasi


def test_polarities_after_the_readings(catalog: Catalog) -> None:
    assert {indicator.polarity for indicator in catalog} == {Polarity.MAXIMIZE}


# --- the source's defects, one reading each --------------------------------------------


def test_defect_1_literal_reading(catalog: Catalog) -> None:
    """ "nilai total survey internal : 20 dikurangi 1" read left to right: total / 20 - 1."""
    (total,) = catalog[1].formula.free_symbols
    assert catalog[1].formula == total / 20 - 1
    assert catalog[1].evaluate({"nilai_total_survei_internal": 82}).value == F(31, 10)
    assert any("harfiah" in note for note in catalog[1].notes)


def test_defect_2_precedence_read_as_growth(catalog: Catalog) -> None:
    """As written, a - b / c divides only last year's receipts: read as growth over 2023."""
    indicator = catalog[2]
    assert isinstance(indicator.formula, Pertumbuhan)
    values = {"penerimaan_pnbp_ahu": 1200, "penerimaan_pnbp_ahu_tahun_lalu": 1000}
    as_written = (F(1200) - F(1000) / 1000) * 100
    assert indicator.evaluate(values).value == 20 != as_written
    assert "PNPB" in indicator.name
    assert indicator.label is not None
    assert "PNBP" in indicator.label
    assert "PNPB" not in indicator.label


@pytest.mark.parametrize("number", [4, 5, 6])
def test_defect_missing_formulas_have_a_reading_and_a_note(catalog: Catalog, number: int) -> None:
    indicator = catalog[number]
    assert indicator.source_formula is None
    assert indicator.notes


def test_defect_4_decimal_comma_target(catalog: Catalog) -> None:
    assert catalog[4].target.text == "3,1 Indeks"
    assert catalog[4].target.value == F(31, 10)
    assert catalog[4].target.unit == "Indeks"


def test_defect_5_and_6_follow_their_names(catalog: Catalog) -> None:
    assert isinstance(catalog[5].formula, Persen)
    assert isinstance(catalog[6].formula, Pertumbuhan)
    assert catalog[6].objective == catalog[5].objective  # blank sasaran cell continues #5's


@pytest.mark.parametrize("number", [9, 10, 11, 12])
def test_defect_count_targets_with_percentage_formulas(catalog: Catalog, number: int) -> None:
    """The source divides and multiplies by 100%; the target is a count, so realisasi is one."""
    indicator = catalog[number]
    assert "x 100%" in (indicator.source_formula or "")
    assert indicator.target.unit in {"Instansi Pemerintah", "Rekomendasi"}
    assert isinstance(indicator.formula, sympy.Symbol)
    assert indicator.notes


def test_defect_11_counts_follow_up_not_reach(catalog: Catalog) -> None:
    (name,) = catalog[11].inputs
    assert "tindak_lanjut" in name


def test_defect_13_two_part_target(catalog: Catalog) -> None:
    indicator = catalog[13]
    assert [(part.value, part.unit) for part in indicator.target.parts] == [
        (1, "Kegiatan"),
        (1, "Rekomendasi Kebijakan"),
    ]
    assert len(indicator.part_formulas) == 1
    result = indicator.evaluate({"kegiatan_analisis_evaluasi": 1, "rekomendasi_kebijakan_ae": 0})
    assert result.status is NOT_MET
    assert result.achievement == 0


def test_defect_20_realisasi_is_the_index_not_capaian(catalog: Catalog) -> None:
    indicator = catalog[20]
    assert ":" in (indicator.source_formula or "")  # the source divides by the target
    assert isinstance(indicator.formula, sympy.Symbol)
    result = indicator.evaluate({"ikm_keimigrasian": "3,63"})
    assert result.value == F(363, 100)
    assert result.achievement == 110  # capaian is computed by the library, once
    assert indicator.target.unit == "Indeks"


def test_defect_21_weighted_by_respondents(catalog: Catalog) -> None:
    indicator = catalog[21]
    assert isinstance(indicator.formula, RataRataTertimbang)
    values = {
        "nilai_ipk_internal": 4,
        "responden_ipk_internal": 1,
        "nilai_ipk_eksternal": 1,
        "responden_ipk_eksternal": 3,
    }
    assert indicator.evaluate(values).value == F(7, 4)  # (4*1 + 1*3) / 4
    assert (indicator.evaluate(values).numerator, indicator.evaluate(values).denominator) == (7, 4)
    as_written = 4 * 1 + F(1 * 3, 1 + 3)
    assert indicator.evaluate(values).value != as_written


def test_defect_22_ippw_is_the_mean_of_nine_sub_indices_without_x100(catalog: Catalog) -> None:
    indicator = catalog[22]
    assert isinstance(indicator.formula, RataRata)
    assert len(indicator.formula.args) == 9
    assert list(indicator.inputs) == IPPW_INPUTS
    result = indicator.evaluate(dict.fromkeys(IPPW_INPUTS, 83))
    assert result.value == 83  # on the 0-100 scale of its target, not 8300
    assert result.status is MET
    assert all(spec.maximum == 100 for spec in indicator.input_specs)


def test_defect_29_mean_of_hiv_and_tb_percentages_skipping_undefined(catalog: Catalog) -> None:
    indicator = catalog[29]
    assert isinstance(indicator.formula, RataRata)
    assert all(isinstance(arg, Persen) for arg in indicator.formula.args)
    assert isinstance(indicator.composed_formula, RataRata)
    assert {str(arg) for arg in indicator.composed_formula.args} == {
        "persen_hiv_tersupresi",
        "persen_tb_sembuh",
    }
    no_tb = indicator.evaluate(
        {
            "narapidana_hiv_tersupresi": 9,
            "narapidana_hiv": 10,
            "narapidana_tb_sembuh": 0,
            "narapidana_tb_positif": 0,
        }
    )
    assert no_tb.value == 90  # the HIV percentage alone
    assert no_tb.warnings
    nothing = indicator.evaluate(dict.fromkeys(indicator.inputs, 0))
    assert nothing.status is UNDEFINED


@pytest.mark.parametrize(
    ("number", "whole", "bad", "values", "expected"),
    [
        (31, "jumlah_tahanan_berstatus_tahanan", "tahanan_overstaying", (200, 10), F(95)),
        (45, "pelaku_gangguan_kamtib", "pelaku_kamtib_mengulangi", (20, 1), F(95)),
        (48, "pendampingan_anak", "anak_putusan_pidana_penjara", (20, 1), F(95)),
    ],
)
def test_defect_formula_measuring_the_opposite_is_read_as_its_complement(
    catalog: Catalog, number: int, whole: str, bad: str, values: tuple[int, int], expected: Fraction
) -> None:
    indicator = catalog[number]
    assert indicator.polarity is Polarity.MAXIMIZE
    assert indicator.formula == Persen(S(whole) - S(bad), S(whole))
    result = indicator.evaluate({whole: values[0], bad: values[1]})
    assert result.value == expected
    assert result.value == 100 - F(values[1], values[0]) * 100  # the source's share, inverted
    assert indicator.notes


@pytest.mark.parametrize("number", [32, 33])
def test_defect_garbled_copy_pasted_text(catalog: Catalog, number: int) -> None:
    indicator = catalog[number]
    assert catalog[32].source_formula == catalog[33].source_formula
    assert "Hasil Pengurangan" in (indicator.source_formula or "")
    assert isinstance(indicator.formula, Persen)
    assert indicator.formula.args[1] == S("jumlah_tahanan_berstatus_tahanan")
    assert indicator.notes
    assert catalog[32].formula != catalog[33].formula


def test_defect_34_denominator_not_copied_from_38(catalog: Catalog) -> None:
    assert "Resiko Tinggi" in (catalog[34].source_formula or "")
    assert catalog[34].formula.args[1] != catalog[38].formula.args[1]
    assert catalog[34].notes


@pytest.mark.parametrize(
    ("number", "typo", "fixed"),
    [
        (2, "PNPB", "PNBP"),
        (22, "pemsarakatan", "pemasyarakatan"),
        (42, "berkuatan", "berkekuatan"),
    ],
)
def test_typos_kept_in_names_corrected_in_labels(
    catalog: Catalog, number: int, typo: str, fixed: str
) -> None:
    indicator = catalog[number]
    assert typo in indicator.name
    assert indicator.label is not None
    assert fixed in indicator.label
    assert typo not in indicator.label


def test_input_labels_correct_pnpb(catalog: Catalog) -> None:
    for name in catalog[2].inputs:
        assert "PNPB" not in catalog.inputs[name].label


def test_every_interpreted_indicator_has_a_note(catalog: Catalog) -> None:
    interpreted = {1, 2, 4, 5, 6, 9, 10, 11, 12, 13, 18, 20, 21, 22, 29, 31, 32, 33, 34, 41, 45, 48}
    assert interpreted <= {indicator.number for indicator in catalog if indicator.notes}
