"""Vectorised evaluation of DataFrames: equal to the exact scalar path, row by row."""

from __future__ import annotations

import gc
import math
import subprocess
import sys
import weakref
from collections.abc import Callable, Mapping
from decimal import Decimal
from fractions import Fraction
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from iku_formula import Catalog, InputError, InputKind, load_catalog
from iku_formula.engines import frames as frames_module
from iku_formula.language.undefined import TOO_LARGE_FOR_A_FLOAT
from iku_formula.model import Input

from ..conftest import REPO, indicator_toml

CATALOG = load_catalog()
MISSING = None


# --- strategies ------------------------------------------------------------------------------


def _value(spec: Input) -> st.SearchStrategy[float]:
    if spec.kind is InputKind.COUNT:
        return st.one_of(st.just(0), st.integers(0, 3), st.integers(0, 40)).map(float)
    if spec.kind is InputKind.AMOUNT:
        return st.one_of(st.just(0.0), st.integers(0, 10**9).map(lambda cents: cents / 100))
    assert spec.minimum is not None
    assert spec.maximum is not None
    low, high = int(spec.minimum * 100), int(spec.maximum * 100)
    return st.one_of(st.sampled_from([low, high]), st.integers(low, high)).map(lambda v: v / 100)


def _cell(spec: Input, missing: bool) -> st.SearchStrategy[float | None]:
    value: st.SearchStrategy[float | None] = _value(spec)
    return st.one_of(st.just(MISSING), value) if missing else value


@st.composite
def realised_frames(
    draw: st.DrawFn, catalog: Catalog, *, missing: bool = True, max_rows: int = 4
) -> Any:
    """A frame with a column per input of ``catalog``: zeros likely, a few missing cells."""
    rows = draw(st.integers(1, max_rows))
    with_missing = missing and draw(st.booleans())
    columns = {
        name: draw(st.lists(_cell(spec, with_missing), min_size=rows, max_size=rows))
        for name, spec in catalog.inputs.items()
    }
    frame = pd.DataFrame(columns, dtype=np.float64)
    frame.index = pd.Index([f"r{i}" for i in range(rows)])
    frame.insert(0, "unit", [f"upt{i}" for i in range(rows)])
    return frame


# --- comparing with the exact path -----------------------------------------------------------


def _close(actual: float, expected: Fraction | None) -> bool:
    if expected is None:
        return math.isnan(actual)
    return math.isclose(actual, float(expected), rel_tol=1e-9, abs_tol=1e-9)


def _row_values(frame: Any, label: Any, catalog: Catalog) -> dict[str, float]:
    row = frame.loc[label]
    return {
        name: float(row[name]) for name in catalog.inputs if name in row and not pd.isna(row[name])
    }


def assert_matches_exact(catalog: Catalog, frame: Any) -> None:
    """evaluate_frame (wide and long) equals Catalog.evaluate on every row, every indicator."""
    wide = catalog.evaluate_frame(frame)
    long = catalog.evaluate_frame(frame, layout="long")
    present = [i for i in catalog if all(name in frame.columns for name in i.inputs)]
    assert list(wide.columns) == [i.number for i in present]
    assert wide.index.equals(frame.index)
    assert len(long) == len(frame) * len(present)
    for label in frame.index:
        values = _row_values(frame, label, catalog)
        exact = catalog.evaluate(values)
        rows = long.loc[[label]].set_index("indicator")
        for indicator in present:
            number = indicator.number
            got = rows.loc[number]
            assert wide.loc[label, number] == got["realisasi"] or (
                math.isnan(got["realisasi"]) and math.isnan(wide.loc[label, number])
            )
            if number not in exact:
                absent = next(name for name in indicator.inputs if name not in values)
                assert math.isnan(got["realisasi"]), (label, number)
                assert got["reason"] == f"missing input {absent}"
                assert not got["met"]
                assert math.isnan(got["capaian"])
                continue
            result = exact[number]
            where = (label, number, values)
            assert _close(got["realisasi"], result.value), where
            assert _close(got["capaian"], result.achievement), where
            assert bool(got["met"]) == result.met, where
            assert got["target"] == float(indicator.target.value)
            expected_reason = result.reason
            if expected_reason is None:
                assert pd.isna(got["reason"]), where
            else:
                assert got["reason"] == expected_reason, where


