"""Write docs/performance.md from the figures the benchmark scripts saved (benchmarks/run.sh).

Usage: report.py RESULTS_DIR OUTPUT.md
"""

from __future__ import annotations

import json
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

from _common import machine

ORDER = ("refresh_concurrency", "startup", "filter_keystroke", "memory")

HOW = """\
## How to run them

```sh
bash benchmarks/run.sh            # all four, then this file is rewritten with their figures
bash benchmarks/run.sh --rounds 3 # fewer repetitions (quicker, noisier)
bash scripts/with-keyring.sh .venv/bin/python benchmarks/startup.py   # one of them
```

`run.sh` sets up headless Qt (offscreen, Chromium without sandbox or GPU) and a private keyring
(gnome-keyring on a D-Bus session of its own), runs each script, and rewrites this file with the
figures of that run. The scripts are not tests (pytest collects only `tests/`) and never fail the
suite; each exits non-zero when one of its judged ratios is over its limit. Machines are shared and
noisy, so every ratio compares two things measured side by side in the same run, interleaved and
repeated, by their medians; absolute times vary from run to run and from machine to machine, the
ratios much less. The demo county the benchmarks use (`DemoCounty(platform_count=30, latency=...)`)
is served by a process of its own, as real platforms are other computers.
"""

ABOUT = {
    "refresh_concurrency": """\
`benchmarks/refresh_concurrency.py`: `Services.inbox.refresh()` of a signed-in demo county of 30
platforms whose task APIs answer after 200 ms, the full real path (per-platform access tokens,
HTTP, the SQLite cache). The yardstick is the slowest platform's own latency, measured in the same
run by refreshing each platform alone. Two demo platforms page their task lists three items at a
time, so they need two round trips (two latencies) whatever the launcher does; the slowest
platform is one of them. *Steady* is the refresh a running launcher repeats (tokens held): the
judged ratio. *Cold* first forgets every platform token, so the refresh also obtains 30 new ones
from the county provider; they are obtained one after another (a refresh-token grant at a time,
as providers that rotate refresh tokens require), and each costs keyring writes (the token, the
keyring index) and reads: the last two figures show where that time goes.""",
    "startup": """\
`benchmarks/startup.py`: fresh processes, timed from just before the process is created to the
first paint event of its main window; a bare PySide6 `QMainWindow` and the launcher (the start
path of `launcher --county FILE`, through `launcher.ui.app.open_window`) alternate, after warm-up
runs. The launcher's county has 30 platforms, 10,000 cached tasks and a session in the keyring, so
its start shows the cached inbox; its platforms are stopped, so the refresh that follows start-up
fails at once instead of competing. Bytecode is compiled, as in an installed launcher. Also given:
when the 10,000 cached tasks are on screen (the task table's first paint with rows), which includes
opening the county on a worker thread (keyring, SQLite, grouping), and whether QtWebEngine was
loaded (it must not be until a page opens; `tests/integration/test_lazy_webengine.py` checks it).

What the launcher spends beyond the bare window happens on the GUI thread before the first paint,
in four parts, the middle two the largest: importing the `launcher` command's modules and logging;
importing the window's UI modules (each defines Qt classes and makes PySide6 create the Python
enum types of the Qt enums it uses); building the window's widgets, which the application's style
sheet (`resources/style.qss`) makes about twice as costly; and a first paint under that style
sheet. Opening the county (keyring, SQLite, the 10,000 cached tasks) runs on a worker thread and
is not part of the first paint. Lighter still would be a window that builds what is not visible
at start (the profile tab, menus, tray, sign-in, vault and form-fill controllers) after its first
paint.""",
    "filter_keystroke": """\
`benchmarks/filter_keystroke.py`: the real `InboxView` (offscreen, 1280×800) over 100,000 grouped
tasks; each keystroke is one Chinese character committed into the search box (as an input method
delivers it), timed until the view's table has its new row count, and until the event loop has
also repainted it (`processEvents`), against `[t for t in titles if q in t]` over the 100,000
titles timed right beside it. The first character searches every row; the following ones only the
rows still shown. The repaint is a fixed cost of the table's size, not of the number of tasks: the
repaint figures show it for the inbox table and for a plain `QTableView` of the same size. The
filtering itself is one list comprehension over precomputed, case-folded haystacks
(`launcher/ui/inbox_model.py`); what the painted figure adds is the table's repaint, whose cells
come from Python `data()` calls and are styled by the style sheet.""",
    "memory": """\
`benchmarks/memory.py`: fresh launcher processes (`benchmarks/_memory_child.py`), signed in, 30
platforms configured. *No page*: 10,000 cached tasks on screen (platforms pointed at a closed port,
so they stay), QtWebEngine not loaded; resident memory from runs without tracemalloc, the Python
heap from a run with it. *Pages*: the real county, three platform pages opened one after another
in the window (the first signs in on the provider's web form, the next two by single sign-on).
Chromium's processes share much of their memory, so the totals are given as PSS (shared pages
split among the processes using them) as well as the plain sum of RSS, which counts shared
libraries once per process.""",
}


