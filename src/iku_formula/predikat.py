"""Predikat: a named scale of bands on capaian or on realisasi, each with a code, label, colour.

A band is a half-open interval ``[lower, upper)``: a value equal to a band's lower bound is
in that band, a value just below it in the band under it. Half-open bounds make the bounds
as sources write them contiguous: PermenPANRB 14/2017 writes C as "2,60-3,064" and B as
"3,0644-3,532", which leaves 3,0641 in no band when read as closed intervals; read as
``C = [2.60, 3.0644)`` and ``B = [3.0644, 3.5324)`` every value has exactly one band.

The ends of a scale: the lowest band may be unbounded below (``lower`` None) and the
highest unbounded above (``upper`` None), as a capaian scale is (a capaian of 130% is as
"Sangat Tinggi" as one of 100%). A highest band with a finite ``upper`` is **closed** at
it: the top of a survey scale (4,00; 100,00) is a value a survey can reach, and the
sources write it inclusive ("A 3,5324-4,00"). A value outside the scale has no band.

The bands are plain data (exact Fraction bounds, code, label, colour), so that every back
end (exact, numpy, SQL, JavaScript) classifies from the same table; comparisons are exact,
on the exact value, never on the rounded one.
"""

from __future__ import annotations

__all__ = [
    "COLOUR_RE",
    "MAX_CODE",
    "Band",
    "Basis",
    "PredikatScale",
    "lowest_first",
    "scale_problems",
]

import enum
import itertools
import re
from collections.abc import Iterable, Sequence
from fractions import Fraction
from typing import Any

import attrs

from .errors import DefinitionError
from .i18n import _
from .numbers import exact_localized

COLOUR_RE = re.compile(r"#[0-9a-fA-F]{6}\Z")
"""A colour as ``#rrggbb`` (what spreadsheets, HTML and terminals all read)."""

MAX_CODE = 8
"""The longest band code ("A", "AA", "BB", "SR"): it is shown in narrow columns."""


class Basis(enum.Enum):
    """What a scale classifies: capaian (percent of target) or the realisasi itself."""

    CAPAIAN = "capaian"
    REALISASI = "realisasi"


def _fraction_or_none(
    instance: object, attribute: attrs.Attribute[Any], value: Fraction | None
) -> None:
    if value is not None and type(value) is not Fraction:
        raise DefinitionError(
            _("{name} must be a Fraction or None, got {value}").format(
                name=attribute.name, value=f"{value!r:.40}"
            )
        )


def _text(instance: object, attribute: attrs.Attribute[str], value: object) -> None:
    if not isinstance(value, str) or not value.strip():
        raise DefinitionError(_("{name} must be text, not empty").format(name=attribute.name))


def _printable(instance: object, attribute: attrs.Attribute[str], value: object) -> None:
    _text(instance, attribute, value)
    assert isinstance(value, str)
    if not value.isprintable():
        raise DefinitionError(
            _("{name} {value} has a control character; write it without").format(
                name=attribute.name, value=f"{value!r:.60}"
            )
        )


def _code(instance: object, attribute: attrs.Attribute[str], value: object) -> None:
    _text(instance, attribute, value)
    assert isinstance(value, str)
    if len(value) > MAX_CODE or not value.isprintable():
        raise DefinitionError(
            _("code {code} must be at most {most} printable characters").format(
                code=f"{value!r:.40}", most=MAX_CODE
            )
        )


def _colour(instance: object, attribute: attrs.Attribute[str], value: object) -> None:
    if not isinstance(value, str) or not COLOUR_RE.match(value):
        raise DefinitionError(
            _("colour must be written #rrggbb (six hexadecimal digits), got {value}").format(
                value=f"{value!r:.40}"
            )
        )


def _bound_text(value: Fraction | None, below: bool) -> str:
    if value is None:
        return "-∞" if below else "∞"
    return exact_localized(value)


@attrs.frozen
class Band:
    """One predikat: the values ``lower <= v < upper`` (None: unbounded on that side)."""

    code: str = attrs.field(validator=_code)
    """A short code: "A", "B", "AA"."""
    label: str = attrs.field(validator=_printable)
    """What it is called: "Sangat Baik"."""
    colour: str = attrs.field(validator=_colour)
    """``#rrggbb``, the colour reports fill it with."""
    lower: Fraction | None = attrs.field(default=None, validator=_fraction_or_none)
    """Inclusive; None: unbounded below."""
    upper: Fraction | None = attrs.field(default=None, validator=_fraction_or_none)
    """Exclusive (inclusive for the top band of a scale); None: unbounded above."""

    def __attrs_post_init__(self) -> None:
        if self.lower is not None and self.upper is not None and self.lower >= self.upper:
            raise DefinitionError(
                _("band {code}: lower {lower} must be below upper {upper}").format(
                    code=self.code,
                    lower=exact_localized(self.lower),
                    upper=exact_localized(self.upper),
                )
            )

    @property
    def interval(self) -> str:
        """The band as an interval: "[3.0644, 3.5324)", "(-∞, 51)"; Indonesian "[3,0644; 3,5324)"
        (its decimal comma would make a comma between the bounds ambiguous)."""
        opening = "(" if self.lower is None else "["
        return _("{opening}{lower}, {upper})").format(
            opening=opening,
            lower=_bound_text(self.lower, True),
            upper=_bound_text(self.upper, False),
        )

    @property
    def text(self) -> str:
        """Code and label as reports show them: "A (Sangat Baik)"."""
        return f"{self.code} ({self.label})"


