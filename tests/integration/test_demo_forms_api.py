"""安全排查's submit API over real HTTP: the record the launcher sends with the county bearer token
(the manifest's [forms.submit], rendered and sent by launcher.core.submit), RuoYi's answers
(code 0 / code 500 with the platform's reason), 401 without a token, and a record for a task
counting as that task's record."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import requests

from launcher.core.county import load_county
from launcher.core.manifest import FormSpec
from launcher.core.profile.fields import load_fields
from launcher.core.registry import Platform, build_registry
from launcher.core.submit import Credentials, SubmitState, submit_record
from launcher_demo import DEMO_USERS, DemoCounty
from tests.integration.test_demo_county import platform_tokens

TIMEOUT = 10
PLATFORM = "demo.anquan"

RECORD = {  # dictionary key -> value, as the one table keeps them (choices as codes)
    "place.name": "张记小吃店",
    "place.address": "城关镇解放路 12 号",
    "org.village": "李家村",
    "inspection.date": "2026-11-20",
    "inspection.result": "1",          # 合格
    "inspection.rectified": "true",    # 是
    "person.name": "张伟",
    "person.id_number": "11010519491231002X",
    "person.phone": "13800138000",
}


@pytest.fixture(scope="module")
def token(demo_county: DemoCounty) -> str:
    return platform_tokens(demo_county)[PLATFORM]


def api_url(county: DemoCounty) -> str:
    return county.base_urls[PLATFORM] + "/api/inspections"


def platform_and_form(county: DemoCounty) -> tuple[Platform, FormSpec]:
    registry = build_registry(load_county(county.county_path))
    platform = registry.get(PLATFORM)
    assert platform is not None
    form = next(f for f in platform.manifest.forms if f.submit is not None)
    return platform, form


def post(county: DemoCounty, body: Any, token: str | None) -> requests.Response:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return requests.post(api_url(county), json=body, headers=headers, timeout=TIMEOUT)


def my_inspection(county: DemoCounty) -> str:
    """An open inspection task of the default person's on 安全排查."""
    return next(str(t["id"]) for t in county.tasks(PLATFORM)
                if t["form_code"] == "safety_check" and t["state"] == "open")


def test_the_manifests_submit_reaches_the_api_with_the_bearer_token(
    demo_county: DemoCounty, token: str
) -> None:
    platform, form = platform_and_form(demo_county)
    assert form.record == "inspection" and form.subject == "place"
    assert form.submit is not None
    task = my_inspection(demo_county)
    before = len(demo_county.submissions(PLATFORM))

    answer = submit_record(platform, form.submit, RECORD, fields=load_fields(), task_id=task,
                           credentials=Credentials(token=token))

    assert answer.state == SubmitState.SUBMITTED and answer.message == "提交成功"
    stored = demo_county.submissions(PLATFORM)
    assert len(stored) == before + 1
    record = stored[-1]
    assert {k: record[k] for k in ("place_name", "village", "check_date", "result", "rectified",
                                   "idno", "task", "via", "submitted_by")} == {
        "place_name": "张记小吃店", "village": "李家村", "check_date": "2026-11-20",
        "result": "合格", "rectified": "是", "idno": "11010519491231002X", "task": task,
        "via": "api", "submitted_by": DEMO_USERS[0].username}


def test_a_record_the_platform_refuses_says_why(demo_county: DemoCounty, token: str) -> None:
    platform, form = platform_and_form(demo_county)
    assert form.submit is not None
    before = len(demo_county.submissions(PLATFORM))
    wrong_id = {**RECORD, "person.id_number": "110105194912310021"}  # wrong check character
    answer = submit_record(platform, form.submit, wrong_id, fields=load_fields(),
                           task_id=my_inspection(demo_county),
                           credentials=Credentials(token=token))
    assert answer.state == SubmitState.REFUSED
    assert answer.message == "身份证号码不正确：身份证号"
    assert len(demo_county.submissions(PLATFORM)) == before
    assert demo_county.refusals(PLATFORM)[-1]["error"] == "身份证号码不正确：身份证号"


