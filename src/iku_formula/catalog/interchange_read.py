"""Reading the JSON interchange format back into a :class:`~iku_formula.Catalog`.

A JSON catalog is untrusted data, like a TOML one: every value is type-checked, every
expression is rebuilt from its tree through the constructors the parser uses (sympy's
arithmetic, ``sympy.Pow``, the function table's classes), with the parser's checks (arity, a
literal zero divisor, the size of numbers and powers) and bounded work (a tree's depth and
size, :data:`~.interchange_schema.MAX_TREE_DEPTH`, :data:`~.interchange_schema.MAX_TREE_NODES`);
nothing is passed to ``eval`` or ``sympify``. Every problem is reported at once in one
:class:`~iku_formula.CatalogError`, each located by its JSON pointer (``/indicators/3/formula``).
The texts a file carries beside a tree (text, LaTeX, MathML) are derived: the text must be the
tree's, so that a file edited in one place and not the other is refused.
"""

from __future__ import annotations

__all__ = ["read_catalog_json"]

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs
import sympy

from ..achievement import AchievementRule, LowerIsBetter, Polarity, Rounding
from ..errors import CatalogError, Problem
from ..i18n import _
from ..language.parse import (
    COMPARISONS,
)
from ..model import (
    Component,
    Indicator,
    Input,
    InputKind,
    Objective,
    RollUp,
    Rule,
    Target,
    TargetPart,
    TimeRule,
    UndefinedParts,
    UnitRule,
)
from ..predikat import Band, Basis, PredikatScale
from ._interchange_values import (
    MAX_PROBLEMS,
    ValueReader,
    _SkipEntryError,
    _TooManyProblemsError,
    escape_pointer,
)
from .interchange import FORMAT, VERSION
from .registry import Catalog


def read_catalog_json(raw: str, label: str, path: Path) -> Catalog:
    """The Catalog in the JSON text ``raw`` (read from ``path``, named ``label`` in messages).

    Raises CatalogError listing every problem, each with its JSON pointer.
    """
    try:
        data = json.loads(raw)
    except RecursionError:
        raise CatalogError([Problem(label, "", _("not valid JSON: nested too deeply"))]) from None
    except ValueError as error:
        message = _("not valid JSON: {error}").format(error=error)
        raise CatalogError([Problem(label, "", message)]) from None
    reader = _Reader(label)
    try:
        catalog = reader.catalog(data, path)
    except _TooManyProblemsError:
        more = _("stopped after {count} problems; fix these and load it again")
        raise CatalogError(
            [*reader.problems, Problem(label, "", more.format(count=MAX_PROBLEMS))]
        ) from None
    if reader.problems or catalog is None:
        raise CatalogError(reader.problems)
    return catalog


