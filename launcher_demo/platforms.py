"""What each demo platform is: its name, scope, task JSON shape and the form it asks staff to fill.

Real platforms differ in the JSON they return and in the field ids of their forms; the demo ones
differ the same way on purpose, so the manifests' field mappings and autofill selectors get
exercised.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from launcher_demo.seed import SeedTask

TOWNSHIPS = ("城关镇", "清溪镇", "石桥乡")
VILLAGES = ("李家村", "红旗村", "新河村", "东风社区", "城南社区")


@dataclass(frozen=True)
class FormField:
    """One input of a platform form; ``name`` is what the POST carries and a submission stores."""

    name: str
    label: str
    id: str = ""
    kind: str = "text"
    """text | tel | date | number | select | textarea | id_number (GB 11643, check character) |
    id_format (18 characters as layui's ``identity`` rule checks, no check character) |
    credit_code (GB 32100) | radio | multi (several of ``options``) | bool"""
    options: tuple[str, ...] = ()
    required: bool = True
    required_if: tuple[str, str] | tuple[()] = ()
    """(other field, value): required only when the other field has that value."""
    aliases: tuple[tuple[str, str], ...] = ()
    """(code, option) pairs a submit API also accepts for an option (``true`` for 是 ...)."""

    @property
    def element_id(self) -> str:
        return self.id or self.name


@dataclass(frozen=True)
class FormSpec:
    key: str
    path: str
    title: str
    fields: tuple[FormField, ...]
    intro: str = ""
    template: str = "platform_form.html"
    """The page: the plain HTML form, or a page built on a UI framework (templates/form_*.html),
    which posts JSON (``api``) or its fields as a form, after its own validation."""
    api: str = ""
    """The form's JSON submit endpoint (Flask rule), for the page with its web session and for
    the launcher with the county bearer token; empty: none (the page posts to ``path``)."""


Serializer = Callable[[SeedTask, str], dict[str, Any]]
Envelope = Callable[[list[dict[str, Any]]], Any]
Reply = Callable[[int, str], Any]
"""(HTTP status, message) -> the JSON body a platform answers a mark-done request with."""


@dataclass(frozen=True)
class DoneApi:
    """How a platform's task API marks a task done (the manifest's ``[tasks.done]`` mirrors it)."""

    method: str
    """POST | PUT | PATCH | DELETE"""
    path: str
    """Flask rule of the endpoint; ``<task_id>`` in it is the task's id."""
    reply: Reply
    body: dict[str, str] | None = None
    """The JSON body the platform insists on (``{id}`` in a value is the task's id); None: none."""
    message: str = ""
    """Where the launcher finds the platform's message in an error answer (``[tasks.done]
    message``); empty when it is one of the usual names (``message``, ``msg``, ``error`` ...)."""
    record_first: bool = False
    """Tasks that name a form are refused (409) until the form was submitted for them
    (``?task=<id>``): the platform wants its inspection record before the case is closed."""


@dataclass(frozen=True)
class SharedTask:
    """A task a generated platform seeds that other generated platforms ask too: same form key,
    same subject, same month (see generated.py)."""

    group: str
    """The form key, which also names the group."""
    subject: str
    title: str
    position: int
    """Which of the group's platforms this is (0, 1, ...): its due date is that many days later."""


@dataclass(frozen=True)
class PlatformSpec:
    short: str
    name: str
    name_en: str
    colour: str
    glyph: str
    api_path: str
    serialize: Serializer
    """Turns one seeded task into this platform's own JSON item (base URL given for links)."""
    envelope: Envelope
    """Wraps the list of items into this platform's own answer shape."""
    form: FormSpec
    tasks: tuple[tuple[str, str | None, str | None], ...]
    """(title, form code, subject) of the tasks this platform seeds."""
    id_style: Callable[[int], str | int] = field(default=lambda n: n)
    paging: str | None = None
    """How the task API pages: None (one answer), ``page`` (?page=&page_size=), ``next-link``
    (?page=&size=, the next page named by an HTTP Link rel="next" header)."""
    etag: bool = False
    """The task API answers with an ETag and 304 Not Modified to a matching If-None-Match."""
    done: DoneApi | None = None
    """The task API's mark-done endpoint, when the platform has one."""
    shared: tuple[SharedTask, ...] = ()
    """Tasks of a generated platform that other generated platforms ask too."""
    shape: str = ""
    """For a generated platform: the demo platform (short name) whose task API it copies, and whose
    manifest its own is written from; empty for the seven demo platforms themselves."""
    extra_forms: tuple[FormSpec, ...] = ()
    """Forms beside ``form`` (their own paths and keys)."""

    @property
    def forms(self) -> tuple[FormSpec, ...]:
        return (self.form, *self.extra_forms)

    @property
    def plugin_id(self) -> str:
        return f"demo.{self.short}"

    @property
    def scope(self) -> str:
        return f"{self.short}.tasks"


