"""Interface language: the saved choice and the Qt translators that apply it.

English is the source language of every string; Chinese (the default) comes from
resources/translations/launcher_zh_CN.qm.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QSettings, QTranslator

from launcher.core import paths

CHINESE, ENGLISH = "zh_CN", "en"
LANGUAGES = (CHINESE, ENGLISH)
_KEY = "ui/language"


def settings() -> QSettings:
    """The launcher's own settings file, inside LAUNCHER_HOME (so tests never touch the user's).

    Made 0600 before QSettings first writes it: QSettings saves through a new file that takes the
    old one's mode, so it stays the owner's alone."""
    path = paths.private_file(paths.home() / "settings.ini")
    return QSettings(str(path), QSettings.Format.IniFormat)


def saved_language() -> str:
    value = settings().value(_KEY, CHINESE)
    return value if value in LANGUAGES else CHINESE


def save_language(language: str) -> None:
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}")
    store = settings()
    store.setValue(_KEY, language)
    store.sync()


def translation_file(language: str = CHINESE) -> Path:
    return paths.resources_dir() / "translations" / f"launcher_{language}.qm"


def install_translators(app: QCoreApplication, language: str) -> list[QTranslator]:
    """Install the launcher's and Qt's translations for ``language``; keep what it returns."""
    if language == ENGLISH:
        QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
        return []
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    installed = []
    ours = QTranslator(app)
    if ours.load(str(translation_file(language))):
        app.installTranslator(ours)
        installed.append(ours)
    # Qt's own strings (standard buttons, context menus) in Chinese too.
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    for name in ("qtbase", "qtwebengine"):
        translator = QTranslator(app)
        if translator.load(f"{name}_{language}", qt_dir):
            app.installTranslator(translator)
            installed.append(translator)
    return installed
