"""Every declarative source kind against a local platform shaped like a real back-end, read from
its manifest alone: RuoYi-Vue, a vendor's POST-and-cursor API, a GBK legacy API, an .ics
subscription, an RSS feed, CalDAV found by discovery."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from apps import PERSON, RUOYI_TOKEN, VENDOR_KEY
from conftest import MANIFESTS, SERVER, write_manifest

from launcher.core.errors import ConfigError
from launcher.core.inbox.cache import TaskCache
from launcher.core.inbox.service import Inbox
from launcher.core.manifest import load_manifest
from launcher.core.registry import Platform, Registry
from launcher.core.states import FailureReason

TOKENS = {"test.ruoyi": RUOYI_TOKEN, "test.vendor": VENDOR_KEY, "test.caldav": "tok-zhangwei"}


def platforms(folder: Path, urls: dict[str, str], names: list[str] | None = None) -> list[Platform]:
    return [Platform(load_manifest(write_manifest(folder, name)), urls[SERVER[name]])
            for name in names or list(MANIFESTS)]


def refresh(folder: Path, found: list[Platform], tokens: dict[str, str] = TOKENS):
    cache = TaskCache(folder / "tasks.sqlite3")
    inbox = Inbox(Registry(found), cache, lambda p: tokens.get(p.id),
                  person=lambda: {"username": PERSON, "sub": "sub-wf", "name": "王芳"})
    try:
        return inbox.refresh()
    finally:
        cache.close()


def test_every_kind_lists_its_tasks_from_the_manifest_alone(tmp_path, platform_urls) -> None:
    result = refresh(tmp_path, platforms(tmp_path, platform_urls))
    failed = {k: (s.reason, s.message) for k, s in result.states.items() if s.state != "current"}
    assert not failed
    by = {}
    for task in result.tasks:
        by.setdefault(task.platform, {})[task.id] = task
    # RuoYi: three pages of three, the dictionary's "2" (done) left out, China time.
    assert sorted(by["test.ruoyi"]) == ["100", "101", "102", "103", "105", "106"]
    assert by["test.ruoyi"]["100"].due == datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
    assert by["test.ruoyi"]["101"].status == "open"
    # The vendor: POST with the person's name in the body, three pages by cursor, epoch ms.
    assert sorted(by["test.vendor"]) == ["V0", "V1", "V2", "V3", "V4"]
    assert by["test.vendor"]["V0"].due == datetime.fromtimestamp(1796000000, UTC)
    # GBK, a Chinese date pattern (the end of that day, China time).
    assert by["test.legacy"]["g1"].title == "防汛值班表上报"
    assert by["test.legacy"]["g2"].due == datetime(2026, 12, 20, 15, 59, 59, tzinfo=UTC)
    # .ics: an event (due at its end, floating = China time) and a to-do; the cancelled one out.
    assert sorted(by["test.ics"]) == ["meeting-1@county", "todo-1@county"]
    assert by["test.ics"]["meeting-1@county"].due == datetime(2026, 12, 10, 3, tzinfo=UTC)
    assert by["test.ics"]["meeting-1@county"].url.endswith("/meetings/1")
    # RSS: guid, link, the launcher's due extension.
    assert by["test.rss"]["notice-1"].title == "关于开展冬季防火检查的通知"
    assert by["test.rss"]["notice-1"].due == datetime(2026, 12, 18, 15, 59, 59, tzinfo=UTC)
    # CalDAV from the server root: only the calendar that holds VTODOs.
    assert [t.title for t in by["test.caldav"].values()] == ["CalDAV 任务"]


def test_ruoyi_refusal_in_http_200_is_signed_out_with_its_own_words(tmp_path,
                                                                     platform_urls) -> None:
    result = refresh(tmp_path, platforms(tmp_path, platform_urls, ["ruoyi"]),
                     {"test.ruoyi": "expired"})
    state = result.states["test.ruoyi"]
    assert state.reason == FailureReason.SIGNED_OUT
    assert "认证失败，无法访问系统资源" in state.message and "code 401" in state.message


def test_a_vendor_error_code_is_a_platform_error_and_its_refusal_signed_out(
        tmp_path, platform_urls) -> None:
    result = refresh(tmp_path, platforms(tmp_path, platform_urls, ["vendor"]),
                     {"test.vendor": "wrong"})
    assert result.states["test.vendor"].reason == FailureReason.SIGNED_OUT
    assert "invalid token" in result.states["test.vendor"].message


def test_a_redirect_to_the_platforms_login_page_is_signed_out(tmp_path, platform_urls) -> None:
    manifest = write_manifest(tmp_path, "ruoyi")
    text = manifest.read_text(encoding="utf-8").replace("/prod-api/task/list",
                                                        "/prod-api/redirecting/list")
    manifest.write_text(text, encoding="utf-8")
    found = [Platform(load_manifest(manifest), platform_urls["ruoyi"])]
    state = refresh(tmp_path, found).states["test.ruoyi"]
    assert state.reason == FailureReason.SIGNED_OUT
    assert "login page" in state.message


@pytest.mark.parametrize(
    ("tasks", "key"),
    [
        ('kind = "rest-json"\nurl = "{base_url}/x"\nmethod = "PUT"', "tasks.method"),
        ('kind = "rest-json"\nurl = "{base_url}/x"\nbody = { a = 1 }', "tasks.body"),
        ('kind = "rest-json"\nurl = "{base_url}/x"\nmethod = "POST"\nbody = { a = "{secret}" }',
         "tasks.body.a"),
        ('kind = "rest-json"\nurl = "{base_url}/x"\nheaders = { "Bad Header" = "x" }',
         "tasks.headers.Bad Header"),
        ('kind = "rest-json"\nurl = "{base_url}/x"\ncharset = "klingon"', "tasks.charset"),
        ('kind = "rest-json"\nurl = "{base_url}/x"\ndate_format = "HH:mm"', "tasks.date_format"),
        ('kind = "rest-json"\nurl = "{base_url}/x"\nstatuses = { "1" = "finished" }',
         "tasks.statuses.1"),
        ('kind = "rest-json"\nurl = "{base_url}/x"\nanswer = { code = "code" }', "tasks.answer.ok"),
        ('kind = "rest-json"\nurl = "{base_url}/x"\nanswer = { code = "c", ok = 0, colour = 1 }',
         "tasks.answer.colour"),
        ('kind = "rest-json"\nurl = "https://{username}.example/x"', "tasks.url"),
        ('kind = "rest-json"\nurl = "{base_url}/x?token={token}"', "tasks.url"),
        ('kind = "rest-json"\nurl = "{base_url}/x"\n[tasks.paging]\nkind = "cursor"', "tasks.paging.next"),
        ('kind = "rest-json"\nurl = "{base_url}/x"\n[tasks.paging]\nkind = "cursor"\n'
         'next = "n"\nsend = "body"', "tasks.paging.send"),
        ('kind = "ics"\nurl = "{base_url}/x.ics"\nmethod = "POST"', "tasks.method"),
        ('kind = "feed"\nurl = "{base_url}/x.rss"\nfields = { id = "x" }', "tasks.fields"),
        ('kind = "ics"\nurl = "{base_url}/x.ics"\ndiscover = true', "tasks.discover"),
        ('kind = "caldav"\nurl = "{base_url}/"\ncalendars = ["x"]', "tasks.calendars"),
    ],
)
def test_manifest_mistakes_name_the_file_and_key(tmp_path, tasks, key) -> None:
    path = tmp_path / "manifest.toml"
    path.write_text('schema = 1\nid = "test.x"\nname = "x"\nversion = "1"\nhome = "{base_url}/"\n'
                    f'origins = ["{{base_url}}"]\n[tasks]\n{tasks}\n', encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_manifest(path)
    assert caught.value.key == key, str(caught.value)
    assert str(path) in str(caught.value)


def test_a_feed_with_entities_is_refused_unexpanded(tmp_path, platform_urls) -> None:
    """A billion-laughs feed: the DTD is refused before any entity is expanded."""
    from launcher.core.errors import SourceError
    from launcher.core.inbox.feed_source import FeedSource

    hostile = (b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa">'
               b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
               b"<rss><channel><item><title>&b;</title><guid>1</guid></item></channel></rss>")

    class Hostile(FeedSource):  # the parser's input as a hostile server would send it
        def document(self, token, timeout):
            return hostile

    source = Hostile(platforms(tmp_path, platform_urls, ["rss"])[0])
    with pytest.raises(SourceError) as caught:
        source.fetch(token=None, timeout=5)
    assert caught.value.reason == FailureReason.UNREADABLE
