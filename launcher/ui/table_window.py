"""The one table (一张表) beyond the person's own details: the subjects of their work (户, 人, 场所,
单位) and the records about them (检查记录), each kind in a tab beside 我的信息 (the profile form,
launcher/ui/profile_form.py, which puts these tabs beside its own).

Each kind's tab lists what is kept (searchable; sensitive values masked), edits one entry with the
field dictionary's widgets (text, long text, ID number, credit code, phone, date, integer, choice,
yes/no, a file) and its messages under each field, deletes, imports a spreadsheet (.xlsx / .csv:
every row or none, the problems listed per row) and exports one. A record shows its versions (when,
and which fields changed: never the values of sensitive ones) and its outcome on each platform.

Everything read or written goes through the signed-in person's ``PersonRecords``
(``services.records``) on the window's workers: the GUI thread never touches the disk or the
keyring. Values are shown as plain text; an answer that comes back after the person signed out
(or someone else signed in) is dropped.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import pairwise
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from launcher.ui.plain_text import bounded, plain_label, plain_message_box, tooltip

if TYPE_CHECKING:
    from launcher.app.services import Services
    from launcher.core.profile.fields import FieldDef
    from launcher.ui.window_context import WindowContext

translate = QCoreApplication.translate


SUBJECT_KINDS = ("household", "resident", "place", "organisation")
RECORD_KINDS = ("inspection",)
LIST_COLUMNS = 3
"""Fields shown in a kind's list besides the subject (for records): the first ones of its group."""
MASK = "••••"
SHOWN_CELL = 80
"""A value in a list cell is cut after this many characters."""
SHOWN_ERRORS = 500
"""An import's problems listed in its result dialog at most (the rest counted)."""


def tab_title(kind: str) -> str:
    """A kind's tab, in the interface language."""
    titles = {
        "household": translate("TableWindow", "Households"),
        "resident": translate("TableWindow", "Residents"),
        "place": translate("TableWindow", "Places"),
        "organisation": translate("TableWindow", "Organisations"),
        "inspection": translate("TableWindow", "Inspections"),
    }
    return titles.get(kind, kind)


def kind_title(kind: str, groups: dict[str, Any], english: bool) -> str:
    """A kind's tab: the launcher's word for the kinds it knows, else its dictionary group's."""
    group = groups.get(kind)
    if kind in (*SUBJECT_KINDS, *RECORD_KINDS) or group is None:
        return tab_title(kind)
    return str(group.label_en if english else group.label)


def masked(value: str) -> str:
    """A sensitive value as a list shows it: its last four characters at most."""
    value = value.strip()
    return MASK + value[-4:] if len(value) > 8 else MASK if value else ""


def when(at: str) -> str:
    """An ISO 8601 time as the person reads it: local time to the minute."""
    if not at:
        return ""
    try:
        moment = datetime.fromisoformat(at.replace("Z", "+00:00"))
    except ValueError:
        return bounded(at, 32, lines=1)
    if moment.tzinfo is not None:
        moment = moment.astimezone()
    return moment.strftime("%Y-%m-%d %H:%M")


def shown(definition: FieldDef | None, value: str) -> str:
    """A stored value as people read it (a choice's text, 是/否), plain and bounded."""
    display = getattr(definition, "display", None)
    text = display(value) if callable(display) else value
    return bounded(text, SHOWN_CELL, lines=1)


def label_of(definition: FieldDef, english: bool) -> str:
    return definition.label_en if english else definition.label


# -- one value ------------------------------------------------------------------------------------


