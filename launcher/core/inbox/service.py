"""The merged inbox: every platform's tasks refreshed side by side, each failure kept to itself."""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import FIRST_COMPLETED, Future, wait
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Protocol

from launcher.api import TaskItem
from launcher.core.errors import AuthError, LauncherError, SourceError
from launcher.core.inbox.cache import SyncState, TaskCache
from launcher.core.inbox.limits import MAX_TASKS, bounded_message, bounded_tasks
from launcher.core.model import Credentials
from launcher.core.plugins.host import PluginHost
from launcher.core.registry import Platform, Registry
from launcher.core.states import FailureReason, PlatformStatus

if TYPE_CHECKING:
    # Imported on the first refresh (sources.py brings in requests): opening the county and
    # showing the cached tasks at start-up need none of it.
    from launcher.core.inbox.sources import Source, Synced

log = logging.getLogger(__name__)

STATES = tuple(PlatformStatus)
REFRESHING = PlatformStatus.REFRESHING
"""The state of a platform still being refreshed, in ``on_progress`` results (its message says
the same, for whoever reads a log)."""
GRACE = 1.0
"""Seconds a refresh waits past a platform's deadline for its source to report the timeout
itself (the source's connections are cut at the deadline; a plugin may ignore it)."""


class PlatformSession(Protocol):
    """A session-bound platform's web session: what its API is read with."""

    @property
    def cookies(self) -> dict[str, str]: ...

    @property
    def token(self) -> str: ...


class WebSessions(Protocol):
    """The session-bound platforms' web sessions (launcher/core/auth/web_session.py's
    ``WebSessions``; the inbox does not import the identity package)."""

    def applies(self, platform: Platform) -> bool: ...

    def session_for(self, platform: Platform) -> PlatformSession: ...

    def drop(self, platform_id: str) -> None: ...


@dataclass(frozen=True)
class PlatformState:
    platform_id: str
    state: PlatformStatus
    """``current`` (refreshed now), ``stale`` (from the cache), ``failed``, ``unknown`` (never),
    ``refreshing`` (still being waited for, in a running refresh's partial results)."""
    reason: FailureReason | None
    """The SourceError reason when failed: network, timeout, signed-out, platform, …"""
    message: str
    """English technical detail for logs and tooltips (never a token)."""
    updated: datetime | None
    """The last successful refresh."""
    count: int
    """Pending tasks known for the platform (cached ones when it failed)."""
    more: bool = False
    """The platform listed more than ``limits.MAX_TASKS`` tasks: only the first are kept."""


@dataclass(frozen=True)
class RefreshResult:
    tasks: list[TaskItem]
    """Every platform's tasks: fresh where the refresh worked, cached otherwise."""
    states: dict[str, PlatformState]


@dataclass(frozen=True)
class _Fetched:
    tasks: list[TaskItem]
    """The platform's whole list: an answer of changes merged into the cache, or the cache kept."""
    skipped: int
    not_modified: bool = False
    sync: SyncState | None = None
    more: bool = False


