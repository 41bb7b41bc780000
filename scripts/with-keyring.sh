#!/usr/bin/env bash
# Runs a command inside a private D-Bus session with an unlocked gnome-keyring, so tests use the real
# Secret Service keychain (what keytar talks to on Linux). Without dbus/gnome-keyring it runs the command as is.
set -euo pipefail
if [ -n "${ITPC_KEYRING_READY:-}" ] || ! command -v dbus-run-session >/dev/null || ! command -v gnome-keyring-daemon >/dev/null; then
  exec "$@"
fi
export ITPC_KEYRING_READY=1
exec dbus-run-session -- bash -c '
  # A throw-away keyring home: the test keyring never touches a real user profile.
  export XDG_DATA_HOME="$(mktemp -d)" XDG_RUNTIME_DIR="${XDG_RUNTIME_DIR:-$(mktemp -d)}"
  echo -n "itpc-test-keyring" | gnome-keyring-daemon --unlock --components=secrets >/dev/null
  eval "$(gnome-keyring-daemon --start --components=secrets 2>/dev/null)"
  export GNOME_KEYRING_CONTROL SSH_AUTH_SOCK
  exec "$@"
' bash "$@"
