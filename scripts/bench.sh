#!/usr/bin/env bash
# Builds pip (Release) if needed, runs every benchmark of benchmarks/ and
# writes Google Benchmark's JSON, then prints the tables of
# docs/performance.md from it.
#
#   bash scripts/bench.sh                 # -> build/bench.json
#   bash scripts/bench.sh out.json --benchmark_filter=Handles
#
# Each benchmark is repeated (PIP_BENCH_REPETITIONS, default 5) and reported
# by its median. The repetitions of all benchmarks run interleaved in random
# order, so that a slow spell of the host falls on every benchmark alike
# rather than on whichever ran then: the ratios to the baseline, and of two
# threads to one, compare figures taken over the same stretch of time. Run
# it on a quiet machine: `uptime` first.
source "$(dirname "$0")/common.sh"
out="${1:-$PIP_BUILD/bench.json}"
shift || true
pip_build >/dev/null
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
"$PIP_BUILD/benchmarks/pip_bench" \
  --benchmark_repetitions="${PIP_BENCH_REPETITIONS:-5}" \
  --benchmark_report_aggregates_only=true \
  --benchmark_enable_random_interleaving=true \
  --benchmark_min_time="${PIP_BENCH_MIN_TIME:-0.2}" \
  --benchmark_out="$out" --benchmark_out_format=json "$@"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
echo "JSON: $out" >&2
python3 "$PIP_ROOT/scripts/bench_report.py" "$out"
