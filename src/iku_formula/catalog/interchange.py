"""The catalog as JSON, for applications that are not Python (issue 12, item 4).

:func:`catalog_json` writes everything a catalog defines: every formula as text, LaTeX,
MathML and an expression tree, the achievement and roll-up rules, each target as written
and as read (exact), the polarity and the source's texts word for word. The format is
described by the JSON Schema ``catalog.schema.json`` shipped beside this module
(:func:`schema_json`); :mod:`.interchange_read` reads such a file back into an equal
catalog.

An expression tree is the sympy tree that is evaluated, node by node:

* ``{"input": "name"}``: an input;
* ``{"number": "31/10"}``: an exact number, ``"p"`` or ``"p/q"`` in lowest terms;
* ``{"op": "add" | "mul", "args": [...]}``: a sum or a product of two or more terms
  (``a - b`` is ``add(a, mul(-1, b))``, ``a / b`` is ``mul(a, pow(b, -1))``);
* ``{"op": "pow", "base": tree, "exponent": k}``: an integer power;
* ``{"call": "persen", "args": [...]}``: a function of the formula language, by its name
  in :data:`~iku_formula.language.functions.FUNCTIONS`.

Predikat scales (:mod:`iku_formula.predikat`) are written by name under ``predikat``, each
indicator naming the scale that gives it its predikat.
"""

from __future__ import annotations

__all__ = [
    "FORMAT",
    "OPERATORS",
    "SCHEMA_FILE",
    "VERSION",
    "catalog_json",
    "expression_tree",
    "fraction_text",
    "schema_json",
]

import json
from collections.abc import Mapping
from fractions import Fraction
from importlib import resources
from typing import Any

import sympy

from ..achievement import AchievementRule
from ..language.functions import FUNCTIONS, IkuFunction, spec_of
from ..language.printers import to_latex, to_text
from ..model import Component, Indicator, Input, Rule, Target
from ..predikat import PredikatScale
from .registry import Catalog

FORMAT = "iku-formula-catalog"
"""The value of ``format`` in every file this module writes."""
VERSION = 1
"""The value of ``version``: raised when a reader of an older file would misread a newer one."""
SCHEMA_FILE = "catalog.schema.json"
"""The JSON Schema of the format, a file of this package (``iku_formula/catalog/``)."""
OPERATORS = ("add", "mul", "pow")
"""The arithmetic nodes of an expression tree (functions are ``call`` nodes)."""


def fraction_text(value: Fraction) -> str:
    """An exact number as the format writes it: "3", "-1", "31/10" (lowest terms)."""
    if value.denominator == 1:
        return str(value.numerator)
    return f"{value.numerator}/{value.denominator}"


def expression_tree(expr: sympy.Expr) -> dict[str, Any]:
    """``expr`` (a formula tree the parser built) as a JSON expression tree."""
    if isinstance(expr, sympy.Symbol):
        return {"input": expr.name}
    if isinstance(expr, sympy.Rational):
        return {"number": fraction_text(Fraction(int(expr.p), int(expr.q)))}
    if isinstance(expr, sympy.Add):
        return {"op": "add", "args": [expression_tree(arg) for arg in expr.args]}
    if isinstance(expr, sympy.Mul):
        return {"op": "mul", "args": [expression_tree(arg) for arg in expr.args]}
    if isinstance(expr, sympy.Pow) and expr.exp.is_Integer:
        return {"op": "pow", "base": expression_tree(expr.base), "exponent": int(expr.exp)}
    if isinstance(expr, IkuFunction):
        return {"call": spec_of(expr).name, "args": [expression_tree(arg) for arg in expr.args]}
    raise TypeError(f"{type(expr).__name__} {expr} is no node of the formula language")


def _formula(expr: sympy.Expr, mathml: bool) -> dict[str, Any]:
    latex = to_latex(expr)
    out: dict[str, Any] = {"text": to_text(expr), "latex": latex}
    if mathml:
        from ..language.mathml import latex_to_mathml

        out["mathml"] = latex_to_mathml(latex)
    out["tree"] = expression_tree(expr)
    return out


def _optional_fraction(value: Fraction | None) -> str | None:
    return None if value is None else fraction_text(value)


def _achievement(rule: AchievementRule) -> dict[str, Any]:
    return {
        "cap": _optional_fraction(rule.cap),
        "rounding": rule.rounding.value,
        "places": rule.places,
        "minimize": rule.minimize.value,
    }


