"""The PC's pack store: atomic installs, pointers, the previous pack, bad versions, rollback,
leftovers of a killed install, and which pack is used."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from launcher.core.county import load_county
from launcher.core.packs import store as store_module
from launcher.core.packs.store import (
    PackRefused,
    PackStore,
    StoreBusy,
    select_pack,
    validate_pack,
)
from launcher.core.packs.version import PackVersion
from launcher.core.registry import build_registry
from tests.integration.pack_repo_server import (
    PYTHON_SOURCE,
    CountyRepo,
    rewrite_pack,
)

V = PackVersion.parse


@pytest.fixture(scope="module")
def packs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Three good packs, and bad ones of version 4 made from the third."""
    county = CountyRepo(tmp_path_factory.mktemp("packs"))
    built = {
        "1": county.build("1", {"anji.tasks": "1.0.0"}),
        "2": county.build("2", {"anji.tasks": "1.1.0", "anji.new": "1.0.0"}),
        "3": county.build("3", {"anji.tasks": "1.1.0", "anji.py": "1.0.0"},
                          python={"anji.py": PYTHON_SOURCE}),
    }
    good = built["3"]
    manifest = "plugins/anji.tasks/manifest.toml"
    with_version = {"pack.toml": good_pack_toml(good).replace('version = "3"', 'version = "4"')}

    def bad(name: str, changes: dict[str, bytes | None]) -> Path:
        encoded = {k: v.encode() for k, v in with_version.items()}
        return rewrite_pack(good, county.base / f"bad-{name}.pack.tar.gz", {**encoded, **changes})

    original_manifest = member(good, manifest).decode()
    built["manifest"] = bad("manifest", {
        manifest: (original_manifest + 'colour = "red"\n').encode()})
    built["county"] = bad("county", {
        "county.toml": member(good, "county.toml") + b"[inbox]\nrefresh_minutes = 0\n"})
    built["syntax"] = bad("syntax", {"plugins/anji.py/tasks.py": b"def broken(:\n"})
    built["import"] = bad("import", {
        "plugins/anji.py/tasks.py": b"import no_such_module_for_packs\n" + PYTHON_SOURCE.encode()})
    return built


def member(pack: Path, name: str) -> bytes:
    import tarfile

    with tarfile.open(pack, "r:gz") as tar:
        extracted = tar.extractfile(name)
        assert extracted is not None
        return extracted.read()


def good_pack_toml(pack: Path) -> str:
    return member(pack, "pack.toml").decode()


def loads(store: PackStore) -> bool:
    """The current pack's county loads with every platform (what the launcher opens)."""
    county_file = store.county_file()
    if county_file is None:
        return False
    registry = build_registry(load_county(county_file))
    return not registry.errors and bool(registry.platforms)


def test_an_install_becomes_current_and_the_one_before_is_kept(
        tmp_path: Path, packs: dict[str, Path]) -> None:
    store = PackStore(tmp_path / "packs")
    assert store.current() is None and store.county_file() is None
    info = store.install(packs["1"])
    assert info.version == V("1") and store.current() == V("1") and store.previous() is None
    assert loads(store)
    store.install(packs["2"])
    assert (store.current(), store.previous()) == (V("2"), V("1"))
    store.install(packs["3"])
    assert (store.current(), store.previous()) == (V("3"), V("2"))
    assert store.installed() == [V("2"), V("3")]  # older ones are removed
    info = store.info()
    assert info is not None and info.changes.added == ("anji.py",)
    assert (store.root / "current").read_text() == "3\n"


def test_the_store_is_its_owners_alone(tmp_path: Path, packs: dict[str, Path]) -> None:
    if os.name != "posix":
        pytest.skip("POSIX modes")
    store = PackStore(tmp_path / "packs")
    store.install(packs["1"])
    for path in [store.root, *store.root.rglob("*")]:
        if path.is_symlink():
            continue
        assert not path.stat().st_mode & (stat.S_IRWXG | stat.S_IRWXO), path


