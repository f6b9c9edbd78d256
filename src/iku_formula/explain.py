"""Explanations: the chain from inputs to realisasi to capaian, for an LKjIP footnote or an audit.

:func:`explain` (also :meth:`Evaluation.explain <iku_formula.Evaluation.explain>`) turns
an evaluation into an :class:`Explanation`: the formula, the values substituted, every
intermediate part (numerator and denominator of ``persen``, each component of a mean,
the sums of a weighted mean), the rule used for capaian, the status and any warning.
It renders as text (:meth:`Explanation.to_text`), LaTeX (:meth:`Explanation.to_latex`)
and self-contained HTML (:meth:`Explanation.to_html`), and shows itself in Jupyter.

Intermediate values come from the exact evaluator
(:func:`iku_formula.engines.exact.compile_exact` on each sub-expression), and what each
function of a formula shows (its parts' roles, its totals, its unit) is in its definition
(:mod:`iku_formula.language.functions`), so the explanation cannot disagree with the
evaluation.
Reader-facing words are Indonesian; reasons and warnings are the evaluator's own.
"""

from __future__ import annotations

__all__ = [
    "REALISASI_LATEX",
    "UNDEFINED_LABEL",
    "AchievementExplanation",
    "Explanation",
    "InputValue",
    "PartExplanation",
    "Step",
    "achievement_formula",
    "displayed",
    "explain",
    "latex_text",
    "part_achievement_text",
    "part_value_latex",
    "part_value_text",
    "rounding_text",
    "step_value_text",
    "value_text",
]

from collections.abc import Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING

import attrs
import sympy

from .achievement import AchievementRule, LowerIsBetter, Polarity, Rounding, Status
from .engines.exact import compile_exact
from .language.functions import FunctionSpec, IkuFunction, ratio_parts, spec_of
from .language.printers import (
    substituted_latex,
    substituted_text,
    to_latex,
    to_text,
    value_atom_text,
)
from .language.undefined import Result, Undefined
from .model import UndefinedParts
from .numbers import exact_latex, exact_text, terminating_places, with_unit

if TYPE_CHECKING:
    from .catalog.registry import Catalog
    from .evaluation import Evaluation
    from .model import Indicator, TargetPart

UNDEFINED_LABEL = "tidak terdefinisi"
REALISASI_LATEX = r"\text{realisasi} = "

# --------------------------------------------------------------------------- numbers


def _is_short(value: Fraction, rule: AchievementRule) -> bool:
    """Whether ``value`` is a decimal with at most the displayed number of places."""
    places = terminating_places(value)
    return places is not None and places <= rule.places


def displayed(
    value: Fraction, rule: AchievementRule, unit: str | None = None, shown: Decimal | None = None
) -> str:
    """``value`` by the display rule with its unit, and the exact value if rounding changed it.

    ``shown`` is the displayed value when the caller has it (a count shows no decimals).
    """
    shown = rule.display(value) if shown is None else shown
    text = with_unit(str(shown), unit)
    if Fraction(shown) == value:
        return text
    return f"{text} (tepat: {exact_text(value)})"


def value_text(value: Fraction, rule: AchievementRule, unit: str | None = None) -> str:
    """An intermediate value: exact when it is a short decimal, else rounded and exact."""
    if _is_short(value, rule):
        return with_unit(exact_text(value), unit)
    return displayed(value, rule, unit)


def _value_latex(value: Fraction, rule: AchievementRule, shown: Decimal | None = None) -> str:
    """``value`` in LaTeX: exact, followed by ``\\approx`` the displayed value if rounded."""
    shown = rule.display(value) if shown is None else shown
    if Fraction(shown) == value:
        return str(shown)
    return rf"{exact_latex(value)} \approx {shown}"


_LATEX_SPECIALS = {
    "\\": r"\backslash{}",
    "%": r"\%",
    "&": r"\&",
    "#": r"\#",
    "_": r"\_",
    "{": r"\{",
    "}": r"\}",
    "$": r"\$",
    "^": r"\hat{}",
    "~": r"\sim{}",
    "<": "<",
    ">": ">",
    "≥": r"\geq{}",
    "≤": r"\leq{}",
    "×": r"\times{}",
    "−": "-",
}


