#!/usr/bin/env bash
# Runs retention_sweeper on databases made from sample.sql and checks what it
# deletes against clause 7 of the default policy, computed here from the
# periods with GNU date, not taken from the program.
# Usage: retention_sweeper_test.sh BINARY EXAMPLE_DIR SQLITE3_SHELL
set -uo pipefail
SWEEPER="$1"
DIR="$2"
SQLITE3="$3"
source "$DIR/../check.sh"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
export TZ=UTC

# The records of sample.sql: id, kind, event_at, hold. A hold is "open" (no
# end, or ending after the sweep) or "ended" (its until is before the sweep).
RECORDS="
1 inquiry 2023-05-10T14:00:00+09:00 -
2 inquiry 2023-05-11T09:30:00+09:00 -
3 inquiry 2023-05-10T16:00:00Z -
4 inquiry 2022-01-15T10:00:00+09:00 open:legal_obligation:h-1
5 contract_transaction 2021-03-31T18:00:00+09:00 -
6 contract_transaction 2021-06-30T12:00:00+09:00 -
7 contract_transaction - -
8 accounting 2018-03-20T10:00:00+09:00 -
9 accounting 2019-03-15T10:00:00+09:00 -
10 accounting 2018-11-20T10:00:00+09:00 -
11 accounting 2017-08-01T10:00:00+09:00 open:legal_obligation:h-2
12 marketing 2023-02-28T15:00:00+09:00 -
13 marketing 2023-06-01T10:00:00+09:00 -
14 marketing 2022-04-01T10:00:00+09:00 open:dispute:h-3
15 web_access 2024-05-10T23:59:59+09:00 -
16 web_access 2024-05-11T00:00:00+09:00 -
17 web_access 2023-01-10T08:00:00+09:00 ended:dispute:h-4
18 training_seminar 2025-05-10T13:00:00+09:00 -
19 training_seminar 2025-06-01T13:00:00+09:00 -
20 inquiry 2022-09-01T10:00:00+09:00 open:consent:h-5
21 training_seminar 2024-02-29T09:00:00+09:00 -
"

# Clause 7: period in years and deletion method of each kind.
declare -A YEARS=([inquiry]=3 [contract_transaction]=5 [accounting]=7
  [marketing]=3 [web_access]=2 [training_seminar]=1)
declare -A METHOD=([inquiry]=secure_erasure_and_shredding
  [contract_transaction]=complete_deletion_after_legal_period
  [accounting]=complete_deletion_after_statutory_period
  [marketing]=complete_deletion [web_access]=automatic_deletion_log_rotation
  [training_seminar]=complete_deletion)

# The civil date of a time in Asia/Tokyo (UTC+9, no DST).
jst_date() { date -d "@$(( $(date -d "$1" +%s) + 9 * 3600 ))" +%F; }

# The last day a record is kept (民法 140, 143). The event's day is not
# counted: the period starts the next day and ends the day before the same
# date N years later. GNU date rolls a missing 29 February over to 1 March,
# so "- 1 day" lands on the last day of February, as the Civil Code says.
# Accounting counts 7 years from the day after the filing deadline of the
# fiscal year holding the transaction (year ends 31 March, deadline 2 months
# later: 31 May), and that day counts. A contract record is kept at least as
# long as that accounting clock allows (法人税法施行規則 59, the policy's
# statutory floor): the later day decides, and FLOOR says whether the floor
# did.
accounting_until() {  # accounting_until DATE
  local y="${1:0:4}" m="${1:5:2}"
  [ "$((10#$m))" -gt 3 ] && y=$((y + 1))
  date -d "$y-06-01 + 7 years - 1 day" +%F
}
retain_until() {  # retain_until KIND EVENT_AT
  local d own floor
  d="$(jst_date "$2")"
  FLOOR=0
  if [ "$1" = accounting ]; then
    accounting_until "$d"
    return
  fi
  own="$(date -d "$(date -d "$d + 1 day" +%F) + ${YEARS[$1]} years - 1 day" +%F)"
  if [ "$1" = contract_transaction ]; then
    floor="$(accounting_until "$d")"
    if [[ "$floor" > "$own" ]]; then
      FLOOR=1
      echo "$floor"
      return
    fi
  fi
  echo "$own"
}

