// The layout of a decision, written once for every encoder that writes one
// without building a protobuf message: the wire encoder of serialized.cc and
// the JSON encoder of json_direct.cc. Internal to pip.
//
// An encoder is a class with
//   void Bool(uint32_t number, absl::string_view name, bool value);
//   void Int32(uint32_t number, absl::string_view name, int32_t value);
//   void String(uint32_t number, absl::string_view name,
//               absl::string_view value);
//   void BeginStrings(uint32_t number, absl::string_view name);
//   void StringItem(uint32_t number, absl::string_view value);
//   void EndStrings();
//   void BeginReasons(uint32_t number, absl::string_view name);
//   void Reason(uint32_t number, const ReasonFields& reason);
//   void EndReasons();
// (Begin*, then one call per element, then End*, for a repeated field)
// called in the order of the decision's fields in its .proto file, which is
// the order both protobuf's serializer and its JSON printer follow; each
// encoder decides what its format leaves out (proto3 binary omits default
// values, pip's JSON prints them).
#ifndef PIP_SRC_RENDER_ENCODE_DECISION_H_
#define PIP_SRC_RENDER_ENCODE_DECISION_H_

#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "pip/v1/decision.pb.h"
#include "src/render/render.h"
#include "src/eval/civil_period.h"
#include "src/eval/consent_check.h"
#include "src/eval/purpose_allowed.h"
#include "src/eval/request_validate.h"
#include "src/eval/retention_due.h"

