"""Every public entry point with hostile arguments: only IkuError subclasses come out.

The table below is run in one capped child process (a hang or a swelling case fails
instead of stalling CI): each case is an expression on the public API, and the child
reports, case by case, whether it returned, raised an IkuError (which one, and its
message) or raised anything else. ``iku show`` with odd text runs as a real command.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

from .conftest import Outcome, assert_bounded, run_capped

RETURNS = "returns"
"""The case may return (a plain answer such as an empty tuple)."""

# name -> (expression in the child, the IkuError subclass expected, or RETURNS)
FRAME = "pd.DataFrame({'unit': ['u', 'v'], 'period': ['TW1', 'TW1'], 'pemenuhan_makanan': C, 'jumlah_tahanan': [10, 10]})"  # noqa: E501


def _frame(cells: str) -> str:
    return FRAME.replace("C", cells)


def _call(method: str, cells: str, rest: str = "") -> str:
    """``CATALOG.method(frame, ...)`` on a two-row frame whose pemenuhan_makanan is ``cells``."""
    return f"CATALOG.{method}({_frame(cells)}{rest})"


CASES: dict[str, tuple[str, str]] = {
    # load_catalog
    "load_catalog(5)": ("load_catalog(5)", "CatalogError"),
    "load_catalog(b'x')": ("load_catalog(b'uji.toml')", "CatalogError"),
    "load_catalog(object())": ("load_catalog(object())", "CatalogError"),
    "load_catalog('\\0')": ("load_catalog('a\\0b')", "CatalogError"),
    "load_catalog(directory)": ("load_catalog('.')", "CatalogError"),
    "load_catalog(/dev/zero)": ("load_catalog('/dev/zero')", "CatalogError"),
    "load_catalog(/dev/null)": ("load_catalog('/dev/null')", "CatalogError"),
    "load_catalog(long name)": ("load_catalog('a' * 300)", "CatalogError"),
    "load_catalog(missing)": ("load_catalog('tidak-ada.toml')", "CatalogError"),
    # the formula language
    "parse_formula(5)": ("parse_formula(5)", "FormulaError"),
    "parse_formula(bytes)": ("parse_formula(b'a')", "FormulaError"),
    "parse_formula(power tower)": ("parse_formula('((a**6 + 1)**6 + 1)**6')", "FormulaError"),
    "parse_formula(superscript)": ("parse_formula('a²')", "FormulaError"),
    "parse_formula(inputs=5)": ("parse_formula('a', 5)", "FormulaError"),
    "parse_formula(inputs=[5])": ("parse_formula('a', [5])", "FormulaError"),
    "parse_formula(inputs=[[1]])": ("parse_formula('a', [[1]])", "FormulaError"),
    # indexing the catalog
    "catalog[True]": ("CATALOG[True]", "UnknownIndicatorError"),
    "catalog['23']": ("CATALOG['23']", "UnknownIndicatorError"),
    "catalog[23.0]": ("CATALOG[23.0]", "UnknownIndicatorError"),
    "catalog[[1]]": ("CATALOG[[1]]", "UnknownIndicatorError"),
    "catalog[10**5000]": ("CATALOG[10**5000]", "UnknownIndicatorError"),
    "[1] in catalog": ("[1] in CATALOG", RETURNS),
    "by_key(5)": ("CATALOG.by_key(5)", "UnknownIndicatorError"),
    "by_key(None)": ("CATALOG.by_key(None)", "UnknownIndicatorError"),
    "by_key(long)": ("CATALOG.by_key('k' * 100_000)", "UnknownIndicatorError"),
    "indicators_of(5)": ("CATALOG.indicators_of(5)", RETURNS),
    # exact evaluation
    "evaluate(5)": ("CATALOG.evaluate(5)", "InputError"),
    "evaluate({5: 1})": ("CATALOG.evaluate({5: 1})", "InputError"),
    "evaluate(long name)": ("CATALOG.evaluate({'x' * 10**6: 1})", "InputError"),
    "evaluate(10**5000)": ("CATALOG.evaluate({'jumlah_tahanan': 10**5000})", "InputError"),
    "evaluate(Fraction)": (
        "CATALOG.evaluate({'jumlah_tahanan': Fraction(10**5000, 3)})",
        "InputError",
    ),
    "evaluate(sNaN)": ("CATALOG.evaluate({'jumlah_tahanan': Decimal('sNaN')})", "InputError"),
    "evaluate(list)": ("CATALOG.evaluate({'jumlah_tahanan': [1] * 10**6})", "InputError"),
    "evaluate('1e5')": ("CATALOG.evaluate({'jumlah_tahanan': '1e5'})", "InputError"),
    "evaluate(text)": ("CATALOG.evaluate({'jumlah_tahanan': '9' * 200_000})", "InputError"),
    "evaluate(complex)": ("CATALOG.evaluate({'jumlah_tahanan': 1j})", "InputError"),
    "evaluate_exact(5)": ("CATALOG.evaluate_exact(5)", "InputError"),
    "evaluate_exact(text)": ("CATALOG.evaluate_exact({'jumlah_tahanan': '1'})", "InputError"),
    "check(5)": ("CATALOG.check(5)", "InputError"),
    "check_exact(text)": ("CATALOG.check_exact({'jumlah_tahanan': '1'})", "InputError"),
    "indicator.evaluate(5)": ("CATALOG[23].evaluate(5)", "InputError"),
    "indicator.evaluate(sNaN)": (
        "CATALOG[23].evaluate({'pemenuhan_makanan': Decimal('sNaN'), 'jumlah_tahanan': 1})",
        "InputError",
    ),
    "explain(5)": (
        "CATALOG[23].evaluate({'pemenuhan_makanan': 1, 'jumlah_tahanan': 2}).explain(5)",
        "InputError",
    ),
    "evaluate_floats(5)": ("CATALOG.evaluate_floats(5)", "InputError"),
    "evaluate_floats(10**5000)": (
        "CATALOG.evaluate_floats({'jumlah_tahanan': 10**5000})",
        "InputError",
    ),
    "evaluate_floats(sNaN)": (
        "CATALOG.evaluate_floats({'jumlah_tahanan': Decimal('sNaN')})",
        "InputError",
    ),
    # the vectorised path
    "evaluate_frame(5)": ("CATALOG.evaluate_frame(5)", "InputError"),
    "evaluate_frame(dict)": ("CATALOG.evaluate_frame({'jumlah_tahanan': [1]})", "InputError"),
    "evaluate_frame(layout=5)": (
        _call("evaluate_frame", "[1, 2]", ", layout=5"),
        "InputError",
    ),
    "evaluate_frame(layout='tall')": (
        _call("evaluate_frame", "[1, 2]", ", layout='tall'"),
        "InputError",
    ),
    "evaluate_frame(sNaN)": (
        _call("evaluate_frame", '[1, Decimal("sNaN")]', ""),
        "InputError",
    ),
    "evaluate_frame(10**5000)": (
        _call("evaluate_frame", "[1, 10**5000]", ""),
        "InputError",
    ),
    "evaluate_frame(list)": (_call("evaluate_frame", "[1, [1]]", ""), "InputError"),
    "evaluate_frame(dict cell)": (_call("evaluate_frame", "[1, {1: 2}]", ""), "InputError"),
    "evaluate_frame('1e5')": (_call("evaluate_frame", '["1", "1e5"]', ""), "InputError"),
    "evaluate_frame('12.')": (_call("evaluate_frame", '["1", "12."]', ""), "InputError"),
    "evaluate_frame(long text)": (
        _call("evaluate_frame", '["1", "9" * 200_000]', ""),
        "InputError",
    ),
    "evaluate_frame(Fraction)": (
        _call("evaluate_frame", "[1, Fraction(1, 3)]", ""),
        "InputError",
    ),
    "evaluate_frame(complex)": (_call("evaluate_frame", "[1, 1j]", ""), "InputError"),
    "evaluate_frame(dates)": (
        _call("evaluate_frame", 'pd.to_datetime(["2024-01-01"] * 2)', ""),
        "InputError",
    ),
    "evaluate_frame(duplicate columns)": (
        "CATALOG.evaluate_frame(pd.DataFrame([[1, 2]], columns=['jumlah_tahanan'] * 2))",
        "InputError",
    ),
    "check_frame(5)": ("CATALOG.check_frame(5)", "InputError"),
    "check_frame(sNaN)": (_call("check_frame", '[1, Decimal("sNaN")]', ""), "InputError"),
    # the roll-up
    "aggregate(5)": ("CATALOG.aggregate(5)", "InputError"),
    "aggregate(over='x')": (_call("aggregate", "[1, 2]", ", over='x'"), "InputError"),
    "aggregate(over=[1])": (_call("aggregate", "[1, 2]", ", over=[1]"), "InputError"),
    "aggregate(by={...})": (_call("aggregate", "[1, 2]", ", by={'a'}"), "InputError"),
    "aggregate(unit=[...])": (
        _call("aggregate", "[1, 2]", ", unit=['unit']"),
        "InputError",
    ),
    "aggregate(period={...})": (
        _call("aggregate", "[1, 2]", ", period={'p': 1}"),
        "InputError",
    ),
    "aggregate(to_date='x')": (_call("aggregate", "[1, 2]", ", to_date='x'"), "InputError"),
    "aggregate(list units)": (
        _call("aggregate", "[1, 2]", ".assign(unit=[['a'], ['b']])"),
        "InputError",
    ),
    "aggregate(dict units)": (
        _call("aggregate", "[1, 2]", ".assign(unit=[{'a': 1}, 'b'])"),
        "InputError",
    ),
    "aggregate(list periods)": (
        _call("aggregate", "[1, 2]", ".assign(period=[['TW1'], 'TW2'])"),
        "InputError",
    ),
    "aggregate(dict periods)": (
        _call("aggregate", "[1, 2]", ".assign(period=[{'TW1': 1}, 'TW2'])"),
        "InputError",
    ),
    "aggregate(sNaN)": (_call("aggregate", '[1, Decimal("sNaN")]', ""), "InputError"),
    "roll_up(5)": ("CATALOG.roll_up(5)", "InputError"),
    "roll_up(layout=5)": (_call("roll_up", "[1, 2]", ", layout=5"), "InputError"),
    "roll_up(over=None)": (_call("roll_up", "[1, 2]", ", over=None"), "InputError"),
    "roll_up(list units)": (
        _call("roll_up", "[1, 2]", ".assign(unit=[['a'], ['b']])"),
        "InputError",
    ),
}

# Entry points of the model, the capaian rule and the number texts: their validators and
# writers raise IkuError subclasses too (DefinitionError is also a TypeError, as attrs raises).
OTHERS = {
    "Target.parse(5)": ("Target.parse(5)", "DefinitionError"),
    "Input(kind='count')": ("Input('n', 'N', 'orang', 'count')", "DefinitionError"),
    "AchievementRule(places='x')": ("AchievementRule(places='x')", "DefinitionError"),
    "persen warning over a huge numerator": (
        "CATALOG.evaluate_exact({'pemenuhan_makanan': Fraction(10**5000), "
        "'jumlah_tahanan': Fraction(1)})",
        None,
    ),
}

PRELUDE = """
import json, sys, time, traceback
from decimal import Decimal
from fractions import Fraction
import pandas as pd
from iku_formula import *
from iku_formula import IkuError
CATALOG = load_catalog()

