"""The GIL is released while pip works, and an Engine is shared safely by
threads while another reloads it."""

import threading

import pytest

import pip_policy
from pip_policy import _pip_policy
from conftest import SOURCE_DIR, TESTDATA

AS_OF = "2026-03-01T12:00:00+09:00"
RETENTION = {"kind": "inquiry", "event_at": "2023-05-10T14:00:00+09:00",
             "as_of": "2026-05-11T00:00:00+09:00"}


@pytest.fixture
def gil_probe():
    # While on, every call into pip::Engine counts whether its thread held the
    # GIL at that moment (PyGILState_Check inside the released region).
    _pip_policy._gil_probe(True)
    yield lambda: _pip_policy._gil_probe_counts()
    _pip_policy._gil_probe(False)


CALLS = ["purpose_allowed", "consent_check", "retention_due", "request_validate",
         "acquisition_check", "contractor_check", "incident_assess", "complaint_route",
         "decide",
         "evaluate", "explain", "decide_pb", "purpose_allowed_pb", "consent_check_pb",
         "retention_due_pb", "request_validate_pb", "acquisition_check_pb", "contractor_check_pb",
         "incident_assess_pb",
         "complaint_route_pb", "evaluate_pb", "default", "from_text",
         "from_file", "reload_text", "reload_file", "from_bytes", "reload_bytes",
         "reload_default"]


def calls(engine, decision_pb2):
    ts = decision_pb2.google_dot_protobuf_dot_timestamp__pb2.Timestamp
    retention = decision_pb2.RetentionDueRequest(
        kind="inquiry", event_at=ts(seconds=1683694800), as_of=ts(seconds=1778425200))
    text = (SOURCE_DIR / "policies" / "default.textproto").read_text(encoding="utf-8")
    return {
        "purpose_allowed": lambda: engine.purpose_allowed(
            purpose="billing", categories=["name"], as_of=AS_OF),
        "consent_check": lambda: engine.consent_check(
            subject_id="c-1", categories=["location"], purposes=["usage_analysis"], as_of=AS_OF),
        "retention_due": lambda: engine.retention_due(RETENTION),
        "request_validate": lambda: engine.request_validate(
            type="disclosure", channel="email", received_at=AS_OF, as_of=AS_OF),
        "acquisition_check": lambda: engine.acquisition_check(
            channel="paper", categories=["name"], purpose_stated=True, as_of=AS_OF),
        "contractor_check": lambda: engine.contractor_check(
            contractor_id="vendor-1", criteria_met=["sound_finances"], as_of=AS_OF),
        "incident_assess": lambda: engine.incident_assess(
            kind="INCIDENT_LEAK", categories=["health"], people=1, aware_at=AS_OF, as_of=AS_OF),
        "complaint_route": lambda: engine.complaint_route(state="first_response", as_of=AS_OF),
        "evaluate": lambda: engine.evaluate({"retention_due": RETENTION}),
        "explain": lambda: engine.explain({"retention_due": RETENTION}),
        "decide": lambda: engine.decide("retention_due", RETENTION),
        "decide_pb": lambda: engine.decide_pb("retention_due", retention.SerializeToString()),
        "purpose_allowed_pb": lambda: engine.purpose_allowed_pb(
            decision_pb2.PurposeAllowedRequest(purpose="billing", categories=["name"],
                                               as_of=ts(seconds=1)).SerializeToString()),
        "consent_check_pb": lambda: engine.consent_check_pb(
            decision_pb2.ConsentCheckRequest(subject_id="c-1", categories=["location"], purposes=["billing"],
                                             as_of=ts(seconds=1)).SerializeToString()),
        "retention_due_pb": lambda: engine.retention_due_pb(retention.SerializeToString()),
        "request_validate_pb": lambda: engine.request_validate_pb(
            decision_pb2.RequestValidateRequest(
                type="disclosure", channel="email", received_at=ts(seconds=1),
                as_of=ts(seconds=1)).SerializeToString()),
        "acquisition_check_pb": lambda: engine.acquisition_check_pb(
            decision_pb2.AcquisitionCheckRequest(
                channel="paper", categories=["name"], purpose_stated=True,
                as_of=ts(seconds=1)).SerializeToString()),
        "contractor_check_pb": lambda: engine.contractor_check_pb(
            decision_pb2.ContractorCheckRequest(
                contractor_id="vendor-1", as_of=ts(seconds=1)).SerializeToString()),
        "incident_assess_pb": lambda: engine.incident_assess_pb(
            decision_pb2.IncidentAssessRequest(
                kind=decision_pb2.INCIDENT_LEAK, categories=["health"], people=1,
                aware_at=ts(seconds=1), as_of=ts(seconds=1)).SerializeToString()),
        "complaint_route_pb": lambda: engine.complaint_route_pb(
            decision_pb2.ComplaintRouteRequest(as_of=ts(seconds=1)).SerializeToString()),
        "evaluate_pb": lambda: engine.evaluate_pb(
            decision_pb2.EvalRequest(retention_due=retention).SerializeToString()),
        "default": pip_policy.Engine.default,
        "from_text": lambda: pip_policy.Engine.from_text(text),
        "from_file": lambda: pip_policy.Engine.from_file(TESTDATA / "minimal.textproto"),
        "reload_text": lambda: engine.reload_text(text),
        "reload_file": lambda: engine.reload_file(SOURCE_DIR / "policies" / "default.textproto"),
        "from_bytes": lambda: pip_policy.Engine.from_bytes(_binary_policy(text)),
        "reload_bytes": lambda: engine.reload_bytes(_binary_policy(text)),
        "reload_default": engine.reload_default,
    }


