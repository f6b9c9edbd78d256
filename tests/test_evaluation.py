"""Exact evaluation: coercion of realised values, undefined results, warnings, parts."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
import sympy
from hypothesis import given
from hypothesis import strategies as st

from iku_formula import Catalog, InputError, InputKind, Status, load_catalog
from iku_formula.evaluation import coerce_value
from iku_formula.model import Input

from .conftest import HEADER, indicator_toml

F = Fraction
COUNT = Input("jumlah", "Jumlah", "orang", InputKind.COUNT)
AMOUNT = Input("penerimaan", "Penerimaan", "rupiah", InputKind.AMOUNT)
SCORE = Input("skor", "Skor", "indeks", InputKind.SCORE, F(1), F(4))


@pytest.mark.parametrize(
    ("raw", "spec", "expected"),
    [
        (12, COUNT, F(12)),
        ("12", COUNT, F(12)),
        (" 12 ", COUNT, F(12)),
        (12.0, COUNT, F(12)),
        (Decimal("12"), COUNT, F(12)),
        (F(12), COUNT, F(12)),
        (sympy.Integer(12), COUNT, F(12)),
        (0.1, AMOUNT, F(1, 10)),  # floats are read by their shortest decimal form
        ("1500000,50", AMOUNT, F(3000001, 2)),
        (Decimal("0.30"), AMOUNT, F(3, 10)),
        ("3,1", SCORE, F(31, 10)),
        ("3.1", SCORE, F(31, 10)),
        (1, SCORE, F(1)),
        (4, SCORE, F(4)),
    ],
)
def test_coerce_value_accepts(raw: object, spec: Input, expected: Fraction) -> None:
    value = coerce_value(raw, spec)
    assert value == expected
    assert type(value) is Fraction


@pytest.mark.parametrize(
    ("raw", "spec", "message"),
    [
        (-1, COUNT, "negative"),
        (1.5, COUNT, "not a whole number"),
        ("1.234", COUNT, "separates thousands"),
        ("1.234,5", AMOUNT, "not a number"),
        ("", COUNT, "not a number"),
        ("dua", COUNT, "not a number"),
        ("1e3", COUNT, "not a number"),
        (None, COUNT, "not a number"),
        (True, COUNT, "not a number"),
        (float("nan"), AMOUNT, "not a finite number"),
        (float("inf"), AMOUNT, "not a finite number"),
        (Decimal("NaN"), AMOUNT, "not a finite number"),
        (-0.5, AMOUNT, "negative"),
        (5, SCORE, "outside the score's range 1 to 4"),
        ("0,9", SCORE, "outside"),
        ([1], COUNT, "not a number"),
        (Decimal("1e100000000"), AMOUNT, "too large"),
        (Decimal("1e-100000000"), AMOUNT, "too large or too small"),
        (Decimal("0." + "1" * 40), AMOUNT, "more than 30 decimals"),
        (10**40, COUNT, "more than 30 digits"),
        ("9" * 40, COUNT, "more than 30 digits"),
        ("9" * 70, COUNT, "not a number"),
        (1e300, AMOUNT, "more than 30 digits"),
        (F(1, 10**40), AMOUNT, "more than 30 digits"),
        # Defect (issue 10): beyond Python's limit on printing an integer, the message itself
        # raised "Exceeds the limit (4300 digits) for integer string conversion".
        pytest.param(10**5000, COUNT, "a number of about 5,001 digits has more", id="10**5000"),
        pytest.param(F(10**5000, 3), AMOUNT, "a number of about 5,001 digits", id="F(10**5000, 3)"),
        pytest.param(F(1, 10**5000), AMOUNT, "a number of about 5,001 digits", id="F(1, 10**5000)"),
        (Decimal("sNaN"), AMOUNT, "sNaN is not a finite number"),
        ("9" * 5000, COUNT, "is not a number"),
        pytest.param(
            [0] * 100_000,
            COUNT,
            r"^\[0, 0, .{40,60}\.\.\. \(list\) is not a number$",
            id="long list",
        ),
    ],
)
def test_coerce_value_rejects(raw: object, spec: Input, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        coerce_value(raw, spec)


def test_persen_exact_with_numerator_and_denominator(make_catalog: Callable[..., Catalog]) -> None:
    result = make_catalog(indicator_toml())[1].evaluate({"a": 1, "b": 3})
    assert result.value == F(100, 3)
    assert result.achievement == F(1000, 27)
    assert result.status is Status.NOT_MET
    assert result.met is False
    assert (result.numerator, result.denominator) == (F(1), F(3))
    assert result.display_value() == Decimal("33.33")
    assert result.display_achievement() == Decimal("37.04")
    assert result.inputs == {"a": F(1), "b": F(3)}
    assert result.warnings == ()


def test_zero_denominator_is_undefined_with_reason(make_catalog: Callable[..., Catalog]) -> None:
    result = make_catalog(indicator_toml())[1].evaluate({"a": 0, "b": 0})
    assert result.value is None
    assert result.achievement is None
    assert result.status is Status.UNDEFINED
    assert result.met is False
    assert result.reason == "the denominator b is 0"
    assert result.display_value() is None


@pytest.mark.parametrize(
    ("formula", "inputs", "values", "reason"),
    [
        ("a / b", ["a", "b"], {"a": 1, "b": 0}, "division by zero: b is 0"),
        ("a / (b - c)", ["a", "b", "c"], {"a": 1, "b": 2, "c": 2}, "division by zero"),
        ("pertumbuhan(a, b)", ["a", "b"], {"a": 5, "b": 0}, "previous-period value b is 0"),
        (
            "rata_rata_tertimbang(skor, a, skor, b)",
            ["skor", "a", "b"],
            {"skor": 3, "a": 0, "b": 0},
            "weights a + b add up to 0",
        ),
        (
            "rata_rata(persen(a, b), c)",
            ["a", "b", "c"],
            {"a": 1, "b": 0, "c": 5},
            "part of the mean",
        ),
        ("persen(a, b) + 1", ["a", "b"], {"a": 1, "b": 0}, "denominator b is 0"),
    ],
)
def test_undefined_results_never_zoo_nor_raise(
    make_catalog: Callable[..., Catalog],
    formula: str,
    inputs: list[str],
    values: dict[str, int],
    reason: str,
) -> None:
    result = make_catalog(indicator_toml(formula=formula, inputs=inputs, target="1 Indeks"))[1]
    evaluation = result.evaluate(values)
    assert evaluation.value is None
    assert evaluation.status is Status.UNDEFINED
    assert evaluation.reason is not None
    assert reason in evaluation.reason


def test_mean_policy_skip_uses_defined_parts(make_catalog: Callable[..., Catalog]) -> None:
    extra = """
