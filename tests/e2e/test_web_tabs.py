"""Web tabs in the launcher's window, with real Chromium pages (QtWebEngine, offscreen) from real
HTTP servers on 127.0.0.1: two platforms behind one gateway (``/app1`` and ``/app2`` of one
host:port), the county's sign-in service under ``/idp`` of it, and a page of another origin.

- Popups: a page that calls window.open 120 times by itself opens no tab, and says so in the
  status bar; a click opens one tab (of no platform, not opened by the person), and a page gets a
  few windows a minute at most.
- The address bar above every page: origin, and whether the page is the tab's platform's, the
  sign-in service's, another platform's, or nobody's.
- Fill on two platforms of one origin: each fills its own form.
- Tab titles from pages are plain, bounded text, after the platform's name.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from launcher.ui.address_bar import FOREIGN, OTHER, OWN, SIGN_IN
from launcher.ui.main_window import MainWindow
from launcher.ui.plain_text import tooltip
from launcher.ui.web import OPEN_POPUPS, POPUPS_PER_MINUTE, WebTab
from tests.e2e.filling import fill_with_preview
from tests.e2e.signin import LOAD_TIMEOUT, current_web_tab, launcher_window
from tests.e2e.webpage import read_json, run_js, wait_for_js
from tests.unit.core._local_http import LocalServer, local_server

pytestmark = [
    pytest.mark.webengine,
    pytest.mark.keyring,
    pytest.mark.usefixtures("real_keyring"),
]

MANIFEST = """schema = 1
id = "{id}"
name = "{name}"
version = "1.0.0"
home = "{{base_url}}/"
origins = ["{{base_url}}"]
[[forms]]
key = "{id}.form"
name = "表"
url = "{{base_url}}/form/new"
fields = {{ "#{field}" = "person.name" }}
"""
ONE, TWO = "一号平台", "二号平台"
BUTTONS = "margin:0; display:block; width:400px; height:150px"
HOME = f"""<!doctype html><title>一号平台首页</title><body style="margin:0">
<button id=many style="{BUTTONS}"
  onclick="for (let i = 0; i < 120; i++) window.open('/app1/popup?many=' + i)">许多窗口</button>
<button id=one style="{BUTTONS}" onclick="window.open('/app1/popup?one')">一个窗口</button>
</body>"""
SPAM = """<!doctype html><title>弹窗</title><body><script>
  for (let i = 0; i < 120; i++) window.open('/app1/popup?spam=' + i);
  document.title = '弹完了';
