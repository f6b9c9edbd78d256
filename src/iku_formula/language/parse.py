"""The formula language: text in, sympy expression out, nothing executed.

A formula is checked in three small steps, each a pure function:

1. :func:`tokenize` allows only ASCII digits, names, ``+ - * / ** ( ) ,`` and
   spaces, and enforces the size limits *before* Python's parser sees the text
   (``ast.parse`` itself crashes on very deep input);
2. ``ast.parse`` builds a tree, which :func:`to_sympy` walks with an allowlist of
   node types, building sympy objects directly;
3. names are checked against the known inputs, with a "did you mean" suggestion.

No ``eval``, ``exec``, ``sympify`` or ``parse_expr`` ever sees the text.
"""

from __future__ import annotations

__all__ = [
    "COMPARISONS",
    "INPUT_DIGITS",
    "MAX_DEPTH",
    "MAX_EXPONENT",
    "MAX_NUMBER_DIGITS",
    "MAX_RESULT_DIGITS",
    "MAX_TEXT_LENGTH",
    "MAX_TOKENS",
    "MAX_VALUE_DIGITS",
    "Extent",
    "Token",
    "check_expression",
    "check_name",
    "extent_problem",
    "parse_formula",
    "parse_rule",
    "substituted_extent",
    "tokenize",
    "value_digits",
]

import ast
import difflib
import keyword
import math
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping
from fractions import Fraction
from typing import Any

import attrs
import sympy

from ..errors import FormulaError
from .functions import FUNCTIONS, IkuFunction, spec_of

MAX_TEXT_LENGTH = 2000
"""Longest formula text accepted, in characters."""
MAX_TOKENS = 400
"""Most tokens (numbers, names, operators, parentheses) in one formula."""
MAX_DEPTH = 24
"""Deepest nesting of parentheses and unary signs."""
MAX_NUMBER_DIGITS = 24
"""Most digits in one number literal."""
MAX_EXPONENT = 6
"""Largest absolute integer exponent after ``**``."""
MAX_NAME_LENGTH = 64
"""Longest input name."""
MAX_VALUE_DIGITS = 30
"""Most digits a realised value may have before or after the decimal point (the exact path's
:func:`iku_formula.evaluation.coerce_value` refuses more; the vectorised paths follow it)."""
INPUT_DIGITS = 2 * MAX_VALUE_DIGITS
"""Most digits of the numerator or the denominator of a realised value in lowest terms
(30 before the decimal point and 30 after it): what :func:`value_digits` assumes of an input."""
MAX_RESULT_DIGITS = 4000
"""Most digits a formula's value may need, by the bound of :func:`value_digits` with every
input at its largest: under the 4,300 digits Python prints by default
(``sys.get_int_max_str_digits``), so that every value and every step of an explanation can be
written, and far above any real indicator (the bundled catalog's largest needs 551, a mean
of nine inputs). A power of a power reaches it in a few steps, as a chain of components does
once it is written out (``k2 = k1**6`` with ``k1 = k0**6``)."""

_RESERVED = frozenset(keyword.kwlist) | frozenset(keyword.softkwlist) | {"type"}
"""Python keywords and soft keywords; ``type`` is one from Python 3.12 on, reserved everywhere
so that a catalog valid on one Python version is valid on all."""
_NAME_RE = re.compile(r"[a-z][a-z0-9_]*\Z")
_TOKEN_RE = re.compile(
    r"(?P<space>[ \t]+)|(?P<number>[0-9]+(?:\.[0-9]+)?)|(?P<name>[A-Za-z_][A-Za-z0-9_]*)"
    r"|(?P<op>\*\*|//|<=|>=|==|[-+*/(),<>])"
)
COMPARISONS = ("<=", "<", ">=", ">", "==")
"""The comparison operators a consistency rule may use (exactly one per rule)."""
_AST_COMPARISONS: dict[type[ast.cmpop], str] = {
    ast.LtE: "<=",
    ast.Lt: "<",
    ast.GtE: ">=",
    ast.Gt: ">",
    ast.Eq: "==",
}


@attrs.frozen
class Token:
    """One lexical token: its kind (number, name, op), text and 1-based column."""

    kind: str
    text: str
    column: int


