"""The vault's dialog and bar show a platform's name (from its manifest: outside text) as plain
text, and the bar's buttons say what the person may do."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from launcher.ui.vault import PasswordDialog
from launcher.ui.vault_notice import NoticeChoice, VaultNotice

HOSTILE = '<img src="/dev/zero">旧平台'


def test_a_platform_name_is_plain_text_in_the_dialog_and_the_bar(qtbot: QtBot) -> None:
    dialog = PasswordDialog(HOSTILE, refused=True)
    qtbot.addWidget(dialog)
    assert dialog.intro.textFormat() == Qt.TextFormat.PlainText
    assert HOSTILE in dialog.intro.text()
    notice = VaultNotice("county.legacy", f"{HOSTILE} refused" + "x" * 5000)
    qtbot.addWidget(notice)
    assert notice.message.textFormat() == Qt.TextFormat.PlainText
    assert notice.text().startswith(HOSTILE) and len(notice.text()) <= 501


def test_the_bar_offers_three_choices_and_hides_after_one(qtbot: QtBot) -> None:
    notice = VaultNotice("county.legacy", "refused")
    qtbot.addWidget(notice)
    notice.show()
    assert [b.text() for b in (notice.fill_button, notice.update_button, notice.try_button)] == [
        "Fill in only",
        "Update password…",
        "Try once more",
    ]
    for button, choice in (
        (notice.fill_button, NoticeChoice.FILL_ONLY),
        (notice.update_button, NoticeChoice.UPDATE),
        (notice.try_button, NoticeChoice.TRY_AGAIN),
    ):
        notice.show()
        with qtbot.waitSignal(notice.chosen) as chosen:
            button.click()
        assert chosen.args == [choice] and not notice.isVisible()
    notice.show()
    notice.close_button.click()
    assert not notice.isVisible()