@settings(max_examples=40)
@given(frame=realised_frames(CATALOG))
def test_bundled_catalog_equals_the_exact_path(frame: Any) -> None:
    assert_matches_exact(CATALOG, frame)


SHAPES = """
[catalog.achievement]
cap = 120

[inputs.e]
label = "E"
unit = "orang"
kind = "count"
"""


def _shapes_catalog(make_catalog: Callable[..., Catalog]) -> Catalog:
    return make_catalog(
        indicator_toml(1),
        indicator_toml(
            2, formula="a / (b - c)", inputs=["a", "b", "c"], polarity="minimize", target="2 Orang"
        ),
        indicator_toml(3, formula="pertumbuhan(rupiah, a)", inputs=["rupiah", "a"], target="5%"),
        indicator_toml(
            4,
            formula="rata_rata(persen(a, b), persen(c, d))",
            inputs=["a", "b", "c", "d"],
            undefined_parts="skip",
        ),
        indicator_toml(5, formula="rata_rata(persen(a, b), skor * 25)", inputs=["a", "b", "skor"]),
        indicator_toml(
            6,
            formula="rata_rata_tertimbang(skor, a, skor * 2 - 1, b)",
            inputs=["skor", "a", "b"],
            target="3 Indeks",
        ),
        indicator_toml(
            7,
            formula="a",
            inputs=["a", "c", "d"],
            target="1 Kegiatan / 80%",
            target_part_formulas=["persen(c, d)"],
        ),
        indicator_toml(8, formula="e", inputs=["e"], target="0 Orang", polarity="minimize"),
        indicator_toml(
            9, formula="(a + b) ** 2 / 10 - c ** -1", inputs=["a", "b", "c"], target="10 Orang"
        ),
        indicator_toml(
            10,
            formula="rata_rata(rata_rata(persen(a, b), persen(c, d)), persen(e, d))",
            inputs=["a", "b", "c", "d", "e"],
            undefined_parts="skip",
        ),
        extra=SHAPES,
    )


def test_every_formula_shape_equals_the_exact_path(
    make_catalog: Callable[..., Catalog],
) -> None:
    catalog = _shapes_catalog(make_catalog)
    assert len(catalog) == 10
    assert catalog.achievement_rule.cap == 120

    @settings(max_examples=40)
    @given(frame=realised_frames(catalog, max_rows=5))
    def check(frame: Any) -> None:
        assert_matches_exact(catalog, frame)

    check()


def test_long_layout_keeps_every_input_row_and_indicator() -> None:
    names = [name for i in (CATALOG[23], CATALOG[29], CATALOG[13]) for name in i.inputs]
    frame = pd.DataFrame(
        {name: [0.0, 2.0, np.nan, 0.0] for name in dict.fromkeys(names)},
        index=pd.Index([10, 20, 30, 40], name="baris"),
    )
    frame["unit"] = ["a", "b", "c", "d"]
    frame["period"] = [1, 1, 2, 2]
    long = CATALOG.evaluate_frame(frame, layout="long")
    assert list(long.columns) == ["unit", "period", *frames_module.LONG_COLUMNS]
    assert len(long) == 4 * 3
    pairs = set(zip(long.index, long["indicator"], strict=True))
    assert pairs == {(row, number) for row in (10, 20, 30, 40) for number in (13, 23, 29)}
    assert long.index.name == "baris"
    assert list(long.loc[30, "unit"]) == ["c"] * 3
    undefined = long[long["realisasi"].isna()]
    assert set(undefined.index) == {10, 30, 40}
    assert undefined["reason"].notna().all()
    assert not undefined["met"].any()


