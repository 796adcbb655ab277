"""The profile belongs to the person signed in (issue 11, item 9), with the real OS keyring.

Two people share one operating-system account: each county account has its own profile file and
key; nobody signed in means no values; the one profile older versions shared moves to the first
person who signs in, told once, and a move cut off at any step loses nothing.
"""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from launcher.core.profile.fields import load_fields
from launcher.core.profile.person import PersonProfile, owner_digest
from launcher.core.profile.shared import MOVED_NOTE, SharedProfile
from launcher.core.profile.store import KEY_NAME, ProfileError, ProfileStore
from launcher.core.secrets import KeyringUnavailable, SecretStore

FIELDS = load_fields()
ZHANG = "sub-zhangwei"
LI = "sub-lina"
HIS = {"person.name": "张伟", "person.id_number": "11010519491231002X",
       "person.phone": "13800138000"}
OLD = {"person.name": "王芳", "person.id_number": "110105198001011238", "org.village": "李家村"}


class Who:
    """Who is signed in: what ``auth.user.sub`` says ('' for nobody)."""

    def __init__(self) -> None:
        self.sub = ""

    def __call__(self) -> str:
        return self.sub


def _store(name: str) -> Iterator[SecretStore]:
    store = SecretStore(f"test-{name}-{uuid.uuid4().hex[:12]}")
    yield store
    store.delete_matching("")


@pytest.fixture
def secrets() -> Iterator[SecretStore]:
    yield from _store("people")


@pytest.fixture
def shared_secrets() -> Iterator[SecretStore]:
    yield from _store("shared")


@pytest.fixture
def who() -> Who:
    return Who()


@pytest.fixture
def shared_path(tmp_path: Path) -> Path:
    return tmp_path / "profile.sqlite3"


@pytest.fixture
def profile(
    tmp_path: Path, secrets: SecretStore, shared_secrets: SecretStore, who: Who, shared_path: Path
) -> Iterator[PersonProfile]:
    opened = PersonProfile(tmp_path / "profiles", secrets, FIELDS, who,
                           SharedProfile(shared_path, shared_secrets))
    yield opened
    opened.close()


def old_profile(path: Path, secrets: SecretStore, values: dict[str, str]) -> None:
    """The one profile an older version kept: its file, its key in the keyring."""
    store = ProfileStore(path, secrets, FIELDS)
    for key, value in values.items():
        store.set(key, value)
    store.close()


def fill_everything(profile: PersonProfile, values: dict[str, str]) -> None:
    for key, value in values.items():
        profile.set(key, value)


def test_two_people_on_one_account_never_see_each_others_values(
    profile: PersonProfile, who: Who, secrets: SecretStore
) -> None:
    who.sub = ZHANG
    fill_everything(profile, HIS)
    assert profile.values() == HIS

    who.sub = ""  # 张伟 signs out
    assert profile.values() == {} and profile.get("person.id_number") is None
    assert profile.snapshot().owner == "" and profile.snapshot().values == {}
    with pytest.raises(ProfileError):
        profile.set("person.name", "谁")

    who.sub = LI  # 李娜 signs in on the same OS account
    assert profile.values() == {}
    assert profile.get("person.id_number") is None
    assert profile.unreadable() == {}  # 张伟's sealed values are not even "unreadable" to her
    hers = {"person.name": "李娜", "person.id_number": "440304199003074529"}
    fill_everything(profile, hers)
    assert profile.values() == hers

    who.sub = ZHANG  # his come back, untouched by hers
    assert profile.values() == HIS

    # One file and one keyring entry each, neither naming the person.
    files = sorted(p.name for p in profile.folder.glob("*.sqlite3"))
    assert files == sorted(f"{owner_digest(s)}.sqlite3" for s in (ZHANG, LI))
    assert sorted(secrets.names()) == sorted(f"key/{owner_digest(s)}" for s in (ZHANG, LI))
    assert not any(s in name for name in files + secrets.names() for s in (ZHANG, LI))


def test_a_value_typed_for_someone_who_left_is_not_saved_for_the_next(
    profile: PersonProfile, who: Who
) -> None:
    who.sub = ZHANG
    profile.set("person.name", "张伟", owner=ZHANG)
    who.sub = LI  # 李娜 signed in while 张伟's save was on its way
    with pytest.raises(ProfileError):
        profile.set("person.phone", "13800138000", owner=ZHANG)
    assert profile.values() == {}
    assert profile.values(owner=ZHANG) == {}  # his values are not given while she is signed in
    who.sub = ZHANG
    assert profile.values() == {"person.name": "张伟"}


def test_the_previous_persons_key_leaves_memory_when_they_leave(
    profile: PersonProfile, who: Who
) -> None:
    who.sub = ZHANG
    fill_everything(profile, HIS)
    his_store = profile._store  # the open file, which holds his key while open
    assert his_store is not None and his_store._key is not None
    who.sub = LI
    profile.values()
    assert his_store._key is None
    with pytest.raises(sqlite3.ProgrammingError):  # closed
        his_store.values()
    profile.close()
    assert profile._store is None


