"""What the benchmark scripts share: headless Qt, the demo county in a process of its own, a signed-in
LAUNCHER_HOME, synthetic tasks, medians, and the figures each script hands to benchmarks/report.py.

The benchmarks are scripts, not tests: they print ratios measured side by side in one run (the
machines are shared and noisy, so the runs being compared are interleaved, repeated, and their
medians compared). They never run under pytest (pyproject's testpaths is tests/ only).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BENCHMARKS = ROOT / "benchmarks"
COUNTY_ID = "benchmark"
"""The county id the benchmarks sign in to: keyring entries and data folder of their own."""


def headless() -> None:
    """Offscreen Qt and a Chromium that runs without a sandbox or GPU (as the tests set them)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ.setdefault(
        "QTWEBENGINE_CHROMIUM_FLAGS", "--no-sandbox --disable-gpu --disable-dev-shm-usage"
    )
    os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")


def median(values: Sequence[float]) -> float:
    return float(statistics.median(values))


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


# -- figures -------------------------------------------------------------------------------------


@dataclass
class Ratio:
    name: str
    value: float
    limit: float | None
    """None: printed for information, not judged."""
    detail: str = ""

    @property
    def verdict(self) -> str:
        if self.limit is None:
            return "info"
        return "PASS" if self.value <= self.limit else "FAIL"


@dataclass
class Figures:
    """What one benchmark measured, printed as it goes and saved as JSON for the report."""

    benchmark: str
    title: str
    figures: list[tuple[str, str]] = field(default_factory=list)
    ratios: list[Ratio] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def figure(self, name: str, value: str) -> None:
        self.figures.append((name, value))
        print(f"  {name}: {value}", flush=True)

    def ratio(self, name: str, value: float, limit: float | None, detail: str = "") -> None:
        ratio = Ratio(name, value, limit, detail)
        self.ratios.append(ratio)
        bound = f" (limit {limit:g}×)" if limit is not None else ""
        print(f"  {name}: {value:.2f}×{bound} {ratio.verdict}  {detail}".rstrip(), flush=True)

    def note(self, text: str) -> None:
        self.notes.append(text)
        print(f"  note: {text}", flush=True)

    @property
    def passed(self) -> bool:
        return all(r.verdict != "FAIL" for r in self.ratios)

    def save(self, path: Path | None) -> None:
        if path is None:
            return
        data = asdict(self)
        data["ratios"] = [{**asdict(r), "verdict": r.verdict} for r in self.ratios]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")


def arguments(description: str, rounds: int) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--rounds", type=int, default=rounds, help=f"repetitions (default {rounds})")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here")
    return parser.parse_args()


def machine() -> dict[str, str]:
    """The facts about this computer a figure depends on."""
    try:
        from PySide6 import __version__ as pyside_version
    except ImportError:
        pyside_version = "not installed"
    cpu = platform.processor() or platform.machine()
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    return {
        "cpus": str(os.cpu_count()),
        "cpu": cpu,
        "python": platform.python_version(),
        "pyside6": pyside_version,
        "system": f"{platform.system()} {platform.release()}",
    }


# -- the demo county, served by a process of its own --------------------------------------------


