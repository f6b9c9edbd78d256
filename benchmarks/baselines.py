"""The baselines: what a user would write instead of calling iku-formula.

* :func:`subs_all`: sympy's ``expr.subs(...)`` on each indicator's formula, written
  as plain arithmetic (the way a sympy user evaluates a formula for one record).
* :func:`numpy_formulas`: the 55 formulas of the bundled 2024 catalog written by
  hand in numpy, with NaN for a zero denominator (as ``evaluate_frame`` gives).
  They are typed out from the catalog, so ``run.py`` checks them against
  ``evaluate_frame`` on every run: a changed catalog makes the check fail loudly.
* :func:`pandas_rollup`: a plain pandas ``groupby(...).sum()`` of every input,
  then :func:`numpy_formulas` on the sums.
* :func:`pandas_rules_rollup`: the catalog's roll-up rules and checks written in plain
  pandas (what a pandas user would write to do the work of ``Catalog.aggregate``), then
  :func:`numpy_formulas`.
* :func:`duckdb_rules_query`: the same roll-up rules and checks written by hand in DuckDB
  SQL for three indicators (:data:`DUCKDB_FORMULAS`: a flow, a stock, a weighted score),
  with their capaian, status, predikat and the reason of a missing figure if asked.
* :func:`csv_fractions`: a realisasi CSV read with the :mod:`csv` module, every filled
  cell made a :class:`~fractions.Fraction` (a decimal comma read as a point), no check.
* :func:`pandas_csv`: the same file read by ``pandas.read_csv`` (floats, no check).
"""

from __future__ import annotations

import csv
from collections.abc import Hashable, Mapping, Sequence
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
import sympy

from iku_formula import Catalog
from iku_formula.model import InputKind, TimeRule, UnitRule
from iku_formula.periods import QUARTERS

Array = npt.NDArray[np.float64]


def subs_plan(catalog: Catalog, record: Mapping[str, float]) -> list[tuple[Any, dict[Any, Any]]]:
    """Each indicator's formula as plain sympy arithmetic, with its substitution dict.

    Built once, outside the timing: the baseline pays for ``subs`` only.
    """
    return [
        (
            indicator.formula.doit(),  # persen(a, b) -> 100*a/b: plain arithmetic
            {sympy.Symbol(name): record[name] for name in indicator.inputs},
        )
        for indicator in catalog.indicators
    ]


def subs_all(plan: Sequence[tuple[Any, dict[Any, Any]]]) -> list[Any]:
    """The realisasi of every indicator by ``expr.subs(values)``: the sympy baseline."""
    return [expr.subs(values) for expr, values in plan]


def _persen(numerator: Any, denominator: Any) -> Array:
    result: Array = np.where(denominator == 0, np.nan, numerator / denominator * 100)
    return result