def table(rows: list[list[str]]) -> list[str]:
    head, *body = rows
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join(" --- " for _ in head) + "|"]
    lines += ["| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in body]
    return lines


def section(name: str, data: dict[str, Any] | None) -> list[str]:
    lines = []
    if data is None:
        return [f"## {name}", "", "Not measured in the last run (the script failed or was not run).",
                "", ABOUT[name], ""]
    lines += [f"## {data['title']}", ""]
    if data["ratios"]:
        rows = [["ratio", "measured", "limit", "verdict"]]
        for ratio in data["ratios"]:
            limit = f"≤ {ratio['limit']:g}×" if ratio["limit"] is not None else "—"
            name_ = ratio["name"] + (f" {ratio['detail']}" if ratio["detail"] else "")
            rows.append([name_, f"{ratio['value']:.2f}×", limit, ratio["verdict"]])
        lines += [*table(rows), ""]
    if data["figures"]:
        lines += [*table([["figure", "value"], *([f, v] for f, v in data["figures"])]), ""]
    for note in data["notes"]:
        lines += [f"Note: {note}", ""]
    lines += [ABOUT[name], ""]
    return lines


def main() -> int:
    results, output = Path(sys.argv[1]), Path(sys.argv[2])
    found: dict[str, dict[str, Any]] = {}
    for name in ORDER:
        path = results / f"{name}.json"
        if path.is_file():
            found[name] = json.loads(path.read_text(encoding="utf-8"))
    facts = machine()
    verdicts = [r["verdict"] for d in found.values() for r in d["ratios"]]
    summary = (
        f"{verdicts.count('PASS')} judged ratios pass, {verdicts.count('FAIL')} fail"
        + (f"; {len(ORDER) - len(found)} benchmark(s) did not run" if len(found) < len(ORDER)
           else "")
    )
    lines = [
        "# Performance",
        "",
        "The figures below are those of the last run of `benchmarks/run.sh`, which rewrites this "
        "file (do not edit it by hand). The limits are the ones issue 4 sets.",
        "",
        f"Last run: {datetime.now().astimezone().strftime('%Y-%m-%d %H:%M %Z')}; {summary}.",
        "",
        *table([
            ["machine", ""],
            ["CPUs", f"{facts['cpus']} ({facts['cpu']})"],
            ["system", facts["system"]],
            ["Python", facts["python"]],
            ["PySide6", facts["pyside6"]],
        ]),
        "",
    ]
    for name in ORDER:
        lines += section(name, found.get(name))
    lines += [HOW]
    output.write_text("\n".join(lines).rstrip() + "\n", encoding="utf-8")
    print(f"wrote {output}: {summary}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
