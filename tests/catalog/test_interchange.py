"""The JSON interchange format: written by Catalog.to_json, checked by its shipped JSON Schema,
read back by load_catalog into an equal catalog, and hostile files refused with located
problems (issue 12, item 4)."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path
from typing import Any

import attrs
import jsonschema
import pytest
import sympy
from hypothesis import given
from hypothesis import strategies as st

from iku_formula import Catalog, CatalogError, FormulaError, load_catalog
from iku_formula.achievement import AchievementRule, LowerIsBetter, Rounding
from iku_formula.catalog.interchange import SCHEMA_FILE, expression_tree, schema_json
from iku_formula.catalog.interchange_schema import MAX_TREE_DEPTH, build_schema
from iku_formula.cli import main
from iku_formula.language.parse import parse_formula

from ..conftest import HEADER, indicator_toml

VALIDATOR = jsonschema.Draft202012Validator


@pytest.fixture(scope="module")
def bundled() -> Catalog:
    return load_catalog()


@pytest.fixture(scope="module")
def exported(bundled: Catalog) -> dict[str, Any]:
    return bundled.to_json()


def write_json(tmp_path: Path, data: object, name: str = "katalog.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def assert_same(left: object, right: object, where: str = "") -> None:
    """Every attrs field equal, also those compared by identity (eq=False: sympy trees,
    indicators): what "an equal catalog" means."""
    if attrs.has(type(left)):
        assert type(left) is type(right), where
        for field in attrs.fields(type(left)):
            if field.name == "path":
                continue
            assert_same(
                getattr(left, field.name), getattr(right, field.name), f"{where}.{field.name}"
            )
    elif isinstance(left, dict):
        assert isinstance(right, dict), where
        assert list(left) == list(right), where
        for key in left:
            assert_same(left[key], right[key], f"{where}[{key}]")
    elif isinstance(left, tuple):
        assert isinstance(right, tuple), where
        assert len(left) == len(right), where
        for position, (a, b) in enumerate(zip(left, right, strict=True)):
            assert_same(a, b, f"{where}[{position}]")
    elif isinstance(left, sympy.Basic):
        assert left == right, where
        assert sympy.srepr(left) == sympy.srepr(right), where
    else:
        assert left == right, where


# --------------------------------------------------------------------------- the schema


def test_shipped_schema_is_the_one_built_from_the_definitions() -> None:
    shipped = json.loads(
        (Path(__file__).parents[2] / "src" / "iku_formula" / "catalog" / SCHEMA_FILE).read_text()
    )
    assert shipped == build_schema() == schema_json()
    VALIDATOR.check_schema(shipped)


def test_the_bundled_catalog_validates_against_the_schema(exported: dict[str, Any]) -> None:
    VALIDATOR(schema_json()).validate(exported)
    assert len(exported["indicators"]) == 55


def test_every_formula_is_text_latex_mathml_and_a_tree(
    bundled: Catalog, exported: dict[str, Any]
) -> None:
    for indicator, entry in zip(bundled, exported["indicators"], strict=True):
        formula = entry["formula"]
        assert formula["text"] == indicator.formula_text
        assert formula["latex"] == indicator.latex
        assert formula["mathml"].startswith("<math")
        assert formula["mathml"].endswith("</math>")
        assert formula["tree"] == expression_tree(indicator.formula)
        assert entry["source_formula"] == indicator.source_formula  # verbatim
        assert entry["name"] == indicator.name
        assert entry["target"]["text"] == indicator.target.text


@pytest.mark.parametrize(
    ("text", "tree"),
    [
        ("a", {"input": "a"}),
        ("31/10", {"number": "31/10"}),
        (
            "a - b",
            {
                "op": "add",
                "args": [{"input": "a"}, {"op": "mul", "args": [{"number": "-1"}, {"input": "b"}]}],
            },
        ),
        (
            "a / b",
            {
                "op": "mul",
                "args": [{"input": "a"}, {"op": "pow", "base": {"input": "b"}, "exponent": -1}],
            },
        ),
        ("persen(a, b)", {"call": "persen", "args": [{"input": "a"}, {"input": "b"}]}),
        ("rata_rata(a, 2)", {"call": "rata_rata", "args": [{"input": "a"}, {"number": "2"}]}),
    ],
)
def test_expression_trees(text: str, tree: dict[str, Any]) -> None:
    assert expression_tree(parse_formula(text)) == tree


def test_predikat_bands_are_exported(bundled: Catalog, exported: dict[str, Any]) -> None:
    assert set(exported["predikat"]) == set(bundled.predikat_scales)
    default = bundled.default_predikat
    assert default is not None
    assert exported["catalog"]["predikat"] == default.name
    bands = exported["predikat"][default.name]["bands"]
    assert [band["code"] for band in bands] == [band.code for band in default.bands]
    for indicator, entry in zip(bundled, exported["indicators"], strict=True):
        assert entry["predikat"] == (indicator.predikat.name if indicator.predikat else None)


def test_exact_numbers_are_strings(exported: dict[str, Any]) -> None:
    parts = [part for entry in exported["indicators"] for part in entry["target"]["parts"]]
    assert all(isinstance(part["value"], str) for part in parts)
    assert {"value": "31/10", "unit": "Indeks"} in parts  # "3,1 Indeks", read exactly


# --------------------------------------------------------------------------- round trip


def test_bundled_catalog_round_trips(
    tmp_path: Path, bundled: Catalog, exported: dict[str, Any]
) -> None:
    again = load_catalog(write_json(tmp_path, exported))
    assert_same(bundled, again)
    assert again.to_json() == exported
    assert again.path == tmp_path / "katalog.json"


def test_without_mathml_round_trips_too(tmp_path: Path, bundled: Catalog) -> None:
    data = bundled.to_json(mathml=False)
    assert "mathml" not in data["indicators"][0]["formula"]
    VALIDATOR(schema_json()).validate(data)
    assert_same(bundled, load_catalog(write_json(tmp_path, data)))


@pytest.mark.parametrize("minimize", list(LowerIsBetter))
def test_the_achievement_rule_round_trips(tmp_path: Path, minimize: LowerIsBetter) -> None:
    """Every field of AchievementRule is written and read back: a catalog with
    ``inverse_ratio`` (and a cap) reads back as it is, not as the default."""
    path = tmp_path / "uji.toml"
    header = HEADER.replace(
        "year = 2024",
        "year = 2024\n\n[catalog.achievement]\n"
        f'cap = 120\nrounding = "truncate"\nplaces = 3\nminimize = "{minimize.value}"',
    )
    path.write_text(header + indicator_toml(1, polarity="minimize"), encoding="utf-8")
    catalog = load_catalog(path)
    rule = catalog.achievement_rule
    assert rule == AchievementRule(
        cap=Fraction(120), rounding=Rounding.TRUNCATE, places=3, minimize=minimize
    )
    data = catalog.to_json(mathml=False)
    VALIDATOR(schema_json()).validate(data)
    assert set(data["catalog"]["achievement"]) == {f.name for f in attrs.fields(AchievementRule)}
    assert data["catalog"]["achievement"]["minimize"] == minimize.value
    again = load_catalog(write_json(tmp_path, data))
    assert again.achievement_rule == rule
    assert_same(catalog, again)
    assert again.to_json(mathml=False) == data


_NAMES = st.sampled_from(["a", "b", "c", "d", "rupiah", "skor"])


def _formulas() -> st.SearchStrategy[str]:
    atoms = _NAMES | st.integers(1, 999).map(str) | st.sampled_from(["3.25", "1/3", "0"])

    def extend(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        return (
            st.tuples(inner, st.sampled_from(["+", "-", "*", "/"]), inner).map(
                lambda t: f"({t[0]} {t[1]} {t[2]})"
            )
            | st.tuples(inner, st.integers(-3, 3)).map(lambda t: f"({t[0]})**{t[1]}")
            | st.tuples(inner, inner).map(lambda t: f"persen({t[0]}, {t[1]})")
            | st.tuples(inner, inner).map(lambda t: f"pertumbuhan({t[0]}, {t[1]})")
            | st.lists(inner, min_size=1, max_size=4).map(lambda xs: f"rata_rata({', '.join(xs)})")
            | st.lists(st.tuples(inner, inner), min_size=1, max_size=3).map(
                lambda ps: f"rata_rata_tertimbang({', '.join(f'{x}, {w}' for x, w in ps)})"
            )
            | inner.map(lambda x: f"-{x}")
        )

    return st.recursive(atoms, extend, max_leaves=12)


@given(
    formula=_formulas(),
    polarity=st.sampled_from(["maximize", "minimize"]),
    target=st.sampled_from(["90%", "3,1 Indeks", "20 Orang", "0%"]),
    achievement=st.sampled_from(
        ["", 'rounding = "truncate"\nplaces = 0', "cap = 120\nplaces = 3", "cap = 110.5"]
    ),
    minimize=st.sampled_from(["", *(f'\nminimize = "{m.value}"' for m in LowerIsBetter)]),
    skip=st.booleans(),
)
def test_generated_catalogs_round_trip(
    tmp_path_factory: pytest.TempPathFactory,
    formula: str,
    polarity: str,
    target: str,
    achievement: str,
    minimize: str,
    skip: bool,
) -> None:
    try:
        names = sorted(symbol.name for symbol in parse_formula(formula).free_symbols)
    except FormulaError:  # a formula the parser refuses is no catalog
        return
    if not names:
        return
    directory = tmp_path_factory.mktemp("generated")
    header = HEADER.replace(
        "year = 2024", f"year = 2024\n\n[catalog.achievement]\n{achievement}{minimize}"
    )
    extra = (
        '\n[[rules]]\nrule = "a <= b + c"\nnote = "uji"\n'
        '\n[components.bagian]\nlabel = "Bagian"\nformula = "persen(a, b)"\n'
    )
    text = (
        header
        + extra
        + indicator_toml(
            1,
            formula=formula,
            inputs=names,
            polarity=polarity,
            target=target,
            undefined_parts="skip" if skip else "undefined",
        )
        + indicator_toml(
            2,
            formula="rata_rata(bagian, ind1)",
            inputs=names if "a" in names and "b" in names else sorted({*names, "a", "b"}),
        )
    )
    path = directory / "uji.toml"
    path.write_text(text, encoding="utf-8")
    try:
        catalog = load_catalog(path)
    except CatalogError:
        return  # e.g. a formula undefined for every input, or too many digits
    data = catalog.to_json(mathml=False)
    VALIDATOR(schema_json()).validate(data)
    again = load_catalog(write_json(directory, data))
    assert_same(catalog, again)
    assert again.to_json(mathml=False) == data


# --------------------------------------------------------------------------- hostile files


def _broken(
    change: Callable[[dict[str, Any]], object],
) -> Callable[[dict[str, Any]], dict[str, Any]]:
    def apply(data: dict[str, Any]) -> dict[str, Any]:
        copied = copy.deepcopy(data)
        change(copied)
        return copied

    return apply


def _set(path: str, value: object) -> Callable[[dict[str, Any]], dict[str, Any]]:
    *parents, last = path.strip("/").split("/")

    def change(data: dict[str, Any]) -> None:
        node: Any = data
        for part in parents:
            node = node[int(part)] if isinstance(node, list) else node[part]
        if isinstance(node, list):
            node[int(last)] = value
        else:
            node[last] = value

    return _broken(change)


def _deep(depth: int) -> dict[str, Any]:
    tree: dict[str, Any] = {"input": "a"}
    for _ in range(depth):
        tree = {"op": "add", "args": [tree, {"number": "1"}]}
    return tree


TREE = "/indicators/0/formula/tree"
HOSTILE = [
    (_set("/indicators/0/predikat", "nope"), "/indicators/0/predikat", "is not under /predikat"),
    (_set("/indicators/0/polarity", "naik"), "/indicators/0/polarity", "unknown value 'naik'"),
    (_set("/indicators/0/number", "1"), "/indicators/0/number", "must be an integer"),
    (
        _set(f"{TREE}/args/0", {"call": "__import__", "args": [{"input": "a"}]}),
        f"{TREE}/args/0/call",
        "unknown function '__import__'",
    ),
    (_set(f"{TREE}/args/0", {"input": "os"}), f"{TREE}/args/0/input", "unknown name 'os'"),
    (_set(f"{TREE}/args/0", {"input": "__class__"}), f"{TREE}/args/0/input", "underscore"),
    (
        _set(f"{TREE}/args/1", {"number": "1e999"}),
        f"{TREE}/args/1/number",
        'exact number "p" or "p/q"',
    ),
    (_set(f"{TREE}/args/1", {"number": "2/4"}), f"{TREE}/args/1/number", "lowest terms"),
    (_set(f"{TREE}/args/1", {"number": "1" * 40}), f"{TREE}/args/1/number", "exact number"),
    (_set(f"{TREE}/args/1", {"number": "0"}), f"{TREE}/args/1", "division by zero"),
    (
        _set(f"{TREE}/args/1", {"op": "pow", "base": {"input": "b"}, "exponent": 99}),
        f"{TREE}/args/1/exponent",
        "from -6 to 6",
    ),
    (
        _set(f"{TREE}/args/1", {"op": "pow", "base": {"number": "0"}, "exponent": -1}),
        f"{TREE}/args/1/base",
        "division by zero",
    ),
    (
        _set(TREE, {"call": "persen", "args": [{"input": "a"}]}),
        f"{TREE}/args",
        "persen() takes exactly 2",
    ),
    (_set(TREE, _deep(MAX_TREE_DEPTH + 5)), TREE, "deeper than"),
    (_set(f"{TREE}/args/0", {"input": "a", "op": "add"}), f"{TREE}/args/0/op", "unknown field"),
    (
        _set("/indicators/0/formula/text", "persen(b, a)"),
        "/indicators/0/formula/text",
        "is not its tree's",
    ),
    (_set("/indicators/0/objective", "sk99"), "/indicators/0/objective", "unknown objective"),
    (
        _set("/indicators/0/target/parts/0/value", "-"),
        "/indicators/0/target/parts/0/value",
        "exact number",
    ),
    (_set("/catalog/achievement/places", 99), "/catalog/achievement", "places must be between"),
    (
        _set("/catalog/achievement/minimize", "ratio"),
        "/catalog/achievement/minimize",
        "inverse_ratio",
    ),
    (_set("/inputs/a/kind", "score"), "/inputs/a", "a score needs both minimum and maximum"),
    (_set("/version", 2), "/format", "version 1"),
    (
        _set("/indicators/0/inputs", ["a", "b", "c"]),
        "/indicators/0/inputs",
        "exactly the inputs the formulas use",
    ),
]


@pytest.fixture
def small(tmp_path: Path) -> dict[str, Any]:
    path = tmp_path / "uji.toml"
    path.write_text(
        HEADER
        + indicator_toml(1)
        + indicator_toml(2, formula="rata_rata(ind1, c)", inputs=["a", "b", "c"]),
        encoding="utf-8",
    )
    return load_catalog(path).to_json(mathml=False)


@pytest.mark.parametrize(("change", "pointer", "fragment"), HOSTILE)
def test_hostile_json_is_refused_with_its_pointer(
    tmp_path: Path,
    small: dict[str, Any],
    change: Callable[..., dict[str, Any]],
    pointer: str,
    fragment: str,
) -> None:
    with pytest.raises(CatalogError) as caught:
        load_catalog(write_json(tmp_path, change(small)))
    located = [(problem.location, problem.message) for problem in caught.value.problems]
    assert any(location == pointer and fragment in message for location, message in located), (
        located
    )
    assert caught.value.problems[0].file.endswith("katalog.json")


@pytest.mark.parametrize(("change", "pointer", "fragment"), HOSTILE)
def test_the_schema_refuses_what_it_can_see(
    small: dict[str, Any], change: Callable[..., dict[str, Any]], pointer: str, fragment: str
) -> None:
    """What the schema can say (types, patterns, enums) it says too; the rest (names, arity,
    lowest terms, a zero divisor, model rules) only the reader knows."""
    errors = list(VALIDATOR(schema_json()).iter_errors(change(small)))
    semantic = (
        "unknown name", "lowest terms", "division by zero", "takes exactly", "deeper than",
        "is not its tree's", "unknown objective", "a score needs", "exactly the inputs",
        "is not under /predikat",
    )  # fmt: skip
    if not any(word in fragment for word in semantic):
        assert errors, fragment


def test_every_problem_of_a_file_in_one_error(tmp_path: Path, small: dict[str, Any]) -> None:
    broken = _set("/indicators/0/polarity", "naik")(small)
    broken["indicators"][1]["roll_up"] = "sideways"
    broken["inputs"]["b"]["unit"] = ""
    broken["extra"] = 1
    with pytest.raises(CatalogError) as caught:
        load_catalog(write_json(tmp_path, broken))
    locations = {problem.location for problem in caught.value.problems}
    assert {
        "/indicators/0/polarity",
        "/indicators/1/roll_up",
        "/inputs/b/unit",
        "/extra",
    } <= locations


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("{", "not valid JSON"),
        ("[" * 100_000 + "]" * 100_000, "not valid JSON"),
        ("[]", "must be an object"),
        ('{"format": "x"}', "field 'version' is missing"),
    ],
)
def test_unreadable_json(tmp_path: Path, text: str, fragment: str) -> None:
    path = tmp_path / "rusak.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CatalogError, match=fragment):
        load_catalog(path)


# --------------------------------------------------------------------------- the command


def test_iku_export_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], exported: dict[str, Any]
) -> None:
    output = tmp_path / "katalog.json"
    assert main(["export", "json", "-o", str(output)]) == 0
    assert json.loads(output.read_text(encoding="utf-8")) == exported
    assert "55" in capsys.readouterr().out
    assert main(["export", "json", "-o", str(output)]) == 2  # exists: --force to overwrite
    assert "--force" in capsys.readouterr().err
    assert main(["export", "json", "--tanpa-mathml"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert "mathml" not in printed["indicators"][0]["formula"]
    assert main(["show", "13", "--catalog", str(output)]) == 0
    assert "1 Kegiatan / 1 Rekomendasi Kebijakan" in capsys.readouterr().out
