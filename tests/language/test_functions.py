"""The functions of the formula language (``iku_formula.language.functions``)."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from fractions import Fraction

import attrs
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st
from sympy import Integer, Rational, Symbol

from iku_formula import Catalog
from iku_formula.language.functions import (
    FUNCTIONS,
    FunctionSpec,
    IkuFunction,
    Persen,
    Pertumbuhan,
    RataRata,
    RataRataTertimbang,
)
from iku_formula.language.parse import parse_formula
from iku_formula.language.printers import LatexPrinter, to_latex, to_text
from iku_formula.language.undefined import (
    denominator_is_zero,
    division_by_zero,
    mean_left_out,
    mean_part_undefined,
    undefined_part,
)

from ..conftest import REPO, indicator_toml

pd = pytest.importorskip("pandas")

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


# --------------------------------------------- every back end reads every function of the table

NAMES = ("a", "b", "c", "d")  # count inputs of conftest.HEADER


def _count(spec: FunctionSpec) -> int:
    """How many arguments to call ``spec`` with: its fixed number, else two (or two pairs)."""
    if spec.max_args == spec.min_args:
        return spec.min_args
    return 4 if spec.paired else 2


def _call(spec: FunctionSpec, arguments: Sequence[str]) -> str:
    return f"{spec.name}({', '.join(arguments[: _count(spec)])})"


def _make(
    make_catalog: Callable[..., Catalog], formulas: Sequence[str], policy: str = "undefined"
) -> Catalog:
    return make_catalog(
        *(
            indicator_toml(
                number,
                formula=formula,
                inputs=sorted(str(name) for name in parse_formula(formula).free_symbols),
                undefined_parts=policy,
            )
            for number, formula in enumerate(formulas, 1)
        )
    )


@pytest.mark.parametrize("spec", SPECS)
def test_every_back_end_has_every_function(
    spec: FunctionSpec, make_catalog: Callable[..., Catalog]
) -> None:
    """Exact, floats, numpy, explanation, LaTeX and text all compute or show a call of ``spec``:
    a function added to the table without one of its forms fails here."""
    from iku_formula.engines.floats import FLOAT_NAMESPACE, SKIPPING
    from iku_formula.engines.frames import NUMPY_NAMESPACE

    assert FLOAT_NAMESPACE[spec.sympy_class.__name__] is spec.floats
    assert NUMPY_NAMESPACE[spec.sympy_class.__name__] is spec.numpy
    if spec.undefined_arguments is not None:
        skipping = SKIPPING[spec.name].__name__
        assert FLOAT_NAMESPACE[skipping] is spec.undefined_arguments.floats
        assert NUMPY_NAMESPACE[skipping] is spec.undefined_arguments.numpy
    count = _count(spec)
    catalog = _make(make_catalog, [_call(spec, NAMES), f"rata_rata({_call(spec, NAMES)}, a)"])
    indicator = catalog[1]
    values = {"a": 3, "b": 4, "c": 5, "d": 6}
    numbers = [Integer(values[name]) for name in NAMES[:count]]
    expected = spec.sympy_class(*numbers).doit()  # the arithmetic form
    evaluation = catalog.evaluate(values)[1]  # the exact form
    assert evaluation.value == Fraction(int(expected.p), int(expected.q))
    assert math.isclose(catalog.evaluate_floats(values)[1], float(expected), rel_tol=1e-12)
    wide = catalog.evaluate_frame(pd.DataFrame({name: [float(v)] for name, v in values.items()}))
    assert math.isclose(float(wide.loc[0, 1]), float(expected), rel_tol=1e-12)  # the numpy form
    call = spec.sympy_class(*(Symbol(name) for name in NAMES[:count]))
    assert parse_formula(to_text(call)) == call  # the text form
    assert indicator.latex == to_latex(call) == spec.latex_form(LatexPrinter(), call.args)
    steps = evaluation.explain().steps  # the explanation's steps
    roles = [step.role for step in steps if step.level == 0]
    assert roles[:count] == list(spec.steps.roles(count))
    assert roles[count:] == list(spec.steps.totals)
    assert all(step.value is not None for step in steps)
    if spec.ratio is not None:
        assert evaluation.denominator is not None
    nested = catalog.evaluate(values)[2].explain().steps[0]  # the call as a step of its own
    assert (nested.role, nested.text, nested.unit) == ("Komponen 1", to_text(call), spec.steps.unit)


def _grid() -> list[dict[str, float]]:
    """Every way of 0, 1 and 2 for the four inputs: every pattern of zero denominators."""
    return [
        dict(zip(NAMES, map(float, (a, b, c, d)), strict=True))
        for a in range(3)
        for b in range(3)
        for c in range(3)
        for d in range(3)
    ]


@pytest.mark.parametrize("policy", ["undefined", "skip"])
@pytest.mark.parametrize(
    "arguments",
    [
        pytest.param(NAMES, id="inputs"),  # the function's own reason: its divisor is 0
        pytest.param(("a / b", "c / d", "b / a", "d / c"), id="undefined-arguments"),
    ],
)
def test_the_exact_engine_and_the_numpy_walker_give_the_same_reasons(
    arguments: Sequence[str], policy: str, make_catalog: Callable[..., Catalog]
) -> None:
    """For every function, policy and row: the same value, the same reason word for word."""
    catalog = _make(make_catalog, [_call(spec, arguments) for spec in FUNCTIONS.values()], policy)
    rows = _grid()
    long = catalog.evaluate_frame(pd.DataFrame(rows), layout="long")
    seen: set[str] = set()
    for position, row in enumerate(rows):
        exact = catalog.evaluate({name: int(value) for name, value in row.items()})
        frame = long.iloc[position * len(FUNCTIONS) : (position + 1) * len(FUNCTIONS)]
        for vector in frame.itertuples():
            number = vector.indicator
            evaluation = exact[number]
            reason = None if pd.isna(vector.reason) else vector.reason
            assert reason == evaluation.reason, (row, number)
            if evaluation.value is None:
                assert math.isnan(vector.realisasi), (row, number)
                seen.add(list(FUNCTIONS)[number - 1])
                assert evaluation.reason is not None
                assert evaluation.reason in evaluation.explain().to_text()
            else:
                assert math.isclose(vector.realisasi, float(evaluation.value), rel_tol=1e-9)
    # Every function was undefined on some row (a mean of inputs never is).
    assert seen == set(FUNCTIONS) - ({"rata_rata"} if arguments == NAMES else set())


def test_the_reasons_are_the_table_s(make_catalog: Callable[..., Catalog]) -> None:
    catalog = _make(make_catalog, [_call(spec, NAMES) for spec in FUNCTIONS.values()])
    zeros = dict.fromkeys(NAMES, 0)
    for number, spec in enumerate(FUNCTIONS.values(), 1):
        if spec.reason is not None:
            texts = NAMES[: _count(spec)]
            assert catalog.evaluate(zeros)[number].reason == spec.reason(texts)
    assert catalog.evaluate(zeros)[1].reason == denominator_is_zero("b")
    skipping = _make(make_catalog, ["rata_rata(a / b, c / d)"], "skip")[1]
    result = skipping.evaluate({"a": 1, "b": 0, "c": 1, "d": 2})
    assert result.value == Fraction(1, 2)
    assert result.warnings == (mean_left_out(1, 2, [undefined_part("a/b", division_by_zero("b"))]),)
    steps = {step.text: step for step in result.explain().steps}
    rule = FUNCTIONS["rata_rata"].undefined_arguments
    assert rule is not None
    assert steps["a/b"].note == rule.left_out_note
    undefined = _make(make_catalog, ["rata_rata(a / b, c / d)"])[1]
    result = undefined.evaluate({"a": 1, "b": 0, "c": 1, "d": 2})
    assert result.reason == mean_part_undefined([undefined_part("a/b", division_by_zero("b"))])
    assert {step.text: step for step in result.explain().steps}["a/b"].note == rule.undefined_note


def test_a_function_needs_every_form() -> None:
    with pytest.raises(TypeError, match="required keyword-only"):
        FunctionSpec("uji", RataRata, 1, 1, False, "uji(x)", "uji", "x")  # type: ignore[call-arg]
    with pytest.raises(ValueError, match="a divisor needs its reason"):
        attrs.evolve(FUNCTIONS["persen"], reason=None)


# --------------------------------------------------------------------------- the docs


def _table_rows(text: str, heading: str) -> list[list[str]]:
    """The rows of the first Markdown table after ``heading``, as lists of cells."""
    lines = text[text.index(heading) :].splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("|"))
    rows = []
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        rows.append([cell.strip() for cell in line.strip("|").split(" | ")])
    return rows


def test_the_docs_function_table_is_the_table() -> None:
    """docs/formula-language.md lists every function as the table defines it, in its order."""
    rows = _table_rows((REPO / "docs" / "formula-language.md").read_text("utf-8"), "## Fungsi")
    expected = [
        [f"`{spec.signature}`", spec.meaning_id, f"${spec.latex}$"] for spec in FUNCTIONS.values()
    ]
    assert rows == expected


def test_the_readme_names_every_function() -> None:
    readme = (REPO / "README.md").read_text("utf-8")
    rows = _table_rows(readme, "## The formula language")
    assert [row[0] for row in rows] == [f"`{spec.signature}`" for spec in FUNCTIONS.values()]
