"""The fast float path for one record: Catalog.evaluate_floats."""

from __future__ import annotations

import gc
import math
import subprocess
import sys
import weakref
from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from iku_formula import Catalog, InputError, InputKind, load_catalog
from iku_formula.engines import floats as floats_module
from iku_formula.model import Input

from ..conftest import indicator_toml

CATALOG = load_catalog()


def _value(spec: Input) -> st.SearchStrategy[float | int]:
    """Valid values, zeros likely (so that denominators are 0), as int or float."""
    if spec.kind is InputKind.COUNT:
        return st.one_of(st.just(0), st.integers(0, 3), st.integers(0, 10**6))
    if spec.kind is InputKind.AMOUNT:
        return st.one_of(st.just(0.0), st.integers(0, 10**11).map(lambda cents: cents / 100))
    assert spec.minimum is not None
    assert spec.maximum is not None
    low, high = int(spec.minimum * 100), int(spec.maximum * 100)
    return st.one_of(st.sampled_from([low, high]), st.integers(low, high)).map(lambda v: v / 100)


@st.composite
def records(draw: st.DrawFn, catalog: Catalog, *, partial: bool = True) -> dict[str, float]:
    """A value for every input of ``catalog`` or, with ``partial``, for some of them."""
    names = list(catalog.inputs)
    if partial and draw(st.booleans()):
        names = draw(st.lists(st.sampled_from(names), unique=True))
    return {name: draw(_value(catalog.inputs[name])) for name in names}


def _same(a: float, b: float) -> bool:
    return a == b or (math.isnan(a) and math.isnan(b))


@settings(max_examples=60)
@given(st.data())
def test_floats_equal_the_vectorised_path_and_the_exact_path(data: st.DataObject) -> None:
    values = data.draw(records(CATALOG))
    floats = CATALOG.evaluate_floats(values)
    exact = CATALOG.evaluate(values)
    assert list(floats) == list(exact)  # the indicators whose inputs are all given, in order
    frame = pd.DataFrame({name: [float(value)] for name, value in values.items()})
    wide = CATALOG.evaluate_frame(frame) if values else pd.DataFrame()
    assert list(wide.columns) == list(floats)
    for number, value in floats.items():
        assert _same(value, float(wide.loc[0, number])), number  # vector = scalar, bit for bit
        expected = exact[number].value
        if expected is None:
            assert math.isnan(value), number
        else:
            assert math.isclose(value, float(expected), rel_tol=1e-9, abs_tol=1e-9), number


@settings(max_examples=20)
@given(st.lists(records(CATALOG, partial=False), min_size=1, max_size=5))
def test_each_row_of_a_frame_is_its_record(rows: list[dict[str, float]]) -> None:
    wide = CATALOG.evaluate_frame(pd.DataFrame(rows, dtype=np.float64))
    for position, values in enumerate(rows):
        floats = CATALOG.evaluate_floats(values)
        assert list(floats) == list(wide.columns)
        for number, value in floats.items():
            assert _same(value, float(wide.iloc[position][number])), (position, number)


def test_zero_denominators_give_nan_and_a_skipping_mean_skips() -> None:
    values = {"pemenuhan_makanan": 2900, "jumlah_tahanan": 3200}
    assert CATALOG.evaluate_floats(values) == {23: 90.625}
    assert math.isnan(CATALOG.evaluate_floats({**values, "jumlah_tahanan": 0})[23])
    hiv_tb = {
        "narapidana_hiv_tersupresi": 9,
        "narapidana_hiv": 10,
        "narapidana_tb_sembuh": 0,
        "narapidana_tb_positif": 0,  # undefined part: left out of the mean (skip)
    }
    assert CATALOG.evaluate_floats(hiv_tb) == {29: 90.0}
    assert CATALOG.evaluate(hiv_tb)[29].value == 90
    nothing = {**hiv_tb, "narapidana_hiv": 0}
    assert math.isnan(CATALOG.evaluate_floats(nothing)[29])


