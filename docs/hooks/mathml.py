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

from latex2mathml.converter import convert

_ARITHMATEX = re.compile(
    r'<(?P<tag>span|div) class="arithmatex">'
    r"(?:\\\((?P<inline>.*?)\\\)|\\\[(?P<block>.*?)\\\])"
    r"</(?P=tag)>",
    re.DOTALL,
)

# latex2mathml writes \mathrm{jumlah\_tahanan} as one <mi> per letter; one <mi> per name
# reads better (screen readers, copy and paste) and renders the same, upright.
_LETTERS = re.compile(r'<mrow>((?:<mi mathvariant="normal">[^<]*</mi>){2,})</mrow>')
_LETTER = re.compile(r'<mi mathvariant="normal">([^<]*)</mi>')
# A decimal comma written the LaTeX way, 3{,}6, is one number: <mn>3,6</mn>, not 3, 6.
_DECIMAL_COMMA = re.compile(r"<mn>(\d+)</mn><mrow><mo>&#x0002C;</mo></mrow><mn>(\d+)</mn>")


def latex_to_mathml(latex: str, *, display: bool) -> str:
    """MathML for ``latex``: a ``<math>`` element, display block or inline."""
    mathml = convert(latex, display="block" if display else "inline")
    mathml = _DECIMAL_COMMA.sub(r"<mn>\1,\2</mn>", mathml)
    return _LETTERS.sub(
        lambda match: '<mi mathvariant="normal">' + "".join(_LETTER.findall(match[1])) + "</mi>",
        mathml,
    )


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
