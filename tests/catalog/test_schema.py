"""The catalog schema: the one definition of the format, and everything tied to it.

The loader's checks come from :mod:`iku_formula.catalog.schema`; these tests hold the loader,
the model's defaults, the documentation page, the bundled catalog and its header to it.
"""

from __future__ import annotations

import copy
import enum
import json
import math
import re
import subprocess
import sys
import tomllib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from iku_formula import Catalog, CatalogError, load_catalog
from iku_formula.catalog import schema
from iku_formula.catalog.registry import bundled_catalog_path
from iku_formula.catalog.schema import NO_DEFAULT, TABLES, TOP_LEVEL, Field, Shape, Table

from ..conftest import HEADER, REPO, indicator_toml

DOCS = REPO / "docs" / "catalog-format.md"
BEGIN = "<!-- schema:begin"
END = "<!-- schema:end -->"

FULL: dict[str, Any] = {
    "catalog": {
        "title": "Uji",
        "year": 2024,
        "source": "sumber.txt",
        "predikat": "x",
        "achievement": {
            "cap": 120,
            "rounding": "truncate",
            "places": 1,
            "minimize": "inverse_ratio",
        },
    },
    "objectives": [{"id": "sk01", "name": "Sasaran uji"}],
    "inputs": {
        "a": {
            "label": "A",
            "unit": "orang",
            "kind": "count",
            "note": "catatan",
            "over_time": "last",
            "over_units": "sum",
        },
        "skor": {
            "label": "Skor",
            "unit": "indeks",
            "kind": "score",
            "minimum": 1,
            "maximum": 4.5,
            "over_time": "mean",
            "over_units": "weighted_mean",
            "weight": "a",
        },
    },
    "components": {"pa": {"label": "PA", "formula": "rata_rata(skor, a)", "note": "catatan"}},
    "indicators": [
        {
            "number": 1,
            "key": "ind1",
            "name": "Indikator 1",
            "label": "Indikator satu",
            "objective": "sk01",
            "target": "1 Kegiatan / 2",
            "target_unit": "Orang",
            "target_part_formulas": ["a"],
            "polarity": "minimize",
            "formula": "pa",
            "source_formula": "",
            "inputs": ["skor", "a"],
            "undefined_parts": "skip",
            "roll_up": "mean_of_units",
            "notes": ["tafsiran"],
            "predikat": "x",
        }
    ],
    "rules": [{"rule": "a >= 0", "note": "menurut definisi"}],
    "predikat": {
        "x": {
            "basis": "capaian",
            "label": "Skala uji",
            "note": "catatan",
            "bands": [
                {"code": "A", "label": "Baik", "colour": "#00aa00", "lower": 50},
                {"code": "B", "label": "Buruk", "colour": "#AA0000", "upper": 50},
            ],
        }
    },
}
"""A catalog that sets every field of the format at least once."""


