"""The requests and decisions of pip's JSON contract as TypedDicts.

Generated from proto/pip/v1/decision.proto by bindings/python/gen_types.py;
do not edit. At run time requests and decisions are plain dicts: these types
only let a type checker (mypy, pyright) check the keys and values a program
writes and reads. ``Engine.purpose_allowed`` takes a
:class:`PurposeAllowedRequest` and returns a :class:`PurposeAllowedDecision`,
and so on for every function of :data:`pip_policy.FUNCTIONS`.

Requests are total=False: a field left out takes its default (docs/json.md).
Times are RFC 3339 strings or aware ``datetime`` objects. Decisions hold
every field, with its default when empty, except the ids of a
:class:`Reason` and a singular message other than ``policy`` (such as
``provision_record``), which are present only when they apply.
"""

from __future__ import annotations

import datetime
from typing import Literal, Sequence, TypedDict, Union

Time = Union[str, datetime.datetime]
"""A time in a request: an RFC 3339 string or an aware datetime."""

RequestStatus = Literal[
    "REQUEST_STATUS_UNSPECIFIED",
    "REQUEST_RECEIVED",
    "REQUEST_CARRIED_OUT",
    "REQUEST_REJECTED",
    "REQUEST_WITHDRAWN",
]
"""pip.v1.RequestStatus: the names of its values."""

ProviderRole = Literal[
    "PROVIDER_ROLE_UNSPECIFIED",
    "PROVIDER_THIRD_PARTY",
    "PROVIDER_CONTRACTOR",
    "PROVIDER_SUCCESSOR",
    "PROVIDER_JOINT_USER",
]
"""pip.v1.ProviderRole: the names of its values."""

PublishedBy = Literal[
    "PUBLISHED_BY_UNSPECIFIED",
    "PUBLISHED_BY_DATA_SUBJECT",
    "PUBLISHED_BY_PUBLIC_BODY",
    "PUBLISHED_BY_PRESS",
    "PUBLISHED_BY_OTHER",
]
"""pip.v1.PublishedBy: the names of its values."""

IncidentKind = Literal[
    "INCIDENT_KIND_UNSPECIFIED",
    "INCIDENT_LEAK",
    "INCIDENT_LOSS",
    "INCIDENT_DAMAGE",
]
"""pip.v1.IncidentKind: the names of its values."""

Encryption = Literal[
    "ENCRYPTION_UNSPECIFIED",
    "ENCRYPTION_NONE",
    "ENCRYPTION_HIGH_LEVEL",
]
"""pip.v1.Encryption: the names of its values."""

KeyStatus = Literal[
    "KEY_STATUS_UNSPECIFIED",
    "KEY_LEAKED",
    "KEY_SAFE",
]
"""pip.v1.KeyStatus: the names of its values."""

