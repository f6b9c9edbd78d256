"""Predikat scales: half-open bands at every boundary, gaps and overlaps refused, the
PermenPANRB 14/2017 mutu bands of the bundled catalog on both IKM scales."""

from __future__ import annotations

from fractions import Fraction

import pytest

from iku_formula import load_catalog
from iku_formula.errors import DefinitionError
from iku_formula.predikat import Band, Basis, PredikatScale, scale_problems

F = Fraction
EPSILON = F(1, 10**12)


def band(code: str, lower: object, upper: object) -> Band:
    return Band(
        code,
        f"pita {code}",
        "#123abc",
        None if lower is None else F(str(lower)),
        None if upper is None else F(str(upper)),
    )


THREE = PredikatScale(
    "tiga", Basis.CAPAIAN, (band("A", 90, None), band("C", None, 60), band("B", 60, 90))
)
"""Unbounded at both ends, given out of order."""

CLOSED = PredikatScale("tertutup", Basis.REALISASI, (band("X", 1, 2), band("Y", 2, 4)))


def test_bands_are_kept_lowest_first() -> None:
    assert [b.code for b in THREE.bands] == ["C", "B", "A"]
    assert (THREE.minimum, THREE.maximum) == (None, None)
    assert (CLOSED.minimum, CLOSED.maximum) == (1, 4)


@pytest.mark.parametrize(
    ("scale", "value", "code"),
    [
        (THREE, F(-(10**9)), "C"),
        (THREE, F(60) - EPSILON, "C"),
        (THREE, F(60), "B"),
        (THREE, F(90) - EPSILON, "B"),
        (THREE, F(90), "A"),
        (THREE, F(10**9), "A"),
        (CLOSED, F(1) - EPSILON, None),
        (CLOSED, F(1), "X"),
        (CLOSED, F(2) - EPSILON, "X"),
        (CLOSED, F(2), "Y"),
        (CLOSED, F(4) - EPSILON, "Y"),
        (CLOSED, F(4), "Y"),  # the top of a bounded scale is closed
        (CLOSED, F(4) + EPSILON, None),
    ],
)
def test_half_open_bands_at_every_boundary(
    scale: PredikatScale, value: Fraction, code: str | None
) -> None:
    found = scale.classify(value)
    assert (None if found is None else found.code) == code


@pytest.mark.parametrize(
    ("bands", "problems"),
    [
        (
            [band("A", 3, 4), band("B", 1, 2.9)],
            [
                "bands B [1, 2.9) and A [3, 4) leave a gap from 2.9 to 3; make the upper bound "
                "of B the lower bound of A"
            ],
        ),
        ([band("A", 2, 4), band("B", 1, 3)], ["bands B [1, 3) and A [2, 4) overlap from 2 to 3"]),
        (
            [band("A", 2, None), band("B", 1, None)],
            ["bands B [1, ∞) and A [2, ∞) overlap from 2 to ∞"],
        ),
        (
            [band("A", None, 4), band("B", None, 2)],
            ["bands A (-∞, 4) and B (-∞, 2) overlap from -∞ to 2"],
        ),
        ([band("A", 1, 2), band("A", 2, 3)], ["code A is given to two bands"]),
        ([], ["a scale needs at least one band"]),
        (
            [band("A", 1, 2), band("B", 3, 4), band("C", 3.5, 5)],
            [
                "bands A [1, 2) and B [3, 4) leave a gap from 2 to 3; make the upper bound of A "
                "the lower bound of B",
                "bands B [3, 4) and C [3.5, 5) overlap from 3.5 to 4",
            ],
        ),
    ],
)
def test_gaps_and_overlaps_are_refused_all_at_once(bands: list[Band], problems: list[str]) -> None:
    ordered = sorted(bands, key=lambda b: (b.lower is not None, b.lower or 0))
    assert scale_problems(ordered) == problems
    with pytest.raises(DefinitionError, match="predikat scale s: "):
        PredikatScale("s", Basis.CAPAIAN, tuple(bands))


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (("A", "Baik", "green"), "colour must be written #rrggbb"),
        (("A", "Baik", "#12345"), "colour must be written #rrggbb"),
        (("A", "Baik", "#1234567"), "colour must be written #rrggbb"),
        (("", "Baik", "#123456"), "code must be text"),
        (("ABCDEFGHI", "Baik", "#123456"), "at most 8 printable"),
        (("A", " ", "#123456"), "label must be text"),
        (("A", "Baik", "#123456", F(2), F(2)), "lower 2 must be below upper 2"),
        (("A", "Baik", "#123456", 2.5), "lower must be a Fraction or None"),
    ],
)
def test_a_band_is_validated(arguments: tuple[object, ...], message: str) -> None:
    with pytest.raises(DefinitionError, match=message):
        Band(*arguments)  # type: ignore[arg-type]