def test_a_machine_wide_store_is_readable_by_every_account(
        tmp_path: Path, packs: dict[str, Path]) -> None:
    if os.name != "posix":
        pytest.skip("POSIX modes")
    store = PackStore(tmp_path / "machine", shared=True)
    store.install(packs["1"])
    county = store.county_file()
    assert county is not None
    assert stat.S_IMODE(county.stat().st_mode) == 0o644
    assert stat.S_IMODE(county.parent.stat().st_mode) == 0o755
    assert stat.S_IMODE((store.root / "current").stat().st_mode) == 0o644


@pytest.mark.parametrize(("bad", "said"), [
    ("manifest", "anji.tasks/manifest.toml"),
    ("county", "refresh_minutes"),
    ("syntax", "tasks.py"),
    ("import", "no_such_module_for_packs"),
])
def test_a_pack_that_does_not_load_is_refused_and_the_current_one_stays(
        tmp_path: Path, packs: dict[str, Path], bad: str, said: str) -> None:
    store = PackStore(tmp_path / "packs")
    store.install(packs["3"])
    with pytest.raises(PackRefused) as caught:
        store.install(packs[bad], version=V("4"))
    assert caught.value.version == V("4") and said in str(caught.value)
    assert not any(str(tmp_path) in p for p in caught.value.problems)  # relative to the pack
    assert store.current() == V("3") and loads(store)
    assert said in store.bad_versions()["4"]
    assert [p.name for p in store.installed_dir.iterdir()] == ["3"]


def test_validation_names_the_problem_relative_to_the_pack(tmp_path: Path) -> None:
    assert validate_pack(tmp_path) == ["county.toml: missing"]


def test_an_older_pack_is_refused(tmp_path: Path, packs: dict[str, Path]) -> None:
    store = PackStore(tmp_path / "packs")
    store.install(packs["2"])
    with pytest.raises(PackRefused, match="older than 2"):
        store.install(packs["1"])
    with pytest.raises(PackRefused, match="rolled-back"):
        store.install(packs["1"], version=V("1"))
    assert store.current() == V("2")


def test_a_pack_not_what_the_index_says_is_refused(tmp_path: Path,
                                                   packs: dict[str, Path]) -> None:
    store = PackStore(tmp_path / "packs")
    with pytest.raises(PackRefused, match="version 2, not 3"):
        store.install(packs["2"], version=V("3"))
    with pytest.raises(PackRefused, match="county 'anji', not 'other'"):
        store.install(packs["2"], county="other")
    assert store.current() is None and not list(store.installed_dir.iterdir())


def test_a_staged_pack_waits_until_applied(tmp_path: Path, packs: dict[str, Path]) -> None:
    store = PackStore(tmp_path / "packs")
    store.install(packs["1"])
    store.install(packs["2"], activate=False)
    assert (store.current(), store.staged()) == (V("1"), V("2"))
    assert store.apply_staged() == V("2")
    assert (store.current(), store.previous(), store.staged()) == (V("2"), V("1"), None)
    assert store.apply_staged() is None


def test_rollback_goes_back_to_the_previous_pack_and_remembers_why(
        tmp_path: Path, packs: dict[str, Path]) -> None:
    store = PackStore(tmp_path / "packs")
    store.install(packs["1"])
    store.install(packs["2"])
    assert store.rollback("anji.new: the tile would not load") == V("1")
    assert store.current() == V("1") and loads(store)
    assert store.bad_versions() == {"2": "anji.new: the tile would not load"}
    assert store.rollback("again") is None  # no previous left: the plain county file applies
    assert store.current() is None and store.county_file() is None


