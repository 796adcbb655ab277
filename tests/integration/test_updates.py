"""Updates of county packs end to end: a real TUF repository (repo.py) published to a folder that
a real static web server (the standard library's) serves, and a PC's store updated by the client
(python-tuf's Updater). Every refusal names the problem, and the pack installed before keeps
working; a kill -9 at any moment of an update leaves a working pack."""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from launcher.core.county import load_county
from launcher.core.packs import client
from launcher.core.packs import repo as packrepo
from launcher.core.packs.blocks import blocks_for
from launcher.core.packs.client import UpdateProblem, UpdateResult, UpdateStatus
from launcher.core.packs.settings import UpdateSettings
from launcher.core.packs.store import PackStore
from launcher.core.packs.version import PackVersion
from launcher.core.registry import build_registry
from tests.integration.pack_repo_server import (
    PASSPHRASE,
    CountyRepo,
    StaticServer,
    install_settings,
    rewrite_pack,
    serve,
)

V = PackVersion.parse
ROOT = Path(__file__).resolve().parents[2]
V1 = {"anji.tasks": "1.0.0"}
V2 = {"anji.tasks": "1.1.0", "anji.new": "1.0.0"}


@dataclass
class World:
    county: CountyRepo
    server: StaticServer
    settings: UpdateSettings
    store: PackStore

    def check(self, **kwargs: object) -> UpdateResult:
        return client.check(self.settings, self.store, **kwargs)  # type: ignore[arg-type]

    def still_works(self, version: str) -> None:
        """The pack ``version`` is current and the launcher can open it: its county loads with
        every platform."""
        fresh = PackStore(self.store.root)
        assert fresh.current() == V(version)
        county_file = fresh.county_file()
        assert county_file is not None
        registry = build_registry(load_county(county_file))
        assert registry.errors == [] and registry.platforms


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    """A county repository with pack 1 signed, served over HTTP, and a PC that installed it."""
    county = CountyRepo(tmp_path).init(root_keys=3, threshold=2)
    county.sign("1", V1)
    with serve(county.published) as server:
        settings = install_settings(tmp_path / "pc", server.url,
                                    county.published / "bootstrap" / "root.json")
        pc = World(county, server, settings, PackStore(tmp_path / "pc" / "packs"))
        result = pc.check()
        assert (result.status, result.version) == (UpdateStatus.INSTALLED, V("1")), result
        yield pc


def refused(result: UpdateResult, problem: UpdateProblem, *words: str) -> None:
    assert result.status == UpdateStatus.REFUSED, result
    assert result.problem == problem, result
    for word in words:
        assert word in result.message, result.message


# -- what works ----------------------------------------------------------------------------------


def test_a_new_pack_is_installed_and_says_what_changed(world: World) -> None:
    world.county.sign("2", V2, note="新增平台")
    result = world.check()
    assert (result.status, result.version, result.previous) == (
        UpdateStatus.INSTALLED, V("2"), V("1"))
    assert result.changes is not None
    assert (result.changes.added, result.changes.updated) == (("anji.new",), ("anji.tasks",))
    assert result.changes.note == "新增平台"
    world.still_works("2")
    assert world.store.previous() == V("1")
    assert world.check().status == UpdateStatus.UP_TO_DATE
    # Timestamps only (the county server's daily run): nothing to download.
    packrepo.timestamp(world.county.repo, world.county.keys)
    world.county.publish()
    world.server.requests.clear()
    assert world.check().status == UpdateStatus.UP_TO_DATE
    assert not [r for r in world.server.requests if "/packs/" in r]
    state = world.store.state()
    assert state["last_status"] == "up_to_date" and state["last_error"] == ""


