"""Every error is an exception from the one table in pip_policy/errors.py,
carrying the status code and pip's message; none is ever a decision."""

import datetime as dt
import math

import pytest

import pip_policy
from pip_policy import _pip_policy
from conftest import SOURCE_DIR, TESTDATA

AS_OF = "2026-03-01T12:00:00+09:00"


# --- The table ----------------------------------------------------------------

# (status code, what was being read) -> (exception class, built-in base a
# caller may catch instead). Written out here, not read from the table.
EXPECTED = [
    ("INVALID_ARGUMENT", False, pip_policy.InvalidRequestError, ValueError),
    ("INVALID_ARGUMENT", True, pip_policy.InvalidPolicyError, ValueError),
    ("NOT_FOUND", True, pip_policy.PolicyNotFoundError, FileNotFoundError),
    ("DATA_LOSS", True, pip_policy.PolicyReadError, OSError),
    ("INTERNAL", False, pip_policy.InternalError, pip_policy.PipError),
    ("INTERNAL", True, pip_policy.InternalError, pip_policy.PipError),
    ("UNAUTHENTICATED", True, pip_policy.UntrustedPolicyError, pip_policy.PipError),
    ("FAILED_PRECONDITION", True, pip_policy.PolicyRefusedError, pip_policy.PipError),
    ("UNAVAILABLE", False, pip_policy.AuditLogError, OSError),
]


@pytest.mark.parametrize("code, policy, cls, base", EXPECTED)
def test_status_from_the_compiled_module_raises_its_class(code, policy, cls, base):
    with pytest.raises(cls) as raised:
        _pip_policy._raise_status(code, "what went wrong", policy)
    assert type(raised.value) is cls
    assert isinstance(raised.value, base)
    assert isinstance(raised.value, pip_policy.PipError)
    assert raised.value.code == code
    assert raised.value.message == "what went wrong"
    assert str(raised.value) == "what went wrong"


@pytest.mark.parametrize("code", ["ABORTED", "PERMISSION_DENIED", "SOMETHING_NEW"])
def test_status_not_in_the_table_still_raises_pip_error(code):
    with pytest.raises(pip_policy.PipError) as raised:
        _pip_policy._raise_status(code, "m", False)
    assert type(raised.value) is pip_policy.PipError
    assert raised.value.code == code


# --- Bad requests: InvalidRequestError naming the field ------------------------

def test_unknown_category_names_the_field_and_suggests(engine):
    with pytest.raises(pip_policy.InvalidRequestError) as raised:
        engine.purpose_allowed(purpose="direct_mail", categories=["name", "emial"], as_of=AS_OF)
    assert raised.value.code == "INVALID_ARGUMENT"
    assert "categories[1]" in raised.value.message
    assert "'emial'" in raised.value.message
    assert "'email'" in raised.value.message  # did you mean
    assert isinstance(raised.value, ValueError)


def test_unknown_request_type_is_an_error_not_a_deny_clause_8_1(engine):
    # An unknown id in active_requests must not let the use through.
    with pytest.raises(pip_policy.InvalidRequestError) as raised:
        engine.purpose_allowed(purpose="direct_mail", categories=["email"], as_of=AS_OF,
                               active_requests=[{"type": "suspend",
                                                 "received_at": "2026-01-10T09:00:00+09:00"}])
    assert "active_requests[0]" in raised.value.message


def test_missing_as_of_is_an_error(engine):
    with pytest.raises(pip_policy.InvalidRequestError, match="as_of"):
        engine.retention_due(kind="inquiry", event_at="2023-05-10T14:00:00+09:00")


def test_negative_fee_is_an_error_clause_8_3(engine):
    with pytest.raises(pip_policy.InvalidRequestError, match="fee_paid_jpy"):
        engine.request_validate(type="disclosure", channel="email", fee_paid_jpy=-300,
                                received_at="2026-01-31T10:00:00+09:00", as_of=AS_OF)


