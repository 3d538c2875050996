// request_validate: is this data-subject request (開示等請求) complete, what
// fee, what deadline, what to review? Clause 8.
#ifndef PIP_SRC_EVAL_REQUEST_VALIDATE_H_
#define PIP_SRC_EVAL_REQUEST_VALIDATE_H_

#include "absl/status/status.h"
#include "src/eval/civil_period.h"
#include "src/eval/eval_types.h"

namespace pip {
namespace eval_internal {

// Evaluates a request_validate query:
//  - 8.2: a channel that does not accept requests (CHANNEL_NOT_ACCEPTED);
//  - 8.2, 8.3: each document the requester must submit (DOCUMENT_MISSING);
//  - 8.2: identity verified before the response (IDENTITY_NOT_VERIFIED);
//  - 8.3: the fee of the type (FEE_UNPAID; FEE_NOT_CHARGEABLE when a free
//    type was charged, FEE_OVERPAID when more than a type's fee was paid);
//  - 8.2: respond within the response period of receipt, the day of receipt
//    not counted (RESPONSE_OVERDUE once past);
//  - 8.3: refusal grounds flagged for a person's review (REVIEW_REQUIRED).
// The request is valid when nothing is missing and the channel accepts it.
// The handles and sets of `f` must be of `policy`, its times in range (the
// resolver and Snapshot check them); the caller then checks the verdict
// with CheckRespondByInRange(). Sets every field of `*v` but reason and
// clause (a default RequestVerdict before the call).
template <typename Sink>
void EvaluateRequestValidate(const CompiledPolicy& policy,
                             const RequestFacts& f, Sink& sink,
                             RequestVerdict* v);

// The same, returning the verdict.
template <typename Sink>
RequestVerdict EvaluateRequestValidate(const CompiledPolicy& policy,
                                       const RequestFacts& f, Sink& sink) {
  RequestVerdict v;
  EvaluateRequestValidate(policy, f, sink, &v);
  return v;
}

// The last respond_by pip can answer with: 9999-12-31 (kMaxYear), as a Unix
// day of the Tokyo calendar.
inline constexpr int64_t kLastRespondByDay = kLastDeadlineDay;

// InvalidArgumentError naming received_at and the limit when the response
// period ends after kLastRespondByDay: every date pip prints is one it
// accepts.
absl::Status CheckRespondByInRange(const RequestVerdict& verdict);

}  // namespace eval_internal
}  // namespace pip

#endif  // PIP_SRC_EVAL_REQUEST_VALIDATE_H_
