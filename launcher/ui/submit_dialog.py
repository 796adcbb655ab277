"""一次填报 (fill once, submit to many): one launcher form for a grouped inbox row.

From a row asked by several platforms (the fire-safety inspection of 安全排查 and 执法检查), the
person opens one form with the union of the fields those platforms ask for, pre-filled from the
row's record, its subject and their own details, completes it once and presses 提交. The use case
(launcher/app/submit.py) saves the record and sends it to each platform that declares a submit
API; each outcome shows in the dialog as it arrives (已提交, 待审核, or 失败 with the platform's
words, plain text). Each platform without an API has its form opened in a tab of the window,
pre-filled for the person to check and submit there (``open_forms``: the window's web tabs and
``FormFiller.prefill``).

The dialog fits a 1366×768 screen at 150 % (its fields scroll), is worked with the keyboard
(Tab through the fields, Enter is 提交, Esc closes), names every control for screen readers, and
never blocks: reading the values and submitting run on the window's workers.

The window wires it with ``install_submit(window)`` (launcher/ui/window_parts.py).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from launcher.ui.plain_text import bounded, plain_label

if TYPE_CHECKING:
    from launcher.api import TaskGroup
    from launcher.app.submit import OpenForm, PlatformOutcome, RowForm, SubmitResult
    from launcher.core.profile.fields import FieldDef
    from launcher.ui.main_window import MainWindow
    from launcher.ui.table_window import ValueInput
    from launcher.ui.web import WebTab
    from launcher.ui.window_context import WindowContext

log = logging.getLogger(__name__)
translate = QCoreApplication.translate

CONTEXT = "SubmitDialog"
SHOWN_MESSAGE = 200
PREFERRED_WIDTH, PREFERRED_HEIGHT = 640, 600
TITLE_BAR = 31
"""A window's title bar and border, in logical pixels."""


def state_text(state: str) -> str:
    return {
        "submitted": translate("SubmitDialog", "Submitted"),
        "review": translate("SubmitDialog", "Awaiting review"),
        "failed": translate("SubmitDialog", "Failed"),
    }.get(state, state)