def test_wide_layout_keeps_the_index_and_names_columns_by_number() -> None:
    frame = pd.DataFrame(
        {"unit": ["x", "y"], "pemenuhan_makanan": [850, 0], "jumlah_tahanan": [1000, 0]},
        index=pd.Index(["p", "q"]),
    )
    wide = CATALOG.evaluate_frame(frame)
    assert list(wide.columns) == [23]
    assert wide.index.equals(frame.index)
    assert wide.loc["p", 23] == 85.0
    assert math.isnan(wide.loc["q", 23])
    assert wide[23].dtype == np.float64


def test_an_input_that_is_no_column_leaves_its_indicators_out() -> None:
    frame = pd.DataFrame({"pemenuhan_makanan": [1], "perancang_dibina": [20]})
    assert list(CATALOG.evaluate_frame(frame).columns) == [8]
    assert len(CATALOG.evaluate_frame(pd.DataFrame({"unit": ["x"]})).columns) == 0
    long = CATALOG.evaluate_frame(pd.DataFrame({"unit": ["x"]}), layout="long")
    assert len(long) == 0
    assert list(long.columns) == ["unit", *frames_module.LONG_COLUMNS]


def test_an_empty_frame_gives_empty_columns() -> None:
    frame = pd.DataFrame({"pemenuhan_makanan": [], "jumlah_tahanan": []}, dtype=float)
    assert list(CATALOG.evaluate_frame(frame).columns) == [23]
    assert len(CATALOG.evaluate_frame(frame, layout="long")) == 0


def test_strings_with_a_decimal_comma_and_blanks() -> None:
    frame = pd.DataFrame(
        {
            "nilai_ipk_internal": ["3,5", " 3.25 ", "", None],
            "responden_ipk_internal": ["10", "30", "5", "5"],
            "nilai_ipk_eksternal": ["3", "3", "3", "3"],
            "responden_ipk_eksternal": [0, 10, 0, 0],
        }
    )
    long = CATALOG.evaluate_frame(frame, layout="long").set_index("indicator", append=True)
    values = long["realisasi"]
    assert values[(0, 21)] == 3.5
    assert values[(1, 21)] == pytest.approx((3.25 * 30 + 3 * 10) / 40)
    assert math.isnan(values[(2, 21)])
    assert long.loc[(2, 21), "reason"] == "missing input nilai_ipk_internal"
    assert long.loc[(3, 21), "reason"] == "missing input nilai_ipk_internal"


def test_nullable_integer_columns_read_pd_na_as_missing() -> None:
    frame = pd.DataFrame(
        {
            "pemenuhan_makanan": pd.array([1, None], dtype="Int64"),
            "jumlah_tahanan": pd.array([2, 2], dtype="Int64"),
        }
    )
    wide = CATALOG.evaluate_frame(frame)
    assert wide.loc[0, 23] == 50.0
    assert math.isnan(wide.loc[1, 23])


