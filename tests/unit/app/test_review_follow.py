"""A form opened for review becomes submitted once its platform, refreshed completely, no longer
lists the task; a platform that failed, answered from its cache or listed too many tasks changes
nothing, and another person's records are never touched. Real records in a temporary folder."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from launcher.api import TaskItem
from launcher.app.events import Events, RecordSubmitted, Refreshed
from launcher.app.review_follow import DONE_ON_PLATFORM, follow_reviews, settle_reviews
from launcher.core.inbox.service import PlatformState, RefreshResult
from launcher.core.profile.fields import load_fields
from launcher.core.profile.records import Outcome, OutcomeState, PersonRecords
from launcher.core.secrets import SecretStore
from launcher.core.states import PlatformStatus

ZHIFA, ANQUAN = "demo.zhifa", "demo.anquan"
NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC).isoformat()


class Who:
    def __init__(self, sub: str) -> None:
        self.sub = sub

    def __call__(self) -> str:
        return self.sub


@pytest.fixture
def who() -> Who:
    return Who("zhang")


@pytest.fixture
def records(tmp_path: Path, who: Who) -> Iterator[PersonRecords]:
    secrets = SecretStore(f"test-review-{uuid.uuid4().hex[:12]}")
    store = PersonRecords(tmp_path / "records", secrets, load_fields(), who)
    yield store
    store.close()
    secrets.delete_matching("")


def state(platform_id: str, status: str = "current", *, more: bool = False) -> PlatformState:
    return PlatformState(platform_id, PlatformStatus(status), None, "", None, 0, more)


def task(platform_id: str, task_id: str, status: str = "open") -> TaskItem:
    return TaskItem(platform_id, task_id, "出租房消防安全检查", "http://x/t", status=status)


def opened_for_review(records: PersonRecords) -> str:
    """An inspection submitted through 安全排查's API, opened pre-filled on 执法检查."""
    record = records.save_record("inspection", {"inspection.date": "2026-12-01"},
                                 tasks=[f"{ZHIFA}/Z1", f"{ANQUAN}/A1"])
    records.set_outcome(record.id, Outcome(ZHIFA, OutcomeState.REVIEW, "已预填", NOW, f"{ZHIFA}/Z1"))
    records.set_outcome(record.id, Outcome(ANQUAN, OutcomeState.SUBMITTED, "提交成功", NOW,
                                           f"{ANQUAN}/A1"))
    return record.id


def outcome(records: PersonRecords, record_id: str, platform_id: str) -> Outcome:
    record = records.record(record_id)
    assert record is not None
    return record.outcomes[platform_id]


def test_a_task_gone_from_its_platform_settles_the_review(records: PersonRecords) -> None:
    record_id = opened_for_review(records)
    events = Events()
    seen: list[RecordSubmitted] = []
    settled = threading.Event()
    publisher = threading.get_ident()

    def announced(event: RecordSubmitted) -> None:
        assert threading.get_ident() != publisher
        seen.append(event)
        settled.set()

    events.subscribe(RecordSubmitted, announced)
    follow_reviews(events, records)

    still_there = RefreshResult([task(ZHIFA, "Z1")], {ZHIFA: state(ZHIFA)})
    events.publish(Refreshed(still_there))
    events.publish(Refreshed(RefreshResult([], {ZHIFA: state(ZHIFA)}), partial=True))
    events.publish(Refreshed(RefreshResult([task(ZHIFA, "Z9")], {ZHIFA: state(ZHIFA)})))
    # Settled on the follower's own thread (never the publisher's), one refresh after the other:
    # the first left it for review, the partial one was not looked at, the last settled it.
    assert settled.wait(10), "the follower did not announce the settled record"
    done = outcome(records, record_id, ZHIFA)
    assert done.state is OutcomeState.SUBMITTED and done.message == DONE_ON_PLATFORM
    assert done.task_key == f"{ZHIFA}/Z1"
    assert seen == [RecordSubmitted(record_id, ((ZHIFA, "submitted"),))]
    assert outcome(records, record_id, ANQUAN).message == "提交成功"  # the others as they were


def test_a_closed_task_counts_as_done(records: PersonRecords) -> None:
    record_id = opened_for_review(records)
    result = RefreshResult([task(ZHIFA, "Z1", status="已办结")], {ZHIFA: state(ZHIFA)})
    assert settle_reviews(records, result) == [record_id]


@pytest.mark.parametrize("answer", [state(ZHIFA, "failed"), state(ZHIFA, "stale"),
                                    state(ZHIFA, "unknown"), state(ZHIFA, more=True)])
def test_a_platform_that_did_not_list_everything_changes_nothing(
    records: PersonRecords, answer: PlatformState
) -> None:
    record_id = opened_for_review(records)
    assert settle_reviews(records, RefreshResult([], {ZHIFA: answer})) == []
    assert outcome(records, record_id, ZHIFA).state is OutcomeState.REVIEW


def test_nobody_signed_in_or_another_person_changes_nothing(
    records: PersonRecords, who: Who
) -> None:
    record_id = opened_for_review(records)
    gone = RefreshResult([], {ZHIFA: state(ZHIFA)})
    who.sub = ""
    assert settle_reviews(records, gone) == []
    who.sub = "li"  # 李娜 has no records: 张伟's stay as they were
    assert settle_reviews(records, gone) == []
    who.sub = "zhang"
    assert outcome(records, record_id, ZHIFA).state is OutcomeState.REVIEW
