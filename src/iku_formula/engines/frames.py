"""Vectorised evaluation: whole DataFrames of realised values in, columns of realisasi out.

The exact scalar path (:mod:`iku_formula.evaluation`) computes one set of values
with Fractions. This module computes whole columns with numpy floats, and agrees
with the exact path within float rounding (a property test checks it on random
frames, zeros and all):

* Every formula of the catalog (with the formulas of further target parts) is
  compiled once, lazily on first use, by one ``sympy.lambdify(..., cse=True)``
  into a numpy function; the compiled plan is cached per catalog in a
  :class:`weakref.WeakKeyDictionary` (a Catalog is frozen with slots, so the cache
  lives beside it and goes with it). The formula-language functions are given
  to lambdify as a namespace (:data:`NUMPY_NAMESPACE`, their numpy forms in the table
  of :mod:`iku_formula.language.functions`).
* A zero denominator gives NaN, never ``inf``; ``rata_rata`` of an indicator with
  ``undefined_parts = "skip"`` is the mean of its defined parts.
* A NaN (or blank) cell is a missing value: the indicators of that row that use
  it are NaN with the reason ``missing input NAME``. No row is ever dropped.
* Why a value is undefined is worked out only for the undefined rows, by walking
  the formula tree like the exact path does (:mod:`iku_formula.engines.reasons`), so
  the ``reason`` of the long layout is the exact path's reason word for word.

pandas and numpy are imported here only; ``import iku_formula`` never imports
this module (:meth:`Catalog.evaluate_frame` does, when called).
"""

from __future__ import annotations

__all__ = [
    "LAYOUTS",
    "LONG_COLUMNS",
    "NUMPY_NAMESPACE",
    "Array",
    "FrameResults",
    "InputCheck",
    "Sparse",
    "assemble_reasons",
    "check_layout",
    "evaluate_frame",
    "read_checked",
    "read_inputs",
    "results_for",
]

import math
import os
import weakref
from collections.abc import Callable, Hashable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any, NoReturn

import attrs
import numpy as np
import pandas as pd
import sympy

from ..errors import InputError
from ..evaluation import coerce_value
from ..language.functions import nan_where
from ..model import InputKind
from ..numbers import NUMBER_TEXT_RE
from ..predikat import Basis
from .capaian import achievement_columns, predikat_column
from .floats import IkuInverse, numeric_form, skips_parts, table_namespace
from .reasons import (
    Array,
    Sparse,
    assemble_reasons,
    frame_reasons,
)

if TYPE_CHECKING:
    from ..catalog.registry import Catalog
    from ..model import Indicator, Input

LONG_COLUMNS = ("indicator", "realisasi", "target", "capaian", "met", "reason", "predikat")
"""The columns the long layout adds after the key columns."""

_VALUE_LIMIT = 1e30  # parse.MAX_VALUE_DIGITS: the exact path rejects values this large


# --- the functions of a formula over numpy arrays ----------------------------------------
# The functions of the language are the numpy forms of the table (language.functions), which
# reuse intermediate arrays in place; a negative power is the one form of this module's own.


def _inverse(base: Any) -> Array:
    return nan_where(np.divide(1.0, base), base == 0)


NUMPY_NAMESPACE: Mapping[str, Callable[..., Array]] = {
    **table_namespace(lambda spec: spec.numpy, lambda rule: rule.numpy),
    IkuInverse.__name__: _inverse,
}
"""What lambdify calls for each function of a formula on numpy arrays (also consistency's)."""


# --- the compiled plan, one per catalog ---------------------------------------------------


@attrs.frozen
class _Plan:
    """Every formula of a catalog compiled into one numpy function."""

    inputs: tuple[str, ...]
    """The function's arguments, in order."""
    function: Callable[..., Sequence[Any]]
    slots: Mapping[int, tuple[int, ...]]
    """Indicator number -> positions of its main and part formulas in the output."""
    masked: frozenset[int]
    """Indicators where a missing input need not make every formula NaN, so it is masked:
    a ``rata_rata`` that skips NaN parts, or a formula that uses only some of the inputs."""


_PLANS: weakref.WeakKeyDictionary[Catalog, _Plan] = weakref.WeakKeyDictionary()


def _plan(catalog: Catalog) -> _Plan:
    plan = _PLANS.get(catalog)
    if plan is None:
        plan = _PLANS[catalog] = _compile(catalog)
    return plan


