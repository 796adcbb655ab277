"""三清 in the real window's web profile (launcher/ui/web_clear.py), with real Chromium pages.

安全排查's page, signed in through the county (the identity provider's page in the window), stores
what web apps store: local and session storage, an IndexedDB database, a Cache Storage cache and a
cookie; 综合执法's page does the same on its own origin. Retiring 安全排查 through the use case, on a
worker as the window runs it, closes its tabs and leaves none of that on its origin, as a real
navigation to its page sees afterwards (and as a blank document given its origin by ``setHtml``
sees: it is how the clearer gets there, so the test first shows that such a document is really
of the origin). 综合执法's storage and cookie stay. Every demo platform and the identity provider
share the host 127.0.0.1, whose cookies are the person's sign-in: they are kept, and the report
says so; a platform on a host of its own loses its cookies.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from typing import Any

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtWebEngineCore import QWebEnginePage, QWebEngineProfile
from pytestqt.qtbot import QtBot

from launcher.app import sanqing
from launcher.core.url_scope import scope_of
from launcher.ui.hidden_page import HiddenPage
from launcher.ui.main_window import MainWindow
from launcher.ui.web_clear import PARENT, PLATFORM, SIGN_IN, whose_cookie
from tests.e2e.signin import LOAD_TIMEOUT, open_signed_in_platform
from tests.e2e.webpage import read_json, run_js, wait_for_js

pytestmark = [
    pytest.mark.webengine,
    pytest.mark.keyring,
    pytest.mark.usefixtures("real_keyring"),
]

RETIRED, KEPT = "demo.anquan", "demo.zhifa"

PUT = """(function () {
  var value = %(value)s;
  localStorage.setItem('sanqing', value);
  sessionStorage.setItem('sanqing', value);
  document.cookie = %(cookie)s + '=1; path=/';
  var open = indexedDB.open('sanqing-db', 1);
  open.onupgradeneeded = function () { open.result.createObjectStore('tasks'); };
  open.onsuccess = function () {
    var db = open.result, tx = db.transaction('tasks', 'readwrite');
    tx.objectStore('tasks').put(value, 'title');
    tx.oncomplete = function () {
      db.close();
      caches.open('sanqing-cache')
        .then(function (cache) { return cache.put('/sanqing', new Response(value)); })
        .then(function () { window.sanqingPut = true; });
    };
  };
})()"""

READ = """(function () {
  window.sanqingRead = null;
  Promise.all([
    indexedDB.databases().then(function (dbs) { return dbs.map(function (d) { return d.name; }); }),
    window.caches ? caches.keys() : Promise.resolve([]),
  ]).then(function (found) {
    window.sanqingRead = {origin: location.origin, local: localStorage.getItem('sanqing'),
                          session: sessionStorage.getItem('sanqing'), cookie: document.cookie,
                          databases: found[0], caches: found[1]};
  });
})()"""


def storage(qtbot: QtBot, page: QWebEnginePage) -> dict[str, Any]:
    """What the page's origin holds, as the page's own scripts see it."""
    run_js(qtbot, page, READ)
    wait_for_js(qtbot, page, "window.sanqingRead !== null")
    found = read_json(qtbot, page, "window.sanqingRead")
    assert isinstance(found, dict)
    return found


def put(qtbot: QtBot, page: QWebEnginePage, value: str, cookie: str) -> None:
    run_js(qtbot, page, PUT % {"value": json.dumps(value), "cookie": json.dumps(cookie)})
    wait_for_js(qtbot, page, "window.sanqingPut === true")


def page_at(qtbot: QtBot, profile: QWebEngineProfile, load: Callable[[QWebEnginePage], None],
            hidden: bool = False) -> QWebEnginePage:
    page: QWebEnginePage = HiddenPage(profile) if hidden else QWebEnginePage(profile)
    with qtbot.waitSignal(page.loadFinished, timeout=LOAD_TIMEOUT):
        load(page)
    return page


def on_a_worker(qtbot: QtBot, work: Callable[[], Any]) -> Any:
    """``work()`` on a thread of its own, as the window's workers run the use case."""
    answer: list[Any] = []
    thread = threading.Thread(target=lambda: answer.append(work()))
    thread.start()
    qtbot.waitUntil(lambda: not thread.is_alive(), timeout=120_000)
    assert answer, "the work raised (see the captured log)"
    return answer[0]


def test_cookie_owners() -> None:
    scopes = tuple(s for s in (scope_of("https://a.gov.cn/app1"), scope_of("http://b.cn:8080"))
                   if s is not None)
    assert whose_cookie("a.gov.cn", "/app1", scopes) == PLATFORM
    assert whose_cookie("a.gov.cn", "/app1/x", scopes) == PLATFORM
    assert whose_cookie("a.gov.cn", "/app10", scopes) is None  # the other app on the host
    assert whose_cookie(".b.cn", "/", scopes) == PLATFORM  # every port: cookies know hosts only
    assert whose_cookie(".gov.cn", "/", scopes) == PARENT  # sent to other sites too
    assert whose_cookie("c.gov.cn", "/", scopes) is None
    assert whose_cookie("b.cn", "/", scopes, frozenset({"b.cn"})) == SIGN_IN


