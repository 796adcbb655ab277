"""A second real identity provider: django-oauth-toolkit (tests/servers/dot) on its defaults for
OpenID Connect, two platform APIs of the same Django project accepting its tokens (each wants its
own scope), and a county (system-browser login) whose ``[idp] tokens`` mode a test picks.

The person is scripted at DOT's real pages (Django's login form, DOT's consent form) with requests.
"""

from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import requests

from launcher.app.services import Services
from launcher_demo.users import DEMO_USERS
from tests.oidc.provider_login import _page

SERVE = Path(__file__).resolve().parents[1] / "servers" / "dot" / "serve.py"
MAX_STEPS = 12
PLATFORMS = {"dot.a": ("a", "dot.tasks"), "dot.b": ("b", "dot.notices")}
"""Platform id: (its path under the server, the scope its API wants)."""


@dataclass
class DotProvider:
    issuer: str
    process: subprocess.Popen[str]

    @property
    def origin(self) -> str:
        parts = urlsplit(self.issuer)
        return f"{parts.scheme}://{parts.netloc}"

    def tasks(self, path: str, token: str) -> requests.Response:
        """A platform API's answer to ``token`` (200: it still works)."""
        return requests.get(f"{self.origin}/{path}/api/tasks",
                            headers={"Authorization": f"Bearer {token}"}, timeout=10)


@pytest.fixture(scope="session")
def dot_provider(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DotProvider]:
    data = tmp_path_factory.mktemp("dot")
    process = subprocess.Popen(
        [sys.executable, str(SERVE), str(data)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )
    assert process.stdout is not None
    line = process.stdout.readline()
    if not line.startswith("READY "):
        process.kill()
        pytest.fail(f"django-oauth-toolkit did not start: {line!r}")
    try:
        yield DotProvider(line.split()[1], process)
    finally:
        assert process.stdin is not None
        process.stdin.close()  # serve.py exits when its standard input closes
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()


def sign_in(auth_uri: str, username: str = "zhangwei") -> str:
    """Django's login form and DOT's consent form, as a browser would; returns the redirect
    that leaves the provider (the launcher's loopback callback), unrequested."""
    password = next(u.password for u in DEMO_USERS if u.username == username)
    provider = urlsplit(auth_uri).netloc
    with requests.Session() as http:
        http.trust_env = False
        url, response = auth_uri, http.get(auth_uri, allow_redirects=False, timeout=10)
        for _ in range(MAX_STEPS):
            if response.is_redirect:
                url = urljoin(url, response.headers["Location"])
                if urlsplit(url).netloc != provider or "/callback" in urlsplit(url).path:
                    return url
                response = http.get(url, allow_redirects=False, timeout=10)
                continue
            page = _page(response)
            assert page.forms, f"no form at {url}: {' '.join(page.text)[-400:]}"
            form = page.forms[0]
            data = dict(form.fields)
            if "password" in data:
                data.update(username=username, password=password)
            else:
                data["allow"] = "Authorize"  # DOT's consent page
            url = urljoin(url, form.action or url)
            response = http.post(url, data=data, allow_redirects=False, timeout=10,
                                 headers={"Referer": url})
    raise AssertionError(f"more than {MAX_STEPS} steps at the provider, last at {url}")


def browser(username: str = "zhangwei") -> Callable[[str], None]:
    """``open_url`` for ``login_system_browser``: signs in and follows the loopback redirect."""
    def open_url(url: str) -> None:
        def person() -> None:
            requests.get(sign_in(url, username), timeout=10)

        threading.Thread(target=person, daemon=True).start()

    return open_url


def write_county(directory: Path, provider: DotProvider, idp_extra: str = "") -> Path:
    """A county of the two DOT platforms; ``idp_extra``: more ``[idp]`` lines."""
    plugins = directory / "plugins"
    for platform_id, (path, scope) in PLATFORMS.items():
        folder = plugins / path
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "manifest.toml").write_text(f'''schema = 1
id = "{platform_id}"
name = "平台 {path.upper()}"
version = "1.0.0"
home = "{{base_url}}/"
origins = ["{{base_url}}"]

[auth]
kind = "sso"
scopes = ["{scope}"]

[tasks]
kind = "rest-json"
url = "{{base_url}}/api/tasks"
items = "items"
fields = {{ id = "id", title = "title" }}
''', encoding="utf-8")
    county = directory / "county.toml"
    entries = "".join(
        f'[[platforms]]\nplugin = "{pid}"\nbase_url = "{provider.origin}/{path}"\n\n'
        for pid, (path, _) in PLATFORMS.items()
    )
    county.write_text(f'''plugin_dirs = ["plugins"]

[county]
id = "dot-{directory.name[-8:].lower().replace("_", "-")}"
name = "DOT 县"

[idp]
issuer = "{provider.issuer}"
client_id = "launcher"
login = "system-browser"
{idp_extra}

{entries}''', encoding="utf-8")
    return county


@pytest.fixture
def dot_services(
    request: pytest.FixtureRequest, dot_provider: DotProvider, tmp_path: Path, real_keyring: None
) -> Iterator[Services]:
    """Services of a DOT county; ``@pytest.mark.parametrize("dot_services", ['tokens = "shared"'],
    indirect=True)`` gives ``[idp]`` lines."""
    county = write_county(tmp_path / "county", dot_provider, getattr(request, "param", ""))
    services = Services.open(county)
    services.auth.wipe_local()
    try:
        yield services
    finally:
        services.auth.wipe_local()
        services.close()
