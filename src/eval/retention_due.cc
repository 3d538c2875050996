#include "src/eval/retention_due.h"

#include "pip/limits.h"
#include "src/eval/civil_period.h"

namespace pip {
namespace eval_internal {

absl::CivilDay FilingDeadline(const CompiledPolicy& policy,
                              absl::CivilDay day) {
  absl::CivilDay fiscal_end(day.year(), policy.fiscal_year_end_month,
                            policy.fiscal_year_end_day);
  if (fiscal_end < day) {
    fiscal_end = absl::CivilDay(day.year() + 1, policy.fiscal_year_end_month,
                                policy.fiscal_year_end_day);
  }
  v1::Period months;
  months.set_months(policy.filing_deadline_months);
  return PeriodLastDayAfterEvent(fiscal_end, months);
}

absl::CivilDay RetainUntil(const CompiledPolicy& policy, int kind,
                           absl::CivilDay event_day) {
  const auto& k = policy.retention_kinds[kind];
  if (k.clock == v1::RETENTION_CLOCK_FILING_DEADLINE) {
    return PeriodLastDay(FilingDeadline(policy, event_day) + 1, k.period);
  }
  return PeriodLastDayAfterEvent(event_day, k.period);
}

std::optional<absl::CivilDay> LastEventDayDue(const CompiledPolicy& policy,
                                              int kind, absl::CivilDay today) {
  const auto ended = [&](absl::CivilDay event_day) {
    return RetainUntil(policy, kind, event_day) < today;
  };
  const absl::CivilDay first(kMinYear, 1, 1);
  // `hi` is never due (every period is at least a day); widen the step until
  // `lo` is due, then bisect.
  absl::CivilDay hi = today;
  absl::CivilDay lo = today - 1;
  for (int64_t step = 1; !ended(lo); step *= 2) {
    hi = lo;
    if (today - first <= 2 * step) {  // the next probe would pass `first`
      if (!ended(first)) return std::nullopt;
      lo = first;
      break;
    }
    lo = today - step * 2;
  }
  while (hi - lo > 1) {
    const absl::CivilDay mid = lo + (hi - lo) / 2;
    (ended(mid) ? lo : hi) = mid;
  }
  return lo;
}

template <typename Sink>
RetentionVerdict EvaluateRetentionDue(const CompiledPolicy& policy,
                                      const RetentionQuery& q, Sink& sink) {
  RetentionVerdict v;
  ReasonRef r;
  r.clause = policy.retention_kinds[q.kind].clause;
  if (!q.has_event) {
    // A contract that has not ended: its clock has not started.
    r.code = v1::CLOCK_NOT_STARTED;
    sink.Add(r);
    return v;
  }
  v.clock_started = true;
  v.retain_until = RetainUntil(policy, q.kind, TokyoDay(q.event_at));
  v.due_at = TokyoStartOfDay(v.retain_until + 1);
  v.period_ended = q.as_of >= v.due_at;
  if (!v.period_ended) {
    r.code = v1::PERIOD_RUNNING;
    sink.Add(r);
    return v;
  }
  bool held = false;
  r.clause = policy.hold_clause;
  r.code = v1::HOLD_APPLIES;
  for (size_t i = 0; i < q.holds.size(); ++i) {
    if (q.holds[i].until > q.as_of) {
      held = true;
      r.hold = static_cast<int16_t>(i);
      sink.Add(r);
    }
  }
  v.due = !held;
  return v;
}

template RetentionVerdict EvaluateRetentionDue<ReasonList>(
    const CompiledPolicy&, const RetentionQuery&, ReasonList&);
template RetentionVerdict EvaluateRetentionDue<ReasonCounter>(
    const CompiledPolicy&, const RetentionQuery&, ReasonCounter&);

}  // namespace eval_internal
}  // namespace pip
