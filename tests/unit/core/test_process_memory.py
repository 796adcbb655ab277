"""The memory the task monitor shows (launcher/core/process_memory.py), of real processes: the
launcher's own, an asked-for child's apart, the other children's together, each counted once."""

from __future__ import annotations

import subprocess
import sys

from launcher.core.process_memory import read


def test_the_asked_for_child_apart_the_others_together() -> None:
    children = [subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
                for _ in range(2)]
    try:
        asked = children[0]
        memory = read([asked.pid, 999_999_999])  # a process that is not a child: left out
        assert memory.own > 0 and memory.kind in ("PSS", "USS", "RSS")
        assert list(memory.renderers) == [asked.pid] and memory.renderers[asked.pid] > 0
        assert memory.others > 0  # the other child
        assert memory.total == memory.own + memory.renderers[asked.pid] + memory.others
        alone = read([])
        assert alone.renderers == {} and alone.others >= memory.renderers[asked.pid]
    finally:
        for child in children:
            child.kill()
            child.wait()