ReasonCode = Literal[
    "REASON_CODE_UNSPECIFIED",
    "PURPOSE_PERMITTED",
    "CONSENT_RELIED",
    "CONSENT_REQUIRED",
    "NOT_HEALTH_SERVICE",
    "PURPOSE_NOT_PERMITTED_FOR_CATEGORY",
    "NECESSITY_NOT_DOCUMENTED",
    "NOT_ANONYMIZED",
    "SUSPENDED_BY_REQUEST",
    "THIRD_PARTY_STOPPED",
    "RECIPIENT_CONSENT_REQUIRED",
    "LEGAL_GROUND_APPLIES",
    "PROVISION_RECORD_REQUIRED",
    "PROVISION_RECORD_NOT_REQUIRED",
    "NO_CONSENT",
    "WITHDRAWN",
    "EXPIRED",
    "NOT_YET_VALID",
    "OUT_OF_SCOPE",
    "STALE_VERSION",
    "SUBJECT_MISMATCH",
    "CATEGORY_NOT_NAMED",
    "MINOR_WITHOUT_REPRESENTATIVE",
    "PERIOD_RUNNING",
    "CLOCK_NOT_STARTED",
    "HOLD_APPLIES",
    "STATUTORY_FLOOR_APPLIES",
    "CATEGORY_NOT_RETAINED_BY_KIND",
    "ERASURE_CARRIED_OUT",
    "ERASURE_DEFERRED_BY_LAW",
    "CHANNEL_NOT_ACCEPTED",
    "DOCUMENT_MISSING",
    "IDENTITY_NOT_VERIFIED",
    "FEE_UNPAID",
    "FEE_NOT_CHARGEABLE",
    "RESPONSE_OVERDUE",
    "REVIEW_REQUIRED",
    "FEE_OVERPAID",
    "ACQUISITION_PERMITTED",
    "CATEGORY_NOT_ACQUIRED_BY_CHANNEL",
    "ACQUISITION_CONSENT_REQUIRED",
    "PUBLISHED_EXCEPTION_APPLIES",
    "SPECIAL_CARE_GROUND_APPLIES",
    "PURPOSE_NOT_STATED",
    "PURPOSE_STATED",
    "PURPOSES_PUBLISHED",
    "CONFIRMATION_MISSING",
    "CONFIRMATION_RECORD_REQUIRED",
    "CONFIRMATION_NOT_REQUIRED",
    "CONTRACTOR_QUALIFIED",
    "SELECTION_CRITERION_NOT_MET",
    "CONTRACT_TERM_MISSING",
    "SUPERVISION_CHECK_MISSING",
    "SUPERVISION_CHECK_OVERDUE",
    "SUPERVISION_MEASURE_OUTSTANDING",
    "OVERSEAS_BASIS_MISSING",
    "CONTINUING_MEASURES_MISSING",
    "OVERSEAS_CONSENT_BASIS",
    "OVERSEAS_EQUIVALENT_MEASURES_BASIS",
    "INCIDENT_REPORTABLE",
    "INCIDENT_NOT_REPORTABLE",
    "SPECIAL_CARE_DATA_INVOLVED",
    "FINANCIAL_HARM_POSSIBLE",
    "WRONGFUL_PURPOSE_SUSPECTED",
    "DOCUMENTS_OR_DEVICES_STOLEN",
    "DATA_BEING_ACQUIRED",
    "DATA_BEING_ACQUIRED_NOT_COVERED",
    "PEOPLE_OVER_THRESHOLD",
    "PEOPLE_COUNT_UNKNOWN",
    "ENCRYPTION_EXCLUDES",
    "ENCRYPTION_NOT_CONFIRMED",
    "NOTIFY_PEOPLE",
    "NOTICE_DIFFICULT",
    "PRELIMINARY_REPORT_DUE",
    "FINAL_REPORT_DUE",
    "PRELIMINARY_REPORT_LATE",
    "FINAL_REPORT_LATE",
    "INCIDENT_DUTY",
    "COMPLAINT_NEXT_STEP",
    "COMPLAINT_CLOSED",
    "EXTERNAL_BODY",
]
"""pip.v1.ReasonCode: the names of its values."""

NextStep = Literal[
    "NEXT_STEP_UNSPECIFIED",
    "FIX_CHANNEL",
    "COLLECT_DOCUMENTS",
    "COLLECT_FEE",
    "VERIFY_IDENTITY",
    "HUMAN_REVIEW",
    "RESPOND",
]
"""pip.v1.NextStep: the names of its values."""

OverseasBasis = Literal[
    "OVERSEAS_BASIS_UNSPECIFIED",
    "OVERSEAS_BASIS_CONSENT",
    "OVERSEAS_BASIS_EQUIVALENT_MEASURES",
    "OVERSEAS_BASIS_NONE",
]
"""pip.v1.OverseasBasis: the names of its values."""


class UseContext(TypedDict, total=False):
    """pip.v1.UseContext in a request (all keys optional)."""

    anonymized: bool
    health_service: bool
    necessity_documented: bool


class Consent(TypedDict, total=False):
    """pip.v1.Consent in a request (all keys optional)."""

    id: str
    subject_id: str
    categories: Sequence[str]
    purposes: Sequence[str]
    recipients: Sequence[str]
    granted_at: Time
    withdrawn_at: Time
    expires_at: Time
    consent_version: int
    subject_birth_date: str
    representative_consent: bool


class ActiveRequest(TypedDict, total=False):
    """pip.v1.ActiveRequest in a request (all keys optional)."""

    type: str
    received_at: Time
    id: str
    status: RequestStatus
    purposes: Sequence[str]
    categories: Sequence[str]
    decided_at: Time


class LegalGround(TypedDict, total=False):
    """pip.v1.LegalGround in a request (all keys optional)."""

    ground: str
    reference: str


class PurposeAllowedRequest(TypedDict, total=False):
    """pip.v1.PurposeAllowedRequest in a request (all keys optional)."""

    subject_id: str
    purpose: str
    categories: Sequence[str]
    recipient: str
    context: UseContext
    consents: Sequence[Consent]
    active_requests: Sequence[ActiveRequest]
    as_of: Time
    legal_ground: LegalGround


class ConsentCheckRequest(TypedDict, total=False):
    """pip.v1.ConsentCheckRequest in a request (all keys optional)."""

    subject_id: str
    categories: Sequence[str]
    purposes: Sequence[str]
    recipient: str
    consents: Sequence[Consent]
    as_of: Time