class ValueInput(QWidget):
    """One field of the dictionary edited with the widget its kind needs, and its error line."""

    def __init__(self, definition: FieldDef, label: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.definition = definition
        self.label = label
        kind = definition.kind
        self.extra: list[QWidget] = []
        """Buttons beside the input (show, today, choose a file), in Tab order."""
        self.combo: QComboBox | None = None
        self.text_box: QPlainTextEdit | None = None
        self.line: QLineEdit | None = None
        self.toggle: QToolButton | None = None
        self.edit: QWidget
        if kind in ("choice", "bool"):
            combo = self.combo = QComboBox(self)
            combo.addItem(translate("TableWindow", "(not set)"), "")
            if kind == "bool":
                combo.addItem(translate("TableWindow", "Yes"), "true")
                combo.addItem(translate("TableWindow", "No"), "false")
            else:
                for choice in getattr(definition, "choices", ()):
                    combo.addItem(bounded(choice.text, SHOWN_CELL, lines=1), choice.code)
            self.edit = combo
        elif kind == "long_text":
            box = self.text_box = QPlainTextEdit(self)
            box.setTabChangesFocus(True)
            box.setMaximumHeight(90)
            self.edit = box
        else:
            line = self.line = QLineEdit(self)
            self.edit = line
            if kind == "date":
                line.setPlaceholderText("YYYY-MM-DD")
                today = QToolButton(self)
                today.setText(translate("TableWindow", "Today"))
                today.setAccessibleName(
                    translate("TableWindow", "Today: {field}").format(field=label)
                )
                today.clicked.connect(lambda: line.setText(date.today().isoformat()))
                self.extra.append(today)
            elif kind == "file":
                choose = QToolButton(self)
                choose.setText(translate("TableWindow", "Choose…"))
                choose.setAccessibleName(
                    translate("TableWindow", "Choose a file: {field}").format(field=label)
                )
                choose.clicked.connect(self._choose_file)
                self.extra.append(choose)
            if definition.sensitive:
                line.setEchoMode(QLineEdit.EchoMode.Password)
                toggle = QToolButton(self)
                toggle.setText(translate("TableWindow", "Show"))
                toggle.setCheckable(True)
                toggle.setAccessibleName(
                    translate("TableWindow", "Show {field}").format(field=label)
                )
                toggle.toggled.connect(self._reveal)
                self.toggle = toggle
                self.extra.append(toggle)
        self.edit.setObjectName(f"field:{definition.key}")
        self.edit.setAccessibleName(label)
        if definition.help:
            if self.line is not None:
                self.line.setPlaceholderText(definition.help)
            self.edit.setToolTip(tooltip(definition.help))
            self.edit.setAccessibleDescription(definition.help)
        self.error = plain_label(QLabel(self))
        self.error.setObjectName("fieldError")
        self.error.setWordWrap(True)
        self.error.hide()
        row = QHBoxLayout()
        row.setSpacing(6)
        row.addWidget(self.edit, 1)
        for button in self.extra:
            row.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(row)
        layout.addWidget(self.error)

    def stops(self) -> list[QWidget]:
        """This field's controls in Tab order."""
        return [self.edit, *self.extra]

    def _reveal(self, shown_now: bool) -> None:
        if self.line is not None:
            mode = QLineEdit.EchoMode.Normal if shown_now else QLineEdit.EchoMode.Password
            self.line.setEchoMode(mode)
        if self.toggle is not None:
            self.toggle.setText(
                translate("TableWindow", "Hide") if shown_now else translate("TableWindow", "Show")
            )

    def _choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, translate("TableWindow", "Choose a file"))
        if path and self.line is not None:
            self.line.setText(path)

    def value(self) -> str:
        if self.combo is not None:
            return str(self.combo.currentData() or "")
        if self.text_box is not None:
            return self.text_box.toPlainText()
        assert self.line is not None
        return self.line.text()

    def set_value(self, value: str) -> None:
        if self.combo is not None:
            index = self.combo.findData(value)
            if index < 0 and value:
                # A stored value the dictionary does not list (an import, an older dictionary):
                # shown as it is, so saving keeps it rather than clearing it.
                self.combo.addItem(bounded(value, SHOWN_CELL, lines=1), value)
                index = self.combo.count() - 1
            self.combo.setCurrentIndex(max(index, 0))
        elif self.text_box is not None:
            self.text_box.setPlainText(value)
        else:
            assert self.line is not None
            self.line.setText(value)

    def clear(self) -> None:
        if self.toggle is not None:
            self.toggle.setChecked(False)
        self.set_value("")
        self.set_error(None)

    def set_error(self, message: str | None) -> None:
        self.error.setText(message or "")
        self.error.setVisible(bool(message))
        self.edit.setProperty("invalid", bool(message))
        self.edit.style().unpolish(self.edit)
        self.edit.style().polish(self.edit)
        self.edit.setAccessibleDescription(message or self.definition.help)


# -- a kind's tab ---------------------------------------------------------------------------------


@dataclass
class _Listed:
    """What a kind's tab shows, read in one go for one person."""

    owner: str
    items: list[Any] = field(default_factory=list)
    """Subjects, or records (for a record kind)."""
    subjects: list[Any] = field(default_factory=list)
    """For a record kind: the subjects a record may be about."""


@dataclass
class _Details:
    """A record's history and outcomes."""

    record_id: str
    versions: list[Any]
    outcomes: dict[str, Any]


