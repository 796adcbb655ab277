"""docs/packs.md, followed literally on one machine, as a county IT team would.

Every command run here is a line of the guide's code blocks, in the guide's order, in both its
Chinese and its English section (``documented``): the guide cannot drift from the commands. The
county files are the guide's own TOML blocks. The "township PC" is this machine with
``LAUNCHER_HOME`` and ``LAUNCHER_MACHINE_DIR`` in the trial folder, as the guide's step 0 sets
them; the web server is the one the guide starts (Python's ``http.server``), on a free port
instead of 8000. A few refusals the guide promises are checked by commands of their own
(``claimed``).
"""

from __future__ import annotations

import json
import os
import re
import shlex
import stat
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.usefixtures("real_keyring")

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "packs.md"
PASSPHRASE = "县里的口令 correct horse"
GUIDE_SERVER = "127.0.0.1:8000"

Line = tuple[str, ...]


def _sections() -> dict[str, str]:
    text = GUIDE.read_text(encoding="utf-8")
    chinese = text.split("\n## 中文\n", 1)[1].split("\n## English\n", 1)[0]
    english = text.split("\n## English\n", 1)[1]
    return {"zh": chinese, "en": english}


def _blocks(section: str, language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", section, re.S)


def _lines(section: str) -> list[Line]:
    """Each line of the section's bash blocks, as the shell splits it."""
    lines: list[Line] = []
    for block in _blocks(section, "bash"):
        for line in block.splitlines():
            tokens = tuple(shlex.split(line, comments=True))
            if tokens:
                lines.append(tokens)
    return lines


def _county_files(section: str) -> list[str]:
    """The section's county.toml blocks (first line ``# county/county.toml…``), in order."""
    return [b for b in _blocks(section, "toml") if b.startswith("# county/county.toml")]


class Trial:
    """The trial folder of the guide, its environment, and where in the guide the walk is."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        sections = _sections()
        self.lines = {language: _lines(text) for language, text in sections.items()}
        self.texts = sections
        self.position = {language: -1 for language in sections}
        self.server = GUIDE_SERVER
        self.env = {k: v for k, v in os.environ.items()
                    if k not in ("LAUNCHER_KEY_PASSPHRASE", "LAUNCHER_HOME",
                                 "LAUNCHER_MACHINE_DIR")}
        self.env["NO_PROXY"] = self.env["no_proxy"] = "127.0.0.1,localhost"

    def documented(self, line: str) -> None:
        """``line`` is in both sections' code blocks, after the line documented before it."""
        tokens = tuple(shlex.split(line, comments=True))
        for language, lines in self.lines.items():
            start = self.position[language] + 1
            found = next((i for i in range(start, len(lines)) if lines[i] == tokens), None)
            assert found is not None, (
                f"docs/packs.md ({language}) has no line {line!r} after "
                f"{lines[start - 1] if start else 'the start'!r}")
            self.position[language] = found

    def run(self, line: str, *, status: int = 0) -> subprocess.CompletedProcess[str]:
        """Run a documented line (commands joined by ``&&`` one after the other); the last
        command's result. ``launcher`` is this Python's ``-m launcher``; other commands go to
        bash as written."""
        self.documented(line)
        return self.execute(line, status=status)

    def claimed(self, line: str, *, status: int) -> subprocess.CompletedProcess[str]:
        """Run a command the guide does not list but whose refusal it promises."""
        return self.execute(line, status=status)

    def execute(self, line: str, *, status: int = 0) -> subprocess.CompletedProcess[str]:
        """Run ``line`` (documented or claimed before) with the trial's server address."""
        result = None
        for command in line.replace(GUIDE_SERVER, self.server).split(" && "):
            tokens = shlex.split(command)
            if tokens[0] == "launcher":
                argv = [sys.executable, "-m", "launcher", *tokens[1:]]
            else:
                argv = ["bash", "-c", command]
            result = subprocess.run(argv, cwd=self.folder, env=self.env, text=True,
                                    capture_output=True, timeout=120, stdin=subprocess.DEVNULL)
            assert "Traceback" not in result.stderr, result.stderr
            if result.returncode != 0:
                break
        assert result is not None
        assert result.returncode == status, (
            f"{line}: exit {result.returncode}\n{result.stdout}\n{result.stderr}")
        return result

    def county_file(self, number: int) -> None:
        """Write the guide's ``number``-th county.toml (the same in both sections)."""
        chinese = _county_files(self.texts["zh"])[number]
        english = _county_files(self.texts["en"])[number]
        assert tomllib.loads(chinese) == tomllib.loads(english)
        (self.folder / "county" / "county.toml").write_text(chinese, encoding="utf-8")


@pytest.fixture
def trial(tmp_path: Path) -> Iterator[Trial]:
    walk = Trial(tmp_path / "yiduantong-trial")
    walk.documented("mkdir yiduantong-trial && cd yiduantong-trial")
    walk.folder.mkdir()
    walk.documented("export LAUNCHER_HOME=$PWD/pc/home LAUNCHER_MACHINE_DIR=$PWD/pc/machine")
    walk.env["LAUNCHER_HOME"] = str(walk.folder / "pc" / "home")
    walk.env["LAUNCHER_MACHINE_DIR"] = str(walk.folder / "pc" / "machine")
    for language in ("zh", "en"):
        assert any(line[:2] == ("read", "-rsp") and "LAUNCHER_KEY_PASSPHRASE" in line
                   and line[-1] == "LAUNCHER_KEY_PASSPHRASE" for line in walk.lines[language])
    walk.env["LAUNCHER_KEY_PASSPHRASE"] = PASSPHRASE
    yield walk


def test_the_guide_walked_through_on_one_machine(trial: Trial) -> None:
    folder = trial.folder
    home = folder / "pc" / "home"
    reports = home / "reports"

    # 1. The repository and its keys, encrypted with the passphrase.
    made = trial.run("launcher pack init repo --keys keys --county anji --root-keys 3 --threshold 2")
    assert "已创建县 anji 的仓库：repo" in made.stdout
    assert "未加密" not in made.stderr
    for key in ("root-1", "root-2", "root-3", "targets", "online"):
        text = (folder / "keys" / f"{key}.pem").read_text("ascii")
        assert text.startswith("-----BEGIN ENCRYPTED PRIVATE KEY-----"), key
        assert (folder / "keys" / f"{key}.pub.json").is_file()

    # 2. Plugins and the county file.
    for plugin, line in (
        ("anji.gov-tasks", "launcher pack new anji.gov-tasks --dir county/plugins --kind rest "
                           '--name 政务待办 --name-en "Government tasks"'),
        ("anji.old-system", "launcher pack new anji.old-system --dir county/plugins --kind "
                            'password --name 旧系统 --name-en "Old system"'),
        ("anji.safety", "launcher pack new anji.safety --dir county/plugins --kind rest "
                        '--name 安全排查 --name-en "Safety checks"'),
    ):
        assert f"已创建插件 {plugin}" in trial.run(line).stdout
    refused = trial.claimed("launcher pack new gov-tasks --dir county/plugins", status=2)
    assert "not a plugin id" in refused.stderr
    trial.county_file(0)
    checked = trial.run("launcher pack validate county")
    assert "全部通过：1 个县配置文件，2 个插件" in checked.stdout

    # 3. Build, inspect, sign; 4. publish, serve, verify.
    built = trial.run('launcher pack build county --version 2026.12.1 --out packs --note '
                      '"首个县平台包" --note-en "The first county pack"')
    assert "已生成数据包：packs/anji-2026.12.1.pack.tar.gz" in built.stdout
    assert "本县的第一个数据包：新增：政务待办、旧系统" in built.stdout
    shown = trial.run("launcher pack inspect packs/anji-2026.12.1.pack.tar.gz")
    assert "县 anji，版本 2026.12.1" in shown.stdout and "anji.old-system" in shown.stdout
    document = json.loads(trial.run(
        "launcher pack inspect --json packs/anji-2026.12.1.pack.tar.gz").stdout)
    assert document["version"] == "2026.12.1" and document["refused"] == ""
    assert [p["id"] for p in document["platforms"]] == ["anji.gov-tasks", "anji.old-system"]
    assert document["changes"]["note"] == "首个县平台包"
    signed = trial.run("launcher pack sign repo packs/anji-2026.12.1.pack.tar.gz --keys keys")
    assert "已签名数据包 2026.12.1" in signed.stdout

    server_line = "python3 -m http.server 8000 --bind 127.0.0.1 --directory www &"
    trial.documented("launcher pack publish repo www/yiduantong "
                     "--url http://127.0.0.1:8000/yiduantong")
    trial.documented(server_line)
    (folder / "www").mkdir()
    server = subprocess.Popen(
        [sys.executable, "-u", "-m", "http.server", "0", "--bind", "127.0.0.1", "--directory",
         "www"], cwd=folder, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        assert server.stdout is not None
        port = re.search(r" port (\d+)", server.stdout.readline())
        assert port is not None
        trial.server = f"127.0.0.1:{port.group(1)}"
        _walk_on(trial, folder, home, reports)
    finally:
        server.terminate()
        server.wait(timeout=10)


def _walk_on(trial: Trial, folder: Path, home: Path, reports: Path) -> None:
    publish = "launcher pack publish repo www/yiduantong --url http://127.0.0.1:8000/yiduantong"
    published = trial.execute(publish)  # documented before the server was started
    assert "已发布到 www/yiduantong" in published.stdout
    updates = (folder / "www" / "yiduantong" / "bootstrap" / "updates.toml").read_text("utf-8")
    assert f'url = "http://{trial.server}/yiduantong"' in updates
    assert not list((folder / "www").rglob("*.pem")), "publish never copies keys"
    verified = trial.run("launcher pack verify http://127.0.0.1:8000/yiduantong "
                         "--root www/yiduantong/bootstrap/root.json --county anji")
    assert "验证通过" in verified.stdout and "当前数据包 2026.12.1，停用 0 条" in verified.stdout
    other = trial.claimed(f"launcher pack verify http://{GUIDE_SERVER}/yiduantong "
                          "--root www/yiduantong/bootstrap/root.json --county deqing", status=1)
    assert "验证未通过" in other.stderr and "deqing" in other.stderr

    # 5. The township PC picks it up (before, `launcher update` points at this step).
    bare = trial.claimed("launcher update", status=2)
    step = re.search(r"docs/packs.md 第 (\d+) 步", bare.stderr)
    assert step is not None, bare.stderr
    assert f"\n### {step.group(1)}. 装到乡镇电脑" in trial.texts["zh"]
    assert f"\n### {step.group(1)}. Install on a township PC" in trial.texts["en"]
    trial.run("mkdir -p pc/machine")
    trial.run("cp www/yiduantong/bootstrap/root.json www/yiduantong/bootstrap/updates.toml "
              "pc/machine/")
    updated = trial.run("launcher update")
    assert "县平台包已更新到 2026.12.1：新增：政务待办、旧系统。首个县平台包" in updated.stdout
    status = trial.run("launcher status")
    assert "anji.gov-tasks" in status.stdout and "anji.old-system" in status.stdout

    # 6. A second pack: one platform added, one retired, one updated; an older one refused.
    trial.county_file(1)
    manifest = folder / "county" / "plugins" / "anji.gov-tasks" / "manifest.toml"
    for language in ("zh", "en"):
        assert 'version = "0.1.0"' in trial.texts[language]
        assert 'version = "0.2.0"' in trial.texts[language]
    manifest.write_text(manifest.read_text("utf-8").replace(
        'version = "0.1.0"', 'version = "0.2.0"', 1), "utf-8")
    trial.run("launcher pack validate county")
    built = trial.run(
        "launcher pack build county --version 2026.12.2 --out packs --previous "
        "packs/anji-2026.12.1.pack.tar.gz --retire anji.old-system --note "
        '"新增安全排查，停用旧系统" --note-en "Safety checks added; the old system retired"')
    assert "与 2026.12.1 相比：新增：安全排查；更新：政务待办；停用：旧系统" in built.stdout
    trial.run("launcher pack sign repo packs/anji-2026.12.2.pack.tar.gz --keys keys")
    older = trial.run("launcher pack sign repo packs/anji-2026.12.1.pack.tar.gz --keys keys",
                      status=1)
    assert "未签名" in older.stderr and "not higher than 2026.12.2" in older.stderr
    trial.run(publish)
    updated = trial.run("launcher update")
    assert ("县平台包已更新到 2026.12.2：新增：安全排查；更新：政务待办；停用：旧系统。"
            "新增安全排查，停用旧系统") in updated.stdout
    assert not reports.exists(), "launcher update only installs: 三清 comes when a county opens"
    status = trial.run("launcher status")
    assert "anji.safety" in status.stdout and "anji.old-system" not in status.stdout
    assert "已停用并从本机清除（三清）：旧系统。报告：" in status.stderr
    listed = trial.run("ls pc/home/reports/")
    [name] = listed.stdout.split()
    assert re.fullmatch(r"sanqing-\d{8}T\d{6}Z\.json", name)
    report = json.loads((reports / name).read_text("utf-8"))
    assert report["platforms"] == ["anji.old-system"] and report["why"] == "pack 2026.12.2"
    assert report["county"] == "anji" and report["complete"] is True
    kinds = {item["kind"] for item in report["items"]}
    assert {"session", "passwords", "platform sessions", "web data", "tasks", "notices",
            "splits", "records", "log", "profile"} <= kinds
    assert stat.S_IMODE((reports / name).stat().st_mode) == 0o600

    # 7. A USB stick for a township without a connection, then the server's daily job.
    refused = trial.claimed("launcher pack publish repo usb/yiduantong --offline-days 60",
                            status=1)
    assert "online key is needed" in refused.stderr
    stick = trial.run("launcher pack publish repo usb/yiduantong --offline-days 60 --keys keys")
    assert "已发布到 usb/yiduantong" in stick.stdout and "还有 59 天" in stick.stdout
    assert "县平台包已是最新：2026.12.2" in trial.run("launcher update --from usb/yiduantong").stdout
    daily = trial.run(f"launcher pack timestamp repo --keys keys && {publish}")
    assert "已发布到 www/yiduantong" in daily.stdout
    assert "县平台包已是最新：2026.12.2" in trial.run("launcher update").stdout

    # 8. The kill switch: a hard block, then lifted.
    blocked = trial.run(
        'launcher pack block repo anji.gov-tasks 0.2.0 --hard --reason "会重复提交" '
        '--reason-en "submits twice" --contact "县大数据中心 0572-1234567" --keys keys')
    assert "已停用 anji.gov-tasks 0.2.0（禁止加载）" in blocked.stdout
    trial.run(publish)
    shown = trial.run("launcher pack inspect repo")
    assert "停用：anji.gov-tasks 0.2.0（禁止加载）：会重复提交；联系：县大数据中心 0572-1234567" \
        in shown.stdout
    assert "县平台包已是最新：2026.12.2" in trial.run("launcher update").stdout
    status = trial.run("launcher status")
    table, _, below = status.stdout.partition("政务待办: ")
    assert "anji.gov-tasks" not in table and "anji.safety" in table
    assert below.startswith("县里已停用此平台的这个版本：会重复提交。如需使用，请联系：县大数据中心 0572-1234567")
    lifted = trial.run("launcher pack unblock repo anji.gov-tasks 0.2.0 --keys keys")
    assert "已解除停用 anji.gov-tasks 0.2.0" in lifted.stdout
    trial.run(publish)
    trial.run("launcher update")
    assert "anji.gov-tasks" in trial.run("launcher status").stdout

    # 9. A platform removed from this PC (三清), and the reports collected.
    asked = trial.claimed("launcher retire anji.safety", status=1)
    assert "确认请加 --yes" in asked.stderr
    retired = trial.run("launcher retire anji.safety --yes")
    assert "已移除平台 anji.safety" in retired.stdout
    where = re.search(r"三清报告：(\S+\.json)", retired.stdout)
    assert where is not None and Path(where.group(1)).parent == reports
    assert json.loads(Path(where.group(1)).read_text("utf-8"))["why"] == "person"
    trial.run("mkdir -p collected && cp pc/home/reports/sanqing-*.json collected/")
    assert len(list((folder / "collected").glob("sanqing-*.json"))) == 2

    # 10. Keys renewed and replaced; the PC follows from the root it was installed with.
    assert "已重签 root" in trial.run("launcher pack renew repo root --keys keys").stdout
    rotated = trial.run("launcher pack rotate-key repo targets --keys keys")
    assert "已为 targets 换上新密钥 targets-2" in rotated.stdout
    rotated = trial.run("launcher pack rotate-key repo online --keys keys")
    assert "已为 online 换上新密钥 online-2" in rotated.stdout
    unnamed = trial.claimed("launcher pack rotate-key repo root --keys keys", status=1)
    assert "name the one to replace" in unnamed.stderr
    rotated = trial.run("launcher pack rotate-key repo root --keys keys --old root-2")
    assert "已为 root 换上新密钥 root-4" in rotated.stdout
    trial.run(publish)
    assert "县平台包已是最新：2026.12.2" in trial.run("launcher update").stdout
    verified = trial.run("launcher pack verify http://127.0.0.1:8000/yiduantong "
                         "--root pc/machine/root.json --county anji")
    assert "验证通过" in verified.stdout
