"""LaTeX to MathML: the one home of how a formula becomes MathML (docs site, JSON export).

MathML comes from ``latex2mathml`` (the ``docs`` extra), with two touches: a name prints as
one ``<mi>`` (not one per letter) and a decimal comma written ``3{,}6`` is one number.
"""

from __future__ import annotations

__all__ = ["latex_to_mathml"]

import re

from .._optional import require

# latex2mathml writes \mathrm{jumlah\_tahanan} as one <mi> per letter; one <mi> per name
# reads better (screen readers, copy and paste) and renders the same, upright.
_LETTERS = re.compile(r'<mrow>((?:<mi mathvariant="normal">[^<]*</mi>){2,})</mrow>')
_LETTER = re.compile(r'<mi mathvariant="normal">([^<]*)</mi>')
# A decimal comma written the LaTeX way, 3{,}6, is one number: <mn>3,6</mn>, not 3, 6.
_DECIMAL_COMMA = re.compile(r"<mn>(\d+)</mn><mrow><mo>&#x0002C;</mo></mrow><mn>(\d+)</mn>")


def latex_to_mathml(latex: str, *, display: bool = True) -> str:
    """MathML for ``latex``: a ``<math>`` element, display block or inline.

    Raises MissingDependencyError naming the ``docs`` extra without ``latex2mathml``.
    """
    converter = require("latex2mathml.converter", "docs", "MathML")
    mathml: str = converter.convert(latex, display="block" if display else "inline")
    mathml = _DECIMAL_COMMA.sub(r"<mn>\1,\2</mn>", mathml)
    return _LETTERS.sub(
        lambda match: '<mi mathvariant="normal">' + "".join(_LETTER.findall(match[1])) + "</mi>",
        mathml,
    )
