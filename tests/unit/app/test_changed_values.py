"""Values that change, as a use case without Qt, over real records (a temporary folder, the
keyring t.sh provides): the platforms whose forms received the old value are listed with the page
to open (the declared account page, else the form that received it); a value never filled, or
filled by someone else, lists none."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from launcher.app.changed_values import changed_keys, pages_for_changes
from launcher.core.profile.fields import load_fields
from launcher.core.profile.records import PersonRecords
from launcher.core.registry import Registry
from launcher.core.secrets import SecretStore
from tests.unit.core._platforms import make_platform

OLD_PHONE = "13800138000"
NEW_PHONE = "13900139000"
ACCOUNT_FORM = """
[[forms]]
key = "safety_check"
name = "消防安全检查"
url = "{base_url}/inspections/new"
[forms.fields]
"#phone" = "person.phone"

[[forms]]
key = "me"
name = "个人资料"
url = "{base_url}/account"
purpose = "account"
"""
RECORD_FORM_ONLY = """
[[forms]]
key = "law_check"
name = "执法检查"
url = "{base_url}/checks/new"
[forms.fields]
"#tel" = "person.phone"
"""


class Who:
    def __init__(self, sub: str) -> None:
        self.sub = sub

    def __call__(self) -> str:
        return self.sub


@pytest.fixture
def secrets() -> Iterator[SecretStore]:
    store = SecretStore(f"test-changed-{uuid.uuid4().hex[:12]}")
    yield store
    store.delete_matching("")


@pytest.fixture
def who() -> Who:
    return Who("sub-zhang")


@pytest.fixture
def records(tmp_path: Path, secrets: SecretStore, who: Who) -> Iterator[PersonRecords]:
    store = PersonRecords(tmp_path / "records", secrets, load_fields(), who)
    yield store
    store.close()


@pytest.fixture
def registry(tmp_path: Path) -> Registry:
    plugins = tmp_path / "plugins"
    return Registry([
        make_platform(plugins, "http://127.0.0.1:43301", plugin_id="demo.anquan",
                      forms=ACCOUNT_FORM),
        make_platform(plugins, "http://127.0.0.1:43302", plugin_id="demo.zhifa",
                      forms=RECORD_FORM_ONLY),
        make_platform(plugins, "http://127.0.0.1:43303", plugin_id="demo.other"),
    ])


def test_the_old_value_filled_to_two_platforms_lists_both_with_their_pages(
    records: PersonRecords, registry: Registry, who: Who
) -> None:
    records.note_filled("demo.anquan", "safety_check", {"person.phone": OLD_PHONE}, owner=who.sub)
    records.note_filled("demo.zhifa", "law_check", {"person.phone": OLD_PHONE}, owner=who.sub)
    # Another value filled elsewhere is no reason to list that platform.
    records.note_filled("demo.other", "x", {"person.phone": "13700137000"}, owner=who.sub)

    pages = pages_for_changes(records, registry, {"person.phone": OLD_PHONE}, owner=who.sub)

    by_platform = {p.platform_id: p for p in pages}
    assert set(by_platform) == {"demo.anquan", "demo.zhifa"}
    anquan, zhifa = by_platform["demo.anquan"], by_platform["demo.zhifa"]
    # 安全排查 declares its account page: that is what opens, though a record form received it.
    assert anquan.url == "http://127.0.0.1:43301/account" and anquan.account_page
    assert anquan.form_key == "safety_check" and anquan.form_name == "消防安全检查"
    assert anquan.page_form_key == "me" and anquan.keys == ("person.phone",)
    # 执法检查 has none: the form that received it opens.
    assert zhifa.url == "http://127.0.0.1:43302/checks/new" and not zhifa.account_page
    assert zhifa.at and zhifa.form_name == "执法检查"


def test_a_new_value_never_filled_lists_none(
    records: PersonRecords, registry: Registry, who: Who
) -> None:
    records.note_filled("demo.anquan", "safety_check", {"person.phone": OLD_PHONE}, owner=who.sub)
    assert pages_for_changes(records, registry, {"person.phone": NEW_PHONE}, owner=who.sub) == []
    # The same value under another key was never that key's value on any form.
    assert pages_for_changes(records, registry, {"household.phone": OLD_PHONE}) == []
    # After the new value is filled, only the new value leads there (the last fill counts).
    records.note_filled("demo.anquan", "safety_check", {"person.phone": NEW_PHONE}, owner=who.sub)
    assert pages_for_changes(records, registry, {"person.phone": OLD_PHONE}) == []


def test_another_persons_history_is_never_seen(
    records: PersonRecords, registry: Registry, who: Who
) -> None:
    records.note_filled("demo.anquan", "safety_check", {"person.phone": OLD_PHONE}, owner=who.sub)
    assert pages_for_changes(records, registry, {"person.phone": OLD_PHONE}, owner=who.sub)

    who.sub = "sub-li"  # another person signs in on the same PC, with the same old phone
    assert pages_for_changes(records, registry, {"person.phone": OLD_PHONE}) == []
    assert pages_for_changes(records, registry, {"person.phone": OLD_PHONE}, owner="sub-li") == []
    # A check started for 张 that finishes after 李 signed in finds nothing of either.
    assert pages_for_changes(records, registry, {"person.phone": OLD_PHONE},
                             owner="sub-zhang") == []


def test_a_platform_gone_from_the_county_is_left_out(
    records: PersonRecords, registry: Registry, who: Who
) -> None:
    records.note_filled("demo.gone", "f", {"person.phone": OLD_PHONE}, owner=who.sub)
    records.note_filled("demo.zhifa", "law_check", {"person.phone": OLD_PHONE}, owner=who.sub)
    pages = pages_for_changes(records, registry, {"person.phone": OLD_PHONE})
    assert [p.platform_id for p in pages] == ["demo.zhifa"]


def test_changed_keys_are_the_values_changed_or_cleared_with_their_old_value() -> None:
    before = {"person.phone": OLD_PHONE, "person.name": "张伟", "org.village": "", "x.y": "a"}
    after = {"person.phone": NEW_PHONE, "person.name": "张伟", "org.village": "幸福村"}
    assert changed_keys(before, after) == {"person.phone": OLD_PHONE, "x.y": "a"}
