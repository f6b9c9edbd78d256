"""What is still needed: the value each input must reach by the end of the year.

For an indicator whose yearly target is not yet met, each of its inputs is taken alone,
the others held at their values so far, and the target condition (the capaian rule's
:meth:`~iku_formula.achievement.AchievementRule.met`, by polarity) is solved for it
exactly with sympy, on the formula tree the catalog parsed (never on text): each call is
written as arithmetic by its :class:`~iku_formula.language.functions.FunctionSpec`
(``doit``), the others' exact values are put in, and the inequality of the rational
function that is left is solved on the real line.

What an input can still become by the end of the year is its rule over time
(:data:`YEAR_END`, beside :data:`iku_formula.rollup.rules.OVER_TIME`): a flow ("sum") can
only grow by what the remaining periods add, a stock ("last") is the year-end level, a
level ("mean") is the yearly mean of the periods, so the remaining periods must average
what :attr:`Need.per_period` says. Besides, a value is admissible when it is non-negative
(a count or an amount), within its range (a score), whole (a count that adds up), keeps
the indicator's consistency rules (a numerator not above its denominator; where the
catalog declares no rules, the shares of the formula's ``persen`` calls) and leaves no
divisor at 0. Of the admissible values meeting the target, the one nearest to the value
so far is the one needed (the least for a flow, which can only grow).

Work is bounded without a timeout: a formula whose degree in the input exceeds
:data:`MAX_DEGREE` is not solved, and says so (:attr:`NeedStatus.UNSOLVED`).
"""

from __future__ import annotations

__all__ = [
    "MAX_DEGREE",
    "YEAR_END",
    "Need",
    "NeedStatus",
    "Needed",
    "Progress",
    "YearEnd",
    "needed",
    "solve_input",
]

import enum
from collections.abc import Callable, Iterator, Mapping, Sequence
from fractions import Fraction
from typing import TYPE_CHECKING, Any, cast

import attrs
import sympy
from sympy.solvers.inequalities import solve_rational_inequalities

from .achievement import AchievementRule
from .errors import InputError, PeriodError
from .evaluation import Evaluation, evaluate_coerced
from .i18n import _
from .language.functions import IkuFunction, spec_of
from .language.printers import to_text
from .language.undefined import division_by_zero
from .model import Indicator, Input, InputKind, RollUp, TimeRule, UndefinedParts, UnitRule
from .numbers import exact_localized
from .periods import (
    Period,
    calendars_refused,
    one_calendar,
    parse_period,
    parse_until,
    up_to,
)
from .rollup.exact import evaluate_rolled_up, roll_up_rows
from .sheets.model import Sheet, SheetRow

if TYPE_CHECKING:
    from .catalog.registry import Catalog

MAX_DEGREE = 4
"""The highest degree in one input that a formula may have to be solved for it."""


class NeedStatus(enum.Enum):
    """What an input must do for its indicator's yearly target."""

    MET = "met"
    """The target is already met."""
    NEEDED = "needed"
    """An admissible value meets it: :attr:`Need.needed`."""
    IMPOSSIBLE = "impossible"
    """No admissible value of this input alone meets it."""
    UNSOLVED = "unsolved"
    """Not solved here (:attr:`Need.reason` says why)."""

    @property
    def label(self) -> str:
        """The words a report shows."""
        return {
            NeedStatus.MET: _("already met"),
            NeedStatus.NEEDED: _("needed"),
            NeedStatus.IMPOSSIBLE: _("impossible"),
            NeedStatus.UNSOLVED: _("not solved"),
        }[self]


