#!/usr/bin/env bash
# Installs what the end-to-end tests drive: Debian's chromium (never a downloaded browser build)
# and axe-core from the npm registry. Safe to rerun; does nothing when both are present.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing Debian's chromium for the browser tests..."
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-thai-tlwg >/dev/null
  else
    echo "chromium is missing and cannot be installed here (need root and apt-get);" \
         "the browser tests will be skipped." >&2
  fi
fi

if [ ! -f node_modules/axe-core/axe.min.js ]; then
  if command -v npm >/dev/null 2>&1; then
    npm ci --no-audit --no-fund --silent
  else
    echo "npm is missing; the accessibility check will be skipped." >&2
  fi
fi
