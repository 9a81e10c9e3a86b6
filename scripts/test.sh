#!/usr/bin/env bash
# Set up everything, start a throwaway PostgreSQL server, and run the whole test suite (or the
# tests named in the arguments) in parallel: one pytest-xdist worker per core (TEST_WORKERS=N to
# choose, 0 for one process). Tests that share an expensive set-up stay on one worker (tests/scheduling.py).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --test

# Start a private PostgreSQL cluster for the storage tests; stop it whatever happens.
source scripts/postgres.sh
start_test_postgres
trap stop_test_postgres EXIT

# Every process of the run (the workers, each app server, CLI run and layout worker) imports the same
# modules: let Python keep their compiled bytecode, and pytest its rewritten test modules, rather than
# each process compiling them again (some environments set PYTHONDONTWRITEBYTECODE).
unset PYTHONDONTWRITEBYTECODE

set +e
.venv/bin/python -m pytest -n "${TEST_WORKERS:-auto}" "$@"
status=$?
set -e
if [ "$status" = 5 ]; then
  echo "test: pytest collected no tests; that is a failure" >&2
  exit 1
fi
exit "$status"
