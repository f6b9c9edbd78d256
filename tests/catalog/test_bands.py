"""Loading predikat scales: every problem located and listed in one pass; each indicator's
scale; a scale on realisasi covering exactly what the realisasi can take."""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from pathlib import Path

import pytest
import sympy

from iku_formula import CatalogError, load_catalog
from iku_formula.catalog.bands import realisasi_range
from iku_formula.language.parse import parse_formula
from iku_formula.model import UndefinedParts

from ..conftest import HEADER, indicator_toml

F = Fraction

CAPAIAN = """
[predikat.c]
basis = "capaian"

[[predikat.c.bands]]
code = "A"
label = "Baik"
colour = "#00aa00"
lower = 80

[[predikat.c.bands]]
code = "B"
label = "Buruk"
colour = "#aa0000"
upper = 80
"""

SKOR = """
[predikat.skor14]
basis = "realisasi"

[[predikat.skor14.bands]]
code = "A"
label = "Tinggi"
colour = "#00aa00"
lower = 2.5
upper = 4

[[predikat.skor14.bands]]
code = "B"
label = "Rendah"
colour = "#aa0000"
lower = 1
upper = 2.5
"""


def with_default(name: str) -> str:
    return HEADER.replace("year = 2024\n", f'year = 2024\npredikat = "{name}"\n', 1)


def problems(write_catalog: Callable[[str], Path], text: str) -> list[str]:
    with pytest.raises(CatalogError) as caught:
        load_catalog(write_catalog(text))
    return [f"{problem.location}: {problem.message}" for problem in caught.value.problems]


def test_the_default_scale_and_an_indicators_own(write_catalog: Callable[[str], Path]) -> None:
    text = (
        with_default("c")
        + CAPAIAN
        + SKOR
        + indicator_toml(1)
        + indicator_toml(
            2, formula="skor", inputs=["skor"], target="3", target_unit="Indeks", predikat="skor14"
        )
    )
    catalog = load_catalog(write_catalog(text))
    assert catalog[1].predikat is catalog.default_predikat is catalog.predikat_scales["c"]
    assert catalog[2].predikat is catalog.predikat_scales["skor14"]
    results = catalog.evaluate({"a": 70, "b": 100, "skor": "2,5"})
    assert results[1].predikat is not None
    assert results[1].predikat.code == "B"  # capaian 70% / 90% = 77.8
    assert results[2].predikat is not None
    assert results[2].predikat.code == "A"


def test_no_scale_no_predikat(make_catalog: Callable[..., object]) -> None:
    catalog = make_catalog(indicator_toml(1))
    assert catalog[1].predikat is None  # type: ignore[index]
    assert catalog.evaluate({"a": 1, "b": 1})[1].predikat is None  # type: ignore[attr-defined]


BAD_SCALES = """
[predikat.celah]
basis = "capaian"

[[predikat.celah.bands]]
code = "A"
label = "Baik"
colour = "#00aa00"
lower = 80

[[predikat.celah.bands]]
code = "B"
label = "Cukup"
colour = "#aaaa00"
lower = 60
upper = 79.99

[[predikat.celah.bands]]
code = "C"
label = "Buruk"
colour = "#aa0000"
upper = 61

[predikat.warna]
basis = "capaian"

[[predikat.warna.bands]]
code = "A"
label = "Baik"
colour = "hijau"

[[predikat.warna.bands]]
label = "Buruk"
colour = "#aa0000"

[predikat.Salah]
basis = "capaian"

[predikat.dasar]
basis = "nilai"

[[predikat.dasar.bands]]
code = "A"
label = "Baik"
colour = "#00aa00"
"""


def test_every_problem_of_the_scales_in_one_pass(write_catalog: Callable[[str], Path]) -> None:
    found = problems(
        write_catalog,
        with_default("celahh")
        + BAD_SCALES
        + indicator_toml(1, predikat="warna")
        + indicator_toml(2, predikat="tidak_ada"),
    )
    assert found == [
        "predikat 'celah': bands C (-∞, 61) and B [60, 79.99) overlap from 60 to 61",
        "predikat 'celah': bands B [60, 79.99) and A [80, ∞) leave a gap from 79.99 to 80; "
        "make the upper bound of B the lower bound of A",
        "predikat 'warna', band #1: colour must be written #rrggbb (six hexadecimal digits), "
        "got 'hijau'",
        "predikat 'warna', band #2: field 'code' is missing",
        found[4],  # the name's own wording, from the formula language
        "predikat 'dasar': field 'basis': 'nilai' is not a valid Basis; "
        "use one of 'capaian', 'realisasi'",
        "[catalog]: field 'predikat': unknown predikat scale 'celahh' (did you mean 'celah'?)",
        "indicator 2: field 'predikat': unknown predikat scale 'tidak_ada'; "
        "declare it as [predikat.tidak_ada]",
    ]
    assert found[4].startswith("predikat 'Salah': ")
    # indicator 1 names a scale that is declared but wrong: not also "unknown"
    assert not any(problem.startswith("indicator 1") for problem in found)


def test_a_scale_without_bands(write_catalog: Callable[[str], Path]) -> None:
    found = problems(
        write_catalog, HEADER + '[predikat.x]\nbasis = "capaian"\n' + indicator_toml(1)
    )
    assert found == ["predikat 'x': the scale has no bands; add [[predikat.NAME.bands]] tables"]


