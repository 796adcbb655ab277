"""Where a PC's packs come from: updates.toml and root.json, machine-wide before per-user."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from launcher.core.errors import ConfigError
from launcher.core.packs import repo as packrepo
from launcher.core.packs.settings import (
    find_settings,
    load_settings,
    machine_dir,
    path_of_url,
    user_dir,
)


@pytest.fixture(scope="module")
def root_json(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    base = tmp_path_factory.mktemp("repo")
    packrepo.init(base / "repo", base / "keys", "anji", root_keys=1, threshold=1)
    return (base / "repo" / "metadata" / "root.json").read_bytes()


def write(folder: Path, body: str, root: bytes | None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "updates.toml").write_text(textwrap.dedent(body), encoding="utf-8")
    if root is not None:
        (folder / "root.json").write_bytes(root)
    return folder / "updates.toml"


GOOD = """\
    [updates]
    county = "anji"
    url = "https://packs.anji.example/yiduantong/"
    check_hours = 6
    warn_days = 10
    """


def test_a_good_file_is_read(tmp_path: Path, root_json: bytes) -> None:
    settings = load_settings(write(tmp_path, GOOD, root_json))
    assert settings.county == "anji"
    assert settings.url == "https://packs.anji.example/yiduantong"
    assert settings.metadata_url == "https://packs.anji.example/yiduantong/metadata/"
    assert settings.targets_url == "https://packs.anji.example/yiduantong/targets/"
    assert (settings.check_hours, settings.warn_days) == (6, 10)
    assert settings.root_file == tmp_path / "root.json" and settings.root_bytes() == root_json
    assert not settings.local


def test_defaults(tmp_path: Path, root_json: bytes) -> None:
    settings = load_settings(write(tmp_path, '[updates]\ncounty = "anji"\nurl = "http://h/x"\n',
                                   root_json))
    assert (settings.check_hours, settings.warn_days) == (4, 14)


def test_a_folder_is_a_repository_too(tmp_path: Path, root_json: bytes) -> None:
    """A USB stick or a share: a path (relative to the settings file) or a file:// URL."""
    (tmp_path / "usb" / "yiduantong").mkdir(parents=True)
    settings = load_settings(write(
        tmp_path, '[updates]\ncounty = "anji"\nurl = "usb/yiduantong"\n', root_json))
    assert settings.local
    assert path_of_url(settings.url) == (tmp_path / "usb" / "yiduantong").resolve()
    url = (tmp_path / "usb" / "yiduantong").as_uri()
    settings = load_settings(write(tmp_path, f'[updates]\ncounty = "anji"\nurl = "{url}"\n',
                                   root_json))
    assert settings.url == url and settings.local


@pytest.mark.parametrize(("body", "key", "said"), [
    ('[updates]\ncounty = "anji"\nurl = "ftp://h/x"\n', "updates.url", "http(s) or file://"),
    ('[updates]\ncounty = "anji"\nurl = "https://u:p@h/x"\n', "updates.url", "user name"),
    ('[updates]\ncounty = "anji"\nurl = "file://otherhost/x"\n', "updates.url",
     "another host"),
    ('[updates]\ncounty = "anji"\nurl = "http://h/x"\ncheck_hours = 0\n', "updates.check_hours",
     "from 1 to 168"),
    ('[updates]\ncounty = "anji"\nurl = "http://h/x"\ncheck_hours = 169\n',
     "updates.check_hours", "from 1 to 168"),
    ('[updates]\ncounty = "anji"\nurl = "http://h/x"\nwarn_days = "14"\n', "updates.warn_days",
     "whole number"),
    ('[updates]\ncounty = "anji"\nurl = "http://h/x"\ncheck_hour = 4\n', "updates.check_hour",
     "not a known key"),
    ('[updates]\ncounty = "../x"\nurl = "http://h/x"\n', "updates.county", "short name"),
    ('[updates]\ncounty = "anji"\n', "updates.url", "is required"),
    ("updates = 1\n", "updates", "must be a table"),
])
def test_a_broken_file_names_the_file_and_the_key(
        tmp_path: Path, root_json: bytes, body: str, key: str, said: str) -> None:
    path = write(tmp_path, body, root_json)
    with pytest.raises(ConfigError) as caught:
        load_settings(path)
    assert caught.value.path == path and caught.value.key == key
    assert said in caught.value.problem


def test_broken_toml_names_the_file(tmp_path: Path, root_json: bytes) -> None:
    path = write(tmp_path, "[updates\n", root_json)
    with pytest.raises(ConfigError, match="not valid TOML") as caught:
        load_settings(path)
    assert caught.value.path == path


@pytest.mark.parametrize(("root", "said"), [
    (None, "file not found"),
    (b"{not json", "not JSON"),
    (json.dumps({"signed": {"_type": "timestamp"}, "signatures": []}).encode(),
     "not TUF root metadata"),
    (b"[]", "not TUF root metadata"),
    (b" " * (600 * 1024), "larger than"),
])
def test_a_broken_root_of_trust_names_root_json(
        tmp_path: Path, root: bytes | None, said: str) -> None:
    path = write(tmp_path, GOOD, root)
    with pytest.raises(ConfigError, match=said) as caught:
        load_settings(path)
    assert caught.value.path == tmp_path / "root.json"


def test_machine_wide_settings_are_read_before_the_users(
        tmp_path: Path, root_json: bytes, monkeypatch: pytest.MonkeyPatch) -> None:
    machine, user = tmp_path / "machine", tmp_path / "user"
    monkeypatch.setenv("LAUNCHER_MACHINE_DIR", str(machine))
    monkeypatch.setenv("LAUNCHER_HOME", str(user))
    assert machine_dir() == machine and user_dir() == user
    assert find_settings() is None
    write(user, '[updates]\ncounty = "anji"\nurl = "http://user.example/x"\n', root_json)
    found = find_settings()
    assert found is not None and found.url == "http://user.example/x" and not found.machine
    write(machine, '[updates]\ncounty = "anji"\nurl = "http://machine.example/x"\n', root_json)
    found = find_settings()
    assert found is not None and found.url == "http://machine.example/x" and found.machine
    # A broken machine-wide file is an error, never silently the user's.
    write(machine, '[updates]\ncounty = "anji"\nurl = 3\n', root_json)
    with pytest.raises(ConfigError) as caught:
        find_settings()
    assert caught.value.path == machine / "updates.toml" and caught.value.key == "updates.url"


def test_the_machine_folder_without_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LAUNCHER_MACHINE_DIR", raising=False)
    import os

    if os.name == "nt":
        monkeypatch.setenv("PROGRAMDATA", r"D:\PD")
        assert machine_dir() == Path(r"D:\PD") / "yiduantong"
    else:
        assert machine_dir() == Path("/etc/yiduantong")
