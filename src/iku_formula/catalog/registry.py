"""The catalog: a loaded, validated set of indicators, indexed by their number.

Kept apart from reading files (:mod:`iku_formula.catalog.load`), as pint keeps its
definitions apart from the registry: a Catalog is immutable and knows nothing of
TOML.
"""

from __future__ import annotations

__all__ = ["BUNDLED_CATALOG", "Catalog", "bundled_catalog_path", "load_catalog"]

import difflib
import numbers
from collections.abc import Iterator, Mapping
from fractions import Fraction
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from .._optional import require
from ..achievement import AchievementRule
from ..errors import MAX_PROBLEMS, InputError, UnknownIndicatorError
from ..evaluation import CompiledRule, Evaluation, Violation, coerce_value, evaluate_coerced
from ..i18n import _, ngettext
from ..model import Component, Indicator, Input, Objective, Rule
from ..predikat import PredikatScale

if TYPE_CHECKING:
    import os
    from collections.abc import Hashable, Sequence
    from typing import Literal

    import pandas as pd

    from ..needed import Needed
    from ..periods import Period
    from ..sheets.model import Sheet, SheetRow

BUNDLED_CATALOG = "iku-kanwil-bali-2024.toml"
"""File name of the catalog that ships with the package."""


def _need_frames(what: str) -> None:
    """Raise MissingDependencyError naming the ``frames`` extra unless pandas and numpy import."""
    require("numpy", "frames", what)
    require("pandas", "frames", what)


def bundled_catalog_path() -> Path:
    """Where the bundled catalog is: inside the installed package, else the source tree."""
    packaged = resources.files("iku_formula") / "data" / BUNDLED_CATALOG
    if packaged.is_file():
        return Path(str(packaged))
    return Path(__file__).resolve().parents[3] / "catalog" / BUNDLED_CATALOG


def _number(key: object) -> int | None:
    """An indicator number from a key: an integer (numpy's too), never a bool, a float or text."""
    if isinstance(key, bool) or not isinstance(key, numbers.Integral):
        return None
    return int(key)


def _exact_values(values: object, method: str) -> None:
    """InputError unless ``values`` maps names to Fractions, as :meth:`Catalog.coerce` returns."""
    if not isinstance(values, Mapping) or not all(
        type(value) is Fraction for value in values.values()
    ):
        raise InputError(
            f"{method} takes input values already made exact (Fractions, as Catalog.coerce "
            "returns them); give other values to evaluate or check"
        )


def _shown(value: object) -> str:
    """``value`` quoted in a message, at most 60 characters (an int too long to print, named)."""
    try:
        text = repr(value)
    except ValueError:  # an integer beyond sys.get_int_max_str_digits
        return f"(a {type(value).__name__} too long to write)"
    return text if len(text) <= 60 else text[:57] + "..."


