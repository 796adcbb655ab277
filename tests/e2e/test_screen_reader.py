"""The launcher as a screen reader finds it: its window read over AT-SPI, the accessibility bus
of Linux desktops that Orca reads (tests/e2e/atspi.py starts a private one with Xvfb).

The window runs in a process of its own (tests/e2e/screen_reader_child.py) on Qt's xcb platform,
whose accessibility bridge puts it on the bus; it signs in to the demo county as its first user.
A screen reader's view of it: every control showing is named (the toolbar, the platform buttons
with their states, the inbox's views, filter, search and table, the tabs, the status bar's
lines, the menus with 帮助's entries); pressing 刷新 through AT-SPI's Action interface is
answered by an ``object:announcement`` saying how many tasks there are; 使用指南 opens a window
whose controls are named; 复制 there is announced.
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from launcher_demo import DemoCounty
from tests.e2e.atspi import POLITE, AtSpi, Node, desktop, missing_programs
from tests.e2e.signin import USER

pytestmark = pytest.mark.skipif(
    bool(missing_programs()), reason=f"needs {', '.join(missing_programs())} (scripts/setup.sh)"
)

ROOT = Path(__file__).resolve().parents[2]
INTERACTIVE = {
    "push button", "toggle button", "check box", "radio button", "combo box", "text",
    "password text", "spin button", "slider", "menu item", "check menu item",
    "radio menu item", "page tab", "list", "table", "tree table", "link",
}
READY_TIMEOUT = 90


class Launcher:
    """The launcher's window in its own process, and a screen reader's connection to it."""

    def __init__(self, bus: AtSpi, process: subprocess.Popen[bytes]) -> None:
        self.bus, self.process = bus, process
        (self.app,) = [a for a in bus.applications() if a.name == "yiduantong"]

    def windows(self) -> list[Node]:
        return self.bus.children(self.app)

    def main_window(self) -> Node:
        return next(w for w in self.windows() if w.name.startswith("一端通 — 示范县"))

    def find(self, root: Node, role: str, name: str, *, hidden: bool = False) -> Node:
        for node in self.bus.walk(root, hidden=hidden):
            if node.role == role and node.name.startswith(name):
                return node
        raise AssertionError(f"no {role} named {name!r} under {root.name!r}")


@pytest.fixture(scope="module")
def launcher(demo_county: DemoCounty, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Launcher]:
    tmp = tmp_path_factory.mktemp("screen-reader")
    with desktop(tmp) as screen:
        bus = AtSpi(screen.a11y_address)
        bus.register("object:announcement")  # as a screen reader does when it starts
        env = {
            **screen.env,
            "QT_QPA_PLATFORM": "xcb",
            "LAUNCHER_HOME": str(tmp / "home"),
            # The child's own keyring, in its memory: the test's session bus is not the child's.
            "PYTHON_KEYRING_BACKEND": "tests.memory_keyring.MemoryKeyring",
            "PYTHONPATH": str(ROOT),
        }
        log = (tmp / "child.log").open("wb")
        process = subprocess.Popen(
            [sys.executable, "-m", "tests.e2e.screen_reader_child", str(demo_county.county_path)],
            env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=log, stdin=subprocess.DEVNULL,
        )
        try:
            assert process.stdout is not None
            line = _ready(process)
            assert line == "READY", (line, (tmp / "child.log").read_text()[-3000:])
            yield Launcher(bus, process)
        finally:
            process.terminate()
            process.wait(20)
            log.close()
            bus.close()


def _ready(process: subprocess.Popen[bytes]) -> str:
    import select

    assert process.stdout is not None
    ready, _, _ = select.select([process.stdout], [], [], READY_TIMEOUT)
    return process.stdout.readline().decode().strip() if ready else "(nothing in time)"


def test_a_screen_reader_finds_every_control_named(launcher: Launcher) -> None:
    window = launcher.main_window()
    nodes = list(launcher.bus.walk(window))
    names = {(n.role, n.name) for n in nodes}
    for button in ("登录", "刷新", "填表", "退出登录"):
        assert ("push button", button) in names
    tiles = [n.name for n in nodes if n.role == "push button" and "项待办" in n.name]
    assert len(tiles) >= 7 and all("已登录" in t for t in tiles)
    assert {("page tab", "待办"), ("page tab", "一张表"), ("text", "搜索待办"),
            ("table", "待办事项")} <= names
    assert ("label", f"已登录：{USER.name}") in names
    assert any(n.role == "label" and n.name.endswith("已刷新") for n in nodes)
    unnamed = [f"{n.role} {n.path}" for n in nodes if n.role in INTERACTIVE and not n.name]
    assert unnamed == []
    # 帮助's entries, read in the menu bar as a screen reader lists them (the menu closed).
    help_menu = launcher.find(window, "menu item", "帮助", hidden=True)
    entries = [n.name for n in launcher.bus.walk(help_menu, hidden=True) if n is not help_menu]
    assert [e for e in entries if e] == ["使用指南(G)", "联系县信息化团队(C)…", "加载问题…", "关于"]


def test_a_refresh_pressed_through_at_spi_is_announced(launcher: Launcher) -> None:
    # Signing in at the start was said (the child signed in before it was ready).
    said = launcher.bus.wait_for_announcement("已登录")
    assert said.text == f"已登录：{USER.name}。正在加载待办…" and said.politeness == POLITE
    launcher.bus.announcements.clear()
    refresh = launcher.find(launcher.main_window(), "push button", "刷新")
    launcher.bus.do_action(refresh)
    said = launcher.bus.wait_for_announcement("待办已刷新")
    assert said.text.startswith("待办已刷新：共 ") and said.text.endswith("没有新的待办。")
    assert said.politeness == POLITE


def test_the_guide_is_read_with_every_control_named(launcher: Launcher) -> None:
    window = launcher.main_window()
    launcher.bus.do_action(launcher.find(window, "menu item", "联系县信息化团队", hidden=True))
    guide = _wait_for_window(launcher, "一端通使用指南")
    nodes = list(launcher.bus.walk(guide))
    unnamed = [f"{n.role} {n.path}" for n in nodes if n.role in INTERACTIVE and not n.name]
    assert unnamed == []
    names = {(n.role, n.name) for n in nodes}
    assert {("list", "目录"), ("text", "电话：0000-1234567"),
            ("text", "电子邮件：help@demo-county.example"), ("push button", "复制电话号码"),
            ("push button", "关闭")} <= names
    launcher.bus.announcements.clear()
    launcher.bus.do_action(launcher.find(guide, "push button", "复制电话号码"))
    said = launcher.bus.wait_for_announcement("已复制")
    assert said.text == "已复制电话号码。" and said.politeness == POLITE


def _wait_for_window(launcher: Launcher, title: str, timeout: float = 20) -> Node:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        for node in launcher.windows():
            if node.name.startswith(title):
                return node
        time.sleep(0.1)
    raise AssertionError(f"no window {title!r}: {launcher.windows()}")
