"""Exact evaluation: realised values in, realisasi, capaian and status out.

Values become :class:`~fractions.Fraction` on entry (:func:`coerce_value`) and stay
exact through the formula, computed by the exact engine
(:mod:`iku_formula.engines.exact`); rounding happens only when a person reads the
number (:meth:`Evaluation.display_value`). A zero denominator never raises and never
becomes 0, ``zoo`` or ``nan``: it makes the result undefined, with its reason.
"""

from __future__ import annotations

__all__ = [
    "MAX_VALUE_DIGITS",
    "CompiledFormula",
    "CompiledRule",
    "Evaluation",
    "PartResult",
    "Violation",
    "coerce_inputs",
    "coerce_value",
    "evaluate_coerced",
    "evaluate_indicator",
    "from_parts",
    "part_result",
    "too_many_digits",
]

import math
import numbers
import sys
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING

import attrs

from .achievement import Status
from .engines.exact import Node, compile_exact
from .errors import InputError
from .i18n import _, ngettext
from .language.functions import ratio_parts
from .language.parse import MAX_VALUE_DIGITS
from .language.undefined import Undefined, Warnings, too_many_digits
from .model import Input, InputKind, Rule, UndefinedParts
from .numbers import NUMBER_TEXT_RE, exact_localized, localized
from .predikat import Band, Basis

if TYPE_CHECKING:
    from .catalog.registry import Catalog
    from .explain import Explanation
    from .model import Indicator, Target


def coerce_value(raw: object, spec: Input) -> Fraction:
    """Turn one realised value into an exact Fraction, checked against its input's kind.

    Accepts int, Fraction, Decimal, float (read by its shortest decimal form, so
    0.1 is exactly 1/10) and numeric strings, also with a decimal comma ("3,1").
    Raises ValueError saying what is wrong and what to do.
    """
    value = _to_fraction(raw)
    if spec.kind is InputKind.COUNT:
        if value < 0:
            raise ValueError(
                _("{value} is negative; a count is a whole number 0 or more").format(
                    value=_show(raw)
                )
            )
        if value.denominator != 1:
            hint = (
                _("; if '.' separates thousands, write the number without it")
                if isinstance(raw, str) and "." in raw
                else ""
            )
            raise ValueError(
                _("{value} is not a whole number; a count has no fraction").format(value=_show(raw))
                + hint
            )
    elif spec.kind is InputKind.AMOUNT:
        if value < 0:
            raise ValueError(
                _("{value} is negative; an amount is 0 or more").format(value=_show(raw))
            )
    elif (
        spec.minimum is not None
        and spec.maximum is not None
        and not spec.minimum <= value <= spec.maximum
    ):
        raise ValueError(
            _("{value} is outside the score's range {minimum} to {maximum}").format(
                value=_show(raw),
                minimum=exact_localized(spec.minimum),
                maximum=exact_localized(spec.maximum),
            )
        )
    return value


def _show(raw: object) -> str:
    """``raw`` as a message quotes it: text in quotes, a number as written, never long."""
    if isinstance(raw, numbers.Rational) and not isinstance(raw, bool):
        longest = max(abs(int(raw.numerator)), int(raw.denominator))
        if _too_long_to_print(longest):
            return _("a number of about {digits} digits").format(digits=localized(_digits(longest)))
    try:
        text = repr(raw) if isinstance(raw, str) else str(raw)
    except ValueError:  # a Fraction or number type holding an integer too long to print
        return _("a {type} too long to write").format(type=type(raw).__name__)
    return text if len(text) <= _SHOWN else text[: _SHOWN - 3] + "..."


_SHOWN = 60
"""Longest quotation of a value in a message."""
_LOG10_2 = math.log10(2)


def _digits(value: int) -> int:
    """About how many decimal digits ``value`` has (from its bits: no conversion to text)."""
    return int(abs(value).bit_length() * _LOG10_2) + 1


def _too_long_to_print(value: int) -> bool:
    """Whether ``str(value)`` would fail: more digits than ``sys.get_int_max_str_digits()``."""
    limit = sys.get_int_max_str_digits()
    return bool(limit) and _digits(value) > limit


_LIMIT = 10**MAX_VALUE_DIGITS


def _to_fraction(raw: object) -> Fraction:
    value = _convert(raw)
    if abs(value) >= _LIMIT or value.denominator > _LIMIT:
        raise ValueError(
            _(
                "{value} has more than {digits} digits before or after the decimal point; "
                "check the data"
            ).format(value=_show(raw), digits=MAX_VALUE_DIGITS)
        )
    return value


