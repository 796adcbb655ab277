"""``FillChooser``: in the fill preview, above the field list, what the form is for — which
household, place, resident or organisation (对象) and, for a form of records, which record (记录).

A form opened from a tile or a link belongs to no task, and a task's subject text may match nothing
in the one table: here the person says which of their subjects the form is about. The subjects are
those of the kind the form declares (the manifest's ``FormSpec.subject``), else of the kinds whose
keys the page's plan asks for, else all of them (each named with its kind); plus （不填对象信息）.
For a form of records (``FormSpec.record``), the chosen subject's records of that kind, newest
first, plus （新的记录：不填）. The tab's context (a task's subject and record) is chosen first.

Each change is announced as a ``FillContext(chosen=True)`` (``chosen``); the filler plans the same
scan again with it (no new scan) and shows the new rows. Lists are read on the window's workers,
never on the GUI thread, and only for the account the first plan was made for: if someone else is
signed in by then, they come back empty (the filler drops the whole preview on sign-out anyway).

The functions above the widget are free of widgets (tested without a window); the texts they make
come from the person's own table and are shown bounded and plain (a combo box's items are plain).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QFormLayout,
    QLabel,
    QWidget,
)

from launcher.app.fill import FillContext, form_kinds
from launcher.core.errors import LauncherError
from launcher.ui.plain_text import bounded

if TYPE_CHECKING:
    from launcher.app.fill import Fill
    from launcher.core.profile.autofill import PagePlan
    from launcher.core.registry import Platform
    from launcher.ui.executor import WorkersExecutor

log = logging.getLogger(__name__)

translate = QCoreApplication.translate

NONE = ""
"""The id of （不填对象信息） and of （新的记录：不填）."""
OPTION_CHARS = 60
"""An option's text is cut after this many characters."""
MAX_OPTIONS = 5000
"""At most this many subjects (or records) are listed."""


@dataclass(frozen=True)
class Option:
    """One subject or record the person may choose."""

    id: str
    text: str
    """What the list shows: the person's own words, bounded, one line."""
    kind: str = ""


@dataclass(frozen=True)
class Lists:
    """What the chooser offers and what it starts with."""

    subjects: tuple[Option, ...]
    records: tuple[Option, ...]
    subject_id: str = NONE
    record_id: str = NONE


@dataclass(frozen=True)
class Job:
    """One preview's chooser: the form and the account it reads the lists for."""

    records: Any
    """``services.records`` (C2 ``PersonRecords``)."""
    use_case: Fill
    platform: Platform
    url: str
    context: FillContext | None
    owner: str
    """The account the first plan was made for: lists are read for it only."""
    fields: Mapping[str, Any]
    subject_kinds: tuple[str, ...]
    """The kinds listed (one, or several: then each option names its kind)."""
    record_kind: str
    """The form's record group ("" for none: no record list)."""
    english: bool
    """Each subject kind is named (户, 场所 …) in the person's language."""


# -- logic without widgets -------------------------------------------------------------------------


def subject_kinds(
    declared: str, plan: PagePlan, fields: Mapping[str, Any], known: Iterable[str]
) -> tuple[str, ...]:
    """The kinds of subject the chooser lists: the form's declared kind; else the kinds whose
    keys the plan fills or asks for; else every kind."""
    known = tuple(known)
    if declared:
        return (declared,)
    kinds = tuple(g for g in _plan_groups(plan, fields) if g in known)
    return kinds or known


def _plan_groups(plan: PagePlan, fields: Mapping[str, Any]) -> tuple[str, ...]:
    """The dictionary groups of the keys the plan fills or asks for, each once, in plan order."""
    keys = [f.key for f in plan.fields] + list(plan.missing)
    return tuple(dict.fromkeys(
        getattr(fields.get(key), "group", key.split(".", 1)[0]) for key in keys))


def asks_for_a_subject(declared: str, record_kind: str, plan: PagePlan,
                       fields: Mapping[str, Any], known: Iterable[str]) -> bool:
    """True when the form is about a subject or a record (declared, or keys of one in its plan):
    its preview is worth showing even with nothing planned yet, to choose one."""
    if declared or record_kind:
        return True
    return bool(set(_plan_groups(plan, fields)) & set(known))


def subject_option(
    subject: Any, fields: Mapping[str, Any], kind_label: str = ""
) -> Option:
    """A subject as the list shows it: its name and, to tell two apart, its address or number
    (never a sensitive value); with ``kind_label`` (several kinds listed) its kind first."""
    values: Mapping[str, str] = subject.values
    name = str(getattr(subject, "name", "") or "")
    extra = ""
    for suffix in ("address", "number"):
        key = f"{subject.kind}.{suffix}"
        value = values.get(key, "")
        definition = fields.get(key)
        if value and value != name and not getattr(definition, "sensitive", False):
            extra = value
            break
    text = " · ".join(t for t in (name, extra) if t) or str(subject.id)
    if kind_label:
        text = f"{kind_label}：{text}"
    return Option(str(subject.id), bounded(text, OPTION_CHARS, lines=1), str(subject.kind))