# Checks one sweep's report and the database after it. A record is due when
# its last day is before the sweep's day in Japan and no open hold keeps it.
# KEPT lines give pip's reason with --via=sql; the batch gives outcomes only.
check_sweep() {  # check_sweep LABEL OUT DB AS_OF VIA
  local label="$1" out="$2" db="$3" via="$5" today kept="" due=0
  today="$(jst_date "$4")"
  why() { if [ "$via" = sql ]; then echo " \\[7\\] $1"; else echo '$'; fi; }
  while read -r id kind event hold; do
    [ -n "$id" ] || continue
    if [ "$event" = - ]; then
      check "$label: #$id $kind, contract running: kept, clock not started" \
        has "$out" "^KEPT +#$id $kind .* retain_until \(none\)$(why CLOCK_NOT_STARTED)"
      kept="$kept $id"; continue
    fi
    local until running=PERIOD_RUNNING
    until="$(retain_until "$kind" "$event")"
    retain_until "$kind" "$event" > /dev/null  # sets FLOOR here
    [ "$FLOOR" = 1 ] && running=STATUTORY_FLOOR_APPLIES
    if [[ "$until" < "$today" && "$hold" != open:* ]]; then
      check "$label: #$id $kind of $event kept until $until: deleted by ${METHOD[$kind]}" \
        has "$out" "^DELETED #$id $kind .* retain_until $until \[7\] ${METHOD[$kind]} "
      due=$((due + 1))
    elif [[ "$until" < "$today" ]]; then
      IFS=: read -r _ type ref <<< "$hold"
      check "$label: #$id $kind of $event ended $until, kept by $type hold $ref" \
        has "$out" "^KEPT +#$id $kind .* retain_until $until$(why "HOLD_APPLIES $type hold $ref")"
      kept="$kept $id"
    else
      check "$label: #$id $kind of $event kept until $until: period running" \
        has "$out" "^KEPT +#$id $kind .* retain_until $until$(why "$running")"
      kept="$kept $id"
    fi
  done <<< "$RECORDS"
  check "$label: summary" has "$out" "^deleted $due of 21 records in one transaction"
  check "$label: the database holds exactly the kept records" \
    test "$("$SQLITE3" "$db" 'SELECT id FROM records ORDER BY id' | tr '\n' ' ')" = "${kept# } "
}

"$SQLITE3" "$tmp/sample.db" < "$DIR/sample.sql"
fresh_db() { cp "$tmp/sample.db" "$tmp/$1"; }  # fresh_db NAME: sample.sql's database

# The sweep at the first moment records of 2023-05-10 are due (clause 7:
# inquiry on 2023-05-10 -> kept until 2026-05-10, due 2026-05-11T00:00+09:00),
# and one second earlier, with either way of deciding.
for via in sql batch; do
  for as_of in 2026-05-11T00:00:00+09:00 2026-05-10T23:59:59+09:00; do
    fresh_db s.db
    "$SWEEPER" --db="$tmp/s.db" --as-of="$as_of" --via=$via > "$tmp/out" 2> "$tmp/err"
    check "$via as of $as_of: exit 0" test $? -eq 0
    check_sweep "$via as of $as_of" "$tmp/out" "$tmp/s.db" "$as_of" $via
  done
  cp "$tmp/out" "$tmp/out.$via"
done
check "sql and batch delete the same records, with the same dates and methods" \
  cmp -s <(grep '^DELETED' "$tmp/out.sql") <(grep '^DELETED' "$tmp/out.batch")
check "a hold that ended (h-4) went with its record; the others stay" \
  test "$("$SQLITE3" "$tmp/s.db" 'SELECT id FROM holds ORDER BY id' | tr '\n' ' ')" = "h-1 h-2 h-3 h-5 "