def test_the_expiry_and_how_long_a_township_can_go(world: World) -> None:
    result = world.check()
    assert result.expiry is not None
    assert result.expiry - datetime.now(UTC) <= timedelta(days=1)  # the daily timestamp
    assert result.days_left in (89, 90) and not result.warn  # the targets', signed by hand
    packrepo.renew(world.county.repo, world.county.keys, "targets", 10)
    world.county.publish()
    result = world.check()
    assert result.days_left in (9, 10) and result.warn


def test_a_staged_pack_is_applied_later(world: World) -> None:
    world.county.sign("2", V2)
    result = world.check(stage=True)
    assert (result.status, result.version) == (UpdateStatus.STAGED, V("2"))
    world.still_works("1")
    assert world.check(stage=True).status == UpdateStatus.STAGED
    applied = client.apply_staged(world.store)
    assert applied is not None and applied.version == V("2") and applied.changes is not None
    assert applied.changes.added == ("anji.new",)
    world.still_works("2")
    assert client.apply_staged(world.store) is None


def test_a_usb_stick_or_share_is_a_repository(tmp_path: Path) -> None:
    """A township without a connection: the repository published for offline delivery onto a
    folder, named by its path."""
    county = CountyRepo(tmp_path, passphrase=PASSPHRASE).init(root_keys=1, threshold=1)
    county.sign("1", V1)
    stick = tmp_path / "usb" / "yiduantong"
    packrepo.publish(county.repo, stick, offline_days=30, keys_dir=county.keys,
                     passphrase=PASSPHRASE)
    pc = tmp_path / "pc"
    settings = install_settings(pc, str(stick), stick / "bootstrap" / "root.json", warn_days=45)
    assert settings.local
    store = PackStore(pc / "packs")
    result = client.check(settings, store)
    assert (result.status, result.version) == (UpdateStatus.INSTALLED, V("1")), result
    # Offline: the snapshot and timestamp signed for 30 days are how long the township can go.
    assert result.days_left in (29, 30) and result.warn
    assert packrepo.verify(stick, root_file=stick / "bootstrap" / "root.json").ok


def test_keys_rotated_and_one_root_key_lost(world: World) -> None:
    county = world.county
    for ext in (".pem", ".pub.json"):
        (county.keys / f"root-3{ext}").unlink()
    packrepo.rotate_key(county.repo, county.keys, "root", "root-3")
    packrepo.rotate_key(county.repo, county.keys, "targets")
    packrepo.rotate_key(county.repo, county.keys, "online")
    county.sign("2", V2)
    result = world.check()
    assert (result.status, result.version) == (UpdateStatus.INSTALLED, V("2")), result
    assert (world.store.metadata_dir / "root_history" / "4.root.json").is_file()


def test_the_hard_block_is_reported_for_the_plugin(world: World) -> None:
    packrepo.block(world.county.repo, world.county.keys, "anji.tasks", "1.0.0", "hard",
                   "发现数据泄露风险，已停用", reason_en="data leak found", contact="0572-1234567")
    world.county.publish()
    result = world.check()
    assert result.status == UpdateStatus.UP_TO_DATE
    (block,) = blocks_for(result.blocks, "anji.tasks", "1.0.0")
    assert block.hard and block.contact == "0572-1234567"
    (kept,) = blocks_for(PackStore(world.store.root).blocks(), "anji.tasks", "1.0.0")
    assert kept == block
    assert blocks_for(world.store.blocks(), "anji.tasks", "1.1.0") == []
    packrepo.unblock(world.county.repo, world.county.keys, "anji.tasks", "1.0.0")
    world.county.publish()
    world.check()
    assert world.store.blocks() == ()


# -- what is refused, the installed pack still working ------------------------------------------


def test_a_tampered_pack_is_refused(world: World) -> None:
    world.county.sign("2", V2)
    (pack,) = (world.county.published / "targets" / "packs").glob("*anji-2.pack.tar.gz")
    evil = rewrite_pack(world.county.packs["2"], world.county.base / "evil.pack.tar.gz",
                        {"plugins/anji.new/evil.py": b"import os\n"})
    pack.write_bytes(evil.read_bytes())
    refused(world.check(), UpdateProblem.TAMPERED, "tampered")
    world.still_works("1")
    pack.write_bytes(world.county.packs["2"].read_bytes()[:-10] + b"0123456789")  # same length
    refused(world.check(), UpdateProblem.TAMPERED, "tampered")
    world.still_works("1")
    assert not list(world.store.downloads_dir.iterdir())


