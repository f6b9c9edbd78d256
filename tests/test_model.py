"""The model's value objects: targets as written and read, inputs and their kinds."""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction

import attrs
import pytest

from iku_formula import Catalog, Input, InputKind, Objective, Target, TargetPart
from iku_formula.model import parse_target

from .conftest import indicator_toml

F = Fraction


@pytest.mark.parametrize(
    ("text", "unit", "parts"),
    [
        ("3.1 Indeks", None, [(F(31, 10), "Indeks")]),
        ("3,1 Indeks", None, [(F(31, 10), "Indeks")]),  # decimal comma
        ("5%", None, [(F(5), "%")]),
        ("88%", None, [(F(88), "%")]),
        ("20 Orang", None, [(F(20), "Orang")]),
        ("4 Instansi Pemerintah", None, [(F(4), "Instansi Pemerintah")]),
        ("3.3", "Indeks", [(F(33, 10), "Indeks")]),
        ("3.14", "Indeks", [(F(157, 50), "Indeks")]),
        (
            "1 Kegiatan / 1 Rekomendasi Kebijakan",
            None,
            [(F(1), "Kegiatan"), (F(1), "Rekomendasi Kebijakan")],
        ),
    ],
)
def test_parse_target(text: str, unit: str | None, parts: list[tuple[Fraction, str]]) -> None:
    target = Target.parse(text, unit)
    assert target.text == text
    assert [(part.value, part.unit) for part in target.parts] == parts
    assert target.value == parts[0][0]
    assert target.unit == parts[0][1]
    assert str(target) == text


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("3.3", "has no unit"),
        ("Indeks", "cannot read"),
        ("satu Kegiatan", "cannot read"),
        ("1 Kegiatan / ", "cannot read"),
    ],
)
def test_parse_target_rejects(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_target(text)


def test_target_part_percent() -> None:
    assert TargetPart(F(5), "%").is_percent
    assert not TargetPart(F(5), "Orang").is_percent


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"name": "Jumlah"}, "lowercase"),
        ({"name": "__class__"}, "underscore"),
        ({"name": "jumlah tahanan"}, "lowercase"),
        ({"label": " "}, "empty"),
        ({"kind": InputKind.SCORE}, "minimum and maximum"),
        ({"kind": InputKind.SCORE, "minimum": F(4), "maximum": F(1)}, "below maximum"),
        ({"minimum": F(0)}, "only a score"),
        ({"kind": "count"}, "kind"),
        # Defect: a rule given as text ("last") was taken and silently never matched
        # TimeRule.LAST or UnitRule.WEIGHTED_MEAN later; the model now refuses it.
        ({"over_time": "last"}, "over_time"),
        ({"over_units": "weighted_mean", "weight": "responden"}, "over_units"),
    ],
)
def test_input_is_validated(kwargs: dict[str, object], message: str) -> None:
    base: dict[str, object] = {
        "name": "jumlah_tahanan",
        "label": "Jumlah Tahanan",
        "unit": "orang",
        "kind": InputKind.COUNT,
    }
    with pytest.raises((ValueError, TypeError), match=message):
        Input(**{**base, **kwargs})  # type: ignore[arg-type]


def test_model_objects_are_frozen() -> None:
    objective = Objective("sk01", "Sasaran")
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        objective.name = "lain"  # type: ignore[misc]
    score = Input("skor", "Skor", "indeks", InputKind.SCORE, F(1), F(4))
    assert (score.minimum, score.maximum) == (1, 4)


def test_indicator_rules_must_be_enum_members(make_catalog: Callable[..., Catalog]) -> None:
    indicator = make_catalog(indicator_toml()).indicators[0]
    for field, text in (("undefined_parts", "skip"), ("roll_up", "mean_of_units")):
        with pytest.raises(TypeError, match=field):
            attrs.evolve(indicator, **{field: text})
