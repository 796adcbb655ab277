"""Building a pack: checked as ``launcher validate`` checks, reproducible to the byte, holding the
county file (its plugins in the pack) and the plugins it lists; read back and unpacked."""

from __future__ import annotations

import gzip
import shutil
import tarfile
import tomllib
from datetime import UTC, datetime
from pathlib import Path

import pytest

from launcher.core.packs.archive import (
    BuildRefused,
    PackError,
    build_pack,
    extract_pack,
    read_pack_info,
)
from launcher.core.packs.version import PackVersion
from launcher_demo.plugin_dir import plugins_dir

CREATED = datetime(2026, 12, 7, 13, 0, tzinfo=UTC)

COUNTY = """\
# 安吉县的县配置文件：注释保留
plugin_dirs = [
    "platforms",   # our own plugins
    "elsewhere",
]

[county]
id = "anji"
name = "安吉县"

[idp]
issuer = "http://127.0.0.1:9"

[[platforms]]
plugin = "demo.anquan"
base_url = "http://127.0.0.1:9101"

[[platforms]]
plugin = "anji.tasks"
base_url = "http://127.0.0.1:9102"

[[platforms]]
plugin = "demo.sanzi"
base_url = "http://127.0.0.1:9103"
enabled = false
"""

PYTHON_MANIFEST = """\
schema = 1
id = "anji.tasks"
name = "县待办"
version = "0.3.0"
icon = "icons/icon.svg"
home = "{base_url}/"
origins = ["{base_url}"]

[auth]
kind = "sso"
scopes = ["tasks"]

[tasks]
kind = "python"
entry = "tasks:make"
"""

PYTHON_MODULE = """\
LAUNCHER_API = 1


class Tasks:
    def __init__(self, context):
        self.context = context

    def fetch(self, *, timeout):
        return []


def make(context):
    return Tasks(context)
"""


@pytest.fixture
def source(tmp_path: Path) -> Path:
    """A county folder: county.toml naming two plugin folders; a declared plugin (demo.anquan), a
    Python one (anji.tasks, with leftovers that stay out of a pack), a disabled one (demo.sanzi)
    and one the county does not list (demo.zhifa)."""
    root = tmp_path / "src"
    platforms, elsewhere = root / "platforms", root / "elsewhere"
    for name in ("anquan", "zhifa"):
        shutil.copytree(plugins_dir() / name, platforms / name)
    shutil.copytree(plugins_dir() / "sanzi", elsewhere / "sanzi")
    tasks = platforms / "tasks"
    (tasks / "icons").mkdir(parents=True)
    (tasks / "manifest.toml").write_text(PYTHON_MANIFEST, encoding="utf-8")
    (tasks / "tasks.py").write_text(PYTHON_MODULE, encoding="utf-8")
    shutil.copy(plugins_dir() / "anquan" / "icon.svg", tasks / "icons" / "icon.svg")
    (tasks / "__pycache__").mkdir()
    (tasks / "__pycache__" / "tasks.cpython-311.pyc").write_bytes(b"compiled")
    (tasks / "old.pyc").write_bytes(b"compiled")
    (tasks / ".secret").write_text("token", encoding="utf-8")
    (tasks / ".git").mkdir()
    (tasks / ".git" / "config").write_text("x", encoding="utf-8")
    (root / "county.toml").write_text(COUNTY, encoding="utf-8")
    return root


def build(source: Path, out: Path, version: str = "2026.12.1", **options: object) -> Path:
    return build_pack(source, version, out, created=CREATED, **options)  # type: ignore[arg-type]


def members(pack: Path) -> list[tarfile.TarInfo]:
    with tarfile.open(pack, "r:gz") as tar:
        return tar.getmembers()


def test_the_same_sources_build_the_same_bytes(source: Path, tmp_path: Path) -> None:
    first = build(source, tmp_path / "one")
    # The files touched again (another checkout): the pack stays the same.
    for path in source.rglob("*"):
        path.touch()
    second = build(source, tmp_path / "two")
    assert first.name == second.name == "anji-2026.12.1.pack.tar.gz"
    assert first.read_bytes() == second.read_bytes()
    assert not list((tmp_path / "one").glob(".*"))  # no partial file left


def test_the_pack_carries_nothing_of_the_machine_that_built_it(source: Path,
                                                               tmp_path: Path) -> None:
    pack = build(source, tmp_path / "out")
    data = pack.read_bytes()
    assert data[4:8] == b"\0\0\0\0"  # gzip's mtime
    assert not data[3] & 0x08  # no file name in gzip's header
    found = members(pack)
    assert [m.name for m in found] == sorted(m.name for m in found)
    for member in found:
        assert (member.mtime, member.uid, member.gid, member.uname, member.gname) == (
            0, 0, 0, "", "")
        assert member.isdir() or member.isreg()
        assert member.mode == (0o755 if member.isdir() else 0o644)


