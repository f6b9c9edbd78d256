"""The catalog as SQL views: each row, each unit over the year, and the Kantor Wilayah.

Built as sqlglot trees from the one home of every rule: the formulas by
:mod:`iku_formula.sql.compile` (the function table's SQL forms), the capaian rule of
:mod:`iku_formula.achievement`, the roll-up rules of :mod:`iku_formula.rollup.rules`
(over time per unit, over units for the Kanwil, silent units left out, ``mean_of_units``)
and the reason texts of :mod:`iku_formula.language.undefined` and the rules module.
sqlglot writes them in each dialect and quotes every identifier.

The table has one row per unit and period: a ``unit`` column, a ``period`` column whose
order is time order (the triwulan 1 to 4, a month number, a date) and one numeric
column per input, named as the input (NULL: no value). The views, by default:

``iku_rows``
    each row: ``unit``, ``period`` and per indicator N ``realisasi_N``, ``capaian_N``,
    ``status_N`` (``met``, ``not_met``, ``undefined``) and ``reason_N``;
``iku_unit_inputs``
    each unit's inputs over its periods (``Input.over_time``), and ``reported_I``: how many
    of its rows give the I-th input of the catalog (0: the unit does not report it);
``iku_units``
    the indicators per unit over the year, as in ``iku_rows``;
``iku_kanwil_inputs``, ``iku_kanwil``
    the inputs combined over units (``Input.over_units``) and the indicators of the Kantor
    Wilayah (one row), as :meth:`Catalog.roll_up <iku_formula.Catalog.roll_up>` computes them.
"""

from __future__ import annotations

__all__ = [
    "DIALECTS",
    "READS",
    "VIEWS",
    "Dialect",
    "ViewSet",
    "build_views",
    "output_columns",
    "predikat_column",
    "source_of",
]

import functools
from collections.abc import Collection, Mapping, Sequence
from pathlib import PurePath
from typing import TYPE_CHECKING, Any

import attrs
from sqlglot import exp

from ..achievement import LowerIsBetter, Polarity, Status
from ..errors import InputError
from ..language.functions import (
    sql_divide,
    sql_multiply,
    sql_number,
    sql_subtract,
    sql_text,
)
from ..language.undefined import missing_input, realisasi_is_zero, target_is_zero
from ..model import RollUp, TimeRule, UndefinedParts, UnitRule
from ..predikat import Basis, PredikatScale
from ..rollup import rules
from .compile import compile_formula, first_reason, is_null, not_null, when

if TYPE_CHECKING:
    from ..catalog.registry import Catalog
    from ..model import Indicator, Input


@attrs.frozen
class Dialect:
    """A database the views are written for: sqlglot's dialect and the exact types used."""

    name: str
    sqlglot: str
    stored: str
    """The type inputs are read into and combined in (sums over periods and units)."""
    computed: str
    """The type formulas compute in."""
    precision: str
    """What is exact, for the documentation."""
    last_value: str | None = None
    """An aggregate ``f(value, order)`` giving the value (NULL kept) of the row with the
    greatest order, if the engine has one: a stock's last period in one pass; without it
    the views join each unit's last period back."""

    def stored_type(self) -> exp.DataType:
        return _type(self.stored, self.sqlglot).copy()

    def computed_type(self) -> exp.DataType:
        return _type(self.computed, self.sqlglot).copy()


@functools.cache
def _type(name: str, dialect: str) -> exp.DataType:
    return exp.DataType.build(name, dialect=dialect)


DIALECTS: Mapping[str, Dialect] = {
    dialect.name: dialect
    for dialect in (
        Dialect(
            "duckdb",
            "duckdb",
            "DECIMAL(38, 10)",
            "DOUBLE",
            "inputs and their sums exact in DECIMAL(38, 10); formulas in DOUBLE, since "
            "DuckDB divides decimals in floating point (about 15 significant digits)",
            last_value="ARG_MAX_NULL",
        ),
        Dialect(
            "postgres",
            "postgres",
            "NUMERIC",
            "NUMERIC",
            "NUMERIC throughout: sums and products exact; a quotient rounded to at least 16 "
            "significant digits (PostgreSQL's rule for numeric division)",
        ),
        Dialect(
            "mysql",
            "mysql",
            "DECIMAL(65, 30)",
            "DECIMAL(65, 30)",
            "DECIMAL(65, 30) throughout (MySQL and MariaDB): 35 digits before the point and "
            "30 after; a quotient or product rounded to 30 decimals",
        ),
    )
}
"""The databases :meth:`Catalog.to_sql <iku_formula.Catalog.to_sql>` writes for."""

