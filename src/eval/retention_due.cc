#include "src/eval/retention_due.h"

#include "pip/limits.h"

namespace pip {
namespace eval_internal {

YearMonthDay FilingDeadline(const CompiledPolicy& policy,
                            const YearMonthDay& day) {
  // The fiscal year end is a day every year has (validation checks it).
  YearMonthDay fiscal_end{day.year, policy.fiscal_year_end_month,
                          policy.fiscal_year_end_day};
  if (day.month > fiscal_end.month ||
      (day.month == fiscal_end.month && day.day > fiscal_end.day)) {
    ++fiscal_end.year;
  }
  CompiledPeriod months;
  months.months = policy.filing_deadline_months;
  return PeriodLastDayAfterEvent(fiscal_end, months);
}

YearMonthDay RetainUntil(const CompiledPolicy& policy, int kind,
                         int64_t event_day) {
  const auto& k = policy.retention_kinds[kind];
  if (k.clock == v1::RETENTION_CLOCK_FILING_DEADLINE) {
    return PeriodLastDayAfterEvent(
        FilingDeadline(policy, DateOfUnixDays(event_day)), k.period);
  }
  return PeriodLastDay(DateOfUnixDays(event_day + 1), k.period);
}

std::optional<int64_t> LastEventDayDue(const CompiledPolicy& policy, int kind,
                                       int64_t today) {
  const auto ended = [&](int64_t event_day) {
    return DaysSinceUnixEpoch(RetainUntil(policy, kind, event_day)) < today;
  };
  const int64_t first = DaysSinceUnixEpoch(YearMonthDay{kMinYear, 1, 1});
  // `hi` is never due (every period is at least a day); widen the step until
  // `lo` is due, then bisect.
  int64_t hi = today;
  int64_t lo = today - 1;
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
    const int64_t mid = lo + (hi - lo) / 2;
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
  const YearMonthDay until =
      RetainUntil(policy, q.kind, TokyoUnixDays(q.event_at));
  const int64_t until_day = DaysSinceUnixEpoch(until);
  v.retain_until = CivilDayOf(until);
  v.retain_until_days = static_cast<int32_t>(until_day);
  v.due_at = absl::FromUnixSeconds(TokyoStartOfUnixDay(until_day + 1));
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
