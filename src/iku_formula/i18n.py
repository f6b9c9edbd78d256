"""Messages people read: Indonesian by default, English on request.

Every text the CLI, the reports and the messages show goes through :func:`_` with its
English wording as the message id; the translations live in one gettext catalog
(``locale/<lang>/LC_MESSAGES/iku_formula.mo``, compiled from the ``.po`` beside it by
``python tools/messages.py compile``). English is the message ids themselves. This module
is the one home of the language setting: ``IKU_LANG`` in the environment, or
:func:`set_language` (the CLI's ``--lang``). Texts are translated when they are shown, so a
message built after ``set_language("en")`` is English.

A text defined in a table at import time is marked with :func:`N_` (so that extraction finds
it) and translated with :func:`_` where it is shown.
"""

from __future__ import annotations

__all__ = [
    "DOMAIN",
    "LANGUAGES",
    "LOCALE_DIR",
    "N_",
    "_",
    "language",
    "ngettext",
    "set_language",
    "translations",
]

import gettext
import os
from functools import cache
from pathlib import Path

LANGUAGES = ("id", "en")
"""The languages messages can be shown in; the first is the default."""

DOMAIN = "iku_formula"
"""The gettext domain: the catalogs' file name."""

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
"""Where the compiled catalogs are, inside the package (shipped in the wheel)."""

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


@cache
def translations(code: str) -> gettext.NullTranslations:
    """The catalog of language ``code``, read once; English (the message ids) is the identity.

    A missing catalog falls back to the identity rather than failing: a message is always
    shown, in English at worst.
    """
    if code == "en":
        return gettext.NullTranslations()
    return gettext.translation(DOMAIN, LOCALE_DIR, languages=[code], fallback=True)


def _(message: str) -> str:
    """``message`` (its English wording) in the current language."""
    return translations(language()).gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    """The singular or plural wording for ``count``, in the current language."""
    return translations(language()).ngettext(singular, plural, count)


def N_(message: str) -> str:  # noqa: N802 (gettext's name for a marker)
    """Mark ``message`` for translation without translating it now (texts in tables)."""
    return message
