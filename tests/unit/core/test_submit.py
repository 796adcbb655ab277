"""launcher/core/submit.py against a real HTTP server (Flask under werkzeug, in a thread)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from flask import Flask, Response, request
from werkzeug.serving import make_server

from launcher.core.errors import SourceError
from launcher.core.manifest import load_manifest
from launcher.core.registry import Platform
from launcher.core.states import FailureReason
from launcher.core.submit import (
    Credentials,
    MissingValues,
    SubmitState,
    UnknownKeys,
    check_keys,
    dictionary_problems,
    missing_keys,
    render_body,
    submit_record,
)
from tests.unit.core._platforms import make_platform

FORM = """
[[forms]]
key = "safety_check"
url = "{base_url}/inspections/new"
record = "inspection"
subject = "place"

[forms.submit]
method = "POST"
url = "{base_url}/api/records/{id}?mode=MODE"
body = { date = "{inspection.date}", place = { name = "{place.name}" }, note = "{place.name}：{inspection.notes}", task = "{id}", n = 1 }
success = "code"
success_values = [0]
review_values = [1]
message = "msg"
"""

VALUES = {"inspection.date": "2026-12-01", "place.name": "平安超市", "inspection.notes": "灭火器过期"}


@dataclass(frozen=True)
class Label:
    label: str

    def display(self, value: str) -> str:
        return {"1": "合格", "true": "是"}.get(value, value)


FIELDS = {"inspection.date": Label("检查日期"), "place.name": Label("场所名称"),
          "inspection.notes": Label("备注")}


class Server:
    def __init__(self) -> None:
        self.seen: list[dict[str, Any]] = []
        self.release = threading.Event()
        app = Flask("submit-test")

        @app.route("/api/records/<task_id>", methods=["POST", "PUT"])
        def record(task_id: str) -> Response:
            mode = request.args.get("mode", "ok")
            self.seen.append({"task": task_id, "headers": dict(request.headers),
                              "body": request.get_data(as_text=True), "form": dict(request.form)})
            if request.headers.get("Authorization") != "Bearer good-token":
                return Response('{"msg": "未登录"}', 401, content_type="application/json")
            answers = {
                "ok": (200, {"code": 0, "msg": "提交成功"}),
                "review": (200, {"code": 1, "msg": "已受理，等待审核"}),
                "refused": (200, {"code": 500, "msg": "检查日期不能晚于今天\n\x1b[31m"}),
                "http400": (400, {"message": "场所不存在"}),
                "nocode": (200, {"data": {}}),
                "code401": (200, {"code": 401, "msg": "认证失败，无法访问系统资源"}),
            }
            if mode == "garbage":
                return Response(b"\x00\xff not json {", 200, content_type="application/json")
            if mode == "html":
                return Response("<html><form>login</form></html>", 200, content_type="text/html")
            if mode == "login":
                return Response("", 302, headers={"Location": "https://sso.example/login"})
            if mode == "hold":
                self.release.wait(20)
            if mode == "huge":
                return Response(b'{"msg": "' + b"x" * (3 * 1024 * 1024) + b'"}', 200,
                                content_type="application/json")
            status, data = answers.get(mode, answers["ok"])
            return Response(json.dumps(data, ensure_ascii=False), status,
                            content_type="application/json; charset=utf-8")

        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.release.set()
        self.server.shutdown()


@pytest.fixture
def server() -> Iterator[Server]:
    s = Server()
    yield s
    s.close()


def platform(tmp_path: Path, server: Server, mode: str, timeout: float = 5.0) -> Platform:
    return make_platform(tmp_path / mode, server.url, forms=FORM.replace("MODE", mode),
                         timeout=timeout)


def send(p: Platform, token: str = "good-token", values: dict[str, str] | None = None,
         timeout: float | None = None) -> Any:
    spec = p.manifest.forms[0].submit
    assert spec is not None
    return submit_record(p, spec, VALUES if values is None else values, fields=FIELDS,
                         task_id="T 7", credentials=Credentials(token), timeout=timeout)


def test_submitted(tmp_path: Path, server: Server) -> None:
    answer = send(platform(tmp_path, server, "ok"))
    assert (answer.state, answer.message) == (SubmitState.SUBMITTED, "提交成功")
    seen = server.seen[-1]
    assert seen["task"] == "T 7"  # {id} URL-quoted in the path
    assert json.loads(seen["body"]) == {"date": "2026-12-01", "place": {"name": "平安超市"},
                                        "note": "平安超市：灭火器过期", "task": "T 7", "n": 1}
    assert seen["headers"]["Authorization"] == "Bearer good-token"


def test_review(tmp_path: Path, server: Server) -> None:
    answer = send(platform(tmp_path, server, "review"))
    assert (answer.state, answer.message) == (SubmitState.REVIEW, "已受理，等待审核")


def test_refused_with_the_platforms_words_plain_and_one_line(tmp_path: Path,
                                                              server: Server) -> None:
    answer = send(platform(tmp_path, server, "refused"))
    assert answer.state == SubmitState.REFUSED
    assert answer.message == "检查日期不能晚于今天 [31m"  # no newline, no escape character


def test_http_refusal_keeps_the_message(tmp_path: Path, server: Server) -> None:
    answer = send(platform(tmp_path, server, "http400"))
    assert (answer.state, answer.message, answer.status) == (SubmitState.REFUSED, "场所不存在", 400)


@pytest.mark.parametrize(("mode", "reason"), [
    ("garbage", FailureReason.UNREADABLE),
    ("nocode", FailureReason.UNREADABLE),
    ("html", FailureReason.SIGNED_OUT),
    ("login", FailureReason.SIGNED_OUT),
    ("code401", FailureReason.SIGNED_OUT),
    ("huge", FailureReason.UNREADABLE),
])
def test_answers_that_are_no_answer(tmp_path: Path, server: Server, mode: str,
                                    reason: FailureReason) -> None:
    with pytest.raises(SourceError) as info:
        send(platform(tmp_path, server, mode))
    assert info.value.reason == reason


def test_a_refused_token_is_signed_out(tmp_path: Path, server: Server) -> None:
    with pytest.raises(SourceError) as info:
        send(platform(tmp_path, server, "ok"), token="stale")
    assert info.value.reason == FailureReason.SIGNED_OUT
    assert "stale" not in str(info.value)


def test_a_platform_that_does_not_answer_times_out(tmp_path: Path, server: Server) -> None:
    p = platform(tmp_path, server, "hold")
    with pytest.raises(SourceError) as info:
        send(p, timeout=0.5)  # the server holds its answer until the test ends
    assert info.value.reason == FailureReason.TIMEOUT
    assert not server.release.is_set()  # cut by the deadline, not answered late


def test_missing_values_send_nothing(tmp_path: Path, server: Server) -> None:
    p = platform(tmp_path, server, "ok")
    with pytest.raises(MissingValues) as info:
        send(p, values={"inspection.date": "2026-12-01", "inspection.notes": " "})
    assert info.value.keys == ["place.name", "inspection.notes"]
    assert info.value.message == "缺少：场所名称、备注"
    assert server.seen == []


def test_a_form_body(tmp_path: Path, server: Server) -> None:
    form = FORM.replace("place = { name = \"{place.name}\" }, ", "").replace(
        "success = ", 'body_format = "form"\nsuccess = ')
    p = make_platform(tmp_path, server.url, forms=form.replace("MODE", "ok"))
    assert send(p).state == SubmitState.SUBMITTED
    assert server.seen[-1]["form"] == {"date": "2026-12-01", "note": "平安超市：灭火器过期",
                                       "task": "T 7", "n": "1"}


def test_a_url_off_the_platform_is_never_sent(tmp_path: Path, server: Server) -> None:
    p = platform(tmp_path, server, "ok")
    moved = Platform(p.manifest, "http://127.0.0.1:1")  # origins follow the base URL
    spec = p.manifest.forms[0].submit
    assert spec is not None
    other = type(spec)(**{**spec.__dict__, "url": server.url + "/api/records/{id}"})
    with pytest.raises(SourceError) as info:
        submit_record(moved, other, VALUES, credentials=Credentials("good-token"))
    assert info.value.reason == FailureReason.UNSUPPORTED and server.seen == []


def test_unknown_dictionary_keys_name_the_manifest(tmp_path: Path, server: Server) -> None:
    p = platform(tmp_path, server, "ok")
    check_keys(p, p.manifest.forms[0], FIELDS)
    with pytest.raises(UnknownKeys) as info:
        check_keys(p, p.manifest.forms[0], {"inspection.date": Label("检查日期")})
    assert info.value.keys == ["place.name", "inspection.notes"]
    assert str(p.manifest.path) in str(info.value)


def test_render_body_leaves_numbers_and_fills_every_place() -> None:
    from launcher.core.manifest import SubmitSpec

    spec = SubmitSpec("POST", "{base_url}/x", {"a": ["{x.y}", {"b": "{id}-{x.y}"}], "n": 2.5,
                                                "t": True})
    assert render_body(spec, {"x.y": "值"}, "9") == {"a": ["值", {"b": "9-值"}], "n": 2.5, "t": True}
    texts = SubmitSpec("POST", "{base_url}/x", {"code": "{x.r}", "text": "{x.r|text}",
                                                "flag": "{x.f|text}"})
    assert texts.template_keys() == ("x.r", "x.f")
    assert render_body(texts, {"x.r": "1", "x.f": "true"}, fields={
        "x.r": Label("结论"), "x.f": Label("是否")}) == {"code": "1", "text": "合格", "flag": "是"}


def test_credentials_never_show_the_token() -> None:
    assert "secret" not in repr(Credentials("secret", {"sid": "secret"}))


def test_dictionary_problems_name_the_manifest_and_key(tmp_path: Path, server: Server) -> None:
    from launcher.core.profile.fields import load_fields

    dictionary = load_fields()
    p = platform(tmp_path, server, "ok")
    assert dictionary_problems(p.manifest, dictionary) == []
    shipped = sorted(Path("plugins").glob("*/manifest.toml"))
    assert all(dictionary_problems(load_manifest(m), dictionary) == [] for m in shipped)
    problems = dictionary_problems(p.manifest, {"inspection.date": Label("检查日期")})
    assert [(e.key, e.path) for e in problems] == [("forms[0].submit.body", p.manifest.path)]
    assert "place.name, inspection.notes" in problems[0].problem


def test_optional_templates_are_sent_only_with_a_value() -> None:
    from launcher.core.manifest import SubmitSpec

    spec = SubmitSpec("POST", "{base_url}/x", {
        "date": "{x.date}", "deadline": "{x.deadline?}", "result": "{x.r|text?}",
        "note": "整改期限：{x.deadline?}", "list": ["{x.deadline?}"]})
    assert spec.template_keys() == ("x.date", "x.deadline", "x.r")
    assert spec.required_keys() == ("x.date",)
    assert missing_keys(spec, {"x.deadline": "2026-12-01"}) == ["x.date"]
    assert render_body(spec, {"x.date": "2026-11-20"}) == {
        "date": "2026-11-20", "note": "整改期限：", "list": [""]}
    assert render_body(spec, {"x.date": "2026-11-20", "x.deadline": "2026-12-01", "x.r": "1"},
                       fields={"x.r": Label("结论")}) == {
        "date": "2026-11-20", "deadline": "2026-12-01", "result": "合格",
        "note": "整改期限：2026-12-01", "list": ["2026-12-01"]}
