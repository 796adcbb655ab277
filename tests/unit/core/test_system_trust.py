"""The county's CA: every HTTPS connection of the launcher trusts the operating system's store and
the county file's ``[network] ca_file``, and a certificate it does not trust is reported as such.

Real HTTPS servers on 127.0.0.1 (tests/unit/core/_local_tls.py) whose certificates a CA made here
signed: a county's own root CA, which nobody trusts until it is added. The machine's own store in
/etc/ssl is never changed: the operating system's store is what OpenSSL's default paths name, so
``SSL_CERT_FILE`` (which those paths follow on Linux) stands in for installing the CA there.
"""

from __future__ import annotations

import shutil
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
import truststore
from _local_http import closed_port_url
from _local_tls import Pki, TlsServer, make_pki, tls_server
from _platforms import make_platform

from launcher.core import network
from launcher.core.auth.cas import CasClient
from launcher.core.auth.oidc import OidcClient
from launcher.core.county import load_county
from launcher.core.errors import AuthError, ConfigError, SourceError
from launcher.core.http import SystemTrustAdapter, new_session
from launcher.core.inbox.cache import TaskCache
from launcher.core.inbox.service import Inbox
from launcher.core.inbox.sources import RestJsonSource
from launcher.core.registry import Registry

TASKS = {"data": {"items": [{"id": 1, "title": "消防安全检查"}]}}


@pytest.fixture(autouse=True)
def no_county_network() -> Iterator[None]:
    """Each test starts, and leaves the process, with no county's network settings in force."""
    network.use(network.NetworkConfig())
    yield
    network.use(network.NetworkConfig())


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    return make_pki(tmp_path_factory.mktemp("pki"))


@pytest.fixture
def server(pki: Pki) -> Iterator[TlsServer]:
    with tls_server(pki) as served:
        yield served


def county_file(folder: Path, network_table: str = "", *, ca: Path | None = None) -> Path:
    """A county file in ``folder``; ``ca`` is copied beside it as county-ca.pem."""
    folder.mkdir(parents=True, exist_ok=True)
    if ca is not None:
        shutil.copyfile(ca, folder / "county-ca.pem")
    path = folder / "county.toml"
    path.write_text(
        textwrap.dedent(
            """
            [county]
            id = "anji"
            name = "安吉县"

            [idp]
            issuer = "https://id.anji.example"
            """
        )
        + network_table,
        encoding="utf-8",
    )
    return path


def use_county_ca(folder: Path, pki: Pki) -> None:
    """Open a county file naming the CA, as Services.open does: its settings are in force."""
    county = load_county(
        county_file(folder, '[network]\nca_file = "county-ca.pem"\n', ca=pki.ca_file)
    )
    assert county.network.ca_file == (folder / "county-ca.pem").resolve()
    network.use(county.network)


def test_a_task_api_of_an_unknown_ca_is_refused_as_certificate_until_the_county_names_it(
    server: TlsServer, pki: Pki, tmp_path: Path
) -> None:
    server.json("/aq/api/tasks", TASKS)
    platform = make_platform(tmp_path / "plugins", f"{server.url}/aq")

    with pytest.raises(SourceError) as refused:
        RestJsonSource(platform).fetch(token="t", timeout=5)
    assert refused.value.reason == "certificate"
    assert "certificate" in str(refused.value) and "not trusted" in str(refused.value)
    assert server.seen == []  # refused in the handshake: not one request reached the API

    use_county_ca(tmp_path / "county", pki)
    tasks = RestJsonSource(platform).fetch(token="t", timeout=5)
    assert [t.title for t in tasks] == ["消防安全检查"]


def test_the_inbox_names_the_certificate_as_the_reason(
    server: TlsServer, tmp_path: Path
) -> None:
    server.json("/aq/api/tasks", TASKS)
    platform = make_platform(tmp_path / "plugins", f"{server.url}/aq")
    cache = TaskCache(tmp_path / "tasks.sqlite3")
    try:
        result = Inbox(Registry([platform]), cache, lambda _p: "t").refresh()
    finally:
        cache.close()
    state = result.states[platform.id]
    assert (state.state, state.reason) == ("failed", "certificate")


def test_an_identity_service_of_an_unknown_ca_is_a_certificate_failure_of_the_sign_in(
    server: TlsServer, pki: Pki, tmp_path: Path
) -> None:
    issuer = server.url
    server.json(
        "/.well-known/openid-configuration",
        {
            "issuer": issuer,
            "authorization_endpoint": f"{issuer}/authorize",
            "token_endpoint": f"{issuer}/token",
            "jwks_uri": f"{issuer}/jwks",
        },
    )
    server.json("/token", {"access_token": "at-1", "token_type": "Bearer", "expires_in": 60})

    with pytest.raises(AuthError) as refused:
        OidcClient(issuer, "launcher").metadata()
    assert refused.value.reason == "certificate"

    use_county_ca(tmp_path / "county", pki)
    client = OidcClient(issuer, "launcher")
    assert client.metadata().token_endpoint == f"{issuer}/token"
    # The token request goes through authlib's own session: it trusts the county's CA too.
    assert client.refresh("rt-1")["access_token"] == "at-1"


def test_a_cas_server_of_an_unknown_ca_is_a_certificate_failure(
    server: TlsServer, pki: Pki, tmp_path: Path
) -> None:
    server.raw(
        "/cas/p3/serviceValidate",
        b'<cas:serviceResponse xmlns:cas="http://www.yale.edu/tp/cas"><cas:authenticationSuccess>'
        b"<cas:user>zhangwei</cas:user></cas:authenticationSuccess></cas:serviceResponse>",
        content_type="application/xml",
    )
    cas = CasClient(f"{server.url}/cas")
    with pytest.raises(AuthError) as refused:
        cas.validate("http://127.0.0.1/cas-callback", "ST-1")
    assert refused.value.reason == "certificate"

    use_county_ca(tmp_path / "county", pki)
    assert cas.validate("http://127.0.0.1/cas-callback", "ST-2").user == "zhangwei"