def _convert(raw: object) -> Fraction:
    if isinstance(raw, bool) or raw is None:
        raise ValueError(_("{value!r} is not a number").format(value=raw))
    if isinstance(raw, str):
        text = raw.strip()
        if len(text) > 2 * MAX_VALUE_DIGITS + 2 or not NUMBER_TEXT_RE.match(text):
            raise ValueError(
                _(
                    "{value} is not a number; write digits with an optional decimal point or comma"
                ).format(value=_show(raw))
            )
        return Fraction(text.replace(",", "."))
    if isinstance(raw, numbers.Integral):
        return Fraction(int(raw))
    if isinstance(raw, Fraction):
        return raw
    if isinstance(raw, Decimal):
        if not raw.is_finite():
            raise ValueError(_("{value} is not a finite number").format(value=_show(raw)))
        if raw and not -MAX_VALUE_DIGITS <= raw.adjusted() < MAX_VALUE_DIGITS:
            raise ValueError(
                _("{value} is too large or too small; check the data").format(value=f"{raw:.3e}")
            )
        if raw.as_tuple().exponent < -MAX_VALUE_DIGITS:  # type: ignore[operator]
            raise ValueError(
                _("{value} has more than {digits} decimals; check the data").format(
                    value=_show(raw), digits=MAX_VALUE_DIGITS
                )
            )
        return Fraction(raw)
    if isinstance(raw, numbers.Rational):
        return Fraction(int(raw.numerator), int(raw.denominator))
    if isinstance(raw, numbers.Real):
        try:
            as_float = float(raw)
        except (OverflowError, ValueError):
            raise ValueError(
                _("{value} is too large for a number; check the data").format(value=_show(raw))
            ) from None
        if not math.isfinite(as_float):
            raise ValueError(_("{value} is not a finite number").format(value=_show(raw)))
        return Fraction(repr(as_float))
    raise ValueError(
        _("{value} ({type}) is not a number").format(value=_show(raw), type=type(raw).__name__)
    )


@attrs.frozen
class Violation:
    """A broken consistency rule, with the values involved. The data stay as they are."""

    rule: Rule
    left: Fraction
    right: Fraction
    values: Mapping[str, Fraction]
    """The exact value of every input the rule names."""

    def __str__(self) -> str:
        shown = ", ".join(
            f"{name} = {exact_localized(value)}" for name, value in self.values.items()
        )
        return _("rule {rule} is broken: {values}; check the data").format(
            rule=self.rule.text, values=shown
        )


@attrs.frozen
class CompiledRule:
    """A rule compiled into exact evaluators of its two sides."""

    rule: Rule
    left: Node
    right: Node

    @classmethod
    def build(cls, rule: Rule) -> CompiledRule:
        policy = UndefinedParts.UNDEFINED
        left, right = (compile_exact(side, policy, False) for side in (rule.left, rule.right))
        return cls(rule, left, right)

    def check(self, env: Mapping[str, Fraction]) -> Violation | None:
        """The violation on ``env``, or None when the rule holds or a side is undefined."""
        left, right = self.left(env, []), self.right(env, [])
        if isinstance(left, Undefined) or isinstance(right, Undefined):
            return None
        if self.rule.holds(left, right):
            return None
        values = {name: env[name] for name in sorted(self.rule.inputs)}
        return Violation(self.rule, left, right, values)


@attrs.frozen
class CompiledFormula:
    """An indicator's formulas and rules compiled once into exact evaluators."""

    main: Node
    parts: tuple[Node, ...]
    ratio: tuple[Node, Node] | None
    rules: tuple[CompiledRule, ...] = ()

    @classmethod
    def build(cls, indicator: Indicator) -> CompiledFormula:
        policy = indicator.undefined_parts
        check_shares = not indicator.rules  # declared rules replace the built-in check
        ratio = ratio_parts(indicator.formula)
        return cls(
            main=compile_exact(indicator.formula, policy, check_shares),
            parts=tuple(
                compile_exact(expr, policy, check_shares) for expr in indicator.part_formulas
            ),
            ratio=None
            if ratio is None
            else (compile_exact(ratio[0], policy, False), compile_exact(ratio[1], policy, False)),
            rules=tuple(CompiledRule.build(rule) for rule in indicator.rules),
        )


@attrs.frozen
class PartResult:
    """Realisasi and capaian of one part of a multi-part target."""

    value: Fraction | None
    achievement: Fraction | None
    met: bool
    reason: str | None


