"""Buat data contoh triwulanan / generate the quarterly sample data.

    python examples/buat_contoh.py            # writes the .csv and the .xlsx next to this file
    python examples/buat_contoh.py --check    # exit 1 if the files differ from what it would write

Angka-angkanya ILUSTRASI, bukan realisasi resmi. / The numbers are ILLUSTRATIVE, not official.

Four quarters (TW1 to TW4) of 2024 for ten units of Kanwil Kemenkumham Bali, each with only the
inputs that apply to its kind of unit (empty cells elsewhere): the Kantor Wilayah itself (IKU 1-19,
22, 54, 55), three Kantor Imigrasi (IKU 20, 21), and six UPT Pemasyarakatan (IKU 23-53). The
numbers come from a seeded random generator, so every run writes the same files.

How each input is filled follows the catalog's rules:

* flows (complaints received, people served) are counts per quarter; stocks (detainees, JDIH
  members) are a head count at the end of each quarter, roughly stable from one quarter to the
  next; in a ratio, the numerator never exceeds its denominator;
* a score is a level measured every quarter when the catalog combines it over quarters by
  "mean" or "last", but a yearly survey result reported in TW4 only when the catalog says "sum"
  (adding four quarterly scores would be meaningless); likewise a score is reported by every
  unit of its kind only when the catalog combines it over units by a (weighted) mean;
* every consistency rule of the catalog (``[[rules]]``) holds, except in the one deliberate
  error below, and the script checks that it does.

Deliberate cases (documented in examples/README.md):

* Rutan Kelas IIB Gianyar has no narapidana with TB in any quarter (``narapidana_tb_positif`` =
  0): IKU 29 takes the mean over the HIV part only (its ``undefined_parts = "skip"`` policy);
  it has no pregnant or nursing women either, so its own IKU 25 is undefined;
* no benda sitaan became inkracht in 2024 at Rupbasan Denpasar (``basan_inkracht`` = 0 in every
  quarter): IKU 42 is undefined for the whole Kantor Wilayah;
* Lapas Kelas IIA Kerobokan, TW3: ``narapidana_remisi`` (1 250) is above
  ``narapidana_syarat_remisi`` (1 180), a typing error left in on purpose: the report lists it
  as a warning (and as a broken rule when the catalog declares
  ``narapidana_remisi <= narapidana_syarat_remisi``).
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
from collections.abc import Callable, Sequence
from fractions import Fraction
from pathlib import Path

from iku_formula import Catalog, InputKind, TimeRule, UnitRule, load_catalog
from iku_formula.periods import QUARTERS
from iku_formula.sheets import read_sheet, write_sheet

SEED = 2024
HERE = Path(__file__).resolve().parent
CSV_PATH = HERE / "contoh-realisasi-2024-triwulan.csv"
XLSX_PATH = HERE / "contoh-realisasi-2024-triwulan.xlsx"

KANWIL = "Kanwil Bali"
KANIM_DENPASAR = "Kantor Imigrasi Kelas I TPI Denpasar"
KANIM_NGURAH_RAI = "Kantor Imigrasi Kelas I Khusus TPI Ngurah Rai"
KANIM_SINGARAJA = "Kantor Imigrasi Kelas II TPI Singaraja"
LAPAS_KEROBOKAN = "Lapas Kelas IIA Kerobokan"
LAPAS_BANGLI = "Lapas Narkotika Kelas IIA Bangli"
RUTAN_GIANYAR = "Rutan Kelas IIB Gianyar"
LPKA_KARANGASEM = "LPKA Kelas II Karangasem"
BAPAS_DENPASAR = "Bapas Kelas I Denpasar"
RUPBASAN_DENPASAR = "Rupbasan Kelas I Denpasar"

Row = dict[str, object]
Quarters = dict[str, Row]


class Builder:
    """Fills one unit's four quarters from a seeded random generator."""

    def __init__(self, rng: random.Random, catalog_rules: dict[str, tuple[TimeRule, UnitRule]]):
        self.rng = rng
        self.rules = catalog_rules
        self.rows: Quarters = {quarter: {} for quarter in QUARTERS}

    # flows: a count per quarter
    def flow(self, name: str, total: int) -> list[int]:
        """``total`` spread over the quarters at random."""
        weights = [self.rng.uniform(0.7, 1.3) for _ in QUARTERS]
        parts = [int(total * weight / sum(weights)) for weight in weights]
        parts[self.rng.randrange(len(parts))] += total - sum(parts)
        self.put(name, parts)
        return parts

    def events(self, name: str, by_quarter: Sequence[int]) -> list[int]:
        """Counts given quarter by quarter (zeros where nothing happened)."""
        parts = list(by_quarter)
        self.put(name, parts)
        return parts

    # stocks: a head count at the end of each quarter
    def stock(self, name: str, level: int, drift: float = 0.03) -> list[int]:
        parts = [max(0, round(level * (1 + self.rng.uniform(-drift, drift)))) for _ in QUARTERS]
        self.put(name, parts)
        return parts

    def share(self, name: str, of: Sequence[int], rate: float, spread: float = 0.03) -> list[int]:
        """A numerator: about ``rate`` of each quarter's denominator, never above it."""
        parts = [
            min(whole, max(0, round(whole * (rate + self.rng.uniform(-spread, spread)))))
            for whole in of
        ]
        self.put(name, parts)
        return parts

    # scores
    def score(self, name: str, level: float, spread: float, places: int = 2) -> None:
        """A score: every quarter, or once a year (TW4) when the catalog sums it over time."""
        yearly = self.rules[name][0] is TimeRule.SUM
        for quarter in QUARTERS:
            if yearly and quarter != QUARTERS[-1]:
                continue
            value = round(level + self.rng.uniform(-spread, spread), places)
            self.rows[quarter][name] = Fraction(str(value))

    def put(self, name: str, parts: Sequence[int]) -> None:
        for quarter, value in zip(QUARTERS, parts, strict=True):
            self.rows[quarter][name] = value

    def counts(self, name: str) -> list[int]:
        """The counts already filled for ``name``, quarter by quarter."""
        return [int(str(self.rows[quarter][name])) for quarter in QUARTERS]


