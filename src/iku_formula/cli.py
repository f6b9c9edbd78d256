"""The ``iku`` command: list and show the indicators, write input sheets, evaluate them.

::

    iku list                             every indicator, grouped by sasaran
    iku show 23                          one indicator: target, polarity, formulas, inputs, notes
    iku template realisasi.xlsx --units "Lapas Kerobokan,Rutan Gianyar"
                                         an input sheet: one row per unit and quarter
    iku evaluate realisasi.xlsx          the year for the whole Kantor Wilayah
    iku evaluate realisasi.csv --by unit --format markdown --output laporan.md
    iku kebutuhan realisasi.csv --sampai TW3
                                         what each indicator not yet met still needs
    iku export sql --dialect postgres    the catalog as SQL views (also: iku export json)

Every command takes ``--catalog PATH`` (default: the bundled 2024 catalog). Errors
go to stderr, naming the file, sheet, row and column where they are, with exit code 2.
"""

from __future__ import annotations

__all__ = ["main"]

import argparse
import os
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn, TextIO

from . import __version__
from .catalog.registry import Catalog, load_catalog
from .cli_catalog import cmd_list, cmd_show
from .cli_export import add_export_parser
from .errors import CommandError, IkuError, PeriodError
from .escaping import terminal_text
from .i18n import LANGUAGES, _, ngettext, set_language
from .periods import MONTH, MONTHS, QUARTER, QUARTERS, Period, parse_until
from .report import KANWIL, LEVELS, MATRIX_RENDERERS, RENDERERS, build_report, renderer_for
from .report.matrix import MATRIX_KINDS, matrix_of
from .report.overwrite import check_overwrite
from .sheets import DEFAULT_UNIT, read_sheet, write_sheet
from .sheets.write import WRITERS

PROG = "iku"
EXIT_OK = 0
EXIT_ERROR = 2
FORMATS = tuple(RENDERERS)
"""Report formats of ``iku evaluate``: the names of :data:`iku_formula.report.RENDERERS`."""
MAX_UNITS = 1000
"""Most units a template has."""


# --------------------------------------------------------------------------- main


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``iku`` command with ``argv`` (default: ``sys.argv[1:]``); return the exit code."""
    set_language(_language_asked(sys.argv[1:] if argv is None else argv))
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
    except IkuError as error:
        _write(sys.stderr, _("{prog}: error: {error}").format(prog=PROG, error=error) + "\n")
        return EXIT_ERROR
    try:
        _write(sys.stdout, text)
    except BrokenPipeError:  # e.g. `iku list | head`: the reader has gone, not an error
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    return EXIT_OK


def _language_asked(argv: Sequence[str]) -> str | None:
    """The ``--lang`` given before the command (read first: the help is in that language)."""
    early = argparse.ArgumentParser(add_help=False)
    early.add_argument("--lang", choices=LANGUAGES, default=None)
    known, _rest = early.parse_known_args(list(argv)[: _command_index(argv)])
    lang: str | None = known.lang
    return lang


def _command_index(argv: Sequence[str]) -> int:
    """Where the command's own arguments start: after the first word that is not an option."""
    skip = False
    for index, word in enumerate(argv):
        if skip:
            skip = False
        elif word == "--lang":
            skip = True
        elif not word.startswith("-"):
            return index
    return len(argv)


class Parser(argparse.ArgumentParser):
    """An argument parser whose own words are in the language shown.

    argparse translates through ``gettext.gettext`` of the process-wide domain and the
    system's locale, not through our catalog and ``--lang``; changing those would change
    them for the whole process. So the parser says its words itself, through public methods
    only: its own ``-h``, the usage prefix, and :meth:`error`, which translates the usage
    errors people meet (a wrong choice, an argument missing) and shows any other as argparse
    wrote it. Subcommands are made of this class too (``add_subparsers`` uses the parser's
    type).
    """

    def __init__(self, **kwargs: Any) -> None:
        add_help = kwargs.pop("add_help", True)
        super().__init__(add_help=False, **kwargs)
        if add_help:
            self.add_argument(
                "-h", "--help", action="help", help=_("show this help message and exit")
            )

    def format_usage(self) -> str:
        return _localized_usage(super().format_usage())

    def format_help(self) -> str:
        text = _localized_usage(super().format_help())
        headings = {"positional arguments": _("positional arguments"), "options": _("options")}
        for english, shown in headings.items():  # the headings of argparse's own groups
            text = text.replace(f"\n{english}:\n", f"\n{shown}:\n")
        return text

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        said = _("{prog}: error: {error}").format(prog=self.prog, error=_usage_error(message))
        self.exit(EXIT_ERROR, said + "\n")