VIEWS = ("rows", "unit_inputs", "units", "kanwil_inputs", "kanwil")
"""The views, in the order they are created (each reads the ones before)."""

READS: Mapping[str, tuple[str, ...]] = {
    "rows": (),
    "unit_inputs": (),
    "units": ("unit_inputs",),
    "kanwil_inputs": ("unit_inputs",),
    "kanwil": ("unit_inputs", "kanwil_inputs"),
}
"""The views each view reads."""


def output_columns(number: int) -> tuple[str, str, str, str]:
    """The columns of indicator ``number`` in ``rows``, ``units`` and ``kanwil`` (and
    :func:`predikat_column` where it has a predikat scale)."""
    return (f"realisasi_{number}", f"capaian_{number}", f"status_{number}", f"reason_{number}")


def predikat_column(number: int) -> str:
    """The column of indicator ``number``'s predikat: its band's code, NULL outside the scale."""
    return f"predikat_{number}"


@attrs.frozen
class ViewSet:
    """The views of one catalog on one table, as sqlglot trees, with their names."""

    dialect: Dialect
    names: Mapping[str, str]
    """Each view of :data:`VIEWS` -> its name in the database."""
    selects: Mapping[str, exp.Select]
    indicators: tuple[int, ...]
    """The indicators the views compute (those whose inputs are all columns)."""
    inputs: tuple[str, ...]

    def create_statements(self) -> list[str]:
        """``CREATE VIEW`` statements, one per view, in order."""
        return [
            exp.Create(
                this=_table(self.names[view]),
                kind="VIEW",
                expression=self.selects[view],
            ).sql(self.dialect.sqlglot)
            for view in VIEWS
        ]

    def query(self, view: str) -> str:
        """One SELECT of ``view`` that defines the views before it as WITH clauses."""
        select = exp.select("*").from_(_table(self.names[view]))
        for name in (*READS[view], view):
            select = select.with_(
                exp.to_identifier(self.names[name], quoted=True),
                as_=self.selects[name],
                copy=False,
            )
        return select.sql(self.dialect.sqlglot)


def _table(name: str) -> exp.Table:
    """A table or view by its name, quoted (never split at a dot: one name)."""
    return exp.Table(this=exp.to_identifier(name, quoted=True))


def source_of(table: str | PurePath, dialect: Dialect) -> exp.Table:
    """What the views read: a table or view by its name, or (DuckDB) Parquet files by their
    path (a glob such as ``data/*.parquet`` too), read as a stream by ``read_parquet``."""
    if isinstance(table, str):
        return _table(table)
    if dialect.name != "duckdb":
        raise InputError(
            f"{table}: Parquet files are read by DuckDB; name a table for {dialect.name}",
            inputs=[],
        )
    return exp.Table(this=exp.ReadParquet(expressions=[exp.Literal.string(str(table))]))


def _column(name: str, table: str | None = None) -> exp.Column:
    return exp.column(name, table=table, quoted=True)


def _alias(expression: Any, name: str) -> Any:
    return exp.Alias(this=expression, alias=exp.to_identifier(name, quoted=True))


def _count(condition: Any) -> Any:
    """How many rows meet ``condition``."""
    return exp.Sum(this=when(condition, sql_number(1), sql_number(0)))


def _stored(aggregate: Any, stored: exp.DataType, native: bool) -> Any:
    """An aggregate of an exact column converted to the stored type (others are already)."""
    return exp.Cast(this=aggregate, to=stored.copy()) if native else aggregate


def _fits(name: str) -> bool:
    return len(name.encode("utf-8")) <= 63  # PostgreSQL's limit; MySQL's is 64 characters


