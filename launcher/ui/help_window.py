"""帮助 → 使用指南 (F1): a short guide inside the app, and 联系县信息化团队, the county IT team of the
county file (launcher/ui/contact.py).

The guide is the launcher's own text, one Markdown file per language (``resources/help/
guide_zh_CN.md``, ``guide_en.md``): ``# title``, then one ``## topic`` per section, a topic
``## words {#id}`` named for ``show_topic``. Topics are listed on the left (arrow keys choose one)
and the chosen one is shown on the right; the ``contact`` topic shows the county's contact under its
text. Made when first asked for (``WindowParts.show_help``), never at start.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QScrollArea,
    QStackedWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from launcher.core import paths
from launcher.ui.contact import ContactPanel
from launcher.ui.window_size import fit_to_screen

if TYPE_CHECKING:
    from launcher.core.support import SupportContact

log = logging.getLogger(__name__)
translate = QCoreApplication.translate

CONTACT = "contact"
"""The topic that shows the county IT team's contact."""
_TOPIC = re.compile(r"^## +(.+?)(?: +\{#([a-z-]+)\})? *$")


@dataclass(frozen=True)
class Topic:
    key: str
    """Its ``{#id}``, else its position ("3")."""
    title: str
    text: str
    """Markdown."""


def guide_file(language: str) -> str:
    return "guide_en.md" if language.startswith("en") else "guide_zh_CN.md"


def read_guide(language: str) -> tuple[str, list[Topic]]:
    """The guide's title and topics in ``language`` (``zh_CN`` or ``en``)."""
    path = paths.resources_dir() / "help" / guide_file(language)
    title, topics = "", list[Topic]()
    current: list[str] | None = None
    heading = ("", "")
    for line in path.read_text(encoding="utf-8").splitlines():
        found = _TOPIC.match(line)
        if found:
            if current is not None:
                topics.append(_topic(heading, current, len(topics)))
            heading, current = (found[1], found[2] or ""), []
        elif line.startswith("# ") and not title:
            title = line[2:].strip()
        elif current is not None:
            current.append(line)
    if current is not None:
        topics.append(_topic(heading, current, len(topics)))
    return title, topics


def _topic(heading: tuple[str, str], lines: list[str], index: int) -> Topic:
    return Topic(heading[1] or str(index), heading[0], "\n".join(lines).strip())


class HelpWindow(QDialog):
    """The guide: topics on the left, the chosen topic on the right, 关闭 below. Not modal: the
    person can follow it while working in the window."""

    def __init__(
        self, support: SupportContact | None, language: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("helpWindow")
        try:
            title, self.guide = read_guide(language)
        except OSError as exc:  # a broken install: say so rather than show an empty window
            log.warning("the guide could not be read: %s", exc)
            title, self.guide = "", []
        self.setWindowTitle(title or self.tr("Guide"))
        # 1366×768 at 150 % leaves 911×512: the text scrolls, the topics too.
        fit_to_screen(self, 880, 640, limit=True)

        self.topics = QListWidget(self)
        self.topics.setObjectName("helpTopics")
        self.topics.setAccessibleName(self.tr("Topics"))
        self.topics.setWordWrap(True)  # a long title on two lines, never cut
        self.topics.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        for topic in self.guide:
            self.topics.addItem(topic.title)
        widest = max((self.topics.fontMetrics().horizontalAdvance(t.title) for t in self.guide),
                     default=120)
        self.topics.setFixedWidth(min(widest + 48, self.width() // 3))

        self.pages = QStackedWidget(self)
        self.text = QTextBrowser(self.pages)
        self.text.setObjectName("helpText")
        self.text.setOpenLinks(False)  # the guide has no links; nothing here opens anything
        self.text.setTabChangesFocus(True)
        self.text.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.pages.addWidget(self.text)
        # The contact scrolls as a whole when the text is large and the window small.
        scroll = QScrollArea(self.pages)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes to its fields, not to it
        contact = QWidget(scroll)
        contact.setObjectName("helpContact")
        scroll.setWidget(contact)
        column = QVBoxLayout(contact)
        self.contact_intro = QLabel(contact)
        self.contact_intro.setWordWrap(True)
        column.addWidget(self.contact_intro)
        self.contact = ContactPanel(support, contact)
        self._contact_column = column
        column.addWidget(self.contact, 1)
        self.pages.addWidget(scroll)

        row = QHBoxLayout()
        row.addWidget(self.topics)
        row.addWidget(self.pages, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        self.close_button = buttons.button(QDialogButtonBox.StandardButton.Close)
        layout = QVBoxLayout(self)
        layout.addLayout(row, 1)
        layout.addWidget(buttons)

        self.topics.currentRowChanged.connect(self._show_row)
        if self.guide:
            self.topics.setCurrentRow(0)
        self.topics.setFocus()

    def set_support(self, support: SupportContact | None) -> None:
        """The county IT team to show (the county opened, or another pack's county)."""
        if support == self.contact.support:
            return
        panel = ContactPanel(support, self.contact.parentWidget())
        self._contact_column.replaceWidget(self.contact, panel)
        self.contact.deleteLater()
        self.contact = panel

    def show_topic(self, key: str) -> None:
        """Show the topic ``key`` (``contact``, or a topic's position), the topics list focused."""
        for row, topic in enumerate(self.guide):
            if topic.key == key:
                self.topics.setCurrentRow(row)
                break
        self.topics.setFocus()

    def current_topic(self) -> Topic | None:
        row = self.topics.currentRow()
        return self.guide[row] if 0 <= row < len(self.guide) else None

    def _show_row(self, row: int) -> None:
        if not 0 <= row < len(self.guide):
            return
        topic = self.guide[row]
        if topic.key == CONTACT:
            self.contact_intro.setText(topic.text)
            self.pages.setCurrentIndex(1)
            return
        self.text.setMarkdown(f"## {topic.title}\n\n{topic.text}")
        self.text.setAccessibleName(topic.title)
        self.pages.setCurrentIndex(0)