def _localized_usage(text: str) -> str:
    english = "usage: "
    return _("usage: ") + text[len(english) :] if text.startswith(english) else text


_INVALID_CHOICE = re.compile(
    r"argument (?P<arg>.+?): invalid choice: (?P<value>.+?) \(choose from (?P<choices>.+)\)\Z", re.S
)
_REQUIRED = re.compile(r"the following arguments are required: (?P<names>.+)\Z", re.S)
_ARGUMENT = re.compile(r"argument (?P<arg>-?[^\s:]+): (?P<error>.+)\Z", re.S)
_UNRECOGNIZED = re.compile(r"unrecognized arguments: (?P<words>.+)\Z", re.S)


def _usage_error(message: str) -> str:
    """argparse's error ``message`` in the language shown (as it is when not recognized)."""
    if found := _INVALID_CHOICE.match(message):
        return _("argument {arg}: invalid choice: {value} (choose from {choices})").format(
            **found.groupdict()
        )
    if found := _ARGUMENT.match(message):  # e.g. our own --sampai message, already translated
        return _("argument {arg}: {error}").format(**found.groupdict())
    if found := _REQUIRED.match(message):
        return _("the following arguments are required: {names}").format(**found.groupdict())
    if found := _UNRECOGNIZED.match(message):
        return _("unrecognized arguments: {words}").format(**found.groupdict())
    return message


