"""CalDAV VTODO task sources against a real Radicale server: reading, marking done, refusals."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import caldav
import pytest
from _caldav_server import Radicale, caldav_platform, free_port, vtodo

from launcher.api import TaskItem
from launcher.core.auth.vault import Credentials, PasswordVault
from launcher.core.errors import ConfigError, SourceError
from launcher.core.inbox.cache import TaskCache
from launcher.core.inbox.caldav_source import CalDavSource
from launcher.core.inbox.service import Inbox
from launcher.core.inbox.sources import source_for
from launcher.core.inbox.timestamps import CHINA
from launcher.core.registry import Platform, Registry
from launcher.core.secrets import SecretStore

TOKEN = "tok-zhangwei"


def _inbox(platform: Platform, folder: Path, token: str | None = TOKEN,
           credentials: Credentials | None = None) -> Inbox:
    return Inbox(Registry([platform]), TaskCache(folder / "tasks.sqlite3"), lambda _p: token,
                 credentials=lambda _pid: credentials)


def _server_todo(calendar: caldav.Calendar, uid: str) -> object:
    return calendar.todo_by_uid(uid).icalendar_component


def _ids(tasks: list[TaskItem]) -> list[str]:
    return sorted(t.id for t in tasks)


def test_open_vtodos_become_task_items_with_every_field(radicale: Radicale,
                                                         tmp_path: Path) -> None:
    calendar = radicale.new_calendar(
        "zhangwei",
        vtodo("full-1", "SUMMARY:低保年审 王家村", "DUE:20261130T090000Z", "PRIORITY:2",
              "STATUS:IN-PROCESS", "URL:/tasks/full-1", "X-YIDUANTONG-FORM:dibao_review",
              "X-YIDUANTONG-SUBJECT:王家村 3 组 李某户", "X-YIDUANTONG-PERIOD:2026-11",
              "LAST-MODIFIED:20261102T080000Z"),
        vtodo("date-2", "SUMMARY:消防检查", "DUE;VALUE=DATE:20261201", "PRIORITY:0",
              "URL:javascript:alert(1)"),
        vtodo("floating-3", "SUMMARY:走访", "DUE:20261205T170000"),
        vtodo("done-4", "SUMMARY:已完成", "STATUS:COMPLETED", "COMPLETED:20261101T000000Z"),
        vtodo("cancelled-5", "SUMMARY:已取消", "STATUS:CANCELLED"),
        vtodo("untitled-6", "DESCRIPTION:no summary"),
    )
    platform = caldav_platform(tmp_path, str(calendar.url))
    source = source_for(platform)
    assert isinstance(source, CalDavSource)

    tasks = {t.id: t for t in source.fetch(token=TOKEN, timeout=5)}

    assert sorted(tasks) == ["date-2", "floating-3", "full-1"]
    assert source.skipped == 1  # the VTODO without SUMMARY
    full = tasks["full-1"]
    assert full == TaskItem(
        platform="test.caldav", id="full-1", title="低保年审 王家村",
        url=f"{platform.base_url}/tasks/full-1",
        due=datetime(2026, 11, 30, 9, 0, tzinfo=UTC), status="in-process",
        form="dibao_review", subject="王家村 3 组 李某户", period="2026-11", priority=2,
        updated=datetime(2026, 11, 2, 8, 0, tzinfo=UTC))
    dated = tasks["date-2"]
    # A date means "by the end of that day", China time; a javascript: link opens the home page.
    assert dated.due == datetime(2026, 12, 1, 23, 59, 59, tzinfo=CHINA)
    assert (dated.url, dated.status, dated.priority, dated.form) == (platform.home, "open", None,
                                                                     None)
    assert tasks["floating-3"].due == datetime(2026, 12, 5, 17, 0, tzinfo=CHINA)


def test_a_wrong_bearer_token_is_signed_out(radicale: Radicale, tmp_path: Path) -> None:
    calendar = radicale.new_calendar("zhangwei", vtodo("a", "SUMMARY:A"))
    source = CalDavSource(caldav_platform(tmp_path, str(calendar.url)))
    with pytest.raises(SourceError) as caught:
        source.fetch(token="not-a-county-token", timeout=5)
    assert caught.value.reason == "signed-out"
    assert "refused the sign-in" in str(caught.value)
    assert "not-a-county-token" not in str(caught.value)


@pytest.mark.keyring
@pytest.mark.usefixtures("real_keyring")
def test_a_password_platform_signs_in_with_the_vaults_account(radicale: Radicale,
                                                               tmp_path: Path) -> None:
    calendar = radicale.new_calendar("zhangwei", vtodo("p-1", "SUMMARY:密码平台任务"))
    platform = caldav_platform(tmp_path, str(calendar.url), auth="password")
    vault = PasswordVault(SecretStore(f"vault/caldav-test-{uuid.uuid4().hex[:8]}"))
    source = CalDavSource(platform, vault.get)
    try:
        with pytest.raises(SourceError) as caught:
            source.fetch(token=None, timeout=5)
        assert caught.value.reason == "signed-out"
        assert "no saved password" in str(caught.value)

        vault.set(platform.id, "zhangwei", "wrong-password")
        with pytest.raises(SourceError) as caught:
            source.fetch(token=None, timeout=5)
        assert caught.value.reason == "signed-out"

        vault.set(platform.id, "zhangwei", "zw123456")
        assert _ids(source.fetch(token=None, timeout=5)) == ["p-1"]
    finally:
        vault.forget(platform.id)


def test_mark_done_completes_the_vtodo_and_the_reread_confirms(radicale: Radicale,
                                                                tmp_path: Path) -> None:
    calendar = radicale.new_calendar("zhangwei", vtodo("keep", "SUMMARY:留着"),
                                     vtodo("finish", "SUMMARY:做完", "PERCENT-COMPLETE:40"))
    platform = caldav_platform(tmp_path, str(calendar.url))
    inbox = _inbox(platform, tmp_path)
    assert _ids(inbox.refresh().tasks) == ["finish", "keep"]

    inbox.complete(platform.id, "finish")

    # On the server: completed the way calendar apps expect.
    done = _server_todo(calendar, "finish")
    assert str(done["STATUS"]) == "COMPLETED"
    assert int(done["PERCENT-COMPLETE"]) == 100
    assert done.decoded("COMPLETED") <= datetime.now(UTC)
    # In the inbox, from the cache alone: only the other task is left, and the platform current.
    cached = inbox.cached()
    assert _ids(cached.tasks) == ["keep"]
    assert inbox.refresh().states[platform.id].state == "current"
    assert _ids(inbox.refresh().tasks) == ["keep"]


def test_marking_done_on_a_read_only_calendar_is_refused_and_the_cache_kept(
        radicale: Radicale, tmp_path: Path) -> None:
    calendar = radicale.new_calendar("lead", vtodo("shared-1", "SUMMARY:共享任务"),
                                     prefix="shared")
    platform = caldav_platform(tmp_path, str(calendar.url))
    inbox = _inbox(platform, tmp_path)
    assert _ids(inbox.refresh().tasks) == ["shared-1"]  # zhangwei may read it

    with pytest.raises(SourceError) as caught:
        inbox.complete(platform.id, "shared-1")

    assert caught.value.reason == "refused"
    assert "does not allow" in str(caught.value) and "403" in str(caught.value)
    assert _ids(inbox.cached().tasks) == ["shared-1"]
    assert "STATUS" not in _server_todo(calendar, "shared-1")


def test_marking_done_a_task_deleted_meanwhile_is_refused(radicale: Radicale,
                                                          tmp_path: Path) -> None:
    calendar = radicale.new_calendar("zhangwei", vtodo("gone", "SUMMARY:被删了"),
                                     vtodo("other", "SUMMARY:另一个"))
    platform = caldav_platform(tmp_path, str(calendar.url))
    inbox = _inbox(platform, tmp_path)
    assert _ids(inbox.refresh().tasks) == ["gone", "other"]
    calendar.todo_by_uid("gone").delete()

    with pytest.raises(SourceError) as caught:
        inbox.complete(platform.id, "gone")

    assert caught.value.reason == "refused"
    assert "no longer in the calendar" in str(caught.value)
    assert _ids(inbox.cached().tasks) == ["gone", "other"]


@pytest.fixture
def down_platform(tmp_path: Path) -> Iterator[Platform]:
    yield caldav_platform(tmp_path, f"http://127.0.0.1:{free_port()}/zhangwei/tasks/")


def test_a_server_that_is_down_fails_with_network(down_platform: Platform,
                                                  tmp_path: Path) -> None:
    with pytest.raises(SourceError) as caught:
        CalDavSource(down_platform).fetch(token=TOKEN, timeout=5)
    assert caught.value.reason == "network"
    assert "Connection refused" in str(caught.value)

    inbox = _inbox(down_platform, tmp_path)
    state = inbox.refresh().states[down_platform.id]
    assert (state.state, state.reason) == ("failed", "network")
    with pytest.raises(SourceError) as caught:
        inbox.complete(down_platform.id, "any")
    assert caught.value.reason == "network"


def test_manifest_rejects_rest_json_keys_on_a_caldav_source(tmp_path: Path) -> None:
    platform = caldav_platform(tmp_path, "http://127.0.0.1:1/zhangwei/tasks/")
    path = platform.manifest.path
    path.write_text(path.read_text(encoding="utf-8") + 'items = "data"\n', encoding="utf-8")
    from launcher.core.manifest import load_manifest

    with pytest.raises(ConfigError) as caught:
        load_manifest(path)
    assert caught.value.key == "tasks.items"
    assert 'does not apply to kind = "caldav"' in str(caught.value)


@pytest.mark.keyring
@pytest.mark.usefixtures("real_keyring")
def test_a_basic_auth_server_needs_no_login_page(radicale: Radicale, tmp_path: Path) -> None:
    """A CalDAV server with HTTP basic auth is a password platform without a login page: the
    manifest needs no [auth.login], and the vault's saved account signs the source in."""
    calendar = radicale.new_calendar("zhangwei", vtodo("b-1", "SUMMARY:无登录页的任务"))
    platform = caldav_platform(tmp_path, str(calendar.url), auth="password", login_page=False)
    assert platform.manifest.auth.login is None and platform.login_url == ""
    vault = PasswordVault(SecretStore(f"vault/caldav-test-{uuid.uuid4().hex[:8]}"))
    try:
        vault.set(platform.id, "zhangwei", "zw123456")
        assert _ids(CalDavSource(platform, vault.get).fetch(token=None, timeout=5)) == ["b-1"]
    finally:
        vault.forget(platform.id)
