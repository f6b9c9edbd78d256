"""Reading catalog files: TOML in, a validated :class:`~iku_formula.Catalog` out.

A catalog file is untrusted data. It is read with :mod:`tomllib`, every field is
type-checked, every formula goes through the allowlisting parser, and every
problem found is reported at once in one :class:`~iku_formula.CatalogError`,
each naming the file, the entry and the field. Entries may appear in any order;
references between components and indicators are substituted at load, and a
cycle is rejected with its path.

Which keys a table allows, which are required, their types, bounds and allowed
values come from :mod:`.schema`, the one definition of the format. A field the
file leaves out is not passed to the model, whose default applies.
"""

from __future__ import annotations

__all__ = ["MAX_CATALOG_BYTES", "MAX_CATALOG_PROBLEMS", "load_catalog"]

import difflib
import os
import stat
import tomllib
from collections.abc import Iterator, Mapping
from collections.abc import Set as AbstractSet
from fractions import Fraction
from pathlib import Path
from typing import Any

import attrs
import sympy

from ..achievement import AchievementRule
from ..errors import CatalogError, FormulaError, Problem
from ..i18n import _, ngettext
from ..language.parse import (
    Extent,
    check_expression,
    check_name,
    extent_problem,
    parse_formula,
    substituted_extent,
)
from ..model import Component, Indicator, Input, Objective, Rule, Target
from ..numbers import localized
from ..predikat import Basis, PredikatScale
from . import schema, wording
from .bands import basis_problem, load_scales, resolve_scale
from .registry import Catalog, bundled_catalog_path

MAX_CATALOG_BYTES = 5_000_000
"""Largest catalog file read, so that a hostile file cannot exhaust memory."""


def load_catalog(source: str | os.PathLike[str] | None = None) -> Catalog:
    """Load and validate a catalog file; without ``source``, the bundled 2024 catalog.

    Raises :class:`~iku_formula.CatalogError` listing every problem found, also when
    ``source`` is no path or names no regular file. A file ending in ``.json`` is read as the
    JSON interchange format (:mod:`.interchange`, what :meth:`Catalog.to_json` writes).
    """
    path = bundled_catalog_path() if source is None else wording.catalog_path(source)
    label = str(path)
    try:
        with path.open("rb") as file:
            status = os.fstat(file.fileno())
            regular = stat.S_ISREG(status.st_mode)  # not a directory, /dev/zero or a pipe
            raw = file.read(MAX_CATALOG_BYTES + 1) if regular else b""  # never more
    except (OSError, ValueError) as error:  # ValueError: a NUL character in the name
        reason = error.strerror if isinstance(error, OSError) and error.strerror else error
        raise CatalogError(
            [Problem(label, "", _("cannot read the file: {reason}").format(reason=reason))]
        ) from None
    if not regular:
        raise CatalogError([Problem(label, "", _("not a regular file; give a .toml file"))])
    if len(raw) > MAX_CATALOG_BYTES:
        size = max(status.st_size, len(raw))
        raise CatalogError(
            [
                Problem(
                    label,
                    "",
                    _("file is {size} bytes; the limit is {limit}").format(
                        size=size, limit=MAX_CATALOG_BYTES
                    ),
                )
            ]
        )
    if path.suffix.lower() == ".json":  # the interchange format (catalog/interchange.py)
        from .interchange_read import read_catalog_json

        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            raise CatalogError([Problem(label, "", f"not UTF-8 text: {error.reason}")]) from None
        return read_catalog_json(text, label, path)
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as error:
        raise CatalogError(
            [Problem(label, "", _("not UTF-8 text: {reason}").format(reason=error.reason))]
        ) from None
    except ValueError as error:  # TOMLDecodeError, or an integer too long to convert
        raise CatalogError(
            [Problem(label, "", _("not valid TOML: {error}").format(error=error))]
        ) from None
    except RecursionError:  # tomllib reads nested arrays and tables recursively
        raise CatalogError(
            [Problem(label, "", _("not valid TOML: arrays or tables nested too deeply"))]
        ) from None
    return _Loader(label, path).load(data)


