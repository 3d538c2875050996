#!/usr/bin/env bash
# Runs signed_engine.py in a folder holding the embedded policy signed by a
# fresh Ed25519 key (no key is stored in the repository), then checks that
# the engine decided (clause 7), that the decision went to the decision log
# (5.4) and, with pipctl, that the log verifies; and that the same policy
# with one byte changed is refused as untrusted.
# Usage: signed_engine_test.sh PYTHON EXAMPLE_DIR SOURCE_DIR [PIPCTL]
# (PYTHONPATH finds pip_policy)
set -uo pipefail
PY="$1"
DIR="$2"
SRC="$3"
PIPCTL="${4:-}"
source "$DIR/../check.sh"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
openssl genpkey -algorithm ed25519 -out signer.pem 2> /dev/null
openssl pkey -in signer.pem -pubout -out trusted.pem
cp "$SRC/policies/default.textproto" policy.textproto
openssl pkeyutl -sign -rawin -inkey signer.pem -in policy.textproto -out policy.textproto.sig
head -c 32 /dev/urandom > audit.key

"$PY" "$DIR/signed_engine.py" > out 2> err
check "signed: exit 0" test $? -eq 0
cat out err
check "signed: inquiry due after 3 years (7)" has out '^retention_due True 2026-05-10$'
check "signed: one decision logged (5.4)" \
  test "$(grep -c '"function":"retention_due"' decisions.jsonl)" -eq 1
if [ -n "$PIPCTL" ]; then
  check "signed: the log verifies" \
    "$PIPCTL" audit-verify --audit-key-file audit.key decisions.jsonl
fi

# A policy changed after signing is refused, and nothing is decided.
echo '# changed' >> policy.textproto
"$PY" "$DIR/signed_engine.py" > out 2> err
check "tampered: exit non-zero" test $? -ne 0
check "tampered: UntrustedPolicyError" has err 'UntrustedPolicyError'
check "tampered: no decision" lacks out 'retention_due'
exit "$fail"
