"""The ``iku`` command: list, show and evaluate the indicators of a catalog.

::

    iku list                         every indicator, grouped by sasaran
    iku show 23                      one indicator: target, polarity, formulas, inputs, notes
    iku evaluate realisasi.csv       realisasi, capaian and status for each record
    iku evaluate realisasi.json --json

Every command takes ``--catalog PATH`` (default: the bundled 2024 catalog). Errors
go to stderr, naming the file, row and column where they are, with exit code 2.
"""

from __future__ import annotations

__all__ = ["main"]

import argparse
import csv
import difflib
import io
import json
import os
import sys
import textwrap
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any, TextIO

import attrs

from . import __version__
from .catalog import Catalog, load_catalog
from .errors import IkuError, InputError
from .evaluation import Evaluation
from .model import Indicator, InputKind
from .rendering import to_text

PROG = "iku"
EXIT_OK = 0
EXIT_ERROR = 2
LABEL_COLUMNS = ("unit", "period")
"""Columns (CSV) or keys (JSON) that label a record rather than give an input."""
NAME_WIDTH = 48
"""Indicator names longer than this are shortened in the evaluate table."""
WRAP_WIDTH = 100
MAX_DATA_BYTES = 20_000_000
"""Largest realisasi file read."""


class CliError(Exception):
    """A problem to report on stderr (exit code 2), already worded for people."""


@attrs.frozen
class Record:
    """One set of realised values from a data file, with its labels and place."""

    where: str
    """Where it is, for messages: "row 2" (CSV) or "record 1" (JSON)."""
    unit: str | None
    period: str | None
    values: Mapping[str, object]


@attrs.frozen
class RecordResult:
    record: Record
    results: Mapping[int, Evaluation]


