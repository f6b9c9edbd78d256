"""The functions of the formula language (``iku_formula.language.functions``)."""

from __future__ import annotations

import re
from fractions import Fraction

import attrs
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st
from sympy import Integer, Rational, Symbol

from iku_formula.language.functions import (
    FUNCTIONS,
    FunctionSpec,
    IkuFunction,
    Persen,
    Pertumbuhan,
    RataRata,
    RataRataTertimbang,
)
from iku_formula.language.printers import to_latex

a, b, c, d, w, v = (Symbol(name) for name in ("a", "b", "c", "d", "w", "v"))

# ------------------------------------------------------------------------- doit()

DOIT = [
    pytest.param(Persen(a, b), 100 * a / b, id="persen"),
    pytest.param(RataRata(a), a, id="rata-rata-one"),
    pytest.param(RataRata(a, b), (a + b) / 2, id="rata-rata-two"),
    pytest.param(RataRata(a, b, c), (a + b + c) / 3, id="rata-rata-three"),
    pytest.param(RataRataTertimbang(a, w), a * w / w, id="tertimbang-one-pair"),
    pytest.param(RataRataTertimbang(a, w, b, v), (a * w + b * v) / (w + v), id="tertimbang"),
    pytest.param(Pertumbuhan(a, b), (a - b) / b * 100, id="pertumbuhan"),
    pytest.param(
        Persen(RataRata(a, b), Pertumbuhan(c, d)),
        100 * ((a + b) / 2) / ((c - d) / d * 100),
        id="nested",
    ),
]


@pytest.mark.parametrize(("call", "arithmetic"), DOIT)
def test_doit_is_the_plain_arithmetic(call: IkuFunction, arithmetic: sympy.Expr) -> None:
    result = call.doit()
    assert sympy.simplify(result - arithmetic) == 0
    assert not result.has(IkuFunction)


@pytest.mark.parametrize(
    ("call", "expected"),
    [
        pytest.param(Persen(850, 1000), Integer(85), id="persen"),
        pytest.param(Persen(1, 3), Rational(100, 3), id="persen-exact-third"),
        pytest.param(RataRata(1, 2), Rational(3, 2), id="rata-rata"),
        pytest.param(RataRataTertimbang(3, 10, 4, 30), Rational(15, 4), id="tertimbang"),
        pytest.param(Pertumbuhan(110, 100), Integer(10), id="pertumbuhan"),
        pytest.param(Pertumbuhan(90, 100), Integer(-10), id="pertumbuhan-negative"),
        pytest.param(Persen(RataRata(1, 3), 4), Integer(50), id="nested"),
    ],
)
def test_doit_on_numbers_is_exact(call: IkuFunction, expected: sympy.Expr) -> None:
    result = call.doit()
    assert result == expected
    assert isinstance(result, sympy.Rational)


def test_doit_not_deep_keeps_inner_calls() -> None:
    shallow = Persen(RataRata(a, b), c).doit(deep=False)
    assert shallow == 100 * RataRata(a, b) / c
    assert shallow.has(RataRata)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.fractions(min_value=-1000, max_value=1000, max_denominator=50), min_size=4, max_size=4
    )
)
def test_doit_matches_fraction_arithmetic(values: list[Fraction]) -> None:
    x, y, p, q = values
    rx, ry, rp, rq = (Rational(value.numerator, value.denominator) for value in values)
    assert RataRata(rx, ry, rp).doit() == Rational(*_pair((x + y + p) / 3))
    if y:
        assert Persen(rx, ry).doit() == Rational(*_pair(x / y * 100))
        assert Pertumbuhan(rx, ry).doit() == Rational(*_pair((x - y) / y * 100))
    if y + q:
        expected = (x * y + p * q) / (y + q)
        assert RataRataTertimbang(rx, ry, rp, rq).doit() == Rational(*_pair(expected))


def _pair(value: Fraction) -> tuple[int, int]:
    return value.numerator, value.denominator


