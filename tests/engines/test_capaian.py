"""The numpy capaian and predikat (engines/capaian) held equal to the exact path."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from iku_formula import Catalog, load_catalog
from iku_formula.engines.capaian import predikat_column

from ..conftest import HEADER, indicator_toml

SCALES = """
[predikat.c]
basis = "capaian"

[[predikat.c.bands]]
code = "A"
label = "Baik"
colour = "#00aa00"
lower = 90

[[predikat.c.bands]]
code = "B"
label = "Cukup"
colour = "#aaaa00"
lower = 50
upper = 90

[[predikat.c.bands]]
code = "C"
label = "Buruk"
colour = "#aa0000"
upper = 50
"""


@pytest.fixture(scope="module")
def catalogs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Catalog]:
    """The bundled catalog, and small ones lower-is-better by each formula, capped or not."""
    found = {"bundled": load_catalog()}
    for minimize in ("two_minus_ratio", "inverse_ratio"):
        for cap in ("", "cap = 120\n"):
            text = (
                HEADER.replace("year = 2024\n", 'year = 2024\npredikat = "c"\n', 1)
                + f'\n[catalog.achievement]\nminimize = "{minimize}"\n{cap}'
                + SCALES
                + indicator_toml(1, polarity="minimize", target="40%")
                + indicator_toml(
                    2, formula="a", inputs=["a"], target="7 Orang", polarity="minimize"
                )
                + indicator_toml(3)
            )
            path: Path = tmp_path_factory.mktemp("katalog") / "uji.toml"
            path.write_text(text, encoding="utf-8")
            found[f"{minimize}{'+cap' if cap else ''}"] = load_catalog(path)
    return found


def _codes(catalog: Catalog, frame: pd.DataFrame) -> list[tuple[int, object]]:
    long = catalog.evaluate_frame(frame, "long")
    pairs = zip(long["indicator"], long["predikat"], strict=True)
    return [(int(n), None if pd.isna(p) else p) for n, p in pairs]  # missing: None or NaN


def _exact(catalog: Catalog, rows: list[dict[str, object]]) -> list[tuple[int, object]]:
    out = []
    for row in rows:
        for number, result in catalog.evaluate(row).items():
            out.append((number, None if result.predikat is None else result.predikat.code))
    return out


counts = st.integers(min_value=0, max_value=400)
scores = st.integers(min_value=10_000, max_value=40_000).map(lambda n: Fraction(n, 10_000))


@given(st.lists(st.tuples(counts, counts), min_size=1, max_size=20))
@example([(36, 100), (20, 100), (18, 100), (0, 100), (0, 0), (7, 1), (14, 1), (63, 100)])
def test_small_catalogs_frames_predikat_equals_exact(
    catalogs: dict[str, Catalog], pairs: list[tuple[int, int]]
) -> None:
    """Ties included: 36/100 against 40% is capaian exactly 90 by the inverse, 110 by 2 - r."""
    rows: list[dict[str, object]] = [{"a": a, "b": b} for a, b in pairs]
    frame = pd.DataFrame(rows, dtype=np.float64)
    for name, catalog in catalogs.items():
        if name == "bundled":
            continue
        assert _codes(catalog, frame) == _exact(catalog, rows), name
        long = catalog.evaluate_frame(frame, "long")
        reasons = [None if pd.isna(reason) else reason for reason in long["reason"]]
        exact = [e.reason for row in rows for e in catalog.evaluate(row).values()]
        assert reasons == exact, name  # "the realisasi is 0" where capaian is target / realisasi
        capaian = [None if np.isnan(c) else c for c in long["capaian"]]
        exact_capaian = [e.achievement for row in rows for e in catalog.evaluate(row).values()]
        for got, want in zip(capaian, exact_capaian, strict=True):
            assert (got is None) == (want is None), name
            if got is not None and want is not None:
                assert got == pytest.approx(float(want), rel=1e-12), name


@given(st.lists(st.tuples(scores, counts, st.integers(min_value=1, max_value=400)), min_size=1))
@example([(Fraction("3.5324"), 0, 1), (Fraction("3.0644"), 0, 1), (Fraction("2.6"), 0, 1)])
@example([(Fraction(4), 91 * 85, 10_000), (Fraction(1), 76 * 85, 10_000)])
def test_the_bundled_catalogs_frames_predikat_equals_exact(
    catalogs: dict[str, Catalog], rows: list[tuple[Fraction, int, int]]
) -> None:
    """IKU 20 (its mutu on the 1-4 scale, at the PermenPANRB bounds) and IKU 23 (capaian)."""
    catalog = catalogs["bundled"]
    exact_rows: list[dict[str, object]] = [
        {"ikm_keimigrasian": score, "pemenuhan_makanan": min(fed, people), "jumlah_tahanan": people}
        for score, fed, people in rows
    ]
    frame = pd.DataFrame(
        [{key: float(value) for key, value in row.items()} for row in exact_rows]  # type: ignore[arg-type]
    )
    assert _codes(catalog, frame) == _exact(catalog, exact_rows)


def test_predikat_column_at_the_bounds(catalogs: dict[str, Catalog]) -> None:
    scale = catalogs["bundled"].predikat_scales["mutu_ikm_1_4"]
    values = np.array([0.99, 1.0, 2.5999, 2.6, 3.0643, 3.0644, 3.5323, 3.5324, 4.0, 4.01, np.nan])
    codes = [None if i < 0 else scale.bands[i].code for i in predikat_column(scale, values)]
    assert codes == [None, "D", "D", "C", "C", "B", "B", "A", "A", None, None]


def test_the_roll_ups_long_layout_has_the_exact_paths_predikat(
    catalogs: dict[str, Catalog],
) -> None:
    """The year for the Kanwil of the bundled example: the numpy roll-up and the report."""
    from iku_formula.report import build_report
    from iku_formula.sheets import read_sheet

    from ..conftest import REPO

    catalog = catalogs["bundled"]
    example = REPO / "examples" / "contoh-realisasi-2024-triwulan.csv"
    long = catalog.roll_up(pd.read_csv(example), layout="long")
    frames = {
        int(n): None if pd.isna(p) else p
        for n, p in zip(long["indicator"], long["predikat"], strict=True)
    }
    (kanwil,) = build_report(catalog, read_sheet(example, catalog)).sections
    exact = {
        number: None if result.predikat is None else result.predikat.code
        for number, result in kanwil.results.items()
    }
    assert frames == exact
    assert len(exact) == len(catalog)
    assert exact[20] in {"A", "B", "C", "D"}  # IKU 20: its mutu
