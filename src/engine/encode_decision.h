// The layout of a decision, written once for every encoder that writes one
// without building a protobuf message: the wire encoder of serialized.cc and
// the JSON encoder of json_direct.cc. Internal to pip.
//
// An encoder is a class with
//   void Bool(uint32_t number, absl::string_view name, bool value);
//   void String(uint32_t number, absl::string_view name,
//               absl::string_view value);
//   void BeginReasons(uint32_t number, absl::string_view name);
//   void Reason(uint32_t number, const ReasonFields& reason);
//   void EndReasons();
// called in the order of the decision's fields in its .proto file, which is
// the order both protobuf's serializer and its JSON printer follow; each
// encoder decides what its format leaves out (proto3 binary omits default
// values, pip's JSON prints them).
#ifndef PIP_SRC_ENGINE_ENCODE_DECISION_H_
#define PIP_SRC_ENGINE_ENCODE_DECISION_H_

#include <cstdint>

#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "pip/v1/decision.pb.h"
#include "src/engine/render.h"

namespace pip {
namespace engine_internal {

// Describes each of `reasons` (DescribeReason) and hands it to `e` as
// repeated field `number`, `name`. `consents`, `requests` and `holds` are
// the request's lists the reasons refer into (IdsOf).
template <typename Encoder, typename Consents, typename Requests,
          typename Holds>
void EncodeReasons(const CompiledPolicy& policy, uint32_t number,
                   absl::string_view name, const ReasonList& reasons,
                   const Consents& consents, const Requests& requests,
                   const Holds& holds, Encoder& e) {
  e.BeginReasons(number, name);
  const ReasonContext context;
  for (const ReasonRef& r : reasons.items) {
    ReasonFields fields;
    DescribeReason(policy, r, IdsOf(r, consents, requests, holds), context,
                   &fields);
    e.Reason(number, fields);
  }
  e.EndReasons();
}

// pip.v1.PurposeAllowedDecision, as RenderPurposeAllowed() builds it.
// `request` is the pip.v1.PurposeAllowedRequest message or its wire view.
template <typename Encoder, typename Request>
void EncodePurposeAllowed(const CompiledPolicy& policy, const Request& request,
                          bool allowed, const ReasonList& reasons,
                          Encoder& e) {
  e.Bool(1, "allowed", allowed);
  EncodeReasons(policy, 2, "reasons", reasons, request.consents(),
                request.active_requests(), absl::Span<const v1::Hold>(), e);
  e.String(3, "policy_version", policy.policy.version());
  e.String(4, "policy_hash", policy.hash);
}

// pip.v1.ConsentCheckDecision, as RenderConsentCheck() builds it.
template <typename Encoder, typename Request>
void EncodeConsentCheck(const CompiledPolicy& policy, const Request& request,
                        int consent_index, const ReasonList& reasons,
                        Encoder& e) {
  e.Bool(1, "valid", consent_index >= 0);
  e.String(2, "consent_id",
           consent_index >= 0
               ? absl::string_view(request.consents()[consent_index].id())
               : absl::string_view());
  EncodeReasons(policy, 3, "reasons", reasons, request.consents(),
                absl::Span<const v1::ActiveRequest>(),
                absl::Span<const v1::Hold>(), e);
  e.String(4, "policy_version", policy.policy.version());
  e.String(5, "policy_hash", policy.hash);
}

}  // namespace engine_internal
}  // namespace pip

#endif  // PIP_SRC_ENGINE_ENCODE_DECISION_H_
