"""``yiduantong-check``: does the bundle work on this PC? (packaging/entry.py runs it.)

For the county IT team on a new kind of PC, and for tests/bundle/: it checks what the window's
start-up (``--screenshot``) does not reach, and prints one line per check, exiting 1 when any
failed:

- the program is the frozen bundle, and the launcher's modules (all those the checks imported)
  and files come from it, never from a source checkout nearby;
- the style sheet, the field dictionary and the page scripts are there; the Chinese translations
  (the launcher's and Qt's) load; Chromium's Chinese and English locales are there;
- the demo county is found through its entry point (``yiduantong.demo``);
- the keyring is a real one (Windows Credential Manager, the Secret Service), not the fail backend;
- QtWebEngine starts its helper process (QtWebEngineProcess) and renders a page with Chinese text,
  which runs JavaScript (``--screenshot FILE.png`` saves the picture of it).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path

TIMEOUT_MS = 60_000

PAGE = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>一端通自检</title></head>
<body style="margin:0;font:28px sans-serif;background:#1f5fbf;color:#fff">
<div style="padding:24px">一端通 · 网页引擎自检<br>QtWebEngine self-check</div>
<div style="height:80px;background:linear-gradient(90deg,#e34,#fc3,#3b7)"></div>
</body></html>"""


class Checks:
    """The results so far: one line each, printed as they come."""

    def __init__(self) -> None:
        self.failed: list[str] = []

    def run(self, name: str, check: Callable[[], str]) -> None:
        try:
            detail = check()
        except Exception as exc:  # any failure is this check's, and the others still run
            self.failed.append(name)
            print(f"FAIL  {name}: {type(exc).__name__}: {exc}", flush=True)
        else:
            print(f"ok    {name}: {detail}", flush=True)


def _bundle_dir() -> Path:
    return Path(getattr(sys, "_MEIPASS", "")).resolve()


def _inside_bundle(path: str | Path) -> bool:
    return Path(path).resolve().is_relative_to(_bundle_dir())


def check_frozen() -> str:
    if not getattr(sys, "frozen", False) or not hasattr(sys, "_MEIPASS"):
        raise RuntimeError("not running from a PyInstaller bundle")
    return f"Python {sys.version.split()[0]}, files in {_bundle_dir()}"


def check_modules() -> str:
    import launcher.main  # noqa: F401 - its modules are what is checked
    import launcher_demo

    ours = {
        name: getattr(module, "__file__", None)
        for name, module in list(sys.modules.items())
        if name.split(".")[0] in ("launcher", "launcher_demo")
    }
    outside = sorted(name for name, file in ours.items() if file and not _inside_bundle(file))
    if outside:
        raise RuntimeError(f"imported from outside the bundle: {', '.join(outside[:5])}")
    if launcher_demo.__file__ is None or not _inside_bundle(launcher_demo.__file__):
        raise RuntimeError(f"launcher_demo from {launcher_demo.__file__}")
    return f"{len(ours)} modules, all from the bundle"


def check_resources() -> str:
    from launcher.core import paths
    from launcher_demo.plugin_dir import plugins_dir

    resources = paths.resources_dir()
    if not _inside_bundle(resources):
        raise RuntimeError(f"resources from {resources}")
    wanted = ["style.qss", "style-contrast.qss", "fields.toml", "icons/app.svg",
              "autofill/main.js", "vault_login.js", "translations/launcher_zh_CN.qm"]
    missing = [name for name in wanted if not (resources / name).is_file()]
    plugins = plugins_dir()
    if not _inside_bundle(plugins) or not any(plugins.glob("*/manifest.toml")):
        missing.append(f"demo plugins ({plugins})")
    if missing:
        raise RuntimeError(f"missing: {', '.join(missing)}")
    return f"{resources}"


def check_demo() -> str:
    from launcher.core.demo import load_demo

    demo = load_demo()
    return f"{len(demo.users)} demo accounts, up to {demo.max_platforms} platforms"


def check_keyring() -> str:
    import keyring
    from keyring.backends import fail

    from launcher.core import keyring_backend

    keyring_backend.choose()  # as the launcher chooses it: the OS's own, else keyring's choice
    backend = keyring.get_keyring()
    if isinstance(backend, fail.Keyring):
        raise RuntimeError("no keyring backend (the launcher keeps sign-ins in the OS keyring)")
    return f"{type(backend).__module__}.{type(backend).__name__}"