def _parser() -> argparse.ArgumentParser:
    """The whole command line, declared in one place (a list of declarations, so it is long:
    splitting it would scatter the commands and their options)."""
    common = Parser(add_help=False)
    common.add_argument(
        "--catalog",
        metavar="PATH",
        type=Path,
        default=None,
        help=_("catalog TOML file (default: the bundled 2024 catalog)"),
    )
    parser = Parser(
        prog=PROG,
        description=_(
            "Indikator Kinerja Utama (IKU) Kanwil Kemenkumham Bali: "
            "list, show and evaluate the indicators, write input sheets."
        ),
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"%(prog)s {__version__}",
        help=_("show the program's version number and exit"),
    )
    parser.add_argument(
        "--lang",
        choices=LANGUAGES,
        default=None,
        help=_("language of messages and reports: id (default) or en; also IKU_LANG"),
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    listing = commands.add_parser(
        "list", parents=[common], help=_("list the indicators, grouped by sasaran")
    )
    listing.set_defaults(handler=cmd_list)

    show = commands.add_parser(
        "show", parents=[common], help=_("show one indicator: target, formula, inputs, notes")
    )
    show.add_argument("indicator", metavar="N", help=_("indicator number (or key)"))
    show.set_defaults(handler=cmd_show)

    from .sheets.model import NUMBER_STYLES  # here, beside the options that take it

    template = commands.add_parser(
        "template",
        parents=[common],
        help=_("write an empty input sheet (CSV or XLSX) to fill in"),
        description=_(
            "Write an input sheet listing every input of the catalog: columns 'unit' "
            "and 'period', then one column per input, and one row per unit and quarter (TW1 to "
            "TW4). OUTPUT ending in .xlsx also gets each input's Indonesian label, unit and "
            "indicators above the header row and a sheet 'keterangan' describing every input."
        ),
    )
    template.add_argument("output", metavar="OUTPUT", type=Path, help=_("a .csv or .xlsx file"))
    template.add_argument(
        "--units",
        metavar="NAMES",
        help=_("the units, separated by commas (default: {unit!r})").format(unit=DEFAULT_UNIT),
    )
    template.add_argument(
        "--units-file",
        metavar="PATH",
        type=Path,
        help=_("a text file with one unit per line (blank lines and '#' comments skipped)"),
    )
    template.add_argument(
        "--angka",
        choices=NUMBER_STYLES,
        default=None,
        help=_(
            "how the people filling it in write numbers as text: id (1.234,5) or en "
            "(1,234.5); recorded in the template, so that evaluating the filled sheet reads "
            "'1.234' in that style (default: not recorded; such a number is then refused)"
        ),
    )
    template.add_argument(
        "--bulanan",
        action="store_true",
        help=_(
            "a monthly sheet: one row per unit and month (Januari to Desember) instead of "
            "per quarter; months roll up into quarters and the year"
        ),
    )
    template.add_argument("--force", action="store_true", help=_("overwrite OUTPUT if it exists"))
    template.add_argument(
        "--target",
        action="store_true",
        help=_(
            "write a target sheet instead: a row per indicator, a column per period (TW1 to "
            "TW4) and 'sifat' (per periode or kumulatif), for evaluate --target-file"
        ),
    )
    template.set_defaults(handler=_cmd_template)

    evaluate = commands.add_parser(
        "evaluate",
        parents=[common],
        help=_("evaluate realised values from a CSV, XLSX or JSON file"),
        description=_(
            "Evaluate realised values (realisasi) from FILE: a sheet with columns "
            "'unit', 'period' (TW1 to TW4, or a year) and input names, one row per unit and "
            "quarter (see `iku template`); an empty cell is no value, decimal commas are "
            "accepted and ';' may separate the cells of a CSV file. JSON: an object "
            "{input: number} or a list of them, optionally with 'unit' and 'period'. Quarters "
            "roll up into the year and units into the Kantor Wilayah by each input's rules."
        ),
    )
    evaluate.add_argument("file", metavar="FILE", type=Path, help=_("a .csv, .xlsx or .json file"))
    evaluate.add_argument(
        "--by",
        choices=LEVELS,
        default=None,
        help=_(
            "kanwil: the whole Kantor Wilayah for the year (default); unit: that, then each "
            "unit; period: that, then each quarter; row: every row on its own, nothing rolled up"
        ),
    )
    evaluate.add_argument(
        "--format",
        choices=FORMATS,
        default=None,
        help=_(
            "table (default; for the terminal), csv, xlsx (needs --output), markdown, json, "
            "html (a printable page) or pdf (printed from it by Chromium; needs --output); "
            "default: from the --output suffix"
        ),
    )
    evaluate.add_argument(
        "--output", "-o", metavar="PATH", type=Path, help=_("write the report to PATH")
    )
    evaluate.add_argument("--json", action="store_true", help=_("the same as --format json"))
    evaluate.add_argument(
        "--force",
        action="store_true",
        help=_("write over OUTPUT even if it is not a report iku wrote (never over FILE)"),
    )
    evaluate.add_argument(
        "--angka",
        choices=NUMBER_STYLES,
        default=None,
        help=_(
            "how FILE writes numbers as text: id (1.234,5: '.' separates thousands) or en "
            "(1,234.5); without it (and without a template recording it) a text number with two "
            "readings, such as 1.234, is refused"
        ),
    )
    evaluate.add_argument(
        "--unit-baru",
        action="store_true",
        help=_(
            "accept units that look like another unit of FILE (Bapas Kls I Denpasar beside "
            "Bapas Kelas I Denpasar) or that the template FILE was made from does not list"
        ),
    )
    evaluate.add_argument(
        "--abaikan-kolom",
        metavar="NAME",
        action="append",
        default=[],
        help=_(
            "ignore the column NAME of FILE (repeatable); columns named keterangan, catatan, "
            "no or nomor are always ignored; ignored columns are listed in the report"
        ),
    )
    evaluate.add_argument(
        "--sampai",
        "--to",
        metavar="PERIOD",
        dest="sampai",
        type=_until,
        default=None,
        help=_(
            "realisasi and capaian to date: only the rows from the first period up to and "
            "including PERIOD (TW3, Juni, S1) count, each input by its rules"
        ),
    )
    evaluate.add_argument(
        "--target-file",
        metavar="PATH",
        type=Path,
        default=None,
        help=_(
            "targets per period (a sheet made by `iku template T --target`): capaian per "
            "period against the period's target, to date against the cumulative target "
            "(default: the catalog's yearly target)"
        ),
    )
    evaluate.add_argument(
        "--matrix",
        choices=MATRIX_KINDS,
        default=None,
        help=_(
            "period: an indicator x period matrix (realisasi, target, capaian per triwulan "
            "and to date); unit: an indicator x unit matrix; as table, markdown, csv or xlsx"
        ),
    )
    evaluate.set_defaults(handler=_cmd_evaluate)

    need = commands.add_parser(
        "kebutuhan",
        aliases=["need"],
        parents=[common],
        help=_("what each indicator not yet met still needs by the end of the year"),
        description=_(
            "For each indicator whose yearly target is not yet met, and each of its inputs "
            "taken alone (the others held at their values so far), the value the input must "
            "reach by the end of the year, solved exactly, and how much more that is than now."
        ),
    )
    need.add_argument("file", metavar="FILE", type=Path, help=_("a .csv, .xlsx or .json file"))
    need.add_argument(
        "--sampai",
        "--to",
        dest="until",
        metavar="PERIOD",
        type=_until,
        default=None,
        help=_("the rows up to and including PERIOD, such as TW3 (default: every row)"),
    )
    need.add_argument("--json", action="store_true", help=_("JSON: a list of objects"))
    need.add_argument(
        "--output", "-o", metavar="PATH", type=Path, help=_("write to PATH (.json: JSON)")
    )
    need.add_argument("--force", action="store_true", help=_("write over PATH if it exists"))
    need.add_argument("--angka", choices=NUMBER_STYLES, default=None, help=_("as for iku evaluate"))
    need.add_argument("--unit-baru", action="store_true", help=_("as for iku evaluate"))
    need.add_argument(
        "--abaikan-kolom",
        metavar="NAME",
        action="append",
        default=[],
        help=_("as for iku evaluate"),
    )
    need.set_defaults(handler=_cmd_needed)

    add_export_parser(commands, common)
    return parser


def _catalog(args: argparse.Namespace) -> Catalog:
    path: Path | None = args.catalog
    return load_catalog(path)


# --------------------------------------------------------------------------- template


def _cmd_template(args: argparse.Namespace) -> str:
    output: Path = args.output
    if args.target:
        return _target_template(args, output)
    if output.suffix.lower() not in WRITERS:
        raise CommandError(
            _("{file}: unknown file type {suffix!r}; give a {suffixes} file name").format(
                file=output, suffix=output.suffix or _("(none)"), suffixes=_(" or ").join(WRITERS)
            )
        )
    units = _units(args)
    check_overwrite(output, force=args.force, report=False)
    catalog = _catalog(args)
    periods = MONTHS if args.bulanan else QUARTERS
    try:
        write_sheet(catalog, output, units=units, periods=periods, number_style=args.angka)
    except OSError as error:
        raise CommandError.cannot_write(output, error) from None
    if args.bulanan:
        return _("wrote {output}: {units} unit(s) x 12 months, {inputs} inputs\n").format(
            output=output, units=len(units), inputs=len(catalog.inputs)
        )
    return (
        ngettext(
            "wrote {file}: {units} unit x 4 quarters, {inputs} inputs",
            "wrote {file}: {units} units x 4 quarters, {inputs} inputs",
            len(units),
        ).format(file=output, units=len(units), inputs=len(catalog.inputs))
        + "\n"
    )


def _target_template(args: argparse.Namespace, output: Path) -> str:
    from .sheets.targets import write_targets

    if output.suffix.lower() not in (".csv", ".xlsx"):
        raise CommandError(
            _("{output}: unknown file type {suffix!r}; give a .csv or .xlsx file name").format(
                output=output, suffix=output.suffix or _("(none)")
            )
        )
    for given, name in ((args.units, "--units"), (args.units_file, "--units-file")):
        if given is not None:
            raise CommandError(
                _(
                    "{name} has no meaning with --target: a target sheet has a row per indicator"
                ).format(name=name)
            )
    check_overwrite(output, force=args.force, report=False)
    catalog = _catalog(args)
    kind = MONTH if args.bulanan else QUARTER
    try:
        write_targets(catalog, output, kind=kind)
    except OSError as error:
        raise CommandError.cannot_write(output, error) from None
    text = (
        _("wrote {output}: {count} indicators x 12 months, to fill in\n")
        if args.bulanan
        else _("wrote {output}: {count} indicators x 4 quarters, to fill in\n")
    )
    return text.format(output=output, count=len(catalog))


def _units(args: argparse.Namespace) -> list[str]:
    names: list[str] = []
    if args.units is not None:
        names.extend(name.strip() for name in str(args.units).split(","))
        if not any(names):
            raise CommandError(_("--units names no unit; separate the names by commas"))
    path: Path | None = args.units_file
    if path is not None:
        try:
            text = path.read_text(encoding="utf-8-sig")
        except OSError as error:
            raise CommandError(
                _("{file}: cannot read the file: {reason}").format(
                    file=path, reason=error.strerror or error
                )
            ) from None
        except UnicodeDecodeError:
            raise CommandError(
                _("{file}: not UTF-8 text; save it as UTF-8").format(file=path)
            ) from None
        lines = [line.strip() for line in text.splitlines()]
        names.extend(line for line in lines if line and not line.startswith("#"))
    names = [name for name in names if name]
    if not names:
        if args.units is not None or path is not None:
            raise CommandError(
                _("{file}: names no unit; write one unit per line").format(file=path)
            )
        return [DEFAULT_UNIT]
    seen: set[str] = set()
    for name in names:
        if name in seen:
            raise CommandError(_("unit {name!r} is given twice").format(name=name))
        seen.add(name)
    if len(names) > MAX_UNITS:
        raise CommandError(
            _("{count} units; at most {most}").format(count=len(names), most=MAX_UNITS)
        )
    return names


# --------------------------------------------------------------------------- evaluate


def _until(text: str) -> Period:
    """``--sampai PERIOD``: a period of the grammar (a usage error otherwise)."""
    try:
        return parse_until(text)
    except PeriodError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _cmd_evaluate(args: argparse.Namespace) -> str:
    output: Path | None = args.output
    fmt = _format(args, output)
    by = _level(args)
    target_file: Path | None = args.target_file
    if output is not None:
        inputs = [args.file] if target_file is None else [args.file, target_file]
        check_overwrite(output, inputs=inputs, force=args.force)
    catalog = _catalog(args)
    targets = None
    if target_file is not None:
        from .sheets.targets import load_targets

        targets = load_targets(target_file, catalog)
    sheet = read_sheet(
        args.file,
        catalog,
        number_style=args.angka,
        new_units=args.unit_baru,
        ignore_columns=args.abaikan_kolom,
    )
    report = build_report(catalog, sheet, by, until=args.sampai, targets=targets)
    if args.matrix is not None:
        return _write_matrix(matrix_of(report, args.matrix), fmt, output)
    return _render(RENDERERS[fmt], report, output)


def _cmd_needed(args: argparse.Namespace) -> str:
    """``iku kebutuhan FILE --sampai TW3``: what the yearly targets still need."""
    from .periods import up_to
    from .report.needed import render_needed_json, render_needed_text

    output: Path | None = args.output
    if output is not None:
        if output.suffix.lower() not in NEEDED_SUFFIXES:
            raise CommandError(
                _(
                    "{file}: iku kebutuhan writes text or JSON, not {suffix}; give -o a file "
                    "ending in {suffixes}"
                ).format(
                    file=output,
                    suffix=output.suffix or _("(none)"),
                    suffixes=", ".join(NEEDED_SUFFIXES[:-1]) + _(" or ") + NEEDED_SUFFIXES[-1],
                )
            )
        check_overwrite(output, inputs=[args.file], force=args.force)
    until: Period | None = args.until
    catalog = _catalog(args)
    sheet = read_sheet(
        args.file,
        catalog,
        number_style=args.angka,
        new_units=args.unit_baru,
        ignore_columns=args.abaikan_kolom,
    )
    keeps = up_to(until)
    if not any(keeps(row.period) for row in sheet.rows):
        raise CommandError(
            _("{file}: no row of a period up to {period} (--sampai)").format(
                file=args.file, period=until.label if until else ""
            )
        )
    result = catalog.needed(sheet, until)
    as_json = args.json or (output is not None and output.suffix.lower() == ".json")
    units = sheet.units
    where = units[0] if len(units) == 1 and units[0] else KANWIL
    text = render_needed_json(result) if as_json else render_needed_text(result, where=where)
    if output is None:
        return text
    try:
        output.write_text(text, encoding="utf-8", newline="")
    except OSError as error:
        raise CommandError.cannot_write(output, error) from None
    return _("wrote {file}").format(file=output) + "\n"


NEEDED_SUFFIXES = (".json", ".txt", ".md")
"""The files ``iku kebutuhan -o`` writes: JSON, or the text (which reads as Markdown too)."""


def _level(args: argparse.Namespace) -> str:
    """The level of the report: ``--by``, or the one ``--matrix`` is read off."""
    by: str | None = args.by
    matrix: str | None = args.matrix
    if matrix is None:
        return by or "kanwil"
    if by is not None and by != matrix:
        raise CommandError(
            _("--matrix {matrix} and --by {by} contradict each other; give one").format(
                matrix=matrix, by=by
            )
        )
    return str(matrix)


def _write_matrix(matrix: Any, fmt: str, output: Path | None) -> str:
    renderer = MATRIX_RENDERERS.get(fmt)
    if renderer is None:
        forms = ", ".join(MATRIX_RENDERERS)
        raise CommandError(
            _("--matrix has no {fmt} form; give --format {forms}").format(fmt=fmt, forms=forms)
        )
    return _render(renderer, matrix, output)


def _render(renderer: Any, content: Any, output: Path | None) -> str:
    """``content`` rendered for stdout, or written to ``output`` by ``renderer``."""
    if output is None:
        assert renderer.render is not None  # _format insists on a file for the others
        return str(renderer.render(content))
    try:
        renderer.write(content, output)
    except OSError as error:
        raise CommandError.cannot_write(output, error) from None
    return _("wrote {file}").format(file=output) + "\n"


def _format(args: argparse.Namespace, output: Path | None) -> str:
    chosen: str | None = args.format
    if args.json:
        if chosen not in (None, "json"):
            raise CommandError(
                _("--json and --format {format} contradict each other; give one").format(
                    format=chosen
                )
            )
        chosen = "json"
    if chosen is None and output is not None:
        found = renderer_for(output.suffix)
        chosen = None if found is None else found.name
        if chosen is None:
            known = ", ".join(suffix for r in RENDERERS.values() for suffix in r.suffixes)
            raise CommandError(
                _("{file}: cannot tell the format from {suffix!r} ({known}); give --format").format(
                    file=output, suffix=output.suffix or _("(no suffix)"), known=known
                )
            )
    chosen = chosen or "table"
    if RENDERERS[chosen].needs_file and output is None:
        suffix = RENDERERS[chosen].suffixes[0]
        raise CommandError(
            _("--format {format} writes a file: give --output PATH{suffix}").format(
                format=chosen, suffix=suffix
            )
        )
    return chosen


# --------------------------------------------------------------------------- text helpers


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
    text = terminal_text(text)
    encoding = getattr(stream, "encoding", None) or "utf-8"
    try:
        text.encode(encoding)
    except UnicodeEncodeError:
        text = text.translate(_ASCII_FALLBACK).encode(encoding, "replace").decode(encoding)
    except LookupError:
        text = text.encode("ascii", "replace").decode("ascii")
    stream.write(text)
    stream.flush()
