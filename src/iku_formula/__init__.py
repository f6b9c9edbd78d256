"""iku-formula: the Indikator Kinerja Utama of Kanwil Kemenkumham Bali, executable.

Load the bundled catalog, feed realised values (realisasi) and get exact
realisasi, capaian and status back::

    >>> from iku_formula import load_catalog
    >>> catalog = load_catalog()
    >>> result = catalog[23].evaluate({"pemenuhan_makanan": 850, "jumlah_tahanan": 1000})
    >>> result.value, result.achievement, result.status.value
    (Fraction(85, 1), Fraction(100, 1), 'met')
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__all__ = [
    "AchievementRule",
    "Catalog",
    "CatalogError",
    "Component",
    "Evaluation",
    "Explanation",
    "FormulaError",
    "IkuError",
    "Indicator",
    "Input",
    "InputError",
    "InputKind",
    "Objective",
    "PartResult",
    "Polarity",
    "RollUp",
    "Rounding",
    "Rule",
    "Status",
    "Target",
    "TargetPart",
    "TimeRule",
    "UndefinedParts",
    "UnitRule",
    "UnknownIndicatorError",
    "Violation",
    "__version__",
    "load_catalog",
    "parse_formula",
    "to_latex",
    "to_text",
]

# sympy first, at the top of the import chain: imported a few frames deeper (inside
# catalog -> evaluation -> engines.exact) the same import measured ~20 ms slower on
# CPython 3.11, a tenth of the start-up (benchmarks/README.md, figure 1).
import sympy  # noqa: F401

from .achievement import AchievementRule, Polarity, Rounding, Status
from .catalog.registry import Catalog, load_catalog
from .errors import CatalogError, FormulaError, IkuError, InputError, UnknownIndicatorError
from .evaluation import Evaluation, PartResult, Violation
from .language.parse import parse_formula
from .language.printers import to_latex, to_text
from .model import (
    Component,
    Indicator,
    Input,
    InputKind,
    Objective,
    RollUp,
    Rule,
    Target,
    TargetPart,
    TimeRule,
    UndefinedParts,
    UnitRule,
)

if TYPE_CHECKING:
    from .explain import Explanation

    __version__: str


def __getattr__(name: str) -> Any:
    # Explanation is imported on first use: most callers never explain, and the module
    # costs a noticeable share of the start-up (benchmarks/README.md, figure 1).
    if name == "__version__":
        # from the installed package's metadata, read on first use: importlib.metadata
        # costs a tenth of the start-up, and most callers never ask (figure 1)
        from importlib import metadata

        try:
            version = metadata.version("iku-formula")
        except metadata.PackageNotFoundError:  # a source tree that was never installed
            version = "0+unknown"
        globals()["__version__"] = version
        return version
    if name == "Explanation":
        from .explain import Explanation

        return Explanation
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
