"""Whole columns from NumPy (pip_policy.columns): Engine.retention_sweep
answers as Engine.retention_due does, record by record (clause 7; periods
counted on the Tokyo calendar, 民法 143), Engine.purpose_allowed_many as
Engine.purpose_allowed does, customer by customer (clauses 2, 4; APPI 27);
columns are read in place; every bad column is an error naming it; the GIL
is released."""

import datetime as dt
import random
import threading
import tracemalloc

import numpy as np
import pandas as pd
import pytest
from google.protobuf import text_format

import pip_policy
from pip_policy import _pip_policy
from pip_policy.columns import reason_names
from pip_policy.v1 import policy_pb2

JST = dt.timezone(dt.timedelta(hours=9))
POLICY = text_format.Parse(pip_policy.default_policy_text(), policy_pb2.Policy())
KINDS = [k.id for k in POLICY.retention.kinds]
PENDING = {k.id for k in POLICY.retention.kinds if k.event_may_be_pending}
HOLD = POLICY.retention.hold_types[0].id

# Times the sweep is asked at: a leap day, the last second of a month, the
# first second of a year, all on the Tokyo calendar.
AS_OFS = [dt.datetime(2028, 2, 29, 0, 0, tzinfo=JST),
          dt.datetime(2026, 3, 31, 23, 59, 59, tzinfo=JST),
          dt.datetime(2027, 1, 1, 0, 0, tzinfo=JST)]


def unix(t: dt.datetime) -> int:
    return int(t.timestamp())


def boundary_events():
    """Events on days whose periods end on awkward days: leap days, month
    ends, fiscal year ends, at Tokyo midnight and a second either side of
    it (15:00 UTC the day before)."""
    days = []
    for year in range(2016, 2028):
        for month, day in [(1, 31), (2, 28), (3, 1), (3, 31), (4, 1), (4, 30),
                           (5, 31), (6, 30), (8, 31), (12, 31), (1, 1)]:
            days.append(dt.date(year, month, day))
        if year % 4 == 0:
            days.append(dt.date(year, 2, 29))
    events = []
    for d in days:
        midnight = unix(dt.datetime(d.year, d.month, d.day, tzinfo=JST))
        events += [midnight - 1, midnight, midnight + 1, midnight + 15 * 3600]
    return events


@pytest.fixture(scope="module")
def records():
    """A few thousand records of every kind: the boundary events, then
    random ones from 1990 to 2028; some held, some of a kind whose event
    may be pending without one."""
    rng = random.Random(7)
    events = boundary_events()
    lo, hi = unix(dt.datetime(1990, 1, 1, tzinfo=JST)), unix(dt.datetime(2028, 3, 1, tzinfo=JST))
    events += [rng.randrange(lo, hi) for _ in range(3000 - len(events))]
    n = len(events)
    kinds = np.array([i % len(KINDS) for i in range(n)], dtype=np.int8)
    rng.shuffle(events)
    event_at = np.array(events, dtype=np.int64)
    for i in range(n):
        if KINDS[kinds[i]] in PENDING and rng.random() < 0.1:
            event_at[i] = np.iinfo(np.int64).min  # no event yet
    held = np.array([rng.random() < 0.05 for _ in range(n)], dtype=bool)
    return kinds, event_at, held


def rfc3339(seconds: int) -> str:
    return dt.datetime.fromtimestamp(seconds, JST).isoformat()


@pytest.mark.parametrize("as_of", AS_OFS, ids=lambda t: t.isoformat())
def test_sweep_equals_retention_due_record_by_record_clause7(engine, records, as_of):
    kinds, event_at, held = records
    got = engine.retention_sweep(kinds, event_at, held, kind_ids=KINDS, as_of=as_of,
                                 retain_until=True)
    assert got.policy_hash == engine.policy_hash
    requests = []
    for k, e, h in zip(kinds, event_at, held):
        request = {"kind": KINDS[k], "as_of": as_of}
        if e != np.iinfo(np.int64).min:
            request["event_at"] = rfc3339(int(e))
        if h:
            request["holds"] = [{"type": HOLD}]
        requests.append({"retention_due": request})
    answers = engine.evaluate_batch(requests)
    due_count = 0
    for i, answer in enumerate(answers):
        d = answer["retention_due"]
        assert bool(got.due[i]) == d["due"], (i, requests[i], d)
        want = np.datetime64(d["retain_until"]) if d["retain_until"] else np.datetime64("NaT")
        assert (np.isnat(want) and np.isnat(got.retain_until[i])) or got.retain_until[i] == want, (
            i, requests[i], d)
        due_count += d["due"]
    # The records are a real mix: some due, some kept.
    assert 0 < due_count < len(answers)