def check_name(name: str) -> str | None:
    """Return why ``name`` is not a valid input name, or None if it is.

    Names are plain ASCII ``[a-z][a-z0-9_]*``: no leading underscore, no double
    underscore, no Python keyword, no function name of the language.
    """
    if not name:
        return "a name may not be empty"
    if not name.isascii():
        return f"name {name!r} is not plain ASCII; use [a-z][a-z0-9_]*"
    if name.startswith("_"):
        return f"name {name!r} may not start with an underscore"
    if "__" in name:
        return f"name {name!r} may not contain a double underscore"
    if len(name) > MAX_NAME_LENGTH:
        return f"name {name[:20]!r}... is longer than {MAX_NAME_LENGTH} characters"
    if not _NAME_RE.match(name):
        return (
            f"name {name!r} must be lowercase ASCII letters, digits and '_', starting with a letter"
        )
    if name in _RESERVED:
        return f"{name!r} is a Python keyword and not allowed as a name"
    if name in FUNCTIONS:
        return f"{name!r} is a function of the formula language and not allowed as a name"
    return None


def _describe_char(char: str) -> str:
    if char.isascii():
        return repr(char)
    name = unicodedata.name(char, "unnamed character")
    return f"{char!r} (U+{ord(char):04X} {name}); formulas are plain ASCII"


def tokenize(text: str, *, comparisons: bool = False) -> tuple[Token, ...]:
    """Split ``text`` into tokens, rejecting anything outside the language.

    Also enforces the size limits (length, token count, nesting depth, digits)
    so that nothing expensive ever runs on hostile text. Comparison operators
    are tokens only in consistency rules (``comparisons=True``).
    """
    if not isinstance(text, str):
        raise FormulaError(f"a formula must be text, got {type(text).__name__}")
    if not text.strip():
        raise FormulaError("the formula is empty; write an expression such as persen(a, b)")
    if len(text) > MAX_TEXT_LENGTH:
        raise FormulaError(
            f"the formula is {len(text)} characters long; the limit is {MAX_TEXT_LENGTH}"
        )
    tokens: list[Token] = []
    position = 0
    while position < len(text):
        match = _TOKEN_RE.match(text, position)
        column = position + 1
        if match is None:
            char = text[position]
            raise FormulaError(
                f"unexpected character {_describe_char(char)}",
                text=text,
                column=column,
                token=char,
            )
        kind = match.lastgroup or ""
        value = match.group()
        position = match.end()
        if kind == "space":
            continue
        if kind == "number":
            _check_number(text, value, column, position)
        elif kind == "name" and value not in FUNCTIONS:
            reason = check_name(value)
            if reason is not None:
                raise FormulaError(reason, text=text, column=column, token=value)
        elif value == "//":
            raise FormulaError(
                "operator '//' is not allowed; write / for division",
                text=text,
                column=column,
                token=value,
            )
        elif value in COMPARISONS and not comparisons:
            raise FormulaError(
                f"comparison {value!r} is only allowed in consistency rules, not in a formula",
                text=text,
                column=column,
                token=value,
            )
        tokens.append(Token(kind, value, column))
        if len(tokens) > MAX_TOKENS:
            raise FormulaError(
                f"the formula has more than {MAX_TOKENS} tokens; split it into components",
                text=text,
                column=column,
                token=value,
            )
    _check_depth(text, tokens)
    return tuple(tokens)


def _check_number(text: str, value: str, column: int, end: int) -> None:
    digits = sum(char.isdigit() for char in value)
    if digits > MAX_NUMBER_DIGITS:
        raise FormulaError(
            f"number has {digits} digits; the limit is {MAX_NUMBER_DIGITS}",
            text=text,
            column=column,
            token=value,
        )
    if end < len(text) and (text[end].isalpha() or text[end] in "_."):
        raise FormulaError(
            f"number {value!r} runs into {text[end]!r}; write an operator between them "
            "(exponent notation such as 1e5 is not supported)",
            text=text,
            column=end + 1,
            token=text[end],
        )


def _nesting(text: str, tokens: Iterable[Token]) -> Iterator[tuple[Token, int]]:
    """Each token with its nesting: open parentheses plus the run of unary signs before it."""
    depth = 0
    unary_run = 0
    previous: Token | None = None
    for token in tokens:
        is_unary = token.text in "+-" and (
            previous is None or (previous.kind == "op" and previous.text != ")")
        )
        unary_run = unary_run + 1 if is_unary else 0
        if token.text == "(":
            depth += 1
        elif token.text == ")":
            depth -= 1
            if depth < 0:
                raise FormulaError(
                    "closing parenthesis without an opening one",
                    text=text,
                    column=token.column,
                    token=token.text,
                )
        yield token, depth + unary_run
        previous = token