def _iso(task: SeedTask) -> str:
    return task.due.isoformat(timespec="seconds")


def _task_path(task: SeedTask) -> str:
    return f"/tasks/{task.id}"


# --- 党员管理: a typical Java back end, {"code":0,"data":{"records":[...]}}, numeric ids ----------
def _dangyuan(task: SeedTask, base_url: str) -> dict[str, Any]:
    return {
        "taskId": int(task.id),
        "taskName": task.title,
        "endTime": _iso(task),
        "detailUrl": base_url + _task_path(task),
        "taskStatus": 0 if task.open else 1,
        "branchName": "城关镇机关第一党支部",
    }


def _dangyuan_envelope(items: list[dict[str, Any]]) -> Any:
    return {"code": 0, "msg": "success", "data": {"total": len(items), "records": items}}


# --- 社区云: {"result":{"list":[...]}}, relative links ------------------------------------------
def _shequyun(task: SeedTask, base_url: str) -> dict[str, Any]:
    return {
        "id": task.id,
        "name": task.title,
        "due_date": _iso(task),
        "href": _task_path(task),
        "community": task.subject or "东风社区",
        "done": not task.open,
    }


def _shequyun_envelope(items: list[dict[str, Any]]) -> Any:
    return {"result": {"pageNo": 1, "pageSize": 50, "list": items}}


# --- 垃圾分类: a bare JSON list ----------------------------------------------------------------
def _laji(task: SeedTask, base_url: str) -> dict[str, Any]:
    return {
        "id": task.id,
        "title": task.title,
        "deadline": _iso(task),
        "url": base_url + _task_path(task),
        "village": task.subject or "李家村",
    }


def _bare(items: list[dict[str, Any]]) -> Any:
    return items


def _laji_reply(status: int, message: str) -> Any:
    return {"ok": True} if status < 300 else {"error": message}


# --- 安全排查: {"code":0,"data":{"items":[...]}} with form code and household ---------------------
def _anquan(task: SeedTask, base_url: str) -> dict[str, Any]:
    return {
        "id": task.id,
        "title": task.title,
        "deadline": _iso(task),
        "link": base_url + _task_path(task),
        "form_code": task.form,
        "household": task.subject,
        "period": task.period,
        "state": "open" if task.open else "done",
    }


def _anquan_envelope(items: list[dict[str, Any]]) -> Any:
    return {"code": 0, "message": "ok", "data": {"items": items}}


def _anquan_reply(status: int, message: str) -> Any:
    return {"code": 0 if status < 300 else status, "message": message}


# --- 执法检查 (like 浙政钉-掌上执法): {"success":true,"data":{"rows":[...]}}, nested target
def _zhifa(task: SeedTask, base_url: str) -> dict[str, Any]:
    return {
        "caseId": task.id,
        "caseTitle": task.title,
        "limitTime": _iso(task),
        "pageUrl": base_url + _task_path(task),
        "formCode": task.form,
        "target": {
            "name": task.subject or "城关镇解放路沿线",
            "type": "商户" if task.form else "区域",
        },
        "checkMonth": task.period,
    }


def _zhifa_envelope(items: list[dict[str, Any]]) -> Any:
    return {"success": True, "errorCode": None, "data": {"total": len(items), "rows": items}}


def _zhifa_reply(status: int, message: str) -> Any:
    if status < 300:
        return {"success": True, "errorCode": None, "errorMsg": None}
    return {"success": False, "errorCode": f"ZF{status}", "errorMsg": message}


# --- 基层智治综合应用: pinyin-initial field names, {"status":"ok","data":{"list":[...]}}
def _zhizhi(task: SeedTask, base_url: str) -> dict[str, Any]:
    return {
        "bh": task.id,
        "bt": task.title,
        "jzsj": _iso(task),
        "ljdz": base_url + _task_path(task),
        "bdbm": task.form,
        "dxmc": task.subject,
        "sxlx": "事件",
        "blzt": "待办" if task.open else "办结",
    }


