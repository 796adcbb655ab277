"""A platform that refuses its token: the inbox gets one fresh token and tries once more (real HTTP
server; the token source is a stand-in for AuthSession, whose real refreshes tests/oidc cover)."""

from __future__ import annotations

from _local_http import LocalServer

from launcher.core.errors import AuthError
from launcher.core.inbox.service import Inbox
from launcher.core.registry import Platform, Registry

ITEMS = {"data": {"items": [{"id": 1, "title": "入户走访"}]}}


class Tokens:
    """Hands out tok-<platform>-<n>, a new n after each invalidate, and counts the calls."""

    def __init__(self, fail_after_invalidate: bool = False) -> None:
        self.generation: dict[str, int] = {}
        self.invalidated: list[str] = []
        self.fail_after_invalidate = fail_after_invalidate

    def token_for(self, platform: Platform) -> str | None:
        n = self.generation.setdefault(platform.id, 1)
        if n > 1 and self.fail_after_invalidate:
            raise AuthError("the provider refused the token request: invalid_grant", "signed-out")
        return f"tok-{platform.id}-{n}"

    def invalidate(self, platform: Platform) -> None:
        self.invalidated.append(platform.id)
        self.generation[platform.id] = self.generation.get(platform.id, 1) + 1


def bearers(server: LocalServer, name: str) -> list[str]:
    return [s.headers.get("Authorization", "") for s in server.seen
            if s.path == f"/{name}/api/tasks"]


def test_a_refused_token_is_replaced_once(server, cache, platform_at):
    refusing, fine = platform_at("refusing"), platform_at("fine")
    server.json("/refusing/api/tasks", {"error": "invalid_token"}, status=401)
    server.json("/fine/api/tasks", ITEMS)
    tokens = Tokens()
    result = Inbox(Registry([refusing, fine]), cache, tokens.token_for,
                   invalidate=tokens.invalidate).refresh()

    # Refused with the old token and again with the fresh one: the second refusal stands.
    assert bearers(server, "refusing") == ["Bearer tok-demo.refusing-1", "Bearer tok-demo.refusing-2"]
    assert tokens.invalidated == ["demo.refusing"]
    state = result.states["demo.refusing"]
    assert (state.state, state.reason) == ("failed", "signed-out")
    assert "HTTP 401" in state.message
    assert result.states["demo.fine"].state == "current"
    assert bearers(server, "fine") == ["Bearer tok-demo.fine-1"]


def test_the_retry_succeeds_when_the_platform_takes_the_fresh_token(server, cache, platform_at):
    flaky = platform_at("flaky")
    server.json("/flaky/api/tasks", {"error": "invalid_token"}, status=401)
    tokens = Tokens()
    original = tokens.invalidate

    def invalidate(p: Platform) -> None:
        original(p)
        server.json("/flaky/api/tasks", ITEMS)  # the fresh token is accepted

    result = Inbox(Registry([flaky]), cache, tokens.token_for, invalidate=invalidate).refresh()
    assert result.states["demo.flaky"].state == "current"
    assert [t.title for t in result.tasks] == ["入户走访"]
    assert bearers(server, "flaky") == ["Bearer tok-demo.flaky-1", "Bearer tok-demo.flaky-2"]


def test_no_fresh_token_means_signed_out_for_that_platform_only(server, cache, platform_at):
    refusing, fine = platform_at("refusing"), platform_at("fine")
    server.json("/refusing/api/tasks", {"error": "invalid_token"}, status=401)
    server.json("/fine/api/tasks", ITEMS)
    tokens = Tokens(fail_after_invalidate=True)
    result = Inbox(Registry([refusing, fine]), cache, tokens.token_for,
                   invalidate=tokens.invalidate).refresh()
    state = result.states["demo.refusing"]
    assert (state.state, state.reason) == ("failed", "signed-out")
    assert state.message.startswith("no token:") and "invalid_grant" in state.message
    assert len(bearers(server, "refusing")) == 1
    assert result.states["demo.fine"].state == "current"


def test_other_failures_and_platforms_without_tokens_are_not_retried(server, cache, platform_at):
    broken, open_api = platform_at("broken"), platform_at("open")
    server.json("/broken/api/tasks", {"error": "db down"}, status=500)
    server.json("/open/api/tasks", {"error": "who are you"}, status=401)
    tokens = Tokens()

    def token_for(p: Platform) -> str | None:
        return None if p.id == "demo.open" else tokens.token_for(p)

    result = Inbox(Registry([broken, open_api]), cache, token_for,
                   invalidate=tokens.invalidate).refresh()
    assert result.states["demo.broken"].reason == "platform"
    assert result.states["demo.open"].reason == "signed-out"
    assert tokens.invalidated == []
    assert len(bearers(server, "broken")) == 1 and len(bearers(server, "open")) == 1
