"""``launcher pack …`` as an IT team runs it, each command a real process: a plugin scaffolded,
checked, built into a pack, inspected; a repository created with encrypted keys, the pack signed,
a plugin blocked, the repository published, inspected and verified as a launcher checks it (from
a folder and from a local web server), and refused when tampered with or checked against another
county's root."""

from __future__ import annotations

import functools
import json
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from launcher.core.packs.archive import read_pack_info

PASSPHRASE = "县里的口令 correct horse"


def launcher(*args: str | Path, cwd: Path, passphrase: str | None = None,
             **env: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if k != "LAUNCHER_KEY_PASSPHRASE"}
    environment.update(env)
    environment["NO_PROXY"] = environment["no_proxy"] = "127.0.0.1,localhost"
    if passphrase is not None:
        environment["LAUNCHER_KEY_PASSPHRASE"] = passphrase
    result = subprocess.run(
        [sys.executable, "-m", "launcher", *map(str, args)],
        cwd=cwd,
        env=environment,
        text=True,
        capture_output=True,
        timeout=180,
        stdin=subprocess.DEVNULL,
    )
    assert "Traceback" not in result.stderr, result.stderr
    return result


def county_file(folder: Path, plugins: dict[str, str]) -> None:
    entries = "".join(
        f'[[platforms]]\nplugin = "{pid}"\nbase_url = "{url}"\n\n' for pid, url in plugins.items()
    )
    (folder / "county.toml").write_text(
        '# 安吉县\n[county]\nid = "anji"\nname = "安吉县"\n\n[idp]\nissuer = "http://127.0.0.1:9"\n\n'
        + entries,
        encoding="utf-8",
    )


@pytest.fixture
def county(tmp_path: Path) -> Path:
    """A county folder with three scaffolded plugins, one of each kind."""
    folder = tmp_path / "county"
    plugins = folder / "plugins"
    for args in (
        ["anji.tasks", "--kind", "python", "--name", "县待办"],
        ["anji.rest", "--name", "安全排查", "--name-en", "Safety"],
        ["anji.pw", "--kind", "password", "--name", "三资监管"],
    ):
        made = launcher("pack", "new", *args, "--dir", plugins, cwd=tmp_path)
        assert made.returncode == 0, made.stderr
        assert f"已创建插件 {args[0]}" in made.stdout
    county_file(folder, {"anji.tasks": "http://127.0.0.1:9101", "anji.rest": "http://127.0.0.1:9102",
                         "anji.pw": "http://127.0.0.1:9103"})
    return folder


def test_new_scaffolds_plugins_that_pass_validate(county: Path, tmp_path: Path) -> None:
    plugins = county / "plugins"
    assert sorted(p.name for p in (plugins / "anji.tasks").iterdir()) == [
        "icon.svg", "manifest.toml", "tasks.py"]
    assert 'version = "0.1.0"' in (plugins / "anji.rest" / "manifest.toml").read_text("utf-8")
    assert "LAUNCHER_API = 1" in (plugins / "anji.tasks" / "tasks.py").read_text("utf-8")
    checked = launcher("pack", "validate", county, cwd=tmp_path)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "全部通过：1 个县配置文件，3 个插件，1 个 Python 入口已导入并检查" in checked.stdout
    plain = launcher("validate", plugins / "anji.tasks", "--lang", "en", cwd=tmp_path)
    assert plain.returncode == 0 and "all good" in plain.stdout


def test_new_refuses_a_used_folder_and_a_bad_id(county: Path, tmp_path: Path) -> None:
    again = launcher("pack", "new", "anji.rest", "--dir", county / "plugins", cwd=tmp_path)
    assert again.returncode == 1
    assert "未创建插件" in again.stderr and "已存在且不为空" in again.stderr
    bad = launcher("pack", "new", "../evil", "--dir", county / "plugins", cwd=tmp_path)
    assert bad.returncode == 2
    assert "not a plugin id" in bad.stderr
    english = launcher("pack", "new", "anji.rest", "--dir", county / "plugins", "--lang", "en",
                       cwd=tmp_path)
    assert "the plugin was not created" in english.stderr


