"""The IT team's pack repository: keys, signing packs, blocks, expiry, key rotation, publishing
and verifying, all through python-tuf's metadata."""

from __future__ import annotations

import json
import os
import shutil
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from tuf.api.metadata import Metadata

from launcher.core.packs import keys
from launcher.core.packs import repo as packrepo
from launcher.core.packs.repo import RepoError
from launcher.core.packs.version import PackVersion
from tests.integration.pack_repo_server import PASSPHRASE, CountyRepo, rewrite_pack

V = PackVersion.parse


@pytest.fixture
def county(tmp_path: Path) -> CountyRepo:
    return CountyRepo(tmp_path, passphrase=PASSPHRASE).init(root_keys=3, threshold=2)


def signed(path: Path) -> dict[str, object]:
    return json.loads(path.read_text(encoding="utf-8"))["signed"]  # type: ignore[no-any-return]


def test_init_makes_keys_apart_and_version_1_of_every_role(county: CountyRepo) -> None:
    names = sorted(p.name for p in county.keys.iterdir())
    assert names == sorted([f"{n}{ext}" for n in ("root-1", "root-2", "root-3", "targets",
                                                   "online") for ext in (".pem", ".pub.json")])
    for pem in county.keys.glob("*.pem"):
        assert b"ENCRYPTED" in pem.read_bytes()
        if os.name == "posix":
            assert stat.S_IMODE(pem.stat().st_mode) == 0o600
    metadata = county.repo / "metadata"
    assert sorted(p.name for p in metadata.iterdir()) == [
        "1.root.json", "1.snapshot.json", "1.targets.json", "root.json", "timestamp.json"]
    root = signed(metadata / "root.json")
    assert root["consistent_snapshot"] is True
    assert root["roles"]["root"]["threshold"] == 2  # type: ignore[index]
    assert len(root["roles"]["root"]["keyids"]) == 3  # type: ignore[index]
    assert root["roles"]["snapshot"] == root["roles"]["timestamp"]  # type: ignore[index]
    state = packrepo.status(county.repo)
    assert state.pack is None and state.blocks == () and state.threshold == 2
    expires = state.expires
    now = datetime.now(UTC)
    for role, days in (("root", 365), ("targets", 90), ("snapshot", 14), ("timestamp", 1)):
        assert abs(expires[role] - now - timedelta(days=days)) < timedelta(minutes=5)
    assert packrepo.verify(county.repo).ok


@pytest.mark.parametrize(("kwargs", "said"), [
    ({"root_keys": 2, "threshold": 3}, "threshold: 3"),
    ({"root_keys": 0, "threshold": 1}, "root keys: 0"),
    ({"expiry": {"timestamp": 0}}, "expiry of timestamp"),
    ({"expiry": {"tuesday": 3}}, "not a role"),
])
def test_init_refuses_what_cannot_work(tmp_path: Path, kwargs: dict[str, object],
                                       said: str) -> None:
    with pytest.raises(RepoError, match=said):
        packrepo.init(tmp_path / "repo", tmp_path / "keys", "anji", **kwargs)  # type: ignore[arg-type]


def test_init_never_overwrites_nor_keeps_keys_in_the_repository(
        tmp_path: Path, county: CountyRepo) -> None:
    with pytest.raises(RepoError, match="already exists"):
        packrepo.init(county.repo, tmp_path / "other-keys", "anji")
    with pytest.raises(RepoError, match="already exists"):
        packrepo.init(tmp_path / "repo2", county.keys, "anji")
    with pytest.raises(RepoError, match="must not be inside the repository"):
        packrepo.init(tmp_path / "repo3", tmp_path / "repo3" / "keys", "anji")
    with pytest.raises(RepoError, match="county"):
        packrepo.init(tmp_path / "repo4", tmp_path / "keys4", "../x")


def test_a_signed_pack_is_a_target_under_its_hash_and_the_index_names_it(
        county: CountyRepo) -> None:
    pack = county.build("2026.12.1", {"anji.tasks": "1.0.0"})
    assert packrepo.add_pack(county.repo, county.keys, pack,
                             passphrase=PASSPHRASE) == V("2026.12.1")
    targets = signed(county.repo / "metadata" / "2.targets.json")["targets"]
    target = "packs/anji-2026.12.1.pack.tar.gz"
    digest = targets[target]["hashes"]["sha256"]  # type: ignore[index]
    assert (county.repo / "targets" / "packs" / f"{digest}.anji-2026.12.1.pack.tar.gz"
            ).read_bytes() == pack.read_bytes()
    assert signed(county.repo / "metadata" / "2.snapshot.json")["meta"] == {
        "targets.json": {"version": 2}}
    assert signed(county.repo / "metadata" / "timestamp.json")["version"] == 2
    state = packrepo.status(county.repo)
    assert state.pack == V("2026.12.1") and state.packs == (target,)
    assert packrepo.verify(county.repo).ok


