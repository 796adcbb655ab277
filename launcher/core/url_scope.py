"""Which pages a declared address covers: its origin and the path below it, compared as servers
route them.

Two platforms may sit behind one gateway on one host and port, one under ``/app1`` and the other
under ``/app2``: the origin alone cannot tell their pages apart, the path can. A path is compared
segment by segment (``/app1`` covers ``/app1`` and ``/app1/x``, never ``/app10``), after the
normalising a server does before it routes a request: percent-encoding decoded, ``.`` and ``..``
resolved. Where servers differ (an encoded ``/`` inside a segment, which some decode before
routing and others keep; ``//``, which some merge), every reading is made, and a path is covered
only where every reading is: a page is never taken for a platform's while a server might route
it elsewhere (``/app1/x%2F..%2F..%2Fapp2`` is no page of ``/app1``).

Scheme and host are compared case-insensitively (hosts as IDNA), ports with the default filled
in; paths are case-sensitive.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

WEB_SCHEMES = frozenset({"http", "https"})
DEFAULT_PORTS = {"http": 80, "https": 443}


@dataclass(frozen=True)
class Scope:
    """An origin and a path prefix under it (``segments`` decoded; empty = the whole origin)."""

    scheme: str
    host: str
    port: int
    segments: tuple[str, ...] = ()

    @property
    def origin(self) -> str:
        """``scheme://host:port``, the port always written."""
        return f"{self.scheme}://{_bracketed(self.host)}:{self.port}"

    @property
    def depth(self) -> int:
        """How specific the scope is: the number of path segments it names."""
        return len(self.segments)

    def covers(self, url: str) -> bool:
        """True when ``url`` is on this origin and every reading of its path is under the prefix."""
        page = page_location(url)
        if page is None:
            return False
        origin, readings = page
        if origin != (self.scheme, self.host, self.port):
            return False
        size = len(self.segments)
        return all(reading[:size] == self.segments for reading in readings)

    def __str__(self) -> str:
        """As people write it: the default port left out, the path after the origin."""
        port = "" if DEFAULT_PORTS.get(self.scheme) == self.port else f":{self.port}"
        path = "".join("/" + segment for segment in self.segments)
        return f"{self.scheme}://{_bracketed(self.host)}{port}{path}"


def scope_of(url: str, *, directory: bool = False) -> Scope | None:
    """The scope a declared address stands for (``http(s)://host[:port][/path]``; query and
    fragment ignored), or None for anything else. ``directory``: the folder the address is in
    (``/app1/index.html`` -> ``/app1``), as for a platform's home page."""
    page = page_location(url)
    if page is None:
        return None
    (scheme, host, port), readings = page
    if len(readings) > 1:
        return None  # an address declared ambiguously covers nothing
    segments = readings[0]
    if directory or (segments and segments[-1] == ""):
        segments = segments[:-1]
    return Scope(scheme, host, port, segments)


def same_page(url: str, other: str) -> bool:
    """True when both addresses are the same page: same origin and path (a trailing ``/``,
    query and fragment ignored), every reading of each path agreeing."""
    a, b = page_location(url), page_location(other)
    if a is None or b is None or a[0] != b[0]:
        return False
    paths = {_without_trailing_slash(reading) for reading in (*a[1], *b[1])}
    return len(paths) == 1


def page_location(url: str) -> tuple[tuple[str, str, int], list[tuple[str, ...]]] | None:
    """``((scheme, host, port), readings)`` of an http(s) address, or None when it is not one.

    ``readings`` are the path's decoded segments as servers may route them: one, or more where
    servers differ (an encoded slash, empty segments)."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in WEB_SCHEMES:
        return None
    host = _host(parts.hostname or "")
    if not host:
        return None
    origin = (scheme, host, port if port is not None else DEFAULT_PORTS[scheme])
    # Browsers read a backslash in an http(s) path as a slash; so do some servers.
    raw = parts.path.replace("\\", "/").split("/")[1:]
    # surrogateescape: two different invalid byte sequences never decode to one text.
    kept = [unquote(segment, errors="surrogateescape") for segment in raw]
    # An encoded slash ("%2F", "%5C") ends a segment for servers that decode before they route,
    # and not for the others: both readings count.
    split = "/".join(kept).replace("\\", "/").split("/") if kept else []
    readings: set[tuple[str, ...]] = set()
    for segments in (kept, split):
        # Servers that merge "//" into "/" and servers that keep it route differently
        # ("/a//../b" is "/a/b" to one and "/b" to the other). A trailing empty segment ("/app1/",
        # a folder) is the same in both.
        last = len(segments) - 1
        merged = [segment for index, segment in enumerate(segments) if segment or index == last]
        readings.update((_resolved(segments), _resolved(merged)))
    return origin, sorted(readings)


def _resolved(segments: list[str]) -> tuple[str, ...]:
    """Dot segments resolved (RFC 3986 section 5.2.4): ``.`` dropped, ``..`` drops the one before."""
    out: list[str] = []
    for index, segment in enumerate(segments):
        last = index == len(segments) - 1
        if segment == ".":
            if last:
                out.append("")
        elif segment == "..":
            if out:
                out.pop()
            if last:
                out.append("")
        else:
            out.append(segment)
    return tuple(out)


def _without_trailing_slash(segments: tuple[str, ...]) -> tuple[str, ...]:
    return segments[:-1] if segments and segments[-1] == "" else segments


def _host(hostname: str) -> str:
    host = hostname.lower()
    if host.isascii():
        return host
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError:
        return host


def _bracketed(host: str) -> str:
    return f"[{host}]" if ":" in host else host
