"""The county IT team as the window shows it (``[support]`` of the county file,
launcher/core/support.py): ``ContactPanel``, the lines of 帮助 → 联系县信息化团队, and
``contact_line``, the line naming the team under a message that tells the person to call them.

The county's words are outside text: bounded and shown as plain text, never as links. The phone
number and the e-mail address can be selected (mouse or keyboard) and copied with a button.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from launcher.ui.plain_text import bounded, plain_label

if TYPE_CHECKING:
    from launcher.core.support import SupportContact

translate = QCoreApplication.translate


def contact_line(support: SupportContact | None) -> str:
    """"县信息化团队：name，电话 …，邮箱 …" ('' when the county names none), bounded."""
    if support is None:
        return ""
    ways = []
    if support.phone:
        ways.append(translate("Contact", "phone {phone}").format(phone=support.phone))
    if support.email:
        ways.append(translate("Contact", "e-mail {email}").format(email=support.email))
    line = translate("Contact", "County IT team: {name}, {ways}").format(
        name=support.name, ways=translate("Contact", ", ").join(ways)
    )
    return bounded(line, 300, lines=1)


class ContactPanel(QWidget):
    """The team's name, phone, e-mail, hours and note, each on a line of its own; 复制 beside the
    phone and the e-mail. Without ``support``, a sentence saying the county file gives none."""

    def __init__(self, support: SupportContact | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("contactPanel")
        self.support = support
        self.values: dict[str, QLabel | QLineEdit] = {}
        """The shown values by key (``name``, ``phone``, ``email``, ``hours``, ``note``)."""
        self.copy_buttons: dict[str, QPushButton] = {}
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        if support is None:
            none = QLabel(
                self.tr(
                    "The county file gives no contact for the county IT team. Ask the colleague "
                    "who looks after the computers in your township, or your county's "
                    "information office."
                ),
                self,
            )
            none.setObjectName("contactNone")
            none.setWordWrap(True)
            column.addWidget(none)
            self.none_label: QLabel | None = none
            return
        self.none_label = None
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        column.addLayout(form)
        rows = (
            ("name", self.tr("Team"), support.name),
            ("phone", self.tr("Phone"), support.phone),
            ("email", self.tr("E-mail"), support.email),
            ("hours", self.tr("Hours"), support.hours),
            ("note", self.tr("Note"), support.note),
        )
        for key, label, value in rows:
            if value:
                form.addRow(label, self._value_row(key, label, value))
        column.addStretch(1)

    def _value_row(self, key: str, label: str, value: str) -> QWidget:
        text = bounded(value, 300, lines=3)
        # A screen reader says what the value is with it ("电话：0572-…").
        name = translate("Contact", "{label}: {value}").format(label=label, value=text)
        if key not in ("phone", "email"):
            shown = plain_label(QLabel(text, self))
            shown.setObjectName(f"contact_{key}")
            shown.setWordWrap(True)
            shown.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            shown.setAccessibleName(name)
            self.values[key] = shown
            return shown
        # A number or an address to copy: a read-only line (selectable by keyboard, Ctrl+C) and
        # 复制. Never a link: the county's text must not open anything.
        row = QWidget(self)
        line = QHBoxLayout(row)
        line.setContentsMargins(0, 0, 0, 0)
        field = QLineEdit(text, row)
        field.setObjectName(f"contact_{key}")
        field.setReadOnly(True)
        field.setCursorPosition(0)
        field.setAccessibleName(name)
        # Wide enough to read whole (it scrolls inside, if the window is narrower still).
        field.setMinimumWidth(min(field.fontMetrics().horizontalAdvance(text) + 24, 420))
        line.addWidget(field, 1)
        copy = QPushButton(self.tr("Copy"), row)
        copy.setObjectName(f"copy_{key}")
        words = (self.tr("Copy the phone number") if key == "phone"
                 else self.tr("Copy the e-mail address"))
        copy.setAccessibleName(words)
        copy.clicked.connect(lambda _=False, k=key, t=text: self._copy(k, t))
        line.addWidget(copy)
        self.values[key] = field
        self.copy_buttons[key] = copy
        return row

    def _copy(self, key: str, text: str) -> None:
        QGuiApplication.clipboard().setText(text)
        from launcher.ui.announce import announce

        announce(self, self.tr("Phone number copied.") if key == "phone"
                 else self.tr("E-mail address copied."))
