"""pip_policy.Engine: the Pythonic face of the compiled pip::Engine."""

from __future__ import annotations

import datetime as _dt
import json
import math
import os
from typing import (TYPE_CHECKING, Any, Dict, Iterable, List, Mapping, Optional, Sequence,
                    Union, cast)

from pip_policy import _pip_policy
from pip_policy.types import (AcquisitionCheckDecision, AcquisitionCheckRequest,
                              ComplaintRouteDecision, ComplaintRouteRequest,
                              ConsentCheckDecision, ConsentCheckRequest,
                              ContractorCheckDecision, ContractorCheckRequest, EvalRequest,
                              EvalResponse, IncidentAssessDecision, IncidentAssessRequest,
                              PurposeAllowedDecision, PurposeAllowedRequest,
                              RequestValidateDecision, RequestValidateRequest,
                              RetentionDueDecision, RetentionDueRequest)
from pip_policy.errors import (InternalError, InvalidOptionsError, InvalidPolicyError,
                               InvalidRequestError, _error_from_status)

if TYPE_CHECKING:  # NumPy is needed only by the column methods.
    import numpy.typing as npt

    from pip_policy.columns import PurposeColumns, RetentionSweep

# The decision functions, in the order of pip.v1.EvalRequest's oneof, as the
# compiled module's table names them (pip/functions.def).
FUNCTIONS = tuple(_pip_policy.FUNCTIONS)

Request = Mapping[str, Any]
# A pip.v1 decision in the JSON contract: a plain dict of str, bool, int,
# list and dict. The typed methods name its TypedDict (pip_policy.types).
Decision = Dict[str, Any]
PathLike = Union[str, "os.PathLike[str]"]


class _NotJson(Exception):
    """A value json cannot carry; the slow path then finds which field."""


# pip/limits.h kMaxJsonDepth: how deep pip reads a JSON request.
_MAX_JSON_DEPTH = 32
# pip/limits.h kMaxBatchRequests: requests in one batch.
_MAX_BATCH_REQUESTS = 1 << 20


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


def _find(value: Any, path: str, seen: "frozenset[int]" = frozenset()) -> Optional[str]:
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
    except RecursionError:
        # Deeper than Python can print is far deeper than pip reads.
        raise InvalidRequestError(
            f"{what}: objects and arrays nest more than {_MAX_JSON_DEPTH} "
            f"levels deep (kMaxJsonDepth)", "INVALID_ARGUMENT") from None
    except (_NotJson, TypeError, ValueError) as e:
        where = _find(request, "")
        message = f"{what}.{where}" if where else f"{what}: {e}"
        raise InvalidRequestError(message, "INVALID_ARGUMENT") from None


def _from_json(data: bytes) -> Any:
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


def _key_list(trusted_keys: Any) -> Optional[List[bytes]]:
    """trusted_keys as a list of key bytes (PEM or 32 raw bytes), or None."""
    if trusted_keys is None:
        return None
    if isinstance(trusted_keys, (str, bytes, bytearray)):
        trusted_keys = [trusted_keys]
    keys: List[bytes] = []
    for i, key in enumerate(trusted_keys):
        if isinstance(key, str):
            key = key.encode("utf-8")
        elif not isinstance(key, (bytes, bytearray, memoryview)):
            raise InvalidOptionsError(
                f"trusted_keys[{i}]: expected the key itself (PEM str or bytes), "
                f"got {type(key).__name__}", "INVALID_ARGUMENT")
        keys.append(bytes(key))
    return keys


def _signature_bytes(signature: Any) -> bytes:
    """A signature given as raw bytes or base64 text."""
    if isinstance(signature, str):
        return signature.encode("ascii", errors="replace")
    if isinstance(signature, (bytes, bytearray, memoryview)):
        return bytes(signature)
    raise InvalidOptionsError(
        f"signature: expected bytes (raw or base64) or base64 str, "
        f"got {type(signature).__name__}", "INVALID_ARGUMENT")


