"""The JSON Schema of the interchange format, built from the definitions it describes.

Allowed values come from the enums of :mod:`iku_formula.model` and
:mod:`iku_formula.achievement`, function names from the function table, limits from the
formula language, so the schema is never retyped. ``catalog.schema.json`` beside this module
is its output (``python -m iku_formula.catalog.interchange_schema`` prints it; a test holds the
shipped file to it).
"""

from __future__ import annotations

__all__ = ["MAX_TREE_DEPTH", "MAX_TREE_NODES", "NUMBER_PATTERN", "build_schema"]

import enum
import json
import sys
from typing import Any

from ..achievement import MAX_PLACES, LowerIsBetter, Polarity, Rounding
from ..language.functions import FUNCTIONS
from ..language.parse import COMPARISONS, MAX_DEPTH, MAX_EXPONENT, MAX_NUMBER_DIGITS, MAX_TOKENS
from ..model import InputKind, RollUp, TimeRule, UndefinedParts, UnitRule
from ..predikat import MAX_CODE, Basis
from .interchange import FORMAT, OPERATORS, VERSION

MAX_TREE_DEPTH = 3 * MAX_DEPTH
"""Deepest expression tree read: a formula nesting MAX_DEPTH levels builds a tree about twice
as deep (a quotient is a product with a power), with room to spare."""
MAX_TREE_NODES = 4 * MAX_TOKENS
"""Most nodes of one expression tree read: every token makes at most a node or two."""
NUMBER_PATTERN = rf"^-?[0-9]{{1,{MAX_NUMBER_DIGITS}}}(/[0-9]{{1,{MAX_NUMBER_DIGITS}}})?$"
"""An exact number: an integer "p", or "p/q" in lowest terms."""
_NAME_PATTERN = "^[a-z][a-z0-9_]*$"


def _choice(kind: type[enum.Enum]) -> dict[str, Any]:
    return {"enum": [member.value for member in kind]}


def _text(nullable: bool = False) -> dict[str, Any]:
    return {"type": ["string", "null"]} if nullable else {"type": "string", "minLength": 1}


def _number(nullable: bool = False) -> dict[str, Any]:
    number = {"type": "string", "pattern": NUMBER_PATTERN}
    return {"oneOf": [number, {"type": "null"}]} if nullable else number


def _object(properties: dict[str, Any], required: list[str] | None = None) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": properties,
        "required": list(properties) if required is None else required,
        "additionalProperties": False,
    }


def _trees() -> dict[str, Any]:
    tree = {"$ref": "#/$defs/tree"}
    return {
        "tree": {
            "description": "An expression tree: an input, an exact number, an operator or a call",
            "type": "object",
            "properties": {
                "input": {"type": "string", "pattern": _NAME_PATTERN},
                "number": _number(),
                "op": {"enum": list(OPERATORS)},
                "call": {"enum": list(FUNCTIONS)},
                "args": {"type": "array", "items": tree, "minItems": 1},
                "base": tree,
                "exponent": {"type": "integer", "minimum": -MAX_EXPONENT, "maximum": MAX_EXPONENT},
            },
            "additionalProperties": False,
            # Which keys make which node. The alternatives never descend into the children
            # (the properties above do, once), so validating a deep tree stays linear.
            "oneOf": [
                {"required": ["input"], "maxProperties": 1},
                {"required": ["number"], "maxProperties": 1},
                {"required": ["call", "args"], "maxProperties": 2},
                {
                    "required": ["op", "args"],
                    "maxProperties": 2,
                    "properties": {"op": {"enum": ["add", "mul"]}, "args": {"minItems": 2}},
                },
                {
                    "required": ["op", "base", "exponent"],
                    "maxProperties": 3,
                    "properties": {"op": {"const": "pow"}},
                },
            ],
        },
        "formula": _object(
            {
                "text": {"type": "string", "description": "in the formula language"},
                "latex": {"type": "string"},
                "mathml": {"type": "string", "description": "absent when written without it"},
                "tree": tree,
            },
            required=["text", "latex", "tree"],
        ),
    }


