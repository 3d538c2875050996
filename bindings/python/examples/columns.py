#!/usr/bin/env python3
"""The column snippet of bindings/python/README.md ("Columns (NumPy)"), run
as a program that checks each answer against the default policy (clause
7), so `python3 columns.py` exits non-zero when an answer changes. Needs
NumPy and pandas."""

# [START columns]
import numpy as np
import pandas as pd

import pip_policy

engine = pip_policy.Engine.default()
records = pd.DataFrame({
    "kind": pd.Categorical(["inquiry", "marketing", "contract_transaction"]),
    "event_at": pd.to_datetime(["2023-05-10 05:00", "2021-01-31 15:00", None]),  # UTC
    "held": [False, False, False],
})
swept = engine.retention_sweep(records["kind"], records["event_at"], records["held"],
                               as_of="2026-05-11T00:00:00+09:00", retain_until=True)
print(swept.due)           # [ True  True False]
print(swept.retain_until)  # ['2026-05-10' '2024-02-01'        'NaT']
print(swept.policy_hash == engine.policy_hash)   # True: the policy that decided every row
# [END columns]

# 7: an inquiry of 2023-05-10 14:00 JST is kept to 2026-05-10; a marketing
# record of 2021-02-01 00:00 JST to 2024-02-01; a contract that has not
# ended has no date yet.
assert swept.due.tolist() == [True, True, False], swept
assert swept.retain_until is not None
assert [str(d) for d in swept.retain_until] == ["2026-05-10", "2024-02-01", "NaT"], swept
for kind, at, due in zip(records["kind"], records["event_at"], swept.due):
    if not pd.isna(at):
        answer = engine.retention_due(kind=kind, event_at=at.tz_localize("UTC").isoformat(),
                                      as_of="2026-05-11T00:00:00+09:00")
        assert answer["due"] == bool(due), (kind, answer)
assert isinstance(swept.due, np.ndarray) and swept.due.dtype == np.bool_
print("columns: ok")
