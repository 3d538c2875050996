"""The *_pb methods: serialized pip.v1 messages in and out, built and read
with the pip.v1 Python classes (python3-protobuf)."""

import pytest
from google.protobuf import json_format, text_format

import pip_policy
from conftest import SOURCE_DIR

AS_OF = "2026-03-01T12:00:00+09:00"


def ts(pb2, text):
    t = pb2.google_dot_protobuf_dot_timestamp__pb2.Timestamp()
    t.FromJsonString(text)
    return t


def as_dict(message):
    # The shape the dict API returns: proto field names, defaults printed,
    # except the ids a reason is not about (docs/json.md).
    d = json_format.MessageToDict(message, preserving_proto_field_name=True,
                                  including_default_value_fields=True)
    always = {"code", "clause", "message_ja", "message_en"}
    for value in d.values():
        if isinstance(value, list):
            for reason in value:
                if isinstance(reason, dict):
                    for key in [k for k, v in reason.items() if k not in always and v == ""]:
                        del reason[key]
    return d


def test_purpose_allowed_bytes_suspension_blocks_direct_mail_clause_8_1(engine, decision_pb2):
    req = decision_pb2.PurposeAllowedRequest(
        subject_id="c-1", purpose="direct_mail", categories=["name", "email"],
        active_requests=[decision_pb2.ActiveRequest(
            type="suspension", id="r-1", received_at=ts(decision_pb2, "2026-01-10T09:00:00+09:00"))],
        as_of=ts(decision_pb2, AS_OF))
    d = decision_pb2.PurposeAllowedDecision.FromString(
        engine.purpose_allowed_pb(req.SerializeToString()))
    assert d.allowed is False
    assert [(r.code, r.clause, r.request_id) for r in d.reasons] == [
        (decision_pb2.SUSPENDED_BY_REQUEST, "8.1", "r-1")]
    assert d.policy.hash == engine.policy_hash
    # The same request as a dict gets the same decision.
    assert as_dict(d) == engine.purpose_allowed(json_format.MessageToDict(
        req, preserving_proto_field_name=True))


def test_consent_check_bytes_withdrawn_consent_is_not_valid(engine, decision_pb2):
    req = decision_pb2.ConsentCheckRequest(
        subject_id="c-1", categories=["location"], purposes=["usage_analysis"],
        consents=[decision_pb2.Consent(
            id="k-1", subject_id="c-1", categories=["location"], consent_version=1,
            granted_at=ts(decision_pb2, "2025-04-01T10:00:00+09:00"),
            withdrawn_at=ts(decision_pb2, "2026-02-01T00:00:00+09:00"))],
        as_of=ts(decision_pb2, AS_OF))
    d = decision_pb2.ConsentCheckDecision.FromString(
        engine.consent_check_pb(req.SerializeToString()))
    assert d.valid is False
    assert [(r.code, r.consent_id) for r in d.reasons] == [(decision_pb2.WITHDRAWN, "k-1")]


def test_retention_due_bytes_inquiry_after_three_years_clause_7(engine, decision_pb2):
    req = decision_pb2.RetentionDueRequest(
        kind="inquiry", event_at=ts(decision_pb2, "2023-05-10T14:00:00+09:00"),
        as_of=ts(decision_pb2, "2026-05-11T00:00:00+09:00"))
    d = decision_pb2.RetentionDueDecision.FromString(
        engine.retention_due_pb(bytearray(req.SerializeToString())))
    assert (d.due, d.retain_until, d.due_at) == (True, "2026-05-10", "2026-05-11T00:00:00+09:00")


