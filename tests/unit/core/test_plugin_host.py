"""The plugin host: Python plugins imported under packages of their own, on threads of their own,
with time-outs, every call guarded, and turned off for the session when they keep failing.

Every plugin here is a real folder of modules in ``tmp_path``, loaded through its manifest.
"""

from __future__ import annotations

import json
import sys
import textwrap
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

import pytest
from _platforms import make_platform

from launcher.core.errors import SourceError
from launcher.core.inbox.limits import MAX_TITLE_CHARS
from launcher.core.inbox.service import Inbox, PlatformState, RefreshResult
from launcher.core.inbox.sources import PluginSource
from launcher.core.plugins.host import GRACE, MAX_FAILURES, Plugin, PluginError, PluginHost
from launcher.core.registry import Platform, Registry
from tests.fresh_process import run_fresh

T = TypeVar("T")

SOURCE = '''
from launcher.api import TaskItem

class Source:
    def fetch(self, *, base_url, token, timeout):
        return [TaskItem("x", "1", TITLE, "t/1")]

def make(platform):
    return Source()
'''


def plugin(tmp_path: Path, name: str, files: dict[str, str], *, entry: str = "tasks:make",
           timeout: float = 5.0) -> Platform:
    """The platform ``demo.<name>`` whose plugin folder holds ``files`` (name -> source)."""
    platform = make_platform(tmp_path, "http://127.0.0.1:9", plugin_id=f"demo.{name}",
                             tasks=f'kind = "python"\nentry = "{entry}"', timeout=timeout)
    for file_name, text in files.items():
        path = platform.manifest.folder / file_name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return platform


def titled(title: str) -> str:
    return f"TITLE = {title!r}\n{SOURCE}"


@pytest.fixture
def release(tmp_path: Path) -> Iterator[Path]:
    """A file whose appearance ends every hanging plugin of the test (at its end), so that no
    thread of this test waits on after it."""
    path = tmp_path / "release"
    yield path
    path.touch()


def hang(release: Path, started: Path | None = None) -> str:
    """Python that hangs (until ``release`` exists), first creating ``started``."""
    mark = f"open({str(started)!r}, 'w').close()\n" if started else ""
    return (f"import os, time\n{mark}"
            f"while not os.path.exists({str(release)!r}):\n    time.sleep(0.02)\n")


def within(seconds: float, work: Callable[[], T]) -> T:
    """What ``work`` returns, or the test fails if it has not returned after ``seconds`` (the
    work is left behind on its daemon thread)."""
    box: dict[str, Any] = {}

    def run() -> None:
        try:
            box["value"] = work()
        except BaseException as exc:
            box["error"] = exc

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), f"still running after {seconds} s"
    if "error" in box:
        raise box["error"]
    return box["value"]  # type: ignore[no-any-return]


def failure(source: PluginSource, timeout: float = 5.0) -> SourceError:
    with pytest.raises(SourceError) as caught:
        within(timeout + GRACE + 10, lambda: source.fetch(token="tok-secret-1", timeout=timeout))
    return caught.value


# -- imported under their own package, never through sys.path ---------------------------------


def test_a_plugin_is_its_own_package_and_never_shadows_what_others_import(tmp_path):
    own_json = {
        "json.py": '''
            MARK = "the plugin's own json"
            def make(platform):
                from . import tasks
                return tasks.make(platform)
            ''',
        "tasks.py": '''
            import json
            from launcher.api import TaskItem
            from . import json as own_json

            class Source:
                def fetch(self, *, base_url, token, timeout):
                    # The standard json, and the plugin's own module beside it.
                    return [TaskItem("x", "1", json.dumps({"t": own_json.MARK}), "t/1")]

            def make(platform):
                return Source()
            ''',
    }
    by_tasks = PluginSource(plugin(tmp_path, "ownjson", own_json))
    by_json = PluginSource(plugin(tmp_path, "ownjson2", own_json, entry="json:make"))
    path_before, real_json = list(sys.path), sys.modules["json"]

    for source in (by_tasks, by_json):
        [task] = source.fetch(token=None, timeout=5)
        assert json.loads(task.title) == {"t": "the plugin's own json"}
        package = source.plugin.package
        assert package is not None and package.startswith("yiduantong_plugins.demo_ownjson")
        assert sys.modules[f"{package}.json"].MARK == "the plugin's own json"

    assert sys.path == path_before  # no folder put in front of everybody's imports
    assert sys.modules["json"] is real_json and json.dumps([1]) == "[1]"
    assert by_tasks.plugin.package != by_json.plugin.package
    assert "tasks" not in sys.modules


