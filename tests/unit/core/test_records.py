"""The one table's records (issue 14): subjects and records per county account, every version kept,
outcomes per platform, task links, fill history as keyed fingerprints; the file alone reveals no
sensitive value, and a changed value is reported, not a crash."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from launcher.core.profile.fields import load_fields
from launcher.core.profile.records import (
    SIGNED_OUT,
    SOMEONE_ELSE,
    Outcome,
    OutcomeState,
    PersonRecords,
    RecordError,
    key_name,
    records_digest,
)
from launcher.core.secrets import SecretStore

FIELDS = load_fields()
ZHANG, LI = "sub-zhangwei", "sub-lina"
HEAD_ID = "11010519491231002X"
PHONE = "13800138000"
HOUSEHOLD = {"household.head_name": "王建国", "household.number": "0012",
             "household.head_id_number": HEAD_ID, "household.phone": PHONE,
             "household.address": "李家村 3 组 12 号", "household.dibao": "农村低保"}


class Who:
    def __init__(self, sub: str = ZHANG) -> None:
        self.sub = sub

    def __call__(self) -> str:
        return self.sub


@pytest.fixture
def who() -> Who:
    return Who()


@pytest.fixture
def secrets() -> SecretStore:
    return SecretStore("test/records")


@pytest.fixture
def records(tmp_path: Path, secrets: SecretStore, who: Who) -> Iterator[PersonRecords]:
    opened = PersonRecords(tmp_path / "records", secrets, FIELDS, who)
    yield opened
    opened.close()


def _file(tmp_path: Path, sub: str) -> Path:
    return tmp_path / "records" / f"{records_digest(sub)}.sqlite3"


# -- subjects and records ------------------------------------------------------------------------


def test_a_subject_is_kept_checked_and_normalised(records: PersonRecords) -> None:
    subject = records.save_subject("household", {**HOUSEHOLD, "household.size": " 4 "})
    assert subject.kind == "household" and subject.name == "王建国"
    assert subject.values["household.dibao"] == "2"  # the choice's code
    assert subject.values["household.size"] == "4"
    assert records.subject(subject.id) == subject
    assert [s.id for s in records.subjects("household")] == [subject.id]
    assert records.subjects("place") == []
    assert "王建国" not in repr(subject) and HEAD_ID not in repr(subject)


@pytest.mark.parametrize(("values", "words"), [
    ({"household.head_id_number": "110105194912310021"}, "户主身份证号：身份证号校验位不正确"),
    ({"household.size": "四"}, "家庭人口数：应填写整数"),
    ({"household.dibao": "城镇低保"}, "低保类别：应为以下之一"),
    ({"place.name": "小卖部"}, "不是此类记录的字段"),
    ({"household.unknown": "x"}, "不是此类记录的字段"),
])
def test_a_wrong_value_is_refused_naming_the_field(records: PersonRecords, values: dict[str, str],
                                                   words: str) -> None:
    with pytest.raises(RecordError) as caught:
        records.save_subject("household", {"household.head_name": "王建国", **values})
    assert words in caught.value.message
    assert records.subjects() == []  # nothing half-saved


def test_a_record_keeps_every_version(records: PersonRecords) -> None:
    household = records.save_subject("household", HOUSEHOLD)
    first = records.save_record("inspection", {"inspection.date": "2026-11-30",
                                               "inspection.rectified": "否"},
                                subject_id=household.id, tasks=["demo.anquan/AQ1"])
    assert (first.version, first.subject_id, first.tasks) == (1, household.id, ("demo.anquan/AQ1",))
    same = records.save_record("inspection", dict(first.values), record_id=first.id)
    assert same.version == 1  # nothing changed: no new version
    second = records.save_record("inspection", {"inspection.date": "2026-11-30",
                                                "inspection.rectified": "是",
                                                "inspection.notes": "灭火器已更换\n复查合格"},
                                 record_id=first.id, tasks=["demo.zhifa/ZF9"])
    assert second.version == 2 and second.subject_id == household.id
    assert second.tasks == ("demo.anquan/AQ1", "demo.zhifa/ZF9")
    history = records.history(first.id)
    assert [(v.version, v.values.get("inspection.rectified")) for v in history] == [
        (1, "false"), (2, "true")]
    assert records.records(subject_id=household.id) == [second]
    assert records.record_for_task("demo.zhifa/ZF9") == second
    assert records.record_for_task("demo.zhifa/other") is None
    with pytest.raises(RecordError, match="不是可以保存的记录类型"):
        records.save_record("household", {}, record_id=first.id)


def test_outcomes_are_kept_per_platform(records: PersonRecords) -> None:
    record = records.save_record("inspection", {"inspection.date": "2026-11-30"})
    records.set_outcome(record.id, Outcome("demo.anquan", OutcomeState.SUBMITTED, "已受理",
                                           "2026-12-01T08:00:00+00:00", "demo.anquan/AQ1"))
    records.set_outcome(record.id, Outcome("demo.zhifa", OutcomeState.FAILED,
                                           "检查人员\x00未备案" + "长" * 900, ""))
    records.set_outcome(record.id, Outcome("demo.zhifa", OutcomeState.REVIEW, "请在页面上提交",
                                           ""))
    kept = records.record(record.id)
    assert kept is not None
    assert set(kept.outcomes) == {"demo.anquan", "demo.zhifa"}
    assert kept.outcomes["demo.anquan"].state is OutcomeState.SUBMITTED
    assert kept.outcomes["demo.zhifa"].state is OutcomeState.REVIEW  # the later one replaces
    assert "demo.anquan/AQ1" in kept.tasks  # the outcome's task is linked too
    failed = records.set_outcome(record.id, Outcome("demo.x", OutcomeState.FAILED,
                                                    "原因\x00" + "长" * 900, ""))
    message = failed.outcomes["demo.x"].message
    assert "\x00" not in message and len(message) <= 500
    with pytest.raises(RecordError):
        records.set_outcome("no-such-record", Outcome("demo.x", OutcomeState.FAILED, "", ""))


def test_deleting_a_subject_leaves_its_records_unlinked(records: PersonRecords) -> None:
    household = records.save_subject("household", HOUSEHOLD)
    record = records.save_record("inspection", {"inspection.date": "2026-11-30"},
                                 subject_id=household.id)
    records.delete_subject(household.id)
    assert records.subject(household.id) is None
    kept = records.record(record.id)
    assert kept is not None and kept.subject_id is None
    with pytest.raises(RecordError, match="不存在"):
        records.save_record("inspection", {}, subject_id=household.id)
    records.delete_record(record.id)
    assert records.record(record.id) is None and records.history(record.id) == []


# -- finding a task's subject --------------------------------------------------------------------


def test_a_tasks_subject_text_finds_its_subject_exactly(records: PersonRecords) -> None:
    wang = records.save_subject("household", HOUSEHOLD)
    shop = records.save_subject("place", {"place.name": "李家村便民超市",
                                          "place.credit_code": "91350100M000100Y43"})
    assert records.find_subject("王建国") == wang
    assert records.find_subject("王建国户") == wang
    assert records.find_subject("  王建国 ") == wang
    assert records.find_subject("李家村 3 组 12 号") == wang
    assert records.find_subject("李家村　３ 组 １２ 号") == wang  # full-width, ideographic space
    assert records.find_subject("0012", "household") == wang
    assert records.find_subject(HEAD_ID) == wang
    assert records.find_subject("李家村便民超市") == shop
    assert records.find_subject("91350100m000100y43") == shop
    # No guesses: a part of a name, a near name or another kind is nothing.
    for text in ("王建", "王建国家", "李家村便民", "便民超市", "", "王建国", "王"):
        found = records.find_subject(text, "place")
        assert found is None, text
    assert records.find_subject("王建") is None


def test_two_subjects_of_the_same_name_are_not_guessed_between(records: PersonRecords) -> None:
    records.save_subject("household", {"household.head_name": "王建国", "household.number": "1"})
    records.save_subject("household", {"household.head_name": "王建国", "household.number": "2"})
    assert records.find_subject("王建国") is None
    found = records.find_subject("2", "household")
    assert found is not None and found.values["household.number"] == "2"


# -- per person ----------------------------------------------------------------------------------


def test_two_people_never_see_each_others_records(tmp_path: Path, records: PersonRecords,
                                                  who: Who) -> None:
    his = records.save_subject("household", HOUSEHOLD)
    record = records.save_record("inspection", {"inspection.date": "2026-11-30"},
                                 tasks=["demo.anquan/AQ1"])
    records.note_filled("demo.anquan", "safety_check", {"person.phone": PHONE})
    who.sub = LI
    assert records.subjects() == [] and records.records() == []
    assert records.subject(his.id) is None and records.record(record.id) is None
    assert records.record_for_task("demo.anquan/AQ1") is None
    assert records.find_subject("王建国") is None
    assert records.filled_with("person.phone", PHONE) == []
    assert records.history(record.id) == []
    hers = records.save_subject("household", {"household.head_name": "李秀英"})
    # … nor can a value typed for him be saved once she signed in.
    with pytest.raises(RecordError) as caught:
        records.save_subject("household", HOUSEHOLD, owner=ZHANG)
    assert caught.value.message == SOMEONE_ELSE
    who.sub = ZHANG
    assert [s.name for s in records.subjects()] == ["王建国"]
    assert records.subject(hers.id) is None
    # One file and one key each, neither naming the person.
    assert _file(tmp_path, ZHANG).exists() and _file(tmp_path, LI).exists()
    assert all(ZHANG not in p.name and LI not in p.name for p in (tmp_path / "records").iterdir())


def test_nobody_signed_in_means_nothing_read_and_nothing_saved(records: PersonRecords,
                                                                who: Who) -> None:
    records.save_subject("household", HOUSEHOLD)
    who.sub = ""
    assert records.subjects() == [] and records.records() == []
    for call in (lambda: records.save_subject("household", HOUSEHOLD),
                 lambda: records.save_record("inspection", {}),
                 lambda: records.note_filled("demo.anquan", "f", {"person.phone": PHONE})):
        with pytest.raises(RecordError) as caught:
            call()
        assert caught.value.message == SIGNED_OUT


def test_forgetting_a_person_erases_their_file_and_key(tmp_path: Path, records: PersonRecords,
                                                      who: Who, secrets: SecretStore) -> None:
    records.save_subject("household", HOUSEHOLD)
    who.sub = LI
    records.save_subject("household", {"household.head_name": "李秀英"})
    who.sub = ZHANG
    records.forget(ZHANG)
    assert not _file(tmp_path, ZHANG).exists()
    assert secrets.get(key_name(records_digest(ZHANG))) is None
    assert records.subjects() == []  # a new, empty file
    who.sub = LI
    assert [s.name for s in records.subjects()] == ["李秀英"]


# -- sealed at rest ------------------------------------------------------------------------------


def test_the_file_alone_reveals_no_sensitive_value(tmp_path: Path, records: PersonRecords) -> None:
    household = records.save_subject("household", HOUSEHOLD)
    records.save_record("inspection", {"inspection.date": "2026-11-30"},
                        subject_id=household.id)
    records.save_subject("household", {**HOUSEHOLD, "household.phone": "13900139000"},
                         subject_id=household.id)
    records.note_filled("demo.anquan", "safety_check", {"person.phone": "13700137000",
                                                        "person.id_number": HEAD_ID})
    records.close()
    data = b"".join(p.read_bytes() for p in (tmp_path / "records").iterdir())
    for secret in (HEAD_ID, PHONE, "13900139000", "13700137000"):
        for encoding in ("utf-8", "utf-16-le"):
            assert secret.encode(encoding) not in data, secret
    assert "王建国".encode() in data  # not sensitive: kept as it is (a proof the test reads)


def test_a_changed_value_is_reported_not_a_crash(tmp_path: Path, records: PersonRecords) -> None:
    household = records.save_subject("household", HOUSEHOLD)
    records.close()
    with sqlite3.connect(_file(tmp_path, ZHANG)) as db:
        blob = db.execute("SELECT value FROM item_values WHERE key = ?",
                          ("household.head_id_number",)).fetchone()[0]
        db.execute("UPDATE item_values SET value = ? WHERE key = ?",
                   (blob[:-1] + bytes([blob[-1] ^ 1]), "household.head_id_number"))
    kept = records.subject(household.id)
    assert kept is not None
    assert "household.head_id_number" not in kept.values
    assert "已损坏或被改动" in kept.unreadable["household.head_id_number"]
    assert kept.values["household.phone"] == PHONE  # the others still read
    # Saving other values keeps the unreadable one as it is (restoring it stays possible).
    again = records.save_subject("household", {**kept.values, "household.size": "3"},
                                 subject_id=household.id)
    assert set(again.unreadable) == {"household.head_id_number"}


def test_a_sealed_value_moved_to_another_subject_is_detected(tmp_path: Path,
                                                             records: PersonRecords) -> None:
    wang = records.save_subject("household", HOUSEHOLD)
    li = records.save_subject("household", {"household.head_name": "李秀英",
                                            "household.head_id_number": "440524198001010013"})
    records.close()
    with sqlite3.connect(_file(tmp_path, ZHANG)) as db:
        blob = db.execute("SELECT value FROM item_values WHERE item_id = ? AND key = ?",
                          (wang.id, "household.head_id_number")).fetchone()[0]
        db.execute("UPDATE item_values SET value = ? WHERE item_id = ? AND key = ?",
                   (blob, li.id, "household.head_id_number"))
    moved = records.subject(li.id)
    assert moved is not None and "household.head_id_number" in moved.unreadable
    assert HEAD_ID not in moved.values.values()


def test_a_lost_key_leaves_values_unreadable_but_kept(records: PersonRecords,
                                                      secrets: SecretStore) -> None:
    household = records.save_subject("household", HOUSEHOLD)
    records.close()
    secrets.delete(key_name(records_digest(ZHANG)))
    kept = records.subject(household.id)
    assert kept is not None and kept.values["household.head_name"] == "王建国"
    assert "钥匙串" in kept.unreadable["household.head_id_number"]


# -- fill history --------------------------------------------------------------------------------


def test_fill_history_finds_the_forms_that_received_a_value(records: PersonRecords) -> None:
    records.note_filled("demo.anquan", "safety_check", {"person.phone": PHONE,
                                                        "person.name": "张伟"})
    records.note_filled("demo.zhifa", "inspection", {"person.phone": "+86 138 0013 8000"})
    records.note_filled("demo.minzheng", "dibao", {"person.phone": "13900139000"})
    found = records.filled_with("person.phone", "138 0013 8000")
    assert {(f.platform_id, f.form_key) for f in found} == {("demo.anquan", "safety_check"),
                                                            ("demo.zhifa", "inspection")}
    assert records.filled_with("person.name", PHONE) == []  # bound to the field too
    assert records.filled_with("person.phone", "") == []
    # A form filled again with the new value no longer holds the old one.
    records.note_filled("demo.zhifa", "inspection", {"person.phone": "13900139000"})
    assert [f.platform_id for f in records.filled_with("person.phone", PHONE)] == ["demo.anquan"]


def test_fill_history_is_keyed_per_person(tmp_path: Path, records: PersonRecords,
                                          who: Who) -> None:
    records.note_filled("demo.anquan", "f", {"person.phone": PHONE})
    who.sub = LI
    records.note_filled("demo.anquan", "f", {"person.phone": PHONE})
    records.close()
    prints = []
    for sub in (ZHANG, LI):
        with sqlite3.connect(_file(tmp_path, sub)) as db:
            prints.append(db.execute("SELECT fingerprint FROM filled").fetchone()[0])
    assert prints[0] != prints[1]  # the same phone, not comparable across people


def test_a_retired_platform_leaves_no_outcome_link_nor_history_for_anyone(
        records: PersonRecords, who: Who) -> None:
    ids = {}
    for sub in (ZHANG, LI):
        who.sub = sub
        record = records.save_record("inspection", {"inspection.date": "2026-11-30"},
                                     tasks=["demo.anquan/AQ1", "demo.zhifa/ZF1"])
        records.set_outcome(record.id, Outcome("demo.anquan", OutcomeState.SUBMITTED, "", ""))
        records.set_outcome(record.id, Outcome("demo.zhifa", OutcomeState.REVIEW, "", ""))
        records.note_filled("demo.anquan", "f", {"person.phone": PHONE})
        ids[sub] = record.id
    records.forget_platform("demo.anquan")
    for sub in (LI, ZHANG):
        who.sub = sub
        kept = records.record(ids[sub])
        assert kept is not None and kept.values == {"inspection.date": "2026-11-30"}
        assert set(kept.outcomes) == {"demo.zhifa"} and kept.tasks == ("demo.zhifa/ZF1",)
        assert records.filled_with("person.phone", PHONE) == []


def test_calls_from_many_threads_are_serialised(records: PersonRecords) -> None:
    failures: list[BaseException] = []

    def work(n: int) -> None:
        try:
            for i in range(10):
                records.save_subject("resident", {"resident.name": f"居民{n}-{i}"})
                records.subjects("resident")
        except BaseException as exc:  # pragma: no cover - reported below
            failures.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert len(records.subjects("resident")) == 40