def _compile(catalog: Catalog) -> _Plan:
    inputs = tuple(sorted({name for indicator in catalog.indicators for name in indicator.inputs}))
    exprs: list[sympy.Expr] = []
    slots: dict[int, tuple[int, ...]] = {}
    masked: set[int] = set()
    for indicator in catalog.indicators:
        formulas = (indicator.formula, *indicator.part_formulas)
        slots[indicator.number] = tuple(range(len(exprs), len(exprs) + len(formulas)))
        exprs.extend(numeric_form(expr, indicator.undefined_parts) for expr in formulas)
        if any(skips_parts(expr, indicator.undefined_parts) for expr in formulas) or any(
            {symbol.name for symbol in expr.free_symbols} != set(indicator.inputs)
            for expr in formulas
        ):
            masked.add(indicator.number)
    function = sympy.lambdify(
        [sympy.Symbol(name) for name in inputs],
        exprs,
        modules=[NUMPY_NAMESPACE, "numpy"],
        cse=True,
        dummify=True,  # input names can never clash with names in the generated code
    )
    return _Plan(inputs, function, slots, frozenset(masked))


# --- reading a frame ------------------------------------------------------------------------


def read_inputs(catalog: Catalog, frame: Any) -> dict[str, Array]:
    """The input columns of ``frame`` as float arrays (NaN = missing), checked as the exact path.

    Columns whose name is an input of the catalog are inputs; the others are keys
    and are not read. Strings may use a decimal comma; a blank cell is missing.
    Raises InputError naming the column and the first bad row of every bad column.
    """
    arrays, _ = read_checked(catalog, frame)
    return arrays


def read_checked(catalog: Catalog, frame: Any) -> tuple[dict[str, Array], frozenset[str]]:
    """:func:`read_inputs`, and the names of the columns found to have no missing value."""
    check = InputCheck(catalog, frame)
    check.everything()
    return check.arrays, check.settle()


@attrs.frozen
class _Column:
    """An input column of a frame, read as floats but not yet checked."""

    name: str
    values: Array
    column: Any
    """The frame's own column (for the row labels and raw cells of error messages)."""
    spec: Input
    floats: bool = True
    """Whether the values were numbers of a numeric dtype (text and objects are read cell by
    cell as the exact path reads them, so only floats need :func:`_check`'s look at tiny
    values)."""


def _read(catalog: Catalog, frame: Any) -> list[_Column]:
    """The input columns as floats; InputError for every column that holds a non-number."""
    if not isinstance(frame, pd.DataFrame):
        raise InputError(f"expected a pandas DataFrame, got {type(frame).__name__}")
    duplicated = frame.columns[frame.columns.duplicated()]
    if len(duplicated):
        names = ", ".join(repr(name) for name in dict.fromkeys(duplicated))
        raise InputError(f"duplicate column {names}; give each column once", inputs=[])
    columns: list[_Column] = []
    problems: dict[str, Exception] = {}
    for name, column in frame.items():
        spec = catalog.inputs.get(name) if isinstance(name, str) else None
        if spec is None:
            continue
        try:
            values, floats = _numbers(column, spec)
            columns.append(_Column(name, values, column, spec, floats))
        except _BadColumnError as error:
            problems[name] = error
    if problems:
        # Report the values the other columns would be refused for too: all at once.
        for column in columns:
            try:
                _check(column)
            except _BadColumnError as error:
                problems[column.name] = error
        _raise(catalog, frame, problems)
    return columns


def _raise(catalog: Catalog, frame: Any, problems: Mapping[str, Exception]) -> NoReturn:
    """One InputError for every bad column, in the frame's order."""
    order = [name for name in frame.columns if name in problems]
    messages = []
    for name in order:
        error = problems[name]
        users = [str(i.number) for i in catalog.indicators if name in i.inputs]
        used_by = f" (indicator {', '.join(users)})" if users else ""
        messages.append(f"column {name!r}{used_by}, {error}")
    raise InputError("; ".join(messages), inputs=order)


class _BadColumnError(Exception):
    """A column with a value the exact path would reject (message: row and why)."""


