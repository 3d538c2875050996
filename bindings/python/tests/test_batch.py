"""Engine.evaluate_batch: many EvalRequest dicts decided on one policy, one
answer per request in order, a bad request answered with its own error
while the others are decided (as `pipctl eval` answers line by line)."""

import datetime as dt
import threading

import pytest

import pip_policy
from pip_policy import _engine

RETENTION = {"retention_due": {"kind": "inquiry", "event_at": "2023-05-10T14:00:00+09:00",
                               "as_of": "2026-05-11T00:00:00+09:00"}}
SUSPENDED = {"purpose_allowed": {
    "subject_id": "c-1", "purpose": "direct_mail", "categories": ["name", "email"],
    "active_requests": [{"type": "suspension", "received_at": "2026-01-10T09:00:00+09:00"}],
    "as_of": "2026-03-01T12:00:00+09:00"}}


def test_answers_in_order_each_as_evaluate_gives_it_clauses_7_and_8_1(engine):
    batch = [RETENTION, SUSPENDED, RETENTION]
    answers = engine.evaluate_batch(batch)
    assert answers == [engine.evaluate(r) for r in batch]
    # 7: kept three years, then due; 8.1: a suspension in force blocks the use.
    assert answers[0]["retention_due"]["due"] is True
    assert answers[1]["purpose_allowed"]["allowed"] is False
    assert [r["clause"] for r in answers[1]["purpose_allowed"]["reasons"]] == ["8.1"]


def test_a_bad_request_is_its_own_error_and_the_rest_are_decided(engine):
    batch = [
        RETENTION,
        {"retention_due": {"kind": "inquiries", "as_of": "2026-05-11T00:00:00+09:00"}},  # unknown id
        {"retention_due": {"kind": "inquiry", "as_off": "2026-05-11T00:00:00+09:00"}},  # misspelt
        {"retention_due": {"kind": "inquiry", "as_of": dt.datetime(2026, 5, 11)}},  # naive time
        "retention_due",  # not a dict
        {},  # no function
        SUSPENDED,
    ]
    answers = engine.evaluate_batch(batch)
    assert len(answers) == len(batch)
    assert answers[0] == engine.evaluate(RETENTION)
    assert answers[-1] == engine.evaluate(SUSPENDED)
    for i in range(1, 6):
        error = answers[i].get("error")
        assert error and error["code"] == "INVALID_ARGUMENT", (i, answers[i])
        # The same request alone raises, with the same message.
        with pytest.raises(pip_policy.InvalidRequestError):
            engine.evaluate(batch[i])
    assert "inquiries" in answers[1]["error"]["message"]
    assert "as_off" in answers[2]["error"]["message"]
    assert answers[3]["error"]["message"].startswith("requests[3].retention_due.as_of:")
    assert "no time zone" in answers[3]["error"]["message"]
    assert answers[4]["error"]["message"].startswith("requests[4]:")


def test_an_error_is_never_an_allow(engine):
    # A deny request with a broken field must not come back as a decision.
    broken = {"purpose_allowed": {**SUSPENDED["purpose_allowed"], "purpose": "direct_mai"}}
    (answer,) = engine.evaluate_batch([broken])
    assert list(answer) == ["error"]


def test_empty_batch_and_any_iterable(engine):
    assert engine.evaluate_batch([]) == []
    assert engine.evaluate_batch(r for r in (RETENTION,)) == [engine.evaluate(RETENTION)]


def test_not_a_list_raises(engine):
    for bad in (RETENTION, "x", b"x", 3):
        with pytest.raises(pip_policy.InvalidRequestError, match="requests: expected a list"):
            engine.evaluate_batch(bad)


def test_over_kmaxbatchrequests_raises_before_deciding(engine, monkeypatch):
    # pip/limits.h kMaxBatchRequests, lowered here so the test stays small.
    monkeypatch.setattr(_engine, "_MAX_BATCH_REQUESTS", 2)
    assert len(engine.evaluate_batch([RETENTION, RETENTION])) == 2
    with pytest.raises(pip_policy.InvalidRequestError, match="kMaxBatchRequests"):
        engine.evaluate_batch([RETENTION] * 3)


def test_one_policy_for_the_whole_batch_while_another_thread_reloads(engine):
    # engine.h: a batch is decided on the policy running when it starts.
    local = pip_policy.Engine.default()
    text = pip_policy.default_policy_text()
    other = text.replace('version: "2026-04-01"', 'version: "2026-04-01-b"', 1)
    assert other != text
    stop = threading.Event()

    def reload_forever():
        while not stop.is_set():
            local.reload_text(other)
            local.reload_text(text)

    thread = threading.Thread(target=reload_forever)
    thread.start()
    try:
        for _ in range(20):
            answers = local.evaluate_batch([RETENTION] * 50)
            stamps = {a["retention_due"]["policy"]["version"] for a in answers}
            assert len(stamps) == 1, stamps
    finally:
        stop.set()
        thread.join()


def test_the_gil_is_released_for_the_batch():
    from pip_policy import _pip_policy
    local = pip_policy.Engine.default()
    _pip_policy._gil_probe(True)
    try:
        local.evaluate_batch([RETENTION, SUSPENDED])
        released, held = _pip_policy._gil_probe_counts()
    finally:
        _pip_policy._gil_probe(False)
    assert (released, held) == (1, 0)
