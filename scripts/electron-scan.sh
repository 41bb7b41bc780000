#!/usr/bin/env bash
# Scans main/ and renderer/ with Electronegativity (Doyensec's Electron security scanner) and fails on any HIGH or
# MEDIUM finding. The scanner is installed into a throw-away prefix, not the project: it is a CI check, not a
# dependency of the app. Findings a person reviewed carry an `eng-disable CHECK_ID` comment on their line.
set -euo pipefail
cd "$(dirname "$0")/.."
electron_version="$(node -p "require('./node_modules/electron/package.json').version")"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
npm install --silent --no-audit --no-fund --prefix "$tmp/tool" @doyensec/electronegativity@1.10.3 >/dev/null
mkdir -p "$tmp/src" && cp -r main renderer "$tmp/src/" && rm -rf "$tmp/src/renderer/node_modules"
"$tmp/tool/node_modules/.bin/electronegativity" -i "$tmp/src" -e "$electron_version" -r 2>&1 | sed 's/\x1b\[[0-9;]*m//g' > "$tmp/report.txt" || true
grep -E '│' "$tmp/report.txt" || echo "electronegativity: no findings"
if grep -qE '(HIGH|MEDIUM) \|' "$tmp/report.txt"; then
  echo "electronegativity: HIGH or MEDIUM findings (above)" >&2
  exit 1
fi
echo "electronegativity: no HIGH or MEDIUM finding in main/ and renderer/ (Electron $electron_version)"