MAX_CATALOG_PROBLEMS = 200
"""Most problems one CatalogError lists: loading stops there (a hostile file could have
thousands, each costing a did-you-mean search)."""


class _TooManyProblemsError(Exception):
    """Raised by _Loader.problem at MAX_CATALOG_PROBLEMS; caught by _Loader.load."""


class _Missing:
    """Marks a required field that is absent or invalid (its problem already recorded)."""


_MISSING = _Missing()


@attrs.define
class _Entry:
    """One [[indicators]] entry as read: where it is and its checked values (see _Loader.read)."""

    location: str
    values: dict[str, Any]


@attrs.define
class _Loader:
    """Turns parsed TOML into a Catalog, collecting every problem on the way."""

    label: str
    path: Path
    problems: list[Problem] = attrs.field(factory=list)
    objectives: dict[str, Objective] = attrs.field(factory=dict)
    input_names: dict[str, None] = attrs.field(factory=dict)
    """Every input the file defines under a valid name, built or not: formulas and rules may
    name an input whose own fields are wrong without being told it is not defined."""
    known_inputs: frozenset[str] = frozenset()
    """:attr:`input_names` as the parser takes them, once they are all read."""
    component_values: dict[str, dict[str, Any]] = attrs.field(factory=dict)
    """The checked fields of each component table, kept for building it."""
    scales: dict[str, PredikatScale] = attrs.field(factory=dict)
    """The valid predikat scales, by name."""
    declared_scales: set[str] = attrs.field(factory=set)
    """Every predikat scale the file declares under a valid name, valid or not."""
    default_scale: PredikatScale | None = None
    """The scale of ``[catalog] predikat``."""

    def problem(self, location: str, message: str) -> None:
        self.problems.append(Problem(self.label, location, message))
        if len(self.problems) >= MAX_CATALOG_PROBLEMS:
            raise _TooManyProblemsError

    def read(self, table: Mapping[str, Any], spec: schema.Table, where: str) -> dict[str, Any]:
        """Check ``table`` against ``spec``: unknown keys, then every field in schema order.

        Returns the checked value of each field present and valid (a number as an exact
        Fraction, a list as a tuple, a choice as its enum member). A required field that is
        missing or invalid maps to _MISSING; an optional one that is absent or invalid is
        left out, so the model's default applies (an invalid one has its problem recorded).
        """
        self.unknown_keys(table, spec.keys, where)
        values: dict[str, Any] = {}
        for field in spec.fields:
            value = self.check(table, field, where)
            if value is not _MISSING or field.required:
                values[field.key] = value
        return values

    def check(self, table: Mapping[str, Any], field: schema.Field, where: str) -> Any:
        """``table[field.key]`` checked and converted; else record a problem, return _MISSING."""
        key = field.key
        if key not in table:
            if field.required:
                self.problem(where, _("field {key!r} is missing").format(key=key))
            return _MISSING
        value = table[key]
        kinds = field.types
        if (isinstance(value, bool) and bool not in kinds) or not isinstance(value, kinds):
            wanted = _(" or ").join(wording.type_word(k) for k in kinds)
            self.problem(
                where,
                _("field {key!r} must be {wanted}, got {value}").format(
                    key=key, wanted=wanted, value=wording.describe(value)
                ),
            )
            return _MISSING
        reason = wording.value_problem(field, value)
        if reason is not None:
            self.problem(where, _("field {key!r} {reason}").format(key=key, reason=reason))
            return _MISSING
        if field.choices is not None:
            try:
                return field.choices(value)
            except ValueError as error:
                self.problem(where, wording.enum_message(error, key, field.choices))
                return _MISSING
        if isinstance(value, float):
            return Fraction(repr(value))
        if isinstance(value, int) and float in kinds:
            return Fraction(value)
        return tuple(value) if isinstance(value, list) else value

    def unknown_keys(
        self, table: Mapping[str, Any], allowed: AbstractSet[str], location: str
    ) -> None:
        for key in table:
            if key not in allowed:
                close = difflib.get_close_matches(key, sorted(allowed), n=1)
                hint = (
                    _("; did you mean {name!r}?").format(name=close[0])
                    if close
                    else _("; allowed: {names}").format(names=", ".join(sorted(allowed)))
                )
                self.problem(location, _("unknown field {key!r}").format(key=key) + hint)

    def section(self, data: Mapping[str, Any], spec: schema.Table) -> Any:
        """The table ``spec`` of ``data`` (empty if absent or of the wrong type, reported)."""
        kind = spec.toml_type
        value = data.get(spec.key, kind())
        if not isinstance(value, kind):
            self.problem(
                spec.location,
                _("{key!r} must be {wanted}, got {value}").format(
                    key=spec.key, wanted=wording.type_word(kind), value=wording.describe(value)
                ),
            )
            value = kind()
        if spec.required and spec.shape is schema.Shape.LIST and not value:
            self.problem(spec.location, _("the catalog has no {key}").format(key=spec.key))
        elif spec.required and spec.key not in data:
            self.problem(
                spec.location, _("the {table} table is missing").format(table=spec.location)
            )
        return value

    def load(self, data: Mapping[str, Any]) -> Catalog:
        """The Catalog of ``data``; CatalogError listing every problem (up to a limit)."""
        try:
            return self.build(data)
        except _TooManyProblemsError:
            more = Problem(
                self.label,
                "",
                _("stopped after {count} problems; fix these and load it again").format(
                    count=MAX_CATALOG_PROBLEMS
                ),
            )
            raise CatalogError([*self.problems, more]) from None

    def build(self, data: Mapping[str, Any]) -> Catalog:
        sizes = [
            (spec, len(value))
            for spec in schema.TOP_LEVEL
            if spec.most is not None and isinstance(value := data.get(spec.key), list | dict)
        ]
        for spec, size in sizes:
            if spec.most is not None and size > spec.most:
                self.problem(
                    spec.location,
                    _("{size} entries; the limit is {limit}").format(
                        size=localized(size), limit=localized(spec.most)
                    ),
                )
        if self.problems:  # far beyond any real catalog: refused before any work
            raise CatalogError(self.problems)
        self.unknown_keys(data, {table.key for table in schema.TOP_LEVEL}, _("top level"))
        header, rule = self.load_header(self.section(data, schema.CATALOG))
        self.load_predikat(data, header)
        objectives = self.load_objectives(self.section(data, schema.OBJECTIVES))
        self.objectives = objectives
        inputs = self.load_inputs(self.section(data, schema.INPUTS))
        rules = self.load_rules(self.section(data, schema.RULES))
        raw_components = self.section(data, schema.COMPONENTS)
        entries = self.read_indicators(self.section(data, schema.INDICATORS), objectives)
        names = set(self.input_names)
        definitions = self.read_components(raw_components, names)
        for entry in entries:
            key = entry.values["key"]
            if isinstance(key, str):
                if key in raw_components:
                    self.problem(
                        entry.location, _("key {key!r} is also a component name").format(key=key)
                    )
                elif key in definitions:
                    continue  # a duplicate key, reported by read_indicators
                elif key in names:
                    self.problem(
                        entry.location, _("key {key!r} is also an input name").format(key=key)
                    )
                else:
                    definitions[key] = (entry.location, entry.values["formula"])
        composed = self.parse_definitions(definitions, frozenset(names | set(definitions)))
        expanded = self.expand(composed, definitions)
        components = self.build_components(raw_components, composed, expanded)
        indicators = self.build_indicators(entries, inputs, composed, expanded, rule, rules)
        if self.problems:
            raise CatalogError(self.problems)
        return Catalog(
            path=self.path,
            achievement_rule=rule,
            objectives=tuple(objectives.values()),
            inputs=inputs,
            components=components,
            indicators=tuple(indicators),
            rules=rules,
            predikat_scales=self.scales,
            default_predikat=self.default_scale,
            **schema.CATALOG.arguments(header),
        )

    def load_predikat(self, data: Mapping[str, Any], header: Mapping[str, Any]) -> None:
        """The scales of ``[predikat]`` and the catalog's default (on capaian)."""
        raw = self.section(data, schema.PREDIKAT)
        self.scales, self.declared_scales = load_scales(self, raw)
        where = schema.CATALOG.location
        default = resolve_scale(
            self, self.scales, self.declared_scales, header.get("predikat"), where, "predikat"
        )
        if default is not None and default.basis is not Basis.CAPAIAN:
            self.problem(
                where,
                _(
                    "field 'predikat': the default scale {name} is on {basis}; the default "
                    "must be on capaian (give a scale on realisasi to the indicators it fits, "
                    "with their own 'predikat')"
                ).format(name=repr(default.name), basis=default.basis.value),
            )
            default = None
        self.default_scale = default

    def load_header(self, header: Mapping[str, Any]) -> tuple[dict[str, Any], AchievementRule]:
        """The checked fields of [catalog] and the achievement rule of [catalog.achievement]."""
        values = self.read(header, schema.CATALOG, schema.CATALOG.location)
        spec = schema.ACHIEVEMENT
        settings = self.read(self.section(header, spec), spec, spec.location)
        try:
            rule = AchievementRule(**spec.arguments(settings))
        except ValueError as error:
            self.problem(spec.location, str(error))
            rule = AchievementRule()
        return values, rule

    def load_rules(self, raw: list[Any]) -> tuple[Rule, ...]:
        rules: list[Rule] = []
        seen: dict[str, int] = {}
        for position, table in enumerate(raw, 1):
            where = _("rule #{position}").format(position=position)
            if not isinstance(table, dict):
                self.problem(where, wording.not_a_table(table))
                continue
            arguments = schema.RULES.arguments(self.read(table, schema.RULES, where))
            text = arguments.pop("text")
            if text is _MISSING:
                continue
            where = _("rule #{position} ({text})").format(position=position, text=text)
            if text in seen:
                self.problem(where, _("duplicate of rule #{position}").format(position=seen[text]))
                continue
            seen[text] = position
            try:
                rules.append(Rule.parse(text, self.known_inputs, **arguments))
            except FormulaError as error:
                self.problem(where, _("field {key!r}: {error}").format(key="rule", error=error))
        return tuple(rules)

    def load_objectives(self, raw: list[Any]) -> dict[str, Objective]:
        objectives: dict[str, Objective] = {}
        for position, table in enumerate(raw, 1):
            where = _("objective #{position}").format(position=position)
            if not isinstance(table, dict):
                self.problem(where, wording.not_a_table(table))
                continue
            values = self.read(table, schema.OBJECTIVES, where)
            if _MISSING in values.values():
                continue
            ident = values["id"]
            where = _("objective {id!r}").format(id=ident)
            if ident in objectives:
                self.problem(where, _("duplicate objective id"))
                continue
            try:
                objectives[ident] = Objective(**schema.OBJECTIVES.arguments(values))
            except ValueError as error:
                self.problem(where, str(error))
        return objectives

    def load_inputs(self, raw: Mapping[str, Any]) -> dict[str, Input]:
        inputs: dict[str, Input] = {}
        for name, table in raw.items():
            where = _("input {name!r}").format(name=name)
            reason = check_name(name)
            if reason is not None:
                self.problem(where, reason)
                continue
            self.input_names[name] = None
            if not isinstance(table, dict):
                self.problem(where, wording.not_a_table(table))
                continue
            values = self.read(table, schema.INPUTS, where)
            if _MISSING in values.values():
                continue
            try:
                inputs[name] = Input(name=name, **schema.INPUTS.arguments(values))
            except ValueError as error:
                self.problem(where, str(error))
        self.known_inputs = frozenset(self.input_names)
        for name, spec in inputs.items():
            if spec.weight is not None and spec.weight not in self.input_names:
                self.problem(
                    _("input {name!r}").format(name=name),
                    wording.not_defined("weight", spec.weight)
                    + wording.suggest(spec.weight, self.input_names),
                )
        return inputs

    def read_components(
        self, raw: Mapping[str, Any], input_names: set[str]
    ) -> dict[str, tuple[str, Any]]:
        definitions: dict[str, tuple[str, Any]] = {}
        for name, table in raw.items():
            where = _("component {name!r}").format(name=name)
            reason = check_name(name)
            if reason is not None:
                self.problem(where, reason)
                continue
            if name in input_names:
                self.problem(where, _("a component may not have the name of an input"))
                continue
            if not isinstance(table, dict):
                self.problem(where, wording.not_a_table(table))
                continue
            values = self.read(table, schema.COMPONENTS, where)
            self.component_values[name] = values
            definitions[name] = (where, values["formula"])
        return definitions

    def read_indicators(self, raw: list[Any], objectives: Mapping[str, Objective]) -> list[_Entry]:
        entries: list[_Entry] = []
        seen: dict[str, dict[Any, int]] = {"number": {}, "key": {}, "name": {}}
        for position, table in enumerate(raw, 1):
            where = _("indicator #{position}").format(position=position)
            if not isinstance(table, dict):
                self.problem(where, wording.not_a_table(table))
                continue
            number = table.get("number")
            if isinstance(number, int) and not isinstance(number, bool):
                where = _("indicator {number}").format(number=number)
            values = self.read(table, schema.INDICATORS, where)
            for field in ("number", "key", "name"):
                value = values[field]
                if value is _MISSING:
                    continue
                if value in seen[field]:
                    self.problem(
                        where,
                        _(
                            "duplicate {field} {value!r}: [[indicators]] entries "
                            "#{first} and #{position} have it; keep one"
                        ).format(
                            field=field, value=value, first=seen[field][value], position=position
                        ),
                    )
                else:
                    seen[field][value] = position
            if isinstance(values["key"], str):
                reason = check_name(values["key"])
                if reason is not None:
                    self.problem(where, _("field {key!r}: {error}").format(key="key", error=reason))
                    values["key"] = _MISSING
            objective = values["objective"]
            if isinstance(objective, str) and objective not in objectives:
                self.problem(
                    where,
                    _("field 'objective': unknown objective {name!r}").format(name=objective)
                    + wording.suggest(objective, objectives),
                )
            if isinstance(values["inputs"], tuple):
                for name in values["inputs"]:
                    if name not in self.input_names:
                        self.problem(
                            where,
                            wording.not_defined("inputs", name)
                            + wording.suggest(name, self.input_names),
                        )
                if len(set(values["inputs"])) != len(values["inputs"]):
                    self.problem(where, _("field 'inputs' lists an input twice"))
            entries.append(_Entry(where, values))
        return entries

    def parse_definitions(
        self, definitions: Mapping[str, tuple[str, Any]], known: frozenset[str]
    ) -> dict[str, sympy.Expr]:
        composed: dict[str, sympy.Expr] = {}
        for name, (where, text) in definitions.items():
            if not isinstance(text, str):
                continue
            try:
                composed[name] = parse_formula(text, known)
            except FormulaError as error:
                self.problem(where, _("field {key!r}: {error}").format(key="formula", error=error))
        return composed

    def expand(
        self, composed: Mapping[str, sympy.Expr], definitions: Mapping[str, tuple[str, Any]]
    ) -> dict[str, sympy.Expr]:
        """Substitute references depth first; report each cycle once, with its path.

        Before a definition is written out, its extent (:func:`substituted_extent`: tokens,
        nesting and the digits its value may need) is worked out from its own text and the
        extents of the names it references, and held to the formula language's limits: a
        chain of components that doubles at every level is refused at the level where it
        passes them, in one step per level, instead of being built. The walk keeps its own
        stack, so a chain of thousands of components cannot exhaust Python's.
        """
        walk = _Expansion(self, composed, definitions)
        for name in definitions:
            walk.resolve(name)
        return walk.expanded

    def build_components(
        self,
        raw: Mapping[str, Any],
        composed: Mapping[str, sympy.Expr],
        expanded: Mapping[str, sympy.Expr],
    ) -> dict[str, Component]:
        components: dict[str, Component] = {}
        for name in raw:
            values = self.component_values.get(name)
            if name not in expanded or values is None or _MISSING in values.values():
                continue
            components[name] = Component(
                name=name,
                formula=expanded[name],
                composed_formula=composed[name],
                **schema.COMPONENTS.arguments(values),
            )
        return components

    def build_indicators(
        self,
        entries: list[_Entry],
        inputs: Mapping[str, Input],
        composed: Mapping[str, sympy.Expr],
        expanded: Mapping[str, sympy.Expr],
        rule: AchievementRule,
        rules: tuple[Rule, ...],
    ) -> list[Indicator]:
        indicators: list[Indicator] = []
        for entry in entries:
            where, values = entry.location, entry.values
            # The target is checked before anything else may skip the entry, so that every
            # problem of an entry is reported at once, even when its formula or a field is
            # missing (its enumerated fields were checked when it was read).
            target = None if values["target"] is _MISSING else self.build_target(values, where)
            if _MISSING in values.values():
                continue  # reported by read_indicators
            key = values["key"]
            if key not in expanded:
                continue  # its formula problem is already reported
            part_formulas = self.build_part_formulas(values, target, where)
            if target is None or part_formulas is None:
                continue
            formula = expanded[key]
            used = {
                symbol.name for expr in (formula, *part_formulas) for symbol in expr.free_symbols
            }
            declared = set(values["inputs"])
            undeclared = sorted(used - declared)
            unused = sorted(declared - used)
            if undeclared:
                self.problem(
                    where,
                    _(
                        "field 'inputs': the formula uses {names}, "
                        "which 'inputs' does not list; add them or fix the formula"
                    ).format(names=wording.names(undeclared)),
                )
            if unused:
                self.problem(
                    where,
                    _(
                        "field 'inputs': {names} listed but not used by the formula; "
                        "remove them or use them in the formula"
                    ).format(names=wording.names(unused)),
                )
            if undeclared or unused or not declared <= set(inputs):
                continue
            objective_id = values["objective"]
            if objective_id not in self.objectives:
                continue  # reported by read_indicators
            scale = self.default_scale
            if "predikat" in values:
                scale = resolve_scale(
                    self, self.scales, self.declared_scales, values["predikat"], where, "predikat"
                )
                policy = values.get(
                    "undefined_parts",
                    schema.INDICATORS.default(schema.INDICATORS["undefined_parts"]),
                )
                reason = None if scale is None else basis_problem(scale, formula, inputs, policy)
                if reason is not None:
                    self.problem(where, reason)
            references = {
                symbol.name: expanded[symbol.name]
                for symbol in composed[key].free_symbols
                if symbol.name in expanded
            }
            try:
                indicators.append(
                    Indicator(
                        objective=self.objectives[objective_id],
                        target=target,
                        formula=formula,
                        composed_formula=composed[key],
                        input_specs=tuple(inputs[name] for name in values["inputs"]),
                        part_formulas=part_formulas,
                        rules=tuple(r for r in rules if r.inputs <= declared),
                        achievement_rule=rule,
                        predikat=scale,
                        references=references,
                        **schema.INDICATORS.arguments(values),
                    )
                )
            except (ValueError, TypeError) as error:
                self.problem(where, str(error))
        return indicators

    def build_target(self, values: Mapping[str, Any], where: str) -> Target | None:
        unit = {"unit": values["target_unit"]} if "target_unit" in values else {}
        try:
            return Target.parse(values["target"], **unit)
        except ValueError as error:
            self.problem(where, _("field {key!r}: {error}").format(key="target", error=error))
            return None

    def build_part_formulas(
        self, values: Mapping[str, Any], target: Target | None, where: str
    ) -> tuple[sympy.Expr, ...] | None:
        field = schema.INDICATORS["target_part_formulas"]
        texts = values.get(field.key, schema.INDICATORS.default(field))
        if target is None:
            return None
        if len(texts) != len(target.parts) - 1:
            self.problem(
                where,
                ngettext(
                    "field 'target_part_formulas': the target {target!r} has {parts} parts, so "
                    "it needs {needed} formula here, got {count}",
                    "field 'target_part_formulas': the target {target!r} has {parts} parts, so "
                    "it needs {needed} formulas here, got {count}",
                    len(target.parts) - 1,
                ).format(
                    target=target.text,
                    parts=len(target.parts),
                    needed=len(target.parts) - 1,
                    count=len(texts),
                ),
            )
            return None
        formulas = []
        for text in texts:
            try:
                formulas.append(parse_formula(text, self.known_inputs))
            except FormulaError as error:
                self.problem(
                    where,
                    _("field {key!r}: {error}").format(key="target_part_formulas", error=error),
                )
                return None
        return tuple(formulas)


