"""The adapter around a plugin's own Python task source, held to the same rules as the rest."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import requests

from launcher.api import TaskItem
from launcher.core.errors import SourceError
from launcher.core.inbox.confirm import confirm_done
from launcher.core.inbox.plugin_tasks import checked_tasks
from launcher.core.plugins.host import Plugin, PluginError, PluginHost, describe
from launcher.core.registry import Platform
from launcher.core.states import FailureReason

_T = TypeVar("_T")

# What a plugin raises that is the platform's doing, not the plugin's (not counted towards turning
# the plugin off): the platform cannot be reached, or did not answer in time.
_NETWORK_ERRORS: tuple[type[BaseException], ...] = (ConnectionError,
                                                    requests.exceptions.ConnectionError)
_TIMEOUT_ERRORS: tuple[type[BaseException], ...] = (TimeoutError, requests.exceptions.Timeout)


@dataclass(frozen=True)
class _Said:
    """A plugin's call that ended in the platform's answer rather than the plugin's failure."""

    reason: FailureReason
    """``REFUSED``, ``UNSUPPORTED``, ``NETWORK`` or ``TIMEOUT``."""
    text: str


class PluginSource:
    """A plugin's own TaskSource, held to the same rules as the rest.

    The plugin is imported on first use under a package of its own and called on a thread of
    its own, with the platform's time-out (launcher/core/plugins/host.py). Whatever it raises or
    returns wrongly becomes ``SourceError(reason=FailureReason.PLUGIN)`` (``TIMEOUT`` when it
    hangs), so a broken plugin shows as failed and never takes the inbox down; one that keeps
    failing is turned off for the session (``DISABLED``). A ``ConnectionError`` or
    ``TimeoutError`` it raises (``requests``' too) is the platform's: ``NETWORK`` or ``TIMEOUT``.
    """

    def __init__(self, platform: Platform, host: PluginHost | None = None) -> None:
        spec = platform.manifest.tasks
        if spec is None or spec.kind != "python":
            raise ValueError(f"{platform.id} has no python task source")
        self.platform = platform
        self.entry = spec.entry
        self.timeout = spec.timeout
        self.skipped = 0
        self.more = False
        self._completable: bool | None = None
        self._plugin = (host or PluginHost()).plugin(platform.id, platform.manifest.folder,
                                                     spec.entry, self._make)

    @property
    def plugin(self) -> Plugin:
        """The plugin behind this source: loaded or not, turned off or not."""
        return self._plugin

    @property
    def can_complete(self) -> bool:
        """True when the plugin's task source has ``complete`` (loads the plugin: off the GUI)."""
        if self._plugin.disabled is not None:
            return False
        if self._completable is None:
            try:
                self._completable = self._call(
                    "load", lambda source, left: callable(getattr(source, "complete", None)),
                    self.timeout, None, probe=True)
            except SourceError:
                return False
        return self._completable

    def complete(self, task_id: str, *, token: str | None, timeout: float) -> list[TaskItem]:
        """Have the plugin mark ``task_id`` done, then read its list again and return it.

        The plugin's ``complete(task_id, *, base_url, token, timeout)`` returns when the platform
        accepted the change; a ``PermissionError`` it raises is the platform's refusal (its text
        shown), anything else a plugin error. Still listed afterwards: ``refused``. A plugin
        without ``complete``: ``unsupported``.
        """
        base_url = self.platform.base_url

        def work(source: Any, left: float) -> _Said | None:
            complete = getattr(source, "complete", None)
            if not callable(complete):
                return _Said(FailureReason.UNSUPPORTED, "")
            try:
                complete(task_id, base_url=base_url, token=token, timeout=left)
            except PermissionError as exc:
                return _Said(FailureReason.REFUSED, _message(exc))
            except _NETWORK_ERRORS as exc:
                return _Said(FailureReason.NETWORK, describe(exc))
            except _TIMEOUT_ERRORS as exc:
                return _Said(FailureReason.TIMEOUT, describe(exc))
            return None

        said = self._call("complete", work, timeout, token)
        if said is not None:
            if said.reason is FailureReason.UNSUPPORTED:
                raise SourceError(f"{self.platform.name} cannot mark tasks done from the "
                                  f"launcher ({self.entry} has no complete(task_id, *, base_url, "
                                  "token, timeout))", FailureReason.UNSUPPORTED)
            if said.reason is FailureReason.REFUSED:
                raise SourceError(f"{self.platform.name} refused: {said.text}",
                                  FailureReason.REFUSED)
            raise SourceError(f"{self.entry}: complete: {said.text}", said.reason)
        return confirm_done(
            self.platform, task_id, lambda: self.fetch(token=token, timeout=timeout),
            f"{self.platform.name} accepted the request but still lists the task as open",
        )

    def fetch(self, *, token: str | None, timeout: float) -> list[TaskItem]:
        platform, entry = self.platform, self.entry

        def work(source: Any, left: float) -> tuple[list[TaskItem], int, bool] | _Said:
            try:
                answer = source.fetch(base_url=platform.base_url, token=token, timeout=left)
            except _NETWORK_ERRORS as exc:
                return _Said(FailureReason.NETWORK, describe(exc))
            except _TIMEOUT_ERRORS as exc:
                return _Said(FailureReason.TIMEOUT, describe(exc))
            # Read on the plugin's thread: reading the answer may run the plugin's code.
            return checked_tasks(answer, platform, entry)

        outcome = self._call("fetch", work, timeout, token)
        if isinstance(outcome, _Said):
            raise SourceError(f"{entry}: fetch: {outcome.text}", outcome.reason)
        tasks, self.skipped, self.more = outcome
        return tasks

    def _call(self, what: str, work: Callable[[Any, float], _T], timeout: float,
              token: str | None, *, probe: bool = False) -> _T:
        """``work`` on the plugin's thread; a PluginError becomes the SourceError the inbox
        shows, with the same reason (``PLUGIN``, ``TIMEOUT`` or ``DISABLED``: the host's
        ``REASONS``); a token the plugin put in its error text is never shown."""
        try:
            return self._plugin.call(what, work, timeout, probe=probe)
        except PluginError as exc:
            message = str(exc)
            if token:
                message = message.replace(token, "…")
            raise SourceError(message, exc.reason) from None

    def _make(self, factory: Any) -> Any:
        """The plugin's task source from its entry's factory (on the plugin's thread)."""
        source = factory(self.platform)
        if not callable(getattr(source, "fetch", None)):
            raise PluginError(f"{self.entry}: returned {type(source).__name__}, which has no "
                              "fetch(*, base_url, token, timeout)")
        return source


def _message(exc: BaseException) -> str:
    """The text of a plugin's exception, without its type (a refusal's reason, shown)."""
    said = describe(exc)
    name = type(exc).__name__
    return said[len(name) + 2:] if said.startswith(f"{name}: ") else said

