"""Reading catalog files: TOML in, a validated :class:`~iku_formula.Catalog` out.

A catalog file is untrusted data. It is read with :mod:`tomllib`, every field is
type-checked, every formula goes through the allowlisting parser, and every
problem found is reported at once in one :class:`~iku_formula.CatalogError`,
each naming the file, the entry and the field. Entries may appear in any order;
references between components and indicators are substituted at load, and a
cycle is rejected with its path.
"""

from __future__ import annotations

__all__ = ["MAX_CATALOG_BYTES", "load_catalog"]

import difflib
import os
import tomllib
from collections.abc import Mapping
from fractions import Fraction
from pathlib import Path
from typing import Any

import attrs
import sympy

from ..achievement import AchievementRule, Polarity, Rounding
from ..errors import CatalogError, FormulaError, Problem
from ..language.parse import check_name, parse_formula
from ..model import (
    Component,
    Indicator,
    Input,
    InputKind,
    Objective,
    RollUp,
    Rule,
    Target,
    TimeRule,
    UndefinedParts,
    UnitRule,
)
from .registry import Catalog, bundled_catalog_path

MAX_CATALOG_BYTES = 5_000_000
"""Largest catalog file read, so that a hostile file cannot exhaust memory."""


def load_catalog(source: str | os.PathLike[str] | None = None) -> Catalog:
    """Load and validate a catalog file; without ``source``, the bundled 2024 catalog.

    Raises :class:`~iku_formula.CatalogError` listing every problem found.
    """
    path = bundled_catalog_path() if source is None else Path(source)
    label = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_CATALOG_BYTES:
            raise CatalogError(
                [Problem(label, "", f"file is {size} bytes; the limit is {MAX_CATALOG_BYTES}")]
            )
        raw = path.read_bytes()
    except OSError as error:
        raise CatalogError(
            [Problem(label, "", f"cannot read the file: {error.strerror or error}")]
        ) from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as error:
        raise CatalogError([Problem(label, "", f"not UTF-8 text: {error.reason}")]) from None
    except tomllib.TOMLDecodeError as error:
        raise CatalogError([Problem(label, "", f"not valid TOML: {error}")]) from None
    return _Loader(label, path).load(data)


_TOP_KEYS = {"catalog", "objectives", "inputs", "components", "indicators", "rules"}
_RULE_KEYS = {"rule", "note"}
_CATALOG_KEYS = {"title", "year", "source", "achievement"}
_ACHIEVEMENT_KEYS = {"cap", "rounding", "places"}
_OBJECTIVE_KEYS = {"id", "name"}
_INPUT_KEYS = {
    "label", "unit", "kind", "minimum", "maximum", "note", "over_time", "over_units", "weight",
}  # fmt: skip
_COMPONENT_KEYS = {"label", "formula", "note"}
_INDICATOR_KEYS = {
    "number", "key", "name", "label", "objective", "target", "target_unit",
    "target_part_formulas", "polarity", "formula", "source_formula", "inputs",
    "undefined_parts", "notes", "roll_up",
}  # fmt: skip
_REQUIRED_INDICATOR_KEYS = (
    "number",
    "key",
    "name",
    "objective",
    "target",
    "polarity",
    "formula",
    "inputs",
)


class _Missing:
    """Marks a field that is absent or invalid (its problem already recorded)."""


_MISSING = _Missing()