def test_every_session_verifies_with_truststore(tmp_path: Path) -> None:
    from launcher.core.inbox.caldav_source import CalDavSource

    def trusting(session: requests.Session) -> bool:
        return all(
            isinstance(adapter, SystemTrustAdapter)
            and isinstance(adapter.context, truststore.SSLContext)
            for adapter in (session.get_adapter("https://x/"), session.get_adapter("http://x/"))
        )

    assert trusting(new_session())
    platform = make_platform(tmp_path / "plugins", "https://aq.anji.example")
    assert trusting(RestJsonSource(platform).http)
    caldav = make_platform(
        tmp_path / "plugins",
        "https://rl.anji.example",
        plugin_id="demo.rili",
        tasks='kind = "caldav"\nurl = "{base_url}/calendars/tasks/"\n',
    )
    client = CalDavSource(caldav)._client(None, 5.0)
    assert trusting(client.session)


@pytest.mark.skipif(sys.platform != "linux", reason="OpenSSL's default paths name the store")
def test_the_operating_system_store_is_trusted_and_requests_ca_bundle_only_adds(
    server: TlsServer, pki: Pki, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    server.json("/ping", {"ok": True})
    # The county's CA "installed in the operating system": the store OpenSSL's defaults name.
    monkeypatch.setenv("SSL_CERT_FILE", str(pki.ca_file))
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)
    # A bundle in REQUESTS_CA_BUNDLE used to replace every other CA: now it is added.
    other = make_pki(tmp_path / "other", "another CA")
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(other.ca_file))

    with new_session() as http:
        assert http.get(f"{server.url}/ping", timeout=5).json() == {"ok": True}
    # requests on its own (certifi, or the bundle named) does not know the county's CA.
    with pytest.raises(requests.exceptions.SSLError):
        requests.get(f"{server.url}/ping", timeout=5)


def test_a_proxy_never_gets_the_requests_for_this_machine(
    server: TlsServer, pki: Pki, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    server.json("/ping", {"ok": True})
    use_county_ca(tmp_path / "county", pki)
    dead_proxy = closed_port_url()
    for name in ("HTTPS_PROXY", "HTTP_PROXY", "https_proxy", "http_proxy"):
        monkeypatch.setenv(name, dead_proxy)
    for name in ("NO_PROXY", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
    with new_session() as http:
        assert http.get(f"{server.url}/ping", timeout=5).json() == {"ok": True}
        plain = server.url.replace("https://", "http://")
        with pytest.raises(requests.ConnectionError):  # TLS server, plain request: not the proxy
            http.get(f"{plain}/ping", timeout=5)


@pytest.mark.parametrize(
    ("table", "problem"),
    [
        ('[network]\nca_file = "missing.pem"\n', "cannot read 'missing.pem'"),
        ('[network]\nca_file = "garbage.pem"\n', "holds no readable PEM certificate"),
        ('[network]\nca_file = "server.pem"\n', "holds no CA certificate"),
        ('[network]\nca_file = ""\n', "must be a non-empty string"),
        ('[network]\nca_file = "."\n', "must be a PEM file"),
        ('[network]\nproxy = "http://proxy:8080"\n', "proxy: is not a known key"),
    ],
)
def test_a_wrong_ca_file_is_named_with_its_key(
    pki: Pki, tmp_path: Path, table: str, problem: str
) -> None:
    (tmp_path / "garbage.pem").write_text("-----BEGIN CERTIFICATE-----\nnope\n", encoding="utf-8")
    shutil.copyfile(pki.cert_file, tmp_path / "server.pem")
    with pytest.raises(ConfigError) as wrong:
        load_county(county_file(tmp_path, table))
    assert "network" in str(wrong.value)
    assert problem in str(wrong.value)


def test_no_network_table_means_the_system_store_alone(tmp_path: Path) -> None:
    assert load_county(county_file(tmp_path)).network == network.NetworkConfig()


def test_a_python_plugins_session_trusts_the_county_ca_and_names_a_certificate_failure(
    server: TlsServer, pki: Pki, tmp_path: Path
) -> None:
    """Issue 11, item 11: a Python plugin's ``context.session`` used requests' own bundle, and
    its certificate failure was reported as "network"."""
    from launcher.core.inbox.sources import PluginSource

    server.json("/aq/api/tasks", TASKS)
    platform = make_platform(tmp_path / "plugins", f"{server.url}/aq", plugin_id="demo.pytls",
                             tasks='kind = "python"\nentry = "tasks:make"')
    (platform.manifest.folder / "tasks.py").write_text(textwrap.dedent('''
        from launcher.api import TaskItem

        LAUNCHER_API = 1

        class Source:
            def __init__(self, context):
                self.context = context

            def fetch(self, *, timeout):
                answer = self.context.session.get(self.context.url("/api/tasks"), timeout=timeout)
                answer.raise_for_status()
                return [TaskItem(platform=self.context.platform_id, id=str(item["id"]),
                                 title=item["title"], url="") for item in answer.json()["data"]["items"]]

        def make(context):
            return Source(context)
    '''), encoding="utf-8")

    with pytest.raises(SourceError) as refused:
        PluginSource(platform).fetch(token=None, timeout=5)
    assert refused.value.reason == "certificate"

    use_county_ca(tmp_path / "county", pki)
    tasks = PluginSource(platform).fetch(token=None, timeout=5)
    assert [t.title for t in tasks] == ["消防安全检查"]
