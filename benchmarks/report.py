"""Write docs/performance.md from the figures the benchmark scripts saved (benchmarks/run.sh).

Usage: report.py RESULTS_DIR OUTPUT.md [--keep-others]

With --keep-others, a benchmark with no figures in RESULTS_DIR keeps its section of the existing
OUTPUT.md (marked as from the earlier run) instead of being reported as not measured: for
re-running one benchmark without the others.
"""

from __future__ import annotations

import json
import re
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

from _common import machine

ORDER = ("refresh_concurrency", "startup", "filter_keystroke", "memory", "idle_pages",
         "autofill")

HOW = """\
## How to run them

```sh
bash benchmarks/run.sh            # all six, then this file is rewritten with their figures
bash benchmarks/run.sh --rounds 3 # fewer repetitions (quicker, noisier)
bash scripts/with-keyring.sh .venv/bin/python benchmarks/startup.py   # one of them
# one of them, then only its section of this file (the others kept, marked as earlier figures):
bash scripts/with-keyring.sh .venv/bin/python benchmarks/startup.py --json /tmp/bench/startup.json
.venv/bin/python benchmarks/report.py /tmp/bench docs/performance.md --keep-others
```

`run.sh` sets up headless Qt (offscreen, Chromium without sandbox or GPU) and a private keyring
(gnome-keyring on a D-Bus session of its own), runs each script, and rewrites this file with the
figures of that run. The scripts are not tests (pytest collects only `tests/`) and never fail the
suite; each exits non-zero when one of its judged ratios is over its limit. Machines are shared and
noisy, so every ratio compares two things measured side by side in the same run, interleaved and
repeated, by their medians; absolute times vary from run to run and from machine to machine, the
ratios much less. The autofill benchmark measures no time: its judged figures are the share of
form fields filled correctly. The demo county the benchmarks use (`DemoCounty(platform_count=30, latency=...)`)
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
as providers that rotate refresh tokens require). The tokens are kept in memory and written behind,
all of them in one keyring entry, and the session is kept in memory too, so a token costs its grant
(and, with a provider that rotates refresh tokens, the session's keyring write), not a keyring call
of its own: the last two figures show what the tokens cost and what one keyring call costs.
*First refresh after sign-in* also opens the first connections to every platform.""",
    "startup": """\
`benchmarks/startup.py`: fresh processes, timed from just before the process is created until the
first frame of its main window is painted (the window and every widget in it: Qt paints a window
first and its widgets after it, so the window's own first paint event, given for comparison with
earlier runs, comes a little before); a bare PySide6 `QMainWindow` and the launcher alternate,
after warm-up runs. The launcher's start is `launcher --county FILE` itself (`launcher.main.main`,
through `run_gui` and `open_window`; the benchmark only attaches its probe to the window). The
county has 30 platforms, 10,000 cached tasks, a session in the keyring and the start snapshot the
window keeps of the inbox a moment after showing it (written by the same call,
`launcher.app.start_snapshot.save`), as the previous day leaves them, so its start shows the
cached inbox; its platforms are stopped, so the refresh that follows start-up fails at once instead
of competing. Bytecode is compiled, as in an installed launcher. Also given: when the 10,000 cached
tasks are on screen (the task table's first paint with rows), and whether QtWebEngine was loaded
(it must not be until a page opens; `tests/integration/test_lazy_webengine.py` checks it).

The window builds only what its first frame shows, each widget inside its final parent. Right
after the first frame come reading the person's start snapshot on a worker, the keyboard
shortcuts and the inbox's task table (the first frame shows the inbox's empty-state text in its
place); the snapshot's rows are shown and painted, and only then does the county open on a worker
(a worker running Python during the start takes turns with the GUI thread for the interpreter).
When the county is open, its tiles and the person's cached tasks replace the snapshot's; sign-in, the password
vault, Fill, mark-done, the profile form, the tray and the rest of the window, with their modules,
are built right after the tasks' paint (`MainWindow._opened`, through
`launcher/ui/after_paint.py`; a tile or a task opened meanwhile waits for it), the profile is read
then, and the tiles' icons are decoded on the worker. The platform state line with its details list, the sign-in-again bar and the tabs'
close buttons are made when there is something to show. Qt classes only those parts use (item
views, `QKeySequence`, `QPainter`, the gradient types a `QBrush` brings) are not touched before
the first frame, as PySide6 makes a class's Python type and enums on first use. Nor is PySide6's
`Qt` namespace: the first use of `QtCore.Qt` makes all of its ~95 Python enums, about 14 ms, a
tenth of the start. QtWebEngine needs `Qt::AA_ShareOpenGLContexts` set before the `QApplication`
exists, so the launcher sets it through QtCore's own C++ function, found by its exported name
(`launcher/ui/gl_sharing.py`; PySide6's enum where the name is not found); the empty-state text is
centred and the toolbar's buttons are text-only by the style sheet (`qproperty-…`); keyboard focus
and shortcut contexts are set with the shortcuts, right after the first frame; the task model's
roles are plain ints; and a `QSplitter` is given its parent by keyword (by position, PySide6 tries
the overload that takes a `Qt.Orientation` and makes the namespace to check it).
`tests/unit/ui/test_lean_start.py` fails if anything in the first frame makes it again. The text
colour is in the application palette rather than in a style-sheet rule for every widget, and the
garbage collector's thresholds are raised before Qt is imported. What the launcher still spends
beyond the bare window is nearly all Python on the GUI thread: PySide6 making the Python types of
the Qt classes the window shows and of their enums, building the visible widgets (the first text
also loads the font database, about 5 ms) and their first frame, which the plain-PySide6 start
below pays too; then, what only the launcher pays: its command line (argument parser, logging, the
data directory through platformdirs, about 3 ms), the application set-up (translators, palette,
saved language) and its window's modules, including PySide6 reading the source of every module
imported after it to look for `__feature__` switches, which the launcher turns off as soon as
its UI package is imported (`launcher/ui/feature_scan.py`: it selects no feature, so every module
behaves the same; the scan cost about a fifth of the county's opening). *The same widgets in plain
PySide6 code* is a start that shows the widgets of the launcher's first frame (toolbar, menus,
tiles heading, tabs, the inbox's bar and empty-state text, status bar) under the same style sheet
and font with none of the launcher's code, and without the `Qt` namespace either: about the least
any PySide6 program showing that window spends, measured beside the other two. *Cached tasks on
screen* (limit 2.5×) is the start snapshot's rows painted: the inbox as the person last saw it,
one JSON document in the task cache (`launcher/core/inbox/snapshot.py`), shown before the county
is open because the session's stamp file names its person (`launcher/core/auth/session_stamp.py`,
docs/architecture.md), so neither the keyring, nor the manifests, nor the cache's 10,000 rows and
their grouping are read first. Opening the county (its modules, requests, keyring, cryptography,
the session, the cache, grouping) takes the better part of a second more and used to come first:
about 6× the bare window, with the CPU time to the tasks about 7× its first frame. What remains
after the first frame, all Python taking turns for the interpreter: the snapshot read and made
into the same 10,000 task groups (its columns checked a column at a time, the task objects set a
field at a time in C, texts of few values written once with a number per task), PySide6 making
its `Qt` namespace and the item views' and styles' enums for the table (the model's column titles
come through a Python `headerData`, so setting the model makes them; about a tenth of the start),
the table itself, and its first paint. The collector makes no young collection until the county
is open (`START_GC_THRESHOLDS`). A start without a snapshot (the first after a sign-in, or after
another person's) shows the cached tasks once the county is open, as before. Before the `Qt`
namespace was kept out of the first frame, runs of the same code on this shared 2-CPU machine gave
1.47–1.58×; since, 1.38–1.41×. The runs of issue 16's version gave 1.37× and 1.41× alone, and
1.59× once within a full run of every benchmark, where both starts were slower (bare 185 ms,
launcher 294 ms, against 166–170 ms and 234 ms alone); that run's start-up section was replaced
by a run of its own. The start snapshot left the first frame as it was: the launcher of issue 16's
previous version and this one, started alternately with the bare window in one run (15 and 21
rounds, twice), gave 1.48× and 1.48×, 1.33× and 1.28× for the first frame.""",
    "filter_keystroke": """\
`benchmarks/filter_keystroke.py`: the real `InboxView` (offscreen, 1280×800) over 100,000 grouped
tasks; each keystroke is one Chinese character committed into the search box (as an input method
delivers it), timed until the view's table has its new row count, and until the event loop has
nothing left to do (`processEvents` until no event is pending: the repaint, and any relayout and
repaint the view schedules after it), against `[t for t in titles if q in t]` over the 100,000
titles timed right beside it. The first character searches every row; the following ones only the
rows still shown. The filtering (`launcher/ui/inbox_model.py`) is one pass in C over precomputed,
case-folded haystacks laid out in memory in the default order (`compress(rows, map(contains,
haystacks, repeat(text)))`), which is why it costs less than the plain scan; a keystroke that
leaves the same rows redraws nothing. Most of the painted figure is the repaint, a fixed cost of
the table's size, not of the number of tasks: the table's delegate (`TaskCellDelegate`) paints
every visible cell (about 95) with one Python call per cell (`InboxModel.cell`), the text laid out
once and elided by Qt only where it may not fit; selected and focused cells are painted by Qt's
own delegate (seven `data()` roles). The texts of the rows shown are made again after each
keystroke, so the repeated rounds do not find them ready. The scroll bar follows the new row
count; the column header is left alone by resets that keep its columns (`TaskHeader`). The table is laid out
at once after each keystroke (`InboxView._after_reset`): left to the view's delayed-layout timer,
it was repainted a second time. The scroll bars are flat ones drawn from the style sheet: Fusion's
gradient scroll bar took 1.6 ms of every keystroke's repaint. The last repaint figures compare the inbox table with the same
cells in a plain `QTableView` over a C++ model, under the same style-sheet rules.""",
    "memory": """\
`benchmarks/memory.py`: fresh launcher processes (`benchmarks/_memory_child.py`), signed in, 30
platforms configured. *No page*: 10,000 cached tasks on screen (platforms pointed at a closed port,
so they stay), QtWebEngine not loaded; resident memory from runs without tracemalloc, the Python
heap from a run with it. *Pages*: the real county, three platform pages opened one after another
in the window (the first signs in on the provider's web form, the next two by single sign-on).
Chromium's processes share much of their memory, so the totals are given as PSS (shared pages
split among the processes using them) as well as the plain sum of RSS, which counts shared
libraries once per process.""",
    "idle_pages": """\
`benchmarks/idle_pages.py`: fresh launcher processes (`benchmarks/_idle_pages_child.py`), signed
in, on the demo county of 30 platforms served by another process. Each opens every platform's page
in the window, one after another (the first signs in on the provider's web form, the others by
single sign-on), brings the inbox to the front so that all 30 pages are hidden, and measures the
launcher with its QtWebEngine processes: all hidden and still active, after the freeze delay,
after the discard delay, and with the first page shown again (reloaded, signed in). In the *idle*
runs the page lifecycle (`launcher/ui/page_lifecycle.py`) freezes and discards the hidden pages,
its delays shortened to seconds (the county's default minutes: 5 and 30); in the *active* runs the
same pages are never frozen. Idle and active runs alternate, one pair per round; the figures are
medians. Totals are PSS (memory shared between Chromium's processes split among them) and the
plain sum of RSS (shared libraries counted once per process). A frozen page keeps its memory (it
stops running, which saves processor time, not memory); a discarded one gives its renderer's
memory back, and a renderer process with no page left ends.""",
    "autofill": """\
`benchmarks/autofill.py`: every page of the form corpus (`tests/form_corpus/`: forms built on the
real framework packages: Element UI, Element Plus, layui 2.6 and 2.9, Ant Design Vue, plain HTML,
frame layouts), each loaded in a real QtWebEngine page through the corpus harness, scanned
(`page_script.scan_script`), planned by `plan_page` with realistic values (`FillValues`: one
fixed value per dictionary key, valid ID numbers and credit codes), filled (`page_script.fill_script`), every field read back from
the framework's own model and the form submitted through its own validation. Each page runs twice:
*mapped*, with the page's truth mapping declared as the manifest's `[forms.fields]`, and
*unmapped*, with the form declared by its URL alone (labels, placeholders, names, autocomplete,
table-cell neighbours and section headings only). The values are those a task gives: the
person's own, the record's, and those of the one subject kind the page is about (a household's on
a household form, no resident's there); a choice whose dictionary options are none of the page's
(a platform's own list of hazards) holds the page's first option text, as a record kept in the
platform's words would. A field is *correct* when the model holds the
value the truth file expects for its key; *wrong* when the plan put a value into a field that
should have had another value or none (a field the dictionary has no key for, such as 验证码, must
stay untouched); precision is correct / (correct + wrong), recall correct / the truth's fields
that have a key (a file upload excepted). Targets (issue 14): mapped fields all correct and every
form submitted; unmapped recall ≥ 90% at precision ≥ 98%. The matcher's words are the field
dictionary's (`resources/fields.toml`: synonyms, excludes, names) and general form vocabulary
(`launcher/core/profile/matching.py`), never the corpus's labels.""",
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
    if data.get("targets"):
        rows = [["target", "measured", "required", "verdict"]]
        rows += [[t["name"], t["measured"], t["required"], t["verdict"]] for t in data["targets"]]
        lines += [*table(rows), ""]
    for extra in data.get("tables", ()):
        if extra.get("caption"):
            lines += [extra["caption"], ""]
        lines += [*table(extra["rows"]), ""]
    if data["figures"]:
        lines += [*table([["figure", "value"], *([f, v] for f, v in data["figures"])]), ""]
    for note in data["notes"]:
        lines += [f"Note: {note}", ""]
    lines += [ABOUT[name], ""]
    return lines


