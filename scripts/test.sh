#!/usr/bin/env bash
# Set up everything, start a throwaway PostgreSQL server, and run the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --test

# Start a private PostgreSQL cluster for the storage tests; stop it whatever happens.
source scripts/postgres.sh
start_test_postgres
trap stop_test_postgres EXIT

set +e
.venv/bin/python -m pytest "$@"
status=$?
set -e
if [ "$status" = 5 ]; then
  echo "test: pytest collected no tests; that is a failure" >&2
  exit 1
fi
exit "$status"
