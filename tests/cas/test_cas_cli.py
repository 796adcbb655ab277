"""The command line on a CAS county after a sign-in in the window: status, inbox, logout, each in a
new process, using the CAS session kept in the keyring (real CAS server, platforms, keyring)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from launcher.app.services import Services
from launcher.core.auth.cas_session import CasSession
from launcher_demo import DemoCounty
from tests.cas.conftest import CasServer
from tests.cas.test_cas_session import USER, api_get, signed_in
from tests.oidc.launcher_cli import launcher

pytestmark = pytest.mark.usefixtures("real_keyring")


def test_status_inbox_and_logout_use_the_cas_session(
    cas_demo: DemoCounty, cas_server: CasServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    county = str(cas_demo.county_path)
    monkeypatch.setenv("LAUNCHER_HOME", str(tmp_path))
    services = Services.open(cas_demo.county_path)
    try:
        # What the window does at sign-in (the embedded page, here driven by a script).
        assert isinstance(services.auth, CasSession)
        browser = signed_in(services.auth)
        platform = services.registry.get("demo.anquan")
        assert platform is not None and platform.manifest.tasks is not None
        token = services.auth.token_for(platform)
        assert token

        login = launcher(["login", "--county", county, "--no-browser", "--lang", "en"], tmp_path)
        assert login.returncode == 1 and "CAS" in login.stderr and "window" in login.stderr

        status = launcher(["status", "--county", county, "--json"], tmp_path)
        assert status.returncode == 0, status.stderr
        answer = json.loads(status.stdout)
        assert answer["kind"] == "cas" and answer["idp"] == cas_server.url
        assert answer["user"]["name"] == USER.name
        assert token not in status.stdout

        inbox = launcher(["inbox", "--county", county, "--json"], tmp_path)
        assert inbox.returncode == 0, inbox.stderr
        platforms = {p for row in json.loads(inbox.stdout) for p in row["platforms"]}
        assert len(platforms) == 7

        logout = launcher(["logout", "--county", county], tmp_path)
        assert logout.returncode == 0, logout.stderr
        assert services.auth.restore() is None
        assert services.auth.secrets.names() == []
        # Single logout reached the platform: the token the launcher held is refused now.
        assert api_get(platform, token).status_code == 401
        # Nothing of the session (ticket-granting cookie, tokens) in the launcher's files.
        secrets = [token, *browser.cookies(cas_server.url).values()]
        for path in tmp_path.rglob("*"):
            if path.is_file():
                data = path.read_bytes()
                assert not any(s.encode() in data for s in secrets), path
    finally:
        services.auth.wipe_local()
        services.close()
