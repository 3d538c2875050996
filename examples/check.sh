# Sourced by the examples' tests: one line per check, "ok" or "FAIL", and
# $fail set to 1 once any check fails.
fail=0
check() {  # check NAME COMMAND...
  local name="$1"; shift
  if "$@"; then echo "ok   $name"; else echo "FAIL $name"; fail=1; fi
}
has() { grep -qE -e "$2" "$1"; }      # has FILE REGEX
lacks() { ! grep -qE -e "$2" "$1"; }  # lacks FILE REGEX
