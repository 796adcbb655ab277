"""Where the launcher keeps its files: LAUNCHER_HOME if set, else the platform's user data dir."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "yiduantong"
_PACKAGE_DIR = Path(__file__).resolve().parents[1]


def home() -> Path:
    """The directory for the profile, the task cache, logs and the web profile (created on use)."""
    override = os.environ.get("LAUNCHER_HOME")
    path = (
        Path(override) if override else Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    )
    path.mkdir(parents=True, exist_ok=True)
    return path


def _bundled(name: str) -> Path:
    # In a source checkout or editable install the folders sit beside the package; in a wheel or
    # a frozen bundle they are shipped inside it as launcher/_data/<name>.
    beside = _PACKAGE_DIR.parent / name
    if beside.is_dir():
        return beside
    return _PACKAGE_DIR / "_data" / name


def resources_dir() -> Path:
    return _bundled("resources")


def builtin_plugins_dir() -> Path:
    return _bundled("plugins")


def config_file() -> Path:
    """The county file the launcher uses when no --county is given."""
    return home() / "county.toml"