@dataclass
class ServedCounty:
    county_path: Path
    """A copy of the demo county file under the id COUNTY_ID."""
    issuer: str
    base_urls: dict[str, str]
    process: subprocess.Popen[str]

    def stop(self) -> None:
        if self.process.poll() is None:
            assert self.process.stdin is not None
            self.process.stdin.close()  # the server process stops when its stdin closes
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@contextlib.contextmanager
def served_county(directory: Path, platform_count: int, latency: float = 0.0) -> Iterator[ServedCounty]:
    """The demo county (``platform_count`` platforms answering after ``latency`` seconds) served by
    another process, as real platforms are other computers: their work does not share this
    process's interpreter lock with the launcher code being measured."""
    process = subprocess.Popen(
        [sys.executable, str(BENCHMARKS / "_county_server.py"), str(directory),
         str(platform_count), str(latency)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    line = process.stdout.readline()
    if not line:
        process.wait()
        raise SystemExit(f"the demo county did not start (exit code {process.returncode})")
    info = json.loads(line)
    served = ServedCounty(
        county_copy(Path(info["county_path"]), directory), info["issuer"], info["base_urls"],
        process,
    )
    try:
        yield served
    finally:
        served.stop()


def county_copy(county_path: Path, directory: Path) -> Path:
    """The county file under the id COUNTY_ID: the benchmark's own keyring entries and data."""
    text = county_path.read_text(encoding="utf-8")
    head, sep, rest = text.partition("[county]\nid = ")
    if not sep:
        raise SystemExit(f"{county_path} does not name its county id where expected")
    rest = f'"{COUNTY_ID}"' + rest[rest.index("\n"):]
    path = directory / f"county-{COUNTY_ID}.toml"
    path.write_text(head + sep + rest, encoding="utf-8")
    return path


@contextlib.contextmanager
def launcher_home(prefix: str) -> Iterator[Path]:
    """A throwaway LAUNCHER_HOME for this process and the processes it starts."""
    saved = os.environ.get("LAUNCHER_HOME")
    with tempfile.TemporaryDirectory(prefix=f"launcher-bench-{prefix}-") as home:
        os.environ["LAUNCHER_HOME"] = home
        try:
            yield Path(home)
        finally:
            if saved is None:
                os.environ.pop("LAUNCHER_HOME", None)
            else:
                os.environ["LAUNCHER_HOME"] = saved


def sign_in(services: Any) -> None:
    """Sign in as the demo county's first user through the provider's own login form (the path
    `launcher inbox --demo` takes)."""
    from launcher_demo import sign_in as demo_sign_in

    demo_sign_in(services.auth)


# -- synthetic tasks ----------------------------------------------------------------------------

_FORMS = ("安全生产检查", "低保复核", "垃圾分类巡查", "党员学习记录", "人口信息核对", "执法检查",
          "危房排查", "耕地保护巡查", "防汛物资清点", "医保缴费提醒", "退役军人走访", "消防隐患整改")
_SUBJECTS = ("李家村", "红旗村", "新河村", "东风社区", "城南社区", "清溪镇", "石桥乡", "城关镇")
_PEOPLE = "张王李赵刘陈杨黄周吴徐孙马朱胡郭何林罗高"


def synthetic_tasks(platform_ids: Sequence[str], count: int, seed: int = 4) -> list[Any]:
    """``count`` plausible pending tasks spread over the platforms (titles, subjects, due times,
    form keys and periods varied the way real inboxes are, a few shared between platforms)."""
    from launcher.api import TaskItem

    rng = random.Random(seed)
    now = datetime.now(UTC)
    tasks = []
    for n in range(count):
        pid = platform_ids[n % len(platform_ids)]
        form = rng.choice(_FORMS)
        subject = f"{rng.choice(_SUBJECTS)}{rng.choice(_PEOPLE)}某{n % 97}户"
        period = f"2026-{rng.randint(1, 12):02d}"
        due = now + timedelta(hours=rng.randint(-72, 24 * 40)) if rng.random() < 0.9 else None
        tasks.append(TaskItem(
            platform=pid,
            id=f"t{n}",
            title=f"{form}：{subject}（第{n}号）",
            url=f"http://127.0.0.1:9/tasks/{n}",
            due=due,
            status=rng.choice(("open", "pending", "in_progress", "returned")),
            form=form,
            subject=subject,
            period=period,
            priority=rng.randint(1, 3),
            updated=now - timedelta(minutes=rng.randint(0, 10_000)),
        ))
    return tasks


def fill_cache(cache: Any, tasks: Sequence[Any]) -> None:
    """Make ``tasks`` the cache's content, each platform's replaced as one refresh would."""
    by_platform: dict[str, list[Any]] = {}
    for task in tasks:
        by_platform.setdefault(task.platform, []).append(task)
    now = datetime.now(UTC)
    for pid, items in by_platform.items():
        cache.replace(pid, items, now)


def monotonic() -> float:
    """CLOCK_MONOTONIC: one clock for every process of the machine (Linux), so a child can say
    when something happened and the parent can subtract its own start time."""
    return time.monotonic()
