#!/usr/bin/env bash
# Shared by scripts/stack.sh and scripts/test.sh: install and build on demand.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

say() { printf '\n==> %s\n' "$*"; }

# The project's own Node.js LTS runtime (NODE_VERSION in infra/versions.env), from the
# npm registry's node-linux-<arch> package (npm checks the registry's integrity hash),
# unpacked once under the state directory, outside the repo, and put first on PATH so
# npm, jest and every child process run on it.
ensure_node_runtime() {
  local version arch state dir tmp
  version="$(sed -n 's/^NODE_VERSION=//p' "$ROOT/infra/versions.env")"
  case "$(uname -m)" in x86_64) arch=x64 ;; aarch64) arch=arm64 ;; *) echo "unsupported CPU $(uname -m)" >&2; return 1 ;; esac
  if [ "$(id -u)" = 0 ]; then state="${HIMS_STATE_DIR:-/var/lib/hims-dev}"; else state="${HIMS_STATE_DIR:-${XDG_DATA_HOME:-$HOME/.local/share}/hims-dev}"; fi
  dir="$state/runtimes/node-$version-linux-$arch"
  if [ ! -x "$dir/bin/node" ]; then
    say "fetching Node.js $version from the npm registry (node-linux-$arch)"
    tmp="$(mktemp -d)"
    (cd "$tmp" && npm pack --silent "node-linux-$arch@$version" >/dev/null && tar xzf ./*.tgz)
    mkdir -p "$(dirname "$dir")"
    rm -rf "$dir" && mv "$tmp/package" "$dir" && rm -rf "$tmp"
  fi
  export PATH="$dir/bin:$PATH"
  # npm itself stays the machine's (the package carries only node); it runs on this node.
  [ "$(node -v)" = "v$version" ] || { echo "Node.js $version did not come first on PATH" >&2; return 1; }
  # kafkajs 2.2.4 schedules a negative timeout (tulios/kafkajs#1751; Node has always run it
  # after 1 ms); Node 24 warns about it on every start. Only that warning is silenced.
  case " ${NODE_OPTIONS:-} " in *TimeoutNegativeWarning*) ;; *) export NODE_OPTIONS="${NODE_OPTIONS:-} --disable-warning=TimeoutNegativeWarning" ;; esac
}
ensure_node_runtime

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
  # Every build records what it ships: a CycloneDX SBOM of the production dependencies,
  # checked against package-lock.json (scripts/security/sbom.mjs; docs/security.md "Scanners").
  say "SBOM (CycloneDX, dist/sbom.cdx.json)"
  node scripts/security/sbom.mjs
}
