#!/usr/bin/env bash
# Runs crm_campaign_gate on its sample list and checks each customer's outcome
# against the default policy. Usage: crm_campaign_gate_test.sh BINARY EXAMPLE_DIR
set -uo pipefail
GATE="$1"
DIR="$2"
source "$DIR/../check.sh"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# The sample campaign: direct_mail (4.2) with name and email, as of
# 2026-04-15T09:00+09:00 (the list's as_of).
"$GATE" "$DIR/customers.json" > "$tmp/out" 2> "$tmp/err"
check "sample list: exit 0 (every customer decided)" test $? -eq 0
cat "$tmp/out"

# Sent: internal use for a 4.2 purpose needs no consent (clause 4); a pending
# disclosure request does not stop use (8.1: only suspension and third-party
# stop do); a consent naming third_party covers provision (APPI 27).
for c in c-001 c-003 c-004 c-010; do
  check "$c is sent" has "$tmp/out" "^SEND +$c "
  check "$c is not blocked" lacks "$tmp/out" "^BLOCKED $c "
done
# 8.1: a pending suspension request blocks every purpose but legal_obligation
# and dispute_resolution; the report names the request.
check "c-002 blocked by suspension r-2001 (8.1)" \
  has "$tmp/out" '^BLOCKED c-002 \[8\.1\] SUSPENDED_BY_REQUEST request r-2001 \(suspension\)'
# APPI 27: provision to a third party needs a valid consent that names it.
check "c-005 needs a third-party consent (APPI 27)" \
  has "$tmp/out" '^BLOCKED c-005 \[APPI 27\] RECIPIENT_CONSENT_REQUIRED recipient third_party'
check "c-005: its consent was withdrawn on 2026-02-10" \
  has "$tmp/out" '^BLOCKED c-005 \[APPI 27\] WITHDRAWN consent k-5001'
check "c-006: its consent expired on 2026-04-01" \
  has "$tmp/out" '^BLOCKED c-006 \[APPI 27\] EXPIRED consent k-6001'
check "c-007: no consent at all" \
  has "$tmp/out" '^BLOCKED c-007 \[APPI 27\] NO_CONSENT'
check "c-009: a consent for event_invitation only does not cover direct_mail" \
  has "$tmp/out" '^BLOCKED c-009 \[APPI 27\] OUT_OF_SCOPE consent k-9001'
# 8.1: a pending third-party stop request blocks provision despite a consent.
check "c-008 blocked by third_party_stop r-2003 (8.1)" \
  has "$tmp/out" '^BLOCKED c-008 \[8\.1\] THIRD_PARTY_STOPPED request r-2003 \(third_party_stop\)'
for c in c-002 c-005 c-006 c-007 c-008 c-009; do
  check "$c is not sent" lacks "$tmp/out" "^SEND +$c "
done
check "summary counts" has "$tmp/out" '^sendable 4 of 10, blocked 6, errors 0$'
check "the header names the purpose and the time in Japan" \
  has "$tmp/out" 'purpose direct_mail, categories name, email, as of 2026-04-15T09:00:00\+09:00'

# Six weeks earlier the suspension (received 2026-03-20) and the stop request
# (2026-04-01) were not yet pending and c-006's consent had not yet expired;
# c-005's consent was already withdrawn (2026-02-10).
"$GATE" --as-of=2026-03-01T09:00:00+09:00 "$DIR/customers.json" > "$tmp/early"
check "--as-of: exit 0" test $? -eq 0
for c in c-002 c-006 c-008; do
  check "--as-of 2026-03-01: $c is sent" has "$tmp/early" "^SEND +$c "
done
check "--as-of 2026-03-01: c-005 still withdrawn" has "$tmp/early" '^BLOCKED c-005 .* WITHDRAWN'
check "--as-of 2026-03-01: counts" has "$tmp/early" '^sendable 7 of 10, blocked 3, errors 0$'

# --policy: the same policy from its file gives the same report; a policy
# that cannot be read stops before anything is decided.
"$GATE" --policy="$DIR/../../policies/default.textproto" "$DIR/customers.json" > "$tmp/file_policy"
check "--policy default.textproto: same report" cmp -s "$tmp/out" "$tmp/file_policy"
"$GATE" --policy="$tmp/none.textproto" "$DIR/customers.json" > "$tmp/nopolicy.out" 2> "$tmp/nopolicy.err"
check "--policy missing: exit 2, nothing sent" test $? -eq 2 -a ! -s "$tmp/nopolicy.out"
check "--policy missing: named" has "$tmp/nopolicy.err" 'none.textproto'

# Fail closed: an unknown request type is an error for that customer, who is
# reported and never sent to; the others are still decided; exit 1.
sed 's/"type": "suspension"/"type": "suspenson"/' "$DIR/customers.json" > "$tmp/typo.json"
"$GATE" "$tmp/typo.json" > "$tmp/typo.out"
check "engine error: exit 1" test $? -eq 1
check "engine error: c-002 reported as an error" has "$tmp/typo.out" '^ERROR +c-002 INVALID_ARGUMENT: .*suspenson'
check "engine error: c-002 not sent" lacks "$tmp/typo.out" '^SEND +c-002 '
check "engine error: the others still decided" has "$tmp/typo.out" '^sendable 4 of 10, blocked 5, errors 1$'

# An unreadable list sends nothing: a misspelt field, broken JSON, no file.
sed 's/"pending_requests"/"pending_request"/' "$DIR/customers.json" > "$tmp/field.json"
"$GATE" "$tmp/field.json" > "$tmp/field.out" 2> "$tmp/field.err"
check "unknown field: exit 2" test $? -eq 2
check "unknown field: named" has "$tmp/field.err" 'pending_request'
check "unknown field: nothing sent" lacks "$tmp/field.out" '^SEND'
head -c 200 "$DIR/customers.json" > "$tmp/cut.json"
"$GATE" "$tmp/cut.json" > "$tmp/cut.out" 2>/dev/null
check "truncated JSON: exit 2, nothing sent" test $? -eq 2 -a ! -s "$tmp/cut.out"
"$GATE" "$tmp/none.json" > /dev/null 2> "$tmp/none.err"
check "missing file: exit 2" test $? -eq 2
check "missing file: named" has "$tmp/none.err" 'none.json'
"$GATE" --as-of=yesterday "$DIR/customers.json" > "$tmp/asof.out" 2> "$tmp/asof.err"
check "bad --as-of: exit 2, nothing sent" test $? -eq 2 -a ! -s "$tmp/asof.out"
check "bad --as-of: named" has "$tmp/asof.err" '--as-of'

exit $fail