def _positive(instance: object, attribute: attrs.Attribute[int], value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InputError(f"{attribute.name} must be a whole number 1 or more, got {value!r:.40}")


@attrs.frozen
class Progress:
    """How far the year has come: periods with data so far, of the periods in a year."""

    done: int
    per_year: int = attrs.field(validator=_positive)
    label: str | None = None
    """The span so far, for people: "2024 s.d. TW3"."""

    def __attrs_post_init__(self) -> None:
        if isinstance(self.done, bool) or not isinstance(self.done, int):
            raise InputError(f"done must be a whole number, got {self.done!r:.40}")
        if not 0 <= self.done <= self.per_year:
            raise InputError(f"done must be between 0 and {self.per_year}, got {self.done}")

    @property
    def remaining(self) -> int:
        """Periods of the year still to come."""
        return self.per_year - self.done


Bound = Fraction | None
"""A bound of a range; None: none (no maximum)."""


@attrs.frozen
class YearEnd:
    """A rule over time read backwards: what the year's figure can still become."""

    rule: TimeRule
    bounds: Callable[[Fraction, Progress, Fraction, Bound], tuple[Fraction, Bound]]
    """``(now, progress, lowest, highest)``: the range of the year's figure when each
    remaining period's value lies between ``lowest`` and ``highest`` (periods remain)."""
    per_period: Callable[[Fraction, Fraction, Progress], Fraction | None]
    """``(needed, now, progress)``: what each remaining period must bring on average, where
    the year's figure is not itself what remains to be done (a mean); else None."""


def _sum_bounds(
    now: Fraction, progress: Progress, low: Fraction, high: Bound
) -> tuple[Fraction, Bound]:
    remaining = progress.remaining
    return now + remaining * low, None if high is None else now + remaining * high


def _mean_bounds(
    now: Fraction, progress: Progress, low: Fraction, high: Bound
) -> tuple[Fraction, Bound]:
    done, remaining, total = progress.done, progress.remaining, progress.per_year
    return (
        (done * now + remaining * low) / total,
        None if high is None else (done * now + remaining * high) / total,
    )


def _mean_per_period(needed: Fraction, now: Fraction, progress: Progress) -> Fraction:
    return (progress.per_year * needed - progress.done * now) / progress.remaining


YEAR_END: Mapping[TimeRule, YearEnd] = {
    spec.rule: spec
    for spec in (
        YearEnd(TimeRule.SUM, _sum_bounds, lambda needed, now, progress: None),
        YearEnd(
            TimeRule.LAST,
            lambda now, progress, low, high: (low, high),
            lambda needed, now, progress: None,
        ),
        YearEnd(TimeRule.MEAN, _mean_bounds, _mean_per_period),
    )
}
"""Every rule over time (:class:`~iku_formula.model.TimeRule`), read backwards."""

if set(YEAR_END) != set(TimeRule):  # a new rule over time needs its row here
    raise TypeError(f"YEAR_END lacks {sorted(r.value for r in set(TimeRule) - set(YEAR_END))}")


@attrs.frozen
class Need:
    """What one input must reach by the end of the year for its indicator's yearly target.

    ``now`` is the input's figure so far (rolled up: the Kantor Wilayah's), ``needed`` its
    figure for the year that meets the target and ``more`` the difference: for a flow what
    the remaining periods must add, for a stock how far the year-end level must move, for a
    mean how far the yearly mean must move (:attr:`per_period`: what the remaining periods
    must average). Exact Fractions; None where nothing is needed or nothing can do.
    """

    indicator: Indicator = attrs.field(repr=False)
    input: Input = attrs.field(repr=False)
    status: NeedStatus
    now: Fraction | None
    """None only where the units' figures could not be rolled up (a mean over units)."""
    needed: Fraction | None = None
    more: Fraction | None = None
    per_period: Fraction | None = None
    remaining: int = 0
    """Periods of the year still to come."""
    strict: bool = False
    """Whether ``needed`` itself is not enough, only any value beyond it (an open bound)."""
    whole: bool = False
    """Whether the input's figure is a whole number (a count that adds up)."""
    reason: str | None = None
    """Why it is impossible or not solved."""

    @property
    def number(self) -> int:
        """The indicator's number."""
        return self.indicator.number

    @property
    def name(self) -> str:
        """The input's name."""
        return self.input.name

    @property
    def possible(self) -> bool | None:
        """Whether the target can be met by this input (None: not solved)."""
        if self.status is NeedStatus.UNSOLVED:
            return None
        return self.status is not NeedStatus.IMPOSSIBLE


@attrs.frozen
class Needed:
    """What every indicator still needs, input by input, with the year's progress."""

    catalog: Catalog = attrs.field(repr=False)
    progress: Progress
    values: Mapping[str, Fraction] = attrs.field(repr=False)
    """The inputs so far (rolled up), exactly."""
    results: Mapping[int, Evaluation] = attrs.field(repr=False)
    """Each indicator evaluated on the values so far, by number."""
    rows: tuple[Need, ...]
    not_evaluated: Mapping[int, tuple[str, ...]] = attrs.field(factory=dict)
    """Indicators lacking inputs, by number, with the inputs they lack."""
    notes: tuple[str, ...] = ()
    """What rolling up could not do (as in a report)."""

    def __iter__(self) -> Iterator[Need]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def of(self, number: int) -> tuple[Need, ...]:
        """The rows of one indicator."""
        return tuple(row for row in self.rows if row.number == number)


# --- rows so far -------------------------------------------------------------------------------


def _period(row: SheetRow) -> Period | None:
    try:
        return parse_period(row.period)
    except PeriodError:
        return None  # a label made by hand (a row built in Python): no period


def _progress(year: int, rows: Sequence[SheetRow]) -> Progress:
    """Periods with data of the periods in a year; a whole-year row leaves none to come."""
    periods = [_period(row) for row in rows]
    within = {period for period in periods if period is not None and period.within_year}
    if not within:
        return Progress(1, 1, str(year))
    if len(within) < len({row.period for row in rows}) or None in periods:
        raise InputError(
            _("the rows mix a whole year and parts of it; give one row per period of the year")
        )
    mixed = one_calendar(within)
    if mixed is not None:
        raise calendars_refused(*mixed)
    last = max(within, key=lambda period: period.index)
    done = len({period.index for period in within})
    return Progress(done, last.kind.per_year, f"{year} s.d. {last.label}")


def needed(
    catalog: Catalog,
    source: Sheet | Sequence[SheetRow] | Mapping[str, object],
    until: Period | str | None = None,
) -> Needed:
    """What every indicator still needs: see :meth:`Catalog.needed`."""
    period = None if until is None else parse_until(until)
    notes: tuple[str, ...] = ()
    units = 1
    if isinstance(source, Mapping):
        if period is None:
            raise InputError(_("values so far need until: the period they reach, such as 'TW3'"))
        values: Mapping[str, Fraction] = catalog.coerce(source)
        progress = (
            Progress(period.index, period.kind.per_year, f"{catalog.year} s.d. {period.label}")
            if period.within_year
            else Progress(1, 1, str(catalog.year))
        )
        results = catalog.evaluate_exact(values)
    else:
        rows = source.rows if isinstance(source, Sheet) else tuple(source)
        keeps = up_to(period)
        kept = [row for row in rows if keeps(row.period)]
        if not kept:
            where = f"{source.path}: " if isinstance(source, Sheet) else ""
            shown = period.label if period is not None else ""
            raise InputError(where + _("no row of a period up to {period}").format(period=shown))
        progress = _progress(catalog.year, kept)
        rolled = roll_up_rows(catalog, rows, until=period)
        values, notes, units = rolled.values, rolled.notes, len(rolled.units)
        results = evaluate_rolled_up(catalog, rolled)
    found: list[Need] = []
    missing: dict[int, tuple[str, ...]] = {}
    for indicator in catalog:
        result = results.get(indicator.number)
        if result is None:
            missing[indicator.number] = tuple(n for n in indicator.inputs if n not in values)
            continue
        for spec in indicator.input_specs:
            if indicator.roll_up is RollUp.MEAN_OF_UNITS and units > 1 and not result.met:
                found.append(
                    Need(
                        indicator,
                        spec,
                        NeedStatus.UNSOLVED,
                        values.get(spec.name),
                        remaining=progress.remaining,
                        reason=_(
                            "the indicator is the mean over units of their realisasi; solve "
                            "it unit by unit"
                        ),
                    )
                )
                continue
            found.append(solve_input(indicator, spec.name, values, progress, result))
    return Needed(catalog, progress, dict(values), dict(results), tuple(found), missing, notes)


# --- solving one input -----------------------------------------------------------------------


class _UnsolvedError(Exception):
    """Carries why an input is not solved from a helper to :func:`solve_input`."""


class _ImpossibleError(Exception):
    """Carries why no value of an input meets the target to :func:`solve_input`."""


def _rational(value: Fraction) -> sympy.Rational:
    return sympy.Rational(value.numerator, value.denominator)


def _fraction(value: sympy.Expr) -> Fraction:
    return Fraction(int(value.p), int(value.q))


def _whole(spec: Input) -> bool:
    """Whether the input's rolled-up figure is a whole number: a count added up."""
    return (
        spec.kind is InputKind.COUNT
        and spec.over_time is not TimeRule.MEAN
        and spec.over_units is UnitRule.SUM
    )


def _degree(expr: sympy.Expr, x: sympy.Symbol) -> int:
    """An upper bound of the degree in ``x`` of the numerator and denominator of ``expr``."""
    if expr == x:
        return 1
    if not expr.has(x):
        return 0
    if isinstance(expr, sympy.Pow) and expr.exp.is_Integer:
        return abs(int(expr.exp)) * _degree(expr.base, x)
    return sum(_degree(arg, x) for arg in expr.args)


def _solve(relation: Any, x: sympy.Symbol) -> sympy.Set:
    """The real values of ``x`` where ``relation`` (a rational function against 0) holds."""
    if relation is sympy.true:
        return sympy.S.Reals
    if relation is sympy.false:
        return sympy.S.EmptySet
    numerator, denominator = sympy.fraction(sympy.together(relation.lhs - relation.rhs))
    polys = (sympy.Poly(numerator, x), sympy.Poly(denominator, x))
    return solve_rational_inequalities([[(polys, relation.rel_op)]])


def _divisors(expr: sympy.Expr) -> Iterator[tuple[sympy.Expr, str]]:
    """Every expression that must not be 0 for ``expr`` to be defined, with the reason when
    it is (the function table's divisors and reasons, and the bases of negative powers)."""
    for node in sympy.preorder_traversal(expr):
        if isinstance(node, IkuFunction):
            spec = spec_of(node)
            if spec.divisor is not None and spec.reason is not None:
                yield spec.divisor(node.args), spec.reason([to_text(a) for a in node.args])
        elif isinstance(node, sympy.Pow) and node.exp.is_negative:
            yield node.base, division_by_zero(to_text(node.base))


def _shares(expr: sympy.Expr) -> Iterator[tuple[sympy.Expr, sympy.Expr]]:
    """Part and whole of every call in ``expr`` that is a share (the function table's)."""
    for node in sympy.preorder_traversal(expr):
        if isinstance(node, IkuFunction):
            share = spec_of(node).share
            if share is not None:
                yield share(node.args)


def _admissible(
    indicator: Indicator,
    x: sympy.Symbol,
    others: Mapping[sympy.Symbol, sympy.Rational],
    formulas: Sequence[sympy.Expr],
) -> sympy.Set:
    """Where ``x`` keeps the rules (or the shares), and leaves no divisor at 0."""
    allowed: sympy.Set = sympy.S.Reals
    relations: list[Any] = []
    for rule in indicator.rules:
        if x.name in rule.inputs:
            left, right = (side.doit().xreplace(others) for side in (rule.left, rule.right))
            relations.append(sympy.Rel(left, right, rule.operator))
    if not indicator.rules:
        for expr in formulas:
            for part, whole in _shares(expr):
                part, whole = (side.doit().xreplace(others) for side in (part, whole))
                relations.extend((sympy.Ge(part, 0), sympy.Le(part, whole)))
    for relation in relations:
        allowed = allowed.intersect(_solve(relation, x))
    skip = indicator.undefined_parts is UndefinedParts.SKIP
    for expr in formulas:
        for divisor, why in _divisors(expr):
            value = sympy.together(divisor.doit().xreplace(others))
            if value.has(x):
                numerator = sympy.fraction(value)[0]
                roots = sympy.Poly(numerator, x).real_roots()
                allowed = allowed - sympy.FiniteSet(*roots)
            elif value == 0:
                if skip:
                    raise _UnsolvedError(
                        _("a part of the mean is undefined, and undefined parts are skipped")
                    )
                raise _ImpossibleError(
                    _("{reason}, whatever {input} is").format(reason=why, input=x.name)
                )
    return allowed


def _pieces(found: sympy.Set) -> list[tuple[Any, Any, bool, bool]]:
    """``found`` as intervals (start, end, left open, right open); a point is closed."""
    if found is sympy.S.EmptySet:
        return []
    parts = found.args if isinstance(found, sympy.Union) else (found,)
    pieces: list[tuple[Any, Any, bool, bool]] = []
    for part in parts:
        if isinstance(part, sympy.Interval):
            pieces.append((part.start, part.end, bool(part.left_open), bool(part.right_open)))
        elif isinstance(part, sympy.FiniteSet):
            pieces.extend((point, point, False, False) for point in part.args)
        else:
            raise _UnsolvedError(_("the solution is no union of intervals"))
    return pieces


def _nearest(found: sympy.Set, now: Fraction, whole: bool) -> tuple[Fraction, bool] | None:
    """The value of ``found`` nearest to ``now`` (whole if ``whole``; the larger on a tie),
    and whether it is an open bound; None when ``found`` has none."""
    here = _rational(now)
    best: tuple[Any, bool] | None = None
    for start, end, left_open, right_open in _pieces(found):
        if whole:
            low = sympy.ceiling(start)
            low = low + 1 if left_open and low == start else low
            high = sympy.floor(end)
            high = high - 1 if right_open and high == end else high
            if low > high:
                continue
            candidate, strict = sympy.Min(sympy.Max(here, low), high), False
        elif here < start:
            candidate, strict = start, left_open
        elif here > end:
            candidate, strict = end, right_open
        else:
            candidate, strict = here, False
        if best is None:
            best = (candidate, strict)
            continue
        gap, best_gap = abs(candidate - here), abs(best[0] - here)
        if gap < best_gap or (gap == best_gap and candidate > best[0]):
            best = (candidate, strict)
    if best is None:
        return None
    value, strict = best
    if not value.is_Rational:
        raise _UnsolvedError(
            _("the value needed is not a rational number ({value})").format(value=value)
        )
    return _fraction(value), strict


def _span(start: Any, end: Any, left_open: bool, right_open: bool) -> str:
    """An interval in words: "at least 17", "at most 263.75", "from 3 to 5"."""

    def shown(value: Any) -> str:
        return exact_localized(_fraction(value)) if value.is_Rational else str(value)

    if start == end:
        return shown(start)
    if end == sympy.oo:
        return (_("more than {low}") if left_open else _("at least {low}")).format(low=shown(start))
    if start == -sympy.oo:
        return (_("less than {high}") if right_open else _("at most {high}")).format(
            high=shown(end)
        )
    return _("from {low} to {high}").format(low=shown(start), high=shown(end))


def _why_not(meets: sympy.Set, low: Fraction, high: Bound) -> str:
    """Why no admissible value meets the target: what it needs, against what can be."""
    can = _span(_rational(low), sympy.oo if high is None else _rational(high), False, False)
    try:
        pieces = _pieces(meets)
    except _UnsolvedError:
        pieces = []
    if not pieces:
        return _("no value meets the target (with the others held, within the rules)")
    needs = _(" or ").join(_span(*piece) for piece in pieces[:3])
    return _(
        "the target needs {needs} (within the rules), but by the end of the year it can be {can}"
    ).format(needs=needs, can=can)


def _range(spec: Input, now: Fraction, progress: Progress) -> tuple[Fraction, Bound]:
    """What the input's figure for the year can still become (its rule over time)."""
    if progress.remaining == 0:
        return now, now
    low = spec.minimum if spec.kind is InputKind.SCORE and spec.minimum is not None else Fraction(0)
    high = spec.maximum if spec.kind is InputKind.SCORE else None
    return YEAR_END[spec.over_time].bounds(now, progress, low, high)


def solve_input(
    indicator: Indicator,
    name: str,
    values: Mapping[str, Fraction],
    progress: Progress,
    evaluation: Evaluation | None = None,
) -> Need:
    """What input ``name`` must reach by the end of the year, the others held at ``values``.

    ``values`` are the inputs so far (exact; rolled up for several units), ``progress`` how
    far the year has come, ``evaluation`` the indicator on ``values`` (computed if not given).
    """
    spec = next((s for s in indicator.input_specs if s.name == name), None)
    if spec is None:
        raise InputError(
            f"indicator {indicator.number} has no input {name!r}", indicator=indicator.number
        )
    if evaluation is None:
        evaluation = evaluate_coerced(indicator, values)
    now = values[name]
    whole = _whole(spec)
    base = Need(indicator, spec, NeedStatus.MET, now, remaining=progress.remaining, whole=whole)
    if evaluation.met:
        return base
    try:
        result = _solved(indicator, spec, values, progress, evaluation)
    except _ImpossibleError as impossible:
        return attrs.evolve(base, status=NeedStatus.IMPOSSIBLE, reason=str(impossible))
    except _UnsolvedError as unsolved:
        return attrs.evolve(base, status=NeedStatus.UNSOLVED, reason=str(unsolved))
    value, strict = result
    per_period = None
    if progress.remaining:
        per_period = YEAR_END[spec.over_time].per_period(value, now, progress)
    if not strict:
        check = evaluate_coerced(indicator, {**values, name: value})
        if not check.met:
            return attrs.evolve(
                base,
                status=NeedStatus.UNSOLVED,
                reason=_("the value solved for does not meet the target when evaluated"),
            )
    return attrs.evolve(
        base,
        status=NeedStatus.NEEDED,
        needed=value,
        more=value - now,
        per_period=per_period,
        strict=strict,
    )


def _solved(
    indicator: Indicator,
    spec: Input,
    values: Mapping[str, Fraction],
    progress: Progress,
    evaluation: Evaluation,
) -> tuple[Fraction, bool]:
    """The value needed, and whether it is an open bound; or _ImpossibleError, _UnsolvedError."""
    if progress.remaining == 0:
        raise _ImpossibleError(_("no period of the year remains"))
    x = sympy.Symbol(spec.name)
    others = {
        sympy.Symbol(name): _rational(values[name])
        for name in indicator.inputs
        if name != spec.name
    }
    formulas = (indicator.formula, *indicator.part_formulas)
    meets: sympy.Set = sympy.S.Reals
    using = [expr for expr in formulas if x in expr.free_symbols]
    allowed = _admissible(indicator, x, others, using)  # first: no divisor is 0 for every x
    for position, (expr, target) in enumerate(zip(formulas, indicator.target.parts, strict=True)):
        if x not in expr.free_symbols:
            part_met = evaluation.parts[position].met if evaluation.parts else evaluation.met
            if not part_met:
                raise _ImpossibleError(
                    _(
                        "part {part} of the target ({target}) does not depend on {input} and is "
                        "not met"
                    ).format(
                        part=position + 1,
                        target=f"{exact_localized(target.value)} {target.unit}",
                        input=spec.name,
                    )
                )
            continue
        degree = _degree(expr, x)
        if degree > MAX_DEGREE:
            raise _UnsolvedError(
                _("the formula has degree {degree} in it; at most {most} is solved").format(
                    degree=degree, most=MAX_DEGREE
                )
            )
        realisasi = expr.doit().xreplace(others)
        if realisasi.has(sympy.zoo, sympy.nan, sympy.oo, -sympy.oo):
            raise _UnsolvedError(_("the formula is undefined with the other inputs' values"))
        # the one met rule, applied to the expression: it gives the relation to solve
        relation: Any = AchievementRule.met(
            cast(Any, realisasi), cast(Any, _rational(target.value)), indicator.polarity
        )
        meets = meets.intersect(_solve(relation, x))
    low, high = _range(spec, values[spec.name], progress)
    span = sympy.Interval(_rational(low), sympy.oo if high is None else _rational(high))
    found = meets.intersect(span).intersect(allowed)
    nearest = _nearest(found, values[spec.name], _whole(spec))
    if nearest is None:
        raise _ImpossibleError(_why_not(meets.intersect(allowed), low, high))
    return nearest
