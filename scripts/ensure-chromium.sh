#!/usr/bin/env bash
# The console's browser tests drive Debian's chromium package through
# playwright-core (Playwright's own browser download is not reachable here).
# Installs it when missing, and a small Devanagari font (fonts-lohit-deva)
# when the machine has none, so Hindi screens and screenshots show letters,
# not empty boxes. Prints the executable's path.
set -euo pipefail
BIN="${CHROMIUM_PATH:-/usr/bin/chromium}"
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
# Another apt-get (a set-up script running beside the tests) may hold dpkg's lock: wait for it
# instead of failing the browser tests.
APT=(apt-get -o DPkg::Lock::Timeout=600)
install() {
  $SUDO "${APT[@]}" install -y "$@" >&2 || { $SUDO "${APT[@]}" update >&2 && $SUDO "${APT[@]}" install -y "$@" >&2; }
}
if [ ! -x "$BIN" ]; then
  echo "installing chromium (apt-get)" >&2
  install chromium
fi
if command -v fc-list >/dev/null && [ -z "$(fc-list :lang=hi family)" ]; then
  echo "installing a Devanagari font (apt-get fonts-lohit-deva)" >&2
  install fonts-lohit-deva
fi
echo "$BIN"