class _Reader(ValueReader):
    """Turns parsed JSON into a Catalog, collecting every problem with its JSON pointer."""

    # ----------------------------------------------------------------- values

    # ----------------------------------------------------------------- trees

    # ----------------------------------------------------------------- the catalog

    def catalog(self, data: object, path: Path) -> Catalog | None:
        try:
            top = self.fields(
                data,
                "",
                ("format", "version", "catalog", "functions?", "objectives", "inputs",
                 "components", "indicators", "rules", "predikat"),
            )  # fmt: skip
        except _SkipEntryError:
            return None
        if top["format"] != FORMAT or top["version"] != VERSION:
            self.problem(
                "/format",
                _(
                    "not an iku-formula catalog of version {version}: format {format!r:.40}, "
                    "version {found!r:.10}"
                ).format(version=VERSION, format=top["format"], found=top["version"]),
            )
            return None
        header = self.header(top["catalog"])
        objectives = {
            o.id: o
            for o in self.each(
                self.array(top["objectives"], "/objectives"), "/objectives", self.objective
            )
            if o
        }
        inputs = {
            spec.name: spec
            for spec in self.each(self.mapping(top["inputs"], "/inputs"), "/inputs", self.input)
        }
        for name, spec in inputs.items():
            if spec.weight is not None and spec.weight not in inputs:
                self.problem(
                    f"/inputs/{escape_pointer(name)}/weight",
                    _("{name!r} is not under /inputs").format(name=spec.weight),
                )
        raw_components = self.mapping(top["components"], "/components")
        raw_indicators = self.array(top["indicators"], "/indicators")
        keys = frozenset(
            entry["key"]
            for entry in raw_indicators
            if isinstance(entry, dict) and isinstance(entry.get("key"), str)
        )
        raw_names = frozenset(inputs)
        composed_names = raw_names | frozenset(raw_components) | keys
        components = {
            c.name: c
            for c in self.each(
                raw_components,
                "/components",
                lambda k, p, v: self.component(k, p, v, raw_names, composed_names),
            )
        }
        rules = tuple(
            self.each(
                self.array(top["rules"], "/rules"),
                "/rules",
                lambda k, p, v: self.rule(p, v, raw_names),
            )
        )
        scales = {
            scale.name: scale
            for scale in self.each(
                self.mapping(top["predikat"], "/predikat"), "/predikat", self.scale
            )
        }
        context = _Context(
            header[1] if header else AchievementRule(),
            objectives,
            inputs,
            components,
            rules,
            composed_names,
            scales,
        )
        entries = self.each(
            raw_indicators, "/indicators", lambda k, p, v: (p, self.indicator(p, v, context))
        )
        indicators = self.indicators(entries, components)
        if header is None:
            return None
        title, rule, year, source, default = header
        if default is not None and default not in scales:
            self.problem(
                "/catalog/predikat", _("{name!r} is not under /predikat").format(name=default)
            )
            return None
        return Catalog(
            predikat_scales=scales,
            default_predikat=None if default is None else scales[default],
            title=title, year=year, path=path, achievement_rule=rule,
            objectives=tuple(objectives.values()), inputs=inputs, components=components,
            indicators=tuple(indicators), source=source, rules=rules,
        )  # fmt: skip

    def header(
        self, value: object
    ) -> tuple[str, AchievementRule, int, str | None, str | None] | None:
        try:
            fields = self.fields(
                value, "/catalog", ("title", "year", "source", "achievement", "predikat")
            )
            title = self.typed(fields["title"], "/catalog/title", str)
            year = self.typed(fields["year"], "/catalog/year", int)
            source = self.typed(fields["source"], "/catalog/source", str, nullable=True)
            settings = self.fields(
                fields["achievement"],
                "/catalog/achievement",
                ("cap", "rounding", "places", "minimize"),
            )
            cap = self.fraction(settings["cap"], "/catalog/achievement/cap", nullable=True)
            rounding = self.choice(settings["rounding"], "/catalog/achievement/rounding", Rounding)
            places = self.typed(settings["places"], "/catalog/achievement/places", int)
            minimize = self.choice(
                settings["minimize"], "/catalog/achievement/minimize", LowerIsBetter
            )
            rule = self.build(
                "/catalog/achievement",
                AchievementRule,
                cap=cap,
                rounding=rounding,
                places=places,
                minimize=minimize,
            )
            default = self.typed(fields["predikat"], "/catalog/predikat", str, nullable=True)
        except _SkipEntryError:
            return None
        return title, rule, year, source, default

    def objective(self, key: object, pointer: str, value: object) -> Objective:
        fields = self.fields(value, pointer, ("id", "name"))
        ident = self.name(fields["id"], f"{pointer}/id")
        name = self.typed(fields["name"], f"{pointer}/name", str)
        return self.build(pointer, Objective, id=ident, name=name)  # type: ignore[no-any-return]

    def input(self, key: str, pointer: str, value: object) -> Input:
        name = self.name(key, pointer)
        fields = self.fields(
            value, pointer,
            ("label", "unit", "kind", "minimum", "maximum", "note", "over_time", "over_units",
             "weight"),
        )  # fmt: skip

        def at(key: str) -> tuple[Any, str]:
            return fields[key], f"{pointer}/{key}"

        values = self.gather(
            {
                "label": lambda: self.typed(*at("label"), str),
                "unit": lambda: self.typed(*at("unit"), str),
                "kind": lambda: self.choice(*at("kind"), InputKind),
                "minimum": lambda: self.fraction(*at("minimum"), nullable=True),
                "maximum": lambda: self.fraction(*at("maximum"), nullable=True),
                "note": lambda: self.typed(*at("note"), str, nullable=True),
                "over_time": lambda: self.choice(*at("over_time"), TimeRule),
                "over_units": lambda: self.choice(*at("over_units"), UnitRule),
                "weight": lambda: self.typed(*at("weight"), str, nullable=True),
            }
        )
        return self.build(pointer, Input, name=name, **values)  # type: ignore[no-any-return]

    def component(
        self, key: str, pointer: str, value: object, raw: frozenset[str], composed: frozenset[str]
    ) -> Component:
        name = self.name(key, pointer)
        fields = self.fields(value, pointer, ("label", "note", "formula", "composed_formula"))
        return self.build(  # type: ignore[no-any-return]
            pointer,
            Component,
            name=name,
            label=self.typed(fields["label"], f"{pointer}/label", str),
            formula=self.formula(fields["formula"], f"{pointer}/formula", raw),
            composed_formula=self.formula(
                fields["composed_formula"], f"{pointer}/composed_formula", composed
            ),
            note=self.typed(fields["note"], f"{pointer}/note", str, nullable=True),
        )

    def rule(self, pointer: str, value: object, names: frozenset[str]) -> Rule:
        fields = self.fields(value, pointer, ("text", "operator", "left", "right", "note"))
        operator = self.typed(fields["operator"], f"{pointer}/operator", str)
        if operator not in COMPARISONS:
            self.problem(
                f"{pointer}/operator",
                _("must be one of {allowed}").format(allowed=", ".join(COMPARISONS)),
            )
            raise _SkipEntryError
        return self.build(  # type: ignore[no-any-return]
            pointer,
            Rule,
            text=self.typed(fields["text"], f"{pointer}/text", str),
            left=self.tree(fields["left"], f"{pointer}/left", names),
            operator=operator,
            right=self.tree(fields["right"], f"{pointer}/right", names),
            note=self.typed(fields["note"], f"{pointer}/note", str, nullable=True),
        )

    def indicator(self, pointer: str, value: object, context: _Context) -> dict[str, Any]:
        """The keyword arguments of the Indicator of one entry (its references come later).

        Every field is checked, so that each problem of the entry is reported at once.
        """
        fields = self.fields(
            value, pointer,
            ("number", "key", "name", "label", "objective", "target", "polarity", "formula",
             "composed_formula", "part_formulas", "inputs", "is_count?", "source_formula",
             "notes", "undefined_parts", "roll_up", "rules", "predikat"),
        )  # fmt: skip

        def at(key: str) -> tuple[Any, str]:
            return fields[key], f"{pointer}/{key}"

        try:
            names: tuple[str, ...] | None = self.input_names(*at("inputs"), context)
        except _SkipEntryError:
            names = None  # recorded; the formulas are still read, against every input

        def listed() -> tuple[str, ...]:
            if names is None:
                raise _SkipEntryError
            return names

        declared = frozenset(context.inputs if names is None else names)
        parts_pointer = f"{pointer}/part_formulas"
        values = self.gather(
            {
                "inputs": listed,
                "number": lambda: self.typed(*at("number"), int),
                "key": lambda: self.name(*at("key")),
                "name": lambda: self.typed(*at("name"), str),
                "label": lambda: self.typed(*at("label"), str, nullable=True),
                "objective": lambda: self.objective_of(*at("objective"), context),
                "target": lambda: self.target(*at("target")),
                "polarity": lambda: self.choice(*at("polarity"), Polarity),
                "formula": lambda: self.formula(*at("formula"), declared),
                "part_formulas": lambda: tuple(
                    self.formula(item, f"{parts_pointer}/{position}", declared)
                    for position, item in enumerate(self.typed(*at("part_formulas"), list))
                ),
                "composed_formula": lambda: self.formula(
                    *at("composed_formula"), context.composed_names
                ),
                "source_formula": lambda: self.typed(
                    *at("source_formula"), str, nullable=True, empty=True
                ),
                "notes": lambda: self.texts(*at("notes")),
                "undefined_parts": lambda: self.choice(*at("undefined_parts"), UndefinedParts),
                "roll_up": lambda: self.choice(*at("roll_up"), RollUp),
                "rules": lambda: self.texts(*at("rules")),
                "predikat": lambda: self.scale_of(*at("predikat"), context),
            }
        )
        formulas = (values["formula"], *values["part_formulas"])
        used = {symbol.name for expr in formulas for symbol in expr.free_symbols}
        if used != declared:
            self.problem(
                f"{pointer}/inputs",
                _("must list exactly the inputs the formulas use: {names}").format(
                    names=", ".join(sorted(used))
                ),
            )
            raise _SkipEntryError
        rules = tuple(rule for rule in context.rules if rule.inputs <= declared)
        if values.pop("rules") != tuple(rule.text for rule in rules):
            self.problem(
                f"{pointer}/rules",
                _("must be the texts of the rules among its inputs, in order: {rules}").format(
                    rules="; ".join(rule.text for rule in rules) or "none"
                ),
            )
            raise _SkipEntryError
        values["input_specs"] = tuple(context.inputs[name] for name in values.pop("inputs"))
        return {**values, "rules": rules, "achievement_rule": context.achievement_rule}

    def input_names(self, value: object, pointer: str, context: _Context) -> tuple[str, ...]:
        names = self.texts(value, pointer)
        unknown = [name for name in names if name not in context.inputs]
        for name in unknown:
            self.problem(pointer, _("{name!r} is not under /inputs").format(name=name))
        if not unknown and len(set(names)) != len(names):
            self.problem(pointer, _("an input is listed twice"))
        if unknown or len(set(names)) != len(names):
            raise _SkipEntryError
        return names

    def scale_of(self, value: object, pointer: str, context: _Context) -> PredikatScale | None:
        name = self.typed(value, pointer, str, nullable=True)
        if name is not None and name not in context.scales:
            self.problem(pointer, _("{name!r} is not under /predikat").format(name=name))
            raise _SkipEntryError
        return None if name is None else context.scales[name]

    def scale(self, key: str, pointer: str, value: object) -> PredikatScale:
        name = self.name(key, pointer)
        fields = self.fields(value, pointer, ("basis", "label", "note", "bands"))
        bands = []
        for position, item in enumerate(self.typed(fields["bands"], f"{pointer}/bands", list)):
            where = f"{pointer}/bands/{position}"
            band = self.fields(item, where, ("code", "label", "colour", "lower", "upper"))
            bands.append(
                self.build(
                    where,
                    Band,
                    code=self.typed(band["code"], f"{where}/code", str),
                    label=self.typed(band["label"], f"{where}/label", str),
                    colour=self.typed(band["colour"], f"{where}/colour", str),
                    lower=self.fraction(band["lower"], f"{where}/lower", nullable=True),
                    upper=self.fraction(band["upper"], f"{where}/upper", nullable=True),
                )
            )
        return self.build(  # type: ignore[no-any-return]
            pointer,
            PredikatScale,
            name=name,
            basis=self.choice(fields["basis"], f"{pointer}/basis", Basis),
            bands=tuple(bands),
            label=self.typed(fields["label"], f"{pointer}/label", str, nullable=True),
            note=self.typed(fields["note"], f"{pointer}/note", str, nullable=True),
        )

    def objective_of(self, value: object, pointer: str, context: _Context) -> Objective:
        ident = self.name(value, pointer)
        objective = context.objectives.get(ident)
        if objective is None:
            self.problem(pointer, _("unknown objective {id!r}").format(id=ident))
            raise _SkipEntryError
        return objective

    def target(self, value: object, pointer: str) -> Target:
        fields = self.fields(value, pointer, ("text", "parts"))
        text = self.typed(fields["text"], f"{pointer}/text", str)
        parts = []
        for position, item in enumerate(self.typed(fields["parts"], f"{pointer}/parts", list)):
            where = f"{pointer}/parts/{position}"
            part = self.fields(item, where, ("value", "unit"))
            parts.append(
                TargetPart(
                    self.fraction(part["value"], f"{where}/value"),  # type: ignore[arg-type]
                    self.typed(part["unit"], f"{where}/unit", str),
                )
            )
        return self.build(pointer, Target, text=text, parts=tuple(parts))  # type: ignore[no-any-return]

    def indicators(
        self, entries: list[tuple[str, dict[str, Any]]], components: Mapping[str, Component]
    ) -> list[Indicator]:
        """Each entry's Indicator with its references (the components and indicators its
        composed formula names, expanded); its formula must be the composed one written out."""
        expanded: dict[str, sympy.Expr] = {name: c.formula for name, c in components.items()}
        expanded.update((arguments["key"], arguments["formula"]) for _p, arguments in entries)
        indicators = []
        seen: dict[tuple[str, object], str] = {}
        for pointer, arguments in entries:
            duplicate = next(
                (
                    (field, seen[(field, arguments[field])])
                    for field in ("number", "key")
                    if (field, arguments[field]) in seen
                ),
                None,
            )
            seen.update({(field, arguments[field]): pointer for field in ("number", "key")})
            if duplicate is not None:
                field, first = duplicate
                self.problem(
                    f"{pointer}/{field}",
                    _("the same {field} as {first}; keep one").format(field=field, first=first),
                )
                continue
            composed: sympy.Expr = arguments["composed_formula"]
            references = {
                symbol.name: expanded[symbol.name]
                for symbol in composed.free_symbols
                if symbol.name in expanded
            }
            written_out = composed.xreplace(
                {sympy.Symbol(name): expr for name, expr in references.items()}
            )
            if written_out != arguments["formula"]:
                self.problem(
                    f"{pointer}/composed_formula",
                    _("written out, it is not the indicator's formula"),
                )
                continue
            try:
                indicators.append(
                    self.build(pointer, Indicator, references=references, **arguments)
                )
            except _SkipEntryError:
                continue
        return indicators


@attrs.frozen
class _Context:
    """What every indicator entry is read against."""

    achievement_rule: AchievementRule
    objectives: Mapping[str, Objective]
    inputs: Mapping[str, Input]
    components: Mapping[str, Component]
    rules: tuple[Rule, ...]
    composed_names: frozenset[str]
    scales: Mapping[str, PredikatScale]
