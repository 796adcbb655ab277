"""Declared addresses and the pages they cover: origin and path, as servers route them."""

from __future__ import annotations

import pytest

from launcher.core.url_scope import page_location, same_page, scope_of


@pytest.mark.parametrize(
    ("url", "covered"),
    [
        ("http://gw/app1", True),
        ("http://gw/app1/", True),
        ("http://GW:80/app1/x?y#z", True),
        ("http://gw/app%31/x", True),  # %31 is "1": the server routes it to /app1
        ("http://gw/x/../app1/y", True),
        ("http://gw/app1/a%2Fb", True),  # an encoded slash inside app1's pages stays inside
        ("http://gw/app10", False),
        ("http://gw/app", False),
        ("http://gw/", False),
        ("http://gw", False),
        ("http://gw/App1", False),
        ("http://gw/app1/../app2", False),
        ("http://gw/app1/%2e%2e/app2", False),
        ("http://gw/app1/x%2F..%2F..%2Fapp2", False),  # decoded first by some servers: /app2
        ("http://gw/app1//../app2", False),  # "//" merged by some servers: /app2
        ("http://gw/app1\\..\\app2", False),  # a backslash is a slash to browsers
        ("https://gw/app1", False),
        ("http://gw:8080/app1", False),
        ("http://gw.evil/app1", False),
        ("http://gw@evil/app1", False),
        ("javascript:alert(1)//http://gw/app1", False),
        ("http://gw:99999/app1", False),
    ],
)
def test_a_path_scope_covers_its_pages_only(url: str, covered: bool) -> None:
    scope = scope_of("http://gw/app1")
    assert scope is not None
    assert scope.covers(url) is covered


def test_the_whole_origin_covers_every_path_on_it() -> None:
    scope = scope_of("https://gw.example/")
    assert scope is not None and scope.depth == 0
    assert scope.covers("https://gw.example/anything/a%2Fb//../x")
    assert not scope.covers("https://gw.example:8443/")


def test_declared_addresses() -> None:
    assert str(scope_of("HTTPS://GW.example:443/app1/")) == "https://gw.example/app1"
    assert str(scope_of("http://[::1]:8080/a")) == "http://[::1]:8080/a"
    assert str(scope_of("http://政务.example/")) == "http://xn--zfr164b.example"
    assert str(scope_of("http://gw/app1/index.html", directory=True)) == "http://gw/app1"
    assert scope_of("http://gw/a%2Fb") is None  # declared ambiguously: covers nothing
    assert scope_of("file:///etc/passwd") is None and scope_of("about:blank") is None


def test_same_page() -> None:
    assert same_page("http://gw/app1/form/new", "http://GW:80/app1/form/new/?draft=1#top")
    assert same_page("http://gw/app1/form/new", "http://gw/app1/./x/../form/new")
    assert not same_page("http://gw/app1/form/new", "http://gw/app1/form/new2")
    assert not same_page("http://gw/app1/form/new", "https://gw/app1/form/new")
    assert not same_page("http://gw/a%2Fb", "http://gw/a%2Fb")  # read two ways by servers
    assert page_location("ftp://gw/x") is None