def test_event_units_agree_and_round_down_like_retention_due_clause7(engine):
    # An inquiry's period (clause 7) ends at 00:00 Tokyo; an event 1 ns
    # before a Tokyo midnight is on the earlier day, whatever its unit.
    as_of = dt.datetime(2026, 5, 11, tzinfo=JST)
    midnight = np.datetime64(dt.datetime(2023, 5, 11, tzinfo=JST).astimezone(dt.timezone.utc)
                             .replace(tzinfo=None), "ns")
    events_ns = np.array([midnight - np.timedelta64(1, "ns"), midnight], dtype="datetime64[ns]")
    kinds = np.zeros(2, dtype=np.int32)
    want = [engine.retention_due(kind="inquiry", event_at=rfc3339(s), as_of=as_of)["due"]
            for s in (unix(dt.datetime(2023, 5, 10, 23, 59, 59, tzinfo=JST)),
                      unix(dt.datetime(2023, 5, 11, tzinfo=JST)))]
    assert want == [True, False]
    for unit in ("s", "ms", "us", "ns"):
        events = events_ns.astype(f"datetime64[{unit}]") if unit != "s" else np.array(
            [midnight - np.timedelta64(1, "s"), midnight], dtype="datetime64[s]")
        got = engine.retention_sweep(kinds, events, kind_ids=["inquiry"], as_of=as_of)
        assert got.due.tolist() == want, unit
    seconds = events_ns.astype("datetime64[s]").astype(np.int64)
    assert engine.retention_sweep(kinds, seconds, kind_ids=["inquiry"],
                                  as_of=unix(as_of)).due.tolist() == want


def test_pandas_categorical_brings_its_kind_ids_clause7(engine):
    frame = pd.DataFrame({
        "kind": pd.Categorical(["marketing", "inquiry", "marketing"]),
        "event_at": pd.to_datetime(["2020-01-01", "2026-01-01", "2026-01-01"]),
    })
    as_of = "2026-06-01T00:00:00+09:00"
    got = engine.retention_sweep(frame["kind"], frame["event_at"], as_of=as_of)
    want = [engine.retention_due(kind=k, event_at=t.tz_localize("UTC").isoformat(),
                                 as_of=as_of)["due"]
            for k, t in zip(frame["kind"], frame["event_at"])]
    assert got.due.tolist() == want


