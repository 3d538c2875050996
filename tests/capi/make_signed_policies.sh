#!/usr/bin/env bash
# Makes the keys and signed policies of the C API's trust tests
# (src/capi/pip_test.c) with the openssl command line, at test time: no
# key is stored in the repository.
# Usage: make_signed_policies.sh SOURCE_DIR OUT_DIR
# OUT_DIR receives:
#   trusted.pem             two trusted Ed25519 public keys, concatenated
#   rev4/5/6.textproto      tests/testdata/minimal.textproto at revisions 4,
#                           5 and 6, each with a .sig by the first key
#   rev5b.textproto (.sig)  revision 5 with another version (other content)
#   rev7.textproto (.sig)   revision 7, signed by the second trusted key
#   stranger.sig            rev6.textproto signed by an untrusted key
#   audit.key               32 bytes, the decision log's key
set -euo pipefail
src="$(cd "$1" && pwd)"
out="$2"
rm -rf "$out"
mkdir -p "$out"
cd "$out"
openssl genpkey -algorithm ed25519 -out signer.pem 2> /dev/null
openssl genpkey -algorithm ed25519 -out second.pem 2> /dev/null
openssl genpkey -algorithm ed25519 -out stranger.pem 2> /dev/null
{
  openssl pkey -in signer.pem -pubout
  openssl pkey -in second.pem -pubout
} > trusted.pem
policy() {  # policy REVISION VERSION > FILE
  sed -e "s/^revision: 1\$/revision: $1/" -e "s/^version: \".*\"\$/version: \"$2\"/" \
    "$src/tests/testdata/minimal.textproto"
}
sign() {  # sign KEY FILE SIGNATURE
  openssl pkeyutl -sign -rawin -inkey "$1" -in "$2" -out "$3"
}
policy 4 2026-04-04 > rev4.textproto
policy 5 2026-05-05 > rev5.textproto
policy 5 2026-05-06 > rev5b.textproto
policy 6 2026-06-06 > rev6.textproto
policy 7 2026-07-07 > rev7.textproto
for name in rev4 rev5 rev5b rev6; do
  sign signer.pem "$name.textproto" "$name.textproto.sig"
done
sign second.pem rev7.textproto rev7.textproto.sig
sign stranger.pem rev6.textproto stranger.sig
head -c 32 /dev/urandom > audit.key
rm -f signer.pem second.pem stranger.pem
