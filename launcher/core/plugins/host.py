"""Running plugins' code apart from the launcher and from each other.

A plugin is code the county wrote; it may hang, raise anything, call ``sys.exit`` or return
nonsense. The host keeps all of that the plugin's own failure:

- Each plugin has its own thread (a daemon: one that never returns does not keep the launcher
  from quitting), started on its first call and ended after a while without calls. Every call of
  its code runs there, one at a time: the import (on first use, see loader.py), its factory and
  every later call. Nothing the host holds while plugin code runs is shared with another plugin,
  so a plugin that hangs delays only itself.
- Every call has a time-out. A caller waits ``timeout`` plus ``GRACE`` seconds at most, then gives
  the call up (its thread cannot be stopped: it is abandoned, and the plugin's later calls wait
  behind it and time out in turn).
- Whatever the plugin raises (any ``BaseException``: ``SystemExit`` from ``sys.exit``,
  ``KeyboardInterrupt`` it raises itself) becomes a ``PluginError`` naming what happened; its
  text is read on the plugin's thread, so no plugin object (an exception, a returned value)
  reaches another thread: the ``work`` a caller passes makes plain values of what the plugin
  returned, on the plugin's thread too.
- ``MAX_FAILURES`` failures or time-outs in a row turn the plugin off for the session: calls fail
  at once with reason ``disabled`` and the reason it was turned off, until ``enable`` (a new
  sign-in) or the next start.
"""

from __future__ import annotations

import hashlib
import logging
import queue
import re
import threading
import time
import traceback
from collections.abc import Callable, Mapping
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, TypeVar

from launcher.core.errors import LauncherError
from launcher.core.paths import folder, private_dir
from launcher.core.plugins.loader import entry_module, forget, load_entry, package_name
from launcher.core.plugins.versions import ApiVersionError, declared_api
from launcher.core.states import FailureReason

log = logging.getLogger(__name__)

__all__ = ["GRACE", "MAX_FAILURES", "Plugin", "PluginError", "PluginHost", "describe"]

T = TypeVar("T")

MAX_FAILURES = 3
"""Failures or time-outs in a row after which a plugin is turned off for the session."""
GRACE = 1.0
"""Seconds a caller waits past a call's time-out for the plugin to keep to it."""
IDLE = 30.0
"""Seconds a plugin's thread waits for the next call before it ends (the next call starts one)."""
REASONS = (FailureReason.PLUGIN, FailureReason.TIMEOUT, FailureReason.DISABLED)
"""The reasons a PluginError gives: members of the task sources' vocabulary, so a plugin's
failure is shown as its ``SourceError`` with the same reason (launcher/core/inbox/sources.py)."""
MAX_TEXT = 500
"""A plugin's error text is cut after this many characters."""
MAX_TRACE = 4000
"""The plugin's traceback in the log is cut after this many characters."""
DATA_FOLDER = "plugin-data"
"""The folder of the plugins' data folders, in the launcher's data folder."""
NOBODY = "nobody"
"""The account folder while nobody is signed in."""


class PluginError(LauncherError):
    """A plugin failed: what it raised, what it returned, that it hung, or that it is off.

    ``reason`` is one of ``REASONS``: ``PLUGIN`` (it raised or returned something wrong),
    ``TIMEOUT`` (no answer in time) or ``DISABLED`` (turned off for this session after failing
    again and again). Any other raises ``ValueError``. A plugin's code may raise a PluginError
    of its own: the host makes it anew with one of these (``_plain``).
    """

    def __init__(self, message: str, reason: FailureReason = FailureReason.PLUGIN) -> None:
        if reason not in REASONS:
            raise ValueError(f"not a plugin failure's reason: {reason!r}")
        self.reason = FailureReason(reason)
        super().__init__(message)


def describe(exc: BaseException) -> str:
    """``exc`` in one bounded line (``KeyError: 'county_code'``). Call it on the plugin's thread:
    reading the text of a plugin's exception runs the plugin's code."""
    if isinstance(exc, SystemExit):
        return f"called sys.exit({_text(lambda: repr(exc.code))})"
    name = type(exc).__name__
    text = _text(lambda: str(exc))
    return _cut(f"{name}: {text}" if text else name)


def _text(read: Callable[[], str]) -> str:
    try:
        text = str.__str__(read())  # a plain str, whatever subclass the plugin made
    except Exception:
        return "(its text could not be read)"
    return " ".join(text[: MAX_TEXT * 2].split())


def _cut(text: str) -> str:
    return text if len(text) <= MAX_TEXT else text[: MAX_TEXT - 1] + "…"


@dataclass
class _Call:
    what: str
    work: Callable[[Any, float], Any]
    timeout: float
    deadline: float
    future: Future[Any] = field(default_factory=Future)
    started: float | None = None


