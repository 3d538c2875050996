#!/usr/bin/env bash
# Installs the python component into a scratch prefix and uses pip_policy
# from there alone: the compiled module and the pure-Python package must land
# together, with the type stubs, the pip.v1 message classes (pip_policy.v1)
# and the default policy's text.
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
for f in __init__.py _engine.py errors.py types.py _pip_policy.pyi py.typed \
         v1/__init__.py v1/policy_pb2.py v1/decision_pb2.py v1/decision_pb2.pyi \
         policy/default.textproto; do
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
# The message classes come from the package, with no top-level "pip".
from pip_policy.v1 import decision_pb2
assert decision_pb2.__file__ == os.path.join(sys.argv[1], "v1", "decision_pb2.py")
assert "pip" not in sys.modules
req = decision_pb2.RetentionDueRequest(kind="inquiry")
req.event_at.FromJsonString("2023-05-10T14:00:00+09:00")
req.as_of.FromJsonString("2026-05-11T00:00:00+09:00")
d = decision_pb2.RetentionDueDecision.FromString(engine.retention_due_pb(req.SerializeToString()))
assert (d.due, d.retain_until) == (True, "2026-05-10"), d
print("ok   installed pip_policy", pip_policy.__version__)
PYEOF
