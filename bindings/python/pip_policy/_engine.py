"""pip_policy.Engine: the Pythonic face of the compiled pip::Engine."""

from __future__ import annotations

import datetime as _dt
import json
import math
import os
from typing import Any, Mapping, Optional, Union

from pip_policy import _pip_policy
from pip_policy.errors import InternalError, InvalidRequestError, _error_from_status

# The decision functions, in the order of pip.v1.EvalRequest's oneof, as the
# compiled module's table names them (pip/functions.def).
FUNCTIONS = tuple(_pip_policy.FUNCTIONS)

Request = Mapping[str, Any]
Decision = dict  # a pip.v1 decision in the JSON contract: plain dict of str, bool, int, list
PathLike = Union[str, "os.PathLike[str]"]


class _NotJson(Exception):
    """A value json cannot carry; the slow path then finds which field."""


def _json_default(value: Any) -> Any:
    # Aware datetimes become RFC 3339 times; anything else is an error rather
    # than a guess (a naive datetime has no zone; a date has no time).
    if isinstance(value, _dt.datetime) and value.utcoffset() is not None:
        return value.isoformat()
    raise _NotJson(value)


def _problem(value: Any) -> str:
    if isinstance(value, _dt.datetime):
        return (f"datetime {value.isoformat()} has no time zone; pass an aware "
                f"datetime (e.g. tzinfo=datetime.timezone.utc) or an RFC 3339 string")
    if isinstance(value, _dt.date):
        return (f"date {value.isoformat()} is not a time; pass an aware datetime "
                f"or an RFC 3339 string")
    return f"{type(value).__name__} value {value!r} is not JSON (expected str, int, bool, list, dict, None)"


def _find(value: Any, path: str, seen: frozenset = frozenset()) -> Optional[str]:
    """The first field (as a path like ``consents[0].granted_at``) whose value
    json cannot carry, with what is wrong with it."""
    if isinstance(value, (Mapping, list, tuple)):
        if id(value) in seen:
            return f"{path or 'request'}: refers to itself"
        seen = seen | {id(value)}
    if isinstance(value, Mapping):
        for key, item in value.items():
            if not isinstance(key, str):
                return f"{path or 'request'}: key {key!r} is not a string"
            found = _find(item, f"{path}.{key}" if path else key, seen)
            if found:
                return found
        return None
    if isinstance(value, (list, tuple)):
        for i, item in enumerate(value):
            found = _find(item, f"{path}[{i}]", seen)
            if found:
                return found
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return f"{path}: {value!r} is not a JSON number"
    if value is None or isinstance(value, (str, int, float, bool)):
        return None
    try:
        _json_default(value)
        return None
    except _NotJson:
        return f"{path}: {_problem(value)}"


def _mapping(request: Any, what: str) -> Request:
    if not isinstance(request, Mapping):
        raise InvalidRequestError(
            f"{what}: expected a dict (a pip.v1 request in the JSON contract), "
            f"got {type(request).__name__}", "INVALID_ARGUMENT")
    return request


def _to_json(request: Any, what: str) -> str:
    request = _mapping(request, what)
    try:
        return json.dumps(request, default=_json_default, allow_nan=False)
    except (_NotJson, TypeError, ValueError) as e:
        where = _find(request, "")
        message = f"{what}.{where}" if where else f"{what}: {e}"
        raise InvalidRequestError(message, "INVALID_ARGUMENT") from None


def _from_json(data: bytes) -> dict:
    try:
        return json.loads(data)
    except ValueError as e:  # pip always prints JSON; anything else is a fault
        raise InternalError(f"pip returned output that is not JSON: {e}", "INTERNAL") from None


def _as_bytes(data: Any, what: str) -> bytes:
    if isinstance(data, (bytes, bytearray, memoryview)):
        return bytes(data)
    raise InvalidRequestError(
        f"{what}: expected bytes (a serialized pip.v1 message), got {type(data).__name__}",
        "INVALID_ARGUMENT")


