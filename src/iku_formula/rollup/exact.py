"""The exact roll-up engine: rows of units and quarters combined in Fractions, by input rules.

It executes the specification of :mod:`iku_formula.rollup.rules` (as
:mod:`iku_formula.rollup.frames` does with floats): :data:`OVER_TIME`, :data:`OVER_UNITS`
and :data:`ROLL_UPS` hold one implementation per rule. Sheets and the ``iku`` command use it.
"""

from __future__ import annotations

__all__ = [
    "OVER_TIME",
    "OVER_UNITS",
    "ROLL_UPS",
    "RolledUp",
    "evaluate_rolled_up",
    "mean_of_units",
    "roll_up_rows",
]

from collections.abc import Callable, Collection, Mapping, Sequence
from fractions import Fraction
from typing import TYPE_CHECKING

import attrs

from ..evaluation import Evaluation, PartResult, evaluate_coerced, from_parts, part_result
from ..model import Indicator, Input, RollUp, TimeRule, UndefinedParts, UnitRule
from ..periods import Period, parse_until, period_sort_key, up_to
from . import rules

if TYPE_CHECKING:
    from ..catalog.registry import Catalog
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
    gaps: Mapping[str | None, frozenset[str]] = attrs.field(factory=dict)
    """Each unit's inputs with a gap: given in some of its rows only, and missing over time
    (so absent from ``units``); a unit without gaps may be left out."""
    until: Period | None = None
    """The last period the figures run to (``roll_up_rows(..., until=)``), or None: all."""


# --- the rules, one implementation each (the specification: iku_formula.rollup.rules) -------


def _total(values: Sequence[Fraction]) -> Fraction:
    return sum(values, Fraction(0))


def _last(values: Sequence[Fraction]) -> Fraction:
    return values[-1]


def _mean(values: Sequence[Fraction]) -> Fraction:
    return _total(values) / len(values)


OVER_TIME: Mapping[TimeRule, Callable[[Sequence[Fraction]], Fraction]] = {
    TimeRule.SUM: _total,
    TimeRule.LAST: _last,
    TimeRule.MEAN: _mean,
}
"""Each rule over time: a unit's values in the periods the rule reads, in time order."""


def _sum_of_units(pairs: Sequence[tuple[Fraction, Fraction]]) -> Fraction | None:
    return _total([value for value, _ in pairs])


def _mean_of_units(pairs: Sequence[tuple[Fraction, Fraction]]) -> Fraction | None:
    return _total([value for value, _ in pairs]) / len(pairs)


def _weighted_mean(pairs: Sequence[tuple[Fraction, Fraction]]) -> Fraction | None:
    weight = _total([weight for _, weight in pairs])
    return None if weight == 0 else _total([value * w for value, w in pairs]) / weight


OVER_UNITS: Mapping[UnitRule, Callable[[Sequence[tuple[Fraction, Fraction]]], Fraction | None]]
OVER_UNITS = {
    UnitRule.SUM: _sum_of_units,
    UnitRule.MEAN: _mean_of_units,
    UnitRule.WEIGHTED_MEAN: _weighted_mean,
}
"""Each rule over units: (value, weight) of the units that count (weight 1 when unweighted);
None when the weights add up to 0."""


# --- rolling rows up ---------------------------------------------------------------------------


_Note = tuple[tuple[str | None, str] | None, str]
"""A note, with the unit and input of a gap it explains (it is dropped if the gap does not
count: a unit weighing 0)."""