</script></body>"""
FORM = '<!doctype html><title>{title}</title><form><input id="{field}"></form>'
HOSTILE_TITLE = '<img src="/dev/zero">A&B 一个非常非常非常非常非常非常非常非常长的标题'


def serve(gateway: LocalServer, other: LocalServer) -> None:
    gateway.html("/app1/", HOME)
    gateway.html("/app1/spam", SPAM)
    gateway.html("/app1/popup", "<!doctype html><title>弹出页</title><p>弹出页</p>")
    gateway.html("/app1/form/new", FORM.format(title="一号表", field="a"))
    gateway.html("/app2/", "<!doctype html><title>二号平台首页</title>")
    gateway.html("/app2/form/new", FORM.format(title="二号表", field="b"))
    gateway.html("/app10/", "<!doctype html><title>十号</title>")
    gateway.html("/idp/login", "<!doctype html><title>统一身份认证</title><p>登录</p>")
    gateway.html("/app1/hostile", f"<!doctype html><title>{HOSTILE_TITLE}</title>")
    other.html("/login", "<!doctype html><title>统一身份认证</title><p>假的登录页</p>")


def county_file(folder: Path, gateway: str) -> Path:
    for plugin_id, name, field in (("t.one", ONE, "a"), ("t.two", TWO, "b")):
        plugin = folder / "plugins" / plugin_id
        plugin.mkdir(parents=True)
        (plugin / "manifest.toml").write_text(
            MANIFEST.format(id=plugin_id, name=name, field=field), encoding="utf-8"
        )
    county = folder / "county.toml"
    county.write_text(
        f'[county]\nid = "gateway"\nname = "网关县"\n[idp]\nissuer = "{gateway}/idp"\n'
        f'[[platforms]]\nplugin = "t.one"\nbase_url = "{gateway}/app1"\n'
        f'[[platforms]]\nplugin = "t.two"\nbase_url = "{gateway}/app2"\n',
        encoding="utf-8",
    )
    return county


@pytest.fixture(scope="module")
def servers() -> Iterator[tuple[LocalServer, LocalServer]]:
    with local_server() as gateway, local_server() as other:
        serve(gateway, other)
        yield gateway, other


@pytest.fixture(scope="module")
def window(
    servers: tuple[LocalServer, LocalServer],
    qapp: QApplication,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[MainWindow]:
    folder = tmp_path_factory.mktemp("gateway-county")
    county = county_file(folder, servers[0].url)
    with launcher_window(qapp, county, folder / "home", language="en") as main:
        yield main


@pytest.fixture
def gui(
    qtbot: QtBot, window: MainWindow, servers: tuple[LocalServer, LocalServer]
) -> MainWindow:
    """The module's window with no web tabs, and servers that have seen no request yet (each test
    counts those of its own pages)."""
    qtbot.waitUntil(lambda: window.services is not None, timeout=LOAD_TIMEOUT)
    window.close_web_tabs()
    for server in servers:
        server.seen.clear()
    return window


def loaded(qtbot: QtBot, tab: WebTab, title: str) -> None:
    """Wait until ``tab`` shows the page titled ``title``."""
    wait_for_js(qtbot, tab.page, f"document.readyState === 'complete' && document.title === '{title}'")


def click(qtbot: QtBot, tab: WebTab, selector: str) -> None:
    """A real click of the person (a user gesture for Chromium) in the middle of ``selector``."""
    box = read_json(
        qtbot,
        tab.page,
        f"(r => ({{x: r.x + r.width / 2, y: r.y + r.height / 2}}))"
        f"(document.querySelector('{selector}').getBoundingClientRect())",
    )
    target = tab.view.focusProxy()
    assert target is not None
    qtbot.mouseClick(target, Qt.MouseButton.LeftButton, pos=QPoint(int(box["x"]), int(box["y"])))


def test_a_page_opens_no_window_by_itself(
    qtbot: QtBot, gui: MainWindow, servers: tuple[LocalServer, LocalServer]
) -> None:
    tab = gui.open_web(servers[0].url + "/app1/spam", ONE, platform_id="t.one")
    loaded(qtbot, tab, "弹完了")
    qtbot.waitUntil(lambda: tab.page.refused == 120, timeout=LOAD_TIMEOUT)
    assert gui.web_tabs() == [tab]
    # A refused window never loads: its address was not even asked for.
    assert [seen.path for seen in servers[0].seen].count("/app1/popup") == 0
    message = gui.statusBar().currentMessage()
    assert "Blocked a window" in message and "by itself" in message and "120" in message


def test_a_click_opens_one_tab_of_no_platform(
    qtbot: QtBot, gui: MainWindow, servers: tuple[LocalServer, LocalServer]
) -> None:
    gui.open_platform("t.one")
    home = current_web_tab(gui)
    loaded(qtbot, home, "一号平台首页")
    assert (home.platform_id, home.opened_by_person) == ("t.one", True)

    # One click, 120 window.open calls: the click opens one window, the other 119 have no gesture.
    click(qtbot, home, "#many")
    qtbot.waitUntil(lambda: len(gui.web_tabs()) == 2, timeout=LOAD_TIMEOUT)
    qtbot.waitUntil(lambda: home.page.refused == 119, timeout=LOAD_TIMEOUT)
    popup = current_web_tab(gui)
    assert popup is not home
    # A window a page opened proves no platform and was not opened by the person.
    assert (popup.platform_id, popup.opened_by_person) == ("", False)
    loaded(qtbot, popup, "弹出页")
    assert popup.url().startswith(servers[0].url + "/app1/popup?many=0")
    # Its address decides whose page it is, like any page's.
    assert popup.address.place.kind == OWN and popup.address.place.platform == ONE

    # Each click opens one more, up to the budget of a minute; then the page is refused.
    gui.tabs.setCurrentWidget(home)
    for opened in range(2, POPUPS_PER_MINUTE + 1):
        click(qtbot, home, "#one")
        qtbot.waitUntil(lambda n=opened: len(gui.web_tabs()) == n + 1, timeout=LOAD_TIMEOUT)
        gui.tabs.setCurrentWidget(home)
    assert POPUPS_PER_MINUTE < OPEN_POPUPS
    click(qtbot, home, "#one")
    qtbot.waitUntil(lambda: home.page.refused == 120, timeout=LOAD_TIMEOUT)
    assert len(gui.web_tabs()) == POPUPS_PER_MINUTE + 1
    assert "too many windows" in gui.statusBar().currentMessage()


def test_the_address_bar_says_whose_page_it_is(
    qtbot: QtBot, gui: MainWindow, servers: tuple[LocalServer, LocalServer]
) -> None:
    gateway, other = servers
    gui.open_platform("t.one")
    tab = current_web_tab(gui)
    bar = tab.address
    loaded(qtbot, tab, "一号平台首页")
    host = gateway.url.removeprefix("http://")
    assert (bar.scheme.text(), bar.host.text()) == ("http://", host)
    assert bar.whose.text() == f"Part of {ONE}" and not bar.place.warning
    assert bar.insecure.isHidden()  # plain http to this machine crosses no network
    assert host in bar.accessibleDescription() and ONE in bar.accessibleDescription()

    expected = [
        ("/app2/form/new", "二号表", OTHER, f"⚠ Part of {TWO}, not of {ONE}"),
        ("/idp/login", "统一身份认证", SIGN_IN, "County sign-in service"),
        ("/app10/", "十号", FOREIGN, f"⚠ Not part of {ONE}"),
    ]
    for path, title, kind, words in expected:
        tab.load(gateway.url + path)
        loaded(qtbot, tab, title)
        qtbot.waitUntil(lambda k=kind: bar.place.kind == k, timeout=LOAD_TIMEOUT)
        assert bar.whose.text() == words
        assert bar.whose.property("warning") is (kind in (OTHER, FOREIGN))

    # Another origin posing as the county's sign-in page.
    tab.load(other.url + "/login")
    loaded(qtbot, tab, "统一身份认证")
    qtbot.waitUntil(lambda: bar.place.kind == FOREIGN, timeout=LOAD_TIMEOUT)
    assert bar.host.text() == other.url.removeprefix("http://")
    assert bar.whose.text() == f"⚠ Not part of {ONE}"


def test_fill_on_two_platforms_of_one_origin(
    qtbot: QtBot,
    gui: MainWindow,
    servers: tuple[LocalServer, LocalServer],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert gui.services is not None
    # Nobody is signed in here: the profile's values are given, the rest is the real Fill.
    monkeypatch.setattr(gui.services.profile, "values", lambda **_: {"person.name": "张伟"})
    for plugin_id, title, field in (("t.two", "二号表", "b"), ("t.one", "一号表", "a")):
        base = servers[0].url + ("/app2" if plugin_id == "t.two" else "/app1")
        tab = gui.open_web(base + "/form/new", title, platform_id=plugin_id)
        loaded(qtbot, tab, title)
        qtbot.waitUntil(gui.fill_action.isEnabled, timeout=LOAD_TIMEOUT)
        result = fill_with_preview(qtbot, gui)
        assert result.get("filled") == ["person.name"], result
        assert run_js(qtbot, tab.page, f"document.querySelector('#{field}').value") == "张伟"


def test_tab_titles_from_pages_are_plain_and_short(
    qtbot: QtBot, gui: MainWindow, servers: tuple[LocalServer, LocalServer]
) -> None:
    tab = gui.open_web(servers[0].url + "/app1/hostile", "<b>标题</b>", platform_id="t.one")
    index = gui.tabs.indexOf(tab)
    assert gui.tabs.tabToolTip(index) == tooltip(ONE, "<b>标题</b>")
    wait_for_js(qtbot, tab.page, "location.pathname === '/app1/hostile' && document.title")
    title = run_js(qtbot, tab.page, "document.title")
    qtbot.waitUntil(
        lambda: gui.tabs.tabToolTip(index) == tooltip(ONE, title), timeout=LOAD_TIMEOUT
    )
    assert "&lt;img" in gui.tabs.tabToolTip(index) and "<img" not in gui.tabs.tabToolTip(index)
    text = gui.tabs.tabText(index)
    # The platform's name, then at most 24 characters of the title and an ellipsis; "&"
    # doubled, so Qt shows it instead of a shortcut.
    prefix = f"{ONE} · "
    assert text.startswith(prefix + '<img src="/dev/zero">A&&B') and text.endswith("…")
    assert len(text.removeprefix(prefix).replace("&&", "&")) <= 25
