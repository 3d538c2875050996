#!/usr/bin/env bash
# End-to-end checks of pipctl's signed policies and decision log (clause
# 5.4). Keys are made here, at test time; none is stored in the repository.
# Usage: security_cli_test.sh PIPCTL SOURCE_DIR
source "$(dirname "$0")/testing/check.sh"

policy="$tmp/policy.textproto"
sed -e 's/^revision: 1$/revision: 5/' "$SRC/policies/default.textproto" > "$policy"
request='{"purpose_allowed": {"subject_id": "c-1", "purpose": "direct_mail", "categories": ["name"], "consents": [{"id": "k-9", "subject_id": "c-1", "granted_at": "2025-04-01T10:00:00+09:00"}], "active_requests": [{"type": "suspension", "id": "r-77", "received_at": "2026-01-10T09:00:00+09:00"}], "as_of": "2026-03-01T12:00:00+09:00"}}'

# --- Signed policies ---------------------------------------------------------
"$PIPCTL" keygen "$tmp/signer.pem" "$tmp/trusted.pem"
check "keygen exits 0" test $? -eq 0
check "the private key is readable by its owner only" test "$(stat -c %a "$tmp/signer.pem")" = 600
"$PIPCTL" keygen "$tmp/signer.pem" "$tmp/other.pem" 2> "$tmp/err"
check "keygen never overwrites a key" test $? -ne 0
"$PIPCTL" sign --key "$tmp/signer.pem" "$policy" > /dev/null
check "sign exits 0" test $? -eq 0
check "sign writes POLICY.sig" test -s "$policy.sig"
"$PIPCTL" verify --trusted-key "$tmp/trusted.pem" "$policy" > "$tmp/v.out"
check "verify accepts the signed policy" test $? -eq 0
check "and names its revision" grep -q "revision 5" "$tmp/v.out"

# A signature made by the openssl command line verifies too (docs/security.md).
openssl pkeyutl -sign -rawin -inkey "$tmp/signer.pem" -in "$policy" -out "$tmp/raw.sig"
"$PIPCTL" verify --trusted-key "$tmp/trusted.pem" "$policy" "$tmp/raw.sig" > /dev/null
check "verify accepts an openssl raw signature" test $? -eq 0

# Tampered: one changed value after signing (the 300 JPY fee of 8.3).
sed -e 's/fee_jpy: 300/fee_jpy: 0/' "$policy" > "$tmp/tampered.textproto"
cp "$policy.sig" "$tmp/tampered.textproto.sig"
"$PIPCTL" verify --trusted-key "$tmp/trusted.pem" "$tmp/tampered.textproto" > "$tmp/t.out"
check "verify refuses a tampered policy" test $? -eq 1
check "as UNAUTHENTICATED" grep -q "REFUSED (UNAUTHENTICATED)" "$tmp/t.out"
echo "$request" | "$PIPCTL" eval --policy "$tmp/tampered.textproto" --trusted-key "$tmp/trusted.pem" > "$tmp/e.out" 2> "$tmp/err"
check "eval refuses to start on a tampered policy" test $? -eq 2
check "and answers nothing" test ! -s "$tmp/e.out"

# Untrusted key; missing signature.
"$PIPCTL" keygen "$tmp/stranger.pem" "$tmp/stranger.pub" && \
  "$PIPCTL" sign --key "$tmp/stranger.pem" "$policy" "$tmp/stranger.sig" > /dev/null
"$PIPCTL" verify --trusted-key "$tmp/trusted.pem" "$policy" "$tmp/stranger.sig" > /dev/null
check "verify refuses a signature by an untrusted key" test $? -eq 1
cp "$policy" "$tmp/unsigned.textproto"
"$PIPCTL" verify --trusted-key "$tmp/trusted.pem" "$tmp/unsigned.textproto" > "$tmp/u.out"
check "verify refuses a policy with no signature" test $? -eq 1
check "saying signatures are required" grep -q "require_signature" "$tmp/u.out"
echo "$request" | "$PIPCTL" eval --policy "$policy" --trusted-key "$tmp/trusted.pem" > "$tmp/e.out"
check "eval runs on the signed policy" grep -q '"allowed":false' "$tmp/e.out"

# --- The rollback floor across restarts (--min-revision, --revision-file) ------
state="$tmp/revision"
older="$tmp/older.textproto"
sed -e 's/^revision: 5$/revision: 4/' "$policy" > "$older"
"$PIPCTL" sign --key "$tmp/signer.pem" "$older" > /dev/null
echo "$request" | "$PIPCTL" eval --policy "$policy" --trusted-key "$tmp/trusted.pem" \
  --revision-file "$state" > /dev/null
check "eval with --revision-file runs revision 5" test $? -eq 0
check "and keeps 5 in the file" test "$(cat "$state")" = 5
echo "$request" | "$PIPCTL" eval --policy="$older" --trusted-key="$tmp/trusted.pem" \
  --revision-file="$state" > "$tmp/r.out" 2> "$tmp/err"
check "a restart with the older, validly signed revision 4 is refused" test $? -eq 2
check "naming the revision and the file" grep -q "revision 4.*$state" "$tmp/err"
check "and answers nothing" test ! -s "$tmp/r.out"
echo "$request" | "$PIPCTL" eval --policy "$policy" --trusted-key "$tmp/trusted.pem" \
  --min-revision 6 > /dev/null 2> "$tmp/err"
