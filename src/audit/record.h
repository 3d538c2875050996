// Building decision-log records (pip.v1.AuditRecord) from a request and its
// decision or error, with every personal id pseudonymized. Internal to pip;
// the definitions are in proto/pip/v1/audit.proto.
#ifndef PIP_SRC_AUDIT_RECORD_H_
#define PIP_SRC_AUDIT_RECORD_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "pip/audit.h"
#include "pip/v1/audit.pb.h"
#include "pip/v1/decision.pb.h"

namespace pip {
namespace audit_internal {

// The policy a decision was made under.
struct PolicyFacts {
  absl::string_view version;
  absl::string_view hash;
  int64_t revision = 0;
};

// The request with every personal id (subject, consent, request and hold
// ids) replaced by its pseudonym under `key`.
v1::PurposeAllowedRequest Pseudonymized(const AuditKey& key,
                                        v1::PurposeAllowedRequest request);
v1::ConsentCheckRequest Pseudonymized(const AuditKey& key,
                                      v1::ConsentCheckRequest request);
v1::RetentionDueRequest Pseudonymized(const AuditKey& key,
                                      v1::RetentionDueRequest request);
v1::RequestValidateRequest Pseudonymized(const AuditKey& key,
                                         v1::RequestValidateRequest request);

// request_digest of audit.proto: hex SHA-256 of the deterministic
// serialization of Pseudonymized(key, request).
template <typename Request>
std::string RequestDigest(const AuditKey& key, const Request& request);

// The record of one evaluation; every field but recorded_at, seq,
// prev_chain and chain.
v1::AuditRecord MakeRecord(
    const AuditKey& key, const PolicyFacts& policy,
    const v1::PurposeAllowedRequest& request,
    const absl::StatusOr<v1::PurposeAllowedDecision>& decision);
v1::AuditRecord MakeRecord(
    const AuditKey& key, const PolicyFacts& policy,
    const v1::ConsentCheckRequest& request,
    const absl::StatusOr<v1::ConsentCheckDecision>& decision);
v1::AuditRecord MakeRecord(
    const AuditKey& key, const PolicyFacts& policy,
    const v1::RetentionDueRequest& request,
    const absl::StatusOr<v1::RetentionDueDecision>& decision);
v1::AuditRecord MakeRecord(
    const AuditKey& key, const PolicyFacts& policy,
    const v1::RequestValidateRequest& request,
    const absl::StatusOr<v1::RequestValidateDecision>& decision);

// Stamps `record` with the current time and sends it to `sink`. Returns
// UnavailableError naming the log when the sink fails, whatever code the
// sink gave: the decision must then be withheld.
absl::Status Send(AuditSink& sink, v1::AuditRecord record);

}  // namespace audit_internal
}  // namespace pip

#endif  // PIP_SRC_AUDIT_RECORD_H_