@pytest.mark.parametrize("request_fields, field", [
    ({"purpse": "direct_mail"}, "purpse"),                       # misspelt field
    ({"categories": ["email", 3]}, "categories[1]"),              # wrong element type
    ({"purpose": 7}, "purpose"),                                 # wrong type
    ({"context": "anonymized"}, "context"),                      # not an object
    ({"as_of": "yesterday"}, "as_of"),                           # not RFC 3339
])
def test_malformed_dict_names_the_field(engine, request_fields, field):
    request = {"purpose": "direct_mail", "categories": ["email"], "as_of": AS_OF}
    with pytest.raises(pip_policy.InvalidRequestError) as raised:
        engine.purpose_allowed({**request, **request_fields})
    assert field in raised.value.message


@pytest.mark.parametrize("value, field, words", [
    (dt.datetime(2026, 3, 1, 12), "as_of", "no time zone"),
    (dt.date(2026, 3, 1), "as_of", "not a time"),
    ({"email"}, "categories", "set"),
])
def test_values_json_cannot_carry_name_the_field(engine, value, field, words):
    request = {"purpose": "direct_mail", "categories": ["email"], "as_of": AS_OF}
    request[field] = value
    with pytest.raises(pip_policy.InvalidRequestError) as raised:
        engine.purpose_allowed(request)
    assert raised.value.message.startswith(f"purpose_allowed.{field}:")
    assert words in raised.value.message


def test_nested_value_is_named_by_its_path(engine):
    with pytest.raises(pip_policy.InvalidRequestError) as raised:
        engine.consent_check(subject_id="c-1", categories=["location"], purposes=["usage_analysis"],
                             consents=[{"id": "k-1", "granted_at": dt.datetime(2025, 4, 1)}],
                             as_of=AS_OF)
    assert raised.value.message.startswith("consent_check.consents[0].granted_at:")


def test_nan_is_refused(engine):
    with pytest.raises(pip_policy.InvalidRequestError, match="fee_paid_jpy"):
        engine.request_validate(type="disclosure", fee_paid_jpy=math.nan)


@pytest.mark.parametrize("not_a_dict", [["purpose", "direct_mail"], "purpose=direct_mail", 3])
def test_request_that_is_not_a_dict(engine, not_a_dict):
    with pytest.raises(pip_policy.InvalidRequestError, match="expected a dict"):
        engine.purpose_allowed(not_a_dict)
    with pytest.raises(pip_policy.InvalidRequestError, match="expected a dict"):
        engine.evaluate(not_a_dict)


def test_evaluate_without_a_function_is_an_error(engine):
    with pytest.raises(pip_policy.InvalidRequestError, match="names no function"):
        engine.evaluate({})
    with pytest.raises(pip_policy.InvalidRequestError, match="purpose_alowed"):
        engine.evaluate({"purpose_alowed": {"purpose": "direct_mail"}})


def test_explain_of_a_bad_request_raises(engine):
    with pytest.raises(pip_policy.InvalidRequestError, match="categories"):
        engine.explain({"purpose_allowed": {"purpose": "direct_mail", "as_of": AS_OF}})


# --- Policies: InvalidPolicyError, PolicyNotFoundError, PolicyReadError --------

def test_missing_policy_file(tmp_path):
    path = tmp_path / "no_such_policy.textproto"
    with pytest.raises(pip_policy.PolicyNotFoundError) as raised:
        pip_policy.Engine.from_file(path)
    assert raised.value.code == "NOT_FOUND"
    assert str(path) in raised.value.message
    assert isinstance(raised.value, FileNotFoundError)


def test_unreadable_policy_file(tmp_path):
    # A directory opens but cannot be read.
    with pytest.raises(pip_policy.PolicyReadError) as raised:
        pip_policy.Engine.from_file(tmp_path)
    assert raised.value.code == "DATA_LOSS"