def test_request_validate_bytes_disclosure_fee_and_deadline_clause_8(engine, decision_pb2):
    req = decision_pb2.RequestValidateRequest(
        type="disclosure", channel="phone", requester="self",
        received_at=ts(decision_pb2, "2026-01-31T10:00:00+09:00"),
        documents=["identity_document", "request_form"],
        identity_verified=True, fee_paid_jpy=300, as_of=ts(decision_pb2, "2026-02-02T09:00:00+09:00"))
    d = decision_pb2.RequestValidateDecision.FromString(
        engine.request_validate_pb(memoryview(req.SerializeToString())))
    assert (d.valid, d.fee_due_jpy, d.respond_by, d.next_step) == (
        True, 300, "2026-03-02", decision_pb2.RESPOND)


def test_evaluate_pb_answers_the_oneof(engine, decision_pb2):
    req = decision_pb2.EvalRequest(retention_due=decision_pb2.RetentionDueRequest(
        kind="training_seminar", event_at=ts(decision_pb2, "2025-06-01T10:00:00+09:00"),
        as_of=ts(decision_pb2, "2026-06-01T12:00:00+09:00")))
    response = decision_pb2.EvalResponse.FromString(engine.evaluate_pb(req.SerializeToString()))
    assert response.WhichOneof("response") == "retention_due"
    # clause 7: training and seminar records are kept 1 year.
    assert response.retention_due.retain_until == "2026-06-01"
    assert response.retention_due.due is False


def test_unknown_id_in_bytes_raises_naming_the_field(engine, decision_pb2):
    req = decision_pb2.RetentionDueRequest(kind="inquiries", as_of=ts(decision_pb2, AS_OF),
                                           event_at=ts(decision_pb2, AS_OF))
    with pytest.raises(pip_policy.InvalidRequestError, match="kind"):
        engine.retention_due_pb(req.SerializeToString())
    with pytest.raises(pip_policy.InvalidRequestError, match="kind"):
        engine.evaluate_pb(decision_pb2.EvalRequest(retention_due=req).SerializeToString())


def test_evaluate_pb_of_an_empty_request_raises(engine):
    with pytest.raises(pip_policy.InvalidRequestError, match="names no function"):
        engine.evaluate_pb(b"")


def test_corrupt_bytes_raise(engine):
    with pytest.raises(pip_policy.InvalidRequestError, match="pip.v1.PurposeAllowedRequest"):
        engine.purpose_allowed_pb(b"\x0a\xff\xff")  # a length past the end


def test_text_is_not_pb(engine):
    with pytest.raises(pip_policy.InvalidRequestError, match="expected bytes"):
        engine.consent_check_pb("subject_id: c-1")


def test_binary_policy_file_loads_the_same_policy(tmp_path, policy_pb2):
    text = (SOURCE_DIR / "policies" / "default.textproto").read_text(encoding="utf-8")
    policy = text_format.Parse(text, policy_pb2.Policy())
    path = tmp_path / "default.binpb"
    path.write_bytes(policy.SerializeToString())
    assert pip_policy.Engine.from_file(path).policy_hash == pip_policy.Engine.default().policy_hash


def test_unknown_field_in_bytes_is_refused_never_ignored(engine, decision_pb2):
    # Field 99 may be a restriction a newer caller relies on: pip refuses
    # what it would not evaluate rather than decide without it.
    req = decision_pb2.PurposeAllowedRequest(
        subject_id="c-1", purpose="billing", categories=["name"],
        as_of=ts(decision_pb2, AS_OF))
    data = req.SerializeToString() + b"\x98\x06\x01"
    with pytest.raises(pip_policy.InvalidRequestError,
                       match="unknown to pip.v1.PurposeAllowedRequest"):
        engine.purpose_allowed_pb(data)
    wrapped = decision_pb2.EvalRequest(purpose_allowed=req).SerializeToString()
    with pytest.raises(pip_policy.InvalidRequestError, match="unknown to pip.v1.EvalRequest"):
        engine.evaluate_pb(wrapped + b"\x98\x06\x01")
    # Without the extra field, both answer 4.1's allow.
    response = decision_pb2.EvalResponse.FromString(engine.evaluate_pb(wrapped))
    assert response.purpose_allowed.allowed is True
    assert response.purpose_allowed.reasons[0].clause == "4.1"