Unit = Callable[[Builder], None]


def kanwil(b: Builder) -> None:
    b.score("nilai_total_survei_internal", 84.0, 1.5, places=1)
    b.flow("penerimaan_pnbp_ahu", 18_750_000_000)  # rupiah
    b.flow("penerimaan_pnbp_ahu_tahun_lalu", 17_200_000_000)
    masuk = b.flow("pengaduan_notaris_masuk", 25)
    b.share("pengaduan_notaris_diperiksa", masuk, 0.92, 0.05)
    b.score("indeks_penegakan_hukum_ki", 3.2, 0.1, places=1)
    diseminasi = b.flow("masyarakat_diseminasi_ki", 560)
    b.share("masyarakat_memahami_ki", diseminasi, 0.735)
    b.flow("permohonan_ki", 1380)
    b.flow("permohonan_ki_tahun_lalu", 1210)
    harmonisasi = b.flow("permohonan_harmonisasi_produk_hukum_daerah", 136)
    b.share("rancangan_produk_hukum_daerah_diharmonisasi", harmonisasi, 0.87)
    b.flow("perancang_dibina", 24)
    b.events("pemda_aksi_ham_tercapai", [0, 0, 0, 6])
    b.events("kabkota_predikat_peduli_ham", [0, 0, 0, 3])
    b.events("instansi_tindak_lanjut_diseminasi_ham", [0, 0, 1, 0])
    b.events("rekomendasi_produk_hukum_daerah_ham", [0, 1, 0, 2])
    b.events("kegiatan_analisis_evaluasi", [0, 1, 1, 0])
    b.events("rekomendasi_kebijakan_ae", [0, 0, 0, 1])
    b.events("kegiatan_fasilitasi_perencanaan_perda", [1, 0, 1, 0])
    b.events("anggota_jdih", [108, 110, 112, 112])
    b.events("anggota_jdih_aktif", [29, 30, 31, 31])
    litigasi = b.flow("permohonan_bantuan_hukum_litigasi", 487)
    b.share("penerima_bantuan_hukum_litigasi", litigasi, 0.846, 0.02)
    nonlitigasi = b.flow("permohonan_bantuan_hukum_nonlitigasi", 352)
    b.share("penerima_bantuan_hukum_nonlitigasi", nonlitigasi, 0.76, 0.02)
    b.events("desa_usulan_kanwil", [0, 30, 0, 28])
    b.events("desa_binaan_sesuai_kriteria", [0, 22, 0, 22])
    b.events("rekomendasi_kebijakan_disampaikan", [0, 2, 0, 2])
    b.events("rekomendasi_kebijakan_dimanfaatkan", [0, 1, 0, 2])
    # IKU 22, IPPW: the sub-indices are assessed for the Kantor Wilayah as a whole
    for name, level in (
        ("indeks_kepuasan_layanan_pemasyarakatan", 86.5),
        ("indeks_derajat_kesehatan", 82.3),
        ("indeks_kamtib_upt_pemasyarakatan", 88.1),
        ("indeks_pelayanan_tahanan", 84.0),
        ("indeks_pengelolaan_basan_baran", 79.6),
        ("indeks_keberhasilan_pembinaan_narapidana", 85.2),
        ("indeks_pemenuhan_hak_narapidana", 90.4),
        ("indeks_pembinaan_khusus_anak", 83.7),
        ("indeks_keberhasilan_program", 80.9),
    ):
        b.score(name, level, 1.5, places=1)
    b.events("lpp_dibangun", [0, 0, 0, 1])
    b.events("upt_direhabilitasi", [0, 1, 1, 1])


