"""Formulas back to text and to LaTeX (``iku_formula.language.printers``)."""

from __future__ import annotations

import pytest
import sympy
from sympy import Integer, Rational, Symbol

from iku_formula.language.functions import Persen, Pertumbuhan, RataRata, RataRataTertimbang
from iku_formula.language.parse import parse_formula
from iku_formula.language.printers import to_latex, to_text

a, b = Symbol("a"), Symbol("b")

LATEX = [
    pytest.param(
        "persen(pemenuhan_makanan, jumlah_tahanan)",
        r"\frac{\mathrm{pemenuhan\_makanan}}{\mathrm{jumlah\_tahanan}} \times 100\%",
        id="persen",
    ),
    pytest.param("persen(1, 2)", r"\frac{1}{2} \times 100\%", id="persen-numbers"),
    pytest.param(
        "persen(0.5, 2)", r"\frac{\frac{1}{2}}{2} \times 100\%", id="persen-of-a-fraction"
    ),
    pytest.param(
        "rata_rata(a, b, c)",
        r"\frac{\mathrm{a} + \mathrm{b} + \mathrm{c}}{3}",
        id="rata-rata",
    ),
    pytest.param("rata_rata(a)", r"\frac{\mathrm{a}}{1}", id="rata-rata-one"),
    pytest.param(
        "rata_rata(-a, b)", r"\frac{- \mathrm{a} + \mathrm{b}}{2}", id="rata-rata-negative"
    ),
    pytest.param(
        "rata_rata(a, -b, c)",
        r"\frac{\mathrm{a} - \mathrm{b} + \mathrm{c}}{3}",
        id="rata-rata-negative-later-term",
    ),
    pytest.param(
        "rata_rata(a + b, c)",
        r"\frac{\left(\mathrm{a} + \mathrm{b}\right) + \mathrm{c}}{2}",
        id="rata-rata-of-a-sum",
    ),
    pytest.param(
        "rata_rata(persen(a, b), persen(c, d))",
        r"\frac{\frac{\mathrm{a}}{\mathrm{b}} \times 100\%"
        r" + \frac{\mathrm{c}}{\mathrm{d}} \times 100\%}{2}",
        id="rata-rata-of-persen",
    ),
    pytest.param(
        "rata_rata_tertimbang(a, b, c, d)",
        r"\frac{\mathrm{a} \cdot \mathrm{b} + \mathrm{c} \cdot \mathrm{d}}"
        r"{\mathrm{b} + \mathrm{d}}",
        id="tertimbang",
    ),
    pytest.param(
        "rata_rata_tertimbang(skor_ikm, responden)",
        r"\frac{\mathrm{skor\_ikm} \cdot \mathrm{responden}}{\mathrm{responden}}",
        id="tertimbang-one-pair",
    ),
    pytest.param(
        "pertumbuhan(penerimaan_2024, penerimaan_2023)",
        r"\frac{\mathrm{penerimaan\_2024} - \mathrm{penerimaan\_2023}}"
        r"{\mathrm{penerimaan\_2023}} \times 100\%",
        id="pertumbuhan",
    ),
    pytest.param(
        "pertumbuhan(a - b, c)",
        r"\frac{\mathrm{a} - \mathrm{b} - \mathrm{c}}{\mathrm{c}} \times 100\%",
        id="pertumbuhan-of-a-difference",
    ),
    pytest.param(
        "pertumbuhan(a, b + c)",
        r"\frac{\mathrm{a} - \left(\mathrm{b} + \mathrm{c}\right)}"
        r"{\mathrm{b} + \mathrm{c}} \times 100\%",
        id="pertumbuhan-from-a-sum",
    ),
    pytest.param(
        "pertumbuhan(a, -b)",
        r"\frac{\mathrm{a} - \left(- \mathrm{b}\right)}{- \mathrm{b}} \times 100\%",
        id="pertumbuhan-from-a-negative",
    ),
    pytest.param(
        "pertumbuhan(a, -0.5)",
        r"\frac{\mathrm{a} - \left(- \frac{1}{2}\right)}{- \frac{1}{2}} \times 100\%",
        id="pertumbuhan-from-a-negative-number",
    ),
    pytest.param(
        "persen(a, b)**2",
        r"\left(\frac{\mathrm{a}}{\mathrm{b}} \times 100\%\right)^{2}",
        id="persen-squared",
    ),
    pytest.param(
        "persen(a, b)**-1",
        r"\frac{1}{\frac{\mathrm{a}}{\mathrm{b}} \times 100\%}",
        id="persen-reciprocal",
    ),
    pytest.param(
        "persen(a, b)**-2",
        r"\frac{1}{\left(\frac{\mathrm{a}}{\mathrm{b}} \times 100\%\right)^{2}}",
        id="persen-negative-power",
    ),
    pytest.param(
        "rata_rata(a, b)**2",
        r"\left(\frac{\mathrm{a} + \mathrm{b}}{2}\right)^{2}",
        id="rata-rata-squared",
    ),
    pytest.param(
        "persen(a, b) - 100",
        r"\frac{\mathrm{a}}{\mathrm{b}} \times 100\% - 100",
        id="persen-minus",
    ),
    pytest.param(
        "100 - persen(a, b)",
        r"100 - \frac{\mathrm{a}}{\mathrm{b}} \times 100\%",
        id="minus-persen",
    ),
    pytest.param(
        "persen(a, b) * 0.5",
        r"\frac{\frac{\mathrm{a}}{\mathrm{b}} \times 100\%}{2}",
        id="persen-halved",
    ),
    pytest.param("a - b / c", r"\mathrm{a} - \frac{\mathrm{b}}{\mathrm{c}}", id="precedence"),
    pytest.param("(a - b) / c", r"\frac{\mathrm{a} - \mathrm{b}}{\mathrm{c}}", id="grouping"),
    pytest.param("a / (b * c)", r"\frac{\mathrm{a}}{\mathrm{b} \cdot \mathrm{c}}", id="a/(bc)"),
    pytest.param("2 * a", r"2 \cdot \mathrm{a}", id="number-times-name"),
    pytest.param("a * b", r"\mathrm{a} \cdot \mathrm{b}", id="product-uses-cdot"),
    pytest.param("0.1", r"\frac{1}{10}", id="decimal"),
    pytest.param("1.50 * jumlah", r"\frac{3 \cdot \mathrm{jumlah}}{2}", id="decimal-times-name"),
    pytest.param("a**(-2)", r"\frac{1}{\mathrm{a}^{2}}", id="negative-power"),
    pytest.param("(a + b)**2", r"\left(\mathrm{a} + \mathrm{b}\right)^{2}", id="power-of-sum"),
    pytest.param("-a", r"- \mathrm{a}", id="negation"),
    pytest.param("jumlah_tahanan", r"\mathrm{jumlah\_tahanan}", id="name-escaped"),
    pytest.param("x1", r"\mathrm{x1}", id="name-with-digit-not-subscript"),
    pytest.param("x_1", r"\mathrm{x\_1}", id="name-with-underscore-not-subscript"),
    pytest.param("alpha", r"\mathrm{alpha}", id="name-not-greek"),
    pytest.param("beta_1", r"\mathrm{beta\_1}", id="name-not-greek-subscript"),
    pytest.param("pi", r"\mathrm{pi}", id="pi-is-a-name"),
    pytest.param("e", r"\mathrm{e}", id="e-is-a-name"),
    pytest.param("lambda_", r"\mathrm{lambda\_}", id="lambda-underscore"),
]


