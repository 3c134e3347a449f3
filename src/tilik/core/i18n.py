"""Translation for the core, without Django.

User-facing text is written in Indonesian (the default language) and marked with
:func:`gettext_noop`; :func:`translate` looks it up in the same gettext catalog that the
web app uses (``src/tilik/locale/<lang>/LC_MESSAGES/django.mo``), so a message has one
translation wherever it is shown.
"""

from __future__ import annotations

import gettext as _gettext
from functools import lru_cache
from pathlib import Path

__all__ = ["DEFAULT_LANGUAGE", "LANGUAGES", "LOCALE_DIR", "gettext_noop", "translate"]

DEFAULT_LANGUAGE = "id"
LANGUAGES = ("id", "en")
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"


def gettext_noop(message: str) -> str:
    """Mark ``message`` for extraction; it is translated later, when shown."""
    return message


@lru_cache(maxsize=8)
def _catalog(lang: str) -> _gettext.NullTranslations:
    return _gettext.translation("django", localedir=LOCALE_DIR, languages=[lang], fallback=True)


def translate(message: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """Return ``message`` (an Indonesian msgid) in ``lang``; Indonesian is returned as is."""
    if lang == DEFAULT_LANGUAGE or not message:
        return message
    return _catalog(lang).gettext(message)
