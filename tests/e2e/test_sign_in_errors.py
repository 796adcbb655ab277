"""When the identity service is down, the person is told so in Chinese, with what to do next, and
the technical detail apart: never a raw English exception.

The county's identity service is a loopback port nobody listens on (connecting is refused), in
the two ways a sign-in fails there: the embedded page's flow fails before its dialog opens (a
message box), the system-browser flow inside its dialog.
"""

from __future__ import annotations

import re
import socket
import textwrap
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from launcher.ui.login_modes import BrowserLoginDialog
from tests.e2e.signin import LOAD_TIMEOUT, launcher_window

pytestmark = [pytest.mark.keyring, pytest.mark.usefixtures("real_keyring")]

# What a raw exception would show: Python's and requests'/urllib3's class names and reprs.
RAW = re.compile(
    r"ConnectionError|ConnectionRefusedError|MaxRetryError|NewConnectionError|HTTPConnectionPool"
    r"|Traceback|urllib3|requests\.|<\w+\.\w+"
)
CJK = re.compile(r"[\u4e00-\u9fff]")
TOLD = "无法连接统一身份认证服务"
NEXT_STEP = "联系县信息化团队"


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def county_with_idp_down(folder: Path, login: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "county.toml"
    path.write_text(
        textwrap.dedent(
            f"""
            [county]
            id = "down-{login}"
            name = "停机县"

            [idp]
            issuer = "http://127.0.0.1:{closed_port()}"
            login = "{login}"
            """
        ),
        encoding="utf-8",
    )
    return path


def assert_told_in_chinese(text: str) -> None:
    assert CJK.search(text), text
    assert TOLD in text and NEXT_STEP in text, text
    assert not RAW.search(text), text
    assert not re.search(r"[A-Za-z]{4,}", text), text  # no English sentence either


def test_the_embedded_sign_in_says_in_chinese_that_the_service_cannot_be_reached(
    qtbot: QtBot, qapp: QApplication, tmp_path: Path
) -> None:
    county = county_with_idp_down(tmp_path / "county", "embedded")
    with launcher_window(qapp, county, tmp_path / "home") as window:
        qtbot.waitUntil(lambda: window.services is not None, timeout=LOAD_TIMEOUT)
        with qtbot.waitSignal(window.login_failed, timeout=LOAD_TIMEOUT) as failed:
            window.login_action.trigger()
        assert_told_in_chinese(failed.args[0])
        box = window.findChild(QMessageBox, "loginErrorBox")
        assert isinstance(box, QMessageBox) and box.isVisible()
        assert box.text() == failed.args[0]
        assert_told_in_chinese(box.text())
        # The technical detail is there, apart, for the IT team: the address and the cause.
        detail = box.detailedText()
        assert "127.0.0.1" in detail and "refused" in detail.lower(), detail
        assert not RAW.search(detail), detail
        box.close()
        assert window.user is None and window.login_action.isEnabled()


def test_the_browser_sign_in_dialog_says_it_in_chinese_with_the_detail_on_its_own_line(
    qtbot: QtBot, qapp: QApplication, tmp_path: Path
) -> None:
    county = county_with_idp_down(tmp_path / "county", "system-browser")
    with launcher_window(qapp, county, tmp_path / "home") as window:
        qtbot.waitUntil(lambda: window.services is not None, timeout=LOAD_TIMEOUT)
        opened: list[str] = []
        window.session.open_url = lambda url: bool(opened.append(url)) or True
        with qtbot.waitSignal(window.login_failed, timeout=LOAD_TIMEOUT):
            window.login_action.trigger()
        dialog = window.session.dialog
        assert isinstance(dialog, BrowserLoginDialog)
        assert opened == []  # no browser for a sign-in that could not begin
        assert_told_in_chinese(dialog.message.text())
        assert dialog.detail.isVisible()
        assert dialog.detail.text().startswith("详细信息：")
        assert "refused" in dialog.detail.text().lower()
        assert not RAW.search(dialog.detail.text())
        assert dialog.retry_button.isVisible()
        dialog.reject()