def _check_depth(text: str, tokens: list[Token]) -> None:
    """Bound nesting before ``ast.parse``: parentheses plus runs of unary signs."""
    for token, depth in _nesting(text, tokens):
        if depth > MAX_DEPTH:
            raise FormulaError(
                f"the formula nests deeper than {MAX_DEPTH} levels "
                "(parentheses and signs); split it into components",
                text=text,
                column=token.column,
                token=token.text,
            )


def parse_formula(text: str, inputs: Iterable[str] | None = None) -> sympy.Expr:
    """Parse formula ``text`` into a sympy expression, safely.

    Tokenizes (limits first), parses with :mod:`ast` and converts only the
    allowed node types. With ``inputs``, every name must be one of them; an
    unknown name raises :class:`~iku_formula.FormulaError` with a "did you mean"
    suggestion.

    >>> parse_formula("persen(pemenuhan_makanan, jumlah_tahanan)")
    persen(pemenuhan_makanan, jumlah_tahanan)
    """
    tokenize(text)
    expr = _Builder(text, _leading(text), _known(inputs)).build(_parse_ast(text).body)
    _check_expression(text, expr)
    return expr


def parse_rule(
    text: str, inputs: Iterable[str] | None = None
) -> tuple[sympy.Expr, str, sympy.Expr]:
    """Parse a consistency rule such as ``"pemenuhan_makanan <= jumlah_tahanan"``.

    A rule is two formulas joined by exactly one of ``<= < >= > ==``. Returns
    (left, operator, right); raises :class:`~iku_formula.FormulaError` like
    :func:`parse_formula`.
    """
    tokens = tokenize(text, comparisons=True)
    found = [token for token in tokens if token.text in COMPARISONS]
    if len(found) != 1:
        where = found[1] if len(found) > 1 else None
        raise FormulaError(
            f"a rule needs exactly one comparison (<=, <, >=, >, ==), found {len(found)}",
            text=text,
            column=where.column if where else None,
            token=where.text if where else None,
        )
    tree = _parse_ast(text).body
    if not isinstance(tree, ast.Compare) or len(tree.ops) != 1:  # e.g. "(a <= b) + 1"
        raise FormulaError(
            "a rule is one comparison between two formulas, e.g. a <= b",
            text=text,
            column=found[0].column,
            token=found[0].text,
        )
    builder = _Builder(text, _leading(text), _known(inputs))
    left = builder.build(tree.left)
    right = builder.build(tree.comparators[0])
    for side in (left, right):
        _check_expression(text, side)
    return left, _AST_COMPARISONS[type(tree.ops[0])], right


def _leading(text: str) -> int:
    return len(text) - len(text.lstrip())


def _known(inputs: Iterable[str] | None) -> frozenset[str] | None:
    """The names a formula may use (a frozenset is taken as it is: a loader passes one)."""
    if inputs is None:
        return None
    if isinstance(inputs, Iterable) and not isinstance(inputs, str):
        try:
            return frozenset(inputs)
        except TypeError:  # an unhashable item
            pass
    raise FormulaError(f"inputs must be input names (text), got {type(inputs).__name__}")


def _check_expression(text: str, expr: sympy.Expr) -> None:
    check_expression(text, expr)
    digits = value_digits(expr)
    if digits > MAX_RESULT_DIGITS:
        raise FormulaError(_too_many_digits_message(digits), text=text)


def check_expression(text: str, expr: sympy.Expr) -> None:
    """Raise FormulaError if ``expr`` (parsed from ``text``, or built from it by substituting
    references) is undefined for every input or simplified out of the language's limits."""
    if expr.has(sympy.zoo, sympy.nan, sympy.oo, -sympy.oo):
        raise FormulaError("the formula is undefined for every input (division by zero)", text=text)
    _check_result(text, expr)


