#!/usr/bin/env bash
# Run the whole test suite headless: real keyring (gnome-keyring), real QtWebEngine, real servers.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export QT_QPA_PLATFORM=offscreen
export QTWEBENGINE_CHROMIUM_FLAGS="--no-sandbox --disable-gpu --disable-dev-shm-usage"
export QTWEBENGINE_DISABLE_SANDBOX=1
export LAUNCHER_PRIVATE_KEYRING=1   # tests never touch the user's own keyring
.venv/bin/lint-imports
.venv/bin/ruff check launcher tests
exec bash scripts/with-keyring.sh .venv/bin/python -m pytest "$@"