class Hold(TypedDict, total=False):
    """pip.v1.Hold in a request (all keys optional)."""

    type: str
    until: Time
    id: str


class Erasure(TypedDict, total=False):
    """pip.v1.Erasure in a request (all keys optional)."""

    type: str
    carried_out_at: Time
    id: str


class RetentionDueRequest(TypedDict, total=False):
    """pip.v1.RetentionDueRequest in a request (all keys optional)."""

    kind: str
    event_at: Time
    holds: Sequence[Hold]
    as_of: Time
    categories: Sequence[str]
    erasures: Sequence[Erasure]


class RequestValidateRequest(TypedDict, total=False):
    """pip.v1.RequestValidateRequest in a request (all keys optional)."""

    type: str
    channel: str
    received_at: Time
    requester: str
    documents: Sequence[str]
    identity_verified: bool
    fee_paid_jpy: int
    review: Sequence[str]
    as_of: Time


class Provider(TypedDict, total=False):
    """pip.v1.Provider in a request (all keys optional)."""

    name: str
    address: str
    representative: str
    how_obtained: str
    role: ProviderRole
    legal_ground: LegalGround


class AcquisitionCheckRequest(TypedDict, total=False):
    """pip.v1.AcquisitionCheckRequest in a request (all keys optional)."""

    subject_id: str
    channel: str
    categories: Sequence[str]
    consents: Sequence[Consent]
    purpose_stated: bool
    published_by: PublishedBy
    legal_ground: LegalGround
    provider: Provider
    as_of: Time


class ContractorCheckRequest(TypedDict, total=False):
    """pip.v1.ContractorCheckRequest in a request (all keys optional)."""

    contractor_id: str
    criteria_met: Sequence[str]
    contract_terms: Sequence[str]
    last_checked_at: Time
    supervision_outstanding: Sequence[str]
    country: str
    informed_consent: bool
    equivalent_measures: bool
    continuing_measures: bool
    as_of: Time


class IncidentAssessRequest(TypedDict, total=False):
    """pip.v1.IncidentAssessRequest in a request (all keys optional)."""

    kind: IncidentKind
    suspected: bool
    categories: Sequence[str]
    people: int
    people_unknown: bool
    wrongful_purpose: bool
    financial_harm: bool
    encryption: Encryption
    key: KeyStatus
    stolen: bool
    being_acquired: bool
    notice_difficult: bool
    aware_at: Time
    as_of: Time


class ComplaintRouteRequest(TypedDict, total=False):
    """pip.v1.ComplaintRouteRequest in a request (all keys optional)."""

    state: str
    not_needed: Sequence[str]
    resolution_difficult: bool
    as_of: Time


class _ReasonAlways(TypedDict):
    code: ReasonCode
    clause: str
    message_ja: str
    message_en: str


class Reason(_ReasonAlways, total=False):
    """pip.v1.Reason as a decision dict."""

    category: str
    purpose: str
    recipient: str
    consent_id: str
    request_type: str
    request_id: str
    hold_type: str
    document: str
    hold_id: str
    review_ground: str
    article: str
    provision: str
    channel: str


class CoveredCategory(TypedDict):
    """pip.v1.CoveredCategory as a decision dict."""

    category: str
    consent_id: str


class ProvisionRecordDuty(TypedDict):
    """pip.v1.ProvisionRecordDuty as a decision dict."""

    required: bool
    article: str
    retention_kind: str
    keep_years: int
    contract_document_keep_years: int
    period_article: str


class PolicyStamp(TypedDict):
    """pip.v1.PolicyStamp as a decision dict."""

    version: str
    hash: str


class _PurposeAllowedDecisionAlways(TypedDict):
    allowed: bool
    reasons: list[Reason]
    covered_by: list[CoveredCategory]
    policy: PolicyStamp


class PurposeAllowedDecision(_PurposeAllowedDecisionAlways, total=False):
    """pip.v1.PurposeAllowedDecision as a decision dict."""

    provision_record: ProvisionRecordDuty


class ConsentCheckDecision(TypedDict):
    """pip.v1.ConsentCheckDecision as a decision dict."""

    valid: bool
    consent_id: str
    reasons: list[Reason]
    covered_by: list[CoveredCategory]
    policy: PolicyStamp


class RetentionDueDecision(TypedDict):
    """pip.v1.RetentionDueDecision as a decision dict."""

    due: bool
    retain_until: str
    due_at: str
    deletion_method: str
    clause: str
    reasons: list[Reason]
    deletion_method_ja: str
    deletion_method_en: str
    period_ended: bool
    needs_review: list[Reason]
    policy: PolicyStamp