def test_only_indicators_with_every_input_and_every_kind_of_number() -> None:
    assert CATALOG.evaluate_floats({}) == {}
    assert CATALOG.evaluate_floats({"jumlah_tahanan": 5}) == {}  # 23 and 24 need more
    shares = {"pemenuhan_makanan": "2900", "jumlah_tahanan": Decimal("3200")}
    assert CATALOG.evaluate_floats(shares) == {23: 90.625}
    scores = {"ikm_keimigrasian": "3,25", "indeks_penegakan_hukum_ki": Fraction(7, 2)}
    assert CATALOG.evaluate_floats(scores) == {4: 3.5, 20: 3.25}
    assert CATALOG.evaluate_floats({"ikm_keimigrasian": np.float64(3.5)}) == {20: 3.5}
    # A value the inline check leaves to the exact path's checks, which accept it.
    assert CATALOG.evaluate_floats({"ikm_keimigrasian": 10**40 // 10**40 * 3}) == {20: 3.0}
    assert CATALOG.evaluate_floats({"perancang_dibina": 10**29}) == {8: 1e29}


@pytest.mark.parametrize(
    "values",
    [
        {"jumlah_tahanna": 5},  # unknown name, with a did-you-mean
        {"jumlah_tahanan": -1},
        {"jumlah_tahanan": 2.5},
        {"jumlah_tahanan": True},
        {"jumlah_tahanan": math.nan},
        {"jumlah_tahanan": math.inf},
        {"jumlah_tahanan": 10**30},
        {"jumlah_tahanan": 1e30},
        {"penerimaan_pnbp_ahu": 1e-40},
        {"ikm_keimigrasian": 4.01},
        {"ikm_keimigrasian": 0},
        {"jumlah_tahanan": "12.5"},
        {"jumlah_tahanan": None},
        ["jumlah_tahanan"],
    ],
)
def test_bad_values_raise_the_exact_paths_error(values: Any) -> None:
    with pytest.raises(InputError) as exact:
        CATALOG.evaluate(values)
    with pytest.raises(InputError) as fast:
        CATALOG.evaluate_floats(values)
    assert str(fast.value) == str(exact.value)
    assert fast.value.inputs == exact.value.inputs


def test_no_infinity_ever(make_catalog: Callable[..., Catalog]) -> None:
    catalog = make_catalog(
        indicator_toml(1, formula="a / rupiah + a * rupiah ** -2", inputs=["a", "rupiah"]),
        indicator_toml(2, formula="a ** 6 / rupiah ** 6", inputs=["a", "rupiah"]),
        indicator_toml(3, formula="(a * rupiah) ** 6 - a", inputs=["a", "rupiah"]),
    )
    for a, rupiah in [(1, 0.0), (0, 0.0), (10**29, 1e-29), (10**29, 3.0), (10**29, 1e29)]:
        values = {"a": a, "rupiah": rupiah}
        floats = catalog.evaluate_floats(values)
        wide = catalog.evaluate_frame(pd.DataFrame({"a": [float(a)], "rupiah": [rupiah]}))
        assert not any(math.isinf(value) for value in floats.values())
        for number, value in floats.items():
            assert _same(value, float(wide.loc[0, number])), (values, number)
    overflow = catalog.evaluate_floats({"a": 10**29, "rupiah": 1e29})
    assert math.isnan(overflow[3])  # (10**58) ** 6 is no float
    assert catalog.evaluate({"a": 10**29, "rupiah": 10**29})[3].value == 10**348 - 10**29


def test_compiled_once_lazily_and_the_cache_goes_with_the_catalog(
    make_catalog: Callable[..., Catalog],
) -> None:
    catalog = make_catalog(indicator_toml(1))
    assert catalog not in floats_module._PLANS
    assert catalog.evaluate_floats({"a": 1, "b": 4}) == {1: 25.0}
    plan = floats_module._PLANS[catalog]
    catalog.evaluate_floats({"a": 3, "b": 4})
    assert floats_module._PLANS[catalog] is plan
    alive = weakref.ref(catalog)
    plans = weakref.ref(plan)
    del catalog, plan
    gc.collect()
    assert alive() is None
    assert plans() is None


def test_needs_neither_numpy_nor_pandas() -> None:
    code = (
        "import sys, iku_formula; "
        "result = iku_formula.load_catalog().evaluate_floats({'jumlah_anak': 4, "
        "'anak_hak_pengasuhan': 3}); "
        "assert result == {52: 75.0}, result; "
        "assert 'numpy' not in sys.modules and 'pandas' not in sys.modules, 'imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
