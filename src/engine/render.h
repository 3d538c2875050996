// Rendering of evaluator verdicts into pip.v1 decisions: reason records
// become pip.v1.Reason messages with ids, clause numbers and messages in
// Japanese and English.
#ifndef PIP_SRC_ENGINE_RENDER_H_
#define PIP_SRC_ENGINE_RENDER_H_

#include <string>

#include "absl/status/status.h"
#include "pip/v1/decision.pb.h"
#include "src/eval/eval_types.h"

namespace pip {
namespace engine_internal {

using eval_internal::ReasonList;
using eval_internal::ReasonRef;
using policy_internal::CompiledPolicy;

// What a reason's query-relative indices refer to.
struct ReasonContext {
  const google::protobuf::RepeatedPtrField<v1::Consent>* consents = nullptr;
  const google::protobuf::RepeatedPtrField<v1::ActiveRequest>* requests =
      nullptr;
  const google::protobuf::RepeatedPtrField<v1::Hold>* holds = nullptr;
  std::string channel;
  std::string retain_until;
  std::string respond_by;
  int64_t fee_paid_jpy = 0;
  int64_t fee_due_jpy = 0;
};

// An EvalResponse holding `status` as its error (code name and message):
// what every surface answers for a request it cannot evaluate.
v1::EvalResponse ErrorResponse(const absl::Status& status);

// Fills `out` from `ref`: code, clause, the ids it is about, and messages.
void RenderReason(const CompiledPolicy& policy, const ReasonRef& ref,
                  const ReasonContext& context, v1::Reason* out);

v1::PurposeAllowedDecision RenderPurposeAllowed(
    const CompiledPolicy& policy, const v1::PurposeAllowedRequest& request,
    bool allowed, const ReasonList& reasons);

v1::ConsentCheckDecision RenderConsentCheck(
    const CompiledPolicy& policy, const v1::ConsentCheckRequest& request,
    int consent_index, const ReasonList& reasons);

v1::RetentionDueDecision RenderRetentionDue(
    const CompiledPolicy& policy, const v1::RetentionDueRequest& request,
    int kind, const eval_internal::RetentionVerdict& verdict,
    const ReasonList& reasons);

v1::RequestValidateDecision RenderRequestValidate(
    const CompiledPolicy& policy, const v1::RequestValidateRequest& request,
    const eval_internal::RequestVerdict& verdict, const ReasonList& reasons);

}  // namespace engine_internal
}  // namespace pip

#endif  // PIP_SRC_ENGINE_RENDER_H_
