"""The address bar of web tabs: whose page an address is (the tab's platform, the county's sign-in
service, another platform, nobody), and how the bar shows it, without a web page."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from launcher.core.county import load_county
from launcher.core.registry import Registry, build_registry
from launcher.ui.address_bar import FOREIGN, NONE, OTHER, OWN, SIGN_IN, AddressBar, PageOwners

GATEWAY = "https://gw.example"
MANIFEST = """schema = 1
id = "{id}"
name = "{name}"
version = "1.0.0"
home = "{{base_url}}/"
origins = {origins}
"""


@pytest.fixture
def registry(tmp_path: Path) -> Registry:
    # A portal that declares the whole gateway, a platform under /app1 of it, one elsewhere.
    platforms = [
        ("t.portal", "门户<b>!</b>", f'["{GATEWAY}"]', f"{GATEWAY}/portal"),
        ("t.app1", "安全排查", '["{base_url}"]', f"{GATEWAY}/app1"),
        ("t.plain", "旧平台", '["{base_url}"]', "http://old.example:8080"),
    ]
    entries = ""
    for plugin_id, name, origins, base_url in platforms:
        folder = tmp_path / "plugins" / plugin_id
        folder.mkdir(parents=True)
        (folder / "manifest.toml").write_text(
            MANIFEST.format(id=plugin_id, name=name, origins=origins), encoding="utf-8"
        )
        entries += f'[[platforms]]\nplugin = "{plugin_id}"\nbase_url = "{base_url}"\n'
    county = tmp_path / "county.toml"
    county.write_text(
        '[county]\nid = "t"\nname = "测试县"\n[idp]\nissuer = "https://127.0.0.1:1"\n' + entries,
        encoding="utf-8",
    )
    return build_registry(load_county(county))


def test_whose_page_an_address_is(registry: Registry) -> None:
    # The county's CAS server sits behind the same gateway, under /cas.
    owners = PageOwners(registry, f"{GATEWAY}/cas", english=True)
    place = owners.place(f"{GATEWAY}/app1/form", "t.app1")
    assert (place.kind, place.platform, place.scheme, place.host) == (
        OWN,
        "安全排查",
        "https://",
        "gw.example",
    )
    assert place.encrypted and not place.warning
    # The sign-in service's path is more specific than the portal's whole gateway.
    assert owners.place(f"{GATEWAY}/cas/login?service=x", "t.app1").kind == SIGN_IN
    assert owners.place(f"{GATEWAY}/cas/login", "").kind == SIGN_IN
    # The portal's pages in the platform's tab: another platform of the county.
    other = owners.place(f"{GATEWAY}/news", "t.app1")
    assert (other.kind, other.platform, other.expected) == (OTHER, "门户<b>!</b>", "安全排查")
    assert other.words() == "Part of 门户<b>!</b>, not of 安全排查" and other.warning
    # /app10 is not /app1: the portal's, not the platform's.
    assert owners.place(f"{GATEWAY}/app10/login", "t.app1").kind == OTHER
    # Plain http to another machine is said to be unencrypted.
    plain = owners.place("http://old.example:8080/", "t.plain")
    assert (plain.kind, plain.host, plain.encrypted) == (OWN, "old.example:8080", False)
    assert "Not encrypted" in plain.sentence()
    # Nobody's pages, in a platform's tab and in a tab of no platform.
    assert owners.place("https://evil.example/cas/login", "t.app1").words() == (
        "Not part of 安全排查"
    )
    assert owners.place("https://evil.example/", "").words() == "Not a platform of the county"
    # about:blank can hold anything a script wrote; a blob: page is its creator's.
    blank = owners.place("about:blank", "t.app1")
    assert (blank.kind, blank.scheme, blank.host) == (FOREIGN, "about:blank", "")
    assert owners.place(f"blob:{GATEWAY}/app1/6f1c", "t.app1").kind == OWN
    # A host is shown as Chromium resolves it (IDNA), never in a look-alike spelling.
    assert owners.place("https://政务.example/", "").host == "xn--zfr164b.example"
    assert owners.place("", "t.app1").kind == NONE


def test_the_bar_shows_outside_text_as_plain_text(qtbot: QtBot, registry: Registry) -> None:
    bar = AddressBar()
    qtbot.addWidget(bar)
    owners = PageOwners(registry, f"{GATEWAY}/cas", english=True)
    bar.show_place(owners.place(f"{GATEWAY}/news", "t.app1"))
    assert bar.scheme.text() == "https://" and bar.host.text() == "gw.example"
    assert bar.whose.text() == "⚠ Part of 门户<b>!</b>, not of 安全排查"
    assert bar.whose.property("warning") is True
    for label in (bar.scheme, bar.host, bar.insecure, bar.whose):
        assert label.textFormat() == Qt.TextFormat.PlainText
    assert "&lt;b&gt;" in bar.toolTip() and "<b>" not in bar.toolTip()
    assert "gw.example" in bar.accessibleDescription()
    assert bar.insecure.isHidden()

    bar.show_place(owners.place("http://old.example:8080/login", ""))
    assert not bar.insecure.isHidden() and bar.insecure.text() == "Not encrypted"
    assert bar.whose.text() == "Part of 旧平台" and bar.whose.property("warning") is False
    # One line: the bar stays slim on small screens.
    assert bar.sizeHint().height() <= 2 * bar.fontMetrics().height() + 8