class SubmitDialog(QDialog):
    """The launcher form of one row: its fields, the platforms it goes to, and their outcomes."""

    submit_requested = Signal(dict)
    """The values the person entered (dictionary key -> text), on 提交."""

    def __init__(
        self,
        row: RowForm,
        *,
        platform_name: Callable[[str], str],
        english: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        from launcher.ui.table_window import ValueInput

        self.row = row
        self._name = platform_name
        self.english = english
        self.setObjectName("submitDialog")
        count = len(row.platforms)
        self.setWindowTitle(translate("SubmitDialog", "Fill once, submit to {count} platforms").format(count=count))
        self.setAccessibleName(self.windowTitle())

        title = plain_label(QLabel(self))
        title.setObjectName("submitTitle")
        title.setWordWrap(True)
        words = bounded(row.group.title, 120, lines=1)
        if row.group.subject:
            words += " · " + bounded(row.group.subject, 60, lines=1)
        title.setText(words)
        font = title.font()
        font.setBold(True)
        title.setFont(font)

        # Where the record goes, and how: through the platform's API, or its page in a tab.
        self.targets = plain_label(QLabel(self))
        self.targets.setObjectName("submitTargets")
        self.targets.setWordWrap(True)
        lines = []
        for platform_form in row.platforms:
            how = (translate("SubmitDialog", "submitted directly") if platform_form.api
                   else translate("SubmitDialog", "its form opens in a tab, filled in, for you to check and submit"))
            lines.append(f"{self._name(platform_form.platform.id)}：{how}")
        self.targets.setText("\n".join(lines))

        # The fields, by group (检查对象, 检查记录, 个人信息), in a scrolling area.
        self.inputs: dict[str, ValueInput] = {}
        body = QWidget(self)
        body.setObjectName("submitFields")
        column = QVBoxLayout(body)
        column.setContentsMargins(0, 0, 0, 0)
        groups: dict[str, list[FieldDef]] = {}
        for definition in row.fields:
            groups.setdefault(definition.group, []).append(definition)
        group_labels = _group_labels(english)
        for group, definitions in groups.items():
            box = QGroupBox(group_labels.get(group, group), body)
            box.setObjectName(f"group:{group}")
            form = QFormLayout(box)
            form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
            for definition in definitions:
                label = definition.label_en if english else definition.label
                if definition.key in row.required:
                    label += " *"
                value_input = ValueInput(definition, label, box)
                value_input.set_value(row.values.get(definition.key, ""))
                if value_input.line is not None:
                    # The dictionary's message as soon as the person leaves the field.
                    value_input.line.editingFinished.connect(
                        lambda v=value_input: self._check(v))
                caption = plain_label(QLabel(label, box))
                caption.setBuddy(value_input.edit)
                form.addRow(caption, value_input)
                self.inputs[definition.key] = value_input
            column.addWidget(box)
        column.addStretch(1)
        area = self.fields_area = QScrollArea(self)
        area.setWidgetResizable(True)
        area.setWidget(body)
        area.setAccessibleName(translate("SubmitDialog", "Fields of the record"))

        self.note = plain_label(QLabel(self))
        self.note.setObjectName("submitNote")
        self.note.setWordWrap(True)
        if row.required:
            self.note.setText(translate("SubmitDialog", "* a platform needs this value to take the record"))

        # Each platform's outcome, as it arrives.
        self.outcome_box = QGroupBox(translate("SubmitDialog", "Outcome"), self)
        self.outcome_box.setObjectName("submitOutcomes")
        outcome_layout = QVBoxLayout(self.outcome_box)
        self.outcome_labels: dict[str, QLabel] = {}
        for platform_form in row.platforms:
            line = plain_label(QLabel(self.outcome_box))
            line.setObjectName(f"outcome:{platform_form.platform.id}")
            line.setWordWrap(True)
            line.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByKeyboard
                                         | Qt.TextInteractionFlag.TextSelectableByMouse)
            outcome_layout.addWidget(line)
            self.outcome_labels[platform_form.platform.id] = line
        self.outcome_box.hide()

        buttons = self.buttons = QDialogButtonBox(self)
        self.submit_button = QPushButton(translate("SubmitDialog", "Submit"), self)
        self.submit_button.setObjectName("submitButton")
        self.submit_button.setDefault(True)
        self.submit_button.setAccessibleName(
            translate("SubmitDialog", "Submit to {count} platforms").format(count=count))
        buttons.addButton(self.submit_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.close_button = buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.close_button.setText(translate("SubmitDialog", "Close"))
        self.submit_button.clicked.connect(self._submit)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(self.targets)
        layout.addWidget(area, 1)
        layout.addWidget(self.note)
        layout.addWidget(self.outcome_box)
        layout.addWidget(buttons)
        self._fit()
        first = next(iter(self.inputs.values()), None)
        if first is not None:
            first.edit.setFocus()

    def _fit(self) -> None:
        screen = self.screen().availableGeometry() if self.screen() is not None else None
        if screen is not None:
            self.fit_to(screen.width(), screen.height())
        else:
            self.resize(PREFERRED_WIDTH, PREFERRED_HEIGHT)

    def fit_to(self, width: int, height: int) -> None:
        """At most ``width``×``height`` less a title bar and a margin (1366×768 at 150 % leaves
        911×464 above the task bar): the fields scroll, the buttons and outcomes stay."""
        self.resize(
            max(self.minimumSizeHint().width(), min(PREFERRED_WIDTH, width - 20)),
            max(self.minimumSizeHint().height(), min(PREFERRED_HEIGHT, height - TITLE_BAR - 20)),
        )

    # -- values ----------------------------------------------------------------------------------

    def values(self) -> dict[str, str]:
        return {key: value_input.value() for key, value_input in self.inputs.items()}

    def set_value(self, key: str, value: str) -> None:
        self.inputs[key].set_value(value)

    def show_problems(self, problems: Mapping[str, str]) -> None:
        """Each refused value's message under its field; the first such field gets the focus."""
        first: ValueInput | None = None
        for key, value_input in self.inputs.items():
            message = problems.get(key)
            value_input.set_error(message)
            if message and first is None:
                first = value_input
        if first is not None:
            self.fields_area.ensureWidgetVisible(first)
            first.edit.setFocus()

    @staticmethod
    def _check(value_input: ValueInput) -> None:
        value = value_input.value()
        value_input.set_error(value_input.definition.validate(value) if value.strip() else None)

    def _submit(self) -> None:
        self.show_problems({})
        self.submit_requested.emit(self.values())

    # -- while submitting ------------------------------------------------------------------------

    def set_busy(self, busy: bool) -> None:
        self.submit_button.setEnabled(not busy)
        self.fields_area.setEnabled(not busy)
        if busy:
            self.outcome_box.show()
            for platform_id, label in self.outcome_labels.items():
                submitting = translate("SubmitDialog", "Submitting…")
                label.setText(f"{self._name(platform_id)}：{submitting}")

    def say(self, text: str) -> None:
        self.outcome_box.show()
        self.note.setText(bounded(text, 400, lines=4))

    def show_outcome(self, outcome: PlatformOutcome) -> None:
        label = self.outcome_labels.get(outcome.platform_id)
        if label is None:
            return
        text = f"{self._name(outcome.platform_id)}：{state_text(outcome.state)}"
        if outcome.message:
            text += f"（{bounded(outcome.message, SHOWN_MESSAGE, lines=1)}）"
        label.setText(text)
        label.setProperty("state", outcome.state)
        label.setAccessibleName(text)

    def outcome_text(self, platform_id: str) -> str:
        label = self.outcome_labels.get(platform_id)
        return label.text() if label is not None else ""

    def finished_all(self, result: SubmitResult) -> None:
        self.submit_button.setEnabled(True)
        self.fields_area.setEnabled(True)
        failed = [o for o in result.outcomes if o.state == "failed"]
        self.submit_button.setText(translate("SubmitDialog", "Submit again") if failed else translate("SubmitDialog", "Submit"))
        self.close_button.setFocus()


def _group_labels(english: bool) -> dict[str, str]:
    try:
        from launcher.core.profile.fields import load_field_groups

        groups = load_field_groups()
    except Exception:  # the labels are only a heading
        return {}
    return {k: (g.label_en if english else g.label) for k, g in groups.items()}


# -- the controller ---------------------------------------------------------------------------------


class SubmitController(QObject):
    """Opens the dialog of a row (its values read on a worker), runs the submission on the
    workers, and hands the forms to open to ``open_form``."""

    finished = Signal(object)
    """The SubmitResult of a submission that ended."""
    message = Signal(str)
    """A sentence for the status bar."""

    def __init__(
        self,
        context: WindowContext,
        *,
        open_forms: Callable[[list[OpenForm]], None],
        dialog_parent: QWidget | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        from launcher.ui.executor import WorkersExecutor

        self._context = context
        self._open_forms = open_forms
        self._parent = dialog_parent
        self._executor = WorkersExecutor(context.workers, self)
        self.dialog: SubmitDialog | None = None
        self._use_case: Any = None

    def start(self, group: TaskGroup) -> None:
        """Open the one form of ``group`` (once its values are read)."""
        services = self._context.services
        if services is None:
            return
        from launcher.app.submit import SubmitToMany

        use_case = self._use_case = SubmitToMany(services, self._executor, self._context.events)
        self.message.emit(translate("SubmitDialog", "Reading the record…"))
        sub = services.profile.owner()

        def ready(row: RowForm) -> None:
            services_now = self._context.services
            if services_now is not services or services.profile.owner() != sub or not sub:
                return  # signed out (or another person) meanwhile
            self.message.emit("")
            self._show(row, use_case)

        def failed(exc: BaseException) -> None:
            log.warning("the one form could not be made: %s", type(exc).__name__)
            self.message.emit(translate("SubmitDialog", "The record could not be read: {error}").format(
                error=bounded(getattr(exc, "message", "") or type(exc).__name__, 200, lines=1)))

        use_case.prepare(group, ready, failed)

    def _show(self, row: RowForm, use_case: Any) -> None:
        if self.dialog is not None:
            self.dialog.close()
        dialog = self.dialog = SubmitDialog(
            row, platform_name=self._context.platform_name, english=self._context.english,
            parent=self._parent)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.destroyed.connect(lambda _=None: self._forget(dialog))
        dialog.submit_requested.connect(lambda values: self.submit(dialog, use_case, values))
        dialog.open()

    def _forget(self, dialog: SubmitDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None

    def clear(self) -> None:
        """Sign-out: the dialog (it shows the person's values) goes."""
        if self.dialog is not None:
            self.dialog.close()
            self.dialog = None

    def submit(self, dialog: SubmitDialog, use_case: Any, values: dict[str, str]) -> None:
        from launcher.app.submit import InvalidValues, open_forms

        row = dialog.row
        alive = {"dialog": True}
        dialog.destroyed.connect(lambda _=None: alive.update(dialog=False))

        def outcome(found: PlatformOutcome) -> None:
            if alive["dialog"]:
                dialog.show_outcome(found)

        def done(result: SubmitResult) -> None:
            if alive["dialog"]:
                dialog.finished_all(result)
            forms = open_forms(result.outcomes)
            if forms:
                self._open_forms(forms)
            self.finished.emit(result)

        def failed(exc: BaseException) -> None:
            if not alive["dialog"]:
                return
            dialog.set_busy(False)
            dialog.outcome_box.hide()
            if isinstance(exc, InvalidValues):
                dialog.show_problems(exc.problems)
                return
            log.warning("the record was not saved: %s", type(exc).__name__)
            key = getattr(exc, "key", "")
            message = getattr(exc, "message", "") or type(exc).__name__
            if key and key in dialog.inputs:
                dialog.show_problems({key: message})
            else:
                dialog.say(translate("SubmitDialog", "Nothing was sent: the record could not be saved ({error})")
                           .format(error=message))

        dialog.set_busy(True)
        started = use_case.submit(row, values, on_outcome=outcome, on_done=done,
                                  on_failed=failed)
        if not started:
            dialog.set_busy(False)


# -- the window's side --------------------------------------------------------------------------------


def open_forms_in_tabs(window: MainWindow, forms: list[OpenForm]) -> list[WebTab]:
    """Open each platform's form in a tab for its task's record, then pre-fill them one after the
    other (the preview shows one page at a time): ``FormFiller.prefill``."""
    tabs = [
        window.open_web(form.url, form.title, platform_id=form.platform_id,
                        fill_context=form.context)
        for form in forms
    ]
    pending = list(zip(tabs, forms, strict=True))

    def next_one(_outcome: object = None) -> None:
        while pending:
            tab, form = pending.pop(0)
            if tab not in window.web_tabs():
                continue  # closed meanwhile
            window.tabs.setCurrentWidget(tab)
            window.filler.prefill(tab, form.context, next_one)
            return

    next_one()
    return tabs


def install_submit(window: MainWindow) -> SubmitController:
    """一次填报 in ``window``: the inbox's 一次填报 (button, Ctrl+E, the row's menu) opens the
    row's form; platforms without an API get their forms opened in tabs, pre-filled. Call it
    once, where the window wires its parts (after ``FormFiller`` exists)."""
    controller = SubmitController(
        window.context,
        open_forms=lambda forms: _ignore(open_forms_in_tabs(window, forms)),
        dialog_parent=window,
        parent=window,
    )
    window.inbox.submit_requested.connect(controller.start)
    controller.message.connect(
        lambda text: window.statusBar().showMessage(text, 20000) if text
        else window.statusBar().clearMessage())
    window.signed_out.connect(controller.clear)
    return controller


def _ignore(_value: object) -> None:
    pass
