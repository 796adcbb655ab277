"""Memory with 30 platform pages open and left idle (frozen, then discarded by the page lifecycle,
launcher/ui/page_lifecycle.py), against the same 30 pages kept active, in one run.

Each figure comes from a fresh launcher process (benchmarks/_idle_pages_child.py) started as
`launcher --county FILE` would start it, signed in with the session restored from the keyring, on
the demo county of 30 platforms served by another process. It opens every platform's page in the
window, one after another (the first signs in on the provider's web form, the others by single
sign-on), then brings the inbox to the front, so that all 30 pages are hidden, and samples the
memory of the launcher and its QtWebEngine processes: just after, after the freeze delay, after the
discard delay, and once the first page is shown again. In the *idle* runs the lifecycle's delays
are shortened to seconds (the county's are minutes); in the *active* runs the pages are never
frozen. Idle and active runs alternate; the figures are medians. Chromium's processes share
memory, so totals are given as PSS (shared pages split among their users) and as the plain sum of
RSS.

Run: bash scripts/with-keyring.sh .venv/bin/python benchmarks/idle_pages.py
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from _common import BENCHMARKS, Figures, arguments, headless, launcher_home, median, served_county
from _common import sign_in as sign_in_services

PLATFORMS = 30
STEPS = ("hidden", "after the freeze delay", "after the discard delay", "one page shown again")


def mb(size: float) -> str:
    return f"{size / 2**20:.0f} MB"


def child(mode: str, county: Path) -> dict[str, Any]:
    from launcher_demo import DEMO_USERS

    user = DEMO_USERS[0]
    env = {**os.environ, "BENCH_USER": user.username, "BENCH_PASSWORD": user.password}
    done = subprocess.run(
        [sys.executable, str(BENCHMARKS / "_idle_pages_child.py"), mode, str(county),
         str(PLATFORMS)],
        env=env, capture_output=True, text=True, timeout=330,
    )
    for line in done.stdout.splitlines():
        if line.startswith("RESULT "):
            result: dict[str, Any] = json.loads(line[len("RESULT "):])
            if "error" in result:
                raise SystemExit(f"{mode} run failed: {result}\n{done.stderr[-3000:]}")
            return result
    raise SystemExit(f"{mode} run printed no result (exit {done.returncode}):\n"
                     f"{done.stderr[-3000:]}")


def total(run: dict[str, Any], step: str, kind: str) -> float:
    sample = next(s for s in run["samples"] if s["name"] == step)
    return float(sample[kind] + sample[f"children_{kind}"])


def main() -> int:
    args = arguments(__doc__.splitlines()[0], rounds=2)
    headless()
    out = Figures("idle_pages", f"Memory with {PLATFORMS} platform pages left idle, against the "
                  "same pages kept active")
    print(out.title, flush=True)
    from launcher.app.services import Services

    runs: dict[str, list[dict[str, Any]]] = {"active": [], "idle": []}
    with launcher_home("idle-pages"), tempfile.TemporaryDirectory() as directory, \
            served_county(Path(directory), PLATFORMS) as county:
        services = Services.open(county.county_path)
        try:
            sign_in_services(services)
            for _round in range(args.rounds):
                for mode in ("active", "idle"):
                    runs[mode].append(child(mode, county.county_path))
                    print(f"  ({mode} run {len(runs[mode])} done)", flush=True)
        finally:
            services.auth.wipe_local()
            services.close()

    active, idle = runs["active"], runs["idle"]
    pages = min(r["pages"] for r in [*active, *idle])
    if pages != PLATFORMS:
        out.note(f"only {pages} pages were open in some run, not {PLATFORMS}")
    freeze_s, discard_s = idle[0]["freeze_ms"] / 1000, idle[0]["discard_ms"] / 1000
    out.figure("pages open (all hidden behind the inbox)", str(pages))
    out.figure("idle runs' delays (the county's are minutes: 5 and 30 by default)",
               f"frozen after {freeze_s:g} s, discarded after {discard_s:g} s hidden")
    rows = [["moment", "active: PSS / RSS sum", "idle: PSS / RSS sum", "idle pages' states",
             "renderer processes (active / idle)"]]
    for step in STEPS:
        states = next(s for s in idle[0]["samples"] if s["name"] == step)["states"]
        counted = ", ".join(f"{states.count(n)} {n.lower()}" for n in ("Active", "Frozen",
                                                                          "Discarded")
                            if states.count(n))

        def renderers(run: dict[str, Any], step: str = step) -> int:
            return int(next(s for s in run["samples"] if s["name"] == step)["renderers"])

        rows.append([
            step,
            f"{mb(median([total(r, step, 'pss') for r in active]))} / "
            f"{mb(median([total(r, step, 'rss') for r in active]))}",
            f"{mb(median([total(r, step, 'pss') for r in idle]))} / "
            f"{mb(median([total(r, step, 'rss') for r in idle]))}",
            counted,
            f"{median([renderers(r) for r in active]):g} / {median([renderers(r) for r in idle]):g}",
        ])
    for row in rows[1:]:
        print("  " + " | ".join(row), flush=True)
    tables = [{"caption": "Total memory of the launcher and its QtWebEngine processes "
               "(medians):", "rows": rows}]
    step = "after the discard delay"
    for kind, label in (("pss", "PSS"), ("rss", "RSS sum")):
        active_total = median([total(r, step, kind) for r in active])
        idle_total = median([total(r, step, kind) for r in idle])
        out.ratio(f"{PLATFORMS} pages idle (discarded) / kept active, total {label}",
                  idle_total / active_total, None,
                  f"({mb(idle_total)} against {mb(active_total)})")
        out.figure(f"memory freed by leaving {PLATFORMS} pages idle ({label})",
                   mb(active_total - idle_total))
    frozen = "after the freeze delay"
    out.ratio(f"{PLATFORMS} pages frozen / kept active, total PSS",
              median([total(r, frozen, "pss") for r in idle])
              / median([total(r, frozen, "pss") for r in active]), None)
    if args.json is not None:
        out.save(args.json)
        data = json.loads(args.json.read_text(encoding="utf-8"))
        data["tables"] = tables
        args.json.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