def _input(spec: Input) -> dict[str, Any]:
    return {
        "label": spec.label,
        "unit": spec.unit,
        "kind": spec.kind.value,
        "minimum": _optional_fraction(spec.minimum),
        "maximum": _optional_fraction(spec.maximum),
        "note": spec.note,
        "over_time": spec.over_time.value,
        "over_units": spec.over_units.value,
        "weight": spec.weight,
    }


def _component(component: Component, mathml: bool) -> dict[str, Any]:
    return {
        "label": component.label,
        "note": component.note,
        "formula": _formula(component.formula, mathml),
        "composed_formula": _formula(component.composed_formula, mathml),
    }


def _target(target: Target) -> dict[str, Any]:
    return {
        "text": target.text,
        "parts": [{"value": fraction_text(part.value), "unit": part.unit} for part in target.parts],
    }


def _indicator(indicator: Indicator, mathml: bool) -> dict[str, Any]:
    return {
        "number": indicator.number,
        "key": indicator.key,
        "name": indicator.name,
        "label": indicator.label,
        "objective": indicator.objective.id,
        "target": _target(indicator.target),
        "polarity": indicator.polarity.value,
        "formula": _formula(indicator.formula, mathml),
        "composed_formula": _formula(indicator.composed_formula, mathml),
        "part_formulas": [_formula(part, mathml) for part in indicator.part_formulas],
        "inputs": list(indicator.inputs),
        "is_count": indicator.is_count,
        "source_formula": indicator.source_formula,
        "notes": list(indicator.notes),
        "undefined_parts": indicator.undefined_parts.value,
        "roll_up": indicator.roll_up.value,
        "rules": [rule.text for rule in indicator.rules],
        "predikat": None if indicator.predikat is None else indicator.predikat.name,
    }


def _scale(scale: PredikatScale) -> dict[str, Any]:
    """A predikat scale: its bands lowest first, each ``[lower, upper)`` with exact bounds
    (None: unbounded), the top band of a bounded scale closed at its upper bound."""
    return {
        "basis": scale.basis.value,
        "label": scale.label,
        "note": scale.note,
        "bands": [
            {
                "code": band.code,
                "label": band.label,
                "colour": band.colour,
                "lower": _optional_fraction(band.lower),
                "upper": _optional_fraction(band.upper),
            }
            for band in scale.bands
        ],
    }


def _rule(rule: Rule) -> dict[str, Any]:
    return {
        "text": rule.text,
        "operator": rule.operator,
        "left": expression_tree(rule.left),
        "right": expression_tree(rule.right),
        "note": rule.note,
    }


def _functions() -> list[dict[str, Any]]:
    """The function table as the format lists it, for readers that check a tree's calls."""
    return [
        {
            "name": spec.name,
            "signature": spec.signature,
            "meaning": spec.meaning,
            "meaning_id": spec.meaning_id,
            "min_args": spec.min_args,
            "max_args": spec.max_args,
            "paired": spec.paired,
            "mean": spec.mean,
        }
        for spec in FUNCTIONS.values()
    ]


def catalog_json(catalog: Catalog, *, mathml: bool = True) -> dict[str, Any]:
    """``catalog`` as the JSON interchange format (a dict ready for :func:`json.dumps`).

    With ``mathml`` (the default) every formula also carries MathML, which needs
    ``latex2mathml`` (the ``docs`` extra): MissingDependencyError without it.
    """
    return {
        "format": FORMAT,
        "version": VERSION,
        "catalog": {
            "title": catalog.title,
            "year": catalog.year,
            "source": catalog.source,
            "achievement": _achievement(catalog.achievement_rule),
            "predikat": None if catalog.default_predikat is None else catalog.default_predikat.name,
        },
        "functions": _functions(),
        "objectives": [{"id": o.id, "name": o.name} for o in catalog.objectives],
        "inputs": {name: _input(spec) for name, spec in catalog.inputs.items()},
        "components": {
            name: _component(component, mathml) for name, component in catalog.components.items()
        },
        "indicators": [_indicator(indicator, mathml) for indicator in catalog.indicators],
        "rules": [_rule(rule) for rule in catalog.rules],
        "predikat": {name: _scale(scale) for name, scale in catalog.predikat_scales.items()},
    }


def schema_json() -> Mapping[str, Any]:
    """The JSON Schema of the format, as shipped in the package."""
    text = (resources.files(__package__) / SCHEMA_FILE).read_text(encoding="utf-8")
    schema: Mapping[str, Any] = json.loads(text)
    return schema