def test_two_plugins_with_modules_of_the_same_name_each_get_their_own(tmp_path, cache):
    def files(name: str) -> dict[str, str]:
        return {
            "helper.py": f"NAME = {name!r}\n",
            "tasks.py": "from .helper import NAME as TITLE\n" + SOURCE,
        }

    first = plugin(tmp_path, "same1", files("甲平台的任务"))
    second = plugin(tmp_path, "same2", files("乙平台的任务"))
    result = Inbox(Registry([first, second]), cache, lambda p: None).refresh()
    assert {s.state for s in result.states.values()} == {"current"}
    assert {t.platform: t.title for t in result.tasks} == {"demo.same1": "甲平台的任务",
                                                            "demo.same2": "乙平台的任务"}


def test_a_plugin_package_with_subpackages_and_its_own_init(tmp_path):
    platform = plugin(tmp_path, "nested", {
        "__init__.py": "PREFIX = '包'\n",
        "api/__init__.py": "",
        "api/client.py": "from .. import PREFIX\nTITLE = PREFIX + '里的任务'\n",
        "tasks.py": "from .api.client import TITLE\n" + SOURCE,
    })
    [task] = PluginSource(platform).fetch(token=None, timeout=5)
    assert task.title == "包里的任务"


def test_a_plugin_is_imported_only_when_first_refreshed_and_on_its_own_thread(tmp_path, cache):
    log = tmp_path / "imported.txt"
    platform = plugin(tmp_path, "lazy", {
        "tasks.py": f"import threading\nwith open({str(log)!r}, 'a') as log:\n"
                    "    log.write(threading.current_thread().name + '\\n')\n"
                    + titled("按需加载"),
    })
    inbox = Inbox(Registry([platform]), cache, lambda p: None)
    inbox.cached()
    assert not log.exists()
    assert not [m for m in sys.modules if m.startswith("yiduantong_plugins.demo_lazy")]

    result = inbox.refresh()
    assert [t.title for t in result.tasks] == ["按需加载"]
    assert log.read_text().splitlines() == ["plugin-demo.lazy"]
    inbox.refresh()
    assert log.read_text().splitlines() == ["plugin-demo.lazy"]  # imported once


# -- time-outs: a hanging plugin delays nobody else ---------------------------------------------


def test_a_plugin_hanging_in_its_import_delays_no_other_plugin(tmp_path, release):
    started = tmp_path / "import-started"
    host = PluginHost()  # one session's plugins
    stuck = PluginSource(plugin(tmp_path, "stuckimport",
                                {"tasks.py": hang(release, started) + titled("never")},
                                timeout=3), host)
    quick = PluginSource(plugin(tmp_path, "quick", {"tasks.py": titled("答得快")}), host)

    outcome: dict[str, BaseException] = {}

    def fetch_stuck() -> None:
        try:
            stuck.fetch(token=None, timeout=3)
        except SourceError as exc:
            outcome["stuck"] = exc

    waiting = threading.Thread(target=fetch_stuck, daemon=True)
    waiting.start()
    deadline = time.monotonic() + 10
    while not started.exists():  # the stuck plugin is inside its import now
        assert time.monotonic() < deadline
        time.sleep(0.01)

    begun = time.monotonic()
    [task] = within(10, lambda: quick.fetch(token=None, timeout=5))
    assert task.title == "答得快"
    assert time.monotonic() - begun < 2.5  # well before the stuck one's 3 s time-out
    assert waiting.is_alive()

    waiting.join(10)
    exc = outcome["stuck"]
    assert isinstance(exc, SourceError) and exc.reason == "timeout"
    assert "tasks:make" in str(exc)


