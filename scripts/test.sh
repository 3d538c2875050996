#!/usr/bin/env bash
# Installs what is missing, builds pip, and runs every test; then builds it
# again with AddressSanitizer + UndefinedBehaviorSanitizer (CMakePresets.json,
# preset asan, in build-asan/) and runs every test there too.
source "$(dirname "$0")/common.sh"
pip_install_missing
pip_build
ctest --test-dir "$PIP_BUILD" --output-on-failure -j "$(nproc)"

# The same tests under ASan + UBSan: a memory error, leak or undefined
# behaviour fails the run.
pip_build_sanitized asan
