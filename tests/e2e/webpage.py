"""Reading and driving real QtWebEngine pages from tests, without sleeps."""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtWebEngineCore import QWebEnginePage, QWebEngineScript
from pytestqt.qtbot import QtBot

MAIN_WORLD = QWebEngineScript.ScriptWorldId.MainWorld
PAGE_TIMEOUT = 30_000


def run_js(qtbot: QtBot, page: QWebEnginePage, script: str, timeout: int = PAGE_TIMEOUT) -> Any:
    """The value of ``script`` in the page (objects: wrap them in JSON.stringify and json.loads)."""
    answers: list[Any] = []
    page.runJavaScript(script, MAIN_WORLD, answers.append)
    qtbot.waitUntil(lambda: bool(answers), timeout=timeout)
    return answers[0]


def read_json(qtbot: QtBot, page: QWebEnginePage, expression: str) -> Any:
    return json.loads(run_js(qtbot, page, f"JSON.stringify({expression})"))


def wait_for_js(
    qtbot: QtBot, page: QWebEnginePage, expression: str, timeout: int = PAGE_TIMEOUT
) -> None:
    """Wait until ``expression`` is true in the page (the page may still be navigating)."""
    latest: dict[str, Any] = {"value": False}

    def poll() -> bool:
        page.runJavaScript(
            f"!!({expression})", MAIN_WORLD, lambda value: latest.__setitem__("value", value)
        )
        return latest["value"] is True

    qtbot.waitUntil(poll, timeout=timeout)


def wait_for_text(
    qtbot: QtBot, page: QWebEnginePage, text: str, timeout: int = PAGE_TIMEOUT
) -> None:
    """Wait until the page's visible text contains ``text``."""
    wait_for_js(
        qtbot,
        page,
        f"document.body && document.body.innerText.includes({json.dumps(text)})",
        timeout,
    )


def page_text(qtbot: QtBot, page: QWebEnginePage) -> str:
    return str(run_js(qtbot, page, "document.body ? document.body.innerText : ''"))