@pytest.mark.parametrize(("change", "reason"), [
    ({"result": "2"}, "请填写：整改期限"),                       # 限期整改 needs a deadline
    ({"result": "优秀"}, "请从列表中选择：检查结论"),
    ({"check_date": "2026-02-30"}, "日期格式应为 年-月-日：检查日期"),
    ({"phone": "1380013800"}, "请填写正确的手机号码：联系电话"),
    ({"credit_code": "91330102MA2H7K3L0X"}, "统一社会信用代码不正确：统一社会信用代码"),
    ({"hazard_types": ["1", "漏水"]}, "请从列表中选择：隐患类型"),
    ({"place_name": {"name": "x"}}, "字段格式不正确：场所名称/户主姓名"),
    ({"taskId": "AQ99999"}, "任务不存在或不属于当前用户"),
])
def test_an_invalid_record_is_answered_code_500_with_the_reason(
    demo_county: DemoCounty, token: str, change: dict[str, Any], reason: str
) -> None:
    body = {"place_name": "张记小吃店", "address": "城关镇解放路 12 号", "village": "李家村",
            "check_date": "2026-11-20", "result": "合格", "rectified": "是",
            "inspector": "张伟", "idno": "11010519491231002X", "phone": "13800138000"}
    assert post(demo_county, body, token).json()["code"] == 0
    answer = post(demo_county, {**body, **change}, token)
    assert answer.status_code == 200 and answer.json() == {"code": 500, "msg": reason}


def test_codes_and_lists_arrive_as_the_platforms_options(
    demo_county: DemoCounty, token: str
) -> None:
    body = {"place_name": "红星五金店", "place_type": "01", "address": "城关镇人民路 3 号",
            "village": "东风社区", "check_date": "2026-11-21", "result": "2",
            "deadline": "2026-12-21", "rectified": False, "hazard_types": "1\n2",
            "follow_up": True, "inspector": "张伟", "idno": "11010519491231002X",
            "phone": "13800138000", "credit_code": "91350100M000100Y43"}
    answer = post(demo_county, body, token).json()
    assert answer["code"] == 0 and answer["data"]["id"].startswith("JC")
    stored = demo_county.submissions(PLATFORM)[-1]
    assert stored["id"] == answer["data"]["id"]
    assert {k: stored[k] for k in ("place_type", "result", "rectified", "hazard_types",
                                   "follow_up", "credit_code")} == {
        "place_type": "小商店", "result": "限期整改", "rectified": "否",
        "hazard_types": "消防安全,用电安全", "follow_up": "true",
        "credit_code": "91350100M000100Y43"}


def test_without_a_token_or_with_another_platforms_the_api_answers_401(
    demo_county: DemoCounty,
) -> None:
    before = len(demo_county.submissions(PLATFORM))
    bare = post(demo_county, {"place_name": "x"}, None)
    assert bare.status_code == 401 and bare.json()["code"] == 401
    assert bare.headers["WWW-Authenticate"].startswith("Bearer")
    assert post(demo_county, {"place_name": "x"}, "not-a-jwt").status_code == 401
    other = platform_tokens(demo_county)["demo.zhifa"]  # issued for 执法检查's API
    assert post(demo_county, {"place_name": "x"}, other).status_code == 401
    assert len(demo_county.submissions(PLATFORM)) == before


def test_a_web_session_from_another_site_is_refused(demo_county: DemoCounty) -> None:
    from tests.integration.test_demo_county import browser_login

    browser = browser_login(demo_county)
    browser.get(demo_county.base_urls[PLATFORM] + "/inspections/new", timeout=TIMEOUT)
    body = {"place_name": "x"}
    own = browser.post(api_url(demo_county), json=body, timeout=TIMEOUT)
    assert own.json() == {"code": 500, "msg": "请填写：地址"}  # the session is the person's
    foreign = browser.post(api_url(demo_county), json=body, timeout=TIMEOUT,
                           headers={"Origin": "http://evil.example"})
    assert foreign.status_code == 401
    as_form = browser.post(api_url(demo_county), data=body, timeout=TIMEOUT)
    assert as_form.status_code == 401  # a cross-site form post cannot send JSON


