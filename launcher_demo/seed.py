"""Deterministic demo tasks: the same titles and owners every run, due dates relative to today.

Due dates are computed from today's date (China Standard Time) with fixed random seeds, so every
platform has some tasks overdue, some due today, some this week and some later.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from typing import TYPE_CHECKING

from launcher_demo.users import DEMO_USERS

if TYPE_CHECKING:
    from launcher_demo.platforms import PlatformSpec

# A fixed offset rather than zoneinfo: Windows has no tz database without the tzdata package.
CST = timezone(timedelta(hours=8), "CST")
_BUCKETS = ("overdue", "today", "week", "later")


@dataclass
class SeedTask:
    id: str
    owner: str
    """Username of the staff member the task is assigned to."""
    title: str
    due: datetime
    created: datetime
    form: str | None = None
    subject: str | None = None
    open: bool = True

    @property
    def period(self) -> str:
        return self.due.strftime("%Y-%m")


def today_cst() -> date:
    return datetime.now(CST).date()


def _due(day: date, bucket: str, rng: random.Random) -> datetime:
    if bucket == "overdue":
        day = day - timedelta(days=rng.randint(1, 9))
    elif bucket == "week":
        day = day + timedelta(days=rng.randint(1, 6))
    elif bucket == "later":
        day = day + timedelta(days=rng.randint(8, 35))
    # Tasks due today end at midnight, so they are "due today" whenever the demo runs.
    clock = time(23, 59) if bucket == "today" else rng.choice((time(12), time(17, 30), time(18)))
    return datetime.combine(day, clock, tzinfo=CST)


def _owner(index: int) -> str:
    # Most work lands on the default user; the others get a few tasks each.
    if index % 5 == 3:
        return DEMO_USERS[1].username
    if index % 7 == 5:
        return DEMO_USERS[2].username
    return DEMO_USERS[0].username


def _shared_dues(index: int, today: date) -> tuple[datetime, datetime]:
    """Due dates of one shared inspection on 安全排查 and on 执法检查: a day apart, same month."""
    rng = random.Random(f"yiduantong-demo-shared-{index}")
    first = _due(today, ("week", "overdue", "later")[index % 3], rng)
    second = first + timedelta(days=1)
    if second.month != first.month:
        second = first - timedelta(days=1)
    return first, second.replace(hour=17, minute=0)


def _group_due(group: str, position: int, today: date) -> datetime:
    """Due date of a generated platform's share of one piece of work: ``position`` days after
    the group's first, always in the same month (the period that makes them one group)."""
    rng = random.Random(f"yiduantong-demo-group-{group}")
    first = _due(today, rng.choice(("week", "overdue", "later")), rng)
    due = first + timedelta(days=position)
    if due.month != first.month:
        due = first - timedelta(days=position)
    return due.replace(hour=17, minute=0)


def seed_platform(spec: PlatformSpec, today: date | None = None) -> list[SeedTask]:
    """The seeded tasks of one platform, in the platform's own id style."""
    from launcher_demo.platforms import SHARED_INSPECTIONS, SHARED_PLATFORMS

    today = today or today_cst()
    rng = random.Random(f"yiduantong-demo-{spec.short}")
    tasks: list[SeedTask] = []

    def add(title: str, due: datetime, owner: str, form: str | None, subject: str | None) -> None:
        created = due - timedelta(days=rng.randint(7, 30), hours=rng.randint(0, 8))
        task_id = str(spec.id_style(len(tasks) + 1))
        tasks.append(SeedTask(task_id, owner, title, due, created, form, subject))

    if spec.short in SHARED_PLATFORMS:
        which = SHARED_PLATFORMS.index(spec.short)
        for index, (shop, *titles) in enumerate(SHARED_INSPECTIONS):
            due = _shared_dues(index, today)[which]
            add(titles[which], due, DEMO_USERS[0].username, "safety_check", shop)
    for shared in spec.shared:
        due = _group_due(shared.group, shared.position, today)
        add(shared.title, due, DEMO_USERS[0].username, shared.group, shared.subject)

    offset = len(spec.short)  # platforms start their bucket cycle at different places
    for index, (title, form, subject) in enumerate(spec.tasks):
        bucket = _BUCKETS[(index + offset) % len(_BUCKETS)]
        add(title, _due(today, bucket, rng), _owner(index), form, subject)

    # One finished task per platform, so ?status=open visibly filters something out.
    tasks[-1].open = False
    return tasks