def numpy_formulas(c: Mapping[str, Any]) -> dict[int, Array]:
    """The realisasi of the 55 indicators, by hand, from the input columns ``c``.

    Long on purpose: it is the code a user would write instead of the library, one
    line per indicator, so that figure 3 times exactly that.
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        pnbp_lalu = c["penerimaan_pnbp_ahu_tahun_lalu"]
        ki_lalu = c["permohonan_ki_tahun_lalu"]
        ipk_weights = c["responden_ipk_internal"] + c["responden_ipk_eksternal"]
        hiv = _persen(c["narapidana_hiv_tersupresi"], c["narapidana_hiv"])
        tb = _persen(c["narapidana_tb_sembuh"], c["narapidana_tb_positif"])
        hiv_tb_count = (~np.isnan(hiv)).astype(np.float64) + ~np.isnan(tb)
        hiv_tb_sum = np.where(np.isnan(hiv), 0.0, hiv) + np.where(np.isnan(tb), 0.0, tb)
        tahanan = c["jumlah_tahanan_berstatus_tahanan"]
        return {
            1: c["nilai_total_survei_internal"] / 20 - 1,
            2: np.where(
                pnbp_lalu == 0, np.nan, (c["penerimaan_pnbp_ahu"] - pnbp_lalu) / pnbp_lalu * 100
            ),
            3: _persen(c["pengaduan_notaris_diperiksa"], c["pengaduan_notaris_masuk"]),
            4: c["indeks_penegakan_hukum_ki"],
            5: _persen(c["masyarakat_memahami_ki"], c["masyarakat_diseminasi_ki"]),
            6: np.where(ki_lalu == 0, np.nan, (c["permohonan_ki"] - ki_lalu) / ki_lalu * 100),
            7: _persen(
                c["rancangan_produk_hukum_daerah_diharmonisasi"],
                c["permohonan_harmonisasi_produk_hukum_daerah"],
            ),
            8: c["perancang_dibina"],
            9: c["pemda_aksi_ham_tercapai"],
            10: c["kabkota_predikat_peduli_ham"],
            11: c["instansi_tindak_lanjut_diseminasi_ham"],
            12: c["rekomendasi_produk_hukum_daerah_ham"],
            13: c["kegiatan_analisis_evaluasi"],
            14: c["kegiatan_fasilitasi_perencanaan_perda"],
            15: _persen(c["anggota_jdih_aktif"], c["anggota_jdih"]),
            16: _persen(
                c["penerima_bantuan_hukum_litigasi"], c["permohonan_bantuan_hukum_litigasi"]
            ),
            17: _persen(
                c["penerima_bantuan_hukum_nonlitigasi"], c["permohonan_bantuan_hukum_nonlitigasi"]
            ),
            18: _persen(c["desa_binaan_sesuai_kriteria"], c["desa_usulan_kanwil"]),
            19: _persen(
                c["rekomendasi_kebijakan_dimanfaatkan"], c["rekomendasi_kebijakan_disampaikan"]
            ),
            20: c["ikm_keimigrasian"],
            21: np.where(
                ipk_weights == 0,
                np.nan,
                (
                    c["nilai_ipk_internal"] * c["responden_ipk_internal"]
                    + c["nilai_ipk_eksternal"] * c["responden_ipk_eksternal"]
                )
                / ipk_weights,
            ),
            22: (
                c["indeks_kepuasan_layanan_pemasyarakatan"]
                + c["indeks_derajat_kesehatan"]
                + c["indeks_kamtib_upt_pemasyarakatan"]
                + c["indeks_pelayanan_tahanan"]
                + c["indeks_pengelolaan_basan_baran"]
                + c["indeks_keberhasilan_pembinaan_narapidana"]
                + c["indeks_pemenuhan_hak_narapidana"]
                + c["indeks_pembinaan_khusus_anak"]
                + c["indeks_keberhasilan_program"]
            )
            / 9,
            23: _persen(c["pemenuhan_makanan"], c["jumlah_tahanan"]),
            24: _persen(c["kesehatan_preventif_berkualitas"], c["jumlah_tahanan"]),
            25: _persen(c["ibu_hamil_menyusui_layanan_maternal"], c["ibu_hamil_menyusui"]),
            26: _persen(c["gangguan_mental_tertangani"], c["gangguan_mental"]),
            27: _persen(c["lansia_layanan_kesehatan"], c["lansia_butuh_layanan_kesehatan"]),
            28: _persen(
                c["disabilitas_layanan_kesehatan"], c["disabilitas_butuh_layanan_kesehatan"]
            ),
            # rata_rata that skips an undefined part: the mean of the defined ones
            29: np.where(hiv_tb_count == 0, np.nan, hiv_tb_sum / hiv_tb_count),
            30: _persen(c["rehabilitasi_kualitas_hidup_berubah"], c["narapidana_rehabilitasi"]),
            31: _persen(tahanan - c["tahanan_overstaying"], tahanan),
            32: _persen(c["tahanan_penyuluhan_hukum"], tahanan),
            33: _persen(c["tahanan_bantuan_hukum"], tahanan),
            34: _persen(c["narapidana_kepribadian_memuaskan"], c["narapidana_dinilai_kepribadian"]),
            35: _persen(c["narapidana_remisi"], c["narapidana_syarat_remisi"]),
            36: _persen(
                c["narapidana_reintegrasi_sosial"], c["narapidana_syarat_reintegrasi_sosial"]
            ),
            37: _persen(c["narapidana_hak_pendidikan"], c["narapidana_tanpa_pendidikan_formal"]),
            38: _persen(
                c["narapidana_risiko_tinggi_berubah"], c["narapidana_risiko_tinggi_dibina"]
            ),
            39: _persen(c["narapidana_vokasi_bersertifikat"], c["jumlah_narapidana"]),
            40: _persen(c["narapidana_bekerja_produktif"], c["narapidana_asimilasi"]),
            41: _persen(c["rekomendasi_lelang_basan_baran"], c["penilaian_depresiasi_basan_baran"]),
            42: _persen(c["basan_dieksekusi"], c["basan_inkracht"]),
            43: _persen(c["pengaduan_upt_diselesaikan"], c["pengaduan_upt_masuk"]),
            44: _persen(c["gangguan_kamtib_dicegah"], c["gangguan_kamtib"]),
            45: _persen(
                c["pelaku_gangguan_kamtib"] - c["pelaku_kamtib_mengulangi"],
                c["pelaku_gangguan_kamtib"],
            ),
            46: _persen(c["pemulihan_kamtib_tuntas"], c["gangguan_kamtib"]),
            47: _persen(c["klien_usia_produktif_bekerja"], c["klien_usia_produktif"]),
            48: _persen(
                c["pendampingan_anak"] - c["anak_putusan_pidana_penjara"], c["pendampingan_anak"]
            ),
            49: _persen(c["klien_anak_melanjutkan_pendidikan"], c["klien_anak"]),
            50: _persen(c["anak_terampil"], c["anak_pendidikan_keterampilan"]),
            51: _persen(c["anak_hak_integrasi"], c["anak_syarat_integrasi"]),
            52: _persen(c["anak_hak_pengasuhan"], c["jumlah_anak"]),
            53: _persen(c["anak_pendidikan_formal_nonformal"], c["jumlah_anak"]),
            54: c["lpp_dibangun"],
            55: c["upt_direhabilitasi"],
        }


def numpy_baseline(frame: pd.DataFrame, inputs: Sequence[str]) -> dict[int, Array]:
    """The hand-written formulas on the frame's input columns (as numpy arrays)."""
    return numpy_formulas({name: frame[name].to_numpy() for name in inputs})


