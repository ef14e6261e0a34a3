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

say "starting PostgreSQL (infra/postgres/pg.sh)"
bash infra/postgres/pg.sh start
say "starting Kafka, Kafka Connect + Debezium, Elasticsearch for the pipeline tier (infra/scripts/stack-infra.sh)"
bash infra/scripts/stack-infra.sh start

say "running tests (jest: unit, integration, e2e)"
RESULTS="$(mktemp)"
set +e
npx jest --config jest.config.js --maxWorkers=2 --json --outputFile="$RESULTS" "$@"
STATUS=$?
set -e
# One plain closing line that any CI reader understands.
node -e '
  const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  const skipped = r.numPendingTests + r.numTodoTests;
  console.log(`tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed` + (skipped ? `, ${skipped} skipped` : ""));
' "$RESULTS" || true
rm -f "$RESULTS"
say "test suite finished in $((SECONDS - START))s"
exit $STATUS
