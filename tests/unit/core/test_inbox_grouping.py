"""The same inspection asked by two platforms shows as one row; different work never merges."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from launcher.api import TaskItem
from launcher.core.errors import ConfigError
from launcher.core.inbox.grouping import (
    DEFAULT_RULE,
    group_tasks,
    match_key,
    normalise_subject,
    period_of,
    rules_for,
)
from launcher.core.manifest import GroupingRule, Manifest, load_manifest
from launcher.core.registry import Platform

CST = timezone(timedelta(hours=8))


def task(platform: str, task_id: str, *, title: str = "消防安全检查", form: str | None = "safety",
         subject: str | None = "张三", due: datetime | None = None,
         period: str | None = None) -> TaskItem:
    return TaskItem(platform=platform, id=task_id, title=title, url=f"http://{platform}/t/{task_id}",
                    due=due, form=form, subject=subject, period=period)


def nov(day: int, hour: int = 12) -> datetime:
    return datetime(2026, 11, day, hour, tzinfo=CST)


def test_the_same_form_subject_and_period_on_two_platforms_is_one_group():
    a = task("zhifa", "1", due=nov(20))
    b = task("zhizhi", "9", due=nov(25), subject="  张三 ")
    [group] = group_tasks([b, a])
    assert set(group.items) == {a, b}
    assert group.key == "safety|张三|2026-11"
    # The group is named by the task due first.
    assert group.due == nov(20)
    assert group.platforms == ("zhifa", "zhizhi")


def test_full_width_spaces_and_letters_in_the_subject_still_match():
    a = task("zhifa", "1", subject="幸福村　３组　王五", due=nov(3))
    b = task("zhizhi", "2", subject="幸福村 3组 王五", due=nov(4))
    assert len(group_tasks([a, b])) == 1
    assert normalise_subject("\u3000ＡＢ　c ") == "ab c"


def test_different_subjects_forms_or_periods_stay_apart():
    base = task("zhifa", "1", due=nov(5))
    others = [
        task("zhizhi", "2", subject="李四", due=nov(5)),
        task("zhizhi", "3", form="gas", due=nov(5)),
        task("zhizhi", "4", due=datetime(2026, 12, 5, tzinfo=CST)),
    ]
    groups = group_tasks([base, *others])
    assert len(groups) == 4
    assert all(len(g.items) == 1 for g in groups)


def test_an_explicit_period_wins_over_the_due_month():
    a = task("zhifa", "1", period="2026-Q4", due=nov(30))
    b = task("zhizhi", "2", period="2026-Q4", due=datetime(2026, 12, 10, tzinfo=CST))
    assert len(group_tasks([a, b])) == 1


def test_the_period_is_the_china_month_of_the_due_time():
    # 2026-11-30 20:00 UTC is already 1 December in China.
    late = task("zhifa", "1", due=datetime(2026, 11, 30, 20, tzinfo=UTC))
    december = task("zhizhi", "2", due=datetime(2026, 12, 2, 9, tzinfo=CST))
    [group] = group_tasks([late, december])
    assert group.key.endswith("|2026-12")


def test_tasks_without_form_or_subject_are_alone_under_their_own_key():
    no_form = task("zhifa", "1", form=None)
    no_subject = task("zhizhi", "1", subject=None)
    blank_subject = task("zhizhi", "2", subject="　")
    groups = group_tasks([no_form, no_subject, blank_subject])
    assert sorted(g.key for g in groups) == ["zhifa/1", "zhizhi/1", "zhizhi/2"]


def test_two_tasks_of_one_platform_are_two_pieces_of_work():
    a1 = task("zhifa", "1", due=nov(1))
    a2 = task("zhifa", "2", due=nov(2))
    b = task("zhizhi", "7", due=nov(3))
    groups = group_tasks([a2, b, a1])
    assert len(groups) == 2
    assert sorted(len(g.items) for g in groups) == [1, 2]
    assert {g.key for g in groups} == {"safety|张三|2026-11", "safety|张三|2026-11#2"}
    assert all(len({i.platform for i in g.items}) == len(g.items) for g in groups)


def test_keys_do_not_depend_on_the_order_tasks_arrive_in():
    items = [task("zhifa", "1", due=nov(1)), task("zhizhi", "7", due=nov(3)),
             task("a", "x", form=None, due=nov(2)), task("zhifa", "2", due=nov(2))]
    first = [(g.key, g.items) for g in group_tasks(items)]
    again = [(g.key, g.items) for g in group_tasks(list(reversed(items)))]
    assert first == again


def test_groups_are_sorted_by_due_then_title_with_undated_last():
    undated_b = task("p", "1", title="乙", form=None)
    undated_a = task("p", "2", title="甲", form=None)
    later = task("p", "3", title="阿", form=None, due=nov(20))
    sooner = task("p", "4", title="吧", form=None, due=nov(10))
    tie = task("p", "5", title="啊", form=None, due=nov(10))
    titles = [g.title for g in group_tasks([undated_b, later, undated_a, sooner, tie])]
    assert titles[:3] == [*sorted(["吧", "啊"]), "阿"]
    assert titles[3:] == sorted(["乙", "甲"])


def test_many_tasks_of_one_platform_under_one_key_fill_groups_in_order():
    # 5 tasks of zhifa, 3 of zhizhi, 1 of anquan, all the same form, subject and month.
    items = [task("zhifa", f"f{n}", due=nov(n + 1)) for n in range(5)]
    items += [task("zhizhi", f"z{n}", due=nov(n + 10)) for n in range(3)]
    items.append(task("anquan", "a0", due=nov(20)))
    groups = {g.key: g for g in group_tasks(items)}
    base = "safety|张三|2026-11"
    assert sorted(groups) == [base, *(f"{base}#{n}" for n in range(2, 6))]
    # The n-th task of each platform (by due time) is in the n-th group.
    assert [i.id for i in groups[base].items] == ["f0", "z0", "a0"]
    assert [i.id for i in groups[f"{base}#2"].items] == ["f1", "z1"]
    assert [i.id for i in groups[f"{base}#3"].items] == ["f2", "z2"]
    assert [i.id for i in groups[f"{base}#5"].items] == ["f4"]


# -- rules declared in manifests ([tasks.grouping]) ---------------------------------------------

MANIFEST = """
schema = 1
id = "demo.{name}"
name = "{name}"
version = "1.0.0"
home = "{{base_url}}/"
origins = ["{{base_url}}"]

