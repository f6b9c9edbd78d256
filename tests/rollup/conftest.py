"""The sheet fixtures (a small catalog, files in a temporary folder), as in tests/sheets."""

from ..sheets.conftest import catalog, filled, write

__all__ = ["catalog", "filled", "write"]