def kantor_imigrasi(ikm: float, internal: float, external: float) -> Unit:
    def fill(b: Builder) -> None:
        b.score("ikm_keimigrasian", ikm, 0.05)
        b.score("nilai_ipk_internal", internal, 0.05)
        b.flow("responden_ipk_internal", b.rng.randrange(40, 70))
        b.score("nilai_ipk_eksternal", external, 0.05)
        b.flow("responden_ipk_eksternal", b.rng.randrange(25, 45))

    return fill


def care(b: Builder, held: Sequence[int], *, mental: int, elderly: int, disabled: int) -> None:
    """IKU 23, 24, 26-28: food and health care for everyone held (``held``, per quarter)."""
    b.put("jumlah_tahanan", held)
    b.share("pemenuhan_makanan", held, 0.985, 0.015)
    b.share("kesehatan_preventif_berkualitas", held, 0.945, 0.02)
    b.share("gangguan_mental_tertangani", b.stock("gangguan_mental", mental, 0.1), 0.93, 0.05)
    if elderly:
        b.share(
            "lansia_layanan_kesehatan",
            b.stock("lansia_butuh_layanan_kesehatan", elderly, 0.05),
            0.95,
        )
    b.share(
        "disabilitas_layanan_kesehatan",
        b.stock("disabilitas_butuh_layanan_kesehatan", disabled, 0.1),
        0.95,
    )


def security(b: Builder, complaints: int, incidents: Sequence[int]) -> None:
    """IKU 43-46: complaints and security incidents."""
    received = b.flow("pengaduan_upt_masuk", complaints)
    b.share("pengaduan_upt_diselesaikan", received, 0.92, 0.05)
    happened = b.events("gangguan_kamtib", incidents)
    b.share("gangguan_kamtib_dicegah", happened, 0.9, 0.1)
    b.share("pemulihan_kamtib_tuntas", happened, 0.95, 0.05)
    offenders = b.events("pelaku_gangguan_kamtib", [2 * count for count in happened])
    b.share("pelaku_kamtib_mengulangi", offenders, 0.08, 0.05)


