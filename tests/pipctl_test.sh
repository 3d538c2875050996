#!/usr/bin/env bash
# End-to-end checks of the pipctl command line. Usage: pipctl_test.sh PIPCTL SOURCE_DIR
source "$(dirname "$0")/testing/check.sh"

# eval: one answer per line, in order; bad lines are error lines and the
# stream goes on (DESIGN.md, pipctl eval).
cat > "$tmp/in.jsonl" <<'JSON'
{"retention_due": {"kind": "inquiry", "event_at": "2023-05-10T14:00:00+09:00", "as_of": "2026-05-11T00:00:00+09:00"}}
{"retention_due": {"kind": 
   
{"purpose_allowed": {"subject_id": "c-1", "purpose": "direct_mail", "categories": ["name"], "as_of": "2026-03-01T12:00:00+09:00"}}
{"purpose_allowed": {"subject_id": "c-1", "purpose": "direct_mail", "categories": ["nmae"], "as_of": "2026-03-01T12:00:00+09:00"}}
JSON
"$PIPCTL" eval < "$tmp/in.jsonl" > "$tmp/out.jsonl" 2> "$tmp/err"
check "eval exits 1 when a line was an error" test $? -eq 1
check "and says how many" grep -q "3 of 5 lines were errors" "$tmp/err"
check "eval answers every line" test "$(wc -l < "$tmp/out.jsonl")" -eq 5
check "line 1 is the retention decision" grep -q '^{"retention_due":{"due":true,"retain_until":"2026-05-10"' <(sed -n 1p "$tmp/out.jsonl")
check "line 2 (broken JSON) is an error" grep -q '^{"error":{"code":"INVALID_ARGUMENT"' <(sed -n 2p "$tmp/out.jsonl")
check "line 3 (blank) is an error" grep -q '^{"error":' <(sed -n 3p "$tmp/out.jsonl")
check "line 4 is allowed" grep -q '^{"purpose_allowed":{"allowed":true' <(sed -n 4p "$tmp/out.jsonl")
check "line 5 suggests the id" grep -q "did you mean 'name'" <(sed -n 5p "$tmp/out.jsonl")

# A line over kMaxEvalLineBytes (1 MiB) is an error line and the stream goes
# on (pip/limits.h).
{ head -c 1048577 /dev/zero | tr '\0' ' '; echo; sed -n 1p "$tmp/in.jsonl"; } \
  | "$PIPCTL" eval > "$tmp/long.out"
check "an overlong line and the next are both answered" test "$(wc -l < "$tmp/long.out")" -eq 2
check "the overlong line names kMaxEvalLineBytes" grep -q '^{"error":{"code":"INVALID_ARGUMENT".*kMaxEvalLineBytes' <(sed -n 1p "$tmp/long.out")
check "the next line is its decision" cmp -s <(sed -n 2p "$tmp/long.out") <(sed -n 1p "$tmp/out.jsonl")

# --policy uses another policy file.
"$PIPCTL" eval --policy "$SRC/policies/default.textproto" < "$tmp/in.jsonl" > "$tmp/out2.jsonl"
check "eval --policy gives the same answers" cmp -s "$tmp/out.jsonl" "$tmp/out2.jsonl"
"$PIPCTL" eval --policy "$tmp/missing.textproto" < /dev/null 2> "$tmp/err"
check "eval --policy with a missing file fails" test $? -ne 0
check "and says which file" grep -q "missing.textproto" "$tmp/err"

# validate: OK on the default policy; every problem and exit 1 on a bad one.
"$PIPCTL" validate "$SRC/policies/default.textproto" > "$tmp/v.out"
check "validate default exits 0" test $? -eq 0
check "validate default says OK" grep -q "OK" "$tmp/v.out"
sed -e 's/group: "2.5"/group: "2.6"/' -e '0,/revision: 1/s//revision: 0/' \
  "$SRC/policies/default.textproto" > "$tmp/bad.textproto"
"$PIPCTL" validate "$tmp/bad.textproto" > "$tmp/v2.out"
check "validate bad policy exits 1" test $? -eq 1
check "reports the revision with its line" grep -qE "bad.textproto:[0-9]+:[0-9]+: revision: must be positive" "$tmp/v2.out"
check "and every dangling group at once" test "$(grep -c "unknown category group '2.6'" "$tmp/v2.out")" -eq 4

# explain: the decision with the clause text.
sed -n 1p "$tmp/in.jsonl" | "$PIPCTL" explain > "$tmp/x.out"
check "explain names the outcome" grep -q "DUE" "$tmp/x.out"
check "explain quotes clause 7" grep -q "保存期間と削除" "$tmp/x.out"
# 1.4, APPI 26: an incident explained with its dates and the articles it
# cites; 9: a complaint with its owner and the outside bodies.
echo '{"incident_assess": {"kind": "INCIDENT_LEAK", "categories": ["health"], "people": 3, "aware_at": "2026-01-31T15:30:00Z", "as_of": "2026-02-01T09:00:00+09:00"}}' \
  | "$PIPCTL" explain > "$tmp/xi.out"
check "explain says the incident is reportable" grep -q "REPORTABLE" "$tmp/xi.out"
check "explain gives the final report's day" grep -q "確報 / final report by: 2026-03-03" "$tmp/xi.out"
check "explain quotes APPI 26(1)" grep -q "漏えい等の報告" "$tmp/xi.out"
echo '{"complaint_route": {"state": "first_response", "resolution_difficult": true, "as_of": "2026-03-01T12:00:00+09:00"}}' \
  | "$PIPCTL" explain > "$tmp/xc.out"
check "explain names the owner of the next step" grep -q "担当 / owner: 個人情報保護責任者" "$tmp/xc.out"
check "explain lists the outside bodies" grep -q "国民生活センター" "$tmp/xc.out"
# 3, APPI 30: a referral explained with its confirmation record; one not
# confirmed says what is missing, and --fail-on deny counts it.
echo '{"acquisition_check": {"channel": "third_party", "categories": ["name"], "provider": {"name": "Partner KK", "address": "Tokyo", "representative": "Taro Yamada", "how_obtained": "seminar sign-up"}, "as_of": "2026-03-01T12:00:00+09:00"}}' \
  | "$PIPCTL" explain > "$tmp/xa.out"
check "explain says the acquisition is allowed" grep -q "取得できます / ALLOWED" "$tmp/xa.out"
check "explain gives the confirmation record" grep -q "確認記録 / confirmation record: 3" "$tmp/xa.out"
check "explain quotes APPI 30(3)" grep -q "確認に係る記録の作成" "$tmp/xa.out"
echo '{"acquisition_check": {"channel": "third_party", "categories": ["name"], "as_of": "2026-03-01T12:00:00+09:00"}}' > "$tmp/unconfirmed.jsonl"
"$PIPCTL" explain < "$tmp/unconfirmed.jsonl" > "$tmp/xu.out"
check "explain names what is not confirmed" grep -q "未確認 / not confirmed: provider.name" "$tmp/xu.out"
"$PIPCTL" eval --fail-on deny "$tmp/unconfirmed.jsonl" > /dev/null
check "an acquisition not allowed is a denial (--fail-on deny)" test $? -eq 1
# 6, APPI 25: a contractor explained with the day its next check is due
# and the contract term it lacks.
echo '{"contractor_check": {"contractor_id": "vendor-17", "criteria_met": ["adequate_security_measures", "clear_privacy_policy", "no_serious_past_breach", "security_certification", "sound_finances"], "contract_terms": ["confidentiality"], "last_checked_at": "2025-05-10T14:00:00+09:00", "as_of": "2026-03-01T12:00:00+09:00"}}' \
  | "$PIPCTL" explain > "$tmp/xk.out"
check "explain says the contractor may not be entrusted" grep -q "委託できません / NOT ALLOWED" "$tmp/xk.out"
check "explain gives the next check's day" grep -q "next check by: 2026-05-10" "$tmp/xk.out"
check "explain names the missing term" grep -q "事故発生時の報告義務" "$tmp/xk.out"

# --- Conventions: exit codes, inputs, formats, help ---------------------------
sed -n 1p "$tmp/in.jsonl" > "$tmp/due.jsonl"
sed -n 4p "$tmp/in.jsonl" > "$tmp/allowed.jsonl"
echo '{"purpose_allowed": {"subject_id": "c-1", "purpose": "statistics", "categories": ["name"], "as_of": "2026-03-01T12:00:00+09:00"}}' > "$tmp/denied.jsonl"
"$PIPCTL" eval "$tmp/due.jsonl" "$tmp/allowed.jsonl" > "$tmp/files.out"
check "eval reads files in order and exits 0 with no error" test $? -eq 0
check "answering each file's lines" cmp -s "$tmp/files.out" <(sed -n '1p;4p' "$tmp/out.jsonl")
"$PIPCTL" eval - < "$tmp/due.jsonl" > "$tmp/dash.out"
check "'-' is standard input" cmp -s "$tmp/dash.out" <(sed -n 1p "$tmp/out.jsonl")
"$PIPCTL" eval "$tmp/denied.jsonl" > /dev/null
check "a deny exits 0 by default (4.3: it is a decision)" test $? -eq 0
"$PIPCTL" eval --fail-on deny "$tmp/denied.jsonl" > /dev/null 2> "$tmp/err"
check "--fail-on deny exits 1 on a deny" test $? -eq 1
check "and counts it" grep -q "1 decisions said no" "$tmp/err"
"$PIPCTL" eval --fail-on=deny "$tmp/due.jsonl" "$tmp/allowed.jsonl" > /dev/null
check "--fail-on=deny exits 0 when nothing says no" test $? -eq 0
"$PIPCTL" eval --fail-on never < "$tmp/in.jsonl" > /dev/null
check "--fail-on never exits 0 despite error lines" test $? -eq 0
"$PIPCTL" eval --format pretty "$tmp/due.jsonl" > "$tmp/pretty.out"
check "--format pretty indents" grep -q '^    "due": true,$' "$tmp/pretty.out"
check "and is the same JSON" test "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1])) == json.loads(open(sys.argv[2]).readline()))' "$tmp/pretty.out" "$tmp/files.out")" = True
"$PIPCTL" eval --format yaml < /dev/null 2> "$tmp/err"
check "an unknown format is a usage error (exit 2)" test $? -eq 2
"$PIPCTL" eval "$tmp/missing.jsonl" > /dev/null 2> "$tmp/err"
check "a missing input file exits 2" test $? -eq 2
check "naming it" grep -q "cannot open '$tmp/missing.jsonl'" "$tmp/err"
"$PIPCTL" eval < "$tmp" > /dev/null 2> "$tmp/err"
check "a directory on stdin exits 2, not a crash" test $? -eq 2
check "saying so" grep -q "standard input: it is a directory" "$tmp/err"
"$PIPCTL" eval <&- > /dev/null 2> "$tmp/err"
check "a closed stdin exits 2, not a crash" test $? -eq 2
check "saying so" grep -q "cannot read standard input" "$tmp/err"
if [ -w /dev/full ]; then
  "$PIPCTL" eval "$tmp/due.jsonl" > /dev/full 2> "$tmp/err"
  check "a full disk on stdout exits 2" test $? -eq 2
  check "saying so" grep -q "No space left on device" "$tmp/err"
fi
"$PIPCTL" eval --help > "$tmp/help.out"
check "eval --help exits 0" test $? -eq 0
check "and lists --fail-on" grep -q -- "--fail-on" "$tmp/help.out"
"$PIPCTL" help eval > "$tmp/help2.out"
check "pipctl help eval prints the same" cmp -s "$tmp/help.out" "$tmp/help2.out"
"$PIPCTL" --version > "$tmp/version.out"
check "--version exits 0" test $? -eq 0
check "and prints the version" grep -qE '^pip [0-9]+\.[0-9]+\.[0-9]+$' "$tmp/version.out"
"$PIPCTL" policy > "$tmp/policy.textproto"
check "policy prints the embedded policy" cmp -s "$tmp/policy.textproto" "$SRC/policies/default.textproto"
"$PIPCTL" validate "$tmp/policy.textproto" > /dev/null
check "which validates" test $? -eq 0
"$PIPCTL" evaluate 2> "$tmp/err"
check "an unknown command is a usage error (exit 2)" test $? -eq 2
"$PIPCTL" 2> /dev/null
check "no command is a usage error (exit 2)" test $? -eq 2

# --- diff: policy changes classified as APPI treats them ----------------------
D="$SRC/policies/default.textproto"
"$PIPCTL" diff default "$D" > "$tmp/d0.out"
check "diff of the embedded policy and its file exits 0" test $? -eq 0
check "and finds no change" grep -q "no change" "$tmp/d0.out"
# 4.2, APPI 17(2), 18(1): a new purpose needs consent (or notice): exit 1.
sed 's/^purposes { id: "direct_mail" group: "4.2"/purposes { id: "pet_care" group: "4.2" clause: "4.2" label_ja: "ペット用品のご案内" label_en: "Pet supplies offers" }\n&/' \
  "$D" > "$tmp/purpose.textproto"
"$PIPCTL" diff "$D" "$tmp/purpose.textproto" > "$tmp/d1.out"
check "a new purpose exits 1 (needs consent)" test $? -eq 1
check "listed under needs_consent with its clause" grep -q "^  \[4.2\] purposes\[pet_care\]: (none) -> pet_care: 新しい利用目的「ペット用品のご案内」" "$tmp/d1.out"
check "citing APPI 18(1)" grep -q "APPI 17(2), 18(1)" "$tmp/d1.out"
"$PIPCTL" diff --fail-on never "$D" "$tmp/purpose.textproto" > /dev/null
check "--fail-on never exits 0" test $? -eq 0
# 2.4, 7: the consent to location removed (weakens protection), inquiries
# kept 2 years instead of 3 (deleted earlier), a label reworded (text only):
# none needs consent, so exit 0; --fail-on any exits 1.
sed -e '/id: "location"/,/^}/{/conditions {/,/^  }/d}' \
    -e '0,/period { years: 3 }/s//period { years: 2 }/' \
    -e 's/label_en: "Age"/label_en: "Age (years)"/' "$D" > "$tmp/weaker.textproto"
"$PIPCTL" diff --format json default "$tmp/weaker.textproto" > "$tmp/d2.json"
check "no change needing consent exits 0" test $? -eq 0
check "diff --format json classifies each change" python3 - "$tmp/d2.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
got = {(c["class"], c["path"], c["old"], c["new"], c["clause"]) for c in d["changes"]}
want = {
    ("weakens_protection", "categories[location].conditions[consent]", "consent", None, "2.4"),
    ("deletes_earlier", "retention.kinds[inquiry].period", "3 years", "2 years", "7"),
    ("text_only", "categories[age].label_en", "Age", "Age (years)", "2.1"),
}
assert got == want, got
assert d["needs_consent"] is False
assert d["old"]["name"] == "default" and len(d["old"]["hash"]) == 64
assert d["old"]["hash"] != d["new"]["hash"]
assert all(c["message_ja"] and c["message_en"] for c in d["changes"])
PY
"$PIPCTL" diff --fail-on any default "$tmp/weaker.textproto" > "$tmp/d3.out"
check "--fail-on any exits 1 on any change" test $? -eq 1
check "the text report names the class in Japanese and English" grep -q "^deletes_earlier: 早く削除されるようになる変更.* / deletes data earlier" "$tmp/d3.out"
"$PIPCTL" diff default "$tmp/missing.textproto" 2> "$tmp/err"
check "diff with a missing policy exits 2" test $? -eq 2
check "naming the file" grep -q "cannot load the policy '$tmp/missing.textproto'" "$tmp/err"
"$PIPCTL" diff default "$tmp/bad.textproto" 2> "$tmp/err"
check "diff with an invalid policy exits 2" test $? -eq 2
check "naming the problem" grep -q "bad.textproto:[0-9]*:[0-9]*: revision: must be positive" "$tmp/err"
"$PIPCTL" diff --help > "$tmp/dh.out"
check "diff --help lists --fail-on" grep -q -- "--fail-on" "$tmp/dh.out"
"$PIPCTL" help diff > "$tmp/dh2.out"
check "pipctl help diff prints the same" cmp -s "$tmp/dh.out" "$tmp/dh2.out"

# --- test: golden files run against a policy ----------------------------------
"$PIPCTL" test "$SRC/tests/scenarios/default_policy.jsonl" > "$tmp/t.out"
check "the repository's goldens pass through pipctl test" test $? -eq 0
cases="$(sed -n 's/^\([0-9]*\) cases: \1 passed, 0 failed$/\1/p' "$tmp/t.out")"
check "every case passed and is reported" test "${cases:-0}" -ge 30 -a "$(grep -c '^PASS ' "$tmp/t.out")" = "$cases"
check "by file, line and comment" grep -q "^PASS $SRC/tests/scenarios/default_policy.jsonl:8  8.1: the DESIGN.md contract example" "$tmp/t.out"
# 4.3: a deliberately wrong expectation fails, with the fields that differ
# and the decision explained.
cat > "$tmp/wrong.jsonl" <<'JSON'
# 4.3: statistics on data not anonymized is denied
{"purpose_allowed": {"subject_id": "c-5", "purpose": "statistics", "categories": ["age"], "context": {"anonymized": false}, "as_of": "2026-03-01T12:00:00+09:00"}}
{"purpose_allowed": {"allowed": false, "reasons": [{"code": "NOT_ANONYMIZED", "clause": "4.3"}]}}

# 4.3: wrongly expected to be allowed
{"purpose_allowed": {"subject_id": "c-5", "purpose": "statistics", "categories": ["age"], "context": {"anonymized": false}, "as_of": "2026-03-01T12:00:00+09:00"}}
{"purpose_allowed": {"allowed": true}}
JSON
"$PIPCTL" test "$tmp/wrong.jsonl" > "$tmp/t2.out"
check "a wrong expectation exits 1" test $? -eq 1
check "the right one passes" grep -q "^PASS $tmp/wrong.jsonl:2  4.3: statistics on data not anonymized is denied$" "$tmp/t2.out"
check "the wrong one fails with its line" grep -q "^FAIL $tmp/wrong.jsonl:6  4.3: wrongly expected to be allowed$" "$tmp/t2.out"
check "giving the expected and actual value" grep -q '^    \$.purpose_allowed.allowed: expected true, got false$' "$tmp/t2.out"
check "and the decision explained" grep -q "^    | .*4.3" "$tmp/t2.out"
check "and a summary" grep -q "^2 cases: 1 passed, 1 failed$" "$tmp/t2.out"
"$PIPCTL" test --format json "$tmp/wrong.jsonl" > "$tmp/t2.json"
check "test --format json reports the same" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert (d["passed"], d["failed"]) == (1, 1)
bad = d["cases"][1]
assert bad["line"] == 6 and bad["pass"] is False
assert bad["diffs"] == [{"path": "$.purpose_allowed.allowed", "expected": "true", "actual": "false"}]
' "$tmp/t2.json"
# The same cases pass against a policy where statistics needs no anonymized
# data (--policy), and the one that expected a deny fails.
sed '/id: "statistics"/,/^}/{/conditions {/,/^  }/d}' "$D" > "$tmp/stats.textproto"
"$PIPCTL" test --policy "$tmp/stats.textproto" "$tmp/wrong.jsonl" > "$tmp/t3.out"
check "test --policy runs the cases against that policy" grep -q "^FAIL $tmp/wrong.jsonl:2 " "$tmp/t3.out"
check "where the other passes" grep -q "^PASS $tmp/wrong.jsonl:6 " "$tmp/t3.out"
head -2 "$tmp/wrong.jsonl" > "$tmp/truncated.jsonl"
"$PIPCTL" test "$tmp/truncated.jsonl" > /dev/null 2> "$tmp/err"
check "a request without its expected line exits 2" test $? -eq 2
check "naming the file and line" grep -q "truncated.jsonl:2: the request has no expected line" "$tmp/err"
"$PIPCTL" test "$tmp/missing.jsonl" > /dev/null 2> "$tmp/err"
check "a missing golden file exits 2" test $? -eq 2
"$PIPCTL" test --policy "$tmp/bad.textproto" "$tmp/wrong.jsonl" > /dev/null 2> "$tmp/err"
check "test with an invalid policy exits 2" test $? -eq 2
"$PIPCTL" help test > "$tmp/th.out"
check "pipctl help test prints its usage" grep -q "Usage: pipctl test" "$tmp/th.out"
"$PIPCTL" test --help > "$tmp/th2.out"
check "pipctl test --help prints the same" cmp -s "$tmp/th.out" "$tmp/th2.out"
check "and names the golden format's document" grep -q "docs/policy-testing.md" "$tmp/th.out"

# render: the published notice from the policy's data (docs/notice.md).
"$PIPCTL" render --lang ja --format md -o "$tmp/notice.md"
check "render exits 0" test $? -eq 0
check "render writes clause 7's table" grep -q '^| お問い合わせ情報 | お問い合わせから3年間 |' "$tmp/notice.md"
check "and the policy's hash in the footer" grep -q "$("$PIPCTL" version | sed 's/.*sha256 //; s/)//')" "$tmp/notice.md"
# 7: the period is the kind's, not the words of the clause table.
sed '/id: "inquiry"/,/period_ja/s/years: 3/years: 5/' "$SRC/policies/default.textproto" > "$tmp/inquiry5.textproto"
"$PIPCTL" render --policy "$tmp/inquiry5.textproto" --lang ja --format html > "$tmp/notice5.html" 2> "$tmp/err"
check "render --policy renders that policy's period" grep -q '<td>お問い合わせから5年間</td>' "$tmp/notice5.html"
check "and warns that clause 7's text still says 3 years" grep -q "^pipctl render: warning: clause 7: the clause text says 「お問い合わせ情報 | お問い合わせから3年間" "$tmp/err"
"$PIPCTL" render --lang ja --format md > /dev/null 2> "$tmp/err"
check "the default policy gives no warning" test ! -s "$tmp/err"
"$PIPCTL" render --lang en --format html -o "$tmp/notice.en.html"
check "render --lang en writes an English page" grep -q '<html lang="en">' "$tmp/notice.en.html"
"$PIPCTL" render --lang fr --format md -o "$tmp/fr.md" 2> "$tmp/err"
check "render with an unknown --lang exits 2" test $? -eq 2
check "naming --lang" grep -q -- "--lang" "$tmp/err"
check "and writes nothing" test ! -e "$tmp/fr.md"
"$PIPCTL" render --lang ja --format pdf -o "$tmp/x.pdf" 2> "$tmp/err"
check "render with an unknown --format exits 2" test $? -eq 2
check "naming --format" grep -q -- "--format" "$tmp/err"
cp "$tmp/notice.md" "$tmp/kept.md"
"$PIPCTL" render --policy "$tmp/bad.textproto" --lang ja --format md -o "$tmp/kept.md" 2> "$tmp/err"
check "render with an invalid policy exits 2" test $? -eq 2
check "naming the policy file" grep -q "bad.textproto" "$tmp/err"
check "and leaves -o as it was" cmp -s "$tmp/notice.md" "$tmp/kept.md"
"$PIPCTL" render --lang ja --format md -o "$tmp/no/such/dir/notice.md" 2> "$tmp/err"
check "render to an unwritable -o exits 2" test $? -eq 2
check "naming the output" grep -q "cannot write '$tmp/no/such/dir/notice.md'" "$tmp/err"
check "leaving no temporary file" test -z "$(ls "$tmp" | grep 'notice.md.')"
"$PIPCTL" help render > "$tmp/rh.out"
check "pipctl help render names the notice's document" grep -q "docs/notice.md" "$tmp/rh.out"

# sql (clause 7): the retention rules as a WHERE predicate over the
# company's table; errors exit 2 and name the field.
cat > "$tmp/mapping.json" <<'JSON'
{"table": "records", "kind_column": "kind", "event_column": "event_at",
 "contract_ended_column": "ended_at",
 "holds": [{"column": "legal_hold", "type": "active"}]}
JSON
"$PIPCTL" sql --dialect postgres --mapping "$tmp/mapping.json" --as-of 2026-05-11T00:00:00+09:00 > "$tmp/sql.out"
check "sql exits 0" test $? -eq 0
check "sql: an inquiry of 2023-05-10 is due on 2026-05-11, one of 2023-05-11 is not" \
  grep -q "\"kind\" = 'inquiry' AND \"event_at\" >= TIMESTAMPTZ '1900-01-01 00:00:00+09:00' AND \"event_at\" < TIMESTAMPTZ '2023-05-11 00:00:00+09:00'" "$tmp/sql.out"
check "sql: a hold keeps the row" grep -q '^AND "legal_hold" IS FALSE' "$tmp/sql.out"
"$PIPCTL" sql --dialect mysql --mapping "$tmp/mapping.json" > /dev/null 2> "$tmp/err"
check "sql with an unknown dialect exits 2" test $? -eq 2
check "and says so" grep -q "unknown dialect 'mysql'" "$tmp/err"
echo '{"table": "records", "kind_column": "kind", "event_column": "event_at"}' > "$tmp/nocontract.json"
"$PIPCTL" sql --dialect sqlite --mapping "$tmp/nocontract.json" > /dev/null 2> "$tmp/err"
check "sql without the contract's column exits 2" test $? -eq 2
check "and names the field" grep -q "contract_ended_column: required" "$tmp/err"

"$PIPCTL" demo > "$tmp/demo.out"
check "demo exits 0" test $? -eq 0
check "demo shows a suspension" grep -q "SUSPENDED_BY_REQUEST" "$tmp/demo.out"

exit $fail
