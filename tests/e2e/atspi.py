"""A screen reader's view of the launcher: the AT-SPI accessibility bus of a desktop, read the way
Orca reads it (over D-Bus, with jeepney: pyatspi is not on PyPI).

``desktop(tmp)`` starts what a Linux desktop gives a screen reader, all private to the test: a
D-Bus session bus (the standard one less service activation, scripts/keyring-session-bus.conf),
``at-spi-bus-launcher`` on it (the accessibility bus, whose registry daemon it starts), an Xvfb
screen, and Qt's accessibility bridge switched on as a screen reader switches it on. A Qt program started with
``Desktop.env`` (the xcb platform: Qt's offscreen platform has no accessibility bridge) then puts
its accessible tree on that bus, and ``AtSpi`` reads it: the applications, each object's name,
role, children and actions, and the events a screen reader registers for (announcements).
"""

from __future__ import annotations

import os
import select
import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jeepney import DBusAddress, MatchRule, Message, Properties, new_method_call
from jeepney.bus_messages import message_bus
from jeepney.io.blocking import DBusConnection, open_dbus_connection

ROOT = Path(__file__).resolve().parents[2]
BUS_CONFIG = ROOT / "scripts" / "keyring-session-bus.conf"
PROGRAMS = ("dbus-daemon", "Xvfb", "/usr/libexec/at-spi-bus-launcher")
REGISTRY = "org.a11y.atspi.Registry"
ROOT_PATH = "/org/a11y/atspi/accessible/root"
ACCESSIBLE = "org.a11y.atspi.Accessible"
EVENT_OBJECT = "org.a11y.atspi.Event.Object"
SHOWING = 25
"""ATSPI_STATE_SHOWING: the object is on screen."""
ITEM_VIEWS = ("table", "tree table", "list", "tree", "combo box")
POLITE, ASSERTIVE = 1, 2
"""The politeness an ``object:announcement`` carries (AT-SPI's AtspiLive)."""


def missing_programs() -> list[str]:
    return [p for p in PROGRAMS if shutil.which(p) is None and not Path(p).exists()]


@dataclass(frozen=True)
class Node:
    """One accessible object: its bus name and path, name and role name."""

    bus: str
    path: str
    name: str
    role: str


@dataclass(frozen=True)
class Announcement:
    text: str
    politeness: int
    path: str