def test_metadata_without_signatures_is_refused(world: World) -> None:
    """An attacker lists a pack of their own in the targets metadata: they cannot sign it."""
    world.county.sign("2", V2)
    metadata = world.county.published / "metadata"
    targets_file = metadata / "3.targets.json"
    document = json.loads(targets_file.read_text())
    document["signatures"] = []
    targets_file.write_text(json.dumps(document))
    refused(world.check(), UpdateProblem.SIGNATURE, "signature not trusted")
    world.still_works("1")
    timestamp_file = metadata / "timestamp.json"
    document = json.loads(timestamp_file.read_text())
    document["signatures"][0]["sig"] = "00" * 64
    timestamp_file.write_text(json.dumps(document))
    refused(world.check(), UpdateProblem.SIGNATURE, "signature not trusted")
    world.still_works("1")


def test_a_pack_that_is_not_a_signed_target_is_refused(world: World) -> None:
    """The index names pack 2, but no signed target is pack 2 (a county tool's mistake)."""
    from launcher.core.packs.blocks import Index, pack_target

    county = world.county
    r = packrepo._open(county.repo)
    index = Index(county.county, V("2"), pack_target(county.county, V("2")))
    packrepo._write_index(r, index, county.keys, None)
    county.publish()
    (world.county.published / "targets" / "packs" / "anji-2.pack.tar.gz").write_bytes(
        county.build("2", V2).read_bytes())  # lying there, unsigned
    refused(world.check(), UpdateProblem.UNSIGNED, "packs/anji-2.pack.tar.gz",
            "not among the signed targets")
    world.still_works("1")


def test_a_repository_signed_by_keys_the_county_does_not_trust(
        world: World, tmp_path: Path) -> None:
    """Another repository of the same county id, with keys of its own."""
    impostor = CountyRepo(tmp_path / "impostor").init(root_keys=1, threshold=1)
    impostor.sign("2", V2)
    world.server.folder = impostor.published
    refused(world.check(), UpdateProblem.SIGNATURE, "signature not trusted", "root.json")
    world.still_works("1")
    # A PC that never checked before trusts only its installed root as well.
    fresh = PackStore(tmp_path / "fresh")
    refused(client.check(world.settings, fresh), UpdateProblem.SIGNATURE)
    assert fresh.current() is None


def test_rolled_back_metadata_is_refused(world: World) -> None:
    """An attacker (or a stale mirror) serves the repository as it was before pack 2."""
    before = world.county.snapshot_of_published("before")
    world.county.sign("2", V2)
    assert world.check().version == V("2")
    world.server.folder = before
    refused(world.check(), UpdateProblem.ROLLED_BACK, "rolled back")
    world.still_works("2")


def test_a_pack_older_than_the_installed_one_is_refused(world: World, tmp_path: Path) -> None:
    """This PC has pack 3 (from the machine-wide install, say); the repository offers 2."""
    newer = CountyRepo(tmp_path / "elsewhere").build("3", V2)
    world.store.install(newer)
    world.county.sign("2", V2)
    refused(world.check(), UpdateProblem.ROLLED_BACK, "rolled back", "offers pack 2",
            "older than 3")
    world.still_works("3")


