"""Catalog loading: validation at load, every problem at once, references and cycles."""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path

import pytest
import sympy
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from iku_formula import Catalog, CatalogError, Polarity, load_catalog
from iku_formula.language.functions import FUNCTIONS, Call, Persen, RataRata
from iku_formula.language.parse import MAX_DEPTH, MAX_RESULT_DIGITS, MAX_TOKENS, value_digits

from ..conftest import HEADER, indicator_toml

a, b, c, d = sympy.symbols("a b c d")


def problems_of(error: pytest.ExceptionInfo[CatalogError]) -> list[str]:
    return [str(problem) for problem in error.value.problems]


def test_small_catalog_loads(make_catalog: Callable[..., Catalog]) -> None:
    catalog = make_catalog(
        indicator_toml(1),
        indicator_toml(2, formula="a", target="3 Orang", inputs=["a"], polarity="minimize"),
    )
    assert len(catalog) == 2
    assert [indicator.number for indicator in catalog] == [1, 2]
    assert catalog[2].polarity is Polarity.MINIMIZE
    assert catalog[1].formula == Persen(a, b)
    assert catalog[1].inputs == ("a", "b")
    assert catalog[1].objective.name == "Sasaran uji"
    assert catalog[1].source_formula is None
    assert catalog.indicators_of("sk01") == catalog.indicators
    assert 1 in catalog
    assert 3 not in catalog
    with pytest.raises(KeyError, match="no indicator number 3"):
        catalog[3]


@pytest.mark.parametrize(
    ("indicator", "fragment"),
    [
        (indicator_toml(colour="red"), "indicator 1: unknown field 'colour'"),
        (indicator_toml(polarty="maximize"), "did you mean 'polarity'?"),
        (indicator_toml(number='"1"'), "field 'number' must be an integer"),
        (indicator_toml(number=True), "field 'number' must be an integer, got true"),
        (indicator_toml(formula=None), "field 'formula' is missing"),
        (indicator_toml(polarity="naik"), "field 'polarity': 'naik' is not a valid Polarity"),
        (indicator_toml(target="banyak"), "field 'target': target 'banyak': cannot read"),
        (indicator_toml(target="3.3"), "has no unit; add target_unit"),
        (indicator_toml(objective="sk02"), "unknown objective 'sk02' (did you mean 'sk01'?)"),
        (indicator_toml(inputs=["a"]), "the formula uses 'b', which 'inputs' does not list"),
        (indicator_toml(inputs=["a", "b", "c"]), "'c' listed but not used by the formula"),
        (
            indicator_toml(inputs=["a", "bb"]),
            "'bb' is not defined under [inputs] (did you mean 'b'?)",
        ),
        (indicator_toml(formula="persen(a, bb)"), "unknown name 'bb'; did you mean 'b'?"),
        (indicator_toml(formula="a - a", inputs=["a"]), "'a' listed but not used"),
        (indicator_toml(key="Besar"), "field 'key': name 'Besar' must be lowercase"),
        (indicator_toml(key="a"), "key 'a' is also an input name"),
        (indicator_toml(undefined_parts="abaikan"), "'abaikan' is not a valid UndefinedParts"),
        (indicator_toml(notes=None, inputs=None), "field 'inputs' is missing"),
        (
            indicator_toml(target="1 Kegiatan / 1 Rekomendasi"),
            "has 2 parts, so it needs 1 formula here, got 0",
        ),
        (indicator_toml(number=0), "field 'number' must be 1 or more"),
    ],
)
def test_invalid_indicator_is_reported_with_file_indicator_and_field(
    make_catalog: Callable[..., Catalog], indicator: str, fragment: str
) -> None:
    with pytest.raises(CatalogError) as caught:
        make_catalog(indicator)
    problems = problems_of(caught)
    assert any(fragment in problem for problem in problems), problems
    assert all(problem.startswith(str(caught.value.problems[0].file)) for problem in problems)
    assert caught.value.problems[0].file.endswith("uji.toml")


