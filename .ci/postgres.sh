# Sourced by .ci/run: a throwaway PostgreSQL cluster for the tests. Starts
# Debian's postgresql (installed if missing) as an unprivileged user on
# 127.0.0.1, creates a database and exports SIGNPOST_TEST_POSTGRES_DSN.
# Any failure stops CI: a missing PostgreSQL is an error, not a skip.

start_postgres() {
  local port=${SIGNPOST_CI_PG_PORT:-5544}
  if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
    echo "--- installing postgresql"
    apt-get update -qq
    apt-get install -y -qq postgresql >/dev/null
  fi
  PG_BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  PG_DIR=$(mktemp -d)
  # initdb refuses to run as root: the cluster belongs to the package's
  # postgres user (or to the CI user when it is not root).
  if [ "$(id -u)" = 0 ]; then
    chown postgres "$PG_DIR"
    PG_AS=(runuser -u postgres --)
  else
    PG_AS=()
  fi
  "${PG_AS[@]}" "$PG_BIN/initdb" -D "$PG_DIR/data" -A trust -U signpost >/dev/null
  "${PG_AS[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/log" -w \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $PG_DIR -c max_connections=300" start >/dev/null
  trap stop_postgres EXIT
  "$PG_BIN/createdb" -h 127.0.0.1 -p "$port" -U signpost signpost_ci
  export SIGNPOST_TEST_POSTGRES_DSN="postgres://signpost@127.0.0.1:$port/signpost_ci?sslmode=disable"
  echo "PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$port"
}

stop_postgres() {
  "${PG_AS[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w stop >/dev/null || true
  rm -rf "$PG_DIR"
}
