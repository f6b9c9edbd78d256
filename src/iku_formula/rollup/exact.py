"""The exact roll-up engine: rows of units and quarters combined in Fractions, by input rules."""

from __future__ import annotations

__all__ = [
    "RolledUp",
    "mean_of_units",
    "roll_up_rows",
]

from collections.abc import Callable, Mapping, Sequence
from fractions import Fraction
from typing import TYPE_CHECKING

import attrs

from ..achievement import Status
from ..evaluation import (
    Evaluation,
    PartResult,
    evaluate_coerced,
)
from ..model import Indicator, Input, TimeRule, UndefinedParts, UnitRule

if TYPE_CHECKING:
    from ..catalog.registry import Catalog

from ..periods import period_sort_key
from ..sheets.model import SheetRow


@attrs.frozen
class RolledUp:
    """Rows rolled up: the inputs of the whole, of each unit, and what could not be."""

    values: Mapping[str, Fraction]
    """Every input that could be rolled up, exactly."""
    units: Mapping[str | None, Mapping[str, Fraction]]
    """Each unit's inputs over its periods (before combining the units)."""
    notes: tuple[str, ...]
    """Why an input given in the rows is missing from ``values``, or a unit's periods differ."""


def roll_up_rows(
    catalog: Catalog, rows: Sequence[SheetRow], where: Callable[[SheetRow], str] | None = None
) -> RolledUp:
    """Roll rows of several quarters and units up, exactly, by each input's rules.

    The same rules as :meth:`Catalog.aggregate` (which does it with floats on a DataFrame):
    first over the quarters of each unit (``over_time``: sum, the last quarter, or mean),
    then over the units (``over_units``: sum, mean, or mean weighted by another input;
    a unit weighing 0 does not count). A unit that gives an input in none of its rows does
    not report it (an empty column for that kind of unit) and is left out of that input. A
    unit that gives it in some rows only makes it missing (a note says where): adding or
    averaging over quarters needs every quarter, and a stock needs the last one.
    """
    describe = where or (lambda row: f"row {row.number}")
    by_unit: dict[str | None, list[SheetRow]] = {}
    for row in rows:
        by_unit.setdefault(row.unit, []).append(row)
    periods = sorted({row.period for row in rows}, key=period_sort_key)
    notes: list[str] = []
    missing: set[str] = set()
    per_unit: dict[str | None, dict[str, Fraction]] = {}
    for unit, unit_rows in by_unit.items():
        unit_rows.sort(key=lambda row: period_sort_key(row.period))
        name_of_unit = unit or "(no unit)"
        covered = [row.period for row in unit_rows]
        if len(by_unit) > 1 and covered != periods:
            absent = [period or "(none)" for period in periods if period not in covered]
            notes.append(
                f"{name_of_unit} has no row with values for {', '.join(absent)}: its figures "
                f"cover {', '.join(p or '(none)' for p in covered)} only"
            )
        combined: dict[str, Fraction] = {}
        for name, spec in catalog.inputs.items():
            given = [row for row in unit_rows if name in row.values]
            if not given:
                continue  # the unit does not report this input
            if spec.over_time is TimeRule.LAST:
                last = unit_rows[-1]
                if name not in last.values:
                    missing.add(name)
                    notes.append(
                        f"{name_of_unit}: {name} has no value in {last.period} "
                        f"({describe(last)}), its last period; a stock is taken at the end "
                        "of the period"
                    )
                    continue
                combined[name] = last.values[name]
                continue
            if len(given) < len(unit_rows):
                missing.add(name)
                absent_rows = [row for row in unit_rows if name not in row.values]
                notes.append(
                    f"{name_of_unit}: {name} has no value in "
                    f"{', '.join(str(row.period) for row in absent_rows)} "
                    f"({', '.join(describe(row) for row in absent_rows)}); "
                    f"{'adding' if spec.over_time is TimeRule.SUM else 'averaging'} it over "
                    "the quarters needs every quarter (write 0 where there was none)"
                )
                continue
            total = sum((row.values[name] for row in given), Fraction(0))
            combined[name] = total if spec.over_time is TimeRule.SUM else total / len(given)
        per_unit[unit] = combined
    values: dict[str, Fraction] = {}
    for name, spec in catalog.inputs.items():
        reporting = [(unit, unit_values[name]) for unit, unit_values in per_unit.items()
                     if name in unit_values]  # fmt: skip
        if name in missing or not reporting:
            continue
        if spec.over_units is UnitRule.SUM:
            values[name] = sum((value for _, value in reporting), Fraction(0))
        elif spec.over_units is UnitRule.MEAN:
            values[name] = sum((value for _, value in reporting), Fraction(0)) / len(reporting)
        else:
            weighted = _weighted_mean(name, spec, reporting, per_unit, notes)
            if weighted is not None:
                values[name] = weighted
    return RolledUp(values, per_unit, tuple(notes))