def build_views(
    catalog: Catalog,
    dialect: str,
    table: str | PurePath,
    *,
    unit: str = "unit",
    period: str = "period",
    columns: Collection[str] | None = None,
    prefix: str = "iku",
    exact: Collection[str] = (),
) -> ViewSet:
    """The views of ``catalog`` on ``table`` (see the module's docstring).

    ``exact``: columns already of an exact type whose sums and maximum the engine computes
    exactly and that fit the stored type (DuckDB's integers, a DECIMAL of scale at most
    the stored type's): they are combined over periods in their own type and converted
    once per unit, not once per row (on DuckDB, 128-bit decimals per row cost most).
    """
    if dialect not in DIALECTS:
        raise InputError(
            f"no SQL dialect {dialect!r}: choose one of {', '.join(DIALECTS)}", inputs=[]
        )
    engine = DIALECTS[dialect]
    available = set(catalog.inputs) if columns is None else set(columns)
    inputs = tuple(name for name in catalog.inputs if name in available)
    rolled = tuple(
        name
        for name in inputs
        if catalog.inputs[name].weight is None or catalog.inputs[name].weight in available
    )
    for name in (unit, period, prefix, *inputs):
        if not _fits(name) or not name:
            raise InputError(f"the name {name[:40]!r} is too long for a SQL identifier", inputs=[])
    indicators = tuple(i for i in catalog.indicators if all(n in available for n in i.inputs))
    at_kanwil = tuple(i for i in indicators if all(n in rolled for n in i.inputs))
    names = {view: f"{prefix}_{view}" for view in VIEWS}
    positions = {name: position for position, name in enumerate(catalog.inputs, 1)}
    builder = _Builder(catalog, engine, unit, period, positions, frozenset(exact))
    selects = {
        "rows": builder.rows(source_of(table, engine), inputs, indicators),
        "unit_inputs": builder.unit_inputs(source_of(table, engine), rolled),
        "units": builder.units(names["unit_inputs"], at_kanwil),
        "kanwil_inputs": builder.kanwil_inputs(names["unit_inputs"], rolled),
        "kanwil": builder.kanwil(names, at_kanwil),
    }
    return ViewSet(engine, names, selects, tuple(i.number for i in at_kanwil), rolled)