def test_a_refresh_reports_the_answering_plugin_without_waiting_for_hanging_ones(
        tmp_path, cache, release):
    in_import = plugin(tmp_path, "hangimport", {"tasks.py": hang(release) + titled("x")},
                       timeout=3)
    in_fetch = plugin(tmp_path, "hangfetch", {"tasks.py": f'''
        from launcher.api import TaskItem

        class Source:
            def fetch(self, *, base_url, token, timeout):
{textwrap.indent(hang(release), " " * 16)}
                return []

        def make(platform):
            return Source()
        '''}, timeout=3)
    answering = plugin(tmp_path, "answering", {"tasks.py": titled("准时的任务")}, timeout=3)
    inbox = Inbox(Registry([in_import, in_fetch, answering]), cache, lambda p: None)

    def refresh(begun: float, seen: list[tuple[float, PlatformState]]) -> RefreshResult:
        return inbox.refresh(on_state=lambda s: seen.append((time.monotonic() - begun, s)))

    for attempt in range(2):  # the second time the stuck ones' threads are still busy
        begun = time.monotonic()
        seen: list[tuple[float, PlatformState]] = []
        result = within(20, partial(refresh, begun, seen))
        first_at, first = seen[0]
        assert first.platform_id == "demo.answering" and first.state == "current"
        assert first_at < 2.0, attempt  # well before the others' 3 s time-out
        assert [t.title for t in result.tasks] == ["准时的任务"]
        for stuck in ("demo.hangimport", "demo.hangfetch"):
            assert (result.states[stuck].state, result.states[stuck].reason) == ("failed",
                                                                                 "timeout")
        assert time.monotonic() - begun < 3 + 2 * GRACE + 2


def test_a_hanging_fetch_is_given_up_after_its_timeout(tmp_path, release):
    source = PluginSource(plugin(tmp_path, "hangs", {"tasks.py": f'''
        class Source:
            def fetch(self, *, base_url, token, timeout):
{textwrap.indent(hang(release), " " * 16)}

        def make(platform):
            return Source()
        '''}))
    begun = time.monotonic()
    exc = failure(source, timeout=0.3)
    assert exc.reason == "timeout" and "fetch did not return within 0.3 s" in str(exc)
    assert time.monotonic() - begun < 0.3 + GRACE + 1.5
    # Its thread is still in the first call: the next waits behind it, and says so.
    exc = failure(source, timeout=0.3)
    assert exc.reason == "timeout" and "still busy with fetch" in str(exc)


def test_a_hanging_plugin_does_not_keep_the_launcher_from_quitting(tmp_path):
    platform = plugin(tmp_path, "forever", {"tasks.py": '''
        import threading
        threading.Event().wait()  # never returns
        '''})
    result = run_fresh(textwrap.dedent('''
        import json, sys
        from pathlib import Path
        from launcher.core.errors import SourceError
        from launcher.core.inbox.sources import PluginSource
        from launcher.core.manifest import load_manifest
        from launcher.core.registry import Platform

        source = PluginSource(Platform(load_manifest(Path(sys.argv[1])), "http://127.0.0.1:9"))
        try:
            source.fetch(token=None, timeout=0.2)
            print("RESULT " + json.dumps({"error": "fetch returned"}))
        except SourceError as exc:
            print("RESULT " + json.dumps({"reason": exc.reason}), flush=True)
        '''), str(platform.manifest.path), timeout=60)
    assert result == {"reason": "timeout"}  # and the process ended with the thread still stuck


# -- every call guarded ------------------------------------------------------------------------

RAISING = '''
import sys
from launcher.api import TaskItem

class Source:
    def fetch(self, *, base_url, token, timeout):
        {body}

def make(platform):
    return Source()
'''