def _parse_ast(text: str) -> ast.Expression:
    try:
        return ast.parse(text.strip(), mode="eval")
    except SyntaxError as error:
        # offset 0 means the text ended too early ("a +"): point just past its end.
        offset = error.offset or len(text.strip()) + 1
        column = offset + (len(text) - len(text.lstrip()))
        snippet = text[column - 1 : column] if 0 < column <= len(text) else None
        raise FormulaError(
            f"invalid formula syntax: {error.msg}", text=text, column=column, token=snippet
        ) from None


_NUMBER_BOUND: int = 10**MAX_NUMBER_DIGITS
"""The smallest integer with more than MAX_NUMBER_DIGITS digits."""


def _too_many_digits(value: int) -> bool:
    return abs(value) >= _NUMBER_BOUND


def _check_result(text: str, expr: sympy.Expr) -> None:
    """Reject a result that sympy simplified out of the language's limits.

    ``a*a*a*a*a*a*a`` becomes ``a**7`` and ``10**6*10**6*10**6*10**6*10**6`` a
    31-digit number: neither could be written back as a formula (``to_text``).
    """
    for number in expr.atoms(sympy.Rational):
        if _too_many_digits(int(number.p)) or _too_many_digits(int(number.q)):
            raise FormulaError(
                f"the formula's constants combine into a number with more than "
                f"{MAX_NUMBER_DIGITS} digits",
                text=text,
            )
    for power in expr.atoms(sympy.Pow):
        if power.exp.is_Integer and abs(int(power.exp)) > MAX_EXPONENT:
            raise FormulaError(
                f"the formula simplifies to the power {power}, whose exponent is outside "
                f"-{MAX_EXPONENT} to {MAX_EXPONENT}",
                text=text,
            )


# --------------------------------------------------------------------------- extents
# How big a formula is once its references (components, other indicators) are written out,
# measured without writing it out: each definition's extent from its own text and the
# extents of the names it references, so a chain that doubles at every level costs one
# step per level, not 2**level.


@attrs.frozen
class Extent:
    """The size of a formula with every reference written out in full, in parentheses."""

    tokens: int
    """Tokens of the written-out text."""
    depth: int
    """Its deepest nesting, as :data:`MAX_DEPTH` counts it."""
    digits: float
    """The bound of :func:`value_digits` on its value."""


def substituted_extent(text: str, expr: sympy.Expr, references: Mapping[str, Extent]) -> Extent:
    """The extent of formula ``text`` (parsed as ``expr``) once each name in ``references``
    is replaced by its own formula, written out in parentheses, whose extent it gives."""
    tokens = 0
    depth = 0
    for token, level in _nesting(text, tokenize(text)):
        inner = references.get(token.text) if token.kind == "name" else None
        if inner is None:
            tokens += 1
            depth = max(depth, level)
        else:  # "(" + its tokens + ")" in place of the name
            tokens += inner.tokens + 2
            depth = max(depth, level + 1 + inner.depth)
    digits = value_digits(
        expr, {sympy.Symbol(name): extent.digits for name, extent in references.items()}
    )
    return Extent(tokens, depth, digits)


def extent_problem(extent: Extent) -> str | None:
    """Why a formula of ``extent`` is outside the language's limits once written out, or None."""
    if extent.tokens > MAX_TOKENS:
        return (
            f"with its components and references written out, the formula has {extent.tokens:,} "
            f"tokens; the limit is {MAX_TOKENS}"
        )
    if extent.depth > MAX_DEPTH:
        return (
            f"with its components and references written out, the formula nests {extent.depth} "
            f"levels deep; the limit is {MAX_DEPTH}"
        )
    if extent.digits > MAX_RESULT_DIGITS:
        return "with its components and references written out, " + _too_many_digits_message(
            extent.digits
        )
    return None


def _too_many_digits_message(digits: float) -> str:
    shown = f"about {digits:,.0f}" if digits < 1e12 else "far more than that"
    return (
        f"the formula's value can need more than {MAX_RESULT_DIGITS:,} digits ({shown}, "
        f"with inputs of {MAX_VALUE_DIGITS} digits before and after the decimal point): "
        "a power of a power, or a long product, grows too fast"
    )


_LOG10_2 = math.log10(2)
_ARITHMETIC: dict[tuple[type, int], tuple[tuple[sympy.Dummy, ...], sympy.Expr]] = {}
"""Each function's plain arithmetic over placeholders, by (class, number of arguments)."""


