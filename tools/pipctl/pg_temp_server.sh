# A PostgreSQL server of its own for a test or a benchmark: a fresh
# cluster in a temporary folder, listening only on a Unix socket in that
# folder (no TCP port), run by an unprivileged user when the caller is root
# (initdb and postgres refuse root). Sourced, not run:
#
#   source tools/pipctl/pg_temp_server.sh
#   pg_temp_start            # or fail: a server that cannot start is an error
#   psql ...                 # PGHOST, PGPORT, PGUSER, PGDATABASE are set
#   (an EXIT trap stops the server and removes the folder)
#
# The server binaries come from `pg_config --bindir`, else
# /usr/lib/postgresql/*/bin (Debian's postgresql package).

pg_temp_bindir() {
  local d
  for d in "$(pg_config --bindir 2>/dev/null || true)" /usr/lib/postgresql/*/bin; do
    if [ -n "$d" ] && [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && [ -x "$d/postgres" ]; then
      echo "$d"
      return 0
    fi
  done
  return 1
}

# Runs a command as the server's user.
pg_temp_as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u "$PG_TEMP_OWNER" -- "$@"
  else
    "$@"
  fi
}

pg_temp_stop() {
  if [ -n "${PG_TEMP_DIR:-}" ] && [ -d "$PG_TEMP_DIR" ]; then
    if [ -f "$PG_TEMP_DIR/data/postmaster.pid" ]; then
      pg_temp_as_owner "$PG_TEMP_BIN/pg_ctl" -D "$PG_TEMP_DIR/data" -m immediate \
        -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$PG_TEMP_DIR"
  fi
}

# Extra server settings may be given as arguments ("-c name=value" ...).
pg_temp_start() {
  PG_TEMP_BIN="$(pg_temp_bindir)" || {
    echo "FAIL: no PostgreSQL server binaries (initdb, pg_ctl, postgres) under" \
         "pg_config --bindir or /usr/lib/postgresql/*/bin; install Debian's" \
         "postgresql package (scripts/common.sh lists it)" >&2
    return 1
  }
  PG_TEMP_PSQL="$PG_TEMP_BIN/psql"
  [ -x "$PG_TEMP_PSQL" ] || PG_TEMP_PSQL="$(command -v psql)"
  if [ "$(id -u)" -eq 0 ]; then
    PG_TEMP_OWNER=nobody
    # Under /tmp, which every user may enter, whatever TMPDIR says.
    PG_TEMP_DIR="$(mktemp -d /tmp/pip-pg.XXXXXX)"
    chown "$PG_TEMP_OWNER" "$PG_TEMP_DIR"
  else
    PG_TEMP_OWNER="$(id -un)"
    PG_TEMP_DIR="$(mktemp -d "${TMPDIR:-/tmp}/pip-pg.XXXXXX")"
  fi
  trap pg_temp_stop EXIT
  if ! pg_temp_as_owner "$PG_TEMP_BIN/initdb" -D "$PG_TEMP_DIR/data" -U pip \
      --auth=trust --encoding=UTF8 --locale=C.UTF-8 --no-sync >"$PG_TEMP_DIR/initdb.log" 2>&1; then
    echo "FAIL: initdb failed:" >&2
    cat "$PG_TEMP_DIR/initdb.log" >&2
    return 1
  fi
  if ! pg_temp_as_owner "$PG_TEMP_BIN/pg_ctl" -D "$PG_TEMP_DIR/data" \
      -l "$PG_TEMP_DIR/server.log" -w -t 60 \
      -o "-c listen_addresses='' -c unix_socket_directories='$PG_TEMP_DIR' -c fsync=off -c synchronous_commit=off -c full_page_writes=off $*" \
      start >/dev/null; then
    echo "FAIL: the PostgreSQL server did not start:" >&2
    cat "$PG_TEMP_DIR/server.log" >&2
    return 1
  fi
  export PGHOST="$PG_TEMP_DIR" PGUSER=pip PGDATABASE=postgres
  unset PGPORT PGPASSWORD PGSERVICE
}