def _text_source(text: Union[str, bytes], file: str, signature: Any) -> _pip_policy.PolicySource:
    if isinstance(text, str):
        try:
            text.encode("utf-8")
        except UnicodeEncodeError as e:
            raise InvalidPolicyError(
                f"{file or 'policy'}: character {e.start} is an unpaired "
                f"surrogate ({text[e.start]!r}), which is not text: a policy "
                f"is UTF-8", "INVALID_ARGUMENT") from None
    elif not isinstance(text, (bytes, bytearray, memoryview)):
        raise InvalidPolicyError(
            f"text: expected str or bytes (a text-format pip.v1.Policy), got "
            f"{type(text).__name__}", "INVALID_ARGUMENT")
    if not isinstance(file, str):
        raise InvalidPolicyError(
            f"file: expected str, got {type(file).__name__}", "INVALID_ARGUMENT")
    if signature is None:
        if isinstance(text, (bytes, bytearray, memoryview)):
            try:
                text = bytes(text).decode("utf-8")
            except UnicodeDecodeError as e:
                raise InvalidPolicyError(
                    f"{file or 'policy'}: byte {e.start} is not UTF-8: a "
                    f"policy is UTF-8 text", "INVALID_ARGUMENT") from None
        return _pip_policy.PolicySource.text(text, file)
    data = text.encode("utf-8") if isinstance(text, str) else bytes(text)
    return _pip_policy.PolicySource.signed(data, _signature_bytes(signature), file)


def _binary_source(data: bytes, file: str, signature: Any) -> _pip_policy.PolicySource:
    data = _as_bytes(data, "data")
    if signature is None:
        return _pip_policy.PolicySource.binary(data, file)
    # A signed policy's name says whether its bytes are binary.
    name = file if file.endswith((".binpb", ".pb")) else (file or "policy") + ".binpb"
    return _pip_policy.PolicySource.signed(data, _signature_bytes(signature), name)


def _path(path: Any, what: str) -> str:
    """``path`` as the str the library opens. A NUL would end the path
    early in the C library (``p.textproto\\x00.junk`` would open
    ``p.textproto``), so it is refused, as is anything that is not a path."""
    try:
        name: Union[str, bytes] = os.fspath(path)
    except TypeError:
        raise InvalidOptionsError(
            f"{what}: expected a path (str, bytes or os.PathLike), got "
            f"{type(path).__name__}", "INVALID_ARGUMENT") from None
    text = os.fsdecode(name) if isinstance(name, bytes) else name
    if "\x00" in text:
        raise InvalidOptionsError(
            f"{what}: the path contains a NUL character at offset "
            f"{text.index(chr(0))}", "INVALID_ARGUMENT")
    return text


def _file_source(path: PathLike, signature: Optional[PathLike]) -> _pip_policy.PolicySource:
    if signature is None:
        return _pip_policy.PolicySource.file(_path(path, "path"))
    return _pip_policy.PolicySource.signed_file(_path(path, "path"),
                                                _path(signature, "signature"))


