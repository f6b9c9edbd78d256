"""iku-formula against the baselines a user would pick instead, measured in the same run.

Run from the repository root, with the package and its ``frames`` extra installed::

    python benchmarks/run.py                # the full suite, up to 1,000,000 rows (minutes)
    python benchmarks/run.py --size small   # one small size, few repeats (CI: it still works)
    python benchmarks/run.py --markdown     # the table as Markdown, for benchmarks/README.md

Each figure is a ratio, iku-formula's time over its baseline's (below 1 is faster),
with both absolute times beside it. Times are the best of several runs (the median
is shown too), iku-formula and its baseline taking turns so that a busy machine
slows both alike. The figures:

1. start-up: a fresh interpreter running ``import iku_formula; load_catalog()``
   against one running ``import sympy`` (goal: at most 1.3x);
2. one record, all 55 indicators: :meth:`Catalog.evaluate` (exact) and
   :meth:`Catalog.evaluate_floats` (floats) against ``expr.subs(...)`` per
   indicator (goals: exact no slower, floats at least 20x faster);
3. :meth:`Catalog.evaluate_frame` on every input column against the 55 formulas
   written by hand in numpy (goals at 1,000,000 rows: at most 1.5x the time, at
   most 2x the peak memory, traced with :mod:`tracemalloc`);
4. :meth:`Catalog.aggregate` of 600 units x 4 triwulan x as many years as it takes,
   then :meth:`Catalog.evaluate_frame`, against a pandas ``groupby("year").sum()``
   plus the numpy formulas (goal at 1,000,000 rows: at most 1.5x);
   beside it, on one year of as many units as it takes (the SQL views roll up one year
   per unit), the frame as a DuckDB table: the generated views
   (:meth:`Catalog.evaluate_sql`, all 55 indicators; they compute capaian, status,
   predikat and reasons too) and a hand-written DuckDB query applying the same rules to
   the three indicators of ``baselines.DUCKDB_FORMULAS`` (ours on the same three
   indicators' columns); goal: ahead of each;
5. figures 3 and 4 at 10^4, 10^5 and 10^6 rows, with the time per row;
6. :func:`iku_formula.sheets.read_sheet` of a realisasi CSV of 100,000 rows (every cell
   checked, exact) against the :mod:`csv` module plus ``Fraction`` of every filled cell
   (goal: no slower), and beside it ``pandas.read_csv`` (floats, no checks; no goal).

Every result is checked against its baseline (or the exact path) before it is
timed; a disagreement exits with status 1. A missed goal is reported, not an error:
timings never fail a run.
"""

from __future__ import annotations

import argparse
import csv
import math
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import sympy
from baselines import (
    DUCKDB_FORMULAS,
    csv_fractions,
    duckdb_inputs,
    duckdb_rules_query,
    numpy_baseline,
    pandas_csv,
    pandas_rollup,
    pandas_rules_rollup,
    subs_all,
    subs_plan,
)

import iku_formula
from iku_formula import Catalog, InputKind, TimeRule, UnitRule, load_catalog
from iku_formula.sheets import read_sheet

GOAL_ROWS = 1_000_000
"""The size the vectorised and roll-up goals are set for."""
UNITS = 600
QUARTERS = ("TW1", "TW2", "TW3", "TW4")


READ_GOAL_ROWS = 100_000
"""The size the reading goal (figure 6) is set for: a sheet must stay below MAX_DATA_BYTES."""
SAMPLE = Path(__file__).resolve().parents[1] / "examples" / "contoh-realisasi-2024-triwulan.csv"


@dataclass(frozen=True)
class Size:
    rows: tuple[int, ...]
    startup_runs: int
    repeat: int
    read_rows: tuple[int, ...] = (10_000, READ_GOAL_ROWS)


SIZES = {
    "full": Size(rows=(10_000, 100_000, 1_000_000), startup_runs=15, repeat=7),
    "small": Size(rows=(10_000,), startup_runs=3, repeat=2, read_rows=(10_000,)),
}


class DisagreementError(Exception):
    """A result of iku-formula differs from its baseline's: the figures would mean nothing."""


# --- timing ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Timing:
    best: float
    median: float

    @classmethod
    def of(cls, seconds: Sequence[float]) -> Timing:
        return cls(min(seconds), statistics.median(seconds))


