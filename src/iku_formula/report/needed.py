"""What is still needed (:mod:`iku_formula.needed`), as a text table and as JSON.

The text is for people (Indonesian separators, each number rounded by the catalog's rule);
the JSON is for machines: a list of objects, one per indicator and input, each exact value
as text ("200/3") beside its rounded one ("66.67").
"""

from __future__ import annotations

__all__ = ["need_json", "needed_json", "render_needed_json", "render_needed_text"]

import json
from fractions import Fraction
from typing import Any

from ..escaping import terminal_text
from ..i18n import _
from ..model import TimeRule
from ..needed import Need, Needed, NeedStatus
from ..numbers import localized
from .build import KANWIL
from .layout import shorten, table, wrap


def _rounded(need: Need, value: Fraction | None) -> str | None:
    if value is None:
        return None
    return str(need.indicator.achievement_rule.display(value, count=need.whole))


def _shown(need: Need, value: Fraction | None, *, signed: bool = False) -> str:
    """A number for people: rounded by the catalog's rule, the language's separators."""
    text = _rounded(need, value)
    if text is None or value is None:
        return "-"
    shown = localized(text)
    return f"+{shown}" if signed and value > 0 else shown


def need_json(need: Need) -> dict[str, Any]:
    """One row as JSON: rounded values as text beside exact ones ("p/q")."""
    indicator = need.indicator
    entry: dict[str, Any] = {
        "indicator": indicator.number,
        "key": indicator.key,
        "name": indicator.display_name,
        "target": indicator.target.text,
        "input": need.name,
        "over_time": need.input.over_time.value,
        "status": need.status.value,
        "status_label": need.status.label,
        "possible": need.possible,
    }
    for field in ("now", "needed", "more", "per_period"):
        value: Fraction | None = getattr(need, field)
        entry[field] = _rounded(need, value)
        entry[f"{field}_exact"] = None if value is None else str(value)
    entry["strict"] = need.strict
    entry["remaining_periods"] = need.remaining
    entry["reason"] = need.reason
    return entry


def needed_json(needed: Needed) -> list[dict[str, Any]]:
    """Every row as JSON, in the catalog's order."""
    return [need_json(need) for need in needed]


def render_needed_json(needed: Needed) -> str:
    """The rows as JSON text (ASCII, indented): see :func:`need_json`."""
    return json.dumps(needed_json(needed), ensure_ascii=True, indent=2) + "\n"


def _note(need: Need) -> str:
    """What the needed value means, by the input's rule over time (short, for the table)."""
    if need.status is not NeedStatus.NEEDED:
        return need.status.label
    count = need.remaining
    if need.input.over_time is TimeRule.SUM:
        return _("remaining {count} periods add {more}").format(
            count=count, more=_shown(need, need.more)
        )
    if need.input.over_time is TimeRule.MEAN:
        return _("yearly mean; remaining {count} periods average {value}").format(
            count=count, value=_shown(need, need.per_period)
        )
    return _("level at the end of the year")


def _needed_cell(need: Need) -> str:
    if need.status is NeedStatus.NEEDED:
        return ("> " if need.strict else "") + _shown(need, need.needed)
    return "-"


def render_needed_text(needed: Needed, *, where: str = KANWIL) -> str:
    """The rows as a text table per indicator not yet met, then those met and not evaluated."""
    progress = needed.progress
    title = _("What the yearly targets still need: {where}, {span}").format(
        where=where, span=progress.label or ""
    )
    out = [*wrap(f"== {title} ==", indent="   "), ""]
    out.extend(
        wrap(
            _("Periods remaining in the year: {count}").format(count=progress.remaining),
            indent="",
        )
    )
    out.extend(
        wrap(
            _(
                "Each input taken alone, the others held at their values so far: the value it "
                "must reach by the end of the year."
            ),
            indent="",
        )
    )
    out.append("")
    met: list[int] = []
    for number, result in needed.results.items():
        rows = needed.of(number)
        if not rows:
            continue
        if result.met:
            met.append(number)
            continue
        indicator = result.indicator
        shown = result.display_value()
        realisasi = "-" if shown is None else localized(str(shown))
        out.extend(
            wrap(
                f"IKU {number}  {shorten(indicator.display_name)}  "
                f"[target {indicator.target.text}]  realisasi {realisasi} "
                f"({result.status.label})",
                indent="    ",
            )
        )
        headers = [_("Input"), _("Now"), _("Needed"), _("More"), _("Note")]
        cells = [
            [
                row.name,
                _shown(row, row.now),
                _needed_cell(row),
                _shown(row, row.more, signed=True),
                _note(row),
            ]
            for row in rows
        ]
        out.extend(table(headers, cells, right=(1, 2, 3), indent="  "))
        for row in rows:
            if row.reason:
                out.extend(wrap(f"{row.name}: {row.reason}", first="  * ", indent="    "))
        out.append("")
    if met:
        out.extend(
            wrap(
                _("Already met: IKU {numbers}").format(numbers=", ".join(map(str, met))),
                indent="  ",
            )
        )
    if needed.not_evaluated:
        missing = "; ".join(
            f"{number} ({', '.join(names)})" for number, names in needed.not_evaluated.items()
        )
        out.extend(
            wrap(_("Not evaluated (inputs missing): IKU {list}").format(list=missing), indent="  ")
        )
    for note in needed.notes:
        out.extend(wrap(note, first="  * ", indent="    "))
    return terminal_text("\n".join(out).rstrip() + "\n")
