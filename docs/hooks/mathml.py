"""mkdocs hook: every formula becomes MathML at build time, so math renders without a network.

``pymdownx.arithmatex`` (generic mode) finds ``$...$`` and ``$$...$$`` in the Markdown, also
in the pages generated from the catalog, and leaves ``\\(...\\)`` / ``\\[...\\]`` in a
``<span class="arithmatex">`` or ``<div class="arithmatex">``. This hook replaces each of them
with MathML from ``latex2mathml`` (which browsers render natively) and keeps the LaTeX source
in a ``data-latex`` attribute, so that tests can compare it with ``Indicator.latex``. No
script, font or style sheet is loaded from anywhere.
"""

from __future__ import annotations

import html
import re
from typing import Any

from iku_formula.language.mathml import latex_to_mathml

_ARITHMATEX = re.compile(
    r'<(?P<tag>span|div) class="arithmatex">'
    r"(?:\\\((?P<inline>.*?)\\\)|\\\[(?P<block>.*?)\\\])"
    r"</(?P=tag)>",
    re.DOTALL,
)

__all__ = ["latex_to_mathml", "on_page_content", "render"]


def render(latex: str, *, display: bool) -> str:
    """The HTML that replaces one arithmatex element: MathML with its LaTeX kept beside it."""
    tag = "div" if display else "span"
    mathml = latex_to_mathml(latex, display=display)
    return (
        f'<{tag} class="iku-math iku-math--{"block" if display else "inline"}" '
        f'data-latex="{html.escape(latex, quote=True)}">{mathml}</{tag}>'
    )


def _replace(match: re.Match[str]) -> str:
    display = match["block"] is not None
    latex = html.unescape(match["block"] if display else match["inline"]).strip()
    return render(latex, display=display)


def on_page_content(html_text: str, **kwargs: Any) -> str:
    """Turn the arithmatex placeholders of a page into MathML."""
    return _ARITHMATEX.sub(_replace, html_text)