def test_build_then_inspect_say_what_is_in_the_pack_and_what_changed(county: Path,
                                                                   tmp_path: Path) -> None:
    built = launcher("pack", "build", county, "--version", "2026.12.1", "--out", "out",
                     "--note", "首个版本", cwd=tmp_path, SOURCE_DATE_EPOCH="1796648400")
    assert built.returncode == 0, built.stdout + built.stderr
    first = tmp_path / "out" / "anji-2026.12.1.pack.tar.gz"
    assert f"已生成数据包：{Path('out') / first.name}" in built.stdout
    assert "本县的第一个数据包：新增：三资监管、安全排查、县待办" in built.stdout
    assert "说明：首个版本" in built.stdout
    again = launcher("pack", "build", county, "--version", "2026.12.1", "--out", "again",
                     cwd=tmp_path, SOURCE_DATE_EPOCH="1796648400")
    assert again.returncode == 0
    # The note is part of the pack: the same note gives the same bytes.
    again = launcher("pack", "build", county, "--version", "2026.12.1", "--out", "again",
                     "--note", "首个版本", cwd=tmp_path, SOURCE_DATE_EPOCH="1796648400")
    assert (tmp_path / "again" / first.name).read_bytes() == first.read_bytes()

    manifest = county / "plugins" / "anji.rest" / "manifest.toml"
    manifest.write_text(manifest.read_text("utf-8").replace('"0.1.0"', '"0.2.0"'), "utf-8")
    county_file(county, {"anji.tasks": "http://127.0.0.1:9101",
                         "anji.rest": "http://127.0.0.1:9102"})
    second = launcher("pack", "build", county, "--version", "2026.12.2", "--out", "out",
                      "--previous", first, "--retire", "anji.legacy", "--note-en",
                      "Safety upgraded", "--lang", "en", cwd=tmp_path)
    assert second.returncode == 0, second.stdout + second.stderr
    assert "since 2026.12.1: updated: Safety; retired: anji.legacy, 三资监管" in second.stdout
    assert "note: Safety upgraded" in second.stdout
    pack = tmp_path / "out" / "anji-2026.12.2.pack.tar.gz"

    shown = launcher("pack", "inspect", pack, cwd=tmp_path)
    assert shown.returncode == 0, shown.stderr
    lines = shown.stdout.splitlines()
    assert lines[0].startswith("数据包 anji-2026.12.2.pack.tar.gz：县 anji，版本 2026.12.2，生成于 ")
    assert "平台（2）：" in lines
    assert any(line.split() == ["anji.rest", "0.2.0", "安全排查"] for line in lines)
    assert any(line.split() == ["anji.tasks", "0.1.0", "县待办"] for line in lines)
    assert any(line.split()[0] == "plugins/anji.tasks/tasks.py" for line in lines)
    assert "变化（与 2026.12.1 相比）：更新：安全排查；停用：anji.legacy、anji.pw" in lines

    as_json = launcher("pack", "inspect", pack, "--json", cwd=tmp_path)
    document = json.loads(as_json.stdout)
    assert document["version"] == "2026.12.2" and document["refused"] == ""
    assert document["platforms"][0] == {"id": "anji.rest", "version": "0.2.0",
                                        "name": "安全排查", "name_en": "Safety"}
    assert {f["name"] for f in document["files"]} >= {"pack.toml", "county.toml",
                                                      "plugins/anji.rest/icon.svg"}
    assert document["changes"]["retired"] == ["anji.legacy", "anji.pw"]


def test_build_refuses_problems_a_lower_version_and_a_bad_one(county: Path,
                                                               tmp_path: Path) -> None:
    built = launcher("pack", "build", county, "--version", "2", "--out", "out", cwd=tmp_path)
    assert built.returncode == 0
    lower = launcher("pack", "build", county, "--version", "1.9", "--out", "out", "--previous",
                     tmp_path / "out" / "anji-2.pack.tar.gz", cwd=tmp_path)
    assert lower.returncode == 1
    assert "未生成数据包：version 1.9 must be later than the previous pack's 2" in lower.stderr
    bad = launcher("pack", "build", county, "--version", "2026.012", "--out", "out",
                   cwd=tmp_path)
    assert bad.returncode == 2 and "without leading zeros" in bad.stderr
    tasks = county / "plugins" / "anji.tasks" / "tasks.py"
    tasks.write_text("raise RuntimeError('不能导入')\n", encoding="utf-8")
    broken = launcher("pack", "build", county, "--version", "3", "--out", "out", cwd=tmp_path)
    assert broken.returncode == 1
    assert f"问题：{county / 'plugins' / 'anji.tasks' / 'manifest.toml'}：tasks.entry：" in (
        broken.stdout)
    assert "发现 1 个问题，未生成数据包" in broken.stdout
    assert not (tmp_path / "out" / "anji-3.pack.tar.gz").exists()


