#!/usr/bin/env bash
# The whole test suite, from a fresh clone: installs what it needs, starts the
# project's own servers (PostgreSQL; Kafka, Connect and Elasticsearch for the
# pipeline tier), then runs lint, unit, integration and e2e tests.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
START=$SECONDS

ensure_node_modules
build
say "lint"
npm run -s lint
say "lint the API contract (Redocly recommended rules)"
npm run -s lint:contract

say "security scanners: static analysis with security rules, npm audit of production dependencies"
node scripts/security/sast.mjs
node scripts/security/audit.mjs
say "ASVS 4.0.3 L2 table (docs/security-verification.md): every row's evidence exists"
node scripts/security/report.mjs --check

say "poppler-utils for reading printed PDFs in tests (scripts/ensure-poppler.sh)"
bash scripts/ensure-poppler.sh

say "installing the FHIR document validator (infra/scripts/fhir-validator.sh: Maven Central, cached outside the repo)"
bash infra/scripts/fhir-validator.sh install

say "starting PostgreSQL (infra/postgres/pg.sh)"
bash infra/postgres/pg.sh start
say "starting Kafka, Kafka Connect + Debezium, Elasticsearch for the pipeline tier (infra/scripts/stack-infra.sh)"
bash infra/scripts/stack-infra.sh start

say "running tests (jest: unit, integration, e2e; then the pipeline tier in band)"
# The pipeline tier's steel thread stops Elasticsearch on purpose (fallback test), so its
# files never run beside each other: they get their own jest run, one file at a time.
FAST="$(mktemp)"; PIPE="$(mktemp)"
# The tests' temporary files (signing keys, the compiled Java reference, generated clients,
# browser profiles) go under one directory of this run, removed when it ends. Set only now,
# so the servers started above keep their own temporary directories.
# jest's transform cache stays where it was, so the next run starts warm.
JEST_CACHE="${TMPDIR:-/tmp}/jest-hims"
RUN_TMP="$(mktemp -d "${TMPDIR:-/tmp}/hims-test-run.XXXXXX")"
# Throw-away PostgreSQL clusters (restore drill, lost slot) run as the cluster's own user under
# this directory: it must be traversable by them (mktemp makes it 0700).
chmod 711 "$RUN_TMP"
trap 'rm -rf "$RUN_TMP"' EXIT
set +e
TMPDIR="$RUN_TMP" npx jest --config jest.config.js --cacheDirectory="$JEST_CACHE" --maxWorkers=2 --passWithNoTests --selectProjects unit integration e2e --json --outputFile="$FAST" "$@"
FAST_STATUS=$?
TMPDIR="$RUN_TMP" npx jest --config jest.config.js --cacheDirectory="$JEST_CACHE" --runInBand --passWithNoTests --selectProjects pipeline --json --outputFile="$PIPE" "$@"
PIPE_STATUS=$?
set -e
# One plain closing line that any CI reader understands.
node -e '
  const runs = process.argv.slice(1).map((f) => { try { return JSON.parse(require("fs").readFileSync(f, "utf8")); } catch { return null; } });
  const sum = (k) => runs.reduce((n, r) => n + (r ? r[k] : 0), 0);
  const skipped = sum("numPendingTests") + sum("numTodoTests");
  console.log(`tests: ${sum("numPassedTests")} passed, ${sum("numFailedTests")} failed` + (skipped ? `, ${skipped} skipped` : ""));
' "$FAST" "$PIPE" || true
# The latest results of the isolation and token tests go into the security report.
mkdir -p dist/security && cp "$FAST" dist/security/jest-results.json 2>/dev/null || true
rm -f "$FAST" "$PIPE"
say "security report (dist/security-report.md and .html)"
node scripts/security/report.mjs || true
say "test suite finished in $((SECONDS - START))s"
[ "$FAST_STATUS" -eq 0 ] && [ "$PIPE_STATUS" -eq 0 ]