namespace pip {
namespace engine_internal {

// Describes each of `reasons` that `keep` takes (DescribeReason, quoting
// `context`) and hands it to `e` as repeated field `number`, `name`.
// `consents`, `requests` and `holds` are the request's lists the reasons
// refer into (IdsOf).
template <typename Encoder, typename Consents, typename Requests,
          typename Holds, typename Keep>
void EncodeReasonsIf(const CompiledPolicy& policy, uint32_t number,
                     absl::string_view name, const ReasonList& reasons,
                     const Consents& consents, const Requests& requests,
                     const Holds& holds, const ReasonContext& context,
                     Keep keep, Encoder& e) {
  e.BeginReasons(number, name);
  for (const ReasonRef& r : reasons.items) {
    if (!keep(r)) continue;
    ReasonFields fields;
    DescribeReason(policy, r, IdsOf(r, consents, requests, holds), context,
                   &fields);
    e.Reason(number, fields);
  }
  e.EndReasons();
}

// Every one of `reasons`, quoting no values of the decision.
template <typename Encoder, typename Consents, typename Requests,
          typename Holds>
void EncodeReasons(const CompiledPolicy& policy, uint32_t number,
                   absl::string_view name, const ReasonList& reasons,
                   const Consents& consents, const Requests& requests,
                   const Holds& holds, Encoder& e) {
  EncodeReasonsIf(policy, number, name, reasons, consents, requests, holds,
                  ReasonContext(), [](const ReasonRef&) { return true; }, e);
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

// pip.v1.RetentionDueDecision, as RenderRetentionDue() builds it, for the
// retention kind `kind` (the resolved query's). `request` is the
// pip.v1.RetentionDueRequest message or its wire view.
template <typename Encoder, typename Request>
void EncodeRetentionDue(const CompiledPolicy& policy, const Request& request,
                        int kind,
                        const eval_internal::RetentionVerdict& verdict,
                        const ReasonList& reasons, Encoder& e) {
  const auto& k = *policy.retention_kinds[kind].source;
  const RetentionDates dates = FormatRetentionDates(verdict);
  ReasonContext context;
  context.retain_until = dates.retain_until;
  e.Bool(1, "due", verdict.due);
  e.String(2, "retain_until", dates.retain_until);
  e.String(3, "due_at", dates.due_at);
  e.String(4, "deletion_method", k.deletion_method().id());
  e.String(5, "clause", k.clause());
  EncodeReasonsIf(policy, 6, "reasons", reasons,
                  absl::Span<const v1::Consent>(),
                  absl::Span<const v1::ActiveRequest>(), request.holds(),
                  context, [](const ReasonRef&) { return true; }, e);
  e.String(7, "policy_version", policy.policy.version());
  e.String(8, "policy_hash", policy.hash);
  e.String(9, "deletion_method_ja", k.deletion_method().label_ja());
  e.String(10, "deletion_method_en", k.deletion_method().label_en());
  e.Bool(11, "period_ended", verdict.period_ended);
}

// pip.v1.RequestValidateDecision, as RenderRequestValidate() builds it:
// `reasons` holds every reason, and FileRequestValidateReason() says which
// also go to missing, errors, needs_review and warnings, in their order.
template <typename Encoder, typename Request>
void EncodeRequestValidate(const CompiledPolicy& policy,
                           const Request& request,
                           const eval_internal::RequestVerdict& verdict,
                           const ReasonList& reasons, Encoder& e) {
  const std::string respond_by = eval_internal::FormatDay(verdict.respond_by);
  const ReasonContext context =
      RequestValidateContext(request, verdict, respond_by);
  const auto ids = [&](uint32_t number, absl::string_view name,
                       RequestValidateFiling::List list) {
    e.BeginStrings(number, name);
    for (const ReasonRef& r : reasons.items) {
      const RequestValidateFiling filing = FileRequestValidateReason(policy, r);
      if (filing.list == list) e.StringItem(number, filing.id);
    }
    e.EndStrings();
  };
  const auto filed = [&](RequestValidateFiling::List list) {
    return [&policy, list](const ReasonRef& r) {
      return FileRequestValidateReason(policy, r).list == list;
    };
  };
  // The decision's reasons are about none of the request's lists.
  const absl::Span<const v1::Consent> consents;
  const absl::Span<const v1::ActiveRequest> requests;
  const absl::Span<const v1::Hold> holds;
  e.Bool(1, "valid", verdict.valid);
  ids(2, "missing", RequestValidateFiling::kMissing);
  EncodeReasonsIf(policy, 3, "errors", reasons, consents, requests, holds,
                  context, filed(RequestValidateFiling::kErrors), e);
  // The field is int32; the message path's setter narrows alike.
  e.Int32(4, "fee_due_jpy", static_cast<int32_t>(verdict.fee_due_jpy));
  e.String(5, "respond_by", respond_by);
  e.Bool(6, "overdue", verdict.overdue);
  ids(7, "needs_review", RequestValidateFiling::kNeedsReview);
  e.String(8, "next_step", NextStepId(verdict.next_step));
  e.String(9, "policy_version", policy.policy.version());
  e.String(10, "policy_hash", policy.hash);
  EncodeReasonsIf(policy, 11, "reasons", reasons, consents, requests, holds,
                  context, [](const ReasonRef&) { return true; }, e);
  EncodeReasonsIf(policy, 12, "warnings", reasons, consents, requests, holds,
                  context, filed(RequestValidateFiling::kWarnings), e);
}

// Evaluates a resolved query and encodes its decision through `e`: the step
// every direct path takes, one overload per function. `request` is the
// message or wire view `query` was resolved from.
template <typename Encoder, typename Request>
void EvaluateAndEncode(const CompiledPolicy& policy, const Request& request,
                       const eval_internal::PurposeQuery& query,
                       ReasonList& reasons, Encoder& e) {
  const bool allowed =
      eval_internal::EvaluatePurposeAllowed(policy, query, reasons);
  EncodePurposeAllowed(policy, request, allowed, reasons, e);
}
template <typename Encoder, typename Request>
void EvaluateAndEncode(const CompiledPolicy& policy, const Request& request,
                       const eval_internal::ConsentQuery& query,
                       ReasonList& reasons, Encoder& e) {
  const int consent =
      eval_internal::EvaluateConsentCheck(policy, query, reasons);
  EncodeConsentCheck(policy, request, consent, reasons, e);
}
template <typename Encoder, typename Request>
void EvaluateAndEncode(const CompiledPolicy& policy, const Request& request,
                       const eval_internal::RetentionQuery& query,
                       ReasonList& reasons, Encoder& e) {
  const eval_internal::RetentionVerdict verdict =
      eval_internal::EvaluateRetentionDue(policy, query, reasons);
  EncodeRetentionDue(policy, request, query.kind, verdict, reasons, e);
}
template <typename Encoder, typename Request>
void EvaluateAndEncode(const CompiledPolicy& policy, const Request& request,
                       const eval_internal::RequestQuery& query,
                       ReasonList& reasons, Encoder& e) {
  const eval_internal::RequestVerdict verdict =
      eval_internal::EvaluateRequestValidate(policy, query, reasons);
  EncodeRequestValidate(policy, request, verdict, reasons, e);
}

}  // namespace engine_internal
}  // namespace pip

#endif  // PIP_SRC_RENDER_ENCODE_DECISION_H_
