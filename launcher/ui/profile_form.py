"""The 一张表 tab: 我的信息, a form of the field dictionary's own-details fields (groups of role
``self``), saved in the profile of the person signed in (launcher/core/profile/person.py); beside
it, a tab per kind of subject and record the person keeps (户, 人, 场所, 单位, 检查记录:
launcher/ui/table_window.py).

The tab follows that person: :meth:`ProfileView.clear` empties it (and the kinds' tabs) at
sign-out, and :meth:`ProfileView.follow` loads another person's values when they sign in, after
emptying it first, so one person's values are never on screen for another.

When a saved value changed (a phone number, a household's address), the platforms whose forms
received the old one are listed with a button opening each one's page
(launcher/ui/changed_values.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import pairwise
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QTabBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from launcher.ui.plain_text import plain_label

if TYPE_CHECKING:

    from launcher.app.services import Services
    from launcher.core.profile.fields import FieldDef, FieldGroup
    from launcher.ui.changed_values import ChangedValues
    from launcher.ui.table_window import KindPanel
    from launcher.ui.window_context import WindowContext

translate = QCoreApplication.translate


@dataclass
class _Loaded:
    groups: dict[str, FieldGroup]
    values: dict[str, str]
    unreadable: dict[str, str] = field(default_factory=dict)
    owner: str = ""
    """The county account the values belong to ('' when nobody is signed in)."""
    moved_in: bool = False
    """The profile older versions shared was moved into this person's: tell them (once)."""


