"""The real OpenID Certified provider (npm oidc-provider, tests/servers/oidc-provider) for the OIDC
tests, and a demo county whose platforms trust it.

``oidc_provider`` is started once per run (scripts/test.sh installs it with npm); tests that need a
provider of their own (another issuer, short lifetimes) call ``start_provider``.
"""

from __future__ import annotations

import json
import os
import select
import shutil
import subprocess
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import requests
from joserfc.jwk import RSAKey

from launcher.app.services import Services
from launcher.core.auth.session import AuthSession, UserInfo
from launcher_demo import DemoCounty
from launcher_demo.bearer import api_resource
from launcher_demo.users import DEMO_USERS
from tests.oidc.provider_login import sign_in

SERVER_DIR = Path(__file__).resolve().parents[1] / "servers" / "oidc-provider"
START_TIMEOUT = 30.0
ANOTHER_APP = {
    "client_id": "another-app",
    "application_type": "native",
    "token_endpoint_auth_method": "none",
    "redirect_uris": ["http://127.0.0.1/callback"],
    "grant_types": ["authorization_code", "refresh_token"],
    "response_types": ["code"],
}
"""A second public client of the shared provider: its id_tokens are for another audience."""
COUNTY_ID = "demo-op"
"""The provider county's id: its keyring entries and data folder are apart from the demo county's."""


def new_signing_key() -> RSAKey:
    """A signing key the test knows, handed to the provider (so tests can sign tokens with it)."""
    return RSAKey.generate_key(
        2048, private=True, parameters={"kid": f"test-{os.urandom(4).hex()}", "use": "sig",
                                        "alg": "RS256"}
    )


@dataclass
class OidcProvider:
    """One running oidc-provider process on 127.0.0.1."""

    issuer: str
    port: int
    process: subprocess.Popen[bytes]
    log_path: Path
    signing_keys: list[RSAKey] = field(default_factory=list)
    """Every key the provider has signed with, newest first (the first one signs now)."""

    @property
    def signing_key(self) -> RSAKey:
        return self.signing_keys[0]

    def _call(self, method: str, path: str, body: Any = None) -> dict[str, Any]:
        answer = requests.request(method, f"{self.issuer}/_test/{path}", json=body, timeout=10)
        assert answer.status_code == 200, f"{path}: {answer.status_code} {answer.text}"
        return answer.json()  # type: ignore[no-any-return]

    def register_resources(self, resources: Mapping[str, str | Mapping[str, Any]]) -> None:
        """Tell the provider of resource servers: {resource: scope} or {resource: {scope, ...}}."""
        body = {r: ({"scope": v} if isinstance(v, str) else dict(v)) for r, v in resources.items()}
        self._call("POST", "resources", body)

    def rotate_keys(self, *, keep_old: bool = True) -> str:
        """A new signing key from now on (the old ones stay published unless ``keep_old`` is
        False); returns its kid. Sessions, grants and tokens survive."""
        key = new_signing_key()
        kid = self._call("POST", "rotate-keys", {"jwk": key.as_dict(private=True),
                                                 "keep_old": keep_old})["kid"]
        self.signing_keys = [key, *self.signing_keys] if keep_old else [key]
        return str(kid)

    def stats(self) -> dict[str, Any]:
        """Counts of grants by type and of requests by path since the provider started."""
        return self._call("GET", "stats")

    def grants(self, grant_type: str = "refresh_token") -> int:
        return int(self.stats()["grants"].get(grant_type, 0))

    def requests_to(self, path: str) -> int:
        return int(self.stats()["paths"].get(path, 0))

    def revoke(self, token: str, hint: str = "refresh_token", client_id: str = "launcher") -> None:
        """RFC 7009 revocation at the provider, as an administrator or another device would."""
        answer = requests.post(
            f"{self.issuer}/token/revocation",
            data={"token": token, "token_type_hint": hint, "client_id": client_id},
            timeout=10,
        )
        assert answer.status_code == 200, answer.text

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)