class KindPanel(QWidget):
    """One kind's tab: its searchable list, the editor of the entry chosen, import and export."""

    saved = Signal(str)
    """An entry was saved (its id)."""
    values_changed = Signal(dict, str, str)
    """A subject's values changed: (key -> OLD value, owner, subject id), for the changed-values
    check (launcher/app/changed_values.py). Old values only live in the signal's call."""
    status_changed = Signal(str)
    """The last thing the tab said (its status line)."""
    import_finished = Signal(object)
    """An import's result (whatever the table use case returned, or the exception)."""
    export_finished = Signal(str)
    """An export was written: what the tab then says."""

    def __init__(
        self,
        context: WindowContext,
        kind: str,
        fields: dict[str, FieldDef],
        *,
        record: bool,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName(f"table:{kind}")
        self._context = context
        self.kind = kind
        self.record = record
        self.fields = fields
        self.english = context.english
        self.items: list[Any] = []
        self.subjects: list[Any] = []
        self.owner = ""
        self.current_id: str | None = None
        self._stored: dict[str, str] = {}
        self._generation = 0
        """Counts list loads and clears: a list read before a later one (or a clear) is dropped."""
        self._session = 0
        """Counts the people the tab shows: an answer to an edit, import or export made for
        someone who left by then (a sign-out, another person) is dropped."""
        self.result_dialog: ImportResultDialog | None = None
        title = tab_title(kind)

        self.search = QLineEdit(self)
        self.search.setObjectName("tableSearch")
        self.search.setPlaceholderText(translate("TableWindow", "Search…"))
        self.search.setAccessibleName(translate("TableWindow", "Search {kind}").format(kind=title))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(lambda _text: self._fill_list())
        self.new_button = QPushButton(translate("TableWindow", "New"), self)
        self.new_button.setAccessibleName(
            translate("TableWindow", "New entry in {kind}").format(kind=title)
        )
        self.new_button.clicked.connect(self.new_entry)
        self.import_button = QPushButton(translate("TableWindow", "Import…"), self)
        self.import_button.setAccessibleName(
            translate("TableWindow", "Import {kind} from a spreadsheet").format(kind=title)
        )
        self.import_button.clicked.connect(self.choose_import)
        self.export_button = QPushButton(translate("TableWindow", "Export…"), self)
        self.export_button.setAccessibleName(
            translate("TableWindow", "Export {kind} to a spreadsheet").format(kind=title)
        )
        self.export_button.clicked.connect(self.choose_export)
        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        for button in (self.new_button, self.import_button, self.export_button):
            top.addWidget(button)

        self.list_fields = [k for k in fields if fields[k].kind != "file"][:LIST_COLUMNS]
        headers = ([translate("TableWindow", "About")] if record else []) + [
            label_of(fields[k], self.english) for k in self.list_fields
        ]
        table = self.table = QTableWidget(0, len(headers), self)
        table.setObjectName("tableList")
        table.setAccessibleName(translate("TableWindow", "{kind} list").format(kind=title))
        table.setHorizontalHeaderLabels(headers)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setTabKeyNavigation(False)
        table.verticalHeader().hide()
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        table.itemSelectionChanged.connect(self._selection_changed)

        # The editor: the subject (for a record), the fields, then history and outcomes.
        editor = QWidget(self)
        column = QVBoxLayout(editor)
        column.setContentsMargins(0, 0, 0, 0)
        self.heading = plain_label(QLabel(editor))
        self.heading.setObjectName("tableHeading")
        column.addWidget(self.heading)
        form_box = QWidget(editor)
        form = QFormLayout(form_box)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        self.subject_combo: QComboBox | None = None
        if record:
            combo = self.subject_combo = QComboBox(form_box)
            combo.setObjectName("recordSubject")
            combo.setAccessibleName(translate("TableWindow", "About (household, place…)"))
            about = QLabel(translate("TableWindow", "About:"), form_box)
            about.setBuddy(combo)
            form.addRow(about, combo)
        self.inputs: dict[str, ValueInput] = {}
        for key, definition in fields.items():
            text = label_of(definition, self.english)
            value_input = ValueInput(definition, text, form_box)
            label = QLabel(text + translate("TableWindow", ":"), form_box)
            label.setBuddy(value_input.edit)
            form.addRow(label, value_input)
            self.inputs[key] = value_input
        column.addWidget(form_box)
        self.outcomes: QTableWidget | None = None
        # Every entry keeps its versions (a household's new phone, a record corrected).
        history_box = QGroupBox(translate("TableWindow", "History"), editor)
        history = self.history = self._details_table(
            history_box,
            [
                translate("TableWindow", "Version"),
                translate("TableWindow", "Time"),
                translate("TableWindow", "What changed"),
            ],
            translate("TableWindow", "History of the record"),
        )
        QVBoxLayout(history_box).addWidget(history)
        column.addWidget(history_box)
        if record:
            outcome_box = QGroupBox(translate("TableWindow", "On each platform"), editor)
            outcomes = self.outcomes = self._details_table(
                outcome_box,
                [
                    translate("TableWindow", "Platform"),
                    translate("TableWindow", "Outcome"),
                    translate("TableWindow", "Time"),
                    translate("TableWindow", "Message"),
                ],
                translate("TableWindow", "Outcome on each platform"),
            )
            QVBoxLayout(outcome_box).addWidget(outcomes)
            column.addWidget(outcome_box)
        column.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(editor)
        self.editor = editor

        self.status = plain_label(QLabel(self))
        self.status.setObjectName("tableStatus")
        self.status.setWordWrap(True)
        self.status.setAccessibleName(translate("TableWindow", "Status"))
        self.delete_button = QPushButton(translate("TableWindow", "Delete"), self)
        self.delete_button.setAccessibleName(translate("TableWindow", "Delete this entry"))
        self.delete_button.clicked.connect(self.confirm_delete)
        self.revert_button = QPushButton(translate("TableWindow", "Undo changes"), self)
        self.revert_button.clicked.connect(self.revert)
        self.save_button = QPushButton(translate("TableWindow", "Save"), self)
        self.save_button.setObjectName("tableSave")
        self.save_button.setAccessibleName(translate("TableWindow", "Save this entry"))
        self.save_button.clicked.connect(self.save)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        for button in (self.delete_button, self.revert_button, self.save_button):
            buttons.addWidget(button)
        right = QWidget(self)
        right_column = QVBoxLayout(right)
        right_column.setContentsMargins(0, 0, 0, 0)
        right_column.addWidget(scroll, 1)
        right_column.addLayout(buttons)

        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(table)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)

        chain: list[QWidget] = [
            self.search,
            self.new_button,
            self.import_button,
            self.export_button,
            table,
        ]
        if self.subject_combo is not None:
            chain.append(self.subject_combo)
        for value_input in self.inputs.values():
            chain += value_input.stops()
        chain += [w for w in (self.history, self.outcomes) if w is not None]
        chain += [self.delete_button, self.revert_button, self.save_button]
        for first, second in pairwise(chain):
            QWidget.setTabOrder(first, second)
        self._set_enabled(False)

    @staticmethod
    def _details_table(parent: QWidget, headers: list[str], name: str) -> QTableWidget:
        table = QTableWidget(0, len(headers), parent)
        table.setHorizontalHeaderLabels(headers)
        table.setAccessibleName(name)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setTabKeyNavigation(False)
        table.verticalHeader().hide()
        table.horizontalHeader().setStretchLastSection(True)
        table.setMinimumHeight(90)
        table.setMaximumHeight(160)
        return table

    # -- the person -------------------------------------------------------------------------------

    @property
    def services(self) -> Services | None:
        return self._context.services

    def _records(self) -> Any:
        services = self.services
        return getattr(services, "records", None) if services is not None else None

    def clear(self) -> None:
        """Nobody is signed in: nothing listed, nothing in the editor."""
        self._generation += 1
        self._session += 1
        self.owner = ""
        self.items, self.subjects = [], []
        self.current_id = None
        self._stored = {}
        self.table.setRowCount(0)
        self._clear_editor()
        self._set_enabled(False)
        self._say(translate("TableWindow", "Sign in to see and edit the table."))

    def reload(self, select: str | None = None) -> None:
        """List what the signed-in person keeps of this kind (emptied at once, filled when read);
        ``select``: the entry to show once listed."""
        records = self._records()
        if records is None:
            self.clear()
            return
        self._generation += 1
        generation = self._generation
        kind, record = self.kind, self.record

        def work() -> _Listed:
            owner = records.owner()
            if not owner:
                return _Listed("")
            if record:
                return _Listed(owner, records.records(kind=kind), records.subjects())
            return _Listed(owner, records.subjects(kind))

        self._say(translate("TableWindow", "Loading…"))
        self._context.workers.submit(
            f"list {kind}",
            work,
            lambda listed: self._listed(listed, generation, select),
            lambda exc: self._failed(exc, generation),
        )

    def _listed(self, listed: _Listed, generation: int, select: str | None) -> None:
        if generation != self._generation:
            return
        if listed.owner != self.owner:
            self.current_id = None
            self._session += 1
        self.owner = listed.owner
        if not listed.owner:
            self.clear()
            return
        self.items, self.subjects = listed.items, listed.subjects
        self._fill_subjects()
        self._set_enabled(True)
        self._fill_list()
        self._say(translate("TableWindow", "{count} entries.").format(count=len(self.items)))
        wanted = select if select is not None else self.current_id
        if wanted is not None and self._select(wanted):
            return
        self.new_entry(focus=False)

    def _failed(self, exc: BaseException, generation: int) -> None:
        if generation == self._generation:
            self._say(translate("TableWindow", "Failed: {error}").format(error=_message(exc)))

    def _op_failed(self, exc: BaseException, session: int) -> None:
        if session == self._session:
            self._say(translate("TableWindow", "Failed: {error}").format(error=_message(exc)))

    def _set_enabled(self, enabled: bool) -> None:
        for widget in (
            self.search,
            self.new_button,
            self.import_button,
            self.export_button,
            self.table,
            self.editor,
            self.save_button,
            self.revert_button,
        ):
            widget.setEnabled(enabled)
        self.delete_button.setEnabled(enabled and self.current_id is not None)

    def _say(self, text: str) -> None:
        self.status.setText(text)
        self.status_changed.emit(text)

    # -- the list ---------------------------------------------------------------------------------

    def _subject_name(self, subject_id: str | None) -> str:
        subject = next((s for s in self.subjects if s.id == subject_id), None)
        return _name(subject) if subject is not None else ""

    def _row_texts(self, item: Any) -> list[str]:
        texts = [self._subject_name(item.subject_id)] if self.record else []
        for key in self.list_fields:
            value = item.values.get(key, "")
            definition = self.fields[key]
            texts.append(masked(value) if definition.sensitive else shown(definition, value))
        return texts

    def _matches(self, item: Any, words: list[str]) -> bool:
        if not words:
            return True
        haystack = " ".join(
            [self._subject_name(getattr(item, "subject_id", None)), _name(item)]
            + [shown(self.fields.get(k), v) for k, v in item.values.items()]
        ).casefold()
        return all(word in haystack for word in words)

    def _fill_list(self) -> None:
        words = self.search.text().casefold().split()
        shown_items = [item for item in self.items if self._matches(item, words)]
        table = self.table
        table.blockSignals(True)
        table.setRowCount(len(shown_items))
        for row, item in enumerate(shown_items):
            for column, text in enumerate(self._row_texts(item)):
                cell = QTableWidgetItem(text)
                cell.setData(Qt.ItemDataRole.UserRole, item.id)
                table.setItem(row, column, cell)
        table.blockSignals(False)
        self._mark_current()

    def _mark_current(self) -> None:
        table = self.table
        table.blockSignals(True)
        table.clearSelection()
        for row in range(table.rowCount()):
            cell = table.item(row, 0)
            if cell is not None and cell.data(Qt.ItemDataRole.UserRole) == self.current_id:
                table.selectRow(row)
                break
        table.blockSignals(False)

    def listed_ids(self) -> list[str]:
        """The ids of the rows the list shows now (search applied), in order."""
        ids = []
        for row in range(self.table.rowCount()):
            cell = self.table.item(row, 0)
            if cell is not None:
                ids.append(str(cell.data(Qt.ItemDataRole.UserRole)))
        return ids

    def _selection_changed(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return
        cell = self.table.item(rows[0].row(), 0)
        if cell is not None:
            self._select(str(cell.data(Qt.ItemDataRole.UserRole)))

    def _fill_subjects(self) -> None:
        combo = self.subject_combo
        if combo is None:
            return
        current = combo.currentData()
        combo.clear()
        combo.addItem(translate("TableWindow", "(none)"), "")
        for subject in self.subjects:
            kind = tab_title(subject.kind)
            combo.addItem(f"{bounded(_name(subject), 40, lines=1)}（{kind}）", subject.id)
        index = combo.findData(current)
        combo.setCurrentIndex(max(index, 0))

    # -- the editor -------------------------------------------------------------------------------

    def _clear_editor(self) -> None:
        for value_input in self.inputs.values():
            value_input.clear()
        if self.subject_combo is not None:
            self.subject_combo.setCurrentIndex(0)
        for table in (self.history, self.outcomes):
            if table is not None:
                table.setRowCount(0)
        self.heading.clear()

    def _select(self, item_id: str) -> bool:
        item = next((i for i in self.items if i.id == item_id), None)
        if item is None:
            return False
        self.current_id = item.id
        self._stored = dict(item.values)
        self._clear_editor()
        for key, value_input in self.inputs.items():
            value_input.set_value(item.values.get(key, ""))
        if self.subject_combo is not None:
            index = self.subject_combo.findData(item.subject_id or "")
            self.subject_combo.setCurrentIndex(max(index, 0))
        self.heading.setText(
            bounded(_name(item), 80, lines=1) or translate("TableWindow", "(no name)")
        )
        self.delete_button.setEnabled(True)
        self._mark_current()
        self._load_details(item)
        return True

    def new_entry(self, *, focus: bool = True) -> None:
        """An empty editor: Save adds a new entry."""
        self.current_id = None
        self._stored = {}
        self._clear_editor()
        self.heading.setText(translate("TableWindow", "New entry"))
        self.delete_button.setEnabled(False)
        self._mark_current()
        if focus and self.inputs:
            next(iter(self.inputs.values())).edit.setFocus()

    def revert(self) -> None:
        if self.current_id is not None and self._select(self.current_id):
            return
        self.new_entry()

    def editor_values(self) -> dict[str, str]:
        return {key: value_input.value() for key, value_input in self.inputs.items()}

    def set_values(self, values: dict[str, str]) -> None:
        """Put values into the editor (as a person typing them would); Save stores them."""
        for key, value in values.items():
            self.inputs[key].set_value(value)

    def changes(self) -> dict[str, str]:
        """The editor's values that differ from what is stored (all of them for a new entry)."""
        return {
            key: value
            for key, value in self.editor_values().items()
            if value.strip() != self._stored.get(key, "").strip()
        }

    def save(self) -> None:
        records, services = self._records(), self.services
        owner, generation = self.owner, self._session
        if records is None or services is None or not owner:
            self._say(translate("TableWindow", "Sign in to see and edit the table."))
            return
        values = self.editor_values()
        errors: dict[str, str] = {}
        for key, value in values.items():
            definition = self.fields[key]
            problem = definition.validate(value)
            self.inputs[key].set_error(problem)
            if problem:
                errors[key] = problem
        if errors:
            self._say(
                translate("TableWindow", "{count} value(s) need correcting.").format(
                    count=len(errors)
                )
            )
            self.inputs[next(iter(errors))].edit.setFocus()
            return
        if not any(v.strip() for v in values.values()):
            self._say(translate("TableWindow", "Enter at least one value."))
            return
        values = {k: self.fields[k].normalize(v) for k, v in values.items()}
        item_id, kind, record = self.current_id, self.kind, self.record
        subject_id = (
            str(self.subject_combo.currentData() or "") or None
            if self.subject_combo is not None
            else None
        )
        before = dict(self._stored)

        def work() -> Any:
            from launcher.app import table

            if record:
                keep_tasks: tuple[str, ...] = ()
                if item_id is not None:
                    old = records.record(item_id)
                    keep_tasks = tuple(old.tasks) if old is not None else ()
                return table.save_record(
                    services,
                    kind,
                    values,
                    subject_id=subject_id,
                    record_id=item_id,
                    tasks=keep_tasks,
                    owner=owner,
                )
            return table.save_subject(services, kind, values, subject_id=item_id, owner=owner)

        def returned(saved: Any) -> None:
            if generation != self._session:
                return
            self._say(translate("TableWindow", "Saved."))
            if not record and item_id is not None:
                from launcher.app.changed_values import changed_keys

                old = changed_keys(before, saved.values)
                if old:
                    self.values_changed.emit(old, owner, saved.id)
            self.current_id, self._stored = saved.id, dict(saved.values)
            self.saved.emit(saved.id)
            self.reload(select=saved.id)

        def errored(exc: BaseException) -> None:
            if generation != self._session:
                return
            key = getattr(exc, "key", "")
            if key in self.inputs:
                self.inputs[key].set_error(_message(exc))
            self._say(translate("TableWindow", "Not saved: {error}").format(error=_message(exc)))

        self.save_button.setEnabled(False)
        self._say(translate("TableWindow", "Saving…"))
        job = self._context.workers.submit(f"save {kind}", work, returned, errored)
        job.finished.connect(lambda: self.save_button.setEnabled(bool(self.owner)))

    def confirm_delete(self) -> None:
        item = next((i for i in self.items if i.id == self.current_id), None)
        if item is None:
            return
        box = plain_message_box(QMessageBox(self))
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(translate("TableWindow", "Delete"))
        box.setText(
            translate("TableWindow", "Delete “{name}”? This cannot be undone.").format(
                name=bounded(_name(item), 60, lines=1) or translate("TableWindow", "(no name)")
            )
        )
        box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
        box.setDefaultButton(QMessageBox.StandardButton.No)
        box.setWindowModality(Qt.WindowModality.WindowModal)
        item_id = item.id

        def answered(_result: int) -> None:
            if box.standardButton(box.clickedButton()) == QMessageBox.StandardButton.Yes:
                self.delete(item_id)

        box.finished.connect(answered)
        self.delete_box = box
        box.open()

    def delete(self, item_id: str) -> None:
        services = self.services
        owner, generation, record = self.owner, self._session, self.record
        if services is None or self._records() is None or not owner:
            return

        def work() -> None:
            from launcher.app import table

            if record:
                table.delete_record(services, item_id, owner=owner)
            else:
                table.delete_subject(services, item_id, owner=owner)

        def returned(_none: object) -> None:
            if generation != self._session:
                return
            self.current_id = None
            self._say(translate("TableWindow", "Deleted."))
            self.reload()

        self._context.workers.submit(
            f"delete {self.kind}", work, returned, lambda exc: self._op_failed(exc, generation)
        )

    def _load_details(self, item: Any) -> None:
        records = self._records()
        if records is None:
            return
        generation, record_id = self._session, item.id

        def work() -> _Details:
            return _Details(
                record_id, records.history(record_id), dict(getattr(item, "outcomes", {}))
            )

        def returned(details: _Details) -> None:
            if generation == self._session and details.record_id == self.current_id:
                self._show_details(details)

        self._context.workers.submit(
            "record history", work, returned, lambda exc: self._op_failed(exc, generation)
        )

    def _show_details(self, details: _Details) -> None:
        history, outcomes = self.history, self.outcomes
        versions = sorted(details.versions, key=lambda v: v.version, reverse=True)
        history.setRowCount(len(versions))
        for row, version in enumerate(versions):
            older = next((v for v in versions if v.version < version.version), None)
            texts = [str(version.version), when(version.at), self._what_changed(older, version)]
            for column, text in enumerate(texts):
                history.setItem(row, column, QTableWidgetItem(text))
        if outcomes is None:
            return
        outcomes.setRowCount(len(details.outcomes))
        for row, (platform_id, outcome) in enumerate(sorted(details.outcomes.items())):
            texts = [
                self._context.platform_name(platform_id),
                outcome_text(str(getattr(outcome, "state", ""))),
                when(getattr(outcome, "at", "")),
                bounded(getattr(outcome, "message", ""), 200, lines=1),
            ]
            for column, text in enumerate(texts):
                cell = QTableWidgetItem(text)
                if column == 3 and texts[3]:
                    cell.setToolTip(tooltip(getattr(outcome, "message", "")))
                outcomes.setItem(row, column, cell)

    def _what_changed(self, older: Any, version: Any) -> str:
        """The fields a version changed, by label (never their values)."""
        if older is None:
            return translate("TableWindow", "Created")
        keys = sorted(
            set(older.values) | set(version.values),
            key=lambda k: list(self.fields).index(k) if k in self.fields else 999,
        )
        changed = [k for k in keys if older.values.get(k, "") != version.values.get(k, "")]
        if not changed:
            return translate("TableWindow", "No change")
        labels = [
            label_of(self.fields[k], self.english) if k in self.fields else k for k in changed
        ]
        return bounded(translate("TableWindow", ", ").join(labels), 200, lines=1)

    # -- import and export ------------------------------------------------------------------------

    def choose_import(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            translate("TableWindow", "Import a spreadsheet"),
            "",
            translate("TableWindow", "Spreadsheets (*.xlsx *.csv)"),
        )
        if path:
            self.import_file(path)

    def import_file(self, path: str) -> None:
        """Import ``path`` (.xlsx or .csv): every row or none; the result dialog says which rows
        had problems."""
        services = self.services
        owner, generation, kind = self.owner, self._session, self.kind
        if services is None or not owner:
            return

        def work() -> Any:
            return _import_sheet(services, path, kind, owner)

        def returned(result: Any) -> None:
            if generation != self._session:
                return
            self._show_import(result)
            self.import_finished.emit(result)
            self.reload()

        def errored(exc: BaseException) -> None:
            if generation != self._session:
                return
            self._say(translate("TableWindow", "Not imported: {error}").format(error=_message(exc)))
            self._show_import(exc)
            self.import_finished.emit(exc)

        self._say(translate("TableWindow", "Importing…"))
        self.import_button.setEnabled(False)
        job = self._context.workers.submit(f"import {kind}", work, returned, errored)
        job.finished.connect(lambda: self.import_button.setEnabled(bool(self.owner)))

    def _show_import(self, result: Any) -> None:
        if self.result_dialog is not None:
            self.result_dialog.close()
        dialog = self.result_dialog = ImportResultDialog(result, self.fields, self.english, self)
        dialog.open()

    def choose_export(self) -> None:
        name = f"{tab_title(self.kind)}.xlsx"
        path, _ = QFileDialog.getSaveFileName(
            self,
            translate("TableWindow", "Export to a spreadsheet"),
            name,
            translate("TableWindow", "Spreadsheets (*.xlsx *.csv)"),
        )
        if path:
            self.export_file(path)

    def export_file(self, path: str) -> None:
        services = self.services
        owner, generation, kind = self.owner, self._session, self.kind
        if services is None or not owner:
            return

        def work() -> Any:
            return _export_sheet(services, path, kind, owner)

        sensitive = [
            self.fields[k].label_en if self.english else self.fields[k].label
            for k in self.fields
            if self.fields[k].sensitive
        ]

        def returned(_result: Any) -> None:
            if generation != self._session:
                return
            said = translate("TableWindow", "Exported to {path}.").format(
                path=bounded(path, 200, lines=1)
            )
            if sensitive:
                # The file is the person's own ledger, in clear: they must know it.
                said += " " + translate(
                    "TableWindow",
                    "The file holds {fields} in clear: keep it safe and delete it when done.",
                ).format(fields=("、" if not self.english else ", ").join(sensitive[:4]))
            self.export_finished.emit(said)
            self._say(said)

        self._say(translate("TableWindow", "Exporting…"))
        self._context.workers.submit(
            f"export {kind}", work, returned, lambda exc: self._op_failed(exc, generation)
        )


def outcome_text(state: str) -> str:
    return {
        "submitted": translate("TableWindow", "Submitted"),
        "review": translate("TableWindow", "Waiting for you to submit on the page"),
        "failed": translate("TableWindow", "Failed"),
    }.get(state, bounded(state, 40, lines=1))


def _name(item: Any) -> str:
    name = getattr(item, "name", "")
    if isinstance(name, str) and name:
        return name
    values = getattr(item, "values", {}) or {}
    return next((v for v in values.values() if v), "")


def _message(exc: BaseException) -> str:
    message = getattr(exc, "message", None)
    return bounded(message if isinstance(message, str) and message else str(exc), 300)


def _import_sheet(services: Services, path: str, kind: str, owner: str) -> Any:
    """Import through the table use case (launcher/app/table.py): every row or none."""
    from pathlib import Path

    from launcher.app.table import import_table

    return import_table(services, Path(path), kind, owner=owner)


def _export_sheet(services: Services, path: str, kind: str, owner: str) -> Any:
    from pathlib import Path

    from launcher.app.table import export_table

    if services.records.owner() != owner:
        raise RuntimeError(
            translate("TableWindow", "Someone else signed in: nothing was exported.")
        )
    return export_table(services, Path(path), kind)


# -- an import's result ---------------------------------------------------------------------------


class ImportResultDialog(QDialog):
    """What an import did: how many rows came in, or, when any row had a problem, each problem
    (row, column, message) and that nothing was imported."""

    def __init__(
        self, result: Any, fields: dict[str, FieldDef], english: bool, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("importResult")
        self.setWindowTitle(translate("TableWindow", "Import"))
        self.errors = list(_errors_of(result))
        summary = self.summary = plain_label(QLabel(self))
        summary.setObjectName("importSummary")
        summary.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(summary)
        self.table: QTableWidget | None = None
        if isinstance(result, BaseException) and not self.errors:
            summary.setText(
                translate("TableWindow", "Nothing was imported: {error}").format(
                    error=_message(result)
                )
            )
        elif self.errors:
            total = max(int(getattr(result, "error_count", 0) or 0), len(self.errors))
            summary.setText(
                translate(
                    "TableWindow",
                    "Nothing was imported: {count} problem(s) in the spreadsheet. Correct them "
                    "and import it again.",
                ).format(count=total)
            )
            by_label = {f.label: f for f in fields.values()}
            table = self.table = QTableWidget(min(len(self.errors), SHOWN_ERRORS), 3, self)
            table.setObjectName("importErrors")
            table.setAccessibleName(translate("TableWindow", "Problems per row"))
            table.setHorizontalHeaderLabels(
                [
                    translate("TableWindow", "Row"),
                    translate("TableWindow", "Column"),
                    translate("TableWindow", "Problem"),
                ]
            )
            table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
            table.setTabKeyNavigation(False)
            table.verticalHeader().hide()
            table.horizontalHeader().setStretchLastSection(True)
            for row, error in enumerate(self.errors[:SHOWN_ERRORS]):
                column = str(getattr(error, "column", ""))
                definition = fields.get(column) or by_label.get(column)
                column_text = (
                    label_of(definition, english)
                    if definition
                    else column or translate("TableWindow", "(whole row)")
                )
                texts = [
                    str(getattr(error, "row", "")),
                    bounded(column_text, 60, lines=1),
                    bounded(getattr(error, "message", ""), 300, lines=2),
                ]
                for index, text in enumerate(texts):
                    table.setItem(row, index, QTableWidgetItem(text))
            layout.addWidget(table, 1)
            shown_count = min(len(self.errors), SHOWN_ERRORS)
            if total > shown_count:
                more = QLabel(
                    translate("TableWindow", "… and {count} more.").format(
                        count=total - shown_count
                    ),
                    self,
                )
                layout.addWidget(more)
        else:
            text = translate("TableWindow", "Imported {count} row(s).").format(
                count=_imported_count(result)
            )
            if hasattr(result, "added"):
                text = translate(
                    "TableWindow",
                    "Imported {count} row(s): {added} new, {updated} updated, {unchanged} "
                    "unchanged.",
                ).format(
                    count=int(getattr(result, "rows", 0)),
                    added=int(result.added),
                    updated=int(getattr(result, "updated", 0)),
                    unchanged=int(getattr(result, "unchanged", 0)),
                )
            unknown = tuple(getattr(result, "unknown_columns", ()) or ())
            if unknown:
                text += "\n" + translate("TableWindow", "Columns not read: {columns}").format(
                    columns=bounded("、".join(str(c) for c in unknown), 200, lines=1)
                )
            summary.setText(text)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)
        layout.addWidget(buttons)
        self.resize(640, 360 if self.errors else 140)


def _errors_of(result: Any) -> list[Any]:
    errors = getattr(result, "errors", None)
    return list(errors) if errors else []


def _imported_count(result: Any) -> int:
    for name in ("imported", "count", "saved", "rows"):
        value = getattr(result, name, None)
        if isinstance(value, int):
            return value
        if isinstance(value, list | tuple):
            return len(value)
    return 0


# -- the kinds together ---------------------------------------------------------------------------


def kind_fields(fields: dict[str, FieldDef], kind: str) -> dict[str, FieldDef]:
    """A kind's fields (its dictionary group), in dictionary order."""
    return {key: f for key, f in fields.items() if f.group == kind}


def build_panels(
    context: WindowContext,
    fields: dict[str, FieldDef],
    parent: QWidget,
    subject_kinds: tuple[str, ...] = SUBJECT_KINDS,
    record_kinds: tuple[str, ...] = RECORD_KINDS,
) -> dict[str, KindPanel]:
    """One panel per subject and record kind (the dictionary's groups of those roles, as the
    records know them) that has fields."""
    panels: dict[str, KindPanel] = {}
    for kind in (*subject_kinds, *record_kinds):
        members = kind_fields(fields, kind)
        if members:
            panels[kind] = KindPanel(
                context, kind, members, record=kind in record_kinds, parent=parent
            )
    return panels
