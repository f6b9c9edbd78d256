"""Reading JSON values and expression trees, each problem located by its JSON pointer.

A private module: it is shared by the interchange reader only (as attrs keeps ``_make``).

The part of :mod:`.interchange_read` that knows values (text, integers, exact numbers, choices)
and expression trees, not catalogs: :class:`ValueReader` records a problem for each unusable
value and raises :class:`_SkipEntryError`, so that the entry holding it is left out while every
other entry is still read. Trees are rebuilt through the constructors the parser uses, with its
checks and bounded work (see :mod:`.interchange_read`).
"""

from __future__ import annotations

__all__ = [
    "MAX_PROBLEMS",
    "TreeBound",
    "ValueReader",
    "_SkipEntryError",
    "_TooManyProblemsError",
    "escape_pointer",
]

import enum
import re
from collections.abc import Callable, Mapping
from fractions import Fraction
from functools import reduce
from typing import Any, TypeVar

import attrs
import sympy

from ..errors import FormulaError, Problem
from ..i18n import _
from ..language.functions import FUNCTIONS
from ..language.parse import (
    MAX_EXPONENT,
    MAX_NUMBER_DIGITS,
    MAX_RESULT_DIGITS,
    check_expression,
    check_name,
    value_digits,
)
from ..language.printers import to_text
from .interchange_schema import MAX_TREE_DEPTH, MAX_TREE_NODES, NUMBER_PATTERN

E = TypeVar("E", bound=enum.Enum)
_NUMBER_RE = re.compile(NUMBER_PATTERN)
MAX_PROBLEMS = 200
"""Most problems one CatalogError lists: reading stops there."""


class _TooManyProblemsError(Exception):
    """Raised by ValueReader.problem at MAX_PROBLEMS; the catalog reader stops there."""


class _SkipEntryError(Exception):
    """A value is unusable (its problem recorded): the entry holding it is not built. Only
    :mod:`.interchange_read` catches it; it never leaves the package."""