def toml_value(value: object) -> str:
    """``value`` as a TOML value; tables inline (enough for these tests)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and not math.isfinite(value):
        return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf")
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(item) for item in value) + "]"
    if isinstance(value, dict):
        pairs = (f"{json.dumps(key)} = {toml_value(item)}" for key, item in value.items())
        return "{ " + ", ".join(pairs) + " }"
    raise TypeError(value)


def toml_text(data: dict[str, Any]) -> str:
    return "".join(f"{key} = {toml_value(value)}\n" for key, value in data.items())


@pytest.fixture
def load(write_catalog: Callable[[str], Path]) -> Callable[[dict[str, Any]], Catalog]:
    def load(data: dict[str, Any]) -> Catalog:
        return load_catalog(write_catalog(toml_text(data)))

    return load


def problems(load: Callable[[dict[str, Any]], Catalog], data: dict[str, Any]) -> list[str]:
    with pytest.raises(CatalogError) as caught:
        load(data)
    return [f"{problem.location}: {problem.message}" for problem in caught.value.problems]


def first_entry(data: dict[str, Any], table: Table) -> dict[str, Any]:
    """The first entry of ``table`` in ``data``, to change in place."""
    holder = data if table.parent is None else data[table.parent]
    if table.in_each:
        holder = next(iter(holder.values()))
    value = holder[table.key]
    if table.shape is Shape.LIST:
        return value[0]  # type: ignore[no-any-return]
    if table.shape is Shape.NAMED:
        return next(iter(value.values()))  # type: ignore[no-any-return]
    return value  # type: ignore[no-any-return]


LOCATIONS = {
    "catalog": "[catalog]",
    "achievement": "[catalog.achievement]",
    "objectives": "objective #1",
    "inputs": "input 'a'",
    "components": "component 'pa'",
    "indicators": "indicator 1",
    "rules": "rule #1",
    "predikat": "predikat 'x'",
    "bands": "predikat 'x', band #1",
}
"""Where a problem of the first entry of each table is reported."""


def fields() -> Iterator[tuple[Table, Field]]:
    for table in TABLES:
        for field in table.fields:
            yield table, field


FIELD_IDS = [f"{table.key}.{field.key}" for table, field in fields()]


def test_the_full_catalog_sets_every_field_and_loads(
    load: Callable[[dict[str, Any]], Catalog],
) -> None:
    for table, field in fields():
        assert field.key in first_entry(FULL, table) or any(
            field.key in entry
            for entry in (
                first_entry(FULL, schema.PREDIKAT)["bands"]
                if table.in_each
                else FULL[table.key].values()
            )
        ), f"add {table.key}.{field.key} to FULL"
    catalog = load(FULL)
    assert catalog.source == "sumber.txt"
    assert (catalog.achievement_rule.cap, catalog.achievement_rule.places) == (120, 1)
    assert catalog.inputs["skor"].maximum == 4.5
    indicator = catalog[1]
    assert indicator.notes == ("tafsiran",)
    assert [part.unit for part in indicator.target.parts] == ["Kegiatan", "Orang"]
    assert indicator.source_formula == ""
    assert catalog.components["pa"].note == "catatan"
    assert catalog.rules[0].note == "menurut definisi"
    assert catalog.default_predikat is catalog.predikat_scales["x"] is indicator.predikat
    assert [band.code for band in indicator.predikat.bands] == ["B", "A"]  # lowest first


MINIMAL: dict[str, Any] = {
    "catalog": {"title": "Uji", "year": 2024, "achievement": {}},
    "objectives": [{"id": "sk01", "name": "Sasaran uji"}],
    "inputs": {"a": {"label": "A", "unit": "orang", "kind": "count"}},
    "components": {"pa": {"label": "PA", "formula": "a"}},
    "indicators": [
        {
            "number": 1,
            "key": "ind1",
            "name": "Indikator 1",
            "objective": "sk01",
            "target": "90%",
            "polarity": "maximize",
            "formula": "pa",
            "inputs": ["a"],
        }
    ],
    "rules": [{"rule": "a >= 0"}],
    "predikat": {
        "x": {"basis": "capaian", "bands": [{"code": "A", "label": "A", "colour": "#000000"}]}
    },
}
"""Only what the schema requires."""


def test_an_absent_field_takes_the_models_default_which_the_schema_shows(
    load: Callable[[dict[str, Any]], Catalog],
) -> None:
    catalog = load(MINIMAL)
    built = {
        "catalog": catalog,
        "achievement": catalog.achievement_rule,
        "objectives": catalog.objectives[0],
        "inputs": catalog.inputs["a"],
        "components": catalog.components["pa"],
        "indicators": catalog[1],
        "rules": catalog.rules[0],
        "predikat": catalog.predikat_scales["x"],
        "bands": catalog.predikat_scales["x"].bands[0],
    }
    checked = 0
    for table, field in fields():
        present = first_entry(MINIMAL, table)
        assert field.required == (field.key in present), f"{table.key}.{field.key}"
        if field.required or field.attribute is None:
            continue
        default = table.default(field)
        assert default is not NO_DEFAULT, f"the model gives {table.key}.{field.key} no default"
        assert getattr(built[table.key], field.attribute) == default, field.key
        checked += 1
    assert checked >= 15


def test_defaults_are_read_from_the_model() -> None:
    from iku_formula.achievement import Rounding
    from iku_formula.model import RollUp, TimeRule

    assert schema.INPUTS.default(schema.INPUTS["over_time"]) is TimeRule.SUM
    assert schema.INDICATORS.default(schema.INDICATORS["roll_up"]) is RollUp.INPUTS
    assert schema.INDICATORS.default(schema.INDICATORS["notes"]) == ()
    assert schema.ACHIEVEMENT.default(schema.ACHIEVEMENT["rounding"]) is Rounding.HALF_UP
    assert schema.ACHIEVEMENT.default(schema.ACHIEVEMENT["places"]) == 2
    assert schema.INDICATORS.default(schema.INDICATORS["number"]) is NO_DEFAULT
    assert schema.INDICATORS.default(schema.INDICATORS["target_unit"]) is NO_DEFAULT


def test_a_schema_naming_a_missing_model_attribute_is_refused() -> None:
    from iku_formula.model import Objective

    with pytest.raises(ValueError, match="Objective has no attribute 'colour'"):
        Table("t", Shape.LIST, "", "", (Field("colour", (str,), "", ""),), model=Objective)
    with pytest.raises(ValueError, match="names a key twice"):
        Table("t", Shape.LIST, "", "", (Field("a", (str,), "", ""), Field("a", (str,), "", "")))


@pytest.mark.parametrize("table", TABLES, ids=lambda table: table.key)
def test_unknown_keys_are_refused_with_the_schemas_keys(
    load: Callable[[dict[str, Any]], Catalog], table: Table
) -> None:
    data = copy.deepcopy(FULL)
    first_entry(data, table)["zzzzzzzz"] = 1
    allowed = ", ".join(sorted(table.keys))
    expected = f"{LOCATIONS[table.key]}: unknown field 'zzzzzzzz'; allowed: {allowed}"
    assert expected in problems(load, data)


def test_unknown_top_level_keys_are_refused_with_a_suggestion(
    load: Callable[[dict[str, Any]], Catalog],
) -> None:
    found = problems(load, {**FULL, "indicator": []})
    assert "top level: unknown field 'indicator'; did you mean 'indicators'?" in found
    found = problems(load, {**FULL, "zzzzzzzz": 1})
    allowed = ", ".join(sorted(table.key for table in TOP_LEVEL))
    assert f"top level: unknown field 'zzzzzzzz'; allowed: {allowed}" in found


REQUIRED = [(table, field) for table, field in fields() if field.required]


@pytest.mark.parametrize(
    ("table", "field"), REQUIRED, ids=[f"{t.key}.{f.key}" for t, f in REQUIRED]
)
def test_every_required_field_is_required(
    load: Callable[[dict[str, Any]], Catalog], table: Table, field: Field
) -> None:
    data = copy.deepcopy(FULL)
    del first_entry(data, table)[field.key]
    location = "indicator #1" if field.key == "number" else LOCATIONS[table.key]
    assert f"{location}: field {field.key!r} is missing" in problems(load, data)


WANTED = {(str,): "text", (int,): "an integer", (int, float): "an integer or a number"}
WANTED[(list,)] = "a list"


def test_every_field_has_its_type_checked_all_in_one_pass(
    load: Callable[[dict[str, Any]], Catalog],
) -> None:
    data = copy.deepcopy(FULL)
    for table, field in fields():
        first_entry(data, table)[field.key] = True
    found = problems(load, data)
    for table, field in fields():
        location = "indicator #1" if table.key == "indicators" else LOCATIONS[table.key]
        wanted = WANTED[field.types]
        message = f"{location}: field {field.key!r} must be {wanted}, got true (true/false)"
        assert message in found, (message, found)


CHOICES = [(table, field) for table, field in fields() if field.choices is not None]


@pytest.mark.parametrize(("table", "field"), CHOICES, ids=[f"{t.key}.{f.key}" for t, f in CHOICES])
def test_enumerated_fields_allow_exactly_their_enums_values(
    load: Callable[[dict[str, Any]], Catalog], table: Table, field: Field
) -> None:
    assert field.choices is not None
    allowed = ", ".join(repr(member.value) for member in field.choices)
    data = copy.deepcopy(FULL)
    first_entry(data, table)[field.key] = "lain"
    expected = (
        f"{LOCATIONS[table.key]}: field {field.key!r}: 'lain' is not a valid "
        f"{field.choices.__name__}; use one of {allowed}"
    )
    assert expected in problems(load, data)


@pytest.mark.parametrize(
    ("table", "key", "value", "message"),
    [
        ("achievement", "places", -2, "field 'places' must be between 0 and 10, got -2"),
        ("achievement", "places", 11, "field 'places' must be between 0 and 10, got 11"),
        ("indicators", "number", 0, "field 'number' must be 1 or more, got 0"),
        ("inputs", "label", "  ", "field 'label' may not be empty"),
        ("indicators", "notes", ["a", 1], "field 'notes' must be a list of strings"),
        ("indicators", "inputs", [["a"]], "field 'inputs' must be a list of strings"),
    ],
)
def test_values_out_of_bounds_or_empty(
    load: Callable[[dict[str, Any]], Catalog], table: str, key: str, value: object, message: str
) -> None:
    data = copy.deepcopy(FULL)
    spec = next(t for t in TABLES if t.key == table)
    first_entry(data, spec)[key] = value
    assert any(message in problem for problem in problems(load, data))


def test_places_bounds_are_the_models() -> None:
    from iku_formula.achievement import MAX_PLACES, AchievementRule

    assert schema.ACHIEVEMENT["places"].bounds == (0, MAX_PLACES)
    AchievementRule(places=MAX_PLACES)
    with pytest.raises(ValueError, match="between 0 and 10"):
        AchievementRule(places=MAX_PLACES + 1)


# Defect: a non-finite number (TOML's nan, inf) reached Fraction and the message was
# "Invalid literal for Fraction: 'inf'", naming neither the field nor what to do.
@pytest.mark.parametrize(
    ("table", "key", "value"),
    [
        ("achievement", "cap", math.inf),
        ("inputs", "minimum", math.nan),
        ("inputs", "maximum", -math.inf),
    ],
)
def test_non_finite_numbers_are_refused_naming_the_field(
    load: Callable[[dict[str, Any]], Catalog], table: str, key: str, value: float
) -> None:
    data = copy.deepcopy(FULL)
    spec = next(t for t in TABLES if t.key == table)
    entry = first_entry(data, spec) if table != "inputs" else data["inputs"]["skor"]
    entry[key] = value
    found = problems(load, data)
    location = LOCATIONS[table] if table != "inputs" else "input 'skor'"
    assert f"{location}: field {key!r} must be a finite number, got {value}" in found, found
    assert not any("Fraction" in problem for problem in found), found


# Defect: an integer too long for Python to convert (over 4300 digits) made tomllib raise a
# plain ValueError, so load_catalog raised something other than CatalogError.
def test_an_integer_too_long_to_read_is_a_catalog_error(
    write_catalog: Callable[[str], Path],
) -> None:
    path = write_catalog(toml_text(FULL) + "zzz = " + "9" * 5000 + "\n")
    with pytest.raises(CatalogError, match="not valid TOML"):
        load_catalog(path)


# Defect: an input with one wrong field was left out, so every formula, rule and indicator
# naming it was told the input did not exist: three false problems beside the true one.
def test_an_input_with_a_wrong_field_is_not_reported_as_undefined(
    load: Callable[[dict[str, Any]], Catalog],
) -> None:
    data = copy.deepcopy(FULL)
    data["inputs"]["a"]["over_time"] = "yearly"
    found = problems(load, data)
    assert found == [
        "input 'a': field 'over_time': 'yearly' is not a valid TimeRule; "
        "use one of 'sum', 'last', 'mean'"
    ]
    data["inputs"]["a"]["over_time"] = "sum"
    del data["inputs"]["a"]["kind"]
    assert problems(load, data) == ["input 'a': field 'kind' is missing"]


def test_an_input_truly_undefined_is_still_reported(
    load: Callable[[dict[str, Any]], Catalog],
) -> None:
    data = copy.deepcopy(FULL)
    data["rules"][0]["rule"] = "ab >= 0"
    data["inputs"]["skor"]["weight"] = "ab"
    found = problems(load, data)
    assert any("rule #1 (ab >= 0): field 'rule': unknown name 'ab'" in p for p in found), found
    assert (
        "input 'skor': field 'weight': 'ab' is not defined under [inputs] (did you mean 'a'?)"
        in (found)
    )


def test_every_value_of_every_enum_has_a_doc() -> None:
    members = {member for _, field in fields() if field.choices for member in field.choices}
    assert set(schema.VALUE_DOCS) == members
    for english, indonesian in schema.VALUE_DOCS.values():
        assert english
        assert indonesian


def test_every_field_has_a_doc_in_both_languages() -> None:
    for table in TABLES:
        assert table.doc, table.key
        assert table.doc_id, table.key
        for field in table.fields:
            assert field.doc.strip(), field.key
            assert field.doc_id.strip(), field.key
            assert "\n" not in field.doc + field.doc_id, field.key


def generated_block(text: str) -> str:
    start = text.index(BEGIN)
    start = text.index("\n", start) + 1
    return text[start : text.index(END)].strip("\n") + "\n"


def test_the_docs_page_holds_the_schemas_tables() -> None:
    text = DOCS.read_text(encoding="utf-8")
    assert text.count(BEGIN) == 1
    assert text.count(END) == 1
    expected = schema.markdown("id")
    assert generated_block(text) == expected, (
        "docs/catalog-format.md is out of date: replace the block between the schema markers "
        "with the output of `python -m iku_formula.catalog.schema`"
    )


def test_the_docs_pages_example_error_is_the_loaders(tmp_path: Path) -> None:
    text = DOCS.read_text(encoding="utf-8")
    start = text.index("```\ninvalid catalog") + 4
    example = text[start : text.index("```", start)]
    path = tmp_path / "katalog.toml"
    path.write_text(
        HEADER
        + indicator_toml(1)
        + indicator_toml(2, formula="persen(a, bb)")
        + indicator_toml(3, polarity="naik"),
        encoding="utf-8",
    )
    with pytest.raises(CatalogError) as caught:
        load_catalog(path)
    assert str(caught.value).replace(str(path), "katalog.toml") + "\n" == example


def markdown_rows(block: str) -> dict[str, list[list[str]]]:
    """Each ``### heading``'s table rows (cells stripped, the header and rule left out)."""
    rows: dict[str, list[list[str]]] = {}
    heading = ""
    for line in block.splitlines():
        if line.startswith("### "):
            heading = line[4:].strip("`")
            rows[heading] = []
        elif line.startswith("| ") and heading and not line.startswith("| ---"):
            rows[heading].append([cell.strip() for cell in line.strip("|").split(" | ")])
    return {key: value[1:] for key, value in rows.items()}