def pandas_rollup(
    frame: pd.DataFrame, inputs: Sequence[str], by: Sequence[Hashable]
) -> dict[int, Array]:
    """A plain ``groupby(by).sum()`` of every input, then the hand-written formulas.

    Cheaper than what :meth:`Catalog.aggregate` does (no stocks taken at the last
    triwulan, no means, no weighted means, no checks), so a conservative baseline.
    """
    sums = frame.groupby(list(by), sort=True)[list(inputs)].sum()
    return numpy_baseline(sums, inputs)


def csv_fractions(path: Path) -> list[tuple[str, str, dict[str, Fraction]]]:
    """Each row's unit, period and exact values, read as a user would without the library:
    the csv module, then ``Fraction`` of every filled cell. Nothing is checked."""
    with path.open(encoding="utf-8", newline="") as stream:
        reader = csv.reader(stream)
        header = next(reader)
        names = header[2:]
        return [
            (
                row[0],
                row[1],
                {
                    name: Fraction(cell.replace(",", "."))
                    for name, cell in zip(names, row[2:], strict=True)
                    if cell
                },
            )
            for row in reader
        ]


def pandas_csv(path: Path) -> pd.DataFrame:
    """The file as a float frame, by ``pandas.read_csv`` (decimal commas read as points)."""
    return pd.read_csv(path, decimal=",", dtype={"unit": str, "period": str})


def _checked_columns(catalog: Catalog, frame: pd.DataFrame, inputs: Sequence[str]) -> None:
    """Raise ValueError naming the first row whose value the catalog refuses."""
    for name in inputs:
        spec = catalog.inputs[name]
        values = frame[name].to_numpy(dtype=np.float64)
        present = ~np.isnan(values)
        bad = present & ~np.isfinite(values)
        if spec.kind is InputKind.SCORE:
            low, high = float(spec.minimum or 0), float(spec.maximum or 0)
            bad |= present & ((values < low) | (values > high))
        else:
            bad |= present & (values < 0)
            if spec.kind is InputKind.COUNT:
                bad |= present & (np.floor(values) != values)
        if bad.any():
            row = int(np.flatnonzero(bad)[0])
            raise ValueError(f"row {frame.index[row]!r}: {name} = {values[row]!r} is refused")


def pandas_rules_rollup(
    catalog: Catalog, frame: pd.DataFrame, by: Sequence[Hashable]
) -> dict[int, Array]:
    """:func:`pandas_rules_aggregate`, then :func:`numpy_formulas` on its inputs."""
    return numpy_baseline(pandas_rules_aggregate(catalog, frame, by), list(catalog.inputs))