def test_expired_metadata_is_refused_with_its_date(world: World) -> None:
    world.county.sign("2", V2)
    past = datetime.now(UTC).replace(microsecond=0) - timedelta(days=2)
    r = packrepo._open(world.county.repo)
    r.timestamp.signed.version += 1
    r.timestamp.signed.expires = past
    packrepo._sign(r.timestamp, packrepo._role_signers(r, world.county.keys, "online", None))
    packrepo._write_atomic(r.metadata_dir / "timestamp.json", r.timestamp.to_bytes())
    world.county.publish()
    refused(world.check(), UpdateProblem.EXPIRED, "expired", "timestamp",
            past.strftime("%Y-%m-%d %H:%M"))
    world.still_works("1")


def test_metadata_mixed_from_two_versions_is_refused(world: World) -> None:
    county = world.county
    county.sign("2", V2)
    county.sign("3", {"anji.tasks": "1.2.0"})
    metadata = county.published / "metadata"
    good = {name: (metadata / name).read_bytes() for name in ("4.snapshot.json",
                                                                "4.targets.json")}
    # The newest timestamp, with the snapshot of the version before.
    (metadata / "4.snapshot.json").write_bytes((metadata / "3.snapshot.json").read_bytes())
    refused(world.check(), UpdateProblem.MIXED, "mixed")
    world.still_works("1")
    # The newest snapshot, with the targets of the version before.
    (metadata / "4.snapshot.json").write_bytes(good["4.snapshot.json"])
    (metadata / "4.targets.json").write_bytes((metadata / "3.targets.json").read_bytes())
    refused(world.check(), UpdateProblem.MIXED, "mixed")
    world.still_works("1")
    (metadata / "4.targets.json").write_bytes(good["4.targets.json"])
    assert world.check().version == V("3")


def test_a_repository_of_another_county_is_refused(tmp_path: Path) -> None:
    other = CountyRepo(tmp_path, county="deqing").init(root_keys=1, threshold=1)
    other.sign("1", {"deqing.tasks": "1.0.0"})
    with serve(other.published) as server:
        settings = install_settings(tmp_path / "pc", server.url,
                                    other.published / "bootstrap" / "root.json")
        refused(client.check(settings, PackStore(tmp_path / "pc" / "packs")),
                UpdateProblem.WRONG_COUNTY, "'deqing'", "'anji'")


@pytest.mark.parametrize(("bad", "said"), [
    ("manifest", "plugins/anji.tasks/manifest.toml"),
    ("county", "inbox.refresh_minutes"),
    ("syntax", "SyntaxError"),
    ("import", "no_such_module_for_packs"),
])
def test_a_pack_that_does_not_load_is_refused_and_reported(
        world: World, bad: str, said: str) -> None:
    county = world.county
    good = county.build("2", {"anji.tasks": "1.1.0", "anji.py": "1.0.0"},
                        python={"anji.py": "LAUNCHER_API = 1\n\ndef make(context):\n"
                                           "    return None\n"})
    source = county.base / "src" / "2"
    changes = {
        "manifest": {"plugins/anji.tasks/manifest.toml": (
            source / "plugins" / "anji_tasks" / "manifest.toml").read_bytes()
            + b'colour = "red"\n'},
        "county": {"county.toml": b'plugin_dirs = ["plugins"]\n'
                   + (source / "county.toml").read_bytes() + b"[inbox]\nrefresh_minutes = 0\n"},
        "syntax": {"plugins/anji.py/tasks.py": b"def broken(:\n"},
        "import": {"plugins/anji.py/tasks.py": b"import no_such_module_for_packs\n"},
    }[bad]
    broken = rewrite_pack(good, county.base / "broken.pack.tar.gz", changes)
    packrepo.add_pack(county.repo, county.keys, broken, validate=False)
    county.publish()
    result = world.check()
    refused(result, UpdateProblem.BAD_PACK, "pack 2 does not load", said)
    world.still_works("1")
    assert said in world.store.bad_versions()["2"]
    # Not fetched again at every check: it was refused once.
    world.server.requests.clear()
    refused(world.check(), UpdateProblem.BAD_PACK, "refused before")
    assert not [r for r in world.server.requests if "/packs/" in r]
    assert world.store.state()["last_error"].startswith("pack 2 was refused before")