def latex_text(text: str) -> str:
    """Plain text for a math-mode LaTeX line: runs in ``\\text{}``, specials escaped outside.

    Works both in a LaTeX document (amsmath) and in MathJax, which does not read
    escapes inside ``\\text{}``.
    """
    pieces: list[str] = []
    run = ""
    for char in text:
        if char in _LATEX_SPECIALS:
            if run:
                pieces.append(rf"\text{{{run}}}")
                run = ""
            pieces.append(_LATEX_SPECIALS[char])
        else:
            run += char
    if run:
        pieces.append(rf"\text{{{run}}}")
    return "".join(pieces)


def _unit_latex(unit: str | None) -> str:
    if not unit:
        return ""
    return r"\%" if unit == "%" else r"\ " + latex_text(unit)


# --------------------------------------------------------------------------- the model


@attrs.frozen
class InputValue:
    """One input as used: its name, Indonesian label, unit and exact value."""

    name: str
    label: str
    unit: str
    value: Fraction


@attrs.frozen
class Step:
    """One intermediate part of a formula, with its exact value or why it is undefined.

    ``role`` says what the part is to the formula above it ("Pembilang", "Penyebut",
    "Komponen 2", "Bobot 1", "Jumlah bobot"); ``level`` is its depth (0 for parts of
    the indicator's formula itself, 1 for parts of those, ...).
    """

    role: str
    text: str
    """The part in the formula language, references substituted."""
    latex: str
    value: Fraction | None
    reason: str | None = None
    """Why the part is undefined (None when it is defined)."""
    name: str | None = None
    """The input, component or indicator the part stands for, if it is one."""
    label: str | None = None
    """That input's or component's Indonesian label, where known."""
    unit: str | None = None
    level: int = 0
    substituted_text: str | None = None
    """The part with the input values written in (None for a bare input or number)."""
    substituted_latex: str | None = None
    note: str | None = None
    """E.g. that an undefined component is left out of the mean."""

    @property
    def is_defined(self) -> bool:
        return self.value is not None


@attrs.frozen
class PartExplanation:
    """Realisasi and capaian of one part of the target (most targets have one part)."""

    index: int
    """1-based position in the target."""
    target: TargetPart
    target_text: str
    """The part of the target as written ("1 Kegiatan")."""
    text: str
    latex: str
    substituted_text: str | None
    substituted_latex: str | None
    steps: tuple[Step, ...]
    value: Fraction | None
    display_value: Decimal | None
    achievement: Fraction | None
    display_achievement: Decimal | None
    met: bool
    reason: str | None
    achievement_text: str | None
    """Capaian with realisasi and target written in ("85 / 85 × 100"), when defined."""
    achievement_latex: str | None


@attrs.frozen
class AchievementExplanation:
    """The rule that turned realisasi into capaian and status, in words and formulas."""

    polarity: Polarity
    cap: Fraction | None
    rounding: Rounding
    places: int
    text: str
    """E.g. "realisasi / target × 100"."""
    latex: str
    met_text: str
    """When the target counts as met."""
    display_text: str
    """How the numbers people read are rounded."""
    combine_text: str | None = None
    """For a target with several parts: how their capaian combine."""


@attrs.frozen(eq=False)
class Explanation:
    """The chain from inputs to realisasi to capaian for one evaluation.

    ``str()`` gives :meth:`to_text`; Jupyter shows :meth:`to_html`.
    """

    number: int
    name: str
    objective: str
    formula_text: str
    """Realisasi in the formula language, references substituted."""
    formula_latex: str
    composed_text: str
    """The formula as the catalog wrote it (components named)."""
    composed_latex: str
    inputs: tuple[InputValue, ...]
    parts: tuple[PartExplanation, ...]
    """One per part of the target; the first is the indicator's formula."""
    target_text: str
    polarity: Polarity
    rule: AchievementExplanation
    value: Fraction | None
    display_value: Decimal | None
    achievement: Fraction | None
    display_achievement: Decimal | None
    status: Status
    reason: str | None
    warnings: tuple[str, ...]
    achievement_rule: AchievementRule = attrs.field(repr=False)

    @property
    def steps(self) -> tuple[Step, ...]:
        """The intermediate parts of the indicator's formula (first target part)."""
        return self.parts[0].steps

    @property
    def unit(self) -> str:
        """The unit of realisasi (that of the first target part)."""
        return self.parts[0].target.unit

    def to_text(self) -> str:
        """The explanation as plain text (Indonesian labels)."""
        return _render_text(self)

    def to_latex(self) -> str:
        """The explanation as an ``aligned`` block (amsmath) to put inside display math."""
        return _render_latex(self)

    def to_html(self) -> str:
        """The explanation as self-contained HTML; formulas in ``\\(...\\)`` for MathJax."""
        from .explain_html import explanation_html

        return explanation_html(self)

    def __str__(self) -> str:
        return self.to_text()

    def _repr_html_(self) -> str:
        return self.to_html()

    def _repr_latex_(self) -> str:
        return f"$${self.to_latex()}$$"

    def __repr__(self) -> str:
        return f"<Explanation IKU {self.number}: {self.status.label}>"