@attrs.define
class _Expansion:
    """The references of a catalog written out, definition by definition (see _Loader.expand)."""

    loader: _Loader
    composed: Mapping[str, sympy.Expr]
    definitions: Mapping[str, tuple[str, Any]]
    expanded: dict[str, sympy.Expr] = attrs.field(factory=dict)
    extents: dict[str, Extent] = attrs.field(factory=dict)
    failed: set[str] = attrs.field(factory=set)
    """Definitions not written out: refused (and reported), or using one that was."""
    cycles: set[frozenset[str]] = attrs.field(factory=set)

    def references(self, name: str) -> list[sympy.Symbol]:
        symbols = self.composed[name].free_symbols
        return sorted((s for s in symbols if s.name in self.definitions), key=str)

    def resolve(self, root: str) -> None:
        """Write out ``root`` and, first, every definition it uses, with an explicit stack."""
        if root in self.expanded or root in self.failed:
            return
        path: list[str] = []
        pending: list[Iterator[sympy.Symbol]] = []

        def enter(name: str) -> bool:
            if name in self.expanded:
                return True
            if name in path:  # a cycle: report it once, with its path
                cycle = (*path[path.index(name) :], name)
                if frozenset(cycle) not in self.cycles:
                    self.cycles.add(frozenset(cycle))
                    where = self.definitions[name][0]
                    shown = list(cycle)
                    if len(shown) > 12:  # the first names and the last, and how many between
                        more = _("({count} more)").format(count=len(shown) - 7)
                        shown = [*shown[:5], more, *shown[-2:]]
                    self.loader.problem(
                        where, _("reference cycle: {path}").format(path=" -> ".join(shown))
                    )
                return False
            if name in self.failed or name not in self.composed:  # already reported
                return False
            path.append(name)
            pending.append(iter(self.references(name)))
            return True

        if not enter(root):
            self.failed.add(root)
            return
        while path:
            inner = next(pending[-1], None)
            if inner is not None:
                if not enter(inner.name):
                    self.failed.update(path)  # each of them uses it
                    return
                continue
            name = path.pop()
            pending.pop()
            if not self.write_out(name):
                self.failed.update((name, *path))
                return

    def write_out(self, name: str) -> bool:
        """Substitute ``name``'s references (all written out) if its extent is within the
        limits; else report why and return False."""
        where, text = self.definitions[name]
        expr = self.composed[name]
        symbols = self.references(name)
        references = {symbol.name: self.extents[symbol.name] for symbol in symbols}
        extent = substituted_extent(text, expr, references)
        reason = extent_problem(extent)
        if reason is not None:
            self.loader.problem(
                where, _("field {key!r}: {error}").format(key="formula", error=reason)
            )
            return False
        if symbols:
            expr = expr.xreplace({symbol: self.expanded[symbol.name] for symbol in symbols})
            try:
                check_expression(text, expr)
            except FormulaError as error:
                self.loader.problem(
                    where,
                    _("field 'formula': once written out, {reason}").format(reason=error.reason),
                )
                return False
        self.expanded[name] = expr
        self.extents[name] = extent
        return True
