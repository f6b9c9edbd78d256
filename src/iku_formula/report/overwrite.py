"""The one overwrite rule of every command that writes a file.

A person's data is never written over:

* a command never writes over one of its own inputs (``iku evaluate data.xlsx -o data.xlsx``),
  not even with ``--force``;
* an existing file is written over only when it is a report this program wrote (so a monthly
  ``iku evaluate ... -o laporan.xlsx`` keeps working), or when ``--force`` says so;
* a template (``iku template``) is a sheet a person fills in, so an existing one is never
  taken for a report: writing over it needs ``--force``.

A report is recognised by what this program writes into it: the XLSX document properties
(creator ``iku-formula``, keywords ``iku-formula laporan``), the header of the CSV report, the
title line of the Markdown and text reports, the keys of the JSON report. At most
:data:`SNIFF_BYTES` of a file are read to tell.
"""

from __future__ import annotations

__all__ = [
    "CREATOR",
    "HTML_MARK",
    "REPORT_KEYWORDS",
    "SNIFF_BYTES",
    "TITLE_START",
    "check_overwrite",
    "is_report",
]

import os
import zipfile
from collections.abc import Sequence
from pathlib import Path

from ..errors import CommandError
from ..i18n import LANGUAGES, _, translations
from ..sheets.model import CREATOR

REPORT_KEYWORDS = "iku-formula laporan"
"""The keywords that mark a workbook as a report (not a template someone fills in)."""
SNIFF_BYTES = 1 << 16
"""How much of an existing file is read to tell whether it is a report this program wrote."""


def check_overwrite(
    output: Path, *, inputs: Sequence[Path] = (), force: bool = False, report: bool = True
) -> None:
    """Raise CommandError unless ``output`` may be written (see the module's rule)."""
    for source in inputs:
        if _same_file(output, source):
            raise CommandError(
                _(
                    "{file}: this is the input file; the report would replace the data. "
                    "Write the report to another file"
                ).format(file=output)
            )
    if not output.exists() or force:
        return
    if report and is_report(output):
        return
    if not report:
        raise CommandError(
            _("{file}: the file exists; give --force to overwrite it").format(file=output)
        )
    raise CommandError(
        _(
            "{file}: the file exists and is not a report iku wrote; give another file name, "
            "or --force to overwrite it"
        ).format(file=output)
    )


def _same_file(first: Path, second: Path) -> bool:
    try:
        return os.path.samefile(first, second)
    except OSError:
        return first.resolve() == second.resolve()


def is_report(path: Path) -> bool:
    """Whether ``path`` is a report this program wrote (reads at most SNIFF_BYTES of text)."""
    suffix = path.suffix.lower()
    try:
        if suffix == ".xlsx":
            return _xlsx_is_report(path)
        with path.open("rb") as stream:
            head = stream.read(SNIFF_BYTES).decode("utf-8", "replace")
    except (OSError, zipfile.BadZipFile, KeyError, ValueError):
        return False
    first_line = head.split("\n", 1)[0].rstrip("\r")
    if suffix == ".csv":
        from .csv import CSV_COLUMNS, MATRIX_CSV_START

        matrix = ",".join(MATRIX_CSV_START) + ","
        return first_line == ",".join(CSV_COLUMNS) or first_line.startswith(matrix)
    if suffix in (".md", ".markdown"):
        headings = (translations(code).gettext("IKU report: {title}") for code in LANGUAGES)
        return any(first_line.startswith("# " + h.split("{title}")[0]) for h in headings)
    if suffix == ".txt":
        return first_line.startswith("== ") and first_line.endswith(" ==")
    if suffix == ".json":
        return _json_is_report(head)
    if suffix in (".html", ".htm"):
        return head.startswith("<!DOCTYPE html>") and HTML_MARK in head[:4096]
    if suffix == ".pdf":
        return head.startswith("%PDF-") and _pdf_is_report(path)
    return False


HTML_MARK = '<meta name="generator" content="iku-formula laporan">'
"""The line that marks an HTML page as a report this program wrote."""


TITLE_START = "iku-formula: "
"""How the HTML report's <title> starts, in every language; Chromium writes the title into
the PDF it prints, which marks that PDF as a report."""


def _pdf_is_report(path: Path) -> bool:
    """Whether the PDF's /Title (at its start or end) begins with TITLE_START, as text or
    UTF-16."""
    size = path.stat().st_size
    with path.open("rb") as stream:
        ends = stream.read(SNIFF_BYTES)
        stream.seek(max(0, size - SNIFF_BYTES))
        ends += stream.read(SNIFF_BYTES)
    utf16 = ("\ufeff" + TITLE_START).encode("utf-16-be").hex().upper().encode()
    return f"/Title ({TITLE_START}".encode() in ends or b"/TITLE <" + utf16 in ends.upper()


def _xlsx_is_report(path: Path) -> bool:
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo("docProps/core.xml")
        if info.file_size > SNIFF_BYTES:
            return False
        core = archive.read(info).decode("utf-8", "replace")
    return f">{CREATOR}<" in core and f">{REPORT_KEYWORDS}<" in core


def _json_is_report(head: str) -> bool:
    """The JSON report starts with its keys "file", "catalog", "level" (it is indented); the
    JSON of ``iku kebutuhan`` is a list whose objects start with "indicator", "key"."""
    opening = head[:4096]
    if opening.lstrip().startswith("["):
        keys = [f'"{key}":' for key in ("indicator", "key", "name", "target", "input")]
        positions = [opening.find(key) for key in keys]
        return -1 not in positions and positions == sorted(positions)
    if not opening.lstrip().startswith("{"):
        return False
    keys = [f'"{key}":' for key in ("file", "catalog", "level", "sections")]
    positions = [opening.find(key) for key in keys[:3]]
    return -1 not in positions and positions == sorted(positions) and keys[3] in head