def inmates(b: Builder, convicts: int, *, remission: Sequence[int]) -> list[int]:
    """IKU 34-40: the rights and programmes of narapidana; returns their number per quarter."""
    held = b.stock("jumlah_narapidana", convicts, 0.02)
    assessed = b.share("narapidana_dinilai_kepribadian", held, 0.6, 0.05)
    b.share("narapidana_kepribadian_memuaskan", assessed, 0.78)
    b.events("narapidana_syarat_remisi", remission)
    b.events("narapidana_remisi", remission)
    eligible = b.flow("narapidana_syarat_reintegrasi_sosial", round(convicts * 0.35))
    b.share("narapidana_reintegrasi_sosial", eligible, 0.93)
    b.share(
        "narapidana_hak_pendidikan",
        b.stock("narapidana_tanpa_pendidikan_formal", round(convicts * 0.03), 0.1),
        0.92,
    )
    b.share(
        "narapidana_risiko_tinggi_berubah",
        b.stock("narapidana_risiko_tinggi_dibina", round(convicts * 0.015) + 2, 0.1),
        0.22,
        0.05,
    )
    # narapidana held who hold a vocational certificate: grows through the year
    b.put(
        "narapidana_vokasi_bersertifikat",
        [round(whole * 0.36 * (n + 1) / len(QUARTERS)) for n, whole in enumerate(held)],
    )
    b.share("narapidana_bekerja_produktif", b.stock("narapidana_asimilasi", convicts // 12), 0.8)
    return held


def disease(b: Builder, hiv: int, tb: int) -> None:
    """IKU 29: HIV and TB."""
    b.share("narapidana_hiv_tersupresi", b.stock("narapidana_hiv", hiv, 0.08), 0.92, 0.04)
    b.share("narapidana_tb_sembuh", b.stock("narapidana_tb_positif", tb, 0.2), 0.9, 0.05)


def detainees(b: Builder, level: int) -> list[int]:
    """IKU 31-33: tahanan (not yet sentenced); returns their number per quarter."""
    held = b.stock("jumlah_tahanan_berstatus_tahanan", level, 0.05)
    b.events("tahanan_overstaying", [0, 1, 0, 0])
    b.share("tahanan_penyuluhan_hukum", held, 1.0, 0.0)
    b.share("tahanan_bantuan_hukum", held, 0.96, 0.02)
    return held


def lapas_kerobokan(b: Builder) -> None:
    tahanan = detainees(b, 150)
    narapidana = inmates(b, 1250, remission=[160, 240, 1180, 210])
    b.rows["TW3"]["narapidana_remisi"] = 1250  # the deliberate error: above 1 180 eligible
    held = [x + y for x, y in zip(tahanan, narapidana, strict=True)]
    care(b, held, mental=32, elderly=84, disabled=12)
    b.share("ibu_hamil_menyusui_layanan_maternal", b.events("ibu_hamil_menyusui", [3, 2, 4, 3]), 1)
    disease(b, 44, 16)
    security(b, 36, [3, 2, 4, 2])


def lapas_bangli(b: Builder) -> None:
    narapidana = inmates(b, 410, remission=[50, 80, 390, 70])
    care(b, narapidana, mental=14, elderly=18, disabled=4)
    disease(b, 12, 6)
    treated = b.flow("narapidana_rehabilitasi", 240)
    b.share("rehabilitasi_kualitas_hidup_berubah", treated, 0.33, 0.04)
    security(b, 12, [1, 0, 1, 1])


def rutan_gianyar(b: Builder) -> None:
    tahanan = detainees(b, 118)
    narapidana = b.stock("jumlah_narapidana", 72)
    care(b, [x + y for x, y in zip(tahanan, narapidana, strict=True)], mental=4, elderly=6,
         disabled=2)  # fmt: skip
    b.events("ibu_hamil_menyusui", [0, 0, 0, 0])  # none: IKU 25 undefined for this unit
    b.events("ibu_hamil_menyusui_layanan_maternal", [0, 0, 0, 0])
    b.share("narapidana_hiv_tersupresi", b.stock("narapidana_hiv", 3, 0.0), 1.0, 0.0)
    b.events("narapidana_tb_positif", [0, 0, 0, 0])  # no TB: IKU 29 skips its TB part
    b.events("narapidana_tb_sembuh", [0, 0, 0, 0])
    b.flow("narapidana_syarat_remisi", 96)
    b.put("narapidana_remisi", b.counts("narapidana_syarat_remisi"))
    security(b, 8, [0, 1, 0, 1])


def lpka_karangasem(b: Builder) -> None:
    held = b.stock("jumlah_anak", 30, 0.05)
    care(b, held, mental=2, elderly=0, disabled=1)
    b.share("anak_hak_pengasuhan", held, 1.0, 0.0)
    b.put("anak_pendidikan_formal_nonformal", [held[0], held[1], held[2] - 1, held[3]])
    trained = b.flow("anak_pendidikan_keterampilan", 40)
    b.share("anak_terampil", trained, 0.88, 0.05)
    eligible = b.flow("anak_syarat_integrasi", 16)
    b.share("anak_hak_integrasi", eligible, 1.0, 0.0)
    security(b, 4, [0, 0, 1, 0])


def bapas_denpasar(b: Builder) -> None:
    clients = b.stock("klien_usia_produktif", 350)
    b.share("klien_usia_produktif_bekerja", clients, 0.72)
    accompanied = b.flow("pendampingan_anak", 100)
    b.share("anak_putusan_pidana_penjara", accompanied, 0.35, 0.05)
    b.share("klien_anak_melanjutkan_pendidikan", b.stock("klien_anak", 60), 0.45)
    received = b.flow("pengaduan_upt_masuk", 10)
    b.share("pengaduan_upt_diselesaikan", received, 0.95, 0.05)


def rupbasan_denpasar(b: Builder) -> None:
    assessed = b.flow("penilaian_depresiasi_basan_baran", 30)
    b.share("rekomendasi_lelang_basan_baran", assessed, 0.9, 0.05)
    b.events("basan_inkracht", [0, 0, 0, 0])  # none: IKU 42 undefined
    b.events("basan_dieksekusi", [0, 0, 0, 0])


UNITS: tuple[tuple[str, Unit], ...] = (
    (KANWIL, kanwil),
    (KANIM_DENPASAR, kantor_imigrasi(3.41, 3.30, 3.06)),
    (KANIM_NGURAH_RAI, kantor_imigrasi(3.52, 3.36, 3.02)),
    (KANIM_SINGARAJA, kantor_imigrasi(3.28, 3.21, 3.10)),
    (LAPAS_KEROBOKAN, lapas_kerobokan),
    (LAPAS_BANGLI, lapas_bangli),
    (RUTAN_GIANYAR, rutan_gianyar),
    (LPKA_KARANGASEM, lpka_karangasem),
    (BAPAS_DENPASAR, bapas_denpasar),
    (RUPBASAN_DENPASAR, rupbasan_denpasar),
)
DELIBERATE = (LAPAS_KEROBOKAN, "TW3")
"""The one row with a deliberate error."""


def build(catalog_path: Path | None = None) -> list[Row]:
    """The sample rows: one per unit and quarter."""
    catalog = load_catalog(catalog_path)
    rules = {name: (spec.over_time, spec.over_units) for name, spec in catalog.inputs.items()}
    rng = random.Random(SEED)  # noqa: S311 - made-up numbers, not secrets
    rows: list[Row] = []
    for unit, fill in UNITS:
        builder = Builder(rng, rules)
        fill(builder)
        rows.extend({"unit": unit, "period": q, **builder.rows[q]} for q in QUARTERS)
    # a score added up over units is meaningless: where the catalog says so, only the first
    # unit reporting it keeps it
    first: dict[str, object] = {}
    for row in rows:
        for name in [key for key in row if key in catalog.inputs]:
            spec = catalog.inputs[name]
            summed = spec.kind is InputKind.SCORE and spec.over_units is UnitRule.SUM
            if summed and first.setdefault(name, row["unit"]) != row["unit"]:
                del row[name]
    _check(catalog, rows)
    return rows


def _check(catalog: Catalog, rows: list[Row]) -> None:
    """Every rule holds and no numerator exceeds its denominator, but in the deliberate row."""
    problems = []
    for row in rows:
        values = {k: v for k, v in row.items() if k not in ("unit", "period")}
        broken = [str(violation) for violation in catalog.check(values)]
        broken += [
            warning
            for result in catalog.evaluate(values).values()
            for warning in result.warnings
            if warning.endswith("check the data")
        ]
        if broken and (row["unit"], row["period"]) != DELIBERATE:
            problems.append(f"{row['unit']}, {row['period']}: {'; '.join(broken)}")
        if not broken and (row["unit"], row["period"]) == DELIBERATE:
            problems.append(f"{row['unit']}, {row['period']}: the deliberate error is not seen")
    if problems:
        raise SystemExit("the generated data break the catalog's rules:\n" + "\n".join(problems))


def write(rows: list[Row], csv_path: Path, xlsx_path: Path) -> None:
    """Write the CSV (scores with a decimal comma), then the XLSX from the CSV as read back."""
    catalog = load_catalog()
    write_sheet(catalog, csv_path, rows, decimal_comma=True)
    sheet = read_sheet(csv_path, catalog)
    write_sheet(
        catalog,
        xlsx_path,
        [{"unit": row.unit, "period": row.period, **row.values} for row in sheet.rows],
    )


def _same_xlsx(one: Path, other: Path) -> bool:
    """Whether two workbooks hold the same cells (the files differ in their timestamps)."""
    import openpyxl

    books = [openpyxl.load_workbook(path, read_only=True) for path in (one, other)]
    try:
        sheets = [[list(sheet.values) for sheet in book.worksheets] for book in books]
        return sheets[0] == sheets[1] and books[0].sheetnames == books[1].sheetnames
    finally:
        for book in books:
            book.close()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="compare instead of writing")
    args = parser.parse_args(argv)
    rows = build()
    if not args.check:
        write(rows, CSV_PATH, XLSX_PATH)
        print(f"wrote {CSV_PATH.name} and {XLSX_PATH.name}: {len(rows)} rows")
        return 0
    with tempfile.TemporaryDirectory() as work:
        csv_path, xlsx_path = Path(work) / CSV_PATH.name, Path(work) / XLSX_PATH.name
        write(rows, csv_path, xlsx_path)
        stale = [
            path.name
            for path, fresh in ((CSV_PATH, csv_path), (XLSX_PATH, xlsx_path))
            if not path.exists()
            or (
                path.read_bytes() != fresh.read_bytes()
                if path.suffix == ".csv"
                else not _same_xlsx(path, fresh)
            )
        ]
    if stale:
        print(f"out of date: {', '.join(stale)}; run python examples/buat_contoh.py")
        return 1
    print("up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