# --------------------------------------------------------------------------- building


class _Walker:
    """Lists the intermediate parts of a formula, each valued by the exact evaluator."""

    def __init__(
        self,
        indicator: Indicator,
        env: Mapping[str, Fraction],
        reference_labels: Mapping[str, str],
    ) -> None:
        self.env = env
        self.policy = indicator.undefined_parts
        self.references = {sympy.Symbol(name): expr for name, expr in indicator.references.items()}
        self.specs = {spec.name: spec for spec in indicator.input_specs}
        self.reference_labels = reference_labels

    def expand(self, expr: sympy.Expr) -> sympy.Expr:
        return expr.xreplace(self.references) if self.references else expr

    def result(self, expr: sympy.Expr) -> Result:
        """The exact value of ``expr``, by the evaluator the indicator itself uses."""
        return compile_exact(self.expand(expr), self.policy, False)(self.env, [])

    def structured(self, expr: sympy.Expr) -> bool:
        """Whether ``expr`` has parts worth a step of their own."""
        return expr in self.references or bool(expr.has(IkuFunction))

    def steps(self, expr: sympy.Expr, level: int = 0) -> list[Step]:
        if isinstance(expr, sympy.Symbol) and expr in self.references:
            return self.steps(self.references[expr], level)
        parts: list[tuple[str, sympy.Expr]] = []
        totals: list[tuple[str, sympy.Expr]] = []
        notes: dict[int, str] = {}
        if isinstance(expr, IkuFunction):  # its steps are in its definition
            spec = spec_of(expr)
            parts = list(zip(spec.steps.roles(len(expr.args)), expr.args, strict=True))
            ratio = ratio_parts(self.expand(expr)) if spec.steps.totals else None
            totals = [] if ratio is None else list(zip(spec.steps.totals, ratio, strict=False))
            notes = self._notes(expr, spec)
        elif isinstance(expr, sympy.Pow):
            parts = [("Basis", expr.base)] if self.structured(expr.base) else []
        elif isinstance(expr, sympy.Add | sympy.Mul):
            role = "Suku" if isinstance(expr, sympy.Add) else "Faktor"
            interesting = [arg for arg in expr.args if self.structured(arg)]
            parts = [(f"{role} {i}", arg) for i, arg in enumerate(interesting, 1)]
        steps: list[Step] = []
        for position, (role, arg) in enumerate(parts):
            steps.append(self.step(role, arg, level, notes.get(position)))
            steps.extend(self.steps(arg, level + 1))
        steps.extend(self.step(role, total, level) for role, total in totals)
        return steps

    def _notes(self, expr: IkuFunction, spec: FunctionSpec) -> dict[int, str]:
        """Which arguments of a mean are undefined, and what that does to the mean."""
        rule = spec.undefined_arguments
        if rule is None:
            return {}
        results = [self.result(arg) for arg in expr.args]
        reasons = [result.reason if isinstance(result, Undefined) else "" for result in results]
        if not any(reasons):
            return {}
        texts = [to_text(self.expand(arg)) for arg in expr.args]
        kept = rule.reason(texts, reasons, self.policy is UndefinedParts.SKIP) is None
        note = rule.left_out_note if kept else rule.undefined_note
        return {i: note for i, reason in enumerate(reasons) if reason}

    def step(self, role: str, expr: sympy.Expr, level: int, note: str | None = None) -> Step:
        expanded = self.expand(expr)
        result = self.result(expr)
        name = str(expr.name) if isinstance(expr, sympy.Symbol) else None
        label = unit = None
        if name is not None and name in self.specs:
            label, unit = self.specs[name].label, self.specs[name].unit
        elif name is not None:
            label = self.reference_labels.get(name)
        if isinstance(expanded, IkuFunction):
            unit = spec_of(expanded).steps.unit or unit
        compound = not isinstance(expanded, sympy.Symbol | sympy.Number)
        return Step(
            role=role,
            text=to_text(expanded),
            latex=to_latex(expanded),
            value=result if isinstance(result, Fraction) else None,
            reason=result.reason if isinstance(result, Undefined) else None,
            name=name,
            label=label,
            unit=unit,
            level=level,
            substituted_text=substituted_text(expanded, self.env) if compound else None,
            substituted_latex=substituted_latex(expanded, self.env) if compound else None,
            note=note,
        )