def test_retiring_a_platform_clears_its_web_data_in_the_window(
    qtbot: QtBot, signed_in: MainWindow
) -> None:
    window = signed_in
    services = window.services
    assert services is not None and services.web_clearer is not None
    retired, kept = services.registry.get(RETIRED), services.registry.get(KEPT)
    assert retired is not None and kept is not None
    origin = retired.origins[0]

    tab = open_signed_in_platform(qtbot, window, RETIRED)
    put(qtbot, tab.page, "三清网页数据安全检查", "sanqing_retired")
    other = open_signed_in_platform(qtbot, window, KEPT)
    put(qtbot, other.page, "执法网页数据", "sanqing_kept")
    profile = tab.page.profile()
    # A window the platform's page opened: a tab of no platform, on its origin.
    popup = window.open_web(origin + "/", "popup")
    qtbot.waitUntil(lambda: retired.owns(popup.url()), timeout=LOAD_TIMEOUT)
    wait_for_js(qtbot, popup.page, "document.readyState === 'complete'")
    assert len(window.web_tabs()) == 3

    # A blank document given the origin by setHtml is of that origin: it sees what the
    # platform's own page stored (session storage is each page's own).
    blank = page_at(qtbot, profile,
                    lambda p: p.setHtml("<html></html>", QUrl(origin + "/")), hidden=True)
    seen = storage(qtbot, blank)
    assert seen["origin"] == origin and seen["local"] == "三清网页数据安全检查"
    assert "sanqing-db" in seen["databases"] and seen["caches"] == ["sanqing-cache"]
    blank.deleteLater()

    report = on_a_worker(qtbot, lambda: sanqing.retire(
        services, [RETIRED], why=sanqing.BY_PERSON, web=services.web_clearer))

    # Its tabs are closed (the one opened for it, and the page on its origin); the other stays.
    assert [t.platform_id for t in window.web_tabs()] == [KEPT]
    # A real visit to its page finds nothing its pages stored.
    again = page_at(qtbot, profile, lambda p: p.load(QUrl(retired.home)))
    assert again.url().toString().startswith(origin)
    after = storage(qtbot, again)
    assert after["local"] is None and after["session"] is None
    assert after["databases"] == [] and after["caches"] == []
    # The other platform's page holds all of it still.
    left = storage(qtbot, other.page)
    assert left["local"] == "执法网页数据" and left["session"] == "执法网页数据"
    assert left["databases"] == ["sanqing-db"] and left["caches"] == ["sanqing-cache"]
    # Cookies: the demo's platforms share 127.0.0.1 with the identity provider, whose cookies
    # are the sign-in: kept, and said so (the page above signed in again by itself with them).
    assert "sanqing_retired=1" in after["cookie"]
    (web,) = [item for item in report.items if item.kind == "web data"]
    assert web.state is sanqing.State.PARTLY and web.held == 0
    notes = [(n.done, n.detail) for n in web.notes]
    assert (True, "2 tab(s) of the platform closed") in notes
    for part in ("cookies", "local storage", "session storage", "IndexedDB", "Cache Storage"):
        assert any(done and detail.startswith(part) for done, detail in notes), (part, notes)
    kept = [detail.split(":")[0] for done, detail in notes if not done]
    assert "cookies of the county sign-in's host" in kept and "HTTP cache" in kept
    assert set(kept) <= {"cookies of the county sign-in's host", "HTTP cache",
                         "service workers"}
    again.deleteLater()


def test_a_platform_on_a_host_of_its_own_loses_its_cookies(
    qtbot: QtBot, signed_in: MainWindow
) -> None:
    """``localhost`` names the same demo server under another host: the clearer is given that
    origin, whose cookies are the platform's alone."""
    window = signed_in
    services = window.services
    platform = services.registry.get(KEPT) if services is not None else None
    assert platform is not None and services is not None and services.web_clearer is not None
    own = platform.origins[0].replace("127.0.0.1", "localhost")
    tab = open_signed_in_platform(qtbot, window, KEPT)
    put(qtbot, tab.page, "留下", "sanqing_stays")
    profile = tab.page.profile()
    elsewhere = page_at(qtbot, profile, lambda p: p.setHtml("<html></html>", QUrl(own + "/")),
                        hidden=True)
    put(qtbot, elsewhere, "自己的主机", "sanqing_own_host")
    assert storage(qtbot, elsewhere)["cookie"] == "sanqing_own_host=1"
    elsewhere.deleteLater()

    clearer = services.web_clearer
    done = on_a_worker(qtbot, lambda: clearer.clear_web(("demo.elsewhere",), (own,)))

    assert done.profile and done.cookies == 1 and not done.failed
    assert {part for part, _why in done.kept} <= {"HTTP cache", "service workers"}
    assert done.tabs == 0 and window.web_tabs() == [tab]
    blank = page_at(qtbot, profile, lambda p: p.setHtml("<html></html>", QUrl(own + "/")),
                    hidden=True)
    gone = storage(qtbot, blank)
    assert gone["local"] is None and gone["cookie"] == "" and gone["databases"] == []
    blank.deleteLater()
    stays = storage(qtbot, tab.page)
    assert stays["local"] == "留下" and "sanqing_stays=1" in stays["cookie"]