def test_a_pack_must_be_newer_and_of_the_county(tmp_path: Path, county: CountyRepo) -> None:
    county.sign("2026.12.2")
    older = CountyRepo(tmp_path / "older").build("2026.12.1", {"anji.tasks": "1.0.0"})
    with pytest.raises(RepoError, match=r"not higher than 2026\.12\.2"):
        packrepo.add_pack(county.repo, county.keys, older, passphrase=PASSPHRASE)
    same = county.packs["2026.12.2"]
    with pytest.raises(RepoError, match="not higher"):
        packrepo.add_pack(county.repo, county.keys, same, passphrase=PASSPHRASE)
    other = CountyRepo(tmp_path / "other", county="deqing").build("2027.1", {"deqing.a": "1.0"})
    with pytest.raises(RepoError, match="county 'deqing'; this repository is county 'anji'"):
        packrepo.add_pack(county.repo, county.keys, other, passphrase=PASSPHRASE)
    (tmp_path / "junk.pack.tar.gz").write_bytes(b"not a pack")
    with pytest.raises(RepoError, match=r"junk\.pack\.tar\.gz"):
        packrepo.add_pack(county.repo, county.keys, tmp_path / "junk.pack.tar.gz",
                          passphrase=PASSPHRASE)
    assert packrepo.status(county.repo).pack == V("2026.12.2")


def test_a_pack_every_pc_would_refuse_is_not_signed(county: CountyRepo) -> None:
    good = county.build("1", {"anji.tasks": "1.0.0"})
    bad = rewrite_pack(good, county.base / "bad.pack.tar.gz", {
        "county.toml": (county.base / "src" / "1" / "county.toml").read_bytes()
        + b"[inbox]\nrefresh_minutes = 0\n"})
    with pytest.raises(RepoError, match=r"would be refused by every PC: .*refresh_minutes"):
        packrepo.add_pack(county.repo, county.keys, bad, passphrase=PASSPHRASE)
    assert packrepo.status(county.repo).pack is None


def test_a_wrong_passphrase_names_the_key_file(county: CountyRepo) -> None:
    pack = county.build("1", {"anji.tasks": "1.0.0"})
    with pytest.raises(RepoError, match=r"targets\.pem: the passphrase is wrong"):
        packrepo.add_pack(county.repo, county.keys, pack, passphrase="wrong")
    with pytest.raises(RepoError, match=r"targets\.pem: is encrypted: a passphrase is needed"):
        packrepo.add_pack(county.repo, county.keys, pack)
    asked: list[str] = []

    def prompt(path: Path) -> str:
        asked.append(path.name)
        return PASSPHRASE

    packrepo.add_pack(county.repo, county.keys, pack, passphrase=prompt)
    assert asked == ["targets.pem", "online.pem"]


def test_block_and_unblock_change_the_signed_index(county: CountyRepo) -> None:
    county.sign("1")
    block = packrepo.block(county.repo, county.keys, "anji.tasks", "1.0.0", "hard",
                           "数据泄露风险", reason_en="data leak", contact="0572-1234567",
                           passphrase=PASSPHRASE)
    assert block.hard
    packrepo.block(county.repo, county.keys, "anji.tasks", "*", "soft", "请更新",
                   passphrase=PASSPHRASE)
    packrepo.block(county.repo, county.keys, "anji.tasks", "1.0.0", "soft", "已缓解",
                   passphrase=PASSPHRASE)  # replaces the hard one
    state = packrepo.status(county.repo)
    assert [(b.version, b.level, b.reason) for b in state.blocks] == [
        ("*", "soft", "请更新"), ("1.0.0", "soft", "已缓解")]
    assert state.pack == V("1")
    packrepo.unblock(county.repo, county.keys, "anji.tasks", "*", passphrase=PASSPHRASE)
    with pytest.raises(RepoError, match=r"anji.tasks \* is not blocked \(blocks: anji.tasks "
                                        r"1.0.0\)"):
        packrepo.unblock(county.repo, county.keys, "anji.tasks", "*", passphrase=PASSPHRASE)
    with pytest.raises(RepoError, match="level 'fatal'"):
        packrepo.block(county.repo, county.keys, "anji.tasks", "*", "fatal", "x",
                       passphrase=PASSPHRASE)
    with pytest.raises(RepoError, match="not a plugin id"):
        packrepo.block(county.repo, county.keys, "Anji Tasks", "*", "hard", "x",
                       passphrase=PASSPHRASE)
    assert packrepo.verify(county.repo).ok