def test_every_problem_is_reported_at_once(make_catalog: Callable[..., Catalog]) -> None:
    with pytest.raises(CatalogError) as caught:
        make_catalog(
            indicator_toml(1, colour="red"),
            indicator_toml(2, formula="persen(a, bb)"),
            indicator_toml(3, polarity="naik"),
            indicator_toml(3, key="ind4", name="Indikator 1"),
        )
    problems = problems_of(caught)
    assert len(problems) == 5, problems
    for fragment in (
        "indicator 1: unknown field 'colour'",
        "indicator 2: field 'formula': unknown name 'bb'",
        "indicator 3: field 'polarity'",
        "duplicate number 3",
        "duplicate name 'Indikator 1'",
    ):
        assert any(fragment in problem for problem in problems), (fragment, problems)
    assert str(caught.value).startswith("invalid catalog (5 problems):")


@pytest.mark.parametrize(
    "broken",
    [
        {"formula": "persen(a, bb)"},  # a formula that does not parse: unknown name
        {"formula": None},  # a required field missing
        {"name": None},
    ],
)
def test_an_entry_with_a_broken_formula_still_has_its_other_fields_checked(
    make_catalog: Callable[..., Catalog], broken: dict[str, object]
) -> None:
    with pytest.raises(CatalogError) as caught:
        make_catalog(indicator_toml(1, target="zz", polarity="up", roll_up="sideways", **broken))
    problems = problems_of(caught)
    for fragment in ("field 'target'", "field 'polarity'", "field 'roll_up'"):
        assert any("indicator 1" in p and fragment in p for p in problems), (fragment, problems)
    assert len(problems) == 4, problems  # and the broken formula or field itself


@pytest.mark.parametrize(
    ("extra", "fragment"),
    [
        (
            '\n[inputs.x]\nlabel = "X"\nunit = "u"\nkind = "banyak"\n',
            "'banyak' is not a valid InputKind",
        ),
        ('\n[inputs.x]\nlabel = "X"\nunit = "u"\nkind = "count"\nminimum = 0\n', "only a score"),
        ('\n[inputs.x]\nlabel = "X"\nunit = "u"\nkind = "score"\n', "minimum and maximum"),
        ('\n[inputs.x]\nlabel = "X"\nkind = "count"\n', "input 'x': field 'unit' is missing"),
        (
            '\n[inputs.x]\nlabel = 3\nunit = "u"\nkind = "count"\n',
            "field 'label' must be text, got an integer 3",
        ),
        (
            '\n[inputs.x]\nlabel = "X"\nunit = "u"\nkind = "count"\nwarna = 1\n',
            "unknown field 'warna'",
        ),
        (
            '\n[inputs."__class__"]\nlabel = "X"\nunit = "u"\nkind = "count"\n',
            "may not start with an underscore",
        ),
        (
            '\n[inputs."jumlah-x"]\nlabel = "X"\nunit = "u"\nkind = "count"\n',
            "must be lowercase ASCII",
        ),
        ('\n[inputs."jumlаh"]\nlabel = "X"\nunit = "u"\nkind = "count"\n', "not plain ASCII"),
        ("\n[inputs.x]\n", "field 'label' is missing"),
        (
            '\n[components.a]\nlabel = "A"\nformula = "b"\n',
            "a component may not have the name of an input",
        ),
        (
            '\n[components.p]\nlabel = "P"\nformula = "__import__(\'os\')"\n',
            "component 'p': field 'formula'",
        ),
    ],
)
def test_invalid_inputs_and_components(
    make_catalog: Callable[..., Catalog], extra: str, fragment: str
) -> None:
    with pytest.raises(CatalogError) as caught:
        make_catalog(indicator_toml(), extra=extra)
    problems = problems_of(caught)
    assert any(fragment in problem for problem in problems), problems


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("[catalog]\ntitle = 'x'\n", "[catalog]: field 'year' is missing"),
        ("[catalog]\ntitle = 'x'\nyear = 1\nindicators = []\n", "the catalog has no indicators"),
        ("this is = = not toml", "not valid TOML"),
        ("warna = 1\n" + HEADER, "top level: unknown field 'warna'"),
        (HEADER.replace("year = 2024", "year = 'dua ribu'"), "field 'year' must be an integer"),
        (
            HEADER.replace("[catalog]", "[catalog]\nachievement = { rounding = 'banker' }"),
            "'banker' is not a valid Rounding",
        ),
        (HEADER.replace("[catalog]", "[catalog]\nachievement = { places = -2 }"), "places"),
        (HEADER.replace('id = "sk01"', 'id = "SK 01"'), "must be lowercase"),
        (HEADER + '\n[[objectives]]\nid = "sk01"\nname = "lagi"\n', "duplicate objective id"),
        ("indicators = 5\n[catalog]\ntitle='x'\nyear=1\n", "'indicators' must be a list"),
    ],
)
def test_invalid_file_level(write_catalog: Callable[[str], Path], text: str, fragment: str) -> None:
    with pytest.raises(CatalogError) as caught:
        load_catalog(write_catalog(text + ("" if "indicators" in text else indicator_toml())))
    problems = problems_of(caught)
    assert any(fragment in problem for problem in problems), problems


