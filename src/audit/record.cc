#include "src/audit/record.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "google/protobuf/util/time_util.h"
#include "src/internal/digest.h"

namespace pip {
namespace audit_internal {
namespace {

void PseudonymizeIn(const AuditKey& key, std::string* id) {
  if (!id->empty()) *id = key.Pseudonym(*id);
}

void PseudonymizeConsents(
    const AuditKey& key,
    google::protobuf::RepeatedPtrField<v1::Consent>* consents) {
  for (v1::Consent& c : *consents) {
    PseudonymizeIn(key, c.mutable_id());
    PseudonymizeIn(key, c.mutable_subject_id());
  }
}

std::string PseudonymOrEmpty(const AuditKey& key, const std::string& id) {
  return id.empty() ? std::string() : key.Pseudonym(id);
}

void AddReasons(const AuditKey& key,
                const google::protobuf::RepeatedPtrField<v1::Reason>& reasons,
                v1::AuditRecord* record) {
  for (const v1::Reason& r : reasons) {
    v1::AuditReason* out = record->add_reasons();
    out->set_code(r.code());
    out->set_clause(r.clause());
    out->set_category(r.category());
    out->set_purpose(r.purpose());
    out->set_recipient(r.recipient());
    out->set_request_type(r.request_type());
    out->set_hold_type(r.hold_type());
    out->set_document(r.document());
    out->set_consent_pseudonym(PseudonymOrEmpty(key, r.consent_id()));
    out->set_request_pseudonym(PseudonymOrEmpty(key, r.request_id()));
    out->set_hold_pseudonym(PseudonymOrEmpty(key, r.hold_id()));
  }
}

}  // namespace

v1::PurposeAllowedRequest Pseudonymized(const AuditKey& key,
                                        v1::PurposeAllowedRequest request) {
  PseudonymizeIn(key, request.mutable_subject_id());
  PseudonymizeConsents(key, request.mutable_consents());
  for (v1::ActiveRequest& r : *request.mutable_active_requests()) {
    PseudonymizeIn(key, r.mutable_id());
  }
  return request;
}

v1::ConsentCheckRequest Pseudonymized(const AuditKey& key,
                                      v1::ConsentCheckRequest request) {
  PseudonymizeIn(key, request.mutable_subject_id());
  PseudonymizeConsents(key, request.mutable_consents());
  return request;
}

v1::RetentionDueRequest Pseudonymized(const AuditKey& key,
                                      v1::RetentionDueRequest request) {
  for (v1::Hold& h : *request.mutable_holds()) {
    PseudonymizeIn(key, h.mutable_id());
  }
  return request;
}

v1::RequestValidateRequest Pseudonymized(const AuditKey&,
                                         v1::RequestValidateRequest request) {
  // A request_validate request holds no id of a person or record.
  return request;
}

template <typename Request>
std::string RequestDigest(const AuditKey& key, const Request& request) {
  return internal::Sha256Hex(
      internal::DeterministicBytes(Pseudonymized(key, request)));
}

template std::string RequestDigest(const AuditKey&,
                                   const v1::PurposeAllowedRequest&);
template std::string RequestDigest(const AuditKey&,
                                   const v1::ConsentCheckRequest&);
template std::string RequestDigest(const AuditKey&,
                                   const v1::RetentionDueRequest&);
template std::string RequestDigest(const AuditKey&,
                                   const v1::RequestValidateRequest&);

namespace {

// What each function's decision adds to its record.
void AddOutcome(const AuditKey& key, const v1::PurposeAllowedDecision& d,
                v1::AuditRecord* record) {
  record->set_outcome(d.allowed() ? v1::OUTCOME_ALLOWED : v1::OUTCOME_DENIED);
  AddReasons(key, d.reasons(), record);
}

void AddOutcome(const AuditKey& key, const v1::ConsentCheckDecision& d,
                v1::AuditRecord* record) {
  record->set_outcome(d.valid() ? v1::OUTCOME_CONSENT_VALID
                                : v1::OUTCOME_CONSENT_INVALID);
  record->set_consent_pseudonym(PseudonymOrEmpty(key, d.consent_id()));
  AddReasons(key, d.reasons(), record);
}

void AddOutcome(const AuditKey& key, const v1::RetentionDueDecision& d,
                v1::AuditRecord* record) {
  record->set_outcome(d.due() ? v1::OUTCOME_DUE : v1::OUTCOME_NOT_DUE);
  AddReasons(key, d.reasons(), record);
}

void AddOutcome(const AuditKey& key, const v1::RequestValidateDecision& d,
                v1::AuditRecord* record) {
  record->set_outcome(d.valid() ? v1::OUTCOME_REQUEST_VALID
                                : v1::OUTCOME_REQUEST_INVALID);
  AddReasons(key, d.reasons(), record);
  AddReasons(key, d.warnings(), record);
}

// The subject of the functions that have one.
std::string SubjectPseudonym(const AuditKey& key,
                             const v1::PurposeAllowedRequest& r) {
  return PseudonymOrEmpty(key, r.subject_id());
}
std::string SubjectPseudonym(const AuditKey& key,
                             const v1::ConsentCheckRequest& r) {
  return PseudonymOrEmpty(key, r.subject_id());
}
std::string SubjectPseudonym(const AuditKey&, const v1::RetentionDueRequest&) {
  return std::string();
}
std::string SubjectPseudonym(const AuditKey&,
                             const v1::RequestValidateRequest&) {
  return std::string();
}

template <typename Request, typename Decision>
v1::AuditRecord Make(const AuditKey& key, const PolicyFacts& policy,
                     absl::string_view function, const Request& request,
                     const absl::StatusOr<Decision>& decision) {
  v1::AuditRecord record;
  *record.mutable_as_of() = request.as_of();
  record.set_policy_version(std::string(policy.version));
  record.set_policy_hash(std::string(policy.hash));
  record.set_policy_revision(policy.revision);
  record.set_function(std::string(function));
  record.set_subject_pseudonym(SubjectPseudonym(key, request));
  record.set_request_digest(RequestDigest(key, request));
  record.set_key_id(key.id());
  if (decision.ok()) {
    AddOutcome(key, *decision, &record);
  } else {
    record.set_outcome(v1::OUTCOME_ERROR);
    record.set_error_code(absl::StatusCodeToString(decision.status().code()));
  }
  return record;
}

}  // namespace

v1::AuditRecord MakeRecord(
    const AuditKey& key, const PolicyFacts& policy,
    const v1::PurposeAllowedRequest& request,
    const absl::StatusOr<v1::PurposeAllowedDecision>& decision) {
  return Make(key, policy, "purpose_allowed", request, decision);
}

v1::AuditRecord MakeRecord(
    const AuditKey& key, const PolicyFacts& policy,
    const v1::ConsentCheckRequest& request,
    const absl::StatusOr<v1::ConsentCheckDecision>& decision) {
  return Make(key, policy, "consent_check", request, decision);
}

v1::AuditRecord MakeRecord(
    const AuditKey& key, const PolicyFacts& policy,
    const v1::RetentionDueRequest& request,
    const absl::StatusOr<v1::RetentionDueDecision>& decision) {
  return Make(key, policy, "retention_due", request, decision);
}

v1::AuditRecord MakeRecord(
    const AuditKey& key, const PolicyFacts& policy,
    const v1::RequestValidateRequest& request,
    const absl::StatusOr<v1::RequestValidateDecision>& decision) {
  return Make(key, policy, "request_validate", request, decision);
}

absl::Status Send(AuditSink& sink, v1::AuditRecord record) {
  *record.mutable_recorded_at() =
      google::protobuf::util::TimeUtil::NanosecondsToTimestamp(
          absl::ToUnixNanos(absl::Now()));
  const absl::Status stored = sink.Record(record);
  if (stored.ok()) return stored;
  return absl::UnavailableError(absl::StrCat(
      "audit log: the decision could not be recorded, so it is withheld: ",
      stored.message()));
}

}  // namespace audit_internal
}  // namespace pip
