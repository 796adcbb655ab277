#!/usr/bin/env bash
# Run the whole test suite headless: real keyring (gnome-keyring), real QtWebEngine, real servers.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

# The OpenID Certified provider the OIDC tests sign in at: the npm package oidc-provider, installed
# into its own folder (again only when package.json or package-lock.json changed).
OP_DIR=tests/servers/oidc-provider
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
    echo "test: installing nodejs and npm"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
  else
    echo "test: please install Node.js 20 or newer and npm first (as root: apt-get install nodejs npm)" >&2
    exit 1
  fi
fi
if ! node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 20 ? 0 : 1)'; then
  echo "test: Node.js 20 or newer is needed for oidc-provider (this is $(node --version))" >&2
  exit 1
fi
op_stamp=$OP_DIR/node_modules/.installed-$(cat $OP_DIR/package.json $OP_DIR/package-lock.json 2>/dev/null \
  | sha256sum | cut -c1-16)
if [[ ! -f $op_stamp ]]; then
  echo "test: installing oidc-provider (npm) into $OP_DIR"
  if [[ -f $OP_DIR/package-lock.json ]]; then
    (cd $OP_DIR && npm ci --no-audit --no-fund --loglevel=error) \
      || (cd $OP_DIR && npm install --no-audit --no-fund --loglevel=error)
  else
    (cd $OP_DIR && npm install --no-audit --no-fund --loglevel=error)
  fi
  rm -f $OP_DIR/node_modules/.installed-*
  touch "$OP_DIR/node_modules/.installed-$(cat $OP_DIR/package.json $OP_DIR/package-lock.json \
    | sha256sum | cut -c1-16)"
fi

export QT_QPA_PLATFORM=offscreen
export QTWEBENGINE_CHROMIUM_FLAGS="--no-sandbox --disable-gpu --disable-dev-shm-usage"
export QTWEBENGINE_DISABLE_SANDBOX=1
export LAUNCHER_PRIVATE_KEYRING=1   # tests never touch the user's own keyring
.venv/bin/lint-imports
.venv/bin/ruff check launcher launcher_demo tests examples packaging yiduantong_pytest.py
exec bash scripts/with-keyring.sh .venv/bin/python -m pytest "$@"