@pytest.mark.parametrize(("text", "latex"), LATEX)
def test_to_latex(text: str, latex: str) -> None:
    assert to_latex(parse_formula(text)) == latex


TEXT = [
    pytest.param("persen(pemenuhan_makanan, jumlah_tahanan)", None, id="persen"),
    pytest.param("persen( a ,b )", "persen(a, b)", id="spacing-normalized"),
    pytest.param("persen(a,b)*c", "c*persen(a, b)", id="product-ordered"),
    pytest.param("rata_rata(a, b, c)", None, id="rata-rata-keeps-order"),
    pytest.param("rata_rata(c, b, a)", None, id="rata-rata-keeps-reverse-order"),
    pytest.param("rata_rata_tertimbang(a, b, c, d)", None, id="tertimbang"),
    pytest.param("pertumbuhan(a, b)", None, id="pertumbuhan"),
    pytest.param("persen(rata_rata(a, b), c)", None, id="nested"),
    pytest.param("0.1", "1/10", id="decimal-as-fraction"),
    pytest.param("0.5 * a", "a/2", id="half"),
    pytest.param("1.50 * jumlah", "3*jumlah/2", id="three-halves"),
    pytest.param("persen(0.5, 2)", "persen(1/2, 2)", id="fraction-argument"),
    pytest.param("pertumbuhan(a, -0.5)", "pertumbuhan(a, -1/2)", id="negative-fraction"),
    pytest.param("a - b / c", "a - b/c", id="precedence"),
    pytest.param("(a - b) / c", "(a - b)/c", id="grouping"),
    pytest.param("a - (b - c)", "a - b + c", id="sign-distributed"),
    pytest.param("a**(-2)", "a**(-2)", id="negative-power"),
    pytest.param("a ** -2", "a**(-2)", id="negative-power-unparenthesized"),
    pytest.param("a**2*b**-3", "a**2/b**3", id="quotient-of-powers"),
    pytest.param("2**-1", "1/2", id="number-power"),
    pytest.param("-(-a)", "a", id="double-negation"),
    pytest.param("persen(a, b)**-1", "1/persen(a, b)", id="reciprocal-call"),
    pytest.param("persen(a, b)**-2", "persen(a, b)**(-2)", id="negative-power-of-call"),
    pytest.param("-a/2 + 1/3", "1/3 - a/2", id="terms-ordered"),
    pytest.param("9" * 24, None, id="24-digit-integer"),
]