def test_the_docs_tables_list_every_field_as_the_schema_says() -> None:
    """Read back from the page itself, so that the test does not trust the generator."""
    rows = markdown_rows(generated_block(DOCS.read_text(encoding="utf-8")))
    assert list(rows) == [table.heading("id") for table in TABLES]
    for table in TABLES:
        page = rows[table.heading("id")]
        assert [row[0] for row in page] == [f"`{field.key}`" for field in table.fields]
        for row, field in zip(page, table.fields, strict=True):
            when = "tidak" if field.required_when is None else field.required_when[1]
            assert row[2] == ("ya" if field.required else when), field.key
            for member in field.choices or ():
                assert f'`"{member.value}"`' in row[4], (field.key, member)
            default = table.default(field)
            if isinstance(default, enum.Enum):
                assert row[3] == f'`"{default.value}"`', field.key
            assert row[5] == field.doc_id


def test_the_schema_module_prints_the_docs_tables() -> None:
    run = subprocess.run(
        [sys.executable, "-m", "iku_formula.catalog.schema"],
        capture_output=True,
        text=True,
        check=True,
        encoding="utf-8",
    )
    assert run.stdout == schema.markdown("id")
    english = schema.markdown("en")
    assert "| `[inputs.NAME]` | a table per name | no |" in english
    assert '`over_units` | text | no | `"sum"`' in english


