"""标记完成 (mark done): complete a row's tasks on their platforms, off the GUI thread, and say how
it went.

A row may hold the same work from several platforms. Its items on platforms that can mark tasks
done (a CalDAV source, a ``[tasks.done]`` request, a plugin with ``complete``) are completed one
after the other by ``Inbox.complete``, which re-reads the platform to confirm and then updates the
task cache. The others are left alone and named: they are finished on the platform's own page. A
refusal (or a network failure) is shown in a message box naming the platform and the reason, and
the task stays in the inbox.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from launcher.api import TaskGroup, TaskItem
from launcher.core.errors import SourceError
from launcher.ui.inbox_index import PreparedGroups, prepare_groups
from launcher.ui.plain_text import bounded, plain_message_box
from launcher.ui.platform_states import source_reason_text
from launcher.ui.workers import Workers

if TYPE_CHECKING:
    from launcher.app.services import Services
    from launcher.core.inbox.service import Inbox, RefreshResult

log = logging.getLogger(__name__)

translate = QCoreApplication.translate

PROBLEM_CHARS = 2000
PROBLEM_LINES = 30
"""The refusal box's text is cut after this much (a line or two per platform of the row)."""


def completable_platforms(inbox: Inbox) -> set[str]:
    """The platforms whose tasks the launcher can mark done (may load plugins: on a worker)."""
    check: Callable[[str], bool] | None = getattr(inbox, "can_complete", None)
    found = set()
    for platform in inbox.platforms:
        spec = platform.manifest.tasks
        if spec is None:
            continue
        try:
            if check is not None:
                able = bool(check(platform.id))
            elif spec.kind == "caldav":
                able = True
            elif spec.kind == "rest-json":
                able = spec.done is not None
            else:
                from launcher.core.inbox.sources import source_for

                able = bool(getattr(source_for(platform), "can_complete", False))
        except Exception as exc:  # a broken plugin only loses its mark-done
            log.warning("cannot tell whether %s can mark tasks done: %s", platform.id, exc)
            able = False
        if able:
            found.add(platform.id)
    return found


@dataclass
class MarkDoneOutcome:
    group: TaskGroup
    done: list[TaskItem] = field(default_factory=list)
    """Items the platforms marked done (and no longer list)."""
    failed: list[tuple[TaskItem, SourceError]] = field(default_factory=list)
    """Items a platform refused, or could not be reached for; they stay."""
    elsewhere: list[TaskItem] = field(default_factory=list)
    """Items on platforms the launcher cannot mark done: finish them on the platform's page."""
    tasks: list[TaskItem] = field(default_factory=list)
    """Every cached task afterwards."""
    groups: PreparedGroups = field(default_factory=lambda: prepare_groups([]))


def mark_done_work(
    services: Services,
    group: TaskGroup,
    completable: set[str],
    regroup: Callable[[list[TaskItem]], Sequence[TaskGroup]],
    progress: Callable[[TaskItem, int, int], None] | None = None,
) -> MarkDoneOutcome:
    """Complete ``group``'s items that can be (blocking: network). Runs on a worker."""
    outcome = MarkDoneOutcome(group)
    todo = [i for i in group.items if i.platform in completable]
    outcome.elsewhere = [i for i in group.items if i.platform not in completable]
    for number, item in enumerate(todo, start=1):
        if progress is not None:
            progress(item, number, len(todo))
        try:
            services.inbox.complete(item.platform, item.id)
        except SourceError as exc:
            log.warning("marking %s done failed (%s): %s", item.key, exc.reason, exc)
            outcome.failed.append((item, exc))
        else:
            outcome.done.append(item)
    outcome.tasks = services.inbox.cached().tasks
    outcome.groups = prepare_groups(regroup(outcome.tasks))
    return outcome


def result_after(
    outcome: MarkDoneOutcome, before: RefreshResult | None, now: datetime | None = None
) -> RefreshResult:
    """The inbox after marking done: the cached tasks; the platforms that marked a task done are
    current (they were just re-read), every other platform keeps the state it had."""
    from launcher.core.inbox.service import PlatformState, RefreshResult
    from launcher.core.states import PlatformStatus

    moment = now or datetime.now(UTC)
    counts: dict[str, int] = {}
    for task in outcome.tasks:
        counts[task.platform] = counts.get(task.platform, 0) + 1
    states: dict[str, PlatformState] = {}
    old = before.states if before is not None else {}
    done = {i.platform for i in outcome.done}
    for platform_id in {*old, *done}:
        state = old.get(platform_id)
        count = counts.get(platform_id, 0)
        if platform_id in done:
            states[platform_id] = PlatformState(
                platform_id,
                PlatformStatus.CURRENT,
                None,
                f"{count} tasks; one marked done",
                moment,
                count,
            )
        elif state is not None:
            states[platform_id] = PlatformState(
                state.platform_id, state.state, state.reason, state.message, state.updated, count
            )
    return RefreshResult(list(outcome.tasks), states)


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
    _step = Signal(str)
    """From the worker thread: the progress text (delivered queued on the GUI thread)."""

    def __init__(
        self, workers: Workers, name: Callable[[str], str], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._workers = workers
        self._name = name
        self._parent = parent
        self.running = False
        self.message_box: QMessageBox | None = None
        """The last refusal shown (tests read it)."""
        self._step.connect(self.progress.emit)

    def run(
        self,
        services: Services,
        group: TaskGroup,
        completable: set[str],
        regroup: Callable[[list[TaskItem]], Sequence[TaskGroup]],
    ) -> bool:
        """Start marking ``group`` done; False when one is running already or nothing can be."""
        if self.running or not any(i.platform in completable for i in group.items):
            return False
        self.running = True
        name = self._name

        def step(item: TaskItem, number: int, total: int) -> None:
            text = translate("MarkDone", "Marking done on {platform} ({number}/{total})…").format(
                platform=name(item.platform), number=number, total=total
            )
            self._step.emit(text)

        def work() -> MarkDoneOutcome:
            return mark_done_work(services, group, completable, regroup, step)

        def returned(outcome: MarkDoneOutcome) -> None:
            self.running = False
            self.progress.emit("")
            self.finished.emit(outcome)
            _status, problems = outcome_text(outcome, name)
            if problems:
                self.show_problem(problems)

        def errored(exc: BaseException) -> None:
            self.running = False
            self.progress.emit("")
            text = translate("MarkDone", "Marking done failed: {error}").format(
                error=str(exc) or type(exc).__name__
            )
            self.failed.emit(text)
            self.show_problem(text)

        self.progress.emit(translate("MarkDone", "Marking done…"))
        self._workers.submit("mark done", work, returned, errored)
        return True

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
    "mark_done_work",
    "outcome_text",
    "result_after",
]
