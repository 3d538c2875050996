#!/usr/bin/env python3
"""The Python snippets of bindings/python/README.md and README.md, run as
one program: each region between its START and END lines is a block of
those READMEs. It checks each answer against the default policy, so
`python3 quickstart.py` exits non-zero when an answer changes."""

# [START quickstart]
import datetime as dt

import pip_policy
from pip_policy.types import PurposeAllowedRequest

engine = pip_policy.Engine.default()          # the policy embedded in the library

request: PurposeAllowedRequest = {
    "subject_id": "c-1", "purpose": "direct_mail", "categories": ["name", "email"],
    "active_requests": [{"type": "suspension", "received_at": "2026-01-10T09:00:00+09:00"}],
    "as_of": dt.datetime.now(dt.timezone.utc),
}
d = engine.purpose_allowed(request)           # a PurposeAllowedDecision (a dict)
if not d["allowed"]:
    for r in d["reasons"]:
        print(r["clause"], r["message_en"])   # 8.1 A 'Suspension of use or erasure' request ...

due = engine.retention_due(kind="inquiry", event_at="2023-05-10T14:00:00+09:00",
                           as_of="2026-05-11T00:00:00+09:00")
print(due["due"], due["retain_until"], due["deletion_method"])
# True 2026-05-10 secure_erasure_and_shredding
# [END quickstart]

# 8.1: a suspension request in force blocks direct mail.
assert d["allowed"] is False and [r["clause"] for r in d["reasons"]] == ["8.1"], d
# 7: an inquiry record is kept three years, then erased.
assert (due["due"], due["retain_until"], due["deletion_method"]) == (
    True, "2026-05-10", "secure_erasure_and_shredding"), due

# [START request_validate]
import pip_policy

engine = pip_policy.Engine.default()   # or Engine.from_file("my.textproto", signature=..., trusted_keys=[...])
v = engine.request_validate(type="disclosure", channel="email", requester="agent",
                            received_at="2026-01-31T10:00:00+09:00",
                            documents=["identity_document", "request_form"],
                            fee_paid_jpy=300, as_of="2026-02-02T09:00:00+09:00")
print(v["missing"], v["respond_by"], v["next_step"], v["identity_verified"], v["fee_unpaid_jpy"])
# ['power_of_attorney'] 2026-03-02 COLLECT_DOCUMENTS False 0
print(v["policy"]["version"])                 # 2026-04-01
# [END request_validate]

# 8.3: an agent needs a power of attorney; 8.2: respond within 30 days.
assert (v["missing"], v["respond_by"], v["next_step"]) == (
    ["power_of_attorney"], "2026-03-02", "COLLECT_DOCUMENTS"), v
assert (v["identity_verified"], v["fee_unpaid_jpy"]) == (False, 0), v
assert v["policy"]["version"] == engine.policy_version

# [START batch]
from pip_policy.types import EvalRequest

batch: list[EvalRequest] = [
    {"retention_due": {"kind": "inquiry", "event_at": "2023-05-10T14:00:00+09:00",
                       "as_of": "2026-05-11T00:00:00+09:00"}},
    {"retention_due": {"kind": "inquiries", "as_of": "2026-05-11T00:00:00+09:00"}},
    {"consent_check": {"subject_id": "c-1", "categories": ["email"],
                       "purposes": ["direct_mail"], "as_of": "2026-03-01T12:00:00+09:00"}},
]
for answer in engine.evaluate_batch(batch):   # one answer per request, in order
    if "error" in answer:
        print("error:", answer["error"]["message"])   # the bad one; the rest go on
    elif "retention_due" in answer:
        print("retention_due:", answer["retention_due"]["due"])
    elif "consent_check" in answer:
        print("consent_check:", answer["consent_check"]["valid"])
# retention_due: True
# error: kind: unknown retention kind 'inquiries' (did you mean 'inquiry'?)
# consent_check: False
# [END batch]

answers = engine.evaluate_batch(batch)
# 7: due; an unknown kind is an error, not a decision; 2.4: no consent, not valid.
assert answers[0]["retention_due"]["due"] is True, answers[0]
assert answers[1]["error"]["code"] == "INVALID_ARGUMENT", answers[1]
assert "inquiries" in answers[1]["error"]["message"], answers[1]
assert answers[2]["consent_check"]["valid"] is False, answers[2]

# [START messages]
from pip_policy.v1 import decision_pb2

message = decision_pb2.RetentionDueRequest(kind="inquiry")
message.event_at.FromJsonString("2023-05-10T14:00:00+09:00")
message.as_of.FromJsonString("2026-05-11T00:00:00+09:00")
decision = decision_pb2.RetentionDueDecision.FromString(
    engine.retention_due_pb(message.SerializeToString()))
print(decision.due, decision.retain_until)    # True 2026-05-10
# [END messages]

# 7: the bytes API answers as the dict API does.
assert (decision.due, decision.retain_until) == (True, "2026-05-10"), decision

# [START policy_text]
text = pip_policy.default_policy_text()       # the embedded policy, to start one's own from
custom = pip_policy.Engine.from_text(text, "my_policy.textproto")
print(custom.policy_hash == engine.policy_hash)   # True
# [END policy_text]

assert custom.policy_hash == engine.policy_hash
print("quickstart: ok")
