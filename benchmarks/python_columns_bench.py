"""The retention sweep (clause 7) from C++, from Python over NumPy columns,
and over a Dask DataFrame on 1 and 2 worker processes, measured in one run
(docs/performance.md, "Columns from Python and Dask").

    python3 benchmarks/python_columns_bench.py --build build [--runs 7]
        [--records 1000000] [--dask-records 20000000] [--dask-partitions 40]

- C++: pip_bench's BM_Handles_RetentionSweep/1000000/{0,1} (without and
  with retain_until), the median of --runs repetitions.
- Python: Engine.retention_sweep over the same kind of records (six kinds,
  events spread over ten years from 2016, 5% held) with int8 codes,
  int64 seconds or datetime64[ns] events and bool holds, with and without
  retain_until; the median of --runs calls after one warm-up call.
- Dask: examples/dask_retention.py's sweep on a LocalCluster of 1, then 2
  worker processes with one thread each, started by its start() (without
  Dask's MALLOC_TRIM_THRESHOLD_ unless --malloc-trim). The records are made inside the
  workers and persisted before the clock starts; what is timed is the
  sweep of every partition and the one-row summary each sends back; the
  median of --runs runs after one warm-up run.

Needs the Release build of pip_bench and _pip_policy in --build and
python3-numpy, -pandas, -dask and -distributed. Not a test: nothing is
asserted; the figures and the machine's load average are printed.
"""

from __future__ import annotations

import argparse
import json
import os
import pathlib
import statistics
import subprocess
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
AS_OF = "2026-04-01T00:00:00+09:00"
KINDS = ["inquiry", "contract_transaction", "accounting", "marketing", "web_access",
         "training_seminar"]


def cxx(build: pathlib.Path, runs: int) -> dict[str, tuple[float, float]]:
    out = subprocess.run(
        [str(build / "benchmarks" / "pip_bench"),
         "--benchmark_filter=^BM_Handles_RetentionSweep/1000000/[01]$",
         f"--benchmark_repetitions={runs}", "--benchmark_format=json"],
        check=True, capture_output=True, text=True).stdout
    medians = {}
    for b in json.loads(out)["benchmarks"]:
        if b.get("aggregate_name") == "median":
            medians[b["run_name"]] = (b["real_time"] / 1e6, b["cpu_time"] / 1e6)  # ms
    return medians


def median_ms(fn, runs: int) -> tuple[float, float]:
    """Median wall and CPU (this process) milliseconds of `runs` calls."""
    fn()
    walls, cpus = [], []
    for _ in range(runs):
        began, cpu = time.perf_counter(), time.process_time()
        fn()
        walls.append(time.perf_counter() - began)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls) * 1e3, statistics.median(cpus) * 1e3


def python_columns(records: int, runs: int) -> dict[str, tuple[float, float]]:
    import numpy as np

    import pip_policy
    engine = pip_policy.Engine.default()
    rng = np.random.default_rng(1)
    kinds = rng.integers(0, len(KINDS), records, dtype=np.int8)
    start = int(np.datetime64("2015-12-31T15:00:00", "s").astype(np.int64))  # 2016-01-01 JST
    seconds = start + rng.integers(0, 10 * 365 * 86400, records, dtype=np.int64)
    nanos = seconds.astype("datetime64[s]").astype("datetime64[ns]")
    held = rng.random(records) < 0.05
    figures = {}
    for name, events in (("int64 s", seconds), ("datetime64[ns]", nanos)):
        for until in (False, True):
            figures[f"{name}, retain_until={until}"] = median_ms(
                lambda: engine.retention_sweep(kinds, events, held, kind_ids=KINDS,
                                               as_of=AS_OF, retain_until=until), runs)
    return figures