def roll_up_rows(
    catalog: Catalog,
    rows: Sequence[SheetRow],
    where: Callable[[SheetRow], str] | None = None,
    *,
    until: Period | str | int | None = None,
) -> RolledUp:
    """Roll rows of several periods and units up, exactly, by each input's rules.

    The rules of :mod:`iku_formula.rollup.rules` (as :meth:`Catalog.aggregate` applies them
    with floats on a DataFrame): over the quarters of each unit, then over the units. A
    unit that gives an input in none of its rows is left out of it; one that gives it in
    some rows only has a gap (:attr:`RolledUp.gaps`), which makes it missing, and a note
    says where. ``where`` names a row in the notes (default: "row N"). With ``until`` (a
    period: "TW3", "Juni", "S1") only the rows up to it count: the figures to date, by the
    one rule of :func:`iku_formula.periods.up_to`. (:func:`evaluate_rolled_up` evaluates
    what this returns, so it needs no ``until`` of its own.)
    """
    describe = where or (lambda row: f"row {row.number}")
    last = None if until is None else parse_until(until)
    if last is not None:
        keeps = up_to(last)
        rows = [row for row in rows if keeps(row.period)]
    by_unit: dict[str | None, list[SheetRow]] = {}
    for row in rows:
        by_unit.setdefault(row.unit, []).append(row)
    periods = sorted({row.period for row in rows}, key=period_sort_key)
    notes: list[_Note] = []
    per_unit: dict[str | None, dict[str, Fraction]] = {}
    gaps: dict[str | None, frozenset[str]] = {}
    for unit, unit_rows in by_unit.items():
        unit_rows.sort(key=lambda row: period_sort_key(row.period))
        covered = [row.period for row in unit_rows]
        if len(by_unit) > 1 and covered != periods:
            absent = [period or "(none)" for period in periods if period not in covered]
            shown = [period or "(none)" for period in covered]
            notes.append((None, rules.uncovered_note(unit or "(no unit)", absent, shown)))
        per_unit[unit], gaps[unit] = _over_time(catalog, unit, unit_rows, describe, notes)
    values: dict[str, Fraction] = {}
    counted: set[tuple[str | None, str]] = set()
    for name, spec in catalog.inputs.items():
        value = _over_units(name, spec, per_unit, gaps, notes, counted)
        if value is not None:
            values[name] = value
    kept = tuple(text for gap, text in notes if gap is None or gap in counted)
    found_gaps = {unit: found for unit, found in gaps.items() if found}
    return RolledUp(values, per_unit, kept, found_gaps, last)


def _over_time(
    catalog: Catalog,
    unit: str | None,
    rows: Sequence[SheetRow],
    describe: Callable[[SheetRow], str],
    notes: list[_Note],
) -> tuple[dict[str, Fraction], frozenset[str]]:
    """One unit's inputs over its rows (in time order), and the inputs with a gap."""
    shown = unit or "(no unit)"
    combined: dict[str, Fraction] = {}
    gaps: set[str] = set()
    for name, spec in catalog.inputs.items():
        if not any(name in row.values for row in rows):
            continue  # the unit does not report this input
        read = rows if rules.OVER_TIME[spec.over_time].reads_every_period else rows[-1:]
        absent = [row for row in read if name not in row.values]
        if not absent:
            combined[name] = OVER_TIME[spec.over_time]([row.values[name] for row in read])
            continue
        gaps.add(name)
        if rules.OVER_TIME[spec.over_time].reads_every_period:
            text = rules.gap_note(
                shown,
                name,
                spec.over_time,
                ", ".join(str(row.period) for row in absent),
                ", ".join(describe(row) for row in absent),
            )
        else:
            text = rules.last_period_note(shown, name, absent[0].period, describe(absent[0]))
        notes.append(((unit, name), text))
    return combined, frozenset(gaps)


def _over_units(
    name: str,
    spec: Input,
    per_unit: Mapping[str | None, Mapping[str, Fraction]],
    gaps: Mapping[str | None, frozenset[str]],
    notes: list[_Note],
    counted: set[tuple[str | None, str]],
) -> Fraction | None:
    """An input over the units reporting it; None when missing (``notes`` say why).

    Adds to ``counted`` the gaps that make it missing: every gap but one in a unit weighing
    0 in a weighted mean (that unit does not count); the notes of the others are dropped.
    """
    reporting = [unit for unit in per_unit if name in per_unit[unit] or name in gaps[unit]]
    if not reporting:
        return None  # no unit reports it
    weighted = rules.OVER_UNITS[spec.over_units].weighted
    weight_name = spec.weight or ""

    def weighs_nothing(unit: str | None) -> bool:
        return weighted and per_unit[unit].get(weight_name) == 0

    counting = [
        (unit, name) for unit in reporting if name in gaps[unit] and not weighs_nothing(unit)
    ]
    if counting:
        counted.update(counting)
        return None
    pairs: list[tuple[Fraction, Fraction]] = []
    for unit in reporting:
        if name in gaps[unit]:
            continue  # the unit weighs 0
        weight = Fraction(1)
        if weighted:
            if weight_name not in per_unit[unit]:
                notes.append(
                    (None, rules.missing_weight_note(unit or "(no unit)", name, weight_name))
                )
                return None
            weight = per_unit[unit][weight_name]
            if weight == 0:
                continue  # a unit weighing 0 does not count
        pairs.append((per_unit[unit][name], weight))
    value = OVER_UNITS[spec.over_units](pairs)
    if value is None:
        notes.append((None, rules.zero_weights_note(name, weight_name)))
    return value


