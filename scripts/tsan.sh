#!/usr/bin/env bash
# Builds the concurrency tests under ThreadSanitizer (preset tsan, in
# build-tsan/) and runs them: every test whose name holds "Concurren"
# (tests/concurrency_test.cc, EngineConcurrencyTest, AuditConcurrencyTest and
# the audit file's ConcurrentRecordsNeverInterleave, which share one audit
# key's HMAC states across threads). Any data race fails.
source "$(dirname "$0")/common.sh"
pip_install_missing
pip_build_sanitized tsan