@pytest.mark.parametrize(
    ("column", "values", "message"),
    [
        ("jumlah_tahanan", [3, -1, -2], "row 'r1': -1.0 is negative"),
        ("jumlah_tahanan", [3, 2.5, 1], "row 'r1': 2.5 is not a whole number"),
        ("jumlah_tahanan", ["3", "1.234", "1"], "row 'r1': '1.234' is not a whole number"),
        ("jumlah_tahanan", ["3", "tiga", "1"], "row 'r1': 'tiga' is not a number"),
        ("jumlah_tahanan", [3, np.inf, 1], "row 'r1'"),
        ("jumlah_tahanan", [True, False, True], "True/False are not numbers"),
        ("nilai_ipk_internal", [3, 4.5, 5], "row 'r1': 4.5 is outside the score's range 1 to 4"),
        ("penerimaan_pnbp_ahu", [3, -0.5, 1], "row 'r1': -0.5 is negative"),
        # issue 10: what the exact path refuses, in the exact path's words
        ("jumlah_tahanan", ["3", "1e5", "1"], "row 'r1': '1e5' is not a number; write digits"),
        ("jumlah_tahanan", ["3", "12.", "1"], "row 'r1': '12.' is not a number"),
        ("jumlah_tahanan", ["3", "1_000", "1"], "row 'r1': '1_000' is not a number"),
        ("jumlah_tahanan", ["3", "inf", "1"], "row 'r1': 'inf' is not a number"),
        ("jumlah_tahanan", ["3", "٣", "1"], "row 'r1': '٣' is not a number"),
        ("jumlah_tahanan", [3, Decimal("sNaN"), 1], "row 'r1': sNaN is not a finite number"),
        pytest.param(
            "jumlah_tahanan",
            [3, 10**5000, 1],
            "row 'r1': a number of about 5,001 digits",
            id="huge",
        ),
        ("jumlah_tahanan", [3, [1], 1], "row 'r1': [1] (list) is not a number"),
        ("penerimaan_pnbp_ahu", [3, 5.551115123125783e-17, 1], "more than 30 digits"),
    ],
)
def test_bad_values_name_the_column_and_the_first_bad_row(
    column: str, values: list[Any], message: str
) -> None:
    frame = pd.DataFrame({column: values}, index=["r0", "r1", "r2"])
    with pytest.raises(InputError, match=column) as raised:
        CATALOG.evaluate_frame(frame)
    assert message in str(raised.value)
    assert raised.value.inputs == (column,)


def test_every_bad_column_is_reported_at_once() -> None:
    frame = pd.DataFrame({"jumlah_tahanan": [-1, -2, -3], "pemenuhan_makanan": [0.5, 1, 1]})
    with pytest.raises(InputError) as raised:
        CATALOG.evaluate_frame(frame)
    assert set(raised.value.inputs) == {"jumlah_tahanan", "pemenuhan_makanan"}
    assert "2 more bad rows" in str(raised.value)


def test_bad_arguments() -> None:
    frame = pd.DataFrame({"jumlah_tahanan": [1]})
    for layout in ("tall", 5, ["wide"]):  # issue 10: an InputError, no longer a plain ValueError
        with pytest.raises(InputError, match="layout must be 'wide' or 'long'"):
            CATALOG.evaluate_frame(frame, layout=layout)  # type: ignore[arg-type]
    with pytest.raises(InputError, match="DataFrame"):
        CATALOG.evaluate_frame({"jumlah_tahanan": [1]})
    with pytest.raises(InputError, match="duplicate column"):
        CATALOG.evaluate_frame(pd.DataFrame([[1, 2]], columns=["jumlah_tahanan"] * 2))
    clash = pd.DataFrame({"pemenuhan_makanan": [1], "jumlah_tahanan": [2], "reason": ["x"]})
    with pytest.raises(InputError, match="'reason'"):
        CATALOG.evaluate_frame(clash, layout="long")
    assert list(CATALOG.evaluate_frame(clash).columns) == [23]


def test_no_infinity_ever(make_catalog: Callable[..., Catalog]) -> None:
    catalog = make_catalog(
        indicator_toml(1, formula="a / rupiah + a * rupiah ** -2", inputs=["a", "rupiah"]),
        indicator_toml(2, formula="a ** 6 / rupiah ** 6", inputs=["a", "rupiah"]),
    )
    frame = pd.DataFrame({"a": [1.0, 0.0, 10.0**29], "rupiah": [0.0, 0.0, 10.0**-29]})
    wide = catalog.evaluate_frame(frame)
    assert not np.isinf(wide.to_numpy()).any()
    assert wide[1].isna().tolist() == [True, True, False]
    assert wide[2].isna().tolist() == [True, True, True]
    long = catalog.evaluate_frame(frame, layout="long")
    reasons = [None if pd.isna(reason) else reason for reason in long["reason"]]
    assert reasons == [
        "division by zero: rupiah is 0",
        "division by zero: rupiah is 0",
        "division by zero: rupiah is 0",
        "division by zero: rupiah is 0",
        None,
        TOO_LARGE_FOR_A_FLOAT,  # 10**348: exact, but no float
    ]