# --------------------------------------------------------------------------- main


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``iku`` command with ``argv`` (default: ``sys.argv[1:]``); return the exit code."""
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:  # --help, --version, or a usage error already printed
        return exit_.code if isinstance(exit_.code, int) else EXIT_ERROR
    if args.command is None:
        parser.print_help(sys.stderr)
        return EXIT_ERROR
    try:
        text: str = args.handler(args)
    except (CliError, IkuError) as error:
        _write(sys.stderr, f"{PROG}: error: {error}\n")
        return EXIT_ERROR
    try:
        _write(sys.stdout, text)
    except BrokenPipeError:  # e.g. `iku list | head`: the reader has gone, not an error
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    return EXIT_OK


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--catalog",
        metavar="PATH",
        type=Path,
        default=None,
        help="catalog TOML file (default: the bundled 2024 catalog)",
    )
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Indikator Kinerja Utama (IKU) Kanwil Kemenkumham Bali: "
        "list, show and evaluate the indicators.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    listing = commands.add_parser(
        "list", parents=[common], help="list the indicators, grouped by sasaran"
    )
    listing.set_defaults(handler=_cmd_list)

    show = commands.add_parser(
        "show", parents=[common], help="show one indicator: target, formula, inputs, notes"
    )
    show.add_argument("indicator", metavar="N", help="indicator number (or key)")
    show.set_defaults(handler=_cmd_show)

    evaluate = commands.add_parser(
        "evaluate",
        parents=[common],
        help="evaluate realised values from a CSV or JSON file",
        description="Evaluate realised values (realisasi) from FILE. CSV: a header row of "
        "input names, one record per row, optional 'unit' and 'period' columns, empty cell = "
        "no value; ';' may separate the cells instead of ','. JSON: an object {input: number} "
        "or a list of them, optionally with 'unit' and 'period'.",
    )
    evaluate.add_argument("file", metavar="FILE", type=Path, help="a .csv or .json file")
    evaluate.add_argument(
        "--json", action="store_true", help="print machine-readable JSON instead of tables"
    )
    evaluate.set_defaults(handler=_cmd_evaluate)
    return parser


def _catalog(args: argparse.Namespace) -> Catalog:
    path: Path | None = args.catalog
    return load_catalog(path)


# --------------------------------------------------------------------------- list


def _cmd_list(args: argparse.Namespace) -> str:
    catalog = _catalog(args)
    out: list[str] = [f"{catalog.title} ({len(catalog)} indikator)", ""]
    width = max((len(str(indicator.number)) for indicator in catalog), default=1)
    for objective in catalog.objectives:
        indicators = catalog.indicators_of(objective)
        if not indicators:
            continue
        out.extend(_wrap(f"Sasaran: {objective.name}", indent="  "))
        for indicator in indicators:
            first = f"  {str(indicator.number).rjust(width)}  "
            out.extend(
                _wrap(
                    f"{indicator.display_name}  [target {indicator.target.text}]",
                    first=first,
                    indent=" " * len(first),
                )
            )
        out.append("")
    return "\n".join(out)


# --------------------------------------------------------------------------- show


def _cmd_show(args: argparse.Namespace) -> str:
    catalog = _catalog(args)
    indicator = _find_indicator(catalog, str(args.indicator))
    out: list[str] = [f"IKU {indicator.number}: {indicator.name}"]
    if indicator.label is not None and indicator.label != indicator.name:
        out.append(f"  (ejaan diperbaiki / corrected: {indicator.label})")
    out.append(f"Key        : {indicator.key}")
    out.extend(_wrap(f"Sasaran    : {indicator.objective.name}", indent=" " * 13))
    parts = "; ".join(f"{_exact_decimal(p.value)} {p.unit}" for p in indicator.target.parts)
    out.append(f"Target     : {indicator.target.text}  (dibaca / read as: {parts})")
    out.append(f"Polaritas  : {indicator.polarity.value} ({indicator.polarity.label})")
    out.append(f"Formula    : {indicator.formula_text}")
    composed = to_text(indicator.composed_formula)
    if composed != indicator.formula_text:
        out.append(f"  tersusun / composed: {composed}")
    for position, part in enumerate(indicator.part_formulas, 2):
        target_part = indicator.target.parts[position - 1]
        out.append(f"  bagian / part {position} ({target_part.unit}): {to_text(part)}")
    if indicator.source_formula is not None and indicator.source_formula.strip():
        out.append("Formula sumber (verbatim):")
        out.extend(f"  {line}" for line in indicator.source_formula.splitlines())
    else:
        out.append("Formula sumber: (tidak ada formula di sumber)")
    out.append("")
    out.append("Input:")
    rows = []
    for spec in indicator.input_specs:
        span = ""
        if spec.kind is InputKind.SCORE and spec.minimum is not None and spec.maximum is not None:
            span = f"{_exact_decimal(spec.minimum)}..{_exact_decimal(spec.maximum)}"
        rows.append([spec.name, spec.label, spec.unit, spec.kind.value, span])
    out.extend(_table(["Nama", "Label", "Satuan", "Jenis", "Rentang"], rows, right=(), indent="  "))
    for spec in indicator.input_specs:
        if spec.note:
            out.extend(_wrap(f"{spec.name}: {spec.note}", indent="    ", first="  * "))
    if indicator.notes:
        out.append("")
        out.append("Catatan / notes:")
        for note in indicator.notes:
            out.extend(_wrap(note, indent="    ", first="  - "))
    out.append("")
    return "\n".join(out)


def _find_indicator(catalog: Catalog, wanted: str) -> Indicator:
    text = wanted.strip()
    if text.isdigit():
        try:
            return catalog[int(text)]
        except KeyError as error:
            raise CliError(error.args[0]) from None
    try:
        return catalog.by_key(text)
    except KeyError:
        keys = [indicator.key for indicator in catalog]
        close = difflib.get_close_matches(text, keys, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise CliError(f"no indicator {text!r}: give an indicator number or key{hint}") from None


# --------------------------------------------------------------------------- evaluate


def _cmd_evaluate(args: argparse.Namespace) -> str:
    path: Path = args.file
    catalog = _catalog(args)
    records = read_records(path, catalog)
    evaluated: list[RecordResult] = []
    for record in records:
        try:
            results = catalog.evaluate(record.values)
        except InputError as error:
            raise CliError(f"{path}: {record.where}: {error}") from None
        evaluated.append(RecordResult(record, results))
    if args.json:
        return json.dumps(_json_report(catalog, evaluated), ensure_ascii=True, indent=2) + "\n"
    return "\n".join(_text_report(catalog, result) for result in evaluated)


def read_records(path: Path, catalog: Catalog) -> list[Record]:
    """Read the records of a .csv or .json realisasi file; CliError names file and place."""
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".json"):
        raise CliError(
            f"{path}: unknown file type {path.suffix or '(none)'!r}; give a .csv or .json file"
        )
    text = _read_text(path)
    records = (
        _read_csv(path, text, catalog) if suffix == ".csv" else _read_json(path, text, catalog)
    )
    if not records:
        raise CliError(f"{path}: no records found")
    return records


def _read_text(path: Path) -> str:
    try:
        size = path.stat().st_size
        if size > MAX_DATA_BYTES:
            raise CliError(f"{path}: file is {size} bytes; the limit is {MAX_DATA_BYTES}")
        raw = path.read_bytes()
    except OSError as error:
        raise CliError(f"{path}: cannot read the file: {error.strerror or error}") from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise CliError(
            f"{path}: not UTF-8 text ({error.reason} at byte {error.start}); save it as UTF-8"
        ) from None


def _check_name(path: Path, name: str, catalog: Catalog, what: str) -> None:
    if name in catalog.inputs or name in LABEL_COLUMNS:
        return
    close = difflib.get_close_matches(name, [*catalog.inputs, *LABEL_COLUMNS], n=1)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    raise CliError(
        f"{path}: unknown {what} {name!r}: it is no input of the catalog{hint} "
        f"(allowed: the catalog's input names, and {' and '.join(map(repr, LABEL_COLUMNS))})"
    )


def _read_csv(path: Path, text: str, catalog: Catalog) -> list[Record]:
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if ";" in first_line and "," not in first_line else ","
    try:
        rows = _numbered_rows(text, delimiter)
    except csv.Error as error:
        raise CliError(f"{path}: not valid CSV: {error}") from None
    if not rows:
        raise CliError(f"{path}: the file is empty; the first row must name the inputs")
    header = [cell.strip() for cell in rows[0][1]]
    seen: set[str] = set()
    for position, name in enumerate(header, 1):
        if not name:
            raise CliError(f"{path}: the header's column {position} has no name")
        if name in seen:
            raise CliError(f"{path}: column {name!r} appears twice in the header")
        seen.add(name)
        _check_name(path, name, catalog, "column")
    records: list[Record] = []
    for line_number, row in rows[1:]:
        where = f"row {line_number}"
        if len(row) > len(header) and any(cell.strip() for cell in row[len(header) :]):
            raise CliError(
                f"{path}: {where} has {len(row)} cells but the header names {len(header)} columns"
            )
        cells = dict(zip(header, row, strict=False))
        values = {
            name: cell for name, cell in cells.items() if name not in LABEL_COLUMNS and cell.strip()
        }
        records.append(
            Record(
                where=where,
                unit=_label(cells.get("unit")),
                period=_label(cells.get("period")),
                values=values,
            )
        )
    return records


def _numbered_rows(text: str, delimiter: str) -> list[tuple[int, list[str]]]:
    """The non-blank CSV rows, each with the 1-based line number it starts on."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows: list[tuple[int, list[str]]] = []
    line = 1
    for row in reader:
        start, line = line, reader.line_num + 1
        if any(cell.strip() for cell in row):
            rows.append((start, row))
    return rows


