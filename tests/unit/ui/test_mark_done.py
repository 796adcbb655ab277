"""标记完成 from the inbox against a real CalDAV platform (Radicale): a task marked done leaves the
list after the platform confirms; a refusal is shown naming the platform and why, and the task stays.

Real Radicale server, real Inbox and task cache, the real worker threads; the "services" handed to
the controller is a plain holder of that Inbox (the rest of Services is not used by mark-done).
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING, cast

import pytest
from pytestqt.qtbot import QtBot

from launcher.api import TaskGroup
from launcher.core.inbox.cache import TaskCache
from launcher.core.inbox.grouping import group_tasks
from launcher.core.inbox.service import Inbox
from launcher.core.manifest import load_manifest
from launcher.core.registry import Platform, Registry
from launcher.ui.inbox_model import InboxModel
from launcher.ui.inbox_view import InboxView
from launcher.ui.mark_done import (
    MarkDone,
    MarkDoneOutcome,
    completable_platforms,
    outcome_text,
    result_after,
)
from launcher.ui.workers import Workers
from tests.caldav._caldav_server import Radicale, caldav_platform, running_radicale, vtodo

if TYPE_CHECKING:
    from launcher.app.services import Services

TOKEN = "tok-zhangwei"  # the bearer token the test Radicale accepts for zhangwei
NAME = "日历任务"  # the CalDAV platform's name in caldav_platform's manifest


@pytest.fixture(scope="module")
def radicale(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Radicale]:
    with running_radicale(tmp_path_factory.mktemp("radicale-ui")) as server:
        yield server


def rest_platform(folder: Path) -> Platform:
    """A REST platform without [tasks.done]: its tasks are finished on its own pages."""
    plugin = folder / "rest"
    plugin.mkdir()
    (plugin / "manifest.toml").write_text(
        textwrap.dedent("""\
            schema = 1
            id = "test.rest"
            name = "卫健平台"
            version = "1"
            home = "{base_url}/"
            origins = ["{base_url}"]
            [tasks]
            kind = "rest-json"
            url = "{base_url}/tasks"
            """),
        encoding="utf-8",
    )
    return Platform(load_manifest(plugin / "manifest.toml"), "http://127.0.0.1:9")


def inbox_of(folder: Path, *platforms: Platform) -> Inbox:
    return Inbox(Registry(list(platforms)), TaskCache(folder / "tasks.sqlite3"), lambda _p: TOKEN)


def names(inbox: Inbox) -> dict[str, str]:
    return {p.id: p.name for p in inbox.platforms}


def run(
    qtbot: QtBot, inbox: Inbox, group: TaskGroup
) -> tuple[MarkDone, MarkDoneOutcome, list[str]]:
    parent = InboxView(InboxModel())
    qtbot.addWidget(parent)
    workers = Workers(parent)
    marker = MarkDone(workers, names(inbox).__getitem__, parent)
    steps: list[str] = []
    marker.progress.connect(steps.append)
    services = cast("Services", SimpleNamespace(inbox=inbox))
    with qtbot.waitSignal(marker.finished, timeout=30_000) as finished:
        assert marker.run(services, group, completable_platforms(inbox), group_tasks)
        assert not marker.run(services, group, completable_platforms(inbox), group_tasks)
    outcome = finished.args[0]
    assert isinstance(outcome, MarkDoneOutcome)
    return marker, outcome, steps


def test_a_task_marked_done_leaves_the_inbox_once_the_platform_confirms(
    qtbot: QtBot, radicale: Radicale, tmp_path: Path
) -> None:
    calendar = radicale.new_calendar(
        "zhangwei", vtodo("keep", "SUMMARY:留着"), vtodo("finish", "SUMMARY:入户走访")
    )
    platform = caldav_platform(tmp_path, str(calendar.url))
    inbox = inbox_of(tmp_path, platform)
    before = inbox.refresh()
    finish = next(g for g in group_tasks(before.tasks) if g.title == "入户走访")

    marker, outcome, steps = run(qtbot, inbox, finish)

    assert [i.id for i in outcome.done] == ["finish"] and not outcome.failed
    assert sorted(t.id for t in outcome.tasks) == ["keep"]
    assert [g.title for g in outcome.groups] == ["留着"]
    assert str(calendar.todo_by_uid("finish").icalendar_component["STATUS"]) == "COMPLETED"
    assert steps == ["Marking done…", f"Marking done on {NAME} (1/1)…", ""]
    assert marker.message_box is None  # nothing went wrong: no box
    status, problems = outcome_text(outcome, names(inbox).__getitem__)
    assert status == f"Marked done on {NAME}: 入户走访" and problems == ""
    after = result_after(outcome, before)
    assert after.states[platform.id].state == "current"
    assert after.states[platform.id].count == 1


def test_a_refusal_is_shown_naming_the_platform_and_the_task_stays(
    qtbot: QtBot, radicale: Radicale, tmp_path: Path
) -> None:
    # zhangwei may read the lead's shared calendar, not change it: Radicale answers 403.
    calendar = radicale.new_calendar("lead", vtodo("shared-1", "SUMMARY:共享任务"), prefix="shared")
    platform = caldav_platform(tmp_path, str(calendar.url))
    inbox = inbox_of(tmp_path, platform)
    groups = group_tasks(inbox.refresh().tasks)
    view = InboxView(InboxModel())
    qtbot.addWidget(view)
    view.model.set_groups(groups)

    marker, outcome, _steps = run(qtbot, inbox, groups[0])

    assert not outcome.done
    [(item, error)] = outcome.failed
    assert item.id == "shared-1" and error.reason == "refused"
    box = marker.message_box
    assert box is not None and box.isVisible()
    assert not box.isModal()  # the window stays usable; the box stays until read
    assert box.text() == "Not everything could be marked done."
    assert box.informativeText().startswith(f"{NAME}: The platform refused the change.\nDetail: ")
    assert "These tasks stay in the inbox." in box.informativeText()
    # The task stays: in the cache, in the regrouped list, on the screen.
    assert [t.id for t in inbox.cached().tasks] == ["shared-1"]
    view.model.set_groups(outcome.groups)
    assert [g.title for g in view.visible_groups()] == ["共享任务"]
    assert "STATUS" not in calendar.todo_by_uid("shared-1").icalendar_component
    box.close()


def test_only_platforms_that_allow_it_are_asked_and_the_others_are_named(
    qtbot: QtBot, radicale: Radicale, tmp_path: Path
) -> None:
    calendar = radicale.new_calendar("zhangwei", vtodo("visit", "SUMMARY:消防检查"))
    caldav = caldav_platform(tmp_path, str(calendar.url))
    rest = rest_platform(tmp_path)
    inbox = inbox_of(tmp_path, caldav, rest)
    assert completable_platforms(inbox) == {caldav.id}
    [visit] = inbox.refresh([caldav.id]).tasks
    other = visit.__class__(platform=rest.id, id="r1", title="消防检查（卫健）", url="http://x/")
    group = TaskGroup("safety|x|2026-11", (visit, other))

    marker, outcome, _steps = run(qtbot, inbox, group)

    assert [i.id for i in outcome.done] == ["visit"]
    assert [i.id for i in outcome.elsewhere] == ["r1"]
    status, problems = outcome_text(outcome, names(inbox).__getitem__)
    assert status.startswith(f"Marked done on {NAME}: 消防检查 ")
    assert "卫健平台 cannot be marked done from the launcher" in status
    assert problems == "" and marker.message_box is None