class RequestValidateDecision(TypedDict):
    """pip.v1.RequestValidateDecision as a decision dict."""

    valid: bool
    missing: list[str]
    errors: list[Reason]
    fee_due_jpy: int
    respond_by: str
    overdue: bool
    needs_review: list[Reason]
    next_step: NextStep
    reasons: list[Reason]
    warnings: list[Reason]
    identity_verified: bool
    fee_unpaid_jpy: int
    policy: PolicyStamp


class _AcquisitionCheckDecisionAlways(TypedDict):
    allowed: bool
    reasons: list[Reason]
    covered_by: list[CoveredCategory]
    missing: list[str]
    policy: PolicyStamp


class AcquisitionCheckDecision(_AcquisitionCheckDecisionAlways, total=False):
    """pip.v1.AcquisitionCheckDecision as a decision dict."""

    confirmation_record: ProvisionRecordDuty


class _ContractorCheckDecisionAlways(TypedDict):
    allowed: bool
    reasons: list[Reason]
    next_check_by: str
    last_checked_on: str
    overseas_basis: OverseasBasis
    recipient: str
    policy: PolicyStamp


class ContractorCheckDecision(_ContractorCheckDecisionAlways, total=False):
    """pip.v1.ContractorCheckDecision as a decision dict."""

    provision_record: ProvisionRecordDuty


class IncidentAssessDecision(TypedDict):
    """pip.v1.IncidentAssessDecision as a decision dict."""

    reportable: bool
    grounds: list[Reason]
    notify_people: bool
    preliminary_report_earliest: str
    preliminary_report_latest: str
    final_report_by: str
    final_report_days: int
    reasons: list[Reason]
    needs_review: list[Reason]
    warnings: list[Reason]
    duties: list[Reason]
    aware_on: str
    policy: PolicyStamp


class ComplaintRouteDecision(TypedDict):
    """pip.v1.ComplaintRouteDecision as a decision dict."""

    next_step: str
    owner: str
    owner_ja: str
    owner_en: str
    closed: bool
    reasons: list[Reason]
    external_bodies: list[Reason]
    policy: PolicyStamp


class Error(TypedDict):
    """pip.v1.Error as a decision dict."""

    code: str
    message: str


class EvalRequest(TypedDict, total=False):
    """pip.v1.EvalRequest: exactly one key, the function to ask."""

    purpose_allowed: PurposeAllowedRequest
    consent_check: ConsentCheckRequest
    retention_due: RetentionDueRequest
    request_validate: RequestValidateRequest
    acquisition_check: AcquisitionCheckRequest
    contractor_check: ContractorCheckRequest
    incident_assess: IncidentAssessRequest
    complaint_route: ComplaintRouteRequest


class EvalResponse(TypedDict, total=False):
    """pip.v1.EvalResponse: exactly one key, the function asked (its
    decision) or ``error`` (only in the answers of ``evaluate_batch``)."""

    purpose_allowed: PurposeAllowedDecision
    consent_check: ConsentCheckDecision
    retention_due: RetentionDueDecision
    request_validate: RequestValidateDecision
    acquisition_check: AcquisitionCheckDecision
    contractor_check: ContractorCheckDecision
    incident_assess: IncidentAssessDecision
    complaint_route: ComplaintRouteDecision
    error: Error


__all__ = [
    "Time",
    "Encryption",
    "IncidentKind",
    "KeyStatus",
    "NextStep",
    "OverseasBasis",
    "ProviderRole",
    "PublishedBy",
    "ReasonCode",
    "RequestStatus",
    "UseContext",
    "Consent",
    "ActiveRequest",
    "LegalGround",
    "PurposeAllowedRequest",
    "ConsentCheckRequest",
    "Hold",
    "Erasure",
    "RetentionDueRequest",
    "RequestValidateRequest",
    "Provider",
    "AcquisitionCheckRequest",
    "ContractorCheckRequest",
    "IncidentAssessRequest",
    "ComplaintRouteRequest",
    "Reason",
    "CoveredCategory",
    "ProvisionRecordDuty",
    "PolicyStamp",
    "PurposeAllowedDecision",
    "ConsentCheckDecision",
    "RetentionDueDecision",
    "RequestValidateDecision",
    "AcquisitionCheckDecision",
    "ContractorCheckDecision",
    "IncidentAssessDecision",
    "ComplaintRouteDecision",
    "Error",
    "EvalRequest",
    "EvalResponse",
]