def start_provider(directory: Path, **settings: Any) -> OidcProvider:
    """Start oidc-provider with ``settings`` (see server.mjs: ttl, clients, resources, issuer,
    autoConsent...); the demo users are its accounts and a test-known key signs."""
    node = shutil.which("node")
    if node is None:
        pytest.fail("the OIDC tests need Node.js 20+ (scripts/test.sh installs it as root)")
    if not (SERVER_DIR / "node_modules" / "oidc-provider").is_dir():
        pytest.fail(f"oidc-provider is not installed in {SERVER_DIR}: run scripts/test.sh, "
                    "which installs it with npm")
    directory.mkdir(parents=True, exist_ok=True)
    key = new_signing_key()
    config = {
        "accounts": {u.username: {"name": u.name} for u in DEMO_USERS},
        "jwks": {"keys": [key.as_dict(private=True)]},
        **settings,
    }
    config_path = directory / "oidc-provider.json"
    config_path.write_text(json.dumps(config, ensure_ascii=False), encoding="utf-8")
    log_path = directory / "oidc-provider.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [node, str(SERVER_DIR / "server.mjs"), "--config", str(config_path)],
            cwd=SERVER_DIR,
            stdout=subprocess.PIPE,
            stderr=log,
        )
    assert process.stdout is not None
    deadline = time.monotonic() + START_TIMEOUT
    line = b""
    while not line.endswith(b"\n") and time.monotonic() < deadline and process.poll() is None:
        ready, _, _ = select.select([process.stdout], [], [], 0.2)
        if ready:
            line += process.stdout.readline()
    if not line.endswith(b"\n"):
        process.kill()
        pytest.fail(f"oidc-provider did not start: {log_path.read_text(errors='replace')[-2000:]}")
    started = json.loads(line)
    provider = OidcProvider(started["issuer"], int(started["port"]), process, log_path, [key])
    discovery = requests.get(
        f"http://127.0.0.1:{provider.port}/.well-known/openid-configuration", timeout=10
    )
    assert discovery.status_code == 200, discovery.text
    return provider


@pytest.fixture(scope="session")
def oidc_provider(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OidcProvider]:
    """oidc-provider for the whole run."""
    provider = start_provider(tmp_path_factory.mktemp("oidc-provider"), clients=[ANOTHER_APP])
    try:
        yield provider
    finally:
        provider.stop()


def trust_provider(county: DemoCounty, provider: OidcProvider) -> None:
    """Register each demo platform's API at the provider as a resource server with its scope."""
    provider.register_resources(
        {api_resource(county.base_urls[s.plugin_id]): s.scope for s in county.specs}
    )


@pytest.fixture(scope="session")
def provider_county(
    oidc_provider: OidcProvider, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[DemoCounty]:
    """The demo county with oidc-provider as its identity provider: the platforms trust its tokens
    (audience = their resource), and county.toml (county id ``demo-op``) points the launcher there
    (client ``launcher``, login ``embedded``)."""
    county = DemoCounty(directory=tmp_path_factory.mktemp("provider-county"),
                        issuer=oidc_provider.issuer)
    with county:
        trust_provider(county, oidc_provider)
        text = county.county_path.read_text(encoding="utf-8")
        assert 'id = "demo"' in text
        county.county_path.write_text(text.replace('id = "demo"', f'id = "{COUNTY_ID}"', 1),
                                      encoding="utf-8")
        yield county


def log_in(auth: AuthSession, username: str = "zhangwei") -> UserInfo:
    """The launcher's one interactive login, with the person scripted at the provider's pages."""
    flow = auth.begin_login()
    return auth.complete_login(flow, sign_in(flow.auth_uri, username))


@pytest.fixture
def provider_services(provider_county: DemoCounty, real_keyring: None) -> Iterator[Services]:
    """The launcher's services for the provider county, signed out before and after the test."""
    services = Services.open(provider_county.county_path)
    services.auth.wipe_local()
    try:
        yield services
    finally:
        services.auth.wipe_local()
        for platform in services.registry.platforms:
            services.cache.forget(platform.id)
        services.close()
