"""The signed-in person's claims a manifest may name (``{claim.department}``): kept from the
id_token (and userinfo) bounded and as text, kept with the session, never the token's own
bookkeeping, and no part of who the person is."""

from __future__ import annotations

from dataclasses import asdict

from launcher.core.auth.session import MAX_CLAIMS, UserInfo, person_claims
from launcher.core.inbox.source_base import fill


def test_only_plain_bounded_claims_are_kept() -> None:
    claims = person_claims({
        "sub": "zw", "iss": "http://idp", "nonce": "n", "at_hash": "h", "aud": ["a"],
        "department": "城关镇综治办", "employee_no": 10086, "email_verified": True,
        "groups": ["a", "b"], "address": {"town": "城关"}, "note": "x" * 201, "bad\nkey": "v",
        "line": "a\u202eb",
    })
    assert claims == {"department": "城关镇综治办", "employee_no": "10086"}
    assert len(person_claims({f"c{n}": "v" for n in range(100)})) == MAX_CLAIMS


def test_claims_are_kept_with_the_session_and_are_not_who_the_person_is() -> None:
    user = UserInfo("zw", "张伟", "zhangwei", claims={"department": "城关镇综治办"})
    assert UserInfo(**asdict(user)).claims == {"department": "城关镇综治办"}  # the keyring's JSON
    assert user == UserInfo("zw", "张伟", "zhangwei") and hash(user) == hash(UserInfo("zw", "张伟",
                                                                                      "zhangwei"))
    assert UserInfo(**{"sub": "zw", "name": "张伟", "username": "zhangwei"}).claims == {}


def test_a_manifest_names_a_claim_in_a_url() -> None:
    person = {"department": "城关镇/综治办", "sub": "zw", "username": "zhangwei"}
    assert fill("{base_url}/todo?dept={claim.department}&u={username}", person, url=True) == (
        "{base_url}/todo?dept=%E5%9F%8E%E5%85%B3%E9%95%87%2F%E7%BB%BC%E6%B2%BB%E5%8A%9E&u=zhangwei")