def _reference_labels(catalog: Catalog | None) -> dict[str, str]:
    if catalog is None:
        return {}
    labels = {indicator.key: indicator.display_name for indicator in catalog.indicators}
    labels.update({name: component.label for name, component in catalog.components.items()})
    return labels


def rounding_text(rule: AchievementRule) -> str:
    how = "dibulatkan setengah ke atas" if rule.rounding is Rounding.HALF_UP else "dipotong"
    return (
        f"ditampilkan dengan {rule.places} desimal, {how}; "
        "status dinilai dari nilai tepat, bukan yang dibulatkan"
    )


def achievement_formula(
    polarity: Polarity,
    cap: Fraction | None,
    minimize: LowerIsBetter = LowerIsBetter.TWO_MINUS_RATIO,
) -> tuple[str, str]:
    """Capaian in words and in LaTeX, for the polarity, cap and "lower is better" formula."""
    if polarity is Polarity.MAXIMIZE:
        text = "realisasi / target × 100"
        latex = r"\frac{\text{realisasi}}{\text{target}} \times 100"
    elif minimize is LowerIsBetter.INVERSE_RATIO:
        text = minimize.text
        latex = r"\frac{\text{target}}{\text{realisasi}} \times 100"
    else:
        text = "maks(0, (2 − realisasi / target) × 100)"
        latex = (
            r"\max\left(0, \left(2 - \frac{\text{realisasi}}{\text{target}}\right)"
            r" \times 100\right)"
        )
    if cap is not None:
        text = f"min({exact_text(cap)}, {text})"
        latex = rf"\min\left({exact_latex(cap)}, {latex}\right)"
    return text, latex


def _achievement_substituted(
    value: Fraction, target: Fraction, polarity: Polarity, rule: AchievementRule
) -> tuple[str, str]:
    """Capaian with realisasi and target written in, and the uncapped value if the cap bit."""
    v_text, t_text = value_atom_text(value), value_atom_text(target)
    v_latex, t_latex = exact_latex(value), exact_latex(target)
    if polarity is Polarity.MAXIMIZE:
        text = f"{v_text} / {t_text} × 100"
        latex = rf"\frac{{{v_latex}}}{{{t_latex}}} \times 100"
    elif rule.minimize is LowerIsBetter.INVERSE_RATIO:
        text = f"{t_text} / {v_text} × 100"
        latex = rf"\frac{{{t_latex}}}{{{v_latex}}} \times 100"
    else:
        text = f"maks(0, (2 − {v_text} / {t_text}) × 100)"
        latex = rf"\max\left(0, \left(2 - \frac{{{v_latex}}}{{{t_latex}}}\right) \times 100\right)"
    if rule.cap is None:
        return text, latex
    cap_text, cap_latex = exact_text(rule.cap), exact_latex(rule.cap)
    text, latex = f"min({cap_text}, {text})", rf"\min\left({cap_latex}, {latex}\right)"
    uncapped, _ = attrs.evolve(rule, cap=None).achievement(value, target, polarity)
    if uncapped is not None and uncapped > rule.cap:
        shown = rule.display(uncapped)
        text += f" = min({cap_text}, {shown})"
        latex += rf" = \min\left({cap_latex}, {shown}\right)"
    return text, latex


