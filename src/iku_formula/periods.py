"""Period labels: the one grammar and order of the periods a row covers (triwulan, the year)."""

from __future__ import annotations

__all__ = [
    "QUARTERS",
    "normalise_period",
    "period_sort_key",
]

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    pass


QUARTERS = ("TW1", "TW2", "TW3", "TW4")
"""The periods of a sheet: triwulan I to IV."""


def period_sort_key(period: str | None) -> tuple[int, str]:
    if period in QUARTERS:
        return (0, period)
    return (1, period or "")


_QUARTER_RE = re.compile(
    r"(?:tw|triwulan|trw|q|kuartal|quarter)\s*[-_.]?\s*(iv|i{1,3}|[1-4])", re.IGNORECASE
)


_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}


_YEAR_RE = re.compile(r"(?:19|20)[0-9]{2}")


def normalise_period(raw: object) -> str | None:
    """A period cell as a sheet period: "TW1" to "TW4", a year ("2024") or None (empty).

    Accepts "TW1", "TW 1", "TW-I", "Triwulan II", "Q3", "q4"; a year is a whole-year row.
    Raises ValueError for anything else.
    """
    if raw is None:
        return None
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    if isinstance(raw, bool) or not isinstance(raw, str | int):
        raise ValueError(f"period {raw!r} is not a quarter")
    text = str(raw).strip()
    if not text:
        return None
    match = _QUARTER_RE.fullmatch(text)
    if match is not None:
        number = match.group(1).lower()
        return f"TW{_ROMAN.get(number, number)}"
    if _YEAR_RE.fullmatch(text):
        return text
    raise ValueError(
        f"period {text!r} is not a quarter: write TW1, TW2, TW3 or TW4 "
        "(or a year, such as 2024, for a row covering the whole year)"
    )