def test_the_daily_timestamp_and_a_quiet_snapshot(county: CountyRepo) -> None:
    before = packrepo.status(county.repo)
    expires = packrepo.timestamp(county.repo, county.keys, passphrase=PASSPHRASE)
    after = packrepo.status(county.repo)
    assert after.versions["timestamp"] == before.versions["timestamp"] + 1
    assert after.versions["snapshot"] == before.versions["snapshot"]  # 14 days left: kept
    assert expires == after.expires["timestamp"]
    # Ten days later the snapshot has four days left: the daily run signs it again too.
    packrepo.renew(county.repo, county.keys, "snapshot", 4, passphrase=PASSPHRASE)
    packrepo.timestamp(county.repo, county.keys, passphrase=PASSPHRASE)
    state = packrepo.status(county.repo)
    assert state.expires["snapshot"] - datetime.now(UTC) > timedelta(days=13)
    assert packrepo.verify(county.repo).ok
    with pytest.raises(RepoError, match="timestamp days: 0"):
        packrepo.timestamp(county.repo, county.keys, 0, passphrase=PASSPHRASE)


def test_renew_the_root_needs_its_threshold(county: CountyRepo) -> None:
    packrepo.renew(county.repo, county.keys, "root", 400, passphrase=PASSPHRASE)
    assert packrepo.status(county.repo).versions["root"] == 2
    for name in ("root-2", "root-3"):
        keys.private_path(county.keys, name).rename(county.base / f"{name}.offline")
    with pytest.raises(RepoError, match="1 of the 2 signatures needed"):
        packrepo.renew(county.repo, county.keys, "root", passphrase=PASSPHRASE)
    assert packrepo.status(county.repo).versions["root"] == 2
    assert packrepo.verify(county.repo).ok


def test_rotating_a_lost_root_key(county: CountyRepo) -> None:
    """root-2 is lost (its files gone): root-1 and root-3 sign a root without it."""
    for ext in (".pem", ".pub.json"):
        (county.keys / f"root-2{ext}").unlink()
    new = packrepo.rotate_key(county.repo, county.keys, "root", "root-2", passphrase=PASSPHRASE)
    assert new == "root-4"
    root = Metadata.from_file(str(county.repo / "metadata" / "2.root.json"))
    keyids = root.signed.roles["root"].keyids  # type: ignore[attr-defined]
    assert len(keyids) == 3
    assert keys.load_public_key(keys.public_path(county.keys, "root-4")).keyid in keyids
    assert packrepo.status(county.repo).keys["root"] == ("root-1", "root-3", "root-4")
    # A PC that trusts version 1 follows to version 2.
    assert packrepo.verify(county.repo).ok
    county.sign("1")
    assert packrepo.verify(county.repo).ok


def test_rotating_root_refuses_without_enough_old_keys(county: CountyRepo) -> None:
    for name in ("root-1", "root-2"):
        keys.private_path(county.keys, name).unlink()
    with pytest.raises(RepoError, match="needs 2 root keys; 1 found"):
        packrepo.rotate_key(county.repo, county.keys, "root", "root-2", passphrase=PASSPHRASE)
    assert not keys.private_path(county.keys, "root-4").exists()


@pytest.mark.parametrize("role", ["targets", "online"])
def test_rotating_the_targets_or_online_key(county: CountyRepo, role: str) -> None:
    county.sign("1")
    old = keys.load_public_key(keys.public_path(county.keys, role)).keyid
    new = packrepo.rotate_key(county.repo, county.keys, role, passphrase=PASSPHRASE)
    assert new == f"{role}-2"
    state = packrepo.status(county.repo)
    assert state.keys[role] == (new,)
    tuf_role = "targets" if role == "targets" else "timestamp"
    assert old not in state.keyids[tuf_role]
    assert keys.load_public_key(keys.public_path(county.keys, new)).keyid in state.keyids[tuf_role]
    county.sign("2")  # signed with the new key now
    assert packrepo.verify(county.repo).ok
    with pytest.raises(RepoError, match="is not a key of"):
        packrepo.rotate_key(county.repo, county.keys, role, role, passphrase=PASSPHRASE)