# Sweeping again deletes nothing more (the first sweep by one way, the
# second by the other too). A dry run reports the same records as due and
# deletes nothing.
for via in sql batch; do
  fresh_db again.db
  "$SWEEPER" --db="$tmp/again.db" --as-of=2026-05-11T00:00:00+09:00 --via=$via > "$tmp/first"
  for again in sql batch; do
    "$SWEEPER" --db="$tmp/again.db" --as-of=2026-05-11T00:00:00+09:00 --via=$again > "$tmp/second"
    check "$via then $again: exit 0" test $? -eq 0
    check "$via then $again: deletes nothing" has "$tmp/second" '^deleted 0 of 14 records'
    check "$via then $again: no DELETED line" lacks "$tmp/second" '^DELETED'
  done
  check "$via, swept twice: the same 14 records remain" \
    test "$("$SQLITE3" "$tmp/again.db" 'SELECT count(*) FROM records')" = 14

  fresh_db dry.db
  "$SWEEPER" --db="$tmp/dry.db" --as-of=2026-05-11T00:00:00+09:00 --via=$via --dry-run > "$tmp/dry"
  check "$via dry run: exit 0" test $? -eq 0
  check "$via dry run: reports the due records" \
    cmp -s <(grep '^DUE ' "$tmp/dry" | cut -c9-) <(grep '^DELETED ' "$tmp/first" | cut -c9-)
  check "$via dry run: deletes nothing" \
    test "$("$SQLITE3" "$tmp/dry.db" 'SELECT count(*) FROM records')" = 21
done

# An error of pip aborts the transaction: nothing is deleted, even the
# records that are due, and the error names the problem.
bad_sweep() {  # bad_sweep LABEL SQL EXPECTED_MESSAGE
  for via in sql batch; do
    fresh_db bad.db
    "$SQLITE3" "$tmp/bad.db" "$2"
    "$SWEEPER" --db="$tmp/bad.db" --as-of=2026-05-11T00:00:00+09:00 --via=$via \
      > "$tmp/bad.out" 2> "$tmp/bad.err"
    check "$via, $1: exit 1" test $? -eq 1
    check "$via, $1: says why" has "$tmp/bad.err" "$3"
    check "$via, $1: nothing deleted" \
      test "$("$SQLITE3" "$tmp/bad.db" 'SELECT count(*) FROM records')" = 22
    check "$via, $1: no DELETED line" lacks "$tmp/bad.out" '^DELETED'
  done
}
bad_sweep "unknown kind" \
  "INSERT INTO records VALUES (99, 'inquery', 'c-199', 'x', '2020-01-01T00:00:00+09:00')" \
  "unknown retention kind 'inquery'"
bad_sweep "inquiry without a date" \
  "INSERT INTO records VALUES (99, 'inquiry', 'c-199', 'x', NULL)" \
  "event_at"
bad_sweep "date that is not RFC 3339" \
  "INSERT INTO records VALUES (99, 'inquiry', 'c-199', 'x', '2020-01-01')" \
  "event_at: must be an RFC 3339 time"
bad_sweep "time before the years pip accepts" \
  "INSERT INTO records VALUES (99, 'inquiry', 'c-199', 'x', '1800-01-01T00:00:00+09:00')" \
  "outside the years"
bad_sweep "unknown hold type" \
  "INSERT INTO records VALUES (99, 'inquiry', 'c-199', 'x', '2020-01-01T00:00:00+09:00');
   INSERT INTO holds VALUES ('h-9', 99, 'lawsuit', NULL, 'x')" \
  "unknown hold type 'lawsuit'"

"$SWEEPER" --db="$tmp/missing.db" --as-of=2026-05-11T00:00:00+09:00 > /dev/null 2>&1
check "a missing database is an error, not a new file" test $? -eq 1 -a ! -e "$tmp/missing.db"
"$SWEEPER" --db="$tmp/again.db" --as-of=tomorrow > /dev/null 2> "$tmp/asof.err"
check "a bad --as-of is an error" test $? -eq 1
check "and names the flag" has "$tmp/asof.err" '--as-of'

"$SWEEPER" --db="$tmp/again.db" --via=rows > /dev/null 2> "$tmp/via.err"
check "an unknown --via is a usage error" test $? -eq 2
check "and shows the choices" has "$tmp/via.err" 'sql,batch'
"$SWEEPER" --as-of 2026-05-11T00:00:00+09:00 > /dev/null 2> "$tmp/db.err"
check "no --db is a usage error" test $? -eq 2
check "naming it" has "$tmp/db.err" '--db'
"$SWEEPER" --help > "$tmp/help.out"
check "--help exits 0 and lists the flags" has "$tmp/help.out" '--dry-run'
"$SWEEPER" --db "$tmp/again.db" --as-of 2026-05-11T00:00:00+09:00 --dry-run > "$tmp/space.out"
check "--flag value works as --flag=value does" test $? -eq 0

exit $fail
