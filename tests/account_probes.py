"""One probe per kind of data the account's data owner lists (launcher/app/account.py): put some
of the signed-in person's data of that kind in place, and tell whether the signed-in person can
see it. Used by the two-people tests (tests/integration/test_account_data.py, and the window's in
tests/e2e/test_profile_per_person.py), which are parametrised over ``KINDS``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from unittest.mock import MagicMock

import pytest

from launcher.api import TaskItem
from launcher.app.account import standard_kinds
from launcher.app.services import Services
from launcher.core.auth.web_session import WebSession

PLATFORM = "demo.anquan"  # a single sign-on platform with a form (its token, its tasks)
KINDS = [kind.name for kind in standard_kinds(MagicMock())]


@dataclass(frozen=True)
class Probe:
    """Put some of the signed-in person's data of one kind in place (returning what identifies
    it), and tell whether the signed-in person can see that data."""

    put: Callable[[Services], Any]
    sees: Callable[[Services, Any], bool]


def _put_task(services: Services) -> str:
    title = "王建国户低保复核"
    task = TaskItem(platform=PLATFORM, id="zw-1", title=title, url="http://127.0.0.1:9/t/1")
    services.cache.replace(PLATFORM, [task], datetime.now(UTC))
    return title


def _put_notice(services: Services) -> tuple[str, str, str]:
    services.cache.remember_notified([(PLATFORM, "zw-1", "new", None)], datetime.now(UTC))
    return (PLATFORM, "zw-1", "new")


def _put_split(services: Services) -> str:
    key = "safety_check|李家村王建国户|2026-12"
    services.splits.split(key)
    return key


def _put_token(services: Services) -> str:
    platform = services.registry.get(PLATFORM)
    assert platform is not None
    token = services.auth.token_for(platform)
    assert token
    return token


def _put_web_session(services: Services) -> WebSession:
    """A session-bound platform's web session as the window harvests it (any platform id does:
    the kept sessions are named by platform and account)."""
    sessions = services.inbox.web_sessions
    assert sessions is not None
    session = WebSession({"JSESSIONID": "zw-web-session-1"}, "zw-admin-token-1", 1.0)
    sessions.keep(PLATFORM, session)
    return session


def _sees_web_session(services: Services, session: WebSession) -> bool:
    sessions = services.inbox.web_sessions
    assert sessions is not None
    return sessions.get(PLATFORM) == session


def _put_records(services: Services) -> tuple[str, str]:
    """A household (its head's ID number sealed), an inspection of it that answers a task of the
    platform, and the platform's form noted as filled with a phone number."""
    records = services.records
    household = records.save_subject("household", {
        "household.head_name": "王建国", "household.head_id_number": "11010519491231002X"})
    record = records.save_record("inspection", {"inspection.date": "2026-12-01"},
                                 subject_id=household.id, tasks=[f"{PLATFORM}/zw-1"])
    records.note_filled(PLATFORM, "safety_check", {"person.phone": "13800138000"})
    return household.id, record.id


def _sees_records(services: Services, ids: tuple[str, str]) -> bool:
    records = services.records
    subject = records.subject(ids[0])
    return (
        (subject is not None and subject.values.get("household.head_id_number") is not None)
        or records.record(ids[1]) is not None
        or any(s.name == "王建国" for s in records.subjects())
        or bool(records.filled_with("person.phone", "13800138000"))
    )


def _put_audit(services: Services) -> str:
    """An entry in the signed-in person's audit log: a form of the platform filled (its key
    is the marker)."""
    from launcher.core.audit import Entry

    marker = f"probe_{len(services.audit.read().entries)}_{id(services)}"
    services.audit.note(Entry("filled", PLATFORM, {"form": marker, "fields": ("person.phone",)}))
    return marker


def _sees_audit(services: Services, marker: str) -> bool:
    return any(e.details.get("form") == marker for e in services.audit.read().entries)


def _put_ledger(services: Services) -> str:
    """A platform page opened for the signed-in person, in their burden ledger."""
    from datetime import date

    assert services.ledger is not None
    services.ledger.add(date(2026, 12, 7), PLATFORM, "opened", 3)
    return PLATFORM


def _sees_ledger(services: Services, platform: str) -> bool:
    assert services.ledger is not None
    return any(c.platform == platform and c.metric == "opened" for c in services.ledger.counts())


def _put_last_tabs(services: Services) -> str:
    """The signed-in person's last tabs: a page of the platform (its address the marker)."""
    from launcher.core.last_tabs import SavedTab, SavedTabs

    user, last_tabs = services.auth.user, services.last_tabs
    assert user is not None and last_tabs is not None
    platform = services.registry.get(PLATFORM)
    assert platform is not None
    url = f"{platform.home.rstrip('/')}/inspections/{id(services)}"
    last_tabs.save(user.sub, SavedTabs((SavedTab(PLATFORM, url, tile=True),), 0))
    return url


def _sees_last_tabs(services: Services, url: str) -> bool:
    user, last_tabs = services.auth.user, services.last_tabs
    assert last_tabs is not None
    return user is not None and any(t.url == url for t in last_tabs.load(user.sub).tabs)


PROBES: dict[str, Probe] = {
    "tasks": Probe(_put_task, lambda s, title: any(t.title == title for t in s.cache.load())),
    "notices": Probe(_put_notice, lambda s, key: key in s.cache.notified()),
    "splits": Probe(_put_split, lambda s, key: key in s.splits),
    "profile": Probe(
        lambda s: s.profile.set("person.id_number", "11010519491231002X") or "11010519491231002X",
        lambda s, value: value in s.profile.values().values(),
    ),
    "passwords": Probe(
        lambda s: s.vault.set(PLATFORM, "zhangwei-legacy", "zw-secret-1") or "zw-secret-1",
        lambda s, password: any(
            (c := s.vault.get(p)) is not None and c.password == password
            for p in [PLATFORM, *s.vault.saved()]
        ),
    ),
    "session": Probe(
        _put_token,
        lambda s, token: any(e.get("access_token") == token for e in s.auth.tokens.all()),
    ),
    "platform sessions": Probe(_put_web_session, _sees_web_session),
    "records": Probe(_put_records, _sees_records),
    "audit": Probe(_put_audit, _sees_audit),
    "ledger": Probe(_put_ledger, _sees_ledger),
    "last tabs": Probe(_put_last_tabs, _sees_last_tabs),
}


def probe(kind: str) -> Probe:
    if kind not in PROBES:
        pytest.fail(f"the account data owner lists {kind!r}: no probe in tests/account_probes.py")
    return PROBES[kind]
