"""The report as JSON: rounded values as text beside exact ones."""

from __future__ import annotations

__all__ = [
    "fraction_text",
    "render_json",
    "report_json",
    "result_json",
]

import json
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from ..evaluation import (
    Evaluation,
    Violation,
)
from ..numbers import exact_text
from .build import Report, rule_users

if TYPE_CHECKING:
    from ..catalog.registry import Catalog


def fraction_text(number: Fraction | None) -> str | None:
    return None if number is None else str(number)


def _decimal(number: Decimal | None) -> str | None:
    return None if number is None else str(number)


def _predikat_json(evaluation: Evaluation) -> dict[str, str] | None:
    band = evaluation.predikat
    return None if band is None else {"code": band.code, "label": band.label, "colour": band.colour}


def result_json(evaluation: Evaluation) -> dict[str, Any]:
    """One result as JSON: rounded values as text ("66.67") beside exact ones ("200/3")."""
    indicator = evaluation.indicator
    rule = indicator.achievement_rule
    entry: dict[str, Any] = {
        "number": indicator.number,
        "key": indicator.key,
        "name": indicator.display_name,
        "value": _decimal(evaluation.display_value()),
        "value_exact": fraction_text(evaluation.value),
        "target": indicator.target.text,
        "target_value": exact_text(indicator.target.value),
        "target_unit": indicator.target.unit,
        "achievement": _decimal(evaluation.display_achievement()),
        "achievement_exact": fraction_text(evaluation.achievement),
        "status": evaluation.status.value,
        "status_label": evaluation.status.label,
        "met": evaluation.met,
        "reason": evaluation.reason,
        "numerator": fraction_text(evaluation.numerator),
        "denominator": fraction_text(evaluation.denominator),
        "warnings": list(evaluation.warnings),
        "predikat": _predikat_json(evaluation),
    }
    if evaluation.parts:
        entry["parts"] = [
            {
                "target": f"{exact_text(target.value)} {target.unit}",
                "value": None if part.value is None else str(rule.display(part.value)),
                "value_exact": fraction_text(part.value),
                "achievement": None
                if part.achievement is None
                else str(rule.display(part.achievement)),
                "achievement_exact": fraction_text(part.achievement),
                "met": part.met,
                "reason": part.reason,
            }
            for part, target in zip(evaluation.parts, indicator.target.parts, strict=True)
        ]
    return entry


def _violation_json(catalog: Catalog, violation: Violation) -> dict[str, Any]:
    return {
        "rule": violation.rule.text,
        "values": {name: exact_text(value) for name, value in violation.values.items()},
        "indicators": rule_users(catalog, violation),
        "message": str(violation),
    }


def report_json(report: Report) -> dict[str, Any]:
    """The report as a JSON-ready object: every section, then the file-level notes."""
    catalog = report.catalog
    word = "record" if report.sheet.kind == "json" else "row"
    return {
        "file": report.source,
        "catalog": catalog.title,
        "level": report.level,
        "sections": [
            {
                "level": section.level,
                "unit": section.unit,
                "period": section.period,
                f"{word}s": [row.number for row in section.rows],
                "results": [result_json(result) for result in section.results.values()],
                "not_evaluated": list(section.not_evaluated),
                "missing_inputs": {
                    str(number): list(absent) for number, absent in section.not_evaluated.items()
                },
                "violations": [_violation_json(catalog, v) for v in section.violations],
                "incomplete": list(section.notes),
            }
            for section in report.sections
        ],
        "row_problems": [
            {
                word: problem.row.number,
                "unit": problem.row.unit,
                "period": problem.row.period,
                "rule": None if problem.violation is None else problem.violation.rule.text,
                "indicators": list(problem.numbers),
                "message": problem.text,
            }
            for problem in report.row_problems
        ],
        "missing_columns": list(report.sheet.missing),
        "ignored_columns": list(report.sheet.ignored),
        "number_style": report.sheet.number_style,
        f"empty_{word}s": list(report.sheet.empty_rows),
    }


def render_json(report: Report) -> str:
    """The report as JSON text (ASCII, indented): see :func:`report_json`."""
    return json.dumps(report_json(report), ensure_ascii=True, indent=2) + "\n"
