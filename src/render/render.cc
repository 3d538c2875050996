#include "src/render/render.h"

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

RetentionDates FormatRetentionDates(const RetentionVerdict& verdict) {
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

}  // namespace engine_internal
}  // namespace pip
