"""A Radicale auth plugin for the tests: htpasswd logins, plus ``Authorization: Bearer`` tokens.

Radicale checks only Basic credentials itself; a county platform that speaks CalDAV would accept
the county's bearer tokens. This plugin (loaded by Radicale as ``[auth] type = radicale_bearer``)
maps the tokens listed in the file named by ``CALDAV_TEST_TOKENS`` (one ``token user`` a line) to
their user, and refuses any other bearer token. Everything else is Radicale's own htpasswd auth.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from radicale.auth import htpasswd

_PREFIX = "bearer:"


def _tokens() -> dict[str, str]:
    path = Path(os.environ["CALDAV_TEST_TOKENS"])
    pairs = (line.split() for line in path.read_text(encoding="utf-8").splitlines())
    return {p[0]: p[1] for p in pairs if len(p) == 2}


class Auth(htpasswd.Auth):
    def get_external_login(self, environ: Any) -> tuple[()] | tuple[str, str]:
        header = environ.get("HTTP_AUTHORIZATION", "")
        if not header.startswith("Bearer "):
            return ()
        token = header[len("Bearer "):].strip()
        # An unknown token logs in as a user that _login refuses: the client gets 401.
        return (_tokens().get(token, "unknown-token"), _PREFIX + token)

    def _login(self, login: str, password: str) -> str:
        if password.startswith(_PREFIX):
            user = _tokens().get(password[len(_PREFIX):])
            return login if user == login else ""
        return str(super()._login(login, password))
