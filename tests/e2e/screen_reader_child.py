"""The launcher's window for tests/e2e/test_screen_reader.py, in a process of its own on the xcb
platform (the parent reads it as a screen reader does): ``python -m
tests.e2e.screen_reader_child COUNTY_FILE``, in Chinese, signed in as the demo's first user by the
provider's form over HTTP; prints ``READY`` once the first refresh is on screen, and runs until it
is stopped."""

from __future__ import annotations

import sys
from pathlib import Path


def main() -> None:
    from launcher.ui.app import open_window
    from launcher_demo import DEMO_USERS, sign_in

    app, window = open_window(Path(sys.argv[1]), lang="zh_CN", prompt_login=False)
    ready = False

    def refreshed(_ok: bool) -> None:
        nonlocal ready
        if not ready:
            ready = True
            print("READY", flush=True)

    window.refresh_finished.connect(refreshed)
    window.services_ready.connect(
        lambda _services: window.sign_in_with(lambda s: sign_in(s.auth, DEMO_USERS[0]))
    )
    window.load_failed.connect(lambda text: print("FAILED", text, flush=True))
    window.show()
    app.exec()


if __name__ == "__main__":
    main()
