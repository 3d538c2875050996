"""The retention sweep (clause 7) over a Dask DataFrame, on a cluster of
worker processes: how a company scales the sweep out over many machines.

Every worker loads the same policy once, when it joins (a WorkerPlugin;
with --signature and --trusted-key, the same signed policy, checked on each
machine), and decides its partitions with Engine.retention_sweep, which
reads each partition's columns in place. Every partition's answer carries
the hash of the policy that decided it, and the run fails when the hashes
differ (a machine that loaded another policy) or are not the hash the
driver expects.

    python3 dask_retention.py --workers 2 --rows 1000000
    python3 dask_retention.py --scheduler tcp://10.0.0.5:8786 \\
        --policy /etc/pip/policy.textproto \\
        --signature /etc/pip/policy.textproto.sig --trusted-key /etc/pip/trusted.pem

Without --scheduler a distributed.LocalCluster of --workers processes (one
thread each), listening on 127.0.0.1 only and without a dashboard, stands
in for the machines. The records are made inside the workers (a seeded
generator per partition), as a real sweep reads its partitions from
storage. --check compares every row with the answer of one process.

Needs python3-numpy, python3-pandas, python3-dask and python3-distributed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from typing import Any, Dict, List, Optional, Sequence

import dask
import dask.dataframe as dd
import numpy as np
import pandas as pd
from distributed import Client, LocalCluster, WorkerPlugin, get_worker, wait

import pip_policy

# The retention kinds of the records (those of policies/default.textproto).
KINDS = ["inquiry", "contract_transaction", "accounting", "marketing", "web_access",
         "training_seminar"]
# Kinds whose clock may not have started yet (a contract that has not ended).
PENDING = {"contract_transaction"}
AS_OF = "2026-04-01T00:00:00+09:00"


class MixedPolicyError(RuntimeError):
    """Partitions were decided by different policies, or by another policy
    than the driver expects."""


class PolicyPlugin(WorkerPlugin):
    """Loads the policy once per worker process, when the worker joins.
    Carries only paths (each machine reads its own copy of the policy and
    checks its signature), never an Engine."""

    name = "pip-policy"

    def __init__(self, policy: Optional[str] = None, signature: Optional[str] = None,
                 trusted_key: Optional[str] = None) -> None:
        self.policy = policy
        self.signature = signature
        self.trusted_key = trusted_key
        self.engine: Optional[pip_policy.Engine] = None

    def setup(self, worker: Any) -> None:
        self.engine = load_engine(self.policy, self.signature, self.trusted_key)


def load_engine(policy: Optional[str], signature: Optional[str],
                trusted_key: Optional[str]) -> pip_policy.Engine:
    """The embedded default policy, a policy file, or a signed policy file
    checked against a trusted key."""
    if policy is None:
        return pip_policy.Engine.default()
    if signature is None:
        return pip_policy.Engine.from_file(policy)
    if trusted_key is None:
        raise SystemExit("--signature needs --trusted-key")
    with open(trusted_key, "rb") as f:
        key = f.read()
    return pip_policy.Engine.from_file(policy, signature=signature, trusted_keys=[key])


def worker_engine() -> pip_policy.Engine:
    plugin = get_worker().plugins[PolicyPlugin.name]
    assert plugin.engine is not None
    return plugin.engine


def make_partition(index: int, rows: int, seed: int) -> pd.DataFrame:
    """Partition `index`: `rows` records of every kind, events spread over
    2012-2026 (UTC, nanoseconds, as pandas keeps them), some without an
    event yet, some held. The same (index, rows, seed) gives the same
    records on any machine."""
    rng = np.random.default_rng([seed, index])
    kinds = rng.integers(0, len(KINDS), rows, dtype=np.int8)
    lo = np.datetime64("2012-01-01T00:00:00", "s").astype(np.int64)
    hi = np.datetime64("2026-06-01T00:00:00", "s").astype(np.int64)
    events = (rng.integers(lo, hi, rows, dtype=np.int64) * 1_000_000_000).view("datetime64[ns]")
    pending = np.isin(kinds, [KINDS.index(k) for k in PENDING]) & (rng.random(rows) < 0.1)
    events[pending] = np.datetime64("NaT")
    held = rng.random(rows) < 0.02
    return pd.DataFrame({
        "kind": pd.Categorical.from_codes(kinds, categories=KINDS),
        "event_at": events,
        "held": held,
    }, index=pd.RangeIndex(index * rows, (index + 1) * rows))


def sweep(engine: pip_policy.Engine, frame: pd.DataFrame, as_of: str,
          retain_until: bool = True) -> pd.DataFrame:
    """One partition decided: due, retain_until (the last day kept, Tokyo
    calendar) and the deciding policy's hash, row by row."""
    result = engine.retention_sweep(frame["kind"], frame["event_at"], frame["held"],
                                    as_of=as_of, retain_until=retain_until)
    columns: Dict[str, Any] = {"due": result.due}
    if result.retain_until is not None:
        # pandas keeps datetime64[ns]; NumPy's conversion is the fast one.
        columns["retain_until"] = result.retain_until.astype("datetime64[ns]")
    columns["policy_hash"] = pd.Categorical.from_codes(
        np.zeros(len(frame), dtype=np.int8), categories=[result.policy_hash])
    return pd.DataFrame(columns, index=frame.index)


def sweep_on_worker(frame: pd.DataFrame, as_of: str, retain_until: bool) -> pd.DataFrame:
    return sweep(worker_engine(), frame, as_of, retain_until)


