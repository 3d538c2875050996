#include "src/render/render.h"

#include "absl/base/optimization.h"
#include "src/eval/civil_period.h"

namespace pip {
namespace engine_internal {

ReasonIds IdsOf(const ReasonRef& ref, const WireView& request,
                const ReasonSources& sources) {
  ReasonIds ids;
  if (ref.consent >= 0 && sources.consents != 0 &&
      ref.consent < request.Count(sources.consents)) {
    ids.consent_id = request.MessageAt(sources.consents, ref.consent)
                         .String(v1::Consent::kIdFieldNumber);
  }
  if (ref.request >= 0 && sources.active_requests != 0 &&
      ref.request < request.Count(sources.active_requests)) {
    const WireView r = request.MessageAt(sources.active_requests, ref.request);
    ids.request_type = r.String(v1::ActiveRequest::kTypeFieldNumber);
    ids.request_id = r.String(v1::ActiveRequest::kIdFieldNumber);
  }
  if (ref.hold >= 0 && sources.holds != 0 &&
      ref.hold < request.Count(sources.holds)) {
    const WireView h = request.MessageAt(sources.holds, ref.hold);
    ids.hold_type = h.String(v1::Hold::kTypeFieldNumber);
    ids.hold_id = h.String(v1::Hold::kIdFieldNumber);
  }
  return ids;
}

RetentionDates::RetentionDates(const RetentionVerdict& verdict) {
  if (!verdict.clock_started) return;
  // due_at is 00:00 JST the day after retain_until.
  const eval_internal::YearMonthDay until =
      eval_internal::YearMonthDayOf(verdict.retain_until);
  const eval_internal::YearMonthDay next = eval_internal::NextDay(until);
  if (ABSL_PREDICT_TRUE(eval_internal::WriteDay(until, until_text_))) {
    retain_until_ = absl::string_view(until_text_, sizeof(until_text_));
  } else {
    until_fallback_ = eval_internal::FormatDay(until);
    retain_until_ = until_fallback_;
  }
  if (ABSL_PREDICT_TRUE(eval_internal::WriteTokyoStartOfDay(next, due_text_))) {
    due_at_ = absl::string_view(due_text_, sizeof(due_text_));
  } else {
    due_fallback_ = eval_internal::FormatTokyoStartOfDay(next);
    due_at_ = due_fallback_;
  }
}

}  // namespace engine_internal
}  // namespace pip
