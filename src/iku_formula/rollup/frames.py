"""The vectorised roll-up engine: realised values in a DataFrame combined with floats.

A frame of realised values has one row per work unit (``unit``) and triwulan
(``period``), optionally split further by other key columns (``by``), and one
column per input. :func:`aggregate` combines the inputs over time (per unit; with
``to_date``, every triwulan from triwulan I up to it), over units, or both, time
first; :func:`roll_up` evaluates each indicator by its ``roll_up`` on the result
(the formula on the combined inputs, or the mean of per-unit realisasi).

The rules, what is missing and what is left out, are those of
:mod:`iku_formula.rollup.rules`, stated there once; the exact engine
(:func:`iku_formula.rollup.exact.roll_up_rows`, for sheets and the CLI) executes them
too, and a property test holds the two equal. :data:`OVER_TIME`, :data:`OVER_UNITS`
and :data:`ROLL_UPS` hold this engine's implementation of each rule. Periods are read
by the one period grammar of the sheets (see :func:`period_order`).
"""

from __future__ import annotations

__all__ = ["OVER", "OVER_TIME", "OVER_UNITS", "ROLL_UPS", "aggregate", "period_order", "roll_up"]

import difflib
import reprlib
import warnings
from collections.abc import Callable, Hashable, Mapping, Sequence
from functools import cached_property
from typing import TYPE_CHECKING, Any, Literal

import attrs
import numpy as np
import pandas as pd

from ..engines.frames import (
    Array,
    FrameResults,
    InputCheck,
    Sparse,
    assemble_reasons,
    check_layout,
    results_for,
)
from ..errors import InputError
from ..model import RollUp, TimeRule, UndefinedParts, UnitRule
from ..periods import Period
from . import rules
from .frame_periods import period_order, rows_up_to

if TYPE_CHECKING:
    from ..catalog.registry import Catalog
    from ..model import Indicator

Over = Literal["time", "units", "both"]
OVER: tuple[str, ...] = ("time", "units", "both")
"""What :func:`aggregate` combines: the periods, the units, or both (time first)."""


# --- the working table: key columns beside float input arrays -------------------------------


@attrs.frozen
class _Table:
    keys: Any
    """The key columns (a DataFrame with a RangeIndex), one row per row of the values."""
    values: dict[str, Array]
    """Input name -> float array (NaN = missing)."""
    silent: dict[str, Array] = attrs.field(factory=dict)
    """Input name -> bool array: the row's unit gives this input in none of its rows.

    Only inputs with such a unit are listed; the units step leaves those rows out.
    """
    groups: tuple[Array, Any] | None = None
    """The rows grouped by every key but the period (see :func:`_groups`), when known."""
    totals: dict[str, Array] | None = None
    """Each input already combined over time per group (see :func:`_checked_totals`)."""

    def __len__(self) -> int:
        return len(self.keys)

    def index(self) -> Any:
        """The key columns as an index: the rows' labels in the result frames."""
        columns = list(self.keys.columns)
        if not columns:
            return pd.RangeIndex(len(self.keys))
        if len(columns) == 1:
            return pd.Index(self.keys[columns[0]], name=columns[0])
        return pd.MultiIndex.from_frame(self.keys)

    def frame(self) -> Any:
        return pd.DataFrame(self.values, index=self.index(), dtype=np.float64)


def _groups(keys: Any, names: Sequence[Hashable]) -> tuple[Array, Any]:
    """Group codes of the rows (0..G-1 in sorted key order) and the groups' key values."""
    if not names:
        count = 1 if len(keys) else 0
        return np.zeros(len(keys), dtype=np.intp), pd.DataFrame(index=pd.RangeIndex(count))
    if len(names) == 1:
        runs = _sorted_runs(keys[names[0]])
        if runs is not None:
            return runs
    grouped = keys.groupby(list(names), sort=True, dropna=False, observed=True)
    codes = grouped.ngroup().to_numpy(dtype=np.intp)
    uniques = grouped.size().index.to_frame(index=False)
    return codes, uniques


