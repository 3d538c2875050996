#!/usr/bin/env bash
# Builds the pip_policy wheel as a Python user would (python3 -m build
# --no-isolation --wheel; no download), installs it with pip into a fresh
# virtual environment, and runs the examples from there, away from the
# source and build trees: the README's program (bindings/python/examples/
# quickstart.py, also checked by mypy against the installed package's types)
# and examples/request_desk with its test.
# Usage: wheel_test.sh PYTHON SOURCE_DIR WORK_DIR
# WORK_DIR keeps the wheel's CMake build tree, so a second run only relinks;
# set CMAKE_CXX_COMPILER_LAUNCHER=ccache to share compiled objects.
set -euo pipefail
PY="$1"
SRC="$2"
WORK="$3"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
unset PYTHONPATH
export PYTHONDONTWRITEBYTECODE=1
# setuptools' build/ and egg-info/ go to the scratch directory, not the sources.
export PIP_PYTHON_BUILD_BASE="$tmp/setuptools"
export PIP_CMAKE_BUILD_DIR="$WORK/cmake"
# The library and module compile without optimization here, each layer as
# one file (PIP_UNITY_BUILD), in a fraction of the time: what is tested is
# the build from source, the packaging and the installed package, not its
# speed (the module of the build tree, optimized, is what the other Python
# tests run).
export PIP_CMAKE_ARGS="${PIP_CMAKE_ARGS:--DCMAKE_CXX_FLAGS_RELEASE=-O0 -DCMAKE_C_FLAGS_RELEASE=-O0 -DPIP_UNITY_BUILD=ON}"

if ! "$PY" -m build --no-isolation --wheel --outdir "$tmp/dist" "$SRC/bindings/python" \
    > "$tmp/build.log" 2>&1; then
  cat "$tmp/build.log"
  echo "FAIL: python3 -m build --no-isolation --wheel"
  exit 1
fi
wheel="$(ls "$tmp"/dist/*.whl)"
echo "ok   built $(basename "$wheel")"

# What the wheel holds: the compiled module, the Python package, the stubs
# and py.typed, the message classes and the default policy, the metadata.
"$PY" - "$wheel" "$SRC" <<'PYEOF'
import email.parser
import re
import sys
import zipfile

wheel, src = sys.argv[1], sys.argv[2]
names = zipfile.ZipFile(wheel).namelist()
for want in ["pip_policy/__init__.py", "pip_policy/_engine.py", "pip_policy/errors.py",
             "pip_policy/types.py", "pip_policy/_pip_policy.pyi", "pip_policy/py.typed",
             "pip_policy/v1/__init__.py", "pip_policy/v1/policy_pb2.py",
             "pip_policy/v1/decision_pb2.py", "pip_policy/v1/decision_pb2.pyi",
             "pip_policy/policy/default.textproto"]:
    assert want in names, f"{want} is not in the wheel"
assert [n for n in names if re.fullmatch(r"pip_policy/_pip_policy\..*\.so", n)], names
# No top-level package but pip_policy (no `pip`, the installer's name).
tops = {n.split("/")[0] for n in names if not n.split("/")[0].endswith(".dist-info")}
assert tops == {"pip_policy"}, tops
meta = [n for n in names if n.endswith(".dist-info/METADATA")]
info = email.parser.Parser().parsestr(zipfile.ZipFile(wheel).read(meta[0]).decode())
version = re.search(r"project\(\s*pip\s+VERSION\s+([0-9.]+)",
                    open(f"{src}/CMakeLists.txt", encoding="utf-8").read()).group(1)
assert info["Name"] == "pip-policy", info["Name"]
assert info["Version"] == version, (info["Version"], version)
assert info["License"] == "Apache-2.0", info["License"]
licence = [n for n in names if n.endswith(".dist-info/LICENSE")]
assert licence and zipfile.ZipFile(wheel).read(licence[0]) == open(f"{src}/LICENSE", "rb").read()
policy = zipfile.ZipFile(wheel).read("pip_policy/policy/default.textproto")
assert policy == open(f"{src}/policies/default.textproto", "rb").read()
print("ok   wheel contents and metadata", info["Name"], info["Version"])
PYEOF

# A fresh environment; Debian's python3-protobuf (for pip_policy.v1) comes
# through the system site-packages, pip_policy only from the wheel.
"$PY" -m venv --system-site-packages "$tmp/venv"
vpy="$tmp/venv/bin/python"
"$vpy" -m pip install --quiet --no-index --no-deps --disable-pip-version-check "$wheel"
echo "ok   pip install $(basename "$wheel")"

# The examples run from copies, in the scratch directory.
mkdir -p "$tmp/run/examples"
cp "$SRC/bindings/python/examples/quickstart.py" "$tmp/run/"
cp -r "$SRC/examples/request_desk" "$SRC/examples/check.sh" "$tmp/run/examples/"
cd "$tmp/run"
"$vpy" - "$tmp/venv" <<'PYEOF'
import os
import sys

import pip_policy

venv = os.path.realpath(sys.argv[1])
for module in (pip_policy, pip_policy._pip_policy):
    assert os.path.realpath(module.__file__).startswith(venv + os.sep), module.__file__
print("ok   pip_policy", pip_policy.__version__, "imported from the virtual environment")
PYEOF
"$vpy" quickstart.py
bash examples/request_desk/request_desk_test.sh "$vpy" "$tmp/run/examples/request_desk" > "$tmp/desk.log" 2>&1 || {
  cat "$tmp/desk.log"; echo "FAIL: request_desk from the wheel"; exit 1; }
echo "ok   request_desk from the wheel"

# The installed package's types (py.typed, PEP 561) as a user's mypy sees them.
if command -v mypy > /dev/null; then
  mypy --strict --python-executable "$vpy" --cache-dir "$tmp/mypy" --no-error-summary \
    quickstart.py
  echo "ok   mypy --strict quickstart.py against the installed wheel"
fi
