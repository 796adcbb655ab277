"""Start-up to the painted main window with 10,000 cached tasks, against the start-up of a bare
PySide6 QMainWindow measured in the same run (limit 1.5×; the cached tasks on screen, 2.5×).

Each start is a fresh process (benchmarks/_startup_child.py), timed from just before the process is
created until its main window's first frame is painted (the window and every widget in it);
launcher and bare starts alternate, several rounds after two unmeasured warm-ups each, and the
medians are compared. The launcher's start is `launcher --county FILE` itself (`launcher.main.main`
with those arguments, through run_gui and open_window) for a signed-in county of 30 demo platforms
with 10,000 tasks in its cache (the session in the keyring and the start snapshot the window keeps
of the inbox, as the previous day leaves them, so the cached inbox shows),
with compiled bytecode as an installed launcher has it; the county's platforms are stopped
before the measured starts, so the background refresh that follows start-up fails at once instead
of competing with it. Also reported: when the window's own first paint event came (before its
widgets are painted: what earlier runs took as the first paint), when the cached tasks are on screen
(the task table's first paint with rows), and whether QtWebEngine was loaded (it must not be until
a page opens). For information, a third kind of start alternates with them: plain PySide6 code
showing the same widgets as the launcher's first frame under its style sheet, none of the
launcher's code (about the least that window can cost).

Run: bash scripts/with-keyring.sh .venv/bin/python benchmarks/startup.py
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from _common import (
    BENCHMARKS,
    Figures,
    arguments,
    fill_cache,
    headless,
    launcher_home,
    median,
    monotonic,
    ms,
    served_county,
    sign_in,
    synthetic_tasks,
)

PLATFORMS = 30
TASKS = 10_000
LIMIT = 1.5
TASKS_LIMIT = 2.5
"""The cached tasks on screen against the bare window's first frame (issue 16)."""
MODES = ("bare", "widgets", "launcher")


def prepare(directory: Path) -> Path:
    """A signed-in county with TASKS cached tasks in LAUNCHER_HOME; returns its county file."""
    from launcher.app.services import Services

    with served_county(directory, PLATFORMS) as county:
        services = Services.open(county.county_path)
        try:
            sign_in(services)
            services.inbox.refresh()  # tokens and sync state as a real first day leaves them
            ids = [p.id for p in services.inbox.platforms]
            fill_cache(services.cache, synthetic_tasks(ids, TASKS))
            cached = services.inbox.cached()
            count = len(cached.tasks)
            if count != TASKS:
                raise SystemExit(f"the cache holds {count} tasks, not {TASKS}")
            keep_snapshot(services, cached.tasks)
        finally:
            services.close()  # the session stays in the keyring for the starts to restore
        return county.county_path


def keep_snapshot(services: Any, tasks: list[Any]) -> None:
    """The start snapshot the window keeps a moment after it shows these tasks (the same call,
    launcher/ui/start_snapshot.py): what yesterday's session leaves for today's start."""
    from launcher.app.start_snapshot import save
    from launcher.ui.inbox_index import form_names, prepare_groups

    user = services.auth.user
    groups = prepare_groups(services.grouping.group(tasks))
    if not save(services, user.sub, user.name, groups, groups.order,
                form_names(services.registry.platforms), services.cache.generation):
        raise SystemExit("the start snapshot was not kept")


def start(mode: str, county_path: Path, bytecode: Path) -> dict[str, Any]:
    args = [sys.executable, str(BENCHMARKS / "_startup_child.py"), mode]
    if mode == "launcher":
        args.append(str(county_path))
    env = compiled(bytecode)
    t0 = monotonic()
    env["BENCH_T0"] = repr(t0)
    done = subprocess.run(args, env=env, capture_output=True, text=True, timeout=120)
    for line in done.stdout.splitlines():
        if line.startswith("RESULT "):
            result: dict[str, Any] = json.loads(line[len("RESULT "):])
            if "error" in result:
                raise SystemExit(f"{mode} start failed: {result['error']}\n{done.stderr}")
            return result
    raise SystemExit(f"{mode} start printed no result (exit {done.returncode}):\n{done.stderr}")