def _numbers(column: Any, spec: Input) -> tuple[Array, bool]:
    """The column as floats (NaN: missing), and whether they came from a numeric dtype.

    Text and other objects are read as the exact path reads them (``coerce_value``): a
    number written with digits and an optional decimal point or comma, so that "1e5",
    "12.", "1_000", "NaN" or "∞" are refused here too. None, NaN and blank text are missing.
    """
    dtype = column.dtype
    if isinstance(dtype, np.dtype) and dtype == np.float64:  # the common case: no conversion
        floats: Array = column.to_numpy()
        return floats, True
    if pd.api.types.is_bool_dtype(dtype):
        raise _BadColumnError(f"row {column.index[0]!r}: True/False are not numbers")
    if pd.api.types.is_numeric_dtype(dtype) and not pd.api.types.is_complex_dtype(dtype):
        return column.to_numpy(dtype=np.float64, na_value=np.nan), True
    if not (
        pd.api.types.is_object_dtype(dtype)
        or pd.api.types.is_string_dtype(dtype)
        or isinstance(dtype, pd.CategoricalDtype)
    ):
        raise _BadColumnError(f"holds {dtype} values, not numbers")
    cells = np.asarray(column, dtype=object)
    values = np.full(len(cells), np.nan)
    rest = np.ones(len(cells), dtype=bool)  # the cells still to read one by one
    if pd.api.types.infer_dtype(cells, skipna=True) == "string":  # text (or missing) only
        text = pd.Series(cells, dtype=object).str.strip()
        rest = ~(text.isna() | (text == "")).to_numpy(dtype=bool)
        # Short numbers read as floats decide as their exact values do (see _SHORT_TEXT).
        quick = (text.str.len() <= _SHORT_TEXT) & text.str.fullmatch(NUMBER_TEXT_RE, na=False)
        fast = quick.to_numpy(dtype=bool)
        if fast.any():
            decimal = text[fast].str.replace(",", ".", regex=False)
            values[fast] = pd.to_numeric(decimal).to_numpy(dtype=np.float64)
            rest &= ~fast
    if rest.any():
        _read_exactly(column, cells, rest, values, spec)
    return values, False


_SHORT_TEXT = 15
"""Text numbers this short (after the spaces around them) are read as floats straight away:
they have at most 15 significant digits, which a float holds exactly enough that it is whole,
negative, or inside a score's range exactly when the number is. Longer ones go through
``coerce_value``."""
_LARGEST = math.nextafter(_VALUE_LIMIT, 0.0)
"""The largest float below the value limit: what a valid value rounds up to at most."""


def _read_exactly(column: Any, cells: Array, rows: Array, values: Array, spec: Input) -> None:
    """``values[rows]`` from ``cells[rows]`` by ``coerce_value``; _BadColumnError for the first
    cell it refuses. None, NaN and blank text are missing (NaN)."""
    seen: dict[tuple[type, object], float | str] = {}
    bad: list[tuple[int, str]] = []
    for row in np.flatnonzero(rows).tolist():
        raw = cells[row]
        if raw is None or raw is pd.NA or (isinstance(raw, float | np.floating) and raw != raw):
            continue
        if isinstance(raw, str) and not raw.strip():
            continue
        key: tuple[type, object] | None = (type(raw), raw)
        try:
            read = seen.get(key)  # type: ignore[arg-type]
        except TypeError:  # unhashable (a list), or a signalling NaN
            key, read = None, None
        if read is None:
            try:
                exact = coerce_value(raw, spec)
                read = min(max(float(exact), -_LARGEST), _LARGEST)  # 10**30 - 1 is no 1e30
            except ValueError as error:
                read = str(error)
            if key is not None:
                seen[key] = read
        if isinstance(read, str):
            bad.append((row, read))
        else:
            values[row] = read
    if bad:
        row, why = bad[0]
        raise _BadColumnError(f"row {column.index[row]!r}: {why}{_more(len(bad))}")


def _more(count: int) -> str:
    return f" ({count - 1} more bad row{'s' if count > 2 else ''})" if count > 1 else ""


_CHUNK = 1 << 16
"""Values checked at a time (512 KiB): read from memory once, then tested in the cache."""


