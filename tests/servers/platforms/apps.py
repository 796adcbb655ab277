"""Local platforms shaped like real county back-ends, for the declarative source tests.

Each is a small Flask app served on 127.0.0.1 (``serve``): a RuoYi-Vue list API, a vendor API
that wants a POST with a JSON query and pages by cursor, a legacy API answering in GBK, an .ics
subscription and an RSS feed. They check what a real one checks (the token, the body) and answer
as a real one answers, refusals included. The vendor API takes a fixed key by default, or the
county's access token checked at the county's identity provider (``county_token_person``), as the
command-line test over every kind runs it (tests/integration/test_real_backends_cli.py).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from authlib.oauth2.rfc6750 import InvalidTokenError
from flask import Flask, Response, jsonify, redirect, request

from launcher_demo.bearer import IssuerJWTValidator
from launcher_demo.serving import LocalServer

RUOYI_TOKEN = "ruoyi-token-1"
VENDOR_KEY = "vendor-key-1"
PERSON = "wangfang"
"""The signed-in person the vendor API lists tasks for (sent as ``{username}`` in its body)."""


def ruoyi() -> Flask:
    """A RuoYi-Vue list: GET /prod-api/task/list?pageNum=&pageSize=, ``Authorization: Bearer``;
    ``{"code":200,"rows":[…],"total":n}``, a refused token ``{"code":401,"msg":"认证失败…"}`` in
    HTTP 200; status codes of its dictionary ("0" open, "1" in progress, "2" done)."""
    app = Flask("ruoyi")
    rows = [{"taskId": 100 + i, "taskName": f"若依任务 {i}", "endTime": f"2026-12-{i + 1:02d} 17:30:00",
             "status": "2" if i == 4 else str(i % 2)} for i in range(7)]

    @app.get("/prod-api/task/list")
    def task_list() -> Response:
        if request.headers.get("Authorization") != f"Bearer {RUOYI_TOKEN}":
            return jsonify(code=401, msg="认证失败，无法访问系统资源")
        number = int(request.args.get("pageNum", "1"))
        size = int(request.args.get("pageSize", "10"))
        page = rows[(number - 1) * size: number * size]
        return jsonify(code=200, msg="查询成功", rows=page, total=len(rows))

    @app.get("/prod-api/redirecting/list")
    def redirecting() -> Response:
        return redirect("/login?redirect=%2Findex")

    @app.get("/login")
    def login_page() -> Response:
        return Response("<html><body>登录</body></html>", mimetype="text/html")

    return app


def vendor_key_person(token: str) -> str | None:
    """The vendor's own key: issued to ``PERSON``."""
    return PERSON if token == VENDOR_KEY else None


def county_token_person(issuer: str, resource: str, scope: str) -> Callable[[str], str | None]:
    """The person a county access token was issued to (its ``sub``), or None for a token the API
    refuses: checked as launcher_demo/bearer.py checks the demo platforms' tokens (RFC 9068:
    signature by the issuer's keys, ``iss``, ``exp``, ``aud`` = ``resource``, ``scope``)."""
    validator = IssuerJWTValidator(issuer, realm="vendor", resource=resource)

    def person(token: str) -> str | None:
        if not token:
            return None
        try:
            claims = validator.authenticate_token(token)
            validator.validate_token(claims, [scope], None)
        except InvalidTokenError:  # a failed check of any kind (ScopeError included)
            return None
        return str(claims["sub"])

    return person


