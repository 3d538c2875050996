#include "src/render/render.h"

#include <utility>

#include "absl/types/span.h"
#include "src/eval/civil_period.h"

namespace pip {
namespace engine_internal {
namespace {

template <typename Decision>
void Stamp(const CompiledPolicy& policy, Decision* d) {
  d->set_policy_version(policy.policy.version());
  d->set_policy_hash(policy.hash);
}

}  // namespace

absl::string_view NextStepId(eval_internal::NextStep step) {
  switch (step) {
    case eval_internal::NextStep::kFixChannel:
      return "fix_channel";
    case eval_internal::NextStep::kCollectDocuments:
      return "collect_documents";
    case eval_internal::NextStep::kCollectFee:
      return "collect_fee";
    case eval_internal::NextStep::kVerifyIdentity:
      return "verify_identity";
    case eval_internal::NextStep::kHumanReview:
      return "human_review";
    case eval_internal::NextStep::kRespond:
      return "respond";
  }
  return "respond";
}

RetentionDates FormatRetentionDates(
    const eval_internal::RetentionVerdict& verdict) {
  RetentionDates dates;
  if (verdict.clock_started) {
    // due_at is 00:00 JST the day after retain_until.
    const eval_internal::YearMonthDay until =
        eval_internal::YearMonthDayOf(verdict.retain_until);
    dates.retain_until = eval_internal::FormatDay(until);
    dates.due_at =
        eval_internal::FormatTokyoStartOfDay(eval_internal::NextDay(until));
  }
  return dates;
}

RequestValidateFiling FileRequestValidateReason(const CompiledPolicy& policy,
                                                const ReasonRef& r) {
  RequestValidateFiling filing;
  switch (r.code) {
    case v1::DOCUMENT_MISSING:
      filing.list = RequestValidateFiling::kMissing;
      // The reason's own document field (DescribeReason).
      if (r.document >= 0) {
        filing.id = policy.documents[r.document].source->id();
      }
      break;
    case v1::IDENTITY_NOT_VERIFIED:
      filing.list = RequestValidateFiling::kMissing;
      filing.id = "identity_verification";
      break;
    case v1::FEE_UNPAID:
      filing.list = RequestValidateFiling::kMissing;
      filing.id = "fee";
      break;
    case v1::CHANNEL_NOT_ACCEPTED:
      filing.list = RequestValidateFiling::kErrors;
      break;
    case v1::FEE_NOT_CHARGEABLE:
      filing.list = RequestValidateFiling::kWarnings;
      break;
    case v1::REVIEW_REQUIRED:
      filing.list = RequestValidateFiling::kNeedsReview;
      filing.id = policy.review_grounds[r.review].source->id();
      break;
    default:
      break;
  }
  return filing;
}

v1::PurposeAllowedDecision RenderPurposeAllowed(
    const CompiledPolicy& policy, const v1::PurposeAllowedRequest& request,
    bool allowed, const ReasonList& reasons) {
  v1::PurposeAllowedDecision d;
  d.set_allowed(allowed);
  const ReasonContext context;
  for (const ReasonRef& r : reasons.items) {
    RenderReason(policy, r,
                 IdsOf(r, request.consents(), request.active_requests(),
                       absl::Span<const v1::Hold>()),
                 context, d.add_reasons());
  }
  Stamp(policy, &d);
  return d;
}

v1::ConsentCheckDecision RenderConsentCheck(
    const CompiledPolicy& policy, const v1::ConsentCheckRequest& request,
    int consent_index, const ReasonList& reasons) {
  v1::ConsentCheckDecision d;
  d.set_valid(consent_index >= 0);
  if (consent_index >= 0) d.set_consent_id(request.consents(consent_index).id());
  const ReasonContext context;
  for (const ReasonRef& r : reasons.items) {
    RenderReason(policy, r,
                 IdsOf(r, request.consents(),
                       absl::Span<const v1::ActiveRequest>(),
                       absl::Span<const v1::Hold>()),
                 context, d.add_reasons());
  }
  Stamp(policy, &d);
  return d;
}

v1::RetentionDueDecision RenderRetentionDue(
    const CompiledPolicy& policy, const v1::RetentionDueRequest& request,
    int kind, const eval_internal::RetentionVerdict& verdict,
    const ReasonList& reasons) {
  const auto& k = *policy.retention_kinds[kind].source;
  v1::RetentionDueDecision d;
  d.set_due(verdict.due);
  d.set_period_ended(verdict.period_ended);
  ReasonContext context;
  if (verdict.clock_started) {
    RetentionDates dates = FormatRetentionDates(verdict);
    d.set_retain_until(std::move(dates.retain_until));
    d.set_due_at(std::move(dates.due_at));
    context.retain_until = d.retain_until();
  }
  d.set_deletion_method(k.deletion_method().id());
  d.set_deletion_method_ja(k.deletion_method().label_ja());
  d.set_deletion_method_en(k.deletion_method().label_en());
  d.set_clause(k.clause());
  for (const ReasonRef& r : reasons.items) {
    RenderReason(policy, r,
                 IdsOf(r, absl::Span<const v1::Consent>(),
                       absl::Span<const v1::ActiveRequest>(), request.holds()),
                 context, d.add_reasons());
  }
  Stamp(policy, &d);
  return d;
}

v1::RequestValidateDecision RenderRequestValidate(
    const CompiledPolicy& policy, const v1::RequestValidateRequest& request,
    const eval_internal::RequestVerdict& verdict, const ReasonList& reasons) {
  v1::RequestValidateDecision d;
  d.set_valid(verdict.valid);
  d.set_fee_due_jpy(verdict.fee_due_jpy);
  d.set_respond_by(eval_internal::FormatDay(verdict.respond_by));
  d.set_overdue(verdict.overdue);
  const absl::string_view next_step = NextStepId(verdict.next_step);
  d.set_next_step(next_step.data(), next_step.size());
  const ReasonContext context =
      RequestValidateContext(request, verdict, d.respond_by());
  for (const ReasonRef& r : reasons.items) {
    v1::Reason* reason = d.add_reasons();
    RenderReason(policy, r, ReasonIds(), context, reason);
    const RequestValidateFiling filing = FileRequestValidateReason(policy, r);
    switch (filing.list) {
      case RequestValidateFiling::kMissing:
        d.add_missing(filing.id.data(), filing.id.size());
        break;
      case RequestValidateFiling::kErrors:
        *d.add_errors() = *reason;
        break;
      case RequestValidateFiling::kWarnings:
        *d.add_warnings() = *reason;
        break;
      case RequestValidateFiling::kNeedsReview:
        d.add_needs_review(filing.id.data(), filing.id.size());
        break;
      case RequestValidateFiling::kNone:
        break;
    }
  }
  Stamp(policy, &d);
  return d;
}

}  // namespace engine_internal
}  // namespace pip