def _label(cell: str | None) -> str | None:
    if cell is None:
        return None
    cell = cell.strip()
    return cell or None


MAX_EXPONENT = 30
"""JSON numbers above 10**30, or with more than 60 decimals, are refused: exact arithmetic
on 1e100000000 would take forever."""


class _BadNumberError(ValueError):
    """A JSON number that is refused; the message says why."""


def _reject_constant(name: str) -> Any:
    raise _BadNumberError(f"{name} is not a number")


def _json_number(text: str) -> Decimal:
    number = Decimal(text)
    exponent = number.as_tuple().exponent
    too_big = bool(number) and number.adjusted() > MAX_EXPONENT
    too_fine = isinstance(exponent, int) and exponent < -2 * MAX_EXPONENT
    if too_big or too_fine:
        raise _BadNumberError(f"the number {text} is out of range; write it in plain digits")
    return number


def _read_json(path: Path, text: str, catalog: Catalog) -> list[Record]:
    try:
        data = json.loads(text, parse_float=_json_number, parse_constant=_reject_constant)
    except _BadNumberError as error:
        raise CliError(f"{path}: {error}") from None
    except (json.JSONDecodeError, ValueError, RecursionError) as error:
        raise CliError(f"{path}: not valid JSON: {error}") from None
    if isinstance(data, dict):
        items: list[Any] = [data]
        single = True
    elif isinstance(data, list):
        items = data
        single = False
    else:
        raise CliError(
            f"{path}: the JSON must be an object {{input: number}} or a list of such "
            f"objects, got {_json_type(data)}"
        )
    records: list[Record] = []
    for position, item in enumerate(items, 1):
        where = "the record" if single else f"record {position}"
        if not isinstance(item, dict):
            raise CliError(
                f"{path}: {where} must be an object {{input: number}}, got {_json_type(item)}"
            )
        values: dict[str, object] = {}
        labels: dict[str, str | None] = {"unit": None, "period": None}
        for name, value in item.items():
            _check_name(path, name, catalog, "key")
            if name in LABEL_COLUMNS:
                if value is not None and not isinstance(value, str | int | Decimal):
                    raise CliError(
                        f"{path}: {where}: {name!r} must be text, got {_json_type(value)}"
                    )
                labels[name] = None if value is None else str(value)
            elif value is None:
                continue  # null: no value, like an empty CSV cell
            elif isinstance(value, dict | list):
                raise CliError(
                    f"{path}: {where}: input {name!r} must be a number, got {_json_type(value)}"
                )
            else:
                values[name] = value
        records.append(Record(where, labels["unit"], labels["period"], values))
    return records