def test_inspect_refuses_what_is_neither_a_pack_nor_a_repository(tmp_path: Path) -> None:
    (tmp_path / "x.pack.tar.gz").write_bytes(b"not a pack")
    refused = launcher("pack", "inspect", "x.pack.tar.gz", cwd=tmp_path)
    assert refused.returncode == 1 and "无法查看：" in refused.stderr
    assert "not a readable pack" in refused.stderr
    empty = launcher("pack", "inspect", ".", "--lang", "en", cwd=tmp_path)
    assert empty.returncode == 1 and "is neither a pack file nor a repository" in empty.stderr


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """A static web server on 127.0.0.1 serving the folder ``tmp_path/web``: its address and
    the folder."""
    web = tmp_path / "web"
    web.mkdir()

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(web)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", web
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def test_a_repository_from_init_to_a_verified_publication(
    county: Path, tmp_path: Path, served: tuple[str, Path]
) -> None:
    run = functools.partial(launcher, cwd=tmp_path)
    assert run("pack", "build", county, "--version", "2026.12.1", "--out", "out").returncode == 0
    pack = tmp_path / "out" / "anji-2026.12.1.pack.tar.gz"

    made = run("pack", "init", "repo", "--keys", "keys", "--county", "anji", "--root-keys", "3",
               "--threshold", "2", passphrase=PASSPHRASE)
    assert made.returncode == 0, made.stderr
    assert "已创建县 anji 的仓库" in made.stdout and "3 个根密钥" in made.stdout
    assert all(b"ENCRYPTED" in p.read_bytes() for p in (tmp_path / "keys").glob("*.pem"))
    assert len(list((tmp_path / "keys").glob("*.pem"))) == 5

    locked = run("pack", "sign", "repo", pack, "--keys", "keys")
    assert locked.returncode == 1
    assert "未签名：" in locked.stderr and "is encrypted: a passphrase is needed" in locked.stderr
    wrong = run("pack", "sign", "repo", pack, "--keys", "keys", passphrase="not it")
    assert wrong.returncode == 1 and "passphrase is wrong" in wrong.stderr
    signed = run("pack", "sign", "repo", pack, "--keys", "keys", passphrase=PASSPHRASE)
    assert signed.returncode == 0, signed.stderr
    assert "已签名数据包 2026.12.1" in signed.stdout
    again = run("pack", "sign", "repo", pack, "--keys", "keys", passphrase=PASSPHRASE)
    assert again.returncode == 1 and "is not higher than 2026.12.1" in again.stderr

    blocked = run("pack", "block", "repo", "anji.rest", "0.1.0", "--hard", "--reason",
                  "接口变更，暂停使用", "--reason-en", "API changed", "--contact",
                  "县大数据中心 0572-1234567", "--keys", "keys", passphrase=PASSPHRASE)
    assert blocked.returncode == 0, blocked.stderr
    assert "已停用 anji.rest 0.1.0（禁止加载）" in blocked.stdout

    shown = run("pack", "inspect", "repo", "--json")
    assert shown.returncode == 0, shown.stdout + shown.stderr
    document = json.loads(shown.stdout)
    assert document["county"] == "anji" and document["problems"] == []
    roles = document["roles"]
    assert roles["root"]["threshold"] == 2 and len(roles["root"]["signed_by"]) == 3
    assert roles["targets"]["version"] == 3  # init, sign, block
    for role in ("targets", "snapshot", "timestamp"):
        assert roles[role]["signed_by"] == roles[role]["keyids"]
    assert document["index"]["pack"] == {"version": "2026.12.1",
                                         "target": "packs/anji-2026.12.1.pack.tar.gz"}
    assert document["index"]["blocks"][0]["reason_en"] == "API changed"
    text = run("pack", "inspect", "repo", "--lang", "en")
    assert "  root: version 1, expires " in text.stdout
    assert "signatures 3/2" in text.stdout and "signatures 1/1" in text.stdout
    assert "current pack: 2026.12.1 (packs/anji-2026.12.1.pack.tar.gz)" in text.stdout
    assert ("block: anji.rest 0.1.0 (hard): API changed; contact: 县大数据中心 0572-1234567"
            in text.stdout)

    _, web_root = served
    published = run("pack", "publish", "repo", web_root / "pub")
    assert published.returncode == 0, published.stderr
    assert "已发布到" in published.stdout and "没有网络的乡镇最晚可用到" in published.stdout
    pub = web_root / "pub"
    assert (pub / "bootstrap" / "root.json").is_file()
    assert (pub / "bootstrap" / "updates.toml").is_file()
    assert not list(pub.rglob("*.pem")) and not (pub / "repo.toml").exists()
    root = pub / "bootstrap" / "root.json"

    verified = run("pack", "verify", pub, "--root", root)
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert "验证通过（与启动器检查更新的方式相同）" in verified.stdout
    assert "当前数据包 2026.12.1，停用 1 条" in verified.stdout
    url, _ = served
    over_http = run("pack", "verify", f"{url}/pub", "--root", root, "--lang", "en")
    assert over_http.returncode == 0, over_http.stdout + over_http.stderr
    assert "verified as a launcher checks it" in over_http.stdout
    assert run("pack", "verify", f"{url}/pub").returncode == 2  # an address needs --root
    elsewhere = run("pack", "verify", f"{url}/pub", "--root", root, "--county", "deqing")
    assert elsewhere.returncode == 1
    assert elsewhere.stderr.splitlines() == [
        f"launcher: 验证未通过：{url}/pub: the repository is county 'anji', this PC's is "
        f"'deqing' ({root})"]

    # Another county's root of trust: refused.
    other = run("pack", "init", "other", "--keys", "other-keys", "--county", "anji",
                "--root-keys", "1", "--threshold", "1")
    assert other.returncode == 0
    foreign = run("pack", "verify", f"{url}/pub", "--root", tmp_path / "other" / "metadata" /
                  "1.root.json")
    assert foreign.returncode == 1 and "验证未通过：" in foreign.stderr

    # A tampered pack on the server: refused, naming it.
    (stored,) = (pub / "targets" / "packs").glob("*.pack.tar.gz")
    original = stored.read_bytes()
    stored.write_bytes(original[:-1] + bytes([original[-1] ^ 1]))
    tampered = run("pack", "verify", f"{url}/pub", "--root", root)
    assert tampered.returncode == 1, tampered.stdout
    assert "验证未通过：" in tampered.stderr
    from_folder = run("pack", "verify", pub, "--root", root)
    assert from_folder.returncode == 1
    assert "differs from what was signed" in from_folder.stderr
    stored.write_bytes(original)

    # The daily timestamp, a block lifted, a key replaced: still verified from the old root.
    stamped = run("pack", "timestamp", "repo", "--keys", "keys", "--days", "3",
                  passphrase=PASSPHRASE)
    assert stamped.returncode == 0 and "已重签时间戳" in stamped.stdout
    lifted = run("pack", "unblock", "repo", "anji.rest", "0.1.0", "--keys", "keys",
                 passphrase=PASSPHRASE)
    assert lifted.returncode == 0 and "已解除停用 anji.rest 0.1.0" in lifted.stdout
    rotated = run("pack", "rotate-key", "repo", "targets", "--keys", "keys",
                  passphrase=PASSPHRASE)
    assert rotated.returncode == 0, rotated.stderr
    assert "已为 targets 换上新密钥 targets-2" in rotated.stdout
    shutil.rmtree(pub)
    assert run("pack", "publish", "repo", pub).returncode == 0
    after = run("pack", "verify", f"{url}/pub", "--root", root)
    assert after.returncode == 0, after.stdout + after.stderr
    assert "当前数据包 2026.12.1，停用 0 条" in after.stdout
    state = json.loads(run("pack", "inspect", pub, "--json").stdout)
    assert state["roles"]["root"]["version"] == 2
    assert state["index"]["blocks"] == []


def test_the_pack_read_by_the_command_is_the_built_one(county: Path, tmp_path: Path) -> None:
    """``read_pack_info`` of the command's pack (the library and the command agree)."""
    assert launcher("pack", "build", county, "--version", "7", "--out", "out",
                    cwd=tmp_path).returncode == 0
    info = read_pack_info(tmp_path / "out" / "anji-7.pack.tar.gz")
    assert dict(info.platforms) == {"anji.pw": "0.1.0", "anji.rest": "0.1.0",
                                    "anji.tasks": "0.1.0"}