@attrs.frozen
class _Bounds:
    """The valid values of an input, for the quick check: ``low <= x <= high``, whole or not,
    and (``tiny``) no value so close to 0 that its decimals may pass the exact path's limit."""

    low: float
    high: float
    whole: bool
    tiny: bool

    @classmethod
    def of(cls, spec: Input) -> _Bounds:
        if spec.kind is InputKind.SCORE and spec.minimum is not None and spec.maximum is not None:
            low, high = max(float(spec.minimum), -_LARGEST), min(float(spec.maximum), _LARGEST)
        else:
            low, high = 0.0, _LARGEST  # |x| < 1e30, as the exact path
        whole = spec.kind is InputKind.COUNT  # a tiny count is no whole number anyway
        return cls(low, high, whole, not whole and low < _TINY and high > -_TINY)

    def holds(self, values: Array, scratch: Array) -> bool:
        """Whether every value is valid (none missing), with reductions only.

        ``scratch`` is a float array at least as long as ``values``.
        """
        if not len(values):
            return True
        smallest = np.minimum.reduce(values)
        if not (smallest >= self.low and np.maximum.reduce(values) <= self.high):
            return False  # NaN fails too
        if self.tiny and smallest < _TINY:  # zeros (or negative values): look closer
            size = values if smallest >= 0 else np.abs(values, out=scratch[: len(values)])
            if np.minimum.reduce(size, where=size > 0, initial=np.inf) < _TINY:
                return False
        return not self.whole or bool(
            np.logical_and.reduce(np.equal(np.rint(values, out=scratch[: len(values)]), values))
        )


_TINY = 1e-14
"""Floats closer to 0 than this (but not 0) may have more than 30 decimals in their shortest
form, which the exact path refuses (``5.551115123125783e-17`` has 32): they are looked at one
by one. From 1e-14 on, a float's 17 significant digits end by the 30th decimal."""


def _check(column: _Column) -> bool:
    """Raise _BadColumnError for the first value the exact path's ``coerce_value`` would reject.

    Returns True when the column is also known to have no missing value. Slower than
    the quick check (:class:`_Bounds`), which is why it runs only where that one fails.
    """
    values, spec = column.values, column.spec
    # Comparisons with NaN are False, so a missing value is never "ok": it is set apart after.
    if spec.kind is InputKind.SCORE and spec.minimum is not None and spec.maximum is not None:
        ok = (values >= float(spec.minimum)) & (values <= float(spec.maximum))
        if max(abs(spec.minimum), abs(spec.maximum)) >= _VALUE_LIMIT:
            ok &= np.abs(values) < _VALUE_LIMIT
    else:
        ok = (values >= 0) & (values < _VALUE_LIMIT)
        if spec.kind is InputKind.COUNT:
            ok &= np.floor(values) == values
    if column.floats and _Bounds.of(spec).tiny:
        tiny = ok & (values != 0) & (np.abs(values) < _TINY)
        for value in np.unique(values[tiny]):
            try:
                coerce_value(float(value), spec)
            except ValueError:
                ok[tiny & (values == value)] = False
    if ok.all():
        return True
    bad = ~ok & ~np.isnan(values)
    if not bad.any():
        return False
    row = int(np.flatnonzero(bad)[0])
    raw = column.column.iloc[row]
    try:
        coerce_value(raw if isinstance(raw, str) else float(values[row]), spec)
        why = f"{values[row]!r} is not a valid {spec.kind.value}"
    except ValueError as error:
        why = str(error)
    raise _BadColumnError(f"row {column.column.index[row]!r}: {why}{_more(int(bad.sum()))}")


# --- computing --------------------------------------------------------------------------------