def bundled() -> dict[str, Any]:
    with bundled_catalog_path().open("rb") as handle:
        return tomllib.load(handle)


def test_every_key_of_the_bundled_catalog_is_in_the_schema() -> None:
    data = bundled()
    assert set(data) <= {table.key for table in TOP_LEVEL}
    used: set[str] = set()
    for table in TABLES:
        holder = data if table.parent is None else data.get(table.parent, {})
        holders = list(holder.values()) if table.in_each else [holder]
        values = [item[table.key] for item in holders if table.key in item]
        if not values:
            continue
        entries = [
            entry
            for value in values
            for entry in (
                value
                if table.shape is Shape.LIST
                else list(value.values())
                if table.shape is Shape.NAMED
                else [value]
            )
        ]
        for entry in entries:
            unknown = set(entry) - table.keys
            assert not unknown, (table.heading(), unknown)
            used |= {f"{table.key}.{key}" for key in entry}
    assert len(used) >= 30  # the walk reached every table


def header_sections() -> dict[str, str]:
    """The catalog header's syntax summary, cut at each table heading."""
    text = bundled_catalog_path().read_text(encoding="utf-8")
    lines = text.splitlines()
    start = lines.index("# Syntax")
    end = lines.index("# The formula language")
    sections: dict[str, list[str]] = {}
    current = None
    for line in lines[start:end]:
        match = re.match(r"# (\[\[?[a-z.A-Z]+\]\]?)\s", line + " ")
        if match:
            current = match.group(1)
            sections[current] = []
        if current is not None:
            sections[current].append(line)
    return {heading: "\n".join(body) for heading, body in sections.items()}


def test_the_catalog_header_summarises_every_table_key_and_value() -> None:
    sections = header_sections()
    assert list(sections) == [table.heading("en") for table in TABLES]
    for table in TABLES:
        body = sections[table.heading("en")]
        keys = re.findall(r"^#   ([a-z_]+) = ", body, flags=re.MULTILINE)
        assert keys == [field.key for field in table.fields], table.heading()
        for field in table.fields:
            for member in field.choices or ():
                assert f'"{member.value}"' in body, (table.heading(), field.key, member)


def test_every_list_and_named_table_has_a_limit_far_above_the_bundled_catalog() -> None:
    """Issue 10: a hostile file of 20,000 indicators is refused before any work; a real
    catalog never comes near (the bundled one: 55 indicators, 105 inputs)."""
    from iku_formula.catalog.registry import bundled_catalog_path

    data = tomllib.loads(bundled_catalog_path().read_text(encoding="utf-8"))
    for table in schema.TOP_LEVEL:
        if table.shape is schema.Shape.TABLE:
            assert table.most is None, table.key
            continue
        assert table.most is not None, table.key
        assert len(data.get(table.key, ())) * 10 <= table.most, table.key