[components.pa]
label = "PA"
formula = "persen(a, b)"

[components.pc]
label = "PC"
formula = "persen(c, d)"
"""
    catalog = make_catalog(
        indicator_toml(
            1, formula="rata_rata(pa, pc)", inputs=["a", "b", "c", "d"], undefined_parts="skip"
        ),
        indicator_toml(2, formula="rata_rata(pa, pc)", inputs=["a", "b", "c", "d"]),
        extra=extra,
    )
    skip, strict = catalog[1], catalog[2]
    values = {"a": 9, "b": 10, "c": 0, "d": 0}
    assert skip.evaluate(values).value == 90
    assert "left out: persen(c, d)" in skip.evaluate(values).warnings[0]
    assert strict.evaluate(values).value is None
    assert skip.evaluate({"a": 0, "b": 0, "c": 0, "d": 0}).value is None
    assert skip.evaluate({"a": 9, "b": 10, "c": 1, "d": 2}).value == 70


def test_numerator_above_denominator_warns_but_computes(
    make_catalog: Callable[..., Catalog],
) -> None:
    result = make_catalog(indicator_toml())[1].evaluate({"a": 12, "b": 10})
    assert result.value == 120
    assert result.status is Status.MET
    assert result.warnings == (
        "the numerator a = 12 exceeds the denominator b = 10; check the data",
    )


def test_negative_numerator_warns(make_catalog: Callable[..., Catalog]) -> None:
    catalog = make_catalog(indicator_toml(formula="persen(b - a, b)"))
    result = catalog[1].evaluate({"a": 12, "b": 10})
    assert result.value == -20
    assert "is negative" in result.warnings[0]


def test_two_part_target(make_catalog: Callable[..., Catalog]) -> None:
    catalog = make_catalog(
        indicator_toml(
            formula="a",
            target="1 Kegiatan / 2 Rekomendasi Kebijakan",
            target_part_formulas=["b"],
            inputs=["a", "b"],
        )
    )
    indicator = catalog[1]
    assert [(p.value, p.unit) for p in indicator.target.parts] == [
        (1, "Kegiatan"),
        (2, "Rekomendasi Kebijakan"),
    ]
    met = indicator.evaluate({"a": 1, "b": 2})
    assert met.status is Status.MET
    assert met.achievement == 100
    half = indicator.evaluate({"a": 3, "b": 1})
    assert half.status is Status.NOT_MET  # the second part is not met
    assert half.value == 3
    assert half.achievement == 50  # the lowest capaian of the parts
    assert [part.achievement for part in half.parts] == [300, 50]


def test_minimize_polarity(make_catalog: Callable[..., Catalog]) -> None:
    indicator = make_catalog(indicator_toml(polarity="minimize", target="20%"))[1]
    result = indicator.evaluate({"a": 1, "b": 10})
    assert result.value == 10
    assert result.achievement == 150
    assert result.status is Status.MET
    worst = indicator.evaluate({"a": 10, "b": 10})
    assert worst.achievement == 0
    assert worst.status is Status.NOT_MET


@pytest.mark.parametrize(
    ("values", "fragment", "names"),
    [
        ({"a": 1}, "missing input 'b'", ("b",)),
        ({}, "missing inputs 'a', 'b'", ("a", "b")),
        ({"a": -1, "b": 2}, "input 'a': -1 is negative", ("a",)),
        ({"a": "x", "b": 2.5}, "input 'b': 2.5 is not a whole number", ("a", "b")),
        ({"a": float("nan"), "b": 2}, "not a finite number", ("a",)),
    ],
)
def test_bad_inputs_raise_input_error_naming_indicator_and_input(
    make_catalog: Callable[..., Catalog],
    values: dict[str, object],
    fragment: str,
    names: tuple[str, ...],
) -> None:
    indicator = make_catalog(indicator_toml(7))[7]
    before = dict(values)
    with pytest.raises(InputError, match="indicator 7") as caught:
        indicator.evaluate(values)
    assert fragment in str(caught.value)
    assert caught.value.indicator == 7
    assert caught.value.inputs == names
    assert values == before  # bad input loses nothing


def test_values_must_be_a_mapping(make_catalog: Callable[..., Catalog]) -> None:
    with pytest.raises(InputError, match="mapping"):
        make_catalog(indicator_toml())[1].evaluate([("a", 1)])  # type: ignore[arg-type]


def test_catalog_evaluate_only_complete_indicators(make_catalog: Callable[..., Catalog]) -> None:
    catalog = make_catalog(
        indicator_toml(1),
        indicator_toml(2, formula="persen(c, d)", inputs=["c", "d"]),
        indicator_toml(3, formula="rupiah", inputs=["rupiah"], target="5 Rupiah"),
    )
    results = catalog.evaluate({"a": 9, "b": 10, "rupiah": "1000,5"})
    assert list(results) == [1, 3]
    assert results[1].value == 90
    assert results[3].value == F(2001, 2)


def test_catalog_evaluate_rejects_unknown_names_with_suggestion(
    make_catalog: Callable[..., Catalog],
) -> None:
    catalog = make_catalog(indicator_toml())
    with pytest.raises(InputError, match=r"unknown input 'rupiahh' \(did you mean 'rupiah'\?\)"):
        catalog.evaluate({"a": 1, "b": 2, "rupiahh": 3})


def test_catalog_evaluate_names_input_and_indicators(make_catalog: Callable[..., Catalog]) -> None:
    catalog = make_catalog(
        indicator_toml(1), indicator_toml(2, formula="a", target="1 Orang", inputs=["a"])
    )
    with pytest.raises(InputError, match=r"input 'a' \(indicator 1, 2\): -3 is negative") as caught:
        catalog.evaluate({"a": -3, "b": 2})
    assert caught.value.inputs == ("a",)


@given(
    a=st.integers(min_value=0, max_value=10**9),
    b=st.integers(min_value=0, max_value=10**9),
    c=st.integers(min_value=0, max_value=10**9),
    d=st.integers(min_value=0, max_value=10**9),
)
def test_evaluation_equals_rational_arithmetic(a: int, b: int, c: int, d: int) -> None:
    catalog = _composite_catalog()
    result = catalog[1].evaluate({"a": a, "b": b, "c": c, "d": d})
    if b == 0 or d == 0:
        assert result.value is None
    else:
        assert result.value == (F(a, b) * 100 + F(c, d) * 100) / 2
    growth = catalog[2].evaluate({"a": a, "b": b})
    assert growth.value == (None if b == 0 else F(a - b, b) * 100)


_CACHE: dict[str, Catalog] = {}


def _cached_catalog(name: str, *indicators: str) -> Catalog:
    """A catalog built once per session for hypothesis (fixtures are per test)."""
    if name not in _CACHE:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / f"{name}.toml"
            path.write_text(HEADER + "".join(indicators), encoding="utf-8")
            _CACHE[name] = load_catalog(path)
    return _CACHE[name]


def _composite_catalog() -> Catalog:
    return _cached_catalog(
        "composite",
        indicator_toml(
            1, formula="rata_rata(persen(a, b), persen(c, d))", inputs=["a", "b", "c", "d"]
        ),
        indicator_toml(2, formula="pertumbuhan(a, b)", inputs=["a", "b"]),
    )


@given(
    numerator=st.integers(min_value=0, max_value=10**6),
    extra=st.integers(min_value=0, max_value=10**6),
)
def test_ratio_within_0_and_100_when_numerator_not_above_denominator(
    numerator: int, extra: int
) -> None:
    denominator = numerator + extra
    result = _composite_catalog()[1].evaluate(
        {"a": numerator, "b": denominator, "c": numerator, "d": denominator}
    )
    if denominator == 0:
        assert result.value is None
    else:
        assert result.value is not None
        assert 0 <= result.value <= 100
        assert result.warnings == ()


@given(
    values=st.lists(st.integers(min_value=0, max_value=10**6), min_size=4, max_size=4),
    weights=st.lists(st.integers(min_value=0, max_value=10**4), min_size=2, max_size=2),
)
def test_means_lie_between_their_minimum_and_maximum(values: list[int], weights: list[int]) -> None:
    catalog = _means_catalog()
    a, b, c, d = values
    mean = catalog[1].evaluate({"a": a, "b": b, "c": c, "d": d}).value
    assert mean is not None
    assert min(values) <= mean <= max(values)
    scores = [F(1) + F(value % 301, 100) for value in values[:2]]  # within the 1..4 range
    weighted = catalog[2].evaluate({"skor": scores[0], "a": weights[0], "b": weights[1]}).value
    if sum(weights) == 0:
        assert weighted is None
    else:
        assert weighted == scores[0]  # one score weighted any way is that score
    pair = catalog[3].evaluate({"a": a, "b": b, "c": weights[0], "d": weights[1]}).value
    if sum(weights) == 0:
        assert pair is None
    else:
        assert pair is not None
        assert min(a, b) <= pair <= max(a, b)


def _means_catalog() -> Catalog:
    return _cached_catalog(
        "means",
        indicator_toml(
            1, formula="rata_rata(a, b, c, d)", inputs=["a", "b", "c", "d"], target="1 Orang"
        ),
        indicator_toml(
            2,
            formula="rata_rata_tertimbang(skor, a, skor, b)",
            inputs=["skor", "a", "b"],
            target="3 Indeks",
        ),
        indicator_toml(
            3,
            formula="rata_rata_tertimbang(a, c, b, d)",
            inputs=["a", "b", "c", "d"],
            target="3 Orang",
        ),
    )


# ------------------------------------------------------ results too long to write
# A value beyond sys.get_int_max_str_digits cannot be written (str() raises ValueError):
# it is undefined, with the reason, never an error further on (a report, an explanation).


def test_a_result_too_long_to_write_is_undefined_with_its_reason(
    make_catalog: Callable[..., Catalog],
) -> None:
    catalog = make_catalog(indicator_toml(formula="a * b"))
    huge = F(10**5000)  # as a roll-up could hand evaluate_exact, past the checks of coerce
    result = catalog.evaluate_exact({"a": huge, "b": F(3)})[1]
    assert result.value is None
    assert result.status is Status.UNDEFINED
    assert result.reason is not None
    assert result.reason.startswith("the result has more than 4,300 digits, too many to write")


def test_a_short_result_of_long_parts_keeps_its_value(
    make_catalog: Callable[..., Catalog],
) -> None:
    catalog = make_catalog(indicator_toml())  # persen(a, b)
    huge = F(10**5000)
    result = catalog.evaluate_exact({"a": huge, "b": 2 * huge})[1]
    assert result.value == 50
    assert (result.numerator, result.denominator) == (None, None)  # too long to write


def test_the_limit_is_the_interpreters(make_catalog: Callable[..., Catalog]) -> None:
    import sys

    catalog = make_catalog(
        indicator_toml(formula="a**6 * b**6 * c**6 * d**6", inputs=["a", "b", "c", "d"])
    )
    values = dict.fromkeys("abcd", "9" * 30)  # within the inputs' limits; their product is not
    before = sys.get_int_max_str_digits()
    sys.set_int_max_str_digits(640)  # the smallest Python allows
    try:
        result = catalog.evaluate(values)[1]
    finally:
        sys.set_int_max_str_digits(before)
    assert result.reason is not None
    assert result.reason.startswith("the result has more than 640 digits")
    assert catalog.evaluate(values)[1].value is not None  # 720 digits, within the default


def test_explain_refuses_what_is_no_catalog(make_catalog: Callable[..., Catalog]) -> None:
    result = make_catalog(indicator_toml())[1].evaluate({"a": 1, "b": 3})
    with pytest.raises(InputError, match="explain\\(catalog\\) takes the Catalog or None, got int"):
        result.explain(5)  # type: ignore[arg-type]
