"""Targets per period: the target sheet read and checked, per period and cumulative, applied."""

from __future__ import annotations

import csv
import itertools
import tempfile
from collections.abc import Iterator, Sequence
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from iku_formula import load_catalog
from iku_formula.cli import main
from iku_formula.errors import SheetError
from iku_formula.i18n import set_language
from iku_formula.periods import MONTHS, QUARTERS
from iku_formula.report import build_report
from iku_formula.sheets import read_sheet
from iku_formula.sheets.targets import (
    Accumulation,
    PeriodTargets,
    adds_up,
    load_targets,
    target_text,
    write_targets,
)

CATALOG = load_catalog()
HEADER = "indikator,nama,target,sifat,TW1,TW2,TW3,TW4\n"


@pytest.fixture(autouse=True)
def english(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The messages asserted here are the English ones (``--lang en``), whatever the default."""
    monkeypatch.setenv("IKU_LANG", "en")
    set_language("en")
    yield
    set_language(None)


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def _load(tmp_path: Path, body: str, header: str = HEADER) -> PeriodTargets:
    return load_targets(_write(tmp_path / "target.csv", header + body), CATALOG)


def _texts(mapping: object) -> list[str]:
    assert isinstance(mapping, dict)
    return [target.text for target in mapping.values()]


# --------------------------------------------------------------------------- the rule


@pytest.mark.parametrize(
    ("number", "part", "adds"),
    [
        (8, 0, True),  # perancang_dibina: a flow counted
        (13, 0, True),  # kegiatan: a flow
        (13, 1, True),  # rekomendasi: a flow
        (54, 0, True),
        (23, 0, False),  # a percentage of stocks
        (3, 0, False),  # a percentage of flows: a ratio does not add up
        (1, 0, False),  # a score, mean over time
        (20, 0, False),
    ],
)
def test_which_targets_add_up(number: int, part: int, adds: bool) -> None:
    assert adds_up(CATALOG[number], part) is adds


@pytest.mark.parametrize(
    ("row", "per_period", "to_date"),
    [
        (
            "8,,,per periode,5,5,5,5",
            ["5 Orang", "5 Orang", "5 Orang", "5 Orang"],
            ["5 Orang", "10 Orang", "15 Orang", "20 Orang"],
        ),
        (
            "8,,,kumulatif,5,10,15,20",
            ["5 Orang", "5 Orang", "5 Orang", "5 Orang"],
            ["5 Orang", "10 Orang", "15 Orang", "20 Orang"],
        ),
        (
            "8,,,kumulatif,2,10,10,21",
            ["2 Orang", "8 Orang", "0 Orang", "11 Orang"],
            ["2 Orang", "10 Orang", "10 Orang", "21 Orang"],
        ),
        (
            "23,,,per periode,80%,82%,85%,85%",
            ["80%", "82%", "85%", "85%"],
            ["80%", "82%", "85%", "85%"],
        ),
        (
            "23,,,kumulatif,80%,82%,85%,85%",
            ["80%", "82%", "85%", "85%"],
            ["80%", "82%", "85%", "85%"],
        ),
        (
            '4,,,kumulatif,"3,1 Indeks","3,1",3.2,"3,15 indeks"',
            ["3,1 Indeks", "3,1 Indeks", "3,2 Indeks", "3,15 Indeks"],
            ["3,1 Indeks", "3,1 Indeks", "3,2 Indeks", "3,15 Indeks"],
        ),
        (
            "13,,,kumulatif,0 Kegiatan / 0 Rekomendasi Kebijakan,1 / 0,1 / 1,1 / 1",
            [
                "0 Kegiatan / 0 Rekomendasi Kebijakan",
                "1 Kegiatan / 0 Rekomendasi Kebijakan",
                "0 Kegiatan / 1 Rekomendasi Kebijakan",
                "0 Kegiatan / 0 Rekomendasi Kebijakan",
            ],
            [
                "0 Kegiatan / 0 Rekomendasi Kebijakan",
                "1 Kegiatan / 0 Rekomendasi Kebijakan",
                "1 Kegiatan / 1 Rekomendasi Kebijakan",
                "1 Kegiatan / 1 Rekomendasi Kebijakan",
            ],
        ),
        (
            "9,,,Per_Periode,1,1,1,1",
            ["1 Instansi Pemerintah"] * 4,
            [f"{n} Instansi Pemerintah" for n in (1, 2, 3, 4)],
        ),
    ],
)
def test_targets_per_period_per_cumulative_flag(
    tmp_path: Path, row: str, per_period: list[str], to_date: list[str]
) -> None:
    targets = _load(tmp_path, row + "\n")
    (found,) = targets
    assert _texts(found.per_period) == per_period
    assert _texts(found.to_date) == to_date
    assert targets.periods == ("TW1", "TW2", "TW3", "TW4")
    number = found.number
    assert [targets.period_target(number, p).text for p in targets.periods] == per_period  # type: ignore[union-attr]
    assert targets.to_date_target(number, "2024").text == to_date[-1]  # type: ignore[union-attr]
    assert targets.target_for(number, ["TW1", "TW2", "TW3"]).text == to_date[2]  # type: ignore[union-attr]
    assert targets.target_for(number, ["TW2", "TW2"]).text == per_period[1]  # type: ignore[union-attr]


def test_a_row_without_targets_keeps_the_yearly_target(tmp_path: Path) -> None:
    targets = _load(tmp_path, "8,,,kumulatif,,,,\n23,,,,,,,\n1,,,kumulatif,3,3,3,3\n")
    assert [found.number for found in targets] == [1]
    assert targets.period_target(8, "TW1") is None
    assert 8 not in targets
    assert 1 in targets


def test_target_text_reads_back() -> None:
    from iku_formula.model import TargetPart, parse_target

    parts = [TargetPart(Fraction(31, 10), "Indeks"), TargetPart(Fraction(1234), "Orang")]
    text = target_text(parts)
    assert text == "3,1 Indeks / 1234 Orang"
    assert parse_target(text) == tuple(parts)


# --------------------------------------------------------------------------- errors


@pytest.mark.parametrize(
    ("body", "header", "place", "words"),
    [
        (
            "99,Jumlah peningkatan kapasitas pembinaan tenaga perancang,,kumulatif,1,2,3,4\n",
            HEADER,
            "row 2, column A",
            ["no indicator 99", "did you mean 8"],
        ),
        (
            "pembinaan_perancangg,,,kumulatif,1,2,3,4\n",
            HEADER,
            "row 2, column A",
            ["did you mean 'pembinaan_perancang' (IKU 8)"],
        ),
        (
            "8,,,kumulatif,5%,10%,15%,20%\n",
            HEADER,
            "row 2, column E (TW1)",
            ["'5%' is in '%'", "in 'Orang'"],
        ),
        ("8,,,kumulatif,5,10,,20\n", HEADER, "row 2, column G (TW3)", ["no target for TW3"]),
        (
            "8,,,kumulatif,5,10,15\n",
            "indikator,nama,target,sifat,TW1,TW2,TW3\n",
            "row 1",
            ["no column for period TW4"],
        ),
        (
            "8,,,kumulatif,1,2,3,4\n8,,,kumulatif,1,2,3,4\n",
            HEADER,
            "row 3, column A",
            ["a second row for indicator 8 (the first is row 2)"],
        ),
        ("8,,,kumulatif,lima,10,15,20\n", HEADER, "row 2, column E (TW1)", ["'lima' is no target"]),
        (
            "8,,,bulanan,5,10,15,20\n",
            HEADER,
            "row 2, column D (sifat)",
            ["neither 'per periode' nor 'kumulatif'"],
        ),
        (
            "8,,,kumulatif,5,10,8,20\n",
            HEADER,
            "row 2, column G (TW3)",
            ["falls from 10 Orang in TW2 to 8 Orang in TW3"],
        ),
        (
            "13,,,kumulatif,1 Kegiatan,1,1,1\n",
            HEADER,
            "row 2, column E (TW1)",
            ["has 1 part(s)", "IKU 13 has 2"],
        ),
        (
            "8,,,kumulatif,1,2,3,4\n",
            "indikator,nama,target,sifat,TW1,TW2,TW3,TW4,TW5x\n",
            "row 1, column I",
            ["unknown column 'TW5x'"],
        ),
        (
            "8,,,1,2,3,4\n",
            "indikator,nama,target,TW1,TW2,TW3,TW4\n",
            "row 1",
            ["no column 'sifat'"],
        ),
        (",,,kumulatif,1,2,3,4\n", HEADER, "row 2, column A", ["names no indicator"]),
    ],
)
def test_target_sheet_errors(
    tmp_path: Path, body: str, header: str, place: str, words: Sequence[str]
) -> None:
    with pytest.raises(SheetError) as raised:
        _load(tmp_path, body, header)
    message = str(raised.value)
    assert place in message, message
    for word in words:
        assert word in message, message


def test_every_problem_in_one_pass(tmp_path: Path) -> None:
    body = (
        "99,,,kumulatif,1,2,3,4\n"  # unknown indicator
        "8,,,kumulatif,5%,10,15,20\n"  # unit
        "23,,,per periode,80%,,85%,85%\n"  # missing period
        "8,,,kumulatif,1,2,3,4\n"  # repeated
        "20,,,kumulatif,3.3,x,3.3,3.3\n"  # no target
        "1,,,tiap bulan,3,3,3,3\n"  # sifat
    )
    with pytest.raises(SheetError) as raised:
        _load(tmp_path, body)
    error = raised.value
    assert len(error.problems) == 6
    rows = sorted(place.row for place in error.places if place.row is not None)
    assert rows == [2, 3, 4, 5, 6, 7]
    assert "6 problems of 4 kinds" in str(error)


def test_a_file_that_is_no_target_sheet(tmp_path: Path) -> None:
    with pytest.raises(SheetError, match="no header row naming the column 'indikator'"):
        _load(tmp_path, "1,2\n", "unit,period\n")
    with pytest.raises(SheetError, match="unknown file type"):
        load_targets(_write(tmp_path / "t.json", "{}"), CATALOG)


# --------------------------------------------------------------------------- round trips


def _fill(rows: list[list[str]]) -> None:
    for row in rows[1:]:
        if row[0] == "8":
            row[3:8] = ["per periode", "5", "5", "5", "5"]
        elif row[0] == "23":
            row[4:8] = ["80%", "82%", "85%", "85%"]


def test_round_trip_csv(tmp_path: Path) -> None:
    path = write_targets(CATALOG, tmp_path / "target.csv")
    rows = list(csv.reader(path.open(encoding="utf-8")))
    assert rows[0] == ["indikator", "nama", "target", "sifat", "TW1", "TW2", "TW3", "TW4"]
    assert len(rows) == 1 + len(CATALOG)
    assert {row[3] for row in rows[1:]} == {"kumulatif"}
    assert len(load_targets(path, CATALOG)) == 0  # the empty template reads: no targets
    _fill(rows)
    with path.open("w", encoding="utf-8", newline="") as stream:
        csv.writer(stream).writerows(rows)
    targets = load_targets(path, CATALOG)
    assert [found.number for found in targets] == [8, 23]
    assert targets.indicators[8].accumulation is Accumulation.PER_PERIOD
    assert _texts(targets.indicators[8].to_date) == ["5 Orang", "10 Orang", "15 Orang", "20 Orang"]
    assert _texts(targets.indicators[23].per_period) == ["80%", "82%", "85%", "85%"]


def test_round_trip_xlsx(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    path = write_targets(CATALOG, tmp_path / "target.xlsx")
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["target", "keterangan"]
    sheet = book["target"]
    numbers = {sheet.cell(row, 1).value: row for row in range(2, sheet.max_row + 1)}
    eight, tw23 = numbers["8"], numbers["23"]
    sheet.cell(eight, 4).value = "per periode"
    for column, value in zip(range(5, 9), (5, 5.0, "5", 5), strict=True):
        sheet.cell(eight, column).value = value  # numbers as a person types them
    for column, value in zip(range(5, 9), (0.8, 0.82, "85%", 0.85), strict=True):
        cell = sheet.cell(tw23, column)
        cell.value = value
        if isinstance(value, float):
            cell.number_format = "0%"  # typed 80% into a general cell
    book.save(path)
    targets = load_targets(path, CATALOG)
    assert _texts(targets.indicators[8].to_date) == ["5 Orang", "10 Orang", "15 Orang", "20 Orang"]
    assert _texts(targets.indicators[23].per_period) == ["80%", "82%", "85%", "85%"]


# --------------------------------------------------------------------------- applied

DATA = (
    "unit,period,perancang_dibina,pemenuhan_makanan,jumlah_tahanan\n"
    "Kanwil Bali,TW1,7,80,100\n"
    "Kanwil Bali,TW2,4,90,100\n"
    "Kanwil Bali,TW3,5,84,100\n"
    "Kanwil Bali,TW4,8,85,100\n"
)


def test_capaian_per_period_and_to_date(tmp_path: Path) -> None:
    sheet = read_sheet(_write(tmp_path / "data.csv", DATA), CATALOG)
    targets = _load(tmp_path, "8,,,per periode,5,5,5,5\n23,,,kumulatif,80%,82%,85%,85%\n")
    report = build_report(CATALOG, sheet, "period", targets=targets)
    whole, *quarters = report.sections
    assert [s.results[8].achievement for s in quarters] == [140, 80, 100, 160]
    assert [s.results[8].target.text for s in quarters] == ["5 Orang"] * 4
    assert whole.results[8].target.text == "20 Orang"
    assert whole.results[8].achievement == Fraction(24, 20) * 100
    assert [s.results[23].achievement for s in quarters] == [
        100,
        Fraction(90, 82) * 100,
        Fraction(84, 85) * 100,
        100,
    ]
    assert [s.results[23].met for s in quarters] == [True, True, False, True]
    plain = build_report(CATALOG, sheet, "period")
    assert plain.sections[1].results[8].target.text == "20 Orang"  # the catalog's yearly


def test_to_date_against_the_cumulative_target(tmp_path: Path) -> None:
    sheet = read_sheet(_write(tmp_path / "data.csv", "\n".join(DATA.split("\n")[:4])), CATALOG)
    targets = _load(tmp_path, "8,,,kumulatif,5,10,15,20\n")
    (whole, *_quarters) = build_report(CATALOG, sheet, "period", targets=targets).sections
    assert whole.period == "2024 s.d. TW3"
    assert whole.results[8].target.text == "15 Orang"
    assert whole.results[8].achievement == Fraction(16, 15) * 100


def _targets_file(
    directory: Path, labels: Sequence[str], parts: Sequence[int], kind: Accumulation
) -> Path:
    cells = list(parts)
    if kind is Accumulation.CUMULATIVE:
        cells = [sum(parts[: i + 1]) for i in range(len(parts))]
    shares = [f"{90 - i}%" for i in range(len(labels) - 1)] + ["85%"]
    header = f"indikator,nama,target,sifat,{','.join(labels)}\n"
    rows = f"8,,,{kind.value},{','.join(map(str, cells))}\n23,,,{kind.value},{','.join(shares)}\n"
    return _write(directory / "target.csv", header + rows)


@settings(max_examples=40)
@given(
    st.sampled_from([QUARTERS, MONTHS]),
    st.lists(st.integers(0, 30), min_size=12, max_size=12),
    st.lists(st.integers(0, 200), min_size=24, max_size=24),
    st.lists(st.integers(0, 20), min_size=11, max_size=11),
    st.sampled_from(list(Accumulation)),
)
def test_to_date_at_the_last_period_is_the_yearly_capaian(
    labels: tuple[str, ...],
    flows: list[int],
    stocks: list[int],
    cuts: list[int],
    kind: Accumulation,
) -> None:
    """Per-period targets consistent with the yearly target (IKU 8: they add up to 20 Orang;
    IKU 23: the last period's is 85%) give, to date at the last period, the yearly capaian
    exactly, for quarters and months, per period or cumulative."""
    bounds = [0, *sorted(cuts[: len(labels) - 1]), 20]
    parts = [after - before for before, after in itertools.pairwise(bounds)]
    lines = ["unit,period,perancang_dibina,pemenuhan_makanan,jumlah_tahanan"]
    for index, label in enumerate(labels):
        served, held = sorted(stocks[2 * index : 2 * index + 2])
        lines.append(f"Kanwil Bali,{label},{flows[index]},{served},{held}")
    with tempfile.TemporaryDirectory() as folder:
        directory = Path(folder)
        sheet = read_sheet(_write(directory / "data.csv", "\n".join(lines) + "\n"), CATALOG)
        targets = load_targets(_targets_file(directory, labels, parts, kind), CATALOG)
    yearly = build_report(CATALOG, sheet, "period").sections[0]
    to_date = build_report(CATALOG, sheet, "period", targets=targets).sections[0]
    for number in (8, 23):
        assert to_date.results[number].target.parts == CATALOG[number].target.parts
        assert to_date.results[number].achievement == yearly.results[number].achievement
        assert to_date.results[number].status == yearly.results[number].status


# --------------------------------------------------------------------------- the command


def test_command_template_and_evaluate(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "target.csv"
    assert main(["template", str(target), "--target"]) == 0
    assert "55 indicators x 4 quarters" in capsys.readouterr().out
    rows = list(csv.reader(target.open(encoding="utf-8")))
    _fill(rows)
    with target.open("w", encoding="utf-8", newline="") as stream:
        csv.writer(stream).writerows(rows)
    data = _write(tmp_path / "data.csv", DATA)
    code = main(["evaluate", str(data), "--target-file", str(target), "--by", "period"])
    out = capsys.readouterr().out
    assert code == 0
    assert "Targets per period from" in out
    section = out.split("== Kanwil Bali, TW2 ==")[1].split("==")[0]
    line = next(line for line in section.splitlines() if line.lstrip().startswith("8 "))
    assert "5 Orang" in line
    assert "80.00" in line


def test_command_refuses_a_bad_target_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = _write(tmp_path / "target.csv", HEADER + "8,,,kumulatif,5%,10,15,20\n")
    data = _write(tmp_path / "data.csv", DATA)
    assert main(["evaluate", str(data), "--target-file", str(target)]) == 2
    captured = capsys.readouterr()
    assert "target.csv: row 2, column E (TW1)" in captured.err
    assert "Traceback" not in captured.err
    assert main(["template", str(tmp_path / "t.csv"), "--target", "--units", "A"]) == 2
    assert "--units has no meaning with --target" in capsys.readouterr().err


# --------------------------------------------------------------------------- months, to date

MONTH_NAMES = list(MONTHS)


def _monthly_data(directory: Path, months: int = 12) -> Path:
    lines = ["unit,period,perancang_dibina,pemenuhan_makanan,jumlah_tahanan"]
    for index, name in enumerate(MONTH_NAMES[:months], 1):
        lines.append(f"Kanwil Bali,{name},{index % 3 + 1},{80 + index},100")
    return _write(directory / "data.csv", "\n".join(lines) + "\n")


def test_monthly_targets_make_the_quarters(tmp_path: Path) -> None:
    header = "indikator,nama,target,sifat," + ",".join(MONTH_NAMES) + "\n"
    flows = ",".join(["2"] * 12)
    shares = ",".join(f"{80 + i}%" for i in range(1, 13))
    targets = _load(tmp_path, f"8,,,per periode,{flows}\n23,,,kumulatif,{shares}\n", header)
    assert targets.periods == tuple(MONTH_NAMES)
    assert targets.period_target(8, "TW2").text == "6 Orang"  # type: ignore[union-attr]
    assert targets.period_target(23, "TW2").text == "86%"  # type: ignore[union-attr]
    assert targets.to_date_target(8, "Juni").text == "12 Orang"  # type: ignore[union-attr]
    sheet = read_sheet(_monthly_data(tmp_path), CATALOG)
    whole, *quarters = build_report(CATALOG, sheet, "period", targets=targets).sections
    assert [s.period for s in quarters] == ["TW1", "TW2", "TW3", "TW4"]
    assert [s.results[8].target.text for s in quarters] == ["6 Orang"] * 4
    assert [s.results[23].target.text for s in quarters] == ["83%", "86%", "89%", "92%"]
    assert whole.results[8].target.text == "24 Orang"
    assert [s.results[8].value for s in quarters] == [6, 6, 6, 6]  # 2+3+1 each quarter
    assert all(s.results[8].achievement == 100 for s in quarters)


def test_quarterly_targets_for_a_sheet_of_months(tmp_path: Path) -> None:
    targets = _load(tmp_path, "8,,,kumulatif,5,10,15,20\n")
    sheet = read_sheet(_monthly_data(tmp_path), CATALOG)
    _whole, *quarters = build_report(CATALOG, sheet, "period", targets=targets).sections
    assert [s.results[8].target.text for s in quarters] == ["5 Orang"] * 4
    row_level = build_report(CATALOG, sheet, "row", targets=targets).sections
    assert row_level[0].results[8].target.text == "20 Orang"  # a month: no target of its own


@pytest.mark.parametrize(("until", "target", "value"), [("TW1", "5", 7), ("TW3", "15", 16)])
def test_to_date_with_until(tmp_path: Path, until: str, target: str, value: int) -> None:
    sheet = read_sheet(_write(tmp_path / "data.csv", DATA), CATALOG)
    targets = _load(tmp_path, "8,,,kumulatif,5,10,15,20\n")
    whole = build_report(CATALOG, sheet, until=until, targets=targets).sections[0]
    assert whole.results[8].target.text == f"{target} Orang"
    assert whole.results[8].value == value
    assert whole.results[8].achievement == Fraction(value * 100, int(target))


def test_command_to_date_and_monthly_template(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = _write(tmp_path / "target.csv", HEADER + "8,,,kumulatif,5,10,15,20\n")
    data = _write(tmp_path / "data.csv", DATA)
    code = main(["evaluate", str(data), "--target-file", str(target), "--sampai", "TW3"])
    out = capsys.readouterr().out
    assert code == 0
    line = next(line for line in out.splitlines() if line.lstrip().startswith("8 "))
    assert "15 Orang" in line
    assert "106.67" in line
    monthly = tmp_path / "bulanan.csv"
    assert main(["template", str(monthly), "--target", "--bulanan"]) == 0
    assert "12 months" in capsys.readouterr().out
    header = monthly.read_text(encoding="utf-8").splitlines()[0].split(",")
    assert header[4:] == MONTH_NAMES


def test_the_report_says_where_targets_differ_from_the_yearly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = _write(
        tmp_path / "target.csv",
        HEADER + "8,,,kumulatif,5,10,15,24\n23,,,kumulatif,85%,85%,85%,85%\n",
    )
    targets = load_targets(target, CATALOG)
    differ = targets.yearly_differences(CATALOG)
    assert [(n, a.text, b.text) for n, a, b in differ] == [(8, "24 Orang", "20 Orang")]
    data = _write(tmp_path / "data.csv", DATA)
    assert main(["evaluate", str(data), "--target-file", str(target), "--format", "markdown"]) == 0
    out = capsys.readouterr().out
    assert "not the catalog's yearly target for: IKU 8 (24 Orang, not 20 Orang)" in out


def test_the_example_target_sheet_gives_the_yearly_capaian_at_the_year_end() -> None:
    """The example targets are consistent with the yearly ones: the year's capaian is the
    catalog's, every indicator, while each quarter is measured against its own target."""
    examples = Path(__file__).resolve().parents[2] / "examples"
    targets = load_targets(examples / "contoh-target-2024-triwulan.csv", CATALOG)
    assert len(targets) == len(CATALOG)
    assert targets.yearly_differences(CATALOG) == []
    sheet = read_sheet(examples / "contoh-realisasi-2024-triwulan.csv", CATALOG)
    plain = build_report(CATALOG, sheet, "period")
    measured = build_report(CATALOG, sheet, "period", targets=targets)
    year, plain_year = measured.sections[0], plain.sections[0]
    assert {n: e.achievement for n, e in year.results.items()} == {
        n: e.achievement for n, e in plain_year.results.items()
    }
    tw1 = measured.sections[1]
    assert tw1.results[8].target.text == "5 Orang"
    assert tw1.results[8].achievement == Fraction(tw1.results[8].value or 0) * 100 / 5


@pytest.mark.parametrize(
    ("lang", "first"),
    [
        ("id", "Target per periode: satu baris per indikator, satu kolom per periode"),
        ("en", "Target per periode: one row per indicator, one column per period"),
    ],
)
def test_the_template_notes_are_in_the_language_shown(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lang: str, first: str
) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    monkeypatch.setenv("IKU_LANG", lang)
    set_language(None)
    path = tmp_path / "target.xlsx"
    assert main(["template", str(path), "--target"]) == 0
    notes = [row[0].value for row in openpyxl.load_workbook(path)["keterangan"].iter_rows()]
    assert str(notes[0]).startswith(first)
    assert len(notes) == 6


@pytest.mark.parametrize(
    ("lang", "hint"),
    [("id", "(TW1, TW2, TW3 atau TW4)"), ("en", "(TW1, TW2, TW3 or TW4)")],
)
def test_a_missing_period_column_names_the_periods_in_the_language_shown(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], lang: str, hint: str
) -> None:
    target = tmp_path / "target.csv"
    assert main(["template", str(target), "--target"]) == 0
    rows = [row[:-1] for row in csv.reader(target.open(encoding="utf-8"))]  # no TW4
    with target.open("w", encoding="utf-8", newline="") as stream:
        csv.writer(stream).writerows(rows)
    data = _write(tmp_path / "data.csv", DATA)
    capsys.readouterr()
    assert main(["--lang", lang, "evaluate", str(data), "--target-file", str(target)]) == 2
    err = capsys.readouterr().err
    assert "TW4" in err
    assert hint in err
