"""The Python examples of README.md and bindings/python/README.md: a
data-subject request checked against clause 8, and a purpose checked against
a suspension request (8.1) and a record against its retention period (7).

Run with PYTHONPATH=build/bindings/python:bindings/python. Each value the
examples show in a comment is asserted below them.
"""
# [START binding]
import datetime as dt
import pip_policy

engine = pip_policy.Engine.default()          # the policy embedded in the library

d = engine.purpose_allowed({
    "subject_id": "c-1", "purpose": "direct_mail", "categories": ["name", "email"],
    "active_requests": [{"type": "suspension", "received_at": "2026-01-10T09:00:00+09:00"}],
    "as_of": dt.datetime.now(dt.timezone.utc),
})
if not d["allowed"]:
    for r in d["reasons"]:
        print(r["clause"], r["message_en"])   # 8.1 A 'Suspension of use or erasure' request in force blocks ...

d = engine.retention_due(kind="inquiry", event_at="2023-05-10T14:00:00+09:00",
                         as_of="2026-05-11T00:00:00+09:00")
print(d["due"], d["retain_until"], d["deletion_method"])   # True 2026-05-10 secure_erasure_and_shredding
# [END binding]
# 7: an inquiry is kept 3 years, the day of the event not counted.
assert (d["due"], d["retain_until"], d["deletion_method"]) == (
    True, "2026-05-10", "secure_erasure_and_shredding"), d

# [START readme]
import pip_policy

engine = pip_policy.Engine.default()   # or Engine.from_file("my.textproto", signature=..., trusted_keys=[...])
d = engine.request_validate(type="disclosure", channel="email", requester="agent",
                            received_at="2026-01-31T10:00:00+09:00",
                            documents=["identity_document", "request_form"],
                            fee_paid_jpy=300, as_of="2026-02-02T09:00:00+09:00")
print(d["missing"], d["respond_by"], d["next_step"])   # ['power_of_attorney'] 2026-03-02 COLLECT_DOCUMENTS
# [END readme]
# 8.3: an agent also brings a power of attorney; 8.2: 30 days from the day
# after receipt.
assert (d["missing"], d["respond_by"], d["next_step"]) == (
    ["power_of_attorney"], "2026-03-02", "COLLECT_DOCUMENTS"), d

# [START dict_contract]
d = engine.request_validate(type="disclosure", channel="email", requester="agent",
                            received_at="2026-01-31T10:00:00+09:00",
                            documents=["identity_document", "request_form"],
                            fee_paid_jpy=300, as_of="2026-02-02T09:00:00+09:00")
print(d["missing"], d["next_step"], d["identity_verified"], d["fee_unpaid_jpy"])
# ['power_of_attorney'] COLLECT_DOCUMENTS False 0
print(d["policy"])
# {'version': '2026-04-01', 'hash': 'd7bacf95cc19ccea0a6a18d283ec070678cfd6e373d1ebade00936ea9590c65f'}
# [END dict_contract]
assert (d["missing"], d["next_step"], d["identity_verified"], d["fee_unpaid_jpy"]) == (
    ["power_of_attorney"], "COLLECT_DOCUMENTS", False, 0), d
assert d["policy"] == {"version": engine.policy_version, "hash": engine.policy_hash}
assert d["policy"] == {
    "version": "2026-04-01",
    "hash": "d7bacf95cc19ccea0a6a18d283ec070678cfd6e373d1ebade00936ea9590c65f"}, d
