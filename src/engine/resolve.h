// Resolution of pip.v1 request messages into the evaluators' views: string
// ids to dense ids, Timestamps to absl::Time, limits enforced. Every error is
// InvalidArgument naming the request field.
#ifndef PIP_SRC_ENGINE_RESOLVE_H_
#define PIP_SRC_ENGINE_RESOLVE_H_

#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "pip/handles.h"
#include "pip/limits.h"
#include "pip/v1/decision.pb.h"
#include "src/codec/wire_request.h"
#include "src/eval/eval_types.h"

namespace pip {
namespace engine_internal {

using eval_internal::ConsentView;
using eval_internal::HoldView;
using eval_internal::RequestView;
using policy_internal::CompiledPolicy;

using time_internal::InTimeRange;
using time_internal::kEndUnixSeconds;
using time_internal::kMinUnixSeconds;

// InvalidArgument: `field` is outside the years pip accepts.
absl::Status TimeRangeError(absl::string_view field);

// Each Resolved* owns the storage its query's spans point into: fill it in
// place and do not copy or move it afterwards.
struct ResolvedPurposeAllowed {
  eval_internal::PurposeQuery query;
  std::vector<ConsentView> consents;
  std::vector<RequestView> requests;
};
absl::Status Resolve(const CompiledPolicy& policy,
                     const v1::PurposeAllowedRequest& request,
                     ResolvedPurposeAllowed* out);
// The same resolution of a request read from the wire (wire_request.h).
absl::Status Resolve(const CompiledPolicy& policy,
                     const WirePurposeAllowedRequest& request,
                     ResolvedPurposeAllowed* out);

struct ResolvedConsentCheck {
  eval_internal::ConsentQuery query;
  std::vector<ConsentView> consents;
};
absl::Status Resolve(const CompiledPolicy& policy,
                     const v1::ConsentCheckRequest& request,
                     ResolvedConsentCheck* out);
absl::Status Resolve(const CompiledPolicy& policy,
                     const WireConsentCheckRequest& request,
                     ResolvedConsentCheck* out);

struct ResolvedRetentionDue {
  eval_internal::RetentionQuery query;
  std::vector<HoldView> holds;
};
absl::Status Resolve(const CompiledPolicy& policy,
                     const v1::RetentionDueRequest& request,
                     ResolvedRetentionDue* out);
absl::Status Resolve(const CompiledPolicy& policy,
                     const WireRetentionDueRequest& request,
                     ResolvedRetentionDue* out);

struct ResolvedRequestValidate {
  eval_internal::RequestQuery query;
};
absl::Status Resolve(const CompiledPolicy& policy,
                     const v1::RequestValidateRequest& request,
                     ResolvedRequestValidate* out);
absl::Status Resolve(const CompiledPolicy& policy,
                     const WireRequestValidateRequest& request,
                     ResolvedRequestValidate* out);

}  // namespace engine_internal
}  // namespace pip

#endif  // PIP_SRC_ENGINE_RESOLVE_H_