@attrs.frozen
class Evaluation:
    """The outcome of evaluating one indicator on one set of realised values.

    ``value`` (realisasi) and ``achievement`` (capaian, in percent) are exact
    Fractions, or None when undefined, with ``reason`` saying why. ``warnings``
    lists broken consistency rules (e.g. a numerator above its denominator);
    the numbers are still computed.
    """

    indicator: Indicator = attrs.field(repr=False)
    inputs: Mapping[str, Fraction] = attrs.field(repr=False)
    """The values used, exact, by input name."""
    value: Fraction | None
    achievement: Fraction | None
    status: Status
    reason: str | None = None
    numerator: Fraction | None = None
    denominator: Fraction | None = None
    warnings: tuple[str, ...] = ()
    parts: tuple[PartResult, ...] = ()
    """For a target with several parts, one result per part (the first is ``value``)."""
    violations: tuple[Violation, ...] = ()
    """Broken consistency rules of the indicator (also listed in ``warnings``)."""

    @property
    def number(self) -> int:
        """The indicator's number."""
        return self.indicator.number

    @property
    def target(self) -> Target:
        return self.indicator.target

    @property
    def met(self) -> bool:
        """Whether every part of the target is met; False when undefined."""
        return self.status is Status.MET

    @property
    def is_defined(self) -> bool:
        return self.value is not None

    @property
    def predikat(self) -> Band | None:
        """The band of the indicator's predikat scale holding the exact capaian (or, for a
        scale on realisasi, the exact realisasi): code, label and colour. None when the
        indicator has no scale, the value is undefined, or it lies outside the scale."""
        scale = self.indicator.predikat
        if scale is None:
            return None
        value = self.value if scale.basis is Basis.REALISASI else self.achievement
        return None if value is None else scale.classify(value)

    def display_value(self) -> Decimal | None:
        """Realisasi rounded by the catalog's display rule (None when undefined)."""
        rule = self.indicator.achievement_rule
        if self.value is None:
            return None
        return rule.display(self.value, count=self.indicator.is_count)

    def display_achievement(self) -> Decimal | None:
        """Capaian rounded by the catalog's display rule (None when undefined)."""
        rule = self.indicator.achievement_rule
        return None if self.achievement is None else rule.display(self.achievement)

    def explain(self, catalog: Catalog | None = None) -> Explanation:
        """The chain from inputs to realisasi to capaian; see :mod:`iku_formula.explain`.

        With ``catalog``, components and referenced indicators are named by their labels.
        """
        from .catalog.registry import Catalog
        from .explain import explain

        if catalog is not None and not isinstance(catalog, Catalog):
            raise InputError(
                _("explain(catalog) takes the Catalog or None, got {type}").format(
                    type=type(catalog).__name__
                ),
                indicator=self.number,
            )

        return explain(self, catalog)

    def _repr_html_(self) -> str:
        from .notebook import evaluation_html

        return evaluation_html(self)

    def _repr_latex_(self) -> str:
        from .notebook import evaluation_latex

        return evaluation_latex(self)


def coerce_inputs(indicator: Indicator, values: Mapping[str, object]) -> dict[str, Fraction]:
    """Check and convert the values an indicator needs; one InputError lists every problem."""
    if not isinstance(values, Mapping):
        raise InputError(
            _(
                "indicator {number}: values must be a mapping of input name to number, got {type}"
            ).format(number=indicator.number, type=type(values).__name__),
            indicator=indicator.number,
        )
    missing = [name for name in indicator.inputs if name not in values]
    if missing:
        names = ", ".join(repr(name) for name in missing)
        raise InputError(
            ngettext(
                "indicator {number} ({name}): missing input {names}; give a value for each",
                "indicator {number} ({name}): missing inputs {names}; give a value for each",
                len(missing),
            ).format(number=indicator.number, name=indicator.display_name, names=names),
            indicator=indicator.number,
            inputs=missing,
        )
    coerced: dict[str, Fraction] = {}
    problems: list[tuple[str, str]] = []
    for spec in indicator.input_specs:
        try:
            coerced[spec.name] = coerce_value(values[spec.name], spec)
        except ValueError as error:
            problems.append((spec.name, str(error)))
    if problems:
        lines = "; ".join(
            _("input {name!r}: {message}").format(name=name, message=message)
            for name, message in problems
        )
        raise InputError(
            _("indicator {number} ({name}): {problems}").format(
                number=indicator.number, name=indicator.display_name, problems=lines
            ),
            indicator=indicator.number,
            inputs=[name for name, _message in problems],
        )
    return coerced


