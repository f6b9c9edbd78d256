"""Consistency rules: parsed safely, loaded with the catalog, reported and never blocking."""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from pathlib import Path

import pytest
import sympy

from iku_formula import Catalog, CatalogError, FormulaError, Rule, Status, load_catalog
from iku_formula.language.functions import Persen
from iku_formula.language.parse import parse_rule

from ..conftest import HEADER, indicator_toml

a, b, c = sympy.symbols("a b c")


@pytest.mark.parametrize(
    ("text", "left", "operator", "right"),
    [
        ("a <= b", a, "<=", b),
        ("a < b", a, "<", b),
        ("a >= b + c", a, ">=", b + c),
        ("a > 0", a, ">", 0),
        ("a + b == c", a + b, "==", c),
        ("persen(a, b) <= 100", Persen(a, b), "<=", 100),
        ("  a<=b  ", a, "<=", b),
    ],
)
def test_parse_rule(text: str, left: sympy.Expr, operator: str, right: sympy.Expr) -> None:
    assert parse_rule(text) == (left, operator, right)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a", "exactly one comparison"),
        ("a <= b <= c", "exactly one comparison"),
        ("a <= b >= c", "exactly one comparison"),
        ("(a <= b) + 1", "one comparison between two formulas"),
        ("a = b", "unexpected character '='"),
        ("a != b", "unexpected character '!'"),
        ("a <= __import__('os')", "underscore"),
        ("a <= bb", "unknown name 'bb'; did you mean 'b'?"),
        ("a <= 1/0", "division by zero"),
        ("", "empty"),
    ],
)
def test_parse_rule_rejects(text: str, message: str) -> None:
    with pytest.raises(FormulaError, match=message):
        parse_rule(text, ["a", "b", "c"])


def test_rule_holds_table() -> None:
    table = {"<=": (True, True, False), "<": (True, False, False), ">=": (False, True, True),
             ">": (False, False, True), "==": (False, True, False)}  # fmt: skip
    for operator, expected in table.items():
        rule = Rule.parse(f"a {operator} b")
        results = tuple(rule.holds(Fraction(x), Fraction(1)) for x in (0, 1, 2))
        assert results == expected, operator
    assert Rule.parse("a <= b + c").inputs == {"a", "b", "c"}


RULES = """
[[rules]]
rule = "a <= b"
note = "A adalah bagian dari B."

[[rules]]
rule = "c <= d"

[[rules]]
rule = "b <= d"
note = "Melintasi indikator."
"""


def test_rules_attach_to_the_indicators_whose_inputs_they_relate(
    make_catalog: Callable[..., Catalog],
) -> None:
    catalog = make_catalog(
        indicator_toml(1), indicator_toml(2, formula="persen(c, d)", inputs=["c", "d"]),
        extra=RULES,
    )  # fmt: skip
    assert [rule.text for rule in catalog.rules] == ["a <= b", "c <= d", "b <= d"]
    assert [rule.text for rule in catalog[1].rules] == ["a <= b"]
    assert [rule.text for rule in catalog[2].rules] == ["c <= d"]
    assert catalog.rules[0].note == "A adalah bagian dari B."


def test_violations_are_reported_with_values_and_never_change_data(
    make_catalog: Callable[..., Catalog],
) -> None:
    catalog = make_catalog(indicator_toml(1), extra=RULES)
    result = catalog[1].evaluate({"a": 12, "b": 10})
    assert result.value == 120  # still computed
    assert result.status is Status.MET
    (violation,) = result.violations
    assert violation.rule.text == "a <= b"
    assert dict(violation.values) == {"a": 12, "b": 10}
    assert (violation.left, violation.right) == (12, 10)
    assert result.warnings == ("rule a <= b is broken: a = 12, b = 10; check the data",)
    assert catalog[1].evaluate({"a": 10, "b": 10}).violations == ()


def test_declared_rules_replace_the_built_in_share_check(
    make_catalog: Callable[..., Catalog],
) -> None:
    without = make_catalog(indicator_toml(1))[1].evaluate({"a": 12, "b": 10})
    assert without.violations == ()
    assert without.warnings == (
        "the numerator a = 12 exceeds the denominator b = 10; check the data",
    )


def test_catalog_check_includes_rules_spanning_indicators(
    make_catalog: Callable[..., Catalog],
) -> None:
    catalog = make_catalog(
        indicator_toml(1), indicator_toml(2, formula="persen(c, d)", inputs=["c", "d"]),
        extra=RULES,
    )  # fmt: skip
    broken = catalog.check({"a": 1, "b": 5, "c": 1, "d": 2})
    assert [violation.rule.text for violation in broken] == ["b <= d"]
    assert catalog.check({"a": 1, "b": 5}) == ()  # d absent: the rule is not checked


@pytest.mark.parametrize(
    ("extra", "fragment"),
    [
        ('\n[[rules]]\nrule = "a <= zz"\n', "rule #1 (a <= zz): field 'rule': unknown name 'zz'"),
        ('\n[[rules]]\nrule = "a"\n', "exactly one comparison"),
        ('\n[[rules]]\nnote = "x"\n', "rule #1: field 'rule' is missing"),
        ('\n[[rules]]\nrule = "a <= b"\nwarna = 1\n', "unknown field 'warna'"),
        ('\n[[rules]]\nrule = "a <= b"\n[[rules]]\nrule = "a <= b"\n', "duplicate of rule #1"),
        ("\n[[rules]]\nrule = \"__import__('os') <= a\"\n", "field 'rule'"),
    ],
)
def test_invalid_rules(make_catalog: Callable[..., Catalog], extra: str, fragment: str) -> None:
    with pytest.raises(CatalogError) as caught:
        make_catalog(indicator_toml(1), extra=extra)
    problems = [str(problem) for problem in caught.value.problems]
    assert any(fragment in problem for problem in problems), problems


def test_rules_must_be_a_list(write_catalog: Callable[[str], Path]) -> None:
    with pytest.raises(CatalogError, match="'rules' must be a list"):
        load_catalog(write_catalog("rules = 3\n" + HEADER + indicator_toml(1)))


def test_bundled_catalog_declares_a_rule_for_every_share() -> None:
    catalog = load_catalog()
    for indicator in catalog:
        if indicator.formula.has(Persen):
            assert indicator.rules, f"indicator {indicator.number} has no consistency rule"