def test_a_pack_that_fails_once_in_use_is_rolled_back(world: World) -> None:
    """The app layer rolls back a pack that fails to load at start: the store goes back to the
    previous pack, and the failed one is not installed again."""
    world.county.sign("2", V2)
    assert world.check().version == V("2")
    assert world.store.rollback("anji.new: the county file failed to load") == V("1")
    world.still_works("1")
    refused(world.check(), UpdateProblem.BAD_PACK, "refused before", "failed to load")
    world.still_works("1")


def test_an_unreachable_repository_fails_without_harm(world: World) -> None:
    world.server.close()
    result = world.check()
    assert (result.status, result.problem) == (UpdateStatus.FAILED, UpdateProblem.UNREACHABLE)
    assert world.settings.url in result.message
    world.still_works("1")


# -- kill -9 ------------------------------------------------------------------------------------

CHILD = textwrap.dedent("""\
    import sys, time
    from pathlib import Path
    from launcher.core.packs import client, store as store_module
    from launcher.core.packs.settings import load_settings

    settings_file, store_root, stop_at = sys.argv[1], sys.argv[2], sys.argv[3]

    def checkpoint(step):
        if step == stop_at:
            print("AT " + step, flush=True)
            time.sleep(60)

    store_module._checkpoint = checkpoint
    print("START", flush=True)
    result = client.check(load_settings(Path(settings_file)),
                          store_module.PackStore(Path(store_root)))
    print("DONE " + str(result.status), flush=True)
    """)


def _child(world: World, store_root: Path, stop_at: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "-c", CHILD, str(world.settings.path), str(store_root), stop_at],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _after_kill(world: World, store_root: Path) -> PackVersion:
    """What a launcher starting after the kill finds: leftovers cleaned, a pack that loads."""
    store = PackStore(store_root)
    store.recover()
    assert not [p for p in store.installed_dir.iterdir() if p.name.startswith(".")]
    assert not list(store.downloads_dir.iterdir())
    assert not [p for p in store.root.iterdir() if p.name.endswith(".tmp")]
    version = store.current()
    assert version in (V("1"), V("2")), version
    county_file = store.county_file()
    assert county_file is not None
    assert build_registry(load_county(county_file)).errors == []
    return version


def _fresh_copy(world: World, name: str) -> Path:
    copy = world.store.root.parent / name
    shutil.copytree(world.store.root, copy, symlinks=True)
    (copy / "lock").unlink(missing_ok=True)
    return copy


@pytest.mark.parametrize("step", ["extracted", "validated", "synced", "renamed", "previous",
                                  "current"])
def test_a_kill_at_each_step_of_an_install_leaves_a_working_pack(world: World,
                                                                 step: str) -> None:
    world.county.sign("2", V2)
    root = _fresh_copy(world, f"killed-{step}")
    child = _child(world, root, step)
    try:
        assert child.stdout is not None
        lines = []
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            line = child.stdout.readline()
            lines.append(line)
            if not line or line.startswith(("AT ", "DONE")):
                break
        assert lines[-1] == f"AT {step}\n", (lines, child.stderr.read() if child.stderr else "")
        child.kill()  # SIGKILL on POSIX
    finally:
        child.kill()
        child.wait(10)
    version = _after_kill(world, root)
    assert version == (V("2") if step == "current" else V("1"))
    # The next check finishes the update.
    result = client.check(world.settings, PackStore(root))
    assert result.ok and PackStore(root).current() == V("2"), result


