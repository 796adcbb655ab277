"""标记完成 (mark done) in the window: progress, and the refusals in the person's words.

The marking itself (which platforms can, the completion of each item, the inbox afterwards) is
the use case launcher/app/mark_done.py, run on the workers. A refusal (or a network failure) is
shown in a message box naming the platform and the reason, and the task stays in the inbox.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from launcher.api import TaskGroup, TaskItem
from launcher.app.events import Events
from launcher.app.mark_done import MarkDone as MarkingDone
from launcher.app.mark_done import MarkDoneOutcome, completable_platforms, result_after
from launcher.ui.executor import WorkersExecutor
from launcher.ui.inbox_index import prepare_groups
from launcher.ui.plain_text import bounded, plain_message_box
from launcher.ui.platform_states import source_reason_text
from launcher.ui.workers import Workers

if TYPE_CHECKING:
    from launcher.app.services import Services

translate = QCoreApplication.translate

PROBLEM_CHARS = 2000
PROBLEM_LINES = 30
"""The refusal box's text is cut after this much (a line or two per platform of the row)."""


def outcome_text(outcome: MarkDoneOutcome, name: Callable[[str], str]) -> tuple[str, str]:
    """(status bar line, problem text); the problem text is empty when nothing went wrong."""
    separator = translate("MarkDone", ", ")
    title = outcome.group.title
    status = ""
    if outcome.done:
        status = translate("MarkDone", "Marked done on {platforms}: {title}").format(
            platforms=separator.join(_names(outcome.done, name)), title=title
        )
    problems = []
    for item, exc in outcome.failed:
        words = source_reason_text(exc.reason)
        problems.append(
            translate("MarkDone", "{platform}: {reason}").format(
                platform=name(item.platform), reason=words
            )
            + "\n"
            # The platform's own words (a plugin's refusal may be any length): bounded.
            + translate("MarkDone", "Detail: {detail}").format(detail=bounded(str(exc), 300))
        )
    if outcome.failed:
        problems.append(translate("MarkDone", "These tasks stay in the inbox."))
    if outcome.elsewhere:
        note = translate(
            "MarkDone",
            "{platforms} cannot be marked done from the launcher: finish it on the "
            "platform's own page.",
        ).format(platforms=separator.join(_names(outcome.elsewhere, name)))
        if outcome.failed or not outcome.done:
            problems.append(note)
        else:
            status = f"{status} {note}"
    return status, "\n\n".join(problems)


def _names(items: Sequence[TaskItem], name: Callable[[str], str]) -> list[str]:
    return list(dict.fromkeys(name(i.platform) for i in items))


class MarkDone(QObject):
    """Runs mark-done on the workers, reports progress, shows refusals (a non-modal box)."""

    progress = Signal(str)
    """What is being done now ("" when finished)."""
    finished = Signal(object)
    """The MarkDoneOutcome (the window shows ``outcome.groups`` with ``result_after``)."""
    failed = Signal(str)
    """The message of an unexpected failure (the task list is unchanged)."""

    def __init__(
        self,
        workers: Workers,
        name: Callable[[str], str],
        parent: QWidget | None = None,
        *,
        events: Events | None = None,
    ) -> None:
        super().__init__(parent)
        self._marking = MarkingDone(WorkersExecutor(workers, self), events, arrange=prepare_groups)
        self._name = name
        self._parent = parent
        self.message_box: QMessageBox | None = None
        """The last refusal shown (tests read it)."""

    @property
    def running(self) -> bool:
        return self._marking.running

    def run(
        self,
        services: Services,
        group: TaskGroup,
        completable: set[str],
        regroup: Callable[[list[TaskItem]], Sequence[TaskGroup]],
    ) -> bool:
        """Start marking ``group`` done; False when one is running already or nothing can be."""
        name = self._name

        def step(item: TaskItem, number: int, total: int) -> None:
            text = translate("MarkDone", "Marking done on {platform} ({number}/{total})…").format(
                platform=name(item.platform), number=number, total=total
            )
            self.progress.emit(text)

        def returned(outcome: MarkDoneOutcome) -> None:
            self.progress.emit("")
            self.finished.emit(outcome)
            _status, problems = outcome_text(outcome, name)
            if problems:
                self.show_problem(problems)

        def errored(exc: BaseException) -> None:
            self.progress.emit("")
            text = translate("MarkDone", "Marking done failed: {error}").format(
                error=str(exc) or type(exc).__name__
            )
            self.failed.emit(text)
            self.show_problem(text)

        started = self._marking.run(
            services, group, completable, regroup,
            on_step=step, on_done=returned, on_failed=errored,
        )
        if started:
            self.progress.emit(translate("MarkDone", "Marking done…"))
        return started

    def show_problem(self, text: str) -> None:
        """A warning the user must see, without blocking the window (non-modal)."""
        if self.message_box is not None:
            self.message_box.close()
        # The text holds the platforms' own words (a refusal's reason): shown as plain text.
        box = plain_message_box(QMessageBox(self._parent))
        box.setObjectName("markDoneProblem")
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(translate("MarkDone", "Mark done"))
        box.setText(translate("MarkDone", "Not everything could be marked done."))
        box.setInformativeText(bounded(text, PROBLEM_CHARS, lines=PROBLEM_LINES))
        box.setStandardButtons(QMessageBox.StandardButton.Ok)
        box.setWindowModality(Qt.WindowModality.NonModal)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.destroyed.connect(lambda *_: self._forget(box))
        self.message_box = box
        box.show()

    def _forget(self, box: QMessageBox) -> None:
        if self.message_box is box:
            self.message_box = None


__all__ = [
    "MarkDone",
    "MarkDoneOutcome",
    "completable_platforms",
    "outcome_text",
    "result_after",
]