def case(name, run):
    print(json.dumps({"case": name, "started": True}), flush=True)
    start = time.perf_counter()
    try:
        run()
    except IkuError as error:
        outcome = {"raised": type(error).__name__, "iku": True, "message": str(error)[:500]}
    except BaseException as error:
        outcome = {"raised": type(error).__name__, "iku": False, "message": str(error)[:500],
                   "traceback": traceback.format_exc()[-2000:]}
    else:
        outcome = {"raised": None, "iku": False, "message": ""}
    outcome.update(case=name, seconds=time.perf_counter() - start)
    print(json.dumps(outcome), flush=True)
"""


def _script(cases: dict[str, tuple[str, str]]) -> str:
    lines = [PRELUDE]
    lines += [f"case({name!r}, lambda: {expression})" for name, (expression, _) in cases.items()]
    return "\n".join(lines)


def _run_table(tmp_path_factory: pytest.TempPathFactory, cases: dict[str, Any]) -> Outcome:
    folder = tmp_path_factory.mktemp("api")
    return run_capped([sys.executable, "-c", _script(cases)], cwd=folder, timeout=60)


def _outcomes(outcome: Outcome) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for line in outcome.stdout.splitlines():
        record = json.loads(line)
        if not record.get("started"):
            found[record["case"]] = record
    return found


@pytest.fixture(scope="module")
def table(tmp_path_factory: pytest.TempPathFactory) -> tuple[Outcome, dict[str, dict[str, Any]]]:
    outcome = _run_table(tmp_path_factory, {**CASES, **OTHERS})
    return outcome, _outcomes(outcome)


def test_the_table_runs_to_its_end_bounded(
    table: tuple[Outcome, dict[str, dict[str, Any]]],
) -> None:
    outcome, found = table
    assert_bounded(outcome)
    assert outcome.returncode == 0, outcome.stderr[-3000:]
    assert set(found) == {*CASES, *OTHERS}


@pytest.mark.parametrize("name", list(CASES))
def test_a_hostile_argument_raises_an_iku_error(
    table: tuple[Outcome, dict[str, dict[str, Any]]], name: str
) -> None:
    _, found = table
    record = found.get(name)
    assert record is not None, f"{name}: never finished (see the first test)"
    expected = CASES[name][1]
    if expected == RETURNS:
        assert record["raised"] is None or record["iku"], record
    else:
        assert record["raised"] == expected, record
    assert record["seconds"] < 5, record
    message = record["message"]
    assert len(message) < 500, message  # a hostile value is quoted, never in full
    assert "Traceback" not in message


@pytest.mark.parametrize("name", list(OTHERS))
def test_others_entry_points(table: tuple[Outcome, dict[str, dict[str, Any]]], name: str) -> None:
    """A definition built from a wrong value: DefinitionError; a warning over a number too
    long to write says its size instead of failing."""
    _, found = table
    record = found[name]
    expected = OTHERS[name][1]
    if expected is None:
        assert record["raised"] is None, record
    else:
        assert record["raised"] == expected, record
        assert record["iku"], record


# --------------------------------------------------------------------------- iku show

SHOW = {
    "superscript two": ("²", "argument N: '²' is not an indicator number; write the number in"),
    "circled one": ("①", "write the number in the digits 0 to 9 (numbers: 1 to 55)"),
    "Arabic-Indic three": ("٣", "argument N: '٣' is not an indicator number"),
    "vulgar half": ("½", "is not an indicator number"),
    "5,000 digits": ("9" * 5000, "argument N: a number of 5,000 digits is no indicator number"),
    "minus one": ("-1", "argument N: '-1' is not an indicator number (numbers: 1 to 55)"),
    "exponent": ("1e3", "argument N: '1e3' is not an indicator number"),
    "decimal": ("2,5", "argument N: '2,5' is not an indicator number"),
    "zero": ("0", "no indicator number 0 in this catalog (numbers: 1 to 55)"),
    "no such number": ("999", "no indicator number 999 in this catalog (numbers: 1 to 55)"),
    "empty": ("", "argument N is empty; give an indicator number or key"),
    "spaces": ("   ", "argument N is empty"),
    "long key": ("k" * 5000, "no indicator 'kkkk"),
    "typo of a key": ("ipw", "no indicator 'ipw': give an indicator number or key; did you mean"),
    "control characters": ("\x1b[31mmerah", "no indicator"),
}


SHOWER = """
import contextlib, io, json, sys, time
from iku_formula.cli import main
for argument in json.loads(sys.argv[1]):
    err, out = io.StringIO(), io.StringIO()
    start = time.perf_counter()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(out):
        code = main(["show", argument])  # an exception here ends the child, with its traceback
    print(json.dumps({"argument": argument, "code": code, "stdout": out.getvalue(),
                      "stderr": err.getvalue(), "seconds": time.perf_counter() - start}))
