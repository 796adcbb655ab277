"""More demo platforms, for a county of many (`DemoCounty(platform_count=30)`, the benchmarks).

A township deals with dozens of county systems beyond the seven hand-made demo platforms. The
generated ones carry the names of real kinds of township work, each with its own tasks, and copy
the task API (JSON shape, mark-done endpoint) of one of the seven, its *shape*; their manifests are
written from the shape's manifest by manifests.py. Everything is deterministic: the same platforms,
tasks and shared work every run.

Some generated platforms ask for the same piece of work (same form key, subject and month), so the
inbox has duplicates to group at scale. Only the shapes of 安全排查 and 执法检查 carry form, subject
and period in their JSON, so the platforms that share work have one of those two shapes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from launcher_demo.platforms import (
    PLATFORMS,
    VILLAGES,
    FormField,
    FormSpec,
    PlatformSpec,
    SharedTask,
    spec_for,
)

MAX_PLATFORMS = 100
"""The most platforms a demo county has: the seven, the named ones below, then numbered ones."""


@dataclass(frozen=True)
class _Named:
    short: str
    name: str
    name_en: str
    glyph: str
    colour: str
    shape: str
    tasks: tuple[tuple[str, str | None], ...]
    """(title, subject) of the platform's own tasks; shapes that fill in a subject of their own
    when there is none (社区云, 垃圾分类, 执法检查) get one for every task."""


_NAMED: tuple[_Named, ...] = (
    _Named("fanpin", "防返贫监测", "Poverty-relapse monitoring", "贫", "#c62828", "anquan", (
        ("监测对象家庭收入季度核查", "陈家坞"),
        ("突发严重困难户信息采集", None),
        ("帮扶措施落实情况填报", "李家村"),
        ("风险消除对象公示材料上传", None),
    )),
    _Named("hezhang", "河长制巡河", "River chief patrols", "河", "#0277bd", "anquan", (
        ("村级河长月度巡河（清溪）", "清溪"),
        ("河道“四乱”问题整改销号", "新河村"),
        ("入河排污口排查登记", None),
        ("河长公示牌信息更新", "红旗村"),
    )),
    _Named("senlin", "森林防火", "Forest fire prevention", "林", "#33691e", "anquan", (
        ("清明祭扫期间防火值守排班", None),
        ("野外火源管控巡查记录", "石桥乡"),
        ("护林员考勤月报", None),
        ("防火物资储备清点", "城关镇"),
    )),
    _Named("dongfang", "动物防疫", "Animal epidemic prevention", "疫", "#6d4c41", "anquan", (
        ("春季重大动物疫病集中免疫进度", None),
        ("规模养殖场防疫条件核查", "红旗村养殖场"),
        ("病死畜禽无害化处理登记", None),
        ("犬只狂犬病免疫登记", "东风社区"),
    )),
    _Named("shipin", "食品安全监管", "Food safety supervision", "食", "#ef6c00", "zhifa", (
        ("农村集体聚餐备案检查", "李家村"),
        ("校园周边食品店巡查", "城关镇中心小学周边"),
        ("食用农产品快检结果录入", "城关镇农贸市场"),
    )),
    _Named("wangge", "网格化管理", "Grid management", "网", "#00838f", "zhifa", (
        ("网格事件办结回访", "东风社区"),
        ("网格员日常走访记录", "城南社区"),
        ("重点场所网格巡查", "城关镇客运站"),
    )),
    _Named("zhenxing", "乡村振兴项目", "Rural revitalisation projects", "振", "#2e7d32", "zhifa", (
        ("衔接资金项目进度月报", "石桥乡"),
        ("村集体经济项目验收资料", "新河村"),
        ("产业帮扶项目实地核查", "石桥乡"),
    )),
    _Named("fangxun", "防汛防台", "Flood and typhoon prevention", "汛", "#1565c0", "zhifa", (
        ("地质灾害隐患点汛前排查", "石桥乡"),
        ("防汛物资仓库检查", "清溪镇防汛仓库"),
        ("危险区域人员转移名单核对", "新河村"),
    )),
    _Named("tuiyi", "退役军人服务", "Veterans' services", "军", "#5d4037", "shequyun", (
        ("退役军人信息采集复核", "东风社区"),
        ("光荣牌悬挂情况登记", "城南社区"),
        ("优抚对象春节走访记录", "东风社区"),
        ("退役军人就业意向调查", "城南社区"),
    )),
    _Named("canlian", "残疾人服务", "Disability services", "残", "#7b1fa2", "minzheng", (
        ("残疾人两项补贴年审", "陈建军"),
        ("重度残疾人托养需求调查", "周玉兰"),
        ("残疾人证到期换领提醒", "吴小明"),
        ("无障碍改造入户评估", "李家村"),
    )),
    _Named("yibao", "医保服务", "Medical insurance", "医", "#00897b", "dangyuan", (
        ("城乡居民医保参保缴费进度", None),
        ("医疗救助对象资格核对", None),
        ("异地就医备案材料审核", None),
        ("门诊慢特病申报初审", None),
    )),
    _Named("shebao", "社保经办", "Social security", "保", "#3949ab", "dangyuan", (
        ("城乡居民养老保险待遇资格认证", None),
        ("被征地农民参保登记", None),
        ("社保卡领取情况统计", None),
        ("灵活就业人员参保宣传", None),
    )),
    _Named("tongji", "统计直报", "Statistics reporting", "统", "#455a64", "zhizhi", (
        ("规模以上企业月度报表催报", None),
        ("农业生产情况季报", None),
        ("人口抽样调查摸底", None),
        ("统计台账年度整理", None),
    )),
    _Named("xinfang", "信访事项", "Petitions", "访", "#8e24aa", "zhizhi", (
        ("信访件办理意见回复", None),
        ("重复信访事项化解台账", None),
        ("领导接访日登记", None),
    )),
    _Named("tiaojie", "矛盾纠纷调解", "Dispute mediation", "调", "#ad1457", "zhizhi", (
        ("邻里纠纷调解协议归档", None),
        ("土地承包纠纷调处记录", None),
        ("调解员月度工作量报送", None),
    )),
    _Named("wenming", "文明实践", "Civilisation practice", "文", "#d84315", "shequyun", (
        ("新时代文明实践活动记录", "东风社区"),
        ("志愿服务项目申报", "城南社区"),
        ("移风易俗宣传入户登记", "李家村"),
    )),
    _Named("nongfang", "农房建设", "Rural housing", "房", "#795548", "anquan", (
        ("农房建设开工前现场踏勘", "红旗村"),
        ("农村危房改造验收", "新河村"),
        ("农房建设“四到场”记录", None),
    )),
    _Named("yimiao", "疫苗接种随访", "Vaccination follow-up", "苗", "#0097a7", "laji", (
        ("适龄儿童疫苗补种随访", "东风社区"),
        ("老年人流感疫苗接种登记", "城南社区"),
        ("接种后不良反应回访", "李家村"),
    )),
    _Named("zizhu", "教育资助", "Student financial aid", "教", "#f9a825", "minzheng", (
        ("家庭经济困难学生认定复核", "王小红"),
        ("雨露计划补助申请初审", "赵明"),
        ("生源地助学贷款信息核对", "刘洋"),
    )),
    _Named("jiuye", "就业帮扶", "Employment assistance", "业", "#1976d2", "dangyuan", (
        ("脱贫劳动力务工信息更新", None),
        ("公益性岗位人员考勤汇总", None),
        ("春风行动招聘会报名统计", None),
    )),
    _Named("gengdi", "耕地保护", "Farmland protection", "耕", "#689f38", "anquan", (
        ("耕地“非农化”图斑核查", "红旗村"),
        ("撂荒地复耕复种进度", "石桥乡"),
        ("永久基本农田巡查记录", None),
    )),
    _Named("renkou", "人口信息", "Population information", "人", "#546e7a", "laji", (
        ("出生人口信息核对", "东风社区"),
        ("流动人口居住登记", "城南社区"),
        ("死亡人口销户核查", "新河村"),
    )),
    _Named("cishan", "慈善救助", "Charity relief", "慈", "#e53935", "minzheng", (
        ("慈善助医项目申请审核", "孙桂芳"),
        ("“微心愿”认领情况登记", "东风社区"),
        ("慈善资金发放名单公示", "李家村"),
    )),
    _Named("laoling", "老龄服务", "Elderly services", "老", "#8d6e63", "shequyun", (
        ("居家养老服务对象评估", "东风社区"),
        ("老年食堂就餐人数月报", "城南社区"),
        ("百岁老人长寿补贴核对", "李家村"),
    )),
    _Named("huanbao", "生态环境巡查", "Environmental patrols", "环", "#43a047", "zhifa", (
        ("秸秆禁烧巡查记录", "石桥乡"),
        ("散乱污企业排查", "城关镇工业区"),
        ("农村生活污水设施运维检查", "新河村"),
    )),
    _Named("gonglu", "农村公路养护", "Rural road maintenance", "路", "#616161", "laji", (
        ("乡道路面病害巡查", "清溪镇"),
        ("桥梁安全隐患排查", "新河村"),
        ("公路养护月度考核", "清溪镇"),
    )),
    _Named("shuili", "农田水利", "Farmland irrigation", "水", "#0288d1", "dangyuan", (
        ("山塘水库安全巡查", None),
        ("灌溉渠道清淤进度", None),
        ("小型水利工程管护登记", None),
    )),
    _Named("fuyou", "妇幼健康", "Maternal and child health", "妇", "#d81b60", "zhizhi", (
        ("孕产妇建档随访", None),
        ("0-6岁儿童健康管理登记", None),
        ("两癌筛查通知到人", None),
    )),
    _Named("zhengbing", "征兵工作", "Conscription", "征", "#33691e", "shequyun", (
        ("适龄青年兵役登记", "东风社区"),
        ("应征青年政治考核走访", "城南社区"),
        ("征兵宣传进村入户记录", "李家村"),
    )),
    _Named("zhian", "治安防控", "Public security", "警", "#283593", "anquan", (
        ("重点场所治安巡查", "城关镇"),
        ("群防群治队伍巡逻记录", "东风社区"),
        ("技防设施运行检查", None),
    )),
)

# The same piece of work asked by several generated platforms: form key, subject, and the title
# on each platform, in group order (the first is due first; the others a day or two apart).
_SHARED: tuple[tuple[str, str, tuple[tuple[str, str], ...]], ...] = (
    ("poverty_visit", "石桥乡陈家坞陈老三户", (
        ("fanpin", "防返贫监测户季度走访：陈家坞陈老三户"),
        ("zhenxing", "帮扶项目入户核实-陈家坞陈老三户"),
        ("wangge", "网格入户走访-陈家坞陈老三户"),
    )),
    ("river_patrol", "新河村河道", (
        ("hezhang", "河长巡河记录：新河村河道"),
        ("fangxun", "汛前河道隐患巡查-新河村河道"),
    )),
    ("fire_patrol", "城关镇后山林区", (
        ("senlin", "森林防火巡查：城关镇后山林区"),
        ("wangge", "网格巡查-城关镇后山林区"),
    )),
    ("slaughter_check", "清溪镇定点屠宰场", (
        ("dongfang", "屠宰环节动物检疫：清溪镇定点屠宰场"),
        ("shipin", "肉品质量安全检查-清溪镇定点屠宰场"),
    )),
)

_SHAPES = ("anquan", "laji", "zhifa", "shequyun", "zhizhi", "minzheng", "dangyuan")
"""Shapes of the numbered platforms beyond the named ones, in turn."""


def _form(short: str, name: str) -> FormSpec:
    """Every generated platform has one form of its own: a visit record."""
    return FormSpec(
        f"{short}_record",
        "/records/new",
        f"{name} · 工作记录",
        (
            FormField("handler", "经办人姓名"),
            FormField("phone", "联系电话", kind="tel"),
            FormField("village", "所属村/社区", kind="select", options=VILLAGES),
            FormField("visit_date", "办理日期", kind="date"),
            FormField("notes", "情况说明", kind="textarea", required=False),
        ),
    )


def _shared(short: str) -> tuple[SharedTask, ...]:
    found: list[SharedTask] = []
    for group, subject, members in _SHARED:
        for position, (member, title) in enumerate(members):
            if member == short:
                found.append(SharedTask(group, subject, title, position))
    return tuple(found)


def _generated(index: int) -> PlatformSpec:
    """The ``index``-th generated platform (0 = the eighth platform of the county)."""
    if index < len(_NAMED):
        named = _NAMED[index]
    else:
        number = len(PLATFORMS) + index + 1
        named = _Named(
            f"p{number:03d}",
            f"专项工作平台{number}",
            f"Special task platform {number}",
            "专",
            "#37474f",
            _SHAPES[index % len(_SHAPES)],
            (
                (f"专项工作{number}：月度进度填报", "城关镇"),
                (f"专项工作{number}：现场核查", "李家村"),
                (f"专项工作{number}：台账整理", "东风社区"),
            ),
        )
    shape = spec_for(f"demo.{named.shape}")
    return replace(
        shape,
        short=named.short,
        name=named.name,
        name_en=named.name_en,
        colour=named.colour,
        glyph=named.glyph,
        form=_form(named.short, named.name),
        tasks=tuple((title, None, subject) for title, subject in named.tasks),
        id_style=_id_style(shape.short, named.short, index),
        # One answer each: a generated platform answers its whole list at once, so a county of
        # many answers in one latency per platform (the seven keep their pages).
        paging=None,
        shared=_shared(named.short),
        shape=shape.short,
    )


def _id_style(shape: str, short: str, index: int) -> Callable[[int], str]:
    if shape == "dangyuan":  # its JSON has numeric ids
        base = 50000 + 100 * index
        return lambda n: str(base + n)
    prefix = short[:2].upper()
    return lambda n: f"{prefix}-{n:04d}"


def demo_platforms(count: int) -> tuple[PlatformSpec, ...]:
    """The first ``count`` platforms of a demo county: the seven demo platforms, then generated
    ones (named, then numbered); ValueError outside 1 … MAX_PLATFORMS."""
    if not 1 <= count <= MAX_PLATFORMS:
        raise ValueError(f"a demo county has 1 to {MAX_PLATFORMS} platforms, not {count}")
    extra = max(0, count - len(PLATFORMS))
    return PLATFORMS[:count] + tuple(_generated(i) for i in range(extra))