def pandas_rules_aggregate(
    catalog: Catalog, frame: pd.DataFrame, by: Sequence[Hashable]
) -> pd.DataFrame:
    """The roll-up rules of the catalog written in plain pandas: every input per ``by``.

    What a pandas user would write to do the same work as ``Catalog.aggregate`` +
    ``Catalog.evaluate_frame``: every value checked against its input's kind, no repeated
    (key, unit, period) row, triwulan in time order; per unit, each input by its rule over
    time (a flow summed, a stock at its last triwulan, a level averaged; a gap makes it
    missing, an input empty in every row is a silent unit), then over units (summed,
    averaged, or weighted by the weight's figure; silent units left out, a unit weighing 0
    not counted, a missing weight or weights adding up to 0 missing).
    """
    inputs = list(catalog.inputs)
    _checked_columns(catalog, frame, inputs)
    keys = [*by, "unit", "period"]
    if frame.duplicated(keys).any():
        raise ValueError("a (key, unit, period) combination repeats")
    order = pd.Categorical(frame["period"], categories=list(QUARTERS), ordered=True)
    if (order.codes < 0).any():
        raise ValueError("a period is not a triwulan")
    table = frame.assign(period=order).sort_values(keys, kind="stable")
    grouped = table.groupby([*by, "unit"], sort=True, observed=True)
    rows = grouped.size()
    filled = grouped[inputs].count()
    firsts = grouped[inputs].sum(min_count=1)
    last = grouped[inputs].nth(-1).set_index(rows.index)
    per_unit = {}
    for name in inputs:
        rule = catalog.inputs[name].over_time
        complete = filled[name] == rows
        if rule is TimeRule.SUM:
            value = firsts[name].where(complete)
        elif rule is TimeRule.MEAN:
            value = (firsts[name] / rows).where(complete)
        else:
            value = last[name]
        per_unit[name] = value
    units = pd.DataFrame(per_unit)
    speaking = filled != 0
    year = rows.index.droplevel("unit")
    weighted = [n for n in inputs if catalog.inputs[n].over_units is UnitRule.WEIGHTED_MEAN]
    weights = units[[catalog.inputs[n].weight or "" for n in weighted]].set_axis(weighted, axis=1)
    counts = speaking[weighted] & (weights != 0)
    # over units, one groupby for every column: values of silent units (and of units
    # weighing 0) count as 0; a missing value of a unit that counts voids the column
    counted = speaking.copy()
    counted[weighted] = counts
    value = units.where(counted, 0.0)
    value[weighted] = value[weighted] * weights.where(counts, 0.0)
    void = (counted & units.isna()) | pd.concat(
        [
            pd.DataFrame(False, index=units.index, columns=units.columns.drop(weighted)),
            weights.isna(),
        ],
        axis=1,
    )[inputs]
    divisor = counted.astype(np.float64)
    divisor[weighted] = weights.where(counts, 0.0)
    sums = pd.concat({"value": value, "void": void, "divisor": divisor}, axis=1)
    totals = sums.groupby(year, sort=True).sum()
    total, divisor, voided = totals["value"], totals["divisor"], totals["void"]
    averaged = [n for n in inputs if catalog.inputs[n].over_units is not UnitRule.SUM]
    total[averaged] = total[averaged] / divisor[averaged]
    return total.where((voided == 0) & (divisor > 0))


DUCKDB_FORMULAS = {
    3: (
        "persen(pengaduan_notaris_diperiksa, pengaduan_notaris_masuk)",
        "pengaduan_notaris_diperiksa / NULLIF(pengaduan_notaris_masuk, 0) * 100",
        "pengaduan_notaris_masuk",
    ),
    15: (
        "persen(anggota_jdih_aktif, anggota_jdih)",
        "anggota_jdih_aktif / NULLIF(anggota_jdih, 0) * 100",
        "anggota_jdih",
    ),
    21: (
        "rata_rata_tertimbang(nilai_ipk_internal, responden_ipk_internal, nilai_ipk_eksternal, "
        "responden_ipk_eksternal)",
        "(nilai_ipk_internal * responden_ipk_internal + nilai_ipk_eksternal * "
        "responden_ipk_eksternal) / NULLIF(responden_ipk_internal + responden_ipk_eksternal, 0)",
        "responden_ipk_internal + responden_ipk_eksternal",
    ),
}
"""Three indicators written by hand in DuckDB SQL: formula text, SQL, its denominator."""


def duckdb_inputs(catalog: Catalog) -> list[str]:
    """The inputs of :data:`DUCKDB_FORMULAS`, weights included, in catalog order of use."""
    names: list[str] = []
    for number in DUCKDB_FORMULAS:
        for spec in catalog[number].input_specs:
            for name in (spec.name, spec.weight):
                if name is not None and name not in names:
                    names.append(name)
    return names


