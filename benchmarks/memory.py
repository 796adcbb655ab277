"""Memory of the launcher: peak and resident with 30 platforms configured and 10,000 cached tasks
and no page open; then the increase for each platform page opened in the window (1, 2, 3 pages),
QtWebEngine's helper processes (QtWebEngineProcess) included.

Each figure comes from a fresh launcher process (benchmarks/_memory_child.py) started as
`launcher --county FILE` would start it, signed in with the session restored from the keyring:

- no page: the county's platforms pointed at a closed port, so the start-up refresh fails at once
  and the 10,000 cached tasks stay on screen (a running platform would replace them with its own
  few); measured once without and once with tracemalloc (which costs memory of its own, so the
  resident figures come from the run without it); median of several runs;
- pages: the real county (30 platforms served by another process), its start-up refresh done,
  then three platform pages opened one after another, the first signing in on the provider's web
  form, the next two by single sign-on. Chromium's processes share memory, so the per-page
  increase is given as PSS (each shared page counted once, split among its users) as well as the
  plain RSS sum, which counts shared libraries in every process.

Run: bash scripts/with-keyring.sh .venv/bin/python benchmarks/memory.py
"""

from __future__ import annotations

import json
import os
import re
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
    served_county,
    sign_in,
    synthetic_tasks,
)

PLATFORMS = 30
TASKS = 10_000
PAGES = 3


def mb(size: float) -> str:
    return f"{size / 2**20:.0f} MB"


def child(*args: str) -> dict[str, Any]:
    from launcher_demo import DEMO_USERS

    user = DEMO_USERS[0]
    env = {**os.environ, "BENCH_USER": user.username, "BENCH_PASSWORD": user.password}
    done = subprocess.run([sys.executable, str(BENCHMARKS / "_memory_child.py"), *args], env=env,
                          capture_output=True, text=True, timeout=300)
    for line in done.stdout.splitlines():
        if line.startswith("RESULT "):
            result: dict[str, Any] = json.loads(line[len("RESULT "):])
            if "error" in result:
                raise SystemExit(f"memory run {args} failed: {result}\n{done.stderr[-3000:]}")
            return result
    raise SystemExit(f"memory run {args} printed no result (exit {done.returncode}):\n"
                     f"{done.stderr[-3000:]}")


def offline_copy(county_path: Path) -> Path:
    """The county file with every platform at a closed port (same county id, same cache)."""
    text = re.sub(r'base_url = "http://127\.0\.0\.1:\d+"', 'base_url = "http://127.0.0.1:9"',
                  county_path.read_text(encoding="utf-8"))
    path = county_path.with_name("county-offline.toml")
    path.write_text(text, encoding="utf-8")
    return path


def main() -> int:
    args = arguments(__doc__.splitlines()[0], rounds=3)
    headless()
    out = Figures("memory", f"Memory with {PLATFORMS} platforms and {TASKS:,} cached tasks, "
                  "and per open page")
    print(out.title, flush=True)
    from launcher.app.services import Services

    with launcher_home("memory"), tempfile.TemporaryDirectory() as directory, \
            served_county(Path(directory), PLATFORMS) as county:
        services = Services.open(county.county_path)
        try:
            sign_in(services)
            services.inbox.refresh()
            ids = [p.id for p in services.inbox.platforms]
            if len(ids) != PLATFORMS:
                out.note(f"the demo county has {len(ids)} platforms with a task API, "
                         f"not {PLATFORMS}")
            fill_cache(services.cache, synthetic_tasks(ids, TASKS))
            offline = offline_copy(county.county_path)
            idle = [child("idle", str(offline)) for _ in range(args.rounds)]
            traced = child("idle", str(offline), "--tracemalloc")
            pages = [child("pages", str(county.county_path), str(PAGES))
                     for _ in range(args.rounds)]
        finally:
            services.auth.wipe_local()
            services.close()

    def med(runs: list[dict[str, Any]], index: int, key: str) -> float:
        return median([run["samples"][index][key] for run in runs])

    rows = idle[0]["rows"]
    out.figure("no page: inbox rows shown", f"{rows:,} (from {TASKS:,} cached tasks)")
    out.figure("no page: peak RSS (VmHWM)", mb(med(idle, 0, "peak_rss")))
    out.figure("no page: RSS after start-up", mb(med(idle, 0, "rss")))
    out.figure("no page: PSS after start-up", mb(med(idle, 0, "pss")))
    out.figure("no page: QtWebEngine loaded",
               "yes" if any(r["samples"][0]["webengine_loaded"] for r in idle) else "no")
    out.figure("no page: helper processes", str(max(r["samples"][0]["children"] for r in idle)))
    sample = traced["samples"][0]
    out.figure("no page: Python heap (tracemalloc), now / peak",
               f"{mb(sample['traced'])} / {mb(sample['traced_peak'])}")

    def total(run: dict[str, Any], index: int, kind: str) -> float:
        s = run["samples"][index]
        return float(s[kind] + s[f"children_{kind}"])

    base_rss = median([total(r, 0, "rss") for r in pages])
    base_pss = median([total(r, 0, "pss") for r in pages])
    out.figure("pages: launcher after its start-up refresh, no page (RSS / PSS)",
               f"{mb(base_rss)} / {mb(base_pss)}")
    previous_rss, previous_pss = base_rss, base_pss
    for n in range(1, PAGES + 1):
        now_rss = median([total(r, n, "rss") for r in pages])
        now_pss = median([total(r, n, "pss") for r in pages])
        processes = int(median([r["samples"][n]["children"] for r in pages]))
        out.figure(
            f"{n} page(s) open: total PSS {mb(now_pss)} (+{mb(now_pss - previous_pss)} for this "
            f"page), RSS sum {mb(now_rss)} (+{mb(now_rss - previous_rss)})",
            f"{processes} QtWebEngine processes",
        )
        previous_rss, previous_pss = now_rss, now_pss
    first = median([total(r, 1, "pss") - total(r, 0, "pss") for r in pages])
    later = median([(total(r, PAGES, "pss") - total(r, 1, "pss")) / (PAGES - 1) for r in pages])
    out.figure("first page (starts QtWebEngine and its processes), PSS", f"+{mb(first)}")
    out.figure("each further page, PSS", f"+{mb(later)}")
    out.save(args.json)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
