"""The formula language (``iku_formula.language.parse``): what it accepts, rejects, and where.

Mostly tables: formula text -> expected sympy tree, hostile text -> (message, column).
"""

from __future__ import annotations

import ast
import builtins
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import sympy
from hypothesis import example, given, reject, settings
from hypothesis import strategies as st
from sympy import Integer, Pow, Rational, Symbol

import iku_formula.language.functions as functions_module
import iku_formula.language.parse as formula_module
import iku_formula.language.printers as rendering_module
from iku_formula.errors import FormulaError, IkuError
from iku_formula.language.functions import Persen, Pertumbuhan, RataRata, RataRataTertimbang
from iku_formula.language.parse import (
    MAX_DEPTH,
    MAX_EXPONENT,
    MAX_NUMBER_DIGITS,
    MAX_TEXT_LENGTH,
    MAX_TOKENS,
    Token,
    check_name,
    parse_formula,
    tokenize,
)
from iku_formula.language.printers import to_latex, to_text

a, b, c, d = (Symbol(name) for name in "abcd")

# --------------------------------------------------------------------------- valid formulas

VALID = [
    pytest.param("a", a, id="name"),
    pytest.param("jumlah_tahanan", Symbol("jumlah_tahanan"), id="long-name"),
    pytest.param("x1", Symbol("x1"), id="name-with-digit"),
    pytest.param("a_", Symbol("a_"), id="trailing-underscore"),
    pytest.param("42", Integer(42), id="integer"),
    pytest.param("0.1", Rational(1, 10), id="decimal-exact"),
    pytest.param("3.1", Rational(31, 10), id="decimal-3.1"),
    pytest.param("1.50", Rational(3, 2), id="decimal-trailing-zero"),
    pytest.param("0.5 * a", a / 2, id="decimal-times-name"),
    pytest.param("9" * MAX_NUMBER_DIGITS, Integer("9" * MAX_NUMBER_DIGITS), id="max-digits"),
    pytest.param(
        "0." + "0" * (MAX_NUMBER_DIGITS - 2) + "1",
        Rational(1, 10 ** (MAX_NUMBER_DIGITS - 1)),
        id="max-digits-decimal",
    ),
    pytest.param("-a", -a, id="unary-minus"),
    pytest.param("+a", a, id="unary-plus"),
    pytest.param("--a", a, id="double-minus"),
    pytest.param("a - -b", a + b, id="minus-minus"),
    pytest.param("-(-(-a))", -a, id="nested-unary"),
    pytest.param("a - b / c", a - b / c, id="precedence-div-over-sub"),
    pytest.param("(a - b) / c", (a - b) / c, id="parentheses"),
    pytest.param("a + b * c", a + b * c, id="precedence-mul-over-add"),
    pytest.param("a / b / c", a / (b * c), id="div-left-assoc"),
    pytest.param("a - b - c", a - b - c, id="sub-left-assoc"),
    pytest.param("2 * a ** 2", 2 * a**2, id="precedence-pow-over-mul"),
    pytest.param("-a ** 2", -(a**2), id="pow-binds-tighter-than-minus"),
    pytest.param("(-a) ** 2", a**2, id="negated-base"),
    pytest.param("a ** -2", Pow(a, -2), id="negative-exponent"),
    pytest.param("a**(-2)", Pow(a, -2), id="negative-exponent-parenthesized"),
    pytest.param("a ** +3", a**3, id="plus-exponent"),
    pytest.param("a ** (2)", a**2, id="parenthesized-exponent"),
    pytest.param("a ** 0", Integer(1), id="zero-exponent"),
    pytest.param(f"a ** {MAX_EXPONENT}", a**MAX_EXPONENT, id="max-exponent"),
    pytest.param(f"a ** -{MAX_EXPONENT}", a**-MAX_EXPONENT, id="min-exponent"),
    pytest.param("a*a*a*a*a*a", a**6, id="product-up-to-max-exponent"),
    pytest.param("(a**3)**2", a**6, id="power-of-power"),
    pytest.param("2 ** -1", Rational(1, 2), id="number-negative-exponent"),
    pytest.param("9 ** 6", Integer(531441), id="number-power"),
    pytest.param("9999 ** 6", Integer(9999**6), id="number-power-24-digits"),
    pytest.param("1 / (a + b)", 1 / (a + b), id="reciprocal"),
    pytest.param("persen(a, b)", Persen(a, b), id="persen"),
    pytest.param("rata_rata(a)", RataRata(a), id="rata-rata-one"),
    pytest.param("rata_rata(a, b, c)", RataRata(a, b, c), id="rata-rata-three"),
    pytest.param(
        "rata_rata_tertimbang(a, b, c, d)", RataRataTertimbang(a, b, c, d), id="tertimbang"
    ),
    pytest.param("pertumbuhan(a, b)", Pertumbuhan(a, b), id="pertumbuhan"),
    pytest.param(
        "persen(rata_rata(a, b), pertumbuhan(c, d))",
        Persen(RataRata(a, b), Pertumbuhan(c, d)),
        id="nested-calls",
    ),
    pytest.param("persen(a + b, c) - 100", Persen(a + b, c) - 100, id="call-in-arithmetic"),
    pytest.param("persen(0.5, 2)", Persen(Rational(1, 2), Integer(2)), id="call-keeps-constants"),
    pytest.param("  persen( a ,\tb )  ", Persen(a, b), id="spaces-and-tab"),
    pytest.param("\ta\t+\tb\t", a + b, id="tabs"),
    pytest.param("(" * MAX_DEPTH + "a" + ")" * MAX_DEPTH, a, id="max-depth-parentheses"),
    pytest.param("-" * MAX_DEPTH + "a", a, id="max-depth-signs"),
    pytest.param(
        " + ".join(["a"] * ((MAX_TOKENS + 1) // 2)),
        (MAX_TOKENS + 1) // 2 * a,
        id="max-tokens",
    ),
    pytest.param("a" + " " * (MAX_TEXT_LENGTH - 1), a, id="max-length"),
]


@pytest.mark.parametrize(("text", "expected"), VALID)
def test_valid_formula(text: str, expected: sympy.Expr) -> None:
    assert parse_formula(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("0.1", Rational(1, 10), id="0.1"),
        pytest.param("0.3", Rational(3, 10), id="0.3"),
        pytest.param("1.1 * 3", Rational(33, 10), id="1.1*3"),
        pytest.param("0.1 + 0.2", Rational(3, 10), id="0.1+0.2"),
    ],
)
def test_decimals_are_exact_rationals_never_floats(text: str, expected: sympy.Expr) -> None:
    result = parse_formula(text)
    assert result == expected
    assert isinstance(result, sympy.Rational)
    assert not result.atoms(sympy.Float)


def test_functions_are_kept_unevaluated() -> None:
    result = parse_formula("persen(850, 1000)")
    assert isinstance(result, Persen)
    assert result.args == (Integer(850), Integer(1000))
    assert result.doit() == 85


# ------------------------------------------------------------------------ rejected formulas

# (text, substring of the reason, column; None when the error is about the whole text)
HOSTILE = [
    # attribute access, dunders, code
    pytest.param("a.b", "unexpected character '.'", 2, id="attribute"),
    pytest.param("().__class__", "unexpected character '.'", 3, id="class-attribute"),
    pytest.param(
        "().__class__.__bases__[0].__subclasses__()", "unexpected character '.'", 3, id="escape"
    ),
    pytest.param(
        "__import__('os').system('ls')", "may not start with an underscore", 1, id="import-os"
    ),
    pytest.param("__import__", "may not start with an underscore", 1, id="dunder-import"),
    pytest.param("_rahasia", "may not start with an underscore", 1, id="leading-underscore"),
    pytest.param("a__b", "double underscore", 1, id="double-underscore"),
    pytest.param("persen(a__b, c)", "double underscore", 8, id="double-underscore-in-call"),
    pytest.param("lambda: 1", "'lambda' is a Python keyword", 1, id="lambda"),
    pytest.param("lambda x: x", "'lambda' is a Python keyword", 1, id="lambda-arg"),
    pytest.param("[x for x in a]", "unexpected character '['", 1, id="list-comprehension"),
    pytest.param("{x for x in a}", "unexpected character '{'", 1, id="set-comprehension"),
    pytest.param("{x: x for x in a}", "unexpected character '{'", 1, id="dict-comprehension"),
    pytest.param("(x for x in a)", "'for' is a Python keyword", 4, id="generator"),
    pytest.param("rata_rata(x for x in a)", "'for' is a Python keyword", 13, id="generator-arg"),
    pytest.param("x[0]", "unexpected character '['", 2, id="subscript"),
    pytest.param("[a]", "unexpected character '['", 1, id="list"),
    pytest.param("(a, b)", "a tuple is not allowed", 1, id="tuple"),
    pytest.param("()", "a tuple is not allowed", 1, id="empty-tuple"),
    pytest.param("...", "unexpected character '.'", 1, id="ellipsis"),
    # huge numbers
    pytest.param("9**9**9**9", "exponent after ** must be an integer", 4, id="power-tower"),
    pytest.param("2**100", "exponent after ** must be an integer from -6 to 6", 4, id="2**100"),
    pytest.param(f"a**{MAX_EXPONENT + 1}", "exponent after **", 4, id="exponent-too-big"),
    pytest.param(f"a**-{MAX_EXPONENT + 1}", "exponent after **", 4, id="exponent-too-small"),
    pytest.param("a**b", "exponent after **", 4, id="symbolic-exponent"),
    pytest.param("a**0.5", "exponent after **", 4, id="fractional-exponent"),
    pytest.param("a**(1-1)", "exponent after **", 5, id="computed-exponent"),
    pytest.param("a**2**2", "exponent after **", 4, id="exponent-tower"),
    pytest.param("(9**6)**6", "more than 24 digits", 1, id="number-power-tower"),
    pytest.param(
        "(" * 6 + "9" + "**6)" * 6, "more than 24 digits", 6, id="deep-number-power-tower"
    ),
    pytest.param("10000**6", "more than 24 digits", 1, id="power-25-digits"),
    pytest.param("0.0001**6", "more than 24 digits", 1, id="power-25-digit-denominator"),
    pytest.param(
        "10**6*10**6*10**6*10**6*10**6", "combine into a number", None, id="product-31-digits"
    ),
    pytest.param("a*a*a*a*a*a*a", "simplifies to the power a**7", None, id="product-a**7"),
    pytest.param("(a**3)**3", "simplifies to the power a**9", None, id="power-of-power-a**9"),
    # size limits
    pytest.param(
        "(" * 100_000 + "a" + ")" * 100_000, "characters long", None, id="100k-parentheses"
    ),
    pytest.param("-" * 100_000 + "x", "characters long", None, id="100k-unary-chain"),
    pytest.param("-" * 30 + "x", "nests deeper than 24", 25, id="deep-unary-chain"),
    pytest.param("-" * (MAX_DEPTH + 1) + "x", "nests deeper", MAX_DEPTH + 1, id="depth+1-signs"),
    pytest.param("(" * 30 + "a" + ")" * 30, "nests deeper than 24", 25, id="deep-parentheses"),
    pytest.param(
        "(" * (MAX_DEPTH + 1) + "a" + ")" * (MAX_DEPTH + 1),
        "nests deeper",
        MAX_DEPTH + 1,
        id="depth+1-parentheses",
    ),
    pytest.param(
        "(" * 20 + "-" * 5 + "a" + ")" * 20, "nests deeper", 25, id="parentheses-plus-signs"
    ),
    pytest.param(
        " + ".join(["a"] * (MAX_TOKENS // 2 + 1)),
        f"more than {MAX_TOKENS} tokens",
        1 + 4 * (MAX_TOKENS // 2),
        id="too-many-tokens",
    ),
    pytest.param("a" * (MAX_TEXT_LENGTH + 1), "the limit is 2000", None, id="too-long"),
    pytest.param("1" * (MAX_NUMBER_DIGITS + 1), "number has 25 digits", 1, id="too-many-digits"),
    pytest.param("a + " + "1" * 30, "number has 30 digits", 5, id="too-many-digits-later"),
    pytest.param("0." + "0" * 22 + "11", "number has 25 digits", 1, id="too-many-decimals"),
    pytest.param("x" * 65, "longer than 64 characters", 1, id="name-too-long"),
    # look-alike characters
    pytest.param("jumlаh", "U+0430 CYRILLIC SMALL LETTER A", 5, id="cyrillic-a"),
    pytest.param("α", "U+03B1 GREEK SMALL LETTER ALPHA", 1, id="greek-alpha"),
    pytest.param("tοtal", "GREEK SMALL LETTER OMICRON", 2, id="greek-omicron"),
    pytest.param("ａ + b", "FULLWIDTH LATIN SMALL LETTER A", 1, id="fullwidth-a"),
    pytest.param("１", "FULLWIDTH DIGIT ONE", 1, id="fullwidth-digit"),
    pytest.param("a\u200bb", "U+200B ZERO WIDTH SPACE", 2, id="zero-width-space"),
    pytest.param("a\u00a0+ b", "NO-BREAK SPACE", 2, id="no-break-space"),
    pytest.param("persen(a，b)", "FULLWIDTH COMMA", 9, id="fullwidth-comma"),
    # empty
    pytest.param("", "the formula is empty", None, id="empty"),
    pytest.param("   ", "the formula is empty", None, id="spaces"),
    pytest.param("\t \t", "the formula is empty", None, id="tabs"),
    # keywords and names outside the language
    pytest.param("if", "'if' is a Python keyword", 1, id="if"),
    pytest.param("a if b else c", "'if' is a Python keyword", 3, id="conditional"),
    pytest.param("not a", "'not' is a Python keyword", 1, id="not"),
    pytest.param("a and b", "'and' is a Python keyword", 3, id="and"),
    pytest.param("a or b", "'or' is a Python keyword", 3, id="or"),
    pytest.param("await a", "'await' is a Python keyword", 1, id="await"),
    pytest.param("yield a", "'yield' is a Python keyword", 1, id="yield"),
    pytest.param("match", "'match' is a Python keyword", 1, id="soft-keyword-match"),
    pytest.param("type", "'type' is a Python keyword", 1, id="soft-keyword-type"),
    pytest.param("True", "must be lowercase", 1, id="True"),
    pytest.param("None", "must be lowercase", 1, id="None"),
    pytest.param("A", "must be lowercase", 1, id="uppercase"),
    pytest.param("Jumlah_Tahanan", "must be lowercase", 1, id="capitalized"),
    pytest.param("persen(a, B)", "must be lowercase", 11, id="uppercase-argument"),
    # strings and operators outside the language
    pytest.param("'a'", "unexpected character", 1, id="single-quoted-string"),
    pytest.param('"a"', "unexpected character", 1, id="double-quoted-string"),
    pytest.param("f'x'", "unexpected character", 2, id="f-string"),
    pytest.param("a % b", "unexpected character '%'", 3, id="modulo"),
    pytest.param("a // b", "'//' is not allowed", 3, id="floor-division"),
    pytest.param("a @ b", "unexpected character '@'", 3, id="matmul"),
    pytest.param("a < b", "comparison '<' is only allowed in consistency rules", 3, id="less-than"),
    pytest.param("a >= b", "comparison '>=' is only allowed", 3, id="greater-equal"),
    pytest.param("a == b", "comparison '==' is only allowed", 3, id="equal"),
    pytest.param("a = b", "unexpected character '='", 3, id="assign"),
    pytest.param("a != b", "unexpected character '!'", 3, id="not-equal"),
    pytest.param("a != b", "unexpected character '!'", 3, id="not-equal"),
    pytest.param("a = 1", "unexpected character '='", 3, id="assignment"),
    pytest.param("a := 1", "unexpected character ':'", 3, id="walrus"),
    pytest.param("a & b", "unexpected character '&'", 3, id="bit-and"),
    pytest.param("a | b", "unexpected character '|'", 3, id="bit-or"),
    pytest.param("a ^ b", "unexpected character '^'", 3, id="caret"),
    pytest.param("~a", "unexpected character '~'", 1, id="invert"),
    pytest.param("a; b", "unexpected character ';'", 2, id="semicolon"),
    pytest.param("a\nb", r"unexpected character '\n'", 2, id="newline"),
    pytest.param("a\r\nb", r"unexpected character '\r'", 2, id="crlf"),
    pytest.param("a \\ b", "unexpected character '\\\\'", 3, id="backslash"),
    pytest.param("a +\\\n b", "unexpected character '\\\\'", 4, id="line-continuation"),
    pytest.param("a#b", "unexpected character '#'", 2, id="comment"),
    pytest.param("$a", "unexpected character '$'", 1, id="dollar"),
    # calls
    pytest.param("persen(a, penyebut=b)", "unexpected character '='", 19, id="keyword-argument"),
    pytest.param("persen(*a)", "argument unpacking (*) is not allowed", 8, id="star-args"),
    pytest.param("rata_rata(a, *b)", "argument unpacking", 14, id="star-args-later"),
    pytest.param("rata_rata(**a)", "takes no keyword arguments", 11, id="star-star-kwargs"),
    pytest.param("a(b)", "unknown function 'a'", 1, id="call-a-name"),
    pytest.param("a (b)", "the functions are persen, pertumbuhan", 1, id="call-a-name-spaced"),
    pytest.param("persen(a, b)(c)", "only the language's functions", 1, id="call-a-call"),
    pytest.param("persn(a, b)", "did you mean 'persen'?", 1, id="typo-persen"),
    pytest.param("rata_ratta(a)", "did you mean 'rata_rata'?", 1, id="typo-rata-rata"),
    pytest.param("a + pertumbuhn(a, b)", "did you mean 'pertumbuhan'?", 5, id="typo-later"),
    pytest.param("print(a)", "unknown function 'print'", 1, id="print"),
    pytest.param("eval(a)", "unknown function 'eval'", 1, id="eval"),
    pytest.param("exec(a)", "unknown function 'exec'", 1, id="exec"),
    pytest.param("getattr(a, b)", "unknown function 'getattr'", 1, id="getattr"),
    pytest.param("persen(a)", "persen() takes exactly 2 arguments, got 1", 1, id="persen-1"),
    pytest.param("persen(a, b, c)", "takes exactly 2 arguments, got 3", 1, id="persen-3"),
    pytest.param("a + persen(a)", "takes exactly 2 arguments", 5, id="arity-later"),
    pytest.param("rata_rata()", "takes at least 1 arguments, got 0", 1, id="rata-rata-0"),
    pytest.param(
        "rata_rata_tertimbang(a, b, c)", "takes value, weight pairs", 1, id="tertimbang-odd"
    ),
    pytest.param("rata_rata_tertimbang(a)", "takes at least 2", 1, id="tertimbang-1"),
    pytest.param("pertumbuhan(a)", "pertumbuhan() takes exactly 2", 1, id="pertumbuhan-1"),
    pytest.param("persen", "persen is a function; call it as persen(", 1, id="bare-function"),
    pytest.param("a + rata_rata", "rata_rata is a function", 5, id="bare-function-later"),
    # division by a zero constant
    pytest.param("a/0", "division by zero", 3, id="a/0"),
    pytest.param("a / 0.0", "division by zero", 5, id="a/0.0"),
    pytest.param("a/(1-1)", "division by zero", 4, id="a/(1-1)"),
    pytest.param("persen(a, 0)", "division by zero", 11, id="persen-zero"),
    pytest.param("pertumbuhan(a, 2-2)", "division by zero", 16, id="pertumbuhan-zero"),
    pytest.param("a/(b-b)", "division by zero", 4, id="a/(b-b)"),
    pytest.param("0**-1", "division by zero", 1, id="0**-1"),
    pytest.param("(1-1)**-2", "division by zero", 2, id="(1-1)**-2"),
    # number shapes
    pytest.param("1e5", "exponent notation such as 1e5 is not supported", 2, id="1e5"),
    pytest.param("2x", "number '2' runs into 'x'", 2, id="2x"),
    pytest.param("1.5.2", "number '1.5' runs into '.'", 4, id="two-points"),
    pytest.param("5.", "runs into '.'", 2, id="trailing-point"),
    pytest.param(".5", "unexpected character '.'", 1, id="leading-point"),
    pytest.param("1_000", "runs into '_'", 2, id="digit-separator"),
    pytest.param("0x1f", "runs into 'x'", 2, id="hex"),
    pytest.param("1j", "runs into 'j'", 2, id="imaginary"),
    pytest.param("007", "leading zeros", 1, id="leading-zeros"),
    # syntax
    pytest.param("a b", "invalid formula syntax", 3, id="missing-operator"),
    pytest.param("a +", "invalid formula syntax", 4, id="ends-early"),
    pytest.param("persen(a,,b)", "invalid formula syntax", 10, id="double-comma"),
    pytest.param("(a", "'(' was never closed", 1, id="unclosed"),
    pytest.param(")", "closing parenthesis without an opening one", 1, id="unopened"),
    pytest.param("a)", "closing parenthesis without an opening one", 2, id="unopened-later"),
    pytest.param("a * / b", "invalid formula syntax", 5, id="two-operators"),
]


@pytest.mark.parametrize(("text", "reason", "column"), HOSTILE)
def test_rejected_formula(text: str, reason: str, column: int | None) -> None:
    with pytest.raises(FormulaError) as caught:
        parse_formula(text)
    assert reason in caught.value.reason
    assert caught.value.column == column
    if column is not None:
        assert caught.value.text == text


def test_hostile_corpus_is_rejected_fast() -> None:
    texts = [param.values[0] for param in HOSTILE]
    start = time.perf_counter()
    for text in texts:
        with pytest.raises(FormulaError):
            parse_formula(text)
    elapsed = time.perf_counter() - start
    assert elapsed < 2.0, f"rejecting {len(texts)} hostile formulas took {elapsed:.2f} s"


@pytest.mark.parametrize(
    ("value", "type_name"),
    [
        pytest.param(None, "NoneType", id="None"),
        pytest.param(b"persen(a, b)", "bytes", id="bytes"),
        pytest.param(5, "int", id="int"),
        pytest.param(1.5, "float", id="float"),
        pytest.param(["a"], "list", id="list"),
        pytest.param(a, "Symbol", id="sympy-symbol"),
    ],
)
def test_non_text_is_rejected(value: Any, type_name: str) -> None:
    with pytest.raises(FormulaError, match=f"a formula must be text, got {type_name}"):
        parse_formula(value)
    with pytest.raises(FormulaError, match="must be text"):
        tokenize(value)


def test_formula_error_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="division by zero") as caught:
        parse_formula("a/0")
    assert isinstance(caught.value, IkuError)


# ------------------------------------------------------------------- nothing is executed


def _recorder(
    calls: list[str], name: str, original: Callable[..., Any], *, only_text: bool = False
) -> Callable[..., Any]:
    """Wrap ``original`` so that calls (or only calls given text) are recorded."""

    def record(*args: Any, **kwargs: Any) -> Any:
        if not only_text or any(isinstance(arg, str) for arg in args):
            calls.append(f"{name}{args[:1]!r}"[:80])
        return original(*args, **kwargs)

    return record


def _compile_recorder(calls: list[str], original: Callable[..., Any]) -> Callable[..., Any]:
    """``ast.parse`` calls ``compile`` for a tree only; record compiling to code."""

    def record(*args: Any, **kwargs: Any) -> Any:
        flags = kwargs.get("flags", args[3] if len(args) > 3 else 0)
        if not flags & ast.PyCF_ONLY_AST:
            calls.append(f"compile{args[:1]!r}"[:80])
        return original(*args, **kwargs)

    return record


def test_no_text_reaches_eval_exec_sympify_or_parse_expr(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    for name in ("eval", "exec"):
        monkeypatch.setattr(builtins, name, _recorder(calls, name, getattr(builtins, name)))
    monkeypatch.setattr(builtins, "compile", _compile_recorder(calls, builtins.compile))
    for name in ("system", "popen"):
        monkeypatch.setattr(os, name, _recorder(calls, name, getattr(os, name)))
    monkeypatch.setattr(subprocess, "Popen", _recorder(calls, "Popen", subprocess.Popen))
    # sympify and parse_expr wherever sympy or iku_formula bound them (sympy sympifies
    # its own objects all the time): record every call that is given text.
    originals = {
        "sympify": sympy.sympify,
        "parse_expr": sympy.parsing.sympy_parser.parse_expr,
    }
    patched = 0
    for module in list(sys.modules.values()):
        if not getattr(module, "__name__", "").startswith(("sympy", "iku_formula")):
            continue
        for name, original in originals.items():
            if getattr(module, name, None) is original:
                monkeypatch.setattr(module, name, _recorder(calls, name, original, only_text=True))
                patched += 1
    assert patched > 2  # sympy.sympify, sympy.core.sympify.sympify, sympy.parse_expr, ...
    assert sympy.sympify("1 + 1") == 2  # the recorders work: sympify evals its text ...
    assert calls[0] == "sympify('1 + 1',)"
    assert "parse_expr('1 + 1',)" in calls
    assert any(call.startswith("eval(") for call in calls)
    calls.clear()  # ... and start empty

    parsed = 0
    for param in [*VALID, *HOSTILE]:
        try:
            expr = parse_formula(param.values[0])
        except FormulaError:
            continue
        parsed += 1
        to_text(expr)
        to_latex(expr)
        expr.doit()
    assert parsed == len(VALID)
    assert calls == []


@pytest.mark.parametrize(
    "module",
    [
        pytest.param(formula_module, id="formula"),
        pytest.param(functions_module, id="functions"),
        pytest.param(rendering_module, id="rendering"),
    ],
)
def test_source_never_calls_eval_exec_sympify_or_parse_expr(module: Any) -> None:
    source = Path(module.__file__).read_text(encoding="utf-8")
    forbidden = {"eval", "exec", "sympify", "parse_expr", "__import__"}
    called: list[str] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Name) and func.id in {*forbidden, "compile"}:
                called.append(func.id)  # (re.compile is fine: an attribute call)
            elif isinstance(func, ast.Attribute) and func.attr in forbidden:
                called.append(func.attr)
        elif isinstance(node, ast.ImportFrom):
            called.extend(alias.name for alias in node.names if alias.name in forbidden)
    assert called == []
    for needle in ("eval(", "exec(", "sympify(", "parse_expr("):
        assert needle not in source.replace("def eval(", "")


# --------------------------------------------------------------------------- column, caret


@pytest.mark.parametrize(
    ("text", "column", "token"),
    [
        pytest.param("a.b", 2, ".", id="tokenizer"),
        pytest.param("persen(a, B)", 11, "B", id="bad-name"),
        pytest.param("persn(a, b)", 1, "persn", id="unknown-function"),
        pytest.param("a + persen(a)", 5, "persen(a)", id="arity-marks-the-call"),
        pytest.param("a/(1-1)", 4, "1-1", id="zero-divisor"),
        pytest.param("a**10", 4, "10", id="exponent"),
        pytest.param("persen(*a)", 8, "*a", id="star"),
        pytest.param("a // b", 3, "//", id="floor-division"),
        pytest.param("a b", 3, "b", id="syntax"),
        pytest.param("a +", 4, None, id="syntax-at-end"),
        pytest.param("  persn(a, b)", 3, "persn", id="leading-spaces-ast"),
        pytest.param("  a // b", 5, "//", id="leading-spaces-tokenizer"),
        pytest.param("  a b", 5, "b", id="leading-spaces-syntax"),
        pytest.param("\ta/0", 4, "0", id="leading-tab"),
        pytest.param("1e5", 2, "e", id="exponent-notation"),
        pytest.param("-" * 30 + "x", MAX_DEPTH + 1, "-", id="depth"),
    ],
)
def test_error_column_points_at_the_token(text: str, column: int, token: str | None) -> None:
    with pytest.raises(FormulaError) as caught:
        parse_formula(text)
    assert (caught.value.column, caught.value.token) == (column, token)


@pytest.mark.parametrize(
    ("text", "inputs", "expected"),
    [
        pytest.param(
            "persen(jumlah_tahanann, x)",
            ["jumlah_tahanan", "x"],
            "unknown name 'jumlah_tahanann'; did you mean 'jumlah_tahanan'? (column 8)\n"
            "    persen(jumlah_tahanann, x)\n"
            "           ^^^^^^^^^^^^^^^",
            id="unknown-name",
        ),
        pytest.param(
            "a // b",
            None,
            "operator '//' is not allowed; write / for division (column 3)\n    a // b\n      ^^",
            id="operator",
        ),
        pytest.param(
            "a +",
            None,
            "invalid formula syntax: invalid syntax (column 4)\n    a +\n       ^",
            id="past-the-end",
        ),
    ],
)
def test_error_message_has_a_caret_line(text: str, inputs: list[str] | None, expected: str) -> None:
    with pytest.raises(FormulaError) as caught:
        parse_formula(text, inputs)
    assert str(caught.value) == expected


def test_long_text_error_names_the_column_without_a_caret() -> None:
    text = " + ".join(["a"] * 50) + " + 2x"
    with pytest.raises(FormulaError) as caught:
        parse_formula(text)
    message = str(caught.value)
    assert message.endswith(f"(column {len(text)})")
    assert "\n" not in message
    assert "^" not in message


# ------------------------------------------------------------------------- known inputs


@pytest.mark.parametrize(
    ("text", "inputs", "reason"),
    [
        pytest.param(
            "persen(pemenuhan_makanan, jumlah_tahanan)",
            ["pemenuhan_makanan", "jumlah_tahanan"],
            None,
            id="known",
        ),
        pytest.param("rata_rata(a, b)", ("a", "b", "c"), None, id="subset-of-known"),
        pytest.param("rata_rata(a, b)", iter(["a", "b"]), None, id="iterator"),
        pytest.param("2 * 3", [], None, id="no-names"),
        pytest.param(
            "persen(pemenuhan_makanan, jumlah_tahanann)",
            ["pemenuhan_makanan", "jumlah_tahanan"],
            "unknown name 'jumlah_tahanann'; did you mean 'jumlah_tahanan'?",
            id="typo",
        ),
        pytest.param(
            "persen(makanan, jumlah)",
            ["pemenuhan_makanan", "jumlah_tahanan"],
            "unknown name 'makanan'",
            id="unknown-first",
        ),
        pytest.param("a + zzz", ["a", "b"], "unknown name 'zzz'", id="no-suggestion"),
        pytest.param("a", [], "unknown name 'a'", id="nothing-known"),
    ],
)
def test_names_are_checked_against_inputs(text: str, inputs: Any, reason: str | None) -> None:
    if reason is None:
        assert isinstance(parse_formula(text, inputs), sympy.Expr)
        return
    with pytest.raises(FormulaError) as caught:
        parse_formula(text, inputs)
    assert caught.value.reason.startswith(reason)
    if "did you mean" not in reason:
        assert "did you mean" not in caught.value.reason


# ----------------------------------------------------------------------------- check_name


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        pytest.param("a", None, id="letter"),
        pytest.param("jumlah_tahanan", None, id="snake-case"),
        pytest.param("x1", None, id="digit"),
        pytest.param("a_", None, id="trailing-underscore"),
        pytest.param("ikm_2024_q1", None, id="digits-and-underscores"),
        pytest.param("x" * 64, None, id="64-characters"),
        pytest.param("print", None, id="builtin-name-is-just-a-name"),
        pytest.param("", "may not be empty", id="empty"),
        pytest.param("x" * 65, "longer than 64 characters", id="65-characters"),
        pytest.param("_a", "may not start with an underscore", id="leading-underscore"),
        pytest.param("__import__", "may not start with an underscore", id="dunder"),
        pytest.param("a__b", "may not contain a double underscore", id="double-underscore"),
        pytest.param("A", "must be lowercase ASCII", id="uppercase"),
        pytest.param("Jumlah", "must be lowercase ASCII", id="capitalized"),
        pytest.param("1a", "starting with a letter", id="leading-digit"),
        pytest.param("a-b", "must be lowercase ASCII", id="hyphen"),
        pytest.param("a b", "must be lowercase ASCII", id="space"),
        pytest.param("a.b", "must be lowercase ASCII", id="dot"),
        pytest.param("jumlаh", "not plain ASCII", id="cyrillic"),
        pytest.param("a\u200b", "not plain ASCII", id="zero-width-space"),
        pytest.param("if", "Python keyword", id="keyword"),
        pytest.param("lambda", "Python keyword", id="lambda"),
        pytest.param("match", "Python keyword", id="soft-keyword"),
        pytest.param("type", "Python keyword", id="soft-keyword-3.12"),
        pytest.param("persen", "is a function of the formula language", id="function-persen"),
        pytest.param("rata_rata", "is a function", id="function-rata-rata"),
        pytest.param("rata_rata_tertimbang", "is a function", id="function-tertimbang"),
        pytest.param("pertumbuhan", "is a function", id="function-pertumbuhan"),
    ],
)
def test_check_name(name: str, reason: str | None) -> None:
    result = check_name(name)
    if reason is None:
        assert result is None
    else:
        assert result is not None
        assert reason in result


# -------------------------------------------------------------------------------- tokenize


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "persen(a, 0.5)",
            [
                ("name", "persen", 1),
                ("op", "(", 7),
                ("name", "a", 8),
                ("op", ",", 9),
                ("number", "0.5", 11),
                ("op", ")", 14),
            ],
            id="call",
        ),
        pytest.param(
            "a**-2",
            [("name", "a", 1), ("op", "**", 2), ("op", "-", 4), ("number", "2", 5)],
            id="power",
        ),
        pytest.param(
            "\t x1 / 20 ",
            [("name", "x1", 3), ("op", "/", 6), ("number", "20", 8)],
            id="spaces",
        ),
    ],
)
def test_tokenize(text: str, expected: list[tuple[str, str, int]]) -> None:
    assert tokenize(text) == tuple(Token(*item) for item in expected)


