#!/usr/bin/env bash
# Installs the python component into a scratch prefix and uses pip_policy
# from there alone: the compiled module and the pure-Python package must land
# together, with the type stubs.
# Usage: install_test.sh CMAKE PYTHON BUILD_DIR INSTALL_DIR_RELATIVE_TO_PREFIX
set -euo pipefail
CMAKE="$1"
PY="$2"
BUILD="$3"
REL="$4"
prefix="$(mktemp -d)"
trap 'rm -rf "$prefix"' EXIT

"$CMAKE" --install "$BUILD" --component python --prefix "$prefix" > /dev/null
pkg="$prefix/$REL/pip_policy"
for f in __init__.py _engine.py errors.py _pip_policy.pyi py.typed; do
  test -f "$pkg/$f" || { echo "FAIL: $f not installed"; exit 1; }
done
ls "$pkg"/_pip_policy*.so > /dev/null

cd "$prefix"
env -u PYTHONPATH PYTHONPATH="$prefix/$REL" PYTHONDONTWRITEBYTECODE=1 "$PY" - "$pkg" <<'PYEOF'
import os
import sys

import pip_policy

# Imported from the prefix, not from a source or build tree.
assert os.path.dirname(pip_policy.__file__) == sys.argv[1], pip_policy.__file__
assert os.path.dirname(pip_policy._pip_policy.__file__) == sys.argv[1]
engine = pip_policy.Engine.default()
# clause 7: an inquiry of 2023-05-10 is kept until 2026-05-10.
d = engine.retention_due(kind="inquiry", event_at="2023-05-10T14:00:00+09:00",
                         as_of="2026-05-11T00:00:00+09:00")
assert (d["due"], d["retain_until"]) == (True, "2026-05-10"), d
try:
    engine.retention_due(kind="inquiries", as_of="2026-05-11T00:00:00+09:00")
except pip_policy.InvalidRequestError as e:
    assert "kind" in e.message
else:
    raise AssertionError("an unknown kind must raise")
print("ok   installed pip_policy", pip_policy.__version__)
PYEOF