def test_formulas_compile_once_lazily_and_the_cache_goes_with_the_catalog(
    make_catalog: Callable[..., Catalog],
) -> None:
    catalog = make_catalog(indicator_toml(1))
    assert catalog not in frames_module._PLANS
    frame = pd.DataFrame({"a": [1], "b": [2]})
    catalog.evaluate_frame(frame)
    plan = frames_module._PLANS[catalog]
    catalog.evaluate_frame(frame, layout="long")
    assert frames_module._PLANS[catalog] is plan
    alive = weakref.ref(catalog)
    plans = weakref.ref(plan)
    del catalog, plan
    gc.collect()
    assert alive() is None  # the cache does not keep the catalog alive...
    assert plans() is None  # ...and goes with it


def test_multi_part_targets_need_every_part() -> None:
    frame = pd.DataFrame(
        {"kegiatan_analisis_evaluasi": [1, 0, 2], "rekomendasi_kebijakan_ae": [1, 1, np.nan]}
    )
    long = CATALOG.evaluate_frame(frame, layout="long")
    assert list(long["met"]) == [True, False, False]
    assert list(long["capaian"][:2]) == [100.0, 0.0]
    assert list(long["reason"][2:]) == ["missing input rekomendasi_kebijakan_ae"]


def test_import_iku_formula_imports_neither_pandas_nor_numpy_nor_explain() -> None:
    code = (
        "import sys, iku_formula; "
        "iku_formula.load_catalog(); "
        "assert 'pandas' not in sys.modules and 'numpy' not in sys.modules, sorted(sys.modules); "
        # nor what only explaining and notebooks need (start-up time, benchmarks figure 1)
        "assert 'iku_formula.explain' not in sys.modules; "
        "assert 'iku_formula.notebook' not in sys.modules; "
        "assert iku_formula.Explanation.__module__ == 'iku_formula.explain'"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=REPO, env=_env_with_src())


def _env_with_src() -> Mapping[str, str]:
    import os

    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(REPO / "src"), *filter(None, [env.get("PYTHONPATH")])])
    return env


# --- large frames: computed in blocks, by several threads -----------------------------------


