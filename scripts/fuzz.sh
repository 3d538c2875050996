#!/usr/bin/env bash
# Bounded fuzzing of pip: builds the libFuzzer targets of tests/fuzz with
# clang (AddressSanitizer + UndefinedBehaviorSanitizer, coverage on the whole
# library) in build-fuzz, runs each for FUZZ_SECONDS (default 60) from its
# seed corpus, then replays the seeds and everything found. New inputs are
# kept in build-fuzz/corpus/<target>; a crash or a violated property leaves
# its input in build-fuzz/artifacts/<target>/ and makes the script fail.
#
#   scripts/fuzz.sh                      # every target, 60 s each
#   FUZZ_SECONDS=10 scripts/fuzz.sh json_request pb_request
source "$(dirname "$0")/common.sh"
PIP_PACKAGES+=(clang-14 libclang-rt-14-dev)
pip_install_missing

FUZZ_BUILD="${PIP_FUZZ_BUILD:-$PIP_ROOT/build-fuzz}"
FUZZ_SECONDS="${FUZZ_SECONDS:-60}"
targets=("$@")
((${#targets[@]})) || targets=(policy_text policy_binary json_request pb_request serialized_request
  eval_line)

flags="-fsanitize=address,undefined,fuzzer-no-link -fno-sanitize-recover=all -fno-omit-frame-pointer -g"
cmake -S "$PIP_ROOT" -B "$FUZZ_BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_C_COMPILER=clang-14 -DCMAKE_CXX_COMPILER=clang++-14 \
  -DCMAKE_C_FLAGS="$flags" -DCMAKE_CXX_FLAGS="$flags" \
  -DPIP_BUILD_FUZZERS=ON -DPIP_BUILD_TESTS=OFF -DPIP_BUILD_EXAMPLES=OFF \
  -DPIP_BUILD_PYTHON=OFF -DPIP_BUILD_BENCHMARKS=OFF >/dev/null
cmake --build "$FUZZ_BUILD" -j "$(nproc)" --target "${targets[@]/%/_fuzzer}"

export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
status=0
summary=()
for t in "${targets[@]}"; do
  fuzzer="$FUZZ_BUILD/tests/fuzz/${t}_fuzzer"
  seeds="$PIP_ROOT/tests/fuzz/corpus/$t"
  found="$FUZZ_BUILD/corpus/$t"
  artifacts="$FUZZ_BUILD/artifacts/$t/"
  log="$FUZZ_BUILD/fuzz-$t.log"
  mkdir -p "$found" "$artifacts"
  echo "== $t: fuzzing for ${FUZZ_SECONDS}s (log: $log)"
  if ! "$fuzzer" -max_total_time="$FUZZ_SECONDS" -print_final_stats=1 \
       -timeout=25 -rss_limit_mb=4096 -max_len=65536 \
       -artifact_prefix="$artifacts" "$found" "$seeds" > "$log" 2>&1; then
    status=1
    tail -40 "$log"
  fi
  if ! "$fuzzer" -runs=0 "$seeds" "$found" >> "$log" 2>&1; then
    status=1
    echo "$t: replaying the corpus failed (see $log)"
  fi
  runs=$(grep -m1 '^stat::number_of_executed_units' "$log" | awk '{print $2}')
  cov=$(grep -E '^#[0-9]+.*(DONE|pulse|NEW|REDUCE).*cov: ' "$log" | tail -1 |
        sed -E 's/.*cov: ([0-9]+) ft: ([0-9]+).*/\1 edges, \2 features/')
  summary+=("$t: ${runs:-?} executions, coverage ${cov:-?}, corpus $(ls "$found" | wc -l) found + $(ls "$seeds" | wc -l) seeds, crashes $(ls "$artifacts" | wc -l)")
done
echo
printf '%s\n' "${summary[@]}"
exit $status
