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
# The daemon runs in the foreground as a child of this script rather than daemonizing itself: run
# that way it has proved steady under the suite's load, and it ends with the command. The bus has no
# service activation (scripts/keyring-session-bus.conf): nothing but this script starts a keyring.
exec dbus-run-session --config-file="$(dirname "$0")/keyring-session-bus.conf" -- bash -c '
  export XDG_DATA_HOME=$(mktemp -d)  # the throwaway keyring file lives here, not in the user home
  env_file=$XDG_DATA_HOME/keyring.env
  log=$XDG_DATA_HOME/daemon.log
  # Kept running: should the daemon ever stop (it once aborted under the load of the suite), it is
  # started again on the same keyring file, unlocked. Clients retry a keyring that went away
  # (launcher.core.secrets), so a restart costs a moment, not a failure.
  (
    first=1
    while [ ! -e "$XDG_DATA_HOME/stop" ]; do
      if [ $first = 1 ]; then
        printf throwaway | gnome-keyring-daemon --foreground --unlock --components=secrets \
          >"$env_file" 2>>"$log"
      else
        echo "keyring: daemon stopped at $(date +%T); started again" >>"$log"
        printf throwaway | gnome-keyring-daemon --replace --foreground --unlock \
          --components=secrets >/dev/null 2>>"$log"
      fi
      first=0
      sleep 0.1
    done
  ) &
  daemon=$!
  owned() {
    dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
      org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null | grep -q true
  }
  ready=0
  for _ in $(seq 600); do  # up to 30 s: a first start on a busy machine can be slow
    grep -q GNOME_KEYRING_CONTROL "$env_file" 2>/dev/null && owned && ready=1 && break
    sleep 0.05
  done
  [ $ready = 1 ] || echo "with-keyring: the keyring daemon is not on the bus after 30 s" >&2
  export "$(grep GNOME_KEYRING_CONTROL "$env_file")"
  "$@"
  status=$?
  touch "$XDG_DATA_HOME/stop"
  pkill -P "$daemon" 2>/dev/null || true
  kill "$daemon" 2>/dev/null
  if grep -q "started again" "$log" 2>/dev/null; then  # worth knowing; its other lines are noise
    echo "with-keyring: the keyring daemon stopped during the run; what it said last:" >&2
    grep -v -e "already registered" -e "^[[:space:]]*\$" "$log" | tail -n 20 >&2
  fi
  rm -rf "$XDG_DATA_HOME"
  exit $status' bash "$@"
