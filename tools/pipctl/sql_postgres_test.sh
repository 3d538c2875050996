#!/usr/bin/env bash
# The SQL of `pipctl sql` on a real PostgreSQL server against pip's
# retention_due (clause 7), on the million rows of sql_differential_test:
# every evaluation time with pip's constants and with the SQL's own
# arithmetic, the default now() predicate (now() read in the same
# transaction), and the view's retain_until. A server that cannot start is
# a failure, never a skip.
# Usage: sql_postgres_test.sh SQL_DIFFERENTIAL_TEST
set -euo pipefail
generator="$1"
source "$(dirname "$0")/pg_temp_server.sh"
pg_temp_start
work="$PG_TEMP_DIR/work"
mkdir "$work"
"$generator" --pg-write "$work"
# psql runs as the caller and reads and writes the files in $work.
(cd "$work" && "$PG_TEMP_PSQL" -X -q -v ON_ERROR_STOP=1 -f queries.sql)
"$generator" --pg-check "$work"
