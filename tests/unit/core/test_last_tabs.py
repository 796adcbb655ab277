"""Each person's last tabs in the keyring (launcher/core/last_tabs.py): per account, bounded, a
damaged entry read as none, a retired platform's tabs gone from every account."""

from __future__ import annotations

import json
import uuid

import keyring

from launcher.core.last_tabs import (
    MAX_CHARS,
    MAX_TABS,
    PREFIX,
    LastTabs,
    SavedTab,
    SavedTabs,
    decode,
    encode,
)
from launcher.core.profile.person import owner_digest
from launcher.core.secrets import SecretStore


def store() -> tuple[LastTabs, SecretStore]:
    secrets = SecretStore(f"test-{uuid.uuid4().hex[:8]}")
    return LastTabs(secrets, owner_digest), secrets


def test_each_account_gets_its_own_tabs_back_and_no_one_else_s() -> None:
    tabs, secrets = store()
    his = SavedTabs((SavedTab("demo.anquan", "http://127.0.0.1:9101/inspections/7", tile=False),
                     SavedTab("demo.zhifa", "", tile=True)), current=1)
    tabs.save("zhangwei-sub", his)
    assert tabs.load("zhangwei-sub") == his
    assert tabs.load("lina-sub") == SavedTabs()
    # The entry names no account and holds ASCII only.
    [name] = secrets.names()
    assert name.startswith(PREFIX) and "zhangwei" not in name
    tabs.save("zhangwei-sub", SavedTabs())  # nothing open any more: the entry goes
    assert secrets.names() == [] and tabs.load("zhangwei-sub") == SavedTabs()


def test_entries_are_bounded_long_addresses_become_the_platform_home() -> None:
    many = tuple(SavedTab(f"demo.p{n}", f"http://127.0.0.1:9101/{'x' * 150}/{n}")
                 for n in range(40))
    text = encode(SavedTabs(many, current=30))
    assert text is not None and len(text) <= MAX_CHARS and text.isascii()
    back = decode(text)
    assert len(back.tabs) == MAX_TABS
    assert [t.platform_id for t in back.tabs] == [f"demo.p{n}" for n in range(MAX_TABS)]
    assert any(t.url == "" for t in back.tabs)  # the later ones: their platform's home
    assert back.current == -1  # the front tab was not among those kept
    huge = decode(encode(SavedTabs((SavedTab("demo.a", "http://h/" + "y" * 5000),))))
    assert huge.tabs == (SavedTab("demo.a", ""),)
    # A Chinese address is kept whole, as ASCII escapes.
    chinese = SavedTabs((SavedTab("demo.a", "http://h/搜索?q=王家"),), 0)
    assert decode(encode(chinese)) == chinese


def test_a_damaged_or_foreign_entry_is_no_tabs() -> None:
    for text in ("", "{", "[]", json.dumps({"v": 2, "t": []}),
                 json.dumps({"v": 1, "t": [["../x", "", False], ["demo.a", 3, False],
                                           ["demo.b", "", "yes"]], "c": 0})):
        assert decode(text) == SavedTabs()
    good = decode(json.dumps({"v": 1, "t": [["demo.a", "", True]], "c": True}))
    assert good == SavedTabs((SavedTab("demo.a", "", True),), -1)


def test_a_retired_platform_leaves_every_account_s_tabs() -> None:
    tabs, secrets = store()
    tabs.save("a", SavedTabs((SavedTab("demo.anquan", "http://h/1"),
                              SavedTab("demo.zhifa", "http://h/2")), current=1))
    tabs.save("b", SavedTabs((SavedTab("demo.anquan", ""),), current=0))
    tabs.forget_platform("demo.anquan")
    assert tabs.load("a") == SavedTabs((SavedTab("demo.zhifa", "http://h/2"),), current=0)
    assert tabs.load("b") == SavedTabs()
    assert len(secrets.names()) == 1
    tabs.forget_account("a")
    assert secrets.names() == []
    assert keyring.get_password(secrets.service, PREFIX + owner_digest("a")) is None