def lowest_first(bands: Iterable[Band]) -> tuple[Band, ...]:
    """The bands from the lowest up (a band unbounded below first); any order is accepted."""
    listed = tuple(bands)
    if not all(isinstance(band, Band) for band in listed):
        raise DefinitionError(_("bands must be Band objects"))
    return tuple(sorted(listed, key=lambda b: (b.lower is not None, b.lower or 0)))


def scale_problems(bands: Sequence[Band]) -> list[str]:
    """Every gap, overlap and repeated code of ``bands`` (lowest first), each a sentence."""
    problems: list[str] = []
    if not bands:
        return [_("a scale needs at least one band")]
    codes: dict[str, None] = {}
    for band in bands:
        if band.code in codes:
            problems.append(_("code {code} is given to two bands").format(code=band.code))
        codes[band.code] = None
    for low, high in itertools.pairwise(bands):
        if low.upper is None or high.lower is None or low.upper > high.lower:
            uppers = [upper for upper in (low.upper, high.upper) if upper is not None]
            start, end = high.lower, min(uppers) if uppers else None
            problems.append(
                _(
                    "bands {low} {low_interval} and {high} {high_interval} overlap "
                    "from {start} to {end}"
                ).format(
                    low=low.code,
                    low_interval=low.interval,
                    high=high.code,
                    high_interval=high.interval,
                    start=_bound_text(start, True),
                    end=_bound_text(end, False),
                )
            )
        elif low.upper < high.lower:
            problems.append(
                _(
                    "bands {low} {low_interval} and {high} {high_interval} leave a gap "
                    "from {start} to {end}; make the upper bound of {low} the lower bound "
                    "of {high}"
                ).format(
                    low=low.code,
                    low_interval=low.interval,
                    high=high.code,
                    high_interval=high.interval,
                    start=exact_localized(low.upper),
                    end=exact_localized(high.lower),
                )
            )
    return problems


def _basis(instance: object, attribute: attrs.Attribute[Basis], value: object) -> None:
    if not isinstance(value, Basis):
        raise DefinitionError(
            _("basis must be a Basis, got {value}").format(value=f"{value!r:.40}")
        )


@attrs.frozen
class PredikatScale:
    """A named scale: contiguous bands, lowest first, on capaian or on realisasi."""

    name: str = attrs.field(validator=_text)
    basis: Basis = attrs.field(validator=_basis)
    bands: tuple[Band, ...] = attrs.field(converter=lowest_first)
    label: str | None = None
    """What people call the scale ("Mutu pelayanan IKM, skala 1-4")."""
    note: str | None = None
    """Where the bands come from and how they are read."""

    def __attrs_post_init__(self) -> None:
        problems = scale_problems(self.bands)
        if problems:
            raise DefinitionError(
                _("predikat scale {name}: {problems}").format(
                    name=self.name, problems="; ".join(problems)
                )
            )

    @property
    def minimum(self) -> Fraction | None:
        """The lowest value with a band (None: unbounded below)."""
        return self.bands[0].lower

    @property
    def maximum(self) -> Fraction | None:
        """The highest value with a band, included (None: unbounded above)."""
        return self.bands[-1].upper

    def interval(self, band: Band) -> str:
        """``band``'s interval as this scale reads it: the top of a bounded scale closed."""
        if band is self.bands[-1] and band.upper is not None:
            return band.interval[:-1] + "]"
        return band.interval

    def describe(self) -> str:
        """Every band, highest first: "A Sangat Baik [3.5324, 4]; B Baik [3.0644, 3.5324); ..."."""
        return "; ".join(
            f"{band.code} {band.label} {self.interval(band)}" for band in reversed(self.bands)
        )

    def classify(self, value: Fraction) -> Band | None:
        """The band holding the exact ``value``, or None when it is outside the scale."""
        top = self.bands[-1]
        if top.upper is not None and value == top.upper:
            return top  # the top of a bounded scale is closed
        for band in self.bands:
            if (band.lower is None or band.lower <= value) and (
                band.upper is None or value < band.upper
            ):
                return band
        return None