"""


@pytest.fixture(scope="module")
def shown(tmp_path_factory: pytest.TempPathFactory) -> tuple[Outcome, dict[str, Any]]:
    """``iku show`` on every argument of SHOW, through the command's main, in one capped child."""
    arguments = [argument for argument, _ in SHOW.values()]
    outcome = run_capped(
        [sys.executable, "-c", SHOWER, json.dumps(arguments)],
        cwd=tmp_path_factory.mktemp("show"),
        timeout=60,
    )
    records = {
        record["argument"]: record for record in map(json.loads, outcome.stdout.splitlines())
    }
    return outcome, records


def test_iku_show_goes_through_every_argument_bounded(
    shown: tuple[Outcome, dict[str, Any]],
) -> None:
    outcome, records = shown
    assert_bounded(outcome)
    assert outcome.returncode == 0, outcome.stderr[-3000:]
    assert len(records) == len(SHOW)


@pytest.mark.parametrize("name", list(SHOW))
def test_iku_show_answers_odd_text_with_a_located_refusal(
    shown: tuple[Outcome, dict[str, Any]], name: str
) -> None:
    argument, fragment = SHOW[name]
    record = shown[1].get(argument)
    assert record is not None, "never finished: see the test before"
    assert record["code"] == 2, record
    assert record["stdout"] == ""
    assert record["stderr"].startswith("iku: error: "), record
    assert fragment in record["stderr"], record["stderr"]
    assert len(record["stderr"]) < 400, record["stderr"]  # quoted, not echoed whole
    assert "\x1b" not in record["stderr"]  # made inert for the terminal
    assert record["seconds"] < 2.0