def test_publish_copies_public_files_only(county: CountyRepo) -> None:
    county.sign("1")
    result = county.publish(url="https://packs.anji.example/yiduantong")
    names = {p.relative_to(county.published).as_posix()
             for p in county.published.rglob("*") if p.is_file()}
    assert "bootstrap/root.json" in names and "bootstrap/updates.toml" in names
    assert not [n for n in names if n.endswith(".pem") or "repo.toml" in n or "keys" in n]
    assert {n.split("/")[0] for n in names} == {"metadata", "targets", "bootstrap"}
    assert result.files == len(names)
    assert (county.published / "bootstrap" / "root.json").read_bytes() == (
        county.repo / "metadata" / "root.json").read_bytes()
    updates = (county.published / "bootstrap" / "updates.toml").read_text(encoding="utf-8")
    assert 'url = "https://packs.anji.example/yiduantong"' in updates
    assert packrepo.verify(county.published,
                           root_file=county.published / "bootstrap" / "root.json").ok
    with pytest.raises(RepoError, match="outside the repository"):
        packrepo.publish(county.repo, county.repo / "www")


def test_publish_for_offline_delivery(county: CountyRepo) -> None:
    county.sign("1")
    with pytest.raises(RepoError, match="online key is needed"):
        packrepo.publish(county.repo, county.published, offline_days=60)
    result = county.publish(offline_days=60)
    state = packrepo.status(county.repo)
    for role in ("snapshot", "timestamp"):
        assert state.expires[role] - datetime.now(UTC) > timedelta(days=59)
    assert result.expires == state.expires["timestamp"]
    # Longer than the targets' 90 days: the targets' expiry is how long a township can go.
    result = county.publish(offline_days=120)
    assert result.expires == packrepo.status(county.repo).expires["targets"]


def test_verify_finds_a_changed_target_and_broken_metadata(county: CountyRepo) -> None:
    county.sign("1")
    (pack,) = (county.repo / "targets" / "packs").iterdir()
    pack.write_bytes(pack.read_bytes() + b"x")
    report = packrepo.verify(county.repo)
    assert not report.ok and "differs from what was signed" in report.problems[0]
    (county.repo / "metadata" / "timestamp.json").write_text("{}")
    report = packrepo.verify(county.repo)
    assert not report.ok and "metadata" in report.problems[0]


def test_a_folder_that_is_no_repository(tmp_path: Path) -> None:
    with pytest.raises(RepoError, match=r"repo\.toml: not found"):
        packrepo.status(tmp_path)


def test_key_files(tmp_path: Path) -> None:
    signer = keys.generate_key(tmp_path, "targets")
    assert b"ENCRYPTED" not in keys.private_path(tmp_path, "targets").read_bytes()
    assert not keys.is_encrypted(tmp_path, "targets")
    loaded = keys.load_signer_file(tmp_path / "targets.pem")
    assert loaded.public_key == signer.public_key
    with pytest.raises(keys.KeyFileError, match="already exists"):
        keys.generate_key(tmp_path, "targets")
    with pytest.raises(keys.KeyFileError, match="not a key name"):
        keys.generate_key(tmp_path, "../evil")
    keys.generate_key(tmp_path, "other", "secret")
    assert keys.is_encrypted(tmp_path, "other")
    # A private key beside someone else's public key is refused.
    shutil.copyfile(tmp_path / "other.pub.json", tmp_path / "targets.pub.json")
    with pytest.raises(keys.KeyFileError, match=r"targets\.pem: does not match"):
        keys.load_signer(tmp_path, "targets")
    with pytest.raises(keys.KeyFileError, match=r"missing\.pub\.json: not found"):
        keys.load_signer(tmp_path, "missing")
    (tmp_path / "junk.pub.json").write_text("[]")
    with pytest.raises(keys.KeyFileError, match="not a public key file"):
        keys.load_public_key(tmp_path / "junk.pub.json")
