#!/usr/bin/env bash
# Runs request_desk on its sample request and on requests given by flags, and
# checks each report against clause 8 of the default policy.
# Usage: request_desk_test.sh PYTHON EXAMPLE_DIR (PYTHONPATH finds pip_policy)
set -uo pipefail
PY="$1"
DIR="$2"
source "$DIR/../check.sh"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
desk() { "$PY" "$DIR/request_desk.py" "$@" > "$tmp/out" 2> "$tmp/err"; }

# The sample: a disclosure by email from an agent, received 2026-01-31, with
# an identity document and the request form only, nothing paid.
desk "$DIR/sample_request.json"
check "sample: exit 0" test $? -eq 0
cat "$tmp/out"
check "sample is incomplete" has "$tmp/out" '^判定 / result: 不備あり / INCOMPLETE$'
# 8.3: an agent also needs a power of attorney (委任状).
check "sample misses the power of attorney (8.3)" has "$tmp/out" '^  - power_of_attorney$'
check "sample: its reason in Japanese" has "$tmp/out" '「委任状」の提出が必要です'
check "sample: its reason in English, with clause 8.3" \
  has "$tmp/out" "The document 'Power of attorney' must be submitted\. \(DOCUMENT_MISSING, 条項/clause 8\.3\)"
# 8.2: identity must be verified before the response.
check "sample misses identity verification (8.2)" has "$tmp/out" '^  - identity_verification$'
# 8.3: 300 yen for disclosure only.
check "sample misses the fee" has "$tmp/out" '^  - fee$'
check "sample: the fee is 300 yen (8.3)" has "$tmp/out" '^手数料 / fee: 300円 \(受領 0円\) / 300 JPY \(paid 0 JPY\)$'
# 8.2: within 30 days, the day of receipt not counted.
check "sample: respond by 2026-03-02 (8.2)" has "$tmp/out" '^回答期限 / respond by: 2026-03-02 \(期限内 / on time\)$'
check "sample: next step is collecting documents" has "$tmp/out" '^次の対応 / next step: COLLECT_DOCUMENTS$'
check "sample: next step in Japanese" has "$tmp/out" '不足している書類の提出を依頼してください'

# The same request by flags, complete: power of attorney in, fee paid,
# identity verified.
desk --type disclosure --channel email --requester agent --received 2026-01-31 \
  --documents identity_document,request_form,power_of_attorney --fee-paid 300 \
  --identity-verified --as-of 2026-02-02T09:00:00+09:00
check "complete disclosure: exit 0" test $? -eq 0
check "complete disclosure is complete" has "$tmp/out" '^判定 / result: 受付完了 / COMPLETE$'
check "complete disclosure: nothing missing" lacks "$tmp/out" '^不足しているもの'
check "complete disclosure: respond" has "$tmp/out" '^次の対応 / next step: RESPOND$'

# 8.3: a correction is free; charging for it is flagged.
desk --type correction --channel phone --received 2026-02-10 \
  --documents identity_document,request_form --identity-verified --fee-paid 300 \
  --as-of 2026-02-12T10:00:00+09:00
check "correction: no fee due (8.3)" has "$tmp/out" '^手数料 / fee: 0円'
check "correction: the charge is flagged (8.3)" has "$tmp/out" 'FEE_NOT_CHARGEABLE, 条項/clause 8\.3'
check "correction: respond by 2026-03-12 (8.2)" has "$tmp/out" '^回答期限 / respond by: 2026-03-12 '

# 8.2: requests come by phone or email; a letter is an error in the result.
desk "$DIR/sample_request.json" --channel post --documents identity_document,request_form,power_of_attorney \
  --fee-paid 300 --identity-verified
check "by post: exit 0 (decided)" test $? -eq 0
check "by post: the channel is refused (8.2)" has "$tmp/out" 'CHANNEL_NOT_ACCEPTED, 条項/clause 8\.2'
check "by post: next step fix_channel" has "$tmp/out" '^次の対応 / next step: FIX_CHANNEL$'

# 8.3: possible refusal grounds go to a person; 8.2: past the deadline is overdue.
desk "$DIR/sample_request.json" --documents identity_document,request_form,power_of_attorney \
  --fee-paid 300 --identity-verified --review third_party_rights --as-of 2026-03-03
check "review: flagged for a person (8.3)" has "$tmp/out" '^  - third_party_rights$'
check "review: next step human_review" has "$tmp/out" '^次の対応 / next step: HUMAN_REVIEW$'
check "overdue after 2026-03-02 (8.2)" has "$tmp/out" '^回答期限 / respond by: 2026-03-02 \(期限超過 / OVERDUE\)$'

# A malformed request is refused, never reported as complete.
desk "$DIR/sample_request.json" --type disclosur
check "unknown type: exit 2" test $? -eq 2
check "unknown type: the error names the field" has "$tmp/err" "type: .*'disclosur'"
check "unknown type: no report" lacks "$tmp/out" '判定'
desk "$DIR/sample_request.json" --documents identity_document,passport
check "unknown document: exit 2" test $? -eq 2
check "unknown document: the error names it" has "$tmp/err" 'passport'
desk "$DIR/sample_request.json" --policy "$tmp/no_such_policy.textproto"
check "missing policy file: exit 2" test $? -eq 2
check "missing policy file: NOT_FOUND" has "$tmp/err" 'NOT_FOUND'

exit $fail