class Engine:
    """A compiled, validated pip policy that answers the four questions.

    Create one with :meth:`default`, :meth:`from_text`, :meth:`from_bytes`
    or :meth:`from_file`. Requests and decisions are plain dicts in pip's
    JSON contract (proto field names, ids and enum names as strings, times
    as RFC 3339 strings or aware ``datetime`` objects); the ``*_pb``
    methods take and return serialized pip.v1 messages instead.

    Every constructor takes the same keyword-only options, fixed for the
    engine's life (docs/security.md):

    ``trusted_keys``
        Ed25519 public keys (PEM ``str`` or ``bytes``, as ``pipctl keygen``
        or ``openssl pkey -pubout`` write them, or 32 raw bytes) whose
        signatures are accepted. ``None`` (the default): no trust, so
        unsigned policies load and reload, no rollback check is made, and a
        ``signature`` is refused with :class:`PolicyRefusedError`. With
        keys (even an empty list, when ``require_signature`` is False),
        every reload whose revision is below the running one's, or equal
        with other content, raises :class:`PolicyRefusedError`.
    ``require_signature``
        With ``trusted_keys``: refuse every unsigned policy, at creation as
        at reload (:class:`UntrustedPolicyError`). Default True. When False,
        unsigned policies load, but a signature that is given must verify.
    ``min_revision``
        With ``trusted_keys``: refuse a policy of a lower revision
        (:class:`PolicyRefusedError`), to carry the rollback floor across
        restarts. Default 0 (no floor).
    ``revision_file``
        With ``trusted_keys``: a file that keeps the rollback floor across
        restarts by itself. The highest revision accepted is written to it
        (atomically, synced) before a policy runs, at creation as at
        reload; at the next start its number raises ``min_revision``, so an
        older policy, however validly signed, raises
        :class:`PolicyRefusedError`. A file that holds anything but a
        revision, or one that cannot be written, raises
        :class:`PolicyRefusedError` too. Default None.
    ``audit_log``, ``audit_key``
        The decision log (clause 5.4): a JSON-lines file (created, or
        appended to) and its secret key (``bytes``, at least 32). Every
        decision and every refused request is written to it before it is
        returned; when it cannot be, the call raises :class:`AuditLogError`
        instead of returning the decision. Check it with
        ``pipctl audit-verify``. Default None: no log.

    Every error raises a :class:`pip_policy.PipError`; a decision is only
    ever returned for a well-formed request. An Engine is thread-safe: any
    number of threads may evaluate (the GIL is released while pip works)
    while another reloads; each evaluation sees exactly one policy.
    """

    __slots__ = ("_native",)

    def __init__(self, native: _pip_policy.Engine) -> None:
        """Wraps a compiled engine; use the class methods to make one."""
        if not isinstance(native, _pip_policy.Engine):
            raise TypeError("use Engine.default(), Engine.from_text(), "
                            "Engine.from_bytes() or Engine.from_file()")
        self._native = native

    # --- Making and reloading ------------------------------------------------

    @classmethod
    def _create(cls, source: _pip_policy.PolicySource, trusted_keys: Any,
                require_signature: bool, min_revision: int,
                revision_file: Optional[PathLike],
                audit_log: Optional[PathLike], audit_key: Optional[bytes]) -> "Engine":
        if (audit_log is None) != (audit_key is None):
            raise InvalidOptionsError(
                "audit_log and audit_key go together: the log needs the key "
                "that pseudonymizes its ids, and a key needs a log",
                "INVALID_ARGUMENT")
        if audit_key is not None and not isinstance(audit_key, (bytes, bytearray, memoryview)):
            raise InvalidOptionsError(
                f"audit_key: expected bytes, got {type(audit_key).__name__}",
                "INVALID_ARGUMENT")
        keys = _key_list(trusted_keys)
        if keys is None and min_revision:
            raise InvalidOptionsError(
                "min_revision needs trusted_keys: without trust no revision is "
                "checked", "INVALID_ARGUMENT")
        if keys is None and revision_file is not None:
            raise InvalidOptionsError(
                "revision_file needs trusted_keys: without trust no revision is "
                "checked", "INVALID_ARGUMENT")
        return cls(_pip_policy.Engine.create(
            source, trusted_keys=keys, require_signature=bool(require_signature),
            min_revision=int(min_revision),
            revision_file=None if revision_file is None else _path(revision_file, "revision_file"),
            audit_log=None if audit_log is None else _path(audit_log, "audit_log"),
            audit_key=None if audit_key is None else bytes(audit_key)))

    @classmethod
    def default(cls, *, trusted_keys: Any = None, require_signature: bool = True,
                min_revision: int = 0, revision_file: Optional[PathLike] = None,
                audit_log: Optional[PathLike] = None,
                audit_key: Optional[bytes] = None) -> "Engine":
        """The policy embedded in the library (policies/default.textproto).
        It is unsigned: with ``trusted_keys`` it loads only when
        ``require_signature`` is False."""
        return cls._create(_pip_policy.PolicySource.default(), trusted_keys,
                           require_signature, min_revision, revision_file, audit_log,
                           audit_key)

    @classmethod
    def from_text(cls, text: Union[str, bytes], file: str = "", *,
                  signature: Union[bytes, str, None] = None,
                  trusted_keys: Any = None, require_signature: bool = True,
                  min_revision: int = 0, revision_file: Optional[PathLike] = None,
                  audit_log: Optional[PathLike] = None,
                  audit_key: Optional[bytes] = None) -> "Engine":
        """A text-format pip.v1.Policy. ``file`` only labels problems.
        ``signature`` (raw bytes or base64) is a detached Ed25519 signature
        over exactly the UTF-8 bytes of ``text``, checked before parsing.
        Raises InvalidPolicyError listing every problem,
        UntrustedPolicyError, PolicyRefusedError."""
        return cls._create(_text_source(text, file, signature), trusted_keys,
                           require_signature, min_revision, revision_file, audit_log,
                           audit_key)

    @classmethod
    def from_bytes(cls, data: bytes, file: str = "", *,
                   signature: Union[bytes, str, None] = None,
                   trusted_keys: Any = None, require_signature: bool = True,
                   min_revision: int = 0, revision_file: Optional[PathLike] = None,
                   audit_log: Optional[PathLike] = None,
                   audit_key: Optional[bytes] = None) -> "Engine":
        """A serialized (binary) pip.v1.Policy, optionally with a detached
        signature over exactly ``data``. Errors as :meth:`from_text`."""
        return cls._create(_binary_source(data, file, signature), trusted_keys,
                           require_signature, min_revision, revision_file, audit_log,
                           audit_key)

    @classmethod
    def from_file(cls, path: PathLike, *, signature: Optional[PathLike] = None,
                  trusted_keys: Any = None, require_signature: bool = True,
                  min_revision: int = 0, revision_file: Optional[PathLike] = None,
                  audit_log: Optional[PathLike] = None,
                  audit_key: Optional[bytes] = None) -> "Engine":
        """A policy file (binary when it ends in .binpb or .pb, text format
        otherwise). ``signature`` is the path of its signature file
        (conventionally ``path + ".sig"``); a missing signature file counts
        as no signature. Raises PolicyNotFoundError, PolicyReadError,
        InvalidPolicyError, UntrustedPolicyError, PolicyRefusedError."""
        return cls._create(_file_source(path, signature), trusted_keys,
                           require_signature, min_revision, revision_file, audit_log,
                           audit_key)

    def reload_text(self, text: Union[str, bytes], file: str = "", *,
                    signature: Union[bytes, str, None] = None) -> None:
        """Replaces the policy atomically, checked against the engine's
        trusted keys as :meth:`from_text` is (and no rollback); on error the
        running policy stays."""
        self._native.reload(_text_source(text, file, signature))

    def reload_bytes(self, data: bytes, file: str = "", *,
                     signature: Union[bytes, str, None] = None) -> None:
        """Replaces the policy from serialized bytes, as :meth:`reload_text`."""
        self._native.reload(_binary_source(data, file, signature))

    def reload_file(self, path: PathLike, *, signature: Optional[PathLike] = None) -> None:
        """Replaces the policy from a file, as :meth:`reload_text`."""
        self._native.reload(_file_source(path, signature))

    def reload_default(self) -> None:
        """Replaces the policy with the embedded default, as :meth:`reload_text`."""
        self._native.reload(_pip_policy.PolicySource.default())

    @property
    def policy_version(self) -> str:
        """The running policy's version string."""
        return self._native.policy_version

    @property
    def policy_hash(self) -> str:
        """Lowercase hex SHA-256 of the running policy."""
        return self._native.policy_hash

    # --- The questions, as dicts --------------------------------------------

    def purpose_allowed(self, request: Optional[PurposeAllowedRequest] = None, /,
                        **fields: Any) -> PurposeAllowedDecision:
        """May these categories be used for this purpose (and given to this
        recipient) now? Clauses 2, 4, 8.1. Returns a PurposeAllowedDecision."""
        return cast(PurposeAllowedDecision, self._decide("purpose_allowed", request, fields))

    def consent_check(self, request: Optional[ConsentCheckRequest] = None, /,
                      **fields: Any) -> ConsentCheckDecision:
        """Does a valid consent cover this use right now? Clauses 2.4, 2.5, 7.
        Returns a ConsentCheckDecision."""
        return cast(ConsentCheckDecision, self._decide("consent_check", request, fields))

    def retention_due(self, request: Optional[RetentionDueRequest] = None, /,
                      **fields: Any) -> RetentionDueDecision:
        """Must this record be deleted now, by when, and how? Clause 7.
        Returns a RetentionDueDecision."""
        return cast(RetentionDueDecision, self._decide("retention_due", request, fields))

    def request_validate(self, request: Optional[RequestValidateRequest] = None, /,
                         **fields: Any) -> RequestValidateDecision:
        """Is this data-subject request complete, what fee, what deadline,
        what to review? Clause 8. Returns a RequestValidateDecision."""
        return cast(RequestValidateDecision, self._decide("request_validate", request, fields))

    def contractor_check(self, request: Optional[ContractorCheckRequest] = None, /,
                         **fields: Any) -> ContractorCheckDecision:
        """May personal data be entrusted to this contractor now, and if
        not, what is missing? Clause 6; clause 5.1; APPI 25, 28. Returns a
        ContractorCheckDecision."""
        return cast(ContractorCheckDecision, self._decide("contractor_check", request, fields))

    def acquisition_check(self, request: Optional[AcquisitionCheckRequest] = None, /,
                          **fields: Any) -> AcquisitionCheckDecision:
        """May these categories be acquired through this channel now, and
        what must be done when they are? Clauses 2, 3; APPI 20(2), 21, 30.
        Returns an AcquisitionCheckDecision."""
        return cast(AcquisitionCheckDecision, self._decide("acquisition_check", request, fields))

    def incident_assess(self, request: Optional[IncidentAssessRequest] = None, /,
                        **fields: Any) -> IncidentAssessDecision:
        """Must this incident be reported to the Personal Information
        Protection Commission, must the people be notified, and by when?
        Clause 1.4; APPI 26; 施行規則 7, 8. Returns an IncidentAssessDecision."""
        return cast(IncidentAssessDecision, self._decide("incident_assess", request, fields))

    def complaint_route(self, request: Optional[ComplaintRouteRequest] = None, /,
                        **fields: Any) -> ComplaintRouteDecision:
        """Where does this complaint go next, who owns the step, and which
        outside bodies can the customer turn to? Clause 9. Returns a
        ComplaintRouteDecision."""
        return cast(ComplaintRouteDecision, self._decide("complaint_route", request, fields))

    # --- Whole columns (NumPy; pip_policy.columns) ----------------------------

    def retention_sweep(self, kinds: "npt.ArrayLike", event_at: "npt.ArrayLike",
                        held: "Optional[npt.ArrayLike]" = None, *, as_of: Any,
                        kind_ids: Optional[Sequence[str]] = None,
                        retain_until: bool = False) -> "RetentionSweep":
        """Must each record be deleted at ``as_of``? Clause 7, over columns:
        record ``i`` is of kind ``kind_ids[kinds[i]]``, its clock's event was
        at ``event_at[i]`` (NaT: none yet, for kinds whose event may be
        pending) and a hold keeps it when ``held[i]`` is true. The answer
        agrees with :meth:`retention_due` record by record.

        ``kinds`` are integer codes (int8-int64) into ``kind_ids``, the
        policy's retention kind ids; a pandas Categorical (or categorical
        Series) brings both, so ``kind_ids`` may then be left out.
        ``event_at`` is int64 Unix seconds or datetime64[s], [ms], [us] or
        [ns] (UTC); ``held`` bool or uint8. ``as_of`` is an aware datetime,
        an RFC 3339 str, a numpy.datetime64 or int Unix seconds.

        The columns are read in place, never copied; a column of another
        dtype, not one-dimensional or not C-contiguous raises
        InvalidRequestError naming it, as do columns of different lengths,
        a code outside ``kind_ids``, an unknown kind id, a time outside the
        years 1900-9999 and a missing event for a kind that needs one (the
        message names the record index). Nothing is returned then. The GIL
        is released for the whole sweep.

        Returns a :class:`pip_policy.columns.RetentionSweep`: ``due`` (bool
        array), ``retain_until`` (datetime64[D], the last day kept on the
        Tokyo calendar, NaT with no event; only when ``retain_until=True``)
        and the deciding policy's version and hash."""
        from pip_policy import columns
        codes, ids = columns.kind_codes(kinds, kind_ids)
        seconds, nanos = columns.as_of_parts(as_of)
        due, until, version, digest = self._native.retention_sweep(
            codes, columns.column(event_at, "event_at"), columns.column(held, "held"),
            ids, seconds, nanos, bool(retain_until))
        return columns.RetentionSweep(due, until, version, digest)

    def purpose_allowed_many(self, purpose: str, categories: Sequence[str],
                             recipient: Optional[str] = None, *, as_of: Any,
                             granted_at: "npt.ArrayLike", consent_version: int,
                             withdrawn_at: "Optional[npt.ArrayLike]" = None,
                             expires_at: "Optional[npt.ArrayLike]" = None,
                             birth_date: "Optional[npt.ArrayLike]" = None,
                             representative_consent: "Optional[npt.ArrayLike]" = None,
                             consent_categories: Optional[Sequence[str]] = None,
                             consent_purposes: Optional[Sequence[str]] = None,
                             consent_recipients: Optional[Sequence[str]] = None,
                             anonymized: bool = False, health_service: bool = False,
                             necessity_documented: bool = False) -> "PurposeColumns":
        """May ``categories`` be used for ``purpose`` (and given to
        ``recipient``) at ``as_of``, customer by customer? Clauses 2, 4,
        8.1; APPI 27, 28: :meth:`purpose_allowed` asked once per customer.

        Customer ``i`` either gave one consent at ``granted_at[i]`` (NaT:
        none) through the company's consent form, whose scope and version
        are the same for everyone: it names ``consent_categories`` (default:
        ``categories``), ``consent_purposes`` (default: ``[purpose]``) and
        ``consent_recipients`` (default: ``[recipient]``, or internal use
        only) under version ``consent_version``. The per-customer facts
        that decide whether that consent counts are the columns: when it
        was withdrawn (``withdrawn_at``, NaT: not), when it expires
        (``expires_at``), the customer's ``birth_date`` (datetime64[D]; a
        consent given below the policy's age of consent counts only with
        ``representative_consent``). Time columns take the dtypes of
        :meth:`retention_sweep`'s ``event_at``. A customer with a
        data-subject request in force (8.1) is not described by these
        columns: ask :meth:`purpose_allowed` with the request.

        Errors raise InvalidRequestError naming the argument (an unknown
        id, a column of another dtype or length, a birth date outside the
        years 1900-9999 with its index); nothing is returned then. The GIL
        is released while the customers are decided.

        Returns a :class:`pip_policy.columns.PurposeColumns`: ``allowed``
        (bool), ``reason`` (int32 pip.v1.ReasonCode numbers; names through
        ``reason_names()``) and the deciding policy's version and hash."""
        from pip_policy import columns
        cats = columns.id_list(categories, "categories")
        if cats is None:
            raise InvalidRequestError("categories: expected a list of category ids",
                                      "INVALID_ARGUMENT")
        seconds, nanos = columns.as_of_parts(as_of)
        if not isinstance(purpose, str):
            raise InvalidRequestError("purpose: expected a purpose id (str)", "INVALID_ARGUMENT")
        if recipient is not None and not isinstance(recipient, str):
            raise InvalidRequestError("recipient: expected a recipient id (str)", "INVALID_ARGUMENT")
        if isinstance(consent_version, bool) or not isinstance(consent_version, int) or not (
                -(1 << 31) <= consent_version < (1 << 31)):
            raise InvalidRequestError(
                f"consent_version: expected an int32 version number, got {consent_version!r}",
                "INVALID_ARGUMENT")
        allowed, reason, version, digest = self._native.purpose_allowed_columns(
            purpose, cats, recipient, bool(anonymized), bool(health_service),
            bool(necessity_documented), seconds, nanos,
            columns.column(granted_at, "granted_at"),
            columns.column(withdrawn_at, "withdrawn_at"),
            columns.column(expires_at, "expires_at"),
            columns.column(birth_date, "birth_date"),
            columns.column(representative_consent, "representative_consent"),
            columns.id_list(consent_categories, "consent_categories"),
            columns.id_list(consent_purposes, "consent_purposes"),
            columns.id_list(consent_recipients, "consent_recipients"),
            int(consent_version))
        return columns.PurposeColumns(allowed, reason, version, digest)

    def evaluate(self, request: EvalRequest) -> EvalResponse:
        """Evaluates a pip.v1.EvalRequest dict, ``{"<function>": {...}}``
        (one line of ``pipctl eval``), and returns the EvalResponse dict,
        ``{"<function>": decision}``. An error raises instead of returning
        ``{"error": ...}``."""
        response = self._evaluate(_to_json(request, "request"))
        if len(response) != 1 or next(iter(response)) not in FUNCTIONS:
            raise InternalError(f"unexpected response {sorted(response)}", "INTERNAL")
        return cast(EvalResponse, response)

    def evaluate_batch(self, requests: Iterable[EvalRequest]) -> List[EvalResponse]:
        """Evaluates many pip.v1.EvalRequest dicts on one policy, the one
        running when the call starts (even while another thread reloads),
        and returns one EvalResponse dict per request, in order: answer
        ``i`` answers ``requests[i]``, as ``pipctl eval`` answers line
        ``i``. A request that cannot be evaluated (not a dict, a naive
        datetime, an unknown field or id, a missing time; with an
        ``audit_log``, one whose decision cannot be recorded) does not
        raise: its answer is ``{"error": {"code": ..., "message": ...}}``,
        with the status code name and pip's message naming the field, and
        the requests after it are still decided. Only a batch of more than
        ``kMaxBatchRequests`` (pip/limits.h) requests raises
        InvalidRequestError, before anything is decided. The GIL is
        released while pip decides the whole batch."""
        if isinstance(requests, (Mapping, str, bytes)):
            raise InvalidRequestError(
                f"requests: expected a list of EvalRequest dicts, got "
                f"{type(requests).__name__}", "INVALID_ARGUMENT")
        try:
            items = list(requests)
        except TypeError:
            raise InvalidRequestError(
                f"requests: expected a list of EvalRequest dicts, got "
                f"{type(requests).__name__}", "INVALID_ARGUMENT") from None
        if len(items) > _MAX_BATCH_REQUESTS:
            raise InvalidRequestError(
                f"requests: {len(items)} requests, more than {_MAX_BATCH_REQUESTS} "
                f"in one batch (kMaxBatchRequests)", "INVALID_ARGUMENT")
        # Requests Python cannot write as JSON are answered here, in place;
        # the others go to pip in one call.
        answers: List[Any] = [None] * len(items)
        lines: List[str] = []
        sent: List[int] = []
        for i, request in enumerate(items):
            try:
                lines.append(_to_json(request, f"requests[{i}]"))
                sent.append(i)
            except InvalidRequestError as e:
                answers[i] = {"error": {"code": e.code, "message": e.message}}
        for i, answer in zip(sent, self._native.evaluate_json_batch(lines)):
            response = _from_json(answer)
            if not isinstance(response, dict) or len(response) != 1 or (
                    next(iter(response)) not in FUNCTIONS and "error" not in response):
                raise InternalError(f"pip answered {response!r} to requests[{i}]", "INTERNAL")
            answers[i] = response
        return cast(List[EvalResponse], answers)

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

    def contractor_check_pb(self, data: bytes) -> bytes:
        """Serialized ContractorCheckRequest in, ContractorCheckDecision out."""
        return self.decide_pb("contractor_check", data)

    def acquisition_check_pb(self, data: bytes) -> bytes:
        """Serialized AcquisitionCheckRequest in, AcquisitionCheckDecision out."""
        return self.decide_pb("acquisition_check", data)

    def incident_assess_pb(self, data: bytes) -> bytes:
        """Serialized IncidentAssessRequest in, IncidentAssessDecision out."""
        return self.decide_pb("incident_assess", data)

    def complaint_route_pb(self, data: bytes) -> bytes:
        """Serialized ComplaintRouteRequest in, ComplaintRouteDecision out."""
        return self.decide_pb("complaint_route", data)

    def evaluate_pb(self, data: bytes) -> bytes:
        """Serialized EvalRequest in, EvalResponse out; an error raises
        instead of coming back in EvalResponse.error."""
        return self._native.evaluate_pb(_as_bytes(data, "data"))

    # --- Plumbing -----------------------------------------------------------

    def _evaluate(self, request_json: str) -> Decision:
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
        return cast(Decision, decision)

    def __repr__(self) -> str:
        return f"<pip_policy.Engine policy_version={self.policy_version!r}>"