class AtSpi:
    """A connection to the accessibility bus, as a screen reader has one."""

    def __init__(self, address: str) -> None:
        self.connection: DBusConnection = open_dbus_connection(address)
        self._stack = ExitStack()
        self.announcements = self._stack.enter_context(
            self.connection.filter(
                MatchRule(type="signal", interface=EVENT_OBJECT, member="Announcement"),
                bufsize=100,
            )
        )
        self.connection.send_and_get_reply(message_bus.AddMatch(
            MatchRule(type="signal", interface=EVENT_OBJECT, member="Announcement")
        ))

    def close(self) -> None:
        self._stack.close()
        self.connection.close()

    def call(self, node: Node, interface: str, method: str, signature: str = "",
             body: tuple[Any, ...] = ()) -> tuple[Any, ...]:
        address = DBusAddress(node.path, bus_name=node.bus, interface=interface)
        reply = self.connection.send_and_get_reply(
            new_method_call(address, method, signature, body), timeout=10
        )
        assert reply.header.message_type.name == "method_return", reply.body
        return tuple(reply.body)

    def register(self, event: str) -> None:
        """Tell the registry a screen reader listens for ``event`` (``object:announcement``):
        applications send only the events someone registered for."""
        registry = Node(REGISTRY, "/org/a11y/atspi/registry", "", "")
        self.call(registry, "org.a11y.atspi.Registry", "RegisterEvent", "sass", (event, [], ""))

    def node(self, bus: str, path: str) -> Node:
        address = DBusAddress(path, bus_name=bus, interface=ACCESSIBLE)
        reply = self.connection.send_and_get_reply(Properties(address).get("Name"), timeout=10)
        name = reply.body[0][1]
        role = self.call(Node(bus, path, "", ""), ACCESSIBLE, "GetRoleName")[0]
        return Node(bus, path, name, role)

    def children(self, node: Node) -> list[Node]:
        return [self.node(bus, path)
                for bus, path in self.call(node, ACCESSIBLE, "GetChildren")[0]]

    def applications(self) -> list[Node]:
        return self.children(Node(REGISTRY, ROOT_PATH, "", ""))

    def walk(self, node: Node, *, hidden: bool = False, depth: int = 40) -> Iterator[Node]:
        """``node`` and what is showing under it, as a screen reader's user finds it: hidden
        objects (another tab's page, a closed menu; unless ``hidden``) and the rows of tables
        and lists (their headers are kept) are not descended into."""
        yield node
        if not depth or not (hidden or SHOWING in self.states(node)):
            return
        for child in self.children(node):
            if node.role in ITEM_VIEWS and child.role not in ("panel", "column header"):
                continue
            yield from self.walk(child, hidden=hidden, depth=depth - 1)

    def states(self, node: Node) -> set[int]:
        words = self.call(node, ACCESSIBLE, "GetState")[0]
        return {i for i in range(64) if words[i // 32] >> (i % 32) & 1}

    def do_action(self, node: Node, name: str = "") -> None:
        """Press ``node`` as a screen reader's user does (its first action, or the one named)."""
        actions = self.call(node, "org.a11y.atspi.Action", "GetActions")[0]
        index = next((i for i, a in enumerate(actions) if not name or a[0] == name), 0)
        assert self.call(node, "org.a11y.atspi.Action", "DoAction", "i", (index,))[0]

    def wait_for_announcement(self, contains: str, timeout: float = 30) -> Announcement:
        """The next announcement whose text holds ``contains`` (others are skipped)."""
        end = time.monotonic() + timeout
        while True:
            left = end - time.monotonic()
            if self.announcements:
                message = self.announcements.popleft()
            elif left <= 0:
                raise AssertionError(f"no announcement holding {contains!r} within {timeout} s")
            else:
                try:  # the next one to arrive (taken off the queue)
                    message = self.connection.recv_until_filtered(self.announcements, timeout=left)
                except TimeoutError:
                    continue
            found = _announcement(message)
            if contains in found.text:
                return found


def _announcement(message: Message) -> Announcement:
    _kind, politeness, _detail2, (_signature, text), *_ = message.body
    return Announcement(str(text), int(politeness), str(message.header.fields.get(1, "")))


@dataclass
class Desktop:
    """What ``desktop`` started: the environment a program joins it with, and its a11y bus."""

    env: dict[str, str]
    a11y_address: str


@contextmanager
def desktop(tmp: Path) -> Iterator[Desktop]:
    """A private session bus with the accessibility bus and its registry, an Xvfb screen of
    1366×768, and the screen reader switch on; all stopped afterwards."""
    run = tmp / "run"
    run.mkdir(mode=0o700)
    processes: list[subprocess.Popen[bytes]] = []
    try:
        bus = subprocess.Popen(
            ["dbus-daemon", f"--config-file={BUS_CONFIG}", "--nofork", "--print-address=1"],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
        )
        processes.append(bus)
        session = _line(bus, "the session bus's address")
        screen = subprocess.Popen(
            ["Xvfb", "-displayfd", "1", "-screen", "0", "1366x768x24", "-nolisten", "tcp"],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
        )
        processes.append(screen)
        env = {
            **os.environ,
            "DBUS_SESSION_BUS_ADDRESS": session,
            "XDG_RUNTIME_DIR": str(run),  # the accessibility bus's socket: not the user's
            "DISPLAY": ":" + _line(screen, "Xvfb's display number"),  # never the user's screen
        }
        processes.append(subprocess.Popen(
            ["/usr/libexec/at-spi-bus-launcher", "--launch-immediately"], env=env,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        ))
        with open_dbus_connection(session) as connection:
            a11y = _a11y_address(connection)
        # A screen reader turns org.a11y.Status's ScreenReaderEnabled on, which Qt's bridge
        # follows; at-spi-bus-launcher keeps that switch in GSettings, whose schema is not
        # installed here (setting it is accepted and forgotten), so Qt is told directly.
        env["QT_LINUX_ACCESSIBILITY_ALWAYS_ON"] = "1"
        yield Desktop(env, a11y)
    finally:
        for process in reversed(processes):
            process.terminate()
        for process in processes:
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()


def _line(process: subprocess.Popen[bytes], what: str, timeout: float = 20) -> str:
    assert process.stdout is not None
    ready, _, _ = select.select([process.stdout], [], [], timeout)
    line = process.stdout.readline().decode().strip() if ready else ""
    assert line, f"no {what} (exit {process.poll()})"
    return line


def _a11y_address(connection: DBusConnection, timeout: float = 20) -> str:
    """The accessibility bus's address, once at-spi-bus-launcher owns org.a11y.Bus."""
    end = time.monotonic() + timeout
    launcher = DBusAddress("/org/a11y/bus", bus_name="org.a11y.Bus", interface="org.a11y.Bus")
    while True:
        reply = connection.send_and_get_reply(new_method_call(launcher, "GetAddress"), timeout=5)
        if reply.header.message_type.name == "method_return":
            return str(reply.body[0])
        if time.monotonic() > end:
            raise AssertionError(f"at-spi-bus-launcher did not start: {reply.body}")
        time.sleep(0.1)
