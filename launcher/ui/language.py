"""The window's language, for the texts that come from launcher/app/vocabulary.py rather than
from a Qt translation."""

from __future__ import annotations

from PySide6.QtCore import QLocale

from launcher.app.vocabulary import CHINESE, ENGLISH


def current() -> str:
    """``en`` when the window runs in English, else ``zh_CN``: ``i18n.install_translators`` sets
    the default locale to the language it installs, so the vocabulary follows the translators."""
    return ENGLISH if QLocale().language() == QLocale.Language.English else CHINESE
