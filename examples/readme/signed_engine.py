"""The signed-policy example of bindings/python/README.md: an engine that
accepts only a policy signed by a trusted key, refuses a rollback on reload,
and writes every decision to the decision log (clause 5.4).

Run from a folder that holds policy.textproto, its signature
policy.textproto.sig, the trusted public key trusted.pem and the log's key
audit.key (examples/readme/signed_engine_test.sh makes them with openssl).
"""
import pip_policy

# [START trust]
engine = pip_policy.Engine.from_file(
    "policy.textproto", signature="policy.textproto.sig",
    trusted_keys=[open("trusted.pem").read()],
    audit_log="decisions.jsonl",
    audit_key=open("audit.key", "rb").read())
engine.reload_file("policy.textproto",
                   signature="policy.textproto.sig")   # no rollback
# [END trust]

d = engine.retention_due(kind="inquiry", event_at="2023-05-10T14:00:00+09:00",
                         as_of="2026-05-11T00:00:00+09:00")
print("retention_due", d["due"], d["retain_until"])
assert (d["due"], d["retain_until"]) == (True, "2026-05-10"), d