@attrs.define
class FrameResults:
    """Realisasi of every evaluable indicator over the rows of one frame.

    ``parts[number]`` holds one float array per target part (the first is the
    realisasi); ``reasons[number]`` says why each row is undefined (None where it is
    defined and so is capaian; None for the whole array when no row has a reason).
    ``reasons`` is None when reasons were not asked for.
    """

    indicators: tuple[Indicator, ...]
    parts: dict[int, list[Array]]
    reasons: dict[int, Array | None] | None
    length: int

    def wide(self, index: Any, shared: Mapping[int, Any] | None = None) -> Any:
        """One realisasi column per indicator, named by its number, on ``index``.

        ``shared`` maps the ``id`` of an input array to the column it was read from (a
        Series on ``index``): a realisasi that is that input itself takes the column,
        sharing its data under copy-on-write, instead of a copy.
        """
        columns: dict[int, Any] = {}
        handed_out: set[int] = set()
        for indicator in self.indicators:
            values = self.parts[indicator.number][0]
            if shared is not None and id(values) in shared:
                columns[indicator.number] = shared[id(values)]
                continue
            if id(values) in handed_out or not (values.flags.owndata and values.flags.writeable):
                values = values.copy()  # an input column itself, a view, or a repeat
            handed_out.add(id(values))
            columns[indicator.number] = values
        # copy=False: every column is an array of its own, so the frame takes it as it is
        # instead of copying all of them into one block (on a million rows, most of the time).
        return pd.DataFrame(columns, index=index, dtype=np.float64, copy=False)

    def long(self, index: Any, keys: Mapping[Hashable, Any]) -> Any:
        """Tidy rows, one per (input row, indicator), row by row; ``index`` repeats.

        ``keys`` maps key column names to their values (one per input row).
        """
        count = len(self.indicators)
        rows = self.length
        shape = (rows, count)
        realisasi = np.empty(shape)
        capaian = np.empty(shape)
        met = np.empty(shape, dtype=bool)
        reason = np.empty(shape, dtype=object)  # None throughout
        predikat = np.full(shape, -1, dtype=np.int16)  # codes of a Categorical; -1: none
        categories: dict[str, int] = {}  # every band code of the indicators' scales
        targets = np.empty(count)
        for position, indicator in enumerate(self.indicators):
            parts = self.parts[indicator.number]
            realisasi[:, position] = parts[0]
            achievement, reached = achievement_columns(indicator, parts)
            capaian[:, position] = achievement
            met[:, position] = reached
            scale = indicator.predikat
            if scale is not None:
                basis = parts[0] if scale.basis is Basis.REALISASI else achievement
                codes = [categories.setdefault(b.code, len(categories)) for b in scale.bands]
                lookup = np.array([*codes, -1], dtype=np.int16)  # position -1: the last
                predikat[:, position] = lookup[predikat_column(scale, basis)]
            targets[position] = float(indicator.target.value)
            why = None if self.reasons is None else self.reasons[indicator.number]
            if why is not None:
                reason[:, position] = why
        clashes = [name for name in keys if name in LONG_COLUMNS]
        if clashes:
            raise InputError(
                f"key column {clashes[0]!r} has the name of a column of the long layout; rename it",
                inputs=[],
            )
        columns: dict[Hashable, Any] = {
            name: pd.Series(values).array.repeat(count) for name, values in keys.items()
        }
        columns.update(
            indicator=np.tile(np.array([i.number for i in self.indicators], dtype=np.int64), rows),
            realisasi=realisasi.ravel(),
            target=np.tile(targets, rows),
            capaian=capaian.ravel(),
            met=met.ravel(),
            reason=reason.ravel(),
            predikat=pd.Categorical.from_codes(
                predikat.ravel(), categories=pd.Index(list(categories), dtype=object)
            ),
        )
        return pd.DataFrame(columns, index=index.repeat(count))


def results_for(
    catalog: Catalog,
    arrays: Mapping[str, Array],
    length: int,
    *,
    reasons: bool,
    check: InputCheck | None = None,
) -> FrameResults:
    """Evaluate every indicator whose inputs are all in ``arrays`` (float columns of ``length``).

    ``check``, if given, checks ``arrays`` block by block as they are computed, and is
    settled (raising InputError if a value is bad) before anything is returned.
    """
    plan = _plan(catalog)
    selected = tuple(
        indicator
        for indicator in catalog.indicators
        if all(name in arrays for name in indicator.inputs)
    )
    missing: dict[str, Array] = {}

    def missing_of(name: str) -> Array:
        if name not in missing:
            missing[name] = np.isnan(arrays[name])
        return missing[name]

    with np.errstate(all="ignore"):
        slots = [slot for indicator in selected for slot in plan.slots[indicator.number]]
        outputs = _compute(plan, arrays, length, slots, check)
        complete = frozenset() if check is None else check.settle()
        parts: dict[int, list[Array]] = {}
        for indicator in selected:
            columns = [outputs[slot] for slot in plan.slots[indicator.number]]
            gaps = [name for name in indicator.inputs if name not in complete]
            if indicator.number in plan.masked and gaps:
                absent = np.zeros(length, dtype=bool)
                for name in gaps:
                    absent |= missing_of(name)
                if absent.any():
                    columns = [np.where(absent, np.nan, column) for column in columns]
            parts[indicator.number] = columns
        why = (
            {
                indicator.number: frame_reasons(
                    indicator, parts[indicator.number], arrays, missing_of
                )
                for indicator in selected
            }
            if reasons
            else None
        )
    return FrameResults(selected, parts, why, length)


