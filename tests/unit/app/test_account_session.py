"""The account's one data owner (launcher/app/account.py) and the sign-in/sign-out use cases
(launcher/app/session.py): every registered kind is closed at sign-out and when another person
signs in (also in another process: the data folder records its owner), forgotten for an account
or a platform, and each use case announces what happened."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast
from unittest.mock import MagicMock

import pytest

from launcher.app import session
from launcher.app.account import OWNER_FILE, AccountData, DataKind, nothing, standard_kinds
from launcher.app.events import (
    Event,
    Events,
    PlatformRetired,
    SignedIn,
    SignedOut,
    UserSwitched,
)
from launcher.app.workspace import Workspace, WorkspaceChanged
from launcher.core.auth.session import UserInfo

ZHANG = UserInfo(sub="zhangwei-sub", name="张伟", username="zhangwei")
LI = UserInfo(sub="lina-sub", name="李娜", username="lina")


@dataclass
class FakeAuth:
    user: UserInfo | None = None
    stored: UserInfo | None = None
    down: bool = False
    logged_out: int = 0

    def restore(self) -> UserInfo | None:
        self.user = self.stored
        return self.user

    def logout(self) -> str | None:
        self.logged_out += 1
        self.user = self.stored = None  # the local wipe happens even when the provider is down
        if self.down:
            raise OSError("provider unreachable")
        return "http://idp/end"


@dataclass
class Recorder:
    """A kind of data that notes what each moment did to it."""

    name: str
    calls: list[tuple[str, str]] = field(default_factory=list)
    fail: bool = False

    def kind(self) -> DataKind:
        def note(moment: str) -> Any:
            def call(arg: str = "") -> None:
                self.calls.append((moment, arg))
                if self.fail:
                    raise OSError(f"{self.name} cannot be written")

            return call

        return DataKind(self.name, "a test kind", close=note("close"),
                        forget_account=note("forget_account"),
                        forget_platform=note("forget_platform"))


@dataclass
class FakeServices:
    auth: FakeAuth
    events: Events
    workspace: Workspace
    account: AccountData


def services_in(folder: Path, *kinds: Recorder, auth: FakeAuth | None = None) -> Any:
    events = Events()
    account = AccountData(folder)
    for recorder in kinds:
        account.register(recorder.kind())
    return FakeServices(auth or FakeAuth(), events, Workspace(events), account)


def published(services: Any) -> list[Event]:
    seen: list[Event] = []
    cast(FakeServices, services).events.subscribe(Event, seen.append)
    return seen


def test_the_first_sign_in_closes_nothing_and_records_the_owner(tmp_path: Path) -> None:
    tasks = Recorder("tasks")
    services = services_in(tmp_path, tasks)
    seen = published(services)
    assert session.signed_in(services, ZHANG) is False
    assert tasks.calls == []
    assert [type(e) for e in seen] == [WorkspaceChanged, SignedIn]
    assert services.workspace.user == ZHANG
    owner = (tmp_path / OWNER_FILE).read_text(encoding="ascii").strip()
    assert owner and ZHANG.sub not in owner  # a digest, never the account itself
    assert session.signed_in(services, ZHANG) is False  # the same person again
    assert tasks.calls == []


def test_another_person_signing_in_closes_every_kind_and_announces_the_switch(
    tmp_path: Path,
) -> None:
    kinds = [Recorder("tasks"), Recorder("profile"), Recorder("passwords")]
    services = services_in(tmp_path, *kinds)
    session.signed_in(services, ZHANG)
    seen = published(services)
    assert session.signed_in(services, LI) is True
    assert all(k.calls == [("close", "")] for k in kinds)
    switched = [e for e in seen if isinstance(e, UserSwitched)]
    assert switched == [UserSwitched(ZHANG.sub, LI)]
    assert isinstance(seen[-1], SignedIn) and seen[-1].user == LI


def test_a_switch_in_another_process_is_seen_through_the_recorded_owner(tmp_path: Path) -> None:
    """张伟 used the window; later 李娜 signs in on the command line (a new process, nobody
    signed in there yet): his data is closed all the same."""
    session.signed_in(services_in(tmp_path), ZHANG)
    tasks = Recorder("tasks")
    later = services_in(tmp_path, tasks)
    assert session.signed_in(later, LI) is True
    assert tasks.calls == [("close", "")]


def test_sign_out_closes_every_kind_and_announces_it(tmp_path: Path) -> None:
    kinds = [Recorder("tasks"), Recorder("splits")]
    auth = FakeAuth(stored=ZHANG)
    services = services_in(tmp_path, *kinds, auth=auth)
    assert session.restore(services) == ZHANG
    seen = published(services)
    assert session.sign_out(services) == "http://idp/end"
    assert auth.logged_out == 1
    assert all(k.calls == [("close", "")] for k in kinds)
    assert services.workspace.user is None
    assert not (tmp_path / OWNER_FILE).exists()
    assert [e for e in seen if not isinstance(e, WorkspaceChanged)] == [SignedOut(ZHANG.sub)]
    # The next person to sign in is no switch: nothing of his is left to close.
    assert session.signed_in(services, LI) is False


def test_sign_out_closes_every_kind_even_when_the_provider_or_one_kind_fails(
    tmp_path: Path,
) -> None:
    broken, tasks = Recorder("profile", fail=True), Recorder("tasks")
    services = services_in(tmp_path, broken, tasks, auth=FakeAuth(stored=ZHANG, down=True))
    session.restore(services)
    seen = published(services)
    with pytest.raises(OSError):
        session.sign_out(services)
    assert broken.calls == [("close", "")] and tasks.calls == [("close", "")]
    assert services.workspace.user is None
    assert SignedOut(ZHANG.sub) in seen
    # What could not be closed is still his: the next person's sign-in closes it again.
    with pytest.raises(OSError):
        session.signed_in(services, LI)  # and says so when it still cannot
    broken.fail = False
    assert session.signed_in(services, LI) is True
    assert tasks.calls == [("close", "")] * 3


def test_restore_announces_a_restored_sign_in_and_nothing_without_a_session(
    tmp_path: Path,
) -> None:
    services = services_in(tmp_path)
    seen = published(services)
    assert session.restore(services) is None
    assert seen == []
    services.auth.stored = ZHANG
    assert session.restore(services) == ZHANG
    assert SignedIn(ZHANG, restored=True) in seen


def test_forgetting_an_account_or_retiring_a_platform_reaches_every_kind(tmp_path: Path) -> None:
    kinds = [Recorder("tasks"), Recorder("passwords", fail=True), Recorder("session")]
    services = services_in(tmp_path, *kinds)
    session.signed_in(services, ZHANG)
    seen = published(services)
    with pytest.raises(OSError):
        session.retire_platform(services, "demo.anquan")
    assert all(k.calls == [("forget_platform", "demo.anquan")] for k in kinds)
    assert seen == [PlatformRetired("demo.anquan")]
    with pytest.raises(OSError):
        services.account.forget_account(ZHANG.sub)
    assert all(k.calls[-1] == ("forget_account", ZHANG.sub) for k in kinds)
    assert (tmp_path / OWNER_FILE).exists()  # not all of it went: still his
    kinds[1].fail = False
    services.account.forget_account(ZHANG.sub)
    assert not (tmp_path / OWNER_FILE).exists()


def test_a_kind_must_say_what_every_moment_does(tmp_path: Path) -> None:
    account = AccountData(tmp_path)
    with pytest.raises(TypeError):
        DataKind("history", "fill history", close=lambda: None)  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        account.register(DataKind("history", "fill history", close=lambda: None,
                                  forget_account=None,  # type: ignore[arg-type]
                                  forget_platform=nothing("not per platform")))
    account.register(Recorder("history").kind())
    with pytest.raises(ValueError, match="registered already"):
        account.register(Recorder("history").kind())


def test_the_launcher_keeps_these_kinds_for_an_account() -> None:
    """The list the two-people tests are parametrised over (tests/integration/
    test_account_data.py): every kind the brief of issue 12 names, each with all three moments."""
    kinds = standard_kinds(MagicMock())
    # Splits first: a retired platform's splits are found through its cached tasks.
    assert [k.name for k in kinds] == [
        "splits", "tasks", "notices", "profile", "passwords", "session", "platform sessions",
        "records", "audit", "ledger", "last tabs",
    ]
    for kind in kinds:
        assert all(callable(m) for m in (kind.close, kind.forget_account, kind.forget_platform))


def test_forgetting_a_person_signs_them_out_and_reaches_every_kind(tmp_path: Path) -> None:
    kinds = [Recorder("profile"), Recorder("passwords")]
    services = services_in(tmp_path, *kinds, auth=FakeAuth(stored=ZHANG))
    seen = published(services)
    assert session.forget_person(services) == ZHANG
    assert services.auth.logged_out == 1 and services.workspace.user is None
    assert all(("forget_account", ZHANG.sub) in k.calls for k in kinds)
    assert [type(e).__name__ for e in seen][-2:] == ["SignedOut", "AccountForgotten"]
    assert not (tmp_path / OWNER_FILE).exists()


def test_forgetting_another_account_leaves_the_held_tasks_and_splits_of_the_one_here(
    tmp_path: Path,
) -> None:
    """Tasks and splits are held for whoever is signed in: forgetting someone else (or a
    person whose data was closed already) erases none of them."""
    services = MagicMock()
    services.account = AccountData(tmp_path)
    for kind in standard_kinds(services):
        services.account.register(kind)
    services.auth.user = ZHANG
    services.account.signing_in(ZHANG.sub)
    services.account.forget_account(LI.sub)
    services.cache.forget.assert_not_called()
    services.splits.clear.assert_not_called()
    services.profile.forget.assert_called_once_with(LI.sub)
    services.account.forget_account(ZHANG.sub)
    services.cache.forget.assert_called_once_with()
    services.splits.clear.assert_called_once_with()