class FieldEditor(QWidget):
    """One field: the line edit (masked when sensitive, with a show toggle) and its error line."""

    def __init__(self, definition: FieldDef, label: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.definition = definition
        self.edit = QLineEdit(self)
        self.edit.setObjectName(f"field:{definition.key}")
        self.edit.setAccessibleName(label)
        if definition.help:
            self.edit.setPlaceholderText(definition.help)
            self.edit.setToolTip(definition.help)
            self.edit.setAccessibleDescription(definition.help)
        self.toggle: QToolButton | None = None
        if definition.sensitive:
            self.edit.setEchoMode(QLineEdit.EchoMode.Password)
            self.toggle = QToolButton(self)
            self.toggle.setObjectName("revealToggle")
            self.toggle.setText(self.tr("Show"))
            self.toggle.setCheckable(True)
            self.toggle.setToolTip(self.tr("Show or hide the value"))
            self.toggle.setAccessibleName(self.tr("Show {field}").format(field=label))
            self.toggle.toggled.connect(self.set_revealed)
        self.error = plain_label(QLabel(self))
        self.error.setObjectName("fieldError")
        self.error.setWordWrap(True)
        self.error.hide()
        row = QHBoxLayout()
        row.setSpacing(6)
        row.addWidget(self.edit, 1)
        if self.toggle is not None:
            row.addWidget(self.toggle)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(row)
        layout.addWidget(self.error)

    def set_revealed(self, shown: bool) -> None:
        mode = QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password
        self.edit.setEchoMode(mode)
        if self.toggle is not None:
            self.toggle.setText(self.tr("Hide") if shown else self.tr("Show"))

    def value(self) -> str:
        return self.edit.text()

    def set_value(self, value: str) -> None:
        self.edit.setText(value)

    def set_error(self, message: str | None) -> None:
        self.error.setText(message or "")
        self.error.setVisible(bool(message))
        self.edit.setProperty("invalid", bool(message))
        self.edit.style().unpolish(self.edit)
        self.edit.style().polish(self.edit)
        self.edit.setAccessibleDescription(message or self.definition.help)


class ProfileView(QWidget):
    loaded = Signal()
    """The stored values are on screen (none when nobody is signed in)."""
    saved = Signal(dict)
    """Save finished: field key -> error message for every value that was not stored ({} = all)."""
    notice = Signal(str)
    """A one-time sentence for the status bar (the shared profile of an older version moved in)."""
    _records_changed = Signal(str)
    """A kind's subjects or records changed elsewhere (an import, a submission): queued from
    whichever thread announced it ('' for any kind)."""
    changed_pages = Signal(list)
    """After a save that changed values: the platforms that received the old ones
    (``PageToOpen`` list, maybe empty); the dialog listing them is shown when any did."""

    def __init__(self, context: WindowContext, *, parent: QWidget | None = None) -> None:
        """Made right after the window's first paint, before the county is open (call reload()
        when it opens): ``context.services`` is None until then, and once it closes."""
        super().__init__(parent)
        self._context = context
        self.workers = context.workers
        self.english = context.english
        self.editors: dict[str, FieldEditor] = {}
        self.panels: dict[str, KindPanel] = {}
        """The tabs of the subjects and records (户, 人, 场所, 单位, 检查记录), by kind."""
        self._changed: ChangedValues | None = None
        self._stored: dict[str, str] = {}
        self.owner = ""
        """The county account whose values are on screen ('' when none are)."""
        self._generation = 0
        """Counts loads and clears: a load that finishes after a later one (or a clear) is
        dropped, so a late answer never brings a person's values back after they left."""

        self.intro = QLabel(
            self.tr(
                "Enter your details once; Fill puts them into platform forms. Sensitive "
                "values are encrypted on this computer."
            ),
            self,
        )
        self.intro.setWordWrap(True)
        self.moved_notice = QLabel(self)
        self.moved_notice.setObjectName("profileMovedNotice")
        self.moved_notice.setTextFormat(Qt.TextFormat.PlainText)
        self.moved_notice.setWordWrap(True)
        self.moved_notice.hide()
        self.form_box = QWidget(self)
        self.form_layout = QVBoxLayout(self.form_box)
        self.form_layout.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.form_box)

        self.status = plain_label(QLabel(self))
        self.status.setObjectName("profileStatus")
        self.status.setAccessibleName(self.tr("Profile status"))
        self.save_button = QPushButton(self.tr("&Save"), self)
        self.save_button.setObjectName("profileSave")
        self.save_button.setAccessibleName(self.tr("Save profile"))
        self.save_button.clicked.connect(self.save)
        self.save_button.setEnabled(False)
        self.revert_button = QPushButton(self.tr("&Undo changes"), self)
        self.revert_button.clicked.connect(self.revert)
        self.revert_button.setEnabled(False)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        buttons.addWidget(self.revert_button)
        buttons.addWidget(self.save_button)

        # 我的信息 is the first of the kinds' tabs; the others come with the dictionary (_show).
        # A tab bar over the form and a stack of the other kinds (not a QTabWidget: that lays
        # its pages out while the window shows another tab, squeezing them to nothing).
        self.kind_bar = QTabBar(self)
        self.kind_bar.setObjectName("tableKinds")
        self.kind_bar.setDocumentMode(True)
        self.kind_bar.setExpanding(False)
        self.kind_bar.setAccessibleName(translate("TableWindow", "Kinds of the table"))
        self.kind_bar.addTab(translate("TableWindow", "My details"))
        # Its scroll arrows (a narrow window) are no Tab stops: the arrow keys move along it.
        for arrow in self.kind_bar.findChildren(QToolButton):
            arrow.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.mine = QWidget(self)
        self.mine.setObjectName("tableMine")
        mine = QVBoxLayout(self.mine)
        mine.setContentsMargins(12, 12, 12, 12)
        mine.addWidget(self.intro)
        mine.addWidget(self.moved_notice)
        mine.addWidget(scroll, 1)
        mine.addLayout(buttons)
        self.kind_stack = QStackedWidget(self)
        self.kind_stack.hide()
        self.kind_bar.currentChanged.connect(self._kind_chosen)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.kind_bar)
        layout.addWidget(self.mine, 1)
        layout.addWidget(self.kind_stack, 1)

    @property
    def services(self) -> Services | None:
        """The county's services, None while the county is not open."""
        return self._context.services

    def follow(self, sub: str) -> None:
        """Someone signed in (``sub``, their county account): load their profile, unless it is
        the one on screen already (the same person signing in again keeps their edits)."""
        if sub != self.owner:
            self.reload()

    def clear(self) -> None:
        """Nobody is signed in any more: no values on screen or in the editors, nothing to save;
        the kinds' tabs and the changed-values list empty too."""
        self._generation += 1
        self._empty()
        self.status.setText(self.tr("Sign in to see and edit your profile."))
        for panel in self.panels.values():
            panel.clear()
        if self._changed is not None:
            self._changed.close()

    def reload(self) -> None:
        """Show the profile of whoever is signed in now (emptied at once, filled when read)."""
        services = self.services
        if services is None:
            return
        self._generation += 1
        generation = self._generation
        self._empty()
        for panel in self.panels.values():
            panel.clear()  # another person's rows go at once, not when the new ones are read

        def work() -> _Loaded:
            from launcher.core.profile.fields import load_field_groups

            try:
                groups = load_field_groups()
            except Exception:  # the editor can still show fields without group headings
                groups = {}
            snapshot = services.profile.snapshot()
            problems = {k: e.message for k, e in snapshot.unreadable.items()}
            return _Loaded(groups, snapshot.values, problems, snapshot.owner, snapshot.moved_in)

        self.status.setText(self.tr("Loading…"))
        self.workers.submit(
            "load profile",
            work,
            lambda loaded: self._show(loaded, generation),
            lambda exc: self._load_failed(exc, generation),
        )

    def _load_failed(self, exc: BaseException, generation: int) -> None:
        if generation == self._generation:
            self.status.setText(
                self.tr("The profile could not be read: {error}").format(error=exc))

    def _empty(self) -> None:
        # Values, errors and revealed sensitive fields go: nothing of the last person stays.
        self.owner = ""
        self._stored = {}
        for editor in self.editors.values():
            if editor.toggle is not None:
                editor.toggle.setChecked(False)
            editor.set_value("")
            editor.set_error(None)
        self.form_box.setEnabled(False)
        self.moved_notice.clear()
        self.moved_notice.hide()
        self.save_button.setEnabled(False)
        self.revert_button.setEnabled(False)

    def _show(self, loaded: _Loaded, generation: int) -> None:
        services = self.services
        if services is None or generation != self._generation:
            return
        if not self.editors:
            self._build(services.fields, loaded.groups)
            self._build_kinds(services, loaded.groups)
        self._empty()
        for panel in self.panels.values():
            panel.reload()  # each lists the signed-in person's own (none: emptied)
        if not loaded.owner:
            self.status.setText(self.tr("Sign in to see and edit your profile."))
            self.loaded.emit()
            return
        self.owner = loaded.owner
        self._stored = dict(loaded.values)
        for key, editor in self.editors.items():
            editor.set_value(loaded.values.get(key, ""))
            editor.set_error(loaded.unreadable.get(key))
        self.form_box.setEnabled(True)
        self.save_button.setEnabled(True)
        self.revert_button.setEnabled(True)
        self.status.setText("")
        if loaded.moved_in:
            text = self.tr(
                "The profile this computer kept before the update is now in your account. It may "
                "hold someone else's details: check every value, and clear what is not yours."
            )
            self.moved_notice.setText(text)
            self.moved_notice.show()
            self.notice.emit(text)
        self.loaded.emit()

    def _build_kinds(self, services: Services, groups: dict[str, FieldGroup]) -> None:
        """A tab per kind of subject and record the dictionary has fields for."""
        from launcher.app.events import RecordsChanged, RecordSubmitted
        from launcher.ui.table_window import RECORD_KINDS, SUBJECT_KINDS, build_panels, kind_title

        records = getattr(services, "records", None)
        self.panels = build_panels(
            self._context,
            services.fields,
            self.kind_stack,
            tuple(getattr(records, "subject_kinds", SUBJECT_KINDS)),
            tuple(getattr(records, "record_kinds", RECORD_KINDS)),
        )
        # Redrawn when saved elsewhere (the inbox's 一次填报 sets outcomes, an import adds rows).
        self._records_changed.connect(self._redraw_kind)
        events = self._context.events
        events.subscribe(RecordsChanged, lambda event: self._records_changed.emit(event.kind))
        events.subscribe(RecordSubmitted, lambda _event: self._records_changed.emit(""))
        for kind, panel in self.panels.items():
            self.kind_stack.addWidget(panel)
            self.kind_bar.addTab(kind_title(kind, groups, self.english))
            panel.values_changed.connect(
                lambda old, owner, subject_id, p=panel: self._check_changed(
                    old, owner, [p.fields[k].label for k in old if k in p.fields], subject_id
                )
            )

    def _redraw_kind(self, kind: str) -> None:
        for key, panel in self.panels.items():
            if (not kind or key == kind) and panel.owner and not panel.changes():
                panel.reload()  # an editor being typed in is left alone

    def _kind_chosen(self, index: int) -> None:
        if index <= 0:
            self.kind_stack.hide()
            self.mine.show()
            return
        self.kind_stack.setCurrentIndex(index - 1)
        self.mine.hide()
        self.kind_stack.show()

    def show_kind(self, kind: str = "") -> None:
        """Bring a kind's tab forward ('' for 我的信息)."""
        kinds = list(self.panels)
        self.kind_bar.setCurrentIndex(kinds.index(kind) + 1 if kind in kinds else 0)

    def kind_shown(self) -> str:
        """The kind whose tab is in front ('' for 我的信息)."""
        index = self.kind_bar.currentIndex()
        return list(self.panels)[index - 1] if index > 0 else ""

    def _build(self, fields: dict[str, FieldDef], groups: dict[str, FieldGroup]) -> None:
        # 我的信息 shows the person's own details (groups of role "self"); subjects and records
        # have their own tabs.
        own = {
            k: f
            for k, f in fields.items()
            if getattr(groups.get(f.group), "role", "self") == "self"
            and f.group not in ("household", "resident", "place", "organisation", "inspection")
        }
        order = list(groups) + [f.group for f in own.values() if f.group not in groups]
        for group_key in dict.fromkeys(order):
            members = [f for f in own.values() if f.group == group_key]
            if not members:
                continue
            group = groups.get(group_key)
            title = (group.label_en if self.english else group.label) if group else group_key
            box = QGroupBox(title, self.form_box)
            form = QFormLayout(box)
            form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
            form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
            for definition in members:
                text = definition.label_en if self.english else definition.label
                editor = FieldEditor(definition, text, box)
                label = QLabel(text + self.tr(":"), box)
                label.setBuddy(editor.edit)
                form.addRow(label, editor)
                self.editors[definition.key] = editor
            self.form_layout.insertWidget(self.form_layout.count() - 1, box)
        # Tab goes through the fields in the form's order, then 撤销修改 and 保存 (made before the
        # fields, they came first).
        chain: list[QWidget] = []
        for editor in self.editors.values():
            chain.append(editor.edit)
            if editor.toggle is not None:
                chain.append(editor.toggle)
        chain += [self.revert_button, self.save_button]
        for first, second in pairwise(chain):
            QWidget.setTabOrder(first, second)

    def changes(self) -> dict[str, str]:
        return {
            k: e.value()
            for k, e in self.editors.items()
            if e.value().strip() != self._stored.get(k, "")
        }

    def unsaved(self) -> bool:
        """Whether anything typed in the tab is not saved: 我的信息 or a kind's editor."""
        return bool(self.changes()) or any(p.owner and p.changes() for p in self.panels.values())

    def set_values(self, values: dict[str, str]) -> None:
        """Put values into the editors (as a user typing them would); Save stores them."""
        for key, value in values.items():
            self.editors[key].set_value(value)

    def revert(self) -> None:
        for key, editor in self.editors.items():
            editor.set_value(self._stored.get(key, ""))
            editor.set_error(None)
        self.status.setText("")

    def save(self) -> None:
        services = self.services
        owner, generation = self.owner, self._generation
        if services is None:
            return
        if not owner:
            self.status.setText(self.tr("Sign in to see and edit your profile."))
            self.saved.emit({"": self.status.text()})
            return
        changes = self.changes()
        errors = {}
        for key, value in changes.items():
            problem = self.editors[key].definition.validate(value)
            self.editors[key].set_error(problem)
            if problem:
                errors[key] = problem
        if errors:
            self._report(errors)
            return
        if not changes:
            self.status.setText(self.tr("Nothing changed."))
            self.saved.emit({})
            return

        def work() -> tuple[dict[str, str], dict[str, str]]:
            from launcher.core.profile.store import ProfileError

            problems: dict[str, str] = {}
            for key, value in changes.items():
                try:
                    # Only into the profile of the person the values were typed for.
                    services.profile.set(key, value, owner=owner)
                except ProfileError as exc:
                    problems[key] = exc.message
            return problems, services.profile.values(owner=owner)

        before = dict(self._stored)

        def returned(outcome: tuple[dict[str, str], dict[str, str]]) -> None:
            if generation != self._generation:
                return  # signed out, or someone else signed in, while it saved
            problems, stored = outcome
            self._stored = dict(stored)
            from launcher.app.changed_values import changed_keys

            old = changed_keys({k: before.get(k, "") for k in changes if k not in problems},
                               stored)
            for key in changes:
                self.editors[key].set_error(problems.get(key))
                if key not in problems:
                    self.editors[key].set_value(stored.get(key, ""))
            self._report(problems)
            if old:
                labels = [self.editors[k].definition.label for k in old if k in self.editors]
                self._check_changed(old, owner, labels)

        def errored(exc: BaseException) -> None:
            if generation != self._generation:
                return
            self.status.setText(self.tr("Saving failed: {error}").format(error=exc))
            self.saved.emit({"": str(exc)})

        self.save_button.setEnabled(False)
        self.status.setText(self.tr("Saving…"))
        job = self.workers.submit("save profile", work, returned, errored)
        job.finished.connect(lambda: self.save_button.setEnabled(bool(self.owner)))

    def _report(self, errors: dict[str, str]) -> None:
        if errors:
            self.status.setText(
                self.tr("{count} value(s) need correcting.").format(count=len(errors))
            )
            first = self.editors.get(next(iter(errors)))
            if first is not None:
                first.edit.setFocus()
        else:
            self.status.setText(self.tr("Saved."))
        self.saved.emit(errors)

    # -- values that changed ----------------------------------------------------------------------

    @property
    def changed_values(self) -> ChangedValues:
        """Lists, after a save, the platforms that received the old values (made on first use)."""
        if self._changed is None:
            from launcher.ui.changed_values import ChangedValues

            self._changed = ChangedValues(self._context, self)
        return self._changed

    def _check_changed(
        self, old: dict[str, str], owner: str, labels: list[str], subject_id: str = ""
    ) -> None:
        generation = self._generation
        english = self.english
        if english:
            services = self.services
            fields = services.fields if services is not None else {}
            labels = [fields[k].label_en if k in fields else k for k in old]

        self.changed_values.check(
            old,
            owner,
            labels=labels,
            still_theirs=lambda: generation == self._generation and owner == self.owner,
            found=self.changed_pages.emit,
            subject_id=subject_id,
        )
