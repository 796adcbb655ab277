"""QtWebEngine is loaded only when the first page opens, not at start-up.

A fresh process (the suite's own conftest imports QtWebEngine early, so the check cannot run in
it) starts the window the way `launcher --county FILE` does (launcher.ui.app.open_window) for a
signed-in county with cached tasks, and looks at sys.modules once the window is shown, the cached
inbox is on screen and the start-up refresh has ended. Then it opens a platform's page from its
tile, which must load QtWebEngine late and still show the page. Real demo servers, the real
keyring and real Chromium (offscreen).
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from launcher_demo import DemoCounty, sign_in
from tests.fresh_process import run_fresh
from tests.oidc.launcher_cli import county_copy

pytestmark = [pytest.mark.webengine, pytest.mark.keyring, pytest.mark.usefixtures("real_keyring")]

COUNTY = "demo-lazy-webengine"  # its own keyring entries and data folder, apart from other tests'
WEBENGINE = ("PySide6.QtWebEngineCore", "PySide6.QtWebEngineWidgets")

CHILD = textwrap.dedent(
    """
    import json, os, sys
    from pathlib import Path
    from PySide6.QtCore import QTimer
    from launcher.ui.app import open_window

    app, window = open_window(Path(sys.argv[1]), lang="zh_CN", prompt_login=False)
    seen = {"rows": 0}

    def report(**values):
        print("RESULT " + json.dumps(values), flush=True)
        os._exit(0)

    def webengine():
        return sorted(m for m in sys.modules if m.startswith("PySide6.QtWebEngine"))

    def started(_ok):
        if "started" in seen:
            return
        seen["started"] = {"rows": seen["rows"], "visible": window.isVisible(),
                           "webengine": webengine(), "web_started": window.web_started()}
        window.web_tab_opened.connect(lambda tab: tab.load_finished.connect(
            lambda ok: report(started=seen["started"], page_loaded=ok, page_url=tab.url(),
                              webengine=webengine(), web_started=window.web_started())))
        window.open_platform(sys.argv[2])

    window.inbox_updated.connect(lambda rows: seen.__setitem__("rows", max(seen["rows"], rows)))
    window.refresh_finished.connect(started)
    window.load_failed.connect(lambda text: report(error=text))
    QTimer.singleShot(90_000, lambda: report(error="timed out", seen=str(seen)))
    window.show()
    app.exec()
    """
)


@pytest.fixture(scope="module")
def signed_in(
    demo_county: DemoCounty, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Path, Path]]:
    """(county file, LAUNCHER_HOME): signed in, with the tasks of one refresh in the cache."""
    from launcher.app.services import Services

    base = tmp_path_factory.mktemp("lazy-webengine")
    home = base / "home"
    county = county_copy(demo_county, COUNTY, base)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("LAUNCHER_HOME", str(home))
        services = Services.open(county)
        try:
            sign_in(services.auth)
            assert services.inbox.refresh().tasks
            yield county, home
        finally:
            services.auth.wipe_local()  # no session left in the keyring for other tests
            services.close()


def start_window(county: Path, home: Path, platform: str) -> dict[str, Any]:
    return run_fresh(CHILD, str(county), platform, env={"LAUNCHER_HOME": str(home)}, timeout=150)


def test_start_up_leaves_qtwebengine_unloaded_until_a_page_opens(
    signed_in: tuple[Path, Path], demo_county: DemoCounty
) -> None:
    county, home = signed_in
    result = start_window(county, home, "demo.anquan")

    started = result["started"]
    assert started["visible"]
    assert started["rows"] > 0, "the cached inbox was on screen"
    assert started["web_started"] is False
    for module in WEBENGINE:
        assert module not in started["webengine"], f"{module} was loaded at start-up"

    # The first page loads QtWebEngine then, after the QApplication exists, and it works: the
    # platform sends the page to the provider's sign-in form (the web profile is new).
    assert result["page_loaded"] is True
    assert result["page_url"].startswith(demo_county.issuer)
    assert result["web_started"] is True
    for module in WEBENGINE:
        assert module in result["webengine"]