@attrs.define
class _Loader:
    """Turns parsed TOML into a Catalog, collecting every problem on the way."""

    label: str
    path: Path
    problems: list[Problem] = attrs.field(factory=list)
    objectives: dict[str, Objective] = attrs.field(factory=dict)

    def problem(self, location: str, message: str) -> None:
        self.problems.append(Problem(self.label, location, message))

    def get(
        self,
        table: Mapping[str, Any],
        key: str,
        kind: type | tuple[type, ...],
        location: str,
        *,
        required: bool = True,
    ) -> Any:
        """``table[key]`` if it has type ``kind``; else record a problem, return _MISSING."""
        if key not in table:
            if required:
                self.problem(location, f"field {key!r} is missing")
            return _MISSING
        value = table[key]
        kinds = kind if isinstance(kind, tuple) else (kind,)
        if (isinstance(value, bool) and bool not in kinds) or not isinstance(value, kinds):
            wanted = " or ".join(_TYPE_WORDS.get(k, k.__name__) for k in kinds)
            self.problem(location, f"field {key!r} must be {wanted}, got {_describe(value)}")
            return _MISSING
        if isinstance(value, str) and not value.strip() and key != "source_formula":
            self.problem(location, f"field {key!r} may not be empty")
            return _MISSING
        return value

    def unknown_keys(self, table: Mapping[str, Any], allowed: set[str], location: str) -> None:
        for key in table:
            if key not in allowed:
                close = difflib.get_close_matches(key, sorted(allowed), n=1)
                hint = (
                    f"; did you mean {close[0]!r}?"
                    if close
                    else f"; allowed: {', '.join(sorted(allowed))}"
                )
                self.problem(location, f"unknown field {key!r}{hint}")

    def table(self, data: Mapping[str, Any], key: str, location: str, kind: type = dict) -> Any:
        value = data.get(key, kind())
        if not isinstance(value, kind):
            self.problem(location, f"{key!r} must be {_TYPE_WORDS[kind]}, got {_describe(value)}")
            return kind()
        return value

    def load(self, data: Mapping[str, Any]) -> Catalog:
        self.unknown_keys(data, _TOP_KEYS, "top level")
        header = self.table(data, "catalog", "[catalog]")
        if "catalog" not in data:
            self.problem("[catalog]", "the [catalog] table is missing")
        title, year, source, rule = self.load_header(header)
        objectives = self.load_objectives(self.table(data, "objectives", "[[objectives]]", list))
        self.objectives = objectives
        inputs = self.load_inputs(self.table(data, "inputs", "[inputs]"))
        rules = self.load_rules(self.table(data, "rules", "[[rules]]", list), inputs)
        raw_components = self.table(data, "components", "[components]")
        raw_indicators = self.table(data, "indicators", "[[indicators]]", list)
        if not raw_indicators:
            self.problem("[[indicators]]", "the catalog has no indicators")
        entries = self.read_indicators(raw_indicators, objectives, inputs)
        names = set(inputs)
        definitions = self.read_components(raw_components, names)
        for entry in entries:
            key = entry.get("key")
            if isinstance(key, str):
                if key in raw_components:
                    self.problem(entry["location"], f"key {key!r} is also a component name")
                elif key in definitions:
                    continue  # a duplicate key, reported by read_indicators
                elif key in names:
                    self.problem(entry["location"], f"key {key!r} is also an input name")
                else:
                    definitions[key] = (entry["location"], entry.get("formula_text"))
        composed = self.parse_definitions(definitions, set(inputs) | set(definitions))
        expanded = self.expand(composed, definitions)
        components = self.build_components(raw_components, composed, expanded)
        indicators = self.build_indicators(entries, inputs, composed, expanded, rule, rules)
        if self.problems:
            raise CatalogError(self.problems)
        return Catalog(
            title=title,
            year=year,
            path=self.path,
            achievement_rule=rule,
            objectives=tuple(objectives.values()),
            inputs=inputs,
            components=components,
            indicators=tuple(indicators),
            source=source,
            rules=rules,
        )

    def load_header(
        self, header: Mapping[str, Any]
    ) -> tuple[str, int, str | None, AchievementRule]:
        where = "[catalog]"
        self.unknown_keys(header, _CATALOG_KEYS, where)
        title = self.get(header, "title", str, where)
        year = self.get(header, "year", int, where)
        source = self.get(header, "source", str, where, required=False)
        settings = self.table(header, "achievement", "[catalog.achievement]")
        where = "[catalog.achievement]"
        self.unknown_keys(settings, _ACHIEVEMENT_KEYS, where)
        rule = AchievementRule()
        cap = self.get(settings, "cap", (int, float), where, required=False)
        rounding = self.get(settings, "rounding", str, where, required=False)
        places = self.get(settings, "places", int, where, required=False)
        try:
            rule = AchievementRule(
                cap=None if cap is _MISSING else Fraction(repr(cap)),
                rounding=rule.rounding if rounding is _MISSING else Rounding(rounding),
                places=rule.places if places is _MISSING else places,
            )
        except ValueError as error:
            self.problem(where, _enum_message(error, "rounding", Rounding))
        return (
            "" if title is _MISSING else title,
            0 if year is _MISSING else year,
            None if source is _MISSING else source,
            rule,
        )

    def load_rules(self, raw: list[Any], inputs: Mapping[str, Input]) -> tuple[Rule, ...]:
        rules: list[Rule] = []
        seen: dict[str, int] = {}
        for position, table in enumerate(raw, 1):
            where = f"rule #{position}"
            if not isinstance(table, dict):
                self.problem(where, f"must be a table, got {_describe(table)}")
                continue
            self.unknown_keys(table, _RULE_KEYS, where)
            text = self.get(table, "rule", str, where)
            note = self.get(table, "note", str, where, required=False)
            if text is _MISSING:
                continue
            where = f"rule #{position} ({text})"
            if text in seen:
                self.problem(where, f"duplicate of rule #{seen[text]}")
                continue
            seen[text] = position
            try:
                rules.append(Rule.parse(text, inputs, None if note is _MISSING else note))
            except FormulaError as error:
                self.problem(where, f"field 'rule': {error}")
        return tuple(rules)

    def load_objectives(self, raw: list[Any]) -> dict[str, Objective]:
        objectives: dict[str, Objective] = {}
        for position, table in enumerate(raw, 1):
            where = f"objective #{position}"
            if not isinstance(table, dict):
                self.problem(where, f"must be a table, got {_describe(table)}")
                continue
            self.unknown_keys(table, _OBJECTIVE_KEYS, where)
            ident = self.get(table, "id", str, where)
            name = self.get(table, "name", str, where)
            if ident is _MISSING or name is _MISSING:
                continue
            where = f"objective {ident!r}"
            if ident in objectives:
                self.problem(where, "duplicate objective id")
                continue
            try:
                objectives[ident] = Objective(ident, name)
            except ValueError as error:
                self.problem(where, str(error))
        return objectives

    def load_inputs(self, raw: Mapping[str, Any]) -> dict[str, Input]:
        inputs: dict[str, Input] = {}
        for name, table in raw.items():
            where = f"input {name!r}"
            reason = check_name(name)
            if reason is not None:
                self.problem(where, reason)
                continue
            if not isinstance(table, dict):
                self.problem(where, f"must be a table, got {_describe(table)}")
                continue
            self.unknown_keys(table, _INPUT_KEYS, where)
            label = self.get(table, "label", str, where)
            unit = self.get(table, "unit", str, where)
            kind = self.get(table, "kind", str, where)
            minimum = self.get(table, "minimum", (int, float), where, required=False)
            maximum = self.get(table, "maximum", (int, float), where, required=False)
            note = self.get(table, "note", str, where, required=False)
            over_time = self.get(table, "over_time", str, where, required=False)
            over_units = self.get(table, "over_units", str, where, required=False)
            weight = self.get(table, "weight", str, where, required=False)
            if _MISSING in (label, unit, kind):
                continue
            try:
                inputs[name] = Input(
                    name=name,
                    label=label,
                    unit=unit,
                    kind=self.enum_value(kind, "kind", InputKind),
                    minimum=None if minimum is _MISSING else Fraction(repr(minimum)),
                    maximum=None if maximum is _MISSING else Fraction(repr(maximum)),
                    note=None if note is _MISSING else note,
                    over_time=TimeRule.SUM
                    if over_time is _MISSING
                    else self.enum_value(over_time, "over_time", TimeRule),
                    over_units=UnitRule.SUM
                    if over_units is _MISSING
                    else self.enum_value(over_units, "over_units", UnitRule),
                    weight=None if weight is _MISSING else weight,
                )
            except ValueError as error:
                self.problem(where, str(error))
        for name, spec in inputs.items():
            if spec.weight is not None and spec.weight not in inputs:
                self.problem(
                    f"input {name!r}",
                    f"field 'weight': {spec.weight!r} is not defined under [inputs]"
                    + _suggest(spec.weight, inputs),
                )
        return inputs

    def read_components(
        self, raw: Mapping[str, Any], input_names: set[str]
    ) -> dict[str, tuple[str, Any]]:
        definitions: dict[str, tuple[str, Any]] = {}
        for name, table in raw.items():
            where = f"component {name!r}"
            reason = check_name(name)
            if reason is not None:
                self.problem(where, reason)
                continue
            if name in input_names:
                self.problem(where, "a component may not have the name of an input")
                continue
            if not isinstance(table, dict):
                self.problem(where, f"must be a table, got {_describe(table)}")
                continue
            self.unknown_keys(table, _COMPONENT_KEYS, where)
            self.get(table, "label", str, where)
            self.get(table, "note", str, where, required=False)
            definitions[name] = (where, self.get(table, "formula", str, where))
        return definitions

    def read_indicators(
        self, raw: list[Any], objectives: Mapping[str, Objective], inputs: Mapping[str, Input]
    ) -> list[dict[str, Any]]:
        entries: list[dict[str, Any]] = []
        seen: dict[str, dict[Any, int]] = {"number": {}, "key": {}, "name": {}}
        for position, table in enumerate(raw, 1):
            where = f"indicator #{position}"
            if not isinstance(table, dict):
                self.problem(where, f"must be a table, got {_describe(table)}")
                continue
            number = table.get("number")
            if isinstance(number, int) and not isinstance(number, bool):
                where = f"indicator {number}"
            self.unknown_keys(table, _INDICATOR_KEYS, where)
            entry: dict[str, Any] = {"location": where}
            for key in _REQUIRED_INDICATOR_KEYS:
                kind: type = {"number": int, "inputs": list}.get(key, str)
                entry[key] = self.get(table, key, kind, where)
            for key in ("label", "target_unit", "source_formula", "undefined_parts", "roll_up"):
                entry[key] = self.get(table, key, str, where, required=False)
            for key in ("notes", "target_part_formulas"):
                entry[key] = self.get(table, key, list, where, required=False)
            entry["formula_text"] = entry["formula"]
            if isinstance(entry["number"], int) and entry["number"] < 1:
                self.problem(where, f"field 'number' must be 1 or more, got {entry['number']}")
            for field in ("number", "key", "name"):
                value = entry[field]
                if value is _MISSING:
                    continue
                if value in seen[field]:
                    self.problem(
                        where,
                        f"duplicate {field} {value!r}: [[indicators]] entries "
                        f"#{seen[field][value]} and #{position} have it; keep one",
                    )
                else:
                    seen[field][value] = position
            if isinstance(entry["key"], str):
                reason = check_name(entry["key"])
                if reason is not None:
                    self.problem(where, f"field 'key': {reason}")
                    entry["key"] = _MISSING
            objective = entry["objective"]
            if isinstance(objective, str) and objective not in objectives:
                self.problem(
                    where,
                    f"field 'objective': unknown objective {objective!r}"
                    + _suggest(objective, objectives),
                )
            for key in ("inputs", "notes", "target_part_formulas"):
                items = entry[key]
                if isinstance(items, list) and not all(isinstance(item, str) for item in items):
                    self.problem(where, f"field {key!r} must be a list of strings")
                    entry[key] = _MISSING
            if isinstance(entry["inputs"], list):
                for name in entry["inputs"]:
                    if name not in inputs:
                        self.problem(
                            where,
                            f"field 'inputs': {name!r} is not defined under [inputs]"
                            + _suggest(name, inputs),
                        )
                if len(set(entry["inputs"])) != len(entry["inputs"]):
                    self.problem(where, "field 'inputs' lists an input twice")
            entries.append(entry)
        return entries

    def parse_definitions(
        self, definitions: Mapping[str, tuple[str, Any]], known: set[str]
    ) -> dict[str, sympy.Expr]:
        composed: dict[str, sympy.Expr] = {}
        for name, (where, text) in definitions.items():
            if not isinstance(text, str):
                continue
            try:
                composed[name] = parse_formula(text, known)
            except FormulaError as error:
                self.problem(where, f"field 'formula': {error}")
        return composed

    def expand(
        self, composed: Mapping[str, sympy.Expr], definitions: Mapping[str, tuple[str, Any]]
    ) -> dict[str, sympy.Expr]:
        """Substitute references depth first; report each cycle once, with its path."""
        expanded: dict[str, sympy.Expr] = {}
        reported: set[frozenset[str]] = set()

        def visit(name: str, path: tuple[str, ...]) -> sympy.Expr | None:
            if name in expanded:
                return expanded[name]
            if name in path:
                cycle = (*path[path.index(name) :], name)
                if frozenset(cycle) not in reported:
                    reported.add(frozenset(cycle))
                    self.problem(definitions[name][0], f"reference cycle: {' -> '.join(cycle)}")
                return None
            if name not in composed:
                return None
            expr = composed[name]
            replacements: dict[sympy.Symbol, sympy.Expr] = {}
            for symbol in sorted(expr.free_symbols, key=str):
                if symbol.name in definitions:
                    inner = visit(symbol.name, (*path, name))
                    if inner is None:
                        return None
                    replacements[symbol] = inner
            result = expr.xreplace(replacements) if replacements else expr
            expanded[name] = result
            return result

        for name in definitions:
            visit(name, ())
        return expanded

    def build_components(
        self,
        raw: Mapping[str, Any],
        composed: Mapping[str, sympy.Expr],
        expanded: Mapping[str, sympy.Expr],
    ) -> dict[str, Component]:
        components: dict[str, Component] = {}
        for name, table in raw.items():
            if name not in expanded or not isinstance(table, dict):
                continue
            note = table.get("note")
            components[name] = Component(
                name=name,
                label=str(table.get("label", "")) or name,
                formula=expanded[name],
                composed_formula=composed[name],
                note=note if isinstance(note, str) else None,
            )
        return components

    def build_indicators(
        self,
        entries: list[dict[str, Any]],
        inputs: Mapping[str, Input],
        composed: Mapping[str, sympy.Expr],
        expanded: Mapping[str, sympy.Expr],
        rule: AchievementRule,
        rules: tuple[Rule, ...],
    ) -> list[Indicator]:
        indicators: list[Indicator] = []
        for entry in entries:
            where = entry["location"]
            key = entry["key"]
            # The fields that need no formula are checked first, so that every problem of
            # an entry is reported at once, even when its formula or a field is missing.
            target = None if entry["target"] is _MISSING else self.build_target(entry, where)
            polarity = (
                None
                if entry["polarity"] is _MISSING
                else self.build_enum(entry, "polarity", Polarity, where)
            )
            undefined_parts = (
                UndefinedParts.UNDEFINED
                if entry["undefined_parts"] is _MISSING
                else self.build_enum(entry, "undefined_parts", UndefinedParts, where)
            )
            roll_up = (
                RollUp.INPUTS
                if entry["roll_up"] is _MISSING
                else self.build_enum(entry, "roll_up", RollUp, where)
            )
            if any(entry[field] is _MISSING for field in _REQUIRED_INDICATOR_KEYS):
                continue  # reported by read_indicators
            if key not in expanded:
                continue  # its formula problem is already reported
            part_formulas = self.build_part_formulas(entry, target, inputs, where)
            if (
                target is None
                or polarity is None
                or undefined_parts is None
                or roll_up is None
                or part_formulas is None
            ):
                continue
            formula = expanded[key]
            used = {
                symbol.name for expr in (formula, *part_formulas) for symbol in expr.free_symbols
            }
            declared = set(entry["inputs"])
            undeclared = sorted(used - declared)
            unused = sorted(declared - used)
            if undeclared:
                self.problem(
                    where,
                    f"field 'inputs': the formula uses {_names(undeclared)}, "
                    "which 'inputs' does not list; add them or fix the formula",
                )
            if unused:
                self.problem(
                    where,
                    f"field 'inputs': {_names(unused)} listed but not used by the formula; "
                    "remove them or use them in the formula",
                )
            if undeclared or unused or not declared <= set(inputs):
                continue
            objective_id = entry["objective"]
            if objective_id not in self.objectives:
                continue  # reported by read_indicators
            references = {
                symbol.name: expanded[symbol.name]
                for symbol in composed[key].free_symbols
                if symbol.name in expanded
            }
            try:
                indicators.append(
                    Indicator(
                        number=entry["number"],
                        key=key,
                        name=entry["name"],
                        objective=self.objectives[objective_id],
                        target=target,
                        polarity=polarity,
                        formula=formula,
                        composed_formula=composed[key],
                        input_specs=tuple(inputs[name] for name in entry["inputs"]),
                        source_formula=None
                        if entry["source_formula"] is _MISSING
                        else entry["source_formula"],
                        notes=() if entry["notes"] is _MISSING else tuple(entry["notes"]),
                        label=None if entry["label"] is _MISSING else entry["label"],
                        part_formulas=part_formulas,
                        undefined_parts=undefined_parts,
                        roll_up=roll_up,
                        rules=tuple(r for r in rules if r.inputs <= declared),
                        achievement_rule=rule,
                        references=references,
                    )
                )
            except (ValueError, TypeError) as error:
                self.problem(where, str(error))
        return indicators

    def build_target(self, entry: Mapping[str, Any], where: str) -> Target | None:
        unit = entry["target_unit"]
        try:
            return Target.parse(entry["target"], None if unit is _MISSING else unit)
        except ValueError as error:
            self.problem(where, f"field 'target': {error}")
            return None

    @staticmethod
    def enum_value(value: str, field: str, enum_type: Any) -> Any:
        """``enum_type(value)``, or ValueError naming the field and the allowed values."""
        try:
            return enum_type(value)
        except ValueError as error:
            raise ValueError(_enum_message(error, field, enum_type)) from None

    def build_enum(self, entry: Mapping[str, Any], field: str, enum_type: Any, where: str) -> Any:
        try:
            return enum_type(entry[field])
        except ValueError as error:
            self.problem(where, _enum_message(error, field, enum_type))
            return None

    def build_part_formulas(
        self,
        entry: Mapping[str, Any],
        target: Target | None,
        inputs: Mapping[str, Input],
        where: str,
    ) -> tuple[sympy.Expr, ...] | None:
        texts = [] if entry["target_part_formulas"] is _MISSING else entry["target_part_formulas"]
        if target is None:
            return None
        if len(texts) != len(target.parts) - 1:
            self.problem(
                where,
                f"field 'target_part_formulas': the target {target.text!r} has {len(target.parts)} "
                f"part{'s' if len(target.parts) > 1 else ''}, so it needs {len(target.parts) - 1} "
                f"formula{'s' if len(target.parts) != 2 else ''} here, got {len(texts)}",
            )
            return None
        formulas = []
        for text in texts:
            try:
                formulas.append(parse_formula(text, inputs))
            except FormulaError as error:
                self.problem(where, f"field 'target_part_formulas': {error}")
                return None
        return tuple(formulas)


_TYPE_WORDS: dict[type, str] = {
    str: "text",
    int: "an integer",
    float: "a number",
    list: "a list",
    dict: "a table",
    bool: "true or false",
}


def _describe(value: object) -> str:
    if isinstance(value, bool):
        return f"{str(value).lower()} (true/false)"
    word = _TYPE_WORDS.get(type(value), type(value).__name__)
    shown = repr(value)
    return f"{word} {shown[:40]}{'...' if len(shown) > 40 else ''}"


def _names(names: list[str]) -> str:
    return ", ".join(repr(name) for name in names)


def _suggest(name: str, known: Mapping[str, Any]) -> str:
    close = difflib.get_close_matches(name, list(known), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _enum_message(error: ValueError, field: str, enum_type: Any) -> str:
    allowed = ", ".join(repr(member.value) for member in enum_type)
    text = str(error)
    if "is not a valid" in text:
        return f"field {field!r}: {text}; use one of {allowed}"
    return text