def value_digits(expr: sympy.Expr, symbols: Mapping[sympy.Symbol, float] | None = None) -> float:
    """A bound on the digits of ``expr``'s value: of its numerator and of its denominator.

    Heights (the larger of ``|p|`` and ``q`` of ``p/q`` in lowest terms) multiply at
    most under ``*`` and ``/``, and at most double on top of that under ``+``; a power
    raises them to its exponent. So the digits add up (``log10 2`` more for each ``+``)
    and multiply by the exponent. A call is bounded by its function's plain arithmetic
    (:attr:`FunctionSpec.arithmetic`, the table's own meaning of it). A symbol has the
    digits ``symbols`` gives it, else :data:`INPUT_DIGITS`, those of the largest input.
    """
    known = {} if symbols is None else symbols
    if isinstance(expr, sympy.Symbol):
        return known.get(expr, INPUT_DIGITS)
    if isinstance(expr, sympy.Rational):
        return math.log10(max(abs(int(expr.p)), int(expr.q)))
    if isinstance(expr, sympy.Add | sympy.Mul):
        total = math.fsum(value_digits(arg, known) for arg in expr.args)
        return total + (_LOG10_2 * (len(expr.args) - 1) if isinstance(expr, sympy.Add) else 0)
    if isinstance(expr, sympy.Pow) and expr.exp.is_Integer:
        return abs(int(expr.exp)) * value_digits(expr.base, known)
    if isinstance(expr, IkuFunction):
        key = (type(expr), len(expr.args))
        if key not in _ARITHMETIC:
            placeholders = tuple(sympy.Dummy() for _ in expr.args)
            _ARITHMETIC[key] = (placeholders, spec_of(expr).arithmetic(placeholders))
        placeholders, arithmetic = _ARITHMETIC[key]
        inner = {
            placeholder: value_digits(arg, known)
            for placeholder, arg in zip(placeholders, expr.args, strict=True)
        }
        return value_digits(arithmetic, inner)
    return math.inf  # nothing the parser builds