class Plugin:
    """One plugin of a session: its object, loaded on first use, and its own thread.

    ``make`` turns the entry's attribute into the plugin's object (for a task source: calls the
    factory with the plugin's context and checks that the result has ``fetch``); it runs on the
    plugin's thread, after the declared API version was checked (``api``), and may raise
    ``PluginError`` for a result that will not do.
    """

    def __init__(self, plugin_id: str, folder: Path, entry: str, make: Callable[[Any], Any],
                 *, max_failures: int = MAX_FAILURES) -> None:
        self.id = plugin_id
        self.folder = folder
        self.entry = entry
        self.package: str | None = None
        """The package the plugin was imported as, once loaded (``yiduantong_plugins.…``)."""
        self.api: int | None = None
        """The ``launcher.api`` version its entry's module declares (versions.py), once read:
        set before ``make`` runs, so ``make`` knows how to call the plugin."""
        self._make = make
        self._max_failures = max_failures
        self._object: Any = None  # the plugin's object: touched on the plugin's thread only
        self._calls: queue.SimpleQueue[_Call] = queue.SimpleQueue()
        # Guards the fields below. Never held while plugin code runs, and each plugin has its own.
        self._lock = threading.Lock()
        self._serving = False
        self._current: _Call | None = None
        self._failures = 0
        self._disabled: str | None = None

    @property
    def loaded(self) -> bool:
        return self.package is not None

    @property
    def disabled(self) -> str | None:
        """Why the plugin is turned off for this session, or None while it is on."""
        with self._lock:
            return self._disabled

    def enable(self) -> None:
        """Turn the plugin on again (a new sign-in): its failures so far are forgiven."""
        with self._lock:
            if self._disabled is not None:
                log.info("plugin %s turned on again", self.id)
            self._disabled, self._failures = None, 0

    def call(self, what: str, work: Callable[[Any, float], T], timeout: float, *,
             probe: bool = False) -> T:
        """``work(plugin_object, seconds_left)`` on the plugin's thread, loading the plugin first
        if this is its first use; returns what ``work`` returns.

        A ``probe`` (loading it, asking what it can do) that succeeds is no proof that the plugin
        works with its platform: it does not forgive the failures in a row so far.

        ``timeout`` covers the loading and the call; ``work`` gets what is left of it. Raises
        ``PluginError``: whatever the plugin (or ``work``) raised, ``timeout`` when no answer came
        ``GRACE`` seconds after the time-out, ``disabled`` when the plugin is turned off (or this
        failure turned it off).
        """
        with self._lock:
            if self._disabled is not None:
                raise PluginError(self._disabled, FailureReason.DISABLED)
            started = time.monotonic()
            job = _Call(what, work, timeout, started + timeout)
            self._calls.put(job)
            if not self._serving:
                self._serving = True
                threading.Thread(target=self._serve, name=f"plugin-{self.id}",
                                 daemon=True).start()
        try:
            value: T = job.future.result(timeout=max(timeout, 0.0) + GRACE)
        except TimeoutError:
            failure = self._late(job)
        except PluginError as exc:
            failure = exc
        else:
            if not probe:
                with self._lock:
                    self._failures = 0
            return value
        raise self._failed(failure)

    def _late(self, job: _Call) -> PluginError:
        """The failure of a call that did not come back in time."""
        if job.future.cancel():  # it never started: an earlier call still holds the thread
            with self._lock:
                current = self._current
            since = f" for {time.monotonic() - current.started:.0f} s" if (
                current is not None and current.started is not None) else ""
            busy = current.what if current is not None else "an earlier call"
            return PluginError(f"{self.entry}: still busy with {busy}, which has not returned"
                               f"{since}", FailureReason.TIMEOUT)
        return PluginError(f"{self.entry}: {job.what} did not return within "
                           f"{job.timeout:g} s", FailureReason.TIMEOUT)

    def _failed(self, failure: PluginError) -> PluginError:
        with self._lock:
            if self._disabled is not None:
                return PluginError(self._disabled, FailureReason.DISABLED)
            self._failures += 1
            if self._failures < self._max_failures:
                return failure
            self._disabled = (f"plugin turned off for this session after {self._failures} "
                              f"failures in a row; the last: {failure}")
        log.warning("%s: %s", self.id, self._disabled)
        return PluginError(self._disabled, FailureReason.DISABLED)

    # -- on the plugin's thread ------------------------------------------------------------

    def _serve(self) -> None:
        while True:
            try:
                job = self._calls.get(timeout=IDLE)
            except queue.Empty:
                with self._lock:
                    if self._calls.empty():  # calls are put under the lock: none is lost
                        self._serving = False
                        return
                continue
            if not job.future.set_running_or_notify_cancel():
                continue  # its caller gave up waiting
            with self._lock:
                job.started = time.monotonic()
                self._current = job
            try:
                job.future.set_result(self._run(job))
            except PluginError as exc:
                # Made anew of plain values: the plugin's code may have raised one of its own.
                job.future.set_exception(_plain(exc))
            except BaseException as exc:  # the guard: whatever the plugin does is its failure
                job.future.set_exception(PluginError(f"{self.entry}: {job.what} "
                                                     f"{_raised(exc)}", FailureReason.PLUGIN))
                self._log(job.what, exc)
            finally:
                with self._lock:
                    self._current = None

    def _run(self, job: _Call) -> Any:
        plugin = self._object
        if plugin is None:
            plugin = self._object = self._load()
        left = job.deadline - time.monotonic()
        if left <= 0:
            raise PluginError(f"{self.entry}: loading the plugin took longer than the "
                              f"{job.timeout:g} s time-out", FailureReason.TIMEOUT)
        return job.work(plugin, left)

    def _load(self) -> Any:
        package = package_name(self.id)
        try:
            factory = load_entry(self.folder, self.entry, package)
            self.api = declared_api(entry_module(package, self.entry), self.id, self.entry)
            made = self._make(factory)
        except ApiVersionError as exc:
            forget(package)
            raise PluginError(str(exc), FailureReason.PLUGIN) from None
        except PluginError:
            forget(package)
            raise
        except BaseException as exc:  # as in _serve: an import may do anything
            forget(package)
            self._log("loading", exc)
            raise PluginError(f"{self.entry}: cannot load the plugin ({describe(exc)})",
                              FailureReason.PLUGIN) from None
        self.package = package
        log.info("plugin %s loaded from %s as %s", self.id, self.folder, package)
        return made

    def _log(self, what: str, exc: BaseException) -> None:
        try:
            trace = "".join(traceback.format_exception(exc))
        except Exception:
            trace = describe(exc)
        if len(trace) > MAX_TRACE:
            trace = "…" + trace[-MAX_TRACE:]  # the end says where it failed
        log.info("plugin %s: %s failed:\n%s", self.id, what, trace)


