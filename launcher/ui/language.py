"""The window's language, for the texts that come from launcher/app/vocabulary.py rather than
from a Qt translation."""

from __future__ import annotations

from PySide6.QtCore import QLocale

from launcher.app.vocabulary import CHINESE, ENGLISH


def current() -> str:
    """``zh_CN`` when the window runs in Chinese, else ``en``: ``i18n.install_translators`` sets
    the default locale to the language whose translators it installs, so these words follow the
    Qt translations (English, the source language, where none were installed)."""
    return CHINESE if QLocale().language() == QLocale.Language.Chinese else ENGLISH
