"""What the launcher hands a plugin: its platform, an HTTP session already signed in, the person
signed in, a logger and a folder of its own. No type of the launcher's core reaches a plugin.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any
from urllib.parse import urljoin, urlsplit

import requests

__all__ = ["Credentials", "PluginContext"]


@dataclass(frozen=True)
class Credentials:
    """How the platform knows the person, as the launcher holds it for one call.

    Every kind the launcher knows has a field here, so a plugin reads ``context.session`` the same
    way whatever the platform trusts. Fields not in use are empty. New kinds are added as new
    fields with empty defaults (never a changed meaning), so a plugin for API 1 keeps working.
    """

    bearer: str | None = None
    """An OAuth access token for the platform: sent as ``Authorization: Bearer …``."""
    headers: Mapping[str, str] = field(default_factory=dict)
    """Headers the platform's web session uses (a token the web app keeps, sent as it does)."""
    cookies: Mapping[str, str] = field(default_factory=dict)
    """Cookies of the platform's web session, sent to the platform's own host only."""
    username: str | None = None
    """The saved user name of a platform with its own login (the password vault's)."""
    password: str | None = None
    """The saved password of that login: for plugins that sign in themselves; never logged."""

    def __repr__(self) -> str:  # never show a secret in a traceback or a debug print
        kinds = [name for name in ("bearer", "headers", "cookies", "username", "password")
                 if getattr(self, name)]
        return f"Credentials({', '.join(kinds) or 'none'})"

    def secrets(self) -> tuple[str, ...]:
        """The secret values, for masking them in texts a plugin writes."""
        values = [self.bearer, self.password, *self.headers.values(), *self.cookies.values()]
        return tuple(v for v in values if v)


class PluginContext:
    """Everything a plugin gets from the launcher, handed to its factory (``make(context)``).

    - ``platform_id``, ``name``, ``base_url``: the platform as the county file names it;
      ``url(path)`` makes a link of the platform's from a path.
    - ``session``: a ``requests.Session`` that already carries the platform's credentials
      (bearer token, web-session cookies or headers); renewed before every call of the plugin,
      so keep the context, not headers copied from it.
    - ``credentials``: the same credentials as values, for a plugin that needs them otherwise
      (a saved password for a login of its own).
    - ``claims``: the signed-in person's claims (``sub``, ``name``, ``preferred_username``, …),
      read-only; empty when nobody is signed in.
    - ``log``: a logger of its own (``launcher.plugin.<id>``); its records go to the launcher's
      log file. Never log a credential.
    - ``data_dir``: a folder of the plugin's own for this person, under the launcher's data folder
      (made on first use, for its owner only), for what the plugin wants to keep between runs.
    """

    def __init__(self, *, platform_id: str, name: str, base_url: str,
                 credentials: Credentials | None = None,
                 claims: Mapping[str, Any] | None = None,
                 data_dir: Callable[[], Path] | Path | None = None,
                 logger: logging.Logger | None = None) -> None:
        self.platform_id = platform_id
        self.name = name
        self.base_url = base_url.rstrip("/")
        self.claims: Mapping[str, Any] = MappingProxyType(dict(claims or {}))
        self.log = logger or logging.getLogger(f"launcher.plugin.{platform_id}")
        self._data_dir = data_dir
        self.session = requests.Session()
        self.credentials = Credentials()
        self.use(credentials or Credentials())

    @property
    def id(self) -> str:
        """The platform's plugin id (as ``platform_id``; plugins before API 1 read ``id``)."""
        return self.platform_id

    @property
    def data_dir(self) -> Path:
        """The plugin's own folder for the person signed in now (made on first use)."""
        made = self._data_dir() if callable(self._data_dir) else self._data_dir
        if made is None:
            raise RuntimeError("this context has no data folder")
        made.mkdir(parents=True, exist_ok=True, mode=0o700)
        return made

    def url(self, path: str) -> str:
        """``path`` (``/api/tasks``, ``tasks?page=2``) made absolute on the platform's base URL."""
        return urljoin(self.base_url + "/", path.lstrip("/"))

    def use(self, credentials: Credentials) -> None:
        """Put ``credentials`` on the session, replacing the ones before. The launcher calls it
        before each call of the plugin; a plugin has no need to."""
        session = self.session
        for name in self.credentials.headers:
            session.headers.pop(name, None)
        session.headers.pop("Authorization", None)
        session.cookies.clear()
        if credentials.bearer:
            session.headers["Authorization"] = f"Bearer {credentials.bearer}"
        session.headers.update(dict(credentials.headers))
        host = urlsplit(self.base_url).hostname or ""
        for name, value in credentials.cookies.items():
            session.cookies.set(name, value, domain=host, path="/")
        self.credentials = credentials

    def meet(self, claims: Mapping[str, Any]) -> None:
        """Make ``claims`` the signed-in person's (the launcher calls it with ``use``)."""
        self.claims = MappingProxyType(dict(claims))

    def close(self) -> None:
        """Close the session's connections (the launcher does, when it drops the plugin)."""
        self.session.close()
