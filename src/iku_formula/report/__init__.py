"""Reports: a sheet rolled up and evaluated (:mod:`.build`), then written in one form.

Each output form is one module (:mod:`.text`, :mod:`.markdown`, :mod:`.csv`,
:mod:`.json`, :mod:`.xlsx`, :mod:`.html` and its PDF), as pint keeps one formatter per
output; :data:`RENDERERS`
is the one table that names them, their file suffixes and how each is written, so the
CLI chooses a form by looking it up, and a new form is a module plus a row here.
"""

from __future__ import annotations

__all__ = [
    "KANWIL",
    "LEVELS",
    "MATRIX_RENDERERS",
    "RENDERERS",
    "MatrixRenderer",
    "Renderer",
    "Report",
    "RowProblem",
    "Section",
    "build_report",
    "renderer_for",
]

from collections.abc import Callable, Mapping
from pathlib import Path

import attrs

from .build import KANWIL, LEVELS, Report, RowProblem, Section, build_report
from .csv import render_csv, render_matrix_csv
from .html import render_html, write_pdf
from .json import render_json
from .markdown import render_markdown, render_matrix_markdown
from .matrix import Matrix
from .text import render_matrix_text, render_text
from .xlsx import write_matrix_xlsx, write_xlsx


@attrs.frozen
class Renderer:
    """One output form of a report: its name, its file suffixes and how it is produced.

    A text form has ``render`` (the report as a string, printed or written as UTF-8); a
    binary form has only ``write`` (to a file it must be given).
    """

    name: str
    suffixes: tuple[str, ...]
    render: Callable[[Report], str] | None = None
    write_file: Callable[[Report, Path], object] | None = None

    @property
    def needs_file(self) -> bool:
        """Whether this form can only be written to a file (XLSX), not printed."""
        return self.render is None

    def write(self, report: Report, path: Path) -> None:
        """Write ``report`` to ``path`` in this form (raises OSError as open() does)."""
        if self.write_file is not None:
            self.write_file(report, path)
            return
        assert self.render is not None  # every form has one of the two
        path.write_text(self.render(report), encoding="utf-8", newline="")


RENDERERS: Mapping[str, Renderer] = {
    renderer.name: renderer
    for renderer in (
        Renderer("table", (".txt",), render=render_text),
        Renderer("csv", (".csv",), render=render_csv),
        Renderer("xlsx", (".xlsx",), write_file=write_xlsx),
        Renderer("markdown", (".md", ".markdown"), render=render_markdown),
        Renderer("json", (".json",), render=render_json),
        Renderer("html", (".html", ".htm"), render=render_html),
        Renderer("pdf", (".pdf",), write_file=write_pdf),
    )
}
"""Every output form of ``iku evaluate``, by its ``--format`` name."""


def renderer_for(suffix: str) -> Renderer | None:
    """The form a file suffix (".md", case ignored) stands for, or None."""
    wanted = suffix.lower()
    return next((r for r in RENDERERS.values() if wanted in r.suffixes), None)


@attrs.frozen
class MatrixRenderer:
    """One form of a matrix (``iku evaluate --matrix``): as :class:`Renderer`, for a Matrix."""

    name: str
    render: Callable[[Matrix], str] | None = None
    write_file: Callable[[Matrix, Path], object] | None = None

    @property
    def needs_file(self) -> bool:
        return self.render is None

    def write(self, matrix: Matrix, path: Path) -> None:
        """Write ``matrix`` to ``path`` in this form (raises OSError as open() does)."""
        if self.write_file is not None:
            self.write_file(matrix, path)
            return
        assert self.render is not None
        path.write_text(self.render(matrix), encoding="utf-8", newline="")


MATRIX_RENDERERS: Mapping[str, MatrixRenderer] = {
    renderer.name: renderer
    for renderer in (
        MatrixRenderer("table", render=render_matrix_text),
        MatrixRenderer("csv", render=render_matrix_csv),
        MatrixRenderer("xlsx", write_file=write_matrix_xlsx),
        MatrixRenderer("markdown", render=render_matrix_markdown),
    )
}
"""The forms of a matrix, by the ``--format`` name of :data:`RENDERERS` (no JSON form)."""
