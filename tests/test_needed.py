"""What is still needed: each solved value checked by evaluating the catalog again with it."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from iku_formula import Catalog, load_catalog
from iku_formula.achievement import Polarity
from iku_formula.errors import InputError
from iku_formula.language.parse import parse_formula
from iku_formula.model import (
    Indicator,
    Input,
    InputKind,
    Objective,
    Target,
    TargetPart,
    TimeRule,
)
from iku_formula.needed import MAX_DEGREE, Need, NeedStatus, Progress, solve_input
from iku_formula.periods import up_to
from iku_formula.rollup.exact import roll_up_rows
from iku_formula.sheets import read_sheet

REPO = Path(__file__).resolve().parents[1]
QUARTERLY_CSV = REPO / "examples" / "contoh-realisasi-2024-triwulan.csv"
QUARTERLY_XLSX = REPO / "examples" / "contoh-realisasi-2024-triwulan.xlsx"
YEARLY_CSV = REPO / "examples" / "contoh-realisasi-2024.csv"

INPUTS = """
[catalog]
title = "Uji kebutuhan"
year = 2024

[[objectives]]
id = "sk01"
name = "Sasaran uji"

[inputs.a]
label = "A"
unit = "orang"
kind = "count"

[inputs.b]
label = "B"
unit = "orang"
kind = "count"

[inputs.s]
label = "S"
unit = "orang"
kind = "count"
over_time = "last"

[inputs.t]
label = "T"
unit = "orang"
kind = "count"
over_time = "last"

[inputs.skor]
label = "Skor"
unit = "indeks"
kind = "score"
minimum = 1
maximum = 4
over_time = "mean"
over_units = "mean"