BLOCK_ROWS = 1 << 15
"""Rows computed at a time.

A block's intermediate arrays (256 KiB each) stay in the processor's cache, where
whole columns of a million rows would go out to memory and back at every step:
on a million rows, computing in blocks takes half the time of whole columns.
"""

BLOCKED_FROM = 1 << 18
"""Frames this long or longer are computed in blocks; shorter ones fit in the cache whole."""


def _cores() -> int:
    """The processors this process may run on (a container's limit, not the machine's)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


THREADS = max(1, min(4, _cores()))
"""Threads that compute blocks side by side (numpy releases the GIL while it works).

One per processor, up to 4: beyond that, memory bandwidth, not the processors, sets the
pace. Set it to 1 to compute on the calling thread only.
"""


class InputCheck:
    """The input columns of a frame, read as floats, and their check, done piece by piece.

    The quick check (:class:`_Bounds`) can run on any block of rows of a column, just
    before the block is used, while its values are in the cache anyway (the
    computation, a roll-up). A column that is not clearly valid in some block (a
    missing value, or a bad one) is noted, and :meth:`settle` looks at it closely:
    nothing may be returned to a caller before it has been called.
    """

    def __init__(self, catalog: Catalog, frame: Any) -> None:
        self._catalog = catalog
        self._frame = frame
        self._columns = {
            column.name: (column, _Bounds.of(column.spec)) for column in _read(catalog, frame)
        }
        self._suspect: dict[str, _Column] = {}
        self.arrays: dict[str, Array] = {
            name: column.values for name, (column, _) in self._columns.items()
        }
        """Input name -> its values as floats (NaN = missing), not checked until settled."""

    def column(self, name: str, start: int, stop: int, scratch: Array) -> None:
        """The quick check of rows ``start:stop`` of one column (``scratch``: as many floats)."""
        column, bounds = self._columns[name]
        if name not in self._suspect and not bounds.holds(column.values[start:stop], scratch):
            self._suspect[name] = column  # dict writes are atomic under the GIL

    def block(self, start: int, stop: int, scratch: Array) -> None:
        """The quick check of rows ``start:stop`` of every column."""
        for name in self._columns:
            self.column(name, start, stop, scratch)

    def everything(self) -> None:
        """The quick check of every row of every column, a cache-sized chunk at a time."""
        length = len(self._frame)
        scratch = np.empty(min(length, _CHUNK))
        for name in self._columns:
            for start in range(0, length, _CHUNK):
                self.column(name, start, min(start + _CHUNK, length), scratch)

    def settle(self) -> frozenset[str]:
        """InputError for every bad column; else the columns known to have no missing value."""
        complete = set(self._columns)
        problems: dict[str, Exception] = {}
        for name, column in self._suspect.items():
            try:
                if not _check(column):
                    complete.discard(name)
            except _BadColumnError as error:
                problems[name] = error
        if problems:
            _raise(self._catalog, self._frame, problems)
        return frozenset(complete)


def _compute(
    plan: _Plan,
    arrays: Mapping[str, Array],
    length: int,
    slots: Sequence[int],
    check: InputCheck | None = None,
) -> dict[int, Array]:
    """The plan's outputs ``slots`` over all rows, a block at a time; inf becomes NaN.

    An output that is an input column itself is that column (inputs are finite:
    checked, or sums of checked values); a constant is broadcast. ``check`` is run
    on each block just before it is computed. The first block is computed here; the
    others, on a large frame, by :data:`THREADS` threads taking a run of blocks each.
    """
    names = plan.inputs
    if length < BLOCKED_FROM:  # the intermediate arrays fit in the cache: no blocks
        if check is not None:
            check.block(0, length, np.empty(length))
        whole = [arrays.get(name, np.nan) for name in names]
        given = {id(arrays[name]) for name in names if name in arrays}
        outputs = plan.function(*whole)
        return {slot: _finite(outputs[slot], length, given) for slot in dict.fromkeys(slots)}
    results: dict[int, Array] = {}
    filled: list[int] = []  # the slots computed block by block

    def run(starts: Sequence[int]) -> None:
        scratch = np.empty(BLOCK_ROWS)
        with np.errstate(all="ignore"):  # errstate is per thread
            for start in starts:
                stop = min(start + BLOCK_ROWS, length)
                if check is not None:
                    check.block(start, stop, scratch)
                block = [arrays[name][start:stop] if name in arrays else np.nan for name in names]
                outputs = plan.function(*block)
                for slot in filled:
                    _store(results[slot][start:stop], outputs[slot])

    # What each output is does not change from block to block: learn it on the first.
    stop = min(BLOCK_ROWS, length)
    if check is not None:
        check.block(0, stop, np.empty(BLOCK_ROWS))
    block = [arrays[name][:stop] if name in arrays else np.nan for name in names]
    outputs = plan.function(*block)
    passed = {id(value): name for value, name in zip(block, names, strict=True)}
    for slot in dict.fromkeys(slots):
        output = outputs[slot]
        if id(output) in passed:
            results[slot] = arrays[passed[id(output)]]
        elif np.shape(output) != (stop,):
            constant = np.asarray(output, dtype=np.float64)
            constant = np.where(np.isinf(constant), np.nan, constant)
            results[slot] = np.broadcast_to(constant, (length,))
        else:
            results[slot] = np.empty(length, dtype=np.float64)
            _store(results[slot][:stop], output)
            filled.append(slot)
    rest = range(BLOCK_ROWS, length, BLOCK_ROWS)
    threads = min(THREADS, len(rest) // 4)  # a thread pays from a few blocks on
    if threads <= 1:
        run(rest)
    else:
        share = -(-len(rest) // threads)
        with ThreadPoolExecutor(threads, thread_name_prefix="iku-frames") as pool:
            runs = [pool.submit(run, rest[i * share : (i + 1) * share]) for i in range(threads)]
            for done in runs:
                done.result()
    return results


def _store(target: Array, output: Any) -> None:
    """Write one block's output into its rows of the result, inf made NaN."""
    np.copyto(target, output, casting="unsafe")
    np.copyto(target, np.nan, where=np.isinf(target))