def summary_on_worker(frame: pd.DataFrame, as_of: str, retain_until: bool) -> pd.DataFrame:
    """One row per partition: records, records due, the last retain-until
    day of them (NaT: none), the policy's hash. Only this row leaves the
    worker."""
    result = worker_engine().retention_sweep(frame["kind"], frame["event_at"], frame["held"],
                                             as_of=as_of, retain_until=retain_until)
    last = np.datetime64("NaT", "ns")
    if result.retain_until is not None and len(frame):
        # As int64, NaT is the smallest value: the maximum skips it.
        last = result.retain_until.view(np.int64).max().view("datetime64[D]").astype(
            "datetime64[ns]")
    return pd.DataFrame({"records": [len(frame)], "due": [int(result.due.sum())],
                         "last_retain_until": [last], "policy_hash": [result.policy_hash]})


SUMMARY_META = {"records": "i8", "due": "i8", "last_retain_until": "datetime64[ns]",
                "policy_hash": "object"}


def records(partitions: int, rows: int, seed: int) -> dd.DataFrame:
    """The records as a Dask DataFrame whose partitions are made where
    they are computed."""
    meta = make_partition(0, 0, seed)
    return dd.from_map(make_partition, range(partitions), rows=rows, seed=seed, meta=meta,
                       divisions=[i * rows for i in range(partitions)] + [partitions * rows - 1])


def local_records(partitions: int, rows: int, seed: int) -> pd.DataFrame:
    """The same records in one pandas DataFrame, made in this process."""
    return pd.concat([make_partition(i, rows, seed) for i in range(partitions)])


def decide(frame: dd.DataFrame, as_of: str, expected_hash: str) -> pd.DataFrame:
    """Every record of `frame` decided on the workers, row by row; raises
    MixedPolicyError unless the policy of `expected_hash` decided them all."""
    meta = sweep(pip_policy.Engine.default(), make_partition(0, 0, 0), as_of)
    answer = frame.map_partitions(sweep_on_worker, as_of, True, meta=meta).compute()
    check_one_policy(answer["policy_hash"].astype(str).unique().tolist(), expected_hash)
    return answer


def check_one_policy(hashes: Sequence[str], expected: str) -> None:
    """Raises MixedPolicyError unless every partition was decided by the
    policy of hash `expected`."""
    seen = sorted(set(hashes))
    if seen != [expected]:
        raise MixedPolicyError(
            f"partitions were decided by policies {seen}; expected only {expected}")


def start(workers: int, scheduler: Optional[str], malloc_trim: bool = False) -> Client:
    """A client of the scheduler at `scheduler`, or of a LocalCluster of
    `workers` processes.

    Dask's nanny starts each worker with MALLOC_TRIM_THRESHOLD_=65536
    (distributed.nanny.pre-spawn-environ), to hand freed memory back to the
    system. Setting it also stops glibc from raising its mmap threshold, so
    every array of more than 128 KiB, each answer of a sweep among them, is
    mapped afresh and its pages faulted in one by one: on a virtual machine
    that costs more than the sweep itself. The local cluster is started
    without it unless `malloc_trim`; for workers of your own, set the same
    configuration where they start."""
    if scheduler:
        return Client(scheduler)
    environ = dict(dask.config.get("distributed.nanny.pre-spawn-environ", {}))
    if not malloc_trim:
        environ.pop("MALLOC_TRIM_THRESHOLD_", None)
    with dask.config.set({"distributed.nanny.pre-spawn-environ": environ}):
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                               host="127.0.0.1", dashboard_address=None)
    return Client(cluster)


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=2,
                        help="worker processes of the local cluster (default 2)")
    parser.add_argument("--scheduler", help="address of a running Dask scheduler")
    parser.add_argument("--rows", type=int, default=1_000_000, help="records in all")
    parser.add_argument("--partitions", type=int, default=8)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--as-of", default=AS_OF)
    parser.add_argument("--policy", help="policy file (default: the embedded policy)")
    parser.add_argument("--signature", help="the policy's signature file")
    parser.add_argument("--trusted-key", help="the key the signature must verify with")
    parser.add_argument("--malloc-trim", action="store_true",
                        help="keep Dask's MALLOC_TRIM_THRESHOLD_ in the local workers (see start())")
    parser.add_argument("--check", action="store_true",
                        help="compare every row with the answer of one process")
    args = parser.parse_args(argv)
    rows = -(-args.rows // args.partitions)

    engine = load_engine(args.policy, args.signature, args.trusted_key)
    with start(args.workers, args.scheduler, args.malloc_trim) as client:
        client.register_worker_plugin(
            PolicyPlugin(args.policy, args.signature, args.trusted_key), name=PolicyPlugin.name)
        frame = records(args.partitions, rows, args.seed).persist()
        wait(frame)
        began = time.perf_counter()
        summary = frame.map_partitions(summary_on_worker, args.as_of, True,
                                       meta=SUMMARY_META).compute()
        seconds = time.perf_counter() - began
        check_one_policy(summary["policy_hash"].tolist(), engine.policy_hash)
        total, due = int(summary["records"].sum()), int(summary["due"].sum())
        print(f"{total} records, {due} due at {args.as_of}, decided by policy "
              f"{engine.policy_version} ({engine.policy_hash[:12]}) on "
              f"{len(client.scheduler_info()['workers'])} workers in {seconds:.3f} s")
        if args.check:
            answer = decide(frame, args.as_of, engine.policy_hash)
            local = sweep(engine, local_records(args.partitions, rows, args.seed), args.as_of)
            if not (answer["due"].equals(local["due"]) and
                    answer["retain_until"].equals(local["retain_until"])):
                print("FAIL: the cluster's answer differs from one process's", file=sys.stderr)
                return 1
            print(f"ok   {len(answer)} rows equal the answer of one process")
    return 0


if __name__ == "__main__":
    sys.exit(main())