@pytest.mark.parametrize("name", ["superscript two", "5,000 digits", "long key"])
def test_iku_show_as_a_process(iku: Any, name: str) -> None:
    argument, fragment = SHOW[name]
    outcome = iku("show", argument)
    assert outcome.refused(fragment), outcome.stderr
    assert outcome.stdout == ""
    assert_bounded(outcome)


def test_iku_show_still_shows_by_number_and_key(iku: Any) -> None:
    for argument in ("23", " 23 ", "ippw"):
        outcome = iku("show", argument)
        assert outcome.returncode == 0, outcome.stderr
        assert outcome.stdout.startswith("IKU "), outcome.stdout


def test_the_table_names_every_public_entry_point() -> None:
    """A new public name gets a row (or is listed here as taking no untrusted argument)."""
    import iku_formula

    covered = " ".join(expression for expression, _ in [*CASES.values(), *OTHERS.values()])
    no_arguments_of_their_own = {
        # classes and enums whose values the catalog loader checks; errors; the version
        "Catalog", "CatalogError", "Component", "Evaluation", "Explanation", "FormulaError",
        "IkuError", "Indicator", "InputError", "InputKind", "Objective", "PartResult",
        "Polarity", "RollUp", "Rounding", "Rule", "Status", "TargetPart", "TimeRule",
        "UndefinedParts", "UnitRule", "UnknownIndicatorError", "Violation", "__version__",
        "to_latex", "to_text",  # print any sympy expression or object: they take what they get
    }  # fmt: skip
    missing = [
        name
        for name in iku_formula.__all__
        if name not in no_arguments_of_their_own and name not in covered
    ]
    assert not missing, missing
    assert Path(__file__).name == "test_api.py"