@pytest.mark.parametrize(("body", "reason", "words"), [
    ("sys.exit(3)", "plugin", "fetch called sys.exit(3)"),
    ("raise SystemExit('bye')", "plugin", "fetch called sys.exit('bye')"),
    ("raise KeyboardInterrupt", "plugin", "fetch raised KeyboardInterrupt"),
    ("raise KeyError('county_code')", "plugin", "fetch raised KeyError: 'county_code'"),
    ("raise RuntimeError('refused token ' + token)", "plugin", "refused token …"),
    ("raise ConnectionRefusedError('no route')", "network", "ConnectionRefusedError: no route"),
    ("raise TimeoutError('slow')", "timeout", "TimeoutError: slow"),
    ("import requests; raise requests.ConnectTimeout('gw')", "network", "ConnectTimeout: gw"),
    ("import requests; raise requests.ReadTimeout('late')", "timeout", "ReadTimeout: late"),
])
def test_whatever_a_plugin_raises_is_its_failure(tmp_path, body, reason, words):
    name = f"raises{abs(hash(body)) % 10**8}"
    source = PluginSource(plugin(tmp_path, name, {"tasks.py": RAISING.format(body=body)}))
    exc = failure(source)
    assert exc.reason == reason
    assert words in str(exc)
    assert "tok-secret-1" not in str(exc)


@pytest.mark.parametrize(("module", "words"), [
    ("import sys\nsys.exit(2)\n", "cannot load the plugin (called sys.exit(2))"),
    ("raise ImportError('needs pandas')\n", "ImportError: needs pandas"),
    ("from . import missing_helper\n", "missing_helper"),
    ("import no_such_library_anywhere\n", "no_such_library_anywhere"),
])
def test_whatever_a_plugin_does_when_imported_is_its_failure(tmp_path, module, words):
    name = f"badimport{abs(hash(module)) % 10**8}"
    exc = failure(PluginSource(plugin(tmp_path, name, {"tasks.py": module})))
    assert exc.reason == "plugin"
    assert words in str(exc)
    assert not [m for m in sys.modules if m.startswith(f"yiduantong_plugins.demo_{name}")]


def test_an_entry_module_missing_from_the_folder_is_named(tmp_path):
    exc = failure(PluginSource(plugin(tmp_path, "noentry", {}, entry="tasks:make")))
    assert exc.reason == "plugin"
    assert "no module 'tasks' in the plugin's folder" in str(exc)


# -- what a plugin returns ---------------------------------------------------------------------

RETURNING = '''
from datetime import datetime
from launcher.api import TaskItem

def answer():
    return {answer}

class Source:
    def fetch(self, *, base_url, token, timeout):
        return answer()

def make(platform):
    return Source()
'''


@pytest.mark.parametrize(("answer", "words"), [
    ("None", "fetch returned NoneType, not a list of TaskItem"),
    ("'入户走访'", "fetch returned str, not a list of TaskItem"),
    ("{'id': '1', 'title': 't'}", "fetch returned dict, not a list of TaskItem"),
    ("(t for t in [])", "fetch returned generator, not a list of TaskItem"),
    ("[{'id': '1', 'title': '入户走访'}]", "a list holding dict (item 0), not TaskItem"),
    ("[TaskItem('x', '1', 't', ''), 'oops']", "a list holding str (item 1), not TaskItem"),
    ("[TaskItem('x', '1', 42, '')]", "(item 0): title is int, not str"),
    ("[TaskItem('x', 1, 't', '')]", "(item 0): id is int, not str"),
    ("[TaskItem('x', '1', 't', None)]", "(item 0): url is NoneType, not str"),
    ("[TaskItem('x', '1', 't', '', due='2026-11-20')]",
     "(item 0): due is str, not datetime or None"),
    ("[TaskItem('x', '1', 't', '', subject=['幸福村'])]",
     "(item 0): subject is list, not str or None"),
    ("[TaskItem('x', '1', 't', '', priority=True)]", "(item 0): priority is bool, not int"),
])
def test_an_answer_that_is_not_a_list_of_task_items_is_the_plugins_failure(tmp_path, answer,
                                                                           words):
    name = f"garbage{abs(hash(answer)) % 10**8}"
    exc = failure(PluginSource(plugin(tmp_path, name,
                                      {"tasks.py": RETURNING.format(answer=answer)})))
    assert exc.reason == "plugin"
    assert words in str(exc)