def _target_texts(indicator: Indicator) -> list[str]:
    pieces = indicator.target.text.split(" / ")
    if len(pieces) == len(indicator.target.parts):
        return [piece.strip() for piece in pieces]
    return [with_unit(exact_text(part.value), part.unit) for part in indicator.target.parts]


PartResultTuple = tuple[Fraction | None, Fraction | None, bool, str | None]
"""Realisasi, capaian, met and reason of one target part."""


def explain(evaluation: Evaluation, catalog: Catalog | None = None) -> Explanation:
    """The chain from inputs to realisasi to capaian for ``evaluation``.

    With ``catalog``, components and referenced indicators are named by their labels.
    """
    indicator = evaluation.indicator
    rule = indicator.achievement_rule
    env = evaluation.inputs
    walker = _Walker(indicator, env, _reference_labels(catalog))
    formulas = (indicator.composed_formula, *indicator.part_formulas)
    results: Sequence[PartResultTuple]
    if evaluation.parts:
        results = [(p.value, p.achievement, p.met, p.reason) for p in evaluation.parts]
    else:
        results = [(evaluation.value, evaluation.achievement, evaluation.met, evaluation.reason)]
    parts = [
        _part_explanation(evaluation, walker, index, composed, target_part, target_text, result)
        for index, (composed, target_part, target_text, result) in enumerate(
            zip(formulas, indicator.target.parts, _target_texts(indicator), results, strict=True),
            1,
        )
    ]
    return Explanation(
        number=indicator.number,
        name=indicator.display_name,
        objective=indicator.objective.name,
        formula_text=indicator.formula_text,
        formula_latex=indicator.latex,
        composed_text=indicator.composed_text,
        composed_latex=indicator.composed_latex,
        inputs=tuple(
            InputValue(spec.name, spec.label, spec.unit, env[spec.name])
            for spec in indicator.input_specs
        ),
        parts=tuple(parts),
        target_text=indicator.target.text,
        polarity=indicator.polarity,
        rule=_achievement_explanation(indicator, len(parts)),
        value=evaluation.value,
        display_value=evaluation.display_value(),
        achievement=evaluation.achievement,
        display_achievement=evaluation.display_achievement(),
        status=evaluation.status,
        reason=evaluation.reason,
        warnings=evaluation.warnings,
        achievement_rule=rule,
    )


def _part_explanation(
    evaluation: Evaluation,
    walker: _Walker,
    index: int,
    composed: sympy.Expr,
    target_part: TargetPart,
    target_text: str,
    result: PartResultTuple,
) -> PartExplanation:
    """Realisasi and capaian of the ``index``-th target part, whose formula is ``composed``."""
    indicator = evaluation.indicator
    rule = indicator.achievement_rule
    env = evaluation.inputs
    value, achievement, met, reason = result
    expanded = walker.expand(composed)
    compound = not isinstance(expanded, sympy.Symbol | sympy.Number)
    if value is None:
        display_value = None
    elif index == 1 and not evaluation.parts:
        display_value = evaluation.display_value()
    else:
        display_value = rule.display(value, count=indicator.is_count_input(expanded))
    substituted = None
    if value is not None and target_part.value != 0:
        substituted = _achievement_substituted(value, target_part.value, indicator.polarity, rule)
    return PartExplanation(
        index=index,
        target=target_part,
        target_text=target_text,
        text=to_text(expanded),
        latex=to_latex(expanded),
        substituted_text=substituted_text(expanded, env) if compound else None,
        substituted_latex=substituted_latex(expanded, env) if compound else None,
        steps=tuple(walker.steps(composed)),
        value=value,
        display_value=display_value,
        achievement=achievement,
        display_achievement=None if achievement is None else rule.display(achievement),
        met=met,
        reason=reason,
        achievement_text=None if substituted is None else substituted[0],
        achievement_latex=None if substituted is None else substituted[1],
    )


