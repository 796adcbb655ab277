"""What the read-only document sources (an iCalendar subscription, an RSS or Atom feed) share:
one bounded GET of the platform's document, signed in as the platform's ``[auth]`` says.

The document is read within the platform's ``timeout`` as a deadline (deadline.py), at most
``MAX_ANSWER_BYTES`` long and ``MAX_ANSWER_VALUES`` lines or XML elements before it is parsed.
"""

from __future__ import annotations

from collections.abc import Callable

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
from launcher.core.model import PASSWORD_KIND, Credentials
from launcher.core.registry import Platform
from launcher.core.states import FailureReason


class DocumentSource:
    """The bounded GET of one document; subclasses turn it into tasks (``fetch``)."""

    kind = ""
    accept = "*/*"

    def __init__(self, platform: Platform,
                 credentials: Callable[[str], Credentials | None] | None = None, *,
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
        auth: requests.auth.AuthBase | None = None
        if self.platform.manifest.auth.sso:
            if token:
                headers["Authorization"] = f"Bearer {token}"
        elif self.platform.auth_kind == PASSWORD_KIND:
            saved = self._credentials(self.platform.id) if self._credentials else None
            if saved is None:
                raise SourceError(f"no saved password for {self.platform.name}: sign in to the "
                                  "platform once so the launcher can save it",
                                  FailureReason.SIGNED_OUT)
            auth = requests.auth.HTTPBasicAuth(saved.username, saved.password)
        with (Deadline(timeout, where) as deadline, http_errors(where, timeout=timeout),
              self.http.get(url, headers=headers, auth=auth, timeout=timeout,
                            stream=True) as answer):
            if answer.history and not self.platform.owns(answer.url):
                raise SourceError(f"{where}: redirected outside the platform (a login page?)",
                                  FailureReason.SIGNED_OUT)
            if answer.status_code in (401, 403):
                raise SourceError(f"{where}: HTTP {answer.status_code}: the platform refused "
                                  "the sign-in", FailureReason.SIGNED_OUT)
            if answer.status_code >= 400:
                raise SourceError(f"{where}: HTTP {answer.status_code} {answer.reason}",
                                  FailureReason.PLATFORM)
            body = read_capped(answer, where, deadline)
        check_values(body, where, XML_AND_ICALENDAR_VALUES)
        return body
