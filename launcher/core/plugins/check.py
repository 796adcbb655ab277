"""``launcher validate``: the checks loading does, on county files and plugin folders, plus
importing each Python entry, before a county ships them.

Nothing is checked twice over: a county file goes through ``load_county`` and ``build_registry``,
a plugin folder through ``load_manifest`` (or ``discover`` for a folder of them), exactly as the
launcher loads them. A Python entry is imported through the plugin host (launcher/core/plugins/
host.py), on its own thread with a time-out, so an import that hangs costs its time-out and no
more; its declared ``launcher.api`` version (versions.py) and its factory are checked, the
factory not called (it is the plugin's first contact with its platform).
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from launcher.core.county import load_county
from launcher.core.errors import ConfigError
from launcher.core.manifest import Manifest, load_manifest
from launcher.core.plugins.host import Plugin, PluginError
from launcher.core.plugins.versions import DECLARATION, LEGACY
from launcher.core.registry import build_registry, discover
from launcher.core.states import FailureReason

__all__ = ["IMPORT_TIMEOUT", "Problem", "Report", "check_paths", "problem_of"]

IMPORT_TIMEOUT = 20.0
"""Seconds a Python entry's import may take before it counts as hanging."""

_KEY = re.compile(r"[A-Za-z_][\w.\[\]\"-]*")


@dataclass(frozen=True)
class Problem:
    """One thing wrong: the file, the key inside it (empty: the file as a whole), what is wrong."""

    file: str
    key: str
    message: str

    @classmethod
    def of(cls, error: ConfigError) -> Problem:
        return cls(str(error.path), error.key, error.problem)

    def to_json(self) -> dict[str, str]:
        return {"file": self.file, "key": self.key, "message": self.message}


def problem_of(line: str) -> Problem:
    """A loading problem as the registry keeps it (``ConfigError``'s one line: ``file: key:
    message`` or ``file: message``) made into its parts again."""
    file, sep, rest = line.partition(".toml: ")
    if sep:
        file += ".toml"
    else:
        file, _, rest = line.partition(": ")
    key, sep, message = rest.partition(": ")
    if sep and _KEY.fullmatch(key):
        return Problem(file, key, message)
    return Problem(file, "", rest)


@dataclass
class Report:
    """What ``check_paths`` found."""

    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    """Not wrong, but worth fixing: a Python entry that declares no ``launcher.api`` version."""
    counties: int = 0
    plugins: int = 0
    entries: int = 0
    """Python entries imported and found sound."""
    hanging: bool = False
    """An entry's import did not return in time: its thread is still busy (a daemon)."""


def check_paths(paths: Iterable[Path], *, timeout: float = IMPORT_TIMEOUT) -> Report:
    """Check each path: a county file, a plugin folder (holding manifest.toml), or a folder of
    plugin folders."""
    report = Report()
    for path in paths:
        if path.is_file():
            _check_county(path, report, timeout)
        elif (path / "manifest.toml").is_file():
            _check_plugin(path / "manifest.toml", report, timeout)
        elif path.is_dir():
            _check_plugin_folders(path, report, timeout)
        else:
            report.problems.append(Problem(str(path), "", "no such file or folder"))
    return report


def _check_county(path: Path, report: Report, timeout: float) -> None:
    report.counties += 1
    try:
        county = load_county(path)
    except ConfigError as exc:
        report.problems.append(Problem.of(exc))
        return
    registry = build_registry(county)
    report.plugins += len(registry.errors)  # checked too: each is a plugin that did not load
    report.problems.extend(problem_of(line) for line in registry.errors)
    for platform in registry.platforms:
        report.plugins += 1
        _check_entry(platform.manifest, report, timeout)


def _check_plugin(path: Path, report: Report, timeout: float) -> None:
    report.plugins += 1
    try:
        manifest = load_manifest(path)
    except ConfigError as exc:
        report.problems.append(Problem.of(exc))
        return
    _check_entry(manifest, report, timeout)


def _check_plugin_folders(folder: Path, report: Report, timeout: float) -> None:
    manifests, errors = discover([folder])
    report.plugins += len(errors)  # checked too: each is a plugin that did not load
    report.problems.extend(problem_of(line) for line in errors)
    if not manifests and not errors:
        report.problems.append(Problem(str(folder), "", "holds no plugin (no */manifest.toml, "
                                                        "and no manifest.toml of its own)"))
    for manifest in manifests.values():
        report.plugins += 1
        _check_entry(manifest, report, timeout)


def _check_entry(manifest: Manifest, report: Report, timeout: float) -> None:
    """Check the dictionary keys its forms name; import a Python entry as the launcher would,
    and check its version and factory."""
    from launcher.core.profile.fields import load_fields
    from launcher.core.submit import dictionary_problems

    report.problems.extend(Problem.of(e) for e in dictionary_problems(manifest, load_fields()))
    spec = manifest.tasks
    if spec is None or spec.kind != "python":
        return
    plugin = Plugin(manifest.id, manifest.folder, spec.entry, _factory_checked(spec.entry),
                    max_failures=1)
    try:
        plugin.call("import", lambda factory, left: None, timeout, probe=True)
    except PluginError as exc:
        report.problems.append(Problem(str(manifest.path), "tasks.entry", str(exc)))
        report.hanging = report.hanging or exc.reason == FailureReason.TIMEOUT
        return
    report.entries += 1
    if plugin.api == LEGACY:
        report.warnings.append(Problem(
            str(manifest.path), "tasks.entry",
            f"{spec.entry}: its module declares no {DECLARATION}: it is called as a plugin "
            "written before API 1 (docs/plugins.md)"))


def _factory_checked(entry: str) -> Any:
    """The host's ``make`` for a check: the factory is made sure of, never called."""

    def make(factory: Any) -> Any:
        if not callable(factory):
            raise PluginError(f"{entry}: is {type(factory).__name__}, not a factory "
                              "(a function or class that takes the plugin's context)")
        try:
            inspect.signature(factory).bind(object())
        except TypeError as exc:
            raise PluginError(f"{entry}: cannot be called with the plugin's context alone "
                              f"({exc})") from None
        except ValueError:  # a built-in without a signature: calling it will tell
            pass
        return factory

    return make