def timed_summary(frame, as_of, retain_until):
    """dask_retention.summary_on_worker, with the CPU time the worker spent."""
    import dask_retention
    cpu = time.thread_time()
    summary = dask_retention.summary_on_worker(frame, as_of, retain_until)
    summary["cpu_s"] = time.thread_time() - cpu
    return summary


def dask_runs(records: int, partitions: int, runs: int,
              malloc_trim: bool) -> dict[int, tuple[float, float]]:
    sys.path.insert(0, str(ROOT / "bindings" / "python" / "examples"))
    import dask_retention
    from distributed import wait

    rows = -(-records // partitions)
    figures = {}
    for workers in (1, 2):
        with dask_retention.start(workers, None, malloc_trim) as client:
            client.register_worker_plugin(dask_retention.PolicyPlugin(),
                                          name=dask_retention.PolicyPlugin.name)
            frame = dask_retention.records(partitions, rows, 1).persist()
            wait(frame)
            meta = {**dask_retention.SUMMARY_META, "cpu_s": "f8"}
            cpu_s = []

            count = iter(range(1 << 30))

            def run():
                # A new key each run, so that no answer of a run before is reused.
                summary = frame.map_partitions(timed_summary, AS_OF, True, meta=meta,
                                               token=f"sweep-{next(count)}").compute()
                assert int(summary["records"].sum()) == rows * partitions
                cpu_s.append(float(summary["cpu_s"].sum()))
            run()  # warm-up
            times = []
            for _ in range(runs):
                began = time.perf_counter()
                run()
                times.append((time.perf_counter() - began) * 1e3)
            print(f"  {workers} worker(s), each run (ms): {[round(t) for t in times]}")
            figures[workers] = (statistics.median(times), statistics.median(cpu_s[1:]) * 1e3)
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--build", default=str(ROOT / "build"), type=pathlib.Path)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--dask-records", type=int, default=20_000_000)
    parser.add_argument("--dask-partitions", type=int, default=40)
    parser.add_argument("--malloc-trim", action="store_true",
                        help="keep Dask's MALLOC_TRIM_THRESHOLD_ in the workers "
                             "(dask_retention.start)")
    args = parser.parse_args()
    build = args.build.resolve()
    path = [str(build / "bindings" / "python"), str(ROOT / "bindings" / "python")]
    sys.path[:0] = path
    os.environ["PYTHONPATH"] = os.pathsep.join(path + [os.environ.get("PYTHONPATH", "")])

    print(f"load average before: {os.getloadavg()}, {os.cpu_count()} CPUs")
    c = cxx(build, args.runs)
    print("C++ Snapshot::RetentionSweep, 1,000,000 records (median ms, wall / CPU):")
    for name, (wall, cpu) in c.items():
        print(f"  {name:45s} {wall:8.2f} {cpu:8.2f}")
    p = python_columns(args.records, args.runs)
    print(f"Python Engine.retention_sweep, {args.records:,} records "
          f"(median ms, wall / CPU, and CPU against C++'s CPU):")
    for name, (wall, cpu) in p.items():
        base = c.get(f"BM_Handles_RetentionSweep/1000000/{int(name.endswith('True'))}")
        ratio = f"  {cpu / base[1]:4.2f}x C++" if base and args.records == 1_000_000 else ""
        print(f"  {name:45s} {wall:8.2f} {cpu:8.2f}{ratio}")
    d = dask_runs(args.dask_records, args.dask_partitions, args.runs, args.malloc_trim)
    print(f"Dask, {args.dask_records:,} records in {args.dask_partitions} partitions, "
          f"retain_until=True, MALLOC_TRIM_THRESHOLD_ {'kept' if args.malloc_trim else 'unset'} "
          f"(median ms: wall, then the CPU the workers spent in the sweeps):")
    for workers, (wall, cpu) in d.items():
        print(f"  {workers} worker(s) {wall:10.1f} {cpu:10.1f}  wall {d[1][0] / wall:4.2f}x "
              f"one worker's")
    print(f"load average after: {os.getloadavg()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
