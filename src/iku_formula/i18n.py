"""Messages people read: Indonesian by default, English on request.

Every text the CLI, the reports and the messages show goes through :func:`_` with its
English wording as the message id; the translations live in one gettext catalog
(``locale/``). This module is the one home of the language setting: ``IKU_LANG`` in the
environment, or :func:`set_language` (the CLI's ``--lang``).
"""

from __future__ import annotations

__all__ = ["LANGUAGES", "_", "language", "set_language"]

import os

LANGUAGES = ("id", "en")
"""The languages messages can be shown in; the first is the default."""

_chosen: str | None = None


def language() -> str:
    """The language shown now: ``set_language``'s, else ``IKU_LANG``'s, else "id"."""
    if _chosen is not None:
        return _chosen
    wanted = os.environ.get("IKU_LANG", "").strip().lower()[:2]
    return wanted if wanted in LANGUAGES else LANGUAGES[0]


def set_language(code: str | None) -> None:
    """Show messages in ``code`` ("id" or "en"); None goes back to ``IKU_LANG`` or the default."""
    global _chosen
    if code is not None and code not in LANGUAGES:
        raise ValueError(f"language must be one of {', '.join(LANGUAGES)}, got {code!r:.20}")
    _chosen = code


def _(message: str) -> str:
    """``message`` (its English wording) in the current language."""
    return message
