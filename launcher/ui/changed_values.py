"""After a value changed in the one table: the platforms whose forms received the old value, each
with 打开, which opens that platform's account page (else the form that received it) in a web tab
ready to fill (the person presses 填表 there, or the window's Fill pre-fills it where it can).

The list comes from launcher/app/changed_values.py on a worker; the old values are handed to it
and dropped, never shown or logged. Platform and form names are outside text: shown plain.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from launcher.ui.plain_text import bounded, plain_label

if TYPE_CHECKING:
    from launcher.app.changed_values import PageToOpen
    from launcher.ui.window_context import WindowContext

translate = QCoreApplication.translate

OpenPage = Callable[["PageToOpen"], object]


class ChangedValuesDialog(QDialog):
    """The platforms that received the old values, each with 打开 (non-modal: the person opens
    one page after another and comes back)."""

    open_requested = Signal(object)
    """打开 was pressed for a ``PageToOpen``."""

    def __init__(
        self,
        pages: list[PageToOpen],
        labels: list[str],
        platform_name: Callable[[str], str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("changedValues")
        self.setWindowTitle(translate("ChangedValues", "Update the platforms"))
        self.pages = list(pages)
        what = translate("ChangedValues", ", ").join(bounded(x, 40, lines=1) for x in labels)
        intro = plain_label(QLabel(self))
        intro.setWordWrap(True)
        intro.setText(
            translate(
                "ChangedValues",
                "You changed {fields}. These platforms received the old value in a form: open "
                "each one's page and press Fill there to update it.",
            ).format(fields=what)
        )
        self.intro = intro
        rows = QWidget(self)
        grid = QGridLayout(rows)
        headers = (
            translate("ChangedValues", "Platform"),
            translate("ChangedValues", "Form"),
            translate("ChangedValues", "Filled"),
        )
        for column, text in enumerate(headers):
            grid.addWidget(QLabel(f"<b>{text}</b>", rows), 0, column)
        self.open_buttons: list[QPushButton] = []
        for row, page in enumerate(self.pages, start=1):
            name = bounded(platform_name(page.platform_id), 60, lines=1)
            form = bounded(page.form_name, 60, lines=1)
            if page.account_page:
                form = translate("ChangedValues", "{form} (opens its account page)").format(
                    form=form
                )
            from launcher.ui.table_window import when

            for column, text in enumerate((name, form, when(page.at))):
                label = plain_label(QLabel(text, rows))
                label.setWordWrap(True)
                grid.addWidget(label, row, column)
            button = QPushButton(translate("ChangedValues", "Open"), rows)
            button.setAccessibleName(
                translate("ChangedValues", "Open {platform}").format(platform=name)
            )
            button.clicked.connect(lambda _=False, p=page: self.open_requested.emit(p))
            grid.addWidget(button, row, len(headers))
            self.open_buttons.append(button)
        grid.setColumnStretch(1, 1)
        grid.setRowStretch(len(self.pages) + 1, 1)  # the rows together at the top
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(rows)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(scroll, 1)
        layout.addWidget(buttons)
        self.resize(620, min(480, 160 + 40 * len(self.pages)))
        if self.open_buttons:
            self.open_buttons[0].setFocus()

    def platform_ids(self) -> list[str]:
        return [p.platform_id for p in self.pages]


class ChangedValues:
    """Finds, after a save, where the old values went, and shows the dialog when anywhere."""

    def __init__(self, context: WindowContext, parent: QWidget) -> None:
        self._context = context
        self._parent = parent
        self.dialog: ChangedValuesDialog | None = None
        self._subject_id = ""
        self.open_page: OpenPage | None = None
        """Opens a page in a web tab; by default the window's own (``open_web``, then Fill's
        ``prefill`` where the window has it)."""

    def check(
        self,
        old_values: Mapping[str, str],
        owner: str,
        *,
        labels: list[str],
        still_theirs: Callable[[], bool],
        found: Callable[[list[PageToOpen]], None] | None = None,
        subject_id: str = "",
    ) -> None:
        """On a worker: which platforms received ``old_values`` (key -> old value) of ``owner``;
        then the dialog, unless nothing did or ``still_theirs()`` says the person left.
        ``subject_id``: the subject whose values changed ('' for the person's own), whose new
        values the opened pages are pre-filled with."""
        services = self._context.services
        records = getattr(services, "records", None) if services is not None else None
        if services is None or records is None or not old_values:
            return
        old = dict(old_values)
        registry = services.registry

        def work() -> list[PageToOpen]:
            from launcher.app.changed_values import pages_for_changes

            return pages_for_changes(records, registry, old, owner=owner)

        def returned(pages: list[PageToOpen]) -> None:
            if not still_theirs():
                return
            if found is not None:
                found(pages)
            if pages:
                self.show(pages, labels, subject_id)

        self._context.workers.submit("changed values", work, returned, lambda _exc: None)

    def show(
        self, pages: list[PageToOpen], labels: list[str], subject_id: str = ""
    ) -> ChangedValuesDialog:
        if self.dialog is not None:
            self.dialog.close()
        self._subject_id = subject_id
        dialog = self.dialog = ChangedValuesDialog(
            pages, labels, self._context.platform_name, self._parent
        )
        dialog.open_requested.connect(self._open)
        dialog.show()
        return dialog

    def close(self) -> None:
        """The person signed out: the list goes with them."""
        if self.dialog is not None:
            self.dialog.close()
            self.dialog = None

    def _open(self, page: PageToOpen) -> None:
        if self.open_page is not None:
            self.open_page(page)
            return
        window_open_page(
            self._parent.window(), page, self._context.platform_name, self._subject_id
        )


def window_open_page(
    window: Any, page: PageToOpen, platform_name: Callable[[str], str], subject_id: str = ""
) -> Any:
    """Open ``page`` in a new web tab of ``window`` (MainWindow.open_web), for its platform; then,
    where the window's Fill offers it (FormFiller.prefill), have the page pre-filled for review
    (with ``subject_id``'s values when a subject's changed)."""
    open_web = getattr(window, "open_web", None)
    if open_web is None:
        return None
    tab = open_web(page.url, platform_name(page.platform_id), platform_id=page.platform_id)
    filler = getattr(window, "filler", None)
    prefill = getattr(filler, "prefill", None)
    if prefill is not None and tab is not None:
        try:
            from launcher.app.fill import FillContext
        except ImportError:
            return tab
        prefill(tab, FillContext(subject_id=subject_id), lambda *_args: None)
    return tab
