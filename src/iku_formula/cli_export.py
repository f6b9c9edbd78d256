"""``iku export``: the catalog for other applications, as JSON or as SQL views."""

from __future__ import annotations

__all__ = ["SQL_DIALECTS", "add_export_parser"]

import argparse
from pathlib import Path
from typing import Any

from .catalog.registry import load_catalog
from .errors import CommandError
from .i18n import _
from .report.overwrite import check_overwrite

SQL_DIALECTS = ("duckdb", "postgres", "mysql")
"""The dialects of ``iku export sql`` (those of :data:`iku_formula.sql.views.DIALECTS`)."""


def add_export_parser(commands: Any, common: argparse.ArgumentParser) -> None:
    """The ``export`` group of ``iku``: ``iku export json`` and ``iku export sql``."""
    export = commands.add_parser(
        "export", help=_("write the catalog for other applications (JSON or SQL)")
    )
    formats = export.add_subparsers(dest="export_format", metavar="FORMAT", required=True)
    _add_json(formats, common)
    _add_sql(formats, common)


def _add_json(formats: Any, common: argparse.ArgumentParser) -> None:
    export_json = formats.add_parser(
        "json",
        parents=[common],
        help=_("the catalog as JSON: formulas as text, LaTeX, MathML and trees"),
        description=_(
            "Write the catalog in the JSON interchange format: every formula as text, LaTeX, "
            "MathML and an expression tree, the achievement and roll-up rules, the targets as "
            "written and as read, the source texts. load_catalog('catalog.json') reads it back."
        ),
    )
    export_json.add_argument(
        "--output", "-o", metavar="FILE", type=Path, help=_("write to FILE (default: stdout)")
    )
    export_json.add_argument(
        "--tanpa-mathml",
        action="store_true",
        help=_("leave MathML out (it needs latex2mathml, the docs extra)"),
    )
    export_json.add_argument("--force", action="store_true", help=_("overwrite FILE if it exists"))
    export_json.set_defaults(handler=_cmd_json)


def _cmd_json(args: argparse.Namespace) -> str:
    import json

    output: Path | None = args.output
    if output is not None:
        check_overwrite(output, force=args.force, report=False)
    data = load_catalog(args.catalog).to_json(mathml=not args.tanpa_mathml)
    if output is None:
        return json.dumps(data, indent=2, ensure_ascii=True) + "\n"
    try:
        output.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    except OSError as error:
        raise CommandError.cannot_write(output, error) from None
    return _("wrote {output}: {count} indicators\n").format(
        output=output, count=len(data["indicators"])
    )


def _add_sql(formats: Any, common: argparse.ArgumentParser) -> None:
    sql = formats.add_parser(
        "sql", parents=[common], help=_("CREATE VIEW statements computing every indicator")
    )
    sql.add_argument("--dialect", choices=SQL_DIALECTS, default="duckdb")
    sql.add_argument("--table", default="realisasi", help=_("the table of realisasi"))
    sql.add_argument("--prefix", default="iku", help=_("the views' names begin with it"))
    sql.add_argument("-o", "--output", metavar="FILE", type=Path, default=None)
    sql.add_argument("--force", action="store_true", help=_("overwrite FILE"))
    sql.set_defaults(handler=_cmd_sql)


def _cmd_sql(args: argparse.Namespace) -> str:
    catalog = load_catalog(args.catalog)
    statements = catalog.to_sql(args.dialect, args.table, prefix=args.prefix)
    text = "".join(f"{statement};\n\n" for statement in statements)
    output: Path | None = args.output
    if output is None:
        return text
    check_overwrite(output, force=args.force, report=False)
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as error:
        raise CommandError.cannot_write(output, error) from None
    return _("wrote {path}: {count} views for {dialect}\n").format(
        path=output, count=len(statements), dialect=args.dialect
    )
