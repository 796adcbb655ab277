"""Build the one-folder bundle dist/yiduantong with PyInstaller (packaging/yiduantong.spec).

    .venv/bin/python packaging/build.py            (Linux)
    .venv\\Scripts\\python packaging\\build.py      (Windows, docs/windows.md)

The same script on both: on Windows it also draws the program's icon (yiduantong.ico) from
resources/icons/app.svg. PyInstaller's working files go to build/pyinstaller/. ``--reuse`` keeps
a bundle built from the same inputs (the launcher's files, this folder, pyproject.toml, Python
and the installed packages' versions), recorded as a hash in build/pyinstaller/bundle.stamp:
the test command builds the bundle once and reuses it while nothing changed.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import importlib.metadata
import os
import platform
import struct
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "packaging" / "yiduantong.spec"
DIST = ROOT / "dist"
WORK = ROOT / "build" / "pyinstaller"
BUNDLE = DIST / "yiduantong"
STAMP = WORK / "bundle.stamp"
ICON = WORK / "yiduantong.ico"
INPUTS = ("launcher", "launcher_demo", "plugins", "resources", "packaging", "pyproject.toml")
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256)


def program(name: str, bundle: Path = BUNDLE) -> Path:
    """The path of one of the bundle's programs (``yiduantong``, ``yiduantong-cli`` …)."""
    return bundle / (f"{name}.exe" if os.name == "nt" else name)


def inputs_hash() -> str:
    """A hash of everything the bundle is made of."""
    digest = hashlib.sha256()
    for name in INPUTS:
        top = ROOT / name
        files = [top] if top.is_file() else sorted(p for p in top.rglob("*") if p.is_file())
        for path in files:
            if "__pycache__" in path.parts:
                continue
            digest.update(path.relative_to(ROOT).as_posix().encode() + b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    digest.update(f"{sys.version}\0{platform.platform()}\0".encode())
    installed = sorted(
        f"{dist.metadata['Name']}=={dist.version}" for dist in importlib.metadata.distributions()
    )
    digest.update("\n".join(installed).encode())
    return digest.hexdigest()


def up_to_date(stamp: str) -> bool:
    return (
        STAMP.is_file()
        and STAMP.read_text(encoding="utf-8").strip() == stamp
        and program("yiduantong").is_file()
    )


def make_icon(svg: Path, ico: Path) -> Path:
    """``svg`` drawn at the sizes Windows shows, as one .ico of PNG images (Windows Vista+)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    app = QGuiApplication.instance() or QGuiApplication([])  # noqa: F841 - fonts need one
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"build: cannot read the icon {svg}")
    images = []
    for size in ICON_SIZES:
        image = QImage(size, size, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        renderer.render(painter)
        painter.end()
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        image.save(buffer, "PNG")  # type: ignore[call-overload]  # a str works
        buffer.close()
        images.append((size, bytes(data.data())))
    # ICONDIR, one ICONDIRENTRY per image (0 stands for 256), then the PNG data.
    header = struct.pack("<HHH", 0, 1, len(images))
    offset = len(header) + 16 * len(images)
    entries, blobs = b"", b""
    for size, png in images:
        side = size if size < 256 else 0
        entries += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(png), offset)
        blobs += png
        offset += len(png)
    ico.parent.mkdir(parents=True, exist_ok=True)
    ico.write_bytes(header + entries + blobs)
    return ico


def folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


@contextlib.contextmanager
def one_build_at_a_time() -> Iterator[None]:
    """Two builds in one checkout (two test runs) take turns instead of mixing their files."""
    WORK.mkdir(parents=True, exist_ok=True)
    with open(WORK / "build.lock", "w") as lock:
        if os.name == "posix":
            import fcntl

            fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def build(*, reuse: bool = False, clean: bool = False) -> Path:
    """Build the bundle (or keep the one built from the same inputs); returns its folder."""
    with one_build_at_a_time():
        return _build(reuse=reuse, clean=clean)


def _build(*, reuse: bool, clean: bool) -> Path:
    stamp = inputs_hash()
    if reuse and up_to_date(stamp):
        print(f"build: {BUNDLE} is up to date", flush=True)
        return BUNDLE
    STAMP.unlink(missing_ok=True)  # a build that fails leaves none
    env = dict(os.environ)
    if os.name == "nt":
        env["YIDUANTONG_ICON"] = str(make_icon(ROOT / "resources" / "icons" / "app.svg", ICON))
    command = [
        sys.executable, "-m", "PyInstaller", str(SPEC), "--noconfirm", "--log-level", "WARN",
        "--distpath", str(DIST), "--workpath", str(WORK),
    ]
    if clean:
        command.append("--clean")
    started = time.monotonic()
    print(f"build: {' '.join(command)}", flush=True)
    subprocess.run(command, cwd=ROOT, env=env, check=True)
    STAMP.parent.mkdir(parents=True, exist_ok=True)
    STAMP.write_text(stamp + "\n", encoding="utf-8")
    print(f"build: {BUNDLE} built in {time.monotonic() - started:.0f} s, "
          f"{folder_size(BUNDLE) / 2**20:.0f} MiB", flush=True)
    return BUNDLE


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reuse", action="store_true",
                        help="keep the bundle when its inputs have not changed")
    parser.add_argument("--clean", action="store_true",
                        help="empty PyInstaller's cache and build/pyinstaller first")
    args = parser.parse_args(argv)
    try:
        build(reuse=args.reuse, clean=args.clean)
    except subprocess.CalledProcessError as exc:
        print(f"build: PyInstaller failed (exit {exc.returncode})", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
