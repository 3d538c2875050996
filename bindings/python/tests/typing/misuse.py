"""Mistakes a type checker must catch with pip_policy's types: mypy must
report each line whose comment starts with "error:", with the rest of that
comment in its message, and no other line (tests/test_typing.py). Never
run."""

import pip_policy
from pip_policy.types import ConsentCheckRequest, EvalRequest, RetentionDueRequest

engine = pip_policy.Engine.default()

# A misspelt request field (docs/json.md: unknown fields are errors).
bad: RetentionDueRequest = {"kind": "inquiry", "as_off": "2026-05-11T00:00:00+09:00"}  # error: "as_off"
d = engine.retention_due({"knd": "inquiry"})  # error: incompatible type "Dict[str, str]"
# A decision field that does not exist, and one of the wrong type.
d["retain_untill"]  # error: "retain_untill"
due: str = d["due"]  # error: incompatible types in assignment
# A list where a time is expected; a number where a list is.
c: ConsentCheckRequest = {"subject_id": "c-1", "as_of": ["2026-03-01"]}  # error: "as_of"
c2: ConsentCheckRequest = {"subject_id": "c-1", "categories": 3}  # error: "categories"
# A function that does not exist; the bytes API does not take a dict.
e: EvalRequest = {"retention_dues": {}}  # error: "retention_dues"
engine.retention_due_pb({"kind": "inquiry"})  # error: "retention_due_pb"
# A batch answer is an EvalResponse, not a decision.
for answer in engine.evaluate_batch([e]):
    answer["due"]  # error: "due"
# A reason's code is one of pip.v1.ReasonCode's names.
for reason in engine.consent_check(c)["reasons"]:
    if reason["code"] == "WITHDRAWN":
        pass
    if reason["code"] == 3:  # error: non-overlapping equality check
        pass
# Columns: retain_until is a flag; the answer is a RetentionSweep, whose due
# is a bool array, not a list.
import numpy as np  # noqa: E402

codes, seconds = np.zeros(1, np.int8), np.zeros(1, np.int64)
swept = engine.retention_sweep(codes, seconds, kind_ids=["inquiry"], as_of=0,
                               retain_until="yes")  # error: incompatible type "str"
swept.retain_untill  # error: "retain_untill"
due_list: list[bool] = swept.due  # error: incompatible types in assignment
many = engine.purpose_allowed_many("billing", ["name"], as_of=0, granted_at=seconds)  # error: "consent_version"