def _indicator() -> dict[str, Any]:
    formula = {"$ref": "#/$defs/formula"}
    texts = {"type": "array", "items": {"type": "string"}}
    return _object(
        {
            "number": {"type": "integer", "minimum": 1},
            "key": {"type": "string", "pattern": _NAME_PATTERN},
            "name": {**_text(), "description": "as written in the source, typos kept"},
            "label": _text(nullable=True),
            "objective": {"type": "string", "pattern": _NAME_PATTERN},
            "target": _object(
                {
                    "text": {**_text(), "description": "as written"},
                    "parts": {
                        "type": "array",
                        "minItems": 1,
                        "items": _object({"value": _number(), "unit": _text()}),
                        "description": "as read, exact",
                    },
                }
            ),
            "polarity": _choice(Polarity),
            "formula": formula,
            "composed_formula": formula,
            "part_formulas": {"type": "array", "items": formula},
            "inputs": {"type": "array", "items": {"type": "string", "pattern": _NAME_PATTERN}},
            "is_count": {"type": "boolean", "description": "realisasi is shown as a whole count"},
            "source_formula": {
                "type": ["string", "null"],
                "description": "the source's formulasi perhitungan word for word",
            },
            "notes": texts,
            "undefined_parts": _choice(UndefinedParts),
            "roll_up": _choice(RollUp),
            "rules": {**texts, "description": "the texts of the catalog rules it is checked by"},
            "predikat": {
                "type": ["string", "null"],
                "description": "the name of the scale under /predikat giving its predikat",
            },
        }
    )


def _scale() -> dict[str, Any]:
    return _object(
        {
            "basis": _choice(Basis),
            "label": _text(nullable=True),
            "note": _text(nullable=True),
            "bands": {
                "type": "array",
                "minItems": 1,
                "description": "lowest first; [lower, upper), the top band closed at a finite "
                "upper bound; null: unbounded",
                "items": _object(
                    {
                        "code": {"type": "string", "minLength": 1, "maxLength": MAX_CODE},
                        "label": _text(),
                        "colour": {"type": "string", "pattern": "^#[0-9a-fA-F]{6}$"},
                        "lower": _number(nullable=True),
                        "upper": _number(nullable=True),
                    }
                ),
            },
        }
    )


def build_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of :func:`~.interchange.catalog_json`'s output."""
    tree = {"$ref": "#/$defs/tree"}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://iku-formula.invalid/catalog.schema.json",
        "title": "iku-formula catalog",
        "description": "A catalog of Indikator Kinerja Utama: formulas, targets and rules",
        **_object(
            {
                "format": {"const": FORMAT},
                "version": {"const": VERSION},
                "catalog": _object(
                    {
                        "title": _text(),
                        "year": {"type": "integer"},
                        "source": _text(nullable=True),
                        "achievement": _object(
                            {
                                "cap": _number(nullable=True),
                                "rounding": _choice(Rounding),
                                "places": {"type": "integer", "minimum": 0, "maximum": MAX_PLACES},
                                "minimize": _choice(LowerIsBetter),
                            }
                        ),
                        "predikat": {
                            "type": ["string", "null"],
                            "description": "the default scale of indicators naming none",
                        },
                    }
                ),
                "functions": {
                    "type": "array",
                    "description": "the function table, for reference; a reader may ignore it",
                    "items": {"type": "object", "required": ["name"]},
                },
                "objectives": {
                    "type": "array",
                    "items": _object(
                        {"id": {"type": "string", "pattern": _NAME_PATTERN}, "name": _text()}
                    ),
                },
                "inputs": {
                    "type": "object",
                    "propertyNames": {"pattern": _NAME_PATTERN},
                    "additionalProperties": _object(
                        {
                            "label": _text(),
                            "unit": _text(),
                            "kind": _choice(InputKind),
                            "minimum": _number(nullable=True),
                            "maximum": _number(nullable=True),
                            "note": _text(nullable=True),
                            "over_time": _choice(TimeRule),
                            "over_units": _choice(UnitRule),
                            "weight": {"type": ["string", "null"]},
                        }
                    ),
                },
                "components": {
                    "type": "object",
                    "propertyNames": {"pattern": _NAME_PATTERN},
                    "additionalProperties": _object(
                        {
                            "label": _text(),
                            "note": _text(nullable=True),
                            "formula": {"$ref": "#/$defs/formula"},
                            "composed_formula": {"$ref": "#/$defs/formula"},
                        }
                    ),
                },
                "indicators": {"type": "array", "minItems": 1, "items": _indicator()},
                "predikat": {
                    "type": "object",
                    "propertyNames": {"pattern": _NAME_PATTERN},
                    "additionalProperties": _scale(),
                },
                "rules": {
                    "type": "array",
                    "items": _object(
                        {
                            "text": _text(),
                            "operator": {"enum": list(COMPARISONS)},
                            "left": tree,
                            "right": tree,
                            "note": _text(nullable=True),
                        }
                    ),
                },
            }
        ),
        "$defs": _trees(),
    }


if __name__ == "__main__":  # pragma: no cover - a maintenance command
    sys.stdout.write(json.dumps(build_schema(), indent=2, ensure_ascii=False) + "\n")
