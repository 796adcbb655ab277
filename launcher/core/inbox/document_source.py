"""What the read-only document sources (an iCalendar subscription, an RSS or Atom feed) share:
one bounded GET of the platform's document, signed in as the platform's ``[auth]`` says.

The document is read within the platform's ``timeout`` as a deadline (deadline.py), at most
``MAX_ANSWER_BYTES`` long and ``MAX_ANSWER_VALUES`` lines or XML elements before it is parsed.

A ``password`` platform's saved account goes as HTTP basic (``saved_account_auth``, which the
CalDAV source uses too) and never locks the account: one the platform refused (HTTP 401) is
marked refused in the password vault and not sent again until the person acts, the same rule as
the vault's own login form (docs/login.md#password-vault).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import requests

from launcher.core.errors import SourceError
from launcher.core.http import equip
from launcher.core.inbox.deadline import (
    XML_AND_ICALENDAR_VALUES,
    Deadline,
    check_values,
    read_capped,
    watched,
)
from launcher.core.inbox.http_errors import http_errors
from launcher.core.inbox.source_base import Person, fill
from launcher.core.model import PASSWORD_KIND, SavedAccounts, SourceAccount, source_account
from launcher.core.registry import Platform
from launcher.core.states import FailureReason

SAVED_ACCOUNT_STOPPED = (
    "signed out: update the saved password (已退出：请更新保存的密码). The platform refused it, or "
    "its last sign-in was not seen to succeed: it is not sent again until you save the right one "
    "or sign in to the platform yourself"
)
SAVED_ACCOUNT_REFUSED = (
    "the platform refused the saved password (HTTP 401): update the saved password "
    "(平台拒绝了保存的密码，请更新); it is not sent again until then"
)


class SavedAccountAuth(requests.auth.HTTPBasicAuth):
    """HTTP basic with a saved account; an HTTP 401 answer reports the account refused, so it is
    not sent again by itself (a platform that counts refusals towards a lock is never locked)."""

    def __init__(self, account: SourceAccount) -> None:
        super().__init__(account.username, account.password)
        self._account = account
        self.refused = False

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        # requests' own auth and hook methods are untyped.
        request = super().__call__(request)  # type: ignore[no-untyped-call]
        request.register_hook("response", self._answered)  # type: ignore[no-untyped-call]
        return request

    def _answered(self, response: requests.Response, *args: Any, **kwargs: Any) -> None:
        if response.status_code == 401 and not self.refused:
            self.refused = True
            self._account.refused()


def saved_account(platform: Platform, credentials: SavedAccounts | None) -> SourceAccount:
    """The password platform's saved account, which may be sent. Raises SourceError
    ``signed-out`` when none is saved, or when the vault says not to send it (refused before, or
    an outcome never seen): nothing is sent then."""
    saved = credentials(platform.id) if credentials else None
    if saved is None:
        raise SourceError(f"no saved password for {platform.name}: sign in to the "
                          "platform once so the launcher can save it", FailureReason.SIGNED_OUT)
    account = source_account(saved)
    if account.stopped:
        raise SourceError(SAVED_ACCOUNT_STOPPED, FailureReason.SIGNED_OUT)
    return account


def saved_account_auth(platform: Platform, credentials: SavedAccounts | None) -> SavedAccountAuth:
    """HTTP basic with the password platform's saved account (``saved_account``'s rules)."""
    return SavedAccountAuth(saved_account(platform, credentials))


class DocumentSource:
    """The bounded GET of one document; subclasses turn it into tasks (``fetch``)."""

    kind = ""
    accept = "*/*"

    def __init__(self, platform: Platform, credentials: SavedAccounts | None = None, *,
                 person: Callable[[], Person] | None = None,
                 http: requests.Session | None = None) -> None:
        spec = platform.manifest.tasks
        if spec is None or spec.kind != self.kind:
            raise ValueError(f"{platform.id} has no {self.kind} task source")
        self.platform = platform
        self._template = platform.expand(spec.url)
        self._credentials = credentials
        self._person = person
        self.http = equip(watched(http or requests.Session()))
        self.skipped = 0
        self.more = False

    @property
    def url(self) -> str:
        claims = self._person() if self._person is not None else {}
        return fill(self._template, claims, url=True)

    @property
    def can_complete(self) -> bool:
        """A subscription is read only."""
        return False

    def document(self, token: str | None, timeout: float) -> bytes:
        """The document's bytes. Raises SourceError: ``signed-out`` for HTTP 401/403 or a
        redirect off the platform, ``platform`` for other errors, and as http_errors says."""
        url = self.url
        where = f"GET {url}"
        headers = {"Accept": self.accept}
        auth: SavedAccountAuth | None = None
        if self.platform.manifest.auth.sso:
            if token:
                headers["Authorization"] = f"Bearer {token}"
        elif self.platform.auth_kind == PASSWORD_KIND:
            auth = saved_account_auth(self.platform, self._credentials)
        with (Deadline(timeout, where) as deadline, http_errors(where, timeout=timeout),
              self.http.get(url, headers=headers, auth=auth, timeout=timeout,
                            stream=True) as answer):
            if answer.history and not self.platform.owns(answer.url):
                raise SourceError(f"{where}: redirected outside the platform (a login page?)",
                                  FailureReason.SIGNED_OUT)
            if auth is not None and auth.refused:
                raise SourceError(f"{where}: {SAVED_ACCOUNT_REFUSED}", FailureReason.SIGNED_OUT)
            if answer.status_code in (401, 403):
                raise SourceError(f"{where}: HTTP {answer.status_code}: the platform refused "
                                  "the sign-in", FailureReason.SIGNED_OUT)
            if answer.status_code >= 400:
                raise SourceError(f"{where}: HTTP {answer.status_code} {answer.reason}",
                                  FailureReason.PLATFORM)
            body = read_capped(answer, where, deadline)
        check_values(body, where, XML_AND_ICALENDAR_VALUES)
        return body
