"""Reading a file's bytes or text, bounded, with a located error when it cannot be read."""

from __future__ import annotations

__all__ = [
    "read_bytes",
    "read_text",
]


from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import Place, SheetError
from .model import (
    MAX_DATA_BYTES,
)

if TYPE_CHECKING:
    pass


def read_bytes(path: Path) -> bytes:
    place = Place(str(path))
    try:
        size = path.stat().st_size
        if size > MAX_DATA_BYTES:
            raise SheetError.at(place, f"file is {size} bytes; the limit is {MAX_DATA_BYTES}")
        return path.read_bytes()
    except OSError as error:
        raise SheetError.at(place, f"cannot read the file: {error.strerror or error}") from None


def read_text(path: Path) -> str:
    raw = read_bytes(path)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise SheetError.at(
            Place(str(path)),
            f"not UTF-8 text ({error.reason} at byte {error.start}); save it as UTF-8",
        ) from None
