#!/usr/bin/env bash
# One-time machine set-up, safe to re-run: system packages (Debian/Ubuntu), then npm dependencies.
# Native modules (sqlite3, keytar) are built from source here, so no prebuilt download is needed.
set -euo pipefail
cd "$(dirname "$0")/.."

# postgresql: the throw-away server `npm test` runs the suite against a second time (scripts/with-postgres.sh).
# poppler-utils: pdftotext, with which the tests read exported PDFs back.
packages=(libsecret-1-dev gnome-keyring dbus dbus-x11 chromium python3 make g++ postgresql poppler-utils)
if command -v apt-get >/dev/null; then
  missing=()
  for p in "${packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  if [ ${#missing[@]} -gt 0 ]; then
    sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
    echo "Installing system packages: ${missing[*]}"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
else
  echo "Not a Debian-like system: install libsecret (Linux), a C++ toolchain and Chromium yourself (see README)."
fi

# Electron's binary and Playwright's browsers are not downloaded: tests use Debian's Chromium, and the
# Electron binary is provided separately (see README, ELECTRON_OVERRIDE_DIST_PATH).
export ELECTRON_SKIP_BINARY_DOWNLOAD=1 PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm_config_build_from_source=true
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
