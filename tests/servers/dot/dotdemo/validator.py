"""The name of the person in userinfo, as DOT's documentation shows a deployment adds it."""

from __future__ import annotations

from typing import Any

from oauth2_provider.oauth2_validators import OAuth2Validator


class Validator(OAuth2Validator):  # type: ignore[misc]
    def get_userinfo_claims(self, request: Any) -> dict[str, Any]:
        claims: dict[str, Any] = super().get_userinfo_claims(request)
        claims["name"] = request.user.first_name or request.user.username
        claims["preferred_username"] = request.user.username
        return claims