def test_the_default_must_be_on_capaian(write_catalog: Callable[[str], Path]) -> None:
    found = problems(write_catalog, with_default("skor14") + SKOR + indicator_toml(1))
    assert found == [
        "[catalog]: field 'predikat': the default scale 'skor14' is on realisasi; the default "
        "must be on capaian (give a scale on realisasi to the indicators it fits, with their "
        "own 'predikat')"
    ]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (
            {"formula": "persen(a, b)", "inputs": ["a", "b"]},
            "indicator 1: field 'predikat': scale 'skor14' classifies realisasi, but the values "
            "this indicator's realisasi can take cannot be worked out from its formula",
        ),
        (
            {"formula": "skor * 25", "inputs": ["skor"]},
            "indicator 1: field 'predikat': scale 'skor14' classifies realisasi from 1 to 4, but "
            "this indicator's realisasi ranges from 25 to 100; a scale on realisasi must cover "
            "exactly the values the realisasi can take",
        ),
        (
            {"formula": "a", "inputs": ["a"]},
            "indicator 1: field 'predikat': scale 'skor14' classifies realisasi from 1 to 4, but "
            "this indicator's realisasi ranges from 0 to ∞",
        ),
    ],
)
def test_a_scale_on_realisasi_must_fit_the_realisasi(
    write_catalog: Callable[[str], Path], fields: dict[str, object], message: str
) -> None:
    found = problems(write_catalog, HEADER + SKOR + indicator_toml(1, predikat="skor14", **fields))
    assert len(found) == 1
    assert found[0].startswith(message), found


@pytest.mark.parametrize(
    ("formula", "span"),
    [
        ("skor", (F(1), F(4))),
        ("a", (F(0), None)),
        ("rupiah", (F(0), None)),
        ("skor * 25", (F(25), F(100))),
        ("skor / 20 - 1", (F(-19, 20), F(-4, 5))),
        ("5 - skor", (F(1), F(4))),
        ("-skor", (F(-4), F(-1))),
        ("3", (F(3), F(3))),
        ("a + skor", (F(1), None)),
        ("rata_rata(skor, a)", (F(1, 2), None)),
        ("rata_rata_tertimbang(skor, a, skor2, b)", (F(0), F(5))),
        ("persen(a, b)", None),
        ("skor * (skor + 1)", None),  # an input used twice: the range is not worked out
        ("skor + skor", (F(2), F(8))),  # read as 2 * skor
        ("a * b", None),
        ("pertumbuhan(a, b)", None),
    ],
)
def test_realisasi_range(
    formula: str, span: tuple[Fraction | None, Fraction | None] | None
) -> None:
    from iku_formula.model import Input, InputKind

    inputs = {
        "skor": Input("skor", "Skor", "indeks", InputKind.SCORE, F(1), F(4)),
        "skor2": Input("skor2", "Skor 2", "indeks", InputKind.SCORE, F(0), F(5)),
        "a": Input("a", "A", "orang", InputKind.COUNT),
        "b": Input("b", "B", "orang", InputKind.COUNT),
        "rupiah": Input("rupiah", "R", "rupiah", InputKind.AMOUNT),
    }
    expr = parse_formula(formula, frozenset(inputs))
    assert isinstance(expr, sympy.Expr)
    assert realisasi_range(expr, inputs, UndefinedParts.UNDEFINED) == span


def test_a_mean_skipping_parts_ranges_over_the_hull() -> None:
    from iku_formula.model import Input, InputKind

    inputs = {
        "p": Input("p", "P", "indeks", InputKind.SCORE, F(0), F(1)),
        "q": Input("q", "Q", "indeks", InputKind.SCORE, F(2), F(4)),
    }
    expr = parse_formula("rata_rata(p, q)", frozenset(inputs))
    assert realisasi_range(expr, inputs, UndefinedParts.UNDEFINED) == (F(1), F(5, 2))
    assert realisasi_range(expr, inputs, UndefinedParts.SKIP) == (F(0), F(4))


def test_bands_of_the_wrong_shape_or_too_many(write_catalog: Callable[[str], Path]) -> None:
    many = "".join(
        f'\n[[predikat.banyak.bands]]\ncode = "B{n}"\nlabel = "B"\ncolour = "#000000"\n'
        f"lower = {n}\nupper = {n + 1}\n"
        for n in range(101)
    )
    text = (
        HEADER
        + '[predikat.banyak]\nbasis = "capaian"\n'
        + many
        + '\n[predikat.daftar]\nbasis = "capaian"\nbands = "A"\n'
        + '\n[predikat.isi]\nbasis = "capaian"\nbands = [1]\n'
        + indicator_toml(1)
    )
    assert problems(write_catalog, text) == [
        "predikat 'banyak': 101 bands; the limit is 100",
        "predikat 'daftar': 'bands' must be a list of tables, at least one",
        "predikat 'isi', band #1: must be a table, got int",
    ]


def test_a_band_label_with_a_control_character_is_refused(
    write_catalog: Callable[[str], Path],
) -> None:
    text = (
        HEADER
        + '[predikat.x]\nbasis = "capaian"\n\n[[predikat.x.bands]]\ncode = "A"\n'
        + 'label = "Baik \\u001b[31m"\ncolour = "#000000"\n'
        + indicator_toml(1)
    )
    assert problems(write_catalog, text) == [
        "predikat 'x', band #1: label 'Baik \\x1b[31m' has a control character; write it without"
    ]
