#!/usr/bin/env bash
# Builds the concurrency tests under ThreadSanitizer (preset tsan, in
# build-tsan/) and runs them: every test whose name holds "Concurrency"
# (tests/concurrency_test.cc, EngineConcurrencyTest). Any data race fails.
source "$(dirname "$0")/common.sh"
pip_install_missing
pip_build_sanitized tsan