def _zhizhi_envelope(items: list[dict[str, Any]]) -> Any:
    return {"status": "ok", "data": {"count": len(items), "list": items}}


# --- 民政救助: a Spring-style page, {"page":{"content":[...]}}, nested schedule and links
def _minzheng(task: SeedTask, base_url: str) -> dict[str, Any]:
    return {
        "id": task.id,
        "title": task.title,
        "applicant": task.subject,
        "schedule": {"start": task.created.isoformat(timespec="seconds"), "end": _iso(task)},
        "links": {"self": base_url + _task_path(task)},
        "closed": not task.open,
    }


def _minzheng_envelope(items: list[dict[str, Any]]) -> Any:
    return {"page": {"number": 0, "size": 50, "totalElements": len(items), "content": items}}


_VILLAGE = FormField("village", "所属村/社区", kind="select", options=VILLAGES)

YES_NO = ("是", "否")
_BOOL_ALIASES = (("true", "是"), ("false", "否"), ("1", "是"), ("0", "否"))
RESULTS = ("合格", "限期整改", "停业整改")
HAZARDS = ("无隐患", "消防安全", "用电安全", "燃气安全", "建筑安全", "危险化学品", "食品安全", "其他")
PLACE_KINDS = (
    "小商店",
    "小餐饮",
    "小旅馆",
    "小歌舞娱乐",
    "小网吧",
    "小美容洗浴",
    "小生产加工",
    "小医疗",
    "小学校(幼儿园)",
    "出租房",
    "仓储",
    "其他",
)
DIBAO = ("城市低保", "农村低保", "特困", "无")
# The codes a submit API also takes for an option (the county's dictionary codes).
_RESULT_CODES = (("1", "合格"), ("2", "限期整改"), ("3", "停业整改"))
_HAZARD_CODES = tuple(zip(("0", "1", "2", "3", "4", "5", "6", "9"), HAZARDS, strict=True))
_PLACE_CODES = tuple(
    zip(("01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11", "99"), PLACE_KINDS,
        strict=True)
)
_DIBAO_CODES = (("1", "城市低保"), ("2", "农村低保"), ("3", "特困"), ("0", "无"))

ANQUAN_FIELDS: tuple[FormField, ...] = (
    # 检查对象
    FormField("place_name", "场所名称/户主姓名"),
    FormField(
        "place_type", "场所类型", kind="select", options=PLACE_KINDS, required=False,
        aliases=_PLACE_CODES,
    ),
    FormField("credit_code", "统一社会信用代码", kind="credit_code", required=False),
    FormField("address", "地址"),
    FormField("village", "所属村/社区", kind="select", options=VILLAGES),
    # 检查情况
    FormField("check_date", "检查日期", kind="date"),
    FormField(
        "hazard_types", "隐患类型", kind="multi", options=HAZARDS, required=False,
        aliases=_HAZARD_CODES,
    ),
    FormField("result", "检查结论", kind="select", options=RESULTS, aliases=_RESULT_CODES),
    FormField("rectified", "是否整改", kind="radio", options=YES_NO, aliases=_BOOL_ALIASES),
    FormField("deadline", "整改期限", kind="date", required=False, required_if=("result", "限期整改")),
    FormField("rectification", "整改情况", kind="textarea", required=False),
    FormField("follow_up", "需要复查", kind="bool", required=False),
    FormField("notes", "备注", kind="textarea", required=False),
    # 检查人
    FormField("inspector", "姓名"),
    FormField("idno", "身份证号", kind="id_number"),
    FormField("phone", "联系电话", kind="tel"),
)
"""安全排查's inspection record (Element UI page, JSON submit API)."""

