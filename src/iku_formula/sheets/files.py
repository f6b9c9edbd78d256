"""Reading a file's bytes or text, bounded, with a located error when it cannot be read.

At most :data:`~.model.MAX_DATA_BYTES` are ever read, whatever the file is: a regular file
larger than that is refused by its size before reading, and anything else (a device such as
``/dev/zero``, a pipe) is read up to one byte past the limit, then refused. Text is UTF-8 (a
byte-order mark is skipped); a file in another encoding is refused naming the line of the
first byte that is not UTF-8, and a UTF-16 file is recognised by its byte-order mark.
"""

from __future__ import annotations

__all__ = [
    "read_bytes",
    "read_text",
]


import codecs
import stat
from pathlib import Path

from ..errors import Place, SheetError
from ..i18n import _
from ..numbers import localized
from .model import (
    MAX_DATA_BYTES,
)


def _too_large(place: Place, size: str) -> SheetError:
    return SheetError.at(
        place,
        _("the file is {size} bytes; the limit is MAX_DATA_BYTES ({limit})").format(
            size=size, limit=localized(MAX_DATA_BYTES)
        ),
    )


def read_bytes(path: Path) -> bytes:
    """The file's bytes, at most MAX_DATA_BYTES of them (SheetError beyond, or unreadable)."""
    place = Place(str(path))
    try:
        status = path.stat()
        if stat.S_ISFIFO(status.st_mode) or stat.S_ISSOCK(status.st_mode):
            raise SheetError.at(place, _("not a file but a pipe or socket; give a file"))
        if stat.S_ISREG(status.st_mode) and status.st_size > MAX_DATA_BYTES:
            raise _too_large(place, localized(status.st_size))
        with path.open("rb") as stream:
            data = stream.read(MAX_DATA_BYTES + 1)
    except OSError as error:
        raise SheetError.at(
            place, _("cannot read the file: {reason}").format(reason=error.strerror or error)
        ) from None
    if len(data) > MAX_DATA_BYTES:
        raise _too_large(place, _("more than {size}").format(size=localized(MAX_DATA_BYTES)))
    return data


def read_text(path: Path) -> str:
    """The file's text (UTF-8, a byte-order mark skipped), bounded like :func:`read_bytes`."""
    raw = read_bytes(path)
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise SheetError.at(
            Place(str(path)),
            _("the file is UTF-16 text (as 'Unicode text' exports write it); save it as CSV UTF-8"),
        )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        raise SheetError.at(
            Place(str(path)),
            _(
                "not UTF-8 text ({reason} at byte {byte}, on line {line}); save it "
                "as UTF-8 (in a spreadsheet program: CSV UTF-8)"
            ).format(reason=error.reason, byte=error.start, line=line),
        ) from None
