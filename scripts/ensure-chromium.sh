#!/usr/bin/env bash
# The console's browser tests drive Debian's chromium package through
# playwright-core (Playwright's own browser download is not reachable here).
# Installs it when missing; prints the executable's path.
set -euo pipefail
BIN="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ ! -x "$BIN" ]; then
  echo "installing chromium (apt-get)" >&2
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get install -y chromium >&2 || { $SUDO apt-get update >&2 && $SUDO apt-get install -y chromium >&2; }
fi
echo "$BIN"
