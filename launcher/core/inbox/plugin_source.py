"""The adapter around a plugin's own Python task source, held to the same rules as the rest."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

import requests

from launcher.api import Credentials, PluginContext, Refused, SignedOut, TaskItem
from launcher.core.errors import SourceError
from launcher.core.http import CERTIFICATE, equip, failure_kind
from launcher.core.inbox.confirm import confirm_done
from launcher.core.inbox.document_source import SAVED_ACCOUNT_STOPPED
from launcher.core.inbox.plugin_tasks import checked_tasks
from launcher.core.model import PASSWORD_KIND, source_account
from launcher.core.plugins.host import Plugin, PluginError, PluginHost, describe
from launcher.core.plugins.versions import LEGACY
from launcher.core.registry import Platform
from launcher.core.states import FailureReason

if TYPE_CHECKING:
    from launcher.core.model import SavedAccounts

_T = TypeVar("_T")

# What a plugin raises that is the platform's doing, not the plugin's (not counted towards turning
# the plugin off): the platform cannot be reached, or did not answer in time.
_NETWORK_ERRORS: tuple[type[BaseException], ...] = (ConnectionError,
                                                    requests.exceptions.ConnectionError)
_TIMEOUT_ERRORS: tuple[type[BaseException], ...] = (TimeoutError, requests.exceptions.Timeout)
# Everything a plugin raises that says what the platform answered (see ``_said``).
_SAID: tuple[type[BaseException], ...] = (SignedOut, requests.exceptions.HTTPError,
                                          json.JSONDecodeError, *_NETWORK_ERRORS,
                                          *_TIMEOUT_ERRORS)


@dataclass(frozen=True)
class _Said:
    """A plugin's call that ended in the platform's answer rather than the plugin's failure."""

    reason: FailureReason
    """``REFUSED``, ``UNSUPPORTED``, ``SIGNED_OUT``, ``PLATFORM``, ``UNREADABLE``, ``NETWORK`` or
    ``TIMEOUT``."""
    text: str


