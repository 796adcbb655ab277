"""The device authorization grant (RFC 8628) against the real provider: `launcher login --device`
approved at the provider's own device pages; slow_down, expiry, refusal and cancel.

oidc-provider sends no ``interval`` and never says ``slow_down``: the test server's ``device`` knobs
(tests/servers/oidc-provider/server.mjs) add an interval of 1 s (RFC 8628's default of 5 s would
make the suite slow) and, where a test asks, the slow_down answers RFC 8628 §3.5 describes.
"""

from __future__ import annotations

import dataclasses
import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from launcher.app.services import Services
from launcher.core.auth.session import AuthSession
from launcher_demo import DemoCounty
from tests.oidc.conftest import OidcProvider, start_provider
from tests.oidc.launcher_cli import (
    county_copy,
    files_containing,
    keyring_entries,
    launcher,
    start,
    tokens_in_keyring,
)
from tests.oidc.provider_login import approve_device

pytestmark = pytest.mark.usefixtures("real_keyring")

COUNTY = "demo-op-device"


def configure(provider: OidcProvider, **device: object) -> None:
    answer = requests.post(f"{provider.issuer}/_test/config", json={"device": device}, timeout=10)
    assert answer.status_code == 200, answer.text


@pytest.fixture
def quick_device(oidc_provider: OidcProvider) -> Iterator[OidcProvider]:
    """The shared provider asking for 1 s between polls (put back to its defaults after)."""
    configure(oidc_provider, interval=1, slowDown=False)
    try:
        yield oidc_provider
    finally:
        configure(oidc_provider, interval=0, slowDown=False)


@pytest.fixture(scope="module")
def short_lived(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OidcProvider]:
    """A provider of its own whose device codes live 1 s."""
    provider = start_provider(
        tmp_path_factory.mktemp("short-lived-op"),
        ttl={"DeviceCode": 1},
        device={"interval": 1},
    )
    try:
        yield provider
    finally:
        provider.stop()


def plain_county(directory: Path, county_id: str, issuer: str) -> Path:
    path = directory / f"{county_id}.toml"
    path.write_text(
        f'[county]\nid = "{county_id}"\nname = "县"\n'
        f'[idp]\nissuer = "{issuer}"\nlogin = "device"\n',
        encoding="utf-8",
    )
    return path


def read_device_lines(process: object) -> dict[str, str]:
    """The ``key: value`` lines the command prints before it waits (no QR code: not a terminal)."""
    stdout = process.stdout  # type: ignore[attr-defined]
    shown: dict[str, str] = {}
    while "user_code" not in shown or "verification_uri_complete" not in shown:
        line = stdout.readline()
        assert line, f"the command ended early: {process.communicate()}"  # type: ignore[attr-defined]
        key, _, value = line.strip().partition(": ")
        shown[key] = value
    return shown


def test_login_in_device_mode_obeys_slow_down(
    provider_county: DemoCounty, quick_device: OidcProvider, tmp_path: Path
) -> None:
    """county.toml says ``login = "device"``: `launcher login` shows the URI and code, the user
    approves them at the provider, the launcher backs off when told to and signs in."""
    configure(quick_device, slowDown=True)
    slow_downs = quick_device.stats()["slowDowns"]
    county = county_copy(provider_county, COUNTY, tmp_path, login="device")
    home = tmp_path / "home"
    process = start(["login", "--county", str(county), "--timeout", "120", "--lang", "en"], home)
    try:
        shown = read_device_lines(process)
        assert shown["verification_uri"] == f"{quick_device.issuer}/device"
        assert shown["verification_uri_complete"].startswith(shown["verification_uri"] + "?")
        assert shown["user_code"] in shown["verification_uri_complete"]
        page = approve_device(shown["verification_uri"], shown["user_code"], "lina")
        assert "Sign-in Success" in page
        out, err = process.communicate(timeout=90)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 0, err
    assert out.splitlines()[-1] == f"signed in as 李娜 (lina) at {quick_device.issuer}"
    assert "enter the code" in err
    # The first poll was told to slow down; had the launcher not waited 5 s more, every later
    # poll would have been told again and the code would have expired unapproved.
    assert quick_device.stats()["slowDowns"] == slow_downs + 1
    secrets = tokens_in_keyring(COUNTY)
    try:
        status = launcher(["status", "--county", str(county), "--json"], home)
        data = json.loads(status.stdout)
        assert data["user"]["username"] == "lina"
        assert {p["state"] for p in data["platforms"] if p["auth_kind"] == "sso"} == {"signed-in"}
        # The device login asked for every platform's resource: the inbox works through it.
        inbox = launcher(["inbox", "--county", str(county), "--json"], home)
        assert inbox.returncode == 0, inbox.stderr
        assert "launcher: demo." not in inbox.stderr
        secrets |= tokens_in_keyring(COUNTY)
        for text in (out, err, status.stdout, inbox.stdout, inbox.stderr):
            assert not any(secret in text for secret in secrets)
    finally:
        assert launcher(["logout", "--county", str(county)], home).returncode == 0
    assert keyring_entries(COUNTY) == {}
    assert files_containing(home, secrets) == []


