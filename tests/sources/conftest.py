"""Local platforms of every declarative kind (tests/servers/platforms) and a Radicale server,
started once per run, and the manifests that describe them (``platform_folders``)."""

from __future__ import annotations

import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent / "servers" / "platforms"), str(HERE.parent / "caldav")]

from _caldav_server import Radicale, running_radicale, vtodo  # noqa: E402
from apps import serve  # noqa: E402

MANIFESTS = {
    "ruoyi": """
        [auth]
        kind = "sso"

        [tasks]
        kind = "rest-json"
        url = "{base_url}/prod-api/task/list"
        items = "rows"
        date_format = "yyyy-MM-dd HH:mm:ss"
        login_url = "{base_url}/login*"
        headers = { Authorization = "Bearer {token}" }
        fields = { id = "taskId", title = "taskName", due = "endTime", status = "status" }
        statuses = { "0" = "open", "1" = "open", "2" = "closed" }
        answer = { code = "code", ok = 200, message = "msg" }
        paging = { kind = "page", param = "pageNum", size_param = "pageSize", size = 3, total = "total" }
        """,
    "vendor": """
        [auth]
        kind = "sso"

        [tasks]
        kind = "rest-json"
        method = "POST"
        url = "{base_url}/openapi/todo/query"
        body = { userAccount = "{username}", state = "todo", limit = 2 }
        headers = { token = "{token}" }
        items = "data.list"
        date_format = "epoch-ms"
        fields = { id = "bizId", title = "subject", due = "deadline" }
        answer = { code = "errcode", ok = 0, signed_out = [40001], message = "errmsg" }
        paging = { kind = "cursor", next = "data.nextCursor", param = "cursor", send = "body" }
        """,
    "legacy": """
        [tasks]
        kind = "rest-json"
        url = "{base_url}/api/daiban.do"
        items = "records"
        date_format = "yyyy年MM月dd日"
        fields = { id = "id", title = "bt", due = "jzsj" }
        answer = { code = "result", ok = "0" }
        """,
    "ics": """
        [tasks]
        kind = "ics"
        url = "{base_url}/calendar.ics"
        """,
    "rss": """
        [tasks]
        kind = "feed"
        url = "{base_url}/notices.rss"
        """,
    "caldav": """
        [auth]
        kind = "sso"

        [tasks]
        kind = "caldav"
        url = "{base_url}/"
        discover = true
        """,
}
"""Plugin name -> the manifest's [auth] and [tasks]; every platform's server is in ``SERVER``."""
SERVER = {"ruoyi": "ruoyi", "vendor": "vendor", "legacy": "legacy", "ics": "feeds", "rss": "feeds",
          "caldav": "radicale"}


def write_manifest(folder: Path, name: str) -> Path:
    """``folder/<name>/manifest.toml`` for the platform ``test.<name>``."""
    plugin = folder / name
    plugin.mkdir(parents=True, exist_ok=True)
    path = plugin / "manifest.toml"
    path.write_text(textwrap.dedent(f"""\
        schema = 1
        id = "test.{name}"
        name = "平台 {name}"
        version = "1.0.0"
        home = "{{base_url}}/"
        origins = ["{{base_url}}"]
        """) + textwrap.dedent(MANIFESTS[name]), encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def radicale_tasks(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Radicale]:
    """Radicale with zhangwei's calendars: one of VTODOs (found by discovery), one of events."""
    with running_radicale(tmp_path_factory.mktemp("radicale")) as server:
        server.new_calendar("zhangwei", vtodo("dav-1", "SUMMARY:CalDAV 任务",
                                               "DUE:20261220T170000Z"))
        server.client("zhangwei").principal().make_calendar(
            name="events", cal_id="events", supported_calendar_component_set=["VEVENT"])
        yield server


@pytest.fixture(scope="session")
def platform_urls(radicale_tasks: Radicale) -> Iterator[dict[str, str]]:
    """Server name -> base URL of every local platform."""
    with serve() as urls:
        yield {**urls, "radicale": radicale_tasks.url}