def _kind(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    return {
        str: "text",
        int: "an integer",
        float: "a number",
        list: "an array",
        dict: "an object",
    }.get(type(value), type(value).__name__)


@attrs.define
class ValueReader:
    """Checks JSON values and builds expressions, collecting every problem with its pointer."""

    label: str
    problems: list[Problem] = attrs.field(factory=list)

    def problem(self, pointer: str, message: str) -> None:
        self.problems.append(Problem(self.label, pointer or "/", message))
        if len(self.problems) >= MAX_PROBLEMS:
            raise _TooManyProblemsError

    def fields(self, value: object, pointer: str, keys: tuple[str, ...]) -> dict[str, Any]:
        """``value`` as an object with exactly ``keys`` (optional ones end in "?")."""
        if not isinstance(value, dict):
            self.problem(pointer, _("must be an object, got {kind}").format(kind=_kind(value)))
            raise _SkipEntryError
        names = {key.rstrip("?") for key in keys}
        for key in value:
            if key not in names:
                self.problem(f"{pointer}/{escape_pointer(key)}", _("unknown field"))
        missing = [k for k in keys if not k.endswith("?") and k not in value]
        for key in missing:
            self.problem(pointer, _("field {key!r} is missing").format(key=key))
        if missing:
            raise _SkipEntryError
        return value

    def typed(
        self, value: object, pointer: str, kind: type, nullable: bool = False, empty: bool = False
    ) -> Any:
        if value is None and nullable:
            return None
        if isinstance(value, bool) != (kind is bool) or not isinstance(value, kind):
            wanted = {str: "text", int: "an integer", bool: "true or false", list: "an array"}
            message = _("must be {wanted}, got {kind}").format(
                wanted=wanted.get(kind, kind.__name__) + (" or null" if nullable else ""),
                kind=_kind(value),
            )
            self.problem(pointer, message)
            raise _SkipEntryError
        if isinstance(value, str) and not value.strip() and not empty:
            self.problem(pointer, _("may not be empty"))
            raise _SkipEntryError
        return value

    def name(self, value: object, pointer: str) -> str:
        text: str = self.typed(value, pointer, str)
        reason = check_name(text)
        if reason is not None:
            self.problem(pointer, reason)
            raise _SkipEntryError
        return text

    def fraction(self, value: object, pointer: str, nullable: bool = False) -> Fraction | None:
        if value is None and nullable:
            return None
        text = self.typed(value, pointer, str)
        if not _NUMBER_RE.match(text):
            self.problem(
                pointer,
                _('must be an exact number "p" or "p/q", got {text!r:.40}').format(text=text),
            )
            raise _SkipEntryError
        _numerator, _slash, denominator = text.partition("/")
        if denominator and (
            int(denominator) == 0 or Fraction(text).denominator != int(denominator)
        ):
            self.problem(
                pointer, _("must be a fraction in lowest terms, not {text!r}").format(text=text)
            )
            raise _SkipEntryError
        return Fraction(text)

    def choice(self, value: object, pointer: str, kind: type[E]) -> E:
        text = self.typed(value, pointer, str)
        try:
            return kind(text)
        except ValueError:
            allowed = ", ".join(repr(member.value) for member in kind)
            self.problem(
                pointer,
                _("unknown value {text!r:.40}; use one of {allowed}").format(
                    text=text, allowed=allowed
                ),
            )
            raise _SkipEntryError from None

    def texts(self, value: object, pointer: str) -> tuple[str, ...]:
        items = self.typed(value, pointer, list)
        return tuple(
            self.typed(item, f"{pointer}/{position}", str) for position, item in enumerate(items)
        )

    def each(
        self,
        items: Mapping[str, Any] | list[Any],
        pointer: str,
        build: Callable[[Any, str, Any], Any],
    ) -> list[Any]:
        """``build(key, pointer, value)`` for each entry; entries with a problem are left out."""
        pairs = items.items() if isinstance(items, dict) else enumerate(items)
        out = []
        for key, value in pairs:
            try:
                out.append(build(key, f"{pointer}/{escape_pointer(str(key))}", value))
            except _SkipEntryError:
                continue
        return out

    def tree(self, value: object, pointer: str, names: frozenset[str]) -> sympy.Expr:
        """The expression of tree ``value``, after its depth and size are checked (bounded)."""
        TreeBound(self, pointer).check(value)
        expr = self.node(value, pointer, names)
        try:
            check_expression(pointer, expr)
        except FormulaError as error:
            self.problem(pointer, error.reason)
            raise _SkipEntryError from None
        if value_digits(expr) > MAX_RESULT_DIGITS:
            self.problem(
                pointer,
                _("the value can need more than {limit:,} digits").format(limit=MAX_RESULT_DIGITS),
            )
            raise _SkipEntryError
        return expr

    def node(self, value: Any, pointer: str, names: frozenset[str]) -> sympy.Expr:
        if not isinstance(value, dict):
            self.problem(
                pointer, _("a tree node must be an object, got {kind}").format(kind=_kind(value))
            )
            raise _SkipEntryError
        if "input" in value:
            name = self.name(self.fields(value, pointer, ("input",))["input"], f"{pointer}/input")
            if name not in names:
                self.problem(f"{pointer}/input", _("unknown name {name!r}").format(name=name))
                raise _SkipEntryError
            return sympy.Symbol(name)
        if "number" in value:
            number = self.fraction(
                self.fields(value, pointer, ("number",))["number"], f"{pointer}/number"
            )
            assert number is not None
            return sympy.Rational(number.numerator, number.denominator)
        if "call" in value:
            return self.call(self.fields(value, pointer, ("call", "args")), pointer, names)
        if value.get("op") == "pow":
            return self.power(
                self.fields(value, pointer, ("op", "base", "exponent")), pointer, names
            )
        if value.get("op") in ("add", "mul"):
            fields = self.fields(value, pointer, ("op", "args"))
            args = self.args(fields["args"], f"{pointer}/args", names, least=2)
            operator = (lambda a, b: a + b) if fields["op"] == "add" else (lambda a, b: a * b)
            result: sympy.Expr = reduce(operator, args)
            return result
        self.problem(
            pointer, _('a tree node has "input", "number", "call" or "op" (add, mul, pow)')
        )
        raise _SkipEntryError

    def args(
        self, value: object, pointer: str, names: frozenset[str], least: int
    ) -> list[sympy.Expr]:
        items = self.typed(value, pointer, list)
        if len(items) < least:
            self.problem(pointer, _("needs at least {least} arguments").format(least=least))
            raise _SkipEntryError
        built, failed = [], False
        for position, item in enumerate(items):
            try:
                built.append(self.node(item, f"{pointer}/{position}", names))
            except _SkipEntryError:
                failed = True
        if failed:
            raise _SkipEntryError
        return built

    def power(self, fields: Mapping[str, Any], pointer: str, names: frozenset[str]) -> sympy.Expr:
        exponent = self.typed(fields["exponent"], f"{pointer}/exponent", int)
        if abs(exponent) > MAX_EXPONENT:
            self.problem(
                f"{pointer}/exponent",
                _("must be an integer from -{most} to {most}").format(most=MAX_EXPONENT),
            )
            raise _SkipEntryError
        base = self.node(fields["base"], f"{pointer}/base", names)
        if exponent < 0 and base.is_zero:
            self.problem(f"{pointer}/base", _("division by zero"))
            raise _SkipEntryError
        if base.is_Rational and abs(exponent) > 1:
            largest = max(abs(int(base.p)), int(base.q))
            if (len(str(largest)) - 1) * abs(exponent) >= MAX_NUMBER_DIGITS:
                self.problem(pointer, _("the power is too large a number"))
                raise _SkipEntryError
        result: sympy.Expr = sympy.Pow(base, exponent)
        return result

    def call(self, fields: Mapping[str, Any], pointer: str, names: frozenset[str]) -> sympy.Expr:
        name = self.typed(fields["call"], f"{pointer}/call", str)
        spec = FUNCTIONS.get(name)
        if spec is None:
            self.problem(
                f"{pointer}/call",
                _("unknown function {name!r:.40}; the functions are {names}").format(
                    name=name, names=", ".join(FUNCTIONS)
                ),
            )
            raise _SkipEntryError
        args = self.args(fields["args"], f"{pointer}/args", names, least=1)
        reason = spec.check_arity(len(args))
        if reason is not None:
            self.problem(f"{pointer}/args", reason)
            raise _SkipEntryError
        if spec.denominator is not None and args[spec.denominator].is_zero:
            self.problem(f"{pointer}/args/{spec.denominator}", _("division by zero"))
            raise _SkipEntryError
        expr: sympy.Expr = spec.sympy_class(*args)
        return expr

    def formula(self, value: object, pointer: str, names: frozenset[str]) -> sympy.Expr:
        fields = self.fields(value, pointer, ("text", "latex", "mathml?", "tree"))
        text = self.typed(fields["text"], f"{pointer}/text", str)
        self.typed(fields["latex"], f"{pointer}/latex", str)
        if "mathml" in fields:
            self.typed(fields["mathml"], f"{pointer}/mathml", str)
        expr = self.tree(fields["tree"], f"{pointer}/tree", names)
        if to_text(expr) != text:
            self.problem(
                f"{pointer}/text",
                _("the text {text!r:.80} is not its tree's, which reads {tree!r:.80}").format(
                    text=text, tree=to_text(expr)
                ),
            )
            raise _SkipEntryError
        return expr

    def array(self, value: object, pointer: str) -> list[Any]:
        if not isinstance(value, list):
            self.problem(pointer, _("must be an array, got {kind}").format(kind=_kind(value)))
            return []
        return value

    def mapping(self, value: object, pointer: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            self.problem(pointer, _("must be an object, got {kind}").format(kind=_kind(value)))
            return {}
        return value

    def build(self, pointer: str, make: Callable[..., Any], /, **arguments: Any) -> Any:
        """``make(**arguments)``, its DefinitionError recorded at ``pointer``."""
        try:
            return make(**arguments)
        except (ValueError, TypeError) as error:
            self.problem(pointer, str(error))
            raise _SkipEntryError from None

    def gather(self, checks: Mapping[str, Callable[[], Any]]) -> dict[str, Any]:
        """Every check run (so that each records its problem), then _SkipEntryError if one
        failed."""
        values: dict[str, Any] = {}
        for key, check in checks.items():
            try:
                values[key] = check()
            except _SkipEntryError:
                continue
        if len(values) < len(checks):
            raise _SkipEntryError
        return values


@attrs.define
class TreeBound:
    """Checks a tree's depth and size before anything is built from it, without recursion."""

    reader: ValueReader
    pointer: str

    def check(self, tree: object) -> None:
        stack: list[tuple[object, int]] = [(tree, 1)]
        nodes = 0
        while stack:
            node, depth = stack.pop()
            nodes += 1
            if depth > MAX_TREE_DEPTH or nodes > MAX_TREE_NODES:
                self.reader.problem(
                    self.pointer,
                    _("the tree is deeper than {depth} or larger than {nodes} nodes").format(
                        depth=MAX_TREE_DEPTH, nodes=MAX_TREE_NODES
                    ),
                )
                raise _SkipEntryError
            if isinstance(node, dict):
                children = node.get("args")
                if isinstance(children, list):
                    stack.extend((child, depth + 1) for child in children)
                if "base" in node:
                    stack.append((node["base"], depth + 1))


def escape_pointer(key: str) -> str:
    """A key as a JSON pointer writes it (RFC 6901)."""
    return key.replace("~", "~0").replace("/", "~1")
