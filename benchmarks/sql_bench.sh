#!/usr/bin/env bash
# Retention in the database (docs/performance.md): on a PostgreSQL server
# of its own (tools/pipctl/pg_temp_server.sh), a table of ROWS records, and
# three ways to count the ones due:
#   (a) a plain scan: event_at < now() - interval '3 years'
#   (b) the predicate of `pipctl sql` (clause 7, every kind, at now())
#   (c) every row fetched to the client (COPY TO STDOUT) and decided by pip
#       (benchmarks/sql_decide.cc, Snapshot::RetentionSweep)
# each REPEATS times, and the fetch of (c) alone (to /dev/null); prints
# every time and the medians.
# Usage: benchmarks/sql_bench.sh [BUILD_DIR] [ROWS] [REPEATS] [full|daily]
#   full:  every row ever written is still there (the first purge); no index.
#   daily: what a nightly purge job finds: the rows due the day before are
#          already deleted (with pipctl sql --as-of yesterday), and the
#          table has the indexes docs/scale.md advises, (kind, event_at) and
#          (kind, contract_ended_at) over the rows no hold keeps (held rows
#          past their period stay, and would be read again every night),
#          and (event_at) for the plain scan.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${1:-$root/build}"
rows="${2:-10000000}"
repeats="${3:-3}"
mode="${4:-full}"
case "$mode" in full|daily) ;; *) echo "mode: full or daily, not $mode" >&2; exit 2;; esac
for tool in "$build/tools/pipctl/pipctl" "$build/benchmarks/sql_decide"; do
  [ -x "$tool" ] || { echo "build $tool first (cmake --build $build --target pipctl sql_decide)" >&2; exit 2; }
done
source "$root/tools/pipctl/pg_temp_server.sh"
# The table fits in shared buffers: each case reads memory, not the disk.
pg_temp_start -c shared_buffers=2GB -c work_mem=64MB
psql_() { "$PG_TEMP_PSQL" -X -q -v ON_ERROR_STOP=1 "$@"; }

cat > "$PG_TEMP_DIR/mapping.json" <<'JSON'
{"table": "records", "id_column": "id", "kind_column": "kind",
 "event_column": "event_at", "contract_ended_column": "contract_ended_at",
 "holds": [{"column": "legal_hold", "type": "active"}]}
JSON
"$build/tools/pipctl/pipctl" sql --dialect postgres \
  --mapping "$PG_TEMP_DIR/mapping.json" > "$PG_TEMP_DIR/predicate.sql"

echo "PostgreSQL $("$PG_TEMP_BIN/postgres" --version | awk '{print $3}'), $rows rows, $(nproc) cores"
start=$(date +%s%N)
psql_ <<SQL
CREATE TABLE records (id bigint PRIMARY KEY, kind text NOT NULL,
  event_at timestamptz, contract_ended_at timestamptz,
  legal_hold boolean NOT NULL DEFAULT false);
INSERT INTO records
SELECT g,
  (ARRAY['inquiry', 'contract_transaction', 'accounting', 'marketing',
         'web_access', 'training_seminar', 'provision_record',
         'confirmation_record'])[1 + g % 8],
  now() - random() * interval '12 years',
  CASE WHEN g % 8 = 1 AND random() < 0.8
       THEN now() - random() * interval '12 years' END,
  random() < 0.02
FROM generate_series(1, $rows) AS g;
VACUUM ANALYZE records;
SQL
echo "filled in $(( ($(date +%s%N) - start) / 1000000 )) ms"
if [ "$mode" = daily ]; then
  yesterday="$(date -u -d '1 day ago' +%Y-%m-%dT%H:%M:%SZ)"
  "$build/tools/pipctl/pipctl" sql --dialect postgres --as-of "$yesterday" \
    --mapping "$PG_TEMP_DIR/mapping.json" > "$PG_TEMP_DIR/yesterday.sql"
  start=$(date +%s%N)
  psql_ <<SQL
DELETE FROM records WHERE $(cat "$PG_TEMP_DIR/yesterday.sql");
CREATE INDEX ON records (kind, event_at) WHERE legal_hold IS FALSE;
CREATE INDEX ON records (kind, contract_ended_at) WHERE legal_hold IS FALSE;
CREATE INDEX ON records (event_at);
VACUUM ANALYZE records;
SQL
  echo "daily: rows due at $yesterday deleted, indexes made, in $(( ($(date +%s%N) - start) / 1000000 )) ms; $(psql_ -t -A -c 'SELECT count(*) FROM records') rows left"
fi

# Milliseconds of one statement, by psql's \timing.
query_ms() {
  psql_ -c '\timing on' -c "$1" | sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p' | tail -1
}
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

plain="SELECT count(*) FROM records WHERE event_at < now() - interval '3 years'"
pip="SELECT count(*) FROM records WHERE $(cat "$PG_TEMP_DIR/predicate.sql")"
copy="COPY (SELECT kind, floor(extract(epoch FROM event_at))::bigint,
  floor(extract(epoch FROM contract_ended_at))::bigint, legal_hold
  FROM records) TO STDOUT"

psql_ -c "$plain" > /dev/null  # warm the buffers
echo "plan of (b):"
psql_ -c "EXPLAIN $pip" | grep -E "Gather|Workers|Scan|InitPlan" | sed 's/^/  /'
echo "(b) selects $(psql_ -t -A -c "$pip") rows; (c) decides $(psql_ -c "$copy" | "$build/benchmarks/sql_decide" "$(date -u +%Y-%m-%dT%H:%M:%SZ)")"

: > "$PG_TEMP_DIR/a"; : > "$PG_TEMP_DIR/b"; : > "$PG_TEMP_DIR/c"; : > "$PG_TEMP_DIR/f"
for i in $(seq "$repeats"); do
  query_ms "$plain" >> "$PG_TEMP_DIR/a"
  query_ms "$pip" >> "$PG_TEMP_DIR/b"
  start=$(date +%s%N)
  psql_ -c "$copy" | "$build/benchmarks/sql_decide" "$(date -u +%Y-%m-%dT%H:%M:%SZ)" > /dev/null
  echo "$(( ($(date +%s%N) - start) / 1000000 ))" >> "$PG_TEMP_DIR/c"
  start=$(date +%s%N)
  psql_ -c "$copy" > /dev/null
  echo "$(( ($(date +%s%N) - start) / 1000000 ))" >> "$PG_TEMP_DIR/f"
done
a=$(median < "$PG_TEMP_DIR/a"); b=$(median < "$PG_TEMP_DIR/b"); c=$(median < "$PG_TEMP_DIR/c")
echo "(a) plain scan         ms: $(tr '\n' ' ' < "$PG_TEMP_DIR/a") median $a"
echo "(b) pip predicate      ms: $(tr '\n' ' ' < "$PG_TEMP_DIR/b") median $b"
echo "(c) fetch + pip sweep  ms: $(tr '\n' ' ' < "$PG_TEMP_DIR/c") median $c"
echo "    of which the fetch ms: $(tr '\n' ' ' < "$PG_TEMP_DIR/f") median $(median < "$PG_TEMP_DIR/f")"
awk -v a="$a" -v b="$b" -v c="$c" 'BEGIN {printf "(b)/(a) = %.2f; (c)/(b) = %.1f\n", b / a, c / b}'
