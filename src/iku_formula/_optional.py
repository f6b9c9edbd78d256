"""Optional dependencies: import an extra's module on first use, or say which extra to install.

pandas, numpy and openpyxl are extras; ``import iku_formula`` needs none of them.
Every entry point that needs one calls :func:`require`, so a missing extra is always
the same :class:`~iku_formula.errors.MissingDependencyError` naming what to install.
"""

from __future__ import annotations

__all__ = ["require"]

import importlib
from typing import Any

from .errors import MissingDependencyError
from .i18n import _


def require(module: str, extra: str, what: str) -> Any:
    """Import ``module`` (e.g. "pandas"), or raise MissingDependencyError naming ``extra``.

    ``what`` says what needs it ("a DataFrame", "reading XLSX").
    """
    try:
        return importlib.import_module(module)
    except ImportError:
        raise MissingDependencyError(
            _("{what} needs {module}, which is not installed: {command}").format(
                what=what,
                module=module.split(".")[0],
                command=f"python -m pip install 'iku-formula[{extra}]'",
            ),
            extra=extra,
        ) from None
