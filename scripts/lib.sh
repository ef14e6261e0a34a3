#!/usr/bin/env bash
# Shared by scripts/stack.sh and scripts/test.sh: install and build on demand.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

say() { printf '\n==> %s\n' "$*"; }

# Install dependencies when node_modules is missing or older than the lockfile.
ensure_node_modules() {
  if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    say "installing npm dependencies (locked versions from package-lock.json)"
    # Not `npm ci`: npm 11 leaves other platforms' optional binaries (@swc/core-*)
    # out of the lockfile and then `npm ci` rejects it as out of sync. `npm install`
    # with the committed lockfile installs the same locked versions.
    npm install --no-audit --no-fund --loglevel=error
  fi
}

build() {
  say "building (tsc)"
  npm run -s build
}