check "--min-revision 6 refuses revision 5" test $? -eq 2
check "naming the floor" grep -q "below the lowest accepted revision 6" "$tmp/err"
echo "$request" | "$PIPCTL" eval --min-revision 6 > /dev/null 2> "$tmp/err"
check "a floor without a trusted key is refused, not ignored" test $? -eq 2
check "saying why" grep -q -- "--min-revision needs --trusted-key" "$tmp/err"

# --- Decision log ----------------------------------------------------------------
head -c 32 /dev/urandom > "$tmp/audit.key"
log="$tmp/decisions.jsonl"
echo "$request" | "$PIPCTL" eval --audit "$log" > /dev/null 2> "$tmp/err"
check "--audit without a key file is refused" test $? -ne 0
check "naming --audit-key-file" grep -q "audit-key-file" "$tmp/err"
check "and writes no log" test ! -e "$log"
head -c 16 /dev/urandom > "$tmp/short.key"
echo "$request" | "$PIPCTL" eval --audit "$log" --audit-key-file "$tmp/short.key" > /dev/null 2> "$tmp/err"
check "a short audit key is refused" test $? -ne 0

printf '%s\n%s\n{"retention_due": {"kind": 
' "$request" "$request" \
  | "$PIPCTL" eval --audit "$log" --audit-key-file "$tmp/audit.key" > "$tmp/a.out"
check "eval --audit answers every line" test "$(wc -l < "$tmp/a.out")" -eq 3
check "the decision is the same as without a log" grep -q '"allowed":false' <(sed -n 1p "$tmp/a.out")
check "the file's anchor and one record per decision (not for unparsable lines)" test "$(wc -l < "$log")" -eq 3
check "the log starts with its anchor" grep -q '"file_start":true' <(sed -n 1p "$log")
check "records hold the clause 8.1 reason" grep -q '"code":"SUSPENDED_BY_REQUEST","clause":"8.1"' "$log"
check "and no subject, consent or request id" bash -c "! grep -qE '\"(c-1|k-9|r-77)\"' '$log'"
"$PIPCTL" audit-verify --audit-key-file "$tmp/audit.key" "$log" > "$tmp/av.out"
check "audit-verify accepts the log" test $? -eq 0
check "and counts its records" grep -q "OK: 2 records" "$tmp/av.out"

# A second run appends and continues the chain.
echo "$request" | "$PIPCTL" eval --audit "$log" --audit-key-file "$tmp/audit.key" > /dev/null
"$PIPCTL" audit-verify --audit-key-file "$tmp/audit.key" "$log" > "$tmp/av.out"
check "a second run continues the log" grep -q "OK: 3 records" "$tmp/av.out"

cp "$log" "$tmp/good.jsonl"
# Tampering: a deny turned into an allow is evident.
sed -i '3s/OUTCOME_DENIED/OUTCOME_ALLOWED/' "$log"
"$PIPCTL" audit-verify --audit-key-file "$tmp/audit.key" "$log" > "$tmp/av.out"
check "audit-verify finds a changed record" test $? -eq 1
check "naming its line" grep -q "decisions.jsonl:3" "$tmp/av.out"

# A forged allow with one extra field, inserted mid-log, is not skipped as a
# killed writer's partial line.
{ sed -n 1,2p "$tmp/good.jsonl"
  sed -n 2p "$tmp/good.jsonl" | sed 's/OUTCOME_DENIED/OUTCOME_ALLOWED/; s/^{/{"tampered":2,/'
  sed -n '3,$p' "$tmp/good.jsonl"; } > "$log"
"$PIPCTL" audit-verify --audit-key-file "$tmp/audit.key" "$log" > "$tmp/av.out"
check "audit-verify refuses a forged line mid-log" test $? -eq 1
check "naming its line" grep -q "decisions.jsonl:3: not a record" "$tmp/av.out"
# A blank line mid-log.
{ sed -n 1,2p "$tmp/good.jsonl"; echo; sed -n '3,$p' "$tmp/good.jsonl"; } > "$log"
"$PIPCTL" audit-verify --audit-key-file "$tmp/audit.key" "$log" > "$tmp/av.out"
check "audit-verify refuses a blank line mid-log" test $? -eq 1
# The first records removed from a log that was never rotated.
sed '2,3d' "$tmp/good.jsonl" > "$log"
"$PIPCTL" audit-verify --audit-key-file "$tmp/audit.key" "$log" > "$tmp/av.out"
check "audit-verify finds records removed from the front" test $? -eq 1
sed '1,2d' "$tmp/good.jsonl" > "$log"
"$PIPCTL" audit-verify --audit-key-file "$tmp/audit.key" "$log" > "$tmp/av.out"
check "and the anchor removed with them" grep -q "does not start with its anchor" "$tmp/av.out"
# A key given twice.
sed '2s/"outcome":"OUTCOME_DENIED"/"outcome":"OUTCOME_ALLOWED","outcome":"OUTCOME_DENIED"/' "$tmp/good.jsonl" > "$log"
"$PIPCTL" audit-verify --audit-key-file "$tmp/audit.key" "$log" > "$tmp/av.out"
check "audit-verify refuses a key given twice" test $? -eq 1
# The torn end of the newest file, as a killed writer leaves it, verifies.
{ cat "$tmp/good.jsonl"; printf '{"seq":"4","func'; } > "$log"
"$PIPCTL" audit-verify --audit-key-file "$tmp/audit.key" "$log" > "$tmp/av.out"
check "a torn last line verifies" grep -q "OK: 3 records" "$tmp/av.out"
check "and is named" grep -q "decisions.jsonl:5" "$tmp/av.out"

exit $fail