def vendor(person_of: Callable[[str], str | None] = vendor_key_person) -> Flask:
    """A vendor API: POST /openapi/todo/query with a JSON body naming the person, ``token``
    header; pages by ``data.nextCursor`` sent back in the body; due dates in epoch ms;
    ``{"errcode":0}`` on success. ``person_of`` says whom the ``token`` header was issued to
    (None: refused); the body must name that very person."""
    app = Flask("vendor")
    items = [{"bizId": f"V{i}", "subject": f"厂商待办 {i}", "deadline": 1796000000000 + i * 86400000}
             for i in range(5)]

    @app.post("/openapi/todo/query")
    def query() -> Response:
        person = person_of(request.headers.get("token", ""))
        if person is None:
            return jsonify(errcode=40001, errmsg="invalid token")
        body = request.get_json(force=True, silent=True) or {}
        if body.get("userAccount") != person or body.get("state") != "todo":
            return jsonify(errcode=40002, errmsg=f"bad query {json.dumps(body)[:80]}")
        start = int(body.get("cursor") or 0)
        size = int(body.get("limit", 2))
        page = items[start: start + size]
        following = start + size if start + size < len(items) else None
        return jsonify(errcode=0, errmsg="ok",
                       data={"list": page, "nextCursor": str(following) if following else None})

    return app


def legacy_gbk() -> Flask:
    """A legacy API answering GBK JSON (``Content-Type: application/json;charset=GBK``)."""
    app = Flask("legacy")

    @app.get("/api/daiban.do")
    def daiban() -> Response:
        data = {"result": "0", "records": [
            {"id": "g1", "bt": "防汛值班表上报", "jzsj": "2026年12月05日"},
            {"id": "g2", "bt": "低保复核（第四季度）", "jzsj": "2026年12月20日"}]}
        body = json.dumps(data, ensure_ascii=False).encode("gbk")
        return Response(body, content_type="application/json;charset=GBK")

    return app


ICS = """BEGIN:VCALENDAR\r
VERSION:2.0\r
PRODID:-//county//meetings//CN\r
BEGIN:VEVENT\r
UID:meeting-1@county\r
DTSTAMP:20261101T000000Z\r
DTSTART:20261210T090000\r
DTEND:20261210T110000\r
SUMMARY:全县安全生产会议\r
URL:/meetings/1\r
END:VEVENT\r
BEGIN:VEVENT\r
UID:meeting-2@county\r
DTSTAMP:20261101T000000Z\r
DTSTART:20261211T090000Z\r
SUMMARY:已取消的会议\r
STATUS:CANCELLED\r
END:VEVENT\r
BEGIN:VTODO\r
UID:todo-1@county\r
DTSTAMP:20261101T000000Z\r
DUE;VALUE=DATE:20261215\r
SUMMARY:提交会议纪要\r
END:VTODO\r
END:VCALENDAR\r
"""

RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:yd="https://yiduantong.invalid/ns">
<channel><title>县政务通知</title><link>http://county.invalid/</link><description>通知</description>
<item><title>关于开展冬季防火检查的通知</title><link>/notice/1</link><guid>notice-1</guid>
<pubDate>Tue, 01 Dec 2026 08:00:00 +0800</pubDate><yd:due>2026-12-18</yd:due></item>
<item><title>12月例会安排</title><link>/notice/2</link><guid>notice-2</guid></item>
</channel></rss>
"""


def calendar_feeds() -> Flask:
    """An .ics subscription at /calendar.ics and an RSS feed at /notices.rss."""
    app = Flask("feeds")

    @app.get("/calendar.ics")
    def ics() -> Response:
        return Response(ICS, mimetype="text/calendar")

    @app.get("/notices.rss")
    def rss() -> Response:
        return Response(RSS, mimetype="application/rss+xml")

    return app


APPS = {"ruoyi": ruoyi, "vendor": vendor, "legacy": legacy_gbk, "feeds": calendar_feeds}


@contextmanager
def serve() -> Iterator[dict[str, str]]:
    """Every app on its own port; yields name -> base URL."""
    servers = {name: LocalServer(f"platform-{name}") for name in APPS}
    for name, server in servers.items():
        server.set_app(APPS[name]())
        server.start()
    try:
        yield {name: server.url for name, server in servers.items()}
    finally:
        for server in servers.values():
            server.stop()