# -------------------------------------------------------------- never auto-evaluate

UNEVALUATED = [
    pytest.param(Persen, (1, 2), id="persen"),
    pytest.param(Persen, (a, 0), id="persen-zero-denominator"),
    pytest.param(RataRata, (1, 2, 3), id="rata-rata"),
    pytest.param(RataRata, (5,), id="rata-rata-one"),
    pytest.param(RataRataTertimbang, (1, 2, 3, 4), id="tertimbang"),
    pytest.param(Pertumbuhan, (2, 1), id="pertumbuhan"),
]


@pytest.mark.parametrize(("cls", "args"), UNEVALUATED)
def test_functions_never_auto_evaluate(cls: type[IkuFunction], args: tuple[object, ...]) -> None:
    call = cls(*args)
    assert type(call) is cls
    assert call.args == tuple(sympy.sympify(arg) for arg in args)
    assert call.func is cls
    assert not call.is_Number
    # arithmetic around a call keeps the call
    assert (call + call).has(cls)
    assert (2 * call - 1).has(cls)


def test_equal_calls_compare_equal_and_hash_equal() -> None:
    assert Persen(a, b) == Persen(a, b)
    assert hash(Persen(a, b)) == hash(Persen(a, b))
    assert Persen(a, b) != Persen(b, a)
    assert Persen(a, b) != Pertumbuhan(a, b)
    assert Persen(1, 2) != 50


@pytest.mark.parametrize(
    ("cls", "args"),
    [
        pytest.param(Persen, (a,), id="persen-1"),
        pytest.param(Persen, (a, b, c), id="persen-3"),
        pytest.param(Pertumbuhan, (a,), id="pertumbuhan-1"),
        pytest.param(Pertumbuhan, (a, b, c), id="pertumbuhan-3"),
    ],
)
def test_fixed_arity_is_enforced_by_sympy(
    cls: type[IkuFunction], args: tuple[sympy.Expr, ...]
) -> None:
    with pytest.raises(TypeError):
        cls(*args)


@pytest.mark.parametrize(
    ("call", "text"),
    [
        pytest.param(Persen(a, b), "persen(a, b)", id="persen"),
        pytest.param(RataRata(a, b, c), "rata_rata(a, b, c)", id="rata-rata"),
        pytest.param(
            RataRataTertimbang(a, w, b, v), "rata_rata_tertimbang(a, w, b, v)", id="tertimbang"
        ),
        pytest.param(Pertumbuhan(a, b), "pertumbuhan(a, b)", id="pertumbuhan"),
        pytest.param(Persen(a + b, 2 * c), "persen(a + b, 2*c)", id="arguments"),
    ],
)
def test_str_is_the_language_name(call: IkuFunction, text: str) -> None:
    assert str(call) == text


def test_weighted_mean_pairs() -> None:
    assert RataRataTertimbang(a, w, b, v).pairs() == [(a, w), (b, v)]


# ------------------------------------------------------------------ FunctionSpec.check_arity