def test_a_record_for_the_strict_platform_closes_its_task(tmp_path: Path) -> None:
    """执法检查 refuses to close an inspection until its record was entered there: the record
    posted for the task (?task=) is that record. (A county of its own: a task gets closed.)"""
    with DemoCounty(directory=tmp_path, legacy=False) as demo_county:
        _close_after_the_record(demo_county)


def _close_after_the_record(demo_county: DemoCounty) -> None:
    from tests.integration.test_demo_county import browser_login

    tokens = platform_tokens(demo_county)
    base = demo_county.base_urls["demo.zhifa"]
    task = next(t["caseId"] for t in demo_county.tasks("demo.zhifa")
                if t["formCode"] == "safety_check" and t["caseId"] != "ZF-0001")
    finish = {"Authorization": f"Bearer {tokens['demo.zhifa']}"}
    refused = requests.post(base + "/zzd/api/case/finish", json={"caseId": task},
                            headers=finish, timeout=TIMEOUT)
    assert refused.status_code == 409
    browser = browser_login(demo_county)
    browser.get(base + "/jcjl/add", timeout=TIMEOUT)
    posted = browser.post(f"{base}/jcjl/add?task={task}", timeout=TIMEOUT,
                          headers={"X-Requested-With": "XMLHttpRequest"},
                          data={"zfry_xm": "张伟", "zfry_sfz": "11010519491231002X",
                                "lxdh": "13800138000", "ssxz": "城关镇", "cun": "李家村",
                                "jcrq": "2026-11-20", "jcdx": "红星五金店", "jcjg": "未发现问题"})
    assert posted.json()["code"] == 0
    closed = requests.post(base + "/zzd/api/case/finish", json={"caseId": task},
                           headers=finish, timeout=TIMEOUT)
    assert closed.status_code == 200


def test_an_oversized_record_is_refused_unread(demo_county: DemoCounty, token: str) -> None:
    before = len(demo_county.refusals(PLATFORM)), len(demo_county.submissions(PLATFORM))
    big = post(demo_county, {"place_name": "张" * 40_000}, token)
    assert big.json() == {"code": 500, "msg": "提交的内容过大"}
    from tests.integration.test_demo_county import browser_login

    browser = browser_login(demo_county)
    form = demo_county.base_urls["demo.zhifa"] + "/jcjl/add"
    browser.get(form, timeout=TIMEOUT)
    huge = browser.post(form, data={"bz": "x" * 300_000}, timeout=TIMEOUT)
    assert huge.status_code == 413  # a form body beyond what any platform page reads
    assert (len(demo_county.refusals(PLATFORM)), len(demo_county.submissions(PLATFORM))) == before


def test_optional_values_go_along_when_the_record_has_them(
    demo_county: DemoCounty, token: str
) -> None:
    platform, form = platform_and_form(demo_county)
    assert form.submit is not None
    rectify = {**RECORD, "inspection.result": "2", "inspection.rectified": "false",
               "inspection.hazard_type": "3", "inspection.rectification": "更换燃气软管",
               "place.kind": "02"}
    refused = submit_record(platform, form.submit, rectify, fields=load_fields(),
                            credentials=Credentials(token=token))
    assert (refused.state, refused.message) == (SubmitState.REFUSED, "请填写：整改期限")

    answer = submit_record(platform, form.submit,
                           {**rectify, "inspection.deadline": "2026-12-20"},
                           fields=load_fields(), credentials=Credentials(token=token))
    assert answer.state == SubmitState.SUBMITTED
    stored = demo_county.submissions(PLATFORM)[-1]
    assert {k: stored[k] for k in ("result", "rectified", "hazard_types", "rectification",
                                   "deadline", "place_type", "credit_code", "notes")} == {
        "result": "限期整改", "rectified": "否", "hazard_types": "燃气安全",
        "rectification": "更换燃气软管", "deadline": "2026-12-20", "place_type": "小餐饮",
        "credit_code": "", "notes": ""}