def test_missing_and_unreadable_files(tmp_path: Path) -> None:
    with pytest.raises(CatalogError, match="cannot read the file"):
        load_catalog(tmp_path / "tidak-ada.toml")
    binary = tmp_path / "biner.toml"
    binary.write_bytes(b"\xff\xfe\x00")
    with pytest.raises(CatalogError, match="not UTF-8"):
        load_catalog(binary)


COMPONENTS = """
[components.pa]
label = "PA"
formula = "persen(a, b)"

[components.pc]
label = "PC"
formula = "persen(c, d)"
"""


def test_references_are_substituted_in_any_order(make_catalog: Callable[..., Catalog]) -> None:
    catalog = make_catalog(
        indicator_toml(1, formula="rata_rata(ind2, pc)", inputs=["a", "b", "c", "d"]),
        indicator_toml(2, formula="pa", inputs=["a", "b"]),
        extra=COMPONENTS,
    )
    composite = catalog[1]
    assert composite.composed_formula == RataRata(sympy.Symbol("ind2"), sympy.Symbol("pc"))
    assert composite.formula == RataRata(Persen(a, b), Persen(c, d))
    assert composite.formula.free_symbols == {a, b, c, d}
    assert set(composite.references) == {"ind2", "pc"}
    assert catalog.components["pa"].formula == Persen(a, b)
    assert composite.evaluate({"a": 1, "b": 2, "c": 3, "d": 4}).value == 125 / 2


def test_cycles_are_rejected_with_their_path(make_catalog: Callable[..., Catalog]) -> None:
    extra = """
[components.x]
label = "X"
formula = "y + a"

[components.y]
label = "Y"
formula = "ind1 + b"
"""
    with pytest.raises(CatalogError) as caught:
        make_catalog(indicator_toml(1, formula="x", inputs=["a", "b"]), extra=extra)
    problems = problems_of(caught)
    cycles = [problem for problem in problems if "reference cycle" in problem]
    assert len(cycles) == 1, problems
    assert "x -> y -> ind1 -> x" in cycles[0] or "ind1 -> x -> y -> ind1" in cycles[0]


def test_self_reference_is_a_cycle(make_catalog: Callable[..., Catalog]) -> None:
    with pytest.raises(CatalogError, match="reference cycle: ind1 -> ind1"):
        make_catalog(indicator_toml(1, formula="ind1 + a", inputs=["a"]))


HOSTILE_FORMULAS = [
    "__import__('os').system('touch /tmp/iku-pwned')",
    "().__class__.__bases__[0].__subclasses__()",
    "open('/etc/passwd').read()",
    "lambda: 1",
    "[x for x in a]",
    "9**9**9**9",
    "(" * 100 + "a" + ")" * 100,
    "exec('1')",
    "a if b else c",
]


@pytest.mark.parametrize("formula", HOSTILE_FORMULAS)
def test_malicious_formula_raises_catalog_error_and_runs_nothing(
    make_catalog: Callable[..., Catalog], formula: str, tmp_path: Path
) -> None:
    with pytest.raises(CatalogError, match=r"indicator 1: field 'formula'"):
        make_catalog(indicator_toml(formula=formula))
    assert not Path("/tmp/iku-pwned").exists()


