#!/usr/bin/env bash
# Start the launcher on the built-in demo county (identity provider + demo platforms on 127.0.0.1).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
if [[ $(id -u) -eq 0 ]]; then
  # Chromium refuses its sandbox as root.
  export QTWEBENGINE_DISABLE_SANDBOX=1
  export QTWEBENGINE_CHROMIUM_FLAGS="${QTWEBENGINE_CHROMIUM_FLAGS:---no-sandbox}"
fi
if [[ -z "${DISPLAY:-}" && -z "${WAYLAND_DISPLAY:-}" ]]; then
  echo "demo: no display here; rendering the signed-in window to demo-screenshot.png instead"
  export QT_QPA_PLATFORM=offscreen
  exec bash scripts/with-keyring.sh .venv/bin/launcher --demo --screenshot demo-screenshot.png "$@"
fi
exec bash scripts/with-keyring.sh .venv/bin/launcher --demo "$@"