def compiled(bytecode: Path) -> dict[str, str]:
    """The environment of a start with compiled bytecode, as an installed launcher has it (pip
    compiles at install). Kept in ``bytecode``, not beside the sources: a shell that sets
    PYTHONDONTWRITEBYTECODE would otherwise make every start compile every module again."""
    env = {**os.environ, "PYTHONPYCACHEPREFIX": str(bytecode)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def _yes_no(seen: set[bool]) -> str:
    return "sometimes" if len(seen) > 1 else "yes" if True in seen else "no"


def main() -> int:
    args = arguments(__doc__.splitlines()[0], rounds=15)
    headless()
    out = Figures("startup", f"Start-up to the painted main window with {TASKS:,} cached tasks")
    print(out.title, flush=True)
    with launcher_home("startup"), tempfile.TemporaryDirectory() as directory:
        county_path = prepare(Path(directory))
        bytecode = Path(directory) / "bytecode"
        try:
            # Warm-ups, not measured: bytecode, the file and font caches, the keyring daemon.
            for _ in range(2):
                for mode in MODES:
                    start(mode, county_path, bytecode)
            bare: list[float] = []
            bare_started: list[float] = []
            widgets: list[float] = []
            painted: list[float] = []
            started: list[float] = []
            on_screen: list[float] = []
            webengine: set[str] = set()
            from_snapshot: set[bool] = set()
            qt_namespace: dict[str, set[bool]] = {mode: set() for mode in MODES}
            rows = 0
            for round_ in range(args.rounds):
                for mode in MODES if round_ % 2 == 0 else MODES[::-1]:
                    result = start(mode, county_path, bytecode)
                    qt_namespace[mode].add(result["qt_namespace"])
                    if mode == "widgets":
                        widgets.append(result["painted"])
                    elif mode == "bare":
                        bare.append(result["painted"])
                        bare_started.append(result["paint_started"])
                    else:
                        painted.append(result["painted"])
                        started.append(result["paint_started"])
                        on_screen.append(result["tasks_on_screen"])
                        webengine.update(result["webengine_loaded"])
                        from_snapshot.add(result["from_snapshot"])
                        rows = result["rows"]
                print(f"  round {round_ + 1}/{args.rounds}: bare {ms(bare[-1])}, same widgets "
                      f"{ms(widgets[-1])}, launcher painted {ms(painted[-1])}, tasks on screen "
                      f"{ms(on_screen[-1])}", flush=True)
        finally:
            from launcher.app.services import Services

            services = Services.open(county_path)
            services.auth.wipe_local()
            services.close()

    out.figure("bare QMainWindow, first frame painted (median)", ms(median(bare)))
    out.figure("launcher, first frame of the main window painted (median)", ms(median(painted)))
    out.figure("plain PySide6 code showing the same widgets as the launcher's first frame, under "
               "its style sheet (median)", ms(median(widgets)))
    out.figure("the window's own first paint event, bare / launcher (medians; its widgets are "
               "painted after it)", f"{ms(median(bare_started))} / {ms(median(started))}")
    out.figure(f"launcher, cached tasks on screen ({rows:,} rows of {TASKS:,} tasks; median)",
               ms(median(on_screen)))
    out.figure("the cached tasks first shown from the start snapshot, before the county was open",
               _yes_no(from_snapshot))
    out.figure("QtWebEngine modules loaded at start-up", ", ".join(sorted(webengine)) or "none")
    out.figure("PySide6's Qt namespace (its ~95 Python enums) built by the first frame: bare / "
               "same widgets / launcher",
               " / ".join(_yes_no(qt_namespace[mode]) for mode in MODES))
    out.ratio("launcher first paint / bare QMainWindow first paint", median(painted) / median(bare),
              LIMIT, "(first frame: the window and all its widgets painted)")
    out.ratio("the same, to the window's own first paint event (before its widgets)",
              median(started) / median(bare_started), None)
    out.ratio("the same widgets in plain PySide6 code / bare QMainWindow first paint",
              median(widgets) / median(bare), None)
    out.ratio("cached tasks on screen / bare QMainWindow first paint",
              median(on_screen) / median(bare), TASKS_LIMIT)
    if webengine:
        out.ratio("QtWebEngine loaded at start-up (must be 0)", float(len(webengine)), 0.0)
    out.save(args.json)
    return 0 if out.passed else 1


if __name__ == "__main__":
    raise SystemExit(main())