ZHIFA_FIELDS: tuple[FormField, ...] = (
    FormField("zfry_xm", "执法人员姓名"),
    FormField("zfry_sfz", "身份证号码", id="sfz", kind="id_format"),
    FormField("lxdh", "联系电话", kind="tel"),
    FormField("ssxz", "所属乡镇", kind="select", options=TOWNSHIPS),
    FormField("cun", "所属村（社区）", id="sscun", kind="select", options=VILLAGES),
    FormField("jcrq", "检查日期", kind="date"),
    FormField("jcdx", "检查对象"),
    FormField("jcdxdz", "检查对象地址", required=False),
    FormField("tyshxydm", "统一社会信用代码", kind="credit_code", required=False),
    FormField("yhlx", "隐患类型", kind="multi", options=HAZARDS, required=False),
    FormField("jcjg", "检查结果", kind="select", options=("未发现问题", "责令整改", "立案查处")),
    FormField("sfzg", "是否整改", kind="radio", options=YES_NO, required=False),
    FormField("zgqx", "整改期限", kind="date", required=False, required_if=("jcjg", "责令整改")),
    FormField("zgqk", "整改情况", kind="textarea", required=False),
    FormField("fc", "需要复查", kind="bool", required=False),
    FormField("bz", "备注", kind="textarea", required=False),
)
"""执法检查's inspection record (layui page, posted as a form)."""

ZHIZHI_HOUSEHOLD_FIELDS: tuple[FormField, ...] = (
    FormField("hzxm", "户主姓名"),
    FormField("hzsfzh", "户主身份证号", kind="id_number"),
    FormField("hh", "户号"),
    FormField("ssxz", "所属乡镇（街道）", kind="select", options=TOWNSHIPS),
    FormField("sscun", "所属村/社区", kind="select", options=VILLAGES),
    FormField("dz", "家庭住址"),
    FormField("rks", "家庭人口数", kind="number"),
    FormField("dblb", "低保类别", kind="select", options=DIBAO, aliases=_DIBAO_CODES),
    FormField("lxdh", "联系电话", kind="tel", required=False),
    FormField("sftp", "是否脱贫户", kind="radio", options=YES_NO),
    FormField("djrq", "登记日期", kind="date"),
    FormField("yhs", "已核实", kind="bool", required=False),
    FormField("bz", "备注", kind="textarea", required=False),
)
"""基层智治's household record (Ant Design Vue page, posted as JSON with its web session)."""

ACCOUNT_PATH = "/user/profile"
ACCOUNT_FIELDS: tuple[FormField, ...] = (
    FormField("nickName", "用户姓名"),
    FormField("phonenumber", "手机号码", kind="tel", required=False),
    FormField("email", "用户邮箱", required=False),
    FormField("sex", "性别", kind="radio", options=("男", "女"), required=False),
)
"""个人中心 · 基本资料 (RuoYi's names): every demo platform's page where people edit their own
name and phone on that platform."""

