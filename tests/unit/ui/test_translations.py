"""Every user-visible string of the UI has a finished Chinese translation, compiled and current."""

from __future__ import annotations

import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QTranslator

from launcher.core.paths import resources_dir

TS = resources_dir() / "translations" / "launcher_zh_CN.ts"
QM = TS.with_suffix(".qm")


def lrelease() -> str:
    beside = Path(sys.executable).with_name("pyside6-lrelease")
    found = str(beside) if beside.exists() else shutil.which("pyside6-lrelease")
    assert found, "pyside6-lrelease (part of PySide6) is needed to check the .qm"
    return found


def messages() -> list[tuple[str, str, ET.Element | None]]:
    root = ET.parse(TS).getroot()
    return [
        (context.findtext("name", ""), message.findtext("source", ""), message.find("translation"))
        for context in root.iter("context")
        for message in context.iter("message")
    ]


def _translated(translation: ET.Element) -> bool:
    """Text, or for a plural message (numerus="yes") every plural form's text."""
    forms = list(translation.iter("numerusform"))
    if forms:
        return all((form.text or "").strip() for form in forms)
    return bool((translation.text or "").strip())


def test_every_source_string_has_a_finished_translation() -> None:
    found = messages()
    assert len(found) > 50
    unfinished = [
        f"{context}: {source!r}"
        for context, source, translation in found
        if translation is None
        or translation.get("type") in ("unfinished", "vanished", "obsolete")
        or not _translated(translation)
    ]
    assert unfinished == []


def test_placeholders_survive_translation() -> None:
    broken = []
    for context, source, translation in messages():
        text = translation.text if translation is not None else ""
        for name in ("{count}", "{name}", "{error}", "{platform}", "{fields}", "{time}"):
            if name in source and name not in (text or ""):
                broken.append(f"{context}: {source!r}")
    assert broken == []


def test_compiled_translations_are_current(tmp_path: Path) -> None:
    """The .qm is what lrelease makes of the .ts today (not older than it).

    Compared by content rather than file time: a fresh git checkout gives both files the same
    checkout time in no particular order.
    """
    assert QM.is_file()
    assert QM.stat().st_size > 0
    fresh = tmp_path / "fresh.qm"
    subprocess.run([lrelease(), "-silent", str(TS), "-qm", str(fresh)], check=True)
    assert fresh.read_bytes() == QM.read_bytes(), "run tools/update_translations.py"


@pytest.mark.parametrize(
    ("context", "source", "chinese"),
    [
        ("MainWindow", "Inbox", "待办"),
        ("MainWindow", "Profile", "一张表"),
        ("MainWindow", "Sign out", "退出登录"),  # tile states: test_vocabulary.py
        ("InboxModel", "Overdue", "已逾期"),
    ],
)
def test_the_compiled_file_translates(context: str, source: str, chinese: str) -> None:
    translator = QTranslator()
    assert translator.load(str(QM))
    assert translator.translate(context, source) == chinese


def test_the_translation_files_live_in_resources() -> None:
    assert Path(TS).parent.name == "translations"
    assert QCoreApplication.translate("Nowhere", "Inbox") == "Inbox"
