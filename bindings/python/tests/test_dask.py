"""examples/dask_retention.py on a distributed.LocalCluster of two worker
processes (127.0.0.1 only, no dashboard): the cluster's retention sweep
equals the answer of one process row by row (clause 7), and workers that
run another policy are caught by the policy hash every partition carries."""

import pathlib
import sys

import numpy as np
import pytest
from distributed import Client, LocalCluster

import pip_policy

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "examples"))
import dask_retention  # noqa: E402

AS_OF = "2026-04-01T00:00:00+09:00"
PARTITIONS, ROWS, SEED = 4, 5000, 3


@pytest.fixture(scope="module")
def client():
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None) as cluster, Client(cluster) as c:
        c.register_worker_plugin(dask_retention.PolicyPlugin(),
                                 name=dask_retention.PolicyPlugin.name)
        yield c


def test_cluster_sweep_equals_one_process_row_by_row_clause7(client):
    engine = pip_policy.Engine.default()
    frame = dask_retention.records(PARTITIONS, ROWS, SEED)
    answer = dask_retention.decide(frame, AS_OF, engine.policy_hash)
    local = dask_retention.sweep(
        engine, dask_retention.local_records(PARTITIONS, ROWS, SEED), AS_OF)
    assert len(answer) == PARTITIONS * ROWS
    assert np.array_equal(answer.index.to_numpy(), local.index.to_numpy())
    assert np.array_equal(answer["due"].to_numpy(), local["due"].to_numpy())
    assert answer["retain_until"].equals(local["retain_until"])
    # Both workers took part, and the records are a mix of due and kept.
    assert len(client.scheduler_info()["workers"]) == 2
    assert 0 < answer["due"].sum() < len(answer)


def use_policy(text):
    """Run on one worker: decide with the policy of `text` from now on."""
    from distributed import get_worker
    get_worker().plugins[dask_retention.PolicyPlugin.name].engine = (
        pip_policy.Engine.from_text(text))


def test_workers_on_another_policy_are_detected(client):
    # Every worker switched, so that the answer does not depend on which
    # worker the scheduler gives the partitions to.
    engine = pip_policy.Engine.default()
    other = pip_policy.default_policy_text().replace(
        'version: "2026-04-01"', 'version: "2026-04-02"', 1)
    assert pip_policy.Engine.from_text(other).policy_hash != engine.policy_hash
    client.run(use_policy, other)
    try:
        with pytest.raises(dask_retention.MixedPolicyError, match="decided by policies"):
            dask_retention.decide(dask_retention.records(PARTITIONS, ROWS, SEED), AS_OF,
                                  engine.policy_hash)
    finally:
        client.run(use_policy, pip_policy.default_policy_text())


def test_partitions_of_two_policies_are_refused():
    # What a cluster whose workers run different policies returns: partitions
    # stamped with two hashes, one of them the driver's.
    with pytest.raises(dask_retention.MixedPolicyError, match="decided by policies"):
        dask_retention.check_one_policy(["a" * 64, "b" * 64, "a" * 64], "a" * 64)
    dask_retention.check_one_policy(["a" * 64, "a" * 64], "a" * 64)