class Engine:
    """A compiled, validated pip policy that answers the four questions.

    Create one with :meth:`default`, :meth:`from_text` or :meth:`from_file`.
    Requests and decisions are plain dicts in pip's JSON contract (proto
    field names, ids and enum names as strings, times as RFC 3339 strings or
    aware ``datetime`` objects); the ``*_pb`` methods take and return
    serialized pip.v1 messages instead.

    Every error raises a :class:`pip_policy.PipError`; a decision is only
    ever returned for a well-formed request. An Engine is thread-safe: any
    number of threads may evaluate (the GIL is released while pip works)
    while another reloads; each evaluation sees exactly one policy.
    """

    __slots__ = ("_native",)

    def __init__(self, native: _pip_policy.Engine) -> None:
        """Wraps a compiled engine; use the class methods to make one."""
        if not isinstance(native, _pip_policy.Engine):
            raise TypeError("use Engine.default(), Engine.from_text() or Engine.from_file()")
        self._native = native

    # --- Making and reloading ------------------------------------------------

    @classmethod
    def default(cls) -> "Engine":
        """The policy embedded in the library (policies/default.textproto)."""
        return cls(_pip_policy.Engine.default())

    @classmethod
    def from_text(cls, text: str, file: str = "") -> "Engine":
        """A text-format pip.v1.Policy. ``file`` only labels problems.
        Raises InvalidPolicyError listing every problem."""
        return cls(_pip_policy.Engine.from_text(text, file))

    @classmethod
    def from_file(cls, path: PathLike) -> "Engine":
        """A policy file (binary when it ends in .binpb or .pb, text format
        otherwise). Raises PolicyNotFoundError, PolicyReadError or
        InvalidPolicyError."""
        return cls(_pip_policy.Engine.from_file(os.fspath(path)))

    def reload_text(self, text: str, file: str = "") -> None:
        """Replaces the policy atomically; on error the running policy stays."""
        self._native.reload_text(text, file)

    def reload_file(self, path: PathLike) -> None:
        """Replaces the policy from a file; on error the running policy stays."""
        self._native.reload_file(os.fspath(path))

    @property
    def policy_version(self) -> str:
        """The running policy's version string."""
        return self._native.policy_version

    @property
    def policy_hash(self) -> str:
        """Lowercase hex SHA-256 of the running policy."""
        return self._native.policy_hash

    # --- The four questions, as dicts ---------------------------------------

    def purpose_allowed(self, request: Optional[Request] = None, /, **fields: Any) -> Decision:
        """May these categories be used for this purpose (and given to this
        recipient) now? Clauses 2, 4, 8.1. Returns a PurposeAllowedDecision."""
        return self._decide("purpose_allowed", request, fields)

    def consent_check(self, request: Optional[Request] = None, /, **fields: Any) -> Decision:
        """Does a valid consent cover this use right now? Clauses 2.4, 2.5, 7.
        Returns a ConsentCheckDecision."""
        return self._decide("consent_check", request, fields)

    def retention_due(self, request: Optional[Request] = None, /, **fields: Any) -> Decision:
        """Must this record be deleted now, by when, and how? Clause 7.
        Returns a RetentionDueDecision."""
        return self._decide("retention_due", request, fields)

    def request_validate(self, request: Optional[Request] = None, /, **fields: Any) -> Decision:
        """Is this data-subject request complete, what fee, what deadline,
        what to review? Clause 8. Returns a RequestValidateDecision."""
        return self._decide("request_validate", request, fields)

    def evaluate(self, request: Request) -> dict:
        """Evaluates a pip.v1.EvalRequest dict, ``{"<function>": {...}}``
        (one line of ``pipctl eval``), and returns the EvalResponse dict,
        ``{"<function>": decision}``. An error raises instead of returning
        ``{"error": ...}``."""
        response = self._evaluate(_to_json(request, "request"))
        if len(response) != 1 or next(iter(response)) not in FUNCTIONS:
            raise InternalError(f"unexpected response {sorted(response)}", "INTERNAL")
        return response

    def explain(self, request: Request, *, quote_clauses: bool = True) -> str:
        """Evaluates a pip.v1.EvalRequest dict (as :meth:`evaluate`) and
        returns the decision explained in Japanese and English, with the text
        of each clause cited unless ``quote_clauses`` is False (what
        ``pipctl explain`` prints)."""
        out = self._native.explain_json(_to_json(request, "request"), quote_clauses)
        return out.decode("utf-8", errors="replace")

    def decide(self, function: str, request: Optional[Request] = None, /,
               **fields: Any) -> Decision:
        """Any decision function by its name (one of :data:`FUNCTIONS`, the
        member names of pip.v1.EvalRequest): the request dict in, the
        decision dict out."""
        if function not in FUNCTIONS:
            raise InvalidRequestError(
                f"unknown function {function!r}: expected one of {', '.join(FUNCTIONS)}",
                "INVALID_ARGUMENT")
        return self._decide(function, request, fields)

    # --- The same, as serialized pip.v1 messages ----------------------------

    def decide_pb(self, function: str, data: bytes) -> bytes:
        """Serialized pip.v1.<Function>Request in, <Function>Decision out, for
        any function of :data:`FUNCTIONS` by name."""
        return self._native.decide_pb(function, _as_bytes(data, "data"))

    def purpose_allowed_pb(self, data: bytes) -> bytes:
        """Serialized PurposeAllowedRequest in, PurposeAllowedDecision out."""
        return self.decide_pb("purpose_allowed", data)

    def consent_check_pb(self, data: bytes) -> bytes:
        """Serialized ConsentCheckRequest in, ConsentCheckDecision out."""
        return self.decide_pb("consent_check", data)

    def retention_due_pb(self, data: bytes) -> bytes:
        """Serialized RetentionDueRequest in, RetentionDueDecision out."""
        return self.decide_pb("retention_due", data)

    def request_validate_pb(self, data: bytes) -> bytes:
        """Serialized RequestValidateRequest in, RequestValidateDecision out."""
        return self.decide_pb("request_validate", data)

    def evaluate_pb(self, data: bytes) -> bytes:
        """Serialized EvalRequest in, EvalResponse out; an error raises
        instead of coming back in EvalResponse.error."""
        return self._native.evaluate_pb(_as_bytes(data, "data"))

    # --- Plumbing -----------------------------------------------------------

    def _evaluate(self, request_json: str) -> dict:
        response = _from_json(self._native.evaluate_json(request_json))
        if not isinstance(response, dict):
            raise InternalError("pip returned a response that is not an object", "INTERNAL")
        error = response.get("error")
        if error is not None:
            raise _error_from_status(str(error.get("code", "UNKNOWN")),
                                     str(error.get("message", "")), "request")
        return response

    def _decide(self, function: str, request: Optional[Request], fields: Mapping[str, Any]) -> Decision:
        body: Any = request if request is not None else {}
        if fields:
            body = {**_mapping(body, function), **fields}
        response = self._evaluate('{"%s":%s}' % (function, _to_json(body, function)))
        decision = response.get(function)
        if len(response) != 1 or not isinstance(decision, dict):
            raise InternalError(f"pip answered {sorted(response)} to {function}", "INTERNAL")
        return decision

    def __repr__(self) -> str:
        return f"<pip_policy.Engine policy_version={self.policy_version!r}>"
