"""Which cookies hint that the county identity service's session appeared in the web profile: the
ones a browser would send to the service's pages (its host, a path its pages are under)."""

from __future__ import annotations

import pytest
from PySide6.QtNetwork import QNetworkCookie

from launcher.ui.web_sign_in import _for_service


def cookie(domain: str, path: str = "/") -> QNetworkCookie:
    made = QNetworkCookie(b"SESSION", b"v")
    made.setDomain(domain)
    made.setPath(path)
    return made


@pytest.mark.parametrize(
    ("domain", "path", "service", "sent"),
    [
        ("sso.anji.example", "/", "https://sso.anji.example", True),
        ("sso.anji.example", "/", "https://sso.anji.example/cas", True),
        (".anji.example", "/", "https://sso.anji.example/cas", True),  # a domain cookie
        ("sso.anji.example", "/cas", "https://sso.anji.example/cas", True),
        ("sso.anji.example", "/other-app", "https://sso.anji.example/cas", False),
        ("sso.anji.example", "/cas-admin", "https://sso.anji.example/cas", False),
        ("aq.anji.example", "/", "https://sso.anji.example", False),  # a platform's
        (".evil.example", "/", "https://sso.anji.example", False),
        ("example", "/", "https://sso.anji.example", False),
        ("", "/", "https://sso.anji.example", False),
    ],
)
def test_only_the_services_cookies_count(domain: str, path: str, service: str, sent: bool) -> None:
    assert _for_service(cookie(domain, path), service) is sent
