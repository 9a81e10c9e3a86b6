# Sourced by scripts/test.sh: start_test_postgres / stop_test_postgres.
# Runs a throwaway cluster on a free loopback port, as the 'postgres' system user when we are root
# (the server refuses to run as root), and exports SCORECARD_TEST_PG_URL for the tests.

pg_bin_dir() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [ -n "$dir" ] || { echo "test: no PostgreSQL server found under /usr/lib/postgresql" >&2; return 1; }
  echo "$dir"
}

as_pg_user() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

start_test_postgres() {
  local bin port
  bin=$(pg_bin_dir)
  PG_TEST_DIR=$(mktemp -d /tmp/scorecard-pg.XXXXXX)
  chmod 755 "$PG_TEST_DIR"
  [ "$(id -u)" = 0 ] && chown postgres "$PG_TEST_DIR"
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  as_pg_user "$bin/initdb" -D "$PG_TEST_DIR/data" -U scorecard --auth=trust -E UTF8 >/dev/null
  as_pg_user "$bin/pg_ctl" -D "$PG_TEST_DIR/data" -l "$PG_TEST_DIR/server.log" -w \
    -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$PG_TEST_DIR -c fsync=off -c max_connections=200" start >/dev/null
  export SCORECARD_TEST_PG_URL="postgresql+psycopg://scorecard@127.0.0.1:$port/postgres"
  echo "test: PostgreSQL $(basename "$(dirname "$bin")") running on 127.0.0.1:$port" >&2
}

stop_test_postgres() {
  [ -n "${PG_TEST_DIR:-}" ] || return 0
  as_pg_user "$(pg_bin_dir)/pg_ctl" -D "$PG_TEST_DIR/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$PG_TEST_DIR"
}