def test_catalog_text_is_never_evaluated(
    make_catalog: Callable[..., Catalog], monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []

    def spy(name: str) -> Callable[..., object]:
        def record(*args: object, **kwargs: object) -> object:
            calls.append(name)
            raise AssertionError(f"{name} called")

        return record

    import builtins

    monkeypatch.setattr(builtins, "eval", spy("eval"))
    monkeypatch.setattr(builtins, "exec", spy("exec"))
    monkeypatch.setattr(sympy, "sympify", spy("sympify"))
    make_catalog(indicator_toml(formula="persen(a - b, a)"))
    for formula in HOSTILE_FORMULAS:
        with pytest.raises(CatalogError):
            make_catalog(indicator_toml(formula=formula))
    assert calls == []


# Defect: a few kilobytes of nested brackets made tomllib recurse until RecursionError, which
# load_catalog let through instead of a CatalogError naming the file.
@pytest.mark.parametrize("text", ["a = " + "[" * 5000 + "]" * 5000, "a = " + "{b = " * 3000])
def test_deeply_nested_toml_is_a_catalog_error(tmp_path: Path, text: str) -> None:
    path = tmp_path / "dalam.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CatalogError, match="nested too deeply") as caught:
        load_catalog(path)
    assert caught.value.problems[0].file == str(path)


def test_oversized_file_is_refused(tmp_path: Path) -> None:
    big = tmp_path / "besar.toml"
    big.write_text("# " + "x" * 5_000_001, encoding="utf-8")
    with pytest.raises(CatalogError, match="the limit is"):
        load_catalog(big)


def test_every_bundled_input_declares_how_it_rolls_up() -> None:
    """Written out in the file, not left to the defaults: the reader sees every rule."""
    import tomllib

    from iku_formula.catalog.registry import bundled_catalog_path
    from iku_formula.model import TimeRule, UnitRule

    with bundled_catalog_path().open("rb") as handle:
        inputs = tomllib.load(handle)["inputs"]
    catalog = load_catalog()
    assert set(inputs) == set(catalog.inputs)
    for name, table in inputs.items():
        assert {"over_time", "over_units", "note"} <= table.keys(), name
        spec = catalog.inputs[name]
        assert spec.over_time is TimeRule(table["over_time"])
        assert spec.over_units is UnitRule(table["over_units"])
        if spec.over_time is TimeRule.LAST:  # a stock: the note says why
            said = ("akhir periode", "triwulan terakhir", "(last)")
            assert any(words in table["note"] for words in said), name
        if spec.over_units is UnitRule.WEIGHTED_MEAN:  # weighted by respondents: said too
            assert "ditimbang dengan jumlah responden" in table["note"], name


# ------------------------------------------------- the limits, with references written out
# Defect (issue 10): the formula limits held for each text alone. A chain of components,
# each a power or a doubling of the one before, loaded in milliseconds (sympy shares the
# subtrees) and then hung evaluate, explain and the first report: k_i = persen(k_{i-1},
# k_{i-1}) is 2**i calls written out, k_i = k_{i-1}**6 a number of 6**i times the digits.


def chain(formula: str, levels: int, first: str = "persen(a, b)") -> str:
    """Components k0 = ``first`` and k_i = ``formula`` with ``K`` for k_{i-1}, up to ``levels``."""
    tables = [f'\n[components.k0]\nlabel = "K0"\nformula = "{first}"\n']
    for level in range(1, levels + 1):
        text = formula.replace("K", f"k{level - 1}")
        tables.append(f'\n[components.k{level}]\nlabel = "K{level}"\nformula = "{text}"\n')
    return "".join(tables)


@pytest.mark.parametrize(
    ("formula", "first", "refused", "fragment"),
    [
        pytest.param(
            "persen(K, K)",
            "persen(a, b)",
            "k5",
            f"written out, the formula has 440 tokens; the limit is {MAX_TOKENS}",
            id="doubling",
        ),
        pytest.param(
            "K**6",
            "persen(a, b)",
            "k2",
            "value can need more than 4,000 digits (about 4,392",
            id="power-chain",
        ),
        pytest.param(
            "(K + 1)**6", "a**6", "k2", "value can need more than 4,000 digits", id="power-tower"
        ),
        pytest.param(
            "K**6",
            "a**6",
            "k1",
            "once written out, the formula simplifies to the power a**36",
            id="powers-merged",
        ),
        pytest.param(
            "((((-K))))", "a", "k5", f"nests 25 levels deep; the limit is {MAX_DEPTH}", id="nesting"
        ),
        pytest.param(
            "K**6",
            "999999",
            "k1",
            "once written out, the formula's constants combine into a "
            "number with more than 24 digits",
            id="constant-chain",
        ),
    ],
)
def test_a_chain_of_components_is_held_to_the_limits_written_out(
    make_catalog: Callable[..., Catalog], formula: str, first: str, refused: str, fragment: str
) -> None:
    levels = 40
    start = time.perf_counter()
    with pytest.raises(CatalogError) as caught:
        make_catalog(
            indicator_toml(1, formula=f"k{levels}", inputs=["a", "b"] if "b" in first else ["a"]),
            extra=chain(formula, levels, first),
        )
    assert time.perf_counter() - start < 1.0  # every level once: no tree is built
    problems = problems_of(caught)
    assert len(problems) == 1, problems  # where the chain passes the limit; the rest skipped
    assert f"component {refused!r}: field 'formula': " in problems[0], problems
    assert fragment in problems[0], problems


def test_a_chain_within_the_limits_loads(make_catalog: Callable[..., Catalog]) -> None:
    catalog = make_catalog(indicator_toml(1, formula="k4"), extra=chain("persen(K, K)", 4))
    assert catalog[1].evaluate({"a": 1, "b": 2}).value == 100


def test_a_reference_that_divides_by_zero_once_written_out(
    make_catalog: Callable[..., Catalog],
) -> None:
    extra = '\n[components.nol]\nlabel = "Nol"\nformula = "a - a"\n'
    with pytest.raises(CatalogError) as caught:
        make_catalog(indicator_toml(1, formula="b / nol", inputs=["b"]), extra=extra)
    assert any(
        "indicator 1: field 'formula': once written out, the formula is undefined for every "
        "input (division by zero)" in problem
        for problem in problems_of(caught)
    ), problems_of(caught)


def test_a_single_formula_whose_value_outgrows_printing_is_refused(
    make_catalog: Callable[..., Catalog],
) -> None:
    with pytest.raises(CatalogError, match="value can need more than 4,000 digits"):
        make_catalog(indicator_toml(1, formula="((a**6 + 1)**6 + 1)**6", inputs=["a"]))
    six = "*".join(f"{name}**6" for name in "abcd")  # 4 x 6 x 60 digits: within the limit
    make_catalog(indicator_toml(1, formula=six, inputs=list("abcd")))


def test_the_bundled_catalog_is_far_inside_the_limits() -> None:
    """MAX_RESULT_DIGITS says the bundled catalog's largest formula needs 551 digits."""
    catalog = load_catalog()
    digits = [
        value_digits(formula)
        for indicator in catalog
        for formula in (indicator.formula, *indicator.part_formulas)
    ]
    assert round(max(digits)) == 551
    assert max(digits) < MAX_RESULT_DIGITS / 4


def _height_digits(value: Fraction) -> float:
    return math.log10(max(abs(value.numerator), value.denominator))


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from(sorted(FUNCTIONS)),
    st.lists(
        st.fractions(max_denominator=10**12).filter(lambda x: abs(x) < 10**12),
        min_size=1,
        max_size=6,
    ),
)
def test_value_digits_bounds_every_function_of_the_table(name: str, values: list[Fraction]) -> None:
    """The bound the limit rests on, for every function (a new one is tried too)."""
    spec = FUNCTIONS[name]
    count = max(spec.min_args, len(values) - len(values) % 2 if spec.paired else len(values))
    if spec.max_args is not None:
        count = min(count, spec.max_args)
    args = (values * count)[:count]
    assume(spec.check_arity(len(args)) is None)
    assume(spec.divisor is None or spec.divisor(args) != 0)
    result = spec.exact(args, Call(tuple("x" * len(args))), [])
    symbols = [sympy.Symbol(f"x{position}") for position in range(len(args))]
    bound = value_digits(
        spec.sympy_class(*symbols),
        {symbol: _height_digits(arg) for symbol, arg in zip(symbols, args, strict=True)},
    )
    assert _height_digits(result) <= bound + 1e-9