def _achievement_explanation(indicator: Indicator, parts: int) -> AchievementExplanation:
    """The capaian rule of ``indicator``, whose target has ``parts`` parts, in words."""
    rule = indicator.achievement_rule
    text, latex = achievement_formula(indicator.polarity, rule.cap, rule.minimize)
    comparison = "≥" if indicator.polarity is Polarity.MAXIMIZE else "≤"
    combine = None
    if parts > 1:
        combine = (
            f"capaian dihitung per bagian target; capaian keseluruhan adalah yang terendah "
            f"dari {parts} bagian, dan target tercapai bila semua bagian tercapai"
        )
    return AchievementExplanation(
        polarity=indicator.polarity,
        cap=rule.cap,
        rounding=rule.rounding,
        places=rule.places,
        text=text,
        latex=latex,
        met_text=f"tercapai bila realisasi {comparison} target",
        display_text=rounding_text(rule),
        combine_text=combine,
    )


# --------------------------------------------------------------------------- text


def step_value_text(step: Step, rule: AchievementRule) -> str:
    if step.value is None:
        return f"{UNDEFINED_LABEL} ({step.reason})"
    return value_text(step.value, rule, step.unit)


def _step_text(step: Step, rule: AchievementRule) -> str:
    chain = [step.text]
    if step.name is not None and step.name != step.text:
        chain.insert(0, step.name)
    if step.substituted_text is not None:
        chain.append(step.substituted_text)
    chain.append(step_value_text(step, rule))
    line = f"{'  ' * (step.level + 1)}{step.role}: {' = '.join(chain)}"
    if step.label:
        line += f" ({step.label})"
    if step.note:
        line += f" [{step.note}]"
    return line


def part_value_text(part: PartExplanation, rule: AchievementRule) -> str:
    if part.value is None:
        return f"{UNDEFINED_LABEL} ({part.reason})" if part.reason else UNDEFINED_LABEL
    return displayed(part.value, rule, part.target.unit, part.display_value)


def part_achievement_text(part: PartExplanation, rule: AchievementRule) -> str:
    if part.achievement is None:
        if part.value is not None and part.reason:
            return f"{UNDEFINED_LABEL} ({part.reason})"
        return UNDEFINED_LABEL
    shown = displayed(part.achievement, rule, "%", part.display_achievement)
    return f"{part.achievement_text} = {shown}" if part.achievement_text else shown


def _realisasi_chain(part: PartExplanation, rule: AchievementRule) -> str:
    chain = [part.text]
    if part.substituted_text is not None:
        chain.append(part.substituted_text)
    chain.append(part_value_text(part, rule))
    return " = ".join(chain)


def _render_text(explanation: Explanation) -> str:
    rule = explanation.achievement_rule
    lines = [
        f"IKU {explanation.number}: {explanation.name}",
        f"Sasaran: {explanation.objective}",
        f"Rumus: realisasi = {explanation.formula_text}",
    ]
    if explanation.composed_text != explanation.formula_text:
        lines.append(f"  (ditulis di katalog: {explanation.composed_text})")
    if explanation.inputs:
        lines.append("Masukan:")
        lines.extend(
            f"  {item.name} = {with_unit(exact_text(item.value), item.unit)} ({item.label})"
            for item in explanation.inputs
        )
    multi = len(explanation.parts) > 1
    for part in explanation.parts:
        indent = "  " if multi else ""
        if multi:
            lines.append(f"Bagian target {part.index} ({part.target_text}):")
        if part.steps:
            lines.append(f"{indent}Langkah:")
            lines.extend(indent + _step_text(step, rule) for step in part.steps)
        lines.append(f"{indent}Realisasi: {_realisasi_chain(part, rule)}")
        if multi:
            lines.append(f"{indent}Capaian: {part_achievement_text(part, rule)}")
            state = "tercapai" if part.met else "tidak tercapai"
            lines.append(f"{indent}Status: {state if part.value is not None else UNDEFINED_LABEL}")
    lines.append(
        f"Target: {explanation.target_text} "
        f"({explanation.polarity.label}; {explanation.rule.met_text})"
    )
    if multi:
        capaian = UNDEFINED_LABEL
        if explanation.achievement is not None:
            capaian = displayed(explanation.achievement, rule, "%", explanation.display_achievement)
        lines.append(f"Capaian: {capaian}")
        lines.append(f"  Aturan: {explanation.rule.text}; {explanation.rule.combine_text}")
    else:
        lines.append(
            f"Capaian: {explanation.rule.text} = "
            f"{part_achievement_text(explanation.parts[0], rule)}"
        )
    lines.append(f"  Pembulatan: {explanation.rule.display_text}")
    lines.append(f"Status: {explanation.status.label}")
    if explanation.reason:
        lines.append(f"Alasan: {explanation.reason}")
    if explanation.warnings:
        lines.append("Peringatan:")
        lines.extend(f"  - {warning}" for warning in explanation.warnings)
    return "\n".join(lines)