def test_what_a_plugin_returns_is_made_plain_and_bounded(tmp_path):
    source = PluginSource(plugin(tmp_path, "plain", {"tasks.py": '''
        import enum
        from datetime import datetime, timedelta, timezone
        from launcher.api import TaskItem

        class Status(enum.StrEnum):
            OPEN = "待办"

        class Moment(datetime):
            pass

        class Source:
            def fetch(self, *, base_url, token, timeout):
                return [
                    TaskItem("someone.else", "1", "长" * 100_000, "t/1", status=Status.OPEN,
                             due=datetime(2026, 11, 20, 17, 0),
                             updated=Moment(2026, 11, 1, 8, 0, tzinfo=timezone(timedelta(hours=2)))),
                    TaskItem("x", "", "no id", ""),
                    TaskItem("x", "2", "javascript link", "javascript:alert(1)"),
                ]

        def make(platform):
            return Source()
        '''}))
    first, second = source.fetch(token=None, timeout=5)
    assert source.skipped == 1
    assert first.platform == "demo.plain" and first.url == "http://127.0.0.1:9/t/1"
    assert len(first.title) == MAX_TITLE_CHARS
    assert type(first.status) is str and first.status == "待办"
    assert first.due is not None and first.due.utcoffset() == timedelta(hours=8)  # China time
    assert type(first.updated) is datetime
    assert first.updated == datetime(2026, 11, 1, 6, 0, tzinfo=UTC)
    assert second.url == "http://127.0.0.1:9/"  # a link that is no web page opens the home


# -- turned off after failing again and again ---------------------------------------------------

COUNTED = '''
from pathlib import Path
from launcher.api import TaskItem

CALLS = Path({calls!r})
MODE = Path({mode!r})

class Source:
    def fetch(self, *, base_url, token, timeout):
        with CALLS.open("a") as log:
            log.write("call\\n")
        mode = MODE.read_text() if MODE.exists() else "fail"
        if mode == "fail":
            raise RuntimeError("the platform's API changed")
        if mode == "offline":
            raise ConnectionResetError("reset by peer")
        return [TaskItem("x", "1", "又好了", "")]

def make(platform):
    return Source()
'''


def counted(tmp_path: Path, name: str) -> tuple[Platform, Path, Path]:
    calls, mode = tmp_path / f"{name}-calls.txt", tmp_path / f"{name}-mode.txt"
    platform = plugin(tmp_path, name, {"tasks.py": COUNTED.format(calls=str(calls),
                                                                  mode=str(mode))})
    return platform, calls, mode


def called(calls: Path) -> int:
    return len(calls.read_text().splitlines()) if calls.exists() else 0


def test_a_plugin_that_keeps_failing_is_turned_off_until_the_next_sign_in(tmp_path, cache):
    platform, calls, _mode = counted(tmp_path, "flaky")
    inbox = Inbox(Registry([platform]), cache, lambda p: "tok")

    states = [inbox.refresh().states["demo.flaky"] for _ in range(MAX_FAILURES)]
    assert [(s.state, s.reason) for s in states] == [("failed", "plugin")] * (MAX_FAILURES - 1) \
        + [("failed", "disabled")]
    off = states[-1].message
    assert f"turned off for this session after {MAX_FAILURES} failures in a row" in off
    assert "RuntimeError: the platform's API changed" in off
    assert inbox.disabled_plugins() == {"demo.flaky": off}

    again = inbox.refresh().states["demo.flaky"]
    assert (again.reason, again.message) == ("disabled", off)
    assert called(calls) == MAX_FAILURES  # not called any more
    assert not inbox.can_complete("demo.flaky")

    inbox.enable_plugins()  # what a new sign-in does
    assert inbox.disabled_plugins() == {}
    assert inbox.refresh().states["demo.flaky"].reason == "plugin"
    assert called(calls) == MAX_FAILURES + 1


def test_only_failures_in_a_row_count_and_the_platforms_own_trouble_never(tmp_path, cache):
    platform, calls, mode = counted(tmp_path, "mostly")
    inbox = Inbox(Registry([platform]), cache, lambda p: None)
    for setting in ["fail", "fail", "ok", "fail", "fail", "ok"] + ["offline"] * 5 + ["fail"]:
        mode.write_text(setting)
        state = inbox.refresh().states["demo.mostly"]
        expected = {"ok": "current", "fail": "failed", "offline": "failed"}[setting]
        assert state.state == expected
        if setting == "offline":
            assert state.reason == "network"
    assert state.reason == "plugin"  # not turned off: never three of its own failures in a row
    assert inbox.disabled_plugins() == {}
    assert called(calls) == 12