# ---------------------------------------------------------------- properties (hypothesis)

NAMES = ["a", "b", "c", "jumlah_tahanan", "x1", "skor_ikm"]


def _call(name: str) -> Callable[[list[str]], str]:
    return lambda args: f"{name}({', '.join(args)})"


def _extend(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.one_of(
        st.builds(
            lambda left, op, right: f"({left} {op} {right})",
            children,
            st.sampled_from(["+", "-", "*", "/"]),
            children,
        ),
        st.builds(
            lambda base, exponent, parenthesized: (
                f"({base})**({exponent})" if parenthesized else f"({base})**{exponent}"
            ),
            children,
            st.integers(-MAX_EXPONENT, MAX_EXPONENT),
            st.booleans(),
        ),
        children.map(lambda child: f"-{child}"),
        st.lists(children, min_size=2, max_size=2).map(_call("persen")),
        st.lists(children, min_size=2, max_size=2).map(_call("pertumbuhan")),
        st.lists(children, min_size=1, max_size=3).map(_call("rata_rata")),
        st.lists(children, min_size=1, max_size=2)
        .flatmap(
            lambda xs: st.lists(children, min_size=len(xs), max_size=len(xs)).map(
                lambda ws: [arg for pair in zip(xs, ws, strict=True) for arg in pair]
            )
        )
        .map(_call("rata_rata_tertimbang")),
    )


ATOMS = st.one_of(
    st.sampled_from(NAMES),
    st.integers(0, 1000).map(str),
    st.builds(
        lambda whole, fraction: f"{whole}.{fraction}",
        st.integers(0, 99),
        st.text(alphabet="0123456789", min_size=1, max_size=3),
    ),
)
# Products, quotients and powers of a few names: where sympy combines powers (a*a -> a**2)
# and the result must stay inside the language to print back.
MONOMIALS = st.recursive(
    st.sampled_from(["a", "b", "2", "10"]),
    lambda children: st.one_of(
        st.builds(
            lambda left, op, right: f"({left}){op}({right})",
            children,
            st.sampled_from(["*", "/"]),
            children,
        ),
        st.builds(
            lambda base, exponent: f"({base})**{exponent}",
            children,
            st.integers(-MAX_EXPONENT, MAX_EXPONENT),
        ),
    ),
    max_leaves=8,
)
FORMULAS = st.one_of(st.recursive(ATOMS, _extend, max_leaves=10), MONOMIALS)


def _parse_or_reject(text: str) -> sympy.Expr:
    try:
        return parse_formula(text)
    except FormulaError:
        reject()


@settings(max_examples=300, deadline=None)
@given(FORMULAS)
@example("-(persen(a, a) * (a + b))")  # a negated product with a sum: sympy distributes -1
@example("2 * (a + b) * c")
@example("(0.1 / (a + b))")  # a fraction beside a sum in a denominator: kept apart
@example("d - (a + b) * c * 2")
def test_text_round_trip(text: str) -> None:
    expr = _parse_or_reject(text)
    printed = to_text(expr)
    assert parse_formula(printed) == expr
    assert to_text(parse_formula(printed)) == printed


def _braces_balance(latex: str) -> bool:
    depth = 0
    escaped = False
    for char in latex:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth < 0:
                return False
    return depth == 0


@settings(max_examples=150, deadline=None)
@given(FORMULAS)
def test_latex_is_well_formed(text: str) -> None:
    expr = _parse_or_reject(text)
    latex = to_latex(expr)
    assert latex.strip()
    assert _braces_balance(latex)
    assert latex.count(r"\left") == latex.count(r"\right")
    for symbol in expr.free_symbols:
        assert r"\mathrm{" + symbol.name.replace("_", r"\_") + "}" in latex


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(
        st.text(max_size=40),
        st.text(alphabet="ab_1.0()+-*/, \tpersn", max_size=40),
        st.lists(
            st.sampled_from(
                [*NAMES, "persen", "rata_rata", "(", ")", ",", "**", "-", "/", "0", "2", "0.5", " "]
            ),
            max_size=20,
        ).map("".join),
    )
)
def test_any_text_parses_or_raises_formula_error(text: str) -> None:
    result: sympy.Expr | FormulaError
    try:
        result = parse_formula(text)
    except FormulaError as error:
        result = error
    if isinstance(result, FormulaError):
        assert result.reason
        assert result.column is None or 1 <= result.column <= len(text) + 1
    else:
        assert isinstance(result, sympy.Expr)
        assert not result.has(sympy.zoo, sympy.nan, sympy.oo)