@attrs.frozen(eq=False)
class Catalog:
    """A loaded, validated catalog: indicators in source order, indexed by number."""

    title: str
    year: int
    path: Path | None
    achievement_rule: AchievementRule
    objectives: tuple[Objective, ...]
    inputs: Mapping[str, Input]
    components: Mapping[str, Component]
    indicators: tuple[Indicator, ...]
    source: str | None = None
    """Path (relative to the catalog file) of the verbatim source table."""
    rules: tuple[Rule, ...] = ()
    """Every consistency rule of the catalog, including those spanning indicators."""
    predikat_scales: Mapping[str, PredikatScale] = attrs.field(factory=dict)
    """Every predikat scale the catalog declares (``[predikat.NAME]``), by name."""
    default_predikat: PredikatScale | None = None
    """The scale of every indicator that names none (``[catalog] predikat``), or None."""

    def predikat_scale_for(self, indicator: Indicator | int) -> PredikatScale | None:
        """The scale giving ``indicator`` (an Indicator or its number) its predikat, or None."""
        found = self[indicator] if isinstance(indicator, int) else indicator
        return found.predikat

    @cached_property
    def _compiled_rules(self) -> tuple[CompiledRule, ...]:
        return tuple(CompiledRule.build(rule) for rule in self.rules)

    def check(self, values: Mapping[str, object]) -> tuple[Violation, ...]:
        """Every consistency rule broken by ``values`` (rules whose inputs are all given).

        Unlike :meth:`evaluate` this also checks rules that span several indicators,
        such as detainees being part of all inmates. Values are coerced as in evaluate.
        """
        return self._violations(self.coerce(values))

    def check_exact(self, values: Mapping[str, Fraction]) -> tuple[Violation, ...]:
        """:meth:`check` on values already checked and exact (as :meth:`coerce` returns them,
        or rolled up: a rolled-up count may be a fraction)."""
        _exact_values(values, "check_exact")
        return self._violations(values)

    def _violations(self, values: Mapping[str, Fraction]) -> tuple[Violation, ...]:
        return tuple(
            violation
            for compiled in self._compiled_rules
            if compiled.rule.inputs <= values.keys()
            and (violation := compiled.check(values)) is not None
        )

    @cached_property
    def _by_number(self) -> dict[int, Indicator]:
        return {indicator.number: indicator for indicator in self.indicators}

    def __len__(self) -> int:
        return len(self.indicators)

    def __iter__(self) -> Iterator[Indicator]:
        return iter(self.indicators)

    def __contains__(self, number: object) -> bool:
        return _number(number) in self._by_number

    def __getitem__(self, number: int) -> Indicator:
        """The indicator with the source's ``number`` (not a position).

        Any other key (a key text such as ``"23"``, a float, ``True``) raises
        UnknownIndicatorError, a KeyError: ``catalog["ippw"]`` says to use :meth:`by_key`.
        """
        found = self._by_number.get(_number(number))  # type: ignore[arg-type]
        if found is not None:
            return found
        numbers = list(self._by_number)
        span = (
            _("numbers: {first} to {last}").format(first=min(numbers), last=max(numbers))
            if numbers
            else _("numbers: none")
        )
        if isinstance(number, str):
            hint = (
                _("; the number is {number}, without quotes").format(number=int(number))
                if number.isascii() and number.strip().isdigit() and len(number) < 20
                else _("; catalog.by_key(key) finds an indicator by its key")
            )
            raise UnknownIndicatorError(
                _(
                    "no indicator number {shown}: indicators are numbered by integers ({span})"
                ).format(shown=_shown(number), span=span)
                + hint
            )
        raise UnknownIndicatorError(
            _("no indicator number {shown} in this catalog ({span})").format(
                shown=_shown(number), span=span
            )
        )

    def by_key(self, key: str) -> Indicator:
        """The indicator whose ``key`` is ``key``."""
        if not isinstance(key, str):
            raise UnknownIndicatorError(
                _("an indicator key is text, got {type} {shown}").format(
                    type=type(key).__name__, shown=_shown(key)
                )
                + (_("; catalog[number] finds an indicator by its number") if _number(key) else "")
            )
        for indicator in self.indicators:
            if indicator.key == key:
                return indicator
        keys = [indicator.key for indicator in self.indicators]
        close = difflib.get_close_matches(key, keys, n=1) if len(key) <= 200 else []
        hint = _("; did you mean {name!r}?").format(name=close[0]) if close else ""
        raise UnknownIndicatorError(
            _("no indicator with key {shown}").format(shown=_shown(key)) + hint
        )

    def indicators_of(self, objective: Objective | str) -> tuple[Indicator, ...]:
        """The indicators of one sasaran (an Objective or its id), in source order."""
        wanted = objective.id if isinstance(objective, Objective) else objective
        return tuple(i for i in self.indicators if i.objective.id == wanted)

    @property
    def source_path(self) -> Path | None:
        """The verbatim source table's path, when the catalog names one."""
        if self.source is None or self.path is None:
            return None
        return self.path.parent / self.source

    def coerce(self, values: Mapping[str, object]) -> dict[str, Fraction]:
        """Every value checked once against its input and made exact (a Fraction).

        One InputError lists every problem: unknown names (with a did-you-mean) and
        unusable values, each with the indicators that use the input.
        """
        if not isinstance(values, Mapping):
            raise InputError(
                _("values must be a mapping of input name to number, got {type}").format(
                    type=type(values).__name__
                )
            )
        unknown = [name for name in values if name not in self.inputs]
        if unknown:
            details = []
            for name in unknown[:MAX_PROBLEMS]:
                text = str(name) if isinstance(name, str) else ""
                close = difflib.get_close_matches(text, list(self.inputs), n=1)
                hint = " " + _("(did you mean {other!r}?)").format(other=close[0]) if close else ""
                details.append(_shown(name) + hint)
            if len(unknown) > MAX_PROBLEMS:
                details.append(_("and {count} more").format(count=len(unknown) - MAX_PROBLEMS))
            raise InputError(
                ngettext(
                    "unknown input {names}; every name must be an input of the catalog",
                    "unknown inputs {names}; every name must be an input of the catalog",
                    len(unknown),
                ).format(names=", ".join(details)),
                inputs=[_shown(name) for name in unknown],
            )
        coerced: dict[str, Fraction] = {}
        problems: dict[str, str] = {}
        for name, raw in values.items():
            try:
                coerced[name] = coerce_value(raw, self.inputs[name])
            except ValueError as error:
                users = [str(i.number) for i in self.indicators if name in i.inputs]
                problems[name] = _("input {name!r} (indicator {numbers}): {problem}").format(
                    name=name, numbers=", ".join(users), problem=error
                )
        if problems:
            raise InputError("; ".join(problems.values()), inputs=list(problems))
        return coerced

    def evaluate(self, values: Mapping[str, object]) -> dict[int, Evaluation]:
        """Evaluate every indicator whose inputs are all in ``values``, by number.

        Each value is checked once; a name that is no input of the catalog, or an
        unusable value, raises one InputError naming the inputs and indicators.
        """
        return self._results(self.coerce(values))

    def evaluate_exact(self, values: Mapping[str, Fraction]) -> dict[int, Evaluation]:
        """:meth:`evaluate` on values already checked and exact (as :meth:`coerce` returns
        them, or rolled up: a rolled-up count may be a fraction)."""
        _exact_values(values, "evaluate_exact")
        return self._results(values)

    def _results(self, values: Mapping[str, Fraction]) -> dict[int, Evaluation]:
        return {
            indicator.number: evaluate_coerced(indicator, values)
            for indicator in self.indicators
            if all(name in values for name in indicator.inputs)
        }

    def evaluate_floats(self, values: Mapping[str, object]) -> dict[int, float]:
        """Realisasi as floats of every indicator whose inputs are all in ``values``, fast.

        For callers that need only the numbers of one record, quickly (a request
        handler): the formulas are compiled once into Python float code (on the
        first call, cached per catalog), so a whole record costs microseconds,
        where :meth:`evaluate` computes exact Fractions, capaian, status and
        reasons. Needs neither numpy nor pandas.

        Values are checked as in :meth:`evaluate` (the same InputError). A zero
        denominator, or a result too large for a float, gives NaN. The numbers
        are those of :meth:`evaluate_frame` on a one-row frame, and equal
        :meth:`evaluate`'s within float rounding.
        """
        from ..engines.floats import evaluate_floats

        return evaluate_floats(self, values)

    def to_json(self, *, mathml: bool = True) -> dict[str, Any]:
        """The catalog in the JSON interchange format, ready for :func:`json.dumps`.

        Every formula as text, LaTeX, MathML (with ``mathml``; it needs ``latex2mathml``, the
        ``docs`` extra) and an expression tree; the achievement and roll-up rules, the targets
        as written and read, the source texts. ``load_catalog("catalog.json")`` reads it back;
        its JSON Schema is :func:`iku_formula.catalog.interchange.schema_json`.
        """
        from .interchange import catalog_json

        return catalog_json(self, mathml=mathml)

    def __repr__(self) -> str:
        return f"<Catalog {self.title!r}: {len(self)} indicators>"

    def _repr_html_(self) -> str:
        from ..notebook import catalog_html

        return catalog_html(self)

    def evaluate_frame(self, frame: pd.DataFrame, layout: str = "wide") -> pd.DataFrame:
        """Evaluate whole columns of realised values at once (needs the ``frames`` extra).

        ``frame`` has one column per input (named as in the catalog) and one row per
        set of values; every other column is a key column (``unit``, ``period``...).
        Strings may use a decimal comma; a NaN or blank cell is a missing value.
        Values are checked as in :meth:`evaluate`: one InputError names each bad
        column and its first bad row.

        ``layout="wide"`` returns, on the same index, one float column of realisasi
        per indicator whose inputs are all columns, named by the indicator's number
        (key columns are not repeated: join on the index). ``layout="long"`` returns
        tidy rows, one per input row and indicator, row by row, with the input's
        index repeated: the key columns, then ``indicator``, ``realisasi``,
        ``target`` (the first part's value), ``capaian``, ``met``, ``reason`` and
        ``predikat`` (the code of the band of the indicator's scale, as
        :attr:`Evaluation.predikat <iku_formula.Evaluation.predikat>`; None where there is none).

        A zero denominator or a missing input gives NaN (capaian NaN, met False) and,
        in the long layout, the exact path's reason or ``missing input NAME``; no row
        is dropped. Results equal :meth:`evaluate` within float rounding. The
        formulas are compiled to numpy on the first call and cached per catalog.
        A large frame (from ``iku_formula.engines.frames.BLOCKED_FROM`` rows) is computed in
        blocks of rows that stay in the processor's cache, by up to
        ``iku_formula.engines.frames.THREADS`` threads (one per core, at most 4; set it to 1
        to keep to the calling thread); the results are the same to the last bit.
        """
        _need_frames("Catalog.evaluate_frame")
        from ..engines.frames import evaluate_frame

        return evaluate_frame(self, frame, layout)

    def aggregate(
        self,
        frame: pd.DataFrame,
        *,
        unit: Hashable | None = "unit",
        period: Hashable | None = "period",
        by: Sequence[Hashable] | Hashable = (),
        over: Literal["time", "units", "both"] = "both",
        to_date: bool = False,
        until: Period | str | int | None = None,
    ) -> pd.DataFrame:
        """Combine realised values over triwulan and work units by each input's rules.

        ``frame`` has the key columns ``unit`` and ``period`` (and any in ``by``,
        kept apart, e.g. a year or a region) and one column per input; one row per
        combination of keys. ``over`` says what to combine: ``"time"`` (per unit,
        by ``Input.over_time``: sum, last or mean), ``"units"`` (per period, by
        ``Input.over_units``: sum, mean or weighted mean) or ``"both"``, time first
        (stocks are taken at the end of the period in each unit, then added up).
        Periods are read by the one grammar of :mod:`iku_formula.periods`, as in a sheet
        (triwulan "TW1", "tw 2", "Triwulan III", "TW IV", 1-4, "I".."IV"; a year); the
        rules are those of :mod:`iku_formula.rollup.rules`. With ``to_date`` each triwulan
        gets the figure from triwulan I up to it (quarter to date), else one figure for all
        the periods given. With ``until`` (a period: ``"TW3"``, ``"Juni"``, ``"S1"``) only
        the rows up to and including it count (:func:`iku_formula.periods.up_to`: the one
        rule of figures to date, as ``iku evaluate --sampai``).

        Returns a float frame of the inputs indexed by the remaining keys, ready for
        :meth:`evaluate_frame` (ratios are then ratios of sums). A missing value
        makes the combined value missing, except that a unit leaving an input empty in
        every row does not report it and is left out of it. Indicators marked
        ``roll_up = "mean_of_units"`` need :meth:`roll_up` instead.
        """
        _need_frames("Catalog.aggregate")
        from ..rollup.frames import aggregate

        return aggregate(
            self, frame, unit=unit, period=period, by=by, over=over, to_date=to_date, until=until
        )

    def check_frame(self, frame: pd.DataFrame) -> pd.DataFrame:
        """Every broken consistency rule in every row of ``frame`` (needs the ``frames`` extra).

        ``frame`` is laid out as for :meth:`evaluate_frame`. Returns one row per
        broken rule, input row and indicator the rule belongs to, on the input row's
        index: the key columns, then ``indicator``, ``rule`` (its text), ``left`` and
        ``right`` (the two sides, exact Fractions) and ``inputs`` (the inputs the rule
        names, as text). Rules with a missing input or an undefined side are not
        checked. The data are never dropped or changed; an empty frame means no
        rule is broken. See :mod:`iku_formula.consistency`.
        """
        _need_frames("Catalog.check_frame")
        from ..consistency import check_frame

        return check_frame(self, frame)

    def roll_up(
        self,
        frame: pd.DataFrame,
        *,
        unit: Hashable | None = "unit",
        period: Hashable | None = "period",
        by: Sequence[Hashable] | Hashable = (),
        over: Literal["time", "units", "both"] = "both",
        to_date: bool = False,
        layout: str = "wide",
        until: Period | str | int | None = None,
    ) -> pd.DataFrame:
        """Realisasi rolled up by each indicator's rule, in the layout of :meth:`evaluate_frame`.

        Takes the arguments of :meth:`aggregate` (``until``: to date, up to that period).
        Indicators with ``roll_up = "inputs"`` are evaluated on the aggregated inputs (a
        ratio of sums); those marked ``roll_up = "mean_of_units"`` are evaluated per unit
        and averaged over the units. See :func:`iku_formula.rollup.frames.roll_up`.
        """
        _need_frames("Catalog.roll_up")
        from ..rollup.frames import roll_up

        return roll_up(
            self,
            frame,
            unit=unit,
            period=period,
            by=by,
            over=over,
            to_date=to_date,
            layout=layout,
            until=until,
        )

    def needed(
        self,
        source: Sheet | Sequence[SheetRow] | Mapping[str, object],
        until: Period | str | None = None,
    ) -> Needed:
        """What every indicator not yet met still needs, input by input, for its yearly target.

        ``source`` is a sheet (or its rows: units and periods, rolled up by the inputs'
        rules as in a report) or the values so far (``{input: number}``, then ``until`` is
        required). ``until`` ("TW3") keeps the rows up to and including that period. For
        each input of each indicator, the others held at their values so far, the value it
        must reach by the end of the year, solved exactly; see :mod:`iku_formula.needed`.
        """
        from ..needed import needed

        return needed(self, source, until)


def load_catalog(source: str | os.PathLike[str] | None = None) -> Catalog:
    """Load and validate a catalog file; without ``source``, the bundled 2024 catalog.

    Raises :class:`~iku_formula.CatalogError` listing every problem found.
    """
    from .load import load_catalog as load

    return load(source)