def test_policy_that_does_not_validate_lists_every_problem():
    path = TESTDATA / "bad" / "multi_problem.textproto"
    with pytest.raises(pip_policy.InvalidPolicyError) as raised:
        pip_policy.Engine.from_file(path)
    assert raised.value.code == "INVALID_ARGUMENT"
    assert len(raised.value.problems) >= 2
    assert all(p.startswith(str(path) + ":") for p in raised.value.problems)
    with pytest.raises(pip_policy.InvalidPolicyError) as from_text:
        pip_policy.Engine.from_text(path.read_text(encoding="utf-8"), "company.textproto")
    assert from_text.value.problems[0].startswith("company.textproto:")


@pytest.mark.parametrize("name", ["negative_fee", "missing_clause", "february_30"])
def test_each_bad_policy_is_refused(name):
    with pytest.raises(pip_policy.InvalidPolicyError):
        pip_policy.Engine.from_file(TESTDATA / "bad" / f"{name}.textproto")


def test_failed_reload_leaves_the_old_policy(engine):
    e = pip_policy.Engine.default()
    version, digest = e.policy_version, e.policy_hash
    request = {"kind": "inquiry", "event_at": "2023-05-10T14:00:00+09:00",
               "as_of": "2026-05-11T00:00:00+09:00"}
    before = e.retention_due(request)

    bad = (TESTDATA / "bad" / "negative_fee.textproto").read_text(encoding="utf-8")
    with pytest.raises(pip_policy.InvalidPolicyError):
        e.reload_text(bad)
    with pytest.raises(pip_policy.PolicyNotFoundError):
        e.reload_file(TESTDATA / "no_such_policy.textproto")
    with pytest.raises(pip_policy.InvalidPolicyError):
        e.reload_file(TESTDATA / "bad" / "syntax_error.textproto")

    assert (e.policy_version, e.policy_hash) == (version, digest)
    assert e.retention_due(request) == before


def test_successful_reload_swaps_the_policy():
    e = pip_policy.Engine.default()
    default_hash = e.policy_hash
    e.reload_file(TESTDATA / "minimal.textproto")
    assert e.policy_version == "2026-01-01"
    assert e.policy_hash != default_hash
    # The minimal policy has no purpose "direct_mail" (clause 4 lists only
    # billing and customer_support): now an unknown id.
    with pytest.raises(pip_policy.InvalidRequestError, match="direct_mail"):
        e.purpose_allowed(purpose="direct_mail", categories=["email"], as_of=AS_OF)
    e.reload_text((SOURCE_DIR / "policies" / "default.textproto").read_text(encoding="utf-8"))
    assert e.policy_hash == default_hash


# --- Every error is a PipError, whatever the input (docs/security.md) --------

def test_a_nul_in_a_path_is_refused_not_cut(tmp_path):
    # p.textproto exists and is a valid policy: a path cut at the NUL would
    # load it.
    policy = tmp_path / "p.textproto"
    policy.write_text(open(f"{SOURCE_DIR}/policies/default.textproto",
                           encoding="utf-8").read(), encoding="utf-8")
    with pytest.raises(pip_policy.InvalidOptionsError) as raised:
        pip_policy.Engine.from_file(str(policy) + "\x00.junk")
    assert "NUL" in raised.value.message


@pytest.mark.parametrize("text", ["\ud800", b"\xff\xfe", 42])
def test_policy_text_that_is_not_text_is_an_invalid_policy(text):
    with pytest.raises(pip_policy.InvalidPolicyError):
        pip_policy.Engine.from_text(text)


def test_a_deeply_nested_request_is_an_invalid_request(engine):
    request = {"purpose_allowed": {}}
    inner = request["purpose_allowed"]
    for _ in range(100_000):
        inner["x"] = {}
        inner = inner["x"]
    with pytest.raises(pip_policy.InvalidRequestError) as raised:
        engine.evaluate(request)
    assert "kMaxJsonDepth" in raised.value.message