# PermenPANRB 14/2017, as the source writes them; each band's upper bound is the next
# band's lower (half-open), and the top of the scale is included.
IKM_1_4 = [("1.00", "D"), ("2.60", "C"), ("3.0644", "B"), ("3.5324", "A"), ("4.00", "A")]
IKM_25_100 = [("25.00", "D"), ("65.00", "C"), ("76.61", "B"), ("88.31", "A"), ("100.00", "A")]
WRITTEN_UPPERS = [
    ("mutu_ikm_1_4", "2.5996", "D"),
    ("mutu_ikm_1_4", "3.064", "C"),
    ("mutu_ikm_1_4", "3.0641", "C"),  # between the written bounds: no gap
    ("mutu_ikm_1_4", "3.532", "B"),
    ("mutu_ikm_1_4", "3.5323", "B"),
    ("mutu_ikm_25_100", "64.99", "D"),
    ("mutu_ikm_25_100", "64.995", "D"),
    ("mutu_ikm_25_100", "76.60", "C"),
    ("mutu_ikm_25_100", "76.605", "C"),
    ("mutu_ikm_25_100", "88.30", "B"),
    ("mutu_ikm_25_100", "88.305", "B"),
]
LABELS = {"A": "Sangat Baik", "B": "Baik", "C": "Kurang Baik", "D": "Tidak Baik"}


def _cases() -> list[tuple[str, str, str | None]]:
    cases: list[tuple[str, str, str | None]] = []
    for name, table in (("mutu_ikm_1_4", IKM_1_4), ("mutu_ikm_25_100", IKM_25_100)):
        below = None
        for lower, code in table:
            cases.append((name, lower, code))
            cases.append((name, str(F(lower) - EPSILON), below if code != below else code))
            below = code
        top = table[-1][0]
        cases.append((name, str(F(top) + EPSILON), None))
    return cases


@pytest.mark.parametrize(("name", "value", "code"), _cases() + WRITTEN_UPPERS)
def test_the_permenpanrb_mutu_bands_of_the_bundled_catalog(
    name: str, value: str, code: str | None
) -> None:
    scale = load_catalog().predikat_scales[name]
    assert scale.basis is Basis.REALISASI
    found = scale.classify(F(value))
    assert (None if found is None else found.code) == code
    if found is not None:
        assert found.label == LABELS[found.code]


DEFAULT = [
    ("-5", "SR"),
    ("0", "SR"),
    ("50.5", "SR"),
    ("51", "R"),
    ("65.99", "R"),
    ("66", "S"),
    ("76", "T"),
    ("90.999", "T"),
    ("91", "ST"),
    ("100", "ST"),
    ("250", "ST"),
]


@pytest.mark.parametrize(("capaian", "code"), DEFAULT)
def test_the_default_capaian_scale(capaian: str, code: str) -> None:
    scale = load_catalog().default_predikat
    assert scale is not None
    assert scale.basis is Basis.CAPAIAN
    found = scale.classify(F(capaian))
    assert found is not None
    assert found.code == code


