#!/usr/bin/env bash
# Run every benchmark headless, each in a private keyring, and rewrite docs/performance.md with the
# figures of this run. Arguments (e.g. --rounds 3) go to every benchmark script.
# Exits non-zero when a judged ratio is over its limit, an autofill target is missed or a
# benchmark failed.
set -uo pipefail
cd "$(dirname "$0")/.."
[[ -x .venv/bin/python ]] || bash scripts/setup.sh

export QT_QPA_PLATFORM=offscreen
export QTWEBENGINE_CHROMIUM_FLAGS="--no-sandbox --disable-gpu --disable-dev-shm-usage"
export QTWEBENGINE_DISABLE_SANDBOX=1
export LAUNCHER_PRIVATE_KEYRING=1   # never the user's own keyring

results=$(mktemp -d)
trap 'rm -rf "$results"' EXIT
status=0
for name in refresh_concurrency startup filter_keystroke memory idle_pages autofill; do
  echo "== benchmarks/$name.py"
  bash scripts/with-keyring.sh .venv/bin/python "benchmarks/$name.py" --json "$results/$name.json" "$@" \
    || status=1
done
.venv/bin/python benchmarks/report.py "$results" docs/performance.md || status=1
exit $status