def _finite(output: Any, length: int, given: set[int]) -> Array:
    """An output as a float column of ``length``, inf made NaN (an input column stays itself)."""
    if id(output) in given:  # inputs are finite: checked, or sums of checked values
        column: Array = output
        return column
    column = np.asarray(output, dtype=np.float64)
    if np.isinf(column).any():
        column = np.where(np.isinf(column), np.nan, column)
    if column.shape != (length,):  # a constant, or no row
        column = np.broadcast_to(column, (length,))
    return column


LAYOUTS = ("wide", "long")
"""The layouts of :func:`evaluate_frame`'s result (and of the roll-up's)."""


def check_layout(layout: object) -> None:
    """InputError unless ``layout`` is one of :data:`LAYOUTS`."""
    if not isinstance(layout, str) or layout not in LAYOUTS:
        shown = repr(layout) if isinstance(layout, str) else type(layout).__name__
        raise InputError(f"layout must be 'wide' or 'long', got {shown[:60]}", inputs=[])


def evaluate_frame(catalog: Catalog, frame: Any, layout: str = "wide") -> Any:
    """Evaluate the indicators whose inputs are all columns; see Catalog.evaluate_frame."""
    check_layout(layout)
    check = InputCheck(catalog, frame)
    arrays = check.arrays
    results = results_for(catalog, arrays, len(frame), reasons=layout == "long", check=check)
    if layout == "wide":
        return results.wide(frame.index, _shared_columns(frame, arrays, results))
    keys = {name: frame[name] for name in frame.columns if name not in arrays}
    return results.long(frame.index, keys)


def _shared_columns(
    frame: Any, arrays: Mapping[str, Array], results: FrameResults
) -> dict[int, Any]:
    """The float columns of ``frame`` that are a realisasi themselves, by ``id`` of their array.

    Only under copy-on-write (always from pandas 3), which lets the result share them with
    ``frame`` safely: writing to either then copies. Otherwise they are copied.
    """
    if int(pd.__version__.split(".", 1)[0]) < 3 and pd.get_option("mode.copy_on_write") is not True:
        return {}
    names = {id(array): name for name, array in arrays.items()}
    shared: dict[int, Any] = {}
    for parts in results.parts.values():
        name = names.get(id(parts[0]))
        if name is not None and frame[name].dtype == np.float64:
            shared[id(parts[0])] = frame[name]
    return shared
