"""County packs in the launcher: the county file opened is the installed pack's (machine-wide or
per-user, the higher), a pack that fails to load is rolled back and said, the kill switch reaches
the registry, a pack's retired platforms are cleared (三清) once per data folder, and the person
is told what changed, in Chinese.

Real parts: packs built by archive.build_pack, a TUF repository made by repo.py, served by a real
static web server (tests/integration/pack_repo_server.py), the launcher's own use cases."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from launcher.app import packs
from launcher.app.packs import NoticeKind
from launcher.core.errors import ConfigError
from launcher.core.packs import repo as packrepo
from launcher.core.packs.client import UpdateStatus
from launcher.core.packs.store import user_store
from launcher.core.packs.version import PackVersion
from tests.integration.pack_repo_server import CountyRepo, install_settings, serve

V1 = {"anji.tasks": "1.0.0", "anji.old": "1.0.0"}
V2 = {"anji.tasks": "1.1.0", "anji.new": "1.0.0"}


@pytest.fixture
def pc(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[CountyRepo]:
    """A PC of its own (data folder and machine-wide folder), with the county's update settings
    installed machine-wide and pack 1 published on a web server."""
    monkeypatch.setenv("LAUNCHER_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("LAUNCHER_MACHINE_DIR", str(tmp_path / "machine"))
    packs.take_notices()
    county = CountyRepo(tmp_path / "county").init(root_keys=1, threshold=1)
    county.sign("1", V1)
    with serve(county.published) as server:
        install_settings(tmp_path / "machine", server.url,
                         county.published / "bootstrap" / "root.json", machine=True)
        yield county
    packs.take_notices()


def test_the_installed_pack_is_the_county_opened_and_a_new_one_says_what_changed(
    pc: CountyRepo,
) -> None:
    assert packs.configured_county() is None  # settings, but no pack yet
    first = packs.check(stage=False)
    assert first.result is not None and first.result.status == UpdateStatus.INSTALLED
    assert [n.kind for n in first.notices] == [NoticeKind.UPDATED]
    assert packs.take_notices() == first.notices  # kept for the window, said once
    county_file = packs.configured_county()
    assert county_file is not None and county_file.parent.name == "1"
    services = packs.open_services(county_file)
    try:
        assert sorted(p.id for p in services.registry.platforms) == ["anji.old", "anji.tasks"]
    finally:
        services.close()

    pc.sign("2", V2, note="新增一个平台")
    outcome = packs.check(stage=True)  # a page is open: staged for the next start
    assert outcome.result is not None and outcome.result.status == UpdateStatus.STAGED
    [staged] = outcome.notices
    assert staged.kind == NoticeKind.STAGED
    assert "下次启动时生效" in staged.sentence("zh_CN")
    assert packs.configured_county() is not None  # the next start switches to it
    [updated] = [n for n in packs.take_notices() if n.kind == NoticeKind.UPDATED]
    said = updated.sentence("zh_CN", {"anji.new": "新平台", "anji.old": "旧平台"})
    assert said.startswith("县平台包已更新到 2")
    assert "新增：新平台" in said and "停用：旧平台" in said and "新增一个平台" in said
    assert "added: 平台 anji.new" in updated.sentence("en")  # named from the manifests
    assert user_store().current() == PackVersion.parse("2")


def test_a_pack_that_does_not_load_is_rolled_back_and_the_person_is_told(pc: CountyRepo) -> None:
    packs.check(stage=False)
    pc.sign("2", V2)
    packs.check(stage=False)
    store = user_store()
    assert store.current() == PackVersion.parse("2")
    # Broken once in use (a disk error, a launcher that no longer reads it).
    manifest = next((store.folder(PackVersion.parse("2")) / "plugins").glob("*/manifest.toml"))
    manifest.write_text("schema = 1\nid = ", encoding="utf-8")
    packs.take_notices()

    services = packs.open_services(store.county_file() or Path())
    try:
        assert sorted(p.id for p in services.registry.platforms) == ["anji.old", "anji.tasks"]
    finally:
        services.close()
    assert store.current() == PackVersion.parse("1")
    [notice] = packs.take_notices()
    assert notice.kind == NoticeKind.ROLLED_BACK and (notice.version, notice.previous) == ("2", "1")
    said = notice.sentence("zh_CN")
    assert "县平台包 2 加载出错，已自动退回 1" in said and "manifest.toml" in said
    assert store.is_bad(PackVersion.parse("2"))


def test_a_pack_with_nothing_to_fall_back_to_is_a_clear_error(pc: CountyRepo) -> None:
    packs.check(stage=False)
    store = user_store()
    county_file = store.county_file()
    assert county_file is not None
    county_file.write_text("[county]\nid = ", encoding="utf-8")
    with pytest.raises(ConfigError, match="county pack 1 does not load and no other"):
        packs.open_services(county_file)


def test_the_kill_switch_reaches_the_county_s_registry(pc: CountyRepo) -> None:
    packs.check(stage=False)
    packrepo.block(pc.repo, pc.keys, "anji.tasks", "1.0.0", "hard", "会重复提交",
                   contact="县大数据中心 0572-1234567")
    packrepo.block(pc.repo, pc.keys, "anji.old", "*", "soft", "即将停用")
    pc.publish()
    assert packs.check(stage=False).result.status == UpdateStatus.UP_TO_DATE  # type: ignore[union-attr]

    services = packs.open_services(packs.configured_county() or Path())
    try:
        registry = services.registry
        assert [p.id for p in registry.platforms] == ["anji.old"]
        assert registry.blocked["anji.tasks"].hard
        assert registry.blocked["anji.tasks"].block.contact == "县大数据中心 0572-1234567"
        assert not registry.blocked["anji.old"].hard
    finally:
        services.close()


def test_a_machine_wide_pack_serves_every_account_and_the_higher_one_wins(
    pc: CountyRepo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert packs.check(stage=False, machine=True).result.status == UpdateStatus.INSTALLED  # type: ignore[union-attr]
    machine_county = packs.configured_county()
    assert machine_county is not None and str(machine_county).startswith(str(tmp_path / "machine"))
    # Another Windows account of the PC: its own data folder, the same machine-wide pack.
    monkeypatch.setenv("LAUNCHER_HOME", str(tmp_path / "home-2"))
    assert packs.configured_county() == machine_county
    # Its own check downloads nothing the machine-wide store already holds.
    same = packs.check(stage=False).result
    assert same is not None and same.status == UpdateStatus.UP_TO_DATE
    assert user_store().current() is None and packs.configured_county() == machine_county
    pc.sign("2", V2)
    packs.check(stage=False)  # this account's own update, newer than the machine's
    chosen = packs.configured_county()
    assert chosen is not None and chosen.parent.name == "2"
    assert str(chosen).startswith(str(tmp_path / "home-2"))


def test_a_pack_s_retired_platform_is_cleared_once_in_each_data_folder(
    pc: CountyRepo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    packs.check(stage=False)
    services = packs.open_services(packs.configured_county() or Path())
    services.close()
    pc.sign("2", V2)
    packs.check(stage=False)
    packs.take_notices()

    services = packs.open_services(packs.configured_county() or Path())
    services.close()
    [retired] = [n for n in packs.take_notices() if n.kind == NoticeKind.RETIRED]
    assert retired.platforms == ("anji.old",)
    assert retired.report is not None and retired.report.is_file()
    assert "已停用并从本机清除（三清）：平台 anji.old" in retired.sentence("zh_CN")
    # Once: opening again clears nothing more.
    services = packs.open_services(packs.configured_county() or Path())
    services.close()
    assert not [n for n in packs.take_notices() if n.kind == NoticeKind.RETIRED]


def test_a_usb_stick_is_a_source_of_the_same_repository(pc: CountyRepo, tmp_path: Path) -> None:
    stick = tmp_path / "U盘" / "yiduantong"
    pc.sign("2", V2)
    shutil.copytree(pc.published, stick)
    outcome = packs.check(stage=False, source=str(stick))
    assert outcome.result is not None and outcome.result.status == UpdateStatus.INSTALLED
    assert outcome.result.version == PackVersion.parse("2")


def test_launcher_update_installs_and_says_so_in_chinese(pc: CountyRepo, tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    env = {**os.environ, "LAUNCHER_HOME": str(tmp_path / "home"),
           "LAUNCHER_MACHINE_DIR": str(tmp_path / "machine")}

    def update(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "launcher", "update", "--lang", "zh_CN",
                               *args], env=env, capture_output=True, text=True, timeout=120)

    first = update()
    assert first.returncode == 0, first.stderr
    assert "县平台包已更新到 1" in first.stdout
    again = update()
    assert again.returncode == 0 and "县平台包已是最新：1" in again.stdout
    shutil.rmtree(tmp_path / "machine")
    none = update()
    assert none.returncode == 2 and "本机没有县平台包的更新设置" in none.stderr


def test_the_first_start_after_the_settings_were_installed_fetches_the_pack(
    pc: CountyRepo,
) -> None:
    from launcher.ui.start import _configured_county

    assert packs.configured_county() is None
    # Fetched before the window, which then opens the pack's county.
    assert _configured_county() is not None
    chosen = packs.configured_county()
    assert chosen is not None and chosen.parent.name == "1"