@attrs.frozen
class _Builder:
    catalog: Catalog
    dialect: Dialect
    unit: str
    period: str
    positions: Mapping[str, int]
    exact: frozenset[str] = frozenset()

    def reported(self, name: str) -> str:
        return f"reported_{self.positions[name]}"

    # --- each indicator, in two steps: its parts and reasons, then capaian and status

    def formulas(self, indicator: Indicator, source: str, masked: bool = True) -> dict[str, Any]:
        """Step 1 over the inputs of ``source``: ``p{k}_N`` (each part), ``r{k}_N`` (its
        reason) and ``m_N`` (the first missing input)."""
        computed = self.dialect.computed_type()
        columns = {
            name: exp.Cast(this=_column(name, source), to=computed.copy())
            for name in indicator.inputs
        }
        absent = [is_null(_column(name, source)) for name in indicator.inputs]
        missing = first_reason(
            [
                when(condition, sql_text(missing_input(name)))
                for condition, name in zip(absent, indicator.inputs, strict=True)
            ]
        )
        out: dict[str, Any] = {}
        formulas = (indicator.formula, *indicator.part_formulas)
        for k, formula in enumerate(formulas):
            part = compile_formula(formula, columns, indicator.undefined_parts, computed)
            value = part.value
            if masked and absent:
                value = when(exp.or_(*absent, copy=False), exp.Null(), value)
            out[f"p{k}_{indicator.number}"] = value
            out[f"r{k}_{indicator.number}"] = exp.Null() if part.reason is None else part.reason
        out[f"m_{indicator.number}"] = exp.Null() if missing is None else missing
        return out

    def outcomes(self, indicator: Indicator, source: str) -> list[Any]:
        """Step 2: realisasi, capaian, status and reason from step 1's columns in ``source``."""
        n = indicator.number
        parts = [_column(f"p{k}_{n}", source) for k in range(len(indicator.target.parts))]
        achievements = [
            self.achievement(indicator, value, part.value)
            for value, part in zip(parts, indicator.target.parts, strict=True)
        ]
        achievement = achievements[0]
        for other in achievements[1:]:
            achievement = when(
                exp.or_(is_null(achievement), is_null(other)),
                exp.Null(),
                when(exp.LTE(this=achievement, expression=other), achievement, other),
            )
        met = [
            (exp.GTE if indicator.polarity is Polarity.MAXIMIZE else exp.LTE)(
                this=value, expression=sql_number(part.value)
            )
            for value, part in zip(parts, indicator.target.parts, strict=True)
        ]
        status = exp.Case(
            ifs=[
                exp.If(
                    this=exp.or_(*(is_null(v) for v in parts), copy=False),
                    true=sql_text(Status.UNDEFINED.value),
                ),
                exp.If(this=exp.and_(*met, copy=False), true=sql_text(Status.MET.value)),
            ],
            default=sql_text(Status.NOT_MET.value),
        )
        reasons: list[Any] = [_column(f"m_{n}", source)]
        for k, (value, part) in enumerate(zip(parts, indicator.target.parts, strict=True)):
            reasons.append(_column(f"r{k}_{n}", source))
            if part.value == 0:
                reasons.append(when(not_null(value), sql_text(target_is_zero())))
            elif self.inverse(indicator):
                zero = exp.EQ(this=value, expression=sql_number(0))
                reasons.append(when(zero, sql_text(realisasi_is_zero())))
        realisasi, capaian, state, reason = output_columns(n)
        columns = [
            _alias(parts[0], realisasi),
            _alias(achievement, capaian),
            _alias(status, state),
            _alias(first_reason(reasons), reason),
        ]
        scale = indicator.predikat
        if scale is not None:
            basis = parts[0] if scale.basis is Basis.REALISASI else achievement.copy()
            columns.append(_alias(self.predikat(scale, basis), predikat_column(n)))
        return columns

    @staticmethod
    def inverse(indicator: Indicator) -> bool:
        """Whether capaian is target / realisasi (lower is better, the catalog's choice)."""
        return (
            indicator.polarity is Polarity.MINIMIZE
            and indicator.achievement_rule.minimize is LowerIsBetter.INVERSE_RATIO
        )

    @staticmethod
    def predikat(scale: PredikatScale, value: Any) -> Any:
        """The code of the band holding ``value`` (:meth:`PredikatScale.classify`: each band
        ``[lower, upper)``, the top of a bounded scale closed), NULL outside the scale."""
        ifs = []
        top = scale.bands[-1]
        if top.upper is not None:
            ifs.append(
                exp.If(
                    this=exp.EQ(this=value, expression=sql_number(top.upper)),
                    true=sql_text(top.code),
                )
            )
        for band in scale.bands:
            bounds: list[Any] = [exp.true()]
            if band.lower is not None:
                bounds.append(exp.GTE(this=value, expression=sql_number(band.lower)))
            if band.upper is not None:
                bounds.append(exp.LT(this=value, expression=sql_number(band.upper)))
            ifs.append(exp.If(this=exp.and_(*bounds, copy=False), true=sql_text(band.code)))
        return exp.Case(ifs=ifs)

    def achievement(self, indicator: Indicator, value: Any, target: Any) -> Any:
        """Capaian of one part (:meth:`AchievementRule.achievement`), NULL for a target of 0."""
        if target == 0:
            return exp.Null()
        rule = indicator.achievement_rule
        if indicator.polarity is Polarity.MAXIMIZE:
            result = sql_divide(sql_multiply(value, sql_number(100)), sql_number(target))
        elif rule.minimize is LowerIsBetter.TWO_MINUS_RATIO:
            falling = sql_subtract(sql_number(2), sql_divide(value, sql_number(target)))
            raw = sql_multiply(falling, sql_number(100))
            result = when(exp.LT(this=raw, expression=sql_number(0)), sql_number(0), raw)
        else:
            assert rule.minimize is LowerIsBetter.INVERSE_RATIO  # every member of the enum
            hundredfold = exp.Cast(this=sql_number(target * 100), to=self.dialect.computed_type())
            result = sql_divide(hundredfold, value)  # in the exact type, not as integers
        if rule.cap is not None:
            cap = sql_number(rule.cap)
            result = when(exp.GT(this=result, expression=cap), cap, result)
        return result

    def evaluated(
        self, source: Any, keys: Sequence[str], indicators: Sequence[Indicator]
    ) -> exp.Select:
        """Step 1 over ``source`` (aliased ``s``), then step 2 (aliased ``f``)."""
        step1 = exp.select(*(_column(key, "s") for key in keys)).from_(source)
        for indicator in indicators:
            step1 = step1.select(
                *(_alias(v, k) for k, v in self.formulas(indicator, "s").items()), copy=False
            )
        return self.finish(step1, keys, indicators)

    def finish(
        self, step1: exp.Select, keys: Sequence[str], indicators: Sequence[Indicator]
    ) -> exp.Select:
        final = exp.select(*(_column(key, "f") for key in keys)).from_(
            exp.Subquery(this=step1, alias=exp.TableAlias(this=exp.to_identifier("f")))
        )
        for indicator in indicators:
            final = final.select(*self.outcomes(indicator, "f"), copy=False)
        return final

    # --- the views

    def rows(
        self, table: exp.Table, inputs: Sequence[str], indicators: Sequence[Indicator]
    ) -> exp.Select:
        source = table.as_("s", quoted=False)
        return self.evaluated(source, [self.unit, self.period], indicators)

    def unit_inputs(self, table: exp.Table, inputs: Sequence[str]) -> exp.Select:
        """Each unit's inputs over time, and how many of its rows give each."""
        stored = self.dialect.stored_type()
        select = exp.select(_column(self.unit, "t")).from_(table.as_("t", quoted=False))
        joined = self.dialect.last_value is None
        if joined and any(self.catalog.inputs[name].over_time is TimeRule.LAST for name in inputs):
            # each unit's last period, joined back (an aggregate and a hash join: no window
            # over all the rows, so a table larger than memory streams)
            last = (
                exp.select(
                    _column(self.unit), _alias(exp.Max(this=_column(self.period)), "last_period")
                )
                .from_(table.copy())
                .group_by(_column(self.unit), copy=False)
            )
            select = select.join(
                exp.Subquery(this=last, alias=exp.TableAlias(this=exp.to_identifier("l"))),
                on=exp.NullSafeEQ(this=_column(self.unit, "t"), expression=_column(self.unit, "l")),
                copy=False,
            )
        everything = exp.Count(this=exp.Star())
        for name in inputs:
            native = name in self.exact  # converted once per unit, else once per row
            value = (
                _column(name, "t")
                if native
                else exp.Cast(this=_column(name, "t"), to=stored.copy())
            )
            given = exp.Count(this=_column(name, "t"))
            complete = exp.EQ(this=given, expression=everything.copy())
            rule = self.catalog.inputs[name].over_time
            total = _stored(exp.Sum(this=value), stored, native)
            if rule is TimeRule.SUM:
                figure = when(complete, total)
            elif rule is TimeRule.MEAN:
                figure = when(complete, sql_divide(total, everything.copy()))
            elif joined:
                at_last = exp.EQ(
                    this=_column(self.period, "t"), expression=_column("last_period", "l")
                )
                figure = _stored(exp.Max(this=when(at_last, value)), stored, native)
            else:
                assert self.dialect.last_value is not None
                last_value = exp.Anonymous(
                    this=self.dialect.last_value, expressions=[value, _column(self.period, "t")]
                )
                figure = _stored(last_value, stored, native)
            assert rule in rules.OVER_TIME  # every rule of the specification is here
            select = select.select(
                _alias(figure, name), _alias(given, self.reported(name)), copy=False
            )
        return select.group_by(_column(self.unit, "t"), copy=False)

    def units(self, unit_inputs: str, indicators: Sequence[Indicator]) -> exp.Select:
        source = _table(unit_inputs).as_("s", quoted=False)
        return self.evaluated(source, [self.unit], indicators)

    def kanwil_inputs(self, unit_inputs: str, inputs: Sequence[str]) -> exp.Select:
        """The inputs over units, the silent units (reporting none of their rows) left out."""
        select = exp.select().from_(_table(unit_inputs).as_("u", quoted=False))
        for name in inputs:
            select = select.select(
                _alias(self.over_units(self.catalog.inputs[name]), name), copy=False
            )
        return select

    def over_units(self, spec: Input) -> Any:
        value = _column(spec.name, "u")
        reports = exp.GT(this=_column(self.reported(spec.name), "u"), expression=sql_number(0))
        reporting = _count(reports)
        nobody = exp.EQ(this=reporting, expression=sql_number(0))
        rule = spec.over_units
        if rule is UnitRule.WEIGHTED_MEAN:
            assert spec.weight is not None  # Input checks it
            weight = _column(spec.weight, "u")
            counts = exp.and_(reports, exp.NEQ(this=weight, expression=sql_number(0)), copy=False)
            missing = exp.and_(
                reports, exp.or_(is_null(weight), exp.and_(counts, is_null(value), copy=False))
            )
            computed = self.dialect.computed_type()
            product = sql_multiply(
                exp.Cast(this=value, to=computed.copy()), exp.Cast(this=weight, to=computed.copy())
            )
            numerator = exp.Sum(this=when(counts, product, sql_number(0)))
            weights = exp.Sum(this=when(reports, weight, sql_number(0)))
            return exp.Case(
                ifs=[
                    exp.If(
                        this=exp.GT(this=_count(missing), expression=sql_number(0)), true=exp.Null()
                    ),
                    exp.If(this=exp.EQ(this=weights, expression=sql_number(0)), true=exp.Null()),
                ],
                default=sql_divide(numerator, weights.copy()),
            )
        gap = exp.GT(
            this=_count(exp.and_(reports, is_null(value), copy=False)), expression=sql_number(0)
        )
        total = exp.Sum(this=when(reports, value))
        figure = total if rule is UnitRule.SUM else sql_divide(total, reporting.copy())
        assert rule in rules.OVER_UNITS
        return exp.Case(
            ifs=[exp.If(this=nobody, true=exp.Null()), exp.If(this=gap, true=exp.Null())],
            default=figure,
        )

    def kanwil(self, names: Mapping[str, str], indicators: Sequence[Indicator]) -> exp.Select:
        """The indicators of the Kantor Wilayah: on the inputs over units, or the mean over
        units of each unit's realisasi (``mean_of_units``)."""
        on_inputs = [i for i in indicators if i.roll_up is RollUp.INPUTS]
        averaged = [i for i in indicators if i.roll_up is RollUp.MEAN_OF_UNITS]
        assert len(on_inputs) + len(averaged) == len(indicators)  # the rules.ROLL_UPS table
        source: Any = _table(names["kanwil_inputs"]).as_("s", quoted=False)
        step1 = exp.select().from_(source)
        for indicator in on_inputs:
            step1 = step1.select(
                *(_alias(v, k) for k, v in self.formulas(indicator, "s").items()), copy=False
            )
        if averaged:
            means = self.means_of_units(names["unit_inputs"], averaged)
            step1 = step1.join(
                exp.Subquery(this=means, alias=exp.TableAlias(this=exp.to_identifier("a"))),
                join_type="CROSS",
            )
            for indicator in averaged:
                parts = len(indicator.target.parts)
                step1 = step1.select(
                    *(
                        _column(f"{kind}{k}_{indicator.number}", "a")
                        for kind in ("p", "r")
                        for k in range(parts)
                    ),
                    _column(f"m_{indicator.number}", "a"),
                    copy=False,
                )
        if not indicators:
            step1 = step1.select(exp.Null().as_("nothing"), copy=False)
        ordered = sorted(indicators, key=lambda i: self.catalog.indicators.index(i))
        return self.finish(step1, [], ordered)

    def means_of_units(self, unit_inputs: str, indicators: Sequence[Indicator]) -> exp.Select:
        """Step 1 of ``mean_of_units`` indicators: each part's mean over the units where it
        is defined, as :data:`iku_formula.rollup.frames.ROLL_UPS` computes it."""
        per_unit = exp.select(exp.Star()).from_(_table(unit_inputs).as_("s", quoted=False))
        for indicator in indicators:
            formulas = self.formulas(indicator, "s")
            per_unit = per_unit.select(
                *(_alias(v, k) for k, v in formulas.items() if not k.startswith("m_")),
                copy=False,
            )
        select = exp.select().from_(
            exp.Subquery(this=per_unit, alias=exp.TableAlias(this=exp.to_identifier("u")))
        )
        for indicator in indicators:
            select = select.select(*self.mean_of_units(indicator), copy=False)
        return select

    def mean_of_units(self, indicator: Indicator) -> list[Any]:
        n = indicator.number
        zero = sql_number(0)
        left_out = exp.or_(
            *(
                exp.EQ(this=_column(self.reported(name), "u"), expression=zero.copy())
                for name in indicator.inputs
            )
        )
        counted = exp.Not(this=exp.Paren(this=left_out))
        absent = exp.and_(counted, exp.or_(*(is_null(_column(x, "u")) for x in indicator.inputs)))
        units = _count(counted)
        group_absent = exp.or_(
            exp.GT(this=_count(absent), expression=zero.copy()),
            exp.EQ(this=units, expression=zero.copy()),
        )
        skip = indicator.undefined_parts is UndefinedParts.SKIP
        out: list[exp.Alias] = []
        for k in range(len(indicator.target.parts)):
            value = _column(f"p{k}_{n}", "u")
            defined = exp.and_(not_null(value), counted.copy())
            undefined = exp.and_(
                is_null(value), counted.copy(), exp.Not(this=exp.Paren(this=absent))
            )
            defined_units = _count(defined)
            undefined_units = _count(undefined)
            undefined_group: Any
            if skip:
                undefined_group = exp.EQ(this=defined_units, expression=zero.copy())
            else:
                undefined_group = exp.GT(this=undefined_units, expression=zero.copy())
            mean = sql_divide(exp.Sum(this=when(defined, value)), defined_units.copy())
            out.append(
                _alias(
                    when(exp.or_(group_absent, undefined_group, copy=False), exp.Null(), mean),
                    f"p{k}_{n}",
                )
            )
            text = self.undefined_units_text(undefined_units.copy(), units.copy())
            reason = when(
                exp.and_(undefined_group.copy(), exp.Not(this=exp.Paren(this=group_absent))), text
            )
            out.append(_alias(reason, f"r{k}_{n}"))
        first = [
            when(
                exp.EQ(this=units.copy(), expression=zero.copy()),
                sql_text(rules.no_unit_reports_reason(indicator.inputs)),
            )
        ]
        for name in indicator.inputs:
            missing_here = exp.and_(is_null(_column(name, "u")), counted.copy())
            first.append(
                when(
                    exp.GT(this=_count(missing_here), expression=zero.copy()),
                    sql_text(rules.missing_in_a_unit_reason(name)),
                )
            )
        out.append(_alias(first_reason(first), f"m_{n}"))
        return out

    def undefined_units_text(self, undefined: Any, units: Any) -> Any:
        """:func:`rules.undefined_units_reason` with its two numbers counted in SQL."""
        marks = ("\x00", "\x01")
        wording = rules.undefined_units_reason(*marks)  # type: ignore[arg-type]
        before, rest = wording.split(marks[0])
        middle, after = rest.split(marks[1])
        text = exp.DataType.build("TEXT", dialect=self.dialect.sqlglot)
        pieces = [
            sql_text(before),
            exp.Cast(this=exp.Cast(this=undefined, to=exp.DataType.build("BIGINT")), to=text),
            sql_text(middle),
            exp.Cast(this=exp.Cast(this=units, to=exp.DataType.build("BIGINT")), to=text.copy()),
            sql_text(after),
        ]
        return exp.Concat(expressions=pieces, safe=True)