def test_asking_what_a_failing_plugin_can_do_does_not_forgive_its_failures(tmp_path, cache):
    """The window asks whether a platform's tasks can be marked done (loading the plugin) while
    refreshes run: that answer is no proof the plugin works with its platform."""
    platform, calls, _mode = counted(tmp_path, "probed")
    inbox = Inbox(Registry([platform]), cache, lambda p: None)
    reasons = []
    for _ in range(MAX_FAILURES):
        reasons.append(inbox.refresh().states["demo.probed"].reason)
        assert not inbox.can_complete("demo.probed")  # no complete(): loads, answers, succeeds
    assert reasons == ["plugin"] * (MAX_FAILURES - 1) + ["disabled"]
    assert called(calls) == MAX_FAILURES


def test_time_outs_count_as_failures(tmp_path, release):
    source = PluginSource(plugin(tmp_path, "slowpoke", {"tasks.py": f'''
        class Source:
            def fetch(self, *, base_url, token, timeout):
{textwrap.indent(hang(release), " " * 16)}

        def make(platform):
            return Source()
        '''}))
    reasons = [failure(source, timeout=0.05).reason for _ in range(MAX_FAILURES + 1)]
    assert reasons == ["timeout"] * (MAX_FAILURES - 1) + ["disabled"] * 2
    assert "still busy with fetch" in str(source.plugin.disabled)


def test_a_new_host_starts_with_every_plugin_on(tmp_path, cache):
    platform, _calls, mode = counted(tmp_path, "nextstart")
    first = Inbox(Registry([platform]), cache, lambda p: None)
    for _ in range(MAX_FAILURES):
        first.refresh()
    assert "demo.nextstart" in first.disabled_plugins()
    mode.write_text("ok")
    restarted = Inbox(Registry([platform]), cache, lambda p: None)  # the next start
    assert restarted.refresh().states["demo.nextstart"].state == "current"


def test_the_host_alone(tmp_path):
    """The host for any plugin: ``make`` checks what the entry gave, ``work`` runs on the
    plugin's thread with the time left."""
    folder = tmp_path / "bare"
    folder.mkdir()
    (folder / "mod.py").write_text("def make():\n    return 'made'\n", encoding="utf-8")
    threads: list[str] = []

    def work(made: Any, left: float) -> str:
        threads.append(threading.current_thread().name)
        assert 0 < left <= 5
        return f"{made()} in time"

    bare = Plugin("x.bare", folder, "mod:make", lambda factory: factory)
    assert not bare.loaded
    assert bare.call("call", work, 5) == "made in time"
    assert bare.loaded and threads == ["plugin-x.bare"]

    def refuse(factory: Any) -> Any:
        raise PluginError("mod:make: not what a bare plugin should be")

    with pytest.raises(PluginError) as caught:
        Plugin("x.refused", folder, "mod:make", refuse).call("call", work, 5)
    assert (caught.value.reason, str(caught.value)) == (
        "plugin", "mod:make: not what a bare plugin should be")


def test_a_plugins_due_time_without_a_zone_is_china_time(tmp_path):
    source = PluginSource(plugin(tmp_path, "naive", {"tasks.py": RETURNING.format(
        answer="[TaskItem('x', '1', 't', '', due=datetime(2026, 11, 20, 17, 0))]")}))
    [task] = source.fetch(token=None, timeout=5)
    assert task.due == datetime(2026, 11, 20, 9, 0, tzinfo=UTC)



# -- API 1: the context, the declared version, the errors a plugin raises -----------------------