def _json_type(value: object) -> str:
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return "text"
    if isinstance(value, bool):
        return "true/false"
    if value is None:
        return "null"
    return "a number"


# --------------------------------------------------------------------------- reports


def _record_title(record: Record) -> str:
    labels = [label for label in (record.unit, record.period) if label]
    return ", ".join(labels) if labels else record.where


def _shown(number: Decimal | None) -> str:
    return "-" if number is None else str(number)


def _realisasi(evaluation: Evaluation) -> str:
    if not evaluation.parts:
        return _shown(evaluation.display_value())
    rule = evaluation.indicator.achievement_rule
    return " / ".join(
        "-" if part.value is None else str(rule.display(part.value)) for part in evaluation.parts
    )


def _shorten(text: str, width: int = NAME_WIDTH) -> str:
    """``text`` cut to ``width`` characters at a word boundary, marked with "..."."""
    if len(text) <= width:
        return text
    cut = text[: width - 3]
    if text[width - 3] != " " and " " in cut[width // 2 :]:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip() + "..."


def _text_report(catalog: Catalog, result: RecordResult) -> str:
    record = result.record
    out = [f"== {_record_title(record)} ==", ""]
    rows: list[list[str]] = []
    notes: list[str] = []
    counts = {"met": 0, "not_met": 0, "undefined": 0}
    for number, evaluation in result.results.items():
        indicator = evaluation.indicator
        rows.append(
            [
                str(number),
                _shorten(indicator.display_name),
                _realisasi(evaluation),
                indicator.target.text,
                _shown(evaluation.display_achievement()),
                evaluation.status.label,
            ]
        )
        counts[evaluation.status.value] += 1
        if evaluation.reason is not None:
            notes.append(f"[{number}] tidak terdefinisi / undefined: {evaluation.reason}")
        notes.extend(f"[{number}] peringatan / warning: {w}" for w in evaluation.warnings)
    if rows:
        out.extend(
            _table(
                ["No", "Indikator", "Realisasi", "Target", "Capaian (%)", "Status"],
                rows,
                right=(0, 2, 4),
            )
        )
    else:
        out.append("(no indicator has all its inputs in this record)")
    if notes:
        out.append("")
        out.append("Catatan / notes:")
        for note in notes:
            out.extend(_wrap(note, indent="    ", first="  "))
    out.append("")
    out.append(
        f"tercapai: {counts['met']}, tidak tercapai: {counts['not_met']}, "
        f"tidak terdefinisi: {counts['undefined']}"
    )
    missing = [i for i in catalog if i.number not in result.results]
    if missing:
        out.append(f"not evaluated (missing inputs): {len(missing)}")
        for indicator in missing:
            absent = [name for name in indicator.inputs if name not in record.values]
            out.extend(
                _wrap(
                    f"[{indicator.number}] {_shorten(indicator.display_name)}: "
                    f"missing {', '.join(absent)}",
                    indent="    ",
                    first="  ",
                )
            )
    out.append("")
    return "\n".join(out)


def _fraction(number: Fraction | None) -> str | None:
    return None if number is None else str(number)


def _decimal(number: Decimal | None) -> str | None:
    return None if number is None else str(number)


def _json_report(catalog: Catalog, evaluated: list[RecordResult]) -> list[dict[str, Any]]:
    report: list[dict[str, Any]] = []
    for item in evaluated:
        results = []
        for number, evaluation in item.results.items():
            indicator = evaluation.indicator
            rule = indicator.achievement_rule
            entry: dict[str, Any] = {
                "number": number,
                "key": indicator.key,
                "name": indicator.display_name,
                "value": _decimal(evaluation.display_value()),
                "value_exact": _fraction(evaluation.value),
                "target": indicator.target.text,
                "target_value": _exact_decimal(indicator.target.value),
                "target_unit": indicator.target.unit,
                "achievement": _decimal(evaluation.display_achievement()),
                "achievement_exact": _fraction(evaluation.achievement),
                "status": evaluation.status.value,
                "status_label": evaluation.status.label,
                "met": evaluation.met,
                "reason": evaluation.reason,
                "numerator": _fraction(evaluation.numerator),
                "denominator": _fraction(evaluation.denominator),
                "warnings": list(evaluation.warnings),
            }
            if evaluation.parts:
                entry["parts"] = [
                    {
                        "target": f"{_exact_decimal(target.value)} {target.unit}",
                        "value": None if part.value is None else str(rule.display(part.value)),
                        "value_exact": _fraction(part.value),
                        "achievement": None
                        if part.achievement is None
                        else str(rule.display(part.achievement)),
                        "achievement_exact": _fraction(part.achievement),
                        "met": part.met,
                        "reason": part.reason,
                    }
                    for part, target in zip(evaluation.parts, indicator.target.parts, strict=True)
                ]
            results.append(entry)
        report.append(
            {
                "unit": item.record.unit,
                "period": item.record.period,
                "results": results,
                "not_evaluated": [i.number for i in catalog if i.number not in item.results],
            }
        )
    return report


def _exact_decimal(number: Fraction) -> str:
    """``number`` as an exact decimal ("3.1") when it has one, else as "p/q"."""
    denominator = number.denominator
    twos = fives = 0
    while denominator % 2 == 0:
        denominator //= 2
        twos += 1
    while denominator % 5 == 0:
        denominator //= 5
        fives += 1
    if denominator != 1:
        return str(number)
    places = max(twos, fives)
    scaled = number * 10**places
    text = str(Decimal(int(scaled)).scaleb(-places))
    return text if "E" not in text else format(Decimal(int(scaled)).scaleb(-places), "f")


# --------------------------------------------------------------------------- text helpers


def _table(
    headers: Sequence[str], rows: Sequence[Sequence[str]], *, right: Iterable[int], indent: str = ""
) -> list[str]:
    aligned = set(right)
    widths = [max(len(row[c]) for row in [headers, *rows]) for c in range(len(headers))]

    def line(cells: Sequence[str]) -> str:
        padded = [
            cell.rjust(width) if column in aligned else cell.ljust(width)
            for column, (cell, width) in enumerate(zip(cells, widths, strict=True))
        ]
        return (indent + "  ".join(padded)).rstrip()

    return [line(headers), indent + "  ".join("-" * w for w in widths), *map(line, rows)]


def _wrap(text: str, *, indent: str, first: str = "") -> list[str]:
    """``text`` wrapped: ``first`` before the first line, ``indent`` before the others."""
    return textwrap.wrap(
        text,
        width=WRAP_WIDTH,
        initial_indent=first,
        subsequent_indent=indent,
        break_long_words=False,
        break_on_hyphens=False,
    ) or [first]


_ASCII_FALLBACK = str.maketrans(
    {
        "\u2013": "-",
        "\u2014": "-",
        "\u2212": "-",
        "\u00d7": "x",
        "\u2018": "'",
        "\u2019": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u00a0": " ",
        "\u2026": "...",
    }
)


def _write(stream: TextIO, text: str) -> None:
    """Write ``text``, degrading characters the stream's encoding lacks, never failing."""
    encoding = getattr(stream, "encoding", None) or "utf-8"
    try:
        text.encode(encoding)
    except UnicodeEncodeError:
        text = text.translate(_ASCII_FALLBACK).encode(encoding, "replace").decode(encoding)
    except LookupError:
        text = text.encode("ascii", "replace").decode("ascii")
    stream.write(text)
    stream.flush()