def earlier_sections(output: Path) -> tuple[dict[str, list[str]], str]:
    """The sections of an existing report by benchmark name, and the date of its run."""
    if not output.is_file():
        return {}, ""
    text = output.read_text(encoding="utf-8")
    date = re.search(r"^Last run: ([^;(]+)", text, re.MULTILINE)
    blocks = re.split(r"^(?=## )", text, flags=re.MULTILINE)
    sections = {}
    for name in ORDER:
        for block in blocks:
            if f"`benchmarks/{name}.py`" in block and block.startswith("## "):
                sections[name] = block.rstrip("\n").split("\n")
    return sections, date.group(1).strip() if date else "an earlier run"


CARRIED = "Not measured in the last run: these figures are from the run of "


def kept(block: list[str], date: str) -> list[str]:
    """A section carried over from an earlier report, marked with the date of its figures."""
    for line in block:
        if line.startswith(CARRIED):  # carried over before: its figures are older still
            date = line[len(CARRIED):].rstrip(".")
    note = f"{CARRIED}{date}."
    body = [line for line in block[1:] if not line.startswith(CARRIED)]
    while body and not body[0]:
        body.pop(0)
    return [block[0], "", note, "", *body, ""]


def main() -> int:
    results, output = Path(sys.argv[1]), Path(sys.argv[2])
    keep_others = "--keep-others" in sys.argv[3:]
    found: dict[str, dict[str, Any]] = {}
    for name in ORDER:
        path = results / f"{name}.json"
        if path.is_file():
            found[name] = json.loads(path.read_text(encoding="utf-8"))
    earlier, earlier_date = earlier_sections(output) if keep_others else ({}, "")
    carried = {name: kept(earlier[name], earlier_date) for name in ORDER
               if name not in found and name in earlier}
    dates = sorted({line[len(CARRIED):].rstrip(".") for block in carried.values()
                    for line in block if line.startswith(CARRIED)})
    facts = machine()
    verdicts = [r["verdict"] for d in found.values() for r in d["ratios"]]
    verdicts += [t["verdict"] for d in found.values() for t in d.get("targets", ())]
    for block in carried.values():  # their verdicts still count
        verdicts += [v for line in block for v in ("PASS", "FAIL") if line.endswith(f"| {v} |")]
    missing = len(ORDER) - len(found) - len(carried)
    summary = (
        f"{verdicts.count('PASS')} judged figures pass, {verdicts.count('FAIL')} fail"
        + (f"; {missing} benchmark(s) did not run" if missing else "")
        + (f"; {', '.join(carried)} from the run of {' and '.join(dates)}" if carried else "")
    )
    lines = [
        "# Performance",
        "",
        "The figures below are those of the last run of `benchmarks/run.sh`, which rewrites this "
        "file (do not edit it by hand). The limits are the ones issue 4 sets; the autofill targets, "
        "issue 14's.",
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
        lines += carried[name] if name in carried else section(name, found.get(name))
    lines += [HOW]
    output.write_text("\n".join(lines).rstrip() + "\n", encoding="utf-8")
    print(f"wrote {output}: {summary}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