def evaluate_indicator(indicator: Indicator, values: Mapping[str, object]) -> Evaluation:
    """Evaluate ``indicator`` on ``values``; see :meth:`Indicator.evaluate`."""
    return evaluate_coerced(indicator, coerce_inputs(indicator, values))


def evaluate_coerced(indicator: Indicator, env: Mapping[str, Fraction]) -> Evaluation:
    """Evaluate on values already checked by :func:`coerce_inputs`."""
    compiled = indicator.compiled
    warnings: Warnings = []
    main = compiled.main(env, warnings)
    bits = _printable_bits()
    numerator = denominator = None
    if compiled.ratio is not None:
        top, bottom = (node(env, []) for node in compiled.ratio)
        numerator = top if isinstance(top, Fraction) and _printable(top, bits) else None
        denominator = bottom if isinstance(bottom, Fraction) and _printable(bottom, bits) else None
    results = [main, *(node(env, warnings) for node in compiled.parts)]
    parts = [
        _part(indicator, result, target_part.value, bits)
        for result, target_part in zip(results, indicator.target.parts, strict=True)
    ]
    violations = tuple(
        violation for rule in compiled.rules if (violation := rule.check(env)) is not None
    )
    warnings.extend(str(violation) for violation in violations)
    return from_parts(
        indicator,
        parts,
        inputs=env,
        warnings=warnings,
        numerator=numerator,
        denominator=denominator,
        violations=violations,
    )


def _printable_bits() -> int | None:
    """The most bits an integer of a printable result may have (None: no limit): fewer than
    ``sys.get_int_max_str_digits()`` digits for sure, read once per evaluation."""
    limit = sys.get_int_max_str_digits()
    return int((limit - 1) / _LOG10_2) if limit else None


def _printable(value: Fraction, bits: int | None) -> bool:
    """Whether ``value`` can be written: its numerator and denominator within Python's limit
    on printing an integer (a rolled-up value or an input far beyond real data can pass it)."""
    return bits is None or (
        value.numerator.bit_length() <= bits and value.denominator.bit_length() <= bits
    )


def _part(
    indicator: Indicator, result: Fraction | Undefined, target: Fraction, bits: int | None
) -> PartResult:
    """One part's result against its target; undefined, with the reason, when it is, or when
    it or its capaian has too many digits to be written."""
    if isinstance(result, Undefined):
        return PartResult(None, None, False, result.reason)
    if bits is None or (
        result.numerator.bit_length() <= bits and result.denominator.bit_length() <= bits
    ):  # _printable, written out: this runs for every part of every indicator
        part = part_result(indicator, result, target)
        if part.achievement is None or _printable(part.achievement, bits):
            return part
    return PartResult(None, None, False, too_many_digits(sys.get_int_max_str_digits()))


def part_result(indicator: Indicator, value: Fraction, target: Fraction) -> PartResult:
    """One defined part against its target: capaian and met by the indicator's rule."""
    rule = indicator.achievement_rule
    achievement, reason = rule.achievement(value, target, indicator.polarity)
    return PartResult(value, achievement, rule.met(value, target, indicator.polarity), reason)


def from_parts(
    indicator: Indicator,
    parts: Sequence[PartResult],
    *,
    inputs: Mapping[str, Fraction],
    warnings: Iterable[str] = (),
    numerator: Fraction | None = None,
    denominator: Fraction | None = None,
    violations: tuple[Violation, ...] = (),
) -> Evaluation:
    """The Evaluation of an indicator from the result of each part of its target.

    The one place that says how parts make the whole: realisasi is the first part's,
    capaian the smallest, the status met only when every part is, undefined when one is,
    the reason the first part's. The exact engine and the roll-up (a mean over units)
    both build their results here.
    """
    reason = next((part.reason for part in parts if part.reason), None)
    achievements = [part.achievement for part in parts]
    achievement = None if None in achievements else min(a for a in achievements if a is not None)
    if any(part.value is None for part in parts):
        status = Status.UNDEFINED
    else:
        status = Status.MET if all(part.met for part in parts) else Status.NOT_MET
    return Evaluation(
        indicator=indicator,
        inputs=dict(inputs),
        value=parts[0].value,
        achievement=achievement,
        status=status,
        reason=reason,
        numerator=numerator,
        denominator=denominator,
        warnings=tuple(dict.fromkeys(warnings)),
        parts=tuple(parts) if len(parts) > 1 else (),
        violations=violations,
    )
