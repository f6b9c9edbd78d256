"""Period columns of DataFrames: read by the one period grammar, put in time order, kept to date.

The pandas roll-ups (:mod:`iku_formula.rollup.frames`) read their period column here, so that
pandas accepts and refuses exactly the labels a sheet does (:mod:`iku_formula.periods`), and
keep the rows of a figure to date (``until=``) by the one rule :func:`~iku_formula.periods.up_to`.
"""

from __future__ import annotations

__all__ = ["period_order", "rows_up_to"]

from collections.abc import Hashable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from ..engines.frames import Array
from ..errors import InputError, PeriodError
from ..i18n import _
from ..periods import (
    MONTH,
    QUARTER,
    YEAR,
    Period,
    calendars_refused,
    one_calendar,
    parse_period,
    refused,
    up_to,
)


def period_order(periods: Any) -> Any:
    """The period column as an ordered Categorical (labels kept), so periods sort in time.

    Each distinct label is read by the one period grammar of the sheets
    (:func:`iku_formula.periods.parse_period`): triwulan written "TW1".."TW4", "tw 2",
    "Triwulan III", "Q3", "I".."IV" or 1-4, or a year such as 2024; also pandas Periods
    of calendar quarters or years. An ordered Categorical is read the same way (its
    categories, each by the grammar), and put in time order if it is not. Raises
    InputError naming the labels otherwise (5, 0, "TW5", 2.5, a date, "Jan-Mar"), so that
    pandas accepts and refuses exactly the labels a sheet does.
    """
    series = pd.Series(periods)
    if isinstance(series.dtype, pd.CategoricalDtype) and series.dtype.ordered:
        categorical = series.array
        _every_row_has_a_period(series, np.asarray(categorical.codes))
        labels = list(categorical.categories)
        ordered = _time_order(labels, _read_periods(labels))
        if len(ordered) < len(labels):  # an empty category: no period
            raise InputError("an ordered Categorical period has an empty category; remove it")
        return categorical if ordered == labels else categorical.reorder_categories(ordered)
    codes, uniques = pd.factorize(series)  # one pass over the labels; -1 = missing
    labels = [  # in order of appearance, as pd.unique; numpy scalars as Python's
        label.item() if isinstance(label, np.generic) else label for label in uniques
    ]
    read = _read_periods(labels)
    empty = [code for code, period in enumerate(read) if period is None]
    if empty:  # "" or spaces: no period, as in a sheet
        codes = np.where(np.isin(codes, empty), -1, codes)
    _every_row_has_a_period(series, codes)
    ordered = _time_order(labels, read)
    position = pd.Index(ordered).get_indexer(pd.Index(labels))  # label -> its rank
    return pd.Categorical.from_codes(position[codes], categories=ordered, ordered=True)


def _every_row_has_a_period(series: Any, codes: Array) -> None:
    if len(codes) and codes.min() < 0:
        row = int(np.flatnonzero(codes < 0)[0])
        raise InputError(f"row {series.index[row]!r} has no period; give every row one")


_PANDAS_KINDS = {"Q-DEC": QUARTER, "Y-DEC": YEAR, "A-DEC": YEAR, "M": MONTH, "ME": MONTH}
"""pandas Period frequencies that are periods of the grammar: calendar quarters, years,
months."""

_PANDAS_INDEX = {"quarter": "quarter", "year": None, "month": "month"}
"""Which attribute of a pandas Period is its index in the year (None: 1)."""


def _read_periods(labels: Sequence[Any]) -> list[Period | None]:
    """Each label's period (None: empty); InputError naming the labels that are none."""
    read: list[Period | None] = []
    unknown: list[Any] = []
    for label in labels:
        if isinstance(label, pd.Period):
            kind = _PANDAS_KINDS.get(label.freqstr)
            if kind is None:
                unknown.append(label)
            else:
                attribute = _PANDAS_INDEX[kind.name]
                index = 1 if attribute is None else int(getattr(label, attribute))
                read.append(Period(kind, index, label.year))
            continue
        try:
            read.append(parse_period(label))
        except PeriodError:
            unknown.append(label)
    if unknown:
        raise refused(unknown)  # worded as a sheet's
    mixed = one_calendar(period for period in read if period is not None)
    if mixed is not None:
        raise calendars_refused(*mixed)
    return read


def rows_up_to(frame: Any, period: Hashable | None, until: Period | str | int | None) -> Any:
    """The rows of ``frame`` whose period is up to ``until`` (:func:`~iku_formula.periods.up_to`,
    the one rule of figures to date); ``frame`` itself when ``until`` is None."""
    if until is None:
        return frame
    keeps = up_to(until)  # PeriodError first, for a label that is no period
    if not isinstance(frame, pd.DataFrame):
        raise InputError(f"expected a pandas DataFrame, got {type(frame).__name__}")
    if period is None or period not in frame.columns:
        raise InputError(_("until= keeps the rows up to a period, so give the period column"))
    order = period_order(frame[period])
    kept = np.array([keeps(found) for found in _read_periods(list(order.categories))], dtype=bool)
    codes = np.asarray(order.codes)
    return frame.loc[kept[codes]] if len(kept) else frame


def _time_order(labels: Sequence[Any], read: Sequence[Period | None]) -> list[Any]:
    """The labels in time order; InputError when two labels name the same period."""
    seen: dict[Period, Any] = {}
    for label, period in zip(labels, read, strict=True):
        if period is None:
            continue
        if period in seen:
            raise InputError(
                f"periods {seen[period]!r} and {label!r} both mean {period.spoken}; "
                "write each period one way"
            )
        seen[period] = label
    return [seen[period] for period in sorted(seen)]
