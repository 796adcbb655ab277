"""What Qt really shows of a tooltip or a label's text, and what showing it would load.

Qt renders a tooltip, and a label in its default format, as HTML when the text looks like HTML
(``Qt.mightBeRichText``); HTML loads the images it names. ``shown`` does what Qt does with the
text, in a QTextDocument that records every resource the layout asks for: a hostile text is
harmless when it is shown as its own characters and nothing is loaded.
"""

from __future__ import annotations

from typing import NamedTuple

from PySide6.QtCore import QUrl
from PySide6.QtGui import (
    Qt,  # with QtGui's functions (mightBeRichText)
    QTextDocument,
)
from PySide6.QtWidgets import QLabel


class Shown(NamedTuple):
    text: str
    """The characters a person sees."""
    loads: list[str]
    """The resources (images …) showing it asks for."""
    rich: bool
    """Qt reads the text as HTML."""


class _Recording(QTextDocument):
    def __init__(self) -> None:
        super().__init__()
        self.asked: list[str] = []

    def loadResource(self, kind: int, name: QUrl) -> object:
        self.asked.append(name.toString())
        return super().loadResource(kind, name)


def shown(text: str, text_format: Qt.TextFormat = Qt.TextFormat.AutoText) -> Shown:
    """``text`` as a tooltip (AutoText) or a label of ``text_format`` shows it."""
    rich = text_format == Qt.TextFormat.RichText or (
        text_format == Qt.TextFormat.AutoText and Qt.mightBeRichText(text)
    )
    if not rich:
        return Shown(text, [], False)
    document = _Recording()
    document.setHtml(text)
    document.size()  # lays it out: where images are loaded
    return Shown(document.toPlainText(), document.asked, True)


def label_shown(label: QLabel) -> Shown:
    return shown(label.text(), label.textFormat())
