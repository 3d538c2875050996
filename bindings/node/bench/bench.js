// Per-call cost of pip from Node.js: a typical purpose_allowed and
// retention_due (the requests of benchmarks/bench_inputs.h), as objects in
// and out (JSON.stringify, the call, JSON.parse) and as serialized pip.v1
// bytes in and out, each after a warm-up, median of 5 timed runs; and, in
// the same run, the C API's figures for the same requests from
// benchmarks/pip_bench. Run by hand, not by ctest:
//
//   NODE_PATH=build/bindings/node node bindings/node/bench/bench.js \
//       --capi build/benchmarks/pip_bench
'use strict';

const { spawnSync } = require('node:child_process');
const { Engine } = require('pip-policy');
const pb = require('../test/pb_wire.js');

const RUNS = 5;
const RUN_SECONDS = 0.3;

const engine = new Engine();

// tests/testing/requests.cc: TypicalPurposeRequest, TypicalRetentionRequest.
const purpose = { subject_id: 'c-1', purpose: 'direct_mail', categories: ['name', 'email'],
  as_of: '2026-03-01T12:00:00+09:00' };
const purposeBytes = pb.message([1, 'c-1'], [2, 'direct_mail'], [3, 'name'], [3, 'email'],
  [8, pb.timestamp(purpose.as_of)]);
const retention = { kind: 'inquiry', event_at: '2023-05-10T14:00:00+09:00',
  as_of: '2026-05-11T00:00:00+09:00' };
const retentionBytes = pb.message([1, 'inquiry'], [2, pb.timestamp(retention.event_at)],
  [4, pb.timestamp(retention.as_of)]);

// The answers are what the policy says (4.2 allowed; 7 due), or the figures
// would time an error path.
if (!engine.purposeAllowed(purpose).allowed || !engine.retentionDue(retention).due) {
  throw new Error('unexpected decision: the benchmark would time the wrong path');
}

// Nanoseconds per call of `fn` in a loop of `n` calls: { cpu, wall }. CPU
// time is the process's (this loop is its only busy thread), as
// Google Benchmark's CPU time is the thread's.
function time(fn, n) {
  let sink = 0;
  const cpu0 = process.cpuUsage();
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; ++i) sink += fn() ? 1 : 0;
  const wall = Number(process.hrtime.bigint() - start);
  const cpu = process.cpuUsage(cpu0);
  if (sink !== n) throw new Error('a call returned nothing');
  return { cpu: ((cpu.user + cpu.system) * 1000) / n, wall: wall / n };
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function measure(fn) {
  time(fn, 20000);  // warm-up: the JIT, the caches, pip's per-thread state
  // As many calls as take about RUN_SECONDS.
  const n = Math.max(1000, Math.round((RUN_SECONDS * 1e9) / time(fn, 5000).wall));
  const runs = [];
  for (let r = 0; r < RUNS; ++r) runs.push(time(fn, n));
  return { cpu: median(runs.map((r) => r.cpu)), wall: median(runs.map((r) => r.wall)) };
}

const cases = [
  ['purposeAllowed(object) -> object', () => engine.purposeAllowed(purpose)],
  ['purposeAllowedPb(Buffer) -> Buffer', () => engine.purposeAllowedPb(purposeBytes)],
  ['retentionDue(object) -> object', () => engine.retentionDue(retention)],
  ['retentionDuePb(Buffer) -> Buffer', () => engine.retentionDuePb(retentionBytes)],
];

function format(ns) {
  return ns >= 1000 ? `${(ns / 1000).toFixed(2)} us` : `${ns.toFixed(0)} ns`;
}

const os = require('node:os');
console.log(`node ${process.version}, pip ${require('pip-policy').version}, ` +
  `${os.cpus().length} CPUs, load average ${os.loadavg().map((x) => x.toFixed(2)).join(', ')}; ` +
  `median of ${RUNS} runs of ~${RUN_SECONDS} s each`);
console.log('| call from Node.js | CPU time | wall time |');
console.log('| --- | ---: | ---: |');
for (const [name, fn] of cases) {
  const { cpu, wall } = measure(fn);
  console.log(`| \`${name}\` | ${format(cpu)} | ${format(wall)} |`);
}

const capi = process.argv.indexOf('--capi');
if (capi > 0) {
  const filter = '^BM_CApi(Pb|Json)_(PurposeAllowed|RetentionDue)_Typical(/real_time/threads:1)?$';
  const out = spawnSync(process.argv[capi + 1], [
    `--benchmark_filter=${filter}`, `--benchmark_min_time=${RUN_SECONDS}`,
    `--benchmark_repetitions=${RUNS}`, '--benchmark_report_aggregates_only=true',
    '--benchmark_format=json'], { encoding: 'utf8' });
  if (out.status !== 0) throw new Error(`pip_bench failed: ${out.stderr}`);
  console.log('\n| C API (benchmarks/pip_bench), median | CPU time | wall time |');
  console.log('| --- | ---: | ---: |');
  for (const b of JSON.parse(out.stdout).benchmarks) {
    if (b.aggregate_name !== 'median') continue;
    const scale = { ns: 1, us: 1e3, ms: 1e6 }[b.time_unit];
    console.log(`| \`${b.run_name}\` | ${format(b.cpu_time * scale)} | ${format(b.real_time * scale)} |`);
  }
}