def mean_of_units(
    indicator: Indicator,
    units: Mapping[str | None, Mapping[str, Fraction]],
    gaps: Mapping[str | None, Collection[str]] | None = None,
) -> Evaluation | None:
    """An indicator with roll_up "mean_of_units": the mean of its realisasi in the units.

    A unit that does not report one of its inputs is left out; None when no unit is left,
    or when one has a gap in an input (``gaps``, as :attr:`RolledUp.gaps`): its figure is
    missing, never skipped. Undefined where one unit's result is, unless undefined_parts
    is "skip".
    """
    gaps = gaps or {}
    per_unit = []
    for unit, values in units.items():
        if any(name in gaps.get(unit, ()) for name in indicator.inputs):
            if all(name in values or name in gaps[unit] for name in indicator.inputs):
                return None  # a missing input in a unit: missing
            continue
        if all(name in values for name in indicator.inputs):
            per_unit.append(evaluate_coerced(indicator, values))
    if not per_unit:
        return None
    skip = indicator.undefined_parts is UndefinedParts.SKIP
    parts: list[PartResult] = []
    for position, target in enumerate(indicator.target.parts):
        found = [
            (result.parts[position].value if result.parts else result.value) for result in per_unit
        ]
        defined = [value for value in found if value is not None]
        if not defined or (len(defined) < len(found) and not skip):
            reason = rules.undefined_units_reason(len(found) - len(defined), len(found))
            parts.append(PartResult(None, None, False, reason))
            continue
        mean = sum(defined, Fraction(0)) / len(defined)
        parts.append(part_result(indicator, mean, target.value))
    return from_parts(
        indicator, parts, inputs={}, warnings=(rules.mean_of_units_warning(len(per_unit)),)
    )


# --- evaluating rolled-up rows, each indicator by its roll_up --------------------------------


def _on_inputs(indicator: Indicator, rolled: RolledUp) -> Evaluation | None:
    if not all(name in rolled.values for name in indicator.inputs):
        return None
    return evaluate_coerced(indicator, rolled.values)


def _on_units(indicator: Indicator, rolled: RolledUp) -> Evaluation | None:
    if len(rolled.units) == 1:  # the mean over one unit: its own result, without the warning
        (values,) = rolled.units.values()  # (a weighted mean over units plays no part in it)
        if not all(name in values for name in indicator.inputs):
            return None
        return evaluate_coerced(indicator, values)
    return mean_of_units(indicator, rolled.units, rolled.gaps)


ROLL_UPS: Mapping[RollUp, Callable[[Indicator, RolledUp], Evaluation | None]] = {
    RollUp.INPUTS: _on_inputs,
    RollUp.MEAN_OF_UNITS: _on_units,
}
"""Each way an indicator rolls up: its result on rolled-up rows (None: an input missing)."""


def evaluate_rolled_up(catalog: Catalog, rolled: RolledUp) -> dict[int, Evaluation]:
    """Every indicator that rolled-up rows can give, by number, each by its ``roll_up``."""
    results: dict[int, Evaluation] = {}
    for indicator in catalog:
        result = ROLL_UPS[indicator.roll_up](indicator, rolled)
        if result is not None:
            results[indicator.number] = result
    return results


rules.check_engine("exact", OVER_TIME, OVER_UNITS, ROLL_UPS)