[inputs.rupiah]
label = "Rupiah"
unit = "rupiah"
kind = "amount"
"""


def _indicator(number: int, formula: str, inputs: list[str], target: str, **more: str) -> str:
    lines = [
        "",
        "[[indicators]]",
        f"number = {number}",
        f'key = "ind{number}"',
        f'name = "Indikator {number}"',
        'objective = "sk01"',
        f'target = "{target}"',
        f'polarity = "{more.pop("polarity", "maximize")}"',
        f'formula = "{formula}"',
        "inputs = [" + ", ".join(f'"{name}"' for name in inputs) + "]",
    ]
    lines += [f"{key} = {value}" for key, value in more.items()]
    return "\n".join(lines) + "\n"


@pytest.fixture
def catalog(tmp_path: Path) -> Catalog:
    """One indicator per case of the table below."""
    text = INPUTS + "".join(
        (
            _indicator(1, "persen(a, b)", ["a", "b"], "90%"),
            _indicator(2, "persen(s, t)", ["s", "t"], "85%"),
            _indicator(3, "a", ["a"], "20 orang"),
            _indicator(4, "skor", ["skor"], "3.5 Indeks"),
            _indicator(5, "s", ["s"], "5 orang", polarity="minimize"),
            _indicator(6, "a", ["a"], "5 orang", polarity="minimize"),
            _indicator(7, "rupiah", ["rupiah"], "1000.5 rupiah"),
            _indicator(8, "a ** 5", ["a"], "40 orang"),
            _indicator(
                9, "a", ["a", "b"], "1 Kegiatan / 1 Rekomendasi", target_part_formulas='["b"]'
            ),
            _indicator(10, "persen(a, b)", ["a", "b"], "90%", roll_up='"mean_of_units"'),
        )
    )
    path = tmp_path / "kebutuhan.toml"
    path.write_text(text, encoding="utf-8")
    return load_catalog(path)


def _row(catalog: Catalog, values: dict[str, object], until: str, number: int, name: str) -> Need:
    (row,) = [row for row in catalog.needed(values, until=until).of(number) if row.name == name]
    return row


# number, input, values so far, until, status, needed, more, per_period
CASES = [
    # a flow numerator: the rest of the year must add 10
    (1, "a", {"a": 80, "b": 100}, "TW3", "needed", 90, 10, None),
    # a flow denominator cannot drop below what it has added
    (1, "b", {"a": 80, "b": 100}, "TW3", "impossible", None, None, None),
    # a stock denominator: the year-end level 94 (80/94 = 85.1%; 95 gives 84.2%)
    (2, "t", {"s": 80, "t": 100}, "TW2", "needed", 94, -6, None),
    # a stock numerator above 85% of 7 (5.95): whole, so 6
    (2, "s", {"s": 5, "t": 7}, "TW1", "needed", 6, 1, None),
    # a numerator may not exceed its denominator: 90% of 0 people is no share
    (2, "s", {"s": 0, "t": 0}, "TW1", "impossible", None, None, None),
    (3, "a", {"a": 16}, "TW3", "needed", 20, 4, None),
    # a mean score: the yearly mean 3.5 needs the remaining two quarters at 4 on average
    (4, "skor", {"skor": 3}, "TW2", "needed", Fraction(7, 2), Fraction(1, 2), 4),
    # ... and 4.1 on average, above the score's maximum
    (4, "skor", {"skor": Fraction(29, 10)}, "TW2", "impossible", None, None, None),
    # lower is better: a stock may drop, a flow never
    (5, "s", {"s": 8}, "TW3", "needed", 5, -3, None),
    (6, "a", {"a": 8}, "TW3", "impossible", None, None, None),
    # an amount is not whole: exactly 1000.5
    (7, "rupiah", {"rupiah": 100}, "TW3", "needed", Fraction(2001, 2), Fraction(1801, 2), None),
    # no period of the year remains
    (3, "a", {"a": 16}, "TW4", "impossible", None, None, None),
    (3, "a", {"a": 20}, "TW1", "met", None, None, None),
    # a degree above MAX_DEGREE is not solved
    (8, "a", {"a": 1}, "TW1", "unsolved", None, None, None),
    # a two-part target: the part that the input does not change must be met already
    (9, "a", {"a": 0, "b": 0}, "TW2", "impossible", None, None, None),
    (9, "b", {"a": 1, "b": 0}, "TW2", "needed", 1, 1, None),
]


@pytest.mark.parametrize(
    ("number", "name", "values", "until", "status", "needed", "more", "per_period"), CASES
)
def test_needed_table(
    catalog: Catalog,
    number: int,
    name: str,
    values: dict[str, object],
    until: str,
    status: str,
    needed: Fraction | int | None,
    more: Fraction | int | None,
    per_period: int | None,
) -> None:
    row = _row(catalog, values, until, number, name)
    assert row.status.value == status, row.reason
    assert row.needed == needed
    assert row.more == more
    assert row.per_period == per_period
    assert row.possible is (None if status == "unsolved" else status in ("needed", "met"))
    if status in ("impossible", "unsolved"):
        assert row.reason
    if status == "unsolved":
        assert str(MAX_DEGREE) in (row.reason or "")


def _evaluate(catalog: Catalog, number: int, values: dict[str, Fraction]) -> bool:
    return catalog.evaluate_exact(values)[number].met


@pytest.mark.parametrize("case", [case for case in CASES if case[4] == "needed"])
def test_met_exactly_at_the_value_and_not_one_unit_before(
    catalog: Catalog, case: tuple[object, ...]
) -> None:
    number, name, values, until = case[:4]
    assert isinstance(number, int)
    assert isinstance(name, str)
    assert isinstance(values, dict)
    row = _row(catalog, values, str(until), number, name)
    assert row.needed is not None
    exact = catalog.coerce(values)
    assert _evaluate(catalog, number, {**exact, name: row.needed})
    if catalog.inputs[name].over_time is TimeRule.MEAN:
        return  # a yearly mean: the quarter's average is what is whole, or not
    if row.whole:
        step = 1 if row.needed > exact[name] else -1
        assert not _evaluate(catalog, number, {**exact, name: row.needed - step})


def test_a_record_needs_until(catalog: Catalog) -> None:
    with pytest.raises(InputError, match="until"):
        catalog.needed({"a": 1, "b": 2})


def test_until_the_whole_year_leaves_no_period(catalog: Catalog) -> None:
    row = _row(catalog, {"a": 1, "b": 2}, "2024", 1, "a")
    assert row.status is NeedStatus.IMPOSSIBLE
    assert row.remaining == 0


def test_progress_is_checked() -> None:
    with pytest.raises(InputError):
        Progress(5, 4)
    assert Progress(3, 4).remaining == 1


# --- hypothesis: a linear input meets the target exactly ----------------------------------

_OBJECTIVE = Objective("sk01", "Sasaran uji")
_AMOUNTS = (
    Input("x", "X", "rupiah", InputKind.AMOUNT, over_time=TimeRule.LAST),
    Input("y", "Y", "rupiah", InputKind.AMOUNT),
)
_COEFFICIENT = st.fractions(min_value=-50, max_value=50, max_denominator=20)
_VALUE = st.fractions(min_value=0, max_value=1000, max_denominator=20)


def _linear(
    c1: Fraction, c2: Fraction, c0: Fraction, target: Fraction, polarity: Polarity
) -> Indicator:
    formula = parse_formula(f"({c1}) * x + ({c2}) * y + ({c0})", ["x", "y"])
    return Indicator(
        number=1,
        key="linear",
        name="Linear",
        objective=_OBJECTIVE,
        target=Target(f"{target} rupiah", (TargetPart(target, "rupiah"),)),
        polarity=polarity,
        formula=formula,
        composed_formula=formula,
        input_specs=_AMOUNTS,
    )


@settings(max_examples=60)
@given(
    c1=_COEFFICIENT,
    c2=_COEFFICIENT,
    c0=_COEFFICIENT,
    target=st.fractions(min_value=1, max_value=5000, max_denominator=8),
    x=_VALUE,
    y=_VALUE,
    polarity=st.sampled_from(list(Polarity)),
)
def test_the_needed_value_of_a_linear_input_meets_the_target_exactly(
    c1: Fraction,
    c2: Fraction,
    c0: Fraction,
    target: Fraction,
    x: Fraction,
    y: Fraction,
    polarity: Polarity,
) -> None:
    indicator = _linear(c1, c2, c0, target, polarity)
    values = {"x": x, "y": y}
    row = solve_input(indicator, "x", values, Progress(2, 4))
    realisasi = c1 * x + c2 * y + c0
    met = realisasi >= target if polarity is Polarity.MAXIMIZE else realisasi <= target
    if met:
        assert row.status is NeedStatus.MET
        return
    if c1 == 0:
        assert row.status is NeedStatus.IMPOSSIBLE
        return
    exact = (target - c2 * y - c0) / c1  # where the line crosses the target
    if exact < 0:
        assert row.status is NeedStatus.IMPOSSIBLE, row
        return
    assert row.status is NeedStatus.NEEDED, row.reason
    assert row.needed == exact
    assert row.more == exact - x
    assert c1 * row.needed + c2 * y + c0 == target  # met exactly, on the target
    assert indicator.evaluate({"x": row.needed, "y": y}).met


@pytest.fixture(scope="module")
def shares(tmp_path_factory: pytest.TempPathFactory) -> Callable[[int], Catalog]:
    """A catalog of persen(a, b) with the target ``percent``%, one per target, kept."""
    from tests.conftest import HEADER, indicator_toml

    made: dict[int, Catalog] = {}

    def make(percent: int) -> Catalog:
        if percent not in made:
            path = tmp_path_factory.mktemp("shares") / "uji.toml"
            path.write_text(HEADER + indicator_toml(1, target=f"{percent}%"), encoding="utf-8")
            made[percent] = load_catalog(path)
        return made[percent]

    return make


@settings(max_examples=40)
@given(
    a=st.integers(min_value=0, max_value=400),
    extra=st.integers(min_value=0, max_value=400),
    percent=st.integers(min_value=1, max_value=100),
    done=st.integers(min_value=1, max_value=3),
)
def test_a_count_numerator_is_met_at_the_value_and_not_one_below(
    shares: Callable[[int], Catalog], a: int, extra: int, percent: int, done: int
) -> None:
    catalog = shares(percent)
    b = a + extra
    row = _row(catalog, {"a": a, "b": b}, f"TW{done}", 1, "a")
    if b == 0:
        assert row.status is NeedStatus.IMPOSSIBLE
        return
    if a * 100 >= percent * b:
        assert row.status is NeedStatus.MET
        return
    assert row.status is NeedStatus.NEEDED
    assert row.needed is not None
    assert row.needed <= b  # a numerator not above its denominator
    assert _evaluate(catalog, 1, {"a": row.needed, "b": Fraction(b)})
    assert not _evaluate(catalog, 1, {"a": row.needed - 1, "b": Fraction(b)})


# --- real sheets ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def bundled() -> Catalog:
    return load_catalog()


@pytest.mark.parametrize("until", ["TW1", "TW2", "TW3"])
def test_the_sample_sheet_checked_again(bundled: Catalog, until: str) -> None:
    sheet = read_sheet(QUARTERLY_CSV, bundled)
    result = bundled.needed(sheet, until=until)
    kept = [row for row in sheet.rows if up_to(until)(row.period)]
    assert {row.period for row in kept} == {f"TW{i}" for i in range(1, int(until[-1]) + 1)}
    rolled = roll_up_rows(bundled, kept)
    assert result.values == rolled.values
    assert result.progress.remaining == 4 - int(until[-1])
    statuses = {row.status for row in result}
    assert NeedStatus.NEEDED in statuses
    assert NeedStatus.MET in statuses
    for row in result:
        assert row.now == rolled.values[row.name]
        met = result.results[row.number].met
        assert (row.status is NeedStatus.MET) is met
        if row.status is not NeedStatus.NEEDED:
            continue
        assert row.needed is not None
        assert row.more == row.needed - row.now
        again = {**rolled.values, row.name: row.needed}
        assert bundled.evaluate_exact(again)[row.number].met, (row.number, row.name)
        if row.whole and row.more:
            step = 1 if row.more > 0 else -1
            before = {**rolled.values, row.name: row.needed - step}
            assert not bundled.evaluate_exact(before)[row.number].met, (row.number, row.name)
        if row.input.over_time is TimeRule.SUM:
            assert row.more >= 0  # a flow never below what it has added


def test_the_year_ends_at_tw4(bundled: Catalog) -> None:
    result = bundled.needed(read_sheet(QUARTERLY_CSV, bundled))
    assert result.progress.remaining == 0
    assert {row.status for row in result} <= {NeedStatus.MET, NeedStatus.IMPOSSIBLE}
    assert any(row.status is NeedStatus.IMPOSSIBLE for row in result)


def _iku(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "iku_formula", *args],
        capture_output=True,
        text=True,
        check=False,
        cwd=REPO,
    )


def test_cli_json(bundled: Catalog) -> None:
    done = _iku("kebutuhan", str(QUARTERLY_CSV), "--sampai", "TW3", "--json")
    assert done.returncode == 0, done.stderr
    rows = json.loads(done.stdout)
    assert isinstance(rows, list)
    assert rows
    keys = {"indicator", "input", "now", "needed", "more", "possible"}
    assert all(keys <= set(row) for row in rows)
    sheet = read_sheet(QUARTERLY_CSV, bundled)
    values = roll_up_rows(bundled, sheet.rows, until="TW3").values
    needed = [row for row in rows if row["status"] == "needed"]
    assert needed
    assert any(row["possible"] is False for row in rows)
    for row in needed:
        value = Fraction(row["needed_exact"])
        assert Fraction(row["now_exact"]) == values[row["input"]]
        assert Fraction(row["more_exact"]) == value - values[row["input"]]
        assert bundled.evaluate_exact({**values, row["input"]: value})[row["indicator"]].met
    # IKU 8 (perancang dibina: 16 of 20 by TW3): four more in TW4
    (iku8,) = [row for row in rows if row["indicator"] == 8]
    assert (iku8["now"], iku8["needed"], iku8["more"], iku8["possible"]) == ("16", "20", "4", True)


def test_cli_text_alias_and_output(tmp_path: Path) -> None:
    done = _iku("need", str(QUARTERLY_XLSX), "--to", "TW2")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("== ")
    assert "IKU 8" in done.stdout
    assert "2024 s.d. TW2" in done.stdout
    assert "1,716" in done.stdout  # IKU 39's jumlah_narapidana, English separators (IKU_LANG=en)
    indonesian = _iku("--lang", "id", "need", str(QUARTERLY_XLSX), "--to", "TW2")
    assert "1.716" in indonesian.stdout  # Indonesian separators
    out = tmp_path / "kebutuhan.json"
    done = _iku("kebutuhan", str(QUARTERLY_CSV), "--sampai", "TW3", "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert json.loads(out.read_text(encoding="utf-8"))[0]["indicator"] == 1
    again = _iku("kebutuhan", str(QUARTERLY_CSV), "--sampai", "TW2", "-o", str(out))
    assert again.returncode == 0, again.stderr  # its own output is a report it may replace
    data = tmp_path / "data.json"
    data.write_text('[{"a": 1}]', encoding="utf-8")
    refused = _iku("kebutuhan", str(QUARTERLY_CSV), "-o", str(data))
    assert refused.returncode == 2
    assert "--force" in refused.stderr
    text = tmp_path / "kebutuhan.txt"
    done = _iku("kebutuhan", str(QUARTERLY_CSV), "-o", str(text))
    assert done.returncode == 0
    assert "2024 s.d. TW4" in text.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--sampai", "TW5"], "--sampai"),
        (["--sampai", "kuartal lima"], "--sampai"),
        (["--sampai", "TW1", "--catalog", "/nonexistent/katalog.toml"], "katalog.toml"),
    ],
)
def test_cli_errors(args: list[str], message: str) -> None:
    done = _iku("kebutuhan", str(QUARTERLY_CSV), *args)
    assert done.returncode == 2
    assert message in done.stderr
    assert "Traceback" not in done.stderr


def test_cli_no_row_up_to_the_period() -> None:
    done = _iku("kebutuhan", str(YEARLY_CSV), "--sampai", "TW3")
    assert done.returncode == 2
    assert str(YEARLY_CSV.name) in done.stderr
    assert "TW3" in done.stderr
    missing = _iku("kebutuhan", "tidak-ada.csv")
    assert missing.returncode == 2
    assert "tidak-ada.csv" in missing.stderr


def _sheet(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "realisasi.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_units_roll_up_into_the_kanwil_first(catalog: Catalog, tmp_path: Path) -> None:
    path = _sheet(
        tmp_path,
        "unit,period,a,b,skor\n"
        'Lapas A,TW1,10,20,3\nLapas A,TW2,10,20,"3,2"\n'
        'Lapas B,TW1,5,10,"3,4"\nLapas B,TW2,5,10,3\n'
        "Lapas A,TW3,40,40,4\nLapas B,TW3,40,40,4\n",
    )
    result = catalog.needed(read_sheet(path, catalog), until="TW2")
    assert result.progress == Progress(2, 4, "2024 s.d. TW2")
    (a,) = [row for row in result.of(1) if row.name == "a"]
    assert (a.now, a.needed, a.more) == (30, 54, 24)  # 90% of the Kanwil's 60
    (skor,) = result.of(4)
    assert skor.now == Fraction(63, 20)  # the mean of the units' means, 3.1 and 3.2
    assert skor.needed == Fraction(7, 2)
    assert skor.per_period == Fraction(77, 20)  # (4 x 3.5 - 2 x 3.15) / 2
    # the mean over units of their realisasi is not solved for the Kanwil's inputs
    assert [row.status for row in result.of(10)] == [NeedStatus.UNSOLVED] * 2
    assert all(row.possible is None and "unit" in (row.reason or "") for row in result.of(10))
    # the sheet has no column for s, t and rupiah: those indicators are not evaluated
    assert result.not_evaluated == {2: ("s", "t"), 5: ("s",), 7: ("rupiah",)}


def test_months_leave_the_rest_of_the_year(catalog: Catalog, tmp_path: Path) -> None:
    path = _sheet(
        tmp_path,
        "unit,period,a,b\nLapas A,Januari,1,2\nLapas A,Februari,1,2\nLapas A,Maret,1,2\n"
        "Lapas A,April,5,5\n",
    )
    result = catalog.needed(read_sheet(path, catalog), until="TW1")
    assert (result.progress.done, result.progress.per_year) == (3, 12)
    (a,) = [row for row in result.of(1) if row.name == "a"]
    assert (a.now, a.needed, a.remaining) == (3, 6, 9)


def test_rows_of_a_year_and_its_quarters_are_refused(catalog: Catalog) -> None:
    from iku_formula.sheets.model import SheetRow

    rows = [
        SheetRow(2, "Lapas A", "TW1", {"a": Fraction(1), "b": Fraction(2)}),
        SheetRow(3, "Lapas B", "2024", {"a": Fraction(1), "b": Fraction(2)}),
    ]
    with pytest.raises(InputError, match="whole year"):
        catalog.needed(rows)


@pytest.mark.parametrize(
    ("lang", "shown", "absent"),
    [
        ("id", "dari 211 sampai 263,75", "263.75"),
        ("en", "from 211 to 263.75", "263,75"),
    ],
)
def test_cli_writes_the_range_with_the_language_separators(
    lang: str, shown: str, absent: str
) -> None:
    done = _iku("--lang", lang, "kebutuhan", str(QUARTERLY_CSV), "--sampai", "TW3")
    assert done.returncode == 0, done.stderr
    out = " ".join(done.stdout.split())
    assert shown in out
    assert absent not in out


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        (
            "id",
            "iku kebutuhan menulis teks atau JSON, bukan .xlsx; berikan -o berkas yang "
            "berakhiran .json, .txt atau .md",
        ),
        (
            "en",
            "iku kebutuhan writes text or JSON, not .xlsx; give -o a file ending in "
            ".json, .txt or .md",
        ),
    ],
)
def test_cli_refuses_an_output_it_cannot_write(tmp_path: Path, lang: str, said: str) -> None:
    output = tmp_path / "k.xlsx"
    done = _iku("--lang", lang, "kebutuhan", str(QUARTERLY_CSV), "-o", str(output))
    assert done.returncode == 2
    assert said in done.stderr
    assert "Traceback" not in done.stderr
    assert not output.exists()


@pytest.mark.parametrize("suffix", [".txt", ".md", ".json"])
def test_cli_writes_the_outputs_it_accepts(tmp_path: Path, suffix: str) -> None:
    output = tmp_path / f"k{suffix}"
    done = _iku("kebutuhan", str(QUARTERLY_CSV), "--sampai", "TW3", "-o", str(output))
    assert done.returncode == 0, done.stderr
    text = output.read_text(encoding="utf-8")
    assert text.startswith("[") == (suffix == ".json")