def check_translations(app: object) -> str:
    # What the launcher's own start-up installed (launcher/ui/app.py, setup_application).
    translators = getattr(app, "_launcher_translators", [])
    loaded = {Path(t.filePath()).name: t for t in translators}
    ours = loaded.get("launcher_zh_CN.qm")
    if ours is None or ours.isEmpty() or ours.language() != "zh_CN":
        raise RuntimeError(f"the launcher's Chinese translation did not load ({sorted(loaded)})")
    if not any(name.startswith("qtbase_zh_CN") for name in loaded):
        raise RuntimeError(f"Qt's own Chinese translation did not load ({sorted(loaded)})")
    return ", ".join(sorted(loaded))


def check_web_files() -> str:
    from PySide6.QtCore import QLibraryInfo

    where = QLibraryInfo.LibraryPath
    helpers = Path(QLibraryInfo.path(where.LibraryExecutablesPath))
    process = helpers / ("QtWebEngineProcess.exe" if os.name == "nt" else "QtWebEngineProcess")
    data = Path(QLibraryInfo.path(where.DataPath)) / "resources"
    locales = Path(QLibraryInfo.path(where.TranslationsPath)) / "qtwebengine_locales"
    wanted = [process, data / "qtwebengine_resources.pak", data / "icudtl.dat",
              locales / "zh-CN.pak", locales / "en-US.pak"]
    missing = [str(path) for path in wanted if not path.is_file()]
    if missing:
        raise RuntimeError(f"missing: {', '.join(missing)}")
    outside = [str(path) for path in wanted if not _inside_bundle(path)]
    if outside:
        raise RuntimeError(f"outside the bundle: {', '.join(outside)}")
    return f"{process.name}, resources and {len(list(locales.glob('*.pak')))} locales"


def check_web_page(screenshot: Path | None) -> str:
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWebEngineWidgets import QWebEngineView

    view = QWebEngineView()
    view.resize(640, 240)
    loop = QEventLoop()
    found: dict[str, object] = {}

    def loaded(ok: bool) -> None:
        found["loaded"] = ok
        view.page().runJavaScript(
            "JSON.stringify([document.title, document.body.innerText.length, 6 * 7])", 0, answered
        )

    def answered(result: object) -> None:
        found["answer"] = result
        QTimer.singleShot(500, loop.quit)  # a moment for the page to be painted

    view.loadFinished.connect(loaded)
    QTimer.singleShot(TIMEOUT_MS, loop.quit)
    view.setHtml(PAGE)
    view.show()
    loop.exec()
    if not found.get("loaded"):
        raise RuntimeError("the page did not load (is QtWebEngineProcess starting?)")
    try:
        title, length, sum_ = json.loads(str(found.get("answer")))
    except (ValueError, TypeError):
        title = length = sum_ = None
    if title != "一端通自检" or not length or sum_ != 42:
        raise RuntimeError(f"JavaScript answered {found.get('answer')!r}")
    colours = _colours(view, loop)
    if colours < 4:
        raise RuntimeError(f"the page's picture is blank ({colours} colours)")
    if screenshot is not None:
        view.grab().save(str(screenshot), "PNG")
    view.close()
    return f"rendered ({colours} colours), JavaScript ran"


def _colours(view: object, loop: object) -> int:
    """The colours of the view's picture, waited for up to ten seconds (the first frame may still
    be white right after loading)."""
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWebEngineWidgets import QWebEngineView

    assert isinstance(view, QWebEngineView) and isinstance(loop, QEventLoop)
    colours = 0
    for _ in range(20):
        image = view.grab().toImage()
        colours = len({image.pixel(x, y) for x in range(0, image.width(), 8)
                       for y in range(0, image.height(), 8)})
        if colours >= 4:
            break
        QTimer.singleShot(500, loop.quit)
        loop.exec()
    return colours


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="yiduantong-check",
        description="一端通安装包自检 · checks that the launcher's bundle works on this PC",
    )
    parser.add_argument("--screenshot", type=Path, metavar="FILE.png",
                        help="save the picture of the web engine's test page")
    args = parser.parse_args(argv)
    checks = Checks()
    checks.run("bundle", check_frozen)
    checks.run("resources", check_resources)
    checks.run("demo county", check_demo)
    checks.run("keyring", check_keyring)
    # QtWebEngine before the QApplication, as the launcher imports it (launcher/ui/app.py).
    import PySide6.QtWebEngineWidgets  # noqa: F401

    from launcher.ui.app import ensure_application

    app = ensure_application("zh_CN")
    checks.run("translations", lambda: check_translations(app))
    checks.run("web engine files", check_web_files)
    checks.run("web engine", lambda: check_web_page(args.screenshot))
    checks.run("modules", check_modules)  # last: every module imported so far is checked
    if checks.failed:
        print(f"自检未通过 · {len(checks.failed)} check(s) failed: {', '.join(checks.failed)}")
        return 1
    print("自检通过 · all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