def test_iku_20_predikat_is_its_mutu_and_the_others_capaian() -> None:
    catalog = load_catalog()
    assert catalog.predikat_scale_for(20) is catalog.predikat_scales["mutu_ikm_1_4"]
    others = {i.number for i in catalog if i.predikat is catalog.default_predikat}
    assert others == {i.number for i in catalog} - {20}
    results = catalog.evaluate({"ikm_keimigrasian": "3,5324"})
    assert results[20].predikat is not None
    assert (results[20].predikat.code, results[20].predikat.label) == ("A", "Sangat Baik")
    # Its capaian (3.5324 / 3.3 = 107%) would be "ST" on the default: the mutu is used.
    assert catalog.evaluate({"ikm_keimigrasian": "3,0643"})[20].predikat.code == "C"  # type: ignore[union-attr]
    assert catalog.evaluate({"ikm_keimigrasian": "3,0644"})[20].predikat.code == "B"  # type: ignore[union-attr]


def test_predikat_is_none_without_a_scale_or_a_value() -> None:
    catalog = load_catalog()
    undefined = catalog.evaluate({"pemenuhan_makanan": 0, "jumlah_tahanan": 0})[23]
    assert undefined.achievement is None
    assert undefined.predikat is None
    plain = catalog[23].evaluate({"pemenuhan_makanan": 1, "jumlah_tahanan": 1})
    assert plain.predikat is not None
    assert plain.predikat.code == "ST"


def test_predikat_compares_the_exact_value_never_the_rounded() -> None:
    """76 / 85 x 100 = 89.41...; 90.999... rounds to 91.00 but is "T"."""
    catalog = load_catalog()
    # persen(a, b) / 85% x 100 just below 91: a / b = 0.77349..., shown 91.00
    result = catalog.evaluate({"pemenuhan_makanan": 77349, "jumlah_tahanan": 100000})[23]
    assert str(result.display_achievement()) == "91.00"
    assert result.achievement is not None
    assert result.achievement < 91
    assert result.predikat is not None
    assert result.predikat.code == "T"


def test_describe_reads_the_top_of_a_bounded_scale_closed() -> None:
    assert CLOSED.describe() == "Y pita Y [2, 4]; X pita X [1, 2)"
    assert THREE.describe() == "A pita A [90, ∞); B pita B [60, 90); C pita C (-∞, 60)"


def test_iku_show_names_the_scale(capsys: pytest.CaptureFixture[str]) -> None:
    from iku_formula.cli import main

    assert main(["show", "20"]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert (
        "Predikat : mutu_ikm_1_4 (realisasi): A Sangat Baik [3.5324, 4]; B Baik [3.0644, 3.5324); "
        "C Kurang Baik [2.6, 3.0644); D Tidak Baik [1, 2.6)" in out
    )


def test_the_notebook_card_shows_the_predikat_in_its_colour() -> None:
    result = load_catalog().evaluate({"ikm_keimigrasian": "3,6"})[20]
    html = result._repr_html_()
    assert '<span style="background:#1a9850;padding:0 0.6em">&nbsp;</span> A (Sangat Baik)' in html


@pytest.mark.usefixtures("indonesian")
def test_iku_show_writes_the_bounds_with_indonesian_separators(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from iku_formula.cli import main

    assert main(["show", "20"]) == 0
    out = " ".join(capsys.readouterr().out.split())
    # the decimal comma makes a comma between the bounds ambiguous: Indonesian uses ";"
    assert "A Sangat Baik [3,5324; 4]; B Baik [3,0644; 3,5324)" in out
    assert "3.5324" not in out


@pytest.mark.usefixtures("indonesian")
def test_band_errors_use_indonesian_separators() -> None:
    with pytest.raises(DefinitionError, match=r"3,5 .* 2,25"):
        Band(code="A", label="A", colour="#000000", lower=Fraction(7, 2), upper=Fraction(9, 4))