def test_kills_at_random_moments_of_an_update_leave_a_working_pack(world: World) -> None:
    world.county.sign("2", V2)
    # How long an update takes in a child process, from its START line.
    probe = _fresh_copy(world, "probe")
    child = _child(world, probe, "-")
    assert child.stdout is not None
    assert child.stdout.readline() == "START\n"
    began = time.monotonic()
    out = child.stdout.readline()
    took = time.monotonic() - began
    child.wait(30)
    assert out.startswith("DONE installed"), out
    rng = random.Random(15)
    for attempt in range(8):
        root = _fresh_copy(world, f"random-{attempt}")
        child = _child(world, root, "-")
        assert child.stdout is not None
        try:
            assert child.stdout.readline() == "START\n"
            time.sleep(rng.uniform(0, took * 1.1))
            child.kill()
        finally:
            child.wait(10)
        _after_kill(world, root)
        result = client.check(world.settings, PackStore(root))
        assert result.ok and PackStore(root).current() == V("2"), result


# -- the fetcher ----------------------------------------------------------------------------------


def test_the_fetcher_uses_the_launchers_sessions_and_maps_errors(
        world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    """HTTP goes through launcher.core.http's session (proxy, system trust, county CA); what
    goes wrong is one of TUF's download errors, so the updater behaves as specified."""
    from tuf.api import exceptions

    from launcher.core import http
    from launcher.core.packs.fetch import PackFetcher

    made: list[object] = []
    real = http.new_session

    def counted() -> object:
        session = real()
        made.append(session)
        return session

    monkeypatch.setattr(http, "new_session", counted)
    fetcher = PackFetcher()
    data = fetcher.download_bytes(f"{world.server.url}/metadata/1.root.json", 100_000)
    assert json.loads(data)["signed"]["_type"] == "root" and len(made) == 1
    assert fetcher.metadata["root.json"] == data
    with pytest.raises(exceptions.DownloadHTTPError) as caught:
        fetcher.download_bytes(f"{world.server.url}/metadata/99.root.json", 100)
    assert caught.value.status_code == 404
    with pytest.raises(exceptions.DownloadLengthMismatchError):
        fetcher.download_bytes(f"{world.server.url}/metadata/1.root.json", 10)
    fetcher.close()
    with pytest.raises(exceptions.DownloadError, match="cannot be reached"):
        PackFetcher(timeout=2).download_bytes("http://127.0.0.1:9/x.json", 100)
    with pytest.raises(exceptions.DownloadError, match="cannot download by ftp"):
        PackFetcher().download_bytes("ftp://example.org/x.json", 100)


def test_the_fetcher_reads_folders(tmp_path: Path) -> None:
    from tuf.api import exceptions

    from launcher.core.packs.fetch import PackFetcher

    folder = tmp_path / "U盘 repo"
    folder.mkdir()
    (folder / "timestamp.json").write_bytes(b"x" * 300_000)
    fetcher = PackFetcher(chunk_size=1)  # bounded: at least 4 KB a read
    assert fetcher.chunk_size == 4096
    url = folder.as_uri()
    assert fetcher.download_bytes(f"{url}/timestamp.json", 400_000) == b"x" * 300_000
    assert fetcher.download_bytes(str(folder / "timestamp.json"), 400_000) == b"x" * 300_000
    for missing in (f"{url}/nothing.json", str(folder / "nothing.json"), url):
        with pytest.raises(exceptions.DownloadHTTPError) as caught:
            fetcher.download_bytes(missing, 100)
        assert caught.value.status_code == 404


def test_a_server_that_drips_is_given_up(tmp_path: Path) -> None:
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    from tuf.api import exceptions

    from launcher.core.packs.fetch import PackFetcher

    class Drip(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Length", "100000")
            self.end_headers()
            for _ in range(40):
                try:
                    self.wfile.write(b"x")
                    self.wfile.flush()
                except OSError:
                    return
                time.sleep(0.2)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Drip)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        began = time.monotonic()
        with pytest.raises(exceptions.SlowRetrievalError, match="too slow"):
            PackFetcher(timeout=1, chunk_size=1).download_bytes(
                f"http://127.0.0.1:{server.server_address[1]}/timestamp.json", 200_000)
        assert time.monotonic() - began < 6
    finally:
        server.shutdown()
        server.server_close()