def test_pointers_are_replaced_atomically(
        tmp_path: Path, packs: dict[str, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    """A failure (or a kill) while a pointer is written leaves the old pointer whole."""
    store = PackStore(tmp_path / "packs")
    store.install(packs["1"])
    real_replace = os.replace

    def failing(src: object, dst: object) -> None:
        if str(dst).endswith("current"):
            raise OSError(28, "No space left on device")
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", failing)
    with pytest.raises(OSError, match="No space"):
        store.install(packs["2"])
    monkeypatch.setattr(os, "replace", real_replace)
    assert store.current() == V("1") and loads(store)
    assert (store.root / "current").read_text() == "1\n"
    assert not [p for p in store.root.iterdir() if p.name.endswith(".tmp")]
    store.recover()
    assert store.current() == V("1")


def test_recover_removes_what_a_killed_install_left(
        tmp_path: Path, packs: dict[str, Path]) -> None:
    store = PackStore(tmp_path / "packs")
    store.install(packs["1"])
    (store.installed_dir / ".tmp-abc" / "plugins").mkdir(parents=True)
    (store.root / ".current.xyz.tmp").write_text("9\n")
    (store.downloads_dir / "2.pack.tar.gz").write_bytes(b"half")
    (store.installed_dir / "7").mkdir()  # renamed, but no pointer written
    done = store.recover()
    assert len(done) == 4
    assert sorted(p.name for p in store.installed_dir.iterdir()) == ["1"]
    assert not list(store.downloads_dir.iterdir())
    assert not [p for p in store.root.iterdir() if p.name.endswith(".tmp")]
    assert store.current() == V("1") and loads(store)


def test_recover_repairs_a_current_whose_pack_is_gone(
        tmp_path: Path, packs: dict[str, Path]) -> None:
    store = PackStore(tmp_path / "packs")
    store.install(packs["1"])
    store.install(packs["2"])
    import shutil

    shutil.rmtree(store.folder(V("2")))
    assert store.current() is None
    store.recover()
    assert store.current() == V("1") and loads(store)


def test_a_second_process_finds_the_store_busy(tmp_path: Path, packs: dict[str, Path]) -> None:
    first, second = PackStore(tmp_path / "packs"), PackStore(tmp_path / "packs")
    with first.locked():
        with pytest.raises(StoreBusy):
            second.install(packs["1"])
        assert second.recover() == []
        first.install(packs["1"])  # re-entrant for its holder
    second.install(packs["2"])
    assert second.current() == V("2")


def test_the_higher_of_machine_wide_and_per_user_is_used(
        tmp_path: Path, packs: dict[str, Path]) -> None:
    machine, user = PackStore(tmp_path / "m", shared=True), PackStore(tmp_path / "u")
    assert select_pack([machine, user]) is None
    machine.install(packs["2"])
    user.install(packs["1"])
    chosen = select_pack([machine, user])
    assert chosen is not None and chosen.store is machine and chosen.version == V("2")
    assert chosen.county_file == machine.folder(V("2")) / "county.toml"
    user.install(packs["3"])
    chosen = select_pack([machine, user, None])
    assert chosen is not None and chosen.store is user and chosen.version == V("3")
    # The user's launcher found 3 broken: it rolls back its own store.
    user.rollback("broken")
    chosen = select_pack([machine, user])
    assert chosen is not None and chosen.store is machine and chosen.version == V("2")
    # An account cannot write the machine-wide store: its own memory passes 2 over.
    machine.install(packs["3"])
    chosen = select_pack([machine, user], bad=user.bad_versions() | {"3": "x"})
    assert chosen is not None and chosen.version == V("2")


def test_a_broken_state_file_is_only_a_lost_memory(tmp_path: Path,
                                                   packs: dict[str, Path]) -> None:
    store = PackStore(tmp_path / "packs")
    store.install(packs["1"])
    store.state_file.write_bytes(b"\xff{")
    assert store.state() == {} and store.bad_versions() == {} and store.blocks() == ()
    store.mark_bad(V("9"), "x")
    assert store.bad_versions() == {"9": "x"}


def test_the_checkpoints_are_the_install_steps(tmp_path: Path, packs: dict[str, Path],
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """tests/integration/test_updates.py kills an install at each of these."""
    seen: list[str] = []
    monkeypatch.setattr(store_module, "_checkpoint", seen.append)
    store = PackStore(tmp_path / "packs")
    store.install(packs["1"])
    store.install(packs["2"])
    assert seen == ["extracted", "validated", "synced", "renamed", "current",
                    "extracted", "validated", "synced", "renamed", "previous", "current"]