def _sorted_runs(column: Any) -> tuple[Array, Any] | None:
    """:func:`_groups` of one key column whose rows come in runs of one key each, the runs
    in increasing key order (the usual layout: a table sorted by unit), or None.

    Comparing each key with the one before finds the runs; no hash table over every label
    (half of ``aggregate``'s time on a million rows of text units). Only text (pandas'
    string dtype) and numbers without a missing key: anything else takes the general path.
    """
    if len(column) < 2 or column.hasnans:
        return None
    dtype = column.dtype
    if not (isinstance(dtype, pd.StringDtype) or pd.api.types.is_numeric_dtype(dtype)):
        return None
    if pd.api.types.is_bool_dtype(dtype) or isinstance(dtype, pd.CategoricalDtype):
        return None
    values = column.array
    changes = np.asarray(values[1:] != values[:-1], dtype=bool)
    starts = np.flatnonzero(np.append(True, changes))
    heads = column.iloc[starts].reset_index(drop=True)
    if len(heads) > 1 and not bool(np.all(np.asarray(heads.array[1:] > heads.array[:-1]))):
        return None  # a key comes back later, or the runs are not in key order
    lengths = np.diff(np.append(starts, len(column)))
    codes = np.repeat(np.arange(len(starts), dtype=np.intp), lengths)
    return codes, heads.to_frame(name=column.name)


