"""The public API that other applications rely on: names, hierarchy, documented examples."""

from __future__ import annotations

import doctest
from fractions import Fraction

import pytest
import sympy

import iku_formula
from iku_formula import (
    CatalogError,
    FormulaError,
    IkuError,
    InputError,
    Polarity,
    Status,
    UnknownIndicatorError,
    load_catalog,
    parse_formula,
)

STABLE_NAMES = {
    "load_catalog",
    "parse_formula",
    "Catalog",
    "Indicator",
    "Evaluation",
    "Polarity",
    "Status",
    "Target",
    "IkuError",
    "FormulaError",
    "CatalogError",
    "InputError",
}


def test_all_lists_the_stable_api_and_only_real_names() -> None:
    assert set(iku_formula.__all__) >= STABLE_NAMES
    for name in iku_formula.__all__:
        assert hasattr(iku_formula, name), name


@pytest.mark.parametrize("error", [FormulaError, CatalogError, InputError])
def test_errors_form_one_hierarchy_under_a_value_error(error: type[IkuError]) -> None:
    assert issubclass(error, IkuError)
    assert issubclass(error, ValueError)


def test_polarity_and_status_values() -> None:
    assert Polarity.MAXIMIZE.value == "maximize"
    assert Polarity.MINIMIZE.value == "minimize"
    assert [status.label for status in Status] == [
        "tercapai",
        "tidak tercapai",
        "tidak terdefinisi",
    ]


def test_indicator_surface() -> None:
    catalog = load_catalog()
    indicator = catalog[23]
    assert indicator.number == 23
    assert indicator.name.startswith("Persentase pemenuhan layanan makanan")
    assert indicator.objective.name.startswith("Meningkatnya Pelayanan Perawatan")
    assert (indicator.target.value, indicator.target.unit) == (85, "%")
    assert indicator.polarity is Polarity.MAXIMIZE
    assert indicator.inputs == ("pemenuhan_makanan", "jumlah_tahanan")
    assert indicator.formula.free_symbols == set(sympy.symbols("pemenuhan_makanan jumlah_tahanan"))
    assert indicator.source_formula is not None
    assert isinstance(indicator.notes, tuple)
    assert indicator.formula == parse_formula("persen(pemenuhan_makanan, jumlah_tahanan)")
    result = indicator.evaluate({"pemenuhan_makanan": "850", "jumlah_tahanan": 1000})
    assert (result.value, result.achievement, result.met) == (Fraction(85), Fraction(100), True)
    assert (result.numerator, result.denominator) == (850, 1000)
    assert result.target is indicator.target


def test_catalog_surface() -> None:
    catalog = load_catalog()
    assert len(catalog) == 55
    assert [indicator.number for indicator in catalog][:3] == [1, 2, 3]
    assert catalog.year == 2024
    assert len(catalog.objectives) == 24
    assert "jumlah_tahanan" in catalog.inputs
    assert catalog.by_key("ippw").number == 22
    with pytest.raises(KeyError, match="numbers: 1 to 55"):
        catalog[56]
    with pytest.raises(UnknownIndicatorError, match="did you mean 'ippw'"):
        catalog.by_key("ipw")
    assert str(UnknownIndicatorError("no indicator")) == "no indicator"  # not quoted like KeyError


def test_counts_display_without_decimals() -> None:
    catalog = load_catalog()
    assert catalog[8].is_count
    assert not catalog[23].is_count
    assert str(catalog[8].evaluate({"perancang_dibina": 24}).display_value()) == "24"
    shown = catalog[23].evaluate({"pemenuhan_makanan": 1, "jumlah_tahanan": 3}).display_value()
    assert str(shown) == "33.33"


def test_composed_text_keeps_references() -> None:
    indicator = load_catalog()[29]
    assert indicator.composed_text == "rata_rata(persen_hiv_tersupresi, persen_tb_sembuh)"
    assert indicator.formula_text.startswith("rata_rata(persen(narapidana_hiv_tersupresi")


def test_catalog_evaluate_on_partial_values() -> None:
    results = load_catalog().evaluate({"pemenuhan_makanan": 850, "jumlah_tahanan": 1000})
    assert list(results) == [23]
    assert results[23].status is Status.MET


@pytest.mark.parametrize("module", ["iku_formula", "iku_formula.language.parse"])
def test_docstring_examples_run(module: str) -> None:
    imported = __import__(module, fromlist=["_"])
    failures, tried = doctest.testmod(imported, optionflags=doctest.ELLIPSIS)
    assert tried > 0
    assert failures == 0


# Defect (issue 10): catalog[True] was indicator 1 and catalog[23.0] indicator 23 (they hash
# alike), by_key(5) raised TypeError from difflib, and [1] in catalog raised TypeError.
@pytest.mark.parametrize(
    ("key", "fragment"),
    [
        (True, "no indicator number True in this catalog (numbers: 1 to 55)"),
        (23.0, "no indicator number 23.0 in this catalog"),
        ("23", "'23': indicators are numbered by integers (numbers: 1 to 55); the number is 23"),
        ("ippw", "catalog.by_key(key) finds an indicator by its key"),
        ("٣", "catalog.by_key(key)"),  # an Arabic-Indic digit: int() would read it as 3
        ([1], "no indicator number [1]"),
        ("9" * 5000, "no indicator number '99999"),
    ],
)
def test_a_catalog_is_indexed_by_integers_only(key: object, fragment: str) -> None:
    catalog = load_catalog()
    with pytest.raises(UnknownIndicatorError) as caught:
        catalog[key]  # type: ignore[index]
    assert isinstance(caught.value, KeyError)
    assert fragment in str(caught.value)
    assert len(str(caught.value)) < 200
    assert key not in catalog


def test_a_numpy_integer_finds_its_indicator() -> None:
    import numpy as np

    catalog = load_catalog()
    assert catalog[np.int64(23)] is catalog[23]
    assert np.int64(23) in catalog


@pytest.mark.parametrize(
    ("key", "fragment"),
    [
        (5, "an indicator key is text, got int 5; catalog[number] finds"),
        (None, "an indicator key is text, got NoneType None"),
        ("i" * 5000, "no indicator with key 'iiii"),
    ],
)
def test_by_key_refuses_what_is_no_key(key: object, fragment: str) -> None:
    with pytest.raises(UnknownIndicatorError) as caught:
        load_catalog().by_key(key)  # type: ignore[arg-type]
    assert fragment in str(caught.value)
    assert len(str(caught.value)) < 200