def race(contenders: dict[str, tuple[Callable[[], object], int]], repeat: int) -> dict[str, Timing]:
    """Seconds per call of each ``name: (function, calls per round)``, taking turns.

    Each function is called once first (compiled plans, caches, the allocator warm up),
    then ``repeat`` rounds, each function in turn.
    """
    for function, _ in contenders.values():
        function()
    seconds: dict[str, list[float]] = {name: [] for name in contenders}
    for _ in range(repeat):
        for name, (function, number) in contenders.items():
            start = time.perf_counter()
            for _ in range(number):
                function()
            seconds[name].append((time.perf_counter() - start) / number)
    return {name: Timing.of(times) for name, times in seconds.items()}


def calls_per_round(rows: int) -> int:
    """Enough calls on a small frame that a round takes long enough to time steadily."""
    return max(1, 100_000 // rows)


def peak_memory(function: Callable[[], object]) -> int:
    """Bytes allocated at the peak of one call (tracemalloc also sees numpy's buffers)."""
    tracemalloc.start()
    try:
        result = function()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    del result
    return peak


# --- reporting -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    name: str
    rows: int | None
    ours: float
    theirs: float
    unit: str  # "s" or "B"
    goal: str  # e.g. "<= 1.3x", "" for none
    met: bool | None  # None: no goal at this size
    note: str = ""

    @property
    def ratio(self) -> float:
        return self.ours / self.theirs


def _time(seconds: float) -> str:
    if seconds >= 1:
        return f"{seconds:.2f} s"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.1f} ms"
    return f"{seconds * 1e6:.1f} us"


def _amount(value: float, unit: str) -> str:
    return _time(value) if unit == "s" else f"{value / 2**20:.0f} MiB"


def _ratio(figure: Figure) -> str:
    if figure.ratio < 0.2:
        return f"{figure.ratio:.3f}x ({1 / figure.ratio:.0f}x faster)"
    return f"{figure.ratio:.2f}x"


def _status(figure: Figure) -> str:
    if figure.met is None:
        return "-"
    return "met" if figure.met else "MISSED"


HEADER = ("figure", "rows", "iku-formula", "baseline", "ratio", "goal", "status", "note")


def table_rows(figures: Sequence[Figure]) -> list[tuple[str, ...]]:
    return [
        (
            f.name,
            "" if f.rows is None else f"{f.rows:,}",
            _amount(f.ours, f.unit),
            _amount(f.theirs, f.unit),
            _ratio(f),
            f.goal,
            _status(f),
            f.note,
        )
        for f in figures
    ]


def print_table(figures: Sequence[Figure], *, markdown: bool) -> None:
    rows = [HEADER, *table_rows(figures)]
    if markdown:
        print("| " + " | ".join(HEADER) + " |")
        print("|" + "|".join(" --- " for _ in HEADER) + "|")
        for row in rows[1:]:
            print("| " + " | ".join(row) + " |")
        return
    widths = [max(len(row[column]) for row in rows) for column in range(len(HEADER))]
    for position, row in enumerate(rows):
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)))
        if position == 0:
            print("  ".join("-" * width for width in widths))


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            for line in info:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return (
        f"{cpu}, {os.cpu_count()} CPUs; Python {platform.python_version()}, "
        f"sympy {sympy.__version__}, numpy {np.__version__}, pandas {pd.__version__}, "
        f"iku-formula {iku_formula.__version__}"
    )


# --- data --------------------------------------------------------------------------------------


def input_columns(catalog: Catalog, rows: int, seed: int = 0) -> dict[str, Any]:
    """Valid random values for every input: whole counts 0-999 (about 1 in 1000 a zero
    denominator), amounts in rupiah with cents, scores within their range."""
    rng = np.random.default_rng(seed)
    columns: dict[str, Any] = {}
    for name, spec in catalog.inputs.items():
        if spec.kind is InputKind.SCORE:
            assert spec.minimum is not None
            assert spec.maximum is not None
            low, high = float(spec.minimum), float(spec.maximum)
            columns[name] = rng.uniform(low, high, rows).round(2).clip(low, high)
        elif spec.kind is InputKind.AMOUNT:
            columns[name] = rng.uniform(0, 1e9, rows).round(2)
        else:
            columns[name] = rng.integers(0, 1000, rows).astype(np.float64)
    return columns