def duckdb_rules_query(catalog: Catalog, source: str, *, outcomes: bool) -> str:
    """One DuckDB query applying the roll-up rules to the inputs of :data:`DUCKDB_FORMULAS`.

    ``source`` is a table or ``read_parquet(...)`` with ``unit``, ``period`` (time order)
    and the inputs. Per unit over its periods: a flow summed, a level averaged, a stock at
    the unit's last period; a gap makes the figure missing. Over units: summed or weighted
    by the weight's figure, silent units (no value in any row) left out, a gap of a unit
    that reports voids the figure, weights adding up to 0 missing. Then the three formulas
    (``realisasi_N``) and, with ``outcomes``, ``capaian_N``, ``status_N``, ``predikat_N``
    and ``reason_N`` (a missing input, a zero denominator), as the catalog defines them.
    """
    inputs = duckdb_inputs(catalog)
    for number, (text, _, _) in DUCKDB_FORMULAS.items():
        if catalog[number].formula_text != text:
            raise ValueError(f"indicator {number}'s formula changed: rewrite the SQL by hand")
    per_unit = []
    for name in inputs:
        rule = catalog.inputs[name].over_time
        complete = f'COUNT("{name}") = COUNT(*)'
        if rule is TimeRule.SUM:
            figure = f'CASE WHEN {complete} THEN SUM("{name}") END'
        elif rule is TimeRule.MEAN:
            figure = f'CASE WHEN {complete} THEN AVG("{name}") END'
        else:
            figure = f'arg_max_null("{name}", period)'
        per_unit.append(f'{figure} AS "{name}", COUNT("{name}") > 0 AS "r_{name}"')
    kanwil = []
    for name in inputs:
        spec = catalog.inputs[name]
        gap = f'COUNT(*) FILTER ("r_{name}" AND "{name}" IS NULL) > 0'
        if spec.over_units is UnitRule.WEIGHTED_MEAN:
            w = spec.weight
            void = f'"{w}" IS NULL OR "{w}" <> 0 AND "{name}" IS NULL'
            gap = f'COUNT(*) FILTER ("r_{name}" AND ({void})) > 0'
            value = (
                f'SUM("{name}" * "{w}") FILTER ("r_{name}" AND "{w}" <> 0) / '
                f'NULLIF(SUM("{w}") FILTER ("r_{name}"), 0)'
            )
        elif spec.over_units is UnitRule.MEAN:
            value = f'AVG("{name}") FILTER ("r_{name}")'
        else:
            value = f'SUM("{name}") FILTER ("r_{name}")'
        kanwil.append(f'CASE WHEN {gap} THEN NULL ELSE {value} END AS "{name}"')
    formulas = [f'{sql} AS "realisasi_{n}"' for n, (_, sql, _) in DUCKDB_FORMULAS.items()]
    select = ", ".join(f'"realisasi_{n}"' for n in DUCKDB_FORMULAS)
    if outcomes:
        extra = []
        for number, (_, _, denominator) in DUCKDB_FORMULAS.items():
            indicator = catalog[number]
            if len(indicator.target.parts) != 1 or indicator.polarity.value != "maximize":
                raise ValueError(f"indicator {number}: the hand-written capaian assumes one target")
            target = indicator.target.value
            r, c = f'"realisasi_{number}"', f'"capaian_{number}"'
            names = [spec.name for spec in indicator.input_specs] + [
                spec.weight for spec in indicator.input_specs if spec.weight
            ]
            missing = " OR ".join(f'"{name}" IS NULL' for name in dict.fromkeys(names))
            extra.append(
                f"{r} * 100 / {float(target)!r} AS {c}, "
                f"CASE WHEN {r} IS NULL THEN 'undefined' WHEN {r} >= {float(target)!r} "
                f"THEN 'met' ELSE 'not_met' END AS \"status_{number}\", "
                f"CASE WHEN {missing} THEN 'an input is missing' "
                f"WHEN {denominator} = 0 THEN 'the denominator is 0' END AS \"reason_{number}\""
            )
            bands = [
                f"WHEN {c} >= {float(band.lower)!r} THEN '{band.code}'"
                for band in reversed(indicator.predikat.bands if indicator.predikat else ())
                if band.lower is not None
            ]
            lowest = indicator.predikat.bands[0].code if indicator.predikat else ""
            extra.append(
                f"CASE WHEN {c} IS NULL THEN NULL {' '.join(bands)} ELSE '{lowest}' END "
                f'AS "predikat_{number}"'
            )
        select = f"{select}, {', '.join(extra)}"
    return (
        f"WITH u AS (SELECT unit, {', '.join(per_unit)} FROM {source} GROUP BY unit), "  # noqa: S608
        f"k AS (SELECT {', '.join(kanwil)} FROM u), "
        f"f AS (SELECT *, {', '.join(formulas)} FROM k) SELECT {select} FROM f"
    )
