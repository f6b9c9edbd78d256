"""The indicator model: frozen, validated value objects built from a catalog.

Definitions are immutable and know nothing of files; :mod:`iku_formula.catalog`
builds them. Derived values (the compiled evaluator, LaTeX) are cached on the
frozen objects.
"""

from __future__ import annotations

__all__ = [
    "Component",
    "Indicator",
    "Input",
    "InputKind",
    "Objective",
    "RollUp",
    "Rule",
    "Target",
    "TargetPart",
    "TimeRule",
    "UndefinedParts",
    "UnitRule",
    "parse_target",
]

import enum
import re
from collections.abc import Callable, Iterable, Mapping
from fractions import Fraction
from functools import cached_property
from typing import TYPE_CHECKING, Any

import attrs
import sympy

from .achievement import AchievementRule, Polarity
from .errors import DefinitionError
from .language.parse import COMPARISONS, check_name, parse_rule
from .language.printers import to_latex, to_text
from .predikat import PredikatScale

if TYPE_CHECKING:
    from .evaluation import CompiledFormula, Evaluation


def _instance_of(kind: type) -> Callable[[object, attrs.Attribute[Any], object], None]:
    """attrs' instance_of, raising DefinitionError (an IkuError) instead of a bare TypeError."""

    def check(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if not isinstance(value, kind):
            raise DefinitionError(
                f"{attribute.name} must be a {kind.__name__}, got {type(value).__name__} "
                f"{value!r:.60}"
            )

    return check


def _valid_name(instance: object, attribute: attrs.Attribute[str], value: str) -> None:
    if not isinstance(value, str):
        raise DefinitionError(f"{attribute.name} must be text, got {type(value).__name__}")
    reason = check_name(value)
    if reason is not None:
        raise DefinitionError(f"{attribute.name}: {reason}")


def _non_empty(instance: object, attribute: attrs.Attribute[str], value: str) -> None:
    if not isinstance(value, str):
        raise DefinitionError(f"{attribute.name} must be text, got {type(value).__name__}")
    if not value.strip():
        raise DefinitionError(f"{attribute.name} may not be empty")


class InputKind(enum.Enum):
    """What values an input takes.

    COUNT: a non-negative integer (people, documents, UPT);
    AMOUNT: a non-negative number (rupiah);
    SCORE: a survey score or index within the input's [minimum, maximum].
    """

    COUNT = "count"
    AMOUNT = "amount"
    SCORE = "score"


class TimeRule(enum.Enum):
    """How an input combines over periods (triwulan I-IV into the year, quarter to date)."""

    SUM = "sum"
    """A flow: complaints received, people served. The year is the sum of its quarters."""
    LAST = "last"
    """A stock: detainees at the end of the period. The year is its last quarter."""
    MEAN = "mean"
    """A level such as a score: the year is the mean of its quarters."""


class UnitRule(enum.Enum):
    """How an input combines over work units (UPT) into the Kantor Wilayah."""

    SUM = "sum"
    """Counts and amounts add up."""
    MEAN = "mean"
    """The plain mean over units."""
    WEIGHTED_MEAN = "weighted_mean"
    """The mean over units weighted by another input (``Input.weight``), e.g. respondents."""


class RollUp(enum.Enum):
    """How an indicator rolls up over units."""

    INPUTS = "inputs"
    """Aggregate the inputs by their rules, then apply the formula (ratio of sums)."""
    MEAN_OF_UNITS = "mean_of_units"
    """Apply the formula per unit, then take the mean (only where the catalog says so)."""


class UndefinedParts(enum.Enum):
    """What ``rata_rata`` does with a part that is undefined (a zero denominator)."""

    UNDEFINED = "undefined"
    """The mean is undefined too."""
    SKIP = "skip"
    """The mean is taken over the defined parts (undefined only if none is defined)."""


@attrs.frozen
class Input:
    """A realised quantity that formulas use: name, Indonesian label, unit and kind."""

    name: str = attrs.field(validator=_valid_name)
    label: str = attrs.field(validator=_non_empty)
    unit: str = attrs.field(validator=_non_empty)
    kind: InputKind = attrs.field(validator=_instance_of(InputKind))
    minimum: Fraction | None = None
    maximum: Fraction | None = None
    note: str | None = None
    over_time: TimeRule = attrs.field(default=TimeRule.SUM, validator=_instance_of(TimeRule))
    """How the input combines over periods."""
    over_units: UnitRule = attrs.field(default=UnitRule.SUM, validator=_instance_of(UnitRule))
    """How the input combines over work units."""
    weight: str | None = None
    """The input weighting this one when ``over_units`` is WEIGHTED_MEAN."""

    def __attrs_post_init__(self) -> None:
        if (self.over_units is UnitRule.WEIGHTED_MEAN) != (self.weight is not None):
            raise DefinitionError("a weight is given exactly when over_units is 'weighted_mean'")
        if self.weight == self.name:
            raise DefinitionError("an input cannot be its own weight")
        if self.kind is InputKind.SCORE:
            if self.minimum is None or self.maximum is None:
                raise DefinitionError("a score needs both minimum and maximum")
            if self.minimum >= self.maximum:
                raise DefinitionError(
                    f"minimum {self.minimum} must be below maximum {self.maximum}"
                )
        elif self.minimum is not None or self.maximum is not None:
            raise DefinitionError(f"only a score has minimum and maximum, not a {self.kind.value}")


@attrs.frozen
class Rule:
    """A consistency rule between inputs, e.g. ``pemenuhan_makanan <= jumlah_tahanan``.

    A broken rule never stops an evaluation: the numbers are still computed and
    the evaluation reports the violation with the values involved.
    """

    text: str = attrs.field(validator=_non_empty)
    left: sympy.Expr = attrs.field(eq=False)
    operator: str = attrs.field()
    right: sympy.Expr = attrs.field(eq=False)
    note: str | None = None

    @operator.validator
    def _check_operator(self, attribute: attrs.Attribute[str], value: str) -> None:
        if value not in COMPARISONS:
            raise DefinitionError(
                f"operator must be one of {', '.join(COMPARISONS)}, got {value!r}"
            )

    @classmethod
    def parse(cls, text: str, inputs: Iterable[str] | None = None, note: str | None = None) -> Rule:
        """Parse rule ``text`` with the formula language; see :func:`parse_rule`."""
        left, operator, right = parse_rule(text, inputs)
        return cls(text, left, operator, right, note)

    @cached_property
    def inputs(self) -> frozenset[str]:
        """The names of the inputs the rule relates."""
        return frozenset(
            symbol.name for symbol in (self.left.free_symbols | self.right.free_symbols)
        )

    def holds(self, left: Fraction, right: Fraction) -> bool:
        """Whether the rule holds for these exact values of its two sides."""
        return {
            "<=": left <= right,
            "<": left < right,
            ">=": left >= right,
            ">": left > right,
            "==": left == right,
        }[self.operator]

    def __str__(self) -> str:
        return self.text


@attrs.frozen
class Objective:
    """A sasaran kegiatan: the objective that indicators measure."""

    id: str = attrs.field(validator=_valid_name)
    name: str = attrs.field(validator=_non_empty)


@attrs.frozen
class TargetPart:
    """One part of a target: an exact value and its unit ("%", "Indeks", "Orang")."""

    value: Fraction
    unit: str

    @property
    def is_percent(self) -> bool:
        return self.unit == "%"


_TARGET_PART_RE = re.compile(r"\s*([0-9]+(?:[.,][0-9]+)?)\s*(.*?)\s*\Z")


def parse_target(text: str, unit: str | None = None) -> tuple[TargetPart, ...]:
    """Read a target as written: "3,1 Indeks" (decimal comma), "5%", "1 Kegiatan / 1 Rekomendasi".

    ``unit`` supplies the unit when the text has none ("3.3"). Raises DefinitionError (a
    ValueError).
    """
    if not isinstance(text, str):
        raise DefinitionError(f"a target is text, such as '85%', got {type(text).__name__}")
    parts = []
    for piece in text.split(" / "):
        match = _TARGET_PART_RE.match(piece)
        if match is None:
            raise DefinitionError(
                f"target {text!r}: cannot read {piece.strip()!r} as a number and a unit"
            )
        number, written_unit = match.groups()
        part_unit = written_unit or unit
        if not part_unit:
            raise DefinitionError(f"target {text!r} has no unit; add target_unit")
        parts.append(TargetPart(Fraction(number.replace(",", ".")), part_unit))
    return tuple(parts)


@attrs.frozen
class Target:
    """A target as written (``text``) and read (``parts``); most have one part."""

    text: str = attrs.field(validator=_non_empty)
    parts: tuple[TargetPart, ...] = attrs.field()

    @parts.validator
    def _check_parts(self, attribute: attrs.Attribute[Any], value: tuple[TargetPart, ...]) -> None:
        if not value:
            raise DefinitionError("a target needs at least one part")

    @classmethod
    def parse(cls, text: str, unit: str | None = None) -> Target:
        """Build a target from its written text; see :func:`parse_target`."""
        return cls(text, parse_target(text, unit))

    @property
    def value(self) -> Fraction:
        """The exact value of the (first) part."""
        return self.parts[0].value

    @property
    def unit(self) -> str:
        """The unit of the (first) part."""
        return self.parts[0].unit

    def __str__(self) -> str:
        return self.text


@attrs.frozen
class Component:
    """A named sub-expression (e.g. a sub-index) that formulas may reference."""

    name: str = attrs.field(validator=_valid_name)
    label: str = attrs.field(validator=_non_empty)
    formula: sympy.Expr = attrs.field(eq=False)
    """The formula with every reference substituted (raw inputs only)."""
    composed_formula: sympy.Expr = attrs.field(eq=False)
    """The formula as written, references kept as names."""
    note: str | None = None


@attrs.frozen(eq=False)
class Indicator:
    """One Indikator Kinerja Utama: what it measures, how, and against which target."""

    number: int
    key: str = attrs.field(validator=_valid_name)
    name: str = attrs.field(validator=_non_empty)
    """The name exactly as written in the source table (typos kept)."""
    objective: Objective
    target: Target
    polarity: Polarity = attrs.field(validator=_instance_of(Polarity))
    formula: sympy.Expr
    """Realisasi as a sympy expression over the raw inputs (references substituted).

    Its free symbols are exactly :attr:`inputs`, except for a target with several
    parts (#13: "1 Kegiatan / 1 Rekomendasi Kebijakan"), where ``formula`` measures
    the first part and :attr:`part_formulas` the others: the free symbols of all of
    them together are exactly :attr:`inputs`.
    """
    composed_formula: sympy.Expr
    """The formula as the catalog wrote it, components and references kept as names."""
    input_specs: tuple[Input, ...]
    source_formula: str | None = None
    """The source's "formulasi perhitungan" word for word, or None where it gives none."""
    notes: tuple[str, ...] = ()
    label: str | None = None
    """The name with its spelling corrected, where the source has typos."""
    part_formulas: tuple[sympy.Expr, ...] = ()
    """For a target with several parts: the formula measuring each part after the first."""
    undefined_parts: UndefinedParts = attrs.field(
        default=UndefinedParts.UNDEFINED, validator=_instance_of(UndefinedParts)
    )
    """What ``rata_rata`` does with an undefined part."""
    roll_up: RollUp = attrs.field(default=RollUp.INPUTS, validator=_instance_of(RollUp))
    """How the indicator rolls up over work units."""
    rules: tuple[Rule, ...] = ()
    """The catalog's consistency rules among this indicator's inputs."""
    achievement_rule: AchievementRule = attrs.field(factory=AchievementRule)
    predikat: PredikatScale | None = attrs.field(
        default=None, validator=attrs.validators.optional(_instance_of(PredikatScale))
    )
    """The scale that gives the indicator its predikat (its own, else the catalog's
    default), or None: no predikat."""
    references: Mapping[str, sympy.Expr] = attrs.field(factory=dict, repr=False)
    """Components and indicators the composed formula names, each expanded."""

    def __attrs_post_init__(self) -> None:
        if len(self.part_formulas) != len(self.target.parts) - 1:
            raise DefinitionError(
                f"indicator {self.number}: target {self.target.text!r} has "
                f"{len(self.target.parts)} parts but {len(self.part_formulas) + 1} formulas"
            )

    @property
    def inputs(self) -> tuple[str, ...]:
        """The names of the inputs, in declared order: every name the formulas use."""
        return tuple(spec.name for spec in self.input_specs)

    @property
    def display_name(self) -> str:
        """The corrected label where there is one, else the name as written."""
        return self.label or self.name

    @cached_property
    def latex(self) -> str:
        """The formula in LaTeX, rendered from the tree that is evaluated."""
        return to_latex(self.formula)

    @cached_property
    def composed_latex(self) -> str:
        """The composed formula (references as names) in LaTeX."""
        return to_latex(self.composed_formula)

    @cached_property
    def composed_text(self) -> str:
        """The composed formula (references as names) in the formula language."""
        return to_text(self.composed_formula)

    @cached_property
    def is_count(self) -> bool:
        """Whether realisasi is a plain count (shown without decimals)."""
        return self.is_count_input(self.formula)

    def is_count_input(self, expr: sympy.Expr) -> bool:
        """Whether ``expr`` is one of this indicator's count inputs (shown without decimals)."""
        return any(
            spec.kind is InputKind.COUNT and expr == sympy.Symbol(spec.name)
            for spec in self.input_specs
        )

    @cached_property
    def formula_text(self) -> str:
        """The formula in the formula language, references substituted."""
        return to_text(self.formula)

    @cached_property
    def compiled(self) -> CompiledFormula:
        """The exact evaluator, compiled once from the formula tree."""
        from .evaluation import CompiledFormula

        return CompiledFormula.build(self)

    def evaluate(self, values: Mapping[str, object]) -> Evaluation:
        """Evaluate realisasi, capaian and status exactly from ``values`` (name -> number).

        Values may be int, Decimal, Fraction, float or numeric strings (a decimal
        comma is accepted). Extra names are ignored. Raises InputError for missing
        or unusable values; never for a zero denominator, which gives an undefined
        result carrying its reason.
        """
        from .evaluation import evaluate_indicator

        return evaluate_indicator(self, values)

    def __repr__(self) -> str:
        return f"<Indicator {self.number}: {self.display_name} (target {self.target.text})>"

    def _repr_html_(self) -> str:
        from .notebook import indicator_html

        return indicator_html(self)

    def _repr_latex_(self) -> str:
        from .notebook import indicator_latex

        return indicator_latex(self)
