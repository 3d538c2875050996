// Building decision-log records (pip.v1.AuditRecord) from a request and its
// decision or error, for any decision function, with every personal id
// pseudonymized: the fields the schema marks (pip.v1.personal). Internal to
// pip; the definitions are in proto/pip/v1/audit.proto.
#ifndef PIP_SRC_AUDIT_RECORD_H_
#define PIP_SRC_AUDIT_RECORD_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/message.h"
#include "pip/audit.h"
#include "pip/v1/audit.pb.h"

namespace pip {
namespace audit_internal {

// The policy a decision was made under.
struct PolicyFacts {
  absl::string_view version;
  absl::string_view hash;
  int64_t revision = 0;
};

// Replaces every string field of `message` (and of the messages inside it)
// marked (pip.v1.personal) by its pseudonym under `key`; empty ones stay
// empty.
void Pseudonymize(const AuditKey& key, google::protobuf::Message* message);

// request_digest of audit.proto: hex SHA-256 of the deterministic
// serialization of `request` pseudonymized.
std::string RequestDigest(const AuditKey& key,
                          const google::protobuf::Message& request);

// What was decided: `outcome`, and the decision (a pip.v1.<Name>Decision)
// when `error` is OK.
struct Outcome {
  v1::AuditOutcome outcome = v1::OUTCOME_ERROR;
  const google::protobuf::Message* decision = nullptr;
  absl::Status error;
};

// The record of one evaluation of function `function` (its EvalRequest
// member name) on `request` (a pip.v1.<Name>Request): every field but
// recorded_at, seq, prev_chain and chain. The subject is the request's
// `subject_id` field, where it has one; the consent relied on, the
// decision's `consent_id`; the reasons, every pip.v1.Reason of the decision
// in the order of its fields.
v1::AuditRecord MakeRecord(const AuditKey& key, const PolicyFacts& policy,
                           absl::string_view function,
                           const google::protobuf::Message& request,
                           const Outcome& outcome);

// Stamps `record` with the current time and sends it to `sink`. Returns
// UnavailableError naming the log when the sink fails, whatever code the
// sink gave: the decision must then be withheld.
absl::Status Send(AuditSink& sink, v1::AuditRecord record);

}  // namespace audit_internal
}  // namespace pip

#endif  // PIP_SRC_AUDIT_RECORD_H_