V1_SOURCE = '''
from launcher.api import PluginContext, Refused, SignedOut, TaskItem

LAUNCHER_API = 1
SEEN = {}


class Source:
    def __init__(self, context):
        self.context = context

    def fetch(self, *, timeout):
        context = self.context
        SEEN.update(kind=type(context).__module__, claims=dict(context.claims),
                    folder=str(context.data_dir), logger=context.log.name)
        answer = context.session.get(context.url("/api/tasks"), timeout=timeout)
        if answer.status_code == 401:
            raise SignedOut("token refused")
        if answer.status_code == 409:
            raise Refused(answer.json()["msg"])
        answer.raise_for_status()
        return [TaskItem("x", str(row["id"]), row["title"], f"t/{row['id']}")
                for row in answer.json()["rows"]]

    def complete(self, task_id, *, timeout):
        raise Refused("该事项已被他人办结")


def make(context):
    return Source(context)
'''


def v1_plugin(tmp_path: Path, server_url: str, source: str = V1_SOURCE,
              name: str = "vone") -> Platform:
    platform = make_platform(tmp_path, server_url, plugin_id=f"demo.{name}",
                             tasks='kind = "python"\nentry = "tasks:make"', timeout=5)
    (platform.manifest.folder / "tasks.py").write_text(textwrap.dedent(source), encoding="utf-8")
    return platform


def test_an_api_1_plugin_gets_a_context_signed_in_and_the_person(tmp_path: Path, server) -> None:
    """The factory gets the api's PluginContext, never a core type; its session carries the bearer
    token of the call; the claims, logger and a data folder per account are the plugin's."""
    from _local_http import Route

    server.routes["/api/tasks"] = Route(body=json.dumps(
        {"rows": [{"id": 7, "title": "走访"}]}).encode(), bearer="tok-1")
    platform = v1_plugin(tmp_path, server.url)
    host = PluginHost(data_root=tmp_path / "data")
    host.meet({"sub": "u-1", "name": "张三"})
    source = PluginSource(platform, host)
    [task] = source.fetch(token="tok-1", timeout=5)
    assert (task.id, task.title, task.url) == ("7", "走访", f"{server.url}/t/7")
    seen = sys.modules[f"{source.plugin.package}.tasks"].SEEN
    assert seen["kind"] == "launcher.api._context"
    assert seen["claims"] == {"sub": "u-1", "name": "张三"}
    assert seen["logger"] == "launcher.plugin.demo.vone"
    folder = Path(seen["folder"])
    assert folder.is_dir() and folder.parent.parent == tmp_path / "data"
    assert folder.name == "demo.vone" and folder.parent.name.startswith("person-")
    assert source.plugin.api == 1
    # Another person: another folder; the token of the moment is the one sent.
    host.meet({"sub": "u-2"})
    with pytest.raises(SourceError) as refused:
        source.fetch(token="stale", timeout=5)
    assert refused.value.reason == "signed-out" and "stale" not in str(refused.value)
    assert Path(sys.modules[f"{source.plugin.package}.tasks"].SEEN["folder"]) != folder


def test_web_session_credentials_reach_the_platform_and_stay_unshown(tmp_path: Path,
                                                                      server) -> None:
    """Credentials of a web session (a token header, cookies) go on the context's session, to the
    platform's host; the plugin's error text never shows them."""
    from launcher.api import Credentials

    server.json("/api/tasks", {"rows": []})
    platform = v1_plugin(tmp_path, server.url)
    source = PluginSource(platform, PluginHost(data_root=tmp_path))
    held = Credentials(headers={"Admin-Token": "adm-9"}, cookies={"JSESSIONID": "c-5"})
    assert source.fetch(token=None, timeout=5, credentials=held) == []
    headers = server.seen[-1].headers
    assert headers["Admin-Token"] == "adm-9" and "JSESSIONID=c-5" in headers["Cookie"]
    assert "Authorization" not in headers
    assert repr(held) == "Credentials(headers, cookies)"


@pytest.mark.parametrize(("status", "body", "reason", "shown"), [
    (401, b"{}", "signed-out", "token refused"),
    (409, '{"msg": "已办结"}'.encode(), "refused", "已办结"),
    (403, b"{}", "signed-out", "403"),
    (500, b"{}", "platform", "500"),
    (404, b"{}", "plugin", "404"),
    (200, b"<html>", "unreadable", "JSONDecodeError"),
])
def test_what_an_api_1_plugin_raises_keeps_its_meaning(tmp_path: Path, server, status: int,
                                                       body: bytes, reason: str,
                                                       shown: str) -> None:
    server.raw("/api/tasks", body, status=status)
    source = PluginSource(v1_plugin(tmp_path, server.url), PluginHost(data_root=tmp_path))
    with pytest.raises(SourceError) as failed:
        source.fetch(token="tok-abc", timeout=5)
    assert failed.value.reason == reason and shown in str(failed.value)