class Inbox:
    """Refreshes the task sources of a registry's platforms into a TaskCache.

    Platforms without a ``[tasks]`` table have no inbox and no state.

    ``token_for`` gives a platform's access token; when the platform refuses it (HTTP 401/403, or a
    redirect to a login page), ``invalidate`` forgets it and the fetch is tried once more with a
    fresh token. A second refusal leaves that platform ``signed-out``; the others are untouched.

    A session-bound platform (``[auth.session]``) is read with its web session instead of a
    token: ``web_sessions`` gives it (its token as the token, its cookies on the source), and a
    refusal drops it for one renewed session (launcher/core/auth/web_session.py).
    """

    def __init__(self, registry: Registry, cache: TaskCache,
                 token_for: Callable[[Platform], str | None], *, max_workers: int = 16,
                 invalidate: Callable[[Platform], None] | None = None,
                 credentials: Callable[[str], Credentials | None] | None = None,
                 person: Callable[[], Mapping[str, str]] | None = None) -> None:
        self._registry = registry
        self._credentials = credentials
        self._person = person
        self._cache = cache
        self._token_for = token_for
        self._invalidate = invalidate
        self.web_sessions: WebSessions | None = None
        """The session-bound platforms' web sessions (set once, when the county opens)."""
        # A slot for every platform: with fewer, a county of 30 platforms would refresh in two
        # waves, taking twice the slowest platform's latency (benchmarks/refresh_concurrency.py).
        self._slots = threading.BoundedSemaphore(max(max_workers, len(self.platforms)))
        self._sources: dict[str, Source] = {}
        self._busy: dict[str, threading.Lock] = {}
        self._last: dict[str, PlatformState] = {}
        self._lock = threading.Lock()
        # The session's Python plugins: each on its own thread; one that keeps failing is turned
        # off until ``enable_plugins`` (a new sign-in) or the next start.
        self._plugins = PluginHost()

    @property
    def platforms(self) -> list[Platform]:
        return [p for p in self._registry.platforms if p.manifest.tasks is not None]

    def cached(self) -> RefreshResult:
        """What the cache holds, without touching the network: every platform stale or unknown."""
        tasks = self._cached_tasks()
        fetched = self._cache.fetched_at()
        counts = _counts(tasks)  # one pass: start-up shows 10,000 cached tasks of 30 platforms
        states = {}
        for platform in self.platforms:
            count = counts.get(platform.id, 0)
            when = fetched.get(platform.id)
            if when is None:
                states[platform.id] = PlatformState(platform.id, PlatformStatus.UNKNOWN, None,
                                                    "never refreshed", None, count)
            else:
                states[platform.id] = PlatformState(platform.id, PlatformStatus.STALE, None,
                                                    "from the cache", when, count)
        return RefreshResult(tasks, states)

    def refresh(self, platform_ids: Iterable[str] | None = None, *,
                on_state: Callable[[PlatformState], None] | None = None,
                on_progress: Callable[[RefreshResult], None] | None = None,
                progress_interval: float = 0.25) -> RefreshResult:
        """Refresh the given platforms (all by default) at once; blocks, so call it off the GUI.

        Each platform gets its own deadline (its manifest's ``timeout`` from now, for the token,
        the answer and every page of it); one that fails or hangs keeps its cached tasks and is
        reported failed by its deadline (``GRACE`` seconds later at most, for a plugin that
        ignores it), and never holds back the others' results.
        ``on_state`` is called (on this thread) as each platform finishes, for progress display.
        ``on_progress`` gets the whole inbox as it stands (finished platforms fresh, the others
        from the cache) while platforms are still outstanding, at most once per
        ``progress_interval`` seconds: a window shows the fast platforms' tasks without waiting
        for a slow one to answer or time out.
        """
        wanted = set(platform_ids) if platform_ids is not None else None
        targets = [p for p in self.platforms if wanted is None or p.id in wanted]
        self._meet_person()
        started = time.monotonic()
        pending = {self._spawn(p, started + self._timeout(p)): p for p in targets}
        fresh: dict[str, list[TaskItem]] = {}
        fetched = self._cache.fetched_at()
        cached = self._cached_tasks()
        cached_counts = _counts(cached)
        last_progress = started

        def settle(platform: Platform, future: Future[_Fetched] | None) -> None:
            if future is None:
                state = self._failed(platform, SourceError(
                    f"no answer within {self._timeout(platform):g} s", FailureReason.TIMEOUT),
                    fetched, cached_counts)
            else:
                try:
                    outcome = future.result()
                except SourceError as exc:
                    state = self._failed(platform, exc, fetched, cached_counts)
                else:
                    fresh[platform.id] = outcome.tasks
                    state = self._stored(platform, outcome)
            with self._lock:
                self._last[platform.id] = state
            if on_state is not None:
                on_state(state)

        # Report platforms as they finish; give up on each at its own guard deadline.
        while pending:
            now = time.monotonic()
            for future, platform in list(pending.items()):
                if not future.done() and self._deadline(platform, started) <= now:
                    del pending[future]
                    settle(platform, None)
            if not pending:
                break
            soonest = min(self._deadline(p, started) for p in pending.values())
            done, _ = wait(pending, timeout=max(soonest - now, 0.0), return_when=FIRST_COMPLETED)
            for future in done:
                settle(pending.pop(future), future)
            if on_progress is not None and pending and fresh:
                moment = time.monotonic()
                if moment - last_progress >= progress_interval:
                    last_progress = moment
                    tasks = self._merge(fresh, cached)
                    states = self._states(tasks)
                    for platform in pending.values():  # still outstanding: shown from the cache
                        old = states[platform.id]
                        states[platform.id] = PlatformState(
                            platform.id, REFRESHING, None, REFRESHING, fetched.get(platform.id),
                            old.count)
                    on_progress(RefreshResult(tasks, states))

        return RefreshResult(*self._final(fresh))

    def _final(
        self, fresh: dict[str, list[TaskItem]]
    ) -> tuple[list[TaskItem], dict[str, PlatformState]]:
        tasks = self._merge(fresh, self._cached_tasks())
        return tasks, self._states(tasks)

    def _merge(self, fresh: dict[str, list[TaskItem]], cached: list[TaskItem]) -> list[TaskItem]:
        """Fresh tasks where a platform answered, cached ones for the others, in registry order."""
        by_platform: dict[str, list[TaskItem]] = {}
        for task in cached:
            by_platform.setdefault(task.platform, []).append(task)
        tasks: list[TaskItem] = []
        for platform in self.platforms:
            tasks.extend(fresh[platform.id] if platform.id in fresh
                         else by_platform.get(platform.id, ()))
        return tasks

    def complete(self, platform_id: str, task_id: str) -> None:
        """Mark a task done on its platform; blocks (network), so call it off the GUI thread.

        The source makes the change and re-reads the platform to confirm the task is gone; only
        then is the cache updated to that re-read list. A refusal (reason ``refused``: not
        allowed, the task vanished, still listed as open), a network failure, or a source that
        cannot mark tasks done (``unsupported``) raises SourceError and leaves the cache as it was.
        """
        platform = self._registry.get(platform_id)
        if platform is None or platform.manifest.tasks is None:
            raise ValueError(f"{platform_id!r} is not a platform with an inbox")
        self._meet_person()
        source = self._source(platform)
        complete = getattr(source, "complete", None)
        if complete is None:
            raise SourceError(f"{platform.id}: tasks cannot be marked done from the launcher",
                              FailureReason.UNSUPPORTED)
        timeout = self._timeout(platform)
        with self._lock:
            busy = self._busy.setdefault(platform.id, threading.Lock())
        # Not beside a refresh of the same platform: its older answer must not bring the task back.
        if not busy.acquire(timeout=2 * timeout):
            raise SourceError("a refresh of the platform is still running", FailureReason.TIMEOUT)
        try:
            token = self._api_credentials(platform, source)
            try:
                tasks = complete(task_id, token=token, timeout=timeout)
            except SourceError as exc:
                if exc.reason != FailureReason.SIGNED_OUT or not self._renewable(platform, token):
                    raise
                log.info("%s refused its access token (%s); trying a fresh one", platform.id, exc)
                self._renew(platform)
                tasks = complete(task_id, token=self._api_credentials(platform, source),
                                 timeout=timeout)
            state = self._stored(platform, self._bounded(
                platform, _Fetched(list(tasks), source.skipped, more=_more(source))))
        finally:
            busy.release()
        with self._lock:
            self._last[platform.id] = state

    def can_complete(self, platform_id: str) -> bool:
        """True when the platform's tasks can be marked done from the launcher: a rest-json
        source with ``[tasks.done]``, a CalDAV one, a plugin with ``complete``. May import the
        plugin: call it off the GUI thread."""
        platform = self._registry.get(platform_id)
        if platform is None or platform.manifest.tasks is None:
            return False
        source = self._source(platform)
        able = getattr(source, "can_complete", None)
        return able if isinstance(able, bool) else callable(getattr(source, "complete", None))

    def enable_plugins(self) -> None:
        """Turn on again the plugins turned off for failing again and again (a new sign-in):
        the next refresh tries them once more."""
        self._plugins.enable_all()

    def disabled_plugins(self) -> dict[str, str]:
        """Platform id -> why its plugin is turned off, for each one turned off this session."""
        return self._plugins.disabled()

    def _timeout(self, platform: Platform) -> float:
        spec = platform.manifest.tasks
        return spec.timeout if spec is not None else 10.0

    def _deadline(self, platform: Platform, started: float) -> float:
        # The source cuts its own connections at the deadline and reports the timeout; this guard
        # covers a plugin that ignores its timeout altogether (its thread is abandoned).
        return started + self._timeout(platform) + GRACE

    def _spawn(self, platform: Platform, deadline: float) -> Future[_Fetched]:
        """Run one platform's fetch on a daemon thread.

        Not a ThreadPoolExecutor: its threads are joined when Python exits, so a plugin that never
        returns would keep the launcher from quitting. Daemon threads are simply abandoned.
        """
        # A bare Future, completed by the thread, lets concurrent.futures.wait() watch these
        # threads exactly as it would pool workers.
        future: Future[_Fetched] = Future()
        future.set_running_or_notify_cancel()

        def work() -> None:
            with self._slots:
                try:
                    future.set_result(self._fetch(platform, deadline))
                except SourceError as exc:
                    future.set_exception(exc)
                except Exception as exc:  # the guard: nothing a source does escapes as a crash
                    log.exception("task source of %s failed", platform.id)
                    future.set_exception(SourceError(f"{type(exc).__name__}: {exc}",
                                                     FailureReason.PLUGIN))

        threading.Thread(target=work, name=f"inbox-{platform.id}", daemon=True).start()
        return future

    def _fetch(self, platform: Platform, deadline: float) -> _Fetched:
        """The platform's tasks, all of it (token, answer, pages) by ``deadline`` (monotonic)."""
        timeout = self._timeout(platform)
        with self._lock:
            busy = self._busy.setdefault(platform.id, threading.Lock())
        # One fetch per platform at a time: a second refresh waits for the first, not beside it.
        if not busy.acquire(timeout=max(deadline - time.monotonic(), 0.0)):
            raise SourceError("the previous refresh is still running", FailureReason.TIMEOUT)
        try:
            from launcher.core.inbox.sources import RestJsonSource, Synced

            source = self._source(platform)
            token = self._api_credentials(platform, source)

            def run(token: str | None) -> Synced:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise SourceError(f"no answer within {timeout:g} s", FailureReason.TIMEOUT)
                if isinstance(source, RestJsonSource):
                    # ETag and `since` from the last refresh: only what changed comes back.
                    state = self._cache.sync_state(platform.id)
                    return source.sync(state, token=token, timeout=left)
                return Synced(source.fetch(token=token, timeout=left), more=_more(source))

            try:
                synced = run(token)
            except SourceError as exc:
                if exc.reason != FailureReason.SIGNED_OUT or not self._renewable(platform, token):
                    raise
                # The platform refused a token we thought valid (revoked, or its keys changed):
                # one fresh token, one more try; a second refusal stands.
                log.info("%s refused its access token (%s); trying a fresh one", platform.id, exc)
                self._renew(platform)
                synced = run(self._api_credentials(platform, source))
            return self._bounded(platform, self._merged(platform, synced, source.skipped))
        finally:
            busy.release()

    def _bounded(self, platform: Platform, fetched: _Fetched) -> _Fetched:
        """``fetched`` within limits.py's bounds: every source's tasks (REST, CalDAV, a plugin's)
        pass here on their way to the cache and the window."""
        tasks, dropped, more = bounded_tasks(fetched.tasks, platform.home)
        return _Fetched(tasks, fetched.skipped + dropped, fetched.not_modified, fetched.sync,
                        fetched.more or more)

    def _merged(self, platform: Platform, synced: Synced, skipped: int) -> _Fetched:
        """The platform's whole list after this answer (runs under the platform's busy lock)."""
        if not synced.not_modified and not synced.changes_only:
            return _Fetched(synced.tasks, skipped, sync=synced.sync, more=synced.more)
        known = {t.id: t for t in self._cache.load() if t.platform == platform.id}
        if synced.not_modified:
            return _Fetched(list(known.values()), skipped, not_modified=True, sync=synced.sync)
        # Changes only: a changed item replaces its cached self in place, a new one is added at
        # the end, and one reported with a closed status leaves (see docs/manifest.md, `since`).
        for task_id in synced.removed:
            known.pop(task_id, None)
        for task in synced.tasks:
            known[task.id] = task
        return _Fetched(list(known.values()), skipped, sync=synced.sync, more=synced.more)

    def _meet_person(self) -> None:
        """Plugins see the person signed in now (their claims, their own data folders)."""
        claims = dict(self._person()) if self._person is not None else {}
        if claims != dict(self._plugins.claims):
            self._plugins.meet(claims)

    def _api_credentials(self, platform: Platform, source: Source) -> str | None:
        """What the platform's API is read with: a session-bound platform's web session (its
        cookies set on a REST source, its token returned), else the platform's access token."""
        sessions = self.web_sessions
        if sessions is None or not sessions.applies(platform):
            return self._token(platform)
        try:
            session = sessions.session_for(platform)
        except LauncherError as exc:  # e.g. the keyring is locked
            if isinstance(exc, SourceError):
                raise
            raise SourceError(f"no web session: {exc}", FailureReason.SIGNED_OUT) from None
        from launcher.core.inbox.plugin_source import PluginSource
        from launcher.core.inbox.rest_source import RestJsonSource

        if isinstance(source, RestJsonSource | PluginSource):
            source.cookies = dict(session.cookies)
        return session.token or None

    def _renewable(self, platform: Platform, token: str | None) -> bool:
        """Whether a refusal may be answered with fresh credentials and one more try."""
        if self.web_sessions is not None and self.web_sessions.applies(platform):
            return True
        return token is not None and self._invalidate is not None

    def _renew(self, platform: Platform) -> None:
        """Forget the credentials the platform refused: the next ones are fresh."""
        if self.web_sessions is not None and self.web_sessions.applies(platform):
            self.web_sessions.drop(platform.id)
        elif self._invalidate is not None:
            self._invalidate(platform)

    def _token(self, platform: Platform) -> str | None:
        try:
            return self._token_for(platform)
        except AuthError as exc:
            raise SourceError(f"no token: {exc}", exc.source_reason()) from None
        except LauncherError as exc:  # e.g. the keyring is locked
            raise SourceError(f"no token: {exc}", FailureReason.SIGNED_OUT) from None

    def _source(self, platform: Platform) -> Source:
        from launcher.core.inbox.sources import source_for

        with self._lock:
            source = self._sources.get(platform.id)
            if source is None:
                source = self._sources[platform.id] = source_for(
                    platform, credentials=self._credentials, plugins=self._plugins,
                    person=self._person)
            return source

    def _stored(self, platform: Platform, outcome: _Fetched) -> PlatformState:
        now = datetime.now(UTC)
        message = f"{len(outcome.tasks)} tasks"
        if outcome.not_modified:
            message = f"not modified; {message}"
        if outcome.skipped:
            message += f"; {outcome.skipped} items without id or title skipped"
        if outcome.more:
            message += f"; more listed, only the first {MAX_TASKS} kept"
        try:
            if outcome.not_modified:
                self._cache.touch(platform.id, now, outcome.sync)
            else:
                self._cache.replace(platform.id, outcome.tasks, now, outcome.sync)
        except (sqlite3.Error, OSError) as exc:
            log.warning("tasks of %s not cached: %s", platform.id, exc)
            message += f"; not cached ({exc})"
        log.info("inbox %s: %s", platform.id, message)
        return PlatformState(platform.id, PlatformStatus.CURRENT, None, message, now, len(outcome.tasks),
                             outcome.more)

    def _failed(self, platform: Platform, exc: SourceError, fetched: dict[str, datetime],
                counts: dict[str, int]) -> PlatformState:
        # The message may quote the platform (a reason phrase, its error text): bounded.
        message = bounded_message(str(exc))
        log.warning("inbox %s failed (%s): %s", platform.id, exc.reason, message)
        return PlatformState(platform.id, PlatformStatus.FAILED, exc.reason, message,
                             fetched.get(platform.id), counts.get(platform.id, 0))

    def _states(self, tasks: list[TaskItem]) -> dict[str, PlatformState]:
        counts: dict[str, int] = {}
        for task in tasks:
            counts[task.platform] = counts.get(task.platform, 0) + 1
        fetched = self._cache.fetched_at()
        states: dict[str, PlatformState] = {}
        with self._lock:
            last = dict(self._last)
        for platform in self.platforms:
            state = last.get(platform.id)
            if state is None:
                when = fetched.get(platform.id)
                kind, message = ((PlatformStatus.STALE, "from the cache") if when
                                 else (PlatformStatus.UNKNOWN, "never refreshed"))
                state = PlatformState(platform.id, kind, None, message, when, 0)
            states[platform.id] = PlatformState(state.platform_id, state.state, state.reason,
                                                state.message, state.updated,
                                                counts.get(platform.id, 0), state.more)
        return states

    def _cached_tasks(self) -> list[TaskItem]:
        known = {p.id for p in self.platforms}
        return [t for t in self._cache.load() if t.platform in known]



def _more(source: object) -> bool:
    """Whether a source's last answer listed more than ``MAX_TASKS`` (False for a source that
    does not say)."""
    return getattr(source, "more", False) is True


def _counts(tasks: Iterable[TaskItem]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for task in tasks:
        counts[task.platform] = counts.get(task.platform, 0) + 1
    return counts