def record_option(record: Any, fields: Mapping[str, Any]) -> Option:
    """A record as the list shows it: its date (its first date, else when it was saved) and the
    first other value that says what it was (a choice as people read it; never a sensitive
    value, a file, a flag or a long text)."""
    values: Mapping[str, str] = record.values
    ordered = [(k, f) for k, f in fields.items() if getattr(f, "group", "") == record.kind]
    date = next((values[k] for k, f in ordered if f.kind == "date" and values.get(k)), "")
    date = date or str(record.updated)[:10]
    detail = ""
    for key, definition in ordered:
        value = values.get(key, "")
        if (not value or definition.sensitive
                or definition.kind in ("date", "file", "bool", "long_text")):
            continue
        detail = definition.display(value) if hasattr(definition, "display") else value
        break
    text = " · ".join(t for t in (date, detail) if t) or str(record.id)
    return Option(str(record.id), bounded(text, OPTION_CHARS, lines=1), str(record.kind))


def chosen_context(base: FillContext | None, subject_id: str, record_id: str) -> FillContext:
    """The context the person chose: the same task, the subject and record chosen, nothing else
    looked up (an empty id is none)."""
    return FillContext(
        task_key=base.task_key if base is not None else "",
        subject_id=subject_id,
        record_id=record_id,
        chosen=True,
    )


def kept_ticks(before: Mapping[str, tuple[str, bool]], rows: Iterable[Any]) -> dict[str, bool]:
    """The ticks to keep after planning again: ``before`` is each row's (value, ticked) by ref;
    a row whose value did not change keeps its tick, any other starts as the preview starts it."""
    kept: dict[str, bool] = {}
    for row in rows:
        old = before.get(row.ref)
        if old is not None and old[0] == row.value:
            kept[row.ref] = old[1]
    return kept


def subject_records(records: Any, subject_id: str, kind: str,
                    fields: Mapping[str, Any]) -> list[Option]:
    """The records of ``kind`` about the subject (none chosen: those about no subject), newest
    first. Reads the disk: on a worker."""
    found = records.records(subject_id=subject_id or None, kind=kind)
    if not subject_id:
        found = [r for r in found if not r.subject_id]
    return [record_option(r, fields) for r in found[:MAX_OPTIONS]]


def read_lists(job: Job) -> Lists | None:
    """What the chooser offers, for the account the plan was made for (None: someone else is
    signed in now). Reads the disk and the keyring: on a worker."""
    records = job.records
    if records.owner() != job.owner:
        return None
    subject_id, record_id = job.use_case.chosen(job.platform, job.url, job.context)
    kind_labels = _kind_labels(job.english)
    several = len(job.subject_kinds) > 1
    subjects: list[Option] = []
    for kind in job.subject_kinds:
        label = kind_labels.get(kind, kind) if several else ""
        for subject in records.subjects(kind)[:MAX_OPTIONS]:
            subjects.append(subject_option(subject, job.fields, label))
    if subject_id and all(o.id != subject_id for o in subjects):
        # The task's subject, of a kind the form does not name: still the one chosen first.
        found = records.subject(subject_id)
        if found is None:
            subject_id = NONE
        else:
            subjects.insert(0, subject_option(
                found, job.fields, kind_labels.get(found.kind, found.kind)))
    found_records: list[Option] = []
    if job.record_kind:
        found_records = subject_records(records, subject_id, job.record_kind, job.fields)
        if record_id and all(o.id != record_id for o in found_records):
            record = records.record(record_id)
            if record is None:
                record_id = NONE
            else:
                found_records.insert(0, record_option(record, job.fields))
    if records.owner() != job.owner:
        return None
    return Lists(tuple(subjects[:MAX_OPTIONS]), tuple(found_records), subject_id, record_id)


def _kind_labels(english: bool) -> dict[str, str]:
    """Each group's name (户, 场所 …) in the person's language (reads the dictionary's file)."""
    from launcher.core.profile.fields import load_field_groups

    try:
        groups = load_field_groups()
    except (OSError, LauncherError):  # then the kinds' own names
        return {}
    return {key: (g.label_en if english else g.label) for key, g in groups.items()}


# -- the widget ----------------------------------------------------------------------------------