def _binary_policy(text):
    from google.protobuf import text_format
    from pip_policy.v1 import policy_pb2
    return text_format.Parse(text, policy_pb2.Policy()).SerializeToString()


@pytest.mark.parametrize("name", CALLS)
def test_each_call_releases_the_gil(name, gil_probe, decision_pb2):
    table = calls(pip_policy.Engine.default(), decision_pb2)
    assert sorted(table) == sorted(CALLS)  # every public call is probed
    call = table[name]
    _pip_policy._gil_probe(True)  # count only the call itself
    call()
    released, held = gil_probe()
    assert (released, held) == (1, 0)


def test_the_gil_is_released_on_the_error_path_too(gil_probe, engine):
    with pytest.raises(pip_policy.InvalidRequestError):
        engine.purpose_allowed(purpose="billing", categories=["nmae"], as_of=AS_OF)
    assert gil_probe() == (1, 0)


def test_threads_share_an_engine_while_it_reloads():
    # Each evaluation sees exactly one policy: under the default policy the
    # purpose "direct_mail" exists (clause 4.2) and is permitted; under the
    # minimal one it is an unknown id. Never anything else, never a mix.
    engine = pip_policy.Engine.default()
    default_text = (SOURCE_DIR / "policies" / "default.textproto").read_text(encoding="utf-8")
    minimal_text = (TESTDATA / "minimal.textproto").read_text(encoding="utf-8")
    request = {"purpose": "direct_mail", "categories": ["email"], "as_of": AS_OF}
    outcomes = {"allowed": 0, "unknown": 0}
    failures = []
    lock = threading.Lock()

    def evaluate():
        for _ in range(300):
            try:
                d = engine.purpose_allowed(request)
                ok = d["allowed"] is True and d["policy"]["version"] == "2026-04-01"
                key = "allowed"
            except pip_policy.InvalidRequestError as e:
                ok = "unknown purpose 'direct_mail'" in e.message
                key = "unknown"
            with lock:
                outcomes[key] += 1
                if not ok:
                    failures.append(key)

    threads = [threading.Thread(target=evaluate) for _ in range(4)]
    for t in threads:
        t.start()
    while any(t.is_alive() for t in threads):
        engine.reload_text(minimal_text)
        engine.reload_text(default_text)
    for t in threads:
        t.join()
    assert failures == []
    assert outcomes["allowed"] + outcomes["unknown"] == 4 * 300
    assert engine.policy_version == "2026-04-01"