def _weighted_mean(
    name: str,
    spec: Input,
    reporting: Sequence[tuple[str | None, Fraction]],
    per_unit: Mapping[str | None, Mapping[str, Fraction]],
    notes: list[str],
) -> Fraction | None:
    weight = spec.weight or ""
    pairs: list[tuple[Fraction, Fraction]] = []
    for unit, value in reporting:
        if weight not in per_unit[unit]:
            notes.append(
                f"{unit or '(no unit)'}: {name} is averaged over units weighted by {weight}, "
                "which has no value"
            )
            return None
        if per_unit[unit][weight]:
            pairs.append((value, per_unit[unit][weight]))
    total = sum((w for _, w in pairs), Fraction(0))
    if total == 0:
        notes.append(f"{name} is averaged over units weighted by {weight}, which add up to 0")
        return None
    return sum((value * w for value, w in pairs), Fraction(0)) / total


def mean_of_units(
    indicator: Indicator, units: Mapping[str | None, Mapping[str, Fraction]]
) -> Evaluation | None:
    """An indicator with roll_up "mean_of_units": the mean of its realisasi in each unit that
    gives all its inputs (undefined where one unit's is, unless undefined_parts is "skip")."""
    per_unit = [
        evaluate_coerced(indicator, values)
        for values in units.values()
        if all(name in values for name in indicator.inputs)
    ]
    if not per_unit:
        return None
    rule = indicator.achievement_rule
    skip = indicator.undefined_parts is UndefinedParts.SKIP
    parts: list[PartResult] = []
    for position, target in enumerate(indicator.target.parts):
        found = [
            (result.parts[position].value if result.parts else result.value) for result in per_unit
        ]
        defined = [value for value in found if value is not None]
        if not defined or (len(defined) < len(found) and not skip):
            reason = (
                f"the mean over units is undefined: undefined in "
                f"{len(found) - len(defined)} of {len(found)} units"
            )
            parts.append(PartResult(None, None, False, reason))
            continue
        value = sum(defined, Fraction(0)) / len(defined)
        achievement, reason_ = rule.achievement(value, target.value, indicator.polarity)
        met = rule.met(value, target.value, indicator.polarity)
        parts.append(PartResult(value, achievement, met, reason_))
    first = parts[0]
    achievements = [part.achievement for part in parts]
    if any(part.value is None for part in parts):
        status = Status.UNDEFINED
    else:
        status = Status.MET if all(part.met for part in parts) else Status.NOT_MET
    return Evaluation(
        indicator=indicator,
        inputs={},
        value=first.value,
        achievement=None if None in achievements else min(a for a in achievements if a is not None),
        status=status,
        reason=next((part.reason for part in parts if part.reason), None),
        warnings=(
            f"the mean over {len(per_unit)} units of their realisasi (roll_up mean_of_units)",
        ),
        parts=tuple(parts) if len(parts) > 1 else (),
    )
