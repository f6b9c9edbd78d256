"""The roll-up specification: the rules over time and over units, stated once.

Realised values come in rows, one per work unit (UPT) and period (triwulan). They roll
up into the year and into the Kantor Wilayah in two steps, each input by its own rules
in the catalog (:attr:`Input.over_time <iku_formula.model.Input.over_time>`,
:attr:`Input.over_units <iku_formula.model.Input.over_units>`):

1. **over time**, per unit, its rows in time order (:data:`OVER_TIME`): a flow is added
   up, a stock is taken at the end of the period (the last one), a level is averaged.
   Quarter to date, every period gets the figure from the first period up to it;
2. **over units** (:data:`OVER_UNITS`): added up, averaged, or averaged weighted by
   another input (its figure over time, e.g. a survey's respondents).

Time comes first, so that a stock is taken at the end of the period in each unit before
the units are added up, and a weighted mean weighs each unit by its whole period. The
formula is then applied to the combined inputs: a ratio of sums, never a mean of ratios.
The one exception is an indicator whose catalog entry says ``roll_up = "mean_of_units"``
(:data:`ROLL_UPS`): it is evaluated per unit (on its inputs over time) and averaged.

What is missing is never skipped quietly:

* a **silent unit**, one that leaves an input empty in every one of its rows, does not
  report it (an Imigrasi office has no detainees): it is left out of that input over
  units, and out of a ``mean_of_units`` indicator using it. No unit reporting: missing;
* a **gap**, an input a unit gives in some rows only, makes its figure over time missing
  when the rule reads that period (:attr:`TimeSpec.reads_every_period`: adding and
  averaging need every period; a stock needs the last one), and so the input over units,
  and a ``mean_of_units`` indicator using it;
* in a **weighted mean**, a unit weighing 0 does not count (its value may be missing); a
  missing weight makes the mean missing, and so do weights adding up to 0.

Two engines execute this specification, in one subpackage: the exact one
(:mod:`iku_formula.rollup.exact`: Fractions, for sheets and the ``iku`` command) and the
vectorised one (:mod:`iku_formula.rollup.frames`: floats, pandas). Each holds one
implementation per rule, in tables keyed by the rule (``OVER_TIME``, ``OVER_UNITS``,
``ROLL_UPS``) that :func:`check_engine` holds to the tables here when the engine is
imported; a property test holds the two engines' results equal. The texts shown when a
figure is missing are here, so both engines and the reports say the same.

Adding a rule: a member of its enum in :mod:`iku_formula.model`, a row here, and its
implementation in each engine's table.
"""

from __future__ import annotations

__all__ = [
    "OVER_TIME",
    "OVER_UNITS",
    "ROLL_UPS",
    "RollUpSpec",
    "TimeSpec",
    "UnitSpec",
    "check_engine",
    "gap_note",
    "last_period_note",
    "mean_of_units_warning",
    "missing_in_a_unit_reason",
    "missing_weight_note",
    "no_unit_reports_reason",
    "uncovered_note",
    "undefined_units_reason",
    "unexpressed_mean_of_units_warning",
    "zero_weights_note",
]

from collections.abc import Collection, Iterable, Mapping, Sequence

import attrs

from ..i18n import N_, _
from ..language.undefined import missing_input
from ..model import RollUp, TimeRule, UnitRule


@attrs.frozen
class TimeSpec:
    """A rule over time: what it means and which periods it reads."""

    rule: TimeRule
    meaning: str
    """The figure of several periods, in words."""
    to_date: str
    """The figure of each period quarter to date, in words."""
    reads_every_period: bool
    """True: a gap in any period makes the figure missing; False: only the last period's."""
    verb: str
    """What the rule does over the periods, for notes: "adding", "averaging", "taking"
    (English; notes show it through ``_()``)."""


@attrs.frozen
class UnitSpec:
    """A rule over units: what it means and whether it needs a weight input."""

    rule: UnitRule
    meaning: str
    weighted: bool
    """Whether the input names a weight (``Input.weight``) whose figure weighs each unit."""


@attrs.frozen
class RollUpSpec:
    """How an indicator rolls up over units: what it means."""

    rule: RollUp
    meaning: str


OVER_TIME: Mapping[TimeRule, TimeSpec] = {
    spec.rule: spec
    for spec in (
        TimeSpec(
            TimeRule.SUM,
            "a flow: the sum of the periods' values",
            "the sum from the first period up to each",
            reads_every_period=True,
            verb=N_("adding"),
        ),
        TimeSpec(
            TimeRule.LAST,
            "a stock: the value of the last period, taken at the end of the period",
            "each period's own value",
            reads_every_period=False,
            verb=N_("taking"),
        ),
        TimeSpec(
            TimeRule.MEAN,
            "a level: the mean of the periods' values",
            "the mean from the first period up to each",
            reads_every_period=True,
            verb=N_("averaging"),
        ),
    )
}
"""Every rule over time (per unit, its rows in time order)."""