class FillChooser(QWidget):
    """对象 (a searchable list of the person's subjects) and 记录 (the subject's records)."""

    choosing = Signal()
    """The person changed a choice: the rows will be planned again (填入 waits)."""
    chosen = Signal(object)
    """The ``FillContext`` the person chose, once its lists are read."""

    def __init__(self, executor: WorkersExecutor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("fillChooser")
        self._executor = executor
        self._job: Job | None = None
        self._generation = 0
        """Bumped by every job and every choice: a late answer of an older one is dropped."""
        self._setting = False
        """True while the lists are set by the program (not a choice of the person's)."""

        layout = QFormLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)

        self.subject_box = QComboBox(self)
        self.subject_box.setObjectName("fillChooserSubject")
        self.subject_box.setEditable(True)  # typed text filters the list
        self.subject_box.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.subject_box.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.subject_box.setMinimumContentsLength(12)
        completer = QCompleter(self.subject_box.model(), self.subject_box)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.subject_box.setCompleter(completer)
        self.subject_box.setAccessibleName(
            translate("FillChooser", "The household, place or person the form is for")
        )
        self.subject_box.setAccessibleDescription(
            translate("FillChooser", "Type to search your one table; the fields are planned again")
        )
        self.subject_box.setToolTip(
            translate("FillChooser", "Which household, place or person this form is for")
        )
        self.subject_label = QLabel(translate("FillChooser", "For:"), self)
        self.subject_label.setBuddy(self.subject_box)
        layout.addRow(self.subject_label, self.subject_box)

        self.record_box = QComboBox(self)
        self.record_box.setObjectName("fillChooserRecord")
        self.record_box.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.record_box.setMinimumContentsLength(12)
        self.record_box.setAccessibleName(
            translate("FillChooser", "The record the form is filled from")
        )
        self.record_box.setToolTip(
            translate("FillChooser", "Which of its records fills this form, newest first")
        )
        self.record_label = QLabel(translate("FillChooser", "Record:"), self)
        self.record_label.setBuddy(self.record_box)
        layout.addRow(self.record_label, self.record_box)

        self.subject_box.currentIndexChanged.connect(self._subject_changed)
        self.record_box.currentIndexChanged.connect(self._record_changed)
        line = self.subject_box.lineEdit()
        if line is not None:
            line.editingFinished.connect(self._show_current_subject)
            line.installEventFilter(self)
        self.hide()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Enter in 对象's search chooses what the typed text names (the one subject whose text
        holds it), else puts back the subject chosen; it never fills the form (the preview's
        Enter is 填入 everywhere else)."""
        if (event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent)
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
                and watched is self.subject_box.lineEdit()):
            self._choose_typed()
            return True
        return super().eventFilter(watched, event)

    # -- what the filler asks --------------------------------------------------------------------

    def focus_chain(self) -> list[QWidget]:
        """The chooser's controls in Tab order (before the preview's field list)."""
        return [self.subject_box, self.record_box]

    def begin(self, job: Job, listed: Callable[[bool], None] | None = None) -> None:
        """Read the lists for a preview (on a worker), then show them; ``listed`` is then told
        whether they offer any subject or record to choose (False when they could not be read
        or someone else is signed in)."""
        self.end()
        self._job = job
        generation = self._generation

        def told(choices: bool) -> None:
            if listed is not None:
                listed(choices)

        def returned(lists: Lists | None) -> None:
            if generation == self._generation and self._job is job:
                if lists is None:
                    self.end()
                    told(False)
                else:
                    self._show_lists(lists)
                    told(bool(lists.subjects or lists.records))

        def failed(exc: BaseException) -> None:
            # Never a value: only that the lists could not be read.
            log.warning("the fill chooser's lists could not be read: %s", type(exc).__name__)
            if generation == self._generation:
                self.end()
                told(False)

        self._executor.submit("fill chooser lists", lambda: read_lists(job), returned, failed)

    def end(self) -> None:
        """The preview's plan is gone (filled, cancelled, signed out): no list stays."""
        self._generation += 1
        self._job = None
        self._setting = True
        try:
            self.subject_box.clear()
            self.record_box.clear()
        finally:
            self._setting = False
        self.hide()

    def current(self) -> tuple[str, str]:
        """The ids of the subject and the record chosen now ('' for none)."""
        return self._id(self.subject_box), self._id(self.record_box)

    def options(self) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
        """(id, text) of the subjects and the records listed (for tests and screen readers)."""
        return (
            [(self._id(self.subject_box, i), self.subject_box.itemText(i))
             for i in range(self.subject_box.count())],
            [(self._id(self.record_box, i), self.record_box.itemText(i))
             for i in range(self.record_box.count())],
        )

    def choose(self, subject_id: str | None = None, record_id: str | None = None) -> None:
        """Choose as the person would (tests, keyboard helpers): ``None`` leaves one as it is."""
        if subject_id is not None:
            self.subject_box.setCurrentIndex(self.subject_box.findData(subject_id))
        if record_id is not None:
            self.record_box.setCurrentIndex(self.record_box.findData(record_id))

    # -- the lists ---------------------------------------------------------------------------------

    def _show_lists(self, lists: Lists) -> None:
        job = self._job
        assert job is not None
        self._setting = True
        try:
            self.subject_box.clear()
            self.subject_box.addItem(
                translate("FillChooser", "(leave the subject's details out)"), NONE
            )
            for option in lists.subjects:
                self.subject_box.addItem(option.text, option.id)
            self.subject_box.setCurrentIndex(max(0, self.subject_box.findData(lists.subject_id)))
            self._set_records(lists.records, lists.record_id)
        finally:
            self._setting = False
        has_records = bool(job.record_kind)
        self.record_label.setVisible(has_records)
        self.record_box.setVisible(has_records)
        self.setVisible(bool(lists.subjects) or has_records or bool(job.context))

    def _set_records(self, options: Iterable[Option], record_id: str) -> None:
        self.record_box.clear()
        self.record_box.addItem(translate("FillChooser", "(a new record: fill none of it)"), NONE)
        for option in options:
            self.record_box.addItem(option.text, option.id)
        self.record_box.setCurrentIndex(max(0, self.record_box.findData(record_id)))

    # -- the person's choices ----------------------------------------------------------------------

    def _subject_changed(self, _index: int) -> None:
        if self._setting or self._job is None:
            return
        job = self._job
        self._generation += 1
        generation = self._generation
        subject_id = self._id(self.subject_box)
        self.choosing.emit()
        if not job.record_kind:
            self.chosen.emit(chosen_context(job.context, subject_id, NONE))
            return

        def work() -> list[Option] | None:
            if job.records.owner() != job.owner:
                return None
            return subject_records(job.records, subject_id, job.record_kind, job.fields)

        def returned(options: list[Option] | None) -> None:
            if generation != self._generation or self._job is not job:
                return
            if options is None:
                self.end()
                return
            # The subject's latest record comes with it (as a task's subject does); the person
            # may choose （新的记录：不填） or an older one.
            self._setting = True
            try:
                self._set_records(options, options[0].id if options else NONE)
            finally:
                self._setting = False
            self.chosen.emit(chosen_context(job.context, subject_id, self._id(self.record_box)))

        def failed(exc: BaseException) -> None:
            log.warning("the subject's records could not be read: %s", type(exc).__name__)
            if generation == self._generation and self._job is job:
                self._setting = True
                try:
                    self._set_records((), NONE)
                finally:
                    self._setting = False
                self.chosen.emit(chosen_context(job.context, subject_id, NONE))

        self._executor.submit("fill chooser records", work, returned, failed)

    def _record_changed(self, _index: int) -> None:
        if self._setting or self._job is None:
            return
        self._generation += 1
        self.choosing.emit()
        subject_id, record_id = self.current()
        self.chosen.emit(chosen_context(self._job.context, subject_id, record_id))

    def _choose_typed(self) -> None:
        box = self.subject_box
        typed = box.currentText().strip().casefold()
        found = [i for i in range(box.count()) if typed and typed in box.itemText(i).casefold()]
        exact = [i for i in found if box.itemText(i).strip().casefold() == typed]
        chosen = exact or found
        if len(chosen) == 1 and chosen[0] != box.currentIndex():
            box.setCurrentIndex(chosen[0])
        self._show_current_subject()

    def _show_current_subject(self) -> None:
        """Typed text that chose nothing gives way to the subject chosen."""
        index = self.subject_box.currentIndex()
        if index >= 0 and self.subject_box.currentText() != self.subject_box.itemText(index):
            self.subject_box.setEditText(self.subject_box.itemText(index))

    @staticmethod
    def _id(box: QComboBox, index: int | None = None) -> str:
        data = box.itemData(box.currentIndex() if index is None else index)
        return data if isinstance(data, str) else NONE


def make_job(
    services: Any,
    use_case: Fill,
    platform: Platform,
    url: str,
    context: FillContext | None,
    plan: PagePlan,
    owner: str,
    *,
    english: bool,
) -> Job | None:
    """The chooser's job for a plan shown in the preview, or None when the window has no one
    table (no ``services.records``) or the form is about no subject or record and the tab was
    opened for no task."""
    records = getattr(services, "records", None)
    if records is None:
        return None
    fields = services.fields
    known = tuple(getattr(records, "subject_kinds", ()) or ())
    declared, record_kind = form_kinds(platform, url)
    if not (context or asks_for_a_subject(declared, record_kind, plan, fields, known)):
        return None
    return Job(records, use_case, platform, url, context, owner, fields,
               subject_kinds(declared, plan, fields, known), record_kind, english)