def test_columns_are_read_in_place_not_copied_clause7(engine):
    # A million records: int8 codes (1 MB), int64 seconds (8 MB), bool holds
    # (1 MB). NumPy reports its allocations to tracemalloc: the sweep
    # allocates the 1 MB answer and no array the size of a column more.
    n = 1_000_000
    kinds = np.zeros(n, dtype=np.int8)
    seconds = np.full(n, unix(dt.datetime(2020, 1, 1, tzinfo=JST)), dtype=np.int64)
    held = np.zeros(n, dtype=bool)
    for events in (seconds, seconds.astype("datetime64[s]"), seconds.astype("datetime64[ns]")):
        events.setflags(write=False)  # read-only columns are read as they are
        tracemalloc.start()
        got = engine.retention_sweep(kinds, events, held, kind_ids=["inquiry"],
                                     as_of="2026-01-01T00:00:00+09:00")
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        assert got.due.all()
        assert peak < n + 1_000_000, (events.dtype, peak)
    # A strided view would need a copy: it is refused, not copied.
    with pytest.raises(pip_policy.InvalidRequestError, match=r"^event_at: .*not contiguous"):
        engine.retention_sweep(kinds[: n // 2], seconds[::2], kind_ids=["inquiry"],
                               as_of="2026-01-01T00:00:00+09:00")


AS_OF = "2026-06-01T00:00:00+09:00"
K = np.zeros(3, dtype=np.int8)
E = np.array(["2020-01-01", "2021-01-01", "2022-01-01"], dtype="datetime64[s]")


@pytest.mark.parametrize("call,pattern", [
    (lambda e: e.retention_sweep(K, E[:2], kind_ids=["inquiry"], as_of=AS_OF),
     r"^event_at: 2 entries; expected 3"),
    (lambda e: e.retention_sweep(K, E, np.zeros(4, bool), kind_ids=["inquiry"], as_of=AS_OF),
     r"^held: 4 entries; expected 3"),
    (lambda e: e.retention_sweep(K, E.astype(float), kind_ids=["inquiry"], as_of=AS_OF),
     r"^event_at: dtype float64 is not taken"),
    (lambda e: e.retention_sweep(K, E.astype("datetime64[D]"), kind_ids=["inquiry"], as_of=AS_OF),
     r"^event_at: dtype datetime64\[D\] is not taken"),
    (lambda e: e.retention_sweep(K, E.astype(">i8"), kind_ids=["inquiry"], as_of=AS_OF),
     r"^event_at: dtype >i8 is not taken"),
    (lambda e: e.retention_sweep(K.astype(np.float32), E, kind_ids=["inquiry"], as_of=AS_OF),
     r"^kinds: dtype float32 is not taken"),
    (lambda e: e.retention_sweep(K, E, np.zeros(3, np.int32), kind_ids=["inquiry"], as_of=AS_OF),
     r"^held: dtype int32 is not taken"),
    (lambda e: e.retention_sweep(K.reshape(3, 1), E, kind_ids=["inquiry"], as_of=AS_OF),
     r"^kinds: expected a one-dimensional array"),
    (lambda e: e.retention_sweep([0, 0, 0], E, kind_ids=["inquiry"], as_of=AS_OF),
     r"^kinds: expected a NumPy array"),
    (lambda e: e.retention_sweep(K, E, kind_ids=["inquiry", "enquiry"], as_of=AS_OF),
     r"^kind_ids\[1\]: unknown retention kind 'enquiry'"),
    (lambda e: e.retention_sweep(K, E, as_of=AS_OF), r"^kind_ids: required"),
    (lambda e: e.retention_sweep(np.array([0, 1, 0], np.int8), E, kind_ids=["inquiry"],
                                 as_of=AS_OF),
     r"^kinds\[1\]: code 1 is not an index into kind_ids"),
    (lambda e: e.retention_sweep(np.array([0, -1, 0], np.int8), E, kind_ids=["inquiry"],
                                 as_of=AS_OF),
     r"^kinds\[1\]: code -1 is missing"),
    (lambda e: e.retention_sweep(K, E, kind_ids=["inquiry"], as_of="1899-12-31T00:00:00Z"),
     r"^as_of: "),
    (lambda e: e.retention_sweep(K, E, kind_ids=["inquiry"], as_of=dt.datetime(2026, 1, 1)),
     r"^as_of: datetime .* has no time zone"),
    (lambda e: e.retention_sweep(K, E, kind_ids=["inquiry"], as_of=1 << 70),
     r"^as_of: .* outside the years"),
    (lambda e: e.retention_sweep(pd.Series(["inquiry"] * 3), E, kind_ids=["inquiry"],
                                 as_of=AS_OF),
     r"^kinds: Series of Python objects \(dtype object\) cannot be read in place"),
    (lambda e: e.retention_sweep(K, pd.Series(pd.to_datetime(E).tz_localize("Asia/Tokyo")),
                                 kind_ids=["inquiry"], as_of=AS_OF),
     r"^event_at: .*tz_convert\(None\)"),
    (lambda e: e.retention_sweep(K, np.array(["2020-01-01", "NaT", "2020-01-01"],
                                             dtype="datetime64[s]"),
                                 kind_ids=["inquiry"], as_of=AS_OF),
     r"^event_at\[1\]: a time is required for retention kind 'inquiry'"),
])
def test_bad_columns_are_errors_naming_the_argument(engine, call, pattern):
    with pytest.raises(pip_policy.InvalidRequestError, match=pattern):
        call(engine)


def test_out_of_range_event_names_its_index_past_the_first_chunk_clause7(engine):
    # Records are decided 16384 at a time; the index is the column's.
    n = 40_000
    events = np.full(n, unix(dt.datetime(2020, 1, 1, tzinfo=JST)), dtype=np.int64)
    events[30_001] = unix(dt.datetime(1899, 12, 31, tzinfo=dt.timezone.utc))
    with pytest.raises(pip_policy.InvalidRequestError, match=r"^event_at\[30001\]: "):
        engine.retention_sweep(np.zeros(n, np.int8), events, kind_ids=["inquiry"], as_of=AS_OF)


def test_empty_columns_answer_nothing_but_check_as_of_clause7(engine):
    empty = np.zeros(0, np.int8)
    got = engine.retention_sweep(empty, np.zeros(0, np.int64), kind_ids=[], as_of=AS_OF,
                                 retain_until=True)
    assert got.due.shape == (0,) and got.retain_until is not None
    with pytest.raises(pip_policy.InvalidRequestError, match=r"^as_of"):
        engine.retention_sweep(empty, np.zeros(0, np.int64), kind_ids=[],
                               as_of=253402300800)  # 10000-01-01Z


def customers(n, seed):
    """Customers of a consent to use location data for usage analysis
    (2.4 needs a consent naming location; APPI 27): none, withdrawn before
    or after as_of, expired, given by a minor with or without a
    representative's consent."""
    rng = random.Random(seed)
    t0 = np.datetime64("2024-01-01T00:00:00", "s")

    def maybe(p, value):
        return value if rng.random() < p else np.datetime64("NaT", "s")
    granted = np.array([maybe(0.8, t0 + np.timedelta64(rng.randrange(0, 900 * 86400), "s"))
                        for _ in range(n)], dtype="datetime64[s]")
    withdrawn = np.array([maybe(0.3, g + np.timedelta64(rng.randrange(0, 400 * 86400), "s"))
                          if not np.isnat(g) else np.datetime64("NaT", "s") for g in granted],
                         dtype="datetime64[s]")
    expires = np.array([maybe(0.2, g + np.timedelta64(rng.randrange(0, 900 * 86400), "s"))
                        if not np.isnat(g) else np.datetime64("NaT", "s") for g in granted],
                       dtype="datetime64[s]")
    birth = np.array([maybe(0.5, np.datetime64("2000-01-01") + np.timedelta64(
        rng.randrange(0, 9000), "D")) for _ in range(n)], dtype="datetime64[D]")
    representative = np.array([rng.random() < 0.5 for _ in range(n)], dtype=bool)
    return granted, withdrawn, expires, birth, representative


def test_purpose_allowed_many_equals_purpose_allowed_clause_2_4_appi27(engine):
    granted, withdrawn, expires, birth, representative = customers(400, 3)
    as_of = "2026-03-01T12:00:00+09:00"
    got = engine.purpose_allowed_many(
        "usage_analysis", ["location"], as_of=as_of, granted_at=granted,
        withdrawn_at=withdrawn, expires_at=expires, birth_date=birth,
        representative_consent=representative, consent_version=1)
    names = got.reason_names()
    seen = set()
    for i in range(len(granted)):
        consents = []
        if not np.isnat(granted[i]):
            c = {"id": "k", "subject_id": "c", "categories": ["location"], "purposes": ["usage_analysis"],
                 "granted_at": f"{granted[i]}Z", "consent_version": 1,
                 "representative_consent": bool(representative[i])}
            if not np.isnat(withdrawn[i]):
                c["withdrawn_at"] = f"{withdrawn[i]}Z"
            if not np.isnat(expires[i]):
                c["expires_at"] = f"{expires[i]}Z"
            if not np.isnat(birth[i]):
                c["subject_birth_date"] = str(birth[i])
            consents.append(c)
        d = engine.purpose_allowed(subject_id="c", purpose="usage_analysis",
                                   categories=["location"], consents=consents, as_of=as_of)
        assert bool(got.allowed[i]) == d["allowed"], (i, consents, d)
        first = d["reasons"][0]["code"] if d["reasons"] else "PURPOSE_PERMITTED"
        assert names[i] == first, (i, consents, d)
        seen.add((names[i], not np.isnat(granted[i])))
    # Allowed on a consent, and refused both without one and with one that
    # does not count (withdrawn, expired, a minor's).
    assert {("PURPOSE_PERMITTED", True), ("CONSENT_REQUIRED", False),
            ("CONSENT_REQUIRED", True)} <= seen, seen


def test_purpose_allowed_many_errors_name_the_argument(engine):
    granted = np.array(["2025-01-01"], dtype="datetime64[s]")
    kw = dict(as_of=AS_OF, granted_at=granted, consent_version=1)
    with pytest.raises(pip_policy.InvalidRequestError, match=r"^purpose: unknown purpose"):
        engine.purpose_allowed_many("usage_analysys", ["location"], **kw)
    with pytest.raises(pip_policy.InvalidRequestError, match=r"^categories: "):
        engine.purpose_allowed_many("usage_analysis", ["locaton"], **kw)
    with pytest.raises(pip_policy.InvalidRequestError, match=r"^withdrawn_at: 2 entries"):
        engine.purpose_allowed_many("usage_analysis", ["location"], withdrawn_at=np.zeros(
            2, "datetime64[s]"), **kw)
    with pytest.raises(pip_policy.InvalidRequestError, match=r"^birth_date: dtype datetime64\[s\]"):
        engine.purpose_allowed_many("usage_analysis", ["location"], birth_date=granted, **kw)
    with pytest.raises(pip_policy.InvalidRequestError, match=r"^consent_version: expected"):
        engine.purpose_allowed_many("usage_analysis", ["location"], as_of=AS_OF,
                                    granted_at=granted, consent_version=1 << 40)
    with pytest.raises(pip_policy.InvalidRequestError, match=r"^birth_date\[0\]: date is outside"):
        engine.purpose_allowed_many("usage_analysis", ["location"], birth_date=np.array(
            ["1850-01-01"], dtype="datetime64[D]"), **kw)


def test_reason_names_are_the_proto_names():
    assert reason_names(np.array([0], np.int32)).tolist() == ["REASON_CODE_UNSPECIFIED"]


def test_gil_is_released_during_the_sweep(engine, records):
    kinds, event_at, held = records
    _pip_policy._gil_probe(True)
    try:
        engine.retention_sweep(kinds, event_at, held, kind_ids=KINDS, as_of=AS_OFS[0])
        engine.purpose_allowed_many("billing", ["name"], as_of=AS_OF, consent_version=1,
                                    granted_at=np.zeros(3, "datetime64[s]"))
        released, held_count = _pip_policy._gil_probe_counts()
    finally:
        _pip_policy._gil_probe(False)
    assert (released, held_count) == (2, 0)


def test_two_threads_sweep_at_once_with_the_same_answers(engine):
    # Each thread sweeps while the other holds the GIL or sweeps; both
    # answers equal the answer of one thread alone.
    n = 300_000
    rng = np.random.default_rng(5)
    kinds = rng.integers(0, len(KINDS), n, dtype=np.int8)
    events = rng.integers(unix(dt.datetime(2010, 1, 1, tzinfo=JST)),
                          unix(dt.datetime(2027, 1, 1, tzinfo=JST)), n, dtype=np.int64)
    alone = engine.retention_sweep(kinds, events, kind_ids=KINDS, as_of=AS_OF).due
    answers = [None, None]

    def run(slot):
        for _ in range(5):
            answers[slot] = engine.retention_sweep(kinds, events, kind_ids=KINDS, as_of=AS_OF).due

    threads = [threading.Thread(target=run, args=(s,)) for s in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(np.array_equal(a, alone) for a in answers)