@pytest.mark.parametrize(("text", "expected"), TEXT)
def test_to_text(text: str, expected: str | None) -> None:
    expr = parse_formula(text)
    printed = to_text(expr)
    assert printed == (text if expected is None else expected)
    assert parse_formula(printed) == expr


@pytest.mark.parametrize(
    ("expr", "text"),
    [
        pytest.param(Persen(a, Integer(2)), "persen(a, 2)", id="persen"),
        pytest.param(RataRata(a, Rational(1, 3)), "rata_rata(a, 1/3)", id="rata-rata"),
        pytest.param(
            RataRataTertimbang(a, Integer(1), b, Integer(3)),
            "rata_rata_tertimbang(a, 1, b, 3)",
            id="tertimbang",
        ),
        pytest.param(Pertumbuhan(a, b) / 4, "pertumbuhan(a, b)/4", id="pertumbuhan"),
        pytest.param(Rational(-7, 3), "-7/3", id="negative-rational"),
        pytest.param(Integer(-5), "-5", id="negative-integer"),
    ],
)
def test_to_text_of_built_expressions(expr: sympy.Expr, text: str) -> None:
    assert to_text(expr) == text
    assert parse_formula(text) == expr


@pytest.mark.parametrize(
    "expr",
    [
        pytest.param(Persen(a, b), id="persen"),
        pytest.param(RataRata(a, b), id="rata-rata"),
        pytest.param(RataRataTertimbang(a, b, a, b), id="tertimbang"),
        pytest.param(Pertumbuhan(a, b), id="pertumbuhan"),
    ],
)
def test_functions_render_with_exponent(expr: sympy.Expr) -> None:
    squared = to_latex(expr**2)
    assert squared == rf"\left({to_latex(expr)}\right)^{{2}}"
    assert to_latex(expr**-3) == rf"\frac{{1}}{{{to_latex(expr**3)}}}"