OVER_UNITS: Mapping[UnitRule, UnitSpec] = {
    spec.rule: spec
    for spec in (
        UnitSpec(UnitRule.SUM, "the sum over the units reporting it", weighted=False),
        UnitSpec(UnitRule.MEAN, "the mean over the units reporting it", weighted=False),
        UnitSpec(
            UnitRule.WEIGHTED_MEAN,
            "the sum of value x weight over the sum of the weights, over the units reporting "
            "it; a unit weighing 0 does not count",
            weighted=True,
        ),
    )
}
"""Every rule over units (each unit's figure over time)."""

ROLL_UPS: Mapping[RollUp, RollUpSpec] = {
    spec.rule: spec
    for spec in (
        RollUpSpec(RollUp.INPUTS, "the formula applied to the inputs rolled up"),
        RollUpSpec(
            RollUp.MEAN_OF_UNITS,
            "the mean over units of the formula applied to each unit's inputs over time; a "
            "unit where it is undefined makes the mean undefined (unless undefined_parts is "
            '"skip": the mean over the defined units)',
        ),
    )
}
"""Every way an indicator rolls up over units."""


def check_engine(
    engine: str,
    over_time: Collection[TimeRule],
    over_units: Collection[UnitRule],
    roll_ups: Collection[RollUp],
) -> None:
    """Raise TypeError unless ``engine`` implements exactly the rules of the tables here."""
    for table, implemented in (
        (OVER_TIME, over_time),
        (OVER_UNITS, over_units),
        (ROLL_UPS, roll_ups),
    ):
        lacking = [rule.value for rule in table if rule not in implemented]
        extra = [getattr(rule, "value", rule) for rule in implemented if rule not in table]
        if lacking or extra:
            raise TypeError(
                f"the {engine} roll-up engine does not follow iku_formula.rollup.rules: "
                f"lacking {lacking}, not in the specification {extra}"
            )


# --- what is shown when a figure is missing -----------------------------------------------


def uncovered_note(unit: str, absent: Sequence[str], covered: Sequence[str]) -> str:
    """A unit lacks rows for periods that other units have."""
    return _("{unit} has no row with values for {absent}: its figures cover {covered} only").format(
        unit=unit, absent=", ".join(absent), covered=", ".join(covered)
    )


def gap_note(unit: str, name: str, rule: TimeRule, periods: str, places: str) -> str:
    """A unit gives an input in some periods only, and the rule reads every period."""
    return _(
        "{unit}: {name} has no value in {periods} ({places}); {verb} it over "
        "the quarters needs every quarter (write 0 where there was none)"
    ).format(unit=unit, name=name, periods=periods, places=places, verb=_(OVER_TIME[rule].verb))


def last_period_note(unit: str, name: str, period: str | None, place: str) -> str:
    """A unit gives a stock, but not in its last period."""
    return _(
        "{unit}: {name} has no value in {period} ({place}), its last period; a stock is "
        "taken at the end of the period"
    ).format(unit=unit, name=name, period=period, place=place)


def missing_weight_note(unit: str, name: str, weight: str) -> str:
    """A unit reports a value weighted by an input it gives no figure of."""
    return _(
        "{unit}: {name} is averaged over units weighted by {weight}, which has no value"
    ).format(unit=unit, name=name, weight=weight)


def zero_weights_note(name: str, weight: str) -> str:
    return _("{name} is averaged over units weighted by {weight}, which add up to 0").format(
        name=name, weight=weight
    )


def undefined_units_reason(undefined: int, units: int) -> str:
    """Why a ``mean_of_units`` result is undefined."""
    return _("the mean over units is undefined: undefined in {undefined} of {units} units").format(
        undefined=undefined, units=units
    )


def mean_of_units_warning(units: int) -> str:
    """The warning on every ``mean_of_units`` result."""
    return _("the mean over {units} units of their realisasi (roll_up mean_of_units)").format(
        units=units
    )


def no_unit_reports_reason(inputs: Iterable[str]) -> str:
    return _("{missing}: no unit reports it").format(missing=missing_input(", ".join(inputs)))


def missing_in_a_unit_reason(name: str) -> str:
    return _("{missing} in a unit").format(missing=missing_input(name))


def unexpressed_mean_of_units_warning(numbers: Iterable[int]) -> str:
    """Inputs rolled up over units cannot give these ``mean_of_units`` indicators."""
    return _(
        "indicator {numbers} rolls up as the mean of per-unit values, "
        "which combined inputs cannot express; use Catalog.roll_up to evaluate it"
    ).format(numbers=", ".join(map(str, numbers)))