@attrs.define
class _Builder:
    """Walks an ``ast`` tree, allowing only the language's node types."""

    text: str
    offset: int
    known: frozenset[str] | None

    def fail(self, message: str, node: ast.AST) -> FormulaError:
        column = getattr(node, "col_offset", 0) + self.offset + 1
        end = getattr(node, "end_col_offset", None)
        token = (
            self.text[column - 1 : end + self.offset]
            if isinstance(end, int) and getattr(node, "end_lineno", 1) == 1
            else None
        )
        return FormulaError(message, text=self.text, column=column, token=token)

    def source(self, node: ast.AST) -> str:
        segment = ast.get_source_segment(self.text[self.offset :], node)
        return segment if segment is not None else ""

    def build(self, node: ast.expr) -> sympy.Expr:
        handler = _HANDLERS.get(type(node))
        if handler is None:
            raise self.fail(f"{_node_word(node)} is not allowed in a formula", node)
        return handler(self, node)

    def number(self, node: ast.Constant) -> sympy.Expr:
        if isinstance(node.value, bool) or not isinstance(node.value, int | float):
            raise self.fail(f"{_node_word(node)} is not allowed in a formula", node)
        fraction = Fraction(self.source(node))  # exact: from the digits, not the float
        return sympy.Rational(fraction.numerator, fraction.denominator)

    def name(self, node: ast.Name) -> sympy.Expr:
        if node.id in FUNCTIONS:
            raise self.fail(
                f"{node.id} is a function; call it as {FUNCTIONS[node.id].signature}", node
            )
        if self.known is not None and node.id not in self.known:
            message = f"unknown name {node.id!r}"
            names = sorted(name for name in self.known if isinstance(name, str))
            close = difflib.get_close_matches(node.id, names, n=1)
            if close:
                message += f"; did you mean {close[0]!r}?"
            raise self.fail(message, node)
        return sympy.Symbol(node.id)

    def unary(self, node: ast.UnaryOp) -> sympy.Expr:
        operand = self.build(node.operand)
        if isinstance(node.op, ast.USub):
            return -operand
        if isinstance(node.op, ast.UAdd):
            return operand
        raise self.fail(f"operator {_node_word(node.op)} is not allowed", node)

    def binary(self, node: ast.BinOp) -> sympy.Expr:
        if isinstance(node.op, ast.Pow):
            return self.power(node)
        left = self.build(node.left)
        right = self.build(node.right)
        if isinstance(node.op, ast.Add):
            return left + right
        if isinstance(node.op, ast.Sub):
            return left - right
        if isinstance(node.op, ast.Mult):
            return left * right
        if isinstance(node.op, ast.Div):
            if right.is_zero:
                raise self.fail("division by zero", node.right)
            return left / right
        raise self.fail(f"operator {_node_word(node.op)} is not allowed", node)

    def power(self, node: ast.BinOp) -> sympy.Expr:
        exponent = _small_integer(node.right)
        if exponent is None or abs(exponent) > MAX_EXPONENT:
            raise self.fail(
                f"the exponent after ** must be an integer from -{MAX_EXPONENT} to {MAX_EXPONENT}",
                node.right,
            )
        base = self.build(node.left)
        if exponent < 0 and base.is_zero:
            raise self.fail("division by zero", node.left)
        if base.is_Rational and abs(exponent) > 1:
            # Reject before computing: ((9**6)**6)**6... would otherwise grow without bound.
            largest = max(abs(int(base.p)), int(base.q))
            if (
                _too_many_digits(largest)
                or (len(str(largest)) - 1) * abs(exponent) >= MAX_NUMBER_DIGITS
            ):
                raise self.fail(
                    f"the power is a number with more than {MAX_NUMBER_DIGITS} digits", node
                )
        return sympy.Pow(base, exponent)

    def call(self, node: ast.Call) -> sympy.Expr:
        if not isinstance(node.func, ast.Name):
            raise self.fail("only the language's functions may be called", node.func)
        spec = FUNCTIONS.get(node.func.id)
        if spec is None:
            message = f"unknown function {node.func.id!r}"
            close = difflib.get_close_matches(node.func.id, sorted(FUNCTIONS), n=1)
            message += (
                f"; did you mean {close[0]!r}?"
                if close
                else (f"; the functions are {', '.join(sorted(FUNCTIONS))}")
            )
            raise self.fail(message, node.func)
        if node.keywords:
            raise self.fail(f"{spec.name}() takes no keyword arguments", node.keywords[0])
        for arg in node.args:
            if isinstance(arg, ast.Starred):
                raise self.fail("argument unpacking (*) is not allowed", arg)
        reason = spec.check_arity(len(node.args))
        if reason is not None:
            raise self.fail(reason, node)
        args = [self.build(arg) for arg in node.args]
        if spec.denominator is not None and args[spec.denominator].is_zero:
            raise self.fail("division by zero", node.args[spec.denominator])
        expr: sympy.Expr = spec.sympy_class(*args)
        return expr


def _small_integer(node: ast.expr) -> int | None:
    sign = 1
    while isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
        if isinstance(node.op, ast.USub):
            sign = -sign
        node = node.operand
    if isinstance(node, ast.Constant) and type(node.value) is int:
        return sign * node.value
    return None


_NODE_WORDS = {
    ast.Attribute: "attribute access (.)",
    ast.Subscript: "subscript ([ ])",
    ast.Lambda: "lambda",
    ast.ListComp: "a comprehension",
    ast.SetComp: "a comprehension",
    ast.DictComp: "a comprehension",
    ast.GeneratorExp: "a generator expression",
    ast.Compare: "a comparison",
    ast.BoolOp: "a boolean operator",
    ast.IfExp: "a conditional expression",
    ast.Mod: "'%'",
    ast.FloorDiv: "'//'",
    ast.MatMult: "'@'",
    ast.BitAnd: "'&'",
    ast.BitOr: "'|'",
    ast.BitXor: "'^'",
    ast.LShift: "'<<'",
    ast.RShift: "'>>'",
    ast.Invert: "'~'",
    ast.Not: "'not'",
    ast.Tuple: "a tuple",
    ast.List: "a list",
}


def _node_word(node: ast.AST) -> str:
    if isinstance(node, ast.Constant):
        return f"the literal {node.value!r}"
    return _NODE_WORDS.get(type(node), type(node).__name__)


_HANDLERS: dict[type[ast.AST], Callable[[_Builder, Any], sympy.Expr]] = {
    ast.Constant: _Builder.number,
    ast.Name: _Builder.name,
    ast.UnaryOp: _Builder.unary,
    ast.BinOp: _Builder.binary,
    ast.Call: _Builder.call,
}