# --------------------------------------------------------------------------- LaTeX


def _name_latex(name: str) -> str:
    return r"\mathrm{" + name.replace("_", r"\_") + "}"


def _step_value_latex(step: Step, rule: AchievementRule) -> str:
    if step.value is None:
        return latex_text(f"{UNDEFINED_LABEL} ({step.reason})")
    shown = _value_latex(step.value, rule) if not _is_short(step.value, rule) else None
    return (shown or exact_latex(step.value)) + _unit_latex(step.unit)


def part_value_latex(part: PartExplanation, rule: AchievementRule) -> str:
    if part.value is None:
        return latex_text(f"{UNDEFINED_LABEL} ({part.reason})" if part.reason else UNDEFINED_LABEL)
    return _value_latex(part.value, rule, part.display_value) + _unit_latex(part.target.unit)


def _part_achievement_latex(part: PartExplanation, rule: AchievementRule) -> str:
    if part.achievement is None:
        reason = part.reason if part.value is not None and part.reason else None
        return latex_text(f"{UNDEFINED_LABEL} ({reason})" if reason else UNDEFINED_LABEL)
    shown = _value_latex(part.achievement, rule, part.display_achievement) + r"\%"
    return f"{part.achievement_latex} = {shown}" if part.achievement_latex else shown


def _latex_lines(explanation: Explanation) -> list[str]:
    rule = explanation.achievement_rule
    lines = [
        "&" + latex_text(f"IKU {explanation.number}: {explanation.name}"),
        "&" + latex_text(f"Sasaran: {explanation.objective}"),
    ]
    multi = len(explanation.parts) > 1
    for part in explanation.parts:
        if multi:
            lines.append("&" + latex_text(f"Bagian target {part.index} ({part.target_text})"))
        for step in part.steps:
            indent = r"\quad " * step.level
            chain = [step.latex]
            if step.name is not None and step.name != step.text:
                chain.insert(0, _name_latex(step.name))
            if step.substituted_latex is not None:
                chain.append(step.substituted_latex)
            chain.append(_step_value_latex(step, rule))
            note = r"\quad " + latex_text(f"({step.note})") if step.note else ""
            lines.append(f"{indent}{latex_text(step.role)} &= {' = '.join(chain)}{note}")
        chain = [part.latex]
        if part.substituted_latex is not None:
            chain.append(part.substituted_latex)
        chain.append(part_value_latex(part, rule))
        lines.append(rf"\text{{Realisasi}} &= {' = '.join(chain)}")
        if multi:
            lines.append(rf"\text{{Capaian}} &= {_part_achievement_latex(part, rule)}")
    lines.append(
        rf"\text{{Target}} &= {latex_text(explanation.target_text)} \quad "
        + latex_text(f"({explanation.polarity.label}; {explanation.rule.met_text})")
    )
    if multi:
        capaian = latex_text(UNDEFINED_LABEL)
        if explanation.achievement is not None:
            capaian = (
                _value_latex(explanation.achievement, rule, explanation.display_achievement) + r"\%"
            )
        lines.append(rf"\text{{Capaian}} &= \min(\text{{capaian bagian}}) = {capaian}")
    else:
        capaian = _part_achievement_latex(explanation.parts[0], rule)
        lines.append(rf"\text{{Capaian}} &= {explanation.rule.latex} = {capaian}")
    lines.append(rf"\text{{Pembulatan}} &: {latex_text(explanation.rule.display_text)}")
    lines.append(rf"\text{{Status}} &: {latex_text(explanation.status.label)}")
    if explanation.reason:
        lines.append(rf"\text{{Alasan}} &: {latex_text(explanation.reason)}")
    lines.extend(
        rf"\text{{Peringatan}} &: {latex_text(warning)}" for warning in explanation.warnings
    )
    return lines


def _render_latex(explanation: Explanation) -> str:
    body = " \\\\\n".join(_latex_lines(explanation))
    return f"\\begin{{aligned}}\n{body}\n\\end{{aligned}}"