def record(catalog: Catalog) -> dict[str, float]:
    """One realistic record: whole numbers for counts, decimals for amounts and scores."""
    values: dict[str, float] = {}
    for position, (name, spec) in enumerate(catalog.inputs.items()):
        if spec.kind is InputKind.SCORE:
            assert spec.minimum is not None
            assert spec.maximum is not None
            values[name] = float(spec.minimum + (spec.maximum - spec.minimum) * 3 / 4)
        elif spec.kind is InputKind.AMOUNT:
            values[name] = 1_250_000_000.5 + position
        else:
            values[name] = 900 + position % 97
    return values


def quarterly_frame(catalog: Catalog, rows: int) -> pd.DataFrame:
    """``rows`` rows of year x 600 units x 4 triwulan (in that order) and every input."""
    position = np.arange(rows)
    units = np.array([f"UPT {unit:03d}" for unit in range(UNITS)], dtype=object)
    keys = {
        "year": 2000 + position // (UNITS * len(QUARTERS)),
        "unit": units[position // len(QUARTERS) % UNITS],
        "period": np.array(QUARTERS, dtype=object)[position % len(QUARTERS)],
    }
    return pd.DataFrame({**keys, **input_columns(catalog, rows, seed=1)})


# --- checks ------------------------------------------------------------------------------------


def agree(ours: Any, theirs: Any, numbers: Sequence[int], what: str, rtol: float = 1e-12) -> None:
    """Raise DisagreementError unless the columns agree within ``rtol`` (NaN = NaN)."""
    for number in numbers:
        a = np.asarray(ours[number], dtype=np.float64)
        b = np.asarray(theirs[number], dtype=np.float64)
        if a.shape != b.shape or not np.allclose(a, b, rtol=rtol, atol=0, equal_nan=True):
            raise DisagreementError(f"{what}: indicator {number} differs from the baseline")


def close(a: float, b: float) -> bool:
    return (math.isnan(a) and math.isnan(b)) or math.isclose(a, b, rel_tol=1e-12)


# --- the figures ---------------------------------------------------------------------------------


def startup(runs: int) -> list[Figure]:
    """Figure 1: fresh interpreters, with bytecode caches warm for both."""
    with tempfile.TemporaryDirectory(prefix="iku-bench-pyc-") as cache:
        env = dict(os.environ)
        env.pop("PYTHONDONTWRITEBYTECODE", None)  # a user's interpreter caches bytecode...
        env["PYTHONPYCACHEPREFIX"] = cache  # ...here outside the source tree, for both alike
        commands = {
            "ours": "import iku_formula; iku_formula.load_catalog()",
            "theirs": "import sympy",
        }

        def run(code: str) -> float:
            start = time.perf_counter()
            subprocess.run([sys.executable, "-c", code], env=env, check=True)  # noqa: S603
            return time.perf_counter() - start

        for code in commands.values():
            run(code)  # writes the bytecode caches
        times: dict[str, list[float]] = {"ours": [], "theirs": []}
        for _ in range(runs):
            for key, code in commands.items():
                times[key].append(run(code))
    ours, theirs = Timing.of(times["ours"]), Timing.of(times["theirs"])
    ratio = ours.best / theirs.best
    return [
        Figure(
            "1 start-up: import + load_catalog() vs import sympy",
            None,
            ours.best,
            theirs.best,
            "s",
            "<= 1.30x",
            ratio <= 1.3,
            f"medians {_time(ours.median)} / {_time(theirs.median)}",
        )
    ]


def one_record(catalog: Catalog, repeat: int) -> list[Figure]:
    """Figure 2: all indicators for one record, exact and floats, against subs."""
    values = record(catalog)
    plan = subs_plan(catalog, values)
    exact = catalog.evaluate(values)
    floats = catalog.evaluate_floats(values)
    substituted = subs_all(plan)
    if sorted(exact) != sorted(floats) or len(exact) != len(catalog):
        raise DisagreementError("one record: not every indicator was evaluated")
    for indicator, result in zip(catalog.indicators, substituted, strict=True):
        expected = exact[indicator.number].value
        want = math.nan if expected is None else float(expected)
        if not close(floats[indicator.number], want) or not close(float(result), want):
            raise DisagreementError(f"one record: indicator {indicator.number} differs")
    timing = race(
        {
            "subs": (lambda: subs_all(plan), 20),
            "exact": (lambda: catalog.evaluate(values), 20),
            "floats": (lambda: catalog.evaluate_floats(values), 2000),  # microseconds each
        },
        repeat,
    )
    subs_best = timing["subs"].best
    ours_exact, ours_floats = timing["exact"], timing["floats"]
    return [
        Figure(
            "2 one record, 55 indicators: evaluate() (exact) vs subs",
            None,
            ours_exact.best,
            subs_best,
            "s",
            "<= 1.00x",
            ours_exact.best <= subs_best,
        ),
        Figure(
            "2 one record, 55 indicators: evaluate_floats() vs subs",
            None,
            ours_floats.best,
            subs_best,
            "s",
            ">= 20x faster",
            subs_best / ours_floats.best >= 20,
        ),
    ]


def vectorised(catalog: Catalog, rows: int, repeat: int) -> list[Figure]:
    """Figure 3: evaluate_frame against the hand-written numpy formulas."""
    frame = pd.DataFrame(input_columns(catalog, rows))
    inputs = list(catalog.inputs)
    numbers = [indicator.number for indicator in catalog.indicators]
    agree(catalog.evaluate_frame(frame), numpy_baseline(frame, inputs), numbers, "vectorised")
    calls = calls_per_round(rows)
    timing = race(
        {
            "ours": (lambda: catalog.evaluate_frame(frame), calls),
            "theirs": (lambda: numpy_baseline(frame, inputs), calls),
        },
        repeat,
    )
    ours, theirs = timing["ours"], timing["theirs"]
    memory = (
        peak_memory(lambda: catalog.evaluate_frame(frame)),
        peak_memory(lambda: numpy_baseline(frame, inputs)),
    )
    goal = rows == GOAL_ROWS
    per_row = f"{ours.best / rows * 1e9:.0f} ns/row"
    return [
        Figure(
            "3 evaluate_frame vs numpy by hand: time",
            rows,
            ours.best,
            theirs.best,
            "s",
            "<= 1.50x",
            ours.best / theirs.best <= 1.5 if goal else None,
            per_row,
        ),
        Figure(
            "3 evaluate_frame vs numpy by hand: peak memory",
            rows,
            memory[0],
            memory[1],
            "B",
            "<= 2.00x",
            memory[0] / memory[1] <= 2 if goal else None,
            f"input frame {frame.memory_usage(index=False).sum() / 2**20:.0f} MiB",
        ),
    ]


def roll_up(catalog: Catalog, rows: int, repeat: int) -> list[Figure]:
    """Figure 4: aggregate + evaluate_frame against pandas doing the same work (and groupby-sum)."""
    frame = quarterly_frame(catalog, rows)
    inputs = list(catalog.inputs)

    def ours() -> Any:
        with warnings.catch_warnings():  # a catalog with mean_of_units indicators warns
            warnings.simplefilter("ignore")
            return catalog.evaluate_frame(catalog.aggregate(frame, by="year"))

    def same_rules() -> Any:
        return pandas_rules_rollup(catalog, frame, ["year"])

    def summed() -> Any:
        return pandas_rollup(frame, inputs, ["year"])

    # The pandas peer applies every rule: all 55 indicators agree.
    agree(ours(), same_rules(), [i.number for i in catalog.indicators], "roll-up", rtol=1e-9)
    # Where every input is added up over triwulan and units, a bare sum computes the same.
    added = [
        indicator.number
        for indicator in catalog.indicators
        if all(
            catalog.inputs[name].over_time is TimeRule.SUM
            and catalog.inputs[name].over_units is UnitRule.SUM
            for name in indicator.inputs
        )
    ]
    # Sums taken in another order differ in the last bits, which a growth near 0 magnifies.
    agree(ours(), summed(), added, "roll-up", rtol=1e-9)
    calls = calls_per_round(rows)
    timing = race(
        {"ours": (ours, calls), "rules": (same_rules, calls), "sum": (summed, calls)}, repeat
    )
    years = -(-rows // (UNITS * len(QUARTERS)))
    best = {name: timing[name].best for name in timing}
    per_row = f"{years} year{'s' if years > 1 else ''}; {best['ours'] / rows * 1e9:.0f} ns/row"
    return [
        Figure(
            "4 aggregate + evaluate_frame vs pandas with the same rules and checks + numpy",
            rows,
            best["ours"],
            best["rules"],
            "s",
            "<= 1.00x",
            best["ours"] / best["rules"] <= 1.0 if rows == GOAL_ROWS else None,
            per_row,
        ),
        Figure(
            "4 aggregate + evaluate_frame vs groupby-sum + numpy (context: adds up only)",
            rows,
            best["ours"],
            best["sum"],
            "s",
            "",
            None,
            per_row,
        ),
    ]


def one_year_frame(catalog: Catalog, rows: int) -> pd.DataFrame:
    """``rows`` rows of one year: ``rows / 4`` units x 4 triwulan and every input."""
    position = np.arange(rows)
    units = np.array([f"UPT {unit:06d}" for unit in range(-(-rows // 4))], dtype=object)
    keys = {
        "unit": units[position // len(QUARTERS)],
        "period": np.array(QUARTERS, dtype=object)[position % len(QUARTERS)],
    }
    return pd.DataFrame({**keys, **input_columns(catalog, rows, seed=1)})


def roll_up_sql(catalog: Catalog, rows: int, repeat: int) -> list[Figure]:
    """Figure 4 beside DuckDB: the generated views and hand-written SQL, on one year."""
    import duckdb

    frame = one_year_frame(catalog, rows)
    subset = frame[["unit", "period", *duckdb_inputs(catalog)]]
    numbers = list(DUCKDB_FORMULAS)
    connection = duckdb.connect()
    for name, table in (("realisasi", frame), ("realisasi3", subset)):
        connection.register("loaded", table)
        connection.execute(f"CREATE TABLE {name} AS SELECT * FROM loaded")  # noqa: S608
        connection.unregister("loaded")
    hand_query = duckdb_rules_query(catalog, "realisasi3", outcomes=False)

    def ours() -> Any:
        with warnings.catch_warnings():  # a catalog with mean_of_units indicators warns
            warnings.simplefilter("ignore")
            return catalog.evaluate_frame(catalog.aggregate(frame))

    def ours_three() -> Any:
        return catalog.evaluate_frame(catalog.aggregate(subset))

    def generated() -> Any:
        return catalog.evaluate_sql(connection, "realisasi")

    def hand() -> Any:
        result = connection.execute(hand_query).fetchnumpy()
        return {number: result[f"realisasi_{number}"] for number in numbers}

    agree(ours(), generated(), [i.number for i in catalog.indicators], "SQL roll-up", rtol=1e-9)
    agree(ours_three(), hand(), numbers, "hand-written SQL roll-up", rtol=1e-9)
    calls = calls_per_round(rows)
    timing = race(
        {
            "ours": (ours, calls),
            "generated": (generated, calls),
            "ours3": (ours_three, calls),
            "hand": (hand, calls),
        },
        repeat,
    )
    best = {name: timing[name].best for name in timing}
    units = f"1 year, {-(-rows // 4):,} units"
    return [
        Figure(
            "4 aggregate + evaluate_frame vs generated DuckDB SQL (evaluate_sql)",
            rows,
            best["ours"],
            best["generated"],
            "s",
            "<= 1.00x",
            best["ours"] / best["generated"] <= 1.0 if rows == GOAL_ROWS else None,
            f"{units}; 55 indicators; the views add capaian, status, reasons",
        ),
        Figure(
            "4 aggregate + evaluate_frame vs hand-written DuckDB SQL, same rules",
            rows,
            best["ours3"],
            best["hand"],
            "s",
            "<= 1.00x",
            best["ours3"] / best["hand"] <= 1.0 if rows == GOAL_ROWS else None,
            f"{units}; indicators {', '.join(map(str, numbers))} only; SQL checks no kind",
        ),
    ]


def realisasi_csv(catalog: Catalog, rows: int, path: Path, seed: int = 2) -> Path:
    """``rows`` rows shaped like the sample sheet (each unit fills its own inputs, the rest
    empty), its ten units repeated under new names (Lapas Kerobokan 0001, ...), four
    triwulan each, with random valid values near the sample's (a count v becomes one of
    v/2 to 3v/2, so that counts keep their size and do not repeat), amounts in rupiah,
    scores with two decimals, written with decimal commas as an Indonesian spreadsheet
    does. 100,000 rows are about 19 MB, below MAX_DATA_BYTES."""
    rng = np.random.default_rng(seed)
    with SAMPLE.open(encoding="utf-8", newline="") as stream:
        header, *sample = list(csv.reader(stream))
    specs = [catalog.inputs[name] for name in header[2:]]
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(header)
        for number in range(rows):
            copy, source = divmod(number, len(sample))
            unit, period, *cells = sample[source]
            values = []
            for spec, cell in zip(specs, cells, strict=True):
                if not cell:
                    values.append("")
                elif spec.kind is InputKind.SCORE:
                    low, high = float(spec.minimum or 0), float(spec.maximum or 0)
                    values.append(f"{rng.uniform(low, high):.2f}".replace(".", ","))
                elif spec.kind is InputKind.AMOUNT:
                    values.append(str(int(rng.integers(0, 2 * int(cell) + 1))))
                else:
                    count = int(cell)
                    values.append(str(int(rng.integers(count // 2, count * 3 // 2 + 1))))
            writer.writerow([f"{unit} {copy:04d}", period, *values])
    return path


def reading(catalog: Catalog, rows: int, repeat: int) -> list[Figure]:
    """Figure 6: read_sheet against the csv module + Fraction, and pandas.read_csv."""
    with tempfile.TemporaryDirectory(prefix="iku-bench-read-") as directory:
        path = realisasi_csv(catalog, rows, Path(directory) / "realisasi.csv")
        sheet = read_sheet(path, catalog)
        theirs = csv_fractions(path)
        ours = [(row.unit, row.period, dict(row.values)) for row in sheet.rows]
        if ours != [(unit, period, values) for unit, period, values in theirs if values]:
            raise DisagreementError("reading: read_sheet differs from csv + Fraction")
        frame = pandas_csv(path)
        column = header_input(catalog, path)
        if not np.allclose(
            frame[column].to_numpy(dtype=float),
            [float(values.get(column, math.nan)) for _, _, values in theirs],
            equal_nan=True,
        ):
            raise DisagreementError("reading: pandas.read_csv differs from csv + Fraction")
        timing = race(
            {
                "ours": (lambda: read_sheet(path, catalog), 1),
                "csv": (lambda: csv_fractions(path), 1),
                "pandas": (lambda: pandas_csv(path), 1),
            },
            repeat,
        )
        size = path.stat().st_size
    ours_best = timing["ours"].best
    note = f"{size / 2**20:.0f} MiB; {ours_best / rows * 1e6:.1f} us/row"
    return [
        Figure(
            "6 read_sheet vs csv module + Fraction",
            rows,
            ours_best,
            timing["csv"].best,
            "s",
            "<= 1.00x",
            ours_best <= timing["csv"].best if rows == READ_GOAL_ROWS else None,
            note,
        ),
        Figure(
            "6 read_sheet vs pandas.read_csv (floats, unchecked)",
            rows,
            ours_best,
            timing["pandas"].best,
            "s",
            "",
            None,
            note,
        ),
    ]


def header_input(catalog: Catalog, path: Path) -> str:
    """A score input of the sheet: decimals, the cells that cost most to read."""
    with path.open(encoding="utf-8") as stream:
        header = stream.readline().strip().split(",")
    return next(name for name in header[2:] if catalog.inputs[name].kind is InputKind.SCORE)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", choices=sorted(SIZES), default="full")
    parser.add_argument("--markdown", action="store_true", help="print the table as Markdown")
    parser.add_argument(
        "--figure",
        type=int,
        choices=(1, 2, 3, 4, 6),
        action="append",
        help="run only this figure (repeatable; 3 and 4 include their scaling, 5)",
    )
    arguments = parser.parse_args(argv)
    size = SIZES[arguments.size]
    catalog = load_catalog()
    print(f"iku-formula benchmarks, size {arguments.size}: {machine()}", flush=True)
    chosen = set(arguments.figure or (1, 2, 3, 4, 6))
    figures: list[Figure] = []
    try:
        if 1 in chosen:
            figures += startup(size.startup_runs)
        if 2 in chosen:
            figures += one_record(catalog, size.repeat)
        for rows in size.rows if 3 in chosen else ():
            figures += vectorised(catalog, rows, size.repeat)
        for rows in size.rows if 4 in chosen else ():
            figures += roll_up(catalog, rows, size.repeat)
            figures += roll_up_sql(catalog, rows, size.repeat)
        for rows in size.read_rows if 6 in chosen else ():
            figures += reading(catalog, rows, max(2, size.repeat // 2))
    except DisagreementError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print()
    print_table(figures, markdown=arguments.markdown)
    if GOAL_ROWS not in size.rows:
        print(f"\n(goals of figures 3 and 4 are for {GOAL_ROWS:,} rows: run --size full)")
    missed = [figure.name for figure in figures if figure.met is False]
    print(f"\n{len(missed)} goal{'s' if len(missed) != 1 else ''} missed" + ":" * bool(missed))
    for name in missed:
        print(f"  {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
