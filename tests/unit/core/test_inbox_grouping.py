"""The same inspection asked by two platforms shows as one row; different work never merges."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from launcher.api import TaskItem
from launcher.core.inbox.grouping import group_tasks, normalise_subject

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
