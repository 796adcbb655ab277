"""``launcher table import|export|list`` on the demo county, as a person runs them (a new process
each, the real keyring): for the person signed in only, every row or none, errors by row and
column, and the next person on the PC sees none of it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook

from launcher.core.secrets import SecretStore
from launcher_demo import DEMO_USERS, DemoCounty, DemoUser

pytestmark = [pytest.mark.keyring, pytest.mark.usefixtures("real_keyring")]

ZHANG, LI = DEMO_USERS[0], DEMO_USERS[1]
HEAD_ID = "11010519491231002X"

BROWSER = '''
import sys

import requests

from launcher_demo import sign_in_scripted

callback = sign_in_scripted(sys.argv[1], sys.argv[2], sys.argv[3])
with requests.Session() as http:
    http.trust_env = False
    page = http.get(callback, timeout=30)
page.raise_for_status()
'''

HOUSEHOLDS = (
    "李家村低保户台账\n"
    "户主,户号,户主身份证号码,家庭人口,低保类型,家庭住址,备注\n"
    f"王建国,0012,{HEAD_ID},4,农村低保,李家村3组12号,\n"
    "李秀英,0013,,2,特困,李家村3组15号,新增\n"
)


class Launcher:
    def __init__(self, home: Path, county: Path) -> None:
        self.home = home
        self.county = county

    def __call__(self, *args: str, user: DemoUser | None = None,
                 lang: str = "en") -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "LAUNCHER_HOME": str(self.home)}
        if user is not None:
            script = self.home.parent / "browser.py"
            script.write_text(BROWSER, encoding="utf-8")
            env["BROWSER"] = f"{sys.executable} {script} %s {user.username} {user.password}"
        return subprocess.run(
            [sys.executable, "-m", "launcher", "--lang", lang, *args, "--county", str(self.county)],
            env=env, text=True, capture_output=True, timeout=120, stdin=subprocess.DEVNULL)

    def login(self, user: DemoUser) -> None:
        result = self("login", "--timeout", "60", user=user)
        assert result.returncode == 0, result.stderr


@pytest.fixture
def launcher(demo_county: DemoCounty, tmp_path: Path) -> Iterator[Launcher]:
    run = Launcher(tmp_path / "home", demo_county.county_path)
    yield run
    run("logout")
    for namespace in ("county/demo", "profile/demo", "vault/demo", "web-session/demo"):
        SecretStore(namespace).delete_matching("")


def test_table_commands_need_someone_signed_in(launcher: Launcher, tmp_path: Path) -> None:
    (tmp_path / "h.csv").write_text(HOUSEHOLDS, encoding="utf-8")
    for args in (("table", "import", str(tmp_path / "h.csv"), "--kind", "household"),
                 ("table", "list", "--kind", "household")):
        result = launcher(*args)
        assert result.returncode == 1 and "not signed in" in result.stderr
        assert "Traceback" not in result.stderr
    assert not (tmp_path / "home" / "counties" / "demo" / "records").exists() or not any(
        (tmp_path / "home" / "counties" / "demo" / "records").iterdir())


def test_import_list_and_export_for_the_person_signed_in(launcher: Launcher,
                                                         tmp_path: Path) -> None:
    ledger = tmp_path / "低保户台账.csv"
    ledger.write_bytes(HOUSEHOLDS.encode("gb18030"))  # as Excel on Chinese Windows saves it
    launcher.login(ZHANG)

    imported = launcher("table", "import", str(ledger), "--kind", "household", lang="zh_CN")
    assert imported.returncode == 0, imported.stderr
    assert "已导入 2 行（户）：新增 2" in imported.stdout
    assert "备注" in imported.stderr  # the column nothing matched is named

    listed = launcher("table", "list", "--kind", "household")
    assert listed.returncode == 0, listed.stderr
    assert "王建国" in listed.stdout and "李秀英" in listed.stdout
    assert HEAD_ID not in listed.stdout and "110***********002X" in listed.stdout  # masked
    shown = json.loads(launcher("table", "list", "--kind", "household", "--json",
                                "--reveal").stdout)
    wang = next(r for r in shown["rows"] if r["values"]["household.head_name"] == "王建国")
    assert wang["values"]["household.head_id_number"] == HEAD_ID
    assert wang["values"]["household.dibao"] == "农村低保"

    # The same ledger again updates, never doubles.
    again = launcher("table", "import", str(ledger), "--kind", "household")
    assert again.returncode == 0 and "0 added, 0 updated" in again.stdout
    assert "2 unchanged" in again.stdout

    export = tmp_path / "out.xlsx"
    exported = launcher("table", "export", str(export), "--kind", "household")
    assert exported.returncode == 0, exported.stderr
    assert "exported 2 rows (Households)" in exported.stdout
    sheet = load_workbook(export).active
    cells = [c for row in sheet.iter_rows() for c in row if c.value == HEAD_ID]
    assert cells and cells[0].data_type == "s"  # text, never 1.1E+17

    inspections = tmp_path / "检查.csv"
    inspections.write_text("检查对象,检查日期,隐患类型,是否整改\n王建国户,2026/11/30,消防安全,否\n",
                           encoding="utf-8")
    done = launcher("table", "import", str(inspections), "--kind", "inspection")
    assert done.returncode == 0, done.stderr
    listed = launcher("table", "list", "--kind", "inspection", "--lang", "zh_CN", lang="zh_CN")
    assert "检查对象" in listed.stdout and "王建国" in listed.stdout
    assert "2026-11-30" in listed.stdout and "消防安全" in listed.stdout


def test_a_file_with_wrong_rows_imports_nothing_and_names_them(launcher: Launcher,
                                                               tmp_path: Path) -> None:
    launcher.login(ZHANG)
    bad = tmp_path / "bad.csv"
    bad.write_text("户主姓名,户主身份证号,家庭人口数\n王建国,110105194912310021,4\n"
                   "李秀英,,两\n赵六,,1\n", encoding="utf-8-sig")
    result = launcher("table", "import", str(bad), "--kind", "household")
    assert result.returncode == 1
    assert "row 2, column “户主身份证号”" in result.stderr and "校验位" in result.stderr
    assert "row 3, column “家庭人口数”" in result.stderr
    assert "2 error(s): no row was imported" in result.stderr
    listed = launcher("table", "list", "--kind", "household")
    assert listed.returncode == 0 and "no Households yet" in listed.stdout  # not even 赵六
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a workbook")
    result = launcher("table", "import", str(broken), "--kind", "household")
    assert result.returncode == 1 and "不是有效的 .xlsx" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_next_person_on_the_pc_sees_none_of_it(launcher: Launcher, tmp_path: Path) -> None:
    ledger = tmp_path / "h.csv"
    ledger.write_text(HOUSEHOLDS, encoding="utf-8")
    launcher.login(ZHANG)
    assert launcher("table", "import", str(ledger), "--kind", "household").returncode == 0
    launcher.login(LI)  # over his session, as on a shared office PC
    hers = launcher("table", "list", "--kind", "household")
    assert hers.returncode == 0 and "王建国" not in hers.stdout
    assert "no Households yet" in hers.stdout
    out = tmp_path / "hers.csv"
    assert launcher("table", "export", str(out), "--kind", "household").returncode == 0
    assert HEAD_ID not in out.read_text(encoding="utf-8-sig")
    assert launcher("logout").returncode == 0
    launcher.login(ZHANG)
    his = launcher("table", "list", "--kind", "household")
    assert "王建国" in his.stdout  # kept for him, per person
