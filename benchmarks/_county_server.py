"""Serve the demo county until stdin closes (started by benchmarks/_common.served_county).

Usage: _county_server.py DIRECTORY PLATFORM_COUNT LATENCY_SECONDS. Prints one JSON line with the
county file, the issuer and the platforms' base URLs once everything listens.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from launcher_demo import DemoCounty


def main() -> int:
    directory, count, latency = Path(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
    options: dict[str, object] = {"directory": directory, "platform_count": count, "legacy": False}
    if latency:
        options["latency"] = latency
    try:
        county = DemoCounty(**options)  # type: ignore[arg-type]
    except TypeError as exc:
        print(f"DemoCounty does not take these options yet ({exc}): is the 30-platform demo "
              "county (platform_count=30, latency=) in launcher_demo/county.py?", file=sys.stderr)
        return 2
    if len(county.specs) < count:
        print(f"note: the demo county has only {len(county.specs)} platforms, not {count}",
              file=sys.stderr)
    with county:
        print(json.dumps({"county_path": str(county.county_path), "issuer": county.issuer,
                          "base_urls": county.base_urls}), flush=True)
        sys.stdin.read()  # until the benchmark closes our stdin (or ends)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
