"""Re-extract the UI's strings into the .ts file and compile it to the .qm the launcher loads.

    python tools/update_translations.py          # lupdate + lrelease
    python tools/update_translations.py --check  # exit 1 if any string lacks a finished translation

New or changed strings appear in resources/translations/launcher_zh_CN.ts as unfinished; translate
them (Qt Linguist: pyside6-linguist, or any editor) and run this again to rebuild the .qm.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ROOT / "launcher" / "ui"
TRANSLATIONS = ROOT / "resources" / "translations"
LANGUAGES = ("zh_CN",)


def tool(name: str) -> str:
    """The pyside6-<name> next to this Python, else on PATH."""
    beside = Path(sys.executable).with_name(f"pyside6-{name}")
    if beside.exists():
        return str(beside)
    found = shutil.which(f"pyside6-{name}")
    if found is None:
        raise SystemExit(f"pyside6-{name} not found: install PySide6 into this Python")
    return found


def unfinished(ts_file: Path) -> list[str]:
    """Source texts of ``ts_file`` without a finished translation."""
    missing = []
    for message in ET.parse(ts_file).getroot().iter("message"):
        translation = message.find("translation")
        source = message.findtext("source", "")
        if translation is None or translation.get("type") in ("unfinished", "obsolete", "vanished"):
            if translation is None or translation.get("type") == "unfinished":
                missing.append(source)
            continue
        if not (translation.text or "").strip() and translation.find("numerusform") is None:
            missing.append(source)
    return missing


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report unfinished strings")
    args = parser.parse_args(argv)
    sources = sorted(str(p) for p in SOURCES.rglob("*.py"))
    status = 0
    for language in LANGUAGES:
        ts_file = TRANSLATIONS / f"launcher_{language}.ts"
        if not args.check:
            TRANSLATIONS.mkdir(parents=True, exist_ok=True)
            subprocess.run(
                [
                    tool("lupdate"),
                    *sources,
                    "-no-obsolete",
                    "-locations",
                    "none",
                    "-target-language",
                    language,
                    "-ts",
                    str(ts_file),
                ],
                check=True,
            )
            subprocess.run(
                [tool("lrelease"), str(ts_file), "-qm", str(ts_file.with_suffix(".qm"))],
                check=True,
            )
        missing = unfinished(ts_file)
        for source in missing:
            print(f"{ts_file.name}: not translated: {source!r}")
        if missing:
            status = 1
    return status


if __name__ == "__main__":
    raise SystemExit(main())