def test_the_shared_profile_of_an_older_version_moves_to_the_first_person_once(
    profile: PersonProfile, who: Who, shared_path: Path, shared_secrets: SecretStore
) -> None:
    old_profile(shared_path, shared_secrets, OLD)
    assert shared_secrets.get(KEY_NAME) is not None

    who.sub = LI  # the first to sign in after the upgrade
    first = profile.snapshot()
    assert first.owner == LI and first.values == OLD
    assert first.moved_in  # told ...
    assert not profile.snapshot().moved_in  # ... once
    # Sealed again with her own key; the old file and the old key are gone.
    assert not shared_path.exists()
    assert not list(shared_path.parent.glob("profile.sqlite3*"))
    assert shared_secrets.get(KEY_NAME) is None and shared_secrets.names() == []
    profile.close()
    assert profile.values() == OLD  # reopened: readable with her key alone

    who.sub = ZHANG  # the next person gets none of it
    assert profile.values() == {} and not profile.snapshot().moved_in


def test_a_move_cut_off_after_the_claim_waits_for_the_same_person(
    profile: PersonProfile, who: Who, shared_path: Path, shared_secrets: SecretStore,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    old_profile(shared_path, shared_secrets, OLD)

    def cut_off(*_args: object, **_kwargs: object) -> int:
        raise sqlite3.OperationalError("disk I/O error")  # as a crash mid-way would leave it

    with monkeypatch.context() as patch:
        patch.setattr(ProfileStore, "adopt", cut_off)
        who.sub = LI
        assert profile.values() == {}  # her profile opens; the move is tried again later
    assert shared_path.exists() and shared_secrets.get(KEY_NAME) is not None

    who.sub = ZHANG  # someone else signs in first: the claimed profile is not his
    assert profile.values() == {} and not profile.snapshot().moved_in
    assert shared_path.exists()

    who.sub = LI
    snapshot = profile.snapshot()
    assert snapshot.values == OLD and snapshot.moved_in
    assert not shared_path.exists() and shared_secrets.get(KEY_NAME) is None


def test_a_move_cut_off_before_the_old_file_went_adds_nothing_twice(
    profile: PersonProfile, who: Who, shared_path: Path, shared_secrets: SecretStore,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    old_profile(shared_path, shared_secrets, OLD)

    def cut_off(_self: SharedProfile) -> None:
        raise OSError("the launcher was killed here")

    with monkeypatch.context() as patch:
        patch.setattr(SharedProfile, "_remove", cut_off)
        who.sub = LI
        snapshot = profile.snapshot()
    assert snapshot.values == OLD and snapshot.moved_in
    assert shared_path.exists()
    profile.set("person.name", "李娜")  # she corrects it before the move is taken up again

    profile.close()  # the next start
    again = profile.snapshot()
    assert again.values == {**OLD, "person.name": "李娜"}  # hers kept, nothing doubled
    assert not again.moved_in  # told once only
    assert not shared_path.exists() and shared_secrets.get(KEY_NAME) is None


def test_a_key_left_without_its_file_is_deleted(
    profile: PersonProfile, who: Who, shared_path: Path, shared_secrets: SecretStore
) -> None:
    old_profile(shared_path, shared_secrets, OLD)
    shared_path.unlink()  # cut off between deleting the file and deleting the key
    who.sub = LI
    assert profile.values() == {}
    assert shared_secrets.get(KEY_NAME) is None and shared_secrets.names() == []


def test_a_value_whose_key_is_lost_moves_as_it_is_stored(
    profile: PersonProfile, who: Who, shared_path: Path, shared_secrets: SecretStore
) -> None:
    old_profile(shared_path, shared_secrets, OLD)
    shared_secrets.delete_matching("")  # the old key is gone (another keyring, a reinstall)
    who.sub = LI
    snapshot = profile.snapshot()
    assert snapshot.values == {"person.name": "王芳", "org.village": "李家村"}
    assert set(snapshot.unreadable) == {"person.id_number"}  # kept, shown as unreadable
    assert snapshot.moved_in
    digest = owner_digest(LI)
    with sqlite3.connect(profile.folder / f"{digest}.sqlite3") as db:
        assert db.execute("SELECT sealed FROM profile WHERE key = 'person.id_number'").fetchone()
        assert db.execute("SELECT value FROM notes WHERE name = ?", (MOVED_NOTE,)).fetchone() == (
            "told",)


def test_a_keyring_that_cannot_be_read_leaves_the_move_for_later(
    profile: PersonProfile, who: Who, shared_path: Path, shared_secrets: SecretStore,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    old_profile(shared_path, shared_secrets, OLD)

    def locked(_self: SecretStore, _name: str) -> str | None:
        raise KeyringUnavailable("the OS keyring cannot be read: locked")

    with monkeypatch.context() as patch:
        patch.setattr(SecretStore, "get", locked)
        who.sub = LI
        profile.values()
    assert shared_path.exists()
    profile.close()
    assert profile.values() == OLD
    assert not shared_path.exists()