PLATFORMS: tuple[PlatformSpec, ...] = (
    PlatformSpec(
        short="dangyuan",
        name="党员管理",
        name_en="Party members",
        colour="#b71c1c",
        glyph="党",
        api_path="/api/v2/party/tasks",
        serialize=_dangyuan,
        envelope=_dangyuan_envelope,
        paging="page",
        id_style=lambda n: str(10230 + n),
        form=FormSpec(
            "party_member",
            "/members/checkin",
            "党员信息采集",
            (
                FormField("name", "姓名"),
                FormField("idCard", "身份证号"),
                FormField("mobile", "手机号码", kind="tel"),
                FormField("branch", "所在党支部"),
                FormField("position", "职务", required=False),
                FormField("orgVillage", "所属村/社区", kind="select", options=VILLAGES),
            ),
        ),
        tasks=(
            ("本季度党费收缴核对", None, None),
            ("主题党日活动记录上传", None, None),
            ("党员发展对象公示材料报送", None, None),
            ("流动党员信息核查", None, None),
            ("“三会一课”会议记录补录", None, None),
            ("困难党员走访慰问登记", None, None),
            ("党员积分管理月度评定", None, None),
            ("入党积极分子培养考察记录", None, None),
        ),
    ),
    PlatformSpec(
        short="shequyun",
        name="社区云",
        name_en="Community cloud",
        colour="#00695c",
        glyph="社",
        api_path="/openapi/todo/list",
        serialize=_shequyun,
        envelope=_shequyun_envelope,
        id_style=lambda n: f"SQY-{n:04d}",
        form=FormSpec(
            "household_info",
            "/collect/household",
            "户情信息采集",
            (
                FormField("realName", "填报人姓名"),
                FormField("certNo", "身份证号", kind="id_number"),
                FormField("tel", "联系电话", kind="tel"),
                FormField("community", "所属村/社区", kind="select", options=VILLAGES),
                FormField("households", "户数", kind="number"),
                FormField("population", "人口数", kind="number"),
                FormField("verified", "数据已核实", kind="bool", required=False),
            ),
            template="form_shequyun.html",
        ),
        tasks=(
            ("东风社区人口信息年度核对", None, "东风社区"),
            ("新就业形态人员底数排查", None, "城南社区"),
            ("独居老人定期探访记录", None, "东风社区"),
            ("出租房屋登记信息更新", None, "城南社区"),
            ("社区志愿服务时长录入", None, "东风社区"),
            ("退役军人信息采集核对", None, "东风社区"),
            ("户情信息采集（城南社区）", "household_info", "城南社区"),
        ),
    ),
    PlatformSpec(
        short="laji",
        name="垃圾分类",
        name_en="Waste sorting",
        colour="#2e7d32",
        glyph="分",
        api_path="/api/tasks",
        serialize=_laji,
        envelope=_bare,
        id_style=lambda n: f"LJ{n:04d}",
        etag=True,
        done=DoneApi("POST", "/api/tasks/<task_id>/done", _laji_reply),
        form=FormSpec(
            "waste_supervision",
            "/supervision/new",
            "垃圾分类督导检查",
            (
                FormField("supervisor", "督导员姓名"),
                FormField("supervisorPhone", "联系电话", kind="tel"),
                FormField("villageSelect", "所属村/社区", kind="select", options=VILLAGES),
                FormField("hushu", "户数", kind="number"),
                FormField("inspectDate", "检查日期", kind="date"),
                FormField("score", "分类质量", kind="select", options=("优", "良", "差")),
            ),
        ),
        tasks=(
            ("垃圾分类督导检查（李家村）", "waste_supervision", "李家村"),
            ("桶边督导值守排班上报", None, "红旗村"),
            ("可回收物回收量月报", None, "新河村"),
            ("厨余垃圾分出率统计", None, "李家村"),
            ("垃圾分类红黑榜评比材料", None, "东风社区"),
            ("分类投放点位巡查整改", None, "城南社区"),
        ),
    ),
    PlatformSpec(
        short="anquan",
        name="安全排查",
        name_en="Safety inspection",
        colour="#b45309",
        glyph="安",
        api_path="/api/tasks",
        serialize=_anquan,
        envelope=_anquan_envelope,
        id_style=lambda n: f"AQ{n:05d}",
        done=DoneApi("PATCH", "/api/tasks/<task_id>", _anquan_reply, body={"state": "done"}),
        form=FormSpec(
            "safety_check",
            "/inspections/new",
            "消防安全检查记录",
            ANQUAN_FIELDS,
            intro="请如实填写本次消防安全检查情况。",
            template="form_anquan.html",
            api="/api/inspections",
        ),
        tasks=(
            ("自建房安全隐患排查（红旗村）", None, "红旗村"),
            ("汛期地质灾害隐患点巡查", None, "新河村"),
            ("电动自行车充电隐患排查", None, "东风社区"),
            ("燃气使用安全检查（东风社区）", None, "东风社区"),
            ("“九小场所”消防安全检查", None, "城南社区"),
        ),
    ),
    PlatformSpec(
        short="zhifa",
        name="执法检查",
        name_en="Law enforcement inspection",
        colour="#1e4e8c",
        glyph="法",
        api_path="/zzd/api/case/todo",
        serialize=_zhifa,
        envelope=_zhifa_envelope,
        id_style=lambda n: f"ZF-{n:04d}",
        done=DoneApi(
            "POST",
            "/zzd/api/case/finish",
            _zhifa_reply,
            body={"caseId": "{id}"},
            message="errorMsg",
            record_first=True,
        ),
        form=FormSpec(
            "safety_check",
            "/jcjl/add",
            "检查记录登记",
            ZHIFA_FIELDS,
            intro="掌上执法 · 检查记录",
            template="form_zhifa.html",
        ),
        tasks=(
            ("违法建设巡查处置", None, "城关镇解放路沿线"),
            ("占道经营整治复查", None, "城关镇人民路"),
            ("油烟扰民投诉核查", None, "东风社区"),
        ),
    ),
    PlatformSpec(
        short="zhizhi",
        name="基层智治综合应用",
        name_en="Grassroots governance",
        colour="#6a1b9a",
        glyph="治",
        api_path="/api/sx/dbsx",
        serialize=_zhizhi,
        envelope=_zhizhi_envelope,
        id_style=lambda n: f"ZZ{n:06d}",
        form=FormSpec(
            "basic_info",
            "/report/basic",
            "基层一张表 · 基础信息",
            (
                FormField("xm", "姓名"),
                FormField("sfzh", "身份证号"),
                FormField("lxdh", "联系电话", kind="tel"),
                FormField("zw", "职务", required=False),
                FormField("ssxz", "所属乡镇（街道）", kind="select", options=TOWNSHIPS),
                FormField("sscun", "所属村/社区", kind="select", options=VILLAGES),
                FormField("hs", "户数", kind="number"),
                FormField("rk", "人口数", kind="number"),
            ),
        ),
        extra_forms=(
            FormSpec(
                "household_register",
                "/household/edit",
                "户籍信息登记",
                ZHIZHI_HOUSEHOLD_FIELDS,
                intro="基层一张表 · 户籍信息（户主、户号、人口与低保情况）",
                template="form_zhizhi.html",
            ),
        ),
        tasks=(
            ("网格员每日巡查事件上报", None, None),
            ("矛盾纠纷排查化解登记", None, None),
            ("重点人员走访记录", None, None),
            ("基础信息一张表更新（城关镇）", "basic_info", None),
            ("平安创建考核材料报送", None, None),
            ("低保户信息核对（王建国户）", "household_register", "王建国户"),
            ("信访事项办理回复", None, None),
            ("防范电信诈骗宣传入户登记", None, None),
        ),
    ),
    PlatformSpec(
        short="minzheng",
        name="民政救助",
        name_en="Social assistance",
        colour="#8d4a1f",
        glyph="民",
        api_path="/api/v1/assistance/tasks",
        serialize=_minzheng,
        envelope=_minzheng_envelope,
        id_style=lambda n: f"MZ{n:04d}",
        paging="next-link",
        form=FormSpec(
            "relief_review",
            "/relief/review",
            "低保复核入户调查",
            (
                FormField("handler", "经办人姓名"),
                FormField("handler_phone", "经办人电话", id="handlerPhone", kind="tel"),
                FormField("village", "所属村/社区", kind="select", options=VILLAGES),
                FormField("reviewDate", "调查日期", kind="date"),
                FormField("applicant", "申请人姓名"),
                FormField("sqrsfz", "申请人身份证号", kind="id_format", required=False),
                FormField("jtzz", "家庭住址", required=False),
                FormField("members", "家庭人口数", kind="number"),
                FormField("dblb", "低保类别", kind="select", options=DIBAO, aliases=_DIBAO_CODES),
                FormField("fhjl", "复核结论", kind="radio", options=("继续享受", "调整类别", "停止享受")),
                FormField("bz", "备注", kind="textarea", required=False),
            ),
            template="form_minzheng.html",
        ),
        tasks=(
            ("低保家庭年度复核（王秀英户）", "relief_review", "王秀英"),
            ("特困人员生活自理能力评估", None, "赵德顺"),
            ("临时救助申请入户调查", "relief_review", "刘春花"),
            ("残疾人两项补贴资格复核", None, "陈建军"),
            ("高龄津贴发放名单核对", None, "李家村"),
            ("困难群众春节慰问名单报送", None, "东风社区"),
        ),
    ),
)

SHARED_INSPECTIONS: tuple[tuple[str, str, str], ...] = (
    # (subject, title on 安全排查, title on 执法检查): the same record asked twice.
    ("张记小吃店", "消防安全隐患排查：张记小吃店", "沿街店铺消防检查-张记小吃店"),
    (
        "李家村3组王建国户",
        "出租农房消防安全排查：李家村3组王建国户",
        "农村出租房安全检查-李家村3组王建国户",
    ),
    ("红星五金店", "消防安全隐患排查：红星五金店", "五金店消防执法检查-红星五金店"),
)
"""Inspections seeded on both 安全排查 and 执法检查 with form "safety_check" in the same month."""

SHARED_PLATFORMS = ("anquan", "zhifa")


def spec_for(plugin_id: str) -> PlatformSpec:
    for spec in PLATFORMS:
        if spec.plugin_id == plugin_id:
            return spec
    raise KeyError(plugin_id)