[tasks]
kind = "{kind}"
{tasks}
{grouping}
"""
TASK_KEYS = {
    "rest-json": 'url = "{base_url}/api/tasks"',
    "python": 'entry = "tasks:make"',
    "caldav": 'url = "{base_url}/dav/tasks/"',
}


def manifest(tmp_path: Path, grouping: str, *, name: str = "acme",
             kind: str = "rest-json") -> Manifest:
    folder = tmp_path / name
    folder.mkdir(exist_ok=True)
    path = folder / "manifest.toml"
    table = f"[tasks.grouping]\n{grouping}" if grouping else ""
    path.write_text(MANIFEST.format(name=name, kind=kind, tasks=TASK_KEYS[kind], grouping=table),
                    encoding="utf-8")
    return load_manifest(path)


def rules(tmp_path: Path, **tables: str) -> dict[str, GroupingRule]:
    """Platform id -> rule, from real manifests with the given ``[tasks.grouping]`` bodies."""
    platforms = [Platform(manifest(tmp_path, body, name=name), f"http://{name}.test")
                 for name, body in tables.items()]
    return rules_for(platforms)


def test_a_manifest_without_the_table_keeps_the_defaults(tmp_path: Path):
    rule = manifest(tmp_path, "").tasks.grouping  # type: ignore[union-attr]
    assert rule == GroupingRule() == DEFAULT_RULE
    assert (rule.enabled, rule.forms, rule.period, rule.periods) == (True, {}, "month", {})


def test_every_task_kind_may_declare_grouping(tmp_path: Path):
    for kind in TASK_KEYS:
        spec = manifest(tmp_path, 'period = "week"', name=kind.replace("-", ""), kind=kind).tasks
        assert spec is not None and spec.kind == kind and spec.grouping.period == "week"


def test_form_aliases_make_different_codes_one_task(tmp_path: Path):
    declared = rules(tmp_path, anquan="", zhifa='forms = { "XFJC" = "safety", "RQ" = "gas" }')
    ours = task("demo.anquan", "1", due=nov(3))
    theirs = task("demo.zhifa", "9", form=" XFJC ", due=nov(4))
    unmapped = task("demo.zhifa", "10", form="QT", due=nov(5))
    groups = group_tasks([ours, theirs, unmapped], declared)
    assert [(g.key, len(g.items)) for g in groups] == [("safety|张三|2026-11", 2),
                                                        ("QT|张三|2026-11", 1)]
    # Without the rules the codes differ and nothing groups.
    assert len(group_tasks([ours, theirs, unmapped])) == 3
    # An alias applies to the platform that declares it only.
    other = task("demo.zhizhi", "3", form="XFJC", due=nov(4))
    assert len(group_tasks([ours, other], declared)) == 2


def test_period_week_joins_the_days_of_one_iso_week_across_a_month(tmp_path: Path):
    declared = rules(tmp_path, a='period = "week"', b='period = "week"')
    # Monday 30 November and Wednesday 2 December 2026 are ISO week 49.
    monday = task("demo.a", "1", due=nov(30))
    wednesday = task("demo.b", "2", due=datetime(2026, 12, 2, 9, tzinfo=CST))
    [group] = group_tasks([monday, wednesday], declared)
    assert group.key == "safety|张三|2026-W49"
    # By month (the default) they are two.
    assert len(group_tasks([monday, wednesday])) == 2
    # The ISO week's year: Friday 1 January 2027 is still in 2026's week 53.
    new_year = task("demo.a", "3", due=datetime(2027, 1, 1, 10, tzinfo=CST))
    old_year = task("demo.b", "4", due=datetime(2026, 12, 28, 10, tzinfo=CST))
    [group] = group_tasks([new_year, old_year], declared)
    assert group.key.endswith("|2026-W53")
    next_week = task("demo.b", "5", due=datetime(2027, 1, 4, 10, tzinfo=CST))
    assert len(group_tasks([new_year, next_week], declared)) == 2


def test_period_quarter_day_year_and_none(tmp_path: Path):
    october = task("demo.a", "1", due=datetime(2026, 10, 1, 9, tzinfo=CST))
    december = task("demo.b", "2", due=datetime(2026, 12, 31, 9, tzinfo=CST))
    january = task("demo.b", "3", due=datetime(2027, 1, 2, 9, tzinfo=CST))

    def keys(period: str, *items: TaskItem) -> list[str]:
        folder = tmp_path / period
        folder.mkdir(exist_ok=True)
        body = f'period = "{period}"'
        return [g.key for g in group_tasks(items, rules(folder, a=body, b=body))]

    assert keys("quarter", october, december) == ["safety|张三|2026-Q4"]
    assert len(keys("quarter", october, january)) == 2
    assert keys("year", october, december) == ["safety|张三|2026"]
    assert len(keys("year", december, january)) == 2
    assert keys("day", task("demo.a", "4", due=nov(3, 9)), task("demo.b", "5", due=nov(3, 23))) \
        == ["safety|张三|2026-11-03"]
    assert len(keys("day", task("demo.a", "4", due=nov(3)), task("demo.b", "5", due=nov(4)))) == 2
    # none: the period never separates, not even a task's own, nor a missing due date.
    own = task("demo.a", "6", period="2025-H1")
    assert keys("none", october, january) == ["safety|张三|"]
    assert keys("none", own, january) == ["safety|张三|"]
    # Late on 31 December UTC is already 2027 in China: periods are China time.
    utc_late = task("demo.a", "7", due=datetime(2026, 12, 31, 18, tzinfo=UTC))
    assert keys("year", utc_late, january) == ["safety|张三|2027"]


def test_a_tasks_own_period_wins_over_the_declared_one(tmp_path: Path):
    declared = rules(tmp_path, a='period = "quarter"', b='period = "quarter"')
    named = task("demo.a", "1", period="2026-11", due=nov(3))
    dated = task("demo.b", "2", due=nov(4))
    assert [g.key for g in group_tasks([named, dated], declared)] == [
        "safety|张三|2026-11", "safety|张三|2026-Q4"]
    assert period_of(named, "quarter") == "2026-11" and period_of(dated, "quarter") == "2026-Q4"
    assert period_of(task("demo.a", "3"), "week") == ""


def test_periods_per_form_override_the_platforms_period(tmp_path: Path):
    body = 'forms = { "RQ" = "gas" }\nperiods = { gas = "quarter" }'
    declared = rules(tmp_path, a=body, b='periods = { gas = "quarter" }')
    gas_october = task("demo.a", "1", form="RQ", due=datetime(2026, 10, 9, tzinfo=CST))
    gas_december = task("demo.b", "2", form="gas", due=datetime(2026, 12, 9, tzinfo=CST))
    safety_october = task("demo.a", "3", due=datetime(2026, 10, 9, tzinfo=CST))
    safety_december = task("demo.b", "4", due=datetime(2026, 12, 9, tzinfo=CST))
    keys = sorted(g.key for g in group_tasks(
        [gas_october, gas_december, safety_october, safety_december], declared))
    assert keys == ["gas|张三|2026-Q4", "safety|张三|2026-10", "safety|张三|2026-12"]


def test_enabled_false_keeps_every_task_of_that_platform_alone(tmp_path: Path):
    declared = rules(tmp_path, a="", b="enabled = false")
    a = task("demo.a", "1", due=nov(3))
    b = task("demo.b", "2", due=nov(3))
    c = task("demo.c", "3", due=nov(3))  # no manifest: the default rule
    groups = group_tasks([a, b, c], declared)
    assert sorted((g.key, len(g.items)) for g in groups) == [("demo.b/2", 1),
                                                            ("safety|张三|2026-11", 2)]
    assert match_key(b, declared["demo.b"]) is None


def test_the_demo_inspection_asked_twice_is_one_row_through_its_manifests():
    from launcher_demo.platforms import SHARED_INSPECTIONS, spec_for
    from launcher_demo.plugin_dir import plugins_dir
    from launcher_demo.seed import seed_platform

    platforms = [Platform(load_manifest(plugins_dir() / short / "manifest.toml"),
                          f"http://{short}.test") for short in ("anquan", "zhifa")]
    declared = rules_for(platforms)
    assert all(r.enabled and r.period == "month" for r in declared.values())
    items = [
        TaskItem(platform=p.id, id=s.id, title=s.title, url="", due=s.due, form=s.form,
                 subject=s.subject, period=s.period)
        for p in platforms for s in seed_platform(spec_for(p.id)) if s.open
    ]
    shared = [g for g in group_tasks(items, declared) if len(g.items) > 1]
    assert sorted(g.subject or "" for g in shared) == sorted(s for s, *_ in SHARED_INSPECTIONS)
    assert all(g.platforms and set(g.platforms) == {"demo.anquan", "demo.zhifa"} for g in shared)
    # The rules are what groups them: with 执法检查's turned off, nothing is shared.
    declared["demo.zhifa"] = GroupingRule(enabled=False)
    assert all(len(g.items) == 1 for g in group_tasks(items, declared))


@pytest.mark.parametrize(
    ("body", "key", "problem"),
    [
        ('perod = "month"', "tasks.grouping.perod", "is not a known key"),
        ('period = "monthly"', "tasks.grouping.period", "must be one of day, week, month, quarter"),
        ('enabled = "no"', "tasks.grouping.enabled", "must be true or false"),
        ('enabled = false\nperiod = "week"', "tasks.grouping.period",
         "does not apply when enabled = false"),
        ('enabled = false\nforms = { a = "b" }', "tasks.grouping.forms", "does not apply"),
        ('forms = ["a"]', "tasks.grouping.forms", "must be a table of strings"),
        ('forms = { a = "" }', "tasks.grouping.forms", "must be a table of strings"),
        ('forms = { a = " b" }', "tasks.grouping.forms.a", "must not be blank nor start or end"),
        ('forms = { " a" = "b" }', "tasks.grouping.forms. a", "must not be blank"),
        ('periods = { gas = "fortnight" }', "tasks.grouping.periods.gas",
         "must be one of day, week"),
        ('forms = { RQ = "gas" }\nperiods = { RQ = "quarter" }', "tasks.grouping.periods.RQ",
         "forms maps it to 'gas'"),
        ('period = 3', "tasks.grouping.period", "must be a non-empty string"),
    ],
)
def test_grouping_tables_that_make_no_sense_name_the_key(tmp_path: Path, body: str, key: str,
                                                         problem: str):
    with pytest.raises(ConfigError) as caught:
        manifest(tmp_path, body)
    assert caught.value.key == key
    assert problem in str(caught.value)
    assert str(caught.value).startswith(str(tmp_path / "acme" / "manifest.toml"))


def test_a_grouping_that_is_not_a_table_is_an_error(tmp_path: Path):
    folder = tmp_path / "acme"
    folder.mkdir()
    path = folder / "manifest.toml"
    text = MANIFEST.format(name="acme", kind="rest-json", tasks=TASK_KEYS["rest-json"],
                           grouping='grouping = "month"')
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_manifest(path)
    assert (caught.value.key, caught.value.problem) == ("tasks.grouping", "must be a table")
