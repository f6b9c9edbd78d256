"""``iku list`` and ``iku show``: the catalog's indicators as people read them."""

from __future__ import annotations

__all__ = ["cmd_list", "cmd_show"]

import argparse
import difflib

from .catalog.registry import Catalog, load_catalog
from .errors import CommandError
from .escaping import terminal_text
from .i18n import _
from .language.printers import to_text
from .model import Indicator, InputKind
from .numbers import exact_localized, localized
from .report.layout import fit, said_once, table, wrap

# --------------------------------------------------------------------------- list


def cmd_list(args: argparse.Namespace) -> str:
    catalog = load_catalog(args.catalog)
    count = _("{count} indicators").format(count=len(catalog))
    out: list[str] = [*wrap(f"{catalog.title} ({count})", indent="  "), ""]
    width = max((len(str(indicator.number)) for indicator in catalog), default=1)
    for objective in catalog.objectives:
        indicators = catalog.indicators_of(objective)
        if not indicators:
            continue
        out.extend(wrap(_("Sasaran: {name}").format(name=objective.name), indent="  "))
        for indicator in indicators:
            first = f"  {str(indicator.number).rjust(width)}  "
            out.extend(
                wrap(
                    _("{name}  [target {target}]").format(
                        name=indicator.display_name, target=indicator.target.text
                    ),
                    first=first,
                    indent=" " * len(first),
                )
            )
        out.append("")
    return "\n".join(out)


# --------------------------------------------------------------------------- show


def cmd_show(args: argparse.Namespace) -> str:
    catalog = load_catalog(args.catalog)
    indicator = _find_indicator(catalog, str(args.indicator))
    out = wrap(f"IKU {indicator.number}: {indicator.name}", indent="    ")
    if indicator.label is not None and indicator.label != indicator.name:
        out.extend(
            wrap(
                _("(spelling corrected: {label})").format(label=indicator.label),
                first="  ",
                indent="   ",
            )
        )
    field = " " * 13
    out.append(_("Key        : {key}").format(key=indicator.key))
    out.extend(wrap(_("Sasaran    : {name}").format(name=indicator.objective.name), indent=field))
    parts = "; ".join(f"{exact_localized(p.value)} {p.unit}" for p in indicator.target.parts)
    out.extend(
        wrap(
            _("Target     : {target}  (read as: {parts})").format(
                target=indicator.target.text, parts=parts
            ),
            indent=field,
        )
    )
    out.append(
        _("Polarity   : {value} ({label})").format(
            value=indicator.polarity.value, label=indicator.polarity.label
        )
    )
    if indicator.predikat is not None:
        scale = indicator.predikat
        out.extend(
            wrap(
                f"Predikat   : {scale.name} ({scale.basis.value}): {scale.describe()}",
                indent=" " * 13,
            )
        )
    out.extend(
        wrap(_("Formula    : {formula}").format(formula=indicator.formula_text), indent=field)
    )
    composed = to_text(indicator.composed_formula)
    if composed != indicator.formula_text:
        out.extend(
            wrap(_("composed: {formula}").format(formula=composed), first="  ", indent="    ")
        )
    for position, part in enumerate(indicator.part_formulas, 2):
        target_part = indicator.target.parts[position - 1]
        text = _("part {position} ({unit}): {formula}").format(
            position=position, unit=target_part.unit, formula=to_text(part)
        )
        out.extend(wrap(text, first="  ", indent="    "))
    if indicator.source_formula is not None and indicator.source_formula.strip():
        out.append(_("Source formula (verbatim):"))
        for line in indicator.source_formula.splitlines():
            out.extend(wrap(line, first="  ", indent="  "))
    else:
        out.append(_("Source formula: (the source gives no formula)"))
    out.append("")
    out.append(_("Inputs:"))
    rows = []
    for spec in indicator.input_specs:
        span = ""
        if spec.kind is InputKind.SCORE and spec.minimum is not None and spec.maximum is not None:
            span = f"{exact_localized(spec.minimum)}..{exact_localized(spec.maximum)}"
        rows.append([spec.name, spec.label, spec.unit, spec.kind.value, span])
    headers = [_("Name"), _("Label"), _("Unit"), _("Kind"), _("Range")]
    out.extend(table(headers, rows, right=(), indent="  ", keep=(0, 4)))
    notes = {spec.name: spec.note for spec in indicator.input_specs if spec.note}
    for names, note in said_once(notes):
        every = len(names) == len(indicator.input_specs) and len(names) > 1
        who = _("every input") if every else ", ".join(names)
        out.extend(wrap(f"{who}: {note}", indent="    ", first="  * "))
    if indicator.notes:
        out.append("")
        out.append(_("Notes:"))
        for note in indicator.notes:
            out.extend(wrap(note, indent="    ", first="  - "))
    out.append("")
    return "\n".join(fit(terminal_text("\n".join(out)).split("\n")))


def _find_indicator(catalog: Catalog, wanted: str) -> Indicator:
    """The indicator ``iku show N`` names: its number in ASCII digits, or its key.

    CommandError (exit code 2) otherwise, naming the argument: a number in other digits
    ("²", "①", "٣"), one that is no indicator number ("-1", "1e3", 5,000 digits) or a key
    that no indicator has.
    """
    text = wanted.strip()
    shown = _quoted(text)
    numbers = [indicator.number for indicator in catalog]
    span = (
        _("numbers: {first} to {last}").format(first=min(numbers), last=max(numbers))
        if numbers
        else _("numbers: none")
    )
    if not text:
        raise CommandError(_("argument N is empty; give an indicator number or key"))
    if text.isascii() and text.isdigit():
        if len(text) > _MAX_NUMBER_DIGITS:
            raise CommandError(
                _("argument N: a number of {digits} digits is no indicator number ({span})").format(
                    digits=localized(len(text)), span=span
                )
            )
        try:
            return catalog[int(text)]
        except KeyError as error:
            raise CommandError(str(error)) from None
    if any(not char.isascii() and char.isnumeric() for char in text):
        raise CommandError(
            _(
                "argument N: {shown} is not an indicator number; write the number in the digits "
                "0 to 9 ({span}), or give the indicator's key"
            ).format(shown=shown, span=span)
        )
    if _number_like(text):
        raise CommandError(
            _("argument N: {shown} is not an indicator number ({span})").format(
                shown=shown, span=span
            )
        )
    try:
        return catalog.by_key(text)
    except KeyError:
        keys = [indicator.key for indicator in catalog]
        close = difflib.get_close_matches(text, keys, n=1) if len(text) <= 100 else []
        hint = _("; did you mean {key!r}?").format(key=close[0]) if close else ""
        raise CommandError(
            _("no indicator {shown}: give an indicator number or key").format(shown=shown) + hint
        ) from None


_MAX_NUMBER_DIGITS = 9
"""Longest indicator number ``iku show`` reads (int() of thousands of digits is refused)."""


def _number_like(text: str) -> bool:
    """Whether ``text`` is a number that is no indicator number: "-1", "2.5", "1e3"."""
    mantissa, _unused, exponent = text.lstrip("+-").lower().partition("e")
    digits = mantissa.replace(".", "", 1).replace(",", "", 1)
    whole = exponent.lstrip("+-")
    return (
        digits.isascii()
        and digits.isdigit()
        and (not exponent or (whole.isascii() and whole.isdigit()))
    )


def _quoted(text: str) -> str:
    """``text`` quoted for a message, at most 60 characters, with its length if cut."""
    quoted = repr(text)
    if len(quoted) <= 60:
        return quoted
    return f"{quoted[:57]}... " + _("({count} characters)").format(count=localized(len(text)))
