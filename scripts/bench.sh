#!/usr/bin/env bash
# The benchmark suite (issue 6), against the local stack: run `npm run stack`
# first. Builds, then runs bench/run.ts; results go to bench/results/latest.json
# and latest.md. Knobs (environment): see bench/README.md, e.g. a quick run:
#   BENCH_PATIENTS=100000 BENCH_DURATION=5 npm run bench
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
[ -f .env ] && { set -a; . ./.env; set +a; }
command -v pgbench >/dev/null || { echo "pgbench is missing (apt-get install postgresql-client-15)" >&2; exit 1; }
build
say "benchmark"
exec node dist/bench/run.js
