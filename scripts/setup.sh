#!/usr/bin/env bash
# Shared set-up for scripts/demo.sh and scripts/test.sh: system packages (installed when run as root,
# named otherwise), a virtual environment in .venv and the launcher with its demo county installed into it.
set -euo pipefail
cd "$(dirname "$0")/.."

# Qt's xcb/offscreen platform and QtWebEngine's Chromium need these libraries; gnome-keyring + dbus give
# the Secret Service keyring; fonts-noto-cjk renders Chinese; xvfb and xauth let tests run on a virtual screen;
# binutils has the objdump PyInstaller reads libraries with (the bundle, packaging/build.py);
# at-spi2-core is the accessibility bus a screen reader reads (tests/e2e/test_screen_reader.py).
SYSTEM_PACKAGES=(python3-venv gnome-keyring dbus dbus-x11 fonts-noto-cjk xvfb xauth binutils
  at-spi2-core
  libnss3 libxkbfile1 libxcomposite1 libxdamage1 libxrandr2 libxtst6 libxshmfence1 libgbm1
  libasound2 libegl1 libgl1 libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-image0
  libxcb-keysyms1 libxcb-render-util0 libxcb-shape0 libxcb-xinerama0 libxcb-randr0 libfontconfig1
  libdbus-1-3)

missing=()
if command -v dpkg-query >/dev/null 2>&1; then
  for pkg in "${SYSTEM_PACKAGES[@]}"; do
    status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
    [[ "$status" == *"install ok installed"* ]] || missing+=("$pkg")
  done
fi
if ((${#missing[@]})); then
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
    echo "setup: installing system packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    # libasound2 is called libasound2t64 on newer Ubuntu: install whichever this release has.
    apt-get install -y -qq --no-install-recommends "${missing[@]/libasound2/libasound2t64}" >/dev/null 2>&1 \
      || apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "setup: please install these system packages first (as root):" >&2
    echo "  apt-get install ${missing[*]}" >&2
    exit 1
  fi
fi

PYTHON=${PYTHON:-python3}
if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
  echo "setup: Python 3.11 or newer is needed ($PYTHON is $("$PYTHON" --version 2>&1))" >&2
  exit 1
fi
if [[ ! -x .venv/bin/python ]]; then
  echo "setup: creating .venv"
  "$PYTHON" -m venv .venv
fi
# Reinstall only when pyproject.toml changed since the last install.
stamp=.venv/.installed-$(sha256sum pyproject.toml | cut -c1-16)
if [[ ! -f $stamp ]]; then
  echo "setup: installing the launcher and its dependencies into .venv (a few minutes the first time)"
  .venv/bin/python -m pip install -q --upgrade pip
  # The demo county (launcher_demo, an optional extra) too: scripts/demo.sh runs it, the tests use it.
  .venv/bin/python -m pip install -q -e ".[dev,demo]"
  # The editable install's build left the package's egg-info here, beside launcher/: on sys.path
  # when pytest runs from this folder, it is a second "distribution" whose file list names every
  # launcher module, and since the launcher ships a pytest plugin (pytest11), pytest would rewrite
  # the asserts of all of them on import (an import inside a deep Qt call then crashed CPython's
  # AST check). The installed metadata is in .venv; this copy is not needed.
  rm -rf ./*.egg-info
  rm -f .venv/.installed-*
  touch "$stamp"
fi
