"""The layering the design depends on, checked by import-linter on every run."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_import_contracts_hold() -> None:
    exe = shutil.which("lint-imports") or str(Path(sys.executable).parent / "lint-imports")
    result = subprocess.run([exe], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "launcher.app, launcher.core and launcher.api are free of Qt KEPT" in result.stdout
    assert "layers: ui | cli above app above core above api KEPT" in result.stdout
    assert "app, core and api never reach into the UI KEPT" in result.stdout
    assert "nothing under launcher imports the demo county KEPT" in result.stdout
    assert "core's identity, inbox and profile packages are independent KEPT" in result.stdout


def test_the_demo_contract_catches_an_import_of_the_demo_county(tmp_path: Path) -> None:
    """The contract of pyproject.toml, run on a launcher that imports the demo county (at the top
    of a module, inside a function, for type checking only): broken, naming each. So the contract
    that passes above really looks at those imports."""
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    linter = config["tool"]["importlinter"]
    (contract,) = [
        c for c in linter["contracts"]
        if c["name"] == "nothing under launcher imports the demo county"
    ]
    for package, modules in {
        "launcher": {
            "cli": "import launcher_demo.entry\n",
            "ui": "def demo():\n    from launcher_demo import entry\n    return entry\n",
            "app": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import launcher_demo\n",
        },
        "launcher_demo": {"entry": "DEMO = object()\n"},
    }.items():
        (tmp_path / package).mkdir()
        (tmp_path / package / "__init__.py").write_text("", encoding="utf-8")
        for name, text in modules.items():
            (tmp_path / package / f"{name}.py").write_text(text, encoding="utf-8")
    lines = [
        "[tool.importlinter]",
        'root_packages = ["launcher", "launcher_demo"]',
        "include_external_packages = true",
        "[[tool.importlinter.contracts]]",
        *(f"{key} = {_toml(value)}" for key, value in contract.items()),
    ]
    (tmp_path / "pyproject.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    exe = shutil.which("lint-imports") or str(Path(sys.executable).parent / "lint-imports")
    result = subprocess.run(
        [exe, "--no-cache"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(tmp_path)},
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert "nothing under launcher imports the demo county BROKEN" in result.stdout
    assert "launcher.cli -> launcher_demo" in result.stdout
    for module in ("launcher.cli", "launcher.ui", "launcher.app"):
        assert f"{module} -> launcher_demo" in result.stdout


def _toml(value: object) -> str:
    import json

    return json.dumps(value)  # strings and lists of strings: TOML reads JSON's forms of them


def test_pytest_leaves_the_launchers_own_modules_as_they_are() -> None:
    """The launcher ships a pytest plugin (pytest11): pytest rewrites the asserts of every module
    of a plugin's distribution it can list. The launcher's modules must not be among them (an
    editable install's egg-info beside the sources listed them all; scripts/setup.sh removes it):
    a module imported inside a deep Qt call was rewritten there, and CPython's AST check failed."""
    import launcher.ui.window_parts

    loader = type(launcher.ui.window_parts.__loader__).__name__
    assert loader != "AssertionRewritingHook"