def _plain(exc: PluginError) -> PluginError:
    """``exc`` made of a plain ``str`` message and one of the known reasons."""
    message = _cut(_text(lambda: str(exc)) or "failed")
    # Compared on the plugin's thread: a plugin's reason may be any object, with its own __eq__.
    reason = next((known for known in REASONS if known == exc.reason), FailureReason.PLUGIN)
    return PluginError(message, reason)


def _raised(exc: BaseException) -> str:
    said = describe(exc)
    return said if isinstance(exc, SystemExit) else f"raised {said}"


class PluginHost:
    """The plugins of one session: each made on first ask, turned on again by ``enable_all``.

    It also knows who is signed in (``meet``): the claims every plugin's context shows and the
    account whose data folders the plugins get (``data_dir``).
    """

    def __init__(self, *, max_failures: int = MAX_FAILURES,
                 data_root: Path | None = None) -> None:
        self._max_failures = max_failures
        self._plugins: dict[str, Plugin] = {}
        self._lock = threading.Lock()
        self._data_root = data_root
        self._claims: Mapping[str, Any] = MappingProxyType({})
        self._account = NOBODY

    def plugin(self, plugin_id: str, folder: Path, entry: str,
               make: Callable[[Any], Any]) -> Plugin:
        """The plugin ``plugin_id`` (made now, not loaded, if it is new to this host)."""
        with self._lock:
            known = self._plugins.get(plugin_id)
            if known is None or (known.folder, known.entry) != (folder, entry):
                known = self._plugins[plugin_id] = Plugin(
                    plugin_id, folder, entry, make, max_failures=self._max_failures)
            return known

    def meet(self, claims: Mapping[str, Any], account: str | None = None) -> None:
        """The person signed in now: ``claims`` (the id_token's and userinfo's) go to every
        plugin's context; ``account`` names their data folders (by default made of ``sub``)."""
        plain = MappingProxyType(dict(claims))
        with self._lock:
            self._claims = plain
            self._account = account or account_name(plain.get("sub"))

    @property
    def claims(self) -> Mapping[str, Any]:
        with self._lock:
            return self._claims

    def data_dir(self, plugin_id: str) -> Path:
        """The data folder of ``plugin_id`` for the person signed in now:
        ``<data folder>/plugin-data/<account>/<plugin id>`` (made for its owner only)."""
        with self._lock:
            account = self._account
        name = re.sub(r"[^A-Za-z0-9_.-]", "_", plugin_id).strip(".") or "plugin"
        if self._data_root is not None:
            return private_dir(self._data_root / account / name)
        return folder(DATA_FOLDER, account, name)

    def disabled(self) -> dict[str, str]:
        """Plugin id -> why it is turned off, for every plugin turned off in this session."""
        with self._lock:
            plugins = list(self._plugins.values())
        return {p.id: reason for p in plugins if (reason := p.disabled) is not None}

    def enable_all(self) -> None:
        """Turn every plugin on again (a new sign-in): each gets its chances anew."""
        with self._lock:
            plugins = list(self._plugins.values())
        for plugin in plugins:
            plugin.enable()


def account_name(sub: object) -> str:
    """A folder name for the person whose ``sub`` claim this is (``NOBODY`` without one): a hash,
    so that no claim's text becomes a file name."""
    if not isinstance(sub, str) or not sub:
        return NOBODY
    return "person-" + hashlib.sha256(sub.encode("utf-8")).hexdigest()[:16]