def test_an_api_1_refusal_to_mark_done_shows_the_platforms_words(tmp_path: Path,
                                                                  server) -> None:
    source = PluginSource(v1_plugin(tmp_path, server.url), PluginHost(data_root=tmp_path))
    assert source.can_complete
    with pytest.raises(SourceError) as refused:
        source.complete("7", token="tok-abc", timeout=5)
    assert refused.value.reason == "refused" and "该事项已被他人办结" in str(refused.value)


@pytest.mark.parametrize(("declared", "words"), [
    ("2", ["plugin demo.vone", "written for launcher API 2", "provides API 1",
           "update the launcher"]),
    ("-1", ["launcher API -1", "provides API 1", "update the plugin"]),
    ('"1"', ["LAUNCHER_API must be a whole number", "not str"]),
    ("True", ["not bool"]),
])
def test_a_plugin_for_another_api_is_not_run_and_says_why(tmp_path: Path, server, declared: str,
                                                          words: list[str]) -> None:
    made: list[str] = []
    source_text = V1_SOURCE.replace("LAUNCHER_API = 1", f"LAUNCHER_API = {declared}").replace(
        "def make(context):", "def make(context):\n    MADE.append(1)")
    platform = v1_plugin(tmp_path, server.url, "MADE = []\n" + source_text)
    source = PluginSource(platform, PluginHost(data_root=tmp_path))
    with pytest.raises(SourceError) as failed:
        source.fetch(token="tok-abc", timeout=5)
    assert failed.value.reason == "plugin"
    for word in words:
        assert word in str(failed.value)
    assert made == [] and not source.plugin.loaded  # its factory never ran


def test_a_plugin_without_a_declared_version_is_called_as_before_api_1(tmp_path: Path) -> None:
    """Plugins written before API 1 keep working: ``fetch(*, base_url, token, timeout)``; their
    factory gets the context, which still has the ``id`` they may read."""
    platform = plugin(tmp_path, "legacy", {"tasks.py": '''
        from launcher.api import TaskItem

        class Source:
            def __init__(self, platform):
                self.id = platform.id

            def fetch(self, *, base_url, token, timeout):
                return [TaskItem("x", "1", f"{self.id} {token}", base_url + "/t/1")]

        def make(platform):
            return Source(platform)
        '''})
    source = PluginSource(platform, PluginHost(data_root=tmp_path))
    [task] = source.fetch(token="tok", timeout=5)
    assert task.title == "demo.legacy tok" and source.plugin.api == 0


PERSONAL = '''
from launcher.api import TaskItem

LAUNCHER_API = 1


class Source:
    def __init__(self, context):
        self.context = context

    def fetch(self, *, timeout):
        who = self.context.claims.get("preferred_username", "nobody")
        auth = self.context.session.headers.get("Authorization", "none")
        folder = self.context.data_dir.name
        return [TaskItem("demo.personal", "1", f"{who} {auth} {folder}", "")]


def make(context):
    return Source(context)
'''


def test_a_plugin_sees_the_person_signed_in_now_and_their_token(tmp_path, cache):
    """The inbox hands the person's claims to the plugins at each refresh: a plugin's context
    names whoever is signed in now, never the previous person."""
    platform = plugin(tmp_path, "personal", {"tasks.py": PERSONAL})
    person = {"sub": "zw-sub", "preferred_username": "zhangwei"}
    inbox = Inbox(Registry([platform]), cache, lambda p: "tok-1", person=lambda: person)
    first = inbox.refresh().tasks[0].title
    assert first == "zhangwei Bearer tok-1 demo.personal"
    person = {"sub": "ln-sub", "preferred_username": "lina"}
    assert inbox.refresh().tasks[0].title.startswith("lina Bearer tok-1")