class PluginSource:
    """A plugin's own TaskSource, held to the same rules as the rest.

    The plugin is imported on first use under a package of its own and called on a thread of
    its own, with the platform's time-out (launcher/core/plugins/host.py). Its factory gets a
    ``PluginContext`` (launcher.api), never a core type; before every call the context's session
    is given the credentials of the moment. Whatever the plugin raises or returns wrongly becomes
    ``SourceError(reason=FailureReason.PLUGIN)`` (``TIMEOUT`` when it hangs), so a broken plugin
    shows as failed and never takes the inbox down; one that keeps failing is turned off for the
    session (``DISABLED``). What it raises for its platform keeps its meaning: ``SignedOut`` (or an
    HTTP 401 or 403 from ``raise_for_status``) is ``SIGNED_OUT``, an HTTP 5xx ``PLATFORM``,
    ``Refused`` is ``REFUSED``, an answer that is not JSON (``JSONDecodeError``) ``UNREADABLE``,
    a ``ConnectionError`` or ``TimeoutError`` (``requests``' too) ``NETWORK`` or ``TIMEOUT``.

    A plugin written for API 1 (``LAUNCHER_API = 1``) is called ``fetch(*, timeout)`` and
    ``complete(task_id, *, timeout)``; one that declares no version, as plugins were called before
    API 1: ``fetch(*, base_url, token, timeout)`` (its factory gets the context too).
    """

    def __init__(self, platform: Platform, host: PluginHost | None = None, *,
                 saved: SavedAccounts | None = None) -> None:
        """``saved`` gives the password vault's account of a platform with its own login (its
        user name and password reach the plugin's context, unless the vault stopped it)."""
        spec = platform.manifest.tasks
        if spec is None or spec.kind != "python":
            raise ValueError(f"{platform.id} has no python task source")
        self.platform = platform
        self.entry = spec.entry
        self.timeout = spec.timeout
        self.skipped = 0
        self.more = False
        self._completable: bool | None = None
        self._saved = saved
        self.cookies: dict[str, str] = {}
        """A session-bound platform's web session cookies, set by the inbox before each call."""
        self._host = host or PluginHost()
        self._context: PluginContext | None = None  # made and used on the plugin's thread only
        self._plugin = self._host.plugin(platform.id, platform.manifest.folder, spec.entry,
                                         self._make)

    def _credentials(self, token: str | None) -> Credentials:
        """What the platform knows the person by, for this call: the bearer token (a
        session-bound platform's own token), its web session's cookies, and for a platform with
        its own login the vault's saved account.

        A saved account the vault stopped (the platform refused it, or an outcome was never
        seen) is not handed to the plugin: the call is signed out instead, so a plugin that
        signs in itself can never lock the account by trying it again."""
        saved = None
        if self._saved is not None and self.platform.manifest.auth.kind == PASSWORD_KIND:
            found = self._saved(self.platform.id)
            saved = source_account(found) if found is not None else None
        if saved is not None and saved.stopped:
            raise SourceError(SAVED_ACCOUNT_STOPPED, FailureReason.SIGNED_OUT)
        return Credentials(bearer=token, cookies=dict(self.cookies),
                           username=saved.username if saved is not None else None,
                           password=saved.password if saved is not None else None)

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
                    self.timeout, Credentials(), probe=True)
            except SourceError:
                return False
        return self._completable

    def complete(self, task_id: str, *, token: str | None, timeout: float,
                 credentials: Credentials | None = None) -> list[TaskItem]:
        """Have the plugin mark ``task_id`` done, then read its list again and return it.

        The plugin's ``complete`` returns when the platform accepted the change; ``Refused`` (any
        ``PermissionError``) is the platform's refusal (its text shown), anything else a plugin
        error. Still listed afterwards: ``refused``. A plugin without ``complete``:
        ``unsupported``. ``credentials`` replaces the bearer ``token`` when given.
        """
        held = credentials or self._credentials(token)
        base_url = self.platform.base_url

        def work(source: Any, left: float) -> _Said | None:
            complete = getattr(source, "complete", None)
            if not callable(complete):
                return _Said(FailureReason.UNSUPPORTED, "")
            try:
                if self._plugin.api == LEGACY:
                    complete(task_id, base_url=base_url, token=held.bearer, timeout=left)
                else:
                    complete(task_id, timeout=left)
            except PermissionError as exc:
                return _Said(FailureReason.REFUSED, _message(exc))
            except _SAID as exc:
                return _said(exc)
            return None

        said = self._call("complete", work, timeout, held)
        if said is not None:
            if said.reason is FailureReason.UNSUPPORTED:
                raise SourceError(f"{self.platform.name} cannot mark tasks done from the "
                                  f"launcher ({self.entry} has no complete(task_id, *, "
                                  "timeout))", FailureReason.UNSUPPORTED)
            if said.reason is FailureReason.REFUSED:
                raise SourceError(f"{self.platform.name} refused: {said.text}",
                                  FailureReason.REFUSED)
            raise SourceError(self._masked(f"{self.entry}: complete: {said.text}", held),
                              said.reason)
        return confirm_done(
            self.platform, task_id,
            lambda: self.fetch(token=token, timeout=timeout, credentials=credentials),
            f"{self.platform.name} accepted the request but still lists the task as open",
        )

    def fetch(self, *, token: str | None, timeout: float,
              credentials: Credentials | None = None) -> list[TaskItem]:
        """The platform's tasks as the plugin reads them; ``credentials`` replaces the bearer
        ``token`` when given (a web session's cookies, a saved password)."""
        platform, entry = self.platform, self.entry
        held = credentials or self._credentials(token)

        def work(source: Any, left: float) -> tuple[list[TaskItem], int, bool] | _Said:
            try:
                if self._plugin.api == LEGACY:
                    answer = source.fetch(base_url=platform.base_url, token=held.bearer,
                                          timeout=left)
                else:
                    answer = source.fetch(timeout=left)
            except Refused as exc:
                return _Said(FailureReason.REFUSED, _message(exc))
            except _SAID as exc:
                return _said(exc)
            # Read on the plugin's thread: reading the answer may run the plugin's code.
            return checked_tasks(answer, platform, entry)

        outcome = self._call("fetch", work, timeout, held)
        if isinstance(outcome, _Said):
            raise SourceError(self._masked(f"{entry}: fetch: {outcome.text}", held),
                              outcome.reason)
        tasks, self.skipped, self.more = outcome
        return tasks

    def _call(self, what: str, work: Callable[[Any, float], _T], timeout: float,
              credentials: Credentials, *, probe: bool = False) -> _T:
        """``work`` on the plugin's thread, the context given ``credentials`` and the person
        signed in first; a PluginError becomes the SourceError the inbox shows, with the same
        reason (``PLUGIN``, ``TIMEOUT`` or ``DISABLED``: the host's ``REASONS``); a secret the
        plugin put in its error text is never shown."""
        claims = self._host.claims

        def prepared(source: Any, left: float) -> _T:
            if self._context is not None:
                self._context.use(credentials)
                self._context.meet(claims)
            return work(source, left)

        try:
            return self._plugin.call(what, prepared, timeout, probe=probe)
        except PluginError as exc:
            raise SourceError(self._masked(str(exc), credentials), exc.reason) from None

    @staticmethod
    def _masked(message: str, credentials: Credentials) -> str:
        for secret in credentials.secrets():
            message = message.replace(secret, "…")
        return message

    def _make(self, factory: Any) -> Any:
        """The plugin's task source from its entry's factory (on the plugin's thread)."""
        platform = self.platform
        context = PluginContext(
            platform_id=platform.id, name=platform.name, base_url=platform.base_url,
            claims=self._host.claims,
            data_dir=lambda: self._host.data_dir(platform.id),
            logger=logging.getLogger(f"launcher.plugin.{platform.id}"))
        # The plugin's HTTPS trusts what the launcher's own connections trust: the system's
        # store (where a county installs its CA) and the county's [network] ca_file.
        equip(context.session)
        source = factory(context)
        fetch = "fetch(*, base_url, token, timeout)" if self._plugin.api == LEGACY else \
            "fetch(*, timeout)"
        if not callable(getattr(source, "fetch", None)):
            context.close()
            raise PluginError(f"{self.entry}: returned {type(source).__name__}, which has no "
                              f"{fetch}")
        self._context = context
        return source


