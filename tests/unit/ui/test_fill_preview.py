"""The fill preview panel by itself: sensitive fields masked and unticked until confirmed, page
labels shown as plain text, 填入/取消 by keyboard, the outcome's lines, and sign-out emptying it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMainWindow, QTextEdit
from pytestqt.qtbot import QtBot

from launcher.ui.fill_preview import MASK, MAX_WIDTH, FillPreview, OutcomeLine, PreviewRow

ROWS = [
    PreviewRow("0/1", "检查人", "张伟", False, "我的信息", "已配置"),
    PreviewRow("0/2", "身份证号", "11010519491231002X", True, "我的信息", "已配置"),
    PreviewRow("0/3", "<b>户主</b> & 名称", "王建国", False, "户·场所", "中"),
]


def panel(qtbot: QtBot) -> tuple[QMainWindow, FillPreview]:
    window = QMainWindow()
    window.setCentralWidget(QTextEdit(window))
    preview = FillPreview(window)
    window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, preview)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    preview.show_plan("安全排查", ROWS, ["一张表中缺少：联系电话"])
    return window, preview


def test_sensitive_values_are_masked_and_unticked_until_confirmed(qtbot: QtBot) -> None:
    _window, preview = panel(qtbot)
    assert preview.chosen() == ["0/1", "0/3"]
    detail = preview.details["0/2"].text()
    assert MASK in detail and "11010519491231002X" not in detail
    assert "11010519491231002X" not in preview.boxes["0/2"].accessibleName()
    assert "张伟" in preview.boxes["0/1"].accessibleName()
    assert "我的信息" in preview.boxes["0/1"].accessibleDescription()
    preview.show_sensitive.setChecked(True)
    assert "11010519491231002X" in preview.details["0/2"].text()
    preview.show_sensitive.setChecked(False)
    assert MASK in preview.details["0/2"].text()
    qtbot.mouseClick(preview.confirm_sensitive, Qt.MouseButton.LeftButton)
    assert preview.chosen() == ["0/1", "0/2", "0/3"]
    assert preview.width() <= MAX_WIDTH


def test_a_pages_label_is_plain_text(qtbot: QtBot) -> None:
    _window, preview = panel(qtbot)
    box = preview.boxes["0/3"]
    # A check box's "&" would underline the next letter (a shortcut): it shows as itself.
    assert box.text() == "<b>户主</b> && 名称"
    assert "<b>" in box.accessibleName()


def test_enter_fills_the_ticked_and_esc_fills_nothing(qtbot: QtBot) -> None:
    _window, preview = panel(qtbot)
    box = preview.boxes["0/1"]
    QTest.keyClick(box, Qt.Key.Key_Space)  # untick 检查人
    with qtbot.waitSignal(preview.confirmed) as confirmed:
        QTest.keyClick(box, Qt.Key.Key_Return)
    assert confirmed.args[0] == ["0/3"]
    assert not preview.waiting()

    preview.show_plan("安全排查", ROWS, [])
    assert preview.chosen() == ["0/1", "0/3"]  # a new plan starts afresh
    with qtbot.waitSignal(preview.cancelled):
        QTest.keyClick(preview.boxes["0/3"], Qt.Key.Key_Escape)
    assert not preview.isVisible()


def test_the_outcome_and_sign_out(qtbot: QtBot) -> None:
    _window, preview = panel(qtbot)
    preview.accept()
    preview.show_outcome("已填写 1 项", [OutcomeLine("身份证号", "只读")], ["天气情况"])
    lines = preview.outcome_lines()
    assert "身份证号：只读" in lines or "身份证号: 只读" in lines
    assert "天气情况" in lines
    assert not preview.fill_button.isVisible() and preview.cancel_button.isVisible()

    preview.show_plan("安全排查", ROWS, [])
    with qtbot.waitSignal(preview.cancelled):
        preview.reset()
    assert preview.boxes == {} and preview.details == {} and not preview.isVisible()