@attrs.frozen
class _Grouping:
    """Rows numbered by group (codes 0..count-1, every code used), with fast sums per group.

    ``np.bincount`` adds any layout, one row after another; rows that come grouped
    (the usual case: a frame sorted by its keys) are added faster, as slices.
    """

    codes: Array
    count: int

    @cached_property
    def sizes(self) -> Array:
        """Rows per group."""
        sizes: Array = np.bincount(self.codes, minlength=self.count)
        return sizes

    @cached_property
    def starts(self) -> Array | None:
        """First row of each group when every group's rows are consecutive, in code order."""
        codes = self.codes
        if not len(codes) or not bool(np.all(codes[1:] >= codes[:-1])):
            return None
        starts: Array = np.flatnonzero(np.append(True, codes[1:] != codes[:-1]))
        return starts if len(starts) == self.count else None

    @cached_property
    def width(self) -> int | None:
        """The number of rows of every group, when they are consecutive and all alike."""
        if self.starts is None or len(self.codes) != self.count * (len(self.codes) // self.count):
            return None
        width = len(self.codes) // self.count
        return width if bool(np.all(np.diff(self.starts) == width)) else None

    def sum(self, values: Array) -> Array:
        """Sum per group; NaN where a group has a missing value (NaN carries through a sum)."""
        width = self.width
        if width is not None and width <= 8:
            total = np.empty(self.count)
            _add_strided(values, width, total)
            return total
        if self.starts is not None:
            return np.add.reduceat(values, self.starts)
        summed: Array = np.bincount(self.codes, weights=values, minlength=self.count)
        return summed


def _add_strided(values: Array, width: int, out: Array) -> None:
    """``out[g]`` = the sum of ``values[g * width : (g + 1) * width]``, added in row order."""
    np.copyto(out, values[0::width])
    for offset in range(1, width):
        out += values[offset::width]


# --- preparing the frame -----------------------------------------------------------------------


def _hashable(value: object) -> bool:
    """Whether ``value`` can be a column name or a key (a list, a set, a dict cannot)."""
    try:
        hash(value)
    except TypeError:
        return False
    return True


@attrs.frozen
class _Spec:
    """The arguments of an aggregation, checked."""

    unit: Hashable | None
    period: Hashable | None
    by: tuple[Hashable, ...]
    time: bool
    units: bool
    to_date: bool

    @classmethod
    def check(
        cls,
        unit: Hashable | None,
        period: Hashable | None,
        by: Sequence[Hashable] | Hashable,
        over: str,
        to_date: bool,
    ) -> _Spec:
        """The arguments checked: InputError naming the first that is wrong."""
        if not isinstance(over, str) or over not in OVER:
            shown = repr(over)[:40] if isinstance(over, str) else type(over).__name__
            raise InputError(
                f"over must be one of {', '.join(map(repr, OVER))}, got {shown}", inputs=[]
            )
        if not isinstance(to_date, bool | np.bool_):
            raise InputError(f"to_date must be True or False, got {type(to_date).__name__}")
        keys = tuple(by) if isinstance(by, list | tuple) else (by,)
        for argument, key in [("unit", unit), ("period", period), *(("by", k) for k in keys)]:
            if not _hashable(key):
                raise InputError(
                    f"{argument}= names a column (its name, or None), got {type(key).__name__}",
                    inputs=[],
                )
        time, units = over in ("time", "both"), over in ("units", "both")
        if time and period is None:
            raise InputError(f"over={over!r} combines periods, so give the period column")
        if units and unit is None:
            raise InputError(f"over={over!r} combines units, so give the unit column")
        if to_date and not time:
            raise InputError("to_date needs over='time' or over='both'")
        if (unit is not None and unit in keys) or (period is not None and period in keys):
            raise InputError("by= lists the key columns besides unit= and period=")
        return cls(unit, period, keys, time, units, bool(to_date))

    @property
    def keys(self) -> list[Hashable]:
        return [*self.by, *(k for k in (self.unit, self.period) if k is not None)]


def _prepare(catalog: Catalog, frame: Any, spec: _Spec) -> _Table:
    if not isinstance(frame, pd.DataFrame):
        raise InputError(f"expected a pandas DataFrame, got {type(frame).__name__}")
    keys = spec.keys
    absent = [key for key in keys if key not in frame.columns]
    if absent:
        hint = ""
        if absent[0] in (spec.unit, spec.period):
            which = "unit" if absent[0] == spec.unit else "period"
            hint = f"; name the {which} column with {which}=, or pass {which}=None"
        raise InputError(f"the frame has no column {absent[0]!r}{hint}")
    for name in frame.columns:
        if name in keys or (isinstance(name, str) and name in catalog.inputs):
            continue
        close = difflib.get_close_matches(str(name), list(catalog.inputs), n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise InputError(
            f"column {name!r}{hint} is neither an input of the catalog nor a key column; "
            "name it in by= or drop it",
            inputs=[str(name)],
        )
    for key in keys:
        _check_key_cells(frame, key)
    check = InputCheck(catalog, frame)  # the values are checked below, while they are read
    arrays = check.arrays
    columns = {
        key: period_order(frame[key]) if key == spec.period else frame[key].array for key in keys
    }
    key_frame = pd.DataFrame(columns, index=pd.RangeIndex(len(frame)))
    groups = _groups(key_frame, [key for key in keys if key != spec.period])
    periods = None if spec.period is None else key_frame[spec.period].cat.codes.to_numpy()
    if keys and _may_repeat(groups[0], len(groups[1]), periods):
        duplicated = key_frame.duplicated().to_numpy()
        if duplicated.any():
            row = int(np.flatnonzero(duplicated)[0])
            shown = ", ".join(f"{key} = {key_frame[key].iloc[row]!r}" for key in keys)
            raise InputError(
                f"row {frame.index[row]!r} repeats {shown}; give each combination of "
                f"{', '.join(map(str, keys))} one row"
            )
    totals = None
    if spec.time and not spec.to_date and periods is not None:
        grouping = _Grouping(groups[0], len(groups[1]))
        if grouping.width is not None and _in_time_order(grouping.codes, periods):
            totals = _checked_totals(catalog, check, grouping.width)
    if totals is None:
        check.everything()
    complete = check.settle()
    gaps = {name: column for name, column in arrays.items() if name not in complete}
    return _Table(key_frame, arrays, _silent(gaps, groups, spec), groups, totals)


_PLAIN_KEYS = {"string", "empty", "integer", "floating", "mixed-integer-float", "decimal"}
"""What ``pd.api.types.infer_dtype`` calls a column whose every cell can be a key."""


def _check_key_cells(frame: Any, key: Hashable) -> None:
    """InputError naming the first row whose ``key`` cell cannot be a key (a list, a dict)."""
    column = frame[key]
    if not pd.api.types.is_object_dtype(column.dtype):
        return
    cells = column.to_numpy()
    if pd.api.types.infer_dtype(cells, skipna=True) in _PLAIN_KEYS:  # one pass, in C
        return
    for row, cell in enumerate(cells):
        if not _hashable(cell):
            raise InputError(
                f"row {frame.index[row]!r}: column {key!r} holds {reprlib.repr(cell)}; "
                "a unit, a period or a key is text or a number"
            )


CHUNK_GROUPS = 1 << 14
"""Groups combined at a time by :func:`_checked_totals` (a cache-sized chunk of a column)."""


def _checked_totals(catalog: Catalog, check: InputCheck, width: int) -> dict[str, Array]:
    """Each input combined over time, for rows in groups of ``width`` in time order.

    One pass over each column, a cache-sized chunk at a time: the quick check of
    the chunk, then its groups' sums (or last values), as :meth:`_Grouping.sum`
    adds them. The common layout (every unit gives every triwulan, rows sorted),
    where reading the values from memory is what takes the time.
    """
    step = width * CHUNK_GROUPS

    def combine(name: str, scratch: Array) -> Array:
        values = check.arrays[name]
        strided = OVER_TIME[catalog.inputs[name].over_time].strided
        total = np.empty(len(values) // width)
        for start in range(0, len(values), step):
            stop = min(start + step, len(values))
            check.column(name, start, stop, scratch)
            strided(values[start:stop], width, total[start // width : stop // width])
        return total

    # One thread: reading the values from memory sets the pace, which a second thread
    # barely speeds up (measured: 178 ms against 174 ms on a million rows, two cores).
    scratch = np.empty(step)
    return {name: combine(name, scratch) for name in check.arrays}


def _may_repeat(codes: Array, count: int, periods: Array | None) -> bool:
    """False when no two rows share a group and a period, found by counting; True: look closer.

    Counting integer codes is much cheaper than comparing the key columns themselves.
    """
    if periods is None:
        pairs, size = codes, count
    else:
        if len(periods) and periods.min() < 0:
            return True  # a missing period: let the key columns decide
        width = int(periods.max()) + 1 if len(periods) else 1
        pairs, size = codes * width + periods, count * width
    if size > 4 * len(pairs) + 1024:
        return True  # too sparse to count cheaply
    return bool(len(pairs)) and int(np.bincount(pairs, minlength=size).max()) > 1


def _silent(gaps: Mapping[str, Array], groups: tuple[Array, Any], spec: _Spec) -> dict[str, Array]:
    """Per input, the rows whose unit leaves it empty in every row (it does not report it).

    ``gaps`` holds the columns that may have a missing value (the others have none).
    """
    if spec.unit is None or not spec.units:
        return {}
    codes, uniques = groups
    count = len(uniques)
    silent: dict[str, Array] = {}
    for name, column in gaps.items():
        missing = np.isnan(column)
        if not missing.any():
            continue
        reported = np.bincount(codes, weights=~missing, minlength=count) > 0
        if not reported.all():
            silent[name] = ~reported[codes]
    return silent


# --- combining over time and over units ----------------------------------------------------


def _over_time(catalog: Catalog, table: _Table, spec: _Spec) -> _Table:
    names = [key for key in table.keys.columns if key != spec.period]
    codes, uniques = table.groups if table.groups is not None else _groups(table.keys, names)
    if table.totals is not None:  # combined already, in one pass with the check
        width = len(table) // len(uniques)  # every group: as many rows, in time order
        silent = {name: rows[width - 1 :: width] for name, rows in table.silent.items()}
        return _Table(uniques, dict(table.totals), silent)
    order = table.keys[spec.period].cat.codes.to_numpy()
    sort = None if _in_time_order(codes, order) else np.lexsort((order, codes))
    if sort is not None:
        codes = codes[sort]
    if spec.to_date:
        values = {
            name: OVER_TIME[catalog.inputs[name].over_time].to_date(
                column if sort is None else column[sort], codes
            )
            for name, column in table.values.items()
        }
        if sort is None:
            return _Table(table.keys, values, dict(table.silent))
        silent = {name: rows[sort] for name, rows in table.silent.items()}
        return _Table(table.keys.iloc[sort].reset_index(drop=True), values, silent)
    grouping = _Grouping(codes, len(uniques))
    last = np.flatnonzero(np.append(codes[1:] != codes[:-1], True)) if len(codes) else codes
    rows = _TimeRows(grouping, sort, last if sort is None else sort[last])
    values = {
        name: OVER_TIME[catalog.inputs[name].over_time].grouped(column, rows)
        for name, column in table.values.items()
    }
    silent = {name: found[rows.last] for name, found in table.silent.items()}
    return _Table(uniques, values, silent)


def _in_time_order(codes: Array, order: Array) -> bool:
    """Whether the rows come by group and, within a group, by period (then nothing moves)."""
    if len(codes) < 2:
        return True
    step = np.diff(codes)
    return bool(np.all((step > 0) | ((step == 0) & (np.diff(order) > 0))))


@attrs.frozen
class _TimeRows:
    """Rows grouped (by unit and the ``by`` keys) for combining over time."""

    grouping: _Grouping
    """The groups, numbered in the rows' time order."""
    sort: Array | None
    """The rows' time order (None: the rows come in it)."""
    last: Array
    """Each group's latest row, in the table's order."""

    def in_time(self, column: Array) -> Array:
        return column if self.sort is None else column[self.sort]


@attrs.frozen
class _OverTime:
    """One rule over time, for each layout of the rows it meets."""

    strided: Callable[[Array, int, Array], None]
    """Rows in groups of ``width`` consecutive rows in time order -> ``out``, one per group."""
    grouped: Callable[[Array, _TimeRows], Array]
    """Any rows -> one figure per group."""
    to_date: Callable[[Array, Array], Array]
    """Rows sorted in time, with their group codes -> each row's figure up to its period."""


def _last_strided(values: Array, width: int, out: Array) -> None:
    np.copyto(out, values[width - 1 :: width])


def _mean_strided(values: Array, width: int, out: Array) -> None:
    _add_strided(values, width, out)
    out /= width


def _sum_grouped(column: Array, rows: _TimeRows) -> Array:
    return rows.grouping.sum(rows.in_time(column))


def _last_grouped(column: Array, rows: _TimeRows) -> Array:
    last: Array = column[rows.last]
    return last


def _mean_grouped(column: Array, rows: _TimeRows) -> Array:
    mean: Array = _sum_grouped(column, rows) / rows.grouping.sizes
    return mean


def _sum_to_date(column: Array, codes: Array) -> Array:
    """Each row's sum from the group's first period up to its own; missing after a gap."""
    missing = pd.Series(np.isnan(column)).groupby(codes).cummax().to_numpy(dtype=bool)
    total = pd.Series(np.where(np.isnan(column), 0.0, column)).groupby(codes).cumsum()
    return np.where(missing, np.nan, total.to_numpy(dtype=np.float64))


def _last_to_date(column: Array, codes: Array) -> Array:
    return column


def _mean_to_date(column: Array, codes: Array) -> Array:
    count = pd.Series(codes).groupby(codes).cumcount().to_numpy() + 1
    mean: Array = _sum_to_date(column, codes) / count
    return mean


OVER_TIME: Mapping[TimeRule, _OverTime] = {
    TimeRule.SUM: _OverTime(_add_strided, _sum_grouped, _sum_to_date),
    TimeRule.LAST: _OverTime(_last_strided, _last_grouped, _last_to_date),
    TimeRule.MEAN: _OverTime(_mean_strided, _mean_grouped, _mean_to_date),
}
"""Each rule over time (:data:`iku_formula.rollup.rules.OVER_TIME`), vectorised."""


def _sum_over_units(
    column: Array, grouping: _Grouping, silent: Array | None, weights: Array | None
) -> Array:
    if silent is None:
        return grouping.sum(column)
    reporting = grouping.sum((~silent).astype(np.float64))
    return np.where(reporting == 0, np.nan, grouping.sum(np.where(silent, 0.0, column)))


def _mean_over_units(
    column: Array, grouping: _Grouping, silent: Array | None, weights: Array | None
) -> Array:
    if silent is None:
        mean: Array = grouping.sum(column) / grouping.sizes
        return mean
    reporting = grouping.sum((~silent).astype(np.float64))
    with np.errstate(all="ignore"):
        mean = grouping.sum(np.where(silent, 0.0, column)) / reporting
    return np.where(reporting == 0, np.nan, mean)


def _weighted_over_units(
    column: Array, grouping: _Grouping, silent: Array | None, weights: Array | None
) -> Array:
    """Sum of value x weight over sum of weights per group; a unit weighing 0 does not count.

    Nor does a unit that does not report the value (``silent``).
    """
    assert weights is not None  # the specification: a weighted rule is given its weights
    reports = np.ones(len(column), dtype=bool) if silent is None else ~silent
    counts = (weights != 0) & reports  # NaN counts too: a missing weight makes it missing
    missing = (np.isnan(weights) & reports) | (np.isnan(column) & counts)
    products = np.where(counts & ~missing, column * weights, 0.0)
    numerator = grouping.sum(products)
    denominator = grouping.sum(np.where(missing | ~reports, 0.0, weights))
    has_missing = grouping.sum(missing.astype(np.float64)) > 0
    with np.errstate(all="ignore"):
        mean = numerator / denominator
    return np.where(has_missing | (denominator == 0), np.nan, mean)


OVER_UNITS: Mapping[UnitRule, Callable[[Array, _Grouping, Array | None, Array | None], Array]]
OVER_UNITS = {
    UnitRule.SUM: _sum_over_units,
    UnitRule.MEAN: _mean_over_units,
    UnitRule.WEIGHTED_MEAN: _weighted_over_units,
}
"""Each rule over units (:data:`iku_formula.rollup.rules.OVER_UNITS`), vectorised: a column,
its groups, the rows of units that do not report it (or None) and the weights (or None)."""


def _over_units(catalog: Catalog, table: _Table, spec: _Spec) -> tuple[_Table, Array]:
    names = [key for key in table.keys.columns if key != spec.unit]
    codes, uniques = _groups(table.keys, names)
    grouping = _Grouping(codes, len(uniques))
    values: dict[str, Array] = {}
    for name, column in table.values.items():
        input_spec = catalog.inputs[name]
        weights = None
        if rules.OVER_UNITS[input_spec.over_units].weighted:
            weight_name = input_spec.weight
            assert weight_name is not None  # Input checks: weighted_mean always names a weight
            if weight_name not in table.values:
                raise InputError(
                    f"input {name!r} is a mean over units weighted by {weight_name!r}; "
                    f"add a column {weight_name!r}",
                    inputs=[weight_name],
                )
            weights = table.values[weight_name]
        combine = OVER_UNITS[input_spec.over_units]
        values[name] = combine(column, grouping, table.silent.get(name), weights)
    return _Table(uniques, values), codes


# --- public functions ------------------------------------------------------------------------


def aggregate(
    catalog: Catalog,
    frame: Any,
    *,
    unit: Hashable | None = "unit",
    period: Hashable | None = "period",
    by: Sequence[Hashable] | Hashable = (),
    over: Over = "both",
    to_date: bool = False,
    until: Period | str | int | None = None,
) -> Any:
    """Combine realised values over periods and/or units; see :meth:`Catalog.aggregate`."""
    spec = _Spec.check(unit, period, by, over, to_date)
    table = _prepare(catalog, rows_up_to(frame, period, until), spec)
    if spec.time:
        table = _over_time(catalog, table, spec)
    if spec.units:
        table, _notes = _over_units(catalog, table, spec)
        averaged = [
            indicator.number
            for indicator in catalog.indicators
            if indicator.roll_up is RollUp.MEAN_OF_UNITS
            and all(name in table.values for name in indicator.inputs)
        ]
        if averaged:
            warnings.warn(
                rules.unexpressed_mean_of_units_warning(averaged), UserWarning, stacklevel=3
            )
    return table.frame()


def roll_up(
    catalog: Catalog,
    frame: Any,
    *,
    unit: Hashable | None = "unit",
    period: Hashable | None = "period",
    by: Sequence[Hashable] | Hashable = (),
    over: Over = "both",
    to_date: bool = False,
    layout: str = "wide",
    until: Period | str | int | None = None,
) -> Any:
    """Realisasi rolled up by each indicator's rule, in the layout of ``evaluate_frame``.

    Takes the arguments of :func:`aggregate`. Indicators with ``roll_up = "inputs"``
    (all in the bundled catalog) are evaluated on the aggregated inputs, exactly
    ``catalog.evaluate_frame(catalog.aggregate(frame, ...), layout)``. Indicators
    with ``roll_up = "mean_of_units"`` are evaluated per unit (on the inputs
    combined over time) and averaged over units; a unit where the indicator is
    undefined (a zero denominator) makes the mean undefined, unless the indicator's
    ``undefined_parts`` is "skip", which takes the mean over the defined units.
    A unit with a missing input makes it missing. With ``until`` only the rows up to that
    period count (to date: :func:`iku_formula.periods.up_to`).
    """
    check_layout(layout)
    spec = _Spec.check(unit, period, by, over, to_date)
    per_unit = _prepare(catalog, rows_up_to(frame, period, until), spec)
    if spec.time:
        per_unit = _over_time(catalog, per_unit, spec)
    total, codes = _over_units(catalog, per_unit, spec) if spec.units else (per_unit, None)
    reasons = layout == "long"
    results = results_for(catalog, total.values, len(total), reasons=reasons)
    if codes is not None:
        by_unit = _UnitResults(catalog, per_unit, codes)
        for indicator in results.indicators:
            ROLL_UPS[indicator.roll_up](indicator, results, by_unit, reasons=reasons)
    index = total.index()
    return results.wide(index) if layout == "wide" else results.long(index, {})


@attrs.frozen
class _UnitResults:
    """Each unit's inputs over time (the table before combining units), and their results."""

    catalog: Catalog
    per_unit: _Table
    codes: Array
    """Each unit row's group in the result."""

    @cached_property
    def results(self) -> FrameResults:
        return results_for(self.catalog, self.per_unit.values, len(self.per_unit), reasons=False)


def _on_inputs(
    indicator: Indicator, results: FrameResults, by_unit: _UnitResults, *, reasons: bool
) -> None:
    """roll_up "inputs": the results on the inputs rolled up stand."""


def _mean_of_units(
    indicator: Indicator, results: FrameResults, by_unit: _UnitResults, *, reasons: bool
) -> None:
    """Replace the indicator's results by the mean over units of its per-unit realisasi.

    A unit that does not report one of the indicator's inputs is left out.
    """
    per_unit, codes, unit_results = by_unit.per_unit, by_unit.codes, by_unit.results
    count = results.length
    unit_values = per_unit.values
    left_out = np.zeros(len(codes), dtype=bool)
    for name in indicator.inputs:
        if name in per_unit.silent:
            left_out |= per_unit.silent[name]
    units = np.bincount(codes, weights=~left_out, minlength=count)
    absent = np.zeros(len(codes), dtype=bool)
    for name in indicator.inputs:
        absent |= np.isnan(unit_values[name])
    absent &= ~left_out
    group_absent = np.bincount(codes, weights=absent, minlength=count) > 0
    group_absent |= units == 0  # no unit reports the inputs: missing
    skip = indicator.undefined_parts is UndefinedParts.SKIP
    parts: list[Array] = []
    part_reasons: list[Sparse | None] = []
    for values in unit_results.parts[indicator.number]:
        defined = ~np.isnan(values) & ~left_out
        undefined = ~defined & ~absent & ~left_out
        total = np.bincount(codes, weights=np.where(defined, values, 0.0), minlength=count)
        defined_units = np.bincount(codes, weights=defined, minlength=count)
        undefined_units = np.bincount(codes, weights=undefined, minlength=count)
        undefined_group = (defined_units == 0) if skip else (undefined_units > 0)
        undefined_group &= ~group_absent
        with np.errstate(all="ignore"):
            mean = total / defined_units
        parts.append(np.where(undefined_group | group_absent, np.nan, mean))
        if reasons:
            part_reasons.append(_undefined_units_text(undefined_group, undefined_units, units))
    results.parts[indicator.number] = parts
    if results.reasons is None:
        return
    first = [
        (units == 0, rules.no_unit_reports_reason(indicator.inputs)),
        *(
            (
                np.bincount(codes, weights=np.isnan(unit_values[name]) & ~left_out, minlength=count)
                > 0,
                rules.missing_in_a_unit_reason(name),
            )
            for name in indicator.inputs
        ),
    ]
    results.reasons[indicator.number] = assemble_reasons(indicator, parts, part_reasons, first)


def _undefined_units_text(undefined: Array, undefined_units: Array, units: Array) -> Sparse:
    rows = np.flatnonzero(undefined)
    texts = np.array(
        [
            rules.undefined_units_reason(int(undefined_units[row]), int(units[row]))
            for row in rows  # only the undefined groups: few
        ],
        dtype=object,
    )
    return rows, texts


ROLL_UPS: Mapping[RollUp, Callable[..., None]] = {
    RollUp.INPUTS: _on_inputs,
    RollUp.MEAN_OF_UNITS: _mean_of_units,
}
"""Each way an indicator rolls up (:data:`iku_formula.rollup.rules.ROLL_UPS`), vectorised:
it updates the results on the rolled-up inputs, given each unit's."""


rules.check_engine("vectorised", OVER_TIME, OVER_UNITS, ROLL_UPS)