def _said(exc: BaseException) -> _Said:
    """What the platform said, from what a plugin raised for it (one of ``_SAID``)."""
    if isinstance(exc, SignedOut):
        return _Said(FailureReason.SIGNED_OUT, _message(exc) or "signed out")
    if isinstance(exc, requests.exceptions.HTTPError):
        status = exc.response.status_code if exc.response is not None else 0
        if status in (401, 403):
            return _Said(FailureReason.SIGNED_OUT, describe(exc))
        if status >= 500:
            return _Said(FailureReason.PLATFORM, describe(exc))
        raise exc  # any other status the plugin did not handle is its failure
    if isinstance(exc, json.JSONDecodeError):  # requests' too: the answer was not JSON
        return _Said(FailureReason.UNREADABLE, describe(exc))
    if failure_kind(exc) == CERTIFICATE:  # before the network: requests' SSLError is both
        return _Said(FailureReason.CERTIFICATE, describe(exc))
    if isinstance(exc, _NETWORK_ERRORS):  # first: requests' ConnectTimeout is both
        return _Said(FailureReason.NETWORK, describe(exc))
    return _Said(FailureReason.TIMEOUT, describe(exc))


def _message(exc: BaseException) -> str:
    """The text of a plugin's exception, without its type (a refusal's reason, shown)."""
    said = describe(exc)
    name = type(exc).__name__
    return said[len(name) + 2:] if said.startswith(f"{name}: ") else said

