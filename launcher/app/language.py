"""The interface language a person saved in the window, read without Qt (for the command line).

The window saves it with QSettings (launcher/ui/i18n.py ``save_language``) in the data folder's
settings.ini, an INI file whose ``[ui]`` section holds ``language=zh_CN`` or ``language=en``. This
reads that one value with configparser, so ``launcher status`` speaks the window's language
without starting Qt; it never writes the file.
"""

from __future__ import annotations

import configparser

from launcher.app.vocabulary import CHINESE, ENGLISH
from launcher.core import paths

LANGUAGES = (CHINESE, ENGLISH)
SETTINGS_FILE = "settings.ini"
_SECTION, _KEY = "ui", "language"
"""QSettings' key ``ui/language`` as an INI section and key."""


def saved_language() -> str:
    """The saved language; Chinese when none is saved or the file cannot be read."""
    # No interpolation: QSettings' other values (a window's geometry) may hold a %.
    settings = configparser.ConfigParser(interpolation=None, strict=False)
    try:
        settings.read(paths.home() / SETTINGS_FILE, encoding="utf-8")
    except (UnicodeDecodeError, configparser.Error):  # a missing file is skipped by read()
        return CHINESE
    value = settings.get(_SECTION, _KEY, fallback=CHINESE)
    return value if value in LANGUAGES else CHINESE


def chosen_language(option: str | None) -> str:
    """The language of a command: ``--lang`` when given, else the saved one, else Chinese."""
    return option if option in LANGUAGES else saved_language()
