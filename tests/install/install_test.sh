#!/usr/bin/env bash
# Installs the built tree into a temporary prefix, then builds and runs, as a
# user outside this tree would:
#   - tests/install/ (C++): find_package(pip) and pip::pip;
#   - examples/c_minimal (C): pkg-config pip, linked with libpip_c.so;
#   - examples/readme/c_quickstart.c (C): the same, found through its RUNPATH.
# Usage: install_test.sh BUILD_DIR SOURCE_DIR [CMAKE [CC]]
set -euo pipefail
build="$1"
source="$2"
cmake="${3:-cmake}"
cc="${4:-cc}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
prefix="$work/prefix"

"$cmake" --install "$build" --prefix "$prefix" >/dev/null

# C++: find_package(pip).
"$cmake" -S "$source/tests/install" -B "$work/consumer" -G Ninja \
  -DCMAKE_BUILD_TYPE=Release -DCMAKE_PREFIX_PATH="$prefix" >/dev/null
"$cmake" --build "$work/consumer" >/dev/null
"$work/consumer/consumer"

# C: pkg-config pip; only pip/pip.h and libpip_c.so.
export PKG_CONFIG_PATH="$prefix/lib/pkgconfig"
pkg-config --exists --print-errors pip
test "$(pkg-config --modversion pip)" = "$(sed -n 's/^#define PIP_VERSION_STRING "\(.*\)"$/\1/p' "$prefix/include/pip/version.h")"
"$cc" -std=c99 -pedantic -Wall -Wextra -Werror "$source/examples/c_minimal/main.c" \
  $(pkg-config --cflags --libs pip) -o "$work/c_minimal"
# Nothing of C++ is needed to link a C program against the C library.
LD_LIBRARY_PATH="$(pkg-config --variable=libdir pip)" "$work/c_minimal" > "$work/c_minimal.out"
cat "$work/c_minimal.out"
grep -q '"allowed":false' "$work/c_minimal.out"
grep -q '"retain_until":"2026-05-10"' "$work/c_minimal.out"
# The README's C example, told where libpip_c.so is by the RUNPATH recorded
# with -Wl,-rpath (README, "Installing and using the package"): it runs with
# no LD_LIBRARY_PATH and finds the installed library, not the build's.
libdir="$(pkg-config --variable=libdir pip)"
"$cc" -std=c99 -pedantic -Wall -Wextra -Werror "$source/examples/readme/c_quickstart.c" \
  $(pkg-config --cflags --libs pip) -Wl,-rpath,"$libdir" -o "$work/c_quickstart"
env -u LD_LIBRARY_PATH LD_DEBUG=libs "$work/c_quickstart" \
  > "$work/c_quickstart.out" 2> "$work/c_quickstart.libs"
cat "$work/c_quickstart.out"
# 7: an inquiry of 2023-05-10 is kept until 2026-05-10, due on the 11th.
grep -q '^{"due":true,"retain_until":"2026-05-10",' "$work/c_quickstart.out"
grep -q "calling init: $libdir/libpip_c.so.0\$" "$work/c_quickstart.libs" ||
  { echo "c_quickstart did not load $libdir/libpip_c.so.0" >&2; exit 1; }

# The package holds what docs/api-stability.md promises.
for f in include/pip/pip.h include/pip/engine.h include/pip/version.h \
         include/pip/v1/decision.pb.h include/pip/v1/decision.proto \
         include/pip/v1/policy.proto lib/libpip.a lib/libpip_proto.a \
         lib/cmake/pip/pipConfig.cmake lib/cmake/pip/pipConfigVersion.cmake; do
  test -e "$prefix/$f" || { echo "missing from the package: $f" >&2; exit 1; }
done
test -L "$prefix/lib/libpip_c.so.0" || { echo "missing: lib/libpip_c.so.0" >&2; exit 1; }
echo "install test passed"