def test_the_pack_holds_the_listed_plugins_by_id_and_no_leftovers(source: Path,
                                                                  tmp_path: Path) -> None:
    pack = build(source, tmp_path / "out")
    names = {m.name for m in members(pack)}
    assert names == {
        "county.toml", "pack.toml", "plugins",
        "plugins/anji.tasks", "plugins/anji.tasks/icons", "plugins/anji.tasks/icons/icon.svg",
        "plugins/anji.tasks/manifest.toml", "plugins/anji.tasks/tasks.py",
        "plugins/demo.anquan", "plugins/demo.anquan/icon.svg",
        "plugins/demo.anquan/manifest.toml",
        # disabled, but listed: the county may turn it on in its next pack's county file
        "plugins/demo.sanzi", "plugins/demo.sanzi/icon.svg", "plugins/demo.sanzi/manifest.toml",
    }


def test_the_county_file_keeps_its_words_and_loads_the_packs_plugins(source: Path,
                                                                     tmp_path: Path) -> None:
    pack = build(source, tmp_path / "out")
    with tarfile.open(pack, "r:gz") as tar:
        member = tar.extractfile("county.toml")
        assert member is not None
        text = member.read().decode("utf-8")
    assert text.startswith("# 安吉县的县配置文件：注释保留\nplugin_dirs = [\"plugins\"]\n")
    assert "elsewhere" not in text
    parsed = tomllib.loads(text)
    original = tomllib.loads(COUNTY)
    assert parsed == {**original, "plugin_dirs": ["plugins"]}


def test_a_county_file_without_plugin_dirs_gets_it_first(source: Path, tmp_path: Path) -> None:
    for name in ("anquan", "tasks"):
        shutil.move(source / "platforms" / name, source / "elsewhere" / name)
    (source / "elsewhere").rename(source / "plugins")
    text = COUNTY.replace('plugin_dirs = [\n    "platforms",   # our own plugins\n'
                          '    "elsewhere",\n]\n', "")
    (source / "county.toml").write_text(text, encoding="utf-8")
    pack = build(source, tmp_path / "out")
    extract_pack(pack, tmp_path / "x")
    unpacked = (tmp_path / "x" / "county.toml").read_text(encoding="utf-8")
    assert unpacked.startswith('plugin_dirs = ["plugins"]')
    assert tomllib.loads(unpacked)["county"]["id"] == "anji"


