#!/usr/bin/env bash
# Run a command with a working Secret Service keyring. Inside an existing desktop session the user's
# own keyring is used; otherwise (CI, SSH, a bare server) a private D-Bus session with a throwaway,
# unlocked gnome-keyring is started and ends with the command.
set -euo pipefail
if [[ "${LAUNCHER_PRIVATE_KEYRING:-}" != 1 && -n "${DBUS_SESSION_BUS_ADDRESS:-}" ]] \
   && "$(dirname "$0")/../.venv/bin/python" - <<'PY' 2>/dev/null
import sys, keyring
from keyring.backends.SecretService import Keyring
sys.exit(0 if isinstance(keyring.get_keyring(), Keyring) and Keyring.priority > 0 else 1)
PY
then
  exec "$@"
fi
export LAUNCHER_PRIVATE_KEYRING=1
exec dbus-run-session -- bash -c '
  export XDG_DATA_HOME=$(mktemp -d)  # the throwaway keyring file lives here, not in the user home
  eval "$(printf throwaway | gnome-keyring-daemon --unlock --components=secrets)" >/dev/null
  export GNOME_KEYRING_CONTROL
  "$@"
  status=$?
  rm -rf "$XDG_DATA_HOME"
  exit $status' bash "$@"