@pytest.fixture
def in_blocks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make every frame "large": blocks of 2 rows, computed by 2 threads from 18 rows on."""
    monkeypatch.setattr(frames_module, "BLOCK_ROWS", 2)
    monkeypatch.setattr(frames_module, "BLOCKED_FROM", 0)
    monkeypatch.setattr(frames_module, "THREADS", 2)


def _both_ways(frame: Any, monkeypatch: pytest.MonkeyPatch) -> tuple[Any, Any]:
    whole = (CATALOG.evaluate_frame(frame), CATALOG.evaluate_frame(frame, layout="long"))
    with monkeypatch.context() as patch:
        patch.setattr(frames_module, "BLOCK_ROWS", 2)
        patch.setattr(frames_module, "BLOCKED_FROM", 0)
        patch.setattr(frames_module, "THREADS", 2)
        blocks = (CATALOG.evaluate_frame(frame), CATALOG.evaluate_frame(frame, layout="long"))
    return whole, blocks


@settings(max_examples=25, deadline=None)
@given(frame=realised_frames(CATALOG, max_rows=25))
def test_blocks_and_threads_give_the_same_frames_bit_for_bit(frame: Any) -> None:
    monkeypatch = pytest.MonkeyPatch()
    try:
        (wide, long), (wide_blocks, long_blocks) = _both_ways(frame, monkeypatch)
    finally:
        monkeypatch.undo()
    pd.testing.assert_frame_equal(wide_blocks, wide, check_exact=True)
    pd.testing.assert_frame_equal(long_blocks, long, check_exact=True)


@pytest.mark.usefixtures("in_blocks")
@settings(max_examples=10, deadline=None)
@given(frame=realised_frames(CATALOG, max_rows=25))
def test_blocks_and_threads_equal_the_exact_path(frame: Any) -> None:
    assert_matches_exact(CATALOG, frame)


@pytest.mark.usefixtures("in_blocks")
@pytest.mark.parametrize("row", [0, 1, 17, 39])
def test_a_bad_value_in_any_block_is_found(row: int) -> None:
    counts = [5.0] * 40
    counts[row] = 2.5
    frame = pd.DataFrame({"pemenuhan_makanan": [1.0] * 40, "jumlah_tahanan": counts})
    with pytest.raises(InputError, match=rf"row {row}: 2.5 is not a whole number") as raised:
        CATALOG.evaluate_frame(frame)
    assert raised.value.inputs == ("jumlah_tahanan",)


@pytest.mark.usefixtures("in_blocks")
def test_blocks_keep_missing_values_and_zero_denominators_apart() -> None:
    frame = pd.DataFrame(
        {
            "pemenuhan_makanan": [1.0, np.nan, 3.0, 0.0] * 6,
            "jumlah_tahanan": [2.0, 2.0, 0.0, 0.0] * 6,
        }
    )
    long = CATALOG.evaluate_frame(frame, layout="long")
    reasons = [None if pd.isna(reason) else reason for reason in long["reason"]]
    assert (
        reasons
        == [
            None,
            "missing input pemenuhan_makanan",
            "the denominator jumlah_tahanan is 0",
            "the denominator jumlah_tahanan is 0",
        ]
        * 6
    )
    realisasi = CATALOG.evaluate_frame(frame)[23].tolist()
    assert realisasi == pytest.approx([50.0, np.nan, np.nan, np.nan] * 6, nan_ok=True)


@pytest.mark.usefixtures("in_blocks")
def test_no_infinity_in_blocks_either(make_catalog: Callable[..., Catalog]) -> None:
    test_no_infinity_ever(make_catalog)


# --- the same verdict as the exact path, cell by cell ------------------------------------
# Defect (issue 10): pd.to_numeric read "1e5", "12.", ".5" and "inf" in a text column, which
# the exact path refuses; an object column holding Decimal('sNaN') raised InvalidOperation,
# one holding 10**5000 a raw ValueError; Fraction(1, 3), which the exact path takes, was
# refused; a float of 5.551115123125783e-17 was taken, which the exact path refuses (32
# decimals). A cell is missing when it is None, NaN or blank text; otherwise evaluate_frame
# takes it exactly when coerce_value does, and reads the same number.

VERDICT_INPUTS = {
    kind: next(spec for spec in CATALOG.inputs.values() if spec.kind is kind) for kind in InputKind
}
SCORE_FROM_ZERO = Input("skor", "Skor", "indeks", InputKind.SCORE, Fraction(-5), Fraction(5))


def _exact_verdict(raw: object, spec: Input) -> float | str | None:
    """What the exact path makes of a frame cell: missing (None), a float, or refused ("")."""
    if raw is None or (isinstance(raw, float) and math.isnan(raw)):
        return None
    if isinstance(raw, str) and not raw.strip():
        return None
    try:
        return float(frames_module.coerce_value(raw, spec))
    except ValueError:
        return ""


def _frame_verdict(cells: list[Any], spec: Input, dtype: str | None) -> list[float] | str:
    catalog = Catalog(
        title="uji",
        year=2024,
        path=None,
        achievement_rule=CATALOG.achievement_rule,
        objectives=(),
        inputs={spec.name: spec},
        components={},
        indicators=(),
    )
    column = pd.Series(cells, dtype=dtype) if dtype else pd.Series(cells, dtype=object)
    try:
        arrays = frames_module.read_inputs(catalog, pd.DataFrame({spec.name: column}))
    except InputError:
        return ""
    return list(arrays[spec.name])


NUMBERISH = st.text(alphabet="0123456789.,+-eE_ ٣²①∞\u00a0\t\x1cnaNIf", max_size=12)
TEXTS = st.one_of(
    NUMBERISH,
    st.text(max_size=20),
    st.decimals(allow_nan=False, allow_infinity=False).map(str),
    st.decimals(allow_nan=False, allow_infinity=False, places=3).map(
        lambda d: str(d).replace(".", ",")
    ),
    st.integers(0, 40).map(lambda n: "9" * n),
    st.integers(0, 40).map(lambda n: "0." + "0" * n + "1"),
    st.sampled_from(["1e5", "12.", " 3", "1_000", "∞", "NaN", "inf", "٣", ".5", "+5", "-0"]),
)
OBJECTS = st.one_of(
    TEXTS,
    st.none(),
    st.integers(-(10**40), 10**40),
    st.just(10**5000),
    st.fractions(max_denominator=10**35),
    st.decimals(),
    st.just(Decimal("sNaN")),
    st.floats(),
    st.booleans(),
    st.lists(st.integers(), max_size=2),
)


@settings(max_examples=400, deadline=None)
@given(
    st.lists(TEXTS, min_size=1, max_size=4),
    st.sampled_from([*VERDICT_INPUTS.values(), SCORE_FROM_ZERO]),
    st.sampled_from([None, "string", "str", "category"]),
)
def test_text_cells_get_the_exact_paths_verdict(
    cells: list[str], spec: Input, dtype: str | None
) -> None:
    expected = [_exact_verdict(cell, spec) for cell in cells]
    got = _frame_verdict(cells, spec, dtype)
    if "" in expected:
        assert got == "", (cells, expected)
        return
    assert got != "", (cells, expected)
    for value, exact in zip(got, expected, strict=True):
        assert (math.isnan(value) and exact is None) or value == pytest.approx(exact, rel=1e-15)


@settings(max_examples=400, deadline=None)
@given(
    st.lists(OBJECTS, min_size=1, max_size=4),
    st.sampled_from([*VERDICT_INPUTS.values(), SCORE_FROM_ZERO]),
)
def test_object_cells_get_the_exact_paths_verdict(cells: list[Any], spec: Input) -> None:
    expected = [_exact_verdict(cell, spec) for cell in cells]
    got = _frame_verdict(cells, spec, None)
    if "" in expected:
        assert got == "", (cells, expected)
        return
    assert got != "", (cells, expected)
    for value, exact in zip(got, expected, strict=True):
        assert (math.isnan(value) and exact is None) or value == pytest.approx(exact, rel=1e-15)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.floats(allow_infinity=True),
            st.floats(min_value=-1e-12, max_value=1e-12),
            st.just(5.551115123125783e-17),
            st.just(1e30),
            st.just(math.nextafter(1e30, 0)),
        ),
        min_size=1,
        max_size=4,
    ),
    st.sampled_from([*VERDICT_INPUTS.values(), SCORE_FROM_ZERO]),
    st.sampled_from(["float64", "float32"]),
)
def test_float_cells_get_the_exact_paths_verdict(
    cells: list[float], spec: Input, dtype: str
) -> None:
    with np.errstate(over="ignore"):  # a float32 column rounds its values: 1e300 is inf
        cells = [float(np.array(cell, dtype=dtype)) for cell in cells]
    expected = [_exact_verdict(cell, spec) for cell in cells]
    got = _frame_verdict(cells, spec, dtype)
    assert (got == "") == ("" in expected), (cells, expected)
