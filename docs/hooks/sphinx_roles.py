"""Drop Sphinx cross-reference roles from the API pages.

The docstrings are written for ``help()`` and editors as well as for this site, and use
Sphinx roles (:meth:`evaluate`). mkdocstrings renders the name as code but keeps the role
in front of it; this hook removes the role so ``:meth:<code>evaluate</code>`` reads as
``<code>evaluate</code>``, and ``~iku_formula.Catalog`` as ``Catalog``, as Sphinx would.
"""

from __future__ import annotations

import re
from typing import Any

_ROLE = re.compile(r":(?:py:)?(?:meth|func|class|mod|attr|data|exc|obj|const):(?=<code>)")
_SHORT = re.compile(r"<code>~(?:[A-Za-z_][\w]*\.)*([A-Za-z_]\w*)</code>")  # ~a.b.C -> C


def on_post_page(output: str, page: Any, config: Any) -> str:
    if not page.file.src_uri.startswith("api/"):
        return output
    return _SHORT.sub(r"<code>\1</code>", _ROLE.sub("", output))