def test_the_complete_uri_and_the_id_token_of_a_device_login(
    provider_county: DemoCounty, quick_device: OidcProvider, tmp_path: Path
) -> None:
    """Core: approving through verification_uri_complete (the QR code's address, no typing);
    the session keeps the user named by the checked id_token."""
    county = county_copy(provider_county, f"{COUNTY}-core", tmp_path)
    services = Services.open(county)
    try:
        auth = services.auth
        assert isinstance(auth, AuthSession)
        flow = auth.begin_device()
        assert flow.interval == 1
        assert flow.qr_uri == flow.verification_uri_complete
        assert flow.device_code not in repr(flow)
        approver = threading.Thread(target=approve_device, args=(flow.qr_uri, None, "wangfang"))
        approver.start()
        user = auth.poll_device(flow)
        approver.join()
        assert (user.username, user.name) == ("wangfang", "王芳")
        assert auth.restore() == user
        status = auth.status()
        assert status.user == user and status.kind == "oidc"
    finally:
        services.auth.logout()
        services.close()


def test_a_declined_device_login_is_refused(
    oidc_provider: OidcProvider, quick_device: OidcProvider, tmp_path: Path
) -> None:
    county = plain_county(tmp_path, f"{COUNTY}-declined", quick_device.issuer)
    home = tmp_path / "home"
    process = start(["login", "--county", str(county), "--device", "--lang", "en"], home)
    try:
        shown = read_device_lines(process)
        approve_device(shown["verification_uri"], shown["user_code"], "zhangwei", approve=False)
        out, err = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 1
    assert "launcher: the sign-in was declined on the other device" in err
    assert "signed in as" not in out
    assert keyring_entries(f"{COUNTY}-declined") == {}


def test_an_unapproved_code_expires(short_lived: OidcProvider, tmp_path: Path) -> None:
    county = plain_county(tmp_path, f"{COUNTY}-expired", short_lived.issuer)
    result = launcher(["login", "--county", str(county), "--lang", "en"], tmp_path / "home")
    assert result.returncode == 1
    assert "user_code: " in result.stdout
    assert "launcher: the sign-in code expired before it was approved" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_providers_word_on_expiry_ends_the_polling(
    short_lived: OidcProvider, tmp_path: Path
) -> None:
    """Even when the launcher's clock thinks the code is still good, the provider's answer (the
    code is gone) ends the wait as expired."""
    county = plain_county(tmp_path, f"{COUNTY}-expired-core", short_lived.issuer)
    services = Services.open(county)
    try:
        auth = services.auth
        assert isinstance(auth, AuthSession)
        flow = auth.begin_device()
        flow = dataclasses.replace(flow, expires_at=time.time() + 600)
        time.sleep(1.5)  # let the provider's 1 s code lifetime pass
        with pytest.raises(Exception) as caught:
            auth.poll_device(flow)
        assert getattr(caught.value, "reason", None) == "expired", caught.value
        assert auth.restore() is None
    finally:
        services.close()


def test_cancel_ends_the_polling(quick_device: OidcProvider, tmp_path: Path) -> None:
    county = plain_county(tmp_path, f"{COUNTY}-cancel", quick_device.issuer)
    services = Services.open(county)
    try:
        auth = services.auth
        assert isinstance(auth, AuthSession)
        flow = auth.begin_device()
        cancel = threading.Event()
        threading.Timer(0.3, cancel.set).start()
        with pytest.raises(Exception) as caught:
            auth.poll_device(flow, cancel)
        assert getattr(caught.value, "reason", None) == "cancelled"
    finally:
        services.close()


def test_a_provider_without_device_sign_in_is_named(
    demo_county: DemoCounty, tmp_path: Path
) -> None:
    """The built-in demo provider has no device endpoint: a clear message, no traceback."""
    result = launcher(
        ["login", "--county", str(demo_county.county_path), "--device", "--lang", "en"], tmp_path
    )
    assert result.returncode == 1
    assert "offers no device sign-in (no device_authorization_endpoint)" in result.stderr
    assert "Traceback" not in result.stderr
