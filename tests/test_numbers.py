"""Numbers as text (``iku_formula.numbers``): exact text, display rounding, separators."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from iku_formula.numbers import (
    NUMBER_TEXT_RE,
    display,
    exact_decimal,
    exact_indonesian,
    exact_latex,
    exact_text,
    indonesian,
    terminating_places,
    with_unit,
)

F = Fraction


@pytest.mark.parametrize(
    ("value", "text", "latex", "places"),
    [
        (F(850), "850", "850", 0),
        (F(12), "12", "12", 0),
        (F(31, 10), "3.1", "3.1", 1),
        (F(1, 8), "0.125", "0.125", 3),
        (F(-7, 20), "-0.35", "-0.35", 2),
        (F(-5, 4), "-1.25", "-1.25", 2),
        (F(1, 1024), "0.0009765625", "0.0009765625", 10),
        (F(123456789, 1000), "123456.789", "123456.789", 3),
        (F(100, 3), "100/3", r"\frac{100}{3}", None),
        (F(-1, 3), "-1/3", r"-\frac{1}{3}", None),
        (F(-2, 3), "-2/3", r"-\frac{2}{3}", None),
        (F(0), "0", "0", 0),
    ],
)
def test_exact_numbers(value: Fraction, text: str, latex: str, places: int | None) -> None:
    """Messages, explanations and reports write a number one way: exact, never a float."""
    assert exact_text(value) == text
    assert exact_latex(value) == latex
    assert terminating_places(value) == places
    assert exact_decimal(value) == (None if places is None else text)


@given(st.fractions(max_denominator=10**6))
def test_exact_text_reads_back(value: Fraction) -> None:
    assert Fraction(exact_text(value)) == value


@pytest.mark.parametrize(
    ("text", "shown"),
    [("1234567", "1.234.567"), ("-1234.50", "-1.234,50"), ("84.52", "84,52"), ("0", "0")],
)
def test_indonesian_separators(text: str, shown: str) -> None:
    assert indonesian(text) == shown


@pytest.mark.parametrize(
    ("value", "shown"), [(F(12345, 10), "1.234,5"), (F(200, 3), "200/3"), (F(-3), "-3")]
)
def test_exact_indonesian(value: Fraction, shown: str) -> None:
    assert exact_indonesian(value) == shown


@pytest.mark.parametrize(
    ("value", "places", "half_up", "count", "shown"),
    [
        (F(2345, 1000), 2, True, False, "2.35"),
        (F(-2345, 1000), 2, True, False, "-2.35"),
        (F(2349, 1000), 2, False, False, "2.34"),
        (F(24), 2, True, False, "24.00"),
        (F(24), 2, True, True, "24"),
        (F(49, 2), 2, True, True, "24.50"),  # a rolled-up count may be a fraction
        (F(-1, 1000), 2, True, False, "0.00"),
    ],
)
def test_display(value: Fraction, places: int, half_up: bool, count: bool, shown: str) -> None:
    assert display(value, places, half_up=half_up, count=count) == Decimal(shown)
    assert str(display(value, places, half_up=half_up, count=count)) == shown


@pytest.mark.parametrize(
    ("unit", "plain", "html"),
    [("%", "85%", "85&nbsp;%"), ("Indeks", "85 Indeks", "85&nbsp;Indeks"), (None, "85", "85")],
)
def test_with_unit(unit: str | None, plain: str, html: str) -> None:
    assert with_unit("85", unit) == plain
    assert with_unit("85", unit, space="&nbsp;", percent="&nbsp;%") == html


@pytest.mark.parametrize(
    ("text", "number"),
    [("3,2", True), ("-5", True), ("+7.25", True), ("1e5", False), ("12.", False), ("", False)],
)
def test_number_text(text: str, number: bool) -> None:
    assert bool(NUMBER_TEXT_RE.match(text)) is number


def test_a_number_too_long_to_write_is_said_by_its_size() -> None:
    """str() of an integer beyond sys.get_int_max_str_digits raises; a message never does."""
    huge = F(10**5000)
    assert exact_text(huge) == "a number of about 5,001 digits"
    assert exact_text(F(1, 10**5000)).startswith("a number of about")
    assert exact_text(F(10**4000)) == "1" + "0" * 4000


@pytest.mark.parametrize(
    ("number", "indonesian_text", "english_text"),
    [
        (Decimal("84.52"), "84,52", "84.52"),
        (Decimal("1234567"), "1.234.567", "1,234,567"),
        (Decimal("-1234.50"), "-1.234,50", "-1,234.50"),
        (Decimal("0.00"), "0,00", "0.00"),
        (24, "24", "24"),
        ("NaN", "NaN", "NaN"),
    ],
)
def test_localized_numbers(number: object, indonesian_text: str, english_text: str) -> None:
    from iku_formula.i18n import set_language
    from iku_formula.numbers import localized

    try:
        set_language("id")
        assert localized(number) == indonesian_text  # type: ignore[arg-type]
        set_language("en")
        assert localized(number) == english_text  # type: ignore[arg-type]
    finally:
        set_language(None)


@pytest.mark.parametrize(
    ("value", "indonesian_text", "english_text"),
    [(Fraction(2469, 2), "1.234,5", "1,234.5"), (Fraction(200, 3), "200/3", "200/3")],
)
def test_exact_localized(value: Fraction, indonesian_text: str, english_text: str) -> None:
    from iku_formula.i18n import set_language
    from iku_formula.numbers import exact_localized

    try:
        set_language("id")
        assert exact_localized(value) == indonesian_text
        set_language("en")
        assert exact_localized(value) == english_text
    finally:
        set_language(None)


@pytest.mark.parametrize(("places", "code"), [(0, "#,##0"), (2, "#,##0.00"), (3, "#,##0.000")])
def test_spreadsheet_format(places: int, code: str) -> None:
    from iku_formula.numbers import spreadsheet_format

    assert spreadsheet_format(places) == code