@pytest.mark.parametrize(
    ("name", "count", "reason"),
    [
        pytest.param("persen", 2, None, id="persen-2"),
        pytest.param("persen", 0, "persen() takes exactly 2 arguments, got 0", id="persen-0"),
        pytest.param("persen", 1, "persen() takes exactly 2 arguments, got 1", id="persen-1"),
        pytest.param("persen", 3, "persen() takes exactly 2 arguments, got 3", id="persen-3"),
        pytest.param("pertumbuhan", 2, None, id="pertumbuhan-2"),
        pytest.param("pertumbuhan", 1, "takes exactly 2 arguments, got 1", id="pertumbuhan-1"),
        pytest.param("pertumbuhan", 3, "takes exactly 2 arguments, got 3", id="pertumbuhan-3"),
        pytest.param("rata_rata", 1, None, id="rata-rata-1"),
        pytest.param("rata_rata", 2, None, id="rata-rata-2"),
        pytest.param("rata_rata", 50, None, id="rata-rata-50"),
        pytest.param("rata_rata", 0, "rata_rata() takes at least 1 arguments, got 0", id="rr-0"),
        pytest.param("rata_rata_tertimbang", 2, None, id="tertimbang-2"),
        pytest.param("rata_rata_tertimbang", 4, None, id="tertimbang-4"),
        pytest.param("rata_rata_tertimbang", 10, None, id="tertimbang-10"),
        pytest.param("rata_rata_tertimbang", 0, "takes at least 2 arguments", id="tertimbang-0"),
        pytest.param("rata_rata_tertimbang", 1, "takes at least 2 arguments", id="tertimbang-1"),
        pytest.param(
            "rata_rata_tertimbang", 3, "takes value, weight pairs, got 3", id="tertimbang-3"
        ),
        pytest.param("rata_rata_tertimbang", 5, "value, weight pairs, got 5", id="tertimbang-5"),
    ],
)
def test_check_arity(name: str, count: int, reason: str | None) -> None:
    spec = FUNCTIONS[name]
    result = spec.check_arity(count)
    if reason is None:
        assert result is None
    else:
        assert result is not None
        assert reason in result
        assert result.endswith(spec.signature)


@pytest.mark.parametrize(
    ("count", "reason"),
    [
        pytest.param(0, "uji() takes 1 to 3 arguments, got 0: uji(x, [y, [z]])", id="0"),
        pytest.param(1, None, id="1"),
        pytest.param(3, None, id="3"),
        pytest.param(4, "uji() takes 1 to 3 arguments, got 4: uji(x, [y, [z]])", id="4"),
    ],
)
def test_check_arity_with_a_range(count: int, reason: str | None) -> None:
    spec = attrs.evolve(
        FUNCTIONS["rata_rata"], name="uji", min_args=1, max_args=3, signature="uji(x, [y, [z]])"
    )
    assert spec.check_arity(count) == reason


# ---------------------------------------------------------------------- the FUNCTIONS table

SPECS = [pytest.param(spec, id=name) for name, spec in FUNCTIONS.items()]


def test_functions_table_has_the_four_functions() -> None:
    assert set(FUNCTIONS) == {"persen", "rata_rata", "rata_rata_tertimbang", "pertumbuhan"}
    assert {spec.sympy_class for spec in FUNCTIONS.values()} == {
        Persen,
        RataRata,
        RataRataTertimbang,
        Pertumbuhan,
    }


@pytest.mark.parametrize("spec", SPECS)
def test_function_spec_is_complete(spec: FunctionSpec) -> None:
    assert FUNCTIONS[spec.name] is spec
    assert spec.sympy_class.language_name == spec.name
    assert issubclass(spec.sympy_class, IkuFunction)
    assert re.fullmatch(rf"{spec.name}\(.+\)", spec.signature)
    assert spec.meaning.strip()
    assert spec.latex.startswith(r"\frac{")
    assert spec.latex.count("{") == spec.latex.count("}")
    assert spec.min_args >= 1
    assert spec.max_args is None or spec.max_args >= spec.min_args
    assert spec.paired == (spec.name == "rata_rata_tertimbang")
    if spec.max_args == spec.min_args:
        assert spec.signature.count(",") + 1 == spec.min_args
        assert spec.sympy_class.nargs == {spec.min_args}
    else:
        assert "..." in spec.signature


@pytest.mark.parametrize(
    ("name", "args"),
    [
        pytest.param("persen", (a, b), id="persen"),
        pytest.param("pertumbuhan", (a, b), id="pertumbuhan"),
    ],
)
def test_documented_latex_is_what_is_rendered(name: str, args: tuple[Symbol, ...]) -> None:
    spec = FUNCTIONS[name]
    rendered = to_latex(spec.sympy_class(*args))
    assert rendered.replace(r"\mathrm{a}", "a").replace(r"\mathrm{b}", "b") == spec.latex
