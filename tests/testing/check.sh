# Shared by the shell tests; sourced, not run. Usage of a test:
#   TEST.sh PIPCTL SOURCE_DIR
# Sets PIPCTL, SRC, a temporary directory $tmp removed at exit, and
# check NAME CONDITION..., which prints ok/FAIL and sets $fail; a test ends
# with `exit $fail`.
set -uo pipefail
PIPCTL="$1"
SRC="$2"
fail=0
check() {  # check NAME CONDITION...
  local name="$1"; shift
  if "$@"; then echo "ok   $name"; else echo "FAIL $name"; fail=1; fi
}
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