def test_created_defaults_to_source_date_epoch(source: Path, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1796648400")
    one = build_pack(source, "1", tmp_path / "one")
    two = build_pack(source, "1", tmp_path / "two")
    assert one.read_bytes() == two.read_bytes()
    assert read_pack_info(one).created == "2026-12-07T13:00:00Z"


def test_pack_info_says_what_the_pack_is(source: Path, tmp_path: Path) -> None:
    info = read_pack_info(build(source, tmp_path / "out"))
    assert info.county == "anji"
    assert info.version == PackVersion.parse("2026.12.1")
    assert info.created == "2026-12-07T13:00:00Z"
    assert dict(info.platforms) == {"anji.tasks": "0.3.0", "demo.anquan": "1.0.0",
                                    "demo.sanzi": "1.0.0"}
    assert info.changes.previous == ""
    assert info.changes.added == ("anji.tasks", "demo.anquan", "demo.sanzi")
    assert info.file_name == "anji-2026.12.1.pack.tar.gz"


def test_changes_since_the_previous_pack(source: Path, tmp_path: Path) -> None:
    first = build(source, tmp_path / "out")
    manifest = source / "platforms" / "tasks" / "manifest.toml"
    manifest.write_text(PYTHON_MANIFEST.replace("0.3.0", "0.4.0"), encoding="utf-8")
    county = (source / "county.toml").read_text(encoding="utf-8")
    county = county.replace('plugin = "demo.sanzi"', 'plugin = "demo.zhifa"')
    (source / "county.toml").write_text(county, encoding="utf-8")
    second = build(source, tmp_path / "out", "2026.12.2", previous=first,
                   retire=["anji.legacy"], note="县待办升级；执法检查上线",
                   note_en="County tasks upgraded")
    changes = read_pack_info(second).changes
    assert changes.previous == "2026.12.1"
    assert changes.added == ("demo.zhifa",)
    assert changes.updated == ("anji.tasks",)
    assert changes.retired == ("anji.legacy", "demo.sanzi")
    assert changes.note == "县待办升级；执法检查上线"
    assert changes.note_en == "County tasks upgraded"


def test_unpacked_files_are_the_sources(source: Path, tmp_path: Path) -> None:
    pack = build(source, tmp_path / "out")
    dest = tmp_path / "installed" / "2026.12.1"
    info = extract_pack(pack, dest, county="anji", version="2026.12.1")
    assert info == read_pack_info(pack)
    assert (dest / "plugins" / "anji.tasks" / "tasks.py").read_text(encoding="utf-8") == (
        PYTHON_MODULE)
    assert (dest / "plugins" / "demo.anquan" / "manifest.toml").read_bytes() == (
        plugins_dir() / "anquan" / "manifest.toml").read_bytes()
    assert (dest / "pack.toml").is_file()
    from launcher.core.county import load_county
    from launcher.core.registry import build_registry

    registry = build_registry(load_county(dest / "county.toml"))
    assert not registry.errors
    assert {p.id for p in registry.platforms} == {"anji.tasks", "demo.anquan"}


def test_unpacking_refuses_another_target_and_a_folder_in_use(source: Path,
                                                              tmp_path: Path) -> None:
    pack = build(source, tmp_path / "out")
    with pytest.raises(PackError, match="names county 'anji', not 'other'"):
        extract_pack(pack, tmp_path / "a", county="other")
    assert not (tmp_path / "a").exists()  # made here, removed again
    with pytest.raises(PackError, match=r"names version 2026\.12\.1, not 2026\.12\.2"):
        extract_pack(pack, tmp_path / "b", version=PackVersion.parse("2026.12.2"))
    used = tmp_path / "used"
    used.mkdir()
    (used / "keep").write_text("mine", encoding="utf-8")
    with pytest.raises(PackError, match="is not empty"):
        extract_pack(pack, used)
    assert (used / "keep").read_text(encoding="utf-8") == "mine"
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(PackError):
        extract_pack(pack, empty, county="other")
    assert empty.is_dir() and not any(empty.iterdir())  # given empty, left empty


def test_a_county_with_problems_is_not_built(source: Path, tmp_path: Path) -> None:
    manifest = source / "platforms" / "anquan" / "manifest.toml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace(
        'version = "1.0.0"', 'version = ""'), encoding="utf-8")
    (source / "platforms" / "tasks" / "tasks.py").write_text("raise ImportError('boom')\n",
                                                             encoding="utf-8")
    with pytest.raises(BuildRefused) as refused:
        build(source, tmp_path / "out")
    problems = {(p.file, p.key) for p in refused.value.problems}
    assert (str(manifest), "version") in problems
    assert (str(source / "platforms" / "tasks" / "manifest.toml"), "tasks.entry") in problems
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("options", "said"),
    [
        ({"version": "2026.12.01"}, "without leading zeros"),
        ({"version": "2026.12.1"}, "must be later than the previous pack's 2026.12.1"),
        ({"version": "2026.11.9"}, "must be later than the previous pack's 2026.12.1"),
        ({"retire": ["demo.anquan"]}, "the pack still holds this platform"),
        ({"retire": ["../x"]}, "not a plugin id"),
        ({"note": "two\nlines"}, "control characters"),
    ],
)
def test_a_build_the_launcher_could_not_use_is_refused(
    source: Path, tmp_path: Path, options: dict[str, object], said: str
) -> None:
    first = build(source, tmp_path / "first")
    version = str(options.pop("version", "2026.12.2"))
    with pytest.raises(PackError, match=said):
        build(source, tmp_path / "out", version, previous=first, **options)


def test_a_previous_pack_of_another_county_is_refused(source: Path, tmp_path: Path) -> None:
    first = build(source, tmp_path / "first")
    text = (source / "county.toml").read_text(encoding="utf-8")
    (source / "county.toml").write_text(text.replace('id = "anji"', 'id = "deqing"'),
                                        encoding="utf-8")
    with pytest.raises(PackError, match="is a pack of county 'anji', not 'deqing'"):
        build(source, tmp_path / "out", "2026.12.2", previous=first)


def test_a_link_out_of_a_plugin_folder_is_refused(source: Path, tmp_path: Path) -> None:
    (tmp_path / "outside.txt").write_text("the computer's files", encoding="utf-8")
    (source / "platforms" / "tasks" / "data.txt").symlink_to(tmp_path / "outside.txt")
    with pytest.raises(PackError, match="not a regular file inside the plugin's folder"):
        build(source, tmp_path / "out")


def test_a_link_inside_a_plugin_folder_goes_in_as_a_file(source: Path, tmp_path: Path) -> None:
    (source / "platforms" / "tasks" / "logo.svg").symlink_to("icons/icon.svg")
    pack = build(source, tmp_path / "out")
    (logo,) = [m for m in members(pack) if m.name.endswith("logo.svg")]
    assert logo.isreg() and logo.size > 0


def test_names_windows_cannot_hold_are_refused_at_build(source: Path, tmp_path: Path) -> None:
    (source / "platforms" / "tasks" / "a:b.txt").write_text("x", encoding="utf-8")
    with pytest.raises(PackError, match="colon"):
        build(source, tmp_path / "out")


def test_a_gzip_stream_is_what_read_pack_info_expects(source: Path, tmp_path: Path) -> None:
    pack = build(source, tmp_path / "out")
    plain = tmp_path / "plain.tar"
    plain.write_bytes(gzip.decompress(pack.read_bytes()))
    with pytest.raises(PackError, match="not a readable pack"):
        read_pack_info(plain)
