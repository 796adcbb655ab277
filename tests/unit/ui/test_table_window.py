"""The one table's widgets without a county: each field kind's widget stores what the dictionary
stores (a choice's code, true/false), a stored value the dictionary does not list survives an edit,
sensitive values are masked in a list, outside text (names, import problems, platform names) is
shown as plain text, and the changed-values dialog offers one 打开 per platform."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QPlainTextEdit
from pytestqt.qtbot import QtBot

from launcher.app.changed_values import PageToOpen
from launcher.core.profile.fields import load_fields
from launcher.core.profile.sheet import RowError
from launcher.ui.changed_values import ChangedValuesDialog
from launcher.ui.table_window import ImportResultDialog, KindPanel, ValueInput, masked

HOSTILE = '<img src="/dev/zero">幸福超市'
FIELDS = load_fields()


class Context(QObject):
    """What a panel reads of the window before the county is open."""

    english = True
    services = None

    def platform_name(self, plugin_id: str) -> str:
        return plugin_id


@dataclass(frozen=True)
class Subject:
    id: str
    kind: str
    values: dict[str, str]
    updated: str = ""

    @property
    def name(self) -> str:
        return self.values.get("place.name", "")


def value_input(qtbot: QtBot, key: str) -> ValueInput:
    widget = ValueInput(FIELDS[key], FIELDS[key].label_en)
    qtbot.addWidget(widget)
    return widget


def test_each_kind_gets_its_widget_and_stores_what_the_dictionary_stores(qtbot: QtBot) -> None:
    dibao = value_input(qtbot, "household.dibao")
    assert isinstance(dibao.edit, QComboBox)
    choice = FIELDS["household.dibao"].choices[0]
    dibao.set_value(choice.code)
    assert dibao.edit.currentText() == choice.text and dibao.value() == choice.code

    rectified = value_input(qtbot, "inspection.rectified")
    assert isinstance(rectified.edit, QComboBox)
    rectified.set_value("true")
    assert rectified.edit.currentText() == "Yes" and rectified.value() == "true"
    rectified.set_value("")
    assert rectified.value() == ""  # not set is not 否

    notes = value_input(qtbot, "inspection.rectification")
    assert isinstance(notes.edit, QPlainTextEdit) and notes.edit.tabChangesFocus()
    notes.set_value("第一行\n第二行")
    assert notes.value() == "第一行\n第二行"

    photo = value_input(qtbot, "inspection.photo")
    assert isinstance(photo.edit, QLineEdit) and [b.text() for b in photo.extra] == ["Choose…"]

    head_id = value_input(qtbot, "household.head_id_number")
    assert isinstance(head_id.edit, QLineEdit)
    assert head_id.edit.echoMode() == QLineEdit.EchoMode.Password
    assert head_id.toggle is not None
    head_id.toggle.setChecked(True)
    assert head_id.edit.echoMode() == QLineEdit.EchoMode.Normal


def test_a_stored_choice_the_dictionary_does_not_list_survives_an_edit(qtbot: QtBot) -> None:
    kind = value_input(qtbot, "place.kind")
    kind.set_value(HOSTILE)
    assert kind.value() == HOSTILE


def test_a_list_masks_sensitive_values_and_finds_by_words(qtbot: QtBot) -> None:
    fields = {k: FIELDS[k] for k in ("place.name", "place.phone", "place.address")}
    panel = KindPanel(Context(), "place", fields, record=False)  # type: ignore[arg-type]
    qtbot.addWidget(panel)
    panel.owner = "sub-zhang"
    panel.items = [
        Subject("1", "place", {"place.name": HOSTILE, "place.phone": "13800138000"}),
        Subject("2", "place", {"place.name": "平安药店", "place.address": "幸福村2组"}),
    ]
    panel._fill_list()
    assert panel.listed_ids() == ["1", "2"]
    cells = [panel.table.item(0, c).text() for c in range(panel.table.columnCount())]
    assert HOSTILE in cells  # a table cell draws its text plain
    assert FIELDS["place.phone"].sensitive and cells[1] == "••••8000"
    panel.search.setText("幸福村")
    assert panel.listed_ids() == ["2"]
    panel.search.setText("药店 2组")
    assert panel.listed_ids() == ["2"]
    assert masked("13800138000") == "••••8000" and masked("") == ""


def test_import_problems_and_platform_names_are_plain_text(qtbot: QtBot) -> None:
    @dataclass
    class Result:
        errors: list[Any]
        error_count: int

    fields = {k: f for k, f in FIELDS.items() if f.group == "household"}
    dialog = ImportResultDialog(Result([RowError(3, HOSTILE, HOSTILE * 100)], 7), fields, True)
    qtbot.addWidget(dialog)
    assert dialog.summary.textFormat() == Qt.TextFormat.PlainText
    assert "7 problem(s)" in dialog.summary.text()
    assert dialog.table is not None and dialog.table.rowCount() == 1
    assert dialog.table.item(0, 0).text() == "3" and dialog.table.item(0, 1).text() == HOSTILE
    assert len(dialog.table.item(0, 2).text()) <= 301

    pages = [
        PageToOpen("demo.a", "f1", HOSTILE, "http://a/account", "2026-12-01T08:00:00+00:00",
                   ("person.phone",), True, "me"),
        PageToOpen("demo.b", "f2", "执法检查", "http://b/checks", "2026-11-30T08:00:00+00:00",
                   ("person.phone",), False, "f2"),
    ]
    changed = ChangedValuesDialog(pages, ["Phone"], lambda p: f"{HOSTILE}{p}")
    qtbot.addWidget(changed)
    labels = [w for w in changed.findChildren(QLabel) if HOSTILE in w.text()]
    assert labels and all(w.textFormat() == Qt.TextFormat.PlainText for w in labels)
    assert [b.text() for b in changed.open_buttons] == ["Open", "Open"]
    with qtbot.waitSignal(changed.open_requested) as opened:
        qtbot.mouseClick(changed.open_buttons[1], Qt.MouseButton.LeftButton)
    assert opened.args[0] is pages[1]
